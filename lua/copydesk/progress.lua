-- copydesk.progress: one progress line on stderr (articles, MB, MB/s, ETA when the total size is
-- known), redrawn a few times a second, only when stderr is a terminal and not --quiet.
local cd = require "copydesk"

local M = {}
local Progress = {}
Progress.__index = Progress

local INTERVAL = 0.25 -- seconds between redraws
local MB = 1e6

-- opts: total (bytes, for the ETA; nil when unknown; or a function returning it, called only
-- when the line is on, since sizing a folder of files costs a pass over it), quiet, enabled
-- (default: stderr is a terminal), stream (default io.stderr), clock (default copydesk.clock),
-- label.
function M.new(opts)
  opts = opts or {}
  local enabled = opts.enabled
  if enabled == nil then enabled = cd.is_terminal("stderr") end
  local on = enabled and not opts.quiet
  local total = opts.total
  if type(total) == "function" then total = on and total() or nil end
  local clock = opts.clock or cd.clock
  local now = clock()
  return setmetatable({
    on = on, total = total, stream = opts.stream or io.stderr,
    clock = clock, started = now, last = now, shown = false, label = opts.label or "articles",
    records = 0, bytes = 0,
  }, Progress)
end

-- The position of a run over several workers, each at its own place in the same inputs: the
-- least of them, before which every record is done. positions: a list of { records, bytes }.
function M.least(positions)
  local records, bytes = math.huge, math.huge
  for _, p in ipairs(positions) do
    records, bytes = math.min(records, p[1]), math.min(bytes, p[2])
  end
  if records == math.huge then return 0, 0 end
  return records, bytes
end

-- Makes the line show a run over several processes: peers() returns the positions of the other
-- workers ({ records, bytes } each), read at each redraw only, and the line shows M.least of
-- them and this process's own.
function Progress:watch(peers)
  self.peers = peers
end

local function clock_text(seconds)
  seconds = math.floor(seconds + 0.5)
  local h, m, s = seconds // 3600, seconds // 60 % 60, seconds % 60
  if h > 0 then return string.format("%d:%02d:%02d", h, m, s) end
  return string.format("%d:%02d", m, s)
end

-- The line as it would be drawn now.
function Progress:line(now)
  local elapsed = math.max(now - self.started, 1e-9)
  local rate = self.bytes / elapsed
  local text = string.format("%d %s, %.1f MB, %.1f MB/s", self.records, self.label,
    self.bytes / MB, rate / MB)
  if self.total and self.total > 0 then
    text = text .. string.format(", %d%%", math.floor(100 * math.min(self.bytes / self.total, 1)))
    if rate > 0 and self.bytes < self.total then
      text = text .. ", ETA " .. clock_text((self.total - self.bytes) / rate)
    end
  end
  return text
end

-- Records the position (records handled, bytes read) and redraws when the interval has passed.
-- When off it only stores two numbers.
function Progress:update(records, bytes)
  self.records, self.bytes = records, bytes
  if not self.on then return end
  local now = self.clock()
  if now - self.last < INTERVAL then return end
  self.last = now
  if self.peers then
    local all = self.peers()
    all[#all + 1] = { records, bytes }
    self.records, self.bytes = M.least(all)
  end
  self.stream:write("\r", self:line(now), "\27[K")
  self.shown = true
end

-- Erases the line, so the summary that follows starts clean.
function Progress:finish()
  if self.shown then self.stream:write("\r\27[K") end
  self.shown = false
end

-- ---- A worker's position, for the process that draws the line ------------------------------

local Reporter = {}
Reporter.__index = Reporter

-- An object with Progress's update and finish that writes the position (records and bytes, one
-- line) to the file `path`, under a temporary name then renamed so a reader never sees half a
-- line, at most every INTERVAL seconds and once more at the end. clock: as for M.new.
function M.reporter(path, clock)
  clock = clock or cd.clock
  return setmetatable({ path = path, clock = clock, last = -math.huge, records = 0, bytes = 0 },
    Reporter)
end

function Reporter:write()
  local f = io.open(self.path .. ".tmp", "wb")
  if not f then return end -- the line is a courtesy: a failure to show it stops nothing
  f:write(self.records, " ", self.bytes, "\n")
  f:close()
  os.rename(self.path .. ".tmp", self.path)
end

function Reporter:update(records, bytes)
  self.records, self.bytes = records, bytes
  local now = self.clock()
  if now - self.last < INTERVAL then return end
  self.last = now
  self:write()
end

function Reporter:finish() self:write() end

-- The position a reporter last wrote to `path` as { records, bytes }; { 0, 0 } before its first.
function M.read_position(path)
  local f = io.open(path, "rb")
  if not f then return { 0, 0 } end
  local records, bytes = f:read("n", "n")
  f:close()
  return { records or 0, bytes or 0 }
end

return M
