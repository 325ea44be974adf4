/* Article parse and render on any bytes. Whatever parses and renders as front matter parses
** again to an article that renders to the same bytes (parse/render/parse round-trips), and the
** same holds for a JSON-lines record rendered as JSON; every rendering is valid UTF-8 when the
** body is. The first byte picks the limits, so the depth and size limits get fuzzed too. */
#include "fuzz.h"

/* Renders `a` in `format`, parses that with `parse`, renders again: the two renderings match. */
static void round_trip(const copydesk_article *a, copydesk_format format, int body_utf8) {
  copydesk_buf first, second;
  copydesk_buf_init(&first, NULL);
  copydesk_buf_init(&second, NULL);
  if (copydesk_article_render(a, format, &first, NULL) == COPYDESK_OK) {
    if (body_utf8) FUZZ_CHECK(fuzz_utf8(&first));
    copydesk_article *again = NULL;
    copydesk_code rc = format == COPYDESK_FORMAT_JSON
        ? copydesk_jsonl_parse(first.data, first.len, NULL, NULL, &again, NULL)
        : copydesk_article_parse(first.data, first.len, NULL, NULL, &again, NULL);
    FUZZ_CHECK(rc == COPYDESK_OK);
    FUZZ_CHECK(copydesk_article_render(again, format, &second, NULL) == COPYDESK_OK);
    FUZZ_CHECK(fuzz_same(&first, &second));
    copydesk_article_free(again);
  }
  copydesk_buf_free(&first);
  copydesk_buf_free(&second);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  if (size > FUZZ_MAX_LEN) size = FUZZ_MAX_LEN;
  copydesk_parse_opts opts = {0};
  opts.max_depth = data[0] & 15;               /* 0: the default */
  opts.max_len = (data[0] & 16) ? 4096 : 0;
  const char *s = (const char *)data + 1;
  size_t len = size - 1;

  copydesk_article *a = NULL;
  copydesk_err err;
  copydesk_code rc = copydesk_article_parse(s, len, &opts, NULL, &a, &err);
  if (rc != COPYDESK_OK) {
    FUZZ_CHECK(a == NULL);
    FUZZ_CHECK(err.code == rc && err.pos <= len && err.msg != NULL);
    if (opts.max_len) FUZZ_CHECK(rc != COPYDESK_ERR_TOO_LARGE || len > opts.max_len);
    return 0;
  }
  FUZZ_CHECK(a->body_len <= len && a->meta.type == COPYDESK_MAP);
  int body_utf8 = copydesk_utf8_valid(a->body, a->body_len, NULL);
  round_trip(a, COPYDESK_FORMAT_FRONT_MATTER, body_utf8);
  round_trip(a, COPYDESK_FORMAT_JSON, body_utf8);
  copydesk_article_free(a);
  return 0;
}
