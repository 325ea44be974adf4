describe("the type annotations", function()
  it("cover every field and function of the module", function()
    local f = assert(io.open("lua/types/copydesk.lua"))
    local text = f:read("a")
    f:close()
    local documented = {}
    for name in text:gmatch("\nfunction copydesk%.([%w_]+)") do documented[name] = true end
    for name in text:gmatch("\n%-%-%-@field ([%w_]+)") do documented[name] = true end
    local missing = {}
    for name in pairs(require "copydesk") do
      if not documented[name] then missing[#missing + 1] = name end
    end
    table.sort(missing)
    assert.same({}, missing)
  end)
end)
