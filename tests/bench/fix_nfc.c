/* fix_nfc.c: copydesk_fix against reading the input and against utf8proc's own NFC, on the same
** UTF-8 text in the same process (run by tests/bench/fix.lua).
**
**   fix_nfc NAME=FILE...      (each FILE a UTF-8 text; NAME labels its rows)
**
** Every repair works line by line, as the fix recipe does: one call per line, one output buffer
** reused. Each figure is the median CPU time of RUNS runs, printed as MB/s of input and as
** ratios to reading the file and to utf8proc_map(NFC) over the same lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

#include "bench.h"
#include "copydesk.h"

#define RUNS 7

static volatile unsigned long sink; /* keeps the work from being optimised away */

static void run_read(const char *path) {
  text t = read_text("fix_nfc", path);
  sink += (unsigned char)t.s[t.len / 2];
  free(t.s);
}

static void run_nfc(const text *t) {
  size_t i = 0;
  while (i < t->len) {
    const char *nl = memchr(t->s + i, '\n', t->len - i);
    size_t end = nl ? (size_t)(nl - t->s) : t->len;
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)t->s + i,
                                      (utf8proc_ssize_t)(end - i), &out,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (n < 0) exit(3);
    sink += (unsigned long)n;
    free(out);
    i = end + 1;
  }
}

static unsigned run_flags; /* the copydesk_fix flags of run_fix */

static void run_fix(const text *t) {
  copydesk_fix_opts opts = {run_flags, NULL, COPYDESK_HINT_NONE};
  copydesk_buf out;
  size_t i = 0, changes;
  copydesk_buf_init(&out, NULL);
  while (i < t->len) {
    const char *nl = memchr(t->s + i, '\n', t->len - i);
    size_t end = nl ? (size_t)(nl - t->s) : t->len;
    copydesk_buf_clear(&out);
    if (copydesk_fix(t->s + i, end - i, &opts, &out, &changes, NULL) != COPYDESK_OK) exit(3);
    sink += changes + out.len;
    i = end + 1;
  }
  copydesk_buf_free(&out);
}

typedef void (*text_fn)(const text *t);

static double time_text(text_fn fn, const text *t) {
  double s[RUNS];
  int r;
  for (r = 0; r < RUNS; r++) {
    double c = cpu_now();
    fn(t);
    s[r] = cpu_now() - c;
  }
  return median(s, RUNS);
}

static double time_read(const char *path) {
  double s[RUNS];
  int r;
  for (r = 0; r < RUNS; r++) {
    double c = cpu_now();
    run_read(path);
    s[r] = cpu_now() - c;
  }
  return median(s, RUNS);
}

static void row(const char *corpus, const char *name, size_t len, double sec, double read,
                double nfc) {
  printf("%-12s %-34s %9.1f MB/s", corpus, name, (double)len / sec / 1e6);
  if (read > 0) printf("  %6.3fx read", read / sec);
  if (nfc > 0) printf("  %6.2fx utf8proc NFC", nfc / sec);
  printf("\n");
}

int main(int argc, char **argv) {
  int a;
  for (a = 1; a < argc; a++) {
    char *eq = strchr(argv[a], '=');
    const char *name = argv[a], *path;
    text t;
    double read, nfc;
    if (eq == NULL) {
      fprintf(stderr, "usage: fix_nfc NAME=FILE...\n");
      return 2;
    }
    *eq = '\0';
    path = eq + 1;
    t = read_text("fix_nfc", path);
    read = time_read(path);
    nfc = time_text(run_nfc, &t);
    row(name, "read the file (baseline)", t.len, read, 0, 0);
    row(name, "utf8proc NFC, line by line", t.len, nfc, read, 0);
    run_flags = COPYDESK_FIX_DEFAULT;
    row(name, "copydesk_fix default, line by line", t.len, time_text(run_fix, &t), read, nfc);
    run_flags = COPYDESK_FIX_FTFY;
    row(name, "copydesk_fix ftfy preset", t.len, time_text(run_fix, &t), read, nfc);
    run_flags = COPYDESK_FIX_NFC;
    row(name, "copydesk_fix NFC alone", t.len, time_text(run_fix, &t), read, nfc);
    free(t.s);
  }
  return 0;
}
