/* patternlib.c: copydesk.find, match, gmatch and gsub: Lua patterns over Unicode characters.
** The arguments, results and errors are string.find's, match's, gmatch's and gsub's; the core
** (copydesk_pattern_find) does the matching, this file only converts and builds replacements. */
#include <string.h>

#include "cdlua.h"

/* Reads the init argument as string.find does (negative counts from the end, clipped to 1) and
** returns it as a 0-based offset, which is above len when there is nothing left to search. */
static size_t opt_init(lua_State *L, int arg, size_t len) {
  lua_Integer pos = luaL_optinteger(L, arg, 1);
  if (pos > 0) return (size_t)pos - 1;
  if (pos == 0 || pos < -(lua_Integer)len) return 0;
  return len - (size_t)(-pos);
}

/* The core's pattern errors carry Lua's own messages; raise them as string.find would. */
static void find_or_raise(lua_State *L, const char *s, size_t len, const char *p, size_t plen,
                          size_t init, unsigned flags, copydesk_pattern_match *m) {
  copydesk_err e;
  if (copydesk_pattern_find(s, len, p, plen, init, flags, m, &e) != COPYDESK_OK)
    luaL_error(L, "%s", e.msg);
}

/* Pushes capture i of m, or the whole match for i 0 when the pattern has no captures. */
static void push_capture(lua_State *L, const char *s, const copydesk_pattern_match *m, int i) {
  const copydesk_pattern_cap *c;
  if (i >= m->ncap) {
    if (i != 0) luaL_error(L, "invalid capture index %%%d", i + 1);
    lua_pushlstring(L, s + m->pos, m->end - m->pos);
    return;
  }
  c = &m->cap[i];
  if (c->len == COPYDESK_PATTERN_UNFINISHED) luaL_error(L, "unfinished capture");
  if (c->len == COPYDESK_PATTERN_POSITION) lua_pushinteger(L, cdlua_pos(c->pos));
  else lua_pushlstring(L, s + c->pos, c->len);
}

/* Pushes every capture (the whole match when there are none and `whole` is set); returns how
** many. */
static int push_captures(lua_State *L, const char *s, const copydesk_pattern_match *m, int whole) {
  int i, n = (m->ncap == 0 && whole) ? 1 : m->ncap;
  luaL_checkstack(L, n, "too many captures");
  for (i = 0; i < n; i++) push_capture(L, s, m, i);
  return n;
}

/* copydesk.find and copydesk.match share everything but what they return. */
static int find_aux(lua_State *L, int find) {
  size_t len, plen, init;
  const char *s = luaL_checklstring(L, 1, &len);
  const char *p = luaL_checklstring(L, 2, &plen);
  unsigned flags = 0;
  copydesk_pattern_match m;
  init = opt_init(L, 3, len);
  if (init > len) {
    luaL_pushfail(L);
    return 1;
  }
  if (find && (lua_toboolean(L, 4) || copydesk_pattern_is_plain(p, plen)))
    flags |= COPYDESK_PATTERN_PLAIN;
  find_or_raise(L, s, len, p, plen, init, flags, &m);
  if (!m.found) {
    luaL_pushfail(L);
    return 1;
  }
  if (!find) return push_captures(L, s, &m, 1);
  lua_pushinteger(L, cdlua_pos(m.pos));
  lua_pushinteger(L, (lua_Integer)m.end);
  return push_captures(L, s, &m, 0) + 2;
}

/* copydesk.find(s, pattern [, init [, plain]]) -> first, last, captures... | fail */
static int l_find(lua_State *L) { return find_aux(L, 1); }

/* copydesk.match(s, pattern [, init]) -> captures... | fail */
static int l_match(lua_State *L) { return find_aux(L, 0); }

/* Where a gmatch iteration stands: the next offset to search from (above len when done). */
typedef struct gmatch_state {
  size_t pos;
  unsigned flags;
} gmatch_state;

/* The iterator of copydesk.gmatch: upvalues 1 and 2 are the subject and the pattern, kept
** alive on the closure because the state reads them; upvalue 3 the state. */
static int gmatch_next(lua_State *L) {
  size_t len, plen;
  const char *s = lua_tolstring(L, lua_upvalueindex(1), &len);
  const char *p = lua_tolstring(L, lua_upvalueindex(2), &plen);
  gmatch_state *gm = lua_touserdata(L, lua_upvalueindex(3));
  copydesk_pattern_match m;
  if (gm->pos > len) return 0;
  find_or_raise(L, s, len, p, plen, gm->pos, gm->flags, &m);
  if (!m.found) {
    gm->pos = len + 1;
    return 0;
  }
  gm->pos = m.end;
  gm->flags |= COPYDESK_PATTERN_NOT_EMPTY_AT_INIT;
  return push_captures(L, s, &m, 1);
}

/* copydesk.gmatch(s, pattern [, init]) -> iterator of captures (a leading '^' is literal) */
static int l_gmatch(lua_State *L) {
  size_t len, plen, init;
  gmatch_state *gm;
  luaL_checklstring(L, 1, &len);
  luaL_checklstring(L, 2, &plen);
  init = opt_init(L, 3, len);
  lua_settop(L, 2);
  gm = lua_newuserdatauv(L, sizeof *gm, 0);
  gm->pos = init > len ? len + 1 : init;
  gm->flags = COPYDESK_PATTERN_CARET_LITERAL;
  lua_pushcclosure(L, gmatch_next, 3);
  return 1;
}

/* Appends replacement string (argument 3) for match m: %0 is the match, %1-%9 the captures,
** %% a percent sign. */
static void add_string(lua_State *L, luaL_Buffer *b, const char *s,
                       const copydesk_pattern_match *m) {
  size_t rlen;
  const char *r = lua_tolstring(L, 3, &rlen), *end = r + rlen, *pct;
  while ((pct = memchr(r, '%', (size_t)(end - r))) != NULL) {
    luaL_addlstring(b, r, (size_t)(pct - r));
    if (pct + 1 == end || ((pct[1] < '0' || pct[1] > '9') && pct[1] != '%'))
      luaL_error(L, "invalid use of '%%' in replacement string");
    r = pct + 2;
    if (pct[1] == '%') {
      luaL_addchar(b, '%');
    } else if (pct[1] == '0') {
      luaL_addlstring(b, s + m->pos, m->end - m->pos);
    } else {
      push_capture(L, s, m, pct[1] - '1');
      luaL_addvalue(b);
    }
  }
  luaL_addlstring(b, r, (size_t)(end - r));
}

/* Appends the replacement for match m as gsub does: a string expanded, a table indexed with the
** first capture, a function called with the captures; false or nil keeps the match. Returns 1
** if the text changed. */
static int add_value(lua_State *L, luaL_Buffer *b, const char *s, const copydesk_pattern_match *m,
                     int tr) {
  if (tr == LUA_TFUNCTION) {
    int n;
    lua_pushvalue(L, 3);
    n = push_captures(L, s, m, 1);
    lua_call(L, n, 1);
  } else if (tr == LUA_TTABLE) {
    push_capture(L, s, m, 0);
    lua_gettable(L, 3);
  } else {
    add_string(L, b, s, m);
    return 1;
  }
  if (!lua_toboolean(L, -1)) {
    lua_pop(L, 1);
    luaL_addlstring(b, s + m->pos, m->end - m->pos);
    return 0;
  }
  if (!lua_isstring(L, -1))
    return luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
  luaL_addvalue(b);
  return 1;
}

/* copydesk.gsub(s, pattern, repl [, n]) -> string, number of matches */
static int l_gsub(lua_State *L) {
  size_t len, plen, pos = 0, copied = 0;
  const char *s = luaL_checklstring(L, 1, &len);
  const char *p = luaL_checklstring(L, 2, &plen);
  int tr = lua_type(L, 3), changed = 0;
  lua_Integer max = luaL_optinteger(L, 4, (lua_Integer)len + 1), n = 0;
  unsigned flags = 0;
  copydesk_pattern_match m;
  luaL_Buffer b;
  luaL_argexpected(L, tr == LUA_TNUMBER || tr == LUA_TSTRING || tr == LUA_TFUNCTION ||
                   tr == LUA_TTABLE, 3, "string/function/table");
  luaL_buffinit(L, &b);
  while (n < max) {
    find_or_raise(L, s, len, p, plen, pos, flags, &m);
    if (!m.found) break;
    n++;
    luaL_addlstring(&b, s + copied, m.pos - copied);
    changed |= add_value(L, &b, s, &m, tr);
    copied = pos = m.end;
    flags |= COPYDESK_PATTERN_NOT_EMPTY_AT_INIT;
    if (plen > 0 && p[0] == '^') break; /* anchored: one match at most */
  }
  if (!changed) {
    lua_pushvalue(L, 1);
  } else {
    luaL_addlstring(&b, s + copied, len - copied);
    luaL_pushresult(&b);
  }
  lua_pushinteger(L, n);
  return 2;
}

static const luaL_Reg funcs[] = {
  {"find", l_find},
  {"match", l_match},
  {"gmatch", l_gmatch},
  {"gsub", l_gsub},
  {NULL, NULL}
};

void cdlua_open_pattern(lua_State *L) { luaL_setfuncs(L, funcs, 0); }
