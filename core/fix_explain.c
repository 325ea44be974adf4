/* fix_explain.c: what copydesk_fix reports when asked (every change with its spans in the input
** and the output, and the plan of steps), and copydesk_fix_apply_plan, which replays a plan.
**
** Each step notes its changes in its own coordinates (its input, its output). A stage is one
** step run that changed text; when the repair ends, each change's input span is carried back
** through the stages before it and its output span forward through the stages after it.
*/
#include "fix_internal.h"

/* ---- noting changes ---- */

static copydesk_code push_change(copydesk_fix_report *r, const copydesk_fix_change *c) {
  if (r->nchanges == r->changes_cap) {
    size_t cap = r->changes_cap ? r->changes_cap * 2 : 16;
    copydesk_fix_change *p;
    if (cap > SIZE_MAX / sizeof *p) return COPYDESK_ERR_OVERFLOW;
    p = cd_realloc(r->alc, r->changes, r->changes_cap * sizeof *p, cap * sizeof *p);
    if (p == NULL) return COPYDESK_ERR_NOMEM;
    r->changes = p;
    r->changes_cap = cap;
  }
  r->changes[r->nchanges++] = *c;
  return COPYDESK_OK;
}

copydesk_code cd_step_note(cd_step *st, size_t pos, size_t len, size_t out_pos, size_t out_len,
                           const char *reason) {
  copydesk_fix_change c;
  st->n++;
  if (st->report == NULL) return COPYDESK_OK;
  c.pos = pos;
  c.len = len;
  c.out_pos = out_pos;
  c.out_len = out_len;
  c.step = st->name;
  c.reason = reason;
  c.stage = st->stage;
  return push_change(st->report, &c);
}

copydesk_code cd_step_end(copydesk_code rc, cd_step *st, copydesk_buf *dst, const char *s,
                          size_t len, size_t done) {
  if (rc == COPYDESK_OK && st->n > 0) rc = copydesk_buf_append(dst, s + done, len - done);
  if (rc != COPYDESK_OK) st->n = 0;
  return rc;
}

/* ---- the plan ---- */

static copydesk_code push_plan(copydesk_fix_report *r, const char *action, const char *name) {
  if (r->nplan > 0 && strcmp(r->plan[r->nplan - 1].action, action) == 0 &&
      strcmp(r->plan[r->nplan - 1].name, name) == 0)
    return COPYDESK_OK; /* the same step again, as in a second round: one entry */
  if (r->nplan == r->plan_cap) {
    size_t cap = r->plan_cap ? r->plan_cap * 2 : 8;
    copydesk_fix_plan_step *p;
    if (cap > SIZE_MAX / sizeof *p) return COPYDESK_ERR_OVERFLOW;
    p = cd_realloc(r->alc, r->plan, r->plan_cap * sizeof *p, cap * sizeof *p);
    if (p == NULL) return COPYDESK_ERR_NOMEM;
    r->plan = p;
    r->plan_cap = cap;
  }
  r->plan[r->nplan].action = action;
  r->plan[r->nplan].name = name;
  r->nplan++;
  return COPYDESK_OK;
}

/* A reason of the character step and the plan step that replays it. */
static const struct { const char *reason, *action, *name; } char_plans[] = {
  {"c1-control", "transcode", "c1-controls"},
  {"quote", "fold", "quotes"},
  {"width", "fold", "width"},
  {"ligature", "fold", "ligatures"},
};

/* The plan steps of one stage, whose changes are report->changes[first..]. */
static copydesk_code plan_stage(copydesk_fix_report *r, const char *step, unsigned flags,
                                size_t first) {
  size_t i, k;
  copydesk_code rc = COPYDESK_OK;
  if (strcmp(step, "mojibake") == 0) { /* each page the stage used, once */
    for (i = first; i < r->nchanges && rc == COPYDESK_OK; i++) {
      for (k = first; k < i && strcmp(r->changes[k].reason, r->changes[i].reason) != 0; k++) {}
      if (k < i) continue;
      rc = push_plan(r, "encode", r->changes[i].reason);
      if (rc == COPYDESK_OK) rc = push_plan(r, "decode", "utf-8");
    }
    return rc;
  }
  if (strcmp(step, "chars") == 0) {
    for (k = 0; k < sizeof char_plans / sizeof char_plans[0] && rc == COPYDESK_OK; k++)
      for (i = first; i < r->nchanges; i++)
        if (strcmp(r->changes[i].reason, char_plans[k].reason) == 0) {
          rc = push_plan(r, char_plans[k].action, char_plans[k].name);
          break;
        }
    return rc;
  }
  if (strcmp(step, "hint") == 0) {
    rc = push_plan(r, "encode", cd_cp1252.name);
    return rc == COPYDESK_OK ? push_plan(r, "decode", r->changes[first].reason) : rc;
  }
  if (strcmp(step, "decode") == 0)
    return push_plan(r, "decode-invalid",
                     flags & COPYDESK_FIX_REPLACE_INVALID ? "replace" : "windows-1252");
  if (strcmp(step, "entities") == 0) return push_plan(r, "unescape", "html");
  if (strcmp(step, "terminal") == 0) return push_plan(r, "remove", "terminal-escapes");
  if (strcmp(step, "line-breaks") == 0) return push_plan(r, "normalize", "line-breaks");
  if (strcmp(step, "controls") == 0) return push_plan(r, "remove", "controls");
  return push_plan(r, "normalize", cd_fix_form_name(flags));
}

copydesk_code cd_report_stage(copydesk_fix_report *r, const char *step, unsigned flags,
                              size_t first) {
  return r ? plan_stage(r, step, flags, first) : COPYDESK_OK;
}

/* ---- carrying spans through stages ---- */

/* The changes of stage `stage` are report->changes[from[stage]..from[stage + 1]), in order. */

/* Maps offset p of a stage's input to its output (`forward`) or back. An offset inside a change
** goes to the change's start, or to its end when `is_end`. */
static size_t map_offset(const copydesk_fix_change *c, size_t n, size_t p, int is_end,
                         int forward) {
  size_t i;
  long long shift = 0;
  for (i = 0; i < n; i++) {
    size_t a = forward ? c[i].pos : c[i].out_pos, alen = forward ? c[i].len : c[i].out_len;
    size_t b = forward ? c[i].out_pos : c[i].pos, blen = forward ? c[i].out_len : c[i].len;
    if (a + alen <= p) {
      shift += (long long)blen - (long long)alen;
      continue;
    }
    if (a < p) return is_end ? b + blen : b;
    break;
  }
  return (size_t)((long long)p + shift);
}

/* Maps every change of `local` (stage-local spans, staged by `from`) into r->changes. */
static void carry(copydesk_fix_report *r, const copydesk_fix_change *local, const size_t *from,
                  size_t nstages) {
  size_t i, t;
  for (i = 0; i < r->nchanges; i++) {
    const copydesk_fix_change *c = &local[i];
    size_t a = c->pos, b = c->pos + c->len, x = c->out_pos, y = c->out_pos + c->out_len;
    for (t = c->stage; t-- > 0;) {
      a = map_offset(local + from[t], from[t + 1] - from[t], a, 0, 0);
      b = map_offset(local + from[t], from[t + 1] - from[t], b, 1, 0);
    }
    for (t = c->stage + 1; t < nstages; t++) {
      x = map_offset(local + from[t], from[t + 1] - from[t], x, 0, 1);
      y = map_offset(local + from[t], from[t + 1] - from[t], y, 1, 1);
    }
    r->changes[i].pos = a;
    r->changes[i].len = b >= a ? b - a : 0;
    r->changes[i].out_pos = x;
    r->changes[i].out_len = y >= x ? y - x : 0;
  }
}

/* Turns the stage-local spans of the report into input and output spans. Before, each change
** is in its stage's coordinates, and stages come in order. */
copydesk_code cd_report_finish(copydesk_fix_report *r) {
  size_t *from, nstages, i, t, nbytes;
  copydesk_fix_change *local;
  if (r == NULL || r->nchanges == 0) return COPYDESK_OK;
  nstages = r->changes[r->nchanges - 1].stage + 1;
  nbytes = r->nchanges * sizeof *local; /* cannot overflow: the changes fit already */
  from = cd_malloc(r->alc, (nstages + 1) * sizeof *from);
  local = cd_malloc(r->alc, nbytes);
  if (from == NULL || local == NULL) {
    cd_free(r->alc, from, (nstages + 1) * sizeof *from);
    cd_free(r->alc, local, nbytes);
    return COPYDESK_ERR_NOMEM;
  }
  memcpy(local, r->changes, nbytes);
  for (t = 0, i = 0; t <= nstages; t++) {
    while (i < r->nchanges && r->changes[i].stage < t) i++;
    from[t] = i;
  }
  carry(r, local, from, nstages);
  cd_free(r->alc, from, (nstages + 1) * sizeof *from);
  cd_free(r->alc, local, nbytes);
  return COPYDESK_OK;
}

void copydesk_fix_report_free(copydesk_fix_report *r) {
  if (r == NULL) return;
  cd_free(r->alc, r->changes, r->changes_cap * sizeof *r->changes);
  cd_free(r->alc, r->plan, r->plan_cap * sizeof *r->plan);
  r->changes = NULL;
  r->plan = NULL;
  r->nchanges = r->changes_cap = r->nplan = r->plan_cap = 0;
}

/* ---- replaying a plan ---- */

/* Sets *flags to those of copydesk_fix that replay plan step p (not encode/decode); returns
** whether p is such a step. */
static int step_flags(const copydesk_fix_plan_step *p, unsigned *flags) {
  static const struct { const char *action, *name; unsigned flags; } steps[] = {
    {"unescape", "html", COPYDESK_FIX_ENTITIES},
    {"remove", "terminal-escapes", COPYDESK_FIX_TERMINAL},
    {"transcode", "c1-controls", COPYDESK_FIX_C1},
    {"fold", "quotes", COPYDESK_FIX_QUOTES},
    {"fold", "width", COPYDESK_FIX_WIDTH},
    {"fold", "ligatures", COPYDESK_FIX_LIGATURES},
    {"normalize", "line-breaks", COPYDESK_FIX_LINE_BREAKS},
    {"remove", "controls", COPYDESK_FIX_CONTROLS},
    {"normalize", "NFC", COPYDESK_FIX_NFC},
    {"normalize", "NFKC", COPYDESK_FIX_NFC | COPYDESK_FIX_COMPAT},
    {"normalize", "NFD", COPYDESK_FIX_NFC | COPYDESK_FIX_DECOMPOSE},
    {"normalize", "NFKD", COPYDESK_FIX_NFC | COPYDESK_FIX_COMPAT | COPYDESK_FIX_DECOMPOSE},
    {"decode-invalid", "windows-1252", 0},
    {"decode-invalid", "replace", COPYDESK_FIX_REPLACE_INVALID},
  };
  size_t k;
  for (k = 0; k < sizeof steps / sizeof steps[0]; k++)
    if (strcmp(p->action, steps[k].action) == 0 && strcmp(p->name, steps[k].name) == 0) {
      *flags = steps[k].flags;
      return 1;
    }
  return 0;
}

/* Encodes s[0..len) in `page` whole and reads the bytes in page `as` (NULL: as UTF-8) into
** out. */
static copydesk_code encode_decode(const char *text, size_t len, const cd_codepage *page,
                                   const cd_codepage *as, copydesk_buf *out, copydesk_err *err) {
  const unsigned char *s = (const unsigned char *)text;
  size_t i = 0, start = out->len, bad;
  copydesk_code rc = copydesk_buf_reserve(out, len);
  uint32_t cp;
  while (rc == COPYDESK_OK && i < len) {
    size_t k = cd_utf8_decode(s + i, len - i, &cp);
    int b = cd_cp_encode(page, cp);
    if (b < 0)
      return cd_fail(err, COPYDESK_ERR_UTF8, "character not in the code page", "apply_plan",
                     text, len, i);
    rc = as ? cd_buf_put_cp(out, as->decode[b]) : cd_buf_putc(out, (char)b);
    i += k;
  }
  if (rc != COPYDESK_OK) return cd_fail(err, rc, NULL, "apply_plan", NULL, 0, 0);
  if (as) return COPYDESK_OK;
  if (!copydesk_utf8_valid(out->data + start, out->len - start, &bad))
    return cd_fail(err, COPYDESK_ERR_UTF8, "encoded text is not UTF-8", "apply_plan", text, len,
                   bad);
  return COPYDESK_OK;
}

/* Applies plan step k to cur[0..len) into next. */
static copydesk_code apply_step(const copydesk_fix_plan_step *plan, size_t nplan, size_t *k,
                                const char *cur, size_t len, copydesk_buf *next,
                                copydesk_err *err) {
  const copydesk_fix_plan_step *p = &plan[*k];
  copydesk_fix_opts opts = {0, NULL, COPYDESK_HINT_NONE};
  size_t bad;
  int decode_only = strcmp(p->action, "decode-invalid") == 0;
  if (!decode_only && !copydesk_utf8_valid(cur, len, &bad))
    return cd_fail(err, COPYDESK_ERR_UTF8, "text is not UTF-8", "apply_plan", cur, len, bad);
  if (strcmp(p->action, "encode") == 0) {
    const cd_codepage *page = cd_codepage_named(p->name), *as = NULL;
    int utf8 = *k + 1 < nplan && strcmp(plan[*k + 1].name, "utf-8") == 0;
    if (*k + 1 < nplan && !utf8) as = cd_codepage_named(plan[*k + 1].name);
    if (page == NULL || *k + 1 >= nplan || strcmp(plan[*k + 1].action, "decode") != 0 ||
        (!utf8 && as == NULL))
      return cd_fail(err, COPYDESK_ERR_INVALID, "encode needs a known page and a decode",
                     "apply_plan", NULL, 0, 0);
    (*k)++;
    return encode_decode(cur, len, page, as, next, err);
  }
  if (!step_flags(p, &opts.flags))
    return cd_fail(err, COPYDESK_ERR_INVALID, "unknown plan step", "apply_plan", NULL, 0, 0);
  return copydesk_fix(cur, len, &opts, next, NULL, err);
}

copydesk_code copydesk_fix_apply_plan(const char *s, size_t len,
                                      const copydesk_fix_plan_step *plan, size_t nplan,
                                      copydesk_buf *out, copydesk_err *err) {
  copydesk_buf tmp[2];
  const char *cur = s;
  size_t curlen = len, k;
  int which = 0;
  copydesk_code rc = COPYDESK_OK;
  if (out == NULL || (s == NULL && len > 0) || (plan == NULL && nplan > 0))
    return cd_fail(err, COPYDESK_ERR_INVALID, "NULL text, plan or output", "apply_plan", NULL, 0,
                   0);
  copydesk_buf_init(&tmp[0], out->alc);
  copydesk_buf_init(&tmp[1], out->alc);
  for (k = 0; k < nplan && rc == COPYDESK_OK; k++) {
    copydesk_buf *next = &tmp[which];
    copydesk_buf_clear(next);
    rc = apply_step(plan, nplan, &k, cur, curlen, next, err);
    if (rc == COPYDESK_ERR_INVALID && err) err->pos = k;
    cur = next->data ? next->data : "";
    curlen = next->len;
    which = 1 - which;
  }
  if (rc == COPYDESK_OK) {
    size_t bad;
    if (nplan == 0 && !copydesk_utf8_valid(s, len, &bad))
      rc = cd_fail(err, COPYDESK_ERR_UTF8, "text is not UTF-8", "apply_plan", s, len, bad);
    else rc = copydesk_buf_append(out, cur, curlen);
    if (rc == COPYDESK_OK) cd_ok(err);
    else if (rc == COPYDESK_ERR_NOMEM) cd_fail(err, rc, NULL, "apply_plan", NULL, 0, 0);
  }
  copydesk_buf_free(&tmp[0]);
  copydesk_buf_free(&tmp[1]);
  return rc;
}
