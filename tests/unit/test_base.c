/*
 * Unit tests of src/base: the buffer (growth, cap, sticky failure, printf) and error values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/file.h"
#include "base/fmt.h"

#include <math.h>
#include <stdio.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void buf_grows_and_stays_terminated(void **state)
{
    msk_buf b;
    msk_buf_init(&b, 0);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(msk_buf_puts(&b, "абв"), 0);
    assert_int_equal(b.len, 6000);
    assert_int_equal(b.data[b.len], '\0');
    assert_int_equal(b.failed, 0);
    msk_buf_release(&b);
}

/* msk_fixed writes what snprintf "%.*f" writes: ties, halves that are not ties in binary,
 * negatives and −0, large values, every decimals, truncation */
static void fixed_matches_printf(void **state)
{
    (void)state;
    static const double vals[] = {0,           -0.0,      0.5,         1.5,    2.5,      0.15,
                                  0.25,        0.35,      0.05,        0.125,  0.1235,   1e-7,
                                  -0.04,       -0.05,     99.95,       999.95, 0.999999, 123456.789,
                                  -123456.789, 1e9,       1e12,        -1e15,  4.35,     1.005,
                                  2.675,       0.3333333, 66.66666666, 12.345, 1e300,    -1e-300};
    char a[64], b[64];
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
        for (int d = -1; d <= 8; d++) {
            int na = msk_fixed(a, sizeof a, vals[i], d),
                nb = snprintf(b, sizeof b, "%.*f", d, vals[i]);
            assert_int_equal(na, nb);
            assert_string_equal(a, b);
        }
    unsigned long long s = 88172645463325252ULL; /* xorshift: shares and scores as pages have */
    for (int i = 0; i < 200000; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        double v = (double)(s % 2000001) / 1000000.0 - 1.0;
        if (i % 3 == 0)
            v *= 100.0;
        if (i % 5 == 0)
            v = (double)(s % 20001) / 100.0 * 100.0 / 7.0;
        int d = (int)(s >> 40) % 4;
        msk_fixed(a, sizeof a, v, d);
        snprintf(b, sizeof b, "%.*f", d, v);
        assert_string_equal(a, b);
    }
    assert_int_equal(msk_fixed(a, 4, 123.456, 2), 6); /* truncated like snprintf */
    assert_string_equal(a, "123");
}

/* msk_num_fast and msk_pct_fast write what fmt_num and fmt_pct write */
static void fast_num_matches_fmt(void **state)
{
    (void)state;
    static const double vals[] = {0,     -0.0,  0.0005, 0.15,  0.25,    0.999, 0.99995,
                                  1,     9.995, 99.95,  999.4, 999.95,  1000,  1234.5,
                                  -0.04, -1,    12.345, NAN,   INFINITY};
    char a[64], b[64];
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
        for (int d = 0; d <= 2; d++) {
            assert_string_equal(msk_num_fast(vals[i], d, a, sizeof a),
                                fmt_num(vals[i], d, b, sizeof b));
            assert_string_equal(msk_num_fast(vals[i] * 100, d, a, sizeof a),
                                fmt_num(vals[i] * 100, d, b, sizeof b));
            assert_string_equal(msk_pct_fast(vals[i], d, a, sizeof a),
                                fmt_pct(vals[i], d, b, sizeof b));
        }
    unsigned long long s = 88172645463325252ULL;
    for (int i = 0; i < 100000; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        double v = (double)(s % 1000001) / 1000000.0;
        int d = (int)(s >> 40) % 3;
        assert_string_equal(msk_pct_fast(v, d, a, sizeof a), fmt_pct(v, d, b, sizeof b));
        assert_string_equal(msk_num_fast(v * 1000, d, a, sizeof a),
                            fmt_num(v * 1000, d, b, sizeof b));
    }
    assert_string_equal(msk_num_fast(0.5, 1, a, 8), fmt_num(0.5, 1, b, 8)); /* small out: fmt_num */
}

static void buf_cap_is_sticky(void **state)
{
    msk_buf b;
    msk_buf_init(&b, 10);
    assert_int_equal(msk_buf_puts(&b, "0123456789"), 0);
    assert_int_equal(msk_buf_putc(&b, 'x'), -1);
    assert_int_equal(b.failed, 1);
    assert_int_equal(msk_buf_puts(&b, ""), -1); /* sticky until reset */
    assert_string_equal(b.data, "0123456789");
    msk_buf_reset(&b);
    assert_int_equal(msk_buf_puts(&b, "ok"), 0);
    assert_string_equal(b.data, "ok");
    msk_buf_release(&b);
}

static void buf_printf_long_and_capped(void **state)
{
    msk_buf b;
    char big[500];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    msk_buf_init(&b, 0);
    assert_int_equal(msk_buf_printf(&b, "%s-%d", big, 42), 0);
    assert_int_equal(b.len, 502);
    assert_string_equal(b.data + 499, "-42");
    msk_buf_release(&b);

    msk_buf_init(&b, 8);
    assert_int_equal(msk_buf_printf(&b, "%d", 1234), 0);
    assert_int_equal(msk_buf_printf(&b, "%d", 12345), -1); /* 9 bytes > cap 8 */
    assert_string_equal(b.data, "1234");
    msk_buf_release(&b);
}

static void buf_detach_and_truncate(void **state)
{
    msk_buf b;
    size_t n = 0;
    msk_buf_init(&b, 0);
    msk_buf_puts(&b, "hello world");
    msk_buf_truncate(&b, 5);
    assert_string_equal(b.data, "hello");
    char *p = msk_buf_detach(&b, &n);
    assert_int_equal(n, 5);
    assert_string_equal(p, "hello");
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    free(p);
    msk_buf_release(&b);
}

static void err_format_with_place(void **state)
{
    msk_err e;
    char out[256];
    msk_err_clear(&e);
    assert_int_equal(msk_error_at(&e, "f.csv", 12, 3, "плохое значение «%s»", "x"), -1);
    msk_err_format(&e, out, sizeof out);
    assert_string_equal(out, "f.csv:12:3: плохое значение «x»");
    msk_error_at(&e, "f.csv", 7, 0, "строка");
    msk_err_format(&e, out, sizeof out);
    assert_string_equal(out, "f.csv:7: строка");
    msk_err_clear(&e);
    assert_int_equal(msk_error(&e, "без места"), -1);
    msk_err_format(&e, out, sizeof out);
    assert_string_equal(out, "без места");
    assert_int_equal(msk_error(NULL, "ignored"), -1);
    msk_err_format(&e, out, 4); /* truncates, stays terminated */
    assert_int_equal(strlen(out), 3);
}

/* msk_file_read: the bytes NUL-terminated; at most max + 1 of them, so a caller sees a file over
 * its limit; a missing file names itself. */
static void file_read_whole_and_capped(void **state)
{
    char path[] = "/tmp/msoko_file_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "ab\0cdef", 7), 7);
    close(fd);
    char *data;
    size_t len;
    msk_err e;
    assert_int_equal(msk_file_read(path, 100, &data, &len, &e), 0);
    assert_int_equal(len, 7);
    assert_memory_equal(data, "ab\0cdef", 8); /* the NUL inside is kept, one added */
    free(data);
    assert_int_equal(msk_file_read(path, 3, &data, &len, &e), 0);
    assert_int_equal(len, 4); /* max + 1: "longer than 3" can be told */
    assert_int_equal(data[4], '\0');
    free(data);
    unlink(path);
    assert_int_equal(msk_file_read(path, 100, &data, &len, &e), -1);
    assert_null(data);
    assert_string_equal(e.file, path);
    assert_non_null(strstr(e.msg, "не удалось открыть файл"));
}

static void fmt_russian_numbers(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(fmt_int(1234567, b, sizeof b), "1" FMT_THOUSANDS "234" FMT_THOUSANDS "567");
    assert_string_equal(fmt_int(999, b, sizeof b), "999");
    assert_string_equal(fmt_int(-1234, b, sizeof b), "−1" FMT_THOUSANDS "234");
    assert_string_equal(fmt_num(3.14159, 1, b, sizeof b), "3,1");
    assert_string_equal(fmt_num(-0.04, 1, b, sizeof b), "0,0");
    assert_string_equal(fmt_num(12345.5, 1, b, sizeof b), "12" FMT_THOUSANDS "345,5");
    assert_string_equal(fmt_pct(0.3412, 1, b, sizeof b), "34,1\xC2\xA0%");
    assert_string_equal(fmt_pct(NAN, 1, b, sizeof b), "—");
    assert_string_equal(fmt_pp(0.052, 1, b, sizeof b), "+5,2\xC2\xA0п.\xC2\xA0п.");
    assert_string_equal(fmt_pp(-0.01, 1, b, sizeof b), "−1,0\xC2\xA0п.\xC2\xA0п.");
    assert_string_equal(fmt_date("2024-09-30", b, sizeof b), "30.09.2024");
    assert_string_equal(fmt_date("2024-09-30 12:00:00", b, sizeof b), "30.09.2024");
    assert_string_equal(fmt_date("без срока", b, sizeof b), "без срока");
    assert_string_equal(fmt_school_year(2024, b, sizeof b), "2023/2024");
    assert_string_equal(fmt_size(14, b, sizeof b), "14 Б");
    assert_string_equal(fmt_size(300000, b, sizeof b), "293 КБ"); /* 292,97 КБ */
    assert_string_equal(fmt_size(1258291, b, sizeof b), "1,2 МБ");
    char iso[11];
    assert_int_equal(fmt_parse_date("12.09.2023", iso), 0);
    assert_string_equal(iso, "2023-09-12");
    assert_int_equal(fmt_parse_date("2024-02-29", iso), 0); /* a leap year */
    assert_int_equal(fmt_parse_date("29.02.2023", iso), -1);
    assert_int_equal(fmt_parse_date("29.02.1900", iso), -1); /* divisible by 100, not by 400 */
    assert_int_equal(fmt_parse_date("29.02.2000", iso), 0);
    assert_int_equal(fmt_parse_date("31.04.2024", iso), -1);
    assert_int_equal(fmt_parse_date("12.09.2023 ", iso), -1);
    assert_int_equal(fmt_parse_date("сентябрь", iso), -1);
    assert_int_equal(fmt_parse_date(NULL, iso), -1);
    assert_string_equal(fmt_plural(1, "школа", "школы", "школ"), "школа");
    assert_string_equal(fmt_plural(3, "школа", "школы", "школ"), "школы");
    assert_string_equal(fmt_plural(11, "школа", "школы", "школ"), "школ");
    assert_string_equal(fmt_plural(21, "школа", "школы", "школ"), "школа");
    char per[96];
    assert_string_equal(fmt_period("2027", per, sizeof per), "2026/2027 учебный год");
    assert_string_equal(fmt_period("2027-H1", per, sizeof per),
                        "1-е полугодие 2026/2027 учебного года");
    assert_string_equal(fmt_period("2027-H2", per, sizeof per),
                        "2-е полугодие 2026/2027 учебного года");
    assert_string_equal(fmt_period("2024-09", per, sizeof per), "сентябрь 2024");
    assert_string_equal(fmt_period("2024-13", per, sizeof per), "2024-13");
    assert_string_equal(fmt_period("весна", per, sizeof per), "весна");
    /* the school year a period counts in (the directions' form terms, the model's form values):
     * September–December count in the next one, January–August and the halves in their own */
    assert_int_equal(fmt_period_school_year("2024"), 2024);
    assert_int_equal(fmt_period_school_year("2024-H1"), 2024);
    assert_int_equal(fmt_period_school_year("2024-H2"), 2024);
    assert_int_equal(fmt_period_school_year("2024-01"), 2024);
    assert_int_equal(fmt_period_school_year("2024-08"), 2024);
    assert_int_equal(fmt_period_school_year("2023-09"), 2024);
    assert_int_equal(fmt_period_school_year("2023-12"), 2024);
    assert_int_equal(fmt_period_school_year("2024-13"), 0);
    assert_int_equal(fmt_period_school_year("2024-00"), 0);
    assert_int_equal(fmt_period_school_year("0999"), 0);
    assert_int_equal(fmt_period_school_year("весна"), 0);
    assert_int_equal(fmt_period_school_year("2024-H3"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_grows_and_stays_terminated), cmocka_unit_test(buf_cap_is_sticky),
        cmocka_unit_test(fixed_matches_printf),           cmocka_unit_test(fast_num_matches_fmt),
        cmocka_unit_test(buf_printf_long_and_capped),     cmocka_unit_test(buf_detach_and_truncate),
        cmocka_unit_test(err_format_with_place),          cmocka_unit_test(fmt_russian_numbers),
        cmocka_unit_test(file_read_whole_and_capped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
