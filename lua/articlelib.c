/* articlelib.c: copydesk.parse and copydesk.render, and the meta value <-> Lua conversion. */
#include <stdlib.h>
#include <string.h>

#include "cdlua.h"

#define MAX_DEPTH 64
#define ARRAY_MT "copydesk.array"
#define META_ORDER "__order"

static const char *const format_names[] = {"plain", "front-matter", "dated", "json", "text", NULL};

/* copydesk.null: a light userdata, as cjson.null, so YAML null survives in a table. */
static void pushnull(lua_State *L) { lua_pushlightuserdata(L, NULL); }

static void push_value(lua_State *L, const copydesk_value *v, int depth);

static void push_list(lua_State *L, const copydesk_value *v, int depth) {
  size_t i;
  lua_createtable(L, (int)v->u.list.n, 0);
  for (i = 0; i < v->u.list.n; i++) {
    push_value(L, &v->u.list.items[i], depth + 1);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  luaL_setmetatable(L, ARRAY_MT);
}

static void push_map(lua_State *L, const copydesk_value *v, int depth) {
  size_t i;
  lua_createtable(L, 0, (int)v->u.map.n);
  for (i = 0; i < v->u.map.n; i++) {
    const copydesk_pair *p = &v->u.map.pairs[i];
    lua_pushlstring(L, p->key, p->key_len);
    push_value(L, &p->value, depth + 1);
    lua_rawset(L, -3);
  }
}

static void push_value(lua_State *L, const copydesk_value *v, int depth) {
  luaL_checkstack(L, 4, "meta nested too deeply");
  switch (v->type) {
  case COPYDESK_NULL: pushnull(L); break;
  case COPYDESK_BOOL: lua_pushboolean(L, v->u.boolean); break;
  case COPYDESK_INT: lua_pushinteger(L, (lua_Integer)v->u.integer); break;
  case COPYDESK_FLOAT: lua_pushnumber(L, (lua_Number)v->u.number); break;
  case COPYDESK_STRING: lua_pushlstring(L, v->u.str.s, v->u.str.len); break;
  case COPYDESK_LIST: push_list(L, v, depth); break;
  case COPYDESK_MAP: push_map(L, v, depth); break;
  }
}

/* The top-level meta keeps its key order in its metatable's __order list, so render writes
** keys back in the order the file had them. */
static void push_meta(lua_State *L, const copydesk_value *meta) {
  size_t i;
  push_map(L, meta, 0);
  lua_createtable(L, 0, 1);
  lua_createtable(L, (int)meta->u.map.n, 0);
  for (i = 0; i < meta->u.map.n; i++) {
    lua_pushlstring(L, meta->u.map.pairs[i].key, meta->u.map.pairs[i].key_len);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, META_ORDER);
  lua_setmetatable(L, -2);
}

void cdlua_pusharticle(lua_State *L, const copydesk_article *a, int name_idx) {
  lua_createtable(L, 0, 5);
  push_meta(L, &a->meta);
  lua_setfield(L, -2, "meta");
  lua_pushlstring(L, a->body, a->body_len);
  lua_setfield(L, -2, "body");
  lua_pushstring(L, format_names[a->format]);
  lua_setfield(L, -2, "format");
  lua_pushinteger(L, (lua_Integer)a->body_line);
  lua_setfield(L, -2, "body_line");
  if (name_idx != 0 && !lua_isnoneornil(L, name_idx)) {
    lua_pushvalue(L, name_idx);
    lua_setfield(L, -2, "source");
  }
}

/* copydesk.parse(text [, name]) -> article | fail, message, position */
static int l_parse(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  const char *name = luaL_optstring(L, 2, NULL);
  copydesk_err err;
  copydesk_code rc;
  cdlua_box *box;
  lua_settop(L, 2); /* the box must not land where the name is looked for */
  box = cdlua_newbox(L);
  rc = copydesk_article_parse(s, len, NULL, &box->alc, &box->article, &err);
  cdlua_checkmem(L, rc);
  if (rc != COPYDESK_OK) {
    cdlua_boxclear(box);
    return cdlua_pushfail(L, &err, name);
  }
  cdlua_pusharticle(L, box->article, 2);
  cdlua_boxclear(box);
  return 1;
}

/* ---- Lua -> C ---------------------------------------------------------------------------- */

static void to_value(lua_State *L, int idx, copydesk_value *v, const copydesk_alloc *alc, int depth);

/* A table is a list when it has the array metatable, or is a non-empty sequence 1..n. */
static int is_list(lua_State *L, int idx, lua_Integer *n) {
  lua_Integer count = 0;
  *n = (lua_Integer)lua_rawlen(L, idx);
  if (lua_getmetatable(L, idx)) {
    int arr;
    luaL_getmetatable(L, ARRAY_MT);
    arr = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    if (arr) return 1;
  }
  if (*n == 0) return 0;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    count++;
  }
  return count == *n;
}

static void to_list(lua_State *L, int idx, copydesk_value *v, const copydesk_alloc *alc, int depth,
                    lua_Integer n) {
  lua_Integer i;
  v->type = COPYDESK_LIST;
  for (i = 1; i <= n; i++) {
    copydesk_value *item = copydesk_list_push(v, alc);
    if (item == NULL) cdlua_nomem(L);
    lua_rawgeti(L, idx, i);
    to_value(L, lua_gettop(L), item, alc, depth + 1);
    lua_pop(L, 1);
  }
}

static void to_pair(lua_State *L, copydesk_value *map, const copydesk_alloc *alc, int depth) {
  size_t klen;
  const char *k;
  copydesk_value *slot;
  k = lua_tolstring(L, -2, &klen);
  slot = copydesk_map_push(map, k, klen, alc);
  if (slot == NULL) cdlua_nomem(L);
  to_value(L, lua_gettop(L), slot, alc, depth + 1);
}

typedef struct key_ref {
  const char *s;
  size_t len;
} key_ref;

static int key_cmp(const void *a, const void *b) {
  const key_ref *x = a, *y = b;
  size_t n = x->len < y->len ? x->len : y->len;
  int c = memcmp(x->s, y->s, n);
  return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Pushes a list of the string keys of table idx in byte order, so nested maps render the same on
** every run (Lua's traversal order is not stable); keys set in the table at `skip` (0: none) are
** left out, since they were written already. */
static void sorted_keys(lua_State *L, int idx, int skip) {
  size_t i, n = 0;
  key_ref *refs;
  int list;
  lua_newtable(L);
  list = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING)
      luaL_argerror(L, 1, lua_pushfstring(L, "meta keys must be strings, got %s",
                                          luaL_typename(L, -1)));
    lua_pushvalue(L, -1);
    if (skip && lua_rawget(L, skip) != LUA_TNIL) {
      lua_pop(L, 1);
      continue;
    }
    if (skip) {
      lua_pop(L, 1);
      lua_pushvalue(L, -1);
    }
    lua_rawseti(L, list, (lua_Integer)++n);
  }
  refs = lua_newuserdatauv(L, n * sizeof *refs + 1, 0);
  for (i = 0; i < n; i++) {
    lua_rawgeti(L, list, (lua_Integer)i + 1);
    refs[i].s = lua_tolstring(L, -1, &refs[i].len); /* stays alive: `list` holds it */
    lua_pop(L, 1);
  }
  qsort(refs, n, sizeof *refs, key_cmp);
  lua_createtable(L, (int)n, 0);
  for (i = 0; i < n; i++) {
    lua_pushlstring(L, refs[i].s, refs[i].len);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_replace(L, list);
  lua_pop(L, 1);
}

/* Writes the keys listed in the table at `order` first (those still present), then the rest
** sorted. */
static void to_map(lua_State *L, int idx, copydesk_value *v, const copydesk_alloc *alc, int depth,
                   int order) {
  lua_Integer i, n;
  int keys, done = 0;
  v->type = COPYDESK_MAP;
  if (order) {
    lua_newtable(L); /* keys written */
    done = lua_gettop(L);
    n = (lua_Integer)lua_rawlen(L, order);
    for (i = 1; i <= n; i++) {
      lua_rawgeti(L, order, i);
      lua_pushvalue(L, -1);
      if (lua_type(L, -1) == LUA_TSTRING && lua_rawget(L, idx) != LUA_TNIL) {
        to_pair(L, v, alc, depth);
        lua_pushvalue(L, -2);
        lua_pushboolean(L, 1);
        lua_rawset(L, done);
        lua_pop(L, 2);
      } else {
        lua_pop(L, 2);
      }
    }
  }
  sorted_keys(L, idx, done);
  keys = lua_gettop(L);
  n = (lua_Integer)lua_rawlen(L, keys);
  for (i = 1; i <= n; i++) {
    lua_rawgeti(L, keys, i);
    lua_pushvalue(L, -1);
    lua_rawget(L, idx);
    to_pair(L, v, alc, depth);
    lua_pop(L, 2);
  }
  lua_pop(L, done ? 2 : 1);
}

static void to_table(lua_State *L, int idx, copydesk_value *v, const copydesk_alloc *alc,
                     int depth) {
  lua_Integer n;
  if (depth > MAX_DEPTH)
    luaL_argerror(L, 1, lua_pushfstring(L, "meta nested more than %d levels (a cycle?)",
                                        MAX_DEPTH));
  luaL_checkstack(L, 8, "meta nested too deeply");
  if (is_list(L, idx, &n)) to_list(L, idx, v, alc, depth, n);
  else to_map(L, idx, v, alc, depth, 0);
}

static void to_value(lua_State *L, int idx, copydesk_value *v, const copydesk_alloc *alc,
                     int depth) {
  size_t len;
  const char *s;
  switch (lua_type(L, idx)) {
  case LUA_TBOOLEAN:
    v->type = COPYDESK_BOOL;
    v->u.boolean = lua_toboolean(L, idx);
    break;
  case LUA_TNUMBER:
    if (lua_isinteger(L, idx)) {
      v->type = COPYDESK_INT;
      v->u.integer = (int64_t)lua_tointeger(L, idx);
    } else {
      v->type = COPYDESK_FLOAT;
      v->u.number = (double)lua_tonumber(L, idx);
    }
    break;
  case LUA_TSTRING:
    s = lua_tolstring(L, idx, &len);
    cdlua_checkmem(L, copydesk_value_set_string(v, s, len, alc));
    break;
  case LUA_TTABLE:
    to_table(L, idx, v, alc, depth);
    break;
  case LUA_TLIGHTUSERDATA:
    if (lua_touserdata(L, idx) == NULL) {
      v->type = COPYDESK_NULL;
      break;
    }
    /* fall through */
  default:
    luaL_argerror(L, 1, lua_pushfstring(L, "meta values cannot be of type %s",
                                        luaL_typename(L, idx)));
  }
}

/* Builds box->article from the article table at index 1. */
static void to_article(lua_State *L, cdlua_box *box) {
  size_t len;
  const char *body;
  int meta, order = 0;
  box->article = copydesk_article_new(&box->alc);
  if (box->article == NULL) cdlua_nomem(L);
  lua_getfield(L, 1, "body");
  body = lua_tolstring(L, -1, &len);
  luaL_argcheck(L, body != NULL, 1, "field 'body' must be a string");
  cdlua_checkmem(L, copydesk_article_set_body(box->article, body, len));
  lua_pop(L, 1);
  if (lua_getfield(L, 1, "meta") == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  luaL_argcheck(L, lua_istable(L, -1), 1, "field 'meta' must be a table");
  meta = lua_gettop(L);
  if (lua_getmetatable(L, meta) && lua_getfield(L, -1, META_ORDER) == LUA_TTABLE)
    order = lua_gettop(L);
  to_map(L, meta, &box->article->meta, &box->alc, 0, order);
  lua_settop(L, meta - 1);
}

/* copydesk.render(article, format) -> string | fail, message */
static int l_render(lua_State *L) {
  copydesk_format fmt;
  copydesk_err err;
  copydesk_code rc;
  cdlua_box *box;
  luaL_checktype(L, 1, LUA_TTABLE);
  fmt = (copydesk_format)luaL_checkoption(L, 2, "front-matter", format_names);
  box = cdlua_newbox(L);
  to_article(L, box);
  rc = copydesk_article_render(box->article, fmt, &box->buf, &err);
  cdlua_checkmem(L, rc);
  if (rc != COPYDESK_OK) {
    cdlua_boxclear(box);
    return cdlua_pushfail(L, &err, NULL);
  }
  lua_pushlstring(L, box->buf.data ? box->buf.data : "", box->buf.len);
  cdlua_boxclear(box);
  return 1;
}

static const luaL_Reg funcs[] = {
  {"parse", l_parse},
  {"render", l_render},
  {NULL, NULL}
};

void cdlua_open_article(lua_State *L) {
  luaL_setfuncs(L, funcs, 0);
  pushnull(L);
  lua_setfield(L, -2, "null");
  luaL_newmetatable(L, ARRAY_MT);
  lua_setfield(L, -2, "array_mt");
}
