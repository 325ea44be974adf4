-- Shared by the specs: running the command and reading files.
local M = {}

M.build = os.getenv("COPYDESK_BUILD") or "build"
M.copydesk = M.build .. "/copydesk"

local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end
M.slurp = slurp

function M.write(path, data)
  local f = assert(io.open(path, "wb"))
  f:write(data)
  assert(f:close())
end

local function quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end
M.quote = quote

-- Runs the copydesk command with the given arguments (and optional stdin text; stdout_path sends
-- standard output there instead of capturing it). Returns stdout, stderr and the exit status.
function M.run(args, stdin, stdout_path)
  local out, err, inp = stdout_path or os.tmpname(), os.tmpname(), os.tmpname()
  local f = assert(io.open(inp, "wb"))
  f:write(stdin or "")
  f:close()
  local parts = { quote(M.copydesk) }
  for _, a in ipairs(args) do parts[#parts + 1] = quote(a) end
  -- Leak checking stays on for the command even where the Lua interpreter running busted has it
  -- off (SANITIZE=1), and a sanitizer report exits 99, a status no test expects; no-ops otherwise.
  local cmd = "ASAN_OPTIONS=detect_leaks=1:exitcode=99 UBSAN_OPTIONS=halt_on_error=1:exitcode=99 "
    .. table.concat(parts, " ") .. " <" .. inp .. " >" .. out .. " 2>" .. err
  local _, _, code = os.execute(cmd)
  local o, e = stdout_path and "" or slurp(out), slurp(err)
  if not stdout_path then os.remove(out) end
  os.remove(err); os.remove(inp)
  return o, e, code
end

-- A fresh temporary folder.
function M.tmpdir()
  local p = os.tmpname()
  os.remove(p)
  assert(os.execute("mkdir " .. quote(p)))
  return p
end

function M.rmtree(p) os.execute("rm -rf " .. quote(p)) end

-- The shared sample articles, or nil when ../shared is not beside the project.
function M.seeds_dir()
  local dir = "../shared/seeds"
  local f = io.open(dir .. "/README.md", "r")
  if not f then return nil end
  f:close()
  return dir
end

return M
