-- codepages.lua: writes core/fix_tables.c, the single-byte code pages copydesk_fix decodes and
-- encodes, from Debian's charmap files (package `locales`).
--
--   lua5.4 core/gen/codepages.lua OUTDIR      (writes OUTDIR/fix_tables.c; `make tables`)
--
-- Exits 3 when the charmaps (package `locales`) are not installed.
--
-- Each code page becomes one `const cd_codepage cd_<id>` (declared in core/fix_internal.h):
-- byte -> code point for all 256 bytes, and code point -> byte, sorted by code point, for the bytes
-- whose code point differs from the byte (the rest is Latin-1, the identity); then
-- `cd_codepages`, the list of them all in CODEPAGES order. To add a code page, add a row to
-- CODEPAGES.

-- id: the C name (cd_<id>); name: how plans and options call it (ftfy's names); file: the
-- charmap, without .gz; holes: what an undefined byte decodes to. "c1": 0x80..0x9F decode to the
-- C1 control of the same value, as browsers (the WHATWG Encoding Standard) decode Windows-1252's
-- five holes; an undefined byte elsewhere is an error. "latin1": any undefined byte decodes to the
-- code point of the same value, as the "sloppy" decoders of ftfy and many scrapers do.
-- The order is the order in which mojibake repair tries them: the most common confusions first.
local CODEPAGES = {
  { id = "cp1252", name = "windows-1252", file = "CP1252", holes = "c1" },
  { id = "cp1251", name = "windows-1251", file = "CP1251", holes = "latin1" },
  { id = "cp1250", name = "windows-1250", file = "CP1250", holes = "latin1" },
  { id = "cp1253", name = "windows-1253", file = "CP1253", holes = "latin1" },
  { id = "cp1254", name = "windows-1254", file = "CP1254", holes = "latin1" },
  { id = "cp1257", name = "windows-1257", file = "CP1257", holes = "latin1" },
  { id = "iso8859_2", name = "iso-8859-2", file = "ISO-8859-2", holes = "none" },
  { id = "macroman", name = "macroman", file = "MACINTOSH", holes = "none" },
  { id = "cp437", name = "cp437", file = "IBM437", holes = "none" },
}

local function fail(fmt, ...)
  io.stderr:write("codepages.lua: ", string.format(fmt, ...), "\n")
  os.exit(1)
end

-- Reads one charmap: returns decode (byte -> code point, holes left nil) and the version line.
local function read_charmap(dir, file)
  local path = dir .. "/" .. file .. ".gz"
  local f = io.open(path, "rb")
  if not f then fail("cannot open %s", path) end
  f:close()
  local pipe = io.popen("zcat '" .. path:gsub("'", "'\\''") .. "'", "r")
  local decode, version, in_map, lineno = {}, "unknown", false, 0
  for line in pipe:lines() do
    lineno = lineno + 1
    if line == "CHARMAP" then
      in_map = true
    elseif line == "END CHARMAP" then
      in_map = false
    elseif not in_map then
      version = line:match("^%% version: *(%S+)") or version
    elseif line ~= "" and not line:match("^%%") then
      local cp, byte = line:match("^<U(%x+)>%s+/x(%x%x)%s")
      if not cp then fail("%s:%d: unexpected line: %s", path, lineno, line) end
      cp, byte = tonumber(cp, 16), tonumber(byte, 16)
      if decode[byte] then fail("%s:%d: byte 0x%02X mapped twice", path, lineno, byte) end
      if cp > 0xFFFF then fail("%s:%d: U+%X does not fit 16 bits", path, lineno, cp) end
      decode[byte] = cp
    end
  end
  local ok = pipe:close()
  if not ok then fail("zcat %s failed", path) end
  return decode, version
end

local function fill_holes(page, decode)
  for b = 0, 255 do
    if decode[b] == nil then
      if (page.holes == "c1" and b >= 0x80 and b <= 0x9F) or page.holes == "latin1" then
        decode[b] = b
      else
        fail("%s: byte 0x%02X is undefined", page.file, b)
      end
    end
  end
end

local function emit_page(out, page, decode)
  local pairs_ = {}
  for b = 0, 255 do
    if decode[b] ~= b then pairs_[#pairs_ + 1] = { cp = decode[b], byte = b } end
  end
  table.sort(pairs_, function(a, b) return a.cp < b.cp end)
  for i = 2, #pairs_ do
    if pairs_[i].cp == pairs_[i - 1].cp then
      fail("%s: U+%04X has two bytes", page.file, pairs_[i].cp)
    end
  end
  out[#out + 1] = string.format("static const cd_cp_pair %s_encode[%d] = {", page.id, #pairs_)
  for i = 1, #pairs_, 6 do
    local row = {}
    for j = i, math.min(i + 5, #pairs_) do
      row[#row + 1] = string.format("{0x%04X, 0x%02X}", pairs_[j].cp, pairs_[j].byte)
    end
    out[#out + 1] = "  " .. table.concat(row, ", ") .. ","
  end
  out[#out + 1] = "};"
  out[#out + 1] = ""
  out[#out + 1] = string.format("const cd_codepage cd_%s = {", page.id)
  out[#out + 1] = string.format("  \"%s\",", page.name)
  out[#out + 1] = "  {"
  for b = 0, 255, 8 do
    local row = {}
    for j = b, b + 7 do row[#row + 1] = string.format("0x%04X", decode[j]) end
    out[#out + 1] = "    " .. table.concat(row, ", ") .. ","
  end
  out[#out + 1] = "  },"
  out[#out + 1] = string.format("  %s_encode, %d", page.id, #pairs_)
  out[#out + 1] = "};"
  out[#out + 1] = ""
end

local CHARMAPS = "/usr/share/i18n/charmaps"

local function main(outdir)
  if not outdir then
    io.stderr:write("usage: lua5.4 core/gen/codepages.lua OUTDIR\n")
    os.exit(2)
  end
  local dir, target = CHARMAPS, outdir .. "/fix_tables.c"
  local probe = io.open(dir .. "/" .. CODEPAGES[1].file .. ".gz", "rb")
  if not probe then
    io.stderr:write("codepages.lua: ", dir, " not found (package locales)\n")
    os.exit(3)
  end
  probe:close()
  local body, inputs = {}, {}
  for _, page in ipairs(CODEPAGES) do
    local decode, version = read_charmap(dir, page.file)
    fill_holes(page, decode)
    inputs[#inputs + 1] = string.format("%s.gz version %s", page.file, version)
    emit_page(body, page, decode)
  end
  local list = {}
  for _, page in ipairs(CODEPAGES) do list[#list + 1] = "  &cd_" .. page.id .. "," end
  body[#body + 1] = string.format("const cd_codepage *const cd_codepages[%d] = {", #CODEPAGES)
  body[#body + 1] = table.concat(list, "\n")
  body[#body + 1] = "};"
  body[#body + 1] = ""
  local head = {
    string.format("/* fix_tables.c: GENERATED by core/gen/codepages.lua from Debian's charmaps (%s); "
      .. "do not edit. */", table.concat(inputs, ", ")),
    "#include \"fix_internal.h\"",
    "",
  }
  local tmp = target .. ".new"
  local f = io.open(tmp, "wb")
  if not f then fail("cannot write %s", tmp) end
  f:write(table.concat(head, "\n"), "\n", table.concat(body, "\n"))
  if not f:close() then fail("cannot write %s", tmp) end
  local ok, err = os.rename(tmp, target)
  if not ok then fail("cannot rename %s: %s", tmp, err) end
end

main(...)
