/*
 * Unit tests of src/method/methodology.c: sections and keys in file order, SHA-256 of the bytes,
 * errors with file and line, numbers with a point, a comma or a percent, integers, booleans,
 * bands, lists and continuation lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine/methfile.h"
#include "method/methodology.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static meth_file *load(const char *text)
{
    meth_file *f = NULL;
    msk_err e;
    msk_err_clear(&e);
    int rc = meth_load_str("t.ini", text, &f, &e);
    if (rc)
        fprintf(stderr, "unexpected: %s\n", e.msg);
    assert_int_equal(rc, 0);
    assert_non_null(f);
    return f;
}

static void fails_at(const char *text, int line, const char *needle)
{
    meth_file *f = NULL;
    msk_err e;
    msk_err_clear(&e);
    assert_int_equal(meth_load_str("bad.ini", text, &f, &e), -1);
    assert_null(f);
    assert_string_equal(e.file, "bad.ini");
    assert_int_equal(e.row, line);
    if (!strstr(e.msg, needle))
        fail_msg("message «%s» lacks «%s»", e.msg, needle);
}

static void sections_and_keys_in_order(void **state)
{
    meth_file *f = load("; comment\n# another\n[b]\nz = 1\na =  two words  \n[a]\nk=v ; inline\n"
                        "[b]\nm = 3\n");
    assert_int_equal(meth_nsections(f), 2);
    assert_string_equal(meth_section(f, 0), "b");
    assert_string_equal(meth_section(f, 1), "a");
    assert_null(meth_section(f, 2));
    assert_int_equal(meth_nkeys(f, "b"), 3);
    assert_string_equal(meth_key(f, "b", 0), "z");
    assert_string_equal(meth_key(f, "b", 1), "a");
    assert_string_equal(meth_key(f, "b", 2), "m");
    assert_null(meth_key(f, "b", 3));
    assert_string_equal(meth_get(f, "b", "a"), "two words");
    assert_string_equal(meth_get(f, "a", "k"), "v");
    assert_null(meth_get(f, "a", "z"));
    assert_null(meth_get(f, "nosuch", "k"));
    assert_string_equal(meth_name(f), "t.ini");
    meth_free(f);
    meth_free(NULL);
}

static void hash_is_sha256_of_bytes(void **state)
{
    meth_file *f = load("");
    assert_string_equal(meth_hash(f),
                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    meth_free(f);
    f = load("[a]\nk = v\n"); /* printf '[a]\nk = v\n' | sha256sum */
    assert_string_equal(meth_hash(f),
                        "ed1a201d8c6dd4ee18bfb04990ff0cd807b1ea05124bd3fc0bcd1ac8a9ebd906");
    meth_free(f);
}

static void hash_of_file_equals_hash_of_string(void **state)
{
    const char *text = "[shnor]\nlow_share = 0.3\n";
    char path[] = "/tmp/msoko_meth_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    meth_file *a = NULL, *b = load(text);
    msk_err e;
    assert_int_equal(engine_meth_load(path, &a, &e), 0);
    assert_string_equal(meth_hash(a), meth_hash(b));
    assert_string_equal(meth_name(a), path);
    assert_string_equal(meth_get(a, "shnor", "low_share"), "0.3");
    meth_free(a);
    meth_free(b);
    b = load("[shnor]\nlow_share = 0.25\n");
    char h[65];
    snprintf(h, sizeof h, "%s", meth_hash(b));
    meth_free(b);
    b = load(text);
    assert_string_not_equal(h, meth_hash(b)); /* one byte changed, another hash */
    meth_free(b);
    unlink(path);
    assert_int_equal(engine_meth_load(path, &a, &e), -1);
    assert_null(a);
    assert_string_equal(e.file, path);
    assert_non_null(strstr(e.msg, "не удалось открыть"));
}

static void syntax_errors_name_the_line(void **state)
{
    fails_at("[s]\na = 1\nbroken line\n", 3, "ошибка синтаксиса");
    fails_at("[s\n", 1, "ошибка синтаксиса");
    fails_at("[s]\na = 1\n\n\nb = 2\na = 3\n", 6, "повторяется");
    char long_text[400];
    memset(long_text, 'x', sizeof long_text);
    memcpy(long_text, "[s]\nk = ", 8);
    long_text[sizeof long_text - 1] = '\0';
    fails_at(long_text, 2, "длиннее");
}

static void nul_byte_is_not_text(void **state)
{
    /* meth_load reads bytes: a NUL inside is rejected */
    char path[] = "/tmp/msoko_meth_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "[s]\na=1\0\n", 9), 9);
    close(fd);
    meth_file *f = NULL;
    msk_err e;
    assert_int_equal(engine_meth_load(path, &f, &e), -1);
    assert_non_null(strstr(e.msg, "нулевой байт"));
    unlink(path);
}

static void numbers_point_comma_percent(void **state)
{
    meth_file *f = load("[n]\na = 0.3\nb = 0,3\nc = 30 %\nd = 30%\ne = -2\nf = 12,5 %\n"
                        "g = abc\nh = 0.3.4\ni = 1e3\nj =\n");
    msk_err e;
    double v;
    assert_int_equal(meth_num(f, "n", "a", 9, &v, &e), 0);
    assert_true(v == 0.3);
    assert_int_equal(meth_num(f, "n", "b", 9, &v, &e), 0);
    assert_true(v == 0.3);
    assert_int_equal(meth_num(f, "n", "c", 9, &v, &e), 0);
    assert_true(fabs(v - 0.3) < 1e-15);
    assert_int_equal(meth_num(f, "n", "d", 9, &v, &e), 0);
    assert_true(fabs(v - 0.3) < 1e-15);
    assert_int_equal(meth_num(f, "n", "e", 9, &v, &e), 0);
    assert_true(v == -2);
    assert_int_equal(meth_num(f, "n", "f", 9, &v, &e), 0);
    assert_true(fabs(v - 0.125) < 1e-15);
    assert_int_equal(meth_num(f, "n", "absent", 7.5, &v, &e), 0);
    assert_true(v == 7.5);
    assert_int_equal(meth_num(f, "n", "g", 9, &v, &e), -1);
    assert_int_equal(e.row, 8);
    assert_string_equal(e.file, "t.ini");
    assert_non_null(strstr(e.msg, "ожидается число"));
    assert_int_equal(meth_num(f, "n", "h", 9, &v, &e), -1);
    assert_int_equal(e.row, 9);
    assert_int_equal(meth_num(f, "n", "i", 9, &v, &e), -1);
    assert_int_equal(e.row, 10);
    assert_int_equal(meth_num(f, "n", "j", 9, &v, &e), -1);
    assert_int_equal(e.row, 11);
    meth_free(f);
}

static void integers_and_booleans(void **state)
{
    meth_file *f = load("[x]\nn = 20\nm = 20.5\no = -3\n"
                        "b1 = yes\nb2 = No\nb3 = да\nb4 = 0\nb5 = TRUE\nb6 = maybe\n");
    msk_err e;
    long n;
    int b;
    assert_int_equal(meth_int(f, "x", "n", 0, &n, &e), 0);
    assert_int_equal(n, 20);
    assert_int_equal(meth_int(f, "x", "o", 0, &n, &e), 0);
    assert_int_equal(n, -3);
    assert_int_equal(meth_int(f, "x", "absent", 42, &n, &e), 0);
    assert_int_equal(n, 42);
    assert_int_equal(meth_int(f, "x", "m", 0, &n, &e), -1);
    assert_int_equal(e.row, 3);
    assert_non_null(strstr(e.msg, "целое"));
    assert_int_equal(meth_bool(f, "x", "b1", 0, &b, &e), 0);
    assert_int_equal(b, 1);
    assert_int_equal(meth_bool(f, "x", "b2", 1, &b, &e), 0);
    assert_int_equal(b, 0);
    assert_int_equal(meth_bool(f, "x", "b3", 0, &b, &e), 0);
    assert_int_equal(b, 1);
    assert_int_equal(meth_bool(f, "x", "b4", 1, &b, &e), 0);
    assert_int_equal(b, 0);
    assert_int_equal(meth_bool(f, "x", "b5", 0, &b, &e), 0);
    assert_int_equal(b, 1);
    assert_int_equal(meth_bool(f, "x", "absent", 1, &b, &e), 0);
    assert_int_equal(b, 1);
    assert_int_equal(meth_bool(f, "x", "b6", 0, &b, &e), -1);
    assert_int_equal(e.row, 10);
    assert_non_null(strstr(e.msg, "yes/no"));
    meth_free(f);
}

static void bands_parse_and_apply(void **state)
{
    meth_file *f = load("[r]\nbands = <=5:3, 6-10:2, 11..20:1, >=80:2, >30:0, 0.5..0.75:1,5\n"
                        "open = <5:1, >5:2\n"
                        "bad = 1-2\nbad2 = 5-1:2\nempty = ,\nneg = -5..-1:4\n");
    msk_err e;
    meth_band b[16];
    size_t n;
    /* "0.5..0.75:1,5": the comma splits, so "5" alone is an item without points */
    assert_int_equal(meth_bands(f, "r", "bands", b, 16, &n, &e), -1);
    assert_int_equal(e.row, 2);
    assert_non_null(strstr(e.msg, "«5»"));
    meth_free(f);

    f = load("[r]\nbands = <=5:3, 6-10:2, 11..20:1, >=80:2, >30:0, 0.5..0.75:1.5, 0:1\n"
             "open = <5:1, >5:2\nbad = 1-2\nbad2 = 5-1:2\nempty = ,\nneg = -5..-1:4\n");
    assert_int_equal(meth_bands(f, "r", "bands", b, 16, &n, &e), 0);
    assert_int_equal(n, 7);
    assert_true(isinf(b[0].lo) && b[0].lo < 0);
    assert_true(b[0].hi == 5 && !b[0].hi_open);
    assert_true(b[3].lo == 80 && isinf(b[3].hi));
    assert_true(b[4].lo == 30 && b[4].lo_open);
    assert_true(meth_band_points(b, n, 5, -1) == 3);
    assert_true(meth_band_points(b, n, 6, -1) == 2);
    assert_true(meth_band_points(b, n, 10, -1) == 2);
    assert_true(meth_band_points(b, n, 10.5, -1) == -1); /* between bands */
    assert_true(meth_band_points(b, n, 20, -1) == 1);
    assert_true(meth_band_points(b, n, 30, -1) == -1); /* >30 is strict */
    assert_true(meth_band_points(b, n, 30.01, -1) == 0);
    assert_true(meth_band_points(b, n, 80, -1) == 2); /* first band wins over >30 */
    assert_true(meth_band_points(b, n, 0, -1) == 3);  /* <=5 comes before 0:1 */
    assert_int_equal(meth_bands(f, "r", "open", b, 16, &n, &e), 0);
    assert_true(meth_band_points(b, n, 5, -1) == -1);
    assert_true(meth_band_points(b, n, 4.99, -1) == 1);
    assert_int_equal(meth_bands(f, "r", "neg", b, 16, &n, &e), 0);
    assert_true(meth_band_points(b, n, -3, 0) == 4);
    assert_int_equal(meth_bands(f, "r", "bad", b, 16, &n, &e), -1);
    assert_int_equal(e.row, 4);
    assert_int_equal(meth_bands(f, "r", "bad2", b, 16, &n, &e), -1);
    assert_int_equal(e.row, 5);
    assert_int_equal(meth_bands(f, "r", "empty", b, 16, &n, &e), -1);
    assert_int_equal(e.row, 6);
    assert_non_null(strstr(e.msg, "нет ни одной"));
    assert_int_equal(meth_bands(f, "r", "bands", b, 3, &n, &e), -1);
    assert_non_null(strstr(e.msg, "больше 3"));
    assert_int_equal(meth_bands(f, "r", "absent", b, 16, &n, &e), -1);
    assert_non_null(strstr(e.msg, "нет ключа"));
    meth_free(f);
}

static void lists_split_trim_and_continue(void **state)
{
    meth_file *f = load("[p]\nprocs = VPR:math:5,  VPR:rus:5 ,, OGE:*:9,\n"
                        "long = VPR:math:5, VPR:math:6,\n"
                        "  OGE:math:9,\n"
                        "  EGE:rus:11\n"
                        "after = 1\n");
    const char *it[8];
    assert_int_equal(meth_list(f, "p", "procs", it, 8), 3);
    assert_string_equal(it[0], "VPR:math:5");
    assert_string_equal(it[1], "VPR:rus:5");
    assert_string_equal(it[2], "OGE:*:9");
    assert_int_equal(meth_list(f, "p", "procs", it, 2), 2);
    assert_int_equal(meth_list(f, "p", "absent", it, 8), 0);
    assert_int_equal(meth_list(f, "p", "long", it, 8), 4);
    assert_string_equal(it[2], "OGE:math:9");
    assert_string_equal(it[3], "EGE:rus:11");
    assert_string_equal(meth_get(f, "p", "after"), "1");
    meth_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sections_and_keys_in_order),
        cmocka_unit_test(hash_is_sha256_of_bytes),
        cmocka_unit_test(hash_of_file_equals_hash_of_string),
        cmocka_unit_test(syntax_errors_name_the_line),
        cmocka_unit_test(nul_byte_is_not_text),
        cmocka_unit_test(numbers_point_comma_percent),
        cmocka_unit_test(integers_and_booleans),
        cmocka_unit_test(bands_parse_and_apply),
        cmocka_unit_test(lists_split_trim_and_continue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
