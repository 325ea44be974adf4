/* test_words.c: word tokens, their flags and kinds. */
#include "check.h"

static const char *const names[] = {"other", "space", "punct", "letters", "number", "ideo",
                                    "kana", "emoji", "url", "email", "handle", "hashtag"};

/* The tokens of s as "[token]" joined; with kinds, "[token]kind". */
static void tokens(const char *s, unsigned flags, int kinds, char *out, size_t cap) {
  copydesk_words w;
  size_t pos, n, used = 0, len = strlen(s), last_end = 0;
  copydesk_token_kind k;
  char *heap = check_dup(s, len);
  out[0] = '\0';
  if (copydesk_words_init(&w, heap, len, flags) != COPYDESK_OK) abort();
  while (copydesk_words_next(&w, &pos, &n, &k) && used < cap) {
    check(pos >= last_end && n > 0 && pos + n <= len, "token out of order at %zu in %s", pos, s);
    last_end = pos + n;
    used += (size_t)snprintf(out + used, cap - used, "[%.*s]%s", (int)n, s + pos,
                             kinds ? names[k] : "");
  }
  free(heap);
}

static void check_tokens(const char *s, unsigned flags, int kinds, const char *want) {
  char got[2048];
  tokens(s, flags, kinds, got, sizeof got);
  check(strcmp(got, want) == 0, "tokens of \"%s\" (flags %u):\n  got  %s\n  want %s", s, flags,
        got, want);
}

static void test_default(void) {
  check_tokens("The U.S. economy grew 3.5% to \xC2\xA3" "500,000, a well-known trend.", 0, 0,
               "[The][U.S.][economy][grew][3.5][to][500,000][a][well-known][trend]");
  check_tokens("Don't stop: it's l'homme du jour.", 0, 0,
               "[Don't][stop][it's][l'homme][du][jour]");
  check_tokens("Write to j.doe@example.co.uk, see https://example.com/a_(b)?x=1. Or www.bbc.co.uk!",
               0, 1, "[Write]letters[to]letters[j.doe@example.co.uk]email[see]letters"
               "[https://example.com/a_(b)?x=1]url[Or]letters[www.bbc.co.uk]url");
  check_tokens("Follow @copy_desk and #Election2024 now; email me@x alone.", 0, 1,
               "[Follow]letters[@copy_desk]handle[and]letters[#Election2024]hashtag[now]letters"
               "[email]letters[me]letters[x]letters[alone]letters");
  check_tokens("(see https://en.wikipedia.org/wiki/Foo_(bar)).", 0, 0,
               "[see][https://en.wikipedia.org/wiki/Foo_(bar)]");
  check_tokens("COVID-19 state-of-the-art 2-1 -- x- -y", 0, 1,
               "[COVID-19]letters[state-of-the-art]letters[2-1]number[x]letters[y]letters");
  check_tokens("\xE6\x9D\xB1\xE4\xBA\xAC \xE3\x82\xBF\xE3\x83\xAF\xE3\x83\xBC \xF0\x9F\x98\x80", 0, 1,
               "[\xE6\x9D\xB1]ideo[\xE4\xBA\xAC]ideo[\xE3\x82\xBF\xE3\x83\xAF\xE3\x83\xBC]kana");
  check_tokens("", 0, 0, "");
  check_tokens(" ... ", 0, 0, "");
  check_tokens("Mr. Hale, Ph.D., met Dr. No. Mrs", COPYDESK_WORDS_PTB, 0,
               "[Mr.][Hale][,][Ph.D.][,][met][Dr.][No.][Mrs]");
}

static void test_flags(void) {
  check_tokens("well-known", COPYDESK_WORDS_SPLIT_HYPHENS, 0, "[well][known]");
  check_tokens("well-known", COPYDESK_WORDS_SPLIT_HYPHENS | COPYDESK_WORDS_PUNCT, 0,
               "[well][-][known]");
  check_tokens("l'homme d\xE2\x80\x99" "abord qu'il aujourd'hui", COPYDESK_WORDS_SPLIT_ELISIONS, 0,
               "[l'][homme][d\xE2\x80\x99][abord][qu'][il][aujourd'hui]");
  check_tokens("I'm sure they don't, can't and won't; John's dog\xE2\x80\x99s bone.",
               COPYDESK_WORDS_PTB, 0,
               "[I]['m][sure][they][do][n't][,][ca][n't][and][wo][n't][;][John]['s][dog]"
               "[\xE2\x80\x99s][bone][.]");
  check_tokens("\"Wait...\" -- (he said) $5!", COPYDESK_WORDS_PTB, 0,
               "[\"][Wait][...][\"][--][(][he][said][)][$][5][!]");
  check_tokens("Hi \xF0\x9F\x98\x80!", COPYDESK_WORDS_PUNCT, 1,
               "[Hi]letters[\xF0\x9F\x98\x80]emoji[!]punct");
  check_tokens("see www.x.org @a #b", COPYDESK_WORDS_NO_ENTITIES, 0,
               "[see][www.x.org][a][b]");
}

static void test_count_and_errors(void) {
  copydesk_words w;
  static const char s[] = "One, two -- three 4.5";
  check(copydesk_words_count(s, sizeof s - 1, 0) == 4, "count %zu",
        copydesk_words_count(s, sizeof s - 1, 0));
  check(copydesk_words_count(s, sizeof s - 1, COPYDESK_WORDS_PTB) == 6, "count ptb %zu",
        copydesk_words_count(s, sizeof s - 1, COPYDESK_WORDS_PTB));
  check(copydesk_words_init(&w, s, 3, 1u << 20) == COPYDESK_ERR_INVALID, "unknown flag");
  check(copydesk_words_count(NULL, 0, 0) == 0, "empty");
}

/* Random bytes: tokens stay inside the input, in order (checked in tokens()). */
static void test_random(void) {
  unsigned seed = 777;
  int round;
  for (round = 0; round < 3000; round++) {
    char buf[48], out[4096];
    size_t len = (size_t)(round % 47), i;
    for (i = 0; i < len; i++) {
      seed = seed * 1103515245u + 12345u;
      buf[i] = "ab'.-@#:/w h\xE2\x80\x99\xC3\xA9 1"[(seed >> 16) % 19];
    }
    buf[len] = '\0';
    tokens(buf, (unsigned)round & 31u, 0, out, sizeof out);
  }
}

int main(void) {
  test_default();
  test_flags();
  test_count_and_errors();
  test_random();
  return check_done("test_words");
}
