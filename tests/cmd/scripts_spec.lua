-- The worked examples of the README's "Writing scripts" section, run on their fixture articles,
-- so they never rot.
local util = require "util"
local run = util.run

local ARTICLES = "tests/fixtures/scripts/articles"
local function example(name) return "tests/fixtures/scripts/" .. name .. ".lua" end

local function records(out)
  local t = {}
  for line in out:gmatch("[^\n]+") do t[#t + 1] = line end
  return t
end

-- The JSON lines of out by source file name, the file name only.
local function by_source(out)
  local t = {}
  for _, line in ipairs(records(out)) do t[line:match('"source":"[^"]*/([^"/]+)"')] = line end
  return t
end

describe("the worked examples", function()
  it("fix one field: dates become ISO 8601 in UTC, a date that will not parse stays", function()
    local out, err, code = run { example("fix_date"), ARTICLES }
    assert.equals(0, code)
    assert.equals(example("fix_date") .. ": read 5, written 5, dropped 0, failed 0\n", err)
    local got = by_source(out)
    assert.matches('"date":"2021-03-14T14:02:00Z"', got["harbour-1.md"], 1, true)
    assert.matches('"date":"2021-06-12"', got["harbour-2.md"], 1, true)
    assert.matches('"date":"2021-06-12T15:45:00Z"', got["gazette-1.md"], 1, true)
    assert.not_matches('"date"', got["brief.md"])
  end)

  it("drop articles by a rule: each drop counted under its reason and in --rejects", function()
    local tmp = util.tmpdir()
    local out, err, code = run { example("drop_short"), ARTICLES, "--rejects", tmp .. "/rejects.jsonl" }
    assert.equals(0, code)
    assert.equals(example("drop_short") .. ": read 5, written 3, dropped 2 (no-title 1, too-short 1), failed 0\n", err)
    local got = by_source(out)
    assert.is_nil(got["brief.md"])
    assert.is_nil(got["untitled.txt"])
    local rejects = by_source(util.slurp(tmp .. "/rejects.jsonl"))
    assert.matches('^{"kind":"article","reason":"too%-short"', rejects["brief.md"])
    assert.matches('^{"kind":"article","reason":"no%-title"', rejects["untitled.txt"])
    util.rmtree(tmp)
  end)

  it("add a site's boilerplate list: that site's lines go, other sites keep them", function()
    local out, err, code = run { example("site_boilerplate"), ARTICLES }
    assert.equals(0, code)
    assert.equals(example("site_boilerplate") ..
      ": read 5, written 5, dropped 0, failed 0; removed site-boilerplate 3\n", err)
    local got = by_source(out)
    assert.matches('"text":"The ferry returned to the island on Sunday after a week in dry dock.\\n\\n' ..
      'Crew members said the engines had been rebuilt. Passengers cheered as it docked.\\n"', got["harbour-1.md"], 1, true)
    assert.matches('"text":"Two walkers cut off by the tide were rescued by the lifeboat crew on Friday evening.\\n"',
      got["harbour-2.md"], 1, true)
    assert.matches("Follow Harbour News on Twitter and Facebook, the winners said", got["gazette-1.md"], 1, true)
  end)

  it("count words per site", function()
    local out, err, code = run { example("words_per_site"), ARTICLES }
    assert.equals(0, code)
    assert.equals("", err)
    assert.equals("(none)\t1\t22\nbay-gazette\t2\t35\nharbour-news\t2\t70\n", out)
    -- The same sums through copydesk.count_words, file by file.
    local cd = require "copydesk"
    local function words(name)
      return cd.count_words(cd.parse(util.slurp(ARTICLES .. "/" .. name)).body)
    end
    assert.equals(22, words("untitled.txt"))
    assert.equals(35, words("gazette-1.md") + words("brief.md"))
    assert.equals(70, words("harbour-1.md") + words("harbour-2.md"))
  end)

  it("export sentences as JSON lines, body paragraphs only, positions into the body", function()
    local out, err, code = run { example("sentences_jsonl"), ARTICLES .. "/harbour-1.md" }
    assert.equals(0, code)
    assert.equals("", err)
    local src = '"source":"' .. ARTICLES .. '/harbour-1.md",'
    assert.same({
      '{"n":1,"pos":1,' .. src .. '"text":"The ferry returned to the island on Sunday after a week in dry dock."}',
      '{"n":2,"pos":116,' .. src .. '"text":"Crew members said the engines had been rebuilt."}',
      '{"n":3,"pos":164,' .. src .. '"text":"Passengers cheered as it docked."}',
      '{"n":4,"pos":198,' .. src .. '"text":"Harbour News is an independent paper owned by its readers."}',
    }, records(out))
    -- Each position is where the sentence starts in the article's body.
    local body = require("copydesk.article").parse(util.slurp(ARTICLES .. "/harbour-1.md")).body
    assert.equals("Crew members", body:sub(116, 127))
    assert.equals("Passengers", body:sub(164, 173))
  end)
end)
