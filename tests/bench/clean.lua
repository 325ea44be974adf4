-- make bench: throughput of each operation as a ratio to reading the same input in the same run.
-- Machines here are shared and noisy: every figure is the median of several runs, and only the
-- ratios to the baseline are comparable between runs.
local cd = require "copydesk"
package.path = "tests/bench/lib/?.lua;" .. package.path
local bench = require "bench"
local files = require "copydesk.files"

local RUNS = 5
local TARGET = 20 * 1000 * 1000
local build = arg[1] or "build"

local median = bench.median

local function now()
  local p = io.popen("date +%s.%N")
  local t = tonumber(p:read("l"))
  p:close()
  return t
end

-- The fixture articles, and the shared sample articles when they are there (news articles of a
-- usual length: the fixtures alone are short, so per-article costs weigh more than in a real
-- corpus), repeated into a folder of about TARGET bytes.
local function make_corpus(dir)
  local articles, inputs = {}, { "tests/fixtures/articles" }
  if cd.path_type("../shared/seeds") == "folder" then inputs[2] = "../shared/seeds" end
  for _, e in ipairs(files.expand(inputs)) do
    if e.rel ~= "README.md" then
      articles[#articles + 1] = { name = e.rel:gsub("/", "-"), text = assert(files.read(e.path)) }
    end
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
  return total, n, table.concat(inputs, " + ")
end

-- Times fn over RUNS runs; returns the median seconds. CPU time for in-process work.
local function time_cpu(fn) return (bench.time_cpu(fn, RUNS)) end

local function time_wall(cmd, runs)
  local t = {}
  for i = 1, runs or RUNS do
    local s = now()
    assert(os.execute(cmd))
    t[i] = now() - s
  end
  return median(t)
end

local dir = os.tmpname()
os.remove(dir)
local bytes, count, sources = make_corpus(dir)
local paths = files.expand { dir }
local texts = {}
for i, e in ipairs(paths) do texts[i] = assert(files.read(e.path)) end

local rows = {}
local function row(name, seconds, base)
  rows[#rows + 1] = { name = name, mbs = bytes / seconds / 1e6, ratio = base and base / seconds,
    seconds = seconds }
end

local read = time_cpu(function() for _, e in ipairs(paths) do files.read(e.path) end end)
row("read the files (baseline)", read)
row("fix", time_cpu(function() for _, t in ipairs(texts) do cd.fix(t) end end), read)
row("fix + parse", time_cpu(function() for _, t in ipairs(texts) do cd.parse(cd.fix(t)) end end), read)
local bodies = {}
for i, t in ipairs(texts) do bodies[i] = cd.parse(cd.fix(t)).body end
row("clean steps on bodies (in process)", time_cpu(function()
  for _, body in ipairs(bodies) do cd.quality(assert(cd.clean((cd.split_glued(body))))) end
end), read)
local cat = time_wall("cat " .. dir .. "/* >/dev/null")
row("cat the folder (baseline, wall)", cat)
-- Each run gets its own work folder: the default one for -o /dev/null (/dev/.null.work) is shared
-- with any other bench running on the machine.
local work = os.tmpname()
os.remove(work)
local clean = build .. "/copydesk clean " .. dir .. " -o /dev/null --work " .. work .. " 2>/dev/null"
local STEPS_OFF = " --no-glue --no-boilerplate --no-captions --no-repeats --no-meta"
local ALL_FILTERS = " --quality-filter gopher --quality-filter c4 --quality-filter fineweb"

-- CPU seconds (user + system) of a command and its children, the median of RUNS, as bash's `time`
-- reports them: on a shared machine other work lengthens a run's wall time, hardly its CPU time.
local function time_cmd_cpu(cmd)
  local t = {}
  for i = 1, RUNS do
    local p = assert(io.popen("bash -c 'TIMEFORMAT=\"%3U %3S\"; { time " .. cmd ..
      " >/dev/null 2>&1; } 2>&1'"))
    local user, sys = p:read("a"):match("([%d.]+) ([%d.]+)%s*$")
    p:close()
    t[i] = tonumber(user) + tonumber(sys)
  end
  return median(t)
end

-- One core (issue 6: at least 50 MB/s with every step on): --jobs 1 runs in CPU time, against a
-- process of the same command that only reads the files, and against parsing alone.
local reader = os.tmpname()
do
  local f = assert(io.open(reader, "w"))
  f:write('local files = require "copydesk.files"\n',
    'for _, e in ipairs(files.expand { ... }) do files.read(e.path) end\n')
  f:close()
end
local read1 = time_cmd_cpu(build .. "/copydesk " .. reader .. " " .. dir)
row("read the files, one process (CPU)", read1)
local off_cpu = time_cmd_cpu(clean .. " --jobs 1" .. STEPS_OFF)
row("clean --jobs 1, every step off (CPU)", off_cpu, read1)
local every_cpu = time_cmd_cpu(clean .. " --jobs 1" .. ALL_FILTERS)
row("clean --jobs 1, all steps+filters (CPU)", every_cpu, read1)
rows[#rows].vs_parse = off_cpu / every_cpu
os.remove(reader)

local parse_only = time_wall(clean .. STEPS_OFF)
row("clean, every step off: parsing alone", parse_only, cat)
local every = time_wall(clean .. ALL_FILTERS)
row("clean, every step on, all filters", every, cat)
rows[#rows].vs_parse = parse_only / every
row("clean, default steps", time_wall(clean), cat)
rows[#rows].vs_parse = parse_only / rows[#rows].seconds

-- User filters (issue 8): the plumbing of a filter that changes nothing against every step off,
-- a Lua paragraph handler, and --jobs 2 against --jobs 1 with a user filter.
local scripts = os.tmpname()
os.remove(scripts)
assert(cd.mkdir(scripts))
local function script(name, text)
  local f = assert(io.open(scripts .. "/" .. name, "w"))
  f:write(text)
  f:close()
  return scripts .. "/" .. name
end
local nothing = script("nothing.lua", "return { article = function() end }\n")
local upper = script("paragraph.lua",
  "return { paragraph = function(text, kind) if kind == 'heading' then return text:upper() end end }\n")
local function run_filter(path, jobs)
  return time_wall(build .. "/copydesk " .. path .. " " .. dir .. " -o /dev/null --work " .. work ..
    " --jobs " .. jobs .. " 2>/dev/null")
end
local off1 = time_wall(clean .. " --jobs 1" .. STEPS_OFF)
row("clean, every step off, --jobs 1", off1, cat)
row("filter changing nothing, --jobs 1", run_filter(nothing, 1), cat)
rows[#rows].vs_off = off1 / rows[#rows].seconds
local para1 = run_filter(upper, 1)
row("filter, Lua paragraph handler, --jobs 1", para1, cat)
rows[#rows].vs_off = off1 / para1

-- --jobs 2 against --jobs 1 (issues 7 and 8: at least 1.8x). Other work on a shared machine
-- comes and goes within seconds, so the two are run in turns (which goes first alternates),
-- JOBS_RUNS pairs, and the figure is the median of each pair's ratio: a pair shares its
-- moment's load.
local JOBS_RUNS = 11
local function jobs_pairs(name, cmd)
  local ratios, seconds = {}, {}
  for i = 1, JOBS_RUNS do
    local one, two
    if i % 2 == 1 then one = time_wall(cmd .. " --jobs 1", 1) end
    two = time_wall(cmd .. " --jobs 2", 1)
    one = one or time_wall(cmd .. " --jobs 1", 1)
    seconds[i], ratios[i] = two, one / two
  end
  row(name .. ", --jobs 2", median(seconds), cat)
  rows[#rows].vs_jobs1 = median(ratios)
end
jobs_pairs("filter, Lua paragraph handler", build .. "/copydesk " .. upper .. " " .. dir ..
  " -o /dev/null --work " .. work .. " 2>/dev/null")
jobs_pairs("clean, default steps", clean)

os.execute("rm -rf '" .. scripts .. "'")
os.execute("rm -rf '" .. dir .. "' '" .. work .. "'")
print(string.format("corpus: %d articles from %s, %.1f MB; median of %d runs", count, sources,
  bytes / 1e6, RUNS))
for _, r in ipairs(rows) do
  print(string.format("%-40s %9.1f MB/s  %s%s%s%s", r.name, r.mbs,
    r.ratio and string.format("%6.3fx baseline", r.ratio) or "  baseline",
    r.vs_parse and string.format(", %5.3fx parsing alone", r.vs_parse) or "",
    r.vs_off and string.format(", %5.3fx every step off", r.vs_off) or "",
    r.vs_jobs1 and string.format(", %5.3fx --jobs 1", r.vs_jobs1) or ""))
end
