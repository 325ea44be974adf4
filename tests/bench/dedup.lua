-- make bench: MinHash signatures, shingle keys and the near-duplicate index, in articles per
-- second, as a ratio to reading the same files in the same run, and the index adds as a ratio
-- to the add by signatures alone; and the index's memory per article beside the size of a
-- signature, each in a fresh process. Medians of several runs.
local cd = require "copydesk"
package.path = "tests/bench/lib/?.lua;" .. package.path
local bench = require "bench"
local files = require "copydesk.files"

local RUNS = 5
local ARTICLES = 5000
local WORDS = 500 -- news length
local build = arg[1] or "build"

local median = bench.median

local function time_cpu(fn) return (bench.time_cpu(fn, RUNS)) end

-- The words of the fixture articles, to draw from.
local function vocabulary()
  local words = {}
  for _, e in ipairs(files.expand { "tests/fixtures/articles", "tests/fixtures/dedup" }) do
    for w in cd.words(assert(files.read(e.path))) do words[#words + 1] = w end
  end
  return words
end

-- A folder of ARTICLES distinct articles of WORDS words in paragraphs, a fifth of them edited
-- copies of an earlier one (a few words changed), as a news corpus has.
local function make_corpus(dir)
  local vocab, texts = vocabulary(), {}
  math.randomseed(7)
  assert(cd.mkdir(dir))
  for i = 1, ARTICLES do
    local w = {}
    if i > 1 and math.random(5) == 1 then
      for word in texts[math.random(i - 1)]:gmatch("%S+") do w[#w + 1] = word end
      for _ = 1, 3 do w[math.random(#w)] = vocab[math.random(#vocab)] end
    else
      for k = 1, WORDS do w[k] = vocab[math.random(#vocab)] .. (k % 80 == 0 and ".\n\n" or "") end
    end
    texts[i] = table.concat(w, " ")
    local f = assert(io.open(string.format("%s/%05d.txt", dir, i), "wb"))
    f:write(texts[i])
    f:close()
  end
  return texts
end

local function rss_kb()
  local f = io.open("/proc/self/status", "r")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return tonumber(s:match("VmRSS:%s*(%d+)"))
end

-- The indexes measured: the recipe's --estimate (signatures alone), its default (the texts'
-- shingle keys in the spill file) and the keys kept in memory (the default before the spill
-- file).
local MODES = {
  { name = "signatures", label = "signatures alone (--estimate)" },
  { name = "spill", label = "keys in the spill file (default)" },
  { name = "memory", label = "keys in memory", opts = { keys_in_memory = true } },
}

-- Memory: the index alone, filled with 10 copies of the corpus (the files of `dir`) under new
-- ids, each copy made distinct by a word of its own. Each mode runs in a fresh process, so what
-- earlier work left on the heap cannot blur the resident size.
local function index_memory(dir, name)
  local corpus, mode = {}, nil
  for _, m in ipairs(MODES) do if m.name == name then mode = m end end
  for i, e in ipairs(files.expand { dir }) do corpus[i] = assert(files.read(e.path)) end
  collectgarbage()
  local before = rss_kb()
  if not before then return nil end
  local d = cd.dedup.new(mode.opts)
  local n = 0
  for copy = 1, 10 do
    for _, t in ipairs(corpus) do
      n = n + 1
      local text = t .. " " .. copy
      if name == "signatures" then assert(d:add_signature(n, cd.minhash(text)) ~= false)
      else assert(type(select(2, d:add(n, text))) == "number") end
    end
  end
  collectgarbage()
  return (rss_kb() - before) * 1024 / n
end

if arg[2] == "--memory" then
  print(index_memory(arg[3], arg[4]))
  return
end

local function memory_in_child(dir, mode)
  local p = io.popen(string.format("%s/copydesk %s %s --memory %s %s", build, arg[0], build, dir,
    mode))
  local v = tonumber(p:read("a"))
  p:close()
  return v
end

local dir = os.tmpname()
os.remove(dir)
local texts = make_corpus(dir)
local paths = files.expand { dir }
local bytes = 0
for _, t in ipairs(texts) do bytes = bytes + #t end

local with_keys = { keys = true }
local sigs, keys = {}, {}
for i, t in ipairs(texts) do sigs[i], keys[i] = cd.minhash(t, with_keys) end
local memory = {}
for _, m in ipairs(MODES) do
  local t = {}
  for i = 1, 3 do t[i] = memory_in_child(dir, m.name) end
  memory[m.name] = t[1] and median(t)
end

local read = time_cpu(function() for _, e in ipairs(paths) do files.read(e.path) end end)
local sign = time_cpu(function() for _, t in ipairs(texts) do cd.minhash(t) end end)
local sign_keys = time_cpu(function() for _, t in ipairs(texts) do cd.minhash(t, with_keys) end end)
local index = time_cpu(function()
  local d = cd.dedup.new()
  for i, s in ipairs(sigs) do d:add_signature(i, s) end
  d:close()
end)
-- Adds with keys, in the spill file or in memory; with exact = true every candidate's keys are
-- read back, not only those within the margin.
local function index_with_keys(opts)
  return time_cpu(function()
    local d = cd.dedup.new(opts)
    for i, s in ipairs(sigs) do assert(type(select(2, d:add_keys(i, s, keys[i]))) == "number") end
    d:close()
  end)
end
local index_spill = index_with_keys()
local index_memory_keys = index_with_keys { keys_in_memory = true }
local index_exact = index_with_keys { exact = true }
local index_exact_memory = index_with_keys { exact = true, keys_in_memory = true }

print(string.format("corpus: %d articles of about %d words, %.1f MB (%s)", ARTICLES, WORDS,
  bytes / 1e6, build))
print(string.format("%-44s %10s %8s %8s", "operation", "articles/s", "ratio", "to add"))
local function row(name, seconds, add)
  print(string.format("%-44s %10.0f %8.2f %8s", name, ARTICLES / seconds, read / seconds,
    add and string.format("%.2f", index / seconds) or ""))
end
row("read the files (baseline)", read)
row("minhash (128 permutations)", sign)
row("minhash and shingle keys", sign_keys)
row("index add (signatures given: --estimate)", index, true)
row("index add, keys in the spill file (default)", index_spill, true)
row("index add, keys in memory", index_memory_keys, true)
row("index add, --exact, keys in the spill file", index_exact, true)
row("index add, --exact, keys in memory", index_exact_memory, true)
if memory.signatures then
  print(string.format("index memory, bytes an article (signature %d bytes; ids in Lua included):",
    #sigs[1]))
  for _, m in ipairs(MODES) do
    print(string.format("  %-34s %6.0f  (%.2f x signatures alone)", m.label, memory[m.name],
      memory[m.name] / memory.signatures))
  end
end

os.execute("rm -rf " .. dir)
