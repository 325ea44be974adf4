/* fixlib.c: copydesk.fix, the encoding repair. */
#include <string.h>

#include "cdlua.h"

static const char *const fix_opts[] = {"preset", "mojibake", "lossy", "c1", "entities",
                                       "terminal", "line_breaks", "controls", "quotes", "width",
                                       "ligatures", "normalize", "invalid", "explain", "hint",
                                       NULL};
static const char *const hints[] = {"none", "cyrillic", "greek", "central", "turkish", "baltic",
                                    "mac", "dos", NULL};
#define REPORT_MT "copydesk.FixReport"
static const char *const presets[] = {"default", "ftfy", "none", NULL};
static const unsigned preset_flags[] = {COPYDESK_FIX_DEFAULT, COPYDESK_FIX_FTFY, 0};
/* Normal forms, in the order of cd's flag pairs: COMPAT is bit 0 of the index, DECOMPOSE bit 1. */
static const char *const normal_forms[] = {"NFC", "NFKC", "NFD", "NFKD", "none", NULL};
#define FORM_NONE 4
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
                           !(flags & COPYDESK_FIX_NFC) ? FORM_NONE
                           : ((flags & COPYDESK_FIX_COMPAT) ? 1 : 0) +
                             ((flags & COPYDESK_FIX_DECOMPOSE) ? 2 : 0),
                           normal_forms);
  flags = set_flag(flags, COPYDESK_FIX_NFC, choice != FORM_NONE);
  flags = set_flag(flags, COPYDESK_FIX_COMPAT, choice != FORM_NONE && (choice & 1));
  flags = set_flag(flags, COPYDESK_FIX_DECOMPOSE, choice != FORM_NONE && (choice & 2));
  choice = cdlua_optchoice(L, arg, "invalid", (flags & COPYDESK_FIX_REPLACE_INVALID) ? 1 : 0,
                           invalid_modes);
  return set_flag(flags, COPYDESK_FIX_REPLACE_INVALID, choice == 1);
}

/* The report of one call lives in a userdata, so a raised error cannot leak it. */
static int report_gc(lua_State *L) {
  copydesk_fix_report_free(luaL_checkudata(L, 1, REPORT_MT));
  return 0;
}

static copydesk_fix_report *new_report(lua_State *L) {
  copydesk_fix_report *r = lua_newuserdatauv(L, sizeof *r, 0);
  memset(r, 0, sizeof *r); /* libc memory: the box's allocator may be collected first */
  if (luaL_newmetatable(L, REPORT_MT)) {
    lua_pushcfunction(L, report_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, report_gc);
    lua_setfield(L, -2, "__close");
  }
  lua_setmetatable(L, -2);
  return r;
}

/* Pushes { plan = { {action, name}, ... }, changes = { {first=, last=, out_first=, out_last=,
** step=, reason=}, ... } } with 1-based inclusive positions (empty spans: last = first - 1). */
static void push_report(lua_State *L, const copydesk_fix_report *r) {
  size_t i;
  lua_createtable(L, 0, 2);
  lua_createtable(L, (int)r->nplan, 0);
  for (i = 0; i < r->nplan; i++) {
    lua_createtable(L, 2, 0);
    lua_pushstring(L, r->plan[i].action);
    lua_rawseti(L, -2, 1);
    lua_pushstring(L, r->plan[i].name);
    lua_rawseti(L, -2, 2);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "plan");
  lua_createtable(L, (int)r->nchanges, 0);
  for (i = 0; i < r->nchanges; i++) {
    const copydesk_fix_change *c = &r->changes[i];
    lua_createtable(L, 0, 6);
    lua_pushinteger(L, (lua_Integer)c->pos + 1);
    lua_setfield(L, -2, "first");
    lua_pushinteger(L, (lua_Integer)(c->pos + c->len));
    lua_setfield(L, -2, "last");
    lua_pushinteger(L, (lua_Integer)c->out_pos + 1);
    lua_setfield(L, -2, "out_first");
    lua_pushinteger(L, (lua_Integer)(c->out_pos + c->out_len));
    lua_setfield(L, -2, "out_last");
    lua_pushstring(L, c->step);
    lua_setfield(L, -2, "step");
    lua_pushstring(L, c->reason);
    lua_setfield(L, -2, "reason");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "changes");
}

/* copydesk.fix(s [, opts]) -> fixed, changes [, explanation] */
static int l_fix(lua_State *L) {
  size_t len, changes = 0;
  const char *s = luaL_checklstring(L, 1, &len);
  int explain;
  copydesk_fix_opts opts;
  copydesk_err err;
  copydesk_code rc;
  cdlua_box *box;
  opts.flags = check_fix_opts(L, 2);
  opts.hint = (copydesk_fix_hint)cdlua_optchoice(L, 2, "hint", 0, hints);
  explain = cdlua_optbool(L, 2, "explain", 0);
  opts.report = explain ? new_report(L) : NULL;
  box = cdlua_newbox(L);
  rc = copydesk_fix(s, len, &opts, &box->buf, &changes, &err);
  cdlua_checkmem(L, rc);
  if (rc != COPYDESK_OK) return luaL_error(L, "%s", err.msg);
  if (changes == 0) lua_pushvalue(L, 1);
  else lua_pushlstring(L, box->buf.data, box->buf.len);
  lua_pushinteger(L, (lua_Integer)changes);
  cdlua_boxclear(box);
  if (!explain) return 2;
  push_report(L, opts.report);
  copydesk_fix_report_free(opts.report);
  return 3;
}

/* Reads plan table `arg` into a userdata array of steps (pointing into the table's strings). */
static copydesk_fix_plan_step *check_plan(lua_State *L, int arg, size_t *n) {
  copydesk_fix_plan_step *plan;
  lua_Integer i, count;
  luaL_checktype(L, arg, LUA_TTABLE);
  count = luaL_len(L, arg);
  plan = lua_newuserdatauv(L, (size_t)(count > 0 ? count : 1) * sizeof *plan, 0);
  for (i = 1; i <= count; i++) {
    int ok = lua_geti(L, arg, i) == LUA_TTABLE && lua_geti(L, -1, 1) == LUA_TSTRING &&
             lua_geti(L, -2, 2) == LUA_TSTRING;
    if (!ok)
      luaL_argerror(L, arg, lua_pushfstring(L, "step %d must be {action, name}", (int)i));
    plan[i - 1].action = lua_tostring(L, -2); /* anchored in the plan table */
    plan[i - 1].name = lua_tostring(L, -1);
    lua_pop(L, 3);
  }
  *n = (size_t)count;
  return plan;
}

/* copydesk.apply_plan(s, plan) -> text | fail, message, position */
static int l_apply_plan(lua_State *L) {
  size_t len, nplan;
  const char *s = luaL_checklstring(L, 1, &len);
  copydesk_fix_plan_step *plan = check_plan(L, 2, &nplan);
  copydesk_err err;
  copydesk_code rc;
  cdlua_box *box = cdlua_newbox(L);
  rc = copydesk_fix_apply_plan(s, len, plan, nplan, &box->buf, &err);
  cdlua_checkmem(L, rc);
  if (rc == COPYDESK_ERR_INVALID)
    return luaL_argerror(L, 2, lua_pushfstring(L, "step %d: %s", (int)err.pos + 1, err.msg));
  if (rc != COPYDESK_OK) return cdlua_pushfail(L, &err, NULL);
  lua_pushlstring(L, box->buf.data ? box->buf.data : "", box->buf.len);
  cdlua_boxclear(box);
  return 1;
}

static const luaL_Reg funcs[] = {
  {"fix", l_fix},
  {"apply_plan", l_apply_plan},
  {NULL, NULL}
};

void cdlua_open_fix(lua_State *L) { luaL_setfuncs(L, funcs, 0); }
