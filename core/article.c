/* article.c: the three ways a scraped article file starts, and writing an article back out.
**
** - FRONT_MATTER: an optional UTF-8 BOM, then a `---` line, YAML, and a `---` or `...` line.
**   Marker lines may carry trailing spaces and tabs (scrapers leave `--- `) and end in \n or
**   \r\n; the closing one may also end the file. YAML goes to yaml.c; the body is everything
**   after the closing line, byte for byte.
** - DATED: a first line `<blanks>date<blanks>YYYY-MM-DD` then a blank or the line's end; the
**   article text may go on in the same line. meta.date is the date as a string. When nothing
**   follows the date on its line, the body starts on line 2.
** - PLAIN: anything else; the whole file is the body (a BOM included).
** The body is never checked for UTF-8 here: copydesk_fix repairs it later. */
#include <string.h>

#include "article_internal.h"

#define BOM "\xEF\xBB\xBF"
#define DATE_LEN 10 /* YYYY-MM-DD */

static size_t bom_len(const char *s, size_t len) {
  return len >= 3 && memcmp(s, BOM, 3) == 0 ? 3 : 0;
}

static size_t skip_blanks(const char *s, size_t len, size_t i) {
  while (i < len && (s[i] == ' ' || s[i] == '\t')) i++;
  return i;
}

/* If s[i..) is a line end (\n or \r\n), returns 1 and sets *next after it. */
static int line_break(const char *s, size_t len, size_t i, size_t *next) {
  if (i < len && s[i] == '\n') *next = i + 1;
  else if (i + 1 < len && s[i] == '\r' && s[i + 1] == '\n') *next = i + 2;
  else return 0;
  return 1;
}

/* Is the line at s[i..) the 3-byte `mark` plus blanks? 1 when it ends in a line break (*next
** after it), 2 when it ends the file (*next = len), 0 when it is not such a line. */
static int marker_line(const char *s, size_t len, size_t i, const char *mark, size_t *next) {
  size_t j;
  if (len - i < 3 || memcmp(s + i, mark, 3) != 0) return 0;
  j = skip_blanks(s, len, i + 3);
  if (j == len) {
    *next = len;
    return 2;
  }
  return line_break(s, len, j, next);
}

static size_t next_line(const char *s, size_t len, size_t i) {
  const char *nl = memchr(s + i, '\n', len - i);
  return nl ? (size_t)(nl - s) + 1 : len;
}

static size_t count_lines(const char *s, size_t pos) {
  size_t i, n = 1;
  for (i = 0; i < pos; i++) n += s[i] == '\n';
  return n;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* YYYY-MM-DD by shape (the digits are not checked as a calendar date). */
static int date_shape(const char *s, size_t len) {
  size_t i;
  if (len != DATE_LEN) return 0;
  for (i = 0; i < DATE_LEN; i++)
    if (i == 4 || i == 7 ? s[i] != '-' : !is_digit(s[i])) return 0;
  return 1;
}

/* A DATED first line at s[i..)? Sets *date to the date's offset and *body and *body_line to where
** the body starts. */
static int dated_line(const char *s, size_t len, size_t i, size_t *date, size_t *body,
                      size_t *body_line) {
  size_t j = skip_blanks(s, len, i);
  if (len - j < 4 || memcmp(s + j, "date", 4) != 0) return 0;
  i = skip_blanks(s, len, j + 4);
  if (i == j + 4 || len - i < DATE_LEN || !date_shape(s + i, DATE_LEN)) return 0;
  *date = i;
  j = i + DATE_LEN;
  if (j < len && s[j] != ' ' && s[j] != '\t' && !line_break(s, len, j, body)) return 0;
  j = skip_blanks(s, len, j);
  *body_line = line_break(s, len, j, body) ? 2 : 1;
  if (*body_line == 1) *body = j;
  return 1;
}

/* Would parsing s[0..len) find a header (front matter or a date line)? */
static int has_header(const char *s, size_t len) {
  size_t start = bom_len(s, len), a, b, c;
  return marker_line(s, len, start, "---", &a) == 1 || dated_line(s, len, start, &a, &b, &c);
}

/* ---- Parsing ---------------------------------------------------------------------------- */

static copydesk_article *article_alloc(const copydesk_alloc *alc) {
  copydesk_article *a = cd_malloc(alc, sizeof *a);
  if (a == NULL) return NULL;
  memset(a, 0, sizeof *a);
  a->format = COPYDESK_FORMAT_PLAIN;
  a->meta.type = COPYDESK_MAP;
  a->body_line = 1;
  a->alc = alc;
  return a;
}

static copydesk_code nomem(copydesk_err *err) {
  return cd_fail(err, COPYDESK_ERR_NOMEM, NULL, NULL, NULL, 0, 0);
}

static copydesk_code take_body(copydesk_article *a, const char *s, size_t len, size_t pos) {
  a->body = cd_strndup(a->alc, s + pos, len - pos);
  if (a->body == NULL) return COPYDESK_ERR_NOMEM;
  a->body_len = len - pos;
  return COPYDESK_OK;
}

/* `open` is the offset of the opening `---`, `yaml` that of the line after it. */
static copydesk_code parse_front_matter(copydesk_article *a, const char *s, size_t len,
                                        size_t open, size_t yaml, size_t max_depth,
                                        copydesk_err *err) {
  size_t i, body;
  copydesk_code rc;
  for (i = yaml; i < len; i = next_line(s, len, i))
    if (marker_line(s, len, i, "---", &body) || marker_line(s, len, i, "...", &body)) break;
  if (i >= len)
    return cd_fail(err, COPYDESK_ERR_UNCLOSED, NULL, "front matter", s, len, open);
  rc = cd_yaml_parse(s, len, yaml, i - yaml, max_depth, a->alc, &a->meta, err);
  if (rc != COPYDESK_OK) return rc;
  a->format = COPYDESK_FORMAT_FRONT_MATTER;
  a->body_line = count_lines(s, i) + 1;
  return take_body(a, s, len, body);
}

static copydesk_code parse_dated(copydesk_article *a, const char *s, size_t len, size_t date,
                                 size_t body, size_t body_line) {
  copydesk_value *v = copydesk_map_push(&a->meta, "date", 4, a->alc);
  if (v == NULL || copydesk_value_set_string(v, s + date, DATE_LEN, a->alc) != COPYDESK_OK)
    return COPYDESK_ERR_NOMEM;
  a->format = COPYDESK_FORMAT_DATED;
  a->body_line = body_line;
  return take_body(a, s, len, body);
}

static copydesk_code parse_into(copydesk_article *a, const char *s, size_t len,
                                size_t max_depth, copydesk_err *err) {
  size_t start = bom_len(s, len), yaml, date, body, body_line;
  if (marker_line(s, len, start, "---", &yaml) == 1)
    return parse_front_matter(a, s, len, start, yaml, max_depth, err);
  if (dated_line(s, len, start, &date, &body, &body_line))
    return parse_dated(a, s, len, date, body, body_line);
  return take_body(a, s, len, 0);
}

copydesk_code copydesk_article_parse(const char *s, size_t len, const copydesk_parse_opts *opts,
                                     const copydesk_alloc *alc, copydesk_article **out,
                                     copydesk_err *err) {
  copydesk_parse_opts none = {0, 0};
  copydesk_article *a;
  copydesk_code rc;
  if (out == NULL || (s == NULL && len > 0))
    return cd_fail(err, COPYDESK_ERR_INVALID, NULL, NULL, NULL, 0, 0);
  *out = NULL;
  if (s == NULL) s = "";
  if (opts == NULL) opts = &none;
  if (opts->max_len && len > opts->max_len)
    return cd_fail(err, COPYDESK_ERR_TOO_LARGE, NULL, NULL, s, len, opts->max_len);
  if ((a = article_alloc(alc)) == NULL) return nomem(err);
  rc = parse_into(a, s, len, opts->max_depth, err);
  if (rc != COPYDESK_OK) {
    copydesk_article_free(a);
    return rc == COPYDESK_ERR_NOMEM ? nomem(err) : rc;
  }
  cd_ok(err);
  *out = a;
  return COPYDESK_OK;
}

copydesk_article *copydesk_article_new(const copydesk_alloc *alc) {
  copydesk_article *a = article_alloc(alc);
  if (a == NULL) return NULL;
  if (take_body(a, "", 0, 0) != COPYDESK_OK) {
    cd_free(alc, a, sizeof *a);
    return NULL;
  }
  return a;
}

copydesk_code copydesk_article_set_body(copydesk_article *a, const char *s, size_t len) {
  char *copy;
  if (a == NULL || (s == NULL && len > 0)) return COPYDESK_ERR_INVALID;
  copy = cd_strndup(a->alc, s, len);
  if (copy == NULL) return COPYDESK_ERR_NOMEM;
  cd_free(a->alc, a->body, a->body_len + 1);
  a->body = copy;
  a->body_len = len;
  return COPYDESK_OK;
}

void copydesk_article_free(copydesk_article *a) {
  if (a == NULL) return;
  copydesk_value_clear(&a->meta, a->alc);
  cd_free(a->alc, a->body, a->body_len + 1);
  cd_free(a->alc, a, sizeof *a);
}

/* ---- Rendering -------------------------------------------------------------------------- */

/* The body's length without its trailing newlines. */
static size_t trimmed_len(const char *s, size_t len) {
  while (len > 0 && s[len - 1] == '\n') len--;
  return len;
}

/* Appends the body ending in exactly one newline (trailing newlines folded); nothing if the
** body is empty or only newlines. */
static copydesk_code put_body_line(copydesk_buf *out, const char *s, size_t len) {
  copydesk_code rc;
  len = trimmed_len(s, len);
  if (len == 0) return COPYDESK_OK;
  rc = copydesk_buf_append(out, s, len);
  return rc == COPYDESK_OK ? cd_buf_putc(out, '\n') : rc;
}

/* The body of an article without meta: written alone, unless as written it starts like a header;
** then an empty front matter goes before it, so that parsing the output gives this article back.
** The written body is what is tested, since its added newline can complete a header line ("---"
** and "---\r" at the end of a body become marker lines). */
static copydesk_code put_bare_body(copydesk_buf *out, const char *s, size_t len) {
  size_t start = out->len;
  copydesk_code rc = put_body_line(out, s, len);
  if (rc != COPYDESK_OK || out->len == start || !has_header(out->data + start, out->len - start))
    return rc;
  rc = copydesk_buf_reserve(out, 8);
  if (rc != COPYDESK_OK) return rc;
  memmove(out->data + start + 8, out->data + start, out->len - start + 1);
  memcpy(out->data + start, "---\n---\n", 8);
  out->len += 8;
  return COPYDESK_OK;
}

static copydesk_code render_front_matter(const copydesk_article *a, copydesk_buf *out,
                                         copydesk_err *err) {
  copydesk_code rc;
  if (a->meta.u.map.n == 0) return put_bare_body(out, a->body, a->body_len);
  rc = copydesk_buf_append(out, "---\n", 4);
  if (rc == COPYDESK_OK) rc = cd_yaml_emit(&a->meta, out, err);
  if (rc == COPYDESK_OK) rc = copydesk_buf_append(out, "---\n", 4);
  return rc == COPYDESK_OK ? put_body_line(out, a->body, a->body_len) : rc;
}

static copydesk_code render_dated(const copydesk_article *a, copydesk_buf *out,
                                  copydesk_err *err) {
  const copydesk_value *date = copydesk_map_get(&a->meta, "date", 4);
  copydesk_code rc;
  if (a->meta.u.map.n != 1 || date == NULL || date->type != COPYDESK_STRING ||
      !date_shape(date->u.str.s, date->u.str.len))
    return cd_fail(err, COPYDESK_ERR_EMIT, "DATED needs meta holding only a YYYY-MM-DD date",
                   "meta", NULL, 0, 0);
  rc = copydesk_buf_append(out, " date ", 6);
  if (rc == COPYDESK_OK) rc = copydesk_buf_append(out, date->u.str.s, DATE_LEN);
  if (rc == COPYDESK_OK) rc = cd_buf_putc(out, ' ');
  return rc == COPYDESK_OK ? copydesk_buf_append(out, a->body, a->body_len) : rc;
}

static int is_blank_or_break(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The title loses trailing white space: a folded `>` title ends in a newline. Title and body
** are separated by a blank line; either may be missing. */
static copydesk_code render_text(const copydesk_article *a, copydesk_buf *out) {
  const copydesk_value *title = copydesk_map_get(&a->meta, "title", 5);
  copydesk_code rc = COPYDESK_OK;
  size_t n = 0;
  if (title && title->type == COPYDESK_STRING) n = title->u.str.len;
  while (n > 0 && is_blank_or_break(title->u.str.s[n - 1])) n--;
  if (n > 0) {
    rc = copydesk_buf_append(out, title->u.str.s, n);
    if (rc == COPYDESK_OK) rc = cd_buf_putc(out, '\n');
    if (rc == COPYDESK_OK && trimmed_len(a->body, a->body_len) > 0) rc = cd_buf_putc(out, '\n');
  }
  return rc == COPYDESK_OK ? put_body_line(out, a->body, a->body_len) : rc;
}

static copydesk_code render_format(const copydesk_article *a, copydesk_format format,
                                   copydesk_buf *out, copydesk_err *err) {
  switch (format) {
  case COPYDESK_FORMAT_PLAIN:
    return copydesk_buf_append(out, a->body, a->body_len);
  case COPYDESK_FORMAT_FRONT_MATTER:
    return render_front_matter(a, out, err);
  case COPYDESK_FORMAT_DATED:
    return render_dated(a, out, err);
  case COPYDESK_FORMAT_JSON:
    return cd_json_render(&a->meta, a->body, a->body_len, out, err);
  case COPYDESK_FORMAT_TEXT:
    return render_text(a, out);
  default:
    return cd_fail(err, COPYDESK_ERR_INVALID, "unknown format", NULL, NULL, 0, 0);
  }
}

/* On failure `out` is cut back to its length on entry: no partial article is left behind. */
copydesk_code copydesk_article_render(const copydesk_article *a, copydesk_format format,
                                      copydesk_buf *out, copydesk_err *err) {
  size_t start;
  copydesk_code rc;
  if (a == NULL || out == NULL || a->meta.type != COPYDESK_MAP)
    return cd_fail(err, COPYDESK_ERR_INVALID, NULL, NULL, NULL, 0, 0);
  start = out->len;
  rc = render_format(a, format, out, err);
  if (rc == COPYDESK_OK) {
    cd_ok(err);
    return rc;
  }
  out->len = start;
  if (out->data) out->data[start] = '\0';
  if (rc == COPYDESK_ERR_NOMEM || rc == COPYDESK_ERR_OVERFLOW) cd_fail(err, rc, NULL, NULL, NULL,
                                                                       0, 0);
  return rc;
}
