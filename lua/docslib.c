/* docslib.c: documents: lines of plain, gzip and zstd files, JSON-lines records, compressed
** writers, and whether a standard stream is a terminal. */
#include <errno.h>
#include <string.h>

#include "cdlua.h"

#define READER_NAME "copydesk.Reader"
#define WRITER_NAME "copydesk.Writer"

static const char *const compression_names[] = {"none", "gzip", "zstd", NULL};

/* ---- Reader ------------------------------------------------------------------------------ */

typedef struct reader_box {
  copydesk_reader *r;
  int done; /* a final error was reported: the iterator ends */
} reader_box;

static reader_box *checkreader(lua_State *L) {
  reader_box *b = luaL_checkudata(L, 1, READER_NAME);
  luaL_argcheck(L, b->r != NULL, 1, "attempt to use a closed " READER_NAME);
  return b;
}

/* __gc and __close: idempotent. */
static int reader_gc(lua_State *L) {
  reader_box *b = luaL_checkudata(L, 1, READER_NAME);
  copydesk_reader_close(b->r);
  b->r = NULL;
  return 0;
}

static int reader_close(lua_State *L) {
  checkreader(L);
  return reader_gc(L);
}

static int reader_tostring(lua_State *L) {
  reader_box *b = luaL_checkudata(L, 1, READER_NAME);
  if (b->r) lua_pushfstring(L, READER_NAME " (%p)", (void *)b->r);
  else lua_pushliteral(L, READER_NAME " (closed)");
  return 1;
}

/* r:offset() -> bytes taken from the file so far (compressed), for progress */
static int reader_offset(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)copydesk_reader_offset(checkreader(L)->r));
  return 1;
}

/* r:line() -> the number of the last line read */
static int reader_line(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)copydesk_reader_line(checkreader(L)->r));
  return 1;
}

/* r:compression() -> "none" | "gzip" | "zstd" (known once a line is read) */
static int reader_compression(lua_State *L) {
  lua_pushstring(L, compression_names[copydesk_reader_compression(checkreader(L)->r)]);
  return 1;
}

/* The iterator: lineno, line; or lineno, nil, "name:line: reason", reason name ("too-large",
** "io") for a line that cannot be read. A line over the limit is skipped and reading goes on;
** any other error ends the loop. */
static int lines_iter(lua_State *L) {
  reader_box *b = lua_touserdata(L, lua_upvalueindex(1));
  const char *name = lua_tostring(L, lua_upvalueindex(2));
  const char *line;
  size_t len;
  copydesk_err err;
  copydesk_code rc;
  if (b->r == NULL || b->done) return 0;
  rc = copydesk_reader_next(b->r, &line, &len, &err);
  cdlua_checkmem(L, rc);
  if (rc != COPYDESK_OK) {
    b->done = rc != COPYDESK_ERR_TOO_LARGE;
    lua_pushinteger(L, (lua_Integer)err.line);
    lua_pushnil(L);
    if (rc == COPYDESK_ERR_IO && errno && strcmp(err.msg, "cannot read file") == 0)
      lua_pushfstring(L, "%s:%d: %s", name, (int)err.line, strerror(errno));
    else lua_pushfstring(L, "%s:%d: %s", name, (int)err.line, err.msg);
    lua_pushstring(L, copydesk_code_name(rc));
    return 4;
  }
  if (line == NULL) return 0;
  lua_pushinteger(L, (lua_Integer)copydesk_reader_line(b->r));
  lua_pushlstring(L, line, len);
  return 2;
}

static size_t optsize(lua_State *L, int arg, const char *key) {
  lua_Integer n = 0;
  if (lua_isnoneornil(L, arg)) return 0;
  if (lua_getfield(L, arg, key) != LUA_TNIL) {
    int ok;
    n = lua_tointegerx(L, -1, &ok);
    if (!ok || n < 1)
      luaL_argerror(L, arg, lua_pushfstring(L, "option '%s' must be a positive integer", key));
  }
  lua_pop(L, 1);
  return (size_t)n;
}

/* copydesk.lines(path [, opts]) -> iterator, nil, nil, reader | fail, message, errno.
** "-" reads standard input. opts.max_line: longest line in bytes (default 64 MiB). The reader,
** fourth, closes the file when a generic for loop is left with break. */
static int l_lines(lua_State *L) {
  static const char *const names[] = {"max_line", NULL};
  const char *path = luaL_checkstring(L, 1);
  copydesk_reader_opts opts;
  copydesk_code rc;
  reader_box *b;
  cdlua_checkopts(L, 2, names);
  opts.max_line = optsize(L, 2, "max_line");
  b = lua_newuserdatauv(L, sizeof *b, 0);
  b->r = NULL;
  b->done = 0;
  luaL_setmetatable(L, READER_NAME);
  if (strcmp(path, "-") == 0) rc = copydesk_reader_open_fd(0, &opts, NULL, &b->r, NULL);
  else rc = copydesk_reader_open(path, &opts, NULL, &b->r, NULL);
  cdlua_checkmem(L, rc);
  if (rc != COPYDESK_OK) return luaL_fileresult(L, 0, path);
  lua_pushvalue(L, -1);
  lua_pushvalue(L, 1);
  lua_pushcclosure(L, lines_iter, 2);
  lua_pushnil(L);
  lua_pushnil(L);
  lua_rotate(L, -4, -1); /* iterator, nil, nil, reader */
  return 4;
}

/* ---- Records ----------------------------------------------------------------------------- */

/* copydesk.parse_json(record [, opts]) -> article | fail, message, position.
** opts: text (the body's field, default "text"), id (default "id"), max_depth (default 64). */
static int l_parse_json(lua_State *L) {
  static const char *const names[] = {"text", "id", "max_depth", NULL};
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  copydesk_jsonl_opts opts;
  copydesk_err err;
  copydesk_code rc;
  cdlua_box *box;
  cdlua_checkopts(L, 2, names);
  opts.text_field = cdlua_optstring(L, 2, "text", NULL);
  opts.id_field = cdlua_optstring(L, 2, "id", NULL);
  opts.max_depth = optsize(L, 2, "max_depth");
  box = cdlua_newbox(L);
  rc = copydesk_jsonl_parse(s, len, &opts, &box->alc, &box->article, &err);
  cdlua_checkmem(L, rc);
  if (rc != COPYDESK_OK) {
    luaL_pushfail(L);
    lua_pushstring(L, err.msg);
    lua_pushinteger(L, cdlua_pos(err.pos));
    return 3;
  }
  cdlua_pusharticle(L, box->article, 0);
  cdlua_boxclear(box);
  return 1;
}

/* ---- Writer ------------------------------------------------------------------------------ */

typedef struct writer_box {
  copydesk_writer *w;
} writer_box;

static writer_box *checkwriter(lua_State *L) {
  writer_box *b = luaL_checkudata(L, 1, WRITER_NAME);
  luaL_argcheck(L, b->w != NULL, 1, "attempt to use a closed " WRITER_NAME);
  return b;
}

/* Ends the stream and closes the file: true | fail, message, errno (the file is incomplete). */
static int writer_finish(lua_State *L, writer_box *b) {
  copydesk_code rc = copydesk_writer_close(b->w, NULL);
  b->w = NULL;
  return luaL_fileresult(L, rc == COPYDESK_OK, NULL);
}

/* __gc and __close: idempotent; their results go nowhere, so callers that care call close, and
** documents.lua renames only what closed well. */
static int writer_gc(lua_State *L) {
  writer_box *b = luaL_checkudata(L, 1, WRITER_NAME);
  return b->w ? writer_finish(L, b) : 0;
}

/* w:close() -> true | fail, message, errno */
static int writer_close(lua_State *L) { return writer_finish(L, checkwriter(L)); }

/* w:write(s, ...) -> w | fail, message, errno (as file:write) */
static int writer_write(lua_State *L) {
  writer_box *b = checkwriter(L);
  int i, n = lua_gettop(L);
  for (i = 2; i <= n; i++) luaL_checkstring(L, i);
  for (i = 2; i <= n; i++) {
    size_t len;
    const char *s = lua_tolstring(L, i, &len);
    copydesk_code rc = copydesk_writer_write(b->w, s, len, NULL);
    cdlua_checkmem(L, rc);
    if (rc != COPYDESK_OK) return luaL_fileresult(L, 0, NULL);
  }
  lua_settop(L, 1);
  return 1;
}

static int writer_tostring(lua_State *L) {
  writer_box *b = luaL_checkudata(L, 1, WRITER_NAME);
  if (b->w) lua_pushfstring(L, WRITER_NAME " (%p)", (void *)b->w);
  else lua_pushliteral(L, WRITER_NAME " (closed)");
  return 1;
}

/* copydesk.writer(path, compression [, level]) -> writer | fail, message, errno.
** compression: "none", "gzip" or "zstd"; level 0 or absent means the library's default. */
static int l_writer(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  int kind = luaL_checkoption(L, 2, NULL, compression_names);
  lua_Integer level = luaL_optinteger(L, 3, 0);
  writer_box *b;
  copydesk_code rc;
  luaL_argcheck(L, level >= 0 && level <= 22, 3, "level out of range");
  b = lua_newuserdatauv(L, sizeof *b, 0);
  b->w = NULL;
  luaL_setmetatable(L, WRITER_NAME);
  rc = copydesk_writer_open(path, (copydesk_compression)kind, (int)level, NULL, &b->w, NULL);
  cdlua_checkmem(L, rc);
  luaL_argcheck(L, rc != COPYDESK_ERR_INVALID, 3, "level out of range for this compression");
  if (rc != COPYDESK_OK) return luaL_fileresult(L, 0, path);
  return 1;
}

/* copydesk.is_terminal(stream) -> boolean; stream "stdin", "stdout" or "stderr" */
static int l_is_terminal(lua_State *L) {
  static const char *const streams[] = {"stdin", "stdout", "stderr", NULL};
  lua_pushboolean(L, copydesk_fd_is_terminal(luaL_checkoption(L, 1, NULL, streams)));
  return 1;
}

/* copydesk.clock() -> seconds from a monotonic clock */
static int l_clock(lua_State *L) {
  lua_pushnumber(L, (lua_Number)copydesk_clock());
  return 1;
}

/* copydesk.cpu_count() -> processors online */
static int l_cpu_count(lua_State *L) {
  lua_pushinteger(L, copydesk_cpu_count());
  return 1;
}

static const luaL_Reg reader_methods[] = {
  {"close", reader_close},
  {"offset", reader_offset},
  {"line", reader_line},
  {"compression", reader_compression},
  {NULL, NULL}
};

static const luaL_Reg writer_methods[] = {
  {"close", writer_close},
  {"write", writer_write},
  {NULL, NULL}
};

/* Metatable `name` with __gc and __close (one idempotent function), __tostring and the methods
** in their own table as __index, as liolib's createmeta does. */
static void createmeta(lua_State *L, const char *name, lua_CFunction gc, lua_CFunction tostring,
                       const luaL_Reg *methods) {
  luaL_newmetatable(L, name);
  lua_pushcfunction(L, gc);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, gc);
  lua_setfield(L, -2, "__close");
  lua_pushcfunction(L, tostring);
  lua_setfield(L, -2, "__tostring");
  lua_newtable(L);
  luaL_setfuncs(L, methods, 0);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
}

static const luaL_Reg funcs[] = {
  {"lines", l_lines},
  {"parse_json", l_parse_json},
  {"writer", l_writer},
  {"is_terminal", l_is_terminal},
  {"clock", l_clock},
  {"cpu_count", l_cpu_count},
  {NULL, NULL}
};

void cdlua_open_docs(lua_State *L) {
  createmeta(L, READER_NAME, reader_gc, reader_tostring, reader_methods);
  createmeta(L, WRITER_NAME, writer_gc, writer_tostring, writer_methods);
  luaL_setfuncs(L, funcs, 0);
}
