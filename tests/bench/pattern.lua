-- make bench: copydesk.find, match, gmatch and gsub against Lua's string functions on the same
-- ASCII text in the same run (each row: both times and their ratio, medians of several runs;
-- only ratios compare between runs on these shared machines). The results must be equal too.
local cd = require "copydesk"
package.path = "tests/bench/lib/?.lua;" .. package.path
local bench = require "bench"
local files = require "copydesk.files"

local RUNS = 5
local TARGET = 4 * 1000 * 1000

local function time_cpu(fn) return bench.time_cpu(fn, RUNS) end

-- The fixture articles with every non-ASCII byte dropped (on other text the two libraries
-- rightly disagree), repeated to about TARGET bytes.
local function ascii_text()
  local parts = {}
  for _, e in ipairs(files.expand { "tests/fixtures/articles" }) do
    parts[#parts + 1] = (assert(files.read(e.path)):gsub("[\128-\255]", ""))
  end
  local one = table.concat(parts, "\n")
  return one:rep(TARGET // #one + 1)
end

local text = ascii_text()
local lines = {}
for line in text:gmatch("[^\n]*") do lines[#lines + 1] = line end

-- Each case runs one library's functions over the text and returns something to compare.
local cases = {
  { "gmatch %a+ (count words)", function(lib)
    local n = 0
    for _ in lib.gmatch(text, "%a+") do n = n + 1 end
    return n
  end },
  { "gmatch (%w+)()%f[%W] captures", function(lib)
    local n = 0
    for w, pos in lib.gmatch(text, "(%w+)()%f[%W]") do n = n + #w + pos % 7 end
    return n
  end },
  { "gsub %s+ -> ' '", function(lib) return (lib.gsub(text, "%s+", " ")) end },
  { "gsub %u%l+ with a function", function(lib)
    return (lib.gsub(text, "%u%l+", function(w) return w:upper() end))
  end },
  { "gsub [%p%d] with a table", function(lib)
    return (lib.gsub(text, "[%p%d]", { ["."] = "<.>", ["1"] = "one" }))
  end },
  { "find %d+ loop", function(lib)
    local n, init = 0, 1
    while true do
      local _, last = lib.find(text, "%d+", init)
      if not last then return n end
      n, init = n + 1, last + 1
    end
  end },
  { "find plain 'the ' loop", function(lib)
    local n, init = 0, 1
    while true do
      local _, last = lib.find(text, "the ", init, true)
      if not last then return n end
      n, init = n + 1, last + 1
    end
  end },
  { "match ^%s*(.-)%s*$ per line", function(lib)
    local n = 0
    for _, line in ipairs(lines) do n = n + #lib.match(line, "^%s*(.-)%s*$") end
    return n
  end },
}

print(string.format("ASCII text of %.1f MB, %d lines; median of %d runs; ratio = Lua's time / ours",
  #text / 1e6, #lines, RUNS))
for _, c in ipairs(cases) do
  local name, fn = c[1], c[2]
  local lua_s, lua_r = time_cpu(function() return fn(string) end)
  local cd_s, cd_r = time_cpu(function() return fn(cd) end)
  assert(lua_r == cd_r, name .. ": results differ")
  print(string.format("%-36s Lua %7.1f MB/s  copydesk %7.1f MB/s  %5.2fx", name,
    #text / lua_s / 1e6, #text / cd_s / 1e6, lua_s / cd_s))
end

-- Greek, Cyrillic and accented Latin with ASCII punctuation only: there the byte-wise workaround
-- Lua users write, "[%a\128-\255]+", finds the same words as our "%a+" does by category.
local MIXED = ("Το λιμάνι άνοιξε ξανά μετά από εννέα χρόνια, είπε ο δήμαρχος. "
  .. "Паром совершил первый рейс в воскресенье; на борту было много пассажиров. "
  .. "Le maire a inauguré le nouveau quai à Saint-Malo; la fête a duré jusqu'à l'aube.\n")
local mixed = MIXED:rep(TARGET // #MIXED + 1)
local function count(iter)
  local n = 0
  for _ in iter do n = n + 1 end
  return n
end
local lua_s, lua_n = time_cpu(function() return count(mixed:gmatch("[%a\128-\255]+")) end)
local cd_s, cd_n = time_cpu(function() return count(cd.gmatch(mixed, "%a+")) end)
assert(lua_n == cd_n, "word counts differ")
print(string.format("%-36s Lua %7.1f MB/s  copydesk %7.1f MB/s  %5.2fx",
  "words of mixed scripts", #mixed / lua_s / 1e6, #mixed / cd_s / 1e6, lua_s / cd_s))
