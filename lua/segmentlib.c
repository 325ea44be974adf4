/* segmentlib.c: segmentation, sentences, words, normalisation and the Unicode string functions. */
#include <string.h>

#include "cdlua.h"

static const char *const unit_names[] = {"grapheme", "word", "sentence", NULL};
static const char *const kind_names[] = {"other", "space", "punct", "letters", "number",
                                         "ideo", "kana", "emoji", "url", "email",
                                         "handle", "hashtag", NULL};

/* The iterator of copydesk.segments: upvalue 1 is the subject (kept alive so the cursor's
** pointer stays valid), upvalue 2 the cursor. */
static int segments_next(lua_State *L) {
  copydesk_seg *c = lua_touserdata(L, lua_upvalueindex(2));
  size_t pos, len;
  copydesk_token_kind kind;
  if (!copydesk_seg_next(c, &pos, &len, &kind)) return 0;
  lua_pushlstring(L, c->s + pos, len);
  lua_pushinteger(L, (lua_Integer)pos + 1);
  lua_pushinteger(L, (lua_Integer)(pos + len));
  lua_pushstring(L, kind_names[kind]);
  return 4;
}

/* copydesk.segments(s [, unit]) -> iterator of segment, first, last, kind */
static int l_segments(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  int unit = luaL_checkoption(L, 2, "word", unit_names);
  copydesk_seg *c;
  lua_settop(L, 1);
  c = lua_newuserdatauv(L, sizeof *c, 0);
  copydesk_seg_init(c, s, len, (copydesk_seg_unit)unit);
  lua_pushcclosure(L, segments_next, 2);
  return 1;
}

/* The bit of kind name `name` for copydesk_seg_count; raises on an unknown name. */
static unsigned kind_bit(lua_State *L, int arg, const char *name) {
  unsigned k;
  for (k = 0; kind_names[k]; k++)
    if (name && strcmp(kind_names[k], name) == 0) return 1u << k;
  return (unsigned)luaL_argerror(L, arg,
                                 lua_pushfstring(L, "invalid kind '%s'", name ? name : "?"));
}

/* copydesk.count(s [, unit [, kinds]]) -> number of segments (of the listed kinds) */
static int l_count(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  int unit = luaL_checkoption(L, 2, "word", unit_names);
  unsigned kinds = 0;
  if (!lua_isnoneornil(L, 3)) {
    lua_Integer i, n;
    luaL_checktype(L, 3, LUA_TTABLE);
    n = luaL_len(L, 3);
    for (i = 1; i <= n; i++) {
      lua_geti(L, 3, i);
      kinds |= kind_bit(L, 3, lua_tostring(L, -1));
      lua_pop(L, 1);
    }
    luaL_argcheck(L, kinds != 0, 3, "empty list of kinds");
  }
  lua_pushinteger(L, (lua_Integer)copydesk_seg_count(s, len, (copydesk_seg_unit)unit, kinds));
  return 1;
}

/* ---- abbreviation lists ---- */

#define ABBREVS_NAME "copydesk.Abbreviations"

/* The handle: NULL once closed. */
typedef struct abbrevs_box {
  copydesk_abbrevs *a;
} abbrevs_box;

static int abbrevs_gc(lua_State *L) {
  abbrevs_box *b = luaL_checkudata(L, 1, ABBREVS_NAME);
  copydesk_abbrevs_free(b->a);
  b->a = NULL;
  return 0;
}

static abbrevs_box *check_abbrevs(lua_State *L, int arg) {
  abbrevs_box *b = luaL_checkudata(L, arg, ABBREVS_NAME);
  luaL_argcheck(L, b->a != NULL, arg, "closed abbreviation list");
  return b;
}

static int abbrevs_tostring(lua_State *L) {
  abbrevs_box *b = luaL_checkudata(L, 1, ABBREVS_NAME);
  if (b->a == NULL) lua_pushliteral(L, ABBREVS_NAME " (closed)");
  else lua_pushfstring(L, ABBREVS_NAME " (%p)", (void *)b->a);
  return 1;
}

/* Pushes an empty list handle (created empty and safe before the list is made). */
static abbrevs_box *new_abbrevs(lua_State *L, unsigned flags) {
  abbrevs_box *b = lua_newuserdatauv(L, sizeof *b, 0);
  b->a = NULL;
  luaL_setmetatable(L, ABBREVS_NAME);
  cdlua_checkmem(L, copydesk_abbrevs_new(NULL, flags, &b->a));
  return b;
}

/* Adds the lines of the string or list at `arg`. @return 0, or 3 values pushed for a bad line
** of a string (a bad list item raises: it is the script's own). */
static int add_abbrevs(lua_State *L, copydesk_abbrevs *a, int arg) {
  copydesk_err err;
  copydesk_code rc;
  if (lua_type(L, arg) == LUA_TTABLE) {
    lua_Integer i, n = luaL_len(L, arg);
    for (i = 1; i <= n; i++) {
      size_t len;
      const char *item;
      lua_geti(L, arg, i);
      item = lua_tolstring(L, -1, &len);
      if (item == NULL)
        luaL_argerror(L, arg, lua_pushfstring(L, "abbreviation %d is not a string", (int)i));
      rc = copydesk_abbrevs_load(a, item, len, &err);
      cdlua_checkmem(L, rc);
      if (rc != COPYDESK_OK)
        luaL_argerror(L, arg, lua_pushfstring(L, "abbreviation %d: %s", (int)i, err.msg));
      lua_pop(L, 1);
    }
    return 0;
  } else {
    size_t len;
    const char *text = luaL_checklstring(L, arg, &len);
    rc = copydesk_abbrevs_load(a, text, len, &err);
    cdlua_checkmem(L, rc);
    return rc == COPYDESK_OK ? 0 : cdlua_pushfail(L, &err, NULL);
  }
}

static const char *const abbrevs_opts[] = {"builtin", NULL};

/* copydesk.abbreviations([text | list] [, {builtin = bool}]) -> handle | fail, message, position */
static int l_abbreviations(lua_State *L) {
  unsigned flags = 0;
  abbrevs_box *b;
  lua_settop(L, 2);
  if (!lua_isnil(L, 1) && lua_type(L, 1) != LUA_TTABLE) luaL_checkstring(L, 1);
  cdlua_checkopts(L, 2, abbrevs_opts);
  if (!cdlua_optbool(L, 2, "builtin", 1)) flags |= COPYDESK_ABBREVS_NO_BUILTIN;
  b = new_abbrevs(L, flags);
  if (!lua_isnil(L, 1) && add_abbrevs(L, b->a, 1)) return 3;
  return 1;
}

/* list:add(text | list) -> list | fail, message, position */
static int abbrevs_add(lua_State *L) {
  abbrevs_box *b = check_abbrevs(L, 1);
  if (lua_type(L, 2) != LUA_TTABLE) luaL_checkstring(L, 2);
  if (add_abbrevs(L, b->a, 2)) return 3;
  lua_settop(L, 1);
  return 1;
}

/* copydesk.builtin_abbreviations() -> { "Mr. title", ... }: the built-in list, as file lines. */
static int l_builtin_abbreviations(lua_State *L) {
  size_t i, len;
  const char *text;
  copydesk_abbrev_class cls;
  lua_newtable(L);
  for (i = 0; copydesk_abbrevs_builtin(i, &text, &len, &cls); i++) {
    lua_pushfstring(L, "%s. %s", text, copydesk_abbrev_class_name(cls));
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

/* ---- sentences ---- */

static const char *const sentence_opts[] = {"abbreviations", "rules", "wrapped", "trim", NULL};
static const char *const rules_names[] = {"english", "uax29", NULL};

/* The iterator of copydesk.sentences: upvalues subject, cursor, abbreviation list. */
static int sentences_next(lua_State *L) {
  copydesk_sent *c = lua_touserdata(L, lua_upvalueindex(2));
  abbrevs_box *list = lua_touserdata(L, lua_upvalueindex(3)); /* NULL: no list was given */
  size_t pos, len;
  if (list && list->a == NULL) return luaL_error(L, "attempt to use a closed " ABBREVS_NAME);
  if (!copydesk_sent_next(c, &pos, &len)) return 0;
  lua_pushlstring(L, c->s + pos, len);
  lua_pushinteger(L, (lua_Integer)pos + 1);
  lua_pushinteger(L, (lua_Integer)(pos + len));
  return 3;
}

/* Reads the sentence options of table `arg` into *flags and the list; leaves the list (or nil)
** on the top of the stack, where it must stay while the list is used. */
static const copydesk_abbrevs *sentence_opts_read(lua_State *L, int arg, unsigned *flags) {
  const copydesk_abbrevs *a = NULL;
  *flags = 0;
  cdlua_checkopts(L, arg, sentence_opts);
  if (cdlua_optchoice(L, arg, "rules", 0, rules_names) == 1) *flags |= COPYDESK_SENT_UAX29;
  if (cdlua_optbool(L, arg, "wrapped", 0)) *flags |= COPYDESK_SENT_WRAPPED;
  if (cdlua_optbool(L, arg, "trim", 0)) *flags |= COPYDESK_SENT_TRIM;
  if (!lua_istable(L, arg) || lua_getfield(L, arg, "abbreviations") == LUA_TNIL) {
    if (lua_istable(L, arg)) lua_pop(L, 1);
    lua_pushnil(L);
    return NULL;
  }
  if (lua_type(L, -1) == LUA_TTABLE) {
    int list = lua_gettop(L);
    abbrevs_box *b = new_abbrevs(L, 0);
    add_abbrevs(L, b->a, list);
    lua_replace(L, list);
    a = b->a;
  } else {
    abbrevs_box *b = luaL_testudata(L, -1, ABBREVS_NAME);
    if (b == NULL || b->a == NULL)
      luaL_argerror(L, arg, "option 'abbreviations' must be a list of strings or an open "
                    ABBREVS_NAME);
    a = b->a;
  }
  return a;
}

/* copydesk.sentences(s [, opts]) -> iterator of sentence, first, last */
static int l_sentences(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  unsigned flags;
  copydesk_sent *c;
  const copydesk_abbrevs *a;
  lua_settop(L, 2);
  a = sentence_opts_read(L, 2, &flags); /* the list is at 3 */
  lua_pushvalue(L, 1);
  c = lua_newuserdatauv(L, sizeof *c, 0);
  luaL_argcheck(L, copydesk_sent_init(c, s, len, a, flags) == COPYDESK_OK, 2, "invalid flags");
  lua_pushvalue(L, 3); /* keeps the list alive while the iterator runs */
  lua_pushcclosure(L, sentences_next, 3);
  return 1;
}

/* copydesk.count_sentences(s [, opts]) -> number, counted in C */
static int l_count_sentences(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  unsigned flags;
  const copydesk_abbrevs *a;
  lua_settop(L, 2);
  a = sentence_opts_read(L, 2, &flags);
  lua_pushinteger(L, (lua_Integer)copydesk_sent_count(s, len, a, flags));
  return 1;
}

/* ---- words ---- */

#define WORDS_NAME "copydesk.words"

static const char *const words_opts[] = {"lower", "casefold", "punct", "ptb", "split_hyphens",
                                         "split_elisions", "entities", NULL};

/* The iterator state of copydesk.words: the cursor and a buffer for case-mapped tokens. */
typedef struct words_state {
  copydesk_words w;
  copydesk_buf buf;
  int fold; /* 0 as written, 1 lower case, 2 case folded */
} words_state;

/* Reads the options of copydesk.words (also taken by ngrams and shingles) from table `arg`:
** returns the copydesk_words flags and sets *fold (0 as written, 1 lower, 2 case folded). */
static unsigned word_flags(lua_State *L, int arg, int *fold) {
  unsigned flags = 0;
  cdlua_checkopts(L, arg, words_opts);
  *fold = cdlua_optbool(L, arg, "casefold", 0) ? 2 : cdlua_optbool(L, arg, "lower", 0);
  if (cdlua_optbool(L, arg, "punct", 0)) flags |= COPYDESK_WORDS_PUNCT;
  if (cdlua_optbool(L, arg, "ptb", 0)) flags |= COPYDESK_WORDS_PTB;
  if (cdlua_optbool(L, arg, "split_hyphens", 0)) flags |= COPYDESK_WORDS_SPLIT_HYPHENS;
  if (cdlua_optbool(L, arg, "split_elisions", 0)) flags |= COPYDESK_WORDS_SPLIT_ELISIONS;
  if (!cdlua_optbool(L, arg, "entities", 1)) flags |= COPYDESK_WORDS_NO_ENTITIES;
  return flags;
}

/* Appends token s[0..len) to b, case-mapped as `fold` asks (invalid UTF-8 as it is). */
static void add_token(lua_State *L, copydesk_buf *b, const char *s, size_t len, int fold) {
  size_t mark = b->len;
  copydesk_code rc = COPYDESK_ERR_UTF8;
  if (fold == 1) rc = copydesk_lower(s, len, b, NULL);
  else if (fold == 2) rc = copydesk_casefold(s, len, b, NULL);
  cdlua_checkmem(L, rc);
  if (rc != COPYDESK_OK) {
    b->len = mark;
    cdlua_checkmem(L, copydesk_buf_append(b, s, len));
  }
}

static int words_gc(lua_State *L) {
  words_state *st = luaL_checkudata(L, 1, WORDS_NAME);
  copydesk_buf_free(&st->buf);
  return 0;
}

static int words_next(lua_State *L) {
  words_state *st = lua_touserdata(L, lua_upvalueindex(2));
  const char *s = st->w.seg.s;
  size_t pos, len;
  copydesk_token_kind kind;
  if (!copydesk_words_next(&st->w, &pos, &len, &kind)) return 0;
  if (st->fold) {
    copydesk_buf_clear(&st->buf);
    add_token(L, &st->buf, s + pos, len, st->fold);
    lua_pushlstring(L, st->buf.data ? st->buf.data : "", st->buf.len);
  } else {
    lua_pushlstring(L, s + pos, len);
  }
  lua_pushinteger(L, (lua_Integer)pos + 1);
  lua_pushinteger(L, (lua_Integer)(pos + len));
  lua_pushstring(L, kind_names[kind]);
  return 4;
}

/* copydesk.words(s [, opts]) -> iterator of word, first, last, kind */
static int l_words(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  unsigned flags;
  int fold;
  words_state *st;
  flags = word_flags(L, 2, &fold);
  lua_settop(L, 1);
  st = lua_newuserdatauv(L, sizeof *st, 0);
  copydesk_buf_init(&st->buf, NULL);
  st->fold = fold;
  if (luaL_newmetatable(L, WORDS_NAME)) {
    lua_pushcfunction(L, words_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  if (copydesk_words_init(&st->w, s, len, flags) != COPYDESK_OK) return luaL_error(L, "bad flags");
  lua_pushcclosure(L, words_next, 2);
  return 1;
}

/* copydesk.count_words(s [, opts]) -> number of copydesk.words tokens, counted in C */
static int l_count_words(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  int fold;
  unsigned flags = word_flags(L, 2, &fold);
  lua_pushinteger(L, (lua_Integer)copydesk_words_count(s, len, flags));
  return 1;
}

/* ---- n-grams and shingles ---- */

#define NGRAMS_NAME "copydesk.ngrams"

typedef struct ngrams_state {
  copydesk_shingles sh;
  copydesk_buf buf;
  int fold;
} ngrams_state;

static int ngrams_gc(lua_State *L) {
  ngrams_state *st = luaL_checkudata(L, 1, NGRAMS_NAME);
  copydesk_buf_free(&st->buf);
  return 0;
}

static int ngrams_next(lua_State *L) {
  ngrams_state *st = lua_touserdata(L, lua_upvalueindex(2));
  const char *s = st->sh.w.seg.s;
  size_t pos, len, i, wpos, wlen;
  if (!copydesk_shingles_next(&st->sh, NULL, &pos, &len)) return 0;
  copydesk_buf_clear(&st->buf);
  for (i = 0; copydesk_shingles_word(&st->sh, i, &wpos, &wlen); i++) {
    if (i > 0) cdlua_checkmem(L, copydesk_buf_append(&st->buf, " ", 1));
    add_token(L, &st->buf, s + wpos, wlen, st->fold);
  }
  lua_pushlstring(L, st->buf.data ? st->buf.data : "", st->buf.len);
  lua_pushinteger(L, (lua_Integer)pos + 1);
  lua_pushinteger(L, (lua_Integer)(pos + len));
  return 3;
}

static size_t check_n(lua_State *L, int arg, lua_Integer def) {
  lua_Integer n = luaL_optinteger(L, arg, def);
  if (n < 1 || n > COPYDESK_SHINGLE_MAX)
    luaL_argerror(L, arg, lua_pushfstring(L, "n must be between 1 and %d", COPYDESK_SHINGLE_MAX));
  return (size_t)n;
}

/* copydesk.ngrams(s, n [, opts]) -> iterator of "w1 w2 ... wn", first, last */
static int l_ngrams(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  size_t n;
  int fold;
  unsigned flags;
  ngrams_state *st;
  luaL_checkinteger(L, 2);
  n = check_n(L, 2, 0);
  flags = word_flags(L, 3, &fold);
  lua_settop(L, 1);
  st = lua_newuserdatauv(L, sizeof *st, 0);
  copydesk_buf_init(&st->buf, NULL);
  st->fold = fold;
  if (luaL_newmetatable(L, NGRAMS_NAME)) {
    lua_pushcfunction(L, ngrams_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  if (copydesk_shingles_init(&st->sh, s, len, n, flags) != COPYDESK_OK)
    return luaL_error(L, "bad flags");
  lua_pushcclosure(L, ngrams_next, 2);
  return 1;
}

/* copydesk.shingles(s [, n [, opts]]) -> { hash, ... } (64-bit integers, in text order) */
static int l_shingles(lua_State *L) {
  size_t len, pos, slen;
  const char *s = luaL_checklstring(L, 1, &len);
  size_t n = check_n(L, 2, 5);
  int fold;
  unsigned flags = word_flags(L, 3, &fold);
  copydesk_shingles sh;
  uint64_t h;
  lua_Integer i = 0;
  if (copydesk_shingles_init(&sh, s, len, n, flags) != COPYDESK_OK)
    return luaL_error(L, "bad flags");
  lua_newtable(L);
  while (copydesk_shingles_next(&sh, &h, &pos, &slen)) {
    lua_pushinteger(L, (lua_Integer)h);
    lua_rawseti(L, -2, ++i);
  }
  return 1;
}

/* ---- normalisation and string functions ---- */

static const char *const nf_names[] = {"NFC", "NFD", "NFKC", "NFKD", NULL};

typedef copydesk_code (*text_fn)(const char *, size_t, copydesk_buf *, copydesk_err *);

/* Runs a text function of the core on argument 1: the result, or fail, message, position. */
static int text_call(lua_State *L, text_fn fn) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  copydesk_err err;
  copydesk_code rc;
  cdlua_box *box = cdlua_newbox(L);
  rc = fn(s, len, &box->buf, &err);
  cdlua_checkmem(L, rc);
  if (rc != COPYDESK_OK) return cdlua_pushfail(L, &err, NULL);
  lua_pushlstring(L, box->buf.data ? box->buf.data : "", box->buf.len);
  cdlua_boxclear(box);
  return 1;
}

/* copydesk.normalize(s [, form]) -> text | fail, message, position */
static int l_normalize(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  int form = luaL_checkoption(L, 2, "NFC", nf_names);
  copydesk_err err;
  copydesk_code rc;
  cdlua_box *box;
  if (copydesk_is_normalized(s, len, (copydesk_nf)form)) {
    lua_settop(L, 1); /* already normal: the string itself, no copy */
    return 1;
  }
  box = cdlua_newbox(L);
  rc = copydesk_normalize(s, len, (copydesk_nf)form, &box->buf, &err);
  cdlua_checkmem(L, rc);
  if (rc != COPYDESK_OK) return cdlua_pushfail(L, &err, NULL);
  lua_pushlstring(L, box->buf.data ? box->buf.data : "", box->buf.len);
  cdlua_boxclear(box);
  return 1;
}

/* copydesk.is_normalized(s [, form]) -> boolean (the quick check: false may mean "not proven") */
static int l_is_normalized(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  int form = luaL_checkoption(L, 2, "NFC", nf_names);
  lua_pushboolean(L, copydesk_is_normalized(s, len, (copydesk_nf)form));
  return 1;
}

static int l_lower(lua_State *L) { return text_call(L, copydesk_lower); }
static int l_upper(lua_State *L) { return text_call(L, copydesk_upper); }
static int l_casefold(lua_State *L) { return text_call(L, copydesk_casefold); }
static int l_strip_accents(lua_State *L) { return text_call(L, copydesk_strip_accents); }
static int l_slug(lua_State *L) { return text_call(L, copydesk_slug); }

/* copydesk.width(s) -> columns | fail, message, position */
static int l_width(lua_State *L) {
  size_t len, cols;
  const char *s = luaL_checklstring(L, 1, &len);
  copydesk_err err;
  if (copydesk_width(s, len, &cols, &err) != COPYDESK_OK) return cdlua_pushfail(L, &err, NULL);
  lua_pushinteger(L, (lua_Integer)cols);
  return 1;
}

static const char *const len_units[] = {"codepoint", "grapheme", NULL};

/* copydesk.len(s [, "codepoint" | "grapheme"]) -> count | fail, message, position */
static int l_len(lua_State *L) {
  size_t len, n;
  const char *s = luaL_checklstring(L, 1, &len);
  int unit = luaL_checkoption(L, 2, "codepoint", len_units);
  copydesk_err err;
  if (copydesk_len(s, len, &n, &err) != COPYDESK_OK) return cdlua_pushfail(L, &err, NULL);
  if (unit == 1) n = copydesk_seg_count(s, len, COPYDESK_SEG_GRAPHEME, 0);
  lua_pushinteger(L, (lua_Integer)n);
  return 1;
}

static const luaL_Reg abbrevs_methods[] = {
  {"add", abbrevs_add},
  {"close", abbrevs_gc},
  {NULL, NULL}
};

static const luaL_Reg abbrevs_meta[] = {
  {"__gc", abbrevs_gc},
  {"__close", abbrevs_gc},
  {"__tostring", abbrevs_tostring},
  {"__index", NULL},
  {NULL, NULL}
};

static const luaL_Reg funcs[] = {
  {"segments", l_segments},
  {"count", l_count},
  {"sentences", l_sentences},
  {"abbreviations", l_abbreviations},
  {"builtin_abbreviations", l_builtin_abbreviations},
  {"words", l_words},
  {"count_words", l_count_words},
  {"count_sentences", l_count_sentences},
  {"ngrams", l_ngrams},
  {"shingles", l_shingles},
  {"normalize", l_normalize},
  {"is_normalized", l_is_normalized},
  {"lower", l_lower},
  {"upper", l_upper},
  {"casefold", l_casefold},
  {"strip_accents", l_strip_accents},
  {"slug", l_slug},
  {"width", l_width},
  {"len", l_len},
  {NULL, NULL}
};

void cdlua_open_segment(lua_State *L) {
  luaL_newmetatable(L, ABBREVS_NAME);
  luaL_setfuncs(L, abbrevs_meta, 0);
  luaL_newlib(L, abbrevs_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  luaL_setfuncs(L, funcs, 0);
}
