/* fix_chars.c: the repair steps that replace single characters (C1 controls read as
** Windows-1252; curly quotes, full-width forms and Latin ligatures folded, by option) and the one
** that drops terminal escapes. Each scans for what it changes and copies only when it finds some.
*/
#include <utf8proc.h>

#include "fix_internal.h"

#define ESC 0x1B
#define MAX_FOLD 18 /* code points a compatibility decomposition of one character can reach */

static int is_ligature(uint32_t cp) {
  return cp == 0x132 || cp == 0x133 || cp == 0x149 || (cp >= 0x1C4 && cp <= 0x1CC) ||
         (cp >= 0xFB00 && cp <= 0xFB06);
}

static int is_wide(uint32_t cp) { return cp == 0x3000 || (cp >= 0xFF01 && cp <= 0xFFEF); }

static uint32_t straight_quote(uint32_t cp) {
  if (cp == 0x2BC || (cp >= 0x2018 && cp <= 0x201B)) return '\'';
  return cp >= 0x201C && cp <= 0x201F ? '"' : 0;
}

/* The replacement of cp under `flags` into out; returns its length, 0 when cp stays. A C1
** control becomes its Windows-1252 character and a ligature its letters before quotes are
** straightened, so "\x93" and "ŉ" end as '"' and "'n". */
static size_t map_char(uint32_t cp, unsigned flags, uint32_t *out) {
  size_t n = 0, k;
  if (cp >= 0x80 && cp <= 0x9F && (flags & COPYDESK_FIX_C1) && cd_cp1252.decode[cp] != cp) {
    out[0] = cd_cp1252.decode[cp];
    n = 1;
  } else if (((flags & COPYDESK_FIX_LIGATURES) && is_ligature(cp)) ||
             ((flags & COPYDESK_FIX_WIDTH) && is_wide(cp))) {
    utf8proc_int32_t d[MAX_FOLD];
    utf8proc_ssize_t m;
    int boundclass = 0;
    m = utf8proc_decompose_char((utf8proc_int32_t)cp, d, MAX_FOLD,
                                UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT, &boundclass);
    if (m > 0 && m <= MAX_FOLD && !(m == 1 && (uint32_t)d[0] == cp))
      for (n = 0; n < (size_t)m; n++) out[n] = (uint32_t)d[n];
  }
  if (n == 0) out[n++] = cp;
  if (flags & COPYDESK_FIX_QUOTES)
    for (k = 0; k < n; k++)
      if (straight_quote(out[k])) out[k] = straight_quote(out[k]);
  return n == 1 && out[0] == cp ? 0 : n;
}

/* What a replaced character was, for explanations. */
static const char *char_reason(uint32_t cp) {
  if (cp >= 0x80 && cp <= 0x9F) return "c1-control";
  if (is_ligature(cp)) return "ligature";
  return is_wide(cp) ? "width" : "quote";
}

copydesk_code cd_step_chars(const char *text, size_t len, cd_step *st, copydesk_buf *dst) {
  const unsigned char *s = (const unsigned char *)text;
  size_t i = 0, done = 0, k, m, j, out_pos;
  uint32_t cp, out[MAX_FOLD];
  copydesk_code rc = COPYDESK_OK;
  while (rc == COPYDESK_OK && (i = cd_skip_ascii(s, len, i)) < len) {
    k = cd_utf8_decode(s + i, len - i, &cp);
    if ((m = map_char(cp, st->flags, out)) == 0) {
      i += k;
      continue;
    }
    rc = copydesk_buf_append(dst, text + done, i - done);
    out_pos = dst->len;
    for (j = 0; j < m && rc == COPYDESK_OK; j++) rc = cd_buf_put_cp(dst, out[j]);
    if (rc == COPYDESK_OK) rc = cd_step_note(st, i, k, out_pos, dst->len - out_pos, char_reason(cp));
    i += k;
    done = i;
  }
  return cd_step_end(rc, st, dst, text, len, done);
}

/* The length of the terminal escape at s[i] (ESC [ parameters intermediates final), or 0. */
static size_t escape_len(const unsigned char *s, size_t len, size_t i) {
  size_t j = i + 2;
  if (len - i < 3 || s[i + 1] != '[') return 0;
  while (j < len && s[j] >= 0x30 && s[j] <= 0x3F) j++;
  while (j < len && s[j] >= 0x20 && s[j] <= 0x2F) j++;
  return j < len && s[j] >= 0x40 && s[j] <= 0x7E ? j + 1 - i : 0;
}

copydesk_code cd_step_terminal(const char *text, size_t len, cd_step *st, copydesk_buf *dst) {
  const unsigned char *s = (const unsigned char *)text;
  const unsigned char *e;
  size_t i = 0, done = 0, k;
  copydesk_code rc = COPYDESK_OK;
  while (rc == COPYDESK_OK && i < len && (e = memchr(s + i, ESC, len - i)) != NULL) {
    i = (size_t)(e - s);
    if ((k = escape_len(s, len, i)) == 0) {
      i++;
      continue;
    }
    rc = copydesk_buf_append(dst, text + done, i - done);
    if (rc == COPYDESK_OK) rc = cd_step_note(st, i, k, dst->len, 0, "terminal-escape");
    i += k;
    done = i;
  }
  return cd_step_end(rc, st, dst, text, len, done);
}
