/*
 * The store: the audit log. The write side, one row per change (store_audit, store.h); the read
 * side for the admin's page (store/audit.h), prepared per call (store_prep): the page is rare,
 * and one statement with "?N IS NULL OR …" serves every combination of filters.
 */
#include "store/audit.h"
#include "store/internal.h"

#include <string.h>

int store_audit(store *s, const char *user, const char *action, const char *object,
                const char *before, const char *after, msk_err *err)
{
    char now[32];
    db_stmt *st = store_stmt(s, ST_AUDIT, err);
    if (!st)
        return -1;
    store_now(now);
    store_bind_text(st, 1, now);
    store_bind_text(st, 2, user ? user : "");
    store_bind_text(st, 3, action);
    store_bind_text(st, 4, object ? object : "");
    store_bind_text(st, 5, before);
    store_bind_text(st, 6, after);
    return store_step_done(s, st, err, "журнал изменений");
}

#define AREA "журнал изменений"

/* ?1 user, ?2 action, ?3 from, ?4 to, ?5 school, ?8 object */
#define AUDIT_WHERE                                                                                \
    " WHERE (?1 IS NULL OR a.user = ?1)"                                                           \
    " AND (?2 IS NULL OR a.action = ?2 OR substr(a.action, 1, length(?2) + 1) = ?2 || '.')"        \
    " AND (?3 IS NULL OR substr(a.at, 1, 10) >= ?3)"                                               \
    " AND (?4 IS NULL OR substr(a.at, 1, 10) <= ?4)"                                               \
    " AND (?8 IS NULL OR a.object = ?8)"                                                           \
    " AND (?5 IS NULL OR instr(a.object, ?5) > 0 OR instr(coalesce(a.before, ''), ?5) > 0"         \
    "  OR instr(coalesce(a.after, ''), ?5) > 0"                                                    \
    "  OR EXISTS (SELECT 1 FROM submission sb JOIN school sc ON sc.id = sb.school_id"              \
    "   WHERE sc.code = ?5 AND a.object LIKE 'submission:' || sb.id || ':%')"                      \
    "  OR EXISTS (SELECT 1 FROM plan_item p JOIN school sc ON sc.id = p.school_id"                 \
    "   WHERE sc.code = ?5 AND a.object = 'plan_item:' || p.id))"

static const char *opt(const char *s)
{
    return s && *s ? s : NULL;
}

static void bind_filter(db_stmt *st, const store_audit_filter *f)
{
    store_bind_text(st, 1, opt(f->user));
    store_bind_text(st, 2, opt(f->action));
    store_bind_text(st, 3, opt(f->from));
    store_bind_text(st, 4, opt(f->to));
    store_bind_text(st, 5, opt(f->school));
    store_bind_text(st, 8, opt(f->object));
}

int store_audit_read(store *s, const store_audit_filter *f,
                     void (*on_row)(void *ctx, const store_audit_row *row), void *ctx,
                     int64_t *total, msk_err *err)
{
    db_stmt *st = NULL;
    int rc = -1;
    if (total) {
        if (store_prep(s, "SELECT count(*) FROM audit a" AUDIT_WHERE, &st, AREA, err))
            return -1;
        bind_filter(st, f);
        if (db_step(st) != DB_ROW) {
            store_db_err(s, err, AREA, "подсчёт записей");
            goto out;
        }
        *total = db_column_int64(st, 0);
        db_finalize(st);
        st = NULL;
    }
    if (store_prep(s,
                   "SELECT a.id, a.at, a.user, a.action, a.object, a.before, a.after FROM audit "
                   "a" AUDIT_WHERE " ORDER BY a.id DESC LIMIT ?6 OFFSET ?7",
                   &st, AREA, err))
        return -1;
    bind_filter(st, f);
    db_bind_int64(st, 6, f->limit > 0 ? f->limit : -1);
    db_bind_int64(st, 7, f->offset > 0 ? f->offset : 0);
    int step;
    while ((step = db_step(st)) == DB_ROW) {
        store_audit_row row = {db_column_int64(st, 0), store_col(st, 1), store_col(st, 2),
                               store_col(st, 3),       store_col(st, 4), db_column_text(st, 5),
                               db_column_text(st, 6)};
        on_row(ctx, &row);
    }
    if (step != DB_DONE) {
        store_db_err(s, err, AREA, "чтение записей");
        goto out;
    }
    rc = 0;
out:
    db_finalize(st);
    return rc;
}

int store_audit_distinct(store *s, int what, void (*on_value)(void *ctx, const char *value),
                         void *ctx, msk_err *err)
{
    db_stmt *st = NULL;
    if (store_prep(s,
                   what ? "SELECT DISTINCT action FROM audit ORDER BY 1"
                        : "SELECT DISTINCT user FROM audit ORDER BY 1",
                   &st, AREA, err))
        return -1;
    int step;
    while ((step = db_step(st)) == DB_ROW)
        on_value(ctx, store_col(st, 0));
    int rc = step == DB_DONE ? 0 : store_db_err(s, err, AREA, "список значений");
    db_finalize(st);
    return rc;
}
