-- dedup: drop exact and near-duplicate articles (MinHash, LSH), one machine or staged for many
local cd = require "copydesk"
local cli = require "copydesk.cli"
local files = require "copydesk.files"
local report = require "copydesk.report"

local spec = {
  name = "dedup",
  usage = "copydesk dedup INPUT... [-o OUT] [options]\n" ..
    "       copydesk dedup --signatures INPUT...   (map: band keys, one a line)\n" ..
    "       copydesk dedup --clusters [FILE...]    (reduce: lines grouped by key -> clusters)\n" ..
    "       copydesk dedup --remove CLUSTERS INPUT... [-o OUT]",
  description = "Keeps one article of each cluster of near-duplicates: articles whose word 5-gram\n" ..
    "sets have a Jaccard similarity of at least the threshold (estimated from MinHash\n" ..
    "signatures, or exact with --exact), joined transitively. Articles with the same words in\n" ..
    "the same order are exact duplicates; articles shorter than five words are compared only\n" ..
    "so. The kept article is the first in input order, or the least by --keep-by FIELD.\n" ..
    "Kept articles are written as JSON lines to standard output or OUT.\n" ..
    "Staged for many machines: --signatures writes 'KEY<TAB>ID<TAB>SIGNATURE' lines; sort\n" ..
    "them (any shuffle will do) and give them to --clusters, which writes 'ID<TAB>CLUSTER'\n" ..
    "for each article of a cluster of two or more, the cluster named by its least id; then\n" ..
    "--remove CLUSTERS writes the inputs without the articles that are not their cluster's.\n" ..
    "Give every stage the same --threshold, --num-perm and --seed.",
  options = {
    { long = "--output", short = "-o", arg = "OUT", help = "output file (JSON lines)" },
    { long = "--threshold", arg = "T", default = "0.8", help = "Jaccard similarity of a near-duplicate (default 0.8)" },
    { long = "--num-perm", arg = "N", default = "128", help = "MinHash permutations (default 128)" },
    { long = "--seed", arg = "S", default = "0", help = "permutation seed (default 0)" },
    { long = "--exact", help = "verify candidates by exact Jaccard (memory: 8 bytes a word)" },
    { long = "--keep-by", arg = "FIELD", help = "keep the article whose FIELD sorts first (e.g. date)" },
    { long = "--keep-all", help = "write duplicates too (with --cluster-field, to label them)" },
    { long = "--cluster-field", arg = "NAME", help = "write each article's cluster id into field NAME" },
    { long = "--write-clusters", arg = "FILE", help = "write 'ID<TAB>CLUSTER' for clustered articles" },
    { long = "--signatures", help = "staged map: write band keys with ids and signatures" },
    { long = "--clusters", help = "staged reduce: read grouped key lines, write clusters" },
    { long = "--remove", arg = "CLUSTERS", help = "staged filter: drop the non-kept articles of CLUSTERS" },
  },
}

-- The inputs as articles: calls fn(id, article) for each, or fn(id, nil, reason, message) when
-- one cannot be read or parsed. Articles are repaired (copydesk.fix) and parsed; the id is the
-- path. Standard input is read once and kept, so a second pass sees it too. This is the one
-- place that knows the input format.
local function each_article(entries, stdin_cache, fn)
  for _, entry in ipairs(entries) do
    local raw, err
    if entry.err then
      err = entry.err
    elseif entry.path == "-" then
      stdin_cache.text = stdin_cache.text or files.read("-")
      raw = stdin_cache.text
    else
      raw, err = files.read(entry.path)
    end
    if not raw then
      fn(entry.path, nil, "read", err)
    else
      local art, perr = cd.parse(cd.fix(raw), entry.path)
      if art then fn(entry.path, art) else fn(entry.path, nil, "parse", perr) end
    end
  end
end

local function fail(message)
  io.stderr:write("copydesk dedup: ", message, "\n")
  return 1
end

-- A stream written under a temporary name and renamed when complete (standard output when
-- path is nil or "-").
local function open_out(path)
  if path == nil or path == "-" then return { stream = io.stdout } end
  if cd.path_type(path) == "other" then
    local f, err = io.open(path, "wb")
    return f and { stream = f, device = true }, err
  end
  local f, err = io.open(path .. ".tmp", "wb")
  if not f then return nil, err end
  return { stream = f, tmp = path .. ".tmp", final = path }
end

local function close_out(out)
  if out.stream == io.stdout then return true end
  local ok, err = out.stream:close()
  if out.device or not ok then
    if out.tmp then os.remove(out.tmp) end
    return ok, err
  end
  return os.rename(out.tmp, out.final)
end

local function settings(opts)
  local t, n, s = tonumber(opts.threshold), math.tointeger(tonumber(opts.num_perm)),
    math.tointeger(tonumber(opts.seed))
  if not t or t <= 0 or t > 1 then return nil, "--threshold must be a number in (0, 1]" end
  if not n or n < 1 or n > 1024 then return nil, "--num-perm must be an integer in 1..1024" end
  if not s then return nil, "--seed must be an integer" end
  return { threshold = t, num_perm = n, seed = s, exact = opts.exact }
end

local function write_json(out, art, extra)
  art.meta.source = art.meta.source or art.source
  for k, v in pairs(extra) do art.meta[k] = v end
  local text, err = cd.render(art, "json")
  if not text then return nil, err end
  return out.stream:write(text, "\n")
end

-- ---- one machine ----

-- First pass: every article into the index; returns the ids in input order, which were
-- exact duplicates, and the keep keys.
local function index_all(entries, ctx)
  local d = cd.dedup.new(ctx.settings)
  local order, exact, keys = {}, {}, {}
  each_article(entries, ctx.stdin, function(id, art, reason, message)
    ctx.rep:count_read()
    if not art then return ctx.rep:count_failed(reason, message) end
    if ctx.seen[id] then return ctx.rep:count_failed("id", id .. ": the same input twice") end
    ctx.seen[id] = true
    local _, _, _, is_exact = d:add(id, art.body)
    order[#order + 1] = id
    exact[id] = is_exact
    if ctx.opts.keep_by then
      local v = art.meta[ctx.opts.keep_by]
      keys[id] = (type(v) == "string" or type(v) == "number") and v or nil
    end
  end)
  return d, order, exact, keys
end

-- Whether keep key a sorts before b: numbers by value (epoch dates), strings by bytes (ISO
-- dates), numbers before strings.
local function before(a, b)
  if type(a) == type(b) then return a < b end
  return type(a) == "number"
end

-- The article each cluster keeps: the first in input order, or the least key (articles with a
-- key before those without; ties in input order). Returns id -> cluster, cluster -> kept.
local function choose_kept(d, order, keys, by_key)
  local cluster_of, kept, rank = {}, {}, {}
  for i, id in ipairs(order) do
    local c = d:cluster(id)
    cluster_of[id], rank[id] = c, i
    local k = kept[c]
    if k == nil then
      kept[c] = id
    elseif by_key and keys[id] ~= nil and (keys[k] == nil or before(keys[id], keys[k])) then
      kept[c] = id
    end
  end
  return cluster_of, kept
end

local function write_clusters(path, order, cluster_of, kept)
  local sizes = {}
  for _, id in ipairs(order) do sizes[cluster_of[id]] = (sizes[cluster_of[id]] or 0) + 1 end
  local out, err = open_out(path)
  if not out then return nil, err end
  for _, id in ipairs(order) do
    local c = cluster_of[id]
    if sizes[c] > 1 then out.stream:write(id, "\t", kept[c], "\n") end
  end
  return close_out(out)
end

-- Second pass: write the kept articles (all with --keep-all).
local function write_kept(entries, ctx, cluster_of, kept, exact, out)
  local field = ctx.opts.cluster_field
  each_article(entries, ctx.stdin, function(id, art, reason, message)
    if cluster_of[id] == nil or ctx.done[id] then return end -- failed or repeated in pass 1
    ctx.done[id] = true
    if not art then return ctx.rep:count_failed(reason, message) end
    local keep_id = kept[cluster_of[id]]
    if keep_id ~= id and not ctx.opts.keep_all then
      return ctx.rep:count_dropped(exact[id] and "duplicate" or "near-duplicate")
    end
    local ok, err = write_json(out, art, field and { [field] = keep_id } or {})
    if not ok then return ctx.rep:count_failed("write", id .. ": " .. tostring(err)) end
    ctx.rep:count_written()
  end)
end

local function run_dedup(entries, ctx)
  local d, order, exact, keys = index_all(entries, ctx)
  local cluster_of, kept = choose_kept(d, order, keys, ctx.opts.keep_by ~= nil)
  d:close()
  if ctx.opts.write_clusters then
    local ok, err = write_clusters(ctx.opts.write_clusters, order, cluster_of, kept)
    if not ok then return fail(tostring(err)) end
  end
  local out, err = open_out(ctx.opts.output)
  if not out then return fail(tostring(err)) end
  write_kept(entries, ctx, cluster_of, kept, exact, out)
  local ok, cerr = close_out(out)
  if not ok then fail(tostring(cerr)) end
  local status = ctx.rep:finish()
  return ok and status or 1
end

-- ---- staged ----

local function tohex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local function fromhex(h) return (h:gsub("%x%x", function(x) return string.char(tonumber(x, 16)) end)) end

-- Map: one line per band key and one for the content hash, each with id and signature, so a
-- reducer can verify the pairs that meet under a key.
local function run_signatures(entries, ctx)
  local s = ctx.settings
  each_article(entries, ctx.stdin, function(id, art, reason, message)
    ctx.rep:count_read()
    if not art then return ctx.rep:count_failed(reason, message) end
    if id:find("[\t\n]") then return ctx.rep:count_failed("id", id .. ": tab or newline in id") end
    local sig = cd.minhash(art.body, { num_perm = s.num_perm, seed = s.seed })
    local info, hex = cd.minhash_info(sig), tohex(sig)
    io.stdout:write(string.format("c%016x\t%s\t%s\n", info.content, id, hex))
    if info.shingles > 0 then
      local keys = cd.band_keys(sig, { threshold = s.threshold })
      for band, key in ipairs(keys) do
        io.stdout:write(string.format("b%d:%016x\t%s\t%s\n", band, key, id, hex))
      end
    end
    ctx.rep:count_written()
  end)
  return ctx.rep:finish()
end

-- Union-find over ids; a cluster's root is its least id.
local function find(parent, id)
  while parent[id] ~= id do
    parent[id] = parent[parent[id]]
    id = parent[id]
  end
  return id
end

local function join(parent, a, b)
  local ra, rb = find(parent, a), find(parent, b)
  if ra < rb then parent[rb] = ra elseif rb < ra then parent[ra] = rb end
end

-- The pairs of one key's group: identical signatures join at once; the distinct ones are
-- verified pairwise, as the one-machine index verifies the articles sharing a band.
local function reduce_group(group, parent, threshold)
  local by_sig, distinct = {}, {}
  for _, m in ipairs(group) do
    local first = by_sig[m.hex]
    if first then join(parent, first, m.id) else
      by_sig[m.hex] = m.id
      distinct[#distinct + 1] = m
    end
  end
  for i = 1, #distinct do
    local a = fromhex(distinct[i].hex)
    for j = i + 1, #distinct do
      local sim, err = cd.minhash_similarity(a, fromhex(distinct[j].hex))
      if not sim then return nil, err end
      if sim >= threshold - 1e-12 then join(parent, distinct[i].id, distinct[j].id) end
    end
  end
  return true
end

local function run_clusters(inputs, ctx)
  local parent, key, group, n = {}, nil, {}, 0
  local function flush()
    local ok, err = true, nil
    if #group > 1 then ok, err = reduce_group(group, parent, ctx.settings.threshold) end
    group = {}
    return ok, err
  end
  if #inputs == 0 then inputs = { "-" } end
  for _, input in ipairs(inputs) do
    local f, err = input == "-" and io.stdin or io.open(input, "rb")
    if not f then return fail(tostring(err)) end
    n = 0
    for line in f:lines() do
      n = n + 1
      local k, id, hex = line:match("^([^\t]+)\t([^\t]+)\t(%x+)$")
      if not k then return fail(string.format("%s:%d: not a signature line", input, n)) end
      if k ~= key then
        local ok, ferr = flush()
        if not ok then return fail(string.format("%s:%d: %s", input, n - 1, ferr)) end
      end
      key = k
      parent[id] = parent[id] or id
      group[#group + 1] = { id = id, hex = hex }
    end
    if f ~= io.stdin then f:close() end
  end
  local ok, ferr = flush()
  if not ok then return fail(string.format("%s:%d: %s", inputs[#inputs], n, ferr)) end
  local ids, sizes = {}, {}
  for id in pairs(parent) do
    ids[#ids + 1] = id
    local r = find(parent, id)
    sizes[r] = (sizes[r] or 0) + 1
  end
  table.sort(ids)
  for _, id in ipairs(ids) do
    local r = find(parent, id)
    if sizes[r] > 1 then io.stdout:write(id, "\t", r, "\n") end
  end
  return 0
end

-- Filter: the inputs without the articles CLUSTERS says are not their cluster's.
local function run_remove(entries, ctx)
  local removed = {}
  local f, err = io.open(ctx.opts.remove, "rb")
  if not f then return fail(tostring(err)) end
  for line in f:lines() do
    local id, cluster = line:match("^([^\t]+)\t([^\t]+)$")
    if id and id ~= cluster then removed[id] = true end
  end
  f:close()
  local out, oerr = open_out(ctx.opts.output)
  if not out then return fail(tostring(oerr)) end
  each_article(entries, ctx.stdin, function(id, art, reason, message)
    ctx.rep:count_read()
    if not art then return ctx.rep:count_failed(reason, message) end
    if removed[id] then return ctx.rep:count_dropped("near-duplicate") end
    local ok, werr = write_json(out, art, {})
    if not ok then return ctx.rep:count_failed("write", id .. ": " .. tostring(werr)) end
    ctx.rep:count_written()
  end)
  local ok, cerr = close_out(out)
  if not ok then fail(tostring(cerr)) end
  local status = ctx.rep:finish()
  return ok and status or 1
end

local opts, inputs = cli.parse_or_usage(spec, { ... })
if not opts then return inputs end
local modes = (opts.signatures and 1 or 0) + (opts.clusters and 1 or 0) + (opts.remove and 1 or 0)
if modes > 1 then
  io.stderr:write("copydesk dedup: choose one of --signatures, --clusters and --remove\n")
  return 2
end
if #inputs == 0 and not opts.clusters then
  io.stderr:write("copydesk dedup: missing arguments\nusage: ", spec.usage, "\n")
  return 2
end
local s, serr = settings(opts)
if not s then
  io.stderr:write("copydesk dedup: ", serr, "\n")
  return 2
end
local ctx = { opts = opts, settings = s, rep = report.new("dedup"), stdin = {}, seen = {},
  done = {} }
if opts.clusters then return run_clusters(inputs, ctx) end
local entries = files.expand(inputs)
if opts.signatures then return run_signatures(entries, ctx) end
if opts.remove then return run_remove(entries, ctx) end
return run_dedup(entries, ctx)
