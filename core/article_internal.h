/* article_internal.h: what article.c needs from yaml.c and jsonl.c, the only files that include
** <yaml.h> and <jansson.h>. No dependency type crosses this interface: values in, bytes out. */
#ifndef CD_ARTICLE_INTERNAL_H
#define CD_ARTICLE_INTERNAL_H

#include "internal.h"

/* Parses the YAML text file[off..off+len) (the front matter between its `---` lines) into *out,
** which it sets to a MAP (empty when the text holds no document). Positions in *err are in the
** whole file[0..file_len), so line numbers are the file's. max_depth counts open collections,
** the top mapping included; 0 means 64. On failure *out is left NULL-typed and nothing leaks.
** @return OK, ERR_UTF8, ERR_YAML (libyaml's problem and context; a non-scalar key; a second
**         document), ERR_NOT_MAPPING, ERR_DEPTH, ERR_ALIAS, ERR_NOMEM. */
copydesk_code cd_yaml_parse(const char *file, size_t file_len, size_t off, size_t len,
                            size_t max_depth, const copydesk_alloc *alc, copydesk_value *out,
                            copydesk_err *err);

/* Appends MAP `meta` to `out` as block YAML ending in a newline, with no `---`/`...` markers.
** Strings that would read back as another type are quoted, so cd_yaml_parse gives `meta` back.
** @return OK, ERR_UTF8 (a string or key), ERR_EMIT (libyaml refused), ERR_NOMEM. */
copydesk_code cd_yaml_emit(const copydesk_value *meta, copydesk_buf *out, copydesk_err *err);

/* Appends `{"key":value,...,"text":BODY}` (meta keys in order, compact, UTF-8 kept) to `out`.
** @return OK, ERR_UTF8, ERR_EMIT (NaN or infinity; a meta key "text"), ERR_NOMEM. */
copydesk_code cd_json_render(const copydesk_value *meta, const char *body, size_t body_len,
                             copydesk_buf *out, copydesk_err *err);

#endif
