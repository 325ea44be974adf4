/* clean_internal.h: helpers shared by the cleaning steps (clean.c, boilerplate.c, captions.c). */
#ifndef CD_CLEAN_INTERNAL_H
#define CD_CLEAN_INTERNAL_H

#include "internal.h"

/* Appends {pos, len, reason} to `e`, growing it through e->alc. A NULL list records nothing.
** @return OK, ERR_NOMEM or ERR_OVERFLOW; on failure the list is unchanged. */
copydesk_code cd_edits_push(copydesk_edits *e, size_t pos, size_t len, copydesk_reason reason);

/* The byte length of the white-space character (cd_is_space) at s[0..len), len > 0; 0 when
** there is none there, or the bytes are not valid UTF-8. */
size_t cd_space_len(const char *s, size_t len);

/* The code point that ends at s[end], without reaching back before s[start]: sets *cp and
** returns its length, or returns 0 when the bytes there are not one valid sequence. */
size_t cd_prev_cp(const char *s, size_t start, size_t end, uint32_t *cp);

/* Narrows [*a, *b) of s past leading and trailing white space. */
void cd_trim_space(const char *s, size_t *a, size_t *b);

/* Bounds of one line starting at `pos`: *end is its "\n" (or len), the return value the start of
** the next line (len at the end). */
size_t cd_line_next(const char *s, size_t len, size_t pos, size_t *end);

#endif
