/*
 * Unit tests of src/method/directions.c (the direction files and the formula rules, on a
 * resolver of hand-written term values) and of src/engine/directions_in.c (every term over a
 * tiny hand-built model). Every expected number is computed by hand in the comment beside it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine/directions_in.h"
#include "method/directions.h"
#include "model/model.h"
#include "store/analysis.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- a resolver of fixed values: term key → values of schools s1, s2, s3 ---- */

typedef struct fixed {
    const char *key;
    int year; /* 0 = every year */
    double v[3];
} fixed;

static const fixed FIXED[] = {
    {"results(kind=oge, mark=2)", 2022, {2, 2, 2}},
    {"results(kind=oge, mark=2)", 0, {1, 9, NAN}},
    {"results(kind=oge)", 0, {10, 30, 5}},
    {"results(kind=vpr, mark=2)", 0, {0, 1, 6}},
    {"results(kind=vpr)", 0, {0, 10, 20}},
    {"schools()", 0, {1, 1, 1}},
    {"pupils()", 0, {0, 0, 0}},
    {"list(shnor)", 0, {1, 0, 0}},
    {"results(kind=ege, below_min=1)", 0, {1, NAN, NAN}},
    {"results(kind=ege)", 0, {10, NAN, NAN}},
    {"form(f.x)", 0, {1, NAN, 2}},
    {"form(f.a2)", 0, {1, 9, NAN}}, /* form terms as the results above: strict by default */
    {"form(f.a)", 0, {10, 30, 5}},
    {"form(f.b2)", 0, {0, 1, 6}},
    {"form(f.b)", 0, {0, 10, 20}},
};

static int resolved; /* calls of the resolver: a term is resolved once per year */

static const char *fixed_school(void *ctx, size_t i)
{
    static const char *const CODES[] = {"s1", "s2", "s3"};
    (void)ctx;
    return CODES[i];
}

static int fixed_term(void *ctx, const dir_term *t, int year, double *out, msk_err *err)
{
    (void)ctx;
    resolved++;
    for (size_t i = 0; i < sizeof FIXED / sizeof *FIXED; i++)
        if (!strcmp(FIXED[i].key, t->key) && (!FIXED[i].year || FIXED[i].year == year)) {
            memcpy(out, FIXED[i].v, sizeof FIXED[i].v);
            return 0;
        }
    return msk_error(err, "no fixed values");
}

static const dir_resolver FIXED_R = {NULL, 3, fixed_school, fixed_term};

static dir_file *parse(const char *text)
{
    dir_file *f = NULL;
    msk_err e;
    msk_err_clear(&e);
    if (dir_parse("t.ini", text, strlen(text), &f, &e))
        fail_msg("dir_parse: %s (line %lld)", e.msg, (long long)e.row);
    return f;
}

static const char DIR_A[] = "; a comment\n"
                            "[direction]\n"
                            "code = shnor ; inline comment\n"
                            "n = 2\n"
                            "name = Работа со школами\n"
                            "goal = Первая цель\n"
                            "goal = Вторая цель\n"
                            "[indicator share]\n"
                            "name = Доля «2»\n"
                            "level = school\n"
                            "good = lower\n"
                            "unit = %\n"
                            "num = results(kind=oge, mark=2)\n"
                            "den = results(kind=oge)\n"
                            "factor = 100\n"
                            "target = 20\n"
                            "target.2024 = 15\n"
                            "[indicator vpr]\n"
                            "name = ВПР\n"
                            "level = school\n"
                            "good = lower\n"
                            "num = results(kind=vpr, mark=2)\n"
                            "den = results(kind=vpr)\n"
                            "factor = 100\n"
                            "target = 5\n"
                            "[indicator vpr_hi]\n"
                            "name = ВПР, чем больше, тем лучше\n"
                            "level = school\n"
                            "good = higher\n"
                            "num = results(kind=vpr, mark=2)\n"
                            "den = results(kind=vpr)\n"
                            "factor = 100\n"
                            "target = 40\n";

static const char DIR_B[] = "[direction]\n"
                            "code = objectivity\n"
                            "n = 5\n"
                            "name = Объективность\n"
                            "[indicator zero]\n"
                            "name = Знаменатель 0\n"
                            "num = schools()\n"
                            "den = pupils()\n"
                            "target = 1\n";

static const char DIR_C[] = "[direction]\n"
                            "code = talents\n"
                            "n = 3\n"
                            "name = Таланты\n"
                            "[indicator count]\n"
                            "name = Число\n"
                            "num = list(shnor) + 2 - 1\n"
                            "target = 3\n"
                            "[indicator no_target]\n"
                            "name = Без цели\n"
                            "num = schools()\n";

/* Sums of results terms where a school lacks one procedure (ЕГЭ at s2, s3). */
static const char DIR_D[] = "[direction]\n"
                            "code = career\n"
                            "n = 4\n"
                            "name = ГИА\n"
                            "[indicator gia]\n"
                            "name = ОГЭ и ЕГЭ ниже минимума\n"
                            "level = school\n"
                            "num = results(kind=oge, mark=2) + results(kind=ege, below_min=1)\n"
                            "den = results(kind=oge) + results(kind=ege)\n"
                            "factor = 100\n"
                            "[indicator mixed]\n"
                            "name = Форма и результаты\n"
                            "level = school\n"
                            "num = form(f.x) + results(kind=ege)\n";

static json_t *ind_of(json_t *dirs, const char *dir, const char *code)
{
    size_t i, k;
    json_t *d, *it;
    json_array_foreach(dirs, i, d)
    {
        if (strcmp(json_string_value(json_object_get(d, "code")), dir))
            continue;
        json_array_foreach(
            json_object_get(d, "indicators"), k,
            it) if (!strcmp(json_string_value(json_object_get(it, "code")), code)) return it;
    }
    fail_msg("no indicator %s/%s", dir, code);
    return NULL;
}

/* |got − want| ≤ eps (cmocka's float assertion rounds doubles to float) */
static void near(double got, double want, double eps)
{
    if (!(fabs(got - want) <= eps))
        fail_msg("got %.12g, want %.12g", got, want);
}

static double num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static void formula_rules(void **state)
{
    (void)state;
    dir_file *f[3] = {parse(DIR_B), parse(DIR_A), parse(DIR_C)};
    json_t *out = NULL;
    msk_err e;
    resolved = 0;
    assert_int_equal(dir_eval((const dir_file *const *)f, 3, 2024, &FIXED_R, NULL, &out, &e), 0);
    /* ordered by n: 2, 3, 5 */
    assert_int_equal(json_array_size(out), 3);
    assert_string_equal(str(json_array_get(out, 0), "code"), "shnor");
    assert_string_equal(str(json_array_get(out, 1), "code"), "talents");
    assert_string_equal(str(json_array_get(out, 2), "code"), "objectivity");
    assert_int_equal(json_array_size(json_object_get(json_array_get(out, 0), "goals")), 2);

    /* ratio of sums: s1 1/10, s2 9/30, s3 no value (num missing) → 100 × 10/40 = 25, not the
     * mean of the ratios (10 + 30) / 2 = 20 */
    json_t *sh = ind_of(out, "shnor", "share");
    near(num(sh, "value"), 25.0, 1e-9);
    near(num(sh, "num"), 10.0, 1e-9);
    near(num(sh, "den"), 40.0, 1e-9);
    json_t *sm = json_object_get(sh, "schools");
    assert_int_equal(json_object_size(sm), 2);
    near(num(sm, "s1"), 10.0, 1e-9);
    near(num(sm, "s2"), 30.0, 1e-9);
    assert_null(json_object_get(sm, "s3"));
    /* the year's own target 15 overrides 20; lower is better: 25 > 15 → below */
    near(num(sh, "target"), 15.0, 1e-9);
    assert_string_equal(str(sh, "status"), "below");
    /* dynamics: 2022 has its own numerators 2, 2, 2 → 100 × 6/45; 2023 as 2024, target 20 */
    json_t *dyn = json_object_get(sh, "dynamics");
    assert_int_equal(json_array_size(dyn), 3);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(dyn, 0), "year")), 2022);
    near(num(json_array_get(dyn, 0), "value"), 600.0 / 45.0, 1e-9);
    near(num(json_array_get(dyn, 1), "value"), 25.0, 1e-9);
    near(num(json_array_get(dyn, 1), "target"), 20.0, 1e-9);
    near(num(json_array_get(dyn, 2), "target"), 15.0, 1e-9);
    /* outside the target 15: s2 (30) only; s1 (10) meets it */
    json_t *outside = json_object_get(sh, "schools_outside");
    assert_int_equal(json_array_size(outside), 1);
    assert_string_equal(str(json_array_get(outside, 0), "school"), "s2");

    /* den 0 at s1: no value there, its 0/0 adds nothing to the sums: 100 × 7/30 */
    json_t *vpr = ind_of(out, "shnor", "vpr");
    near(num(vpr, "value"), 700.0 / 30.0, 1e-9);
    assert_null(json_object_get(json_object_get(vpr, "schools"), "s1"));
    /* lower is better, target 5: worst first = highest first: s3 (30), s2 (10) */
    outside = json_object_get(vpr, "schools_outside");
    assert_int_equal(json_array_size(outside), 2);
    assert_string_equal(str(json_array_get(outside, 0), "school"), "s3");
    near(num(json_array_get(outside, 0), "value"), 30.0, 1e-9);
    assert_string_equal(str(json_array_get(outside, 1), "school"), "s2");
    /* higher is better, target 40: 23.3 < 40 → below; worst first = lowest first: s2, s3 */
    json_t *hi = ind_of(out, "shnor", "vpr_hi");
    assert_string_equal(str(hi, "status"), "below");
    outside = json_object_get(hi, "schools_outside");
    assert_string_equal(str(json_array_get(outside, 0), "school"), "s2");
    assert_string_equal(str(json_array_get(outside, 1), "school"), "s3");
    assert_string_equal(str(json_array_get(out, 0), "status"), "below");

    /* Σden = 0 → no value, status no_data; the direction has no value at all → no_data; a
     * municipality-level indicator has no per-school values */
    json_t *z = ind_of(out, "objectivity", "zero");
    assert_true(json_is_null(json_object_get(z, "value")));
    assert_string_equal(str(z, "status"), "no_data");
    assert_null(json_object_get(z, "schools"));
    assert_string_equal(str(json_array_get(out, 2), "status"), "no_data");

    /* no den: value = the sum of num over schools; numbers in the formula count per school:
     * (1 + 2 − 1) + (0 + 2 − 1) + (0 + 2 − 1) = 4 ≥ 3 → on_target; an indicator without a
     * target is no_data and does not make its direction below */
    json_t *c = ind_of(out, "talents", "count");
    near(num(c, "value"), 4.0, 1e-9);
    assert_true(json_is_null(json_object_get(c, "den")));
    assert_string_equal(str(c, "status"), "on_target");
    assert_string_equal(str(ind_of(out, "talents", "no_target"), "status"), "no_data");
    assert_string_equal(str(json_array_get(out, 1), "status"), "on_target");

    int on, below, none;
    dir_status_counts(out, &on, &below, &none);
    assert_int_equal(on, 1);
    assert_int_equal(below, 1);
    assert_int_equal(none, 1);
    /* terms shared by indicators and files are resolved once per year: 7 distinct keys × 3
     * years (schools() of two files is one key) */
    assert_int_equal(resolved, 7 * 3);
    json_decref(out);
    for (int i = 0; i < 3; i++)
        dir_free(f[i]);
}

static const char HEAD[] = "[direction]\ncode = shnor\nn = 2\nname = X\n[indicator a]\nname = A\n";

/* The error of HEAD + tail: its line and a piece of its message. */
static void bad(const char *tail, int line, const char *piece)
{
    char text[2048];
    snprintf(text, sizeof text, "%s%s", HEAD, tail);
    dir_file *f = NULL;
    msk_err e;
    msk_err_clear(&e);
    assert_int_equal(dir_parse("bad.ini", text, strlen(text), &f, &e), -1);
    assert_null(f);
    if (e.row != line || !strstr(e.msg, piece))
        fail_msg("«%s»: got line %lld «%s», want line %d «%s»", tail, (long long)e.row, e.msg, line,
                 piece);
    assert_string_equal(e.file, "bad.ini");
}

/* A results term without its procedure counts 0 beside a results term with data: s2 has ОГЭ
 * but no ЕГЭ and stays in the «ОГЭ and ЕГЭ» share; s3 has no ОГЭ «2» value and no ЕГЭ: none of
 * its results terms has data, no value. Other terms stay strict: a form not sent is no value. */
static void missing_procedure(void **state)
{
    (void)state;
    dir_file *f[1] = {parse(DIR_D)};
    json_t *out = NULL;
    msk_err e;
    assert_int_equal(dir_eval((const dir_file *const *)f, 1, 2024, &FIXED_R, NULL, &out, &e), 0);
    /* s1 (1 + 1)/(10 + 10) = 10 %; s2 (9 + 0)/(30 + 0) = 30 %; s3 none → 100 × 11/50 = 22 */
    json_t *g = ind_of(out, "career", "gia");
    json_t *sm = json_object_get(g, "schools");
    near(num(sm, "s1"), 10.0, 1e-9);
    near(num(sm, "s2"), 30.0, 1e-9);
    assert_null(json_object_get(sm, "s3"));
    near(num(g, "value"), 22.0, 1e-9);
    near(num(g, "den"), 50.0, 1e-9);
    /* s1 1 + 10; s2: the form was not sent; s3: its only results term has no data → 11 */
    json_t *m = ind_of(out, "career", "mixed");
    near(num(m, "value"), 11.0, 1e-9);
    assert_int_equal(json_object_size(json_object_get(m, "schools")), 1);
    json_decref(out);
    dir_free(f[0]);
}

static void parse_errors(void **state)
{
    (void)state;
    bad("num = foo(1)\n", 7, "неизвестный член «foo»");
    bad("num = results(color=red)\n", 7, "нет условия «color»");
    bad("num = results(kind=oge\n", 7, "закрывающей скобки");
    bad("num = schools() schools()\n", 7, "ожидается «+» или «-»");
    bad("num = list(other)\n", 7, "list(other)");
    bad("num = list_left(other)\n", 7, "list_left(other): списка нет");
    bad("num = list_left()\n", 7, "list_left() ожидает список");
    bad("num = improved(list=other, kind=rkr)\n", 7, "improved(list=other)");
    bad("num = improved(mark=2)\n", 7, "у improved() нет условия «mark»");
    bad("num = form(nodot)\n", 7, "ФОРМА.ПОКАЗАТЕЛЬ");
    bad("num = results(grade=пятый)\n", 7, "не число");
    bad("num = results(kind>=oge)\n", 7, "только «=» или «!=»");
    bad("num = olympiad(stage>=city)\n", 7, "этап олимпиады «city»");
    bad("num = registry(teacher, a=1, b=2)\n", 7, "не больше 1 условий");
    bad("num = registry_bank(expert, role=observer, subjects=math)\n", 7, "не больше 1 условий");
    bad("num = registry_bank()\n", 7, "registry_bank(ВИД, столбец=значение)");
    bad("num = \n", 7, "пустая формула");
    bad("num = schools()\nlevel = city\n", 8, "level");
    bad("num = schools()\ngood = better\n", 8, "good");
    bad("num = schools()\nmissing = some\n", 8, "missing — any или all");
    bad("num = schools()\ncolour = red\n", 8, "нет ключа «colour»");
    bad("num = schools()\ntarget.20x4 = 1\n", 8, "target.ГОД");
    bad("num = schools()\ntarget = много\n", 8, "число");
    bad("num = schools()\nnum = pupils()\n", 8, "повторяется");
    bad("unit = %\n", 5, "нужны ключи name и num");
    bad("num = schools()\n[other]\nx = 1\n", 9, "раздел [other]");
    bad("num = schools()\n[indicator b]\nname = B\nnum = schools()\n[indicator a]\nname = A2\n", 11,
        "описан дважды");
    bad("num = schools()\nthis is not ini\n", 8, "синтаксиса");
    dir_file *f = NULL;
    msk_err e;
    const char *nodir = "[indicator a]\nname = A\nnum = schools()\n";
    assert_int_equal(dir_parse("x.ini", nodir, strlen(nodir), &f, &e), -1);
    assert_non_null(strstr(e.msg, "[direction]"));
    const char *badcode = "[direction]\ncode = sport\n";
    assert_int_equal(dir_parse("x.ini", badcode, strlen(badcode), &f, &e), -1);
    assert_int_equal(e.row, 2);
    const char *badn = "[direction]\ncode = shnor\nn = 10\n";
    assert_int_equal(dir_parse("x.ini", badn, strlen(badn), &f, &e), -1);
    assert_int_equal(e.row, 3);
}

/* missing = all (DHIS2's «skip if all values are missing»): a term without a value counts 0 in
 * its sum, and the sum has no value only when none of its terms has one. Form terms here:
 * results terms already count 0 for a procedure the school did not hold (missing_procedure). */
static void missing_values(void **state)
{
    (void)state;
    const char *text = "[direction]\ncode = shnor\nn = 2\nname = X\n"
                       "[indicator any]\nname = A\nlevel = school\n"
                       "num = form(f.a2) + form(f.b2)\n"
                       "den = form(f.a) + form(f.b)\nfactor = 100\n"
                       "[indicator all]\nname = B\nlevel = school\nmissing = all\n"
                       "num = form(f.a2) + form(f.b2)\n"
                       "den = form(f.a) + form(f.b)\nfactor = 100\n"
                       "[indicator alone]\nname = C\nlevel = school\nmissing = all\n"
                       "num = form(f.a2) + 1\n";
    dir_file *f = parse(text);
    json_t *out = NULL;
    msk_err e;
    assert_int_equal(dir_eval((const dir_file *const *)&f, 1, 2024, &FIXED_R, NULL, &out, &e), 0);
    /* any: s3 has no ОГЭ «2» value → no value, out of the sums: 100 × (1 + 10) / (10 + 40) = 22 */
    json_t *a = ind_of(out, "shnor", "any");
    near(num(a, "value"), 22.0, 1e-9);
    assert_null(json_object_get(json_object_get(a, "schools"), "s3"));
    /* all: s3 = 100 × (0 + 6) / (5 + 20) = 24; 100 × (1 + 10 + 6) / (10 + 40 + 25) = 1700 / 75 */
    json_t *b = ind_of(out, "shnor", "all");
    near(num(json_object_get(b, "schools"), "s3"), 24.0, 1e-9);
    near(num(b, "value"), 1700.0 / 75.0, 1e-9);
    near(num(b, "den"), 75.0, 1e-9);
    /* the only term missing: still no value (a number is not data): (1 + 1) + (9 + 1) = 12 */
    json_t *c = ind_of(out, "shnor", "alone");
    assert_null(json_object_get(json_object_get(c, "schools"), "s3"));
    near(num(c, "value"), 12.0, 1e-9);
    json_decref(out);
    dir_free(f);
}

/* A goal longer than inih's line buffer is read whole; an indented line continues a value. */
static void long_lines(void **state)
{
    (void)state;
    char text[4096], goal[1200] = "";
    for (int i = 0; i < 60; i++)
        snprintf(goal + strlen(goal), sizeof goal - strlen(goal), "%sцель%d", i ? " " : "", i);
    snprintf(text, sizeof text,
             "[direction]\ncode = shnor\nn = 2\nname = X\ngoal = %s\n[indicator a]\nname = A\n"
             "num = results(kind=oge,\n  mark=2)\n",
             goal);
    dir_file *f = parse(text);
    json_t *out = NULL;
    msk_err e;
    assert_int_equal(dir_eval((const dir_file *const *)&f, 1, 2024, &FIXED_R, NULL, &out, &e), 0);
    json_t *d = json_array_get(out, 0);
    assert_string_equal(json_string_value(json_array_get(json_object_get(d, "goals"), 0)), goal);
    near(num(ind_of(out, "shnor", "a"), "value"), 10.0, 1e-9); /* 1 + 9 */
    assert_int_equal(dir_nterms(f), 1);
    assert_string_equal(dir_term_at(f, 0)->key, "results(kind=oge, mark=2)");
    assert_int_equal(strlen(dir_hash(f)), 64);
    json_decref(out);
    dir_free(f);
}

/* ---- the engine's resolver on a tiny model ---- */

static model M;

static void add_rows(int32_t proc, int32_t school, const char *pupil, int mark, int score,
                     unsigned flags)
{
    model_add_result(&M, proc, school, model_pupil(&M, school, pupil), NAN, mark, score, 0, flags,
                     NULL, 0);
}

static void build_model(void)
{
    model_init(&M, 2022, 2024);
    int32_t a = model_add_school(&M, "a", "sosh", "urban");
    int32_t b = model_add_school(&M, "b", "sosh", "rural");
    int32_t vm = model_add_proc(&M, 2024, "VPR", "math", 5, NAN, NAN, NAN, NAN, -1);
    int32_t vr = model_add_proc(&M, 2024, "VPR", "rus", 5, NAN, NAN, NAN, NAN, -1);
    int32_t er = model_add_proc(&M, 2024, "EGE", "rus", 11, NAN, NAN, NAN, NAN, 36);
    int32_t em = model_add_proc(&M, 2024, "EGE", "math_prof", 11, NAN, NAN, NAN, NAN, 27);
    int32_t es = model_add_proc(&M, 2024, "EGE", "soc", 11, NAN, NAN, NAN, NAN, 55);
    /* a: ВПР math p1 «2», p2 «3», p3 «5» (ОВЗ), p4 «2» absent; rus p1, p2 «4» */
    add_rows(vm, a, "p1", 2, -1, 0);
    add_rows(vm, a, "p2", 3, -1, 0);
    add_rows(vm, a, "p3", 5, -1, MODEL_OVZ);
    add_rows(vm, a, "p4", 2, -1, MODEL_ABSENT);
    add_rows(vr, a, "p1", 4, -1, 0);
    add_rows(vr, a, "p2", 4, -1, 0);
    /* b: ВПР math as an aggregate: 10 participants, 4 «2», 6 «3» */
    model_add_aggregate(&M, vm, b, 10, 4, 6, 0, 0, 4);
    /* a: ЕГЭ p10 rus 80, math 70, soc 50; p11 rus 30 (below the minimum 36), math 50, soc 60 */
    add_rows(er, a, "p10", 0, 80, 0);
    add_rows(er, a, "p11", 0, 30, 0);
    add_rows(em, a, "p10", 0, 70, 0);
    add_rows(em, a, "p11", 0, 50, 0);
    add_rows(es, a, "p10", 0, 50, 0);
    add_rows(es, a, "p11", 0, 60, 0);
    model_olympiad o = {.year = 2024, .grade = 9, .school = a, .pupil = -1, .score = 10};
    snprintf(o.stage, sizeof o.stage, "municipal");
    snprintf(o.subject, sizeof o.subject, "math");
    snprintf(o.status, sizeof o.status, "prizewinner");
    model_add_olympiad(&M, &o);
    snprintf(o.status, sizeof o.status, "winner");
    model_add_olympiad(&M, &o);
    snprintf(o.stage, sizeof o.stage, "school");
    snprintf(o.status, sizeof o.status, "participant");
    o.school = b;
    model_add_olympiad(&M, &o);
    const char *dest[] = {"spo", "spo", "grade10"};
    for (int i = 0; i < 3; i++) {
        model_graduate g = {.year = 2024, .grade = 9, .attestat = 1, .school = a, .pupil = -1};
        snprintf(g.destination, sizeof g.destination, "%s", dest[i]);
        model_add_graduate(&M, &g);
    }
    model_graduate g = {.year = 2024, .grade = 11, .attestat = 1, .school = b, .pupil = -1};
    snprintf(g.destination, sizeof g.destination, "vo");
    model_add_graduate(&M, &g);
    model_set_context(&M, 2024, a, "pupils_total", 100);
    model_finish(&M);
}

/* The value of a school-level indicator num = TERM at each school: "a=…,b=…" ("-" none). */
static const char *term_at(const char *term, int year)
{
    static char got[128];
    char text[1024];
    snprintf(text, sizeof text,
             "[direction]\ncode = shnor\nn = 2\nname = X\n[indicator t]\nname = T\n"
             "level = school\nnum = %s\n",
             term);
    dir_file *f = parse(text);
    json_t *shnor = json_array(), *risk = json_array(), *obj = json_array();
    json_t *it = json_object();
    json_object_set_new(it, "school", json_string("b"));
    json_array_append_new(shnor, it);
    json_t *const lists[3] = {shnor, risk, obj};
    json_t *out = NULL;
    msk_err e;
    msk_err_clear(&e);
    if (engine_directions_run(NULL, &M, 2024, lists, &f, 1, &out, &e))
        fail_msg("%s: %s", term, e.msg);
    json_t *ind = ind_of(out, "shnor", "t");
    json_t *sch = json_object_get(ind, "schools");
    if (year != 2024) { /* the dynamics' value of that year, municipal */
        json_t *d = json_object_get(ind, "dynamics");
        double v = num(json_array_get(d, (size_t)(year - 2022)), "value");
        snprintf(got, sizeof got, "%g", v);
    } else {
        double va = num(sch, "a"), vb = num(sch, "b");
        snprintf(got, sizeof got, "a=%s%g,b=%s%g", isnan(va) ? "-" : "", isnan(va) ? 0 : va,
                 isnan(vb) ? "-" : "", isnan(vb) ? 0 : vb);
    }
    json_decref(out);
    json_decref(shnor), json_decref(risk), json_decref(obj);
    dir_free(f);
    return got;
}

static void engine_terms(void **state)
{
    (void)state;
    build_model();
    assert_string_equal(term_at("schools()", 2024), "a=1,b=1");
    assert_string_equal(term_at("pupils()", 2024), "a=100,b=-0");
    /* the absent p4 does not count; b from its aggregate */
    assert_string_equal(term_at("results(kind=vpr, subject=math, mark=2)", 2024), "a=1,b=4");
    assert_string_equal(term_at("results(kind=vpr, subject=math)", 2024), "a=3,b=10");
    assert_string_equal(term_at("results(kind=vpr, mark>=4)", 2024), "a=3,b=0");
    /* distinct pupils over both subjects: p1, p2, p3 */
    assert_string_equal(term_at("participants(kind=vpr, grade=5)", 2024), "a=3,b=10");
    /* ОВЗ is known per pupil only: the aggregate school has no data */
    assert_string_equal(term_at("results(kind=vpr, ovz=1)", 2024), "a=1,b=-0");
    assert_string_equal(term_at("results(kind=ege, subject=rus, below_min=1)", 2024), "a=1,b=-0");
    assert_string_equal(term_at("score_sum(kind=ege, subject=rus)", 2024), "a=110,b=-0");
    assert_string_equal(term_at("results(kind=ege, score>=60)", 2024), "a=3,b=-0");
    /* university: rus 40, math_prof 39, soc 45 → p10 3 subjects, p11 2 */
    assert_string_equal(term_at("ege3(threshold=university)", 2024), "a=1,b=-0");
    /* the year's minimums 36, 27, 55: p10 rus, math (2), p11 math, soc (2) */
    assert_string_equal(term_at("ege3(threshold=min)", 2024), "a=0,b=-0");
    assert_string_equal(term_at("ege3(threshold=min, subjects>=2)", 2024), "a=2,b=-0");
    assert_string_equal(term_at("ege3(threshold=45)", 2024), "a=1,b=-0");
    assert_string_equal(term_at("olympiad(stage=municipal, status=prizer)", 2024), "a=1,b=0");
    assert_string_equal(term_at("olympiad(stage!=school)", 2024), "a=2,b=0");
    assert_string_equal(term_at("olympiad(stage>=municipal)", 2024), "a=2,b=0");
    assert_string_equal(term_at("olympiad(stage<municipal, status=participant)", 2024), "a=0,b=1");
    assert_string_equal(term_at("olympiad()", 2023), "nan"); /* no olympiads that year */
    assert_string_equal(term_at("graduates(grade=9, destination=spo)", 2024), "a=2,b=0");
    assert_string_equal(term_at("graduates(destination=vo)", 2024), "a=0,b=1");
    assert_string_equal(term_at("list(shnor)", 2024), "a=0,b=1");
    assert_string_equal(term_at("list(risk)", 2024), "a=0,b=0");
    assert_string_equal(term_at("list(shnor)", 2023), "nan"); /* no stored analysis */
    assert_string_equal(term_at("results(kind=vpr)", 2023), "nan");
    model_release(&M);
}

/* ---- improved(…) and list_left(…): seed 002 §2.3.1 п. 3 and §3.3.1 п. 3 (issue 19) ---- */

static model R;

/* Five schools; РКР of 2023 and 2024 as school totals (participants, «2», «3»):
 *   s1 ШНОР: math 7 20/6 → 20/4, rus 4 10/4 → 10/2: 10/30 = 33 % → 6/30 = 20 % — improved
 *   s2 ШНОР: math 7 20/2 → 25/5 (10 % → 20 %), math 5 20/10 → 20/0 — worse in 4, 6, 7, 8
 *            (with grade 5 pooled: 12/40 = 30 % → 5/45 = 11 %, improved — grade!=5 excludes it)
 *   s3 ШНОР: math 7 10/0 → 10/0: 0 % and 0 % is no dynamics
 *   s4 ШНОР: math 7 only in 2024 — no data, out of both sums
 *   s5 not ШНОР: math 7 10/5 → 10/1 — improved, but not a ШНОР school
 * By hand: numerator s1 = 1; denominator the ШНОР schools with a value s1, s2, s3 = 3;
 * value 100 · 1 / 3 = 33,33 %. */
static void build_rkr(void)
{
    model_init(&R, 2022, 2024);
    int32_t s[5];
    for (int i = 0; i < 5; i++) {
        char code[8];
        snprintf(code, sizeof code, "s%d", i + 1);
        s[i] = model_add_school(&R, code, "sosh", "urban");
    }
    int32_t m7[2], r4[2], m5[2];
    for (int y = 0; y < 2; y++) {
        m7[y] = model_add_proc(&R, 2023 + y, "RKR", "math", 7, NAN, NAN, NAN, NAN, -1);
        r4[y] = model_add_proc(&R, 2023 + y, "RKR", "rus", 4, NAN, NAN, NAN, NAN, -1);
        m5[y] = model_add_proc(&R, 2023 + y, "RKR", "math", 5, NAN, NAN, NAN, NAN, -1);
    }
    model_add_aggregate(&R, m7[0], s[0], 20, 6, 14, 0, 0, -1);
    model_add_aggregate(&R, m7[1], s[0], 20, 4, 16, 0, 0, -1);
    model_add_aggregate(&R, r4[0], s[0], 10, 4, 6, 0, 0, -1);
    model_add_aggregate(&R, r4[1], s[0], 10, 2, 8, 0, 0, -1);
    model_add_aggregate(&R, m7[0], s[1], 20, 2, 18, 0, 0, -1);
    model_add_aggregate(&R, m7[1], s[1], 25, 5, 20, 0, 0, -1);
    model_add_aggregate(&R, m5[0], s[1], 20, 10, 10, 0, 0, -1);
    model_add_aggregate(&R, m5[1], s[1], 20, 0, 20, 0, 0, -1);
    model_add_aggregate(&R, m7[0], s[2], 10, 0, 10, 0, 0, -1);
    model_add_aggregate(&R, m7[1], s[2], 10, 0, 10, 0, 0, -1);
    model_add_aggregate(&R, m7[1], s[3], 10, 3, 7, 0, 0, -1);
    model_add_aggregate(&R, m7[0], s[4], 10, 5, 5, 0, 0, -1);
    model_add_aggregate(&R, m7[1], s[4], 10, 1, 9, 0, 0, -1);
    model_finish(&R);
}

static json_t *list_of(const char *const *codes)
{
    json_t *a = json_array();
    for (size_t i = 0; codes[i]; i++)
        json_array_append_new(a, json_pack("{s:s}", "school", codes[i]));
    return a;
}

/* Evaluate one indicator over R for 2024 (store may be NULL) with the lists of 2024. */
static json_t *eval_r(store *st, const char *level, const char *num, const char *den,
                      const char *const *shnor, const char *const *risk)
{
    char text[1024];
    snprintf(text, sizeof text,
             "[direction]\ncode = shnor\nn = 2\nname = X\n[indicator t]\nname = T\n"
             "level = %s\nfactor = 100\nnum = %s\n%s%s%s",
             level, num, den ? "den = " : "", den ? den : "", den ? "\n" : "");
    dir_file *f = parse(text);
    static const char *const none[] = {NULL};
    json_t *const lists[3] = {list_of(shnor), list_of(risk ? risk : none), list_of(none)};
    json_t *out = NULL;
    msk_err e;
    msk_err_clear(&e);
    if (engine_directions_run(st, &R, 2024, lists, &f, 1, &out, &e))
        fail_msg("%s: %s", num, e.msg);
    json_t *ind = json_incref(ind_of(out, "shnor", "t"));
    json_decref(out);
    for (int i = 0; i < 3; i++)
        json_decref(lists[i]);
    dir_free(f);
    return ind;
}

/* "s1=1,s2=0,…" ("-" no value) of a school-level indicator. */
static const char *by_school(json_t *ind)
{
    static char got[128];
    size_t n = 0;
    got[0] = '\0';
    for (int i = 1; i <= 5; i++) {
        char code[8];
        snprintf(code, sizeof code, "s%d", i);
        const json_t *v = json_object_get(json_object_get(ind, "schools"), code);
        n += (size_t)snprintf(got + n, sizeof got - n, "%s%s=%s%g", i > 1 ? "," : "", code,
                              v ? "" : "-", v ? json_number_value(v) : 0);
    }
    return got;
}

static void improved_rkr(void **state)
{
    (void)state;
    build_rkr();
    static const char *const shnor[] = {"s1", "s2", "s3", "s4", NULL};
    const char *rkr = "improved(list=shnor, kind=rkr, grade>=4, grade<=8, grade!=5)";
    json_t *ind = eval_r(NULL, "school", rkr, NULL, shnor, NULL);
    assert_string_equal(by_school(ind), "s1=100,s2=0,s3=0,s4=-0,s5=0");
    json_decref(ind);
    /* without the list: s5 improved too; with grade 5 pooled: s2 improved */
    ind = eval_r(NULL, "school", "improved(kind=rkr, grade>=4, grade<=8, grade!=5)", NULL, shnor,
                 NULL);
    assert_string_equal(by_school(ind), "s1=100,s2=0,s3=0,s4=-0,s5=100");
    json_decref(ind);
    ind = eval_r(NULL, "school", "improved(list=shnor, kind=rkr, grade>=4, grade<=8)", NULL, shnor,
                 NULL);
    assert_string_equal(by_school(ind), "s1=100,s2=100,s3=0,s4=-0,s5=0");
    json_decref(ind);
    /* the indicator of 02-shnor.ini: 1 of the 3 comparable ШНОР schools */
    ind = eval_r(NULL, "municipality", rkr, "list(shnor)", shnor, NULL);
    near(num(ind, "num"), 1, 1e-9);
    near(num(ind, "den"), 3, 1e-9);
    near(num(ind, "value"), 100.0 / 3, 1e-9);
    /* 2023 needs 2022's РКР and 2023's list: no value */
    assert_true(json_is_null(
        json_object_get(json_array_get(json_object_get(ind, "dynamics"), 1), "value")));
    json_decref(ind);
    model_release(&R);
}

/* seed 002 §3.3.1 п. 3 from the lists: risk zone 2023 (stored analysis) s1, s2, s3; risk zone
 * 2024 (this run) s2, s5. Eliminated: s1, s3 (left); s2 stayed, s5 entered, s4 never on it.
 * By hand: 2 of 5 schools = 40 %. */
static void list_left_risk(void **state)
{
    (void)state;
    build_rkr();
    char dir[] = "/tmp/msoko-dir-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/d.db", dir);
    store *st = NULL;
    msk_err e;
    msk_err_clear(&e);
    assert_int_equal(store_open(path, STORE_CREATE, &st, &e), 0);
    assert_int_equal(store_begin(st, &e), 0);
    for (int i = 1; i <= 5; i++) {
        char code[8];
        snprintf(code, sizeof code, "s%d", i);
        store_school sc = {code, code, "sosh", "urban", "NOO,OOO"};
        assert_int_equal(store_school_put(st, &sc, NULL, &e), 0);
    }
    int64_t run = 0;
    assert_int_equal(store_run_begin(st, 2023, "h", "test", &run, &e), 0);
    const char *risk23[] = {"s1", "s2", "s3"};
    for (int i = 0; i < 3; i++)
        assert_int_equal(
            store_finding_add(st, run, "risk", risk23[i], 2023, "staff", "{}", NULL, &e), 0);
    assert_int_equal(store_commit(st, &e), 0);
    static const char *const shnor[] = {NULL}, *const risk24[] = {"s2", "s5", NULL};
    json_t *ind = eval_r(st, "school", "list_left(risk)", NULL, shnor, risk24);
    assert_string_equal(by_school(ind), "s1=100,s2=0,s3=100,s4=0,s5=0");
    json_decref(ind);
    ind = eval_r(st, "municipality", "list_left(risk)", "schools()", shnor, risk24);
    near(num(ind, "value"), 40, 1e-9);
    /* 2023 needs the list of 2022, never analysed: no value */
    assert_true(json_is_null(
        json_object_get(json_array_get(json_object_get(ind, "dynamics"), 1), "value")));
    json_decref(ind);
    /* without a store the year before has no analysis */
    ind = eval_r(NULL, "municipality", "list_left(risk)", "schools()", shnor, risk24);
    assert_true(json_is_null(json_object_get(ind, "value")));
    json_decref(ind);
    store_close(st);
    unlink(path);
    rmdir(dir);
    model_release(&R);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(formula_rules),  cmocka_unit_test(missing_procedure),
        cmocka_unit_test(missing_values), cmocka_unit_test(parse_errors),
        cmocka_unit_test(long_lines),     cmocka_unit_test(engine_terms),
        cmocka_unit_test(improved_rkr),   cmocka_unit_test(list_left_risk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
