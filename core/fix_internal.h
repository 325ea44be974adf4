/* fix_internal.h: what the repair files (fix.c and core/fix_*.c) share. */
#ifndef CD_FIX_INTERNAL_H
#define CD_FIX_INTERNAL_H

#include <string.h>

#include "internal.h"

/* One code point -> byte entry of a code page's encoder. */
typedef struct cd_cp_pair {
  uint16_t cp;
  uint8_t byte;
} cd_cp_pair;

/* A single-byte code page (tables in the GENERATED fix_tables.c). */
typedef struct cd_codepage {
  const char *name;
  unsigned index;             /* in cd_codepages */
  uint16_t decode[256];       /* byte -> code point; holes decode as the generator says */
  const cd_cp_pair *encode;   /* the bytes whose code point is not the byte, sorted by cp */
  size_t nencode;
} cd_codepage;

/* Windows-1252; its five holes (0x81 0x8D 0x8F 0x90 0x9D) decode to C1 controls, as browsers do. */
extern const cd_codepage cd_cp1252;
/* Every code page mojibake repair knows, in the order it tries them; cd_cp1252 first. */
#define CD_NCODEPAGES 9
#define CD_CP437 8 /* the index of CP437, the last */
extern const cd_codepage *const cd_codepages[CD_NCODEPAGES];

/* A non-ASCII code point and its byte in each of cd_codepages (0: the page lacks it). */
typedef struct cd_cp_bytes {
  uint16_t cp;
  uint8_t byte[CD_NCODEPAGES];
} cd_cp_bytes;

/* Every code point from U+0080 that some page encodes, sorted (GENERATED fix_tables.c). */
extern const cd_cp_bytes cd_cp_union[];
extern const size_t cd_cp_union_len;

/* For one code point, the pages (bit k for cd_codepages[k]) that read it as a UTF-8 lead byte,
** as a continuation byte, and as a lead whose next byte may be an NBSP's 0xA0 (C2..DF, E2). */
typedef struct cd_cp_masks {
  uint16_t lead, cont, space;
} cd_cp_masks;

/* cd_cp_low[cp - 0x80] for U+0080..U+04FF (GENERATED fix_tables.c), and the byte of each such
** code point in each page (0: none), so that most look-ups need no search. */
#define CD_CP_LOW_END 0x500
extern const cd_cp_masks cd_cp_low[CD_CP_LOW_END - 0x80];
extern const uint8_t cd_cp_low_bytes[CD_CP_LOW_END - 0x80][CD_NCODEPAGES];
/* The same for U+2000..U+25FF: punctuation, the euro and trade mark signs, box drawing. */
#define CD_CP_PUNCT_START 0x2000
#define CD_CP_PUNCT_END 0x2600
extern const cd_cp_masks cd_cp_punct[CD_CP_PUNCT_END - CD_CP_PUNCT_START];
extern const uint8_t cd_cp_punct_bytes[CD_CP_PUNCT_END - CD_CP_PUNCT_START][CD_NCODEPAGES];

/* Code page tables (fix_codepages.c). The byte of cp in code page p, or -1. ASCII is its own byte; for Windows-1252 so is every code
** point below 0x100, which covers Latin-1 and the C1 controls a Latin-1 decoder leaves. */
int cd_cp_encode(const cd_codepage *p, uint32_t cp);

/* The offset of the first byte >= 0x80 in s[i..len), or len; eight bytes at a time, since most
** text the repair steps see is ASCII. */
static inline size_t cd_skip_ascii(const unsigned char *s, size_t len, size_t i) {
  uint64_t w;
  while (len - i >= 8) {
    memcpy(&w, s + i, 8);
    if (w & UINT64_C(0x8080808080808080)) break;
    i += 8;
  }
  while (i < len && s[i] < 0x80) i++;
  return i;
}

/* The offset of the first ASCII byte in s[i..len), or len. */
static inline size_t cd_skip_nonascii(const unsigned char *s, size_t len, size_t i) {
  while (i < len && s[i] >= 0x80) i++;
  return i;
}

/* An HTML5 named character reference, without its "&" and ";" (GENERATED fix_entity_tables.c). */
typedef struct cd_entity {
  const char *name;
  const char *value;   /* UTF-8 */
  size_t value_len;
} cd_entity;

extern const cd_entity cd_entities[]; /* sorted by name, bytes compared */
extern const size_t cd_nentities, cd_entity_longest;

/* What a repair step is given besides its text, and what it counts. A step reads s[0..len) and,
** when it changes something, writes the whole new text to dst and notes each change with
** cd_step_note; when it changes nothing it leaves st->n at 0 (dst may hold a partial copy). */
typedef struct cd_step {
  unsigned flags;
  const cd_codepage *hint;      /* the hint's page, or NULL */
  size_t n;                     /* changes noted */
  copydesk_fix_report *report;  /* NULL unless explaining */
  const char *name;             /* the step's name, for the report */
  size_t stage;
} cd_step;

/* Counts a change (s[pos..pos+len) became dst[out_pos..out_pos+out_len)) and, when explaining,
** records it with `reason` (static). @return OK or ERR_NOMEM. */
copydesk_code cd_step_note(cd_step *st, size_t pos, size_t len, size_t out_pos, size_t out_len,
                           const char *reason);

/* Ends a step: appends s[done..len) after the last change, or, on failure, forgets the changes.
** Returns rc or the failure to append. */
copydesk_code cd_step_end(copydesk_code rc, cd_step *st, copydesk_buf *dst, const char *s,
                          size_t len, size_t done);

/* Steps in other files (fix.c holds the driver and the rest). cd_fix_pages and cd_fix_mojibake
** are one pass of mojibake repair each over valid UTF-8: whole clusters in any code page, each
** line read in the page whose strict reading lowers its weirdness most (fix_pages.c; LOSSY in
** the flags reads lost bytes), and Windows-1252 / Latin-1 clusters by finer rules
** (fix_mojibake.c). */
copydesk_code cd_fix_pages(const char *s, size_t len, cd_step *st, copydesk_buf *dst);
copydesk_code cd_fix_mojibake(const char *s, size_t len, cd_step *st, copydesk_buf *dst);
copydesk_code cd_step_chars(const char *s, size_t len, cd_step *st, copydesk_buf *dst);
copydesk_code cd_step_terminal(const char *s, size_t len, cd_step *st, copydesk_buf *dst);
copydesk_code cd_step_entities(const char *s, size_t len, cd_step *st, copydesk_buf *dst);
/* Text written in st->hint's page and read as Windows-1252, decoded again (fix_hint.c). */
copydesk_code cd_step_hint(const char *s, size_t len, cd_step *st, copydesk_buf *dst);

/* The normalisation form the flags ask for: 0 NFC, 1 NFKC, 2 NFD, 3 NFKD (COPYDESK_FIX_COMPAT is
** bit 0, COPYDESK_FIX_DECOMPOSE bit 1), and its name. */
static inline size_t cd_fix_form(unsigned flags) {
  return ((flags & COPYDESK_FIX_COMPAT) ? 1u : 0u) + ((flags & COPYDESK_FIX_DECOMPOSE) ? 2u : 0u);
}

static inline const char *cd_fix_form_name(unsigned flags) {
  static const char *const names[] = {"NFC", "NFKC", "NFD", "NFKD"};
  return names[cd_fix_form(flags)];
}

/* Adds to report r (NULL: nothing) the plan steps of the stage whose changes are
** r->changes[first..], made by step `step` under `flags`. */
copydesk_code cd_report_stage(copydesk_fix_report *r, const char *step, unsigned flags,
                              size_t first);
/* Turns the stage-local spans of report r (NULL: nothing) into input and output spans. */
copydesk_code cd_report_finish(copydesk_fix_report *r);

/* Mojibake's prefilter, fed one character at a time: `pages` collects the pages (bit k for
** cd_codepages[k]) in which a character read as a UTF-8 lead byte is followed by one read as a
** continuation byte (or by a space, where 0xA0 may have been, or, `lossy`, by a lost byte).
** No mojibake of UTF-8 is without such a pair; most clean text has none in most pages. */
typedef struct cd_moji_scan {
  unsigned pages;
  unsigned lead, space_lead; /* of the character before */
  int lossy;
} cd_moji_scan;

/* The masks of cp >= U+0500 (fix_codepages.c); all zero when no page has it. */
cd_cp_masks cd_cp_masks_high(uint32_t cp);

static inline void cd_moji_ascii(cd_moji_scan *m, unsigned c) {
  if (c == ' ') m->pages |= m->space_lead;
  else if (c == '?' && m->lossy) m->pages |= m->lead;
  m->lead = m->space_lead = 0;
}

static inline void cd_moji_char(cd_moji_scan *m, uint32_t cp) {
  cd_cp_masks k = cp < CD_CP_LOW_END ? cd_cp_low[cp - 0x80] : cd_cp_masks_high(cp);
  if (cp == 0xFFFD && m->lossy) m->pages |= m->lead;
  m->pages |= m->lead & k.cont;
  m->lead = k.lead;
  m->space_lead = k.space;
}

/* Decodes the character at s[i] of valid-or-not UTF-8 s[0..len) (i < len), up to three bytes
** inline (all of the BMP: the scripts and punctuation the repair steps read most); returns its
** length, 0 when invalid, with cd_utf8_decode's checks (no overlong forms, no surrogates). */
static inline size_t cd_utf8_next(const unsigned char *s, size_t len, size_t i, uint32_t *cp) {
  unsigned c = s[i];
  *cp = c; /* what an invalid byte leaves */
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c < 0xE0 && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
    *cp = ((uint32_t)(c & 0x1F) << 6) | (s[i + 1] & 0x3F);
    return 2;
  }
  if (c >= 0xE0 && c < 0xF0 && i + 2 < len && (s[i + 1] & 0xC0) == 0x80 &&
      (s[i + 2] & 0xC0) == 0x80) {
    uint32_t v = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[i + 1] & 0x3F) << 6) |
                 (s[i + 2] & 0x3F);
    if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return 3;
  }
  return cd_utf8_decode(s + i, len - i, cp);
}

/* The code page named `name` ("windows-1251"), or NULL. */
const cd_codepage *cd_codepage_named(const char *name);

/* Whether a space after lead byte b may stand for 0xA0 (the same set as SPACE_LEADS in
** core/gen/codepages.lua): C2 A0 NBSP, C3 A0 "à", C5 A0 "Š", CE A0 "Π", D0 A0 "Р", D9 A0 "٠",
** E2 A0 .. the braille blank; inside longer sequences ("í ½í¸", CESU-8) a space always may. */
static inline int cd_space_lead(unsigned b) {
  return b == 0xC2 || b == 0xC3 || b == 0xC5 || b == 0xCE || b == 0xD0 || b == 0xD9 ||
         b == 0xE2;
}

/* The code point of the character at s[i] of s[0..len), or 0 at the end. */
static inline uint32_t cd_cp_at(const unsigned char *s, size_t len, size_t i) {
  uint32_t cp = 0;
  if (i < len) cd_utf8_next(s, len, i, &cp);
  return cp;
}

/* ---- weirdness (fix_weirdness.c) ---- */

/* How odd the code points cps[0..n) look as text: C1 controls, unassigned characters, rare
** blocks, symbols wedged between letters, letters of two scripts or cases side by side. Lower
** is more natural; mojibake scores high, its repair low. */
int cd_weirdness(const uint32_t *cps, size_t n);

/* The weirdness of the code points of s[pos..end), with `before` and `after` (0: none) around.
** The window is short: a longer run is scored by its first CD_WINDOW code points. */
#define CD_WINDOW 48
int cd_window_weirdness(const unsigned char *s, size_t pos, size_t end, uint32_t before,
                        uint32_t after);

/* A coarse script of a letter, by block: enough to see Latin and Cyrillic side by side in one
** word. Blocks above Cyrillic count by 256 code points, from CD_SCRIPT_BLOCKS. */
enum { CD_SCRIPT_NONE, CD_SCRIPT_LATIN, CD_SCRIPT_GREEK, CD_SCRIPT_CYRILLIC, CD_SCRIPT_CJK,
       CD_SCRIPT_BLOCKS };
int cd_script_of(uint32_t cp);
/* Whether letter cp may sit beside Latin letters in real text: Latin, Greek as science writes it
** ("IL2Rγc", "10μs"), Cyrillic, CJK ("Unix系统"); not the Armenian, Hebrew, Arabic, Syriac and
** Thaana blocks, which two-byte mojibake leads D4..DE read as ("Úžasný" is no "ڞasný"). */
static inline int cd_beside_latin(uint32_t cp) {
  return cp < 0x530 || cp >= 0x7C0;
}

/* Whether cp is a letter (general category L*); 0 is none. */
int cd_is_letter(uint32_t cp);
/* The letters of cps[0..n) when all are of `script`, else 0. */
size_t cd_script_letters(const uint32_t *cps, size_t n, int script);

/* The languages (a bit each, fix_weirdness.c) whose alphabets hold Latin letter cp, either case:
** 0 for a Latin letter none of them writes ("ĩ", "ȿ"); CD_ANY_LANGUAGE for what is no Latin
** letter from U+00C0 (ASCII, signs, other scripts), which tells nothing. */
#define CD_ANY_LANGUAGE UINT32_C(0xFFFFFFFF)
uint32_t cd_letter_languages(uint32_t cp);

/* Whether letter b, between a and c (0: none), sits where the languages above do not put it: an
** umlaut (ä ö ü) right after a vowel ("daü", where "daß" is German), or ù or ì after a vowel and
** inside a word ("aùo", where "año" is Spanish; "più" ends its word). */
int cd_odd_vowel(uint32_t a, uint32_t b, uint32_t c);

/* Whether s[pos..end) holds two Latin letters or more that the languages above write, but no
** one of them writes together ("Ăś": Romanian "ă", Polish "ś"), as no real word does. */
int cd_unspellable(const unsigned char *s, size_t pos, size_t end);

#endif
