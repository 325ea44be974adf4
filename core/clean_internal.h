/* clean_internal.h: helpers shared by the cleaning steps (clean.c, boilerplate.c, captions.c,
** repeats.c, glue.c, quality.c). */
#ifndef CD_CLEAN_INTERNAL_H
#define CD_CLEAN_INTERNAL_H

#include <string.h>

#include "internal.h"

/* The initialiser of a table of 256 bytes, built by the compiler: f(0), f(1), ..., f(255). The
** steps' scans look a byte up instead of testing it against several ranges. */
#define CD_BYTE_TABLE(f) \
  {CD_BYTES64_(f, 0), CD_BYTES64_(f, 64), CD_BYTES64_(f, 128), CD_BYTES64_(f, 192)}
#define CD_BYTES4_(f, c) f(c), f((c) + 1), f((c) + 2), f((c) + 3)
#define CD_BYTES16_(f, c) \
  CD_BYTES4_(f, c), CD_BYTES4_(f, (c) + 4), CD_BYTES4_(f, (c) + 8), CD_BYTES4_(f, (c) + 12)
#define CD_BYTES64_(f, c) \
  CD_BYTES16_(f, c), CD_BYTES16_(f, (c) + 16), CD_BYTES16_(f, (c) + 32), CD_BYTES16_(f, (c) + 48)

/* For each byte, what the steps' case-folding scans write for it when it is an ASCII byte copied
** as it is: the byte in lower case; 0 for the bytes that need a closer look (white space and the
** newline, bytes beyond ASCII, and NUL, which the slow way copies). */
extern const unsigned char cd_plain_fold[256];

/* Writes map[c] to dst + *n for each byte c from s[*i] on, before b, that map gives a value other
** than 0, and advances *i and *n past them: the usual run of ASCII in the steps' folding scans. */
static inline void cd_map_run(const unsigned char *map, const char *s, size_t *i, size_t b,
                              char *dst, size_t *n) {
  size_t j = *i, k = *n; /* locals: dst may alias *i and *n, which would be reloaded each byte */
  unsigned char v;
  for (; j < b && (v = map[(unsigned char)s[j]]) != 0; j++) dst[k++] = (char)v;
  *i = j;
  *n = k;
}

/* Appends {pos, len, reason} to `e`, growing it through e->alc. A NULL list records nothing.
** @return OK or ERR_NOMEM (also for a size that would overflow); on failure the list is
** unchanged. */
copydesk_code cd_edits_push(copydesk_edits *e, size_t pos, size_t len, copydesk_reason reason);

/* The byte length of the white-space character (cd_is_space) at s[0..len), len > 0; 0 when
** there is none there, or the bytes are not valid UTF-8. Inline: every step calls it on every
** byte it trims, and nearly all of them are ASCII. */
size_t cd_space_len_utf8(const char *s, size_t len);
static inline size_t cd_space_len(const char *s, size_t len) {
  unsigned char c = (unsigned char)s[0];
  if (c < 0x80) return c == ' ' || c == '\t' || c == '\v' || c == '\f';
  return cd_space_len_utf8(s, len);
}


/* cd_prev_cp with its ASCII case inline: the steps read back over text that is mostly ASCII. */
static inline size_t cd_prev_char(const char *s, size_t start, size_t end, uint32_t *cp) {
  if (end > start && (unsigned char)s[end - 1] < 0x80) {
    *cp = (unsigned char)s[end - 1];
    return 1;
  }
  return cd_prev_cp(s, start, end, cp);
}

/* Narrows [*a, *b) of s past leading and trailing white space. */
void cd_trim_space(const char *s, size_t *a, size_t *b);

/* Bounds of one line starting at `pos`: *end is its "\n" (or len), the return value the start of
** the next line (len at the end). */
size_t cd_line_next(const char *s, size_t len, size_t pos, size_t *end);

/* A paragraph of a text: bytes [start, end), end just past its last line's newline (or the end of
** the text), and why it goes (0: it stays). */
typedef struct cd_para {
  size_t start, end;
  copydesk_reason reason;
} cd_para;

/* Finds the paragraphs (runs of lines that are not blank) of s[0..len); fills ps (when non-NULL)
** with reason 0. Returns how many there are, so a first call with NULL sizes the array. */
size_t cd_paras_split(const char *s, size_t len, cd_para *ps);

/* Appends s without the paragraphs that have a reason to out, recording one edit each. A removed
** paragraph takes the blank lines after it, so one blank line stays between its neighbours; when
** no kept paragraph follows it takes the blank lines before it instead, so the text does not end
** in a blank line. */
copydesk_code cd_paras_emit(const char *s, size_t len, const cd_para *ps, size_t n,
                            copydesk_buf *out, copydesk_edits *edits);

/* A 64-bit hash of s[0..len) for the steps' hash tables (not stable across versions: nothing
** stores it). Eight bytes a step: each word is mixed in by xor, a multiplication by an odd
** constant and a shift that folds the high bits back (the finaliser of MurmurHash3's 64-bit
** variant, applied per word), then the length. Inline, and the last partial word read without a
** call to memcpy: captions.c hashes every word of a text, most of them shorter than eight bytes. */
static inline uint64_t cd_hash64_mix(uint64_t h, uint64_t w) {
  h = (h ^ w) * 0xFF51AFD7ED558CCDu;
  return h ^ (h >> 32);
}
static inline uint64_t cd_hash64(const char *s, size_t len) {
  uint64_t h = 0x9E3779B97F4A7C15u ^ len, w;
  size_t i = 0, r;
  for (; i + 8 <= len; i += 8) {
    memcpy(&w, s + i, 8);
    h = cd_hash64_mix(h, w);
  }
  if ((r = len - i) > 0) { /* the bytes left, lowest first */
    for (w = 0; r > 0; r--) w = w << 8 | (unsigned char)s[i + r - 1];
    h = cd_hash64_mix(h, w);
  }
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53u;
  return h ^ (h >> 33);
}

/* Writes the lower case of cp, which src[0..n) encodes, to dst, or src itself when the lower
** case would be longer, so a folded text is never longer than its source. Returns the bytes. */
size_t cd_put_lower(uint32_t cp, const char *src, size_t n, char *dst);

#endif
