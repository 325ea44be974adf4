local util = require "util"

describe("copydesk.dir and copydesk.mkdir", function()
  local cd = require "copydesk"
  local tmp

  before_each(function() tmp = util.tmpdir() end)
  after_each(function() util.rmtree(tmp) end)

  it("lists a folder sorted by name, telling folders apart", function()
    assert.is_true(cd.mkdir(tmp .. "/b/c"))
    for _, n in ipairs { "z.txt", "a.txt", "B.md" } do io.open(tmp .. "/" .. n, "w"):close() end
    local seen = {}
    for name, is_dir in cd.dir(tmp) do seen[#seen + 1] = name .. (is_dir and "/" or "") end
    assert.same({ "B.md", "a.txt", "b/", "z.txt" }, seen)
  end)

  it("returns fail and a message for a missing folder", function()
    local iter, msg, code = cd.dir(tmp .. "/missing")
    assert.is_nil(iter)
    assert.matches("missing: No such file", msg)
    assert.is_number(code)
  end)

  it("closes the listing when a loop breaks", function()
    io.open(tmp .. "/a", "w"):close()
    io.open(tmp .. "/b", "w"):close()
    local iter, s, c, handle = cd.dir(tmp)
    assert.matches("^copydesk%.Dir %(", tostring(handle))
    for _ in iter, s, c, handle do break end
    assert.equals("copydesk.Dir (closed)", tostring(handle))
    assert.is_nil(iter())
    assert.error_matches(function() handle:close() end, "attempt to use a closed copydesk.Dir")
  end)

  it("does not report a link to a folder as a folder, so walks cannot loop", function()
    assert.is_true(cd.mkdir(tmp .. "/d"))
    assert(os.execute("ln -s .. " .. util.quote(tmp .. "/d/up")))
    local seen = {}
    for name, is_dir in cd.dir(tmp .. "/d") do seen[name] = is_dir end
    assert.same({ up = false }, seen)
    local files = require "copydesk.files"
    assert.equals(1, #files.expand { tmp })
  end)

  it("mkdir accepts an existing folder and fails on a file", function()
    assert.is_true(cd.mkdir(tmp))
    io.open(tmp .. "/f", "w"):close()
    local ok, msg = cd.mkdir(tmp .. "/f/g")
    assert.is_nil(ok)
    assert.matches("f/g: ", msg)
  end)
end)

describe("copydesk.path_type", function()
  local cd = require "copydesk"
  it("tells files, folders and devices apart", function()
    assert.equals("file", cd.path_type("Makefile"))
    assert.equals("folder", cd.path_type("tests"))
    assert.equals("other", cd.path_type("/dev/null"))
    local t, msg = cd.path_type("no/such")
    assert.is_nil(t)
    assert.matches("no/such: No such file", msg)
  end)
end)
