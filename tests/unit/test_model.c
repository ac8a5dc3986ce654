/*
 * Unit tests of src/model: the cell rules at every boundary (absent, retake and past-year
 * graduate rows left out, marks derived from cut-offs, ЕГЭ below the minimum, base mathematics
 * by mark, aggregates only where no per-pupil rows exist and equal to the same data given per
 * pupil), context values, pupil interning, lookups, and model_load checked against SQL on a
 * generated municipality.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "demo/demo.h"
#include "model/model.h"
#include "store/store.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { Y = 2024 };

static int32_t school(model *m, const char *code)
{
    return model_add_school(m, code, "sosh", "urban");
}

/* A row with a mark (or 0) and a primary score (or NAN). */
static void row(model *m, int32_t p, int32_t s, const char *code, double primary, int mark,
                unsigned flags)
{
    model_add_result(m, p, s, model_pupil(m, s, code), primary, mark, -1, 0, flags, NULL, 0);
}

static void ege(model *m, int32_t p, int32_t s, const char *code, int test, unsigned flags)
{
    model_add_result(m, p, s, model_pupil(m, s, code), NAN, 0, test, 0, flags, NULL, 0);
}

static void exclusions_and_counts(void **state)
{
    model m;
    model_init(&m, Y, Y);
    int32_t s = school(&m, "sch1");
    int32_t p = model_add_proc(&m, Y, "VPR", "math", 5, 20, 7, 11, 15, -1);
    row(&m, p, s, "a", 8, 3, 0);
    row(&m, p, s, "b", 3, 2, 0);
    row(&m, p, s, "c", NAN, 0, MODEL_ABSENT);
    row(&m, p, s, "d", 2, 2, MODEL_RETAKE);
    row(&m, p, s, "b", 9, 3, MODEL_RETAKE); /* b's retake: the first result counts */
    row(&m, p, s, "e", 1, 2, MODEL_PAST_GRADUATE);
    row(&m, p, s, "f", 12, 4, MODEL_OVZ); /* ОВЗ pupils count */
    row(&m, p, s, "g", 16, 5, 0);
    model_finish(&m);
    const model_cell *c = model_cell_of(&m, p, s);
    assert_non_null(c);
    assert_int_equal(c->participants, 4);
    assert_int_equal(c->marks[2], 1);
    assert_int_equal(c->marks[3], 1);
    assert_int_equal(c->marks[4], 1);
    assert_int_equal(c->marks[5], 1);
    assert_int_equal(c->failed, 1);
    assert_int_equal(c->below_min, 1);
    assert_int_equal(c->from_aggregate, 0);
    assert_true(fabs(c->mean_primary - (8 + 3 + 12 + 16) / 4.0) < 1e-9);
    assert_true(isnan(c->mean_test));
    model_release(&m);
}

static void only_excluded_rows_give_an_empty_cell(void **state)
{
    model m;
    model_init(&m, Y, Y);
    int32_t s = school(&m, "sch1");
    int32_t p = model_add_proc(&m, Y, "VPR", "math", 5, 20, 7, 11, 15, -1);
    row(&m, p, s, "a", NAN, 0, MODEL_ABSENT);
    model_add_aggregate(&m, p, s, 10, 5, 5, 0, 0, -1); /* per-pupil rows exist: not used */
    model_finish(&m);
    const model_cell *c = model_cell_of(&m, p, s);
    assert_non_null(c);
    assert_int_equal(c->participants, 0);
    assert_int_equal(c->failed, 0);
    assert_int_equal(c->from_aggregate, 0);
    assert_true(isnan(c->mean_primary));
    model_release(&m);
}

static void marks_derived_from_cutoffs(void **state)
{
    model m;
    model_init(&m, Y, Y);
    int32_t s = school(&m, "sch1");
    int32_t p = model_add_proc(&m, Y, "VPR", "math", 5, 20, 7, 11, 15, -1);
    int32_t q = model_add_proc(&m, Y, "DIAG", "math", 5, 20, NAN, NAN, NAN, -1);
    const double score[] = {0, 6, 7, 10, 11, 14, 15, 20};
    const int want[] = {2, 2, 3, 3, 4, 4, 5, 5};
    char code[16];
    for (int i = 0; i < 8; i++) {
        snprintf(code, sizeof code, "p%d", i);
        row(&m, p, s, code, score[i], 0, 0);
        row(&m, q, s, code, score[i], 0, 0); /* no cut-offs: no mark */
    }
    row(&m, p, s, "given", 20, 2, 0); /* a given mark wins over the score */
    model_finish(&m);
    const model_cell *c = model_cell_of(&m, p, s);
    int marks[6] = {0};
    for (int i = 0; i < 8; i++)
        marks[want[i]]++;
    marks[2]++;
    for (int k = 2; k <= 5; k++)
        assert_int_equal(c->marks[k], marks[k]);
    assert_int_equal(c->failed, 3);
    assert_int_equal(c->participants, 9);
    c = model_cell_of(&m, q, s);
    assert_int_equal(c->participants, 8);
    assert_int_equal(c->marks[2] + c->marks[3] + c->marks[4] + c->marks[5], 0);
    assert_int_equal(c->failed, 0);
    model_release(&m);
}

static void ege_below_minimum(void **state)
{
    model m;
    model_init(&m, Y, Y);
    int32_t s = school(&m, "sch1");
    int32_t p = model_add_proc(&m, Y, "EGE", "rus", 11, 50, NAN, NAN, NAN, 24);
    ege(&m, p, s, "a", 23, 0);
    ege(&m, p, s, "b", 24, 0);
    ege(&m, p, s, "c", 0, 0);
    ege(&m, p, s, "d", -1, 0); /* no score: not counted as failed */
    ege(&m, p, s, "e", 10, MODEL_ABSENT);
    ege(&m, p, s, "f", 10, MODEL_RETAKE);
    ege(&m, p, s, "g", 10, MODEL_PAST_GRADUATE);
    model_finish(&m);
    const model_cell *c = model_cell_of(&m, p, s);
    assert_int_equal(c->participants, 4);
    assert_int_equal(c->failed, 2);
    assert_int_equal(c->below_min, 2);
    assert_true(fabs(c->mean_test - (23 + 24 + 0) / 3.0) < 1e-9);
    assert_true(isnan(c->mean_primary));
    model_release(&m);
}

static void base_math_is_judged_by_mark(void **state)
{
    model m;
    model_init(&m, Y, Y);
    int32_t s = school(&m, "sch1");
    int32_t p = model_add_proc(&m, Y, "EGE", "math_base", 11, 21, 7, 12, 17, -1);
    int32_t q = model_add_proc(&m, Y, "EGE", "math_prof", 11, 32, NAN, NAN, NAN, 27);
    model_add_result(&m, p, s, model_pupil(&m, s, "a"), 5, 2, -1, 0, 0, NULL, 0);
    model_add_result(&m, p, s, model_pupil(&m, s, "b"), 8, 3, -1, 0, 0, NULL, 0);
    model_add_result(&m, p, s, model_pupil(&m, s, "c"), 6, 0, -1, 0, 0, NULL, 0);
    /* a profile mark "2" does not fail: only the test score does */
    model_add_result(&m, q, s, model_pupil(&m, s, "a"), NAN, 2, 40, 0, 0, NULL, 0);
    model_add_result(&m, q, s, model_pupil(&m, s, "b"), NAN, 0, 26, 0, 0, NULL, 0);
    model_add_result(&m, q, s, model_pupil(&m, s, "c"), NAN, 0, 27, 0, 0, NULL, 0);
    model_finish(&m);
    const model_cell *c = model_cell_of(&m, p, s);
    assert_int_equal(c->participants, 3);
    assert_int_equal(c->failed, 2); /* "a" by mark, "c" by the derived mark */
    assert_int_equal(c->marks[2], 2);
    c = model_cell_of(&m, q, s);
    assert_int_equal(c->failed, 1);
    assert_int_equal(c->below_min, 1);
    model_release(&m);
}

static void aggregates_only_where_no_rows(void **state)
{
    model m;
    model_init(&m, Y, Y);
    int32_t a = school(&m, "a"), b = school(&m, "b"), c0 = school(&m, "c");
    int32_t p = model_add_proc(&m, Y, "OGE", "math", 9, 31, 8, 15, 22, -1);
    row(&m, p, a, "x", 10, 3, 0);
    model_add_aggregate(&m, p, a, 30, 10, 10, 5, 5, -1);
    model_add_aggregate(&m, p, b, 20, 4, 8, 6, 2, -1);
    model_add_aggregate(&m, p, b, 21, 5, 8, 6, 2, -1); /* a later aggregate replaces it */
    model_finish(&m);
    const model_cell *c = model_cell_of(&m, p, a);
    assert_int_equal(c->participants, 1);
    assert_int_equal(c->from_aggregate, 0);
    c = model_cell_of(&m, p, b);
    assert_non_null(c);
    assert_int_equal(c->from_aggregate, 1);
    assert_int_equal(c->participants, 21);
    assert_int_equal(c->marks[2], 5);
    assert_int_equal(c->marks[5], 2);
    assert_int_equal(c->failed, 5);
    assert_int_equal(c->below_min, 5);
    assert_true(isnan(c->mean_primary));
    assert_true(isnan(c->mean_test));
    assert_null(model_cell_of(&m, p, c0));
    assert_int_equal(m.ncells, 2);
    model_release(&m);
}

/* The same results given per pupil (school a) and counted (school b) make equal cells. */
static void per_pupil_equals_aggregate(void **state)
{
    model m;
    model_init(&m, Y, Y);
    int32_t a = school(&m, "a"), b = school(&m, "b");
    int32_t p = model_add_proc(&m, Y, "VPR", "rus", 5, 45, 18, 29, 39, -1);
    int32_t e = model_add_proc(&m, Y, "EGE", "rus", 11, 50, NAN, NAN, NAN, 24);
    const int marks[] = {2, 2, 3, 3, 3, 4, 5, 5, 4, 3, 2};
    const int tests[] = {10, 23, 24, 50, 80, 99, 12};
    char code[16];
    int n[6] = {0}, below = 0;
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        snprintf(code, sizeof code, "v%zu", i);
        row(&m, p, a, code, NAN, marks[i], 0);
        n[marks[i]]++;
    }
    row(&m, p, a, "gone", NAN, 0, MODEL_ABSENT);
    row(&m, p, a, "v0", NAN, 3, MODEL_RETAKE);
    model_add_aggregate(&m, p, b, 11, n[2], n[3], n[4], n[5], -1);
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        snprintf(code, sizeof code, "e%zu", i);
        ege(&m, e, a, code, tests[i], 0);
        below += tests[i] < 24;
    }
    model_add_aggregate(&m, e, b, 7, 0, 0, 0, 0, below);
    model_finish(&m);
    for (int32_t k = 0; k < 2; k++) {
        const model_cell *x = model_cell_of(&m, k, a), *y = model_cell_of(&m, k, b);
        assert_non_null(x);
        assert_non_null(y);
        assert_int_equal(x->from_aggregate, 0);
        assert_int_equal(y->from_aggregate, 1);
        assert_int_equal(x->participants, y->participants);
        for (int j = 2; j <= 5; j++)
            assert_int_equal(x->marks[j], y->marks[j]);
        assert_int_equal(x->failed, y->failed);
        assert_int_equal(x->below_min, y->below_min);
    }
    assert_int_equal(model_cell_of(&m, e, a)->failed, 3);
    model_release(&m);
}

static void context_values(void **state)
{
    model m;
    model_init(&m, 2023, 2024);
    int32_t a = school(&m, "a"), b = school(&m, "b");
    assert_true(isnan(model_context(&m, 2024, a, "teachers_total")));
    model_set_context(&m, 2024, a, "teachers_total", 40);
    model_set_context(&m, 2023, b, "pupils_total", 500);
    model_set_context(&m, 2022, b, "pupils_total", 1); /* outside the years: ignored */
    assert_true(model_context(&m, 2024, a, "teachers_total") == 40);
    assert_true(model_context(&m, 2023, b, "pupils_total") == 500);
    assert_true(isnan(model_context(&m, 2023, a, "teachers_total")));
    assert_true(isnan(model_context(&m, 2024, b, "teachers_total")));
    assert_true(isnan(model_context(&m, 2022, b, "pupils_total")));
    assert_true(isnan(model_context(&m, 2024, a, "unknown")));
    assert_true(isnan(model_context(&m, 2024, 7, "pupils_total")));
    /* a school added later keeps the layout of model.h and the earlier values */
    int32_t c = school(&m, "c");
    model_set_context(&m, 2024, c, "pupils_total", 80);
    assert_int_equal(m.nelements, 2);
    assert_true(model_context(&m, 2024, a, "teachers_total") == 40);
    assert_true(model_context(&m, 2023, b, "pupils_total") == 500);
    assert_true(model_context(&m, 2024, c, "pupils_total") == 80);
    int e = strcmp(m.element[0], "pupils_total") == 0 ? 0 : 1;
    assert_true(
        m.context[(2023 - 2023) * m.nschools * m.nelements + (size_t)b * m.nelements + (size_t)e] ==
        500);
    model_release(&m);
}

static void pupils_are_interned_per_school(void **state)
{
    model m;
    model_init(&m, Y, Y);
    int32_t a = school(&m, "a"), b = school(&m, "b");
    int32_t x = model_pupil(&m, a, "P001");
    assert_int_equal(model_pupil(&m, a, "P001"), x);
    int32_t y = model_pupil(&m, b, "P001");
    assert_int_not_equal(x, y);
    assert_int_not_equal(model_pupil(&m, a, "P0010"), x);
    assert_string_equal(model_pupil_code(&m, y), "P001");
    assert_null(model_pupil_code(&m, -1));
    assert_null(model_pupil_code(&m, 99));
    /* enough codes to grow the tables many times; each found again with its index */
    char code[32];
    for (int i = 0; i < 50000; i++) {
        snprintf(code, sizeof code, "c%d", i);
        assert_int_equal(model_pupil(&m, i % 2 ? a : b, code), 3 + i);
    }
    for (int i = 0; i < 50000; i += 997) {
        snprintf(code, sizeof code, "c%d", i);
        int32_t k = model_pupil(&m, i % 2 ? a : b, code);
        assert_string_equal(model_pupil_code(&m, k), code);
    }
    assert_int_equal(m.npupils, 3 + 50000);
    model_release(&m);
}

static void lookups_and_order(void **state)
{
    model m;
    model_init(&m, 2023, 2024);
    int32_t s[5];
    char code[16];
    for (int i = 0; i < 5; i++) {
        snprintf(code, sizeof code, "sch%d", i);
        s[i] = school(&m, code);
    }
    int32_t p0 = model_add_proc(&m, 2023, "VPR", "math", 5, 20, 7, 11, 15, -1);
    int32_t p1 = model_add_proc(&m, 2024, "VPR", "math", 5, 20, 7, 11, 15, -1);
    int32_t p2 = model_add_proc(&m, 2024, "VPR", "rus", 5, 45, 18, 29, 39, -1);
    /* rows in no particular order */
    row(&m, p2, s[4], "a", NAN, 3, 0);
    row(&m, p0, s[3], "a", NAN, 3, 0);
    row(&m, p1, s[0], "a", NAN, 2, 0);
    row(&m, p2, s[1], "a", NAN, 3, 0);
    row(&m, p0, s[0], "b", NAN, 3, 0);
    uint8_t tasks[3] = {1, MODEL_TASK_X, 2};
    size_t r = model_add_result(&m, p1, s[2], model_pupil(&m, s[2], "t"), 9, 3, -1, 4, 0, tasks, 3);
    model_add_aggregate(&m, p1, s[4], 10, 1, 2, 3, 4, -1);
    model_finish(&m);
    assert_int_equal(m.ncells, 7);
    for (size_t i = 1; i < m.ncells; i++)
        assert_true(
            m.cells[i - 1].proc < m.cells[i].proc ||
            (m.cells[i - 1].proc == m.cells[i].proc && m.cells[i - 1].school < m.cells[i].school));
    assert_non_null(model_cell_of(&m, p0, s[0]));
    assert_non_null(model_cell_of(&m, p1, s[4]));
    assert_null(model_cell_of(&m, p0, s[1]));
    assert_null(model_cell_of(&m, p2, s[0]));
    assert_null(model_cell_of(&m, 9, 0));
    assert_int_equal(model_find_school(&m, "sch3"), s[3]);
    assert_int_equal(model_find_school(&m, "nope"), -1);
    assert_int_equal(model_find_proc(&m, 2024, "VPR", "rus", 5), p2);
    assert_int_equal(model_find_proc(&m, 2023, "VPR", "math", 5), p0);
    assert_int_equal(model_find_proc(&m, 2023, "VPR", "rus", 5), -1);
    assert_int_equal(model_find_proc(&m, 2024, "VPR", "math", 6), -1);
    assert_int_equal(m.res.ntask[r], 3);
    assert_memory_equal(m.res.tasks + m.res.task_off[r], tasks, 3);
    assert_int_equal(m.res.journal_mark[r], 4);
    assert_int_equal(m.res.ntask[0], 0);
    assert_int_equal(m.procs[p0].task_max[0], -1);
    /* model_finish again gives the same cells */
    model_finish(&m);
    assert_int_equal(m.ncells, 7);
    model_release(&m);
}

static void olympiads_teams_graduates(void **state)
{
    model m;
    model_init(&m, Y, Y);
    int32_t s = school(&m, "a");
    for (int i = 0; i < 100; i++) {
        model_olympiad o = {.year = Y,
                            .grade = 9,
                            .stage = "municipal",
                            .subject = "math",
                            .status = "winner",
                            .school = s,
                            .pupil = model_pupil(&m, s, "x"),
                            .score = i};
        model_graduate g = {.year = Y,
                            .grade = 11,
                            .attestat = 1,
                            .medal = i % 2,
                            .school = s,
                            .pupil = o.pupil,
                            .destination = "vo"};
        model_team t = {.year = Y, .place = i, .stage = "municipal", .school = s};
        model_add_olympiad(&m, &o);
        model_add_graduate(&m, &g);
        model_add_team(&m, &t);
    }
    assert_int_equal(m.nolymp, 100);
    assert_int_equal(m.ngrads, 100);
    assert_int_equal(m.nteams, 100);
    assert_true(m.olymp[99].score == 99);
    assert_int_equal(m.grads[3].medal, 1);
    assert_int_equal(m.teams[42].place, 42);
    model_finish(&m);
    assert_int_equal(m.ncells, 0);
    model_release(&m);
}

/* ---- model_load against SQL on a generated municipality ---- */

static int64_t sql_int(sqlite3 *db, const char *sql, const char *t1, int i2, int i3, const char *t4,
                       const char *t5, int i6, double d7)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    int np = sqlite3_bind_parameter_count(st);
    if (np >= 1)
        sqlite3_bind_text(st, 1, t1, -1, SQLITE_STATIC);
    if (np >= 2)
        sqlite3_bind_int(st, 2, i2);
    if (np >= 3)
        sqlite3_bind_int(st, 3, i3);
    if (np >= 4)
        sqlite3_bind_text(st, 4, t4, -1, SQLITE_STATIC);
    if (np >= 5)
        sqlite3_bind_text(st, 5, t5, -1, SQLITE_STATIC);
    if (np >= 6)
        sqlite3_bind_int(st, 6, i6);
    if (np >= 7) {
        if (isnan(d7))
            sqlite3_bind_null(st, 7);
        else
            sqlite3_bind_double(st, 7, d7);
    }
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int64_t count(sqlite3 *db, const char *sql)
{
    return sql_int(db, sql, NULL, 0, 0, NULL, NULL, 0, NAN);
}

static void load_matches_sql(void **state)
{
    char dir[64], path[128], q[512];
    store *s = NULL;
    msk_err err;
    sqlite3 *db = NULL;
    model m;
    demo_opts o = {.schools = 10, .year_from = 2022, .year_to = 2024, .seed = 1};
    demo_summary sum;
    msk_err_clear(&err);
    snprintf(dir, sizeof dir, "/tmp/msoko-model-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/m.db", dir);
    assert_int_equal(store_open(path, STORE_CREATE, &s, &err), 0);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_seed_reference(s, &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    assert_int_equal(demo_generate(s, &o, &sum, &err), 0);
    /* a month period and a draft value must not reach the model */
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "INSERT INTO data_value(element, school_id, period, value)"
                     " SELECT 'pupils_total', min(id), '2024-09', -5 FROM school;"
                     "DELETE FROM data_value WHERE element = 'pupils_total'"
                     " AND period = '2024' AND school_id = (SELECT min(id) FROM school);"
                     "UPDATE data_value SET status = 'draft' WHERE element ="
                     " 'teachers_total' AND period = '2024'"
                     " AND school_id = (SELECT min(id) FROM school);",
                     NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_changes(db), 1);
    sqlite3_close(db);
    assert_int_equal(model_load(&m, s, 2023, 2024, &err), 0);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    {
        char first[MODEL_CODE];
        snprintf(q, sizeof q, "SELECT code FROM school ORDER BY id LIMIT 1");
        sqlite3_stmt *fs = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, q, -1, &fs, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(fs), SQLITE_ROW);
        snprintf(first, sizeof first, "%s", (const char *)sqlite3_column_text(fs, 0));
        sqlite3_finalize(fs);
        int32_t f = model_find_school(&m, first);
        assert_true(f >= 0);
        assert_true(isnan(model_context(&m, 2024, f, "pupils_total")));
        assert_true(isnan(model_context(&m, 2024, f, "teachers_total")));
        assert_true(!isnan(model_context(&m, 2023, f, "teachers_total")));
    }

    const char *years = " JOIN procedure p ON p.id = r.procedure_id"
                        " WHERE p.year BETWEEN 2023 AND 2024";
    snprintf(q, sizeof q, "SELECT count(*) FROM result r%s", years);
    assert_true(m.res.n > 1000);
    assert_int_equal((int64_t)m.res.n, count(db, q));
    assert_int_equal((int64_t)m.nschools, count(db, "SELECT count(*) FROM school"));
    assert_int_equal((int64_t)m.nprocs,
                     count(db, "SELECT count(*) FROM procedure WHERE year BETWEEN 2023 AND 2024"));
    assert_int_equal((int64_t)m.nolymp, count(db, "SELECT count(*) FROM olympiad_result"
                                                  " WHERE year BETWEEN 2023 AND 2024"));
    assert_int_equal((int64_t)m.ngrads, count(db, "SELECT count(*) FROM graduate_outcome"
                                                  " WHERE year BETWEEN 2023 AND 2024"));
    assert_int_equal((int64_t)m.nteams, count(db, "SELECT count(*) FROM olympiad_team"
                                                  " WHERE year BETWEEN 2023 AND 2024"));
    snprintf(q, sizeof q,
             "SELECT count(DISTINCT r.school_id || '/' || r.pupil_code)"
             " FROM result r%s",
             years);
    assert_true((int64_t)m.npupils >= count(db, q));
    snprintf(q, sizeof q,
             "SELECT count(*) FROM result r%s AND (r.retake OR r.past_graduate"
             " OR r.absent)",
             years);
    int64_t excluded = count(db, q);
    size_t nflag = 0;
    for (size_t i = 0; i < m.res.n; i++)
        nflag += (m.res.flags[i] & (MODEL_RETAKE | MODEL_PAST_GRADUATE | MODEL_ABSENT)) != 0;
    assert_int_equal((int64_t)nflag, excluded);
    assert_true(excluded > 0);

    /* every per-pupil cell against SQL with the same exclusions */
    const char *cell_sql =
        "SELECT %s FROM result r JOIN procedure p ON p.id = r.procedure_id"
        " JOIN school s ON s.id = r.school_id"
        " WHERE s.code = ?1 AND p.year = ?2 AND p.grade = ?3 AND p.kind = ?4 AND p.subject = ?5"
        " AND r.absent = 0 AND r.retake = 0 AND r.past_graduate = 0";
    char qn[640], qf[640];
    snprintf(qn, sizeof qn, cell_sql, "count(*) + 0*?6 + 0*coalesce(?7,0)");
    snprintf(qf, sizeof qf, cell_sql,
             "coalesce(sum(CASE WHEN ?6 >= 0 THEN r.test_score < ?6"
             " WHEN r.mark IS NOT NULL THEN r.mark = 2"
             " ELSE r.primary_score < ?7 END), 0)");
    size_t checked = 0, from_agg = 0;
    int64_t failed_total = 0;
    for (size_t i = 0; i < m.ncells; i++) {
        const model_cell *c = &m.cells[i];
        const model_proc *p = &m.procs[c->proc];
        if (c->from_aggregate) {
            snprintf(q, sizeof q,
                     "SELECT a.participants + 0*?2 + 0*?3 + 0*length(?4 || ?5) FROM"
                     " result_aggregate a JOIN procedure p ON p.id = a.procedure_id"
                     " JOIN school s ON s.id = a.school_id WHERE s.code = ?1 AND p.year = ?2"
                     " AND p.grade = ?3 AND p.kind = ?4 AND p.subject = ?5");
            assert_int_equal(c->participants, sql_int(db, q, m.schools[c->school].code, p->year,
                                                      p->grade, p->kind, p->subject, 0, NAN));
            from_agg++;
            continue;
        }
        int byt = strcmp(p->kind, "EGE") == 0 && strcmp(p->subject, "math_base") != 0;
        int mt = byt ? p->min_test : -1;
        const char *code = m.schools[c->school].code;
        assert_int_equal(c->participants, sql_int(db, qn, code, p->year, p->grade, p->kind,
                                                  p->subject, mt, p->cut3));
        assert_int_equal(
            c->failed, sql_int(db, qf, code, p->year, p->grade, p->kind, p->subject, mt, p->cut3));
        failed_total += c->failed;
        checked++;
    }
    assert_true(checked > 50);
    assert_true(failed_total > 0);
    snprintf(q, sizeof q,
             "SELECT count(*) FROM result_aggregate r%s AND NOT EXISTS"
             " (SELECT 1 FROM result x WHERE x.procedure_id = r.procedure_id"
             " AND x.school_id = r.school_id)",
             years);
    assert_int_equal((int64_t)from_agg, count(db, q));
    assert_true(from_agg > 0);

    /* a context value */
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT v.element, s.code, v.value FROM data_value v"
                                        " JOIN school s ON s.id = v.school_id"
                                        " WHERE v.period = '2024' AND v.status = 'approved'"
                                        " AND v.value IS NOT NULL LIMIT 5",
                                        -1, &st, NULL),
                     SQLITE_OK);
    int nvalues = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int32_t sc = model_find_school(&m, (const char *)sqlite3_column_text(st, 1));
        assert_true(sc >= 0);
        assert_true(model_context(&m, 2024, sc, (const char *)sqlite3_column_text(st, 0)) ==
                    sqlite3_column_double(st, 2));
        nvalues++;
    }
    sqlite3_finalize(st);
    assert_true(nvalues > 0);
    /* the year before the range is not loaded */
    assert_int_equal(
        model_find_proc(&m, 2022, m.procs[0].kind, m.procs[0].subject, m.procs[0].grade), -1);

    sqlite3_close(db);
    model_release(&m);
    store_close(s);
    snprintf(q, sizeof q, "rm -rf %s", dir);
    assert_int_equal(system(q), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exclusions_and_counts),
        cmocka_unit_test(only_excluded_rows_give_an_empty_cell),
        cmocka_unit_test(marks_derived_from_cutoffs),
        cmocka_unit_test(ege_below_minimum),
        cmocka_unit_test(base_math_is_judged_by_mark),
        cmocka_unit_test(aggregates_only_where_no_rows),
        cmocka_unit_test(per_pupil_equals_aggregate),
        cmocka_unit_test(context_values),
        cmocka_unit_test(pupils_are_interned_per_school),
        cmocka_unit_test(lookups_and_order),
        cmocka_unit_test(olympiads_teams_graduates),
        cmocka_unit_test(load_matches_sql),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
