-- make bench: reading and writing JSON lines (plain, gzip, zstd) in MB/s of uncompressed text,
-- each as a ratio to cat, zcat or zstd -dc (reading) and gzip -c or zstd -c (writing) of the same
-- file in the same run. Every figure is the median of several runs (wall clock).
local cd = require "copydesk"
package.path = "tests/bench/lib/?.lua;" .. package.path
local bench = require "bench"
local documents = require "copydesk.documents"

local RUNS = 5
local TARGET = 50 * 1000 * 1000

local median = bench.median

local function time(fn) return bench.time_wall(fn, RUNS) end

local function shell(cmd) return function() assert(os.execute(cmd)) end end

-- About TARGET bytes of news-length records (2 to 4 KB of words, a title and an id each).
local function make_corpus(path)
  local words = { "the", "ferry", "council", "said", "on", "Tuesday", "that", "harbour", "fees",
    "would", "rise", "by", "3.5%", "café", "résumé", "storm", "warning", "ministry", "of", "and" }
  local seed, total, n = 1, 0, 0
  local s = assert(documents.stream(path))
  while total < TARGET do
    n = n + 1
    local body = {}
    for i = 1, 400 + seed % 300 do
      seed = (seed * 1103515245 + 12345) % 2147483648
      body[i] = words[1 + seed % #words] .. (seed % 23 == 0 and ".\n\n" or "")
    end
    local line = assert(cd.render({ meta = { id = "a" .. n, title = "Story " .. n },
      body = table.concat(body, " ") }, "json"))
    assert(s:write(line, "\n"))
    total = total + #line + 1
  end
  assert(s:commit())
  return total, n
end

local dir = os.tmpname()
os.remove(dir)
assert(cd.mkdir(dir))
local plain = dir .. "/corpus.jsonl"
local bytes, count = make_corpus(plain)
local q = "'" .. dir .. "'"
assert(os.execute("gzip -6 -n -c " .. q .. "/corpus.jsonl > " .. q .. "/corpus.jsonl.gz"))
assert(os.execute("zstd -q -3 -c " .. q .. "/corpus.jsonl > " .. q .. "/corpus.jsonl.zst"))

local rows = {}
local function row(name, seconds, base)
  rows[#rows + 1] = { name = name, mbs = bytes / seconds / 1e6, ratio = base and base / seconds }
end

local function read_lines(path)
  return function() for _ in cd.lines(path) do end end
end

local function read_records(path)
  return function() for art in documents.each({ path }) do assert(art) end end
end

local function rewrite(path)
  return function()
    local w = assert(documents.writer(path, "jsonl"))
    for art in documents.each({ plain }) do assert(w:write(art)) end
    assert(w:close())
  end
end

for _, c in ipairs {
  { "plain", "", "cat " },
  { "gzip", ".gz", "zcat " },
  { "zstd", ".zst", "zstd -q -dc " },
} do
  local path = plain .. c[2]
  local base = time(shell(c[3] .. q .. "/corpus.jsonl" .. c[2] .. " >/dev/null"))
  row(c[1] .. ": " .. c[3] .. "(baseline)", base)
  row(c[1] .. ": copydesk.lines", time(read_lines(path)), base)
  row(c[1] .. ": documents.each (lines + JSON)", time(read_records(path)), base)
end

for _, c in ipairs {
  { "plain", "", "cat " },
  { "gzip", ".gz", "gzip -6 -n -c " },
  { "zstd", ".zst", "zstd -q -3 -c " },
} do
  local base = time(shell(c[3] .. q .. "/corpus.jsonl >/dev/null"))
  row("write " .. c[1] .. ": " .. c[3] .. "(baseline)", base)
  local t = time(rewrite(dir .. "/out.jsonl" .. c[2]))
  row("write " .. c[1] .. ": read, parse and write each record", t, base)
end

-- --jobs: the jobs test recipe with half a millisecond of busy work a record (clean's cost for a
-- news article is of that order), over the first 4000 records, --jobs 2 against --jobs 1. Other
-- work on a shared machine comes and goes within seconds, so the two run in turns (which goes
-- first alternates), JOBS_RUNS pairs, and the ratio is the median of the pairs' ratios.
local JOBS_RUNS = 11
local build = arg[1] or "build"
local sample = dir .. "/sample.jsonl"
assert(os.execute("head -n 4000 " .. q .. "/corpus.jsonl > '" .. sample .. "'"))
local function jobs_run(n)
  local s = cd.clock()
  assert(os.execute(build .. "/copydesk tests/fixtures/jobs/recipe.lua '" .. sample .. "' -o " ..
    q .. "/jobs.jsonl --delay 0.0005 --jobs " .. n .. " 2>/dev/null"))
  return cd.clock() - s
end
local ones, twos, ratios = {}, {}, {}
for i = 1, JOBS_RUNS do
  if i % 2 == 1 then ones[i] = jobs_run(1) end
  twos[i] = jobs_run(2)
  ones[i] = ones[i] or jobs_run(1)
  ratios[i] = ones[i] / twos[i]
end
local one, two, ratio = median(ones), median(twos), median(ratios)

os.execute("rm -rf " .. q)
print(string.format("corpus: %d records, %.1f MB of JSON lines; median of %d runs", count,
  bytes / 1e6, RUNS))
print(string.format("%-50s %8.2f s, --jobs 2: %.2f s, %.3fx --jobs 1 (%d cores; median of %d pairs)",
  "jobs recipe, 4000 records, 0.5 ms each: --jobs 1", one, two, ratio, cd.cpu_count(), JOBS_RUNS))
for _, r in ipairs(rows) do
  print(string.format("%-50s %8.1f MB/s  %s", r.name, r.mbs,
    r.ratio and string.format("%6.3fx baseline", r.ratio) or "  baseline"))
end
