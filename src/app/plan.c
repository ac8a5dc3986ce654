/*
 * The roadmap's use cases: a status change (with the due dates refreshed: a write path), an
 * evidence file, and the refresh of due dates the CLI's `plan list` asks for; each with its
 * audit row.
 */
#include "app/internal.h"

#include "store/plan.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

int app_plan_status(store *s, const app_actor *a, int64_t item, const char *status,
                    const char *note, msk_err *err)
{
    char before[4200], after[4200], object[32];
    if (!store_plan_status_ok(status))
        return msk_error(err,
                         "неизвестный статус «%s» (допустимы: planned, in_progress, done, "
                         "overdue, cancelled)",
                         status ? status : "");
    snprintf(object, sizeof object, "plan_item:%lld", (long long)item);
    if (store_begin(s, err))
        return -1;
    /* before/after keep the wording of the first release ("status=…; note=…"), which the
     * roadmap's tests and readers of the audit know */
    int rc = store_plan_snapshot(s, item, before, sizeof before, err);
    if (rc > 0)
        msk_error(err, "пункта плана %lld нет", (long long)item);
    if (rc == 0)
        rc = store_plan_set_status(s, item, status, note, a->login, err);
    if (rc == 0 && (store_plan_refresh_due(s, NULL, err) ||
                    store_plan_snapshot(s, item, after, sizeof after, err) ||
                    app_audit(s, a, "plan.status", object, before, after, err)))
        rc = -1;
    if (rc > 0) {
        store_rollback(s);
        return 1;
    }
    return app_end(s, rc, err);
}

int app_plan_attach(store *s, const app_actor *a, int64_t item, const char *name,
                    const unsigned char *data, size_t size, int64_t *file_id, msk_err *err)
{
    char object[32], clean[128];
    int64_t fid = 0;
    app_file_name(name, clean, sizeof clean);
    name = clean;
    if (!size)
        return msk_error(err, "%s: файл пуст — приложите файл с подтверждением выполнения", name);
    snprintf(object, sizeof object, "plan_item:%lld", (long long)item);
    if (store_begin(s, err))
        return -1;
    int rc = store_plan_attach(s, item, name, data, size, a->login, &fid, err);
    if (rc > 0) {
        store_rollback(s);
        return 1;
    }
    if (rc == 0)
        rc = app_audit_file(s, a, "plan.attach", object, fid, name, data, size, err);
    rc = app_end(s, rc, err);
    if (rc == 0 && file_id)
        *file_id = fid;
    return rc;
}

int app_plan_refresh(store *s, const app_actor *a, int64_t *updated, msk_err *err)
{
    int64_t n = 0;
    if (updated)
        *updated = 0;
    if (store_begin(s, err))
        return -1;
    int rc = store_plan_refresh_due(s, &n, err);
    if (rc == 0 && n > 0) { /* only a change is audited */
        char after[64];
        snprintf(after, sizeof after, "{\"updated\":%lld}", (long long)n);
        rc = app_audit(s, a, "plan.refresh", "plan", NULL, after, err);
    }
    rc = app_end(s, rc, err);
    if (rc == 0 && updated)
        *updated = n;
    return rc;
}
