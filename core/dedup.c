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
** table entry, and no list is allocated per key. The shingle keys, four times the size of a
** signature for a news article and read for few pairs, go to the spill store: an unlinked
** temporary file behind a fixed write buffer, from which only a pair within the margin reads
** its candidate's keys back; a slot keeps their offset and count.
**
** Failures add nothing: every allocation is made, the candidates read and verified, and the
** new keys stored before the index changes (the clusters to join wait in `hits`). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "minhash_internal.h"

#define NONE UINT32_MAX           /* no slot, no article */
#define MAX_ARTICLES (UINT32_MAX - 1)
#define MIN_TABLE 64              /* entries of an empty table's first allocation */
#define MSG_OTHER_SETTINGS "signatures made with other settings"
#define MSG_NOT_KEYS "not a set of shingle keys"
#define SIMILARITY_SLACK 1e-12    /* 0.8 * 128 computed as a double must not miss 102/128 */
#define SPILL_BUFFER 16384        /* keys (64 KiB) written to the spill file at a time */
#define SPILL_NAME "/copydesk-dedup-XXXXXX"
#ifndef P_tmpdir
#define P_tmpdir "/tmp"
#endif

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

/* The spill store of shingle keys (4 bytes each; offsets count keys): the first `flushed` in
** the file, the rest in `buf`. In memory (COPYDESK_DEDUP_KEYS_IN_MEMORY) there is no file and
** `buf` holds them all. */
typedef struct store {
  int fd;           /* the unlinked file, -1 until the first keys come */
  char *dir;        /* its folder (a copy of copydesk_dedup_opts.spill_dir), or NULL */
  uint64_t flushed; /* keys in the file */
  vec buf;          /* keys not yet written */
  vec back;         /* a candidate's keys read back */
} store;

struct copydesk_dedup {
  const copydesk_alloc *alc;
  copydesk_dedup_opts o;
  size_t sig_len;
  vec parent;    /* uint32_t per article: union-find, the root is the cluster's first article */
  vec slot_of;   /* uint32_t per article: its slot, or NONE */
  vec article;   /* uint32_t per slot: its article */
  vec mark;      /* uint32_t per slot: the stamp of the last add that verified it */
  vec values;    /* uint32_t, num_perm per slot */
  vec next;      /* uint32_t, bands per slot: the previous slot with the same band key */
  vec set_first; /* uint64_t per slot: where its keys start in the store */
  vec set_count; /* uint32_t per slot: how many keys it has, or NONE (added without its text) */
  vec hits;      /* uint32_t: the articles the one being added joins */
  uint32_t stamp; /* numbers the adds that verify candidates, for `mark` */
  store spill;   /* the shingle keys */
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

/* ---- the spill store ---- */

#define MSG_CREATE "cannot create the spill file"
#define MSG_WRITE "cannot write the spill file"
#define MSG_READ "cannot read the spill file"

/* Creates the store's file in its folder, unlinked at once so that nothing is left behind
** however the process ends; errno tells why it could not be. */
static copydesk_code store_open(const copydesk_alloc *alc, store *st, copydesk_err *err) {
  const char *dir = st->dir ? st->dir : P_tmpdir;
  size_t len = strlen(dir), size = len + sizeof SPILL_NAME;
  char *path = cd_malloc(alc, size);
  int fd, saved;
  if (path == NULL) return cd_fail(err, COPYDESK_ERR_NOMEM, NULL, NULL, NULL, 0, 0);
  memcpy(path, dir, len);
  memcpy(path + len, SPILL_NAME, sizeof SPILL_NAME);
  fd = mkstemp(path);
  saved = errno;
  if (fd >= 0) {
    unlink(path);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
  cd_free(alc, path, size);
  errno = saved;
  if (fd < 0) return cd_fail(err, COPYDESK_ERR_IO, MSG_CREATE, NULL, NULL, 0, 0);
  st->fd = fd;
  return COPYDESK_OK;
}

/* Writes n keys at key offset `at`, whole or failing. */
static copydesk_code store_write(store *st, const void *keys, size_t n, uint64_t at,
                                 copydesk_err *err) {
  const char *p = keys;
  size_t left = 4 * n;
  off_t off = (off_t)(4 * at);
  while (left > 0) {
    ssize_t w = pwrite(st->fd, p, left, off);
    if (w < 0 && errno == EINTR) continue;
    if (w == 0) errno = EIO;
    if (w <= 0) return cd_fail(err, COPYDESK_ERR_IO, MSG_WRITE, NULL, NULL, 0, 0);
    p += w;
    left -= (size_t)w;
    off += w;
  }
  return COPYDESK_OK;
}

/* Writes the buffer to the file. A failure leaves the store as it was, so a later flush writes
** the same keys at the same place. */
static copydesk_code store_flush(store *st, copydesk_err *err) {
  if (st->buf.n == 0) return COPYDESK_OK;
  if (store_write(st, st->buf.p, st->buf.n, st->flushed, err) != COPYDESK_OK)
    return COPYDESK_ERR_IO;
  st->flushed += st->buf.n;
  st->buf.n = 0;
  return COPYDESK_OK;
}

/* The offset at which the next keys will be stored. */
static uint64_t store_end(const store *st) { return st->flushed + st->buf.n; }

/* Stores n keys at store_end; on failure the store is as it was. */
static copydesk_code store_append(const copydesk_alloc *alc, store *st, int in_memory,
                                  const char *keys, size_t n, copydesk_err *err) {
  copydesk_code rc;
  if (n == 0) return COPYDESK_OK;
  if (in_memory || st->buf.cap == 0) {
    if (!vec_reserve(alc, &st->buf, 4, in_memory ? n : SPILL_BUFFER))
      return cd_fail(err, COPYDESK_ERR_NOMEM, NULL, NULL, NULL, 0, 0);
  }
  if (!in_memory) {
    if (st->fd < 0 && (rc = store_open(alc, st, err)) != COPYDESK_OK) return rc;
    if (st->buf.n + n > st->buf.cap && (rc = store_flush(st, err)) != COPYDESK_OK) return rc;
    if (n > st->buf.cap) { /* more than the buffer holds: straight to the file */
      if ((rc = store_write(st, keys, n, st->flushed, err)) != COPYDESK_OK) return rc;
      st->flushed += n;
      return COPYDESK_OK;
    }
  }
  memcpy((char *)st->buf.p + 4 * st->buf.n, keys, 4 * n);
  st->buf.n += n;
  return COPYDESK_OK;
}

/* The n keys stored at `first`: in the buffer, or read back from the file into `back`. The
** keys of one article are stored whole in one place, so they are never split between them. */
static copydesk_code store_read(const copydesk_alloc *alc, store *st, uint64_t first, size_t n,
                                const char **keys, copydesk_err *err) {
  char *p;
  size_t left = 4 * n;
  off_t off = (off_t)(4 * first);
  if (n == 0) {
    *keys = "";
    return COPYDESK_OK;
  }
  if (first >= st->flushed) {
    *keys = (const char *)st->buf.p + 4 * (first - st->flushed);
    return COPYDESK_OK;
  }
  if (!vec_reserve(alc, &st->back, 4, n))
    return cd_fail(err, COPYDESK_ERR_NOMEM, NULL, NULL, NULL, 0, 0);
  p = st->back.p;
  while (left > 0) {
    ssize_t r = pread(st->fd, p, left, off);
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) errno = EIO; /* the file is shorter than the keys written to it */
    if (r <= 0) return cd_fail(err, COPYDESK_ERR_IO, MSG_READ, NULL, NULL, 0, 0);
    p += r;
    left -= (size_t)r;
    off += r;
  }
  *keys = st->back.p;
  return COPYDESK_OK;
}

static void store_free(const copydesk_alloc *alc, store *st) {
  if (st->fd >= 0) close(st->fd);
  st->fd = -1;
  if (st->dir) cd_free(alc, st->dir, strlen(st->dir) + 1);
  st->dir = NULL;
  vec_free(alc, &st->buf, 4);
  vec_free(alc, &st->back, 4);
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
      (o.flags & ~(unsigned)(COPYDESK_DEDUP_EXACT | COPYDESK_DEDUP_KEYS_IN_MEMORY)) ||
      (o.bands == 0) != (o.rows == 0))
    return COPYDESK_ERR_INVALID;
  if (o.bands == 0 &&
      copydesk_lsh_params(o.threshold, o.minhash.num_perm, &o.bands, &o.rows) != COPYDESK_OK)
    return COPYDESK_ERR_INVALID;
  if (o.rows > o.minhash.num_perm || o.bands > o.minhash.num_perm / o.rows)
    return COPYDESK_ERR_INVALID;
  d = cd_malloc(alc, sizeof *d);
  if (d == NULL) return COPYDESK_ERR_NOMEM;
  memset(d, 0, sizeof *d);
  d->spill.fd = -1;
  if (o.spill_dir && !(o.flags & COPYDESK_DEDUP_KEYS_IN_MEMORY)) {
    d->spill.dir = cd_strndup(alc, o.spill_dir, strlen(o.spill_dir));
    if (d->spill.dir == NULL) {
      cd_free(alc, d, sizeof *d);
      return COPYDESK_ERR_NOMEM;
    }
  }
  o.spill_dir = d->spill.dir;
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
  vec_free(alc, &d->set_first, 8);
  vec_free(alc, &d->set_count, 4);
  vec_free(alc, &d->hits, 4);
  store_free(alc, &d->spill);
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
** both have their keys (read from the store: the only step that can fail). */
static copydesk_code similarity(copydesk_dedup *d, const incoming *in, uint32_t slot,
                                double *sim, copydesk_err *err) {
  const uint32_t *v = U32(d->values) + (size_t)slot * d->o.minhash.num_perm;
  uint32_t count = U32(d->set_count)[slot];
  size_t i, equal = 0;
  const char *keys = NULL;
  copydesk_code rc;
  for (i = 0; i < d->o.minhash.num_perm; i++) equal += cd_minhash_value(in->sig, i) == v[i];
  *sim = (double)equal / (double)d->o.minhash.num_perm;
  if (in->keys == NULL || count == NONE ||
      (!(d->o.flags & COPYDESK_DEDUP_EXACT) && fabs(*sim - d->o.threshold) > d->margin))
    return COPYDESK_OK;
  rc = store_read(d->alc, &d->spill, ((const uint64_t *)d->set_first.p)[slot], count, &keys, err);
  if (rc != COPYDESK_OK) return rc;
  *sim = cd_keys_jaccard(in->keys, in->nkeys, keys, count);
  return COPYDESK_OK;
}

/* Makes room for one more article (and its slot and band entries) so that adding it cannot
** fail half-way. */
static int reserve_article(copydesk_dedup *d, int indexed) {
  const copydesk_alloc *alc = d->alc;
  size_t k = d->o.minhash.num_perm, b = d->o.bands;
  if (!vec_reserve(alc, &d->parent, 4, 1) || !vec_reserve(alc, &d->slot_of, 4, 1) ||
      !table_reserve(alc, &d->content, 1))
    return 0;
  if (!indexed) return 1;
  return vec_reserve(alc, &d->article, 4, 1) && vec_reserve(alc, &d->mark, 4, 1) &&
         vec_reserve(alc, &d->values, 4, k) && vec_reserve(alc, &d->next, 4, b) &&
         table_reserve(alc, &d->bands, b) && vec_reserve(alc, &d->set_first, 8, 1) &&
         vec_reserve(alc, &d->set_count, 4, 1);
}

/* Verifies every earlier slot sharing a band with the new article, keeping the articles at or
** above the threshold in `hits` and the most similar in *m. Changes nothing else. */
static copydesk_code verify_candidates(copydesk_dedup *d, const incoming *in,
                                       copydesk_dedup_match *m, copydesk_err *err) {
  size_t band;
  uint32_t *next = U32(d->next), *mark = U32(d->mark), *article = U32(d->article);
  if (++d->stamp == 0) { /* wrapped: no slot may keep an old stamp */
    memset(mark, 0, d->mark.n * 4);
    d->stamp = 1;
  }
  for (band = 0; band < d->o.bands; band++) {
    uint32_t slot = table_get(&d->bands, in->band_keys[band]);
    for (; slot != NONE; slot = next[(size_t)slot * d->o.bands + band]) {
      double sim;
      copydesk_code rc;
      if (mark[slot] == d->stamp) continue;
      mark[slot] = d->stamp;
      if ((rc = similarity(d, in, slot, &sim, err)) != COPYDESK_OK) return rc;
      if (sim + SIMILARITY_SLACK < d->o.threshold) continue;
      if (!vec_reserve(d->alc, &d->hits, 4, 1))
        return cd_fail(err, COPYDESK_ERR_NOMEM, NULL, NULL, NULL, 0, 0);
      U32(d->hits)[d->hits.n++] = article[slot];
      if (sim > m->similarity || (sim == m->similarity && article[slot] < m->match)) {
        m->similarity = sim;
        m->match = article[slot];
      }
    }
  }
  return COPYDESK_OK;
}

/* Gives the new article a slot: its values, where its keys were stored (at `first`), and the
** head of each band chain. */
static void index_article(copydesk_dedup *d, const incoming *in, uint64_t first) {
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
  ((uint64_t *)d->set_first.p)[slot] = first;
  U32(d->set_count)[slot] = in->keys ? (uint32_t)in->nkeys : NONE;
  d->set_first.n++;
  d->set_count.n++;
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
  copydesk_dedup_match r;
  incoming in;
  uint32_t same = table_get(&d->content, info->content);
  int indexed = same == NONE && info->shingles > 0;
  uint64_t first = store_end(&d->spill);
  size_t i;
  copydesk_code rc;
  if (!reserve_article(d, indexed))
    return cd_fail(err, COPYDESK_ERR_NOMEM, NULL, NULL, NULL, 0, 0);
  r.index = d->parent.n;
  r.match = SIZE_MAX;
  r.similarity = 0;
  r.exact = 0;
  in.self = (uint32_t)d->parent.n;
  d->hits.n = 0;
  if (indexed) {
    in.sig = sig;
    in.keys = keys;
    in.nkeys = nkeys;
    for (i = 0; i < d->o.bands; i++) in.band_keys[i] = cd_minhash_band(sig, i, d->o.rows);
    rc = verify_candidates(d, &in, &r, err);
    if (rc == COPYDESK_OK && keys)
      rc = store_append(d->alc, &d->spill, (d->o.flags & COPYDESK_DEDUP_KEYS_IN_MEMORY) != 0,
                        keys, nkeys, err);
    if (rc != COPYDESK_OK) return rc;
  }
  U32(d->parent)[in.self] = in.self;
  U32(d->slot_of)[in.self] = NONE;
  d->parent.n++;
  d->slot_of.n++;
  if (same != NONE) {
    r.match = same;
    r.similarity = 1;
    r.exact = 1;
    join(d, in.self, same);
  } else {
    table_put(&d->content, info->content, in.self);
    for (i = 0; i < d->hits.n; i++) join(d, in.self, U32(d->hits)[i]);
    if (indexed) index_article(d, &in, first);
  }
  r.cluster = find(d, in.self);
  if (m) *m = r;
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
