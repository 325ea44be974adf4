/* test_sentence.c: the English sentence cursor on our test set (tests/fixtures/sentences), the
** abbreviation lists, the flags and coverage. */
#include "check.h"

#define SET "tests/fixtures/sentences/english.txt"
#define MAXSENT 16

typedef struct tcase {
  char input[1024];
  size_t len;
  const char *want[MAXSENT];
  size_t nwant;
  int known; /* a known failure */
  int line;  /* line of the case in the file */
} tcase;

/* Runs the cursor with TRIM; 1 when the sentences are exactly the expected ones. */
static int split_matches(const tcase *t, const copydesk_abbrevs *a, int report) {
  copydesk_sent c;
  size_t pos, len, i = 0;
  int ok = 1;
  char *heap = check_dup(t->input, t->len);
  if (copydesk_sent_init(&c, heap, t->len, a, COPYDESK_SENT_TRIM) != COPYDESK_OK) abort();
  while (copydesk_sent_next(&c, &pos, &len)) {
    if (i >= t->nwant || strlen(t->want[i]) != len || memcmp(t->want[i], heap + pos, len) != 0)
      ok = 0;
    if (report) fprintf(stderr, "  got  [%.*s]\n", (int)len, heap + pos);
    i++;
  }
  free(heap);
  return ok && i == t->nwant;
}

/* Without TRIM the sentences tile the input. */
static void check_coverage(const tcase *t) {
  copydesk_sent c;
  size_t pos, len, covered = 0;
  char *heap = check_dup(t->input, t->len);
  if (copydesk_sent_init(&c, heap, t->len, NULL, 0) != COPYDESK_OK) abort();
  while (copydesk_sent_next(&c, &pos, &len)) {
    check(pos == covered && len > 0, "line %d: sentence at %zu, expected %zu", t->line, pos,
          covered);
    covered = pos + len;
  }
  check(covered == t->len, "line %d: covered %zu of %zu bytes", t->line, covered, t->len);
  free(heap);
}

/* Checks one case read from the set; counts it. */
static void finish_case(tcase *t, size_t *ncase, size_t *exact, size_t *known) {
  int ok = split_matches(t, NULL, 0);
  (*ncase)++;
  check_coverage(t);
  if (ok) (*exact)++;
  if (t->known) {
    (*known)++;
    check(!ok, "case at line %d is listed as a known failure but passes: remove the mark",
          t->line);
  } else if (!ok) {
    check(0, "case at line %d: wrong sentences for: %.*s", t->line, (int)t->len, t->input);
    split_matches(t, NULL, 1);
  }
  memset(t, 0, sizeof *t);
}

static void run_set(void) {
  size_t flen, ncase = 0, exact = 0, known = 0, pos = 0;
  char *file = check_slurp(SET, &flen);
  tcase t;
  int lineno = 0;
  memset(&t, 0, sizeof t);
  while (pos < flen) {
    char *l = file + pos, *nl = memchr(l, '\n', flen - pos);
    size_t n = nl ? (size_t)(nl - l) : flen - pos;
    pos += n + 1;
    lineno++;
    l[n] = '\0';
    if (n == 0) {
      if (t.line) finish_case(&t, &ncase, &exact, &known);
    } else if (l[0] == '<') {
      size_t k = n > 2 ? n - 2 : 0;
      if (!t.line) t.line = lineno;
      if (t.len) t.input[t.len++] = '\n';
      memcpy(t.input + t.len, l + 2, k);
      t.len += k;
    } else if (l[0] == '=' && t.nwant < MAXSENT) {
      t.want[t.nwant++] = l + 2;
    } else if (l[0] == '!') {
      t.known = 1;
    }
  }
  if (t.line) finish_case(&t, &ncase, &exact, &known);
  check(ncase >= 60, "only %zu cases read from %s", ncase, SET);
  printf("test_sentence: %s: %zu of %zu cases exact (%.1f%%), %zu known failures\n", SET, exact,
         ncase, 100.0 * (double)exact / (double)(ncase ? ncase : 1), known);
  free(file);
}

/* The sentences of s as "[...]" joined, with the given list and flags. */
static void split(const char *s, const copydesk_abbrevs *a, unsigned flags, char *out,
                  size_t cap) {
  copydesk_sent c;
  size_t pos, len, used = 0, n = strlen(s);
  char *heap = check_dup(s, n);
  out[0] = '\0';
  if (copydesk_sent_init(&c, heap, n, a, flags) != COPYDESK_OK) abort();
  while (copydesk_sent_next(&c, &pos, &len) && used < cap)
    used += (size_t)snprintf(out + used, cap - used, "[%.*s]", (int)len, heap + pos);
  free(heap);
}

static void check_split(const char *s, const copydesk_abbrevs *a, unsigned flags,
                        const char *want) {
  char got[1024];
  split(s, a, flags, got, sizeof got);
  check(strcmp(got, want) == 0, "sentences of \"%s\":\n  got  %s\n  want %s", s, got, want);
}

static void test_abbrevs(void) {
  static const char list[] = "# extra\n\nAdj.\nCol. title\n  approx. final  \r\net al. number\n";
  static const char bad[] = "Gen.\nFig\n";
  /*                                ^ 5 */
  copydesk_abbrevs *a = NULL, *empty = NULL;
  copydesk_err e = check_err();
  const char *text, *prev = "";
  size_t len, prevlen = 0, i;
  copydesk_abbrev_class cls;
  check(copydesk_abbrevs_new(NULL, 0, &a) == COPYDESK_OK, "new");
  check_split("Troops under Adj. Mola advanced. The town fell.", a, COPYDESK_SENT_TRIM,
              "[Troops under Adj.][Mola advanced.][The town fell.]");
  check(copydesk_abbrevs_load(a, list, sizeof list - 1, &e) == COPYDESK_OK, "load: %s", e.msg);
  check(e.code == COPYDESK_OK, "err cleared");
  check_split("Troops under Adj. Mola advanced. The town fell.", a, COPYDESK_SENT_TRIM,
              "[Troops under Adj. Mola advanced.][The town fell.]");
  check_split("It weighs approx. Ten tons were moved.", a, COPYDESK_SENT_TRIM,
              "[It weighs approx.][Ten tons were moved.]");
  e = check_err();
  check(copydesk_abbrevs_load(a, bad, sizeof bad - 1, &e) == COPYDESK_ERR_INVALID, "bad line");
  check(e.code == COPYDESK_ERR_INVALID && e.pos == 5 && e.line == 2 && e.col == 1,
        "bad line at pos %zu line %zu col %zu", e.pos, e.line, e.col);
  check(copydesk_abbrevs_new(NULL, COPYDESK_ABBREVS_NO_BUILTIN, &empty) == COPYDESK_OK, "new");
  check_split("Mr. Hale left. He was tired.", empty, COPYDESK_SENT_TRIM,
              "[Mr.][Hale left.][He was tired.]");
  copydesk_abbrevs_free(a);
  copydesk_abbrevs_free(empty);
  copydesk_abbrevs_free(NULL);
  for (i = 0; copydesk_abbrevs_builtin(i, &text, &len, &cls); i++) {
    size_t m = len < prevlen ? len : prevlen;
    int c = memcmp(prev, text, m);
    check(c < 0 || (c == 0 && prevlen < len), "built-in list not sorted at %.*s", (int)len, text);
    check(strcmp(copydesk_abbrev_class_name(cls), "unknown") != 0, "class of %s", text);
    prev = text;
    prevlen = len;
  }
  check(i > 150, "built-in list has %zu entries", i);
}

static void test_invalid_flags(void) {
  copydesk_abbrevs *a = (copydesk_abbrevs *)1;
  copydesk_sent c;
  check(copydesk_abbrevs_new(NULL, 1u << 7, &a) == COPYDESK_ERR_INVALID && a == NULL,
        "unknown abbrevs flag");
  check(copydesk_sent_init(&c, "x", 1, NULL, 1u << 9) == COPYDESK_ERR_INVALID,
        "unknown sentence flag");
}

static void test_nomem(void) {
  check_failing f;
  copydesk_alloc alc = check_failing_alloc(&f);
  long n;
  for (n = 0;; n++) {
    copydesk_abbrevs *a = NULL;
    copydesk_code rc;
    f.countdown = n;
    f.live = 0;
    rc = copydesk_abbrevs_new(&alc, 0, &a);
    if (rc == COPYDESK_OK) rc = copydesk_abbrevs_load(a, "Gen.\nCol.\n", 10, NULL);
    copydesk_abbrevs_free(a);
    check(f.live == 0, "allocation %ld: %ld blocks leaked", n, f.live);
    if (rc == COPYDESK_OK) break;
    check(rc == COPYDESK_ERR_NOMEM, "allocation %ld: code %d", n, rc);
  }
  check(n >= 3, "only %ld allocations", n);
}

static void test_flags(void) {
  check_split("Mr. Hale left. He was tired.", NULL, COPYDESK_SENT_UAX29,
              "[Mr. ][Hale left. ][He was tired.]");
  check_split("The line was\nwrapped here. And\n\nthen a new one.", NULL,
              COPYDESK_SENT_WRAPPED, "[The line was\nwrapped here. ][And\n\n][then a new one.]");
  check_split("The line was\nwrapped here.", NULL, 0, "[The line was\n][wrapped here.]");
  check_split("  \n ", NULL, COPYDESK_SENT_TRIM, "");
  check_split("  \n ", NULL, 0, "[  \n ]");
  check_split("", NULL, 0, "");
  check_split("Stop. \xFF Go.", NULL, 0, "[Stop. ][\xFF Go.]");
}

/* Random mixes of the pieces the rules look at: with every flag, the sentences are in order,
** non-empty and inside the input, and without TRIM they cover it. */
static void test_random(void) {
  static const char *const pieces[] = {"Mr.", ". ", "? ", "!\" ", "\n", "\n\n", "a", "The", " ",
                                       "\xE2\x80\xA6", "U.S.", "3.5", "\xFF", "\xC2\xBB", "(1) ",
                                       "\xE2\x80\x9D", "e.g. x", "--"};
  unsigned seed = 99;
  int round, bad = 0;
  for (round = 0; round < 3000; round++) {
    char buf[256];
    size_t len = 0;
    int k, parts = round % 24;
    unsigned flags = (unsigned)round & 7u;
    copydesk_sent c;
    size_t pos, n, covered = 0;
    char *heap;
    for (k = 0; k < parts; k++) {
      const char *p;
      seed = seed * 1103515245u + 12345u;
      p = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
      memcpy(buf + len, p, strlen(p));
      len += strlen(p);
    }
    heap = check_dup(buf, len);
    if (copydesk_sent_init(&c, heap, len, NULL, flags) != COPYDESK_OK) abort();
    while (copydesk_sent_next(&c, &pos, &n)) {
      if (n == 0 || pos < covered || pos + n > len) bad++;
      if (!(flags & COPYDESK_SENT_TRIM) && pos != covered) bad++;
      covered = pos + n;
    }
    if (!(flags & COPYDESK_SENT_TRIM) && covered != len) bad++;
    free(heap);
  }
  check(bad == 0, "%d coverage errors in random inputs", bad);
}

int main(void) {
  run_set();
  test_random();
  test_abbrevs();
  test_invalid_flags();
  test_nomem();
  test_flags();
  return check_done("test_sentence");
}
