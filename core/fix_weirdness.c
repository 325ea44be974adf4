/* fix_weirdness.c: how odd a run of code points looks as text, the measure by which mojibake
** repair tells a misreading from its repair (fix_pages.c, fix_hint.c): C1 controls, unassigned
** characters, rare blocks, symbols wedged between letters, letters of two scripts or cases side
** by side all cost; ordinary words cost nothing. And which languages write a Latin letter, so
** that a reading whose letters no one language writes together can be told from one that
** reads as a language ("engaño, mí" rather than "engaùo, mí").
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

/* ---- the languages a letter belongs to ---- */

/* The languages written in the Latin letters of the code pages mojibake repair reads: German,
** French, Spanish (Galician, Basque), Portuguese, Italian, Catalan, Dutch, Swedish, Finnish,
** Danish and Norwegian, Icelandic, Polish, Czech, Slovak, Hungarian, Romanian, Croatian (Slovene,
** Bosnian, Serbian), Turkish, Lithuanian, Latvian, Estonian, Albanian, Irish, Welsh, Esperanto,
** Maltese, Faroese. */
enum {
  L_DE = 1u << 0, L_FR = 1u << 1, L_ES = 1u << 2, L_PT = 1u << 3,
  L_IT = 1u << 4, L_CA = 1u << 5, L_NL = 1u << 6, L_SV = 1u << 7,
  L_FI = 1u << 8, L_DA = 1u << 9, L_IS = 1u << 10, L_PL = 1u << 11,
  L_CS = 1u << 12, L_SK = 1u << 13, L_HU = 1u << 14, L_RO = 1u << 15,
  L_HR = 1u << 16, L_TR = 1u << 17, L_LT = 1u << 18, L_LV = 1u << 19,
  L_ET = 1u << 20, L_SQ = 1u << 21, L_GA = 1u << 22, L_CY = 1u << 23,
  L_EO = 1u << 24, L_MT = 1u << 25, L_FO = 1u << 26,
};

/* Each non-ASCII lower-case Latin letter of those languages and the languages using it, sorted. */
static const struct { uint16_t cp; uint32_t langs; } letter_langs[] = {
  {0x00DF, L_DE}, /* ß */
  {0x00E0, L_FR | L_PT | L_IT | L_CA | L_MT}, /* à */
  {0x00E1, L_ES | L_PT | L_IS | L_CS | L_SK | L_HU | L_GA | L_FO}, /* á */
  {0x00E2, L_FR | L_PT | L_RO | L_TR | L_CY}, /* â */
  {0x00E3, L_PT}, /* ã */
  {0x00E4, L_DE | L_SV | L_FI | L_SK | L_ET}, /* ä */
  {0x00E5, L_SV | L_FI | L_DA}, /* å */
  {0x00E6, L_FR | L_DA | L_IS | L_FO}, /* æ */
  {0x00E7, L_FR | L_PT | L_CA | L_TR | L_SQ}, /* ç */
  {0x00E8, L_FR | L_IT | L_CA | L_NL | L_MT}, /* è */
  {0x00E9, L_FR | L_ES | L_PT | L_IT | L_CA | L_NL | L_SV | L_FI | L_DA | L_IS | L_CS | L_SK | L_HU | L_GA}, /* é */
  {0x00EA, L_FR | L_PT | L_CY}, /* ê */
  {0x00EB, L_FR | L_NL | L_SQ}, /* ë */
  {0x00EC, L_IT | L_MT}, /* ì */
  {0x00ED, L_ES | L_PT | L_CA | L_IS | L_CS | L_SK | L_HU | L_GA | L_FO}, /* í */
  {0x00EE, L_FR | L_IT | L_RO | L_TR | L_CY}, /* î */
  {0x00EF, L_FR | L_CA | L_NL}, /* ï */
  {0x00F0, L_IS | L_FO}, /* ð */
  {0x00F1, L_ES}, /* ñ */
  {0x00F2, L_IT | L_CA | L_MT}, /* ò */
  {0x00F3, L_ES | L_PT | L_CA | L_NL | L_IS | L_PL | L_CS | L_SK | L_HU | L_GA | L_FO}, /* ó */
  {0x00F4, L_FR | L_PT | L_SK | L_CY}, /* ô */
  {0x00F5, L_PT | L_ET}, /* õ */
  {0x00F6, L_DE | L_NL | L_SV | L_FI | L_IS | L_HU | L_TR | L_ET}, /* ö */
  {0x00F8, L_DA | L_FO}, /* ø */
  {0x00F9, L_FR | L_IT | L_MT}, /* ù */
  {0x00FA, L_ES | L_PT | L_CA | L_IS | L_CS | L_SK | L_HU | L_GA | L_FO}, /* ú */
  {0x00FB, L_FR | L_TR | L_CY}, /* û */
  {0x00FC, L_DE | L_FR | L_ES | L_PT | L_CA | L_NL | L_HU | L_TR | L_ET}, /* ü */
  {0x00FD, L_IS | L_CS | L_SK | L_FO}, /* ý */
  {0x00FE, L_IS}, /* þ */
  {0x00FF, L_FR}, /* ÿ */
  {0x0101, L_LV}, /* ā */
  {0x0103, L_RO}, /* ă */
  {0x0105, L_PL | L_LT}, /* ą */
  {0x0107, L_PL | L_HR}, /* ć */
  {0x0109, L_EO}, /* ĉ */
  {0x010B, L_MT}, /* ċ */
  {0x010D, L_CS | L_SK | L_HR | L_LT | L_LV}, /* č */
  {0x010F, L_CS | L_SK}, /* ď */
  {0x0111, L_HR}, /* đ */
  {0x0113, L_LV}, /* ē */
  {0x0117, L_LT}, /* ė */
  {0x0119, L_PL | L_LT}, /* ę */
  {0x011B, L_CS}, /* ě */
  {0x011D, L_EO}, /* ĝ */
  {0x011F, L_TR}, /* ğ */
  {0x0121, L_MT}, /* ġ */
  {0x0123, L_LV}, /* ģ */
  {0x0125, L_EO}, /* ĥ */
  {0x0127, L_MT}, /* ħ */
  {0x012B, L_LV}, /* ī */
  {0x012F, L_LT}, /* į */
  {0x0131, L_TR}, /* ı */
  {0x0135, L_EO}, /* ĵ */
  {0x0137, L_LV}, /* ķ */
  {0x013A, L_SK}, /* ĺ */
  {0x013E, L_SK}, /* ľ */
  {0x0142, L_PL}, /* ł */
  {0x0144, L_PL}, /* ń */
  {0x0146, L_LV}, /* ņ */
  {0x0148, L_CS | L_SK}, /* ň */
  {0x0151, L_HU}, /* ő */
  {0x0153, L_FR}, /* œ */
  {0x0155, L_SK}, /* ŕ */
  {0x0159, L_CS}, /* ř */
  {0x015B, L_PL}, /* ś */
  {0x015D, L_EO}, /* ŝ */
  {0x015F, L_RO | L_TR}, /* ş */
  {0x0161, L_FI | L_CS | L_SK | L_HR | L_LT | L_LV | L_ET}, /* š */
  {0x0163, L_RO}, /* ţ */
  {0x0165, L_CS | L_SK}, /* ť */
  {0x016B, L_LT | L_LV}, /* ū */
  {0x016D, L_EO}, /* ŭ */
  {0x016F, L_CS}, /* ů */
  {0x0171, L_HU}, /* ű */
  {0x0175, L_CY}, /* ŵ */
  {0x0177, L_CY}, /* ŷ */
  {0x017A, L_PL}, /* ź */
  {0x017C, L_PL | L_MT}, /* ż */
  {0x017E, L_FI | L_CS | L_SK | L_HR | L_LT | L_LV | L_ET}, /* ž */
  {0x0219, L_RO}, /* ș */
  {0x021B, L_RO}, /* ț */
};

/* The languages of lower-case letter cp in letter_langs, or 0 when it is not there. */
static uint32_t listed_languages(uint32_t cp) {
  size_t lo = 0, hi = sizeof letter_langs / sizeof letter_langs[0];
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (letter_langs[mid].cp < cp) lo = mid + 1;
    else hi = mid;
  }
  return lo < sizeof letter_langs / sizeof letter_langs[0] && letter_langs[lo].cp == cp
             ? letter_langs[lo].langs
             : 0;
}

uint32_t cd_letter_languages(uint32_t cp) {
  uint32_t langs, lower;
  if (cp < 0xC0 || cd_script_of(cp) != CD_SCRIPT_LATIN) return CD_ANY_LANGUAGE;
  if ((langs = listed_languages(cp)) != 0) return langs; /* most letters: small, listed */
  lower = (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp);
  if (lower != cp && (langs = listed_languages(lower)) != 0) return langs;
  return cd_is_letter(cp) ? 0 : CD_ANY_LANGUAGE;
}

static int ascii_vowel(uint32_t cp) {
  return cp != 0 && cp < 0x80 && strchr("aeiouAEIOU", (int)cp) != NULL;
}

int cd_odd_vowel(uint32_t a, uint32_t b, uint32_t c) {
  uint32_t low = b >= 0xC0 && b <= 0xDE ? b + 0x20 : b; /* Latin-1 capitals */
  if (!ascii_vowel(a)) return 0;
  if (low == 0xE4 || low == 0xF6 || low == 0xFC) return 1;
  return (low == 0xF9 || low == 0xEC) && cd_is_letter(c);
}

int cd_unspellable(const unsigned char *s, size_t pos, size_t end) {
  uint32_t cp, langs = CD_ANY_LANGUAGE;
  size_t nletters = 0;
  while (pos < end) {
    uint32_t k;
    pos += cd_utf8_next(s, end, pos, &cp);
    if ((k = cd_letter_languages(cp)) == CD_ANY_LANGUAGE) continue;
    if (k == 0) return 0; /* a letter none of them writes: no telling */
    langs &= k;
    nletters++;
  }
  return nletters >= 2 && langs == 0;
}
