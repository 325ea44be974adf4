/* fix_mojibake.c: undoes mojibake, UTF-8 that was decoded as Windows-1252 or Latin-1 and encoded
** again, so that "Ã©" is "é" again and "â€™" is "’".
**
** A cluster is a maximal run of non-ASCII characters that Windows-1252 can encode (C1 controls,
** which a Latin-1 decoder leaves, count as their own byte). Its bytes are read back as UTF-8; each
** valid multi-byte sequence there is a candidate, and an accepted candidate replaces the characters
** it came from. Real text seldom puts a lead-looking letter right before continuation-looking
** symbols, and these rules leave alone the cases where it does ("MARQUÉ…", "ZZAJÉ’s", "allé…”");
** "Ã’s" is one they repair wrongly (to "Òs"):
** - a strong candidate is accepted alone: lead 0xC2 or 0xC3 ("Â", "Ã": U+0080..U+00FF), lead
**   0xE2 ("â": punctuation U+2000..U+2FFF), the BOM EF BB BF, any 4-byte sequence (emoji);
** - a weak one (any other lead) needs a second candidate in its cluster or a place inside a word
**   (weak_in_word), as in "Ä°stanbul", "RÄ«ga" and "Viá»‡t";
** - a candidate decoding to an unassigned, private-use or surrogate code point is never accepted,
**   nor NBSP (C2 A0) right after an upper-case letter ("MISUTÂ AJIKKO").
** "Â" and a space, where a scraper turned the NBSP of C2 A0 into a space, becomes NBSP unless an
** upper-case letter precedes the "Â". One call is one pass; the driver repeats passes to undo damage
** applied more than once.
*/
#include <utf8proc.h>

#include "fix_internal.h"

#define NO_BYTE (-1)
#define NBSP 0xA0u
#define A_CIRCUMFLEX 0xC2u /* "Â", the mojibake lead of U+0080..U+00BF */

/* A candidate sequence, or a single character when no valid sequence starts there. */
typedef struct seq {
  size_t pos, end;  /* source bytes of the characters it spans */
  size_t nchars;    /* characters (= bytes once encoded); 1 when it is no sequence */
  uint32_t cp;      /* the decoded code point, or the single character */
  unsigned lead, last;
} seq;

/* A cluster and what the analysis found in it. */
typedef struct cluster {
  size_t pos, end;     /* its source bytes */
  size_t ncand;        /* plausible candidates */
  seq first;           /* the first plausible candidate */
  int nbsp_space;      /* ends in "Â" and a space that stand for NBSP */
  size_t last_pos;     /* where its last character starts */
} cluster;

/* The Windows-1252 byte of cp, or NO_BYTE. Code points below 0x100 are their own byte: that covers
** Latin-1 and the C1 controls left by a Latin-1 decoder or by Windows-1252's holes. */
static int cp1252_byte(uint32_t cp) {
  size_t lo = 0, hi = cd_cp1252.nencode;
  if (cp < 0x100) return (int)cp;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cd_cp1252.encode[mid].cp < cp) lo = mid + 1;
    else hi = mid;
  }
  return lo < cd_cp1252.nencode && cd_cp1252.encode[lo].cp == cp ? cd_cp1252.encode[lo].byte
                                                                 : NO_BYTE;
}


static int is_lower_ascii(unsigned c) { return c >= 'a' && c <= 'z'; }

/* The end of the cluster that starts at s[pos] (pos itself when that character is not in one). */
static size_t cluster_end(const unsigned char *s, size_t len, size_t pos) {
  uint32_t cp;
  while (pos < len && s[pos] >= 0x80) {
    size_t n = cd_utf8_next(s, len, pos, &cp);
    if (cp1252_byte(cp) == NO_BYTE) break;
    pos += n;
  }
  return pos;
}

/* Reads the sequence starting at s[pos] inside a cluster ending at `end`. */
static void read_seq(const unsigned char *s, size_t end, size_t pos, seq *q) {
  unsigned char b[4];
  size_t at = pos, k, need;
  uint32_t cp;
  at += cd_utf8_next(s, end, at, &cp);
  b[0] = (unsigned char)cp1252_byte(cp);
  q->pos = pos;
  q->end = at;
  q->nchars = 1;
  q->cp = cp;
  q->lead = q->last = b[0];
  need = b[0] < 0xC2 ? 1 : b[0] < 0xE0 ? 2 : b[0] < 0xF0 ? 3 : b[0] < 0xF5 ? 4 : 1;
  if (need == 1) return;
  for (k = 1; k < need && at < end; k++) {
    at += cd_utf8_next(s, end, at, &cp);
    b[k] = (unsigned char)cp1252_byte(cp);
  }
  if (k < need || cd_utf8_decode(b, need, &cp) != need) return;
  q->end = at;
  q->nchars = need;
  q->cp = cp;
  q->last = b[need - 1];
}

static int is_strong(const seq *q) {
  return q->lead == 0xC2 || q->lead == 0xC3 || q->lead == 0xE2 || q->nchars == 4 ||
         q->cp == 0xFEFF;
}

/* Whether candidate q could be what the writer meant. */
static int plausible(const unsigned char *s, const seq *q) {
  utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)q->cp);
  if (cat == UTF8PROC_CATEGORY_CN || cat == UTF8PROC_CATEGORY_CO || cat == UTF8PROC_CATEGORY_CS)
    return 0;
  return !(q->cp == NBSP && cd_is_upper(cd_cp_before((const char *)s, q->pos)));
}

static int is_ascii_letter(unsigned c) { return is_lower_ascii(c | 0x20); }

/* Whether weak candidate q, alone in its cluster, sits where mojibake does rather than real
** text: an upper-case lead (Ä..Þ) with a lower-case letter before, or after unless its last byte
** reads as an apostrophe ("ZZAJÉ’s"); a 3-byte one (lead à..ï) with letters on both sides, as
** in "Viá»‡t", where real text would have ended the word ("allé…”"); a dash joins words
** ("10 Å—not"); never as a letter no text puts beside Latin letters (cd_beside_latin). */
static int weak_in_word(const unsigned char *s, size_t len, const cluster *c, const seq *q) {
  unsigned before = q->pos == c->pos && q->pos > 0 ? s[q->pos - 1] : 0;
  unsigned after = q->end == c->end && c->end < len ? s[c->end] : 0;
  if (!cd_beside_latin(q->cp)) return 0; /* "Úžasný" is no "ڞasný" */
  if (q->nchars == 3) return is_ascii_letter(before) && is_ascii_letter(after);
  if (q->lead < 0xC4 || q->lead > 0xDE || q->lead == 0xD7) return 0;
  return is_lower_ascii(before) ||
         (is_lower_ascii(after) && q->last != 0x91 && q->last != 0x92 && q->last != 0xB4 &&
          q->last != 0x96 && q->last != 0x97);
}

/* Strong leads that still need company: "Ã’s" reads as "Òs" but is mostly an "Ã" and an
** apostrophe (while "AÃ‘OS" is "AÑOS"), and "Ã¥" is as often a name as it is "å" ("DrÃ¥ber"). */
static int strong_alone(const unsigned char *s, size_t len, const seq *q) {
  int quote = q->last == 0x91 || q->last == 0x92;
  if (!is_strong(q)) return 0;
  if (q->lead == 0xC3 && q->last == 0xA5) return 0;
  return !(q->nchars == 2 && quote && q->end < len && is_lower_ascii(s[q->end]));
}

static int accepted(const unsigned char *s, size_t len, const cluster *c, const seq *q) {
  if (q->nchars == 1 || !plausible(s, q)) return 0;
  return c->ncand >= 2 || strong_alone(s, len, q) || weak_in_word(s, len, c, q);
}

/* Counts the candidates of cluster c; returns whether anything in it is to be repaired. A cluster
** where more leads fail than succeed is no mojibake of UTF-8, or one too garbled to guess. */
static int analyse(const unsigned char *s, size_t len, cluster *c) {
  size_t pos = c->pos, nfailed = 0;
  seq q = {0, 0, 0, 0, 0, 0};
  c->ncand = 0;
  while (pos < c->end) {
    read_seq(s, c->end, pos, &q);
    if (q.nchars == 1 && q.lead >= 0xC2) nfailed++;
    if (q.nchars > 1 && plausible(s, &q) && c->ncand++ == 0) c->first = q;
    c->last_pos = pos;
    pos = q.end;
  }
  c->nbsp_space = q.nchars == 1 && q.cp == A_CIRCUMFLEX && c->end < len && s[c->end] == ' ' &&
                  !cd_is_upper(cd_cp_before((const char *)s, q.pos));
  if (nfailed > c->ncand) return 0;
  return c->nbsp_space || c->ncand >= 2 || (c->ncand == 1 && accepted(s, len, c, &c->first));
}

/* Appends the repaired cluster to dst; returns through *end where the source resumes. */
static copydesk_code emit(const unsigned char *s, size_t len, const cluster *c, copydesk_buf *dst,
                          size_t *end) {
  size_t pos = c->pos;
  copydesk_code rc = COPYDESK_OK;
  seq q;
  *end = c->end;
  while (pos < c->end && rc == COPYDESK_OK) {
    read_seq(s, c->end, pos, &q);
    if (accepted(s, len, c, &q)) rc = cd_buf_put_cp(dst, q.cp);
    else if (c->nbsp_space && pos == c->last_pos) {
      rc = cd_buf_put_cp(dst, NBSP);
      *end = c->end + 1; /* the space */
    } else rc = copydesk_buf_append(dst, (const char *)s + q.pos, q.end - q.pos);
    pos = q.end;
  }
  return rc;
}

copydesk_code cd_fix_mojibake(const char *text, size_t len, cd_step *st, copydesk_buf *dst) {
  const unsigned char *s = (const unsigned char *)text;
  size_t i = 0, done = 0, out_pos;
  copydesk_code rc = COPYDESK_OK;
  cluster c;
  while (rc == COPYDESK_OK && (i = cd_skip_ascii(s, len, i)) < len) {
    uint32_t cp;
    c.pos = i;
    c.end = cluster_end(s, len, i);
    if (c.end == i) {
      i += cd_utf8_next(s, len, i, &cp);
      continue;
    }
    if (!analyse(s, len, &c)) {
      i = c.end;
      continue;
    }
    rc = copydesk_buf_append(dst, text + done, c.pos - done);
    out_pos = dst->len;
    if (rc == COPYDESK_OK) rc = emit(s, len, &c, dst, &done);
    if (rc == COPYDESK_OK)
      rc = cd_step_note(st, c.pos, done - c.pos, out_pos, dst->len - out_pos, cd_cp1252.name);
    i = done;
  }
  return cd_step_end(rc, st, dst, text, len, done);
}
