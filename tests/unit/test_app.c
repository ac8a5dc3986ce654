/*
 * Unit tests of src/app and src/store/audit.c: the actor of a command (never empty), the audit
 * row with the whole actor, the watch that keeps the rows a re-import replaces (kept while the
 * transaction lasts, gone with a rollback, capped), and a use case that fails leaving nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/app.h"
#include "base/mem.h"
#include "store/trail.h"
#include "store/store.h"
#include "store/user.h"

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

/* One text value of a query on the store's file (a second connection: what is committed). */
static void query(store *s, const char *sql, char *out, size_t outsz)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    out[0] = '\0';
    assert_int_equal(sqlite3_open(store_path(s), &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void cli_actor_is_never_empty(void **state)
{
    (void)state;
    store *s = fresh("actor.db");
    app_actor a;
    char *user = getenv("USER") ? msk_strdup(getenv("USER")) : NULL;
    setenv("USER", "anna", 1);
    app_actor_cli(s, NULL, &a);
    assert_string_equal(a.login, "anna");
    assert_string_equal(a.role, "admin"); /* the operator of the machine */
    unsetenv("USER");
    app_actor_cli(s, NULL, &a);
    char want[32];
    snprintf(want, sizeof want, "cli-%u", (unsigned)getuid());
    assert_string_equal(a.login, want);
    setenv("USER", "", 1);
    app_actor_cli(s, NULL, &a);
    assert_string_equal(a.login, want);
    /* --user naming an account of the database acts with its role and school */
    msk_err err;
    msk_err_clear(&err);
    store_school sc = {"sch1", "Школа 1", "sosh", "urban", ""};
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_school_put(s, &sc, NULL, &err), 0);
    assert_int_equal(store_user_add(s, "op1", "x", "school", "sch1", NULL, &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    app_actor_cli(s, "op1", &a);
    assert_string_equal(a.login, "op1");
    assert_string_equal(a.role, "school");
    assert_string_equal(a.school, "sch1");
    app_actor_cli(s, "nobody", &a);
    assert_string_equal(a.login, "nobody");
    assert_string_equal(a.role, "admin");
    if (user) {
        setenv("USER", user, 1);
        free(user);
    }
    store_close(s);
}

static void audit_row_names_the_actor(void **state)
{
    (void)state;
    store *s = fresh("audit.db");
    msk_err err;
    char got[512];
    msk_err_clear(&err);
    store_actor a = {"op1", "school", "sch1"};
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_audit_put(s, &a, "x.test", "obj", NULL, "{\"a\":1}", &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    query(s,
          "SELECT user || '|' || role || '|' || school || '|' || action || '|' || object || '|'"
          " || coalesce(before, '-') || '|' || after FROM audit",
          got, sizeof got);
    assert_string_equal(got, "op1|school|sch1|x.test|obj|-|{\"a\":1}");
    store_close(s);
}

static void replaced_rows_are_kept_until_taken(void **state)
{
    (void)state;
    store *s = fresh("watch.db");
    msk_err err;
    char *json = NULL, got[512];
    int64_t n = -1;
    msk_err_clear(&err);
    store_school sc = {"sch1", "Школа 1", "sosh", "urban", ""};
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_school_put(s, &sc, NULL, &err), 0);
    assert_int_equal(store_commit(s, &err), 0);

    /* nothing replaced: no image */
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_replaced_watch(s, &err), 0);
    assert_int_equal(store_replaced_take(s, &json, &n, &err), 0);
    assert_null(json);
    assert_int_equal(n, 0);
    store_rollback(s);

    /* a watch rolled back leaves nothing for the next import */
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_replaced_watch(s, &err), 0);
    store_school other = {"sch1", "Школа до отката", "sosh", "urban", ""};
    assert_int_equal(store_school_put(s, &other, NULL, &err), 0);
    store_rollback(s);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_replaced_watch(s, &err), 0);
    assert_int_equal(store_replaced_take(s, &json, &n, &err), 0);
    assert_null(json);
    store_rollback(s);

    /* a school updated in place: its old row is the image */
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_replaced_watch(s, &err), 0);
    store_school renamed = {"sch1", "Школа № 1", "sosh", "urban", ""};
    assert_int_equal(store_school_put(s, &renamed, NULL, &err), 0);
    assert_int_equal(store_replaced_take(s, &json, &n, &err), 0);
    assert_non_null(json);
    assert_int_equal(n, 1);
    assert_non_null(strstr(json, "\"school\":[{"));
    assert_non_null(strstr(json, "\"name\":\"Школа 1\""));
    free(json);
    json = NULL;
    /* the watch has ended: a later change is not kept */
    store_school again = {"sch1", "Школа № 1 имени", "sosh", "urban", ""};
    assert_int_equal(store_school_put(s, &again, NULL, &err), 0);
    assert_int_equal(store_replaced_watch(s, &err), 0);
    assert_int_equal(store_replaced_take(s, &json, &n, &err), 0);
    assert_null(json);
    assert_int_equal(store_commit(s, &err), 0);
    query(s, "SELECT count(*) FROM sqlite_temp_master", got, sizeof got);
    assert_string_equal(got, "0"); /* another connection sees no trace either */
    store_close(s);
}

static void failed_use_case_leaves_nothing(void **state)
{
    (void)state;
    store *s = fresh("fail.db");
    msk_err err;
    char sum[65], after[65];
    app_actor a;
    msk_err_clear(&err);
    app_actor_set(&a, "ann", "analyst", NULL);
    assert_int_equal(store_checksum(s, sum, &err), 0);
    assert_int_equal(app_plan_status(s, &a, 12345, "done", NULL, &err), 1);
    assert_non_null(strstr(err.msg, "пункта плана 12345 нет"));
    assert_int_equal(app_plan_status(s, &a, 1, "finished", NULL, &err), -1);
    assert_int_equal(app_undo(s, &a, 77, NULL, &err), -1);
    assert_int_equal(app_user_role(s, &a, "ghost", "analyst", NULL, &err), 1);
    assert_false(store_in_transaction(s));
    assert_int_equal(store_checksum(s, after, &err), 0);
    assert_string_equal(sum, after);
    store_close(s);
}

/* The stored name of an uploaded file: no folder, quote or control character; cut on a whole
 * UTF-8 character; never empty, «.» or «..». */
static void file_names_are_cleaned(void **state)
{
    (void)state;
    char out[128], longname[400];
    app_file_name("../../etc/Приказ № 5.pdf", out, sizeof out);
    assert_string_equal(out, "Приказ № 5.pdf");
    app_file_name("C:\\Users\\a\"b\".pdf", out, sizeof out);
    assert_string_equal(out, "a_b_.pdf");
    app_file_name("x\ny\tz", out, sizeof out);
    assert_string_equal(out, "x_y_z");
    app_file_name("dir/..", out, sizeof out);
    assert_string_equal(out, "файл");
    app_file_name("", out, sizeof out);
    assert_string_equal(out, "файл");
    app_file_name(NULL, out, sizeof out);
    assert_string_equal(out, "файл");
    /* 60 «Я» are 120 bytes: the cut at 100 bytes keeps 50 whole letters */
    longname[0] = '\0';
    for (int i = 0; i < 60; i++)
        memcpy(longname + 2 * i, "Я", 3);
    app_file_name(longname, out, sizeof out);
    assert_int_equal(strlen(out), 100);
    app_file_name("a"
                  "\xD0",
                  out, sizeof out); /* a lead byte with nothing after it */
    assert_string_equal(out, "a");
    app_file_name("\x80\x81ok", out, sizeof out); /* stray continuation bytes */
    assert_string_equal(out, "__ok");
}

/* The first run makes one admin only on an empty database; the last admin who can sign in is
 * never disabled, deleted or demoted; nobody disables or deletes themselves; a refusal leaves
 * the database as it was (issue 14 п. 10). */
static void first_run_and_the_last_admin(void **state)
{
    (void)state;
    store *s = fresh("admin.db");
    msk_err err;
    char sum[65], after[65], got[256];
    app_actor boss, ann;
    msk_err_clear(&err);
    assert_int_equal(app_user_setup(s, "bad login", "h", "127.0.0.1", &err), -1);
    assert_int_equal(app_user_setup(s, "boss", "hash-1", "10.0.0.7", &err), 0);
    query(s,
          "SELECT action || ' ' || user || '/' || role || ' ' || json_extract(after, '$.role') "
          "|| ' ' || json_extract(after, '$.address') FROM audit",
          got, sizeof got);
    assert_string_equal(got, "user.setup boss/admin admin 10.0.0.7");
    assert_int_equal(store_checksum(s, sum, &err), 0);
    assert_int_equal(app_user_setup(s, "eve", "hash-2", "10.0.0.8", &err), APP_FORBIDDEN);
    assert_non_null(strstr(err.msg, "учётные записи уже есть"));
    app_actor_set(&boss, "boss", "admin", NULL);
    assert_int_equal(app_user_disable(s, &boss, "boss", 1, &err), -1);
    assert_non_null(strstr(err.msg, "собственную"));
    assert_int_equal(app_user_delete(s, &boss, "boss", &err), -1);
    assert_int_equal(app_user_role(s, &boss, "boss", "analyst", NULL, &err), -1);
    assert_non_null(strstr(err.msg, "последний действующий администратор"));
    assert_int_equal(app_user_disable(s, &boss, "ghost", 1, &err), 1);
    assert_int_equal(app_user_delete(s, &boss, "ghost", &err), 1);
    assert_int_equal(store_checksum(s, after, &err), 0);
    assert_string_equal(sum, after);
    /* another admin (temporary password): now boss may stop being one, ann may not after that */
    assert_int_equal(app_user_add(s, &boss, "ann", "hash-3", "admin", NULL, 1, &err), 0);
    query(s, "SELECT must_change FROM user WHERE login = 'ann'", got, sizeof got);
    assert_string_equal(got, "1");
    assert_int_equal(app_user_role(s, &boss, "boss", "analyst", NULL, &err), 0);
    app_actor_set(&ann, "ann", "admin", NULL);
    assert_int_equal(app_user_disable(s, &ann, "boss", 1, &err), 0);
    assert_int_equal(app_user_delete(s, &ann, "boss", &err), 0);
    assert_int_equal(app_user_passwd(s, &ann, "ann", "hash-4", 0, &err), 0);
    query(s, "SELECT must_change || ' ' || (SELECT count(*) FROM user) FROM user", got, sizeof got);
    assert_string_equal(got, "0 1");
    query(s, "SELECT group_concat(action, ' ') FROM (SELECT action FROM audit ORDER BY id)", got,
          sizeof got);
    assert_string_equal(got, "user.setup user.add user.role user.disable user.delete user.passwd");
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cli_actor_is_never_empty),
        cmocka_unit_test(file_names_are_cleaned),
        cmocka_unit_test(audit_row_names_the_actor),
        cmocka_unit_test(replaced_rows_are_kept_until_taken),
        cmocka_unit_test(failed_use_case_leaves_nothing),
        cmocka_unit_test(first_run_and_the_last_admin),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
