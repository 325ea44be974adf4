/* cleanlib.c: the cleaning steps (white space, boilerplate lines, captions, repeats, glued text),
** the metadata values (dates, URLs) and the quality measures. */
#include <string.h>

#include "cdlua.h"

static void push_text(lua_State *L, const cdlua_box *box) {
  lua_pushlstring(L, box->buf.data ? box->buf.data : "", box->buf.len);
}

/* copydesk.normalize_space(s) -> text | fail, message, position */
static int l_normalize_space(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  copydesk_err err;
  copydesk_code rc;
  cdlua_box *box = cdlua_newbox(L);
  rc = copydesk_clean_space(s, len, &box->buf, &err);
  cdlua_checkmem(L, rc);
  if (rc != COPYDESK_OK) return cdlua_pushfail(L, &err, NULL);
  push_text(L, box);
  cdlua_boxclear(box);
  return 1;
}

static const char *const boilerplate_opts[] = {"patterns", "builtin", NULL};

/* Pushes option `patterns` of table `arg` as one string, a pattern a line: it may be a string
** already (a file's content) or a list of strings. Pushes "" when absent. */
static void push_patterns(lua_State *L, int arg) {
  lua_Integer i, n;
  int t = lua_isnoneornil(L, arg) ? LUA_TNIL : lua_getfield(L, arg, "patterns");
  if (t == LUA_TSTRING) return;
  if (t == LUA_TNIL) {
    if (!lua_isnoneornil(L, arg)) lua_pop(L, 1);
    lua_pushliteral(L, "");
    return;
  }
  if (t != LUA_TTABLE)
    luaL_argerror(L, arg, lua_pushfstring(L, "option 'patterns' must be a string or a list, "
                                          "got %s", luaL_typename(L, -1)));
  n = luaL_len(L, -1);
  lua_pushliteral(L, ""); /* the joined lines so far, replaced at each step */
  for (i = 1; i <= n; i++) {
    if (lua_geti(L, -2, i) != LUA_TSTRING)
      luaL_argerror(L, arg, lua_pushfstring(L, "option 'patterns': item %d is not a string",
                                            (int)i));
    lua_pushliteral(L, "\n");
    lua_concat(L, 3);
  }
  lua_remove(L, -2);
}

/* copydesk.strip_boilerplate(s [, {patterns = string | {string...}, builtin = bool}])
** -> text, removed */
static int l_strip_boilerplate(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  copydesk_boilerplate_opts o;
  unsigned flags = 0;
  cdlua_box *box;
  copydesk_err err;
  cdlua_checkopts(L, 2, boilerplate_opts);
  if (!cdlua_optbool(L, 2, "builtin", 1)) flags |= COPYDESK_BOILERPLATE_NO_BUILTIN;
  push_patterns(L, 2);
  o.patterns = lua_tolstring(L, -1, &o.patterns_len);
  box = cdlua_newbox(L);
  cdlua_checkmem(L, copydesk_clean_boilerplate(s, len, flags, &o, &box->buf, &box->edits, &err));
  push_text(L, box);
  cdlua_pushedits(L, &box->edits, s);
  cdlua_boxclear(box);
  return 2;
}

/* copydesk.boilerplate_patterns() -> the built-in list */
static int l_boilerplate_patterns(lua_State *L) {
  size_t i;
  const char *p;
  lua_newtable(L);
  for (i = 0; (p = copydesk_boilerplate_builtin(i)) != NULL; i++) {
    lua_pushstring(L, p);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

static const char *const caption_opts[] = {"keep_unique", NULL};

/* copydesk.strip_captions(s [, {keep_unique = bool}]) -> text, removed */
static int l_strip_captions(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  unsigned flags = 0;
  cdlua_box *box;
  copydesk_err err;
  cdlua_checkopts(L, 2, caption_opts);
  if (cdlua_optbool(L, 2, "keep_unique", 0)) flags |= COPYDESK_CAPTION_KEEP_UNIQUE;
  box = cdlua_newbox(L);
  cdlua_checkmem(L, copydesk_clean_captions(s, len, flags, &box->buf, &box->edits, &err));
  push_text(L, box);
  cdlua_pushedits(L, &box->edits, s);
  cdlua_boxclear(box);
  return 2;
}

static const char *const repeat_opts[] = {"min_len", NULL};

/* copydesk.strip_repeats(s [, {min_len = n}]) -> text, removed */
static int l_strip_repeats(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  copydesk_repeat_opts o = {0};
  cdlua_box *box;
  copydesk_err err;
  cdlua_checkopts(L, 2, repeat_opts);
  if (!lua_isnoneornil(L, 2)) {
    int isnum;
    lua_Integer n;
    if (lua_getfield(L, 2, "min_len") != LUA_TNIL) {
      n = lua_tointegerx(L, -1, &isnum);
      luaL_argcheck(L, isnum && n > 0, 2, "option 'min_len' must be a positive integer");
      o.min_len = (size_t)n;
    }
    lua_pop(L, 1);
  }
  box = cdlua_newbox(L);
  cdlua_checkmem(L, copydesk_clean_repeats(s, len, &o, &box->buf, &box->edits, &err));
  push_text(L, box);
  cdlua_pushedits(L, &box->edits, s);
  cdlua_boxclear(box);
  return 2;
}

static const char *const glue_opts[] = {"body", "sentences", NULL};

/* copydesk.split_glued(s [, {body = string, sentences = bool}]) -> text, inserted */
static int l_split_glued(lua_State *L) {
  size_t len, body_len;
  const char *s = luaL_checklstring(L, 1, &len), *body;
  unsigned flags = 0;
  cdlua_box *box;
  copydesk_err err;
  cdlua_checkopts(L, 2, glue_opts);
  if (cdlua_optbool(L, 2, "sentences", 0)) flags |= COPYDESK_GLUE_SENTENCES;
  body = cdlua_optstring(L, 2, "body", &body_len);
  box = cdlua_newbox(L);
  cdlua_checkmem(L, copydesk_clean_glue(s, len, body, body_len, flags, &box->buf, &box->edits,
                                        &err));
  push_text(L, box);
  cdlua_pushedits(L, &box->edits, s);
  cdlua_boxclear(box);
  return 2;
}

/* copydesk.parse_date(s | number) -> iso, epoch, has_time | fail, message, position */
static int l_parse_date(lua_State *L) {
  size_t len;
  const char *s;
  copydesk_date d;
  copydesk_err err;
  char iso[COPYDESK_DATE_MAX];
  luaL_argexpected(L, lua_type(L, 1) == LUA_TSTRING || lua_type(L, 1) == LUA_TNUMBER, 1,
                   "string or number");
  if (lua_type(L, 1) == LUA_TNUMBER && !lua_isinteger(L, 1)) /* keep every digit of a float */
    lua_pushfstring(L, "%f", (double)lua_tonumber(L, 1));
  else
    lua_pushvalue(L, 1);
  s = lua_tolstring(L, -1, &len);
  if (copydesk_date_parse(s, len, &d, &err) != COPYDESK_OK) return cdlua_pushfail(L, &err, NULL);
  lua_pushlstring(L, iso, copydesk_date_format(&d, iso));
  lua_pushinteger(L, (lua_Integer)d.epoch);
  lua_pushboolean(L, d.has_time);
  return 3;
}

/* copydesk.url_valid(s) -> boolean */
static int l_url_valid(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_pushboolean(L, copydesk_url_valid(s, len));
  return 1;
}

static void setnum(lua_State *L, const char *key, double v) {
  lua_pushnumber(L, (lua_Number)v);
  lua_setfield(L, -2, key);
}

static void setint(lua_State *L, const char *key, size_t v) {
  lua_pushinteger(L, (lua_Integer)v);
  lua_setfield(L, -2, key);
}

/* copydesk.quality(s) -> { words =, mean_word_len =, ..., top_2gram_chars =, ...,
** dup_10gram_chars =, ..., c4_policy_lines = } (the fields of copydesk_quality, the arrays
** spelled out by n) */
static int l_quality(lua_State *L) {
  static const char *const top_keys[] = {"top_2gram_chars", "top_3gram_chars",
                                         "top_4gram_chars"};
  static const char *const dup_keys[] = {"dup_5gram_chars", "dup_6gram_chars", "dup_7gram_chars",
                                         "dup_8gram_chars", "dup_9gram_chars",
                                         "dup_10gram_chars"};
  size_t len, n;
  const char *s = luaL_checklstring(L, 1, &len);
  copydesk_alloc alc;
  copydesk_quality q;
  /* No box: the measure frees its scratch memory before it returns, failed or not, and nothing
  ** can raise while it holds any. */
  cdlua_alloc(L, &alc);
  cdlua_checkmem(L, copydesk_quality_measure(s, len, &alc, &q, NULL));
  lua_createtable(L, 0, 40);
  setint(L, "chars", q.chars);
  setint(L, "words", q.words);
  setint(L, "lines", q.lines);
  setint(L, "paragraphs", q.paragraphs);
  setint(L, "sentences", q.sentences);
  setint(L, "stop_words", q.stop_words);
  setnum(L, "mean_word_len", q.mean_word_len);
  setnum(L, "hash_ratio", q.hash_ratio);
  setnum(L, "ellipsis_ratio", q.ellipsis_ratio);
  setnum(L, "bullet_lines", q.bullet_lines);
  setnum(L, "ellipsis_lines", q.ellipsis_lines);
  setnum(L, "alpha_words", q.alpha_words);
  setnum(L, "dup_lines", q.dup_lines);
  setnum(L, "dup_line_chars", q.dup_line_chars);
  setnum(L, "dup_paras", q.dup_paras);
  setnum(L, "dup_para_chars", q.dup_para_chars);
  for (n = 0; n < 3; n++) setnum(L, top_keys[n], q.top_ngram_chars[n]);
  for (n = 0; n < 6; n++) setnum(L, dup_keys[n], q.dup_ngram_chars[n]);
  setnum(L, "punct_lines", q.punct_lines);
  setnum(L, "short_lines", q.short_lines);
  setnum(L, "newline_ratio", q.newline_ratio);
  lua_pushboolean(L, q.lorem_ipsum);
  lua_setfield(L, -2, "lorem_ipsum");
  lua_pushboolean(L, q.curly_bracket);
  lua_setfield(L, -2, "curly_bracket");
  setint(L, "c4_lines", q.c4_lines);
  setint(L, "c4_sentences", q.c4_sentences);
  setint(L, "c4_long_word_lines", q.c4_long_word_lines);
  setint(L, "c4_no_punct_lines", q.c4_no_punct_lines);
  setint(L, "c4_short_lines", q.c4_short_lines);
  setint(L, "c4_javascript_lines", q.c4_javascript_lines);
  setint(L, "c4_policy_lines", q.c4_policy_lines);
  return 1;
}

/* ---- copydesk.clean: the body steps in one call ------------------------------------------ */

/* What copydesk.clean keeps between calls, as its closure's upvalue: two buffers the steps write
** in turn (each step reads the text the one before wrote) and one step's edits. Their room grows
** to the largest text cleaned so far and is then reused, so an article costs no allocation. */
typedef struct clean_scratch {
  copydesk_alloc alc;
  copydesk_buf buf[2];
  copydesk_edits edits;
} clean_scratch;

#define SCRATCH_NAME "copydesk.clean scratch"

static int scratch_gc(lua_State *L) {
  clean_scratch *sc = luaL_checkudata(L, 1, SCRATCH_NAME);
  copydesk_buf_free(&sc->buf[0]);
  copydesk_buf_free(&sc->buf[1]);
  copydesk_edits_free(&sc->edits);
  return 0;
}

static const char *const clean_opts[] = {"boilerplate", "patterns", "builtin", "site_patterns",
                                         "captions", "keep_unique", "repeats", "removed", NULL};

enum { STEP_BOILERPLATE, STEP_SITE, STEP_CAPTIONS, STEP_REPEATS, STEP_SPACE };

/* Adds a step's edits to the counts table at `counts` ({reason = n}) and, when `removed` is not
** 0, to the list there as { reason =, text = } (text from the step's input s). A site pattern's
** removal is counted as "site-boilerplate". */
static void tally_edits(lua_State *L, const copydesk_edits *e, const char *s, int site,
                        int counts, int removed) {
  size_t i;
  const char *reason;
  for (i = 0; i < e->n; i++) {
    reason = site ? "site-boilerplate" : copydesk_reason_name(e->items[i].reason);
    lua_getfield(L, counts, reason);
    lua_pushinteger(L, lua_tointeger(L, -1) + 1);
    lua_setfield(L, counts, reason);
    lua_pop(L, 1);
    if (!removed) continue;
    lua_createtable(L, 0, 2);
    lua_pushstring(L, reason);
    lua_setfield(L, -2, "reason");
    lua_pushlstring(L, s + e->items[i].pos, e->items[i].len);
    lua_setfield(L, -2, "text");
    lua_rawseti(L, removed, (lua_Integer)luaL_len(L, removed) + 1);
  }
}

/* copydesk.clean(s [, {boilerplate = true, patterns =, builtin = true, site_patterns =,
** captions = true, keep_unique = false, repeats = true, removed = false}])
** -> text, counts [, removed] | fail, message, position
** strip_boilerplate (with `patterns`, then `site_patterns` alone, whose lines count as
** "site-boilerplate"), strip_captions, strip_repeats and normalize_space in one call, without a
** Lua string or table between the steps: counts is { reason = n }; with removed = true the
** third value lists what went, { reason =, text = }, in step order. */
static int l_clean(lua_State *L) {
  size_t len, cur_len, site_len = 0;
  const char *s = luaL_checklstring(L, 1, &len), *cur = s, *site;
  clean_scratch *sc = lua_touserdata(L, lua_upvalueindex(1));
  copydesk_boilerplate_opts o = {NULL, 0}, so = {NULL, 0};
  unsigned bflags = 0, cflags = 0;
  copydesk_repeat_opts ro = {0};
  copydesk_err err;
  copydesk_code rc = COPYDESK_OK;
  copydesk_buf *out;
  int step, k = 0, counts, removed = 0, on[STEP_SPACE + 1];
  cdlua_checkopts(L, 2, clean_opts);
  on[STEP_BOILERPLATE] = cdlua_optbool(L, 2, "boilerplate", 1);
  on[STEP_CAPTIONS] = cdlua_optbool(L, 2, "captions", 1);
  on[STEP_REPEATS] = cdlua_optbool(L, 2, "repeats", 1);
  on[STEP_SPACE] = 1;
  if (!cdlua_optbool(L, 2, "builtin", 1)) bflags |= COPYDESK_BOILERPLATE_NO_BUILTIN;
  if (cdlua_optbool(L, 2, "keep_unique", 0)) cflags |= COPYDESK_CAPTION_KEEP_UNIQUE;
  site = cdlua_optstring(L, 2, "site_patterns", &site_len);
  on[STEP_SITE] = on[STEP_BOILERPLATE] && site != NULL;
  so.patterns = site;
  so.patterns_len = site_len;
  push_patterns(L, 2);
  o.patterns = lua_tolstring(L, -1, &o.patterns_len);
  lua_createtable(L, 0, 4);
  counts = lua_gettop(L);
  if (cdlua_optbool(L, 2, "removed", 0)) {
    lua_newtable(L);
    removed = lua_gettop(L);
  }
  cur_len = len;
  for (step = STEP_BOILERPLATE; step <= STEP_SPACE && rc == COPYDESK_OK; step++) {
    if (!on[step]) continue;
    out = &sc->buf[k];
    out->len = 0;
    sc->edits.n = 0;
    switch (step) {
    case STEP_BOILERPLATE:
      rc = copydesk_clean_boilerplate(cur, cur_len, bflags, &o, out, &sc->edits, &err);
      break;
    case STEP_SITE:
      rc = copydesk_clean_boilerplate(cur, cur_len, COPYDESK_BOILERPLATE_NO_BUILTIN, &so, out,
                                      &sc->edits, &err);
      break;
    case STEP_CAPTIONS:
      rc = copydesk_clean_captions(cur, cur_len, cflags, out, &sc->edits, &err);
      break;
    case STEP_REPEATS:
      rc = copydesk_clean_repeats(cur, cur_len, &ro, out, &sc->edits, &err);
      break;
    default:
      rc = copydesk_clean_space(cur, cur_len, out, &err);
      break;
    }
    if (rc != COPYDESK_OK) break;
    tally_edits(L, &sc->edits, cur, step == STEP_SITE, counts, removed);
    cur = out->data ? out->data : "";
    cur_len = out->len;
    k ^= 1;
  }
  cdlua_checkmem(L, rc);
  if (rc != COPYDESK_OK) return cdlua_pushfail(L, &err, NULL);
  lua_pushlstring(L, cur, cur_len);
  lua_pushvalue(L, counts);
  if (removed) lua_pushvalue(L, removed);
  return removed ? 3 : 2;
}

static const luaL_Reg funcs[] = {
  {"normalize_space", l_normalize_space},
  {"strip_boilerplate", l_strip_boilerplate},
  {"boilerplate_patterns", l_boilerplate_patterns},
  {"strip_captions", l_strip_captions},
  {"strip_repeats", l_strip_repeats},
  {"split_glued", l_split_glued},
  {"parse_date", l_parse_date},
  {"url_valid", l_url_valid},
  {"quality", l_quality},
  {NULL, NULL}
};

void cdlua_open_clean(lua_State *L) {
  clean_scratch *sc;
  luaL_setfuncs(L, funcs, 0);
  sc = lua_newuserdatauv(L, sizeof *sc, 0);
  memset(sc, 0, sizeof *sc);
  cdlua_alloc(L, &sc->alc);
  copydesk_buf_init(&sc->buf[0], &sc->alc);
  copydesk_buf_init(&sc->buf[1], &sc->alc);
  sc->edits.alc = &sc->alc;
  if (luaL_newmetatable(L, SCRATCH_NAME)) {
    lua_pushcfunction(L, scratch_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  lua_pushcclosure(L, l_clean, 1);
  lua_setfield(L, -2, "clean");
}
