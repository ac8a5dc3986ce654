/*
 * Unit tests of the objectivity coefficient from re-checked works (src/method/obj_coef.c,
 * issue 16 item 4, INVALSI's method) on small hand-built cases whose answers are worked out by
 * hand: the ratio, its standard error and t-interval, the shrinkage toward 1, the corrected
 * mean and shares of marks, a single work (no interval), a school without works (no
 * coefficient), experts above the school (a coefficient above 1), and bad settings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "method/obj_coef.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define assert_near(a, b, eps)                                                                     \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(fabs(a_ - b_) <= (eps)))                                                             \
            fail_msg("%.17g != %.17g (±%g)", a_, b_, (double)(eps));                               \
    } while (0)

static model M;

static meth_file *ini(const char *text)
{
    meth_file *f = NULL;
    msk_err e;
    if (meth_load_str("objectivity.ini", text, &f, &e))
        fail_msg("ini: %s", e.msg);
    return f;
}

static obj_coef_work work(const char *school, double sp, double ep, int sm, int em)
{
    obj_coef_work w;
    memset(&w, 0, sizeof w);
    snprintf(w.school, sizeof w.school, "%s", school);
    snprintf(w.kind, sizeof w.kind, "VPR");
    snprintf(w.subject, sizeof w.subject, "math");
    w.grade = 5;
    w.school_primary = sp;
    w.expert_primary = ep;
    w.school_mark = sm;
    w.expert_mark = em;
    return w;
}

/* VPR math 5 of 2024, cut-offs 7 / 11 / 15 of 20; school A's pupils scored 10, 12, 16, 6 (and
 * one absent), B's and C's a few. */
static void build(void)
{
    model_init(&M, 2024, 2024);
    int32_t p = model_add_proc(&M, 2024, "VPR", "math", 5, 20, 7, 11, 15, -1);
    const char *codes[] = {"schA", "schB", "schC"};
    char pc[16];
    int k = 0;
    for (int s = 0; s < 3; s++) {
        int32_t si = model_add_school(&M, codes[s], "sosh", "urban");
        static const double A[] = {10, 12, 16, 6};
        for (int i = 0; i < 4; i++) {
            snprintf(pc, sizeof pc, "p%d", k++);
            double x = s == 0 ? A[i] : 10 + i;
            model_add_result(&M, p, si, model_pupil(&M, si, pc), x, 0, -1, 0, 0, NULL, 0);
        }
        snprintf(pc, sizeof pc, "p%d", k++);
        model_add_result(&M, p, si, model_pupil(&M, si, pc), NAN, 0, -1, 0, MODEL_ABSENT, NULL, 0);
    }
    model_finish(&M);
}

static json_t *run(const char *settings, const obj_coef_work *w, size_t n)
{
    meth_file *f = ini(settings);
    json_t *out = NULL;
    msk_err e;
    if (obj_coef_run(&M, 2024, f, w, n, &out, &e))
        fail_msg("obj_coef_run: %s", e.msg);
    meth_free(f);
    return out;
}

static double num(const json_t *o, const char *k)
{
    const json_t *x = json_object_get(o, k);
    if (!json_is_number(x))
        fail_msg("%s is not a number", k);
    return json_number_value(x);
}

/* School A: works 10→9, 10→7, 20→16, 20→16. R = 48/60 = 0.8; e − R·p = 1, −1, 0, 0, so
 * s² = 2/3, se = √(2/3/4)/15 = 0.0272166; n0 = 4: w = 4/8 = 0.5, k = 1 + 0.5·(0.8 − 1) = 0.9;
 * t(3) = 3.1824: interval 1 + 0.5·(0.8 ∓ 0.086614 − 1) = 0.856693 … 0.943307. */
static void ratio_interval_and_shrinkage_known(void **st)
{
    (void)st;
    build();
    obj_coef_work w[] = {work("schA", 10, 9, 3, 3), work("schA", 10, 7, 3, 3),
                         work("schA", 20, 16, 5, 5), work("schA", 20, 16, 5, 5)};
    json_t *out = run("[coefficient]\nprior_works = 4\n", w, 4);
    json_t *a = json_object_get(json_object_get(out, "schools"), "schA");
    assert_non_null(a);
    assert_int_equal(json_integer_value(json_object_get(a, "works")), 4);
    assert_near(num(a, "ratio"), 0.8, 1e-12);
    assert_near(num(a, "inflation"), 0.2, 1e-12);
    assert_near(num(a, "se"), sqrt(2.0 / 3.0 / 4.0) / 15.0, 1e-12);
    assert_near(num(a, "weight"), 0.5, 1e-12);
    assert_near(num(a, "coefficient"), 0.9, 1e-12);
    json_t *ci = json_object_get(a, "ci");
    assert_near(json_number_value(json_array_get(ci, 0)), 0.856693, 1e-5);
    assert_near(json_number_value(json_array_get(ci, 1)), 0.943307, 1e-5);
    assert_int_equal(json_integer_value(json_object_get(a, "marks_same")), 4);
    /* corrected: 10, 12, 16, 6 × 0.9 = 9, 10.8, 14.4, 5.4 → marks 3, 3, 4, 2 (raw 3, 4, 5, 2) */
    json_t *p = json_array_get(json_object_get(a, "procedures"), 0);
    assert_string_equal(json_string_value(json_object_get(p, "proc")), "VPR:math:5");
    assert_int_equal(json_integer_value(json_object_get(p, "participants")), 4);
    json_t *raw = json_object_get(p, "raw"), *cor = json_object_get(p, "corrected");
    assert_near(num(raw, "mean_primary"), 11.0, 1e-12);
    assert_near(num(raw, "share45"), 0.5, 1e-12);
    assert_near(num(raw, "share2"), 0.25, 1e-12);
    assert_near(num(cor, "mean_primary"), 9.9, 1e-12);
    assert_near(num(cor, "share45"), 0.25, 1e-12);
    assert_near(num(cor, "share2"), 0.25, 1e-12);
    /* a school without re-checked works gets no coefficient, never a made-up 1 */
    assert_null(json_object_get(json_object_get(out, "schools"), "schB"));
    assert_false(json_is_true(json_object_get(out, "observers")));
    json_decref(out);
    model_release(&M);
}

/* One work 10 → 12 at school C with the default n0 = 10: R = 1.2, w = 1/11, k = 1 + 0.2/11;
 * no interval from one work; the corrected mean is k × the raw mean 11.5. */
static void single_work_no_interval_and_experts_above(void **st)
{
    (void)st;
    build();
    obj_coef_work w[] = {work("schC", 10, 12, 3, 4)};
    json_t *out = run("", w, 1);
    json_t *c = json_object_get(json_object_get(out, "schools"), "schC");
    assert_non_null(c);
    assert_near(num(c, "ratio"), 1.2, 1e-12);
    assert_near(num(c, "weight"), 1.0 / 11.0, 1e-12);
    assert_near(num(c, "coefficient"), 1 + 0.2 / 11.0, 1e-12);
    assert_true(json_is_null(json_object_get(c, "ci")));
    assert_int_equal(json_integer_value(json_object_get(c, "marks_same")), 0);
    json_t *p = json_array_get(json_object_get(c, "procedures"), 0);
    assert_near(num(json_object_get(p, "corrected"), "mean_primary"), 11.5 * (1 + 0.2 / 11.0),
                1e-9);
    assert_non_null(strstr(json_string_value(json_object_get(c, "text")), "занижение"));
    json_decref(out);
    model_release(&M);
}

/* More works pull the coefficient away from 1: the same ratio 0.8 from 4 and from 40 works. */
static void more_works_less_shrinkage(void **st)
{
    (void)st;
    build();
    obj_coef_work w[40];
    for (int i = 0; i < 40; i++)
        w[i] = work(i < 4 ? "schA" : "schB", 10, 8, 3, 3);
    json_t *out = run("[coefficient]\nprior_works = 10\n", w, 40);
    json_t *s = json_object_get(out, "schools");
    double ka = num(json_object_get(s, "schA"), "coefficient");
    double kb = num(json_object_get(s, "schB"), "coefficient");
    assert_near(ka, 1 - 0.2 * 4.0 / 14.0, 1e-12);
    assert_near(kb, 1 - 0.2 * 36.0 / 46.0, 1e-12);
    assert_true(kb < ka);
    json_decref(out);
    model_release(&M);
}

/* Works whose primary scores are not known give no coefficient; bad settings are errors. */
static void unknown_scores_and_bad_settings(void **st)
{
    (void)st;
    build();
    obj_coef_work w[] = {work("schA", NAN, 7, 3, 3)};
    json_t *out = run("", w, 1);
    assert_null(json_object_get(json_object_get(out, "schools"), "schA"));
    json_decref(out);
    msk_err e;
    meth_file *f = ini("[coefficient]\nprior_works = -1\n");
    assert_int_equal(obj_coef_run(&M, 2024, f, w, 1, &out, &e), -1);
    assert_non_null(strstr(e.msg, "prior_works"));
    meth_free(f);
    f = ini("[coefficient]\nprior = 3\n");
    assert_int_equal(obj_coef_run(&M, 2024, f, w, 1, &out, &e), -1);
    assert_non_null(strstr(e.msg, "неизвестный ключ"));
    meth_free(f);
    model_release(&M);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ratio_interval_and_shrinkage_known),
        cmocka_unit_test(single_work_no_interval_and_experts_above),
        cmocka_unit_test(more_works_less_shrinkage),
        cmocka_unit_test(unknown_scores_and_bad_settings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
