/* cleanlib.c: the cleaning steps: white space, boilerplate lines, captions. */
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

/* copydesk.strip_boilerplate(s) -> text, removed */
static int l_strip_boilerplate(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  cdlua_box *box = cdlua_newbox(L);
  copydesk_err err;
  cdlua_checkmem(L, copydesk_clean_boilerplate(s, len, &box->buf, &box->edits, &err));
  push_text(L, box);
  cdlua_pushedits(L, &box->edits, s);
  cdlua_boxclear(box);
  return 2;
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

static const luaL_Reg funcs[] = {
  {"normalize_space", l_normalize_space},
  {"strip_boilerplate", l_strip_boilerplate},
  {"strip_captions", l_strip_captions},
  {NULL, NULL}
};

void cdlua_open_clean(lua_State *L) { luaL_setfuncs(L, funcs, 0); }
