/* deduplib.c: MinHash signatures and the near-duplicate index (copydesk.Dedup). */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "cdlua.h"

#define DEDUP_NAME "copydesk.Dedup"
#define IDS 1      /* uservalue: index (1-based) -> id */
#define INDEXES 2  /* uservalue: id -> index (1-based) */

/* The userdata: the index and buffers for the signatures and shingle keys add() computes, all
** freed by __gc or __close (d NULL: closed). */
typedef struct dedup_box {
  copydesk_dedup *d;
  copydesk_buf sig, keys;
  copydesk_alloc alc; /* the state's allocator, so a host's memory limit covers the index */
} dedup_box;

static const char *const minhash_opts[] = {"num_perm", "ngram", "seed", "keys", NULL};
static const char *const dedup_opts[] = {"threshold", "num_perm", "ngram", "seed", "bands",
                                         "rows", "exact", "keys_in_memory", "spill_dir", NULL};
static const char *const band_opts[] = {"threshold", "bands", "rows", NULL};
static const char *const keys_opts[] = {"ngram", NULL};

/* Reads integer option `key` of table `arg` (nil: def) in [lo, hi]. */
static lua_Integer optint(lua_State *L, int arg, const char *key, lua_Integer def, lua_Integer lo,
                          lua_Integer hi) {
  lua_Integer v = def;
  int ok;
  if (lua_isnoneornil(L, arg)) return def;
  if (lua_getfield(L, arg, key) != LUA_TNIL) {
    v = lua_tointegerx(L, -1, &ok);
    if (!ok)
      luaL_argerror(L, arg, lua_pushfstring(L, "option '%s' must be an integer, got %s", key,
                                            luaL_typename(L, -1)));
    if (v < lo || v > hi)
      luaL_argerror(L, arg, lua_pushfstring(L, "option '%s' must be in %I..%I", key, lo, hi));
  }
  lua_pop(L, 1);
  return v;
}

/* Reads number option `key` of table `arg` (nil: def) in (0, 1]. */
static double optshare(lua_State *L, int arg, const char *key, double def) {
  double v = def;
  if (lua_isnoneornil(L, arg)) return def;
  if (lua_getfield(L, arg, key) != LUA_TNIL) {
    if (lua_type(L, -1) != LUA_TNUMBER)
      luaL_argerror(L, arg, lua_pushfstring(L, "option '%s' must be a number, got %s", key,
                                            luaL_typename(L, -1)));
    v = lua_tonumber(L, -1);
    if (!(v > 0 && v <= 1))
      luaL_argerror(L, arg, lua_pushfstring(L, "option '%s' must be in (0, 1]", key));
  }
  lua_pop(L, 1);
  return v;
}

/* The MinHash settings of table `arg` (its keys checked by the caller). The seed is any
** integer: its 64 bits are taken as they are. */
static copydesk_minhash_opts read_minhash(lua_State *L, int arg) {
  copydesk_minhash_opts o;
  o.num_perm = (size_t)optint(L, arg, "num_perm", 128, 1, COPYDESK_MINHASH_MAX_PERM);
  o.ngram = (size_t)optint(L, arg, "ngram", 5, 1, COPYDESK_SHINGLE_MAX);
  o.seed = (uint64_t)optint(L, arg, "seed", 0, LUA_MININTEGER, LUA_MAXINTEGER);
  return o;
}

/* copydesk.minhash(text [, {num_perm=, ngram=, seed=, keys=}]) -> signature (a byte string),
** and with keys = true the shingle keys too, made in the same pass */
static int l_minhash(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  copydesk_minhash_opts o;
  cdlua_box *box, *keys = NULL;
  int with_keys;
  cdlua_checkopts(L, 2, minhash_opts);
  o = read_minhash(L, 2);
  with_keys = cdlua_optbool(L, 2, "keys", 0);
  lua_settop(L, 2); /* the boxes above the options */
  box = cdlua_newbox(L);
  if (with_keys) keys = cdlua_newbox(L);
  cdlua_checkmem(L, copydesk_minhash_keys(s, len, &o, &box->buf, keys ? &keys->buf : NULL, NULL));
  lua_pushlstring(L, box->buf.data, box->buf.len);
  cdlua_boxclear(box);
  if (!keys) return 1;
  lua_pushlstring(L, keys->buf.data ? keys->buf.data : "", keys->buf.len);
  cdlua_boxclear(keys);
  return 2;
}

/* Pushes what a comparison of the strings at 1 and 2 by `compare` gives: the similarity, or
** fail and the message. */
static int compare_strings(lua_State *L, copydesk_code (*compare)(const char *, size_t,
                           const char *, size_t, double *, copydesk_err *)) {
  size_t alen, blen;
  const char *a = luaL_checklstring(L, 1, &alen);
  const char *b = luaL_checklstring(L, 2, &blen);
  double sim;
  copydesk_err err;
  if (compare(a, alen, b, blen, &sim, &err) != COPYDESK_OK) {
    luaL_pushfail(L);
    lua_pushstring(L, err.msg);
    return 2;
  }
  lua_pushnumber(L, sim);
  return 1;
}

/* copydesk.minhash_similarity(a, b) -> estimated Jaccard | fail, message */
static int l_minhash_similarity(lua_State *L) {
  return compare_strings(L, copydesk_minhash_similarity);
}

/* copydesk.minhash_info(sig) -> {num_perm=, ngram=, seed=, shingles=, content=} | fail, msg */
static int l_minhash_info(lua_State *L) {
  size_t len;
  const char *sig = luaL_checklstring(L, 1, &len);
  copydesk_minhash_info info;
  copydesk_err err;
  if (copydesk_minhash_read(sig, len, &info, &err) != COPYDESK_OK) {
    luaL_pushfail(L);
    lua_pushstring(L, err.msg);
    return 2;
  }
  lua_createtable(L, 0, 5);
  lua_pushinteger(L, (lua_Integer)info.opts.num_perm);
  lua_setfield(L, -2, "num_perm");
  lua_pushinteger(L, (lua_Integer)info.opts.ngram);
  lua_setfield(L, -2, "ngram");
  lua_pushinteger(L, (lua_Integer)info.opts.seed);
  lua_setfield(L, -2, "seed");
  lua_pushinteger(L, (lua_Integer)info.shingles);
  lua_setfield(L, -2, "shingles");
  lua_pushinteger(L, (lua_Integer)info.content);
  lua_setfield(L, -2, "content");
  return 1;
}

/* copydesk.band_keys(sig [, {threshold=, bands=, rows=}]) -> { key, ... } (64-bit integers),
** rows; or fail, message for a byte string that is not a signature */
static int l_band_keys(lua_State *L) {
  size_t len, bands, rows, i;
  const char *sig = luaL_checklstring(L, 1, &len);
  copydesk_minhash_info info;
  copydesk_err err;
  uint64_t key;
  cdlua_checkopts(L, 2, band_opts);
  if (copydesk_minhash_read(sig, len, &info, &err) != COPYDESK_OK) {
    luaL_pushfail(L);
    lua_pushstring(L, err.msg);
    return 2;
  }
  bands = (size_t)optint(L, 2, "bands", 0, 0, COPYDESK_MINHASH_MAX_PERM);
  rows = (size_t)optint(L, 2, "rows", 0, 0, COPYDESK_MINHASH_MAX_PERM);
  luaL_argcheck(L, (bands == 0) == (rows == 0), 2, "give both bands and rows, or neither");
  if (bands == 0 && copydesk_lsh_params(optshare(L, 2, "threshold", 0.8), info.opts.num_perm,
                                        &bands, &rows) != COPYDESK_OK)
    return luaL_argerror(L, 2, "bad threshold");
  luaL_argcheck(L, bands * rows <= info.opts.num_perm, 2, "bands * rows beyond the signature");
  lua_createtable(L, (int)bands, 0);
  for (i = 0; i < bands; i++) {
    if (copydesk_minhash_band_key(sig, len, i, rows, &key, &err) != COPYDESK_OK)
      return luaL_error(L, "%s", err.msg);
    lua_pushinteger(L, (lua_Integer)key);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_pushinteger(L, (lua_Integer)rows);
  return 2;
}

/* copydesk.shingle_keys(text [, {ngram=}]) -> the distinct shingle keys, sorted (a byte string
** of 4 bytes a key) */
static int l_shingle_keys(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  cdlua_box *box;
  size_t ngram;
  cdlua_checkopts(L, 2, keys_opts);
  ngram = (size_t)optint(L, 2, "ngram", 5, 1, COPYDESK_SHINGLE_MAX);
  box = cdlua_newbox(L);
  cdlua_checkmem(L, copydesk_shingle_keys(s, len, ngram, &box->buf, NULL));
  lua_pushlstring(L, box->buf.data ? box->buf.data : "", box->buf.len);
  cdlua_boxclear(box);
  return 1;
}

/* copydesk.shingle_keys_jaccard(a, b) -> exact Jaccard | fail, message */
static int l_shingle_keys_jaccard(lua_State *L) {
  return compare_strings(L, copydesk_shingle_keys_jaccard);
}

/* copydesk.minhash_margin(threshold [, num_perm]) -> the margin within which an estimate is
** confirmed exactly */
static int l_minhash_margin(lua_State *L) {
  double t = luaL_checknumber(L, 1);
  lua_Integer k = luaL_optinteger(L, 2, 128);
  luaL_argcheck(L, t > 0 && t <= 1, 1, "threshold must be in (0, 1]");
  luaL_argcheck(L, k >= 1 && k <= COPYDESK_MINHASH_MAX_PERM, 2, "num_perm must be in 1..1024");
  lua_pushnumber(L, copydesk_minhash_margin(t, (size_t)k));
  return 1;
}

/* ---- copydesk.Dedup ---- */

static dedup_box *checkdedup(lua_State *L) {
  dedup_box *b = luaL_checkudata(L, 1, DEDUP_NAME);
  if (b->d == NULL) luaL_error(L, "attempt to use a closed index");
  return b;
}

/* __gc and __close: idempotent. */
static int dedup_close(lua_State *L) {
  dedup_box *b = luaL_checkudata(L, 1, DEDUP_NAME);
  copydesk_dedup_free(b->d);
  b->d = NULL;
  copydesk_buf_free(&b->sig);
  copydesk_buf_free(&b->keys);
  return 0;
}

static int dedup_tostring(lua_State *L) {
  dedup_box *b = luaL_checkudata(L, 1, DEDUP_NAME);
  if (b->d == NULL) lua_pushliteral(L, DEDUP_NAME " (closed)");
  else lua_pushfstring(L, DEDUP_NAME " (%I articles)", (lua_Integer)copydesk_dedup_count(b->d));
  return 1;
}

/* Pushes the id of article `index` (0-based). */
static void push_id(lua_State *L, size_t index) {
  lua_getiuservalue(L, 1, IDS);
  lua_rawgeti(L, -1, (lua_Integer)index + 1);
  lua_remove(L, -2);
}

/* Pushes what adding an article under the id at index 2 gave (rc, m, err from
** copydesk_dedup_add or _add_keys): match id or nil, similarity, cluster id, exact; or fail
** and the message, and for the spill file's failure errno too (its text in the message), as
** io.open. */
static int push_added(lua_State *L, copydesk_code rc, const copydesk_dedup_match *m,
                      const copydesk_err *err) {
  int e = errno;
  cdlua_checkmem(L, rc);
  if (rc == COPYDESK_ERR_IO) {
    luaL_pushfail(L);
    lua_pushfstring(L, "%s: %s", err->msg, strerror(e));
    lua_pushinteger(L, e);
    return 3;
  }
  if (rc != COPYDESK_OK) {
    luaL_pushfail(L);
    lua_pushstring(L, err->msg);
    return 2;
  }
  lua_getiuservalue(L, 1, IDS);
  lua_pushvalue(L, 2);
  lua_rawseti(L, -2, (lua_Integer)m->index + 1);
  lua_getiuservalue(L, 1, INDEXES);
  lua_pushvalue(L, 2);
  lua_pushinteger(L, (lua_Integer)m->index + 1);
  lua_rawset(L, -3);
  lua_pop(L, 2);
  if (m->match == SIZE_MAX) lua_pushnil(L);
  else push_id(L, m->match);
  lua_pushnumber(L, m->similarity);
  push_id(L, m->cluster);
  lua_pushboolean(L, m->exact);
  return 4;
}

/* Checks that the id at index 2 is usable and new. */
static void check_new_id(lua_State *L) {
  int t = lua_type(L, 2);
  luaL_argcheck(L, t == LUA_TSTRING || t == LUA_TNUMBER, 2, "id must be a string or a number");
  luaL_argcheck(L, t != LUA_TNUMBER || !isnan(lua_tonumber(L, 2)), 2, "id is NaN");
  lua_getiuservalue(L, 1, INDEXES);
  lua_pushvalue(L, 2);
  if (lua_rawget(L, -2) != LUA_TNIL) luaL_argerror(L, 2, "id already added");
  lua_pop(L, 2);
}

/* dedup:add(id, text) -> match id | nil, similarity, cluster id, exact */
static int dedup_add(lua_State *L) {
  dedup_box *b = checkdedup(L);
  size_t len;
  const char *text = luaL_checklstring(L, 3, &len);
  copydesk_dedup_opts o;
  copydesk_dedup_match m;
  copydesk_err err;
  copydesk_code rc;
  check_new_id(L);
  copydesk_dedup_settings(b->d, &o);
  copydesk_buf_clear(&b->sig);
  copydesk_buf_clear(&b->keys);
  cdlua_checkmem(L, copydesk_minhash_keys(text, len, &o.minhash, &b->sig, &b->keys, NULL));
  rc = copydesk_dedup_add_keys(b->d, b->sig.data, b->sig.len, b->keys.data, b->keys.len, &m, &err);
  return push_added(L, rc, &m, &err);
}

/* dedup:add_signature(id, sig [, text]) -> as add, or fail, message for a signature that is
** not one or was made with other settings. Without the text the estimate decides (and exact
** verification cannot be done). */
static int dedup_add_signature(lua_State *L) {
  dedup_box *b = checkdedup(L);
  size_t len, text_len;
  const char *sig = luaL_checklstring(L, 3, &len);
  const char *text = luaL_optlstring(L, 4, NULL, &text_len);
  copydesk_dedup_opts o;
  copydesk_dedup_match m;
  copydesk_err err;
  copydesk_code rc;
  check_new_id(L);
  copydesk_dedup_settings(b->d, &o);
  luaL_argcheck(L, text || !(o.flags & COPYDESK_DEDUP_EXACT), 4,
                "the text is needed for exact verification");
  rc = copydesk_dedup_add(b->d, sig, len, text, text ? text_len : 0, &m, &err);
  return push_added(L, rc, &m, &err);
}

/* dedup:add_keys(id, sig, keys) -> as add, from the signature and shingle keys of
** copydesk.minhash(text, {keys = true}); or fail, message for a signature or keys that are not
** ones */
static int dedup_add_keys(lua_State *L) {
  dedup_box *b = checkdedup(L);
  size_t len, keys_len;
  const char *sig = luaL_checklstring(L, 3, &len);
  const char *keys = luaL_checklstring(L, 4, &keys_len);
  copydesk_dedup_match m;
  copydesk_err err;
  copydesk_code rc;
  check_new_id(L);
  rc = copydesk_dedup_add_keys(b->d, sig, len, keys, keys_len, &m, &err);
  return push_added(L, rc, &m, &err);
}

/* dedup:cluster(id) -> the id of the first article of its cluster, or fail for an unknown id */
static int dedup_cluster(lua_State *L) {
  dedup_box *b = checkdedup(L);
  lua_Integer index;
  luaL_checkany(L, 2);
  lua_getiuservalue(L, 1, INDEXES);
  lua_pushvalue(L, 2);
  if (lua_rawget(L, -2) == LUA_TNIL) {
    luaL_pushfail(L);
    return 1;
  }
  index = lua_tointeger(L, -1);
  push_id(L, copydesk_dedup_cluster(b->d, (size_t)index - 1));
  return 1;
}

static int dedup_count(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)copydesk_dedup_count(checkdedup(L)->d));
  return 1;
}

/* dedup:settings() -> {threshold=, num_perm=, ngram=, seed=, bands=, rows=, exact=,
** keys_in_memory=, spill_dir= (nil: the C library's folder)} */
static int dedup_settings(lua_State *L) {
  copydesk_dedup_opts o;
  copydesk_dedup_settings(checkdedup(L)->d, &o);
  lua_createtable(L, 0, 9);
  lua_pushnumber(L, o.threshold);
  lua_setfield(L, -2, "threshold");
  lua_pushinteger(L, (lua_Integer)o.minhash.num_perm);
  lua_setfield(L, -2, "num_perm");
  lua_pushinteger(L, (lua_Integer)o.minhash.ngram);
  lua_setfield(L, -2, "ngram");
  lua_pushinteger(L, (lua_Integer)o.minhash.seed);
  lua_setfield(L, -2, "seed");
  lua_pushinteger(L, (lua_Integer)o.bands);
  lua_setfield(L, -2, "bands");
  lua_pushinteger(L, (lua_Integer)o.rows);
  lua_setfield(L, -2, "rows");
  lua_pushboolean(L, (o.flags & COPYDESK_DEDUP_EXACT) != 0);
  lua_setfield(L, -2, "exact");
  lua_pushboolean(L, (o.flags & COPYDESK_DEDUP_KEYS_IN_MEMORY) != 0);
  lua_setfield(L, -2, "keys_in_memory");
  if (o.spill_dir) {
    lua_pushstring(L, o.spill_dir);
    lua_setfield(L, -2, "spill_dir");
  }
  return 1;
}

static const luaL_Reg dedup_methods[] = {
  {"add", dedup_add},
  {"add_signature", dedup_add_signature},
  {"add_keys", dedup_add_keys},
  {"cluster", dedup_cluster},
  {"count", dedup_count},
  {"settings", dedup_settings},
  {"close", dedup_close},
  {NULL, NULL}
};

static const luaL_Reg dedup_meta[] = {
  {"__gc", dedup_close},
  {"__close", dedup_close},
  {"__tostring", dedup_tostring},
  {"__len", dedup_count},
  {"__index", NULL},
  {NULL, NULL}
};

/* copydesk.dedup.new([{threshold=, num_perm=, ngram=, seed=, bands=, rows=, exact=,
** keys_in_memory=, spill_dir=}]) */
static int l_dedup_new(lua_State *L) {
  copydesk_dedup_opts o;
  dedup_box *b;
  copydesk_code rc;
  size_t dir_len;
  cdlua_checkopts(L, 1, dedup_opts);
  memset(&o, 0, sizeof o);
  o.threshold = optshare(L, 1, "threshold", 0.8);
  o.minhash = read_minhash(L, 1);
  o.bands = (size_t)optint(L, 1, "bands", 0, 0, COPYDESK_MINHASH_MAX_PERM);
  o.rows = (size_t)optint(L, 1, "rows", 0, 0, COPYDESK_MINHASH_MAX_PERM);
  luaL_argcheck(L, (o.bands == 0) == (o.rows == 0), 1, "give both bands and rows, or neither");
  luaL_argcheck(L, o.bands * o.rows <= o.minhash.num_perm, 1, "bands * rows above num_perm");
  if (cdlua_optbool(L, 1, "exact", 0)) o.flags |= COPYDESK_DEDUP_EXACT;
  if (cdlua_optbool(L, 1, "keys_in_memory", 0)) o.flags |= COPYDESK_DEDUP_KEYS_IN_MEMORY;
  o.spill_dir = cdlua_optstring(L, 1, "spill_dir", &dir_len);
  luaL_argcheck(L, o.spill_dir == NULL || strlen(o.spill_dir) == dir_len, 1,
                "option 'spill_dir' holds a zero byte");
  b = lua_newuserdatauv(L, sizeof *b, 2); /* empty and safe before it owns anything */
  b->d = NULL;
  cdlua_alloc(L, &b->alc);
  copydesk_buf_init(&b->sig, &b->alc);
  copydesk_buf_init(&b->keys, &b->alc);
  luaL_setmetatable(L, DEDUP_NAME);
  lua_newtable(L);
  lua_setiuservalue(L, -2, IDS);
  lua_newtable(L);
  lua_setiuservalue(L, -2, INDEXES);
  rc = copydesk_dedup_new(&o, &b->alc, &b->d);
  cdlua_checkmem(L, rc);
  if (rc != COPYDESK_OK) return luaL_argerror(L, 1, "bad settings");
  return 1;
}

static const luaL_Reg dedup_funcs[] = {
  {"new", l_dedup_new},
  {NULL, NULL}
};

static const luaL_Reg funcs[] = {
  {"minhash", l_minhash},
  {"minhash_similarity", l_minhash_similarity},
  {"minhash_info", l_minhash_info},
  {"band_keys", l_band_keys},
  {"shingle_keys", l_shingle_keys},
  {"shingle_keys_jaccard", l_shingle_keys_jaccard},
  {"minhash_margin", l_minhash_margin},
  {"dedup", NULL},
  {NULL, NULL}
};

void cdlua_open_dedup(lua_State *L) {
  luaL_setfuncs(L, funcs, 0);
  luaL_newlib(L, dedup_funcs);
  lua_setfield(L, -2, "dedup");
  luaL_newmetatable(L, DEDUP_NAME);
  luaL_setfuncs(L, dedup_meta, 0);
  luaL_newlib(L, dedup_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
}
