-- make bench: segmentation and normalisation against ICU and utf8proc, in one C process
-- (tests/bench/segment_icu.c), on English news prose and on mixed-script text; every figure
-- is a ratio to the baseline of its group, measured in the same run.
local cd = require "copydesk"
local files = require "copydesk.files"

local build = arg[1] or "build"
local TARGET = 8 * 1000 * 1000

-- English: the bodies of the fixture articles and the inputs of the sentence test set.
local function english()
  local parts = {}
  for _, e in ipairs(files.expand { "tests/fixtures/articles" }) do
    local art = cd.parse(cd.fix(assert(files.read(e.path))))
    if art then parts[#parts + 1] = art.body end
  end
  for line in assert(io.lines("tests/fixtures/sentences/english.txt")) do
    local input = line:match("^< (.*)")
    if input then parts[#parts + 1] = input .. "\n" end
  end
  return table.concat(parts, "\n")
end

-- Mixed scripts, our own lines: accented Latin, Greek, Cyrillic, Arabic, Hindi, Chinese,
-- Japanese, Korean, emoji. All NFC already.
local MIXED = table.concat({
  "Le maire a inauguré le nouveau quai à Saint-Malo ; la fête a duré jusqu'à l'aube.",
  "Der Fährhafen öffnet am Montag, sagte Bürgermeisterin Jürgens: „Endlich!“",
  "Το λιμάνι άνοιξε ξανά μετά από εννέα χρόνια, είπε ο δήμαρχος.",
  "Паром совершил первый рейс в воскресенье; на борту было 212 пассажиров.",
  "افتتح الميناء الجديد يوم الأحد بحضور مئات السكان.",
  "नया बंदरगाह रविवार को खुला और सैकड़ों लोग आए।",
  "新码头于周日开放，数百名居民前来观看首航。",
  "新しいフェリーは日曜日に初航海を終え、二百十二人の乗客を運んだ。",
  "새 여객선이 일요일에 첫 운항을 마쳤다.",
  "Crowds cheered 🎉🇬🇧 as the ferry 🚢 docked; 👨‍👩‍👧 families waved.",
}, "\n") .. "\n"

local function write_repeated(text)
  local path = os.tmpname()
  local f = assert(io.open(path, "wb"))
  local n = 0
  while n < TARGET do
    f:write(text)
    n = n + #text
  end
  f:close()
  return path
end

assert(cd.normalize(MIXED) == MIXED, "the mixed corpus must be NFC already")
local en_path, mixed_path = write_repeated(english()), write_repeated(MIXED)
local ok = os.execute(build .. "/bench/segment_icu " .. en_path .. " " .. mixed_path)
os.remove(en_path)
os.remove(mixed_path)
if not ok then error("segment_icu failed") end
