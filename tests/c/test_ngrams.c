/* test_ngrams.c: word n-grams and shingle hashes. */
#include "check.h"

static size_t shingles(const char *s, size_t n, unsigned flags, uint64_t *out, size_t cap) {
  copydesk_shingles sh;
  size_t pos, len, k = 0, slen = strlen(s);
  uint64_t h;
  char *heap = check_dup(s, slen);
  if (copydesk_shingles_init(&sh, heap, slen, n, flags) != COPYDESK_OK) abort();
  while (copydesk_shingles_next(&sh, &h, &pos, &len)) {
    check(pos + len <= slen, "span inside the text");
    if (k < cap) out[k] = h;
    k++;
  }
  free(heap);
  return k;
}

static void test_hashes(void) {
  uint64_t a[8], b[8], c[8];
  size_t na = shingles("The quick brown fox jumps over", 3, 0, a, 8);
  size_t nb = shingles("the QUICK,  brown -- fox jumps", 3, 0, b, 8);
  size_t nc = shingles("Stra\xC3\x9F" "e und STRASSE und", 2, 0, c, 8);
  check(na == 4 && nb == 3, "counts %zu %zu", na, nb);
  check(a[0] == b[0] && a[1] == b[1] && a[2] == b[2], "case, spaces and punctuation ignored");
  check(a[0] != a[1] && a[1] != a[2], "different windows differ");
  check(nc == 3 && c[0] == c[2], "case folding: Stra\xC3\x9F" "e und == STRASSE und");
  check(shingles("one two", 3, 0, a, 8) == 0, "fewer words than n: none");
  check(shingles("", 1, 0, a, 8) == 0, "empty text");
  check(shingles("a b", 1, 0, a, 8) == 2 && a[0] != a[1], "unigrams");
}

static void test_words_of_window(void) {
  static const char s[] = "Alpha, beta gamma delta";
  copydesk_shingles sh;
  size_t pos, len, wpos, wlen;
  uint64_t h;
  check(copydesk_shingles_init(&sh, s, sizeof s - 1, 3, 0) == COPYDESK_OK, "init");
  check(!copydesk_shingles_word(&sh, 0, &wpos, &wlen), "no window before next");
  check(copydesk_shingles_next(&sh, &h, &pos, &len) && pos == 0 && len == 17, "first %zu %zu",
        pos, len);
  check(copydesk_shingles_word(&sh, 2, &wpos, &wlen) && wpos == 12 && wlen == 5, "third word");
  check(copydesk_shingles_next(&sh, NULL, &pos, &len) && pos == 7 && len == 16, "second");
  check(copydesk_shingles_word(&sh, 0, &wpos, &wlen) && wpos == 7 && wlen == 4, "its first");
  check(!copydesk_shingles_word(&sh, 3, &wpos, &wlen), "i >= n");
  check(!copydesk_shingles_next(&sh, &h, &pos, &len), "end");
}

static void test_errors(void) {
  copydesk_shingles sh;
  check(copydesk_shingles_init(&sh, "a", 1, 0, 0) == COPYDESK_ERR_INVALID, "n = 0");
  check(copydesk_shingles_init(&sh, "a", 1, COPYDESK_SHINGLE_MAX + 1, 0) == COPYDESK_ERR_INVALID,
        "n too large");
  check(copydesk_shingles_init(&sh, "a", 1, 2, 1u << 30) == COPYDESK_ERR_INVALID, "flags");
}

/* A word longer than the folding chunk hashes the same in any case. */
static void test_long_word(void) {
  char lower[700], upper[700];
  uint64_t a[2], b[2];
  size_t i;
  for (i = 0; i < 699; i++) {
    lower[i] = (char)('a' + i % 26);
    upper[i] = (char)('A' + i % 26);
  }
  lower[699] = upper[699] = '\0';
  check(shingles(lower, 1, 0, a, 2) == 1 && shingles(upper, 1, 0, b, 2) == 1 && a[0] == b[0],
        "long words fold");
  upper[698] = 'Q';
  check(shingles(upper, 1, 0, b, 2) == 1 && a[0] != b[0], "last byte counts");
}

int main(void) {
  test_hashes();
  test_words_of_window();
  test_errors();
  test_long_word();
  return check_done("test_ngrams");
}
