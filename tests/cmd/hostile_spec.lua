-- Hostile input to the command: files that are no article text, bad JSON-lines records,
-- truncated compressed inputs, unreadable folders, missing files, inputs over the size limit,
-- alias bombs and deep nesting each fail by name with a non-zero exit, and every other article
-- is still written; a full disk is named; pathological text finishes and comes out valid UTF-8
-- (no timings: tests/bench/pathological.lua measures that time grows linearly).
local util = require "util"
local run = util.run

local write = util.write

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

  -- Root reads every folder, so as root (CI) the command runs as nobody through setpriv.
  it("fails a folder it cannot read by name and writes the other articles", function()
    local as = ""
    if is_root() then
      if not os.execute("command -v setpriv >/dev/null 2>&1") then
        pending("running as root without setpriv, so every folder is readable: skipped")
        return
      end
      as = "setpriv --reuid=65534 --regid=65534 --clear-groups "
      assert(os.execute("chmod 777 " .. util.quote(dir))) -- for the output and its work folder
    end
    local locked = dir .. "/in/locked"
    assert(os.execute("mkdir -p " .. util.quote(locked)))
    write(locked .. "/hidden.txt", "Never read.\n")
    write(dir .. "/in/open.txt", "The ferry left at nine.\n")
    assert(os.execute("chmod 000 " .. util.quote(locked)))
    local out, err = dir .. "/out.jsonl", dir .. "/err"
    local _, _, code = os.execute(as .. util.quote(util.copydesk) .. " clean " ..
      util.quote(dir .. "/in") .. " -o " .. util.quote(out) .. " 2>" .. util.quote(err))
    os.execute("chmod 755 " .. util.quote(locked))
    out, err = util.slurp(out), util.slurp(err)
    assert.equals(1, code, err)
    assert.matches("open%.txt", out)
    assert.is_nil(out:find("Never read", 1, true))
    assert.matches("copydesk: [^\n]*/locked: Permission denied", err)
    assert.matches("failed 1 %(read 1%)", err)
  end)

  it("fails a file that is not there by name and writes the others", function()
    write(dir .. "/a.txt", "The ferry left at nine.\n")
    local out, err, code = run { "clean", dir .. "/missing.txt", dir .. "/a.txt" }
    assert.equals(1, code, err)
    assert.equals(1, #lines(out))
    assert.matches("missing%.txt: No such file or directory", err)
  end)

  it("fails bad JSON-lines records by file, line and column and writes the others", function()
    write(dir .. "/a.jsonl", table.concat({
      '{"text":"First record."}',
      '{"text":"Caf\xE9 is Latin-1."}',      -- invalid UTF-8
      '{"text":"A zero\0byte."}',            -- a raw zero byte, not \u0000
      '["not", "an", "object"]',
      '{"title":"no text"}',
      '{"text":"Last record."}',
    }, "\n") .. "\n")
    write(dir .. "/b.jsonl", "\xFF\xFE{\0\"\0t\0\"\0:\0\"\0x\0\"\0}\0\n\0") -- UTF-16
    local out, err, code = run { "clean", dir .. "/a.jsonl", dir .. "/b.jsonl" }
    assert.equals(1, code, err)
    local got = lines(out)
    assert.equals(2, #got, out)
    assert.matches("First record", got[1])
    assert.matches("Last record", got[2])
    local a = (dir .. "/a.jsonl"):gsub("%p", "%%%0")
    assert.matches(a .. ":2:13: invalid UTF%-8 in JSON", err)
    assert.matches(a .. ":3:%d+: ", err)
    assert.matches(a .. ":4:1: record is not an object", err)
    assert.matches(a .. ":5:1: record has no text field", err)
    assert.matches((dir .. "/b.jsonl"):gsub("%p", "%%%0") .. ":1:1: invalid UTF%-8 in JSON", err)
    assert.matches("read 8, written 2, dropped 0, failed 6 %(bad%-json 6%)", err)
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

  it("fails an article file or a JSON line over --max-article by name and line", function()
    write(dir .. "/a-small.txt", "The ferry left at nine.\n")
    write(dir .. "/b-big.txt", string.rep("The ferry left at nine. ", 100) .. "\n")
    write(dir .. "/c.jsonl", '{"text":"Short."}\n{"text":"' .. string.rep("x", 3000) ..
      '"}\n{"text":"Short again."}\n')
    local out, err, code = run { "clean", dir, "--max-article", "1000" }
    assert.equals(1, code, err)
    assert.equals(3, #lines(out), out)
    local d = dir:gsub("%p", "%%%0")
    assert.matches(d .. "/b%-big%.txt: article of 2401 bytes, over the limit of 1000 bytes " ..
      "%(%-%-max%-article%)", err)
    assert.matches(d .. "/c%.jsonl:2: record over the limit of 1000 bytes", err)
    assert.matches("failed 2 %(too%-large 2%)", err)
    out, err, code = run { "clean", dir, "--max-article", "0" }
    assert.equals(2, code)
    assert.matches("option '%-%-max%-article' must be a positive whole number, got '0'", err)
  end)

  it("fails a file over --max-article in fix, stats and tokens too, and goes on", function()
    write(dir .. "/a-small.txt", "The ferry left at nine.\n")
    write(dir .. "/b-big.txt", string.rep("The ferry left at nine. ", 100) .. "\n")
    local d = dir:gsub("%p", "%%%0")
    for _, recipe in ipairs { "fix", "stats", "tokens" } do
      local out, err, code = run { recipe, dir, "--max-article", "1000" }
      assert.equals(1, code, recipe .. ": " .. err)
      if recipe ~= "stats" then assert.matches("ferry", out) end
      assert.matches(d .. "/b%-big%.txt: article of 2401 bytes, over the limit of 1000 bytes " ..
        "%(%-%-max%-article%)", err)
      assert.matches(recipe .. ": read 2, written 1, dropped 0, failed 1 %(too%-large 1%)", err)
    end
    local out, err, code = run({ "fix", "--max-article", "10" }, "The ferry left at nine.\n")
    assert.equals(1, code)
    assert.equals("", out)
    assert.matches("%-: article over the limit of 10 bytes", err)
  end)

  it("fails a billion-laughs front matter at its first alias, without expanding it", function()
    -- nine levels of ten aliases each: a billion strings once expanded
    local yaml = { "---", "title: A billion laughs",
      'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]' }
    for level = 2, 9 do
      local prev, name = string.char(96 + level - 1), string.char(96 + level)
      yaml[#yaml + 1] = string.format("%s: &%s [%s]", name, name,
        string.rep("*" .. prev, 10, ", "))
    end
    yaml[#yaml + 1] = "---\nThe body.\n"
    write(dir .. "/a-laughs.md", table.concat(yaml, "\n"))
    write(dir .. "/b-good.md", "---\ntitle: Fine\n---\nThe ferry left at nine.\n")
    local out, err, code = run { "clean", dir }
    assert.equals(1, code, err)
    assert.equals(1, #lines(out))
    assert.matches("a%-laughs%.md:4:%d+: YAML aliases are not supported", err)
    assert.matches("failed 1 %(parse 1%)", err)
  end)

  it("fails front matter and JSON nested past the limit by name and line", function()
    local n = 100000
    write(dir .. "/a-deep.md", "---\ntitle: Deep\nx: " .. string.rep("[", n) ..
      string.rep("]", n) .. "\n---\nThe body.\n")
    write(dir .. "/b-deep-map.md", "---\ntitle: Deep\nx: " .. string.rep("{a: ", n) .. "1" ..
      string.rep("}", n) .. "\n---\nThe body.\n")
    write(dir .. "/c.jsonl", '{"text":"Shallow."}\n{"text":"Deep.","x":' ..
      string.rep("[", n) .. string.rep("]", n) .. "}\n")
    write(dir .. "/d-good.md", "The ferry left at nine.\n")
    local out, err, code = run { "clean", dir }
    assert.equals(1, code, err)
    assert.equals(2, #lines(out), out)
    local d = dir:gsub("%p", "%%%0")
    assert.matches(d .. "/a%-deep%.md:3:%d+: nesting too deep", err)
    assert.matches(d .. "/b%-deep%-map%.md:3:%d+: nesting too deep", err)
    assert.matches(d .. "/c%.jsonl:2:%d+: nesting too deep", err)
    assert.matches("failed 3 ", err)
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

-- The trust model: scripts are trusted code, articles are data. Whatever an article holds (Lua,
-- shell, format directives, paths that climb out of a folder) is never run and never names a
-- file: outputs are named by the input's own path and line only.
describe("copydesk clean on an article that tries to be code or a path", function()
  local dir

  before_each(function() dir = util.tmpdir() end)
  after_each(function() util.rmtree(dir) end)

  -- Every file below `root`, as paths relative to it, sorted.
  local function tree(root)
    local p = assert(io.popen("cd " .. util.quote(root) .. " && find . -type f | sort"))
    local t = {}
    for l in p:lines() do t[#t + 1] = l:sub(3) end
    p:close()
    return t
  end

  it("runs nothing from it and writes nothing where it points", function()
    local pwned = dir .. "/pwned"
    local title = "os.execute('touch " .. pwned .. "-lua') $(touch " .. pwned .. "-sh)"
    local author = "`touch " .. pwned .. "-tick`; rm -rf " .. dir .. " %s%s%n %d {{7*7}}"
    assert(os.execute("mkdir " .. util.quote(dir .. "/in")))
    write(dir .. "/in/article.txt", table.concat({
      "---",
      "title: \"" .. title .. "\"",
      "author: \"" .. author .. "\"",
      "id: ../../../../" .. pwned .. "-id",
      "source: ../../escape",
      "description: \"dofile('/etc/passwd') require('os').exit(3)\"",
      "---",
      "The body names ../../etc/passwd and $(touch " .. pwned .. "-body) and %n%s.",
    }, "\n") .. "\n")
    write(dir .. "/in/c.jsonl", '{"id":"../../../' .. pwned .. '-jsonid","source":"/etc/passwd",' ..
      '"text":"A record with %s and `id`."}\n')
    local out, err, code = run { "clean", dir .. "/in", "-o", dir .. "/out", "--format",
      "front-matter", "--rejects", dir .. "/rejects.jsonl" }
    assert.equals(0, code, err)
    -- named by the inputs' paths below the folder and the record's line, nothing else
    assert.same({ "in/article.txt", "in/c.jsonl", "out/article.md", "out/c/1.md",
      "rejects.jsonl" }, tree(dir))
    assert.equals("", out)
    local written = util.slurp(dir .. "/out/article.md")
    assert.matches(title, written, 1, true)
    assert.matches(author, written, 1, true)
    assert.matches("$(touch " .. pwned .. "-body)", written, 1, true)
    -- the same strings come back as data in JSON lines
    out, err, code = run { "clean", dir .. "/in" }
    assert.equals(0, code, err)
    local first = assert(require("copydesk").parse_json(lines(out)[1]))
    assert.equals(title, first.meta.title)
    assert.equals(author, first.meta.author)
  end)
end)
