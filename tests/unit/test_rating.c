/*
 * Unit tests of src/method/rating.c with hand-built models and the shipped methodology
 * (methods/rating-vladikavkaz.ini, seed 000 table 1): every criterion at its band edges (on the
 * edge, just inside, just outside), minus points, ties in rank, missing data, a changed INI.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "method/rating.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { YEAR = 2024 };

static char *ini_text(void)
{
    const char *root = getenv("MSOKO_ROOT");
    char path[1024];
    snprintf(path, sizeof path, "%s/methods/rating-vladikavkaz.ini", root ? root : ".");
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char *buf = calloc(1, 1 << 16);
    assert_non_null(buf);
    size_t n = fread(buf, 1, (1 << 16) - 1, fp);
    fclose(fp);
    assert_true(n > 0 && n < (1 << 16) - 1);
    return buf;
}

/* The shipped file with the first occurrence of from replaced by to (NULL: unchanged). */
static meth_file *ini_with(const char *from, const char *to)
{
    char *text = ini_text();
    char *edited = text;
    if (from) {
        char *at = strstr(text, from);
        assert_non_null(at);
        size_t len = strlen(text) - strlen(from) + strlen(to) + 1;
        edited = malloc(len);
        assert_non_null(edited);
        snprintf(edited, len, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    }
    meth_file *f = NULL;
    msk_err err = {0};
    int rc = meth_load_str("rating-vladikavkaz.ini", edited, &f, &err);
    if (rc)
        fprintf(stderr, "# %s\n", err.msg);
    assert_int_equal(rc, 0);
    if (edited != text)
        free(edited);
    free(text);
    return f;
}

static json_t *run(model *m, const meth_file *f)
{
    json_t *out = NULL;
    msk_err err = {0};
    model_finish(m);
    int rc = rating_run(m, YEAR, f, &out, &err);
    if (rc)
        fprintf(stderr, "# %s\n", err.msg);
    assert_int_equal(rc, 0);
    assert_non_null(out);
    return out;
}

static json_t *school_of(json_t *arr, const char *code)
{
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        if (strcmp(json_string_value(json_object_get(o, "school")), code) == 0)
            return o;
    }
    fail_msg("no school %s in the rating", code);
    return NULL;
}

static json_t *evidence(json_t *arr, const char *code, const char *ind)
{
    json_t *e = json_object_get(json_object_get(school_of(arr, code), "evidence"), ind);
    assert_non_null(e);
    return e;
}

static long ev_points(json_t *arr, const char *code, const char *ind)
{
    json_t *p = json_object_get(evidence(arr, code, ind), "points");
    assert_true(json_is_integer(p));
    return (long)json_integer_value(p);
}

static long crit_points(json_t *arr, const char *code, const char *crit)
{
    json_t *p = json_object_get(json_object_get(school_of(arr, code), "criteria"), crit);
    assert_true(json_is_integer(p));
    return (long)json_integer_value(p);
}

static const char *ev_band(json_t *arr, const char *code, const char *ind)
{
    return json_string_value(json_object_get(evidence(arr, code, ind), "band"));
}

/* A school whose procedure has `pass` participants with "3" and `fail` with "2". */
static int32_t school_share(model *m, const char *code, const char *kind, int grade, int pass,
                            int fail)
{
    int32_t s = model_add_school(m, code, "sosh", "urban");
    int32_t p = model_find_proc(m, YEAR, kind, "math", grade);
    if (p < 0)
        p = model_add_proc(m, YEAR, kind, "math", grade, 20, 7, 11, 15, -1);
    model_add_aggregate(m, p, s, pass + fail, fail, pass, 0, 0, fail);
    return s;
}

/* ---- 1. ВПР: 100 % - 3, 80-99 % - 2, 50-79 % - 1 (shares floored to whole percent) ---------- */
static void vpr_band_edges(void **state)
{
    model m;
    model_init(&m, YEAR, YEAR);
    school_share(&m, "sch000001", "VPR", 4, 200, 0);   /* 100 %: 3 */
    school_share(&m, "sch000002", "VPR", 4, 199, 1);   /* 99.5 % → 99, inside 80-99: 2 */
    school_share(&m, "sch000003", "VPR", 4, 4, 1);     /* exactly 80 %: 2 */
    school_share(&m, "sch000004", "VPR", 4, 399, 101); /* 79.8 %, just below 80: 1 */
    school_share(&m, "sch000005", "VPR", 4, 1, 1);     /* exactly 50 %: 1 */
    school_share(&m, "sch000006", "VPR", 4, 499, 501); /* 49.9 %: 0 */
    meth_file *f = ini_with(NULL, NULL);
    json_t *r = run(&m, f);
    assert_int_equal(ev_points(r, "sch000001", "vpr_noo"), 3);
    assert_int_equal(ev_points(r, "sch000002", "vpr_noo"), 2);
    assert_int_equal(ev_points(r, "sch000003", "vpr_noo"), 2);
    assert_int_equal(ev_points(r, "sch000004", "vpr_noo"), 1);
    assert_int_equal(ev_points(r, "sch000005", "vpr_noo"), 1);
    assert_int_equal(ev_points(r, "sch000006", "vpr_noo"), 0);
    assert_string_equal(ev_band(r, "sch000003", "vpr_noo"), "80–99 %");
    assert_string_equal(ev_band(r, "sch000006", "vpr_noo"), "вне полос");
    json_t *e = evidence(r, "sch000003", "vpr_noo");
    assert_true(fabs(json_real_value(json_object_get(e, "value")) - 0.8) < 1e-12);
    assert_int_equal(json_integer_value(json_object_get(e, "percent")), 80);
    assert_int_equal(crit_points(r, "sch000001", "vpr_noo"), 3);
    /* grade 4 is НОО only: ООО and СОО have no data */
    assert_int_equal(crit_points(r, "sch000001", "vpr_ooo"), 0);
    assert_true(json_is_null(json_object_get(evidence(r, "sch000001", "vpr_ooo"), "value")));
    json_decref(r);
    meth_free(f);
    model_release(&m);
}

/* Levels by grade: grade 9 is ООО, grade 10 is СОО, and both are summed per school. */
static void vpr_levels_by_grade(void **state)
{
    model m;
    model_init(&m, YEAR, YEAR);
    int32_t s = school_share(&m, "sch000001", "VPR", 9, 10, 0); /* ООО 100 %: 3 */
    int32_t p = model_add_proc(&m, YEAR, "VPR", "rus", 10, 20, 7, 11, 15, -1);
    model_add_aggregate(&m, p, s, 10, 1, 9, 0, 0, 1); /* СОО 90 %: 2 */
    meth_file *f = ini_with(NULL, NULL);
    json_t *r = run(&m, f);
    assert_int_equal(crit_points(r, "sch000001", "vpr_noo"), 0);
    assert_int_equal(crit_points(r, "sch000001", "vpr_ooo"), 3);
    assert_int_equal(crit_points(r, "sch000001", "vpr_soo"), 2);
    assert_int_equal(json_integer_value(json_object_get(school_of(r, "sch000001"), "points")), 5);
    json_decref(r);
    meth_free(f);
    model_release(&m);
}

/* Per-pupil results: the share counts marks >= 3; absent pupils and retakes are left out. */
static void vpr_from_pupils(void **state)
{
    model m;
    model_init(&m, YEAR, YEAR);
    int32_t s = model_add_school(&m, "sch000001", "sosh", "urban");
    int32_t p = model_add_proc(&m, YEAR, "VPR", "math", 4, 20, 6, 10, 15, -1);
    for (int i = 0; i < 5; i++) {
        char code[16];
        snprintf(code, sizeof code, "p%d", i);
        int32_t pu = model_pupil(&m, s, code);
        model_add_result(&m, p, s, pu, i == 0 ? 3 : 12, i == 0 ? 2 : 4, -1, 0, 0, NULL, 0);
    }
    int32_t absent = model_pupil(&m, s, "p9");
    model_add_result(&m, p, s, absent, NAN, 0, -1, 0, MODEL_ABSENT, NULL, 0);
    meth_file *f = ini_with(NULL, NULL);
    json_t *r = run(&m, f);
    json_t *e = evidence(r, "sch000001", "vpr_noo");
    assert_int_equal(json_integer_value(json_object_get(e, "den")), 5);
    assert_int_equal(json_integer_value(json_object_get(e, "num")), 4);
    assert_int_equal(ev_points(r, "sch000001", "vpr_noo"), 2); /* 80 % */
    json_decref(r);
    meth_free(f);
    model_release(&m);
}

/* ---- 2. РКР: 100 % - 3, 85-99 % - 2, 70-84 % - 1 ------------------------------------------- */
static void rkr_band_edges(void **state)
{
    model m;
    model_init(&m, YEAR, YEAR);
    school_share(&m, "sch000001", "RKR", 7, 17, 3);              /* exactly 85 %: 2 */
    school_share(&m, "sch000002", "RKR", 7, 849, 151);           /* 84.9 %: 1 */
    school_share(&m, "sch000003", "RKR", 7, 7, 3);               /* exactly 70 %: 1 */
    school_share(&m, "sch000004", "RKR", 7, 699, 301);           /* 69.9 %: 0 */
    int32_t s5 = school_share(&m, "sch000005", "RKR", 7, 10, 0); /* ООО 100 %: 3 */
    int32_t p = model_add_proc(&m, YEAR, "RKR", "rus", 11, 20, 7, 11, 15, -1);
    model_add_aggregate(&m, p, s5, 20, 3, 17, 0, 0, 3); /* СОО 85 %: 2, rkr = 3 + 2 */
    meth_file *f = ini_with(NULL, NULL);
    json_t *r = run(&m, f);
    assert_int_equal(ev_points(r, "sch000001", "rkr_ooo"), 2);
    assert_int_equal(ev_points(r, "sch000002", "rkr_ooo"), 1);
    assert_int_equal(ev_points(r, "sch000003", "rkr_ooo"), 1);
    assert_int_equal(ev_points(r, "sch000004", "rkr_ooo"), 0);
    assert_int_equal(ev_points(r, "sch000005", "rkr_ooo"), 3);
    assert_int_equal(ev_points(r, "sch000005", "rkr_soo"), 2);
    assert_int_equal(crit_points(r, "sch000005", "rkr"), 5);
    /* РКР is not ВПР */
    assert_int_equal(crit_points(r, "sch000005", "vpr_ooo"), 0);
    json_decref(r);
    meth_free(f);
    model_release(&m);
}

/* ---- 3. МКР: ООО 96-100 % - 3, 91-95 % - 2, 85-90 % - 1; СОО 100-3, 95-99-2, 90-94-1 ---- */
static void mkr_band_edges(void **state)
{
    model m;
    model_init(&m, YEAR, YEAR);
    school_share(&m, "sch000001", "MKR", 8, 96, 4);    /* 96 %: 3 */
    school_share(&m, "sch000002", "MKR", 8, 959, 41);  /* 95.9 % → 95: 2 */
    school_share(&m, "sch000003", "MKR", 8, 91, 9);    /* 91 %: 2 */
    school_share(&m, "sch000004", "MKR", 8, 90, 10);   /* 90 %: 1 */
    school_share(&m, "sch000005", "MKR", 8, 85, 15);   /* 85 %: 1 */
    school_share(&m, "sch000006", "MKR", 8, 849, 151); /* 84.9 %: 0 */
    school_share(&m, "sch000007", "MKR", 10, 95, 5);   /* СОО 95 %: 2 */
    school_share(&m, "sch000008", "MKR", 10, 94, 6);   /* СОО 94 %: 1 */
    school_share(&m, "sch000009", "MKR", 10, 89, 11);  /* СОО 89 %: 0 */
    meth_file *f = ini_with(NULL, NULL);
    json_t *r = run(&m, f);
    assert_int_equal(ev_points(r, "sch000001", "mkr_ooo"), 3);
    assert_int_equal(ev_points(r, "sch000002", "mkr_ooo"), 2);
    assert_int_equal(ev_points(r, "sch000003", "mkr_ooo"), 2);
    assert_int_equal(ev_points(r, "sch000004", "mkr_ooo"), 1);
    assert_int_equal(ev_points(r, "sch000005", "mkr_ooo"), 1);
    assert_int_equal(ev_points(r, "sch000006", "mkr_ooo"), 0);
    assert_int_equal(ev_points(r, "sch000007", "mkr_soo"), 2);
    assert_int_equal(ev_points(r, "sch000008", "mkr_soo"), 1);
    assert_int_equal(ev_points(r, "sch000009", "mkr_soo"), 0);
    assert_int_equal(crit_points(r, "sch000007", "mkr"), 2);
    json_decref(r);
    meth_free(f);
    model_release(&m);
}

/* ---- 4. ГИА ------------------------------------------------------------------------------- */
static void add_grad(model *m, int32_t s, int32_t pupil, int grade, int attestat, int medal,
                     const char *dest)
{
    model_graduate g = {.year = YEAR,
                        .grade = grade,
                        .attestat = attestat,
                        .medal = medal,
                        .school = s,
                        .pupil = pupil};
    snprintf(g.destination, sizeof g.destination, "%s", dest);
    model_add_graduate(m, &g);
}

/* Minus 3 per graduate without an attestat, minus 1 per graduate (not exam) below the minimum,
 * plus 5 per 100-point ЕГЭ result; retakes are left out. */
static void gia_minus_points(void **state)
{
    model m;
    model_init(&m, YEAR, YEAR);
    int32_t s = model_add_school(&m, "sch000001", "sosh", "urban");
    int32_t clean = model_add_school(&m, "sch000002", "sosh", "urban");
    model_add_school(&m, "sch000003", "sosh", "urban"); /* no ГИА at all */
    int32_t oge = model_add_proc(&m, YEAR, "OGE", "math", 9, 31, 8, 15, 22, -1);
    int32_t oge_r = model_add_proc(&m, YEAR, "OGE", "rus", 9, 33, 15, 23, 29, -1);
    int32_t ege = model_add_proc(&m, YEAR, "EGE", "rus", 11, 58, NAN, NAN, NAN, 24);
    int32_t a = model_pupil(&m, s, "a"), b = model_pupil(&m, s, "b"), c = model_pupil(&m, s, "c");
    int32_t d = model_pupil(&m, s, "d"), e = model_pupil(&m, s, "e");
    model_add_result(&m, oge, s, a, 3, 2, -1, 0, 0, NULL, 0); /* a fails two exams: −1 */
    model_add_result(&m, oge_r, s, a, 5, 2, -1, 0, 0, NULL, 0);
    model_add_result(&m, oge, s, b, 3, 2, -1, 0, MODEL_RETAKE, NULL, 0); /* retake: left out */
    model_add_result(&m, oge, s, b, 20, 4, -1, 0, 0, NULL, 0);
    model_add_result(&m, ege, s, c, 10, 0, 23, 0, 0, NULL, 0);  /* 23 < 24: −1 */
    model_add_result(&m, ege, s, d, 10, 0, 24, 0, 0, NULL, 0);  /* exactly 24: passes */
    model_add_result(&m, ege, s, e, 58, 0, 100, 0, 0, NULL, 0); /* 100: +5 */
    add_grad(&m, s, a, 9, 0, 0, "");
    add_grad(&m, s, b, 9, 0, 0, "");
    add_grad(&m, s, c, 11, 0, 0, "");
    add_grad(&m, s, d, 11, 1, 0, "");
    int32_t z = model_pupil(&m, clean, "z");
    model_add_result(&m, ege, clean, z, 40, 0, 99, 0, 0, NULL, 0); /* 99 is not 100 */
    add_grad(&m, clean, z, 11, 1, 0, "");
    meth_file *f = ini_with(NULL, NULL);
    json_t *r = run(&m, f);
    assert_int_equal(ev_points(r, "sch000001", "gia_no_attestat9"), -6);
    assert_int_equal(ev_points(r, "sch000001", "gia_no_attestat11"), -3);
    assert_int_equal(ev_points(r, "sch000001", "gia_failed"), -2);
    assert_int_equal(ev_points(r, "sch000001", "gia_ege100"), 5);
    assert_string_equal(ev_band(r, "sch000001", "gia_no_attestat9"), "по −3 за каждого");
    assert_int_equal(crit_points(r, "sch000001", "gia"), -6 - 3 - 2 + 5);
    /* z: 99 is not 100, but all of z's exams are ≥ 70: the 11-15 %+ band, 3 */
    assert_int_equal(ev_points(r, "sch000002", "gia_ege100"), 0);
    assert_int_equal(crit_points(r, "sch000002", "gia"), 3);
    assert_int_equal(
        json_integer_value(json_object_get(evidence(r, "sch000002", "gia_no_attestat11"), "value")),
        0);
    assert_true(json_is_null(json_object_get(evidence(r, "sch000003", "gia_failed"), "value")));
    assert_int_equal(json_integer_value(json_object_get(school_of(r, "sch000001"), "rank")), 3);
    json_decref(r);
    meth_free(f);
    model_release(&m);
}

/* Schools known only by aggregates add their "below minimum" counts as they are. */
static void gia_failed_from_aggregates(void **state)
{
    model m;
    model_init(&m, YEAR, YEAR);
    int32_t s = model_add_school(&m, "sch000001", "sosh", "urban");
    int32_t oge = model_add_proc(&m, YEAR, "OGE", "math", 9, 31, 8, 15, 22, -1);
    model_add_aggregate(&m, oge, s, 30, 4, 10, 10, 6, 4);
    meth_file *f = ini_with(NULL, NULL);
    json_t *r = run(&m, f);
    assert_int_equal(ev_points(r, "sch000001", "gia_failed"), -4);
    json_decref(r);
    meth_free(f);
    model_release(&m);
}

/* n graduates of grade 11, the first k with all ЕГЭ ≥ 70; one more has 90 and 65 (not all). */
static void school_all70(model *m, const char *code, int n, int k)
{
    int32_t s = model_add_school(m, code, "sosh", "urban");
    int32_t rus = model_find_proc(m, YEAR, "EGE", "rus", 11);
    int32_t mat = model_find_proc(m, YEAR, "EGE", "math_prof", 11);
    for (int i = 0; i < n; i++) {
        char pc[16];
        snprintf(pc, sizeof pc, "g%d", i);
        int32_t pu = model_pupil(m, s, pc);
        if (i < k) {
            model_add_result(m, rus, s, pu, 50, 0, 70 + i % 30, 0, 0, NULL, 0);
        } else if (i == k) {
            model_add_result(m, rus, s, pu, 50, 0, 90, 0, 0, NULL, 0);
            model_add_result(m, mat, s, pu, 10, 0, 65, 0, 0, NULL, 0);
        }
        add_grad(m, s, pu, 11, 1, 0, "vo");
    }
}

/* 11-15 % - 3, 6-10 % - 2, 5-9 % - 1: overlapping bands, the first wins; above 15 % - 3. */
static void gia_all70_band_edges(void **state)
{
    model m;
    model_init(&m, YEAR, YEAR);
    model_add_proc(&m, YEAR, "EGE", "rus", 11, 58, NAN, NAN, NAN, 24);
    model_add_proc(&m, YEAR, "EGE", "math_prof", 11, 32, NAN, NAN, NAN, 27);
    school_all70(&m, "sch000001", 100, 11);   /* 11 %: 3 */
    school_all70(&m, "sch000002", 100, 10);   /* 10 %: 2 */
    school_all70(&m, "sch000003", 100, 6);    /* 6 %: 2 (not 1: the first band wins) */
    school_all70(&m, "sch000004", 100, 5);    /* 5 %: 1 */
    school_all70(&m, "sch000005", 100, 4);    /* 4 %: 0 */
    school_all70(&m, "sch000006", 100, 20);   /* 20 %: 3 */
    school_all70(&m, "sch000007", 1000, 109); /* 10.9 % → 10: 2 */
    meth_file *f = ini_with(NULL, NULL);
    json_t *r = run(&m, f);
    assert_int_equal(ev_points(r, "sch000001", "gia_all70"), 3);
    assert_int_equal(ev_points(r, "sch000002", "gia_all70"), 2);
    assert_int_equal(ev_points(r, "sch000003", "gia_all70"), 2);
    assert_int_equal(ev_points(r, "sch000004", "gia_all70"), 1);
    assert_int_equal(ev_points(r, "sch000005", "gia_all70"), 0);
    assert_int_equal(ev_points(r, "sch000006", "gia_all70"), 3);
    assert_int_equal(ev_points(r, "sch000007", "gia_all70"), 2);
    assert_int_equal(
        json_integer_value(json_object_get(evidence(r, "sch000001", "gia_all70"), "den")), 100);
    json_decref(r);
    meth_free(f);
    model_release(&m);
}

/* Medalists: 100 % - 3, 95-99 % - 2, 90-94 % - 1; base math is a mark and is skipped;
 * a medalist without any ЕГЭ score is left out of the share. */
static void school_medalists(model *m, const char *code, int n, int weak)
{
    int32_t s = model_add_school(m, code, "sosh", "urban");
    int32_t rus = model_find_proc(m, YEAR, "EGE", "rus", 11);
    int32_t base = model_find_proc(m, YEAR, "EGE", "math_base", 11);
    for (int i = 0; i < n; i++) {
        char pc[16];
        snprintf(pc, sizeof pc, "m%d", i);
        int32_t pu = model_pupil(m, s, pc);
        model_add_result(m, rus, s, pu, 50, 0, i < weak ? 69 : 70, 0, 0, NULL, 0);
        /* a score recorded for base math (a mark, not a test score) must not count */
        model_add_result(m, base, s, pu, 15, 4, 17, 0, 0, NULL, 0);
        add_grad(m, s, pu, 11, 1, 1, "vo");
    }
    int32_t none = model_pupil(m, s, "noexam");
    add_grad(m, s, none, 11, 1, 1, "vo");
}

static void gia_medalists_band_edges(void **state)
{
    model m;
    model_init(&m, YEAR, YEAR);
    model_add_proc(&m, YEAR, "EGE", "rus", 11, 58, NAN, NAN, NAN, 24);
    model_add_proc(&m, YEAR, "EGE", "math_base", 11, 21, 7, 12, 17, -1);
    school_medalists(&m, "sch000001", 10, 0);           /* 100 % (70 is on the edge): 3 */
    school_medalists(&m, "sch000002", 20, 1);           /* 95 %: 2 */
    school_medalists(&m, "sch000003", 10, 1);           /* 90 %: 1 */
    school_medalists(&m, "sch000004", 100, 11);         /* 89 %: 0 */
    model_add_school(&m, "sch000005", "sosh", "urban"); /* no medalists */
    meth_file *f = ini_with(NULL, NULL);
    json_t *r = run(&m, f);
    assert_int_equal(ev_points(r, "sch000001", "gia_medalists"), 3);
    assert_int_equal(ev_points(r, "sch000002", "gia_medalists"), 2);
    assert_int_equal(ev_points(r, "sch000003", "gia_medalists"), 1);
    assert_int_equal(ev_points(r, "sch000004", "gia_medalists"), 0);
    json_t *e = evidence(r, "sch000001", "gia_medalists");
    assert_int_equal(json_integer_value(json_object_get(e, "den")), 10);
    assert_int_equal(json_integer_value(json_object_get(e, "without_scores")), 1);
    e = evidence(r, "sch000005", "gia_medalists");
    assert_string_equal(json_string_value(json_object_get(e, "note")), "нет данных");
    json_decref(r);
    meth_free(f);
    model_release(&m);
}

/* ---- 5. Continuation: 100 % - 3, 90-99 % - 2, 85-89 % - 1; −1 per idle graduate ---------- */
static void school_dest(model *m, const char *code, int grade, int n, int go, const char *yes,
                        const char *no)
{
    int32_t s = model_add_school(m, code, "sosh", "urban");
    for (int i = 0; i < n; i++)
        add_grad(m, s, -1, grade, 1, 0, i < go ? yes : no);
    add_grad(m, s, -1, grade, 1, 0, ""); /* unknown destination: left out under skip */
}

/* unknown_destination = skip: the share of graduates with a known destination. */
static void continuation_band_edges(void **state)
{
    model m;
    model_init(&m, YEAR, YEAR);
    school_dest(&m, "sch000001", 9, 10, 10, "spo", "work");    /* 100 %: 3 */
    school_dest(&m, "sch000002", 9, 10, 9, "grade10", "work"); /* 90 %: 2 */
    school_dest(&m, "sch000003", 9, 20, 17, "spo", "work");    /* 85 %: 1 */
    school_dest(&m, "sch000004", 9, 25, 21, "spo", "work");    /* 84 %: 0 */
    school_dest(&m, "sch000005", 11, 100, 89, "vo", "spo");    /* ВО 89 %: 1 */
    school_dest(&m, "sch000006", 9, 10, 8, "grade10", "none"); /* 80 %: 0, two idle: −2 */
    meth_file *f = ini_with("unknown_destination = count", "unknown_destination = skip");
    json_t *r = run(&m, f);
    assert_int_equal(ev_points(r, "sch000001", "cont_grade9"), 3);
    assert_int_equal(ev_points(r, "sch000002", "cont_grade9"), 2);
    assert_int_equal(ev_points(r, "sch000003", "cont_grade9"), 1);
    assert_int_equal(ev_points(r, "sch000004", "cont_grade9"), 0);
    assert_int_equal(ev_points(r, "sch000005", "cont_grade11"), 1);
    assert_int_equal(ev_points(r, "sch000006", "cont_idle"), -2);
    assert_int_equal(crit_points(r, "sch000006", "continuation"), -2);
    assert_int_equal(
        json_integer_value(json_object_get(evidence(r, "sch000001", "cont_grade9"), "den")), 10);
    /* a grade-9-only school has no grade-11 data */
    assert_true(json_is_null(json_object_get(evidence(r, "sch000001", "cont_grade11"), "value")));
    json_decref(r);
    meth_free(f);
    model_release(&m);
}

/* seed 000 table 1, row 5.1 «Доля выпускников 9-х классов, продолживших обучение в учреждениях
 * СПО или 10-х классах»: by default (unknown_destination = count) the share of all graduates —
 * a blank destination is not a continuation. 10 graduates in spo + 1 blank: 10/11 = 90.9 % → 90
 * → 2 points (skip: 10/10 → 3). 5.2 likewise: 9 vo + 1 blank of 10 → 90 % → 2 (skip: 100 % → 3). */
static void continuation_unknown_destination(void **state)
{
    model m;
    model_init(&m, YEAR, YEAR);
    school_dest(&m, "sch000001", 9, 10, 10, "spo", "work");
    school_dest(&m, "sch000002", 11, 9, 9, "vo", "spo");
    meth_file *f = ini_with(NULL, NULL);
    json_t *r = run(&m, f);
    assert_int_equal(ev_points(r, "sch000001", "cont_grade9"), 2);
    json_t *e = evidence(r, "sch000001", "cont_grade9");
    assert_int_equal(json_integer_value(json_object_get(e, "den")), 11);
    assert_int_equal(json_integer_value(json_object_get(e, "unknown_destination")), 1);
    assert_true(json_is_true(json_object_get(e, "unknown_in_den")));
    assert_int_equal(ev_points(r, "sch000002", "cont_grade11"), 2);
    json_decref(r);
    meth_free(f);
    f = ini_with("unknown_destination = count", "unknown_destination = skip");
    model_release(&m);
    model_init(&m, YEAR, YEAR);
    school_dest(&m, "sch000001", 9, 10, 10, "spo", "work");
    school_dest(&m, "sch000002", 11, 9, 9, "vo", "spo");
    r = run(&m, f);
    assert_int_equal(ev_points(r, "sch000001", "cont_grade9"), 3);
    assert_int_equal(ev_points(r, "sch000002", "cont_grade11"), 3);
    assert_true(
        json_is_false(json_object_get(evidence(r, "sch000001", "cont_grade9"), "unknown_in_den")));
    json_decref(r);
    meth_free(f);
    model_release(&m);
}

/* seed 000 table 1, rows 1.1–3.2 «Доля выполнения ВПР»: completion = passed (default) — marks
 * ≥ 3 of those with a mark; participated — present of those listed. 4 present (3 with "3",
 * 1 with "2") + 1 absent: passed 3/4 = 75 % → 1 point; participated 4/5 = 80 % → 2 points. A
 * school known only by an aggregate has no absentees: «нет данных» under participated. */
static void completion_passed_or_participated(void **state)
{
    for (int part = 0; part < 2; part++) {
        model m;
        model_init(&m, YEAR, YEAR);
        int32_t s = model_add_school(&m, "sch000001", "sosh", "urban");
        int32_t p = model_add_proc(&m, YEAR, "VPR", "math", 4, 20, 6, 10, 15, -1);
        for (int i = 0; i < 4; i++) {
            char code[16];
            snprintf(code, sizeof code, "p%d", i);
            model_add_result(&m, p, s, model_pupil(&m, s, code), i == 0 ? 3 : 8, i == 0 ? 2 : 3, -1,
                             0, 0, NULL, 0);
        }
        model_add_result(&m, p, s, model_pupil(&m, s, "p9"), NAN, 0, -1, 0, MODEL_ABSENT, NULL, 0);
        school_share(&m, "sch000002", "VPR", 4, 10, 0);
        meth_file *f = part ? ini_with("completion = passed", "completion = participated")
                            : ini_with(NULL, NULL);
        json_t *r = run(&m, f);
        json_t *e = evidence(r, "sch000001", "vpr_noo");
        assert_string_equal(json_string_value(json_object_get(e, "completion")),
                            part ? "participated" : "passed");
        assert_int_equal(json_integer_value(json_object_get(e, "num")), part ? 4 : 3);
        assert_int_equal(json_integer_value(json_object_get(e, "den")), part ? 5 : 4);
        assert_int_equal(ev_points(r, "sch000001", "vpr_noo"), part ? 2 : 1);
        e = evidence(r, "sch000002", "vpr_noo");
        if (part)
            assert_true(json_is_null(json_object_get(e, "value")));
        else
            assert_int_equal(ev_points(r, "sch000002", "vpr_noo"), 3);
        json_decref(r);
        meth_free(f);
        model_release(&m);
    }
}

/* seed 000 table 1, row 4.5 «11-15% - 3 балла 6-10% - 2 балла 5-9% - 1 балл»: the preset reads
 * >= 11 as 3 (more is not worse); the act's literal bands give 16 % nothing. 7 % is 2 either
 * way (the first band that holds wins). */
static void gia_all70_literal_bands(void **state)
{
    for (int lit = 0; lit < 2; lit++) {
        model m;
        model_init(&m, YEAR, YEAR);
        model_add_proc(&m, YEAR, "EGE", "rus", 11, 58, NAN, NAN, NAN, 24);
        model_add_proc(&m, YEAR, "EGE", "math_prof", 11, 32, NAN, NAN, NAN, 27);
        school_all70(&m, "sch000001", 100, 16);
        school_all70(&m, "sch000002", 100, 7);
        school_all70(&m, "sch000003", 100, 15);
        meth_file *f =
            lit ? ini_with("bands = >=11:3, 6-10:2, 5:1", "bands = 11-15:3, 6-10:2, 5-9:1")
                : ini_with(NULL, NULL);
        json_t *r = run(&m, f);
        assert_int_equal(ev_points(r, "sch000001", "gia_all70"), lit ? 0 : 3);
        assert_int_equal(ev_points(r, "sch000002", "gia_all70"), 2);
        assert_int_equal(ev_points(r, "sch000003", "gia_all70"), 3);
        json_decref(r);
        meth_free(f);
        model_release(&m);
    }
}

/* ---- 6. ВсОШ: team places I-IV → 5, 4, 3, 2; regional winner 3, prize-winner 1 ------------ */
static void olympiad_points(void **state)
{
    model m;
    model_init(&m, YEAR, YEAR);
    char code[16];
    for (int i = 1; i <= 6; i++) {
        snprintf(code, sizeof code, "sch00000%d", i);
        int32_t s = model_add_school(&m, code, "sosh", "urban");
        if (i <= 5) {
            model_team t = {.year = YEAR, .place = i, .school = s};
            snprintf(t.stage, sizeof t.stage, "municipal");
            model_add_team(&m, &t);
        }
    }
    model_team again = {.year = YEAR, .place = 4, .school = 2}; /* twice: the best place, III */
    snprintf(again.stage, sizeof again.stage, "municipal");
    model_add_team(&m, &again);
    model_team other = {.year = YEAR, .place = 1, .school = 5}; /* regional teams: not counted */
    snprintf(other.stage, sizeof other.stage, "regional");
    model_add_team(&m, &other);
    const char *stage[] = {"regional", "regional", "regional", "municipal"};
    const char *status[] = {"winner", "prizewinner", "participant", "winner"};
    for (int i = 0; i < 4; i++) {
        model_olympiad o = {.year = YEAR, .grade = 10, .school = 0, .pupil = -1, .score = 90};
        snprintf(o.stage, sizeof o.stage, "%s", stage[i]);
        snprintf(o.status, sizeof o.status, "%s", status[i]);
        snprintf(o.subject, sizeof o.subject, "math");
        model_add_olympiad(&m, &o);
    }
    meth_file *f = ini_with(NULL, NULL);
    json_t *r = run(&m, f);
    assert_int_equal(ev_points(r, "sch000001", "olymp_team"), 5);
    assert_int_equal(ev_points(r, "sch000002", "olymp_team"), 4);
    assert_int_equal(ev_points(r, "sch000003", "olymp_team"), 3);
    assert_int_equal(ev_points(r, "sch000004", "olymp_team"), 2);
    assert_int_equal(ev_points(r, "sch000005", "olymp_team"), 0); /* V place: outside */
    assert_int_equal(ev_points(r, "sch000006", "olymp_team"), 0); /* no place, but data */
    assert_string_equal(ev_band(r, "sch000006", "olymp_team"), "без места");
    assert_int_equal(ev_points(r, "sch000001", "olymp_regional"), 3 + 1);
    assert_int_equal(crit_points(r, "sch000001", "olympiad"), 5 + 4);
    assert_int_equal(ev_points(r, "sch000002", "olymp_regional"), 0);
    assert_false(
        json_is_null(json_object_get(evidence(r, "sch000002", "olymp_regional"), "value")));
    json_decref(r);
    meth_free(f);
    model_release(&m);
}

/* ---- 7. Contests: seed 000 table 1, row 7 «федеральный; региональный; муниципальный … При
 * наличии победителей и призеров: до 5 до 4» — the pupils' winners and prize-winners per level
 * (model.h MODEL_CONTEST_PREFIX, from the contests template) ----------------------------------- */
static void contest_school(model *m, const char *code, int fed, int reg, int mun)
{
    int32_t s = model_add_school(m, code, "sosh", "urban");
    model_set_context(m, YEAR, s, MODEL_CONTEST_PREFIX "federal", fed);
    model_set_context(m, YEAR, s, MODEL_CONTEST_PREFIX "regional", reg);
    model_set_context(m, YEAR, s, MODEL_CONTEST_PREFIX "municipal", mun);
}

static void contest_points(void **state)
{
    for (int sum = 0; sum <= 1; sum++) {
        model m;
        model_init(&m, YEAR, YEAR);
        contest_school(&m, "sch000001", 1, 2, 3); /* every level */
        contest_school(&m, "sch000002", 0, 1, 0); /* regional only */
        contest_school(&m, "sch000003", 0, 0, 4); /* municipal only */
        contest_school(&m, "sch000004", 0, 0, 0); /* none, but the year has contests */
        contest_school(&m, "sch000005", 0, 1, 1); /* regional and municipal */
        /* the shipped reading: the best level, federal 5, regional 4, municipal 0 (the act
         * names no number for it); the other: a municipality's 3 and the sum over levels */
        meth_file *f = sum ? ini_with("municipal_points = 0\ncombine = best\nmax_points = 5",
                                      "municipal_points = 3\ncombine = sum\nmax_points = 12")
                           : ini_with(NULL, NULL);
        json_t *r = run(&m, f);
        assert_int_equal(ev_points(r, "sch000001", "contests"), sum ? 5 + 4 + 3 : 5);
        assert_int_equal(crit_points(r, "sch000001", "contests"), sum ? 12 : 5);
        assert_int_equal(ev_points(r, "sch000002", "contests"), 4);
        assert_int_equal(ev_points(r, "sch000003", "contests"), sum ? 3 : 0);
        assert_int_equal(ev_points(r, "sch000004", "contests"), 0);
        assert_int_equal(ev_points(r, "sch000005", "contests"), sum ? 4 + 3 : 4);
        /* a school without a prize has data (0), not «нет данных» */
        json_t *e = evidence(r, "sch000004", "contests");
        assert_int_equal(json_integer_value(json_object_get(e, "value")), 0);
        assert_null(json_object_get(e, "note"));
        e = evidence(r, "sch000001", "contests");
        assert_int_equal(json_integer_value(json_object_get(e, "federal")), 1);
        assert_int_equal(json_integer_value(json_object_get(e, "regional")), 2);
        assert_int_equal(json_integer_value(json_object_get(e, "municipal")), 3);
        assert_string_equal(json_string_value(json_object_get(e, "combine")), sum ? "sum" : "best");
        json_decref(r);
        meth_free(f);
        model_release(&m);
    }
}

/* ---- 7. Contests and missing data ----------------------------------------------------------- */
static void no_data_is_zero_and_said(void **state)
{
    model m;
    model_init(&m, YEAR, YEAR);
    model_add_school(&m, "sch000001", "sosh", "urban");
    meth_file *f = ini_with(NULL, NULL);
    json_t *r = run(&m, f);
    json_t *o = school_of(r, "sch000001");
    assert_int_equal(json_integer_value(json_object_get(o, "points")), 0);
    assert_int_equal(json_integer_value(json_object_get(o, "rank")), 1);
    const char *crits[] = {"vpr_noo", "vpr_ooo",      "vpr_soo",  "rkr",     "mkr",
                           "gia",     "continuation", "olympiad", "contests"};
    json_t *c = json_object_get(o, "criteria");
    assert_int_equal(json_object_size(c), 9);
    for (size_t i = 0; i < 9; i++)
        assert_int_equal(json_integer_value(json_object_get(c, crits[i])), 0);
    json_t *e = json_object_get(json_object_get(o, "evidence"), "contests");
    assert_string_equal(json_string_value(json_object_get(e, "note")), "нет данных");
    assert_true(json_is_null(json_object_get(e, "value")));
    assert_non_null(strstr(json_string_value(json_object_get(o, "text")), "нет данных"));
    /* keys in the contract's order */
    const char *keys[] = {"school", "points", "rank", "criteria", "evidence", "text"};
    size_t i = 0;
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        assert_true(i < 6);
        assert_string_equal(k, keys[i++]);
    }
    assert_int_equal(i, 6);
    json_decref(r);
    meth_free(f);
    model_release(&m);
}

/* ---- ranking: 1, 1, 3, then by code --------------------------------------------------------- */
static void ties_share_a_rank(void **state)
{
    model m;
    model_init(&m, YEAR, YEAR);
    school_share(&m, "sch000009", "VPR", 4, 10, 0); /* 3 */
    school_share(&m, "sch000003", "VPR", 4, 10, 0); /* 3 */
    school_share(&m, "sch000001", "VPR", 4, 5, 5);  /* 1 */
    school_share(&m, "sch000002", "VPR", 4, 0, 5);  /* 0 */
    meth_file *f = ini_with(NULL, NULL);
    json_t *r = run(&m, f);
    const char *order[] = {"sch000003", "sch000009", "sch000001", "sch000002"};
    long ranks[] = {1, 1, 3, 4};
    assert_int_equal(json_array_size(r), 4);
    for (size_t i = 0; i < 4; i++) {
        json_t *o = json_array_get(r, i);
        assert_string_equal(json_string_value(json_object_get(o, "school")), order[i]);
        assert_int_equal(json_integer_value(json_object_get(o, "rank")), ranks[i]);
    }
    assert_non_null(strstr(json_string_value(json_object_get(json_array_get(r, 0), "text")),
                           "3 балла, место 1"));
    json_decref(r);
    meth_free(f);
    model_release(&m);
}

/* ---- the INI is the rule ------------------------------------------------------------------ */
static void ini_band_changes_points(void **state)
{
    model m;
    model_init(&m, YEAR, YEAR);
    int32_t s = school_share(&m, "sch000001", "VPR", 4, 3, 1); /* 75 % */
    add_grad(&m, s, -1, 9, 0, 0, "");
    meth_file *f = ini_with(NULL, NULL);
    json_t *r = run(&m, f);
    assert_int_equal(ev_points(r, "sch000001", "vpr_noo"), 1);
    assert_int_equal(ev_points(r, "sch000001", "gia_no_attestat9"), -3);
    json_decref(r);
    meth_free(f);
    f = ini_with("bands = 100:3, 80-99:2, 50-79:1", "bands = 100:3, 70-99:2, 50-69:1");
    json_t *out = NULL;
    msk_err err = {0};
    assert_int_equal(rating_run(&m, YEAR, f, &out, &err), 0);
    assert_int_equal(ev_points(out, "sch000001", "vpr_noo"), 2);
    assert_string_equal(ev_band(out, "sch000001", "vpr_noo"), "70–99 %");
    json_decref(out);
    meth_free(f);
    /* minus points come from the file too */
    f = ini_with("grade = 9\nper_unit = -3", "grade = 9\nper_unit = -7");
    assert_int_equal(rating_run(&m, YEAR, f, &out, &err), 0);
    assert_int_equal(ev_points(out, "sch000001", "gia_no_attestat9"), -7);
    json_decref(out);
    meth_free(f);
    model_release(&m);
}

/* A cap (max_points) clamps the points of an indicator. */
static void ini_cap_clamps(void **state)
{
    model m;
    model_init(&m, YEAR, YEAR);
    int32_t s = model_add_school(&m, "sch000001", "sosh", "urban");
    int32_t ege = model_add_proc(&m, YEAR, "EGE", "rus", 11, 58, NAN, NAN, NAN, 24);
    for (int i = 0; i < 3; i++) {
        char pc[8];
        snprintf(pc, sizeof pc, "t%d", i);
        model_add_result(&m, ege, s, model_pupil(&m, s, pc), 58, 0, 100, 0, 0, NULL, 0);
    }
    meth_file *f = ini_with("threshold = 100\nper_unit = 5", "threshold = 100\nper_unit = 5\n"
                                                             "max_points = 10");
    json_t *r = run(&m, f);
    assert_int_equal(ev_points(r, "sch000001", "gia_ege100"), 10); /* 15 capped at 10 */
    json_decref(r);
    meth_free(f);
    model_release(&m);
}

/* ---- errors ------------------------------------------------------------------------------- */
static void expect_error(model *m, int year, const char *from, const char *to, const char *msg)
{
    meth_file *f = ini_with(from, to);
    json_t *out = (json_t *)1;
    msk_err err = {0};
    assert_int_equal(rating_run(m, year, f, &out, &err), -1);
    assert_null(out);
    if (!strstr(err.msg, msg))
        fail_msg("message «%s» lacks «%s»", err.msg, msg);
    meth_free(f);
}

static void errors_are_said(void **state)
{
    model m;
    model_init(&m, YEAR, YEAR);
    model_add_school(&m, "sch000001", "sosh", "urban");
    model_finish(&m);
    expect_error(&m, YEAR - 1, NULL, NULL, "год 2023 вне лет модели 2024–2024");
    expect_error(&m, YEAR, "measure = contest_level", "measure = guess",
                 "неизвестная мера «guess»");
    expect_error(&m, YEAR, "combine = best", "combine = most", "combine: ожидается best или sum");
    expect_error(&m, YEAR, "regional_points = 4", "",
                 "в секции [contests] нет ключа regional_points");
    expect_error(&m, YEAR, "criterion = contests", "criterion = prizes",
                 "«prizes» нет в [rating] criteria");
    expect_error(&m, YEAR, "bands = 1:5, 2:4, 3:3, 4:2", "", "нет ключа bands");
    expect_error(&m, YEAR, "grade_min = 1\n", "", "в секции [vpr_noo] нет ключа grade_min");
    expect_error(&m, YEAR, "pass_mark = 3", "pass_mark = 7", "pass_mark: отметка от 2 до 5");
    expect_error(&m, YEAR, "grades = 9, 11", "grades = 9, x", "«x» не номер класса");
    expect_error(&m, YEAR, "\npercent_rounding = floor", "\npercent_rounding = up",
                 "percent_rounding: ожидается floor или none");
    expect_error(&m, YEAR,
                 "criteria = ", "criterion_list = ", "в секции [rating] нет ключа criteria");
    expect_error(&m, YEAR, "kinds = OGE, EGE, GVE9, GVE11", "kinds = ,", "kinds: пустой список");
    expect_error(&m, YEAR, "completion = passed", "completion = marks",
                 "[rating] completion: ожидается passed или participated");
    expect_error(&m, YEAR, "unknown_destination = count", "unknown_destination = all",
                 "[rating] unknown_destination: ожидается count или skip");
    model_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vpr_band_edges),
        cmocka_unit_test(vpr_levels_by_grade),
        cmocka_unit_test(vpr_from_pupils),
        cmocka_unit_test(rkr_band_edges),
        cmocka_unit_test(mkr_band_edges),
        cmocka_unit_test(gia_minus_points),
        cmocka_unit_test(gia_failed_from_aggregates),
        cmocka_unit_test(gia_all70_band_edges),
        cmocka_unit_test(gia_medalists_band_edges),
        cmocka_unit_test(continuation_band_edges),
        cmocka_unit_test(continuation_unknown_destination),
        cmocka_unit_test(completion_passed_or_participated),
        cmocka_unit_test(gia_all70_literal_bands),
        cmocka_unit_test(olympiad_points),
        cmocka_unit_test(contest_points),
        cmocka_unit_test(no_data_is_zero_and_said),
        cmocka_unit_test(ties_share_a_rank),
        cmocka_unit_test(ini_band_changes_points),
        cmocka_unit_test(ini_cap_clamps),
        cmocka_unit_test(errors_are_said),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
