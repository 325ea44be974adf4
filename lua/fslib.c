/* fslib.c: copydesk.dir, mkdir, path_type, read_file, file_size: sorted folder listings, output
** folders, whole files. */

#include "cdlua.h"

#define DIR_NAME "copydesk.Dir"

typedef struct dir_box {
  copydesk_dir *dir;
} dir_box;

/* __gc and __close: idempotent. */
static int dir_gc(lua_State *L) {
  dir_box *b = luaL_checkudata(L, 1, DIR_NAME);
  copydesk_dir_close(b->dir);
  b->dir = NULL;
  return 0;
}

/* The close method: closing twice is a mistake, as with files. */
static int dir_close(lua_State *L) {
  dir_box *b = luaL_checkudata(L, 1, DIR_NAME);
  luaL_argcheck(L, b->dir != NULL, 1, "attempt to use a closed copydesk.Dir");
  return dir_gc(L);
}

static int dir_tostring(lua_State *L) {
  dir_box *b = luaL_checkudata(L, 1, DIR_NAME);
  if (b->dir) lua_pushfstring(L, "copydesk.Dir (%p)", (void *)b->dir);
  else lua_pushliteral(L, "copydesk.Dir (closed)");
  return 1;
}

static int dir_iter(lua_State *L) {
  dir_box *b = lua_touserdata(L, lua_upvalueindex(1));
  const char *name;
  int is_dir;
  if (b->dir == NULL || !copydesk_dir_next(b->dir, &name, &is_dir)) {
    copydesk_dir_close(b->dir);
    b->dir = NULL;
    return 0;
  }
  lua_pushstring(L, name);
  lua_pushboolean(L, is_dir);
  return 2;
}

/* copydesk.dir(path) -> iterator of name, is_dir (sorted by name) | fail, message.
** The fourth value closes the listing when a generic for loop is left with break. */
static int l_dir(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  copydesk_err err;
  copydesk_code rc;
  dir_box *b = lua_newuserdatauv(L, sizeof *b, 0);
  b->dir = NULL;
  luaL_setmetatable(L, DIR_NAME);
  rc = copydesk_dir_open(path, NULL, &b->dir, &err);
  cdlua_checkmem(L, rc);
  if (rc != COPYDESK_OK) return luaL_fileresult(L, 0, path);
  lua_pushvalue(L, -1);
  lua_pushcclosure(L, dir_iter, 1);
  lua_pushnil(L);
  lua_pushnil(L);
  lua_rotate(L, -4, -1); /* iterator, nil, nil, dir */
  return 4;
}

/* copydesk.mkdir(path) -> true | fail, message, errno (parents are created too) */
static int l_mkdir(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  copydesk_code rc = copydesk_mkdirs(path, NULL, NULL);
  cdlua_checkmem(L, rc);
  if (rc != COPYDESK_OK) return luaL_fileresult(L, 0, path);
  lua_pushboolean(L, 1);
  return 1;
}

/* copydesk.path_type(path) -> "file" | "folder" | "other" | fail, message, errno */
static int l_path_type(lua_State *L) {
  static const char *const names[] = {NULL, "file", "folder", "other"};
  const char *path = luaL_checkstring(L, 1);
  copydesk_path_type t = copydesk_path_type_of(path);
  if (t == COPYDESK_PATH_NONE) return luaL_fileresult(L, 0, path);
  lua_pushstring(L, names[t]);
  return 1;
}

/* copydesk.read_file(path [, max_len]) -> bytes, size | fail, "path: reason", errno
** The whole file, or its first max_len + 1 bytes when it is longer; size is the file's size
** (0 for a pipe or device). One open, fstat and read for a regular file. */
static int l_read_file(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  lua_Integer max_len = luaL_optinteger(L, 2, 0);
  uint64_t size = 0;
  copydesk_code rc;
  cdlua_box *box;
  luaL_argcheck(L, max_len >= 0, 2, "negative length");
  box = cdlua_newbox(L);
  rc = copydesk_file_read(path, (size_t)max_len, &box->buf, &size, NULL);
  cdlua_checkmem(L, rc == COPYDESK_ERR_OVERFLOW ? COPYDESK_ERR_NOMEM : rc);
  if (rc != COPYDESK_OK) return luaL_fileresult(L, 0, path);
  lua_pushlstring(L, box->buf.data ? box->buf.data : "", box->buf.len);
  cdlua_boxclear(box);
  lua_pushinteger(L, (lua_Integer)size);
  return 2;
}

/* copydesk.file_size(path) -> size | fail, "path: reason", errno (links followed) */
static int l_file_size(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  uint64_t size;
  if (copydesk_file_size(path, &size) != COPYDESK_OK) return luaL_fileresult(L, 0, path);
  lua_pushinteger(L, (lua_Integer)size);
  return 1;
}

static const luaL_Reg dir_methods[] = {
  {"close", dir_close},
  {NULL, NULL}
};

static const luaL_Reg dir_meta[] = {
  {"__index", NULL},
  {"__gc", dir_gc},
  {"__close", dir_gc},
  {"__tostring", dir_tostring},
  {NULL, NULL}
};

static const luaL_Reg funcs[] = {
  {"dir", l_dir},
  {"mkdir", l_mkdir},
  {"path_type", l_path_type},
  {"read_file", l_read_file},
  {"file_size", l_file_size},
  {NULL, NULL}
};

void cdlua_open_fs(lua_State *L) {
  luaL_newmetatable(L, DIR_NAME);
  luaL_setfuncs(L, dir_meta, 0);
  luaL_newlib(L, dir_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  luaL_setfuncs(L, funcs, 0);
}
