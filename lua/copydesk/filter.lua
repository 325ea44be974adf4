-- copydesk.filter: user filters. A filter script returns a table of handlers, each called for
-- one part of every article:
--   paragraph(text, kind, art)  each paragraph of the body (kind as art:paragraphs() gives it)
--   sentence(text, art)         each sentence of each kept paragraph
--   meta(meta, art)             the metadata table
--   article(art)                the whole article, last
--   init(), finish()            once in each process (each worker of --jobs), before its first
--                               article and after its last: to open and close what the
--                               handlers share; their return values are not used
-- A handler returns a replacement (a string; a table for meta and article), nil to keep what it
-- was given (changed in place or not), or false and a reason to drop it: a dropped article is
-- counted by reason, a dropped paragraph or sentence is removed.
local article = require "copydesk.article"

local M = {}

local HANDLERS = { "paragraph", "sentence", "meta", "article", "init", "finish" }
local KNOWN = {}
for _, h in ipairs(HANDLERS) do KNOWN[h] = true end

-- The message handler of a filter call: the error as text, with the place in the script it was
-- raised from when the message does not start with it (error(x, 0), a table as error, an error
-- raised by a helper module the script called).
local function message_handler(script)
  return function(e)
    if type(e) ~= "string" then
      local emt = getmetatable(e)
      e = emt and emt.__tostring and tostring(e) or "(error object is a " .. type(e) .. " value)"
    end
    if e:sub(1, #script + 1) == script .. ":" then return e end
    for level = 2, math.huge do
      local info = debug.getinfo(level, "Sl")
      if not info then break end
      if info.source == "@" .. script then
        return string.format("%s:%d: %s", script, info.currentline, e)
      end
    end
    return e
  end
end

-- Checks a table of handlers; returns the filter (the handlers and the script's name, which
-- messages use) or nil and a message naming the bad key.
function M.new(handlers, name)
  name = name or "filter"
  if type(handlers) ~= "table" then
    return nil, name .. ": a filter must return a table of handlers, got " .. type(handlers)
  end
  -- made once here, not in each call: a filter runs once per article
  local f = { name = name, on_error = message_handler(name) }
  for k, v in pairs(handlers) do
    if not KNOWN[k] then
      return nil, string.format("%s: unknown handler '%s' (the handlers are %s)", name, tostring(k),
        table.concat(HANDLERS, ", "))
    end
    if type(v) ~= "function" then
      return nil, string.format("%s: handler '%s' must be a function, got %s", name, k, type(v))
    end
    f[k] = v
  end
  return f
end

-- Loads filter script `path` (run with no arguments) and checks what it returns; nil and a
-- message when it cannot be read, raises an error or returns no table of handlers.
function M.load(path)
  local chunk, err = loadfile(path, "t")
  if not chunk then return nil, err end
  local ok, handlers = pcall(chunk)
  if not ok then return nil, tostring(handlers) end
  return M.new(handlers, path)
end

-- Joins what is kept of s. spans: { first, last, new } in order, new the replacement text or
-- nil (dropped). Text between two kept spans is the separator after the first; the text before
-- the first span and after the last stays.
local function splice(s, spans)
  local out, prev = { s:sub(1, spans[1].first - 1) }, nil
  for _, sp in ipairs(spans) do
    if sp.new then
      if prev then out[#out + 1] = s:sub(prev.last + 1, spans[prev.index + 1].first - 1) end
      out[#out + 1] = sp.new
      prev = sp
    end
  end
  if not prev then return "" end
  out[#out + 1] = s:sub(spans[#spans].last + 1)
  return table.concat(out)
end

-- Calls handler h on a piece of text and returns its replacement (nil: dropped) and whether it
-- changed; a dropped piece is handed to ctx.removed(kind, reason, text).
local function piece(f, kind, text, ctx, ...)
  local r, why = f[kind](text, ...)
  if r == nil then return text, false end
  if r == false then
    if ctx.removed then ctx.removed(kind, why or "filter", text) end
    return nil, true
  end
  if type(r) ~= "string" then
    error(string.format("%s: %s handler returned a %s (a string, nil or false expected)", f.name,
      kind, type(r)), 0)
  end
  return r, r ~= text
end

local function filter_sentences(f, text, art, ctx)
  local spans, changed = {}, false
  for s, first, last in require("copydesk").sentences(text, { trim = true }) do
    local new, ch = piece(f, "sentence", s, ctx, art)
    spans[#spans + 1] = { first = first, last = last, new = new, index = #spans + 1 }
    changed = changed or ch
  end
  if not changed then return text, false end
  return splice(text, spans), true
end

local function filter_body(f, art, ctx)
  local spans, changed = {}, false
  for text, first, last, kind in art:paragraphs() do
    local new, ch = text, false
    if f.paragraph then new, ch = piece(f, "paragraph", text, ctx, kind, art) end
    changed = changed or ch
    if new and f.sentence then
      new, ch = filter_sentences(f, new, art, ctx)
      changed = changed or ch
    end
    spans[#spans + 1] = { first = first, last = last, new = new ~= "" and new or nil,
      index = #spans + 1 }
  end
  if changed then art.body = #spans > 0 and splice(art.body, spans) or art.body end
end

local function dropped(f, kind, why)
  if why ~= nil and type(why) ~= "string" then
    error(string.format("%s: %s handler gave a %s reason (a string expected)", f.name, kind,
      type(why)), 0)
  end
  return false, why or "filter"
end

local function run(f, art, ctx)
  if f.paragraph or f.sentence then filter_body(f, art, ctx) end
  if f.meta then
    local r, why = f.meta(art.meta, art)
    if r == false then return dropped(f, "meta", why) end
    if r ~= nil and type(r) ~= "table" then
      error(string.format("%s: meta handler returned a %s (a table, nil or false expected)", f.name,
        type(r)), 0)
    end
    if r then art.meta = r end
  end
  if f.article then
    local r, why = f.article(art)
    if r == false then return dropped(f, "article", why) end
    if type(r) == "string" then
      art.body = r
    elseif type(r) == "table" then
      if type(r.body) ~= "string" then
        error(f.name .. ": article handler returned a table without a string body", 0)
      end
      art = article.wrap(r)
    elseif r ~= nil then
      error(string.format("%s: article handler returned a %s (an article, a string, nil or false " ..
        "expected)", f.name, type(r)), 0)
    end
  end
  return art
end

-- Calls f's init or finish handler (`which`), when it has one. Returns true, or nil and
-- "SCRIPT:LINE: message (in init)" when it raised an error.
function M.call(f, which)
  if not f[which] then return true end
  local ok, err = xpcall(f[which], f.on_error)
  if not ok then return nil, string.format("%s (in %s)", err, which) end
  return true
end

-- Where the article came from, for messages: "FILE:LINE" (line 1 for an article file).
function M.where(art)
  return string.format("%s:%d", art.source or "-", art.line or 1)
end

local NO_CTX = {} -- read only

-- Runs filter f on art (made an article object first). ctx.removed(kind, reason, text), when
-- given, hears of each dropped paragraph and sentence. Returns the article (the one a handler
-- returned, or art changed in place); or false and the reason when a handler dropped it; or nil
-- and "SCRIPT:LINE: message (while cleaning FILE:LINE)" when a handler raised an error.
function M.apply(f, art, ctx)
  art = article.wrap(art)
  local ok, res, why = xpcall(run, f.on_error, f, art, ctx or NO_CTX)
  if not ok then return nil, string.format("%s (while cleaning %s)", res, M.where(art)) end
  return res, why
end

-- The arguments of clean that run filter script `path` on the inputs in `args` (its command
-- line): every built-in step off, repair and parsing on, the run named for the script.
function M.clean_args(path, args)
  local list = { "--no-glue", "--no-boilerplate", "--no-captions", "--no-repeats", "--no-meta",
    "--filter", path, "--run-name", path }
  table.move(args, 1, #args, #list + 1, list)
  return list
end

-- The arg table main.c runs the clean recipe with when script arg[0] returned a filter: the
-- command at negative indices kept, "clean" at 0, clean_args after it.
function M.clean_arg_table(arg)
  local new = M.clean_args(arg[0], arg)
  local i = -1
  while arg[i] ~= nil do
    new[i] = arg[i]
    i = i - 1
  end
  new[0] = "clean"
  return new
end

return M
