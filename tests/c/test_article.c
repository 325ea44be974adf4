/* test_article.c: values, article parsing (front matter, dated line, plain) and rendering
** (front matter, JSON, text, dated, plain), their errors with positions, round trips and
** out-of-memory. Inputs are exact-size heap copies so ASan sees any read past the end. */
#include <math.h>
#include <stdint.h>

#include "check.h"

#define LIT(s) s, sizeof(s) - 1
#define FIXTURES "tests/fixtures/parse/"

/* ---- helpers ------------------------------------------------------------------------------ */

static copydesk_article *parse_with(const char *s, size_t len, const copydesk_parse_opts *opts,
                                    const copydesk_alloc *alc, copydesk_err *e,
                                    copydesk_code *rc) {
  char *p = check_dup(s, len);
  copydesk_article *a = (copydesk_article *)&a; /* not NULL: parse must reset it */
  *rc = copydesk_article_parse(p, len, opts, alc, &a, e);
  free(p); /* the article must not point into its input */
  return a;
}

static copydesk_article *parse_ok(int at, const char *s, size_t len) {
  copydesk_err e = check_err();
  copydesk_code rc;
  copydesk_article *a = parse_with(s, len, NULL, NULL, &e, &rc);
  check(rc == COPYDESK_OK && a != NULL, "line %d: %s", at, copydesk_strerror(rc));
  check(e.code == COPYDESK_OK && e.msg && *e.msg == '\0', "line %d: err not cleared", at);
  if (rc != COPYDESK_OK) {
    fprintf(stderr, "  %s at %zu:%zu\n", e.msg, e.line, e.col);
    exit(1);
  }
  return a;
}
#define PARSE(lit) parse_ok(__LINE__, LIT(lit))

static copydesk_article *parse_file(const char *name, char **text, size_t *len) {
  char path[512];
  copydesk_article *a;
  snprintf(path, sizeof path, FIXTURES "%s", name);
  *text = check_slurp(path, len);
  a = parse_ok(__LINE__, *text, *len);
  return a;
}

static void expect_error(int at, const char *s, size_t len, const copydesk_parse_opts *opts,
                         copydesk_code code, size_t pos, size_t line, size_t col,
                         const char *context) {
  copydesk_err e = check_err();
  copydesk_code rc;
  copydesk_article *a = parse_with(s, len, opts, NULL, &e, &rc);
  check(rc == code, "line %d: got %s, want %s", at, copydesk_code_name(rc),
        copydesk_code_name(code));
  check(a == NULL, "line %d: article returned on failure", at);
  if (rc != code) return;
  check(e.code == code, "line %d: err.code %d", at, (int)e.code);
  check(e.pos == pos && e.line == line && e.col == col, "line %d: at %zu (%zu:%zu), want %zu (%zu:%zu)",
        at, e.pos, e.line, e.col, pos, line, col);
  check(e.msg && *e.msg, "line %d: no message", at);
  check(context == NULL || strcmp(e.context, context) == 0, "line %d: context '%s'", at,
        e.context);
}
#define EXPECT_ERROR(lit, opts, code, pos, line, col, ctx) \
  expect_error(__LINE__, LIT(lit), opts, code, pos, line, col, ctx)

static copydesk_value *get(const copydesk_article *a, const char *key) {
  return copydesk_map_get(&a->meta, key, strlen(key));
}

static int str_is(const copydesk_value *v, const char *s, size_t len) {
  return v && v->type == COPYDESK_STRING && v->u.str.len == len &&
         memcmp(v->u.str.s, s, len) == 0 && v->u.str.s[len] == '\0';
}
#define STR_IS(v, lit) str_is(v, LIT(lit))

static int body_is(const copydesk_article *a, const char *s, size_t len) {
  return a->body && a->body_len == len && memcmp(a->body, s, len) == 0 && a->body[len] == '\0';
}
#define BODY_IS(a, lit) body_is(a, LIT(lit))

static int same_double(double x, double y) {
  if (isnan(x) || isnan(y)) return isnan(x) && isnan(y);
  return x == y && signbit(x) == signbit(y);
}

static int value_eq(const copydesk_value *a, const copydesk_value *b) {
  size_t i;
  if (a->type != b->type) return 0;
  switch (a->type) {
  case COPYDESK_NULL: return 1;
  case COPYDESK_BOOL: return !a->u.boolean == !b->u.boolean;
  case COPYDESK_INT: return a->u.integer == b->u.integer;
  case COPYDESK_FLOAT: return same_double(a->u.number, b->u.number);
  case COPYDESK_STRING: return str_is(b, a->u.str.s, a->u.str.len);
  case COPYDESK_LIST:
    if (a->u.list.n != b->u.list.n) return 0;
    for (i = 0; i < a->u.list.n; i++)
      if (!value_eq(&a->u.list.items[i], &b->u.list.items[i])) return 0;
    return 1;
  case COPYDESK_MAP:
    if (a->u.map.n != b->u.map.n) return 0;
    for (i = 0; i < a->u.map.n; i++) {
      const copydesk_pair *p = &a->u.map.pairs[i], *q = &b->u.map.pairs[i];
      if (p->key_len != q->key_len || memcmp(p->key, q->key, p->key_len) != 0) return 0;
      if (!value_eq(&p->value, &q->value)) return 0;
    }
    return 1;
  }
  return 0;
}

/* Renders `a` in `format` into a fresh libc buffer; the caller frees it. */
static copydesk_code render(const copydesk_article *a, copydesk_format format, copydesk_buf *b,
                            copydesk_err *e) {
  copydesk_buf_init(b, NULL);
  return copydesk_article_render(a, format, b, e);
}

static int buf_is(const copydesk_buf *b, const char *s, size_t len) {
  return b->len == len && (len == 0 || memcmp(b->data, s, len) == 0);
}
#define BUF_IS(b, lit) buf_is(b, LIT(lit))

static copydesk_value *push(copydesk_value *map, const char *key) {
  copydesk_value *v = copydesk_map_push(map, key, strlen(key), NULL);
  if (v == NULL) abort();
  return v;
}

static void set_str(copydesk_value *v, const char *s, size_t len) {
  if (copydesk_value_set_string(v, s, len, NULL) != COPYDESK_OK) abort();
}

/* ---- values ------------------------------------------------------------------------------- */

static void test_values(void) {
  copydesk_value v = {0}, m = {0}, *item, *slot;
  size_t i;
  check(copydesk_value_set_string(&v, LIT("ab\0c"), NULL) == COPYDESK_OK, "set_string");
  check(str_is(&v, LIT("ab\0c")), "string with a zero byte");
  check(copydesk_value_set_string(&v, LIT("x"), NULL) == COPYDESK_OK, "set_string again");
  check(STR_IS(&v, "x"), "replaced");
  check(copydesk_list_push(&v, NULL) == NULL, "push on a string");
  copydesk_value_clear(&v, NULL);
  check(v.type == COPYDESK_NULL, "cleared");

  v.type = COPYDESK_LIST;
  for (i = 0; i < 10; i++) {
    item = copydesk_list_push(&v, NULL);
    check(item && item->type == COPYDESK_NULL, "new item is null");
    item->type = COPYDESK_INT;
    item->u.integer = (int64_t)i * 7;
  }
  check(v.u.list.n == 10 && v.u.list.items[9].u.integer == 63, "list of 10");
  copydesk_value_clear(&v, NULL);

  m.type = COPYDESK_MAP;
  check(copydesk_map_push(&v, LIT("a"), NULL) == NULL, "map_push on null");
  slot = push(&m, "a");
  slot->type = COPYDESK_INT;
  slot->u.integer = 1;
  set_str(push(&m, "b"), LIT("two"));
  slot = push(&m, "a");
  slot->type = COPYDESK_INT;
  slot->u.integer = 3;
  slot = copydesk_map_push(&m, LIT("k\0z"), NULL);
  slot->type = COPYDESK_BOOL;
  slot->u.boolean = 1;
  check(copydesk_map_get(&m, LIT("a"))->u.integer == 3, "last repeated key wins");
  check(copydesk_map_get(&m, LIT("k")) == NULL, "key compared with its length");
  check(copydesk_map_get(&m, LIT("k\0z"))->type == COPYDESK_BOOL, "key with a zero byte");
  check(copydesk_map_get(&m, LIT("c")) == NULL, "missing key");
  check(copydesk_map_remove(&m, LIT("a"), NULL) == 2, "removes every occurrence");
  check(m.u.map.n == 2 && m.u.map.pairs[0].key_len == 1 && m.u.map.pairs[0].key[0] == 'b',
        "order kept");
  check(copydesk_map_remove(&m, LIT("zz"), NULL) == 0, "nothing to remove");
  check(copydesk_map_get(&v, LIT("a")) == NULL, "get on a non-map");
  copydesk_value_clear(&m, NULL);
}

static void test_values_oom(void) {
  check_failing f = {0, 0};
  copydesk_alloc alc = check_failing_alloc(&f);
  copydesk_value v = {0}, m = {0};
  long k;
  f.countdown = -1;
  check(copydesk_value_set_string(&v, LIT("old"), &alc) == COPYDESK_OK, "set_string");
  f.countdown = 0;
  check(copydesk_value_set_string(&v, LIT("new"), &alc) == COPYDESK_ERR_NOMEM, "nomem");
  check(STR_IS(&v, "old"), "value unchanged on failure");
  copydesk_value_clear(&v, &alc);
  m.type = COPYDESK_MAP;
  for (k = 0; k < 2; k++) { /* the key copy, then the array */
    f.countdown = k;
    check(copydesk_map_push(&m, LIT("key"), &alc) == NULL && f.live == 0, "map_push %ld", k);
  }
  v.type = COPYDESK_LIST;
  f.countdown = 0;
  check(copydesk_list_push(&v, &alc) == NULL && f.live == 0, "list_push");
  copydesk_value_clear(&m, &alc);
  copydesk_value_clear(&v, &alc);
  check(f.live == 0, "nothing leaked");
}

/* ---- parsing ------------------------------------------------------------------------------ */

/* The sample articles' shape: `--- ` lines and keys with trailing spaces, generator keys, folded
** title and description (whose content lines end in a space, which YAML keeps), epoch date. */
static void test_front_matter_quirks(void) {
  char *text;
  size_t len;
  copydesk_article *a = parse_file("y_front_matter_trailing_spaces.txt", &text, &len);
  const char *keys[] = {"extends", "section", "image", "title", "description", "date"};
  const char *body = strstr(text, "Dozens of commuters had to wade ashore on Monday after a ferry "
                                  "ran aground.\n");
  size_t i;
  check(a->format == COPYDESK_FORMAT_FRONT_MATTER, "format %d", (int)a->format);
  check(a->meta.type == COPYDESK_MAP && a->meta.u.map.n == 6, "6 keys, got %zu", a->meta.u.map.n);
  for (i = 0; i < 6 && i < a->meta.u.map.n; i++)
    check(strcmp(a->meta.u.map.pairs[i].key, keys[i]) == 0, "key %zu is %s", i,
          a->meta.u.map.pairs[i].key);
  check(STR_IS(get(a, "extends"), "_layouts.post"), "plain scalar loses trailing spaces");
  check(STR_IS(get(a, "section"), "content"), "section");
  check(STR_IS(get(a, "image"), "https://images.example.org/2021/03/14/0930/"
                                "harbour-ferry-a-12_1615714200123.jpg"), "image");
  check(STR_IS(get(a, "title"), "Harbour ferry runs aground on sandbank as commuters wade ashore "
                                "in Portsmouth \n"), "folded title keeps its space and newline");
  check(STR_IS(get(a, "description"), "Dozens of commuters had to wade ashore on Monday after a "
                                      "ferry ran aground.The vessel was stuck for three hours."
                                      "Coastguard: Crews helped passengers off the ferry on "
                                      "MondayThe operator apologised. \n"), "folded description");
  check(get(a, "date")->type == COPYDESK_FLOAT && get(a, "date")->u.number == 1615714200.3712893,
        "epoch date is a float, exactly");
  check(body && body_is(a, body, len - (size_t)(body - text)), "body is the rest, byte for byte");
  check(a->body_line == 11, "body_line %zu", a->body_line);
  copydesk_article_free(a);
  free(text);

  a = PARSE("--- \ndate: 1602509541.0172567 \n--- \n");
  check(get(a, "date")->u.number == 1602509541.0172567, "sample epoch %.17g",
        get(a, "date")->u.number);
  check(BODY_IS(a, "") && a->body_line == 4, "empty body");
  copydesk_article_free(a);
}

static void test_front_matter_markers(void) {
  char *text;
  size_t len;
  copydesk_article *a = parse_file("y_front_matter_crlf.txt", &text, &len);
  check(a->format == COPYDESK_FORMAT_FRONT_MATTER, "CRLF front matter");
  check(STR_IS(get(a, "title"), "Storm closes coastal road"), "no CR in values");
  check(STR_IS(get(a, "section"), "news"), "section");
  check(get(a, "date")->type == COPYDESK_FLOAT && get(a, "date")->u.number == 1615714200.5, "date");
  check(BODY_IS(a, "The road will stay shut overnight.\r\n\r\nDrivers are advised to avoid the "
                   "area.\r\n"), "CRLF body kept");
  check(a->body_line == 6, "body_line %zu", a->body_line);
  copydesk_article_free(a);
  free(text);

  a = parse_file("y_front_matter_bom.txt", &text, &len);
  check(a->format == COPYDESK_FORMAT_FRONT_MATTER, "BOM before ---");
  check(STR_IS(get(a, "title"), "Council approves new cycle lanes"), "title");
  check(get(a, "date")->type == COPYDESK_INT && get(a, "date")->u.integer == 1615714200, "int date");
  check(BODY_IS(a, "Work starts next month.\n") && a->body_line == 5, "body");
  copydesk_article_free(a);
  free(text);

  a = parse_file("y_front_matter_empty.txt", &text, &len);
  check(a->format == COPYDESK_FORMAT_FRONT_MATTER && a->meta.u.map.n == 0, "empty front matter");
  check(BODY_IS(a, "Nothing above this line but markers.\n") && a->body_line == 3, "body");
  copydesk_article_free(a);
  free(text);

  a = parse_file("y_front_matter_dots_close.txt", &text, &len);
  check(STR_IS(get(a, "title"), "Closed with dots") && a->body_line == 4, "closed by ...");
  copydesk_article_free(a);
  free(text);

  a = PARSE("---\n# only a comment\n---\nB");
  check(a->format == COPYDESK_FORMAT_FRONT_MATTER && a->meta.u.map.n == 0, "comment only");
  copydesk_article_free(a);
  a = PARSE("---\t \r\na: 1\r\n--- \t");
  check(a->format == COPYDESK_FORMAT_FRONT_MATTER && BODY_IS(a, ""), "closing line ends the file");
  check(a->body_line == 4, "body_line %zu", a->body_line);
  copydesk_article_free(a);
  a = PARSE("---\nbody: |\n  ---\n  indented markers are YAML\n---\nB");
  check(STR_IS(get(a, "body"), "---\nindented markers are YAML\n") && BODY_IS(a, "B"),
        "only a marker at the start of a line closes");
  copydesk_article_free(a);
  /* "----" does not close: it reaches libyaml, which fails on the line after it */
  EXPECT_ERROR("---\na: 1\n----\n---\n", NULL, COPYDESK_ERR_YAML, 14, 4, 1, NULL);
  a = PARSE("---\na: &anchor 1\n---\n");
  check(get(a, "a")->type == COPYDESK_INT, "an anchor alone is harmless");
  copydesk_article_free(a);
  a = PARSE("---\n'quoted key': 1\n2: two\n? long\n: form\n---\n");
  check(get(a, "quoted key") && STR_IS(get(a, "2"), "two") && STR_IS(get(a, "long"), "form"),
        "keys are the scalars' text");
  copydesk_article_free(a);
}

static void test_not_front_matter(void) {
  static const char *const plain[] = {"---", "--- x\na: 1\n---\n", "----\na: 1\n----\n",
                                      " ---\na: 1\n---\n", "---\ra: 1\r---\r"};
  size_t i;
  for (i = 0; i < sizeof plain / sizeof *plain; i++) {
    copydesk_article *a = parse_ok(__LINE__, plain[i], strlen(plain[i]));
    check(a->format == COPYDESK_FORMAT_PLAIN && body_is(a, plain[i], strlen(plain[i])),
          "plain: %s", plain[i]);
    copydesk_article_free(a);
  }
}

static void test_dated(void) {
  static const char *const plain[] = {" date 2020-10-5 x", "date:2020-10-05 x",
                                      " date 2020-10-05x", "dates 2020-10-05 x", "date2020-10-05",
                                      "x date 2020-10-05 y", "date 2020/10/05 y"};
  char *text;
  size_t len, i;
  copydesk_article *a = parse_file("y_dated_text_same_line.txt", &text, &len);
  check(a->format == COPYDESK_FORMAT_DATED, "dated");
  check(a->meta.u.map.n == 1 && STR_IS(get(a, "date"), "2021-03-14"), "date is a string");
  check(body_is(a, text + 17, len - 17), "the text goes on in the first line");
  check(a->body_line == 1, "body_line %zu", a->body_line);
  copydesk_article_free(a);
  free(text);

  a = PARSE(" date 2020-10-05\nText\n");
  check(BODY_IS(a, "Text\n") && a->body_line == 2, "date alone on its line");
  copydesk_article_free(a);
  a = PARSE(" date 2020-10-05  \r\nText");
  check(BODY_IS(a, "Text") && a->body_line == 2, "CRLF after the date");
  copydesk_article_free(a);
  a = PARSE("date 2020-10-05");
  check(a->format == COPYDESK_FORMAT_DATED && BODY_IS(a, "") && a->body_line == 1, "date only");
  copydesk_article_free(a);
  a = PARSE("\xEF\xBB\xBF  date\t2020-10-05\t\tWords");
  check(STR_IS(get(a, "date"), "2020-10-05") && BODY_IS(a, "Words"), "BOM, tabs");
  copydesk_article_free(a);
  for (i = 0; i < sizeof plain / sizeof *plain; i++) {
    a = parse_ok(__LINE__, plain[i], strlen(plain[i]));
    check(a->format == COPYDESK_FORMAT_PLAIN && a->meta.u.map.n == 0, "not dated: %s", plain[i]);
    copydesk_article_free(a);
  }
}

static void test_plain(void) {
  char *text;
  size_t len;
  copydesk_err e = check_err();
  copydesk_article *a = parse_file("y_plain.txt", &text, &len);
  check(a->format == COPYDESK_FORMAT_PLAIN && a->meta.type == COPYDESK_MAP &&
        a->meta.u.map.n == 0, "plain");
  check(body_is(a, text, len) && a->body_line == 1, "whole text is the body");
  copydesk_article_free(a);
  free(text);
  a = PARSE("\xEF\xBB\xBFNo header");
  check(BODY_IS(a, "\xEF\xBB\xBFNo header"), "a plain body keeps its BOM");
  copydesk_article_free(a);
  a = PARSE("");
  check(a->format == COPYDESK_FORMAT_PLAIN && BODY_IS(a, ""), "empty input");
  copydesk_article_free(a);
  check(copydesk_article_parse(NULL, 0, NULL, NULL, &a, &e) == COPYDESK_OK && BODY_IS(a, ""),
        "NULL with length 0");
  copydesk_article_free(a);
  a = parse_file("y_body_invalid_utf8.txt", &text, &len);
  check(BODY_IS(a, "The mayor said \x93no comment\x94 and left.\n"), "bad bytes kept in the body");
  copydesk_article_free(a);
  free(text);
  a = PARSE("a\0b");
  check(BODY_IS(a, "a\0b"), "zero byte in the body");
  copydesk_article_free(a);
}

typedef struct scalar_case {
  const char *text;
  copydesk_type type;
  int64_t integer; /* BOOL and INT */
  double number;
  const char *string; /* NULL: the text itself */
} scalar_case;

static const scalar_case scalar_cases[] = {
  {"", COPYDESK_NULL, 0, 0, NULL},
  {"~", COPYDESK_NULL, 0, 0, NULL},
  {"null", COPYDESK_NULL, 0, 0, NULL},
  {"Null", COPYDESK_NULL, 0, 0, NULL},
  {"NULL", COPYDESK_NULL, 0, 0, NULL},
  {"nULL", COPYDESK_STRING, 0, 0, NULL},
  {"true", COPYDESK_BOOL, 1, 0, NULL},
  {"True", COPYDESK_BOOL, 1, 0, NULL},
  {"TRUE", COPYDESK_BOOL, 1, 0, NULL},
  {"false", COPYDESK_BOOL, 0, 0, NULL},
  {"False", COPYDESK_BOOL, 0, 0, NULL},
  {"FALSE", COPYDESK_BOOL, 0, 0, NULL},
  {"tRUE", COPYDESK_STRING, 0, 0, NULL},
  {"yes", COPYDESK_STRING, 0, 0, NULL},
  {"on", COPYDESK_STRING, 0, 0, NULL},
  {"0", COPYDESK_INT, 0, 0, NULL},
  {"-12", COPYDESK_INT, -12, 0, NULL},
  {"+7", COPYDESK_INT, 7, 0, NULL},
  {"007", COPYDESK_INT, 7, 0, NULL},
  {"0x1F", COPYDESK_INT, 31, 0, NULL},
  {"0xff", COPYDESK_INT, 255, 0, NULL},
  {"0o17", COPYDESK_INT, 15, 0, NULL},
  {"9223372036854775807", COPYDESK_INT, INT64_MAX, 0, NULL},
  {"-9223372036854775808", COPYDESK_INT, INT64_MIN, 0, NULL},
  {"0x7FFFFFFFFFFFFFFF", COPYDESK_INT, INT64_MAX, 0, NULL},
  {"9223372036854775808", COPYDESK_STRING, 0, 0, NULL},
  {"-9223372036854775809", COPYDESK_STRING, 0, 0, NULL},
  {"0x8000000000000000", COPYDESK_STRING, 0, 0, NULL},
  {"0x", COPYDESK_STRING, 0, 0, NULL},
  {"0o8", COPYDESK_STRING, 0, 0, NULL},
  {"-0x1", COPYDESK_STRING, 0, 0, NULL},
  {"0b101", COPYDESK_STRING, 0, 0, NULL},
  {"1_000", COPYDESK_STRING, 0, 0, NULL},
  {"12abc", COPYDESK_STRING, 0, 0, NULL},
  {"1.5", COPYDESK_FLOAT, 0, 1.5, NULL},
  {"-2.5e3", COPYDESK_FLOAT, 0, -2500.0, NULL},
  {"1e3", COPYDESK_FLOAT, 0, 1000.0, NULL},
  {"1E-2", COPYDESK_FLOAT, 0, 0.01, NULL},
  {".5", COPYDESK_FLOAT, 0, 0.5, NULL},
  {"+.5", COPYDESK_FLOAT, 0, 0.5, NULL},
  {"1.", COPYDESK_FLOAT, 0, 1.0, NULL},
  {"-0.0", COPYDESK_FLOAT, 0, -0.0, NULL},
  {"1602509541.0172567", COPYDESK_FLOAT, 0, 1602509541.0172567, NULL},
  {"1e400", COPYDESK_FLOAT, 0, HUGE_VAL, NULL},
  {".inf", COPYDESK_FLOAT, 0, HUGE_VAL, NULL},
  {"+.Inf", COPYDESK_FLOAT, 0, HUGE_VAL, NULL},
  {"-.INF", COPYDESK_FLOAT, 0, -HUGE_VAL, NULL},
  {".nan", COPYDESK_FLOAT, 0, NAN, NULL},
  {".NaN", COPYDESK_FLOAT, 0, NAN, NULL},
  {"-.nan", COPYDESK_STRING, 0, 0, NULL},
  {".", COPYDESK_STRING, 0, 0, NULL},
  {"1e", COPYDESK_STRING, 0, 0, NULL},
  {"e3", COPYDESK_STRING, 0, 0, NULL},
  {"inf", COPYDESK_STRING, 0, 0, NULL},
  {"2020-10-05", COPYDESK_STRING, 0, 0, NULL},
  {"1.2.3", COPYDESK_STRING, 0, 0, NULL},
  {"\"123\"", COPYDESK_STRING, 0, 0, "123"},
  {"'true'", COPYDESK_STRING, 0, 0, "true"},
  {"''", COPYDESK_STRING, 0, 0, ""},
  {"\"\"", COPYDESK_STRING, 0, 0, ""},
  {"!!int 5", COPYDESK_STRING, 0, 0, "5"},
  {"! 7", COPYDESK_STRING, 0, 0, "7"},
  {"|\n  42", COPYDESK_STRING, 0, 0, "42\n"},
  {">-\n  null", COPYDESK_STRING, 0, 0, "null"},
  {"\"a\\0b\"", COPYDESK_STRING, 0, 0, NULL},
  {"Mission: Impossible", COPYDESK_STRING, 0, 0, NULL},
};

static void test_scalar_types(void) {
  size_t i;
  for (i = 0; i < sizeof scalar_cases / sizeof *scalar_cases; i++) {
    const scalar_case *c = &scalar_cases[i];
    char doc[128];
    int n = snprintf(doc, sizeof doc, "---\nv: %s\n---\n", c->text);
    copydesk_article *a;
    const copydesk_value *v;
    if (strcmp(c->text, "Mission: Impossible") == 0) /* not valid as a plain value */
      n = snprintf(doc, sizeof doc, "---\nv: \"%s\"\n---\n", c->text);
    a = parse_ok(__LINE__, doc, (size_t)n);
    v = get(a, "v");
    check(v && v->type == c->type, "'%s': type %d, want %d", c->text, v ? (int)v->type : -1,
          (int)c->type);
    if (v && v->type == c->type) switch (c->type) {
      case COPYDESK_BOOL:
        check(v->u.boolean == c->integer, "'%s': %d", c->text, v->u.boolean);
        break;
      case COPYDESK_INT:
        check(v->u.integer == c->integer, "'%s': %lld", c->text, (long long)v->u.integer);
        break;
      case COPYDESK_FLOAT:
        check(same_double(v->u.number, c->number), "'%s': %.17g", c->text, v->u.number);
        break;
      case COPYDESK_STRING:
        if (strcmp(c->text, "\"a\\0b\"") == 0) check(STR_IS(v, "a\0b"), "escaped zero byte");
        else if (c->string) check(str_is(v, c->string, strlen(c->string)), "'%s'", c->text);
        else check(str_is(v, c->text, strlen(c->text)) || c->text[0] == 'M', "'%s'", c->text);
        break;
      default:
        break;
      }
    copydesk_article_free(a);
  }
}

static void test_nested_types(void) {
  char *text;
  size_t len;
  copydesk_article *a = parse_file("y_front_matter_types.txt", &text, &len);
  const copydesk_value *tags = get(a, "tags"), *author = get(a, "author");
  check(STR_IS(get(a, "title"), "Typed scalars"), "title");
  check(get(a, "draft")->type == COPYDESK_BOOL && get(a, "draft")->u.boolean == 0, "draft");
  check(get(a, "featured")->type == COPYDESK_BOOL && get(a, "featured")->u.boolean, "featured");
  check(get(a, "views")->type == COPYDESK_INT && get(a, "views")->u.integer == 1200, "views");
  check(get(a, "mask")->u.integer == 31 && get(a, "mode")->u.integer == 15, "hex and octal");
  check(get(a, "score")->type == COPYDESK_FLOAT && get(a, "score")->u.number == -2500, "score");
  check(get(a, "missing")->type == COPYDESK_NULL && get(a, "empty")->type == COPYDESK_NULL,
        "nulls");
  check(STR_IS(get(a, "quoted_number"), "1200") && STR_IS(get(a, "quoted_bool"), "true"),
        "quoted scalars are strings");
  check(STR_IS(get(a, "day"), "2021-03-14"), "a date is a string (no timestamp type)");
  check(STR_IS(get(a, "huge"), "99999999999999999999"), "int too large is kept as a string");
  check(tags->type == COPYDESK_LIST && tags->u.list.n == 2 &&
        STR_IS(&tags->u.list.items[1], "Portsmouth"), "list");
  check(author->type == COPYDESK_MAP && STR_IS(copydesk_map_get(author, LIT("name")), "Sam Reed") &&
        STR_IS(copydesk_map_get(author, LIT("staff")), "yes"), "flow map");
  check(BODY_IS(a, "Body.\n"), "body");
  copydesk_article_free(a);
  free(text);
}

/* ---- parse errors ------------------------------------------------------------------------- */

static void expect_file_error(int at, const char *name, copydesk_code code, size_t pos,
                              size_t line, size_t col, const char *context) {
  char path[256], *text;
  size_t len;
  snprintf(path, sizeof path, FIXTURES "%s", name);
  text = check_slurp(path, &len);
  expect_error(at, text, len, NULL, code, pos, line, col, context);
  free(text);
}

/* "---\na: " then n nested flow lists, then the closing line; returns the length. */
static size_t nested(char *buf, size_t n) {
  memcpy(buf, "---\na: ", 7);
  memset(buf + 7, '[', n);
  memset(buf + 7 + n, ']', n);
  memcpy(buf + 7 + 2 * n, "\n---\n", 5);
  return 7 + 2 * n + 5;
}

static void test_parse_errors(void) {
  copydesk_parse_opts depth2 = {2, 0}, depth1 = {1, 0}, small = {0, 5};
  copydesk_article *a;
  copydesk_err e = check_err();
  char *deep;

  /*          ^ the opening line */
  expect_file_error(__LINE__, "n_unclosed.txt", COPYDESK_ERR_UNCLOSED, 0, 1, 1,
                    "front matter");
  EXPECT_ERROR("\xEF\xBB\xBF---\na: 1\n", NULL, COPYDESK_ERR_UNCLOSED, 3, 1, 4, "front matter");
  EXPECT_ERROR("---\n", NULL, COPYDESK_ERR_UNCLOSED, 0, 1, 1, "front matter");

  expect_file_error(__LINE__, "n_not_mapping_list.txt", COPYDESK_ERR_NOT_MAPPING, 4, 2, 1,
                    "front matter");
  /*              ^ line 3 */
  EXPECT_ERROR("---\n\njust words\n---\n", NULL, COPYDESK_ERR_NOT_MAPPING, 5, 3, 1,
               "front matter");
  EXPECT_ERROR("---\n[1, 2]\n---\n", NULL, COPYDESK_ERR_NOT_MAPPING, 4, 2, 1, "front matter");

  /* "title: Ferry: runs": the second ':' on line 4 of the file, column 13 */
  expect_error(__LINE__, LIT("---\nextends: _layouts.post\nsection: content\n"
                             "title: Ferry: runs aground: again\n---\nBody.\n"),
               NULL, COPYDESK_ERR_YAML, 4 + 23 + 17 + 12, 4, 13, "");
  expect_file_error(__LINE__, "n_yaml_error_line4.txt", COPYDESK_ERR_YAML, 56, 4, 13,
                    "");
  /* libyaml counts characters: three 2-byte letters before the error move it 3 bytes */
  EXPECT_ERROR("---\nt: \xC3\xA9\xC3\xA9\xC3\xA9\nx: a: b\n---\n", NULL, COPYDESK_ERR_YAML, 18,
               3, 5, NULL);
  /* an unterminated quote is found at the end of the YAML: the closing line */
  EXPECT_ERROR("---\na: 1\nb: 2\nc: \"open\n---\nB", NULL, COPYDESK_ERR_YAML, 23, 5, 1,
               "while scanning a quoted scalar");
  /* reader errors carry a byte offset */
  EXPECT_ERROR("---\na: \xC3\xA9x\x01\n---\n", NULL, COPYDESK_ERR_YAML, 10, 2, 7, "");
  EXPECT_ERROR("---\na: x\0y\n---\n", NULL, COPYDESK_ERR_YAML, 8, 2, 5, "front matter");
  EXPECT_ERROR("---\n? [a]\n: 1\n---\n", NULL, COPYDESK_ERR_YAML, 6, 2, 3, "front matter");
  EXPECT_ERROR("---\na: 1\n--- x\n---\n", NULL, COPYDESK_ERR_YAML, 9, 3, 1, "front matter");

  /* "copy: *lol": the alias on line 3, column 7 */
  expect_file_error(__LINE__, "n_alias.txt", COPYDESK_ERR_ALIAS, 27, 3, 7,
                    "front matter");
  EXPECT_ERROR("---\na: &x [1]\nb: [*x, *x]\n---\n", NULL, COPYDESK_ERR_ALIAS, 18, 3, 5,
               "front matter");

  /* "\xe9" (Latin-1 é) in the title: line 2, column 31 */
  expect_file_error(__LINE__, "n_front_matter_invalid_utf8.txt", COPYDESK_ERR_UTF8, 34, 2, 31,
                    "front matter");

  /* depth 2: the top mapping and a's; b's mapping is one too many */
  EXPECT_ERROR("---\na:\n  b:\n    c: 1\n---\n", &depth2, COPYDESK_ERR_DEPTH, 16, 4, 5,
               "front matter");
  EXPECT_ERROR("---\na: [1]\n---\n", &depth1, COPYDESK_ERR_DEPTH, 7, 2, 4, "front matter");
  a = parse_with(LIT("---\na: 1\n---\n"), &depth1, NULL, &e, &(copydesk_code){0});
  check(a && e.code == COPYDESK_OK, "depth 1 holds a flat mapping");
  copydesk_article_free(a);

  /* 64 levels by default: the top mapping and 63 lists pass, a 64th list does not */
  deep = malloc(200000);
  a = parse_ok(__LINE__, deep, nested(deep, 63));
  copydesk_article_free(a);
  /*                 the 64th '[' at line 2, column 67 */
  expect_error(__LINE__, deep, nested(deep, 64), NULL, COPYDESK_ERR_DEPTH, 70, 2, 67,
               "front matter");
  expect_error(__LINE__, deep, nested(deep, 99990), NULL, COPYDESK_ERR_DEPTH, 70, 2, 67,
               "front matter"); /* stops at the limit, whatever the size */
  free(deep);

  EXPECT_ERROR("0123456789", &small, COPYDESK_ERR_TOO_LARGE, 5, 1, 6, NULL);
  a = parse_with(LIT("01234"), &small, NULL, &e, &(copydesk_code){0});
  check(a != NULL, "max_len itself is allowed");
  copydesk_article_free(a);

  e = check_err();
  check(copydesk_article_parse("x", 1, NULL, NULL, NULL, &e) == COPYDESK_ERR_INVALID &&
        e.code == COPYDESK_ERR_INVALID && e.pos == 0 && e.line == 0 && e.col == 0, "out NULL");
  e = check_err();
  check(copydesk_article_parse(NULL, 3, NULL, NULL, &a, &e) == COPYDESK_ERR_INVALID &&
        e.pos == 0 && e.line == 0 && e.col == 0, "s NULL");
  check(copydesk_article_parse(LIT("---\n"), NULL, NULL, &a, NULL) == COPYDESK_ERR_UNCLOSED,
        "err may be NULL");
}

/* ---- rendering ---------------------------------------------------------------------------- */

static void test_render_front_matter(void) {
  char *text;
  size_t len;
  copydesk_buf b;
  copydesk_err e = check_err();
  copydesk_article *a = parse_file("y_front_matter_trailing_spaces.txt", &text, &len), *back;
  check(render(a, COPYDESK_FORMAT_FRONT_MATTER, &b, &e) == COPYDESK_OK && e.code == COPYDESK_OK,
        "render");
  check(b.len > 4 && memcmp(b.data, "---\nextends: _layouts.post\nsection: content\n", 44) == 0,
        "block YAML: %s", b.data);
  check(strstr(b.data, "\ntitle: \"Harbour ferry runs aground on sandbank as commuters wade "
                       "ashore in Portsmouth \\n\"\n") != NULL, "long title on one line");
  check(strstr(b.data, "\ndate: 1615714200.3712893\n---\nDozens of commuters") != NULL,
        "float date, closing line, body");
  check(b.data[b.len - 1] == '\n' && b.data[b.len - 2] != '\n', "one final newline");
  back = parse_ok(__LINE__, b.data, b.len);
  check(back->format == COPYDESK_FORMAT_FRONT_MATTER && value_eq(&a->meta, &back->meta),
        "meta round trip");
  check(back->body_len == a->body_len + 1 && memcmp(back->body, a->body, a->body_len) == 0,
        "body round trip, newline added");
  copydesk_article_free(back);
  copydesk_buf_free(&b);
  copydesk_article_free(a);
  free(text);

  a = copydesk_article_new(NULL);
  check(copydesk_article_set_body(a, LIT("Just text\n\n\n")) == COPYDESK_OK, "set_body");
  check(render(a, COPYDESK_FORMAT_FRONT_MATTER, &b, NULL) == COPYDESK_OK &&
        BUF_IS(&b, "Just text\n"), "empty meta: the body, one newline");
  copydesk_buf_free(&b);
  check(copydesk_article_set_body(a, LIT("---\nlooks: like front matter\n---\n")) == COPYDESK_OK,
        "set_body");
  check(render(a, COPYDESK_FORMAT_FRONT_MATTER, &b, NULL) == COPYDESK_OK &&
        BUF_IS(&b, "---\n---\n---\nlooks: like front matter\n---\n"),
        "a body that looks like a header is protected");
  back = parse_ok(__LINE__, b.data, b.len);
  check(back->meta.u.map.n == 0 && body_is(back, a->body, a->body_len), "and reads back");
  copydesk_article_free(back);
  copydesk_buf_free(&b);
  check(copydesk_article_set_body(a, LIT(" date 2020-10-05 not a header")) == COPYDESK_OK, "set");
  check(render(a, COPYDESK_FORMAT_FRONT_MATTER, &b, NULL) == COPYDESK_OK &&
        BUF_IS(&b, "---\n---\n date 2020-10-05 not a header\n"), "dated-looking body");
  copydesk_buf_free(&b);
  check(copydesk_article_set_body(a, "", 0) == COPYDESK_OK, "set_body empty");
  check(render(a, COPYDESK_FORMAT_FRONT_MATTER, &b, NULL) == COPYDESK_OK && b.len == 0,
        "nothing at all");
  copydesk_buf_free(&b);
  copydesk_article_free(a);
}

static copydesk_article *article_with(const char *body) {
  copydesk_article *a = copydesk_article_new(NULL);
  if (a == NULL || copydesk_article_set_body(a, body, strlen(body)) != COPYDESK_OK) abort();
  return a;
}

static void test_render_json(void) {
  copydesk_article *a = article_with("");
  copydesk_value *v;
  copydesk_buf b;
  copydesk_err e = check_err();
  set_str(push(&a->meta, "title"), LIT("He said \"hi\" \\ C:\\path / \xC3\xA9t\xC3\xA9 \xE4\xB8\xAD"));
  set_str(push(&a->meta, "ctl"), LIT("a\0b\x01\x1F\t\n\r\b\f\x7F"));
  v = push(&a->meta, "n");
  v->type = COPYDESK_INT;
  v->u.integer = INT64_MIN;
  v = push(&a->meta, "date");
  v->type = COPYDESK_FLOAT;
  v->u.number = 1602509541.0172567;
  v = push(&a->meta, "ok");
  v->type = COPYDESK_BOOL;
  v->u.boolean = 1;
  push(&a->meta, "none");
  v = push(&a->meta, "tags");
  v->type = COPYDESK_LIST;
  set_str(copydesk_list_push(v, NULL), LIT("x"));
  copydesk_list_push(v, NULL)->type = COPYDESK_MAP;
  v = push(&a->meta, "key");
  v->type = COPYDESK_MAP;
  set_str(copydesk_map_push(v, LIT("text"), NULL), LIT("nested text key is fine"));
  check(copydesk_article_set_body(a, LIT("Line \"one\"\n\n\xE2\x80\x99 \0 end")) == COPYDESK_OK,
        "body");
  check(render(a, COPYDESK_FORMAT_JSON, &b, &e) == COPYDESK_OK && e.code == COPYDESK_OK, "json");
  check(BUF_IS(&b, "{\"title\":\"He said \\\"hi\\\" \\\\ C:\\\\path / \xC3\xA9t\xC3\xA9 \xE4\xB8\xAD\","
                   "\"ctl\":\"a\\u0000b\\u0001\\u001F\\t\\n\\r\\b\\f\x7F\","
                   "\"n\":-9223372036854775808,\"date\":1602509541.0172567,\"ok\":true,"
                   "\"none\":null,\"tags\":[\"x\",{}],"
                   "\"key\":{\"text\":\"nested text key is fine\"},"
                   "\"text\":\"Line \\\"one\\\"\\n\\n\xE2\x80\x99 \\u0000 end\"}"),
        "json: %s", b.data);
  copydesk_buf_free(&b);
  copydesk_article_free(a);

  a = article_with("body");
  check(render(a, COPYDESK_FORMAT_JSON, &b, NULL) == COPYDESK_OK &&
        BUF_IS(&b, "{\"text\":\"body\"}"), "no meta");
  copydesk_buf_free(&b);
  copydesk_article_free(a);
}

static void test_render_text_dated_plain(void) {
  char *text;
  size_t len;
  copydesk_buf b;
  copydesk_article *a = parse_file("y_front_matter_trailing_spaces.txt", &text, &len);
  check(render(a, COPYDESK_FORMAT_TEXT, &b, NULL) == COPYDESK_OK, "text");
  check(b.len > 80 && memcmp(b.data, "Harbour ferry runs aground on sandbank as commuters wade "
                                     "ashore in Portsmouth\n\nDozens of", 87) == 0,
        "title trimmed, blank line: %s", b.data);
  check(memcmp(b.data + b.len - 25, "The operator apologised.\n", 25) == 0, "ends in a newline");
  copydesk_buf_free(&b);
  check(render(a, COPYDESK_FORMAT_PLAIN, &b, NULL) == COPYDESK_OK &&
        buf_is(&b, a->body, a->body_len), "plain is the body");
  copydesk_buf_free(&b);
  copydesk_article_free(a);
  free(text);

  a = article_with("Only a body");
  check(render(a, COPYDESK_FORMAT_TEXT, &b, NULL) == COPYDESK_OK && BUF_IS(&b, "Only a body\n"),
        "text without a title");
  copydesk_buf_free(&b);
  set_str(push(&a->meta, "title"), LIT("  Title \n"));
  check(copydesk_article_set_body(a, "", 0) == COPYDESK_OK, "set_body");
  check(render(a, COPYDESK_FORMAT_TEXT, &b, NULL) == COPYDESK_OK && BUF_IS(&b, "  Title\n"),
        "text without a body");
  copydesk_buf_free(&b);
  copydesk_article_free(a);

  a = parse_file("y_dated_text_same_line.txt", &text, &len);
  check(render(a, COPYDESK_FORMAT_DATED, &b, NULL) == COPYDESK_OK && buf_is(&b, text, len),
        "dated renders back to the file byte for byte");
  copydesk_buf_free(&b);
  copydesk_article_free(a);
  free(text);
}

static void expect_render_error(int at, const copydesk_article *a, copydesk_format format,
                                copydesk_code code, size_t pos, size_t line, size_t col) {
  copydesk_buf b;
  copydesk_err e = check_err();
  copydesk_buf_init(&b, NULL);
  check(copydesk_buf_append(&b, LIT("kept")) == COPYDESK_OK, "append");
  check(copydesk_article_render(a, format, &b, &e) == code && e.code == code, "line %d: %s", at,
        copydesk_code_name(e.code));
  check(e.pos == pos && e.line == line && e.col == col, "line %d: at %zu %zu:%zu", at, e.pos,
        e.line, e.col);
  check(BUF_IS(&b, "kept") && b.data[4] == '\0', "line %d: output cut back", at);
  copydesk_buf_free(&b);
}

static void test_render_errors(void) {
  copydesk_article *a = article_with("text");
  copydesk_value *v = push(&a->meta, "score");
  v->type = COPYDESK_FLOAT;
  v->u.number = NAN;
  expect_render_error(__LINE__, a, COPYDESK_FORMAT_JSON, COPYDESK_ERR_EMIT, 0, 0, 0);
  v->u.number = -HUGE_VAL;
  expect_render_error(__LINE__, a, COPYDESK_FORMAT_JSON, COPYDESK_ERR_EMIT, 0, 0, 0);
  expect_render_error(__LINE__, a, COPYDESK_FORMAT_DATED, COPYDESK_ERR_EMIT, 0, 0, 0);
  expect_render_error(__LINE__, a, (copydesk_format)99, COPYDESK_ERR_INVALID, 0, 0, 0);
  copydesk_map_remove(&a->meta, LIT("score"), NULL);
  set_str(push(&a->meta, "text"), LIT("collides"));
  expect_render_error(__LINE__, a, COPYDESK_FORMAT_JSON, COPYDESK_ERR_EMIT, 0, 0, 0);
  copydesk_map_remove(&a->meta, LIT("text"), NULL);
  set_str(push(&a->meta, "title"), LIT("bad \xC3("));
  expect_render_error(__LINE__, a, COPYDESK_FORMAT_JSON, COPYDESK_ERR_UTF8, 0, 0, 0);
  expect_render_error(__LINE__, a, COPYDESK_FORMAT_FRONT_MATTER, COPYDESK_ERR_UTF8, 0, 0, 0);
  copydesk_value_clear(&a->meta, NULL);
  a->meta.type = COPYDESK_MAP;
  v = copydesk_map_push(&a->meta, LIT("bad\xFFkey"), NULL);
  expect_render_error(__LINE__, a, COPYDESK_FORMAT_JSON, COPYDESK_ERR_UTF8, 0, 0, 0);
  expect_render_error(__LINE__, a, COPYDESK_FORMAT_FRONT_MATTER, COPYDESK_ERR_UTF8, 0, 0, 0);
  copydesk_map_remove(&a->meta, LIT("bad\xFFkey"), NULL);
  v = copydesk_map_push(&a->meta, LIT("k\0ey"), NULL);
  expect_render_error(__LINE__, a, COPYDESK_FORMAT_JSON, COPYDESK_ERR_EMIT, 0, 0, 0);
  copydesk_map_remove(&a->meta, LIT("k\0ey"), NULL);
  /* the 0x93 is byte 11 of the body: line 2, column 7 */
  check(copydesk_article_set_body(a, LIT("fine\nquote \x93x\x94")) == COPYDESK_OK, "set_body");
  expect_render_error(__LINE__, a, COPYDESK_FORMAT_JSON, COPYDESK_ERR_UTF8, 11, 2, 7);
  set_str(push(&a->meta, "date"), LIT("2020-10-05"));
  set_str(push(&a->meta, "title"), LIT("lost in DATED"));
  expect_render_error(__LINE__, a, COPYDESK_FORMAT_DATED, COPYDESK_ERR_EMIT, 0, 0, 0);
  copydesk_map_remove(&a->meta, LIT("title"), NULL);
  set_str(get(a, "date"), LIT("5 Oct 2020"));
  expect_render_error(__LINE__, a, COPYDESK_FORMAT_DATED, COPYDESK_ERR_EMIT, 0, 0, 0);
  copydesk_article_free(a);
  check(copydesk_article_render(NULL, COPYDESK_FORMAT_PLAIN, NULL, NULL) == COPYDESK_ERR_INVALID,
        "NULL article");
}

/* ---- round trips -------------------------------------------------------------------------- */

static void round_trip(int at, const copydesk_article *a) {
  copydesk_buf b;
  copydesk_err e = check_err();
  copydesk_article *back;
  copydesk_code rc = render(a, COPYDESK_FORMAT_FRONT_MATTER, &b, &e);
  check(rc == COPYDESK_OK, "line %d: render %s", at, copydesk_code_name(rc));
  if (rc == COPYDESK_OK) {
    back = parse_with(b.data, b.len, NULL, NULL, &e, &rc);
    check(rc == COPYDESK_OK, "line %d: reparse %s: %s at %zu:%zu\n%s", at,
          copydesk_code_name(rc), e.msg, e.line, e.col, b.data);
    if (rc == COPYDESK_OK) {
      check(value_eq(&a->meta, &back->meta), "line %d: meta differs:\n%s", at, b.data);
      check(body_is(back, a->body, a->body_len), "line %d: body differs", at);
      copydesk_article_free(back);
    }
  }
  copydesk_buf_free(&b);
}

static const char *const tricky[] = {
  "true", "False", "123", "-7", "0x1F", "0o7", "1.5", ".5", "1e3", ".inf", "-.Inf", ".nan", "null",
  "~", "", " ", "  lead", "trail  ", "a: b", "a:b", "#hash", "a #b", "- dash", "-", "?", ":", "[x]",
  "{y}", "&a", "*a", "!t", "%p", "@", "`", "'", "\"", "\\", "\t", "\n", "x\n", "\n\ny\n\n", " \n",
  "line one\nline two", "\r\n", "\x01", "\x7F", "\xC2\x85", "\xE2\x80\xA8", "\xEF\xBB\xBF",
  "\xC3\xA9t\xC3\xA9", "\xE4\xB8\xAD\xE6\x96\x87", "\xF0\x9F\x93\xB0", "Yes", "no", "on", "OFF",
  "---", "...", "--- x", "2020-10-05", "1602509541.0172567", "=", "<<", "|", ">", ",", "9223372036854775808",
};

static void test_round_trips(void) {
  copydesk_article *a = article_with("");
  copydesk_value *v, *list, *map;
  char longtitle[600];
  size_t i;
  static const double floats[] = {0.0, -0.0, 0.1, 1.0, -2.5, 1e300, -1e-300, 5e-324, 1e21,
                                  1602509541.0172567, 123456789012345678.0, 0.30000000000000004};
  check(copydesk_article_set_body(a, LIT("Body with \"quotes\", \xE2\x80\x99 and a\0zero.\n")) ==
        COPYDESK_OK, "set_body");
  for (i = 0; i < sizeof tricky / sizeof *tricky; i++) {
    char key[16];
    snprintf(key, sizeof key, "s%zu", i);
    set_str(push(&a->meta, key), tricky[i], strlen(tricky[i]));
    set_str(push(&a->meta, tricky[i]), LIT("tricky key"));
  }
  set_str(push(&a->meta, "zero"), LIT("a\0b"));
  for (i = 0; i < sizeof floats / sizeof *floats; i++) {
    v = push(&a->meta, "f");
    v->type = COPYDESK_FLOAT;
    v->u.number = floats[i];
  }
  v = push(&a->meta, "inf");
  v->type = COPYDESK_FLOAT;
  v->u.number = -HUGE_VAL;
  v = push(&a->meta, "nan");
  v->type = COPYDESK_FLOAT;
  v->u.number = NAN;
  v = push(&a->meta, "min");
  v->type = COPYDESK_INT;
  v->u.integer = INT64_MIN;
  v = push(&a->meta, "max");
  v->type = COPYDESK_INT;
  v->u.integer = INT64_MAX;
  v = push(&a->meta, "yes");
  v->type = COPYDESK_BOOL;
  v->u.boolean = 1;
  push(&a->meta, "nothing");
  memset(longtitle, 'w', sizeof longtitle);
  for (i = 5; i < sizeof longtitle; i += 6) longtitle[i] = ' ';
  set_str(push(&a->meta, "title"), longtitle, sizeof longtitle - 1);
  list = push(&a->meta, "tags");
  list->type = COPYDESK_LIST;
  set_str(copydesk_list_push(list, NULL), LIT("true"));
  copydesk_list_push(list, NULL)->type = COPYDESK_LIST;
  map = copydesk_list_push(list, NULL);
  map->type = COPYDESK_MAP;
  set_str(copydesk_map_push(map, LIT("k"), NULL), LIT("v"));
  push(&a->meta, "empty_map")->type = COPYDESK_MAP;
  push(&a->meta, "empty_list")->type = COPYDESK_LIST;
  round_trip(__LINE__, a);
  copydesk_article_free(a);
}

/* A seeded generator for property tests (xorshift64*): the seed is printed on failure. */
static uint64_t rng_state;

static uint64_t rng(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717ULL;
}

static void random_string(copydesk_value *v) {
  char s[256];
  size_t len = 0, parts = rng() % 4, i;
  for (i = 0; i < parts; i++) {
    const char *t = tricky[rng() % (sizeof tricky / sizeof *tricky)];
    size_t n = strlen(t);
    memcpy(s + len, t, n);
    len += n;
  }
  if (rng() % 8 == 0) s[len++] = '\0';
  set_str(v, s, len);
}

static void random_value(copydesk_value *v, int depth) {
  size_t i, n;
  uint64_t bits;
  switch (rng() % (depth > 2 ? 5 : 7)) {
  case 0: break;
  case 1: v->type = COPYDESK_BOOL; v->u.boolean = (int)(rng() & 1); break;
  case 2: v->type = COPYDESK_INT; v->u.integer = (int64_t)rng(); break;
  case 3:
    bits = rng();
    v->type = COPYDESK_FLOAT;
    memcpy(&v->u.number, &bits, sizeof bits);
    break;
  case 4: random_string(v); break;
  case 5:
    v->type = COPYDESK_LIST;
    for (i = 0, n = rng() % 4; i < n; i++) random_value(copydesk_list_push(v, NULL), depth + 1);
    break;
  default:
    v->type = COPYDESK_MAP;
    for (i = 0, n = rng() % 4; i < n; i++) {
      copydesk_value key = {0};
      random_string(&key);
      random_value(copydesk_map_push(v, key.u.str.s, key.u.str.len, NULL), depth + 1);
      copydesk_value_clear(&key, NULL);
    }
  }
}

static void test_random_round_trips(void) {
  uint64_t seed = 0x5eed2021;
  int i, failed_before;
  for (i = 0; i < 400; i++) {
    copydesk_article *a = article_with("text\n");
    size_t j, n = 1 + rng() % 5;
    rng_state = seed + (uint64_t)i;
    for (j = 0; j < n; j++) {
      copydesk_value key = {0};
      random_string(&key);
      random_value(copydesk_map_push(&a->meta, key.u.str.s, key.u.str.len, NULL), 1);
      copydesk_value_clear(&key, NULL);
    }
    failed_before = check_failed;
    round_trip(__LINE__, a);
    if (check_failed != failed_before)
      fprintf(stderr, "  seed %llu\n", (unsigned long long)(seed + (uint64_t)i));
    copydesk_article_free(a);
  }
}

/* ---- fixtures: each y_ file against its .expect.json ------------------------------------ */

static const char *format_name(copydesk_format f) {
  static const char *const names[] = {"plain", "front-matter", "dated", "json", "text"};
  return names[f];
}

/* The article as JSON: {"format":..,"body_line":..,"meta":{..},"text":BODY}. The meta is moved
** into a wrapper map for the render and moved back after. */
static copydesk_code describe(copydesk_article *a, copydesk_buf *out) {
  copydesk_value wrap = {0}, *slot;
  copydesk_code rc;
  const char *name = format_name(a->format);
  wrap.type = COPYDESK_MAP;
  set_str(push(&wrap, "format"), name, strlen(name));
  slot = push(&wrap, "body_line");
  slot->type = COPYDESK_INT;
  slot->u.integer = (int64_t)a->body_line;
  slot = push(&wrap, "meta");
  *slot = a->meta;
  a->meta = wrap;
  rc = copydesk_article_render(a, COPYDESK_FORMAT_JSON, out, NULL);
  a->meta = *slot;
  memset(slot, 0, sizeof *slot);
  copydesk_value_clear(&wrap, NULL);
  return rc;
}

static void test_fixture_expectations(void) {
  static const char *const names[] = {
    "y_front_matter_trailing_spaces", "y_dated_text_same_line", "y_front_matter_crlf",
    "y_front_matter_bom", "y_plain", "y_front_matter_empty", "y_front_matter_dots_close",
    "y_front_matter_types"};
  size_t i;
  for (i = 0; i < sizeof names / sizeof *names; i++) {
    char path[256], *text, *expect;
    size_t len, elen;
    copydesk_buf b;
    copydesk_article *a;
    snprintf(path, sizeof path, "%s.txt", names[i]);
    a = parse_file(path, &text, &len);
    snprintf(path, sizeof path, FIXTURES "%s.expect.json", names[i]);
    expect = check_slurp(path, &elen);
    while (elen > 0 && expect[elen - 1] == '\n') elen--;
    copydesk_buf_init(&b, NULL);
    check(describe(a, &b) == COPYDESK_OK && buf_is(&b, expect, elen), "%s:\n%s", names[i],
          b.data);
    copydesk_buf_free(&b);
    if (a->format == COPYDESK_FORMAT_FRONT_MATTER && a->body_len > 0 &&
        a->body[a->body_len - 1] == '\n')
      round_trip(__LINE__, a);
    copydesk_article_free(a);
    free(expect);
    free(text);
  }
}

/* The sample articles themselves, when ../shared/seeds/ is there. */
static void test_seeds(void) {
  static const char *const names[] = {"000_77c993fc27e54f8f.txt", "001_3e7726d9f750c9dd.txt",
                                      "002_30c8dff3c00f5c01.txt"};
  static const char *const keys[] = {"extends", "section", "image", "title", "description"};
  size_t i, k, len;
  for (i = 0; i < 3; i++) {
    char path[256], *text;
    FILE *f;
    copydesk_article *a;
    snprintf(path, sizeof path, "../shared/seeds/%s", names[i]);
    if ((f = fopen(path, "rb")) == NULL) {
      printf("test_article: ../shared/seeds/ missing, seeds skipped\n");
      return;
    }
    fclose(f);
    text = check_slurp(path, &len);
    a = parse_ok(__LINE__, text, len);
    if (i == 0) {
      check(a->format == COPYDESK_FORMAT_DATED && STR_IS(get(a, "date"), "2020-10-05") &&
            a->body_line == 1 && a->body_len == len - 17, "seed 000 is dated");
    } else {
      check(a->format == COPYDESK_FORMAT_FRONT_MATTER && a->meta.u.map.n == 6, "seed %zu", i);
      for (k = 0; k < 5; k++)
        check(get(a, keys[k]) && get(a, keys[k])->type == COPYDESK_STRING, "seed %zu: %s", i,
              keys[k]);
      check(get(a, "date") && get(a, "date")->type == COPYDESK_FLOAT, "seed %zu: float date", i);
      check(a->body_line == 11, "seed %zu: body_line %zu", i, a->body_line);
    }
    copydesk_article_free(a);
    free(text);
  }
}

/* ---- out of memory ------------------------------------------------------------------------ */

static void oom_parse(int at, const char *s, size_t len) {
  check_failing f = {0, 0};
  copydesk_alloc alc = check_failing_alloc(&f);
  long k;
  int failures = 0;
  for (k = 0;; k++) {
    copydesk_err e = check_err();
    copydesk_code rc;
    copydesk_article *a;
    f.countdown = k;
    f.live = 0;
    a = parse_with(s, len, NULL, &alc, &e, &rc);
    if (rc == COPYDESK_OK) {
      copydesk_article_free(a);
      check(f.live == 0, "line %d: leak after success", at);
      break;
    }
    failures++;
    check(rc == COPYDESK_ERR_NOMEM && e.code == COPYDESK_ERR_NOMEM && a == NULL,
          "line %d: failure %ld: %s", at, k, copydesk_code_name(rc));
    check(f.live == 0, "line %d: failure %ld leaks %ld", at, k, f.live);
    if (k > 10000) break;
  }
  check(failures > 0, "line %d: no allocation failed", at);
}

static void oom_render(int at, const copydesk_article *a, copydesk_format format) {
  check_failing f = {0, 0};
  copydesk_alloc alc = check_failing_alloc(&f);
  copydesk_buf want, b;
  long k;
  check(render(a, format, &want, NULL) == COPYDESK_OK, "line %d: reference render", at);
  for (k = 0;; k++) {
    copydesk_err e = check_err();
    copydesk_code rc;
    f.countdown = k;
    copydesk_buf_init(&b, &alc);
    rc = copydesk_article_render(a, format, &b, &e);
    if (rc == COPYDESK_OK)
      check(buf_is(&b, want.data, want.len), "line %d: output after %ld failures", at, k);
    else
      check(rc == COPYDESK_ERR_NOMEM && e.code == COPYDESK_ERR_NOMEM && b.len == 0,
            "line %d: failure %ld: %s", at, k, copydesk_code_name(rc));
    copydesk_buf_free(&b);
    check(f.live == 0, "line %d: leak %ld", at, f.live);
    if (rc == COPYDESK_OK || k > 1000) break;
  }
  copydesk_buf_free(&want);
}

static void test_oom(void) {
  static const char *const files[] = {"y_front_matter_trailing_spaces.txt",
                                      "y_front_matter_types.txt", "y_dated_text_same_line.txt",
                                      "y_plain.txt"};
  static const copydesk_format formats[] = {COPYDESK_FORMAT_FRONT_MATTER, COPYDESK_FORMAT_JSON,
                                            COPYDESK_FORMAT_TEXT, COPYDESK_FORMAT_PLAIN};
  check_failing f = {0, 0};
  copydesk_alloc alc = check_failing_alloc(&f);
  copydesk_article *a;
  size_t i, j, len;
  char *text;
  for (i = 0; i < sizeof files / sizeof *files; i++) {
    char path[256];
    snprintf(path, sizeof path, FIXTURES "%s", files[i]);
    text = check_slurp(path, &len);
    oom_parse(__LINE__, text, len);
    a = parse_ok(__LINE__, text, len);
    for (j = 0; j < sizeof formats / sizeof *formats; j++) oom_render(__LINE__, a, formats[j]);
    if (a->format == COPYDESK_FORMAT_DATED) oom_render(__LINE__, a, COPYDESK_FORMAT_DATED);
    copydesk_article_free(a);
    free(text);
  }
  f.countdown = 0;
  check(copydesk_article_new(&alc) == NULL && f.live == 0, "new: the article");
  f.countdown = 1;
  check(copydesk_article_new(&alc) == NULL && f.live == 0, "new: the body");
  f.countdown = -1;
  a = copydesk_article_new(&alc);
  check(a && a->alc == &alc && a->format == COPYDESK_FORMAT_PLAIN && a->meta.type == COPYDESK_MAP,
        "new");
  check(copydesk_article_set_body(a, LIT("first")) == COPYDESK_OK, "set_body");
  f.countdown = 0;
  check(copydesk_article_set_body(a, LIT("second")) == COPYDESK_ERR_NOMEM && BODY_IS(a, "first"),
        "set_body keeps the old body on failure");
  copydesk_article_free(a);
  check(f.live == 0, "nothing leaked");
  copydesk_article_free(NULL);
}

int main(void) {
  test_values();
  test_values_oom();
  test_front_matter_quirks();
  test_front_matter_markers();
  test_not_front_matter();
  test_dated();
  test_plain();
  test_scalar_types();
  test_nested_types();
  test_parse_errors();
  test_render_front_matter();
  test_render_json();
  test_render_text_dated_plain();
  test_render_errors();
  test_round_trips();
  test_random_round_trips();
  test_fixture_expectations();
  test_seeds();
  test_oom();
  return check_done("test_article");
}
