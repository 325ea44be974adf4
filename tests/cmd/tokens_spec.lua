local util = require "util"
local run = util.run

local HARBOUR = "tests/fixtures/tokens/harbour.txt"

local function lines(s)
  local t = {}
  for l in s:gmatch("[^\n]+") do t[#t + 1] = l end
  return t
end

describe("copydesk tokens", function()
  it("shows its usage and is listed", function()
    local out, _, code = run { "tokens", "--help" }
    assert.equals(0, code)
    assert.matches("usage: copydesk tokens", out)
    out = run { "--list" }
    assert.matches("\ntokens +print the words", "\n" .. out)
  end)

  it("prints one word a line", function()
    local out, err, code = run { "tokens", HARBOUR }
    assert.equals(0, code)
    assert.equals("", err)
    assert.same({ "Mr.", "Hale", "met", "Dr.", "Okafor", "at", "9", "a.m.", "tomorrow", "Why",
      "now", "Harry", "asked", "The", "U.S.", "ferry", "carried", "212", "passengers", "a",
      "record", "Tickets", "cost", "4.50", "each" }, lines(out))
  end)

  it("prints sentences", function()
    local out = run { "tokens", "--sentences", HARBOUR }
    assert.same({ "Mr. Hale met Dr. Okafor at 9 a.m. tomorrow.", "\"Why now?\" Harry asked.",
      "The U.S. ferry carried 212 passengers -- a record.", "Tickets cost \xc2\xa34.50 each." },
      lines(out))
  end)

  it("prints graphemes without white space", function()
    local out = run({ "tokens", "--graphemes" }, "n\xcc\x83 \xf0\x9f\x87\xac\xf0\x9f\x87\xa7\n")
    assert.equals("\xc3\xb1\n\xf0\x9f\x87\xac\xf0\x9f\x87\xa7\n", out)
  end)

  it("counts what it would print, per input and in total", function()
    for _, unit in ipairs { "--words", "--sentences", "--graphemes" } do
      local printed = #lines((run { "tokens", unit, HARBOUR }))
      local out, _, code = run { "tokens", unit, "--count", HARBOUR }
      assert.equals(0, code)
      assert.equals(printed .. "\t" .. HARBOUR .. "\n", out)
    end
    local out = run { "tokens", "-c", HARBOUR, HARBOUR }
    assert.equals("25\t" .. HARBOUR .. "\n25\t" .. HARBOUR .. "\n50\ttotal\n", out)
    assert.equals("3\n", (run({ "tokens", "-c" }, "one two three")))
  end)

  it("splits in Penn Treebank style on request", function()
    local out = run({ "tokens", "--ptb", "--lower" }, "I don't know, Mr. Lund.")
    assert.same({ "i", "do", "n't", "know", ",", "mr.", "lund", "." }, lines(out))
  end)

  it("takes abbreviations from a file, and the plain Unicode rules", function()
    local input = "tests/fixtures/tokens/commodore.txt"
    assert.equals(3, #lines((run { "tokens", "--sentences", input })))
    assert.equals(2, #lines((run { "tokens", "--sentences", "--abbreviations",
      "tests/fixtures/tokens/abbreviations.txt", input })))
    -- UAX #29 also splits after "Mr.", "Dr." and before the speech tag.
    assert.equals(7, #lines((run { "tokens", "--sentences", "--uax29", HARBOUR })))
  end)

  it("reports a bad abbreviation file, a missing input and conflicting units", function()
    local bad = os.tmpname()
    local f = assert(io.open(bad, "w"))
    f:write("Gen.\nnoperiod\n")
    f:close()
    local _, err, code = run { "tokens", "--sentences", "--abbreviations", bad, HARBOUR }
    os.remove(bad)
    assert.equals(2, code)
    assert.matches("copydesk tokens: .*:2:1: expected an abbreviation", err)
    _, err, code = run { "tokens", "tests/fixtures/tokens/none.txt", HARBOUR }
    assert.equals(1, code)
    assert.matches("none.txt", err)
    assert.matches("failed 1 %(read 1%)", err)
    _, err, code = run { "tokens", "--words", "--graphemes" }
    assert.equals(2, code)
    assert.matches("choose one of", err)
  end)
end)
