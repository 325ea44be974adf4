/* sentence_internal.h: the abbreviation data of the English sentence splitter. */
#ifndef CD_SENTENCE_INTERNAL_H
#define CD_SENTENCE_INTERNAL_H

#include "internal.h"

typedef struct cd_abbr {
  const char *text; /* without the final period */
  unsigned char len;
  unsigned char cls; /* copydesk_abbrev_class */
} cd_abbr;

extern const cd_abbr cd_abbrevs_builtin[];
extern const size_t cd_abbrevs_builtin_n;

/* The class of key (without its final period) in the built-in list, or -1. */
int cd_abbrev_builtin_class(const char *key, size_t len);

#endif
