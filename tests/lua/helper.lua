-- Loaded by busted before the specs: finds the module and helpers of the build under test.
local build = os.getenv("COPYDESK_BUILD") or "build"
package.cpath = build .. "/?.so;" .. package.cpath
package.path = "lua/?.lua;tests/lua/?.lua;" .. package.path
