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

/* One pass of mojibake repair over valid UTF-8 s[0..len). When it finds runs to repair it appends
** the whole repaired text to `dst` and sets *nrepairs to their number; otherwise it leaves `dst`
** alone and sets *nrepairs to 0. @return OK, ERR_NOMEM, ERR_OVERFLOW. */
copydesk_code cd_fix_mojibake(const char *s, size_t len, copydesk_buf *dst, size_t *nrepairs);

#endif
