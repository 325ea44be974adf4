local util = require "util"

describe("copydesk.parse", function()
  local cd = require "copydesk"

  it("reads front matter with trailing spaces, folded scalars and an epoch date", function()
    local art = assert(cd.parse(util.slurp("tests/fixtures/articles/ferry-front-matter.md"), "f.md"))
    assert.equals("front-matter", art.format)
    assert.equals("f.md", art.source)
    -- YAML keeps a folded scalar's trailing space and newline; the clean recipe trims them.
    assert.equals("Island ferry completes first crossing as crowds line the quay \n", art.meta.title)
    assert.equals("_layouts.post", art.meta.extends)
    assert.equals("float", math.type(art.meta.date))
    assert.equals(1615730520.8812339, art.meta.date)
    assert.matches("^Advertisement\n\nThe harbour's new ferry", art.body)
  end)

  it("reads lists, booleans, integers and nulls as Lua values", function()
    local art = assert(cd.parse("---\ntags: [a, b]\ndraft: false\nn: 12\nx: ~\ne: []\n---\nBody\n"))
    assert.same({ "a", "b" }, art.meta.tags)
    assert.is_false(art.meta.draft)
    assert.equals("integer", math.type(art.meta.n))
    assert.equals(cd.null, art.meta.x)
    assert.equals(cd.array_mt, getmetatable(art.meta.e))
    assert.equals("Body\n", art.body)
  end)

  it("reads a dated first line whose text goes on in the same line", function()
    local art = assert(cd.parse(" date 2021-03-14 The ferry sailed.\n\nMore.\n"))
    assert.equals("dated", art.format)
    assert.equals("2021-03-14", art.meta.date)
    assert.equals("The ferry sailed.\n\nMore.\n", art.body)
  end)

  it("takes anything else as plain text", function()
    local art = assert(cd.parse("Just text, date 2021-03-14 inside.\n"))
    assert.equals("plain", art.format)
    assert.is_nil(art.source)
    assert.same({}, art.meta)
    assert.equals("Just text, date 2021-03-14 inside.\n", art.body)
  end)

  it("returns fail, a message with name, line and column, and the position on bad YAML", function()
    local text = util.slurp("tests/fixtures/bad/invalid-yaml.md")
    local art, msg, pos = cd.parse(text, "bad.md")
    assert.is_nil(art)
    assert.matches("^bad%.md:%d+:%d+: ", msg)
    assert.is_true(math.type(pos) == "integer" and pos >= 1 and pos <= #text)
  end)

  it("reports unclosed front matter at its first line", function()
    local art, msg = cd.parse(util.slurp("tests/fixtures/bad/unclosed-front-matter.md"), "u.md")
    assert.is_nil(art)
    assert.matches("^u%.md:1:1: .*closing", msg)
  end)

  it("keeps zero bytes in the body", function()
    local art = assert(cd.parse("a\0b\n"))
    assert.equals("a\0b\n", art.body)
  end)
end)

describe("copydesk.render", function()
  local cd = require "copydesk"

  it("round-trips front matter: parse(render(a)) equals a", function()
    local art = assert(cd.parse(util.slurp("tests/fixtures/articles/timetable-front-matter.md")))
    local again = assert(cd.parse(assert(cd.render(art, "front-matter"))))
    assert.same(art.meta, again.meta)
    assert.equals(art.body, again.body)
  end)

  it("writes keys in the order the file had them, new keys after", function()
    local art = assert(cd.parse("---\nzeta: 1\nalpha: 2\n---\nB\n"))
    art.meta.beta = 3
    assert.equals('{"zeta":1,"alpha":2,"beta":3,"text":"B\\n"}', cd.render(art, "json"))
    art.meta.zeta, art.meta.source, art.meta.aa = nil, "s", { y = 1, b = 2, x = { d = 1, c = 2 } }
    assert.equals('{"alpha":2,"aa":{"b":2,"x":{"c":2,"d":1},"y":1},"beta":3,"source":"s",' ..
      '"text":"B\\n"}', cd.render(art, "json"))
    art.meta[1] = "x"
    assert.has_error(function() cd.render(art, "json") end,
      "bad argument #1 to 'render' (meta keys must be strings, got number)")
  end)

  it("writes one line of JSON with escapes", function()
    local json = assert(cd.render({ meta = { title = 'A "q" \\ b' }, body = "x\n\ty\0" }, "json"))
    assert.equals('{"title":"A \\"q\\" \\\\ b","text":"x\\n\\ty\\u0000"}', json)
  end)

  it("keeps non-ASCII text as UTF-8 in JSON", function()
    assert.equals('{"text":"caf\xc3\xa9 \xe2\x80\x99"}', cd.render({ body = "caf\xc3\xa9 \xe2\x80\x99" }, "json"))
  end)

  it("writes text as title, blank line, body", function()
    assert.equals("T\n\nBody\n", cd.render({ meta = { title = "T" }, body = "Body\n" }, "text"))
  end)

  it("keeps strings that look like other types as strings", function()
    local art = { meta = { a = "true", b = "12", c = "null", d = "" }, body = "x\n" }
    local again = assert(cd.parse(assert(cd.render(art, "front-matter"))))
    assert.same(art.meta, again.meta)
  end)

  it("returns fail for a value JSON cannot hold", function()
    local s, msg = cd.render({ meta = { x = 0 / 0 }, body = "" }, "json")
    assert.is_nil(s)
    assert.is_string(msg)
  end)

  it("raises for programmer mistakes", function()
    assert.error_matches(function() cd.render({ body = "x" }, "yaml") end, "invalid option 'yaml'")
    assert.error_matches(function() cd.render({ meta = {} }, "json") end, "'body' must be a string")
    assert.error_matches(function() cd.render({ body = "", meta = { [1.5] = 1 } }, "json") end,
      "keys must be strings")
    local cyc = {}
    cyc.self = cyc
    assert.error_matches(function() cd.render({ body = "", meta = { c = cyc } }, "json") end,
      "nested more than")
  end)
end)
