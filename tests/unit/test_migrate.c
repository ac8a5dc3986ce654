/*
 * Unit tests of src/store/migrate.c: the id map and the foreign-key order (the pure parts), and
 * the remap itself on two small stores — a school the target already has under another id takes
 * the source's results with it to that id; a table without a natural key (audit) is moved once
 * (issue 17 item 4, docs/migrate.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/migrate.h"
#include "store/store.h"
#include "store/trail.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/msoko-test-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void map_is_a_sorted_lookup(void **state)
{
    (void)state;
    move_map m = {0};
    int64_t nw = -1;
    for (int64_t i = 1; i <= 1000; i++)
        assert_int_equal(move_map_put(&m, i * 3, 10000 + i), 0);
    assert_int_equal(move_map_get(&m, 3, &nw), 1);
    assert_int_equal(nw, 10001);
    assert_int_equal(move_map_get(&m, 3000, &nw), 1);
    assert_int_equal(nw, 11000);
    assert_int_equal(move_map_get(&m, 1500, &nw), 1); /* 1500 = 3 · 500 */
    assert_int_equal(nw, 10500);
    nw = -1;
    assert_int_equal(move_map_get(&m, 1501, &nw), 0);
    assert_int_equal(move_map_get(&m, 0, &nw), 0);
    assert_int_equal(move_map_get(&m, 3003, &nw), 0);
    assert_int_equal(nw, -1); /* untouched on a miss */
    /* the source is read by id: an id not above the last one is a bug of the caller */
    assert_int_equal(move_map_put(&m, 3000, 1), -1);
    assert_int_equal(move_map_put(&m, 2, 1), -1);
    move_map_release(&m);
    assert_int_equal(move_map_get(&m, 3, &nw), 0);
}

static void order_follows_references(void **state)
{
    (void)state;
    /* 0 result → school, procedure, import_batch; 1 school → import_batch (school.batch_id);
     * 2 procedure; 3 import_batch; 4 finding → itself (ignored) and school.
     * Ready first: procedure (2) and import_batch (3); the schema's order picks 2, then 3, then
     * school (1), result (0), finding (4). */
    const int edges[] = {0, 1, 0, 2, 0, 3, 1, 3, 4, 4, 4, 1};
    int order[5], cycle = -1;
    assert_int_equal(move_order(5, edges, 6, order, &cycle), 0);
    const int want[] = {2, 3, 1, 0, 4};
    assert_memory_equal(order, want, sizeof want);
    /* a cycle 0 → 1 → 0 is reported with a table on it */
    const int loop[] = {0, 1, 1, 0};
    assert_int_equal(move_order(3, loop, 2, order, &cycle), -1);
    assert_true(cycle == 0 || cycle == 1);
    assert_int_equal(move_order(0, NULL, 0, order, &cycle), 0);
}

static store *fresh(const char *name)
{
    char p[160];
    store *s = NULL;
    msk_err err;
    msk_err_clear(&err);
    snprintf(p, sizeof p, "%s/%s", dir, name);
    assert_int_equal(store_open(p, STORE_CREATE, &s, &err), 0);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_seed_reference(s, &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    return s;
}

static void add_result(store *s, int64_t proc, int64_t school, const char *pupil, int mark)
{
    msk_err err;
    store_result r = {.procedure_id = proc,
                      .school_id = school,
                      .pupil_code = pupil,
                      .variant = STORE_NONE,
                      .primary_score = NAN,
                      .mark = mark,
                      .test_score = STORE_NONE,
                      .journal_mark = STORE_NONE};
    assert_int_equal(store_result_add(s, &r, &err), 0);
}

static int64_t school(store *s, const char *code)
{
    msk_err err;
    int64_t id = 0;
    store_school sc = {code, code, "sosh", "urban", ""};
    assert_int_equal(store_school_put(s, &sc, &id, &err), 0);
    return id;
}

/* one value of sql on the file of s, as text */
static void query(store *s, const char *sql, char *out, size_t outsz)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    out[0] = 0;
    assert_int_equal(sqlite3_open(store_path(s), &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void ids_are_remapped_through_natural_keys(void **state)
{
    (void)state;
    msk_err err;
    msk_err_clear(&err);
    store *src = fresh("src.db"), *dst = fresh("dst.db");
    int64_t proc = 0;
    store_actor who = {"tester", "admin", ""};

    /* the target: schools X (id 1) and Y (id 2), a procedure of another year first */
    assert_int_equal(store_begin(dst, &err), 0);
    assert_int_equal(school(dst, "X"), 1);
    assert_int_equal(school(dst, "Y"), 2);
    assert_int_equal(store_procedure_id(dst, 2023, "VPR", "math", 4, 1, &proc, &err), 0);
    assert_int_equal(store_commit(dst, &err), 0);

    /* the source: Y is its school 1, Z its school 2; results of 2024 for both */
    assert_int_equal(store_begin(src, &err), 0);
    assert_int_equal(school(src, "Y"), 1);
    assert_int_equal(school(src, "Z"), 2);
    assert_int_equal(store_procedure_id(src, 2024, "VPR", "math", 4, 1, &proc, &err), 0);
    assert_int_equal(proc, 1);
    add_result(src, proc, 1, "p1", 5);
    add_result(src, proc, 2, "p2", 3);
    /* and 150 more of Z: two full blocks of 64 rows and a remainder of 22 */
    for (int i = 0; i < 150; i++) {
        char code[16];
        snprintf(code, sizeof code, "q%03d", i);
        add_result(src, proc, 2, code, 2 + i % 4);
    }
    assert_int_equal(store_audit_put(src, &who, "test", "obj", NULL, NULL, &err), 0);
    assert_int_equal(store_commit(src, &err), 0);
    char sp[160];
    snprintf(sp, sizeof sp, "%s", store_path(src));
    store_close(src);
    assert_int_equal(store_open(sp, STORE_READ, &src, &err), 0);

    store_move_report rep;
    assert_int_equal(store_begin(dst, &err), 0);
    assert_int_equal(store_move(src, dst, &rep, &err), 0);
    assert_int_equal(store_commit(dst, &err), 0);
    int64_t schools_moved = -1, schools_there = -1, results = -1, audit = -1;
    for (size_t i = 0; i < rep.n; i++) {
        if (!strcmp(rep.t[i].name, "school"))
            schools_moved = rep.t[i].moved, schools_there = rep.t[i].present;
        if (!strcmp(rep.t[i].name, "result"))
            results = rep.t[i].moved;
        if (!strcmp(rep.t[i].name, "audit"))
            audit = rep.t[i].moved;
    }
    assert_int_equal(schools_moved, 1); /* Z */
    assert_int_equal(schools_there, 1); /* Y */
    assert_int_equal(results, 152);
    assert_int_equal(audit, 1);
    store_move_report_release(&rep);

    char got[256];
    /* Y's result went to the target's Y (id 2), Z's to the new Z (id 3); the procedure of
     * 2024 is new in the target (id 2) */
    query(dst,
          "SELECT group_concat(s.code || ':' || s.id || ':' || r.procedure_id || ':' ||"
          " r.pupil_code || ':' || r.mark, ' ') FROM (SELECT * FROM result WHERE pupil_code LIKE"
          " 'p%' ORDER BY pupil_code) r"
          " JOIN school s ON s.id = r.school_id",
          got, sizeof got);
    assert_string_equal(got, "Y:2:2:p1:5 Z:3:2:p2:3");
    query(dst,
          "SELECT count(*) || ' ' || sum(mark) FROM result WHERE school_id = 3 AND"
          " pupil_code LIKE 'q%'",
          got, sizeof got);
    assert_string_equal(got, "150 523"); /* marks 2,3,4,5 repeated: 37 · 14 + 2 + 3 */
    query(dst, "SELECT count(*) || ' ' || min(tbl) FROM moved_row", got, sizeof got);
    assert_string_equal(got, "1 audit");

    /* a second move writes nothing: the results by their key, the audit row by moved_row */
    assert_int_equal(store_begin(dst, &err), 0);
    assert_int_equal(store_move(src, dst, &rep, &err), 0);
    assert_int_equal(rep.moved, 0);
    assert_true(rep.present > 0);
    store_rollback(dst);
    store_move_report_release(&rep);

    /* a store into itself is refused */
    assert_int_equal(store_begin(dst, &err), 0);
    assert_int_equal(store_move(src, src, &rep, &err), -1);
    assert_non_null(strstr(err.msg, "одна и та же база"));
    store_rollback(dst);
    store_close(src);
    store_close(dst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(map_is_a_sorted_lookup),
        cmocka_unit_test(order_follows_references),
        cmocka_unit_test(ids_are_remapped_through_natural_keys),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
