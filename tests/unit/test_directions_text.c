/*
 * Unit tests of dir_eval_text (src/method/directions.c): the directions written as JSON text
 * are, byte for byte, what json_dumps writes for the tree dir_eval builds — compact (the run's
 * finding) and indented with 6 digits as a member of a document (analyze --json) — for values
 * that take every path of the number format (an integer value gets ".0", exponents lose '+'
 * and leading zeros, no data as null, a value that is not finite left out), strings that
 * need escapes, and directions without goals or without school values; the counts by status
 * are those of dir_status_counts over the tree. The text writer itself (base/jsonw.c) is
 * tested in test_jsonw.c; here its jw_json over the tree gives the same compact text too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/jsonw.h"
#include "method/directions.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fixed {
    const char *key;
    double v[4];
} fixed;

/* term key → values of schools s1 … s4 (every year alike) */
static const fixed FIXED[] = {
    {"results(kind=oge, mark=2)", {1, 2e-9, NAN, 3}},
    {"results(kind=oge)", {3, 7, 5, 0}},
    {"results(kind=vpr)", {1.5e20, -0.0, 123456789.123, 1e-300}},
    {"schools()", {1, 1, 1, 1}},
    {"pupils()", {NAN, NAN, NAN, NAN}},
    {"list(shnor)", {1, 0, 0, INFINITY}},
};

static const char *fixed_school(void *ctx, size_t i)
{
    static const char *const CODES[] = {"s1", "s\"2", "s\\3", "s\t4"};
    (void)ctx;
    return CODES[i];
}

static int fixed_term(void *ctx, const dir_term *t, int year, double *out, msk_err *err)
{
    (void)ctx, (void)year;
    for (size_t i = 0; i < sizeof FIXED / sizeof *FIXED; i++)
        if (!strcmp(FIXED[i].key, t->key)) {
            memcpy(out, FIXED[i].v, sizeof FIXED[i].v);
            return 0;
        }
    return msk_error(err, "no fixed values: %s", t->key);
}

static const dir_resolver FIXED_R = {NULL, 4, fixed_school, fixed_term};

static const char DIR_A[] = "[direction]\n"
                            "code = shnor\n"
                            "n = 2\n"
                            "name = Работа со школами «ШНОР» \\ и \"кавычки\"\n"
                            "goal = Первая цель\n"
                            "goal = Вторая\tцель\n"
                            "[indicator share]\n"
                            "name = Доля «2»\n"
                            "level = school\n"
                            "good = lower\n"
                            "unit = %\n"
                            "num = results(kind=oge, mark=2)\n"
                            "den = results(kind=oge)\n"
                            "factor = 100\n"
                            "target = 20\n"
                            "target.2023 = 15\n"
                            "[indicator big]\n"
                            "name = Большие и малые числа\n"
                            "level = school\n"
                            "good = higher\n"
                            "num = results(kind=vpr)\n"
                            "target = 0.5\n"
                            "[indicator inf]\n"
                            "name = Не число\n"
                            "level = school\n"
                            "num = list(shnor)\n"
                            "target = 1\n";

static const char DIR_B[] = "[direction]\n"
                            "code = objectivity\n"
                            "n = 5\n"
                            "name = Объективность\n"
                            "[indicator none]\n"
                            "name = Нет данных\n"
                            "num = pupils()\n"
                            "target = 1\n"
                            "[indicator count]\n"
                            "name = Число\n"
                            "num = schools() + 2 - 1\n";

static dir_file *parse(const char *text)
{
    dir_file *f = NULL;
    msk_err e;
    msk_err_clear(&e);
    if (dir_parse("t.ini", text, strlen(text), &f, &e))
        fail_msg("dir_parse: %s (line %lld)", e.msg, (long long)e.row);
    return f;
}

static void same_bytes_as_json_dumps(void **state)
{
    (void)state;
    dir_file *f[2] = {parse(DIR_B), parse(DIR_A)}; /* sorted by n in both */
    msk_err e;
    json_t *tree = NULL;
    assert_int_equal(dir_eval((const dir_file *const *)f, 2, 2024, &FIXED_R, NULL, &tree, &e), 0);
    msk_buf compact, pretty;
    msk_buf_init(&compact, 0);
    msk_buf_init(&pretty, 0);
    int counts[3];
    assert_int_equal(dir_eval_text((const dir_file *const *)f, 2, 2024, &FIXED_R, NULL, &compact,
                                   &pretty, 1, 6, counts, &e),
                     0);
    char *want = json_dumps(tree, JSON_COMPACT);
    assert_string_equal(compact.data, want);
    /* the writer over the tree (a finding's evidence, engine.c) writes the same */
    msk_buf over;
    msk_buf_init(&over, 0);
    jw w;
    jw_init(&w, &over, -1, 0, 0, NULL, 0);
    jw_json(&w, tree);
    assert_string_equal(over.data, want);
    msk_buf_release(&over);
    /* no pretty text wanted: the compact text and the counts alike */
    msk_buf alone;
    msk_buf_init(&alone, 0);
    int counts1[3];
    assert_int_equal(dir_eval_text((const dir_file *const *)f, 2, 2024, &FIXED_R, NULL, &alone,
                                   NULL, 1, 6, counts1, &e),
                     0);
    assert_string_equal(alone.data, want);
    assert_memory_equal(counts1, counts, sizeof counts);
    msk_buf_release(&alone);
    /* the paths of the number format are there */
    assert_non_null(strstr(want, "1.5e20"));
    assert_non_null(strstr(want, "\"value\":8.0")); /* an integer value */
    assert_non_null(strstr(want, "e-300"));
    assert_non_null(strstr(want, "\"value\":null"));
    assert_non_null(strstr(want, "\"s\\\"2\""));
    assert_non_null(strstr(want, "\"s\\t4\""));
    assert_null(strstr(want, ":inf")); /* the value that is not finite is left out */
    free(want);
    /* as a member of a document printed by analyze --json */
    json_t *doc = json_pack("{s:i, s:O, s:i}", "year", 2024, "directions", tree, "z", 1);
    char *full = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    const char *a = strstr(full, "\"directions\": ") + strlen("\"directions\": ");
    const char *b = strstr(full, ",\n \"z\"");
    assert_true(a && b && b > a);
    assert_int_equal(pretty.len, (size_t)(b - a));
    assert_memory_equal(pretty.data, a, pretty.len);
    assert_non_null(strstr(pretty.data, "1.5e20")); /* six digits: 1.5e+20 */
    free(full);
    int on = 0, below = 0, none = 0;
    dir_status_counts(tree, &on, &below, &none);
    assert_int_equal(counts[0], on);
    assert_int_equal(counts[1], below);
    assert_int_equal(counts[2], none);
    assert_int_equal(on + below + none, 2);
    json_decref(doc);
    json_decref(tree);
    msk_buf_release(&compact);
    msk_buf_release(&pretty);
    dir_free(f[0]);
    dir_free(f[1]);
}

static void no_files_is_an_empty_array(void **state)
{
    (void)state;
    msk_err e;
    msk_buf compact, pretty;
    msk_buf_init(&compact, 0);
    msk_buf_init(&pretty, 0);
    int counts[3] = {9, 9, 9};
    assert_int_equal(
        dir_eval_text(NULL, 0, 2024, &FIXED_R, NULL, &compact, &pretty, 1, 6, counts, &e), 0);
    assert_string_equal(compact.data, "[]");
    assert_string_equal(pretty.data, "[]");
    assert_true(counts[0] == 0 && counts[1] == 0 && counts[2] == 0);
    msk_buf_release(&compact);
    msk_buf_release(&pretty);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_bytes_as_json_dumps),
        cmocka_unit_test(no_files_is_an_empty_array),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
