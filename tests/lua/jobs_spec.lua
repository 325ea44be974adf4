-- copydesk.jobs through a small recipe (tests/fixtures/jobs/recipe.lua): the same bytes for any
-- --jobs, and a run killed with SIGKILL mid-file finished by --resume as if never interrupted.
local cd = require "copydesk"
local documents = require "copydesk.documents"
local util = require "util"

local RECIPE = "tests/fixtures/jobs/recipe.lua"

-- A corpus of `n` records over a plain, a gzip and a zstd file, every 17th line bad and every
-- 11th record marked to be dropped; seeded, so each run of the tests sees the same corpus.
local function make_corpus(dir, n)
  local seed = 7
  local function rand(m)
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % m
  end
  local words = { "ferry", "harbour", "council", "tide", "storm", "café", "ministry", "vote" }
  local parts, paths = { {}, {}, {} }, {}
  for i = 1, n do
    local body = {}
    for _ = 1, 5 + rand(40) do body[#body + 1] = words[1 + rand(#words)] end
    local line
    if i % 17 == 0 then line = '{"id":' .. i .. ',"text":"broken'
    else
      line = assert(cd.render({ meta = { id = "r" .. i, drop = i % 11 == 0 or nil },
        body = table.concat(body, " ") }, "json"))
    end
    local p = parts[1 + (i * 3 // (n + 1))]
    p[#p + 1] = line
  end
  for k, suffix in ipairs { ".jsonl", ".jsonl.gz", ".jsonl.zst" } do
    local path = dir .. "/part" .. k .. suffix
    local s = assert(documents.stream(path))
    assert(s:write(table.concat(parts[k], "\n"), "\n"))
    assert(s:commit())
    paths[k] = path
  end
  return paths
end

local function run(inputs, extra)
  local args = { RECIPE }
  for _, a in ipairs(inputs) do args[#args + 1] = a end
  for _, a in ipairs(extra) do args[#args + 1] = a end
  return util.run(args)
end

describe("copydesk.jobs", function()
  local dir, inputs
  setup(function()
    dir = util.tmpdir()
    inputs = make_corpus(dir, 600)
  end)
  teardown(function() util.rmtree(dir) end)

  it("writes what a plain loop writes, the same bytes for every --jobs", function()
    -- The expectation, computed here without copydesk.jobs.
    local want, want_rejects, dropped, failed = {}, {}, 0, 0
    for art, _, _, raw in documents.each(inputs) do
      if not art then
        want_rejects[#want_rejects + 1] = raw
        failed = failed + 1
      elseif art.meta.drop then
        want_rejects[#want_rejects + 1] = cd.render(art, "json")
        dropped = dropped + 1
      else
        art.body = art.body:upper()
        want[#want + 1] = cd.render(art, "json")
      end
    end
    local written = #want
    assert.is_true(written > 0 and dropped > 0 and failed > 0)
    want = table.concat(want, "\n") .. "\n"
    want_rejects = table.concat(want_rejects, "\n") .. "\n"
    local summary
    for _, n in ipairs { "1", "2", "3", "5" } do
      local out = dir .. "/out" .. n .. ".jsonl.zst"
      local _, err, code = run(inputs, { "-o", out, "--rejects", dir .. "/rej" .. n .. ".jsonl",
        "--unit", "7", "--jobs", n })
      assert.equal(0, code, err)
      local got = {}
      for _, line in cd.lines(out) do got[#got + 1] = line end
      assert.equal(want, table.concat(got, "\n") .. "\n", "--jobs " .. n)
      assert.equal(want_rejects, util.slurp(dir .. "/rej" .. n .. ".jsonl"), "--jobs " .. n)
      assert.equal(util.slurp(dir .. "/out1.jsonl.zst"), util.slurp(out), "--jobs " .. n)
      local s = err:gsub("unit %d+ by %d+\n", "")
      summary = summary or s
      assert.equal(summary, s)
    end
    assert.equal(string.format("dropped.flagged %d\nfailed.bad-json %d\nread 600\nwritten %d\n",
      dropped, failed, written), summary)
    assert.is_nil(io.open(dir .. "/out1.jsonl.zst.work/manifest"))
  end)

  it("finishes a run killed with SIGKILL mid-file, losing and repeating nothing", function()
    local big = make_corpus(dir, 1500)
    local plain = dir .. "/plain.jsonl"
    local _, perr, pcode = run(big, { "-o", plain, "--unit", "25", "--jobs", "2" })
    assert.equal(0, pcode, perr)

    local out, work = dir .. "/killed.jsonl", dir .. "/killed.jsonl.work"
    local args = { util.copydesk, RECIPE }
    for _, a in ipairs(big) do args[#args + 1] = a end
    for _, a in ipairs { "-o", out, "--unit", "25", "--jobs", "2", "--delay", "0.002" } do
      args[#args + 1] = a
    end
    local quoted = {}
    for i, a in ipairs(args) do quoted[i] = util.quote(a) end
    -- setsid makes the run a process group of its own, so one signal reaches its workers too.
    local h = assert(io.popen("setsid " .. table.concat(quoted, " ") ..
      " >/dev/null 2>" .. dir .. "/killed.err & echo $!"))
    local pid = h:read("l")
    h:close()
    local committed
    for _ = 1, 400 do
      committed = {}
      for name in cd.dir(work) or function() end do
        local u = name:match("^u(%d+)$")
        if u then committed[#committed + 1] = tonumber(u) end
      end
      if #committed >= 3 then break end
      os.execute("sleep 0.05")
    end
    -- `kill -KILL -PID` signals the group; dash's kill takes no "--" (with it, nothing is killed
    -- and the run goes on beside the resume).
    assert(os.execute("kill -KILL -" .. pid), "the run was not killed")
    os.execute("sleep 0.2")
    assert.is_true(#committed >= 3, "no unit committed before the kill")
    assert.is_nil(io.open(out), "the run finished before it was killed")

    local _, err, code = run(big, { "-o", out, "--unit", "25", "--jobs", "3", "--resume" })
    assert.equal(0, code, err)
    assert.equal(util.slurp(plain), util.slurp(out))
    for _, u in ipairs(committed) do
      assert.is_nil(err:find("unit " .. u .. " by", 1, true), "unit " .. u .. " was redone")
    end
    assert.is_nil(io.open(work .. "/manifest"))
  end)

  it("lets the workers divide the units among them, each unit done once", function()
    local _, err, code = run(inputs, { "-o", dir .. "/divided.jsonl", "--unit", "7", "--jobs", "3",
      "--delay", "0.002" })
    assert.equal(0, code, err)
    local records = 0
    for _ in documents.each(inputs) do records = records + 1 end
    local units, seen, by = 0, {}, {}
    for u, k in err:gmatch("unit (%d+) by (%d+)\n") do
      assert.is_nil(seen[u], "unit " .. u .. " done twice")
      seen[u], units, by[k] = true, units + 1, true
    end
    assert.equal((records + 6) // 7, units)
    assert.is_true(by["0"] and by["1"] and by["2"], "a worker did no unit")
  end)

  it("runs the parent's share once and hands its table to every worker", function()
    local value = "two words\nand a line"
    local _, err, code = run(inputs, { "-o", dir .. "/shared.jsonl", "--unit", "7", "--jobs", "3",
      "--share", value })
    assert.equal(0, code, err)
    local _, sharing = err:gsub("sharing\n", "")
    assert.equal(1, sharing)
    local n = 0
    for _, line in cd.lines(dir .. "/shared.jsonl") do
      local art = assert(cd.parse_json(line))
      assert.equal(" " .. value .. "=<" .. value .. ">\0", art.body:sub(-2 * #value - 5))
      n = n + 1
    end
    assert.is_true(n > 0)
  end)

  it("refuses to resume a run with other inputs", function()
    local out = dir .. "/other.jsonl"
    local work = out .. ".work"
    assert(cd.mkdir(work))
    local f = assert(io.open(work .. "/manifest", "wb"))
    f:write("copydesk-jobs 1\nunit 1000\nrun something else\n")
    f:close()
    local _, err, code = run(inputs, { "-o", out, "--resume", "--jobs", "1" })
    assert.equal(1, code)
    assert.matches("the interrupted run had other inputs or options", err)
    util.rmtree(work)
  end)
end)

describe("copydesk.jobs.report_proxy", function()
  it("turns a report's counting calls into unit tallies and passes messages on", function()
    local jobs = require "copydesk.jobs"
    local said = {}
    local rep = { message = function(_, reason, m) said[#said + 1] = reason .. ": " .. m end,
      note = function(_, m) said[#said + 1] = m end }
    local tally = {}
    local unit = { count = function(_, key, n) tally[key] = (tally[key] or 0) + (n or 1) end }
    local p = jobs.report_proxy(rep)
    p.unit = unit
    p:count_read()
    p:count_read()
    p:count_written()
    p:count_dropped("empty")
    p:count_failed("bad-json", "a.jsonl:3:1: invalid JSON")
    p:count_removed("caption", 2)
    p:count_flagged("date-future")
    p:note("learned")
    assert.same({ read = 2, written = 1, ["dropped.empty"] = 1, ["failed.bad-json"] = 1,
      ["removed.caption"] = 2, ["flagged.date-future"] = 1 }, tally)
    assert.same({ "bad-json: a.jsonl:3:1: invalid JSON", "learned" }, said)
  end)
end)

describe("copydesk.progress over several workers", function()
  local progress = require "copydesk.progress"

  -- A clock that moves a second at every call, so every update redraws.
  local function ticking()
    local t = 0
    return function()
      t = t + 1
      return t
    end
  end

  -- A stream that keeps what is written.
  local function sink()
    local s = { text = "" }
    function s.write(self, ...) self.text = self.text .. table.concat({ ... }) end
    return s
  end

  it("takes the least position of the workers: every record before it is done", function()
    assert.same({ 40, 4000 }, { progress.least { { 90, 9000 }, { 40, 4000 }, { 70, 7500 } } })
    assert.same({ 0, 0 }, { progress.least {} })
  end)

  it("reads what a worker's reporter wrote, and nothing before its first write", function()
    local dir = util.tmpdir()
    local path = dir .. "/progress.1"
    assert.same({ 0, 0 }, progress.read_position(path))
    local r = progress.reporter(path, ticking())
    r:update(12, 3400)
    assert.same({ 12, 3400 }, progress.read_position(path))
    local quiet = progress.reporter(path, function() return 5 end) -- no interval passes
    quiet:update(1, 1)
    quiet:update(30, 9000)
    assert.same({ 1, 1 }, progress.read_position(path))
    quiet:finish() -- the last position is always written
    assert.same({ 30, 9000 }, progress.read_position(path))
    util.rmtree(dir)
  end)

  it("draws the whole run's position, the least of its own and the peers'", function()
    local out = sink()
    local p = progress.new { enabled = true, stream = out, clock = ticking(), total = 10e6 }
    local peers = { { 50, 5e6 } }
    p:watch(function() return { peers[1] } end)
    p:update(80, 8e6)
    assert.matches("\r50 articles, 5.0 MB, ", out.text, 1, true)
    peers[1] = { 100, 10e6 }
    p:update(90, 9e6)
    assert.matches("\r90 articles, 9.0 MB, [^\r]*90%%, ETA", out.text)
  end)

  it("sizes the inputs for the ETA only when the line is drawn", function()
    local asked = 0
    local function total() asked = asked + 1 return 100 end
    assert.is_nil(progress.new({ enabled = false, total = total }).total)
    assert.is_nil(progress.new({ enabled = true, quiet = true, total = total }).total)
    assert.equal(0, asked)
    assert.equal(100, progress.new({ enabled = true, stream = sink(), total = total }).total)
    assert.equal(1, asked)
  end)
end)
