/*
 * Unit tests of the task-score signs of non-objective results (src/method/obj_profile.c,
 * obj_copies.c) on small hand-built models: a school solving the tasks in reverse order of
 * difficulty (r_s = −1, the bound from the median), the max_drop boundary, a small school,
 * a model without task bytes; identical works against the Poisson expectation computed by hand,
 * trivial vectors left out, X distinct from 0. The .c files are included to reach their statics.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/method/obj_copies.c"
#include "../../src/method/obj_profile.c"
#include "../../src/method/obj_risefall.c"
#include "engine/methfile.h"
#include "method/objectivity.h"

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
    if (!text)
        return NULL;
    if (meth_load_str("t.ini", text, &f, &e))
        fail_msg("ini: %s", e.msg);
    return f;
}

static json_t *run(int (*fn)(const model *, int, const meth_file *, json_t *, msk_err *),
                   const char *text)
{
    meth_file *f = ini(text);
    json_t *signs = json_object();
    msk_err e;
    msk_err_clear(&e);
    if (fn(&M, 2024, f, signs, &e))
        fail_msg("sign: %s", e.msg);
    meth_free(f);
    return signs;
}

static double num(json_t *o, const char *k)
{
    return json_number_value(json_object_get(o, k));
}

/* A ВПР procedure of 2024 with nt tasks of maximum tmax each. */
static int32_t proc(int grade, int nt, int tmax)
{
    int32_t p = model_add_proc(&M, 2024, "VPR", "math", grade, nt * tmax, NAN, NAN, NAN, -1);
    M.procs[p].ntasks = nt;
    for (int t = 0; t < nt; t++)
        M.procs[p].task_max[t] = tmax;
    return p;
}

static void work(int32_t p, int32_t s, const uint8_t *t, int nt, unsigned flags)
{
    char code[32];
    double sum = 0;
    snprintf(code, sizeof code, "p%d", npupil++);
    for (int k = 0; k < nt; k++)
        sum += t[k] == MODEL_TASK_X ? 0 : t[k];
    model_add_result(&M, p, s, model_pupil(&M, s, code), sum, 0, -1, 0, flags, t, nt);
}

/* ---- sign 6: the difficulty profile ---- */

/* Eight one-point tasks, n pupils a school. Schools sch1 and sch3 solve task t by 10 − t of 10
 * pupils (rates 1.0 … 0.3, the municipal order); sch2 by 3 + t (0.3 … 1.0, reversed).
 * Municipal rates (23 − t)/30 fall with t, so r_s = 1, −1, 1; median 1, bound max(0, 1 − 0.5). */
static void profile_model(int n2)
{
    model_init(&M, 2023, 2024);
    npupil = 0;
    int32_t s1 = model_add_school(&M, "sch1", "sosh", "urban");
    int32_t s2 = model_add_school(&M, "sch2", "sosh", "urban");
    int32_t s3 = model_add_school(&M, "sch3", "sosh", "urban");
    int32_t p = proc(5, 8, 1);
    for (int i = 0; i < 10; i++) {
        uint8_t a[8], b[8];
        for (int t = 0; t < 8; t++) {
            a[t] = i < 10 - t; /* task t solved by pupils 0 … 9 − t */
            b[t] = i >= 7 - t; /* task t solved by pupils 7 − t … 9: 3 + t of them */
        }
        work(p, s1, a, 8, 0);
        work(p, s3, a, 8, 0);
        if (i < n2)
            work(p, s2, b, 8, 0);
    }
    /* an absent pupil's row is not the school's work */
    uint8_t z[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    work(p, s2, z, 8, MODEL_ABSENT);
    model_finish(&M);
}

static void profile_reversed_flagged(void **state)
{
    (void)state;
    profile_model(10);
    json_t *signs = run(obj_profile_inversion, NULL);
    assert_int_equal(json_object_size(signs), 1);
    json_t *a = json_object_get(signs, "sch2");
    assert_int_equal(json_array_size(a), 1);
    json_t *o = json_array_get(a, 0);
    assert_string_equal(json_string_value(json_object_get(o, "sign")), "profile_inversion");
    assert_near(num(o, "value"), -1, 1e-9);
    assert_near(num(o, "threshold"), 0.5, 1e-9);
    assert_near(num(o, "median"), 1, 1e-9);
    assert_int_equal((int)num(o, "participants"), 10);
    assert_int_equal((int)num(o, "tasks"), 8);
    /* hardest for the municipality: tasks 5, 6, 7 (18, 17, 16 of 30 → 17/30); sch2 solved
     * them by 8, 9, 10 of 10 (0.9); easiest 0, 1, 2: 22/30 and 0.4 */
    assert_near(num(o, "hard_municipality"), 0.5667, 1e-4);
    assert_near(num(o, "hard_school"), 0.9, 1e-9);
    assert_near(num(o, "easy_municipality"), 0.7333, 1e-4);
    assert_near(num(o, "easy_school"), 0.4, 1e-9);
    const char *text = json_string_value(json_object_get(o, "text"));
    assert_non_null(strstr(text, "r = -1,00"));
    assert_non_null(strstr(text, "на 90,0 %"));
    json_decref(signs);
    model_release(&M);
}

static void profile_bounds_from_ini(void **state)
{
    (void)state;
    profile_model(10);
    /* bound = max(threshold −1, median 1 − max_drop 2) = −1: r_s = −1 is not below it */
    json_t *signs = run(obj_profile_inversion, "[profile_inversion]\nthreshold = -1\n"
                                               "max_drop = 2\n");
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    /* max_drop 1.99: bound −0.99, r_s = −1 is below */
    signs = run(obj_profile_inversion, "[profile_inversion]\nthreshold = -1\nmax_drop = 1.99\n");
    assert_non_null(json_object_get(signs, "sch2"));
    json_decref(signs);
    /* min_tasks 9 > 8 tasks: the procedure is not ranked */
    signs = run(obj_profile_inversion, "[profile_inversion]\nmin_tasks = 9\n");
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    model_release(&M);
}

static void profile_small_school_not_evaluated(void **state)
{
    (void)state;
    profile_model(9); /* sch2 has 9 pupils < min_participants 10 */
    json_t *signs = run(obj_profile_inversion, NULL);
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    signs = run(obj_profile_inversion, "[profile_inversion]\nmin_participants = 9\n");
    assert_non_null(json_object_get(signs, "sch2"));
    json_decref(signs);
    model_release(&M);
}

static void profile_without_task_bytes_nothing(void **state)
{
    (void)state;
    profile_model(10);
    /* as a model loaded with MODEL_LOAD_NO_TASKS: rows carry no task bytes */
    for (size_t i = 0; i < M.res.n; i++)
        M.res.ntask[i] = 0;
    json_t *signs = run(obj_profile_inversion, NULL);
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    signs = run(obj_identical_tasks, NULL);
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    model_release(&M);
}

static void profile_bad_settings(void **state)
{
    (void)state;
    profile_model(10);
    meth_file *f = ini("[profile_inversion]\nmax_drop = 0\n");
    json_t *signs = json_object();
    msk_err e;
    assert_int_equal(obj_profile_inversion(&M, 2024, f, signs, &e), -1);
    assert_non_null(strstr(e.msg, "max_drop больше 0"));
    meth_free(f);
    f = ini("[profile_inversion]\nprocedures = VPR:math\n");
    assert_int_equal(obj_profile_inversion(&M, 2024, f, signs, &e), -1);
    assert_non_null(strstr(e.msg, "не понято"));
    meth_free(f);
    json_decref(signs);
    model_release(&M);
}

/* ---- sign 7: identical works ---- */

/* The k-th distinct non-trivial vector of 4 tasks of maximum 2: k + 1 in base 3. The tests use
 * k < 6 and 20 ≤ k < 30, so never (0,0,0,0) = 0, (2,2,2,2) = 80 nor V = (1,2,0,1) = 34. */
static void distinct(int k, uint8_t *v)
{
    int x = k + 1; /* skip 0000 */
    for (int t = 0; t < 4; t++) {
        v[t] = (uint8_t)(x % 3);
        x /= 3;
    }
}

/* sch1: 4 pupils with V = (1, 2, 0, 1), 6 distinct; sch2: `copy_in_other` pupils with V and
 * 10 − that distinct ones (none equal to sch1's: k from 20). */
static const uint8_t V[4] = {1, 2, 0, 1};

static void copies_model(int copy_in_other, const uint8_t *trivial)
{
    model_init(&M, 2023, 2024);
    npupil = 0;
    int32_t s1 = model_add_school(&M, "sch1", "sosh", "urban");
    int32_t s2 = model_add_school(&M, "sch2", "sosh", "urban");
    int32_t p = proc(6, 4, 2);
    uint8_t v[4];
    for (int i = 0; i < 4; i++)
        work(p, s1, trivial ? trivial : V, 4, 0);
    for (int i = 0; i < 6; i++) {
        distinct(i, v);
        work(p, s1, v, 4, 0);
    }
    for (int i = 0; i < 10; i++) {
        distinct(20 + i, v);
        work(p, s2, i < copy_in_other ? V : v, 4, 0);
    }
    model_finish(&M);
}

/* copies_model with the same works in nproc procedures (grades 6, 7, …): sch1's copies are
 * found in each. */
static void copies_model_n(int nproc)
{
    model_init(&M, 2023, 2024);
    npupil = 0;
    int32_t s1 = model_add_school(&M, "sch1", "sosh", "urban");
    int32_t s2 = model_add_school(&M, "sch2", "sosh", "urban");
    uint8_t v[4];
    for (int k = 0; k < nproc; k++) {
        int32_t p = proc(6 + k, 4, 2);
        for (int i = 0; i < 4; i++)
            work(p, s1, V, 4, 0);
        for (int i = 0; i < 6; i++) {
            distinct(i, v);
            work(p, s1, v, 4, 0);
        }
        for (int i = 0; i < 10; i++) {
            distinct(20 + i, v);
            work(p, s2, v, 4, 0);
        }
    }
    model_finish(&M);
}

static size_t listed_count(const char *text)
{
    meth_file *f = ini(text);
    json_t *list = NULL;
    double idx = 0;
    msk_err e;
    msk_err_clear(&e);
    if (objectivity_run(&M, 2024, f, &list, &idx, NULL, &e))
        fail_msg("objectivity_run: %s", e.msg);
    size_t n = json_array_size(list);
    json_decref(list);
    meth_free(f);
    return n;
}

/* [identical_tasks] alone_procedures: copied works list a school by themselves (alone_signs)
 * only when found in that many procedures; as one of min_signs signs one procedure is enough. */
static void copies_alone_needs_procedures(void **state)
{
    (void)state;
    static const char *const RULE = "[objectivity]\nmin_signs = 2\nalone_signs = identical_tasks\n";
    char two[256];
    snprintf(two, sizeof two, "%s[identical_tasks]\nalone_procedures = 2\n", RULE);
    copies_model_n(1);
    assert_int_equal(listed_count(RULE), 1); /* default: one procedure */
    assert_int_equal(listed_count(two), 0);  /* one procedure of the two asked */
    model_release(&M);
    copies_model_n(2);
    assert_int_equal(listed_count(two), 1);
    model_release(&M);
    /* bad values: below 1; the key in a section that does not allow it */
    copies_model_n(1);
    meth_file *f = ini("[objectivity]\nalone_signs = identical_tasks\n"
                       "[identical_tasks]\nalone_procedures = 0\n");
    json_t *list = NULL;
    double idx = 0;
    msk_err e;
    assert_int_equal(objectivity_run(&M, 2024, f, &list, &idx, NULL, &e), -1);
    assert_non_null(strstr(e.msg, "alone_procedures: не меньше 1"));
    meth_free(f);
    f = ini("[objectivity]\nalone_signs = medal\n[medal]\nalone_procedures = 2\n");
    assert_int_equal(objectivity_run(&M, 2024, f, &list, &idx, NULL, &e), -1);
    assert_non_null(strstr(e.msg, "alone_procedures"));
    meth_free(f);
    model_release(&M);
}

static void poisson_tail_known_values(void **state)
{
    (void)state;
    /* 1 − Σ_{k<6} e^−1.8 1.8^k / k! and 1 − e^−2 (1 + 2 + 2) */
    assert_near(copy_poisson_tail(6, 1.8), 0.010378036866159457, 1e-12);
    assert_near(copy_poisson_tail(3, 2.0), 0.3233235838169365, 1e-12);
    assert_near(copy_poisson_tail(0, 5.0), 1, 0);
    assert_near(copy_poisson_tail(1, 0), 0, 0);
}

static void copies_unexpected_flagged(void **state)
{
    (void)state;
    copies_model(0, NULL);
    /* V is nowhere outside sch1: λ = 0, 6 pairs, p = 0 */
    json_t *signs = run(obj_identical_tasks, NULL);
    assert_int_equal(json_object_size(signs), 1);
    json_t *a = json_object_get(signs, "sch1");
    assert_int_equal(json_array_size(a), 1);
    json_t *o = json_array_get(a, 0);
    assert_string_equal(json_string_value(json_object_get(o, "sign")), "identical_tasks");
    assert_int_equal((int)num(o, "pupils"), 4);
    assert_int_equal((int)num(o, "pairs"), 6);
    assert_int_equal((int)num(o, "participants"), 10);
    assert_near(num(o, "value"), 0.4, 1e-9);
    assert_near(num(o, "expected"), 0, 0);
    const char *text = json_string_value(json_object_get(o, "text"));
    assert_non_null(strstr(text, "у 4 из 10 участников (40,0 %)"));
    assert_non_null(strstr(text, "6 совпадающих пар"));
    json_decref(signs);
    model_release(&M);
}

static void copies_expected_from_municipality(void **state)
{
    (void)state;
    /* one sch2 pupil has V (total 4). The null is given the total: sch1 has 4 pupils of total
     * 4 (its 6 others total 1–3), sch2 has 3 (V, (1,1,2,0), (0,2,2,0)), so f(V) = 1/3 and
     * λ = ½·4·(4 − 1)·(1/3) = 2, P(X ≥ 6) = 0.0166: not below alpha 0.001, below 0.05 */
    copies_model(1, NULL);
    json_t *signs = run(obj_identical_tasks, NULL);
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    signs = run(obj_identical_tasks, "[identical_tasks]\nalpha = 0.05\n");
    json_t *o = json_array_get(json_object_get(signs, "sch1"), 0);
    assert_non_null(o);
    assert_near(num(o, "expected"), 2, 1e-9);
    assert_near(num(o, "p_value"), 0.016563608480614334, 1e-9);
    /* sch2: its V pupil has no twin inside sch2 (no pairs) */
    assert_null(json_object_get(signs, "sch2"));
    json_decref(signs);
    /* min_share 0.41 > 4/10, min_pupils 5 > 4: no sign */
    signs = run(obj_identical_tasks, "[identical_tasks]\nalpha = 0.05\nmin_share = 0.41\n");
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    signs = run(obj_identical_tasks, "[identical_tasks]\nalpha = 0.05\nmin_pupils = 5\n");
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    model_release(&M);
}

static void copies_trivial_left_out(void **state)
{
    (void)state;
    static const uint8_t zero[4] = {0, 0, 0, 0}, full[4] = {2, 2, 2, 2};
    static const uint8_t xs[4] = {0, MODEL_TASK_X, 0, 0};
    copies_model(0, zero);
    json_t *signs = run(obj_identical_tasks, NULL);
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    model_release(&M);
    copies_model(0, full);
    signs = run(obj_identical_tasks, NULL);
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    model_release(&M);
    /* (0, X, 0, 0) scores nothing either: trivial, and X counts as 0 */
    copies_model(0, xs);
    signs = run(obj_identical_tasks, NULL);
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    model_release(&M);
}

static void x_differs_from_zero(void **state)
{
    (void)state;
    copies_model(0, NULL);
    /* make two of sch1's four V works (1, 2, X, 1): two pairs of two — 2 pairs, 4 pupils */
    int seen = 0;
    for (size_t i = 0; i < M.res.n && seen < 2; i++) {
        uint8_t *t = M.res.tasks + M.res.task_off[i];
        if (M.res.school[i] == 0 && t[0] == 1 && t[1] == 2 && t[2] == 0 && t[3] == 1) {
            t[2] = MODEL_TASK_X;
            seen++;
        }
    }
    json_t *signs = run(obj_identical_tasks, NULL);
    json_t *o = json_array_get(json_object_get(signs, "sch1"), 0);
    assert_non_null(o);
    assert_int_equal((int)num(o, "pairs"), 2);
    assert_int_equal((int)num(o, "pupils"), 4);
    json_decref(signs);
    model_release(&M);
}

/* ---- sign 8: rise then fall ---- */

/* Five schools, 10 pupils a procedure, all of a school with the same score (max 10): ВПР math
 * 4 in 2022 and 6 in 2024 at 50 % everywhere, 5 in 2023 at 50, 52, 54, 56 and 90 %. Municipal
 * 2023 mean 60.4 %, so the bumps B = S(2023) − (S(2022) + S(2024))/2 are −0.104, −0.084,
 * −0.064, −0.044, 0.296; Q1 = −0.084, Q3 = −0.044 (type 7), fence −0.044 + 3·0.04 = 0.076. */
static void risefall_model(void)
{
    static const double mid[5] = {5, 5.2, 5.4, 5.6, 9};
    model_init(&M, 2022, 2024);
    npupil = 0;
    int32_t p[3];
    for (int k = 0; k < 3; k++)
        p[k] = model_add_proc(&M, 2022 + k, "VPR", "math", 4 + k, 10, NAN, NAN, NAN, -1);
    for (int s = 0; s < 5; s++) {
        char code[16];
        snprintf(code, sizeof code, "sch%d", s);
        int32_t si = model_add_school(&M, code, "sosh", "urban");
        for (int k = 0; k < 3; k++)
            for (int i = 0; i < 10; i++) {
                snprintf(code, sizeof code, "p%d", npupil++);
                model_add_result(&M, p[k], si, model_pupil(&M, si, code), k == 1 ? mid[s] : 5, 0,
                                 -1, 0, 0, NULL, 0);
            }
    }
    model_finish(&M);
}

static void risefall_bump_flagged(void **state)
{
    (void)state;
    risefall_model();
    json_t *signs = run(obj_rise_fall, NULL);
    assert_int_equal(json_object_size(signs), 1);
    json_t *o = json_array_get(json_object_get(signs, "sch4"), 0);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "sign")), "rise_fall");
    assert_near(num(o, "value"), 0.296, 1e-4);
    assert_near(num(o, "threshold"), 0.076, 1e-4);
    assert_near(num(o, "rise"), 0.296, 1e-4);
    assert_near(num(o, "fall"), -0.296, 1e-4);
    assert_int_equal((int)num(o, "grade"), 6);
    assert_int_equal((int)num(o, "year_suspect"), 2023);
    assert_non_null(strstr(json_string_value(json_object_get(o, "text")), "на 90,0 %"));
    json_decref(signs);
    /* the fall takes back exactly the rise: back_share 1.01 asks for more */
    signs = run(obj_rise_fall, "[rise_fall]\nback_share = 1.01\n");
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    /* k = 8: fence −0.044 + 0.32 = 0.276 < 0.296, still flagged; k = 9: 0.316, not */
    signs = run(obj_rise_fall, "[rise_fall]\niqr_factor = 8\n");
    assert_int_equal(json_object_size(signs), 1);
    json_decref(signs);
    signs = run(obj_rise_fall, "[rise_fall]\niqr_factor = 9\n");
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
    /* 11 participants needed: nobody is compared */
    signs = run(obj_rise_fall, "[rise_fall]\nmin_participants = 11\n");
    assert_int_equal(json_object_size(signs), 0);
    json_decref(signs);
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
    prof_cfg a, b;
    copy_cfg c, d;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    memset(&c, 0, sizeof c);
    memset(&d, 0, sizeof d);
    assert_int_equal(prof_read_cfg(f, &a, &e), 0);
    assert_int_equal(prof_read_cfg(NULL, &b, &e), 0);
    assert_memory_equal(&a, &b, sizeof a);
    assert_int_equal(copy_read_cfg(f, &c, &e), 0);
    assert_int_equal(copy_read_cfg(NULL, &d, &e), 0);
    assert_memory_equal(&c, &d, sizeof c);
    rf_cfg g, h;
    assert_int_equal(rf_read_cfg(f, &g, &e), 0);
    assert_int_equal(rf_read_cfg(NULL, &h, &e), 0);
    assert_memory_equal(&g, &h, sizeof g);
    meth_free(f);
}

/* obj_sort_proc_school: the counting passes give the permutation qsort_r gives, for ascending
 * rows of many procedures and schools in no order; rows not ascending go to qsort_r. */
static void sort_proc_school_as_qsort(void **state)
{
    (void)state;
    enum { N = 5000 };
    model m;
    memset(&m, 0, sizeof m);
    int32_t proc[N], school[N];
    m.res.proc = proc, m.res.school = school, m.res.n = N, m.nprocs = 7, m.nschools = 13;
    uint32_t x = 12345;
    for (size_t i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        proc[i] = (int32_t)((x >> 16) % 7);
        school[i] = (int32_t)((x >> 8) % 13);
    }
    size_t a[N], b[N], n = 0;
    for (size_t i = 0; i < N; i++)
        if (i % 3) /* a selection, still ascending */
            a[n] = b[n] = i, n++;
    obj_sort_proc_school(&m, a, n);
    qsort_r(b, n, sizeof *b, obj_cmp_proc_school, &m);
    assert_memory_equal(a, b, n * sizeof *a);
    for (size_t k = 1; k < n; k++) /* hand check of the order */
        assert_true(proc[a[k - 1]] < proc[a[k]] ||
                    (proc[a[k - 1]] == proc[a[k]] &&
                     (school[a[k - 1]] < school[a[k]] ||
                      (school[a[k - 1]] == school[a[k]] && a[k - 1] < a[k]))));
    for (size_t k = 0; k < n; k++) /* descending: the qsort_r path */
        a[k] = b[k] = n - k;
    obj_sort_proc_school(&m, a, n);
    qsort_r(b, n, sizeof *b, obj_cmp_proc_school, &m);
    assert_memory_equal(a, b, n * sizeof *a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(profile_reversed_flagged),
        cmocka_unit_test(profile_bounds_from_ini),
        cmocka_unit_test(profile_small_school_not_evaluated),
        cmocka_unit_test(profile_without_task_bytes_nothing),
        cmocka_unit_test(profile_bad_settings),
        cmocka_unit_test(poisson_tail_known_values),
        cmocka_unit_test(copies_alone_needs_procedures),
        cmocka_unit_test(copies_unexpected_flagged),
        cmocka_unit_test(copies_expected_from_municipality),
        cmocka_unit_test(copies_trivial_left_out),
        cmocka_unit_test(x_differs_from_zero),
        cmocka_unit_test(risefall_bump_flagged),
        cmocka_unit_test(preset_equals_defaults),
        cmocka_unit_test(sort_proc_school_as_qsort),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
