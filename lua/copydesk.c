/* copydesk.c: luaopen_copydesk assembles the module table; helpers shared by the binding. */
#include <string.h>

#include "cdlua.h"
#include "copydesk_lua.h"

#define BOX_NAME "copydesk.box"

static void *box_malloc(void *ctx, size_t n) {
  lua_State *L = ctx;
  void *ud;
  lua_Alloc f = lua_getallocf(L, &ud);
  return f(ud, NULL, 0, n);
}

static void *box_realloc(void *ctx, void *p, size_t old, size_t n) {
  lua_State *L = ctx;
  void *ud;
  lua_Alloc f = lua_getallocf(L, &ud);
  return f(ud, p, p ? old : 0, n);
}

static void box_free(void *ctx, void *p, size_t n) {
  lua_State *L = ctx;
  void *ud;
  lua_Alloc f = lua_getallocf(L, &ud);
  f(ud, p, n, 0);
}

void cdlua_boxclear(cdlua_box *box) {
  copydesk_buf_free(&box->buf);
  copydesk_edits_free(&box->edits);
  copydesk_article_free(box->article);
  box->article = NULL;
}

static int box_gc(lua_State *L) {
  cdlua_boxclear(luaL_checkudata(L, 1, BOX_NAME));
  return 0;
}

void cdlua_alloc(lua_State *L, copydesk_alloc *alc) {
  alc->malloc = box_malloc;
  alc->realloc = box_realloc;
  alc->free = box_free;
  /* The main thread lives as long as the state, unlike the coroutine that may be calling. */
  lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
  alc->ctx = lua_tothread(L, -1);
  lua_pop(L, 1);
}

cdlua_box *cdlua_newbox(lua_State *L) {
  cdlua_box *box = lua_newuserdatauv(L, sizeof *box, 0);
  memset(box, 0, sizeof *box);
  cdlua_alloc(L, &box->alc);
  copydesk_buf_init(&box->buf, &box->alc);
  box->edits.alc = &box->alc;
  if (luaL_newmetatable(L, BOX_NAME)) {
    lua_pushcfunction(L, box_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  return box;
}

int cdlua_nomem(lua_State *L) {
  lua_pushliteral(L, "not enough memory");
  return lua_error(L);
}

void cdlua_checkmem(lua_State *L, copydesk_code rc) {
  if (rc == COPYDESK_ERR_NOMEM) cdlua_nomem(L);
}

int cdlua_pushfail(lua_State *L, const copydesk_err *e, const char *name) {
  luaL_pushfail(L);
  if (name && e->line) lua_pushfstring(L, "%s:%d:%d: %s", name, (int)e->line, (int)e->col, e->msg);
  else if (name) lua_pushfstring(L, "%s: %s", name, e->msg);
  else if (e->line) lua_pushfstring(L, "%d:%d: %s", (int)e->line, (int)e->col, e->msg);
  else lua_pushstring(L, e->msg);
  if (e->context && e->context[0]) {
    lua_pushfstring(L, " (%s)", e->context);
    lua_concat(L, 2);
  }
  lua_pushinteger(L, cdlua_pos(e->pos));
  return 3;
}

void cdlua_checkopts(lua_State *L, int arg, const char *const names[]) {
  if (lua_isnoneornil(L, arg)) return;
  luaL_checktype(L, arg, LUA_TTABLE);
  lua_pushnil(L);
  while (lua_next(L, arg)) {
    int i, found = 0;
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TSTRING) {
      const char *key = lua_tostring(L, -1);
      for (i = 0; names[i] && !found; i++) found = strcmp(names[i], key) == 0;
      if (!found) luaL_argerror(L, arg, lua_pushfstring(L, "unknown option '%s'", key));
    } else {
      luaL_argerror(L, arg, "option names must be strings");
    }
  }
}

int cdlua_optbool(lua_State *L, int arg, const char *key, int def) {
  int v = def;
  if (lua_isnoneornil(L, arg)) return def;
  switch (lua_getfield(L, arg, key)) {
  case LUA_TNIL: break;
  case LUA_TBOOLEAN: v = lua_toboolean(L, -1); break;
  default:
    luaL_argerror(L, arg, lua_pushfstring(L, "option '%s' must be a boolean, got %s", key,
                                          luaL_typename(L, -1)));
  }
  lua_pop(L, 1);
  return v;
}

const char *cdlua_optstring(lua_State *L, int arg, const char *key, size_t *len) {
  const char *s = NULL;
  size_t n = 0;
  if (!lua_isnoneornil(L, arg)) {
    lua_pushstring(L, key);
    switch (lua_rawget(L, arg)) {
    case LUA_TNIL: break;
    case LUA_TSTRING: s = lua_tolstring(L, -1, &n); break;
    default:
      luaL_argerror(L, arg, lua_pushfstring(L, "option '%s' must be a string, got %s", key,
                                            luaL_typename(L, -1)));
    }
    lua_pop(L, 1);
  }
  if (len) *len = n;
  return s;
}

int cdlua_optchoice(lua_State *L, int arg, const char *key, int def, const char *const lst[]) {
  int i;
  const char *v;
  luaL_Buffer b;
  if (lua_isnoneornil(L, arg)) return def;
  switch (lua_getfield(L, arg, key)) {
  case LUA_TNIL:
    lua_pop(L, 1);
    return def;
  case LUA_TSTRING:
    break;
  default:
    return luaL_argerror(L, arg, lua_pushfstring(L, "option '%s' must be a string, got %s", key,
                                                 luaL_typename(L, -1)));
  }
  v = lua_tostring(L, -1);
  for (i = 0; lst[i]; i++)
    if (strcmp(lst[i], v) == 0) {
      lua_pop(L, 1);
      return i;
    }
  luaL_buffinit(L, &b);
  lua_pushfstring(L, "option '%s' must be one of ", key);
  luaL_addvalue(&b);
  for (i = 0; lst[i]; i++) {
    lua_pushfstring(L, "%s'%s'", i ? ", " : "", lst[i]);
    luaL_addvalue(&b);
  }
  lua_pushfstring(L, ", got '%s'", v);
  luaL_addvalue(&b);
  luaL_pushresult(&b);
  return luaL_argerror(L, arg, lua_tostring(L, -1));
}

void cdlua_pushedits(lua_State *L, const copydesk_edits *e, const char *s) {
  size_t i;
  lua_createtable(L, (int)e->n, 0);
  for (i = 0; i < e->n; i++) {
    const copydesk_edit *ed = &e->items[i];
    lua_createtable(L, 0, 4);
    lua_pushinteger(L, cdlua_pos(ed->pos));
    lua_setfield(L, -2, "first");
    lua_pushinteger(L, (lua_Integer)(ed->pos + ed->len));
    lua_setfield(L, -2, "last");
    lua_pushstring(L, copydesk_reason_name(ed->reason));
    lua_setfield(L, -2, "reason");
    lua_pushlstring(L, s + ed->pos, ed->len);
    lua_setfield(L, -2, "text");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

static int l_utf8_valid(lua_State *L) {
  size_t len, bad;
  const char *s = luaL_checklstring(L, 1, &len);
  if (copydesk_utf8_valid(s, len, &bad)) {
    lua_pushboolean(L, 1);
    return 1;
  }
  luaL_pushfail(L);
  lua_pushinteger(L, cdlua_pos(bad));
  return 2;
}

static const luaL_Reg funcs[] = {
  {"utf8_valid", l_utf8_valid},
  {"_VERSION", NULL},
  {"unicode_version", NULL},
  {NULL, NULL}
};

int luaopen_copydesk(lua_State *L) {
  luaL_checkversion(L);
  luaL_newlib(L, funcs);
  lua_pushliteral(L, "copydesk " COPYDESK_VERSION_STRING);
  lua_setfield(L, -2, "_VERSION");
  lua_pushstring(L, copydesk_unicode_version());
  lua_setfield(L, -2, "unicode_version");
  cdlua_open_article(L);
  cdlua_open_fix(L);
  cdlua_open_clean(L);
  cdlua_open_fs(L);
  cdlua_open_segment(L);
  cdlua_open_dedup(L);
  cdlua_open_docs(L);
  cdlua_open_pattern(L);
  return 1;
}

void copydesk_preload(lua_State *L) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, luaopen_copydesk);
  lua_setfield(L, -2, "copydesk");
  lua_pop(L, 1);
}
