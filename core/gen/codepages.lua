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
-- `cd_codepages`, the list of them all in CODEPAGES order, and `cd_cp_union`, each non-ASCII code
-- point with its byte in every page. To add a code page, add a row to CODEPAGES and count it in
-- CD_NCODEPAGES (core/fix_internal.h).

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
  out[#out + 1] = string.format("  \"%s\", %d,", page.name, page.index)
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

-- The leads after which a space may stand for an NBSP's 0xA0 (cd_space_lead in core/fix_internal.h reads the same
-- set): C2 A0 NBSP, C3 A0 "à", C5 A0 "Š", CE A0 "Π", D0 A0 "Р", D9 A0 "٠", and E2 A0 .. for
-- the braille blank and its neighbours.
local SPACE_LEADS = { [0xC2] = true, [0xC3] = true, [0xC5] = true, [0xCE] = true, [0xD0] = true,
  [0xD9] = true, [0xE2] = true }

-- Writes NAME_bytes (each code point's byte in each page, 0: none) and NAME (its masks over the
-- pages: lead, continuation, lead before a space standing for 0xA0) for code points first..last,
-- indexed from START (a C expression) up to END.
local function emit_direct(out, bytes, npages, name, start, stop, first, last)
  out[#out + 1] = string.format("const uint8_t %s_bytes[%s - %s][CD_NCODEPAGES] = {", name, stop,
    start)
  for cp = first, last do
    local row = {}
    for k = 1, npages do row[k] = string.format("0x%02X", bytes[cp] and bytes[cp][k] or 0) end
    out[#out + 1] = string.format("  {%s}, /* U+%04X */", table.concat(row, ", "), cp)
  end
  out[#out + 1] = "};"
  out[#out + 1] = ""
  out[#out + 1] = string.format("const cd_cp_masks %s[%s - %s] = {", name, stop, start)
  for cp = first, last do
    local lead, cont, space = 0, 0, 0
    for k = 1, npages do
      local b = bytes[cp] and bytes[cp][k]
      if b then
        local bit = 1 << (k - 1)
        if b >= 0xC2 and b <= 0xF4 then lead = lead | bit
        elseif b >= 0x80 and b <= 0xBF then cont = cont | bit end
        if SPACE_LEADS[b] then space = space | bit end
      end
    end
    out[#out + 1] = string.format("  {0x%03X, 0x%03X, 0x%03X}, /* U+%04X */", lead, cont, space, cp)
  end
  out[#out + 1] = "};"
  out[#out + 1] = ""
end

-- The union of the pages' encoders: every code point from U+0080 that some page encodes, sorted,
-- with its byte in each page (0 where the page lacks it). The first page (Windows-1252) also
-- encodes every code point below U+0100 as its own byte, as Latin-1 and the C1 controls a
-- Latin-1 decoder leaves: cd_cp_encode does the same.
local function emit_union(out, decodes)
  local bytes = {}
  for k, decode in ipairs(decodes) do
    for b = 0x80, 0xFF do
      local cp = decode[b]
      if cp >= 0x80 then
        bytes[cp] = bytes[cp] or {}
        bytes[cp][k] = b
      end
    end
  end
  for cp = 0x80, 0xFF do
    bytes[cp] = bytes[cp] or {}
    bytes[cp][1] = bytes[cp][1] or cp
  end
  local cps = {}
  for cp in pairs(bytes) do
    -- cd_cp_masks_high (core/fix_codepages.c) skips these ranges without a search
    if (cp >= 0x500 and cp < 0x2000) or (cp >= 0x2600 and cp < 0xE000) then
      fail("U+%04X falls in a range cd_cp_masks_high assumes empty: update it", cp)
    end
    cps[#cps + 1] = cp
  end
  table.sort(cps)
  out[#out + 1] = string.format("const cd_cp_bytes cd_cp_union[%d] = {", #cps)
  for _, cp in ipairs(cps) do
    local row = {}
    for k = 1, #decodes do row[k] = string.format("0x%02X", bytes[cp][k] or 0) end
    out[#out + 1] = string.format("  {0x%04X, {%s}},", cp, table.concat(row, ", "))
  end
  out[#out + 1] = "};"
  out[#out + 1] = string.format("const size_t cd_cp_union_len = %d;", #cps)
  out[#out + 1] = ""
  -- The bytes and masks again, indexed directly for U+0080..U+04FF (Latin, Greek, Cyrillic: the
  -- letters text is mostly made of) and for U+2000..U+25FF (punctuation, the euro and trade
  -- mark signs, what mojibake is full of; CP437's box drawing), so that cd_cp_encode and
  -- mojibake's prefilter need no search for them.
  emit_direct(out, bytes, #decodes, "cd_cp_low", "0x80", "CD_CP_LOW_END", 0x80, 0x4FF)
  emit_direct(out, bytes, #decodes, "cd_cp_punct", "CD_CP_PUNCT_START", "CD_CP_PUNCT_END",
    0x2000, 0x25FF)
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
  local body, inputs, decodes = {}, {}, {}
  for k, page in ipairs(CODEPAGES) do
    local decode, version = read_charmap(dir, page.file)
    fill_holes(page, decode)
    inputs[#inputs + 1] = string.format("%s.gz version %s", page.file, version)
    page.index = k - 1
    emit_page(body, page, decode)
    decodes[k] = decode
  end
  local list = {}
  for _, page in ipairs(CODEPAGES) do list[#list + 1] = "  &cd_" .. page.id .. "," end
  body[#body + 1] = string.format("#if CD_NCODEPAGES != %d", #CODEPAGES)
  body[#body + 1] = "#error \"CD_NCODEPAGES in fix_internal.h disagrees with core/gen/codepages.lua\""
  body[#body + 1] = "#endif"
  body[#body + 1] = ""
  body[#body + 1] = string.format("const cd_codepage *const cd_codepages[%d] = {", #CODEPAGES)
  body[#body + 1] = table.concat(list, "\n")
  body[#body + 1] = "};"
  body[#body + 1] = ""
  emit_union(body, decodes)
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
