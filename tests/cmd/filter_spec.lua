-- User filters through the command: `clean --filter FILE`, `--filter-first FILE`, and a filter
-- script run directly (`copydesk FILTER.lua INPUT...`).
local util = require "util"
local run = util.run

local ARTICLES = "tests/fixtures/scripts/articles"

local function lines(s)
  local t = {}
  for l in s:gmatch("[^\n]+") do t[#t + 1] = l end
  return t
end

-- Writes each script into a fresh folder; returns the folder and the paths by name.
local function scripts(list)
  local dir, paths = util.tmpdir(), {}
  for name, text in pairs(list) do
    paths[name] = dir .. "/" .. name .. ".lua"
    local f = assert(io.open(paths[name], "w"))
    f:write(text)
    f:close()
  end
  return dir, paths
end

describe("filters", function()
  it("run after clean's built-in steps with --filter: handlers see the cleaned text", function()
    -- The built-in steps take "Advertisement" out first, so the filter never sees one.
    local dir, f = scripts { ads = [[
return { paragraph = function(text) if text == "Advertisement" then return false, "seen-ad" end end }
]] }
    local _, err, code = run { "clean", "tests/fixtures/articles", "--filter", f.ads, "-o", "/dev/null" }
    assert.equals(0, code)
    assert.not_matches("seen%-ad", err)
    assert.matches("removed boilerplate", err)
    util.rmtree(dir)
  end)

  it("run before the built-in steps with --filter-first, and in the order given", function()
    local dir, f = scripts {
      ads = [[
return { paragraph = function(text) if text == "Advertisement" then return false, "seen-ad" end end }
]],
      mark = [[return { article = function(art) art.body = art.body .. "\n\nMARK-" .. #art.meta .. "\n" end }]],
      stamp = [[return { meta = function(m) m.order = (m.order or "") .. "stamp" end }]],
      again = [[return { meta = function(m) m.order = (m.order or "") .. "+again" end }]],
    }
    local out, err, code = run { "clean", "tests/fixtures/articles/ferry-front-matter.md", "--filter-first", f.ads,
      "--filter", f.stamp, "--filter", f.again }
    assert.equals(0, code)
    assert.matches("removed [^;]*seen%-ad 2", err)
    assert.matches('"order":"stamp+again"', out, 1, true)
    util.rmtree(dir)
  end)

  it("drop articles with a reason, counted and written to --rejects", function()
    local tmp = util.tmpdir()
    local dir, f = scripts { drop = [[
return { meta = function(m) if m.site == "harbour-news" then return false, "harbour" end end }
]] }
    local out, err, code = run { "clean", ARTICLES, "--filter", f.drop, "--rejects", tmp .. "/r.jsonl",
      "--stats", tmp .. "/stats.json" }
    assert.equals(0, code)
    assert.equals(3, #lines(out))
    assert.matches("read 5, written 3, dropped 2 %(harbour 2%), failed 0", err)
    local rejects = lines(util.slurp(tmp .. "/r.jsonl"))
    assert.equals(2, #rejects)
    for _, r in ipairs(rejects) do assert.matches('^{"kind":"article","reason":"harbour","source":"[^"]*harbour%-%d%.md"', r) end
    assert.matches('"dropped_by":{"harbour":2}', util.slurp(tmp .. "/stats.json"), 1, true)
    util.rmtree(tmp)
    util.rmtree(dir)
  end)

  it("an error inside a handler names script line and article; the run goes on and counts it", function()
    local tmp = util.tmpdir()
    local dir, f = scripts { broken = "return {\n  sentence = function(s, art)\n" ..
      "    if art.meta.site == 'bay-gazette' then return s .. art.meta.missing end\n  end,\n}\n" }
    local out, err, code = run { f.broken, ARTICLES, "--rejects", tmp .. "/r.jsonl" }
    assert.equals(1, code)
    assert.equals(3, #lines(out))
    local msgs = lines(err)
    assert.same({
      "copydesk: " .. f.broken .. ":3: attempt to concatenate a nil value (field 'missing') " ..
        "(while cleaning " .. ARTICLES .. "/brief.md:1)",
      "copydesk: " .. f.broken .. ":3: attempt to concatenate a nil value (field 'missing') " ..
        "(while cleaning " .. ARTICLES .. "/gazette-1.md:1)",
      f.broken .. ": read 5, written 3, dropped 0, failed 2 (filter-error 2)",
    }, msgs)
    assert.matches('"reason":"filter-error"', util.slurp(tmp .. "/r.jsonl"), 1, true)
    util.rmtree(tmp)
    util.rmtree(dir)
  end)

  it("name the record's line for JSON lines", function()
    local dir, f = scripts { broken = "return { article = function(art)\n  if art.meta.id == 2 then error('bad record') end\nend }\n" }
    local _, err, code = run { f.broken, "tests/fixtures/jsonl/y_records.jsonl", "-o", "/dev/null" }
    assert.equals(1, code)
    assert.matches("copydesk: " .. f.broken .. ":2: bad record (while cleaning tests/fixtures/jsonl/y_records.jsonl:2)\n",
      err, 1, true)
    util.rmtree(dir)
  end)

  it("that do not load are a usage error naming the problem", function()
    local dir, f = scripts { typo = "return { paragrpah = function() end }\n" }
    local out, err, code = run { "clean", ARTICLES, "--filter", f.typo }
    assert.equals(2, code)
    assert.equals("", out)
    assert.matches("copydesk clean: " .. f.typo .. ": unknown handler 'paragrpah'", err, 1, true)
    _, err, code = run { "clean", ARTICLES, "--filter", dir .. "/none.lua" }
    assert.equals(2, code)
    assert.matches("cannot open " .. dir .. "/none.lua", err, 1, true)
    util.rmtree(dir)
  end)

  it("run directly take every built-in step off and all of clean's output options", function()
    local tmp = util.tmpdir()
    local dir, f = scripts { keep = "return { paragraph = function() end }\n" }
    local _, err, code = run { f.keep, "tests/fixtures/articles", "--format", "text", "-o", tmp .. "/out" }
    assert.equals(0, code)
    assert.equals(f.keep .. ": read 6, written 6, dropped 0, failed 0\n", err)
    -- The body is the parsed (repaired) one: the advertisements and captions are still there.
    local text = util.slurp(tmp .. "/out/ferry-front-matter.txt")
    assert.matches("\nAdvertisement\n", text, 1, true)
    assert.matches("Maiden voyage: The harbour's new ferry", text, 1, true)
    assert.matches("£4,000,000", text, 1, true)
    util.rmtree(tmp)
    util.rmtree(dir)
  end)

  it("call init before a process's first article and finish after its last, in each worker", function()
    local tmp = util.tmpdir()
    local dir, f = scripts {
      count = "local n\nreturn {\n  init = function() n = 0 end,\n" ..
        "  article = function() n = n + 1 end,\n  finish = function()\n" ..
        "    local name = os.tmpname()\n    os.remove(name)\n" .. -- a name no other process has
        "    local out = assert(io.open(name:gsub('^.*/', '" .. tmp .. "/'), 'w'))\n" ..
        "    out:write(n, '\\n')\n    out:close()\n  end,\n}\n",
      late = "return { finish = function() error('no disk') end }\n",
      early = "return {\n  init = function() error('no model') end }\n",
    }
    local many = assert(io.open(dir .. "/many.jsonl", "w"))
    for i = 1, 450 do many:write(string.format('{"id":%d,"text":"Record %d."}\n', i, i)) end
    many:close()
    local _, err, code = run { f.count, dir .. "/many.jsonl", "-o", "/dev/null", "--jobs", "2" }
    assert.equals(0, code, err)
    local total, processes = 0, 0
    for name in require("copydesk").dir(tmp) do
      total, processes = total + tonumber(util.slurp(tmp .. "/" .. name)), processes + 1
    end
    assert.equals(450, total)
    assert.equals(2, processes)
    _, err, code = run { f.early, dir .. "/many.jsonl", "-o", "/dev/null" }
    assert.equals(2, code)
    assert.equals("copydesk " .. f.early .. ": " .. f.early .. ":2: no model (in init)\n", err)
    _, err, code = run { f.late, dir .. "/many.jsonl", "-o", "/dev/null", "--jobs", "1" }
    assert.equals(1, code)
    assert.equals("copydesk " .. f.late .. ": " .. f.late .. ":1: no disk (in finish)\n" ..
      f.late .. ": read 450, written 450, dropped 0, failed 0\n", err)
    util.rmtree(tmp)
    util.rmtree(dir)
  end)

  it("give the same bytes, rejects and stats with --jobs 2 as with --jobs 1", function()
    local tmp = util.tmpdir()
    local dir, f = scripts { upper = [[
return {
  paragraph = function(text, kind) if kind == "heading" then return copydesk.upper(text) end end,
  sentence = function(s) if s:find("^Yes") then return false, "yes" end end,
}
]] }
    -- Many units of copydesk.jobs, so both workers have units to do.
    local many = assert(io.open(tmp .. "/many.jsonl", "w"))
    for i = 1, 2500 do
      many:write(string.format('{"id":%d,"text":"Heading %d\\n\\nYes, record %d. It has %s."}\n', i, i, i,
        string.rep("words ", i % 7)))
    end
    many:close()
    local inputs = { "tests/fixtures/articles", "tests/fixtures/clean", ARTICLES, tmp .. "/many.jsonl" }
    local function go(n, out)
      local args = { f.upper }
      for _, i in ipairs(inputs) do args[#args + 1] = i end
      for _, a in ipairs { "-o", out, "--jobs", n, "--rejects", out .. ".rejects", "--stats", out .. ".stats" } do
        args[#args + 1] = a
      end
      local _, err, code = run(args)
      assert.equals(0, code)
      return err
    end
    local err1 = go("1", tmp .. "/one.jsonl")
    local err2 = go("2", tmp .. "/two.jsonl")
    assert.equals(err1, err2)
    local files = #require("copydesk.files").expand { inputs[1], inputs[2], inputs[3] } + 2500
    assert.matches(string.format("read %d, written %d, dropped 0, failed 0; removed yes 2502", files,
      files), err1, 1, true)
    for _, suffix in ipairs { "", ".rejects", ".stats" } do
      assert.equals(util.slurp(tmp .. "/one.jsonl" .. suffix), util.slurp(tmp .. "/two.jsonl" .. suffix))
    end
    local two = util.slurp(tmp .. "/two.jsonl")
    assert.matches("FOLLOW HARBOUR NEWS ON TWITTER", two, 1, true)
    assert.matches('{"id":2500,"source":"' .. tmp .. '/many.jsonl","text":"HEADING 2500\\n\\nIt has words .\\n"}',
      two, 1, true)
    util.rmtree(tmp)
    util.rmtree(dir)
  end)
end)
