/*
 * Unit tests of src/method/stat.c, reliability.c and value_added.c on hand-known cases: the
 * Wilson interval of 2 of 6, the t-interval, the shrinkage factor of a 3-school case, the rank
 * bounds, a 6-pupil school's 33 % of «2» that the ШНОР rule lists but cannot hold firmly, and
 * the value added of two linked cohorts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "method/reliability.h"
#include "method/shnor.h"
#include "method/stat.h"
#include "method/value_added.h"
#include "model/model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void wilson(void **st)
{
    (void)st;
    double lo, hi;
    stat_wilson(2, 6, &lo, &hi);
    assert_true(fabs(lo - 0.0968) < 1e-4);
    assert_true(fabs(hi - 0.7000) < 1e-4);
    stat_wilson(0, 10, &lo, &hi);
    assert_true(lo == 0 && fabs(hi - 0.2775) < 1e-4);
    stat_wilson(0, 0, &lo, &hi);
    assert_true(lo == 0 && hi == 1);
}

static void t_interval(void **st)
{
    (void)st;
    double lo, hi;
    /* mean 10, sd 2, n 5: t(4) = 2.7764, half-width 2.7764·2/√5 = 2.4833 */
    stat_t_interval(10, 2, 5, &lo, &hi);
    assert_true(fabs(lo - 7.5167) < 1e-3 && fabs(hi - 12.4833) < 1e-3);
    assert_true(fabs(stat_t975(60) - 2.0003) < 1e-3);
    assert_true(fabs(stat_t975(1000) - 1.9623) < 1e-3);
    stat_t_interval(1, 1, 1, &lo, &hi);
    assert_true(isinf(lo) && isinf(hi));
}

static void shrinkage(void **st)
{
    (void)st;
    /* three schools: means 1, 2, 3 with sampling variance σ²/n = 0.5 each: var of the means 1,
     * τ² = 1 − 0.5 = 0.5; B = 0.5 / (0.5 + 0.5) = 0.5; the shrunken 3 is 2 + 0.5·1 = 2.5 */
    double y[3] = {1, 2, 3}, v[3] = {0.5, 0.5, 0.5}, grand;
    double tau2 = stat_tau2(y, v, 3, &grand);
    assert_true(fabs(tau2 - 0.5) < 1e-12 && fabs(grand - 2) < 1e-12);
    double b = stat_shrink_factor(tau2, 5.0, 10); /* σ² 5, n 10: σ²/n 0.5 */
    assert_true(fabs(b - 0.5) < 1e-12);
    assert_true(fabs(grand + b * (3 - grand) - 2.5) < 1e-12);
    assert_true(stat_shrink_factor(0, 1, 10) == 0);
    /* beta prior by moments: shares 0.1, 0.5, 0.9 of 10 each; p = 0.5, V = 0.10667,
     * binomial part 0.025, τ² = 0.08167, a + b = 0.25/τ² − 1 = 2.0612 */
    int k[3] = {1, 5, 9}, n[3] = {10, 10, 10};
    double a, bb;
    assert_int_equal(stat_beta_prior(k, n, 3, &a, &bb), 1);
    assert_true(fabs(a + bb - 2.0612) < 1e-3 && fabs(a - bb) < 1e-9);
    assert_true(fabs(stat_beta_shrink(1, 10, a, bb) - (1 + a) / (10 + a + bb)) < 1e-12);
    int k2[2] = {3, 3}, n2[2] = {10, 10}; /* no spread: no shrinkage */
    assert_int_equal(stat_beta_prior(k2, n2, 2, &a, &bb), 0);
}

static void rank_bounds(void **st)
{
    (void)st;
    double lo[3] = {0.8, 0.5, 0.1}, hi[3] = {1.0, 0.9, 0.3};
    int best[3], worst[3];
    stat_rank_bounds(lo, hi, 3, best, worst);
    assert_int_equal(best[0], 1);
    assert_int_equal(worst[0], 2);
    assert_int_equal(best[1], 1);
    assert_int_equal(worst[1], 2);
    assert_int_equal(best[2], 3);
    assert_int_equal(worst[2], 3);
}

/* A 6-pupil school with 2 «2» in each of two ШНОР procedures is listed by rule A (33 % ≥ 30 %),
 * and its interval 9,7–70,0 % says «вывод ненадёжен». */
static void small_school(void **st)
{
    (void)st;
    model m;
    model_init(&m, 2024, 2024);
    int32_t s = model_add_school(&m, "sch1", "sosh", "rural");
    int32_t big = model_add_school(&m, "sch2", "sosh", "urban");
    const char *subj[2] = {"math", "rus"};
    char code[16];
    int id = 0;
    for (int q = 0; q < 2; q++) {
        int32_t p = model_add_proc(&m, 2024, "VPR", subj[q], 5, 20, 5, 10, 15, -1);
        for (int i = 0; i < 6; i++) {
            snprintf(code, sizeof code, "p%d", id++);
            model_add_result(&m, p, s, model_pupil(&m, s, code), i < 2 ? 2 : 12, i < 2 ? 2 : 4, -1,
                             0, 0, NULL, 0);
        }
        for (int i = 0; i < 40; i++) {
            snprintf(code, sizeof code, "q%d", id++);
            model_add_result(&m, p, big, model_pupil(&m, big, code), 12, 4, -1, 0, 0, NULL, 0);
        }
    }
    model_finish(&m);
    json_t *list;
    msk_err err;
    assert_int_equal(shnor_run(&m, 2024, NULL, &list, &err), 0);
    assert_int_equal(json_array_size(list), 1);
    reliability_shnor(&m, 2024, NULL, list);
    json_t *o = json_array_get(list, 0);
    json_t *it = json_array_get(json_object_get(o, "low"), 0);
    json_t *ci = json_object_get(it, "ci");
    assert_true(fabs(json_real_value(json_array_get(ci, 0)) - 0.0968) < 1e-4);
    assert_true(fabs(json_real_value(json_array_get(ci, 1)) - 0.7) < 1e-4);
    assert_true(json_is_false(json_object_get(it, "reliable")));
    assert_non_null(
        strstr(json_string_value(json_object_get(it, "reliability")), "вывод ненадёжен"));
    assert_true(json_is_false(json_object_get(json_object_get(o, "reliability"), "reliable")));
    json_decref(list);
    model_release(&m);
}

/* Two schools, two linked cohorts ВПР 4 (2023) → ВПР 5 (2024), ten pupils each, the same
 * earlier scores; school A's pupils gain 2 points over B's. The municipal z of the later score
 * at the same earlier z differs by the gain: the residuals are ±d/2 with d = 2/sd(later), so
 * A's value added is +d/2 and B's −d/2, exactly. */
static void linked_cohorts(void **st)
{
    (void)st;
    model m;
    model_init(&m, 2023, 2024);
    int32_t a = model_add_school(&m, "schA", "sosh", "urban");
    int32_t b = model_add_school(&m, "schB", "sosh", "urban");
    int32_t p4 = model_add_proc(&m, 2023, "VPR", "math", 4, 30, NAN, NAN, NAN, -1);
    int32_t p5 = model_add_proc(&m, 2024, "VPR", "math", 5, 30, NAN, NAN, NAN, -1);
    char code[16];
    double later[20];
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < 10; i++) {
            int32_t sc = s ? b : a;
            snprintf(code, sizeof code, "p%d", i);
            int32_t pu = model_pupil(&m, sc, code);
            model_add_result(&m, p4, sc, pu, 5 + i, 0, -1, 0, 0, NULL, 0);
            later[s * 10 + i] = 6 + i + (s ? 0 : 2);
            model_add_result(&m, p5, sc, pu, later[s * 10 + i], 0, -1, 0, 0, NULL, 0);
        }
    model_finish(&m);
    double mean = 0, ss = 0;
    for (int i = 0; i < 20; i++)
        mean += later[i] / 20;
    for (int i = 0; i < 20; i++)
        ss += (later[i] - mean) * (later[i] - mean);
    double d = 2 / sqrt(ss / 19);
    json_t *va;
    msk_err err;
    assert_int_equal(value_added_run(&m, 2024, &va, &err), 0);
    json_t *sa = json_object_get(json_object_get(va, "schools"), "schA");
    json_t *sb = json_object_get(json_object_get(va, "schools"), "schB");
    assert_string_equal(json_string_value(json_object_get(sa, "method")), "linked");
    assert_true(fabs(json_real_value(json_object_get(sa, "value")) - d / 2) < 1e-3);
    assert_true(fabs(json_real_value(json_object_get(sb, "value")) + d / 2) < 1e-3);
    assert_int_equal(json_integer_value(json_object_get(sa, "rank")), 1);
    assert_int_equal(json_integer_value(json_object_get(sb, "rank")), 2);
    assert_int_equal(json_integer_value(json_object_get(sa, "n")), 10);
    json_decref(va);
    model_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wilson),       cmocka_unit_test(t_interval),
        cmocka_unit_test(shrinkage),    cmocka_unit_test(rank_bounds),
        cmocka_unit_test(small_school), cmocka_unit_test(linked_cohorts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
