/* Segmentation on any bytes: graphemes, UAX #29 words and sentences, and English sentences cover
** the input exactly, in order, with no empty segment, and the counting functions agree with the
** cursors; word tokens are in order, inside the input and never empty. */
#include "fuzz.h"

static void check_units(const char *s, size_t len, copydesk_seg_unit unit) {
  copydesk_seg c;
  copydesk_seg_init(&c, s, len, unit);
  size_t pos, n, end = 0, count = 0;
  while (copydesk_seg_next(&c, &pos, &n, NULL)) {
    FUZZ_CHECK(pos == end && n > 0 && n <= len - pos);
    end = pos + n;
    count++;
  }
  FUZZ_CHECK(end == len);
  FUZZ_CHECK(copydesk_seg_count(s, len, unit, 0) == count);
}

static void check_sentences(const char *s, size_t len, unsigned flags) {
  copydesk_sent c;
  FUZZ_CHECK(copydesk_sent_init(&c, s, len, NULL, flags) == COPYDESK_OK);
  size_t pos, n, end = 0, count = 0;
  while (copydesk_sent_next(&c, &pos, &n)) {
    if (flags & COPYDESK_SENT_TRIM)
      FUZZ_CHECK(pos >= end && n > 0 && n <= len - pos);
    else
      FUZZ_CHECK(pos == end && n > 0 && n <= len - pos);
    end = pos + n;
    count++;
  }
  if (!(flags & COPYDESK_SENT_TRIM)) FUZZ_CHECK(end == len);
  FUZZ_CHECK(copydesk_sent_count(s, len, NULL, flags) == count);
}

static void check_words(const char *s, size_t len, unsigned flags) {
  copydesk_words w;
  FUZZ_CHECK(copydesk_words_init(&w, s, len, flags) == COPYDESK_OK);
  size_t pos, n, end = 0, count = 0;
  while (copydesk_words_next(&w, &pos, &n, NULL)) {
    FUZZ_CHECK(pos >= end && n > 0 && n <= len - pos);
    end = pos + n;
    count++;
  }
  FUZZ_CHECK(copydesk_words_count(s, len, flags) == count);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  if (size > FUZZ_MAX_LEN) size = FUZZ_MAX_LEN;
  unsigned pick = data[0];
  const char *s = (const char *)data + 1;
  size_t len = size - 1;
  check_units(s, len, COPYDESK_SEG_GRAPHEME);
  check_units(s, len, COPYDESK_SEG_WORD);
  check_units(s, len, COPYDESK_SEG_SENTENCE);
  check_sentences(s, len, pick & 7);
  check_words(s, len, (pick >> 3) & 31);
  return 0;
}
