/* internal.h: helpers shared by the core's files (prefix cd_); never installed. */
#ifndef CD_INTERNAL_H
#define CD_INTERNAL_H

#include "copydesk.h"

#define CD_UNUSED(x) ((void)(x))

void *cd_malloc(const copydesk_alloc *alc, size_t n);
void *cd_realloc(const copydesk_alloc *alc, void *p, size_t old, size_t n);
void cd_free(const copydesk_alloc *alc, void *p, size_t n);
char *cd_strndup(const copydesk_alloc *alc, const char *s, size_t len);
/* Makes room for one more element of `size` bytes in the array *items of n used and *cap slots,
** doubling from `first` slots. Returns 0 when out of memory or when the size would overflow
** (*items and *cap unchanged). */
int cd_grow(const copydesk_alloc *alc, void **items, size_t n, size_t *cap, size_t size,
            size_t first);

/* Fills *err (if non-NULL) with code, its message, the position of `pos` in s[0..len) and
** `context`; returns code so callers can `return cd_fail(...)`. */
copydesk_code cd_fail(copydesk_err *err, copydesk_code code, const char *msg, const char *context,
                      const char *s, size_t len, size_t pos);
/* Clears *err (if non-NULL) to success. */
void cd_ok(copydesk_err *err);

/* Appends one byte / a code point as UTF-8. */
copydesk_code cd_buf_putc(copydesk_buf *b, char c);
copydesk_code cd_buf_put_cp(copydesk_buf *b, uint32_t cp);

/* Decodes one UTF-8 sequence at s[0..len) (len > 0). Returns its length (1..4) and sets *cp, or
** returns 0 when the bytes there are not a valid sequence. */
size_t cd_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);
/* Encodes cp (<= 0x10FFFF) into out[0..4); returns the length. */
size_t cd_utf8_encode(uint32_t cp, char *out);

/* Unicode white space other than \n (space, tab, NBSP, U+2000..U+200A, U+3000, ...). */
int cd_is_space(uint32_t cp);

/* The length of the UTF-8 sequence that ends exactly at s[end) and starts at or after `start`,
** with *cp set; 0 when there is none (start of text, or an invalid byte). */
size_t cd_prev_cp(const char *s, size_t start, size_t end, uint32_t *cp);
/* The code point that ends at s[pos), or 0 at the start of the text or after an invalid byte. */
uint32_t cd_cp_before(const char *s, size_t pos);
/* An upper-case or title-case letter (Lu, Lt). */
int cd_is_upper(uint32_t cp);

#endif
