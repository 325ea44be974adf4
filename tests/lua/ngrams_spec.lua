describe("n-grams and shingles", function()
  local cd = require "copydesk"

  it("gives word n-grams with their span", function()
    local s = "The Quick, brown fox -- jumps."
    local got = {}
    for gram, first, last in cd.ngrams(s, 3, { lower = true }) do
      got[#got + 1] = gram
      assert.matches("^%w", s:sub(first, last))
    end
    assert.same({ "the quick brown", "quick brown fox", "brown fox jumps" }, got)
    local n = 0
    for _ in cd.ngrams("one two", 3) do n = n + 1 end
    assert.equals(0, n)
  end)

  it("hashes shingles ignoring case, spacing and punctuation", function()
    local a = cd.shingles("The quick brown fox jumps over", 3)
    local b = cd.shingles("the QUICK  brown, fox jumps", 3)
    assert.equals(4, #a)
    assert.equals(3, #b)
    for i = 1, 3 do assert.equals(a[i], b[i]) end
    assert.equals(math.type(a[1]), "integer")
    assert.equals(2, #cd.shingles("a b c d e f"))
  end)

  it("checks n", function()
    assert.has_error(function() cd.ngrams("a", 0) end,
      "bad argument #2 to 'ngrams' (n must be between 1 and 16)")
    assert.has_error(function() cd.ngrams("a") end)
    assert.has_error(function() cd.shingles("a", 17) end)
    assert.has_error(function() cd.shingles("a", 2, { case = true }) end,
      "bad argument #3 to 'shingles' (unknown option 'case')")
  end)
end)
