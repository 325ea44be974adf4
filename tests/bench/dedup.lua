-- make bench: MinHash signatures, shingle keys and the near-duplicate index, in articles per
-- second, as a ratio to reading the same files in the same run; and the index's memory per
-- article beside the size of a signature, each in a fresh process. Medians of several runs.
local cd = require "copydesk"
local files = require "copydesk.files"

local RUNS = 5
local ARTICLES = 5000
local WORDS = 500 -- news length
local build = arg[1] or "build"

local function median(t)
  table.sort(t)
  return t[(#t + 1) // 2]
end

local function time_cpu(fn)
  local t = {}
  for i = 1, RUNS do
    local c = os.clock()
    fn()
    t[i] = os.clock() - c
  end
  return median(t)
end

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

-- Memory: the index alone, filled with 10 copies of the corpus (the files of `dir`) under new
-- ids, each copy made distinct by a word of its own; by signatures alone (mode "signatures"),
-- or with the texts (mode "keys": their shingle keys kept). Each mode runs in a fresh process,
-- so what earlier work left on the heap cannot blur the resident size.
local function index_memory(dir, mode)
  local corpus = {}
  for i, e in ipairs(files.expand { dir }) do corpus[i] = assert(files.read(e.path)) end
  collectgarbage()
  local before = rss_kb()
  if not before then return nil end
  local d = cd.dedup.new()
  local n = 0
  for copy = 1, 10 do
    for _, t in ipairs(corpus) do
      n = n + 1
      local text = t .. " " .. copy
      if mode == "keys" then d:add(n, text) else d:add_signature(n, cd.minhash(text)) end
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
local by_sig, by_text = memory_in_child(dir, "signatures"), memory_in_child(dir, "keys")

local read = time_cpu(function() for _, e in ipairs(paths) do files.read(e.path) end end)
local sign = time_cpu(function() for _, t in ipairs(texts) do cd.minhash(t) end end)
local sign_keys = time_cpu(function() for _, t in ipairs(texts) do cd.minhash(t, with_keys) end end)
local index = time_cpu(function()
  local d = cd.dedup.new()
  for i, s in ipairs(sigs) do d:add_signature(i, s) end
  d:close()
end)
local index_keys = time_cpu(function()
  local d = cd.dedup.new()
  for i, s in ipairs(sigs) do d:add_keys(i, s, keys[i]) end
  d:close()
end)

print(string.format("corpus: %d articles of about %d words, %.1f MB (%s)", ARTICLES, WORDS,
  bytes / 1e6, build))
print(string.format("%-34s %10s %8s", "operation", "articles/s", "ratio"))
local function row(name, seconds)
  print(string.format("%-34s %10.0f %8.2f", name, ARTICLES / seconds, read / seconds))
end
row("read the files (baseline)", read)
row("minhash (128 permutations)", sign)
row("minhash and shingle keys", sign_keys)
row("index add (signatures given)", index)
row("index add (signatures and keys)", index_keys)
if by_sig then
  print(string.format("index memory: %.0f bytes an article by signatures, %.0f with the texts' " ..
    "keys (signature %d bytes; ids in Lua included)", by_sig, by_text, #sigs[1]))
end

os.execute("rm -rf " .. dir)
