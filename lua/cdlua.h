/* cdlua.h: helpers shared by the binding's files: memory boxes, errors, options, positions. */
#ifndef CDLUA_H
#define CDLUA_H

#include <lauxlib.h>
#include <lua.h>

#include "copydesk.h"

/* Temporary C memory of one call, kept in a userdata so an error raised by Lua (a longjmp) cannot
** leak it: its __gc frees what is left; the normal paths free it at once with cdlua_boxclear.
** Memory comes from the state's lua_Alloc, so a host's memory limit covers the core. */
typedef struct cdlua_box {
  copydesk_alloc alc;
  copydesk_buf buf;
  copydesk_edits edits;
  copydesk_article *article;
} cdlua_box;

/* Fills alc with hooks that allocate through the state's lua_Alloc, for core objects a userdata
** owns (the hooks stay valid as long as the state). */
void cdlua_alloc(lua_State *L, copydesk_alloc *alc);

/* Pushes a new, empty box. */
cdlua_box *cdlua_newbox(lua_State *L);
/* Frees what the box holds now; the box stays usable. */
void cdlua_boxclear(cdlua_box *box);

/* Raises "not enough memory" (no position, as lauxlib does). */
int cdlua_nomem(lua_State *L);
/* Raises a memory error for COPYDESK_ERR_NOMEM, otherwise returns. */
void cdlua_checkmem(lua_State *L, copydesk_code rc);

/* A core byte offset as a 1-based Lua position. */
static inline lua_Integer cdlua_pos(size_t pos) { return (lua_Integer)pos + 1; }

/* Pushes fail, "[name:]line:col: message" and the 1-based byte position; returns 3. */
int cdlua_pushfail(lua_State *L, const copydesk_err *e, const char *name);

/* Checks that table `arg` (if not nil) has only string keys found in `names` (NULL-terminated),
** raising "bad argument #arg to 'f' (unknown option 'key')" otherwise. */
void cdlua_checkopts(lua_State *L, int arg, const char *const names[]);
/* Reads boolean option `key` of table `arg` (nil means `def`); raises if it is not a boolean. */
int cdlua_optbool(lua_State *L, int arg, const char *key, int def);
/* Reads string option `key` of table `arg` (nil: NULL, *len 0; len may be NULL). The table is
** read raw, as cdlua_checkopts checks it, so the string stays anchored in the table, an argument
** of the running call (a string from __index would be collectable while C holds it). */
const char *cdlua_optstring(lua_State *L, int arg, const char *key, size_t *len);
/* Reads string option `key` of table `arg` as one of `lst` (nil means `def`, an index). */
int cdlua_optchoice(lua_State *L, int arg, const char *key, int def, const char *const lst[]);

/* Pushes an article as copydesk.parse returns it: { meta = (key order kept in its metatable's
** __order), body =, format =, body_line = [, source = the value at name_idx] }; name_idx 0: none. */
void cdlua_pusharticle(lua_State *L, const copydesk_article *a, int name_idx);

/* Pushes the list of edits as { {first=, last=, reason=, text=}, ... } with 1-based inclusive
** positions in the subject s. */
void cdlua_pushedits(lua_State *L, const copydesk_edits *e, const char *s);

/* Each file of the binding adds its functions to the module table at the top of the stack. */
void cdlua_open_article(lua_State *L);
void cdlua_open_fix(lua_State *L);
void cdlua_open_clean(lua_State *L);
void cdlua_open_fs(lua_State *L);
void cdlua_open_segment(lua_State *L);
void cdlua_open_dedup(lua_State *L);
void cdlua_open_docs(lua_State *L);
void cdlua_open_pattern(lua_State *L);

#endif
