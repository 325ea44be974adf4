-- stats: summarise articles: counts, length and quality histograms, most common removed lines
local cd = require "copydesk"
local cli = require "copydesk.cli"
local documents = require "copydesk.documents"
local files = require "copydesk.files"
local report = require "copydesk.report"

local spec = {
  name = "stats",
  usage = "copydesk stats INPUT... [--top N] [--raw]",
  description = "Summarises article files (folders are walked): how many parse and in which\n" ..
    "format, words per article and the quality measures of copydesk.quality as terminal\n" ..
    "histograms, what cleaning removes by reason and the lines it removes most often.\n" ..
    "Articles are measured after the removals of clean (boilerplate, captions, repeats)\n" ..
    "unless --raw.",
  min_args = 1,
  options = {
    { long = "--top", arg = "N", default = "10", help = "how many removed lines to list (default 10)" },
    { long = "--raw", help = "measure the bodies as found, without removing anything" },
  },
}

local BAR = 40 -- the longest bar, in characters

-- The quality measures shown, each a share between 0 and 1 (or a ratio, capped at 1 for the
-- histogram) and what it means.
local shares = {
  { "alpha_words", "words holding a letter" },
  { "punct_lines", "lines ending in punctuation" },
  { "short_lines", "lines under 30 characters" },
  { "dup_line_chars", "characters in repeated lines" },
  { "top_2gram_chars", "characters in the top 2-gram" },
  { "dup_5gram_chars", "characters in repeated 5-grams" },
  { "c4_kept_lines", "lines C4's line rules keep" },
}

local function median(sorted)
  if #sorted == 0 then return 0 end
  return sorted[(#sorted + 1) // 2]
end

local function bar(n, most)
  if most == 0 then return "" end
  local w = math.floor(n / most * BAR + 0.5)
  if n > 0 and w == 0 then w = 1 end
  return string.rep("#", w)
end

-- Prints a histogram of counts over labelled buckets.
local function histogram(labels, counts)
  local most = 0
  for _, c in ipairs(counts) do most = math.max(most, c) end
  for i, label in ipairs(labels) do
    io.write(string.format("  %-17s |%-" .. BAR .. "s %d\n", label, bar(counts[i], most), counts[i]))
  end
end

-- Words per article in buckets doubling from 50: the length scale of news, from briefs to longreads.
local function length_histogram(values)
  local edges = { 0, 50, 100, 200, 400, 800, 1600, 3200 }
  local labels, counts = {}, {}
  for i, lo in ipairs(edges) do
    labels[i] = edges[i + 1] and string.format("%d-%d", lo, edges[i + 1] - 1) or string.format("%d+", lo)
    counts[i] = 0
  end
  for _, v in ipairs(values) do
    local k = #edges
    while v < edges[k] do k = k - 1 end
    counts[k] = counts[k] + 1
  end
  histogram(labels, counts)
end

-- A share in ten buckets of 0.1 (1.0 goes in the last).
local function share_histogram(values)
  local labels, counts = {}, {}
  for i = 1, 10 do
    labels[i] = string.format("%.1f-%.1f", (i - 1) / 10, i / 10)
    counts[i] = 0
  end
  for _, v in ipairs(values) do
    local k = math.min(10, math.floor(math.min(v, 1) * 10) + 1)
    counts[k] = counts[k] + 1
  end
  histogram(labels, counts)
end

local function summary_line(name, sorted)
  local sum = 0
  for _, v in ipairs(sorted) do sum = sum + v end
  local mean = #sorted > 0 and sum / #sorted or 0
  local fmt = math.type(sorted[1]) == "integer" and "%d" or "%.3f"
  io.write(string.format("%s: min " .. fmt .. ", median " .. fmt .. ", mean %.3f, max " .. fmt .. "\n", name,
    sorted[1] or 0, median(sorted), mean, sorted[#sorted] or 0))
end

-- The removals of clean, counted by reason; each removed text counted by its trimmed form.
local function strip(body, removed_by, lines)
  local steps = {
    function(t) return cd.strip_boilerplate(t) end,
    function(t) return cd.strip_captions(t) end,
    function(t) return cd.strip_repeats(t) end,
  }
  for _, step in ipairs(steps) do
    local removed
    body, removed = step(body)
    for _, r in ipairs(removed) do
      removed_by[r.reason] = (removed_by[r.reason] or 0) + 1
      local text = r.text:match("^%s*(.-)%s*$")
      lines[text] = (lines[text] or 0) + 1
    end
  end
  return body
end

local function by_count(counts)
  local list = {}
  for k, n in pairs(counts) do list[#list + 1] = { k, n } end
  table.sort(list, function(a, b) return a[2] > b[2] or (a[2] == b[2] and a[1] < b[1]) end)
  return list
end

-- Shortens a removed text for one line of output, escaping newlines.
local function shorten(s)
  s = s:gsub("\n", "\\n")
  if #s > 60 then s = s:sub(1, 57):gsub("[\x80-\xBF]*$", ""):gsub("[\xC0-\xFF]$", "") .. "..." end
  return s
end

for _, o in ipairs(documents.options) do spec.options[#spec.options + 1] = o end
local opts, inputs = cli.parse_or_usage(spec, { ... })
if not opts then return inputs end
local top = math.tointeger(tonumber(opts.top))
if not top or top < 0 then
  io.stderr:write("copydesk stats: option '--top' must be a whole number, got '", opts.top, "'\n")
  return 2
end

local rep = report.new("stats")
local formats, words, measures, removed_by, removed_lines = {}, {}, {}, {}, {}
for _, m in ipairs(shares) do measures[m[1]] = {} end
for _, entry in ipairs(files.expand(inputs)) do
  rep:count_read()
  local raw, rerr, why
  if not entry.err then
    raw, rerr, why = files.read(entry.path, opts.max_article or documents.MAX_ARTICLE)
  end
  local art, perr
  if raw then art, perr = cd.parse(cd.fix(raw), entry.path) end
  if entry.err or not raw then
    rep:count_failed(why or "read", entry.err or rerr)
  elseif not art then
    rep:count_failed("parse", perr)
  else
    formats[art.format] = (formats[art.format] or 0) + 1
    local body = opts.raw and art.body or strip(art.body, removed_by, removed_lines)
    local q = cd.quality(assert(cd.normalize_space(body)))
    q.c4_kept_lines = q.lines > 0 and q.c4_lines / q.lines or 0
    words[#words + 1] = q.words
    for _, m in ipairs(shares) do table.insert(measures[m[1]], q[m[1]]) end
    rep:count_written()
  end
end

local parts = {}
for _, f in ipairs(by_count(formats)) do parts[#parts + 1] = f[1] .. " " .. f[2] end
io.write(string.format("articles: %d read, %d measured, %d failed%s\n", rep.read, rep.written, rep.failed,
  #parts > 0 and " (" .. table.concat(parts, ", ") .. ")" or ""))
table.sort(words)
io.write("\n")
summary_line(opts.raw and "words per article" or "words per article after cleaning", words)
length_histogram(words)
for _, m in ipairs(shares) do
  local values = measures[m[1]]
  table.sort(values)
  io.write("\n")
  summary_line(m[1] .. " (" .. m[2] .. ")", values)
  share_histogram(values)
end
if not opts.raw then
  io.write("\nremoved:")
  local list = by_count(removed_by)
  if #list == 0 then io.write(" nothing") end
  for i, r in ipairs(list) do io.write(i > 1 and "," or "", " ", r[1], " ", r[2]) end
  io.write("\n")
  local lines = by_count(removed_lines)
  if #lines > 0 and top > 0 then io.write("most often removed:\n") end
  for i = 1, math.min(top, #lines) do
    io.write(string.format("  %5d  %s\n", lines[i][2], shorten(lines[i][1])))
  end
end
return rep:finish()
