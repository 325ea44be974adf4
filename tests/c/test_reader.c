/* test_reader.c: lines from plain, gzip and zstd files; truncation, corruption, line limits;
** the compressing writer. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

#include "check.h"

#define FIX "tests/fixtures/jsonl/"

/* A temporary file holding s[0..len); its name is written into path (>= 32 bytes). */
static void temp_file(char *path, const char *s, size_t len) {
  int fd;
  strcpy(path, "/tmp/copydesk-reader-XXXXXX");
  fd = mkstemp(path);
  if (fd < 0 || write(fd, s, len) != (ssize_t)len) abort();
  close(fd);
}

/* Reads every line of `path`, appending each with a '\n' to `all`; returns the last code. */
static copydesk_code read_all(const char *path, size_t max_line, copydesk_buf *all,
                              size_t *nlines, copydesk_err *e) {
  copydesk_reader_opts opts = {max_line};
  copydesk_reader *r;
  const char *line;
  size_t len;
  copydesk_code rc = copydesk_reader_open(path, &opts, NULL, &r, e);
  *nlines = 0;
  if (rc != COPYDESK_OK) return rc;
  while ((rc = copydesk_reader_next(r, &line, &len, e)) == COPYDESK_OK && line) {
    (*nlines)++;
    if (copydesk_buf_append(all, line, len) || copydesk_buf_append(all, "\n", 1)) abort();
  }
  copydesk_reader_close(r);
  return rc;
}

static void test_same_lines_every_compression(void) {
  static const char *const names[] = {FIX "y_records.jsonl", FIX "y_records.jsonl.gz",
                                      FIX "y_records.jsonl.zst"};
  static const copydesk_compression kinds[] = {COPYDESK_COMPRESSION_NONE,
                                               COPYDESK_COMPRESSION_GZIP,
                                               COPYDESK_COMPRESSION_ZSTD};
  size_t plain_len, i;
  char *plain = check_slurp(FIX "y_records.jsonl", &plain_len);
  for (i = 0; i < 3; i++) {
    copydesk_buf all;
    copydesk_err e = check_err();
    copydesk_reader *r;
    const char *line;
    size_t len, n = 0;
    copydesk_buf_init(&all, NULL);
    check(read_all(names[i], 0, &all, &n, &e) == COPYDESK_OK, "%s: %s", names[i], e.msg);
    check(n == 5, "%s: %zu lines", names[i], n);
    /* the file lacks its last newline; read_all adds one to every line */
    check(all.len == plain_len + 1 && memcmp(all.data, plain, plain_len) == 0, "%s: bytes differ",
          names[i]);
    copydesk_buf_free(&all);
    if (copydesk_reader_open(names[i], NULL, NULL, &r, NULL)) abort();
    check(copydesk_reader_line(r) == 0, "line before reading");
    while (copydesk_reader_next(r, &line, &len, NULL) == COPYDESK_OK && line)
      if (copydesk_reader_line(r) == 4) check(line[len - 1] == '\r', "CR before LF is kept");
    check(copydesk_reader_compression(r) == kinds[i], "%s: compression %d", names[i],
          (int)copydesk_reader_compression(r));
    check(copydesk_reader_line(r) == 5, "line at the end: %zu", copydesk_reader_line(r));
    copydesk_reader_close(r);
  }
  free(plain);
}

static void test_concatenated_members_and_frames(void) {
  static const char *const names[] = {FIX "y_two_members.jsonl.gz", FIX "y_two_frames.jsonl.zst"};
  size_t i, n;
  for (i = 0; i < 2; i++) {
    copydesk_buf all;
    copydesk_err e = check_err();
    copydesk_buf_init(&all, NULL);
    check(read_all(names[i], 0, &all, &n, &e) == COPYDESK_OK, "%s: %s", names[i], e.msg);
    check(n == 9, "%s: %zu lines, expected 9", names[i], n);
    check(all.len > 0 && strstr(all.data, "Body from content.") != NULL, "%s: second part lost",
          names[i]);
    copydesk_buf_free(&all);
  }
}

/* Every proper prefix of a compressed file (past the magic number) ends in a truncation error
** naming the line being read, and the lines handed out before are whole lines of the file. */
static void check_prefixes(const char *path, size_t magic, const char *msg) {
  size_t len, cut, plain_len;
  char *data = check_slurp(path, &len), *plain = check_slurp(FIX "y_records.jsonl", &plain_len);
  for (cut = magic; cut < len; cut++) {
    char tmp[64];
    copydesk_buf all;
    copydesk_err e = check_err();
    size_t n;
    copydesk_code rc;
    temp_file(tmp, data, cut);
    copydesk_buf_init(&all, NULL);
    rc = read_all(tmp, 0, &all, &n, &e);
    check(rc == COPYDESK_ERR_IO && strcmp(e.msg, msg) == 0, "%s cut at %zu: rc %d", path, cut,
          (int)rc);
    check(e.line == n + 1 && e.col == 0, "%s cut at %zu: line %zu after %zu lines", path, cut,
          e.line, n);
    check(all.len <= plain_len && (all.len == 0 || memcmp(all.data, plain, all.len) == 0),
          "%s cut at %zu: lines handed out are not the file's", path, cut);
    copydesk_buf_free(&all);
    unlink(tmp);
  }
  free(data);
  free(plain);
}

static void test_truncated(void) {
  check_prefixes(FIX "y_records.jsonl.gz", 2, "truncated gzip data");
  check_prefixes(FIX "y_records.jsonl.zst", 4, "truncated zstd data");
}

/* An error in the data is final: the next call gives it again. */
static void test_corrupt(void) {
  size_t len;
  char *data = check_slurp(FIX "y_records.jsonl.gz", &len), tmp[64];
  copydesk_reader *r;
  copydesk_err e = check_err();
  const char *line;
  size_t n;
  data[len / 2] ^= 0x55;
  temp_file(tmp, data, len);
  if (copydesk_reader_open(tmp, NULL, NULL, &r, NULL)) abort();
  while (copydesk_reader_next(r, &line, &n, &e) == COPYDESK_OK && line) continue;
  check(e.code == COPYDESK_ERR_IO && strcmp(e.msg, "corrupt gzip data") == 0, "corrupt: %s", e.msg);
  e = check_err();
  check(copydesk_reader_next(r, &line, &n, &e) == COPYDESK_ERR_IO && line == NULL,
        "error repeats");
  check(strcmp(e.msg, "corrupt gzip data") == 0, "same message: %s", e.msg);
  copydesk_reader_close(r);
  unlink(tmp);
  free(data);
}

/* Lines over the limit are reported with their number and skipped; the next line reads. Built
** so that one long line spans several chunks and one is the last line, without a newline. */
static void test_line_limit(void) {
  size_t big = 300 * 1024, pos = 0, i, len;
  char *s = malloc(2 * big + 256), tmp[64];
  static const char *const want[] = {"short", NULL, "ok", NULL, "after", NULL};
  copydesk_reader_opts opts = {100};
  copydesk_reader *r;
  const char *line;
  pos += (size_t)sprintf(s + pos, "short\n");
  memset(s + pos, 'x', big), pos += big, s[pos++] = '\n';
  pos += (size_t)sprintf(s + pos, "ok\n");
  memset(s + pos, 'y', 101), pos += 101, s[pos++] = '\n'; /* one byte over */
  pos += (size_t)sprintf(s + pos, "after\n");
  memset(s + pos, 'z', big), pos += big;
  temp_file(tmp, s, pos);
  if (copydesk_reader_open(tmp, &opts, NULL, &r, NULL)) abort();
  for (i = 0; i < 6; i++) {
    copydesk_err e = check_err();
    copydesk_code rc = copydesk_reader_next(r, &line, &len, &e);
    if (want[i]) {
      check(rc == COPYDESK_OK && line && strcmp(line, want[i]) == 0, "line %zu: rc %d", i + 1,
            (int)rc);
    } else {
      check(rc == COPYDESK_ERR_TOO_LARGE && e.line == i + 1 && line == NULL,
            "line %zu: rc %d, e.line %zu", i + 1, (int)rc, e.line);
    }
  }
  check(copydesk_reader_next(r, &line, &len, NULL) == COPYDESK_OK && line == NULL, "end");
  copydesk_reader_close(r);
  /* With the default limit the long lines come whole, zero bytes kept. */
  s[3] = '\0';
  temp_file(tmp + 32, s, pos);
  if (copydesk_reader_open(tmp + 32, NULL, NULL, &r, NULL)) abort();
  check(copydesk_reader_next(r, &line, &len, NULL) == COPYDESK_OK && len == 5 && line[3] == '\0',
        "zero byte kept");
  check(copydesk_reader_next(r, &line, &len, NULL) == COPYDESK_OK && len == big, "long line: %zu",
        len);
  copydesk_reader_close(r);
  unlink(tmp);
  unlink(tmp + 32);
  free(s);
}

static void test_open_errors_and_empty(void) {
  copydesk_reader *r = (copydesk_reader *)1;
  copydesk_err e = check_err();
  const char *line;
  size_t len;
  char tmp[64];
  int fds[2];
  check_failing f = {0, 0};
  copydesk_alloc alc = check_failing_alloc(&f);
  check(copydesk_reader_open(FIX "no-such-file", NULL, NULL, &r, &e) == COPYDESK_ERR_IO &&
        errno == ENOENT && r == NULL, "missing file");
  check(strcmp(e.msg, "cannot open file") == 0, "message: %s", e.msg);
  for (long n = 0; n < 2; n++) {
    f.countdown = n;
    check(copydesk_reader_open(FIX "y_records.jsonl", NULL, &alc, &r, NULL) == COPYDESK_ERR_NOMEM,
          "allocation %ld fails", n + 1);
    check(f.live == 0, "allocation %ld: %ld blocks leak", n + 1, f.live);
  }
  temp_file(tmp, "", 0);
  if (copydesk_reader_open(tmp, NULL, NULL, &r, NULL)) abort();
  check(copydesk_reader_next(r, &line, &len, NULL) == COPYDESK_OK && line == NULL, "empty file");
  copydesk_reader_close(r);
  unlink(tmp);
  /* A pipe, read through its descriptor, which the reader leaves open. */
  if (pipe(fds) != 0 || write(fds[1], "a\nb", 3) != 3) abort();
  close(fds[1]);
  if (copydesk_reader_open_fd(fds[0], NULL, NULL, &r, NULL)) abort();
  check(copydesk_reader_next(r, &line, &len, NULL) == COPYDESK_OK && strcmp(line, "a") == 0, "a");
  check(copydesk_reader_next(r, &line, &len, NULL) == COPYDESK_OK && strcmp(line, "b") == 0, "b");
  copydesk_reader_close(r);
  check(close(fds[0]) == 0, "descriptor still open");
  check(copydesk_fd_is_terminal(fds[0]) == 0, "a closed pipe is no terminal");
}

/* Writes `s` in pieces of `step` bytes to a new file; returns its bytes. */
static char *write_pieces(copydesk_compression kind, const char *s, size_t len, size_t step,
                          size_t *out_len) {
  char tmp[64], *data;
  copydesk_writer *w;
  size_t i;
  temp_file(tmp, "", 0);
  if (copydesk_writer_open(tmp, kind, 0, NULL, &w, NULL)) abort();
  for (i = 0; i < len; i += step)
    if (copydesk_writer_write(w, s + i, len - i < step ? len - i : step, NULL)) abort();
  check(copydesk_writer_close(w, NULL) == COPYDESK_OK, "close");
  data = check_slurp(tmp, out_len);
  unlink(tmp);
  return data;
}

/* Output is the same bytes however the input is split, and reads back as the input. */
static void test_writer_round_trip(void) {
  size_t len = 400 * 1024, i, k;
  char *s = malloc(len);
  uint32_t x = 12345;
  for (i = 0; i < len; i++) {
    x = x * 1103515245u + 12345u;
    s[i] = (x >> 16) % 7 == 0 ? '\n' : (char)('a' + (x >> 20) % 26);
  }
  for (k = 0; k <= COPYDESK_COMPRESSION_ZSTD; k++) {
    size_t a_len, b_len, n, back_len;
    char *a = write_pieces((copydesk_compression)k, s, len, 7, &a_len);
    char *b = write_pieces((copydesk_compression)k, s, len, 300000, &b_len);
    char tmp[64];
    copydesk_buf back;
    check(a_len == b_len && memcmp(a, b, a_len) == 0, "kind %zu: output depends on splitting", k);
    check(k == 0 ? a_len == len : a_len < len, "kind %zu: %zu bytes", k, a_len);
    temp_file(tmp, a, a_len);
    copydesk_buf_init(&back, NULL);
    check(read_all(tmp, 0, &back, &n, NULL) == COPYDESK_OK, "kind %zu reads back", k);
    back_len = back.len - (s[len - 1] != '\n'); /* read_all ends the last line */
    check(back_len == len && memcmp(back.data, s, len) == 0, "kind %zu: round trip", k);
    copydesk_buf_free(&back);
    unlink(tmp);
    free(a);
    free(b);
  }
  free(s);
}

static void test_writer_errors(void) {
  copydesk_writer *w;
  copydesk_err e = check_err();
  check(copydesk_writer_open("/tmp/x", COPYDESK_COMPRESSION_GZIP, 10, NULL, &w, &e) ==
        COPYDESK_ERR_INVALID, "gzip level 10");
  check(copydesk_writer_open("/tmp/x", (copydesk_compression)3, 0, NULL, &w, NULL) ==
        COPYDESK_ERR_INVALID, "unknown compression");
  check(copydesk_writer_open("/no/such/folder/x", COPYDESK_COMPRESSION_NONE, 0, NULL, &w, &e) ==
        COPYDESK_ERR_IO && errno == ENOENT, "cannot create");
  if (copydesk_writer_open("/dev/full", COPYDESK_COMPRESSION_ZSTD, 0, NULL, &w, NULL)) abort();
  check(copydesk_writer_write(w, "some text\n", 10, NULL) == COPYDESK_OK, "buffered");
  e = check_err();
  check(copydesk_writer_close(w, &e) == COPYDESK_ERR_IO && errno == ENOSPC, "full disk: %d",
        (int)e.code);
}

int main(void) {
  test_same_lines_every_compression();
  test_concatenated_members_and_frames();
  test_truncated();
  test_corrupt();
  test_line_limit();
  test_open_errors_and_empty();
  test_writer_round_trip();
  test_writer_errors();
  return check_done("test_reader");
}
