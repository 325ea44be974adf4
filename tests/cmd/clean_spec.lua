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
    assert.equals(6, #docs)
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
    assert.equals(6, #lines(util.slurp(tmp .. "/c.jsonl")))
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

  it("splits glued descriptions, drops generator keys and bad URLs, flags impossible dates", function()
    local out = run { "clean", "tests/fixtures/articles" }
    assert.not_matches('"extends":', out)
    assert.not_matches('"layout":', out)
    assert.not_matches('"image":"/images', out)
    assert.matches('"description":"The harbour\'s new ferry made its first crossing on Sunday. Mayor Ellen ' ..
      'Brooke said the vessel was a promise kept to the islanders. The crossing took 38 minutes.",', out, 1, true)
    assert.matches('"date":"2021-06-12T15:45:00Z","published":"2021-06-12T15:45:00Z",' ..
      '"modified":"2099-01-01T00:00:00Z","url":"https://example.com/2021/06/regatta",' ..
      '"copydesk_flags":["modified: date-future"]', out, 1, true)
    -- the traps stay whole; the repeat goes, the first copy stays
    for _, trap in ipairs { "McQuarrie", "U.S. crews", "www.Example.com/Regatta.Results", "iPhone", "9.30am",
      "2.5 times" } do
      assert.matches(trap, out, 1, true)
    end
    local _, copies = out:gsub("Organiser Ian McQuarrie said the event", "")
    assert.equals(2, copies) -- once in the body, once in the description
  end)

  it("keeps what each switch turns off", function()
    local out = run { "clean", "tests/fixtures/articles/regatta-quirks.md", "--no-glue", "--no-boilerplate",
      "--no-captions", "--no-repeats", "--keep-generator-keys" }
    assert.matches("Advertisement\\n", out, 1, true)
    assert.matches("Close finish: ", out, 1, true)
    assert.matches("morning.The first heat", out, 1, true)
    assert.matches("CROWDS GATHERED", out, 1, true)
    assert.matches('"layout":"post"', out, 1, true)
    out = run { "clean", "tests/fixtures/articles/regatta-quirks.md", "--no-meta" }
    assert.matches('"date":"Sat, 12 Jun 2021 16:45:00 +0100"', out, 1, true)
    assert.matches("AdvertisementRowers", out, 1, true)
  end)

  it("writes every removed piece and dropped article to --rejects with its reason", function()
    local tmp = util.tmpdir()
    local _, err, code = run { "clean", "tests/fixtures/articles", "-o", "/dev/null", "--rejects", tmp .. "/r.jsonl" }
    assert.equals(0, code, err)
    local recs = lines(util.slurp(tmp .. "/r.jsonl"))
    local by = {}
    for _, r in ipairs(recs) do
      local kind, reason = r:match('^{"kind":"([%w-]+)","reason":"([%w-]+)","source":"[^"]+","text":".*"}$')
      assert.is_string(kind, r)
      by[kind .. " " .. reason] = (by[kind .. " " .. reason] or 0) + 1
    end
    -- every removal the summary counts is there
    assert.equals(11, (by["paragraph boilerplate"] or 0) + (by["description boilerplate"] or 0))
    assert.equals(2, by["paragraph repeat"])
    assert.equals(6, by["meta generator-key"])
    assert.equals(1, by["meta bad-url"])
    assert.matches('{"kind":"paragraph","reason":"boilerplate","source":"tests/fixtures/articles/regatta-quirks.md",' ..
      '"text":"Photo: Harbour Camera Club"}', util.slurp(tmp .. "/r.jsonl"), 1, true)
    assert.is_nil(io.open(tmp .. "/r.jsonl.tmp"))
    util.rmtree(tmp)
  end)

  it("records a dropped article in the rejects", function()
    local tmp = util.tmpdir()
    local f = assert(io.open(tmp .. "/only-furniture.txt", "w"))
    f:write("Advertisement\n\nShare this article\n")
    f:close()
    local out, err, code = run { "clean", tmp .. "/only-furniture.txt", "--rejects", tmp .. "/r.jsonl" }
    assert.equals(0, code)
    assert.equals("", out)
    assert.matches("dropped 1 %(empty 1%)", err)
    assert.matches('{"kind":"article","reason":"empty","source":"' .. tmp .. '/only-furniture.txt","text":""}',
      util.slurp(tmp .. "/r.jsonl"), 1, true)
    util.rmtree(tmp)
  end)

  it("takes more boilerplate patterns from files", function()
    local out, err, code = run { "clean", "tests/fixtures/clean/site/story-1.txt", "--boilerplate",
      "tests/fixtures/clean/harbour.patterns" }
    assert.equals(0, code, err)
    assert.not_matches("independent paper", out)
    assert.matches("Follow Harbour News", out)
    _, err, code = run { "clean", "tests/fixtures/clean/site/story-1.txt", "--boilerplate", "no/such.patterns" }
    assert.equals(1, code)
    assert.matches("no/such%.patterns", err)
  end)

  it("learns the lines a site repeats in many articles, and reports them with their counts", function()
    local out, err, code = run { "clean", "tests/fixtures/clean/site", "tests/fixtures/clean/story-elsewhere.txt",
      "--learn-boilerplate" }
    assert.equals(0, code, err)
    assert.equals("copydesk: site tests/fixtures/clean/site: learned boilerplate 'follow harbour news on twitter " ..
      "and facebook' (in 6 of 6 articles)\n" ..
      "copydesk: site tests/fixtures/clean/site: learned boilerplate 'harbour news is an independent paper owned " ..
      "by its readers.' (in 6 of 6 articles)\n" ..
      "clean: read 7, written 7, dropped 0, failed 0; removed site-boilerplate 12\n", err)
    local docs = lines(out)
    assert.equals(7, #docs)
    for i = 1, 6 do assert.not_matches("Follow Harbour News", docs[i]) end
    assert.matches("Follow Harbour News", docs[7]) -- another site: one article is no pattern
    -- without the option nothing is learned
    out = run { "clean", "tests/fixtures/clean/site" }
    assert.matches("Follow Harbour News", out)
  end)

  it("drops what the gopher, c4 and fineweb filters would drop, and says which rule", function()
    local tmp = util.tmpdir()
    local out, err, code = run { "clean", "tests/fixtures/articles", "--quality-filter", "gopher", "--rejects", tmp .. "/r" }
    assert.equals(0, code)
    assert.equals(5, #lines(out))
    assert.matches("dropped 1 %(gopher%-word%-count 1%)", err) -- the lighthouse has 33 words
    assert.matches('{"kind":"article","reason":"gopher-word-count","source":"tests/fixtures/articles/' ..
      'plain-lighthouse.txt","text":"The lighthouse keeper', util.slurp(tmp .. "/r"), 1, true)
    util.rmtree(tmp)
    _, err = run { "clean", "tests/fixtures/articles", "--quality-filter", "fineweb", "-o", "/dev/null" }
    assert.matches("dropped 1 %(fineweb%-dup%-line%-chars 1%)", err) -- "Yes." twice in the interview
    _, err = run { "clean", "tests/fixtures/articles", "tests/fixtures/clean/lorem-ipsum.txt", "--quality-filter", "c4",
      "-o", "/dev/null" }
    assert.matches("read 7, written 6, dropped 1 %(c4%-lorem%-ipsum 1%)", err)
    -- five lines of sentences, but C4 keeps only the last line (the others are headlines without
    -- a full stop), and it holds two sentences; the article is dropped, the others kept whole
    local tmp2 = util.tmpdir()
    out, err = run { "clean", "tests/fixtures/articles", "tests/fixtures/clean/c4-headlines.txt",
      "--quality-filter", "c4", "--rejects", tmp2 .. "/r" }
    assert.matches("read 7, written 6, dropped 1 %(c4%-sentences 1%)", err)
    assert.matches('"reason":"c4-sentences","source":"tests/fixtures/clean/c4-headlines.txt"',
      util.slurp(tmp2 .. "/r"), 1, true)
    local plain = run { "clean", "tests/fixtures/articles" }
    assert.equals(plain, out)
    util.rmtree(tmp2)
    _, err = run { "clean", "tests/fixtures/articles", "--quality-filter", "c4", "--quality-filter", "fineweb", "-o", "/dev/null" }
    assert.matches("dropped 1 %(fineweb%-dup%-line%-chars 1%)", err)
    _, err, code = run { "clean", "tests/fixtures/articles", "--quality-filter", "dolma" }
    assert.equals(2, code)
    assert.matches("option '%-%-quality%-filter' must be one of gopher, c4, fineweb, got 'dolma'", err)
  end)

  it("derives a missing title only when asked", function()
    local out = run { "clean", "tests/fixtures/articles/plain-interview.txt" }
    assert.not_matches('"title"', out)
    out = run { "clean", "tests/fixtures/articles/plain-interview.txt", "--derive-title" }
    assert.matches('"title":"Q: What brought you back to the island?"', out, 1, true)
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
    -- the glued descriptions are split at every seam, their caption and marker gone
    local descriptions = 0
    for desc in out:gmatch('"description":"(.-)","') do
      descriptions = descriptions + 1
      for _, seam in ipairs { "franchise.And", "MondayTom", "AdvertisementHe", "BMW.It", "Drama: " } do
        assert.not_matches(seam, desc, 1, true)
      end
    end
    assert.equals(2, descriptions)
    assert.matches('"description":"He has been busy filming scenes for the latest instalment in the iconic ' ..
      'film franchise. And Tom Cruise proved', out, 1, true)
    assert.not_matches('"extends":', out)
    for _, d in ipairs(docs) do
      assert.matches('"date":"%d%d%d%d%-%d%d%-%d%d', d)
      assert.not_matches('"title":"[^"]*\\n"', d)
      assert_clean((assert(d:match('"text":"(.*)"}$')):gsub("\\n", "\n")))
    end
  end)
end)
