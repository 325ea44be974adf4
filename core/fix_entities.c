/* fix_entities.c: HTML character references in text that is not HTML: "&eacute;", "&#233;",
** "&#xE9;" -> "é". A line holding "<" is taken for HTML (where a reference is markup, not
** damage) and left alone, as ftfy does. Numeric references to 128..159 mean Windows-1252, as
** browsers read them (the WHATWG parser's table); a reference to nothing a text can hold (0,
** a surrogate, beyond U+10FFFF) stays as it is. Only references closed by ";" count. "&amp;"
** followed by a reference ("&amp;eacute;") is escaped twice: with COPYDESK_FIX_ENTITIES_DOUBLE it
** is read twice, else left whole, so that fixing the output again changes nothing.
*/
#include "fix_internal.h"

#define MAX_DIGITS 8 /* beyond this a numeric reference is too large anyway */

static int cmp_name(const char *name, const unsigned char *s, size_t n) {
  int c = strncmp(name, (const char *)s, n);
  return c != 0 ? c : name[n] != '\0';
}

/* The entity named s[0..n), or NULL. */
static const cd_entity *find_entity(const unsigned char *s, size_t n) {
  size_t lo = 0, hi = cd_nentities;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = cmp_name(cd_entities[mid].name, s, n);
    if (c == 0) return &cd_entities[mid];
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

static int is_alnum(unsigned c) {
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static int hex_value(unsigned c) {
  if (c >= '0' && c <= '9') return (int)(c - '0');
  c |= 0x20;
  return c >= 'a' && c <= 'f' ? (int)(c - 'a' + 10) : -1;
}

/* Reads the numeric reference "#123;" or "#x7B;" at s[0..len); returns its length (after "&")
** and sets *cp, or returns 0. */
static size_t numeric_ref(const unsigned char *s, size_t len, uint32_t *cp) {
  size_t i = 1, digits = 0;
  unsigned base = 10;
  uint32_t v = 0;
  if (len > 1 && (s[1] | 0x20) == 'x') base = 16, i = 2;
  for (; i < len && digits <= MAX_DIGITS; i++, digits++) {
    int d = base == 16 ? hex_value(s[i]) : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
    if (d < 0) break;
    v = v * base + (uint32_t)d;
  }
  if (digits == 0 || digits > MAX_DIGITS || i >= len || s[i] != ';') return 0;
  if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v >= 0x80 && v <= 0x9F ? cd_cp1252.decode[v] : v;
  return i + 1;
}

/* Reads the reference after the "&" at s[0..len); appends its value to dst. Returns its length
** (after "&"), 0 when there is none. */
static size_t read_ref(const unsigned char *s, size_t len, unsigned flags, copydesk_buf *dst,
                       copydesk_code *rc) {
  const cd_entity *e;
  size_t n = 0, inner;
  uint32_t cp;
  if (len > 0 && s[0] == '#') {
    if ((n = numeric_ref(s, len, &cp)) > 0) *rc = cd_buf_put_cp(dst, cp);
    return n;
  }
  while (n < len && n <= cd_entity_longest && is_alnum(s[n])) n++;
  if (n == 0 || n >= len || s[n] != ';' || (e = find_entity(s, n)) == NULL) return 0;
  if (n == 3 && memcmp(s, "amp", 3) == 0 && n + 2 < len && s[n + 1] != '&') {
    size_t mark = dst->len;
    if ((inner = read_ref(s + n + 1, len - n - 1, 0, dst, rc)) > 0) {
      if (flags & COPYDESK_FIX_ENTITIES_DOUBLE) return n + 1 + inner;
      dst->len = mark; /* "&amp;eacute;" stays: decoding it once would not be idempotent */
      dst->data[mark] = '\0';
      return 0;
    }
  }
  *rc = copydesk_buf_append(dst, e->value, e->value_len);
  return n + 1;
}

copydesk_code cd_step_entities(const char *text, size_t len, cd_step *st, copydesk_buf *dst) {
  const unsigned char *s = (const unsigned char *)text;
  size_t i = 0, done = 0, line_end = 0, k, out_pos;
  copydesk_code rc = COPYDESK_OK;
  while (rc == COPYDESK_OK && i < len) {
    const unsigned char *amp = memchr(s + i, '&', len - i), *nl, *lt;
    if (amp == NULL) break;
    i = (size_t)(amp - s);
    if (i >= line_end) { /* entering a new line: skip it whole if it is HTML */
      size_t start = i;
      while (start > 0 && s[start - 1] != '\n') start--;
      nl = memchr(s + i, '\n', len - i);
      line_end = nl ? (size_t)(nl - s) : len;
      lt = memchr(s + start, '<', line_end - start);
      if (lt) {
        i = line_end;
        continue;
      }
    }
    rc = copydesk_buf_append(dst, text + done, i - done);
    out_pos = dst->len;
    done = i; /* dst holds text[0..i) now */
    if (rc == COPYDESK_OK &&
        (k = read_ref(s + i + 1, line_end - i - 1, st->flags, dst, &rc)) > 0) {
      if (rc == COPYDESK_OK)
        rc = cd_step_note(st, i, 1 + k, out_pos, dst->len - out_pos, "html-entity");
      i += 1 + k;
      done = i;
    } else {
      i++;
    }
  }
  return cd_step_end(rc, st, dst, text, len, done);
}
