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
#include "base/fmt.h"

#include <math.h>

#include <stdlib.h>
#include <string.h>

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
    assert_string_equal(fmt_plural(1, "школа", "школы", "школ"), "школа");
    assert_string_equal(fmt_plural(3, "школа", "школы", "школ"), "школы");
    assert_string_equal(fmt_plural(11, "школа", "школы", "школ"), "школ");
    assert_string_equal(fmt_plural(21, "школа", "школы", "школ"), "школа");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_grows_and_stays_terminated),
        cmocka_unit_test(buf_cap_is_sticky),
        cmocka_unit_test(buf_printf_long_and_capped),
        cmocka_unit_test(buf_detach_and_truncate),
        cmocka_unit_test(err_format_with_place),
        cmocka_unit_test(fmt_russian_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
