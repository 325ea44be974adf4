/* clean.c: white-space normalisation, reason names, and the edit list and line helpers that the
** cleaning steps (boilerplate.c, captions.c) share. */
#include <string.h>

#include <utf8proc.h>

#include "clean_internal.h"

#define SPACE_CONTEXT "clean_space"

const char *copydesk_reason_name(copydesk_reason r) {
  switch (r) {
  case COPYDESK_REASON_BOILERPLATE: return "boilerplate";
  case COPYDESK_REASON_CAPTION: return "caption";
  case COPYDESK_REASON_CAPTION_REPEAT: return "caption-repeat";
  case COPYDESK_REASON_REPEAT: return "repeat";
  case COPYDESK_REASON_GLUE: return "glue";
  default: return "unknown";
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Edits                                                                                       */

void copydesk_edits_free(copydesk_edits *e) {
  if (e == NULL) return;
  cd_free(e->alc, e->items, e->cap * sizeof *e->items);
  e->items = NULL;
  e->n = e->cap = 0;
}

/* Doubles from 8, so a step that removes k lines reallocates O(log k) times. */
copydesk_code cd_edits_push(copydesk_edits *e, size_t pos, size_t len, copydesk_reason reason) {
  void *items;
  if (e == NULL) return COPYDESK_OK;
  items = e->items;
  if (!cd_grow(e->alc, &items, e->n, &e->cap, sizeof *e->items, 8)) return COPYDESK_ERR_NOMEM;
  e->items = items;
  e->items[e->n].pos = pos;
  e->items[e->n].len = len;
  e->items[e->n].reason = reason;
  e->n++;
  return COPYDESK_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Byte tables                                                                                 */

#define ASCII_GAP(c) ((c) == ' ' || ((c) >= '\t' && (c) <= '\f')) /* \t \n \v \f are 9 to 12 */
#define PLAIN_FOLD(c) \
  ((c) == 0 || (c) >= 0x80 || ASCII_GAP(c) ? 0 : (c) >= 'A' && (c) <= 'Z' ? (c) + 32 : (c))
const unsigned char cd_plain_fold[256] = CD_BYTE_TABLE(PLAIN_FOLD);

/* ------------------------------------------------------------------------------------------ */
/* Line helpers                                                                                */

size_t cd_space_len_utf8(const char *s, size_t len) {
  uint32_t cp;
  size_t n = cd_utf8_decode((const unsigned char *)s, len, &cp);
  return n && cd_is_space(cp) ? n : 0;
}

void cd_trim_space(const char *s, size_t *a, size_t *b) {
  size_t n;
  uint32_t cp;
  while (*a < *b && (n = cd_space_len(s + *a, *b - *a)) > 0) *a += n;
  while (*b > *a && (n = cd_prev_char(s, *a, *b, &cp)) > 0 && cd_is_space(cp)) *b -= n;
}

size_t cd_line_next(const char *s, size_t len, size_t pos, size_t *end) {
  const char *nl = memchr(s + pos, '\n', len - pos);
  if (nl == NULL) {
    *end = len;
    return len;
  }
  *end = (size_t)(nl - s);
  return *end + 1;
}

/* ------------------------------------------------------------------------------------------ */
/* Paragraphs                                                                                  */

size_t cd_paras_split(const char *s, size_t len, cd_para *ps) {
  size_t i, n = 0, next, a, end;
  int open = 0;
  for (i = 0; i < len; i = next) {
    next = cd_line_next(s, len, i, &end);
    a = i;
    cd_trim_space(s, &a, &end);
    if (a == end) {
      open = 0;
      continue;
    }
    if (!open && ps) {
      ps[n].start = i;
      ps[n].reason = (copydesk_reason)0;
    }
    n += !open;
    open = 1;
    if (ps) ps[n - 1].end = next;
  }
  return n;
}

copydesk_code cd_paras_emit(const char *s, size_t len, const cd_para *ps, size_t n,
                            copydesk_buf *out, copydesk_edits *edits) {
  size_t i, last_kept = SIZE_MAX, from, to, kept = 0;
  copydesk_code rc = COPYDESK_OK;
  for (i = 0; i < n; i++)
    if (ps[i].reason == 0) last_kept = i;
  for (i = 0; i < n && rc == COPYDESK_OK; i++) {
    if (ps[i].reason == 0) continue;
    if (last_kept != SIZE_MAX && i < last_kept) {
      from = ps[i].start;
      to = ps[i + 1].start;
    } else {
      from = i > 0 ? ps[i - 1].end : ps[i].start;
      to = ps[i].end;
    }
    if (from > kept) rc = copydesk_buf_append(out, s + kept, from - kept);
    if (rc == COPYDESK_OK) rc = cd_edits_push(edits, from, to - from, ps[i].reason);
    kept = to;
  }
  if (rc == COPYDESK_OK && kept < len) rc = copydesk_buf_append(out, s + kept, len - kept);
  return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* White space                                                                                 */

/* The state of one pass of copydesk_clean_space. Output is written straight into memory
** reserved beforehand: it never exceeds the input plus one final newline, because every output
** byte stands for at least one input byte (a folded space for a run of spaces, the blank line
** for a run of blank lines' newlines) except that final newline. */
typedef struct folder {
  char *d;     /* next output byte */
  int in_line; /* the current line has content */
  int gap;     /* white space seen after content on this line */
  int blank;   /* a blank line seen since the last line with content */
  int any;     /* some line had content (leading blank lines are dropped) */
} folder;

/* Emits what must come before more content: the pending blank line or the folded space. */
static void fold_open(folder *f) {
  if (!f->in_line) {
    if (f->blank) *f->d++ = '\n';
    f->blank = 0;
    f->in_line = 1;
  } else if (f->gap) {
    *f->d++ = ' ';
  }
  f->gap = 0;
}

static void fold_newline(folder *f) {
  if (f->in_line) {
    *f->d++ = '\n';
    f->any = 1;
  } else if (f->any) {
    f->blank = 1; /* emitted only if content follows: trailing blank lines vanish */
  }
  f->in_line = f->gap = 0;
}

static void fold_copy(folder *f, const char *s, size_t n) {
  fold_open(f);
  memcpy(f->d, s, n);
  f->d += n;
}

/* Folds s[0..len) into f. Returns 1, or 0 with *bad_pos at the first byte that is not UTF-8. */
static int fold_space(folder *f, const char *s, size_t len, size_t *bad_pos) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, j, n;
  uint32_t cp;
  while (i < len) {
    if (p[i] > ' ' && p[i] < 0x80) {
      /* fast path: a run of visible ASCII words with one space between them, which folding
      ** leaves as it is, copied at once */
      for (j = i + 1; j < len; j++) {
        if (p[j] > ' ' && p[j] < 0x80) continue;
        if (p[j] != ' ' || j + 1 == len || p[j + 1] <= ' ' || p[j + 1] >= 0x80) break;
        j++;
      }
      fold_copy(f, s + i, j - i);
      i = j;
      continue;
    }
    if (p[i] == '\n') {
      fold_newline(f);
      i++;
      continue;
    }
    cp = p[i];
    n = cp < 0x80 ? 1 : cd_utf8_decode(p + i, len - i, &cp);
    if (n == 0) {
      *bad_pos = i;
      return 0;
    }
    if (!cd_is_space(cp)) fold_copy(f, s + i, n);
    else if (f->in_line) f->gap = 1; /* leading white space is dropped */
    i += n;
  }
  if (f->in_line) *f->d++ = '\n';
  return 1;
}

/* One pass, O(len); allocates at most once (len + 1 bytes of room in `out`). On ERR_UTF8 `out`
** keeps its length (the room reserved stays). */
copydesk_code copydesk_clean_space(const char *s, size_t len, copydesk_buf *out,
                                   copydesk_err *err) {
  folder f = {NULL, 0, 0, 0, 0};
  copydesk_code rc;
  size_t bad = 0;
  if (out == NULL || (s == NULL && len > 0))
    return cd_fail(err, COPYDESK_ERR_INVALID, NULL, SPACE_CONTEXT, NULL, 0, 0);
  if (len == 0) {
    cd_ok(err);
    return COPYDESK_OK;
  }
  rc = len == SIZE_MAX ? COPYDESK_ERR_OVERFLOW : copydesk_buf_reserve(out, len + 1);
  if (rc != COPYDESK_OK) return cd_fail(err, rc, NULL, SPACE_CONTEXT, NULL, 0, 0);
  f.d = out->data + out->len;
  if (!fold_space(&f, s, len, &bad)) {
    out->data[out->len] = '\0'; /* the pass may have overwritten the terminator */
    return cd_fail(err, COPYDESK_ERR_UTF8, NULL, SPACE_CONTEXT, s, len, bad);
  }
  out->len = (size_t)(f.d - out->data);
  out->data[out->len] = '\0';
  cd_ok(err);
  return COPYDESK_OK;
}

size_t cd_put_lower(uint32_t cp, const char *src, size_t n, char *dst) {
  char tmp[4];
  size_t m = cd_utf8_encode((uint32_t)utf8proc_tolower((utf8proc_int32_t)cp), tmp);
  if (m > n) {
    memcpy(dst, src, n);
    return n;
  }
  memcpy(dst, tmp, m);
  return m;
}
