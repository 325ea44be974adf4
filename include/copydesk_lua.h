/*
** copydesk_lua.h: the Lua 5.4 module, for hosts with their own lua_State.
** Link with the library that holds luaopen_copydesk (the `copydesk.so` module, or the objects of
** lua/ and libcopydesk.a) and with the host's Lua 5.4.
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
