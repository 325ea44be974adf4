/* test_text.c: normalisation (Unicode's NormalizationTest.txt, line by line), case mapping,
** accents, slugs, widths and lengths, errors and allocation failures. */
#include "check.h"

#define NORMTEST "/usr/share/unicode/NormalizationTest.txt.bz2"

typedef copydesk_code (*text_fn)(const char *, size_t, copydesk_buf *, copydesk_err *);

/* Encodes the code points written as hex words in field f into out; returns the length. */
static size_t field_utf8(const char *f, const char *end, char *out) {
  size_t n = 0;
  while (f < end) {
    char *next;
    unsigned long cp = strtoul(f, &next, 16);
    if (next == f) break;
    if (cp < 0x80) out[n++] = (char)cp;
    else if (cp < 0x800) { out[n++] = (char)(0xC0 | cp >> 6); out[n++] = (char)(0x80 | (cp & 63)); }
    else if (cp < 0x10000) {
      out[n++] = (char)(0xE0 | cp >> 12); out[n++] = (char)(0x80 | (cp >> 6 & 63));
      out[n++] = (char)(0x80 | (cp & 63));
    } else {
      out[n++] = (char)(0xF0 | cp >> 18); out[n++] = (char)(0x80 | (cp >> 12 & 63));
      out[n++] = (char)(0x80 | (cp >> 6 & 63)); out[n++] = (char)(0x80 | (cp & 63));
    }
    f = next;
  }
  return n;
}

static int normalizes_to(const char *s, size_t len, copydesk_nf form, const char *want,
                         size_t wlen) {
  copydesk_buf b;
  int ok;
  char *heap = check_dup(s, len);
  copydesk_buf_init(&b, NULL);
  ok = copydesk_normalize(heap, len, form, &b, NULL) == COPYDESK_OK && b.len == wlen &&
       memcmp(b.data, want, wlen) == 0;
  if (ok && copydesk_is_normalized(heap, len, form)) ok = len == wlen && !memcmp(s, want, len);
  free(heap);
  copydesk_buf_free(&b);
  return ok;
}

/* NormalizationTest.txt: c2 == NFC(c1..c3), c4 == NFC(c4, c5), c3 == NFD(c1..c3), c5 ==
** NFD(c4, c5), c4 == NFKC(c1..c5), c5 == NFKD(c1..c5). */
static void run_normalization_test(void) {
  static const int nfc[] = {2, 2, 2, 4, 4}, nfd[] = {3, 3, 3, 5, 5};
  FILE *f = fopen(NORMTEST, "rb");
  char line[2048], c[6][512];
  size_t n[6];
  int lineno = 0, tested = 0, failed = 0;
  if (f == NULL) {
    printf("test_text: %s missing (package unicode-data): skipped\n", NORMTEST);
    return;
  }
  fclose(f);
  f = popen("bzcat " NORMTEST, "r");
  if (f == NULL) {
    printf("test_text: cannot run bzcat: skipped\n");
    return;
  }
  while (fgets(line, sizeof line, f)) {
    const char *p = line;
    int i, ok = 1;
    lineno++;
    if (line[0] == '#' || line[0] == '@' || line[0] == '\n') continue;
    for (i = 1; i <= 5; i++) {
      const char *semi = strchr(p, ';');
      if (semi == NULL) break;
      n[i] = field_utf8(p, semi, c[i]);
      p = semi + 1;
    }
    if (i <= 5) continue;
    tested++;
    for (i = 1; i <= 5; i++) {
      ok &= normalizes_to(c[i], n[i], COPYDESK_NFC, c[nfc[i - 1]], n[nfc[i - 1]]);
      ok &= normalizes_to(c[i], n[i], COPYDESK_NFD, c[nfd[i - 1]], n[nfd[i - 1]]);
      ok &= normalizes_to(c[i], n[i], COPYDESK_NFKC, c[4], n[4]);
      ok &= normalizes_to(c[i], n[i], COPYDESK_NFKD, c[5], n[5]);
    }
    if (!ok && ++failed <= 10) check(0, "NormalizationTest.txt:%d: %s", lineno, line);
  }
  if (pclose(f) != 0 && tested == 0) {
    printf("test_text: bzcat failed on %s (package bzip2): skipped\n", NORMTEST);
    return;
  }
  check(tested > 18000, "only %d lines of NormalizationTest.txt", tested);
  if (failed == 0) check_passed++;
  printf("test_text: NormalizationTest.txt: %d of %d lines pass\n", tested - failed, tested);
}

static void check_fn(text_fn fn, const char *name, const char *s, const char *want) {
  copydesk_buf b;
  copydesk_err e = check_err();
  size_t len = strlen(s);
  char *heap = check_dup(s, len);
  copydesk_code rc;
  copydesk_buf_init(&b, NULL);
  rc = fn(heap, len, &b, &e);
  check(rc == COPYDESK_OK && e.code == COPYDESK_OK && b.len == strlen(want) &&
            (b.len == 0 || memcmp(b.data, want, b.len) == 0),
        "%s(\"%s\") = \"%.*s\" (rc %d), want \"%s\"", name, s, (int)b.len, b.data ? b.data : "",
        rc, want);
  copydesk_buf_free(&b);
  free(heap);
}

static copydesk_code nfc(const char *s, size_t len, copydesk_buf *b, copydesk_err *e) {
  return copydesk_normalize(s, len, COPYDESK_NFC, b, e);
}

static copydesk_code nfkd(const char *s, size_t len, copydesk_buf *b, copydesk_err *e) {
  return copydesk_normalize(s, len, COPYDESK_NFKD, b, e);
}

static void test_examples(void) {
  check_fn(nfc, "nfc", "Cafe\xCC\x81 ok, caf\xC3\xA9 ok", "Caf\xC3\xA9 ok, caf\xC3\xA9 ok");
  check_fn(nfc, "nfc", "plain ASCII", "plain ASCII");
  check_fn(nfkd, "nfkd", "\xEF\xAC\x81" "x\xC2\xB2", "fix2");
  check_fn(copydesk_lower, "lower", "HELLO \xC3\x89T\xC3\x89 \xC4\xB0", "hello \xC3\xA9t\xC3\xA9 i\xCC\x87");
  check_fn(copydesk_lower, "lower", "\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3 \xCE\xA3",
           "\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x82 \xCF\x83"); /* ΟΔΟΣ Σ -> οδος σ */
  check_fn(copydesk_upper, "upper", "Stra\xC3\x9F" "e \xEF\xAC\x81", "STRASSE FI");
  check_fn(copydesk_casefold, "casefold", "Stra\xC3\x9F" "e STRASSE", "strasse strasse");
  check_fn(copydesk_strip_accents, "strip_accents", "Cr\xC3\xA8me br\xC3\xBBl\xC3\xA9" "e, Zo\xC3\xAB ",
           "Creme brulee, Zoe ");
  check_fn(copydesk_strip_accents, "strip_accents", "e\xCC\x81t\xC3\xA9 \xC3\xB8", "ete \xC3\xB8");
  check_fn(copydesk_slug, "slug", "  Cr\xC3\xA8me Br\xC3\xBBl\xC3\xA9" "e: 5 Tips!  ", "creme-brulee-5-tips");
  check_fn(copydesk_slug, "slug", "--", "");
  check_fn(copydesk_slug, "slug", "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0 2024",
           "\xD0\xBC\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0-2024");
}

static void test_measures(void) {
  size_t n = 99;
  copydesk_err e = check_err();
  static const char wide[] = "a\xE6\x9D\xB1\xF0\x9F\x98\x80" "e\xCC\x81\t";
  check(copydesk_width(wide, sizeof wide - 1, &n, &e) == COPYDESK_OK && n == 6, "width %zu", n);
  check(copydesk_len(wide, sizeof wide - 1, &n, &e) == COPYDESK_OK && n == 6, "len %zu", n);
  check(copydesk_len("a\0b", 3, &n, NULL) == COPYDESK_OK && n == 3, "zero byte is data");
  e = check_err();
  check(copydesk_len("ab\xC3(", 4, &n, &e) == COPYDESK_ERR_UTF8, "bad utf8");
  /*                    ^ 2 */
  check(e.pos == 2 && e.line == 1 && e.col == 3, "bad utf8 at %zu %zu:%zu", e.pos, e.line, e.col);
}

static void test_errors(void) {
  static const text_fn fns[] = {nfc, copydesk_lower, copydesk_upper, copydesk_casefold,
                                copydesk_strip_accents, copydesk_slug};
  size_t i;
  for (i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    copydesk_buf b;
    copydesk_err e = check_err();
    copydesk_buf_init(&b, NULL);
    check(copydesk_buf_append(&b, "keep", 4) == COPYDESK_OK, "append");
    check(fns[i]("\xC3\xA9\nx\xFF", 5, &b, &e) == COPYDESK_ERR_UTF8, "fn %zu: bad utf8", i);
    /*                     ^ 4 */
    check(e.code == COPYDESK_ERR_UTF8 && e.pos == 4 && e.line == 2 && e.col == 2,
          "fn %zu: at %zu %zu:%zu", i, e.pos, e.line, e.col);
    check(b.len == 4, "fn %zu: output restored (%zu)", i, b.len);
    check(fns[i]("x", 1, NULL, NULL) == COPYDESK_ERR_INVALID, "fn %zu: NULL out", i);
    copydesk_buf_free(&b);
  }
  check(copydesk_normalize("x", 1, (copydesk_nf)9, NULL, NULL) == COPYDESK_ERR_INVALID, "enum");
}

static void test_nomem(void) {
  static const text_fn fns[] = {nfc, nfkd, copydesk_lower, copydesk_casefold,
                                copydesk_strip_accents, copydesk_slug};
  static const char s[] = "Cafe\xCC\x81 \xC3\x89T\xC3\x89 \xEF\xAC\x81 Stra\xC3\x9F" "e";
  size_t i;
  for (i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    check_failing f;
    copydesk_alloc alc = check_failing_alloc(&f);
    long n;
    for (n = 0;; n++) {
      copydesk_buf b;
      copydesk_code rc;
      f.countdown = n;
      f.live = 0;
      copydesk_buf_init(&b, &alc);
      rc = fns[i](s, sizeof s - 1, &b, NULL);
      copydesk_buf_free(&b);
      check(f.live == 0, "fn %zu allocation %ld: %ld blocks leaked", i, n, f.live);
      if (rc == COPYDESK_OK) break;
      check(rc == COPYDESK_ERR_NOMEM, "fn %zu allocation %ld: code %d", i, n, rc);
    }
  }
}

/* Random mixes of ASCII, marks, Hangul and compatibility characters: normalising is
** idempotent and the quick check agrees with the result. */
static void test_random(void) {
  static const char *const pieces[] = {"a", "e", " ", "\xCC\x81", "\xCC\xA3", "\xC3\xA9",
                                       "\xE1\x84\x80", "\xE1\x85\xA1", "\xEA\xB0\x80",
                                       "\xEF\xAC\x81", "\xC2\xB2", "\xE2\x84\xAB", "\xCE\xA3"};
  unsigned seed = 4242;
  int round, form;
  for (round = 0; round < 2000; round++) {
    char s[128];
    size_t len = 0;
    int k, parts = round % 12;
    for (k = 0; k < parts; k++) {
      const char *p;
      seed = seed * 1103515245u + 12345u;
      p = pieces[(seed >> 16) % 13];
      memcpy(s + len, p, strlen(p));
      len += strlen(p);
    }
    for (form = 0; form < 4; form++) {
      copydesk_buf a, b;
      copydesk_buf_init(&a, NULL);
      copydesk_buf_init(&b, NULL);
      if (copydesk_normalize(s, len, (copydesk_nf)form, &a, NULL) != COPYDESK_OK ||
          copydesk_normalize(a.data, a.len, (copydesk_nf)form, &b, NULL) != COPYDESK_OK ||
          a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
        check(0, "seed round %d form %d: not idempotent", round, form);
      if (copydesk_is_normalized(s, len, (copydesk_nf)form) &&
          (a.len != len || memcmp(a.data, s, len) != 0))
        check(0, "seed round %d form %d: quick check said normal, but it changed", round, form);
      copydesk_buf_free(&a);
      copydesk_buf_free(&b);
    }
  }
  check_passed++;
}

/* The inline decoder agrees with copydesk_utf8_valid on every two-byte sequence and on every
** three-byte one with a middle byte from each class. */
static void test_decoder(void) {
  unsigned a, b, c;
  int bad = 0;
  for (a = 0x80; a < 0x100; a++)
    for (b = 0; b < 0x100; b++) {
      char s[3] = {(char)a, (char)b, 'x'};
      size_t n, pos;
      int valid = copydesk_utf8_valid(s, 2, &pos);
      if ((copydesk_len(s, 2, &n, NULL) == COPYDESK_OK) != valid) bad++;
      for (c = 0x70; c < 0xD0 && a >= 0xE0 && a < 0xF0; c += 0x10) {
        s[2] = (char)c;
        valid = copydesk_utf8_valid(s, 3, &pos);
        if ((copydesk_len(s, 3, &n, NULL) == COPYDESK_OK) != valid) bad++;
      }
    }
  check(bad == 0, "%d sequences decoded differently", bad);
}

int main(void) {
  test_decoder();
  run_normalization_test();
  test_examples();
  test_measures();
  test_errors();
  test_nomem();
  test_random();
  return check_done("test_text");
}
