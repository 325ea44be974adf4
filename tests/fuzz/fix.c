/* copydesk_fix on any bytes: the output is valid UTF-8 and fixing it again changes nothing. The
** first byte picks the preset and the script hint, so every hint and leniency gets fuzzed. */
#include "fuzz.h"

static const unsigned presets[] = {
  COPYDESK_FIX_DEFAULT,
  COPYDESK_FIX_FTFY,
  COPYDESK_FIX_DEFAULT | COPYDESK_FIX_REPLACE_INVALID | COPYDESK_FIX_ENTITIES_DOUBLE,
  COPYDESK_FIX_FTFY | COPYDESK_FIX_COMPAT,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  if (size > FUZZ_MAX_LEN) size = FUZZ_MAX_LEN;
  copydesk_fix_opts opts = {0};
  opts.flags = presets[data[0] % 4];
  opts.hint = (copydesk_fix_hint)((data[0] / 4) % COPYDESK_HINT_COUNT_);
  const char *s = (const char *)data + 1;
  size_t len = size - 1;

  copydesk_buf once, twice;
  copydesk_buf_init(&once, NULL);
  copydesk_buf_init(&twice, NULL);
  size_t changes = 0;
  FUZZ_CHECK(copydesk_fix(s, len, &opts, &once, &changes, NULL) == COPYDESK_OK);
  FUZZ_CHECK(fuzz_utf8(&once));
  /* No change reported means the text came back as it was. */
  FUZZ_CHECK(changes > 0 || (once.len == len && memcmp(once.data, s, len) == 0));
  FUZZ_CHECK(copydesk_fix(once.data, once.len, &opts, &twice, &changes, NULL) == COPYDESK_OK);
  FUZZ_CHECK(fuzz_same(&once, &twice));
  FUZZ_CHECK(changes == 0);
  copydesk_buf_free(&once);
  copydesk_buf_free(&twice);
  return 0;
}
