/* minhash.c: MinHash signatures of word shingles, their comparison and LSH band keys.
**
** One XXH3 hash per shingle (copydesk_shingles) is turned into num_perm values by the
** multiply-shift family: v_i = top 32 bits of a_i * h + b_i (mod 2^64), a_i odd. That is one
** multiplication and one addition per value, in a loop the compiler can unroll, where seeding
** XXH3 num_perm times would hash each shingle num_perm times. The signature is a byte string in
** a fixed little-endian layout (see copydesk.h), so it can travel between processes and
** machines and carries the settings it was made with. */
#include <math.h>
#include <string.h>
#include <xxhash.h>

#include "minhash_internal.h"

#define MSG_NOT_SIGNATURE "not a MinHash signature"
#define MSG_OTHER_SETTINGS "signatures made with other settings"
#define LSH_RECALL_AT_THRESHOLD 0.995

int cd_minhash_settings(const copydesk_minhash_opts *opts, copydesk_minhash_opts *out) {
  static const copydesk_minhash_opts zero;
  *out = opts ? *opts : zero;
  if (out->num_perm == 0) out->num_perm = CD_MINHASH_DEFAULT_PERM;
  if (out->ngram == 0) out->ngram = CD_MINHASH_DEFAULT_NGRAM;
  return out->num_perm <= COPYDESK_MINHASH_MAX_PERM && out->ngram <= COPYDESK_SHINGLE_MAX;
}

int cd_minhash_same(const copydesk_minhash_opts *a, const copydesk_minhash_opts *b) {
  return a->num_perm == b->num_perm && a->ngram == b->ngram && a->seed == b->seed;
}

size_t copydesk_minhash_size(const copydesk_minhash_opts *opts) {
  copydesk_minhash_opts o;
  if (!cd_minhash_settings(opts, &o)) return 0;
  return COPYDESK_MINHASH_HEADER + 4 * o.num_perm;
}

/* SplitMix64 (Steele, Lea and Flood 2014): a full-period generator whose outputs are well
** mixed even from seed 0, so every seed gives independent-looking permutations. */
static uint64_t splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

static void put_le32(char *p, uint32_t v) {
  p[0] = (char)(v & 0xFF);
  p[1] = (char)(v >> 8 & 0xFF);
  p[2] = (char)(v >> 16 & 0xFF);
  p[3] = (char)(v >> 24 & 0xFF);
}

static void put_le64(char *p, uint64_t v) {
  put_le32(p, (uint32_t)v);
  put_le32(p + 4, (uint32_t)(v >> 32));
}

/* Chains hash h into the content hash, by bytes so it is the same on every machine. */
static uint64_t chain(uint64_t content, uint64_t h) {
  char b[8];
  put_le64(b, h);
  return XXH3_64bits_withSeed(b, sizeof b, content);
}

/* The hot loop: num_perm multiply-adds and minima per shingle, in blocks of PERM_BLOCK values:
** a loop of constant length that -O2 vectorises without run-time alias checks. With AVX2
** (picked at load time when the CPU has it) it runs about 2.5 times faster than with SSE2. */
#define PERM_BLOCK 64
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
__attribute__((target_clones("default", "avx2")))
#endif
static void permute_min(const uint64_t *restrict a, const uint64_t *restrict b,
                        uint32_t *restrict mins, size_t k, uint64_t h) {
  size_t i = 0, j;
  for (; i + PERM_BLOCK <= k; i += PERM_BLOCK)
    for (j = 0; j < PERM_BLOCK; j++) {
      uint32_t v = (uint32_t)((a[i + j] * h + b[i + j]) >> 32);
      mins[i + j] = v < mins[i + j] ? v : mins[i + j];
    }
  for (; i < k; i++) {
    uint32_t v = (uint32_t)((a[i] * h + b[i]) >> 32);
    mins[i] = v < mins[i] ? v : mins[i];
  }
}

/* The minima of the permuted shingle hashes of the text under `sh`. Returns the number of
** shingles (saturating at UINT32_MAX) and sets *content. */
static uint32_t min_values(copydesk_shingles *sh, size_t k, const uint64_t *a, const uint64_t *b,
                           uint32_t *mins, uint64_t *content) {
  uint64_t h;
  size_t i, pos, len;
  uint32_t count = 0;
  for (i = 0; i < k; i++) mins[i] = UINT32_MAX;
  while (copydesk_shingles_next(sh, &h, &pos, &len)) {
    permute_min(a, b, mins, k, h);
    *content = chain(*content, h);
    if (count < UINT32_MAX) count++;
  }
  return count;
}

/* The content hash of a text shorter than one shingle: its word hashes, chained. */
static uint64_t short_content(const char *s, size_t len) {
  copydesk_shingles sh;
  uint64_t h, content = 0;
  size_t pos, n;
  if (copydesk_shingles_init(&sh, s, len, 1, 0) != COPYDESK_OK) return 0;
  while (copydesk_shingles_next(&sh, &h, &pos, &n)) content = chain(content, h);
  return content;
}

static void write_header(char *p, const copydesk_minhash_opts *o, uint32_t shingles,
                         uint64_t content) {
  memcpy(p, "CDMH", 4);
  p[4] = CD_MINHASH_VERSION;
  p[5] = (char)o->ngram;
  p[6] = p[7] = 0;
  put_le32(p + 8, (uint32_t)o->num_perm);
  put_le32(p + 12, shingles);
  put_le64(p + 16, o->seed);
  put_le64(p + 24, content);
}

copydesk_code copydesk_minhash(const char *s, size_t len, const copydesk_minhash_opts *opts,
                               copydesk_buf *out, copydesk_err *err) {
  uint64_t a[COPYDESK_MINHASH_MAX_PERM], b[COPYDESK_MINHASH_MAX_PERM], state, content = 0;
  uint32_t mins[COPYDESK_MINHASH_MAX_PERM], count;
  copydesk_minhash_opts o;
  copydesk_shingles sh;
  copydesk_code rc;
  size_t i;
  char *p;
  if (!cd_minhash_settings(opts, &o))
    return cd_fail(err, COPYDESK_ERR_INVALID, "bad MinHash settings", NULL, NULL, 0, 0);
  if (out == NULL || (s == NULL && len > 0))
    return cd_fail(err, COPYDESK_ERR_INVALID, NULL, NULL, NULL, 0, 0);
  rc = copydesk_buf_reserve(out, COPYDESK_MINHASH_HEADER + 4 * o.num_perm);
  if (rc != COPYDESK_OK) return cd_fail(err, rc, NULL, NULL, NULL, 0, 0);
  state = o.seed;
  for (i = 0; i < o.num_perm; i++) {
    a[i] = splitmix64(&state) | 1u;
    b[i] = splitmix64(&state);
  }
  if (copydesk_shingles_init(&sh, s, len, o.ngram, 0) != COPYDESK_OK)
    return cd_fail(err, COPYDESK_ERR_INVALID, NULL, NULL, NULL, 0, 0);
  count = min_values(&sh, o.num_perm, a, b, mins, &content);
  if (count == 0) content = short_content(s, len);
  p = out->data + out->len;
  write_header(p, &o, count, content);
  for (i = 0; i < o.num_perm; i++) put_le32(p + COPYDESK_MINHASH_HEADER + 4 * i, mins[i]);
  out->len += COPYDESK_MINHASH_HEADER + 4 * o.num_perm;
  out->data[out->len] = '\0';
  cd_ok(err);
  return COPYDESK_OK;
}

copydesk_code copydesk_minhash_read(const char *sig, size_t len, copydesk_minhash_info *info,
                                    copydesk_err *err) {
  copydesk_minhash_info in;
  if (sig == NULL || len < COPYDESK_MINHASH_HEADER || memcmp(sig, "CDMH", 4) != 0 ||
      sig[4] != CD_MINHASH_VERSION || sig[6] != 0 || sig[7] != 0)
    return cd_fail(err, COPYDESK_ERR_INVALID, MSG_NOT_SIGNATURE, NULL, NULL, 0, 0);
  in.opts.ngram = (unsigned char)sig[5];
  in.opts.num_perm = cd_le32(sig + 8);
  in.shingles = cd_le32(sig + 12);
  in.opts.seed = cd_le64(sig + 16);
  in.content = cd_le64(sig + 24);
  if (in.opts.ngram == 0 || in.opts.ngram > COPYDESK_SHINGLE_MAX || in.opts.num_perm == 0 ||
      in.opts.num_perm > COPYDESK_MINHASH_MAX_PERM ||
      len != COPYDESK_MINHASH_HEADER + 4 * in.opts.num_perm)
    return cd_fail(err, COPYDESK_ERR_INVALID, MSG_NOT_SIGNATURE, NULL, NULL, 0, 0);
  if (info) *info = in;
  cd_ok(err);
  return COPYDESK_OK;
}

copydesk_code copydesk_minhash_similarity(const char *a, size_t alen, const char *b, size_t blen,
                                          double *similarity, copydesk_err *err) {
  copydesk_minhash_info ia, ib;
  size_t i, equal = 0;
  if (copydesk_minhash_read(a, alen, &ia, err) != COPYDESK_OK ||
      copydesk_minhash_read(b, blen, &ib, err) != COPYDESK_OK)
    return COPYDESK_ERR_INVALID;
  if (!cd_minhash_same(&ia.opts, &ib.opts))
    return cd_fail(err, COPYDESK_ERR_INVALID, MSG_OTHER_SETTINGS, NULL, NULL, 0, 0);
  if (ia.shingles == 0 || ib.shingles == 0) {
    *similarity = ia.shingles == ib.shingles && ia.content == ib.content;
  } else {
    for (i = 0; i < ia.opts.num_perm; i++) equal += cd_minhash_value(a, i) == cd_minhash_value(b, i);
    *similarity = (double)equal / (double)ia.opts.num_perm;
  }
  return COPYDESK_OK;
}

copydesk_code copydesk_lsh_params(double threshold, size_t num_perm, size_t *bands,
                                  size_t *rows) {
  size_t r;
  if (!(threshold > 0 && threshold <= 1) || num_perm == 0 || num_perm > COPYDESK_MINHASH_MAX_PERM)
    return COPYDESK_ERR_INVALID;
  for (r = num_perm; r > 1; r--) {
    double b = (double)(num_perm / r);
    if (1 - pow(1 - pow(threshold, (double)r), b) >= LSH_RECALL_AT_THRESHOLD) break;
  }
  *rows = r;
  *bands = num_perm / r;
  return COPYDESK_OK;
}

uint64_t cd_minhash_band(const char *sig, size_t band, size_t rows) {
  uint64_t k = XXH3_64bits_withSeed(sig + COPYDESK_MINHASH_HEADER + 4 * band * rows, 4 * rows,
                                    band);
  return k ? k : 1;
}

copydesk_code copydesk_minhash_band_key(const char *sig, size_t len, size_t band, size_t rows,
                                        uint64_t *key, copydesk_err *err) {
  copydesk_minhash_info info;
  if (copydesk_minhash_read(sig, len, &info, err) != COPYDESK_OK) return COPYDESK_ERR_INVALID;
  if (rows == 0 || rows > info.opts.num_perm || band >= info.opts.num_perm || (band + 1) * rows > info.opts.num_perm)
    return cd_fail(err, COPYDESK_ERR_INVALID, "band beyond the signature", NULL, NULL, 0,
                   0);
  *key = cd_minhash_band(sig, band, rows);
  cd_ok(err);
  return COPYDESK_OK;
}
