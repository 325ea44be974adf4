-- ftfy conformance: ftfy 6.3.1's own test cases (../shared/conformance/ftfy/, see its README),
-- run case by case with preset "ftfy". `fixed` is compared with copydesk.fix, `fixed-encoding`
-- with the encoding steps alone (mojibake, lost bytes, C1 controls). Cases ftfy passes must pass;
-- negative.json must come back as given. Of ftfy's own known failures, those copydesk still gets
-- wrong are listed in STILL_FAILING, checked both ways: a case that starts passing must leave it.
local cd = require "copydesk"
local json = require "json_reader"

local DIR = "../shared/conformance/ftfy/"
local FILES = { "synthetic", "in-the-wild", "language-names", "negative", "known-failures" }
local ENCODING_ONLY = { preset = "none", mojibake = true, lossy = true, c1 = true }

-- Labels of known-failures.json cases copydesk fails too.
local STILL_FAILING = {
  ["Misleading mix-up in Spanish"] = true,
  ["A-with-grave in Vietnamese"] = true,
  ["Latin-1 / MacRoman mixup in Spanish"] = true,
  ["Latin-1 / MacRoman mixup in Spanish, 2 characters"] = true,
}

local function escape(s)
  return (s:gsub("[%c\128-\255]", function(c) return string.format("\\x%02X", c:byte()) end))
end

-- Whether case c passes; on failure also a message naming it.
local function check_case(file, i, c)
  local want_fixed = c.fixed
  local want_encoding = c["fixed-encoding"] or c.fixed
  local got = cd.fix(c.original, { preset = "ftfy" })
  local got_encoding = cd.fix(c.original, ENCODING_ONLY)
  if got == want_fixed and got_encoding == want_encoding then return true end
  return false, string.format("%s.json case %d (%s):\n  input %s\n  want  %s\n  got   %s\n"
    .. "  encoding alone: want %s\n                  got  %s", file, i, c.label, escape(c.original),
    escape(want_fixed), escape(got), escape(want_encoding), escape(got_encoding))
end

local function load_cases(file)
  local f = io.open(DIR .. file .. ".json", "rb")
  if not f then return nil end
  f:close()
  return json.read_file(DIR .. file .. ".json")
end

describe("ftfy conformance", function()
  for _, file in ipairs(FILES) do
    it("passes " .. file .. ".json", function()
      local cases = load_cases(file)
      if not cases then
        pending(DIR .. file .. ".json missing: skipped")
        return
      end
      assert.is_true(#cases > 0)
      local problems, known = {}, 0
      for i, c in ipairs(cases) do
        local ok, msg = check_case(file, i, c)
        if c.expect == "fail" and STILL_FAILING[c.label] then
          known = known + 1
          if ok then problems[#problems + 1] = string.format("%s.json case %d (%s): passes now, "
            .. "remove it from STILL_FAILING", file, i, c.label) end
        elseif not ok then
          problems[#problems + 1] = msg
        end
      end
      if file == "known-failures" then
        local listed = 0
        for _ in pairs(STILL_FAILING) do listed = listed + 1 end
        assert.equals(listed, known, "every STILL_FAILING label names a case")
      end
      assert(#problems == 0, table.concat(problems, "\n"))
    end)
  end
end)
