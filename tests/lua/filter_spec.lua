local article = require "copydesk.article"
local filter = require "copydesk.filter"
local util = require "util"

local BODY = "Harbour Opens\n\nThe harbour reopened. Boats left early.\n\nAdvertisement\n\nThe mayor spoke. Crowds cheered.\n"

local function art(body, meta)
  return article.wrap { body = body or BODY, meta = meta or { title = "Harbour" }, source = "in.jsonl", line = 7 }
end

local function new(handlers) return assert(filter.new(handlers, "f.lua")) end

-- Writes a filter script into a fresh folder; returns its path and the folder.
local function script(text)
  local dir = util.tmpdir()
  local path = dir .. "/f.lua"
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
  return path, dir
end

describe("copydesk.filter", function()
  it("keeps the article byte for byte when handlers return nil", function()
    local f = new {
      paragraph = function() end, sentence = function() end, meta = function() end, article = function() end,
    }
    local a = art()
    local res = filter.apply(f, a)
    assert.equals(a, res)
    assert.equals(BODY, res.body)
    assert.same({ title = "Harbour" }, res.meta)
  end)

  it("replaces and drops paragraphs, telling ctx.removed, and keeps the separators", function()
    local removed = {}
    local f = new { paragraph = function(text, kind)
      if kind == "boilerplate" then return false, "ad" end
      if kind == "heading" then return text:upper() end
    end }
    local res = filter.apply(f, art(), { removed = function(kind, reason, text)
      removed[#removed + 1] = { kind, reason, text }
    end })
    assert.equals("HARBOUR OPENS\n\nThe harbour reopened. Boats left early.\n\nThe mayor spoke. Crowds cheered.\n",
      res.body)
    assert.same({ { "paragraph", "ad", "Advertisement" } }, removed)
  end)

  it("drops the last paragraph with the separator before it, and everything to an empty body", function()
    local f = new { paragraph = function(text) if text:find("mayor") then return false end end }
    assert.equals("Harbour Opens\n\nThe harbour reopened. Boats left early.\n\nAdvertisement\n",
      filter.apply(f, art()).body)
    local none = new { paragraph = function() return false end }
    assert.equals("", filter.apply(none, art()).body)
  end)

  it("replaces and drops sentences inside each paragraph, reason 'filter' by default", function()
    local removed = {}
    local f = new { sentence = function(text)
      if text:find("^Boats") then return false end
      if text:find("^Crowds") then return "Crowds cheered loudly." end
    end }
    local res = filter.apply(f, art(), { removed = function(kind, reason, text)
      removed[#removed + 1] = { kind, reason, text }
    end })
    assert.equals("Harbour Opens\n\nThe harbour reopened.\n\nAdvertisement\n\nThe mayor spoke. Crowds cheered loudly.\n",
      res.body)
    assert.same({ { "sentence", "filter", "Boats left early." } }, removed)
  end)

  it("changes meta in place or by replacement, and drops the article with the meta handler's reason", function()
    local res = filter.apply(new { meta = function(m) m.title = m.title .. "!" end }, art())
    assert.same({ title = "Harbour!" }, res.meta)
    res = filter.apply(new { meta = function() return { other = 1 } end }, art())
    assert.same({ other = 1 }, res.meta)
    local ok, why = filter.apply(new { meta = function(m) if m.title then return false, "titled" end end }, art())
    assert.equals(false, ok)
    assert.equals("titled", why)
  end)

  it("lets the article handler replace the body or the article, or drop it", function()
    local res = filter.apply(new { article = function() return "New body.\n" end }, art())
    assert.equals("New body.\n", res.body)
    res = filter.apply(new { article = function() return { body = "Made up.", meta = { a = 1 } } end }, art())
    assert.is_true(article.is(res))
    assert.equals("Made up.", res.body)
    local ok, why = filter.apply(new { article = function() return false end }, art())
    assert.equals(false, ok)
    assert.equals("filter", why)
  end)

  it("runs paragraph and sentence handlers before meta, and article last", function()
    local order = {}
    local f = new {
      article = function() order[#order + 1] = "article" end,
      meta = function() order[#order + 1] = "meta" end,
      sentence = function() order[#order + 1] = "sentence" end,
      paragraph = function() order[#order + 1] = "paragraph" end,
    }
    filter.apply(f, art("One. Two."))
    assert.same({ "paragraph", "sentence", "sentence", "meta", "article" }, order)
  end)

  it("reports a handler's error with the script's line and the article, as nil and a message", function()
    local path, dir = script("return {\n  paragraph = function(text)\n    return text .. nil\n  end,\n}\n")
    local f = assert(filter.load(path))
    local res, err = filter.apply(f, art())
    assert.is_nil(res)
    assert.equals(path .. ":3: attempt to concatenate a nil value (while cleaning in.jsonl:7)", err)
    util.rmtree(dir)
  end)

  it("names the script line for errors without a position and for non-string errors", function()
    local path, dir = script("return {\n  article = function()\n    error({ code = 1 })\n  end,\n" ..
      "  meta = function() error('no position', 0) end,\n}\n")
    local f = assert(filter.load(path))
    local _, err = filter.apply(f, art())
    assert.equals(path .. ":5: no position (while cleaning in.jsonl:7)", err)
    f.meta = nil
    _, err = filter.apply(f, art())
    assert.equals(path .. ":3: (error object is a table value) (while cleaning in.jsonl:7)", err)
    util.rmtree(dir)
  end)

  it("fails an article whose handler returns the wrong type, naming the handler", function()
    local _, err = filter.apply(new { paragraph = function() return 42 end }, art())
    assert.equals("f.lua: paragraph handler returned a number (a string, nil or false expected) " ..
      "(while cleaning in.jsonl:7)", err)
    _, err = filter.apply(new { meta = function() return "x" end }, art())
    assert.matches("meta handler returned a string", err, 1, true)
    _, err = filter.apply(new { article = function() return false, 3 end }, art())
    assert.matches("article handler gave a number reason", err, 1, true)
  end)

  it("loads scripts that return handlers and refuses anything else by name", function()
    local path, dir = script("return { paragrpah = function() end }\n")
    local f, err = filter.load(path)
    assert.is_nil(f)
    assert.equals(path .. ": unknown handler 'paragrpah' (the handlers are paragraph, sentence, meta, article, init, finish)", err)
    util.rmtree(dir)
    path, dir = script("return 3\n")
    _, err = filter.load(path)
    assert.equals(path .. ": a filter must return a table of handlers, got number", err)
    util.rmtree(dir)
    path, dir = script("return { meta = 'x' }\n")
    _, err = filter.load(path)
    assert.equals(path .. ": handler 'meta' must be a function, got string", err)
    util.rmtree(dir)
    path, dir = script("error('broken at load')\n")
    _, err = filter.load(path)
    assert.equals(path .. ":1: broken at load", err)
    util.rmtree(dir)
    _, err = filter.load("no/such/filter.lua")
    assert.matches("cannot open no/such/filter.lua", err, 1, true)
  end)

  it("calls init and finish when the filter has them, naming the script line of an error", function()
    local calls = {}
    local f = new { init = function() calls[#calls + 1] = "init" end }
    assert.is_true(filter.call(f, "init"))
    assert.is_true(filter.call(f, "finish")) -- none: nothing to do
    assert.same({ "init" }, calls)
    local path, dir = script("return {\n  finish = function()\n    error('disk gone')\n  end,\n}\n")
    local ok, err = filter.call(assert(filter.load(path)), "finish")
    assert.is_nil(ok)
    assert.equals(path .. ":3: disk gone (in finish)", err)
    util.rmtree(dir)
  end)

  it("builds clean's arguments for a filter script run directly", function()
    local t = filter.clean_arg_table { [-1] = "copydesk", [0] = "f.lua", "in", "-o", "out" }
    assert.same({ [-1] = "copydesk", [0] = "clean", "--no-glue", "--no-boilerplate", "--no-captions",
      "--no-repeats", "--no-meta", "--filter", "f.lua", "--run-name", "f.lua", "in", "-o", "out" }, t)
  end)
end)
