/* Runs a fuzz target's LLVMFuzzerTestOneInput over files and folders (walked recursively), so
** `make test` checks every target's properties on its seed corpus without clang. A broken
** property aborts; a clean run ends with the suite's "N passed, 0 failed" line. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static size_t inputs;

/* Reads the whole file into a fresh allocation (the target sees exactly its bytes, so ASan
** catches a read past the end). Returns 0 when it cannot be read. */
static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  size_t cap = 4096, len = 0;
  unsigned char *data = malloc(cap);
  size_t n;
  while (data && (n = fread(data + len, 1, cap - len, f)) > 0) {
    len += n;
    if (len == cap) {
      unsigned char *more = realloc(data, cap * 2);
      if (!more) { free(data); data = NULL; break; }
      data = more;
      cap *= 2;
    }
  }
  fclose(f);
  if (!data) return 0;
  unsigned char *exact = malloc(len ? len : 1);
  if (!exact) { free(data); return 0; }
  memcpy(exact, data, len);
  free(data);
  LLVMFuzzerTestOneInput(exact, len);
  free(exact);
  inputs++;
  return 1;
}

static int run_path(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "%s: cannot read\n", path);
    return 0;
  }
  if (!S_ISDIR(st.st_mode)) return run_file(path);
  DIR *d = opendir(path);
  if (!d) return 0;
  int ok = 1;
  struct dirent *e;
  while (ok && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    size_t n = strlen(path) + strlen(e->d_name) + 2;
    char *sub = malloc(n);
    if (!sub) { ok = 0; break; }
    snprintf(sub, n, "%s/%s", path, e->d_name);
    ok = run_path(sub);
    free(sub);
  }
  closedir(d);
  return ok;
}

int main(int argc, char **argv) {
  const char *name = strrchr(argv[0], '/');
  name = name ? name + 1 : argv[0];
  for (int i = 1; i < argc; i++) {
    if (!run_path(argv[i])) {
      printf("fuzz %s: 0 passed, 1 failed\n", name);
      return 1;
    }
  }
  /* An empty corpus would pass without checking anything. */
  if (inputs == 0) {
    printf("fuzz %s: no input: 0 passed, 1 failed\n", name);
    return 1;
  }
  printf("fuzz %s: %zu inputs: 1 passed, 0 failed\n", name, inputs);
  return 0;
}
