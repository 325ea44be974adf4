/* test_core.c: buffers, errors, UTF-8 validation, positions, folders. */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

static void test_buf(void) {
  copydesk_buf b;
  int i;
  copydesk_buf_init(&b, NULL);
  check(b.data == NULL && b.len == 0, "init allocates nothing");
  for (i = 0; i < 1000; i++) check(copydesk_buf_append(&b, "abc", 3) == COPYDESK_OK, "append %d", i);
  check(b.len == 3000 && b.data[2999] == 'c' && b.data[3000] == '\0', "len %zu", b.len);
  copydesk_buf_clear(&b);
  check(b.len == 0 && b.cap >= 3001 && b.data[0] == '\0', "clear keeps memory");
  check(copydesk_buf_append(&b, "x\0y", 3) == COPYDESK_OK && b.len == 3 && b.data[2] == 'y',
        "zero bytes are data");
  check(copydesk_buf_reserve(&b, SIZE_MAX) == COPYDESK_ERR_OVERFLOW, "overflow detected");
  copydesk_buf_free(&b);
  check(b.data == NULL && b.len == 0 && b.cap == 0, "free empties");
  copydesk_buf_free(&b);
  copydesk_buf_free(NULL);
}

static void test_buf_nomem(void) {
  check_failing f = {0, 0};
  copydesk_alloc a = check_failing_alloc(&f);
  copydesk_buf b;
  copydesk_buf_init(&b, &a);
  check(copydesk_buf_append(&b, "abc", 3) == COPYDESK_ERR_NOMEM, "first allocation fails");
  check(b.len == 0 && b.data == NULL, "buffer unchanged");
  f.countdown = -1;
  check(copydesk_buf_append(&b, "abc", 3) == COPYDESK_OK, "then succeeds");
  copydesk_buf_free(&b);
  check(f.live == 0, "no leak: %ld live", f.live);
}

static void test_utf8(void) {
  static const struct { const char *s; size_t len; int valid; size_t bad; } cases[] = {
    {"", 0, 1, 0},
    {"plain ascii", 11, 1, 0},
    {"caf\xc3\xa9 \xe2\x80\x99 \xf0\x9f\x98\x80", 14, 1, 0},
    {"ab\xff", 3, 0, 2},
    {"\xc0\xaf", 2, 0, 0},         /* overlong */
    {"a\xed\xa0\x80", 4, 0, 1},    /* surrogate */
    {"\xf4\x90\x80\x80", 4, 0, 0}, /* above U+10FFFF */
    {"ab\xe2\x80", 4, 0, 2},       /* truncated */
    {"a\0b", 3, 1, 0},             /* zero byte is data */
  };
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *s = check_dup(cases[i].s, cases[i].len);
    size_t bad = 12345;
    int ok = copydesk_utf8_valid(s, cases[i].len, &bad);
    check(ok == cases[i].valid, "case %zu: valid %d", i, ok);
    if (!ok) check(bad == cases[i].bad, "case %zu: bad at %zu", i, bad);
    free(s);
  }
}

static void test_every_code_point(void) {
  /* Every scalar value encodes to a sequence the validator accepts; every surrogate is refused. */
  unsigned cp;
  int wrong = 0;
  for (cp = 0; cp <= 0x10FFFF; cp++) {
    char s[4];
    size_t n;
    if (cp < 0x80) { s[0] = (char)cp; n = 1; }
    else if (cp < 0x800) { s[0] = (char)(0xC0 | cp >> 6); s[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
    else if (cp < 0x10000) {
      s[0] = (char)(0xE0 | cp >> 12); s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
      s[2] = (char)(0x80 | (cp & 0x3F)); n = 3;
    } else {
      s[0] = (char)(0xF0 | cp >> 18); s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
      s[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); s[3] = (char)(0x80 | (cp & 0x3F)); n = 4;
    }
    if (copydesk_utf8_valid(s, n, NULL) != !(cp >= 0xD800 && cp <= 0xDFFF)) wrong++;
  }
  check(wrong == 0, "%d code points judged wrongly", wrong);
}

static void test_locate_and_names(void) {
  size_t line, col;
  int c;
  copydesk_locate("ab\ncd\n\nx", 9, 7, &line, &col);
  check(line == 4 && col == 1, "line %zu col %zu", line, col);
  copydesk_locate("ab\ncd", 5, 4, &line, &col);
  check(line == 2 && col == 2, "line %zu col %zu", line, col);
  for (c = 0; c < COPYDESK_ERR_COUNT_; c++) {
    check(copydesk_strerror((copydesk_code)c)[0] != '\0', "code %d has a message", c);
    check(strchr(copydesk_code_name((copydesk_code)c), ' ') == NULL, "code %d name is kebab", c);
  }
  check(strcmp(copydesk_strerror((copydesk_code)999), "unknown error") == 0, "unknown code");
  /* Codes are only ever added at the end: an embedder's compiled values keep their meaning. */
  check(COPYDESK_ERR_IO == 12 && COPYDESK_ERR_JSON == 13 && COPYDESK_ERR_NOT_RECORD == 14,
        "code values moved");
  check(strcmp(copydesk_code_name(COPYDESK_ERR_JSON), "bad-json") == 0 &&
        strcmp(copydesk_code_name(COPYDESK_ERR_NOT_RECORD), "bad-json") == 0, "JSON code names");
  check(strcmp(copydesk_strerror(COPYDESK_ERR_JSON), "invalid JSON record") == 0, "JSON message");
  check(strcmp(copydesk_version(), COPYDESK_VERSION_STRING) == 0, "version");
  check(strncmp(copydesk_unicode_version(), "15.", 3) == 0, "Unicode %s", copydesk_unicode_version());
}

static void test_dir(void) {
  char tmpl[] = "/tmp/copydesk-test-XXXXXX";
  char path[256];
  const char *name;
  int is_dir, n = 0;
  copydesk_dir *d;
  copydesk_err err = check_err();
  const char *expect[] = {"A", "a", "sub"};
  check(mkdtemp(tmpl) != NULL, "mkdtemp");
  snprintf(path, sizeof path, "%s/sub/deeper/", tmpl);
  check(copydesk_mkdirs(path, NULL, &err) == COPYDESK_OK && err.code == COPYDESK_OK, "mkdirs");
  check(copydesk_mkdirs(path, NULL, NULL) == COPYDESK_OK, "mkdirs again");
  snprintf(path, sizeof path, "%s/a", tmpl);
  fclose(fopen(path, "w"));
  snprintf(path, sizeof path, "%s/A", tmpl);
  fclose(fopen(path, "w"));
  check(copydesk_dir_open(tmpl, NULL, &d, &err) == COPYDESK_OK, "open");
  while (copydesk_dir_next(d, &name, &is_dir)) {
    check(n < 3 && strcmp(name, expect[n]) == 0, "entry %d is %s", n, name);
    check(is_dir == (n == 2), "entry %s is_dir %d", name, is_dir);
    n++;
  }
  check(n == 3, "3 entries, got %d", n);
  copydesk_dir_close(d);
  err = check_err();
  snprintf(path, sizeof path, "%s/a/b", tmpl);
  check(copydesk_mkdirs(path, NULL, &err) == COPYDESK_ERR_IO && errno == ENOTDIR, "mkdirs under a file");
  check(err.code == COPYDESK_ERR_IO && err.pos == 0 && err.line == 0 && err.col == 0, "err filled");
  err = check_err();
  check(copydesk_dir_open(path, NULL, &d, &err) == COPYDESK_ERR_IO && d == NULL, "open missing");
  check(err.code == COPYDESK_ERR_IO && strcmp(err.msg, "cannot open folder") == 0, "msg %s", err.msg);
  snprintf(path, sizeof path, "rm -rf '%s'", tmpl);
  check(system(path) == 0, "cleanup");
  copydesk_dir_close(NULL);
}

static void test_dir_nomem(void) {
  long k;
  for (k = 0; k < 50; k++) {
    check_failing f = {k, 0};
    copydesk_alloc a = check_failing_alloc(&f);
    copydesk_dir *d = NULL;
    copydesk_code rc = copydesk_dir_open("tests/fixtures/articles", &a, &d, NULL);
    copydesk_dir_close(d);
    check(f.live == 0, "failure at %ld leaks %ld", k, f.live);
    if (rc == COPYDESK_OK) break;
    check(rc == COPYDESK_ERR_NOMEM, "failure at %ld gives %d", k, rc);
  }
}

int main(void) {
  test_buf();
  test_buf_nomem();
  test_utf8();
  test_every_code_point();
  test_locate_and_names();
  test_dir();
  test_dir_nomem();
  return check_done("test_core");
}
