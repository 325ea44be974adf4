/* MinHash on any text: the signature has the advertised size, reads back with the settings it
** was made with, is the same when made twice, is similar 1 to itself and has a band key for
** every band; its shingle keys, made in the same pass or alone, are the same strictly increasing
** set, no larger than the shingles counted, similar 1 to themselves, and an index takes them.
** The raw input is also offered to the signature readers as a (forged) signature and to the
** index as (forged) keys. */
#include "fuzz.h"

static void check_signature(const char *s, size_t len, const copydesk_minhash_opts *opts) {
  copydesk_buf a, b;
  copydesk_buf_init(&a, NULL);
  copydesk_buf_init(&b, NULL);
  FUZZ_CHECK(copydesk_minhash(s, len, opts, &a, NULL) == COPYDESK_OK);
  FUZZ_CHECK(a.len == copydesk_minhash_size(opts));
  FUZZ_CHECK(copydesk_minhash(s, len, opts, &b, NULL) == COPYDESK_OK);
  FUZZ_CHECK(fuzz_same(&a, &b));
  copydesk_minhash_info info;
  FUZZ_CHECK(copydesk_minhash_read(a.data, a.len, &info, NULL) == COPYDESK_OK);
  FUZZ_CHECK(info.opts.seed == opts->seed);
  double sim = 0;
  FUZZ_CHECK(copydesk_minhash_similarity(a.data, a.len, b.data, b.len, &sim, NULL) ==
             COPYDESK_OK);
  FUZZ_CHECK(sim == 1.0);
  size_t bands = 0, rows = 0;
  FUZZ_CHECK(copydesk_lsh_params(0.8, info.opts.num_perm, &bands, &rows) == COPYDESK_OK);
  for (size_t band = 0; band < bands; band++) {
    uint64_t key = 0;
    FUZZ_CHECK(copydesk_minhash_band_key(a.data, a.len, band, rows, &key, NULL) == COPYDESK_OK);
    FUZZ_CHECK(key != 0);
  }
  copydesk_buf_free(&a);
  copydesk_buf_free(&b);
}

static void check_keys(const char *s, size_t len, const copydesk_minhash_opts *opts) {
  copydesk_buf sig, keys, alone;
  copydesk_minhash_info info;
  copydesk_dedup *d = NULL;
  copydesk_dedup_opts dopts = {0};
  double sim = 0;
  copydesk_buf_init(&sig, NULL);
  copydesk_buf_init(&keys, NULL);
  copydesk_buf_init(&alone, NULL);
  FUZZ_CHECK(copydesk_minhash_keys(s, len, opts, &sig, &keys, NULL) == COPYDESK_OK);
  FUZZ_CHECK(copydesk_shingle_keys(s, len, opts->ngram, &alone, NULL) == COPYDESK_OK);
  FUZZ_CHECK(fuzz_same(&keys, &alone));
  FUZZ_CHECK(keys.len % 4 == 0);
  for (size_t i = 4; i < keys.len; i += 4) {
    uint32_t a, b;
    memcpy(&a, keys.data + i - 4, 4); /* the fuzz targets run on little-endian machines */
    memcpy(&b, keys.data + i, 4);
    FUZZ_CHECK(a < b);
  }
  FUZZ_CHECK(copydesk_minhash_read(sig.data, sig.len, &info, NULL) == COPYDESK_OK);
  FUZZ_CHECK(keys.len / 4 <= info.shingles && (keys.len == 0) == (info.shingles == 0));
  FUZZ_CHECK(copydesk_shingle_keys_jaccard(keys.data, keys.len, keys.data, keys.len, &sim, NULL) ==
             COPYDESK_OK && sim == 1.0);
  dopts.minhash = *opts;
  FUZZ_CHECK(copydesk_dedup_new(&dopts, NULL, &d) == COPYDESK_OK);
  FUZZ_CHECK(copydesk_dedup_add_keys(d, sig.data, sig.len, keys.data, keys.len, NULL, NULL) ==
             COPYDESK_OK);
  copydesk_code forged = copydesk_dedup_add_keys(d, sig.data, sig.len, s, len, NULL, NULL);
  FUZZ_CHECK(forged == COPYDESK_OK || (forged == COPYDESK_ERR_INVALID && len > 0));
  FUZZ_CHECK(copydesk_dedup_add(d, sig.data, sig.len, s, len, NULL, NULL) == COPYDESK_OK);
  FUZZ_CHECK(copydesk_dedup_cluster(d, copydesk_dedup_count(d) - 1) == 0);
  copydesk_dedup_free(d);
  copydesk_buf_free(&sig);
  copydesk_buf_free(&keys);
  copydesk_buf_free(&alone);
}

/* Forged signatures are rejected or read; never read out of bounds. */
static void check_forged(const char *s, size_t len) {
  copydesk_minhash_info info;
  double sim;
  uint64_t key;
  if (copydesk_minhash_read(s, len, &info, NULL) == COPYDESK_OK) {
    FUZZ_CHECK(len == copydesk_minhash_size(&info.opts));
    FUZZ_CHECK(copydesk_minhash_similarity(s, len, s, len, &sim, NULL) == COPYDESK_OK);
  }
  if (copydesk_minhash_band_key(s, len, 1, 4, &key, NULL) == COPYDESK_OK) FUZZ_CHECK(key != 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  if (size > FUZZ_MAX_LEN) size = FUZZ_MAX_LEN;
  copydesk_minhash_opts opts = {0};
  opts.num_perm = (data[0] & 3) * 48;   /* 0 (the default), 48, 96, 144 */
  opts.ngram = (data[0] >> 2) & 3;      /* 0 (the default), 1, 2, 3 */
  opts.seed = data[0] >> 4;
  check_signature((const char *)data + 1, size - 1, &opts);
  check_keys((const char *)data + 1, size - 1, &opts);
  check_forged((const char *)data, size);
  return 0;
}
