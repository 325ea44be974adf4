/* fixlib.c: copydesk.fix, the encoding repair. */
#include "cdlua.h"

static const char *const fix_opts[] = {"preset", "mojibake", "lossy", "c1", "entities",
                                       "terminal", "line_breaks", "controls", "quotes", "width",
                                       "ligatures", "normalize", "invalid", NULL};
static const char *const presets[] = {"default", "ftfy", "none", NULL};
static const unsigned preset_flags[] = {COPYDESK_FIX_DEFAULT, COPYDESK_FIX_FTFY, 0};
static const char *const normal_forms[] = {"NFC", "NFKC", "none", NULL};
static const char *const invalid_modes[] = {"cp1252", "replace", NULL};
static const char *const entity_modes[] = {"auto", "double", "never", NULL};

/* The boolean options: key and flag. */
static const struct { const char *key; unsigned flag; } bool_opts[] = {
  {"mojibake", COPYDESK_FIX_MOJIBAKE}, {"lossy", COPYDESK_FIX_LOSSY}, {"c1", COPYDESK_FIX_C1},
  {"terminal", COPYDESK_FIX_TERMINAL}, {"line_breaks", COPYDESK_FIX_LINE_BREAKS},
  {"controls", COPYDESK_FIX_CONTROLS}, {"quotes", COPYDESK_FIX_QUOTES},
  {"width", COPYDESK_FIX_WIDTH}, {"ligatures", COPYDESK_FIX_LIGATURES},
};

static unsigned set_flag(unsigned flags, unsigned flag, int on) {
  return on ? flags | flag : flags & ~flag;
}

/* Reads the options table into flags: the preset's, then each key given overrides its step. */
static unsigned check_fix_opts(lua_State *L, int arg) {
  unsigned flags;
  size_t k;
  int choice;
  cdlua_checkopts(L, arg, fix_opts);
  flags = preset_flags[cdlua_optchoice(L, arg, "preset", 0, presets)];
  for (k = 0; k < sizeof bool_opts / sizeof bool_opts[0]; k++)
    flags = set_flag(flags, bool_opts[k].flag,
                     cdlua_optbool(L, arg, bool_opts[k].key, (flags & bool_opts[k].flag) != 0));
  choice = cdlua_optchoice(L, arg, "entities", (flags & COPYDESK_FIX_ENTITIES) ? 0 : 2,
                           entity_modes);
  flags = set_flag(flags, COPYDESK_FIX_ENTITIES, choice != 2);
  flags = set_flag(flags, COPYDESK_FIX_ENTITIES_DOUBLE, choice == 1);
  choice = cdlua_optchoice(L, arg, "normalize",
                           !(flags & COPYDESK_FIX_NFC) ? 2 : (flags & COPYDESK_FIX_COMPAT) ? 1 : 0,
                           normal_forms);
  flags = set_flag(flags, COPYDESK_FIX_NFC, choice != 2);
  flags = set_flag(flags, COPYDESK_FIX_COMPAT, choice == 1);
  choice = cdlua_optchoice(L, arg, "invalid", (flags & COPYDESK_FIX_REPLACE_INVALID) ? 1 : 0,
                           invalid_modes);
  return set_flag(flags, COPYDESK_FIX_REPLACE_INVALID, choice == 1);
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
