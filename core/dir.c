/* dir.c: sorted folder listings, so recipes walk folders in the same order on every machine;
** whole-file reads in as few system calls as a file allows. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

typedef struct entry {
  char *name;
  size_t len;
  int is_dir;
} entry;

struct copydesk_dir {
  entry *items;
  size_t n, cap, next;
  const copydesk_alloc *alc;
};

static int by_name(const void *a, const void *b) {
  return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

void copydesk_dir_close(copydesk_dir *d) {
  size_t i;
  if (d == NULL) return;
  for (i = 0; i < d->n; i++) cd_free(d->alc, d->items[i].name, d->items[i].len + 1);
  cd_free(d->alc, d->items, d->cap * sizeof *d->items);
  cd_free(d->alc, d, sizeof *d);
}

/* Whether path/name is a folder itself, not a link to one: a walk that followed links could
** loop forever (`up -> ..`) or read a file twice. Returns -1 when out of memory. */
static int entry_is_dir(const copydesk_alloc *alc, const char *path, const struct dirent *de) {
  struct stat st;
  int saved_errno = errno, is_dir = 0;
  size_t plen, nlen;
  char *full;
  if (de->d_type != DT_UNKNOWN) return de->d_type == DT_DIR;
  plen = strlen(path);
  nlen = strlen(de->d_name);
  full = cd_malloc(alc, plen + nlen + 2);
  if (full == NULL) return -1;
  memcpy(full, path, plen);
  full[plen] = '/';
  memcpy(full + plen + 1, de->d_name, nlen + 1);
  if (lstat(full, &st) == 0) is_dir = S_ISDIR(st.st_mode);
  cd_free(alc, full, plen + nlen + 2);
  errno = saved_errno;
  return is_dir;
}

static copydesk_code add_entry(copydesk_dir *d, const char *path, const struct dirent *de) {
  entry *e;
  if (d->n == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 16;
    entry *p = cd_realloc(d->alc, d->items, d->cap * sizeof *p, cap * sizeof *p);
    if (p == NULL) return COPYDESK_ERR_NOMEM;
    d->items = p;
    d->cap = cap;
  }
  e = &d->items[d->n];
  e->len = strlen(de->d_name);
  e->name = cd_strndup(d->alc, de->d_name, e->len);
  if (e->name == NULL) return COPYDESK_ERR_NOMEM;
  d->n++;
  e->is_dir = entry_is_dir(d->alc, path, de);
  return e->is_dir < 0 ? COPYDESK_ERR_NOMEM : COPYDESK_OK;
}

copydesk_code copydesk_dir_open(const char *path, const copydesk_alloc *alc, copydesk_dir **out,
                                copydesk_err *err) {
  DIR *dir;
  struct dirent *de;
  copydesk_dir *d;
  copydesk_code rc = COPYDESK_OK;
  *out = NULL;
  d = cd_malloc(alc, sizeof *d);
  if (d == NULL) return cd_fail(err, COPYDESK_ERR_NOMEM, NULL, NULL, NULL, 0, 0);
  memset(d, 0, sizeof *d);
  d->alc = alc;
  dir = opendir(path);
  if (dir == NULL) {
    int e = errno;
    copydesk_dir_close(d);
    errno = e;
    return cd_fail(err, COPYDESK_ERR_IO, "cannot open folder", NULL, NULL, 0, 0);
  }
  while (rc == COPYDESK_OK) {
    errno = 0;
    de = readdir(dir);
    if (de == NULL) {
      if (errno != 0) rc = COPYDESK_ERR_IO; /* a partial listing is a failure, not a result */
      break;
    }
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
    rc = add_entry(d, path, de);
  }
  if (rc != COPYDESK_OK) {
    int e = errno;
    closedir(dir);
    copydesk_dir_close(d);
    errno = e;
    return cd_fail(err, rc, rc == COPYDESK_ERR_IO ? "cannot read folder" : NULL, NULL, NULL, 0, 0);
  }
  closedir(dir);
  if (d->n > 1) qsort(d->items, d->n, sizeof *d->items, by_name);
  cd_ok(err);
  *out = d;
  return COPYDESK_OK;
}

int copydesk_dir_next(copydesk_dir *d, const char **name, int *is_dir) {
  if (d->next >= d->n) return 0;
  *name = d->items[d->next].name;
  *is_dir = d->items[d->next].is_dir;
  d->next++;
  return 1;
}

static int make_one(const char *path) {
  struct stat st;
  if (mkdir(path, 0777) == 0) return 0;
  if (errno != EEXIST || stat(path, &st) != 0) return -1;
  if (S_ISDIR(st.st_mode)) return 0;
  errno = ENOTDIR; /* the name is taken by a file: say so, not "File exists" */
  return -1;
}

copydesk_code copydesk_mkdirs(const char *path, const copydesk_alloc *alc, copydesk_err *err) {
  size_t i, len = strlen(path);
  char *p = cd_strndup(alc, path, len);
  int rc = 0;
  if (p == NULL) return cd_fail(err, COPYDESK_ERR_NOMEM, NULL, NULL, NULL, 0, 0);
  /* Each parent in turn: cut the copy at every slash after the first character. */
  for (i = 1; i < len && rc == 0; i++)
    if (p[i] == '/' && p[i - 1] != '/') {
      p[i] = '\0';
      rc = make_one(p);
      p[i] = '/';
    }
  if (rc == 0) rc = make_one(p);
  cd_free(alc, p, len + 1);
  if (rc != 0) return cd_fail(err, COPYDESK_ERR_IO, "cannot create folder", NULL, NULL, 0, 0);
  cd_ok(err);
  return COPYDESK_OK;
}

copydesk_path_type copydesk_path_type_of(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) return COPYDESK_PATH_NONE;
  if (S_ISREG(st.st_mode)) return COPYDESK_PATH_FILE;
  if (S_ISDIR(st.st_mode)) return COPYDESK_PATH_FOLDER;
  return COPYDESK_PATH_OTHER;
}

#define READ_CHUNK 65536 /* a pipe or device, whose size fstat does not know, grows by this */

/* Reads fd into out until its end or `want` bytes. A regular file of `size` bytes is asked for
** size + 1 at once: the short answer is its end, so one read does, and a file that grew since
** fstat is still read on. A size of 0 is not trusted (files in /proc say 0 and hold text, given
** in short reads). Returns 0, or -1 with errno set; *rc says whether the buffer could grow. */
static int read_all(int fd, int regular, size_t size, size_t want, copydesk_buf *out,
                    copydesk_code *rc) {
  size_t got = 0;
  for (;;) {
    size_t room = regular && got < size ? size + 1 - got : READ_CHUNK;
    ssize_t n;
    if (room > want - got) room = want - got;
    if (room == 0) return 0;
    if ((*rc = copydesk_buf_reserve(out, room)) != COPYDESK_OK) return 0;
    n = read(fd, out->data + out->len, room);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) return 0;
    out->len += (size_t)n;
    out->data[out->len] = '\0';
    got += (size_t)n;
    if (regular && size > 0 && got >= size && (size_t)n < room) return 0;
  }
}

copydesk_code copydesk_file_read(const char *path, size_t max_len, copydesk_buf *out,
                                 uint64_t *size, copydesk_err *err) {
  struct stat st;
  size_t start = out->len, want = max_len && max_len < SIZE_MAX ? max_len + 1 : SIZE_MAX;
  copydesk_code rc = COPYDESK_OK;
  int fd = open(path, O_RDONLY | O_CLOEXEC), failed, e;
  if (fd < 0) return cd_fail(err, COPYDESK_ERR_IO, "cannot open file", NULL, NULL, 0, 0);
  failed = fstat(fd, &st) != 0 ||
           read_all(fd, S_ISREG(st.st_mode), (size_t)st.st_size, want, out, &rc) != 0;
  e = errno;
  close(fd);
  errno = e;
  if (failed || rc != COPYDESK_OK) {
    out->len = start; /* nothing appended: no partial file */
    if (out->data) out->data[start] = '\0';
    return failed ? cd_fail(err, COPYDESK_ERR_IO, "cannot read file", NULL, NULL, 0, 0)
                  : cd_fail(err, rc, NULL, NULL, NULL, 0, 0);
  }
  if (size) *size = (uint64_t)st.st_size;
  cd_ok(err);
  return COPYDESK_OK;
}

copydesk_code copydesk_file_size(const char *path, uint64_t *size) {
  struct stat st;
  if (stat(path, &st) != 0) return COPYDESK_ERR_IO;
  *size = (uint64_t)st.st_size;
  return COPYDESK_OK;
}
