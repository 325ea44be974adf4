describe("copydesk.fix", function()
  local cd = require "copydesk"

  it("repairs UTF-8 read as Windows-1252 and counts the repairs", function()
    local s, n = cd.fix("hired a \xc3\x82\xc2\xa3500,000 ship")
    assert.equals("hired a \xc2\xa3500,000 ship", s)
    assert.is_true(n > 0)
    assert.equals("it\xe2\x80\x99s", (cd.fix("it\xc3\xa2\xe2\x82\xac\xe2\x84\xa2s")))
  end)

  it("returns clean text unchanged, with no repairs", function()
    local clean = "The \xc2\xa3500,000 caf\xc3\xa9 \xe2\x80\x9cquote\xe2\x80\x9d na\xc3\xafve\n"
    local s, n = cd.fix(clean)
    assert.equals(clean, s)
    assert.equals(0, n)
  end)

  it("always returns valid UTF-8, and fixing twice changes nothing", function()
    local seed = tonumber(os.getenv("SEED") or "") or os.time()
    math.randomseed(seed)
    for _ = 1, 2000 do
      local bytes = {}
      for i = 1, math.random(0, 12) do bytes[i] = string.char(math.random(0, 255)) end
      local input = table.concat(bytes)
      local once = cd.fix(input)
      assert(cd.utf8_valid(once), "invalid output, seed " .. seed)
      assert(cd.fix(once) == once, "not idempotent, seed " .. seed)
    end
  end)

  it("decodes invalid bytes as Windows-1252 or replaces them, by option", function()
    assert.equals("caf\xc3\xa9", (cd.fix("caf\xe9")))
    assert.equals("caf\xef\xbf\xbd", (cd.fix("caf\xe9", { invalid = "replace" })))
  end)

  it("turns line breaks into newlines and drops controls", function()
    assert.equals("a\nb\nc\n", (cd.fix("a\r\nb\rc\xe2\x80\xa8")))
    assert.equals("ab", (cd.fix("a\x01\xef\xbb\xbfb")))
    assert.equals("a\r\nb", (cd.fix("a\r\nb", { line_breaks = false })))
  end)

  it("normalises to NFC unless asked not to", function()
    assert.equals("\xc3\xa9", (cd.fix("e\xcc\x81")))
    assert.equals("e\xcc\x81", (cd.fix("e\xcc\x81", { normalize = "none" })))
  end)

  it("keeps zero bytes out only as controls do", function()
    assert.equals("a\0b", (cd.fix("a\0b", { controls = false })))
  end)

  it("rejects unknown options by name", function()
    assert.error_matches(function() cd.fix("x", { explian = true }) end, "unknown option 'explian'")
    assert.error_matches(function() cd.fix("x", { mojibake = 1 }) end, "'mojibake' must be a boolean")
    assert.error_matches(function() cd.fix("x", { normalize = "NFX" }) end, "invalid value for option 'normalize'")
  end)
end)

describe("copydesk.fix options", function()
  local cd = require "copydesk"

  it("has a news default and an ftfy preset", function()
    local s = "\xe2\x80\x9cq\xe2\x80\x9d \xef\xbc\xa1 \xef\xac\x81"
    assert.equals(s, (cd.fix(s)))
    assert.equals("\"q\" A fi", (cd.fix(s, { preset = "ftfy" })))
    assert.equals("\"q\" \xef\xbc\xa1 \xef\xac\x81", (cd.fix(s, { preset = "ftfy", width = false,
      ligatures = false })))
    assert.equals("a\r\n", (cd.fix("a\r\n", { preset = "none" })))
  end)

  it("repairs other code pages, entities and terminal escapes", function()
    assert.equals("\xd0\x9f\xd1\x80\xd0\xb8", (cd.fix("\xd0\xa0\xd1\x9f\xd0\xa1\xd0\x82\xd0\xa0\xd1\x91")))
    assert.equals("caf\xc3\xa9 &", (cd.fix("caf&eacute; &amp;")))
    assert.equals("caf&eacute;", (cd.fix("caf&eacute;", { entities = "never" })))
    assert.equals("\xc3\xa9", (cd.fix("&amp;eacute;", { entities = "double" })))
    assert.equals("red", (cd.fix("\27[31mred\27[0m")))
  end)

  it("normalises to NFKC by option", function()
    assert.equals("fi 2", (cd.fix("\xef\xac\x81 \xc2\xb2", { normalize = "NFKC" })))
  end)

  it("rejects bad values by name", function()
    assert.error_matches(function() cd.fix("x", { preset = "news" }) end, "invalid value for option 'preset'")
    assert.error_matches(function() cd.fix("x", { entities = true }) end, "invalid value for option 'entities'")
    assert.error_matches(function() cd.fix("x", { lossy = "yes" }) end, "'lossy' must be a boolean")
  end)
end)
