/* buf.c: copydesk_buf, the growable output every text function writes into, and the allocator. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Zero-size requests become one byte: lua_Alloc and realloc(p, 0) would free or return NULL,
** which callers would take for out of memory. */
void *cd_malloc(const copydesk_alloc *alc, size_t n) {
  if (n == 0) n = 1;
  return alc ? alc->malloc(alc->ctx, n) : malloc(n);
}

void *cd_realloc(const copydesk_alloc *alc, void *p, size_t old, size_t n) {
  if (n == 0) n = 1;
  if (old == 0 && p) old = 1;
  return alc ? alc->realloc(alc->ctx, p, old, n) : realloc(p, n);
}

void cd_free(const copydesk_alloc *alc, void *p, size_t n) {
  if (p == NULL) return;
  if (n == 0) n = 1;
  if (alc) alc->free(alc->ctx, p, n);
  else free(p);
}

char *cd_strndup(const copydesk_alloc *alc, const char *s, size_t len) {
  char *p;
  if (len == SIZE_MAX) return NULL;
  p = cd_malloc(alc, len + 1);
  if (p == NULL) return NULL;
  if (len) memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

void copydesk_buf_init(copydesk_buf *b, const copydesk_alloc *alc) {
  b->data = NULL;
  b->len = b->cap = 0;
  b->alc = alc;
}

void copydesk_buf_free(copydesk_buf *b) {
  if (b == NULL) return;
  cd_free(b->alc, b->data, b->cap);
  b->data = NULL;
  b->len = b->cap = 0;
}

void copydesk_buf_clear(copydesk_buf *b) {
  b->len = 0;
  if (b->data) b->data[0] = '\0';
}

/* Grows by half again (at least to the need, at least 64 bytes), keeping room for the
** terminating zero, so appends are amortised O(1). */
copydesk_code copydesk_buf_reserve(copydesk_buf *b, size_t n) {
  size_t need, cap;
  char *p;
  if (n > SIZE_MAX - 1 - b->len) return COPYDESK_ERR_OVERFLOW;
  need = b->len + n + 1;
  if (need <= b->cap) return COPYDESK_OK;
  cap = b->cap < 64 ? 64 : b->cap;
  while (cap < need) cap = cap > SIZE_MAX / 3 * 2 ? need : cap + cap / 2;
  p = cd_realloc(b->alc, b->data, b->cap, cap);
  if (p == NULL) return COPYDESK_ERR_NOMEM;
  b->data = p;
  b->cap = cap;
  return COPYDESK_OK;
}

int cd_grow(const copydesk_alloc *alc, void **items, size_t n, size_t *cap, size_t size,
            size_t first) {
  size_t ncap;
  void *p;
  if (n < *cap) return 1;
  ncap = *cap ? *cap * 2 : first;
  if (ncap < *cap || ncap > SIZE_MAX / size) return 0;
  p = cd_realloc(alc, *items, *cap * size, ncap * size);
  if (p == NULL) return 0;
  *items = p;
  *cap = ncap;
  return 1;
}

copydesk_code copydesk_buf_append(copydesk_buf *b, const char *s, size_t len) {
  copydesk_code rc = copydesk_buf_reserve(b, len);
  if (rc != COPYDESK_OK) return rc;
  if (len) memcpy(b->data + b->len, s, len);
  b->len += len;
  b->data[b->len] = '\0';
  return COPYDESK_OK;
}

copydesk_code cd_buf_putc(copydesk_buf *b, char c) {
  return copydesk_buf_append(b, &c, 1);
}

copydesk_code cd_buf_put_cp(copydesk_buf *b, uint32_t cp) {
  char tmp[4];
  return copydesk_buf_append(b, tmp, cd_utf8_encode(cp, tmp));
}
