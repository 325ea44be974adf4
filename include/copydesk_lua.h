/*
** copydesk_lua.h: the Lua 5.4 module, for hosts with their own lua_State.
** luaopen_copydesk lives in the `copydesk.so` module; a host that links it statically compiles
** the lua/ binding files except main.c with its own Lua 5.4 and links libcopydesk.a.
*/
#ifndef COPYDESK_LUA_H
#define COPYDESK_LUA_H

#include <lua.h>

#include "copydesk.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opens the module: pushes the `copydesk` table and returns 1. Use with luaL_requiref(L,
** "copydesk", luaopen_copydesk, 0). Sets no global. */
COPYDESK_API int luaopen_copydesk(lua_State *L);

/** Registers luaopen_copydesk in package.preload["copydesk"], so `require "copydesk"` finds it.
** The `package` library must be open. */
COPYDESK_API void copydesk_preload(lua_State *L);

#ifdef __cplusplus
}
#endif
#endif
