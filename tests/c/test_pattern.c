/* test_pattern.c: copydesk_pattern_find: matches, captures, flags, every error with its
** position, the classes against the C library's and utf8proc's, every code point and invalid
** byte. The Lua spec compares the whole syntax with Lua's own string.find. */
#include <ctype.h>
#include <utf8proc.h>

#include "check.h"

/* Runs the search on exact-size heap copies of s and p, so ASan catches a read past either. */
static copydesk_code find(const char *s, size_t len, const char *p, size_t init, unsigned flags,
                          copydesk_pattern_match *m, copydesk_err *err) {
  char *sc = check_dup(s, len), *pc = check_dup(p, strlen(p));
  copydesk_code rc = copydesk_pattern_find(sc, len, pc, strlen(p), init, flags, m, err);
  free(sc);
  free(pc);
  return rc;
}

/* The match of p in s (a zero-terminated literal) from offset 0: 1 and its span, or 0. */
static int span(const char *s, const char *p, size_t *pos, size_t *end) {
  copydesk_pattern_match m;
  copydesk_code rc = find(s, strlen(s), p, 0, 0, &m, NULL);
  check(rc == COPYDESK_OK, "%s in %s: code %d", p, s, rc);
  *pos = m.found ? m.pos : 99;
  *end = m.found ? m.end : 99;
  return m.found;
}

static void test_matches(void) {
  size_t pos, end;
  copydesk_pattern_match m;
  check(span("hello world", "o w", &pos, &end) && pos == 4 && end == 7, "%zu %zu", pos, end);
  check(span("naïve", "ï", &pos, &end) && pos == 2 && end == 4, "%zu %zu", pos, end);
  check(span("жук", "у.", &pos, &end) && pos == 2 && end == 6, "%zu %zu", pos, end);
  check(span("Ελληνικά", "%l+$", &pos, &end) && pos == 2 && end == 16, "%zu %zu", pos, end);
  check(!span("abc", "^b", &pos, &end), "anchored");

  /* captures are offsets; a position capture has len POSITION */
  check(find("key = välue", 12, "(%w+)%s*=%s*()(%w+)", 0, 0, &m, NULL) == COPYDESK_OK, "rc");
  check(m.found && m.ncap == 3 && m.pos == 0 && m.end == 12, "%d %zu", m.ncap, m.end);
  check(m.cap[0].pos == 0 && m.cap[0].len == 3, "%zu %zu", m.cap[0].pos, m.cap[0].len);
  check(m.cap[1].pos == 6 && m.cap[1].len == COPYDESK_PATTERN_POSITION, "%zu", m.cap[1].pos);
  check(m.cap[2].pos == 6 && m.cap[2].len == 6, "%zu %zu", m.cap[2].pos, m.cap[2].len);

  /* a capture whose ')' is never reached is reported, not an error: Lua raises on use only */
  check(find("ab", 2, "(a", 0, 0, &m, NULL) == COPYDESK_OK && m.found, "unfinished");
  check(m.ncap == 1 && m.cap[0].len == COPYDESK_PATTERN_UNFINISHED, "%zu", m.cap[0].len);

  /* zero bytes are data on both sides */
  check(find("a\0b", 3, "%z", 0, 0, &m, NULL) == COPYDESK_OK && m.found && m.pos == 1, "z");
}

static void test_init_and_flags(void) {
  copydesk_pattern_match m;
  copydesk_err e = check_err();
  /* an init inside é moves to the next character; past the end finds nothing */
  check(find("éa", 3, ".", 1, 0, &m, NULL) == COPYDESK_OK && m.found && m.pos == 2, "%zu", m.pos);
  check(find("éa", 3, "", 4, 0, &m, NULL) == COPYDESK_OK && !m.found, "past the end");
  check(find("éa", 3, "", 3, 0, &m, NULL) == COPYDESK_OK && m.found && m.end == 3, "at the end");
  /* '^' anchors at init, unless it is read as a literal */
  check(find("x^a", 3, "^a", 2, 0, &m, NULL) == COPYDESK_OK && m.found && m.pos == 2, "anchor");
  check(find("x^a", 3, "^a", 0, 0, &m, NULL) == COPYDESK_OK && !m.found, "anchored at 0");
  check(find("x^a", 3, "^a", 0, COPYDESK_PATTERN_CARET_LITERAL, &m, NULL) == COPYDESK_OK &&
        m.found && m.pos == 1 && m.end == 3, "literal caret");
  /* an empty match at init is skipped on request: the next is one character on */
  check(find("жу", 4, "", 0, COPYDESK_PATTERN_NOT_EMPTY_AT_INIT, &m, NULL) == COPYDESK_OK &&
        m.found && m.pos == 2 && m.end == 2, "%zu", m.pos);
  check(find("жу", 4, "", 0, COPYDESK_PATTERN_NOT_EMPTY_AT_INIT | COPYDESK_PATTERN_PLAIN, &m,
             NULL) == COPYDESK_OK && m.found && m.pos == 2, "plain %zu", m.pos);
  check(find("aab", 3, "a*", 2, COPYDESK_PATTERN_NOT_EMPTY_AT_INIT, &m, NULL) == COPYDESK_OK &&
        m.found && m.pos == 3 && m.end == 3, "%zu", m.pos);
  /* plain: specials are bytes */
  check(find("a.(b", 4, ".(", 0, COPYDESK_PATTERN_PLAIN, &m, NULL) == COPYDESK_OK && m.found &&
        m.pos == 1 && m.end == 3 && m.ncap == 0, "plain");
  check(find("aaa", 3, "aaaa", 0, COPYDESK_PATTERN_PLAIN, &m, NULL) == COPYDESK_OK && !m.found,
        "longer than the subject");
  check(copydesk_pattern_find("a", 1, "a", 1, 0, 1u << 9, &m, &e) == COPYDESK_ERR_INVALID &&
        !m.found && strcmp(e.msg, "unknown flag") == 0 && e.pos == 0, "unknown flag");
  check(copydesk_pattern_is_plain("a)b\0c", 5) && !copydesk_pattern_is_plain("a-", 2) &&
        !copydesk_pattern_is_plain("%", 1) && copydesk_pattern_is_plain("", 0), "is_plain");
}

/* Each error with its code, message and position in the pattern (a caret marks it). Errors
** are found where the matcher gets to, so each pattern matches the subject up to its fault. */
static void test_errors(void) {
  static const struct {
    const char *p;
    copydesk_code code;
    const char *msg;
    size_t pos, line, col;
  } cases[] = {
    {"x%", COPYDESK_ERR_INVALID, "malformed pattern (ends with '%')", 1, 1, 2},
    /*^ */
    {"x[é", COPYDESK_ERR_INVALID, "malformed pattern (missing ']')", 1, 1, 2},
    /*^ */
    {"x[%]", COPYDESK_ERR_INVALID, "malformed pattern (missing ']')", 1, 1, 2},
    {"x\n%b(", COPYDESK_ERR_INVALID, "malformed pattern (missing arguments to '%b')", 2, 2, 1},
    /*    ^ */
    {"x%fa", COPYDESK_ERR_INVALID, "missing '[' after '%f' in pattern", 1, 1, 2},
    {"x(%2)", COPYDESK_ERR_INVALID, "invalid capture index %2", 2, 1, 3},
    /*  ^ */
    {"x%0", COPYDESK_ERR_INVALID, "invalid capture index %0", 1, 1, 2},
    {"(x%1)", COPYDESK_ERR_INVALID, "invalid capture index %1", 2, 1, 3},
    {"x)", COPYDESK_ERR_INVALID, "invalid pattern capture", 1, 1, 2},
  };
  char many[2 + 2 * (COPYDESK_PATTERN_MAXCAPTURES + 1)] = "x";
  copydesk_pattern_match m;
  copydesk_err e;
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    copydesk_code rc;
    e = check_err();
    rc = find("x\n(é", 5, cases[i].p, 0, 0, &m, &e);
    check(rc == cases[i].code && e.code == rc, "%s: %d", cases[i].p, rc);
    check(e.msg && strcmp(e.msg, cases[i].msg) == 0, "%s: %s", cases[i].p, e.msg);
    check(e.pos == cases[i].pos && e.line == cases[i].line && e.col == cases[i].col,
          "%s: %zu %zu:%zu", cases[i].p, e.pos, e.line, e.col);
    check(strcmp(e.context, "pattern") == 0 && !m.found, "%s", cases[i].p);
  }
  /* the same patterns where the matcher never reaches the fault are no error, as in Lua */
  check(find("y", 1, "x%", 0, 0, &m, NULL) == COPYDESK_OK && !m.found, "lazy");
  for (i = 0; i <= COPYDESK_PATTERN_MAXCAPTURES; i++) memcpy(many + 1 + 2 * i, "()", 2);
  e = check_err();
  check(find("x", 1, many, 0, 0, &m, &e) == COPYDESK_ERR_INVALID, "too many");
  check(strcmp(e.msg, "too many captures") == 0, "%s", e.msg);
  check(e.pos == 1 + 2 * COPYDESK_PATTERN_MAXCAPTURES && e.col == e.pos + 1, "%zu", e.pos);
}

/* More nested calls than the limit fail with ERR_DEPTH; as many as the limit do not. */
static void test_depth(void) {
  char p[2 * COPYDESK_PATTERN_MAXDEPTH + 3], s[COPYDESK_PATTERN_MAXDEPTH + 2];
  copydesk_pattern_match m;
  copydesk_err e = check_err();
  size_t n;
  memset(s, 'a', sizeof s);
  for (n = 0; n < COPYDESK_PATTERN_MAXDEPTH + 1; n++) memcpy(p + 2 * n, "a?", 2);
  p[2 * n] = '\0';
  check(find(s, sizeof s, p, 0, 0, &m, &e) == COPYDESK_ERR_DEPTH, "depth");
  check(strcmp(e.msg, "pattern too complex") == 0 && e.code == COPYDESK_ERR_DEPTH, "%s", e.msg);
  check(e.pos == 2 * COPYDESK_PATTERN_MAXDEPTH && e.line == 1, "%zu", e.pos); /* where it stopped */
  p[2 * (COPYDESK_PATTERN_MAXDEPTH - 1)] = '\0';
  check(find(s, sizeof s, p, 0, 0, &m, NULL) == COPYDESK_OK && m.found, "under the limit");
}

/* Backtracking exponential in the pattern stops at the step limit with ERR_DEPTH, at once rather
** than after hours; a linear pattern over 10 MB (10^7 steps and more) is within it, and so is a
** quadratic one over a paragraph. */
static void test_step_limit(void) {
  static const char p[] = "a+a+a+a+a+a+a+a+b";
  size_t n = 10u * 1024 * 1024;
  char *s = malloc(n);
  copydesk_pattern_match m;
  copydesk_err e = check_err();
  check(s != NULL, "malloc");
  memset(s, 'a', n);
  check(find(s, 200, p, 0, 0, &m, &e) == COPYDESK_ERR_DEPTH && !m.found, "exponential");
  check(strcmp(e.msg, "pattern too complex (step limit)") == 0, "%s", e.msg);
  check(e.pos <= sizeof p - 1, "%zu", e.pos);
  check(find(s, n, "^(a*)$", 0, 0, &m, NULL) == COPYDESK_OK && m.found && m.end == n, "linear");
  check(find(s, 2000, "a-b", 0, 0, &m, NULL) == COPYDESK_OK && !m.found, "quadratic, short");
  free(s);
}

/* Below U+0080 each class is the C library's in the C locale, as in Lua. */
static void test_ascii_classes(void) {
  static const char names[] = "acdglpsuwx";
  static int (*const fns[])(int) = {isalpha, iscntrl, isdigit, isgraph, islower,
                                     ispunct, isspace, isupper, isalnum, isxdigit};
  int c, k;
  for (c = 0; c < 128; c++) {
    char s[1] = {(char)c};
    for (k = 0; names[k]; k++) {
      char p[3] = {'%', names[k], '\0'};
      copydesk_pattern_match m;
      int want = fns[k](c) != 0;
      check(find(s, 1, p, 0, 0, &m, NULL) == COPYDESK_OK && m.found == want, "%s %d", p, c);
      p[1] = (char)toupper(names[k]);
      check(find(s, 1, p, 0, 0, &m, NULL) == COPYDESK_OK && m.found == !want, "%s %d", p, c);
    }
  }
}

/* Every code point: `.` takes it whole, the literal matches itself, and %a, %u, %p, %s follow
** its category. Every byte that starts no valid sequence: one character, in no class. */
static void test_every_character(void) {
  utf8proc_int32_t cp;
  int c, bad = 0;
  for (cp = 0; cp <= 0x10FFFF; cp++) {
    utf8proc_uint8_t s[4];
    char p[8];
    copydesk_pattern_match m;
    utf8proc_category_t cat;
    size_t n;
    int letter, in;
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    n = (size_t)utf8proc_encode_char(cp, s);
    cat = utf8proc_category(cp);
    letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ME;
    if (copydesk_pattern_find((char *)s, n, ".", 1, 0, 0, &m, NULL) || !m.found || m.end != n)
      bad++;
    if (cp < 0x80) continue; /* the ASCII tests cover these */
    p[0] = '^';
    memcpy(p + 1, s, n);
    if (copydesk_pattern_find((char *)s, n, p, n + 1, 0, 0, &m, NULL) || !m.found || m.end != n)
      bad++;
    in = copydesk_pattern_find((char *)s, n, "%a", 2, 0, 0, &m, NULL) == COPYDESK_OK && m.found;
    if (in != letter) bad++;
    in = copydesk_pattern_find((char *)s, n, "%u", 2, 0, 0, &m, NULL) == COPYDESK_OK && m.found;
    if (in != (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT)) bad++;
    in = copydesk_pattern_find((char *)s, n, "%p", 2, 0, 0, &m, NULL) == COPYDESK_OK && m.found;
    if (in != (cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_SO)) bad++;
    in = copydesk_pattern_find((char *)s, n, "%s", 2, 0, 0, &m, NULL) == COPYDESK_OK && m.found;
    if (in != ((cat >= UTF8PROC_CATEGORY_ZS && cat <= UTF8PROC_CATEGORY_ZP) || cp == 0x85)) bad++;
  }
  check(bad == 0, "%d code points disagree", bad);
  for (c = 0x80; c < 0x100; c++) {
    char s[2] = {(char)c, 'x'}, p[2] = {(char)c, '\0'};
    const char *classes[] = {"%a", "%c", "%d", "%g", "%l", "%p", "%s", "%u", "%w", "%x"};
    copydesk_pattern_match m;
    size_t k;
    check(find(s, 2, ".", 0, 0, &m, NULL) == COPYDESK_OK && m.found && m.end == 1, "%x", c);
    check(find(s, 2, p, 0, 0, &m, NULL) == COPYDESK_OK && m.found && m.end == 1, "%x", c);
    check(find(s, 2, "[^x]", 0, 0, &m, NULL) == COPYDESK_OK && m.found && m.end == 1, "%x", c);
    for (k = 0; k < sizeof classes / sizeof classes[0]; k++) {
      char up[3] = {'%', (char)toupper(classes[k][1]), '\0'};
      check(find(s, 1, classes[k], 0, 0, &m, NULL) == COPYDESK_OK && !m.found, "%x", c);
      check(find(s, 1, up, 0, 0, &m, NULL) == COPYDESK_OK && m.found, "%s %x", up, c);
    }
  }
}

/* Going back over a repetition steps over whole characters, valid or not. */
static void test_backtracking(void) {
  static const char s[] = "\xce\xb1\xff\xce\xb2\xc3x\xce\xb3";
  copydesk_pattern_match m;
  check(find(s, sizeof s - 1, "(.*)(.)$", 0, 0, &m, NULL) == COPYDESK_OK && m.found, "found");
  check(m.cap[0].len == 7 && m.cap[1].pos == 7 && m.cap[1].len == 2, "%zu %zu", m.cap[0].len,
        m.cap[1].pos);
  check(find(s, sizeof s - 1, "^(.-)(x)", 0, 0, &m, NULL) == COPYDESK_OK && m.found, "found");
  check(m.cap[0].len == 6 && m.cap[1].pos == 6, "%zu", m.cap[0].len);
  check(find(s, sizeof s - 1, "(.+)%f[x]", 0, 0, &m, NULL) == COPYDESK_OK && m.found, "found");
  check(m.end == 6, "%zu", m.end);
}

/* The character boundaries of s[0..len), found another way than the matcher does: a byte
** starts a k-byte character when the k bytes from it are valid UTF-8 on their own. */
static void boundaries(const unsigned char *s, size_t len, char *at) {
  size_t i = 0, k;
  memset(at, 0, len + 1);
  while (i < len) {
    at[i] = 1;
    k = s[i] >= 0xF0 ? 4 : s[i] >= 0xE0 ? 3 : s[i] >= 0xC0 ? 2 : 1;
    i += (k > 1 && i + k <= len && copydesk_utf8_valid((const char *)s + i, k, NULL)) ? k : 1;
  }
  at[len] = 1;
}

/* Random patterns over random subjects mixing ASCII, two- to four-byte characters and invalid
** bytes: every outcome is a known code, and every match, capture and iteration step lies on
** character boundaries inside the subject and moves forward. Seeded; the seed is printed. */
static void test_random(void) {
  static const char *const pieces[] = {
    "a", "b", "é", "ж", "€", "\xf0\x9f\x98\x80", "\xff", "\xc3", "\xe2\x82", " ", "(", ")",
    ".", "%a", "%A", "%s", "%p", "%w", "%g", "%G", "%1", "%b()", "%b«»", "%f[%a]", "%f[^é]",
    "[é-ж]", "[^a€]", "[%a\xff]", "*", "+", "-", "?", "^", "$", "()", "«", "»", "%", "["};
  const size_t npieces = sizeof pieces / sizeof pieces[0];
  unsigned long seed = 20261122, x = seed;
  int round, odd = 0;
  for (round = 0; round < 20000; round++) {
    char s[64], p[64], at[65];
    size_t slen = 0, plen = 0, n, init, steps;
    unsigned flags = 0;
    copydesk_pattern_match m;
    copydesk_code rc;
    int i;
    for (n = (x = x * 6364136223846793005UL + 1442695040888963407UL) >> 60; n > 0; n--) {
      const char *q = pieces[((x = x * 6364136223846793005UL + 1) >> 33) % 9];
      if (slen + strlen(q) < sizeof s) memcpy(s + slen, q, strlen(q)), slen += strlen(q);
      q = pieces[((x = x * 6364136223846793005UL + 1) >> 33) % 12];
      if (slen + strlen(q) < sizeof s) memcpy(s + slen, q, strlen(q)), slen += strlen(q);
    }
    for (n = ((x = x * 6364136223846793005UL + 1) >> 61) + 1; n > 0; n--) {
      const char *q = pieces[((x = x * 6364136223846793005UL + 1) >> 33) % npieces];
      if (plen + strlen(q) < sizeof p) memcpy(p + plen, q, strlen(q)), plen += strlen(q);
    }
    p[plen] = '\0';
    boundaries((const unsigned char *)s, slen, at);
    init = ((x = x * 6364136223846793005UL + 1) >> 33) % (slen + 2);
    for (steps = 0; steps <= slen + 1; steps++) { /* iterate as gmatch does */
      rc = find(s, slen, p, init, flags, &m, NULL);
      if (rc != COPYDESK_OK) {
        odd += rc != COPYDESK_ERR_INVALID && rc != COPYDESK_ERR_DEPTH;
        break;
      }
      if (!m.found) break;
      odd += m.pos < init || m.end < m.pos || m.end > slen || !at[m.pos] || !at[m.end];
      for (i = 0; i < m.ncap; i++) {
        size_t len = m.cap[i].len;
        odd += m.cap[i].pos < m.pos || m.cap[i].pos > m.end || !at[m.cap[i].pos];
        if (len != COPYDESK_PATTERN_POSITION && len != COPYDESK_PATTERN_UNFINISHED)
          odd += m.cap[i].pos + len > m.end || !at[m.cap[i].pos + len];
      }
      odd += (flags != 0 && m.end == init); /* an iteration never stands still */
      init = m.end;
      flags = COPYDESK_PATTERN_NOT_EMPTY_AT_INIT;
    }
    odd += steps > slen + 1;
  }
  check(odd == 0, "%d odd outcomes (seed %lu)", odd, seed);
}

int main(void) {
  test_matches();
  test_init_and_flags();
  test_errors();
  test_depth();
  test_step_limit();
  test_ascii_classes();
  test_every_character();
  test_backtracking();
  test_random();
  return check_done("test_pattern");
}
