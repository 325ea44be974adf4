-- copydesk.documents: articles in from files, folders and JSON lines (plain, .gz, .zst, stdin);
-- articles out as JSON lines (compressed by extension), front-matter files or plain text, each
-- output written under a temporary name and renamed only when complete.
local cd = require "copydesk"
local files = require "copydesk.files"

local M = {}

local JSONL_SUFFIXES = { ".jsonl", ".jsonl.gz", ".jsonl.zst", ".ndjson", ".ndjson.gz",
  ".ndjson.zst" }

local function ends_with(s, suffix) return suffix == "" or s:sub(-#suffix) == suffix end

local JSONL_EXTENSIONS = { jsonl = true, ndjson = true }
local COMPRESSED_EXTENSIONS = { gz = true, zst = true }

-- The extension of a path's last name without its dot, and the path before that dot.
local function split_extension(path) return path:match("^(.-)%.([^./]*)$") end

-- Whether `path` names JSON lines: "-" (standard input) or a .jsonl/.ndjson name, compressed or
-- not. Any other file is one article. Asked of every input file: two matches, not a loop of
-- suffixes.
function M.is_jsonl(path)
  if path == "-" then return true end
  local stem, ext = split_extension(path)
  if stem and COMPRESSED_EXTENSIONS[ext] then stem, ext = split_extension(stem) end
  return JSONL_EXTENSIONS[ext] == true
end

-- The compression a name asks for: "gzip" for .gz, "zstd" for .zst, else "none".
function M.compression_of(path)
  if ends_with(path, ".gz") then return "gzip" end
  if ends_with(path, ".zst") then return "zstd" end
  return "none"
end

local OPTIONS = { text = true, id = true, max_article = true, max_depth = true, fix = true,
  select = true, progress = true }

-- The longest article file or JSON-lines record read: far above any real article, low enough
-- that a runaway input (a file with no newline, a dump concatenated into one line) fails by name
-- instead of exhausting memory.
M.MAX_ARTICLE = 64 * 1024 * 1024

-- The options a recipe that reads inputs adds to its spec for copydesk.cli.
M.options = {
  { long = "--max-article", arg = "BYTES", whole = true,
    help = "longest article file or JSON line (default 64 MiB); longer ones fail (too-large)" },
}

local too_large = files.too_large

local function check_options(opts, known, where)
  for k in pairs(opts) do
    if not known[k] then error(string.format("bad option '%s' to '%s'", tostring(k), where), 3) end
  end
end

local function size_of(path) return cd.file_size(path) or 0 end

-- A failure as the iterator yields it: false, "source:line: reason", reason name, raw text (or
-- nil), the input's path. A record is these values, or an article table, or nil when there is
-- none (the end, or a record skipped): values, not a table a record.
local function failure(message, reason, raw, source) return false, message, reason, raw, source end

-- The records of one JSON-lines input, one per call of the returned step function (nil at the
-- end). Blank lines are not records.
local function jsonl_records(entry, state)
  local iter, a, b, reader = cd.lines(entry.path, { max_line = state.max_article })
  if not iter then return nil, a end
  state.reader = reader
  local parse_opts = { text = state.opts.text, id = state.opts.id,
    max_depth = state.opts.max_depth }
  return function()
    while true do
      local n, line, err, why = iter(a, b)
      if n == nil then
        reader:close()
        state.reader = nil
        return nil
      end
      if line == nil or line:find("%S") then
        state.index = state.index + 1
        state.bytes = state.base + reader:offset()
        if state.select and not state.select(state.index) then
          -- skipped unread: another worker takes it
        elseif why == "too-large" then
          return failure(too_large(entry.path .. ":" .. n, "record", state.max_article), why,
            nil, entry.path)
        elseif line == nil then
          return failure(err, "read", nil, entry.path)
        else
          local art, msg, pos = cd.parse_json(line, parse_opts)
          if not art then
            return failure(string.format("%s:%d:%d: %s", entry.path, n, pos, msg), "bad-json",
              line, entry.path)
          end
          art.source, art.line, art.rel, art.index = entry.path, n, entry.rel, state.index
          return art
        end
      end
    end
  end
end

-- Why raw bytes are no article text, or nil: an empty file, a zero byte (a binary file, or text
-- in a wide encoding) or a UTF-16 byte-order mark. Repair would turn these into plausible noise,
-- so they fail by name instead.
local function not_text(raw)
  if raw == "" then return "empty file" end
  local bom = raw:sub(1, 2)
  if bom == "\xFF\xFE" or bom == "\xFE\xFF" then
    return "UTF-16 text (byte-order mark): convert it to UTF-8 first"
  end
  local zero = raw:find("\0", 1, true)
  if zero then return string.format("binary file (zero byte at byte %d)", zero) end
  return nil
end

-- The article in the bytes of one file: fails by name on what is no text (not_text), else
-- repaired (opts.fix) and parsed.
local function article_of(raw, entry, state)
  local why = not_text(raw)
  if why then return failure(entry.path .. ": " .. why, "not-text", nil, entry.path) end
  if state.opts.fix then raw = cd.fix(raw) end
  local art, perr = cd.parse(raw, entry.path)
  if not art then return failure(perr, "parse", raw, entry.path) end
  art.rel, art.index = entry.rel, state.index
  return art
end

-- One article file (front matter, dated or plain), read whole: at most max_article + 1 bytes,
-- enough to tell that it is over the limit without holding more (a pipe or a device has no size
-- to check first), in one open, fstat and read. A record another worker takes is only sized.
local function article_record(entry, state)
  state.index = state.index + 1
  local selected = not state.select or state.select(state.index)
  if not selected or entry.err then
    state.bytes = state.base + size_of(entry.path)
    if selected then return failure(entry.err, "read", nil, entry.path) end
    return nil
  end
  local raw, size = cd.read_file(entry.path, state.max_article) -- size: the message on failure
  state.bytes = state.base + (raw and size or size_of(entry.path))
  if not raw then return failure(size, "read", nil, entry.path) end
  if #raw <= state.max_article then return article_of(raw, entry, state) end
  local what = size > state.max_article and string.format("article of %d bytes,", size)
    or "article"
  return failure(too_large(entry.path, what, state.max_article), "too-large", nil, entry.path)
end

-- The state of an iteration, its fourth value: closes the open file on break, and tells where
-- the iteration is: state:position() -> index of the last record (from 1), bytes read so far.
local Closer = {
  __close = function(state)
    if state.reader then state.reader:close() end
    state.reader = nil
  end,
  __index = { position = function(state) return state.index, state.bytes end },
}

-- Iterates over the articles of `inputs` (files, folders walked in byte order, JSON-lines files,
-- "-" for JSON lines on standard input), in input order:
--   for art, err, reason, raw, source in documents.each(inputs, opts) do
-- art is the table copydesk.parse gives (meta, body, format, body_line, source) plus line (of a
-- JSON-lines record), rel (path below its folder) and index (its place in the run, from 1);
-- or false, with a "file:line[:col]: reason" message, a stable reason name ("read", "parse",
-- "bad-json", "too-large", "not-text": an empty, binary or UTF-16 article file), the raw text
-- when there is one and the input's path. The fourth value of the generic for (the iteration's
-- state) closes the open file on break.
-- opts: text, id (field names of JSON lines), max_article (longest article file or JSON-lines
-- record in bytes, default M.MAX_ARTICLE), max_depth, fix (repair article files before
-- parsing), select (function(index) -> boolean: false skips a record without parsing
-- it), progress (an object whose update(records, bytes) is called after each record).
function M.each(inputs, opts)
  opts = opts or {}
  check_options(opts, OPTIONS, "documents.each")
  local entries = files.expand(inputs)
  local state = setmetatable({ opts = opts, select = opts.select, index = 0, bytes = 0, base = 0,
    max_article = opts.max_article or M.MAX_ARTICLE }, Closer)
  local i, step = 0, nil
  local function next_record()
    while true do
      if step then
        local art, message, reason, raw, source = step()
        if art ~= nil then return art, message, reason, raw, source end
        step = nil
        state.base = state.bytes
      end
      i = i + 1
      local entry = entries[i]
      if entry == nil then return nil end
      if not entry.err and M.is_jsonl(entry.path) then
        local s, err = jsonl_records(entry, state)
        if s then step = s
        else
          state.index = state.index + 1
          if not state.select or state.select(state.index) then
            return failure(err, "read", nil, entry.path)
          end
        end
      else
        local art, message, reason, raw, source = article_record(entry, state)
        state.base = state.bytes
        if art ~= nil then return art, message, reason, raw, source end
      end
    end
  end
  local progress = opts.progress
  local function iterate()
    if not progress then return next_record() end
    local art, message, reason, raw, source = next_record()
    progress:update(state.index, state.bytes)
    return art, message, reason, raw, source
  end
  return iterate, nil, nil, state
end

-- The total size in bytes of the inputs' files (for a progress ETA), or nil when one is
-- standard input.
function M.total_size(inputs)
  local total = 0
  for _, entry in ipairs(files.expand(inputs)) do
    if entry.path == "-" then return nil end
    total = total + size_of(entry.path)
  end
  return total
end

-- ---- Output -----------------------------------------------------------------------------

local Stream = {}
Stream.__index = Stream

-- A byte stream to `path`, compressed by its extension, written as path .. ".tmp" and renamed
-- by commit; "-" or nil is standard output, and a device (/dev/null) is written directly.
function M.stream(path)
  if path == nil or path == "-" then return setmetatable({ out = io.stdout, std = true }, Stream) end
  if cd.path_type(path) == "other" then
    local f, err = io.open(path, "wb")
    if not f then return nil, err end
    return setmetatable({ out = f, device = true, final = path }, Stream)
  end
  local tmp = path .. ".tmp"
  local w, err = cd.writer(tmp, M.compression_of(path))
  if not w then return nil, err end
  return setmetatable({ out = w, tmp = tmp, final = path }, Stream)
end

function Stream:write(...)
  local ok, err = self.out:write(...)
  if not ok then return nil, (self.final or "-") .. ": " .. tostring(err) end
  return true
end

-- Closes the stream and renames it to its name. Returns true, or nil and a message (the
-- temporary file is then removed).
function Stream:commit()
  if self.std then
    local ok, err = io.stdout:flush()
    if not ok then return nil, "-: " .. tostring(err) end
    return true
  end
  local ok, err = self.out:close()
  if not ok then
    if self.tmp then os.remove(self.tmp) end
    return nil, (self.final or "output") .. ": " .. tostring(err)
  end
  if self.device then return true end
  return os.rename(self.tmp, self.final)
end

-- Gives up: closes the stream and removes the temporary file, so nothing looks finished.
function Stream:abort()
  if self.std then return end
  pcall(self.out.close, self.out)
  if self.tmp then os.remove(self.tmp) end
end

Stream.__close = function(self, err) if err then self:abort() end end

local EXTENSION = { ["front-matter"] = ".md", text = ".txt" }
local RENDER = { jsonl = "json", ["front-matter"] = "front-matter", text = "text" }

local Writer = {}
Writer.__index = Writer

local function write_file(path, data)
  local s, err = M.stream(path)
  if not s then return nil, err end
  local ok, werr = s:write(data)
  if not ok then
    s:abort()
    return nil, werr
  end
  return s:commit()
end

-- Where an article goes in an output folder, without extension: the path it had below its input
-- folder; a JSON-lines record goes to a folder named for its file, as its line number.
local function out_rel(art)
  local rel = art.rel or art.source or "article"
  if art.line then
    for _, suffix in ipairs(JSONL_SUFFIXES) do
      if ends_with(rel, suffix) then return rel:sub(1, -#suffix - 1) .. "/" .. art.line end
    end
    return rel .. "/" .. art.line
  end
  return (rel:gsub("%.[^./]*$", ""))
end

-- A writer of articles in `format`: "jsonl" (one stream: the file `path`, compressed by its
-- extension, or standard output for nil or "-"), "front-matter" or "text" (one file per article
-- in the folder `path`, at the article's rel path with the format's extension; nil or "-"
-- writes them one after another to standard output).
function M.writer(path, format)
  assert(RENDER[format], "format must be jsonl, front-matter or text")
  local w = setmetatable({ format = format }, Writer)
  if format == "jsonl" or path == nil or path == "-" then
    local s, err = M.stream(path)
    if not s then return nil, err end
    w.stream = s
  else
    w.folder = path
  end
  return w
end

-- Renders and writes one article. Returns true, or nil, a message and a reason ("render" or
-- "write").
function Writer:write(art)
  local text, err = cd.render(art, RENDER[self.format])
  if not text then return nil, (art.source or "-") .. ": " .. err, "render" end
  local ok, werr
  if self.stream then
    ok, werr = self.stream:write(text, self.format == "jsonl" and "\n" or "")
  else
    local path = self.folder .. "/" .. out_rel(art) .. EXTENSION[self.format]
    ok, werr = cd.mkdir(path:match("^(.*)/"))
    if ok then ok, werr = write_file(path, text) end
  end
  if not ok then return nil, tostring(werr), "write" end
  return true
end

-- Finishes the output: the stream is renamed to its name. Returns true or nil and a message.
function Writer:close()
  if self.stream then return self.stream:commit() end
  return true
end

-- Leaves no finished-looking output behind after a failure.
function Writer:abort()
  if self.stream then self.stream:abort() end
end

return M
