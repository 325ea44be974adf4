/* jsonl.c: an article as one JSON object, the only file that includes <jansson.h>.
**
** Writing is ours: an article is written straight into the caller's buffer, as jansson's
** json_dump_callback wrote it (compact, keys in order, non-ASCII kept as UTF-8, no "\/"), byte
** for byte, without building a tree of nodes first: building and dumping one cost about 70
** instructions per byte, most of a clean run with every step off. Floats alone still go through
** jansson (one node each, rare in meta), so its number format (17 digits, ".0" added, exponent
** without "+" or leading zeros) needs no copy. Reading is jansson's. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "article_internal.h"

#define DUMP_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER)
#define SMALL_MAP 16 /* maps up to this size find repeated keys by comparing pairs */

static copydesk_code fail(copydesk_err *err, copydesk_code code, const char *msg) {
  return cd_fail(err, code, msg, "meta", NULL, 0, 0);
}

/* ---- Writing ----------------------------------------------------------------------------- */

/* The bytes a JSON string must escape: '"', '\\' and the controls below 0x20. 0x7F, "/" and
** U+2028/U+2029 go out as they are, as jansson writes them without JSON_ESCAPE_SLASH. */
static int needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

static copydesk_code put_escape(copydesk_buf *out, unsigned char c) {
  static const char hex[] = "0123456789ABCDEF"; /* jansson writes \u001F, upper case */
  char seq[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
  switch (c) {
  case '"': return copydesk_buf_append(out, "\\\"", 2);
  case '\\': return copydesk_buf_append(out, "\\\\", 2);
  case '\b': return copydesk_buf_append(out, "\\b", 2);
  case '\f': return copydesk_buf_append(out, "\\f", 2);
  case '\n': return copydesk_buf_append(out, "\\n", 2);
  case '\r': return copydesk_buf_append(out, "\\r", 2);
  case '\t': return copydesk_buf_append(out, "\\t", 2);
  default: return copydesk_buf_append(out, seq, 6);
  }
}

#define ONES (~(uint64_t)0 / 255) /* 0x0101...01 */
#define HIGHS (ONES * 0x80)

/* Whether any of the 8 bytes of w needs an escape: the classic tests for a zero byte (after an
** xor with '"' or '\\') and for a byte below 0x20, exact as a yes/no answer. */
static int word_needs_escape(uint64_t w) {
  uint64_t quote = w ^ (ONES * '"'), slash = w ^ (ONES * '\\');
  return ((((quote - ONES) & ~quote) | ((slash - ONES) & ~slash) | ((w - ONES * 0x20) & ~w)) &
          HIGHS) != 0;
}

/* The first byte of s[i..len) that needs an escape, or len: 8 bytes a step, then one. */
static size_t next_escape(const char *s, size_t i, size_t len) {
  uint64_t w;
  for (; i + 8 <= len; i += 8) {
    memcpy(&w, s + i, 8);
    if (word_needs_escape(w)) break;
  }
  while (i < len && !needs_escape((unsigned char)s[i])) i++;
  return i;
}

/* s[0..len), valid UTF-8, as a quoted JSON string: runs between escapes are copied whole. */
static copydesk_code put_string(copydesk_buf *out, const char *s, size_t len) {
  size_t i = 0, run;
  copydesk_code rc = copydesk_buf_reserve(out, len + 2);
  if (rc == COPYDESK_OK) rc = cd_buf_putc(out, '"');
  while (rc == COPYDESK_OK && i < len) {
    run = i;
    i = next_escape(s, i, len);
    rc = copydesk_buf_append(out, s + run, i - run);
    if (rc == COPYDESK_OK && i < len) rc = put_escape(out, (unsigned char)s[i++]);
  }
  return rc == COPYDESK_OK ? cd_buf_putc(out, '"') : rc;
}

static copydesk_code put_text(copydesk_buf *out, const char *s, size_t len, const char *msg,
                              copydesk_err *err) {
  size_t bad;
  if (!copydesk_utf8_valid(s, len, &bad)) return fail(err, COPYDESK_ERR_UTF8, msg);
  return put_string(out, s, len);
}

static copydesk_code put_int(copydesk_buf *out, int64_t n) {
  char tmp[24];
  int len = snprintf(tmp, sizeof tmp, "%" PRId64, n);
  return copydesk_buf_append(out, tmp, (size_t)len);
}

/* jansson's number format, through one node: its rules are not copied here. */
static copydesk_code put_float(copydesk_buf *out, double x, copydesk_err *err) {
  char tmp[64];
  size_t len;
  json_t *j;
  if (!isfinite(x)) return fail(err, COPYDESK_ERR_EMIT, "NaN or infinity in JSON");
  if ((j = json_real(x)) == NULL) return COPYDESK_ERR_NOMEM;
  len = json_dumpb(j, tmp, sizeof tmp, DUMP_FLAGS | JSON_ENCODE_ANY);
  json_decref(j);
  if (len == 0 || len > sizeof tmp) return COPYDESK_ERR_NOMEM;
  return copydesk_buf_append(out, tmp, len);
}

static copydesk_code put_value(copydesk_buf *out, const copydesk_value *v, copydesk_err *err);

static copydesk_code put_list(copydesk_buf *out, const copydesk_value *v, copydesk_err *err) {
  copydesk_code rc = cd_buf_putc(out, '[');
  size_t i;
  for (i = 0; rc == COPYDESK_OK && i < v->u.list.n; i++) {
    if (i > 0) rc = cd_buf_putc(out, ',');
    if (rc == COPYDESK_OK) rc = put_value(out, &v->u.list.items[i], err);
  }
  return rc == COPYDESK_OK ? cd_buf_putc(out, ']') : rc;
}

static int same_key(const copydesk_pair *a, const copydesk_pair *b) {
  return a->key_len == b->key_len && memcmp(a->key, b->key, a->key_len) == 0;
}

typedef struct key_ref {
  const copydesk_pair *pair;
  size_t i;
} key_ref;

static int by_key(const void *x, const void *y) {
  const key_ref *a = x, *b = y;
  size_t n = a->pair->key_len < b->pair->key_len ? a->pair->key_len : b->pair->key_len;
  int c = memcmp(a->pair->key, b->pair->key, n);
  if (c == 0) c = (a->pair->key_len > b->pair->key_len) - (a->pair->key_len < b->pair->key_len);
  return c ? c : (a->i > b->i) - (a->i < b->i);
}

/* For each pair i of `map`, which value goes out in its place: a repeated key keeps its first
** place and its last value (as jansson's object kept it, and as copydesk_map_get reads it);
** its later places get SIZE_MAX. Small maps compare pairs; larger ones sort the keys, so a
** hostile map of many keys costs n log n. `last` has map->u.map.n slots; *repeats is set when
** a key repeats. */
static copydesk_code find_repeats(const copydesk_value *map, size_t *last, int *repeats,
                                  const copydesk_alloc *alc) {
  const copydesk_pair *pairs = map->u.map.pairs;
  size_t i, j, n = map->u.map.n;
  key_ref *refs;
  for (i = 0; i < n; i++) last[i] = i;
  if (n <= SMALL_MAP) {
    for (i = 0; i < n; i++)
      for (j = i + 1; last[i] != SIZE_MAX && j < n; j++)
        if (same_key(&pairs[i], &pairs[j])) last[i] = j, last[j] = SIZE_MAX, *repeats = 1;
    return COPYDESK_OK;
  }
  if (n > SIZE_MAX / sizeof *refs || (refs = cd_malloc(alc, n * sizeof *refs)) == NULL)
    return COPYDESK_ERR_NOMEM;
  for (i = 0; i < n; i++) refs[i].pair = &pairs[i], refs[i].i = i;
  qsort(refs, n, sizeof *refs, by_key);
  for (i = 0; i < n; i = j) {
    for (j = i + 1; j < n && same_key(refs[i].pair, refs[j].pair); j++)
      last[refs[j].i] = SIZE_MAX, *repeats = 1;
    last[refs[i].i] = refs[j - 1].i;
  }
  cd_free(alc, refs, n * sizeof *refs);
  return COPYDESK_OK;
}

/* `"key":value`. The value is written, and checked, before the key is judged, so a pair with a
** bad key and a bad value reports the value, as the tree built value then member did. */
static copydesk_code put_pair(copydesk_buf *out, const copydesk_pair *key,
                              const copydesk_value *value, copydesk_err *err) {
  size_t bad;
  int key_ok = copydesk_utf8_valid(key->key, key->key_len, &bad);
  copydesk_code rc = key_ok ? put_string(out, key->key, key->key_len) : COPYDESK_OK;
  if (rc == COPYDESK_OK) rc = cd_buf_putc(out, ':');
  if (rc == COPYDESK_OK) rc = put_value(out, value, err);
  if (rc != COPYDESK_OK) return rc;
  if (!key_ok) return fail(err, COPYDESK_ERR_UTF8, "invalid UTF-8 in a meta key");
  if (memchr(key->key, '\0', key->key_len)) /* jansson 2.14 wrote keys up to a zero byte */
    return fail(err, COPYDESK_ERR_EMIT, "zero byte in a JSON key");
  return COPYDESK_OK;
}

/* Every pair in order, written and cut: a map whose keys repeat fails on the first bad pair,
** as the tree built every pair in order, though a later value replaces an earlier one. */
static copydesk_code check_pairs(copydesk_buf *out, const copydesk_value *map, copydesk_err *err) {
  size_t i, mark = out->len;
  copydesk_code rc = COPYDESK_OK;
  for (i = 0; rc == COPYDESK_OK && i < map->u.map.n; i++) {
    rc = put_pair(out, &map->u.map.pairs[i], &map->u.map.pairs[i].value, err);
    out->len = mark;
  }
  return rc;
}

/* The pairs of `map` without the braces, a repeated key once, with its last value. */
static copydesk_code put_pairs(copydesk_buf *out, const copydesk_value *map, copydesk_err *err) {
  const copydesk_pair *pairs = map->u.map.pairs;
  size_t small[SMALL_MAP], *last = small, i, n = map->u.map.n;
  copydesk_code rc;
  int first = 1, repeats = 0;
  if (n > SMALL_MAP &&
      (n > SIZE_MAX / sizeof *last || (last = cd_malloc(out->alc, n * sizeof *last)) == NULL))
    return COPYDESK_ERR_NOMEM;
  rc = find_repeats(map, last, &repeats, out->alc);
  if (rc == COPYDESK_OK && repeats) rc = check_pairs(out, map, err);
  for (i = 0; rc == COPYDESK_OK && i < n; i++) {
    if (last[i] == SIZE_MAX) continue;
    if (!first) rc = cd_buf_putc(out, ',');
    if (rc == COPYDESK_OK) rc = put_pair(out, &pairs[i], &pairs[last[i]].value, err);
    first = 0;
  }
  if (last != small) cd_free(out->alc, last, n * sizeof *last);
  return rc;
}

static copydesk_code put_map(copydesk_buf *out, const copydesk_value *v, copydesk_err *err) {
  copydesk_code rc = cd_buf_putc(out, '{');
  if (rc == COPYDESK_OK) rc = put_pairs(out, v, err);
  return rc == COPYDESK_OK ? cd_buf_putc(out, '}') : rc;
}

static copydesk_code put_value(copydesk_buf *out, const copydesk_value *v, copydesk_err *err) {
  switch (v->type) {
  case COPYDESK_BOOL:
    return v->u.boolean ? copydesk_buf_append(out, "true", 4) : copydesk_buf_append(out, "false", 5);
  case COPYDESK_INT: return put_int(out, v->u.integer);
  case COPYDESK_FLOAT: return put_float(out, v->u.number, err);
  case COPYDESK_STRING:
    return put_text(out, v->u.str.s, v->u.str.len, "invalid UTF-8 in a meta string", err);
  case COPYDESK_LIST: return put_list(out, v, err);
  case COPYDESK_MAP: return put_map(out, v, err);
  default: return copydesk_buf_append(out, "null", 4);
  }
}

/* The whole object: meta pairs, then "text". A meta key "text" would collide with the body. */
copydesk_code cd_json_render(const copydesk_value *meta, const char *body, size_t body_len,
                             copydesk_buf *out, copydesk_err *err) {
  copydesk_code rc;
  size_t bad;
  if (copydesk_map_get(meta, "text", 4))
    return fail(err, COPYDESK_ERR_EMIT, "a meta key named \"text\" collides with the body");
  if (!copydesk_utf8_valid(body, body_len, &bad))
    return cd_fail(err, COPYDESK_ERR_UTF8, "invalid UTF-8 in the body", "body", body, body_len,
                   bad);
  /* Room for the body, its usual escapes and some meta at once, instead of growing by halves. */
  rc = copydesk_buf_reserve(out, body_len / 16 * 17 + 256);
  if (rc == COPYDESK_OK) rc = cd_buf_putc(out, '{');
  if (rc == COPYDESK_OK) rc = put_pairs(out, meta, err);
  if (rc == COPYDESK_OK) rc = copydesk_buf_append(out, meta->u.map.n ? ",\"text\":" : "\"text\":",
                                                  meta->u.map.n ? 8 : 7);
  if (rc == COPYDESK_OK) rc = put_string(out, body, body_len);
  if (rc == COPYDESK_OK) rc = cd_buf_putc(out, '}');
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
