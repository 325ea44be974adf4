describe("segmentation", function()
  local cd = require "copydesk"

  local function collect(iter)
    local t = {}
    for seg, first, last, kind in iter do t[#t + 1] = { seg, first, last, kind } end
    return t
  end

  describe("segments", function()
    it("covers the input exactly, with positions for s:sub and kinds", function()
      local s = "The U.S. grew 3.5%\0 \xe6\x9d\xb1\xf0\x9f\x87\xac\xf0\x9f\x87\xa7!\n"
      for _, unit in ipairs { "grapheme", "word", "sentence" } do
        local parts, expect = {}, 1
        for seg, first, last in cd.segments(s, unit) do
          assert.equals(expect, first)
          assert.equals(seg, s:sub(first, last))
          parts[#parts + 1] = seg
          expect = last + 1
        end
        assert.equals(s, table.concat(parts))
      end
      local kinds = {}
      for seg, _, _, kind in cd.segments(s, "word") do kinds[#kinds + 1] = seg .. "=" .. kind end
      assert.same({ "The=letters", " =space", "U.S=letters", ".=punct", " =space", "grew=letters",
        " =space", "3.5=number", "%=punct", "\0=other", " =space", "\xe6\x9d\xb1=ideo",
        "\xf0\x9f\x87\xac\xf0\x9f\x87\xa7=emoji", "!=punct", "\n=space" }, kinds)
    end)

    it("defaults to words and names a bad unit", function()
      assert.equals(3, #collect(cd.segments("a b")))
      assert.has_error(function() cd.segments("a", "line") end,
        "bad argument #2 to 'segments' (invalid option 'line')")
      assert.has_error(function() cd.segments(nil) end)
    end)

    it("gives nothing for the empty string", function()
      assert.same({}, collect(cd.segments("", "grapheme")))
    end)

    it("keeps the subject alive while iterating", function()
      local iter = cd.segments(("word "):rep(1000), "word")
      collectgarbage()
      local n = 0
      for _ in iter do n = n + 1 end
      assert.equals(2000, n)
    end)
  end)

  describe("count", function()
    it("counts segments in C, optionally of some kinds", function()
      local s = "One, two -- three 4.5 \xe6\x9d\xb1!"
      assert.equals(5, cd.count(s, "word", { "letters", "number", "ideo" }))
      assert.equals(#collect(cd.segments(s, "grapheme")), cd.count(s, "grapheme"))
      assert.has_error(function() cd.count(s, "word", { "words" }) end,
        "bad argument #3 to 'count' (invalid kind 'words')")
    end)
  end)

  describe("sentences", function()
    local text = "Mr. Hale met Dr. Okafor at 5 p.m. Police came.  \"Why?\" Harry asked.\nFine"

    it("splits English prose and covers the input exactly", function()
      local got, parts = {}, {}
      for sent, first, last in cd.sentences(text) do
        assert.equals(sent, text:sub(first, last))
        got[#got + 1] = sent
        parts[#parts + 1] = sent
      end
      assert.same({ "Mr. Hale met Dr. Okafor at 5 p.m. ", "Police came.  ",
        "\"Why?\" Harry asked.\n", "Fine" }, got)
      assert.equals(text, table.concat(parts))
    end)

    it("trims on request, with the positions of the trimmed text", function()
      for sent, first, last in cd.sentences("  One.  Two.  ", { trim = true }) do
        assert.equals(sent, ("  One.  Two.  "):sub(first, last))
        assert.not_matches("^%s", sent)
        assert.not_matches("%s$", sent)
      end
    end)

    it("gives the plain UAX #29 rules", function()
      local got = {}
      for sent in cd.sentences("Mr. Hale left.", { rules = "uax29" }) do got[#got + 1] = sent end
      assert.same({ "Mr. ", "Hale left." }, got)
    end)

    it("joins wrapped lines on request; blank lines still end sentences", function()
      local got = {}
      for sent in cd.sentences("One line\nwrapped.\n\nNext", { wrapped = true, trim = true }) do
        got[#got + 1] = sent
      end
      assert.same({ "One line\nwrapped.", "Next" }, got)
    end)

    it("takes extra abbreviations from a list or a handle", function()
      local s = "Troops under Adj. Mola advanced."
      local function split(opts)
        local t = {}
        for sent in cd.sentences(s, opts) do t[#t + 1] = sent end
        return #t
      end
      assert.equals(2, split())
      assert.equals(1, split { abbreviations = { "Adj." } })
      local list = assert(cd.abbreviations("# mine\nAdj. title\n"))
      assert.equals(1, split { abbreviations = list })
      assert.matches("^copydesk.Abbreviations %(", tostring(list))
      list:close()
      assert.equals("copydesk.Abbreviations (closed)", tostring(list))
      assert.has_error(function() split { abbreviations = list } end)
    end)

    it("starts empty without the built-in list", function()
      local list = cd.abbreviations(nil, { builtin = false })
      local n = 0
      for _ in cd.sentences("Mr. Hale left.", { abbreviations = list }) do n = n + 1 end
      assert.equals(2, n)
    end)

    it("returns fail, message and position for a bad line of text; raises for a bad list",
      function()
        local list, msg, pos = cd.abbreviations("Gen.\nFig\n")
        assert.is_nil(list)
        assert.matches("^2:1: expected an abbreviation", msg)
        assert.equals(6, pos)
        local ok, m2, p2 = cd.abbreviations():add("x.\nno period")
        assert.is_nil(ok)
        assert.is_string(m2)
        assert.equals(4, p2)
        assert.has_error(function() cd.sentences("x", { abbreviations = { "Fig" } }) end)
      end)

    it("rejects unknown options and values by name", function()
      assert.has_error(function() cd.sentences("x", { rule = "uax29" }) end,
        "bad argument #2 to 'sentences' (unknown option 'rule')")
      assert.has_error(function() cd.sentences("x", { rules = "icu" }) end,
        "bad argument #2 to 'sentences' (option 'rules' must be one of 'english', 'uax29', got 'icu')")
      assert.has_error(function() cd.sentences("x", { trim = 1 }) end)
    end)

    it("lists the built-in abbreviations as file lines", function()
      local list = cd.builtin_abbreviations()
      assert.is_true(#list > 150)
      for _, line in ipairs(list) do assert.matches("^%S.-%. %l+$", line) end
      -- The listing loads back.
      assert.is_not_nil(cd.abbreviations(table.concat(list, "\n"), { builtin = false }))
    end)
  end)
end)
