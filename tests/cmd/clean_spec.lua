local util = require "util"
local run = util.run

local function lines(s)
  local t = {}
  for l in s:gmatch("[^\n]+") do t[#t + 1] = l end
  return t
end

-- The checks every cleaned article must pass, whatever its source.
local function assert_clean(body)
  assert.not_matches("\nAdvertisement\n", "\n" .. body)
  assert.not_matches("\xc3\x82\xc2\xa3", body)
  for para in body:gmatch("[^\n]+") do
    -- No caption paragraph: a short capitalised label, ':' or '!', and no closing full stop.
    local label = para:match("^(%u[%w%-' ]-)[:!] %u")
    if label and #label < 30 and not para:match("[.?!'\"]$") then
      error("caption left in: " .. para)
    end
  end
end

describe("copydesk clean", function()
  it("shows its usage", function()
    local out, _, code = run { "clean", "--help" }
    assert.equals(0, code)
    assert.matches("usage: copydesk clean INPUT", out)
    assert.matches("%-%-format FORMAT", out)
  end)

  it("needs an input and names a bad option", function()
    local _, err, code = run { "clean" }
    assert.equals(2, code)
    assert.matches("missing arguments", err)
    _, err, code = run { "clean", "x", "--format", "xml" }
    assert.equals(2, code)
    assert.matches("option '%-%-format' must be one of jsonl, front%-matter, text, got 'xml'", err)
  end)

  it("cleans the fixture articles into the expected JSON lines", function()
    local out, err, code = run { "clean", "tests/fixtures/articles" }
    assert.equals(0, code)
    assert.equals(util.slurp("tests/cmd/expected/clean-articles.jsonl"), out)
    assert.equals(util.slurp("tests/cmd/expected/clean-articles.stderr"), err)
  end)

  it("repairs, strips and tidies every quirk of the fixtures", function()
    local out = run { "clean", "tests/fixtures/articles" }
    local docs = lines(out)
    assert.equals(4, #docs)
    for _, d in ipairs(docs) do
      local body = assert(d:match('"text":"(.*)"}$')):gsub("\\n", "\n")
      assert_clean(body)
    end
    assert.matches('"title":"Island ferry completes first crossing as crowds line the quay",', out)
    assert.matches('"date":"2021%-03%-14T14:02:00Z"', out)
    assert.matches("\xc2\xa34,000,000", out)
    assert.matches("a reel beauty", out) -- the author's typo stays
    assert.matches("Speaking at the quay, the mayor said: 'It's a gorgeous morning for it.'", out, 1, true)
    assert.matches("Advertisement for the new caf\xc3\xa9 was painted", out, 1, true)
  end)

  it("writes front matter files into a folder, keeping relative paths", function()
    local tmp = util.tmpdir()
    local _, _, code = run { "clean", "tests/fixtures/articles", "-o", tmp .. "/out", "--format", "front-matter" }
    assert.equals(0, code)
    local text = util.slurp(tmp .. "/out/ferry-front-matter.md")
    assert.matches("^%-%-%-\n", text)
    assert.matches("\ntitle: Island ferry completes first crossing as crowds line the quay\n", text)
    assert.matches("\ndate: '?2021%-03%-14T14:02:00Z'?\n", text)
    local cd = require "copydesk"
    local art = assert(cd.parse(text))
    assert_clean(art.body)
    assert.is_not_nil(io.open(tmp .. "/out/harbour-dated.md"))
    util.rmtree(tmp)
  end)

  it("writes the JSON lines to a file through a temporary name", function()
    local tmp = util.tmpdir()
    local _, _, code = run { "clean", "tests/fixtures/articles", "-o", tmp .. "/c.jsonl" }
    assert.equals(0, code)
    assert.equals(4, #lines(util.slurp(tmp .. "/c.jsonl")))
    assert.is_nil(io.open(tmp .. "/c.jsonl.tmp"))
    util.rmtree(tmp)
  end)

  it("reports bad inputs by name, line and reason, and goes on with the rest", function()
    local out, err, code = run { "clean", "tests/fixtures/bad", "tests/fixtures/articles/harbour-dated.txt",
      "no/such/file.md" }
    assert.equals(1, code)
    assert.equals(1, #lines(out))
    assert.matches("copydesk: tests/fixtures/bad/invalid%-yaml%.md:%d+:%d+: ", err)
    assert.matches("copydesk: tests/fixtures/bad/unclosed%-front%-matter%.md:1:1: ", err)
    assert.matches("copydesk: no/such/file%.md: No such file or directory", err)
    assert.matches("clean: read 4, written 1, dropped 0, failed 3 %(parse 2, read 1%)", err)
  end)

  it("cleans the shared sample articles when they are there", function()
    local dir = util.seeds_dir()
    if not dir then
      pending("../shared/seeds not found: skipped")
      return
    end
    local out, err, code = run { "clean", dir .. "/000_77c993fc27e54f8f.txt",
      dir .. "/001_3e7726d9f750c9dd.txt", dir .. "/002_30c8dff3c00f5c01.txt" }
    assert.equals(0, code, err)
    local docs = lines(out)
    assert.equals(3, #docs)
    assert.matches("\xc2\xa3500,000", out)
    assert.not_matches("\xc3\x82\xc2\xa3", out)
    for _, d in ipairs(docs) do
      assert.matches('"date":"%d%d%d%d%-%d%d%-%d%d', d)
      assert.not_matches('"title":"[^"]*\\n"', d)
      assert_clean((assert(d:match('"text":"(.*)"}$')):gsub("\\n", "\n")))
    end
  end)
end)
