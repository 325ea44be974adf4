-- copydesk.report: the accounting of a run. Every input lands in exactly one bucket, written,
-- dropped or failed, the last two with a reason; messages go to stderr, ten per reason at most.
local M = {}
local Report = {}
Report.__index = Report

local MAX_MESSAGES = 10

-- A new report for recipe `name`. opts.stderr replaces io.stderr (tests).
function M.new(name, opts)
  opts = opts or {}
  return setmetatable({
    name = name, read = 0, written = 0, dropped = 0, failed = 0,
    dropped_by = {}, failed_by = {}, removed_by = {}, changed_by = {}, flagged_by = {},
    messages_by = {},
    err = opts.stderr or io.stderr,
  }, Report)
end

function Report:count_read() self.read = self.read + 1 end

function Report:count_written() self.written = self.written + 1 end

-- Prints `message` unless this reason has already printed its share; then only counts.
function Report:message(reason, message)
  local n = (self.messages_by[reason] or 0) + 1
  self.messages_by[reason] = n
  if n <= MAX_MESSAGES then
    self.err:write("copydesk: ", message, "\n")
  elseif n == MAX_MESSAGES + 1 then
    self.err:write("copydesk: further '", reason, "' messages are only counted\n")
  end
end

function Report:count_dropped(reason, message)
  self.dropped = self.dropped + 1
  self.dropped_by[reason] = (self.dropped_by[reason] or 0) + 1
  if message then self:message(reason, message) end
end

function Report:count_failed(reason, message)
  self.failed = self.failed + 1
  self.failed_by[reason] = (self.failed_by[reason] or 0) + 1
  self:message(reason, message)
end

-- Counts n pieces of text removed inside articles, by reason ("caption", ...).
function Report:count_removed(reason, n)
  self.removed_by[reason] = (self.removed_by[reason] or 0) + (n or 1)
end

-- Counts n changes that removed nothing from the text, by reason ("glue", "generator-key").
function Report:count_changed(reason, n)
  self.changed_by[reason] = (self.changed_by[reason] or 0) + (n or 1)
end

-- Counts n values kept but flagged as suspect, by reason ("date-future").
function Report:count_flagged(reason, n)
  self.flagged_by[reason] = (self.flagged_by[reason] or 0) + (n or 1)
end

-- Writes one line of information to stderr, "copydesk: message".
function Report:note(message)
  self.err:write("copydesk: ", message, "\n")
end

local function by_reason(counts)
  local keys, parts = {}, {}
  for k in pairs(counts) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do parts[#parts + 1] = k .. " " .. counts[k] end
  return table.concat(parts, ", ")
end

local function with_reasons(label, n, counts)
  if n == 0 then return label .. " 0" end
  return string.format("%s %d (%s)", label, n, by_reason(counts))
end

-- The one-line summary: "clean: read 3, written 2, dropped 0, failed 1 (front-matter 1)", then
-- what was removed, changed and flagged inside the articles, by reason.
function Report:summary()
  if self.read ~= self.written + self.dropped + self.failed then
    error(string.format("accounting bug: read %d ~= written %d + dropped %d + failed %d",
      self.read, self.written, self.dropped, self.failed))
  end
  local line = string.format("%s: read %d, written %d, %s, %s", self.name, self.read,
    self.written, with_reasons("dropped", self.dropped, self.dropped_by),
    with_reasons("failed", self.failed, self.failed_by))
  if next(self.removed_by) then line = line .. "; removed " .. by_reason(self.removed_by) end
  if next(self.changed_by) then line = line .. "; changed " .. by_reason(self.changed_by) end
  if next(self.flagged_by) then line = line .. "; flagged " .. by_reason(self.flagged_by) end
  return line
end

-- Adds a tally of copydesk.jobs (keys "read", "written", "dropped.REASON", "failed.REASON",
-- "removed.REASON", "changed.REASON", "flagged.REASON"), as its workers counted.
function Report:merge(tally)
  for key, n in pairs(tally) do
    local bucket, reason = key:match("^(%a+)%.(.+)$")
    if bucket == nil then
      self[key] = self[key] + n
    else
      local by = self[bucket .. "_by"]
      by[reason] = (by[reason] or 0) + n
      if bucket == "dropped" or bucket == "failed" then self[bucket] = self[bucket] + n end
    end
  end
end

local function json_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
end

local function json_counts(counts)
  local keys, parts = {}, {}
  for k in pairs(counts) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do parts[#parts + 1] = json_string(k) .. ":" .. counts[k] end
  return "{" .. table.concat(parts, ",") .. "}"
end

-- The summary's numbers as one line of JSON (keys in a fixed order, reasons sorted), for
-- --stats FILE: {"recipe":..,"read":..,"written":..,"dropped":..,"failed":..,"dropped_by":{..},
-- "failed_by":{..},"removed_by":{..},"changed_by":{..},"flagged_by":{..}}.
function Report:stats_json()
  self:summary() -- raises when the numbers do not add up
  return string.format('{"recipe":%s,"read":%d,"written":%d,"dropped":%d,"failed":%d,' ..
    '"dropped_by":%s,"failed_by":%s,"removed_by":%s,"changed_by":%s,"flagged_by":%s}\n',
    json_string(self.name), self.read, self.written, self.dropped, self.failed,
    json_counts(self.dropped_by), json_counts(self.failed_by), json_counts(self.removed_by),
    json_counts(self.changed_by), json_counts(self.flagged_by))
end

-- Writes the summary to stderr and returns the exit status: 1 if anything failed.
function Report:finish()
  self.err:write(self:summary(), "\n")
  return self.failed > 0 and 1 or 0
end

return M
