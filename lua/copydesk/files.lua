-- copydesk.files: turns the inputs of a command line into a sorted list of files.
local cd = require "copydesk"
local path = require "copydesk.path"

local M = {}

-- Expands files and folders (recursively, in byte order of names, hidden entries skipped) into
-- a list of { path =, rel = }, where rel is the path below the folder given (a file given
-- directly: its base name); an input that cannot be listed is { path =, rel =, err = }.
function M.expand(inputs)
  local out = {}
  for _, input in ipairs(inputs) do
    if input == "-" then
      out[#out + 1] = { path = "-", rel = "stdin" }
    elseif cd.path_type(input) == "folder" then
      for file, rel, err in path.walk(input) do
        out[#out + 1] = { path = file, rel = rel, err = err }
      end
    else
      out[#out + 1] = { path = input, rel = path.basename(input) }
    end
  end
  return out
end

-- Reads a whole file ("-" is standard input). Returns its bytes, or nil and "path: reason".
function M.read(file)
  if file == "-" then
    local data, err = io.stdin:read("a")
    if not data then return nil, "-: " .. tostring(err) end
    return data
  end
  local data, err = cd.read_file(file) -- one open, fstat and read
  if not data then return nil, err end
  return data
end

return M
