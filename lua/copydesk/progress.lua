-- copydesk.progress: one progress line on stderr (articles, MB, MB/s, ETA when the total size is
-- known), redrawn a few times a second, only when stderr is a terminal and not --quiet.
local cd = require "copydesk"

local M = {}
local Progress = {}
Progress.__index = Progress

local INTERVAL = 0.25 -- seconds between redraws
local MB = 1e6

-- opts: total (bytes, for the ETA; nil when unknown), quiet, enabled (default: stderr is a
-- terminal), stream (default io.stderr), clock (default copydesk.clock), label.
function M.new(opts)
  opts = opts or {}
  local enabled = opts.enabled
  if enabled == nil then enabled = cd.is_terminal("stderr") end
  local clock = opts.clock or cd.clock
  local now = clock()
  return setmetatable({
    on = enabled and not opts.quiet, total = opts.total, stream = opts.stream or io.stderr,
    clock = clock, started = now, last = now, shown = false, label = opts.label or "articles",
    records = 0, bytes = 0,
  }, Progress)
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
  self.stream:write("\r", self:line(now), "\27[K")
  self.shown = true
end

-- Erases the line, so the summary that follows starts clean.
function Progress:finish()
  if self.shown then self.stream:write("\r\27[K") end
  self.shown = false
end

return M
