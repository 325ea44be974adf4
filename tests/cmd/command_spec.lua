local util = require "util"
local run = util.run

describe("the copydesk command", function()
  it("prints its version and usage", function()
    local out, _, code = run { "--version" }
    assert.equals(0, code)
    assert.matches("^copydesk %d+%.%d+%.%d+ %(Unicode %d+%.%d+%.%d+, Lua 5%.4", out)
    out, _, code = run { "--help" }
    assert.equals(0, code)
    assert.matches("usage: copydesk SCRIPT%.lua", out)
  end)

  it("refuses an unknown option with status 2", function()
    local _, err, code = run { "--frobnicate" }
    assert.equals(2, code)
    assert.matches("unrecognized option '%-%-frobnicate'", err)
  end)

  it("lists the recipes with their descriptions", function()
    local out, _, code = run { "--list" }
    assert.equals(0, code)
    assert.matches("clean%s+repair, strip boilerplate", out)
  end)

  it("runs -e code with the module as the global copydesk and arguments in arg", function()
    local out, _, code = run { "-e", "print(copydesk._VERSION, arg[1], ...)", "x" }
    assert.equals(0, code)
    assert.matches("^copydesk %S+\tx\tx\n$", out)
  end)

  it("runs a script with its arguments and returns its status", function()
    local tmp = util.tmpdir()
    local f = assert(io.open(tmp .. "/s.lua", "w"))
    f:write("#!/usr/bin/env copydesk\nlocal cd = require 'copydesk'\n",
      "print(arg[0], select('#', ...), (cd.fix('\\xc3\\x82\\xc2\\xa3')))\nreturn 1\n")
    f:close()
    local out, _, code = run { tmp .. "/s.lua", "a", "b" }
    assert.equals(1, code)
    assert.equals(tmp .. "/s.lua\t2\t\xc2\xa3\n", out)
    util.rmtree(tmp)
  end)

  it("reports a script error with file:line and a traceback, status 2", function()
    local tmp = util.tmpdir()
    local f = assert(io.open(tmp .. "/bad.lua", "w"))
    f:write("local cd = require 'copydesk'\n\ncd.fix(nil)\n")
    f:close()
    local out, err, code = run { tmp .. "/bad.lua" }
    assert.equals(2, code)
    assert.equals("", out)
    assert.matches("copydesk: " .. tmp:gsub("%p", "%%%0") .. "/bad%.lua:3: bad argument #1 to 'fix'", err)
    assert.matches("stack traceback:", err)
    util.rmtree(tmp)
  end)

  it("reads a script from standard input with -", function()
    local out, _, code = run({ "-" }, "print(#arg, 'stdin')")
    assert.equals(0, code)
    assert.equals("0\tstdin\n", out)
  end)

  it("refuses a filter from standard input or -e, which clean's workers cannot read again", function()
    local filter = "return { article = function() end }\n"
    for _, args in ipairs { { "-", "tests/fixtures/articles" }, { "-e", filter, "tests/fixtures/articles" } } do
      local out, err, code = run(args, filter)
      assert.equals(2, code)
      assert.equals("", out)
      assert.equals("copydesk: a filter (a script returning a table of handlers) must be a file: save it " ..
        "and run 'copydesk FILTER.lua INPUT...'\n", err)
    end
  end)

  it("names an unknown recipe", function()
    local _, err, code = run { "nosuchrecipe" }
    assert.equals(2, code)
    assert.matches("unknown recipe 'nosuchrecipe'", err)
  end)

  it("turns Ctrl-C into an 'interrupted!' error, status 130, and closes what was open", function()
    local tmp = util.tmpdir()
    local f = assert(io.open(tmp .. "/spin.lua", "w"))
    -- $PPID of the shell is the copydesk process (system() ignores SIGINT while it waits, so the
    -- kill comes later, from the background); the loop gives up after 10 s so a failure cannot
    -- hang the suite; the to-be-closed variable must still close.
    f:write("local done <close> = setmetatable({}, { __close = function() io.stderr:write('closed\\n') end })\n",
      "os.execute('(sleep 0.2; kill -INT $PPID) &')\n",
      "local t = os.time() + 10\nwhile os.time() < t do end\n")
    f:close()
    local _, err, code = run { tmp .. "/spin.lua" }
    util.rmtree(tmp)
    assert.equals(130, code)
    assert.matches("interrupted!", err)
    assert.matches("closed\n", err)
  end)

  it("fails when standard output cannot be written, also after os.exit", function()
    for _, code in ipairs { "print(1)", "print(1) os.exit(0)", "print(1) os.exit(0, true)" } do
      local _, err, status = run({ "-e", code }, nil, "/dev/full")
      assert.equals(1, status, code)
      assert.equals("copydesk: error writing standard output\n", err)
    end
  end)

  it("maps a returned status outside 0..255 to 2", function()
    local _, _, code = run { "-e", "return 256" }
    assert.equals(2, code)
  end)
end)

describe("the interactive prompt", function()
  it("evaluates expressions and statements, prints tables readably, waits for more input", function()
    local out, err, code = run({ "-i" },
      "1 + 1\nx = { 1, 'a', k = { true } }\nx\nfunction f(a)\nreturn a * 2\nend\nf(21)\nerror('boom')\n")
    assert.equals(0, code)
    assert.matches("\n?> 2\n", out)
    assert.matches('{1, "a", k = {true}}', out, 1, true)
    assert.matches(">> >> > 42\n", out, 1, true)
    assert.matches("boom", err)
  end)
end)
