/* pattern.c: Lua 5.4 patterns over UTF-8 characters.
**
** A backtracking matcher that walks the pattern text itself (no compiled form), so it notices a
** malformed item exactly when Lua's string library does, and recurses at the same places (captures,
** '?', the repetitions), so "pattern too complex" trips on the same patterns. Everything is a byte
** offset; an error travels back up the recursion as the FAILED sentinel, never as a longjmp. */
#include <string.h>
#include <utf8proc.h>

#include "internal.h"

#define ESC '%'
#define SPECIALS "^$*+?.([%-"
#define BAD_BASE 0x110000u          /* an invalid byte B is the character BAD_BASE + B */
#define NOMATCH ((size_t)-1)
#define FAILED ((size_t)-2)         /* the error is in the match state */
#define POSITION COPYDESK_PATTERN_POSITION
#define UNFINISHED COPYDESK_PATTERN_UNFINISHED
/* Backtracking can take time exponential in the pattern ("a+a+a+a+b" on a run of a's): one
** call may take this many steps (nested attempts and characters scanned by a repetition), about
** a second, and then fails with "pattern too complex", so a script's pattern cannot stall a
** corpus run on one hostile article. The fuzz build sets less, so a unit stays fast. */
#ifndef CD_PATTERN_MAXSTEPS
#define CD_PATTERN_MAXSTEPS 100000000u
#endif
#define KNOWN_FLAGS (COPYDESK_PATTERN_PLAIN | COPYDESK_PATTERN_CARET_LITERAL | \
                     COPYDESK_PATTERN_NOT_EMPTY_AT_INIT)

typedef struct mstate {
  const unsigned char *s, *p;
  size_t len, plen;
  int calls_left;  /* nested do_match calls still allowed */
  size_t steps_left; /* work still allowed in this call: CD_PATTERN_MAXSTEPS */
  int level;       /* captures opened so far */
  copydesk_pattern_cap cap[COPYDESK_PATTERN_MAXCAPTURES];
  copydesk_code code;
  const char *msg;
  size_t errpos;   /* in the pattern */
} mstate;

/* Lua's message names the digit after '%', which is 0-9. */
static const char *const bad_index[] = {
  "invalid capture index %0", "invalid capture index %1", "invalid capture index %2",
  "invalid capture index %3", "invalid capture index %4", "invalid capture index %5",
  "invalid capture index %6", "invalid capture index %7", "invalid capture index %8",
  "invalid capture index %9"};

static size_t fail(mstate *ms, copydesk_code code, const char *msg, size_t pos) {
  ms->code = code;
  ms->msg = msg;
  ms->errpos = pos;
  return FAILED;
}

/* The character at t[i] (i < n): returns its length and sets *c. */
static inline size_t char_at(const unsigned char *t, size_t n, size_t i, uint32_t *c) {
  size_t k;
  if (t[i] < 0x80) {
    *c = t[i];
    return 1;
  }
  k = cd_utf8_decode(t + i, n - i, c);
  if (k == 0) {
    *c = BAD_BASE + t[i];
    return 1;
  }
  return k;
}

/* The character that ends at t[i] (lo < i), looking back no further than lo. A valid sequence can
** only start where reading from lo puts a character boundary (every byte after its lead is a
** continuation byte, which no sequence starts with), so looking back finds the same characters
** that reading forward from lo does. The bound matters after a back-reference, which can leave
** a position inside a sequence: without it the walk back could pass lo, and the start. */
static size_t char_before(const unsigned char *t, size_t lo, size_t i, uint32_t *c) {
  size_t k;
  for (k = 1; k <= 4 && k <= i - lo; k++) {
    if ((t[i - k] & 0xC0) != 0x80) {
      if (cd_utf8_decode(t + i - k, k, c) == k) return k;
      break;
    }
  }
  *c = BAD_BASE + t[i - 1];
  return 1;
}

/* Moves offset i forward to the end of the valid sequence it falls inside, if any. */
static size_t snap(const unsigned char *t, size_t n, size_t i) {
  size_t k, seq;
  uint32_t c;
  if (i >= n || (t[i] & 0xC0) != 0x80) return i;
  for (k = 1; k <= 3 && k <= i; k++) {
    if ((t[i - k] & 0xC0) != 0x80) {
      seq = cd_utf8_decode(t + i - k, n - (i - k), &c);
      return seq > k ? i - k + seq : i;
    }
  }
  return i;
}

/* Class `name` (a lower-case letter of "acdglpsuwxz") below U+0080: Lua's classes in the C
** locale, written out so that a host's setlocale cannot change them. */
static int ascii_class(uint32_t c, int name) {
  int alpha = (c | 0x20) - 'a' < 26, digit = c - '0' < 10;
  switch (name) {
  case 'a': return alpha;
  case 'c': return c < 0x20 || c == 0x7F;
  case 'd': return digit;
  case 'g': return c > 0x20 && c < 0x7F;
  case 'l': return c - 'a' < 26;
  case 'p': return c > 0x20 && c < 0x7F && !alpha && !digit;
  case 's': return c == ' ' || c - '\t' < 5;
  case 'u': return c - 'A' < 26;
  case 'w': return alpha || digit;
  case 'x': return digit || (c | 0x20) - 'a' < 6;
  default: return c == 0; /* 'z', which Lua 5.4 still reads */
  }
}

/* Class `name` from U+0080 up, by general category (the header lists the choices). */
static int unicode_class(uint32_t c, int name) {
  utf8proc_category_t cat;
  int letter, space;
  if (c >= BAD_BASE) return 0; /* an invalid byte is in no class */
  cat = utf8proc_category((utf8proc_int32_t)c);
  letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ME;
  space = (cat >= UTF8PROC_CATEGORY_ZS && cat <= UTF8PROC_CATEGORY_ZP) || c == 0x85;
  switch (name) {
  case 'a': return letter;
  case 'c': return cat == UTF8PROC_CATEGORY_CC;
  case 'd': return cat == UTF8PROC_CATEGORY_ND;
  case 'g': return !space && cat != UTF8PROC_CATEGORY_CC;
  case 'l': return cat == UTF8PROC_CATEGORY_LL;
  case 'p': return cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_SO;
  case 's': return space;
  case 'u': return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
  case 'w': return letter || cat == UTF8PROC_CATEGORY_ND;
  default: return 0; /* 'x' is ASCII hex digits only, 'z' U+0000 only */
  }
}

/* The class letters a c d g l p s u w x z as bits (1 << (letter - 'a')). */
#define CLASS_LETTERS 0x2D4884Du

/* Whether c matches %cl: a class letter (upper case for the complement), else cl itself. */
static int class_match(uint32_t c, uint32_t cl) {
  uint32_t name = cl | 0x20;
  int in;
  if (cl >= 0x80 || name - 'a' >= 26 || !((CLASS_LETTERS >> (name - 'a')) & 1)) return c == cl;
  in = c < 0x80 ? ascii_class(c, (int)name) : unicode_class(c, (int)name);
  return cl == name ? in : !in;
}

/* The offset just past the single-character item at p: a character, %x, or a [set]. */
static size_t item_end(mstate *ms, size_t p) {
  const unsigned char *pat = ms->p;
  uint32_t c;
  size_t q;
  int esc;
  if (pat[p] == ESC) {
    if (p + 1 >= ms->plen) return fail(ms, COPYDESK_ERR_INVALID,
                                       "malformed pattern (ends with '%')", p);
    return p + 1 + char_at(pat, ms->plen, p + 1, &c);
  }
  if (pat[p] != '[') return p + char_at(pat, ms->plen, p, &c);
  q = p + 1;
  if (q < ms->plen && pat[q] == '^') q++;
  do { /* the first member is taken before looking for ']', so "[]]" is a set of ']' */
    if (q >= ms->plen) return fail(ms, COPYDESK_ERR_INVALID, "malformed pattern (missing ']')", p);
    esc = pat[q] == ESC;
    q += char_at(pat, ms->plen, q, &c);
    if (esc && q < ms->plen) q += char_at(pat, ms->plen, q, &c);
  } while (q >= ms->plen || pat[q] != ']');
  return q + 1;
}

/* Whether c is matched by the set that opens at p ('[') and closes at close (its ']'). */
static int set_match(const mstate *ms, uint32_t c, size_t p, size_t close) {
  const unsigned char *pat = ms->p;
  uint32_t a, b;
  size_t q = p + 1, n;
  int member = 1; /* what finding c means: 0 in a [^...] set */
  if (pat[q] == '^') {
    member = 0;
    q++;
  }
  while (q < close) {
    if (pat[q] == ESC) {
      q += 1 + char_at(pat, ms->plen, q + 1, &a);
      if (class_match(c, a)) return member;
      continue;
    }
    n = char_at(pat, ms->plen, q, &a);
    if (pat[q + n] == '-' && q + n + 1 < close) {
      q += n + 1;
      q += char_at(pat, ms->plen, q, &b);
      if (a <= c && c <= b) return member;
    } else {
      q += n;
      if (a == c) return member;
    }
  }
  return !member;
}

/* The length of the subject's character at s if item p..ep matches it; 0 if not (or at the
** end). */
static size_t single(const mstate *ms, size_t s, size_t p, size_t ep) {
  uint32_t c, pc;
  size_t n;
  if (s >= ms->len) return 0;
  n = char_at(ms->s, ms->len, s, &c);
  switch (ms->p[p]) {
  case '.': return n;
  case ESC:
    char_at(ms->p, ms->plen, p + 1, &pc);
    return class_match(c, pc) ? n : 0;
  case '[': return set_match(ms, c, p, ep - 1) ? n : 0;
  default:
    if (c < 0x80) return c == ms->p[p]; /* an ASCII character equals only a one-byte item */
    char_at(ms->p, ms->plen, p, &pc);
    return pc == c ? n : 0;
  }
}

static size_t do_match(mstate *ms, size_t s, size_t p);

static size_t too_long(mstate *ms, size_t p) {
  return fail(ms, COPYDESK_ERR_DEPTH, "pattern too complex (step limit)", p);
}

/* Item p..ep repeated as often as possible, then given back one character at a time. */
static size_t max_expand(mstate *ms, size_t s, size_t p, size_t ep) {
  size_t i = s, n, r, scanned = 0;
  uint32_t c;
  while ((n = single(ms, i, p, ep)) > 0) {
    i += n;
    scanned++;
  }
  if (scanned > ms->steps_left) return too_long(ms, p);
  ms->steps_left -= scanned;
  for (;;) {
    r = do_match(ms, i, ep + 1);
    if (r != NOMATCH || i == s) return r;
    i -= char_before(ms->s, s, i, &c);
  }
}

/* Item p..ep repeated as few times as the rest of the pattern allows. */
static size_t min_expand(mstate *ms, size_t s, size_t p, size_t ep) {
  size_t r, n;
  for (;;) {
    r = do_match(ms, s, ep + 1);
    if (r != NOMATCH) return r;
    if ((n = single(ms, s, p, ep)) == 0) return NOMATCH;
    s += n;
  }
}

/* Opens a capture at s ('(' at p; the rest of the pattern at rest) of kind `what`. */
static size_t open_capture(mstate *ms, size_t s, size_t p, size_t rest, size_t what) {
  size_t r;
  if (ms->level >= COPYDESK_PATTERN_MAXCAPTURES)
    return fail(ms, COPYDESK_ERR_INVALID, "too many captures", p);
  ms->cap[ms->level].pos = s;
  ms->cap[ms->level].len = what;
  ms->level++;
  r = do_match(ms, s, rest);
  if (r == NOMATCH) ms->level--;
  return r;
}

/* Closes the innermost open capture at s (')' at p). */
static size_t close_capture(mstate *ms, size_t s, size_t p) {
  int l = ms->level - 1;
  size_t r;
  while (l >= 0 && ms->cap[l].len != UNFINISHED) l--;
  if (l < 0) return fail(ms, COPYDESK_ERR_INVALID, "invalid pattern capture", p);
  ms->cap[l].len = s - ms->cap[l].pos;
  r = do_match(ms, s, p + 1);
  if (r == NOMATCH) ms->cap[l].len = UNFINISHED;
  return r;
}

/* %1-%9 at p: the text of that capture again, at s. A position capture never matches. */
static size_t backref(mstate *ms, size_t s, size_t p) {
  int l = ms->p[p + 1] - '1';
  size_t len;
  if (l < 0 || l >= ms->level || ms->cap[l].len == UNFINISHED)
    return fail(ms, COPYDESK_ERR_INVALID, bad_index[l + 1], p);
  len = ms->cap[l].len;
  if (len == POSITION || ms->len - s < len || memcmp(ms->s + ms->cap[l].pos, ms->s + s, len) != 0)
    return NOMATCH;
  return s + len;
}

/* %bxy (the '%' at p): from an x at s to its balancing y. Sets *rest past y in the pattern. */
static size_t balance(mstate *ms, size_t s, size_t p, size_t *rest) {
  uint32_t open, close, c;
  size_t q = p + 2, depth = 1;
  if (q >= ms->plen) goto missing;
  q += char_at(ms->p, ms->plen, q, &open);
  if (q >= ms->plen) goto missing;
  q += char_at(ms->p, ms->plen, q, &close);
  *rest = q;
  if (s >= ms->len) return NOMATCH;
  s += char_at(ms->s, ms->len, s, &c);
  if (c != open) return NOMATCH;
  while (s < ms->len) {
    s += char_at(ms->s, ms->len, s, &c);
    if (c == close) {
      if (--depth == 0) return s;
    } else if (c == open) {
      depth++;
    }
  }
  return NOMATCH;
missing:
  return fail(ms, COPYDESK_ERR_INVALID, "malformed pattern (missing arguments to '%b')", p);
}

/* %f[set] (the '%' at p): matches the empty string at s when the character before s (U+0000 at
** the start) is not in the set and the one at s (U+0000 at the end) is. Sets *rest. */
static size_t frontier(mstate *ms, size_t s, size_t p, size_t *rest) {
  uint32_t before = 0, after = 0;
  size_t set = p + 2, end;
  if (set >= ms->plen || ms->p[set] != '[')
    return fail(ms, COPYDESK_ERR_INVALID, "missing '[' after '%f' in pattern", p);
  end = item_end(ms, set);
  if (end == FAILED) return FAILED;
  if (s > 0) char_before(ms->s, 0, s, &before);
  if (s < ms->len) char_at(ms->s, ms->len, s, &after);
  if (set_match(ms, before, set, end - 1) || !set_match(ms, after, set, end - 1)) return NOMATCH;
  *rest = end;
  return s;
}

/* Matches pattern p.. at subject s: returns the end of the match, NOMATCH or FAILED. One switch
** over the item at p; items that need no backtracking loop instead of recursing. */
static size_t match_here(mstate *ms, size_t s, size_t p) {
  const unsigned char *pat = ms->p;
  size_t ep, n, r;
  int quant;
  while (p < ms->plen) {
    switch (pat[p]) {
    case '(':
      if (p + 1 < ms->plen && pat[p + 1] == ')') return open_capture(ms, s, p, p + 2, POSITION);
      return open_capture(ms, s, p, p + 1, UNFINISHED);
    case ')':
      return close_capture(ms, s, p);
    case '$':
      if (p + 1 == ms->plen) return s == ms->len ? s : NOMATCH;
      break; /* elsewhere '$' is an ordinary character */
    case ESC:
      if (p + 1 >= ms->plen) break; /* item_end reports it */
      if (pat[p + 1] == 'b' || pat[p + 1] == 'f') {
        r = pat[p + 1] == 'b' ? balance(ms, s, p, &ep) : frontier(ms, s, p, &ep);
        if (r >= FAILED) return r;
        s = r;
        p = ep;
        continue;
      }
      if (pat[p + 1] >= '0' && pat[p + 1] <= '9') {
        r = backref(ms, s, p);
        if (r >= FAILED) return r;
        s = r;
        p += 2;
        continue;
      }
      break;
    default:
      break;
    }
    ep = item_end(ms, p);
    if (ep == FAILED) return FAILED;
    quant = ep < ms->plen ? pat[ep] : 0;
    n = single(ms, s, p, ep);
    if (n == 0) {
      if (quant != '*' && quant != '?' && quant != '-') return NOMATCH;
      p = ep + 1; /* zero repetitions */
      continue;
    }
    switch (quant) {
    case '?':
      r = do_match(ms, s + n, ep + 1);
      if (r != NOMATCH) return r;
      p = ep + 1;
      continue;
    case '+': return max_expand(ms, s + n, p, ep);
    case '*': return max_expand(ms, s, p, ep);
    case '-': return min_expand(ms, s, p, ep);
    default:
      s += n;
      p = ep;
      continue;
    }
  }
  return s;
}

/* Every nested attempt passes here, so the depth limit bounds the C stack. */
static size_t do_match(mstate *ms, size_t s, size_t p) {
  size_t r;
  if (ms->calls_left-- == 0)
    return fail(ms, COPYDESK_ERR_DEPTH, "pattern too complex", p);
  if (ms->steps_left-- == 0) return too_long(ms, p);
  r = match_here(ms, s, p);
  ms->calls_left++;
  return r;
}

int copydesk_pattern_is_plain(const char *p, size_t plen) {
  size_t i;
  for (i = 0; i < plen; i++)
    if (memchr(SPECIALS, p[i], sizeof SPECIALS - 1) != NULL) return 0;
  return 1;
}

/* string.find's plain search: bytes, from init (memmem is not in POSIX). */
static void find_plain(const char *s, size_t len, const char *p, size_t plen, size_t init,
                       copydesk_pattern_match *m) {
  const char *at = s + init, *last;
  if (plen > 0) {
    if (len - init < plen) return;
    last = s + len - plen; /* the last place a match can start */
    for (;;) {
      at = memchr(at, p[0], (size_t)(last - at) + 1);
      if (at == NULL) return;
      if (memcmp(at + 1, p + 1, plen - 1) == 0) break;
      if (at++ == last) return;
    }
  }
  m->found = 1;
  m->pos = (size_t)(at - s);
  m->end = m->pos + plen;
  m->ncap = 0;
}

static void take_match(const mstate *ms, size_t pos, size_t end, copydesk_pattern_match *m) {
  m->found = 1;
  m->pos = pos;
  m->end = end;
  m->ncap = ms->level;
  memcpy(m->cap, ms->cap, (size_t)ms->level * sizeof ms->cap[0]);
}

copydesk_code copydesk_pattern_find(const char *s, size_t len, const char *p, size_t plen,
                                    size_t init, unsigned flags, copydesk_pattern_match *m,
                                    copydesk_err *err) {
  mstate ms;
  size_t start, first, r, pstart;
  uint32_t c;
  int anchor;
  m->found = 0;
  if (flags & ~(unsigned)KNOWN_FLAGS)
    return cd_fail(err, COPYDESK_ERR_INVALID, "unknown flag", "pattern", p, plen, 0);
  cd_ok(err);
  if (init > len) return COPYDESK_OK;
  first = start = snap((const unsigned char *)s, len, init);
  if (flags & COPYDESK_PATTERN_PLAIN) {
    if (plen == 0 && (flags & COPYDESK_PATTERN_NOT_EMPTY_AT_INIT)) {
      if (start >= len) return COPYDESK_OK;
      start += char_at((const unsigned char *)s, len, start, &c);
    }
    find_plain(s, len, p, plen, start, m);
    return COPYDESK_OK;
  }
  anchor = !(flags & COPYDESK_PATTERN_CARET_LITERAL) && plen > 0 && p[0] == '^';
  pstart = anchor ? 1 : 0;
  ms.s = (const unsigned char *)s;
  ms.p = (const unsigned char *)p;
  ms.len = len;
  ms.plen = plen;
  ms.steps_left = CD_PATTERN_MAXSTEPS;
  for (;;) {
    ms.level = 0;
    ms.calls_left = COPYDESK_PATTERN_MAXDEPTH;
    r = do_match(&ms, start, pstart);
    if (r == FAILED) return cd_fail(err, ms.code, ms.msg, "pattern", p, plen, ms.errpos);
    /* a match can end at the first start only by being empty there */
    if (r != NOMATCH && !(r == first && (flags & COPYDESK_PATTERN_NOT_EMPTY_AT_INIT))) {
      take_match(&ms, start, r, m);
      return COPYDESK_OK;
    }
    if (anchor || start >= len) return COPYDESK_OK;
    start += char_at(ms.s, len, start, &c);
  }
}
