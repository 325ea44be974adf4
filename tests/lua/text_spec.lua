describe("normalisation and string functions", function()
  local cd = require "copydesk"

  it("normalises to each form, returning normal text itself", function()
    assert.equals("Caf\xc3\xa9", cd.normalize("Cafe\xcc\x81"))
    assert.equals("Cafe\xcc\x81", cd.normalize("Caf\xc3\xa9", "NFD"))
    assert.equals("fi2", cd.normalize("\xef\xac\x81\xc2\xb2", "NFKC"))
    assert.equals("a\0b", cd.normalize("a\0b"))
    assert.is_true(cd.is_normalized("plain text"))
    assert.is_false(cd.is_normalized("Cafe\xcc\x81"))
    assert.has_error(function() cd.normalize("x", "NFX") end,
      "bad argument #2 to 'normalize' (invalid option 'NFX')")
  end)

  it("maps case fully", function()
    assert.equals("STRASSE", cd.upper("stra\xc3\x9f" .. "e"))
    assert.equals("\xce\xbf\xce\xb4\xce\xbf\xcf\x82", cd.lower("\xce\x9f\xce\x94\xce\x9f\xce\xa3"))
    assert.equals("strasse", cd.casefold("STRASSE"))
    assert.equals(cd.casefold("Stra\xc3\x9f" .. "e"), cd.casefold("STRASSE"))
  end)

  it("strips accents and makes slugs", function()
    assert.equals("Creme brulee", cd.strip_accents("Cr\xc3\xa8me br\xc3\xbbl\xc3\xa9" .. "e"))
    assert.equals("creme-brulee-5-tips", cd.slug("Cr\xc3\xa8me Br\xc3\xbbl\xc3\xa9" .. "e: 5 Tips!"))
  end)

  it("measures columns, code points and graphemes", function()
    assert.equals(4, cd.width("\xe6\x9d\xb1\xe4\xba\xac"))
    assert.equals(2, cd.len("e\xcc\x81"))
    assert.equals(1, cd.len("e\xcc\x81", "grapheme"))
    assert.equals(1, cd.len("\xf0\x9f\x87\xac\xf0\x9f\x87\xa7", "grapheme"))
  end)

  it("returns fail, message and position on invalid UTF-8", function()
    for _, f in ipairs { cd.normalize, cd.lower, cd.upper, cd.casefold, cd.strip_accents,
      cd.slug, cd.width, cd.len } do
      local r, msg, pos = f("ab\n\xff")
      assert.is_nil(r)
      assert.equals("2:1: invalid UTF-8", msg)
      assert.equals(4, pos)
    end
  end)
end)
