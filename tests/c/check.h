/* check.h: the C tests' harness: check() counts, reports file:line and a message on failure. */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copydesk.h"

/* Not every test uses every helper. */
#define CHECK_HELPER static __attribute__((unused))

static int check_passed, check_failed;

#define check(cond, ...)                                                  \
  do {                                                                    \
    if (cond) check_passed++;                                             \
    else {                                                                \
      check_failed++;                                                     \
      fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                       \
      fputc('\n', stderr);                                                \
    }                                                                     \
  } while (0)

/* Prints the closing line the test runner adds up; returns the exit status. */
CHECK_HELPER int check_done(const char *name) {
  printf("%s: %d passed, %d failed\n", name, check_passed, check_failed);
  return check_failed ? 1 : 0;
}

/* A heap copy of exactly len bytes (no terminator), so ASan catches a read past the end. */
CHECK_HELPER char *check_dup(const char *s, size_t len) {
  char *p = malloc(len ? len : 1);
  if (p == NULL) abort();
  memcpy(p, s, len);
  return p;
}

/* An error struct filled with 0xFF so that a field left unset shows. */
CHECK_HELPER copydesk_err check_err(void) {
  copydesk_err e;
  memset(&e, 0xFF, sizeof e);
  return e;
}

/* Reads a whole file (tests run from the project's top folder); aborts if it cannot. */
CHECK_HELPER char *check_slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *p;
  long n;
  if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
    fprintf(stderr, "cannot read %s\n", path);
    abort();
  }
  rewind(f);
  p = malloc((size_t)n + 1);
  if (p == NULL || fread(p, 1, (size_t)n, f) != (size_t)n) abort();
  p[n] = '\0';
  fclose(f);
  *len = (size_t)n;
  return p;
}

/* An allocator that fails the n-th allocation (1-based) and counts live blocks. */
typedef struct check_failing {
  long countdown; /* allocations left before the failure; <0 never fails */
  long live;
} check_failing;

CHECK_HELPER void *failing_malloc(void *ctx, size_t n) {
  check_failing *f = ctx;
  if (f->countdown == 0) return NULL;
  if (f->countdown > 0) f->countdown--;
  f->live++;
  return malloc(n);
}

CHECK_HELPER void *failing_realloc(void *ctx, void *p, size_t old, size_t n) {
  check_failing *f = ctx;
  void *q;
  (void)old;
  if (f->countdown == 0) return NULL;
  if (f->countdown > 0) f->countdown--;
  q = realloc(p, n);
  if (p == NULL && q) f->live++;
  return q;
}

CHECK_HELPER void failing_free(void *ctx, void *p, size_t n) {
  check_failing *f = ctx;
  (void)n;
  if (p) f->live--;
  free(p);
}

CHECK_HELPER copydesk_alloc check_failing_alloc(check_failing *f) {
  copydesk_alloc a = {failing_malloc, failing_realloc, failing_free, f};
  return a;
}

#endif
