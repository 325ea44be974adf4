/* test_jsonl.c: JSON-lines records -> articles: fields, field mapping, every error code with its
** position, depth limit, allocation failures; articles -> JSON lines: the same bytes jansson's
** dump wrote, over random and hostile values. */
#include <math.h>
#include <stdint.h>

/* The reference for rendering: core/jsonl.c writes JSON itself and must write what jansson
** writes, so this test, and only it outside that file, builds the same values as jansson nodes. */
#include <jansson.h>

#include "check.h"

#define FIX "tests/fixtures/jsonl/"

/* Parses s (copied into an exact-size block) and returns the code; *out as the call left it. */
static copydesk_code parse(const char *s, const copydesk_jsonl_opts *opts, copydesk_article **out,
                           copydesk_err *e) {
  size_t len = strlen(s);
  char *copy = check_dup(s, len);
  copydesk_code rc = copydesk_jsonl_parse(copy, len, opts, NULL, out, e);
  free(copy);
  return rc;
}

static const copydesk_value *get(const copydesk_article *a, const char *key) {
  return copydesk_map_get(&a->meta, key, strlen(key));
}

static void test_fields(void) {
  copydesk_article *a;
  copydesk_err e = check_err();
  const copydesk_value *v;
  const char *rec = "{\"id\":2,\"text\":\"zero \\u0000 caf\\u00e9\",\"tags\":[\"a\",\"b\"],"
                    "\"score\":0.5,\"draft\":false,\"editor\":null,\"big\":9007199254740993}";
  check(parse(rec, NULL, &a, &e) == COPYDESK_OK, "parse: %s", e.msg);
  check(e.code == COPYDESK_OK, "err cleared");
  check(a->format == COPYDESK_FORMAT_JSON && a->body_line == 1, "format and body line");
  check(a->body_len == 12 && memcmp(a->body, "zero \0 caf\xc3\xa9", 12) == 0, "body: %s", a->body);
  check(a->meta.u.map.n == 6, "meta members: %zu", a->meta.u.map.n);
  check(strcmp(a->meta.u.map.pairs[0].key, "id") == 0, "record order kept");
  v = get(a, "id");
  check(v && v->type == COPYDESK_INT && v->u.integer == 2, "id");
  v = get(a, "tags");
  check(v && v->type == COPYDESK_LIST && v->u.list.n == 2, "tags");
  v = get(a, "score");
  check(v && v->type == COPYDESK_FLOAT && v->u.number == 0.5, "score");
  v = get(a, "draft");
  check(v && v->type == COPYDESK_BOOL && v->u.boolean == 0, "draft");
  v = get(a, "editor");
  check(v && v->type == COPYDESK_NULL, "editor");
  v = get(a, "big");
  check(v && v->type == COPYDESK_INT && v->u.integer == 9007199254740993LL, "int64 kept exact");
  check(get(a, "text") == NULL, "text is the body, not meta");
  copydesk_article_free(a);
}

static void test_mapping(void) {
  size_t len;
  char *rec = check_slurp(FIX "y_fields_content.jsonl", &len);
  copydesk_jsonl_opts opts = {"content", "doc_id", 0};
  copydesk_article *a;
  const copydesk_value *v;
  copydesk_err e = check_err();
  check(copydesk_jsonl_parse(rec, len, &opts, NULL, &a, &e) == COPYDESK_OK, "mapped: %s", e.msg);
  check(strcmp(a->body, "Body from content.") == 0, "body from content");
  v = get(a, "id");
  check(v && v->type == COPYDESK_STRING && strcmp(v->u.str.s, "x-1") == 0, "doc_id became id");
  check(a->meta.u.map.n == 2 && strcmp(a->meta.u.map.pairs[0].key, "id") == 0 &&
        strcmp(a->meta.u.map.pairs[1].key, "url") == 0, "id in doc_id's place, old id left out");
  copydesk_article_free(a);
  e = check_err();
  check(copydesk_jsonl_parse(rec, len, NULL, NULL, &a, &e) == COPYDESK_ERR_NOT_RECORD &&
        strcmp(e.msg, "record has no text field") == 0, "without the mapping: %s", e.msg);
  free(rec);
}

typedef struct bad_case {
  const char *rec;
  copydesk_code code;
  const char *msg;
  size_t col; /* 1-based byte column */
} bad_case;

static void test_errors(void) {
  static const bad_case cases[] = {
    /* each column is the last byte jansson read: the offending one, or the byte after it */
    {"{\"text\":\"a\",}", COPYDESK_ERR_JSON, "invalid JSON", 13},
    /*             ^ */
    {"{\"text\":\"unclosed}", COPYDESK_ERR_JSON, "unexpected end of the record", 19},
    /*                  ^ (the end) */
    {"{\"text\":\"a\"} x", COPYDESK_ERR_JSON, "text after the JSON value", 14},
    /*              ^ */
    {"{\"text\":\"a\",\"n\":1e999}", COPYDESK_ERR_JSON, "number out of range", 21},
    /*                    ^ */
    {"{\"te\\u0000xt\":\"a\"}", COPYDESK_ERR_JSON, "\\u0000 in a member name", 13},
    /*            ^ */
    {"{\"text\":\"caf\xe9\"}", COPYDESK_ERR_UTF8, "invalid UTF-8 in JSON", 13},
    /*            ^ the bad byte */
    {"[\"an\",\"array\"]", COPYDESK_ERR_NOT_RECORD, "record is not an object", 1},
    {"42", COPYDESK_ERR_NOT_RECORD, "record is not an object", 1},
    {"{\"id\":1}", COPYDESK_ERR_NOT_RECORD, "record has no text field", 1},
    {"{\"text\":42}", COPYDESK_ERR_NOT_RECORD, "text field is not a string", 1},
    {"", COPYDESK_ERR_JSON, "unexpected end of the record", 1},
  };
  size_t i;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    copydesk_article *a = (copydesk_article *)1;
    copydesk_err e = check_err();
    copydesk_code rc = parse(cases[i].rec, NULL, &a, &e);
    check(rc == cases[i].code && a == NULL, "case %zu: rc %d", i, (int)rc);
    check(e.code == cases[i].code && strcmp(e.msg, cases[i].msg) == 0, "case %zu: %s", i, e.msg);
    check(e.line == 1 && e.col == cases[i].col && e.pos == cases[i].col - 1,
          "case %zu: line %zu col %zu pos %zu", i, e.line, e.col, e.pos);
    check(strcmp(e.context, "json") == 0, "case %zu: context %s", i, e.context);
  }
}

/* The bracket opening level max_depth + 1 is the position; brackets in strings do not count. */
static void test_depth(void) {
  copydesk_jsonl_opts opts = {NULL, NULL, 3};
  copydesk_article *a;
  copydesk_err e = check_err();
  check(parse("{\"text\":\"[[[[{{{{\\\"[[[[\",\"a\":[[1]]}", &opts, &a, &e) == COPYDESK_OK,
        "three levels, brackets in a string: %s", e.msg);
  copydesk_article_free(a);
  e = check_err();
  /*           1234567890123456789 */
  check(parse("{\"text\":\"\",\"a\":[[[1]]]}", &opts, &a, &e) == COPYDESK_ERR_DEPTH, "four");
  check(e.pos == 17 && e.col == 18 && e.line == 1, "depth at %zu", e.pos);
  {
    size_t n = 100000, i;
    char *deep = malloc(2 * n + 32);
    strcpy(deep, "{\"text\":\"\",\"a\":");
    for (i = 0; i < n; i++) deep[15 + i] = '[';
    deep[15 + n] = '\0';
    e = check_err();
    check(copydesk_jsonl_parse(deep, 15 + n, NULL, NULL, &a, &e) == COPYDESK_ERR_DEPTH &&
          e.pos == 15 + 63, "default limit 64: pos %zu", e.pos);
    free(deep);
  }
}

static void test_fixture_lines(void) {
  size_t len, i, good = 0;
  char *data = check_slurp(FIX "y_records.jsonl", &len), *line = data, *end = data + len;
  for (i = 0; line < end; i++) {
    char *nl = memchr(line, '\n', (size_t)(end - line));
    size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);
    copydesk_article *a;
    copydesk_err e = check_err();
    if (copydesk_jsonl_parse(line, n, NULL, NULL, &a, &e) == COPYDESK_OK) good++;
    else check(0, "line %zu: %s", i + 1, e.msg);
    copydesk_article_free(a);
    line += n + 1;
  }
  check(good == 5, "%zu good records", good);
  free(data);
}

static void test_nomem(void) {
  const char *rec = "{\"id\":\"x\",\"text\":\"body\",\"tags\":[\"a\",{\"b\":[1,2]}]}";
  long n;
  int done = 0;
  for (n = 0; !done && n < 100; n++) {
    check_failing f = {n, 0};
    copydesk_alloc alc = check_failing_alloc(&f);
    copydesk_article *a;
    copydesk_code rc = copydesk_jsonl_parse(rec, strlen(rec), NULL, &alc, &a, NULL);
    if (rc == COPYDESK_OK) {
      copydesk_article_free(a);
      done = 1;
    } else {
      check(rc == COPYDESK_ERR_NOMEM, "allocation %ld: rc %d", n + 1, (int)rc);
    }
    check(f.live == 0, "allocation %ld: %ld blocks leak", n + 1, f.live);
  }
  check(done, "succeeds once allocations do");
  check(copydesk_jsonl_parse(NULL, 1, NULL, NULL, NULL, NULL) == COPYDESK_ERR_INVALID, "NULL");
}

/* ---- Rendering against jansson ---------------------------------------------------------- */

#define SEED 20261122u
#define ROUNDS 3000

static uint64_t rng_state;

static uint64_t rnd(void) { /* xorshift64*: seeded, so a failure can be replayed */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717u;
}

static size_t below(size_t n) { return (size_t)(rnd() % n); }

/* Pieces a string is made of: what JSON must escape, what jansson leaves alone ("/", 0x7F,
** U+2028, U+2029, non-ASCII), plain runs long enough for the 8-byte scan, and, rarely, bytes
** that are no UTF-8 (a surrogate, an overlong form, a cut sequence, 0xFF). */
static const char *const pieces[] = {
  "a", "Tom", "plain text of some length, no escapes at all", "\"", "\\", "/", "\n", "\r", "\t",
  "\b", "\f", "\x01", "\x1F", "\x7F", "\xC3\xA9", "\xE2\x80\xA8", "\xE2\x80\xA9",
  "\xF0\x9F\x98\x80", "\xE4\xB8\xAD", " ", "\\\"", "\\u0000",
};
static const char *const bad_pieces[] = {"\xFF", "\x80", "\xED\xA0\x80", "\xC0\xAF", "\xE2\x82"};

/* A random string into buf (room for 600 bytes); returns its length. Zero bytes are data. */
static size_t random_string(char *buf, int allow_bad) {
  size_t n = 0, parts = below(4) == 0 ? below(40) : below(6), i;
  for (i = 0; i < parts; i++) {
    const char *p;
    size_t len;
    if (below(12) == 0) {
      buf[n++] = '\0';
      continue;
    }
    p = allow_bad && below(60) == 0 ? bad_pieces[below(5)] : pieces[below(22)];
    len = strlen(p);
    memcpy(buf + n, p, len);
    n += len;
  }
  return n;
}

/* Key names from a small pool, so maps repeat keys often. */
static const char *const keys[] = {"id", "title", "a", "b", "\xC3\xA9t\xC3\xA9", "q\"k", "s\\k",
                                   "text", "c/d", "k\x01", "", "author"};

/* Fills v with a random value and returns the same value as a jansson node, or NULL when jansson
** refuses it (a string that is no UTF-8); *fails is set when copydesk must refuse it too (also
** NaN and infinities, keys that are no UTF-8 or hold a zero byte). */
static json_t *random_value(copydesk_value *v, int depth, int *fails);

static json_t *random_map(copydesk_value *v, int depth, int *fails, int top) {
  size_t n = below(3) == 0 ? 17 + below(24) : below(6), i;
  json_t *obj = json_object();
  v->type = COPYDESK_MAP;
  for (i = 0; i < n; i++) {
    char kb[640];
    size_t klen;
    copydesk_value *slot;
    json_t *item;
    if (below(8) == 0) klen = random_string(kb, 1);
    else {
      const char *k = keys[below(12)];
      klen = strlen(k);
      memcpy(kb, k, klen);
    }
    if (top && klen == 4 && memcmp(kb, "text", 4) == 0) continue; /* that collision fails alone */
    slot = copydesk_map_push(v, kb, klen, NULL);
    item = random_value(slot, depth + 1, fails);
    if (memchr(kb, '\0', klen) || !copydesk_utf8_valid(kb, klen, NULL)) *fails = 1;
    else if (item && obj) json_object_setn_new(obj, kb, klen, item), item = NULL;
    json_decref(item);
  }
  return obj;
}

static json_t *random_value(copydesk_value *v, int depth, int *fails) {
  static const double floats[] = {0.5, -0.0, 1e300, 1602509541.0172567, 1e-7, 123456789.0,
                                  5e-324, 1.7976931348623157e308, 0.1, -2.5e17};
  char buf[640];
  size_t len, i;
  json_t *arr;
  switch (depth > 2 ? below(4) : below(7)) {
  case 0:
    len = random_string(buf, 1);
    if (copydesk_value_set_string(v, buf, len, NULL) != COPYDESK_OK) abort();
    if (!copydesk_utf8_valid(buf, len, NULL)) *fails = 1;
    return json_stringn(buf, len);
  case 1:
    v->type = COPYDESK_INT;
    v->u.integer = (int64_t)rnd() >> below(64);
    return json_integer((json_int_t)v->u.integer);
  case 2:
    v->type = COPYDESK_FLOAT;
    if (below(40) == 0) {
      v->u.number = below(2) ? NAN : -INFINITY;
      *fails = 1;
      return json_null();
    }
    if (below(2)) v->u.number = floats[below(10)];
    else {
      uint64_t bits = rnd();
      memcpy(&v->u.number, &bits, sizeof bits);
      if (!isfinite(v->u.number)) v->u.number = 1.5;
    }
    return json_real(v->u.number);
  case 3:
    v->type = below(3) == 0 ? COPYDESK_NULL : COPYDESK_BOOL;
    v->u.boolean = (int)below(2);
    return v->type == COPYDESK_NULL ? json_null() : json_boolean(v->u.boolean);
  case 4:
    v->type = COPYDESK_LIST;
    arr = json_array();
    for (i = below(5); i > 0; i--) {
      json_t *item = random_value(copydesk_list_push(v, NULL), depth + 1, fails);
      if (item && arr) json_array_append_new(arr, item);
      else json_decref(item);
    }
    return arr;
  default:
    return random_map(v, depth, fails, 0);
  }
}

/* Random articles rendered as JSON give jansson's bytes, or fail when jansson would. */
static void test_render_matches_jansson(void) {
  int round, same = 0, refused = 0;
  rng_state = SEED;
  for (round = 0; round < ROUNDS; round++) {
    copydesk_article *a = copydesk_article_new(NULL);
    copydesk_buf b;
    char body[640];
    size_t len;
    int fails = 0;
    json_t *root, *text;
    char *want = NULL;
    copydesk_code rc;
    if (a == NULL) abort();
    root = random_map(&a->meta, 0, &fails, 1);
    len = random_string(body, 1);
    if (below(10) == 0) { /* a long body: many 8-byte steps and runs */
      size_t i;
      for (i = 0; len < sizeof body - 8; i++) body[len++] = i % 97 == 96 ? '\n' : 'x';
    }
    if (copydesk_article_set_body(a, body, len) != COPYDESK_OK) abort();
    if (!copydesk_utf8_valid(body, len, NULL)) fails = 1;
    text = json_stringn(body, len);
    if (!fails && root && text && json_object_setn_new(root, "text", 4, text) == 0)
      want = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    else json_decref(text);
    copydesk_buf_init(&b, NULL);
    rc = copydesk_article_render(a, COPYDESK_FORMAT_JSON, &b, NULL);
    if (fails) {
      check(rc == COPYDESK_ERR_UTF8 || rc == COPYDESK_ERR_EMIT, "seed %u round %d: rc %d",
            SEED, round, (int)rc);
      check(b.len == 0, "seed %u round %d: nothing left on failure (%zu bytes)", SEED, round,
            b.len);
      refused++;
    } else {
      check(want && rc == COPYDESK_OK && strlen(want) == b.len && memcmp(want, b.data, b.len) == 0,
            "seed %u round %d:\n ours    %s\n jansson %s", SEED, round, b.data ? b.data : "",
            want ? want : "(none)");
      same++;
    }
    free(want);
    json_decref(root);
    copydesk_buf_free(&b);
    copydesk_article_free(a);
  }
  check(same > ROUNDS / 3 && refused > ROUNDS / 10, "%d compared, %d refused", same, refused);
}

static copydesk_value *push_int(copydesk_value *map, const char *k, int64_t n) {
  copydesk_value *v = copydesk_map_push(map, k, strlen(k), NULL);
  if (v == NULL) abort();
  v->type = COPYDESK_INT;
  v->u.integer = n;
  return v;
}

/* A repeated key keeps its first place and its last value; a bad value it replaced still fails
** the render, before a bad pair after it. */
static void test_render_repeats(void) {
  copydesk_article *a = copydesk_article_new(NULL);
  copydesk_buf b;
  copydesk_err e = check_err();
  copydesk_value *v;
  if (a == NULL) abort();
  copydesk_buf_init(&b, NULL);
  push_int(&a->meta, "a", 1);
  push_int(&a->meta, "b", 2);
  push_int(&a->meta, "a", 3);
  check(copydesk_article_render(a, COPYDESK_FORMAT_JSON, &b, NULL) == COPYDESK_OK &&
        strcmp(b.data, "{\"a\":3,\"b\":2,\"text\":\"\"}") == 0, "first place, last value: %s",
        b.data);
  copydesk_buf_clear(&b);
  v = push_int(&a->meta, "c", 0);
  if (copydesk_value_set_string(v, "\xFF", 1, NULL) != COPYDESK_OK) abort();
  push_int(&a->meta, "d", 0)->type = COPYDESK_FLOAT;
  a->meta.u.map.pairs[4].value.u.number = NAN;
  push_int(&a->meta, "c", 4);
  check(copydesk_article_render(a, COPYDESK_FORMAT_JSON, &b, &e) == COPYDESK_ERR_UTF8 &&
        strcmp(e.msg, "invalid UTF-8 in a meta string") == 0 && b.len == 0,
        "the replaced bad value fails first: %s", e.msg);
  copydesk_buf_free(&b);
  copydesk_article_free(a);
}

/* A map of more keys than are compared pair by pair (its repeats found by sorting): each failed
** allocation is ERR_NOMEM, leaves the buffer as it was and leaks nothing. */
static void test_render_nomem(void) {
  copydesk_article *a = copydesk_article_new(NULL);
  long n;
  int done = 0, i;
  if (a == NULL) abort();
  for (i = 0; i < 40; i++) {
    char k[8];
    snprintf(k, sizeof k, "k%d", i % 30);
    if (copydesk_value_set_string(copydesk_map_push(&a->meta, k, strlen(k), NULL), k, strlen(k),
                                  NULL) != COPYDESK_OK)
      abort();
  }
  for (n = 0; !done && n < 100; n++) {
    check_failing f = {n, 0};
    copydesk_alloc alc = check_failing_alloc(&f);
    copydesk_buf b;
    copydesk_code rc;
    copydesk_buf_init(&b, &alc);
    rc = copydesk_article_render(a, COPYDESK_FORMAT_JSON, &b, NULL);
    if (rc == COPYDESK_OK) {
      done = 1;
      check(strncmp(b.data, "{\"k0\":\"k0\",", 11) == 0 && strstr(b.data, "\"k29\":\"k29\"") &&
            !strstr(b.data, "\"k0\":\"k0\",\"k1\":\"k1\",\"k2\":\"k2\",\"k3\":\"k3\",\"k4\":\"k4\","
                            "\"k5\":\"k5\",\"k6\":\"k6\",\"k7\":\"k7\",\"k8\":\"k8\",\"k9\":\"k9\","
                            "\"k10\":\"k10\",\"k11\":\"k11\",\"k12\":\"k12\",\"k13\":\"k13\","
                            "\"k14\":\"k14\",\"k15\":\"k15\",\"k16\":\"k16\",\"k17\":\"k17\","
                            "\"k18\":\"k18\",\"k19\":\"k19\",\"k20\":\"k20\",\"k21\":\"k21\","
                            "\"k22\":\"k22\",\"k23\":\"k23\",\"k24\":\"k24\",\"k25\":\"k25\","
                            "\"k26\":\"k26\",\"k27\":\"k27\",\"k28\":\"k28\",\"k29\":\"k29\","
                            "\"k0\""),
            "30 keys once each: %s", b.data);
    } else {
      check(rc == COPYDESK_ERR_NOMEM && b.len == 0, "allocation %ld: rc %d", n + 1, (int)rc);
    }
    copydesk_buf_free(&b);
    check(f.live == 0, "allocation %ld: %ld blocks leak", n + 1, f.live);
  }
  check(done, "succeeds once allocations do");
  copydesk_article_free(a);
}

int main(void) {
  test_fields();
  test_mapping();
  test_errors();
  test_depth();
  test_fixture_lines();
  test_nomem();
  test_render_matches_jansson();
  test_render_repeats();
  test_render_nomem();
  return check_done("test_jsonl");
}
