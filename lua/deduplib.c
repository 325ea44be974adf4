/* deduplib.c: MinHash signatures and the near-duplicate index. */
#include "cdlua.h"

static const luaL_Reg funcs[] = {
  {NULL, NULL}
};

void cdlua_open_dedup(lua_State *L) { luaL_setfuncs(L, funcs, 0); }
