-- clean over a corpus: JSON lines in (compressed, other field names), the same bytes for any
-- --jobs, the summary as JSON, bad lines counted and reported by file and line.
local cd = require "copydesk"
local documents = require "copydesk.documents"
local util = require "util"
local run = util.run

-- n records as JSON lines with the text in `content` and the id in `doc`; every 97th line broken.
local function make_corpus(path, n)
  local words = { "The", "ferry", "sailed", "past", "the", "harbour", "wall", "at", "dawn." }
  local lines = {}
  for i = 1, n do
    if i % 97 == 0 then
      lines[i] = '{"doc":"d' .. i .. '","content":"broken'
    else
      local body = {}
      for k = 1, 3 + i % 5 do
        body[k] = table.concat(words, " ", 1 + (i + k) % 4) .. " Item " .. i .. "."
      end
      lines[i] = assert(cd.render({ meta = { doc = "d" .. i, date = 1615730520 + i },
        body = table.concat(body, "\n\nAdvertisement\n\n") }, "json")):gsub('"text":', '"content":')
    end
  end
  local s = assert(documents.stream(path))
  assert(s:write(table.concat(lines, "\n"), "\n"))
  assert(s:commit())
end

describe("copydesk clean on a corpus", function()
  local dir, corpus

  setup(function()
    dir = util.tmpdir()
    corpus = dir .. "/corpus.jsonl.gz"
    make_corpus(corpus, 2500)
  end)

  teardown(function() util.rmtree(dir) end)

  it("reads compressed JSON lines with other field names, the same bytes for any --jobs", function()
    local outs = {}
    for _, n in ipairs { "1", "2", "3" } do
      local out = dir .. "/out" .. n .. ".jsonl"
      local _, err, code = run { "clean", corpus, "--text-field", "content", "--id-field", "doc",
        "-o", out, "--jobs", n, "--stats", dir .. "/stats" .. n .. ".json" }
      assert.equals(1, code, err) -- the broken lines failed
      outs[n] = util.slurp(out)
      assert.is_nil(io.open(dir .. "/.out" .. n .. ".jsonl.work"), "work folder left behind")
    end
    assert.equals(outs["1"], outs["2"])
    assert.equals(outs["1"], outs["3"])
    local n = 0
    for line in outs["1"]:gmatch("[^\n]+") do
      n = n + 1
      assert.not_matches("Advertisement", line)
      assert.matches('"date":"2021%-03%-14T', line)
    end
    assert.equals(2500 - 2500 // 97, n)
  end)

  it("reports each bad line by file and line, and writes the summary as JSON", function()
    local _, err = run { "clean", corpus, "--text-field", "content", "-o", dir .. "/x.jsonl",
      "--stats", dir .. "/stats.json", "--jobs", "2" }
    assert.matches("corpus%.jsonl%.gz:97:%d+: ", err)
    local failed = 2500 // 97
    assert.matches(string.format("clean: read 2500, written %d, dropped 0, failed %d %%(", 2500 - failed,
      failed), err)
    local stats = util.slurp(dir .. "/stats.json")
    assert.matches('"read":2500', stats, 1, true)
    assert.matches('"failed":' .. failed, stats, 1, true)
    assert.matches('"removed_by":{"boilerplate":', stats, 1, true)
  end)

  it("learns boilerplate once, in the parent: the same notes and bytes for any --jobs", function()
    local outs, errs = {}, {}
    for _, n in ipairs { "1", "3" } do
      local out = dir .. "/learned" .. n .. ".jsonl"
      local _, err, code = run { "clean", corpus, "--text-field", "content", "--id-field", "doc",
        "--learn-boilerplate", "-o", out, "--jobs", n }
      assert.equals(1, code, err) -- the broken lines failed
      outs[n], errs[n] = util.slurp(out), err
    end
    assert.equals(outs["1"], outs["3"])
    -- The notes and the summary; each worker prints its own share of the bad lines' messages.
    local function kept(err) return (err:gsub("copydesk: [^\n]*%.gz:[^\n]*\n", "")
      :gsub("copydesk: further [^\n]*\n", "")) end
    assert.equals(kept(errs["1"]), kept(errs["3"]))
    local _, notes = errs["3"]:gsub("learned boilerplate", "")
    assert.equals(1, notes, errs["3"]) -- "the ferry sailed past the harbour wall at dawn" is too varied
    assert.matches("learned boilerplate 'advertisement'", errs["3"], 1, true)
  end)

  it("keeps the work of an output to a device here, not beside the device", function()
    -- As root every folder is writable, so the command runs as nobody where setpriv is there.
    local p = assert(io.popen("id -u"))
    local root = p:read("l") == "0"
    p:close()
    local as = root and os.execute("command -v setpriv >/dev/null 2>&1") and
      "setpriv --reuid=65534 --regid=65534 --clear-groups " or ""
    local here = util.tmpdir()
    assert(os.execute("chmod 777 " .. util.quote(here)))
    local copydesk = util.copydesk:sub(1, 1) == "/" and util.copydesk or os.getenv("PWD") .. "/" .. util.copydesk
    local ok = os.execute("cd " .. util.quote(here) .. " && " .. as .. util.quote(copydesk) ..
      " clean " .. util.quote(os.getenv("PWD") .. "/tests/fixtures/articles") .. " -o /dev/null 2>/dev/null")
    assert.is_true(ok)
    assert.is_nil(io.open("/dev/.null.work"))
    util.rmtree(here)
  end)

  it("keeps its work folder out of the inputs, even inside an input folder", function()
    local folder = dir .. "/articles"
    assert(cd.mkdir(folder))
    for i = 1, 1100 do -- more than one unit, so a second worker runs
      local f = assert(io.open(string.format("%s/a%04d.txt", folder, i), "w"))
      f:write("Article ", i, " says the ferry sailed at dawn.\n")
      f:close()
    end
    local out = folder .. "/clean.jsonl"
    local _, err, code = run { "clean", folder, "-o", out, "--jobs", "2" }
    assert.equals(0, code, err)
    assert.matches("clean: read 1100, written 1100, dropped 0, failed 0", err)
    assert.is_nil(io.open(folder .. "/.clean.jsonl.work"))
  end)
end)
