/* ngrams.c: word n-grams and their 64-bit shingle hashes (XXH3), for near-duplicate detection.
**
** A shingle is n consecutive word tokens (copydesk_words), each case-folded and hashed alone,
** then the n word hashes hashed together; so a shingle costs one short hash per word plus one
** of 8n bytes, and the window is a ring of n words: no allocation, whatever the input. This is
** the only file that includes <xxhash.h>. */
#include <string.h>
#include <utf8proc.h>
#include <xxhash.h>

#include "segment_internal.h"

#define FOLD_CHUNK 256 /* folded bytes hashed at a time */

copydesk_code copydesk_shingles_init(copydesk_shingles *sh, const char *s, size_t len, size_t n,
                                     unsigned word_flags) {
  if (n == 0 || n > COPYDESK_SHINGLE_MAX) return COPYDESK_ERR_INVALID;
  if (copydesk_words_init(&sh->w, s, len, word_flags) != COPYDESK_OK) return COPYDESK_ERR_INVALID;
  sh->n = n;
  sh->seen = 0;
  return COPYDESK_OK;
}

/* Appends the case folding of code point cp to buf[*k..), flushing full chunks into *h. */
static void fold_cp(uint32_t cp, char *buf, size_t *k, uint64_t *h) {
  int32_t folded[4];
  int last = 0;
  utf8proc_ssize_t i, m = 1;
  if (cp >= 0x80) m = utf8proc_decompose_char((utf8proc_int32_t)cp, folded, 4, UTF8PROC_CASEFOLD,
                                              &last);
  else folded[0] = (int32_t)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
  for (i = 0; i < m && i < 4; i++) {
    if (*k + 4 > FOLD_CHUNK) {
      *h = XXH3_64bits_withSeed(buf, *k, *h);
      *k = 0;
    }
    *k += cd_utf8_encode((uint32_t)(folded[i] < 0 ? 0xFFFD : folded[i]), buf + *k);
  }
}

/* The hash of the case-folded word s[0..len) (an invalid byte is hashed as it is). */
static uint64_t word_hash(const char *s, size_t len) {
  char buf[FOLD_CHUNK];
  size_t pos = 0, k = 0;
  uint64_t h = 0;
  while (pos < len) {
    uint32_t cp;
    size_t n = cd_seg_decode(s, len, pos, &cp);
    if (n == 0) {
      n = 1;
      cp = 0xDC00u | (unsigned char)s[pos]; /* a stand-in no valid text produces */
    }
    fold_cp(cp, buf, &k, &h);
    pos += n;
  }
  return XXH3_64bits_withSeed(buf, k, h);
}

int copydesk_shingles_next(copydesk_shingles *sh, uint64_t *hash, size_t *pos, size_t *len) {
  uint64_t window[COPYDESK_SHINGLE_MAX];
  size_t p, n, i, first;
  while (copydesk_words_next(&sh->w, &p, &n, NULL)) {
    size_t slot = sh->seen % sh->n;
    sh->pos[slot] = p;
    sh->len[slot] = n;
    sh->hash[slot] = word_hash(sh->w.seg.s + p, n);
    sh->seen++;
    if (sh->seen < sh->n) continue;
    first = sh->seen % sh->n; /* the oldest word of the window */
    for (i = 0; i < sh->n; i++) window[i] = sh->hash[(first + i) % sh->n];
    if (hash) *hash = XXH3_64bits(window, sh->n * sizeof window[0]);
    *pos = sh->pos[first];
    *len = p + n - sh->pos[first];
    return 1;
  }
  return 0;
}

int copydesk_shingles_word(const copydesk_shingles *sh, size_t i, size_t *pos, size_t *len) {
  size_t slot;
  if (sh->seen < sh->n || i >= sh->n) return 0;
  slot = (sh->seen + i) % sh->n;
  *pos = sh->pos[slot];
  *len = sh->len[slot];
  return 1;
}
