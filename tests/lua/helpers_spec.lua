local util = require "util"

describe("copydesk.cli", function()
  local cli = require "copydesk.cli"
  local spec = {
    name = "t", usage = "copydesk t IN...", description = "A test.",
    options = {
      { long = "--output", short = "-o", arg = "OUT", help = "where" },
      { long = "--format", arg = "F", choices = { "a", "b" }, default = "a" },
      { long = "--keep-all", help = "keep" },
    },
  }

  it("parses long, short and inline options with defaults", function()
    local o, rest = cli.parse(spec, { "x", "-o", "f", "--format=b", "--keep-all", "y", "--", "-z" })
    assert.same({ "x", "y", "-z" }, rest)
    assert.equals("f", o.output)
    assert.equals("b", o.format)
    assert.is_true(o.keep_all)
    o = cli.parse(spec, {})
    assert.equals("a", o.format)
    assert.is_false(o.keep_all)
  end)

  it("names the bad option", function()
    assert.same({ nil, "unrecognized option '--nope'" }, { cli.parse(spec, { "--nope" }) })
    assert.matches("needs a value", select(2, cli.parse(spec, { "-o" })))
    assert.matches("must be one of a, b, got 'c'", select(2, cli.parse(spec, { "--format", "c" })))
  end)

  it("writes a usage text with every option", function()
    local u = cli.usage(spec)
    assert.matches("usage: copydesk t IN", u)
    assert.matches("%-o, %-%-output OUT", u)
    assert.matches("%-%-keep%-all", u)
  end)

  it("lists the shipped recipes with their descriptions", function()
    local list = assert(cli.recipes("scripts"))
    local names = {}
    for _, r in ipairs(list) do
      names[r.name] = r.description
      assert.is_true(#r.description > 0, r.name .. " has no description line")
    end
    assert.is_string(names.clean)
  end)
end)

describe("copydesk.report", function()
  local report = require "copydesk.report"
  local function sink()
    local s = { text = "" }
    function s:write(...) self.text = self.text .. table.concat({ ... }) end
    return s
  end

  it("sums every input into one bucket with reasons", function()
    local err = sink()
    local r = report.new("clean", { stderr = err })
    for _ = 1, 4 do r:count_read() end
    r:count_written()
    r:count_dropped("empty", "a: empty")
    r:count_failed("parse", "b:3:1: bad")
    r:count_failed("read", "c: missing")
    r:count_removed("caption", 3)
    assert.equals("clean: read 4, written 1, dropped 1 (empty 1), failed 2 (parse 1, read 1); " ..
      "removed caption 3", r:summary())
    assert.equals(1, r:finish())
    assert.matches("copydesk: b:3:1: bad\n", err.text)
  end)

  it("counts changes and flags apart from removals", function()
    local r = report.new("clean", { stderr = sink() })
    r:count_removed("caption")
    r:count_changed("glue", 2)
    r:count_flagged("date-future")
    assert.equals("clean: read 0, written 0, dropped 0, failed 0; removed caption 1; changed glue 2; " ..
      "flagged date-future 1", r:summary())
  end)

  it("raises when the numbers do not add up", function()
    local r = report.new("x", { stderr = sink() })
    r:count_read()
    assert.error_matches(function() r:summary() end, "accounting bug")
  end)

  it("prints ten messages per reason, then only counts", function()
    local err = sink()
    local r = report.new("x", { stderr = err })
    for i = 1, 15 do
      r:count_read()
      r:count_failed("read", "file" .. i)
    end
    local _, lines = err.text:gsub("\n", "")
    assert.equals(11, lines)
    assert.matches("only counted", err.text)
    assert.matches("failed 15 %(read 15%)", r:summary())
  end)
end)

describe("copydesk.meta", function()
  local meta = require "copydesk.meta"

  it("turns epoch dates into ISO 8601 UTC and trims strings", function()
    local m = meta.tidy { date = 1615730520.8812339, title = "A title\n", year = 2021,
      tags = { " a ", "b\n" }, published = "1615730520" }
    assert.equals("2021-03-14T14:02:00Z", m.date)
    assert.equals("2021-03-14T14:02:00Z", m.published)
    assert.equals("A title", m.title)
    assert.equals(2021, m.year)
    assert.same({ "a", "b" }, m.tags)
  end)

  it("leaves ISO dates alone", function()
    assert.equals("2021-03-14", meta.tidy({ date = "2021-03-14" }).date)
  end)

  it("writes every date form as ISO 8601 and flags the impossible ones, keeping them", function()
    local m, notes = meta.tidy({ date = "Sat, 12 Jun 2021 16:45:00 +0100", published = 1623512700000,
      modified = "2030-01-01", created = 0, pubDate = "soon" }, { now = 1700000000 })
    assert.equals("2021-06-12T15:45:00Z", m.date)
    assert.equals("2021-06-12T15:45:00Z", m.published)
    assert.equals("2030-01-01", m.modified)
    assert.equals(0, m.created)
    assert.same({ "created: date-before-web", "modified: date-future", "pubDate: date-unparsed" }, m.copydesk_flags)
    assert.equals(require("copydesk").array_mt, getmetatable(m.copydesk_flags))
    assert.same({ key = "created", reason = "date-before-web", value = 0 }, notes[1])
  end)

  it("drops generator keys unless asked to keep them, and URLs that are not absolute", function()
    local m, notes = meta.tidy { extends = "_layouts.post", section = "content", image = "/a.jpg",
      url = "https://example.com/a" }
    assert.same({ url = "https://example.com/a" }, m)
    assert.same({ "extends generator-key", "image bad-url", "section generator-key" },
      (function()
        local t = {}
        for _, n in ipairs(notes) do t[#t + 1] = n.key .. " " .. n.reason end
        return t
      end)())
    m = meta.tidy({ extends = "x" }, { keep_generator_keys = true })
    assert.equals("x", m.extends)
  end)

  it("derives a title only from a short first line that reads like one", function()
    assert.equals("Ferry returns", meta.derive_title("Ferry returns\n\nThe ferry returned."))
    assert.is_nil(meta.derive_title("The ferry returned on Sunday.\n"))
    assert.is_nil(meta.derive_title(string.rep("a", 121)))
  end)
end)

describe("copydesk.files", function()
  local files = require "copydesk.files"

  it("walks folders sorted, skipping hidden entries, keeping relative paths", function()
    local tmp = util.tmpdir()
    assert(require("copydesk").mkdir(tmp .. "/sub"))
    for _, n in ipairs { "b.txt", ".hidden", "sub/a.md" } do io.open(tmp .. "/" .. n, "w"):close() end
    local list = files.expand { tmp, tmp .. "/b.txt" }
    util.rmtree(tmp)
    local rels = {}
    for _, e in ipairs(list) do rels[#rels + 1] = e.rel end
    assert.same({ "b.txt", "sub/a.md", "b.txt" }, rels)
  end)

  it("reads files and reports a missing one with its name", function()
    assert.equals("Advertisement", files.read("tests/fixtures/articles/ferry-front-matter.md"):match("\n(Advert%a+)\n"))
    local data, err = files.read("no/such/file")
    assert.is_nil(data)
    assert.matches("no/such/file", err)
  end)
end)
