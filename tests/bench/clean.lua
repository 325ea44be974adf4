-- make bench: throughput of each operation as a ratio to reading the same input in the same run.
-- Machines here are shared and noisy: every figure is the median of several runs, and only the
-- ratios to the baseline are comparable between runs.
local cd = require "copydesk"
local files = require "copydesk.files"

local RUNS = 5
local TARGET = 20 * 1000 * 1000
local build = arg[1] or "build"

local function median(t)
  table.sort(t)
  return t[(#t + 1) // 2]
end

local function now()
  local p = io.popen("date +%s.%N")
  local t = tonumber(p:read("l"))
  p:close()
  return t
end

-- The fixture articles repeated into a folder of about TARGET bytes.
local function make_corpus(dir)
  local articles = {}
  for _, e in ipairs(files.expand { "tests/fixtures/articles" }) do
    articles[#articles + 1] = { name = e.rel, text = assert(files.read(e.path)) }
  end
  assert(cd.mkdir(dir))
  local total, n = 0, 0
  while total < TARGET do
    for _, a in ipairs(articles) do
      n = n + 1
      local f = assert(io.open(string.format("%s/%06d-%s", dir, n, a.name), "wb"))
      f:write(a.text)
      f:close()
      total = total + #a.text
    end
  end
  return total, n
end

-- Times fn over RUNS runs; returns the median seconds. CPU time for in-process work.
local function time_cpu(fn)
  local t = {}
  for i = 1, RUNS do
    local c = os.clock()
    fn()
    t[i] = os.clock() - c
  end
  return median(t)
end

local function time_wall(cmd)
  local t = {}
  for i = 1, RUNS do
    local s = now()
    assert(os.execute(cmd))
    t[i] = now() - s
  end
  return median(t)
end

local dir = os.tmpname()
os.remove(dir)
local bytes, count = make_corpus(dir)
local paths = files.expand { dir }
local texts = {}
for i, e in ipairs(paths) do texts[i] = assert(files.read(e.path)) end

local rows = {}
local function row(name, seconds, base)
  rows[#rows + 1] = { name = name, mbs = bytes / seconds / 1e6, ratio = base and base / seconds }
end

local read = time_cpu(function() for _, e in ipairs(paths) do files.read(e.path) end end)
row("read the files (baseline)", read)
row("fix", time_cpu(function() for _, t in ipairs(texts) do cd.fix(t) end end), read)
row("fix + parse", time_cpu(function() for _, t in ipairs(texts) do cd.parse(cd.fix(t)) end end), read)
row("clean steps on bodies", time_cpu(function()
  for _, t in ipairs(texts) do
    local body = cd.strip_boilerplate(t)
    cd.normalize_space((cd.strip_captions(body)))
  end
end), read)
local cat = time_wall("cat " .. dir .. "/* >/dev/null")
row("cat the folder (baseline, wall)", cat)
row("copydesk clean, end to end (wall)",
  time_wall(build .. "/copydesk clean " .. dir .. " -o /dev/null 2>/dev/null"), cat)

os.execute("rm -rf '" .. dir .. "'")
print(string.format("corpus: %d articles, %.1f MB; median of %d runs", count, bytes / 1e6, RUNS))
for _, r in ipairs(rows) do
  print(string.format("%-36s %9.1f MB/s  %s", r.name, r.mbs,
    r.ratio and string.format("%6.3fx baseline", r.ratio) or "  baseline"))
end
