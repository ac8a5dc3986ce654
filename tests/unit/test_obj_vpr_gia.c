/*
 * Unit tests of sign 9 (src/method/obj_vpr_gia.c): high ВПР results of a cohort its ГИА does
 * not confirm, on hand-built models. ВПР mathematics 8 of 2023: school A 8 of 10 «4–5», B 4,
 * C 3 — municipality 15/30 = 50 %, A is 30 п. п. above; ОГЭ mathematics of 2024: A 3 of 10,
 * B 5, C 4 — municipality 40 %, A 10 п. п. below: a sign for A only. A's ОГЭ raised to 6 of 10
 * (municipality 50 %, A 10 п. п. above) confirms the ВПР: no sign. The margin is inclusive
 * (30 п. п. against a 0,30 threshold), min_participants and subjects filter, and the ЕГЭ pair
 * (ВПР 11 of the same year, ЕГЭ test score ≥ 70) works the same way.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine/methfile.h"
#include "method/objectivity.h"
#include "model/model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static model M;
static int npupil;

/* n results of procedure p at school s, the first good ones with mark 5 (or test 80), the
 * rest with mark 3 (test 40). */
static void results(int32_t p, int32_t s, int n, int good, int test)
{
    for (int i = 0; i < n; i++) {
        char code[32];
        snprintf(code, sizeof code, "u%d", npupil++);
        int g = i < good;
        model_add_result(&M, p, s, model_pupil(&M, s, code), NAN,
                         test ? 0
                         : g  ? 5
                              : 3,
                         test ? (g ? 80 : 40) : -1, 0, 0, NULL, 0);
    }
}

/* The hand case above; oge_a: A's ОГЭ «4–5» of 10. */
static void build(int oge_a)
{
    model_init(&M, 2022, 2024);
    npupil = 0;
    int32_t a = model_add_school(&M, "A", "sosh", "urban");
    int32_t b = model_add_school(&M, "B", "sosh", "urban");
    int32_t c = model_add_school(&M, "C", "sosh", "urban");
    int32_t v = model_add_proc(&M, 2023, "VPR", "math", 8, 25, 8, 15, 21, -1);
    int32_t o = model_add_proc(&M, 2024, "OGE", "math", 9, 31, 8, 15, 22, -1);
    results(v, a, 10, 8, 0);
    results(v, b, 10, 4, 0);
    results(v, c, 10, 3, 0);
    results(o, a, 10, oge_a, 0);
    results(o, b, 10, 5, 0);
    results(o, c, 10, 4, 0);
    model_finish(&M);
}

static json_t *run(const char *text)
{
    meth_file *f = NULL;
    msk_err e;
    msk_err_clear(&e);
    if (text && meth_load_str("t.ini", text, &f, &e))
        fail_msg("ini: %s", e.msg);
    json_t *signs = json_object();
    if (obj_vpr_unconfirmed(&M, 2024, f, signs, &e))
        fail_msg("sign: %s", e.msg);
    meth_free(f);
    return signs;
}

static void unconfirmed_flagged(void **state)
{
    (void)state;
    build(3);
    json_t *signs = run(NULL);
    assert_int_equal(json_object_size(signs), 1);
    json_t *o = json_array_get(json_object_get(signs, "A"), 0);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "sign")), "vpr_unconfirmed");
    /* value: 0,8 − 0,5 */
    assert_true(fabs(json_number_value(json_object_get(o, "value")) - 0.3) < 1e-9);
    json_t *g = json_object_get(o, "gia");
    assert_string_equal(json_string_value(json_object_get(g, "kind")), "OGE");
    assert_true(fabs(json_number_value(json_object_get(g, "share")) - 0.3) < 1e-9);
    assert_true(fabs(json_number_value(json_object_get(g, "municipality")) - 0.4) < 1e-9);
    const char *t = json_string_value(json_object_get(o, "text"));
    assert_non_null(strstr(t, "80,0 % (10 уч.) при 50,0 %"));
    assert_non_null(strstr(t, "не подтверждены результатами ГИА"));
    json_decref(signs);
    model_release(&M);
}

static void confirmed_not_flagged(void **state)
{
    (void)state;
    build(6); /* ОГЭ 60 % against 50 %: the ВПР result is confirmed */
    json_t *signs = run(NULL);
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    /* …unless low_margin allows 10 п. п. above the municipality */
    signs = run("[vpr_unconfirmed]\nlow_margin = 0.1\n");
    assert_int_equal(json_object_size(signs), 1);
    json_decref(signs);
    model_release(&M);
}

static void margins_and_filters(void **state)
{
    (void)state;
    build(3);
    json_t *signs = run("[vpr_unconfirmed]\nhigh_margin = 0.3\n"); /* inclusive */
    assert_int_equal(json_object_size(signs), 1);
    json_decref(signs);
    signs = run("[vpr_unconfirmed]\nhigh_margin = 0.31\n");
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    signs = run("[vpr_unconfirmed]\nmin_participants = 11\n");
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    signs = run("[vpr_unconfirmed]\nsubjects = rus\n");
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    signs = run("[vpr_unconfirmed]\nsubjects = math\n");
    assert_int_equal(json_object_size(signs), 1);
    json_decref(signs);
    /* bad settings are errors naming the section */
    meth_file *f = NULL;
    msk_err e;
    msk_err_clear(&e);
    assert_int_equal(meth_load_str("t.ini", "[vpr_unconfirmed]\nhigh_margin = 15\n", &f, &e), 0);
    json_t *s2 = json_object();
    assert_int_not_equal(obj_vpr_unconfirmed(&M, 2024, f, s2, &e), 0);
    assert_non_null(strstr(e.msg, "[vpr_unconfirmed] high_margin"));
    meth_free(f);
    json_decref(s2);
    model_release(&M);
}

static void ege_pair(void **state)
{
    (void)state;
    model_init(&M, 2022, 2024);
    npupil = 0;
    int32_t a = model_add_school(&M, "A", "sosh", "urban");
    int32_t b = model_add_school(&M, "B", "sosh", "urban");
    int32_t v = model_add_proc(&M, 2024, "VPR", "hist", 11, 21, 6, 11, 17, -1);
    int32_t g = model_add_proc(&M, 2024, "EGE", "hist", 11, 100, NAN, NAN, NAN, 32);
    results(v, a, 10, 9, 0); /* 90 % against 60 % */
    results(v, b, 10, 3, 0);
    results(g, a, 10, 2, 1); /* 20 % at 70+ against 35 % */
    results(g, b, 10, 5, 1);
    model_finish(&M);
    json_t *signs = run(NULL);
    json_t *o = json_array_get(json_object_get(signs, "A"), 0);
    assert_non_null(o);
    assert_int_equal(json_object_size(signs), 1);
    assert_string_equal(json_string_value(json_object_get(json_object_get(o, "gia"), "kind")),
                        "EGE");
    assert_non_null(strstr(json_string_value(json_object_get(o, "text")),
                           "доля набравших 70 баллов и больше — 20,0 %"));
    json_decref(signs);
    model_release(&M);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unconfirmed_flagged),
        cmocka_unit_test(confirmed_not_flagged),
        cmocka_unit_test(margins_and_filters),
        cmocka_unit_test(ege_pair),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
