/* fix_hint.c: the script hints. Text written in a legacy code page (Windows-1251, ...) and read
** as Windows-1252 is read again in the hinted page: for Cyrillic and Greek, whole words that read
** as letters of the script, in lines with a word of HINT_MIN_WORD letters or more; for the Latin
** pages, runs whose reading makes the text less odd (cd_weirdness). A line is rewritten only when
** its rewritten form holds no such evidence again, so that fixing the output changes nothing.
*/
#include "fix_internal.h"

/* With a Cyrillic or Greek hint, a line is rewritten when one of its words reads as this many
** letters of the script or more. */
#define HINT_MIN_WORD 3
/* With a Latin hint, a run is rewritten when its reading is this much less odd, and others in
** the same line then when they are this much less odd. */
#define HINT_DROP 1
#define HINT_LENIENT_DROP 0

/* The hint's reading of the run s[pos..end) (characters Windows-1252 encodes) into cps; returns
** how many, 0 when a byte reads as a C1 control or the run is too long to judge. */
static size_t hint_read(const unsigned char *s, size_t pos, size_t end, const cd_codepage *page,
                        uint32_t *cps) {
  size_t n = 0;
  uint32_t cp;
  while (pos < end) {
    pos += cd_utf8_next(s, end, pos, &cp);
    if (n == CD_WINDOW) return 0;
    cps[n] = page->decode[cd_cp_encode(&cd_cp1252, cp)];
    if (cps[n] >= 0x80 && cps[n] <= 0x9F) return 0;
    n++;
  }
  return n;
}

/* The end of the run at s[i] of non-ASCII characters Windows-1252 encodes (i when none). */
static size_t latin_run_end(const unsigned char *s, size_t end, size_t i) {
  uint32_t cp;
  while (i < end && s[i] >= 0x80) {
    size_t k = cd_utf8_next(s, end, i, &cp);
    if (cd_cp_encode(&cd_cp1252, cp) < 0x80) break;
    i += k;
  }
  return i;
}

/* Whether s[pos..end) holds the punctuation clean Windows-1252 text is full of (quotes, dashes,
** ellipsis, bullet, trade mark): a Latin hint leaves such runs, which misread would turn into
** letters ("’" is "í" in MacRoman). The low quotes are not in the list: CP437 text read as
** Windows-1252 is full of them ("caf‚" is "café", "B„r" is "Bär"). */
static int typographic_run(const unsigned char *s, size_t pos, size_t end) {
  uint32_t cp;
  while (pos < end) {
    pos += cd_utf8_next(s, end, pos, &cp);
    if (cp == 0x2013 || cp == 0x2014 || cp == 0x2018 || cp == 0x2019 || cp == 0x201C ||
        cp == 0x201D || cp == 0x2022 || cp == 0x2026 || cp == 0x2122)
      return 1;
  }
  return 0;
}

/* Whether the run s[pos..end) read as cps[0..n) is to be rewritten: for Cyrillic and Greek a
** whole word (no letter beside it) of that script's letters; for the Latin pages, Latin
** letters that make the text less odd (`lenient`: no odder), and no typographic punctuation
** (typographic_run: "l’œuvre" stays). */
static int hint_takes(const unsigned char *s, size_t len, size_t pos, size_t end,
                      const uint32_t *cps, size_t n, int script, int lenient) {
  uint32_t win[CD_WINDOW + 2], before = cd_cp_before((const char *)s, pos);
  uint32_t after = cd_cp_at(s, len, end);
  size_t m = 0, i;
  if (script != CD_SCRIPT_LATIN)
    return !cd_is_letter(before) && !cd_is_letter(after) && cd_script_letters(cps, n, script) > 0;
  if (cd_script_letters(cps, n, CD_SCRIPT_LATIN) == 0 || typographic_run(s, pos, end)) return 0;
  if (before) win[m++] = before;
  for (i = 0; i < n; i++) win[m++] = cps[i];
  if (after) win[m++] = after;
  return cd_weirdness(win, m) <= cd_window_weirdness(s, pos, end, before, after) -
                                  (lenient ? HINT_LENIENT_DROP : HINT_DROP);
}

/* Whether the run s[pos..end) reads as cps, itself ("é" in Windows-1250). */
static int reads_as_itself(const unsigned char *s, size_t pos, size_t end, const uint32_t *cps) {
  uint32_t cp;
  size_t n = 0;
  while (pos < end) {
    pos += cd_utf8_next(s, end, pos, &cp);
    if (cp != cps[n++]) return 0;
  }
  return 1;
}

/* The script a hint's page writes: Cyrillic, Greek, or Latin for the others. */
static int hint_script(const cd_codepage *page) {
  if (page == cd_codepages[1]) return CD_SCRIPT_CYRILLIC;
  return page == cd_codepages[3] ? CD_SCRIPT_GREEK : CD_SCRIPT_LATIN;
}

/* Walks the runs of line s[start..end) with the hint; with out set, rewrites those taken (not
** those that read as themselves). A first walk (out NULL) measures the line's evidence into
** *evidence: for Cyrillic and Greek its longest word of the script's letters (HINT_MIN_WORD
** needed), for the Latin pages how many runs read less odd (one needed; then runs that read no
** odder are taken too: "gêœl¹"). */
static copydesk_code hint_line(const unsigned char *s, size_t len, size_t start, size_t end,
                               cd_step *st, copydesk_buf *out, size_t *done, size_t *evidence) {
  int script = hint_script(st->hint);
  uint32_t cps[CD_WINDOW];
  size_t i = start;
  copydesk_code rc = COPYDESK_OK;
  while (rc == COPYDESK_OK && (i = cd_skip_ascii(s, end, i)) < end) {
    size_t stop = latin_run_end(s, end, i), n, j, out_pos;
    uint32_t cp;
    if (stop == i) {
      i += cd_utf8_next(s, end, i, &cp);
      continue;
    }
    n = hint_read(s, i, stop, st->hint, cps);
    if (n > 0 && !out && hint_takes(s, len, i, stop, cps, n, script, 0)) {
      size_t letters = cd_script_letters(cps, n, script);
      if (script == CD_SCRIPT_LATIN) (*evidence)++;
      else if (letters > *evidence) *evidence = letters;
    }
    if (out && n > 0 && !reads_as_itself(s, i, stop, cps) &&
        hint_takes(s, len, i, stop, cps, n, script, 1)) {
      rc = copydesk_buf_append(out, (const char *)s + *done, i - *done);
      out_pos = out->len;
      for (j = 0; j < n && rc == COPYDESK_OK; j++) rc = cd_buf_put_cp(out, cps[j]);
      if (rc == COPYDESK_OK)
        rc = cd_step_note(st, i, stop - i, out_pos, out->len - out_pos, st->hint->name);
      *done = stop;
    }
    i = stop;
  }
  return rc;
}

/* The evidence a line needs (hint_line). */
static size_t hint_needs(const cd_codepage *page) {
  return hint_script(page) == CD_SCRIPT_LATIN ? 1 : HINT_MIN_WORD;
}

/* Rewrites line s[start..end) into dst (after s[*done..start)), unless the rewritten line would
** hold evidence for the hint again: "\x90Body" read as MacRoman is "êBody", whose "ê" reads as
** "Í", so fixing the output would change it; such a line is kept as it is. */
static copydesk_code rewrite_line(const unsigned char *s, size_t len, size_t start, size_t end,
                                  cd_step *st, copydesk_buf *dst, size_t *done) {
  size_t mark, line_done = start, evidence = 0, n = st->n;
  size_t nchanges = st->report ? st->report->nchanges : 0;
  copydesk_code rc = copydesk_buf_append(dst, (const char *)s + *done, start - *done);
  mark = dst->len;
  if (rc == COPYDESK_OK) rc = hint_line(s, len, start, end, st, dst, &line_done, NULL);
  if (rc == COPYDESK_OK) rc = copydesk_buf_append(dst, (const char *)s + line_done, end - line_done);
  if (rc == COPYDESK_OK)
    rc = hint_line((const unsigned char *)dst->data, dst->len, mark, dst->len, st, NULL, NULL,
                   &evidence);
  if (rc != COPYDESK_OK) return rc;
  *done = end;
  if (evidence < hint_needs(st->hint)) return COPYDESK_OK;
  st->n = n; /* forget the line's changes */
  if (st->report) st->report->nchanges = nchanges;
  dst->len = mark;
  return copydesk_buf_append(dst, (const char *)s + start, end - start);
}

copydesk_code cd_step_hint(const char *text, size_t len, cd_step *st, copydesk_buf *dst) {
  const unsigned char *s = (const unsigned char *)text;
  size_t start = 0, done = 0;
  copydesk_code rc = COPYDESK_OK;
  while (rc == COPYDESK_OK && start < len) {
    const unsigned char *nl = memchr(s + start, '\n', len - start);
    size_t end = nl ? (size_t)(nl - s) : len, evidence = 0;
    rc = hint_line(s, len, start, end, st, NULL, NULL, &evidence);
    if (rc == COPYDESK_OK && evidence >= hint_needs(st->hint))
      rc = rewrite_line(s, len, start, end, st, dst, &done);
    start = end + 1;
  }
  return cd_step_end(rc, st, dst, text, len, done);
}
