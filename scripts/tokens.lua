-- tokens: print the words, sentences or graphemes of articles one a line, or count them
local cd = require "copydesk"
local cli = require "copydesk.cli"
local documents = require "copydesk.documents"
local files = require "copydesk.files"
local report = require "copydesk.report"

local spec = {
  name = "tokens",
  usage = "copydesk tokens [--words|--sentences|--graphemes] [--count] [FILE...]",
  description = "Splits the body of each article (front matter, dated or plain text; folders are\n" ..
    "walked; standard input without FILE) into tokens and prints one a line, or with --count\n" ..
    "the number of tokens of each input (and the total of several), counted in C.\n" ..
    "Words are copydesk.words tokens; sentences follow the English rules (a line break always\n" ..
    "ends one); graphemes are user-perceived characters, white space left out.",
  options = {
    { long = "--words", help = "word tokens (the default)" },
    { long = "--sentences", help = "sentences, trimmed" },
    { long = "--graphemes", help = "grapheme clusters other than white space" },
    { long = "--count", short = "-c", help = "print counts instead of tokens" },
    { long = "--ptb", help = "words in Penn Treebank style (do n't), punctuation kept" },
    { long = "--lower", help = "lower-case the words" },
    { long = "--abbreviations", arg = "FILE",
      help = "more abbreviations for --sentences, one a line ('Gen.' or 'Gen. title')" },
    { long = "--uax29", help = "plain Unicode sentence rules instead of the English ones" },
  },
}

-- The unit chosen on the command line, or nil and a message when several are.
local function unit_of(opts)
  local chosen = {}
  for _, u in ipairs { "words", "sentences", "graphemes" } do
    if opts[u] then chosen[#chosen + 1] = u end
  end
  if #chosen > 1 then return nil, "choose one of --words, --sentences, --graphemes" end
  return chosen[1] or "words"
end

-- Counters and printers per unit, each over an article body.
local function counter(unit, opts)
  if unit == "words" then
    local wopts = { ptb = opts.ptb }
    return function(body) return cd.count_words(body, wopts) end
  elseif unit == "sentences" then
    local sopts = { abbreviations = opts.abbrevs, trim = true, rules = opts.uax29 and "uax29" or nil }
    return function(body) return cd.count_sentences(body, sopts) end
  end
  local kinds = { "other", "punct", "letters", "number", "ideo", "kana", "emoji" }
  return function(body) return cd.count(body, "grapheme", kinds) end
end

local function printer(unit, opts, out)
  if unit == "words" then
    local wopts = { ptb = opts.ptb, lower = opts.lower }
    return function(body) for w in cd.words(body, wopts) do out:write(w, "\n") end end
  elseif unit == "sentences" then
    local sopts = { abbreviations = opts.abbrevs, trim = true, rules = opts.uax29 and "uax29" or nil }
    return function(body)
      -- A sentence of wrapped lines is printed on one line.
      for s in cd.sentences(body, sopts) do out:write((s:gsub("%s*\n%s*", " ")), "\n") end
    end
  end
  return function(body)
    for g, _, _, kind in cd.segments(body, "grapheme") do
      if kind ~= "space" then out:write(g, "\n") end
    end
  end
end

local function fail(message)
  io.stderr:write("copydesk tokens: ", message, "\n")
  return 2
end

for _, o in ipairs(documents.options) do spec.options[#spec.options + 1] = o end
local opts, inputs = cli.parse_or_usage(spec, { ... })
if not opts then return inputs end
local unit, uerr = unit_of(opts)
if not unit then return fail(uerr) end
if opts.abbreviations then
  local text, rerr = files.read(opts.abbreviations)
  if not text then return fail(rerr) end
  local list, lerr = cd.abbreviations(text)
  if not list then return fail(opts.abbreviations .. ":" .. lerr) end
  opts.abbrevs = list
end
if #inputs == 0 then inputs = { "-" } end

local rep = report.new("tokens")
local count = opts.count and counter(unit, opts)
local print_tokens = not opts.count and printer(unit, opts, io.stdout)
local entries, total, counted = files.expand(inputs), 0, 0
-- One input: its body's tokens or count; a file that cannot be read or parsed is counted as
-- failed and reported.
local function process(entry)
  rep:count_read()
  if entry.err then return rep:count_failed("read", entry.err) end
  local raw, rerr, why = files.read(entry.path, opts.max_article or documents.MAX_ARTICLE)
  if not raw then return rep:count_failed(why, rerr) end
  local art, perr = cd.parse(cd.fix(raw), entry.path)
  if not art then return rep:count_failed("parse", perr) end
  if count then
    local n = count(art.body)
    total, counted = total + n, counted + 1
    io.stdout:write(n, entry.path == "-" and "" or "\t" .. entry.path, "\n")
  else
    print_tokens(art.body)
  end
  rep:count_written()
end

for _, entry in ipairs(entries) do process(entry) end
if count and counted > 1 then io.stdout:write(total, "\ttotal\n") end
-- The summary line only when something went wrong: the output is the data.
if rep.failed > 0 then return rep:finish() end
return 0
