-- make bench: copydesk.fix's speed and quality. Speed: tests/bench/fix_nfc.c times the repair
-- line by line against reading the input and against utf8proc's own NFC, on clean English, clean
-- multilingual text and a corpus with about 5% damaged lines (ratios of one run are what
-- compare). Quality: clean multilingual lines and the same lines damaged each way, restored %
-- and changed-clean % per kind (tests/lua/fix_damage.lua; the spec holds the floors).
package.path = "tests/lua/?.lua;" .. package.path
local cd = require "copydesk"
local files = require "copydesk.files"
local damage = require "fix_damage"

local build = arg[1] or "build"
local TARGET = 10 * 1000 * 1000
local DAMAGED_EVERY = 20 -- one line in 20 damaged: 5%

-- English: the bodies of the fixture articles, and the shared sample articles when present.
local function english_lines()
  local inputs, lines = { "tests/fixtures/articles" }, {}
  if cd.path_type("../shared/seeds") == "folder" then inputs[2] = "../shared/seeds" end
  for _, e in ipairs(files.expand(inputs)) do
    local art = e.rel ~= "README.md" and cd.parse(cd.fix(assert(files.read(e.path))))
    if art then
      for line in art.body:gmatch("[^\n]+") do lines[#lines + 1] = line end
    end
  end
  return lines
end

-- Writes lines, repeated, into a temporary file of about TARGET bytes; `each` may rewrite the
-- i-th line written.
local function write_corpus(lines, each)
  local path = os.tmpname()
  local f = assert(io.open(path, "wb"))
  local n, i = 0, 0
  while n < TARGET do
    for _, line in ipairs(lines) do
      i = i + 1
      local out = each and each(line, i) or line
      f:write(out, "\n")
      n = n + #out + 1
    end
  end
  f:close()
  return path
end

local multilingual, missing = damage.clean_lines()
local kinds = damage.kinds()
local mixed = {}
for _, l in ipairs(english_lines()) do mixed[#mixed + 1] = l end
for _, l in ipairs(multilingual) do mixed[#mixed + 1] = l end

local paths = {
  { "english", write_corpus(english_lines()) },
  { "multilingual", write_corpus(multilingual) },
}
if kinds then
  -- one line in DAMAGED_EVERY damaged, the kinds in turn: only lines with non-ASCII text can be,
  -- so those are damaged as often as needed to reach the share
  local nonascii = 0
  for _, l in ipairs(mixed) do if l:find("[\128-\255]") then nonascii = nonascii + 1 end end
  local every = math.max(1, math.floor(nonascii / #mixed * DAMAGED_EVERY + 0.5))
  local turn, seen = 0, 0
  paths[3] = { "5%-damaged", write_corpus(mixed, function(line)
    if not line:find("[\128-\255]") then return nil end
    seen = seen + 1
    if seen % every ~= 0 then return nil end
    turn = turn % #kinds + 1
    return kinds[turn][2](line)
  end) }
end

local args = {}
for i, p in ipairs(paths) do args[i] = p[1] .. "=" .. p[2] end
print(string.format("speed: line by line, median of 7 runs; corpora of %.0f MB each", TARGET / 1e6))
local ok = os.execute(build .. "/bench/fix_nfc " .. table.concat(args, " "))
for _, p in ipairs(paths) do os.remove(p[2]) end
if not ok then error("fix_nfc failed") end

if not kinds then
  print("quality: Debian's charmaps (package locales) missing: skipped")
  return
end
if #missing > 0 then print("quality: fortune packages missing: " .. table.concat(missing, " ")) end
for _, preset in ipairs { "default", "ftfy" } do
  local lines = multilingual
  if preset == "ftfy" then -- ftfy's cosmetic folds change clean lines by design: compare after
    lines = {}
    for i, l in ipairs(multilingual) do
      lines[i] = cd.fix(l, { preset = "ftfy", mojibake = false })
    end
  end
  local rows = damage.measure(function(s) return (cd.fix(s, { preset = preset })) end, lines,
    kinds, 0)
  local n, ok_total = 0, 0
  print(string.format("quality, preset %s: %d clean lines (fixture and fortunes)", preset, #lines))
  for i, r in ipairs(rows) do
    print(string.format("  %-30s %6d lines  %7.2f%% %s", r[1], r[2], r[4],
      i == 1 and "changed" or "restored"))
    if i > 1 then n, ok_total = n + r[2], ok_total + r[3] end
  end
  print(string.format("  %-30s %6d lines  %7.2f%% restored", "all damage kinds", n,
    100 * ok_total / n))
end
