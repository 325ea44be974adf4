/*
** copydesk.h: the public C API of copydesk, a toolkit for cleaning scraped news articles.
**
** Conventions (see README.md, "Embedding in C"):
** - Every text input is `const char *s, size_t len`; a zero byte is data.
** - Text output goes into a caller-owned `copydesk_buf`, reused across calls.
** - A function that can fail on data returns a `copydesk_code` (COPYDESK_OK is 0) and fills the
**   optional `copydesk_err *err` (NULL allowed) with code, static message, byte offset, line, column.
** - Memory comes from the optional `copydesk_alloc` hooks; NULL means malloc/realloc/free.
**   libyaml, jansson, zlib and libzstd allocate their own short-lived internals through libc,
**   outside the hooks.
** - No global mutable state: every function is reentrant; an object serves one thread at a time.
*/
#ifndef COPYDESK_H
#define COPYDESK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define COPYDESK_API __attribute__((visibility("default")))
#define COPYDESK_NODISCARD __attribute__((warn_unused_result))
#else
#define COPYDESK_API
#define COPYDESK_NODISCARD
#endif

#define COPYDESK_VERSION_MAJOR 0
#define COPYDESK_VERSION_MINOR 1
#define COPYDESK_VERSION_PATCH 0
#define COPYDESK_VERSION_STRING "0.1.0"

/** The library's version, "MAJOR.MINOR.PATCH"; a static string. */
COPYDESK_API const char *copydesk_version(void);

/** The Unicode version of utf8proc, which copydesk uses for properties and normalisation. */
COPYDESK_API const char *copydesk_unicode_version(void);

/* ------------------------------------------------------------------------------------------ */
/* Errors                                                                                      */

typedef enum copydesk_code {
  COPYDESK_OK = 0,
  COPYDESK_ERR_NOMEM,          /**< an allocation failed */
  COPYDESK_ERR_INVALID,        /**< an argument is invalid (unknown option bit, bad enum, NULL) */
  COPYDESK_ERR_OVERFLOW,       /**< a size would overflow size_t */
  COPYDESK_ERR_UTF8,           /**< input is not valid UTF-8 where UTF-8 is required */
  COPYDESK_ERR_YAML,           /**< the front matter is not valid YAML */
  COPYDESK_ERR_UNCLOSED,       /**< the front matter has no closing `---` line */
  COPYDESK_ERR_NOT_MAPPING,    /**< the front matter is valid YAML but not a mapping */
  COPYDESK_ERR_DEPTH,          /**< nesting deeper than the limit */
  COPYDESK_ERR_ALIAS,          /**< a YAML alias (`*name`): not expanded, by design */
  COPYDESK_ERR_TOO_LARGE,      /**< input larger than the configured limit */
  COPYDESK_ERR_EMIT,           /**< a value cannot be written in the requested format */
  COPYDESK_ERR_IO,             /**< reading or writing a file failed (see errno) */
  COPYDESK_ERR_JSON,           /**< a JSON-lines record is not valid JSON */
  COPYDESK_ERR_NOT_RECORD,     /**< valid JSON, but not an object with a text string */
  COPYDESK_ERR_COUNT_          /**< number of codes; not an error */
} copydesk_code;

typedef struct copydesk_err {
  copydesk_code code;  /**< COPYDESK_OK when nothing went wrong */
  const char *msg;     /**< static string, never freed; "" when code is COPYDESK_OK */
  const char *context; /**< static string naming what was being parsed, or "" */
  size_t pos;          /**< 0-based byte offset of the problem in the input */
  size_t line;         /**< 1-based line of `pos` (0 when the input has no lines) */
  size_t col;          /**< 1-based column of `pos`, in bytes */
} copydesk_err;

/** A short, static, lower-case name for `code` ("out of memory", ...); never NULL. */
COPYDESK_API const char *copydesk_strerror(copydesk_code code);

/** A stable kebab-case name for `code` ("front-matter", "not-utf8", ...) for reports. */
COPYDESK_API const char *copydesk_code_name(copydesk_code code);

/* ------------------------------------------------------------------------------------------ */
/* Memory                                                                                      */

/** Allocation hooks. `realloc` gets the old size so a host allocator (lua_Alloc) can be used. */
typedef struct copydesk_alloc {
  void *(*malloc)(void *ctx, size_t n);
  void *(*realloc)(void *ctx, void *p, size_t old, size_t n);
  void (*free)(void *ctx, void *p, size_t n);
  void *ctx;
} copydesk_alloc;

/** A growable byte buffer. `data` is always zero-terminated when non-NULL (not counted in len).
** Initialise with copydesk_buf_init, release with copydesk_buf_free; the caller owns it. Text
** functions append to it: reset `len` to 0 (copydesk_buf_clear) to reuse the memory. */
typedef struct copydesk_buf {
  char *data;
  size_t len;
  size_t cap;
  const copydesk_alloc *alc; /**< borrowed; must outlive the buffer; NULL means libc */
} copydesk_buf;

/** Sets `b` empty, using `alc` (NULL for libc). Allocates nothing. */
COPYDESK_API void copydesk_buf_init(copydesk_buf *b, const copydesk_alloc *alc);
/** Frees the memory of `b` and leaves it empty and reusable. Accepts NULL. */
COPYDESK_API void copydesk_buf_free(copydesk_buf *b);
/** Sets the length to 0, keeping the memory. */
COPYDESK_API void copydesk_buf_clear(copydesk_buf *b);
/** Makes room for `n` more bytes. @return COPYDESK_OK, COPYDESK_ERR_NOMEM or _OVERFLOW. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_buf_reserve(copydesk_buf *b, size_t n);
/** Appends `len` bytes of `s`. @return as copydesk_buf_reserve. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_buf_append(copydesk_buf *b, const char *s,
                                                                 size_t len);

/* ------------------------------------------------------------------------------------------ */
/* UTF-8                                                                                       */

/** Checks that s[0..len) is valid UTF-8 (no surrogates, no overlongs, at most U+10FFFF).
** @return 1 if valid; 0 if not, with *bad_pos (if non-NULL) set to the first bad byte. */
COPYDESK_API int copydesk_utf8_valid(const char *s, size_t len, size_t *bad_pos);

/** Computes the 1-based line and byte column of offset `pos` in s[0..len). */
COPYDESK_API void copydesk_locate(const char *s, size_t len, size_t pos, size_t *line,
                                  size_t *col);

/* ------------------------------------------------------------------------------------------ */
/* Values: the typed metadata of an article (YAML front matter, JSON fields)                  */

typedef enum copydesk_type {
  COPYDESK_NULL = 0,
  COPYDESK_BOOL,
  COPYDESK_INT,
  COPYDESK_FLOAT,
  COPYDESK_STRING,
  COPYDESK_LIST,
  COPYDESK_MAP
} copydesk_type;

typedef struct copydesk_value copydesk_value;
typedef struct copydesk_pair copydesk_pair;

/** A metadata value. Strings are UTF-8, zero-terminated, may hold zero bytes (use len).
** A LIST holds `n` items; a MAP holds `n` pairs in document order. */
struct copydesk_value {
  copydesk_type type;
  union {
    int boolean;
    int64_t integer;
    double number;
    struct { char *s; size_t len; } str;
    struct { copydesk_value *items; size_t n, cap; } list;
    struct { copydesk_pair *pairs; size_t n, cap; } map;
  } u;
};

struct copydesk_pair {
  char *key;      /**< UTF-8, zero-terminated */
  size_t key_len;
  copydesk_value value;
};

/** Frees what `v` owns (strings, items, pairs) with `alc` and sets it to NULL type. */
COPYDESK_API void copydesk_value_clear(copydesk_value *v, const copydesk_alloc *alc);
/** Sets `v` (cleared first) to a copy of the string s[0..len). @return OK or ERR_NOMEM. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_value_set_string(copydesk_value *v,
    const char *s, size_t len, const copydesk_alloc *alc);
/** Appends a NULL item to LIST `list`. @return the new item, or NULL when out of memory or when
** `list` is not a LIST (set `type` on a zeroed value first).
** The pointer is valid until the next push on the same list. */
COPYDESK_API copydesk_value *copydesk_list_push(copydesk_value *list, const copydesk_alloc *alc);
/** Appends a pair with a copy of key k[0..klen) and a NULL value to MAP `map`. Does not look for
** an existing key. @return the new value slot, or NULL when out of memory or `map` is not a MAP. */
COPYDESK_API copydesk_value *copydesk_map_push(copydesk_value *map, const char *k, size_t klen,
                                               const copydesk_alloc *alc);
/** The value of key k[0..klen) in MAP `map` (the last one if repeated), or NULL. */
COPYDESK_API copydesk_value *copydesk_map_get(const copydesk_value *map, const char *k,
                                              size_t klen);
/** Removes key k[0..klen) (every occurrence) from MAP `map`. @return how many were removed. */
COPYDESK_API size_t copydesk_map_remove(copydesk_value *map, const char *k, size_t klen,
                                        const copydesk_alloc *alc);

/* ------------------------------------------------------------------------------------------ */
/* Articles                                                                                    */

typedef enum copydesk_format {
  COPYDESK_FORMAT_PLAIN = 0,    /**< no header: the whole text is the body */
  COPYDESK_FORMAT_FRONT_MATTER, /**< YAML between `---` lines, then the body */
  COPYDESK_FORMAT_DATED,        /**< a first line ` date YYYY-MM-DD ` then the body */
  COPYDESK_FORMAT_JSON,         /**< render only: one JSON object on one line, no newline */
  COPYDESK_FORMAT_TEXT          /**< render only: the title (if any), a blank line, the body */
} copydesk_format;

/** A parsed article. Owns `meta` and `body`; free with copydesk_article_free. */
typedef struct copydesk_article {
  copydesk_format format;  /**< how it was written: PLAIN, FRONT_MATTER or DATED */
  copydesk_value meta;     /**< always a MAP (possibly empty) */
  char *body;              /**< UTF-8 as given, zero-terminated; never NULL */
  size_t body_len;
  size_t body_line;        /**< 1-based line of the input where the body starts */
  const copydesk_alloc *alc;
} copydesk_article;

typedef struct copydesk_parse_opts {
  size_t max_depth;        /**< front matter nesting limit; 0 means 64 */
  size_t max_len;          /**< input size limit in bytes; 0 means no limit */
} copydesk_parse_opts;

/** Parses an article file: YAML front matter (trailing white space allowed on `---` lines and
** keys; scalars typed as YAML 1.2 core: null, bool, int, float, string), or a ` date YYYY-MM-DD `
** first line (its date goes to meta.date, the rest of the line starts the body), or plain text.
** @param[in] s, len   the file's bytes; not retained
** @param[in] opts     limits, or NULL for defaults
** @param[in] alc      allocation hooks for the result, or NULL; must outlive the article
** @param[out] out     on success a new article, to free with copydesk_article_free; else NULL
** @param[out] err     optional; on failure code, message and the position in `s`
** @return COPYDESK_OK; ERR_YAML, ERR_UNCLOSED, ERR_NOT_MAPPING, ERR_DEPTH, ERR_ALIAS (front
**         matter, with the line in `s`), ERR_UTF8 (invalid UTF-8 in the front matter, at the
**         first bad byte), ERR_TOO_LARGE, ERR_INVALID (out NULL, or s NULL with len > 0),
**         ERR_NOMEM. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_article_parse(const char *s, size_t len,
    const copydesk_parse_opts *opts, const copydesk_alloc *alc, copydesk_article **out,
    copydesk_err *err);

/** Creates an empty PLAIN article (empty meta map, empty body). @return NULL when out of memory. */
COPYDESK_API copydesk_article *copydesk_article_new(const copydesk_alloc *alc);

/** Replaces the body with a copy of s[0..len). @return OK or ERR_NOMEM (body unchanged). */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_article_set_body(copydesk_article *a,
    const char *s, size_t len);

/** Frees an article and all it owns. Accepts NULL. */
COPYDESK_API void copydesk_article_free(copydesk_article *a);

/** Appends the article to `out` in `format`:
** - FRONT_MATTER: `---\n`, the meta as block YAML (libyaml's emitter), `---\n`, the body, whose
**   trailing newlines are folded to one; with empty meta only the body, unless the body would
**   parse as a header, which then gets an empty `---\n---\n` first.
** - DATED: ` date VALUE ` then the body; ERR_EMIT unless meta holds only `date`, a YYYY-MM-DD
**   string.
** - JSON: `{"meta-key": ..., ..., "text": BODY}` on one line, meta keys first; no newline.
** - TEXT: meta.title (if a string, without trailing white space), a blank line, then the body;
**   ends with a newline.
** - PLAIN: the body alone.
** On failure `out` is restored to its length on entry.
** @return OK; ERR_EMIT (a NaN or infinite number in JSON, a key named "text" or holding a zero
**         byte in JSON meta, DATED with other meta); ERR_UTF8 (invalid UTF-8 in a string);
**         ERR_NOMEM. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_article_render(const copydesk_article *a,
    copydesk_format format, copydesk_buf *out, copydesk_err *err);

/* ------------------------------------------------------------------------------------------ */
/* Repair                                                                                      */

/** Steps of copydesk_fix. Each is a bit; the presets COPYDESK_FIX_DEFAULT (news: keeps curly
** quotes and full-width forms) and COPYDESK_FIX_FTFY (ftfy 6.3's fix_text defaults) select sets. */
typedef enum copydesk_fix_flag {
  COPYDESK_FIX_MOJIBAKE    = 1u << 0, /**< undo UTF-8 read in a single-byte code page */
  COPYDESK_FIX_LINE_BREAKS = 1u << 1, /**< CRLF, CR, U+2028/9, NEL -> \n */
  COPYDESK_FIX_CONTROLS    = 1u << 2, /**< drop C0/C1 controls (not \t \n), BOMs, U+FFFE/F */
  COPYDESK_FIX_NFC         = 1u << 3, /**< Unicode NFC through utf8proc */
  COPYDESK_FIX_REPLACE_INVALID = 1u << 4, /**< invalid bytes -> U+FFFD, not Windows-1252 */
  COPYDESK_FIX_LOSSY       = 1u << 5, /**< mojibake that lost a byte (U+FFFD or "?" in it) -> U+FFFD */
  COPYDESK_FIX_C1          = 1u << 6, /**< C1 controls read as Windows-1252 (U+0085 -> "…") */
  COPYDESK_FIX_ENTITIES    = 1u << 7, /**< HTML character references, unless the text has '<' */
  COPYDESK_FIX_ENTITIES_DOUBLE = 1u << 8, /**< with ENTITIES: "&amp;eacute;" -> "é" too */
  COPYDESK_FIX_TERMINAL    = 1u << 9, /**< drop terminal escapes (ESC [ ... final byte) */
  COPYDESK_FIX_QUOTES      = 1u << 10, /**< curly quotes -> ' and " */
  COPYDESK_FIX_WIDTH       = 1u << 11, /**< full-width ASCII, U+3000, half-width kana -> usual */
  COPYDESK_FIX_LIGATURES   = 1u << 12, /**< Latin ligatures (U+FB00..U+FB06) -> letters */
  COPYDESK_FIX_COMPAT      = 1u << 13, /**< with NFC: NFKC */
  COPYDESK_FIX_KEEP_C1     = 1u << 14, /**< with CONTROLS: keep C1 controls and form feed (ftfy) */
  COPYDESK_FIX_DECOMPOSE   = 1u << 15, /**< with NFC: NFD (NFKD with COMPAT) */
  COPYDESK_FIX_DEFAULT = COPYDESK_FIX_MOJIBAKE | COPYDESK_FIX_LINE_BREAKS | COPYDESK_FIX_CONTROLS |
                         COPYDESK_FIX_NFC | COPYDESK_FIX_C1 | COPYDESK_FIX_ENTITIES |
                         COPYDESK_FIX_TERMINAL,
  COPYDESK_FIX_FTFY = COPYDESK_FIX_DEFAULT | COPYDESK_FIX_LOSSY | COPYDESK_FIX_QUOTES |
                      COPYDESK_FIX_WIDTH | COPYDESK_FIX_LIGATURES | COPYDESK_FIX_KEEP_C1
} copydesk_fix_flag;

/** One change copydesk_fix made, for explanations: where in the input, where in the output. A
** deletion has out_len 0, an insertion len 0. Changes made to text an earlier change produced
** (mojibake undone twice) cover the input span that text came from. */
typedef struct copydesk_fix_change {
  size_t pos, len;         /**< bytes of the input */
  size_t out_pos, out_len; /**< bytes of the output */
  const char *step;        /**< static: "decode", "entities", "terminal", "mojibake", "chars",
                                "line-breaks", "controls", "normalize" */
  const char *reason;      /**< static: the code page ("windows-1251"), "invalid-byte",
                                "surrogate", "html-entity", "c1-control", "quote", ... */
  size_t stage;            /**< the how-manyth text-changing pass made it, from 0 */
} copydesk_fix_change;

/** One step of a plan, as ftfy writes them: ("encode", "windows-1252"), ("decode", "utf-8"),
** ("decode", PAGE) after ("encode", "windows-1252") for a script hint,
** ("unescape", "html"), ("remove", "terminal-escapes"), ("transcode", "c1-controls"),
** ("fold", "quotes"|"width"|"ligatures"), ("normalize", "line-breaks"|"NFC"|"NFKC"|"NFD"|"NFKD"),
** ("remove", "controls"), ("decode-invalid", "windows-1252"|"replace"). Strings are static. */
typedef struct copydesk_fix_plan_step {
  const char *action;
  const char *name;
} copydesk_fix_plan_step;

/** What copydesk_fix did, when asked through copydesk_fix_opts.report. Initialise to all zero
** (alc may be set first; NULL means libc), reuse across calls (each call empties it first), free
** with copydesk_fix_report_free. */
typedef struct copydesk_fix_report {
  copydesk_fix_change *changes; /**< in the order made */
  size_t nchanges, changes_cap;
  copydesk_fix_plan_step *plan; /**< the steps applied, in order */
  size_t nplan, plan_cap;
  const copydesk_alloc *alc;
} copydesk_fix_report;

/** Frees the report's memory and leaves it empty. Accepts NULL. */
COPYDESK_API void copydesk_fix_report_free(copydesk_fix_report *r);

/** Script hints: the legacy code page a text may have been written in before it was read as
** Windows-1252 (or Latin-1). With a hint, runs of such text are decoded again from that page
** ("Ôèëüòðóþùèé" -> "Фильтрующий" with COPYDESK_HINT_CYRILLIC): for Cyrillic and Greek, whole
** words read as letters of the script, in lines with a word of three letters or more; for the
** Latin pages, runs whose reading makes the text less odd ("za¿ó³æ" -> "zażółć"). */
typedef enum copydesk_fix_hint {
  COPYDESK_HINT_NONE = 0,
  COPYDESK_HINT_CYRILLIC,  /**< Windows-1251 */
  COPYDESK_HINT_GREEK,     /**< Windows-1253 */
  COPYDESK_HINT_CENTRAL,   /**< Windows-1250: Polish, Czech, Slovak, Hungarian, ... */
  COPYDESK_HINT_TURKISH,   /**< Windows-1254 */
  COPYDESK_HINT_BALTIC,    /**< Windows-1257 */
  COPYDESK_HINT_MAC,       /**< MacRoman */
  COPYDESK_HINT_DOS,       /**< CP437 */
  COPYDESK_HINT_COUNT_     /**< number of hints; not a hint */
} copydesk_fix_hint;

typedef struct copydesk_fix_opts {
  unsigned flags;              /**< copydesk_fix_flag bits; unknown bits are ERR_INVALID */
  copydesk_fix_report *report; /**< NULL, or filled with the plan and every change */
  copydesk_fix_hint hint;      /**< COPYDESK_HINT_NONE, or a script hint (out of range:
                                    ERR_INVALID); runs after mojibake repair when given */
} copydesk_fix_opts;

/** Repairs text, step by step in this order: invalid bytes (decoded as Windows-1252, as browsers
** do, or, with COPYDESK_FIX_REPLACE_INVALID, replaced by U+FFFD; surrogates written as UTF-8 are
** paired or replaced), HTML references, terminal escapes, then, until nothing changes, mojibake
** (UTF-8 read as Windows-1252, Latin-1, Windows-1250/1251/1253/1254/1257, ISO-8859-2, MacRoman
** or CP437, once or more, in whole lines or single words; a line is read in the one code page that
** makes it less odd, and only on evidence enough) and the character steps (C1, quotes, width,
** ligatures), line breaks, controls, normalisation. The output appended to `out` is always valid
** UTF-8, holds no U+FFFD that the input did not hold or imply (invalid bytes replaced on request,
** lone surrogates, COPYDESK_FIX_LOSSY), and fixing it again changes nothing.
** Reentrant; memory comes from out->alc.
** @param[in] opts     NULL means COPYDESK_FIX_DEFAULT
** @param[out] changes optional: how many repairs were made (0: the output equals the input)
** @return OK, ERR_INVALID (unknown flag), ERR_NOMEM, ERR_OVERFLOW. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_fix(const char *s, size_t len,
    const copydesk_fix_opts *opts, copydesk_buf *out, size_t *changes, copydesk_err *err);

/** Replays a plan (from a copydesk_fix_report, or written by hand with the actions and names
** listed at copydesk_fix_plan_step) on s[0..len), which must be valid UTF-8. An ("encode", PAGE)
** step must be followed by a ("decode", "utf-8") or ("decode", PAGE2) step: the text is encoded
** in PAGE whole and the bytes read as UTF-8 or in PAGE2. Appends the result to `out`; on failure `out` keeps its length.
** @return OK; ERR_UTF8 (s is not valid UTF-8, a character PAGE lacks, or bytes that are not
**         UTF-8 after encoding: err->pos is the offending byte of the text the step was given);
**         ERR_INVALID (an unknown action or name, an encode without its decode; err->pos is the
**         step's index); ERR_NOMEM. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_fix_apply_plan(const char *s, size_t len,
    const copydesk_fix_plan_step *plan, size_t nplan, copydesk_buf *out, copydesk_err *err);

/* ------------------------------------------------------------------------------------------ */
/* Segmentation and tokens (UAX #29 and English sentences)                                    */

typedef enum copydesk_seg_unit {
  COPYDESK_SEG_GRAPHEME = 0, /**< extended grapheme clusters */
  COPYDESK_SEG_WORD,         /**< UAX #29 word boundaries: words, spaces and punctuation alike */
  COPYDESK_SEG_SENTENCE      /**< UAX #29 sentence boundaries */
} copydesk_seg_unit;

/** What a segment holds. Words and graphemes get a kind from the code points they hold (the first
** of LETTERS, NUMBER, KANA, IDEO, EMOJI, PUNCT, SPACE that applies); sentences are always OTHER. */
typedef enum copydesk_token_kind {
  COPYDESK_TOKEN_OTHER = 0, /**< none of the below (controls, lone marks, invalid bytes) */
  COPYDESK_TOKEN_SPACE,     /**< white space only (newlines included) */
  COPYDESK_TOKEN_PUNCT,     /**< punctuation and symbols */
  COPYDESK_TOKEN_LETTERS,   /**< a word with letters (may hold digits, marks, apostrophes) */
  COPYDESK_TOKEN_NUMBER,    /**< digits with their separators (3.5, 1,000) */
  COPYDESK_TOKEN_IDEO,      /**< one ideograph (Han), or Hiragana */
  COPYDESK_TOKEN_KANA,      /**< a run of Katakana */
  COPYDESK_TOKEN_EMOJI,     /**< an emoji sequence (flags, ZWJ sequences, modifiers) */
  COPYDESK_TOKEN_URL,       /**< copydesk_words only: http://, https:// or www. up to a space */
  COPYDESK_TOKEN_EMAIL,     /**< copydesk_words only: an e-mail address */
  COPYDESK_TOKEN_HANDLE,    /**< copydesk_words only: @name */
  COPYDESK_TOKEN_HASHTAG    /**< copydesk_words only: #name */
} copydesk_token_kind;

/** A segmentation cursor: a caller-held struct, initialised by copydesk_seg_init, advanced by
** copydesk_seg_next; it allocates nothing. Its fields are private. The text must outlive it.
** Any number of cursors may run at once, in any threads. */
typedef struct copydesk_seg {
  const char *s;
  size_t len, pos;
  copydesk_seg_unit unit;
} copydesk_seg;

/** Starts a cursor over s[0..len) (valid UTF-8 expected; an invalid byte is one segment of its
** own, kind OTHER). s may be NULL when len is 0. */
COPYDESK_API void copydesk_seg_init(copydesk_seg *c, const char *s, size_t len,
                                    copydesk_seg_unit unit);

/** Advances to the next segment. @return 1 and sets *pos and *len (bytes; the segments cover the
** text exactly, in order) and *kind (optional, NULL allowed); 0 at the end. */
COPYDESK_API int copydesk_seg_next(copydesk_seg *c, size_t *pos, size_t *len,
                                   copydesk_token_kind *kind);

/** Counts the segments of s[0..len) whose kind k has bit (1u << k) set in `kinds`; 0 counts all.
** Example: (1u << COPYDESK_TOKEN_LETTERS) | (1u << COPYDESK_TOKEN_NUMBER) counts words. */
COPYDESK_API size_t copydesk_seg_count(const char *s, size_t len, copydesk_seg_unit unit,
                                       unsigned kinds);

/** The Unicode version of the segmentation tables ("15.0.0"); equals copydesk_unicode_version()
** (a test checks it). */
COPYDESK_API const char *copydesk_seg_unicode_version(void);

/** A list of abbreviations for the English sentence splitter; an opaque handle. */
typedef struct copydesk_abbrevs copydesk_abbrevs;

/** How a period after an abbreviation behaves before the next word. Every class joins a
** lower-case word; the end of a line or of the text always ends the sentence. */
typedef enum copydesk_abbrev_class {
  COPYDESK_ABBREV_PLAIN = 0, /**< ends a sentence only before a usual opener ("U.S. The") */
  COPYDESK_ABBREV_TITLE,     /**< never ends one inside a paragraph ("Dr. Jones") */
  COPYDESK_ABBREV_NUMBER,    /**< joins a number ("No. 5"); otherwise as PLAIN */
  COPYDESK_ABBREV_FINAL      /**< ends one before any capitalised word ("5 p.m. Police") */
} copydesk_abbrev_class;

typedef enum copydesk_abbrevs_flag {
  COPYDESK_ABBREVS_NO_BUILTIN = 1u << 0 /**< start empty instead of with the built-in list */
} copydesk_abbrevs_flag;

/** Creates an abbreviation list holding the built-in news list (unless NO_BUILTIN).
** @param[out] out  the list, to free with copydesk_abbrevs_free; NULL on failure
** @return OK, ERR_INVALID (unknown flag, out NULL), ERR_NOMEM. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_abbrevs_new(const copydesk_alloc *alc,
    unsigned flags, copydesk_abbrevs **out);

/** Adds abbreviations, one a line: the abbreviation with its final period ("Gen.", "et al."),
** then optionally white space and a class name (plain, title, number, final; plain if none).
** Blank lines and lines starting with `#` are skipped; an entry already present is reclassified.
** Matching is case-sensitive, except that an all-capitals word also finds its capitalised entry.
** @return OK; ERR_INVALID (a line without its period, or longer than 64 bytes with it;
** err->pos is the line's start; the lines before it were added); ERR_NOMEM. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_abbrevs_load(copydesk_abbrevs *a,
    const char *s, size_t len, copydesk_err *err);

/** Frees the list. Accepts NULL. */
COPYDESK_API void copydesk_abbrevs_free(copydesk_abbrevs *a);

/** The i-th entry of the built-in list (from 0): text without its final period (static), its
** length and class. @return 1, or 0 past the end. */
COPYDESK_API int copydesk_abbrevs_builtin(size_t i, const char **text, size_t *len,
                                          copydesk_abbrev_class *cls);

/** "plain", "title", "number" or "final"; "unknown" for any other value. */
COPYDESK_API const char *copydesk_abbrev_class_name(copydesk_abbrev_class cls);

typedef enum copydesk_sent_flag {
  COPYDESK_SENT_UAX29 = 1u << 0,   /**< the plain UAX #29 rules instead of the English ones */
  COPYDESK_SENT_WRAPPED = 1u << 1, /**< one line break is a space; a blank line ends a sentence */
  COPYDESK_SENT_TRIM = 1u << 2     /**< give sentences without surrounding white space, and skip
                                        white space alone (the sentences no longer cover it) */
} copydesk_sent_flag;

/** An English sentence cursor: caller-held, allocates nothing; fields private. */
typedef struct copydesk_sent {
  const char *s;
  size_t len, pos;
  const copydesk_abbrevs *abbrevs;
  unsigned flags;
  copydesk_seg seg;
} copydesk_sent;

/** Starts a sentence cursor over s[0..len) with the rules of English news prose: abbreviations,
** initials, decimals, ellipses, quotes and brackets after the mark, speech tags, list markers,
** URLs, lower-case continuation; a line break ends a sentence (see the flags).
** @param abbrevs  the abbreviation list, borrowed (must outlive the cursor); NULL: built-in
** @return OK, ERR_INVALID (unknown flag). */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_sent_init(copydesk_sent *c, const char *s,
    size_t len, const copydesk_abbrevs *abbrevs, unsigned flags);

/** Advances to the next sentence. @return 1 and sets *pos and *len; 0 at the end. Without
** COPYDESK_SENT_TRIM the sentences cover the text exactly: each holds the white space after it
** (and the first, the white space before it). */
COPYDESK_API int copydesk_sent_next(copydesk_sent *c, size_t *pos, size_t *len);

/** The number of sentences copydesk_sent gives for s[0..len) (0 for unknown flags). */
COPYDESK_API size_t copydesk_sent_count(const char *s, size_t len, const copydesk_abbrevs *abbrevs,
                                        unsigned flags);

/** Switches of copydesk_words; 0 gives word tokens only, URLs and the like kept whole. */
typedef enum copydesk_words_flag {
  COPYDESK_WORDS_PUNCT = 1u << 0,          /**< also punctuation, symbol and emoji tokens */
  COPYDESK_WORDS_PTB = 1u << 1,            /**< Penn Treebank style: clitics split ("do" "n't",
                                                "I" "'m"), punctuation kept, "..." and "--" one
                                                token each */
  COPYDESK_WORDS_SPLIT_HYPHENS = 1u << 2,  /**< "well-known" is three tokens, not one */
  COPYDESK_WORDS_SPLIT_ELISIONS = 1u << 3, /**< "l'homme" is "l'" and "homme" (French, Italian) */
  COPYDESK_WORDS_NO_ENTITIES = 1u << 4     /**< URLs, e-mail addresses, @handles and #hashtags
                                                split as UAX #29 splits them */
} copydesk_words_flag;

/** A word token cursor (UAX #29 words with the joins and splits of the flags); caller-held,
** allocates nothing; fields private. Tokens are slices of the input: no case change, no
** rewriting (PTB's `` and '' are not produced). */
typedef struct copydesk_words {
  copydesk_seg seg;
  unsigned flags;
  size_t pending_pos, pending_len;
  copydesk_token_kind pending_kind;
} copydesk_words;

/** Starts a word cursor over s[0..len). Word tokens are the UAX #29 words that carry letters or
** digits (kinds LETTERS, NUMBER, IDEO, KANA) plus URL, EMAIL, HANDLE, HASHTAG; an acronym or
** an abbreviation of the built-in list keeps its final period ("U.S.", "Mr.", "Ph.D."), even at
** the end of a sentence; hyphenated words are one token; currency and percent signs are
** punctuation ("£" "500,000", "3.5" "%"). @return OK, ERR_INVALID (unknown flag). */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_words_init(copydesk_words *w,
    const char *s, size_t len, unsigned flags);

/** Advances to the next token. @return 1 and sets *pos, *len and *kind (optional); 0 at the end. */
COPYDESK_API int copydesk_words_next(copydesk_words *w, size_t *pos, size_t *len,
                                     copydesk_token_kind *kind);

/** The number of tokens copydesk_words gives for s[0..len) with `flags` (0 for unknown flags). */
COPYDESK_API size_t copydesk_words_count(const char *s, size_t len, unsigned flags);

/** Unicode normalisation forms. */
typedef enum copydesk_nf {
  COPYDESK_NFC = 0, COPYDESK_NFD, COPYDESK_NFKC, COPYDESK_NFKD
} copydesk_nf;

/* The text functions below take valid UTF-8 (ERR_UTF8 at the first bad byte otherwise), append
** to `out` (restored to its length on entry on failure) and return OK, ERR_UTF8, ERR_NOMEM or
** ERR_INVALID (out NULL, s NULL with len > 0, bad enum). A quick check first copies what cannot
** change: ASCII and text already in the requested form cost one table load per code point,
** and only the spans around a code point that may change go through utf8proc (scratch memory
** from out->alc, bounded by the longest such span). Zero bytes are data. */

/** 1 if the quick check proves s[0..len) is in `form` (0: not, or not proven, or bad UTF-8). */
COPYDESK_API int copydesk_is_normalized(const char *s, size_t len, copydesk_nf form);
/** Appends s in normalisation form `form` (utf8proc, Unicode of copydesk_unicode_version()). */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_normalize(const char *s, size_t len,
    copydesk_nf form, copydesk_buf *out, copydesk_err *err);
/** Full lower-case mapping (SpecialCasing.txt's unconditional rows, and the final sigma). */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_lower(const char *s, size_t len,
    copydesk_buf *out, copydesk_err *err);
/** Full upper-case mapping ("ß" -> "SS"). */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_upper(const char *s, size_t len,
    copydesk_buf *out, copydesk_err *err);
/** Full case folding, for caseless comparison ("Straße" and "STRASSE" both give "strasse"). */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_casefold(const char *s, size_t len,
    copydesk_buf *out, copydesk_err *err);
/** Removes combining marks (decomposes, drops Mn/Mc/Me, recomposes): "Crème brûlée" -> "Creme
** brulee". Letters that do not decompose stay ("ø", "ł"); meant for Latin, Greek and Cyrillic
** text: the vowel signs of Indic scripts are marks too. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_strip_accents(const char *s, size_t len,
    copydesk_buf *out, copydesk_err *err);
/** A URL slug: accents stripped, lower case, each run of characters other than letters and
** digits one "-", none at either end ("Crème Brûlée: 5 Tips!" -> "creme-brulee-5-tips"). */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_slug(const char *s, size_t len,
    copydesk_buf *out, copydesk_err *err);
/** Sets *cols to the terminal columns of s (utf8proc_charwidth: wide East Asian characters and
** emoji 2, marks and controls 0). @return OK, ERR_UTF8, ERR_INVALID. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_width(const char *s, size_t len,
    size_t *cols, copydesk_err *err);
/** Sets *ncp to the number of code points of s. @return OK, ERR_UTF8, ERR_INVALID. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_len(const char *s, size_t len,
    size_t *ncp, copydesk_err *err);

/** The longest n-gram a shingle cursor takes. */
#define COPYDESK_SHINGLE_MAX 16

/** A cursor over the word n-grams of a text and their 64-bit shingle hashes; caller-held,
** allocates nothing; fields private. */
typedef struct copydesk_shingles {
  copydesk_words w;
  size_t n, seen;
  size_t pos[COPYDESK_SHINGLE_MAX], len[COPYDESK_SHINGLE_MAX];
  uint64_t hash[COPYDESK_SHINGLE_MAX];
} copydesk_shingles;

/** Starts a cursor over the n-grams of n consecutive copydesk_words tokens of s[0..len).
** @param word_flags  copydesk_words_flag bits (0: word tokens only)
** @return OK, ERR_INVALID (n is 0 or above COPYDESK_SHINGLE_MAX, or an unknown flag). */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_shingles_init(copydesk_shingles *sh,
    const char *s, size_t len, size_t n, unsigned word_flags);

/** Advances to the next n-gram (a text of fewer than n words has none). Sets *hash (optional)
** to XXH3-64 of the n words' hashes, each XXH3-64 of the case-folded word, so the hash ignores
** case and the white space and punctuation between words; *pos and *len span the n-gram from
** its first word to its last. @return 1, or 0 at the end. */
COPYDESK_API int copydesk_shingles_next(copydesk_shingles *sh, uint64_t *hash, size_t *pos,
                                        size_t *len);

/** The i-th word (from 0) of the current n-gram. @return 1, or 0 if i >= n or there is none. */
COPYDESK_API int copydesk_shingles_word(const copydesk_shingles *sh, size_t i, size_t *pos,
                                        size_t *len);

/* ------------------------------------------------------------------------------------------ */
/* Cleaning                                                                                    */

/** Why a cleaning step removed or changed text. */
typedef enum copydesk_reason {
  COPYDESK_REASON_BOILERPLATE = 1, /**< a line of site furniture ("Advertisement") */
  COPYDESK_REASON_CAPTION,         /**< a photo caption */
  COPYDESK_REASON_CAPTION_REPEAT,  /**< a photo caption that repeats a body paragraph */
  COPYDESK_REASON_REPEAT,          /**< a paragraph that repeats an earlier one */
  COPYDESK_REASON_GLUE,            /**< a paragraph break put back at a seam ("franchise.And") */
  COPYDESK_REASON_COUNT_
} copydesk_reason;

/** A stable kebab-case name for `r` ("boilerplate", "caption", "caption-repeat", "repeat",
** "glue"); "unknown" for any other value. */
COPYDESK_API const char *copydesk_reason_name(copydesk_reason r);

/** One change made by a cleaning step: input bytes [pos, pos+len) removed and why; len 0 is an
** insertion before input byte pos (GLUE). */
typedef struct copydesk_edit {
  size_t pos;
  size_t len;
  copydesk_reason reason;
} copydesk_edit;

/** A growable list of edits, owned by the caller; init to all zero, free with copydesk_edits_free. */
typedef struct copydesk_edits {
  copydesk_edit *items;
  size_t n, cap;
  const copydesk_alloc *alc;
} copydesk_edits;

/** Frees the list's memory and leaves it empty. Accepts NULL. */
COPYDESK_API void copydesk_edits_free(copydesk_edits *e);

/** Normalises white space: each line trimmed, runs of spaces and tabs (and U+00A0, U+3000 and
** the other Unicode spaces) inside a line folded to one space, runs of blank lines folded to one,
** leading and trailing blank lines removed, and a final newline when the text is non-empty.
** Input must be valid UTF-8 (run copydesk_fix first). @return OK, ERR_UTF8 (err has the first
** bad byte), ERR_NOMEM, ERR_INVALID (out NULL, or s NULL with len > 0). */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_clean_space(const char *s, size_t len,
    copydesk_buf *out, copydesk_err *err);

typedef enum copydesk_boilerplate_flag {
  COPYDESK_BOILERPLATE_NO_BUILTIN = 1u << 0 /**< use only the caller's patterns */
} copydesk_boilerplate_flag;

/** More boilerplate patterns for copydesk_clean_boilerplate; all zero means none. */
typedef struct copydesk_boilerplate_opts {
  const char *patterns; /**< one pattern a line (a file's content will do); NULL: none */
  size_t patterns_len;  /**< bytes of `patterns` */
} copydesk_boilerplate_opts;

/** The i-th pattern of the built-in list (from 0), a static string; NULL past the end. */
COPYDESK_API const char *copydesk_boilerplate_builtin(size_t i);

/** Removes lines that are boilerplate on their own: site furniture in the languages scrapers
** meet ("Advertisement", "Anzeige", "Publicidad", "Share this article"), sign-up prompts ("Sign
** up for our newsletter") and photo credits ("Photo: Reuters", "© 2021 ..."). A line is compared
** in a normal form: white space trimmed and folded, case folded, surrounding brackets and
** trailing punctuation dropped; lines longer than 100 bytes are prose and never match. A
** pattern is in the same normal form, where `*` matches any run of characters ("photo: *").
** In opts->patterns, each line is a pattern (normalised the same way), and empty lines and
** lines starting with `#` are skipped. Words inside prose are never touched. Appends the kept
** text to `out` and one edit per removed line (with its newline) to `edits` (optional).
** @param flags  COPYDESK_BOILERPLATE_NO_BUILTIN or 0
** @param opts   NULL: the built-in list only
** @return OK, ERR_NOMEM, ERR_INVALID (unknown flag, out NULL, or s NULL with len > 0); on
** failure `out` and `edits` keep their length. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_clean_boilerplate(const char *s, size_t len,
    unsigned flags, const copydesk_boilerplate_opts *opts, copydesk_buf *out,
    copydesk_edits *edits, copydesk_err *err);

typedef enum copydesk_caption_flag {
  COPYDESK_CAPTION_KEEP_UNIQUE = 1u << 0 /**< keep captions that repeat no body paragraph */
} copydesk_caption_flag;

/** Removes photo-caption paragraphs: a short label ending in `:`, `!` or `?` (at most five words,
** capitalised), then a sentence, usually without a closing full stop. A caption whose text after
** the label equals, contains or is contained in a body paragraph (ignoring case, spaces and final
** punctuation; containment only for a text at least half the paragraph's length), or, without
** a final full stop, shares two thirds of its distinct words with one both ways (a reworded
** repeat), is recorded as CAPTION_REPEAT. Quotes introduced by a colon, headings, lists and ordinary paragraphs stay.
** Paragraphs are separated by blank lines. Scratch memory comes from out->alc. On failure `out`
** and `edits` keep their length. @return OK, ERR_INVALID (unknown flag), ERR_NOMEM. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_clean_captions(const char *s, size_t len,
    unsigned flags, copydesk_buf *out, copydesk_edits *edits, copydesk_err *err);

/** Options of copydesk_clean_repeats; all zero means defaults. */
typedef struct copydesk_repeat_opts {
  size_t min_len; /**< paragraphs with a shorter normal form (bytes) never count; 0: 24 */
} copydesk_repeat_opts;

/** Removes each paragraph that repeats an earlier paragraph of the text, keeping the first. Two
** paragraphs are the same when their normal forms are equal: letters and digits case-folded,
** every run of other characters one space; so a repeat that differs only in case, punctuation,
** quote style or spacing is found. Short paragraphs (see opts) stay: a repeated "Yes." in an
** interview is speech. A removal takes the blank lines after it (before it at the end), as in
** copydesk_clean_captions; edits have reason REPEAT. Scratch memory comes from out->alc.
** @param opts  NULL: defaults
** @return OK, ERR_NOMEM, ERR_INVALID (out NULL, or s NULL with len > 0); on failure `out` and
** `edits` keep their length. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_clean_repeats(const char *s, size_t len,
    const copydesk_repeat_opts *opts, copydesk_buf *out, copydesk_edits *edits,
    copydesk_err *err);

typedef enum copydesk_glue_flag {
  COPYDESK_GLUE_SENTENCES = 1u << 0 /**< put a space at each seam instead of a blank line */
} copydesk_glue_flag;

/** Splits text whose paragraphs were glued together without a separator, inserting a blank line
** (or a space, with GLUE_SENTENCES) at each seam. Two kinds of seam:
** - "word.Word": '.', '!' or '?' (closing quotes may follow) between a lower-case letter or a
**   digit and an upper-case letter followed by a lower-case one ("franchise.And Tom"); never
**   after an abbreviation ("Mr.", "Dr.", "St."), a one-letter word or a word already holding a
**   dot ("U.S.", "e.g."), and never inside a URL, an e-mail address or a path; "Node.js" and
**   decimals do not have the shape.
** - "wordWord": a lower-case letter then an upper-case one starting a word ("MondayTom"). With
**   a `body`, a seam where the two words before end a paragraph or sentence of the body and the
**   two words after start one. Without a body, only where the word after is one that starts
**   sentences ("The", "He", "But", ...) and the word before has at least three letters and no
**   capital after its first: "McQuarrie", "iPhone", "YouTube" and "JavaScript" stay whole.
** @param body  the text the glued pieces come from (the article body); NULL and 0: none
** @param flags  COPYDESK_GLUE_SENTENCES or 0
** Edits are insertions (len 0, reason GLUE) before input positions. @return OK, ERR_NOMEM,
** ERR_INVALID (unknown flag, out NULL, s or body NULL with a length); on failure `out` and
** `edits` keep their length. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_clean_glue(const char *s, size_t len,
    const char *body, size_t body_len, unsigned flags, copydesk_buf *out, copydesk_edits *edits,
    copydesk_err *err);

/** A point in time read from metadata. */
typedef struct copydesk_date {
  int64_t epoch; /**< seconds since 1970-01-01T00:00:00Z */
  int has_time;  /**< 0 for a calendar date alone ("2020-10-05", "October 5, 2020") */
} copydesk_date;

/** Room copydesk_date_format needs: "YYYY-MM-DDTHH:MM:SSZ" and the terminator. */
#define COPYDESK_DATE_MAX 21

/** Parses a date in the forms news metadata uses: a Unix epoch in seconds or milliseconds
** ("1602509541", "1602509541.0172567", "1602509541017"; magnitudes from 1e11 are milliseconds),
** ISO 8601 ("2020-10-05", "2020-10-05T14:02:00Z", "2020-10-05 14:02:00.123+02:00"), RFC 2822
** ("Mon, 05 Oct 2020 14:02:00 +0000", "... GMT", "... EST") and English forms ("October 5,
** 2020", "5 October 2020", "Oct. 5th, 2020 at 2:02 pm", "Monday, 5 October 2020 14:02 BST").
** A time without a zone is taken as UTC; fractions of a second are dropped. Years run from 1 to
** 9999. Case and surrounding white space do not matter.
** @param[out] out  the date; untouched on failure
** @return OK, or ERR_INVALID with err->msg "not a date" or "impossible date" (February 30th,
** 25:00, a zone beyond +-18:00) and err->pos at the offending byte. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_date_parse(const char *s, size_t len,
    copydesk_date *out, copydesk_err *err);

/** Writes `d` in ISO 8601 UTC into out[0..COPYDESK_DATE_MAX): "2020-10-12T13:32:21Z", or
** "2020-10-12" when d->has_time is 0; zero-terminated. @return the length (0 if the year is
** outside 1..9999, with out "" ). */
COPYDESK_API size_t copydesk_date_format(const copydesk_date *d, char *out);

/** Whether s[0..len) is an absolute http or https URL: the scheme (any case), "://", a host
** (a name of letters, digits, '-' and '.' holding a dot, "localhost", an IPv4 address or a
** bracketed IPv6 one), an optional port, then no white space, control character, '<', '>',
** '"' or backslash. @return 1 or 0. */
COPYDESK_API int copydesk_url_valid(const char *s, size_t len);

/** The measures of the quality filters of Gopher, C4 and FineWeb, for one text. Words are UAX #29
** words (copydesk_seg with COPYDESK_SEG_WORD: kinds LETTERS, NUMBER, IDEO and KANA), so each
** Han ideograph is a word and Japanese and Chinese are measured, where the Python filters split
** on spaces. Thai, Lao, Khmer and Myanmar, written without spaces and left by UAX #29 to a
** dictionary, count one word per 4 letters of a run (vowel and tone marks not counted): an
** estimate. Lengths are in code points. Lines are the lines that are not blank; paragraphs are
** separated by blank lines. Shares are 0 when there is nothing to divide by.
** The c4_ counts sort each line under the first of C4's line rules it fails, in the order of
** TensorFlow Datasets' c4_utils.py (Raffel et al. 2020, section 2.2), or as kept. */
typedef struct copydesk_quality {
  size_t chars;            /**< code points, newlines excluded */
  size_t words;            /**< UAX #29 words */
  size_t lines;            /**< lines that are not blank */
  size_t paragraphs;       /**< runs of lines between blank lines */
  size_t sentences;        /**< UAX #29 sentences holding a word */
  size_t stop_words;       /**< words among Gopher's "the be to of and that have with" */
  double mean_word_len;    /**< code points per word */
  double hash_ratio;       /**< '#' signs per word */
  double ellipsis_ratio;   /**< ellipses ("..." or U+2026) per word */
  double bullet_lines;     /**< share of lines starting with a bullet (- * + and U+2022 etc.) */
  double ellipsis_lines;   /**< share of lines ending in an ellipsis */
  double alpha_words;      /**< share of words holding a letter (digits alone do not) */
  double dup_lines;        /**< share of lines repeating an earlier line */
  double dup_line_chars;   /**< share of characters in those lines */
  double dup_paras;        /**< share of paragraphs repeating an earlier one */
  double dup_para_chars;   /**< share of characters in those paragraphs */
  double top_ngram_chars[3]; /**< n = 2, 3, 4: share of word characters in the most frequent
                                  word n-gram (its characters times its count) */
  double dup_ngram_chars[6]; /**< n = 5 .. 10: share of word characters inside n-grams that
                                  repeat an earlier one (each word counted once) */
  double punct_lines;      /**< share of lines ending in . ! ? " ' U+201D U+2019 or U+2026 */
  double short_lines;      /**< share of lines shorter than 30 code points */
  double newline_ratio;    /**< newlines per word */
  int lorem_ipsum;         /**< "lorem ipsum" occurs (any case) */
  int curly_bracket;       /**< '{' occurs */
  size_t c4_lines;         /**< lines C4 keeps */
  size_t c4_sentences;     /**< sentences holding a word in the lines C4 keeps */
  size_t c4_long_word_lines; /**< lines with a run of non-space over 1000 code points */
  size_t c4_no_punct_lines;  /**< lines not ending in . ? ! " ' U+201D U+2019, or in CJK's
                                  U+3002 U+FF01 U+FF1F U+300D U+300F (a trailing "[1]",
                                  "[edit]" or "[citation needed]" ignored), or in "..." */
  size_t c4_short_lines;   /**< lines of fewer than 5 words */
  size_t c4_javascript_lines; /**< lines holding "javascript" (any case) */
  size_t c4_policy_lines;  /**< lines holding "terms of use", "privacy policy", "cookie policy",
                                "uses cookies", "use of cookies" or "use cookies" (any case) */
} copydesk_quality;

/** Measures s[0..len) (valid UTF-8 expected; an invalid byte counts as one character) in one
** call: a pass over the words, one over the lines and one over the n-gram tables, O(len).
** Scratch memory (the words and a hash table) comes from `alc` (NULL: libc) and is freed before
** returning. @param[out] q  the measures; all zero on failure
** @return OK, ERR_NOMEM, ERR_OVERFLOW, ERR_INVALID (q NULL, or s NULL with len > 0). */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_quality_measure(const char *s, size_t len,
    const copydesk_alloc *alc, copydesk_quality *q, copydesk_err *err);

/* ------------------------------------------------------------------------------------------ */
/* Near-duplicates (MinHash, LSH index)                                                       */

/** The most permutations a signature may have. */
#define COPYDESK_MINHASH_MAX_PERM 1024
/** Bytes of a signature before its values (see copydesk_minhash). */
#define COPYDESK_MINHASH_HEADER 32

/** Settings of a MinHash signature; all zero means defaults. Signatures compare only with
** signatures made with the same settings. */
typedef struct copydesk_minhash_opts {
  size_t num_perm; /**< permutations (values); 0: 128; at most COPYDESK_MINHASH_MAX_PERM */
  size_t ngram;    /**< words per shingle; 0: 5; at most COPYDESK_SHINGLE_MAX */
  uint64_t seed;   /**< picks the permutations; any value (0 included) */
} copydesk_minhash_opts;

/** The size in bytes of a signature with `opts` (NULL: defaults); 0 for invalid settings. */
COPYDESK_API size_t copydesk_minhash_size(const copydesk_minhash_opts *opts);

/** Computes the MinHash signature of s[0..len) and appends it to `out`. Shingles are word
** n-grams of copydesk_shingles (copydesk_words tokens, case-folded, so white space, punctuation
** and case do not count; run copydesk_fix first for NFC), each an XXH3-64 hash h whose low 32
** bits are the shingle's key x; permutation i maps x to a_i * x + b_i (mod 2^32; a_i odd, a_i
** and b_i drawn from `seed` by SplitMix64), and value i is the least over the shingles. The
** signature is a byte string of copydesk_minhash_size bytes, the same on every machine
** (little-endian):
**   "CDMH", version 2, ngram, 0, 0, num_perm (u32), shingles (u32: n-grams counted with
**   repeats, saturating; 0 for a text shorter than one shingle), seed (u64), content (u64:
**   XXH3 over the shingle hashes, or the word hashes of a shorter text, in order, 256 at a
**   time: equal for texts with the same words in the same order, case aside), then num_perm
**   values (u32). A version 1 signature (other permutations) is refused as not a signature.
** A text without a shingle has all values 0xFFFFFFFF; compare such texts by content.
** @return OK, ERR_INVALID (bad settings, out NULL, s NULL with len > 0), ERR_NOMEM; on failure
** `out` keeps its length. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_minhash(const char *s, size_t len,
    const copydesk_minhash_opts *opts, copydesk_buf *out, copydesk_err *err);

/** What a signature's header says. */
typedef struct copydesk_minhash_info {
  copydesk_minhash_opts opts; /**< the settings it was made with */
  size_t shingles;            /**< n-grams counted (0: shorter than one shingle) */
  uint64_t content;           /**< the content hash */
} copydesk_minhash_info;

/** Reads the header of signature sig[0..len) into *info.
** @return OK, or ERR_INVALID ("not a MinHash signature": wrong magic, version, settings or
** length for its num_perm). */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_minhash_read(const char *sig, size_t len,
    copydesk_minhash_info *info, copydesk_err *err);

/** Estimates the Jaccard similarity of the shingle sets of two signatures: the share of equal
** values (1 when both texts have no shingle and the same content, 0 when only one has none).
** @return OK; ERR_INVALID when either is not a signature or their settings differ ("signatures
** made with other settings": never compared). */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_minhash_similarity(const char *a,
    size_t alen, const char *b, size_t blen, double *similarity, copydesk_err *err);

/** Bands and rows for LSH at Jaccard `threshold` with `num_perm` values: the most rows r (so
** the fewest chance candidates) for which a pair exactly at the threshold still shares a band
** with probability at least 0.995, bands = num_perm / r (r * bands may leave values unused).
** Candidates are verified afterwards, so missing a pair costs more than checking one.
** @return OK, ERR_INVALID (threshold outside (0, 1], num_perm 0 or too large). */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_lsh_params(double threshold,
    size_t num_perm, size_t *bands, size_t *rows);

/** The key of band `band` (from 0) of a signature: XXH3-64 of its `rows` values, seeded with
** the band number, never 0; what copydesk_dedup indexes, and what a distributed run groups by.
** @return OK, ERR_INVALID (not a signature, or (band + 1) * rows beyond its values). */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_minhash_band_key(const char *sig,
    size_t len, size_t band, size_t rows, uint64_t *key, copydesk_err *err);

/** Appends the shingle keys of s[0..len) with `ngram` words a shingle (0: 5): the distinct keys x
** that copydesk_minhash permutes, sorted by value, 4 little-endian bytes each. Two such sets
** give, with copydesk_shingle_keys_jaccard, the exact similarity that copydesk_minhash_similarity
** estimates (two shingles sharing a 32-bit key, about n^2 / 2^33 of n, aside).
** @return OK, ERR_INVALID (ngram above COPYDESK_SHINGLE_MAX, out NULL, s NULL with len > 0),
** ERR_NOMEM; on failure `out` keeps its length. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_shingle_keys(const char *s, size_t len,
    size_t ngram, copydesk_buf *out, copydesk_err *err);

/** copydesk_minhash and copydesk_shingle_keys of the same text in one pass over its shingles:
** the signature appended to `out` and, when `keys` is not NULL, the keys to `keys`.
** @return as copydesk_minhash (ERR_INVALID too when out and keys are the same buffer); on
** failure both buffers keep their lengths. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_minhash_keys(const char *s, size_t len,
    const copydesk_minhash_opts *opts, copydesk_buf *out, copydesk_buf *keys, copydesk_err *err);

/** The Jaccard similarity of two sets of copydesk_shingle_keys (1 when both are empty).
** @return OK, ERR_INVALID ("not a set of shingle keys": a length not a multiple of 4). */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_shingle_keys_jaccard(const char *a,
    size_t alen, const char *b, size_t blen, double *similarity, copydesk_err *err);

/** How far from `threshold` an estimate from num_perm values (0: 128) must be to be trusted:
** four standard errors at the threshold, 4 sqrt(t (1 - t) / num_perm), plus one value's step
** 1 / num_perm. An estimate beyond it lies on the wrong side of the threshold about 3 times in
** 100,000; copydesk_dedup confirms those within it by the exact similarity. */
COPYDESK_API double copydesk_minhash_margin(double threshold, size_t num_perm);

/** Switches of copydesk_dedup. */
typedef enum copydesk_dedup_flag {
  COPYDESK_DEDUP_EXACT = 1u << 0, /**< verify every candidate by the exact Jaccard similarity
                                       of the shingle keys, not only those whose estimate is
                                       within copydesk_minhash_margin of the threshold (the text
                                       is then required) */
  COPYDESK_DEDUP_KEYS_IN_MEMORY = 1u << 1 /**< keep the shingle keys on the heap instead of in
                                               a spill file (for a host with no folder to
                                               write in; 4 bytes a distinct shingle) */
} copydesk_dedup_flag;

/** Settings of an index; all zero means defaults. */
typedef struct copydesk_dedup_opts {
  double threshold;               /**< Jaccard similarity that makes a near-duplicate; 0: 0.8 */
  copydesk_minhash_opts minhash;  /**< the settings its signatures must have */
  size_t bands, rows;             /**< LSH layout; 0 and 0: copydesk_lsh_params */
  unsigned flags;                 /**< copydesk_dedup_flag bits */
  const char *spill_dir;          /**< folder of the spill file; NULL: P_tmpdir (/tmp). The
                                       index copies it; copydesk_dedup_settings gives the copy */
} copydesk_dedup_opts;

/** A near-duplicate index (LSH over MinHash signatures); opaque. Articles are numbered from 0
** in the order added. Memory: per article its signature, 4 bytes and a hash-table slot per
** band, and 36 bytes, plus a 64 KiB write buffer. The shingle keys of the articles added with
** their text or keys (4 bytes a distinct shingle: about 2 KB for a news article of 500 words)
** go to the spill file: an unlinked temporary file in spill_dir that the index creates when
** the first keys come (mkstemp; so an index given none creates none), owns, and closes in
** copydesk_dedup_free; only a candidate pair that the keys decide reads its earlier article's
** keys back. With COPYDESK_DEDUP_KEYS_IN_MEMORY they stay on the heap. */
typedef struct copydesk_dedup copydesk_dedup;

/** What copydesk_dedup_add found for one article. */
typedef struct copydesk_dedup_match {
  size_t index;      /**< the article's number */
  size_t match;      /**< the earlier article most similar to it at or above the threshold
                          (the earliest of equals), or SIZE_MAX when none */
  double similarity; /**< that similarity (exact when it was confirmed, else estimated); 0
                          when none */
  int exact;         /**< 1 when `match` has the same content (copydesk_minhash_info.content) */
  size_t cluster;    /**< the number of the first article of its cluster, as far as known */
} copydesk_dedup_match;

/** Creates an index. @param opts  NULL: defaults
** @param[out] out  the index, to free with copydesk_dedup_free; NULL on failure
** @return OK, ERR_INVALID (threshold outside (0, 1], bad minhash settings, bands * rows above
** num_perm, only one of bands and rows, unknown flag, out NULL), ERR_NOMEM. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_dedup_new(const copydesk_dedup_opts *opts,
    const copydesk_alloc *alc, copydesk_dedup **out);

/** Frees the index. Accepts NULL. */
COPYDESK_API void copydesk_dedup_free(copydesk_dedup *d);

/** Adds an article by its signature (copydesk_minhash with the index's settings) and returns
** what it duplicates. An article with the content of an earlier one is an exact duplicate
** (similarity 1) and is not indexed again; one without a shingle is compared by content only.
** Otherwise each earlier article sharing a band is verified: similarity at least the
** threshold, by the estimate when it is further than copydesk_minhash_margin from the
** threshold, else (or always, with COPYDESK_DEDUP_EXACT) by the exact similarity of the two
** articles' shingle keys when both were added with their text. Every verified pair joins the
** two clusters (clusters are connected components; a cluster's number is that of its first
** article), so the result does not depend on the order in which candidates are met.
** @param text, text_len  the text the signature was made from, whose shingle keys the index
**                        keeps; NULL and 0: the estimate decides (an error with DEDUP_EXACT)
** @param[out] m  optional: what was found
** @return OK; ERR_INVALID (not a signature, "signatures made with other settings", no text
** with DEDUP_EXACT; nothing added); ERR_TOO_LARGE (2^32 - 1 articles); ERR_NOMEM (nothing
** added); ERR_IO ("cannot create the spill file", "cannot write the spill file", "cannot
** read the spill file", errno telling why; nothing added, and the index stays usable: a later
** add tries again). */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_dedup_add(copydesk_dedup *d,
    const char *sig, size_t len, const char *text, size_t text_len, copydesk_dedup_match *m,
    copydesk_err *err);

/** copydesk_dedup_add with the article's shingle keys (copydesk_minhash_keys or
** copydesk_shingle_keys) instead of its text, so a caller that made them with the signature
** does not shingle the text twice. keys NULL and keys_len 0: the estimate decides (an error
** with DEDUP_EXACT).
** @return as copydesk_dedup_add; ERR_INVALID "not a set of shingle keys" when keys_len is not
** a multiple of 4 or the keys are not in increasing order (nothing added). */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_dedup_add_keys(copydesk_dedup *d,
    const char *sig, size_t len, const char *keys, size_t keys_len, copydesk_dedup_match *m,
    copydesk_err *err);

/** The number of articles added. */
COPYDESK_API size_t copydesk_dedup_count(const copydesk_dedup *d);

/** The cluster of article `index`: the number of its cluster's first article, given everything
** added so far (it can only decrease as articles join); SIZE_MAX when index is out of range.
** Not const: it shortens the paths it walks. */
COPYDESK_API size_t copydesk_dedup_cluster(copydesk_dedup *d, size_t index);

/** The settings in use, with bands and rows filled in. */
COPYDESK_API void copydesk_dedup_settings(const copydesk_dedup *d, copydesk_dedup_opts *opts);

/* ------------------------------------------------------------------------------------------ */
/* Documents (JSON lines, gzip and zstd files)                                                */

/** How a file is compressed. Readers find it from the first bytes (gzip 1F 8B, zstd 28 B5 2F FD),
** so a pipe works as well as a named file; writers are told. */
typedef enum copydesk_compression {
  COPYDESK_COMPRESSION_NONE = 0, /**< plain bytes */
  COPYDESK_COMPRESSION_GZIP,     /**< gzip (RFC 1952) through zlib; concatenated members too */
  COPYDESK_COMPRESSION_ZSTD      /**< Zstandard frames through libzstd */
} copydesk_compression;

/** A pull-style line reader over a plain, gzip or zstd file; an opaque handle. Memory stays
** within the line limit plus two 128 KiB buffers, whatever the file's size. */
typedef struct copydesk_reader copydesk_reader;

typedef struct copydesk_reader_opts {
  size_t max_line; /**< longest line in bytes, newline excluded; 0 means 64 MiB */
} copydesk_reader_opts;

/** Opens `path` (zero-terminated; "-" is not special here) for reading lines.
** @param[in] opts  limits, or NULL for defaults
** @param[out] out  on success a reader to free with copydesk_reader_close; else NULL
** @return OK, ERR_IO (errno kept; msg "cannot open file"), ERR_NOMEM, ERR_INVALID (out NULL). */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_reader_open(const char *path,
    const copydesk_reader_opts *opts, const copydesk_alloc *alc, copydesk_reader **out,
    copydesk_err *err);

/** As copydesk_reader_open over an open descriptor (0 for standard input), which the reader
** reads from its current offset and never closes. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_reader_open_fd(int fd,
    const copydesk_reader_opts *opts, const copydesk_alloc *alc, copydesk_reader **out,
    copydesk_err *err);

/** Reads the next line, without its "\n" (a "\r" before it is kept: JSON takes it as space).
** The last line may lack its newline; an empty file has no lines.
** @param[out] line, len  the line, valid until the next call or close (zero-terminated; zero
**                        bytes inside are data); *line is NULL at the end of the input
** @return OK (a line, or the end); ERR_TOO_LARGE: a line longer than the limit, err->line its
**         number; the rest of it is skipped and the next call reads the line after it;
**         ERR_IO: read failed (errno kept), corrupt compressed data (msg "corrupt gzip data",
**         "corrupt zstd data") or input ending inside a compressed stream (msg "truncated gzip
**         data", "truncated zstd data"), err->line the line being read; these are final: every
**         later call returns the same error. ERR_NOMEM. err->col is 0 for reader errors. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_reader_next(copydesk_reader *r,
    const char **line, size_t *len, copydesk_err *err);

/** The number of the line the last copydesk_reader_next returned (from 1; 0 before the first). */
COPYDESK_API size_t copydesk_reader_line(const copydesk_reader *r);

/** Bytes taken from the file so far (compressed bytes, for progress against the file's size). */
COPYDESK_API uint64_t copydesk_reader_offset(const copydesk_reader *r);

/** The compression found; NONE until the first line is read. */
COPYDESK_API copydesk_compression copydesk_reader_compression(const copydesk_reader *r);

/** Closes the file (unless it was given as a descriptor) and frees the reader. Accepts NULL. */
COPYDESK_API void copydesk_reader_close(copydesk_reader *r);

/** A compressing writer; an opaque handle. Output is the same bytes for the same input, however
** it is split into calls (gzip: no name, time 0; zstd: one thread, no checksum). */
typedef struct copydesk_writer copydesk_writer;

/** Creates or truncates `path` (zero-terminated, mode 0666 less the umask) for writing with
** `compression`; `level` 0 means the library's default (zlib 6, zstd 3).
** @return OK, ERR_IO (errno kept), ERR_INVALID (unknown compression, level out of range, out
**         NULL), ERR_NOMEM. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_writer_open(const char *path,
    copydesk_compression compression, int level, const copydesk_alloc *alc,
    copydesk_writer **out, copydesk_err *err);

/** Appends s[0..len). @return OK, ERR_IO (errno kept), ERR_NOMEM. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_writer_write(copydesk_writer *w,
    const char *s, size_t len, copydesk_err *err);

/** Ends the compressed stream, flushes and closes the file, and frees the writer, in every case.
** Accepts NULL. @return OK, or ERR_IO when a write or close failed (the file is then incomplete:
** the caller removes it). */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_writer_close(copydesk_writer *w,
                                                                    copydesk_err *err);

/** Where a JSON-lines record keeps its body and id. Names are zero-terminated; NULL means
** "text" and "id". */
typedef struct copydesk_jsonl_opts {
  const char *text_field; /**< the member that becomes the body (default "text") */
  const char *id_field;   /**< the member that becomes meta "id" (default "id") */
  size_t max_depth;       /**< nesting limit, the record itself counted; 0 means 64 */
} copydesk_jsonl_opts;

/** Parses one JSON-lines record, an object on one line, into an article of format JSON: the
** text member (a string) becomes the body, the id member meta "id" in its place, every other
** member meta in the record's order, except another member named "text" or "id" (an article has
** one body and one id). `\u0000` is allowed in strings. Whole numbers within int64 are INT,
** others FLOAT. A repeated member keeps the last value (jansson's rule).
** @param[in] s, len  the record (surrounding white space allowed); not retained
** @param[out] out    on success the article (body_line 1), to free with copydesk_article_free
** @return OK; ERR_JSON: not JSON (err->msg says what: "invalid JSON", "unexpected end of the
**         record", "text after the JSON value", "number out of range", "\\u0000 in a member
**         name"; context "json"); ERR_UTF8 (invalid UTF-8); ERR_NOT_RECORD (msg "record is not
**         an object", "record has no text field", "text field is not a string"); ERR_DEPTH
**         (err->pos at the bracket past the limit); ERR_NOMEM; ERR_INVALID (out NULL, or s NULL
**         with len > 0). err->line is 1, err->col is pos + 1; for syntax errors pos is the
**         byte where jansson stopped (the offending one or the one after it), for ERR_UTF8 the
**         first bad byte. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_jsonl_parse(const char *s, size_t len,
    const copydesk_jsonl_opts *opts, const copydesk_alloc *alc, copydesk_article **out,
    copydesk_err *err);

/** Whether descriptor `fd` is a terminal (isatty), so a progress display can stay off in logs
** and pipes. @return 1 or 0. */
COPYDESK_API int copydesk_fd_is_terminal(int fd);

/** Seconds from a monotonic clock (CLOCK_MONOTONIC), for rates and refresh intervals; only
** differences mean anything. */
COPYDESK_API double copydesk_clock(void);

/** The number of processors online (sysconf), at least 1, for a default number of workers. */
COPYDESK_API int copydesk_cpu_count(void);

/* ------------------------------------------------------------------------------------------ */
/* Unicode patterns (Lua pattern syntax over code points)                                     */

/* Lua 5.4's pattern syntax and semantics (string.find, match, gmatch, gsub) read over characters:
** `.`, set members, ranges and the operands of %b are UTF-8 code points, and the classes go by
** Unicode general category:
**   %a letters and marks (L*, M*: "é" written e + U+0301 and Hindi vowel signs stay in a word)
**   %l Ll    %u Lu and Lt (titlecase "ǅ" starts a capitalised word)    %d Nd (any script's digits)
**   %p P* and S* (ASCII's $+<=>^`|~ are symbols, and Lua's %p has them)   %c Cc (not Cf: ZWJ, ZWNJ
**   and soft hyphens belong to words)   %s White_Space (Zs, Zl, Zp, \t\n\v\f\r, U+0085)
**   %w %a and %d    %x ASCII hex digits only    %g anything but %s, %c and invalid bytes
**   %z U+0000 (deprecated in Lua, still read by 5.4)
** and %A ... %Z are their complements. Below U+0080 every class equals Lua's in the C locale.
** Positions are byte offsets. An invalid byte B of s (or of p) is one character of its own, read
** as code point 0x110000 + B: it matches itself, `.`, the complement classes and [^...] sets.
** An init inside a character moves forward to the next character. No function allocates. */

#define COPYDESK_PATTERN_MAXCAPTURES 32  /**< as Lua's LUA_MAXCAPTURES: "too many captures" */
#define COPYDESK_PATTERN_MAXDEPTH 200    /**< nested match calls, as Lua's MAXCCALLS */
#define COPYDESK_PATTERN_POSITION ((size_t)-1)   /**< cap len of a position capture `()` */
#define COPYDESK_PATTERN_UNFINISHED ((size_t)-2) /**< cap len of a capture never closed */

typedef enum copydesk_pattern_flag {
  /** p is a literal string, searched byte for byte (string.find's `plain`). */
  COPYDESK_PATTERN_PLAIN = 1u << 0,
  /** A leading '^' is an ordinary character, as string.gmatch reads it (no anchor). */
  COPYDESK_PATTERN_CARET_LITERAL = 1u << 1,
  /** An empty match at init does not count: set it when init is where the previous match ended,
  ** as gmatch and gsub do, so an iteration always moves on. */
  COPYDESK_PATTERN_NOT_EMPTY_AT_INIT = 1u << 2
} copydesk_pattern_flag;

/** One capture: s[pos .. pos+len), or len COPYDESK_PATTERN_POSITION (a position capture at
** pos) or COPYDESK_PATTERN_UNFINISHED (its ')' was never reached: "(a" matching "a"; Lua raises
** "unfinished capture" when such a capture is used). */
typedef struct copydesk_pattern_cap {
  size_t pos, len;
} copydesk_pattern_cap;

/** The result of copydesk_pattern_find. */
typedef struct copydesk_pattern_match {
  int found;       /**< 1 if the pattern matched; the other fields are set only then */
  size_t pos, end; /**< the whole match is s[pos .. end) */
  int ncap;        /**< captures in the pattern (0: string.match returns the whole match) */
  copydesk_pattern_cap cap[COPYDESK_PATTERN_MAXCAPTURES];
} copydesk_pattern_match;

/** Finds the first match of pattern p[0..plen) in s[0..len) starting at byte offset `init` or
** later (an init inside a character moves to the next character; init > len finds nothing); a
** leading '^' anchors the match at init. Iterate by calling again with init = m->end and
** COPYDESK_PATTERN_NOT_EMPTY_AT_INIT (gmatch); a gsub copies s between matches. Pattern errors
** are found where the matcher reaches them, as in Lua ("x[" is no error on a subject without x).
** @param[in] flags  copydesk_pattern_flag bits
** @param[out] m     the match (m->found 0 when there is none, and on error); not NULL
** @return OK (found or not); ERR_INVALID with err->msg Lua's message ("malformed pattern (ends
**         with '%')", "malformed pattern (missing ']')", "malformed pattern (missing arguments to
**         '%b')", "missing '[' after '%f' in pattern", "invalid capture index %N" for N 0-9,
**         "invalid pattern capture", "too many captures") and err->pos the offset in p, or for
**         unknown flag bits "unknown flag" at 0; ERR_DEPTH ("pattern too complex", more than
**         COPYDESK_PATTERN_MAXDEPTH nested calls: "a?" repeated 200 times; "pattern too complex
**         (step limit)" after 10^8 steps of backtracking in one call, about a second, which
**         only nested repetitions over long text need: "a+a+a+a+a+a+b" on 100 a's). err's line
**         and col locate pos in p. Thread-safe: no state outside the arguments. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_pattern_find(const char *s, size_t len,
    const char *p, size_t plen, size_t init, unsigned flags, copydesk_pattern_match *m,
    copydesk_err *err);

/** 1 if p[0..plen) has none of Lua's special characters ^$*+?.([%- (string.find then searches
** plainly, so "a)" is no error there while string.match raises); else 0. */
COPYDESK_API int copydesk_pattern_is_plain(const char *p, size_t plen);


/* ------------------------------------------------------------------------------------------ */
/* Files                                                                                       */

/** A folder listing, sorted by name (bytes); an opaque cursor. */
typedef struct copydesk_dir copydesk_dir;

/** Reads the entries of folder `path` (zero-terminated), other than `.` and `..`.
** @param[out] out  on success a cursor to free with copydesk_dir_close; else NULL
** @return OK, ERR_IO (errno kept; err->msg "cannot open folder" or "cannot read folder"),
**         ERR_NOMEM. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_dir_open(const char *path,
    const copydesk_alloc *alc, copydesk_dir **out, copydesk_err *err);

/** Advances to the next entry. @return 1 and sets *name (valid until the next call or close,
** zero-terminated) and *is_dir (1 for a folder; 0 for anything else, a link to a folder
** included, so a walk cannot loop); 0 at the end. */
COPYDESK_API int copydesk_dir_next(copydesk_dir *d, const char **name, int *is_dir);

/** Frees the cursor. Accepts NULL. */
COPYDESK_API void copydesk_dir_close(copydesk_dir *d);

typedef enum copydesk_path_type {
  COPYDESK_PATH_NONE = 0,  /**< nothing there (or it cannot be reached; errno says why) */
  COPYDESK_PATH_FILE,      /**< a regular file */
  COPYDESK_PATH_FOLDER,    /**< a folder */
  COPYDESK_PATH_OTHER      /**< a device, pipe or socket (/dev/null, a FIFO) */
} copydesk_path_type;

/** What `path` (zero-terminated) names, following links. */
COPYDESK_API copydesk_path_type copydesk_path_type_of(const char *path);

/** Creates folder `path` (zero-terminated) and any missing parents, with mode 0777 less the
** umask; an existing folder is success. @return OK, ERR_IO (errno kept; err->msg "cannot create
** folder"), ERR_NOMEM. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_mkdirs(const char *path,
    const copydesk_alloc *alc, copydesk_err *err);

/** Appends the bytes of file `path` (zero-terminated) to `out`: all of them, or the first
** max_len + 1 when there are more, so a caller can tell a file is over its limit without holding
** it. A regular file takes one open, fstat and read (its size sizes the buffer); a pipe or device
** is read until its end.
** @param[in]  max_len  the limit; 0 means none
** @param[out] size     (NULL allowed) the size fstat gives (0 for a pipe or device)
** @return OK, ERR_IO (errno kept; err->msg "cannot open file" or "cannot read file"; nothing
**         appended), ERR_NOMEM, ERR_OVERFLOW. */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_file_read(const char *path, size_t max_len,
    copydesk_buf *out, uint64_t *size, copydesk_err *err);

/** The size of `path` (zero-terminated, links followed) as stat gives it (0 for a pipe or
** device). @return OK or ERR_IO (errno kept). */
COPYDESK_API COPYDESK_NODISCARD copydesk_code copydesk_file_size(const char *path,
    uint64_t *size);

#ifdef __cplusplus
}
#endif
#endif
