local util = require "util"
local run = util.run

local DIR = "tests/fixtures/dedup"

-- The sources of the JSON lines in out, in order (the fixture names only).
local function sources(out)
  local t = {}
  for s in out:gmatch('"source":"[^"]*/([^"/]+)"') do t[#t + 1] = s end
  return t
end

local function write(path, s)
  local f = assert(io.open(path, "wb"))
  f:write(s)
  f:close()
end

-- The staged pipeline on one machine: map, sort, reduce, filter. Returns the filter's output.
local function staged(map_cmd, extra)
  local tmp = util.tmpdir()
  local q = util.quote
  local cmd = string.format("%s | LC_ALL=C sort > %s && %s dedup --clusters %s %s > %s && " ..
    "%s dedup --remove %s %s %s > %s 2>/dev/null", map_cmd, q(tmp .. "/keys"), q(util.copydesk),
    extra, q(tmp .. "/keys"), q(tmp .. "/clusters"), q(util.copydesk), q(tmp .. "/clusters"),
    extra, q(DIR), q(tmp .. "/out"))
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
    local _, _, code = run { "dedup", DIR, "-o", tmp .. "/kept.jsonl", "--write-clusters",
      tmp .. "/clusters.tsv" }
    assert.equals(0, code)
    assert.equals(4, select(2, util.slurp(tmp .. "/kept.jsonl"):gsub("\n", "")))
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

  it("refuses lines that are not signature lines, and signatures made otherwise", function()
    local tmp = util.tmpdir()
    write(tmp .. "/keys", "not a line\n")
    local _, err, code = run { "dedup", "--clusters", tmp .. "/keys" }
    assert.equals(1, code)
    assert.matches("keys:1: not a signature line", err)
    local a = run { "dedup", "--signatures", DIR .. "/a-bridge-original.md" }
    local c = run { "dedup", "--signatures", "--seed", "7", DIR .. "/c-bridge-edited.txt" }
    local key = "b1:0000000000000000\t"
    write(tmp .. "/keys", key .. a:match("\t([^\n]+)") .. "\n" .. key .. c:match("\t([^\n]+)") .. "\n")
    _, err, code = run { "dedup", "--clusters", tmp .. "/keys" }
    assert.equals(1, code)
    assert.matches("keys:2: signatures made with other settings", err)
    util.rmtree(tmp)
  end)
end)
