/* fix.c: copydesk_fix, the repair driver. The steps run in this order: invalid bytes, HTML
** references, terminal escapes, mojibake (repeated until a pass finds nothing) and the script
** hint, characters (C1, quotes, width, ligatures), line breaks, controls, NFC. One scan (needs)
** tells which steps the text may need; each step scans first and copies only once it has
** something to change, so clean text costs a scan or two and one memcpy.
** A later step can bring mojibake together ("Ã", U+0001, "©" loses its control; "A" U+0303 "©"
** composes to "Ã©"), so when a later step or the hint changed anything, mojibake runs again and,
** if it repairs something, so do the later steps: that makes fix(fix(x)) == fix(x).
*/
#include <utf8proc.h>

#include "fix_internal.h"
#include "segment_internal.h"

#define FIX_KNOWN_FLAGS (COPYDESK_FIX_FTFY | COPYDESK_FIX_REPLACE_INVALID | \
                         COPYDESK_FIX_ENTITIES_DOUBLE | COPYDESK_FIX_COMPAT | \
                         COPYDESK_FIX_DECOMPOSE)
#define CHAR_FLAGS (COPYDESK_FIX_C1 | COPYDESK_FIX_QUOTES | COPYDESK_FIX_WIDTH | \
                    COPYDESK_FIX_LIGATURES)
/* A pass undoes one layer of damage, and each layer at least doubles the text: 16 passes cover
** anything a real text can hold while bounding the work on hostile input. Text that still
** changes after them is not a layered repair ("Ã" and a run of "ƒ" lose one "ƒ" a pass: each
** repaired "Ãƒ" is "Ã" again with the next one) and keeps its mojibake. */
#define MOJIBAKE_PASSES 16
/* Rounds of mojibake and the later steps; a round runs only when the one before changed text. */
#define MAX_ROUNDS 8
#define REPLACEMENT_CHAR 0xFFFDu
#define NFC_OPTIONS (UTF8PROC_STABLE | UTF8PROC_COMPOSE)
#define NFD_OPTIONS (UTF8PROC_STABLE | UTF8PROC_DECOMPOSE)
/* utf8proc orders combining marks with a gnome sort, quadratic in a run of them: a line with a
** longer run (far beyond the 30 of UAX #15's stream-safe format; "Zalgo" text) is left as is. */
#define NFC_MAX_MARKS 64

/* A step, with the contract of cd_step (fix_internal.h). */
typedef copydesk_code (*step_fn)(const char *s, size_t len, cd_step *st, copydesk_buf *dst);

typedef struct fixer {
  copydesk_buf tmp[2]; /* the steps write into these in turn */
  copydesk_buf kept;   /* the text before the mojibake passes, when it was in a tmp */
  const char *s;       /* the current text: the input or one of tmp */
  size_t len;
  int cur;             /* the index of the tmp holding s, or -1 for the input */
  unsigned flags;
  size_t changes;
  size_t stage;        /* step runs that changed text so far */
  copydesk_fix_report *report;
  const cd_codepage *hint; /* the script hint's page, or NULL */
  unsigned need;       /* the NEED_ bits of the current text (needs) */
} fixer;

/* What the current text may need, found in one scan (needs): a step whose bit is clear would
** change nothing and is not run, which spares clean non-ASCII text most of the steps' scans. */
enum {
  NEED_DECODE = 1u << 0, NEED_ENTITIES = 1u << 1, NEED_TERMINAL = 1u << 2,
  NEED_MOJIBAKE = 1u << 3, NEED_CHARS = 1u << 4, NEED_BREAKS = 1u << 5, NEED_CONTROLS = 1u << 6,
  NEED_NFC = 1u << 7, NEED_NONASCII = 1u << 8, NEED_ALL = (1u << 9) - 1
};

static int plain_byte(unsigned c) { return (c >= 0x20 && c < 0x7F) || c == '\n' || c == '\t'; }

/* The offset of the first byte in s[i..len) that is neither printable ASCII nor tab nor newline,
** or len. Words of eight plain bytes go at once; a word holding a tab or newline goes byte by
** byte. */
static size_t skip_plain(const unsigned char *s, size_t len, size_t i) {
  const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
  uint64_t w, del;
  for (;;) {
    size_t stop;
    while (len - i >= 8) {
      memcpy(&w, s + i, 8);
      del = w ^ (ones * 0x7F);
      if ((w & highs) || ((w - ones * 0x20) & ~w & highs) || ((del - ones) & ~del & highs)) break;
      i += 8;
    }
    stop = len - i >= 8 ? i + 8 : len;
    while (i < stop && plain_byte(s[i])) i++;
    if (i < stop || i == len) return i;
  }
}

/* ---- invalid bytes ---- */

/* The length of the maximal invalid subpart at s (where a valid sequence does not start): the lead
** and the continuation bytes that could still have followed it (Unicode's "U+FFFD substitution of
** maximal subparts", as the WHATWG decoder does). */
static size_t invalid_len(const unsigned char *s, size_t len) {
  unsigned c = s[0], lo = 0x80, hi = 0xBF;
  size_t need, i;
  if (c < 0xC2 || c > 0xF4) return 1;
  need = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  if (c == 0xE0) lo = 0xA0;
  else if (c == 0xED) hi = 0x9F;
  else if (c == 0xF0) lo = 0x90;
  else if (c == 0xF4) hi = 0x8F;
  for (i = 1; i < need && i < len && s[i] >= lo && s[i] <= hi; i++) lo = 0x80, hi = 0xBF;
  return i;
}

static copydesk_code put_invalid(copydesk_buf *dst, const unsigned char *s, size_t n,
                                 unsigned flags) {
  copydesk_code rc = COPYDESK_OK;
  size_t j;
  if (flags & COPYDESK_FIX_REPLACE_INVALID) return cd_buf_put_cp(dst, REPLACEMENT_CHAR);
  for (j = 0; j < n && rc == COPYDESK_OK; j++) rc = cd_buf_put_cp(dst, cd_cp1252.decode[s[j]]);
  return rc;
}

/* The surrogate encoded at s[0..len) as CESU-8 / Java's modified UTF-8 would (ED A0..BF 80..BF),
** or 0. */
static uint32_t surrogate_at(const unsigned char *s, size_t len) {
  if (len < 3 || s[0] != 0xED || s[1] < 0xA0 || s[1] > 0xBF || (s[2] & 0xC0) != 0x80) return 0;
  return 0xD000u | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
}

/* Surrogates written as UTF-8 (CESU-8, Java, JSON "\uD83D" escapes decoded one by one): a high
** and a low one make the character they stand for; a lone one, which stands for nothing, is
** U+FFFD. Returns the bytes consumed, 0 when s holds no surrogate. */
static size_t put_surrogates(copydesk_buf *dst, const unsigned char *s, size_t len,
                             copydesk_code *rc) {
  uint32_t hi = surrogate_at(s, len), lo;
  if (hi == 0) return 0;
  lo = hi < 0xDC00 ? surrogate_at(s + 3, len - 3) : 0;
  if (lo >= 0xDC00) {
    *rc = cd_buf_put_cp(dst, 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
    return 6;
  }
  *rc = cd_buf_put_cp(dst, REPLACEMENT_CHAR);
  return 3;
}

/* Decodes surrogates (put_surrogates), then each maximal invalid subpart as Windows-1252, byte by
** byte, or replaces it by U+FFFD. */
static copydesk_code step_decode(const char *text, size_t len, cd_step *st, copydesk_buf *dst) {
  const unsigned char *s = (const unsigned char *)text;
  size_t i = 0, done = 0, k, out_pos;
  uint32_t cp;
  copydesk_code rc = COPYDESK_OK;
  const char *reason;
  while (rc == COPYDESK_OK && (i = cd_skip_ascii(s, len, i)) < len) {
    if ((k = cd_utf8_next(s, len, i, &cp)) > 0) {
      i += k;
      continue;
    }
    rc = copydesk_buf_append(dst, text + done, i - done);
    out_pos = dst->len;
    reason = "surrogate";
    if (rc == COPYDESK_OK && (k = put_surrogates(dst, s + i, len - i, &rc)) == 0) {
      k = invalid_len(s + i, len - i);
      rc = put_invalid(dst, s + i, k, st->flags);
      reason = "invalid-byte";
    }
    if (rc == COPYDESK_OK) rc = cd_step_note(st, i, k, out_pos, dst->len - out_pos, reason);
    i += k;
    done = i;
  }
  return cd_step_end(rc, st, dst, text, len, done);
}

/* ---- mojibake ---- */

/* Whole clusters in any code page first; the finer Windows-1252 rules for what they leave. */
static copydesk_code step_mojibake(const char *s, size_t len, cd_step *st, copydesk_buf *dst) {
  copydesk_code rc = cd_fix_pages(s, len, st, dst);
  if (rc != COPYDESK_OK || st->n > 0) return rc;
  copydesk_buf_clear(dst);
  return cd_fix_mojibake(s, len, st, dst);
}

/* ---- line breaks ---- */

/* The length of the line break at s[i] that becomes \n (CRLF, CR, NEL, U+2028, U+2029), or 0. */
static size_t break_len(const unsigned char *s, size_t len, size_t i) {
  if (s[i] == '\r') return i + 1 < len && s[i + 1] == '\n' ? 2 : 1;
  if (s[i] == 0xC2 && i + 1 < len && s[i + 1] == 0x85) return 2;
  if (s[i] == 0xE2 && i + 2 < len && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9))
    return 3;
  return 0;
}

static copydesk_code step_breaks(const char *text, size_t len, cd_step *st, copydesk_buf *dst) {
  const unsigned char *s = (const unsigned char *)text;
  size_t i = 0, done = 0, k;
  copydesk_code rc = COPYDESK_OK;
  while (rc == COPYDESK_OK && (i = skip_plain(s, len, i)) < len) {
    if ((k = break_len(s, len, i)) == 0) {
      i++; /* a continuation byte is never one of the leads break_len looks for */
      continue;
    }
    rc = copydesk_buf_append(dst, text + done, i - done);
    if (rc == COPYDESK_OK) rc = cd_buf_putc(dst, '\n');
    if (rc == COPYDESK_OK) rc = cd_step_note(st, i, k, dst->len - 1, 1, "line-break");
    i += k;
    done = i;
  }
  return cd_step_end(rc, st, dst, text, len, done);
}

/* ---- controls ---- */

/* Whether s[i..i+3) is a 3-byte sequence E? X Y with Y in [lo, hi]. */
static int three(const unsigned char *s, size_t len, size_t i, unsigned x, unsigned lo,
                 unsigned hi) {
  return i + 2 < len && s[i + 1] == x && s[i + 2] >= lo && s[i + 2] <= hi;
}

/* The length of the character at s[i] that the controls step drops, or 0: C0 controls but tab,
** newline and CR (CR is left to the line-break step), DEL, C1 controls, U+FEFF, U+FFFE, U+FFFF,
** the deprecated format controls U+206A..U+206F, the interlinear annotation and object
** replacement marks U+FFF9..U+FFFC, the musical beam and slur controls U+1D173..U+1D17A. With
** COPYDESK_FIX_KEEP_C1 (ftfy's choice) C1 controls and form feed stay. */
static size_t control_len(const unsigned char *s, size_t len, size_t i, unsigned flags) {
  unsigned c = s[i];
  int keep_c1 = (flags & COPYDESK_FIX_KEEP_C1) != 0;
  if (c < 0x20) return c == '\t' || c == '\n' || c == '\r' || (keep_c1 && c == '\f') ? 0 : 1;
  if (c == 0x7F) return 1;
  if (c == 0xC2) return !keep_c1 && i + 1 < len && s[i + 1] <= 0x9F ? 2 : 0;
  if (c == 0xE2) return three(s, len, i, 0x81, 0xAA, 0xAF) ? 3 : 0;
  if (c == 0xEF)
    return three(s, len, i, 0xBB, 0xBF, 0xBF) || three(s, len, i, 0xBF, 0xBE, 0xBF) ||
           three(s, len, i, 0xBF, 0xB9, 0xBC) ? 3 : 0;
  if (c == 0xF0 && i + 3 < len && s[i + 1] == 0x9D && s[i + 2] == 0x85 && s[i + 3] >= 0xB3 &&
      s[i + 3] <= 0xBA)
    return 4;
  return 0;
}

static copydesk_code step_controls(const char *text, size_t len, cd_step *st,
                                   copydesk_buf *dst) {
  const unsigned char *s = (const unsigned char *)text;
  size_t i = 0, done = 0, k;
  copydesk_code rc = COPYDESK_OK;
  while (rc == COPYDESK_OK && (i = skip_plain(s, len, i)) < len) {
    if ((k = control_len(s, len, i, st->flags)) == 0) {
      i++;
      continue;
    }
    rc = copydesk_buf_append(dst, text + done, i - done);
    if (rc == COPYDESK_OK) rc = cd_step_note(st, i, k, dst->len, 0, "control");
    i += k;
    done = i;
  }
  return cd_step_end(rc, st, dst, text, len, done);
}

/* ---- NFC ---- */

/* The property bits (cd_prop) of the characters around which the normalisation the flags ask
** for (cd_fix_form_name) might change the text: its quick check (UAX #15) is No or Maybe, or a
** combining mark, which may have to move. A line with none of them is already in the form. */
static uint32_t norm_suspects(unsigned flags) {
  static const uint32_t quick_check[] = {CD_P_NFC_QC, CD_P_NFKC_QC, CD_P_NFD_QC, CD_P_NFKD_QC};
  return quick_check[cd_fix_form(flags)] | CD_P_CCC;
}

/* The length of the longest run of combining marks (combining class not 0) in s[0..len). */
static size_t longest_mark_run(const unsigned char *s, size_t len) {
  size_t i = 0, run = 0, longest = 0;
  uint32_t cp;
  while (i < len) {
    i += cd_utf8_next(s, len, i, &cp);
    run = cp >= 0x300 && utf8proc_get_property((utf8proc_int32_t)cp)->combining_class ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}

/* Scratch code points for utf8proc, allocated through the caller's hooks (utf8proc_map would
** malloc outside them). */
typedef struct nfc_scratch {
  utf8proc_int32_t *cps;
  size_t cap;
  const copydesk_alloc *alc;
} nfc_scratch;

/* Normalises s[0..len) (valid UTF-8, zero bytes included) into w->cps; sets *ncp. */
static copydesk_code nfc_line(nfc_scratch *w, const char *s, size_t len,
                              utf8proc_option_t options, size_t *ncp) {
  const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
  utf8proc_ssize_t need, got;
  if (len > (size_t)PTRDIFF_MAX / 8) return COPYDESK_ERR_OVERFLOW;
  need = utf8proc_decompose(u, (utf8proc_ssize_t)len, NULL, 0, options);
  if (need < 0) return COPYDESK_ERR_OVERFLOW; /* the only error valid UTF-8 can meet */
  if ((size_t)need > w->cap) {
    cd_free(w->alc, w->cps, w->cap * sizeof *w->cps);
    w->cap = 0;
    w->cps = cd_malloc(w->alc, (size_t)need * sizeof *w->cps);
    if (w->cps == NULL) return COPYDESK_ERR_NOMEM;
    w->cap = (size_t)need;
  }
  got = utf8proc_decompose(u, (utf8proc_ssize_t)len, w->cps, need, options);
  if (got >= 0) got = utf8proc_normalize_utf32(w->cps, got, options);
  if (got < 0) return COPYDESK_ERR_OVERFLOW;
  *ncp = (size_t)got;
  return COPYDESK_OK;
}

static int same_text(const utf8proc_int32_t *cps, size_t ncp, const unsigned char *s, size_t len) {
  size_t i = 0, j;
  uint32_t cp;
  for (j = 0; j < ncp && i < len; j++) {
    i += cd_utf8_next(s, len, i, &cp);
    if (cp != (uint32_t)cps[j]) return 0;
  }
  return j == ncp && i == len;
}

static copydesk_code put_cps(copydesk_buf *dst, const utf8proc_int32_t *cps, size_t ncp) {
  copydesk_code rc = copydesk_buf_reserve(dst, ncp * 4); /* ncp * 4 cannot overflow: cps fits */
  size_t j;
  if (rc != COPYDESK_OK) return rc;
  for (j = 0; j < ncp; j++) dst->len += cd_utf8_encode((uint32_t)cps[j], dst->data + dst->len);
  dst->data[dst->len] = '\0';
  return COPYDESK_OK;
}

/* Notes the change of line s[0..len) (at `pos`) into dst->data[out_pos..dst->len), narrowed to
** what differs: the common head and tail, cut back to character boundaries, are left out. */
static copydesk_code note_nfc(cd_step *st, const unsigned char *s, size_t len, size_t pos,
                              const copydesk_buf *dst, size_t out_pos) {
  const unsigned char *o = (const unsigned char *)dst->data + out_pos;
  size_t olen = dst->len - out_pos, head = 0, tail = 0;
  while (head < len && head < olen && s[head] == o[head]) head++;
  while (head > 0 && ((head < len && (s[head] & 0xC0) == 0x80) ||
                      (head < olen && (o[head] & 0xC0) == 0x80)))
    head--;
  while (tail < len - head && tail < olen - head && s[len - 1 - tail] == o[olen - 1 - tail]) tail++;
  while (tail > 0 && ((s[len - tail] & 0xC0) == 0x80 || (o[olen - tail] & 0xC0) == 0x80)) tail--;
  return cd_step_note(st, pos + head, len - head - tail, out_pos + head, olen - head - tail,
                      cd_fix_form_name(st->flags));
}

/* Normalises, line by line, the lines holding a suspect character. A newline never composes nor
** takes part in reordering, so NFC of the text is NFC of each line (NFKC, NFD, NFKD with
** COPYDESK_FIX_COMPAT and COPYDESK_FIX_DECOMPOSE). */
static copydesk_code step_nfc(const char *text, size_t len, cd_step *st, copydesk_buf *dst) {
  const unsigned char *s = (const unsigned char *)text;
  nfc_scratch w = {NULL, 0, dst->alc};
  size_t i = 0, done = 0, start, end, ncp;
  copydesk_code rc = COPYDESK_OK;
  utf8proc_option_t options = (st->flags & COPYDESK_FIX_DECOMPOSE ? NFD_OPTIONS : NFC_OPTIONS) |
                               (st->flags & COPYDESK_FIX_COMPAT ? UTF8PROC_COMPAT : 0);
  uint32_t suspects = norm_suspects(st->flags);
  while (rc == COPYDESK_OK && (i = cd_skip_ascii(s, len, i)) < len) {
    uint32_t cp;
    size_t k = cd_utf8_next(s, len, i, &cp);
    if (!(cd_prop(cp) & suspects)) {
      i += k;
      continue;
    }
    for (start = i; start > 0 && s[start - 1] != '\n'; start--) {}
    for (end = i; end < len && s[end] != '\n'; end++) {}
    if (longest_mark_run(s + start, end - start) > NFC_MAX_MARKS) {
      i = end;
      continue;
    }
    rc = nfc_line(&w, text + start, end - start, options, &ncp);
    if (rc == COPYDESK_OK && !same_text(w.cps, ncp, s + start, end - start)) {
      size_t out_pos;
      rc = copydesk_buf_append(dst, text + done, start - done);
      out_pos = dst->len;
      if (rc == COPYDESK_OK) rc = put_cps(dst, w.cps, ncp);
      if (rc == COPYDESK_OK) rc = note_nfc(st, s + start, end - start, start, dst, out_pos);
      done = end;
    }
    i = end;
  }
  cd_free(w.alc, w.cps, w.cap * sizeof *w.cps);
  return cd_step_end(rc, st, dst, text, len, done);
}

/* ---- the driver ---- */

/* The page of each copydesk_fix_hint. */
static const char *const hint_pages[COPYDESK_HINT_COUNT_] = {
  NULL, "windows-1251", "windows-1253", "windows-1250", "windows-1254", "windows-1257",
  "macroman", "cp437",
};

/* Whether the character step may change cp: C1 controls, quotes, ligatures, wide forms. */
static int char_step_may(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0x2BC || (cp >= 0x2018 && cp <= 0x201F) ||
         cp == 0x132 || cp == 0x133 || cp == 0x149 || (cp >= 0x1C4 && cp <= 0x1CC) ||
         (cp >= 0xFB00 && cp <= 0xFB06) || cp == 0x3000 || (cp >= 0xFF01 && cp <= 0xFFEF);
}

/* Whether the controls step may drop cp (>= 0x80; see control_len). */
static int control_may(uint32_t cp) {
  return cp <= 0x9F || cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF ||
         (cp >= 0x206A && cp <= 0x206F) || (cp >= 0xFFF9 && cp <= 0xFFFC) ||
         (cp >= 0x1D173 && cp <= 0x1D17A);
}

/* The NEED_ bits of s[0..len): one scan over what is not plain ASCII, then the mojibake
** prefilter. Invalid UTF-8 needs everything (decoding comes first; the text is scanned again). */
static unsigned needs(const char *text, size_t len, unsigned flags) {
  const unsigned char *s = (const unsigned char *)text;
  unsigned need = len > 0 && memchr(s, '&', len) ? NEED_ENTITIES : 0;
  cd_moji_scan m = {0, 0, 0, (flags & COPYDESK_FIX_LOSSY) != 0};
  uint32_t suspects = norm_suspects(flags);
  size_t i = 0, k;
  uint32_t cp;
  while (i < len) {
    if (plain_byte(s[i]) && (i = skip_plain(s, len, i)) == len) break; /* not per character */
    if (s[i] < 0x80) {
      need |= s[i] == '\r' ? NEED_BREAKS : s[i] == 0x1B ? NEED_TERMINAL | NEED_CONTROLS
                                                       : NEED_CONTROLS;
      cd_moji_ascii(&m, s[i++]);
      continue;
    }
    if ((k = cd_utf8_next(s, len, i, &cp)) == 0) return NEED_ALL;
    i += k;
    need |= NEED_NONASCII;
    cd_moji_char(&m, cp);
    if (i < len && s[i] < 0x80) cd_moji_ascii(&m, s[i]); /* skip_plain passes over it */
    if (cp < 0xA0 || cp >= 0x2000 || (cp >= 0x132 && cp <= 0x1CC)) { /* see the two below */
      if (char_step_may(cp)) need |= NEED_CHARS;
      if (control_may(cp)) need |= NEED_CONTROLS;
      if (cp == 0x85 || cp == 0x2028 || cp == 0x2029) need |= NEED_BREAKS;
    }
    if (cd_prop(cp) & suspects) need |= NEED_NFC;
  }
  return m.pages ? need | NEED_MOJIBAKE : need;
}

/* Runs one step (named `name` in reports) on the current text if it may need it (`need`);
** *changed tells whether it changed anything. A run that changed text is a stage of the report,
** and the text's needs are found again. */
static copydesk_code run(fixer *f, step_fn step, const char *name, unsigned need, int *changed) {
  copydesk_buf *dst = &f->tmp[f->cur == 0 ? 1 : 0];
  size_t first = f->report ? f->report->nchanges : 0;
  cd_step st;
  copydesk_code rc;
  *changed = 0;
  if (!(f->need & need)) return COPYDESK_OK;
  st.flags = f->flags;
  st.hint = f->hint;
  st.n = 0;
  st.report = f->report;
  st.name = name;
  st.stage = f->stage;
  copydesk_buf_clear(dst);
  rc = step(f->s, f->len, &st, dst);
  *changed = rc == COPYDESK_OK && st.n > 0;
  if (!*changed) {
    if (f->report) f->report->nchanges = first; /* notes of a step that changed nothing */
    return rc;
  }
  f->s = dst->data;
  f->len = dst->len;
  f->cur = (int)(dst - f->tmp);
  f->changes += st.n;
  f->stage++;
  f->need = needs(f->s, f->len, f->flags);
  return cd_report_stage(f->report, name, f->flags, first);
}

/* Trades tmp[cur] (cur >= 0) for kept, so that the passes write around the text in it. */
static void swap_kept(fixer *f, int cur) {
  copydesk_buf t;
  if (cur < 0) return;
  t = f->tmp[cur];
  f->tmp[cur] = f->kept;
  f->kept = t;
}

/* Mojibake passes until one finds nothing. Passes that do not get there are undone, text, count
** and report alike: a result the bound cut short would change when fixed again, the text before
** them does not. The text before them stays in place (the input, or kept swapped with its tmp). */
static copydesk_code run_mojibake(fixer *f, int *any) {
  const char *s = f->s;
  size_t len = f->len, changes = f->changes, stage = f->stage;
  size_t nchanges = f->report ? f->report->nchanges : 0, nplan = f->report ? f->report->nplan : 0;
  int cur = f->cur, changed = 1, pass;
  unsigned need = f->need;
  copydesk_code rc = COPYDESK_OK;
  *any = 0;
  if (!(f->need & NEED_MOJIBAKE)) return rc;
  swap_kept(f, cur);
  for (pass = 0; rc == COPYDESK_OK && changed && pass < MOJIBAKE_PASSES; pass++) {
    rc = run(f, step_mojibake, "mojibake", NEED_MOJIBAKE, &changed);
    *any |= changed;
  }
  if (rc != COPYDESK_OK || !changed) return rc;
  swap_kept(f, cur);
  f->s = s;
  f->len = len;
  f->cur = cur;
  f->changes = changes;
  f->stage = stage;
  f->need = need;
  if (f->report) {
    f->report->nchanges = nchanges;
    f->report->nplan = nplan;
  }
  *any = 0;
  return rc;
}

/* Runs the steps after mojibake that the flags select; *any tells whether one changed text. */
static copydesk_code run_later(fixer *f, int *any) {
  static const struct { unsigned flag; step_fn step; const char *name; unsigned need; } later[] = {
    {CHAR_FLAGS, cd_step_chars, "chars", NEED_CHARS},
    {COPYDESK_FIX_LINE_BREAKS, step_breaks, "line-breaks", NEED_BREAKS},
    {COPYDESK_FIX_CONTROLS, step_controls, "controls", NEED_CONTROLS},
    {COPYDESK_FIX_NFC, step_nfc, "normalize", NEED_NFC},
  };
  copydesk_code rc = COPYDESK_OK;
  size_t k;
  int changed;
  *any = 0;
  for (k = 0; k < sizeof later / sizeof later[0] && rc == COPYDESK_OK; k++) {
    if (!(f->flags & later[k].flag)) continue;
    rc = run(f, later[k].step, later[k].name, later[k].need, &changed);
    *any |= changed;
  }
  return rc;
}

/* Entities and terminal escapes; *any tells whether either changed text. */
static copydesk_code run_escapes(fixer *f, int *any) {
  int changed = 0;
  copydesk_code rc = COPYDESK_OK;
  *any = 0;
  if (f->flags & COPYDESK_FIX_TERMINAL) {
    rc = run(f, cd_step_terminal, "terminal", NEED_TERMINAL, &changed);
    *any |= changed;
  }
  if (rc == COPYDESK_OK && (f->flags & COPYDESK_FIX_ENTITIES)) {
    rc = run(f, cd_step_entities, "entities", NEED_ENTITIES, &changed);
    *any |= changed;
  }
  return rc;
}

/* Rounds of mojibake and the later steps until nothing changes (bounded). */
static copydesk_code run_rounds(fixer *f) {
  int changed, round;
  copydesk_code rc = COPYDESK_OK;
  for (round = 0; rc == COPYDESK_OK && round < MAX_ROUNDS; round++) {
    int hinted = 0;
    if (f->flags & COPYDESK_FIX_MOJIBAKE) {
      rc = run_mojibake(f, &changed);
      if (rc == COPYDESK_OK && f->hint) rc = run(f, cd_step_hint, "hint", NEED_NONASCII, &hinted);
      if (rc != COPYDESK_OK || (round > 0 && !changed && !hinted)) break;
    }
    if (rc == COPYDESK_OK) rc = run_later(f, &changed);
    /* text the hint rewrote is read for mojibake again: a rewritten run changes where clusters
    ** end ("œéâ€©" in Windows-1250 is "śéâ€©", whose "â€©" is U+2029) */
    if ((!changed && !hinted) || !(f->flags & COPYDESK_FIX_MOJIBAKE)) break;
  }
  return rc;
}

/* Escapes, then the rounds; then the escapes again, because a later step that deleted a
** character may have joined an entity it split ("&am\0p;" -> "&amp;"), and the rounds again if
** they changed anything, so that fixing the output changes nothing (bounded). */
static copydesk_code repair(fixer *f) {
  int changed, pass;
  copydesk_code rc = run(f, step_decode, "decode", NEED_DECODE, &changed);
  for (pass = 0; rc == COPYDESK_OK && pass < MAX_ROUNDS; pass++) {
    rc = run_escapes(f, &changed);
    if (rc != COPYDESK_OK || (pass > 0 && !changed)) break;
    rc = run_rounds(f);
  }
  return rc;
}

copydesk_code copydesk_fix(const char *s, size_t len, const copydesk_fix_opts *opts,
                           copydesk_buf *out, size_t *changes, copydesk_err *err) {
  fixer f;
  copydesk_code rc;
  if (changes) *changes = 0;
  f.flags = opts ? opts->flags : COPYDESK_FIX_DEFAULT;
  f.report = opts ? opts->report : NULL;
  if (opts && (unsigned)opts->hint >= COPYDESK_HINT_COUNT_)
    return cd_fail(err, COPYDESK_ERR_INVALID, "unknown copydesk_fix hint", "fix", NULL, 0, 0);
  f.hint = opts && opts->hint ? cd_codepage_named(hint_pages[opts->hint]) : NULL;
  if (f.report) f.report->nchanges = f.report->nplan = 0;
  if (f.flags & ~(unsigned)FIX_KNOWN_FLAGS)
    return cd_fail(err, COPYDESK_ERR_INVALID, "unknown copydesk_fix flag", "fix", NULL, 0, 0);
  if (out == NULL || (s == NULL && len > 0))
    return cd_fail(err, COPYDESK_ERR_INVALID, "NULL text or output", "fix", NULL, 0, 0);
  if (skip_plain((const unsigned char *)s, len, 0) == len &&
      !((f.flags & COPYDESK_FIX_ENTITIES) && len > 0 && memchr(s, '&', len))) { /* as is */
    rc = copydesk_buf_append(out, s, len);
    if (rc != COPYDESK_OK) return cd_fail(err, rc, NULL, "fix", NULL, 0, 0);
    cd_ok(err);
    return COPYDESK_OK;
  }
  copydesk_buf_init(&f.tmp[0], out->alc);
  copydesk_buf_init(&f.tmp[1], out->alc);
  copydesk_buf_init(&f.kept, out->alc);
  f.s = s;
  f.len = len;
  f.cur = -1;
  f.changes = 0;
  f.stage = 0;
  f.need = needs(s, len, f.flags);
  rc = repair(&f);
  if (rc == COPYDESK_OK) rc = cd_report_finish(f.report);
  if (rc == COPYDESK_OK) rc = copydesk_buf_append(out, f.s, f.len);
  copydesk_buf_free(&f.tmp[0]);
  copydesk_buf_free(&f.tmp[1]);
  copydesk_buf_free(&f.kept);
  if (rc != COPYDESK_OK) {
    if (f.report) f.report->nchanges = f.report->nplan = 0;
    return cd_fail(err, rc, NULL, "fix", NULL, 0, 0);
  }
  if (changes) *changes = f.changes;
  cd_ok(err);
  return COPYDESK_OK;
}
