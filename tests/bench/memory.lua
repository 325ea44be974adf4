-- make bench: peak memory (issues 4, 6 and 7). Each figure is the peak resident size of one
-- command (GNU time's %M, median of 3 runs) less that of the command doing nothing in this run:
--   fix: one line of 1 MB and of 10 MB among short ones, the extra as a multiple of that line
--        (a small constant when memory follows the longest line, not the file);
--   clean: a corpus of JSON lines at 12 MB and at 100 MB (the same articles), the extra of the
--        large over the small (about 1 when memory does not grow with the corpus);
--   clean: a folder whose largest article is 1 MB and 10 MB, the extra as a multiple of it.
local cd = require "copydesk"
package.path = "tests/bench/lib/?.lua;" .. package.path
local bench = require "bench"
local documents = require "copydesk.documents"

local build = arg[1] or "build"
local RUNS = 3
local MB = 1000 * 1000

local work = os.tmpname()
os.remove(work)
assert(cd.mkdir(work) and cd.mkdir(work .. "/one") and cd.mkdir(work .. "/ten"))

local median = bench.median

-- Peak resident size of `cmd` in bytes; exit status 1 (something dropped or failed) still did
-- the work.
local function peak(cmd)
  local runs = {}
  for i = 1, RUNS do
    local ok, how, code = os.execute(string.format(
      "/usr/bin/time -o %s/rss -f %%M %s >/dev/null 2>&1", work, cmd))
    if not ok and not (how == "exit" and code == 1) then error("failed: " .. cmd) end
    local f = assert(io.open(work .. "/rss"))
    runs[i] = tonumber(f:read("a"):match("(%d+)%s*$")) * 1024
    f:close()
  end
  return median(runs)
end

local function write(path, ...)
  local f = assert(io.open(path, "wb"))
  f:write(...)
  assert(f:close())
end

local sentence =
  "The harbour ferry left at nine and the mayor said the crossing cost \xc3\x82\xc2\xa3500. "
local base = peak(build .. "/copydesk -e ''")
print(string.format("peak resident size less that of `copydesk -e ''` (%.1f MB), median of %d runs",
  base / MB, RUNS))

-- fix: the longest line decides.
local short = (sentence .. "\n"):rep(2000)
local fix_extra = {}
for _, size in ipairs { MB, 10 * MB } do
  local path = string.format("%s/fix-%d.txt", work, size)
  write(path, short, sentence:rep(size // #sentence), "\n", short)
  fix_extra[size] = peak(string.format("%s/copydesk fix %s", build, path)) - base
end
print(string.format("%-50s %8.1f %8.1f", "fix: extra / longest line (1 MB, 10 MB)",
  fix_extra[MB] / MB, fix_extra[10 * MB] / (10 * MB)))

-- clean over JSON lines: the corpus size must not matter.
local records = {}
for art in documents.each { "tests/fixtures/articles" } do
  if art then records[#records + 1] = cd.render(art, "json"):gsub("\n?$", "\n") end
end
local block = table.concat(records)
local small, large = work .. "/small.jsonl", work .. "/large.jsonl"
local f = assert(io.open(small, "wb"))
for _ = 1, math.ceil(12 * MB / #block) do f:write(block) end
assert(f:close())
f = assert(io.open(large, "wb"))
for _ = 1, 8 * math.ceil(12 * MB / #block) do f:write(block) end
assert(f:close())
local out = work .. "/out.jsonl"
local function clean_extra_of(input)
  local cmd = string.format("%s/copydesk clean --jobs 1 --quiet -o %s %s", build, out, input)
  return peak(cmd) - base
end
local small_extra, large_extra = clean_extra_of(small), clean_extra_of(large)
print(string.format("%-50s %8.1f %8.1f %8.2f", "clean JSON lines: extra MB at 12, 100 MB; ratio",
  small_extra / MB, large_extra / MB, large_extra / small_extra))

-- clean over a folder: the largest article decides.
local article = "---\ntitle: A long one\n---\n"
local paragraph = sentence:rep(8) .. "\n\n"
local clean_extra = {}
for _, size in ipairs { MB, 10 * MB } do
  local dir = work .. (size == MB and "/one" or "/ten")
  for i = 1, 50 do write(string.format("%s/a%02d.md", dir, i), article, paragraph:rep(4)) end
  write(dir .. "/big.md", article, paragraph:rep(size // #paragraph))
  clean_extra[size] = clean_extra_of(dir)
end
print(string.format("%-50s %8.1f %8.1f", "clean folder: extra / largest article (1, 10 MB)",
  clean_extra[MB] / MB, clean_extra[10 * MB] / (10 * MB)))

for _, dir in ipairs { "/one", "/ten" } do
  for name in cd.dir(work .. dir) do os.remove(work .. dir .. "/" .. name) end
  os.remove(work .. dir)
end
for _, name in ipairs { "rss", "small.jsonl", "large.jsonl", "out.jsonl", "fix-1000000.txt",
  "fix-10000000.txt" } do
  os.remove(work .. "/" .. name)
end
os.remove(work)
