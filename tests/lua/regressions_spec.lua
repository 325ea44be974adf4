-- Bugs found in review, one test each, named for what broke.
describe("regressions", function()
  local cd = require "copydesk"

  it("pattern: a back-reference that ends inside a character does not walk back past the start", function()
    assert.is_nil(cd.find("\xE2A\xE2\x82\xAC", "(\xE2)A%1.*X"))
    assert.equals(1, (cd.find("\xE2A\xE2\x82\xACX", "(\xE2)A%1.*X")))
  end)

  it("sentences: iterating after the abbreviation list was closed raises, not reads freed memory", function()
    local list = cd.abbreviations("Foo. title")
    local iter = cd.sentences("A b. C d. ", { abbreviations = list })
    list:close()
    assert.error_matches(function() for _ in iter do end end, "closed copydesk.Abbreviations")
  end)

  it("options are read raw: a string from __index is never held by C", function()
    local opts = setmetatable({}, { __index = function(_, k)
      if k == "text" then return ("bo" .. "dy") end
    end })
    for _ = 1, 50 do
      collectgarbage()
      local art = assert(cd.parse_json('{"body":"x","text":"y"}', opts))
      assert.equals("y", art.body)
    end
  end)

  it("glue: seams in long runs cost linear time (aB.. and Ab. repeated)", function()
    local text = cd.split_glued(("aB"):rep(20000), { body = "x" })
    assert.equals(40000, #text)
    local _, inserted = cd.split_glued(("Ab."):rep(20000), { body = "x" })
    assert.is_table(inserted)
  end)
end)
