/* segmentlib.c: segmentation, sentences, words, normalisation and the Unicode string functions. */
#include "cdlua.h"

static const luaL_Reg funcs[] = {
  {NULL, NULL}
};

void cdlua_open_segment(lua_State *L) { luaL_setfuncs(L, funcs, 0); }
