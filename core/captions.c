/* captions.c: removes photo-caption paragraphs ("Drama: Tom waves to fans on the set") that
** scrapers leave among an article's paragraphs, often repeating one of them.
**
** The rule, applied to each paragraph (lines between blank lines). A caption is ONE line,
** trimmed of white space, of the form LABEL SEP TEXT where:
** - LABEL is 1 to 5 words, at most 40 bytes, starting with an upper-case letter (Unicode Lu or
**   Lt) or a digit, holding no sentence punctuation (. ! ? ...) and not ending in a speech verb
**   ("He added: The ..." is a quote, not a caption);
** - SEP is ':', '!' or '?' followed by white space;
** - TEXT starts with an upper-case letter or a digit (so never with a quote mark: "he said:
**   'It's ...'" stays) and has at least 3 words;
** - the line does not look like a list item ("1) ...") or a heading ("# ...").
** If the paragraph ends with a full stop or a question mark (closing quotes and brackets aside)
** it is a caption only when TEXT repeats a body paragraph: "Update: The company said it would
** close." and "Q: What was the hardest scene?" stay. Captions rarely end so; prose does.
** TEXT repeats a body paragraph (reason CAPTION_REPEAT) when, compared in normalised form (see
** normalise), it equals one, or the shorter of the two occurs in the longer on word boundaries
** and is at least half its length, or (for a caption without a final full stop) when the two
** share two thirds of their distinct words both ways (see near_repeat). Body paragraphs are the
** paragraphs that are not captions and not caption-shaped paragraphs ending like prose.
**
** Cost: splitting, classifying, normalising and the exact-repeat test (a hash table) are O(len).
** The containment test compares each caption with each body paragraph of similar length whose
** word set may hold the caption's (a 64-bit filter), by Rabin-Karp, linear in the pair. It is
** quadratic in the number of paragraphs, so it is skipped when the text has more than
** CONTAIN_MAX_PARAS of them: the worst case is O(CONTAIN_MAX_PARAS * len) (about 0.5 s for
** 2000 paragraphs of look-alike text); above the limit only exact repeats are found. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "clean_internal.h"

#define CAPTION_CONTEXT "clean_captions"
#define LABEL_MAX_LEN 40        /* bytes */
#define LABEL_MAX_WORDS 5
#define TEXT_MIN_WORDS 3
#define CONTAIN_MAX_PARAS 2000  /* above this only exact repeats are found */

typedef enum para_kind {
  PARA_BODY,
  PARA_CAPTION,           /* caption-shaped, no final '.' or '?' */
  PARA_CAPTION_IF_REPEAT  /* caption-shaped, ends with '.' or '?' */
} para_kind;

typedef struct para {
  size_t start, end; /* first byte; just past the last line's newline (or the input's end) */
  size_t text, text_end;   /* a caption's TEXT, trimmed */
  size_t norm, norm_len;   /* normalised body paragraph or caption TEXT, in scan.norm */
  uint64_t hash;           /* of the normalised form */
  uint64_t words;          /* one bit per word of the normalised form (see hash_words) */
  size_t set, set_n;       /* its word hashes at scan.hashes + set; set_n SIZE_MAX: not yet */
  int sorted;              /* whether they are sorted and distinct (get_set) */
  para_kind kind;
  copydesk_reason reason;  /* a caption's reason, else 0 */
} para;

typedef struct scan {
  const char *s;
  size_t len;
  const copydesk_alloc *alc;
  para *paras;
  cd_para *spans; /* the same paragraphs, with the reason of those removed, for cd_paras_emit */
  size_t n;
  char *norm;     /* normalised texts back to back; never longer than the input */
  size_t norm_len;
  size_t *table;  /* open addressing over body paragraphs: index + 1, 0 when empty */
  size_t mask;
  uint64_t *hashes; /* every paragraph's word hashes, made when a comparison first needs them */
  size_t hashes_cap;
} scan;

/* Labels ending in one of these introduce a quote, whatever follows. ASCII case ignored. */
static const char *const speech_verbs[] = {
  "said", "says", "say", "told", "tells", "added", "adds", "explained", "explains", "wrote",
  "writes", "tweeted", "tweets", "asked", "asks", "replied", "replies", "insisted", "revealed",
  "stated", "declared", "continued", "confirmed", "admitted", "warned", "noted", "commented",
  "posted", "joked", "announced",
};

/* ------------------------------------------------------------------------------------------ */
/* Characters                                                                                  */

static int ascii_lower(int c) {
  return c >= 'A' && c <= 'Z' ? c + 32 : c;
}


/* A byte that belongs to a word: ASCII letters and digits, and every byte of a non-ASCII
** character (mostly letters; counting curly quotes in too only makes matches stricter). */
#define WORD_BYTE(c) \
  (((c) >= '0' && (c) <= '9') || ((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') || \
   (c) >= 0x80)
static const unsigned char word_bytes[256] = CD_BYTE_TABLE(WORD_BYTE);
#define word_byte(c) word_bytes[(unsigned char)(c)]


/* Whether the character at s[0..len) starts a caption label or text: Lu, Lt or a digit. */
static int starts_upper(const char *s, size_t len) {
  uint32_t cp;
  utf8proc_category_t cat;
  if (cd_utf8_decode((const unsigned char *)s, len, &cp) == 0) return 0;
  cat = utf8proc_category((utf8proc_int32_t)cp);
  return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT ||
         cat == UTF8PROC_CATEGORY_ND;
}

/* Closing quotes and brackets that may follow a paragraph's final punctuation. */
static int closing_mark(uint32_t cp) {
  return cp == '\'' || cp == '"' || cp == ')' || cp == ']' || cp == 0x2019 || cp == 0x201D ||
         cp == 0x00BB || cp == 0x203A;
}

/* Punctuation dropped from the end of a normalised text. */
static int final_punct(uint32_t cp) {
  return cp == '.' || cp == '!' || cp == '?' || cp == ',' || cp == ';' || cp == ':' ||
         cp == 0x2026;
}

/* Whether s[a, b) ends like a sentence of prose, with '.' or '?', looking past closing quotes
** and brackets. */
static int ends_like_prose(const char *s, size_t a, size_t b) {
  size_t n;
  uint32_t cp;
  while ((n = cd_prev_char(s, a, b, &cp)) > 0 && closing_mark(cp)) b -= n;
  return b > a && (s[b - 1] == '.' || s[b - 1] == '?');
}

/* Whether s[a, b) holds at least `min` white-space separated words; stops counting there. */
static int has_words(const char *s, size_t a, size_t b, size_t min) {
  size_t words = 0, n;
  int in_word = 0;
  while (a < b && words < min) {
    n = cd_space_len(s + a, b - a);
    if (n == 0 && !in_word) words++;
    in_word = n == 0;
    a += n ? n : 1;
  }
  return words >= min;
}

/* ------------------------------------------------------------------------------------------ */
/* Caption shape                                                                               */

/* "# Heading", "- item", "* item", "• item", "1. item", "1) item". */
static int list_or_heading(const char *s, size_t a, size_t b) {
  size_t i = a;
  if (s[a] == '#') return 1;
  if (b - a >= 2 && (s[a] == '-' || s[a] == '*' || s[a] == '+') && s[a + 1] == ' ') return 1;
  if (b - a >= 4 && memcmp(s + a, "\xE2\x80\xA2 ", 4) == 0) return 1;
  while (i < b && s[i] >= '0' && s[i] <= '9') i++;
  return i > a && i + 1 < b && (s[i] == '.' || s[i] == ')') && s[i + 1] == ' ';
}

/* Finds the separator after a label at the start of line s[a, b): returns the position of its
** ':' '!' or '?', or b when the line does not open with a label (too long, too many words,
** sentence punctuation first). Looks at no more than LABEL_MAX_LEN + 1 bytes. */
static size_t label_end(const char *s, size_t a, size_t b) {
  size_t i = a, words = 0, n;
  int in_word = 0;
  while (i < b && i - a <= LABEL_MAX_LEN) {
    unsigned char c = (unsigned char)s[i];
    if ((n = cd_space_len(s + i, b - i)) > 0) {
      in_word = 0;
      i += n;
      continue;
    }
    if (c == ':' || c == '!' || c == '?') {
      if (i > a && i + 1 < b && cd_space_len(s + i + 1, b - i - 1) > 0) return i;
      if (c != ':') return b; /* "Wow!!" or "Why?!": not a label; "10:30" may be */
    }
    if (c == '.' || (c == 0xE2 && b - i >= 3 && memcmp(s + i, "\xE2\x80\xA6", 3) == 0))
      return b;
    if (!in_word && ++words > LABEL_MAX_WORDS) return b;
    in_word = 1;
    i++;
  }
  return b;
}

/* Whether the label s[a, sep) ends in a speech verb. */
static int ends_in_speech_verb(const char *s, size_t a, size_t sep) {
  size_t end = sep, start, k, i, vlen, n;
  uint32_t cp;
  cd_trim_space(s, &a, &end);
  for (start = end; start > a; start -= n ? n : 1) {
    n = cd_prev_char(s, a, start, &cp);
    if (n > 0 && cd_is_space(cp)) break;
  }
  for (k = 0; k < sizeof speech_verbs / sizeof speech_verbs[0]; k++) {
    vlen = strlen(speech_verbs[k]);
    if (vlen != end - start) continue;
    for (i = 0; i < vlen && ascii_lower((unsigned char)s[start + i]) == speech_verbs[k][i]; i++) {}
    if (i == vlen) return 1;
  }
  return 0;
}

/* Classifies paragraph p; for a caption, records where its TEXT lies. */
static void classify(const char *s, para *p) {
  size_t a = p->start, b = p->end, sep, t;
  p->kind = PARA_BODY;
  if (s[b - 1] == '\n') b--;
  if (memchr(s + a, '\n', b - a) != NULL) return; /* a caption is one line */
  cd_trim_space(s, &a, &b);
  if (a == b || list_or_heading(s, a, b) || !starts_upper(s + a, b - a)) return;
  sep = label_end(s, a, b);
  if (sep == b || ends_in_speech_verb(s, a, sep)) return;
  t = sep + 1;
  while (t < b && cd_space_len(s + t, b - t) > 0) t++;
  if (t == b || !starts_upper(s + t, b - t) || !has_words(s, t, b, TEXT_MIN_WORDS)) return;
  p->text = t;
  p->text_end = b;
  p->kind = ends_like_prose(s, t, b) ? PARA_CAPTION_IF_REPEAT : PARA_CAPTION;
}

/* ------------------------------------------------------------------------------------------ */
/* Normalised comparison                                                                       */

/* Writes the lower case of the character at s[0..len) to dst; returns the bytes written and
** sets *used to the bytes read. Letters other than ASCII go through utf8proc, but only when that
** does not lengthen them, so a normalised text is never longer than its source. */
static size_t lower_char(const unsigned char *s, size_t len, char *dst, size_t *used) {
  uint32_t cp;
  size_t n;
  *used = 1;
  if (s[0] < 0x80) {
    dst[0] = (char)ascii_lower(s[0]);
    return 1;
  }
  n = cd_utf8_decode(s, len, &cp);
  if (n == 0) { /* not UTF-8: the byte as it is */
    dst[0] = (char)s[0];
    return 1;
  }
  *used = n;
  return cd_put_lower(cp, (const char *)s, n, dst);
}

/* Writes the comparison form of s[a, b) to dst and returns its length (at most b - a): case
** folded, each run of white space (newlines included) one space, none at either end, and final
** punctuation (. ! ? , ; : ...) dropped. */
static size_t normalise(const char *s, size_t a, size_t b, char *dst) {
  size_t i = a, n = 0, k;
  uint32_t cp;
  int gap = 0;
  unsigned char c;
  while (i < b) {
    c = (unsigned char)s[i];
    if (cd_plain_fold[c] != 0) {
      /* The usual run of ASCII that is not space, copied folded without the general step. */
      if (gap) dst[n++] = ' ';
      gap = 0;
      cd_map_run(cd_plain_fold, s, &i, b, dst, &n);
      continue;
    }
    k = c == '\n' ? 1 : cd_space_len(s + i, b - i);
    if (k > 0) {
      gap = n > 0;
      i += k;
      continue;
    }
    if (gap) dst[n++] = ' ';
    gap = 0;
    n += lower_char((const unsigned char *)s + i, b - i, dst + n, &k);
    i += k;
  }
  while ((k = cd_prev_char(dst, 0, n, &cp)) > 0 && (final_punct(cp) || cp == ' ')) n -= k;
  return n;
}


/* Whether the needle occurs in the haystack starting and ending on word boundaries.
** Rabin-Karp modulo a prime below 2^32 (products fit in 64 bits), so O(hn + nn) expected; a
** hash match is confirmed with memcmp. */
static int find_words(const char *h, size_t hn, const char *nd, size_t nn) {
  const uint64_t mod = 4294967291u, base = 257;
  uint64_t hh = 0, hk = 0, top = 1;
  size_t i;
  if (nn == 0 || nn > hn) return 0;
  for (i = 0; i < nn; i++) {
    hk = (hk * base + (unsigned char)nd[i]) % mod;
    hh = (hh * base + (unsigned char)h[i]) % mod;
    if (i > 0) top = top * base % mod;
  }
  for (i = 0;; i++) {
    if (hh == hk && (i == 0 || !word_byte(h[i - 1])) &&
        (i + nn == hn || !word_byte(h[i + nn])) && memcmp(h + i, nd, nn) == 0)
      return 1;
    if (i + nn == hn) return 0;
    hh = (hh + mod - (unsigned char)h[i] * top % mod) % mod;
    hh = (hh * base + (unsigned char)h[i + nn]) % mod;
  }
}

/* Hashes the words (runs of word bytes) of p's normalised text into its slot of sc->hashes, once,
** and sets p->words: the 64-bit set of those words, each setting the bit its hash picks. Text
** found on word boundaries inside another has all its words there, so a word missing from the
** other's set rules a pair out before any search. Done only for the paragraphs a comparison
** reaches: most are ruled out by length first. */
static void hash_words(const scan *sc, para *p) {
  const char *t = sc->norm + p->norm;
  uint64_t *out = sc->hashes + p->set, bits = 0, h;
  size_t i = 0, j, k = 0, n = p->norm_len;
  if (p->set_n != SIZE_MAX) return;
  while (i < n) {
    if (!word_byte(t[i])) {
      i++;
      continue;
    }
    for (j = i; j < n && word_byte(t[j]); j++) {}
    h = cd_hash64(t + i, j - i);
    bits |= (uint64_t)1 << (h >> 58);
    out[k++] = h;
    i = j;
  }
  p->words = bits;
  p->set_n = k;
}

/* Whether the shorter of p and q lies inside the longer, and is at least half as long: a short
** phrase found inside a long paragraph is not a repeat. */
static int overlaps(const scan *sc, para *p, para *q) {
  if (p->norm_len > q->norm_len) return overlaps(sc, q, p);
  if (p->norm_len * 2 < q->norm_len) return 0;
  hash_words(sc, p);
  hash_words(sc, q);
  return (p->words & ~q->words) == 0 &&
         find_words(sc->norm + q->norm, q->norm_len, sc->norm + p->norm, p->norm_len);
}

static void table_put(scan *sc, size_t idx) {
  size_t h = (size_t)sc->paras[idx].hash & sc->mask;
  while (sc->table[h]) h = (h + 1) & sc->mask;
  sc->table[h] = idx + 1;
}

static int table_has(const scan *sc, const char *t, size_t tn, uint64_t hash) {
  size_t h = (size_t)hash & sc->mask;
  const para *q;
  for (; sc->table[h]; h = (h + 1) & sc->mask) {
    q = &sc->paras[sc->table[h] - 1];
    if (q->hash == hash && q->norm_len == tn && memcmp(sc->norm + q->norm, t, tn) == 0) return 1;
  }
  return 0;
}

/* Whether caption p's TEXT repeats a body paragraph (see the rule at the top). */
static int repeats_body(const scan *sc, para *p) {
  size_t i;
  if (table_has(sc, sc->norm + p->norm, p->norm_len, p->hash)) return 1;
  if (sc->n > CONTAIN_MAX_PARAS) return 0;
  for (i = 0; i < sc->n; i++)
    if (sc->paras[i].kind == PARA_BODY && overlaps(sc, p, &sc->paras[i])) return 1;
  return 0;
}

/* Near repeats: a caption that rewords a body paragraph ("After some of production ... Cruise
** (pictured on set) hired ...") shares most of its words with it. The words of each normalised
** text become a sorted set of hashes; a caption is a near repeat of a paragraph when at least
** NEAR_NUM/NEAR_DEN of the caption's distinct words are in the paragraph and as large a share of
** the paragraph's are in the caption, and the caption has NEAR_MIN_WORDS distinct words. Only
** a caption without a final full stop is judged so: it goes anyway unless KEEP_UNIQUE, so a
** near match changes its reason and never removes a paragraph that ends like prose. */
#define NEAR_NUM 2
#define NEAR_DEN 3
#define NEAR_MIN_WORDS 6

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* Paragraph i's distinct word hashes, sorted (in place, once); *n is how many. */
static const uint64_t *get_set(const scan *sc, size_t i, size_t *n) {
  para *p = &sc->paras[i];
  uint64_t *out = sc->hashes + p->set;
  size_t a, b, k, d = 0;
  hash_words(sc, p);
  k = p->set_n;
  if (!p->sorted && k > 0) {
    if (k > 32) {
      qsort(out, k, sizeof *out, cmp_u64);
    } else { /* a caption's few words: insertion sort beats qsort's calls */
      for (a = 1; a < k; a++) {
        uint64_t v = out[a];
        for (b = a; b > 0 && out[b - 1] > v; b--) out[b] = out[b - 1];
        out[b] = v;
      }
    }
    for (a = 1; a < k; a++)
      if (out[a] != out[d]) out[++d] = out[a];
    p->set_n = d + 1;
  }
  p->sorted = 1;
  *n = p->set_n;
  return out;
}

/* Whether two sorted sets share at least `need` items; the merge stops as soon as the items
** left cannot reach it. */
static int shares(const uint64_t *a, size_t na, const uint64_t *b, size_t nb, size_t need) {
  size_t i = 0, j = 0, n = 0;
  while (i < na && j < nb) {
    if (n + (na - i < nb - j ? na - i : nb - j) < need) return 0;
    if (a[i] < b[j]) i++;
    else if (a[i] > b[j]) j++;
    else {
      n++;
      i++;
      j++;
    }
  }
  return n >= need;
}

/* Whether the caption's distinct words cs[0..nc) may include `need` of paragraph p's: each
** whose bit is missing from p's word bits is not one of them. Rules most pairs out before p's
** set is sorted. */
static int may_share(const scan *sc, const uint64_t *cs, size_t nc, para *p, size_t need) {
  size_t i, missing = 0;
  hash_words(sc, p);
  for (i = 0; i < nc; i++) {
    missing += !(p->words >> (cs[i] >> 58) & 1);
    if (nc - missing < need) return 0;
  }
  return 1;
}

/* Two sets sharing two thirds of each are within a factor 3/2 in size; texts of such sets are
** within a factor of about two in length, which rules most pairs out before any set is made. */
static int near_repeat(const scan *sc, size_t c) {
  size_t i, k, nc, nb, cl = sc->paras[c].norm_len, bl;
  const uint64_t *cs = get_set(sc, c, &nc), *bs;
  if (nc < NEAR_MIN_WORDS) return 0;
  for (i = 0; i < sc->n; i++) {
    if (sc->paras[i].kind != PARA_BODY) continue;
    bl = sc->paras[i].norm_len;
    if (bl > cl * 2 || cl > bl * 2) continue;
    if (!may_share(sc, cs, nc, &sc->paras[i], (nc * NEAR_NUM + NEAR_DEN - 1) / NEAR_DEN))
      continue;
    bs = get_set(sc, i, &nb);
    if (nb * NEAR_NUM > nc * NEAR_DEN || nc * NEAR_NUM > nb * NEAR_DEN) continue;
    k = ((nc > nb ? nc : nb) * NEAR_NUM + NEAR_DEN - 1) / NEAR_DEN; /* two thirds of each */
    if (shares(cs, nc, bs, nb, k)) return 1;
  }
  return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* The pass                                                                                    */

/* Normalises the body paragraphs and caption texts into sc->norm and indexes the bodies. */
static copydesk_code index_paras(scan *sc) {
  size_t i, at, bodies = 0, cap = 8;
  for (i = 0; i < sc->n; i++) bodies += sc->paras[i].kind == PARA_BODY;
  while (cap < bodies * 2) cap *= 2; /* load at most 1/2; bodies <= len / 2: no overflow */
  sc->mask = cap - 1;
  sc->norm = cd_malloc(sc->alc, sc->len);
  sc->table = cd_malloc(sc->alc, cap * sizeof *sc->table);
  if (sc->norm == NULL || sc->table == NULL) return COPYDESK_ERR_NOMEM;
  memset(sc->table, 0, cap * sizeof *sc->table);
  for (i = 0; i < sc->n; i++) {
    para *p = &sc->paras[i];
    size_t a = p->kind == PARA_BODY ? p->start : p->text;
    size_t b = p->kind == PARA_BODY ? p->end : p->text_end;
    p->norm = sc->norm_len;
    p->norm_len = normalise(sc->s, a, b, sc->norm + sc->norm_len);
    p->hash = cd_hash64(sc->norm + p->norm, p->norm_len);
    sc->norm_len += p->norm_len;
    if (p->kind == PARA_BODY) table_put(sc, i);
  }
  /* Room for every paragraph's word hashes: a word and its separator take two bytes at least. */
  sc->hashes_cap = sc->norm_len / 2 + sc->n;
  if (sc->hashes_cap > SIZE_MAX / sizeof *sc->hashes) return COPYDESK_ERR_OVERFLOW;
  sc->hashes = cd_malloc(sc->alc, sc->hashes_cap * sizeof *sc->hashes);
  if (sc->hashes == NULL) return COPYDESK_ERR_NOMEM;
  for (i = 0, at = 0; i < sc->n; i++) {
    sc->paras[i].set = at;
    sc->paras[i].set_n = SIZE_MAX;
    at += sc->paras[i].norm_len / 2 + 1;
  }
  return COPYDESK_OK;
}

/* Decides each caption's reason, once the bodies are indexed. */
static void judge_captions(scan *sc, unsigned flags) {
  size_t i;
  for (i = 0; i < sc->n; i++) {
    para *p = &sc->paras[i];
    if (p->kind == PARA_BODY) continue;
    if (repeats_body(sc, p)) {
      p->reason = COPYDESK_REASON_CAPTION_REPEAT;
    } else if (p->kind == PARA_CAPTION) {
      p->reason = COPYDESK_REASON_CAPTION;
      if (sc->n <= CONTAIN_MAX_PARAS && near_repeat(sc, i))
        p->reason = COPYDESK_REASON_CAPTION_REPEAT;
    }
    if (p->reason == COPYDESK_REASON_CAPTION_REPEAT ||
        (p->reason == COPYDESK_REASON_CAPTION && !(flags & COPYDESK_CAPTION_KEEP_UNIQUE)))
      sc->spans[i].reason = p->reason;
  }
}

static copydesk_code run(scan *sc, unsigned flags, copydesk_buf *out, copydesk_edits *edits) {
  size_t i, n = cd_paras_split(sc->s, sc->len, NULL);
  int any = 0;
  if (n > SIZE_MAX / sizeof *sc->paras) return COPYDESK_ERR_OVERFLOW;
  sc->n = n; /* the sizes the caller frees with */
  if (n > 0) {
    sc->paras = cd_malloc(sc->alc, n * sizeof *sc->paras);
    sc->spans = cd_malloc(sc->alc, n * sizeof *sc->spans);
    if (sc->paras == NULL || sc->spans == NULL) return COPYDESK_ERR_NOMEM;
    memset(sc->paras, 0, n * sizeof *sc->paras);
  }
  cd_paras_split(sc->s, sc->len, sc->spans);
  for (i = 0; i < n; i++) {
    sc->paras[i].start = sc->spans[i].start;
    sc->paras[i].end = sc->spans[i].end;
    classify(sc->s, &sc->paras[i]);
    any |= sc->paras[i].kind != PARA_BODY;
  }
  if (any) { /* the usual text without captions skips normalising and hashing */
    copydesk_code rc = index_paras(sc);
    if (rc != COPYDESK_OK) return rc;
    judge_captions(sc, flags);
  }
  return cd_paras_emit(sc->s, sc->len, sc->spans, n, out, edits);
}

/* Scratch memory (paragraph list, normalised texts, hash table) comes from out->alc and is freed
** before returning. On failure `out` and `edits` keep their length. */
copydesk_code copydesk_clean_captions(const char *s, size_t len, unsigned flags,
                                      copydesk_buf *out, copydesk_edits *edits,
                                      copydesk_err *err) {
  scan sc;
  copydesk_code rc;
  size_t out0, edits0;
  if (flags & ~(unsigned)COPYDESK_CAPTION_KEEP_UNIQUE)
    return cd_fail(err, COPYDESK_ERR_INVALID, "unknown caption flag", CAPTION_CONTEXT, NULL, 0, 0);
  if (out == NULL || (s == NULL && len > 0))
    return cd_fail(err, COPYDESK_ERR_INVALID, NULL, CAPTION_CONTEXT, NULL, 0, 0);
  memset(&sc, 0, sizeof sc);
  sc.s = s;
  sc.len = len;
  sc.alc = out->alc;
  out0 = out->len;
  edits0 = edits ? edits->n : 0;
  rc = run(&sc, flags, out, edits);
  cd_free(sc.alc, sc.hashes, sc.hashes_cap * sizeof *sc.hashes);
  cd_free(sc.alc, sc.table, (sc.mask + 1) * sizeof *sc.table);
  cd_free(sc.alc, sc.norm, len);
  cd_free(sc.alc, sc.paras, sc.n * sizeof *sc.paras);
  cd_free(sc.alc, sc.spans, sc.n * sizeof *sc.spans);
  if (rc != COPYDESK_OK) {
    out->len = out0;
    if (out->data) out->data[out0] = '\0';
    if (edits) edits->n = edits0;
    return cd_fail(err, rc, NULL, CAPTION_CONTEXT, NULL, 0, 0);
  }
  cd_ok(err);
  return COPYDESK_OK;
}
