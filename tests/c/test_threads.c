/* test_threads.c: the C API called from two threads at once on different inputs gives the same
** results as one thread (no global mutable state). make test also runs it under Helgrind when
** valgrind is installed. */
#include <pthread.h>

#include "check.h"

#define ROUNDS 20

static const char *const inputs[] = {
  "tests/fixtures/articles/ferry-front-matter.md",
  "tests/fixtures/articles/harbour-dated.txt",
  "tests/fixtures/articles/timetable-front-matter.md",
  "tests/fixtures/articles/plain-lighthouse.txt",
};
#define NINPUTS (sizeof inputs / sizeof inputs[0])

typedef struct job {
  const char *text;
  size_t len;
  copydesk_buf result; /* fix, parse, normalise space, render as JSON, count words */
  int failed;
} job;

static size_t count_words(const char *s, size_t len) {
  copydesk_seg c;
  size_t pos, n, words = 0;
  copydesk_token_kind kind;
  copydesk_seg_init(&c, s, len, COPYDESK_SEG_WORD);
  while (copydesk_seg_next(&c, &pos, &n, &kind)) words += kind == COPYDESK_TOKEN_LETTERS;
  return words;
}

static int run_once(const char *s, size_t len, copydesk_buf *out) {
  copydesk_buf fixed, clean;
  copydesk_article *art = NULL;
  char words[32];
  int ok;
  copydesk_buf_init(&fixed, NULL);
  copydesk_buf_init(&clean, NULL);
  ok = copydesk_fix(s, len, NULL, &fixed, NULL, NULL) == COPYDESK_OK &&
       copydesk_article_parse(fixed.data, fixed.len, NULL, NULL, &art, NULL) == COPYDESK_OK &&
       copydesk_clean_space(art->body, art->body_len, &clean, NULL) == COPYDESK_OK &&
       copydesk_article_set_body(art, clean.data, clean.len) == COPYDESK_OK &&
       copydesk_article_render(art, COPYDESK_FORMAT_JSON, out, NULL) == COPYDESK_OK;
  if (ok) {
    snprintf(words, sizeof words, " %zu words", count_words(art->body, art->body_len));
    ok = copydesk_buf_append(out, words, strlen(words)) == COPYDESK_OK;
  }
  copydesk_article_free(art);
  copydesk_buf_free(&fixed);
  copydesk_buf_free(&clean);
  return ok;
}

static void *worker(void *arg) {
  job *j = arg;
  int r;
  for (r = 0; r < ROUNDS; r++) {
    copydesk_buf out;
    copydesk_buf_init(&out, NULL);
    if (!run_once(j->text, j->len, &out) || out.len != j->result.len ||
        memcmp(out.data, j->result.data, out.len) != 0)
      j->failed++;
    copydesk_buf_free(&out);
  }
  return NULL;
}

int main(void) {
  job jobs[NINPUTS];
  pthread_t threads[NINPUTS];
  size_t i;
  for (i = 0; i < NINPUTS; i++) {
    jobs[i].text = check_slurp(inputs[i], &jobs[i].len);
    jobs[i].failed = 0;
    copydesk_buf_init(&jobs[i].result, NULL);
    check(run_once(jobs[i].text, jobs[i].len, &jobs[i].result), "%s alone", inputs[i]);
  }
  for (i = 0; i < NINPUTS; i++)
    check(pthread_create(&threads[i], NULL, worker, &jobs[i]) == 0, "thread %zu", i);
  for (i = 0; i < NINPUTS; i++) {
    pthread_join(threads[i], NULL);
    check(jobs[i].failed == 0, "%s: %d of %d rounds differ in threads", inputs[i], jobs[i].failed,
          ROUNDS);
    copydesk_buf_free(&jobs[i].result);
    free((char *)jobs[i].text);
  }
  return check_done("test_threads");
}
