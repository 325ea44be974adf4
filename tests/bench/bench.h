/* bench.h: what the C baselines of make bench share: a text read whole, a CPU clock and the
** median of a set of runs. */
#ifndef BENCH_H
#define BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct text {
  char *s;
  size_t len;
} text;

static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The median of t[0..n), which it sorts. */
static double median(double *t, int n) {
  qsort(t, (size_t)n, sizeof *t, cmp_double);
  return t[n / 2];
}

/* Reads the whole file, zero-terminated; a file that cannot be read ends the program (`prog`
** names it in the message). */
static text read_text(const char *prog, const char *path) {
  text t = {NULL, 0};
  FILE *f = fopen(path, "rb");
  long n;
  if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
    fprintf(stderr, "%s: cannot read %s\n", prog, path);
    exit(2);
  }
  rewind(f);
  t.s = malloc((size_t)n + 1);
  if (t.s == NULL || fread(t.s, 1, (size_t)n, f) != (size_t)n) exit(2);
  t.s[n] = '\0';
  t.len = (size_t)n;
  fclose(f);
  return t;
}

#endif
