/* sentence.c: English sentence boundaries, tailored for news prose, and the abbreviation lists.
**
** The cursor scans for a terminal mark (. ? ! … and their full-width forms) and then decides,
** from the few words around it, whether a sentence ends there:
**   - a mark must be followed by white space, a closing quote or bracket, or the end, so 3.5,
**     example.com, U.S.A and "word.Next" never split;
**   - a run of marks (?!, ..., ?..) is one terminator, closing quotes and brackets after it
**     (and a French » after a space) belong to the sentence, and so does the white space after;
**   - a lower-case word next continues the sentence ("e.g. apples", "Hi!" she said);
**   - after a period, the word before it decides: a title (Mr., Dr.) never ends a sentence, a
**     number abbreviation (No., pp.) joins a number, a plain abbreviation (U.S., Jan., e.g.),
**     an initial (J.) or an acronym (N.A.S.A.) ends one only before a word that usually starts
**     a sentence (The, He, But...), a final one (Inc., p.m.) before any capitalised word; a list
**     marker (1., a.) opening a sentence never ends it;
**   - after ? or ! in quotes, a speech tag (`"Why?" Harry asked.`) continues the sentence;
**   - a line break ends a sentence (with COPYDESK_SENT_WRAPPED, only a blank line does), so
**     paragraphs never merge.
** The sentences cover the input exactly: each takes the white space after it. */
#include <string.h>

#include "segment_internal.h"
#include "sentence_internal.h"

#define MAX_ABBR 63 /* longest abbreviation, in bytes */

struct copydesk_abbrevs {
  const copydesk_alloc *alc;
  int builtin;   /* also consult cd_abbrevs_builtin */
  cd_abbr *items; /* sorted by bytes; texts owned */
  size_t n, cap;
};

/* ---- abbreviation lists --------------------------------------------------------------- */

/* Byte order; the strings are short, so a loop beats a call to memcmp. */
static int abbr_cmp(const char *a, size_t alen, const char *b, size_t blen) {
  size_t i, n = alen < blen ? alen : blen;
  for (i = 0; i < n; i++)
    if (a[i] != b[i]) return (unsigned char)a[i] < (unsigned char)b[i] ? -1 : 1;
  return alen < blen ? -1 : alen > blen;
}

/* Binary search: the index of key in items, or where it would go (*found = 0). */
static size_t abbr_find(const cd_abbr *items, size_t n, const char *key, size_t klen,
                        int *found) {
  size_t lo = 0, hi = n;
  *found = 0;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = abbr_cmp(items[mid].text, items[mid].len, key, klen);
    if (c == 0) {
      *found = 1;
      return mid;
    }
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* The class of key (without its final period) in the list, or -1. */
static int abbr_class(const copydesk_abbrevs *a, const char *key, size_t klen) {
  int found;
  size_t i;
  if (a && a->n) {
    i = abbr_find(a->items, a->n, key, klen, &found);
    if (found) return a->items[i].cls;
  }
  if (a && !a->builtin) return -1;
  return cd_abbrev_builtin_class(key, klen);
}

int cd_abbrev_builtin_class(const char *key, size_t len) {
  int found;
  size_t i = abbr_find(cd_abbrevs_builtin, cd_abbrevs_builtin_n, key, len, &found);
  return found ? cd_abbrevs_builtin[i].cls : -1;
}

copydesk_code copydesk_abbrevs_new(const copydesk_alloc *alc, unsigned flags,
                                   copydesk_abbrevs **out) {
  copydesk_abbrevs *a;
  if (out == NULL) return COPYDESK_ERR_INVALID;
  *out = NULL;
  if (flags & ~(unsigned)COPYDESK_ABBREVS_NO_BUILTIN) return COPYDESK_ERR_INVALID;
  a = cd_malloc(alc, sizeof *a);
  if (a == NULL) return COPYDESK_ERR_NOMEM;
  memset(a, 0, sizeof *a);
  a->alc = alc;
  a->builtin = !(flags & COPYDESK_ABBREVS_NO_BUILTIN);
  *out = a;
  return COPYDESK_OK;
}

void copydesk_abbrevs_free(copydesk_abbrevs *a) {
  size_t i;
  if (a == NULL) return;
  for (i = 0; i < a->n; i++) cd_free(a->alc, (char *)a->items[i].text, a->items[i].len + 1u);
  cd_free(a->alc, a->items, a->cap * sizeof *a->items);
  cd_free(a->alc, a, sizeof *a);
}

/* Adds or reclassifies one entry (key without its period). */
static copydesk_code abbr_add(copydesk_abbrevs *a, const char *key, size_t klen, int cls) {
  int found;
  size_t i = abbr_find(a->items, a->n, key, klen, &found);
  char *text;
  if (found) {
    a->items[i].cls = (unsigned char)cls;
    return COPYDESK_OK;
  }
  if (a->n == a->cap) {
    size_t cap = a->cap ? a->cap * 2 : 16;
    cd_abbr *p = cd_realloc(a->alc, a->items, a->cap * sizeof *p, cap * sizeof *p);
    if (p == NULL) return COPYDESK_ERR_NOMEM;
    a->items = p;
    a->cap = cap;
  }
  if ((text = cd_strndup(a->alc, key, klen)) == NULL) return COPYDESK_ERR_NOMEM;
  memmove(a->items + i + 1, a->items + i, (a->n - i) * sizeof *a->items);
  a->items[i].text = text;
  a->items[i].len = (unsigned char)klen;
  a->items[i].cls = (unsigned char)cls;
  a->n++;
  return COPYDESK_OK;
}

static const char *const class_names[] = {"plain", "title", "number", "final"};

const char *copydesk_abbrev_class_name(copydesk_abbrev_class cls) {
  return (unsigned)cls < 4 ? class_names[cls] : "unknown";
}

/* Parses one line "ABBR." or "ABBR. CLASS" at s[0..len) and adds it. */
static copydesk_code abbr_line(copydesk_abbrevs *a, const char *s, size_t len) {
  size_t word = 0, rest, i;
  while (word < len && s[word] != ' ' && s[word] != '\t') word++;
  /* "et al." holds a space: the class, if any, is the last word and must be a known name. */
  for (i = len; i > 0 && s[i - 1] != ' ' && s[i - 1] != '\t'; i--) {}
  rest = i;
  if (rest > word) {
    size_t k, clen = len - rest;
    for (k = 0; k < 4; k++)
      if (clen == strlen(class_names[k]) && memcmp(s + rest, class_names[k], clen) == 0) break;
    if (k < 4) {
      while (rest > 0 && (s[rest - 1] == ' ' || s[rest - 1] == '\t')) rest--;
      if (rest < 2 || s[rest - 1] != '.' || rest - 1 > MAX_ABBR) return COPYDESK_ERR_INVALID;
      return abbr_add(a, s, rest - 1, (int)k);
    }
  }
  if (len < 2 || s[len - 1] != '.' || len - 1 > MAX_ABBR) return COPYDESK_ERR_INVALID;
  return abbr_add(a, s, len - 1, COPYDESK_ABBREV_PLAIN);
}

copydesk_code copydesk_abbrevs_load(copydesk_abbrevs *a, const char *s, size_t len,
                                    copydesk_err *err) {
  size_t pos = 0;
  if (a == NULL || (s == NULL && len > 0)) return cd_fail(err, COPYDESK_ERR_INVALID,
      "invalid argument", "", s, 0, 0);
  while (pos < len) {
    const char *nl = memchr(s + pos, '\n', len - pos);
    size_t end = nl ? (size_t)(nl - s) : len, first = pos, last = end;
    copydesk_code rc;
    while (first < last && (s[first] == ' ' || s[first] == '\t')) first++;
    while (last > first && (s[last - 1] == ' ' || s[last - 1] == '\t' || s[last - 1] == '\r'))
      last--;
    if (last > first && s[first] != '#') {
      rc = abbr_line(a, s + first, last - first);
      if (rc == COPYDESK_ERR_INVALID)
        return cd_fail(err, rc, "expected an abbreviation ending in '.' and an optional class "
                       "(plain, title, number, final)", "abbreviations", s, len, first);
      if (rc != COPYDESK_OK) return cd_fail(err, rc, copydesk_strerror(rc), "", s, len, first);
    }
    pos = end + 1;
  }
  cd_ok(err);
  return COPYDESK_OK;
}

int copydesk_abbrevs_builtin(size_t i, const char **text, size_t *len,
                             copydesk_abbrev_class *cls) {
  if (i >= cd_abbrevs_builtin_n) return 0;
  *text = cd_abbrevs_builtin[i].text;
  *len = cd_abbrevs_builtin[i].len;
  *cls = (copydesk_abbrev_class)cd_abbrevs_builtin[i].cls;
  return 1;
}

/* ---- characters ----------------------------------------------------------------------- */

/* The code point at pos (U+FFFD for a bad byte, *n = 1; *n = 0 at the end). Non-ASCII goes to
** the out-of-line decoder: the scan here is rarely on such bytes, and inlining the longer
** decoder into every caller costs more than it saves. */
static uint32_t cp_at(const char *s, size_t len, size_t pos, size_t *n) {
  uint32_t cp = 0xFFFD;
  if (pos >= len) {
    *n = 0;
    return cp;
  }
  if ((unsigned char)s[pos] < 0x80) {
    *n = 1;
    return (unsigned char)s[pos];
  }
  *n = cd_utf8_decode((const unsigned char *)s + pos, len - pos, &cp);
  if (*n == 0) *n = 1;
  return cp;
}

/* Horizontal white space (a line break is not). */
static int hspace(uint32_t cp) {
  if (cp < 0x80) return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\v' || cp == '\f';
  return cd_is_space(cp);
}

/* Length of the terminal mark at s[pos], 0 if none; *strong is set for ? and ! forms. */
static size_t terminal_at(const char *s, size_t len, size_t pos, int *strong) {
  size_t n;
  uint32_t cp = cp_at(s, len, pos, &n);
  *strong = 0;
  switch (cp) {
  case '.': case 0x2026: case 0x3002: case 0xFF0E: case 0xFF61: return n;
  case '?': case '!': case 0x203C: case 0x2047: case 0x2048: case 0x2049: case 0xFF01:
  case 0xFF1F: case 0x203D:
    *strong = 1;
    return n;
  default: return 0;
  }
}

/* Closing quotes and brackets that stay with the sentence before them. */
static int closer(uint32_t cp) {
  switch (cp) {
  case '"': case '\'': case ')': case ']': case '}': case 0x201D: case 0x2019: case 0x00BB:
  case 0x203A: case 0x201C: case 0x300D: case 0x300F: case 0xFF09:
    return 1;
  default: return 0;
  }
}

/* Opening quotes, brackets and marks skipped before the next sentence's first letter. */
static int opener(uint32_t cp) {
  switch (cp) {
  case '"': case '\'': case '(': case '[': case '{': case 0x201C: case 0x2018: case 0x00AB:
  case 0x2039: case 0x201E: case 0x201A: case 0x00BF: case 0x00A1: case 0x300C: case 0x300E:
  case '*': case '-': case 0x2013: case 0x2014:
    return 1;
  default: return 0;
  }
}

static int is_lower(uint32_t cp) { return CD_P_SB(cd_prop(cp)) == CD_SB_LOWER; }
static int is_upper(uint32_t cp) { return CD_P_SB(cd_prop(cp)) == CD_SB_UPPER; }
static int is_letter(uint32_t cp) { return CD_P_CLASS(cd_prop(cp)) == CD_CLASS_LETTER; }
static int is_digit(uint32_t cp) { return cp >= '0' && cp <= '9'; }

/* ---- words around a terminal mark ----------------------------------------------------- */

/* Words that usually open a sentence: after a plain abbreviation they mean it ended. Sorted
** by bytes for the binary search (a test checks the behaviour, not the order: keep it sorted). */
static const char *const starters[] = {
  "A", "About", "After", "Again", "All", "Also", "Although", "An", "And", "Another", "Any",
  "As", "At", "Because", "Before", "Both", "But", "By", "During", "Each", "Even", "Every",
  "For", "From", "He", "Her", "Here", "His", "How", "However", "I", "If", "In", "It", "Its",
  "Last", "Later", "Many", "Meanwhile", "More", "Most", "My", "No", "Not", "Now", "On", "One",
  "Only", "Or", "Other", "Our", "She", "Since", "So", "Some", "Still", "That", "The", "Their",
  "Then", "There", "These", "They", "This", "Those", "Thus", "To", "Today", "Two", "Under",
  "Until", "We", "What", "When", "Where", "While", "Who", "Why", "With", "Yet", "You", "Your"
};

/* Verbs that make `"Why?" Harry asked.` one sentence; sorted. */
static const char *const speech_verbs[] = {
  "added", "adds", "answered", "asked", "asks", "continued", "cried", "declared", "exclaimed",
  "explained", "insisted", "laughed", "muttered", "noted", "recalled", "replied", "replies",
  "said", "says", "shouted", "sighed", "told", "whispered", "writes", "wrote", "yelled"
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Compares the zero-terminated z with s[0..n) in byte order. */
static int cmp_z(const char *z, const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    if (z[i] == '\0') return -1;
    if (z[i] != s[i]) return (unsigned char)z[i] < (unsigned char)s[i] ? -1 : 1;
  }
  return z[n] != '\0';
}

/* Is s[0..n) in the sorted list? */
static int in_list(const char *const *list, size_t count, const char *s, size_t n) {
  size_t lo = 0, hi = count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = cmp_z(list[mid], s, n);
    if (c == 0) return 1;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}

/* The end of the run of letters (with inner periods, apostrophes, hyphens) at pos. */
static size_t word_end_at(const char *s, size_t len, size_t pos) {
  while (pos < len) {
    size_t n;
    uint32_t cp = cp_at(s, len, pos, &n);
    if (!is_letter(cp) && cp != '\'' && cp != 0x2019 && cp != '-' &&
        !(cp == '.' && pos + 1 < len && s[pos + 1] != ' ' && s[pos + 1] != '\n'))
      break;
    pos += n;
  }
  return pos;
}

static size_t skip_hspace(const char *s, size_t len, size_t pos) {
  size_t n;
  while (pos < len && hspace(cp_at(s, len, pos, &n))) pos += n;
  return pos;
}

/* Is the text at pos a speech tag: up to three capitalised words (titles with their period
** allowed), then a speech verb? */
static int speech_tag_at(const char *s, size_t len, size_t pos) {
  int words;
  for (words = 0; words < 4; words++) {
    size_t n, end;
    uint32_t cp = cp_at(s, len, pos, &n);
    end = word_end_at(s, len, pos);
    if (end == pos) return 0;
    if (words > 0 && in_list(speech_verbs, COUNT(speech_verbs), s + pos, end - pos)) return 1;
    if (!is_upper(cp)) return 0;
    if (end < len && s[end] == '.') end++;
    pos = skip_hspace(s, len, end);
  }
  return 0;
}

/* The start of the word ending at `end` (just before a period): back over anything but white
** space, then forward over opening quotes and brackets. */
static size_t word_start_before(const char *s, size_t start, size_t end) {
  size_t pos = end, n;
  while (pos > start) {
    size_t p = pos - 1;
    uint32_t cp = (unsigned char)s[p];
    if (cp >= 0x80) {
      while (p > start && ((unsigned char)s[p] & 0xC0) == 0x80) p--;
      cp = cp_at(s, end, p, &n);
    }
    if (hspace(cp) || cp == '\n') break;
    pos = p;
  }
  while (pos < end) {
    uint32_t cp = cp_at(s, end, pos, &n);
    if (!opener(cp) || cp == '-') break;
    pos += n;
  }
  return pos;
}

/* Single letters joined by periods: "U.S", "e.g", "N.A.S.A" (the final period excluded). */
static int acronym(const char *w, size_t n) {
  size_t i, letters = 0;
  for (i = 0; i < n; i++) {
    size_t k;
    uint32_t cp = cp_at(w, n, i, &k);
    if (!is_letter(cp)) return 0;
    letters++;
    i += k;
    if (i < n && w[i] != '.') return 0;
  }
  return letters >= 2;
}

/* A list marker: one or two digits, or one letter, or a roman numeral up to iii. */
static int list_marker(const char *w, size_t n) {
  if (n >= 1 && n <= 2 && is_digit((unsigned char)w[0]) && is_digit((unsigned char)w[n - 1]))
    return 1;
  if (n == 1 && is_letter((unsigned char)w[0])) return 1;
  return (n == 2 && memcmp(w, "ii", 2) == 0) || (n == 3 && memcmp(w, "iii", 3) == 0);
}

/* The abbreviation class of the word w[0..n) before a period, trying the word as written,
** then capitalised ("MR" finds "Mr"), then with the word before it ("et al"); -1 if none. */
static int word_class(const copydesk_abbrevs *a, const char *s, size_t start, size_t w,
                      size_t n) {
  char buf[MAX_ABBR];
  int cls = abbr_class(a, s + w, n), lower = 0;
  size_t i;
  if (cls >= 0 || n > MAX_ABBR) return cls;
  for (i = 0; i < n; i++) lower |= s[w + i] >= 'a' && s[w + i] <= 'z';
  if (!lower && n > 1) {
    buf[0] = s[w];
    for (i = 1; i < n; i++)
      buf[i] = (char)(s[w + i] >= 'A' && s[w + i] <= 'Z' ? s[w + i] + 32 : s[w + i]);
    if ((cls = abbr_class(a, buf, n)) >= 0) return cls;
  }
  if (w > start + 1 && s[w - 1] == ' ') {
    size_t w0 = word_start_before(s, start, w - 1);
    if (w - w0 + n <= MAX_ABBR) return abbr_class(a, s + w0, w - w0 + n);
  }
  return -1;
}

/* After a period ending the word s[w..dot): does a sentence end, given the next letter at
** `next`? (The caller handled lower case and non-letters.) */
static int period_ends(const copydesk_sent *c, size_t start, size_t w, size_t dot,
                       size_t next) {
  const char *s = c->s;
  size_t n = dot - w, nend;
  int cls, starter;
  uint32_t cp;
  size_t k;
  if (n == 0) return 1;
  if (w == skip_hspace(s, dot, start) && list_marker(s + w, n)) return 0;
  cp = cp_at(s, c->len, next, &k);
  cls = word_class(c->abbrevs, s, start, w, n);
  if (is_digit(cp)) return cls < 0;
  nend = word_end_at(s, c->len, next);
  starter = in_list(starters, COUNT(starters), s + next, nend - next);
  switch (cls) {
  case COPYDESK_ABBREV_TITLE: return 0;
  case COPYDESK_ABBREV_FINAL: return 1;
  case COPYDESK_ABBREV_PLAIN:
  case COPYDESK_ABBREV_NUMBER: return starter;
  default: break;
  }
  cp = cp_at(s, dot, w, &k);
  if ((k == n && is_upper(cp)) || acronym(s + w, n)) return starter;
  return 1;
}

/* ---- the cursor ----------------------------------------------------------------------- */

copydesk_code copydesk_sent_init(copydesk_sent *c, const char *s, size_t len,
                                 const copydesk_abbrevs *abbrevs, unsigned flags) {
  if (flags & ~(unsigned)(COPYDESK_SENT_UAX29 | COPYDESK_SENT_WRAPPED | COPYDESK_SENT_TRIM))
    return COPYDESK_ERR_INVALID;
  c->s = s;
  c->len = s ? len : 0;
  c->pos = 0;
  c->abbrevs = abbrevs;
  c->flags = flags;
  copydesk_seg_init(&c->seg, s, c->len, COPYDESK_SEG_SENTENCE);
  return COPYDESK_OK;
}

/* The end of all white space (line breaks included) from pos. */
static size_t skip_space(const char *s, size_t len, size_t pos) {
  size_t n;
  while (pos < len) {
    uint32_t cp = cp_at(s, len, pos, &n);
    if (!hspace(cp) && cp != '\n') break;
    pos += n;
  }
  return pos;
}

/* A line break at pos (s[pos] == '\n'): does it end the sentence? Without WRAPPED, always; with
** it, only when a blank line follows. */
static int break_ends(const copydesk_sent *c, size_t pos) {
  if (!(c->flags & COPYDESK_SENT_WRAPPED)) return 1;
  pos = skip_hspace(c->s, c->len, pos + 1);
  return pos >= c->len || c->s[pos] == '\n';
}

/* Decides the terminal mark at *pos (sentence from start). Returns the end of the sentence (its
** trailing white space included) or 0 when it goes on; then *pos is where to scan on. */
static size_t terminal(const copydesk_sent *c, size_t start, size_t *pos) {
  const char *s = c->s;
  size_t len = c->len, t = *pos, mark = *pos, after, next, n;
  int strong = 0, any_strong = 0, quoted = 0, periods = 0;
  uint32_t cp;
  /* The run of marks, with spaced ellipses ". . ." */
  for (;;) {
    size_t m = terminal_at(s, len, t, &strong), sp;
    if (m == 0) {
      sp = skip_hspace(s, len, t);
      if (periods && sp > t && sp < len && s[sp] == '.' &&
          (sp + 1 == len || s[sp + 1] == ' ' || s[sp + 1] == '.' || s[sp + 1] == '\n')) {
        t = sp;
        continue;
      }
      break;
    }
    any_strong |= strong;
    periods += s[t] == '.';
    t += m;
  }
  *pos = t;
  after = t;
  while (after < len && closer(cp = cp_at(s, len, after, &n))) {
    quoted = 1;
    after += n;
  }
  if (after < len && !hspace(cp_at(s, len, after, &n)) && s[after] != '\n') return 0;
  next = skip_hspace(s, len, after);
  if (next < len && (cp = cp_at(s, len, next, &n)) == 0x00BB) { /* « ... . » */
    quoted = 1;
    next = skip_hspace(s, len, next + n);
  }
  if (next >= len) return len;
  if (s[next] == '\n') {
    if (break_ends(c, next)) return skip_space(s, len, next);
    next = skip_hspace(s, len, next + 1);
  }
  after = next;
  while (after < len && opener(cp = cp_at(s, len, after, &n))) after += n;
  if (after >= len) return next;
  cp = cp_at(s, len, after, &n);
  if (is_lower(cp)) return 0;
  if (any_strong || mark + 1 != t || s[mark] != '.') {
    if (is_digit(cp) || !is_letter(cp)) return next;
    if (any_strong && quoted && after == next && speech_tag_at(s, len, next)) return 0;
    return next;
  }
  if (!is_letter(cp) && !is_digit(cp)) return next;
  return period_ends(c, start, word_start_before(s, start, mark), mark, after) ? next : 0;
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Non-zero when a byte of w equals c (the classic "has zero byte" test on w ^ c...c). */
static uint64_t has_byte(uint64_t w, unsigned char c) {
  uint64_t x = w ^ (ONES * c);
  return (x - ONES) & ~x & HIGHS;
}

/* The first position at or after pos whose 8-byte word may hold a terminal mark or a line
** break: . ? ! \n or any non-ASCII byte. */
static size_t skip_plain(const char *s, size_t len, size_t pos) {
  while (pos + 8 <= len) {
    uint64_t w;
    memcpy(&w, s + pos, 8);
    if ((w & HIGHS) | has_byte(w, '.') | has_byte(w, '?') | has_byte(w, '!') | has_byte(w, '\n'))
      break;
    pos += 8;
  }
  return pos;
}

/* Bytes that may start a terminal mark or a line break; the scan skips all others. */
static const unsigned char interesting[256] = {
  ['.'] = 1, ['?'] = 1, ['!'] = 1, ['\n'] = 1, [0xE2] = 1, [0xE3] = 1, [0xEF] = 1
};

static size_t english_end(const copydesk_sent *c, size_t start) {
  const char *s = c->s;
  size_t len = c->len, pos = start;
  while (pos < len) {
    int strong;
    size_t end;
    pos = skip_plain(s, len, pos);
    while (pos < len && !interesting[(unsigned char)s[pos]]) pos++;
    if (pos >= len) break;
    if (s[pos] == '\n') {
      if (break_ends(c, pos)) return skip_space(s, len, pos);
      pos++;
      continue;
    }
    if (terminal_at(s, len, pos, &strong) == 0) {
      pos++;
      continue;
    }
    if ((end = terminal(c, start, &pos)) != 0) return end;
  }
  return len;
}

/* The next sentence, untrimmed. */
static int next_span(copydesk_sent *c, size_t *pos, size_t *len) {
  size_t start = c->pos, end;
  if (c->flags & COPYDESK_SENT_UAX29) return copydesk_seg_next(&c->seg, pos, len, NULL);
  if (start >= c->len) return 0;
  /* White space before the first sentence belongs to it. */
  end = english_end(c, skip_space(c->s, c->len, start));
  c->pos = end;
  *pos = start;
  *len = end - start;
  return 1;
}

int copydesk_sent_next(copydesk_sent *c, size_t *pos, size_t *len) {
  size_t n;
  while (next_span(c, pos, len)) {
    size_t first, last;
    if (!(c->flags & COPYDESK_SENT_TRIM)) return 1;
    first = skip_space(c->s, *pos + *len, *pos);
    last = *pos + *len;
    while (last > first) {
      size_t p = last - 1;
      while (p > first && ((unsigned char)c->s[p] & 0xC0) == 0x80) p--;
      if (!hspace(cp_at(c->s, last, p, &n)) && c->s[p] != '\n') break;
      last = p;
    }
    if (last > first) {
      *pos = first;
      *len = last - first;
      return 1;
    }
  }
  return 0;
}

size_t copydesk_sent_count(const char *s, size_t len, const copydesk_abbrevs *abbrevs,
                           unsigned flags) {
  copydesk_sent c;
  size_t pos, n, count = 0;
  if (copydesk_sent_init(&c, s, len, abbrevs, flags) != COPYDESK_OK) return 0;
  while (copydesk_sent_next(&c, &pos, &n)) count++;
  return count;
}
