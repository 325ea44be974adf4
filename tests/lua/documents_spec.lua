-- The documents layer: copydesk.lines, parse_json, writer, and copydesk.documents /
-- copydesk.progress in Lua.
local cd = require "copydesk"
local documents = require "copydesk.documents"
local progress = require "copydesk.progress"
local util = require "util"

local FIX = "tests/fixtures/jsonl/"

local function lines_of(path, opts)
  local out = {}
  for n, line, err, why in cd.lines(path, opts) do out[#out + 1] = { n, line, err, why } end
  return out
end

local write = util.write

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

describe("copydesk.lines", function()
  it("gives the same numbered lines from plain, gzip and zstd files", function()
    local plain = lines_of(FIX .. "y_records.jsonl")
    assert.equal(5, #plain)
    assert.same(plain, lines_of(FIX .. "y_records.jsonl.gz"))
    assert.same(plain, lines_of(FIX .. "y_records.jsonl.zst"))
    assert.equal(4, plain[4][1])
    assert.equal("\r", plain[4][2]:sub(-1))
    assert.equal('{"id":"five","text":"No newline at the end of the file."}', plain[5][2])
  end)

  it("reports a truncated file as its last item, naming file and line", function()
    local data = util.slurp(FIX .. "y_records.jsonl.gz")
    local tmp = os.tmpname()
    write(tmp, data:sub(1, #data - 10))
    local items = lines_of(tmp)
    local last = items[#items]
    assert.is_nil(last[2])
    assert.equal(tmp .. ":" .. last[1] .. ": truncated gzip data", last[3])
    assert.equal("io", last[4])
    os.remove(tmp)
  end)

  it("skips a line over max_line with an error and reads on", function()
    local tmp = os.tmpname()
    write(tmp, "short\n" .. string.rep("x", 50) .. "\nafter\n")
    local items = lines_of(tmp, { max_line = 10 })
    assert.same({ 1, "short" }, items[1])
    assert.same({ 2, nil, tmp .. ":2: line longer than the limit", "too-large" }, items[2])
    assert.same({ 3, "after" }, items[3])
    os.remove(tmp)
  end)

  it("returns fail, message and errno for a missing file; raises on bad options", function()
    local iter, msg, errno = cd.lines(FIX .. "missing.jsonl")
    assert.is_nil(iter)
    assert.equal(FIX .. "missing.jsonl: No such file or directory", msg)
    assert.equal(2, errno)
    assert.has_error(function() cd.lines(FIX .. "y_records.jsonl", { maxline = 3 }) end,
      "bad argument #2 to 'lines' (unknown option 'maxline')")
    assert.has_error(function() cd.lines(FIX .. "y_records.jsonl", { max_line = 0 }) end,
      "bad argument #2 to 'lines' (option 'max_line' must be a positive integer)")
  end)

  it("closes its reader on break, through the fourth value", function()
    local reader
    for n, _, _, _ in cd.lines(FIX .. "y_records.jsonl") do
      if n == 2 then break end
    end
    local iter, a, b, r = cd.lines(FIX .. "y_records.jsonl.zst")
    reader = r
    assert.matches("^copydesk%.Reader %(", tostring(reader))
    for n in iter, a, b, r do
      assert.equal(n, reader:line())
      if n == 2 then break end
    end
    assert.equal("copydesk.Reader (closed)", tostring(reader))
    assert.has_error(function() reader:line() end,
      "calling 'line' on bad self (attempt to use a closed copydesk.Reader)")
    assert.has_error(function() reader.line(io.stdout) end,
      "bad argument #1 to 'line' (copydesk.Reader expected, got FILE*)")
  end)

  it("tells compression and bytes taken", function()
    local iter, a, b, r = cd.lines(FIX .. "y_records.jsonl.zst")
    iter(a, b)
    assert.equal("zstd", r:compression())
    assert.equal(#util.slurp(FIX .. "y_records.jsonl.zst"), r:offset())
    r:close()
  end)

  it("reads standard input for -", function()
    local out, err, code = util.run({ "-e",
      "for n, l in copydesk.lines('-') do io.write(n, '=', l, ';') end" }, "one\ntwo")
    assert.equal("", err)
    assert.equal(0, code)
    assert.equal("1=one;2=two;", out)
  end)
end)

describe("copydesk.parse_json", function()
  it("gives the article copydesk.parse gives, in the record's order", function()
    local art = assert(cd.parse_json(
      '{"id":2,"title":"T","tags":["a"],"none":null,"text":"B\\u0000dy"}'))
    assert.equal("B\0dy", art.body)
    assert.equal("json", art.format)
    assert.equal(1, art.body_line)
    assert.equal(2, art.meta.id)
    assert.equal(cd.null, art.meta.none)
    assert.equal(cd.array_mt, getmetatable(art.meta.tags))
    assert.same({ "id", "title", "tags", "none" }, getmetatable(art.meta).__order)
    assert.equal('{"id":2,"title":"T","tags":["a"],"none":null,"text":"B\\u0000dy"}',
      cd.render(art, "json"))
  end)

  it("maps other field names onto text and id", function()
    local line = util.slurp(FIX .. "y_fields_content.jsonl")
    local art = assert(cd.parse_json(line, { text = "content", id = "doc_id" }))
    assert.equal("Body from content.", art.body)
    assert.equal("x-1", art.meta.id)
    assert.same({ "id", "url" }, getmetatable(art.meta).__order)
  end)

  it("returns fail, message and the 1-based position for bad records", function()
    assert.same({ nil, "invalid JSON", 13 }, { cd.parse_json('{"text":"a",}') })
    assert.same({ nil, "record is not an object", 1 }, { cd.parse_json("[1]") })
    assert.same({ nil, "nesting too deep", 17 },
      { cd.parse_json('{"text":"","a":[[1]]}', { max_depth = 2 }) })
    assert.has_error(function() cd.parse_json("{}", { texts = "x" }) end,
      "bad argument #2 to 'parse_json' (unknown option 'texts')")
    assert.has_error(function() cd.parse_json("{}", { text = 1 }) end,
      "bad argument #2 to 'parse_json' (option 'text' must be a string, got number)")
  end)
end)

describe("copydesk.writer", function()
  it("writes gzip and zstd that read back, and refuses use after close", function()
    for _, kind in ipairs { "none", "gzip", "zstd" } do
      local tmp = os.tmpname()
      local w = assert(cd.writer(tmp, kind))
      assert.equal(w, w:write("a\n", "b\n"))
      assert.is_true(w:close())
      assert.equal("copydesk.Writer (closed)", tostring(w))
      assert.has_error(function() w:write("c") end,
        "calling 'write' on bad self (attempt to use a closed copydesk.Writer)")
      local got = {}
      for _, line in cd.lines(tmp) do got[#got + 1] = line end
      assert.same({ "a", "b" }, got)
      os.remove(tmp)
    end
    assert.has_error(function() cd.writer("/tmp/x", "lz4") end,
      "bad argument #2 to 'writer' (invalid option 'lz4')")
  end)

  it("reports a full disk at close", function()
    local w = assert(cd.writer("/dev/full", "none"))
    w:write("x")
    local ok, msg = w:close()
    assert.is_nil(ok)
    assert.matches("No space left on device", msg)
  end)
end)

describe("copydesk.read_file", function()
  it("reads a whole file, or max_len + 1 bytes of a longer one, and gives its size", function()
    local dir = util.tmpdir()
    local text = ("line of text \0 with a zero byte\n"):rep(300)
    write(dir .. "/a", text)
    assert.same({ text, #text }, { cd.read_file(dir .. "/a") })
    assert.same({ text, #text }, { cd.read_file(dir .. "/a", #text) })
    assert.same({ text:sub(1, 101), #text }, { cd.read_file(dir .. "/a", 100) })
    write(dir .. "/empty", "")
    assert.same({ "", 0 }, { cd.read_file(dir .. "/empty", 10) })
    assert.equal(#text, cd.file_size(dir .. "/a"))
    util.rmtree(dir)
  end)

  it("reads a file whose size stat does not know to its end", function()
    -- /proc says 0 and gives its text in reads of about a page: all of them are taken
    local got, size = cd.read_file("/proc/self/smaps")
    assert.equal(0, size)
    assert.is_true(#got > 3 * 4096, #got)
    assert.matches("^%x+%-%x+ ", got)
    assert.equal("\n", got:sub(-1))
    local dir = util.tmpdir()
    assert.is_true(os.execute("mkfifo " .. util.quote(dir .. "/fifo")))
    -- more than one 64 KiB step, from a writer in the background
    os.execute("(head -c 200000 /dev/zero | tr '\\0' x > " .. util.quote(dir .. "/fifo") .. " &)")
    assert.same({ ("x"):rep(200000), 0 }, { cd.read_file(dir .. "/fifo") })
    util.rmtree(dir)
  end)

  it("returns fail, 'path: reason' and errno as io.open does", function()
    local dir = util.tmpdir()
    local _, msg, code = io.open(dir .. "/missing", "rb")
    assert.same({ nil, msg, code }, { cd.read_file(dir .. "/missing") })
    assert.same({ nil, msg, code }, { cd.file_size(dir .. "/missing") })
    local f = assert(io.open(dir, "rb"))
    local _, rmsg, rcode = f:read(1)
    f:close()
    assert.same({ nil, dir .. ": " .. rmsg, rcode }, { cd.read_file(dir) })
    assert.has_error(function() cd.read_file(dir, -1) end,
      "bad argument #2 to 'read_file' (negative length)")
    util.rmtree(dir)
  end)
end)

describe("copydesk.documents", function()
  it("yields articles from folders, article files and JSON lines, bad records as failures", function()
    local got = {}
    for art, err, reason, raw, source in documents.each({ FIX .. "n_bad_lines.jsonl",
      "tests/fixtures/articles/harbour-dated.txt" }) do
      if art then got[#got + 1] = { art.index, art.source, art.line, art.meta.id or art.meta.date }
      else got[#got + 1] = { err, reason, raw ~= nil, source } end
    end
    local f = FIX .. "n_bad_lines.jsonl"
    assert.same({
      { 1, f, 1, "a" },
      { f .. ":2:35: unexpected end of the record", "bad-json", true, f },
      { f .. ":3:1: record is not an object", "bad-json", true, f },
      { f .. ":4:1: record has no text field", "bad-json", true, f },
      { f .. ":5:1: text field is not a string", "bad-json", true, f },
      { f .. ":6:30: text after the JSON value", "bad-json", true, f },
      { 7, f, 8, "f" },
      { 8, "tests/fixtures/articles/harbour-dated.txt", nil, "2021-03-14" },
    }, got)
  end)

  it("fails an article file or a record over max_article as too-large, and reads on", function()
    local art = "tests/fixtures/articles/harbour-dated.txt"
    local size = #util.slurp(art)
    local got = {}
    for a, err, reason in documents.each({ art, FIX .. "y_records.jsonl" }, { max_article = 60 }) do
      got[#got + 1] = a and a.meta.id or { err, reason }
    end
    assert.same({ art .. ": article of " .. size .. " bytes, over the limit of 60 bytes " ..
      "(--max-article)", "too-large" }, got[1])
    assert.equals(6, #got)
    local failed = 0
    for i = 2, #got do
      if type(got[i]) == "table" then
        failed = failed + 1
        assert.matches("^" .. FIX:gsub("%p", "%%%0") .. "y_records%.jsonl:%d+: record over the " ..
          "limit of 60 bytes %(%-%-max%-article%)$", got[i][1])
        assert.equals("too-large", got[i][2])
      end
    end
    assert.is_true(failed > 0 and failed < 5, "some records fit, some not")
    assert.equals(documents.MAX_ARTICLE, 64 * 1024 * 1024)
    assert.has_error(function() documents.each({}, { max_line = 10 }) end,
      "bad option 'max_line' to 'documents.each'")
  end)

  it("applies the field mapping and select, and tells its position", function()
    local ids = {}
    local iter, a, b, state = documents.each({ FIX .. "y_records.jsonl.gz" },
      { select = function(i) return i % 2 == 1 end })
    for art in iter, a, b, state do ids[#ids + 1] = art.meta.id end
    assert.same({ "harbour-1", "three", "five" }, ids)
    assert.equal(5, (state:position()))
    local art = documents.each({ FIX .. "y_fields_content.jsonl" }, { text = "content", id = "doc_id" })()
    assert.equal("x-1", art.meta.id)
    assert.has_error(function() documents.each({}, { txt = "x" }) end)
  end)

  it("reports records and bytes read to a progress object", function()
    local seen = {}
    local p = { update = function(_, records, bytes) seen[#seen + 1] = { records, bytes } end }
    local inputs = { FIX .. "y_records.jsonl.gz", "tests/fixtures/articles/harbour-dated.txt" }
    for _ in documents.each(inputs, { progress = p }) do end
    local size = #util.slurp(inputs[1]) + #util.slurp(inputs[2])
    assert.same({ 6, size }, seen[#seen])
    for i = 2, #seen do assert.is_true(seen[i][2] >= seen[i - 1][2]) end
    assert.equal(size, documents.total_size(inputs))
    assert.is_nil(documents.total_size({ "-" }))
  end)

  it("closes the open file on break", function()
    local iter, a, b, state = documents.each({ FIX .. "y_records.jsonl.zst" })
    for _ in iter, a, b, state do break end
    assert.is_nil(state.reader)
  end)

  it("writes JSON lines under a temporary name, renamed when complete", function()
    local dir = util.tmpdir()
    local path = dir .. "/out.jsonl.gz"
    local w = assert(documents.writer(path, "jsonl"))
    for art in documents.each({ FIX .. "y_records.jsonl" }) do assert(w:write(art)) end
    assert.is_true(exists(path .. ".tmp"))
    assert.is_false(exists(path))
    assert.is_true(w:close())
    assert.is_false(exists(path .. ".tmp"))
    local n = 0
    for _, line in cd.lines(path) do
      n = n + 1
      assert.matches('^{"id":', line)
    end
    assert.equal(5, n)
    local aborted = assert(documents.writer(dir .. "/never.jsonl", "jsonl"))
    aborted:abort()
    assert.is_false(exists(dir .. "/never.jsonl.tmp"))
    assert.is_false(exists(dir .. "/never.jsonl"))
    util.rmtree(dir)
  end)

  it("writes a folder of front-matter or text files", function()
    local dir = util.tmpdir()
    local fm = assert(documents.writer(dir .. "/fm", "front-matter"))
    local tx = assert(documents.writer(dir .. "/tx", "text"))
    for art in documents.each({ FIX .. "y_records.jsonl", "tests/fixtures/articles" }) do
      if art then
        assert(fm:write(art))
        assert(tx:write(art))
      end
    end
    assert(fm:close())
    assert(tx:close())
    local back = cd.parse(util.slurp(dir .. "/fm/y_records/1.md"))
    assert.equal("harbour-1", back.meta.id)
    assert.equal("The ferry leaves at nine.\n\nIt returns at five.\n", back.body)
    assert.matches("^Ferry timetable changes\n\nThe ferry", util.slurp(dir .. "/tx/y_records/1.txt"))
    assert.is_true(exists(dir .. "/fm/ferry-front-matter.md"))
    util.rmtree(dir)
  end)

  it("picks compression by name and knows JSON-lines names", function()
    assert.equal("gzip", documents.compression_of("a.jsonl.gz"))
    assert.equal("zstd", documents.compression_of("a.jsonl.zst"))
    assert.equal("none", documents.compression_of("a.jsonl"))
    assert.is_true(documents.is_jsonl("-"))
    assert.is_true(documents.is_jsonl("x.ndjson.zst"))
    assert.is_false(documents.is_jsonl("x.md"))
    for _, name in ipairs { "a.jsonl", "a.ndjson", "a.jsonl.gz", "d/.jsonl", "d/.ndjson.gz",
      "a..jsonl" } do
      assert.is_true(documents.is_jsonl(name), name)
    end
    for _, name in ipairs { "a.gz", "a.jsonl.zst.gz", "d.jsonl/f", "a.jsonlx", "jsonl", "a.JSONL",
      "a.jsonl.bz2", ".zst", "a.json" } do
      assert.is_false(documents.is_jsonl(name), name)
    end
  end)
end)

describe("copydesk.progress", function()
  local function fake()
    local t, out = 0, {}
    return function() return t end, function(v) t = v end,
      { write = function(_, ...) for _, s in ipairs { ... } do out[#out + 1] = s end end }, out
  end

  it("redraws at most four times a second, with rate and ETA, and erases itself", function()
    local clock, set, stream, out = fake()
    local p = progress.new { enabled = true, stream = stream, clock = clock, total = 4e6 }
    p:update(1, 1e6)
    assert.equal(0, #out)
    set(0.5)
    p:update(10, 1e6)
    assert.equal("\r10 articles, 1.0 MB, 2.0 MB/s, 25%, ETA 0:02\27[K", table.concat(out))
    set(0.6)
    p:update(11, 2e6)
    assert.equal(3, #out)
    p:finish()
    assert.equal("\r\27[K", out[#out])
  end)

  it("stays silent with quiet, or when stderr is not a terminal", function()
    local clock, set, stream, out = fake()
    local p = progress.new { enabled = true, quiet = true, stream = stream, clock = clock }
    set(10)
    p:update(1, 1)
    p:finish()
    assert.equal(0, #out)
    local q = progress.new { stream = stream, clock = clock } -- busted's stderr is a file here
    set(20)
    q:update(1, 1)
    assert.equal(0, #out)
  end)
end)
