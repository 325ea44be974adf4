/* Preloaded after the ASan runtime when the specs run Debian's lua5.4 on a sanitizer build
** (tests/run.sh). Once the interpreter is loaded it takes LD_PRELOAD out of the environment, so
** the programs the specs start (make, cc, sort, tar, ...) run as they were built: LeakSanitizer
** then watches lua5.4 with copydesk.so and the copydesk commands, which carry their own ASan
** runtime, and never reports the leaks of other people's programs. */
#include <stdlib.h>

__attribute__((constructor)) static void unpreload(void) { unsetenv("LD_PRELOAD"); }
