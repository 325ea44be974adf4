/* segment.c: UAX #29 (Unicode 15.0) grapheme cluster, word and sentence boundaries as a cursor.
**
** Each unit has one function that starts at a boundary and returns the next one. The rules only
** look back inside the current segment (every look-behind of UAX #29 stays within one segment:
** WB7's AHLetter and MidLetter were joined by WB6, SB7's Upper and ATerm by SB998), so the
** cursor needs no state beyond its position. Look-ahead (WB6, WB7b, WB12, SB8) scans forward
** without consuming. While scanning, the classes of the code points are collected, which gives
** the token kind at no extra pass. */
#include "segment_internal.h"

/* Bits collected over a segment's code points (token classes and emoji signs). */
enum { SEEN_LETTER = 1 << CD_CLASS_LETTER, SEEN_DIGIT = 1 << CD_CLASS_DIGIT,
       SEEN_SPACE = 1 << CD_CLASS_SPACE, SEEN_PUNCT = 1 << CD_CLASS_PUNCT,
       SEEN_IDEO = 1 << CD_CLASS_IDEO, SEEN_KANA = 1 << 8, SEEN_EMOJI = 1 << 9,
       SEEN_PICT = 1 << 10 };

#define VS16 0xFE0Fu /* VARIATION SELECTOR-16: emoji presentation */

static inline unsigned seen_bits(uint32_t cp, uint32_t p, unsigned seen) {
  if (CD_P_WB(p) == CD_WB_KATAKANA) return seen | SEEN_KANA;
  if (p & CD_P_EMOJI_PRES || CD_P_GB(p) == CD_GB_RI) return seen | SEEN_EMOJI;
  if (cp == VS16 && (seen & SEEN_PICT)) return seen | SEEN_EMOJI;
  if (p & CD_P_EXTPICT) seen |= SEEN_PICT;
  return seen | (1u << CD_P_CLASS(p));
}

/* The kind of a segment from the bits of its code points: the first of this list that shows. */
static copydesk_token_kind kind_of(unsigned seen) {
  if (seen & SEEN_LETTER) return COPYDESK_TOKEN_LETTERS;
  if (seen & SEEN_DIGIT) return COPYDESK_TOKEN_NUMBER;
  if (seen & SEEN_KANA) return COPYDESK_TOKEN_KANA;
  if (seen & SEEN_IDEO) return COPYDESK_TOKEN_IDEO;
  if (seen & SEEN_EMOJI) return COPYDESK_TOKEN_EMOJI;
  if (seen & (SEEN_PUNCT | SEEN_PICT)) return COPYDESK_TOKEN_PUNCT;
  if (seen & SEEN_SPACE) return COPYDESK_TOKEN_SPACE;
  return COPYDESK_TOKEN_OTHER;
}

/* ---- grapheme clusters ---------------------------------------------------------------- */

/* GB11's state: 1 after ExtPict Extend*, 2 after ExtPict Extend* ZWJ. */
static int pict_state(int st, uint32_t p) {
  unsigned gb = CD_P_GB(p);
  if (p & CD_P_EXTPICT) return 1;
  if (gb == CD_GB_EXTEND && st == 1) return 1;
  if (gb == CD_GB_ZWJ && st == 1) return 2;
  return 0;
}

/* GB3..GB999 between prev and next, given GB11's state and the count of regional indicators
** ending at prev. 1 means no break. */
static int grapheme_joins(unsigned prev, uint32_t q, int pict, size_t ri) {
  unsigned next = CD_P_GB(q);
  if (prev == CD_GB_CR && next == CD_GB_LF) return 1;
  if (prev == CD_GB_CR || prev == CD_GB_LF || prev == CD_GB_CONTROL) return 0;
  if (next == CD_GB_CR || next == CD_GB_LF || next == CD_GB_CONTROL) return 0;
  if (prev == CD_GB_L)
    return next == CD_GB_L || next == CD_GB_V || next == CD_GB_LV || next == CD_GB_LVT ||
           next == CD_GB_EXTEND || next == CD_GB_ZWJ || next == CD_GB_SPACINGMARK;
  if ((prev == CD_GB_LV || prev == CD_GB_V) && (next == CD_GB_V || next == CD_GB_T)) return 1;
  if ((prev == CD_GB_LVT || prev == CD_GB_T) && next == CD_GB_T) return 1;
  if (next == CD_GB_EXTEND || next == CD_GB_ZWJ || next == CD_GB_SPACINGMARK) return 1;
  if (prev == CD_GB_PREPEND) return 1;
  if (prev == CD_GB_ZWJ && pict == 2 && (q & CD_P_EXTPICT)) return 1;
  if (prev == CD_GB_RI && next == CD_GB_RI) return ri % 2 == 1;
  return 0;
}

static size_t grapheme_end(const char *s, size_t len, size_t pos, unsigned *seen) {
  uint32_t cp, p;
  size_t n = cd_seg_decode(s, len, pos, &cp), ri;
  unsigned prev;
  int pict;
  if (n == 0) return pos + 1;
  p = cd_prop(cp);
  *seen = seen_bits(cp, p, *seen);
  prev = CD_P_GB(p);
  pict = pict_state(0, p);
  ri = prev == CD_GB_RI;
  for (pos += n; pos < len; pos += n) {
    uint32_t q;
    /* Two ASCII characters never join, except CR LF (GB3). */
    if ((unsigned char)s[pos] < 0x80 && (unsigned char)s[pos - 1] < 0x80 &&
        !(prev == CD_GB_CR && s[pos] == '\n'))
      break;
    if ((n = cd_seg_decode(s, len, pos, &cp)) == 0) break;
    q = cd_prop(cp);
    if (!grapheme_joins(prev, q, pict, ri)) break;
    *seen = seen_bits(cp, q, *seen);
    prev = CD_P_GB(q);
    pict = pict_state(pict, q);
    ri = prev == CD_GB_RI ? ri + 1 : 0;
  }
  return pos;
}

/* ---- words ---------------------------------------------------------------------------- */

#define WB_NONE 0xFFu /* no code point (look-behind before the segment, look-ahead at the end) */

static int wb_ignored(unsigned wb) {
  return wb == CD_WB_EXTEND || wb == CD_WB_FORMAT || wb == CD_WB_ZWJ;
}

static int ahletter(unsigned wb) { return wb == CD_WB_ALETTER || wb == CD_WB_HEBREW; }

static int midletter_q(unsigned wb) {
  return wb == CD_WB_MIDLETTER || wb == CD_WB_MIDNUMLET || wb == CD_WB_SQUOTE;
}

static int midnum_q(unsigned wb) {
  return wb == CD_WB_MIDNUM || wb == CD_WB_MIDNUMLET || wb == CD_WB_SQUOTE;
}

/* The Word_Break value of the first code point at or after pos that WB4 does not skip. */
static unsigned wb_ahead(const char *s, size_t len, size_t pos) {
  while (pos < len) {
    uint32_t cp;
    size_t n = cd_seg_decode(s, len, pos, &cp);
    unsigned wb;
    if (n == 0) return WB_NONE;
    wb = CD_P_WB(cd_prop(cp));
    if (!wb_ignored(wb)) return wb;
    pos += n;
  }
  return WB_NONE;
}

/* WB5..WB16 between the effective code points `last` (after `before`) and `next`; `after` is
** the position following `next`, for the rules that look one further. 1 means no break. */
static int word_joins(unsigned before, unsigned last, unsigned next, size_t ri, const char *s,
                      size_t len, size_t after) {
  if (ahletter(last) && ahletter(next)) return 1;
  if (last == CD_WB_HEBREW && next == CD_WB_SQUOTE) return 1; /* WB7a, before WB6 decides */
  if (ahletter(last) && midletter_q(next)) return ahletter(wb_ahead(s, len, after));
  if (ahletter(before) && midletter_q(last) && ahletter(next)) return 1;
  if (last == CD_WB_HEBREW && next == CD_WB_DQUOTE)
    return wb_ahead(s, len, after) == CD_WB_HEBREW;
  if (before == CD_WB_HEBREW && last == CD_WB_DQUOTE && next == CD_WB_HEBREW) return 1;
  if ((ahletter(last) || last == CD_WB_NUMERIC) && (ahletter(next) || next == CD_WB_NUMERIC))
    return 1;
  if (before == CD_WB_NUMERIC && midnum_q(last) && next == CD_WB_NUMERIC) return 1;
  if (last == CD_WB_NUMERIC && midnum_q(next)) return wb_ahead(s, len, after) == CD_WB_NUMERIC;
  if (last == CD_WB_KATAKANA && next == CD_WB_KATAKANA) return 1;
  if ((ahletter(last) || last == CD_WB_NUMERIC || last == CD_WB_KATAKANA ||
       last == CD_WB_EXTENDNUMLET) && next == CD_WB_EXTENDNUMLET)
    return 1;
  if (last == CD_WB_EXTENDNUMLET &&
      (ahletter(next) || next == CD_WB_NUMERIC || next == CD_WB_KATAKANA))
    return 1;
  if (last == CD_WB_RI && next == CD_WB_RI) return ri % 2 == 1;
  return 0;
}

static int wb_newline(unsigned wb) {
  return wb == CD_WB_CR || wb == CD_WB_LF || wb == CD_WB_NEWLINE;
}

/* The common ASCII cases of a word segment, decided without the rule machine: a run of ASCII
** letters and digits followed by an ASCII byte that cannot join it (not . , : ; ' _), a lone
** space or another ASCII character followed by ASCII (no rule joins those, but CR LF, runs of
** spaces and ExtendNumLet). Returns the end, or 0 when the general rules must decide. */
static size_t word_end_ascii(const char *s, size_t len, size_t pos, unsigned *seen) {
  unsigned char b = (unsigned char)s[pos];
  uint32_t p = cd_seg_ascii[b];
  unsigned wb = CD_P_WB(p);
  size_t end = pos + 1;
  if (wb == CD_WB_ALETTER || wb == CD_WB_NUMERIC) {
    unsigned bits = 1u << CD_P_CLASS(p);
    while (end < len && (unsigned char)s[end] < 0x80) {
      uint32_t q = cd_seg_ascii[(unsigned char)s[end]];
      unsigned w = CD_P_WB(q);
      if (w != CD_WB_ALETTER && w != CD_WB_NUMERIC) break;
      bits |= 1u << CD_P_CLASS(q);
      end++;
    }
    if (!cd_ascii_word_ends(s, len, end)) return 0;
    *seen |= bits;
    return end;
  }
  if (wb == CD_WB_CR || wb == CD_WB_EXTENDNUMLET) return 0;
  if (end < len && ((unsigned char)s[end] >= 0x80 || (b == ' ' && s[end] == ' '))) return 0;
  *seen |= 1u << CD_P_CLASS(p);
  return end;
}

static size_t word_end(const char *s, size_t len, size_t pos, unsigned *seen) {
  uint32_t cp, p;
  size_t n = cd_seg_decode(s, len, pos, &cp), ri;
  unsigned raw, last, before = WB_NONE;
  if (n == 0) return pos + 1;
  p = cd_prop(cp);
  *seen = seen_bits(cp, p, *seen);
  raw = last = CD_P_WB(p);
  ri = raw == CD_WB_RI;
  for (pos += n; pos < len; pos += n) {
    uint32_t q;
    unsigned wb;
    int ignored = 0;
    if (raw == CD_WB_ALETTER || raw == CD_WB_NUMERIC) {
      /* ASCII fast path: letters and digits after letters and digits join (WB5, WB8..WB10). */
      size_t start = pos;
      while (pos < len && (unsigned char)s[pos] < 0x80) {
        unsigned w = CD_P_WB(cd_seg_ascii[(unsigned char)s[pos]]);
        if (w != CD_WB_ALETTER && w != CD_WB_NUMERIC) break;
        *seen |= 1u << CD_P_CLASS(cd_seg_ascii[(unsigned char)s[pos]]);
        pos++;
      }
      if (pos > start) {
        before = pos - start >= 2 ? CD_P_WB(cd_seg_ascii[(unsigned char)s[pos - 2]]) : last;
        raw = last = CD_P_WB(cd_seg_ascii[(unsigned char)s[pos - 1]]);
        ri = 0;
        if (pos >= len) break;
      }
    }
    if ((n = cd_seg_decode(s, len, pos, &cp)) == 0) break;
    q = cd_prop(cp);
    wb = CD_P_WB(q);
    if (raw == CD_WB_CR && wb == CD_WB_LF) {
      /* WB3: CR x LF */
    } else if (wb_newline(raw) || wb_newline(wb)) {
      break; /* WB3a, WB3b */
    } else if (raw == CD_WB_ZWJ && (q & CD_P_EXTPICT)) {
      /* WB3c */
    } else if (raw == CD_WB_WSEGSPACE && wb == CD_WB_WSEGSPACE) {
      /* WB3d */
    } else if (wb_ignored(wb)) {
      ignored = 1; /* WB4 */
    } else if (!word_joins(before, last, wb, ri, s, len, pos + n)) {
      break;
    }
    *seen = seen_bits(cp, q, *seen);
    raw = wb;
    if (!ignored) {
      before = last;
      last = wb;
      ri = wb == CD_WB_RI ? ri + 1 : 0;
    }
  }
  return pos;
}

/* ---- sentences ------------------------------------------------------------------------ */

/* Where the segment stands after its last effective code point, for SB8..SB11. */
enum { SB_TEXT, SB_TERM, SB_TERM_CLOSE, SB_TERM_SP };

static int sb_parasep(unsigned sb) { return sb == CD_SB_SEP || sb == CD_SB_CR || sb == CD_SB_LF; }

static int sb_saterm(unsigned sb) { return sb == CD_SB_ATERM || sb == CD_SB_STERM; }

/* SB8's look-ahead: does a Lower come before any OLetter, Upper, ParaSep or SATerm? */
static int sb8_lower_ahead(const char *s, size_t len, size_t pos) {
  while (pos < len) {
    uint32_t cp;
    size_t n = cd_seg_decode(s, len, pos, &cp);
    unsigned sb;
    if (n == 0) return 0;
    sb = CD_P_SB(cd_prop(cp));
    if (sb == CD_SB_LOWER) return 1;
    if (sb == CD_SB_OLETTER || sb == CD_SB_UPPER || sb_parasep(sb) || sb_saterm(sb)) return 0;
    pos += n;
  }
  return 0;
}

/* The state after an effective code point `sb` following `state`. */
static int sb_step(int state, unsigned sb) {
  if (sb_saterm(sb)) return SB_TERM;
  if (sb == CD_SB_CLOSE && (state == SB_TERM || state == SB_TERM_CLOSE)) return SB_TERM_CLOSE;
  if (sb == CD_SB_SP && state != SB_TEXT) return SB_TERM_SP;
  return SB_TEXT;
}

/* SB6..SB998 before `next` at pos. 1 means no break. */
static int sentence_joins(unsigned before, unsigned last, int state, int aterm, unsigned next,
                          const char *s, size_t len, size_t pos) {
  if (last == CD_SB_ATERM && next == CD_SB_NUMERIC) return 1;
  if ((before == CD_SB_UPPER || before == CD_SB_LOWER) && last == CD_SB_ATERM &&
      next == CD_SB_UPPER)
    return 1;
  if (state == SB_TEXT) return 1;
  if (aterm && sb8_lower_ahead(s, len, pos)) return 1;
  if (next == CD_SB_SCONTINUE || sb_saterm(next)) return 1;
  if (state != SB_TERM_SP && next == CD_SB_CLOSE) return 1;
  return next == CD_SB_SP || sb_parasep(next);
}

static size_t sentence_end(const char *s, size_t len, size_t pos) {
  uint32_t cp;
  size_t n = cd_seg_decode(s, len, pos, &cp);
  unsigned raw, last, before = WB_NONE;
  int state, aterm;
  if (n == 0) return pos + 1;
  raw = last = CD_P_SB(cd_prop(cp));
  state = sb_step(SB_TEXT, last);
  aterm = last == CD_SB_ATERM;
  for (pos += n; pos < len; pos += n) {
    unsigned sb;
    if (state == SB_TEXT && !sb_parasep(raw)) {
      /* ASCII fast path: inside a sentence everything but ParaSep and SATerm joins (SB998). */
      size_t start = pos;
      while (pos < len && (unsigned char)s[pos] < 0x80) {
        unsigned b = CD_P_SB(cd_seg_ascii[(unsigned char)s[pos]]);
        if (sb_parasep(b) || sb_saterm(b)) break;
        pos++;
      }
      if (pos > start) {
        before = pos - start >= 2 ? CD_P_SB(cd_seg_ascii[(unsigned char)s[pos - 2]]) : last;
        raw = last = CD_P_SB(cd_seg_ascii[(unsigned char)s[pos - 1]]);
        if (pos >= len) break;
      }
    }
    if ((n = cd_seg_decode(s, len, pos, &cp)) == 0) break;
    sb = CD_P_SB(cd_prop(cp));
    if (raw == CD_SB_CR && sb == CD_SB_LF) {
      raw = sb; /* SB3 */
      continue;
    }
    if (sb_parasep(raw)) break; /* SB4 */
    raw = sb;
    if (sb == CD_SB_EXTEND || sb == CD_SB_FORMAT) continue; /* SB5 */
    if (!sentence_joins(before, last, state, aterm, sb, s, len, pos)) break;
    before = last;
    last = sb;
    state = sb_step(state, sb);
    if (sb_saterm(sb)) aterm = sb == CD_SB_ATERM;
  }
  return pos;
}

/* ---- the cursor ----------------------------------------------------------------------- */

void copydesk_seg_init(copydesk_seg *c, const char *s, size_t len, copydesk_seg_unit unit) {
  c->s = s;
  c->len = s ? len : 0;
  c->pos = 0;
  c->unit = unit;
}

int copydesk_seg_next(copydesk_seg *c, size_t *pos, size_t *len, copydesk_token_kind *kind) {
  size_t start = c->pos, end;
  unsigned seen = 0;
  if (start >= c->len) return 0;
  switch (c->unit) {
  case COPYDESK_SEG_WORD:
    end = (unsigned char)c->s[start] < 0x80 ? word_end_ascii(c->s, c->len, start, &seen) : 0;
    if (end == 0) end = word_end(c->s, c->len, start, &seen);
    break;
  case COPYDESK_SEG_SENTENCE: end = sentence_end(c->s, c->len, start); break;
  default: end = grapheme_end(c->s, c->len, start, &seen); break;
  }
  c->pos = end;
  *pos = start;
  *len = end - start;
  if (kind) *kind = kind_of(seen);
  return 1;
}

size_t copydesk_seg_count(const char *s, size_t len, copydesk_seg_unit unit, unsigned kinds) {
  copydesk_seg c;
  size_t pos, n, count = 0;
  copydesk_token_kind k;
  copydesk_seg_init(&c, s, len, unit);
  while (copydesk_seg_next(&c, &pos, &n, &k))
    if (kinds == 0 || (kinds & (1u << k))) count++;
  return count;
}

const char *copydesk_seg_unicode_version(void) { return cd_seg_unicode_version; }
