local util = require "util"
local run = util.run

local DIR = "tests/fixtures/dedup"

-- The sources of the JSON lines in out, in order (the fixture names only).
local function sources(out)
  local t = {}
  for s in out:gmatch('"source":"[^"]*/([^"/]+)"') do t[#t + 1] = s end
  return t
end

local write = util.write

-- The staged pipeline on one machine: map, sort, reduce, filter of the articles in dir
-- (default DIR). Returns the filter's output and the clusters.
local function staged(map_cmd, extra, dir)
  dir = dir or DIR
  local tmp = util.tmpdir()
  local q = util.quote
  local cmd = string.format("%s | LC_ALL=C sort > %s && %s dedup --clusters %s %s > %s && " ..
    "%s dedup --remove %s %s %s > %s 2>/dev/null", map_cmd, q(tmp .. "/keys"), q(util.copydesk),
    extra, q(tmp .. "/keys"), q(tmp .. "/clusters"), q(util.copydesk), q(tmp .. "/clusters"),
    extra, q(dir), q(tmp .. "/out"))
  assert(os.execute(cmd), cmd)
  local out, clusters = util.slurp(tmp .. "/out"), util.slurp(tmp .. "/clusters")
  util.rmtree(tmp)
  return out, clusters
end

describe("copydesk dedup", function()
  it("shows its usage and is listed", function()
    local out, _, code = run { "dedup", "--help" }
    assert.equals(0, code)
    assert.matches("usage: copydesk dedup", out)
    out = run { "--list" }
    assert.matches("\ndedup +drop exact and near%-duplicate", "\n" .. out)
  end)

  it("keeps the first article of each cluster and counts the rest", function()
    local out, err, code = run { "dedup", DIR }
    assert.equals(0, code)
    assert.same({ "a-bridge-original.md", "d-market-distinct.txt", "e-short.txt",
      "g-short-other.txt" }, sources(out))
    assert.equals("dedup: read 7, written 4, dropped 3 (duplicate 1, near-duplicate 2), failed 0\n",
      err)
  end)

  it("keeps the earliest by a field, and labels clusters", function()
    local out = run { "dedup", DIR, "--keep-by", "date" }
    assert.same({ "b-bridge-resyndicated.md", "d-market-distinct.txt", "e-short.txt",
      "g-short-other.txt" }, sources(out))
    out = run { "dedup", DIR, "--keep-all", "--cluster-field", "cluster" }
    local labels = {}
    for line in out:gmatch("[^\n]+") do
      labels[line:match('"source":"[^"]*/([^"/]+)"')] = line:match('"cluster":"[^"]*/([^"/]+)"')
    end
    assert.same({ ["a-bridge-original.md"] = "a-bridge-original.md",
      ["b-bridge-resyndicated.md"] = "a-bridge-original.md",
      ["c-bridge-edited.txt"] = "a-bridge-original.md",
      ["d-market-distinct.txt"] = "d-market-distinct.txt", ["e-short.txt"] = "e-short.txt",
      ["f-short-copy.txt"] = "e-short.txt", ["g-short-other.txt"] = "g-short-other.txt" }, labels)
  end)

  it("keeps the first in input order of equal keep keys, and articles with a key first", function()
    local tmp = util.tmpdir()
    local body = util.slurp(DIR .. "/c-bridge-edited.txt")
    write(tmp .. "/1.md", body)
    write(tmp .. "/2.md", "---\ndate: 2021-05-04\n---\n" .. body)
    write(tmp .. "/3.md", "---\ndate: 2021-05-04\n---\n" .. body)
    assert.same({ "2.md" }, sources((run { "dedup", tmp, "--keep-by", "date" })))
    util.rmtree(tmp)
  end)

  it("compares numeric keep keys by value", function()
    local tmp = util.tmpdir()
    local body = util.slurp(DIR .. "/c-bridge-edited.txt")
    write(tmp .. "/1.md", "---\npublished: 1620000000\n---\n" .. body)
    write(tmp .. "/2.md", "---\npublished: 990000000\n---\n" .. body)
    local out = run { "dedup", tmp, "--keep-by", "published" }
    assert.same({ "2.md" }, sources(out))
    util.rmtree(tmp)
  end)

  it("writes the clusters and the output file", function()
    local tmp = util.tmpdir()
    local _, _, code = run { "dedup", DIR, "-o", tmp .. "/kept.jsonl.gz", "--write-clusters",
      tmp .. "/clusters.tsv" }
    assert.equals(0, code)
    local kept = io.popen("gzip -dc " .. util.quote(tmp .. "/kept.jsonl.gz")):read("a")
    assert.equals(run { "dedup", DIR }, kept)
    assert.is_nil(io.open(tmp .. "/kept.jsonl.gz.tmp"))
    assert.equals(table.concat({
      DIR .. "/a-bridge-original.md\t" .. DIR .. "/a-bridge-original.md",
      DIR .. "/b-bridge-resyndicated.md\t" .. DIR .. "/a-bridge-original.md",
      DIR .. "/c-bridge-edited.txt\t" .. DIR .. "/a-bridge-original.md",
      DIR .. "/e-short.txt\t" .. DIR .. "/e-short.txt",
      DIR .. "/f-short-copy.txt\t" .. DIR .. "/e-short.txt", "" }, "\n"),
      util.slurp(tmp .. "/clusters.tsv"))
    util.rmtree(tmp)
  end)

  it("with a high threshold, keeps the edited copy", function()
    local out = run { "dedup", DIR, "--threshold", "0.99", "--exact" }
    assert.same({ "a-bridge-original.md", "b-bridge-resyndicated.md", "c-bridge-edited.txt",
      "d-market-distinct.txt", "e-short.txt", "g-short-other.txt" }, sources(out))
  end)

  it("rejects bad settings and mixed modes", function()
    local _, err, code = run { "dedup", DIR, "--threshold", "1.5" }
    assert.equals(2, code)
    assert.matches("%-%-threshold must be a number in", err)
    _, err, code = run { "dedup", DIR, "--num-perm", "0" }
    assert.equals(2, code)
    _, err, code = run { "dedup", "--signatures", "--clusters", DIR }
    assert.equals(2, code)
    assert.matches("choose one of", err)
    _, _, code = run { "dedup" }
    assert.equals(2, code)
  end)

  it("reports a missing input and goes on", function()
    local out, err, code = run { "dedup", DIR .. "/e-short.txt", "no-such-file" }
    assert.equals(1, code)
    assert.same({ "e-short.txt" }, sources(out))
    assert.matches("no%-such%-file", err)
    assert.matches("failed 1 %(read 1%)", err)
    out, err, code = run { "dedup", DIR, "--max-article", "300" }
    assert.equals(1, code)
    assert.same({ "e-short.txt", "g-short-other.txt" }, sources(out))
    assert.matches("c%-bridge%-edited.txt: article of %d+ bytes, over the limit of 300 bytes", err)
    assert.matches("failed 4 %(too%-large 4%)", err)
  end)

  it("stops, naming the folder, when the index cannot make its spill file in TMPDIR", function()
    local q, err = util.quote, os.tmpname()
    local function with_tmpdir(extra)
      local _, _, code = os.execute("TMPDIR=/nonexistent " .. q(util.copydesk) .. " dedup " ..
        extra .. q(DIR) .. " >/dev/null 2>" .. q(err))
      return code, util.slurp(err)
    end
    local code, msg = with_tmpdir("")
    assert.equals(1, code)
    assert.matches("^copydesk dedup: [^\n]+: cannot create the spill file: No such file or " ..
      "directory %(in /nonexistent: set TMPDIR to a writable folder with room, or use " ..
      "%-%-estimate%)\n$", msg)
    code, msg = with_tmpdir("--estimate ") -- keeps no keys: needs no file
    assert.equals(0, code)
    assert.matches("^dedup: read %d+, written", msg)
    os.remove(err)
  end)

  it("staged with sort gives what one machine gives", function()
    local one = run { "dedup", DIR }
    local out, clusters = staged(util.quote(util.copydesk) .. " dedup --signatures " ..
      util.quote(DIR) .. " 2>/dev/null", "")
    assert.equals(one, out)
    assert.matches("f%-short%-copy.txt\t[^\n]*e%-short.txt\n", clusters)
  end)

  it("staged under GNU parallel gives what one machine gives", function()
    if not os.execute("command -v parallel >/dev/null 2>&1") then
      pending("GNU parallel is not installed: skipped")
      return
    end
    local one = run { "dedup", DIR }
    local map = string.format("ls %s/* | parallel --will-cite -j 3 -N 2 %s dedup --signatures " ..
      "{} 2>/dev/null", util.quote(DIR), util.quote(util.copydesk))
    assert.equals(one, (staged(map, "")))
  end)

  it("staged with --keep-by keeps what one machine keeps", function()
    local one = run { "dedup", DIR, "--keep-by", "date" }
    local out, clusters = staged(util.quote(util.copydesk) .. " dedup --signatures --keep-by date " ..
      util.quote(DIR) .. " 2>/dev/null", "")
    assert.equals(one, out)
    assert.matches("a%-bridge%-original.md\t[^\n]*b%-bridge%-resyndicated.md\n", clusters)
    assert.matches("b%-bridge%-resyndicated.md\t[^\n]*b%-bridge%-resyndicated.md\n", clusters)
  end)

  -- Two articles whose estimate and exact similarity lie on either side of the threshold: both
  -- runs settle the pair by the exact similarity (the estimate alone, --estimate, keeps both).
  it("staged settles a pair near the threshold exactly, as one machine does", function()
    local tmp = util.tmpdir()
    local story = "The harbour ferry carried a record number of passengers on Saturday, the " ..
      "port authority said, as crowds travelled to the regatta on the north shore. Officials " ..
      "had added two sailings to the timetable after tickets for the morning boats sold out " ..
      "within an hour, and the last boat home left twenty minutes late because of the queue " ..
      "at the pier."
    write(tmp .. "/1.txt", story)
    write(tmp .. "/2.txt", (story:gsub("Saturday", "Sunday")))
    local est = run { "-e", "local cd = copydesk; local a, b = ... ; print(cd.minhash_similarity(" ..
      "cd.minhash(a), cd.minhash(b)), cd.shingle_keys_jaccard(cd.shingle_keys(a), " ..
      "cd.shingle_keys(b)))", story, (story:gsub("Saturday", "Sunday")) }
    local e, x = est:match("^(%S+)\t(%S+)")
    assert.equals("0.8125", e)
    assert.is_true(tonumber(x) > 0.83, x)
    local one, err = run { "dedup", tmp, "--threshold", "0.82" }
    assert.equals("dedup: read 2, written 1, dropped 1 (near-duplicate 1), failed 0\n", err)
    local out, clusters = staged(util.quote(util.copydesk) .. " dedup --threshold 0.82 " ..
      "--signatures " .. util.quote(tmp) .. " 2>/dev/null", "--threshold 0.82", tmp)
    assert.equals(one, out)
    assert.equals(tmp .. "/1.txt\t" .. tmp .. "/1.txt\n" .. tmp .. "/2.txt\t" .. tmp .. "/1.txt\n",
      clusters)
    -- with --estimate no keys are kept, and both runs let the estimate decide
    one, err = run { "dedup", tmp, "--threshold", "0.82", "--estimate" }
    assert.equals("dedup: read 2, written 2, dropped 0, failed 0\n", err)
    out, clusters = staged(util.quote(util.copydesk) .. " dedup --threshold 0.82 --estimate " ..
      "--signatures " .. util.quote(tmp) .. " 2>/dev/null", "--threshold 0.82", tmp)
    assert.equals(one, out)
    assert.equals("", clusters)
    local _, uerr, code = run { "dedup", tmp, "--exact", "--estimate" }
    assert.equals(2, code)
    assert.matches("choose one of %-%-exact and %-%-estimate", uerr)
    util.rmtree(tmp)
  end)

  it("reads JSON lines, from a file or standard input, with ids from the records", function()
    local tmp = util.tmpdir()
    local body = util.slurp(DIR .. "/c-bridge-edited.txt"):gsub("\n", "\\n"):gsub('"', '\\"')
    local other = util.slurp(DIR .. "/d-market-distinct.txt"):gsub("\n", "\\n"):gsub('"', '\\"')
    local corpus = table.concat({
      '{"id":"r1","date":"2021-05-03","text":"' .. body .. '"}',
      '{"id":"r2","date":"2021-05-01","text":"' .. body:gsub("bridge", "BRIDGE") .. '"}',
      '{"text":"' .. other .. '"}',
      "not json", "" }, "\n")
    write(tmp .. "/corpus.jsonl", corpus)
    local out, err, code = run { "dedup", tmp .. "/corpus.jsonl", "--keep-by", "date",
      "--write-clusters", tmp .. "/clusters.tsv", "--cluster-field", "kept", "--keep-all" }
    assert.equals(1, code)
    assert.matches("corpus.jsonl:4:%d+: invalid JSON", err)
    assert.matches("dedup: read 4, written 3, dropped 0, failed 1 %(bad%-json 1%)\n$", err)
    local kept = {}
    for line in out:gmatch("[^\n]+") do
      kept[#kept + 1] = (line:match('"id":"([^"]+)"') or "-") .. " " .. line:match('"kept":"([^"]+)"')
    end
    assert.same({ "r1 r2", "r2 r2", "- " .. tmp .. "/corpus.jsonl:3" }, kept)
    assert.equals("r1\tr2\nr2\tr2\n", util.slurp(tmp .. "/clusters.tsv"))
    local from_stdin, serr = run({ "dedup", "-", "--keep-by", "date" }, corpus)
    assert.matches("^copydesk: %-:4:%d+: invalid JSON\n", serr)
    assert.matches("dedup: read 4, written 2, dropped 1 %(duplicate 1%), failed 1", serr)
    assert.matches('"id":"r2"', from_stdin)
    assert.matches('"source":"%-"', from_stdin)
    assert.not_matches('"id":"r1"', from_stdin)
    util.rmtree(tmp)
  end)

  it("refuses band lines after the content lines (a sort that is not byte order)", function()
    local tmp = util.tmpdir()
    local keys = run { "dedup", "--signatures", DIR }
    local content, bands = {}, {}
    for line in keys:gmatch("[^\n]+") do
      table.insert(line:sub(1, 1) == "c" and content or bands, line)
    end
    write(tmp .. "/keys", table.concat(content, "\n") .. "\n" .. table.concat(bands, "\n") .. "\n")
    local _, err, code = run { "dedup", "--clusters", tmp .. "/keys" }
    assert.equals(1, code)
    assert.matches("keys:" .. #content + 1 .. ": a band line after the content lines: sort the " ..
      "lines in byte order %(LC_ALL=C sort%)", err)
    util.rmtree(tmp)
  end)

  it("refuses lines that are not signature lines, and signatures made otherwise", function()
    local tmp = util.tmpdir()
    write(tmp .. "/keys", "not a line\n")
    local _, err, code = run { "dedup", "--clusters", tmp .. "/keys" }
    assert.equals(1, code)
    assert.matches("keys:1: not a signature line", err)
    local a = run { "dedup", "--signatures", DIR .. "/a-bridge-original.md" }
    local c = run { "dedup", "--signatures", "--seed", "7", DIR .. "/c-bridge-edited.txt" }
    local key = "b1:0000000000000000\t"
    local function band_line(out) return key .. out:match("\nb[^\t]*\t([^\n]+)") .. "\n" end
    write(tmp .. "/keys", band_line(a) .. band_line(c))
    _, err, code = run { "dedup", "--clusters", tmp .. "/keys" }
    assert.equals(1, code)
    assert.matches("keys:2: signatures made with other settings", err)
    util.rmtree(tmp)
  end)
end)
