/* dedup.c: the near-duplicate index: exact duplicates by content hash, near-duplicates by LSH
** over MinHash signatures, clusters by union-find.
**
** Verification: a candidate's estimate decides when it is further from the threshold than
** copydesk_minhash_margin; within it, where 128 values err one time in five or more, the exact
** similarity of the two articles' shingle keys decides. So the index keeps each article's keys
** (4 bytes a distinct shingle) when it is given the text; without it the estimate decides.
**
** Layout, chosen so memory stays near the size of the signatures: articles that have shingles
** and new content get a slot; a slot's values sit in one flat array. Each band is a chain
** through the slots: one open-addressing table maps a band key to the newest slot holding it,
** and next[slot * bands + band] to the one before, so a band costs 4 bytes a slot plus its
** table entry, and no list is allocated per key. Every allocation happens before the index
** changes, so an out-of-memory failure adds nothing. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "minhash_internal.h"

#define NONE UINT32_MAX           /* no slot, no article */
#define MAX_ARTICLES (UINT32_MAX - 1)
#define MIN_TABLE 64              /* entries of an empty table's first allocation */
#define MSG_OTHER_SETTINGS "signatures made with other settings"
#define MSG_NOT_KEYS "not a set of shingle keys"
#define SIMILARITY_SLACK 1e-12    /* 0.8 * 128 computed as a double must not miss 102/128 */

/* An open-addressing hash table from a 64-bit key to a 32-bit value, linear probing; an entry
** with value NONE is empty. The load stays at most one half. */
typedef struct table {
  uint64_t *keys;
  uint32_t *vals;
  size_t n, cap; /* cap is 0 or a power of two */
} table;

/* A growable array of n items of `size` bytes. */
typedef struct vec {
  void *p;
  size_t n, cap;
} vec;

struct copydesk_dedup {
  const copydesk_alloc *alc;
  copydesk_dedup_opts o;
  size_t sig_len;
  vec parent;    /* uint32_t per article: union-find, the root is the cluster's first article */
  vec slot_of;   /* uint32_t per article: its slot, or NONE */
  vec article;   /* uint32_t per slot: its article */
  vec mark;      /* uint32_t per slot: the article last verified against it, plus 1 */
  vec values;    /* uint32_t, num_perm per slot */
  vec next;      /* uint32_t, bands per slot: the previous slot with the same band key */
  vec set_first; /* size_t per slot: where its keys start in `sets` */
  vec set_count; /* uint32_t per slot: how many keys it has, or NONE (added without its text) */
  vec sets;      /* 4-byte keys (copydesk_shingle_keys), one slot's after another */
  copydesk_buf keys; /* the keys of the article being added */
  double margin; /* copydesk_minhash_margin */
  table content; /* content hash -> the first article with it */
  table bands;   /* band key -> newest slot */
};

static int vec_reserve(const copydesk_alloc *alc, vec *v, size_t size, size_t more) {
  size_t cap;
  void *p;
  if (more > SIZE_MAX / size - v->n) return 0;
  if (v->n + more <= v->cap) return 1;
  cap = v->cap < 16 ? 16 : v->cap;
  while (cap < v->n + more) cap = cap > SIZE_MAX / size / 2 ? v->n + more : cap * 2;
  p = cd_realloc(alc, v->p, v->cap * size, cap * size);
  if (p == NULL) return 0;
  v->p = p;
  v->cap = cap;
  return 1;
}

static void vec_free(const copydesk_alloc *alc, vec *v, size_t size) {
  cd_free(alc, v->p, v->cap * size);
  v->p = NULL;
  v->n = v->cap = 0;
}

#define U32(v) ((uint32_t *)(v).p)

/* A 64-bit finaliser (from MurmurHash3's fmix64): content hashes and band keys are XXH3 output
** already, but mixing again costs little and keeps the table safe from keys with structure. */
static size_t slot_hash(uint64_t k, size_t cap) {
  k ^= k >> 33;
  k *= 0xFF51AFD7ED558CCDu;
  k ^= k >> 33;
  return (size_t)k & (cap - 1);
}

static size_t table_find(const table *t, uint64_t key) {
  size_t i = slot_hash(key, t->cap);
  while (t->vals[i] != NONE && t->keys[i] != key) i = (i + 1) & (t->cap - 1);
  return i;
}

/* The value for key, or NONE. */
static uint32_t table_get(const table *t, uint64_t key) {
  return t->cap ? t->vals[table_find(t, key)] : NONE;
}

/* Sets key's value; room must have been made with table_reserve. */
static void table_put(table *t, uint64_t key, uint32_t val) {
  size_t i = table_find(t, key);
  if (t->vals[i] == NONE) t->n++;
  t->keys[i] = key;
  t->vals[i] = val;
}

/* Makes room for `more` new keys, rehashing into a table twice as large when needed. */
static int table_reserve(const copydesk_alloc *alc, table *t, size_t more) {
  table g;
  size_t i;
  if (more > SIZE_MAX / 4 - t->n) return 0;
  if ((t->n + more) * 2 <= t->cap) return 1;
  g.cap = t->cap ? t->cap : MIN_TABLE;
  while ((t->n + more) * 2 > g.cap) g.cap *= 2;
  g.n = 0;
  g.keys = cd_malloc(alc, g.cap * sizeof *g.keys);
  g.vals = cd_malloc(alc, g.cap * sizeof *g.vals);
  if (g.keys == NULL || g.vals == NULL) {
    cd_free(alc, g.keys, g.cap * sizeof *g.keys);
    cd_free(alc, g.vals, g.cap * sizeof *g.vals);
    return 0;
  }
  memset(g.vals, 0xFF, g.cap * sizeof *g.vals);
  for (i = 0; i < t->cap; i++)
    if (t->vals[i] != NONE) table_put(&g, t->keys[i], t->vals[i]);
  cd_free(alc, t->keys, t->cap * sizeof *t->keys);
  cd_free(alc, t->vals, t->cap * sizeof *t->vals);
  *t = g;
  return 1;
}

static void table_free(const copydesk_alloc *alc, table *t) {
  cd_free(alc, t->keys, t->cap * sizeof *t->keys);
  cd_free(alc, t->vals, t->cap * sizeof *t->vals);
  memset(t, 0, sizeof *t);
}

copydesk_code copydesk_dedup_new(const copydesk_dedup_opts *opts, const copydesk_alloc *alc,
                                 copydesk_dedup **out) {
  static const copydesk_dedup_opts zero;
  copydesk_dedup_opts o = opts ? *opts : zero;
  copydesk_dedup *d;
  if (out == NULL) return COPYDESK_ERR_INVALID;
  *out = NULL;
  if (o.threshold == 0) o.threshold = 0.8;
  if (!cd_minhash_settings(&o.minhash, &o.minhash) || !(o.threshold > 0 && o.threshold <= 1) ||
      (o.flags & ~(unsigned)COPYDESK_DEDUP_EXACT) || (o.bands == 0) != (o.rows == 0))
    return COPYDESK_ERR_INVALID;
  if (o.bands == 0 &&
      copydesk_lsh_params(o.threshold, o.minhash.num_perm, &o.bands, &o.rows) != COPYDESK_OK)
    return COPYDESK_ERR_INVALID;
  if (o.rows > o.minhash.num_perm || o.bands > o.minhash.num_perm / o.rows)
    return COPYDESK_ERR_INVALID;
  d = cd_malloc(alc, sizeof *d);
  if (d == NULL) return COPYDESK_ERR_NOMEM;
  memset(d, 0, sizeof *d);
  d->alc = alc;
  d->o = o;
  d->sig_len = copydesk_minhash_size(&o.minhash);
  d->margin = copydesk_minhash_margin(o.threshold, o.minhash.num_perm);
  copydesk_buf_init(&d->keys, alc);
  *out = d;
  return COPYDESK_OK;
}

void copydesk_dedup_free(copydesk_dedup *d) {
  const copydesk_alloc *alc;
  if (d == NULL) return;
  alc = d->alc;
  vec_free(alc, &d->parent, 4);
  vec_free(alc, &d->slot_of, 4);
  vec_free(alc, &d->article, 4);
  vec_free(alc, &d->mark, 4);
  vec_free(alc, &d->values, 4);
  vec_free(alc, &d->next, 4);
  vec_free(alc, &d->set_first, sizeof(size_t));
  vec_free(alc, &d->set_count, 4);
  vec_free(alc, &d->sets, 4);
  copydesk_buf_free(&d->keys);
  table_free(alc, &d->content);
  table_free(alc, &d->bands);
  cd_free(alc, d, sizeof *d);
}

size_t copydesk_dedup_count(const copydesk_dedup *d) { return d->parent.n; }

void copydesk_dedup_settings(const copydesk_dedup *d, copydesk_dedup_opts *opts) { *opts = d->o; }

/* The root of article i, halving the path on the way. */
static uint32_t find(copydesk_dedup *d, uint32_t i) {
  uint32_t *parent = U32(d->parent);
  while (parent[i] != i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

/* Joins the clusters of a and b under the smaller root: the earliest article names a cluster. */
static void join(copydesk_dedup *d, uint32_t a, uint32_t b) {
  uint32_t ra = find(d, a), rb = find(d, b);
  if (ra < rb) U32(d->parent)[rb] = ra;
  else U32(d->parent)[ra] = rb;
}

size_t copydesk_dedup_cluster(copydesk_dedup *d, size_t index) {
  if (index >= d->parent.n) return SIZE_MAX;
  return find(d, (uint32_t)index);
}

/* The keys of `slot` (count in *n), or NULL when it was added without its text. */
static const char *keys_of(const copydesk_dedup *d, uint32_t slot, size_t *n) {
  uint32_t count = U32(d->set_count)[slot];
  if (count == NONE) return NULL;
  *n = count;
  return (const char *)d->sets.p + 4 * ((const size_t *)d->set_first.p)[slot];
}

/* The article being added: its number, signature, band keys and shingle keys (NULL when it
** came without them). */
typedef struct incoming {
  uint32_t self;
  const char *sig;
  uint64_t band_keys[COPYDESK_MINHASH_MAX_PERM];
  const char *keys;
  size_t nkeys;
} incoming;

/* The similarity of the article being added to the article in `slot`: the estimate, or the
** exact similarity when the index verifies exactly or the estimate is within the margin, and
** both have their keys. */
static double similarity(const copydesk_dedup *d, const incoming *in, uint32_t slot) {
  const uint32_t *v = U32(d->values) + (size_t)slot * d->o.minhash.num_perm;
  size_t i, equal = 0, n;
  const char *keys;
  double est;
  for (i = 0; i < d->o.minhash.num_perm; i++) equal += cd_minhash_value(in->sig, i) == v[i];
  est = (double)equal / (double)d->o.minhash.num_perm;
  if (in->keys == NULL ||
      (!(d->o.flags & COPYDESK_DEDUP_EXACT) && fabs(est - d->o.threshold) > d->margin))
    return est;
  keys = keys_of(d, slot, &n);
  return keys ? cd_keys_jaccard(in->keys, in->nkeys, keys, n) : est;
}

/* Makes room for one more article (and its slot, band entries and nkeys keys) so that adding
** it cannot fail half-way. */
static int reserve_article(copydesk_dedup *d, int indexed, size_t nkeys) {
  const copydesk_alloc *alc = d->alc;
  size_t k = d->o.minhash.num_perm, b = d->o.bands;
  if (!vec_reserve(alc, &d->parent, 4, 1) || !vec_reserve(alc, &d->slot_of, 4, 1) ||
      !table_reserve(alc, &d->content, 1))
    return 0;
  if (!indexed) return 1;
  return vec_reserve(alc, &d->article, 4, 1) && vec_reserve(alc, &d->mark, 4, 1) &&
         vec_reserve(alc, &d->values, 4, k) && vec_reserve(alc, &d->next, 4, b) &&
         table_reserve(alc, &d->bands, b) && vec_reserve(alc, &d->set_first, sizeof(size_t), 1) &&
         vec_reserve(alc, &d->set_count, 4, 1) && vec_reserve(alc, &d->sets, 4, nkeys);
}

/* Verifies every earlier slot sharing a band with the new article, joining the clusters of
** those at or above the threshold and keeping the most similar in *m. */
static void verify_candidates(copydesk_dedup *d, const incoming *in, copydesk_dedup_match *m) {
  size_t band;
  uint32_t *next = U32(d->next), *mark = U32(d->mark), *article = U32(d->article);
  for (band = 0; band < d->o.bands; band++) {
    uint32_t slot = table_get(&d->bands, in->band_keys[band]);
    for (; slot != NONE; slot = next[(size_t)slot * d->o.bands + band]) {
      double sim;
      if (mark[slot] == in->self + 1) continue;
      mark[slot] = in->self + 1;
      sim = similarity(d, in, slot);
      if (sim + SIMILARITY_SLACK < d->o.threshold) continue;
      join(d, in->self, article[slot]);
      if (sim > m->similarity || (sim == m->similarity && article[slot] < m->match)) {
        m->similarity = sim;
        m->match = article[slot];
      }
    }
  }
}

/* Gives the new article a slot: its values, its keys, and the head of each band chain. */
static void index_article(copydesk_dedup *d, const incoming *in) {
  size_t i, k = d->o.minhash.num_perm, slot = d->article.n;
  uint32_t *v = U32(d->values) + slot * k;
  U32(d->article)[slot] = in->self;
  U32(d->mark)[slot] = 0;
  d->article.n++;
  d->mark.n++;
  for (i = 0; i < k; i++) v[i] = cd_minhash_value(in->sig, i);
  d->values.n += k;
  for (i = 0; i < d->o.bands; i++) {
    U32(d->next)[slot * d->o.bands + i] = table_get(&d->bands, in->band_keys[i]);
    table_put(&d->bands, in->band_keys[i], (uint32_t)slot);
  }
  d->next.n += d->o.bands;
  ((size_t *)d->set_first.p)[slot] = d->sets.n;
  U32(d->set_count)[slot] = in->keys ? (uint32_t)in->nkeys : NONE;
  d->set_first.n++;
  d->set_count.n++;
  if (in->keys) {
    memcpy((char *)d->sets.p + 4 * d->sets.n, in->keys, 4 * in->nkeys);
    d->sets.n += in->nkeys;
  }
  U32(d->slot_of)[in->self] = (uint32_t)slot;
}

/* Checks the signature against the index's settings. */
static copydesk_code check_signature(copydesk_dedup *d, const char *sig, size_t len,
                                     copydesk_minhash_info *info, copydesk_err *err) {
  if (copydesk_minhash_read(sig, len, info, err) != COPYDESK_OK) return COPYDESK_ERR_INVALID;
  if (!cd_minhash_same(&info->opts, &d->o.minhash))
    return cd_fail(err, COPYDESK_ERR_INVALID, MSG_OTHER_SETTINGS, NULL, NULL, 0, 0);
  if (d->parent.n >= MAX_ARTICLES)
    return cd_fail(err, COPYDESK_ERR_TOO_LARGE, "too many articles", NULL, NULL, 0, 0);
  return COPYDESK_OK;
}

/* Whether the article of `info` will get a slot: it has shingles and new content. */
static int will_index(const copydesk_dedup *d, const copydesk_minhash_info *info) {
  return info->shingles > 0 && table_get(&d->content, info->content) == NONE;
}

/* Adds a checked signature with its keys (NULL: none); see copydesk_dedup_add. */
static copydesk_code add_checked(copydesk_dedup *d, const char *sig,
                                 const copydesk_minhash_info *info, const char *keys,
                                 size_t nkeys, copydesk_dedup_match *m, copydesk_err *err) {
  copydesk_dedup_match local;
  incoming in;
  uint32_t same = table_get(&d->content, info->content);
  int indexed = same == NONE && info->shingles > 0;
  size_t band;
  if (!reserve_article(d, indexed, keys ? nkeys : 0))
    return cd_fail(err, COPYDESK_ERR_NOMEM, NULL, NULL, NULL, 0, 0);
  if (m == NULL) m = &local;
  m->index = d->parent.n;
  m->match = SIZE_MAX;
  m->similarity = 0;
  m->exact = 0;
  in.self = (uint32_t)d->parent.n;
  U32(d->parent)[in.self] = in.self;
  U32(d->slot_of)[in.self] = NONE;
  d->parent.n++;
  d->slot_of.n++;
  if (same != NONE) {
    m->match = same;
    m->similarity = 1;
    m->exact = 1;
    join(d, in.self, same);
  } else {
    table_put(&d->content, info->content, in.self);
    if (indexed) {
      in.sig = sig;
      in.keys = keys;
      in.nkeys = nkeys;
      for (band = 0; band < d->o.bands; band++)
        in.band_keys[band] = cd_minhash_band(sig, band, d->o.rows);
      verify_candidates(d, &in, m);
      index_article(d, &in);
    }
  }
  m->cluster = find(d, in.self);
  cd_ok(err);
  return COPYDESK_OK;
}

copydesk_code copydesk_dedup_add(copydesk_dedup *d, const char *sig, size_t len,
                                 const char *text, size_t text_len, copydesk_dedup_match *m,
                                 copydesk_err *err) {
  copydesk_minhash_info info;
  copydesk_code rc = check_signature(d, sig, len, &info, err);
  if (rc != COPYDESK_OK) return rc;
  if (text == NULL && (text_len > 0 || (d->o.flags & COPYDESK_DEDUP_EXACT)))
    return cd_fail(err, COPYDESK_ERR_INVALID, NULL, NULL, NULL, 0, 0);
  copydesk_buf_clear(&d->keys);
  if (text == NULL || !will_index(d, &info))
    return add_checked(d, sig, &info, NULL, 0, m, err);
  rc = copydesk_shingle_keys(text, text_len, d->o.minhash.ngram, &d->keys, NULL);
  if (rc != COPYDESK_OK) return cd_fail(err, rc, NULL, NULL, NULL, 0, 0);
  return add_checked(d, sig, &info, d->keys.data, d->keys.len / 4, m, err);
}

copydesk_code copydesk_dedup_add_keys(copydesk_dedup *d, const char *sig, size_t len,
                                      const char *keys, size_t keys_len,
                                      copydesk_dedup_match *m, copydesk_err *err) {
  copydesk_minhash_info info;
  size_t i;
  copydesk_code rc = check_signature(d, sig, len, &info, err);
  if (rc != COPYDESK_OK) return rc;
  if ((keys == NULL && keys_len > 0) || keys_len % 4 ||
      (keys == NULL && (d->o.flags & COPYDESK_DEDUP_EXACT)))
    return cd_fail(err, COPYDESK_ERR_INVALID, MSG_NOT_KEYS, NULL, NULL, 0, 0);
  for (i = 4; i < keys_len; i += 4)
    if (cd_le32(keys + i - 4) >= cd_le32(keys + i))
      return cd_fail(err, COPYDESK_ERR_INVALID, MSG_NOT_KEYS, NULL, NULL, 0, 0);
  return add_checked(d, sig, &info, keys, keys_len / 4, m, err);
}
