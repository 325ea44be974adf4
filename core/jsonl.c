/* jsonl.c: an article as one JSON object, the only file that includes <jansson.h>.
**
** Values become jansson nodes, then json_dump_callback writes them straight into the caller's
** buffer. Strings go in with their length (json_stringn), so zero bytes come out as \u0000;
** non-ASCII stays UTF-8 (no JSON_ENSURE_ASCII). jansson allocates through libc: its nodes live
** only during the call. */
#include <math.h>
#include <string.h>

#include <jansson.h>

#include "article_internal.h"

#define DUMP_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER)

static copydesk_code fail(copydesk_err *err, copydesk_code code, const char *msg) {
  return cd_fail(err, code, msg, "meta", NULL, 0, 0);
}

/* Checks UTF-8 first, since json_stringn answers NULL both for bad bytes and for no memory. */
static copydesk_code string_node(const char *s, size_t len, json_t **out, copydesk_err *err) {
  size_t bad;
  if (!copydesk_utf8_valid(s, len, &bad))
    return fail(err, COPYDESK_ERR_UTF8, "invalid UTF-8 in a meta string");
  *out = json_stringn(s, len);
  return *out ? COPYDESK_OK : COPYDESK_ERR_NOMEM;
}

static copydesk_code node(const copydesk_value *v, json_t **out, copydesk_err *err);

static copydesk_code list_node(const copydesk_value *v, json_t **out, copydesk_err *err) {
  json_t *item;
  copydesk_code rc;
  size_t i;
  if ((*out = json_array()) == NULL) return COPYDESK_ERR_NOMEM;
  for (i = 0; i < v->u.list.n; i++) {
    if ((rc = node(&v->u.list.items[i], &item, err)) != COPYDESK_OK) return rc;
    if (json_array_append_new(*out, item) != 0) return COPYDESK_ERR_NOMEM; /* item is freed */
  }
  return COPYDESK_OK;
}

/* Adds key k[0..klen) (checked for UTF-8) and its value, whose reference it takes. A repeated
** key keeps its first place and its last value, as copydesk_map_get reads it. */
static copydesk_code set_member(json_t *obj, const char *k, size_t klen, json_t *value,
                                copydesk_err *err) {
  size_t bad;
  if (!copydesk_utf8_valid(k, klen, &bad)) {
    json_decref(value);
    return fail(err, COPYDESK_ERR_UTF8, "invalid UTF-8 in a meta key");
  }
  if (memchr(k, '\0', klen)) { /* jansson 2.14 writes keys up to their first zero byte */
    json_decref(value);
    return fail(err, COPYDESK_ERR_EMIT, "zero byte in a JSON key");
  }
  return json_object_setn_new(obj, k, klen, value) == 0 ? COPYDESK_OK : COPYDESK_ERR_NOMEM;
}

static copydesk_code map_node(const copydesk_value *v, json_t **out, copydesk_err *err) {
  json_t *value;
  copydesk_code rc;
  size_t i;
  if ((*out = json_object()) == NULL) return COPYDESK_ERR_NOMEM;
  for (i = 0; i < v->u.map.n; i++) {
    const copydesk_pair *p = &v->u.map.pairs[i];
    if ((rc = node(&p->value, &value, err)) != COPYDESK_OK) return rc;
    if ((rc = set_member(*out, p->key, p->key_len, value, err)) != COPYDESK_OK) return rc;
  }
  return COPYDESK_OK;
}

/* Makes *out for `v`. On failure *out is whatever was built so far (maybe NULL): the caller
** drops the root, which frees the parts already attached. */
static copydesk_code node(const copydesk_value *v, json_t **out, copydesk_err *err) {
  copydesk_code rc = COPYDESK_OK;
  json_t *made = NULL;
  switch (v->type) {
  case COPYDESK_BOOL: made = json_boolean(v->u.boolean); break;
  case COPYDESK_INT: made = json_integer((json_int_t)v->u.integer); break;
  case COPYDESK_FLOAT:
    if (!isfinite(v->u.number)) return fail(err, COPYDESK_ERR_EMIT, "NaN or infinity in JSON");
    made = json_real(v->u.number);
    break;
  case COPYDESK_STRING: rc = string_node(v->u.str.s, v->u.str.len, &made, err); break;
  case COPYDESK_LIST: rc = list_node(v, &made, err); break;
  case COPYDESK_MAP: rc = map_node(v, &made, err); break;
  default: made = json_null(); break;
  }
  if (rc == COPYDESK_OK && made == NULL) rc = COPYDESK_ERR_NOMEM;
  if (rc != COPYDESK_OK) json_decref(made);
  *out = rc == COPYDESK_OK ? made : NULL;
  return rc;
}

typedef struct sink {
  copydesk_buf *out;
  copydesk_code rc;
} sink;

static int dump_to_buf(const char *bytes, size_t size, void *data) {
  sink *k = data;
  k->rc = copydesk_buf_append(k->out, bytes, size);
  return k->rc == COPYDESK_OK ? 0 : -1;
}

/* The whole object: meta pairs, then "text". A meta key "text" would collide with the body. */
static copydesk_code article_node(const copydesk_value *meta, const char *body, size_t body_len,
                                  json_t **out, copydesk_err *err) {
  json_t *text;
  copydesk_code rc;
  size_t bad;
  if (copydesk_map_get(meta, "text", 4))
    return fail(err, COPYDESK_ERR_EMIT, "a meta key named \"text\" collides with the body");
  if (!copydesk_utf8_valid(body, body_len, &bad))
    return cd_fail(err, COPYDESK_ERR_UTF8, "invalid UTF-8 in the body", "body", body, body_len,
                   bad);
  if ((rc = node(meta, out, err)) != COPYDESK_OK) return rc;
  if ((text = json_stringn(body, body_len)) == NULL) return COPYDESK_ERR_NOMEM;
  return json_object_setn_new(*out, "text", 4, text) == 0 ? COPYDESK_OK : COPYDESK_ERR_NOMEM;
}

copydesk_code cd_json_render(const copydesk_value *meta, const char *body, size_t body_len,
                             copydesk_buf *out, copydesk_err *err) {
  json_t *root = NULL;
  sink k = {out, COPYDESK_OK};
  copydesk_code rc = article_node(meta, body, body_len, &root, err);
  if (rc == COPYDESK_OK && json_dump_callback(root, dump_to_buf, &k, DUMP_FLAGS) != 0)
    rc = k.rc != COPYDESK_OK ? k.rc : COPYDESK_ERR_NOMEM;
  json_decref(root);
  if (rc == COPYDESK_ERR_NOMEM || rc == COPYDESK_ERR_OVERFLOW) cd_fail(err, rc, NULL, NULL, NULL,
                                                                       0, 0);
  return rc;
}
