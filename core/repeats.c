/* repeats.c: removes paragraphs that repeat an earlier paragraph of the same article (a scraper
** that read both the teaser and the story, or a page template that printed a block twice). */
#include <string.h>
#include <utf8proc.h>

#include "clean_internal.h"

#define REPEATS_CONTEXT "clean_repeats"
#define DEFAULT_MIN_LEN 24

/* What normal_form writes for an ASCII byte: a letter's lower case, a digit, or 0 for the
** other ASCII bytes, which make a gap (bytes beyond ASCII are 0 too, and looked at closer). */
#define ALNUM_FOLD(c) \
  ((c) >= 'A' && (c) <= 'Z'                                  ? (c) + 32 \
   : ((c) >= '0' && (c) <= '9') || ((c) >= 'a' && (c) <= 'z') ? (c)      \
                                                              : 0)
static const unsigned char alnum_fold[256] = CD_BYTE_TABLE(ALNUM_FOLD);

/* If the character beyond ASCII at s[0..len) is a letter, mark or digit, writes its lower case to
** dst and returns the bytes written; else returns 0. Sets *used to the bytes read. A lower case
** longer than its source is not used, so a normal form never outgrows its source. */
static size_t fold_word_char(const char *s, size_t len, char *dst, size_t *used) {
  uint32_t cp;
  utf8proc_category_t cat;
  size_t n;
  *used = 1;
  if ((n = cd_utf8_decode((const unsigned char *)s, len, &cp)) == 0) return 0;
  *used = n;
  cat = utf8proc_category((utf8proc_int32_t)cp);
  if (cat < UTF8PROC_CATEGORY_LU || cat > UTF8PROC_CATEGORY_NO) return 0;
  return cd_put_lower(cp, s, n, dst);
}

/* Writes the normal form of s[a, b) to dst (room for b - a bytes) and returns its length:
** letters and digits case-folded, each run of anything else one space, none at either end. */
static size_t normal_form(const char *s, size_t a, size_t b, char *dst) {
  size_t n = 0, m, used;
  int gap = 0;
  unsigned char c;
  while (a < b) {
    c = (unsigned char)s[a];
    if (alnum_fold[c] != 0) { /* the usual run of ASCII letters and digits */
      if (gap && n > 0) dst[n++] = ' ';
      gap = 0;
      cd_map_run(alnum_fold, s, &a, b, dst, &n);
      continue;
    }
    if (c < 0x80) {
      gap = 1;
      a++;
      continue;
    }
    if (gap && n > 0) dst[n] = ' '; /* written now, kept only if a word character follows */
    m = fold_word_char(s + a, b - a, dst + n + (gap && n > 0), &used);
    if (m == 0) {
      gap = 1;
    } else {
      n += m + (gap && n > 0);
      gap = 0;
    }
    a += used;
  }
  return n;
}

/* The scratch state of one call: normal forms one after another, and an open-addressing table
** of the indexes (plus one) of the paragraphs seen so far. */
typedef struct seen {
  char *norm;
  size_t *off, *nlen; /* each paragraph's normal form: norm + off[i], nlen[i] bytes */
  uint64_t *hash;
  size_t *table, mask;
} seen;

/* Looks up paragraph i among the earlier ones; adds it when it is new. Returns 1 for a repeat. */
static int seen_before(seen *sn, size_t i) {
  size_t h = (size_t)sn->hash[i] & sn->mask, j;
  for (; sn->table[h]; h = (h + 1) & sn->mask) {
    j = sn->table[h] - 1;
    if (sn->hash[j] == sn->hash[i] && sn->nlen[j] == sn->nlen[i] &&
        memcmp(sn->norm + sn->off[j], sn->norm + sn->off[i], sn->nlen[i]) == 0)
      return 1;
  }
  sn->table[h] = i + 1;
  return 0;
}

/* Marks the repeats among ps[0..n); O(len) expected. */
static copydesk_code mark(const char *s, size_t len, size_t min_len, cd_para *ps, size_t n,
                          const copydesk_alloc *alc) {
  seen sn;
  size_t i, cap = 8, at = 0;
  copydesk_code rc = COPYDESK_OK;
  while (cap < n * 2) cap *= 2; /* load at most 1/2; n <= len / 2, so no overflow */
  sn.mask = cap - 1;
  sn.norm = cd_malloc(alc, len);
  sn.off = cd_malloc(alc, n * sizeof *sn.off);
  sn.nlen = cd_malloc(alc, n * sizeof *sn.nlen);
  sn.hash = cd_malloc(alc, n * sizeof *sn.hash);
  sn.table = cd_malloc(alc, cap * sizeof *sn.table);
  if (!sn.norm || !sn.off || !sn.nlen || !sn.hash || !sn.table) {
    rc = COPYDESK_ERR_NOMEM;
  } else {
    memset(sn.table, 0, cap * sizeof *sn.table);
    for (i = 0; i < n; i++) {
      sn.off[i] = at;
      sn.nlen[i] = normal_form(s, ps[i].start, ps[i].end, sn.norm + at);
      sn.hash[i] = cd_hash64(sn.norm + at, sn.nlen[i]);
      at += sn.nlen[i];
      if (sn.nlen[i] >= min_len && seen_before(&sn, i)) ps[i].reason = COPYDESK_REASON_REPEAT;
    }
  }
  cd_free(alc, sn.norm, len);
  cd_free(alc, sn.off, n * sizeof *sn.off);
  cd_free(alc, sn.nlen, n * sizeof *sn.nlen);
  cd_free(alc, sn.hash, n * sizeof *sn.hash);
  cd_free(alc, sn.table, cap * sizeof *sn.table);
  return rc;
}

static copydesk_code run(const char *s, size_t len, size_t min_len, copydesk_buf *out,
                         copydesk_edits *edits) {
  size_t n = cd_paras_split(s, len, NULL);
  cd_para *ps;
  copydesk_code rc;
  if (n < 2) return len ? copydesk_buf_append(out, s, len) : COPYDESK_OK;
  if (n > SIZE_MAX / sizeof *ps) return COPYDESK_ERR_OVERFLOW;
  if ((ps = cd_malloc(out->alc, n * sizeof *ps)) == NULL) return COPYDESK_ERR_NOMEM;
  cd_paras_split(s, len, ps);
  rc = mark(s, len, min_len, ps, n, out->alc);
  if (rc == COPYDESK_OK) rc = cd_paras_emit(s, len, ps, n, out, edits);
  cd_free(out->alc, ps, n * sizeof *ps);
  return rc;
}

copydesk_code copydesk_clean_repeats(const char *s, size_t len, const copydesk_repeat_opts *opts,
                                     copydesk_buf *out, copydesk_edits *edits,
                                     copydesk_err *err) {
  size_t out0, edits0, min_len = opts && opts->min_len ? opts->min_len : DEFAULT_MIN_LEN;
  copydesk_code rc;
  if (out == NULL || (s == NULL && len > 0))
    return cd_fail(err, COPYDESK_ERR_INVALID, NULL, REPEATS_CONTEXT, NULL, 0, 0);
  out0 = out->len;
  edits0 = edits ? edits->n : 0;
  rc = run(s, len, min_len, out, edits);
  if (rc != COPYDESK_OK) {
    out->len = out0;
    if (out->data) out->data[out0] = '\0';
    if (edits) edits->n = edits0;
    return cd_fail(err, rc, NULL, REPEATS_CONTEXT, NULL, 0, 0);
  }
  cd_ok(err);
  return COPYDESK_OK;
}
