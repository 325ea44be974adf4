/* glue.c: puts back the breaks a scraper lost when it glued an article's paragraphs together
** ("...franchise.And Tom", "on MondayTom looked", "AdvertisementHe has"). The shapes and the
** traps they must avoid are listed above copydesk_clean_glue in copydesk.h. */
#include <string.h>
#include <utf8proc.h>

#include "clean_internal.h"

#define GLUE_CONTEXT "clean_glue"
#define KEY_WORDS 2 /* words on each side of a seam compared with the body */

/* Words after which a full stop does not end a sentence, lower case. */
static const char *const abbreviations[] = {
  "mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "gen", "sen", "rep", "gov", "lt", "col",
  "capt", "sgt", "rev", "mt", "no", "vs", "etc", "inc", "ltd", "co", "corp", "fig", "vol",
  "dept", "est", "approx", "ft", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
  "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun",
};

/* Capitalised words that start sentences far more often than they end a glued name. */
static const char *const openers[] = {
  "The", "He", "She", "It", "They", "We", "You", "I", "A", "An", "In", "On", "At", "As", "But",
  "And", "Or", "So", "This", "That", "These", "Those", "There", "Their", "His", "Her", "Its",
  "Our", "My", "After", "Before", "When", "While", "If", "However", "Meanwhile", "Now", "Then",
  "Earlier", "Later", "Also",
};
#define OPENER_MAX 9 /* bytes of the longest opener ("Meanwhile"): a longer word is none */

#define COUNT(a) (sizeof a / sizeof a[0])

/* ------------------------------------------------------------------------------------------ */
/* Characters                                                                                  */

/* The code point at s[i] (len > i) and its length; an invalid byte reads as U+FFFD, length 1. */
static size_t cp_at(const char *s, size_t len, size_t i, uint32_t *cp) {
  unsigned char c = (unsigned char)s[i];
  size_t n;
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if ((n = cd_utf8_decode((const unsigned char *)s + i, len - i, cp)) == 0) {
    *cp = 0xFFFD;
    return 1;
  }
  return n;
}

static int is_lower(uint32_t cp) {
  if (cp < 0x80) return cp >= 'a' && cp <= 'z';
  return utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_LL;
}


/* Letters, marks and digits. */
static int is_word(uint32_t cp) {
  utf8proc_category_t cat;
  if (cp < 0x80)
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  cat = utf8proc_category((utf8proc_int32_t)cp);
  return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO;
}

static int is_closing(uint32_t cp) {
  return cp == '\'' || cp == '"' || cp == ')' || cp == 0x2019 || cp == 0x201D;
}

/* ASCII white space: what separates the tokens a URL check looks at. */
static int is_blank(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

/* ------------------------------------------------------------------------------------------ */
/* Words around a seam                                                                         */

/* Hashes, case-folded (ASCII), up to KEY_WORDS words ending at s[end] (reading back no further
** than `start`), the words separated by one space whatever separated them. */
static uint64_t key_back(const char *s, size_t start, size_t end) {
  char buf[128];
  size_t n = sizeof buf, k, words = 0;
  uint32_t cp;
  while (end > start && words < KEY_WORDS) {
    int in = 0;
    while (end > start && (k = cd_prev_char(s, start, end, &cp)) > 0 && !is_word(cp)) end -= k;
    while (end > start && (k = cd_prev_char(s, start, end, &cp)) > 0 && is_word(cp)) {
      if (n < k + 1) return 0;
      n -= k;
      memcpy(buf + n, s + end - k, k);
      if (k == 1 && buf[n] >= 'A' && buf[n] <= 'Z') buf[n] = (char)(buf[n] + 32);
      end -= k;
      in = 1;
    }
    if (!in) break;
    if (++words < KEY_WORDS) buf[--n] = ' ';
  }
  while (n < sizeof buf && buf[n] == ' ') n++;
  return cd_hash64(buf + n, sizeof buf - n);
}

/* The same for up to KEY_WORDS words starting at s[pos]. */
static uint64_t key_fwd(const char *s, size_t len, size_t pos) {
  char buf[128];
  size_t n = 0, k, words = 0;
  uint32_t cp;
  while (pos < len && words < KEY_WORDS) {
    int in = 0;
    while (pos < len && (k = cp_at(s, len, pos, &cp)) > 0 && !is_word(cp)) pos += k;
    while (pos < len && (k = cp_at(s, len, pos, &cp)) > 0 && is_word(cp)) {
      if (n + k + 1 > sizeof buf) return 0;
      memcpy(buf + n, s + pos, k);
      if (k == 1 && buf[n] >= 'A' && buf[n] <= 'Z') buf[n] = (char)(buf[n] + 32);
      n += k;
      pos += k;
      in = 1;
    }
    if (!in) break;
    if (++words < KEY_WORDS) buf[n++] = ' ';
  }
  while (n > 0 && buf[n - 1] == ' ') n--;
  return cd_hash64(buf, n);
}

/* ------------------------------------------------------------------------------------------ */
/* The body's sentence boundaries                                                              */

/* Two sets of hashes: the words that end a line or sentence of the body, and those that start
** one. Open addressing; 0 marks a free slot, so a hash of 0 is stored as 1. They are built when
** a seam first needs them: most texts have none that does, and then the body is never read. */
typedef struct bounds {
  const char *body;
  size_t body_len;
  const copydesk_alloc *alc;
  int built;
  copydesk_code rc; /* of building them; the pass reports it when it ends */
  uint64_t *ends, *starts;
  size_t mask;
} bounds;

static void set_put(uint64_t *set, size_t mask, uint64_t h) {
  size_t i;
  if (h == 0) h = 1;
  for (i = (size_t)h & mask; set[i] && set[i] != h; i = (i + 1) & mask) {}
  set[i] = h;
}

static int set_has(const uint64_t *set, size_t mask, uint64_t h) {
  size_t i;
  if (h == 0) h = 1;
  for (i = (size_t)h & mask; set[i]; i = (i + 1) & mask)
    if (set[i] == h) return 1;
  return 0;
}

/* Whether a sentence ends at s[i] (a '.', '!' or '?'): closing quotes, then white space, then
** an upper-case letter. Sets *next to that letter. */
static int sentence_end(const char *s, size_t len, size_t i, size_t *next) {
  uint32_t cp;
  size_t j = i + 1, k;
  while (j < len && (k = cp_at(s, len, j, &cp)) > 0 && is_closing(cp)) j += k;
  if (j >= len || !is_blank(s[j])) return 0;
  while (j < len && is_blank(s[j])) j++;
  if (j >= len || !cd_is_upper(cp_at(s, len, j, &cp) ? cp : 0)) return 0;
  *next = j;
  return 1;
}

/* Puts into b the words around each boundary of the text: each line's start and end, and each
** sentence end inside a line. Returns the number of boundaries (b NULL: only counts them). */
static size_t each_boundary(const char *s, size_t len, bounds *b) {
  size_t line, next, end, a, i, n = 0, at;
  for (line = 0; line < len; line = next) {
    next = cd_line_next(s, len, line, &end);
    a = line;
    cd_trim_space(s, &a, &end);
    if (a == end) continue;
    n++;
    if (b) {
      set_put(b->starts, b->mask, key_fwd(s, end, a));
      set_put(b->ends, b->mask, key_back(s, a, end));
    }
    for (i = a; i < end; i++) {
      if ((s[i] != '.' && s[i] != '!' && s[i] != '?') || !sentence_end(s, end, i, &at)) continue;
      n++;
      if (b) {
        set_put(b->ends, b->mask, key_back(s, a, i));
        set_put(b->starts, b->mask, key_fwd(s, end, at));
      }
    }
  }
  return n;
}

static copydesk_code bounds_build(bounds *b, const char *body, size_t body_len,
                                  const copydesk_alloc *alc) {
  size_t n = each_boundary(body, body_len, NULL), cap = 8;
  while (cap < n * 2) cap *= 2; /* n <= body_len */
  b->mask = cap - 1;
  b->ends = cd_malloc(alc, cap * sizeof *b->ends);
  b->starts = cd_malloc(alc, cap * sizeof *b->starts);
  if (b->ends == NULL || b->starts == NULL) return COPYDESK_ERR_NOMEM;
  memset(b->ends, 0, cap * sizeof *b->ends);
  memset(b->starts, 0, cap * sizeof *b->starts);
  each_boundary(body, body_len, b);
  return COPYDESK_OK;
}

static void bounds_free(bounds *b, const copydesk_alloc *alc) {
  if (b->ends == NULL && b->starts == NULL) return;
  cd_free(alc, b->ends, (b->mask + 1) * sizeof *b->ends);
  cd_free(alc, b->starts, (b->mask + 1) * sizeof *b->starts);
}

/* ------------------------------------------------------------------------------------------ */
/* Seams                                                                                       */

/* Longest token (run without white space) a URL check reads on each side of a seam. */
#define TOKEN_MAX 256

/* Whether the token around s[p] (the full stop of a "word.Word" seam) is a URL, an e-mail
** address or a path. */
static int in_url(const char *s, size_t len, size_t p) {
  size_t a = p, b = p, i;
  while (a > 0 && p - a < TOKEN_MAX && !is_blank(s[a - 1])) a--;
  while (b < len && b - p < TOKEN_MAX && !is_blank(s[b])) b++;
  for (i = a; i < b; i++) {
    if (s[i] == '@' || s[i] == '/') return 1;
    if (b - i >= 4 && (s[i] == 'w' || s[i] == 'W') && strncmp(s + i, "www.", 4) == 0) return 1;
  }
  return 0;
}

/* Whether the word before the full stop at s[p] makes it no sentence end: an abbreviation, a
** one-letter word (an initial), or a word holding a dot ("U.S", "e.g"). */
static int not_an_end(const char *s, size_t p) {
  size_t w = p, k, letters = 0, i;
  uint32_t cp;
  char low[8];
  while (w > 0 && (k = cd_prev_char(s, 0, w, &cp)) > 0 && (is_word(cp) || cp == '.')) {
    if (cp == '.') return 1; /* decided; stopping here keeps "Ab.Ab.Ab." linear */
    letters++;
    w -= k;
  }
  if (letters <= 1) return 1;
  if (p - w >= sizeof low) return 0;
  for (i = w; i < p; i++) low[i - w] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
  for (i = 0; i < COUNT(abbreviations); i++)
    if (strlen(abbreviations[i]) == p - w && memcmp(abbreviations[i], low, p - w) == 0) return 1;
  return 0;
}

/* Whether a sentence can start at s[j]: an upper-case letter and a lower-case one, or the
** words "I" and "A". */
static int opens_sentence(const char *s, size_t len, size_t j) {
  uint32_t cp, next;
  size_t k = cp_at(s, len, j, &cp);
  if (!cd_is_upper(cp) || j + k >= len) return 0;
  cp_at(s, len, j + k, &next);
  return is_lower(next) || ((cp == 'I' || cp == 'A') && next == ' ');
}

/* Whether the words before s[end] end a line or sentence of the body and those from s[start]
** start one. */
static int in_body(const char *s, size_t len, size_t end, size_t start, bounds *b) {
  if (b->body_len == 0) return 0;
  if (!b->built) {
    b->built = 1;
    b->rc = bounds_build(b, b->body, b->body_len, b->alc);
  }
  return b->rc == COPYDESK_OK && set_has(b->ends, b->mask, key_back(s, 0, end)) &&
         set_has(b->starts, b->mask, key_fwd(s, len, start));
}

/* Whether the upper-case letter at s[i], right after a lower-case one, starts a new sentence:
** see "wordWord" in copydesk.h. */
static int glued_words(const char *s, size_t len, size_t i, bounds *b) {
  size_t w = i, e = i, k, letters = 0, o;
  uint32_t cp, before;
  int inner_capital = 0;
  /* Back over the word, stopping at a capital inside it ("iPhone", "McQuarrie"): that decides,
  ** and keeps "aBaBaB..." linear. */
  while (w > 0 && (k = cd_prev_char(s, 0, w, &cp)) > 0 && is_word(cp)) {
    w -= k;
    letters++;
    if (cd_is_upper(cp) && cd_prev_char(s, 0, w, &before) > 0 && is_word(before)) {
      inner_capital = 1;
      break;
    }
  }
  if (letters >= 3 && !inner_capital) {
    while (e < len && e - i <= OPENER_MAX && (k = cp_at(s, len, e, &cp)) > 0 && is_word(cp))
      e += k;
    for (o = 0; o < COUNT(openers); o++)
      if (strlen(openers[o]) == e - i && memcmp(openers[o], s + i, e - i) == 0) return 1;
  }
  return opens_sentence(s, len, i) && in_body(s, len, i, i, b);
}

/* The position where a seam at s[i] puts its break, or SIZE_MAX when there is none; prev is the
** code point before s[i]. */
static size_t seam(const char *s, size_t len, size_t i, uint32_t cp, uint32_t prev,
                   bounds *b) {
  size_t j, k;
  uint32_t q;
  if (cp == '.' || cp == '!' || cp == '?') {
    for (j = i + 1; j < len && (k = cp_at(s, len, j, &q)) > 0 && is_closing(q); j += k) {}
    if (j >= len || !is_word(prev) || !opens_sentence(s, len, j) || in_url(s, len, i))
      return SIZE_MAX;
    if ((is_lower(prev) || (prev >= '0' && prev <= '9')) && !(cp == '.' && not_an_end(s, i)))
      return j;
    return in_body(s, len, i, j, b) ? j : SIZE_MAX; /* "a BMW.It was": only the body can say */
  }
  if (is_lower(prev) && cd_is_upper(cp) && glued_words(s, len, i, b)) return i;
  return SIZE_MAX;
}

/* The ASCII bytes where seam finds nothing whatever came before: all but the sentence ends and
** the upper-case letters. */
#define QUIET(c) \
  ((c) < 0x80 && (c) != '.' && (c) != '!' && (c) != '?' && !((c) >= 'A' && (c) <= 'Z'))
static const unsigned char quiet[256] = CD_BYTE_TABLE(QUIET);

static copydesk_code split(const char *s, size_t len, bounds *b, unsigned flags,
                           copydesk_buf *out, copydesk_edits *edits) {
  const char *sep = flags & COPYDESK_GLUE_SENTENCES ? " " : "\n\n";
  size_t i = 0, k, at, kept = 0;
  uint32_t cp, prev = 0;
  copydesk_code rc = COPYDESK_OK;
  while (i < len && rc == COPYDESK_OK) {
    unsigned char c = (unsigned char)s[i];
    if (quiet[c] || (c >= 'A' && c <= 'Z' && !is_lower(prev))) {
      /* fast path: a run of ASCII where no seam can be (see seam) */
      while (++i < len && quiet[(unsigned char)s[i]]) {}
      prev = (unsigned char)s[i - 1];
      continue;
    }
    k = cp_at(s, len, i, &cp);
    if ((at = seam(s, len, i, cp, prev, b)) != SIZE_MAX) {
      rc = copydesk_buf_append(out, s + kept, at - kept);
      if (rc == COPYDESK_OK) rc = copydesk_buf_append(out, sep, strlen(sep));
      if (rc == COPYDESK_OK) rc = cd_edits_push(edits, at, 0, COPYDESK_REASON_GLUE);
      kept = at;
    }
    prev = cp;
    i += k;
  }
  if (rc == COPYDESK_OK && kept < len) rc = copydesk_buf_append(out, s + kept, len - kept);
  return rc == COPYDESK_OK ? b->rc : rc;
}

copydesk_code copydesk_clean_glue(const char *s, size_t len, const char *body, size_t body_len,
                                  unsigned flags, copydesk_buf *out, copydesk_edits *edits,
                                  copydesk_err *err) {
  bounds b;
  size_t out0, edits0;
  copydesk_code rc;
  if (flags & ~(unsigned)COPYDESK_GLUE_SENTENCES)
    return cd_fail(err, COPYDESK_ERR_INVALID, "unknown glue flag", GLUE_CONTEXT, NULL, 0, 0);
  if (out == NULL || (s == NULL && len > 0) || (body == NULL && body_len > 0))
    return cd_fail(err, COPYDESK_ERR_INVALID, NULL, GLUE_CONTEXT, NULL, 0, 0);
  out0 = out->len;
  edits0 = edits ? edits->n : 0;
  memset(&b, 0, sizeof b);
  b.body = body;
  b.body_len = body_len;
  b.alc = out->alc;
  rc = split(s, len, &b, flags, out, edits);
  bounds_free(&b, out->alc);
  if (rc != COPYDESK_OK) {
    out->len = out0;
    if (out->data) out->data[out0] = '\0';
    if (edits) edits->n = edits0;
    return cd_fail(err, rc, NULL, GLUE_CONTEXT, NULL, 0, 0);
  }
  cd_ok(err);
  return COPYDESK_OK;
}
