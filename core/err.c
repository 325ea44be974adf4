/* err.c: error codes, their messages and names, and offset -> line:col. */
#include <utf8proc.h>

#include "internal.h"

typedef struct code_info {
  const char *message;
  const char *name;
} code_info;

static const code_info codes[COPYDESK_ERR_COUNT_] = {
  [COPYDESK_OK] = {"no error", "ok"},
  [COPYDESK_ERR_NOMEM] = {"out of memory", "out-of-memory"},
  [COPYDESK_ERR_INVALID] = {"invalid argument", "invalid-argument"},
  [COPYDESK_ERR_OVERFLOW] = {"size overflow", "overflow"},
  [COPYDESK_ERR_UTF8] = {"invalid UTF-8", "not-utf8"},
  [COPYDESK_ERR_YAML] = {"invalid YAML front matter", "front-matter"},
  [COPYDESK_ERR_UNCLOSED] = {"front matter has no closing '---' line", "front-matter"},
  [COPYDESK_ERR_NOT_MAPPING] = {"front matter is not a mapping", "front-matter"},
  [COPYDESK_ERR_DEPTH] = {"nesting too deep", "too-deep"},
  [COPYDESK_ERR_ALIAS] = {"YAML aliases are not supported", "front-matter"},
  [COPYDESK_ERR_TOO_LARGE] = {"input too large", "too-large"},
  [COPYDESK_ERR_EMIT] = {"value cannot be written in this format", "render"},
  [COPYDESK_ERR_IO] = {"input/output error", "io"},
  [COPYDESK_ERR_JSON] = {"invalid JSON record", "bad-json"},
  [COPYDESK_ERR_NOT_RECORD] = {"JSON record is not an object with a text string", "bad-json"},
};

const char *copydesk_version(void) { return COPYDESK_VERSION_STRING; }

const char *copydesk_unicode_version(void) { return utf8proc_unicode_version(); }

const char *copydesk_strerror(copydesk_code code) {
  if ((unsigned)code >= COPYDESK_ERR_COUNT_) return "unknown error";
  return codes[code].message;
}

const char *copydesk_code_name(copydesk_code code) {
  if ((unsigned)code >= COPYDESK_ERR_COUNT_) return "unknown";
  return codes[code].name;
}

void copydesk_locate(const char *s, size_t len, size_t pos, size_t *line, size_t *col) {
  size_t i, ln = 1, start = 0;
  if (pos > len) pos = len;
  for (i = 0; i < pos; i++)
    if (s[i] == '\n') {
      ln++;
      start = i + 1;
    }
  if (line) *line = ln;
  if (col) *col = pos - start + 1;
}

copydesk_code cd_fail(copydesk_err *err, copydesk_code code, const char *msg, const char *context,
                      const char *s, size_t len, size_t pos) {
  if (err == NULL) return code;
  err->code = code;
  err->msg = msg ? msg : copydesk_strerror(code);
  err->context = context ? context : "";
  err->pos = pos;
  if (s) copydesk_locate(s, len, pos, &err->line, &err->col);
  else err->line = err->col = 0;
  return code;
}

void cd_ok(copydesk_err *err) {
  if (err == NULL) return;
  err->code = COPYDESK_OK;
  err->msg = "";
  err->context = "";
  err->pos = err->line = err->col = 0;
}
