/* fix_weirdness.c: how odd a run of code points looks as text, the measure by which mojibake
** repair tells a misreading from its repair (fix_pages.c, fix_hint.c): C1 controls, unassigned
** characters, rare blocks, symbols wedged between letters, letters of two scripts or cases side
** by side all cost; ordinary words cost nothing.
*/
#include <utf8proc.h>

#include "fix_internal.h"

#define SOFT_HYPHEN 0xADu

int cd_script_of(uint32_t cp) {
  if (cp < 0x370 || (cp >= 0x1D00 && cp < 0x1F00) || (cp >= 0x2C60 && cp < 0x2C80) ||
      (cp >= 0xA720 && cp < 0xA800) || (cp >= 0xFB00 && cp < 0xFB07))
    return CD_SCRIPT_LATIN;
  if (cp < 0x400 || (cp >= 0x1F00 && cp < 0x2000)) return CD_SCRIPT_GREEK;
  if (cp < 0x530) return CD_SCRIPT_CYRILLIC;
  if ((cp >= 0x2E80 && cp < 0xA000) || (cp >= 0xAC00 && cp < 0xD7B0) ||
      (cp >= 0x1100 && cp < 0x1200) || (cp >= 0xF900 && cp < 0xFB00) ||
      (cp >= 0xFF00 && cp < 0xFFF0) || cp >= 0x20000)
    return CD_SCRIPT_CJK;
  return CD_SCRIPT_BLOCKS + (int)(cp >> 8);
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

static chinfo info(uint32_t cp) {
  chinfo c;
  c.cp = cp;
  c.cat = cp ? utf8proc_category((utf8proc_int32_t)cp) : UTF8PROC_CATEGORY_CN;
  return c;
}

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
  int script = cd_script_of(c->cp);
  return c->cp >= 0x80 && is_letter(c) && (script == CD_SCRIPT_LATIN || script == CD_SCRIPT_CYRILLIC);
}

/* The cost of a and b side by side. */
static int pair_cost(const chinfo *a, const chinfo *b) {
  int cost = 0;
  if (a->cp == 0 || (a->cp < 0x80 && b->cp < 0x80)) return 0;
  if (is_letter(a) && is_letter(b)) {
    if (cd_script_of(a->cp) != cd_script_of(b->cp)) cost += 2;
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

int cd_window_weirdness(const unsigned char *s, size_t pos, size_t end, uint32_t before,
                        uint32_t after) {
  uint32_t cps[CD_WINDOW + 2];
  size_t n = 0;
  if (before) cps[n++] = before;
  while (pos < end && n < CD_WINDOW) pos += cd_utf8_next(s, end, pos, &cps[n++]);
  if (after) cps[n++] = after;
  return cd_weirdness(cps, n);
}

int cd_is_letter(uint32_t cp) {
  chinfo c = info(cp);
  return is_letter(&c);
}

size_t cd_script_letters(const uint32_t *cps, size_t n, int script) {
  size_t i, letters = 0;
  for (i = 0; i < n; i++) {
    if (!cd_is_letter(cps[i])) continue;
    if (cd_script_of(cps[i]) != script) return 0;
    letters++;
  }
  return letters;
}
