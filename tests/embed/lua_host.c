/* lua_host.c: a program that owns its lua_State, adds the copydesk module and runs a recipe
** (the path of the recipe and its arguments come from the command line). Built by the install
** test through pkg-config copydesk-lua. */
#include <stdio.h>

#include <lauxlib.h>
#include <lualib.h>

#include <copydesk_lua.h>

int main(int argc, char **argv) {
  lua_State *L;
  int i, status;
  if (argc < 2) {
    fprintf(stderr, "usage: lua_host RECIPE.lua [ARGS...]\n");
    return 2;
  }
  L = luaL_newstate();
  luaL_openlibs(L);
  copydesk_preload(L); /* require "copydesk" now finds the module */
  /* arg as lua.c makes it: the host at -1, the recipe at 0 (recipes re-run themselves with them
  ** for --jobs), its arguments from 1. */
  lua_createtable(L, argc - 2, 2);
  for (i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - 1);
  }
  lua_setglobal(L, "arg");
  status = luaL_loadfilex(L, argv[1], "t");
  if (status == LUA_OK) {
    for (i = 2; i < argc; i++) lua_pushstring(L, argv[i]);
    status = lua_pcall(L, argc - 2, 1, 0);
  }
  if (status != LUA_OK) {
    fprintf(stderr, "lua_host: %s\n", lua_tostring(L, -1));
    lua_close(L);
    return 2;
  }
  status = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : 0;
  lua_close(L);
  return status;
}
