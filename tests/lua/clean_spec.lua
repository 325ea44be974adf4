describe("cleaning steps", function()
  local cd = require "copydesk"

  describe("normalize_space", function()
    it("trims lines, folds spaces and blank lines, ends with one newline", function()
      assert.equals("a b\n\nc\n", cd.normalize_space("  a \xc2\xa0  b \n\n\n\n c\t\n\n"))
      assert.equals("", cd.normalize_space(" \n \n"))
    end)

    it("returns fail and the position on invalid UTF-8", function()
      local s, msg, pos = cd.normalize_space("ab\xff")
      assert.is_nil(s)
      assert.is_string(msg)
      assert.equals(3, pos)
    end)
  end)

  describe("strip_boilerplate", function()
    it("removes lines that stand alone and says where they were", function()
      local input = "Advertisement\n\nThe ferry sailed.\n\nScroll down for video\n"
      local text, removed = cd.strip_boilerplate(input)
      assert.not_matches("Advertisement", text)
      assert.not_matches("Scroll down", text)
      assert.matches("The ferry sailed%.", text)
      assert.equals(2, #removed)
      for _, r in ipairs(removed) do
        assert.equals("boilerplate", r.reason)
        assert.equals(r.text, input:sub(r.first, r.last))
      end
    end)

    it("never touches the words inside prose", function()
      local prose = "Advertisement for the new caf\xc3\xa9 was painted on the wall.\n"
      local text, removed = cd.strip_boilerplate(prose)
      assert.equals(prose, text)
      assert.same({}, removed)
    end)
  end)

  describe("strip_captions", function()
    local body = "The ferry made its first crossing on Sunday, carrying 212 passengers.\n\n" ..
      "Maiden voyage: The ferry made its first crossing on Sunday, carrying 212 passengers\n\n" ..
      "Hey! Children waved flags from the upper deck as the ferry left\n\n" ..
      "The mayor said: 'It's a gorgeous morning for it.'\n"

    it("removes captions and records repeats as the stronger reason", function()
      local text, removed = cd.strip_captions(body)
      assert.not_matches("Maiden voyage", text)
      assert.not_matches("Hey!", text)
      assert.matches("The mayor said: 'It's a gorgeous morning", text)
      assert.equals(2, #removed)
      assert.equals("caption-repeat", removed[1].reason)
      assert.equals("caption", removed[2].reason)
      for _, r in ipairs(removed) do assert.equals(r.text, body:sub(r.first, r.last)) end
    end)

    it("keeps the captions that repeat nothing, by option", function()
      local text, removed = cd.strip_captions(body, { keep_unique = true })
      assert.matches("Hey! Children", text)
      assert.not_matches("Maiden voyage", text)
      assert.equals(1, #removed)
    end)

    it("rejects unknown options", function()
      assert.error_matches(function() cd.strip_captions("x", { keep = true }) end, "unknown option 'keep'")
    end)
  end)
end)
