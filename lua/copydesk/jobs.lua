-- copydesk.jobs: a run over many processes that gives the same bytes for any number of them,
-- and that resumes after being killed.
--
-- The records of the inputs are numbered in input order and cut into units of `unit` records.
-- The workers (the parent is worker 0; worker k of n is the same command re-run with --shard k/n
-- --work DIR) all read every input, and each takes the next unit that no other worker has
-- claimed (see claimer), parsing only the records of its own units: a worker slowed down by a
-- busy core or a unit of long articles simply takes fewer units. It writes each output of a unit
-- into WORK/uNNNNNNNNN.tmp/, and commits the unit by renaming that folder to WORK/uNNNNNNNNN.
-- rename(2) is atomic, so a unit is either complete or absent whatever kills the process. The
-- parent then concatenates the units' outputs in unit order into the final outputs (each written
-- under a temporary name and renamed) and removes WORK. A unit's bytes depend only on its
-- records, so the result is the same for every n and every division of the units; --resume
-- skips the committed units, so no record is lost or repeated. WORK/manifest names the run (its
-- options, inputs with their sizes) and a resume with other inputs or options is refused.
local cd = require "copydesk"
local documents = require "copydesk.documents"
local progress = require "copydesk.progress"

local M = {}

-- Records per unit: small enough that the workers end together (the last unit is the most one
-- waits for another) and lose little to a kill; big enough that a unit's folder, files and
-- renames (a few milliseconds on a busy disk) cost little beside its records.
M.UNIT = 250

-- The options a recipe adds to its spec for copydesk.cli.
M.options = {
  { long = "--jobs", short = "-j", arg = "N",
    help = "worker processes (default: the number of cores); output is the same for any N" },
  { long = "--resume", help = "finish a run that was interrupted, keeping its completed work" },
  { long = "--work", arg = "DIR", help = "folder for the work in progress (default: .OUT.work beside OUT)" },
  { long = "--shard", arg = "K/N", help = "(internal) run as worker K of N" },
}

local function quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

local function unit_name(u) return string.format("u%09d", u) end

-- Removes a folder and everything below it (no links are followed: copydesk.dir reports a link
-- to a folder as a file).
local function rmtree(path)
  local iter, a, b, handle = cd.dir(path)
  if not iter then return end
  for name, is_dir in iter, a, b, handle do
    local p = path .. "/" .. name
    if is_dir then rmtree(p) else os.remove(p) end
  end
  os.remove(path)
end

local function read_file(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

-- Writes a small file under a temporary name, then renames it.
local function write_file(path, text)
  local f, err = io.open(path .. ".tmp", "wb")
  if not f then return nil, err end
  local ok, werr = f:write(text)
  local closed, cerr = f:close()
  if not ok or not closed then return nil, path .. ": " .. tostring(werr or cerr) end
  return os.rename(path .. ".tmp", path)
end

-- ---- Tallies: what each unit counted, added up by the parent ------------------------------

local function tally_text(t)
  local keys, lines = {}, {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do lines[#lines + 1] = k .. "\t" .. t[k] end
  return table.concat(lines, "\n") .. "\n"
end

local function add_tally(into, text)
  for k, n in text:gmatch("([^\t\n]+)\t(%d+)\n") do into[k] = (into[k] or 0) + tonumber(n) end
end

-- ---- What the parent shares with the workers ---------------------------------------------

-- A table of strings as text: for each key in order, "KEYLEN VALUELEN\n", the key, the value.
-- Lengths, not separators, since keys and values may hold any byte.
local function shared_text(t)
  local keys, parts = {}, {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do parts[#parts + 1] = #k .. " " .. #t[k] .. "\n" .. k .. t[k] end
  return table.concat(parts)
end

local function shared_table(text)
  local t, pos = {}, 1
  while pos <= #text do
    local klen, vlen, start = text:match("^(%d+) (%d+)\n()", pos)
    assert(klen, "damaged shared file")
    local vstart = start + tonumber(klen)
    t[text:sub(start, vstart - 1)] = text:sub(vstart, vstart + tonumber(vlen) - 1)
    pos = vstart + tonumber(vlen)
  end
  return t
end

-- ---- Units --------------------------------------------------------------------------------

local Unit = {}
Unit.__index = Unit

-- Where output `name` goes in the end: a path, nil for standard output, or false when it is
-- dropped (an output without a target, but for the first).
local function target_of(spec, name)
  local target = spec.targets and spec.targets[name]
  if target == nil and name ~= spec.outputs[1] then return false end
  return target
end

-- Takes what is written to an output that is dropped.
local discard = { write = function() return true end, close = function() return true end }

-- Makes the folder `dir` for a unit's work, with its tally and output files open (so it is
-- never empty); returns the files by name ("tally" and spec.outputs).
local function open_folder(spec, dir)
  assert(cd.mkdir(dir))
  local files = { tally = assert(io.open(dir .. "/tally", "wb")) }
  for _, name in ipairs(spec.outputs) do
    files[name] = target_of(spec, name) == false and discard or
      assert(io.open(dir .. "/" .. name, "wb"))
  end
  return files
end

local function new_unit(u, dir, files)
  return setmetatable({ id = u, dir = dir, files = files, tally = {} }, Unit)
end

-- Unit u's work folder, WORK/uNNNNNNNNN.tmp, opened here: for a run of one process, where no
-- other can take the unit (a killed run's half-written units were removed by prepare).
local function open_unit(spec, u)
  local dir = spec.work .. "/" .. unit_name(u) .. ".tmp"
  return new_unit(u, dir, open_folder(spec, dir))
end

-- Appends to output `name` of this unit (one of spec.outputs).
function Unit:write(name, ...)
  local f = self.files[name] or error("no output named '" .. tostring(name) .. "'", 2)
  return assert(f:write(...))
end

-- Adds n (default 1) to counter `key` ("read", "written", "dropped.empty", ...).
function Unit:count(key, n)
  self.tally[key] = (self.tally[key] or 0) + (n or 1)
end

function Unit:commit(spec)
  for _, name in ipairs(spec.outputs) do assert(self.files[name]:close()) end
  assert(self.files.tally:write(tally_text(self.tally)))
  assert(self.files.tally:close())
  assert(os.rename(self.dir, spec.work .. "/" .. unit_name(self.id)))
end

-- A stand-in for a copydesk.report in spec.process: the recipe's count_* calls go to the
-- current unit's tally (keys "read", "written", "dropped.REASON", "failed.REASON",
-- "removed.REASON", "changed.REASON", "flagged.REASON"), which the parent adds up; messages go to
-- `report` at once. Set proxy.unit to the unit before each record.
function M.report_proxy(report)
  local p = {}
  local function add(key, n) p.unit:count(key, n) end
  function p.count_read() add("read") end
  function p.count_written() add("written") end
  function p.count_dropped(_, reason, message)
    add("dropped." .. reason)
    if message then report:message(reason, message) end
  end
  function p.count_failed(_, reason, message)
    add("failed." .. reason)
    report:message(reason, message)
  end
  function p.count_removed(_, reason, n) add("removed." .. reason, n) end
  function p.count_changed(_, reason, n) add("changed." .. reason, n) end
  function p.count_flagged(_, reason, n) add("flagged." .. reason, n) end
  function p.message(_, reason, message) report:message(reason, message) end
  function p.note(_, message) report:note(message) end
  return p
end

-- A function claim(u) -> the Unit when worker k wins unit u, else nil. The worker keeps a
-- ticket, WORK/ticket.K, a unit folder made ahead with its files open, and claims unit u by
-- renaming it to WORK/uNNNNNNNNN.tmp: rename(2) onto a folder that is not empty fails, so of
-- the workers that try while the unit is in work exactly one wins, and the folder is the unit's
-- at once. A committed unit has no .tmp folder left, so the winner looks again: a unit whose
-- commit came before its rename is given back.
local function claimer(spec, k)
  local ticket, files = spec.work .. "/ticket." .. k, nil
  return function(u)
    local name = spec.work .. "/" .. unit_name(u)
    if cd.path_type(name) then return nil end -- committed: passed over without a rename
    files = files or open_folder(spec, ticket)
    local won, err = os.rename(ticket, name .. ".tmp")
    if not won then
      if not cd.path_type(name .. ".tmp") and not cd.path_type(name) then error(err) end
      return nil
    end
    if cd.path_type(name) then
      assert(os.rename(name .. ".tmp", ticket))
      return nil
    end
    local unit = new_unit(u, name .. ".tmp", files)
    files = nil
    return unit
  end
end

local function committed(spec)
  local done = {}
  local iter, a, b, handle = cd.dir(spec.work)
  if iter then
    for name, is_dir in iter, a, b, handle do
      local u = is_dir and name:match("^u(%d+)$")
      if u then done[tonumber(u)] = true end
    end
  end
  return done
end

-- The positions the workers other than the parent last reported, for its progress line.
local function peer_positions(spec, n)
  local list = {}
  for k = 1, n - 1 do list[k] = progress.read_position(spec.work .. "/progress." .. k) end
  return list
end

-- Runs worker k of n in this process: every record of the units it claims (of those not yet
-- committed) goes through spec.process(unit, art, err, reason, raw, source), art and the rest
-- as documents.each yields them. Writes WORK/total.K, the number of records in the inputs. The
-- parent's progress line (spec.progress) shows the whole run; when it is drawn (the parent
-- then writes WORK/progress.wanted), the other workers report their positions to it through
-- WORK/progress.K.
function M.work(spec, k, n)
  local size, done, unit = spec.unit or M.UNIT, committed(spec), nil
  local claim = n > 1 and claimer(spec, k) or function(u) return open_unit(spec, u) end
  local current, claimed -- the unit of the last record seen, and this worker's Unit for it
  local function mine(index)
    local u = (index - 1) // size
    if u ~= current then current, claimed = u, not done[u] and claim(u) or nil end
    return claimed ~= nil
  end
  local prog = spec.progress
  if k > 0 then
    prog = read_file(spec.work .. "/progress.wanted") and
      progress.reporter(spec.work .. "/progress." .. k)
  elseif prog and prog.on and n > 1 then
    prog:watch(function() return peer_positions(spec, n) end)
  end
  local opts = { select = mine, progress = prog }
  for key, v in pairs(spec.documents or {}) do opts[key] = v end
  local iter, s, c, state = documents.each(spec.inputs, opts)
  for art, err, reason, raw, source in iter, s, c, state do
    local u = (state:position() - 1) // size
    if unit and unit.id ~= u then unit:commit(spec) end
    unit = claimed -- select claimed the unit of this record
    spec.process(unit, art, err, reason, raw, source)
  end
  if unit then unit:commit(spec) end
  if prog then prog:finish() end
  assert(write_file(spec.work .. "/total." .. k, tostring((state:position())) .. "\n"))
end

-- ---- The parent ---------------------------------------------------------------------------

-- The options that do not change a run's output (how many workers, resuming, where the work
-- goes, progress): left out of the manifest, so a resume may change them.
local NEUTRAL = { ["--jobs"] = 1, ["-j"] = 1, ["--work"] = 1, ["--shard"] = 1, ["--resume"] = 0,
  ["--quiet"] = 0, ["-q"] = 0 }

-- What the manifest records of a command line: its arguments less the neutral options.
function M.run_name(args)
  local kept, i = {}, 1
  while i <= #args do
    local a = args[i]
    local name = a:match("^(%-%-?[^=]+)=") or a
    local skip = NEUTRAL[name]
    if skip then i = i + (a:find("=", 1, true) and 0 or skip)
    else kept[#kept + 1] = a end
    i = i + 1
  end
  return table.concat(kept, "\0")
end

-- The manifest: what a resumed run must match.
local function manifest_text(spec)
  local lines = { "copydesk-jobs 1", "unit " .. (spec.unit or M.UNIT), "run " .. (spec.name or "") }
  for _, input in ipairs(spec.inputs) do
    local f = input ~= "-" and io.open(input, "rb")
    local size = f and f:seek("end") or -1
    if f then f:close() end
    lines[#lines + 1] = "input " .. size .. " " .. input
  end
  return table.concat(lines, "\n") .. "\n"
end

-- Creates WORK with its manifest, or checks it on resume. Returns true or nil and a message.
local function prepare(spec)
  local want = manifest_text(spec)
  if spec.resume then
    local have = read_file(spec.work .. "/manifest")
    if have == want then
      -- All but the committed units goes: the killed run's claims (a claimed unit that was not
      -- committed must be redone), half-written units, tickets, record counts and positions.
      local stale = {}
      for name, is_dir in cd.dir(spec.work) do
        if name ~= "manifest" and not name:match("^u%d+$") then stale[name] = is_dir end
      end
      for name, is_dir in pairs(stale) do
        if is_dir then rmtree(spec.work .. "/" .. name) else os.remove(spec.work .. "/" .. name) end
      end
      return true
    end
    if have then
      return nil, spec.work .. ": the interrupted run had other inputs or options; remove it to start over"
    end
  end
  rmtree(spec.work)
  local ok, err = cd.mkdir(spec.work)
  if not ok then return nil, err end
  return write_file(spec.work .. "/manifest", want)
end

-- Starts n - 1 workers (1..n-1) as processes; this process is worker 0.
local function spawn(spec, n)
  local handles = {}
  for k = 1, n - 1 do
    local parts = {}
    for _, a in ipairs(spec.command) do parts[#parts + 1] = quote(a) end
    parts[#parts + 1] = "--shard " .. k .. "/" .. n .. " --work " .. quote(spec.work)
    handles[k] = assert(io.popen(table.concat(parts, " ") .. " </dev/null", "r"))
  end
  return handles
end

-- Every worker counted the same records; the units 0..U-1 must all be committed.
local function check_units(spec, n)
  local total
  for k = 0, n - 1 do
    local t = tonumber(read_file(spec.work .. "/total." .. k) or "")
    if t == nil or (total and t ~= total) then return nil, "worker " .. k .. " did not finish" end
    total = t
  end
  local size, done = spec.unit or M.UNIT, committed(spec)
  local units = (total + size - 1) // size
  for u = 0, units - 1 do
    if not done[u] then return nil, "unit " .. u .. " is missing" end
  end
  return units
end

local function copy_into(stream, path)
  local f = assert(io.open(path, "rb"))
  while true do
    local block = f:read(1 << 20)
    if not block then break end
    local ok, err = stream:write(block)
    if not ok then
      f:close()
      return nil, err
    end
  end
  f:close()
  return true
end

-- Concatenates the units' outputs into spec.targets[name] (a path; nil or "-" is standard
-- output; an output without a target is dropped) and adds up their tallies.
local function merge(spec, units)
  local tally, streams = {}, {}
  for _, name in ipairs(spec.outputs) do
    local target = target_of(spec, name)
    if target ~= false then
      local s, err = documents.stream(target)
      if not s then return nil, err end
      streams[name] = s
    end
  end
  for u = 0, units - 1 do
    local dir = spec.work .. "/" .. unit_name(u)
    for name, s in pairs(streams) do
      local ok, err = copy_into(s, dir .. "/" .. name)
      if not ok then
        for _, t in pairs(streams) do t:abort() end
        return nil, err
      end
    end
    add_tally(tally, read_file(dir .. "/tally") or "")
  end
  for _, name in ipairs(spec.outputs) do
    if streams[name] then
      local ok, err = streams[name]:commit()
      if not ok then return nil, err end
    end
  end
  return tally
end

-- Runs the whole job. spec:
--   inputs     the inputs (as documents.each takes them); documents: its options
--   outputs    names of the streams each unit writes, e.g. { "out", "rejects" }
--   targets    { name = path } for the final outputs (the first output defaults to stdout)
--   process    function(unit, art, err, reason, raw, source): handles one record (unit:write,
--              unit:count)
--   jobs       number of processes (default copydesk.cpu_count(); 1 when an input is "-")
--   resume     keep what an interrupted run committed
--   work       the work folder
--   command    argv that re-runs this recipe with its arguments (workers get --shard, --work)
--   shard      "K/N" when this process is a worker; then only its units are done
--   name       what the manifest records of the options (a resume must match it)
--   unit       records per unit (default M.UNIT); progress: a copydesk.progress for worker 0
--   share      function() -> a table of strings, run once by the parent before any worker
--              starts (work every worker would otherwise repeat, such as learning over the
--              inputs); receive: function(t), given that table in every process before its
--              first record
-- Returns the added-up tally, or nil and a message. A worker returns true.
function M.run(spec)
  if spec.shard then
    local k, n = spec.shard:match("^(%d+)/(%d+)$")
    k, n = tonumber(k), tonumber(n)
    if not k or k >= n then return nil, "--shard must be K/N with K < N" end
    if spec.share then
      local text = read_file(spec.work .. "/shared")
      if not text then return nil, "worker " .. k .. ": the parent's shared file is missing" end
      spec.receive(shared_table(text))
    end
    M.work(spec, k, n)
    return true
  end
  local n = spec.jobs or cd.cpu_count()
  for _, input in ipairs(spec.inputs) do
    if input == "-" then n = 1 end -- one reader of standard input
  end
  local ok, err = prepare(spec)
  if not ok then return nil, err end
  if spec.share then
    local t = spec.share()
    ok, err = write_file(spec.work .. "/shared", shared_text(t))
    if not ok then return nil, err end
    spec.receive(t)
  end
  if spec.progress and spec.progress.on and n > 1 then
    ok, err = write_file(spec.work .. "/progress.wanted", "")
    if not ok then return nil, err end
  end
  local handles = n > 1 and spawn(spec, n) or {}
  M.work(spec, 0, n)
  local failed
  for k, h in ipairs(handles) do
    if not h:close() then failed = failed or ("worker " .. k .. " failed") end
  end
  if failed then return nil, failed end
  local units, uerr = check_units(spec, n)
  if not units then return nil, uerr end
  local tally, merr = merge(spec, units)
  if not tally then return nil, merr end
  rmtree(spec.work)
  return tally
end

return M
