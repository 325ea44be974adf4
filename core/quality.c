/* quality.c: the measures behind the quality filters of Gopher (Rae et al. 2021, appendix A),
** C4 (Raffel et al. 2020, section 2.2) and FineWeb (Penedo et al. 2024), for one text, in C so a
** corpus is measured at the speed of reading it. Which filter uses which measure, and with
** which threshold, is the recipes' business (scripts/clean.lua, --filter). */
#include <string.h>

#include <utf8proc.h>

#include "clean_internal.h"
#include "segment_internal.h"

#define QUALITY_CONTEXT "quality"
#define SHORT_LINE 30 /* FineWeb's short_line_length */
#define NGRAM_TOP_MIN 2
#define NGRAM_TOP_MAX 4
#define NGRAM_DUP_MIN 5
#define NGRAM_DUP_MAX 10
/* C4's line rules, as TensorFlow Datasets' c4_utils.py applies them (the paper gives the rules,
** the code the numbers): a kept line has at least C4_MIN_WORDS words and no word longer than
** C4_MAX_WORD code points. */
#define C4_MIN_WORDS 5
#define C4_MAX_WORD 1000
/* Thai, Lao, Khmer and Myanmar are written without spaces between words, and UAX #29 leaves
** them to a dictionary we do not have (it gives one segment per character cluster). A run of
** their letters is counted as one word per SA_LETTERS_PER_WORD letters, combining vowel and tone
** marks not counted: an estimate (a Thai news sentence of 39 letters holds 10 words, see
** tests/c/test_quality.c), as CJK is counted one word per ideograph. */
#define SA_LETTERS_PER_WORD 4

/* Gopher's stop words: a text needs two of these to be English prose. They are "the", "be",
** "to", "of", "and", "that", "have" and "with", ASCII case ignored, compared as their bytes
** packed into one number (see is_stop_word). */
#define PACK2(a, b) ((uint32_t)(a) << 8 | (uint32_t)(b))
#define PACK3(a, b, c) (PACK2(a, b) << 8 | (uint32_t)(c))
#define PACK4(a, b, c, d) (PACK3(a, b, c) << 8 | (uint32_t)(d))

typedef struct word {
  size_t pos;    /* byte offset in the text */
  size_t ncp;    /* code points */
  uint64_t hash; /* of the word, ASCII letters folded to lower case */
} word;

/* The words of a text, grown by doubling. */
typedef struct words {
  word *ws;
  size_t n, cap;
} words;

/* A hash set of 64-bit hashes for lines, paragraphs and n-grams; 0 marks a free slot. */
typedef struct table {
  uint64_t *keys;
  size_t mask;
} table;

/* Code points in s[a, b), newlines left out. */
static size_t count_cp(const char *s, size_t a, size_t b) {
  const uint64_t high = 0x8080808080808080u, low7 = 0x7F7F7F7F7F7F7F7Fu,
                 ones = 0x0101010101010101u, newline = 0x0A0A0A0A0A0A0A0Au;
  uint64_t w, cont, other;
  size_t n = 0;
  for (; a + 8 <= b; a += 8) { /* eight bytes a step: each flag becomes a byte's top bit */
    memcpy(&w, s + a, 8);
    cont = w & ~(w << 1) & high;                          /* 10xxxxxx: continuation */
    other = ((((w ^ newline) & low7) + low7) | (w ^ newline)) & high; /* not a newline */
    n += ((other >> 7) * ones >> 56) - ((cont >> 7) * ones >> 56);
  }
  for (; a < b; a++) n += ((unsigned char)s[a] & 0xC0) != 0x80 && s[a] != '\n';
  return n;
}

static double share(double part, double whole) { return whole > 0 ? part / whole : 0; }

/* ------------------------------------------------------------------------------------------ */
/* Tables                                                                                      */

/* The number of slots for n keys: a power of two, at least twice n (load 1/2 at most), or 0 on
** overflow. */
static size_t slots_for(size_t n, size_t size) {
  size_t cap = 16;
  while (cap < n * 2) {
    if (cap > SIZE_MAX / 2 / size) return 0;
    cap *= 2;
  }
  return cap;
}

static copydesk_code table_init(table *t, size_t n, const copydesk_alloc *alc) {
  size_t cap = slots_for(n, sizeof *t->keys);
  if (cap == 0) return COPYDESK_ERR_OVERFLOW;
  t->mask = cap - 1;
  t->keys = cd_malloc(alc, cap * sizeof *t->keys);
  if (t->keys == NULL) return COPYDESK_ERR_NOMEM;
  memset(t->keys, 0, cap * sizeof *t->keys);
  return COPYDESK_OK;
}

static void table_free(table *t, const copydesk_alloc *alc) {
  if (t->keys) cd_free(alc, t->keys, (t->mask + 1) * sizeof *t->keys);
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

/* Bullets beyond ASCII: U+00B7 and six three-byte ones starting E2 (the tails listed). */
static int bullet_start(const char *s, size_t a, size_t b) {
  static const char tails[][2] = {{'\x80', '\xA2'}, {'\x80', '\xA3'}, {'\x81', '\x83'},
                                  {'\x97', '\xA6'}, {'\x96', '\xAA'}, {'\x97', '\x8F'}};
  size_t i;
  if (s[a] == '-' || s[a] == '*' || s[a] == '+') return 1;
  if (b - a >= 2 && s[a] == '\xC2' && s[a + 1] == '\xB7') return 1;
  if (b - a < 3 || s[a] != '\xE2') return 0;
  for (i = 0; i < sizeof tails / sizeof tails[0]; i++)
    if (s[a + 1] == tails[i][0] && s[a + 2] == tails[i][1]) return 1;
  return 0;
}

/* Whether s[a, b) ends with the n bytes of tail (callers pass literals, so n is a constant). */
static int ends_with_n(const char *s, size_t a, size_t b, const char *tail, size_t n) {
  return b - a >= n && memcmp(s + b - n, tail, n) == 0;
}
#define ends_with(s, a, b, lit) ends_with_n(s, a, b, lit, sizeof lit - 1)

static int ellipsis_end(const char *s, size_t a, size_t b) {
  return ends_with(s, a, b, "...") || ends_with(s, a, b, "\xE2\x80\xA6");
}

static int punct_end(const char *s, size_t a, size_t b) {
  char c = s[b - 1];
  return c == '.' || c == '!' || c == '?' || c == '"' || c == '\'' ||
         ends_with(s, a, b, "\xE2\x80\x9D") || ends_with(s, a, b, "\xE2\x80\x99") ||
         ends_with(s, a, b, "\xE2\x80\xA6");
}

/* Sentences holding a word in s[a, b). A sentence holds one when it has an ASCII letter or digit
** or any character beyond ASCII (which a sentence of punctuation alone hardly has): a byte test
** instead of a word cursor over every sentence. UAX #29 ends a sentence at every newline, so the
** sentences of a text are those of its lines. */
static size_t count_sentences(const char *s, size_t a, size_t b) {
  copydesk_seg c;
  size_t pos, n, i, count = 0;
  copydesk_seg_init(&c, s + a, b - a, COPYDESK_SEG_SENTENCE);
  while (copydesk_seg_next(&c, &pos, &n, NULL)) {
    for (i = a + pos; i < a + pos + n; i++) {
      unsigned char ch = (unsigned char)s[i];
      if (ch >= 0x80 || (ch >= '0' && ch <= '9') || ((ch | 32) >= 'a' && (ch | 32) <= 'z')) break;
    }
    count += i < a + pos + n;
  }
  return count;
}

/* Whether s[i, b) starts with the ASCII lower-case phrase, ASCII case ignored. */
static int phrase_at(const char *s, size_t i, size_t b, const char *phrase, size_t n) {
  size_t k;
  if (b - i < n) return 0;
  for (k = 0; k < n && (s[i + k] | 32) == phrase[k]; k++) {}
  return k == n;
}
#define PHRASE_AT(s, i, b, lit) phrase_at(s, i, b, lit, sizeof lit - 1)

/* Which of C4's line phrases s[a, b) holds, ASCII case ignored: "javascript", or one of the
** policy phrases of cookie banners and legal footers ("terms of use", "privacy policy", "cookie
** policy", "uses cookies", "use of cookies", "use cookies"). One pass: a byte is looked at further
** only when a phrase starts with it. */
enum { C4_PHRASE_JAVASCRIPT = 1, C4_PHRASE_POLICY = 2 };

static int c4_phrases_in(const char *s, size_t a, size_t b) {
  static const unsigned char first[256] = {['j'] = 1, ['J'] = 1, ['t'] = 1, ['T'] = 1, ['p'] = 1,
                                           ['P'] = 1, ['c'] = 1, ['C'] = 1, ['u'] = 1, ['U'] = 1};
  size_t i;
  int found = 0;
  for (i = a; i < b; i++) {
    if (!first[(unsigned char)s[i]]) continue;
    switch (s[i] | 32) {
    case 'j': found |= PHRASE_AT(s, i, b, "javascript") ? C4_PHRASE_JAVASCRIPT : 0; break;
    case 't': found |= PHRASE_AT(s, i, b, "terms of use") ? C4_PHRASE_POLICY : 0; break;
    case 'p': found |= PHRASE_AT(s, i, b, "privacy policy") ? C4_PHRASE_POLICY : 0; break;
    case 'c': found |= PHRASE_AT(s, i, b, "cookie policy") ? C4_PHRASE_POLICY : 0; break;
    default: /* 'u' */
      if (PHRASE_AT(s, i, b, "use") &&
          (PHRASE_AT(s, i + 3, b, "s cookies") || PHRASE_AT(s, i + 3, b, " of cookies") ||
           PHRASE_AT(s, i + 3, b, " cookies")))
        found |= C4_PHRASE_POLICY;
      break;
    }
  }
  return found;
}

/* Whether a run of characters other than white space in s[a, b) is longer than C4_MAX_WORD code
** points (a URL, a blob of base64). Runs between ASCII spaces are found by memchr, and only one
** of more bytes than that is looked at closely (other white space may cut it shorter). */
static int long_word_line(const char *s, size_t a, size_t b) {
  const char *sp;
  size_t i = a, start, end, n;
  while (b - i > C4_MAX_WORD) {
    sp = memchr(s + i, ' ', b - i);
    end = sp ? (size_t)(sp - s) : b;
    if (end - i > C4_MAX_WORD) {
      for (start = i; i < end; start = i) {
        while (i < end && cd_space_len(s + i, end - i) == 0) i++;
        if (i - start > C4_MAX_WORD && count_cp(s, start, i) > C4_MAX_WORD) return 1;
        while (i < end && (n = cd_space_len(s + i, end - i)) > 0) i += n;
      }
    }
    i = end + 1;
  }
  return 0;
}

/* [a, b) without the Wikipedia citation marks that end it ("[12]", "[edit]",
** "[citation needed]"), which C4 removes before it looks at the line's last character. */
static size_t citations_cut(const char *s, size_t a, size_t b) {
  size_t open, i;
  while (b - a >= 2 && s[b - 1] == ']') {
    for (open = b - 1; open > a && s[open - 1] != '['; open--) {}
    if (open == a) break;
    for (i = open; i < b - 1 && s[i] >= '0' && s[i] <= '9'; i++) {}
    if (i != b - 1 && !(b - 1 - open == 4 && memcmp(s + open, "edit", 4) == 0) &&
        !(b - 1 - open == 15 && memcmp(s + open, "citation needed", 15) == 0))
      break;
    b = open - 1;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t')) b--;
  }
  return b;
}

/* C4's terminal punctuation: . ? ! or a closing quotation mark (" ' U+201D U+2019), but not an
** ellipsis. C4 kept English only; since words here are counted in Chinese and Japanese too,
** their full stop and full-width ! and ? (U+3002, U+FF01, U+FF1F) and closing corner brackets
** (U+300D, U+300F) end a line as well. */
static int c4_punct_end(const char *s, size_t a, size_t b) {
  char c;
  b = citations_cut(s, a, b);
  if (b == a || ends_with(s, a, b, "...")) return 0;
  c = s[b - 1];
  return c == '.' || c == '!' || c == '?' || c == '"' || c == '\'' ||
         ends_with(s, a, b, "\xE2\x80\x9D") || ends_with(s, a, b, "\xE2\x80\x99") ||
         ends_with(s, a, b, "\xE3\x80\x82") || ends_with(s, a, b, "\xEF\xBC\x81") ||
         ends_with(s, a, b, "\xEF\xBC\x9F") || ends_with(s, a, b, "\xE3\x80\x8D") ||
         ends_with(s, a, b, "\xE3\x80\x8F");
}

/* Which of C4's line rules the line s[a, b) of `nwords` words fails first, in the order of
** c4_utils.py, or 0 when C4 keeps it. */
enum { C4_KEEP, C4_LONG_WORD, C4_NO_PUNCT, C4_SHORT, C4_JAVASCRIPT, C4_POLICY };

static int c4_line_rule(const char *s, size_t a, size_t b, size_t nwords) {
  int phrases;
  if (long_word_line(s, a, b)) return C4_LONG_WORD;
  if (!c4_punct_end(s, a, b)) return C4_NO_PUNCT;
  if (nwords < C4_MIN_WORDS) return C4_SHORT;
  phrases = c4_phrases_in(s, a, b);
  if (phrases & C4_PHRASE_JAVASCRIPT) return C4_JAVASCRIPT;
  if (phrases & C4_PHRASE_POLICY) return C4_POLICY;
  return C4_KEEP;
}

/* Counts, over the lines that are not blank: bullets, ellipses, end punctuation, short lines,
** repeats, sentences, and what C4's line rules keep and remove. The words (in text order) tell
** each line its word count. */
static copydesk_code measure_lines(const char *s, size_t len, size_t newlines, const words *w,
                                   const copydesk_alloc *alc, copydesk_quality *q) {
  size_t line, next, a, b, n = 0, bullets = 0, ellipses = 0, punct = 0, shorts = 0, dups = 0,
                         dup_chars = 0, ncp, wi = 0, nwords, sentences, cut, c4[C4_POLICY + 1] = {0};
  table t = {NULL, 0};
  copydesk_code rc;
  int rule;
  if ((rc = table_init(&t, newlines + 1, alc)) != COPYDESK_OK) { /* lines, blank ones too */
    table_free(&t, alc);
    return rc;
  }
  for (line = 0; line < len; line = next) {
    next = cd_line_next(s, len, line, &b);
    for (nwords = 0; wi < w->n && w->ws[wi].pos < next; wi++) nwords++;
    a = line;
    cd_trim_space(s, &a, &b);
    if (a == b) continue;
    n++;
    ncp = count_cp(s, a, b);
    bullets += bullet_start(s, a, b);
    ellipses += ellipsis_end(s, a, b);
    punct += punct_end(s, a, b);
    shorts += ncp < SHORT_LINE;
    if (table_seen(&t, cd_hash64(s + a, b - a))) {
      dups++;
      dup_chars += ncp;
    }
    sentences = count_sentences(s, a, b);
    q->sentences += sentences;
    rule = c4_line_rule(s, a, b, nwords);
    c4[rule]++;
    if (rule == C4_KEEP) /* without the citation marks C4 removes first */
      q->c4_sentences += (cut = citations_cut(s, a, b)) == b ? sentences
                                                              : count_sentences(s, a, cut);
  }
  table_free(&t, alc);
  q->lines = n;
  q->bullet_lines = share(bullets, n);
  q->ellipsis_lines = share(ellipses, n);
  q->punct_lines = share(punct, n);
  q->short_lines = share(shorts, n);
  q->dup_lines = share(dups, n);
  q->dup_line_chars = share(dup_chars, q->chars);
  q->c4_lines = c4[C4_KEEP];
  q->c4_long_word_lines = c4[C4_LONG_WORD];
  q->c4_no_punct_lines = c4[C4_NO_PUNCT];
  q->c4_short_lines = c4[C4_SHORT];
  q->c4_javascript_lines = c4[C4_JAVASCRIPT];
  q->c4_policy_lines = c4[C4_POLICY];
  return COPYDESK_OK;
}

static copydesk_code measure_paras(const char *s, size_t len, const copydesk_alloc *alc,
                                   copydesk_quality *q) {
  size_t n = cd_paras_split(s, len, NULL), i, dups = 0, dup_chars = 0, a, b;
  cd_para *ps;
  table t = {NULL, 0};
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
  uint32_t w = 0;
  size_t k;
  for (k = 0; k < n; k++) w = w << 8 | (unsigned char)(s[k] | 32);
  switch (n) {
  case 2: return w == PACK2('b', 'e') || w == PACK2('t', 'o') || w == PACK2('o', 'f');
  case 3: return w == PACK3('t', 'h', 'e') || w == PACK3('a', 'n', 'd');
  case 4:
    return w == PACK4('t', 'h', 'a', 't') || w == PACK4('h', 'a', 'v', 'e') ||
           w == PACK4('w', 'i', 't', 'h');
  default: return 0;
  }
}

/* FNV-1a over the bytes, ASCII letters folded to lower case. */
#define FOLD_START 0xcbf29ce484222325u
#define FNV_PRIME 0x100000001b3u

static uint64_t fold_step(uint64_t h, unsigned char c) {
  return (h ^ (c >= 'A' && c <= 'Z' ? c + 32u : c)) * FNV_PRIME;
}

/* The ASCII letters (UAX #29 ALetter) and digits (Numeric), which ascii_token's words are made
** of, looked up in one table. */
enum { ASCII_DIGIT = 1, ASCII_LETTER = 2 };
#define ALNUM_KIND(c) \
  ((c) >= '0' && (c) <= '9'                                   ? ASCII_DIGIT  \
   : ((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') ? ASCII_LETTER \
                                                              : 0)
static const unsigned char alnum_kind[256] = CD_BYTE_TABLE(ALNUM_KIND);

static uint64_t fold_hash(const char *s, size_t n) {
  uint64_t h = FOLD_START;
  size_t i;
  for (i = 0; i < n; i++) h = fold_step(h, (unsigned char)s[i]);
  return h;
}

/* The word cursor's own ASCII shortcut (segment.c, word_end_ascii), taken here without a call
** per token, since most tokens of a text are one space or a plain ASCII word: the end of the
** token at s[pos] (ASCII) and in *kind its kind, or 0 when the general rules must decide (the
** cursor then gives that one token). A run of ASCII letters and digits ends at an ASCII byte
** that cannot join it; any other ASCII byte is a token alone when ASCII follows, but CR (CR LF),
** '_' (ExtendNumLet) and a space before a space (WB3d). The cursor needs no state but its
** position, so tokens taken here and from it join up exactly. */
static size_t ascii_token(const char *s, size_t len, size_t pos, copydesk_token_kind *kind,
                          uint64_t *hash) {
  unsigned char b = (unsigned char)s[pos];
  uint32_t p = cd_seg_ascii[b];
  unsigned wb = CD_P_WB(p), cls = CD_P_CLASS(p), letters = 0, k;
  size_t end = pos + 1;
  uint64_t h = FOLD_START;
  if (wb == CD_WB_ALETTER || wb == CD_WB_NUMERIC) {
    letters = cls == CD_CLASS_LETTER;
    h = fold_step(h, b); /* the word's fold_hash, made while its end is found */
    for (; end < len && (k = alnum_kind[(unsigned char)s[end]]) != 0; end++) {
      letters |= k == ASCII_LETTER;
      h = (h ^ cd_plain_fold[(unsigned char)s[end]]) * FNV_PRIME; /* fold_step of a letter */
    }
    if (!cd_ascii_word_ends(s, len, end)) return 0;
    *kind = letters ? COPYDESK_TOKEN_LETTERS : COPYDESK_TOKEN_NUMBER;
    *hash = h;
    return end;
  }
  if (wb == CD_WB_CR || wb == CD_WB_EXTENDNUMLET) return 0;
  if (end < len && ((unsigned char)s[end] >= 0x80 || (s[pos] == ' ' && s[end] == ' '))) return 0;
  if (cls == CD_CLASS_LETTER || cls == CD_CLASS_DIGIT || cls == CD_CLASS_IDEO) return 0;
  *kind = COPYDESK_TOKEN_OTHER; /* space, punctuation or control: not a word either way */
  return end;
}

/* Appends a word; on failure w is unchanged (the caller frees it). */
static copydesk_code add_word(words *w, const copydesk_alloc *alc, size_t pos, size_t ncp,
                              uint64_t hash) {
  void *ws = w->ws;
  if (w->n == w->cap) { /* a call only to grow: this runs once a word */
    if (!cd_grow(alc, &ws, w->n, &w->cap, sizeof *w->ws, 64)) return COPYDESK_ERR_NOMEM;
    w->ws = ws;
  }
  w->ws[w->n].pos = pos;
  w->ws[w->n].ncp = ncp;
  w->ws[w->n].hash = hash;
  w->n++;
  return COPYDESK_OK;
}

/* Whether cp belongs to a script that UAX #29 leaves to a dictionary (Line_Break SA): Thai, Lao,
** Myanmar, Khmer, Tai Le, New Tai Lue, Tai Tham, Tai Viet and their extensions. */
static int sa_script(uint32_t cp) {
  return (cp >= 0x0E00 && cp <= 0x0EFF) || (cp >= 0x1000 && cp <= 0x109F) ||
         (cp >= 0x1780 && cp <= 0x17FF) || (cp >= 0x1950 && cp <= 0x19FF) ||
         (cp >= 0x1A20 && cp <= 0x1AAF) || (cp >= 0xA9E0 && cp <= 0xA9FF) ||
         (cp >= 0xAA60 && cp <= 0xAADF);
}

/* 1 for a letter, 2 for a combining mark, 0 for anything else. */
static int letter_or_mark(uint32_t cp) {
  switch (utf8proc_category((utf8proc_int32_t)cp)) {
  case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
  case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: return 1;
  case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: return 2;
  default: return 0;
  }
}

/* The run of letters and marks of the SA scripts at s[pos] (which starts one), added as words of
** SA_LETTERS_PER_WORD letters, a mark going with the letter before it. Returns the run's end,
** or 0 with *rc set on failure. */
static size_t sa_words(const char *s, size_t len, size_t pos, words *w, const copydesk_alloc *alc,
                       size_t *chars, copydesk_code *rc) {
  size_t i = pos, start = pos, n, ncp = 0, letters = 0;
  uint32_t cp;
  int lm;
  while (i < len && (n = cd_utf8_decode((const unsigned char *)s + i, len - i, &cp)) > 0 &&
         (lm = letter_or_mark(cp)) != 0 && (lm == 2 || sa_script(cp))) {
    if (lm == 1 && letters == SA_LETTERS_PER_WORD) {
      if ((*rc = add_word(w, alc, start, ncp, fold_hash(s + start, i - start))) != COPYDESK_OK)
        return 0;
      *chars += ncp;
      start = i;
      ncp = letters = 0;
    }
    letters += lm == 1;
    ncp++;
    i += n;
  }
  if ((*rc = add_word(w, alc, start, ncp, fold_hash(s + start, i - start))) != COPYDESK_OK)
    return 0;
  *chars += ncp;
  return i;
}

/* Collects the words into w, in one pass over the word tokens. */
static copydesk_code collect_words(const char *s, size_t len, const copydesk_alloc *alc,
                                   words *w, copydesk_quality *q) {
  copydesk_seg c;
  size_t pos = 0, end, at, n, alpha = 0, chars = 0, before;
  copydesk_token_kind kind;
  uint64_t hash = 0;
  uint32_t cp;
  copydesk_code rc;
  int ascii;
  for (; pos < len; pos = end) {
    end = (unsigned char)s[pos] < 0x80 ? ascii_token(s, len, pos, &kind, &hash) : 0;
    ascii = end != 0; /* then a word is ASCII letters and digits: a code point a byte */
    if (end == 0) {
      copydesk_seg_init(&c, s + pos, len - pos, COPYDESK_SEG_WORD);
      copydesk_seg_next(&c, &at, &n, &kind);
      end = pos + n;
    }
    if (!is_word_kind(kind)) continue;
    if (!ascii && kind == COPYDESK_TOKEN_LETTERS &&
        cd_utf8_decode((const unsigned char *)s + pos, len - pos, &cp) > 0 && sa_script(cp)) {
      before = w->n;
      if ((end = sa_words(s, len, pos, w, alc, &chars, &rc)) == 0) return rc;
      alpha += w->n - before;
      continue;
    }
    n = end - pos;
    rc = add_word(w, alc, pos, ascii ? n : count_cp(s, pos, end),
                  ascii ? hash : fold_hash(s + pos, n));
    if (rc != COPYDESK_OK) return rc;
    chars += w->ws[w->n - 1].ncp;
    alpha += kind != COPYDESK_TOKEN_NUMBER;
    q->stop_words += n <= 4 && is_stop_word(s + pos, n);
  }
  q->words = w->n;
  q->mean_word_len = share(chars, w->n);
  q->alpha_words = share(alpha, w->n);
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

/* The n-gram passes, n = 2 .. 10. An n-gram can occur twice only where its first n - 1 words do,
** so each pass looks only at the positions the pass before found repeating (all of them for the
** first), which after the first passes leaves few in prose. Skipping an n-gram that occurs once
** changes no measure: it never repeats, and a top count of 1 counts as none. */
typedef struct gram_slot {
  uint64_t key; /* 0: free */
  size_t count, first; /* first: the position of its first occurrence */
} gram_slot;

typedef struct ngram_pass {
  gram_slot *slots;
  size_t cap; /* slots allocated, a power of two */
  const word *ws;
  const uint64_t *pre;
  uint64_t pow[NGRAM_DUP_MAX + 1];
  size_t nw, total;
  size_t *cand, ncand;   /* the positions to look at, ascending */
  unsigned char *marks;  /* nw bytes: positions whose n-gram repeats, for the next pass */
} ngram_pass;

/* The slot of n-gram hash h in a table of mask + 1 slots. The index comes from the middle bits
** of h times an odd constant: the low bits of a sum of products of hashes cluster. */
static gram_slot *gram_find(gram_slot *slots, size_t mask, uint64_t h) {
  size_t i;
  if (h == 0) h = 1;
  for (i = (size_t)((h * 0x9E3779B97F4A7C15u) >> 32) & mask; slots[i].key && slots[i].key != h; i = (i + 1) & mask) {}
  if (!slots[i].key) {
    slots[i].key = h;
    slots[i].count = 0;
  }
  return &slots[i];
}

/* One pass over the n-grams: Gopher's "top n-gram" share (dup == 0: the characters of the most
** frequent n-gram times its count, over all word characters; ties go to the n-gram seen first)
** or "duplicate n-gram" share (dup == 1: characters of the words inside n-grams that repeat an
** earlier n-gram, each word counted once, over all word characters). The words a repeat covers
** start at or after those of the repeat before, so each is counted as it is first covered. */
static double ngram_run(ngram_pass *np, size_t n, int dup) {
  size_t c, k, i, best = 0, best_chars = 0, chars = 0, end = 0, mask = 15, nw = np->nw;
  size_t *cand = np->cand;
  unsigned char *marks = np->marks;
  int repeats = 0;
  gram_slot *g;
  if (np->ncand == 0 || np->nw < n) {
    np->ncand = 0; /* nothing repeats, and no longer n-gram will */
    return 0;
  }
  while (mask + 1 < np->ncand * 2 && mask + 1 < np->cap) mask = mask * 2 + 1;
  memset(np->slots, 0, (mask + 1) * sizeof *np->slots);
  for (c = 0; c < np->ncand && (i = cand[c]) + n <= nw; c++) {
    g = gram_find(np->slots, mask, ngram_hash(np->pre, np->pow, i, n));
    if (g->count++ == 0) g->first = i;
    if (g->count > best) {
      best = g->count;
      if (!dup) best_chars = ngram_chars(np->ws, i, n);
    }
    if (g->count == 1) continue;
    marks[g->first] = marks[i] = 1;
    repeats = 1;
    if (dup) {
      for (k = i > end ? i : end; k < i + n; k++) chars += np->ws[k].ncp;
      end = i + n;
    }
  }
  /* The marked positions, a subset of this pass's, in order, for the next pass. */
  for (k = 0, c = 0; repeats && k < np->ncand; k++) {
    i = cand[k];
    cand[c] = i;
    c += marks[i];
    marks[i] = 0;
  }
  np->ncand = c;
  if (dup) return share(chars, np->total);
  return best > 1 ? share((double)best * best_chars, np->total) : 0;
}

static copydesk_code measure_ngrams(const word *ws, size_t nw, const copydesk_alloc *alc,
                                    copydesk_quality *q) {
  ngram_pass np;
  uint64_t *pre = NULL;
  size_t n, i;
  copydesk_code rc = COPYDESK_OK;
  if (nw < NGRAM_TOP_MIN) return COPYDESK_OK;
  memset(&np, 0, sizeof np);
  for (np.pow[0] = 1, n = 1; n <= NGRAM_DUP_MAX; n++) np.pow[n] = np.pow[n - 1] * NGRAM_BASE;
  np.cap = slots_for(nw, sizeof *np.slots);
  if (np.cap == 0 || nw > SIZE_MAX / sizeof *np.cand) return COPYDESK_ERR_OVERFLOW;
  np.slots = cd_malloc(alc, np.cap * sizeof *np.slots);
  np.cand = cd_malloc(alc, nw * sizeof *np.cand);
  np.marks = cd_malloc(alc, nw);
  pre = cd_malloc(alc, (nw + 1) * sizeof *pre);
  if (np.slots == NULL || np.cand == NULL || np.marks == NULL || pre == NULL)
    rc = COPYDESK_ERR_NOMEM;
  if (rc == COPYDESK_OK) {
    for (pre[0] = 0, i = 0; i < nw; i++) {
      pre[i + 1] = pre[i] * NGRAM_BASE + ws[i].hash;
      np.total += ws[i].ncp;
      np.cand[i] = i;
    }
    memset(np.marks, 0, nw);
    np.ws = ws;
    np.pre = pre;
    np.nw = nw;
    np.ncand = nw;
    for (n = NGRAM_TOP_MIN; n <= NGRAM_TOP_MAX; n++)
      q->top_ngram_chars[n - NGRAM_TOP_MIN] = ngram_run(&np, n, 0);
    for (n = NGRAM_DUP_MIN; n <= NGRAM_DUP_MAX; n++)
      q->dup_ngram_chars[n - NGRAM_DUP_MIN] = ngram_run(&np, n, 1);
  }
  cd_free(alc, pre, (nw + 1) * sizeof *pre);
  cd_free(alc, np.marks, nw);
  cd_free(alc, np.cand, nw * sizeof *np.cand);
  cd_free(alc, np.slots, np.cap * sizeof *np.slots);
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

/* Counts the characters, and what the character measures look at; returns the newlines.
** The bytes of interest are found through a table, so the usual byte costs one look-up. The dots
** after the first three of a run of dots are skipped, and not counted as characters. */
static size_t measure_chars(const char *s, size_t len, copydesk_quality *q) {
  static const unsigned char marks[256] = {['#'] = 1, ['\n'] = 1, ['{'] = 1, ['l'] = 1,
                                           ['L'] = 1, ['.'] = 1, [0xE2] = 1};
  size_t i, hashes = 0, ellipses = 0, newlines = 0, chars = count_cp(s, 0, len);
  for (i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (!marks[c]) continue;
    if (c == '#') hashes++;
    else if (c == '\n') newlines++;
    else if (c == '{') q->curly_bracket = 1;
    else if ((c | 32) == 'l' && !q->lorem_ipsum) q->lorem_ipsum = lorem_at(s, len, i);
    else if (c == '.' && len - i >= 3 && s[i + 1] == '.' && s[i + 2] == '.') {
      ellipses++;
      for (; i + 1 < len && s[i + 1] == '.'; i++) chars--; /* "....." is one ellipsis */
    } else if (c == 0xE2 && len - i >= 3 && s[i + 1] == '\x80' && s[i + 2] == '\xA6') {
      ellipses++;
    }
  }
  q->chars = chars;
  q->hash_ratio = share(hashes, q->words);
  q->ellipsis_ratio = share(ellipses, q->words);
  q->newline_ratio = share(newlines, q->words);
  return newlines;
}

/* ------------------------------------------------------------------------------------------ */

copydesk_code copydesk_quality_measure(const char *s, size_t len, const copydesk_alloc *alc,
                                       copydesk_quality *q, copydesk_err *err) {
  words w = {NULL, 0, 0};
  size_t newlines = 0;
  copydesk_code rc;
  if (q == NULL || (s == NULL && len > 0))
    return cd_fail(err, COPYDESK_ERR_INVALID, NULL, QUALITY_CONTEXT, NULL, 0, 0);
  memset(q, 0, sizeof *q);
  if (len == 0) {
    cd_ok(err);
    return COPYDESK_OK;
  }
  rc = collect_words(s, len, alc, &w, q);
  if (rc == COPYDESK_OK) {
    newlines = measure_chars(s, len, q);
    rc = measure_lines(s, len, newlines, &w, alc, q);
  }
  if (rc == COPYDESK_OK) rc = measure_paras(s, len, alc, q);
  if (rc == COPYDESK_OK) rc = measure_ngrams(w.ws, w.n, alc, q);
  cd_free(alc, w.ws, w.cap * sizeof *w.ws);
  if (rc != COPYDESK_OK) {
    memset(q, 0, sizeof *q);
    return cd_fail(err, rc, NULL, QUALITY_CONTEXT, NULL, 0, 0);
  }
  cd_ok(err);
  return COPYDESK_OK;
}
