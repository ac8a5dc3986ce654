/*
 * Unit tests of src/method/shnor_rules.c — the ШНОР definitions of seed 000 (rule =
 * below_minimum) and seed 001 (rule = region_dynamics) — on small hand-built models whose
 * answers are counted by hand: a school in, a school just out at the boundary, missing data;
 * the presets in methods/presets/ load and equal the built-in defaults of their rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine/methfile.h"
#include "method/methodology.h"
#include "method/shnor.h"
#include "model/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static model M;
static int npupil;

static void begin(int y0, int y1)
{
    model_init(&M, y0, y1);
    npupil = 0;
}

static int32_t sch(const char *code)
{
    return model_add_school(&M, code, "sosh", "urban");
}

static int32_t proc(int year, const char *kind, const char *subject, int grade)
{
    int32_t p = model_find_proc(&M, year, kind, subject, grade);
    if (p >= 0)
        return p;
    return model_add_proc(&M, year, kind, subject, grade, NAN, NAN, NAN, NAN,
                          strcmp(kind, "EGE") == 0 ? 36 : -1);
}

/* n participants, failed of them with «2». */
static void agg(int32_t s, int year, const char *kind, const char *subject, int grade, int n,
                int failed)
{
    model_add_aggregate(&M, proc(year, kind, subject, grade), s, n, failed, n - failed, 0, 0,
                        failed);
}

/* n ЕГЭ results with test score score (per pupil, so the cell has its mean). */
static void ege(int32_t s, int year, const char *subject, int n, int score)
{
    int32_t p = proc(year, "EGE", subject, 11);
    for (int i = 0; i < n; i++) {
        char code[32];
        snprintf(code, sizeof code, "p%d", npupil++);
        model_add_result(&M, p, s, model_pupil(&M, s, code), NAN, 0, score, 0, 0, NULL, 0);
    }
}

static meth_file *ini(const char *text)
{
    meth_file *f = NULL;
    msk_err e;
    if (meth_load_str("t.ini", text, &f, &e))
        fail_msg("ini: %s", e.msg);
    return f;
}

static json_t *run_f(int year, const meth_file *f, const shnor_inputs *in)
{
    json_t *out = NULL;
    msk_err e;
    msk_err_clear(&e);
    if (shnor_run_in(&M, year, f, in, &out, &e))
        fail_msg("shnor_run_in: %s", e.msg);
    assert_true(json_is_array(out));
    return out;
}

static json_t *run(int year, const char *text, const shnor_inputs *in)
{
    meth_file *f = ini(text);
    json_t *out = run_f(year, f, in);
    meth_free(f);
    return out;
}

static const char *verdicts(json_t *a)
{
    static char buf[512];
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *o = json_array_get(a, i);
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s:%s", i ? " " : "",
                              json_string_value(json_object_get(o, "school")),
                              json_string_value(json_object_get(o, "rule")));
    }
    return buf;
}

static json_t *school(json_t *a, const char *code)
{
    for (size_t i = 0; i < json_array_size(a); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(a, i), "school")), code))
            return json_array_get(a, i);
    fail_msg("%s not in the list", code);
    return NULL;
}

static const char *text_of(const json_t *o)
{
    return json_string_value(json_object_get(o, "text"));
}

static double num(const json_t *o, const char *key)
{
    return json_number_value(json_object_get(o, key));
}

static void expect_error(const char *text, const char *needle)
{
    meth_file *f = ini(text);
    json_t *out = NULL;
    msk_err e;
    msk_err_clear(&e);
    begin(2024, 2024);
    model_finish(&M);
    assert_int_equal(shnor_run_in(&M, 2024, f, NULL, &out, &e), -1);
    assert_null(out);
    if (!strstr(e.msg, needle))
        fail_msg("«%s» not in «%s»", needle, e.msg);
    meth_free(f);
    model_release(&M);
}

/* ---- seed 000 §6.5: below the minimum of section VII in 2 of the last 3 years ---- */

#define BM "[shnor]\nrule = below_minimum\n"

static void build_000(void)
{
    begin(2022, 2024);
    int32_t s1 = sch("s1"), s2 = sch("s2"), s3 = sch("s3"), s4 = sch("s4"), s5 = sch("s5"),
            s6 = sch("s6");
    /* s1: 9 of 20 with «3»+ (45 % < 50 %) in 2022 and 2024; 2023 exactly 50 % — in the band */
    agg(s1, 2022, "VPR", "math", 5, 20, 11);
    agg(s1, 2023, "VPR", "math", 5, 20, 10);
    agg(s1, 2024, "VPR", "math", 5, 20, 11);
    /* s2: just out — under the minimum in 2024 only; 50 % in 2023, 60 % in 2022 */
    agg(s2, 2022, "VPR", "math", 5, 20, 8);
    agg(s2, 2023, "VPR", "math", 5, 20, 10);
    agg(s2, 2024, "VPR", "math", 5, 20, 11);
    /* s3: 2022 and 2024 under it, no data in 2023 — still 2 of 3 */
    agg(s3, 2022, "VPR", "rus", 6, 30, 20);
    agg(s3, 2024, "VPR", "rus", 6, 30, 16);
    /* s4: missing data — only 2024, under it: 1 of 3 */
    agg(s4, 2024, "VPR", "rus", 6, 30, 16);
    /* s5: РКР's minimum is 70 %: 6 of 10 (60 %) in 2022 and 2023 is under it, 7 of 10 in 2024
     * is not */
    agg(s5, 2022, "RKR", "math", 7, 10, 4);
    agg(s5, 2023, "RKR", "math", 7, 10, 4);
    agg(s5, 2024, "RKR", "math", 7, 10, 3);
    /* s6: МКР of the 11th grade needs 90 % (9 of 10 is enough), of the 9th 85 % (16 of 20 is
     * not) */
    agg(s6, 2023, "MKR", "math", 11, 10, 1);
    agg(s6, 2024, "MKR", "math", 11, 10, 1);
    agg(s6, 2023, "MKR", "math", 9, 20, 4);
    agg(s6, 2024, "MKR", "math", 9, 20, 4);
    /* not in the procedures of the rule: ОГЭ has no minimum value in section VII */
    agg(s2, 2023, "OGE", "math", 9, 20, 19);
    agg(s2, 2022, "OGE", "math", 9, 20, 19);
    model_finish(&M);
}

static void below_minimum_in_out_and_missing(void **state)
{
    (void)state;
    build_000();
    json_t *a = run(2024, BM, NULL);
    assert_string_equal(verdicts(a), "s1:below_min s3:below_min s5:below_min s6:below_min");
    json_t *o = school(a, "s1");
    assert_string_equal(text_of(o), "Результаты ниже минимального значения показателей МСОКО в "
                                    "2 из 3 последних лет (2022, 2024; условие — не меньше 2)");
    json_t *low = json_object_get(o, "low");
    assert_int_equal(json_array_size(low), 2);
    json_t *l0 = json_array_get(low, 0);
    assert_int_equal(json_integer_value(json_object_get(l0, "year")), 2022);
    assert_true(num(l0, "share") == 0.55 && num(l0, "threshold") == 0.5);
    assert_true(num(l0, "passed_share") == 0.45 && num(l0, "min_share") == 0.5);
    assert_true(json_is_false(json_object_get(l0, "small_sample")));
    assert_string_equal(text_of(l0),
                        "ВПР, математика, 5 класс, 2022: «3» и выше — 9 из 20 (45,0 %), ниже "
                        "минимального значения показателя 50 % (методика ШНОР: Концепция МСОКО "
                        "г. Владикавказа, п. 6.5, раздел VII)");
    /* the year without data is named */
    assert_non_null(strstr(text_of(school(a, "s3")), ". Нет данных по процедурам за 2023"));
    /* РКР at 70 %, МКР per grade: only the 9th grade's is under its minimum */
    assert_true(num(json_array_get(json_object_get(school(a, "s5"), "low"), 0), "min_share") ==
                0.7);
    json_t *l6 = json_object_get(school(a, "s6"), "low");
    assert_int_equal(json_array_size(l6), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(l6, 0), "grade")), 9);
    assert_true(num(json_array_get(l6, 0), "min_share") == 0.85);
    /* small samples are marked (10 participants) */
    assert_string_equal(json_string_value(json_object_get(o, "rule_text")),
                        "Школа входит в список школ с низкими образовательными результатами, "
                        "если не меньше чем в 2 из 3 последних лет доля участников с отметкой «3» "
                        "и выше хотя бы по одной процедуре ниже минимального значения показателя "
                        "МСОКО для этой процедуры.");
    assert_true(json_is_true(json_object_get(school(a, "s5"), "small_sample")));
    assert_non_null(strstr(text_of(school(a, "s5")), "малые выборки"));
    json_decref(a);
    model_release(&M);
}

static void below_minimum_settings(void **state)
{
    (void)state;
    build_000();
    json_t *a = run(2024, BM "years = 3\n", NULL); /* all three years: nobody */
    assert_string_equal(verdicts(a), "");
    json_decref(a);
    a = run(2024, BM "years = 1\nof_years = 1\n", NULL); /* the year alone: s1, s2, s3, s4, s6 */
    assert_string_equal(verdicts(a), "s1:below_min s2:below_min s3:below_min s4:below_min "
                                     "s6:below_min");
    json_decref(a);
    /* one minimum for every procedure: РКР's 60 % is no longer under it, МКР's 80 % neither */
    a = run(2024, BM "min_share = 50 %\n", NULL);
    assert_string_equal(verdicts(a), "s1:below_min s3:below_min");
    json_decref(a);
    /* 2023 is the year analysed: s1 had 2022 only (2021 is outside the model), s5 2022 and
     * 2023 */
    a = run(2023, BM, NULL);
    assert_string_equal(verdicts(a), "s5:below_min");
    json_decref(a);
    /* the act named in the file */
    a = run(2024, BM "act = Положение о ШНОР\nact_point = п. 3\n", NULL);
    assert_non_null(strstr(text_of(json_array_get(json_object_get(school(a, "s1"), "low"), 0)),
                           "(методика ШНОР: Положение о ШНОР, п. 3)"));
    json_decref(a);
    model_release(&M);
}

static void below_minimum_errors(void **state)
{
    (void)state;
    expect_error(BM "of_years = 4\n", "of_years ≤ 3");
    expect_error(BM "years = 3\nof_years = 2\n", "1 ≤ years ≤ of_years");
    expect_error(BM "min_share = VPR:много\n", "«VPR:много» не понято");
    expect_error(BM "min_share = 150 %\n", "min_share = «150 %»");
    expect_error(BM "rule_a_min = 2\n", "rule_a_min"); /* a key of another rule */
    expect_error(BM "procedures = VPR-math\n", "«VPR-math» не понято");
    expect_error("[shnor]\nrule = C\n", "below_minimum"); /* the message names the rules */
    char longact[1600];
    size_t n = (size_t)snprintf(longact, sizeof longact, "%s", BM "act_point = ");
    for (int i = 0; i < 100; i++) /* 1 100 bytes of Cyrillic, on continuation lines */
        n += (size_t)snprintf(longact + n, sizeof longact - n, "%sпункт",
                              i % 10 == 0 ? "\n  " : " ");
    snprintf(longact + n, sizeof longact - n, "\n");
    expect_error(longact, "не длиннее 300 байт");
}

/* ---- seed 001: ВПР dynamics, ЕГЭ against the region, lists of non-objective results ---- */

#define RD "[shnor]\nrule = region_dynamics\n"

static const shnor_region_mean REGION[] = {
    {2024, 11, "EGE", "rus", 70.0},
    {2023, 11, "EGE", "rus", 70.0},
};
static const shnor_nonobj NONOBJ[] = {
    {"s6", 2022, "nonobj_regional"},
    {"s7", 2023, "objectivity"},
};
static const shnor_inputs IN = {REGION, 2, NONOBJ, 2, 3};

static void build_001(void)
{
    begin(2022, 2024);
    int32_t s1 = sch("s1"), s2 = sch("s2"), s3 = sch("s3"), s4 = sch("s4"), s5 = sch("s5");
    int32_t s6 = sch("s6"), s7 = sch("s7");
    /* s1: «2» from 10 % to 20 % in both subjects — a rise of exactly 10 п. п. counts; two
     * procedures worse */
    agg(s1, 2023, "VPR", "math", 5, 20, 2);
    agg(s1, 2024, "VPR", "math", 5, 20, 4);
    agg(s1, 2023, "VPR", "rus", 5, 20, 2);
    agg(s1, 2024, "VPR", "rus", 5, 20, 4);
    ege(s1, 2024, "rus", 5, 80); /* above the region: no reason, but a note without it */
    /* s2: just out — math 10 % → 20 %, Russian 10 % → 19 % (9 п. п.): one procedure worse */
    agg(s2, 2023, "VPR", "math", 5, 20, 2);
    agg(s2, 2024, "VPR", "math", 5, 20, 4);
    agg(s2, 2023, "VPR", "rus", 5, 100, 10);
    agg(s2, 2024, "VPR", "rus", 5, 100, 19);
    /* s3: missing data — no 2023 to compare with */
    agg(s3, 2024, "VPR", "math", 6, 20, 10);
    agg(s3, 2024, "VPR", "rus", 6, 20, 10);
    /* s4: ЕГЭ mean 62 of the region's 70 = 88,6 % < 90 %; in 2023 70 of 70 */
    ege(s4, 2024, "rus", 25, 62);
    ege(s4, 2023, "rus", 25, 70);
    /* s5: just out — 63 of 70 is exactly 90 % */
    ege(s5, 2024, "rus", 25, 63);
    /* s6: on the regional list of 2022; s7: on our objectivity list of 2023 and worse ВПР */
    agg(s6, 2024, "VPR", "math", 5, 20, 0);
    agg(s7, 2023, "VPR", "math", 6, 20, 0);
    agg(s7, 2024, "VPR", "math", 6, 20, 6);
    agg(s7, 2023, "VPR", "rus", 6, 20, 0);
    agg(s7, 2024, "VPR", "rus", 6, 20, 6);
    model_finish(&M);
}

static void region_dynamics_in_out_and_missing(void **state)
{
    (void)state;
    build_001();
    json_t *a = run(2024, RD, &IN);
    assert_string_equal(verdicts(a), "s1:vpr_rise s4:ege_region s6:nonobj s7:vpr_rise,nonobj");
    json_t *o = school(a, "s1");
    json_t *low = json_object_get(o, "low");
    assert_int_equal(json_array_size(low), 2);
    json_t *l0 = json_array_get(low, 0);
    assert_true(num(l0, "share") == 0.2 && num(l0, "prev_share") == 0.1);
    assert_true(num(l0, "threshold") == 0.2);
    assert_string_equal(text_of(l0),
                        "ВПР, математика, 5 класс: доля «2» выросла с 10,0 % в 2023 (2 из 20) до "
                        "20,0 % в 2024 (4 из 20), на 10,0 п. п.; порог роста 10 п. п. (методика "
                        "ШНОР: Положение о МСОКО г. Горячий Ключ, раздел «Объекты МСОКО. "
                        "Механизмы и процедуры оценивания»)");
    assert_string_equal(text_of(o), "Выполнено показателей ШНОР: 1 из 3 (нужно не меньше 1). ВПР: "
                                    "процедур, где доля «2» выросла, — 2 (нужно не меньше 2)");
    json_t *e = json_array_get(json_object_get(school(a, "s4"), "low"), 0);
    assert_true(num(e, "share") == 0.8857 && num(e, "threshold") == 0.9);
    assert_true(num(e, "mean") == 62.0 && num(e, "region_mean") == 70.0);
    assert_true(num(e, "prev_ratio") == 1.0);
    assert_string_equal(text_of(e),
                        "ЕГЭ, русский язык, 11 класс, 2024: средний балл школы 62,0 — 88,6 % "
                        "среднего балла края (70,0), ниже порога 90 %; в 2023 — 100,0 % "
                        "(методика ШНОР: Положение о МСОКО г. Горячий Ключ, раздел «Объекты "
                        "МСОКО. Механизмы и процедуры оценивания»)");
    json_t *n6 = json_object_get(school(a, "s6"), "nonobj");
    assert_int_equal(json_array_size(n6), 1);
    assert_non_null(strstr(text_of(json_array_get(n6, 0)),
                           "2022: школа вошла в список школ, показавших необъективные результаты "
                           "(региональный список)"));
    assert_int_equal(json_array_size(json_object_get(school(a, "s6"), "low")), 0);
    assert_true(json_is_false(json_object_get(school(a, "s6"), "small_sample")));
    json_decref(a);
    model_release(&M);
}

static void region_dynamics_without_inputs_says_so(void **state)
{
    (void)state;
    build_001();
    json_t *a = run(2024, RD, NULL);
    /* no region, no lists: only the ВПР reason can hold */
    assert_string_equal(verdicts(a), "s1:vpr_rise s7:vpr_rise");
    const char *t = text_of(school(a, "s1"));
    assert_non_null(strstr(t, "ЕГЭ, русский язык, 11 класс, 2024: средний балл края не загружен "
                              "— сравнение с ним не проведено"));
    assert_non_null(strstr(t, "Списки школ с необъективными результатами (прошлых лет, "
                              "федеральный, региональный) не загружены и не составлялись"));
    json_decref(a);
    /* the region of 2023 only: 2024 cannot be compared, and the reason does not guess */
    shnor_inputs old = {REGION + 1, 1, NULL, 0, 0};
    a = run(2024, RD "nonobj = no\n", &old);
    assert_string_equal(verdicts(a), "s1:vpr_rise s7:vpr_rise");
    assert_null(strstr(text_of(school(a, "s1")), "Списки школ"));
    json_decref(a);
    model_release(&M);
}

static void region_dynamics_settings_and_errors(void **state)
{
    (void)state;
    build_001();
    json_t *a = run(2024, RD "min_reasons = 2\n", &IN); /* two reasons: s7 only */
    assert_string_equal(verdicts(a), "s7:vpr_rise,nonobj");
    json_decref(a);
    a = run(2024, RD "vpr_min = 1\nnonobj = no\n", &IN); /* one procedure is enough: s2 too */
    assert_string_equal(verdicts(a), "s1:vpr_rise s2:vpr_rise s4:ege_region s7:vpr_rise");
    json_decref(a);
    a = run(2024, RD "ege_ratio = 0.95\nvpr_rise = 0.11\n", &IN); /* s5's 90 % is now under */
    assert_string_equal(verdicts(a), "s4:ege_region s5:ege_region s6:nonobj s7:vpr_rise,nonobj");
    json_decref(a);
    model_release(&M);
    expect_error(RD "vpr_rise = 2\n", "vpr_rise");
    expect_error(RD "min_reasons = 4\n", "min_reasons от 1 до 3");
    expect_error(RD "low_share = 0.3\n", "low_share");
    expect_error(RD "nonobj = может быть\n", "nonobj");
}

/* ---- the presets ---- */

static meth_file *preset(const char *name)
{
    char path[1024];
    const char *root = getenv("MSOKO_ROOT");
    snprintf(path, sizeof path, "%s/methods/%s", root ? root : ".", name);
    meth_file *f = NULL;
    msk_err e;
    if (engine_meth_load(path, &f, &e))
        fail_msg("%s: %s", path, e.msg);
    return f;
}

static void presets_load_and_equal_their_defaults(void **state)
{
    (void)state;
    meth_file *f0 = preset("presets/shnor-000-vladikavkaz.ini");
    meth_file *f1 = preset("presets/shnor-001-goryachy-klyuch.ini");
    meth_file *f2 = preset("shnor.ini");
    assert_int_equal(shnor_rule_kind(f0), SHNOR_RULE_000);
    assert_int_equal(shnor_rule_kind(f1), SHNOR_RULE_001);
    assert_int_equal(shnor_rule_kind(f2), SHNOR_RULE_002);
    assert_int_equal(shnor_rule_kind(NULL), SHNOR_RULE_002);
    build_000();
    json_t *a = run_f(2024, f0, NULL), *b = run(2024, BM, NULL);
    assert_true(json_equal(a, b));
    assert_int_equal(json_array_size(a), 4);
    json_decref(a);
    json_decref(b);
    model_release(&M);
    build_001();
    a = run_f(2024, f1, &IN);
    b = run(2024, RD, &IN);
    assert_true(json_equal(a, b));
    assert_int_equal(json_array_size(a), 4);
    json_decref(a);
    json_decref(b);
    /* seed 002's rule ignores the inputs: shnor.ini gives what shnor_run gives */
    a = run_f(2024, f2, &IN);
    json_t *c = NULL;
    msk_err e;
    assert_int_equal(shnor_run(&M, 2024, NULL, &c, &e), 0);
    assert_true(json_equal(a, c));
    json_decref(a);
    json_decref(c);
    model_release(&M);
    meth_free(f0);
    meth_free(f1);
    meth_free(f2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(below_minimum_in_out_and_missing),
        cmocka_unit_test(below_minimum_settings),
        cmocka_unit_test(below_minimum_errors),
        cmocka_unit_test(region_dynamics_in_out_and_missing),
        cmocka_unit_test(region_dynamics_without_inputs_says_so),
        cmocka_unit_test(region_dynamics_settings_and_errors),
        cmocka_unit_test(presets_load_and_equal_their_defaults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
