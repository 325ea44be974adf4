/* fix_internal.h: what the repair files (fix.c, fix_mojibake.c, fix_tables.c) share. */
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

/* The byte of cp in code page p, or -1. ASCII is its own byte; for Windows-1252 so is every code
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

/* One pass of mojibake repair over valid UTF-8 s[0..len). When it finds runs to repair it appends
** the whole repaired text to `dst` and sets *nrepairs to their number; otherwise it leaves `dst`
** alone and sets *nrepairs to 0. @return OK, ERR_NOMEM, ERR_OVERFLOW. */
copydesk_code cd_fix_mojibake(const char *s, size_t len, copydesk_buf *dst, size_t *nrepairs);

/* An HTML5 named character reference, without its "&" and ";" (GENERATED fix_entity_tables.c). */
typedef struct cd_entity {
  const char *name;
  const char *value;   /* UTF-8 */
  size_t value_len;
} cd_entity;

extern const cd_entity cd_entities[]; /* sorted by name, bytes compared */
extern const size_t cd_nentities, cd_entity_longest;

/* Steps in other files, with the step contract of fix.c: read s[0..len) and, when something
** changes, write the whole new text to dst and count the changes in *n (else leave *n at 0). */
copydesk_code cd_step_chars(const char *s, size_t len, unsigned flags, copydesk_buf *dst,
                            size_t *n);
copydesk_code cd_step_terminal(const char *s, size_t len, unsigned flags, copydesk_buf *dst,
                               size_t *n);
copydesk_code cd_step_entities(const char *s, size_t len, unsigned flags, copydesk_buf *dst,
                               size_t *n);

/* One pass of whole-cluster mojibake repair over valid UTF-8 s[0..len), for every code page:
** each line is read in the code page whose strict reading lowers its "weirdness" most (see
** fix_pages.c). `flags` selects lossy sequences (COPYDESK_FIX_LOSSY). Same contract as
** cd_fix_mojibake. */
copydesk_code cd_fix_pages(const char *s, size_t len, unsigned flags, copydesk_buf *dst,
                           size_t *nrepairs);

/* How odd the code points cps[0..n) look as text: C1 controls, unassigned characters, rare
** blocks, symbols wedged between letters, letters of two scripts or cases side by side. Lower
** is more natural; mojibake scores high, its repair low. */
int cd_weirdness(const uint32_t *cps, size_t n);

#endif
