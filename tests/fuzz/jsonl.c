/* One JSON-lines record on any bytes: an error has a position inside the record; a parsed
** record renders as JSON to valid UTF-8 that parses again and renders to the same bytes. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  if (size > FUZZ_MAX_LEN) size = FUZZ_MAX_LEN;
  copydesk_jsonl_opts opts = {0};
  opts.max_depth = data[0] & 15;          /* 0: the default */
  if (data[0] & 16) opts.text_field = "body";
  const char *s = (const char *)data + 1;
  size_t len = size - 1;

  copydesk_article *a = NULL;
  copydesk_err err;
  copydesk_code rc = copydesk_jsonl_parse(s, len, &opts, NULL, &a, &err);
  if (rc != COPYDESK_OK) {
    FUZZ_CHECK(a == NULL && err.code == rc && err.pos <= len);
    return 0;
  }
  FUZZ_CHECK(copydesk_utf8_valid(a->body, a->body_len, NULL));
  copydesk_buf first, second;
  copydesk_buf_init(&first, NULL);
  copydesk_buf_init(&second, NULL);
  rc = copydesk_article_render(a, COPYDESK_FORMAT_JSON, &first, NULL);
  /* A key named "text" or holding a zero byte has no JSON rendering (ERR_EMIT); nothing else
  ** in a parsed record may fail. */
  FUZZ_CHECK(rc == COPYDESK_OK || rc == COPYDESK_ERR_EMIT);
  if (rc == COPYDESK_OK) {
    FUZZ_CHECK(fuzz_utf8(&first));
    copydesk_article *again = NULL;
    FUZZ_CHECK(copydesk_jsonl_parse(first.data, first.len, NULL, NULL, &again, NULL) ==
               COPYDESK_OK);
    FUZZ_CHECK(copydesk_article_render(again, COPYDESK_FORMAT_JSON, &second, NULL) ==
               COPYDESK_OK);
    FUZZ_CHECK(fuzz_same(&first, &second));
    copydesk_article_free(again);
  }
  copydesk_buf_free(&first);
  copydesk_buf_free(&second);
  copydesk_article_free(a);
  return 0;
}
