/* meta.c: the values of an article's metadata that need parsing: dates in the many forms
** scrapers find them (epochs, ISO 8601, RFC 2822, English) and URLs. */
#include <string.h>

#include "internal.h"

#define DATE_CONTEXT "date"
#define MSG_NOT_DATE "not a date"
#define MSG_IMPOSSIBLE "impossible date"

/* Epoch seconds from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z: the years ISO 8601 writes
** with four digits. */
#define EPOCH_MIN (-62135596800LL)
#define EPOCH_MAX 253402300799LL
/* Epoch magnitudes from here on are milliseconds: 1e11 seconds is the year 5138. */
#define MILLIS_FROM 100000000000LL

/* Days since 1970-01-01 of a proleptic Gregorian date: the era arithmetic of H. Hinnant's
** "chrono-Compatible Low-Level Date Algorithms", exact for every year here. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  int64_t era;
  unsigned yoe, doy, doe;
  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = (unsigned)(y - era * 400);
  doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d) {
  int64_t era;
  unsigned doe, yoe, doy, mp;
  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = (unsigned)(z - era * 146097);
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static unsigned days_in_month(int64_t y, unsigned m) {
  static const unsigned char days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : days[m - 1];
}

/* Writes v (0 <= v < 10^n) as n decimal digits. */
static void put_digits(char *out, int64_t v, int n) {
  while (n-- > 0) {
    out[n] = (char)('0' + v % 10);
    v /= 10;
  }
}

size_t copydesk_date_format(const copydesk_date *d, char *out) {
  int64_t days, secs, y;
  unsigned m, day;
  out[0] = '\0';
  if (d->epoch < EPOCH_MIN || d->epoch > EPOCH_MAX) return 0;
  days = d->epoch / 86400;
  secs = d->epoch % 86400;
  if (secs < 0) {
    secs += 86400;
    days--;
  }
  civil_from_days(days, &y, &m, &day);
  put_digits(out, y, 4);
  out[4] = '-';
  put_digits(out + 5, m, 2);
  out[7] = '-';
  put_digits(out + 8, day, 2);
  if (!d->has_time) {
    out[10] = '\0';
    return 10;
  }
  out[10] = 'T';
  put_digits(out + 11, secs / 3600, 2);
  out[13] = ':';
  put_digits(out + 14, secs / 60 % 60, 2);
  out[16] = ':';
  put_digits(out + 17, secs % 60, 2);
  out[19] = 'Z';
  out[20] = '\0';
  return 20;
}

/* ------------------------------------------------------------------------------------------ */
/* Parsing                                                                                     */

/* What a date string said, field by field; -1 is "not given". */
typedef struct fields {
  int64_t year;
  int month, day, hour, min, sec;
  int ampm;        /* 0 none, 1 am, 2 pm */
  int zone_set;
  long zone;       /* seconds east of UTC */
} fields;

typedef struct cursor {
  const char *s;
  size_t len, pos, bad; /* bad: where the first problem is */
} cursor;

static int digit(char c) { return c >= '0' && c <= '9'; }

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

/* Reads up to `max` digits at the cursor; returns how many (0: none) and sets *v. */
static int read_num(cursor *c, int max, int64_t *v) {
  int n = 0;
  *v = 0;
  while (c->pos < c->len && n < max && digit(c->s[c->pos])) {
    *v = *v * 10 + (c->s[c->pos++] - '0');
    n++;
  }
  return n;
}

static int eat(cursor *c, char ch) {
  if (c->pos < c->len && c->s[c->pos] == ch) {
    c->pos++;
    return 1;
  }
  return 0;
}

static void skip_space(cursor *c) {
  while (c->pos < c->len && (c->s[c->pos] == ' ' || c->s[c->pos] == '\t')) c->pos++;
}

/* An epoch: an optional sign, digits, an optional fraction, nothing else. */
static int parse_epoch(const char *s, size_t len, int64_t *epoch) {
  size_t i = 0, digits;
  int64_t v = 0;
  int neg = 0;
  if (i < len && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  for (digits = 0; i < len && digit(s[i]); i++, digits++) {
    if (digits >= 18) return 0; /* past any year we write, and int64 stays safe */
    v = v * 10 + (s[i] - '0');
  }
  if (digits == 0) return 0;
  if (i < len && s[i] == '.') {
    for (i++; i < len && digit(s[i]); i++) {}
  }
  if (i != len) return 0;
  if (v >= MILLIS_FROM) v = neg ? (v + 999) / 1000 : v / 1000; /* the floor of the seconds */
  *epoch = neg ? -v : v;
  return 1;
}

/* "HH:MM[:SS[.frac]]" with the hour already read. */
static int parse_clock(cursor *c, fields *f, int64_t hour) {
  int64_t v;
  f->hour = (int)hour;
  if (!eat(c, ':') || read_num(c, 2, &v) != 2) return 0;
  f->min = (int)v;
  f->sec = 0;
  if (eat(c, ':')) {
    if (read_num(c, 2, &v) != 2) return 0;
    f->sec = (int)v;
    if (eat(c, '.') || eat(c, ','))
      while (c->pos < c->len && digit(c->s[c->pos])) c->pos++;
  }
  return 1;
}

/* "+HH", "+HHMM" or "+HH:MM" at the cursor (the sign not yet read). */
static int parse_offset(cursor *c, fields *f) {
  int sign = c->s[c->pos] == '-' ? -1 : 1;
  int64_t hh, mm = 0;
  int n;
  c->pos++;
  n = read_num(c, 4, &hh);
  if (n == 4) {
    mm = hh % 100;
    hh /= 100;
  } else if (n == 2) {
    if (eat(c, ':') && read_num(c, 2, &mm) != 2) return 0;
  } else {
    return 0;
  }
  if (mm > 59 || hh > 18) return 0;
  f->zone = sign * (long)(hh * 3600 + mm * 60);
  f->zone_set = 1;
  return 1;
}

/* The names a date may hold. Months and weekdays match by their first three letters or more
** ("sept", "wednes" are fine), zones by their whole name. */
static const char *const months[] = {"january", "february", "march", "april", "may", "june",
                                     "july", "august", "september", "october", "november",
                                     "december"};
static const char *const weekdays[] = {"monday", "tuesday", "wednesday", "thursday", "friday",
                                       "saturday", "sunday"};
static const struct { const char *name; int hours; } zones[] = {
  {"z", 0}, {"ut", 0}, {"utc", 0}, {"gmt", 0}, {"est", -5}, {"edt", -4}, {"cst", -6},
  {"cdt", -5}, {"mst", -7}, {"mdt", -6}, {"pst", -8}, {"pdt", -7}, {"bst", 1}, {"cet", 1},
  {"cest", 2}, {"eet", 2}, {"eest", 3}, {"jst", 9}, {"aest", 10}, {"aedt", 11},
};

/* Whether w[0..n) (lower case) is name, or a prefix of at least three letters of it. */
static int names(const char *w, size_t n, const char *name) {
  return n >= 3 && n <= strlen(name) && memcmp(w, name, n) == 0;
}

/* Handles the word w[0..n) (lower case) of an English or RFC 2822 date. */
static int word(const char *w, size_t n, fields *f) {
  size_t i;
  for (i = 0; i < 12; i++)
    if (names(w, n, months[i])) {
      if (f->month >= 0) return 0;
      f->month = (int)i + 1;
      return 1;
    }
  for (i = 0; i < 7; i++)
    if (names(w, n, weekdays[i])) return 1;
  if ((n == 2 && (memcmp(w, "at", 2) == 0 || memcmp(w, "on", 2) == 0 || memcmp(w, "of", 2) == 0)) ||
      (n == 3 && memcmp(w, "the", 3) == 0))
    return 1;
  if (n == 2 && (memcmp(w, "am", 2) == 0 || memcmp(w, "pm", 2) == 0) && f->hour >= 0 && !f->ampm) {
    f->ampm = w[0] == 'a' ? 1 : 2;
    return 1;
  }
  for (i = 0; i < sizeof zones / sizeof zones[0]; i++)
    if (strlen(zones[i].name) == n && memcmp(w, zones[i].name, n) == 0 && !f->zone_set) {
      f->zone = zones[i].hours * 3600L;
      f->zone_set = 1;
      return 1;
    }
  return 0;
}

/* A number of an English or RFC 2822 date: a clock ("14:02"), a year (four digits) or a day
** (one or two, with an optional "st", "nd", "rd" or "th"). */
static int number(cursor *c, fields *f) {
  int64_t v;
  int n = read_num(c, 5, &v);
  if (c->pos < c->len && c->s[c->pos] == ':') return f->hour < 0 && parse_clock(c, f, v);
  if (n == 4 && f->year < 0) {
    f->year = v;
    return 1;
  }
  if (n > 2 || f->day >= 0) return 0;
  f->day = (int)v;
  if (c->len - c->pos >= 2) {
    char a = lower(c->s[c->pos]), b = lower(c->s[c->pos + 1]);
    if ((a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') ||
        (a == 't' && b == 'h'))
      c->pos += 2;
  }
  return 1;
}

/* English and RFC 2822 forms: words, numbers and separators in any order a writer uses; the
** fields must each come once. */
static int parse_words(cursor *c, fields *f) {
  char w[16];
  size_t n;
  while (c->pos < c->len) {
    char ch = c->s[c->pos];
    c->bad = c->pos;
    if (ch == ' ' || ch == '\t' || ch == ',' || ch == '.' || ch == '/') {
      c->pos++;
    } else if (ch == '-' || ch == '+') {
      if (f->hour >= 0 && c->pos + 1 < c->len && digit(c->s[c->pos + 1])) {
        if (f->zone_set && f->zone != 0) return 0; /* "GMT+0100" reads as the offset alone */
        if (!parse_offset(c, f)) return 0;
      } else {
        c->pos++;
      }
    } else if (digit(ch)) {
      if (!number(c, f)) return 0;
    } else if ((ch | 32) >= 'a' && (ch | 32) <= 'z') {
      for (n = 0; c->pos < c->len && ((c->s[c->pos] | 32) >= 'a' && (c->s[c->pos] | 32) <= 'z');
           c->pos++)
        if (n < sizeof w) w[n++] = lower(c->s[c->pos]);
      if (n == sizeof w || !word(w, n, f)) return 0;
    } else {
      return 0;
    }
  }
  return f->year >= 0 && f->month >= 0 && f->day >= 0;
}

/* ISO 8601: "YYYY-MM-DD" then optionally 'T' or a space, a clock and a zone. */
static int parse_iso(cursor *c, fields *f) {
  int64_t y, m, d;
  if (read_num(c, 4, &y) != 4 || !eat(c, '-') || read_num(c, 2, &m) != 2 || !eat(c, '-') ||
      read_num(c, 2, &d) != 2)
    return 0;
  f->year = y;
  f->month = (int)m;
  f->day = (int)d;
  if (c->pos == c->len) return 1;
  c->bad = c->pos;
  if (!eat(c, 'T') && !eat(c, 't') && !eat(c, ' ')) return 0;
  skip_space(c);
  if (read_num(c, 2, &y) != 2 || !parse_clock(c, f, y)) return 0;
  skip_space(c);
  c->bad = c->pos;
  if (c->pos == c->len) return 1;
  if (c->s[c->pos] == '+' || c->s[c->pos] == '-') return parse_offset(c, f) && c->pos == c->len;
  return parse_words(c, f); /* "Z", "UTC", "GMT" */
}

/* Whether the fields name a real moment; sets *epoch. */
static int resolve(const fields *f, int64_t *epoch) {
  int hour = f->hour;
  if (f->year < 1 || f->year > 9999 || f->month < 1 || f->month > 12 || f->day < 1 ||
      (unsigned)f->day > days_in_month(f->year, (unsigned)f->month))
    return 0;
  if (f->ampm) {
    if (hour < 1 || hour > 12) return 0;
    hour = hour % 12 + (f->ampm == 2 ? 12 : 0);
  }
  if (hour > 23 || f->min > 59 || f->sec > 60) return 0;
  *epoch = days_from_civil(f->year, (unsigned)f->month, (unsigned)f->day) * 86400;
  if (hour >= 0) *epoch += hour * 3600 + f->min * 60 + (f->sec == 60 ? 59 : f->sec) - f->zone;
  return *epoch >= EPOCH_MIN && *epoch <= EPOCH_MAX;
}

copydesk_code copydesk_date_parse(const char *s, size_t len, copydesk_date *out,
                                  copydesk_err *err) {
  fields f = {-1, -1, -1, -1, -1, -1, 0, 0, 0};
  cursor c;
  size_t a = 0, b = len;
  int64_t epoch;
  int shaped;
  if (out == NULL || (s == NULL && len > 0))
    return cd_fail(err, COPYDESK_ERR_INVALID, NULL, DATE_CONTEXT, NULL, 0, 0);
  while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\n' || s[a] == '\r')) a++;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\n' || s[b - 1] == '\r')) b--;
  if (parse_epoch(s + a, b - a, &epoch)) {
    if (epoch < EPOCH_MIN || epoch > EPOCH_MAX)
      return cd_fail(err, COPYDESK_ERR_INVALID, MSG_IMPOSSIBLE, DATE_CONTEXT, s, len, a);
    out->epoch = epoch;
    out->has_time = 1;
    cd_ok(err);
    return COPYDESK_OK;
  }
  c.s = s;
  c.len = b;
  c.pos = c.bad = a;
  shaped = b - a >= 10 && digit(s[a]) && s[a + 4] == '-' ? parse_iso(&c, &f) : parse_words(&c, &f);
  if (!shaped) return cd_fail(err, COPYDESK_ERR_INVALID, MSG_NOT_DATE, DATE_CONTEXT, s, len, c.bad);
  if (!resolve(&f, &epoch))
    return cd_fail(err, COPYDESK_ERR_INVALID, MSG_IMPOSSIBLE, DATE_CONTEXT, s, len, a);
  out->epoch = epoch;
  out->has_time = f.hour >= 0;
  cd_ok(err);
  return COPYDESK_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* URLs                                                                                        */

/* Whether s starts with `prefix` (lower case), ignoring ASCII case. */
static int starts_with(const char *s, size_t len, const char *prefix) {
  size_t i, n = strlen(prefix);
  if (len < n) return 0;
  for (i = 0; i < n; i++)
    if (lower(s[i]) != prefix[i]) return 0;
  return 1;
}

static int host_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || digit((char)c) || c == '-' ||
         c == '.' || c >= 0x80;
}

int copydesk_url_valid(const char *s, size_t len) {
  size_t i, h;
  int dot = 0;
  if (s == NULL) return 0;
  if (starts_with(s, len, "http://")) i = 7;
  else if (starts_with(s, len, "https://")) i = 8;
  else return 0;
  h = i;
  if (i < len && s[i] == '[') {
    while (i < len && s[i] != ']' && (digit(s[i]) || s[i] == ':' || s[i] == '.' ||
                                      ((s[i] | 32) >= 'a' && (s[i] | 32) <= 'f') || s[i] == '['))
      i++;
    if (i >= len || s[i] != ']' || i == h + 1) return 0;
    i++;
  } else {
    for (; i < len && host_byte((unsigned char)s[i]); i++) dot |= s[i] == '.';
    if (i == h || s[h] == '.' || s[h] == '-' || s[i - 1] == '.' || s[i - 1] == '-') return 0;
    if (!dot && !(i - h == 9 && starts_with(s + h, 9, "localhost"))) return 0;
  }
  if (i < len && s[i] == ':') {
    for (h = ++i; i < len && digit(s[i]); i++) {}
    if (i == h || i - h > 5) return 0;
  }
  if (i < len && s[i] != '/' && s[i] != '?' && s[i] != '#') return 0;
  for (; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == '"' || c == '\\') return 0;
  }
  return 1;
}
