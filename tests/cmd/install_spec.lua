local util = require "util"

-- The install test: make install into a temporary prefix, build the example hosts against the
-- installed files with pkg-config alone, run them, then uninstall.
describe("make install", function()
  local prefix, env
  -- Under SANITIZE=1 the hosts are built as the libraries were (SANITIZE_CC, from the Makefile):
  -- clang's shared ASan runtime cannot meet gcc's in one process.
  local cc = os.getenv("SANITIZE_CC")
  if cc == nil or cc == "" then cc = "cc" end

  local function sh(cmd)
    local f = io.popen(cmd .. " 2>&1")
    local out = f:read("a")
    local ok, _, code = f:close()
    return ok, out, code
  end

  setup(function()
    prefix = util.tmpdir()
    env = "PKG_CONFIG_PATH=" .. prefix .. "/lib/pkgconfig LD_LIBRARY_PATH=" .. prefix .. "/lib "
    local ok, out = sh("make -s install B=" .. util.build .. " PREFIX=" .. util.quote(prefix))
    assert(ok, out)
  end)

  teardown(function() util.rmtree(prefix) end)

  local function build(name, pc)
    local exe = prefix .. "/" .. name
    local ok, out = sh(env .. cc .. " -o " .. util.quote(exe) .. " tests/embed/" .. name ..
      ".c $(" .. env .. "pkg-config --cflags --libs " .. pc .. ")")
    assert(ok, out)
    return exe
  end

  it("installs the command, which finds its recipes and helpers there", function()
    local ok, out = sh("env -u COPYDESK_HOME " .. util.quote(prefix .. "/bin/copydesk") .. " --list")
    assert(ok, out)
    assert.matches("clean%s+repair", out)
  end)

  it("builds and runs a C program that uses only the C API", function()
    local ok, out = sh(env .. util.quote(build("c_api", "copydesk")))
    assert(ok, out)
    assert.matches('"title":"A ferry\\n"', out, 1, true)
    assert.matches("cost \xc2\xa34,000 today", out, 1, true)
    assert.matches("words 5, repairs %d+, version 0%.1%.0", out)
  end)

  it("builds a Lua host that adds the module and runs an installed recipe", function()
    local exe = build("lua_host", "copydesk-lua")
    local ok, out = sh(env .. "LUA_PATH=" .. util.quote(prefix .. "/share/lua/5.4/?.lua") .. " " ..
      util.quote(exe) .. " " .. util.quote(prefix .. "/share/copydesk/scripts/clean.lua") ..
      " tests/fixtures/articles/harbour-dated.txt")
    assert(ok, out)
    assert.matches('"date":"2021%-03%-14"', out)
  end)

  it("exports only copydesk_ and luaopen_ symbols", function()
    for _, lib in ipairs { "libcopydesk.so", "libcopydesk_lua.so" } do
      local ok, out = sh("nm -D --defined-only " .. util.quote(prefix .. "/lib/" .. lib))
      assert(ok, out)
      for sym in out:gmatch("%x+ [TDBR] (%S+)") do
        assert(sym:match("^copydesk_") or sym:match("^luaopen_copydesk") or sym:match("^_"),
          lib .. " exports " .. sym)
      end
    end
  end)

  it("uninstalls everything it installed", function()
    local ok, out = sh("make -s uninstall B=" .. util.build .. " PREFIX=" .. util.quote(prefix))
    assert(ok, out)
    local _, left = sh("find " .. util.quote(prefix) .. " -type f -o -type l")
    left = left:gsub("[^\n]*/c_api\n", ""):gsub("[^\n]*/lua_host\n", "")
    assert.equals("", left)
  end)
end)
