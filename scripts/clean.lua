-- clean: repair, strip boilerplate and captions, tidy metadata; one cleaned article per input
local cd = require "copydesk"
local cli = require "copydesk.cli"
local files = require "copydesk.files"
local meta = require "copydesk.meta"
local report = require "copydesk.report"

local spec = {
  name = "clean",
  usage = "copydesk clean INPUT... [-o OUT] [--format jsonl|front-matter|text]",
  description = "Cleans article files (front matter, dated or plain text; folders are walked):\n" ..
    "repairs mojibake and control characters, removes boilerplate lines and photo captions,\n" ..
    "normalises white space, tidies metadata (trimmed strings, ISO 8601 dates).\n" ..
    "jsonl writes one JSON object per line; front-matter and text write one file per input\n" ..
    "into the folder OUT (or all to standard output).",
  min_args = 1,
  options = {
    { long = "--output", short = "-o", arg = "OUT", help = "output file (jsonl) or folder" },
    { long = "--format", arg = "FORMAT", choices = { "jsonl", "front-matter", "text" },
      default = "jsonl", help = "jsonl (default), front-matter or text" },
    { long = "--keep-unique-captions", help = "keep captions that repeat no body paragraph" },
  },
}

-- The cleaning steps, in order; each removal is counted by reason.
local function clean_article(art, opts, rep)
  local body, removed = cd.strip_boilerplate(art.body)
  for _, r in ipairs(removed) do rep:count_removed(r.reason) end
  body, removed = cd.strip_captions(body, { keep_unique = opts.keep_unique_captions })
  for _, r in ipairs(removed) do rep:count_removed(r.reason) end
  art.body = assert(cd.normalize_space(body))
  meta.tidy(art.meta)
  return art
end

local render_format = { jsonl = "json", ["front-matter"] = "front-matter", text = "text" }
local extension = { ["front-matter"] = ".md", text = ".txt" }

-- Where each article goes: one stream (jsonl, or everything to stdout), or one file per input
-- in a folder. Regular files are written under a temporary name and renamed when complete;
-- a device such as /dev/null is written directly.
local function open_output(opts)
  local out = opts.output
  if out == nil or out == "-" then return { stream = io.stdout } end
  if opts.format == "jsonl" and cd.path_type(out) == "other" then
    local f, err = io.open(out, "wb")
    if not f then return nil, err end
    return { stream = f, device = true }
  end
  if opts.format == "jsonl" then
    local tmp = out .. ".tmp"
    local f, err = io.open(tmp, "wb")
    if not f then return nil, err end
    return { stream = f, tmp = tmp, final = out }
  end
  return { folder = out }
end

local function write_file(path, data)
  local tmp = path .. ".tmp"
  local f, err = io.open(tmp, "wb")
  if not f then return nil, err end
  local ok, werr = f:write(data)
  local closed, cerr = f:close()
  if not ok or not closed then
    os.remove(tmp)
    return nil, path .. ": " .. tostring(werr or cerr)
  end
  return os.rename(tmp, path)
end

-- In a folder, an article keeps the path it had below its input folder, with a new extension.
local function write_article(out, opts, entry, text)
  if out.stream then return out.stream:write(text, opts.format == "jsonl" and "\n" or "") end
  local path = out.folder .. "/" .. entry.rel:gsub("%.[^./]*$", "") .. extension[opts.format]
  local ok, err = cd.mkdir(path:match("^(.*)/"))
  if not ok then return nil, err end
  return write_file(path, text)
end

local function close_output(out)
  if out.device then return out.stream:close() end
  if not out.tmp then return true end
  local ok, err = out.stream:close()
  if not ok then
    os.remove(out.tmp)
    return nil, err
  end
  return os.rename(out.tmp, out.final)
end

local function process(entry, opts, out, rep)
  rep:count_read()
  if entry.err then return rep:count_failed("read", entry.err) end
  local raw, rerr = files.read(entry.path)
  if not raw then return rep:count_failed("read", rerr) end
  local art, perr = cd.parse(cd.fix(raw), entry.path)
  if not art then return rep:count_failed("parse", perr) end
  clean_article(art, opts, rep)
  if art.body == "" then return rep:count_dropped("empty", entry.path .. ": nothing left after cleaning") end
  if opts.format == "jsonl" then art.meta.source = art.meta.source or art.source end
  local text, ferr = cd.render(art, render_format[opts.format])
  if not text then return rep:count_failed("render", entry.path .. ": " .. ferr) end
  local ok, werr = write_article(out, opts, entry, text)
  if not ok then return rep:count_failed("write", tostring(werr)) end
  rep:count_written()
end

local opts, inputs = cli.parse_or_usage(spec, { ... })
if not opts then return inputs end
local rep = report.new("clean")
local out, oerr = open_output(opts)
if not out then
  io.stderr:write("copydesk clean: ", oerr, "\n")
  return 1
end
for _, entry in ipairs(files.expand(inputs)) do process(entry, opts, out, rep) end
local ok, cerr = close_output(out)
if not ok then io.stderr:write("copydesk clean: ", tostring(cerr), "\n") end
local status = rep:finish()
return ok and status or 1
