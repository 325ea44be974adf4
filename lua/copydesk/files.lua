-- copydesk.files: turns the inputs of a command line into a sorted list of files.
local cd = require "copydesk"

local M = {}

local function is_hidden(name) return name:sub(1, 1) == "." end

local function walk(dir, rel, out)
  local iter, a, b, handle = cd.dir(dir)
  if not iter then
    out[#out + 1] = { path = dir, rel = rel, err = a }
    return
  end
  for name, is_dir in iter, a, b, handle do
    if not is_hidden(name) then
      local path = dir:sub(-1) == "/" and dir .. name or dir .. "/" .. name
      local sub = rel == "" and name or rel .. "/" .. name
      if is_dir then walk(path, sub, out) else out[#out + 1] = { path = path, rel = sub } end
    end
  end
end

-- Expands files and folders (recursively, in byte order of names, hidden entries skipped) into
-- a list of { path =, rel = }, where rel is the path below the folder given (a file given
-- directly: its base name); an input that cannot be listed is { path =, rel =, err = }.
function M.expand(inputs)
  local out = {}
  for _, input in ipairs(inputs) do
    if input == "-" then
      out[#out + 1] = { path = "-", rel = "stdin" }
    elseif cd.path_type(input) == "folder" then
      walk(input, "", out)
    else
      out[#out + 1] = { path = input, rel = input:match("([^/]*)/*$") }
    end
  end
  return out
end

-- Reads a whole file ("-" is standard input). Returns its bytes, or nil and "path: reason".
function M.read(path)
  if path == "-" then
    local data, err = io.stdin:read("a")
    if not data then return nil, "-: " .. tostring(err) end
    return data
  end
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local data, rerr = f:read("a")
  f:close()
  if not data then return nil, path .. ": " .. tostring(rerr) end
  return data
end

return M
