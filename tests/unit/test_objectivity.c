/*
 * Unit tests of the signs of non-objective results (src/method/objectivity.c, obj_mean.c,
 * obj_journal.c, obj_medal.c) on small hand-built models: the inflated-mean boundary, Spearman
 * with ties against a hand-computed value, the ФИС ОКО table, medalists at 69/70, settings
 * changed in the INI, and the municipal objectivity index.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine/methfile.h"
#include "method/methodology.h"
#include "method/objectivity.h"
#include "model/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static model M;
static int npupil;

static void begin(void)
{
    model_init(&M, 2023, 2024);
    npupil = 0;
}

/* One result row of a new pupil (or of pupil `code` when given). */
static int32_t row(int32_t s, int32_t p, const char *code, double primary, int mark, int jm,
                   int test, unsigned flags)
{
    char buf[32];
    if (!code) {
        snprintf(buf, sizeof buf, "p%d", npupil++);
        code = buf;
    }
    int32_t pu = model_pupil(&M, s, code);
    model_add_result(&M, p, s, pu, primary, mark, test, jm, flags, NULL, 0);
    return pu;
}

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

typedef int (*sign_fn)(const model *, int, const meth_file *, json_t *, msk_err *);

static json_t *run(sign_fn fn, const char *text)
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

/* The only sign of school code (fails when there is not exactly one). */
static json_t *only(json_t *signs, const char *code)
{
    json_t *a = json_object_get(signs, code);
    assert_non_null(a);
    assert_int_equal(json_array_size(a), 1);
    return json_array_get(a, 0);
}

static double num(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    assert_true(json_is_number(v));
    return json_number_value(v);
}

/* ---- inflated mean ---- */

/* School A: 5 pupils {11, 12, 12, 12, 13}; school B: k pupils alternating 12, 10. Computed
 * beforehand: k = 46 puts A's lower bound 0.0009 above the reference upper bound, k = 49
 * 0.0034 below it. */
static void build_mean(int k, const char *type_a)
{
    begin();
    int32_t a = model_add_school(&M, "sA", type_a, "urban");
    int32_t b = model_add_school(&M, "sB", "sosh", "urban");
    int32_t p = model_add_proc(&M, 2024, "VPR", "math", 5, 20, 6, 10, 15, -1);
    static const double av[] = {11, 12, 12, 12, 13};
    for (int i = 0; i < 5; i++)
        row(a, p, NULL, av[i], 3, 0, -1, 0);
    for (int i = 0; i < k; i++)
        row(b, p, NULL, i % 2 ? 10 : 12, 3, 0, -1, 0);
    /* not counted: a retake, an absentee and a past-year graduate with scores that would move
     * both intervals */
    row(a, p, NULL, 20, 5, 0, -1, MODEL_RETAKE);
    row(a, p, NULL, 0, 2, 0, -1, MODEL_ABSENT);
    row(b, p, NULL, 20, 5, 0, -1, MODEL_PAST_GRADUATE);
    model_finish(&M);
}

/* The intervals computed here independently (sample s, z = 1.96). */
static void ci(const double *x, size_t n, double *lo, double *hi)
{
    double m = 0, ss = 0;
    for (size_t i = 0; i < n; i++)
        m += x[i];
    m /= (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - m) * (x[i] - m);
    double h = 1.96 * sqrt(ss / (double)(n - 1)) / sqrt((double)n);
    *lo = m - h;
    *hi = m + h;
}

static void expected_bounds(int k, double *school_lo, double *ref_hi)
{
    double x[128], lo, hi;
    size_t n = 0;
    static const double av[] = {11, 12, 12, 12, 13};
    for (int i = 0; i < 5; i++)
        x[n++] = av[i];
    ci(x, n, school_lo, &hi);
    for (int i = 0; i < k; i++)
        x[n++] = i % 2 ? 10 : 12;
    ci(x, n, &lo, ref_hi);
}

static void inflated_mean_just_above_and_just_below(void **state)
{
    double slo, rhi;
    expected_bounds(46, &slo, &rhi);
    assert_true(slo > rhi && slo - rhi < 0.001);
    build_mean(46, "sosh");
    json_t *s = run(obj_inflated_mean, NULL);
    assert_int_equal(json_object_size(s), 1);
    json_t *o = only(s, "sA");
    assert_string_equal(json_string_value(json_object_get(o, "sign")), "inflated_mean");
    assert_string_equal(json_string_value(json_object_get(o, "kind")), "VPR");
    assert_int_equal(json_integer_value(json_object_get(o, "grade")), 5);
    assert_true(fabs(num(o, "value") - slo) < 1e-9);
    assert_true(fabs(num(o, "threshold") - rhi) < 1e-9);
    json_t *sc = json_object_get(o, "school_ci"), *rc = json_object_get(o, "reference_ci");
    assert_int_equal(json_integer_value(json_object_get(sc, "n")), 5);
    assert_int_equal(json_integer_value(json_object_get(rc, "n")), 51);
    assert_true(fabs(num(sc, "mean") - 12.0) < 1e-9);
    const char *t = json_string_value(json_object_get(o, "text"));
    assert_non_null(strstr(t, "ВПР, математика, 5 класс, 2024"));
    assert_non_null(strstr(t, "не гимназия и не лицей"));
    assert_non_null(strstr(t, "(5 уч.)"));
    assert_null(strstr(t, "12.")); /* decimal commas */
    json_decref(s);
    model_release(&M);

    expected_bounds(49, &slo, &rhi);
    assert_true(slo < rhi && rhi - slo < 0.005);
    build_mean(49, "sosh");
    s = run(obj_inflated_mean, NULL);
    assert_int_equal(json_object_size(s), 0);
    json_decref(s);
    model_release(&M);
}

static void inflated_mean_settings_and_school_type(void **state)
{
    build_mean(46, "gymnasium");
    json_t *s = run(obj_inflated_mean, NULL);
    json_t *o = only(s, "sA");
    assert_non_null(strstr(json_string_value(json_object_get(o, "text")), "гимназия"));
    assert_true(json_is_true(json_object_get(o, "gymnasium_or_lyceum")));
    assert_string_equal(json_string_value(json_object_get(o, "school_type")), "gymnasium");
    json_decref(s);
    /* A has 5 participants: min_participants = 6 leaves it out */
    s = run(obj_inflated_mean, "[inflated_mean]\nmin_participants = 6\n");
    assert_int_equal(json_object_size(s), 0);
    json_decref(s);
    /* a wider interval (z = 2) closes the 0.0009 gap */
    s = run(obj_inflated_mean, "[inflated_mean]\nz = 2\n");
    assert_int_equal(json_object_size(s), 0);
    json_decref(s);
    /* the procedure list: ВПР math 5 left out */
    s = run(obj_inflated_mean, "[objectivity]\nprocedures = OGE:math:9, VPR:rus:*\n");
    assert_int_equal(json_object_size(s), 0);
    json_decref(s);
    s = run(obj_inflated_mean, "[objectivity]\nprocedures = VPR:*:5\n");
    assert_int_equal(json_object_size(s), 1);
    json_decref(s);
    /* exclude_types: the gymnasium is not assessed; another type list keeps it */
    s = run(obj_inflated_mean, "[inflated_mean]\nexclude_types = gymnasium, lyceum\n");
    assert_int_equal(json_object_size(s), 0);
    json_decref(s);
    s = run(obj_inflated_mean, "[inflated_mean]\nexclude_types = lyceum\n");
    assert_int_equal(json_object_size(s), 1);
    json_decref(s);
    model_release(&M);
    /* a list without the school's type changes nothing: sA (sosh) flagged against the same
     * 51-participant reference */
    build_mean(46, "sosh");
    s = run(obj_inflated_mean, "[inflated_mean]\nexclude_types = gymnasium\n");
    assert_int_equal(json_object_size(s), 1);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(only(s, "sA"), "reference_ci"), "n")),
        51);
    json_decref(s);
    model_release(&M);
}

/* ---- journal mismatch ---- */

static const int JM[12] = {5, 5, 5, 4, 4, 4, 4, 3, 3, 3, 2, 2};
static const double PR[12] = {3, 5, 5, 8, 10, 10, 12, 12, 15, 7, 15, 20};
static const int MK[12] = {2, 2, 3, 3, 3, 4, 4, 4, 4, 3, 5, 5};

/* n pairs of the table above at school sJ (ОГЭ Russian), plus extra rows. */
static void build_journal(int n, int same_journal)
{
    begin();
    int32_t s = model_add_school(&M, "sJ", "sosh", "urban");
    int32_t p = model_add_proc(&M, 2024, "OGE", "rus", 9, 33, 10, 20, 29, -1);
    for (int i = 0; i < n; i++)
        row(s, p, NULL, PR[i], MK[i], same_journal ? 4 : JM[i], -1, 0);
    /* no primary score: in the ФИС ОКО table, not in the correlation */
    row(s, p, NULL, NAN, 4, 4, -1, 0);
    /* no journal mark, and a retake: in neither */
    row(s, p, NULL, 30, 5, 0, -1, 0);
    row(s, p, NULL, 30, 5, 2, -1, MODEL_RETAKE);
    model_finish(&M);
}

static void spearman_with_ties_and_fis_oko_table(void **state)
{
    build_journal(12, 0);
    json_t *s = run(obj_journal_mismatch, NULL);
    json_t *o = only(s, "sJ");
    /* by hand: average ranks of journal marks and scores, Pearson of the ranks:
     * Σ(rx−r̄)(ry−r̄) = −116.5, Σ(rx−r̄)² = 133.5, Σ(ry−r̄)² = 141
     * (the no-ties formula 1 − 6Σd²/(n(n²−1)) would give −0.7745) */
    double want = -116.5 / sqrt(133.5 * 141.0);
    assert_true(fabs(num(o, "value") - want) < 1e-9);
    assert_true(num(o, "threshold") == 0.0);
    assert_int_equal(json_integer_value(json_object_get(o, "pairs")), 12);
    json_t *t = json_object_get(o, "fis_oko");
    assert_int_equal(json_integer_value(json_object_get(t, "compared")), 13);
    assert_int_equal(json_integer_value(json_object_get(t, "lower")), 5);
    assert_int_equal(json_integer_value(json_object_get(t, "equal")), 4);
    assert_int_equal(json_integer_value(json_object_get(t, "higher")), 4);
    assert_int_equal(json_integer_value(json_object_get(t, "apart_2_or_more")), 5);
    assert_true(num(t, "lower_share") == 0.3846);
    const char *tx = json_string_value(json_object_get(o, "text"));
    assert_non_null(strstr(tx, "ОГЭ, русский язык, 9 класс, 2024"));
    assert_non_null(strstr(tx, "r_s = -0,85 по 12 ученикам"));
    assert_non_null(strstr(tx, "понизили 38,5 %, подтвердили 30,8 %, повысили 30,8 %"));
    assert_non_null(strstr(tx, "2 отметки и больше — 5 уч."));
    json_decref(s);
    /* a threshold below r_s: no sign */
    s = run(obj_journal_mismatch, "[journal_mismatch]\nthreshold = -0.9\n");
    assert_int_equal(json_object_size(s), 0);
    json_decref(s);
    model_release(&M);
}

static void zero_variance_and_too_few_pairs(void **state)
{
    /* every journal mark 4: r_s undefined — no sign even with threshold 1, which flags any
     * other school */
    build_journal(12, 1);
    json_t *s = run(obj_journal_mismatch, "[journal_mismatch]\nthreshold = 1\n");
    assert_int_equal(json_object_size(s), 0);
    json_decref(s);
    model_release(&M);
    /* 9 pairs, strongly negative: below min_pairs 10; min_pairs = 9 flags it */
    build_journal(9, 0);
    s = run(obj_journal_mismatch, NULL);
    assert_int_equal(json_object_size(s), 0);
    json_decref(s);
    s = run(obj_journal_mismatch, "[journal_mismatch]\nmin_pairs = 9\n");
    assert_true(num(only(s, "sJ"), "value") < 0);
    json_decref(s);
    model_release(&M);
}

static void positive_correlation_not_flagged(void **state)
{
    begin();
    int32_t s = model_add_school(&M, "sJ", "sosh", "urban");
    int32_t p = model_add_proc(&M, 2024, "VPR", "rus", 4, 38, 14, 24, 33, -1);
    for (int i = 0; i < 12; i++)
        row(s, p, NULL, 10 + 2 * i, 2 + i / 3, 2 + i / 3, -1, 0);
    model_finish(&M);
    json_t *o = run(obj_journal_mismatch, NULL);
    assert_int_equal(json_object_size(o), 0);
    json_decref(o);
    /* marks tied in threes, scores not: r_s is high but below 1, so threshold = 1 flags the
     * same school (the data can reach the sign) */
    o = run(obj_journal_mismatch, "[journal_mismatch]\nthreshold = 1\n");
    double r = num(only(o, "sJ"), "value");
    assert_true(r > 0.9 && r < 1);
    json_decref(o);
    model_release(&M);
}

/* ---- medals ---- */

static void build_medals(void)
{
    begin();
    int32_t s1 = model_add_school(&M, "s1", "sosh", "urban");
    int32_t s2 = model_add_school(&M, "s2", "lyceum", "urban");
    int32_t rus = model_add_proc(&M, 2024, "EGE", "rus", 11, 50, NAN, NAN, NAN, 24);
    int32_t mb = model_add_proc(&M, 2024, "EGE", "math_base", 11, 21, 7, 12, 17, -1);
    int32_t old = model_add_proc(&M, 2023, "EGE", "rus", 11, 50, NAN, NAN, NAN, 24);
    struct {
        int32_t s;
        const char *code;
        int medal;
    } g[] = {{s1, "m1", 1}, {s1, "m2", 1}, {s1, "m3", 1}, {s1, "n1", 0}, {s2, "m1", 1}};
    row(s1, rus, "m1", 30, 0, 0, 69, 0); /* below 70 */
    row(s1, rus, "m2", 35, 0, 0, 70, 0); /* exactly 70: not below */
    row(s1, mb, "m3", 10, 3, 0, 50, 0);  /* math_base: not in the default list */
    row(s1, rus, "m3", 49, 0, 0, 98, 0);
    row(s1, rus, "n1", 10, 0, 0, 40, 0); /* not a medalist */
    row(s2, rus, "m1", 35, 0, 0, 70, 0); /* another school's m1: a different pupil */
    row(s2, old, "m1", 10, 0, 0, 30, 0); /* last year's ЕГЭ does not count */
    for (size_t i = 0; i < sizeof g / sizeof g[0]; i++) {
        model_graduate gr = {.year = 2024,
                             .grade = 11,
                             .attestat = 1,
                             .medal = g[i].medal,
                             .school = g[i].s,
                             .pupil = model_pupil(&M, g[i].s, g[i].code)};
        model_add_graduate(&M, &gr);
    }
    model_finish(&M);
}

static void medal_below_70_flagged_exactly_70_not(void **state)
{
    build_medals();
    json_t *s = run(obj_medals, NULL);
    assert_int_equal(json_object_size(s), 1);
    json_t *o = only(s, "s1");
    assert_string_equal(json_string_value(json_object_get(o, "sign")), "medal");
    assert_true(num(o, "value") == 1);
    assert_true(num(o, "threshold") == 70);
    assert_int_equal(json_integer_value(json_object_get(o, "medalists_below")), 1);
    assert_int_equal(json_integer_value(json_object_get(o, "medalists")), 3);
    const char *t = json_string_value(json_object_get(o, "text"));
    assert_non_null(strstr(t, "ЕГЭ, 2024: у 1 из 3 медалистов «За особые успехи в учении» хотя бы "
                              "один экзамен сдан ниже чем на 70 тестовых баллов (учитывались все "
                              "предметы, кроме базовой математики)"));
    assert_null(strstr(t, "m1")); /* pupils are counted, never named */
    json_decref(s);
    /* every subject: m3's base math 50 counts too */
    s = run(obj_medals, "[medal]\nsubjects = *\n");
    assert_true(num(only(s, "s1"), "value") == 2);
    assert_non_null(strstr(json_string_value(json_object_get(only(s, "s1"), "text")),
                           "(учитывались все предметы)"));
    json_decref(s);
    /* min_score 71: m2 (70) and s2's m1 (70) count */
    s = run(obj_medals, "[medal]\nmin_score = 71\n");
    assert_true(num(only(s, "s1"), "value") == 2);
    assert_true(num(only(s, "s2"), "value") == 1);
    /* one medalist: «из 1 медалиста» */
    assert_non_null(
        strstr(json_string_value(json_object_get(only(s, "s2"), "text")), "у 1 из 1 медалиста"));
    json_decref(s);
    /* a list is named */
    s = run(obj_medals, "[medal]\nsubjects = rus, math_prof\n");
    assert_non_null(strstr(json_string_value(json_object_get(only(s, "s1"), "text")),
                           "(учитывались предметы: русский язык, "));
    json_decref(s);
    /* a list without Russian: nobody */
    s = run(obj_medals, "[medal]\nsubjects = math_prof, phys\n");
    assert_int_equal(json_object_size(s), 0);
    json_decref(s);
    model_release(&M);
}

/* ---- settings errors ---- */

static void bad_settings_are_errors(void **state)
{
    begin();
    model_finish(&M);
    static const struct {
        sign_fn fn;
        const char *ini, *needle;
    } cases[] = {
        {obj_inflated_mean, "[inflated_mean]\nmin_participant = 5\n", "неизвестный ключ"},
        {obj_inflated_mean, "[inflated_mean]\nmin_participants = 1\n", "не меньше 2"},
        {obj_inflated_mean, "[objectivity]\nprocedures = VPR:math\n", "«VPR:math» не понято"},
        {obj_journal_mismatch, "[journal_mismatch]\nthreshold = 2\n", "от −1 до 1"},
        {obj_journal_mismatch, "[journal_mismatch]\nmin_pairs = x\n", "целое"},
        {obj_medals, "[medal]\nsubject = rus\n", "неизвестный ключ «subject»"},
        {obj_medals, "[medal]\nsubjects = *, rus\n", "«*» пишется одно"},
        {obj_medals, "[medal]\nmin_score = 0\n", "от 1 до 100"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        meth_file *f = ini(cases[i].ini);
        json_t *s = json_object();
        msk_err e;
        msk_err_clear(&e);
        assert_int_equal(cases[i].fn(&M, 2024, f, s, &e), -1);
        if (!strstr(e.msg, cases[i].needle))
            fail_msg("case %zu: «%s» lacks «%s»", i, e.msg, cases[i].needle);
        assert_string_equal(e.file, "t.ini");
        json_decref(s);
        meth_free(f);
    }
    model_release(&M);
}

static void preset_equals_defaults(void **state)
{
    char path[1024];
    const char *root = getenv("MSOKO_ROOT");
    snprintf(path, sizeof path, "%s/methods/objectivity.ini", root ? root : ".");
    meth_file *f = NULL;
    msk_err e;
    if (engine_meth_load(path, &f, &e))
        fail_msg("%s: %s", path, e.msg);
    sign_fn fns[] = {obj_inflated_mean, obj_journal_mismatch, obj_medals};
    void (*builds[])(void) = {NULL, NULL, build_medals};
    for (size_t i = 0; i < 3; i++) {
        if (builds[i])
            builds[i]();
        else if (i == 0)
            build_mean(46, "sosh");
        else
            build_journal(12, 0);
        json_t *a = json_object(), *b = json_object();
        assert_int_equal(fns[i](&M, 2024, f, a, &e), 0);
        assert_int_equal(fns[i](&M, 2024, NULL, b, &e), 0);
        assert_int_equal(json_object_size(a), 1);
        assert_true(json_equal(a, b));
        json_decref(a);
        json_decref(b);
        model_release(&M);
    }
    meth_free(f);
}

/* ---- the list and the index ---- */

static void objectivity_index_and_list(void **state)
{
    begin();
    /* four schools with results in 2024 (created out of code order), one with results only
     * in 2023 (outside the denominator) */
    int32_t z = model_add_school(&M, "sZ", "sosh", "urban");
    int32_t a = model_add_school(&M, "sA", "sosh", "urban");
    int32_t c = model_add_school(&M, "sC", "sosh", "urban");
    int32_t d = model_add_school(&M, "sD", "sosh", "urban");
    int32_t old = model_add_school(&M, "sOld", "sosh", "urban");
    int32_t rus = model_add_proc(&M, 2024, "EGE", "rus", 11, 50, NAN, NAN, NAN, 24);
    int32_t oge = model_add_proc(&M, 2024, "OGE", "rus", 9, 33, 10, 20, 29, -1);
    int32_t o23 = model_add_proc(&M, 2023, "OGE", "rus", 9, 33, 10, 20, 29, -1);
    row(z, rus, "m", 30, 0, 0, 60, 0); /* sZ: a medalist with 60 */
    model_graduate g = {.year = 2024,
                        .grade = 11,
                        .attestat = 1,
                        .medal = 1,
                        .school = z,
                        .pupil = model_pupil(&M, z, "m")};
    model_add_graduate(&M, &g);
    for (int i = 0; i < 12; i++) /* sA: journal marks against the scores */
        row(a, oge, NULL, PR[i], MK[i], JM[i], -1, 0);
    for (int i = 0; i < 12; i++) /* sC: agreeing */
        row(c, oge, NULL, 10 + i, 2 + i / 3, 2 + i / 3, -1, 0);
    row(d, oge, NULL, 15, 3, 3, -1, 0);
    row(old, o23, NULL, 15, 3, 3, -1, 0);
    model_finish(&M);
    json_t *list = NULL;
    double idx = 0;
    msk_err e;
    msk_err_clear(&e);
    if (objectivity_run(&M, 2024, NULL, &list, &idx, NULL, &e))
        fail_msg("objectivity_run: %s", e.msg);
    assert_int_equal(json_array_size(list), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "school")),
                        "sA");
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "school")),
                        "sZ");
    json_t *sg = json_object_get(json_array_get(list, 1), "signs");
    assert_string_equal(json_string_value(json_object_get(json_array_get(sg, 0), "sign")), "medal");
    assert_true(fabs(idx - 50.0) < 1e-12); /* 100 − 100·2/4 */
    json_decref(list);

    /* min_signs = 2: neither sA (journal only) nor sZ (medal only) is listed, the index is 100;
     * the one-sign index (Rosobrnadzor's rule) still counts both: 100 − 100·2/4 = 50 */
    meth_file *f = ini("[objectivity]\nmin_signs = 2\n");
    double one = 0;
    assert_int_equal(objectivity_run(&M, 2024, f, &list, &idx, &one, &e), 0);
    assert_int_equal(json_array_size(list), 0);
    assert_true(fabs(idx - 100.0) < 1e-12);
    assert_true(fabs(one - 50.0) < 1e-12);
    json_decref(list);
    meth_free(f);
    /* alone_signs = medal: sZ listed by its medal alone, sA still not (100 − 100·1/4) */
    f = ini("[objectivity]\nmin_signs = 2\nalone_signs = medal\n");
    assert_int_equal(objectivity_run(&M, 2024, f, &list, &idx, &one, &e), 0);
    assert_int_equal(json_array_size(list), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "school")),
                        "sZ");
    assert_true(fabs(idx - 75.0) < 1e-12);
    assert_true(fabs(one - 50.0) < 1e-12);
    json_decref(list);
    meth_free(f);
    /* min_signs = 1 written out equals the default */
    f = ini("[objectivity]\nmin_signs = 1\n");
    assert_int_equal(objectivity_run(&M, 2024, f, &list, &idx, NULL, &e), 0);
    assert_int_equal(json_array_size(list), 2);
    json_decref(list);
    meth_free(f);
    /* bad values */
    static const char *bad[][2] = {
        {"[objectivity]\nmin_signs = 0\n", "min_signs"},
        {"[objectivity]\nmin_signs = 99\n", "min_signs: от 1 до"},
        {"[objectivity]\nalone_signs = medals\n", "«medals» — не признак"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        f = ini(bad[i][0]);
        msk_err_clear(&e);
        list = NULL;
        assert_int_equal(objectivity_run(&M, 2024, f, &list, &idx, NULL, &e), -1);
        assert_null(list);
        if (!strstr(e.msg, bad[i][1]))
            fail_msg("case %zu: «%s» lacks «%s»", i, e.msg, bad[i][1]);
        meth_free(f);
    }
    model_release(&M);

    /* no school with results: the index is not computed */
    begin();
    model_add_school(&M, "s1", "sosh", "urban");
    model_finish(&M);
    one = 0;
    assert_int_equal(objectivity_run(&M, 2024, NULL, &list, &idx, &one, &e), 0);
    assert_true(isnan(idx));
    assert_true(isnan(one));
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
    model_release(&M);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(inflated_mean_just_above_and_just_below),
        cmocka_unit_test(inflated_mean_settings_and_school_type),
        cmocka_unit_test(spearman_with_ties_and_fis_oko_table),
        cmocka_unit_test(zero_variance_and_too_few_pairs),
        cmocka_unit_test(positive_correlation_not_flagged),
        cmocka_unit_test(medal_below_70_flagged_exactly_70_not),
        cmocka_unit_test(bad_settings_are_errors),
        cmocka_unit_test(preset_equals_defaults),
        cmocka_unit_test(objectivity_index_and_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
