---@meta copydesk
-- Type annotations of the copydesk module for lua-language-server (editors complete the API).
-- Add this folder to "Lua.workspace.library". Nothing here runs: the module is C.

---@class copydesk.Article
---@field meta table<string, any> typed metadata; YAML null is copydesk.null
---@field body string the text
---@field format "front-matter"|"dated"|"plain"|"json"
---@field source? string the name given to parse (the input's path from copydesk.documents)
---@field body_line integer the line of the input where the body starts
---@field line? integer the line of a JSON-lines record
---@field rel? string the path below the folder it was found in
---@field index? integer its place in the run, from 1
local Article = {}
---Paragraphs (runs of lines between blank lines) with their kinds: "body", "caption",
---"boilerplate" (as the cleaner's removal lists say), "quote", "list" or "heading".
---Methods come from require("copydesk.article") (wrap, parse, each); filters get them already.
---@return fun(): string?, integer?, integer?, string? iterator of text, first, last, kind
function Article:paragraphs() end
---@param opts? table copydesk.sentences options (default { trim = true })
---@return fun(): string?, integer?, integer? iterator of sentence, first, last
function Article:sentences(opts) end
---@param opts? table copydesk.words options
---@return fun(): string?, integer?, integer?, string? iterator of word, first, last, kind
function Article:words(opts) end
---@return string body
function Article:text() end
---@param format? "front-matter"|"json"|"text"|"dated"|"plain" default "front-matter"
---@return string|nil text, string? message
function Article:render(format) end

---@class copydesk.Filter a filter script returns this table of handlers (all optional)
---@field paragraph? fun(text: string, kind: string, art: copydesk.Article): string|false|nil, string?
---@field sentence? fun(text: string, art: copydesk.Article): string|false|nil, string?
---@field meta? fun(meta: table, art: copydesk.Article): table|false|nil, string?
---@field article? fun(art: copydesk.Article): copydesk.Article|string|false|nil, string?
---@field init? fun() once in each process (each --jobs worker), before its first article
---@field finish? fun() once in each process, after its last article

---@class copydesk.Removal
---@field first integer 1-based position of the removed text in the input
---@field last integer inclusive
---@field reason string "boilerplate", "caption", "caption-repeat", "repeat", "glue", ...
---@field text string what was removed (empty for an insertion)

---@class copydesk.Dir
local Dir = {}
---Closes the listing (closing twice raises).
function Dir:close() end

---@class copydesk.Dedup
local Dedup = {}
---Adds an article; returns the id of an earlier near-duplicate (or nil), the similarity, the
---cluster id and whether the match is exact; or nil, the message and errno when the spill file
---cannot be made, written or read (nothing added).
---@param id any
---@param text string
---@return any|nil match, number|string similarity, any cluster, boolean exact
function Dedup:add(id, text) end
---@param id any
---@param sig string a copydesk.minhash signature
---@param text? string
---@return any|nil match, number|string similarity, any cluster, boolean exact
function Dedup:add_signature(id, sig, text) end
---@param id any
---@param sig string a copydesk.minhash signature
---@param keys string its shingle keys (copydesk.minhash(text, {keys = true}))
---@return any|nil match, number|string similarity, any cluster, boolean exact
function Dedup:add_keys(id, sig, keys) end
---@return any cluster the id of the first article of id's cluster
function Dedup:cluster(id) end
---@return table settings
function Dedup:settings() end
function Dedup:close() end

---@class copydesk
---@field _VERSION string "copydesk X.Y.Z"
---@field unicode_version string utf8proc's Unicode version
---@field null lightuserdata YAML/JSON null
---@field array_mt table the metatable that marks a (possibly empty) list
---@field dedup { new: fun(opts?: {threshold?: number, num_perm?: integer, ngram?: integer, seed?: integer, bands?: integer, rows?: integer, exact?: boolean, keys_in_memory?: boolean, spill_dir?: string}): copydesk.Dedup }
local copydesk = {}

---Parses an article file: YAML front matter, a " date YYYY-MM-DD " first line, or plain text.
---@param text string
---@param name? string used in messages and as article.source
---@return copydesk.Article|nil article
---@return string? message "name:line:col: message"
---@return integer? position
function copydesk.parse(text, name) end

---@param article copydesk.Article|{meta?: table, body: string}
---@param format "front-matter"|"json"|"text"|"dated"|"plain"
---@return string|nil text
---@return string? message
function copydesk.render(article, format) end

---Repairs text: mojibake, entities, controls, line breaks, normalisation. Always valid UTF-8.
---@param s string
---@param opts? {preset?: "default"|"ftfy"|"none", mojibake?: boolean, lossy?: boolean, c1?: boolean, entities?: string, terminal?: boolean, line_breaks?: boolean, controls?: boolean, quotes?: boolean, width?: boolean, ligatures?: boolean, normalize?: "NFC"|"NFKC"|"NFD"|"NFKD"|"none", invalid?: "cp1252"|"replace", explain?: boolean, hint?: string}
---@return string fixed
---@return integer changes
---@return table? explanation with opts.explain: plan and changes with spans
function copydesk.fix(s, opts) end

---Replays a plan from fix's explanation on other text.
---@return string|nil text, string? message, integer? position
function copydesk.apply_plan(s, plan) end

---@return string|nil text, string? message, integer? position
function copydesk.normalize_space(s) end

---@param opts? {patterns?: string|string[], builtin?: boolean}
---@return string text, copydesk.Removal[] removed
function copydesk.strip_boilerplate(s, opts) end

---@return string[] patterns the built-in boilerplate list
function copydesk.boilerplate_patterns() end

---@param opts? {keep_unique?: boolean}
---@return string text, copydesk.Removal[] removed
function copydesk.strip_captions(s, opts) end

---@param opts? {min_len?: integer}
---@return string text, copydesk.Removal[] removed
function copydesk.strip_repeats(s, opts) end

---strip_boilerplate (then site_patterns alone, counted as "site-boilerplate"), strip_captions,
---strip_repeats and normalize_space in one call.
---@param opts? {boilerplate?: boolean, patterns?: string|string[], builtin?: boolean, site_patterns?: string, captions?: boolean, keep_unique?: boolean, repeats?: boolean, removed?: boolean}
---@return string|nil text, table<string, integer>|string counts by reason (or the message), {reason: string, text: string}[]|integer|nil removed with opts.removed (or the position)
function copydesk.clean(s, opts) end

---@param opts? {body?: string, sentences?: boolean}
---@return string text, copydesk.Removal[] inserted
function copydesk.split_glued(s, opts) end

---@param v string|number
---@return string|nil iso, number? epoch, boolean? has_time
function copydesk.parse_date(v) end

---@return boolean
function copydesk.url_valid(s) end

---@return table<string, number|boolean> measures
function copydesk.quality(s) end

---@return true|nil ok, integer? position of the first bad byte
function copydesk.utf8_valid(s) end

---@return fun(): string?, boolean? iterator of name, is_dir, nil, nil, copydesk.Dir
function copydesk.dir(path) end

---@return true|nil ok, string? message, integer? errno
function copydesk.mkdir(path) end

---@return "file"|"folder"|"other"|nil kind, string? message, integer? errno
function copydesk.path_type(path) end

---The whole file, or its first max_len + 1 bytes when it is longer, and the file's size (0 for
---a pipe or device); one open, fstat and read for a regular file.
---@param max_len? integer
---@return string|nil bytes, integer|string size_or_message, integer? errno
function copydesk.read_file(path, max_len) end

---@return integer|nil size, string? message, integer? errno
function copydesk.file_size(path) end

---@param unit? "word"|"sentence"|"grapheme"
---@return fun(): string?, integer?, integer?, string? iterator of segment, first, last, kind
function copydesk.segments(s, unit) end

---@return integer
function copydesk.count(s, unit, kinds) end

---@param opts? {abbreviations?: table, rules?: "english"|"uax29", wrapped?: boolean, trim?: boolean}
---@return fun(): string?, integer?, integer? iterator of sentence, first, last
function copydesk.sentences(s, opts) end

---@return integer
function copydesk.count_sentences(s, opts) end

---@return table|nil list, string? message, integer? position
function copydesk.abbreviations(text_or_list, opts) end

---@return string[]
function copydesk.builtin_abbreviations() end

---@param opts? {lower?: boolean, casefold?: boolean, punct?: boolean, ptb?: boolean, split_hyphens?: boolean, split_elisions?: boolean, entities?: boolean}
---@return fun(): string?, integer?, integer?, string? iterator of word, first, last, kind
function copydesk.words(s, opts) end

---@return integer
function copydesk.count_words(s, opts) end

---@return fun(): string?, integer?, integer? iterator of n-gram, first, last
function copydesk.ngrams(s, n, opts) end

---@return integer[] hashes 64-bit shingle hashes
function copydesk.shingles(s, n, opts) end

---@param form? "NFC"|"NFD"|"NFKC"|"NFKD"
---@return string|nil text, string? message, integer? position
function copydesk.normalize(s, form) end

---@return boolean
function copydesk.is_normalized(s, form) end

---@return string|nil text, string? message, integer? position
function copydesk.lower(s) end
---@return string|nil text, string? message, integer? position
function copydesk.upper(s) end
---@return string|nil text, string? message, integer? position
function copydesk.casefold(s) end
---@return string|nil text, string? message, integer? position
function copydesk.strip_accents(s) end
---@return string|nil text, string? message, integer? position
function copydesk.slug(s) end
---@return integer|nil columns, string? message, integer? position
function copydesk.width(s) end
---@param unit? "codepoint"|"grapheme"
---@return integer|nil count, string? message, integer? position
function copydesk.len(s, unit) end

---Lua patterns over characters; positions are bytes.
---@return integer|nil first, integer? last, any ... captures
function copydesk.find(s, pattern, init, plain) end
---@return any ... captures
function copydesk.match(s, pattern, init) end
---@return fun(): any ... iterator of captures
function copydesk.gmatch(s, pattern, init) end
---@param repl string|table|function
---@return string text, integer matches
function copydesk.gsub(s, pattern, repl, n) end

---@param opts? {num_perm?: integer, ngram?: integer, seed?: integer, keys?: boolean}
---@return string signature a byte string carrying its settings, string? keys with keys = true
function copydesk.minhash(text, opts) end
---@return number|nil similarity, string? message
function copydesk.minhash_similarity(a, b) end
---@return table|nil info, string? message
function copydesk.minhash_info(sig) end
---@return integer[] keys, integer rows
function copydesk.band_keys(sig, opts) end
---The distinct shingle keys of a text (what minhash permutes), sorted, 4 bytes each.
---@param opts? {ngram?: integer}
---@return string keys
function copydesk.shingle_keys(text, opts) end
---The exact Jaccard similarity of two sets of shingle keys.
---@return number|nil similarity, string? message
function copydesk.shingle_keys_jaccard(a, b) end
---How far from the threshold an estimate must be to be trusted without the exact similarity.
---@param num_perm? integer
---@return number margin
function copydesk.minhash_margin(threshold, num_perm) end

---Reads a plain, gzip or zstd file ("-": standard input) line by line, with line numbers.
---@param opts? {max_line?: integer}
---@return fun(): integer?, string?, string?, string? iterator of number, line (or number, nil, message, reason), then nil, nil and the reader
function copydesk.lines(path, opts) end

---Reads one JSON-lines record as an article.
---@param opts? {text?: string, id?: string, max_depth?: integer}
---@return copydesk.Article|nil article, string? message, integer? position
function copydesk.parse_json(record, opts) end

---Opens a file for writing, compressed or not.
---@param compression "none"|"gzip"|"zstd"
---@return table|nil writer, string? message, integer? errno
function copydesk.writer(path, compression, level) end

---@param stream "stdin"|"stdout"|"stderr"
---@return boolean
function copydesk.is_terminal(stream) end

---@return number seconds from a monotonic clock
function copydesk.clock() end

---@return integer processors online
function copydesk.cpu_count() end

return copydesk
