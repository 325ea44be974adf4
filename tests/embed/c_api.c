/* c_api.c: an embedder that uses only the C API: repair a text, parse an article, count words.
** Built by the install test against the installed headers and libraries through pkg-config. */
#include <stdio.h>
#include <string.h>

#include <copydesk.h>

static const char article[] =
  "--- \ntitle: > \n  A ferry\ndate: 1615730520\n--- \nThe boat cost \xc3\x82\xc2\xa3" "4,000 today.\n";

static size_t count_words(const char *s, size_t len) {
  copydesk_seg c;
  size_t pos, n, words = 0;
  copydesk_token_kind kind;
  copydesk_seg_init(&c, s, len, COPYDESK_SEG_WORD);
  while (copydesk_seg_next(&c, &pos, &n, &kind))
    if (kind == COPYDESK_TOKEN_LETTERS || kind == COPYDESK_TOKEN_NUMBER) words++;
  return words;
}

int main(void) {
  copydesk_buf fixed, out;
  copydesk_article *art = NULL;
  copydesk_err err;
  size_t changes;
  int status = 1;
  copydesk_buf_init(&fixed, NULL);
  copydesk_buf_init(&out, NULL);
  if (copydesk_fix(article, sizeof article - 1, NULL, &fixed, &changes, &err) != COPYDESK_OK)
    fprintf(stderr, "fix: %s\n", err.msg);
  else if (copydesk_article_parse(fixed.data, fixed.len, NULL, NULL, &art, &err) != COPYDESK_OK)
    fprintf(stderr, "%zu:%zu: %s\n", err.line, err.col, err.msg);
  else if (copydesk_article_render(art, COPYDESK_FORMAT_JSON, &out, &err) != COPYDESK_OK)
    fprintf(stderr, "render: %s\n", err.msg);
  else {
    printf("%s\nwords %zu, repairs %zu, version %s\n", out.data,
           count_words(art->body, art->body_len), changes, copydesk_version());
    status = 0;
  }
  copydesk_article_free(art);
  copydesk_buf_free(&fixed);
  copydesk_buf_free(&out);
  return status;
}
