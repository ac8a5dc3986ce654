/*
 * Unit tests of src/method/risk.c on hand-built models: every factor of seed 002 §3.2 at its
 * boundary (exactly 10 % is not "more than 10 %", exactly 20 % is "20 % and more"), context that
 * was not reported (never a factor, named in the evidence), the "two of four" ВПР rule, settings
 * from the INI, and the preset equal to the defaults.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine/methfile.h"
#include "method/methodology.h"
#include "method/reliability.h"
#include "method/risk.h"
#include "model/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { Y = 2024 };
static model M;

static meth_file *ini(const char *text)
{
    meth_file *f = NULL;
    msk_err e;
    if (!text)
        return NULL;
    if (meth_load_str("r.ini", text, &f, &e))
        fail_msg("ini: %s", e.msg);
    return f;
}

static json_t *run(const char *text)
{
    meth_file *f = ini(text);
    json_t *out = NULL;
    msk_err e;
    msk_err_clear(&e);
    if (risk_run(&M, Y, f, &out, &e))
        fail_msg("risk_run: %s", e.msg);
    meth_free(f);
    assert_true(json_is_array(out));
    return out;
}

/* "s1:material+staff,s2:results" */
static const char *summary(json_t *a)
{
    static char buf[512];
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *o = json_array_get(a, i), *fac = json_object_get(o, "factors");
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s:", i ? "," : "",
                              json_string_value(json_object_get(o, "school")));
        for (size_t k = 0; k < json_array_size(fac); k++)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", k ? "+" : "",
                                  json_string_value(json_array_get(fac, k)));
    }
    return buf;
}

static void check(const char *text, const char *expected)
{
    json_t *a = run(text);
    assert_string_equal(summary(a), expected);
    json_decref(a);
}

static json_t *evidence_of(json_t *a, const char *school)
{
    for (size_t i = 0; i < json_array_size(a); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(a, i), "school")), school))
            return json_object_get(json_array_get(a, i), "evidence");
    fail_msg("no %s", school);
    return NULL;
}

static void ctx(int32_t s, const char *e, double v)
{
    model_set_context(&M, Y, s, e, v);
}

/* A school with every element reported and nothing at risk. */
static int32_t fine_school(const char *code)
{
    int32_t s = model_add_school(&M, code, "sosh", "urban");
    static const char *mat[] = {"internet", "computers", "lab_phys", "lab_chem",
                                "lab_bio",  "lab_geo",   "lab_tech"};
    for (size_t i = 0; i < 7; i++)
        ctx(s, mat[i], 1);
    ctx(s, "teachers_total", 100);
    ctx(s, "teachers_36h", 0);
    ctx(s, "teachers_unqualified", 0);
    ctx(s, "pupils_total", 100);
    ctx(s, "pupils_registered", 0);
    ctx(s, "pupils_ovz", 0);
    ctx(s, "pupils_inofon", 0);
    ctx(s, "pupils_absentee", 0);
    ctx(s, "pupils_failing", 0);
    return s;
}

static int32_t vpr(const char *subject, int grade)
{
    int32_t p = model_find_proc(&M, Y, "VPR", subject, grade);
    return p >= 0 ? p : model_add_proc(&M, Y, "VPR", subject, grade, NAN, NAN, NAN, NAN, -1);
}

static void agg(int32_t s, int32_t p, int n, int failed)
{
    model_add_aggregate(&M, p, s, n, failed, n - failed, 0, 0, failed);
}

static void material_any_no(void **state)
{
    model_init(&M, Y, Y);
    fine_school("s0");
    int32_t a = fine_school("s1"), b = fine_school("s2");
    ctx(a, "internet", 0);
    ctx(b, "lab_tech", 0);
    ctx(b, "computers", 0);
    model_finish(&M);
    json_t *r = run(NULL);
    assert_string_equal(summary(r), "s1:material,s2:material");
    json_t *miss = json_object_get(evidence_of(r, "s2"), "missing");
    assert_int_equal(json_array_size(miss), 2);
    assert_string_equal(json_string_value(json_array_get(miss, 0)), "computers");
    assert_string_equal(json_string_value(json_array_get(miss, 1)), "lab_tech");
    assert_non_null(strstr(json_string_value(json_object_get(json_array_get(r, 1), "text")),
                           "компьютерная техника, оборудование по технологии"));
    json_decref(r);
    check("[risk]\nmaterial = internet, computers\n", "s1:material,s2:material");
    check("[risk]\nmaterial = internet\n", "s1:material");
    model_release(&M);
}

static void staff_boundaries(void **state)
{
    model_init(&M, Y, Y);
    int32_t a = fine_school("s1"), b = fine_school("s2"), c = fine_school("s3"),
            d = fine_school("s4");
    ctx(a, "teachers_36h", 10);        /* exactly 10 %: not more than 10 % */
    ctx(b, "teachers_36h", 11);        /* 11 % */
    ctx(c, "teachers_unqualified", 0); /* 0 %: not more than 0 % */
    ctx(d, "teachers_unqualified", 1); /* 1 % */
    model_finish(&M);
    json_t *r = run(NULL);
    assert_string_equal(summary(r), "s2:staff,s4:staff");
    assert_true(json_real_value(json_object_get(evidence_of(r, "s2"), "teachers_36h_share")) ==
                0.11);
    assert_non_null(strstr(json_string_value(json_object_get(json_array_get(r, 0), "text")),
                           "11,0 % учителей нагрузка 36 часов и более — больше 10 %"));
    json_decref(r);
    check("[risk]\nstaff_36h_share = 9,5 %\n", "s1:staff,s2:staff,s4:staff");
    model_release(&M);
}

static void contingent_sum_boundary(void **state)
{
    model_init(&M, Y, Y);
    int32_t a = fine_school("s1"), b = fine_school("s2");
    ctx(a, "pupils_registered", 2); /* 2 + 3 + 4 + 1 = 10 %: not more */
    ctx(a, "pupils_ovz", 3);
    ctx(a, "pupils_inofon", 4);
    ctx(a, "pupils_absentee", 1);
    ctx(b, "pupils_registered", 2); /* 11 %: each part small, the sum above */
    ctx(b, "pupils_ovz", 3);
    ctx(b, "pupils_inofon", 4);
    ctx(b, "pupils_absentee", 2);
    model_finish(&M);
    json_t *r = run(NULL);
    assert_string_equal(summary(r), "s2:contingent");
    json_t *ev = evidence_of(r, "s2");
    assert_true(json_real_value(json_object_get(ev, "contingent_share")) == 0.11);
    assert_true(json_real_value(json_object_get(json_object_get(ev, "contingent_parts"),
                                                "pupils_ovz")) == 0.03);
    json_decref(r);
    model_release(&M);
}

static void missing_context_is_not_a_factor(void **state)
{
    model_init(&M, Y, Y);
    int32_t a = model_add_school(&M, "s1", "sosh", "urban"); /* nothing reported */
    int32_t b = model_add_school(&M, "s2", "sosh", "urban");
    ctx(b, "internet", 0);       /* a factor; the rest not reported */
    ctx(b, "pupils_total", 100); /* contingent: 12 % reported, one part missing → factor */
    ctx(b, "pupils_ovz", 12);
    int32_t c = model_add_school(&M, "s3", "sosh", "urban");
    ctx(c, "internet", 0);
    ctx(c, "pupils_total", 100); /* 5 % reported, the rest missing: not a factor */
    ctx(c, "pupils_ovz", 5);
    ctx(c, "teachers_36h", 50); /* no teachers_total: the share is unknown */
    (void)a;
    model_finish(&M);
    json_t *r = run(NULL);
    assert_string_equal(summary(r), "s2:material+contingent,s3:material");
    json_t *ev = evidence_of(r, "s2");
    assert_true(json_is_true(json_object_get(ev, "contingent_partial")));
    json_t *nr = json_object_get(ev, "not_reported");
    int has_computers = 0, has_internet = 0, has_teachers = 0;
    for (size_t i = 0; i < json_array_size(nr); i++) {
        const char *s = json_string_value(json_array_get(nr, i));
        has_computers |= !strcmp(s, "computers");
        has_internet |= !strcmp(s, "internet");
        has_teachers |= !strcmp(s, "teachers_total");
    }
    assert_true(has_computers && has_teachers && !has_internet);
    ev = evidence_of(r, "s3");
    assert_null(json_object_get(ev, "teachers_36h_share"));
    assert_true(json_real_value(json_object_get(ev, "contingent_share")) == 0.05);
    assert_non_null(strstr(json_string_value(json_object_get(json_array_get(r, 1), "text")),
                           "не учтены как фактор риска"));
    json_decref(r);
    model_release(&M);
}

static void results_two_of_four_and_failing(void **state)
{
    model_init(&M, Y, Y);
    int32_t s1 = fine_school("s1"), s2 = fine_school("s2"), s3 = fine_school("s3"),
            s4 = fine_school("s4"), s5 = fine_school("s5"), s6 = fine_school("s6");
    int32_t m4 = vpr("math", 4), m8 = vpr("math", 8), r4 = vpr("rus", 4), r8 = vpr("rus", 8),
            m5 = vpr("math", 5);
    agg(s1, m4, 20, 4); /* one of four at 20 %: not enough */
    agg(s1, m8, 20, 3);
    agg(s2, m4, 20, 4); /* two at exactly 20 %: a factor */
    agg(s2, r8, 100, 20);
    agg(s3, m8, 100, 19); /* two just under: not */
    agg(s3, r4, 1000, 199);
    agg(s3, m5, 10, 9); /* grade 5 is not among 4.1–4.4 */
    agg(s4, r4, 10, 5);
    agg(s4, m5, 10, 5);
    ctx(s5, "pupils_failing", 10); /* 10 %: not more */
    ctx(s6, "pupils_failing", 11); /* 11 % */
    agg(s6, r8, 0, 0);             /* no participants: not counted */
    model_finish(&M);
    json_t *r = run(NULL);
    assert_string_equal(summary(r), "s2:results,s6:results");
    json_t *ev = evidence_of(r, "s2");
    assert_int_equal(json_integer_value(json_object_get(ev, "vpr_high_count")), 2);
    assert_int_equal(json_array_size(json_object_get(ev, "vpr_fail")), 2);
    assert_true(json_real_value(json_object_get(evidence_of(r, "s6"), "failing_share")) == 0.11);
    assert_non_null(strstr(json_string_value(json_object_get(json_array_get(r, 0), "text")),
                           "по 2 работам (математика, 4 класс — 20,0 %; русский язык, 8 класс — "
                           "20,0 %)"));
    json_decref(r);
    check("[risk]\nresults_min_count = 1\n", "s1:results,s2:results,s4:results,s6:results");
    check("[risk]\nresults_share = 0.19\n", "s2:results,s3:results,s6:results");
    check("[risk]\nresults_procedures = VPR:*:4, VPR:*:5\nresults_min_count = 2\n",
          "s4:results,s6:results");
    model_release(&M);
}

/* seed 002 §3.2 p. 4 «в пунктах 4.1-4.4 фиксируется 20 % и более не менее чем по двум
 * показателям, в пунктах 4.5 более 10 %»: results_rule = any lists a school by either part,
 * all only by both. s1 has only 4.1–4.4, s2 only 4.5, s3 both, s4 has 4.1–4.4 and 4.5 not
 * reported (cannot be met under all). */
static void results_rule_any_versus_all(void **state)
{
    model_init(&M, Y, Y);
    int32_t s1 = fine_school("s1"), s2 = fine_school("s2"), s3 = fine_school("s3"),
            s4 = model_add_school(&M, "s4", "sosh", "urban");
    int32_t m4 = vpr("math", 4), r4 = vpr("rus", 4);
    agg(s1, m4, 10, 3); /* 30 % and 25 %: two of four; failing 0 % */
    agg(s1, r4, 20, 5);
    ctx(s2, "pupils_failing", 12); /* 12 % > 10 %; no ВПР at 20 % */
    agg(s2, m4, 10, 1);
    agg(s3, m4, 10, 2); /* 20 % and 20 %, failing 11 % */
    agg(s3, r4, 10, 2);
    ctx(s3, "pupils_failing", 11);
    agg(s4, m4, 10, 5);
    agg(s4, r4, 10, 5);
    ctx(s4, "pupils_total", 100);
    model_finish(&M);
    check(NULL, "s1:results,s2:results,s3:results,s4:results");
    check("[risk]\nresults_rule = any\n", "s1:results,s2:results,s3:results,s4:results");
    json_t *r = run("[risk]\nresults_rule = all\n");
    assert_string_equal(summary(r), "s3:results");
    json_t *ev = evidence_of(r, "s3");
    assert_string_equal(json_string_value(json_object_get(ev, "results_rule")), "all");
    const char *text = json_string_value(json_object_get(json_array_get(r, 0), "text"));
    assert_non_null(strstr(text, "показатели 4.1–4.4"));
    assert_non_null(strstr(text, "неуспевающих 11,0 %"));
    assert_non_null(strstr(text, "Выполнены оба условия показателя 4"));
    json_decref(r);
    /* under any the sentence of the part that holds alone, without the "both" remark */
    r = run(NULL);
    text = json_string_value(json_object_get(json_array_get(r, 1), "text"));
    assert_non_null(strstr(text, "неуспевающих 12,0 %"));
    assert_null(strstr(text, "оба условия"));
    assert_string_equal(json_string_value(json_object_get(evidence_of(r, "s1"), "results_rule")),
                        "any");
    json_decref(r);
    model_release(&M);
}

/* The reliability of the results factor follows results_rule: ВПР 40 % of 1000 twice holds on
 * its whole interval, failing 11 of 100 does not (its interval crosses 10 %). Either part is
 * enough under any (reliable), both are needed under all (not reliable). */
static void results_rule_reliability(void **state)
{
    model_init(&M, Y, Y);
    int32_t s = fine_school("s1");
    agg(s, vpr("math", 4), 1000, 400);
    agg(s, vpr("rus", 4), 1000, 400);
    ctx(s, "pupils_failing", 11);
    model_finish(&M);
    for (int all = 0; all < 2; all++) {
        const char *text = all ? "[risk]\nresults_rule = all\n" : "[risk]\nresults_rule = any\n";
        meth_file *f = ini(text);
        json_t *r = NULL;
        msk_err e;
        assert_int_equal(risk_run(&M, Y, f, &r, &e), 0);
        assert_string_equal(summary(r), "s1:results");
        reliability_risk(&M, Y, f, r);
        json_t *rel = json_object_get(json_array_get(r, 0), "reliability");
        assert_true(json_is_true(json_object_get(json_object_get(rel, "factors"), "results")) ==
                    !all);
        json_decref(r);
        meth_free(f);
    }
    model_release(&M);
}

static void all_four_factors_in_order(void **state)
{
    model_init(&M, Y, Y);
    int32_t s = fine_school("sch000777");
    fine_school("sch000001");
    ctx(s, "internet", 0);
    ctx(s, "teachers_36h", 12);
    ctx(s, "pupils_inofon", 15);
    ctx(s, "pupils_failing", 20);
    model_finish(&M);
    json_t *r = run(NULL);
    assert_string_equal(summary(r), "sch000777:material+staff+contingent+results");
    json_t *ev = evidence_of(r, "sch000777");
    assert_true(json_real_value(json_object_get(ev, "teachers_36h_share")) == 0.12);
    assert_string_equal(json_string_value(json_array_get(json_object_get(ev, "missing"), 0)),
                        "internet");
    assert_int_equal(json_array_size(json_object_get(ev, "not_reported")), 0);
    json_decref(r);
    model_release(&M);
}

static void order_by_code_and_bad_settings(void **state)
{
    model_init(&M, Y, Y);
    int32_t c = fine_school("c"), a = fine_school("a"), b = fine_school("b");
    ctx(c, "internet", 0);
    ctx(a, "internet", 0);
    ctx(b, "internet", 0);
    model_finish(&M);
    check(NULL, "a:material,b:material,c:material");
    static const struct {
        const char *ini, *needle;
        int line;
    } cases[] = {
        {"[risk]\nstaff_36h = 0.1\n", "неизвестный ключ «staff_36h»", 0},
        {"[risk]\n\nstaff_36h_share = десять\n", "ожидается число", 3},
        {"[risk]\nresults_procedures = VPR:math\n", "«VPR:math» не понято", 0},
        {"[risk]\nresults_min_count = two\n", "целое", 2},
        {"[risk]\nresults_rule = and\n", "results_rule = «and»: допустимо any", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        meth_file *f = ini(cases[i].ini);
        json_t *out = (json_t *)1;
        msk_err e;
        msk_err_clear(&e);
        assert_int_equal(risk_run(&M, Y, f, &out, &e), -1);
        assert_null(out);
        if (!strstr(e.msg, cases[i].needle))
            fail_msg("case %zu: «%s» lacks «%s»", i, e.msg, cases[i].needle);
        assert_int_equal(e.row, cases[i].line);
        meth_free(f);
    }
    model_release(&M);
}

static void preset_equals_defaults(void **state)
{
    char path[1024];
    const char *root = getenv("MSOKO_ROOT");
    snprintf(path, sizeof path, "%s/methods/risk.ini", root ? root : ".");
    meth_file *f = NULL;
    msk_err e;
    if (engine_meth_load(path, &f, &e))
        fail_msg("%s: %s", path, e.msg);
    double v;
    long n;
    assert_int_equal(meth_num(f, "risk", "staff_36h_share", -1, &v, &e), 0);
    assert_true(v == 0.10);
    assert_int_equal(meth_num(f, "risk", "staff_unqualified_share", -1, &v, &e), 0);
    assert_true(v == 0);
    assert_int_equal(meth_num(f, "risk", "contingent_share", -1, &v, &e), 0);
    assert_true(v == 0.10);
    assert_int_equal(meth_num(f, "risk", "results_share", -1, &v, &e), 0);
    assert_true(v == 0.20);
    assert_int_equal(meth_num(f, "risk", "failing_share", -1, &v, &e), 0);
    assert_true(v == 0.10);
    assert_int_equal(meth_int(f, "risk", "results_min_count", -1, &n, &e), 0);
    assert_int_equal(n, 2);
    const char *it[16];
    assert_int_equal(meth_list(f, "risk", "material", it, 16), 7);
    assert_int_equal(meth_list(f, "risk", "contingent", it, 16), 4);
    assert_int_equal(meth_list(f, "risk", "results_procedures", it, 16), 4);
    assert_string_equal(meth_get(f, "risk", "results_rule"), "any");
    /* the same list with the file and without it, on a model that trips every factor */
    model_init(&M, Y, Y);
    int32_t s = fine_school("s1"), t = fine_school("s2");
    ctx(s, "lab_geo", 0);
    ctx(s, "teachers_unqualified", 1);
    ctx(t, "pupils_absentee", 11);
    agg(t, vpr("rus", 4), 10, 2);
    agg(t, vpr("math", 8), 10, 2);
    model_finish(&M);
    json_t *a = NULL, *b = NULL;
    assert_int_equal(risk_run(&M, Y, f, &a, &e), 0);
    assert_int_equal(risk_run(&M, Y, NULL, &b, &e), 0);
    assert_string_equal(summary(a), "s1:material+staff,s2:contingent+results");
    assert_true(json_equal(a, b));
    json_decref(a);
    json_decref(b);
    meth_free(f);
    model_release(&M);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(material_any_no),
        cmocka_unit_test(staff_boundaries),
        cmocka_unit_test(contingent_sum_boundary),
        cmocka_unit_test(missing_context_is_not_a_factor),
        cmocka_unit_test(results_two_of_four_and_failing),
        cmocka_unit_test(results_rule_any_versus_all),
        cmocka_unit_test(results_rule_reliability),
        cmocka_unit_test(all_four_factors_in_order),
        cmocka_unit_test(order_by_code_and_bad_settings),
        cmocka_unit_test(preset_equals_defaults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
