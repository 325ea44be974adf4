-- fix_damage.lua: clean multilingual lines and the ways mojibake damages them, for the repair's
-- quality spec (tests/lua/fix_spec.lua) and bench (tests/bench/fix.lua).
--
-- The clean lines come from tests/fixtures/fix/clean-multilingual.txt and from Debian's fortune
-- packages when installed (fortunes-de, -es, -it, -br, -cs, -pl, -ru, -bg, -zh); code pages from
-- Debian's charmaps (package locales). Both are read here, not built into the library: the test
-- damages text independently of the code that repairs it.
local M = {}

M.FIXTURE = "tests/fixtures/fix/clean-multilingual.txt"
M.FORTUNES = "/usr/share/games/fortunes/"
-- Package, files (relative to M.FORTUNES); each file gives at most PER_FILE lines.
M.SOURCES = {
  { "fortunes-de", { "de/zitate", "de/sprichworte", "de/wusstensie" } },
  { "fortunes-es", { "es/refranes.fortunes", "es/proverbios.fortunes", "es/vida.fortunes" } },
  { "fortunes-it", { "italia" } },
  { "fortunes-br", { "brasil" } },
  { "fortunes-cs", { "cs/citat", "cs/klasik-sk" } },
  { "fortunes-pl", { "pl/sapkowski", "pl/seneka", "pl/dzieci" } },
  { "fortunes-ru", { "ru/2001.03", "ru/2002.06" } },
  { "fortunes-bg", { "bg/bgproverb", "bg/history" } },
  { "fortunes-zh", { "tang300.u8", "chinese.u8" } },
}
local PER_FILE = 250

-- A few fortune lines are mojibake already ("FranÃ§ois", "CarrÃ mba"): "Ã" before a space or
-- a character of U+0080..U+00BF. The fixture's own lines are all clean ("SÃO PAULO").
local function damaged_already(line) return line:find("\195\131[ \194]") ~= nil end

local function read_lines(path, limit, out, fixture)
  local f = io.open(path, "rb")
  if not f then return false end
  local n = 0
  for line in f:lines() do
    line = line:gsub("^%s+", ""):gsub("%s+$", "")
    -- lines with something to damage, valid UTF-8, no controls, of a sentence's length
    if n < limit and line:find("[\128-\255]") and utf8.len(line) and not line:find("%c")
        and #line >= 12 and #line <= 240 and (fixture or not damaged_already(line)) then
      out[#out + 1] = line
      n = n + 1
    end
  end
  f:close()
  return true
end

-- Returns the clean lines and the list of fortune packages found missing.
function M.clean_lines()
  local lines, missing = {}, {}
  assert(read_lines(M.FIXTURE, math.huge, lines, true), "cannot read " .. M.FIXTURE)
  for _, src in ipairs(M.SOURCES) do
    local found = false
    for _, file in ipairs(src[2]) do
      if read_lines(M.FORTUNES .. file, PER_FILE, lines) then found = true end
    end
    if not found then missing[#missing + 1] = src[1] end
  end
  return lines, missing
end

local CHARMAPS = "/usr/share/i18n/charmaps/"

-- byte -> UTF-8 string of charmap `file`; undefined bytes read as the code point of the same
-- value (the "sloppy" decoders scrapers use; for Windows-1252 that is also what browsers do).
local pages = {}
function M.page(file)
  if pages[file] then return pages[file] end
  local path = CHARMAPS .. file .. ".gz"
  local probe = io.open(path, "rb")
  if not probe then return nil end
  probe:close()
  local map = {}
  local pipe = assert(io.popen("zcat " .. path))
  for line in pipe:lines() do
    local cp, byte = line:match("^<U(%x+)>%s+/x(%x%x)")
    if cp then map[tonumber(byte, 16)] = utf8.char(tonumber(cp, 16)) end
  end
  pipe:close()
  for b = 0, 255 do map[b] = map[b] or utf8.char(b) end
  pages[file] = map
  return map
end

-- The text s (UTF-8) read byte by byte in code page `map`.
function M.misread(s, map)
  return (s:gsub("[\128-\255]", function(c) return map[c:byte()] end))
end

-- The damage kinds: name and function(line) -> damaged line, or nil where the kind does not
-- apply. Needs the charmaps; returns nil without them.
function M.kinds()
  local cp1252, latin1 = M.page("CP1252"), M.page("ISO-8859-1")
  if not cp1252 or not latin1 then return nil end
  local function whole(file)
    local map = assert(M.page(file), file)
    return function(line) return M.misread(line, map) end
  end
  local function one_word(line)
    -- the first word holding a non-ASCII letter, damaged alone, inside clean text
    local first, last = line:find("[^%s]*[\128-\255][^%s]*")
    if not first or (first == 1 and last == #line) then return nil end
    return line:sub(1, first - 1) .. M.misread(line:sub(first, last), cp1252) .. line:sub(last + 1)
  end
  local function nbsp_folded(line)
    local damaged = M.misread(line, cp1252)
    local folded = damaged:gsub("\194\160", " ")
    if folded == damaged then return nil end
    return folded
  end
  return {
    { "windows-1252", whole("CP1252") },
    { "latin-1", whole("ISO-8859-1") },
    { "windows-1252 twice", function(line) return M.misread(M.misread(line, cp1252), cp1252) end },
    { "windows-1251", whole("CP1251") },
    { "windows-1250", whole("CP1250") },
    { "windows-1253", whole("CP1253") },
    { "windows-1254", whole("CP1254") },
    { "windows-1257", whole("CP1257") },
    { "iso-8859-2", whole("ISO-8859-2") },
    { "macroman", whole("MACINTOSH") },
    { "cp437", whole("IBM437") },
    { "one word, windows-1252", one_word },
    { "windows-1252, NBSP as space", nbsp_folded },
  }
end

-- Runs fix over the clean lines and each damage kind. Returns rows
-- { kind, lines, restored, percent } plus the clean row { "clean", lines, changed, percent }
-- and the list of (at most `keep` per kind) failures { kind, clean, damaged, got }.
function M.measure(fix, lines, kinds, keep)
  local rows, failures = {}, {}
  local changed = 0
  for _, line in ipairs(lines) do
    local got = fix(line)
    if got ~= line then
      changed = changed + 1
      if #failures < keep then failures[#failures + 1] = { "clean", line, line, got } end
    end
  end
  rows[1] = { "clean (changed)", #lines, changed, 100 * changed / #lines }
  for _, kind in ipairs(kinds) do
    local n, ok, shown = 0, 0, 0
    for _, line in ipairs(lines) do
      local damaged = kind[2](line)
      if damaged and damaged ~= line then
        n = n + 1
        local got = fix(damaged)
        if got == line then ok = ok + 1
        elseif shown < keep then
          shown = shown + 1
          failures[#failures + 1] = { kind[1], line, damaged, got }
        end
      end
    end
    rows[#rows + 1] = { kind[1], n, ok, n > 0 and 100 * ok / n or 0 }
  end
  return rows, failures
end

return M
