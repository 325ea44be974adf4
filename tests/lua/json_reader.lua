-- json_reader.lua: a small JSON reader for the tests' data files (ftfy's conformance cases).
-- Objects become tables, arrays sequences, null becomes nil; strings are returned as UTF-8
-- (escaped surrogate pairs joined; a lone escaped surrogate is kept as its 3-byte form, since
-- ftfy's cases hold some on purpose). Raises "json: message at byte N" on malformed input.
local M = {}

local ESCAPES = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n",
  r = "\r", t = "\t" }

local function fail(msg, pos) error(string.format("json: %s at byte %d", msg, pos), 0) end

-- Encodes a code point as UTF-8, surrogates included (Lua's utf8.char refuses none of them).
local function encode(cp) return utf8.char(cp) end

local function skip(s, i) return s:find("[^ \t\r\n]", i) or #s + 1 end

local read_value

local function read_string(s, i)
  local parts, j = {}, i + 1
  while true do
    local k = s:find('["\\]', j)
    if not k then fail("unterminated string", i) end
    parts[#parts + 1] = s:sub(j, k - 1)
    if s:sub(k, k) == '"' then return table.concat(parts), k + 1 end
    local e = s:sub(k + 1, k + 1)
    if e == "u" then
      local cp = tonumber(s:sub(k + 2, k + 5), 16)
      if not cp then fail("bad \\u escape", k) end
      j = k + 6
      local lo = s:match("^\\u(%x%x%x%x)", j)
      lo = lo and tonumber(lo, 16)
      if cp >= 0xD800 and cp <= 0xDBFF and lo and lo >= 0xDC00 and lo <= 0xDFFF then
        cp = 0x10000 + (cp - 0xD800) * 0x400 + (lo - 0xDC00)
        j = j + 6
      end
      parts[#parts + 1] = encode(cp)
    elseif ESCAPES[e] then
      parts[#parts + 1] = ESCAPES[e]
      j = k + 2
    else
      fail("bad escape", k)
    end
  end
end

local function read_list(s, i, close, item)
  local t = {}
  i = skip(s, i + 1)
  if s:sub(i, i) == close then return t, i + 1 end
  while true do
    i = item(t, i)
    i = skip(s, i)
    local c = s:sub(i, i)
    if c == close then return t, i + 1 end
    if c ~= "," then fail("expected ',' or '" .. close .. "'", i) end
    i = skip(s, i + 1)
  end
end

read_value = function(s, i)
  i = skip(s, i)
  local c = s:sub(i, i)
  if c == '"' then return read_string(s, i) end
  if c == "[" then
    return read_list(s, i, "]", function(t, j)
      local v
      v, j = read_value(s, j)
      t[#t + 1] = v
      return j
    end)
  end
  if c == "{" then
    return read_list(s, i, "}", function(t, j)
      if s:sub(j, j) ~= '"' then fail("expected a key", j) end
      local k, v
      k, j = read_string(s, j)
      j = skip(s, j)
      if s:sub(j, j) ~= ":" then fail("expected ':'", j) end
      v, j = read_value(s, j + 1)
      t[k] = v
      return j
    end)
  end
  for word, v in pairs({ ["true"] = true, ["false"] = false, null = M }) do
    if s:sub(i, i + #word - 1) == word then
      if v == M then v = nil end
      return v, i + #word
    end
  end
  local num = s:match("^-?%d+%.?%d*[eE]?[-+]?%d*", i)
  if num and num ~= "" then return tonumber(num), i + #num end
  fail("unexpected character", i)
end

-- Parses the JSON text s; raises on malformed input or trailing garbage.
function M.decode(s)
  local v, i = read_value(s, 1)
  if skip(s, i) <= #s then fail("trailing characters", i) end
  return v
end

-- Reads and parses a file; returns nil and a message when it cannot be opened.
function M.read_file(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local s = f:read("a")
  f:close()
  return M.decode(s)
end

return M
