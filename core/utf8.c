/* utf8.c: UTF-8 decoding and validation (strict: no overlongs, surrogates or > U+10FFFF). */
#include <utf8proc.h>

#include "internal.h"

size_t cd_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp) {
  unsigned c = s[0];
  size_t n, i;
  uint32_t v, min;
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c < 0xC2) return 0;
  if (c < 0xE0) { n = 2; v = c & 0x1F; min = 0x80; }
  else if (c < 0xF0) { n = 3; v = c & 0x0F; min = 0x800; }
  else if (c < 0xF5) { n = 4; v = c & 0x07; min = 0x10000; }
  else return 0;
  if (len < n) return 0;
  for (i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (s[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return n;
}

size_t cd_utf8_encode(uint32_t cp, char *out) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

int copydesk_utf8_valid(const char *s, size_t len, size_t *bad_pos) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, n;
  uint32_t cp;
  while (i < len) {
    if (p[i] < 0x80) {
      i++;
      continue;
    }
    n = cd_utf8_decode(p + i, len - i, &cp);
    if (n == 0) {
      if (bad_pos) *bad_pos = i;
      return 0;
    }
    i += n;
  }
  return 1;
}

int cd_is_space(uint32_t cp) {
  switch (cp) {
  case ' ': case '\t': case '\v': case '\f': case 0xA0: case 0x1680: case 0x202F: case 0x205F:
  case 0x3000:
    return 1;
  default:
    return cp >= 0x2000 && cp <= 0x200A;
  }
}

/* Steps back over at most three continuation bytes, then decodes forward: the sequence counts
** only if it ends exactly at `end`. */
size_t cd_prev_cp(const char *s, size_t start, size_t end, uint32_t *cp) {
  size_t i, n;
  if (end <= start) return 0;
  i = end - 1;
  while (i > start && end - i < 4 && ((unsigned char)s[i] & 0xC0) == 0x80) i--;
  n = cd_utf8_decode((const unsigned char *)s + i, end - i, cp);
  return n == end - i ? n : 0;
}

uint32_t cd_cp_before(const char *s, size_t pos) {
  uint32_t cp = 0;
  return cd_prev_cp(s, 0, pos, &cp) ? cp : 0;
}

int cd_is_upper(uint32_t cp) {
  utf8proc_category_t cat;
  if (cp < 0x80) return cp >= 'A' && cp <= 'Z';
  cat = utf8proc_category((utf8proc_int32_t)cp);
  return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}
