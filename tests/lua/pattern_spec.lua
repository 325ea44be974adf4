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
    for _, init in ipairs { false, 2, 4, -1, -3, 0, #s, #s + 1, -100 } do
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
end)
