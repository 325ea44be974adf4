describe("words", function()
  local cd = require "copydesk"

  local function words(s, opts)
    local t = {}
    for w, first, last, kind in cd.words(s, opts) do
      if not (opts and (opts.lower or opts.casefold)) then assert.equals(w, s:sub(first, last)) end
      assert.is_string(kind)
      t[#t + 1] = w
    end
    return t
  end

  it("gives the words that carry letters or digits, URLs and tags whole", function()
    assert.same({ "The", "U.S.", "paid", "500,000", "for", "3.5", "well-known", "ideas",
      "see", "https://example.com/a?b=1", "or", "ed@example.org", "@desk", "#vote2024" },
      words("The U.S. paid \xc2\xa3500,000 for 3.5% well-known ideas -- see " ..
        "https://example.com/a?b=1, or ed@example.org! @desk #vote2024"))
  end)

  it("names the kinds", function()
    local kinds = {}
    for w, _, _, k in cd.words("Hi 42 \xe6\x9d\xb1 www.x.org a@b.cc @h #t \xf0\x9f\x98\x80!",
      { punct = true }) do
      kinds[#kinds + 1] = k
    end
    assert.same({ "letters", "number", "ideo", "url", "email", "handle", "hashtag", "emoji",
      "punct" }, kinds)
  end)

  it("lower-cases or case-folds the tokens, with positions in the input", function()
    assert.same({ "stra\xc3\x9fe", "\xc3\xa9t\xc3\xa9" }, words("STRA\xc3\x9f" .. "E \xc3\x89T\xc3\x89",
      { lower = true }))
    assert.same({ "strasse", "\xc3\xa9t\xc3\xa9" }, words("STRA\xc3\x9f" .. "E \xc3\x89T\xc3\x89",
      { casefold = true }))
    for _, first, last in cd.words("AB CD", { lower = true }) do
      assert.is_true(first == 1 or first == 4)
      assert.equals(first + 1, last)
    end
  end)

  it("splits as the Penn Treebank does on request", function()
    assert.same({ "\"", "I", "'m", "sure", "they", "do", "n't", "...", "\"", "--", "(", "ok",
      ")" }, words("\"I'm sure they don't...\" -- (ok)", { ptb = true }))
  end)

  it("has switches where users differ", function()
    assert.same({ "well", "known" }, words("well-known", { split_hyphens = true }))
    assert.same({ "well", "-", "known" }, words("well-known", { split_hyphens = true, punct = true }))
    assert.same({ "l'", "homme", "d'", "abord" }, words("l'homme d'abord", { split_elisions = true }))
    assert.same({ "l'homme" }, words("l'homme"))
    assert.same({ "a", "b", "c" }, words("@a #b c", { entities = false }))
  end)

  it("rejects unknown options by name", function()
    assert.has_error(function() cd.words("x", { lowercase = true }) end,
      "bad argument #2 to 'words' (unknown option 'lowercase')")
    assert.has_error(function() cd.words("x", { ptb = "yes" }) end)
  end)
end)
