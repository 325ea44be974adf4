/* minhash.c: MinHash signatures of word shingles, their comparison and LSH band keys.
**
** One XXH3 hash per shingle (copydesk_shingles) gives a 32-bit key x, which num_perm affine
** bijections turn into values: v_i = a_i * x + b_i (mod 2^32), a_i odd. The keys are XXH3
** output, so distinct shingles already have independent uniform keys; any fixed bijection
** keeps them so, and each permutation needs no more mixing. That is one 32-bit multiplication
** and one addition per value, eight to an AVX2 instruction, where seeding XXH3 num_perm times
** would hash each shingle num_perm times, and a 64-bit multiply-shift costs three times as
** much (AVX2 has no 64-bit multiplication). The estimates' error matches the theory for
** independent permutations, sqrt(J (1 - J) / num_perm) (tests/c/test_dedup.c). The signature
** is a byte string in a fixed little-endian layout (see copydesk.h), so it can travel between
** processes and machines and carries the settings it was made with. */
#include <math.h>
#include <string.h>
#include <xxhash.h>

#include "minhash_internal.h"

#define MSG_NOT_SIGNATURE "not a MinHash signature"
#define MSG_OTHER_SETTINGS "signatures made with other settings"
#define LSH_RECALL_AT_THRESHOLD 0.995
#define MARGIN_SIGMAS 4 /* standard errors: an estimate beyond them is on the wrong side 3e-5 */

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

/* The content hash: XXH3 over the shingle hashes in order, as little-endian bytes so it is the
** same on every machine, CHAIN_CHUNK hashes at a time, each chunk seeded with the hash so far.
** One XXH3 call per chunk instead of one per shingle. */
#define CHAIN_CHUNK 256
typedef struct chain {
  char bytes[8 * CHAIN_CHUNK];
  size_t n;
  uint64_t hash;
} chain;

static void chain_flush(chain *c) {
  c->hash = XXH3_64bits_withSeed(c->bytes, 8 * c->n, c->hash);
  c->n = 0;
}

static void chain_add(chain *c, uint64_t h) {
  put_le64(c->bytes + 8 * c->n, h);
  if (++c->n == CHAIN_CHUNK) chain_flush(c);
}

static uint64_t chain_end(chain *c) {
  if (c->n) chain_flush(c);
  return c->hash;
}

/* The hot loop: num_perm multiply-adds and minima per shingle, in blocks of PERM_BLOCK values:
** a loop of constant length that -O2 vectorises without run-time alias checks, eight values to
** an AVX2 instruction (picked at load time when the CPU has it). */
#define PERM_BLOCK 64
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
__attribute__((target_clones("default", "avx2")))
#endif
static void permute_min(const uint32_t *restrict a, const uint32_t *restrict b,
                        uint32_t *restrict mins, size_t k, uint32_t x) {
  size_t i = 0, j;
  for (; i + PERM_BLOCK <= k; i += PERM_BLOCK)
    for (j = 0; j < PERM_BLOCK; j++) {
      uint32_t v = a[i + j] * x + b[i + j];
      mins[i + j] = v < mins[i + j] ? v : mins[i + j];
    }
  for (; i < k; i++) {
    uint32_t v = a[i] * x + b[i];
    mins[i] = v < mins[i] ? v : mins[i];
  }
}

/* The permutations of a seed: value i of shingle key x is a_i * x + b_i (mod 2^32), a_i odd. */
typedef struct perms {
  uint32_t a[COPYDESK_MINHASH_MAX_PERM], b[COPYDESK_MINHASH_MAX_PERM];
} perms;

static void make_perms(perms *p, size_t k, uint64_t seed) {
  size_t i;
  for (i = 0; i < k; i++) {
    uint64_t r = splitmix64(&seed);
    p->a[i] = (uint32_t)r | 1u;
    p->b[i] = (uint32_t)(r >> 32);
  }
}

/* One pass over the shingles under `sh`: with p, the minima of the k permuted keys into values
** and the content hash into *content; with keys, each key appended as it comes (unsorted; on
** failure *rc is set and the pass stops). Returns the number of shingles, saturating. */
static uint32_t shingle_pass(copydesk_shingles *sh, const perms *p, size_t k, uint32_t *values,
                             uint64_t *content, copydesk_buf *keys, copydesk_code *rc) {
  chain c;
  uint64_t h;
  size_t i, pos, len;
  uint32_t count = 0;
  c.n = 0;
  c.hash = 0;
  for (i = 0; p && i < k; i++) values[i] = UINT32_MAX;
  while (*rc == COPYDESK_OK && copydesk_shingles_next(sh, &h, &pos, &len)) {
    if (p) {
      permute_min(p->a, p->b, values, k, cd_shingle_key(h));
      chain_add(&c, h);
    }
    if (keys && (*rc = copydesk_buf_reserve(keys, 4)) == COPYDESK_OK) {
      put_le32(keys->data + keys->len, cd_shingle_key(h));
      keys->len += 4;
    }
    if (count < UINT32_MAX) count++;
  }
  if (p) *content = chain_end(&c);
  return count;
}

/* The content hash of a text shorter than one shingle: its word hashes, chained. */
static uint64_t short_content(const char *s, size_t len) {
  copydesk_shingles sh;
  chain c;
  uint64_t h;
  size_t pos, n;
  c.n = 0;
  c.hash = 0;
  if (copydesk_shingles_init(&sh, s, len, 1, 0) != COPYDESK_OK) return 0;
  while (copydesk_shingles_next(&sh, &h, &pos, &n)) chain_add(&c, h);
  return chain_end(&c);
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

/* Sorts n keys of 4 little-endian bytes at p by value: a radix sort, a counting pass per byte
** from the least significant, each moving the keys between p and tmp (room for n keys); after
** the fourth they are back in p. O(n), where qsort's calls through a pointer cost as much as
** the signature. */
static void sort_keys(char *p, char *tmp, size_t n) {
  size_t count[256], i, byte;
  for (byte = 0; byte < 4; byte++) {
    size_t sum = 0;
    char *swap;
    memset(count, 0, sizeof count);
    for (i = 0; i < n; i++) count[(unsigned char)p[4 * i + byte]]++;
    for (i = 0; i < 256; i++) {
      size_t c = count[i];
      count[i] = sum;
      sum += c;
    }
    for (i = 0; i < n; i++) memcpy(tmp + 4 * count[(unsigned char)p[4 * i + byte]]++, p + 4 * i, 4);
    swap = p;
    p = tmp;
    tmp = swap;
  }
}

/* Sorts the keys appended to `keys` since `start` and drops repeats; or, when rc tells of a
** failure (or room for sorting cannot be had), takes them away. Returns the outcome. */
static copydesk_code finish_keys(copydesk_buf *keys, size_t start, copydesk_code rc) {
  size_t n = (keys->len - start) / 4, i, k;
  char *p;
  if (rc == COPYDESK_OK) rc = copydesk_buf_reserve(keys, 4 * n); /* room for sort_keys */
  if (rc == COPYDESK_OK) {
    p = keys->data + start;
    sort_keys(p, p + 4 * n, n);
    for (i = k = 0; i < n; i++)
      if (k == 0 || memcmp(p + 4 * (k - 1), p + 4 * i, 4) != 0) memmove(p + 4 * k++, p + 4 * i, 4);
    keys->len = start + 4 * k;
  } else {
    keys->len = start;
  }
  if (keys->data) keys->data[keys->len] = '\0';
  return rc;
}

copydesk_code copydesk_minhash_keys(const char *s, size_t len, const copydesk_minhash_opts *opts,
                                    copydesk_buf *out, copydesk_buf *keys, copydesk_err *err) {
  perms p;
  uint32_t mins[COPYDESK_MINHASH_MAX_PERM], count;
  uint64_t content;
  copydesk_minhash_opts o;
  copydesk_shingles sh;
  copydesk_code rc;
  size_t i, keys_start = keys ? keys->len : 0;
  char *sig;
  if (!cd_minhash_settings(opts, &o))
    return cd_fail(err, COPYDESK_ERR_INVALID, "bad MinHash settings", NULL, NULL, 0, 0);
  if (out == NULL || (s == NULL && len > 0) || out == keys)
    return cd_fail(err, COPYDESK_ERR_INVALID, NULL, NULL, NULL, 0, 0);
  rc = copydesk_buf_reserve(out, COPYDESK_MINHASH_HEADER + 4 * o.num_perm);
  if (rc != COPYDESK_OK) return cd_fail(err, rc, NULL, NULL, NULL, 0, 0);
  make_perms(&p, o.num_perm, o.seed);
  if (copydesk_shingles_init(&sh, s, len, o.ngram, 0) != COPYDESK_OK)
    return cd_fail(err, COPYDESK_ERR_INVALID, NULL, NULL, NULL, 0, 0);
  count = shingle_pass(&sh, &p, o.num_perm, mins, &content, keys, &rc);
  if (keys) rc = finish_keys(keys, keys_start, rc);
  if (rc != COPYDESK_OK) return cd_fail(err, rc, NULL, NULL, NULL, 0, 0);
  if (count == 0) content = short_content(s, len);
  sig = out->data + out->len;
  write_header(sig, &o, count, content);
  for (i = 0; i < o.num_perm; i++) put_le32(sig + COPYDESK_MINHASH_HEADER + 4 * i, mins[i]);
  out->len += COPYDESK_MINHASH_HEADER + 4 * o.num_perm;
  out->data[out->len] = '\0';
  cd_ok(err);
  return COPYDESK_OK;
}

copydesk_code copydesk_minhash(const char *s, size_t len, const copydesk_minhash_opts *opts,
                               copydesk_buf *out, copydesk_err *err) {
  return copydesk_minhash_keys(s, len, opts, out, NULL, err);
}

copydesk_code copydesk_shingle_keys(const char *s, size_t len, size_t ngram, copydesk_buf *out,
                                    copydesk_err *err) {
  copydesk_code rc = COPYDESK_OK;
  copydesk_shingles sh;
  size_t start;
  if (ngram == 0) ngram = CD_MINHASH_DEFAULT_NGRAM;
  if (out == NULL || (s == NULL && len > 0) ||
      copydesk_shingles_init(&sh, s, len, ngram, 0) != COPYDESK_OK)
    return cd_fail(err, COPYDESK_ERR_INVALID, NULL, NULL, NULL, 0, 0);
  start = out->len;
  shingle_pass(&sh, NULL, 0, NULL, NULL, out, &rc);
  rc = finish_keys(out, start, rc);
  if (rc != COPYDESK_OK) return cd_fail(err, rc, NULL, NULL, NULL, 0, 0);
  cd_ok(err);
  return COPYDESK_OK;
}

double cd_keys_jaccard(const char *a, size_t na, const char *b, size_t nb) {
  size_t i = 0, j = 0, both = 0;
  while (i < na && j < nb) {
    uint32_t x = cd_le32(a + 4 * i), y = cd_le32(b + 4 * j);
    both += x == y;
    i += x <= y;
    j += y <= x;
  }
  return na + nb ? (double)both / (double)(na + nb - both) : 1;
}

copydesk_code copydesk_shingle_keys_jaccard(const char *a, size_t alen, const char *b,
                                            size_t blen, double *similarity, copydesk_err *err) {
  if ((a == NULL && alen > 0) || (b == NULL && blen > 0) || alen % 4 || blen % 4 ||
      similarity == NULL)
    return cd_fail(err, COPYDESK_ERR_INVALID, "not a set of shingle keys", NULL, NULL, 0, 0);
  *similarity = cd_keys_jaccard(a, alen / 4, b, blen / 4);
  cd_ok(err);
  return COPYDESK_OK;
}

double copydesk_minhash_margin(double threshold, size_t num_perm) {
  double k = (double)(num_perm ? num_perm : CD_MINHASH_DEFAULT_PERM);
  return MARGIN_SIGMAS * sqrt(threshold * (1 - threshold) / k) + 1 / k;
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
