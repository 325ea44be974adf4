/* value.c: copydesk_value, the typed metadata of an article: strings, lists and maps kept in
** growable arrays allocated through the caller's hooks. Every free passes the size it allocated,
** so a host allocator that wants the old size (lua_Alloc) sees the right one. */
#include <string.h>

#include "internal.h"

#define FIRST_CAP 4

void copydesk_value_clear(copydesk_value *v, const copydesk_alloc *alc) {
  size_t i;
  switch (v->type) {
  case COPYDESK_STRING:
    cd_free(alc, v->u.str.s, v->u.str.len + 1);
    break;
  case COPYDESK_LIST:
    for (i = 0; i < v->u.list.n; i++) copydesk_value_clear(&v->u.list.items[i], alc);
    cd_free(alc, v->u.list.items, v->u.list.cap * sizeof *v->u.list.items);
    break;
  case COPYDESK_MAP:
    for (i = 0; i < v->u.map.n; i++) {
      copydesk_pair *p = &v->u.map.pairs[i];
      cd_free(alc, p->key, p->key_len + 1);
      copydesk_value_clear(&p->value, alc);
    }
    cd_free(alc, v->u.map.pairs, v->u.map.cap * sizeof *v->u.map.pairs);
    break;
  default:
    break;
  }
  memset(v, 0, sizeof *v); /* type NULL */
}

/* Copies first, clears after: when the copy fails `v` still holds its old value. */
copydesk_code copydesk_value_set_string(copydesk_value *v, const char *s, size_t len,
                                        const copydesk_alloc *alc) {
  char *copy = cd_strndup(alc, s, len);
  if (copy == NULL) return COPYDESK_ERR_NOMEM;
  copydesk_value_clear(v, alc);
  v->type = COPYDESK_STRING;
  v->u.str.s = copy;
  v->u.str.len = len;
  return COPYDESK_OK;
}

/* Returns NULL also when `list` is not a LIST: a caller turns a NULL value into an empty list
** by setting its type (the union's other fields zero) before the first push. */
copydesk_value *copydesk_list_push(copydesk_value *list, const copydesk_alloc *alc) {
  copydesk_value *item;
  void *items;
  if (list->type != COPYDESK_LIST) return NULL;
  items = list->u.list.items;
  if (!cd_grow(alc, &items, list->u.list.n, &list->u.list.cap, sizeof *item, FIRST_CAP))
    return NULL;
  list->u.list.items = items;
  item = &list->u.list.items[list->u.list.n++];
  memset(item, 0, sizeof *item);
  return item;
}

copydesk_value *copydesk_map_push(copydesk_value *map, const char *k, size_t klen,
                                  const copydesk_alloc *alc) {
  copydesk_pair *pair;
  void *pairs;
  char *key;
  if (map->type != COPYDESK_MAP) return NULL;
  key = cd_strndup(alc, k, klen);
  if (key == NULL) return NULL;
  pairs = map->u.map.pairs;
  if (!cd_grow(alc, &pairs, map->u.map.n, &map->u.map.cap, sizeof *pair, FIRST_CAP)) {
    cd_free(alc, key, klen + 1);
    return NULL;
  }
  map->u.map.pairs = pairs;
  pair = &map->u.map.pairs[map->u.map.n++];
  memset(pair, 0, sizeof *pair);
  pair->key = key;
  pair->key_len = klen;
  return &pair->value;
}

static int key_is(const copydesk_pair *p, const char *k, size_t klen) {
  return p->key_len == klen && (klen == 0 || memcmp(p->key, k, klen) == 0);
}

copydesk_value *copydesk_map_get(const copydesk_value *map, const char *k, size_t klen) {
  size_t i;
  if (map->type != COPYDESK_MAP) return NULL;
  for (i = map->u.map.n; i-- > 0;) /* from the end: the last of repeated keys wins */
    if (key_is(&map->u.map.pairs[i], k, klen)) return &map->u.map.pairs[i].value;
  return NULL;
}

/* Compacts in one pass, so the pairs that stay keep their order. */
size_t copydesk_map_remove(copydesk_value *map, const char *k, size_t klen,
                           const copydesk_alloc *alc) {
  size_t i, kept = 0, n;
  if (map->type != COPYDESK_MAP) return 0;
  n = map->u.map.n;
  for (i = 0; i < n; i++) {
    copydesk_pair *p = &map->u.map.pairs[i];
    if (key_is(p, k, klen)) {
      cd_free(alc, p->key, p->key_len + 1);
      copydesk_value_clear(&p->value, alc);
    } else {
      if (kept != i) map->u.map.pairs[kept] = *p;
      kept++;
    }
  }
  map->u.map.n = kept;
  return n - kept;
}
