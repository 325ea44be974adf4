-- copydesk.cli: what every recipe's command line needs: option parsing, usage text, the recipe list.
local cd = require "copydesk"

local M = {}

local function option_line(o)
  local names = o.short and (o.short .. ", " .. o.long) or ("    " .. o.long)
  if o.arg then names = names .. " " .. o.arg end
  return string.format("  %-28s %s", names, o.help or "")
end

-- The usage text of a recipe spec: { name, usage, description, options = { {long=, short=,
-- arg=, choices=, whole= (a positive whole number), default=, help=}, ... } }.
function M.usage(spec)
  local lines = { "usage: " .. spec.usage, "", spec.description, "", "options:" }
  for _, o in ipairs(spec.options) do lines[#lines + 1] = option_line(o) end
  lines[#lines + 1] = option_line { long = "--help", short = "-h", help = "show this help" }
  return table.concat(lines, "\n") .. "\n"
end

local function find_option(spec, name)
  for _, o in ipairs(spec.options) do
    if o.long == name or o.short == name then return o end
  end
end

local function key_of(o) return (o.long:gsub("^%-%-", ""):gsub("%-", "_")) end

-- The value of option o as given, checked: one of o.choices, or with o.whole a positive whole
-- number (as an integer). Returns the value, or nil and a message naming the option.
local function check_value(o, v)
  if o.whole then
    local n = math.tointeger(tonumber(v))
    if n and n >= 1 then return n end
    return nil, string.format("option '%s' must be a positive whole number, got '%s'", o.long, v)
  end
  if not o.choices then return v end
  for _, c in ipairs(o.choices) do if c == v then return v end end
  return nil, string.format("option '%s' must be one of %s, got '%s'", o.long,
    table.concat(o.choices, ", "), v)
end

-- Parses args (a list of strings) against spec. Returns options (keyed by long name with
-- dashes as underscores, defaults filled) and the positional arguments; or nil and a message
-- naming the bad option. `--help` gives options.help = true. `--` ends the options.
function M.parse(spec, args)
  local opts, rest, i = { help = false }, {}, 1
  for _, o in ipairs(spec.options) do
    local k = key_of(o)
    if o.arg == nil then opts[k] = false
    elseif o.repeatable then opts[k] = {}
    else opts[k] = o.default end
  end
  while i <= #args do
    local a = args[i]
    if a == "--" then
      table.move(args, i + 1, #args, #rest + 1, rest)
      break
    elseif a == "--help" or a == "-h" then
      opts.help = true
    elseif a:sub(1, 1) == "-" and a ~= "-" then
      local name, inline = a:match("^(%-%-[^=]+)=(.*)$")
      local o = find_option(spec, name or a)
      if not o then return nil, "unrecognized option '" .. a .. "'" end
      if o.arg then
        local v = inline
        if v == nil then
          i = i + 1
          v = args[i]
        end
        if v == nil then return nil, "option '" .. o.long .. "' needs a value (" .. o.arg .. ")" end
        local checked, why = check_value(o, v)
        if checked == nil then return nil, why end
        v = checked
        if o.repeatable then table.insert(opts[key_of(o)], v) else opts[key_of(o)] = v end
      elseif inline then
        return nil, "option '" .. o.long .. "' takes no value"
      else
        opts[key_of(o)] = true
      end
    else
      rest[#rest + 1] = a
    end
    i = i + 1
  end
  return opts, rest
end

-- Parses a recipe's arguments, printing the usage for --help (exit 0) or a usage error (exit 2).
-- Returns options and positional arguments, or nil and the exit status.
function M.parse_or_usage(spec, args)
  local opts, rest = M.parse(spec, args)
  if not opts then
    io.stderr:write("copydesk ", spec.name, ": ", rest, "\n", "usage: ", spec.usage, "\n")
    return nil, 2
  end
  if opts.help then
    io.stdout:write(M.usage(spec))
    return nil, 0
  end
  if spec.min_args and #rest < spec.min_args then
    io.stderr:write("copydesk ", spec.name, ": missing arguments\n", "usage: ", spec.usage, "\n")
    return nil, 2
  end
  return opts, rest
end

-- The recipes in folder `dir` with their one-line descriptions, from each first line
-- `-- NAME: description`.
function M.recipes(dir)
  local list = {}
  local iter, a, b, handle = cd.dir(dir)
  if not iter then return nil, a end
  for name in iter, a, b, handle do
    local recipe = name:match("^(.+)%.lua$")
    if recipe then
      local f = io.open(dir .. "/" .. name, "r")
      local first = f and f:read("l") or ""
      if f then f:close() end
      list[#list + 1] = { name = recipe, description = first:match("^%-%- [^:]+: (.*)$") or "" }
    end
  end
  return list
end

-- Prints the recipe list (copydesk --list). Returns the exit status.
function M.list(dir)
  local list, err = M.recipes(dir)
  if not list then
    io.stderr:write("copydesk: ", err, "\n")
    return 1
  end
  for _, r in ipairs(list) do io.write(string.format("%-10s %s\n", r.name, r.description)) end
  return 0
end

return M
