-- segment.lua: writes core/segment_tables.c, the code point properties of segmentation (UAX #29),
-- token kinds, normalisation quick checks and case mapping, from Debian's `unicode-data` files.
--
--   lua5.4 core/gen/segment.lua OUTDIR      (writes OUTDIR/segment_tables.c; `make tables`)
--
-- Exits 3 when /usr/share/unicode (package `unicode-data`) is not installed.
--
-- Every code point gets one 32-bit word of properties (its layout is CD_P_* in
-- core/segment_internal.h). The words are looked up in two stages: cd_seg_stage1[cp >> 7] picks a
-- block of 128 one-byte indexes in cd_seg_stage2, and the index picks the word in cd_seg_props.
-- Identical blocks are stored once, which keeps the tables near 60 KB. cd_seg_ascii repeats the
-- first 128 words so ASCII text needs one load per byte.

local UCD = "/usr/share/unicode"
local outdir = arg[1] or "core"

local function fail(fmt, ...)
  io.stderr:write("segment.lua: ", string.format(fmt, ...), "\n")
  os.exit(1)
end

local INPUTS = {
  "auxiliary/GraphemeBreakProperty.txt", "auxiliary/WordBreakProperty.txt",
  "auxiliary/SentenceBreakProperty.txt", "emoji/emoji-data.txt", "UnicodeData.txt",
  "PropList.txt", "Scripts.txt", "DerivedCoreProperties.txt", "DerivedNormalizationProps.txt",
  "SpecialCasing.txt",
}

for _, name in ipairs(INPUTS) do
  local f = io.open(UCD .. "/" .. name, "r")
  if not f then
    io.stderr:write("segment.lua: ", UCD, "/", name, " missing (package unicode-data)\n")
    os.exit(3)
  end
  f:close()
end

-- The value numbers below must match the CD_GB_*, CD_WB_* and CD_SB_* enums of
-- core/segment_internal.h.
local GB = { Other = 0, CR = 1, LF = 2, Control = 3, Extend = 4, ZWJ = 5, Regional_Indicator = 6,
  Prepend = 7, SpacingMark = 8, L = 9, V = 10, T = 11, LV = 12, LVT = 13 }
local WB = { Other = 0, CR = 1, LF = 2, Newline = 3, Extend = 4, ZWJ = 5, Regional_Indicator = 6,
  Format = 7, Katakana = 8, Hebrew_Letter = 9, ALetter = 10, Single_Quote = 11, Double_Quote = 12,
  MidNumLet = 13, MidLetter = 14, MidNum = 15, Numeric = 16, ExtendNumLet = 17, WSegSpace = 18 }
local SB = { Other = 0, CR = 1, LF = 2, Extend = 3, Sep = 4, Format = 5, Sp = 6, Lower = 7,
  Upper = 8, OLetter = 9, Numeric = 10, ATerm = 11, SContinue = 12, STerm = 13, Close = 14 }

-- Bit positions of the property word (CD_P_* in core/segment_internal.h).
local SHIFT_GB, SHIFT_WB, SHIFT_SB, SHIFT_CLASS = 0, 4, 9, 14
local BIT = { ExtPict = 13, Emoji_Presentation = 17, NFC_QC = 18, NFD_QC = 19, NFKC_QC = 20,
  NFKD_QC = 21, CCC = 22, CWL = 23, CWU = 24, CWCF = 25, Cased = 26, Case_Ignorable = 27 }
-- Token classes (CD_CLASS_*): what a code point contributes to a token's kind.
local CLASS = { none = 0, letter = 1, digit = 2, space = 3, punct = 4, ideo = 5 }

local MAXCP = 0x10FFFF
local props = {}
for cp = 0, MAXCP do props[cp] = 0 end

local function set_bits(first, last, value)
  for cp = first, last do props[cp] = props[cp] | value end
end

-- Reads "XXXX..YYYY ; Value # comment" lines, calling fn(first, last, value, rest).
local function each_range(name, fn)
  local path = UCD .. "/" .. name
  local lineno = 0
  for line in io.lines(path) do
    lineno = lineno + 1
    local data = line:gsub("#.*", "")
    if data:match("%S") then
      local a, b, value, rest = data:match("^(%x+)%.?%.?(%x*)%s*;%s*([^;%s]+)%s*;?%s*(.-)%s*$")
      if not a then fail("%s:%d: unexpected line: %s", path, lineno, line) end
      fn(tonumber(a, 16), b ~= "" and tonumber(b, 16) or tonumber(a, 16), value, rest)
    end
  end
end

local function first_line(name)
  local f = assert(io.open(UCD .. "/" .. name))
  local l = f:read("l")
  f:close()
  return l
end

local function break_property(name, map, shift)
  each_range(name, function(a, b, v)
    local n = map[v]
    if not n then fail("%s: unknown value %s", name, v) end
    set_bits(a, b, n << shift)
  end)
end

break_property("auxiliary/GraphemeBreakProperty.txt", GB, SHIFT_GB)
break_property("auxiliary/WordBreakProperty.txt", WB, SHIFT_WB)
break_property("auxiliary/SentenceBreakProperty.txt", SB, SHIFT_SB)

local function binary_property(name, wanted)
  each_range(name, function(a, b, v)
    if wanted[v] then set_bits(a, b, 1 << wanted[v]) end
  end)
end

binary_property("emoji/emoji-data.txt", { Extended_Pictographic = BIT.ExtPict,
  Emoji_Presentation = BIT.Emoji_Presentation })
binary_property("DerivedCoreProperties.txt", { Changes_When_Lowercased = BIT.CWL,
  Changes_When_Uppercased = BIT.CWU, Changes_When_Casefolded = BIT.CWCF, Cased = BIT.Cased,
  Case_Ignorable = BIT.Case_Ignorable })
-- Quick-check values N and M both mean "not known to be normal here".
binary_property("DerivedNormalizationProps.txt", { NFC_QC = BIT.NFC_QC, NFD_QC = BIT.NFD_QC,
  NFKC_QC = BIT.NFKC_QC, NFKD_QC = BIT.NFKD_QC })

-- Token classes, from the general category, then White_Space, Ideographic and Hiragana on top.
local class = {}
local function category_class(gc)
  local major = gc:sub(1, 1)
  if major == "L" then return CLASS.letter end
  if major == "N" then return CLASS.digit end
  if major == "P" or major == "S" then return CLASS.punct end
  return CLASS.none
end

do
  local path = UCD .. "/UnicodeData.txt"
  local range_first
  for line in io.lines(path) do
    local code, name, gc, ccc = line:match("^(%x+);([^;]*);(%a%a);(%d+);")
    if not code then fail("%s: unexpected line: %s", path, line) end
    local cp = tonumber(code, 16)
    local bits = category_class(gc)
    local first = cp
    if name:match(", First>$") then
      range_first = cp
    else
      if name:match(", Last>$") then first = range_first end
      for c = first, cp do
        class[c] = bits
        if tonumber(ccc) ~= 0 then props[c] = props[c] | (1 << BIT.CCC) end
      end
    end
  end
end
each_range("PropList.txt", function(a, b, v)
  if v == "White_Space" then for c = a, b do class[c] = CLASS.space end end
end)
each_range("PropList.txt", function(a, b, v)
  if v == "Ideographic" then for c = a, b do class[c] = CLASS.ideo end end
end)
each_range("Scripts.txt", function(a, b, v)
  if v == "Hiragana" then for c = a, b do class[c] = CLASS.ideo end end
end)
for cp = 0, MAXCP do props[cp] = props[cp] | ((class[cp] or 0) << SHIFT_CLASS) end

-- Two-stage table.
local BLOCK = 128
local words, word_index = {}, {}
local blocks, block_index, stage1 = {}, {}, {}
for blk = 0, (MAXCP + 1) // BLOCK - 1 do
  local idx = {}
  for i = 0, BLOCK - 1 do
    local w = props[blk * BLOCK + i]
    if not word_index[w] then
      words[#words + 1] = w
      word_index[w] = #words - 1
    end
    idx[i + 1] = word_index[w]
  end
  local key = table.concat(idx, ",")
  if not block_index[key] then
    blocks[#blocks + 1] = idx
    block_index[key] = #blocks - 1
  end
  stage1[blk + 1] = block_index[key]
end
if #words > 256 then fail("%d distinct property words do not fit one byte", #words) end

-- Full case mappings that differ from the simple ones (SpecialCasing.txt, unconditional only:
-- ß -> SS, ŉ -> ʼN, ligatures). Conditional ones (final sigma, Lithuanian, Turkish) are not here.
local special = {}
do
  local path = UCD .. "/SpecialCasing.txt"
  for line in io.lines(path) do
    local data = line:gsub("#.*", "")
    if data:match("%S") then
      local f = {}
      for field in (data .. ";"):gmatch("([^;]*);") do f[#f + 1] = field:match("^%s*(.-)%s*$") end
      if f[5] == "" then
        local function cps(s)
          local t = {}
          for h in s:gmatch("%x+") do t[#t + 1] = tonumber(h, 16) end
          return t
        end
        special[#special + 1] = { cp = tonumber(f[1], 16), lower = cps(f[2]), upper = cps(f[4]) }
      end
    end
  end
  table.sort(special, function(a, b) return a.cp < b.cp end)
end

local version = first_line("auxiliary/WordBreakProperty.txt"):match("(%d+%.%d+%.%d+)")
if not version then fail("no version in WordBreakProperty.txt") end

local out = {}
local function emit(s) out[#out + 1] = s end
local function emit_list(values, fmt, per_line)
  local line = {}
  for i, v in ipairs(values) do
    line[#line + 1] = string.format(fmt, v) .. ","
    if #line == per_line or i == #values then
      emit("  " .. table.concat(line, " "))
      line = {}
    end
  end
end

emit(string.format("/* segment_tables.c: GENERATED by core/gen/segment.lua from Debian's unicode-data " ..
  "(Grapheme/Word/SentenceBreakProperty, emoji-data, UnicodeData, PropList, Scripts, " ..
  "DerivedCoreProperties, DerivedNormalizationProps, SpecialCasing) version %s; do not edit. */",
  version))
emit('#include "segment_internal.h"')
emit("")
emit(string.format('const char cd_seg_unicode_version[] = "%s";', version))
emit("")
emit(string.format("const uint32_t cd_seg_props[%d] = {", #words))
emit_list(words, "0x%08X", 8)
emit("};")
emit("")
emit(string.format("const uint16_t cd_seg_stage1[%d] = {", #stage1))
emit_list(stage1, "%d", 16)
emit("};")
emit("")
local flat = {}
for _, b in ipairs(blocks) do for _, v in ipairs(b) do flat[#flat + 1] = v end end
emit(string.format("const uint8_t cd_seg_stage2[%d] = {", #flat))
emit_list(flat, "%d", 24)
emit("};")
emit("")
local ascii = {}
for cp = 0, 127 do ascii[cp + 1] = props[cp] end
emit("const uint32_t cd_seg_ascii[128] = {")
emit_list(ascii, "0x%08X", 8)
emit("};")
emit("")
emit(string.format("const cd_special_case cd_special_cases[%d] = {", #special))
for _, s in ipairs(special) do
  local function arr(t)
    local p = {}
    for i = 1, 3 do p[i] = string.format("0x%04X", t[i] or 0) end
    return "{" .. table.concat(p, ", ") .. "}"
  end
  emit(string.format("  {0x%04X, %d, %s, %d, %s},", s.cp, #s.lower, arr(s.lower), #s.upper,
    arr(s.upper)))
end
emit("};")
emit(string.format("const size_t cd_special_cases_n = %d;", #special))

local path = outdir .. "/segment_tables.c"
local tmp = path .. ".new"
local f = io.open(tmp, "wb")
if not f then fail("cannot write %s", tmp) end
f:write(table.concat(out, "\n"), "\n")
f:close()
assert(os.rename(tmp, path))
