/* docslib.c: documents: JSON-lines and compressed readers and writers. */
#include "cdlua.h"

static const luaL_Reg funcs[] = {
  {NULL, NULL}
};

void cdlua_open_docs(lua_State *L) { luaL_setfuncs(L, funcs, 0); }
