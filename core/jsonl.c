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

/* ---- Reading ----------------------------------------------------------------------------- */

#define DEFAULT_DEPTH 64
/* JSON_DECODE_ANY lets an array or a number through, so it is refused by name below instead of
** as a syntax error; JSON_ALLOW_NUL takes \u0000 in strings, which Lua strings carry. */
#define LOAD_FLAGS (JSON_DECODE_ANY | JSON_ALLOW_NUL)

static copydesk_code read_fail(copydesk_err *err, copydesk_code code, const char *msg,
                               size_t pos) {
  cd_fail(err, code, msg, "json", NULL, 0, pos);
  if (err) {
    err->line = 1;
    err->col = pos + 1;
  }
  return code;
}

/* Whether the quote at s[i] is escaped: an odd run of backslashes before it. */
static int escaped(const char *s, size_t from, size_t i) {
  size_t n = 0;
  while (i > from && s[i - 1] == '\\') i--, n++;
  return n % 2 == 1;
}

/* Finds the first bracket that opens level max_depth + 1, outside strings, before jansson
** (whose own limit is 2048 levels, compiled in) builds anything. Strings are skipped with memchr,
** so the scan costs little beside the parse. @return 1 and *pos when too deep, else 0. */
static int too_deep(const char *s, size_t len, size_t max_depth, size_t *pos) {
  size_t i = 0, depth = 0;
  while (i < len) {
    char c = s[i];
    if (c == '"') {
      const char *q = s + i;
      do q = memchr(q + 1, '"', len - (size_t)(q + 1 - s));
      while (q && escaped(s, i + 1, (size_t)(q - s)));
      if (q == NULL) return 0; /* an unclosed string: jansson reports it */
      i = (size_t)(q - s) + 1;
      continue;
    }
    if ((c == '{' || c == '[') && ++depth > max_depth) {
      *pos = i;
      return 1;
    }
    if ((c == '}' || c == ']') && depth > 0) depth--;
    i++;
  }
  return 0;
}

static copydesk_code from_json(json_t *j, copydesk_value *v, const copydesk_alloc *alc);

static copydesk_code from_array(json_t *j, copydesk_value *v, const copydesk_alloc *alc) {
  size_t i;
  json_t *item;
  copydesk_code rc;
  v->type = COPYDESK_LIST;
  json_array_foreach(j, i, item) {
    copydesk_value *slot = copydesk_list_push(v, alc);
    if (slot == NULL) return COPYDESK_ERR_NOMEM;
    if ((rc = from_json(item, slot, alc)) != COPYDESK_OK) return rc;
  }
  return COPYDESK_OK;
}

/* Member names hold no zero byte (jansson refuses \u0000 in them), so strlen measures them. */
static copydesk_code from_object(json_t *j, copydesk_value *v, const copydesk_alloc *alc) {
  const char *key;
  json_t *member;
  copydesk_code rc;
  v->type = COPYDESK_MAP;
  json_object_foreach(j, key, member) {
    copydesk_value *slot = copydesk_map_push(v, key, strlen(key), alc);
    if (slot == NULL) return COPYDESK_ERR_NOMEM;
    if ((rc = from_json(member, slot, alc)) != COPYDESK_OK) return rc;
  }
  return COPYDESK_OK;
}

/* Depth is bounded by too_deep before this runs. */
static copydesk_code from_json(json_t *j, copydesk_value *v, const copydesk_alloc *alc) {
  switch (json_typeof(j)) {
  case JSON_OBJECT: return from_object(j, v, alc);
  case JSON_ARRAY: return from_array(j, v, alc);
  case JSON_STRING:
    return copydesk_value_set_string(v, json_string_value(j), json_string_length(j), alc);
  case JSON_INTEGER:
    v->type = COPYDESK_INT;
    v->u.integer = (int64_t)json_integer_value(j);
    return COPYDESK_OK;
  case JSON_REAL:
    v->type = COPYDESK_FLOAT;
    v->u.number = json_real_value(j);
    return COPYDESK_OK;
  case JSON_TRUE:
  case JSON_FALSE:
    v->type = COPYDESK_BOOL;
    v->u.boolean = json_is_true(j);
    return COPYDESK_OK;
  default: v->type = COPYDESK_NULL; return COPYDESK_OK;
  }
}

/* Our message for jansson's error: its own text is a buffer in the error struct, and ours are
** static. jansson's position counts the bytes it read, so the last of them, where it stopped, is
** position - 1; a record that ends too soon is placed at its end. */
static copydesk_code load_fail(const json_error_t *je, const char *s, size_t len,
                               copydesk_err *err) {
  size_t read = (size_t)je->position, last = read == 0 ? 0 : read - 1, bad = last;
  if (last >= len) last = len ? len - 1 : 0;
  switch (json_error_code(je)) {
  case json_error_out_of_memory: return cd_fail(err, COPYDESK_ERR_NOMEM, NULL, NULL, NULL, 0, 0);
  case json_error_invalid_utf8:
    copydesk_utf8_valid(s, len, &bad);
    return read_fail(err, COPYDESK_ERR_UTF8, "invalid UTF-8 in JSON", bad);
  case json_error_premature_end_of_input:
    return read_fail(err, COPYDESK_ERR_JSON, "unexpected end of the record", len);
  case json_error_end_of_input_expected:
    return read_fail(err, COPYDESK_ERR_JSON, "text after the JSON value", last);
  case json_error_numeric_overflow:
    return read_fail(err, COPYDESK_ERR_JSON, "number out of range", last);
  case json_error_null_byte_in_key:
    return read_fail(err, COPYDESK_ERR_JSON, "\\u0000 in a member name", last);
  default: return read_fail(err, COPYDESK_ERR_JSON, "invalid JSON", last);
  }
}

static int same(const char *key, const char *name) { return strcmp(key, name) == 0; }

/* Fills article `a` from record `root`: the text member becomes the body, the id member meta
** "id" in its place. Another member named "text" or "id" is left out: an article has one body
** and one id. */
static copydesk_code fill_article(json_t *root, const char *text_field, const char *id_field,
                                  copydesk_article *a, copydesk_err *err) {
  const char *key;
  json_t *member, *text = json_object_get(root, text_field);
  copydesk_code rc;
  if (text == NULL) return read_fail(err, COPYDESK_ERR_NOT_RECORD, "record has no text field", 0);
  if (!json_is_string(text))
    return read_fail(err, COPYDESK_ERR_NOT_RECORD, "text field is not a string", 0);
  rc = copydesk_article_set_body(a, json_string_value(text), json_string_length(text));
  json_object_foreach(root, key, member) {
    copydesk_value *slot;
    const char *name = same(key, id_field) ? "id" : key; /* the macro walks on from `key` */
    if (rc != COPYDESK_OK) break;
    if (same(key, text_field) || same(key, "text") || (same(key, "id") && !same(id_field, "id")))
      continue;
    if ((slot = copydesk_map_push(&a->meta, name, strlen(name), a->alc)) == NULL)
      rc = COPYDESK_ERR_NOMEM;
    else rc = from_json(member, slot, a->alc);
  }
  return rc == COPYDESK_OK ? rc : cd_fail(err, rc, NULL, NULL, NULL, 0, 0);
}

copydesk_code copydesk_jsonl_parse(const char *s, size_t len, const copydesk_jsonl_opts *opts,
                                   const copydesk_alloc *alc, copydesk_article **out,
                                   copydesk_err *err) {
  size_t depth = opts && opts->max_depth ? opts->max_depth : DEFAULT_DEPTH, pos;
  const char *text_field = opts && opts->text_field ? opts->text_field : "text";
  const char *id_field = opts && opts->id_field ? opts->id_field : "id";
  json_error_t je;
  json_t *root;
  copydesk_article *a;
  copydesk_code rc;
  if (out == NULL || (s == NULL && len > 0))
    return cd_fail(err, COPYDESK_ERR_INVALID, NULL, NULL, NULL, 0, 0);
  *out = NULL;
  if (s == NULL) s = "";
  if (too_deep(s, len, depth, &pos)) return read_fail(err, COPYDESK_ERR_DEPTH, NULL, pos);
  if ((root = json_loadb(s, len, LOAD_FLAGS, &je)) == NULL) return load_fail(&je, s, len, err);
  if (!json_is_object(root)) {
    json_decref(root);
    return read_fail(err, COPYDESK_ERR_NOT_RECORD, "record is not an object", 0);
  }
  if ((a = copydesk_article_new(alc)) == NULL) rc = cd_fail(err, COPYDESK_ERR_NOMEM, NULL, NULL, NULL, 0, 0);
  else rc = fill_article(root, text_field, id_field, a, err);
  json_decref(root);
  if (rc != COPYDESK_OK) {
    copydesk_article_free(a);
    return rc;
  }
  a->format = COPYDESK_FORMAT_JSON;
  a->body_line = 1;
  *out = a;
  cd_ok(err);
  return COPYDESK_OK;
}
