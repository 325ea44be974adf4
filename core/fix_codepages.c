/* fix_codepages.c: access to the code page tables (GENERATED fix_tables.c): a code point's
** byte in one page, its bytes and UTF-8 roles in all of them, a page by name.
*/
#include "fix_internal.h"

#define NO_BYTE (-1)

int cd_cp_encode(const cd_codepage *p, uint32_t cp) {
  size_t lo = 0, hi = p->nencode;
  if (cp < 0x80) return (int)cp;
  if (cp < CD_CP_LOW_END) {
    unsigned b = cd_cp_low_bytes[cp - 0x80][p->index];
    return b ? (int)b : NO_BYTE;
  }
  if (cp >= CD_CP_PUNCT_START && cp < CD_CP_PUNCT_END) {
    unsigned b = cd_cp_punct_bytes[cp - CD_CP_PUNCT_START][p->index];
    return b ? (int)b : NO_BYTE;
  }
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (p->encode[mid].cp < cp) lo = mid + 1;
    else hi = mid;
  }
  return lo < p->nencode && p->encode[lo].cp == cp ? p->encode[lo].byte : NO_BYTE;
}

/* The bytes of cp in every page, or NULL when no page has cp. */
static const cd_cp_bytes *union_bytes(uint32_t cp) {
  size_t lo = 0, hi = cd_cp_union_len;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cd_cp_union[mid].cp < cp) lo = mid + 1;
    else hi = mid;
  }
  return lo < cd_cp_union_len && cd_cp_union[lo].cp == cp ? &cd_cp_union[lo] : NULL;
}

cd_cp_masks cd_cp_masks_high(uint32_t cp) {
  cd_cp_masks m = {0, 0, 0};
  const cd_cp_bytes *u;
  unsigned k;
  /* the pages hold nothing from U+0500 to U+1FFF, nor from U+2600 to the private use area
  ** (CJK, most scripts), nor above their last code point (full-width forms, emoji): no search
  ** for those, nor for U+2000..U+25FF, which has a table */
  if (cp >= CD_CP_PUNCT_START && cp < CD_CP_PUNCT_END) return cd_cp_punct[cp - CD_CP_PUNCT_START];
  if (cp < 0xE000 || cp > cd_cp_union[cd_cp_union_len - 1].cp) return m;
  u = union_bytes(cp);
  for (k = 0; u && k < CD_NCODEPAGES; k++) {
    unsigned b = u->byte[k];
    if (b >= 0xC2 && b <= 0xF4) m.lead |= (uint16_t)(1u << k);
    else if (b >= 0x80 && b <= 0xBF) m.cont |= (uint16_t)(1u << k);
    if (cd_space_lead(b)) m.space |= (uint16_t)(1u << k);
  }
  return m;
}

const cd_codepage *cd_codepage_named(const char *name) {
  size_t k;
  for (k = 0; k < CD_NCODEPAGES; k++)
    if (strcmp(cd_codepages[k]->name, name) == 0) return cd_codepages[k];
  return NULL;
}
