/*
 * Unit tests of the model snapshot (src/model/snapshot.c, src/store/snapshot.c): the model read
 * from the snapshot equals the model built from the rows, field by field, for every range of
 * years (inside, across and outside the stored ones) and with procedures, rows and context
 * stored out of year order; the load options leave out exactly what they say; every change of
 * the data the model is made of moves the stamp (and an analysis run does not); a stale, damaged
 * or other-format snapshot is never read and model_load then gives the model of the rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "demo/demo.h"
#include "model/model.h"
#include "store/snapshot.h"
#include "store/store.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct {
    char dir[64], path[128];
    store *s;
} fx;

static void sql(const char *q)
{
    sqlite3 *db = NULL;
    char *msg = NULL;
    assert_int_equal(sqlite3_open_v2(fx.path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    if (sqlite3_exec(db, q, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", q, msg);
    sqlite3_close(db);
}

/* The first column of the first row of a query, as an integer. */
static int64_t q1(const char *q)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    assert_int_equal(sqlite3_open_v2(fx.path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static int64_t stamp(void)
{
    int64_t n = -1;
    msk_err err;
    assert_int_equal(store_snapshot_stamp(fx.s, &n, &err), 0);
    return n;
}

/* A demo municipality, then data written out of year order: a 2021 procedure (the highest id)
 * with rows, and context elements whose codes sort before the demo's. A task score of 20 keeps
 * 2021's task bytes as they are while the other years' fit in 4 bits: both are read back. */
static int setup(void **state)
{
    msk_err err;
    demo_opts o = {.schools = 6, .year_from = 2021, .year_to = 2024, .seed = 3};
    demo_summary sum;
    (void)state;
    snprintf(fx.dir, sizeof fx.dir, "/tmp/msoko-snap-XXXXXX");
    assert_non_null(mkdtemp(fx.dir));
    snprintf(fx.path, sizeof fx.path, "%s/s.db", fx.dir);
    assert_int_equal(store_open(fx.path, STORE_CREATE, &fx.s, &err), 0);
    assert_int_equal(store_begin(fx.s, &err), 0);
    assert_int_equal(store_seed_reference(fx.s, &err), 0);
    assert_int_equal(store_commit(fx.s, &err), 0);
    assert_int_equal(demo_generate(fx.s, &o, &sum, &err), 0);
    sql("INSERT INTO procedure(year, kind, subject, grade) VALUES(2021, 'DIAG', 'hist', 8);"
        "INSERT INTO import_batch(file_name, sha256, kind, created_at)"
        " VALUES('late.csv', 'x', 'results', '2024-01-01');"
        "INSERT INTO result(procedure_id, school_id, pupil_code, primary_score, mark, tasks,"
        " batch_id) SELECT (SELECT max(id) FROM procedure), school_id, pupil_code || 'z' || id,"
        " primary_score, mark, CASE WHEN id % 2 THEN x'0102ff' ELSE x'14' END,"
        " (SELECT max(id) FROM import_batch)"
        " FROM result WHERE id % 7 = 0 LIMIT 300;"
        "INSERT INTO data_element(code, name, value_type) VALUES('aaa_first', 'A', 'number');"
        "INSERT INTO data_value(element, school_id, period, value)"
        " SELECT 'aaa_first', id, '2022', id * 1.5 FROM school;"
        /* form values of months and half-years: four periods of school year 2023, one of
         * 2024 and one of 2025 (October 2024: after the stored years); one waiting for
         * approval and one with a code too long for the model are not its */
        "INSERT INTO data_element(code, name, value_type) VALUES('frm_month', 'M', 'number'),"
        " ('frm_wait', 'W', 'number'), ('frm_code_longer_than_the_model_holds', 'L', 'number');"
        "INSERT INTO data_value(element, school_id, period, value)"
        " SELECT 'frm_month', id, p, id + 0.25 FROM school,"
        " (SELECT '2022-09' AS p UNION ALL SELECT '2022-12' UNION ALL SELECT '2023-03'"
        "  UNION ALL SELECT '2023-H1' UNION ALL SELECT '2023-09' UNION ALL SELECT '2024-10');"
        "INSERT INTO data_value(element, school_id, period, value, status)"
        " SELECT 'frm_wait', id, '2023-03', 7, 'submitted' FROM school;"
        "INSERT INTO data_value(element, school_id, period, value)"
        " SELECT 'frm_code_longer_than_the_model_holds', id, '2023', 1 FROM school;");
    return 0;
}

static int teardown(void **state)
{
    char q[128];
    (void)state;
    store_close(fx.s);
    snprintf(q, sizeof q, "rm -rf %s", fx.dir);
    assert_int_equal(system(q), 0);
    return 0;
}

#define SAME_ARRAY(a, b, n) assert_memory_equal((a), (b), (n) * sizeof *(a))

/* Field by field; pupils compared by their codes, the rest as stored. */
static void assert_models_equal(const model *a, const model *b)
{
    assert_int_equal(a->year_from, b->year_from);
    assert_int_equal(a->year_to, b->year_to);
    assert_int_equal(a->nschools, b->nschools);
    SAME_ARRAY(a->schools, b->schools, a->nschools);
    assert_int_equal(a->nprocs, b->nprocs);
    if (a->nprocs)
        SAME_ARRAY(a->procs, b->procs, a->nprocs);
    assert_int_equal(a->res.n, b->res.n);
    if (a->res.n) {
        SAME_ARRAY(a->res.proc, b->res.proc, a->res.n);
        SAME_ARRAY(a->res.school, b->res.school, a->res.n);
        SAME_ARRAY(a->res.pupil, b->res.pupil, a->res.n);
        SAME_ARRAY(a->res.primary, b->res.primary, a->res.n);
        SAME_ARRAY(a->res.mark, b->res.mark, a->res.n);
        SAME_ARRAY(a->res.journal_mark, b->res.journal_mark, a->res.n);
        SAME_ARRAY(a->res.test_score, b->res.test_score, a->res.n);
        SAME_ARRAY(a->res.flags, b->res.flags, a->res.n);
        SAME_ARRAY(a->res.ntask, b->res.ntask, a->res.n);
        SAME_ARRAY(a->res.task_off, b->res.task_off, a->res.n);
    }
    assert_int_equal(a->res.tasks_len, b->res.tasks_len);
    if (a->res.tasks_len)
        SAME_ARRAY(a->res.tasks, b->res.tasks, a->res.tasks_len);
    assert_int_equal(a->ncells, b->ncells);
    if (a->ncells)
        SAME_ARRAY(a->cells, b->cells, a->ncells);
    assert_int_equal(a->nolymp, b->nolymp);
    if (a->nolymp)
        SAME_ARRAY(a->olymp, b->olymp, a->nolymp);
    assert_int_equal(a->nteams, b->nteams);
    if (a->nteams)
        SAME_ARRAY(a->teams, b->teams, a->nteams);
    assert_int_equal(a->ngrads, b->ngrads);
    if (a->ngrads)
        SAME_ARRAY(a->grads, b->grads, a->ngrads);
    assert_int_equal(a->npupils, b->npupils);
    for (size_t i = 0; i < a->npupils; i++)
        assert_string_equal(model_pupil_code(a, (int32_t)i), model_pupil_code(b, (int32_t)i));
    assert_int_equal(a->nelements, b->nelements);
    for (size_t e = 0; e < a->nelements; e++)
        assert_string_equal(a->element[e], b->element[e]);
    size_t nctx = (size_t)(a->year_to - a->year_from + 1) * a->nschools * a->nelements;
    assert_int_equal(a->context == NULL, b->context == NULL);
    if (a->context && nctx)
        SAME_ARRAY(a->context, b->context, nctx);
    assert_int_equal(a->has_form_values, b->has_form_values);
    assert_int_equal(a->nform_elements, b->nform_elements);
    if (a->nform_elements) {
        SAME_ARRAY(a->form_element, b->form_element, a->nform_elements);
        SAME_ARRAY(a->form_value, b->form_value,
                   a->nform_elements * (size_t)(a->year_to - a->year_from + 1) * a->nschools);
    }
}

static void round_trip_every_range(void **state)
{
    static const int RANGES[][2] = {{2021, 2024}, {2022, 2024}, {2023, 2024}, {2024, 2024},
                                    {2021, 2021}, {2019, 2022}, {2024, 2026}, {2027, 2028}};
    msk_err err;
    (void)state;
    assert_int_equal(model_snapshot_write(fx.s, &err), 0);
    /* the encodings the round trip goes through: task bytes raw in 2021 (a score of 20), 4-bit
     * codes in 2022; school and procedure columns as runs (the header's first byte) */
    assert_int_equal(
        q1("SELECT CAST(hex(substr(data, 1, 1)) AS INTEGER) FROM model_snapshot WHERE year = 2021"
           " AND col = 'r.tasks'"),
        0);
    assert_int_equal(
        q1("SELECT CAST(hex(substr(data, 1, 1)) AS INTEGER) FROM model_snapshot WHERE year = 2022"
           " AND col = 'r.tasks'"),
        2);
    assert_int_equal(
        q1("SELECT CAST(hex(substr(data, 1, 1)) AS INTEGER) FROM model_snapshot WHERE year = 2024"
           " AND col = 'r.school'"),
        1);
    for (size_t k = 0; k < sizeof RANGES / sizeof RANGES[0]; k++) {
        model rows, snap;
        assert_int_equal(model_load_rows(&rows, fx.s, RANGES[k][0], RANGES[k][1], &err), 0);
        assert_int_equal(model_snapshot_read(&snap, fx.s, RANGES[k][0], RANGES[k][1], 0, &err), 0);
        assert_models_equal(&rows, &snap);
        if (RANGES[k][0] == 2021 && RANGES[k][1] == 2024) {
            /* the data the test is about is there: rows, tasks, context, olympiads */
            assert_true(rows.res.n > 1000 && rows.res.tasks_len > 0 && rows.nolymp > 0 &&
                        rows.ngrads > 0 && rows.nelements > 1);
            assert_string_equal(rows.element[0], "aaa_first"); /* codes in order */
            assert_int_equal(rows.procs[0].year, 2021);        /* procedures by year */
            /* form values: the four periods of 2023 summed, (1 + 0.25) × 4 at school id 1;
             * not the one waiting for approval, not the long code */
            const double *v = model_form_values(&rows, "frm_month", 2023);
            assert_non_null(v);
            assert_true(rows.has_form_values && v[0] == 5.0 && v[1] == 9.0);
            assert_true(model_form_values(&rows, "frm_month", 2024)[0] == 1.25);
            assert_null(model_form_values(&rows, "frm_wait", 2023));
            assert_null(model_form_values(&rows, "frm_code_longer_than_the_model_holds", 2023));
            assert_null(model_form_values(&rows, "frm_month", 2025)); /* outside the range */
        }
        if (RANGES[k][0] == 2024 && RANGES[k][1] == 2026) /* October 2024 is 2025's */
            assert_true(model_form_values(&snap, "frm_month", 2025)[0] == 1.25 &&
                        isnan(model_form_values(&snap, "frm_month", 2026)[0]));
        model_release(&rows);
        model_release(&snap);
    }
}

static void load_options_leave_out_what_they_say(void **state)
{
    msk_err err;
    model rows, snap, last;
    (void)state;
    assert_int_equal(model_snapshot_write(fx.s, &err), 0);
    assert_int_equal(model_load_rows(&rows, fx.s, 2022, 2024, &err), 0);
    /* no task bytes: everything else as built */
    assert_int_equal(model_snapshot_read(&snap, fx.s, 2022, 2024, MODEL_LOAD_NO_TASKS, &err), 0);
    assert_int_equal(snap.res.tasks_len, 0);
    for (size_t i = 0; i < snap.res.n; i++)
        assert_true(snap.res.ntask[i] == 0 && snap.res.task_off[i] == 0);
    assert_int_equal(snap.res.n, rows.res.n);
    SAME_ARRAY(rows.res.pupil, snap.res.pupil, rows.res.n);
    SAME_ARRAY(rows.res.primary, snap.res.primary, rows.res.n);
    SAME_ARRAY(rows.cells, snap.cells, rows.ncells);
    model_release(&snap);
    /* rows of the last year only, with its task bytes; cells of every year */
    assert_int_equal(model_snapshot_read(&snap, fx.s, 2022, 2024,
                                         MODEL_LOAD_ROWS_OF_LAST | MODEL_LOAD_TASKS_OF_LAST, &err),
                     0);
    assert_int_equal(model_load_rows(&last, fx.s, 2024, 2024, &err), 0);
    assert_int_equal(snap.ncells, rows.ncells);
    SAME_ARRAY(rows.cells, snap.cells, rows.ncells);
    SAME_ARRAY(rows.procs, snap.procs, rows.nprocs);
    assert_int_equal(snap.res.n, last.res.n);
    assert_int_equal(snap.res.tasks_len, last.res.tasks_len);
    SAME_ARRAY(last.res.tasks, snap.res.tasks, last.res.tasks_len);
    SAME_ARRAY(last.res.task_off, snap.res.task_off, last.res.n);
    SAME_ARRAY(last.res.school, snap.res.school, last.res.n);
    for (size_t i = 0; i < last.res.n; i++) {
        assert_int_equal(snap.procs[snap.res.proc[i]].year, 2024);
        assert_string_equal(model_pupil_code(&last, last.res.pupil[i]),
                            model_pupil_code(&snap, snap.res.pupil[i]));
    }
    assert_int_equal(snap.nolymp, last.nolymp);
    assert_int_equal(snap.ngrads, last.ngrads);
    model_release(&snap);
    model_release(&last);
    model_release(&rows);
}

/* Every table the model is made of moves the stamp; an analysis run and a plan item do not. */
static void every_change_moves_the_stamp(void **state)
{
    static const char *const CHANGES[] = {
        "UPDATE school SET name = name || '.' WHERE id = 1",
        "UPDATE scale SET mark3 = mark3 WHERE id = (SELECT min(id) FROM scale)",
        "UPDATE procedure SET held_on = '2024-04-01' WHERE id = 1",
        "INSERT INTO procedure_task(procedure_id, idx, label) VALUES(1, 60, '60')",
        "UPDATE import_batch SET undone_at = '2024-02-02' WHERE id = 1",
        "UPDATE result SET mark = mark WHERE id = 1",
        "DELETE FROM result WHERE id = (SELECT max(id) FROM result)",
        "INSERT INTO result(procedure_id, school_id, pupil_code) VALUES(1, 1, 'new-no-batch')",
        "INSERT INTO import_batch(file_name, sha256, kind, created_at)"
        " VALUES('c.csv', 'z', 'results', '2024-01-03')",
        "INSERT INTO result(procedure_id, school_id, pupil_code, batch_id)"
        " VALUES(1, 1, 'new-old-batch', (SELECT min(id) FROM import_batch))",
        "INSERT OR REPLACE INTO result_aggregate(procedure_id, school_id, participants)"
        " VALUES(1, 2, 10)",
        "UPDATE data_value SET value = value WHERE rowid = 1",
        "UPDATE olympiad_result SET score = score WHERE id = 1",
        "INSERT INTO olympiad_team(year, stage, school_id, team_place) VALUES(2019, 'school', 1, "
        "1)",
        "UPDATE graduate_outcome SET medal = medal WHERE id = 1",
    };
    (void)state;
    for (size_t i = 0; i < sizeof CHANGES / sizeof CHANGES[0]; i++) {
        int64_t before = stamp();
        sql(CHANGES[i]);
        if (stamp() == before)
            fail_msg("the stamp did not move: %s", CHANGES[i]);
    }
    /* rows of a new batch: the batch's insert moves it once, its rows do not each */
    int64_t before = stamp();
    sql("BEGIN; INSERT INTO import_batch(file_name, sha256, kind, created_at)"
        " VALUES('b.csv', 'y', 'results', '2024-01-02');"
        "INSERT INTO result(procedure_id, school_id, pupil_code, batch_id)"
        " SELECT 1, 1, 'nb' || id, (SELECT max(id) FROM import_batch) FROM result LIMIT 50;"
        "COMMIT");
    assert_int_equal(stamp(), before + 1);
    before = stamp();
    sql("INSERT INTO analysis_run(year, methods_hash, created_at) VALUES(2024, 'h', 'now');"
        "INSERT INTO plan_item(text) VALUES('пункт')");
    assert_int_equal(stamp(), before);
}

static void stale_damaged_or_other_format_is_never_read(void **state)
{
    static const char *const DAMAGE[] = {
        /* the data changed behind the snapshot */
        "UPDATE result SET mark = 2 WHERE id IN (SELECT id FROM result LIMIT 500)",
        /* a column cut short, one with garbage runs, one with an index out of range */
        "UPDATE model_snapshot SET data = substr(data, 1, 30) WHERE col = 'r.mark' AND year = 2023",
        "UPDATE model_snapshot SET data = substr(data, 1, 24) || randomblob(length(data) - 24)"
        " WHERE col = 'r.school' AND year = 2024",
        "UPDATE model_snapshot SET data = substr(data, 1, 24) || x'ffffff7f' || substr(data, 29)"
        " WHERE col = 'r.pupil' AND year = 2024",
        /* written by another format */
        "UPDATE model_snapshot SET format = format + 1 WHERE year = 0 AND col = 'meta'",
        "DELETE FROM model_snapshot WHERE year = 2022 AND col = 'cells'",
        /* a form value approved (its status set, as form approval writes it) or changed */
        "UPDATE data_value SET status = 'approved' WHERE element = 'frm_wait' AND school_id = 1",
        "UPDATE data_value SET value = value + 1 WHERE element = 'frm_month' AND school_id = 2"
        " AND period = '2022-12'",
        /* the form values cut short; the codes of their elements no strings (no NUL) */
        "UPDATE model_snapshot SET data = substr(data, 1, 40) WHERE col = 'form_values'"
        " AND year = 2023",
        "UPDATE model_snapshot SET data = CAST(substr(data, 1, 24) ||"
        " substr(replace(hex(zeroblob(length(data))), '0', 'A'), 1, length(data) - 24) AS BLOB)"
        " WHERE col = 'form_elements'",
    };
    msk_err err;
    (void)state;
    for (size_t i = 0; i < sizeof DAMAGE / sizeof DAMAGE[0]; i++) {
        model rows, snap, loaded;
        assert_int_equal(model_snapshot_write(fx.s, &err), 0);
        assert_int_equal(model_snapshot_read(&snap, fx.s, 2022, 2024, 0, &err), 0);
        model_release(&snap);
        sql(DAMAGE[i]);
        if (model_snapshot_read(&snap, fx.s, 2022, 2024, 0, &err) != 1)
            fail_msg("read after: %s", DAMAGE[i]);
        /* model_load rebuilds it and gives the model of the rows */
        assert_int_equal(model_load(&loaded, fx.s, 2022, 2024, &err), 0);
        assert_int_equal(model_load_rows(&rows, fx.s, 2022, 2024, &err), 0);
        assert_models_equal(&rows, &loaded);
        assert_int_equal(model_snapshot_read(&snap, fx.s, 2022, 2024, 0, &err), 0);
        assert_models_equal(&rows, &snap);
        model_release(&snap);
        model_release(&loaded);
        model_release(&rows);
    }
}

static void disabled_and_read_only(void **state)
{
    msk_err err;
    model m;
    store *ro = NULL;
    (void)state;
    assert_int_equal(store_snapshot_drop(fx.s, &err), 0);
    setenv("MSOKO_NO_SNAPSHOT", "1", 1);
    assert_false(model_snapshot_enabled());
    assert_int_equal(model_load(&m, fx.s, 2023, 2024, &err), 0);
    model_release(&m);
    unsetenv("MSOKO_NO_SNAPSHOT");
    assert_int_equal(model_snapshot_read(&m, fx.s, 2023, 2024, 0, &err), 1); /* none written */
    /* a read-only store reads the rows and writes nothing */
    assert_int_equal(store_open(fx.path, STORE_READ, &ro, &err), 0);
    assert_int_equal(model_snapshot_write(ro, &err), 1);
    assert_int_equal(model_load(&m, ro, 2023, 2024, &err), 0);
    assert_true(m.res.n > 0);
    model_release(&m);
    assert_int_equal(model_snapshot_read(&m, fx.s, 2023, 2024, 0, &err), 1);
    /* inside an open transaction nothing is written either */
    assert_int_equal(store_begin(fx.s, &err), 0);
    assert_int_equal(model_snapshot_write(fx.s, &err), 1);
    assert_int_equal(store_commit(fx.s, &err), 0);
    /* written by the first load of a writable store, then read by the read-only one */
    assert_int_equal(model_load(&m, fx.s, 2023, 2024, &err), 0);
    model_release(&m);
    assert_int_equal(model_snapshot_read(&m, ro, 2023, 2024, 0, &err), 0);
    model_release(&m);
    store_close(ro);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(round_trip_every_range, setup, teardown),
        cmocka_unit_test_setup_teardown(load_options_leave_out_what_they_say, setup, teardown),
        cmocka_unit_test_setup_teardown(every_change_moves_the_stamp, setup, teardown),
        cmocka_unit_test_setup_teardown(stale_damaged_or_other_format_is_never_read, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(disabled_and_read_only, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
