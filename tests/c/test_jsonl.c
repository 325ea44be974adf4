/* test_jsonl.c: JSON-lines records -> articles: fields, field mapping, every error code with its
** position, depth limit, allocation failures. */
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

int main(void) {
  test_fields();
  test_mapping();
  test_errors();
  test_depth();
  test_fixture_lines();
  test_nomem();
  return check_done("test_jsonl");
}
