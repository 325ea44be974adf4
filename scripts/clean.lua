-- clean: repair, strip boilerplate, captions and repeats, split glued text, tidy metadata
local cd = require "copydesk"
local cli = require "copydesk.cli"
local documents = require "copydesk.documents"
local filter = require "copydesk.filter"
local files = require "copydesk.files"
local jobs = require "copydesk.jobs"
local meta = require "copydesk.meta"
local path = require "copydesk.path"
local progress = require "copydesk.progress"
local report = require "copydesk.report"

local spec = {
  name = "clean",
  usage = "copydesk clean INPUT... [-o OUT] [--format jsonl|front-matter|text] [options]",
  description = "Cleans article files (front matter, dated or plain text; folders are walked)\n" ..
    "and JSON lines (.jsonl, .jsonl.gz, .jsonl.zst, or - for standard input).\n" ..
    "Steps, in order: repair mojibake and control characters; split glued paragraphs;\n" ..
    "remove boilerplate lines, photo captions and repeated paragraphs; normalise white\n" ..
    "space; tidy the metadata (one-line strings, ISO 8601 dates with impossible ones\n" ..
    "flagged, URLs checked, site-generator keys dropped, a glued description split).\n" ..
    "jsonl writes one JSON object per line; front-matter and text write one file per input\n" ..
    "into the folder OUT (or all to standard output).\n" ..
    "Filter scripts (--filter-first, --filter) run in the order given; a handler error fails\n" ..
    "the article it was cleaning (reason filter-error) and the run goes on.",
  min_args = 1,
  options = {
    { long = "--output", short = "-o", arg = "OUT", help = "output file (jsonl) or folder" },
    { long = "--format", arg = "FORMAT", choices = { "jsonl", "front-matter", "text" },
      default = "jsonl", help = "jsonl (default), front-matter or text" },
    { long = "--rejects", arg = "FILE", help = "write every dropped article and removed piece as JSON lines" },
    { long = "--boilerplate", arg = "FILE", repeatable = true,
      help = "more boilerplate patterns, one a line ('*' matches any run)" },
    { long = "--learn-boilerplate", help = "learn each site's recurring lines over the inputs" },
    { long = "--keep-unique-captions", help = "keep captions that repeat no body paragraph" },
    { long = "--keep-generator-keys", help = "keep the site generator's keys (extends, layout, ...)" },
    { long = "--derive-title", help = "give an article without a title its first short line" },
    { long = "--no-glue", help = "do not split glued paragraphs" },
    { long = "--no-boilerplate", help = "do not remove boilerplate lines" },
    { long = "--no-captions", help = "do not remove photo captions" },
    { long = "--no-repeats", help = "do not remove repeated paragraphs" },
    { long = "--no-meta", help = "leave the metadata as parsed" },
    { long = "--quality-filter", arg = "NAME", repeatable = true,
      choices = { "gopher", "c4", "fineweb" },
      help = "drop articles a corpus filter would drop: gopher, c4 or fineweb" },
    { long = "--filter", arg = "FILE", repeatable = true,
      help = "run a filter script (a table of handlers) after the built-in steps" },
    { long = "--filter-first", arg = "FILE", repeatable = true,
      help = "run a filter script before the built-in steps" },
    { long = "--text-field", arg = "NAME", help = "JSON lines: the field holding the text (text)" },
    { long = "--id-field", arg = "NAME", help = "JSON lines: the field holding the id (id)" },
    { long = "--stats", arg = "FILE", help = "write the summary as JSON" },
    { long = "--quiet", short = "-q", help = "no progress line on a terminal" },
    { long = "--run-name", arg = "NAME",
      help = "(internal) the run's name in its summary and messages: a filter script run directly" },
  },
}
for _, o in ipairs(jobs.options) do spec.options[#spec.options + 1] = o end
for _, o in ipairs(documents.options) do spec.options[#spec.options + 1] = o end

-- The article-level rules of three corpus filters, over copydesk.quality's measures of the
-- cleaned body. Each rule is a name (the reason an article is dropped) and a test it must pass.
-- gopher: Rae et al. 2021, "Scaling Language Models: Methods, Analysis & Insights from Training
--   Gopher", appendix A (the quality filter and the repetition removal of MassiveText).
-- c4: Raffel et al. 2020, "Exploring the Limits of Transfer Learning with a Unified Text-to-Text
--   Transformer", section 2.2, with the numbers of TensorFlow Datasets' c4_utils.py: a page goes
--   when "lorem ipsum" or a curly bracket is in it, or when the lines C4 keeps (ending in
--   terminal punctuation, of five words or more, without "javascript", cookie or policy phrases,
--   without a word of over 1000 characters) hold fewer than three sentences. The lines are
--   counted, not removed: in news they are headings, datelines, lists, short quotes and prose
--   about privacy policies, and a kept article keeps them (clean's own steps take boilerplate).
-- fineweb: Penedo et al. 2024, "The FineWeb Datasets", section 3 (its own quality filter).
local function at_most(key, limit) return function(q) return q[key] <= limit end end
local function at_least(key, limit) return function(q) return q[key] >= limit end end

local filters = {
  gopher = {
    { "gopher-word-count", function(q) return q.words >= 50 and q.words <= 100000 end },
    { "gopher-mean-word-length", function(q) return q.mean_word_len >= 3 and q.mean_word_len <= 10 end },
    { "gopher-hash-ratio", at_most("hash_ratio", 0.1) },
    { "gopher-ellipsis-ratio", at_most("ellipsis_ratio", 0.1) },
    { "gopher-bullet-lines", at_most("bullet_lines", 0.9) },
    { "gopher-ellipsis-lines", at_most("ellipsis_lines", 0.3) },
    { "gopher-alpha-words", at_least("alpha_words", 0.8) },
    { "gopher-stop-words", at_least("stop_words", 2) },
    { "gopher-dup-lines", at_most("dup_lines", 0.3) },
    { "gopher-dup-paras", at_most("dup_paras", 0.3) },
    { "gopher-dup-line-chars", at_most("dup_line_chars", 0.2) },
    { "gopher-dup-para-chars", at_most("dup_para_chars", 0.2) },
    { "gopher-top-2gram", at_most("top_2gram_chars", 0.20) },
    { "gopher-top-3gram", at_most("top_3gram_chars", 0.18) },
    { "gopher-top-4gram", at_most("top_4gram_chars", 0.16) },
    { "gopher-dup-5gram", at_most("dup_5gram_chars", 0.15) },
    { "gopher-dup-6gram", at_most("dup_6gram_chars", 0.14) },
    { "gopher-dup-7gram", at_most("dup_7gram_chars", 0.13) },
    { "gopher-dup-8gram", at_most("dup_8gram_chars", 0.12) },
    { "gopher-dup-9gram", at_most("dup_9gram_chars", 0.11) },
    { "gopher-dup-10gram", at_most("dup_10gram_chars", 0.10) },
  },
  c4 = {
    { "c4-lorem-ipsum", function(q) return not q.lorem_ipsum end },
    { "c4-curly-bracket", function(q) return not q.curly_bracket end },
    { "c4-sentences", at_least("c4_sentences", 3) },
  },
  fineweb = {
    { "fineweb-punct-lines", at_least("punct_lines", 0.12) },
    { "fineweb-short-lines", at_most("short_lines", 0.67) },
    { "fineweb-dup-line-chars", at_most("dup_line_chars", 0.01) },
    { "fineweb-newline-ratio", at_most("newline_ratio", 0.3) },
  },
}

-- The first rule of the chosen filters that the body fails, or nil.
local function failed_rule(body, names)
  local q = cd.quality(body)
  for _, name in ipairs(names) do
    for _, rule in ipairs(filters[name]) do
      if not rule[2](q) then return rule[1] end
    end
  end
  return nil
end

-- Learning site boilerplate: a line is the site's when it is short, recurs in at least
-- LEARN_MIN_ARTICLES articles of the site and in at least LEARN_MIN_SHARE of them. Long lines
-- are prose: agency paragraphs reused across a site's stories must stay.
local LEARN_MIN_ARTICLES = 5
local LEARN_MIN_SHARE = 0.5
local LEARN_MAX_LEN = 100
local LEARN_MAX_WORDS = 12

-- The site an article comes from: its `site` field, the host of its URL, else its folder.
local function site_of(art, entry)
  local m = art.meta
  if type(m.site) == "string" then return m.site end
  for _, k in ipairs { "url", "canonical", "link", "source_url" } do
    local host = type(m[k]) == "string" and m[k]:match("^[Hh][Tt][Tt][Pp][Ss]?://([^/:?#]+)")
    if host then return host:lower() end
  end
  return entry.path:match("^(.*)/[^/]*$") or "."
end

-- The lines of body worth counting: trimmed, lower case, one space between words, each once.
local function candidate_lines(body, seen)
  for line in body:gmatch("[^\n]+") do
    local key = line:lower():gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")
    local _, words = key:gsub("%S+", "")
    if key ~= "" and #key <= LEARN_MAX_LEN and words <= LEARN_MAX_WORDS and
        not key:find("*", 1, true) and key:sub(1, 1) ~= "#" then
      seen[key] = true
    end
  end
  return seen
end

-- First pass over the inputs: each site's recurring lines, as a patterns string for
-- strip_boilerplate, reported on stderr with their counts.
local function learn(inputs, doc_opts, rep)
  local sites = {}
  for art in documents.each(inputs, doc_opts) do
    if art then
      local site = site_of(art, { path = art.source })
      local s = sites[site] or { articles = 0, lines = {} }
      sites[site] = s
      s.articles = s.articles + 1
      for key in pairs(candidate_lines(art.body, {})) do s.lines[key] = (s.lines[key] or 0) + 1 end
    end
  end
  local learned, names = {}, {}
  for site in pairs(sites) do names[#names + 1] = site end
  table.sort(names)
  for _, site in ipairs(names) do
    local s, list = sites[site], {}
    for key, n in pairs(s.lines) do
      if n >= LEARN_MIN_ARTICLES and n >= LEARN_MIN_SHARE * s.articles then list[#list + 1] = key end
    end
    table.sort(list)
    for _, key in ipairs(list) do
      rep:note(string.format("site %s: learned boilerplate '%s' (in %d of %d articles)", site, key,
        s.lines[key], s.articles))
    end
    if #list > 0 then learned[site] = table.concat(list, "\n") end
  end
  return learned
end

-- Reads the --boilerplate files into one patterns string, or returns nil and a message.
local function load_patterns(paths)
  local parts = {}
  for _, path in ipairs(paths) do
    local text, err = files.read(path)
    if not text then return nil, err end
    parts[#parts + 1] = text
  end
  return table.concat(parts, "\n")
end

-- The record of everything a run took out: one JSON object a line, { kind, reason, source,
-- text } (kind "article", "paragraph", "sentence", "line" or "meta").
local function reject(ctx, kind, reason, source, text)
  if not ctx.opts.rejects then return end
  local line = assert(cd.render({ meta = { kind = kind, reason = reason, source = source },
    body = text:match("^%s*(.-)%s*$") }, "json"))
  ctx.unit:write("rejects", line, "\n")
end

-- Counts and records the pieces a step removed from an article.
local function account(ctx, removed, source, reason, kind)
  for _, r in ipairs(removed) do
    ctx.rep:count_removed(reason or r.reason)
    reject(ctx, kind or "paragraph", reason or r.reason, source, r.text)
  end
end

-- The body steps, each switchable, in one call; returns the cleaned text. `kind` names what is
-- cleaned in the rejects ("paragraph" for the body, "description").
local function clean_text(text, ctx, source, site, kind)
  local o = ctx.clean_opts
  o.site_patterns = ctx.learned and ctx.learned[site]
  local counts, removed
  text, counts, removed = cd.clean(text, o)
  assert(text, counts)
  for reason, n in pairs(counts) do ctx.rep:count_removed(reason, n) end
  if removed then
    for _, r in ipairs(removed) do reject(ctx, kind, r.reason, source, r.text) end
  end
  return text
end

-- A description glued from the body's paragraphs is split at its seams (the raw body tells
-- where), cleaned as a body is, and put back on one line.
local function clean_description(desc, raw_body, ctx, source, site)
  local text, seams = cd.split_glued(desc, { body = raw_body })
  if #seams == 0 then return desc end
  ctx.rep:count_changed("glue", #seams)
  text = clean_text(text, ctx, source, site, "description")
  return (text:gsub("\n+", " "):gsub(" $", ""))
end

local function tidy_meta(art, raw_body, ctx, source, site)
  local opts = ctx.opts
  if opts.no_meta then return end
  local m = art.meta
  if not opts.no_glue and type(m.description) == "string" then
    m.description = clean_description(m.description, raw_body, ctx, source, site)
  end
  local _, notes = meta.tidy(m, { keep_generator_keys = opts.keep_generator_keys })
  for _, n in ipairs(notes) do
    if n.reason:find("^date%-") then
      ctx.rep:count_flagged(n.reason)
    else
      ctx.rep:count_changed(n.reason)
      reject(ctx, "meta", n.reason, source, n.key .. ": " .. tostring(n.value))
    end
  end
  if opts.derive_title and m.title == nil then m.title = meta.derive_title(art.body) end
end

local function clean_article(art, entry, ctx)
  local raw_body, site = art.body, ctx.learned and site_of(art, entry)
  local body = raw_body
  if not ctx.opts.no_glue then
    local seams
    body, seams = cd.split_glued(body)
    if #seams > 0 then ctx.rep:count_changed("glue", #seams) end
  end
  art.body = clean_text(body, ctx, entry.path, site, "paragraph")
  tidy_meta(art, raw_body, ctx, entry.path, site)
  return art
end

-- Runs user filters on art in order. Returns true and the article, or false once one dropped
-- or failed it (counted and recorded here).
local function run_filters(ctx, list, art)
  ctx.filtering = art.source
  for _, f in ipairs(list) do
    local res, why = filter.apply(f, art, ctx.filter_ctx)
    if res == nil then
      reject(ctx, "article", "filter-error", art.source, art.body)
      ctx.rep:count_failed("filter-error", why)
      return false
    elseif res == false then
      reject(ctx, "article", why, art.source, art.body)
      ctx.rep:count_dropped(why)
      return false
    end
    art = res
  end
  return true, art
end

local render_format = { jsonl = "json", ["front-matter"] = "front-matter", text = "text" }
-- One record of the inputs, as copydesk.documents yields it, into exactly one bucket. Article
-- files were repaired before parsing; a JSON record's body is repaired here.
local function process(ctx, art, err, reason, raw, source)
  local rep, opts = ctx.rep, ctx.opts
  rep:count_read()
  if not art then
    reject(ctx, "article", reason, source, raw or "")
    return rep:count_failed(reason, err)
  end
  if art.format == "json" then art.body = cd.fix(art.body) end
  local entry = { path = art.source, rel = art.rel }
  local ok
  ok, art = run_filters(ctx, ctx.filters_first, art)
  if not ok then return end
  clean_article(art, entry, ctx)
  ok, art = run_filters(ctx, ctx.filters, art)
  if not ok then return end
  if art.body == "" then
    reject(ctx, "article", "empty", entry.path, "")
    return rep:count_dropped("empty", entry.path .. ": nothing left after cleaning")
  end
  ok, art = run_filters(ctx, ctx.quality, art)
  if not ok then return end
  if opts.format == "jsonl" then art.meta.source = art.meta.source or art.source end
  if ctx.folder then
    local ok, werr, why = ctx.folder:write(art)
    if not ok then return rep:count_failed(why, werr) end
  else
    local text, ferr = cd.render(art, render_format[opts.format])
    if not text then return rep:count_failed("render", entry.path .. ": " .. ferr) end
    ctx.unit:write("out", text, opts.format == "jsonl" and "\n" or "")
  end
  rep:count_written()
end

-- The default work folder: hidden (".OUT.work" beside OUT, or ".clean.work" here for standard
-- output or a device such as /dev/null, beside which a user may not write), so a folder walk
-- never takes it for input, even when it lies inside an input folder.
local function work_folder(output)
  if output == nil or output == "-" or cd.path_type(output) == "other" then return ".clean.work" end
  local dir, base = path.split(output)
  return (dir == "" and "" or dir:gsub("/$", "") .. "/") .. "." .. base .. ".work"
end

local run_name = "clean" -- a filter script run directly is named for the script (--run-name)

local function fail(message)
  io.stderr:write("copydesk ", run_name, ": ", message, "\n")
  return 1
end

-- Each article makes many short-lived strings and tables: the generational collector is cheaper.
collectgarbage("generational")
local opts, inputs = cli.parse_or_usage(spec, { ... })
if not opts then return inputs end
run_name = opts.run_name or run_name
local jobs_n = opts.jobs and tonumber(opts.jobs)
if opts.jobs and (not jobs_n or jobs_n < 1 or jobs_n % 1 ~= 0) then
  io.stderr:write("copydesk ", run_name, ": option '--jobs' must be a positive whole number\n")
  return 2
end
local rep = report.new(run_name)
local ctx = { opts = opts, rep = jobs.report_proxy(rep) }
local doc_opts = { fix = true, text = opts.text_field, id = opts.id_field,
  max_article = opts.max_article }
local perr
ctx.patterns, perr = load_patterns(opts.boilerplate)
if not ctx.patterns then return fail(perr) end
-- Filters load once per process (workers load them again); a bad one is a usage error.
for _, key in ipairs { "filters_first", "filters" } do
  ctx[key] = {}
  for _, path in ipairs(opts[key == "filters" and "filter" or "filter_first"]) do
    local f, ferr = filter.load(path)
    if not f then
      io.stderr:write("copydesk ", run_name, ": ", ferr, "\n")
      return 2
    end
    table.insert(ctx[key], f)
  end
end
-- Each user filter's init (or finish) handler, in the order given; nil and a message on an error.
local function call_filters(which)
  for _, key in ipairs { "filters_first", "filters" } do
    for _, f in ipairs(ctx[key]) do
      local ok, ferr = filter.call(f, which)
      if not ok then return nil, ferr end
    end
  end
  return true
end
local started, serr = call_filters("init") -- in every process, before its first article
if not started then
  io.stderr:write("copydesk ", run_name, ": ", serr, "\n")
  return 2
end
-- The corpus filters run as a filter too: an article handler that drops by the first failed rule.
ctx.quality = {}
if #opts.quality_filter > 0 then
  ctx.quality[1] = assert(filter.new({ article = function(art)
    local rule = failed_rule(art.body, opts.quality_filter)
    if rule then return false, rule end
  end }, "clean"))
end
-- A paragraph or sentence a filter drops is counted and recorded as a built-in step's removal.
ctx.filter_ctx = { removed = function(kind, reason, text)
  account(ctx, { { text = text } }, ctx.filtering, reason, kind)
end }
-- Options tables made once, not once an article.
ctx.clean_opts = { boilerplate = not opts.no_boilerplate, patterns = ctx.patterns,
  captions = not opts.no_captions, keep_unique = opts.keep_unique_captions,
  repeats = not opts.no_repeats, removed = opts.rejects ~= nil }
local out = opts.output ~= "-" and opts.output or nil
if opts.format ~= "jsonl" and out then
  ctx.folder = documents.writer(out, opts.format)
  out = false
end
local tally, err = jobs.run {
  name = "clean " .. jobs.run_name({ ... }), inputs = inputs, documents = doc_opts,
  outputs = { "out", "rejects" }, targets = { out = out, rejects = opts.rejects or false },
  process = function(unit, ...)
    ctx.unit, ctx.rep.unit = unit, unit
    process(ctx, ...)
  end,
  jobs = jobs_n, resume = opts.resume, shard = opts.shard,
  work = opts.work or work_folder(opts.output),
  command = { arg[-1], arg[0], ... },
  progress = not opts.shard and progress.new { quiet = opts.quiet,
    total = function() return documents.total_size(inputs) end } or nil,
  -- Learning is a pass over all the inputs: the parent makes it once for every worker.
  share = opts.learn_boilerplate and function() return learn(inputs, doc_opts, rep) end or nil,
  receive = function(learned) ctx.learned = learned end,
}
local finished, ferr = call_filters("finish") -- in every process, after its last article
if not finished then io.stderr:write("copydesk ", run_name, ": ", ferr, "\n") end
if opts.shard then return tally and finished and 0 or 1 end
if not tally then return fail(err) end
rep:merge(tally)
if opts.stats then
  local s, serr = documents.stream(opts.stats)
  if not s or not s:write(rep:stats_json()) then return fail(tostring(serr)) end
  local ok, cerr = s:commit()
  if not ok then return fail(cerr) end
end
local status = rep:finish()
return finished and status or 1
