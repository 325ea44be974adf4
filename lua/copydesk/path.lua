-- copydesk.path: path and folder helpers that scripts otherwise write by hand. Paths are
-- POSIX, "/"-separated; every function works on the text alone except walk, which reads folders.
local cd = require "copydesk"

local M = {}

-- Joins parts with "/"; an absolute part starts over, as in a shell's cd.
function M.join(...)
  local out = ""
  for i = 1, select("#", ...) do
    local part = select(i, ...)
    if type(part) ~= "string" then
      error(string.format("bad argument #%d to 'join' (string expected, got %s)", i, type(part)), 2)
    end
    if part:sub(1, 1) == "/" or out == "" then out = part
    elseif part ~= "" then out = out:gsub("/*$", "") .. "/" .. part end
  end
  return out
end

-- Splits into folder and base name: "a/b/c.txt" -> "a/b", "c.txt"; "c.txt" -> "", "c.txt";
-- "/c" -> "/", "c". Trailing slashes are ignored.
function M.split(p)
  local trimmed = p:match("^(.-)/*$")
  if trimmed == "" and p:sub(1, 1) == "/" then return "/", "" end
  local dir, base = trimmed:match("^(.*)/([^/]*)$")
  if not dir then return "", trimmed end
  if dir == "" then dir = "/" end
  return dir, base
end

function M.basename(p) return select(2, M.split(p)) end

function M.dirname(p) return (M.split(p)) end

-- The extension with its dot (".gz" for "a.jsonl.gz"), or "" ("" too for ".hidden").
function M.extension(p)
  return M.basename(p):match("^.+(%.[^.]*)$") or ""
end

-- The base name without its extension: "a.jsonl.gz" -> "a.jsonl".
function M.stem(p)
  local base = M.basename(p)
  return base:sub(1, #base - #M.extension(p))
end

-- p with its extension replaced by ext ("" removes it): ("a/b.txt", ".md") -> "a/b.md".
function M.with_extension(p, ext)
  local dir, base = M.split(p)
  local stem = base:sub(1, #base - #M.extension(base))
  return dir == "" and stem .. ext or M.join(dir, stem .. ext)
end

function M.is_absolute(p) return p:sub(1, 1) == "/" end

-- Resolves "." and ".." and repeated slashes without reading the disk: "a/./b/../c" -> "a/c".
-- ".." above the start of a relative path is kept ("../x"); above "/" it is dropped.
function M.normalize(p)
  local parts = {}
  for part in p:gmatch("[^/]+") do
    if part == ".." then
      if #parts > 0 and parts[#parts] ~= ".." then table.remove(parts)
      elseif not M.is_absolute(p) then parts[#parts + 1] = ".." end
    elseif part ~= "." then
      parts[#parts + 1] = part
    end
  end
  local out = table.concat(parts, "/")
  if M.is_absolute(p) then return "/" .. out end
  return out == "" and "." or out
end

-- The path of p relative to base (both taken lexically, both relative or both absolute):
-- ("a/b/c", "a/d") -> "../b/c".
function M.relative(p, base)
  if M.is_absolute(p) ~= M.is_absolute(base) then
    error("bad argument to 'relative' (one path is absolute, the other is not)", 2)
  end
  local a, b = {}, {}
  for part in M.normalize(p):gmatch("[^/]+") do a[#a + 1] = part end
  for part in M.normalize(base):gmatch("[^/]+") do b[#b + 1] = part end
  if a[1] == "." then a = {} end
  if b[1] == "." then b = {} end
  local i = 1
  while a[i] and a[i] == b[i] do i = i + 1 end
  local out = {}
  for _ = i, #b do out[#out + 1] = ".." end
  for j = i, #a do out[#out + 1] = a[j] end
  return #out == 0 and "." or table.concat(out, "/")
end

-- A glob as a Lua pattern: `*` any run of characters but "/", `**` any run at all (also "/"),
-- `?` one character but "/", `[abc]`/`[!abc]` sets; everything else literal.
function M.glob_pattern(glob)
  local out, i = { "^" }, 1
  while i <= #glob do
    local c = glob:sub(i, i)
    if glob:sub(i, i + 2) == "**/" then
      out[#out + 1] = ".-"
      out[#out + 1] = "/?"
      i = i + 3
    elseif glob:sub(i, i + 1) == "**" then
      out[#out + 1] = ".*"
      i = i + 2
    elseif c == "*" then
      out[#out + 1] = "[^/]*"
      i = i + 1
    elseif c == "?" then
      out[#out + 1] = "[^/]"
      i = i + 1
    elseif c == "[" and glob:find("]", i + 2, true) then
      local close = glob:find("]", i + 2, true)
      local body = glob:sub(i + 1, close - 1):gsub("^!", "^"):gsub("%%", "%%%%")
      out[#out + 1] = "[" .. body .. "]"
      i = close + 1
    else
      out[#out + 1] = c:gsub("%W", "%%%0")
      i = i + 1
    end
  end
  out[#out + 1] = "$"
  return table.concat(out)
end

-- Whether path matches glob: a glob without "/" is matched against the base name only.
function M.glob_match(path, glob)
  local subject = glob:find("/", 1, true) and path or M.basename(path)
  return subject:match(M.glob_pattern(glob)) ~= nil
end

local function any_match(rel, globs)
  for _, g in ipairs(globs) do
    if M.glob_match(rel, g) then return true end
  end
  return false
end

local function as_list(v)
  if v == nil then return {} end
  return type(v) == "string" and { v } or v
end

-- Walks folder root recursively in byte order of names and returns an iterator of
-- `path, rel` for each file (rel is the path below root). opts: include (a glob or list of
-- globs a file must match, default all), exclude (globs of files and folders to skip),
-- hidden (true to enter names starting with "."; default false). Links to folders are not
-- followed. A folder that cannot be read yields `path, rel, message`, and the walk goes on.
function M.walk(root, opts)
  opts = opts or {}
  local include, exclude = as_list(opts.include), as_list(opts.exclude)
  local function visit(dir, rel)
    local iter, err, s, handle = cd.dir(dir)
    if not iter then return coroutine.yield(dir, rel, err) end
    for name, is_dir in iter, err, s, handle do
      local sub = rel == "" and name or rel .. "/" .. name
      if (opts.hidden or name:sub(1, 1) ~= ".") and not any_match(sub, exclude) then
        local full = M.join(dir, name)
        if is_dir then visit(full, sub)
        elseif #include == 0 or any_match(sub, include) then coroutine.yield(full, sub) end
      end
    end
  end
  return coroutine.wrap(function() visit(root, "") end)
end

return M
