-- Hostile input to the command: files that are no article text, truncated compressed inputs,
-- unreadable folders and a full disk each fail by name with a non-zero exit, and every other
-- article is still written; pathological text finishes and comes out valid UTF-8 (no timings:
-- speed belongs to `make bench`).
local util = require "util"
local run = util.run

local function write(path, data)
  local f = assert(io.open(path, "wb"))
  f:write(data)
  f:close()
end

local function lines(s)
  local t = {}
  for l in s:gmatch("[^\n]+") do t[#t + 1] = l end
  return t
end

-- Every output line is valid UTF-8 (utf8.len fails on the first bad byte).
local function assert_utf8_lines(out)
  for i, l in ipairs(lines(out)) do
    assert(utf8.len(l), "output line " .. i .. " is not valid UTF-8")
  end
end

local function is_root()
  local p = assert(io.popen("id -u"))
  local uid = p:read("l")
  p:close()
  return uid == "0"
end

describe("copydesk clean on hostile input", function()
  local dir

  before_each(function() dir = util.tmpdir() end)
  after_each(function() util.rmtree(dir) end)

  it("fails empty, binary, zero-byte and UTF-16 files by name and writes the others", function()
    write(dir .. "/a-good.txt", "The ferry left at nine.\n")
    write(dir .. "/b-empty.txt", "")
    write(dir .. "/c-zero-byte.txt", "The ferry\0 left.\n")
    local bytes = {}
    for i = 0, 255 do bytes[#bytes + 1] = string.char(i) end
    write(dir .. "/d-binary.txt", string.rep(table.concat(bytes), 16))
    write(dir .. "/e-utf16le.txt", "\xFF\xFET\0h\0e\0 \0f\0e\0r\0r\0y\0\n\0")
    write(dir .. "/f-utf16be.txt", "\xFE\xFF\0T\0h\0e\0 \0f\0e\0r\0r\0y\0\n")
    write(dir .. "/g-good.txt", "The ferry came back at five.\n")
    local out, err, code = run { "clean", dir }
    assert.equals(1, code, err)
    local got = lines(out)
    assert.equals(2, #got, out)
    assert.matches("a%-good%.txt", got[1])
    assert.matches("g%-good%.txt", got[2])
    local d = dir:gsub("%p", "%%%0")
    assert.matches(d .. "/b%-empty%.txt: empty file", err)
    assert.matches(d .. "/c%-zero%-byte%.txt: binary file %(zero byte at byte 10%)", err)
    assert.matches(d .. "/d%-binary%.txt: binary file %(zero byte at byte 1%)", err)
    assert.matches(d .. "/e%-utf16le%.txt: UTF%-16 text", err)
    assert.matches(d .. "/f%-utf16be%.txt: UTF%-16 text", err)
    assert.matches("failed 5 %(not%-text 5%)", err)
  end)

  it("repairs invalid UTF-8 into valid UTF-8 rather than failing it", function()
    write(dir .. "/latin1.txt", "Caf\xE9 cr\xE8me, \xFF and a lone \x80 byte.\n")
    local out, err, code = run { "clean", dir }
    assert.equals(0, code, err)
    assert.equals(1, #lines(out))
    assert_utf8_lines(out)
    assert.matches("Café crème", out)
  end)

  it("fails truncated gzip and zstd inputs by name and writes the other articles", function()
    local gz = util.slurp("tests/fixtures/jsonl/y_records.jsonl.gz")
    local zst = util.slurp("tests/fixtures/jsonl/y_records.jsonl.zst")
    write(dir .. "/cut.jsonl.gz", gz:sub(1, #gz // 2))
    write(dir .. "/cut.jsonl.zst", zst:sub(1, #zst // 2))
    write(dir .. "/good.txt", "The ferry left at nine.\n")
    local out, err, code = run { "clean", dir .. "/cut.jsonl.gz", dir .. "/cut.jsonl.zst",
      dir .. "/good.txt" }
    assert.equals(1, code, err)
    assert.matches("good%.txt", out)
    assert_utf8_lines(out)
    assert.matches("cut%.jsonl%.gz:%d+: truncated gzip data", err)
    assert.matches("cut%.jsonl%.zst:%d+: truncated zstd data", err)
  end)

  it("fails a folder it cannot read by name and writes the other articles", function()
    if is_root() then
      pending("running as root, so every folder is readable: skipped")
      return
    end
    assert(os.execute("mkdir " .. util.quote(dir .. "/locked")))
    write(dir .. "/locked/hidden.txt", "Never read.\n")
    write(dir .. "/open.txt", "The ferry left at nine.\n")
    assert(os.execute("chmod 000 " .. util.quote(dir .. "/locked")))
    local out, err, code = run { "clean", dir }
    os.execute("chmod 755 " .. util.quote(dir .. "/locked"))
    assert.equals(1, code, err)
    assert.matches("open%.txt", out)
    assert.matches("locked", err)
  end)

  it("says the output disk is full, naming it, with a non-zero exit", function()
    if not io.open("/dev/full", "wb") then
      pending("/dev/full is missing: skipped")
      return
    end
    write(dir .. "/a.txt", "The ferry left at nine.\n")
    local _, err, code = run { "clean", dir, "-o", "/dev/full" }
    assert.is_not.equals(0, code)
    assert.matches("/dev/full: No space left on device", err)
    _, err, code = run({ "clean", dir }, nil, "/dev/full")
    assert.is_not.equals(0, code)
    assert.matches("No space left on device", err)
  end)

  it("finishes pathological text and writes it as valid UTF-8", function()
    write(dir .. "/a-one-line.txt", string.rep("word ", 20000))
    write(dir .. "/b-entities.txt", string.rep("&amp;", 100000) .. "\n")
    write(dir .. "/c-marks.txt", "a" .. string.rep("\xCC\x81", 50000) .. " end.\n")
    write(dir .. "/d-periods.txt", string.rep(".", 100000) .. "\n")
    write(dir .. "/e-mojibake.txt", string.rep("\xC3\x83", 50000) .. "\n")
    local out, err, code = run { "clean", dir }
    assert.is_true(code == 0 or code == 1, err)
    assert.is_nil(err:match("[Ee]rror"), err)
    assert_utf8_lines(out)
  end)
end)
