/* segment_icu.c: copydesk's segmentation and normalisation against ICU's break iterators and
** utf8proc_NFC, on the same UTF-8 text in the same process (run by tests/bench/segment.lua).
**
**   segment_icu ENGLISH MIXED      (two UTF-8 files: clean English prose, mixed scripts)
**
** Each figure is the median CPU time of RUNS runs, printed as MB/s and as a ratio to the
** baseline of its row group; only the ratios compare across machines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>
#include <utf8proc.h>

#include "bench.h"
#include "copydesk.h"

#define RUNS 7

/* A timed operation over a text: returns a count, so the work cannot be optimised away. */
typedef size_t (*op_fn)(const text *t);

static size_t checksum; /* every count lands here, and is printed */

static double median_seconds(op_fn op, const text *t) {
  double runs[RUNS];
  int i;
  for (i = 0; i < RUNS; i++) {
    double start = cpu_now();
    checksum += op(t);
    runs[i] = cpu_now() - start;
  }
  return median(runs, RUNS);
}

static size_t icu_count(const text *t, UBreakIteratorType type) {
  UErrorCode st = U_ZERO_ERROR;
  UText *ut = utext_openUTF8(NULL, t->s, (int64_t)t->len, &st);
  UBreakIterator *bi = ubrk_open(type, "en", NULL, 0, &st);
  size_t n = 0;
  int32_t p;
  ubrk_setUText(bi, ut, &st);
  if (U_FAILURE(st)) {
    fprintf(stderr, "segment_icu: ICU: %s\n", u_errorName(st));
    exit(2);
  }
  for (p = ubrk_first(bi); p != UBRK_DONE; p = ubrk_next(bi)) n++;
  ubrk_close(bi);
  utext_close(ut);
  return n;
}

static size_t icu_words(const text *t) { return icu_count(t, UBRK_WORD); }
static size_t icu_sentences(const text *t) { return icu_count(t, UBRK_SENTENCE); }
static size_t icu_graphemes(const text *t) { return icu_count(t, UBRK_CHARACTER); }

static size_t cd_words(const text *t) {
  return copydesk_seg_count(t->s, t->len, COPYDESK_SEG_WORD, 0);
}
static size_t cd_word_tokens(const text *t) { return copydesk_words_count(t->s, t->len, 0); }
static size_t cd_sentences_uax(const text *t) {
  return copydesk_seg_count(t->s, t->len, COPYDESK_SEG_SENTENCE, 0);
}
static size_t cd_sentences_en(const text *t) {
  return copydesk_sent_count(t->s, t->len, NULL, 0);
}
static size_t cd_graphemes(const text *t) {
  return copydesk_seg_count(t->s, t->len, COPYDESK_SEG_GRAPHEME, 0);
}

static size_t nfc_utf8proc(const text *t) {
  utf8proc_uint8_t *out = utf8proc_NFC((const utf8proc_uint8_t *)t->s);
  size_t n = out ? strlen((const char *)out) : 0;
  free(out);
  return n;
}

static copydesk_buf nfc_buf; /* reused, as a caller would */

static size_t nfc_copydesk(const text *t) {
  copydesk_buf_clear(&nfc_buf);
  if (copydesk_normalize(t->s, t->len, COPYDESK_NFC, &nfc_buf, NULL) != COPYDESK_OK) exit(2);
  return nfc_buf.len;
}

static void row(const char *name, op_fn op, const text *t, double base) {
  double sec = median_seconds(op, t);
  printf("%-44s %9.1f MB/s  ", name, (double)t->len / sec / 1e6);
  if (base > 0) printf("%6.2fx\n", base / sec);
  else printf("  baseline\n");
}

/* One group: the baseline row first, then copydesk's rows as ratios to it. */
static void group(const text *t, const char *label, const char *base_name, op_fn base,
                  const char *const names[], const op_fn ops[], int n) {
  double base_sec = median_seconds(base, t);
  int i;
  printf("%-44s %9.1f MB/s    baseline\n", base_name, (double)t->len / base_sec / 1e6);
  for (i = 0; i < n; i++) {
    char name[96];
    snprintf(name, sizeof name, "  %s (%s)", names[i], label);
    row(name, ops[i], t, base_sec);
  }
}

int main(int argc, char **argv) {
  text en, mixed;
  const text *texts[2];
  const char *labels[2] = {"English", "mixed"};
  int k;
  if (argc != 3) {
    fprintf(stderr, "usage: segment_icu ENGLISH MIXED\n");
    return 2;
  }
  en = read_text("segment_icu", argv[1]);
  mixed = read_text("segment_icu", argv[2]);
  texts[0] = &en;
  texts[1] = &mixed;
  copydesk_buf_init(&nfc_buf, NULL);
  printf("English %.1f MB, mixed %.1f MB; median CPU time of %d runs; ratio = baseline time / "
         "copydesk time\n", (double)en.len / 1e6, (double)mixed.len / 1e6, RUNS);
  for (k = 0; k < 2; k++) {
    static const char *const wn[] = {"copydesk UAX #29 word boundaries", "copydesk word tokens"};
    static const op_fn wo[] = {cd_words, cd_word_tokens};
    static const char *const sn[] = {"copydesk UAX #29 sentences", "copydesk English sentences"};
    static const op_fn so[] = {cd_sentences_uax, cd_sentences_en};
    static const char *const gn[] = {"copydesk grapheme clusters"};
    static const op_fn go[] = {cd_graphemes};
    static const char *const nn[] = {"copydesk_normalize NFC"};
    static const op_fn no[] = {nfc_copydesk};
    char b[96];
    printf("-- %s\n", labels[k]);
    snprintf(b, sizeof b, "ICU word break iterator (%s)", labels[k]);
    group(texts[k], labels[k], b, icu_words, wn, wo, 2);
    snprintf(b, sizeof b, "ICU sentence break iterator (%s)", labels[k]);
    group(texts[k], labels[k], b, icu_sentences, sn, so, 2);
    snprintf(b, sizeof b, "ICU character break iterator (%s)", labels[k]);
    group(texts[k], labels[k], b, icu_graphemes, gn, go, 1);
    snprintf(b, sizeof b, "utf8proc_NFC, already NFC (%s)", labels[k]);
    group(texts[k], labels[k], b, nfc_utf8proc, nn, no, 1);
  }
  printf("(checksum %zu)\n", checksum);
  copydesk_buf_free(&nfc_buf);
  free(en.s);
  free(mixed.s);
  return 0;
}
