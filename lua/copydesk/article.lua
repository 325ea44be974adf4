-- copydesk.article: the article object filters and scripts work on. It is the table
-- copydesk.parse (or copydesk.documents) gives, { meta, body, format, source, line, ... }, with a
-- metatable: fields stay plain (art.meta.title, art.body) and methods walk the body.
local cd = require "copydesk"
local documents = require "copydesk.documents"

local M = {}
local Article = {}
M.Article = Article
local mt = { __name = "copydesk.Article", __index = Article }

-- Paragraph lists by article, dropped when the body changes (see paragraph_list).
local cache = setmetatable({}, { __mode = "k" })

-- Makes t (a table with a string body and an optional meta table) an article, in place, and
-- returns it. Raises on anything else: that is a programmer's mistake.
function M.wrap(t)
  if getmetatable(t) == mt then return t end
  if type(t) ~= "table" or type(t.body) ~= "string" then
    error("bad argument #1 to 'wrap' (table with a string body expected, got " ..
      (type(t) == "table" and "a table without one" or type(t)) .. ")", 2)
  end
  if t.meta == nil then t.meta = {} end
  return setmetatable(t, mt)
end

-- Parses article text as copydesk.parse does, into an article; nil, message, position on bad data.
function M.parse(text, name)
  local t, err, pos = cd.parse(text, name)
  if not t then return nil, err, pos end
  return setmetatable(t, mt)
end

-- The articles of inputs as copydesk.documents.each yields them (opts as there), each wrapped;
-- a record that could not be read yields false, message, reason, raw, source.
function M.each(inputs, opts)
  local iter, s, c, state = documents.each(inputs, opts)
  return function()
    local art, err, reason, raw, source = iter(s, c)
    if art then return setmetatable(art, mt) end
    return art, err, reason, raw, source
  end, nil, nil, state
end

-- Whether v is an article object.
function M.is(v) return getmetatable(v) == mt end

-- The paragraph kinds by rule, for paragraphs the cleaner does not take out. A heading is one
-- short line that ends without sentence punctuation (or a "#" line); a list has a bullet or a
-- number on every line; a quote is wholly inside quotation marks or "> " lines. The patterns are
-- copydesk's, over characters: bullets and quotation marks are not ASCII.
local HEADING_MAX_WORDS = 10
local BULLET = "^%s*[%-%*+•·–—]%s"
local NUMBERED = "^%s*%d+[%.%)]%s"
local STOPS = { [33] = true, [44] = true, [46] = true, [58] = true, [59] = true, [63] = true }

-- Whether text (trimmed) ends as a sentence or a clause does: . ! ? : ; , or an ellipsis.
local function ends_punctuated(text)
  return STOPS[text:byte(-1)] or text:sub(-3) == "…"
end

local function is_list_line(line) return cd.find(line, BULLET) or cd.find(line, NUMBERED) end
local function is_quote_line(line) return line:find("^%s*>") end

-- Whether test holds for the first line (checked by the caller) and every other line of text.
local function every_line(text, test)
  for line in text:gmatch("\n([^\n]*)") do
    if line:find("%S") and not test(line) then return false end
  end
  return true
end

local OPENING = { '"', "“", "‘", "«", "„", "'" }
local CLOSING = { '"', "”", "’", "»", "“", "'" }

local function quoted(text)
  for i, open in ipairs(OPENING) do
    if text:sub(1, #open) == open then
      local inner = text:gsub("[%.,;:!%?]+$", "")
      return #inner > #open and inner:sub(-#CLOSING[i]) == CLOSING[i]
    end
  end
  return false
end

-- The first bytes a list or a quote can start with: ASCII marks, digits, and the lead bytes of
-- the UTF-8 bullets, dashes and quotation marks above. Most paragraphs are body: they are told
-- by their first byte, before any pattern runs.
local MARKED = {}
for c in ("-*+>\"'0123456789\xC2\xE2"):gmatch(".") do MARKED[c:byte()] = true end

local function kind_by_rule(text)
  if MARKED[text:byte(1)] then
    if is_list_line(text) and every_line(text, is_list_line) then return "list" end
    if is_quote_line(text) and every_line(text, is_quote_line) then return "quote" end
    if quoted(text) then return "quote" end
  end
  if text:find("\n", 1, true) then return "body" end
  if text:find("^#+%s") then return "heading" end
  if not ends_punctuated(text) and cd.count_words(text) <= HEADING_MAX_WORDS then
    return "heading"
  end
  return "body"
end

-- The kind of paragraph [first, last] from the cleaner's removal lists: a paragraph one removal
-- wholly covers is what that removal took out.
local function removal_kind(removals, first, last)
  for _, r in ipairs(removals) do
    if r.first <= first and r.last >= last then
      return r.reason:find("^caption") and "caption" or "boilerplate"
    end
    if r.first > first then break end
  end
end

local SPACE = { [9] = true, [10] = true, [11] = true, [12] = true, [13] = true, [32] = true }

-- The paragraphs of the body: { text, first, last, kind } in order. Paragraphs are runs of lines
-- with text, separated by blank lines; first and last bound the text without its outer white space.
local function paragraph_list(art)
  local body = art.body
  local c = cache[art]
  if c and c.body == body then return c.list end
  local list, pos = {}, 1
  while true do
    local first = body:find("%S", pos)
    if not first then break end
    local gap = body:find("\n[ \t\r\f\v]*\n", first)
    local stop = gap and gap - 1 or #body
    local last = stop
    while SPACE[body:byte(last)] do last = last - 1 end -- stops at first, which is no space
    list[#list + 1] = { text = body:sub(first, last), first = first, last = last }
    if not gap then break end
    pos = gap + 1
  end
  local _, boiler = cd.strip_boilerplate(body)
  local _, captions = cd.strip_captions(body)
  for _, p in ipairs(list) do
    p.kind = removal_kind(boiler, p.first, p.last) or removal_kind(captions, p.first, p.last) or
      kind_by_rule(p.text)
  end
  cache[art] = { body = body, list = list }
  return list
end
M.paragraph_list = paragraph_list

-- for text, first, last, kind in art:paragraphs() do: positions in art.body, kind one of body,
-- caption, boilerplate, quote, list, heading.
function Article:paragraphs()
  local list, i = paragraph_list(self), 0
  return function()
    i = i + 1
    local p = list[i]
    if p then return p.text, p.first, p.last, p.kind end
  end
end

-- for text, first, last in art:sentences(opts) do: copydesk.sentences over the body, trimmed
-- unless opts says otherwise.
function Article:sentences(opts)
  return cd.sentences(self.body, opts or { trim = true })
end

-- for word, first, last, kind in art:words(opts) do: copydesk.words over the body.
function Article:words(opts)
  return cd.words(self.body, opts)
end

function Article:text() return self.body end

-- The article as copydesk.render writes it: "front-matter" (default), "json", "text", ...
function Article:render(format)
  return cd.render(self, format or "front-matter")
end

function mt.__tostring(art)
  local where = art.source and (art.source .. (art.line and ":" .. art.line or "")) or "no source"
  return string.format("copydesk.Article (%s, %d bytes)", where, #art.body)
end

return M
