-- copydesk.meta: tidying an article's metadata: strings on one line, dates in ISO 8601 UTC
-- (impossible ones flagged), URLs checked, the site generator's keys dropped.
local cd = require "copydesk"

local M = {}

-- Keys that static-site generators (Jekyll, Hugo, Eleventy, Laravel's Jigsaw) put in front
-- matter for themselves, not for the article: `extends` and `section` are Jigsaw's layout and
-- its content block, the rest name layouts, menus, build switches and URL rewrites.
M.generator_keys = {
  extends = true, section = true, layout = true, permalink = true, template = true,
  weight = true, menu = true, aliases = true, draft = true, sitemap = true, outputs = true,
  cascade = true, _build = true, build = true, pagination = true, eleventyNavigation = true,
  eleventyComputed = true, eleventyExcludeFromCollections = true, eleventyImport = true,
}

-- Keys holding a URL: a value that is not an absolute http(s) URL is dropped.
M.url_keys = {
  image = true, url = true, link = true, canonical = true, canonical_url = true,
  thumbnail = true, og_image = true, image_url = true, source_url = true, cover = true,
  featured_image = true,
}

-- Keys holding a date, besides every key whose name contains "date" (pubDate, date_published).
M.date_keys = {
  published = true, modified = true, updated = true, created = true, lastmod = true,
  published_at = true, updated_at = true, created_at = true, modified_at = true,
  timestamp = true,
}

-- The first web page went online on 1991-08-06: an article dated earlier was dated wrongly
-- (an epoch of 0, a year read as seconds).
M.web_start = 681436800

-- A date later than this many seconds after the run's clock is in the future: a day's slack
-- covers time zones and clocks that are a little off.
M.future_slack = 86400

local function is_date_key(k)
  return M.date_keys[k] or k:find("[Dd][Aa][Tt][Ee]") ~= nil
end

-- A Unix epoch (seconds, possibly with a fraction) as ISO 8601 UTC to the second:
-- 1602509541.0172567 -> "2020-10-12T13:32:21Z". The fraction is dropped (floor): news dates
-- are never more precise than a second, and one format sorts and compares as text.
function M.iso_date(epoch)
  return (cd.parse_date(math.floor(epoch)))
end

-- A string value repaired and put on one line, its white space folded and trimmed (a folded
-- YAML title ends with a newline; a literal one holds several).
local function tidy_string(s)
  -- Most values are short ASCII already on one line: nothing to repair, fold or trim.
  if not s:find("[%c\128-\255]") and not s:find("  ", 1, true) and s:sub(1, 1) ~= " " and
      s:sub(-1) ~= " " then
    return s
  end
  s = cd.normalize_space(cd.fix(s))
  return (s:gsub("\n+", " "):gsub(" $", ""))
end

-- The date in value v as ISO 8601, or nil and why not ("date-unparsed", "date-before-web",
-- "date-future").
function M.check_date(v, now)
  local iso, epoch = cd.parse_date(v)
  if not iso then return nil, "date-unparsed" end
  if epoch < M.web_start then return nil, "date-before-web" end
  if epoch > (now or os.time()) + M.future_slack then return nil, "date-future" end
  return iso
end

local function by_key(a, b) return a.key < b.key end

-- Tidies meta in place and returns it with the list of what it did, each { key =, reason =,
-- value = } (the value as found), in key order:
-- - string values (also inside lists) repaired, trimmed and put on one line;
-- - generator keys removed (reason "generator-key") unless opts.keep_generator_keys;
-- - URL keys whose value is not an absolute http(s) URL removed ("bad-url");
-- - date keys (strings or numbers) written as ISO 8601 UTC; a value that is no date, or an
--   impossible one (before the web, in the future of opts.now or the clock), stays as it was
--   and is flagged: its "KEY: REASON" is added to the list meta.copydesk_flags.
-- Tidies meta[k] (a string key), adding a note to `notes` when it goes or is flagged; `clock`
-- reads the run's time once, when a date needs it.
local function tidy_entry(meta, k, v, opts, notes, clock)
  if type(v) == "string" then
    v = tidy_string(v)
    meta[k] = v
  elseif type(v) == "table" then
    for i, item in ipairs(v) do
      if type(item) == "string" then v[i] = tidy_string(item) end
    end
  end
  if M.generator_keys[k] and not opts.keep_generator_keys then
    meta[k] = nil
    notes[#notes + 1] = { key = k, reason = "generator-key", value = v }
  elseif M.url_keys[k] and type(v) == "string" and not cd.url_valid(v) then
    meta[k] = nil
    notes[#notes + 1] = { key = k, reason = "bad-url", value = v }
  elseif is_date_key(k) and (type(v) == "string" or math.type(v)) then
    local iso, why = M.check_date(v, clock())
    if iso then
      meta[k] = iso
    else
      notes[#notes + 1] = { key = k, reason = why, value = v }
    end
  end
end

function M.tidy(meta, opts)
  opts = opts or {}
  local notes, now = {}, opts.now
  local function clock()
    now = now or os.time()
    return now
  end
  -- Each key is tidied on its own, so the order of the walk does not matter (a key is only ever
  -- changed or removed, which pairs allows); the notes are put in key order at the end.
  for k, v in pairs(meta) do
    if type(k) == "string" then tidy_entry(meta, k, v, opts, notes, clock) end
  end
  if #notes == 0 then return meta, notes end
  table.sort(notes, by_key)
  local flags = {}
  for _, n in ipairs(notes) do
    if n.reason:find("^date%-") then flags[#flags + 1] = n.key .. ": " .. n.reason end
  end
  if #flags > 0 then meta.copydesk_flags = setmetatable(flags, cd.array_mt) end
  return meta, notes
end

-- A title for an article that has none: the body's first line when it is short and reads like
-- a headline (no final full stop, colon, semicolon or comma), else nil.
function M.derive_title(body)
  local first = body:match("^[^\n]+")
  if first and #first <= 120 and not first:find("[.:;,]$") then return first end
  return nil
end

return M
