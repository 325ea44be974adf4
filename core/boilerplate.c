/* boilerplate.c: removes lines of site furniture ("Advertisement", "Share this article"), sign-up
** prompts and photo credits that scrapers leave between an article's paragraphs. */
#include <string.h>
#include <utf8proc.h>

#include "clean_internal.h"

#define BOILERPLATE_CONTEXT "clean_boilerplate"

/* Longest line worth comparing, in bytes: longer lines are prose (a cheap rejection that also
** bounds the glob matcher's work per line). */
#define LINE_MAX_LEN 100

/* Lines that are boilerplate when they stand alone, in normal form (see line_form): lower case,
** one space between words, no surrounding brackets or trailing punctuation; `*` matches any run.
** Entries with `*` are prefixes or suffixes that only boilerplate starts or ends with. */
static const char *const builtin[] = {
  /* advertising markers */
  "advertisement", "advertisements", "advert", "sponsored", "sponsored content", "paid content",
  "promoted", "promoted content", "skip advertisement", "publicidad", "anuncio", "publicidade",
  "anzeige", "werbung", "publicit\xC3\xA9", "pubblicit\xC3\xA0", "reclame", "advertentie",
  "reklama", "annons", "annonse", "annonce", "mainos", "\xD1\x80\xD0\xB5\xD0\xBA\xD0\xBB\xD0\xB0\xD0\xBC\xD0\xB0",
  /* navigation and sharing */
  "scroll down for video", "scroll to continue with content", "story continues below",
  "article continues below", "continue reading", "continue reading below", "read more",
  "read more: *", "read more here", "related", "related: *", "related articles",
  "related stories", "related content", "see also: *", "more on this story", "most read",
  "most popular", "recommended", "recommended for you", "you may also like",
  "you might also like", "share this article", "share this story", "share this", "share",
  "share on facebook", "share on twitter", "tweet", "email", "print", "comments",
  "view comments", "click to expand", "back to top", "listen to this article",
  "watch the video", "lee tambi\xC3\xA9n", "leer m\xC3\xA1s", "compartir", "lesen sie auch",
  "mehr zum thema", "weiterlesen", "teilen", "lire aussi", "\xC3\xA0 lire aussi",
  "lire la suite", "partager", "leggi anche", "condividi", "leia mais", "leia tamb\xC3\xA9m",
  "compartilhe", "lees ook", "lees meer", "delen", "czytaj tak\xC5\xBC" "e",
  "czytaj wi\xC4\x99" "cej", "l\xC3\xA4s mer", "l\xC3\xA6s ogs\xC3\xA5",
  /* sign-up prompts */
  "sign up", "sign up now", "subscribe", "subscribe now", "sign up for *newsletter*",
  "sign up to *newsletter*", "sign up for *alerts*", "sign up for *emails*",
  "subscribe to *newsletter*", "subscribe to our *", "join our *newsletter*",
  "newsletter sign up", "newsletter signup", "get our *newsletter*", "enter your email *",
  "already a subscriber? *", "click here to *", "follow us on *",
  "abonnieren sie *newsletter*", "suscr\xC3\xAD" "bete *", "abonnez-vous *",
  /* photo credits */
  "photo: *", "photos: *", "photo credit: *", "photograph: *", "photographs: *", "picture: *",
  "pictures: *", "image: *", "image credit: *", "images: *", "credit: *", "credits: *",
  "foto: *", "fotos: *", "bild: *", "* via getty images", "*/getty images", "getty images",
  "\xC2\xA9 *", "copyright *", "* all rights reserved",
};

#define BUILTIN_N (sizeof builtin / sizeof builtin[0])

const char *copydesk_boilerplate_builtin(size_t i) { return i < BUILTIN_N ? builtin[i] : NULL; }

/* Punctuation and arrows that may trail a boilerplate line ("Read more »", "Advertisement:"). */
static int trailing_mark(uint32_t cp) {
  switch (cp) {
  case '.': case ',': case ':': case ';': case '!': case '?': case '-': case '>': case '|':
  case ')':
  case ']':
  case 0x2013: case 0x2014: /* en and em dash */
  case 0x2026:              /* horizontal ellipsis */
  case 0x00BB: case 0x203A: /* right-pointing guillemets */
  case 0x2192:              /* rightwards arrow */
    return 1;
  default:
    return 0;
  }
}

/* Writes the lower case of the character at s[0..len) to dst (room for 4 bytes); returns the
** bytes written and sets *used to the bytes read (1 for a byte that is not UTF-8). */
static size_t fold_char(const char *s, size_t len, char *dst, size_t *used) {
  unsigned char c = (unsigned char)s[0];
  uint32_t cp;
  *used = 1;
  if (c < 0x80) {
    dst[0] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    return 1;
  }
  if ((*used = cd_utf8_decode((const unsigned char *)s, len, &cp)) == 0) {
    *used = 1;
    dst[0] = (char)c;
    return 1;
  }
  return cd_utf8_encode((uint32_t)utf8proc_tolower((utf8proc_int32_t)cp), dst);
}

/* Writes the normal form of s[a, b) (no newline) to dst (room for LINE_MAX_LEN * 2 bytes: lower
** case may lengthen a character, never double it) and returns its length, or SIZE_MAX when the
** trimmed text is longer than LINE_MAX_LEN (prose). Leading '(' '[' and trailing marks go, so
** "(Photo: AP)" reads "photo: ap" and "Read more \xC2\xBB" reads "read more". */
static size_t line_form(const char *s, size_t a, size_t b, char *dst) {
  size_t n = 0, k, used;
  uint32_t cp;
  int gap = 0;
  cd_trim_space(s, &a, &b);
  while (a < b && (s[a] == '(' || s[a] == '[')) a++;
  while ((k = cd_prev_char(s, a, b, &cp)) > 0 && (trailing_mark(cp) || cd_is_space(cp))) b -= k;
  if (b - a > LINE_MAX_LEN) return SIZE_MAX;
  while (a < b) {
    if (cd_plain_fold[(unsigned char)s[a]] != 0) { /* the usual run of ASCII, copied folded */
      if (gap) dst[n++] = ' ';
      gap = 0;
      cd_map_run(cd_plain_fold, s, &a, b, dst, &n);
      continue;
    }
    if ((k = cd_space_len(s + a, b - a)) > 0) {
      gap = 1;
      a += k;
      continue;
    }
    if (gap) dst[n++] = ' ';
    gap = 0;
    n += fold_char(s + a, b - a, dst + n, &used);
    a += used;
  }
  return n;
}

/* Whether text t[0..tn) matches glob p[0..pn), where '*' matches any run of bytes: the classic
** one-backtrack-point matcher, O(pn * tn) at worst, on lines of at most LINE_MAX_LEN bytes. */
static int glob(const char *p, size_t pn, const char *t, size_t tn) {
  size_t i = 0, j = 0, star = SIZE_MAX, mark = 0;
  while (j < tn) {
    if (i < pn && p[i] == '*') {
      star = i++;
      mark = j;
    } else if (i < pn && p[i] == t[j]) {
      i++;
      j++;
    } else if (star != SIZE_MAX) {
      i = star + 1;
      j = ++mark;
    } else {
      return 0;
    }
  }
  while (i < pn && p[i] == '*') i++;
  return i == pn;
}

/* The built-in patterns' lengths and their literal ends: the bytes before the first '*' and
** after the last (the whole pattern when it has none). Measured once per call: a static table
** filled lazily would be a data race. */
typedef struct builtin_info {
  unsigned char len[BUILTIN_N], head[BUILTIN_N], tail[BUILTIN_N];
} builtin_info;

static void builtin_measure(builtin_info *bi) {
  size_t i, n;
  for (i = 0; i < BUILTIN_N; i++) {
    const char *p = builtin[i], *first, *last;
    n = strlen(p);
    first = memchr(p, '*', n);
    for (last = p + n; first && last[-1] != '*'; last--) {}
    bi->len[i] = (unsigned char)n;
    bi->head[i] = (unsigned char)(first ? (size_t)(first - p) : n);
    bi->tail[i] = (unsigned char)(first ? (size_t)(p + n - last) : n);
  }
}

/* Whether built-in pattern i may match t[0..tn): its literal ends must be t's ends, which
** rejects nearly every pair before glob runs. */
static int may_match(const builtin_info *bi, size_t i, const char *t, size_t tn) {
  const char *p = builtin[i];
  if (bi->head[i] > 0 && p[0] != t[0]) return 0; /* most pairs differ in their first byte */
  if (bi->head[i] == bi->len[i]) return tn == bi->len[i] && memcmp(p, t, tn) == 0;
  return tn >= bi->head[i] + bi->tail[i] && memcmp(p, t, bi->head[i]) == 0 &&
         memcmp(p + bi->len[i] - bi->tail[i], t + tn - bi->tail[i], bi->tail[i]) == 0;
}

/* The patterns of one call: the built-in list's measures, and the caller's patterns in normal
** form, one after another, each ending in '\n'. */
typedef struct patterns {
  builtin_info builtin;
  char *text;
  size_t len, cap;
} patterns;

static copydesk_code load_patterns(const copydesk_alloc *alc, const copydesk_boilerplate_opts *o,
                                   patterns *ps) {
  size_t line, next, end, n;
  char form[LINE_MAX_LEN * 2];
  if (o == NULL || o->patterns_len == 0) return COPYDESK_OK;
  if (o->patterns_len > SIZE_MAX / 2) return COPYDESK_ERR_OVERFLOW;
  ps->cap = o->patterns_len + o->patterns_len / 2 + 1; /* lower case lengthens by half at most */
  if ((ps->text = cd_malloc(alc, ps->cap)) == NULL) return COPYDESK_ERR_NOMEM;
  for (line = 0; line < o->patterns_len; line = next) {
    next = cd_line_next(o->patterns, o->patterns_len, line, &end);
    n = line_form(o->patterns, line, end, form);
    if (n == 0 || n == SIZE_MAX || form[0] == '#' || ps->len + n + 1 > ps->cap) continue;
    memcpy(ps->text + ps->len, form, n);
    ps->len += n;
    ps->text[ps->len++] = '\n';
  }
  return COPYDESK_OK;
}

static int matches_any(const char *form, size_t n, unsigned flags, const patterns *ps) {
  size_t i, a, e;
  if (!(flags & COPYDESK_BOILERPLATE_NO_BUILTIN))
    for (i = 0; i < BUILTIN_N; i++)
      if (may_match(&ps->builtin, i, form, n) &&
          (ps->builtin.head[i] == n || glob(builtin[i], ps->builtin.len[i], form, n)))
        return 1;
  for (a = 0; a < ps->len; a = e + 1) {
    e = (size_t)((const char *)memchr(ps->text + a, '\n', ps->len - a) - ps->text);
    if ((ps->text[a] == '*' || ps->text[a] == form[0]) && glob(ps->text + a, e - a, form, n))
      return 1;
  }
  return 0;
}

/* Whether line s[a, b) (no newline) is boilerplate on its own. */
static int is_boilerplate(const char *s, size_t a, size_t b, unsigned flags, const patterns *ps) {
  char form[LINE_MAX_LEN * 2];
  size_t n;
  if (b - a > LINE_MAX_LEN * 4) return 0; /* cheap rejection before trimming */
  n = line_form(s, a, b, form);
  return n != 0 && n != SIZE_MAX && matches_any(form, n, flags, ps);
}

static copydesk_code strip(const char *s, size_t len, unsigned flags, const patterns *ps,
                           copydesk_buf *out, copydesk_edits *edits) {
  copydesk_code rc = COPYDESK_OK;
  size_t line, next, end, kept = 0;
  for (line = 0; line < len && rc == COPYDESK_OK; line = next) {
    next = cd_line_next(s, len, line, &end);
    if (!is_boilerplate(s, line, end, flags, ps)) continue;
    if (line > kept) rc = copydesk_buf_append(out, s + kept, line - kept);
    if (rc == COPYDESK_OK)
      rc = cd_edits_push(edits, line, next - line, COPYDESK_REASON_BOILERPLATE);
    kept = next;
  }
  if (rc == COPYDESK_OK && kept < len) rc = copydesk_buf_append(out, s + kept, len - kept);
  return rc;
}

/* One pass over the lines, O(len * patterns) with each comparison bounded by LINE_MAX_LEN. Kept
** text is copied in runs between removed lines. Removing a line that stood between two blank
** lines leaves two blank lines next to each other: copydesk_clean_space folds them, so this step
** does not look at its neighbours. On failure `out` and `edits` keep their length. */
copydesk_code copydesk_clean_boilerplate(const char *s, size_t len, unsigned flags,
                                         const copydesk_boilerplate_opts *opts,
                                         copydesk_buf *out, copydesk_edits *edits,
                                         copydesk_err *err) {
  copydesk_code rc;
  patterns ps;
  size_t out0, edits0;
  if (flags & ~(unsigned)COPYDESK_BOILERPLATE_NO_BUILTIN)
    return cd_fail(err, COPYDESK_ERR_INVALID, "unknown boilerplate flag", BOILERPLATE_CONTEXT,
                   NULL, 0, 0);
  if (out == NULL || (s == NULL && len > 0) ||
      (opts && opts->patterns == NULL && opts->patterns_len > 0))
    return cd_fail(err, COPYDESK_ERR_INVALID, NULL, BOILERPLATE_CONTEXT, NULL, 0, 0);
  out0 = out->len;
  edits0 = edits ? edits->n : 0;
  ps.text = NULL;
  ps.len = ps.cap = 0;
  builtin_measure(&ps.builtin);
  rc = load_patterns(out->alc, opts, &ps);
  if (rc == COPYDESK_OK) rc = strip(s, len, flags, &ps, out, edits);
  cd_free(out->alc, ps.text, ps.cap);
  if (rc != COPYDESK_OK) {
    out->len = out0;
    if (out->data) out->data[out0] = '\0';
    if (edits) edits->n = edits0;
    return cd_fail(err, rc, NULL, BOILERPLATE_CONTEXT, NULL, 0, 0);
  }
  cd_ok(err);
  return COPYDESK_OK;
}
