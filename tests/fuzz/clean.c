/* The cleaning steps on any text, run as clean runs them (after copydesk_fix, so on valid
** UTF-8): each output is valid UTF-8; the removing steps (boilerplate, captions, repeats) drop
** exactly the bytes their edits name, in order and inside the input; white-space cleaning is
** idempotent; glue only inserts. The first byte picks the flags; the text after the first zero
** byte (if any) is glue's body. */
#include "fuzz.h"

/* Edits in order, inside s[0..len), and out holds s less the removed spans. */
static void check_removals(const char *s, size_t len, const copydesk_buf *out,
                           const copydesk_edits *e) {
  size_t at = 0, removed = 0, o = 0;
  for (size_t i = 0; i < e->n; i++) {
    const copydesk_edit *ed = &e->items[i];
    FUZZ_CHECK(ed->pos >= at && ed->len <= len - ed->pos && ed->len > 0);
    size_t kept = ed->pos - at;
    FUZZ_CHECK(o + kept <= out->len && (kept == 0 || memcmp(out->data + o, s + at, kept) == 0));
    o += kept;
    at = ed->pos + ed->len;
    removed += ed->len;
  }
  FUZZ_CHECK(out->len == len - removed);
  FUZZ_CHECK(len == at || memcmp(out->data + o, s + at, len - at) == 0);
}

static void check_space(const char *s, size_t len) {
  copydesk_buf once, twice;
  copydesk_buf_init(&once, NULL);
  copydesk_buf_init(&twice, NULL);
  FUZZ_CHECK(copydesk_clean_space(s, len, &once, NULL) == COPYDESK_OK);
  FUZZ_CHECK(fuzz_utf8(&once));
  FUZZ_CHECK(copydesk_clean_space(once.data, once.len, &twice, NULL) == COPYDESK_OK);
  FUZZ_CHECK(fuzz_same(&once, &twice));
  copydesk_buf_free(&once);
  copydesk_buf_free(&twice);
}

static void check_removing(const char *s, size_t len, unsigned pick) {
  copydesk_buf out;
  copydesk_edits edits = {0};
  copydesk_buf_init(&out, NULL);
  FUZZ_CHECK(copydesk_clean_boilerplate(s, len, pick & 1, NULL, &out, &edits, NULL) ==
             COPYDESK_OK);
  FUZZ_CHECK(fuzz_utf8(&out));
  check_removals(s, len, &out, &edits);
  copydesk_buf_clear(&out);
  edits.n = 0;
  FUZZ_CHECK(copydesk_clean_captions(s, len, (pick >> 1) & 1, &out, &edits, NULL) == COPYDESK_OK);
  FUZZ_CHECK(fuzz_utf8(&out));
  check_removals(s, len, &out, &edits);
  copydesk_buf_clear(&out);
  edits.n = 0;
  copydesk_repeat_opts ropts = {0};
  ropts.min_len = (pick >> 2) & 7;
  FUZZ_CHECK(copydesk_clean_repeats(s, len, &ropts, &out, &edits, NULL) == COPYDESK_OK);
  FUZZ_CHECK(fuzz_utf8(&out));
  check_removals(s, len, &out, &edits);
  copydesk_buf_free(&out);
  copydesk_edits_free(&edits);
}

static void check_glue(const char *s, size_t len, const char *body, size_t body_len,
                       unsigned flags) {
  copydesk_buf out;
  copydesk_edits edits = {0};
  copydesk_buf_init(&out, NULL);
  FUZZ_CHECK(copydesk_clean_glue(s, len, body, body_len, flags, &out, &edits, NULL) ==
             COPYDESK_OK);
  FUZZ_CHECK(fuzz_utf8(&out));
  /* Insertions only: taking out the inserted separators gives the input back. */
  size_t at = 0;
  for (size_t i = 0; i < edits.n; i++) {
    FUZZ_CHECK(edits.items[i].len == 0 && edits.items[i].pos >= at && edits.items[i].pos <= len);
    at = edits.items[i].pos;
  }
  FUZZ_CHECK(out.len >= len + edits.n);
  copydesk_buf_free(&out);
  copydesk_edits_free(&edits);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  if (size > FUZZ_MAX_LEN) size = FUZZ_MAX_LEN;
  unsigned pick = data[0];
  copydesk_buf text;
  copydesk_buf_init(&text, NULL);
  FUZZ_CHECK(copydesk_fix((const char *)data + 1, size - 1, NULL, &text, NULL, NULL) ==
             COPYDESK_OK);
  const char *s = text.data ? text.data : "";
  const char *zero = memchr(s, 0, text.len);
  size_t len = zero ? (size_t)(zero - s) : text.len;
  const char *body = zero ? zero + 1 : NULL;
  size_t body_len = zero ? text.len - len - 1 : 0;

  check_space(s, len);
  check_removing(s, len, pick);
  check_glue(s, len, body, body_len, (pick >> 5) & 1);
  copydesk_buf_free(&text);
  return 0;
}
