/* minhash_internal.h: the signature layout, shared by minhash.c and dedup.c. */
#ifndef CD_MINHASH_INTERNAL_H
#define CD_MINHASH_INTERNAL_H

#include "internal.h"

#define CD_MINHASH_VERSION 2
#define CD_MINHASH_DEFAULT_PERM 128
#define CD_MINHASH_DEFAULT_NGRAM 5

/* Reads a little-endian u32 / u64 at p. */
static inline uint32_t cd_le32(const char *p) {
  const unsigned char *u = (const unsigned char *)p;
  return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
}

static inline uint64_t cd_le64(const char *p) {
  return (uint64_t)cd_le32(p) | (uint64_t)cd_le32(p + 4) << 32;
}

/* The 32-bit key of a shingle hash: what the permutations take and the shingle sets hold, so
** the estimate and the exact similarity measure the same sets. */
static inline uint32_t cd_shingle_key(uint64_t h) { return (uint32_t)h; }

/* Value i of a signature already checked by copydesk_minhash_read. */
static inline uint32_t cd_minhash_value(const char *sig, size_t i) {
  return cd_le32(sig + COPYDESK_MINHASH_HEADER + 4 * i);
}

/* The defaults applied: *out gets opts (or zeros) with 0 fields replaced. Returns 0 when a
** setting is out of range. */
int cd_minhash_settings(const copydesk_minhash_opts *opts, copydesk_minhash_opts *out);

/* The key of band `band` of `rows` values of a checked signature (copydesk_minhash_band_key). */
uint64_t cd_minhash_band(const char *sig, size_t band, size_t rows);

/* The Jaccard similarity of two sorted sets of na and nb 4-byte little-endian keys. */
double cd_keys_jaccard(const char *a, size_t na, const char *b, size_t nb);

/* Whether two settings are the same (after defaults). */
int cd_minhash_same(const copydesk_minhash_opts *a, const copydesk_minhash_opts *b);

#endif
