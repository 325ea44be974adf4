-- dedup: drop exact and near-duplicate articles (MinHash, LSH), one machine or staged for many
local cd = require "copydesk"
local cli = require "copydesk.cli"
local documents = require "copydesk.documents"
local progress = require "copydesk.progress"
local report = require "copydesk.report"

local spec = {
  name = "dedup",
  usage = "copydesk dedup INPUT... [-o OUT] [options]\n" ..
    "       copydesk dedup --signatures INPUT...   (map: band keys, one a line)\n" ..
    "       copydesk dedup --clusters [FILE...]    (reduce: lines sorted by key -> clusters)\n" ..
    "       copydesk dedup --remove CLUSTERS INPUT... [-o OUT]",
  description = "Keeps one article of each cluster of near-duplicates: articles whose word 5-gram sets\n" ..
    "have a Jaccard similarity of at least the threshold, joined transitively. The\n" ..
    "similarity is estimated from MinHash signatures and computed exactly from the\n" ..
    "articles' shingle keys when the estimate is near the threshold (always with --exact;\n" ..
    "never with --estimate, which keeps no keys). The keys, 4 bytes a word, wait in a\n" ..
    "temporary file (TMPDIR, else /tmp): about 1 KB of memory an article. Articles with\n" ..
    "the same words in the same order are exact duplicates; articles shorter than five\n" ..
    "words are compared only so. The kept article is the first in input order, or the least\n" ..
    "by --keep-by FIELD. INPUT: article files, folders, JSON lines (.jsonl, .gz, .zst, or -\n" ..
    "for standard input); an article's id is its path, or for a JSON record its id field\n" ..
    "(else PATH:LINE). Kept articles are written as JSON lines to standard output or OUT.\n" ..
    "Staged for many machines: --signatures writes 'KEY<TAB>ID<TAB>...' lines; sort them in\n" ..
    "byte order (LC_ALL=C sort) and give them to --clusters, which writes 'ID<TAB>KEPT' for\n" ..
    "each article of a cluster of two or more, KEPT the id of the article the cluster\n" ..
    "keeps; then --remove CLUSTERS writes the inputs without the articles that are not\n" ..
    "kept. Give every stage the same --threshold, --num-perm and --seed, and --signatures\n" ..
    "the --keep-by.",
  options = {
    { long = "--output", short = "-o", arg = "OUT", help = "output file (JSON lines, compressed by extension)" },
    { long = "--threshold", arg = "T", default = "0.8", help = "Jaccard similarity of a near-duplicate (default 0.8)" },
    { long = "--num-perm", arg = "N", default = "128", help = "MinHash permutations (default 128)" },
    { long = "--seed", arg = "S", default = "0", help = "permutation seed (default 0)" },
    { long = "--exact", help = "verify every candidate by its exact similarity" },
    { long = "--estimate", help = "verify by the estimate alone: no shingle keys kept (no temporary file)" },
    { long = "--keep-by", arg = "FIELD", help = "keep the article whose FIELD sorts first (e.g. date)" },
    { long = "--keep-all", help = "write duplicates too (with --cluster-field, to label them)" },
    { long = "--cluster-field", arg = "NAME", help = "write each article's cluster id into field NAME" },
    { long = "--write-clusters", arg = "FILE", help = "write 'ID<TAB>KEPT' for clustered articles" },
    { long = "--text-field", arg = "NAME", help = "the text field of JSON lines (default text)" },
    { long = "--id-field", arg = "NAME", help = "the id field of JSON lines (default id)" },
    { long = "--quiet", short = "-q", help = "no progress line on a terminal" },
    { long = "--signatures", help = "staged map: write band keys with ids and signatures" },
    { long = "--clusters", help = "staged reduce: read sorted key lines, write clusters" },
    { long = "--remove", arg = "CLUSTERS", help = "staged filter: drop the articles CLUSTERS does not keep" },
  },
}

for _, o in ipairs(documents.options) do spec.options[#spec.options + 1] = o end

local SIMILARITY_SLACK = 1e-12 -- as the index: 0.8 * 128 as a double must not miss 102/128

local function fail(message)
  io.stderr:write("copydesk dedup: ", message, "\n")
  return 1
end

local function settings(opts)
  local t, n, s = tonumber(opts.threshold), math.tointeger(tonumber(opts.num_perm)),
    math.tointeger(tonumber(opts.seed))
  if not t or t <= 0 or t > 1 then return nil, "--threshold must be a number in (0, 1]" end
  if not n or n < 1 or n > 1024 then return nil, "--num-perm must be an integer in 1..1024" end
  if not s then return nil, "--seed must be an integer" end
  if opts.exact and opts.estimate then return nil, "choose one of --exact and --estimate" end
  local tmp = os.getenv("TMPDIR")
  return { threshold = t, num_perm = n, seed = s, exact = opts.exact,
    spill_dir = tmp ~= "" and tmp or nil }
end

-- ---- reading ----

-- The id of an article: its path, or for a JSON record its id field (a string or a number),
-- else PATH:LINE.
local function article_id(art, ctx)
  if not art.line then return art.source end
  local v = art.meta[ctx.opts.id_field or "id"]
  if type(v) == "string" or type(v) == "number" then return tostring(v) end
  return art.source .. ":" .. art.line
end

-- The text compared: the body, repaired as article files are (JSON records are read as they
-- are, so their bodies are repaired here; the article written keeps its own).
local function compared_text(art)
  return art.format == "json" and cd.fix(art.body) or art.body
end

-- Calls fn(id, art) for each article of the inputs in order, or fn(nil, nil, reason, message)
-- for one that cannot be read. Standard input, which the one-machine run reads twice, is read
-- from ctx.stdin_copy when there is one, under its own name "-".
local function each_article(inputs, ctx, fn, show_progress)
  local opts = { fix = true, text = ctx.opts.text_field, id = ctx.opts.id_field,
    max_article = ctx.opts.max_article }
  if show_progress then
    opts.progress = progress.new { quiet = ctx.opts.quiet,
      total = function() return documents.total_size(inputs) end }
  end
  local list = inputs
  if ctx.stdin_copy then
    list = {}
    for i, input in ipairs(inputs) do list[i] = input == "-" and ctx.stdin_copy or input end
  end
  for art, message, reason in documents.each(list, opts) do
    if not art then
      if ctx.stdin_copy and message:sub(1, #ctx.stdin_copy + 1) == ctx.stdin_copy .. ":" then
        message = "-" .. message:sub(#ctx.stdin_copy + 1)
      end
      fn(nil, nil, reason, message)
    else
      if art.source == ctx.stdin_copy then art.source = "-" end
      fn(article_id(art, ctx), art)
    end
  end
  if opts.progress then opts.progress:finish() end
end

-- Copies standard input to a temporary JSON-lines file, so that it can be read twice.
local function copy_stdin(ctx)
  local base = os.tmpname()
  local path = base .. ".jsonl"
  local f, err = io.open(path, "wb")
  if not f then return nil, err end
  for block in function() return io.stdin:read(1 << 16) end do f:write(block) end
  f:close()
  ctx.stdin_copy, ctx.temporary = path, { base, path }
  return true
end

-- The value an article is kept by (a string or a number), or nil.
local function keep_value(art, field)
  if not field then return nil end
  local v = art.meta[field]
  return (type(v) == "string" or type(v) == "number") and v or nil
end

-- Whether keep value a sorts before b: numbers by value (epoch dates), strings by bytes (ISO
-- dates), numbers before strings.
local function before(a, b)
  if type(a) == type(b) then return a < b end
  return type(a) == "number"
end

-- Whether article a (keep value ka, rank ra) is kept before article b: one with a value before
-- one without, the least value, then the least rank (the input order, or in a staged run the id).
local function kept_before(ka, ra, kb, rb)
  if ka ~= nil and kb ~= nil and ka ~= kb then return before(ka, kb) end
  if (ka == nil) ~= (kb == nil) then return ka ~= nil end
  return ra < rb
end

local function write_article(out, art, extra)
  art.meta.source = art.meta.source or art.source
  for k, v in pairs(extra) do art.meta[k] = v end
  return out:write(art)
end

-- ---- one machine ----

-- First pass: every article into the index; returns the ids in input order, their content
-- hashes (equal for exact duplicates) and keep values; or nil and a message when the index
-- cannot keep the shingle keys (its spill file in TMPDIR), which ends the run.
local function index_all(inputs, ctx)
  local s = ctx.settings
  local d = cd.dedup.new(s)
  local mh = { num_perm = s.num_perm, seed = s.seed, keys = not ctx.opts.estimate }
  local order, content, values = {}, {}, {}
  local failure
  each_article(inputs, ctx, function(id, art, reason, message)
    if failure then return end
    ctx.rep:count_read()
    if not art then return ctx.rep:count_failed(reason, message) end
    if content[id] then return ctx.rep:count_failed("id", id .. ": the same id twice") end
    local sig, keys = cd.minhash(compared_text(art), mh)
    local _, err
    if keys then _, err = d:add_keys(id, sig, keys) else _, err = d:add_signature(id, sig) end
    if type(err) == "string" then
      failure = string.format("%s: %s (in %s: set TMPDIR to a writable folder with room, or " ..
        "use --estimate)", id, err, s.spill_dir or "/tmp")
      return
    end
    order[#order + 1] = id
    content[id] = cd.minhash_info(sig).content
    values[id] = keep_value(art, ctx.opts.keep_by)
  end, true)
  if failure then
    d:close()
    return nil, failure
  end
  return d, order, content, values
end

-- The article each cluster keeps (kept_before, ranked by input order). Returns id -> cluster,
-- cluster -> kept id.
local function choose_kept(d, order, values)
  local cluster_of, kept, rank = {}, {}, {}
  for i, id in ipairs(order) do
    local c = d:cluster(id)
    cluster_of[id], rank[id] = c, i
    local k = kept[c]
    if k == nil or kept_before(values[id], i, values[k], rank[k]) then kept[c] = id end
  end
  return cluster_of, kept
end

local function write_clusters(path, order, cluster_of, kept)
  local sizes = {}
  for _, id in ipairs(order) do sizes[cluster_of[id]] = (sizes[cluster_of[id]] or 0) + 1 end
  local s, err = documents.stream(path)
  if not s then return nil, err end
  for _, id in ipairs(order) do
    local c = cluster_of[id]
    if sizes[c] > 1 then
      local ok, werr = s:write(id, "\t", kept[c], "\n")
      if not ok then
        s:abort()
        return nil, werr
      end
    end
  end
  return s:commit()
end

-- Second pass: write the kept articles (all with --keep-all); a dropped one is a duplicate
-- when it has the kept article's content, else a near-duplicate.
local function write_kept(inputs, ctx, cluster_of, kept, content, out)
  local field, done = ctx.opts.cluster_field, {}
  each_article(inputs, ctx, function(id, art)
    if not art or cluster_of[id] == nil or done[id] then return end -- counted in pass 1
    done[id] = true
    local keep_id = kept[cluster_of[id]]
    if keep_id ~= id and not ctx.opts.keep_all then
      return ctx.rep:count_dropped(content[id] == content[keep_id] and "duplicate" or
        "near-duplicate")
    end
    local ok, err, why = write_article(out, art, field and { [field] = keep_id } or {})
    if not ok then return ctx.rep:count_failed(why, err) end
    ctx.rep:count_written()
  end)
end

local function run_dedup(inputs, ctx)
  for _, input in ipairs(inputs) do
    if input == "-" and not ctx.stdin_copy then
      local ok, err = copy_stdin(ctx)
      if not ok then return fail(tostring(err)) end
    end
  end
  local d, order, content, values = index_all(inputs, ctx)
  if not d then return fail(order) end
  local cluster_of, kept = choose_kept(d, order, values)
  d:close()
  if ctx.opts.write_clusters then
    local ok, err = write_clusters(ctx.opts.write_clusters, order, cluster_of, kept)
    if not ok then return fail(tostring(err)) end
  end
  local out, err = documents.writer(ctx.opts.output, "jsonl")
  if not out then return fail(tostring(err)) end
  write_kept(inputs, ctx, cluster_of, kept, content, out)
  local ok, cerr = out:close()
  if not ok then fail(tostring(cerr)) end
  local status = ctx.rep:finish()
  return ok and status or 1
end

-- ---- staged ----

local function tohex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local function fromhex(h) return (h:gsub("%x%x", function(x) return string.char(tonumber(x, 16)) end)) end

-- A keep value as a field of a line: "" for none, "n" and the number, or "s" and the string's
-- bytes in hex (it may hold tabs).
local function encode_value(v)
  if v == nil then return "" end
  if type(v) == "string" then return "s" .. tohex(v) end
  return "n" .. (math.type(v) == "integer" and string.format("%d", v) or string.format("%.17g", v))
end

local function decode_value(field)
  local kind, rest = field:sub(1, 1), field:sub(2)
  if kind == "s" then return fromhex(rest) end
  if kind == "n" then return math.tointeger(rest) or tonumber(rest) end
  return nil
end

-- Map: per article one line for its content hash, with its signature, shingle keys (none with
-- --estimate, so the reducer's estimate decides) and keep value, and one per LSH band, with its
-- signature. Band keys ("b...") sort before content
-- keys ("c..."), so a reducer meets every candidate pair before the keys that settle it.
local function run_signatures(inputs, ctx)
  local s = ctx.settings
  local mh = { num_perm = s.num_perm, seed = s.seed, keys = not ctx.opts.estimate }
  each_article(inputs, ctx, function(id, art, reason, message)
    ctx.rep:count_read()
    if not art then return ctx.rep:count_failed(reason, message) end
    if id:find("[\t\n]") then return ctx.rep:count_failed("id", id .. ": tab or newline in id") end
    local sig, keys = cd.minhash(compared_text(art), mh)
    local info, hex = cd.minhash_info(sig), tohex(sig)
    io.stdout:write(string.format("c%016x\t%s\t%s\t%s\t%s\n", info.content, id, hex,
      tohex(keys or ""), encode_value(keep_value(art, ctx.opts.keep_by))))
    if info.shingles > 0 then
      for band, key in ipairs(cd.band_keys(sig, { threshold = s.threshold })) do
        io.stdout:write(string.format("b%d:%016x\t%s\t%s\n", band, key, id, hex))
      end
    end
    ctx.rep:count_written()
  end, true)
  return ctx.rep:finish()
end

-- Union-find over ids.
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

-- Verifies the pair x, y of estimated similarity `sim` as the one-machine index does: an
-- estimate beyond the margin decides; the others wait in state.pending for the shingle keys
-- on the content lines.
local function verify(state, x, y, sim)
  local t = state.threshold
  if state.exact or math.abs(sim - t) <= state.margin then
    state.pending[#state.pending + 1] = { x, y, sim }
    state.wanted[x], state.wanted[y] = true, true
  elseif sim + SIMILARITY_SLACK >= t then
    join(state.parent, x, y)
  end
end

-- The pairs of one band key's group. Members with the same signature (estimate 1) are
-- verified against the first of them only, and the distinct signatures pairwise.
local function reduce_band(group, state)
  local by_sig, distinct = {}, {}
  for _, m in ipairs(group) do
    local first = by_sig[m.hex]
    if first then
      verify(state, first, m.id, 1)
    else
      by_sig[m.hex] = m.id
      distinct[#distinct + 1] = m
    end
  end
  for i = 1, #distinct do
    local a = fromhex(distinct[i].hex)
    for j = i + 1, #distinct do
      local sim, err = cd.minhash_similarity(a, fromhex(distinct[j].hex))
      if not sim then return nil, err end
      verify(state, distinct[i].id, distinct[j].id, sim)
    end
  end
  return true
end

-- One content line: same content joins at once; the keep value is noted and the shingle keys
-- kept if a pending pair needs them (none came with --estimate: the estimate settles it).
local function reduce_content(group, state)
  for i, m in ipairs(group) do
    if i > 1 then join(state.parent, group[1].id, m.id) end
    state.values[m.id] = decode_value(m.keep)
    if state.wanted[m.id] and m.keys ~= "" then state.keys[m.id] = fromhex(m.keys) end
  end
  return true
end

-- The pairs that waited: settled by the exact similarity of their shingle keys.
local function settle_pending(state)
  for _, p in ipairs(state.pending) do
    local a, b = state.keys[p[1]], state.keys[p[2]]
    local sim = p[3]
    if a and b then sim = assert(cd.shingle_keys_jaccard(a, b)) end
    if sim + SIMILARITY_SLACK >= state.threshold then join(state.parent, p[1], p[2]) end
  end
end

-- Writes ID<TAB>KEPT for every article of a cluster of two or more, in id order.
local function write_staged_clusters(state)
  local ids, kept, sizes = {}, {}, {}
  for id in pairs(state.parent) do ids[#ids + 1] = id end
  table.sort(ids)
  for _, id in ipairs(ids) do
    local r = find(state.parent, id)
    sizes[r] = (sizes[r] or 0) + 1
    local k = kept[r]
    if k == nil or kept_before(state.values[id], id, state.values[k], k) then kept[r] = id end
  end
  for _, id in ipairs(ids) do
    local r = find(state.parent, id)
    if sizes[r] > 1 then io.stdout:write(id, "\t", kept[r], "\n") end
  end
end

local BAND_LINE = "^(b[^\t]*)\t([^\t]+)\t(%x+)$"
local CONTENT_LINE = "^(c[^\t]*)\t([^\t]+)\t(%x+)\t(%x*)\t([^\t]*)$"

local function run_clusters(inputs, ctx)
  local s = ctx.settings
  local state = { parent = {}, pending = {}, wanted = {}, keys = {}, values = {},
    threshold = s.threshold, exact = s.exact, margin = cd.minhash_margin(s.threshold, s.num_perm) }
  local key, group, reduce, seen_content = nil, {}, nil, false
  local function flush()
    local ok, err = true, nil
    if reduce and (#group > 1 or reduce == reduce_content) then ok, err = reduce(group, state) end
    group = {}
    return ok, err
  end
  if #inputs == 0 then inputs = { "-" } end
  local where
  for _, input in ipairs(inputs) do
    local f, err = input == "-" and io.stdin or io.open(input, "rb")
    if not f then return fail(tostring(err)) end
    local n = 0
    for line in f:lines() do
      n = n + 1
      where = string.format("%s:%d", input, n)
      local k, id, hex, keys, keep = line:match(CONTENT_LINE)
      local this = k and reduce_content or reduce_band
      if not k then k, id, hex = line:match(BAND_LINE) end
      if not k then return fail(where .. ": not a signature line") end
      if this == reduce_band and seen_content then
        return fail(where .. ": a band line after the content lines: sort the lines in byte " ..
          "order (LC_ALL=C sort)")
      end
      seen_content = seen_content or this == reduce_content
      if k ~= key then
        local ok, ferr = flush()
        if not ok then return fail(where .. ": " .. ferr) end
      end
      key, reduce = k, this
      state.parent[id] = state.parent[id] or id
      group[#group + 1] = { id = id, hex = hex, keys = keys, keep = keep }
    end
    if f ~= io.stdin then f:close() end
  end
  local ok, ferr = flush()
  if not ok then return fail((where or "-") .. ": " .. ferr) end
  settle_pending(state)
  write_staged_clusters(state)
  return 0
end

-- Filter: the inputs without the articles CLUSTERS says are not kept.
local function run_remove(inputs, ctx)
  local removed = {}
  local f, err = io.open(ctx.opts.remove, "rb")
  if not f then return fail(tostring(err)) end
  for line in f:lines() do
    local id, kept = line:match("^([^\t]+)\t([^\t]+)$")
    if id and id ~= kept then removed[id] = true end
  end
  f:close()
  local out, oerr = documents.writer(ctx.opts.output, "jsonl")
  if not out then return fail(tostring(oerr)) end
  each_article(inputs, ctx, function(id, art, reason, message)
    ctx.rep:count_read()
    if not art then return ctx.rep:count_failed(reason, message) end
    if removed[id] then return ctx.rep:count_dropped("near-duplicate") end
    local ok, werr, why = write_article(out, art, {})
    if not ok then return ctx.rep:count_failed(why, werr) end
    ctx.rep:count_written()
  end, true)
  local ok, cerr = out:close()
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
local ctx = { opts = opts, settings = s, rep = report.new("dedup") }
local status
if opts.clusters then status = run_clusters(inputs, ctx)
elseif opts.signatures then status = run_signatures(inputs, ctx)
elseif opts.remove then status = run_remove(inputs, ctx)
else status = run_dedup(inputs, ctx) end
for _, path in ipairs(ctx.temporary or {}) do os.remove(path) end
return status
