/* test_quality.c: copydesk_quality_measure, each measure on a text whose value is known. */
#include <math.h>

#include "check.h"

#define S(lit) lit, sizeof lit - 1

static copydesk_quality measure(const char *s, size_t len) {
  copydesk_quality q;
  copydesk_err err = check_err();
  char *in = check_dup(s, len);
  memset(&q, 0xFF, sizeof q);
  check(copydesk_quality_measure(in, len, NULL, &q, &err) == COPYDESK_OK, "measure");
  check(err.code == COPYDESK_OK, "err cleared");
  free(in);
  return q;
}

static int near(double a, double b) { return fabs(a - b) < 1e-9; }

#define NEAR(got, want) check(near(got, want), "%s = %.6f, expected %.6f", #got, (double)(got), \
                              (double)(want))

/* Words are UAX #29 words: punctuation and spaces are not words, numbers are, an ideograph is. */
static void test_words(void) {
  copydesk_quality q = measure(S("The cat sat on the mat, 2 times.\n"));
  check(q.words == 8 && q.chars == 32 && q.lines == 1 && q.sentences == 1, "%zu %zu %zu %zu",
        q.words, q.chars, q.lines, q.sentences);
  NEAR(q.mean_word_len, 23.0 / 8);
  NEAR(q.alpha_words, 7.0 / 8);
  check(q.stop_words == 2, "stop words %zu", q.stop_words); /* "The", "the" */
  NEAR(q.newline_ratio, 1.0 / 8);
  q = measure(S("\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x81\xAF\xE5\xA4\xA7\xE3\x81\x8D\xE3\x81\x84\xE3\x80\x82"));
  /* 東京は大きい。: six words where splitting on spaces finds one */
  check(q.words == 6 && q.chars == 7, "CJK: %zu words, %zu chars", q.words, q.chars);
  NEAR(q.alpha_words, 1);
  q = measure(S(""));
  check(q.words == 0 && q.chars == 0 && q.lines == 0 && q.mean_word_len == 0, "empty");
}

static void test_symbols_and_lines(void) {
  copydesk_quality q = measure(S("# One two three...\n- four five\n\xE2\x80\xA2 six seven\xE2\x80\xA6\n"
                                 "eight nine ten eleven twelve thirteen fourteen fifteen sixteen.\n"));
  check(q.words == 16 && q.lines == 4, "%zu words %zu lines", q.words, q.lines);
  NEAR(q.hash_ratio, 1.0 / 16);
  NEAR(q.ellipsis_ratio, 2.0 / 16);
  NEAR(q.bullet_lines, 2.0 / 4);
  NEAR(q.ellipsis_lines, 2.0 / 4);
  NEAR(q.punct_lines, 3.0 / 4); /* '.', U+2026 and '...' end sentences for C4 and FineWeb */
  NEAR(q.short_lines, 3.0 / 4);
  check(!q.lorem_ipsum && !q.curly_bracket, "flags");
  q = measure(S("Lorem IPSUM dolor {sit} amet.\n"));
  check(q.lorem_ipsum && q.curly_bracket, "lorem and curly");
}

/* Repeated lines and paragraphs: the repeats count, not their first copy. */
static void test_duplicates(void) {
  copydesk_quality q = measure(S("alpha beta\n\nalpha beta\n\ngamma\nalpha beta\n"));
  check(q.lines == 4 && q.paragraphs == 3 && q.chars == 35, "%zu lines %zu paras %zu chars",
        q.lines, q.paragraphs, q.chars);
  NEAR(q.dup_lines, 2.0 / 4);
  NEAR(q.dup_line_chars, 20.0 / 35);
  NEAR(q.dup_paras, 1.0 / 3);
  NEAR(q.dup_para_chars, 10.0 / 35);
}

/* n-grams: "a b c" five times has 15 words of one character. */
static void test_ngrams(void) {
  copydesk_quality q = measure(S("a b c a b c a b c a b c a b c"));
  NEAR(q.top_ngram_chars[0], 5.0 * 2 / 15); /* "a b" five times */
  NEAR(q.top_ngram_chars[1], 5.0 * 3 / 15);
  NEAR(q.top_ngram_chars[2], 4.0 * 4 / 15);
  NEAR(q.dup_ngram_chars[0], 12.0 / 15);  /* every word after the first period of three */
  NEAR(q.dup_ngram_chars[5], 12.0 / 15);  /* the 10-grams from word 3 on repeat word 0's */
  q = measure(S("one two three four five six seven eight nine ten eleven"));
  NEAR(q.top_ngram_chars[0], 0); /* nothing repeats: no top n-gram */
  NEAR(q.dup_ngram_chars[0], 0);
  q = measure(S("One two. ONE TWO."));
  NEAR(q.top_ngram_chars[0], 2.0 * 6 / 12); /* case is folded */
}

/* Thai, Lao, Khmer and Myanmar: a run of letters counts a word per 4 letters, marks not counted.
** "The mayor said the new bridge will open next month": 46 code points, 39 of them letters, and
** 10 words (mayor / said / that / bridge / new / will / open / in / month / next); UAX #29 alone
** gives 39 segments. */
static void test_words_without_spaces(void) {
  static const char mayor[] = "\xE0\xB8\x99\xE0\xB8\xB2\xE0\xB8\xA2\xE0\xB8\x81\xE0\xB9\x80"
      "\xE0\xB8\x97\xE0\xB8\xA8\xE0\xB8\xA1\xE0\xB8\x99\xE0\xB8\x95\xE0\xB8\xA3\xE0\xB8\xB5"
      "\xE0\xB8\x81\xE0\xB8\xA5\xE0\xB9\x88\xE0\xB8\xB2\xE0\xB8\xA7\xE0\xB8\xA7\xE0\xB9\x88"
      "\xE0\xB8\xB2\xE0\xB8\xAA\xE0\xB8\xB0\xE0\xB8\x9E\xE0\xB8\xB2\xE0\xB8\x99\xE0\xB9\x83"
      "\xE0\xB8\xAB\xE0\xB8\xA1\xE0\xB9\x88\xE0\xB8\x88\xE0\xB8\xB0\xE0\xB9\x80\xE0\xB8\x9B"
      "\xE0\xB8\xB4\xE0\xB8\x94\xE0\xB9\x83\xE0\xB8\x99\xE0\xB9\x80\xE0\xB8\x94\xE0\xB8\xB7"
      "\xE0\xB8\xAD\xE0\xB8\x99\xE0\xB8\xAB\xE0\xB8\x99\xE0\xB9\x89\xE0\xB8\xB2";
  copydesk_quality q = measure(mayor, sizeof mayor - 1);
  check(q.words == 10 && q.chars == 46, "Thai: %zu words, %zu chars", q.words, q.chars);
  NEAR(q.mean_word_len, 4.6);
  NEAR(q.alpha_words, 1);
  /* a short run is one word; a Thai word between Latin ones is a word of its own */
  q = measure(S("Bangkok \xE0\xB8\x81\xE0\xB8\xB2 (Thai) ok"));
  check(q.words == 4, "short run: %zu words", q.words);
  /* Khmer "Cambodia" (7 code points: 4 letters, a subscript sign and two vowel signs) is one
  ** word, twice without a space two */
#define KHMER "\xE1\x9E\x80\xE1\x9E\x98\xE1\x9F\x92\xE1\x9E\x96\xE1\x9E\xBB\xE1\x9E\x87\xE1\x9E\xB6"
  q = measure(S(KHMER " x\n"));
  check(q.words == 2 && q.chars == 9, "Khmer: %zu words, %zu chars", q.words, q.chars);
  q = measure(S(KHMER KHMER "\n"));
  check(q.words == 2, "Khmer twice: %zu words", q.words);
#undef KHMER
}

/* C4's line rules: each line is kept or counted under the first rule it fails, in c4_utils.py's
** order (a word over 1000 characters, no terminal punctuation, under 5 words, "javascript", a
** policy phrase); sentences are counted in the kept lines only. */
static void test_c4_lines(void) {
  copydesk_quality q = measure(S(
      "Please enable JavaScript to watch this video now.\n"      /* javascript */
      "We use cookies to make the site work for you.\n"          /* policy */
      "Read our Privacy Policy and Terms of Use today.\n"        /* policy */
      "Short line here.\n"                                       /* short: 3 words */
      "A heading without a full stop\n"                          /* no punctuation */
      "The story goes on and on and on and on...\n"              /* an ellipsis ends it */
      "The ferry left at noon. It came back at six.[3]\n"        /* kept, 2 sentences */
      "\xE2\x80\x98I love this hill very much,\xE2\x80\x99 she said to them.\n" /* kept */
      "He said it was \xE2\x80\x9Cthe best race of the year.\xE2\x80\x9D\n" /* kept */
      "Results are in the table below [edit]\n"));              /* no punctuation */
  check(q.lines == 10 && q.c4_lines == 3, "%zu lines, %zu kept", q.lines, q.c4_lines);
  check(q.c4_javascript_lines == 1 && q.c4_policy_lines == 2 && q.c4_short_lines == 1 &&
        q.c4_no_punct_lines == 3 && q.c4_long_word_lines == 0, "js %zu policy %zu short %zu "
        "punct %zu long %zu", q.c4_javascript_lines, q.c4_policy_lines, q.c4_short_lines,
        q.c4_no_punct_lines, q.c4_long_word_lines);
  check(q.c4_sentences == 4, "kept sentences %zu", q.c4_sentences); /* "[3]" is no sentence */
  check(q.sentences > q.c4_sentences, "all sentences %zu", q.sentences);
  /* 東京は大きい。「はい」: six words and the ideographic full stop; a closing corner bracket */
  q = measure(S("\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x81\xAF\xE5\xA4\xA7\xE3\x81\x8D\xE3\x81\x84\xE3\x80\x82\n"
                "\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x81\xAF\xE5\xA4\xA7\xE3\x80\x8C\xE3\x81\xAF\xE3\x81\x84\xE3\x80\x8D\n"
                "\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x81\xAF\xE5\xA4\xA7\xE3\x81\x8D\xE3\x81\x84\n"));
  check(q.c4_lines == 2 && q.c4_no_punct_lines == 1, "CJK: %zu kept, %zu without punctuation",
        q.c4_lines, q.c4_no_punct_lines);
  {
    char line[1100];
    memset(line, 'x', 1001);
    memcpy(line + 1001, " is a very long word indeed.\n", 29);
    q = measure(line, 1030);
    check(q.c4_long_word_lines == 1 && q.c4_lines == 0, "long word: %zu", q.c4_long_word_lines);
    line[1000] = ' '; /* 1000 characters: a word C4 allows */
    q = measure(line, 1030);
    check(q.c4_long_word_lines == 0 && q.c4_lines == 1, "1000 characters: %zu",
          q.c4_long_word_lines);
  }
}

/* A fixture article (text that copydesk_fix has seen: no carriage returns). */
static void test_fixture_article(void) {
  size_t len;
  char *s = check_slurp("tests/fixtures/articles/plain-interview.txt", &len);
  copydesk_quality q = measure(s, len);
  check(q.lines == 10 && q.paragraphs == 10, "%zu lines, %zu paragraphs", q.lines, q.paragraphs);
  NEAR(q.dup_lines, 1.0 / 10); /* the second "Yes." */
  NEAR(q.dup_paras, 1.0 / 10);
  NEAR(q.punct_lines, 8.0 / 10); /* all but "Publicidad" and the "Read more" line */
  NEAR(q.bullet_lines, 0);
  free(s);
}

static void test_errors_and_nomem(void) {
  copydesk_quality q;
  copydesk_err err = check_err();
  long k;
  int done = 0;
  check(copydesk_quality_measure(S("x"), NULL, NULL, &err) == COPYDESK_ERR_INVALID &&
        err.pos == 0 && err.line == 0, "NULL q");
  check(copydesk_quality_measure(NULL, 3, NULL, &q, &err) == COPYDESK_ERR_INVALID, "NULL s");
  for (k = 0; k < 100 && !done; k++) {
    check_failing f = {k, 0};
    copydesk_alloc alc = check_failing_alloc(&f);
    copydesk_code rc;
    err = check_err();
    rc = copydesk_quality_measure(S("\xE0\xB8\x81\xE0\xB8\xB2 a b c a b c\n\na b c a b c\n"), &alc, &q,
                                  &err);
    if (rc == COPYDESK_OK) done = 1;
    else
      check(rc == COPYDESK_ERR_NOMEM && err.code == rc && q.words == 0 && q.lines == 0,
            "fail %ld: code %d", k, rc);
    check(f.live == 0, "fail %ld: %ld blocks leaked", k, f.live);
  }
  check(done && k > 1, "never succeeded or never allocated (%ld)", k);
}

int main(void) {
  test_words();
  test_words_without_spaces();
  test_c4_lines();
  test_symbols_and_lines();
  test_duplicates();
  test_ngrams();
  test_fixture_article();
  test_errors_and_nomem();
  return check_done("test_quality");
}
