/* boilerplate.c: removes lines of site furniture ("Advertisement", "Share this article") that
** scrapers leave between an article's paragraphs. */
#include "clean_internal.h"

#define BOILERPLATE_CONTEXT "clean_boilerplate"

/* Longest trimmed line worth comparing, in bytes: longer lines are prose (cheap rejection). */
#define FURNITURE_MAX_LEN 64

typedef struct furniture {
  const char *text; /* lower-case ASCII letters; a space matches any run of white space */
  size_t len;
} furniture;

#define FURNITURE(s) {s, sizeof s - 1}

/* Lines that are site furniture when they stand alone on a line. A line matches when, after
** dropping surrounding white space and trailing punctuation (see trailing_mark), it spells one
** of these ignoring ASCII case: so "ADVERTISEMENT", "Advertisement:" and "Read more ..." all
** match, while "Advertisement for the new film was shown." does not. Non-ASCII letters must
** match exactly ("Publicité", not "PUBLICITÉ"). Add entries here, lower case. */
static const furniture furniture_lines[] = {
  FURNITURE("advertisement"),
  FURNITURE("advertisements"),
  FURNITURE("sponsored"),
  FURNITURE("sponsored content"),
  FURNITURE("scroll down for video"),
  FURNITURE("share this article"),
  FURNITURE("share"),
  FURNITURE("related articles"),
  FURNITURE("read more"),
  FURNITURE("continue reading"),
  FURNITURE("story continues below"),
  FURNITURE("click here to subscribe"),
  FURNITURE("sign up for our newsletter"),
  FURNITURE("subscribe to our newsletter"),
  FURNITURE("publicidad"),           /* es */
  FURNITURE("anuncio"),              /* es, pt */
  FURNITURE("anzeige"),              /* de */
  FURNITURE("werbung"),              /* de */
  FURNITURE("publicit\xC3\xA9"),     /* fr: Publicité */
  FURNITURE("pubblicit\xC3\xA0"),    /* it: Pubblicità */
  FURNITURE("reclame"),              /* nl */
  FURNITURE("advertentie"),          /* nl */
  FURNITURE("reklama"),              /* pl, cs, ... */
};

/* Punctuation and arrows that may trail a furniture line ("Read more »", "Advertisement:"). */
static int trailing_mark(uint32_t cp) {
  switch (cp) {
  case '.': case ',': case ':': case ';': case '!': case '?': case '-': case '>': case '|':
  case 0x2013: case 0x2014: /* en and em dash */
  case 0x2026:              /* horizontal ellipsis */
  case 0x00BB: case 0x203A: /* right-pointing guillemets */
  case 0x2192:              /* rightwards arrow */
    return 1;
  default:
    return 0;
  }
}

static unsigned char ascii_lower(unsigned char c) {
  return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Whether s[a, b) spells `f`, ignoring ASCII case. Each byte of the line is looked at once, so
** the test costs O(f->len + b - a). */
static int spells(const char *s, size_t a, size_t b, const furniture *f) {
  size_t i = a, k, n;
  for (k = 0; k < f->len; k++) {
    if (i >= b) return 0;
    if (f->text[k] == ' ') {
      if ((n = cd_space_len(s + i, b - i)) == 0) return 0;
      while (n > 0) {
        i += n;
        n = i < b ? cd_space_len(s + i, b - i) : 0;
      }
    } else if (ascii_lower((unsigned char)s[i++]) != (unsigned char)f->text[k]) {
      return 0;
    }
  }
  return i == b;
}

/* Whether line s[a, b) (no newline) is furniture on its own. */
static int is_furniture(const char *s, size_t a, size_t b) {
  size_t i, n;
  uint32_t cp;
  cd_trim_space(s, &a, &b);
  while ((n = cd_prev_cp(s, a, b, &cp)) > 0 && (trailing_mark(cp) || cd_is_space(cp))) b -= n;
  if (a == b || b - a > FURNITURE_MAX_LEN) return 0;
  for (i = 0; i < sizeof furniture_lines / sizeof furniture_lines[0]; i++)
    if (spells(s, a, b, &furniture_lines[i])) return 1;
  return 0;
}

/* One pass over the lines, O(len) (each line short enough to compare is compared with every
** entry). Kept text is copied in runs between removed lines. Removing a line that stood between
** two blank lines leaves two blank lines next to each other: copydesk_clean_space folds them, so
** this step does not look at its neighbours. On failure `out` and `edits` keep their length. */
copydesk_code copydesk_clean_boilerplate(const char *s, size_t len, copydesk_buf *out,
                                         copydesk_edits *edits, copydesk_err *err) {
  copydesk_code rc = COPYDESK_OK;
  size_t out0, edits0, line, next, end, kept = 0;
  if (out == NULL || (s == NULL && len > 0))
    return cd_fail(err, COPYDESK_ERR_INVALID, NULL, BOILERPLATE_CONTEXT, NULL, 0, 0);
  out0 = out->len;
  edits0 = edits ? edits->n : 0;
  for (line = 0; line < len && rc == COPYDESK_OK; line = next) {
    next = cd_line_next(s, len, line, &end);
    if (!is_furniture(s, line, end)) continue;
    if (line > kept) rc = copydesk_buf_append(out, s + kept, line - kept);
    if (rc == COPYDESK_OK)
      rc = cd_edits_push(edits, line, next - line, COPYDESK_REASON_BOILERPLATE);
    kept = next;
  }
  if (rc == COPYDESK_OK && kept < len) rc = copydesk_buf_append(out, s + kept, len - kept);
  if (rc != COPYDESK_OK) {
    out->len = out0;
    if (out->data) out->data[out0] = '\0';
    if (edits) edits->n = edits0;
    return cd_fail(err, rc, NULL, BOILERPLATE_CONTEXT, NULL, 0, 0);
  }
  cd_ok(err);
  return COPYDESK_OK;
}
