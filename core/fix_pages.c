/* fix_pages.c: whole-cluster mojibake repair for every code page copydesk knows (Windows-1252
** and Latin-1, Windows-1250/1251/1253/1254/1257, ISO-8859-2, MacRoman, CP437), and the script
** hints, which read legacy text seen through Windows-1252 in the hinted page.
**
** In code page P, a cluster is a maximal run of non-ASCII characters that P can encode. Its bytes
** are read back as UTF-8, strictly: every byte must belong to a valid multi-byte sequence (CESU-8
** surrogate pairs included). Two kinds of damage are read through: a space where the byte 0xA0
** was (an NBSP folded to a space by the first reader), and, with COPYDESK_FIX_LOSSY, a lost byte
** (U+FFFD, or "?" inside a sequence), which makes the sequence U+FFFD.
**
** A strict reading is no proof: clean Ukrainian "ВІКІ" reads as "²ʲ" in Windows-1251. So a
** reading is kept only when it makes the text less weird (cd_weirdness, over the cluster and one
** character either side), and a line is read in one code page only, with evidence enough: two
** sequences, or one of three bytes or more, or, for a single two-byte sequence outside
** Windows-1252 (where fix_mojibake.c's finer rules decide), a large drop; a line's own script
** counts too ("ÎŸ" among Greek words is "Ο"). Once a line has shown mojibake in a page, its
** other clusters are read more leniently. A prefilter (cd_moji_scan) spares the lines, and the
** pages, where no lead-looking character meets a continuation-looking one.
*/#include <utf8proc.h>

#include "fix_internal.h"

#define NO_BYTE (-1)
#define LOST 0x100       /* a byte the first decoder lost */
#define NBSP_BYTE 0xA0
#define SOFT_HYPHEN 0xADu
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
/* With a Cyrillic or Greek hint, a line is rewritten when one of its words reads as this many
** letters of the script or more. */
#define HINT_MIN_WORD 3
/* With a Latin hint, a run is rewritten when its reading is this much less odd, and others in
** the same line then when they are this much less odd. */
#define HINT_DROP 1
#define HINT_LENIENT_DROP 0

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
  int box_in_word;     /* between ASCII letters, read as Latin-1 letters ("f├╝r") */
  size_t ncommon;      /* sequences read as the commonest accented letters (common_accented) */
  int script_bonus;    /* it decodes to the line's own script from Latin letters */
} pcluster;

/* ---- code pages ---- */

int cd_cp_encode(const cd_codepage *p, uint32_t cp) {
  size_t lo = 0, hi = p->nencode;
  if (cp < 0x80) return (int)cp;
  if (cp < CD_CP_LOW_END) {
    unsigned b = cd_cp_low_bytes[cp - 0x80][p->index];
    return b ? (int)b : NO_BYTE;
  }
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (p->encode[mid].cp < cp) lo = mid + 1;
    else hi = mid;
  }
  return lo < p->nencode && p->encode[lo].cp == cp ? p->encode[lo].byte : NO_BYTE;
}

/* ---- weirdness ---- */

enum { SCRIPT_NONE, SCRIPT_LATIN, SCRIPT_GREEK, SCRIPT_CYRILLIC, SCRIPT_CJK, SCRIPT_BLOCKS };

/* A coarse script of a letter, by block: enough to see Latin and Cyrillic side by side in one
** word. Blocks above Cyrillic count by 256 code points. */
static int script_of(uint32_t cp) {
  if (cp < 0x370 || (cp >= 0x1D00 && cp < 0x1F00) || (cp >= 0x2C60 && cp < 0x2C80) ||
      (cp >= 0xA720 && cp < 0xA800) || (cp >= 0xFB00 && cp < 0xFB07))
    return SCRIPT_LATIN;
  if (cp < 0x400 || (cp >= 0x1F00 && cp < 0x2000)) return SCRIPT_GREEK;
  if (cp < 0x530) return SCRIPT_CYRILLIC;
  if ((cp >= 0x2E80 && cp < 0xA000) || (cp >= 0xAC00 && cp < 0xD7B0) ||
      (cp >= 0x1100 && cp < 0x1200) || (cp >= 0xF900 && cp < 0xFB00) ||
      (cp >= 0xFF00 && cp < 0xFFF0) || cp >= 0x20000)
    return SCRIPT_CJK;
  return SCRIPT_BLOCKS + (int)(cp >> 8);
}

/* Characters real text seldom holds but mojibake often does: most of Latin Extended-B (not the
** Vietnamese, Romanian and pinyin letters), IPA and spacing modifiers, archaic Greek and
** Cyrillic, Hebrew points, box drawing and block elements, the long s. */
static int is_rare(uint32_t cp) {
  if (cp >= 0x180 && cp < 0x250)
    return !(cp == 0x1A0 || cp == 0x1A1 || cp == 0x1AF || cp == 0x1B0 ||
             (cp >= 0x1CD && cp <= 0x1DC) || (cp >= 0x218 && cp <= 0x21B));
  if (cp >= 0x250 && cp < 0x300) return cp != 0x2BB && cp != 0x2BC;
  return cp == 0x17F || (cp >= 0x1D00 && cp < 0x1DC0) || (cp >= 0x370 && cp < 0x386) || (cp >= 0x3CF && cp < 0x400) ||
         (cp >= 0x460 && cp < 0x490) || (cp >= 0x4C0 && cp < 0x530) ||
         (cp >= 0x591 && cp < 0x5C8) || (cp >= 0x2500 && cp < 0x25A0);
}

typedef struct chinfo {
  uint32_t cp;
  utf8proc_category_t cat;
} chinfo;

static int is_letter(const chinfo *c) {
  return c->cat >= UTF8PROC_CATEGORY_LU && c->cat <= UTF8PROC_CATEGORY_LO;
}

static int is_symbol(const chinfo *c) {
  return c->cat == UTF8PROC_CATEGORY_NO || (c->cat >= UTF8PROC_CATEGORY_PC &&
                                             c->cat <= UTF8PROC_CATEGORY_SO);
}

static int is_sign(const chinfo *c) { /* S* and No: never inside words */
  return c->cat == UTF8PROC_CATEGORY_NO ||
         (c->cat >= UTF8PROC_CATEGORY_SM && c->cat <= UTF8PROC_CATEGORY_SO);
}

/* Punctuation that sits between letters in real words: apostrophe, hyphens, middle dot. */
static int word_punct(uint32_t cp) {
  return cp == 0x2019 || cp == 0x2010 || cp == 0x2011 || cp == 0xB7;
}

/* The cost of character b between a and c (cp 0 where there is none). */
static int char_cost(const chinfo *a, const chinfo *b, const chinfo *c) {
  int cost = 0, la = a->cp && is_letter(a), lc = c->cp && is_letter(c);
  if (b->cp < 0x80) return 0;
  if (b->cp < 0xA0) return 3;
  if (b->cat == UTF8PROC_CATEGORY_CN || b->cat == UTF8PROC_CATEGORY_CO ||
      b->cat == UTF8PROC_CATEGORY_CS)
    return 4;
  cost += is_rare(b->cp);
  if (a->cat == UTF8PROC_CATEGORY_LU && b->cat == UTF8PROC_CATEGORY_LU &&
      c->cat == UTF8PROC_CATEGORY_LL && (a->cp >= 0x80 || c->cp >= 0x80))
    cost += 1; /* "ÄÆdomu": two capitals opening a lower-case word */
  if (a->cat == UTF8PROC_CATEGORY_LL && b->cat == UTF8PROC_CATEGORY_LU &&
      c->cat == UTF8PROC_CATEGORY_LL)
    cost += 1; /* "daĂź": a capital inside a lower-case word */
  if (is_sign(b)) cost += la + lc;
  else if (is_symbol(b) && la && lc && !word_punct(b->cp)) cost += 2;
  else if (la && (b->cat == UTF8PROC_CATEGORY_PS || b->cat == UTF8PROC_CATEGORY_PI))
    cost += 1; /* an opening quote right after a letter: "caf‚" */
  return cost;
}

/* A letter of the scripts whose code pages put letters on lead bytes and symbols on
** continuation bytes (Windows-125x, MacRoman); Greek is left out, as "√π" is maths. */
static int latin_letter(const chinfo *c) {
  int script = script_of(c->cp);
  return c->cp >= 0x80 && is_letter(c) && (script == SCRIPT_LATIN || script == SCRIPT_CYRILLIC);
}

/* The cost of a and b side by side. */
static int pair_cost(const chinfo *a, const chinfo *b) {
  int cost = 0;
  if (a->cp == 0 || (a->cp < 0x80 && b->cp < 0x80)) return 0;
  if (is_letter(a) && is_letter(b)) {
    if (script_of(a->cp) != script_of(b->cp)) cost += 2;
    if (a->cat == UTF8PROC_CATEGORY_LL && b->cat == UTF8PROC_CATEGORY_LU) cost += 1;
  } else if ((latin_letter(a) && is_symbol(b) && b->cp >= 0x80) ||
             (latin_letter(b) && is_symbol(a) && a->cp >= 0x80)) {
    cost += 1; /* "Ã©", "√ü": a lead byte's letter beside a continuation byte's symbol */
  } else if (a->cp >= 0x80 && b->cp >= 0x80 && is_symbol(a) && is_symbol(b) &&
             (is_sign(a) || is_sign(b))) {
    cost += 1; /* "√≤", "√§" */
  } else if ((latin_letter(a) && b->cp == SOFT_HYPHEN) || (latin_letter(b) && a->cp == SOFT_HYPHEN)) {
    cost += 2; /* "Ć­": real text hides its soft hyphens between ASCII letters */
  }
  return cost;
}

static chinfo info(uint32_t cp) {
  chinfo c;
  c.cp = cp;
  c.cat = cp ? utf8proc_category((utf8proc_int32_t)cp) : UTF8PROC_CATEGORY_CN;
  return c;
}

/* "AHř": a lower-case letter after two capitals, one of the three non-ASCII. */
static int caps_then_lower(const chinfo *z, const chinfo *a, const chinfo *b) {
  return z->cat == UTF8PROC_CATEGORY_LU && a->cat == UTF8PROC_CATEGORY_LU &&
         b->cat == UTF8PROC_CATEGORY_LL && (z->cp >= 0x80 || a->cp >= 0x80 || b->cp >= 0x80);
}

int cd_weirdness(const uint32_t *cps, size_t n) {
  chinfo none = info(0), z = none, a = none, b, c;
  int cost = 0;
  size_t i;
  if (n == 0) return 0;
  b = info(cps[0]);
  for (i = 0; i < n; i++) {
    c = i + 1 < n ? info(cps[i + 1]) : none;
    cost += char_cost(&a, &b, &c) + pair_cost(&a, &b) + caps_then_lower(&z, &a, &b);
    z = a;
    a = b;
    b = c;
  }
  return cost;
}

/* ---- reading a cluster ---- */

/* The code page reading of the text at s[i..len). */
typedef struct reader {
  const unsigned char *s;
  size_t len;
  const cd_codepage *page;
  unsigned flags;
  int line_script;     /* the line's own script when not Latin (Greek, Cyrillic, ...), or 0 */
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

/* Whether a space after lead byte b may stand for 0xA0 (the same set as SPACE_LEADS in
** core/gen/codepages.lua): C2 A0 NBSP, C3 A0 "à", C5 A0 "Š", CE A0 "Π", D0 A0 "Р", D9 A0 "٠",
** E2 A0 .. the braille blank; inside longer sequences ("í ½í¸", CESU-8) a space always may. */
static int space_lead(unsigned b) {
  return b == 0xC2 || b == 0xC3 || b == 0xC5 || b == 0xCE || b == 0xD0 || b == 0xD9 ||
         b == 0xE2;
}

/* The byte inside a sequence at s[at] after lead `lead`: the page's byte, 0xA0 for a space where
** that fits (an NBSP's second byte folded to a space), LOST for a lost byte; *next gets the
** offset after it. */
static int inner_byte(const reader *r, unsigned lead, size_t at, unsigned lo, unsigned hi,
                      size_t *next) {
  if (at >= r->len) return NO_BYTE;
  *next = at + 1;
  if (r->s[at] == ' ')
    return NBSP_BYTE >= lo && NBSP_BYTE <= hi && (lead >= 0xE0 || space_lead(lead)) ? NBSP_BYTE
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
  else if (cd_utf8_decode(u, need, &q->cp) != need) return 0;
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

static uint32_t cp_at(const unsigned char *s, size_t len, size_t i) {
  uint32_t cp = 0;
  if (i < len) cd_utf8_next(s, len, i, &cp);
  return cp;
}

/* The code point of the character that ends at s[pos), or 0 at the start of the text. */
static uint32_t cp_before(const unsigned char *s, size_t pos) {
  return cd_cp_before((const char *)s, pos);
}

/* How a sequence that took a space as 0xA0 uses it: "Ã" and a space is "à" and a space, except
** before the glued words; an NBSP (C2 A0) and the others eat the space. A letter of capitals
** before a one-sequence cluster ("MISUTÂ AJIKKO", "IRMÃ ") means real text. Returns SPACE_NONE
** to refuse. */
static int space_use(const unsigned char *s, size_t len, const pseq *q, size_t cluster_pos) {
  if (q->pos == cluster_pos && cd_is_upper(cp_before(s, q->pos))) return SPACE_NONE;
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
    chinfo c;
    pos += cd_utf8_next(s, end, pos, &cp);
    c = info(cp);
    if (is_letter(&c) && script_of(cp) != SCRIPT_LATIN) return 0;
  }
  return 1;
}

/* Whether the letters of cps[0..n) (one at least) are all of `script`. */
static int in_script(const uint32_t *cps, size_t n, int script) {
  size_t i, letters = 0;
  for (i = 0; i < n; i++) {
    chinfo c = info(cps[i]);
    if (!is_letter(&c)) continue;
    if (script_of(cps[i]) != script) return 0;
    letters++;
  }
  return letters > 0;
}

/* The script of most non-ASCII letters of s[start..end) when it is not Latin and holds at least
** LINE_SCRIPT_MIN of them, else 0. A damaged word in a Greek line ("ÎŸ δήμαρχος") is Latin
** letters among Greek ones: reading it as Greek is what the line asks for. */
static int line_script_of(const unsigned char *s, size_t start, size_t end) {
  int script = 0;
  size_t i = start, n = 0, nbest = 0, nlatin = 0;
  uint32_t cp;
  while ((i = cd_skip_ascii(s, end, i)) < end) {
    chinfo c;
    int k;
    i += cd_utf8_next(s, end, i, &cp);
    c = info(cp);
    if (!is_letter(&c)) continue;
    k = script_of(cp);
    if (k == SCRIPT_LATIN) nlatin++;
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
    if (script_of(cp) == script && cp >= 0x80) nbest++;
  }
  return nbest >= LINE_SCRIPT_MIN && nbest > nlatin ? script : 0;
}

/* Weirdness of the code points of s[pos..end), with `before` and `after` around. The window is
** short: its code points go in a fixed array, and a longer cluster is scored by its first part. */
#define WINDOW 48
static int window_cost(const unsigned char *s, size_t pos, size_t end, uint32_t before,
                       uint32_t after) {
  uint32_t cps[WINDOW + 2];
  size_t n = 0;
  if (before) cps[n++] = before;
  while (pos < end && n < WINDOW) pos += cd_utf8_next(s, end, pos, &cps[n++]);
  if (after) cps[n++] = after;
  return cd_weirdness(cps, n);
}

/* Reads the cluster at s[c->pos..) in r's page: fills c and, if out is non-NULL, appends the
** repaired text. Returns 0 when the strict reading fails. */
static int read_cluster(const reader *r, pcluster *c, copydesk_buf *out, copydesk_code *rc) {
  uint32_t cps[WINDOW + 2];
  size_t i = c->pos, n = 0, next;
  uint32_t before = cp_before(r->s, c->pos), after;
  pseq q;
  c->nseq = 0;
  c->longest = 0;
  c->by_space = 0;
  c->nlossy = 0;
  c->ncommon = 0;
  if (before) cps[n++] = before;
  while (i < r->len && page_byte(r, i, &next) != NO_BYTE) {
    if (read_seq(r, i, &q) == 0) return 0;
    if (q.space == SPACE_EATEN) {
      if ((q.space = space_use(r->s, r->len, &q, c->pos)) == SPACE_NONE) return 0;
      c->by_space = q.cp;
      if (q.space == SPACE_KEPT) q.end--; /* the space stays in the text */
    }
    if (n < WINDOW) cps[n++] = q.cp;
    if (out && *rc == COPYDESK_OK) *rc = cd_buf_put_cp(out, q.cp);
    c->nseq++;
    if (q.cp == 0xFFFD) c->nlossy++;
    if (common_accented(q.cp)) c->ncommon++;
    if (c->nseq == 1) c->first_cp = q.cp;
    if (q.nbytes > c->longest) c->longest = q.nbytes;
    i = q.end;
    if (q.space == SPACE_EATEN || q.space == SPACE_KEPT) break; /* a space ends the cluster */
  }
  c->end = i;
  if (c->nseq == 0) return 0;
  c->box_only = r->page == cd_codepages[CD_CP437] && only_box_drawing(r->s, c->pos, c->end);
  c->box_in_word = c->box_only && c->pos > 0 && c->end < r->len &&
                   ascii_letter(r->s[c->pos - 1]) && ascii_letter(r->s[c->end]) &&
                   latin1_letters(cps + (before != 0), n - (before != 0));
  after = cp_at(r->s, r->len, c->end);
  if (after) cps[n++] = after;
  c->delta = cd_weirdness(cps, n) - window_cost(r->s, c->pos, c->end, before, after);
  c->script_bonus = r->line_script && latin_run(r->s, c->pos, c->end) &&
                    in_script(cps + (before != 0), n - (before != 0) - (after != 0),
                              r->line_script);
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
  uint32_t first_cp;   /* what the first accepted cluster's first sequence decoded to */
  size_t first_pos, first_end; /* that cluster's source bytes */
  int common_space;    /* every cluster resting on a space is evidence alone (plain_space) */
} verdict;

/* "à" and NBSP: what a space read as 0xA0 most often was, in French, Portuguese and anywhere. */
static int common_by_space(uint32_t cp) { return cp == 0xE0 || cp == 0xA0; }

/* Whether cluster c is a space read as 0xA0 that is evidence alone: "à" or NBSP, or a letter
** opening a lower-case word ("Å alda" is "Šalda"). */
static int plain_space(const reader *r, const pcluster *c) {
  chinfo made = info(c->by_space), before = info(cp_before(r->s, c->pos));
  if (common_by_space(c->by_space)) return 1;
  return c->nseq == 1 && is_letter(&made) && !(before.cp && is_letter(&before)) &&
         c->end < r->len && r->s[c->end] >= 'a' && r->s[c->end] <= 'z';
}

/* Whether cluster c is worth keeping: it makes the text less weird (clearly, for a lone two-byte
** sequence; a lone "à" or NBSP: no weirder), or, `lenient`, once the line has shown mojibake in
** this page, not much weirder. */
static int keep_cluster(const reader *r, const pcluster *c, int lenient) {
  if (lenient) return c->delta <= LENIENT_RISE;
  if (c->box_only && !c->box_in_word) return 0;
  if (c->delta <= 0 && c->by_space && plain_space(r, c)) return 1;
  return c->delta <= (c->nseq == 1 && c->longest == 2 ? -LONE_PAIR_DROP : -1);
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

static int lone_letter(uint32_t cp) {
  chinfo c = info(cp);
  return is_letter(&c);
}

/* Whether the first kept cluster holds letters of another script than Latin, in a line of ASCII
** words, and reads as a Latin letter ("O que Г© isso": Portuguese "é" read as Windows-1251). */
static int foreign_in_latin(const reader *r, const verdict *v) {
  size_t i, nascii = 0;
  if (r->line_script || script_of(v->first_cp) != SCRIPT_LATIN ||
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
  chinfo before = info(cp_before(r->s, v->first_pos)), after = info(cp_at(r->s, r->len,
                                                                           v->first_end));
  return v->first_cp >= 0xE0 && common_accented(v->first_cp) &&
         !(before.cp && is_letter(&before)) && !(after.cp && is_letter(&after));
}

static int lone_sign(uint32_t cp) {
  chinfo c = info(cp);
  return is_sign(&c);
}

static int lone_punct(uint32_t cp) {
  chinfo c = info(cp);
  return c.cat >= UTF8PROC_CATEGORY_PC && c.cat <= UTF8PROC_CATEGORY_PO;
}

/* Whether the cluster at s[pos..end) stands inside a word: ASCII letters on both sides. */
static int inside_word(const reader *r, size_t pos, size_t end) {
  return pos > 0 && ascii_letter(r->s[pos - 1]) && end < r->len && ascii_letter(r->s[end]);
}

/* Whether a lone two-byte sequence read in a page other than Windows-1252 is believable: a
** letter followed or preceded by a lower-case one ("wei√ü", "MГ¤dchen"; not "AHÅ™"), a
** punctuation mark ("ВЎAbre") or, on a larger drop, a symbol, that
** Windows-1252 would not read the same (there fix_mojibake.c's rules decide: "DrÃ¥ber"). */
static int lone_pair(const reader *r, const verdict *v) {
  pcluster c;
  copydesk_code rc = COPYDESK_OK;
  utf8proc_category_t before = utf8proc_category((utf8proc_int32_t)cp_before(r->s, v->first_pos));
  int lower_after = v->first_end < r->len && r->s[v->first_end] >= 'a' &&
                    r->s[v->first_end] <= 'z';
  if (r->page == &cd_cp1252 || v->delta > -LONE_PAIR_DROP)
    return 0;
  if (!lone_punct(v->first_cp) &&
      !(lone_letter(v->first_cp) && (before == UTF8PROC_CATEGORY_LL || lower_after ||
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

/* The page of `pages` (a candidate_pages mask) the line s[start..end) reads best in, or NULL:
** Windows-1252 if its evidence is
** convincing, none if Windows-1252 reads the line whole (then fix_mojibake.c's rules decide,
** "AyÃºdate" must not read as MacRoman); else, of the other pages with convincing evidence, the one whose lenient reading
** repairs the most clusters, then the one reading more of them as common accented letters
** (common_accented), then the one that lowers weirdness most, then the
** first (Windows-1254 reads like Windows-1252 almost everywhere). */
static const cd_codepage *best_page(reader *r, size_t start, size_t end, unsigned pages) {
  const cd_codepage *best = NULL;
  int delta[CD_NCODEPAGES], best_delta = 0;
  size_t k, best_count = 0, best_common = 0;
  unsigned convinced = 0;
  for (k = 0; k < CD_NCODEPAGES; k++) {
    verdict v;
    if (!(pages & (1u << k))) continue;
    r->page = cd_codepages[k];
    if (walk_line(r, start, end, 0, &v, NULL, NULL, NULL) != COPYDESK_OK) return NULL;
    if (k == 0 && convincing(r, &v)) return r->page; /* by far the most common, first */
    if (k == 0 && v.nruns > 0 && v.nread == v.nruns) return NULL; /* fix_mojibake.c's call */
    if (!convincing(r, &v)) continue;
    convinced |= 1u << k;
    delta[k] = v.delta;
    best = r->page;
  }
  if ((convinced & (convinced - 1)) == 0) return best; /* one page or none: no contest */
  best = NULL;
  for (k = 0; k < CD_NCODEPAGES; k++) {
    verdict all;
    if (!(convinced & (1u << k))) continue;
    r->page = cd_codepages[k];
    if (walk_line(r, start, end, 1, &all, NULL, NULL, NULL) != COPYDESK_OK) return NULL;
    if (all.naccepted > best_count ||
        (all.naccepted == best_count && (all.ncommon > best_common ||
                                         (all.ncommon == best_common && delta[k] < best_delta)))) {
      best = r->page;
      best_delta = delta[k];
      best_count = all.naccepted;
      best_common = all.ncommon;
    }
  }
  return best;
}

/* The bytes of cp in every page, or NULL when no page has cp. */
static const cd_cp_bytes *union_bytes(uint32_t cp) {
  size_t lo = 0, hi = cd_cp_union_len;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cd_cp_union[mid].cp < cp) lo = mid + 1;
    else hi = mid;
  }
  return lo < cd_cp_union_len && cd_cp_union[lo].cp == cp ? &cd_cp_union[lo] : NULL;
}

cd_cp_masks cd_cp_masks_high(uint32_t cp) {
  cd_cp_masks m = {0, 0, 0};
  const cd_cp_bytes *u;
  unsigned k;
  /* the pages hold nothing from U+0500 to U+1FFF, nor from U+2600 to the private use area
  ** (CJK, most scripts): no search for those */
  if (cp < 0x2000 || (cp >= 0x2600 && cp < 0xE000)) return m;
  u = union_bytes(cp);
  for (k = 0; u && k < CD_NCODEPAGES; k++) {
    unsigned b = u->byte[k];
    if (b >= 0xC2 && b <= 0xF4) m.lead |= (uint16_t)(1u << k);
    else if (b >= 0x80 && b <= 0xBF) m.cont |= (uint16_t)(1u << k);
    if (space_lead(b)) m.space |= (uint16_t)(1u << k);
  }
  return m;
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
  size_t start = 0, done = 0;
  copydesk_code rc = COPYDESK_OK;
  r.s = (const unsigned char *)text;
  r.len = len;
  r.flags = st->flags;
  while (rc == COPYDESK_OK && start < len) {
    const unsigned char *nl = memchr(r.s + start, '\n', len - start);
    size_t end = nl ? (size_t)(nl - r.s) : len, first = cd_skip_ascii(r.s, end, start);
    const cd_codepage *page = NULL;
    unsigned pages = first < end ? candidate_pages(&r, first, end) : 0;
    if (pages) {
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

/* ---- script hints ---- */

/* The hint's reading of the run s[pos..end) (characters Windows-1252 encodes) into cps; returns
** how many, 0 when a byte reads as a C1 control or the run is too long to judge. */
static size_t hint_read(const unsigned char *s, size_t pos, size_t end, const cd_codepage *page,
                        uint32_t *cps) {
  size_t n = 0;
  uint32_t cp;
  while (pos < end) {
    pos += cd_utf8_next(s, end, pos, &cp);
    if (n == WINDOW) return 0;
    cps[n] = page->decode[cd_cp_encode(&cd_cp1252, cp)];
    if (cps[n] >= 0x80 && cps[n] <= 0x9F) return 0;
    n++;
  }
  return n;
}

/* The letters of cps[0..n) when all are of `script` (and there is one), else 0. */
static size_t letters_of(const uint32_t *cps, size_t n, int script) {
  size_t i, letters = 0;
  for (i = 0; i < n; i++) {
    chinfo c = info(cps[i]);
    if (!is_letter(&c)) continue;
    if (script_of(cps[i]) != script) return 0;
    letters++;
  }
  return letters;
}

/* The end of the run at s[i] of non-ASCII characters Windows-1252 encodes (i when none). */
static size_t latin_run_end(const unsigned char *s, size_t end, size_t i) {
  uint32_t cp;
  while (i < end && s[i] >= 0x80) {
    size_t k = cd_utf8_next(s, end, i, &cp);
    if (cd_cp_encode(&cd_cp1252, cp) < 0x80) break;
    i += k;
  }
  return i;
}

/* Whether s[pos..end) holds the punctuation clean Windows-1252 text is full of (quotes, dashes,
** ellipsis, bullet, trade mark): a Latin hint leaves such runs, which misread would turn into
** letters ("’" is "í" in MacRoman). The low quotes are not in the list: CP437 text read as
** Windows-1252 is full of them ("caf‚" is "café", "B„r" is "Bär"). */
static int typographic_run(const unsigned char *s, size_t pos, size_t end) {
  uint32_t cp;
  while (pos < end) {
    pos += cd_utf8_next(s, end, pos, &cp);
    if (cp == 0x2013 || cp == 0x2014 || cp == 0x2018 || cp == 0x2019 || cp == 0x201C ||
        cp == 0x201D || cp == 0x2022 || cp == 0x2026 || cp == 0x2122)
      return 1;
  }
  return 0;
}

/* Whether the run s[pos..end) read as cps[0..n) is to be rewritten: for Cyrillic and Greek a
** whole word (no letter beside it) of that script's letters; for the Latin pages, Latin
** letters that make the text less odd (`lenient`: no odder), and no typographic punctuation
** (typographic_run: "l’œuvre" stays). */
static int hint_takes(const unsigned char *s, size_t len, size_t pos, size_t end,
                      const uint32_t *cps, size_t n, int script, int lenient) {
  uint32_t win[WINDOW + 2], before = cp_before(s, pos), after = cp_at(s, len, end);
  size_t m = 0, i;
  if (script != SCRIPT_LATIN) {
    chinfo b = info(before), a = info(after);
    return !(before && is_letter(&b)) && !(after && is_letter(&a)) &&
           letters_of(cps, n, script) > 0;
  }
  if (letters_of(cps, n, SCRIPT_LATIN) == 0 || typographic_run(s, pos, end)) return 0;
  if (before) win[m++] = before;
  for (i = 0; i < n; i++) win[m++] = cps[i];
  if (after) win[m++] = after;
  return cd_weirdness(win, m) <= window_cost(s, pos, end, before, after) -
                                  (lenient ? HINT_LENIENT_DROP : HINT_DROP);
}

/* The script a hint's page writes: Cyrillic, Greek, or Latin for the others. */
static int hint_script(const cd_codepage *page) {
  if (page == cd_codepages[1]) return SCRIPT_CYRILLIC;
  return page == cd_codepages[3] ? SCRIPT_GREEK : SCRIPT_LATIN;
}

/* Walks the runs of line s[start..end) with the hint; with out set, rewrites those taken. A
** first walk (out NULL) measures the line's evidence into *evidence: for Cyrillic and Greek its
** longest word of the script's letters (HINT_MIN_WORD needed), for the Latin pages how many runs
** read less odd (one needed; then runs that read no odder are taken too: "gêœl¹"). */
static copydesk_code hint_line(const unsigned char *s, size_t len, size_t start, size_t end,
                               cd_step *st, copydesk_buf *out, size_t *done, size_t *evidence) {
  int script = hint_script(st->hint);
  uint32_t cps[WINDOW];
  size_t i = start;
  copydesk_code rc = COPYDESK_OK;
  while (rc == COPYDESK_OK && (i = cd_skip_ascii(s, end, i)) < end) {
    size_t stop = latin_run_end(s, end, i), n, j, out_pos;
    uint32_t cp;
    if (stop == i) {
      i += cd_utf8_next(s, end, i, &cp);
      continue;
    }
    n = hint_read(s, i, stop, st->hint, cps);
    if (n > 0 && !out && hint_takes(s, len, i, stop, cps, n, script, 0)) {
      if (script == SCRIPT_LATIN) (*evidence)++;
      else if (letters_of(cps, n, script) > *evidence) *evidence = letters_of(cps, n, script);
    }
    if (out && n > 0 && hint_takes(s, len, i, stop, cps, n, script, 1)) {
      rc = copydesk_buf_append(out, (const char *)s + *done, i - *done);
      out_pos = out->len;
      for (j = 0; j < n && rc == COPYDESK_OK; j++) rc = cd_buf_put_cp(out, cps[j]);
      if (rc == COPYDESK_OK)
        rc = cd_step_note(st, i, stop - i, out_pos, out->len - out_pos, st->hint->name);
      *done = stop;
    }
    i = stop;
  }
  return rc;
}

copydesk_code cd_step_hint(const char *text, size_t len, cd_step *st, copydesk_buf *dst) {
  const unsigned char *s = (const unsigned char *)text;
  size_t start = 0, done = 0;
  copydesk_code rc = COPYDESK_OK;
  while (rc == COPYDESK_OK && start < len) {
    const unsigned char *nl = memchr(s + start, '\n', len - start);
    size_t end = nl ? (size_t)(nl - s) : len, evidence = 0;
    rc = hint_line(s, len, start, end, st, NULL, &done, &evidence);
    if (rc == COPYDESK_OK && evidence >= (hint_script(st->hint) == SCRIPT_LATIN ? 1 : HINT_MIN_WORD))
      rc = hint_line(s, len, start, end, st, dst, &done, &evidence);
    start = end + 1;
  }
  return cd_step_end(rc, st, dst, text, len, done);
}

const cd_codepage *cd_codepage_named(const char *name) {
  size_t k;
  for (k = 0; k < CD_NCODEPAGES; k++)
    if (strcmp(cd_codepages[k]->name, name) == 0) return cd_codepages[k];
  return NULL;
}
