/* text.c: normalisation and the Unicode string functions (case, accents, slugs, widths,
** lengths), through utf8proc, each behind a quick check.
**
** The quick checks use the generated property words (segment_internal.h): a code point whose
** quick-check bit is clear and whose combining class is 0 is a safe boundary, where nothing
** after it can change what came before. Text is copied verbatim up to the first code point
** that may change; only the span between the safe boundaries around it goes through utf8proc,
** so ASCII and already-normal text cost one table load per code point, and scratch memory
** depends on the longest such span, not on the input. */
#include <string.h>
#include <utf8proc.h>

#include "segment_internal.h"

#define ASCII_MASK 0x8080808080808080ull

/* The first non-ASCII byte at or after pos, 8 bytes at a time. */
static size_t skip_ascii(const char *s, size_t len, size_t pos) {
  while (pos + 8 <= len) {
    uint64_t w;
    memcpy(&w, s + pos, 8);
    if (w & ASCII_MASK) break;
    pos += 8;
  }
  while (pos < len && (unsigned char)s[pos] < 0x80) pos++;
  return pos;
}

static copydesk_code bad_utf8(copydesk_err *err, const char *s, size_t len, size_t pos) {
  return cd_fail(err, COPYDESK_ERR_UTF8, "invalid UTF-8", "", s, len, pos);
}

/* Scratch code points for utf8proc, grown as needed, freed by the caller. */
typedef struct scratch {
  int32_t *cps;
  size_t cap; /* in code points */
  const copydesk_alloc *alc;
} scratch;

static int scratch_fit(scratch *sc, size_t n) {
  int32_t *p;
  if (n <= sc->cap) return 1;
  if (n > SIZE_MAX / sizeof *p / 2) return 0;
  p = cd_realloc(sc->alc, sc->cps, sc->cap * sizeof *p, n * 2 * sizeof *p);
  if (p == NULL) return 0;
  sc->cps = p;
  sc->cap = n * 2;
  return 1;
}

static void scratch_free(scratch *sc) { cd_free(sc->alc, sc->cps, sc->cap * sizeof *sc->cps); }

/* Runs utf8proc over s[0..len) (valid UTF-8) with `options` and appends the result. */
static copydesk_code map_span(const char *s, size_t len, int options, scratch *sc,
                              copydesk_buf *out) {
  utf8proc_ssize_t n;
  for (;;) {
    n = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, sc->cps,
                           (utf8proc_ssize_t)sc->cap, (utf8proc_option_t)options);
    if (n < 0) return COPYDESK_ERR_UTF8;
    if ((size_t)n <= sc->cap) break;
    if (!scratch_fit(sc, (size_t)n)) return COPYDESK_ERR_NOMEM;
  }
  if (options & (UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK)) {
    n = utf8proc_normalize_utf32(sc->cps, n, (utf8proc_option_t)options);
    if (n < 0) return COPYDESK_ERR_UTF8;
  }
  n = utf8proc_reencode(sc->cps, n, (utf8proc_option_t)(options & ~UTF8PROC_COMPOSE &
                                                        ~UTF8PROC_STRIPMARK));
  if (n < 0) return COPYDESK_ERR_UTF8;
  return copydesk_buf_append(out, (const char *)sc->cps, (size_t)n);
}

/* ---- normalisation ------------------------------------------------------------------- */

static const uint32_t qc_bits[] = {CD_P_NFC_QC, CD_P_NFD_QC, CD_P_NFKC_QC, CD_P_NFKD_QC};
static const int nf_options[] = {
  UTF8PROC_STABLE | UTF8PROC_COMPOSE, UTF8PROC_STABLE | UTF8PROC_DECOMPOSE,
  UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT,
  UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT};

/* The next safe boundary at or after pos (validating on the way), or len. -1 on bad UTF-8, with
** *bad set. */
static size_t next_safe(const char *s, size_t len, size_t pos, uint32_t qc, size_t *bad) {
  while (pos < len) {
    uint32_t cp, p;
    size_t n = cd_seg_decode(s, len, pos, &cp);
    if (n == 0) {
      *bad = pos;
      return (size_t)-1;
    }
    p = cd_prop(cp);
    if (!(p & (qc | CD_P_CCC))) return pos;
    pos += n;
  }
  return len;
}

/* Quick check of s[0..len) for form qc: 1 normal, 0 maybe not, -1 bad UTF-8 at *bad. On 0,
** *from is the last safe boundary before the first code point that may change. */
static int quick_check(const char *s, size_t len, uint32_t qc, size_t *from, size_t *bad) {
  size_t pos = 0, safe = 0;
  int last_ccc = 0;
  while ((pos = skip_ascii(s, len, pos)) < len) {
    uint32_t cp, p;
    size_t n = cd_seg_decode(s, len, pos, &cp);
    if (n == 0) {
      *bad = pos;
      return -1;
    }
    if (pos > 0 && (unsigned char)s[pos - 1] < 0x80) {
      safe = pos - 1;
      last_ccc = 0;
    }
    p = cd_prop(cp);
    if (!(p & (qc | CD_P_CCC))) {
      safe = pos;
      last_ccc = 0;
    } else {
      int ccc = (p & CD_P_CCC) ? utf8proc_get_property((utf8proc_int32_t)cp)->combining_class : 0;
      if ((p & qc) || ccc < last_ccc) {
        *from = safe;
        return 0;
      }
      last_ccc = ccc;
    }
    pos += n;
  }
  return 1;
}

int copydesk_is_normalized(const char *s, size_t len, copydesk_nf form) {
  size_t from, bad;
  if ((unsigned)form > COPYDESK_NFKD || (s == NULL && len > 0)) return 0;
  return quick_check(s, len, qc_bits[form], &from, &bad) == 1;
}

/* The length of the code point at pos (valid UTF-8 there), 1 for a bad byte. */
static size_t cp_len(const char *s, size_t len, size_t pos) {
  uint32_t cp;
  size_t n = cd_seg_decode(s, len, pos, &cp);
  return n ? n : 1;
}

/* Appends s[0..len) mapped by utf8proc `options`, rewriting only the spans between the safe
** boundaries (for quick-check bit qc) around code points that may change. */
static copydesk_code map_changed(const char *s, size_t len, uint32_t qc, int options,
                                 copydesk_buf *out, copydesk_err *err) {
  size_t done = 0, base = out->len, from, bad = 0;
  scratch sc = {NULL, 0, out->alc};
  copydesk_code rc = COPYDESK_OK;
  for (;;) {
    int q = quick_check(s + done, len - done, qc, &from, &bad);
    size_t end;
    if (q == 1) break;
    if (q < 0) {
      rc = COPYDESK_ERR_UTF8;
      bad += done;
      break;
    }
    from += done;
    end = next_safe(s, len, from + cp_len(s, len, from), qc, &bad);
    if (end == (size_t)-1) {
      rc = COPYDESK_ERR_UTF8;
      break;
    }
    rc = copydesk_buf_append(out, s + done, from - done);
    if (rc == COPYDESK_OK) rc = map_span(s + from, end - from, options, &sc, out);
    if (rc != COPYDESK_OK) break;
    done = end;
  }
  if (rc == COPYDESK_OK) rc = copydesk_buf_append(out, s + done, len - done);
  scratch_free(&sc);
  if (rc == COPYDESK_OK) {
    cd_ok(err);
    return COPYDESK_OK;
  }
  out->len = base;
  if (rc == COPYDESK_ERR_UTF8) return bad_utf8(err, s, len, bad);
  return cd_fail(err, rc, copydesk_strerror(rc), "", s, len, 0);
}

copydesk_code copydesk_normalize(const char *s, size_t len, copydesk_nf form, copydesk_buf *out,
                                 copydesk_err *err) {
  if ((unsigned)form > COPYDESK_NFKD || out == NULL || (s == NULL && len > 0))
    return cd_fail(err, COPYDESK_ERR_INVALID, "invalid argument", "", NULL, 0, 0);
  return map_changed(s, len, qc_bits[form], nf_options[form], out, err);
}

/* ---- case ---------------------------------------------------------------------------- */

enum { CASE_LOWER, CASE_UPPER, CASE_FOLD };

static const cd_special_case *special_case(uint32_t cp) {
  size_t lo = 0, hi = cd_special_cases_n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cd_special_cases[mid].cp == cp) return &cd_special_cases[mid];
    if (cd_special_cases[mid].cp < cp) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

/* Is the code point before pos (skipping case-ignorable ones) cased? */
static int cased_before(const char *s, size_t pos) {
  while (pos > 0) {
    size_t p = pos - 1, n;
    uint32_t cp, prop;
    while (p > 0 && ((unsigned char)s[p] & 0xC0) == 0x80) p--;
    if ((n = cd_seg_decode(s, pos, p, &cp)) == 0) return 0;
    prop = cd_prop(cp);
    if (!(prop & CD_P_CASE_IGNORABLE)) return (prop & CD_P_CASED) != 0;
    pos = p;
  }
  return 0;
}

static int cased_after(const char *s, size_t len, size_t pos) {
  while (pos < len) {
    uint32_t cp, prop;
    size_t n = cd_seg_decode(s, len, pos, &cp);
    if (n == 0) return 0;
    prop = cd_prop(cp);
    if (!(prop & CD_P_CASE_IGNORABLE)) return (prop & CD_P_CASED) != 0;
    pos += n;
  }
  return 0;
}

/* Appends the full mapping of cp (at s[pos], n bytes long). */
static copydesk_code put_case(const char *s, size_t len, size_t pos, size_t n, uint32_t cp,
                              int which, copydesk_buf *out) {
  const cd_special_case *sp;
  copydesk_code rc = COPYDESK_OK;
  int32_t folded[4];
  int last = 0;
  utf8proc_ssize_t i, k;
  if (which == CASE_LOWER && cp == 0x3A3) /* final sigma (SpecialCasing.txt's condition) */
    return cd_buf_put_cp(out, cased_before(s, pos) && !cased_after(s, len, pos + n) ? 0x3C2
                                                                                      : 0x3C3);
  if (which == CASE_FOLD) {
    k = utf8proc_decompose_char((utf8proc_int32_t)cp, folded, 4, UTF8PROC_CASEFOLD, &last);
    for (i = 0; i < k && i < 4 && rc == COPYDESK_OK; i++)
      rc = cd_buf_put_cp(out, (uint32_t)folded[i]);
    return rc;
  }
  if ((sp = special_case(cp)) != NULL) {
    const uint32_t *m = which == CASE_LOWER ? sp->lower : sp->upper;
    int j, cnt = which == CASE_LOWER ? sp->nlower : sp->nupper;
    for (j = 0; j < cnt && rc == COPYDESK_OK; j++) rc = cd_buf_put_cp(out, m[j]);
    return rc;
  }
  return cd_buf_put_cp(out, (uint32_t)(which == CASE_LOWER ? utf8proc_tolower((int32_t)cp)
                                                           : utf8proc_toupper((int32_t)cp)));
}

static copydesk_code map_case(const char *s, size_t len, int which, copydesk_buf *out,
                              copydesk_err *err) {
  static const uint32_t bits[] = {CD_P_CWL, CD_P_CWU, CD_P_CWCF};
  size_t pos = 0, done = 0, base;
  copydesk_code rc = COPYDESK_OK;
  char lo = which == CASE_UPPER ? 'a' : 'A';
  if (out == NULL || (s == NULL && len > 0))
    return cd_fail(err, COPYDESK_ERR_INVALID, "invalid argument", "", NULL, 0, 0);
  base = out->len;
  while (pos < len && rc == COPYDESK_OK) {
    unsigned char c = (unsigned char)s[pos];
    uint32_t cp;
    size_t n;
    if (c < 0x80) {
      if (c >= lo && c <= lo + 25) {
        rc = copydesk_buf_append(out, s + done, pos - done);
        if (rc == COPYDESK_OK) rc = cd_buf_putc(out, (char)(c ^ 32));
        done = pos + 1;
      }
      pos++;
      continue;
    }
    if ((n = cd_seg_decode(s, len, pos, &cp)) == 0) {
      out->len = base;
      return bad_utf8(err, s, len, pos);
    }
    if (cd_prop(cp) & bits[which]) {
      rc = copydesk_buf_append(out, s + done, pos - done);
      if (rc == COPYDESK_OK) rc = put_case(s, len, pos, n, cp, which, out);
      done = pos + n;
    }
    pos += n;
  }
  if (rc == COPYDESK_OK) rc = copydesk_buf_append(out, s + done, len - done);
  if (rc != COPYDESK_OK) {
    out->len = base;
    return cd_fail(err, rc, copydesk_strerror(rc), "", s, len, 0);
  }
  cd_ok(err);
  return COPYDESK_OK;
}

copydesk_code copydesk_lower(const char *s, size_t len, copydesk_buf *out, copydesk_err *err) {
  return map_case(s, len, CASE_LOWER, out, err);
}

copydesk_code copydesk_upper(const char *s, size_t len, copydesk_buf *out, copydesk_err *err) {
  return map_case(s, len, CASE_UPPER, out, err);
}

copydesk_code copydesk_casefold(const char *s, size_t len, copydesk_buf *out,
                                copydesk_err *err) {
  return map_case(s, len, CASE_FOLD, out, err);
}

/* ---- accents and slugs --------------------------------------------------------------- */

/* Every non-ASCII code point may change, and the ASCII letter before it may take its mark. */
#define QC_NON_ASCII (~(uint32_t)0)

copydesk_code copydesk_strip_accents(const char *s, size_t len, copydesk_buf *out,
                                     copydesk_err *err) {
  if (out == NULL || (s == NULL && len > 0))
    return cd_fail(err, COPYDESK_ERR_INVALID, "invalid argument", "", NULL, 0, 0);
  return map_changed(s, len, QC_NON_ASCII, UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                     UTF8PROC_STRIPMARK, out, err);
}

copydesk_code copydesk_slug(const char *s, size_t len, copydesk_buf *out, copydesk_err *err) {
  copydesk_buf plain, low;
  copydesk_code rc;
  size_t pos = 0, base;
  int dash = 0;
  if (out == NULL || (s == NULL && len > 0))
    return cd_fail(err, COPYDESK_ERR_INVALID, "invalid argument", "", NULL, 0, 0);
  base = out->len;
  copydesk_buf_init(&plain, out->alc);
  copydesk_buf_init(&low, out->alc);
  rc = copydesk_strip_accents(s, len, &plain, err);
  if (rc == COPYDESK_OK) rc = copydesk_lower(plain.data, plain.len, &low, err);
  while (rc == COPYDESK_OK && pos < low.len) {
    uint32_t cp;
    size_t n = cd_seg_decode(low.data, low.len, pos, &cp);
    unsigned cls = CD_P_CLASS(cd_prop(cp));
    if (cls == CD_CLASS_LETTER || cls == CD_CLASS_DIGIT || cls == CD_CLASS_IDEO) {
      if (dash && out->len > base) rc = cd_buf_putc(out, '-');
      if (rc == COPYDESK_OK) rc = copydesk_buf_append(out, low.data + pos, n);
      dash = 0;
    } else {
      dash = 1;
    }
    pos += n;
  }
  copydesk_buf_free(&plain);
  copydesk_buf_free(&low);
  if (rc != COPYDESK_OK) {
    out->len = base;
    if (rc != COPYDESK_ERR_UTF8) return cd_fail(err, rc, copydesk_strerror(rc), "", s, len, 0);
    return rc;
  }
  cd_ok(err);
  return COPYDESK_OK;
}

/* ---- measures ------------------------------------------------------------------------ */

/* Adds up f over the code points of s; ERR_UTF8 at the first bad byte. */
static copydesk_code measure(const char *s, size_t len, int width, size_t *out,
                             copydesk_err *err) {
  size_t pos = 0, total = 0;
  if (out == NULL || (s == NULL && len > 0))
    return cd_fail(err, COPYDESK_ERR_INVALID, "invalid argument", "", NULL, 0, 0);
  while (pos < len) {
    uint32_t cp;
    size_t n;
    if ((unsigned char)s[pos] < 0x80) {
      total += !width || ((unsigned char)s[pos] >= 0x20 && s[pos] != 0x7F);
      pos++;
      continue;
    }
    if ((n = cd_seg_decode(s, len, pos, &cp)) == 0) return bad_utf8(err, s, len, pos);
    total += width ? (size_t)utf8proc_charwidth((utf8proc_int32_t)cp) : 1;
    pos += n;
  }
  *out = total;
  cd_ok(err);
  return COPYDESK_OK;
}

copydesk_code copydesk_width(const char *s, size_t len, size_t *cols, copydesk_err *err) {
  return measure(s, len, 1, cols, err);
}

copydesk_code copydesk_len(const char *s, size_t len, size_t *ncp, copydesk_err *err) {
  return measure(s, len, 0, ncp, err);
}
