/*
 * Unit tests of signs 3 and 4 of non-objective results (src/method/obj_cohort.c,
 * src/method/obj_peaks.c) on small hand-built models: the cohort fences (type-7 quartiles,
 * inside / outside the fence, too few schools, retakes left out) and the bunching estimator
 * (a spike at the «3» cut-off, the same pupils spread smoothly, a small school, the binomial
 * tail). The .c files are included, as h2o's t/00unit does, to reach their static helpers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/method/obj_cohort.c"
#include "../../src/method/obj_peaks.c"
#include "engine/methfile.h"

/* cmocka's assert_float_equal casts to float: 1e-9 and 2^-1000 need doubles */
#define assert_near(a, b, eps)                                                                     \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(fabs(a_ - b_) <= (eps)))                                                             \
            fail_msg("%.17g != %.17g (±%g)", a_, b_, (double)(eps));                               \
    } while (0)

static model M;
static int npupil;

static meth_file *ini(const char *text)
{
    meth_file *f = NULL;
    msk_err e;
    if (meth_load_str("t.ini", text, &f, &e))
        fail_msg("ini: %s", e.msg);
    return f;
}

/* n pupil rows of one school with the same primary score and flags. */
static void rows(int32_t proc, int32_t s, int n, double primary, unsigned flags)
{
    char code[32];
    for (int i = 0; i < n; i++) {
        snprintf(code, sizeof code, "p%d", npupil++);
        model_add_result(&M, proc, s, model_pupil(&M, s, code), primary, 0, -1, 0, flags, NULL, 0);
    }
}

static json_t *signs_of(json_t *signs, const char *school)
{
    return json_object_get(signs, school);
}

/* ---- sign 3: cohort jump ---- */

/* Schools sch00..: grade 4 in 2023 and grade 5 in 2024, 10 pupils each, scale max 20; every
 * pupil of a school has the same score, so K = p4 / p5 exactly. */
static void cohort_model(const double *k, size_t n)
{
    model_init(&M, 2023, 2024);
    npupil = 0;
    int32_t p4 = model_add_proc(&M, 2023, "VPR", "math", 4, 20, 6, 10, 15, -1);
    int32_t p5 = model_add_proc(&M, 2024, "VPR", "math", 5, 20, 7, 11, 15, -1);
    for (size_t i = 0; i < n; i++) {
        char code[16];
        snprintf(code, sizeof code, "sch%02zu", i);
        int32_t s = model_add_school(&M, code, "sosh", "urban");
        rows(p4, s, 10, 10.0 * k[i], 0);
        rows(p5, s, 10, 10.0, 0);
    }
}

static void quartiles_type7_known_set(void **state)
{
    (void)state;
    /* R: quantile(c(7, 1, 3, 10, 15, 4), c(.25, .75)) = 3.25, 9.25 (type 7, the default) */
    double x[] = {7, 1, 3, 10, 15, 4};
    qsort(x, 6, sizeof *x, cohort_cmp_double);
    assert_near(cohort_quantile(x, 6, 0.25), 3.25, 1e-12);
    assert_near(cohort_quantile(x, 6, 0.75), 9.25, 1e-12);
    assert_near(cohort_quantile(x, 6, 0.0), 1, 1e-12);
    assert_near(cohort_quantile(x, 6, 1.0), 15, 1e-12);
    /* 1..10: h = 9·0.25 = 2.25 → 3 + 0.25 = 3.25; h = 6.75 → 7.75 */
    double y[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assert_near(cohort_quantile(y, 10, 0.25), 3.25, 1e-12);
    assert_near(cohort_quantile(y, 10, 0.75), 7.75, 1e-12);
}

static void cohort_fall_flagged_inside_fence_not(void **state)
{
    (void)state;
    /* sorted K: 0.9 0.95 1 1 1 1.05 1.1 1.1 1.38 2.0 → Q1 = 1.0, Q3 = 1.1 (type 7), IQR 0.1,
     * fences 0.7 and 1.4: sch09 (K = 2) falls sharply, sch08 (K = 1.38) is just inside */
    double k[] = {0.9, 0.95, 1.0, 1.0, 1.0, 1.05, 1.1, 1.1, 1.38, 2.0};
    cohort_model(k, 10);
    /* retakes with a zero score would drag sch00's grade-5 mean down and flag it */
    rows(model_find_proc(&M, 2024, "VPR", "math", 5), 0, 30, 0, MODEL_RETAKE);
    rows(model_find_proc(&M, 2024, "VPR", "math", 5), 0, 30, 0, MODEL_ABSENT);
    model_finish(&M);
    json_t *signs = json_object();
    msk_err e;
    assert_int_equal(obj_cohort_jump(&M, 2024, NULL, signs, &e), 0);
    assert_int_equal(json_object_size(signs), 1);
    json_t *a = signs_of(signs, "sch09");
    assert_non_null(a);
    assert_int_equal(json_array_size(a), 1);
    json_t *o = json_array_get(a, 0);
    assert_string_equal(json_string_value(json_object_get(o, "sign")), "cohort_jump");
    assert_string_equal(json_string_value(json_object_get(o, "kind")), "VPR");
    assert_string_equal(json_string_value(json_object_get(o, "subject")), "math");
    assert_int_equal(json_integer_value(json_object_get(o, "grade")), 5);
    assert_string_equal(json_string_value(json_object_get(o, "direction")), "fall");
    assert_near(json_real_value(json_object_get(o, "value")), 2.0, 1e-4);
    assert_near(json_real_value(json_object_get(o, "threshold")), 1.4, 1e-4);
    assert_near(json_real_value(json_object_get(o, "q1")), 1.0, 1e-4);
    assert_near(json_real_value(json_object_get(o, "q3")), 1.1, 1e-4);
    assert_near(json_real_value(json_object_get(o, "iqr")), 0.1, 1e-4);
    assert_near(json_real_value(json_object_get(o, "s_prev")), 1.0, 1e-4);
    assert_near(json_real_value(json_object_get(o, "s_cur")), 0.5, 1e-4);
    const char *t = json_string_value(json_object_get(o, "text"));
    assert_non_null(strstr(t, "100,0 %"));
    assert_non_null(strstr(t, "50,0 %"));
    assert_non_null(strstr(t, "K = 2,00"));
    assert_non_null(strstr(t, "границы 1,40"));
    assert_non_null(strstr(t, "резкое падение результатов при переходе в 5 класс"));
    assert_non_null(strstr(t, "завышен результат прошлого года, в младшем классе"));
    assert_null(signs_of(signs, "sch08"));
    json_decref(signs);

    /* k = 10 in the INI: the fence is 2.1 and nobody is flagged */
    meth_file *f = ini("[cohort_jump]\niqr_factor = 10\n");
    signs = json_object();
    assert_int_equal(obj_cohort_jump(&M, 2024, f, signs, &e), 0);
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    meth_free(f);
    /* an unknown key is an error */
    f = ini("[cohort_jump]\nfactor = 10\n");
    signs = json_object();
    assert_int_equal(obj_cohort_jump(&M, 2024, f, signs, &e), -1);
    assert_non_null(strstr(e.msg, "неизвестный ключ «factor»"));
    json_decref(signs);
    meth_free(f);
    model_release(&M);
}

static void cohort_rise_flagged(void **state)
{
    (void)state;
    /* sorted: 0.5 0.9 0.95 1 1 1 1.05 1.1 1.1 1.38 → Q1 = 0.9625, Q3 = 1.0875, IQR 0.125,
     * lower fence 0.5875: sch09 (K = 0.5) rose sharply; upper 1.4625 leaves 1.38 alone */
    double k[] = {0.9, 0.95, 1.0, 1.0, 1.0, 1.05, 1.1, 1.1, 1.38, 0.5};
    cohort_model(k, 10);
    model_finish(&M);
    json_t *signs = json_object();
    msk_err e;
    assert_int_equal(obj_cohort_jump(&M, 2024, NULL, signs, &e), 0);
    assert_int_equal(json_object_size(signs), 1);
    json_t *o = json_array_get(signs_of(signs, "sch09"), 0);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "direction")), "rise");
    const char *t = json_string_value(json_object_get(o, "text"));
    assert_non_null(strstr(t, "ниже нижней границы"));
    assert_non_null(strstr(t, "резкое повышение результатов при переходе в 5 класс"));
    assert_non_null(strstr(t, "завышен результат этого года, в старшем классе"));
    assert_near(json_real_value(json_object_get(o, "threshold")), 0.5875, 1e-4);
    assert_near(json_real_value(json_object_get(o, "q1")), 0.9625, 1e-4);
    assert_near(json_real_value(json_object_get(o, "q3")), 1.0875, 1e-4);
    json_decref(signs);
    model_release(&M);
}

static void cohort_fewer_than_four_schools_nothing(void **state)
{
    (void)state;
    /* with 4 schools and k = 3 the largest K can never cross the fence (max − Q3 = 0.75·(x4 −
     * x3) ≤ 3·IQR), so k = 1 here: 1 1 1 5 → Q1 = 1, Q3 = 2, IQR 1, fence 3 < 5 */
    double k[] = {1.0, 1.0, 1.0, 5.0};
    meth_file *f = ini("[cohort_jump]\niqr_factor = 1\n");
    cohort_model(k, 4);
    model_finish(&M);
    json_t *signs = json_object();
    msk_err e;
    assert_int_equal(obj_cohort_jump(&M, 2024, f, signs, &e), 0);
    assert_non_null(signs_of(signs, "sch03"));
    json_decref(signs);
    model_release(&M);
    /* … with one school below min_participants (4 pupils < 5) only 3 remain: nothing */
    model_init(&M, 2023, 2024);
    npupil = 0;
    int32_t p4 = model_add_proc(&M, 2023, "VPR", "math", 4, 20, 6, 10, 15, -1);
    int32_t p5 = model_add_proc(&M, 2024, "VPR", "math", 5, 20, 7, 11, 15, -1);
    for (int i = 0; i < 4; i++) {
        char code[16];
        snprintf(code, sizeof code, "sch%02d", i);
        int32_t s = model_add_school(&M, code, "sosh", "urban");
        rows(p4, s, i == 0 ? 4 : 10, 10.0 * k[i], 0);
        rows(p5, s, 10, 10.0, 0);
    }
    model_finish(&M);
    signs = json_object();
    assert_int_equal(obj_cohort_jump(&M, 2024, f, signs, &e), 0);
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    model_release(&M);
    meth_free(f);
    /* three schools outright (1 1 5): nothing, even with k = 0.5, whose fence 4 the 5 would
     * cross if quartiles of 3 schools were used */
    f = ini("[cohort_jump]\niqr_factor = 0.5\n");
    cohort_model(k + 1, 3);
    model_finish(&M);
    signs = json_object();
    assert_int_equal(obj_cohort_jump(&M, 2024, f, signs, &e), 0);
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    meth_free(f);
    model_release(&M);
}

/* ---- sign 4: boundary peaks ---- */

/* A smooth school histogram over scores 0..20 (49 pupils); the «3» cut-off of ВПР math 4 is 6. */
static const int BG[21] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4, 4, 4, 4, 3, 3, 2, 2, 1, 1, 1, 0};

static void hist_rows(int32_t proc, int32_t s, const int *h, unsigned flags)
{
    for (int x = 0; x <= 20; x++)
        rows(proc, s, h[x], x, flags);
}

/* Ten smooth schools sch00..sch09 plus sch10 with histogram h10. */
static int32_t peaks_model(const int *h10)
{
    model_init(&M, 2024, 2024);
    npupil = 0;
    int32_t p = model_add_proc(&M, 2024, "VPR", "math", 4, 20, 6, 10, 15, -1);
    for (int i = 0; i <= 10; i++) {
        char code[16];
        snprintf(code, sizeof code, "sch%02d", i);
        int32_t s = model_add_school(&M, code, "sosh", "urban");
        hist_rows(p, s, i < 10 ? BG : h10, 0);
    }
    return p;
}

static void binomial_tail_known_values(void **state)
{
    (void)state;
    /* P(X ≥ 3), n = 10, p = 0.2: 1 − (0.8^10 + 10·0.2·0.8^9 + 45·0.04·0.8^8)
     * = 1 − (0.1073741824 + 0.268435456 + 0.301989888) = 0.3222004736 */
    assert_near(peaks_binom_tail(10, 3, 0.2), 0.3222004736, 1e-9);
    /* P(X ≥ 10) = 0.2^10 = 1.024e-7 */
    assert_near(peaks_binom_tail(10, 10, 0.2), 1.024e-7, 1e-15);
    assert_near(peaks_binom_tail(10, 0, 0.2), 1.0, 1e-12);
    assert_near(peaks_binom_tail(10, 11, 0.2), 0.0, 1e-12);
    assert_near(peaks_binom_tail(10, 1, 0.0), 0.0, 1e-12);
    /* no underflow midway: P(X ≥ 1000), n = 1000, p = 0.5 is 2^−1000 ≈ 9.33e−302 */
    double t = peaks_binom_tail(1000, 1000, 0.5);
    assert_true(t > 0);
    assert_near(t / ldexp(1.0, -1000), 1.0, 1e-9);
    /* a big school's tail near the mean stays a proper probability */
    double mid = peaks_binom_tail(5000, 2500, 0.5);
    assert_true(mid > 0.5 && mid < 0.52);
}

static void spike_at_cut3_flagged(void **state)
{
    (void)state;
    /* sch10 = 2·BG with 4 pupils from score 4 and 5 from score 5 moved onto 6 (the «3» cut):
     * 15 pupils at 6 where the smooth shape expects about 6 of 98 */
    int h[21];
    for (int x = 0; x <= 20; x++)
        h[x] = 2 * BG[x];
    h[4] -= 4;
    h[5] -= 5;
    h[6] += 9;
    int32_t p = peaks_model(h);
    /* retakes piled on 6 at sch00 would flag it if they counted */
    rows(p, 0, 40, 6, MODEL_RETAKE);
    rows(p, 0, 40, 6, MODEL_PAST_GRADUATE);
    model_finish(&M);
    json_t *signs = json_object();
    msk_err e;
    assert_int_equal(obj_boundary_peaks(&M, 2024, NULL, signs, &e), 0);
    assert_int_equal(json_object_size(signs), 1);
    json_t *a = signs_of(signs, "sch10");
    assert_non_null(a);
    assert_int_equal(json_array_size(a), 1);
    json_t *o = json_array_get(a, 0);
    assert_string_equal(json_string_value(json_object_get(o, "sign")), "boundary_peaks");
    assert_int_equal(json_integer_value(json_object_get(o, "grade")), 4);
    assert_int_equal(json_integer_value(json_object_get(o, "cut")), 6);
    assert_int_equal(json_integer_value(json_object_get(o, "mark")), 3);
    assert_int_equal(json_integer_value(json_object_get(o, "observed")), 15);
    assert_int_equal(json_integer_value(json_object_get(o, "participants")), 98);
    /* the window [4, 6] holds 0 + 1 + 15 = 16 of sch10's works; 15 of them sit on 6 */
    assert_int_equal(json_integer_value(json_object_get(o, "window_works")), 16);
    assert_near(json_real_value(json_object_get(o, "value")), 15.0 / 16, 1e-4);
    double q = json_real_value(json_object_get(o, "threshold"));
    double expd = json_real_value(json_object_get(o, "expected"));
    /* the smooth shape rises through 4, 5, 6: a bit over a third of the window sits on 6 */
    assert_true(q > 0.33 && q < 0.5);
    assert_near(expd, 16 * q, 1e-2);
    double pv = json_real_value(json_object_get(o, "p_value"));
    assert_true(pv > 0 && pv < 0.001);
    assert_near(pv, peaks_binom_tail(16, 15, q), 0.05 * pv); /* q is rounded to 4 places */
    /* the decision: both cut-offs of the school together (6 and 10), one test */
    json_t *tot = json_object_get(o, "school_total");
    assert_int_equal(json_integer_value(json_object_get(tot, "tests")), 2);
    assert_true(json_integer_value(json_object_get(tot, "observed")) > 15);
    assert_true(json_real_value(json_object_get(tot, "p_value")) < 0.01);
    const char *t = json_string_value(json_object_get(o, "text"));
    assert_non_null(strstr(t, "ВПР, математика, 4 класс, 2024"));
    assert_non_null(strstr(t, "из 16 работ с первичным баллом от 4 до 6"));
    assert_non_null(strstr(t, "ровно 6 баллов"));
    assert_non_null(strstr(t, "отметки «3»"));
    assert_non_null(strstr(t, "у 15 (93,8 %)"));
    assert_non_null(strstr(t, "По всем проверенным границам отметок школы (2)"));
    json_decref(signs);

    /* marks = 4 only: the «3» spike is not looked at */
    meth_file *f = ini("[boundary_peaks]\nmarks = 4\n");
    signs = json_object();
    assert_int_equal(obj_boundary_peaks(&M, 2024, f, signs, &e), 0);
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    meth_free(f);
    /* a malformed mark is an error */
    f = ini("[boundary_peaks]\nmarks = 5\n");
    signs = json_object();
    assert_int_equal(obj_boundary_peaks(&M, 2024, f, signs, &e), -1);
    assert_non_null(strstr(e.msg, "marks"));
    json_decref(signs);
    meth_free(f);
    model_release(&M);
}

static void spike_smoothed_not_flagged(void **state)
{
    (void)state;
    /* the same 98 pupils of sch10, the 9 extra ones spread over 5..9 instead of piled on 6 */
    int h[21];
    for (int x = 0; x <= 20; x++)
        h[x] = 2 * BG[x];
    h[4] -= 4;
    h[5] -= 5;
    h[5] += 2;
    h[6] += 2;
    h[7] += 2;
    h[8] += 2;
    h[9] += 1;
    peaks_model(h);
    model_finish(&M);
    json_t *signs = json_object();
    msk_err e;
    assert_int_equal(obj_boundary_peaks(&M, 2024, NULL, signs, &e), 0);
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    model_release(&M);
}

static void excess_without_significance_not_flagged(void **state)
{
    (void)state;
    /* sch11: 20 pupils; the windows [4, 6] and [8, 10] hold 3 and 6 of its works, 3 + 2 of
     * them on the cut-offs where about 1.1 + 2 are expected: an excess of about a fifth of the
     * window works (≥ min_excess 5 %), but P(X ≥ 5) ≈ 0.2 — chance, not a sign (alpha 0.01) */
    static const int h11[21] = {0, 0, 1, 1, 0, 0, 3, 2, 2, 2, 2, 2, 2, 1, 0, 1, 0, 1, 0, 0, 0};
    int32_t p = peaks_model(BG);
    hist_rows(p, model_add_school(&M, "sch11", "sosh", "urban"), h11, 0);
    model_finish(&M);
    json_t *signs = json_object();
    msk_err e;
    assert_int_equal(obj_boundary_peaks(&M, 2024, NULL, signs, &e), 0);
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    meth_file *f = ini("[boundary_peaks]\nalpha = 0.5\n");
    signs = json_object();
    assert_int_equal(obj_boundary_peaks(&M, 2024, f, signs, &e), 0);
    assert_non_null(signs_of(signs, "sch11"));
    json_decref(signs);
    meth_free(f);
    model_release(&M);
}

static void significance_without_excess_not_flagged(void **state)
{
    (void)state;
    /* sch11: 3920 pupils (80·BG), 60 moved from 4 and 5 onto 6. Its windows [4, 6] and
     * [8, 10] hold 640 + 960 works, and 60 is under 4 % of them (< min_excess 5 %), though
     * with so many works p ≈ 0.001 < 0.01: significance alone would flag a big school for a
     * tiny excess */
    int h[21];
    for (int x = 0; x <= 20; x++)
        h[x] = 80 * BG[x];
    h[4] -= 30;
    h[5] -= 30;
    h[6] += 60;
    int32_t p = peaks_model(BG);
    hist_rows(p, model_add_school(&M, "sch11", "sosh", "urban"), h, 0);
    model_finish(&M);
    json_t *signs = json_object();
    msk_err e;
    assert_int_equal(obj_boundary_peaks(&M, 2024, NULL, signs, &e), 0);
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    meth_file *f = ini("[boundary_peaks]\nmin_excess = 0.02\n");
    signs = json_object();
    assert_int_equal(obj_boundary_peaks(&M, 2024, f, signs, &e), 0);
    json_t *o = json_array_get(signs_of(signs, "sch11"), 0);
    assert_non_null(o);
    json_t *tot = json_object_get(o, "school_total");
    double ex = ((double)json_integer_value(json_object_get(tot, "observed")) -
                 json_real_value(json_object_get(tot, "expected"))) /
                (double)json_integer_value(json_object_get(tot, "window_works"));
    assert_true(json_real_value(json_object_get(tot, "p_value")) < 0.01);
    assert_true(ex > 0.02 && ex < 0.05);
    json_decref(signs);
    meth_free(f);
    model_release(&M);
}

static void small_school_not_flagged(void **state)
{
    (void)state;
    /* 12 pupils, 6 of them exactly on the cut: a huge excess, but 12 < 15 participants */
    int h[21] = {0};
    h[2] = 1;
    h[6] = 6;
    h[8] = 2;
    h[10] = 2;
    h[13] = 1;
    peaks_model(h);
    model_finish(&M);
    json_t *signs = json_object();
    msk_err e;
    assert_int_equal(obj_boundary_peaks(&M, 2024, NULL, signs, &e), 0);
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    /* min_participants = 10 in the INI: the same school is flagged */
    meth_file *f = ini("[boundary_peaks]\nmin_participants = 10\n");
    signs = json_object();
    assert_int_equal(obj_boundary_peaks(&M, 2024, f, signs, &e), 0);
    assert_non_null(signs_of(signs, "sch10"));
    assert_int_equal(json_object_size(signs), 1);
    json_decref(signs);
    meth_free(f);
    model_release(&M);
}

static void small_peaks_at_every_cut_flagged_together(void **state)
{
    (void)state;
    /* sch10 = 2·BG with a few works pulled up at both cut-offs: [4, 6] 4 6 6 → 2 4 10 and
     * [8, 10] 8 8 8 → 5 6 13. Neither peak is significant by itself (p ≈ 0.02 and 0.04), but
     * generous checking is the school's practice and shows at every cut-off: the two counts
     * together, 23 of 40 where about 14 are expected, are (p < 0.01) */
    int h[21];
    for (int x = 0; x <= 20; x++)
        h[x] = 2 * BG[x];
    h[4] -= 2;
    h[5] -= 2;
    h[6] += 4;
    h[8] -= 3;
    h[9] -= 2;
    h[10] += 5;
    peaks_model(h);
    model_finish(&M);
    json_t *signs = json_object();
    msk_err e;
    assert_int_equal(obj_boundary_peaks(&M, 2024, NULL, signs, &e), 0);
    assert_int_equal(json_object_size(signs), 1);
    json_t *a = signs_of(signs, "sch10");
    assert_int_equal(json_array_size(a), 2);
    for (size_t i = 0; i < 2; i++) {
        json_t *o = json_array_get(a, i);
        assert_int_equal(json_integer_value(json_object_get(o, "cut")), i ? 10 : 6);
        assert_true(json_real_value(json_object_get(o, "p_value")) > 0.01);
        json_t *tot = json_object_get(o, "school_total");
        assert_int_equal(json_integer_value(json_object_get(tot, "observed")), 23);
        assert_int_equal(json_integer_value(json_object_get(tot, "window_works")), 40);
        assert_true(json_real_value(json_object_get(tot, "p_value")) < 0.01);
    }
    json_decref(signs);
    model_release(&M);
}

static void strong_school_rising_through_window_not_flagged(void **state)
{
    (void)state;
    /* sch11 is a big strong school with no manipulation (3 × the histogram below, 1998
     * pupils): its own distribution rises steeply through the «4» window [8, 10] (36 54 72),
     * so 72 of its 162 window works sit on 10 where a flat curve expects a third — by itself
     * P(X ≥ 72 | 162, 1/3) < 0.01. Its slope outside the window (bins 4–7 and 11–16) tilts
     * the municipal curve for it, the expectation becomes its own, and no sign is raised. */
    static const int strong[21] = {0,  0,  0,  0,  3,  3,  6,  9,  12, 18, 24,
                                   33, 45, 57, 72, 84, 90, 84, 66, 42, 18};
    assert_true(peaks_binom_tail(162, 72, 1.0 / 3) < 0.01);
    int32_t p = peaks_model(BG);
    for (int i = 0; i < 20; i++) {
        char code[16];
        snprintf(code, sizeof code, "bg%02d", i);
        int32_t s = model_add_school(&M, code, "sosh", "urban");
        for (int k = 0; k < 4; k++)
            hist_rows(p, s, BG, 0);
    }
    int32_t s11 = model_add_school(&M, "sch11", "gymnasium", "urban");
    for (int k = 0; k < 3; k++)
        hist_rows(p, s11, strong, 0);
    model_finish(&M);
    json_t *signs = json_object();
    msk_err e;
    assert_int_equal(obj_boundary_peaks(&M, 2024, NULL, signs, &e), 0);
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    model_release(&M);
}

static void tilt_is_the_school_slope(void **state)
{
    (void)state;
    /* against a flat curve over 0..12 with the window [4, 6] around c = 6: a flat school has
     * no tilt, a school doubling every score has b = ln 2, a halving one −ln 2 */
    double fit[13];
    int flat[13], up[13], down[13];
    for (int x = 0; x <= 12; x++) {
        fit[x] = 10;
        flat[x] = 5;
        up[x] = 1 << x;
        down[x] = 1 << (12 - x);
    }
    assert_near(peaks_tilt(flat, fit, 0, 12, 6, 4, 6), 0, 1e-9);
    assert_near(peaks_tilt(up, fit, 0, 12, 6, 4, 6), log(2.0), 1e-6);
    assert_near(peaks_tilt(down, fit, 0, 12, 6, 4, 6), -log(2.0), 1e-6);
    /* no works outside the window: no tilt */
    int none[13] = {0};
    none[5] = 4;
    assert_near(peaks_tilt(none, fit, 0, 12, 6, 4, 6), 0, 1e-12);
}

static void too_few_bins_outside_window_skipped(void **state)
{
    (void)state;
    /* fit_range 3 leaves bins 3, 7, 8, 9 outside [4, 6]: 4 < degree 3 + 2, the cut is skipped
     * even though sch10 has the spike */
    int h[21];
    for (int x = 0; x <= 20; x++)
        h[x] = 2 * BG[x];
    h[4] -= 4;
    h[5] -= 5;
    h[6] += 9;
    peaks_model(h);
    model_finish(&M);
    meth_file *f = ini("[boundary_peaks]\nfit_range = 3\n");
    json_t *signs = json_object();
    msk_err e;
    assert_int_equal(obj_boundary_peaks(&M, 2024, f, signs, &e), 0);
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    meth_free(f);
    /* degree 2 needs 4 bins: now it is fitted and the spike is found */
    f = ini("[boundary_peaks]\nfit_range = 3\ndegree = 2\n");
    signs = json_object();
    assert_int_equal(obj_boundary_peaks(&M, 2024, f, signs, &e), 0);
    assert_non_null(signs_of(signs, "sch10"));
    json_decref(signs);
    meth_free(f);
    model_release(&M);
}

static void preset_equals_defaults(void **state)
{
    (void)state;
    char path[1024];
    const char *root = getenv("MSOKO_ROOT");
    snprintf(path, sizeof path, "%s/methods/objectivity.ini", root ? root : ".");
    meth_file *f = NULL;
    msk_err e;
    if (engine_meth_load(path, &f, &e))
        fail_msg("%s: %s", path, e.msg);
    cohort_cfg a, b;
    peaks_cfg c, d;
    assert_int_equal(cohort_read_cfg(f, &a, &e), 0);
    assert_int_equal(cohort_read_cfg(NULL, &b, &e), 0);
    assert_memory_equal(&a, &b, sizeof a);
    assert_int_equal(peaks_read_cfg(f, &c, &e), 0);
    assert_int_equal(peaks_read_cfg(NULL, &d, &e), 0);
    assert_memory_equal(&c, &d, sizeof c);
    meth_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quartiles_type7_known_set),
        cmocka_unit_test(cohort_fall_flagged_inside_fence_not),
        cmocka_unit_test(cohort_rise_flagged),
        cmocka_unit_test(cohort_fewer_than_four_schools_nothing),
        cmocka_unit_test(binomial_tail_known_values),
        cmocka_unit_test(spike_at_cut3_flagged),
        cmocka_unit_test(spike_smoothed_not_flagged),
        cmocka_unit_test(excess_without_significance_not_flagged),
        cmocka_unit_test(significance_without_excess_not_flagged),
        cmocka_unit_test(small_school_not_flagged),
        cmocka_unit_test(small_peaks_at_every_cut_flagged_together),
        cmocka_unit_test(strong_school_rising_through_window_not_flagged),
        cmocka_unit_test(tilt_is_the_school_slope),
        cmocka_unit_test(too_few_bins_outside_window_skipped),
        cmocka_unit_test(preset_equals_defaults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
