/*
 * Unit tests of src/method/shnor.c and src/method/indicators.c on small hand-built models:
 * the 30 % boundary, tiny and empty procedures, retakes and past-year graduates left out,
 * rules A / B / AB, "same" vs "any" procedure, small samples, settings changed in the INI,
 * the texts, and the monitoring indicators with zero denominators.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine/methfile.h"
#include "method/indicators.h"
#include "method/methodology.h"
#include "method/shnor.h"
#include "model/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static model M;
static struct {
    int year, grade;
    const char *kind, *subject;
    int32_t id;
} procs[64];
static size_t nprocs;
static int npupil;

static void begin(int y0, int y1)
{
    model_init(&M, y0, y1);
    nprocs = 0;
    npupil = 0;
}

static int32_t sch(const char *code)
{
    return model_add_school(&M, code, "sosh", "urban");
}

static int is_ege_min(const char *kind, const char *subject)
{
    return strcmp(kind, "EGE") == 0 && strcmp(subject, "math_base") != 0;
}

static int32_t proc(int year, const char *kind, const char *subject, int grade)
{
    for (size_t i = 0; i < nprocs; i++)
        if (procs[i].year == year && procs[i].grade == grade && !strcmp(procs[i].kind, kind) &&
            !strcmp(procs[i].subject, subject))
            return procs[i].id;
    assert_true(nprocs < 64);
    int32_t id = model_add_proc(&M, year, kind, subject, grade, NAN, NAN, NAN, NAN,
                                is_ege_min(kind, subject) ? 36 : -1);
    procs[nprocs].year = year;
    procs[nprocs].grade = grade;
    procs[nprocs].kind = kind;
    procs[nprocs].subject = subject;
    procs[nprocs].id = id;
    nprocs++;
    return id;
}

/* An aggregate cell: n participants, failed of them with "2" (or below the ЕГЭ minimum). */
static void agg(int32_t s, int year, const char *kind, const char *subject, int grade, int n,
                int failed)
{
    int32_t p = proc(year, kind, subject, grade);
    if (is_ege_min(kind, subject))
        model_add_aggregate(&M, p, s, n, 0, 0, 0, 0, failed);
    else
        model_add_aggregate(&M, p, s, n, failed, n - failed, 0, 0, failed);
}

/* Per-pupil rows: n rows with mark (or ЕГЭ score) and flags. */
static void rows(int32_t s, int year, const char *kind, const char *subject, int grade, int n,
                 int mark, int score, unsigned flags)
{
    int32_t p = proc(year, kind, subject, grade);
    for (int i = 0; i < n; i++) {
        char code[32];
        snprintf(code, sizeof code, "p%d", npupil++);
        int32_t pu = model_pupil(&M, s, code);
        model_add_result(&M, p, s, pu, NAN, mark, score, 0, flags, NULL, 0);
    }
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

static json_t *run(int year, const char *text)
{
    meth_file *f = ini(text);
    json_t *out = NULL;
    msk_err e;
    msk_err_clear(&e);
    if (shnor_run(&M, year, f, &out, &e))
        fail_msg("shnor_run: %s", e.msg);
    meth_free(f);
    assert_true(json_is_array(out));
    return out;
}

/* "sch1:A,sch2:B" — the list in one string, for compact assertions. */
static const char *verdicts(json_t *a)
{
    static char buf[512];
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *o = json_array_get(a, i);
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s:%s", i ? "," : "",
                              json_string_value(json_object_get(o, "school")),
                              json_string_value(json_object_get(o, "rule")));
    }
    return buf;
}

static void check(int year, const char *text, const char *expected)
{
    json_t *a = run(year, text);
    assert_string_equal(verdicts(a), expected);
    json_decref(a);
}

static void finish(void)
{
    model_finish(&M);
}

/* ---- ШНОР ---- */

static void exactly_30_percent_is_low_just_under_is_not(void **state)
{
    begin(2023, 2024);
    int32_t a = sch("s1"), b = sch("s2");
    agg(a, 2024, "VPR", "math", 5, 10, 3);  /* 30 % exactly */
    agg(a, 2024, "VPR", "rus", 5, 100, 30); /* 30 % exactly */
    agg(b, 2024, "VPR", "math", 5, 10, 3);
    agg(b, 2024, "VPR", "rus", 5, 1000, 299); /* 29,9 % */
    finish();
    check(2024, NULL, "s1:A");
    json_t *r = run(2024, NULL);
    json_t *low = json_object_get(json_array_get(r, 0), "low");
    assert_int_equal(json_array_size(low), 2);
    assert_true(json_real_value(json_object_get(json_array_get(low, 0), "share")) == 0.3);
    json_decref(r);
    model_release(&M);
}

static void one_participant_and_no_participants(void **state)
{
    begin(2023, 2024);
    int32_t a = sch("s1"), b = sch("s2"), c = sch("s3");
    agg(a, 2024, "VPR", "math", 5, 1, 1);
    agg(a, 2024, "VPR", "rus", 5, 1, 1);
    agg(b, 2024, "VPR", "math", 5, 1, 0); /* 0 of 1: not low */
    agg(b, 2024, "VPR", "rus", 5, 1, 1);
    agg(c, 2024, "VPR", "math", 5, 0, 0); /* no participants: nothing to judge */
    agg(c, 2024, "VPR", "rus", 5, 10, 3);
    finish();
    json_t *r = run(2024, NULL);
    assert_string_equal(verdicts(r), "s1:A");
    json_t *o = json_array_get(r, 0);
    assert_true(json_is_true(json_object_get(o, "small_sample")));
    json_t *l0 = json_array_get(json_object_get(o, "low"), 0);
    assert_true(json_real_value(json_object_get(l0, "share")) == 1.0);
    assert_int_equal(json_integer_value(json_object_get(l0, "participants")), 1);
    assert_true(json_is_true(json_object_get(l0, "small_sample")));
    assert_non_null(strstr(json_string_value(json_object_get(l0, "text")), "малая выборка"));
    json_decref(r);
    model_release(&M);
}

static void retakes_and_past_graduates_are_left_out(void **state)
{
    begin(2023, 2024);
    int32_t a = sch("s1"), b = sch("s2");
    /* s1: ОГЭ math 2 of 10 failed in the main period (20 %); 3 failed retakes would make it
     * 5 of 13 (38 %), a second low procedure and rule A. */
    rows(a, 2024, "OGE", "math", 9, 8, 3, -1, 0);
    rows(a, 2024, "OGE", "math", 9, 2, 2, -1, 0);
    rows(a, 2024, "OGE", "math", 9, 3, 2, -1, MODEL_RETAKE);
    rows(a, 2024, "OGE", "rus", 9, 7, 4, -1, 0);
    rows(a, 2024, "OGE", "rus", 9, 3, 2, -1, 0);
    /* s2: ЕГЭ Russian 2 of 10 below the minimum 36; 2 past-year graduates below it would
     * make 4 of 12 (33 %). */
    rows(b, 2024, "EGE", "rus", 11, 8, 0, 60, 0);
    rows(b, 2024, "EGE", "rus", 11, 2, 0, 20, 0);
    rows(b, 2024, "EGE", "rus", 11, 2, 0, 10, MODEL_PAST_GRADUATE);
    rows(b, 2024, "EGE", "math_prof", 11, 7, 0, 50, 0);
    rows(b, 2024, "EGE", "math_prof", 11, 3, 0, 12, 0);
    finish();
    check(2024, NULL, "");
    /* the same data without the flags is listed: the test can fail */
    model_release(&M);
    begin(2023, 2024);
    a = sch("s1");
    b = sch("s2");
    rows(a, 2024, "OGE", "math", 9, 8, 3, -1, 0);
    rows(a, 2024, "OGE", "math", 9, 5, 2, -1, 0);
    rows(a, 2024, "OGE", "rus", 9, 7, 4, -1, 0);
    rows(a, 2024, "OGE", "rus", 9, 3, 2, -1, 0);
    rows(b, 2024, "EGE", "rus", 11, 8, 0, 60, 0);
    rows(b, 2024, "EGE", "rus", 11, 4, 0, 20, 0);
    rows(b, 2024, "EGE", "math_prof", 11, 7, 0, 50, 0);
    rows(b, 2024, "EGE", "math_prof", 11, 3, 0, 12, 0);
    finish();
    json_t *r = run(2024, NULL);
    assert_string_equal(verdicts(r), "s1:A,s2:A");
    const char *t = json_string_value(
        json_object_get(json_array_get(json_object_get(json_array_get(r, 1), "low"), 0), "text"));
    assert_non_null(strstr(t, "ЕГЭ, математика (профильная), 11 класс, 2024: 3 из 10 (30,0 %) "
                              "не преодолели минимальный порог"));
    json_decref(r);
    model_release(&M);
}

static void school_present_in_one_year_only(void **state)
{
    begin(2022, 2024);
    int32_t a = sch("s1"), b = sch("s2");
    agg(a, 2023, "VPR", "math", 5, 20, 10); /* s1: two low procedures, but only in 2023 */
    agg(a, 2023, "VPR", "rus", 5, 20, 10);
    agg(b, 2024, "VPR", "math", 6, 20, 10); /* s2: one low procedure, only in 2024 */
    agg(a, 2022, "VPR", "math", 6, 20, 10); /* Y−2 never counts */
    finish();
    check(2024, NULL, "");
    check(2023, NULL, "s1:AB"); /* 2023: A, and B with the 2022 low procedure */
    model_release(&M);
}

static void build_rules_model(void)
{
    begin(2023, 2024);
    int32_t a = sch("sA"), b = sch("sB"), ab = sch("sAB");
    agg(a, 2024, "VPR", "math", 5, 20, 6);
    agg(a, 2024, "OGE", "rus", 9, 20, 6);
    agg(b, 2023, "VPR", "rus", 6, 20, 6);
    agg(b, 2024, "OGE", "math", 9, 20, 6);
    agg(ab, 2023, "VPR", "math", 5, 20, 6);
    agg(ab, 2024, "VPR", "math", 5, 20, 6);
    agg(ab, 2024, "EGE", "math_base", 11, 20, 6);
    finish();
}

static void rule_a_b_ab_settings(void **state)
{
    build_rules_model();
    check(2024, NULL, "sA:A,sAB:AB,sB:B"); /* default AB: either rule */
    check(2024, "[shnor]\nrule = AB\n", "sA:A,sAB:AB,sB:B");
    check(2024, "[shnor]\nrule = A\n", "sA:A,sAB:A");
    check(2024, "[shnor]\nrule = B\n", "sAB:B,sB:B");
    check(2024, "[shnor]\nrule_a_min = 3\n", "sAB:B,sB:B");
    /* the verdict's procedures: rule A lists year Y only; B (any) both years */
    json_t *r = run(2024, "[shnor]\nrule = A\n");
    json_t *low = json_object_get(json_array_get(r, 1), "low"); /* sAB */
    assert_int_equal(json_array_size(low), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(low, 0), "year")), 2024);
    json_decref(r);
    r = run(2024, NULL);
    low = json_object_get(json_array_get(r, 2), "low"); /* sB */
    assert_int_equal(json_array_size(low), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(low, 0), "year")), 2023);
    assert_string_equal(json_string_value(json_object_get(json_array_get(low, 0), "subject")),
                        "rus");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(low, 1), "year")), 2024);
    low = json_object_get(json_array_get(r, 1), "low"); /* sAB: 2023 first, then list order */
    assert_int_equal(json_array_size(low), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(low, 2), "kind")), "EGE");
    assert_non_null(
        strstr(json_string_value(json_object_get(json_array_get(r, 1), "text")), "критерий 2"));
    json_decref(r);
    model_release(&M);
}

static void rule_b_same_versus_any(void **state)
{
    begin(2023, 2024);
    int32_t a = sch("s1"), b = sch("s2");
    agg(a, 2023, "VPR", "math", 5, 20, 6); /* different procedures in the two years */
    agg(a, 2024, "OGE", "rus", 9, 20, 6);
    agg(b, 2023, "VPR", "math", 5, 20, 6); /* the same procedure in both years … */
    agg(b, 2024, "VPR", "math", 5, 20, 6);
    agg(b, 2023, "OGE", "rus", 9, 20, 6); /* … and another one in 2023 */
    finish();
    check(2024, "[shnor]\nrule_b = any\n", "s1:B,s2:B");
    check(2024, "[shnor]\nrule_b = same\n", "s2:B");
    json_t *r = run(2024, "[shnor]\nrule_b = same\n");
    json_t *low = json_object_get(json_array_get(r, 0), "low");
    assert_int_equal(json_array_size(low), 2); /* the pair only, not ОГЭ 2023 */
    assert_string_equal(json_string_value(json_object_get(json_array_get(low, 0), "kind")), "VPR");
    assert_string_equal(json_string_value(json_object_get(json_array_get(low, 1), "kind")), "VPR");
    json_decref(r);
    r = run(2024, "[shnor]\nrule_b = any\n");
    assert_int_equal(json_array_size(json_object_get(json_array_get(r, 1), "low")), 3);
    json_decref(r);
    model_release(&M);
}

static void small_sample_marking(void **state)
{
    begin(2023, 2024);
    int32_t a = sch("s1"), b = sch("s2");
    agg(a, 2024, "VPR", "math", 5, 19, 6);
    agg(a, 2024, "VPR", "rus", 5, 20, 6);
    agg(b, 2024, "VPR", "math", 5, 19, 6);
    agg(b, 2024, "VPR", "rus", 5, 10, 5);
    finish();
    json_t *r = run(2024, NULL);
    assert_string_equal(verdicts(r), "s1:A,s2:A");
    json_t *o = json_array_get(r, 0), *low = json_object_get(o, "low");
    assert_true(json_is_true(json_object_get(json_array_get(low, 0), "small_sample")));
    assert_true(json_is_false(json_object_get(json_array_get(low, 1), "small_sample")));
    assert_true(json_is_false(json_object_get(o, "small_sample")));
    o = json_array_get(r, 1);
    assert_true(json_is_true(json_object_get(o, "small_sample")));
    assert_non_null(strstr(json_string_value(json_object_get(o, "text")), "малые выборки"));
    json_decref(r);
    r = run(2024, "[shnor]\nmin_participants = 10\n");
    o = json_array_get(r, 1);
    assert_true(json_is_false(json_object_get(o, "small_sample"))); /* 10 is not < 10 */
    json_decref(r);
    model_release(&M);
}

static void threshold_in_the_ini_changes_the_list(void **state)
{
    begin(2023, 2024);
    int32_t a = sch("s1");
    agg(a, 2024, "VPR", "math", 5, 20, 5); /* 25 % */
    agg(a, 2024, "VPR", "rus", 6, 20, 5);
    finish();
    check(2024, NULL, "");
    check(2024, "[shnor]\nlow_share = 0,25\n", "s1:A");
    check(2024, "[shnor]\nlow_share = 25 %\n", "s1:A");
    check(2024, "[shnor]\nlow_share = 0.26\n", "");
    json_t *r = run(2024, "[shnor]\nlow_share = 0,25\n");
    /* the evidence carries the threshold the rule used: cards and charts draw 25 %, not 30 % */
    assert_true(
        fabs(json_number_value(json_object_get(
                 json_array_get(json_object_get(json_array_get(r, 0), "low"), 0), "threshold")) -
             0.25) < 1e-9);
    const char *t = json_string_value(
        json_object_get(json_array_get(json_object_get(json_array_get(r, 0), "low"), 0), "text"));
    assert_non_null(strstr(t, "порог 25 %"));
    json_decref(r);
    model_release(&M);
}

static void procedure_list_is_a_setting(void **state)
{
    begin(2023, 2024);
    int32_t a = sch("s1");
    agg(a, 2024, "VPR", "math", 7, 20, 10); /* not in the default list */
    agg(a, 2024, "VPR", "math", 5, 20, 10);
    finish();
    check(2024, NULL, "");
    check(2024, "[shnor]\nprocedures = VPR:math:7, VPR:math:5\n", "s1:A");
    check(2024, "[shnor]\nprocedures = VPR:math:*\n", "s1:A");
    check(2024, "[shnor]\nprocedures = VPR:*:7,\n  VPR:math:5\n", "s1:A");
    check(2024, "[shnor]\nprocedures = OGE:math:9\n", "");
    model_release(&M);
}

static void json_shape_text_and_order(void **state)
{
    begin(2023, 2024);
    int32_t c = sch("sch000300"), a = sch("sch000123"), b = sch("sch000200");
    agg(a, 2024, "VPR", "math", 5, 41, 14);
    agg(a, 2024, "VPR", "rus", 6, 40, 13);
    agg(b, 2024, "OGE", "math", 9, 20, 10);
    agg(b, 2024, "OGE", "rus", 9, 20, 10);
    agg(c, 2024, "OGE", "math", 9, 20, 10);
    agg(c, 2024, "OGE", "rus", 9, 20, 10);
    finish();
    json_t *r = run(2024, NULL);
    assert_string_equal(verdicts(r), "sch000123:A,sch000200:A,sch000300:A");
    json_t *l = json_array_get(json_object_get(json_array_get(r, 0), "low"), 0);
    json_t *want =
        json_pack("{s:i, s:s, s:s, s:i, s:i, s:i, s:f, s:f, s:b, s:s}", "year", 2024, "kind", "VPR",
                  "subject", "math", "grade", 5, "participants", 41, "failed", 14, "share", 0.3415,
                  "threshold", 0.3, "small_sample", 0, "text",
                  "ВПР, математика, 5 класс, 2024: 14 из 41 (34,1 %) получили «2» — "
                  "порог 30 % (методика ШНОР: Программа повышения качества образования "
                  "в школах г. Норильска, п. 2.1)");
    if (!json_equal(l, want)) {
        char *s = json_dumps(l, 0);
        fail_msg("got %s", s);
    }
    json_decref(want);
    const char *t = json_string_value(
        json_object_get(json_array_get(json_object_get(json_array_get(r, 1), "low"), 1), "text"));
    assert_string_equal(t, "ОГЭ, русский язык, 9 класс, 2024: 10 из 20 (50,0 %) получили «2» — "
                           "порог 30 % (методика ШНОР: Программа повышения качества образования в "
                           "школах г. Норильска, п. 2.1)");
    assert_string_equal(json_string_value(json_object_get(json_array_get(r, 0), "text")),
                        "Низкие результаты по 2 оценочным процедурам в 2024 году (критерий 1: не "
                        "менее 2 процедур за год)");
    json_decref(r);
    /* the municipality's own act is cited when its methods file names it (issue 14 п. 5) */
    r = run(2024, "[shnor]\nact = Положение о МСОКО г. Энска\n");
    t = json_string_value(
        json_object_get(json_array_get(json_object_get(json_array_get(r, 1), "low"), 1), "text"));
    assert_non_null(strstr(t, "(методика ШНОР: Положение о МСОКО г. Энска, п. 2.1)"));
    assert_null(strstr(t, "Норильск"));
    json_decref(r);
    model_release(&M);
}

static void bad_settings_are_errors(void **state)
{
    begin(2023, 2024);
    sch("s1");
    finish();
    static const struct {
        const char *ini, *needle;
        int line;
    } cases[] = {
        {"[shnor]\nrule = C\n", "rule = «C»", 0},
        {"[shnor]\nrule_b = maybe\n", "rule_b = «maybe»", 0},
        {"[shnor]\nlow_shar = 0.3\n", "неизвестный ключ «low_shar»", 0},
        {"[shnor]\nprocedures = VPR:math\n", "«VPR:math» не понято", 0},
        {"[shnor]\nprocedures = VPR:math:five\n", "не понято", 0},
        {"[shnor]\nprocedures = ,\n", "список пуст", 0},
        {"[shnor]\nlow_share = 0\n", "больше 0", 0},
        {"[shnor]\nlow_share = 130 %\n", "не больше 1", 0},
        {"[shnor]\n\nlow_share = много\n", "ожидается число", 3},
        {"[shnor]\nmin_participants = 20.5\n", "целое", 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        meth_file *f = ini(cases[i].ini);
        json_t *out = (json_t *)1;
        msk_err e;
        msk_err_clear(&e);
        assert_int_equal(shnor_run(&M, 2024, f, &out, &e), -1);
        assert_null(out);
        if (!strstr(e.msg, cases[i].needle))
            fail_msg("case %zu: «%s» lacks «%s»", i, e.msg, cases[i].needle);
        assert_string_equal(e.file, "t.ini");
        assert_int_equal(e.row, cases[i].line);
        meth_free(f);
    }
    model_release(&M);
}

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

static void preset_equals_defaults(void **state)
{
    meth_file *f = preset("shnor.ini");
    double v;
    long n;
    msk_err e;
    assert_int_equal(meth_num(f, "shnor", "low_share", -1, &v, &e), 0);
    assert_true(v == 0.30);
    assert_int_equal(meth_int(f, "shnor", "min_participants", -1, &n, &e), 0);
    assert_int_equal(n, 20);
    assert_int_equal(meth_int(f, "shnor", "rule_a_min", -1, &n, &e), 0);
    assert_int_equal(n, 2);
    assert_string_equal(meth_get(f, "shnor", "rule"), "AB");
    assert_string_equal(meth_get(f, "shnor", "rule_b"), "any");
    const char *it[16];
    assert_int_equal(meth_list(f, "shnor", "procedures", it, 16), 9);
    assert_string_equal(it[0], "VPR:math:5");
    assert_string_equal(it[8], "EGE:rus:11");
    /* and the same verdicts with the file as without it */
    build_rules_model();
    json_t *a = NULL, *b = NULL;
    assert_int_equal(shnor_run(&M, 2024, f, &a, &e), 0);
    assert_int_equal(shnor_run(&M, 2024, NULL, &b, &e), 0);
    assert_true(json_equal(a, b));
    assert_int_equal(json_array_size(a), 3);
    json_t *i1 = NULL, *i2 = NULL;
    assert_int_equal(indicators_run(&M, 2024, a, f, &i1, &e), 0);
    assert_int_equal(indicators_run(&M, 2024, a, NULL, &i2, &e), 0);
    assert_true(json_equal(i1, i2));
    json_decref(a);
    json_decref(b);
    json_decref(i1);
    json_decref(i2);
    meth_free(f);
    model_release(&M);
}

static void text_helpers(void **state)
{
    char b[32];
    shnor_pct(0.34146, b, sizeof b);
    assert_string_equal(b, "34,1");
    shnor_pct_short(0.3, b, sizeof b);
    assert_string_equal(b, "30");
    shnor_pct_short(0.125, b, sizeof b);
    assert_string_equal(b, "12,5");
    shnor_pct_short(0, b, sizeof b);
    assert_string_equal(b, "0");
    assert_true(shnor_round4(14.0 / 41) == 0.3415);
    assert_string_equal(shnor_kind_ru("OGE"), "ОГЭ");
    assert_string_equal(shnor_kind_ru("XYZ"), "XYZ");
    assert_string_equal(shnor_subject_ru("math_base"), "математика (базовая)");
    shnor_proc_key k;
    assert_int_equal(shnor_parse_proc("EGE:math_prof:11", &k), 0);
    assert_string_equal(k.subject, "math_prof");
    assert_int_equal(k.grade, 11);
    assert_int_equal(shnor_parse_proc("EGE:math:11:x", &k), -1);
    assert_int_equal(shnor_parse_proc(":math:11", &k), -1);
    assert_int_equal(shnor_parse_proc("VPR:math:0", &k), -1);
}

/* ---- indicators ---- */

static json_t *ind(int year, json_t *list)
{
    json_t *out = NULL;
    msk_err e;
    msk_err_clear(&e);
    if (indicators_run(&M, year, list, NULL, &out, &e))
        fail_msg("indicators_run: %s", e.msg);
    return out;
}

static double val(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    assert_true(json_is_number(v));
    return json_number_value(v);
}

static void indicators_zero_denominators_are_null(void **state)
{
    begin(2023, 2024);
    sch("s1");
    finish();
    json_t *list = json_array();
    json_t *o = ind(2024, list);
    static const char *k[] = {"shnor_positive_dynamics_math",    "shnor_positive_dynamics_rus",
                              "vpr_fail_share_fell_4_to_5_math", "vpr_fail_share_fell_4_to_5_rus",
                              "schools_without_fail_oge_rus",    "schools_without_fail_oge_math"};
    for (size_t i = 0; i < 6; i++) {
        assert_true(json_is_null(json_object_get(o, k[i])));
        json_t *d = json_object_get(json_object_get(o, "details"), k[i]);
        assert_int_equal(json_integer_value(json_object_get(d, "denominator")), 0);
        assert_non_null(strstr(json_string_value(json_object_get(d, "text")), "не вычисляется"));
    }
    json_decref(o);
    o = ind(2024, NULL);
    assert_true(json_is_null(json_object_get(o, k[0])));
    json_decref(o);
    json_decref(list);
    model_release(&M);
}

static void indicators_values(void **state)
{
    begin(2023, 2024);
    int32_t s1 = sch("s1"), s2 = sch("s2"), s3 = sch("s3"), x = sch("x"), y = sch("y");
    agg(s1, 2023, "OGE", "math", 9, 10, 5);
    agg(s1, 2024, "OGE", "math", 9, 10, 2); /* fell */
    agg(s2, 2023, "OGE", "math", 9, 10, 3);
    agg(s2, 2024, "OGE", "math", 9, 20, 6); /* 30 % → 30 %: not a fall */
    agg(s1, 2023, "OGE", "rus", 9, 10, 0);
    agg(s1, 2024, "OGE", "rus", 9, 10, 0); /* 0 → 0: not a fall */
    (void)s3;                              /* ШНОР, no ОГЭ: not comparable */
    agg(x, 2023, "VPR", "math", 4, 20, 4); /* 20 % in grade 4 … */
    agg(x, 2024, "VPR", "math", 5, 20, 3); /* … 15 % in grade 5: fell */
    agg(y, 2023, "VPR", "math", 4, 20, 2);
    agg(y, 2024, "VPR", "math", 5, 10, 2); /* rose */
    agg(y, 2024, "VPR", "rus", 5, 10, 2);  /* no grade 4 the year before: not comparable */
    finish();
    json_t *list =
        json_pack("[{s:s}, {s:s}, {s:s}]", "school", "s3", "school", "s1", "school", "s2");
    json_t *o = ind(2024, list);
    assert_true(val(o, "shnor_positive_dynamics_math") == 0.5);
    assert_true(val(o, "shnor_positive_dynamics_rus") == 0.0);
    assert_true(val(o, "vpr_fail_share_fell_4_to_5_math") == 0.5);
    assert_true(json_is_null(json_object_get(o, "vpr_fail_share_fell_4_to_5_rus")));
    assert_true(val(o, "schools_without_fail_oge_rus") == 1.0);
    assert_true(val(o, "schools_without_fail_oge_math") == 0.0);
    json_t *d = json_object_get(json_object_get(o, "details"), "shnor_positive_dynamics_math");
    assert_int_equal(json_integer_value(json_object_get(d, "numerator")), 1);
    assert_int_equal(json_integer_value(json_object_get(d, "denominator")), 2);
    assert_int_equal(json_integer_value(json_object_get(d, "schools_total")), 3);
    assert_string_equal(json_string_value(json_array_get(json_object_get(d, "schools"), 0)), "s1");
    assert_non_null(
        strstr(json_string_value(json_object_get(d, "text")), "1 из 2 школ ШНОР (50,0 %)"));
    json_decref(o);
    /* ОГЭ and ЕГЭ pooled when the setting says so (seed 002: "ГИА (ОГЭ, ЕГЭ)") */
    meth_file *f = ini("[indicators]\ndynamics_rus = OGE:rus:9, EGE:rus:11\n");
    model_release(&M);
    begin(2023, 2024);
    s1 = sch("s1");
    agg(s1, 2023, "OGE", "rus", 9, 10, 0);
    agg(s1, 2024, "OGE", "rus", 9, 10, 0);
    agg(s1, 2023, "EGE", "rus", 11, 10, 2);
    agg(s1, 2024, "EGE", "rus", 11, 10, 1);
    finish();
    json_t *l1 = json_pack("[{s:s}]", "school", "s1");
    msk_err e;
    assert_int_equal(indicators_run(&M, 2024, l1, f, &o, &e), 0);
    assert_true(val(o, "shnor_positive_dynamics_rus") == 1.0); /* 2 of 20 → 1 of 20 */
    json_decref(o);
    /* the built-in default is the act's «ГИА (ОГЭ, ЕГЭ)» too (issue 19 item 6) */
    o = ind(2024, l1);
    assert_true(val(o, "shnor_positive_dynamics_rus") == 1.0);
    json_decref(o);
    /* ОГЭ only, when the municipality's methods say so: 0 of 10 → 0 of 10 is no fall */
    meth_file *oge = ini("[indicators]\ndynamics_rus = OGE:rus:9\n");
    assert_int_equal(indicators_run(&M, 2024, l1, oge, &o, &e), 0);
    assert_true(val(o, "shnor_positive_dynamics_rus") == 0.0);
    json_decref(o);
    meth_free(oge);
    json_decref(l1);
    meth_free(f);
    json_decref(list);
    model_release(&M);
}

static void indicators_errors(void **state)
{
    begin(2023, 2024);
    sch("s1");
    finish();
    json_t *list = json_pack("[{s:s}]", "school", "nosuch"), *o = NULL;
    msk_err e;
    assert_int_equal(indicators_run(&M, 2024, list, NULL, &o, &e), -1);
    assert_null(o);
    assert_non_null(strstr(e.msg, "«nosuch»"));
    json_decref(list);
    meth_file *f = ini("[indicators]\nno_fail_math = OGE\n");
    assert_int_equal(indicators_run(&M, 2024, NULL, f, &o, &e), -1);
    assert_non_null(strstr(e.msg, "«OGE» не понято"));
    meth_free(f);
    f = ini("[indicators]\nno_fail = OGE:math:9\n");
    assert_int_equal(indicators_run(&M, 2024, NULL, f, &o, &e), -1);
    assert_non_null(strstr(e.msg, "неизвестный ключ"));
    meth_free(f);
    model_release(&M);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exactly_30_percent_is_low_just_under_is_not),
        cmocka_unit_test(one_participant_and_no_participants),
        cmocka_unit_test(retakes_and_past_graduates_are_left_out),
        cmocka_unit_test(school_present_in_one_year_only),
        cmocka_unit_test(rule_a_b_ab_settings),
        cmocka_unit_test(rule_b_same_versus_any),
        cmocka_unit_test(small_sample_marking),
        cmocka_unit_test(threshold_in_the_ini_changes_the_list),
        cmocka_unit_test(procedure_list_is_a_setting),
        cmocka_unit_test(json_shape_text_and_order),
        cmocka_unit_test(bad_settings_are_errors),
        cmocka_unit_test(preset_equals_defaults),
        cmocka_unit_test(text_helpers),
        cmocka_unit_test(indicators_zero_denominators_are_null),
        cmocka_unit_test(indicators_values),
        cmocka_unit_test(indicators_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
