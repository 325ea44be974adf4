-- make bench: time on pathological input grows linearly with its size (issue 10). Each input
-- is cleaned by `copydesk clean --jobs 1` as ten articles of 1 MB in one run and as one article
-- of 10 MB in another, median of 5 runs each: the same bytes and one process start-up each, so
-- the ratio of the time per article, 10 MB / 1 MB, is about 10 when the work is linear and about
-- 100 when it is quadratic. The times are also given as multiples of reading the same files in
-- this run, so they compare across machines.
local cd = require "copydesk"
package.path = "tests/bench/lib/?.lua;" .. package.path
local bench = require "bench"

local build = arg[1] or "build"
local RUNS = 5
local MB = 1000 * 1000

-- Each input is a unit repeated to the size, after `head` when given (the base letter that the
-- combining marks pile onto).
local INPUTS = {
  { "no newline", "The harbour ferry left at nine and nobody on the quay said a word. " },
  { "&amp; run", "&amp;" },
  { "combining marks", "\xcc\x81", head = "e" }, -- U+0301 after one base letter
  { "\xc3\x83 run", "\xc3\x83" },                 -- "Ã", the first byte of much mojibake
  { "periods", "." },
  { "&amp; no space", "a&amp;b" },
}

-- A folder of our own for the inputs and clean's output (and its work folder beside it).
local work = os.tmpname()
os.remove(work)
assert(cd.mkdir(work .. "/small") and cd.mkdir(work .. "/large"))
local output = work .. "/out.jsonl"

local function write_input(path, unit, size, head)
  local f = assert(io.open(path, "wb"))
  local block = unit:rep(math.max(1, 65536 // #unit))
  local n = 0
  if head then
    f:write(head)
    n = #head
  end
  while n + #block <= size do
    f:write(block)
    n = n + #block
  end
  f:write(unit:rep((size - n) // #unit))
  assert(f:close())
end

local function time(fn) return bench.time_wall(fn, RUNS) end

local function read_all(paths)
  for _, path in ipairs(paths) do
    local f = assert(io.open(path, "rb"))
    f:read("a")
    f:close()
  end
end

-- Runs clean on a folder; exit status 1 (an article failed or was dropped) still did the work.
local function clean(folder)
  local ok, how, code = os.execute(build .. "/copydesk clean --jobs 1 --quiet -o " .. output ..
    " " .. folder .. " 2>/dev/null")
  if not ok and not (how == "exit" and code == 1) then error("clean failed on " .. folder) end
end

print(string.format("copydesk clean, 10 x 1 MB and 1 x 10 MB in one process each, median of %d " ..
  "runs; time per article as multiples of reading it", RUNS))
print(string.format("%-18s %12s %12s %14s", "input", "1 MB / read", "10 MB / read",
  "10 MB / 1 MB"))
local small, large = {}, { work .. "/large/a.txt" }
for i = 1, 10 do small[i] = string.format("%s/small/a%02d.txt", work, i) end
for _, input in ipairs(INPUTS) do
  for _, path in ipairs(small) do write_input(path, input[2], MB, input.head) end
  write_input(large[1], input[2], 10 * MB, input.head)
  local read_small, read_large = time(function() read_all(small) end) / 10,
    time(function() read_all(large) end)
  local t_small = time(function() clean(work .. "/small") end) / 10
  local t_large = time(function() clean(work .. "/large") end)
  print(string.format("%-18s %12.1f %12.1f %14.1f", input[1], t_small / read_small,
    t_large / read_large, t_large / t_small))
end
for _, path in ipairs(small) do os.remove(path) end
os.remove(large[1])
os.remove(output)
os.remove(work .. "/small")
os.remove(work .. "/large")
os.remove(work)
