-- copydesk.repl: the interactive prompt of `copydesk` (no arguments on a terminal, or -i):
-- each line runs as an expression if it is one, else as a statement; an incomplete chunk asks
-- for more; results are printed readably, tables included.
local M = {}

local MAX_DEPTH, MAX_ITEMS = 4, 50

local function quote(s) return (string.format("%q", s):gsub("\\\n", "\\n")) end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    local ta, tb = type(a), type(b)
    if ta ~= tb then return ta < tb end
    if ta == "number" or ta == "string" then return a < b end
    return tostring(a) < tostring(b)
  end)
  return keys
end

-- A readable rendering of v: strings quoted, tables as constructors with sorted keys, the
-- array part first, nesting and length cut with "...", cycles shown as <cycle>.
function M.show(v, depth, seen)
  depth, seen = depth or 0, seen or {}
  local t = type(v)
  if t == "string" then return quote(v) end
  if t ~= "table" then return tostring(v) end
  if seen[v] then return "<cycle>" end
  if depth >= MAX_DEPTH then return "{...}" end
  seen[v] = true
  local parts, n = {}, #v
  for i = 1, math.min(n, MAX_ITEMS) do parts[#parts + 1] = M.show(v[i], depth + 1, seen) end
  for _, k in ipairs(sorted_keys(v)) do
    if #parts >= MAX_ITEMS then
      parts[#parts + 1] = "..."
      break
    end
    if not (math.type(k) == "integer" and k >= 1 and k <= n) then
      local key = type(k) == "string" and k:match("^[%a_][%w_]*$") and k
        or "[" .. M.show(k, depth + 1, seen) .. "]"
      parts[#parts + 1] = key .. " = " .. M.show(v[k], depth + 1, seen)
    end
  end
  seen[v] = nil
  return "{" .. table.concat(parts, ", ") .. "}"
end

-- Compiles line as an expression first (so `1 + 1` prints 2), else as a statement.
local function compile(code)
  local fn = load("return " .. code, "=stdin", "t")
  if fn then return fn end
  return load(code, "=stdin", "t")
end

local function incomplete(err) return err and err:sub(-5) == "<eof>" end

local function print_results(ok, ...)
  if not ok then
    io.stderr:write(tostring((...)), "\n")
    return
  end
  local n = select("#", ...)
  if n == 0 then return end
  local parts = {}
  for i = 1, n do parts[i] = M.show((select(i, ...))) end
  io.write(table.concat(parts, "\t"), "\n")
end

-- Runs the prompt on `input` (default io.stdin) until end of file; prompts go to stdout.
function M.run(input)
  input = input or io.stdin
  local cd = require "copydesk"
  io.write(cd._VERSION, " (Lua 5.4): `copydesk` is loaded; Ctrl-D ends\n")
  while true do
    io.write("> ")
    io.flush()
    local line = input:read("L")
    if not line then
      io.write("\n")
      return 0
    end
    local fn, err = compile(line)
    while not fn and incomplete(err) do
      io.write(">> ")
      io.flush()
      local more = input:read("L")
      if not more then break end
      line = line .. more
      fn, err = compile(line)
    end
    if fn then print_results(xpcall(fn, debug.traceback))
    else io.stderr:write(err, "\n") end
  end
end

return M
