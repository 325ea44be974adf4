/* test_minhash.c: MinHash signatures, their layout, comparison and LSH band keys. */
#include <math.h>

#include "check.h"

static const char LONG_TEXT[] =
  "The harbour ferry carried a record number of passengers on Saturday, the port authority "
  "said, as crowds travelled to the regatta on the north shore. Officials had added two "
  "sailings to the timetable after tickets for the morning boats sold out within an hour.";

/* The signature of the first len bytes of s (copied to an exact-size block), with opts. */
static copydesk_buf sign(const char *s, size_t len, const copydesk_minhash_opts *opts) {
  copydesk_buf b;
  char *heap = check_dup(s, len);
  copydesk_buf_init(&b, NULL);
  if (copydesk_minhash(heap, len, opts, &b, NULL) != COPYDESK_OK) abort();
  free(heap);
  return b;
}

static copydesk_buf sign_str(const char *s) { return sign(s, strlen(s), NULL); }

static uint32_t le32(const char *p) {
  const unsigned char *u = (const unsigned char *)p;
  return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
}

static double similarity(const copydesk_buf *a, const copydesk_buf *b) {
  double sim = -1;
  if (copydesk_minhash_similarity(a->data, a->len, b->data, b->len, &sim, NULL) != COPYDESK_OK)
    return -1;
  return sim;
}

/* The exact Jaccard similarity of the n-gram sets of two texts, by brute force. */
static double exact_jaccard(const char *a, const char *b, size_t n) {
  uint64_t sa[512], sb[512], h;
  size_t na = 0, nb = 0, i, j, both = 0, pos, len;
  copydesk_shingles sh;
  if (copydesk_shingles_init(&sh, a, strlen(a), n, 0) != COPYDESK_OK) abort();
  while (copydesk_shingles_next(&sh, &h, &pos, &len) && na < 512) {
    for (i = 0; i < na && sa[i] != h; i++) continue;
    if (i == na) sa[na++] = h;
  }
  if (copydesk_shingles_init(&sh, b, strlen(b), n, 0) != COPYDESK_OK) abort();
  while (copydesk_shingles_next(&sh, &h, &pos, &len) && nb < 512) {
    for (i = 0; i < nb && sb[i] != h; i++) continue;
    if (i == nb) sb[nb++] = h;
  }
  for (i = 0; i < na; i++)
    for (j = 0; j < nb; j++) both += sa[i] == sb[j];
  return (double)both / (double)(na + nb - both);
}

static void test_layout(void) {
  copydesk_minhash_opts o = {64, 3, 0x0102030405060708u};
  copydesk_buf b = sign(LONG_TEXT, sizeof LONG_TEXT - 1, &o);
  copydesk_minhash_info info;
  size_t i;
  check(copydesk_minhash_size(NULL) == 32 + 4 * 128, "default size %zu", copydesk_minhash_size(NULL));
  check(copydesk_minhash_size(&o) == 32 + 4 * 64 && b.len == copydesk_minhash_size(&o), "size %zu",
        b.len);
  check(memcmp(b.data, "CDMH\x02\x03\0\0", 8) == 0, "magic, version, ngram, zeros");
  check(le32(b.data + 8) == 64, "num_perm %u", le32(b.data + 8));
  check(le32(b.data + 16) == 0x05060708u && le32(b.data + 20) == 0x01020304u, "seed, little-endian");
  check(copydesk_minhash_read(b.data, b.len, &info, NULL) == COPYDESK_OK, "read");
  check(info.opts.num_perm == 64 && info.opts.ngram == 3 && info.opts.seed == o.seed, "settings");
  check(info.shingles == copydesk_words_count(LONG_TEXT, sizeof LONG_TEXT - 1, 0) - 2,
        "shingles: words - n + 1, got %zu", info.shingles);
  for (i = 0; i < 64; i++)
    check(le32(b.data + 32 + 4 * i) != UINT32_MAX, "value %zu set", i);
  copydesk_buf_free(&b);
}

static void test_same_words(void) {
  copydesk_buf a = sign_str(LONG_TEXT), b, c;
  char upper[sizeof LONG_TEXT];
  size_t i;
  copydesk_minhash_info ia, ib;
  for (i = 0; i < sizeof LONG_TEXT; i++)
    upper[i] = LONG_TEXT[i] >= 'a' && LONG_TEXT[i] <= 'z' ? (char)(LONG_TEXT[i] - 32) : LONG_TEXT[i];
  b = sign_str(upper);
  c = sign_str("the harbour ferry carried a record");
  check(a.len == b.len && memcmp(a.data, b.data, a.len) == 0, "case does not count");
  check(similarity(&a, &b) == 1, "similarity 1");
  check(similarity(&a, &c) < 0.2, "a small part: %g", similarity(&a, &c));
  check(copydesk_minhash_read(a.data, a.len, &ia, NULL) == COPYDESK_OK &&
        copydesk_minhash_read(c.data, c.len, &ib, NULL) == COPYDESK_OK && ia.content != ib.content,
        "content differs");
  copydesk_buf_free(&a);
  copydesk_buf_free(&b);
  copydesk_buf_free(&c);
}

/* The estimate follows the exact Jaccard similarity: 128 values give a standard error of at most
** 0.045, so 0.15 is more than three of them (the permutations are fixed, so this cannot flake). */
static void test_estimate(void) {
  static const char *const variants[] = {
    "The harbour ferry carried a record number of passengers on Saturday, the port authority "
    "said, as crowds travelled to the regatta on the north shore. Officials had added two "
    "sailings to the timetable after tickets for the evening boats sold out within an hour.",
    "The harbour ferry carried a record number of passengers on Saturday, the port authority "
    "said. Officials had added two sailings to the timetable after tickets for the morning "
    "boats sold out within an hour.",
    "A record number of passengers took the harbour ferry on Saturday as crowds travelled to "
    "the regatta, and officials added two sailings after the morning boats sold out.",
  };
  copydesk_buf a = sign_str(LONG_TEXT);
  size_t i;
  for (i = 0; i < sizeof variants / sizeof variants[0]; i++) {
    copydesk_buf b = sign_str(variants[i]);
    double est = similarity(&a, &b), exact = exact_jaccard(LONG_TEXT, variants[i], 5);
    check(fabs(est - exact) < 0.15, "variant %zu: estimate %g, exact %g", i, est, exact);
    copydesk_buf_free(&b);
  }
  copydesk_buf_free(&a);
}

/* Shingle keys: the distinct keys, sorted, 4 little-endian bytes each; their Jaccard similarity
** is the exact one of the n-gram sets. */
static void test_keys(void) {
  static const char text[] = "one two three four five six one two three four five";
  copydesk_buf k, l;
  copydesk_err e = check_err();
  double sim = -1;
  size_t i;
  char *heap = check_dup(text, sizeof text - 1);
  copydesk_buf_init(&k, NULL);
  copydesk_buf_init(&l, NULL);
  check(copydesk_shingle_keys(heap, sizeof text - 1, 0, &k, &e) == COPYDESK_OK && e.code == COPYDESK_OK,
        "keys");
  check(k.len == 4 * 6, "7 shingles, 6 distinct (\"one two three four five\" twice): %zu bytes",
        k.len);
  for (i = 4; i < k.len; i += 4)
    check(le32(k.data + i - 4) < le32(k.data + i), "sorted and distinct at %zu", i);
  check(copydesk_shingle_keys(LONG_TEXT, sizeof LONG_TEXT - 1, 5, &l, NULL) == COPYDESK_OK &&
        l.len > 4 * 20, "a longer text: %zu bytes", l.len);
  check(copydesk_shingle_keys_jaccard(k.data, k.len, k.data, k.len, &sim, NULL) == COPYDESK_OK &&
        sim == 1, "itself: %g", sim);
  check(copydesk_shingle_keys_jaccard(k.data, k.len, l.data, l.len, &sim, NULL) == COPYDESK_OK &&
        sim == 0, "disjoint: %g", sim);
  check(copydesk_shingle_keys_jaccard(NULL, 0, NULL, 0, &sim, NULL) == COPYDESK_OK && sim == 1,
        "both empty");
  e = check_err();
  check(copydesk_shingle_keys_jaccard(k.data, 5, l.data, l.len, &sim, &e) == COPYDESK_ERR_INVALID &&
        strcmp(e.msg, "not a set of shingle keys") == 0 && e.pos == 0, "length 5: %s", e.msg);
  check(copydesk_shingle_keys(text, 3, COPYDESK_SHINGLE_MAX + 1, &k, NULL) == COPYDESK_ERR_INVALID &&
        k.len == 24, "ngram too long, buffer kept");
  check(copydesk_shingle_keys(NULL, 3, 5, &k, NULL) == COPYDESK_ERR_INVALID, "NULL text");
  check(copydesk_shingle_keys("short", 5, 5, &k, NULL) == COPYDESK_OK && k.len == 24,
        "no shingle, no key");
  free(heap);
  copydesk_buf_free(&k);
  copydesk_buf_free(&l);
}

/* Signature and keys in one pass: the same bytes as each made alone. */
static void test_minhash_keys(void) {
  copydesk_buf sig, keys, alone_sig, alone_keys;
  copydesk_minhash_opts o = {64, 4, 9};
  copydesk_err e = check_err();
  char *heap = check_dup(LONG_TEXT, sizeof LONG_TEXT - 1);
  copydesk_buf_init(&sig, NULL);
  copydesk_buf_init(&keys, NULL);
  copydesk_buf_init(&alone_keys, NULL);
  alone_sig = sign(LONG_TEXT, sizeof LONG_TEXT - 1, &o);
  check(copydesk_minhash_keys(heap, sizeof LONG_TEXT - 1, &o, &sig, &keys, &e) == COPYDESK_OK &&
        e.code == COPYDESK_OK, "one pass");
  check(copydesk_shingle_keys(LONG_TEXT, sizeof LONG_TEXT - 1, 4, &alone_keys, NULL) == COPYDESK_OK,
        "keys alone");
  check(sig.len == alone_sig.len && memcmp(sig.data, alone_sig.data, sig.len) == 0,
        "the signature minhash makes");
  check(keys.len == alone_keys.len && keys.len > 0 && memcmp(keys.data, alone_keys.data, keys.len) == 0,
        "the keys shingle_keys makes: %zu, %zu bytes", keys.len, alone_keys.len);
  check(copydesk_minhash_keys(LONG_TEXT, 10, &o, &sig, &sig, NULL) == COPYDESK_ERR_INVALID,
        "one buffer for both");
  check(copydesk_minhash_keys(LONG_TEXT, 10, &o, &sig, NULL, NULL) == COPYDESK_OK &&
        sig.len == 2 * alone_sig.len, "keys NULL: the signature only");
  free(heap);
  copydesk_buf_free(&sig);
  copydesk_buf_free(&keys);
  copydesk_buf_free(&alone_sig);
  copydesk_buf_free(&alone_keys);
}

/* The margin: four standard errors at the threshold and one value's step. */
static void test_margin(void) {
  check(fabs(copydesk_minhash_margin(0.8, 128) - (4 * sqrt(0.8 * 0.2 / 128) + 1.0 / 128)) < 1e-12,
        "0.8, 128: %g", copydesk_minhash_margin(0.8, 128));
  check(copydesk_minhash_margin(0.8, 0) == copydesk_minhash_margin(0.8, 128), "0: the default");
  check(copydesk_minhash_margin(1, 64) == 1.0 / 64, "at 1, a value's step");
  check(copydesk_minhash_margin(0.8, 1024) < copydesk_minhash_margin(0.8, 128) / 2,
        "more values, a narrower margin");
}

static void test_short(void) {
  copydesk_buf a = sign_str("Ferry sails"), b = sign_str("ferry, SAILS!"), c = sign_str("Ferry waits");
  copydesk_buf e = sign_str(""), l = sign_str(LONG_TEXT);
  copydesk_minhash_info ia, ib, ic;
  size_t i, all_max = 1;
  check(copydesk_minhash_read(a.data, a.len, &ia, NULL) == COPYDESK_OK && ia.shingles == 0,
        "no shingle");
  for (i = 0; i < 128; i++) all_max &= le32(a.data + 32 + 4 * i) == UINT32_MAX;
  check(all_max, "values all 0xFFFFFFFF");
  check(copydesk_minhash_read(b.data, b.len, &ib, NULL) == COPYDESK_OK &&
        copydesk_minhash_read(c.data, c.len, &ic, NULL) == COPYDESK_OK, "read");
  check(ia.content == ib.content && ia.content != ic.content, "short texts compare by content");
  check(similarity(&a, &b) == 1 && similarity(&a, &c) == 0, "by content: %g %g",
        similarity(&a, &b), similarity(&a, &c));
  check(similarity(&a, &l) == 0 && similarity(&l, &a) == 0, "short against long: 0");
  check(similarity(&e, &e) == 1, "empty equals empty");
  copydesk_buf_free(&a);
  copydesk_buf_free(&b);
  copydesk_buf_free(&c);
  copydesk_buf_free(&e);
  copydesk_buf_free(&l);
}

static void test_settings_refused(void) {
  copydesk_minhash_opts seeded = {0, 0, 7}, fewer = {64, 0, 0}, trigram = {0, 3, 0};
  copydesk_buf a = sign_str(LONG_TEXT), b = sign(LONG_TEXT, sizeof LONG_TEXT - 1, &seeded);
  copydesk_buf c = sign(LONG_TEXT, sizeof LONG_TEXT - 1, &fewer);
  copydesk_buf d = sign(LONG_TEXT, sizeof LONG_TEXT - 1, &trigram);
  copydesk_err e = check_err();
  double sim = -1;
  check(memcmp(a.data + 32, b.data + 32, 4 * 128) != 0, "another seed, other values");
  check(copydesk_minhash_similarity(a.data, a.len, b.data, b.len, &sim, &e) ==
        COPYDESK_ERR_INVALID, "seed differs");
  check(e.code == COPYDESK_ERR_INVALID && strcmp(e.msg, "signatures made with other settings") == 0 &&
        e.pos == 0 && e.line == 0 && e.col == 0 && e.context && e.context[0] == '\0',
        "error: %s", e.msg);
  check(sim == -1, "similarity untouched");
  check(copydesk_minhash_similarity(a.data, a.len, c.data, c.len, &sim, NULL) ==
        COPYDESK_ERR_INVALID, "num_perm differs");
  check(copydesk_minhash_similarity(a.data, a.len, d.data, d.len, &sim, NULL) ==
        COPYDESK_ERR_INVALID, "ngram differs");
  copydesk_buf_free(&a);
  copydesk_buf_free(&b);
  copydesk_buf_free(&c);
  copydesk_buf_free(&d);
}

static void test_not_signatures(void) {
  copydesk_buf a = sign_str(LONG_TEXT);
  copydesk_err e = check_err();
  char *bad = check_dup(a.data, a.len);
  double sim;
  check(copydesk_minhash_read(a.data, a.len - 1, NULL, &e) == COPYDESK_ERR_INVALID &&
        strcmp(e.msg, "not a MinHash signature") == 0 && e.pos == 0 && e.line == 0,
        "truncated: %s", e.msg);
  check(copydesk_minhash_read(a.data, 31, NULL, NULL) == COPYDESK_ERR_INVALID, "header cut");
  check(copydesk_minhash_read(NULL, 0, NULL, NULL) == COPYDESK_ERR_INVALID, "NULL");
  bad[0] = 'X';
  check(copydesk_minhash_read(bad, a.len, NULL, NULL) == COPYDESK_ERR_INVALID, "magic");
  bad[0] = 'C';
  bad[4] = 1; /* version 1 took other permutations: its values cannot be compared */
  check(copydesk_minhash_read(bad, a.len, NULL, NULL) == COPYDESK_ERR_INVALID, "version");
  bad[4] = 2;
  bad[5] = 0;
  check(copydesk_minhash_read(bad, a.len, NULL, NULL) == COPYDESK_ERR_INVALID, "ngram 0");
  bad[5] = 5;
  bad[9] = 1; /* num_perm 384: the length no longer fits */
  check(copydesk_minhash_read(bad, a.len, NULL, NULL) == COPYDESK_ERR_INVALID, "length");
  check(copydesk_minhash_similarity(a.data, a.len, "CDMH", 4, &sim, NULL) == COPYDESK_ERR_INVALID,
        "similarity of a non-signature");
  free(bad);
  copydesk_buf_free(&a);
}

static void test_bad_settings(void) {
  copydesk_minhash_opts many = {COPYDESK_MINHASH_MAX_PERM + 1, 0, 0};
  copydesk_minhash_opts long_ngram = {0, COPYDESK_SHINGLE_MAX + 1, 0};
  copydesk_buf b;
  copydesk_err e = check_err();
  copydesk_buf_init(&b, NULL);
  check(copydesk_minhash_size(&many) == 0 && copydesk_minhash_size(&long_ngram) == 0, "size 0");
  check(copydesk_minhash("a", 1, &many, &b, &e) == COPYDESK_ERR_INVALID && b.len == 0 &&
        e.code == COPYDESK_ERR_INVALID, "too many permutations");
  check(copydesk_minhash("a", 1, &long_ngram, &b, NULL) == COPYDESK_ERR_INVALID, "ngram too long");
  check(copydesk_minhash(NULL, 1, NULL, &b, NULL) == COPYDESK_ERR_INVALID, "NULL text");
  check(copydesk_minhash("a", 1, NULL, NULL, NULL) == COPYDESK_ERR_INVALID, "NULL out");
  check(copydesk_minhash(NULL, 0, NULL, &b, NULL) == COPYDESK_OK && b.len == 544, "NULL, 0: empty");
  copydesk_buf_free(&b);
}

static void test_lsh_params(void) {
  size_t bands = 0, rows = 0;
  check(copydesk_lsh_params(0.8, 128, &bands, &rows) == COPYDESK_OK && bands == 21 && rows == 6,
        "0.8, 128: %zu x %zu", bands, rows);
  check(copydesk_lsh_params(0.5, 128, &bands, &rows) == COPYDESK_OK && bands == 42 && rows == 3,
        "0.5, 128: %zu x %zu", bands, rows);
  check(copydesk_lsh_params(1, 128, &bands, &rows) == COPYDESK_OK && bands == 1 && rows == 128,
        "1: one band of every value, %zu x %zu", bands, rows);
  check(copydesk_lsh_params(0.01, 16, &bands, &rows) == COPYDESK_OK && bands == 16 && rows == 1,
        "low threshold: one row a band");
  check(copydesk_lsh_params(0, 128, &bands, &rows) == COPYDESK_ERR_INVALID, "0");
  check(copydesk_lsh_params(1.5, 128, &bands, &rows) == COPYDESK_ERR_INVALID, "1.5");
  check(copydesk_lsh_params(NAN, 128, &bands, &rows) == COPYDESK_ERR_INVALID, "NaN");
  check(copydesk_lsh_params(0.8, 0, &bands, &rows) == COPYDESK_ERR_INVALID, "no values");
}

static void test_band_keys(void) {
  copydesk_buf a = sign_str(LONG_TEXT), b = sign_str(LONG_TEXT);
  uint64_t k0, k1, k0b;
  copydesk_err e = check_err();
  check(copydesk_minhash_band_key(a.data, a.len, 0, 6, &k0, NULL) == COPYDESK_OK &&
        copydesk_minhash_band_key(a.data, a.len, 1, 6, &k1, NULL) == COPYDESK_OK &&
        copydesk_minhash_band_key(b.data, b.len, 0, 6, &k0b, NULL) == COPYDESK_OK, "keys");
  check(k0 == k0b && k0 != k1 && k0 != 0 && k1 != 0, "equal signatures, equal keys");
  check(copydesk_minhash_band_key(a.data, a.len, 21, 6, &k0, &e) == COPYDESK_ERR_INVALID &&
        strcmp(e.msg, "band beyond the signature") == 0, "band 21 of 6 rows: %s", e.msg);
  check(copydesk_minhash_band_key(a.data, a.len, 0, 129, &k0, NULL) == COPYDESK_ERR_INVALID,
        "rows beyond");
  check(copydesk_minhash_band_key(a.data, a.len, 0, 0, &k0, NULL) == COPYDESK_ERR_INVALID, "rows 0");
  check(copydesk_minhash_band_key("nope", 4, 0, 1, &k0, NULL) == COPYDESK_ERR_INVALID, "not one");
  copydesk_buf_free(&a);
  copydesk_buf_free(&b);
}

/* Every allocation failure gives ERR_NOMEM and leaves the buffer as it was. */
static void test_nomem(void) {
  check_failing f = {0, 0};
  long fail_at;
  copydesk_alloc alc = check_failing_alloc(&f);
  copydesk_buf b;
  copydesk_err e = check_err();
  copydesk_buf_init(&b, &alc);
  check(copydesk_minhash(LONG_TEXT, sizeof LONG_TEXT - 1, NULL, &b, &e) == COPYDESK_ERR_NOMEM &&
        e.code == COPYDESK_ERR_NOMEM && b.len == 0, "no memory");
  f.countdown = -1;
  check(copydesk_minhash(LONG_TEXT, sizeof LONG_TEXT - 1, NULL, &b, NULL) == COPYDESK_OK &&
        b.len == 544, "then it works");
  copydesk_buf_free(&b);
  check(f.live == 0, "no leak: %ld", f.live);
  for (fail_at = 0; fail_at < 100; fail_at++) { /* the keys: each allocation fails in turn */
    copydesk_code rc;
    f.countdown = fail_at;
    copydesk_buf_init(&b, &alc);
    rc = copydesk_shingle_keys(LONG_TEXT, sizeof LONG_TEXT - 1, 5, &b, NULL);
    check(rc == COPYDESK_OK || (rc == COPYDESK_ERR_NOMEM && b.len == 0), "keys, failure %ld", fail_at);
    copydesk_buf_free(&b);
    if (rc == COPYDESK_OK) break;
  }
  check(fail_at > 0 && fail_at < 100 && f.live == 0, "keys: %ld failures, %ld leaked", fail_at,
        f.live);
  for (fail_at = 0; fail_at < 100; fail_at++) { /* signature and keys: both keep their lengths */
    copydesk_buf k;
    copydesk_code rc;
    f.countdown = fail_at;
    copydesk_buf_init(&b, &alc);
    copydesk_buf_init(&k, &alc);
    rc = copydesk_minhash_keys(LONG_TEXT, sizeof LONG_TEXT - 1, NULL, &b, &k, NULL);
    check(rc == COPYDESK_OK || (rc == COPYDESK_ERR_NOMEM && b.len == 0 && k.len == 0),
          "signature and keys, failure %ld", fail_at);
    copydesk_buf_free(&b);
    copydesk_buf_free(&k);
    if (rc == COPYDESK_OK) break;
  }
  check(fail_at > 1 && fail_at < 100 && f.live == 0, "signature and keys: %ld failures, %ld leaked",
        fail_at, f.live);
}

int main(void) {
  test_layout();
  test_same_words();
  test_estimate();
  test_keys();
  test_minhash_keys();
  test_margin();
  test_short();
  test_settings_refused();
  test_not_signatures();
  test_bad_settings();
  test_lsh_params();
  test_band_keys();
  test_nomem();
  return check_done("test_minhash");
}
