describe("Unicode patterns", function()
  local cd = require "copydesk"

  -- A value as text, so outcomes compare as strings: "s:'text'", "n:3", "nil", "true".
  local function show(v)
    if type(v) == "string" then return ("%q"):format(v) end
    return tostring(v)
  end

  -- What calling f(...) gives: its results, or the error message, as one line of text.
  local function outcome(f, ...)
    local r = table.pack(pcall(f, ...))
    local parts = {}
    for i = 1, r.n do parts[i] = show(r[i]) end
    return table.concat(parts, " ")
  end

  -- Every step of a gmatch iteration, stopping at 200 steps (an iteration that never ends is a
  -- failure too: it would show as 200 steps where Lua has fewer).
  local function steps(gmatch, s, p, init)
    local it, out = gmatch(s, p, init), {}
    for _ = 1, 200 do
      local r = table.pack(it())
      local parts = {}
      for i = 1, r.n do parts[i] = show(r[i]) end
      out[#out + 1] = table.concat(parts, ",")
      if r[1] == nil then break end
    end
    return table.concat(out, " ; ")
  end

  -- The gsub replacements tried with every pattern: strings with every kind of %, a function
  -- (seeing all captures, keeping some matches by returning false), a table.
  local function repl_fn(...)
    local n = select("#", ...)
    if ... == "a" then return false end
    local parts = {}
    for i = 1, n do parts[i] = tostring((select(i, ...))) end
    return "<" .. n .. ":" .. table.concat(parts, ",") .. ">"
  end
  local REPLS = { "[%0]", "%1-%1", "%2", "%%", "x%", "%x", "", repl_fn,
                  { a = "A", b = false, ["1"] = "one", ab = 7 } }

  -- Compares every function of ours with Lua's on (s, p): find and match at several inits and
  -- plain, gmatch, gsub with each replacement and with a limit. Adds a line per difference.
  local function compare(s, p, diffs)
    local function same(what, mine, lua)
      if mine ~= lua then
        diffs[#diffs + 1] = ("%s(%q, %q): ours %s, Lua %s"):format(what, s, p, mine, lua)
      end
    end
    for _, init in ipairs { false, 2, 4, -1, -3, 0, #s, #s + 1, #s + 2, -100 } do
      local i = init or nil
      same("find@" .. tostring(init), outcome(cd.find, s, p, i), outcome(string.find, s, p, i))
      same("match@" .. tostring(init), outcome(cd.match, s, p, i), outcome(string.match, s, p, i))
    end
    for _, init in ipairs { false, 3, -2, #s + 1 } do
      local i = init or nil
      same("gmatch@" .. tostring(init), outcome(steps, cd.gmatch, s, p, i),
           outcome(steps, string.gmatch, s, p, i))
    end
    same("find plain", outcome(cd.find, s, p, 1, true), outcome(string.find, s, p, 1, true))
    same("find plain@3", outcome(cd.find, s, p, 3, true), outcome(string.find, s, p, 3, true))
    for k, r in ipairs(REPLS) do
      same("gsub#" .. k, outcome(cd.gsub, s, p, r), outcome(string.gsub, s, p, r))
    end
    same("gsub n=2", outcome(cd.gsub, s, p, "<%0>", 2), outcome(string.gsub, s, p, "<%0>", 2))
    same("gsub n=0", outcome(cd.gsub, s, p, "<%0>", 0), outcome(string.gsub, s, p, "<%0>", 0))
  end

  -- Patterns written to cover every feature of Lua's syntax, malformed ones included.
  local PATTERNS = {
    "", "a", "ab", "abc", "b", "x", ".", "..", "a.c", "%.", "%%", "%a", "%A", "%c", "%C", "%d",
    "%D", "%g", "%G", "%l", "%L", "%p", "%P", "%s", "%S", "%u", "%U", "%w", "%W", "%x", "%X",
    "%z", "%q", "%_", "%(", "%)", "%[", "%]", "%-", "%+", "%*", "%?", "%^", "%$",
    "a*", "a+", "a-", "a?", ".*", ".+", ".-", ".?", "%a*", "%a+", "%a-", "%a?", "%d+", "%s*",
    "%w+", "%p+", "[%w_]+", "a*b", "a-b", "a?b", "ba*", "ba-", "ba?", "a*a", "a+a", "a-a",
    ".-b", ".*b", ".-$", "(.-)$", "%s*(.-)%s*$", "^%s*(.-)%s*$", "x*", "x-", "x?", "",
    "^", "^a", "^b", "^.", "^$", "$", "a$", "^a$", "^a*$", "a$b", "$a", "^^", "a^", "%^a",
    "[abc]", "[^abc]", "[a-c]", "[^a-c]", "[a-]", "[-a]", "[a-c-e]", "[]]", "[^]]", "[]a]",
    "[%]]", "[%a%d]", "[^%a%d]", "[%s%p]", "[.]", "[%.]", "[a%-z]", "[%w-]", "[z-a]",
    "[%a-z]", "[^%s]+", "[%^a]", "[a^]", "[^^]", "[[]", "[(]", "[)]", "[%%]", "[a-c]+",
    "[^a-c]*", "[ab]-c", "[]-a]", "[a-%d]", "[%d-z]",
    "()", "()a", "a()", "(a)", "(a)(b)", "(a*)", "(a+)", "(a-)", "(a?)", "((a)(b))", "(a(b)c)",
    "()a()", "(()a)", "(.)(.)", "(.)%1", "(.)(.)%2%1", "(a*)%1", "(%a+) %1", "(%d)%1",
    "%1", "(%1)", "(a)%2", "(a%1)", "()%1", "(.)%0", "%0", "(.-)%1", "((.)%2)",
    "(a", "a)", ")", "(", "(()", "())", "a(b", "((a)", "(a))", "(.*", ".*)",
    "%b()", "%b[]", "%bab", "%baa", "%b", "%ba", "%b(", "%b()+", "(%b())", "a%b()b", "%b)(",
    "%f[%a]", "%f[%A]", "%f[%a]%a+", "%f[%w]%w+%f[%W]", "%f[^%s]", "%f[%z]", "%f[%s]", "%f",
    "%fa", "%f[a", "%f[]", "%f[%a]$", "^%f[%a]", "%f[a-c]", "%f[%a]x", "%f[%d]%d+",
    "%", "a%", "[a", "[^a", "[", "[^", "[%", "[a%", "[a%]", "%[a", "a[", "[]", "[^]", "[%a",
    "(%d+)-(%d+)", "(%w+)=(%w+)", "(%w+)%s*=%s*(%w+)", "%((.-)%)", "%[(.-)%]", "\"(.-)\"",
    "'(.-)'", "<(.-)>", "(%a+)(%d+)", "(%a)(%a)(%a)", "%d%d?%d?", "%x+", "%u%l*", "%l+%u",
    "[%z\1-\31]", "\0", "%z", "[\0]", "[^\0]", "a\0b", "\0*", "[\0-\31]", "%c+", "[\127]",
    "a.-b.-c", "a.*b.*c", "(a+)(a+)", "(a-)(a+)", "(a*)(a*)", "^(a-)a", "(.-)(%d)", "(.*)(%d)",
    "%a+%d+", "%s+$", "^%s+", "[%p%s]+", ".-%p", "[+-]?%d+", "[+-]?%d+%.?%d*", "%-?%d+",
    "a*?", "a+?", "a-?", "a**", "a++", "*a", "+a", "-a", "?a", "*", "+", "-", "?", "a?*",
    ("a?"):rep(199), ("a?"):rep(201), ("a?"):rep(300), ("(a)"):rep(32), ("(a)"):rep(33),
    ("()"):rep(32), ("()"):rep(33), ("%a"):rep(20), ("(.)"):rep(10),
    ("a-"):rep(250), ("a"):rep(30),
  }

  -- Random patterns from the same pieces, glued at random: they find combinations nobody
  -- thought of, malformed ones included.
  local ITEMS = { "a", "b", "c", "x", "0", "1", " ", ".", ",", "%a", "%d", "%s", "%p", "%w",
                  "%W", "%S", "%l", "%u", "%c", "%x", "%g", "%%", "%.", "[abc]", "[^a]",
                  "[a-c]", "[%d.]", "[]]", "[%s,]", "%b()", "%f[%a]", "%f[%W]", "%1", "%2",
                  "(", ")", "()", "^", "$", "%", "[", "-" }
  local QUANTS = { "", "", "", "*", "+", "-", "?" }
  local function random_pattern(rnd)
    local parts = {}
    for i = 1, rnd(1, 6) do
      local item = ITEMS[rnd(#ITEMS)]
      parts[i] = item .. (#item == 1 and item ~= "(" and item ~= ")" and QUANTS[rnd(#QUANTS)] or "")
    end
    return table.concat(parts)
  end

  local ALPHABET = "aabbcxyzABXZ0129 \t\n.,;:!?()[]{}%-+*^$_=\"'<>~`|@#&/\\\0\1\127"
  local function random_subject(rnd)
    local t = {}
    for i = 1, rnd(0, 24) do
      local k = rnd(#ALPHABET)
      t[i] = ALPHABET:sub(k, k)
    end
    return table.concat(t)
  end

  local FIXED = { "", "a", "aaa", "ab", "abc", "aaab", "hello world", "  trim me  ", "x = 1",
                  "key=value; other = 2", "(a(b)c)", "((a)", "[x]", "f(a)(b)", "THE end.",
                  "a1b22c333", "a\0b", "\0", "12-34", "\"quoted\" and 'single'", "<a><b>",
                  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", ("a"):rep(300) }

  it("agrees with Lua's string library on ASCII, errors included", function()
    local seed = tonumber(os.getenv("PATTERN_SEED")) or os.time()
    math.randomseed(seed)
    local rnd = math.random
    local patterns = {}
    for _, p in ipairs(PATTERNS) do patterns[#patterns + 1] = p end
    for _ = 1, 300 do patterns[#patterns + 1] = random_pattern(rnd) end
    local subjects = {}
    for _, s in ipairs(FIXED) do subjects[#subjects + 1] = s end
    for _ = 1, 20 do subjects[#subjects + 1] = random_subject(rnd) end
    local diffs = {}
    for _, p in ipairs(patterns) do
      for _, s in ipairs(subjects) do compare(s, p, diffs) end
    end
    assert(#patterns > 550, "the pattern table shrank")
    if #diffs > 0 then
      error(("%d differences (seed %d), first: %s"):format(#diffs, seed,
        table.concat(diffs, "\n", 1, math.min(#diffs, 10))))
    end
  end)

  it("raises on bad arguments as string.find and friends do", function()
    for _, call in ipairs {
      { "find", nil, "a" }, { "find", "a", nil }, { "match", "a", {} }, { "gmatch", 1 },
      { "gsub", "a", "a" }, { "gsub", "a", "a", true }, { "gsub", "a", "a", "b", "x" },
      { "find", "a", "a", "x" }, { "gmatch", "a", "a", {} },
    } do
      -- called through pcall, each is named by its module: 'string.find', 'copydesk.find'
      local name = call[1]
      local lua = outcome(string[name], table.unpack(call, 2, 5)):gsub("'string%.", "'")
      local ours = outcome(cd[name], table.unpack(call, 2, 5)):gsub("'copydesk%.", "'")
      assert.equals(lua, ours)
    end
    -- numbers are strings here too, as in Lua
    assert.same({ cd.find(12345, 34) }, { 3, 4 })
    assert.same({ cd.gsub(1.5, "%.", ",") }, { "1,5", 1 })
  end)

  -- Results reasoned out by hand: two-byte letters count as one character, positions are bytes.
  describe("on accented, Greek and Cyrillic text", function()
    local function all(iter)
      local t = {}
      for a, b in iter do t[#t + 1] = b and { a, b } or a end
      return t
    end

    it("reads letters, cases and digits by Unicode category", function()
      assert.equals("Привет", cd.match("Привет, мир!", "%a+"))
      assert.same({ "Ελληνικά", "και", "русский", "ąę" },
                  all(cd.gmatch("Ελληνικά και русский ąę", "%a+")))
      assert.same({ "Ε·······", 7 }, { cd.gsub("Ελληνικά", "%l", "·") })
      assert.same({ "М", "осква" }, { cd.match("Москва 2024", "(%u)(%l+)") })
      assert.equals("ǅ", cd.match("ǅemal", "%u"))           -- U+01C5 is titlecase (Lt)
      assert.equals("e\u{301}té", cd.match("e\u{301}té!", "%a+")) -- a combining acute stays
      assert.equals("٣٤", cd.match("٣٤ dollars", "%d+"))    -- Arabic-Indic digits are Nd
      assert.equals("０１", cd.match("x０１ff", "%d+"))        -- so are fullwidth ones, but
      assert.equals("ff", cd.match("x０１ff", "%x+"))         -- %x stays ASCII
      assert.equals("Ж1", cd.match("--Ж1--", "%w+"))
    end)

    it("reads punctuation and symbols, white space and controls", function()
      assert.same({ "Да  сказал он", 5 }, { cd.gsub("«Да!» — сказал он…", "%p", "") })
      assert.same({ 4, 6 }, { cd.find("100€", "%p") })     -- a currency symbol (Sc), 3 bytes
      assert.same({ "a_b_c_d", 3 }, { cd.gsub("a\u{A0}b\u{2009}c\u{3000}d", "%s", "_") })
      assert.same({ "a\u{2028}b", 0 }, { cd.gsub("a\u{2028}b", "%S%S", "") })
      assert.same({ "ab\u{200D}c", 1 }, { cd.gsub("a\u{85}b\u{200D}c", "%c", "") })
      assert.same({ "·é·", 2 }, { cd.gsub("\u{A0}é\u{85}", "%G", "·") })
    end)

    it("takes . and set members as whole characters", function()
      assert.same({ 4, 5 }, { cd.find("café crème", "é") })
      assert.same({ 3, 5 }, { cd.find("café", "f.") })      -- string.find says 3, 4
      assert.equals("ï", cd.match("naïve", "[à-ÿ]"))
      assert.same({ "* * *", 3 }, { cd.gsub("Ёлка и ёж", "[ЁёА-я]+", "*") })
      assert.equals("-ы", cd.match("x-ы", "[а-я-]+"))
      assert.same({ "ж-у-к-", 3 }, { cd.gsub("жук", ".", "%0-") })
      assert.same({ "-т-е-с-т-", 5 }, { cd.gsub("тест", "", "-") })
      assert.equals(4, select(2, cd.gsub("Ёлка", ".", "")))
      assert.same({ "eéé", 1 }, { cd.gsub("ééé", "^é", "e") })
    end)

    it("balances, borders and back-references characters", function()
      assert.equals("«да»", cd.match("Он сказал «да» и ушёл", "%b«»"))
      assert.equals("„a „b“ c“", cd.match("„a „b“ c“ d", "%b„“"))
      assert.same({ "|αβγ |δεζ", 2 }, { cd.gsub("αβγ δεζ", "%f[%a]", "|") })
      assert.same({ 1, 6 }, { cd.find("Кот", "%f[%a]%a+") })
      assert.same({ 3, 6, "β" }, { cd.find("αββγ", "(.)%1") })
      assert.equals(5, cd.match("жук", "у()"))
    end)

    it("gives byte positions that s:sub takes", function()
      local s = "Σήμερα, στην Αθήνα"
      local first, last = cd.find(s, "%u%l+", 2)
      assert.same({ 24, 33 }, { first, last })
      assert.equals("Αθήνα", s:sub(first, last))
      for word, pos in cd.gmatch(s, "(%a+)()") do
        assert.equals(word, s:sub(pos - #word, pos - 1))
      end
    end)

    it("moves an init inside a character on to the next one", function()
      assert.same({ 3, 3 }, { cd.find("éa", ".", 2) })
      assert.same({ 5, 6 }, { cd.find("жук", ".", -2) })
      assert.is_nil(cd.find("жук", ".", -1))                 -- inside к: nothing follows
      assert.same({ "два", "три" }, all(cd.gmatch("один два три", "%a+", 8)))
    end)

    it("reads each invalid byte as one character that only . and complements match", function()
      local s = "a\xffb\xc3"
      assert.same({ "<a><\xff><b><\xc3>", 4 }, { cd.gsub(s, ".", "<%0>") })
      assert.same({ 1, 1 }, { cd.find(s, "%a+") })
      assert.equals("\xff", cd.match(s, "%A"))
      assert.same({ "a?b?", 2 }, { cd.gsub(s, "[^%a]", "?") })
      assert.same({ 2, 2, "\xff" }, { cd.find(s, "(\xff)") })
      assert.is_nil(cd.match("é", "(\xc3)"))                -- a lead byte is not half of é
      assert.same({ 1, 1 }, { cd.find("é", "\xc3", 1, true)}) -- but a plain search is bytes
      assert.is_nil(cd.match("\xff", "%g"))
      assert.same({ "\xe2\x82", "x" }, { cd.match("\xe2\x82x", "(.-)(%a)") })
    end)

    it("reports malformed patterns with Lua's messages", function()
      assert.has_error(function() cd.find("é", "[é") end, "malformed pattern (missing ']')")
      assert.has_error(function() cd.match("é", "é%") end, "malformed pattern (ends with '%')")
      assert.has_error(function() cd.match("é", "%b«") end,
                       "malformed pattern (missing arguments to '%b')")
      assert.has_error(function() cd.match(("é"):rep(300), ("é?"):rep(300)) end,
                       "pattern too complex")
    end)
  end)

  it("keeps the subject and pattern of a gmatch alive", function()
    local iter = cd.gmatch(("слово "):rep(500), ("%a+"):rep(1))
    collectgarbage()
    collectgarbage()
    local n = 0
    for _ in iter do n = n + 1 end
    assert.equals(500, n)
  end)
end)
