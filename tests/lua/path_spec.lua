local util = require "util"

describe("copydesk.path", function()
  local path = require "copydesk.path"

  it("joins, splits and names", function()
    assert.equals("a/b/c.txt", path.join("a", "b/", "c.txt"))
    assert.equals("/etc/x", path.join("a", "/etc", "x"))
    assert.same({ "a/b", "c.txt" }, { path.split("a/b/c.txt") })
    assert.same({ "", "c.txt" }, { path.split("c.txt") })
    assert.same({ "/", "c" }, { path.split("/c") })
    assert.equals("b", path.basename("a/b/"))
    assert.equals(".gz", path.extension("x/a.jsonl.gz"))
    assert.equals("", path.extension(".hidden"))
    assert.equals("a.jsonl", path.stem("x/a.jsonl.gz"))
    assert.equals("x/a.md", path.with_extension("x/a.txt", ".md"))
    assert.error_matches(function() path.join("a", 1) end, "bad argument #2 to 'join'")
  end)

  it("normalises and relates paths lexically", function()
    assert.equals("a/c", path.normalize("a/./b/../c"))
    assert.equals("../x", path.normalize("../x"))
    assert.equals("/x", path.normalize("/../x"))
    assert.equals(".", path.normalize("a/.."))
    assert.equals("../b/c", path.relative("a/b/c", "a/d"))
    assert.equals(".", path.relative("/a/b", "/a/b/"))
    assert.equals("c", path.relative("/a/b/c", "/a/b"))
  end)

  it("matches globs like a shell", function()
    assert.is_true(path.glob_match("x/y/a.md", "*.md"))
    assert.is_false(path.glob_match("x/y/a.md", "x/*.md"))
    assert.is_true(path.glob_match("x/y/a.md", "x/**/*.md"))
    assert.is_true(path.glob_match("x/a.md", "x/**/*.md"))
    assert.is_true(path.glob_match("a1.txt", "a?.[tx]xt"))
    assert.is_false(path.glob_match("a1.txt", "a?.[!t]xt"))
    assert.is_true(path.glob_match("50%.txt", "50%.txt"))
  end)

  it("walks a folder sorted, with include and exclude globs", function()
    local tmp = util.tmpdir()
    local cd = require "copydesk"
    assert(cd.mkdir(tmp .. "/b/skip"))
    for _, n in ipairs { "z.md", "a.txt", "b/c.md", "b/skip/d.md", ".h.md" } do
      io.open(tmp .. "/" .. n, "w"):close()
    end
    local rels = {}
    for _, rel in path.walk(tmp, { include = "*.md", exclude = "b/skip" }) do rels[#rels + 1] = rel end
    assert.same({ "b/c.md", "z.md" }, rels)
    rels = {}
    for _, rel in path.walk(tmp, { hidden = true }) do rels[#rels + 1] = rel end
    assert.same({ ".h.md", "a.txt", "b/c.md", "b/skip/d.md", "z.md" }, rels)
    util.rmtree(tmp)
  end)

  it("yields an unreadable folder with its message and goes on", function()
    local got = {}
    for p, rel, err in path.walk("no/such/folder") do got[#got + 1] = { p, rel, err } end
    assert.equals(1, #got)
    assert.matches("no/such/folder: No such file", got[1][3])
  end)
end)
