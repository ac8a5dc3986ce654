/*
 * The audit trail of the use cases: the row with the whole actor, the JSON images of what they
 * change, and the watch that keeps the rows a re-import replaces. See trail.h.
 */
#include "store/trail.h"

#include "base/buf.h"
#include "base/mem.h"
#include "store/internal.h"

#include <stdio.h>
#include <string.h>

#define AREA "журнал изменений"

int store_audit_put(store *s, const store_actor *a, const char *action, const char *object,
                    const char *before, const char *after, msk_err *err)
{
    char now[32];
    db_stmt *st = NULL;
    MSK_ASSERT(store_in_transaction(s)); /* the row belongs to its use case's transaction */
    MSK_ASSERT(a && a->login && a->login[0]);
    if (store_prep(s,
                   "INSERT INTO audit(at, user, role, school, action, object, before, after)"
                   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                   &st, AREA, err))
        return -1;
    store_now(now);
    store_bind_text(st, 1, now);
    store_bind_text(st, 2, a->login);
    store_bind_text(st, 3, a->role ? a->role : "");
    store_bind_text(st, 4, a->school ? a->school : "");
    store_bind_text(st, 5, action);
    store_bind_text(st, 6, object ? object : "");
    store_bind_text(st, 7, before);
    store_bind_text(st, 8, after);
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? 0 : store_db_err(s, err, AREA, "запись журнала");
}

/* Run sql (one statement, text parameters p[0..n-1]) and copy the first column of its first
 * row into *json (NULL when there is no row or it is NULL). */
static int one_json(store *s, const char *sql, int n, const char *const *p, char **json,
                    msk_err *err)
{
    db_stmt *st = NULL;
    *json = NULL;
    if (store_prep(s, sql, &st, AREA, err))
        return -1;
    for (int i = 0; i < n; i++)
        store_bind_text(st, i + 1, p[i]);
    int rc = db_step(st);
    if (rc == DB_ROW && db_column_type(st, 0) != DB_NULL)
        *json = msk_strdup(db_column_text(st, 0));
    db_finalize(st);
    if (rc != DB_ROW && rc != DB_DONE)
        return store_db_err(s, err, AREA, "снимок данных");
    return *json ? 0 : 1;
}

/* ---- the rows a re-import replaces ------------------------------------------------------ */

/* Tables an import deletes from (scoped replacement), overwrites by key (INSERT OR REPLACE,
 * whose deletes fire no trigger, so the row with the new key is copied before the insert), or
 * updates in place (upsert). */
static const struct {
    const char *table, *event, *key; /* key: columns of the row an INSERT replaces */
    const char *when;                /* a condition "… AND", "" for none */
} WATCH[] = {
    {"result", "DELETE", NULL, ""},
    {"olympiad_result", "DELETE", NULL, ""},
    {"graduate_outcome", "DELETE", NULL, ""},
    {"plan_item", "DELETE", NULL, ""},
    /* not the mark of the batch that created a school (store_school_mark_batch) */
    {"school", "UPDATE", NULL, "NEW.batch_id IS OLD.batch_id AND"},
    {"result_aggregate", "INSERT", "procedure_id,school_id", ""},
    {"data_value", "INSERT", "element,school_id,period", ""},
    {"olympiad_team", "INSERT", "year,stage,school_id", ""},
};

/* json_object('col', PREFIX."col", …) of every column of table; blobs as hex. */
static int row_expr(store *s, const char *table, const char *prefix, msk_buf *out, msk_err *err)
{
    db_stmt *st = NULL;
    if (store_prep(s, "SELECT name FROM pragma_table_info(?1) ORDER BY cid", &st, AREA, err))
        return -1;
    store_bind_text(st, 1, table);
    int pg = db_engine_of(s->db) == DB_POSTGRES;
    msk_buf_puts(out, "json_object(");
    int first = 1, rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *c = db_column_text(st, 0);
        if (pg) /* no blob in the watched tables there, and CASE needs one type */
            msk_buf_printf(out, "%s'%s', %s\"%s\"", first ? "" : ", ", c, prefix, c);
        else
            msk_buf_printf(out,
                           "%s'%s', CASE typeof(%s\"%s\") WHEN 'blob' THEN hex(%s\"%s\") ELSE "
                           "%s\"%s\" END",
                           first ? "" : ", ", c, prefix, c, prefix, c, prefix, c);
        first = 0;
    }
    db_finalize(st);
    msk_buf_putc(out, ')');
    if (rc != DB_DONE)
        return store_db_err(s, err, AREA, "столбцы таблицы");
    return 0;
}

/* PostgreSQL has no temporary triggers: there the watch's triggers are ordinary ones, made
 * by the first watch of a database (and again when a table's columns changed), and they keep
 * nothing unless the transaction has set msoko.watch = 'on' (SET LOCAL: the watch ends with
 * the transaction at the latest). The one place the two engines' watches differ. */
static const char PG_FLAG[] = "current_setting('msoko.watch', true) = 'on' AND ";

/* 1 when table's trigger is there and copies the columns of expr (its text after
 * "json_object"), 0 when it must be made, -1 on an error. */
static int pg_watch_current(store *s, const char *table, const char *expr, msk_err *err)
{
    char fn[96];
    db_stmt *st = NULL;
    snprintf(fn, sizeof fn, "msk_keep_%s_fn", table);
    if (store_prep(s,
                   "SELECT p.prosrc FROM pg_proc p JOIN pg_trigger g ON g.tgfoid = p.oid"
                   " WHERE p.proname = ?1 AND pg_function_is_visible(p.oid)",
                   &st, AREA, err))
        return -1;
    store_bind_text(st, 1, fn);
    int rc = db_step(st), current = 0;
    if (rc == DB_ROW)
        current = strstr(db_column_text(st, 0), expr + strlen("json_object")) != NULL;
    db_finalize(st);
    if (rc != DB_ROW && rc != DB_DONE)
        return store_db_err(s, err, AREA, "триггеры заменённых строк");
    return current;
}

int store_replaced_watch(store *s, msk_err *err)
{
    MSK_ASSERT(store_in_transaction(s));
    int pg = db_engine_of(s->db) == DB_POSTGRES;
    msk_buf sql, expr;
    int rc = -1;
    msk_buf_init(&sql, 0);
    msk_buf_init(&expr, 0);
    if (store_exec(s,
                   "CREATE TEMP TABLE IF NOT EXISTS msk_replaced(id INTEGER PRIMARY KEY,"
                   " tbl TEXT NOT NULL, row TEXT NOT NULL)",
                   err))
        goto out;
    for (size_t i = 0; i < sizeof WATCH / sizeof WATCH[0]; i++) {
        msk_buf_reset(&sql);
        msk_buf_reset(&expr);
        int ins = !strcmp(WATCH[i].event, "INSERT");
        if (row_expr(s, WATCH[i].table, ins ? "t." : "OLD.", &expr, err))
            goto out;
        if (pg) {
            int current = expr.failed ? -1 : pg_watch_current(s, WATCH[i].table, expr.data, err);
            if (current < 0)
                goto out;
            if (current)
                continue;
        }
        /* the limit in the body, not in WHEN: on PostgreSQL msk_replaced exists only in the
         * watching session, and the body is only planned once WHEN held */
        msk_buf_printf(&sql,
                       "CREATE %sTRIGGER IF NOT EXISTS msk_keep_%s BEFORE %s ON main.\"%s\""
                       " WHEN %s%s 1 = 1"
                       " BEGIN INSERT INTO msk_replaced(tbl, row) SELECT '%s', %s",
                       pg ? "" : "TEMP ", WATCH[i].table, WATCH[i].event, WATCH[i].table,
                       pg ? PG_FLAG : "", WATCH[i].when, WATCH[i].table, expr.data);
        if (ins)
            msk_buf_printf(&sql, " FROM main.\"%s\" t WHERE ", WATCH[i].table);
        else
            msk_buf_puts(&sql, " WHERE ");
        msk_buf_printf(&sql, "coalesce((SELECT max(id) FROM msk_replaced), 0) < %d",
                       STORE_REPLACED_KEEP);
        for (const char *k = ins ? WATCH[i].key : ""; *k;) {
            const char *comma = strchr(k, ',');
            int len = comma ? (int)(comma - k) : (int)strlen(k);
            msk_buf_printf(&sql, " AND t.\"%.*s\" = NEW.\"%.*s\"", len, k, len, k);
            k += len + (comma != NULL);
        }
        msk_buf_puts(&sql, "; END");
        if (sql.failed || store_exec(s, sql.data, err))
            goto out;
    }
    if (pg && store_exec(s, "SELECT set_config('msoko.watch', 'on', true)", err))
        goto out;
    rc = 0;
out:
    msk_buf_release(&sql);
    msk_buf_release(&expr);
    return rc;
}

int store_replaced_take(store *s, char **json, int64_t *n, msk_err *err)
{
    db_stmt *st = NULL;
    MSK_ASSERT(store_in_transaction(s));
    *json = NULL;
    if (n)
        *n = 0;
    if (store_prep(s,
                   "SELECT json_group_object(tbl, json(rows)), sum(n) FROM (SELECT tbl,"
                   " json_group_array(json(row)) AS rows, count(*) AS n FROM (SELECT tbl, row"
                   " FROM temp.msk_replaced ORDER BY id) r GROUP BY tbl ORDER BY tbl) g",
                   &st, AREA, err))
        return -1;
    int rc = db_step(st);
    if (rc == DB_ROW && db_column_int64(st, 1) > 0) {
        *json = msk_strdup(db_column_text(st, 0));
        if (n)
            *n = db_column_int64(st, 1);
    }
    db_finalize(st);
    if (rc != DB_ROW)
        return store_db_err(s, err, AREA, "заменённые строки");
    if (db_engine_of(s->db) == DB_POSTGRES) {
        /* the triggers stay (see PG_FLAG); the rest of the transaction keeps nothing */
        if (store_exec(s, "SELECT set_config('msoko.watch', 'off', true)", err))
            return -1;
        return store_exec(s, "DROP TABLE IF EXISTS temp.msk_replaced", err);
    }
    for (size_t i = 0; i < sizeof WATCH / sizeof WATCH[0]; i++) {
        char sql[96];
        snprintf(sql, sizeof sql, "DROP TRIGGER IF EXISTS temp.msk_keep_%s", WATCH[i].table);
        if (store_exec(s, sql, err))
            return -1;
    }
    return store_exec(s, "DROP TABLE IF EXISTS temp.msk_replaced", err);
}

/* ---- images ------------------------------------------------------------------------------ */

int store_batch_image(store *s, int64_t batch_id, char **json, msk_err *err)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)batch_id);
    const char *p[] = {id};
    return one_json(s,
                    "SELECT json_object('batch', id, 'file', file_name, 'kind', kind, 'scope',"
                    " scope, 'sha256', sha256, 'rows_read', rows_read, 'rows_loaded', rows_loaded,"
                    " 'rows_replaced', rows_replaced, 'warnings', warnings, 'user', user,"
                    " 'created_at', created_at, 'undone_at', undone_at)"
                    " FROM import_batch WHERE id = CAST(?1 AS INTEGER)",
                    1, p, json, err);
}

int store_run_image(store *s, int year, char **json, msk_err *err)
{
    char y[16];
    snprintf(y, sizeof y, "%d", year);
    const char *p[] = {y};
    return one_json(s,
                    "SELECT json_object('run', r.id, 'year', r.year, 'methods', r.methods_hash,"
                    " 'created_at', r.created_at, 'user', r.user, 'findings', (SELECT"
                    " json_group_object(method, n) FROM (SELECT method, count(*) AS n FROM finding"
                    " WHERE run_id = r.id GROUP BY method ORDER BY method)))"
                    " FROM analysis_run r WHERE r.year = CAST(?1 AS INTEGER)"
                    " ORDER BY r.id DESC LIMIT 1",
                    1, p, json, err);
}

int store_user_image(store *s, const char *login, char **json, msk_err *err)
{
    const char *p[] = {login};
    return one_json(s,
                    "SELECT json_object('login', u.login, 'role', CASE WHEN u.regional = 1 THEN"
                    " 'regional' ELSE u.role END, 'school', coalesce(sc.code, ''),"
                    " 'municipality', coalesce(mu.code, ''), 'disabled', u.disabled) FROM user u"
                    " LEFT JOIN school sc ON sc.id = u.school_id"
                    " LEFT JOIN municipality mu ON mu.id = u.municipality_id WHERE u.login = ?1",
                    1, p, json, err);
}

int store_sub_image(store *s, int64_t sub_id, char **json, msk_err *err)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)sub_id);
    const char *p[] = {id};
    return one_json(s,
                    "SELECT json_object('submission', sb.id, 'form', sb.form, 'school', sc.code,"
                    " 'period', sb.period, 'status', sb.status, 'comment', sb.comment, 'values',"
                    " (SELECT json_group_object(element, coalesce(text_value, value)) FROM (SELECT"
                    " element, value, text_value FROM submission_value WHERE submission_id = sb.id"
                    " ORDER BY element))) FROM submission sb JOIN school sc ON sc.id = sb.school_id"
                    " WHERE sb.id = CAST(?1 AS INTEGER)",
                    1, p, json, err);
}

int store_batch_rename(store *s, int64_t batch_id, const char *file_name, msk_err *err)
{
    db_stmt *st = NULL;
    MSK_ASSERT(store_in_transaction(s));
    if (store_prep(s, "UPDATE import_batch SET file_name = ?2 WHERE id = ?1", &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, batch_id);
    store_bind_text(st, 2, file_name);
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? 0 : store_db_err(s, err, AREA, "имя файла загрузки");
}
