/* Shared by the fuzz targets: each defines LLVMFuzzerTestOneInput, which libFuzzer drives when
** built with clang (`make fuzz`) and driver.c drives over the seed corpus under `make test`. */
#ifndef COPYDESK_FUZZ_H
#define COPYDESK_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copydesk.h"

/* Longer inputs find nothing shorter ones do not, and slow every run down. */
#define FUZZ_MAX_LEN 65536

/* A broken property must stop the run where libFuzzer (and the driver) see it: abort. */
#define FUZZ_CHECK(cond)                                                            \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond);   \
      abort();                                                                      \
    }                                                                               \
  } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whether two buffers hold the same bytes. */
static inline int fuzz_same(const copydesk_buf *a, const copydesk_buf *b) {
  return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/* Whether the buffer holds valid UTF-8. */
static inline int fuzz_utf8(const copydesk_buf *b) {
  return copydesk_utf8_valid(b->data, b->len, NULL);
}

#endif
