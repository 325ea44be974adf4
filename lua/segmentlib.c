/* segmentlib.c: segmentation, sentences, words, normalisation and the Unicode string functions. */
#include <string.h>

#include "cdlua.h"

static const char *const unit_names[] = {"grapheme", "word", "sentence", NULL};
static const char *const kind_names[] = {"other", "space", "punct", "letters", "number",
                                         "ideo", "kana", "emoji", NULL};

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
  return (unsigned)luaL_argerror(L, arg, lua_pushfstring(L, "invalid kind '%s'", name ? name : "?"));
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
  size_t pos, len;
  if (!copydesk_sent_next(c, &pos, &len)) return 0;
  lua_pushlstring(L, c->s + pos, len);
  lua_pushinteger(L, (lua_Integer)pos + 1);
  lua_pushinteger(L, (lua_Integer)(pos + len));
  return 3;
}

/* copydesk.sentences(s [, opts]) -> iterator of sentence, first, last */
static int l_sentences(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  unsigned flags = 0;
  copydesk_sent *c;
  const copydesk_abbrevs *a = NULL;
  cdlua_checkopts(L, 2, sentence_opts);
  if (cdlua_optchoice(L, 2, "rules", 0, rules_names) == 1) flags |= COPYDESK_SENT_UAX29;
  if (cdlua_optbool(L, 2, "wrapped", 0)) flags |= COPYDESK_SENT_WRAPPED;
  if (cdlua_optbool(L, 2, "trim", 0)) flags |= COPYDESK_SENT_TRIM;
  lua_settop(L, 2);
  if (lua_istable(L, 2) && lua_getfield(L, 2, "abbreviations") != LUA_TNIL) {
    if (lua_type(L, -1) == LUA_TTABLE) {
      abbrevs_box *b = new_abbrevs(L, 0);
      add_abbrevs(L, b->a, 3);
      lua_replace(L, 3);
      a = b->a;
    } else {
      abbrevs_box *b = luaL_testudata(L, -1, ABBREVS_NAME);
      if (b == NULL || b->a == NULL)
        luaL_argerror(L, 2, "option 'abbreviations' must be a list of strings or an open "
                      ABBREVS_NAME);
      a = b->a;
    }
  } else {
    lua_settop(L, 2);
    lua_pushnil(L);
  }
  lua_pushvalue(L, 1);
  c = lua_newuserdatauv(L, sizeof *c, 0);
  luaL_argcheck(L, copydesk_sent_init(c, s, len, a, flags) == COPYDESK_OK, 2, "invalid flags");
  lua_pushvalue(L, 3); /* keeps the list alive while the iterator runs */
  lua_pushcclosure(L, sentences_next, 3);
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
