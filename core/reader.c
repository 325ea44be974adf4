/* reader.c: compressed files in and out, the only file that includes <zlib.h> and <zstd.h>.
**
** The reader pulls lines: each call decodes only as much as the next line needs, so memory is
** bounded by the line limit plus two chunks whatever the file's size. The compression is found
** from the first bytes, so a pipe needs no name. Truncation is told apart from a clean end by
** asking whether a gzip member or zstd frame is still open when the bytes run out: an interrupted
** download must not pass for a shorter corpus. zlib and libzstd allocate through libc. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "internal.h"

#define CHUNK ((size_t)128 * 1024)
#define DEFAULT_MAX_LINE ((size_t)64 << 20)
#define MAGIC_LEN 4 /* the longest magic number we look for (zstd's) */

struct copydesk_reader {
  const copydesk_alloc *alc;
  int fd, owns_fd;
  copydesk_compression kind;
  int started;     /* the magic number has been looked at */
  int eof;         /* read() returned 0 */
  int stream_open; /* inside a gzip member or zstd frame */
  int skipping;    /* discarding the rest of a line that was too long */
  z_stream z;
  int z_ready;
  ZSTD_DCtx *zd;
  unsigned char *in; /* CHUNK bytes read from the file, in[in_pos..in_len) not yet decoded */
  size_t in_pos, in_len;
  char *buf; /* decoded bytes, buf[start..len) not yet handed out; buf[len] stays writable */
  size_t cap, start, len, scan; /* scan: no newline in buf[start..scan) */
  size_t line, max_line;
  uint64_t offset;
  copydesk_code final_rc; /* a read or decoding error, returned by every later call */
  const char *final_msg;
  int final_errno;
};

static copydesk_code reader_fail(copydesk_err *err, copydesk_code code, const char *msg,
                                 size_t line) {
  cd_fail(err, code, msg, "", NULL, 0, 0);
  if (err) {
    err->line = line;
    err->col = 0;
  }
  return code;
}

/* Remembers a final error: the file cannot be read further, so every later call repeats it. */
static copydesk_code reader_stop(copydesk_reader *r, copydesk_err *err, copydesk_code code,
                                 const char *msg) {
  r->final_rc = code;
  r->final_msg = msg;
  r->final_errno = errno;
  return reader_fail(err, code, msg, r->line + 1);
}

static copydesk_code new_reader(int fd, int owns_fd, const copydesk_reader_opts *opts,
                                const copydesk_alloc *alc, copydesk_reader **out,
                                copydesk_err *err) {
  copydesk_reader *r = cd_malloc(alc, sizeof *r);
  if (r == NULL) return cd_fail(err, COPYDESK_ERR_NOMEM, NULL, NULL, NULL, 0, 0);
  memset(r, 0, sizeof *r);
  r->alc = alc;
  r->fd = fd;
  r->owns_fd = owns_fd;
  r->max_line = opts && opts->max_line ? opts->max_line : DEFAULT_MAX_LINE;
  r->in = cd_malloc(alc, CHUNK);
  if (r->in == NULL) {
    r->owns_fd = 0; /* the caller's open failed path closes it */
    copydesk_reader_close(r);
    return cd_fail(err, COPYDESK_ERR_NOMEM, NULL, NULL, NULL, 0, 0);
  }
  *out = r;
  cd_ok(err);
  return COPYDESK_OK;
}

copydesk_code copydesk_reader_open_fd(int fd, const copydesk_reader_opts *opts,
                                      const copydesk_alloc *alc, copydesk_reader **out,
                                      copydesk_err *err) {
  if (out == NULL || fd < 0) return cd_fail(err, COPYDESK_ERR_INVALID, NULL, NULL, NULL, 0, 0);
  *out = NULL;
  return new_reader(fd, 0, opts, alc, out, err);
}

copydesk_code copydesk_reader_open(const char *path, const copydesk_reader_opts *opts,
                                   const copydesk_alloc *alc, copydesk_reader **out,
                                   copydesk_err *err) {
  int fd;
  copydesk_code rc;
  if (out == NULL || path == NULL)
    return cd_fail(err, COPYDESK_ERR_INVALID, NULL, NULL, NULL, 0, 0);
  *out = NULL;
  fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return cd_fail(err, COPYDESK_ERR_IO, "cannot open file", NULL, NULL, 0, 0);
  rc = new_reader(fd, 1, opts, alc, out, err);
  if (rc != COPYDESK_OK) close(fd);
  return rc;
}

void copydesk_reader_close(copydesk_reader *r) {
  if (r == NULL) return;
  if (r->z_ready) inflateEnd(&r->z);
  ZSTD_freeDCtx(r->zd);
  if (r->owns_fd) close(r->fd);
  cd_free(r->alc, r->in, CHUNK);
  cd_free(r->alc, r->buf, r->cap);
  cd_free(r->alc, r, sizeof *r);
}

size_t copydesk_reader_line(const copydesk_reader *r) { return r->line; }

uint64_t copydesk_reader_offset(const copydesk_reader *r) { return r->offset; }

copydesk_compression copydesk_reader_compression(const copydesk_reader *r) { return r->kind; }

/* Appends what one read() gives to in[in_len..CHUNK); sets eof when it gives nothing. */
static copydesk_code read_more(copydesk_reader *r, copydesk_err *err) {
  ssize_t n;
  do n = read(r->fd, r->in + r->in_len, CHUNK - r->in_len);
  while (n < 0 && errno == EINTR);
  if (n < 0) return reader_stop(r, err, COPYDESK_ERR_IO, "cannot read file");
  if (n == 0) r->eof = 1;
  r->in_len += (size_t)n;
  r->offset += (uint64_t)n;
  return COPYDESK_OK;
}

/* Refills the input chunk once it is all decoded. */
static copydesk_code refill(copydesk_reader *r, copydesk_err *err) {
  if (r->in_pos < r->in_len || r->eof) return COPYDESK_OK;
  r->in_pos = r->in_len = 0;
  return read_more(r, err);
}

/* Reads until the magic number can be told (or the file ends), then sets up the decoder. */
static copydesk_code start(copydesk_reader *r, copydesk_err *err) {
  static const unsigned char gz[] = {0x1f, 0x8b}, zst[] = {0x28, 0xb5, 0x2f, 0xfd};
  copydesk_code rc;
  while (r->in_len < MAGIC_LEN && !r->eof)
    if ((rc = read_more(r, err)) != COPYDESK_OK) return rc;
  r->started = 1;
  if (r->in_len >= sizeof gz && memcmp(r->in, gz, sizeof gz) == 0) {
    if (inflateInit2(&r->z, 15 + 16) != Z_OK) /* 16: gzip wrapping only */
      return reader_stop(r, err, COPYDESK_ERR_NOMEM, NULL);
    r->z_ready = 1;
    r->kind = COPYDESK_COMPRESSION_GZIP;
  } else if (r->in_len >= sizeof zst && memcmp(r->in, zst, sizeof zst) == 0) {
    if ((r->zd = ZSTD_createDCtx()) == NULL) return reader_stop(r, err, COPYDESK_ERR_NOMEM, NULL);
    r->kind = COPYDESK_COMPRESSION_ZSTD;
  }
  return COPYDESK_OK;
}

/* One inflate call into dst[0..room); a finished member followed by more bytes starts the next
** member, as gzip(1) reads concatenated files. */
static copydesk_code step_gzip(copydesk_reader *r, char *dst, size_t room, size_t *got,
                               copydesk_err *err) {
  int zrc;
  size_t avail = r->in_len - r->in_pos;
  if (room > UINT_MAX) room = UINT_MAX; /* zlib counts in uInt */
  if (!r->stream_open) {
    if (avail == 0) return COPYDESK_OK;
    if (inflateReset(&r->z) != Z_OK) return reader_stop(r, err, COPYDESK_ERR_IO, "corrupt gzip data");
    r->stream_open = 1;
  }
  r->z.next_in = r->in + r->in_pos;
  r->z.avail_in = (uInt)avail;
  r->z.next_out = (unsigned char *)dst;
  r->z.avail_out = (uInt)room;
  zrc = inflate(&r->z, Z_NO_FLUSH);
  r->in_pos = r->in_len - r->z.avail_in;
  *got = room - r->z.avail_out;
  if (zrc == Z_STREAM_END) r->stream_open = 0;
  else if (zrc == Z_MEM_ERROR) return reader_stop(r, err, COPYDESK_ERR_NOMEM, NULL);
  else if (zrc != Z_OK && zrc != Z_BUF_ERROR)
    return reader_stop(r, err, COPYDESK_ERR_IO, "corrupt gzip data");
  return COPYDESK_OK;
}

/* One ZSTD_decompressStream call into dst[0..room); a result of 0 closes the frame. */
static copydesk_code step_zstd(copydesk_reader *r, char *dst, size_t room, size_t *got,
                               copydesk_err *err) {
  ZSTD_inBuffer zin = {r->in, r->in_len, r->in_pos};
  ZSTD_outBuffer zout = {dst, room, 0};
  size_t ret;
  if (!r->stream_open && zin.pos == zin.size) return COPYDESK_OK;
  ret = ZSTD_decompressStream(r->zd, &zout, &zin);
  if (ZSTD_isError(ret)) {
    if (ZSTD_getErrorCode(ret) == ZSTD_error_memory_allocation)
      return reader_stop(r, err, COPYDESK_ERR_NOMEM, NULL);
    return reader_stop(r, err, COPYDESK_ERR_IO, "corrupt zstd data");
  }
  r->in_pos = zin.pos;
  *got = zout.pos;
  r->stream_open = ret != 0;
  return COPYDESK_OK;
}

static copydesk_code step_plain(copydesk_reader *r, char *dst, size_t room, size_t *got) {
  size_t n = r->in_len - r->in_pos;
  if (n > room) n = room;
  memcpy(dst, r->in + r->in_pos, n);
  r->in_pos += n;
  *got = n;
  return COPYDESK_OK;
}

/* Decodes into dst[0..room) (room > 0). *got is 0 only at the clean end of the input. */
static copydesk_code decode(copydesk_reader *r, char *dst, size_t room, size_t *got,
                            copydesk_err *err) {
  copydesk_code rc;
  *got = 0;
  if (!r->started && (rc = start(r, err)) != COPYDESK_OK) return rc;
  for (;;) {
    if ((rc = refill(r, err)) != COPYDESK_OK) return rc;
    switch (r->kind) {
    case COPYDESK_COMPRESSION_GZIP: rc = step_gzip(r, dst, room, got, err); break;
    case COPYDESK_COMPRESSION_ZSTD: rc = step_zstd(r, dst, room, got, err); break;
    default: rc = step_plain(r, dst, room, got); break;
    }
    if (rc != COPYDESK_OK || *got > 0) return rc;
    if (r->eof && r->in_pos == r->in_len) {
      if (!r->stream_open) return COPYDESK_OK;
      return reader_stop(r, err, COPYDESK_ERR_IO, r->kind == COPYDESK_COMPRESSION_GZIP
                                                      ? "truncated gzip data"
                                                      : "truncated zstd data");
    }
  }
}

/* Moves the bytes not handed out to the front and makes room for a chunk after them (and the
** terminator). The buffer never needs more than max_line + CHUNK + 1 bytes. */
static copydesk_code make_room(copydesk_reader *r, copydesk_err *err) {
  size_t keep = r->len - r->start, need, ncap, limit;
  char *p;
  if (r->start > 0) {
    memmove(r->buf, r->buf + r->start, keep);
    r->scan -= r->start;
    r->len = keep;
    r->start = 0;
  }
  need = keep + CHUNK + 1;
  if (need <= r->cap) return COPYDESK_OK;
  limit = r->max_line > SIZE_MAX - CHUNK - 1 ? SIZE_MAX : r->max_line + CHUNK + 1;
  ncap = r->cap <= SIZE_MAX / 2 && r->cap * 2 > need ? r->cap * 2 : need;
  if (ncap > limit && need <= limit) ncap = limit; /* doubling must not pass the bound */
  if ((p = cd_realloc(r->alc, r->buf, r->cap, ncap)) == NULL)
    return reader_stop(r, err, COPYDESK_ERR_NOMEM, NULL);
  r->buf = p;
  r->cap = ncap;
  return COPYDESK_OK;
}

/* Hands out buf[start..end) as line number ++line and moves past `skip` more bytes. */
static void hand_out(copydesk_reader *r, size_t end, size_t skip, const char **line, size_t *len) {
  r->line++;
  r->buf[end] = '\0';
  *line = r->buf + r->start;
  *len = end - r->start;
  r->start = r->scan = end + skip;
}

static copydesk_code too_long(copydesk_reader *r, copydesk_err *err) {
  r->line++;
  return reader_fail(err, COPYDESK_ERR_TOO_LARGE, "line longer than the limit", r->line);
}

copydesk_code copydesk_reader_next(copydesk_reader *r, const char **line, size_t *len,
                                   copydesk_err *err) {
  copydesk_code rc;
  size_t got;
  *line = NULL;
  *len = 0;
  if (r->final_rc != COPYDESK_OK) {
    errno = r->final_errno;
    return reader_fail(err, r->final_rc, r->final_msg, r->line + 1);
  }
  for (;;) {
    char *nl = r->len > r->scan ? memchr(r->buf + r->scan, '\n', r->len - r->scan) : NULL;
    if (nl) {
      size_t end = (size_t)(nl - r->buf);
      if (r->skipping) { /* the end of the line already reported */
        r->skipping = 0;
        r->start = r->scan = end + 1;
        continue;
      }
      if (end - r->start > r->max_line) {
        r->start = r->scan = end + 1;
        return too_long(r, err);
      }
      hand_out(r, end, 1, line, len);
      cd_ok(err);
      return COPYDESK_OK;
    }
    r->scan = r->len;
    if (r->skipping) r->start = r->scan = r->len = 0;
    else if (r->len - r->start > r->max_line) {
      r->skipping = 1;
      r->start = r->scan = r->len = 0;
      return too_long(r, err);
    }
    if ((rc = make_room(r, err)) != COPYDESK_OK) return rc;
    if ((rc = decode(r, r->buf + r->len, r->cap - r->len - 1, &got, err)) != COPYDESK_OK)
      return rc;
    if (got == 0) break;
    r->len += got;
  }
  if (r->len > r->start && !r->skipping) hand_out(r, r->len, 0, line, len);
  r->skipping = 0;
  cd_ok(err);
  return COPYDESK_OK;
}

/* ---- Writing ----------------------------------------------------------------------------- */

struct copydesk_writer {
  const copydesk_alloc *alc;
  int fd;
  copydesk_compression kind;
  z_stream z;
  int z_ready;
  ZSTD_CCtx *zc;
  unsigned char *out; /* CHUNK bytes waiting for write() */
  size_t out_len;
};

static copydesk_code write_all(int fd, const unsigned char *p, size_t n, copydesk_err *err) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return cd_fail(err, COPYDESK_ERR_IO, "cannot write file", NULL, NULL, 0, 0);
    p += w;
    n -= (size_t)w;
  }
  return COPYDESK_OK;
}

static copydesk_code flush_out(copydesk_writer *w, copydesk_err *err) {
  copydesk_code rc = write_all(w->fd, w->out, w->out_len, err);
  w->out_len = 0;
  return rc;
}

static void writer_free(copydesk_writer *w) {
  if (w->z_ready) deflateEnd(&w->z);
  ZSTD_freeCCtx(w->zc);
  if (w->fd >= 0) close(w->fd);
  cd_free(w->alc, w->out, CHUNK);
  cd_free(w->alc, w, sizeof *w);
}

static int level_ok(copydesk_compression kind, int level) {
  if (kind == COPYDESK_COMPRESSION_GZIP) return level >= 0 && level <= 9;
  if (kind == COPYDESK_COMPRESSION_ZSTD) return level >= 0 && level <= ZSTD_maxCLevel();
  return level == 0;
}

/* Sets up the compressor. zlib writes no file name and time 0 unless given a header, so the
** same input gives the same file. */
static copydesk_code start_compressor(copydesk_writer *w, int level) {
  if (w->kind == COPYDESK_COMPRESSION_GZIP) {
    if (deflateInit2(&w->z, level ? level : Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK)
      return COPYDESK_ERR_NOMEM;
    w->z_ready = 1;
  } else if (w->kind == COPYDESK_COMPRESSION_ZSTD) {
    if ((w->zc = ZSTD_createCCtx()) == NULL) return COPYDESK_ERR_NOMEM;
    if (level && ZSTD_isError(ZSTD_CCtx_setParameter(w->zc, ZSTD_c_compressionLevel, level)))
      return COPYDESK_ERR_INVALID;
  }
  return COPYDESK_OK;
}

copydesk_code copydesk_writer_open(const char *path, copydesk_compression compression, int level,
                                   const copydesk_alloc *alc, copydesk_writer **out,
                                   copydesk_err *err) {
  copydesk_writer *w;
  copydesk_code rc;
  if (out == NULL || path == NULL || (unsigned)compression > COPYDESK_COMPRESSION_ZSTD ||
      !level_ok(compression, level))
    return cd_fail(err, COPYDESK_ERR_INVALID, NULL, NULL, NULL, 0, 0);
  *out = NULL;
  if ((w = cd_malloc(alc, sizeof *w)) == NULL)
    return cd_fail(err, COPYDESK_ERR_NOMEM, NULL, NULL, NULL, 0, 0);
  memset(w, 0, sizeof *w);
  w->alc = alc;
  w->fd = -1;
  w->kind = compression;
  rc = (w->out = cd_malloc(alc, CHUNK)) == NULL ? COPYDESK_ERR_NOMEM : start_compressor(w, level);
  if (rc != COPYDESK_OK) {
    writer_free(w);
    return cd_fail(err, rc, NULL, NULL, NULL, 0, 0);
  }
  if ((w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) < 0) {
    writer_free(w);
    return cd_fail(err, COPYDESK_ERR_IO, "cannot create file", NULL, NULL, 0, 0);
  }
  *out = w;
  cd_ok(err);
  return COPYDESK_OK;
}

static copydesk_code deflate_some(copydesk_writer *w, const char *s, size_t len, int flush,
                                  copydesk_err *err) {
  int zrc;
  w->z.next_in = (unsigned char *)s;
  w->z.avail_in = (uInt)len;
  do {
    if (w->out_len == CHUNK && flush_out(w, err) != COPYDESK_OK) return COPYDESK_ERR_IO;
    w->z.next_out = w->out + w->out_len;
    w->z.avail_out = (uInt)(CHUNK - w->out_len);
    zrc = deflate(&w->z, flush);
    w->out_len = CHUNK - w->z.avail_out;
    if (zrc == Z_STREAM_ERROR) return cd_fail(err, COPYDESK_ERR_IO, "gzip stream error", NULL, NULL, 0, 0);
  } while (w->z.avail_in > 0 || (flush == Z_FINISH && zrc != Z_STREAM_END));
  return COPYDESK_OK;
}

static copydesk_code zstd_some(copydesk_writer *w, const char *s, size_t len,
                               ZSTD_EndDirective mode, copydesk_err *err) {
  ZSTD_inBuffer zin = {s, len, 0};
  size_t left;
  do {
    ZSTD_outBuffer zout;
    if (w->out_len == CHUNK && flush_out(w, err) != COPYDESK_OK) return COPYDESK_ERR_IO;
    zout.dst = w->out;
    zout.size = CHUNK;
    zout.pos = w->out_len;
    left = ZSTD_compressStream2(w->zc, &zout, &zin, mode);
    w->out_len = zout.pos;
    if (ZSTD_isError(left)) return cd_fail(err, COPYDESK_ERR_NOMEM, NULL, NULL, NULL, 0, 0);
  } while (zin.pos < zin.size || (mode == ZSTD_e_end && left > 0));
  return COPYDESK_OK;
}

/* Plain output: small pieces gather in the buffer, big ones skip it. */
static copydesk_code plain_some(copydesk_writer *w, const char *s, size_t n, copydesk_err *err) {
  copydesk_code rc;
  if (w->out_len + n > CHUNK && (rc = flush_out(w, err)) != COPYDESK_OK) return rc;
  if (n >= CHUNK) return write_all(w->fd, (const unsigned char *)s, n, err);
  memcpy(w->out + w->out_len, s, n);
  w->out_len += n;
  return COPYDESK_OK;
}

/* Pieces of at most 1 GiB, for zlib's uInt. */
copydesk_code copydesk_writer_write(copydesk_writer *w, const char *s, size_t len,
                                    copydesk_err *err) {
  const size_t piece = (size_t)1 << 30;
  copydesk_code rc = COPYDESK_OK;
  while (len > 0 && rc == COPYDESK_OK) {
    size_t n = len < piece ? len : piece;
    if (w->kind == COPYDESK_COMPRESSION_GZIP) rc = deflate_some(w, s, n, Z_NO_FLUSH, err);
    else if (w->kind == COPYDESK_COMPRESSION_ZSTD) rc = zstd_some(w, s, n, ZSTD_e_continue, err);
    else rc = plain_some(w, s, n, err);
    s += n;
    len -= n;
  }
  if (rc == COPYDESK_OK) cd_ok(err);
  return rc;
}

copydesk_code copydesk_writer_close(copydesk_writer *w, copydesk_err *err) {
  copydesk_code rc = COPYDESK_OK;
  if (w == NULL) return COPYDESK_OK;
  if (w->kind == COPYDESK_COMPRESSION_GZIP) rc = deflate_some(w, "", 0, Z_FINISH, err);
  else if (w->kind == COPYDESK_COMPRESSION_ZSTD) rc = zstd_some(w, "", 0, ZSTD_e_end, err);
  if (rc == COPYDESK_OK) rc = flush_out(w, err);
  if (close(w->fd) != 0 && rc == COPYDESK_OK)
    rc = cd_fail(err, COPYDESK_ERR_IO, "cannot close file", NULL, NULL, 0, 0);
  w->fd = -1;
  writer_free(w);
  if (rc == COPYDESK_OK) cd_ok(err);
  return rc;
}

int copydesk_fd_is_terminal(int fd) { return isatty(fd) == 1; }

double copydesk_clock(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int copydesk_cpu_count(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > INT_MAX ? INT_MAX : (int)n;
}
