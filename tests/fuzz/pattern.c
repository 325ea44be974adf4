/* Unicode patterns on any pattern and subject: the first byte picks the flags and the pattern's
** length, the pattern comes next and the subject is the rest. A match lies inside the subject,
** at init or later, with captures inside it; iterating as gmatch does always moves on and
** ends; a pattern without special characters finds what a plain search finds. */
#include "fuzz.h"

static void check_match(const copydesk_pattern_match *m, size_t len, size_t init) {
  FUZZ_CHECK(m->pos >= init && m->pos <= m->end && m->end <= len);
  FUZZ_CHECK(m->ncap >= 0 && m->ncap <= COPYDESK_PATTERN_MAXCAPTURES);
  for (int i = 0; i < m->ncap; i++) {
    const copydesk_pattern_cap *c = &m->cap[i];
    FUZZ_CHECK(c->pos <= len);
    if (c->len != COPYDESK_PATTERN_POSITION && c->len != COPYDESK_PATTERN_UNFINISHED)
      FUZZ_CHECK(c->len <= len - c->pos);
  }
}

/* gmatch: each match starts at or after the previous end, and after the first each one ends
** past the previous end (an empty match at init does not count), so the loop ends. */
static void check_iteration(const char *s, size_t len, const char *p, size_t plen,
                            unsigned flags) {
  size_t init = 0, steps = 0;
  copydesk_pattern_match m;
  while (init <= len) {
    if (copydesk_pattern_find(s, len, p, plen, init, flags, &m, NULL) != COPYDESK_OK || !m.found)
      break;
    check_match(&m, len, init);
    if (flags & COPYDESK_PATTERN_NOT_EMPTY_AT_INIT) FUZZ_CHECK(m.end > init);
    init = m.end;
    flags |= COPYDESK_PATTERN_NOT_EMPTY_AT_INIT;
    FUZZ_CHECK(++steps <= len + 2);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  if (size > FUZZ_MAX_LEN) size = FUZZ_MAX_LEN;
  unsigned flags = data[0] & COPYDESK_PATTERN_CARET_LITERAL;
  size_t plen = (data[0] >> 2) % 32;
  if (plen > size - 1) plen = size - 1;
  const char *p = (const char *)data + 1;
  const char *s = p + plen;
  size_t len = size - 1 - plen;

  copydesk_pattern_match m;
  copydesk_err err;
  copydesk_code rc = copydesk_pattern_find(s, len, p, plen, 0, flags, &m, &err);
  FUZZ_CHECK(rc == COPYDESK_OK || rc == COPYDESK_ERR_INVALID || rc == COPYDESK_ERR_DEPTH);
  if (rc != COPYDESK_OK) {
    FUZZ_CHECK(!m.found && err.pos <= plen);
    return 0;
  }
  if (m.found) check_match(&m, len, 0);
  /* Byte search and character matching agree on valid UTF-8 (a character's bytes cannot
  ** start inside another's). */
  if (copydesk_pattern_is_plain(p, plen) && copydesk_utf8_valid(p, plen, NULL) &&
      copydesk_utf8_valid(s, len, NULL)) {
    copydesk_pattern_match plain;
    FUZZ_CHECK(copydesk_pattern_find(s, len, p, plen, 0, COPYDESK_PATTERN_PLAIN, &plain, NULL) ==
               COPYDESK_OK);
    FUZZ_CHECK(plain.found == m.found && (!m.found || (plain.pos == m.pos && plain.end == m.end)));
  }
  check_iteration(s, len, p, plen, flags);
  return 0;
}
