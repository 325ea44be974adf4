local util = require "util"
local run = util.run

describe("copydesk stats", function()
  it("shows its usage and checks --top", function()
    local out, _, code = run { "stats", "--help" }
    assert.equals(0, code)
    assert.matches("usage: copydesk stats INPUT", out)
    local _, err
    _, err, code = run { "stats", "tests/fixtures/articles", "--top", "x" }
    assert.equals(2, code)
    assert.matches("option '%-%-top' must be a whole number, got 'x'", err)
  end)

  it("summarises the fixture articles into the expected histograms", function()
    local out, err, code = run { "stats", "tests/fixtures/articles", "--top", "5" }
    assert.equals(0, code)
    assert.equals(util.slurp("tests/cmd/expected/stats-articles.txt"), out)
    assert.equals("stats: read 6, written 6, dropped 0, failed 0\n", err)
  end)

  it("counts what it measures: every article in one length bucket", function()
    local out = run { "stats", "tests/fixtures/articles", "--raw" }
    local total = 0
    local section = out:match("words per article: [^\n]*\n(.-)\n\n")
    for n in section:gmatch(" (%d+)\n") do total = total + tonumber(n) end
    assert.equals(6, total)
    assert.not_matches("removed:", out)
  end)

  it("reports inputs it cannot read or parse, and goes on", function()
    local out, err, code = run { "stats", "tests/fixtures/bad", "tests/fixtures/articles/plain-interview.txt" }
    assert.equals(1, code)
    assert.matches("^articles: 3 read, 1 measured, 2 failed %(plain 1%)\n", out)
    assert.matches("stats: read 3, written 1, dropped 0, failed 2 %(parse 2%)", err)
  end)
end)
