/*
 * Unit tests of the PostgreSQL driver (src/store/db_pg.c, db_pg_sql.c): the rewriter alone,
 * with no server, one assertion per rule of its table; then, on the server MSOKO_TEST_PG names
 * (a libpq conninfo; tests/run.sh starts tests/pg/cluster.sh and sets it), every migration of
 * the real schema, upserts, constraint failures and their classes, types and NULLs both ways,
 * RETURNING, the counters, transactions, the compatibility functions and a dropped connection.
 * Without MSOKO_TEST_PG the server tests are skipped with a message that says so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/db.h"
#include "store/db_pg.h"
#include "store/schema.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the rewriter, no server ---------------------------------------------------------------- */

/* the keys of a few tables of the schema, as the catalog would answer */
static int fake_keys(void *ctx, const char *table, msk_buf *out)
{
    (void)ctx;
    if (!strcmp(table, "meta"))
        return msk_buf_puts(out, "key\n");
    if (!strcmp(table, "school"))
        return msk_buf_puts(out, "id\ncode\n");
    if (!strcmp(table, "scale_point"))
        return msk_buf_puts(out, "scale_id,primary_score\n");
    return -1;
}

static char *rw(const char *sql, int script, int *nparams)
{
    msk_buf out, err;
    msk_buf_init(&out, 0);
    msk_buf_init(&err, 0);
    int rc = pg_rewrite(sql, script, fake_keys, NULL, &out, nparams, &err);
    if (rc) {
        msk_buf_release(&out);
        out = err; /* the message instead of the text */
    } else {
        msk_buf_release(&err);
    }
    char *r = msk_buf_detach(&out, NULL);
    msk_buf_release(&out);
    return r;
}

#define REWRITES_TO(sql, want)                                                                     \
    do {                                                                                           \
        char *got_ = rw(sql, 0, NULL);                                                             \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

static void parameters(void **state)
{
    int n = -1;
    char *s = rw("SELECT ?, ?3, ? FROM t WHERE a = '?' AND \"b?\" = ?1", 0, &n);
    assert_string_equal(s, "SELECT $1, $3, $4 FROM t WHERE a = '?' AND \"b?\" = $1");
    assert_int_equal(n, 4);
    free(s);
    s = rw("SELECT 'it''s ?' -- ?\n, 1 /* ? */", 0, &n);
    assert_string_equal(s, "SELECT 'it''s ?' -- ?\n, 1 /* ? */");
    assert_int_equal(n, 0);
    free(s);
    /* PostgreSQL's own dollar quotes are strings too */
    s = rw("SELECT $f$ user ? INTEGER $x$ $f$, $$?$$, ?", 0, &n);
    assert_string_equal(s, "SELECT $f$ user ? INTEGER $x$ $f$, $$?$$, $1");
    assert_int_equal(n, 1);
    free(s);
    /* a trailing ';' is fine, a second command in a prepared statement is not */
    REWRITES_TO("SELECT 1;", "SELECT 1");
    s = rw("SELECT 1; SELECT 2", 0, NULL);
    assert_non_null(strstr(s, "несколько команд"));
    free(s);
}

static void inserts(void **state)
{
    REWRITES_TO("INSERT OR IGNORE INTO decision_school(decision_id, school_id) VALUES(?, ?)",
                "INSERT INTO decision_school(decision_id, school_id) VALUES($1, $2)"
                " ON CONFLICT DO NOTHING");
    REWRITES_TO("INSERT OR REPLACE INTO meta(key,value) VALUES(?,?)",
                "INSERT INTO meta(key,value) VALUES($1,$2) ON CONFLICT (\"key\") DO UPDATE SET"
                " \"value\" = excluded.\"value\"");
    /* the primary key id is not listed: the unique code is the conflict */
    REWRITES_TO("INSERT OR REPLACE INTO school(code, name, type) VALUES(?1, ?2, ?3)",
                "INSERT INTO school(code, name, type) VALUES($1, $2, $3) ON CONFLICT (\"code\") DO"
                " UPDATE SET \"name\" = excluded.\"name\", \"type\" = excluded.\"type\"");
    /* every column in the key: nothing to update */
    REWRITES_TO("INSERT OR REPLACE INTO scale_point(scale_id,primary_score) VALUES(?,?)",
                "INSERT INTO scale_point(scale_id,primary_score) VALUES($1,$2)"
                " ON CONFLICT (\"scale_id\", \"primary_score\") DO NOTHING");
    REWRITES_TO("REPLACE INTO meta(key, value) VALUES('a', 'b') RETURNING key",
                "INSERT INTO meta(key, value) VALUES('a', 'b') ON CONFLICT (\"key\") DO UPDATE SET"
                " \"value\" = excluded.\"value\" RETURNING key");
    REWRITES_TO("INSERT OR FAIL INTO t(a) VALUES(1),(2)", "INSERT INTO t(a) VALUES(1),(2)");
    REWRITES_TO("INSERT OR ABORT INTO t(a) VALUES(1)", "INSERT INTO t(a) VALUES(1)");
    /* an upsert already written in the shared dialect is left alone */
    REWRITES_TO("INSERT INTO meta(key,value) VALUES(?,?) ON CONFLICT(key) DO NOTHING",
                "INSERT INTO meta(key,value) VALUES($1,$2) ON CONFLICT(key) DO NOTHING");
    char *s = rw("INSERT OR REPLACE INTO nokey(a) VALUES(1)", 0, NULL);
    assert_non_null(strstr(s, "нет первичного или уникального ключа"));
    free(s);
    s = rw("INSERT OR REPLACE INTO meta VALUES(1, 2)", 0, NULL);
    assert_non_null(strstr(s, "без списка столбцов"));
    free(s);
}

static void ddl(void **state)
{
    REWRITES_TO("CREATE TABLE t(id INTEGER PRIMARY KEY, n INTEGER NOT NULL, x REAL, b BLOB,"
                " user TEXT, PRIMARY KEY(n, x)) WITHOUT ROWID",
                "CREATE TABLE t(id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, n BIGINT"
                " NOT NULL, x DOUBLE PRECISION, b BYTEA, \"user\" TEXT, PRIMARY KEY(n, x))");
    REWRITES_TO("CREATE TABLE t(id INTEGER PRIMARY KEY AUTOINCREMENT)",
                "CREATE TABLE t(id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY )");
    REWRITES_TO("ALTER TABLE user ADD COLUMN must_change INTEGER NOT NULL DEFAULT 0",
                "ALTER TABLE \"user\" ADD COLUMN must_change BIGINT NOT NULL DEFAULT 0");
    REWRITES_TO("SELECT CAST(?1 AS INTEGER), CAST(x AS REAL), a.user FROM audit a",
                "SELECT CAST($1 AS BIGINT), CAST(x AS DOUBLE PRECISION), a.\"user\" FROM audit a");
}

static void triggers(void **state)
{
    char *s = rw("CREATE TRIGGER model_stamp_school_INSERT AFTER INSERT ON school"
                 " BEGIN UPDATE model_stamp SET n = n + 1; END;",
                 1, NULL);
    assert_string_equal(s, "CREATE OR REPLACE FUNCTION model_stamp_school_insert_fn() RETURNS"
                           " trigger LANGUAGE plpgsql AS $msk$\nBEGIN\n UPDATE model_stamp SET"
                           " n = n + 1;\nRETURN NULL;\nEND\n$msk$;\nCREATE OR REPLACE TRIGGER"
                           " model_stamp_school_INSERT AFTER INSERT ON school FOR EACH STATEMENT"
                           " EXECUTE FUNCTION model_stamp_school_insert_fn();");
    free(s);
    /* a WHEN (it may hold a subquery, which a PostgreSQL trigger's WHEN may not): row level,
     * the condition inside the function */
    s = rw("CREATE TRIGGER r_ins AFTER INSERT ON result"
           "  WHEN NEW.batch_id IS NULL OR NEW.batch_id < (SELECT max(id) FROM import_batch)"
           "  BEGIN UPDATE model_stamp SET n = n + 1; END",
           1, NULL);
    assert_string_equal(s, "CREATE OR REPLACE FUNCTION r_ins_fn() RETURNS trigger LANGUAGE"
                           " plpgsql AS $msk$\nBEGIN\nIF NEW.batch_id IS NULL OR NEW.batch_id <"
                           " (SELECT max(id) FROM import_batch) THEN\n UPDATE model_stamp SET"
                           " n = n + 1;\nEND IF;\nRETURN NULL;\nEND\n$msk$;\nCREATE OR REPLACE"
                           " TRIGGER r_ins AFTER INSERT ON result FOR EACH ROW EXECUTE"
                           " FUNCTION r_ins_fn()");
    free(s);
    /* a body that reads OLD is row level too; a CASE … END inside does not end the body */
    s = rw("CREATE TRIGGER d AFTER DELETE ON t BEGIN INSERT INTO log(v) VALUES(CASE WHEN"
           " OLD.a == 1 THEN 'x' END); END; SELECT 1",
           1, NULL);
    assert_non_null(strstr(s, "FOR EACH ROW"));
    assert_non_null(strstr(s, "OLD.a = 1 THEN 'x' END);\nRETURN NULL"));
    assert_non_null(strstr(s, "EXECUTE FUNCTION d_fn(); SELECT 1"));
    free(s);
    /* the body's statements are rewritten as statements; a table named user is quoted */
    s = rw("CREATE TRIGGER u AFTER UPDATE ON user BEGIN INSERT OR IGNORE INTO log(v)"
           " VALUES(NEW.login); DELETE FROM session WHERE user_id = OLD.id; END",
           1, NULL);
    assert_non_null(strstr(s, " INSERT INTO log(v) VALUES(NEW.login) ON CONFLICT DO NOTHING;"
                              " DELETE FROM session WHERE user_id = OLD.id;"));
    assert_non_null(strstr(s, "TRIGGER u AFTER UPDATE ON \"user\" FOR EACH ROW"));
    free(s);
    s = rw("CREATE TEMP TRIGGER x BEFORE UPDATE ON t BEGIN SELECT 1; END", 1, NULL);
    assert_non_null(strstr(s, "временные триггеры"));
    free(s);
}

static void statements(void **state)
{
    REWRITES_TO("PRAGMA user_version", "SELECT coalesce((SELECT value FROM msoko_compat.pragma"
                                       " WHERE name = 'user_version'), 0)");
    REWRITES_TO("PRAGMA user_version=21",
                "INSERT INTO msoko_compat.pragma(name, value) VALUES('user_version', 21)"
                " ON CONFLICT (name) DO UPDATE SET value = excluded.value");
    REWRITES_TO("PRAGMA main.application_id = -5",
                "INSERT INTO msoko_compat.pragma(name, value) VALUES('application_id', -5)"
                " ON CONFLICT (name) DO UPDATE SET value = excluded.value");
    REWRITES_TO("PRAGMA user_version = x", "PRAGMA user_version: значение не целое число");
    REWRITES_TO("PRAGMA user_version-", "PRAGMA user_version: значение не целое число");
    REWRITES_TO("PRAGMA foreign_keys=ON", "");
    char *s = rw("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; SELECT 1", 1, NULL);
    assert_string_equal(s, " SELECT 1");
    free(s);
    REWRITES_TO("BEGIN IMMEDIATE", "BEGIN");
    REWRITES_TO("BEGIN DEFERRED TRANSACTION", "BEGIN");
    REWRITES_TO("SELECT 1 WHERE period GLOB '[0-9][0-9]-*' AND x GLOB ?",
                "SELECT 1 WHERE period ~ '^[0-9][0-9]-.*$' AND x ~ msoko_compat.glob_regex($1)");
    REWRITES_TO("SELECT a == b, a IS b, a IS NOT ?1, a IS NULL, a IS NOT NULL, a LIKE 'x%'",
                "SELECT a = b, a IS NOT DISTINCT FROM b, a IS DISTINCT FROM  $1, a IS NULL,"
                " a IS NOT NULL, a ILIKE 'x%'");
    REWRITES_TO("SELECT json_object('a', 1), json_array(1), json_group_array(x),"
                " json_group_object(k, v), ifnull(a, 0)",
                "SELECT json_build_object('a', 1), json_build_array(1), json_agg(x),"
                " json_object_agg(k, v), coalesce(a, 0)");
    REWRITES_TO("SELECT max(a), max(a, (b)), min(1, 2, 3), t.max(1, 2)",
                "SELECT max(a), greatest(a, (b)), least(1, 2, 3), t.max(1, 2)");
    REWRITES_TO("SELECT x FROM (SELECT 1 AS x) JOIN (SELECT 2) ON 1 WHERE x IN (SELECT y FROM"
                " (VALUES (1)) v(y)) AND x IN (SELECT 1 FROM (SELECT 1) AS n)",
                "SELECT x FROM (SELECT 1 AS x) AS msk_sub6 JOIN (SELECT 2) AS msk_sub18 ON 1"
                " WHERE x IN (SELECT y FROM (VALUES (1)) v(y)) AND x IN (SELECT 1 FROM (SELECT 1)"
                " AS n)");
    REWRITES_TO(
        "SELECT count(*) FROM temp.sqlite_schema, main.school, temp.plan_keep t",
        "SELECT count(*) FROM msoko_compat.sqlite_temp_schema, school, pg_temp.plan_keep t");
    REWRITES_TO("SELECT 1 LIMIT ?6 OFFSET ?7",
                "SELECT 1 LIMIT msoko_compat.sqlite_limit($6) OFFSET $7");
    REWRITES_TO("SELECT 1 LIMIT -1", "SELECT 1 LIMIT ALL");
    char *d1 = rw("DROP TRIGGER IF EXISTS temp.msk_keep_x", 0, NULL);
    assert_non_null(strstr(d1, "DO $msk$"));
    assert_non_null(strstr(d1, "g.tgname = 'msk_keep_x'"));
    assert_null(strstr(d1, "RAISE"));
    free(d1);
    /* scripts: a UNION ALL of SELECTs into a table, one INSERT a branch (its NULLs typed) */
    s = rw("INSERT OR IGNORE INTO t(a, b) SELECT 1, NULL WHERE x UNION ALL SELECT 2, NULL;", 1,
           NULL);
    assert_string_equal(s, "INSERT INTO t(a, b) SELECT 1, NULL WHERE x  ON CONFLICT DO NOTHING;\n"
                           "INSERT INTO t(a, b) SELECT 2, NULL ON CONFLICT DO NOTHING;");
    free(s);
}

/* ---- on a server ---------------------------------------------------------------------------- */

static const char *conninfo;
static db *d;

static int pg_setup(void **state)
{
    conninfo = getenv("MSOKO_TEST_PG");
    if (!conninfo || !*conninfo) {
        printf("# MSOKO_TEST_PG не задана: проверки на сервере PostgreSQL пропущены"
               " (make test запускает tests/pg/cluster.sh и задаёт её)\n");
        return 0;
    }
    if (db_open_postgres(conninfo, &d) != DB_OK) {
        printf("# %s\n", db_errmsg(d));
        return -1;
    }
    /* a schema of its own, made afresh: the tables of an earlier run go */
    if (db_exec(d, "DROP SCHEMA IF EXISTS test_db_pg CASCADE; CREATE SCHEMA test_db_pg;"
                   " SET search_path = test_db_pg, msoko_compat") != DB_OK) {
        printf("# %s\n", db_errmsg(d));
        return -1;
    }
    return 0;
}

static int pg_teardown(void **state)
{
    if (d && db_errclass(d) != DB_E_CONNECTION)
        db_exec(d, "DROP SCHEMA IF EXISTS test_db_pg CASCADE");
    db_close(d);
    d = NULL;
    return 0;
}

#define NEED_SERVER()                                                                              \
    do {                                                                                           \
        if (!d)                                                                                    \
            skip();                                                                                \
    } while (0)

static int64_t one_int(const char *sql)
{
    db_stmt *st = NULL;
    if (db_prepare(d, sql, &st) != DB_OK)
        fail_msg("%s: %s", sql, db_errmsg(d));
    int rc = db_step(st);
    if (rc != DB_ROW)
        fail_msg("%s: %s", sql, db_errmsg(d));
    int64_t v = db_column_int64(st, 0);
    db_finalize(st);
    return v;
}

static char *one_text(const char *sql)
{
    db_stmt *st = NULL;
    if (db_prepare(d, sql, &st) != DB_OK || db_step(st) != DB_ROW)
        fail_msg("%s: %s", sql, db_errmsg(d));
    const char *v = db_column_text(st, 0);
    char *r = strdup(v ? v : "(null)");
    db_finalize(st);
    return r;
}

/* The one text column of sql's one row, on the connection x. */
static char *names(db *x, const char *sql)
{
    db_stmt *st = NULL;
    if (db_prepare(x, sql, &st) != DB_OK || db_step(st) != DB_ROW)
        fail_msg("%s: %s", sql, db_errmsg(x));
    const char *v = db_column_text(st, 0);
    char *r = strdup(v ? v : "");
    db_finalize(st);
    return r;
}

static void every_migration_applies(void **state)
{
    NEED_SERVER();
    assert_int_equal(db_engine_of(d), DB_POSTGRES);
    for (int i = 1; i <= schema_version(); i++)
        if (db_exec(d, schema_migration(i)) != DB_OK)
            fail_msg("migration %d: %s", i, db_errmsg(d));
    /* the same tables, indexes and triggers as the same migrations make in SQLite */
    char *pg = names(d, "SELECT group_concat(type || ' ' || lower(name), ', ') FROM (SELECT type,"
                        " name FROM sqlite_schema ORDER BY type, lower(name) COLLATE \"C\") AS x");
    db *lite = NULL;
    assert_int_equal(db_open_sqlite(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &lite),
                     DB_OK);
    for (int i = 1; i <= schema_version(); i++)
        assert_int_equal(db_exec(lite, schema_migration(i)), DB_OK);
    char *sqlite =
        names(lite, "SELECT group_concat(type || ' ' || lower(name), ', ') FROM (SELECT"
                    " type, name FROM sqlite_schema WHERE type IN ('table', 'trigger',"
                    " 'index') AND name NOT LIKE 'sqlite_%' ORDER BY type, lower(name))");
    db_close(lite);
    if (strcmp(pg, sqlite)) { /* cmocka cuts a long message: both in full */
        printf("# PostgreSQL: %s\n# SQLite:     %s\n", pg, sqlite);
        fail_msg("the schemas differ");
    }
    free(pg);
    free(sqlite);
    assert_int_equal(one_int("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"), 36);
    /* the user_version of SQLite's header kept in a table */
    assert_int_equal(db_exec(d, "PRAGMA user_version=21"), DB_OK);
    assert_int_equal(one_int("PRAGMA user_version"), 21);
    /* migration 15 inserted its rows only into a seeded database: none here */
    assert_int_equal(one_int("SELECT count(*) FROM data_element"), 0);
    assert_int_equal(one_int("SELECT count(*) FROM proc_kind WHERE code = 'META'"), 1);
}

static void exec_ok(const char *sql)
{
    if (db_exec(d, sql) != DB_OK)
        fail_msg("%s: %s", sql, db_errmsg(d));
}

static int run_stmt_as(const char *sql, const char *a, const char *b, int guarded)
{
    db_stmt *st = NULL;
    if (db_prepare(d, sql, &st) != DB_OK)
        return DB_ERROR;
    if (a)
        db_bind_text(st, 1, a);
    if (b)
        db_bind_text(st, 2, b);
    int rc = guarded ? db_step_guarded(st) : db_step(st);
    db_finalize(st);
    return rc;
}

static int run_stmt(const char *sql, const char *a, const char *b)
{
    return run_stmt_as(sql, a, b, 0);
}

static void triggers_bump_the_stamp(void **state)
{
    NEED_SERVER();
    int64_t n0 = one_int("SELECT n FROM model_stamp");
    exec_ok("INSERT INTO school(code, name, type, locality) VALUES('s1', 'Школа 1', 'sosh',"
            " 'urban'), ('s2', 'Школа 2', 'sosh', 'rural')");
    /* FOR EACH STATEMENT: one insert of two rows, one bump */
    assert_int_equal(one_int("SELECT n FROM model_stamp"), n0 + 1);
    exec_ok("INSERT INTO proc_kind(code,name,result_type,ord) VALUES('VPR','ВПР','mark',1);"
            " INSERT INTO subject(code,name,ord) VALUES('ma','Математика',1);"
            " INSERT INTO procedure(year,kind,subject,grade) VALUES(2024,'VPR','ma',5);"
            " INSERT INTO import_batch(file_name,sha256,kind,created_at) VALUES('a','b','c','d');"
            " INSERT INTO import_batch(file_name,sha256,kind,created_at) VALUES('a','b','c','d')");
    int64_t n1 = one_int("SELECT n FROM model_stamp");
    /* the result trigger's WHEN: a row of the newest batch does not bump, an older one does */
    exec_ok("INSERT INTO result(procedure_id, school_id, pupil_code, batch_id) SELECT"
            " (SELECT id FROM procedure), (SELECT id FROM school WHERE code = 's1'), 'p1',"
            " (SELECT max(id) FROM import_batch)");
    assert_int_equal(one_int("SELECT n FROM model_stamp"), n1);
    exec_ok("INSERT INTO result(procedure_id, school_id, pupil_code, batch_id) SELECT"
            " (SELECT id FROM procedure), (SELECT id FROM school WHERE code = 's1'), 'p2',"
            " (SELECT min(id) FROM import_batch)");
    assert_int_equal(one_int("SELECT n FROM model_stamp"), n1 + 1);
    exec_ok("INSERT INTO result(procedure_id, school_id, pupil_code) SELECT (SELECT id FROM"
            " procedure), (SELECT id FROM school WHERE code = 's1'), 'p3'");
    assert_int_equal(one_int("SELECT n FROM model_stamp"), n1 + 2);
    /* DROP TRIGGER finds its table; without IF EXISTS a missing one is an error */
    exec_ok("DROP TRIGGER model_stamp_contest_DELETE");
    assert_int_equal(one_int("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"), 35);
    exec_ok("DROP TRIGGER IF EXISTS model_stamp_contest_DELETE");
    assert_int_equal(db_exec(d, "DROP TRIGGER model_stamp_contest_DELETE"), DB_ERROR);
    assert_non_null(strstr(db_errmsg(d), "no such trigger"));
}

static void upserts_and_failures(void **state)
{
    NEED_SERVER();
    assert_int_equal(run_stmt("INSERT OR REPLACE INTO meta(key,value) VALUES(?,?)", "k", "1"),
                     DB_DONE);
    assert_int_equal(run_stmt("INSERT OR REPLACE INTO meta(key,value) VALUES(?,?)", "k", "2"),
                     DB_DONE);
    assert_int_equal(db_changes(d), 1);
    char *v = one_text("SELECT value FROM meta WHERE key = 'k'");
    assert_string_equal(v, "2");
    free(v);
    assert_int_equal(run_stmt("INSERT OR IGNORE INTO meta(key,value) VALUES(?,?)", "k", "3"),
                     DB_DONE);
    assert_int_equal(db_changes(d), 0);
    v = one_text("SELECT value FROM meta WHERE key = 'k'");
    assert_string_equal(v, "2");
    free(v);
    /* the same school code twice: the statement fails, as a unique violation */
    assert_int_equal(run_stmt("INSERT INTO school(code, name, type, locality)"
                              " VALUES(?, ?, 'sosh', 'urban')",
                              "s1", "Другая"),
                     DB_ERROR);
    assert_int_equal(db_errclass(d), DB_E_UNIQUE);
    assert_non_null(strstr(db_errmsg(d), "school_code_key"));
    assert_int_equal(one_int("SELECT count(*) FROM school WHERE code = 's1'"), 1);
    assert_int_equal(run_stmt("INSERT INTO scale(year,kind,subject,grade,max_primary)"
                              " VALUES(2024, ?, ?, 9, 10)",
                              "NOPE", "ma"),
                     DB_ERROR);
    assert_int_equal(db_errclass(d), DB_E_FOREIGN);
    assert_int_equal(run_stmt("INSERT INTO school(code, name, type, locality)"
                              " VALUES(?, 'x', ?, 'urban')",
                              "s9", "castle"),
                     DB_ERROR);
    assert_int_equal(db_errclass(d), DB_E_CHECK);
    assert_int_equal(run_stmt("INSERT INTO meta(key, value) VALUES(?, NULL)", "z", NULL), DB_ERROR);
    assert_int_equal(db_errclass(d), DB_E_NOTNULL);
    /* registry_row's CHECK(json_valid(data)) through the compatibility function */
    assert_int_equal(run_stmt("INSERT INTO registry_row(kind, year, school_id, code, rkey, data,"
                              " created_at) SELECT 'k', 2024, id, 'c', 'c', ?, '' FROM school"
                              " WHERE code = 's1'",
                              "{not json", NULL),
                     DB_ERROR);
    assert_int_equal(db_errclass(d), DB_E_CHECK);
    assert_int_equal(run_stmt("SELECT no_such_column FROM meta", NULL, NULL), DB_ERROR);
    assert_int_equal(db_errclass(d), DB_E_OTHER);
    /* a success clears the class */
    assert_int_equal(run_stmt("SELECT 1", NULL, NULL), DB_ROW);
    assert_int_equal(db_errclass(d), DB_E_NONE);
}

static const unsigned char BLOB[] = {0, 1, 0, 255, '\\', 'x', 0};
static const char CYR[] = "Школа «Ромашка» — it's \"quoted\" ? ?1 $1";

static void types_round_trip(void **state)
{
    NEED_SERVER();
    exec_ok("CREATE TABLE ty(id INTEGER PRIMARY KEY, i INTEGER, d REAL, t TEXT, b BLOB)");
    db_stmt *st = NULL;
    assert_int_equal(db_prepare_keep(d, "INSERT INTO ty(i, d, t, b) VALUES(?, ?, ?, ?)", &st),
                     DB_OK);
    assert_int_equal(db_param_count(st), 4);
    assert_int_equal(db_bind_int64(st, 1, INT64_C(5000000000)), DB_OK);
    assert_int_equal(db_bind_double(st, 2, 0.1), DB_OK);
    char text[sizeof CYR + 4];
    memcpy(text, CYR, sizeof CYR);
    memcpy(text + sizeof CYR - 1, "tail", 4); /* a length, no terminating zero */
    assert_int_equal(db_bind_text_ref(st, 3, text, (int)sizeof CYR - 1), DB_OK);
    assert_int_equal(db_bind_blob_ref(st, 4, BLOB, sizeof BLOB), DB_OK);
    assert_int_equal(db_step(st), DB_DONE);
    assert_int_equal(db_changes(d), 1);
    assert_int_equal(db_last_id(d), 1);
    /* the kept statement again, every value NULL; then negative extremes */
    assert_int_equal(db_reset(st), DB_OK);
    db_clear_bindings(st);
    assert_int_equal(db_step(st), DB_DONE);
    assert_int_equal(db_last_id(d), 2);
    db_reset(st);
    db_bind_int64(st, 1, INT64_MIN);
    db_bind_double(st, 2, -1.5e-300);
    db_bind_text(st, 3, "");
    db_bind_blob(st, 4, NULL, 0);
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);

    assert_int_equal(db_prepare(d, "SELECT i, d, t, b FROM ty ORDER BY id", &st), DB_OK);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_column_count(st), 4);
    assert_int_equal(db_column_type(st, 0), DB_INTEGER);
    assert_true(db_column_int64(st, 0) == INT64_C(5000000000));
    assert_int_equal(db_column_type(st, 1), DB_FLOAT);
    assert_true(db_column_double(st, 1) == 0.1);
    assert_int_equal(db_column_type(st, 2), DB_TEXT);
    assert_string_equal(db_column_text(st, 2), CYR);
    assert_int_equal(db_column_bytes(st, 2), (int)sizeof CYR - 1);
    assert_int_equal(db_column_type(st, 3), DB_BLOB);
    assert_int_equal(db_column_bytes(st, 3), (int)sizeof BLOB);
    assert_memory_equal(db_column_blob(st, 3), BLOB, sizeof BLOB);
    assert_true(db_stmt_busy(st));
    assert_int_equal(db_step(st), DB_ROW);
    for (int c = 0; c < 4; c++)
        assert_int_equal(db_column_type(st, c), DB_NULL);
    assert_null(db_column_text(st, 2));
    assert_null(db_column_blob(st, 3));
    assert_int_equal(db_step(st), DB_ROW);
    assert_true(db_column_int64(st, 0) == INT64_MIN);
    assert_true(db_column_double(st, 1) == -1.5e-300);
    assert_string_equal(db_column_text(st, 2), "");
    assert_int_equal(db_column_type(st, 3), DB_BLOB);
    assert_int_equal(db_column_bytes(st, 3), 0);
    assert_int_equal(db_step(st), DB_DONE);
    assert_false(db_stmt_busy(st));
    db_finalize(st);
    /* a bool is an integer; a sum of integers (numeric in PostgreSQL) too; avg a float */
    assert_int_equal(db_prepare(d, "SELECT 1 < 2, sum(i), avg(d) FROM ty WHERE i > 0", &st), DB_OK);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_column_type(st, 0), DB_INTEGER);
    assert_int_equal(db_column_int(st, 0), 1);
    assert_string_equal(db_column_text(st, 0), "1");
    assert_int_equal(db_column_type(st, 1), DB_INTEGER);
    assert_true(db_column_int64(st, 1) == INT64_C(5000000000));
    assert_int_equal(db_column_type(st, 2), DB_FLOAT);
    db_finalize(st);
}

static void returning_counters_transactions(void **state)
{
    NEED_SERVER();
    db_stmt *st = NULL;
    assert_int_equal(db_prepare(d,
                                "INSERT INTO school(code, name, type, locality)"
                                " VALUES(?1, ?2, 'lyceum', 'urban') RETURNING id, code",
                                &st),
                     DB_OK);
    db_bind_text(st, 1, "s3");
    db_bind_text(st, 2, "Лицей");
    assert_int_equal(db_step(st), DB_ROW);
    int64_t id = db_column_int64(st, 0);
    assert_string_equal(db_column_text(st, 1), "s3");
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
    assert_true(id > 2);
    assert_int_equal(db_changes(d), 1);
    assert_true(db_last_id(d) == id);
    /* a SELECT leaves the count of the last change alone */
    assert_int_equal(one_int("SELECT count(*) FROM school"), 3);
    assert_int_equal(db_changes(d), 1);
    exec_ok("UPDATE school SET levels = 'x'");
    assert_int_equal(db_changes(d), 3);

    assert_false(db_in_transaction(d));
    exec_ok("BEGIN IMMEDIATE");
    assert_true(db_in_transaction(d));
    exec_ok("DELETE FROM school WHERE code = 's3'");
    assert_int_equal(db_changes(d), 1);
    exec_ok("ROLLBACK");
    assert_false(db_in_transaction(d));
    assert_int_equal(one_int("SELECT count(*) FROM school WHERE code = 's3'"), 1);
    /* a guarded statement that fails undoes itself only, as in SQLite: the transaction goes on
     * and what came before and after it is committed (the result import relies on it) */
    exec_ok("BEGIN");
    assert_int_equal(run_stmt("INSERT INTO meta(key,value) VALUES(?,?)", "before", "1"), DB_DONE);
    assert_int_equal(
        run_stmt_as("INSERT INTO meta(key,value) VALUES('k2','x'), (?,?)", "k", "x", 1), DB_ERROR);
    assert_int_equal(db_errclass(d), DB_E_UNIQUE);
    assert_int_equal(db_changes(d), 0);
    assert_true(db_in_transaction(d));
    assert_int_equal(db_exec(d, "INSERT INTO meta(key,value) VALUES('k3','x'); SELECT 1/0"),
                     DB_ERROR);
    assert_true(db_in_transaction(d));
    db_stmt *keep = NULL; /* a kept statement goes the same way */
    assert_int_equal(db_prepare_keep(d, "INSERT INTO meta(key,value) VALUES(?,?)", &keep), DB_OK);
    db_bind_text(keep, 1, "k");
    db_bind_text(keep, 2, "y");
    assert_int_equal(db_step_guarded(keep), DB_ERROR);
    assert_int_equal(db_errclass(d), DB_E_UNIQUE);
    db_reset(keep);
    db_bind_text(keep, 1, "after");
    assert_int_equal(db_step(keep), DB_DONE);
    db_finalize(keep);
    /* the columns of a statement not run yet, one the server refuses: 0, transaction intact */
    db_stmt *bad = NULL;
    assert_int_equal(db_prepare(d, "SELECT nope FROM nowhere", &bad), DB_OK);
    assert_int_equal(db_column_count(bad), 0);
    db_finalize(bad);
    assert_int_equal(db_prepare_keep(d, "SELECT nope FROM nowhere", &bad), DB_ERROR);
    assert_non_null(strstr(db_errmsg(d), "nowhere"));
    assert_int_equal(db_prepare(d, "SELECT key, value FROM meta", &bad), DB_OK);
    assert_int_equal(db_column_count(bad), 2);
    db_finalize(bad);
    exec_ok("COMMIT");
    assert_false(db_in_transaction(d));
    assert_int_equal(one_int("SELECT count(*) FROM meta WHERE key IN ('before', 'after')"), 2);
    assert_int_equal(one_int("SELECT count(*) FROM meta WHERE key IN ('k2', 'k3')"), 0);
    /* an unguarded failure aborts the whole transaction, as PostgreSQL does: the next
     * statement is refused too, and the rollback leaves nothing of it */
    exec_ok("BEGIN");
    assert_int_equal(run_stmt("INSERT INTO meta(key,value) VALUES(?,?)", "gone", "1"), DB_DONE);
    assert_int_equal(run_stmt("INSERT INTO meta(key,value) VALUES(?,?)", "k", "z"), DB_ERROR);
    assert_int_equal(db_errclass(d), DB_E_UNIQUE);
    assert_int_equal(run_stmt("INSERT INTO meta(key,value) VALUES(?,?)", "later", "1"), DB_ERROR);
    assert_true(db_in_transaction(d));
    exec_ok("ROLLBACK");
    assert_int_equal(one_int("SELECT count(*) FROM meta WHERE key IN ('gone', 'later')"), 0);
}

static void compat_functions(void **state)
{
    NEED_SERVER();
    static const struct {
        const char *sql, *want;
    } CASES[] = {
        {"SELECT json_extract('{\"a\":{\"b\":[10,\"x\",true]}}', '$.a.b[1]')", "x"},
        {"SELECT json_extract('{\"a\":{\"b\":[10,\"x\",true]}}', '$.a.b[0]')", "10"},
        {"SELECT json_extract('{\"a\":{\"b\":[10,\"x\",true]}}', '$.a.b[2]')", "1"},
        {"SELECT json_extract('{\"a\":1}', '$.missing')", "(null)"},
        {"SELECT json_set('{\"a\":1}', '$.b', '5')", "{\"a\": 1, \"b\": 5}"},
        {"SELECT json_set('{\"a\":1}', '$.a', 'да')", "{\"a\": \"да\"}"},
        {"SELECT json_object('a', 1, 'b', json('[1,2]'))::text", "{\"a\" : 1, \"b\" : [1,2]}"},
        {"SELECT json_valid('[1')::int::text || json_valid('[1]')::int::text", "01"},
        {"SELECT count(*) FROM json_each('{\"a\":\"xyz\",\"b\":2}') j WHERE j.value LIKE '%Y%'",
         "1"},
        {"SELECT instr('Школа', 'ко') || ',' || instr('abc', 'z')", "2,0"},
        {"SELECT total(x) FROM (SELECT 1 AS x WHERE false) s", "0"},
        {"SELECT total(x) FROM (VALUES (1), (2.5)) v(x)", "3.5"},
        {"SELECT group_concat(c, ';') FROM (VALUES ('a'), (NULL), ('b')) v(c)", "a;b"},
        {"SELECT group_concat(c) FROM (VALUES ('a'), ('b')) v(c)", "a,b"},
        {"SELECT hex('\\x00ff'::bytea) || hex('Я')", "00FFD0AF"},
        {"SELECT typeof(1) || typeof(1.5::float8) || typeof('a'::text) || typeof(NULL::int) || "
         "typeof('x')",
         "integerrealtextnulltext"},
        {"SELECT iif(1 < 2, 'y', 'n')", "y"},
        {"SELECT round(2.345::float8, 2)", "2.35"},
        {"SELECT count(*) FROM (VALUES ('2024'), ('2024-09'), ('x024')) v(p)"
         " WHERE p GLOB '[0-9][0-9][0-9][0-9]'",
         "1"},
        {"SELECT max(3, 7) + min(3, 7)", "10"},
        {"SELECT sum(x > 1) FROM (VALUES (1), (2), (3)) v(x)", "2"},
        {"SELECT CAST('2024' AS INTEGER) + ('09' BETWEEN '09' AND '12')", "2025"},
        {"SELECT count(*) FROM (SELECT 1 UNION ALL SELECT 2 LIMIT ?)", "2"},
        {"SELECT group_concat(name || ':' || pk) FROM pragma_table_info('scale_point')",
         "scale_id:1,primary_score:2,test_score:0,batch_id:0"},
        {"SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'result'", "3"},
        {"SELECT count(*) FROM (SELECT 1 UNION ALL SELECT 2)", "2"},
        {"SELECT substr('abcdef', 2, length(?1) + 1)", "bc"},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        db_stmt *st = NULL;
        if (db_prepare(d, CASES[i].sql, &st) != DB_OK)
            fail_msg("%s: %s", CASES[i].sql, db_errmsg(d));
        if (db_param_count(st) && strstr(CASES[i].sql, "LIMIT ?"))
            db_bind_int(st, 1, -1);
        else if (db_param_count(st))
            db_bind_text(st, 1, "x");
        if (db_step(st) != DB_ROW)
            fail_msg("%s: %s", CASES[i].sql, db_errmsg(d));
        const char *v = db_column_text(st, 0);
        if (strcmp(v ? v : "(null)", CASES[i].want))
            fail_msg("%s: %s, not %s", CASES[i].sql, v ? v : "(null)", CASES[i].want);
        db_finalize(st);
    }
    /* GLOB with a parameter */
    assert_int_equal(run_stmt("SELECT 1 WHERE '2024-09' GLOB ?", "2024-*", NULL), DB_ROW);
    assert_int_equal(run_stmt("SELECT 1 WHERE '2024.09' GLOB ?", "2024?0[0-9]", NULL), DB_ROW);
    assert_int_equal(run_stmt("SELECT 1 WHERE '2024x09' GLOB ?", "2024.*", NULL), DB_DONE);
}

/* the server ends the connection (a restart, an admin): every later call says so */
static void dropped_connection(void **state)
{
    NEED_SERVER();
    db *other = NULL;
    assert_int_equal(db_open_postgres(conninfo, &other), DB_OK);
    int64_t pid = one_int("SELECT pg_backend_pid()");
    db_stmt *st = NULL;
    assert_int_equal(db_prepare(other, "SELECT pg_terminate_backend(?)", &st), DB_OK);
    db_bind_int64(st, 1, pid);
    assert_int_equal(db_step(st), DB_ROW);
    db_finalize(st);
    db_close(other);
    assert_int_equal(run_stmt("SELECT 1", NULL, NULL), DB_ERROR);
    assert_int_equal(db_errclass(d), DB_E_CONNECTION);
    assert_true(strlen(db_errmsg(d)) > 0);
    assert_int_equal(db_exec(d, "SELECT 1"), DB_ERROR);
    assert_int_equal(db_errclass(d), DB_E_CONNECTION);
    /* inside a transaction (the statement goes in the savepoint's pipeline) the same */
    db *third = NULL;
    assert_int_equal(db_open_postgres(conninfo, &third), DB_OK);
    assert_int_equal(db_exec(third, "BEGIN"), DB_OK);
    assert_int_equal(db_prepare(third, "SELECT pg_backend_pid()", &st), DB_OK);
    assert_int_equal(db_step(st), DB_ROW);
    pid = db_column_int64(st, 0);
    db_finalize(st);
    assert_int_equal(db_open_postgres(conninfo, &other), DB_OK);
    assert_int_equal(db_prepare(other, "SELECT pg_terminate_backend(?)", &st), DB_OK);
    db_bind_int64(st, 1, pid);
    assert_int_equal(db_step(st), DB_ROW);
    db_finalize(st);
    db_close(other);
    assert_int_equal(db_prepare(third, "SELECT 1", &st), DB_OK);
    assert_int_equal(db_step(st), DB_ERROR);
    assert_int_equal(db_errclass(third), DB_E_CONNECTION);
    db_finalize(st);
    db_close(third);
}

static void bad_conninfo_is_a_connection_error(void **state)
{
    db *x = NULL;
    assert_int_equal(db_open_postgres("host=/nonexistent-msoko dbname=none connect_timeout=1", &x),
                     DB_ERROR);
    assert_non_null(x);
    assert_int_equal(db_errclass(x), DB_E_CONNECTION);
    assert_true(strlen(db_errmsg(x)) > 0);
    db_close(x);
}

int main(void)
{
    const struct CMUnitTest rewriter[] = {
        cmocka_unit_test(parameters), cmocka_unit_test(inserts),
        cmocka_unit_test(ddl),        cmocka_unit_test(triggers),
        cmocka_unit_test(statements), cmocka_unit_test(bad_conninfo_is_a_connection_error),
    };
    const struct CMUnitTest server[] = {
        cmocka_unit_test(every_migration_applies),
        cmocka_unit_test(triggers_bump_the_stamp),
        cmocka_unit_test(upserts_and_failures),
        cmocka_unit_test(types_round_trip),
        cmocka_unit_test(returning_counters_transactions),
        cmocka_unit_test(compat_functions),
        cmocka_unit_test(dropped_connection),
    };
    int failed = cmocka_run_group_tests_name("rewriter", rewriter, NULL, NULL);
    return failed + cmocka_run_group_tests_name("server", server, pg_setup, pg_teardown);
}
