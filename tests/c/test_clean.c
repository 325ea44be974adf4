/* test_clean.c: copydesk_clean_space, copydesk_clean_boilerplate, copydesk_clean_captions, the
** edit list and reason names. (Repeats, glue and metadata values: test_repeats.c, test_glue.c,
** test_meta.c.) */
#include "check.h"

#define S(lit) lit, sizeof lit - 1

typedef copydesk_code (*step_fn)(const char *s, size_t len, unsigned flags, copydesk_buf *out,
                                 copydesk_edits *edits, copydesk_err *err);

/* The three steps behind one signature, so the shared checks run over each. */
static copydesk_code step_space(const char *s, size_t len, unsigned flags, copydesk_buf *out,
                                copydesk_edits *edits, copydesk_err *err) {
  (void)flags;
  (void)edits;
  return copydesk_clean_space(s, len, out, err);
}

static copydesk_code step_boilerplate(const char *s, size_t len, unsigned flags,
                                      copydesk_buf *out, copydesk_edits *edits,
                                      copydesk_err *err) {
  return copydesk_clean_boilerplate(s, len, flags, NULL, out, edits, err);
}

static copydesk_code step_captions(const char *s, size_t len, unsigned flags, copydesk_buf *out,
                                   copydesk_edits *edits, copydesk_err *err) {
  return copydesk_clean_captions(s, len, flags, out, edits, err);
}

/* Runs a step on an exact-size heap copy of s (so ASan sees a read past len); the output and
** edits are left in *out and *edits, which the caller frees. */
static copydesk_code run(step_fn fn, const char *s, size_t len, unsigned flags, copydesk_buf *out,
                         copydesk_edits *edits) {
  char *in = check_dup(s, len);
  copydesk_err err = check_err();
  copydesk_code rc;
  copydesk_buf_init(out, NULL);
  rc = fn(in, len, flags, out, edits, &err);
  if (rc == COPYDESK_OK) check(err.code == COPYDESK_OK && err.pos == 0, "err not cleared");
  free(in);
  return rc;
}

/* The edits are in order, disjoint, inside the input, and the input without them is the
** output: so s + pos, len is exactly the text each one removed. */
static void check_edits_explain(const char *s, size_t len, const copydesk_buf *out,
                                const copydesk_edits *e) {
  size_t i, at = 0, o = 0;
  int same = 1;
  for (i = 0; i < e->n; i++) {
    const copydesk_edit *d = &e->items[i];
    check(d->pos >= at && d->pos <= len && d->len <= len - d->pos && d->len > 0,
          "edit %zu [%zu, +%zu) out of order or range", i, d->pos, d->len);
    if (d->pos < at || d->pos > len) return;
    same = same && o + (d->pos - at) <= out->len &&
           (d->pos == at || memcmp(out->data + o, s + at, d->pos - at) == 0);
    o += d->pos - at;
    at = d->pos + d->len;
  }
  same = same && o + (len - at) == out->len &&
         (len == at || memcmp(out->data + o, s + at, len - at) == 0);
  check(same, "output is not the input minus the edits");
}

/* Checks that edit i removed exactly `text` for `reason`. */
static void check_edit(const char *s, const copydesk_edits *e, size_t i, const char *text,
                       copydesk_reason reason) {
  size_t n = strlen(text);
  check(i < e->n, "edit %zu missing (have %zu)", i, e->n);
  if (i >= e->n) return;
  check(e->items[i].len == n && memcmp(s + e->items[i].pos, text, n) == 0,
        "edit %zu removed '%.*s', expected '%s'", i, (int)e->items[i].len, s + e->items[i].pos,
        text);
  check(e->items[i].reason == reason, "edit %zu reason %s, expected %s", i,
        copydesk_reason_name(e->items[i].reason), copydesk_reason_name(reason));
}

/* Runs a step and compares output and number of edits; checks the edits explain the output and
** that a second run changes nothing. Returns the edits for more checks (caller frees). */
static copydesk_edits expect(step_fn fn, const char *s, size_t len, unsigned flags,
                             const char *want, size_t wl, size_t want_edits, int line) {
  copydesk_buf out, again;
  copydesk_edits e = {0}, e2 = {0};
  copydesk_code rc = run(fn, s, len, flags, &out, &e);
  check(rc == COPYDESK_OK, "line %d: code %d", line, rc);
  check(out.len == wl && (wl == 0 || memcmp(out.data, want, wl) == 0),
        "line %d: got\n[%.*s]\nexpected\n[%s]", line, (int)out.len, out.data ? out.data : "",
        want);
  check(e.n == want_edits, "line %d: %zu edits, expected %zu", line, e.n, want_edits);
  if (fn != step_space) check_edits_explain(s, len, &out, &e);
  rc = run(fn, out.data ? out.data : "", out.len, flags, &again, &e2);
  check(rc == COPYDESK_OK && again.len == out.len &&
        (out.len == 0 || memcmp(again.data, out.data, out.len) == 0) && e2.n == 0,
        "line %d: not idempotent: [%.*s]", line, (int)again.len, again.data ? again.data : "");
  copydesk_buf_free(&out);
  copydesk_buf_free(&again);
  copydesk_edits_free(&e2);
  return e;
}

#define EXPECT(fn, in, flags, want, nedits) expect(fn, S(in), flags, S(want), nedits, __LINE__)

/* Expects the input back unchanged, no edits. */
static void kept(step_fn fn, const char *s, unsigned flags, int line) {
  copydesk_edits e = expect(fn, s, strlen(s), flags, s, strlen(s), 0, line);
  copydesk_edits_free(&e);
}

#define KEPT(fn, in) kept(fn, in, 0, __LINE__)

/* ------------------------------------------------------------------------------------------ */

static void test_reason_names(void) {
  copydesk_edits e = {0};
  check(strcmp(copydesk_reason_name(COPYDESK_REASON_BOILERPLATE), "boilerplate") == 0, "name");
  check(strcmp(copydesk_reason_name(COPYDESK_REASON_CAPTION), "caption") == 0, "name");
  check(strcmp(copydesk_reason_name(COPYDESK_REASON_CAPTION_REPEAT), "caption-repeat") == 0,
        "name");
  check(strcmp(copydesk_reason_name(COPYDESK_REASON_REPEAT), "repeat") == 0, "name");
  check(strcmp(copydesk_reason_name(COPYDESK_REASON_GLUE), "glue") == 0, "name");
  check(strcmp(copydesk_reason_name((copydesk_reason)0), "unknown") == 0, "name 0");
  check(strcmp(copydesk_reason_name(COPYDESK_REASON_COUNT_), "unknown") == 0, "name count");
  check(strcmp(copydesk_reason_name((copydesk_reason)999), "unknown") == 0, "name 999");
  copydesk_edits_free(NULL);
  copydesk_edits_free(&e); /* zero-initialised is valid and empty */
  check(e.items == NULL && e.n == 0 && e.cap == 0, "free of empty list");
}

/* ------------------------------------------------------------------------------------------ */
/* copydesk_clean_space                                                                        */

static void test_space_cases(void) {
  copydesk_edits e;
  struct { const char *in, *want; } cases[] = {
    {"", ""},
    {"   \t \n\n  \n", ""},
    {"\xC2\xA0\xE3\x80\x80\n", ""},
    {"one", "one\n"},
    {"one\n", "one\n"},
    {"one\n\n\n", "one\n"},
    {"\n\n  one  \n", "one\n"},
    {"a  b\t\tc \xC2\xA0 d", "a b c d\n"},
    {"a\xE3\x80\x80" "b\xE2\x80\x8A" "c\xE2\x80\xAF" "d\xE2\x81\x9F" "e\xE1\x9A\x80" "f\v\fg",
     "a b c d e f g\n"},
    {"p one\n\n\n\n p two \n \t\n\xC2\xA0\n p three", "p one\n\np two\n\np three\n"},
    {"line one\nline two\n", "line one\nline two\n"},
    {"caf\xC3\xA9  cr\xC3\xA8me\n", "caf\xC3\xA9 cr\xC3\xA8me\n"},
    {"zero\xE2\x80\x8Bwidth", "zero\xE2\x80\x8Bwidth\n"}, /* U+200B is not a space */
    {"CRLF\r\n\r\nkept\r\n", "CRLF\r\n\r\nkept\r\n"},     /* \r is content: fix runs first */
  };
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    e = expect(step_space, cases[i].in, strlen(cases[i].in), 0, cases[i].want,
               strlen(cases[i].want), 0, (int)i);
    copydesk_edits_free(&e);
  }
}

/* Zero bytes are content, kept where they stand. */
static void test_space_zero_bytes(void) {
  copydesk_buf out;
  copydesk_edits e = {0};
  const char want[] = "a\0b \0\n\n\0\n";
  check(run(step_space, S("a\0b  \0\n\n\n\0"), 0, &out, &e) == COPYDESK_OK, "zero bytes");
  check(out.len == sizeof want - 1 && memcmp(out.data, want, out.len) == 0, "zero bytes kept");
  copydesk_buf_free(&out);
}

/* Appends to what the buffer holds; empty input allocates nothing. */
static void test_space_appends(void) {
  copydesk_buf out;
  copydesk_err err = check_err();
  copydesk_buf_init(&out, NULL);
  check(copydesk_clean_space("", 0, &out, &err) == COPYDESK_OK && out.data == NULL, "empty");
  check(err.code == COPYDESK_OK && err.line == 0, "empty err");
  check(copydesk_clean_space(NULL, 0, &out, NULL) == COPYDESK_OK, "NULL, 0");
  check(copydesk_buf_append(&out, S("X|")) == COPYDESK_OK, "append");
  check(copydesk_clean_space(S("  a  b "), &out, NULL) == COPYDESK_OK, "append ok");
  check(out.len == 6 && strcmp(out.data, "X|a b\n") == 0, "appended: %s", out.data);
  copydesk_buf_free(&out);
}

static void expect_utf8_error(const char *s, size_t len, size_t pos, size_t line, size_t col) {
  copydesk_buf out;
  copydesk_err err = check_err();
  char *in = check_dup(s, len);
  copydesk_code rc;
  copydesk_buf_init(&out, NULL);
  check(copydesk_buf_append(&out, S("keep")) == COPYDESK_OK, "append");
  rc = copydesk_clean_space(in, len, &out, &err);
  check(rc == COPYDESK_ERR_UTF8 && err.code == COPYDESK_ERR_UTF8, "code %d", rc);
  check(err.pos == pos && err.line == line && err.col == col, "pos %zu line %zu col %zu", err.pos,
        err.line, err.col);
  check(err.msg && err.msg[0] && err.context && strcmp(err.context, "clean_space") == 0, "msg");
  check(out.len == 4 && strcmp(out.data, "keep") == 0, "output kept on error: %s", out.data);
  free(in);
  copydesk_buf_free(&out);
}

static void test_space_errors(void) {
  copydesk_buf out;
  copydesk_err err = check_err();
  expect_utf8_error(S("ab\n  \xFF"), 5, 2, 3);              /* "ab\n  ^" */
  expect_utf8_error(S("one two\xE2\x80"), 7, 1, 8);          /* "one two^": cut short */
  expect_utf8_error(S("x\n\ny \xED\xA0\x80 z"), 5, 3, 3);    /* "x\n\ny ^": surrogate */
  expect_utf8_error(S("\xC0\xAF"), 0, 1, 1);                   /* "^": overlong */
  check(copydesk_clean_space(S("x"), NULL, &err) == COPYDESK_ERR_INVALID, "NULL out");
  check(err.code == COPYDESK_ERR_INVALID && err.pos == 0 && err.line == 0 && err.col == 0,
        "NULL out err");
  copydesk_buf_init(&out, NULL);
  err = check_err();
  check(copydesk_clean_space(NULL, 3, &out, &err) == COPYDESK_ERR_INVALID, "NULL s");
  check(err.code == COPYDESK_ERR_INVALID && err.pos == 0 && err.line == 0 && err.col == 0,
        "NULL s err");
  copydesk_buf_free(&out);
}

/* A small seeded generator over spaces, newlines and letters: the output is valid UTF-8, has
** no leading, trailing or doubled space on a line, no tab or NBSP, single blank lines, one final
** newline, and comes back unchanged from a second pass. */
static void test_space_properties(void) {
  static const char *const atoms[] = {" ", "\t", "\n", "\n\n", "\xC2\xA0", "\xE3\x80\x80",
                                      "\xE2\x80\x83", "a", "b", "\xC3\xA9", "z", "."};
  unsigned long seed = 12345;
  int round;
  for (round = 0; round < 500; round++) {
    char in[256];
    size_t len = 0, i, k, n = (seed >> 8) % 40;
    copydesk_buf out;
    copydesk_edits e = {0};
    int ok = 1;
    for (k = 0; k < n; k++) {
      const char *a;
      seed = seed * 6364136223846793005u + 1442695040888963407u;
      a = atoms[(seed >> 33) % (sizeof atoms / sizeof atoms[0])];
      memcpy(in + len, a, strlen(a));
      len += strlen(a);
    }
    check(run(step_space, in, len, 0, &out, &e) == COPYDESK_OK, "seed round %d", round);
    if (out.len > 0) { /* idempotent: the output comes back unchanged */
      copydesk_edits e2 = expect(step_space, out.data, out.len, 0, out.data, out.len, 0, round);
      copydesk_edits_free(&e2);
    }
    for (i = 0; i < out.len; i++) {
      char c = out.data[i], prev = i ? out.data[i - 1] : '\n';
      if (c == ' ' && (prev == ' ' || prev == '\n')) ok = 0;
      if (c == '\n' && prev == ' ') ok = 0;
      if (c == '\t' || (c == '\xA0' && prev == '\xC2')) ok = 0;
      if (c == '\n' && i >= 2 && prev == '\n' && out.data[i - 2] == '\n') ok = 0;
    }
    if (out.len > 0) ok = ok && out.data[out.len - 1] == '\n' && out.data[0] != '\n' &&
                           !(out.len >= 2 && out.data[out.len - 2] == '\n');
    check(ok && copydesk_utf8_valid(out.data ? out.data : "", out.len, NULL),
          "seed 12345, round %d: bad output [%.*s]", round, (int)out.len,
          out.data ? out.data : "");
    copydesk_buf_free(&out);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* copydesk_clean_boilerplate                                                                  */

static void test_boilerplate_lines(void) {
  static const char *const furniture[] = {
    "Advertisement", "ADVERTISEMENT", "advertisements", "  Advertisement:  ", "Advertisement\t.",
    "Sponsored", "Sponsored content", "Scroll down for video", "SCROLL DOWN FOR VIDEO!",
    "Share this article", "Share\t this\xC2\xA0" "article", "Share", "RELATED ARTICLES",
    "Read more", "Read more \xC2\xBB", "Read more...", "Continue reading\xE2\x80\xA6",
    "Continue reading \xE2\x86\x92", "Story continues below", "Click here to subscribe",
    "Sign up for our newsletter!", "Subscribe to our newsletter", "Publicidad", "Anuncio",
    "Anzeige", "Werbung", "Publicit\xC3\xA9", "Pubblicit\xC3\xA0", "Reclame", "Advertentie",
    "Reklama", "\xE3\x80\x80" "Advertisement \xE2\x80\x94",
    /* upper case beyond ASCII, other languages, sign-up prompts, photo credits */
    "PUBLICIT\xC3\x89", "\xD0\xA0\xD0\x95\xD0\x9A\xD0\x9B\xD0\x90\xD0\x9C\xD0\x90", "Lesen Sie auch:",
    "Lire aussi", "Leia mais", "Sign up for our daily politics newsletter",
    "Subscribe to our YouTube channel", "Already a subscriber? Log in", "(Photo: AP)",
    "Photo: Reuters", "Picture: Getty Images", "Credit: John Smith/PA Wire",
    "Image credit: NASA", "\xC2\xA9 2021 Harbour News. All rights reserved.",
    "Copyright 2020 The Associated Press. All rights reserved", "[Photo: supplied]",
  };
  size_t i;
  for (i = 0; i < sizeof furniture / sizeof furniture[0]; i++) {
    char in[160], removed[80];
    copydesk_edits e;
    snprintf(in, sizeof in, "Para one.\n\n%s\n\nPara two.\n", furniture[i]);
    snprintf(removed, sizeof removed, "%s\n", furniture[i]);
    e = expect(step_boilerplate, in, strlen(in), 0, S("Para one.\n\n\nPara two.\n"), 1, (int)i);
    check_edit(in, &e, 0, removed, COPYDESK_REASON_BOILERPLATE);
    check(e.items && e.items[0].pos == 11, "pos %zu", e.items ? e.items[0].pos : 0);
    copydesk_edits_free(&e);
  }
}

static void test_boilerplate_prose_kept(void) {
  KEPT(step_boilerplate, "Advertisement for the new film was shown.\n");
  KEPT(step_boilerplate, "The Advertisement\n");
  KEPT(step_boilerplate, "Advertisement is everywhere in the station.\n");
  KEPT(step_boilerplate, "Read more books this summer\n\nShare the load\n");
  KEPT(step_boilerplate, "Share this article with friends, she said.\n");
  KEPT(step_boilerplate, "- Advertisement\n# Advertisement\n'Advertisement'\n");
  KEPT(step_boilerplate, "AdvertisementHe has been busy filming.\n");
  KEPT(step_boilerplate, "Photo opportunities abounded as the crowd grew.\n");
  KEPT(step_boilerplate, "Credit card fees rose: banks blamed the regulator.\n");
  KEPT(step_boilerplate, "Subscribers to the service will pay more from June.\n");
  KEPT(step_boilerplate, "She said a copyright claim had been filed against the film and that the studio "
                         "would answer it in court next month.\n"); /* longer than a line of furniture */
  KEPT(step_boilerplate, "...\n\n   \n");
  KEPT(step_boilerplate, "CRLF stays\r\nAdvertisement\r\n"); /* \r is not trimmed: fix ran first */
  KEPT(step_boilerplate, "");
}

static void test_boilerplate_edges(void) {
  const char in[] = "Advertisement\nFirst line.\nShare\nSecond line.\nAdvertisement";
  copydesk_edits e = EXPECT(step_boilerplate, "Advertisement\nFirst line.\nShare\nSecond line.\n"
                                              "Advertisement",
                            0, "First line.\nSecond line.\n", 3);
  check_edit(in, &e, 0, "Advertisement\n", COPYDESK_REASON_BOILERPLATE);
  check_edit(in, &e, 1, "Share\n", COPYDESK_REASON_BOILERPLATE);
  check_edit(in, &e, 2, "Advertisement", COPYDESK_REASON_BOILERPLATE); /* no newline at the end */
  check(e.items[2].pos == sizeof in - 1 - 13, "last pos %zu", e.items[2].pos);
  copydesk_edits_free(&e);
  e = EXPECT(step_boilerplate, "Advertisement\n\nAdvertisement\n", 0, "\n", 2);
  copydesk_edits_free(&e);
  e = EXPECT(step_boilerplate, "x\0y\nAnzeige\n\0\n", 0, "x\0y\n\0\n", 1); /* zero is data */
  copydesk_edits_free(&e);
}

/* Edits are optional, err too; a list that already holds edits is appended to. */
static void test_boilerplate_optional(void) {
  copydesk_buf out;
  copydesk_edits e = {0};
  copydesk_err err = check_err();
  copydesk_buf_init(&out, NULL);
  check(copydesk_clean_boilerplate(S("a\nShare\nb\n"), 0, NULL, &out, NULL, NULL) == COPYDESK_OK,
        "no edits");
  check(out.len == 4 && strcmp(out.data, "a\nb\n") == 0, "out %s", out.data);
  check(copydesk_clean_boilerplate(S("Share\n"), 0, NULL, &out, &e, &err) == COPYDESK_OK, "first");
  check(copydesk_clean_boilerplate(S("c\nWerbung\n"), 0, NULL, &out, &e, &err) == COPYDESK_OK, "second");
  check(e.n == 2 && e.items[1].pos == 2 && e.items[1].len == 8, "appended edits");
  check(out.len == 6 && strcmp(out.data, "a\nb\nc\n") == 0, "out %s", out.data);
  check(copydesk_clean_boilerplate(S("x"), 0, NULL, NULL, &e, &err) == COPYDESK_ERR_INVALID, "NULL out");
  check(err.code == COPYDESK_ERR_INVALID && err.pos == 0 && err.line == 0 && err.col == 0,
        "NULL out err");
  copydesk_buf_free(&out);
  copydesk_edits_free(&e);
}

/* A caller's patterns: comments and empty lines skipped, each line normalised as lines are,
** '*' a wildcard; NO_BUILTIN leaves the built-in list out. */
static void test_boilerplate_patterns(void) {
  static const char pats[] = "# site furniture of example.com\n\n  MORE FROM   Harbour News:\n"
                             "*on   THE harbour*\nnot this line";
  const char in[] = "Advertisement\nMore from harbour news\nBoats on the harbour at dawn\n"
                    "Tides on the harbour\nnot this line\nKept.\n";
  copydesk_boilerplate_opts o = {pats, sizeof pats - 1};
  copydesk_buf out;
  copydesk_edits e = {0};
  copydesk_err err = check_err();
  char *copy = check_dup(in, sizeof in - 1);
  copydesk_buf_init(&out, NULL);
  check(copydesk_clean_boilerplate(copy, sizeof in - 1, 0, &o, &out, &e, &err) == COPYDESK_OK,
        "patterns");
  check(strcmp(out.data, "Kept.\n") == 0, "got [%s]", out.data);
  check(e.n == 5, "%zu edits", e.n);
  copydesk_buf_clear(&out);
  copydesk_edits_free(&e);
  check(copydesk_clean_boilerplate(copy, sizeof in - 1, COPYDESK_BOILERPLATE_NO_BUILTIN, &o, &out,
                                   &e, &err) == COPYDESK_OK, "no builtin");
  check(strcmp(out.data, "Advertisement\nKept.\n") == 0, "got [%s]", out.data);
  check_edit(in, &e, 0, "More from harbour news\n", COPYDESK_REASON_BOILERPLATE);
  copydesk_buf_clear(&out);
  check(copydesk_clean_boilerplate(copy, sizeof in - 1, COPYDESK_BOILERPLATE_NO_BUILTIN, NULL,
                                   &out, NULL, NULL) == COPYDESK_OK, "nothing to match");
  check(out.len == sizeof in - 1, "all kept");
  err = check_err();
  check(copydesk_clean_boilerplate(copy, sizeof in - 1, 4u, NULL, &out, NULL, &err) ==
        COPYDESK_ERR_INVALID && strcmp(err.msg, "unknown boilerplate flag") == 0, "bad flag");
  o.patterns = NULL;
  check(copydesk_clean_boilerplate(copy, sizeof in - 1, 0, &o, &out, NULL, &err) ==
        COPYDESK_ERR_INVALID, "NULL patterns with a length");
  check(copydesk_boilerplate_builtin(0) != NULL &&
        strcmp(copydesk_boilerplate_builtin(0), "advertisement") == 0, "first built-in");
  check(copydesk_boilerplate_builtin(100000) == NULL, "past the end");
  copydesk_buf_free(&out);
  copydesk_edits_free(&e);
  free(copy);
}

/* ------------------------------------------------------------------------------------------ */
/* copydesk_clean_captions                                                                     */

static void test_captions_repeats(void) {
  const char in[] =
    "Tom waved at fans as he left the hotel in Rome.\n"
    "\n"
    "Hey! Tom waved at fans as he left the hotel in Rome\n"
    "\n"
    "And the crew filmed a chase through the old town on Monday.\n"
    "\n"
    "Drama: The crew filmed a chase through the old town on Monday\n"
    "\n"
    "Put your foot down! Tom spun the black car around the square twice\n"
    "\n"
    "He spun the black car around the square twice.\n"
    "\n"
    "Wow! Fans lined the streets to watch the stunts all afternoon\n"
    "\n"
    "The shoot ends next week.\n";
  copydesk_edits e = EXPECT(step_captions,
    "Tom waved at fans as he left the hotel in Rome.\n"
    "\n"
    "Hey! Tom waved at fans as he left the hotel in Rome\n"
    "\n"
    "And the crew filmed a chase through the old town on Monday.\n"
    "\n"
    "Drama: The crew filmed a chase through the old town on Monday\n"
    "\n"
    "Put your foot down! Tom spun the black car around the square twice\n"
    "\n"
    "He spun the black car around the square twice.\n"
    "\n"
    "Wow! Fans lined the streets to watch the stunts all afternoon\n"
    "\n"
    "The shoot ends next week.\n", 0,
    "Tom waved at fans as he left the hotel in Rome.\n"
    "\n"
    "And the crew filmed a chase through the old town on Monday.\n"
    "\n"
    "He spun the black car around the square twice.\n"
    "\n"
    "The shoot ends next week.\n", 4);
  check_edit(in, &e, 0, "Hey! Tom waved at fans as he left the hotel in Rome\n\n",
             COPYDESK_REASON_CAPTION_REPEAT);
  check_edit(in, &e, 1, "Drama: The crew filmed a chase through the old town on Monday\n\n",
             COPYDESK_REASON_CAPTION_REPEAT);
  /* "Tom spun ..." is not in "He spun ...", but seven of its eight words are: a near repeat */
  check_edit(in, &e, 2, "Put your foot down! Tom spun the black car around the square twice\n\n",
             COPYDESK_REASON_CAPTION_REPEAT);
  check_edit(in, &e, 3, "Wow! Fans lined the streets to watch the stunts all afternoon\n\n",
             COPYDESK_REASON_CAPTION);
  copydesk_edits_free(&e);
}

/* A caption that rewords a body paragraph is a near repeat when two thirds of its words and of
** the paragraph's are shared; one that shares less is a caption of its own; a paragraph ending
** like prose is never judged by words alone. */
static void test_captions_near_repeat(void) {
  const char in[] =
    "After production moved to Norway, it was reported that Cruise hired a ship for the crew.\n"
    "\n"
    "Delays: After some of production moved to Norway this summer, it was reported that Cruise "
    "(pictured) hired a ship for the crew\n"
    "\n"
    "Calm: Cruise hired a quiet boat for the weekend after the filming in Norway ended\n"
    "\n"
    "Update: After production moved to Norway, it was reported that the crew hired a ship.\n";
  copydesk_edits e = EXPECT(step_captions, "After production moved to Norway, it was reported that Cruise "
                            "hired a ship for the crew.\n\n"
                            "Update: After production moved to Norway, it was reported that the crew "
                            "hired a ship.\n", 0,
                            "After production moved to Norway, it was reported that Cruise hired a "
                            "ship for the crew.\n\n"
                            "Update: After production moved to Norway, it was reported that the crew "
                            "hired a ship.\n", 0);
  copydesk_edits_free(&e);
  e = expect(step_captions, in, sizeof in - 1, COPYDESK_CAPTION_KEEP_UNIQUE,
             S("After production moved to Norway, it was reported that Cruise hired a ship for the "
               "crew.\n\n"
               "Calm: Cruise hired a quiet boat for the weekend after the filming in Norway ended\n\n"
               "Update: After production moved to Norway, it was reported that the crew hired a "
               "ship.\n"), 1, __LINE__);
  check_edit(in, &e, 0, "Delays: After some of production moved to Norway this summer, it was "
             "reported that Cruise (pictured) hired a ship for the crew\n\n",
             COPYDESK_REASON_CAPTION_REPEAT);
  copydesk_edits_free(&e);
}

static void test_captions_keep_unique(void) {
  copydesk_edits e = EXPECT(step_captions,
    "Tom waved at fans.\n\nHey! Tom waved at fans\n\nWow! Fans lined the streets all day\n",
    COPYDESK_CAPTION_KEEP_UNIQUE,
    "Tom waved at fans.\n\nWow! Fans lined the streets all day\n", 1);
  check(e.items[0].reason == COPYDESK_REASON_CAPTION_REPEAT, "reason");
  copydesk_edits_free(&e);
}

/* What the repeat test compares: case, spaces and final punctuation ignored; containment either
** way when the shorter is at least half the longer; words whole. */
static void test_captions_repeat_rule(void) {
  copydesk_edits e;
  const unsigned keep = COPYDESK_CAPTION_KEEP_UNIQUE;
  e = EXPECT(step_captions, "tom   WAVED at\nfans!!\n\nHey! Tom waved at fans...\n", keep,
             "tom   WAVED at\nfans!!\n", 1);
  copydesk_edits_free(&e);
  /* Unicode case through utf8proc */
  e = EXPECT(step_captions, "\xC3\x89lodie waved at fans.\n\nHey! \xC3\x89LODIE WAVED AT FANS\n",
             keep, "\xC3\x89lodie waved at fans.\n", 1);
  copydesk_edits_free(&e);
  /* the body contains the caption text */
  e = EXPECT(step_captions, "Then Tom waved at the fans.\n\nHey! Tom waved at the fans\n", keep,
             "Then Tom waved at the fans.\n", 1);
  copydesk_edits_free(&e);
  /* the caption text contains the body */
  e = EXPECT(step_captions, "Tom waved at the fans.\n\nHey! Tom waved at the fans in Rome\n", keep,
             "Tom waved at the fans.\n", 1);
  copydesk_edits_free(&e);
  /* a short phrase inside a long paragraph is not a repeat */
  kept(step_captions,
       "After lunch Tom waved at the fans and then drove back to the hotel in a black car.\n\n"
       "Hey! Tom waved at the fans\n", keep, __LINE__);
  /* words are whole: "at the fan" is not in "at the fans" */
  kept(step_captions, "Tom waved at the fans.\n\nHey! Tom waved at the fan\n", keep, __LINE__);
  /* other captions are not bodies */
  kept(step_captions, "Hey! Tom waved at the fans\n\nWow! Tom waved at the fans\n", keep,
       __LINE__);
}

/* A caption-shaped paragraph with a final full stop (or question mark) goes only when it
** repeats. */
static void test_captions_full_stop(void) {
  const char in[] =
    "The crew filmed a chase on Monday.\n\nDrama: The crew filmed a chase on Monday.\n";
  copydesk_edits e = EXPECT(step_captions,
    "The crew filmed a chase on Monday.\n\nDrama: The crew filmed a chase on Monday.\n", 0,
    "The crew filmed a chase on Monday.\n", 1);
  check_edit(in, &e, 0, "\nDrama: The crew filmed a chase on Monday.\n",
             COPYDESK_REASON_CAPTION_REPEAT);
  copydesk_edits_free(&e);
  KEPT(step_captions, "Update: The company said on Monday that it would close.\n");
  KEPT(step_captions, "Mission: Impossible - Fallout was released in 2018.\n");
  KEPT(step_captions, "Note: The minister called it 'a fine result.'\n");
  /* a question reads as prose too: an interview stays */
  KEPT(step_captions, "Q: What was the hardest scene to film?\n\nA: The chase, by far.\n");
  e = EXPECT(step_captions, "Did Tom wave at the fans?\n\nHey! Did Tom wave at the fans?\n", 0,
             "Did Tom wave at the fans?\n", 1);
  check(e.items[0].reason == COPYDESK_REASON_CAPTION_REPEAT, "question repeat");
  copydesk_edits_free(&e);
}

static void test_captions_never(void) {
  /* quoted speech after a colon */
  KEPT(step_captions, "Speaking about his return, he said: \xE2\x80\x98It\xE2\x80\x99s a gorgeous "
                      "country, I can\xE2\x80\x99t wait\xE2\x80\x99\n");
  KEPT(step_captions, "She said: 'We will be back in the spring'\n");
  KEPT(step_captions, "Fans: \"We love you Tom\" was written on the banner\n");
  KEPT(step_captions, "Fans: \xE2\x80\x9CWe love you Tom\xE2\x80\x9D was on the banner\n");
  KEPT(step_captions, "Crowd: \xC2\xAB" "Bravo Tom\xC2\xBB they all shouted loudly\n");
  /* a speech verb ends the label */
  KEPT(step_captions, "He added: The team will ride again in May\n");
  KEPT(step_captions, "The director TOLD: We start at dawn tomorrow morning\n");
  /* label too long: a sentence with a colon in it */
  KEPT(step_captions, "The actors and the crew were told one thing: Nobody leaves the set early\n");
  KEPT(step_captions, "Abcdefghij abcdefghij abcdefghij abcdefghij: Too long a label here\n");
  /* list items and headings */
  KEPT(step_captions, "- Drama: The crew filmed a chase in town\n");
  KEPT(step_captions, "* Drama: The crew filmed a chase in town\n");
  KEPT(step_captions, "1. Drama: The crew filmed a chase in town\n");
  KEPT(step_captions, "12) Drama: The crew filmed a chase in town\n");
  KEPT(step_captions, "# Drama: The Crew Films A Chase\n");
  KEPT(step_captions, "\xE2\x80\xA2 Drama: The crew filmed a chase in town\n");
  /* TEXT shorter than three words */
  KEPT(step_captions, "Wow! Great stuff\n");
  KEPT(step_captions, "Tom: Yes\n");
  /* case: label and text must start upper case */
  KEPT(step_captions, "drama: The crew filmed a chase in town\n");
  KEPT(step_captions, "Drama: the crew filmed a chase in town\n");
  /* no separator, or no space after it, or sentence punctuation in the label */
  KEPT(step_captions, "Drama The crew filmed a chase in town\n");
  KEPT(step_captions, "Drama:The crew filmed a chase in town\n");
  KEPT(step_captions, "Mr. Smith: The crew filmed a chase in town\n");
  KEPT(step_captions, "Wow!! The crew filmed a chase in town\n");
  KEPT(step_captions, ": The crew filmed a chase in town\n");
  /* more than one line */
  KEPT(step_captions, "Drama: The crew filmed\na chase in town\n");
  /* the body word "Advertisement" is no caption either */
  KEPT(step_captions, "Advertisement for the new film was shown.\n");
}

static void test_captions_shapes(void) {
  copydesk_edits e;
  e = EXPECT(step_captions, "\xC3\x89" "clat: Marta celebrates on the podium tonight\n", 0, "", 1);
  copydesk_edits_free(&e);
  e = EXPECT(step_captions, "Drama: \xC3\x89lodie rides through the rain at dawn\n", 0, "", 1);
  copydesk_edits_free(&e);
  e = EXPECT(step_captions, "In good spirits: The crew laughed between the takes\n", 0, "", 1);
  copydesk_edits_free(&e);
  e = EXPECT(step_captions, "Who won? Marta took the stage by two seconds\n", 0, "", 1);
  copydesk_edits_free(&e);
  e = EXPECT(step_captions, "At 10:30: The riders set off from the harbour\n", 0, "", 1);
  copydesk_edits_free(&e);
  e = EXPECT(step_captions, "2020 Tour: 58 riders set off from the harbour\n", 0, "", 1);
  copydesk_edits_free(&e);
  /* five words, 40 bytes at most */
  e = EXPECT(step_captions, "One two three four five: The riders set off\n", 0, "", 1);
  copydesk_edits_free(&e);
  KEPT(step_captions, "One two three four five six: The riders set off\n");
  e = EXPECT(step_captions, "Abcdefghijklmnopqrstuvwxyz abcdefghijklm: The riders set off\n", 0, "",
             1);
  copydesk_edits_free(&e);
  KEPT(step_captions, "Abcdefghijklmnopqrstuvwxyz abcdefghijklmn: The riders set off\n");
  /* surrounding spaces, no final newline, text ending with a question or exclamation */
  e = EXPECT(step_captions, "Body.\n\n  Hey!  Tom waved at the fans   \n", 0, "Body.\n", 1);
  copydesk_edits_free(&e);
  e = EXPECT(step_captions, "Body.\n\nHey! Tom waved at the fans", 0, "Body.\n", 1);
  copydesk_edits_free(&e);
  e = EXPECT(step_captions, "Body.\n\nHey! Tom waved at the fans!\n", 0, "Body.\n", 1);
  copydesk_edits_free(&e);
}

/* Where the blank lines go: one stays between kept paragraphs; none is left at the end. */
static void test_captions_layout(void) {
  const char in[] = "\nA one.\n\n\nHey! Tom waved at fans\n\nB two.\n\nWow! Tom waved at fans\n\n"
                    "Hey! Tom waved at fans\n\n";
  copydesk_edits e = EXPECT(step_captions,
    "\nA one.\n\n\nHey! Tom waved at fans\n\nB two.\n\nWow! Tom waved at fans\n\n"
    "Hey! Tom waved at fans\n\n", 0, "\nA one.\n\n\nB two.\n\n", 3);
  check_edit(in, &e, 0, "Hey! Tom waved at fans\n\n", COPYDESK_REASON_CAPTION);
  check_edit(in, &e, 1, "\nWow! Tom waved at fans\n", COPYDESK_REASON_CAPTION);
  check_edit(in, &e, 2, "\nHey! Tom waved at fans\n", COPYDESK_REASON_CAPTION);
  copydesk_edits_free(&e);
  e = EXPECT(step_captions, "Hey! Tom waved at fans\n\nWow! Tom waved at fans\n", 0, "", 2);
  copydesk_edits_free(&e);
  e = EXPECT(step_captions, "Hey! Tom waved at fans\n\nKept.", 0, "Kept.", 1);
  copydesk_edits_free(&e);
  KEPT(step_captions, "");
  KEPT(step_captions, "\n\n  \n");
  KEPT(step_captions, "Hey! Tom waved at fans\r\n\r\nBody\r\n"); /* CRLF: one paragraph */
  e = EXPECT(step_captions, "Hey! Tom\0 waved at fans\n\nBody\0.\n", 0, "Body\0.\n", 1);
  copydesk_edits_free(&e);
}

/* Above CONTAIN_MAX_PARAS (2000) paragraphs only exact repeats count. */
static void test_captions_many_paragraphs(void) {
  copydesk_buf in, out;
  copydesk_edits e = {0};
  int i;
  copydesk_buf_init(&in, NULL);
  for (i = 0; i < 2001; i++) {
    char p[64];
    snprintf(p, sizeof p, "Paragraph number %d of the body.\n\n", i);
    check(copydesk_buf_append(&in, p, strlen(p)) == COPYDESK_OK, "append");
  }
  check(copydesk_buf_append(&in, S("Then Tom waved at the fans.\n\nHey! Tom waved at the fans\n\n"
                                   "Wow! Then Tom waved at the fans\n")) == COPYDESK_OK,
        "append");
  check(run(step_captions, in.data, in.len, 0, &out, &e) == COPYDESK_OK, "many");
  check(e.n == 2 && e.items[0].reason == COPYDESK_REASON_CAPTION &&
        e.items[1].reason == COPYDESK_REASON_CAPTION_REPEAT, "reasons without containment");
  copydesk_buf_free(&in);
  copydesk_buf_free(&out);
  copydesk_edits_free(&e);
}

static void test_captions_errors(void) {
  copydesk_buf out;
  copydesk_edits e = {0};
  copydesk_err err = check_err();
  copydesk_buf_init(&out, NULL);
  check(copydesk_clean_captions(S("Hey! Tom waved at fans\n"), 2u, &out, &e, &err) ==
        COPYDESK_ERR_INVALID, "unknown flag");
  check(err.code == COPYDESK_ERR_INVALID && err.pos == 0 && err.line == 0 && err.col == 0,
        "flag err");
  check(err.msg && strcmp(err.msg, "unknown caption flag") == 0, "flag msg %s", err.msg);
  check(out.len == 0 && out.data == NULL && e.n == 0, "nothing written");
  err = check_err();
  check(copydesk_clean_captions(S("x"), 0, NULL, &e, &err) == COPYDESK_ERR_INVALID, "NULL out");
  check(err.code == COPYDESK_ERR_INVALID && err.pos == 0 && err.line == 0 && err.col == 0,
        "NULL out err");
  err = check_err();
  check(copydesk_clean_captions(NULL, 1, 0, &out, &e, &err) == COPYDESK_ERR_INVALID, "NULL s");
  check(err.code == COPYDESK_ERR_INVALID && err.line == 0, "NULL s err");
  check(copydesk_clean_captions(S("Hey! Tom waved at fans\n"), 0, &out, NULL, NULL) ==
        COPYDESK_OK && out.len == 0, "edits and err optional");
  copydesk_buf_free(&out);
}

/* ------------------------------------------------------------------------------------------ */
/* The fixture: an article with every quirk, through boilerplate, captions and space.          */

static void pipeline(const char *s, size_t len, unsigned flags, copydesk_buf *out,
                     copydesk_edits *e) {
  copydesk_buf a, b;
  copydesk_buf_init(&a, NULL);
  copydesk_buf_init(&b, NULL);
  copydesk_buf_init(out, NULL);
  check(copydesk_clean_boilerplate(s, len, 0, NULL, &a, e, NULL) == COPYDESK_OK, "boilerplate");
  check(copydesk_clean_captions(a.data, a.len, flags, &b, e, NULL) == COPYDESK_OK, "captions");
  check(copydesk_clean_space(b.data, b.len, out, NULL) == COPYDESK_OK, "space");
  copydesk_buf_free(&a);
  copydesk_buf_free(&b);
}

static void fixture(const char *expect_path, unsigned flags, size_t want_edits) {
  size_t len, wlen;
  char *s = check_slurp("tests/fixtures/clean/captions_article.txt", &len);
  char *want = check_slurp(expect_path, &wlen);
  copydesk_buf out, again;
  copydesk_edits e = {0}, e2 = {0};
  pipeline(s, len, flags, &out, &e);
  check(out.len == wlen && memcmp(out.data, want, wlen) == 0, "%s: got\n%s", expect_path,
        out.data);
  check(e.n == want_edits, "%s: %zu edits", expect_path, e.n);
  pipeline(out.data, out.len, flags, &again, &e2);
  check(again.len == out.len && memcmp(again.data, out.data, out.len) == 0 && e2.n == 0,
        "%s: pipeline not idempotent", expect_path);
  copydesk_buf_free(&out);
  copydesk_buf_free(&again);
  copydesk_edits_free(&e);
  copydesk_edits_free(&e2);
  free(s);
  free(want);
}

/* The sample articles in ../shared/seeds/ (skipped when absent): how many lines and captions go
** from the body, and that the quoted speech with a colon stays. */
static void seed(const char *name, size_t want_boilerplate, size_t want_captions,
                 size_t want_repeats, const char *must_stay) {
  char path[128];
  FILE *f;
  size_t len, i, repeats = 0;
  char *s;
  copydesk_buf out;
  copydesk_edits e = {0};
  copydesk_article *art = NULL;
  snprintf(path, sizeof path, "../shared/seeds/%s", name);
  if ((f = fopen(path, "rb")) == NULL) {
    printf("test_clean: %s not found, skipped\n", path);
    return;
  }
  fclose(f);
  s = check_slurp(path, &len);
  check(copydesk_article_parse(s, len, NULL, NULL, &art, NULL) == COPYDESK_OK, "%s parses", name);
  if (art == NULL) {
    free(s);
    return;
  }
  pipeline(art->body, art->body_len, 0, &out, &e); /* the body, as the clean recipe does */
  copydesk_article_free(art);
  for (i = want_boilerplate; i < e.n; i++)
    repeats += e.items[i].reason == COPYDESK_REASON_CAPTION_REPEAT;
  check(e.n == want_boilerplate + want_captions && repeats == want_repeats,
        "%s: %zu edits, %zu repeats", name, e.n, repeats);
  for (i = 0; i < e.n; i++)
    check((i < want_boilerplate) == (e.items[i].reason == COPYDESK_REASON_BOILERPLATE),
          "%s: edit %zu reason", name, i);
  check(must_stay == NULL || strstr(out.data, must_stay) != NULL, "%s: '%s' removed", name,
        must_stay);
  copydesk_buf_free(&out);
  copydesk_edits_free(&e);
  free(s);
}

/* ------------------------------------------------------------------------------------------ */
/* Out of memory: fail the 1st, 2nd, ... allocation until the call succeeds.                  */

static void nomem(step_fn fn, const char *name, const char *s, size_t len, unsigned flags) {
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
    rc = fn(s, len, flags, &out, &e, &err);
    if (rc == COPYDESK_OK) {
      done = 1;
    } else {
      check(rc == COPYDESK_ERR_NOMEM && err.code == COPYDESK_ERR_NOMEM, "%s fail %ld: code %d",
            name, k, rc);
      check(err.pos == 0 && err.line == 0 && err.col == 0, "%s fail %ld: err position", name, k);
      check(out.len == 0 && e.n == 0, "%s fail %ld: partial result", name, k);
    }
    copydesk_buf_free(&out);
    copydesk_edits_free(&e);
    check(f.live == 0, "%s fail %ld: %ld blocks leaked", name, k, f.live);
  }
  check(done && k > 1, "%s never succeeded or never allocated (%ld)", name, k);
}

static void test_nomem(void) {
  size_t len, i;
  char *s = check_slurp("tests/fixtures/clean/captions_article.txt", &len);
  char *many;
  nomem(step_space, "space", s, len, 0);
  nomem(step_boilerplate, "boilerplate", s, len, 0);
  nomem(step_captions, "captions", s, len, 0);
  nomem(step_captions, "captions keep", s, len, COPYDESK_CAPTION_KEEP_UNIQUE);
  free(s);
  /* enough removals for the edit list to grow more than once */
  many = malloc(40 * 33);
  if (many == NULL) abort();
  for (i = 0; i < 40; i++) memcpy(many + i * 33, "Hey! Tom waved at fans\n\nAnzeige\n\n", 33);
  nomem(step_boilerplate, "boilerplate many", many, 40 * 33, 0);
  nomem(step_captions, "captions many", many, 40 * 33, 0);
  free(many);
}

int main(void) {
  test_reason_names();
  test_space_cases();
  test_space_zero_bytes();
  test_space_appends();
  test_space_errors();
  test_space_properties();
  test_boilerplate_lines();
  test_boilerplate_prose_kept();
  test_boilerplate_edges();
  test_boilerplate_optional();
  test_boilerplate_patterns();
  test_captions_repeats();
  test_captions_near_repeat();
  test_captions_keep_unique();
  test_captions_repeat_rule();
  test_captions_full_stop();
  test_captions_never();
  test_captions_shapes();
  test_captions_layout();
  test_captions_many_paragraphs();
  test_captions_errors();
  fixture("tests/fixtures/clean/captions_article.expect.txt", 0, 8);
  fixture("tests/fixtures/clean/captions_article.keep_unique.expect.txt",
          COPYDESK_CAPTION_KEEP_UNIQUE, 5);
  seed("000_77c993fc27e54f8f.txt", 0, 29, 7, "Speaking about his return, he said: ");
  seed("001_3e7726d9f750c9dd.txt", 1, 5, 3, "He has been busy filming scenes");
  seed("002_30c8dff3c00f5c01.txt", 0, 9, 8, "Mission Impossible 7 will be released");
  test_nomem();
  return check_done("test_clean");
}
