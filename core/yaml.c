/* yaml.c: front matter <-> copydesk_value, the only file that includes <yaml.h>.
**
** Reading pulls libyaml's events (yaml_parser_parse) and builds values with an explicit stack,
** so nesting costs heap, not C stack, and is bounded by max_depth (Debian's libyaml 0.2.5 has no
** limit of its own). Aliases are refused, never expanded, so a "billion laughs" document cannot
** blow up. Plain scalars are typed by the YAML 1.2 core schema; quoted and block scalars, and
** scalars with an explicit tag, are strings. Keys are the scalar's text, whatever it looks like.
**
** Writing feeds libyaml's emitter events; strings that the core schema would read as another
** type are quoted, so reading the output back gives the same types and values. */
#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "article_internal.h"

#define DEFAULT_MAX_DEPTH 64
#define CONTEXT "front matter"

/* ---- The YAML 1.2 core schema for plain scalars ---------------------------------------- */

static int word_is(const char *s, size_t len, const char *w) {
  return strlen(w) == len && memcmp(s, w, len) == 0;
}

/* True when s[0..len) is one of the zero-terminated words of the list, which ends with NULL. */
static int word_in(const char *s, size_t len, const char *const *words) {
  for (; *words; words++)
    if (word_is(s, len, *words)) return 1;
  return 0;
}

static const char *const null_words[] = {"~", "null", "Null", "NULL", NULL};
static const char *const true_words[] = {"true", "True", "TRUE", NULL};
static const char *const false_words[] = {"false", "False", "FALSE", NULL};
static const char *const inf_words[] = {".inf", ".Inf", ".INF", NULL};
static const char *const nan_words[] = {".nan", ".NaN", ".NAN", NULL};
/* YAML 1.1 booleans: plain strings for us, but quoted on output so that 1.1 readers (many static
** site generators) do not turn a title "Yes" into true. */
static const char *const yaml11_bool_words[] = {"y", "Y", "yes", "Yes", "YES", "n", "N", "no",
                                                "No", "NO", "on", "On", "ON", "off", "Off",
                                                "OFF", NULL};

/* Length of the run at s[i..len) of bytes from `set`. */
static size_t span(const char *s, size_t len, size_t i, const char *set) {
  size_t n = 0;
  while (i + n < len && s[i + n] != '\0' && strchr(set, s[i + n])) n++;
  return n;
}

#define DEC "0123456789"
#define OCT "01234567"
#define HEX "0123456789abcdefABCDEF"

static int has_prefix(const char *s, size_t len, const char *p) {
  size_t n = strlen(p);
  return len >= n && memcmp(s, p, n) == 0;
}

/* [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+; *base gets 10, 8 or 16 and *skip the prefix length. */
static int int_syntax(const char *s, size_t len, int *base, size_t *skip) {
  size_t i = 0;
  if (has_prefix(s, len, "0o") || has_prefix(s, len, "0x")) {
    *base = s[1] == 'o' ? 8 : 16;
    *skip = 2;
    return len > 2 && span(s, len, 2, *base == 8 ? OCT : HEX) == len - 2;
  }
  if (len && (s[0] == '-' || s[0] == '+')) i = 1;
  *base = 10;
  *skip = 0;
  return len > i && span(s, len, i, DEC) == len - i;
}

/* [-+]? ( \.[0-9]+ | [0-9]+ ( \.[0-9]* )? ) ( [eE] [-+]? [0-9]+ )? */
static int float_syntax(const char *s, size_t len) {
  size_t i = 0, whole, frac = 0, exp;
  if (len && (s[0] == '-' || s[0] == '+')) i++;
  whole = span(s, len, i, DEC);
  i += whole;
  if (i < len && s[i] == '.') {
    frac = span(s, len, ++i, DEC);
    i += frac;
  }
  if (whole == 0 && frac == 0) return 0;
  if (i < len && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < len && (s[i] == '-' || s[i] == '+')) i++;
    exp = span(s, len, i, DEC);
    if (exp == 0) return 0;
    i += exp;
  }
  return i == len;
}

static int special_float(const char *s, size_t len) {
  if (len && (s[0] == '-' || s[0] == '+') && word_in(s + 1, len - 1, inf_words)) return 1;
  return word_in(s, len, inf_words) || word_in(s, len, nan_words);
}

/* The type the core schema gives plain scalar s[0..len), by its shape alone (an int too large
** for int64 still says INT here). */
static copydesk_type plain_shape(const char *s, size_t len) {
  int base;
  size_t skip;
  if (len == 0 || word_in(s, len, null_words)) return COPYDESK_NULL;
  if (word_in(s, len, true_words) || word_in(s, len, false_words)) return COPYDESK_BOOL;
  if (int_syntax(s, len, &base, &skip)) return COPYDESK_INT;
  if (float_syntax(s, len) || special_float(s, len)) return COPYDESK_FLOAT;
  return COPYDESK_STRING;
}

/* Reads an int already checked by int_syntax; returns 0 when it does not fit int64_t. */
static int int_value(const char *s, size_t len, int64_t *out) {
  int base, neg = s[0] == '-';
  size_t i, skip;
  uint64_t v = 0, limit;
  int_syntax(s, len, &base, &skip);
  if (base == 10 && (s[0] == '-' || s[0] == '+')) skip = 1;
  limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
  for (i = skip; i < len; i++) {
    unsigned d = (unsigned)(strchr(HEX, s[i]) - HEX);
    if (d >= 16) d -= 6; /* 'A'..'F' sit after 'a'..'f' in HEX */
    if (v > (limit - d) / (unsigned)base) return 0;
    v = v * (unsigned)base + d;
  }
  if (!neg) *out = (int64_t)v;
  else *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
  return 1;
}

/* The decimal point of the C library's current locale: strtod and printf follow it. */
static const char *locale_point(void) {
  const char *p = localeconv()->decimal_point;
  return p && *p ? p : ".";
}

/* Reads a float checked by float_syntax or special_float. `s` is zero-terminated (libyaml's
** scalar). strtod follows the locale, so under a locale whose point is not '.' the text is
** copied with the point swapped, as Lua's l_str2d does. */
static copydesk_code float_value(const char *s, size_t len, const copydesk_alloc *alc,
                                 double *out) {
  const char *point = locale_point(), *dot;
  size_t plen = strlen(point);
  char *copy;
  if (special_float(s, len)) {
    *out = s[len - 1] == 'n' || s[len - 1] == 'N' ? NAN : s[0] == '-' ? -HUGE_VAL : HUGE_VAL;
    return COPYDESK_OK;
  }
  dot = memchr(s, '.', len);
  if (dot == NULL || strcmp(point, ".") == 0) {
    *out = strtod(s, NULL);
    return COPYDESK_OK;
  }
  copy = cd_malloc(alc, len + plen);
  if (copy == NULL) return COPYDESK_ERR_NOMEM;
  memcpy(copy, s, (size_t)(dot - s));
  memcpy(copy + (dot - s), point, plen);
  memcpy(copy + (dot - s) + plen, dot + 1, len - (size_t)(dot - s)); /* with the zero */
  *out = strtod(copy, NULL);
  cd_free(alc, copy, len + plen);
  return COPYDESK_OK;
}

/* ---- Reading: events -> values --------------------------------------------------------- */

typedef struct frame {
  copydesk_value *v;    /* the open LIST or MAP */
  copydesk_value *slot; /* MAP only: the value slot of the key just read, NULL between pairs */
} frame;

typedef struct reader {
  const char *file;
  size_t file_len, off, len; /* the YAML text is file[off..off+len) */
  size_t max_depth;
  const copydesk_alloc *alc;
  copydesk_value *root;
  frame *stack;
  size_t depth, cap;
  int documents;
  copydesk_err *err;
} reader;

/* libyaml's marks count characters, not bytes (and its lines break at U+2028 and lone CRs too),
** so the byte offset is found by walking `index` UTF-8 sequences of the (already validated)
** text. Only error paths call this. */
static size_t mark_pos(const reader *r, size_t index) {
  const unsigned char *p = (const unsigned char *)r->file + r->off;
  size_t i = 0;
  while (i < r->len && index > 0) {
    i++;
    while (i < r->len && (p[i] & 0xC0) == 0x80) i++;
    index--;
  }
  return r->off + i;
}

static copydesk_code fail_at(reader *r, copydesk_code code, const char *msg, const char *context,
                             size_t index) {
  return cd_fail(r->err, code, msg, context, r->file, r->file_len, mark_pos(r, index));
}

/* libyaml's problem and context strings are literals in the library, so keeping the pointers
** in *err is safe. Reader errors (bad bytes) carry a byte offset, the others a mark. */
static copydesk_code libyaml_fail(reader *r, const yaml_parser_t *p) {
  const char *problem = p->problem ? p->problem : copydesk_strerror(COPYDESK_ERR_YAML);
  const char *context = p->context ? p->context : "";
  switch (p->error) {
  case YAML_MEMORY_ERROR:
    return cd_fail(r->err, COPYDESK_ERR_NOMEM, NULL, NULL, NULL, 0, 0);
  case YAML_READER_ERROR:
    return cd_fail(r->err, COPYDESK_ERR_YAML, problem, context, r->file, r->file_len,
                   r->off + p->problem_offset);
  default:
    return fail_at(r, COPYDESK_ERR_YAML, problem, context, p->problem_mark.index);
  }
}

static copydesk_code set_scalar(reader *r, copydesk_value *v, const yaml_event_t *ev) {
  const char *s = (const char *)ev->data.scalar.value;
  size_t len = ev->data.scalar.length;
  int plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && ev->data.scalar.tag == NULL;
  switch (plain ? plain_shape(s, len) : COPYDESK_STRING) {
  case COPYDESK_NULL:
    v->type = COPYDESK_NULL;
    return COPYDESK_OK;
  case COPYDESK_BOOL:
    v->type = COPYDESK_BOOL;
    v->u.boolean = word_in(s, len, true_words);
    return COPYDESK_OK;
  case COPYDESK_INT:
    if (int_value(s, len, &v->u.integer)) {
      v->type = COPYDESK_INT;
      return COPYDESK_OK;
    }
    break; /* too large for int64: kept as the string it is */
  case COPYDESK_FLOAT:
    v->type = COPYDESK_FLOAT;
    return float_value(s, len, r->alc, &v->u.number);
  default:
    break;
  }
  return copydesk_value_set_string(v, s, len, r->alc);
}

static copydesk_code open_collection(reader *r, copydesk_value *v, copydesk_type type,
                                     const yaml_event_t *ev) {
  if (r->depth >= r->max_depth)
    return fail_at(r, COPYDESK_ERR_DEPTH, NULL, CONTEXT, ev->start_mark.index);
  if (r->depth == r->cap) {
    size_t ncap = r->cap ? r->cap * 2 : 8;
    frame *p = cd_realloc(r->alc, r->stack, r->cap * sizeof *p, ncap * sizeof *p);
    if (p == NULL) return COPYDESK_ERR_NOMEM;
    r->stack = p;
    r->cap = ncap;
  }
  v->type = type;
  r->stack[r->depth].v = v;
  r->stack[r->depth].slot = NULL;
  r->depth++;
  return COPYDESK_OK;
}

/* Fills `v` from a node's first event: a scalar, or the start of a collection. */
static copydesk_code fill(reader *r, copydesk_value *v, const yaml_event_t *ev) {
  if (ev->type == YAML_SCALAR_EVENT) return set_scalar(r, v, ev);
  return open_collection(r, v, ev->type == YAML_MAPPING_START_EVENT ? COPYDESK_MAP : COPYDESK_LIST,
                         ev);
}

/* A node's first event: where it goes depends on what is open (nothing, a list, a map waiting
** for a key, a map waiting for a value). Pointers on the stack stay valid because only the
** innermost open collection ever grows. */
static copydesk_code on_node(reader *r, const yaml_event_t *ev) {
  frame *top;
  copydesk_value *slot;
  if (r->depth == 0) {
    if (ev->type != YAML_MAPPING_START_EVENT)
      return fail_at(r, COPYDESK_ERR_NOT_MAPPING, NULL, CONTEXT, ev->start_mark.index);
    return open_collection(r, r->root, COPYDESK_MAP, ev);
  }
  top = &r->stack[r->depth - 1];
  if (top->v->type == COPYDESK_LIST) {
    slot = copydesk_list_push(top->v, r->alc);
    return slot ? fill(r, slot, ev) : COPYDESK_ERR_NOMEM;
  }
  if (top->slot) {
    slot = top->slot;
    top->slot = NULL;
    return fill(r, slot, ev);
  }
  if (ev->type != YAML_SCALAR_EVENT)
    return fail_at(r, COPYDESK_ERR_YAML, "a mapping key must be a scalar", CONTEXT,
                   ev->start_mark.index);
  top->slot = copydesk_map_push(top->v, (const char *)ev->data.scalar.value,
                                ev->data.scalar.length, r->alc);
  return top->slot ? COPYDESK_OK : COPYDESK_ERR_NOMEM;
}

static copydesk_code on_event(reader *r, const yaml_event_t *ev) {
  switch (ev->type) {
  case YAML_DOCUMENT_START_EVENT:
    if (++r->documents > 1)
      return fail_at(r, COPYDESK_ERR_YAML, "more than one YAML document", CONTEXT,
                     ev->start_mark.index);
    return COPYDESK_OK;
  case YAML_ALIAS_EVENT:
    return fail_at(r, COPYDESK_ERR_ALIAS, NULL, CONTEXT, ev->start_mark.index);
  case YAML_SCALAR_EVENT:
  case YAML_SEQUENCE_START_EVENT:
  case YAML_MAPPING_START_EVENT:
    return on_node(r, ev);
  case YAML_SEQUENCE_END_EVENT:
  case YAML_MAPPING_END_EVENT:
    r->depth--;
    return COPYDESK_OK;
  default:
    return COPYDESK_OK;
  }
}

static copydesk_code read_events(reader *r) {
  yaml_parser_t parser;
  yaml_event_t ev;
  copydesk_code rc;
  int done;
  if (!yaml_parser_initialize(&parser)) return COPYDESK_ERR_NOMEM;
  yaml_parser_set_input_string(&parser, (const unsigned char *)r->file + r->off, r->len);
  yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
  do {
    if (!yaml_parser_parse(&parser, &ev)) {
      rc = libyaml_fail(r, &parser);
      break;
    }
    rc = on_event(r, &ev);
    done = ev.type == YAML_STREAM_END_EVENT;
    yaml_event_delete(&ev);
  } while (rc == COPYDESK_OK && !done);
  yaml_parser_delete(&parser);
  return rc;
}

copydesk_code cd_yaml_parse(const char *file, size_t file_len, size_t off, size_t len,
                            size_t max_depth, const copydesk_alloc *alc, copydesk_value *out,
                            copydesk_err *err) {
  reader r;
  copydesk_code rc;
  const char *zero;
  size_t bad;
  memset(out, 0, sizeof *out);
  if (!copydesk_utf8_valid(file + off, len, &bad))
    return cd_fail(err, COPYDESK_ERR_UTF8, "invalid UTF-8 in front matter", CONTEXT, file,
                   file_len, off + bad);
  zero = memchr(file + off, '\0', len);
  if (zero) /* libyaml's scanner would take it for the end of the text and drop the rest */
    return cd_fail(err, COPYDESK_ERR_YAML, "zero byte in front matter", CONTEXT, file, file_len,
                   (size_t)(zero - file));
  memset(&r, 0, sizeof r);
  r.file = file;
  r.file_len = file_len;
  r.off = off;
  r.len = len;
  r.max_depth = max_depth ? max_depth : DEFAULT_MAX_DEPTH;
  r.alc = alc;
  r.root = out;
  r.err = err;
  out->type = COPYDESK_MAP; /* stays empty when the text holds no document */
  rc = read_events(&r);
  cd_free(alc, r.stack, r.cap * sizeof *r.stack);
  if (rc == COPYDESK_ERR_NOMEM) cd_fail(err, rc, NULL, NULL, NULL, 0, 0);
  if (rc != COPYDESK_OK) copydesk_value_clear(out, alc);
  return rc;
}

/* ---- Writing: values -> events --------------------------------------------------------- */

typedef struct writer {
  yaml_emitter_t emitter;
  copydesk_buf *out;
  copydesk_code write_rc; /* why the output handler refused, if it did */
  copydesk_err *err;
} writer;

static int write_handler(void *data, unsigned char *bytes, size_t size) {
  writer *w = data;
  w->write_rc = copydesk_buf_append(w->out, (const char *)bytes, size);
  return w->write_rc == COPYDESK_OK;
}

/* Emits an event made by one of libyaml's *_event_initialize calls (`made` is its result: 0
** means it could not allocate). The emitter owns the event from here, even when it fails. */
static copydesk_code emit(writer *w, int made, yaml_event_t *ev) {
  if (!made) return COPYDESK_ERR_NOMEM;
  if (yaml_emitter_emit(&w->emitter, ev)) return COPYDESK_OK;
  if (w->write_rc != COPYDESK_OK) return w->write_rc;
  if (w->emitter.error == YAML_MEMORY_ERROR) return COPYDESK_ERR_NOMEM;
  return cd_fail(w->err, COPYDESK_ERR_EMIT, w->emitter.problem, CONTEXT, NULL, 0, 0);
}

static copydesk_code emit_plain(writer *w, const char *s, size_t len) {
  yaml_event_t ev;
  return emit(w, yaml_scalar_event_initialize(&ev, NULL, NULL, (const yaml_char_t *)s, (int)len,
                                              1, 0, YAML_PLAIN_SCALAR_STYLE), &ev);
}

/* A string (value or key): quoted when its plain form would read back as something else; else
** libyaml picks plain or a quoted style (quotes for leading spaces, ": ", line breaks...). */
static copydesk_code emit_string(writer *w, const char *s, size_t len) {
  yaml_event_t ev;
  size_t bad;
  int quote;
  if (!copydesk_utf8_valid(s, len, &bad))
    return cd_fail(w->err, COPYDESK_ERR_UTF8, "invalid UTF-8 in a meta string", CONTEXT, NULL, 0,
                   0);
  if (len > INT_MAX) /* libyaml takes an int */
    return cd_fail(w->err, COPYDESK_ERR_EMIT, "string too long for YAML", CONTEXT, NULL, 0, 0);
  quote = plain_shape(s, len) != COPYDESK_STRING || word_in(s, len, yaml11_bool_words);
  return emit(w, yaml_scalar_event_initialize(&ev, NULL, NULL, (const yaml_char_t *)s, (int)len,
                                              !quote, 1,
                                              quote ? YAML_SINGLE_QUOTED_SCALAR_STYLE
                                                    : YAML_ANY_SCALAR_STYLE), &ev);
}

/* Rewrites the locale's decimal point in buf (zero-terminated) as '.'. */
static void c_point(char *buf) {
  const char *point = locale_point();
  size_t plen = strlen(point);
  char *at;
  if (strcmp(point, ".") == 0 || (at = strstr(buf, point)) == NULL) return;
  *at = '.';
  memmove(at + 1, at + plen, strlen(at + plen) + 1);
}

/* The shortest of %.15g..%.17g that reads back as exactly d, always with a '.' or an exponent
** so it stays a float; .inf, -.inf and .nan as the core schema spells them. */
static void format_float(double d, char *buf, size_t size) {
  int prec;
  if (isnan(d)) {
    snprintf(buf, size, ".nan");
    return;
  }
  if (isinf(d)) {
    snprintf(buf, size, d > 0 ? ".inf" : "-.inf");
    return;
  }
  for (prec = 15; prec < 17; prec++) {
    snprintf(buf, size, "%.*g", prec, d);
    if (strtod(buf, NULL) == d) break;
  }
  if (prec == 17) snprintf(buf, size, "%.17g", d);
  c_point(buf);
  if (strpbrk(buf, ".e") == NULL) strcat(buf, ".0");
}

static copydesk_code emit_value(writer *w, const copydesk_value *v);

static copydesk_code emit_list(writer *w, const copydesk_value *v) {
  yaml_event_t ev;
  copydesk_code rc;
  size_t i;
  rc = emit(w, yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE),
            &ev);
  for (i = 0; rc == COPYDESK_OK && i < v->u.list.n; i++) rc = emit_value(w, &v->u.list.items[i]);
  if (rc != COPYDESK_OK) return rc;
  return emit(w, yaml_sequence_end_event_initialize(&ev), &ev);
}

static copydesk_code emit_map(writer *w, const copydesk_value *v) {
  yaml_event_t ev;
  copydesk_code rc;
  size_t i;
  rc = emit(w, yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE),
            &ev);
  for (i = 0; rc == COPYDESK_OK && i < v->u.map.n; i++) {
    const copydesk_pair *p = &v->u.map.pairs[i];
    rc = emit_string(w, p->key, p->key_len);
    if (rc == COPYDESK_OK) rc = emit_value(w, &p->value);
  }
  if (rc != COPYDESK_OK) return rc;
  return emit(w, yaml_mapping_end_event_initialize(&ev), &ev);
}

/* Recursion follows the value's nesting, which parsing bounds by max_depth. */
static copydesk_code emit_value(writer *w, const copydesk_value *v) {
  char num[64];
  switch (v->type) {
  case COPYDESK_BOOL:
    return emit_plain(w, v->u.boolean ? "true" : "false", v->u.boolean ? 4 : 5);
  case COPYDESK_INT:
    snprintf(num, sizeof num, "%" PRId64, v->u.integer);
    return emit_plain(w, num, strlen(num));
  case COPYDESK_FLOAT:
    format_float(v->u.number, num, sizeof num);
    return emit_plain(w, num, strlen(num));
  case COPYDESK_STRING:
    return emit_string(w, v->u.str.s, v->u.str.len);
  case COPYDESK_LIST:
    return emit_list(w, v);
  case COPYDESK_MAP:
    return emit_map(w, v);
  default:
    return emit_plain(w, "null", 4);
  }
}

static copydesk_code emit_document(writer *w, const copydesk_value *meta) {
  yaml_event_t ev;
  copydesk_code rc;
  rc = emit(w, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING), &ev);
  if (rc == COPYDESK_OK)
    rc = emit(w, yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1), &ev);
  if (rc == COPYDESK_OK) rc = emit_value(w, meta);
  if (rc == COPYDESK_OK) rc = emit(w, yaml_document_end_event_initialize(&ev, 1), &ev);
  if (rc == COPYDESK_OK) rc = emit(w, yaml_stream_end_event_initialize(&ev), &ev);
  return rc;
}

copydesk_code cd_yaml_emit(const copydesk_value *meta, copydesk_buf *out, copydesk_err *err) {
  writer w;
  copydesk_code rc;
  memset(&w, 0, sizeof w);
  if (!yaml_emitter_initialize(&w.emitter)) return cd_fail(err, COPYDESK_ERR_NOMEM, NULL, NULL,
                                                           NULL, 0, 0);
  w.out = out;
  w.err = err;
  yaml_emitter_set_output(&w.emitter, write_handler, &w);
  yaml_emitter_set_unicode(&w.emitter, 1);
  yaml_emitter_set_width(&w.emitter, -1); /* never fold a long title */
  yaml_emitter_set_break(&w.emitter, YAML_LN_BREAK);
  rc = emit_document(&w, meta);
  yaml_emitter_delete(&w.emitter);
  if (rc == COPYDESK_ERR_NOMEM || rc == COPYDESK_ERR_OVERFLOW) cd_fail(err, rc, NULL, NULL, NULL,
                                                                       0, 0);
  return rc;
}
