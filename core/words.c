/* words.c: word tokens on top of the UAX #29 word cursor.
**
** UAX #29 is exact but made for selection, not for counting or NLP, so a few joins and splits
** happen on top, each a flag where users differ:
**   - URLs (http://, https://, www.), e-mail addresses, @handles and #hashtags are one token
**     (UAX #29 cuts them at every / @ and #), unless COPYDESK_WORDS_NO_ENTITIES;
**   - an acronym or a built-in abbreviation keeps its final period ("U.S.", "Mr.", "Ph.D.";
**     UAX #29 gives "U.S" and ".");
**   - hyphenated words are one token ("well-known", "COVID-19"), unless SPLIT_HYPHENS;
**   - French and Italian elisions split after the apostrophe ("l'", "homme") with SPLIT_ELISIONS;
**   - PTB splits English clitics as the Penn Treebank does ("do" "n't", "I" "'m") and keeps
**     punctuation, with runs of periods or hyphens ("...", "--") as one token.
** Currency signs and percent signs are punctuation tokens of their own ("£", "500,000"; "3.5",
** "%"), as the Penn Treebank has them. Tokens are always slices of the input. */
#include <string.h>

#include "segment_internal.h"
#include "sentence_internal.h"

#define KNOWN_FLAGS                                                                        \
  (COPYDESK_WORDS_PUNCT | COPYDESK_WORDS_PTB | COPYDESK_WORDS_SPLIT_HYPHENS |              \
   COPYDESK_WORDS_SPLIT_ELISIONS | COPYDESK_WORDS_NO_ENTITIES)

copydesk_code copydesk_words_init(copydesk_words *w, const char *s, size_t len, unsigned flags) {
  if (flags & ~(unsigned)KNOWN_FLAGS) return COPYDESK_ERR_INVALID;
  copydesk_seg_init(&w->seg, s, len, COPYDESK_SEG_WORD);
  w->flags = flags;
  w->pending_len = 0;
  w->pending_pos = 0;
  w->pending_kind = COPYDESK_TOKEN_OTHER;
  return COPYDESK_OK;
}

static int ascii_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

static int word_kind(copydesk_token_kind k) {
  return k == COPYDESK_TOKEN_LETTERS || k == COPYDESK_TOKEN_NUMBER || k == COPYDESK_TOKEN_IDEO ||
         k == COPYDESK_TOKEN_KANA;
}

static int prefix_ci(const char *s, size_t len, size_t pos, const char *p) {
  size_t n = strlen(p), i;
  if (len - pos < n) return 0;
  for (i = 0; i < n; i++)
    if ((s[pos + i] | 32) != p[i]) return 0;
  return 1;
}

/* ---- entities ------------------------------------------------------------------------- */

/* A URL from pos: up to white space or an angle bracket or quote, then without the trailing
** punctuation that ends the sentence around it (a closing parenthesis stays if one opened). */
static size_t url_len(const char *s, size_t len, size_t pos) {
  size_t end = pos, open = 0, close = 0;
  if ((s[pos] | 32) != 'h' && (s[pos] | 32) != 'w') return 0;
  if (!prefix_ci(s, len, pos, "http://") && !prefix_ci(s, len, pos, "https://") &&
      !prefix_ci(s, len, pos, "www."))
    return 0;
  while (end < len) {
    unsigned char c = (unsigned char)s[end];
    if (c <= ' ' || c == '<' || c == '>' || c == '"') break;
    if (c == 0xE2 && end + 2 < len && (unsigned char)s[end + 1] == 0x80 &&
        ((unsigned char)s[end + 2] == 0x9C || (unsigned char)s[end + 2] == 0x9D))
      break; /* curly double quotes */
    open += c == '(';
    close += c == ')';
    end++;
  }
  while (end > pos) {
    char c = s[end - 1];
    if (c == ')' && close > open) close--;
    else if (!strchr(".,;:!?'", c)) break;
    end--;
  }
  return end - pos > 4 ? end - pos : 0;
}

static int email_mark(unsigned char c) {
  return c == '@' || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static int email_local(unsigned char c) { return ascii_alnum(c) || (c != '@' && email_mark(c)); }

/* An e-mail address from pos: local@label.label..., at least one dot in the domain. */
static size_t email_len(const char *s, size_t len, size_t pos) {
  size_t at = pos, end, last_dot = 0;
  while (at < len && s[at] != '@' && s[at] && email_local((unsigned char)s[at])) at++;
  if (at == pos || at >= len || s[at] != '@') return 0;
  end = at + 1;
  while (end < len && (ascii_alnum((unsigned char)s[end]) || s[end] == '-' ||
                       (s[end] == '.' && end + 1 < len && ascii_alnum((unsigned char)s[end + 1]) &&
                        s[end - 1] != '.'))) {
    if (s[end] == '.') last_dot = end;
    end++;
  }
  return last_dot > at + 1 && end > last_dot + 1 ? end - pos : 0;
}

/* @handle or #hashtag from pos: the sign and the word segment right after it. */
static size_t tag_len(const copydesk_words *w, size_t pos) {
  copydesk_seg peek = w->seg;
  size_t p, n;
  copydesk_token_kind k;
  if (!copydesk_seg_next(&peek, &p, &n, &k) || p != pos + 1) return 0;
  if (k != COPYDESK_TOKEN_LETTERS && k != COPYDESK_TOKEN_NUMBER) return 0;
  return n + 1;
}

/* The entity starting at the segment [pos, end), if any: its length and kind. */
static size_t entity(const copydesk_words *w, size_t pos, size_t end, copydesk_token_kind k,
                     copydesk_token_kind *kind) {
  const char *s = w->seg.s;
  size_t len = w->seg.len, n;
  if ((n = url_len(s, len, pos))) {
    *kind = COPYDESK_TOKEN_URL;
    return n;
  }
  /* An address needs one of @ . _ % + - right after the first segment of its local part. */
  if (word_kind(k) && end < len && email_mark((unsigned char)s[end]) &&
      (n = email_len(s, len, pos))) {
    *kind = COPYDESK_TOKEN_EMAIL;
    return n;
  }
  if ((s[pos] == '@' || s[pos] == '#') && (pos == 0 || !ascii_alnum((unsigned char)s[pos - 1])) &&
      (n = tag_len(w, pos))) {
    *kind = s[pos] == '@' ? COPYDESK_TOKEN_HANDLE : COPYDESK_TOKEN_HASHTAG;
    return n;
  }
  return 0;
}

/* ---- joins and splits ----------------------------------------------------------------- */

/* Single letters joined by periods ("U.S", "e.g"), as the segment before a final period. */
static int acronym(const char *s, size_t len) {
  size_t i = 0, letters = 0;
  while (i < len) {
    uint32_t cp;
    size_t n = cd_seg_decode(s, len, i, &cp);
    if (n == 0 || CD_P_CLASS(cd_prop(cp)) != CD_CLASS_LETTER) return 0;
    letters++;
    i += n;
    if (i < len && s[i++] != '.') return 0;
  }
  return letters >= 2;
}

/* Length of a hyphen at pos: '-' or U+2010 HYPHEN; 0 if none. */
static size_t hyphen_at(const char *s, size_t len, size_t pos) {
  if (pos < len && s[pos] == '-') return 1;
  if (pos + 2 < len && (unsigned char)s[pos] == 0xE2 && (unsigned char)s[pos + 1] == 0x80 &&
      (unsigned char)s[pos + 2] == 0x90)
    return 3;
  return 0;
}

/* Joins "-word" parts after the token ending at *end; advances the cursor past them. */
static void join_hyphens(copydesk_words *w, size_t *end, copydesk_token_kind *kind) {
  for (;;) {
    copydesk_seg peek = w->seg;
    size_t h = hyphen_at(w->seg.s, w->seg.len, *end), p, n;
    copydesk_token_kind k;
    if (h == 0) return;
    peek.pos = *end + h;
    if (!copydesk_seg_next(&peek, &p, &n, &k) ||
        (k != COPYDESK_TOKEN_LETTERS && k != COPYDESK_TOKEN_NUMBER))
      return;
    if (k == COPYDESK_TOKEN_LETTERS) *kind = k;
    *end = p + n;
    w->seg.pos = *end;
  }
}

/* Length of an apostrophe (' or U+2019) at pos, 0 if none. */
static size_t apostrophe_at(const char *s, size_t len, size_t pos) {
  if (pos < len && s[pos] == '\'') return 1;
  if (pos + 2 < len && (unsigned char)s[pos] == 0xE2 && (unsigned char)s[pos + 1] == 0x80 &&
      (unsigned char)s[pos + 2] == 0x99)
    return 3;
  return 0;
}

/* Where `tail` (lower case; ' stands for ' or U+2019) ends the word s[pos..end), ignoring
** case; end if it does not, or if nothing would be left before it. */
static size_t match_tail(const char *s, size_t pos, size_t end, const char *tail) {
  size_t i = strlen(tail), at = end;
  while (i > 0) {
    char c = tail[--i];
    if (c == '\'' && at > pos && s[at - 1] == '\'') at -= 1;
    else if (c == '\'' && at >= pos + 3 && apostrophe_at(s, end, at - 3) == 3) at -= 3;
    else if (c != '\'' && at > pos && (s[at - 1] | 32) == c) at -= 1;
    else return end;
  }
  return at > pos ? at : end;
}

/* Where a PTB clitic starts in the word s[pos..end): n't, 's, 'm, 'd, 're, 've, 'll; else end. */
static size_t clitic_start(const char *s, size_t pos, size_t end) {
  static const char *const tails[] = {"n't", "'s", "'m", "'d", "'re", "'ve", "'ll", NULL};
  size_t i, at;
  for (i = 0; tails[i]; i++)
    if ((at = match_tail(s, pos, end, tails[i])) != end) return at;
  return end;
}

/* Where the word after an elision starts ("l'homme" -> after "l'"); pos if none. */
static size_t elision_end(const char *s, size_t pos, size_t end) {
  static const char *const heads[] = {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "lorsqu",
                                      "puisqu", "jusqu", "dell", "nell", "all", "sull", "un", NULL};
  size_t i;
  for (i = 0; heads[i]; i++) {
    size_t h = strlen(heads[i]), a;
    if (end - pos <= h + 1 || !prefix_ci(s, end, pos, heads[i])) continue;
    if ((a = apostrophe_at(s, end, pos + h)) && pos + h + a < end) return pos + h + a;
  }
  return pos;
}

/* Runs of the same period or hyphen as one punctuation token ("...", "--"). */
static void join_run(copydesk_words *w, size_t pos, size_t *end) {
  const char *s = w->seg.s;
  if (s[pos] != '.' && s[pos] != '-') return;
  while (*end < w->seg.len && s[*end] == s[pos]) (*end)++;
  w->seg.pos = *end;
}

/* Splits the token [pos, *end) when a flag asks; the second part waits in `pending`. */
static void split_token(copydesk_words *w, size_t pos, size_t *end, copydesk_token_kind kind) {
  size_t at = *end;
  if (kind != COPYDESK_TOKEN_LETTERS) return;
  if (w->flags & COPYDESK_WORDS_SPLIT_ELISIONS) at = elision_end(w->seg.s, pos, *end);
  if (at == pos || at == *end) {
    at = *end;
    if (w->flags & COPYDESK_WORDS_PTB) at = clitic_start(w->seg.s, pos, *end);
  }
  if (at == *end || at == pos) return;
  w->pending_pos = at;
  w->pending_len = *end - at;
  w->pending_kind = kind;
  *end = at;
}

int copydesk_words_next(copydesk_words *w, size_t *pos, size_t *len, copydesk_token_kind *kind) {
  size_t p, n, end;
  copydesk_token_kind k;
  int punct = (w->flags & (COPYDESK_WORDS_PUNCT | COPYDESK_WORDS_PTB)) != 0;
  if (w->pending_len) {
    *pos = w->pending_pos;
    *len = w->pending_len;
    if (kind) *kind = w->pending_kind;
    w->pending_len = 0;
    return 1;
  }
  while (copydesk_seg_next(&w->seg, &p, &n, &k)) {
    copydesk_token_kind ek;
    size_t elen;
    end = p + n;
    if (!(w->flags & COPYDESK_WORDS_NO_ENTITIES) && (elen = entity(w, p, end, k, &ek))) {
      w->seg.pos = end = p + elen;
      k = ek;
    } else if (word_kind(k)) {
      if (k == COPYDESK_TOKEN_LETTERS && end < w->seg.len && w->seg.s[end] == '.' &&
          (acronym(w->seg.s + p, n) || cd_abbrev_builtin_class(w->seg.s + p, n) >= 0))
        w->seg.pos = ++end;
      if (!(w->flags & COPYDESK_WORDS_SPLIT_HYPHENS)) join_hyphens(w, &end, &k);
      split_token(w, p, &end, k);
    } else if (k == COPYDESK_TOKEN_SPACE || !punct) {
      continue;
    } else if (w->flags & COPYDESK_WORDS_PTB) {
      join_run(w, p, &end);
    }
    *pos = p;
    *len = end - p;
    if (kind) *kind = k;
    return 1;
  }
  return 0;
}

size_t copydesk_words_count(const char *s, size_t len, unsigned flags) {
  copydesk_words w;
  size_t p, n, count = 0;
  if (copydesk_words_init(&w, s, len, flags) != COPYDESK_OK) return 0;
  while (copydesk_words_next(&w, &p, &n, NULL)) count++;
  return count;
}
