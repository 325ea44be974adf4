/* test_meta.c: copydesk_date_parse, copydesk_date_format and copydesk_url_valid. */
#include "check.h"

/* Parses s (from an exact-size heap copy) and checks the ISO form. */
static void date_is(const char *s, const char *iso, int line) {
  size_t len = strlen(s);
  char *in = check_dup(s, len);
  char out[COPYDESK_DATE_MAX];
  copydesk_date d = {0, 0};
  copydesk_err err = check_err();
  copydesk_code rc = copydesk_date_parse(in, len, &d, &err);
  check(rc == COPYDESK_OK && err.code == COPYDESK_OK, "line %d: '%s': code %d (%s)", line, s, rc,
        rc ? err.msg : "");
  if (rc == COPYDESK_OK) {
    size_t n = copydesk_date_format(&d, out);
    check(n == strlen(iso) && strcmp(out, iso) == 0, "line %d: '%s' -> '%s', expected '%s'", line,
          s, out, iso);
  }
  free(in);
}

/* Expects the message and the 0-based position of the problem. */
static void not_date(const char *s, const char *msg, size_t pos, int line) {
  size_t len = strlen(s);
  char *in = check_dup(s, len);
  copydesk_date d = {12345, 7};
  copydesk_err err = check_err();
  check(copydesk_date_parse(in, len, &d, &err) == COPYDESK_ERR_INVALID, "line %d: '%s' parsed",
        line, s);
  check(err.code == COPYDESK_ERR_INVALID && err.msg && strcmp(err.msg, msg) == 0,
        "line %d: '%s': message '%s'", line, s, err.msg ? err.msg : "(null)");
  check(err.pos == pos && err.line == 1 && err.col == pos + 1, "line %d: '%s': pos %zu, %zu:%zu",
        line, s, err.pos, err.line, err.col);
  check(d.epoch == 12345 && d.has_time == 7, "line %d: out touched on failure", line);
  free(in);
}

#define DATE(s, iso) date_is(s, iso, __LINE__)
#define NOT_DATE(s, msg, pos) not_date(s, msg, pos, __LINE__)

static void test_epochs(void) {
  DATE("1602509541", "2020-10-12T13:32:21Z");
  DATE("1602509541.0172567", "2020-10-12T13:32:21Z"); /* the fraction is dropped */
  DATE("1602509541017", "2020-10-12T13:32:21Z");      /* milliseconds */
  DATE(" 1615730520.8812339 \n", "2021-03-14T14:02:00Z");
  DATE("0", "1970-01-01T00:00:00Z");
  DATE("-1", "1969-12-31T23:59:59Z");
  DATE("-1500", "1969-12-31T23:35:00Z");
  DATE("-100000000500", "1966-10-31T14:13:19Z"); /* milliseconds: floor, not truncation */
  DATE("253402300799000", "9999-12-31T23:59:59Z"); /* magnitudes from 1e11 are milliseconds... */
  DATE("99999999999", "5138-11-16T09:46:39Z");     /* ...below it seconds */
  NOT_DATE("1234567890123456789", "not a date", 0);
}

static void test_iso(void) {
  DATE("2020-10-05", "2020-10-05");
  DATE("2020-10-05T14:02:00Z", "2020-10-05T14:02:00Z");
  DATE("2020-10-05t14:02Z", "2020-10-05T14:02:00Z");
  DATE("2020-10-05 14:02:00.123456+02:00", "2020-10-05T12:02:00Z");
  DATE("2020-10-05T01:30:00-0330", "2020-10-05T05:00:00Z");
  DATE("2020-10-05T23:30:00-01", "2020-10-06T00:30:00Z");
  DATE("2020-12-31T23:59:60Z", "2020-12-31T23:59:59Z"); /* a leap second */
  DATE("2020-10-05 14:02 UTC", "2020-10-05T14:02:00Z");
  DATE("2024-02-29", "2024-02-29");
  DATE("2000-02-29", "2000-02-29");
  NOT_DATE("1900-02-29", "impossible date", 0);
  NOT_DATE("2021-02-29", "impossible date", 0);
  NOT_DATE("2020-13-01", "impossible date", 0);
  NOT_DATE("2020-10-05T25:00", "impossible date", 0);
  NOT_DATE("2020-10-05T14:02+19:00", "not a date", 16);
  NOT_DATE("2020-10-05X14:02", "not a date", 10);
  NOT_DATE("2020-10-05T14", "not a date", 10);
}

static void test_rfc2822(void) {
  DATE("Mon, 05 Oct 2020 14:02:00 +0000", "2020-10-05T14:02:00Z");
  DATE("Mon, 05 Oct 2020 14:02:00 GMT", "2020-10-05T14:02:00Z");
  DATE("Mon, 5 Oct 2020 09:02:00 EST", "2020-10-05T14:02:00Z");
  DATE("Sun, 14 Mar 2021 07:02:00 PDT", "2021-03-14T14:02:00Z");
  DATE("05 Oct 2020 16:02 +0200", "2020-10-05T14:02:00Z");
  DATE("Mon, 05 Oct 2020 14:02:00 GMT+0100", "2020-10-05T13:02:00Z");
}

static void test_english(void) {
  DATE("October 5, 2020", "2020-10-05");
  DATE("5 October 2020", "2020-10-05");
  DATE("Oct. 5th, 2020", "2020-10-05");
  DATE("Sept 21st 2020", "2020-09-21");
  DATE("Monday, October 5, 2020 at 2:02 pm", "2020-10-05T14:02:00Z");
  DATE("Monday 5 October 2020 14:02 BST", "2020-10-05T13:02:00Z");
  DATE("12:00 am October 5 2020", "2020-10-05T00:00:00Z");
  DATE("12:30 PM, October 5, 2020", "2020-10-05T12:30:00Z");
  DATE("the 1st of January, 2021", "2021-01-01");
  DATE("DECEMBER 31 1999", "1999-12-31");
  NOT_DATE("yesterday", "not a date", 0);
  NOT_DATE("October 2020", "not a date", 8); /* no day: the last token read */
  NOT_DATE("February 30, 2020", "impossible date", 0);
  NOT_DATE("October 5, 2020 at 13:00 pm", "impossible date", 0);
  NOT_DATE("October October 5, 2020", "not a date", 8);
  NOT_DATE("5 October 2020 \xC3\xA0 14h", "not a date", 15);
  NOT_DATE("", "not a date", 0);
}

static void test_format_and_errors(void) {
  copydesk_date d = {253402300800LL, 1}; /* 10000-01-01 */
  char out[COPYDESK_DATE_MAX];
  copydesk_err err = check_err();
  check(copydesk_date_format(&d, out) == 0 && out[0] == '\0', "year past 9999");
  d.epoch = -62135596800LL;
  check(copydesk_date_format(&d, out) == 20 && strcmp(out, "0001-01-01T00:00:00Z") == 0, "%s",
        out);
  d.has_time = 0;
  d.epoch = 86399;
  check(copydesk_date_format(&d, out) == 10 && strcmp(out, "1970-01-01") == 0, "%s", out);
  check(copydesk_date_parse("x", 1, NULL, &err) == COPYDESK_ERR_INVALID && err.line == 0,
        "NULL out");
  check(copydesk_date_parse(NULL, 1, &d, &err) == COPYDESK_ERR_INVALID, "NULL s");
}

static void test_urls(void) {
  static const char *const good[] = {
    "https://example.com/img/ferry_1615730000.jpg", "http://localhost:8080/", "HTTPS://EXAMPLE.COM",
    "https://i.example.co.uk/1s/2020/10/12/a.jpg?w=640#top", "http://192.168.0.1/x",
    "https://[::1]:8443/", "https://xn--caf-dma.example/men\xC3\xBC",
  };
  static const char *const bad[] = {
    "", "/img/x.jpg", "//example.com/x.jpg", "ftp://example.com/x", "https://", "https://example",
    "https://.example.com", "https://example.com./", "https://exa mple.com",
    "https://example.com/a b", "https://example.com:/", "https://example.com:123456/",
    "https://example.com\\x", "javascript:alert(1)", "https://example.com<script>",
    "https://[]/", "https://example.com@", "https://example.com/\x7F",
  };
  size_t i;
  for (i = 0; i < sizeof good / sizeof good[0]; i++)
    check(copydesk_url_valid(good[i], strlen(good[i])), "'%s' rejected", good[i]);
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
    check(!copydesk_url_valid(bad[i], strlen(bad[i])), "'%s' accepted", bad[i]);
  check(!copydesk_url_valid(NULL, 0), "NULL");
  check(!copydesk_url_valid("https://example.com/\0x", 22), "zero byte");
}

int main(void) {
  test_epochs();
  test_iso();
  test_rfc2822();
  test_english();
  test_format_and_errors();
  test_urls();
  return check_done("test_meta");
}
