describe("the copydesk module", function()
  local cd = require "copydesk"

  it("has a version and the Unicode version", function()
    assert.matches("^copydesk %d+%.%d+%.%d+$", cd._VERSION)
    assert.matches("^%d+%.%d+%.%d+$", cd.unicode_version)
  end)

  it("sets no global", function()
    assert.is_nil(rawget(_G, "copydesk"))
  end)

  it("checks UTF-8 and gives the first bad byte's position", function()
    assert.is_true(cd.utf8_valid("caf\xc3\xa9"))
    local ok, pos = cd.utf8_valid("ab\xffcd")
    assert.is_nil(ok)
    assert.equals(3, pos)
    assert.is_nil((cd.utf8_valid("\xed\xa0\x80"))) -- a surrogate
  end)

  it("names the argument in errors", function()
    assert.error_matches(function() cd.utf8_valid() end, "bad argument #1 to 'utf8_valid'")
    assert.error_matches(function() cd.fix({}) end, "bad argument #1 to 'fix'")
  end)
end)
