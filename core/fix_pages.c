/* fix_pages.c: whole-cluster mojibake repair for every code page copydesk knows (Windows-1252
** and Latin-1, Windows-1250/1251/1253/1254/1257, ISO-8859-2, MacRoman, CP437).
**
** In code page P, a cluster is a maximal run of non-ASCII characters that P can encode. Its bytes
** are read back as UTF-8, strictly: every byte must belong to a valid multi-byte sequence (CESU-8
** surrogate pairs included). Two kinds of damage are read through: a space where the byte 0xA0
** was (an NBSP folded to a space by the first reader), and, with COPYDESK_FIX_LOSSY, a lost byte
** (U+FFFD, or "?" inside a sequence), which makes the sequence U+FFFD.
**
** A strict reading is no proof: clean Ukrainian "ВІКІ" reads as "²ʲ" in Windows-1251. So a
** reading is kept only when it makes the text less weird (cd_weirdness, fix_weirdness.c, over the
** cluster and one character either side), and a line is read in one code page only, with evidence
** enough: two sequences, or one of three bytes or more, or, for a single two-byte sequence outside
** Windows-1252 (where fix_mojibake.c's finer rules decide), a large drop; a line's own script
** counts too ("ÎŸ" among Greek words is "Ο"). Once a line has shown mojibake in a page, its
** other clusters are read more leniently. A prefilter (cd_moji_scan) spares the lines, and the
** pages, where no lead-looking character meets a continuation-looking one.
*/
#include <utf8proc.h>

#include "fix_internal.h"

#define NO_BYTE (-1)
#define LOST 0x100       /* a byte the first decoder lost */
#define NBSP_BYTE 0xA0
#define MAX_SEQ 6        /* a CESU-8 surrogate pair */
/* A single two-byte sequence outside Windows-1252 must lower the weirdness this much. */
#define LONE_PAIR_DROP 2
/* ... and this much when it reads as a symbol ("3Â˝" in ISO-8859-2 is "3½"). */
#define LONE_SIGN_DROP 3
/* Once a line has shown mojibake in a page, its other clusters may look this much weirder
** decoded (their neighbours are often mojibake still, "Ð " before "ÑƒÑ"). */
#define LENIENT_RISE 2
/* How much less weird a cluster counts when it reads as the line's own script, and how many
** letters of a script make it the line's. */
#define SCRIPT_BONUS 3
#define LINE_SCRIPT_MIN 4

/* What the space after a cluster does when it stood for the byte 0xA0. */
enum space_use { SPACE_NONE, SPACE_EATEN, SPACE_KEPT, SPACE_INSIDE };

/* One decoded sequence. */
typedef struct pseq {
  size_t pos, end;     /* source bytes */
  uint32_t cp;         /* decoded code point */
  unsigned nbytes;
  int space;           /* enum space_use: a space read as 0xA0 ended (EATEN) or was inside it */
} pseq;

/* A cluster read in one code page. */
typedef struct pcluster {
  size_t pos, end;     /* source bytes, the space taken as 0xA0 included when eaten */
  size_t nseq;
  unsigned longest;    /* bytes of its longest sequence */
  int delta;           /* weirdness after minus before */
  uint32_t by_space;   /* the code point it made of a space read as 0xA0, or 0 */
  size_t nlossy;       /* sequences that lost a byte */
  uint32_t first_cp;   /* what its first sequence decoded to */
  int box_only;        /* CP437 box drawing alone: evidence of nothing, unless box_in_word */
  int box_in_word;     /* between ASCII letters, read as Latin-1 letters ("f├╝r"), or as the
                          Spanish "¿" or "¡" opening an ASCII word ("┬┐que"): no line art */
  size_t ncommon;      /* sequences read as the commonest accented letters (common_accented) */
  uint32_t langs;      /* the languages writing all the letters it reads as (cd_letter_languages) */
  size_t nodd;         /* letters it reads as that sit where no language puts them (cd_odd_vowel) */
  size_t nupper;       /* upper-case letters it reads as */
  int unspellable;     /* its source letters are no language's together (cd_unspellable) */
  int foreign_in_word; /* it reads as a letter no text puts beside an ASCII letter one is beside */
  int script_bonus;    /* it decodes to the line's own script from Latin letters */
} pcluster;

/* ---- reading a cluster ---- */

/* The code page reading of the text at s[i..len). */
/* The weirdness of the source text of clusters already read in the line (direct-mapped by
** position): each page reads mostly the same clusters, and the source does not change. */
#define MEMO_SLOTS 16
typedef struct window_memo {
  size_t pos[MEMO_SLOTS], end[MEMO_SLOTS];
  int cost[MEMO_SLOTS];
} window_memo;

typedef struct reader {
  const unsigned char *s;
  size_t len;
  const cd_codepage *page;
  unsigned flags;
  int line_script;     /* the line's own script when not Latin (Greek, Cyrillic, ...), or 0 */
  window_memo *memo;   /* of the current line */
} reader;

/* The byte of the character at s[i] in the reader's page (NO_BYTE for ASCII and for characters
** the page lacks); *next gets the offset after it. */
static int page_byte(const reader *r, size_t i, size_t *next) {
  uint32_t cp;
  int b;
  *next = i + cd_utf8_next(r->s, r->len, i, &cp);
  if (cp < 0x80) return NO_BYTE;
  if (cp == 0xFFFD && (r->flags & COPYDESK_FIX_LOSSY)) return LOST;
  b = cd_cp_encode(r->page, cp);
  return b >= 0x80 ? b : NO_BYTE;
}

/* The continuation byte range after lead `lead` at position k of its sequence (k from 1). */
static void cont_range(unsigned lead, size_t k, unsigned *lo, unsigned *hi) {
  *lo = 0x80;
  *hi = 0xBF;
  if (k != 1) return;
  if (lead == 0xE0) *lo = 0xA0;
  else if (lead == 0xF0) *lo = 0x90;
  else if (lead == 0xF4) *hi = 0x8F;
  /* 0xED keeps 0x80..0xBF: surrogates are read, then paired below */
}

static size_t seq_need(unsigned lead) {
  return lead < 0xC2 ? 0 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : lead < 0xF5 ? 4 : 0;
}

/* The byte inside a sequence at s[at] after lead `lead`: the page's byte, 0xA0 for a space where
** that fits (an NBSP's second byte folded to a space), LOST for a lost byte; *next gets the
** offset after it. */
static int inner_byte(const reader *r, unsigned lead, size_t at, unsigned lo, unsigned hi,
                      size_t *next) {
  if (at >= r->len) return NO_BYTE;
  *next = at + 1;
  if (r->s[at] == ' ')
    return NBSP_BYTE >= lo && NBSP_BYTE <= hi && (lead >= 0xE0 || cd_space_lead(lead)) ? NBSP_BYTE
                                                                                    : NO_BYTE;
  if (r->s[at] == '?') return r->flags & COPYDESK_FIX_LOSSY ? LOST : NO_BYTE;
  return page_byte(r, at, next);
}

/* Reads one sequence (not a surrogate pair) at s[i]; returns its length in bytes, 0 when none
** starts there. Sets q (cp 0xFFFD when a byte was lost; a surrogate half as its code point). */
static size_t read_one(const reader *r, size_t i, pseq *q) {
  size_t at, next, k, need;
  unsigned lo, hi;
  unsigned char u[4];
  int b = i < r->len ? page_byte(r, i, &next) : NO_BYTE, lost = 0;
  if (b == NO_BYTE || b == LOST || (need = seq_need((unsigned)b)) == 0) return 0;
  u[0] = (unsigned char)b;
  q->pos = i;
  q->space = SPACE_NONE;
  at = next;
  for (k = 1; k < need; k++) {
    cont_range(u[0], k, &lo, &hi);
    b = inner_byte(r, u[0], at, lo, hi, &next);
    if (b == LOST) lost = 1;
    else if (b == NO_BYTE || (unsigned)b < lo || (unsigned)b > hi) return 0;
    if (r->s[at] == ' ') q->space = k + 1 == need ? SPACE_EATEN : SPACE_INSIDE;
    u[k] = b == LOST ? 0x80 : (unsigned char)b;
    at = next;
  }
  q->end = at;
  q->nbytes = (unsigned)need;
  if (lost) q->cp = 0xFFFD;
  else if (u[0] == 0xED && u[1] >= 0xA0) /* a surrogate half, which UTF-8 refuses */
    q->cp = ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
  else if (cd_utf8_next(u, need, 0, &q->cp) != need) return 0;
  return need;
}

/* Reads one sequence at s[i], pairing CESU-8 surrogate halves; returns 0 when none starts
** there or it decodes to what no text holds (unassigned, private use, a lone surrogate). */
static size_t read_seq(const reader *r, size_t i, pseq *q) {
  pseq lo;
  utf8proc_category_t cat;
  if (read_one(r, i, q) == 0) return 0;
  if (q->cp >= 0xDC00 && q->cp <= 0xDFFF) return 0;
  if (q->cp >= 0xD800 && q->cp <= 0xDBFF) {
    if (q->space == SPACE_EATEN || read_one(r, q->end, &lo) == 0 || lo.cp < 0xDC00 ||
        lo.cp > 0xDFFF)
      return 0;
    q->cp = 0x10000 + ((q->cp - 0xD800) << 10) + (lo.cp - 0xDC00);
    q->end = lo.end;
    q->nbytes = MAX_SEQ;
    q->space = lo.space;
  }
  cat = utf8proc_category((utf8proc_int32_t)q->cp);
  if (cat == UTF8PROC_CATEGORY_CN || cat == UTF8PROC_CATEGORY_CO) return 0;
  return q->nbytes;
}

/* ---- deciding ---- */

/* The Portuguese words that glue to "à" ("àquele", "às "): after "Ã" and a space, these mean
** the space was the NBSP byte; any other word means the NBSP was lost and the space is real. */
static int glued_to_a_grave(const unsigned char *s, size_t len, size_t i) {
  static const char *const words[] = {"quele", "quela", "quilo", "s ", " "};
  size_t k;
  for (k = 0; k < sizeof words / sizeof words[0]; k++) {
    size_t n = strlen(words[k]);
    if (len - i >= n && memcmp(s + i, words[k], n) == 0) return 1;
  }
  return 0;
}

/* How a sequence that took a space as 0xA0 uses it: "Ã" and a space is "à" and a space, except
** before the glued words; an NBSP (C2 A0) and the others eat the space. A letter of capitals
** before a one-sequence cluster ("MISUTÂ AJIKKO", "IRMÃ ") means real text, and so does a lead
** that is no letter (a dash and a space, "ты – весь", are no MacRoman "Р"). Returns SPACE_NONE
** to refuse. */
static int space_use(const unsigned char *s, size_t len, const pseq *q, size_t cluster_pos) {
  if (q->pos == cluster_pos && cd_is_upper(cd_cp_before((const char *)s, q->pos))) return SPACE_NONE;
  if (!cd_is_letter(cd_cp_at(s, len, q->pos))) return SPACE_NONE;
  if (q->cp == 0xE0 && !glued_to_a_grave(s, len, q->end))
    return q->end < len && s[q->end] >= 'a' && s[q->end] <= 'z' ? SPACE_KEPT : SPACE_NONE;
  return SPACE_EATEN;
}

static int ascii_letter(unsigned c) { return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }

/* Whether cps[0..n) are all letters of Latin-1 (U+00C0..U+00FF but × and ÷). */
static int latin1_letters(const uint32_t *cps, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (cps[i] < 0xC0 || cps[i] > 0xFF || cps[i] == 0xD7 || cps[i] == 0xF7) return 0;
  return n > 0;
}

/* Whether cp is one of the accented letters most European text uses (rather than "å", "ß"),
** which decides between pages that read a line equally well: ISO-8859-2 and Windows-1250 read
** "ĂĄ" as "á" and "å", "Ăź" as "ü" and "ß". */
static int common_accented(uint32_t cp) {
  /* bit cp - 0xE0 for à á â ã ä ç è é ê ë í î ñ ó ô õ ö ù ú û ü */
  const uint32_t common = UINT32_C(0x1E7A6F9F);
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) cp += 0x20; /* the capitals */
  return cp >= 0xE0 && cp <= 0xFF && ((common >> (cp - 0xE0)) & 1u);
}

/* Box drawing alone is CP437 line art, never mojibake of it ("├┤a┼┐"). */
static int only_box_drawing(const unsigned char *s, size_t pos, size_t end) {
  uint32_t cp;
  while (pos < end) {
    pos += cd_utf8_next(s, end, pos, &cp);
    if (cp < 0x2500 || cp >= 0x2580) return 0;
  }
  return 1;
}

/* Whether the letters of s[pos..end) are all Latin, as mojibake's are. */
static int latin_run(const unsigned char *s, size_t pos, size_t end) {
  uint32_t cp;
  while (pos < end) {
    pos += cd_utf8_next(s, end, pos, &cp);
    if (cd_is_letter(cp) && cd_script_of(cp) != CD_SCRIPT_LATIN) return 0;
  }
  return 1;
}

/* The script of most non-ASCII letters of s[start..end) when it is not Latin and holds at least
** LINE_SCRIPT_MIN of them, else 0. A damaged word in a Greek line ("ÎŸ δήμαρχος") is Latin
** letters among Greek ones: reading it as Greek is what the line asks for. */
static int line_script_of(const unsigned char *s, size_t start, size_t end) {
  int script = 0;
  size_t i = start, n = 0, nbest = 0, nlatin = 0;
  uint32_t cp;
  while ((i = cd_skip_ascii(s, end, i)) < end) {
    int k;
    i += cd_utf8_next(s, end, i, &cp);
    if (!cd_is_letter(cp)) continue;
    k = cd_script_of(cp);
    if (k == CD_SCRIPT_LATIN) nlatin++;
    else if (k == script) n++;
    else if (n == 0) {
      script = k; /* a majority vote in one pass (Boyer and Moore's) */
      n = 1;
    } else {
      n--;
    }
  }
  if (script == 0 || n == 0) return 0;
  for (i = start; (i = cd_skip_ascii(s, end, i)) < end;) { /* count the winner */
    i += cd_utf8_next(s, end, i, &cp);
    if (cd_script_of(cp) == script && cp >= 0x80) nbest++;
  }
  return nbest >= LINE_SCRIPT_MIN && nbest > nlatin ? script : 0;
}


/* The weirdness of the source s[pos..end) with its neighbours (cd_window_weirdness), memoised. */
static int source_cost(const reader *r, size_t pos, size_t end, uint32_t before, uint32_t after) {
  window_memo *m = r->memo;
  size_t k = pos % MEMO_SLOTS;
  if (m->pos[k] != pos || m->end[k] != end) {
    m->pos[k] = pos;
    m->end[k] = end;
    m->cost[k] = cd_window_weirdness(r->s, pos, end, before, after);
  }
  return m->cost[k];
}

/* Whether cp is a Latin letter one of cd_letter_languages' languages writes, or punctuation
** ("¿"): what a lone pair that replaces unspellable letters must read as ("Āø" is no "¸"). */
static int reads_as_word_part(uint32_t cp) {
  uint32_t langs = cd_letter_languages(cp);
  utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);
  return (langs != 0 && langs != CD_ANY_LANGUAGE) ||
         (cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO);
}

/* Reads the cluster at s[c->pos..) in r's page: fills c and, if out is non-NULL, appends the
** repaired text. Returns 0 when the strict reading fails. */
static int read_cluster(const reader *r, pcluster *c, copydesk_buf *out, copydesk_code *rc) {
  uint32_t cps[CD_WINDOW + 2];
  size_t i = c->pos, n = 0, next, k;
  uint32_t before = cd_cp_before((const char *)r->s, c->pos), after;
  pseq q;
  c->nseq = 0;
  c->longest = 0;
  c->by_space = 0;
  c->nlossy = 0;
  c->ncommon = 0;
  c->langs = CD_ANY_LANGUAGE;
  if (before) cps[n++] = before;
  while (i < r->len && page_byte(r, i, &next) != NO_BYTE) {
    if (read_seq(r, i, &q) == 0) return 0;
    if (q.space == SPACE_EATEN) {
      if ((q.space = space_use(r->s, r->len, &q, c->pos)) == SPACE_NONE) return 0;
      c->by_space = q.cp;
      if (q.space == SPACE_KEPT) q.end--; /* the space stays in the text */
    }
    if (n < CD_WINDOW) cps[n++] = q.cp;
    if (out && *rc == COPYDESK_OK) *rc = cd_buf_put_cp(out, q.cp);
    c->nseq++;
    if (q.cp == 0xFFFD) c->nlossy++;
    if (common_accented(q.cp)) c->ncommon++;
    c->langs &= cd_letter_languages(q.cp);
    if (c->nseq == 1) c->first_cp = q.cp;
    if (q.nbytes > c->longest) c->longest = q.nbytes;
    i = q.end;
    if (q.space == SPACE_EATEN || q.space == SPACE_KEPT) break; /* a space ends the cluster */
  }
  c->end = i;
  if (c->nseq == 0) return 0;
  c->unspellable = c->nseq == 1 && c->longest == 2 && reads_as_word_part(c->first_cp) &&
                   cd_unspellable(r->s, c->pos, c->end);
  c->box_only = r->page == cd_codepages[CD_CP437] && only_box_drawing(r->s, c->pos, c->end);
  c->box_in_word = c->box_only && c->end < r->len && ascii_letter(r->s[c->end]) &&
                   ((c->pos > 0 && ascii_letter(r->s[c->pos - 1]) &&
                     latin1_letters(cps + (before != 0), n - (before != 0))) ||
                    (c->nseq == 1 && (c->first_cp == 0xBF || c->first_cp == 0xA1)));
  after = cd_cp_at(r->s, r->len, c->end);
  if (after) cps[n++] = after;
  c->foreign_in_word = 0;
  for (c->nodd = c->nupper = 0, k = before != 0; k + (after != 0) < n; k++) {
    uint32_t prev = k > 0 ? cps[k - 1] : 0, later = k + 1 < n ? cps[k + 1] : 0;
    utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cps[k]);
    c->nodd += cd_odd_vowel(prev, cps[k], later);
    c->nupper += cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
    if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO && !cd_beside_latin(cps[k]) &&
        ((prev < 0x80 && ascii_letter(prev)) || (later < 0x80 && ascii_letter(later))))
      c->foreign_in_word = 1;
  }
  c->delta = cd_weirdness(cps, n) - source_cost(r, c->pos, c->end, before, after);
  c->script_bonus = r->line_script && latin_run(r->s, c->pos, c->end) &&
                    cd_script_letters(cps + (before != 0), n - (before != 0) - (after != 0),
                                      r->line_script) > 0;
  if (c->script_bonus) c->delta -= SCRIPT_BONUS;
  return 1;
}

/* The end of the non-ASCII run at s[i] that r's page can encode (i when it cannot). */
static size_t run_end(const reader *r, size_t i) {
  size_t next;
  while (i < r->len && page_byte(r, i, &next) != NO_BYTE) i = next;
  return i;
}

/* Whether cluster c, read in a page other than Windows-1252, reads the same in Windows-1252,
** whose lone pairs fix_mojibake.c judges by finer rules ("Å™" is "ř" in both). */
static int same_in_cp1252(const reader *r, const pcluster *c) {
  reader latin = *r;
  pcluster d;
  copydesk_code rc = COPYDESK_OK;
  if (r->page == &cd_cp1252) return 0;
  latin.page = &cd_cp1252;
  d.pos = c->pos;
  return read_cluster(&latin, &d, NULL, &rc) && d.end == c->end && d.first_cp == c->first_cp &&
         d.nseq == c->nseq;
}

/* What a line gains in one page. */
typedef struct verdict {
  int delta;           /* summed weirdness change of the accepted clusters */
  size_t nseq;         /* their sequences */
  unsigned longest;
  size_t nspace;       /* clusters resting on a space */
  size_t nlossy;
  size_t naccepted;
  size_t nbetter;      /* clusters not kept that would still lower weirdness */
  size_t nruns, nread; /* non-ASCII runs in the line, and those that read in the page */
  size_t nworse;       /* runs that read but grow weirder */
  size_t nscript;      /* kept clusters that read as the line's own script */
  size_t ncommon;      /* their sequences read as common accented letters */
  uint32_t langs;      /* the languages writing all the letters they read as */
  size_t nodd;         /* letters they read as that sit oddly (cd_odd_vowel) */
  size_t nupper;       /* upper-case letters they read as */
  uint32_t first_cp;   /* what the first accepted cluster's first sequence decoded to */
  int first_unspellable; /* that cluster's source letters are no language's together */
  size_t first_pos, first_end; /* that cluster's source bytes */
  int common_space;    /* every cluster resting on a space is evidence alone (plain_space) */
} verdict;

/* "à" and NBSP: what a space read as 0xA0 most often was, in French, Portuguese and anywhere. */
static int common_by_space(uint32_t cp) { return cp == 0xE0 || cp == 0xA0; }

/* Whether cluster c is a space read as 0xA0 that is evidence alone: "à" or NBSP, or a letter
** opening a lower-case word ("Å alda" is "Šalda"). */
static int plain_space(const reader *r, const pcluster *c) {
  if (common_by_space(c->by_space)) return 1;
  return c->nseq == 1 && cd_is_letter(c->by_space) &&
         !cd_is_letter(cd_cp_before((const char *)r->s, c->pos)) &&
         c->end < r->len && r->s[c->end] >= 'a' && r->s[c->end] <= 'z';
}

/* Whether cluster c is worth keeping: it makes the text less weird (clearly, for a lone two-byte
** sequence, unless its source letters are no language's together, "Ăś"; a lone "à" or NBSP: no
** weirder), or, `lenient`, once the line has shown mojibake in this page, not much weirder;
** never when it puts a letter beside an ASCII letter that no text puts there ("Úžasný" is no
** "ڞasný", cd_beside_latin). */
static int keep_cluster(const reader *r, const pcluster *c, int lenient) {
  if (c->foreign_in_word) return 0;
  if (lenient) return c->delta <= LENIENT_RISE;
  if (c->box_only && !c->box_in_word) return 0;
  if (c->delta <= 0 && c->by_space && plain_space(r, c)) return 1;
  if (c->nseq == 1 && c->longest == 2)
    return c->delta <= (c->unspellable ? 0 : -LONE_PAIR_DROP);
  return c->delta <= -1;
}

/* Walks the line s[start..end) in r's page; with out set, appends the line's text up to the last
** kept cluster, repaired, and moves *done past it. */
static copydesk_code walk_line(const reader *r, size_t start, size_t end, int lenient,
                               verdict *v, cd_step *st, copydesk_buf *out, size_t *done) {
  size_t i = start;
  copydesk_code rc = COPYDESK_OK;
  pcluster c;
  memset(v, 0, sizeof *v);
  v->common_space = 1;
  v->langs = CD_ANY_LANGUAGE;
  while (rc == COPYDESK_OK && (i = cd_skip_ascii(r->s, end, i)) < end) {
    size_t stop = run_end(r, i), run = cd_skip_nonascii(r->s, end, i);
    c.pos = i;
    v->nruns++;
    if (stop < run || !read_cluster(r, &c, NULL, &rc) || c.end < stop) {
      i = run; /* the whole non-ASCII run must read in the page */
      continue;
    }
    v->nread++;
    if (c.delta > 0) v->nworse++;
    if (!keep_cluster(r, &c, lenient)) {
      if (c.delta < 0 && !c.box_only && !same_in_cp1252(r, &c)) v->nbetter++;
      i = run;
      continue;
    }
    if (c.script_bonus) v->nscript++;
    if (v->naccepted == 0) {
      v->first_cp = c.first_cp;
      v->first_unspellable = c.unspellable;
      v->first_pos = c.pos;
      v->first_end = c.end;
    }
    v->delta += c.delta;
    v->nseq += c.nseq;
    v->naccepted++;
    if (c.longest > v->longest) v->longest = c.longest;
    if (c.by_space) v->nspace++;
    if (c.by_space && !plain_space(r, &c)) v->common_space = 0;
    v->nlossy += c.nlossy;
    v->ncommon += c.ncommon;
    v->langs &= c.langs;
    v->nodd += c.nodd;
    v->nupper += c.nupper;
    if (out) {
      size_t out_pos;
      rc = copydesk_buf_append(out, (const char *)r->s + *done, c.pos - *done);
      out_pos = out->len;
      if (rc == COPYDESK_OK) read_cluster(r, &c, out, &rc);
      if (rc == COPYDESK_OK)
        rc = cd_step_note(st, c.pos, c.end - c.pos, out_pos, out->len - out_pos, r->page->name);
      *done = c.end;
    }
    i = c.end;
  }
  return rc;
}

/* Whether the first kept cluster holds letters of another script than Latin, in a line of ASCII
** words, and reads as a Latin letter ("O que Г© isso": Portuguese "é" read as Windows-1251). */
static int foreign_in_latin(const reader *r, const verdict *v) {
  size_t i, nascii = 0;
  if (r->line_script || cd_script_of(v->first_cp) != CD_SCRIPT_LATIN ||
      latin_run(r->s, v->first_pos, v->first_end))
    return 0;
  for (i = v->first_pos; i > 0 && r->s[i - 1] != '\n'; i--) {}
  for (; i < r->len && r->s[i] != '\n' && nascii < LINE_SCRIPT_MIN; i++)
    nascii += ascii_letter(r->s[i]);
  return nascii >= LINE_SCRIPT_MIN;
}

/* Whether the first kept cluster reads as a common accented lower-case letter standing alone as
** a word ("O que Ć© isso": Portuguese "é"; "à", "ó" are words too). */
static int one_letter_word(const reader *r, const verdict *v) {
  return v->first_cp >= 0xE0 && common_accented(v->first_cp) &&
         !cd_is_letter(cd_cp_before((const char *)r->s, v->first_pos)) &&
         !cd_is_letter(cd_cp_at(r->s, r->len, v->first_end));
}

static int lone_sign(uint32_t cp) {
  utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);
  return cat == UTF8PROC_CATEGORY_NO || (cat >= UTF8PROC_CATEGORY_SM && cat <= UTF8PROC_CATEGORY_SO);
}

static int lone_punct(uint32_t cp) {
  utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);
  return cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO;
}

/* Whether the cluster at s[pos..end) stands inside a word: ASCII letters on both sides. */
static int inside_word(const reader *r, size_t pos, size_t end) {
  return pos > 0 && ascii_letter(r->s[pos - 1]) && end < r->len && ascii_letter(r->s[end]);
}

/* Whether a lone two-byte sequence read in a page other than Windows-1252 is believable: one
** that lowers weirdness clearly, or whose source letters are no language's together ("Ăśffentliche"),
** and reads as a letter followed or preceded by a lower-case one ("wei√ü", "MГ¤dchen"; not
** "AHÅ™"), a punctuation mark ("ВЎAbre") or, on a larger drop, a symbol, that Windows-1252
** would not read the same (there fix_mojibake.c's rules decide: "DrÃ¥ber"). */
static int lone_pair(const reader *r, const verdict *v) {
  pcluster c;
  copydesk_code rc = COPYDESK_OK;
  utf8proc_category_t before = utf8proc_category((utf8proc_int32_t)cd_cp_before((const char *)r->s, v->first_pos));
  int lower_after = v->first_end < r->len && r->s[v->first_end] >= 'a' &&
                    r->s[v->first_end] <= 'z';
  if (r->page == &cd_cp1252 || (v->delta > -LONE_PAIR_DROP && !v->first_unspellable))
    return 0;
  if (!lone_punct(v->first_cp) &&
      !(cd_is_letter(v->first_cp) && (before == UTF8PROC_CATEGORY_LL || lower_after ||
                                     foreign_in_latin(r, v) || one_letter_word(r, v))) &&
      !(lone_sign(v->first_cp) && v->delta <= -LONE_SIGN_DROP))
    return 0;
  c.pos = v->first_pos;
  return !(read_cluster(r, &c, NULL, &rc) && same_in_cp1252(r, &c));
}

/* Whether verdict v is evidence enough to rewrite a line in r's page. */
static int convincing(const reader *r, const verdict *v) {
  const cd_codepage *page = r->page;
  if (v->naccepted + v->nbetter >= 3) return 1; /* "$Ì¶6Ì¶3Ì¶": a small gain, thrice */
  /* outside Windows-1252 (whose lone pairs fix_mojibake.c judges), a line that reads whole,
  ** nowhere worse and twice better ("SELKĂ„ EDELLĂ„") */
  if (page != &cd_cp1252 && v->nread == v->nruns && v->nworse == 0 &&
      v->naccepted + v->nbetter >= 2)
    return 1;
  if (v->naccepted == 0) return 0;
  if (v->nscript > 0) return 1;
  if (v->nspace == v->naccepted && v->nseq == v->nspace) /* only spaces read as 0xA0 */
    return page == &cd_cp1252 && v->common_space;
  if (v->nseq >= 2 || v->longest >= 4 || v->nlossy > 0) return 1;
  if (v->longest == 3) /* punctuation, U+FFFD, BOM, or a letter inside a word ("signiﬁcantly") */
    return (v->first_cp >= 0x2000 && v->first_cp < 0x3000) || v->first_cp == 0xFFFD ||
           v->first_cp == 0xFEFF || inside_word(r, v->first_pos, v->first_end);
  return lone_pair(r, v);
}

/* Whether verdict a beats verdict b (of lenient readings) in best_page's contest: more clusters
** repaired, then letters that one language writes together ("engaño, mí", not "engaùo, mí"),
** then fewer letters where no language puts them ("daß", not "daü": cd_odd_vowel), then more
** of them read as common accented letters (common_accented), then a lower weirdness, then fewer
** capitals (text has more small letters: "que él", not "que Êl"), then a lower weirdness of the
** strict readings (delta_a, delta_b). */
static int beats(const verdict *a, int delta_a, const verdict *b, int delta_b) {
  int fits_a = a->langs != 0, fits_b = b->langs != 0;
  if (a->naccepted != b->naccepted) return a->naccepted > b->naccepted;
  if (fits_a != fits_b) return fits_a;
  if (a->nodd != b->nodd) return a->nodd < b->nodd;
  if (a->ncommon != b->ncommon) return a->ncommon > b->ncommon;
  if (a->delta != b->delta) return a->delta < b->delta;
  if (a->nupper != b->nupper) return a->nupper < b->nupper;
  return delta_a < delta_b;
}

/* The page of `pages` (a candidate_pages mask) the line s[start..end) reads best in, or NULL.
** Windows-1252, by far the most common, goes first: if its evidence is convincing, it is the
** page; if it reads the line whole without convincing evidence, none is (fix_mojibake.c's rules
** decide: "AyÃºdate" must not read as MacRoman). Either holds only when Windows-1252 reads the
** line as letters that one language writes together; when not ("uĨila", where Windows-1257 reads
** "učila"), it joins the other pages with convincing evidence in a contest (beats), which the
** first page wins on a tie (Windows-1254 reads like Windows-1252 almost everywhere). A
** Windows-1252 win without convincing evidence is, again, fix_mojibake.c's call. */
static const cd_codepage *best_page(reader *r, size_t start, size_t end, unsigned pages) {
  const cd_codepage *best = NULL;
  int delta[CD_NCODEPAGES], best_delta = 0, latin_convinced = 0;
  size_t k;
  unsigned convinced = 0;
  verdict top = {0};
  for (k = 0; k < CD_NCODEPAGES; k++) {
    verdict v;
    if (!(pages & (1u << k))) continue;
    r->page = cd_codepages[k];
    if (walk_line(r, start, end, 0, &v, NULL, NULL, NULL) != COPYDESK_OK) return NULL;
    if (k == 0) {
      latin_convinced = convincing(r, &v);
      if (!latin_convinced && !(v.nruns > 0 && v.nread == v.nruns)) continue;
      if (v.langs != 0) return latin_convinced ? r->page : NULL;
    } else if (!convincing(r, &v)) {
      continue;
    }
    convinced |= 1u << k;
    delta[k] = v.delta;
    best = r->page;
  }
  if ((convinced & (convinced - 1)) != 0) { /* more than one: a contest */
    best = NULL;
    for (k = 0; k < CD_NCODEPAGES; k++) {
      verdict all;
      if (!(convinced & (1u << k))) continue;
      r->page = cd_codepages[k];
      if (walk_line(r, start, end, 1, &all, NULL, NULL, NULL) != COPYDESK_OK) return NULL;
      if (best == NULL || beats(&all, delta[k], &top, best_delta)) {
        best = r->page;
        best_delta = delta[k];
        top = all;
      }
    }
  }
  return best == &cd_cp1252 && !latin_convinced ? NULL : best;
}


/* The candidate pages (cd_moji_scan) of the line s[start..end). */
static unsigned candidate_pages(const reader *r, size_t start, size_t end) {
  cd_moji_scan m = {0, 0, 0, (r->flags & COPYDESK_FIX_LOSSY) != 0};
  size_t i = start;
  while (i < end) {
    uint32_t cp;
    if (r->s[i] < 0x80) {
      cd_moji_ascii(&m, r->s[i]);
      i = cd_skip_ascii(r->s, end, i + 1);
      continue;
    }
    i += cd_utf8_next(r->s, end, i, &cp);
    cd_moji_char(&m, cp);
  }
  return m.pages;
}

copydesk_code cd_fix_pages(const char *text, size_t len, cd_step *st, copydesk_buf *dst) {
  reader r;
  window_memo memo;
  size_t start = 0, done = 0;
  copydesk_code rc = COPYDESK_OK;
  r.s = (const unsigned char *)text;
  r.len = len;
  r.flags = st->flags;
  r.memo = &memo;
  while (rc == COPYDESK_OK && start < len) {
    const unsigned char *nl = memchr(r.s + start, '\n', len - start);
    size_t end = nl ? (size_t)(nl - r.s) : len, first = cd_skip_ascii(r.s, end, start);
    const cd_codepage *page = NULL;
    unsigned pages = first < end ? candidate_pages(&r, first, end) : 0;
    if (pages) {
      memset(memo.end, 0, sizeof memo.end); /* no cluster ends at 0 */
      r.line_script = line_script_of(r.s, first, end);
      page = best_page(&r, first, end, pages);
    }
    if (page) {
      verdict v;
      r.page = page;
      rc = walk_line(&r, first, end, 1, &v, st, dst, &done);
    }
    start = end + 1;
  }
  return cd_step_end(rc, st, dst, text, len, done);
}

