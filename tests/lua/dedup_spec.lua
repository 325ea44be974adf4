local cd = require "copydesk"

local STORY = "The harbour ferry carried a record number of passengers on Saturday, the port " ..
  "authority said, as crowds travelled to the regatta on the north shore. Officials had added " ..
  "two sailings to the timetable after tickets for the morning boats sold out within an hour, " ..
  "and the last boat home left twenty minutes late because of the queue at the pier."
local EDITED = STORY:gsub("Saturday", "Sunday")
local OTHER = "The Saturday market will move to the old cattle yard from next month after the " ..
  "town square is dug up for new drains, organisers said on Thursday evening."

describe("copydesk.minhash", function()
  it("gives a signature that carries its settings", function()
    local sig = cd.minhash(STORY)
    assert.equals(32 + 4 * 128, #sig)
    assert.equals("CDMH", sig:sub(1, 4))
    local info = cd.minhash_info(sig)
    assert.same({ num_perm = 128, ngram = 5, seed = 0, shingles = cd.count_words(STORY) - 4,
      content = info.content }, info)
    info = cd.minhash_info(cd.minhash(STORY, { num_perm = 16, ngram = 3, seed = -1 }))
    assert.equals(16, info.num_perm)
    assert.equals(3, info.ngram)
    assert.equals(-1, info.seed) -- the 64 bits as they are
  end)

  it("ignores case and punctuation, and takes embedded zeros", function()
    assert.equals(cd.minhash(STORY), cd.minhash((STORY:upper():gsub(",", " ;"))))
    assert.equals(32 + 512, #cd.minhash("a\0b c\0d"))
  end)

  it("estimates similarity, and refuses signatures made otherwise", function()
    local a, b = cd.minhash(STORY), cd.minhash(EDITED)
    local sim = cd.minhash_similarity(a, b)
    assert.is_true(sim > 0.7 and sim < 1, sim)
    assert.equals(1, cd.minhash_similarity(a, a))
    assert.is_true(cd.minhash_similarity(a, cd.minhash(OTHER)) < 0.1)
    local r, msg = cd.minhash_similarity(a, cd.minhash(STORY, { seed = 1 }))
    assert.is_nil(r)
    assert.equals("signatures made with other settings", msg)
    r, msg = cd.minhash_similarity(a, "CDMH")
    assert.is_nil(r)
    assert.equals("not a MinHash signature", msg)
    assert.same({ nil, "not a MinHash signature" }, { cd.minhash_info("nope") })
  end)

  it("gives band keys", function()
    local keys, rows = cd.band_keys(cd.minhash(STORY))
    assert.equals(21, #keys)
    assert.equals(6, rows)
    assert.same(keys, (cd.band_keys(cd.minhash(STORY:upper()))))
    keys, rows = cd.band_keys(cd.minhash(STORY), { bands = 4, rows = 32 })
    assert.equals(4, #keys)
    assert.equals(32, rows)
  end)

  it("gives shingle keys and their exact similarity", function()
    local a, b = cd.shingle_keys(STORY), cd.shingle_keys(EDITED)
    assert.equals(4 * (cd.count_words(STORY) - 4), #a) -- no 5-gram repeats in STORY
    assert.equals(1, cd.shingle_keys_jaccard(a, a))
    -- "Saturday" is in 5 of the shingles: 5 of each side's shingles differ
    local n = #a // 4
    assert.equals((n - 5) / (n + 5), cd.shingle_keys_jaccard(a, b))
    assert.equals("", cd.shingle_keys("too short"))
    assert.equals(4 * 2, #cd.shingle_keys("one two three four", { ngram = 3 }))
    assert.same({ nil, "not a set of shingle keys" }, { cd.shingle_keys_jaccard("abc", a) })
    assert.same({ cd.minhash(STORY, { seed = 3 }), a }, { cd.minhash(STORY, { seed = 3, keys = true }) })
    assert.is_true(math.abs(cd.minhash_margin(0.8) - (4 * math.sqrt(0.16 / 128) + 1 / 128)) < 1e-12)
    assert.is_true(cd.minhash_margin(0.8, 1024) < cd.minhash_margin(0.8))
    assert.has_error(function() cd.minhash_margin(0) end,
      "bad argument #1 to 'minhash_margin' (threshold must be in (0, 1])")
    assert.has_error(function() cd.shingle_keys(STORY, { n = 3 }) end,
      "bad argument #2 to 'shingle_keys' (unknown option 'n')")
  end)

  -- Articles of 300 words, every third a copy of one two thirds back with a few of its words
  -- changed and some of its own added, so that similarities fall on both sides of the
  -- threshold and within its margin; 120 of them hold twice the keys of the spill file's 64 KiB
  -- buffer, and the later copies' originals are in the file, no longer in the buffer.
  local function corpus(n)
    local texts = {}
    for i = 1, n do
      local w = {}
      if i % 3 == 0 then
        for word in texts[i // 3]:gmatch("%S+") do w[#w + 1] = word end
        for k = 1, i % 7 do w[k * 40] = "changed" .. i .. "x" .. k end
        for k = 1, i % 11 do w[#w + 1] = "added" .. i .. "x" .. k end
      else
        for k = 1, 300 do w[k] = "w" .. (i * 7919 + k * 104729) % 100003 end
      end
      texts[i] = table.concat(w, " ")
    end
    return texts
  end

  it("keeps the shingle keys in a spill file it leaves no trace of, or in memory", function()
    local files = require "copydesk.files"
    local dir = os.tmpname()
    os.remove(dir)
    assert(cd.mkdir(dir))
    local spilled = cd.dedup.new { spill_dir = dir }
    local in_memory = cd.dedup.new { keys_in_memory = true }
    assert.equals(dir, spilled:settings().spill_dir)
    assert.is_true(in_memory:settings().keys_in_memory)
    local texts, confirmed = corpus(120), 0
    for i, text in ipairs(texts) do
      local a = { spilled:add(i, text) }
      assert.same(a, { in_memory:add(i, text) })
      if a[1] and i > 60 and a[2] ~= cd.minhash_similarity(cd.minhash(text),
          cd.minhash(texts[a[1]])) then
        confirmed = confirmed + 1
      end
    end
    assert.is_true(confirmed > 5, confirmed) -- pairs settled by keys read back from the file
    assert.same({}, files.expand { dir }) -- the file was unlinked at once
    spilled:close()
    in_memory:close()
    os.remove(dir)
  end)

  it("fails an add when the spill file cannot be made, adds nothing, and goes on", function()
    local d = cd.dedup.new { spill_dir = "/nonexistent/folder" }
    assert.same({ nil, "cannot create the spill file: No such file or directory", 2 },
      { d:add("a", STORY) })
    assert.equals(0, #d)
    assert.same({ nil, 0, "a", false }, { d:add_signature("a", cd.minhash(STORY)) }) -- no keys
    assert.equals(1, #d)
    assert.has_error(function() cd.dedup.new { spill_dir = 1 } end,
      "bad argument #1 to 'new' (option 'spill_dir' must be a string, got number)")
    assert.has_error(function() cd.dedup.new { spill_dir = "a\0b" } end,
      "bad argument #1 to 'new' (option 'spill_dir' holds a zero byte)")
  end)

  it("raises on programmer mistakes", function()
    assert.has_error(function() cd.minhash(STORY, { nperm = 4 }) end,
      "bad argument #2 to 'minhash' (unknown option 'nperm')")
    assert.has_error(function() cd.minhash(STORY, { num_perm = 0 }) end,
      "bad argument #2 to 'minhash' (option 'num_perm' must be in 1..1024)")
    assert.has_error(function() cd.minhash(STORY, { ngram = "five" }) end,
      "bad argument #2 to 'minhash' (option 'ngram' must be an integer, got string)")
    assert.has_error(function() cd.minhash(nil) end)
    assert.has_error(function() cd.band_keys(cd.minhash(STORY), { bands = 4 }) end,
      "bad argument #2 to 'band_keys' (give both bands and rows, or neither)")
    assert.has_error(function() cd.band_keys(cd.minhash(STORY), { bands = 4, rows = 64 }) end,
      "bad argument #2 to 'band_keys' (bands * rows beyond the signature)")
  end)
end)

describe("copydesk.dedup", function()
  it("finds exact and near-duplicates and names clusters by their first article", function()
    local d = cd.dedup.new()
    assert.same({ nil, 0, "story", false }, { d:add("story", STORY) })
    local match, sim, cluster, exact = d:add("edited", EDITED)
    assert.equals("story", match)
    assert.is_true(sim >= 0.8)
    assert.equals("story", cluster)
    assert.is_false(exact)
    assert.same({ nil, 0, 3, false }, { d:add(3, OTHER) })
    assert.same({ "story", 1, "story", true }, { d:add("copy", STORY:upper()) })
    assert.same({ nil, 0, "short", false }, { d:add("short", "Ferry sails") })
    assert.same({ "short", 1, "short", true }, { d:add("short2", "FERRY -- sails!") })
    assert.equals("story", d:cluster("copy"))
    assert.equals(3, d:cluster(3))
    assert.is_nil(d:cluster("unknown"))
    assert.equals(6, #d)
    assert.equals(6, d:count())
  end)

  it("confirms an estimate near the threshold by the exact similarity", function()
    -- a threshold the estimate of EDITED against STORY lies within the margin of, on the other
    -- side from the exact similarity: with the text the exact side wins, without it the estimate
    local est = cd.minhash_similarity(cd.minhash(STORY), cd.minhash(EDITED))
    local exact = cd.shingle_keys_jaccard(cd.shingle_keys(STORY), cd.shingle_keys(EDITED))
    assert.is_true(est ~= exact)
    local t = (est + exact) / 2
    assert.is_true(math.abs(est - t) < cd.minhash_margin(t))
    local with_text = cd.dedup.new { threshold = t }
    with_text:add("story", STORY)
    local match, sim = with_text:add("edited", EDITED)
    assert.equals(exact >= t and "story" or nil, match)
    assert.equals(exact >= t and exact or 0, sim)
    local estimate = cd.dedup.new { threshold = t }
    estimate:add_signature("story", cd.minhash(STORY))
    match, sim = estimate:add_signature("edited", cd.minhash(EDITED))
    assert.equals(est >= t and "story" or nil, match)
    assert.equals(est >= t and est or 0, sim)
  end)

  it("takes signatures with their keys", function()
    local d = cd.dedup.new()
    local sig, keys = cd.minhash(STORY, { keys = true })
    assert.same({ nil, 0, "a", false }, { d:add_keys("a", sig, keys) })
    sig, keys = cd.minhash(EDITED, { keys = true })
    local match, sim = d:add_keys("b", sig, keys)
    assert.equals("a", match)
    assert.equals(cd.shingle_keys_jaccard(cd.shingle_keys(STORY), keys), sim) -- confirmed
    assert.same({ nil, "not a set of shingle keys" }, { d:add_keys("c", sig, keys:sub(2)) })
    assert.same({ nil, "signatures made with other settings" },
      { d:add_keys("c", cd.minhash(OTHER, { seed = 1 }), "") })
    assert.equals(2, #d)
  end)

  it("verifies exactly on request and takes signatures", function()
    local d = cd.dedup.new { threshold = 0.5, exact = true }
    assert.same({ threshold = 0.5, num_perm = 128, ngram = 5, seed = 0, bands = 42, rows = 3,
      exact = true, keys_in_memory = false }, d:settings())
    d:add("a", STORY)
    local match, sim = d:add_signature("b", cd.minhash(EDITED), EDITED)
    assert.equals("a", match)
    assert.is_true(sim > 0.5 and sim < 1)
    assert.has_error(function() d:add_signature("c", cd.minhash(EDITED)) end,
      "bad argument #3 to 'add_signature' (the text is needed for exact verification)")
    local e = cd.dedup.new { seed = 9 }
    assert.same({ nil, "signatures made with other settings" },
      { e:add_signature("x", cd.minhash(STORY)) })
    assert.same({ nil, "not a MinHash signature" }, { e:add_signature("y", "abc") })
    assert.equals(0, #e)
    assert.equals("x", select(3, e:add_signature("x", cd.minhash(STORY, { seed = 9 }))))
  end)

  it("raises on programmer mistakes", function()
    assert.has_error(function() cd.dedup.new { treshold = 0.5 } end,
      "bad argument #1 to 'new' (unknown option 'treshold')")
    assert.has_error(function() cd.dedup.new { threshold = 0 } end,
      "bad argument #1 to 'new' (option 'threshold' must be in (0, 1])")
    assert.has_error(function() cd.dedup.new { bands = 4 } end,
      "bad argument #1 to 'new' (give both bands and rows, or neither)")
    assert.has_error(function() cd.dedup.new { bands = 4, rows = 64 } end,
      "bad argument #1 to 'new' (bands * rows above num_perm)")
    local d = cd.dedup.new()
    d:add("a", STORY)
    assert.has_error(function() d:add("a", OTHER) end,
      "bad argument #1 to 'add' (id already added)")
    assert.has_error(function() d:add({}, OTHER) end,
      "bad argument #1 to 'add' (id must be a string or a number)")
    assert.has_error(function() d:add(0 / 0, OTHER) end, "bad argument #1 to 'add' (id is NaN)")
    assert.has_error(function() d.add(io.stdout, "x", OTHER) end)
  end)

  it("names its type, closes, and refuses use when closed", function()
    local d = cd.dedup.new()
    assert.matches("^copydesk%.Dedup %(0 articles%)$", tostring(d))
    do
      local c <close> = d
      c:add("a", STORY)
      assert.matches("%(1 articles%)$", tostring(c))
    end
    assert.equals("copydesk.Dedup (closed)", tostring(d))
    assert.has_error(function() d:add("b", STORY) end, "attempt to use a closed index")
    d:close() -- idempotent
    assert.equals("copydesk.Dedup", getmetatable(d).__name)
    local ok, err = pcall(cd.dedup.new().add, io.stdout, "x", "y")
    assert.is_false(ok)
    assert.matches("copydesk.Dedup expected, got FILE", err)
  end)
end)
