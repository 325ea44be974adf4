-- copydesk.meta: tidying an article's metadata: trimmed strings, ISO 8601 dates.
local cd = require "copydesk"

local M = {}

-- A Unix epoch (seconds, possibly with a fraction) as ISO 8601 UTC to the second:
-- 1602509541.0172567 -> "2020-10-12T13:32:21Z". The fraction is dropped (floor): news dates
-- are never more precise than a second, and one format sorts and compares as text.
function M.iso_date(epoch)
  return os.date("!%Y-%m-%dT%H:%M:%SZ", math.floor(epoch))
end

-- Epochs between 1990 and 2100; other numbers are left alone (years, counts).
local function looks_like_epoch(v)
  return math.type(v) ~= nil and v >= 631152000 and v < 4102444800
end

-- A string value repaired and put on one line, its white space folded and trimmed (a folded
-- YAML title ends with a newline; a literal one holds several).
local function tidy_string(s)
  s = cd.normalize_space(cd.fix(s))
  return (s:gsub("\n+", " "):gsub(" $", ""))
end

-- Tidies meta in place: string values (also inside lists) repaired and trimmed; `date` fields
-- holding an epoch (number or numeric string) turned into ISO 8601 UTC. Returns meta.
function M.tidy(meta)
  for k, v in pairs(meta) do
    if type(v) == "string" then
      meta[k] = tidy_string(v)
    elseif type(v) == "table" then
      for i, item in ipairs(v) do
        if type(item) == "string" then v[i] = tidy_string(item) end
      end
    end
  end
  for _, key in ipairs { "date", "published", "modified", "updated" } do
    local v = meta[key]
    if type(v) == "string" then v = tonumber(v) or v end
    if looks_like_epoch(v) then meta[key] = M.iso_date(v) end
  end
  return meta
end

return M
