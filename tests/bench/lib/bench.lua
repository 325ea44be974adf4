-- What the tests/bench/*.lua scripts share: medians and timers. Each script finds this folder
-- through package.path (make bench runs them from the top of the tree).
local cd = require "copydesk"

local M = {}

function M.median(t)
  table.sort(t)
  return t[(#t + 1) // 2]
end

-- The median of `runs` timings of fn (processor time of this process), and fn's last result.
function M.time_cpu(fn, runs)
  local t, result = {}, nil
  for i = 1, runs do
    local c = os.clock()
    result = fn()
    t[i] = os.clock() - c
  end
  return M.median(t), result
end

-- The same in wall time (monotonic clock): for work done by other processes.
function M.time_wall(fn, runs)
  local t = {}
  for i = 1, runs do
    local s = cd.clock()
    fn()
    t[i] = cd.clock() - s
  end
  return M.median(t)
end

return M
