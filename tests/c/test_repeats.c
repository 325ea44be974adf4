/* test_repeats.c: copydesk_clean_repeats: repeated paragraphs removed, the first kept. */
#include "check.h"

#define S(lit) lit, sizeof lit - 1

/* Runs the step on an exact-size heap copy; checks the output, the number of edits, that each
** edit removed a whole repeat (the output is the input minus the edits) and that a second run
** changes nothing. Returns the edits (caller frees). */
static copydesk_edits expect(const char *s, size_t len, size_t min_len, const char *want,
                             size_t wl, size_t want_edits, int line) {
  copydesk_repeat_opts o = {min_len};
  copydesk_buf out, again;
  copydesk_edits e = {0}, e2 = {0};
  copydesk_err err = check_err();
  char *in = check_dup(s, len);
  size_t i, at = 0, o_at = 0;
  int same = 1;
  copydesk_buf_init(&out, NULL);
  copydesk_buf_init(&again, NULL);
  check(copydesk_clean_repeats(in, len, &o, &out, &e, &err) == COPYDESK_OK, "line %d", line);
  check(err.code == COPYDESK_OK && err.pos == 0, "line %d: err not cleared", line);
  check(out.len == wl && memcmp(out.data ? out.data : "", want, out.len) == 0,
        "line %d: got\n[%.*s]\nexpected\n[%s]", line, (int)out.len, out.data ? out.data : "",
        want);
  check(e.n == want_edits, "line %d: %zu edits, expected %zu", line, e.n, want_edits);
  for (i = 0; i < e.n && same; i++) {
    same = e.items[i].pos >= at && e.items[i].len > 0 &&
           e.items[i].reason == COPYDESK_REASON_REPEAT && o_at + e.items[i].pos - at <= out.len &&
           memcmp(out.data + o_at, s + at, e.items[i].pos - at) == 0;
    o_at += e.items[i].pos - at;
    at = e.items[i].pos + e.items[i].len;
  }
  check(same && o_at + len - at == out.len, "line %d: output is not the input minus the edits",
        line);
  check(copydesk_clean_repeats(out.data ? out.data : "", out.len, &o, &again, &e2, NULL) ==
            COPYDESK_OK && again.len == out.len && e2.n == 0,
        "line %d: not idempotent", line);
  copydesk_buf_free(&out);
  copydesk_buf_free(&again);
  copydesk_edits_free(&e2);
  free(in);
  return e;
}

#define EXPECT(in, min_len, want, n) expect(S(in), min_len, S(want), n, __LINE__)

static void test_exact_and_near(void) {
  const char in[] = "The ferry left the harbour at dawn on Sunday.\n\n"
                    "Crowds lined the quay to watch it go.\n\n"
                    "The ferry left the harbour at dawn on Sunday.\n\n"
                    "THE FERRY LEFT   the harbour, at dawn on Sunday\n\n"
                    "\xE2\x80\x9C" "Crowds lined the quay to watch it go\xE2\x80\x9D\n";
  copydesk_edits e = EXPECT(in, 0,
                            "The ferry left the harbour at dawn on Sunday.\n\n"
                            "Crowds lined the quay to watch it go.\n",
                            3);
  check(e.n == 3 && e.items[0].pos == 85 && e.items[0].len == 47, "first repeat takes its gap: "
        "%zu +%zu", e.items[0].pos, e.items[0].len);
  copydesk_edits_free(&e);
}

/* Letters beyond ASCII fold too; a paragraph of several lines is one paragraph. */
static void test_unicode_and_lines(void) {
  copydesk_edits e = EXPECT("\xC3\x89T\xC3\x89 \xC3\x80 PARIS, la f\xC3\xAAte continue\n\n"
                            "\xC3\xA9t\xC3\xA9 \xC3\xA0 Paris: la f\xC3\xAAte continue!\n", 0,
                            "\xC3\x89T\xC3\x89 \xC3\x80 PARIS, la f\xC3\xAAte continue\n", 1);
  copydesk_edits_free(&e);
  e = EXPECT("Line one of the paragraph\nand its second line.\n\nOther.\n\n"
             "Line one of the paragraph and its second line.\n", 0,
             "Line one of the paragraph\nand its second line.\n\nOther.\n", 1);
  copydesk_edits_free(&e);
}

/* Short paragraphs repeat in speech; different text never goes; min_len sets the limit. */
static void test_kept(void) {
  copydesk_edits e = EXPECT("Yes.\n\nNo.\n\nYes.\n\nNo.\n", 0, "Yes.\n\nNo.\n\nYes.\n\nNo.\n", 0);
  copydesk_edits_free(&e);
  e = EXPECT("Yes.\n\nNo.\n\nYes.\n", 3, "Yes.\n\nNo.\n", 1);
  copydesk_edits_free(&e);
  e = EXPECT("The ferry left the harbour at dawn.\n\nThe ferry left the harbour at dusk.\n", 0,
             "The ferry left the harbour at dawn.\n\nThe ferry left the harbour at dusk.\n", 0);
  copydesk_edits_free(&e);
  e = EXPECT("", 0, "", 0);
  copydesk_edits_free(&e);
  e = EXPECT("Only one paragraph here, repeated nowhere.", 0,
             "Only one paragraph here, repeated nowhere.", 0);
  copydesk_edits_free(&e);
  e = EXPECT("\n\n  \n", 0, "\n\n  \n", 0);
  copydesk_edits_free(&e);
}

/* A repeat at the end takes the blank line before it, so the text ends as it did. */
static void test_layout(void) {
  copydesk_edits e = EXPECT("A paragraph long enough to count.\n\nB.\n\n"
                            "A paragraph long enough to count.\n", 0,
                            "A paragraph long enough to count.\n\nB.\n", 1);
  copydesk_edits_free(&e);
  e = EXPECT("A paragraph long enough to count.\n\nA paragraph long enough to count.", 0,
             "A paragraph long enough to count.\n", 1);
  copydesk_edits_free(&e);
  e = EXPECT("A paragraph long enough to count.\n\nA paragraph long enough to count.\n\n"
             "A paragraph long enough to count.\n\nEnd.\n", 0,
             "A paragraph long enough to count.\n\nEnd.\n", 2);
  copydesk_edits_free(&e);
  e = EXPECT("x\0y paragraph with a zero byte in it\n\nx\0y paragraph with a zero byte in it\n",
             0, "x\0y paragraph with a zero byte in it\n", 1);
  copydesk_edits_free(&e);
}

/* The fixture: the expected text, byte for byte. */
static void test_fixture(void) {
  size_t len, wlen;
  char *s = check_slurp("tests/fixtures/clean/repeats_article.txt", &len);
  char *want = check_slurp("tests/fixtures/clean/repeats_article.expect.txt", &wlen);
  copydesk_edits e = expect(s, len, 0, want, wlen, 3, __LINE__);
  copydesk_edits_free(&e);
  free(s);
  free(want);
}

static void test_errors(void) {
  copydesk_buf out;
  copydesk_edits e = {0};
  copydesk_err err = check_err();
  copydesk_buf_init(&out, NULL);
  check(copydesk_clean_repeats(S("x"), NULL, NULL, &e, &err) == COPYDESK_ERR_INVALID, "NULL out");
  check(err.code == COPYDESK_ERR_INVALID && err.pos == 0 && err.line == 0 && err.col == 0,
        "err fields");
  check(copydesk_clean_repeats(NULL, 1, NULL, &out, &e, &err) == COPYDESK_ERR_INVALID, "NULL s");
  check(copydesk_clean_repeats(NULL, 0, NULL, &out, NULL, NULL) == COPYDESK_OK && out.len == 0,
        "empty");
  copydesk_buf_free(&out);
}

/* Fails the 1st, 2nd, ... allocation until the call succeeds: ERR_NOMEM, nothing written,
** nothing leaked. */
static void test_nomem(void) {
  size_t len;
  char *s = check_slurp("tests/fixtures/clean/repeats_article.txt", &len);
  long k;
  int done = 0;
  for (k = 0; k < 100 && !done; k++) {
    check_failing f = {k, 0};
    copydesk_alloc alc = check_failing_alloc(&f);
    copydesk_buf out;
    copydesk_edits e = {0};
    copydesk_err err = check_err();
    copydesk_code rc;
    copydesk_buf_init(&out, &alc);
    e.alc = &alc;
    rc = copydesk_clean_repeats(s, len, NULL, &out, &e, &err);
    if (rc == COPYDESK_OK) done = 1;
    else
      check(rc == COPYDESK_ERR_NOMEM && err.code == rc && out.len == 0 && e.n == 0,
            "fail %ld: code %d", k, rc);
    copydesk_buf_free(&out);
    copydesk_edits_free(&e);
    check(f.live == 0, "fail %ld: %ld blocks leaked", k, f.live);
  }
  check(done && k > 1, "never succeeded or never allocated (%ld)", k);
  free(s);
}

int main(void) {
  test_exact_and_near();
  test_unicode_and_lines();
  test_kept();
  test_layout();
  test_fixture();
  test_errors();
  test_nomem();
  return check_done("test_repeats");
}
