/* test_glue.c: copydesk_clean_glue: seams of glued paragraphs split, the traps left whole. */
#include "check.h"

#define S(lit) lit, sizeof lit - 1

/* Runs the step on exact-size heap copies of s and body; checks the output, that each edit is
** an insertion at a position where the output holds the separator (so the output is the input
** with the separators put in), and that a second run changes nothing. Returns the edits. */
static copydesk_edits glue(const char *s, size_t len, const char *body, size_t blen,
                           unsigned flags, const char *want, int line) {
  const char *sep = flags & COPYDESK_GLUE_SENTENCES ? " " : "\n\n";
  size_t sl = strlen(sep), i, at = 0, o = 0;
  copydesk_buf out, again;
  copydesk_edits e = {0}, e2 = {0};
  copydesk_err err = check_err();
  char *in = check_dup(s, len), *b = body ? check_dup(body, blen) : NULL;
  int same = 1;
  copydesk_buf_init(&out, NULL);
  copydesk_buf_init(&again, NULL);
  check(copydesk_clean_glue(in, len, b, blen, flags, &out, &e, &err) == COPYDESK_OK, "line %d",
        line);
  check(err.code == COPYDESK_OK, "line %d: err not cleared", line);
  check(out.len == strlen(want) && memcmp(out.data ? out.data : "", want, out.len) == 0,
        "line %d: got\n[%.*s]\nexpected\n[%s]", line, (int)out.len, out.data ? out.data : "",
        want);
  for (i = 0; i < e.n && same; i++) {
    size_t p = e.items[i].pos;
    same = p >= at && p <= len && e.items[i].len == 0 && e.items[i].reason == COPYDESK_REASON_GLUE &&
           o + (p - at) + sl <= out.len && memcmp(out.data + o, s + at, p - at) == 0 &&
           memcmp(out.data + o + (p - at), sep, sl) == 0;
    o += p - at + sl;
    at = p;
  }
  check(same && o + (len - at) == out.len, "line %d: edits do not explain the output", line);
  check(copydesk_clean_glue(out.data ? out.data : "", out.len, b, blen, flags, &again, &e2,
                            NULL) == COPYDESK_OK && again.len == out.len && e2.n == 0,
        "line %d: not idempotent: [%s]", line, again.data ? again.data : "");
  copydesk_buf_free(&out);
  copydesk_buf_free(&again);
  copydesk_edits_free(&e2);
  free(in);
  free(b);
  return e;
}

static void split(const char *s, const char *body, unsigned flags, const char *want,
                  size_t nseams, int line) {
  copydesk_edits e = glue(s, strlen(s), body, body ? strlen(body) : 0, flags, want, line);
  check(e.n == nseams, "line %d: %zu seams, expected %zu", line, e.n, nseams);
  copydesk_edits_free(&e);
}

#define SPLIT(s, want, n) split(s, NULL, 0, want, n, __LINE__)
#define WHOLE(s) split(s, NULL, 0, s, 0, __LINE__)

static void test_punctuated(void) {
  SPLIT("the film franchise.And Tom Cruise", "the film franchise.\n\nAnd Tom Cruise", 1);
  SPLIT("Who knew?The crowd did!Then it rained.", "Who knew?\n\nThe crowd did!\n\nThen it rained.",
        2);
  SPLIT("he said it was over.'He left.", "he said it was over.'\n\nHe left.", 1);
  SPLIT("it was over.\xE2\x80\x9DThe end", "it was over.\xE2\x80\x9D\n\nThe end", 1);
  SPLIT("It opened in 2020.The year after", "It opened in 2020.\n\nThe year after", 1);
  SPLIT("It was the first.I was there.", "It was the first.\n\nI was there.", 1);
  SPLIT("la f\xC3\xAAte continue.\xC3\x89lise arrive", /* beyond ASCII */
        "la f\xC3\xAAte continue.\n\n\xC3\x89lise arrive", 1);
  split("the film franchise.And Tom", NULL, COPYDESK_GLUE_SENTENCES, "the film franchise. And Tom",
        1, __LINE__);
}

static void test_unpunctuated(void) {
  SPLIT("AdvertisementHe has been busy", "Advertisement\n\nHe has been busy", 1);
  SPLIT("its first crossing on SundayThe crossing took", "its first crossing on Sunday\n\n"
        "The crossing took", 1);
  SPLIT("on MondayBut nobody came", "on Monday\n\nBut nobody came", 1);
  WHOLE("in Rome on MondayTom looked sombre"); /* a name: only a body can tell */
}

/* The traps: names, brands, initials, abbreviations, URLs, addresses, decimals, code. */
static void test_traps(void) {
  WHOLE("director Christopher McQuarrie said");
  WHOLE("sales of the iPhone rose; eBay and YouTube fell; JavaScript and PowerPoint too");
  WHOLE("McDonald's and MacDonald met DeVito and LeBron");
  WHOLE("YouTubeThe channel"); /* capital inside the word before */
  WHOLE("the U.S.Army and the U.K.Government");
  WHOLE("Node.js.Then it broke");
  WHOLE("He met Mr.Smith and Dr.Jones at St.Paul's");
  WHOLE("written by J.K.Rowling and e.g.The Times");
  WHOLE("see www.Example.com or https://example.com/News.Today or mail anna.b@Example.Com");
  WHOLE("a path like docs/Readme.Txt");
  WHOLE("it rose 3.5 per cent to 1.25 million");
  WHOLE("a BMW.It was fast"); /* upper case before the stop: only a body can tell */
  WHOLE("Wow!!");
  WHOLE("");
}

static const char body[] =
  "He has been busy filming scenes for the latest film.\n\n"
  "Advertisement\n\n"
  "Drama: Tom proved the drama had been ramped up in Rome on Monday\n\n"
  "Tom looked sombre as he held onto Hayley's arm.\n\n"
  "They sped through the streets in a BMW. It was recently claimed that he was exempt.\n";

/* With a body, a seam is where its lines and sentences meet. */
static void test_body(void) {
  split("AdvertisementHe has been busy filming scenes.Drama: Tom proved it in Rome on "
        "MondayTom looked sombre as he held on.They sped through the streets in a BMW.It was "
        "recently claimed",
        body, 0,
        "Advertisement\n\nHe has been busy filming scenes.\n\nDrama: Tom proved it in Rome on "
        "Monday\n\nTom looked sombre as he held on.\n\nThey sped through the streets in a "
        "BMW.\n\nIt was recently claimed",
        5, __LINE__);
  split("with director Christopher McQuarrie between takes", body, 0,
        "with director Christopher McQuarrie between takes", 0, __LINE__);
  split("on FridayTom looked sombre", body, 0, "on FridayTom looked sombre", 0, __LINE__);
}

/* The fixture: a glued description beside its body. */
static void test_fixture(void) {
  size_t len, blen, wlen;
  char *s = check_slurp("tests/fixtures/clean/glue_description.txt", &len);
  char *b = check_slurp("tests/fixtures/clean/glue_body.txt", &blen);
  char *want = check_slurp("tests/fixtures/clean/glue_description.expect.txt", &wlen);
  copydesk_edits e = glue(s, len, b, blen, 0, want, __LINE__);
  check(e.n == 7, "fixture: %zu seams", e.n);
  copydesk_edits_free(&e);
  free(s);
  free(b);
  free(want);
}

static void test_errors(void) {
  copydesk_buf out;
  copydesk_err err = check_err();
  copydesk_buf_init(&out, NULL);
  check(copydesk_clean_glue(S("a.B"), NULL, 0, 2u, &out, NULL, &err) == COPYDESK_ERR_INVALID &&
        strcmp(err.msg, "unknown glue flag") == 0 && err.pos == 0 && err.line == 0, "bad flag");
  err = check_err();
  check(copydesk_clean_glue(S("a.B"), NULL, 3, 0, &out, NULL, &err) == COPYDESK_ERR_INVALID &&
        err.line == 0, "NULL body with a length");
  check(copydesk_clean_glue(S("a.B"), NULL, 0, 0, NULL, NULL, &err) == COPYDESK_ERR_INVALID,
        "NULL out");
  check(copydesk_clean_glue(NULL, 2, NULL, 0, 0, &out, NULL, &err) == COPYDESK_ERR_INVALID,
        "NULL s");
  check(out.len == 0, "nothing written");
  copydesk_buf_free(&out);
}

static void test_nomem(void) {
  long k;
  int done = 0;
  static const char s[] = "AdvertisementHe has been busy filming scenes.Drama: Tom proved it "
                          "in Rome on MondayTom looked sombre as he held on.";
  for (k = 0; k < 100 && !done; k++) {
    check_failing f = {k, 0};
    copydesk_alloc alc = check_failing_alloc(&f);
    copydesk_buf out;
    copydesk_edits e = {0};
    copydesk_err err = check_err();
    copydesk_code rc;
    copydesk_buf_init(&out, &alc);
    e.alc = &alc;
    rc = copydesk_clean_glue(S(s), S(body), 0, &out, &e, &err);
    if (rc == COPYDESK_OK) done = 1;
    else
      check(rc == COPYDESK_ERR_NOMEM && err.code == rc && out.len == 0 && e.n == 0,
            "fail %ld: code %d", k, rc);
    copydesk_buf_free(&out);
    copydesk_edits_free(&e);
    check(f.live == 0, "fail %ld: %ld blocks leaked", k, f.live);
  }
  check(done && k > 1, "never succeeded or never allocated (%ld)", k);
}

int main(void) {
  test_punctuated();
  test_unpunctuated();
  test_traps();
  test_body();
  test_fixture();
  test_errors();
  test_nomem();
  return check_done("test_glue");
}
