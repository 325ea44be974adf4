/* fixlib.c: copydesk.fix, the encoding repair. */
#include "cdlua.h"

static const char *const fix_opts[] = {"mojibake", "line_breaks", "controls", "normalize",
                                       "invalid", NULL};
static const char *const normal_forms[] = {"NFC", "none", NULL};
static const char *const invalid_modes[] = {"cp1252", "replace", NULL};

/* Reads the options table into flags; every step defaults to on. */
static unsigned check_fix_opts(lua_State *L, int arg) {
  unsigned flags = 0;
  cdlua_checkopts(L, arg, fix_opts);
  if (cdlua_optbool(L, arg, "mojibake", 1)) flags |= COPYDESK_FIX_MOJIBAKE;
  if (cdlua_optbool(L, arg, "line_breaks", 1)) flags |= COPYDESK_FIX_LINE_BREAKS;
  if (cdlua_optbool(L, arg, "controls", 1)) flags |= COPYDESK_FIX_CONTROLS;
  if (cdlua_optchoice(L, arg, "normalize", 0, normal_forms) == 0) flags |= COPYDESK_FIX_NFC;
  if (cdlua_optchoice(L, arg, "invalid", 0, invalid_modes) == 1)
    flags |= COPYDESK_FIX_REPLACE_INVALID;
  return flags;
}

/* copydesk.fix(s [, opts]) -> fixed, changes */
static int l_fix(lua_State *L) {
  size_t len, changes = 0;
  const char *s = luaL_checklstring(L, 1, &len);
  copydesk_fix_opts opts;
  copydesk_err err;
  copydesk_code rc;
  cdlua_box *box;
  opts.flags = check_fix_opts(L, 2);
  box = cdlua_newbox(L);
  rc = copydesk_fix(s, len, &opts, &box->buf, &changes, &err);
  cdlua_checkmem(L, rc);
  if (rc != COPYDESK_OK) return luaL_error(L, "%s", err.msg);
  if (changes == 0) lua_pushvalue(L, 1);
  else lua_pushlstring(L, box->buf.data, box->buf.len);
  lua_pushinteger(L, (lua_Integer)changes);
  cdlua_boxclear(box);
  return 2;
}

static const luaL_Reg funcs[] = {
  {"fix", l_fix},
  {NULL, NULL}
};

void cdlua_open_fix(lua_State *L) { luaL_setfuncs(L, funcs, 0); }
