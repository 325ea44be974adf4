-- fix: repair encoding damage (mojibake, HTML entities, controls) line by line, like ftfy
local cd = require "copydesk"
local cli = require "copydesk.cli"
local documents = require "copydesk.documents"
local files = require "copydesk.files"
local report = require "copydesk.report"

local spec = {
  name = "fix",
  usage = "copydesk fix [--preset default|ftfy|none] [options] [FILE...]",
  description = "Repairs text as copydesk.fix does and writes it to standard output, one output line\n" ..
    "per input line (standard input without FILE; folders are walked). Each line is repaired\n" ..
    "alone: mojibake in any common code page, HTML entities, C1 and other controls, terminal\n" ..
    "escapes, normalisation; a CR before the newline is dropped, other line breaks inside a\n" ..
    "line are left. --preset ftfy reproduces ftfy 6.3's fix_text defaults (straight quotes,\n" ..
    "folded full-width forms and ligatures); the options after it switch single steps.",
  options = {
    { long = "--preset", arg = "PRESET", choices = { "default", "ftfy", "none" },
      default = "default", help = "default (news), ftfy, or none (every step off)" },
    { long = "--mojibake", help = "repair mojibake (on in both presets)" },
    { long = "--no-mojibake", help = "leave mojibake" },
    { long = "--lossy", help = "mojibake that lost bytes becomes U+FFFD (ftfy preset)" },
    { long = "--no-c1", help = "leave C1 controls instead of reading them as Windows-1252" },
    { long = "--entities", arg = "MODE", choices = { "auto", "double", "never" },
      help = "HTML entities: auto (not in HTML lines), double (&amp;eacute; too), never" },
    { long = "--no-terminal", help = "keep terminal escapes" },
    { long = "--no-controls", help = "keep control characters" },
    { long = "--quotes", help = "straighten curly quotes (ftfy preset)" },
    { long = "--no-quotes", help = "keep curly quotes" },
    { long = "--width", help = "fold full-width forms (ftfy preset)" },
    { long = "--no-width", help = "keep full-width forms" },
    { long = "--ligatures", help = "expand Latin ligatures (ftfy preset)" },
    { long = "--no-ligatures", help = "keep ligatures" },
    { long = "--normalize", arg = "FORM", choices = { "NFC", "NFKC", "NFD", "NFKD", "none" },
      help = "Unicode normalisation (NFC by default)" },
    { long = "--invalid", arg = "MODE", choices = { "cp1252", "replace" },
      help = "invalid bytes: read as Windows-1252 (default) or replaced by U+FFFD" },
    { long = "--hint", arg = "SCRIPT",
      choices = { "cyrillic", "greek", "central", "turkish", "baltic", "mac", "dos" },
      help = "text in that script's legacy code page read as Windows-1252: decode it again" },
    { long = "--explain", help = "on standard error, the plan of each changed line" },
  },
}

-- The copydesk.fix options of the command line: the preset's, then each switch given.
local function fix_options(opts)
  local o = { preset = opts.preset, line_breaks = false, explain = opts.explain or nil }
  local switches = {
    mojibake = { opts.mojibake, opts.no_mojibake }, quotes = { opts.quotes, opts.no_quotes },
    width = { opts.width, opts.no_width }, ligatures = { opts.ligatures, opts.no_ligatures },
    lossy = { opts.lossy, false }, c1 = { false, opts.no_c1 },
    terminal = { false, opts.no_terminal }, controls = { false, opts.no_controls },
  }
  for key, on_off in pairs(switches) do
    if on_off[1] and on_off[2] then return nil, "--" .. key .. " and --no-" .. key .. " disagree" end
    if on_off[1] then o[key] = true elseif on_off[2] then o[key] = false end
  end
  o.entities, o.normalize, o.invalid, o.hint = opts.entities, opts.normalize, opts.invalid, opts.hint
  return o
end

local function plan_text(plan)
  local parts = {}
  for _, step in ipairs(plan) do parts[#parts + 1] = step[1] .. " " .. step[2] end
  return table.concat(parts, ", ")
end

-- Repairs one input's text line by line into out; counts the lines changed.
local function fix_text(text, name, fopts, out, rep)
  local lineno = 0
  for line, nl in text:gmatch("([^\n]*)(\n?)") do
    if line == "" and nl == "" then break end
    lineno = lineno + 1
    if nl ~= "" then line = line:gsub("\r$", "") end
    local fixed, n, explained = cd.fix(line, fopts)
    if n > 0 then
      rep:count_changed("repaired-line")
      if explained then rep:note(string.format("%s:%d: %s", name, lineno, plan_text(explained.plan))) end
    end
    out:write(fixed, nl)
  end
end

for _, o in ipairs(documents.options) do spec.options[#spec.options + 1] = o end
local opts, inputs = cli.parse_or_usage(spec, { ... })
if not opts then return inputs end
local fopts, ferr = fix_options(opts)
if not fopts then
  io.stderr:write("copydesk fix: ", ferr, "\n")
  return 2
end
if #inputs == 0 then inputs = { "-" } end

local rep = report.new("fix")
for _, entry in ipairs(files.expand(inputs)) do
  rep:count_read()
  local text, rerr, why
  if entry.err then
    rerr, why = entry.err, "read"
  else
    text, rerr, why = files.read(entry.path, opts.max_article or documents.MAX_ARTICLE)
  end
  if not text then
    rep:count_failed(why, rerr)
  else
    fix_text(text, entry.path, fopts, io.stdout, rep)
    rep:count_written()
  end
end
-- The summary line when asked for explanations or when something failed: the output is data.
if opts.explain or rep.failed > 0 then return rep:finish() end
return 0
