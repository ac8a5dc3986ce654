/*
 * Unit tests of src/web/form.c and the arena: urlencoded bodies (percent escapes, '+', empty
 * and broken escapes), multipart/form-data (fields, a file part with CRLFs inside, quoted
 * boundary, malformed bodies refused), cookies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "web/internal.h"

#include <string.h>

static void urlencoded(void **state)
{
    web_arena a = {0};
    web_form f = {0};
    const char *s = "csrf=ab12&login=%D0%B0%20b+c&empty=&flag&bad=%zz%4&x=1";
    assert_int_equal(web_form_urlencoded(&a, s, strlen(s), &f), 0);
    assert_int_equal(f.n, 6);
    assert_string_equal(web_form_get(&f, "csrf")->value, "ab12");
    assert_string_equal(web_form_get(&f, "login")->value, "а b c");
    assert_string_equal(web_form_get(&f, "empty")->value, "");
    assert_string_equal(web_form_get(&f, "flag")->value, "");
    assert_string_equal(web_form_get(&f, "bad")->value, "%zz%4");
    assert_null(web_form_get(&f, "nope"));
    web_arena_release(&a);
}

static void multipart(void **state)
{
    web_arena a = {0};
    web_form f = {0};
    const char body[] =
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
        "tok\r\n"
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"file\"; filename=\"r\xC3\xA9s.csv\"\r\n"
        "Content-Type: text/csv\r\n\r\n"
        "a;b\r\n1;2\r\n--X\r\n"
        "\r\n--XyZ--\r\n";
    assert_int_equal(
        web_form_multipart(&a, "multipart/form-data; boundary=\"XyZ\"", body, sizeof body - 1, &f),
        0);
    assert_int_equal(f.n, 2);
    assert_string_equal(web_form_get(&f, "csrf")->value, "tok");
    const web_field *file = web_form_get(&f, "file");
    assert_string_equal(file->file_name, "r\xC3\xA9s.csv");
    assert_int_equal(file->value_len, strlen("a;b\r\n1;2\r\n--X\r\n"));
    assert_memory_equal(file->value, "a;b\r\n1;2\r\n--X\r\n", file->value_len);
    web_arena_release(&a);
}

static void multipart_malformed(void **state)
{
    web_arena a = {0};
    web_form f = {0};
    const char *ct = "multipart/form-data; boundary=B";
    const char *bad[] = {
        "", /* no delimiter */
        "--B\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nunterminated",
        "--B\r\nContent-Disposition: form-data\r\n\r\nv\r\n--B--", /* no name */
        "--B\r\nno-blank-line",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        f.n = 0;
        assert_int_equal(web_form_multipart(&a, ct, bad[i], strlen(bad[i]), &f), -1);
    }
    assert_int_equal(web_form_multipart(&a, "multipart/form-data", "--B--", 5, &f), -1);
    assert_int_equal(web_form_multipart(&a, NULL, "--B--", 5, &f), -1);
    web_arena_release(&a);
}

static void cookies(void **state)
{
    char v[80];
    assert_int_equal(web_cookie("a=1; msoko_session=abc; b=2", "msoko_session", v, sizeof v), 0);
    assert_string_equal(v, "abc");
    assert_int_equal(web_cookie("xmsoko_session=abc", "msoko_session", v, sizeof v), 1);
    assert_int_equal(web_cookie("msoko_session", "msoko_session", v, sizeof v), 1);
    assert_int_equal(web_cookie("", "a", v, sizeof v), 1);
    assert_int_equal(web_cookie("a=0123456789", "a", v, 5), 1); /* too long is refused, not cut */
}

static void arena_large_and_small(void **state)
{
    web_arena a = {0};
    char *small = web_arena_strndup(&a, "abc", 3);
    char *big = web_arena_alloc(&a, 100000);
    memset(big, 'x', 100000);
    char *small2 = web_arena_strndup(&a, "def", 3);
    assert_string_equal(small, "abc");
    assert_string_equal(small2, "def");
    web_arena_release(&a);
    assert_null(a.head);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(urlencoded),
        cmocka_unit_test(multipart),
        cmocka_unit_test(multipart_malformed),
        cmocka_unit_test(cookies),
        cmocka_unit_test(arena_large_and_small),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
