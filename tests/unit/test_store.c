/*
 * Unit tests of src/store: opening every kind of wrong file, migrations from an older schema,
 * transactions that leave nothing behind, checksums, typed writers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/schema.h"
#include "store/store.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static int setup(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/msoko-test-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *path(const char *name)
{
    static char p[4][160];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

static store *fresh(const char *name)
{
    store *s = NULL;
    msk_err err;
    msk_err_clear(&err);
    assert_int_equal(store_open(path(name), STORE_CREATE, &s, &err), 0);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_seed_reference(s, &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    return s;
}

static void missing_file_is_a_clear_error(void **state)
{
    store *s = NULL;
    msk_err err;
    msk_err_clear(&err);
    assert_int_equal(store_open(path("none.db"), STORE_WRITE, &s, &err), -1);
    assert_null(s);
    assert_non_null(strstr(err.msg, "не найден"));
    assert_non_null(strstr(err.msg, "msoko init"));
    assert_int_equal(store_open(path("none.db"), STORE_READ, &s, &err), -1);
    assert_int_equal(access(path("none.db"), F_OK), -1); /* nothing was created */
}

static void foreign_files_are_refused(void **state)
{
    store *s = NULL;
    msk_err err;
    FILE *f = fopen(path("text.db"), "w");
    fputs("Код ОО;Класс\n", f);
    fclose(f);
    assert_int_equal(store_open(path("text.db"), STORE_WRITE, &s, &err), -1);
    assert_non_null(strstr(err.msg, "не является базой данных msoko"));

    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path("other.db"), &db), SQLITE_OK);
    sqlite3_exec(db, "CREATE TABLE t(a); INSERT INTO t VALUES(1)", NULL, NULL, NULL);
    sqlite3_close(db);
    assert_int_equal(store_open(path("other.db"), STORE_CREATE, &s, &err), -1);
    assert_non_null(strstr(err.msg, "другая база SQLite"));

    mkdir(path("adir"), 0755);
    assert_int_equal(store_open(path("adir"), STORE_CREATE, &s, &err), -1);
    assert_non_null(strstr(err.msg, "каталог"));
}

static void read_only_file_is_refused_for_writing(void **state)
{
    store *s = fresh("ro.db");
    msk_err err;
    store_close(s);
    chmod(path("ro.db"), 0444);
    assert_int_equal(store_open(path("ro.db"), STORE_WRITE, &s, &err), -1);
    assert_non_null(strstr(err.msg, "нет прав на запись"));
    assert_int_equal(store_open(path("ro.db"), STORE_READ, &s, &err), 0);
    store_close(s);
}

/* A database made by the build before the newest migration opens and upgrades in place,
 * keeping its rows. */
static void older_schema_upgrades_in_place(void **state)
{
    int last = schema_version();
    sqlite3 *db = NULL;
    char sql[96];
    assert_true(last >= 2);
    assert_int_equal(sqlite3_open(path("old.db"), &db), SQLITE_OK);
    snprintf(sql, sizeof sql, "PRAGMA application_id=%d", 0x4D534B4F);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    for (int v = 1; v < last; v++) {
        assert_int_equal(sqlite3_exec(db, schema_migration(v), NULL, NULL, NULL), SQLITE_OK);
        snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v);
        sqlite3_exec(db, sql, NULL, NULL, NULL);
    }
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO school(code,name,type,locality) VALUES"
                                  "('sch000001','МБОУ СОШ № 1','sosh','urban')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);

    store *s = NULL;
    msk_err err;
    int64_t id = 0;
    assert_int_equal(store_open(path("old.db"), STORE_WRITE, &s, &err), 0);
    assert_int_equal(store_user_version(s), last);
    assert_int_equal(store_school_id(s, "sch000001", &id), 0);
    assert_true(id > 0);
    /* the newest migration's table is usable */
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_demo_truth_put(s, id, "risk", 2024, "test", &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    store_close(s);
}

static void newer_schema_is_refused(void **state)
{
    store *s = fresh("new.db");
    msk_err err;
    store_close(s);
    sqlite3 *db = NULL;
    sqlite3_open(path("new.db"), &db);
    sqlite3_exec(db, "PRAGMA user_version=999", NULL, NULL, NULL);
    sqlite3_close(db);
    assert_int_equal(store_open(path("new.db"), STORE_WRITE, &s, &err), -1);
    assert_non_null(strstr(err.msg, "более новой версией"));
}

static void rollback_leaves_checksum_unchanged(void **state)
{
    store *s = fresh("tx.db");
    msk_err err;
    char before[65], after[65], changed[65];
    int64_t id = 0;
    assert_int_equal(store_checksum(s, before, &err), 0);
    assert_int_equal(store_begin(s, &err), 0);
    store_school sc = {"sch000002", "МБОУ Лицей № 1", "lyceum", "urban", "NOO,OOO,SOO"};
    assert_int_equal(store_school_put(s, &sc, &id, &err), 0);
    store_rollback(s);
    assert_false(store_in_transaction(s));
    assert_int_equal(store_checksum(s, after, &err), 0);
    assert_string_equal(before, after);

    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_school_put(s, &sc, &id, &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    assert_int_equal(store_checksum(s, changed, &err), 0);
    assert_string_not_equal(before, changed);
    store_close(s);
}

static void constraint_errors_are_russian(void **state)
{
    store *s = fresh("c.db");
    msk_err err;
    int64_t id = 0;
    assert_int_equal(store_begin(s, &err), 0);
    store_school bad = {"sch000003", "Школа", "university", "urban", ""};
    assert_int_equal(store_school_put(s, &bad, &id, &err), -1);
    assert_non_null(strstr(err.msg, "недопустимое значение"));
    store_rollback(s);
    store_close(s);
}

static void scales_and_results(void **state)
{
    store *s = fresh("r.db");
    msk_err err;
    store_scale sc;
    int64_t sid = 0, pid = 0, school = 0, again = 0;
    /* default scale (year 0) is found for any year; a year's own table wins */
    assert_int_equal(store_scale_find(s, 2023, "VPR", "math", 5, &sc, &sid), 0);
    assert_true(sc.max_primary == 20 && sc.mark3 == 7 && sc.mark4 == 11 && sc.mark5 == 15);
    assert_int_equal(sc.year, 0);
    assert_int_equal(store_begin(s, &err), 0);
    store_scale y = {2023, "VPR", "math", 5, 21, 8, 12, 16, STORE_NONE, "2023"};
    assert_int_equal(store_scale_put(s, &y, NULL, &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    assert_int_equal(store_scale_find(s, 2023, "VPR", "math", 5, &sc, NULL), 0);
    assert_true(sc.year == 2023 && sc.max_primary == 21);
    assert_int_equal(store_scale_find(s, 2022, "VPR", "math", 5, &sc, NULL), 0);
    assert_int_equal(sc.year, 0);
    assert_int_equal(store_scale_find(s, 2023, "VPR", "math", 11, &sc, NULL), 1);
    assert_int_equal(store_scale_find(s, 2023, "EGE", "rus", 11, &sc, NULL), 0);
    assert_int_equal(sc.min_test, 24);
    assert_true(isnan(sc.mark3));

    assert_int_equal(store_begin(s, &err), 0);
    store_school sch = {"sch000004", "МБОУ СОШ № 4", "sosh", "urban", "NOO,OOO,SOO"};
    assert_int_equal(store_school_put(s, &sch, &school, &err), 0);
    assert_int_equal(store_procedure_id(s, 2023, "VPR", "math", 5, 0, &pid, &err), 1);
    assert_int_equal(store_procedure_id(s, 2023, "VPR", "math", 5, 1, &pid, &err), 0);
    assert_int_equal(store_procedure_id(s, 2023, "VPR", "math", 5, 0, &again, &err), 0);
    assert_int_equal(pid, again);
    unsigned char tasks[3] = {1, 0, STORE_TASK_X};
    store_result r = {pid,        school, 0, "5А", "p00001", 1, 1.0,   2,
                      STORE_NONE, 3,      0, 0,    0,        0, tasks, 3};
    assert_int_equal(store_result_add(s, &r, &err), 0);
    /* the same pupil twice in one procedure is refused */
    assert_int_equal(store_result_add(s, &r, &err), -1);
    assert_non_null(strstr(err.msg, "уже есть"));
    r.retake = 1; /* a retake is a second result of the same pupil */
    assert_int_equal(store_result_add(s, &r, &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    store_close(s);
}

static int64_t stamp_of(const char *file)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int64_t n = -1;
    assert_int_equal(sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT n FROM model_stamp", -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* store_result_add_many leaves the triggers and foreign keys out only where they could not
 * act: rows of the newest batch with existing parents. Rows of an older batch still bump the
 * model stamp one by one, a missing school is still refused, and both are back on after. */
static void bulk_results_keep_triggers_and_keys(void **state)
{
    store *s = fresh("bulk.db");
    msk_err err;
    int64_t school = 0, pid = 0, b1 = 0, b2 = 0;
    enum { N = STORE_RESULT_CHUNK + 5 }; /* one statement of many rows and single ones */
    store_result r[N];
    unsigned char failed[N];
    char codes[N][16];
    assert_int_equal(store_begin(s, &err), 0);
    store_school sch = {"sch000004", "МБОУ СОШ № 4", "sosh", "urban", "NOO,OOO,SOO"};
    assert_int_equal(store_school_put(s, &sch, &school, &err), 0);
    assert_int_equal(store_procedure_id(s, 2023, "VPR", "math", 5, 1, &pid, &err), 0);
    store_batch b = {"a.csv", "00", "results", "", "t"};
    assert_int_equal(store_batch_add(s, &b, &b1, &err), 0);
    for (int i = 0; i < N; i++) {
        snprintf(codes[i], sizeof codes[i], "p%05d", i);
        r[i] = (store_result){pid,        school, b1, "5А", codes[i], 1, 1.0,  2,
                              STORE_NONE, 3,      0,  0,    0,        0, NULL, 0};
    }
    assert_int_equal(store_result_add_many(s, r, N, failed, &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    int64_t n0 = stamp_of(path("bulk.db"));

    /* the newest batch's rows: no bump; a pupil twice is flagged, the rest go in */
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_batch_add(s, &b, &b2, &err), 0); /* +1 */
    for (int i = 0; i < N; i++) {
        snprintf(codes[i], sizeof codes[i], "q%05d", i);
        r[i].batch_id = b2;
    }
    snprintf(codes[7], sizeof codes[7], "q%05d", 3);
    assert_int_equal(store_result_add_many(s, r, N, failed, &err), 0);
    for (int i = 0; i < N; i++)
        assert_int_equal(failed[i], i == 7);
    assert_int_equal(store_commit(s, &err), 0);
    assert_int_equal(stamp_of(path("bulk.db")), n0 + 1);

    /* rows of an older batch bump once each, in a statement of many or alone */
    assert_int_equal(store_begin(s, &err), 0);
    for (int i = 0; i < N; i++) {
        snprintf(codes[i], sizeof codes[i], "o%05d", i);
        r[i].batch_id = i == N - 1 ? b2 : b1;
    }
    assert_int_equal(store_result_add_many(s, r, N, failed, &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    assert_int_equal(stamp_of(path("bulk.db")), n0 + 1 + N - 1);

    /* a school that does not exist is refused in a block of the newest batch */
    assert_int_equal(store_begin(s, &err), 0);
    for (int i = 0; i < N; i++) {
        snprintf(codes[i], sizeof codes[i], "s%05d", i);
        r[i].batch_id = b2;
    }
    r[5].school_id = school + 100;
    assert_int_equal(store_result_add_many(s, r, N, failed, &err), -1);
    assert_non_null(strstr(err.msg, "несуществующую"));
    store_rollback(s);

    /* afterwards the keys and the triggers act as before */
    assert_int_equal(store_begin(s, &err), 0);
    r[5].batch_id = b2;
    assert_int_equal(store_result_add(s, &r[5], &err), -1);
    assert_non_null(strstr(err.msg, "несуществующую"));
    store_school sch2 = {"sch000005", "МБОУ СОШ № 5", "sosh", "urban", "NOO"};
    assert_int_equal(store_school_put(s, &sch2, NULL, &err), 0); /* +1 */
    assert_int_equal(store_commit(s, &err), 0);
    assert_int_equal(stamp_of(path("bulk.db")), n0 + 1 + N - 1 + 1);
    store_close(s);
}

static void meta_and_counts(void **state)
{
    store *s = fresh("m.db");
    msk_err err;
    char v[16];
    char **names = NULL;
    int64_t *counts = NULL;
    size_t n = 0;
    assert_true(store_is_initialised(s));
    assert_int_equal(store_meta_get(s, "nothing", v, sizeof v), 0);
    assert_int_equal(store_table_counts(s, &names, &counts, &n, &err), 0);
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(names[i], "subject") == 0) {
            found = 1;
            assert_true(counts[i] >= 13);
        }
        free(names[i]);
    }
    free(names);
    free(counts);
    assert_true(found);
    assert_true(store_kind_exists(s, "VPR"));
    assert_false(store_kind_exists(s, "XYZ"));
    assert_true(store_subject_exists(s, "math_prof"));
    assert_true(store_element_exists(s, "teachers_36h"));
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(missing_file_is_a_clear_error),
        cmocka_unit_test(foreign_files_are_refused),
        cmocka_unit_test(read_only_file_is_refused_for_writing),
        cmocka_unit_test(older_schema_upgrades_in_place),
        cmocka_unit_test(newer_schema_is_refused),
        cmocka_unit_test(rollback_leaves_checksum_unchanged),
        cmocka_unit_test(constraint_errors_are_russian),
        cmocka_unit_test(scales_and_results),
        cmocka_unit_test(bulk_results_keep_triggers_and_keys),
        cmocka_unit_test(meta_and_counts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
