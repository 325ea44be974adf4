/* quality.c: the measures behind the quality filters of Gopher (Rae et al. 2021, appendix A),
** C4 (Raffel et al. 2020, section 2.2) and FineWeb (Penedo et al. 2024), for one text, in C so a
** corpus is measured at the speed of reading it. Which filter uses which measure, and with
** which threshold, is the recipes' business (scripts/clean.lua, --filter). */
#include <string.h>

#include "clean_internal.h"

#define QUALITY_CONTEXT "quality"
#define SHORT_LINE 30 /* FineWeb's short_line_length */
#define NGRAM_TOP_MIN 2
#define NGRAM_TOP_MAX 4
#define NGRAM_DUP_MIN 5
#define NGRAM_DUP_MAX 10

/* Gopher's stop words: a text needs two of these to be English prose. */
static const char *const stop_words[] = {"the", "be", "to", "of", "and", "that", "have", "with"};

typedef struct word {
  size_t ncp;    /* code points */
  uint64_t hash; /* of the word, ASCII letters folded to lower case */
} word;

/* A hash set of (hash, index) for lines, paragraphs and n-grams; 0 marks a free slot. */
typedef struct table {
  uint64_t *keys;
  size_t *vals; /* index of the first occurrence, or a count */
  size_t mask;
} table;

/* Code points in s[a, b), newlines left out. */
static size_t count_cp(const char *s, size_t a, size_t b) {
  size_t n = 0;
  for (; a < b; a++) n += ((unsigned char)s[a] & 0xC0) != 0x80 && s[a] != '\n';
  return n;
}

static double share(double part, double whole) { return whole > 0 ? part / whole : 0; }

/* ------------------------------------------------------------------------------------------ */
/* Tables                                                                                      */

static copydesk_code table_init(table *t, size_t n, const copydesk_alloc *alc) {
  size_t cap = 16;
  while (cap < n * 2) {
    if (cap > SIZE_MAX / 2 / sizeof *t->keys) return COPYDESK_ERR_OVERFLOW;
    cap *= 2;
  }
  t->mask = cap - 1;
  t->keys = cd_malloc(alc, cap * sizeof *t->keys);
  t->vals = cd_malloc(alc, cap * sizeof *t->vals);
  if (t->keys == NULL || t->vals == NULL) return COPYDESK_ERR_NOMEM;
  memset(t->keys, 0, cap * sizeof *t->keys);
  return COPYDESK_OK;
}

static void table_clear(table *t) { memset(t->keys, 0, (t->mask + 1) * sizeof *t->keys); }

static void table_free(table *t, const copydesk_alloc *alc) {
  if (t->keys == NULL && t->vals == NULL) return;
  cd_free(alc, t->keys, (t->mask + 1) * sizeof *t->keys);
  cd_free(alc, t->vals, (t->mask + 1) * sizeof *t->vals);
}

/* The slot of key h: where it is, or the free slot where it goes. Keys are 64-bit hashes; two
** different lines or n-grams sharing one would count as a repeat, a chance of about n^2 / 2^64. */
static size_t table_slot(const table *t, uint64_t h) {
  size_t i;
  if (h == 0) h = 1;
  for (i = (size_t)h & t->mask; t->keys[i] && t->keys[i] != h; i = (i + 1) & t->mask) {}
  return i;
}

/* Adds key h; returns 1 if it was there already. */
static int table_seen(table *t, uint64_t h) {
  size_t i = table_slot(t, h);
  if (t->keys[i]) return 1;
  t->keys[i] = h ? h : 1;
  return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Lines and paragraphs                                                                        */

static int bullet_start(const char *s, size_t a, size_t b) {
  static const char *const bullets[] = {"\xE2\x80\xA2", "\xE2\x80\xA3", "\xE2\x81\x83",
                                        "\xE2\x97\xA6", "\xE2\x96\xAA", "\xE2\x97\x8F",
                                        "\xC2\xB7"};
  size_t i;
  if (s[a] == '-' || s[a] == '*' || s[a] == '+') return 1;
  for (i = 0; i < sizeof bullets / sizeof bullets[0]; i++)
    if (b - a >= strlen(bullets[i]) && memcmp(s + a, bullets[i], strlen(bullets[i])) == 0)
      return 1;
  return 0;
}

static int ends_with(const char *s, size_t a, size_t b, const char *tail) {
  size_t n = strlen(tail);
  return b - a >= n && memcmp(s + b - n, tail, n) == 0;
}

static int ellipsis_end(const char *s, size_t a, size_t b) {
  return ends_with(s, a, b, "...") || ends_with(s, a, b, "\xE2\x80\xA6");
}

static int punct_end(const char *s, size_t a, size_t b) {
  char c = s[b - 1];
  return c == '.' || c == '!' || c == '?' || c == '"' || c == '\'' ||
         ends_with(s, a, b, "\xE2\x80\x9D") || ends_with(s, a, b, "\xE2\x80\x99") ||
         ends_with(s, a, b, "\xE2\x80\xA6");
}

/* Counts, over the lines that are not blank: bullets, ellipses, end punctuation, short lines
** and repeats. */
static copydesk_code measure_lines(const char *s, size_t len, const copydesk_alloc *alc,
                                   copydesk_quality *q) {
  size_t line, next, a, b, n = 0, bullets = 0, ellipses = 0, punct = 0, shorts = 0, dups = 0,
                         dup_chars = 0, ncp;
  table t = {NULL, NULL, 0};
  copydesk_code rc;
  for (line = 0; line < len; line = next) {
    next = cd_line_next(s, len, line, &b);
    a = line;
    cd_trim_space(s, &a, &b);
    n += a < b;
  }
  if ((rc = table_init(&t, n, alc)) != COPYDESK_OK) {
    table_free(&t, alc);
    return rc;
  }
  for (line = 0; line < len; line = next) {
    next = cd_line_next(s, len, line, &b);
    a = line;
    cd_trim_space(s, &a, &b);
    if (a == b) continue;
    ncp = count_cp(s, a, b);
    bullets += bullet_start(s, a, b);
    ellipses += ellipsis_end(s, a, b);
    punct += punct_end(s, a, b);
    shorts += ncp < SHORT_LINE;
    if (table_seen(&t, cd_hash64(s + a, b - a))) {
      dups++;
      dup_chars += ncp;
    }
  }
  table_free(&t, alc);
  q->lines = n;
  q->bullet_lines = share(bullets, n);
  q->ellipsis_lines = share(ellipses, n);
  q->punct_lines = share(punct, n);
  q->short_lines = share(shorts, n);
  q->dup_lines = share(dups, n);
  q->dup_line_chars = share(dup_chars, q->chars);
  return COPYDESK_OK;
}

static copydesk_code measure_paras(const char *s, size_t len, const copydesk_alloc *alc,
                                   copydesk_quality *q) {
  size_t n = cd_paras_split(s, len, NULL), i, dups = 0, dup_chars = 0, a, b;
  cd_para *ps;
  table t = {NULL, NULL, 0};
  copydesk_code rc;
  q->paragraphs = n;
  if (n < 2) return COPYDESK_OK;
  if (n > SIZE_MAX / sizeof *ps) return COPYDESK_ERR_OVERFLOW;
  if ((ps = cd_malloc(alc, n * sizeof *ps)) == NULL) return COPYDESK_ERR_NOMEM;
  cd_paras_split(s, len, ps);
  rc = table_init(&t, n, alc);
  for (i = 0; i < n && rc == COPYDESK_OK; i++) {
    a = ps[i].start;
    b = ps[i].end;
    cd_trim_space(s, &a, &b);
    while (b > a && s[b - 1] == '\n') b--;
    if (table_seen(&t, cd_hash64(s + a, b - a))) {
      dups++;
      dup_chars += count_cp(s, a, b);
    }
  }
  table_free(&t, alc);
  cd_free(alc, ps, n * sizeof *ps);
  q->dup_paras = share(dups, n);
  q->dup_para_chars = share(dup_chars, q->chars);
  return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Words and n-grams                                                                           */

static int is_word_kind(copydesk_token_kind k) {
  return k == COPYDESK_TOKEN_LETTERS || k == COPYDESK_TOKEN_NUMBER || k == COPYDESK_TOKEN_IDEO ||
         k == COPYDESK_TOKEN_KANA;
}

static int is_stop_word(const char *s, size_t n) {
  size_t i, k;
  for (i = 0; i < sizeof stop_words / sizeof stop_words[0]; i++) {
    if (strlen(stop_words[i]) != n) continue;
    for (k = 0; k < n && (s[k] | 32) == stop_words[i][k]; k++) {}
    if (k == n) return 1;
  }
  return 0;
}

static uint64_t fold_hash(const char *s, size_t n) {
  uint64_t h = 0xcbf29ce484222325u;
  size_t i;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32u : c)) * 0x100000001b3u;
  }
  return h;
}

/* Collects the words into an array grown by doubling, in one pass of the word cursor. */
static copydesk_code collect_words(const char *s, size_t len, const copydesk_alloc *alc,
                                   word **out, size_t *cap, copydesk_quality *q) {
  copydesk_seg c;
  size_t pos, n, count = 0, alpha = 0, chars = 0;
  copydesk_token_kind kind;
  word *ws = NULL, *grown;
  copydesk_seg_init(&c, s, len, COPYDESK_SEG_WORD);
  *cap = 0;
  while (copydesk_seg_next(&c, &pos, &n, &kind)) {
    if (!is_word_kind(kind)) continue;
    if (count == *cap) {
      size_t more = *cap ? *cap * 2 : 64;
      if (more > SIZE_MAX / sizeof *ws) return COPYDESK_ERR_OVERFLOW;
      grown = cd_realloc(alc, ws, *cap * sizeof *ws, more * sizeof *ws);
      if (grown == NULL) {
        cd_free(alc, ws, *cap * sizeof *ws);
        *out = NULL;
        *cap = 0;
        return COPYDESK_ERR_NOMEM;
      }
      ws = grown;
      *cap = more;
      *out = ws;
    }
    ws[count].ncp = count_cp(s, pos, pos + n);
    ws[count].hash = fold_hash(s + pos, n);
    chars += ws[count].ncp;
    alpha += kind != COPYDESK_TOKEN_NUMBER;
    q->stop_words += n <= 4 && is_stop_word(s + pos, n);
    count++;
  }
  q->words = count;
  q->mean_word_len = share(chars, count);
  q->alpha_words = share(alpha, count);
  return COPYDESK_OK;
}

/* Powers of the n-gram hash's base, and the prefix hashes of the words: the hash of the n
** words from i is pre[i + n] - pre[i] * B^n (arithmetic modulo 2^64), so each n-gram costs O(1)
** whatever n. */
#define NGRAM_BASE 0x100000001b3u

static uint64_t ngram_hash(const uint64_t *pre, const uint64_t *pow, size_t i, size_t n) {
  return pre[i + n] - pre[i] * pow[n];
}

static size_t ngram_chars(const word *ws, size_t i, size_t n) {
  size_t k, c = 0;
  for (k = 0; k < n; k++) c += ws[i + k].ncp;
  return c;
}

/* Gopher's "top n-gram" share: the characters of the most frequent n-gram times its count,
** over all word characters. Ties go to the n-gram seen first. */
static double top_ngram(table *t, const word *ws, const uint64_t *pre, const uint64_t *pow,
                        size_t nw, size_t n, size_t total) {
  size_t i, slot, best = 0, best_chars = 0;
  if (nw < n) return 0;
  table_clear(t);
  for (i = 0; i + n <= nw; i++) {
    uint64_t h = ngram_hash(pre, pow, i, n);
    slot = table_slot(t, h);
    if (!t->keys[slot]) {
      t->keys[slot] = h ? h : 1;
      t->vals[slot] = 0;
    }
    if (++t->vals[slot] > best) {
      best = t->vals[slot];
      best_chars = ngram_chars(ws, i, n);
    }
  }
  return best > 1 ? share((double)best * best_chars, total) : 0;
}

/* Gopher's "duplicate n-gram" share: characters of the words inside n-grams that repeat an
** earlier n-gram, each word counted once, over all word characters. `covered` marks words.
** `multi` marks the positions whose NGRAM_DUP_MIN-gram occurs twice or more: the first pass
** (n == NGRAM_DUP_MIN) fills it, and a longer n-gram can repeat only where its first
** NGRAM_DUP_MIN words do, so the later passes look at those positions alone. */
static double dup_ngram(table *t, const word *ws, const uint64_t *pre, const uint64_t *pow,
                        size_t nw, size_t n, size_t total, unsigned char *covered,
                        unsigned char *multi) {
  size_t i, k, chars = 0, end = 0, slot;
  int first_pass = n == NGRAM_DUP_MIN;
  if (nw < n) return 0;
  table_clear(t);
  memset(covered, 0, nw);
  if (first_pass) memset(multi, 0, nw);
  for (i = 0; i + n <= nw; i++) {
    uint64_t h;
    if (!first_pass && !multi[i]) continue;
    h = ngram_hash(pre, pow, i, n);
    slot = table_slot(t, h);
    if (!t->keys[slot]) {
      t->keys[slot] = h ? h : 1;
      t->vals[slot] = i;
      continue;
    }
    if (first_pass) multi[t->vals[slot]] = multi[i] = 1;
    for (k = i > end ? i : end; k < i + n; k++) covered[k] = 1;
    end = i + n;
  }
  for (i = 0; i < nw; i++) chars += covered[i] ? ws[i].ncp : 0;
  return share(chars, total);
}

static copydesk_code measure_ngrams(const word *ws, size_t nw, const copydesk_alloc *alc,
                                    copydesk_quality *q) {
  table t = {NULL, NULL, 0};
  unsigned char *covered = NULL;
  uint64_t *pre = NULL, pow[NGRAM_DUP_MAX + 1];
  size_t n, total = 0, i;
  copydesk_code rc;
  if (nw < NGRAM_TOP_MIN) return COPYDESK_OK;
  for (pow[0] = 1, n = 1; n <= NGRAM_DUP_MAX; n++) pow[n] = pow[n - 1] * NGRAM_BASE;
  rc = table_init(&t, nw, alc);
  if (rc == COPYDESK_OK && ((covered = cd_malloc(alc, nw * 2)) == NULL ||
                            (pre = cd_malloc(alc, (nw + 1) * sizeof *pre)) == NULL))
    rc = COPYDESK_ERR_NOMEM;
  if (rc == COPYDESK_OK) {
    for (pre[0] = 0, i = 0; i < nw; i++) {
      pre[i + 1] = pre[i] * NGRAM_BASE + ws[i].hash;
      total += ws[i].ncp;
    }
  }
  for (n = NGRAM_TOP_MIN; n <= NGRAM_TOP_MAX && rc == COPYDESK_OK; n++)
    q->top_ngram_chars[n - NGRAM_TOP_MIN] = top_ngram(&t, ws, pre, pow, nw, n, total);
  for (n = NGRAM_DUP_MIN; n <= NGRAM_DUP_MAX && rc == COPYDESK_OK; n++)
    q->dup_ngram_chars[n - NGRAM_DUP_MIN] =
        dup_ngram(&t, ws, pre, pow, nw, n, total, covered, covered + nw);
  cd_free(alc, pre, (nw + 1) * sizeof *pre);
  cd_free(alc, covered, nw * 2);
  table_free(&t, alc);
  return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Characters and sentences                                                                    */

/* Whether "lorem ipsum" occurs at s[i], ignoring ASCII case. */
static int lorem_at(const char *s, size_t len, size_t i) {
  static const char lorem[] = "lorem ipsum";
  size_t k;
  if (len - i < sizeof lorem - 1) return 0;
  for (k = 0; k < sizeof lorem - 1 && (s[i + k] | 32) == lorem[k]; k++) {}
  return k == sizeof lorem - 1;
}

static void measure_chars(const char *s, size_t len, copydesk_quality *q) {
  size_t i, hashes = 0, ellipses = 0, newlines = 0, chars = 0;
  for (i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    chars += (c & 0xC0) != 0x80 && c != '\n';
    if (c == '#') hashes++;
    else if (c == '\n') newlines++;
    else if (c == '{') q->curly_bracket = 1;
    else if ((c | 32) == 'l' && !q->lorem_ipsum) q->lorem_ipsum = lorem_at(s, len, i);
    else if (c == '.' && len - i >= 3 && s[i + 1] == '.' && s[i + 2] == '.') {
      ellipses++;
      while (i + 1 < len && s[i + 1] == '.') i++; /* "....." is one ellipsis */
    } else if (c == 0xE2 && len - i >= 3 && s[i + 1] == '\x80' && s[i + 2] == '\xA6') {
      ellipses++;
    }
  }
  q->chars = chars;
  q->hash_ratio = share(hashes, q->words);
  q->ellipsis_ratio = share(ellipses, q->words);
  q->newline_ratio = share(newlines, q->words);
}

/* Sentences holding a word. A sentence holds one when it has an ASCII letter or digit or any
** character beyond ASCII (which a sentence of punctuation alone hardly has): a byte test
** instead of a word cursor over every sentence. */
static size_t count_sentences(const char *s, size_t len) {
  copydesk_seg c;
  size_t pos, n, i, count = 0;
  copydesk_seg_init(&c, s, len, COPYDESK_SEG_SENTENCE);
  while (copydesk_seg_next(&c, &pos, &n, NULL)) {
    for (i = pos; i < pos + n; i++) {
      unsigned char b = (unsigned char)s[i];
      if (b >= 0x80 || (b >= '0' && b <= '9') || ((b | 32) >= 'a' && (b | 32) <= 'z')) break;
    }
    count += i < pos + n;
  }
  return count;
}

/* ------------------------------------------------------------------------------------------ */

copydesk_code copydesk_quality_measure(const char *s, size_t len, const copydesk_alloc *alc,
                                       copydesk_quality *q, copydesk_err *err) {
  word *ws = NULL;
  size_t nw, cap = 0;
  copydesk_code rc;
  if (q == NULL || (s == NULL && len > 0))
    return cd_fail(err, COPYDESK_ERR_INVALID, NULL, QUALITY_CONTEXT, NULL, 0, 0);
  memset(q, 0, sizeof *q);
  if (len == 0) {
    cd_ok(err);
    return COPYDESK_OK;
  }
  rc = collect_words(s, len, alc, &ws, &cap, q);
  nw = q->words;
  if (rc == COPYDESK_OK) {
    measure_chars(s, len, q);
    q->sentences = count_sentences(s, len);
    rc = measure_lines(s, len, alc, q);
  }
  if (rc == COPYDESK_OK) rc = measure_paras(s, len, alc, q);
  if (rc == COPYDESK_OK) rc = measure_ngrams(ws, nw, alc, q);
  cd_free(alc, ws, cap * sizeof *ws);
  if (rc != COPYDESK_OK) {
    memset(q, 0, sizeof *q);
    return cd_fail(err, rc, NULL, QUALITY_CONTEXT, NULL, 0, 0);
  }
  cd_ok(err);
  return COPYDESK_OK;
}
