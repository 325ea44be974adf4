local util = require "util"
local run = util.run

local DAMAGED = "tests/fixtures/fix/damaged-lines.txt"

local function count_lines(s)
  local _, n = s:gsub("\n", "")
  return n
end

describe("copydesk fix", function()
  it("shows its usage and is listed", function()
    local out, _, code = run { "fix", "--help" }
    assert.equals(0, code)
    assert.matches("usage: copydesk fix", out)
    out = run { "--list" }
    assert.matches("\nfix +repair encoding damage", "\n" .. out)
  end)

  it("restores damaged lines, one output line per input line", function()
    local out, err, code = run { "fix", DAMAGED }
    assert.equals(0, code)
    assert.equals("", err)
    assert.equals(util.slurp("tests/fixtures/fix/damaged-lines.expect.txt"), out)
    assert.equals(count_lines(util.slurp(DAMAGED)), count_lines(out))
  end)

  it("follows ftfy with --preset ftfy", function()
    local out = run { "fix", "--preset", "ftfy", DAMAGED }
    assert.equals(util.slurp("tests/fixtures/fix/damaged-lines.ftfy.expect.txt"), out)
  end)

  it("reads standard input and keeps a last line without newline as it came", function()
    local out, _, code = run({ "fix" }, "caf\xc3\x83\xc2\xa9\nlast \xc3\xa2\xe2\x82\xac\xe2\x80\x9c")
    assert.equals(0, code)
    assert.equals("caf\xc3\xa9\nlast \xe2\x80\x93", out)
    out = run({ "fix" }, "a\r\rb\n\n")
    assert.equals("a\r\rb\n\n", out) -- a CR inside a line stays: one line in, one line out
  end)

  it("switches single steps", function()
    assert.equals("&eacute; \xe2\x80\x9cq\xe2\x80\x9d\n",
      (run({ "fix", "--entities", "never" }, "&eacute; \xe2\x80\x9cq\xe2\x80\x9d\n")))
    assert.equals("\xc3\xa9 \"q\"\n", (run({ "fix", "--quotes" }, "&eacute; \xe2\x80\x9cq\xe2\x80\x9d\n")))
    assert.equals("caf\xc3\x83\xc2\xa9\n", (run({ "fix", "--no-mojibake" }, "caf\xc3\x83\xc2\xa9\n")))
    assert.equals("fi\n", (run({ "fix", "--normalize", "NFKC" }, "\xef\xac\x81\n")))
    assert.equals("e\xcc\x81 \xef\xac\x81\n", (run({ "fix", "--normalize", "NFD" }, "\xc3\xa9 \xef\xac\x81\n")))
    assert.equals("e\xcc\x81 fi\n", (run({ "fix", "--normalize", "NFKD" }, "\xc3\xa9 \xef\xac\x81\n")))
  end)

  it("explains each changed line on standard error", function()
    local _, err, code = run({ "fix", "--explain" }, "ok\n\xd0\xa0\xd1\x9f\xd0\xa0\xd1\x95\n&amp;\n")
    assert.equals(0, code)
    assert.matches("copydesk: %-:2: encode windows%-1251, decode utf%-8\n", err)
    assert.matches("copydesk: %-:3: unescape html\n", err)
    assert.not_matches(":1:", err)
    assert.matches("fix: read 1, written 1, dropped 0, failed 0; changed repaired%-line 2", err)
  end)

  it("reports usage errors and unreadable files", function()
    local _, err, code = run { "fix", "--quotes", "--no-quotes" }
    assert.equals(2, code)
    assert.matches("%-%-quotes and %-%-no%-quotes disagree", err)
    _, err, code = run { "fix", "--preset", "news" }
    assert.equals(2, code)
    assert.matches("option '%-%-preset' must be one of", err)
    local out
    out, err, code = run { "fix", "tests/fixtures/fix/no-such-file.txt", DAMAGED }
    assert.equals(1, code)
    assert.matches("no%-such%-file", err)
    assert.equals(util.slurp("tests/fixtures/fix/damaged-lines.expect.txt"), out)
  end)
end)

describe("copydesk fix --hint", function()
  it("decodes legacy Cyrillic read as Windows-1252", function()
    local out, _, code = run({ "fix", "--hint", "cyrillic" }, "\xc3\x94\xc3\xa8\xc3\xab\xc3\xbc\xc3\xb2\xc3\xb0\n")
    assert.equals(0, code)
    assert.equals("\xd0\xa4\xd0\xb8\xd0\xbb\xd1\x8c\xd1\x82\xd1\x80\n", out)
  end)
end)
