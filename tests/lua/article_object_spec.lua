local cd = require "copydesk"
local article = require "copydesk.article"

local function paragraphs(art)
  local t = {}
  for text, first, last, kind in art:paragraphs() do
    t[#t + 1] = { text = text, first = first, last = last, kind = kind }
  end
  return t
end

describe("copydesk.article", function()
  local TEXT = "---\ntitle: Harbour news\ncount: 3\ndraft: false\n---\n" ..
    "Harbour Opens Its Doors\n\n" ..
    "The harbour reopened on Monday after a long winter of repairs.\n\n" ..
    "Advertisement\n\n" ..
    "- new ferry times\n- a second quay\n\n" ..
    "“We waited nine years for this.”\n\n" ..
    "“We waited nine years,” said the mayor.\n\n" ..
    "> Quoted from the council's letter\n> in two lines\n\n" ..
    "Crowds gathered on the quay to watch the first boats leave. The sun shone.\n\n" ..
    "Quay: Crowds gathered on the quay to watch the first boats leave\n"

  it("is the parsed table with a metatable named copydesk.Article, meta typed", function()
    local art = assert(article.parse(TEXT, "harbour.md"))
    assert.equals("copydesk.Article", getmetatable(art).__name)
    assert.is_true(article.is(art))
    assert.is_false(article.is({ body = "" }))
    assert.equals("Harbour news", art.meta.title)
    assert.equals(3, art.meta.count)
    assert.equals(false, art.meta.draft)
    assert.equals("harbour.md", art.source)
    assert.equals(art.body, art:text())
    assert.equals("copydesk.Article (harbour.md, " .. #art.body .. " bytes)", tostring(art))
  end)

  it("returns nil, message and position for bad data, and raises for a programmer's mistake", function()
    local art, err, pos = article.parse("---\ntitle: [unclosed\n", "bad.md")
    assert.is_nil(art)
    assert.matches("^bad%.md:", err)
    assert.is_number(pos)
    assert.has_error(function() article.wrap("text") end,
      "bad argument #1 to 'wrap' (table with a string body expected, got string)")
    assert.has_error(function() article.wrap({ meta = {} }) end,
      "bad argument #1 to 'wrap' (table with a string body expected, got a table without one)")
  end)

  it("wraps a table in place and gives it an empty meta when it has none", function()
    local t = { body = "One paragraph." }
    assert.equals(t, article.wrap(t))
    assert.same({}, t.meta)
    assert.equals(t, article.wrap(t))
  end)

  it("walks the paragraphs with positions and the cleaner's kinds", function()
    local art = assert(article.parse(TEXT, "harbour.md"))
    local got = paragraphs(art)
    local kinds = {}
    for i, p in ipairs(got) do
      kinds[i] = p.kind
      assert.equals(p.text, art.body:sub(p.first, p.last))
    end
    assert.same({ "heading", "body", "boilerplate", "list", "quote", "body", "quote", "body",
      "caption" }, kinds)
    assert.equals("- new ferry times\n- a second quay", got[4].text)
  end)

  it("tells lists, quotes and headings by Unicode bullets, quotation marks and punctuation", function()
    local art = article.wrap { body = "• first point\n• second point\n\n1) one\n2) two\n\n" ..
      "«Il pleut sur le port.»\n\n„Ja, natürlich.“\n\nWait for it…\n\nNæstved Harbour Reopens\n\n" ..
      "• a bullet\nthen a line that is not one\n" }
    local kinds = {}
    for _, p in ipairs(paragraphs(art)) do kinds[#kinds + 1] = p.kind end
    assert.same({ "list", "list", "quote", "quote", "body", "heading", "body" }, kinds)
  end)

  it("sees a body change: the paragraphs follow art.body", function()
    local art = article.wrap { body = "First one.\n\nSecond one." }
    assert.equals(2, #paragraphs(art))
    art.body = "Only this one."
    local got = paragraphs(art)
    assert.equals(1, #got)
    assert.equals("Only this one.", got[1].text)
    art.body = "  \n\n \n"
    assert.same({}, paragraphs(art))
  end)

  it("gives sentences and words with byte positions into the body", function()
    local art = article.wrap { body = "Ο λιμένας άνοιξε. Δεύτερη πρόταση!\n\nЕщё одна." }
    local n = 0
    for s, first, last in art:sentences() do
      n = n + 1
      assert.equals(s, art.body:sub(first, last))
      assert.not_matches("%s$", s)
    end
    assert.equals(3, n)
    local words = {}
    for w, first, last in art:words() do
      assert.equals(w, art.body:sub(first, last))
      words[#words + 1] = w
    end
    assert.same({ "Ο", "λιμένας", "άνοιξε", "Δεύτερη", "πρόταση", "Ещё", "одна" }, words)
  end)

  it("renders as copydesk.render does, front matter by default", function()
    local art = assert(article.parse(TEXT, "harbour.md"))
    assert.equals(cd.render(art, "front-matter"), art:render())
    assert.equals(cd.render(art, "json"), art:render("json"))
  end)

  it("comes from every input copydesk.documents reads, failures passed through", function()
    local n, failed = 0, 0
    for art, err in article.each { "tests/fixtures/articles", "tests/fixtures/jsonl/n_bad_lines.jsonl" } do
      if art then
        assert.is_true(article.is(art))
        assert.is_string(art.source)
        n = n + 1
      else
        assert.is_string(err)
        failed = failed + 1
      end
    end
    assert.equals(6 + 2, n) -- six article files, two good records
    assert.equals(5, failed)
  end)
end)
