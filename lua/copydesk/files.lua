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

-- The message of an input over the --max-article limit.
function M.too_large(where, what, limit)
  return string.format("%s: %s over the limit of %d bytes (--max-article)", where, what, limit)
end

-- Reads a whole file ("-" is standard input). Returns its bytes, or nil, "path: reason" and
-- "read"; with `limit`, never more than limit + 1 bytes, and a longer file is nil, the message
-- and "too-large".
function M.read(file, limit)
  local data, err
  if file == "-" then
    data, err = io.stdin:read(limit and limit + 1 or "a")
    if not data and err then return nil, "-: " .. tostring(err), "read" end
    data = data or ""
  else
    data, err = cd.read_file(file, limit) -- one open, fstat and read; err: the size
    if not data then return nil, err, "read" end
  end
  if limit and #data > limit then
    local what = type(err) == "number" and err > limit and
      string.format("article of %d bytes,", err) or "article"
    return nil, M.too_large(file, what, limit), "too-large"
  end
  return data
end

return M
