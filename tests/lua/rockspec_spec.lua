local util = require "util"

describe("the rockspec", function()
  local ROCKSPEC = "lua/copydesk-0.1.0-1.rockspec"

  local function listed()
    local env = {}
    assert(loadfile(ROCKSPEC, "t", env))()
    return env
  end

  local function ls(cmd)
    local t = {}
    for line in io.popen(cmd):lines() do t[#t + 1] = line end
    return t
  end

  it("lists every C file of the core and binding, and every helper", function()
    local spec = listed()
    local sources = {}
    for _, f in ipairs(spec.build.modules.copydesk.sources) do sources[f] = true end
    for _, f in ipairs(ls("ls core/*.c lua/*.c")) do
      if f ~= "lua/main.c" then assert.is_true(sources[f] ~= nil, f .. " is missing") end
    end
    for _, f in ipairs(ls("ls lua/copydesk/*.lua")) do
      local name = "copydesk." .. f:match("([^/]+)%.lua$")
      assert.equals(f, spec.build.modules[name], name .. " is missing")
    end
    assert.equals("copydesk " .. spec.version:match("^[^-]+"), require("copydesk")._VERSION)
  end)

  it("builds with luarocks make, and the module loads in lua5.4", function()
    if os.execute("command -v luarocks >/dev/null 2>&1") ~= true then
      pending("luarocks is not installed: skipped")
      return
    end
    -- A copy of the tracked files, so the build's objects stay out of the work tree.
    local tmp = util.tmpdir()
    assert(os.execute("git ls-files -z --cached --others --exclude-standard | xargs -0 tar cf - | tar xf - -C " .. util.quote(tmp)))
    local f = io.popen("cd " .. util.quote(tmp) .. " && luarocks --lua-version=5.4 make " .. ROCKSPEC ..
      " --tree=" .. util.quote(tmp .. "/tree") .. " 2>&1")
    local out = f:read("a")
    assert(f:close(), out)
    local probe = io.popen("lua5.4 -e " .. util.quote(
      "package.cpath='" .. tmp .. "/tree/lib/lua/5.4/?.so' package.path='" .. tmp ..
      "/tree/share/lua/5.4/?.lua' local cd = require 'copydesk' print(cd._VERSION, " ..
      "cd.fix('\\xc3\\x82\\xc2\\xa3'), require('copydesk.path').join('a', 'b'))"))
    local got = probe:read("a")
    probe:close()
    util.rmtree(tmp)
    assert.matches("^copydesk %S+\t\xc2\xa3\ta/b\n$", got)
  end)
end)
