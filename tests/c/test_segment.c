/* test_segment.c: the UAX #29 cursors against Unicode's own break tests, line by line, and the
** token kinds, coverage and version of the tables. */
#include "check.h"

#define AUX "/usr/share/unicode/auxiliary/"
#define MAXBREAKS 64

/* Parses one test line "÷ 0041 × 0308 ÷ ..." into UTF-8 text and the expected boundaries (byte
** offsets, 0 and the end included). Returns 0 for comment and blank lines. */
static int parse_line(const char *line, char *text, size_t *len, size_t *breaks, size_t *nbreaks) {
  const char *p = line;
  *len = 0;
  *nbreaks = 0;
  while (*p && *p != '#') {
    if (strncmp(p, "\xC3\xB7", 2) == 0) { /* ÷ */
      breaks[(*nbreaks)++] = *len;
      p += 2;
    } else if (strncmp(p, "\xC3\x97", 2) == 0) { /* × */
      p += 2;
    } else if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'F')) {
      char *end;
      unsigned long cp = strtoul(p, &end, 16);
      char *o = text + *len;
      if (cp < 0x80) { o[0] = (char)cp; *len += 1; }
      else if (cp < 0x800) { o[0] = (char)(0xC0 | cp >> 6); o[1] = (char)(0x80 | (cp & 63)); *len += 2; }
      else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12); o[1] = (char)(0x80 | (cp >> 6 & 63));
        o[2] = (char)(0x80 | (cp & 63)); *len += 3;
      } else {
        o[0] = (char)(0xF0 | cp >> 18); o[1] = (char)(0x80 | (cp >> 12 & 63));
        o[2] = (char)(0x80 | (cp >> 6 & 63)); o[3] = (char)(0x80 | (cp & 63)); *len += 4;
      }
      p = end;
    } else {
      p++;
    }
  }
  return *nbreaks > 0;
}

/* Runs one *BreakTest.txt file; every line must give exactly the expected boundaries. */
static void run_break_test(const char *file, copydesk_seg_unit unit, int expected_lines) {
  char path[256], line[4096], text[1024];
  size_t breaks[MAXBREAKS], got[MAXBREAKS], len, nbreaks;
  int lineno = 0, tested = 0, failed = 0;
  FILE *f;
  snprintf(path, sizeof path, AUX "%s", file);
  f = fopen(path, "r");
  if (f == NULL) {
    printf("test_segment: %s missing (package unicode-data): skipped\n", path);
    return;
  }
  while (fgets(line, sizeof line, f)) {
    copydesk_seg c;
    size_t pos, n, ngot = 1;
    char *heap;
    lineno++;
    if (!parse_line(line, text, &len, breaks, &nbreaks)) continue;
    tested++;
    heap = check_dup(text, len);
    got[0] = 0;
    copydesk_seg_init(&c, heap, len, unit);
    while (copydesk_seg_next(&c, &pos, &n, NULL) && ngot < MAXBREAKS) got[ngot++] = pos + n;
    free(heap);
    if (ngot != nbreaks || memcmp(got, breaks, ngot * sizeof *got) != 0) {
      failed++;
      check(0, "%s:%d: wrong boundaries: %s", file, lineno, line);
    }
  }
  fclose(f);
  check(tested == expected_lines, "%s: %d test lines, expected %d", file, tested, expected_lines);
  if (failed == 0) check_passed++;
  printf("test_segment: %s: %d of %d lines pass\n", file, tested - failed, tested);
}

/* Segments of a literal, with kinds, as "text|kind" joined by spaces. */
static void describe(const char *s, copydesk_seg_unit unit, char *out, size_t cap) {
  static const char *const names[] = {"other", "space", "punct", "letters", "number", "ideo",
                                      "kana", "emoji"};
  copydesk_seg c;
  size_t pos, n, used = 0, len = strlen(s);
  copydesk_token_kind k;
  char *heap = check_dup(s, len);
  out[0] = '\0';
  copydesk_seg_init(&c, heap, len, unit);
  while (copydesk_seg_next(&c, &pos, &n, &k) && used < cap)
    used += (size_t)snprintf(out + used, cap - used, "%s[%.*s]%s", used ? " " : "", (int)n,
                             s + pos, names[k]);
  free(heap);
}

static void check_kinds(const char *s, copydesk_seg_unit unit, const char *want) {
  char got[1024];
  describe(s, unit, got, sizeof got);
  check(strcmp(got, want) == 0, "segments of \"%s\":\n  got  %s\n  want %s", s, got, want);
}

static void test_kinds(void) {
  check_kinds("The U.S. economy grew 3.5% in 2023.", COPYDESK_SEG_WORD,
              "[The]letters [ ]space [U.S]letters [.]punct [ ]space [economy]letters [ ]space "
              "[grew]letters [ ]space [3.5]number [%]punct [ ]space [in]letters [ ]space "
              "[2023]number [.]punct");
  check_kinds("don't \xE2\x80\x9Cquote\xE2\x80\x9D", COPYDESK_SEG_WORD,
              "[don't]letters [ ]space [\xE2\x80\x9C]punct [quote]letters [\xE2\x80\x9D]punct");
  check_kinds("\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x82\xBF\xE3\x83\xAF\xE3\x83\xBC", COPYDESK_SEG_WORD,
              "[\xE6\x9D\xB1]ideo [\xE4\xBA\xAC]ideo [\xE3\x82\xBF\xE3\x83\xAF\xE3\x83\xBC]kana");
  /* A family (ZWJ sequence), a flag and a thumbs-up with a skin tone. */
  check_kinds("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7 "
              "\xF0\x9F\x87\xAC\xF0\x9F\x87\xA7\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD",
              COPYDESK_SEG_WORD,
              "[\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7]emoji "
              "[ ]space [\xF0\x9F\x87\xAC\xF0\x9F\x87\xA7]emoji "
              "[\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD]emoji");
  check_kinds("e\xCC\x81!\n", COPYDESK_SEG_GRAPHEME, "[e\xCC\x81]letters [!]punct [\n]space");
  check_kinds("a\x00" "b", COPYDESK_SEG_WORD, "[a]letters");
  check_kinds("Hi. Mr. Smith left.\nYes", COPYDESK_SEG_SENTENCE,
              "[Hi. ]other [Mr. ]other [Smith left.\n]other [Yes]other");
}

/* An invalid byte is a segment of its own, and coverage holds on arbitrary bytes. */
static void test_invalid_and_coverage(void) {
  static const char bad[] = "ab\xFF" "cd\xE2\x82 e";
  copydesk_seg c;
  size_t pos, n, expect = 0, nseg = 0;
  copydesk_token_kind k;
  unsigned seed = 12345;
  int unit, round;
  copydesk_seg_init(&c, bad, sizeof bad - 1, COPYDESK_SEG_WORD);
  while (copydesk_seg_next(&c, &pos, &n, &k)) {
    check(pos == expect, "segment %zu starts at %zu, expected %zu", nseg, pos, expect);
    if (pos == 2) check(n == 1 && k == COPYDESK_TOKEN_OTHER, "invalid byte: len %zu kind %d", n, k);
    expect = pos + n;
    nseg++;
  }
  check(expect == sizeof bad - 1, "covered %zu of %zu bytes", expect, sizeof bad - 1);
  for (round = 0; round < 2000; round++) {
    char buf[64];
    size_t len = (size_t)(round % 64), i;
    for (i = 0; i < len; i++) {
      seed = seed * 1103515245u + 12345u;
      buf[i] = (char)(seed >> 16);
    }
    for (unit = 0; unit < 3; unit++) {
      char *heap = check_dup(buf, len);
      size_t covered = 0;
      int ok = 1;
      copydesk_seg_init(&c, heap, len, (copydesk_seg_unit)unit);
      while (copydesk_seg_next(&c, &pos, &n, NULL)) {
        if (pos != covered || n == 0) ok = 0;
        covered = pos + n;
      }
      if (covered != len) ok = 0;
      if (!ok) check(0, "seed round %d unit %d: segments do not cover the input", round, unit);
      free(heap);
    }
  }
  check_passed++;
}

static void test_count_and_version(void) {
  static const char s[] = "One, two -- three 4.5 \xE6\x9D\xB1!";
  unsigned words = (1u << COPYDESK_TOKEN_LETTERS) | (1u << COPYDESK_TOKEN_NUMBER) |
                   (1u << COPYDESK_TOKEN_IDEO);
  check(copydesk_seg_count(s, sizeof s - 1, COPYDESK_SEG_WORD, words) == 5, "count words %zu",
        copydesk_seg_count(s, sizeof s - 1, COPYDESK_SEG_WORD, words));
  check(copydesk_seg_count(NULL, 0, COPYDESK_SEG_WORD, 0) == 0, "empty input has no segment");
  check(strcmp(copydesk_seg_unicode_version(), copydesk_unicode_version()) == 0,
        "tables are Unicode %s, utf8proc is %s", copydesk_seg_unicode_version(),
        copydesk_unicode_version());
}

int main(void) {
  run_break_test("GraphemeBreakTest.txt", COPYDESK_SEG_GRAPHEME, 602);
  run_break_test("WordBreakTest.txt", COPYDESK_SEG_WORD, 1823);
  run_break_test("SentenceBreakTest.txt", COPYDESK_SEG_SENTENCE, 502);
  test_kinds();
  test_invalid_and_coverage();
  test_count_and_version();
  return check_done("test_segment");
}
