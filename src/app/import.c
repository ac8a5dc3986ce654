/*
 * Import and undo as use cases: the files of one command (or one upload) in one transaction,
 * the batch named as people know the file, the rows a re-import replaces kept as the before
 * image of its audit row (issue 20, defect 7), due dates of the roadmap refreshed.
 */
#include "app/internal.h"

#include "base/buf.h"
#include "store/plan.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Append the batch's image to arr (a JSON array). */
static int add_image(store *s, int64_t id, json_t *arr, msk_err *err)
{
    char *img = NULL;
    int rc = store_batch_image(s, id, &img, err);
    if (rc < 0)
        return -1;
    json_t *j = img ? json_loads(img, 0, NULL) : NULL;
    free(img);
    if (j)
        json_array_append_new(arr, j);
    return 0;
}

/* Messages name the file as people know it, not where it was kept (the web's staging folder
 * holds a random token). */
static void rename_in(msk_buf *m, const char *path, const char *name)
{
    size_t plen = strlen(path);
    if (!m->len || !plen || !strcmp(path, name) || !strstr(m->data, path))
        return;
    msk_buf out;
    msk_buf_init(&out, 0);
    for (const char *p = m->data, *hit; *p; p = hit + plen) {
        hit = strstr(p, path);
        if (!hit) {
            msk_buf_puts(&out, p);
            break;
        }
        msk_buf_add(&out, p, (size_t)(hit - p));
        msk_buf_puts(&out, name);
    }
    msk_buf_reset(m);
    msk_buf_add(m, out.data, out.len);
    msk_buf_release(&out);
}

/* {"rows_replaced": n, "kept": k, "rows": {"table": [row, …]}}, or NULL when the import
 * replaced nothing. kept < rows_replaced when the rows were more than STORE_REPLACED_KEEP. */
static int before_image(const char *rows, int64_t kept, int64_t replaced, char **out)
{
    msk_buf b;
    *out = NULL;
    if (!rows && !replaced)
        return 0;
    msk_buf_init(&b, 0);
    msk_buf_printf(&b, "{\"rows_replaced\":%lld,\"kept\":%lld,\"rows\":%s}",
                   (long long)(replaced > kept ? replaced : kept), (long long)kept,
                   rows ? rows : "{}");
    *out = msk_buf_detach(&b, NULL);
    msk_buf_release(&b);
    return 0;
}

/* One audit row for each municipality a schools' file created (issue 17 item 2), in the
 * import's transaction: who added «Абинский район» and with which file stays known. */
static int audit_munis(store *s, const app_actor *a, const import_report *rep, msk_err *err)
{
    const char *p = rep->munis_added.data;
    while (p && *p) {
        const char *tab = strchr(p, '\t'), *nl = tab ? strchr(tab, '\n') : NULL;
        if (!nl)
            break;
        char code[64], object[96];
        snprintf(code, sizeof code, "%.*s", (int)(tab - p), p);
        snprintf(object, sizeof object, "municipality:%s", code);
        json_t *j = json_pack("{s:s,s:s%}", "code", code, "name", tab + 1, (size_t)(nl - tab - 1));
        char *after = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(j);
        int rc = app_audit(s, a, "municipality.add", object, NULL, after, err);
        free(after);
        if (rc)
            return -1;
        p = nl + 1;
    }
    return 0;
}

int app_import(store *s, const app_actor *a, const app_import_req *req, int64_t *batch,
               msk_err *err)
{
    import_opts io = *req->opts;
    json_t *batches = json_array();
    char *before = NULL, *after = NULL;
    msk_buf object;
    int failed = 0, bad = 0, rc = -1;
    int64_t replaced = 0;
    io.user = a->login;
    msk_buf_init(&object, 0);
    if (batch)
        *batch = 0;
    if (store_begin(s, err))
        goto out;
    if (!req->dry && store_replaced_watch(s, err))
        goto end;
    for (size_t i = 0; i < req->n && !failed; i++) {
        const char *name = req->names ? req->names[i] : req->paths[i];
        import_report rep;
        import_report_init(&rep);
        int r = import_file(s, req->paths[i], &io, &rep, err);
        rename_in(&rep.messages, req->paths[i], name);
        if (r < 0 && !strcmp(err->file, req->paths[i]))
            snprintf(err->file, sizeof err->file, "%s", name);
        if (r < 0) {
            failed = 1;
        } else {
            if (r > 0)
                bad = 1;
            else if ((req->names && store_batch_rename(s, rep.batch_id, name, err)) ||
                     add_image(s, rep.batch_id, batches, err) || audit_munis(s, a, &rep, err))
                failed = 1;
            if (r == 0 && batch)
                *batch = rep.batch_id;
            replaced += rep.rows_replaced;
            if (req->on_file)
                req->on_file(req->ctx, name, r, &rep);
        }
        msk_buf_printf(&object, "%s%s", i ? ", " : "", name);
        import_report_release(&rep);
    }
    if (failed)
        goto end;
    if (bad || req->dry) {
        rc = bad ? 1 : 0;
        store_rollback(s);
        goto out;
    }
    int64_t nrep = 0;
    char *rows = NULL;
    json_t *doc = json_pack("{s:o}", "batches", batches);
    batches = NULL;
    after = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(doc);
    /* the roadmap's due dates follow every write (a results file brings procedure dates) */
    if (store_plan_refresh_due(s, NULL, err) || store_replaced_take(s, &rows, &nrep, err) ||
        before_image(rows, nrep, replaced, &before) ||
        app_audit(s, a, "import", object.data, before, after, err)) {
        free(rows);
        goto end;
    }
    free(rows);
    rc = 0;
end:
    rc = app_end(s, rc, err);
out:
    json_decref(batches);
    free(before);
    free(after);
    msk_buf_release(&object);
    return rc;
}

int app_undo(store *s, const app_actor *a, int64_t batch_id, int64_t *removed, msk_err *err)
{
    char *before = NULL, *after = NULL, object[24];
    int64_t n = 0;
    int rc = -1;
    if (removed)
        *removed = 0;
    snprintf(object, sizeof object, "%lld", (long long)batch_id);
    if (store_begin(s, err))
        return -1;
    if (store_batch_image(s, batch_id, &before, err) < 0 || import_undo(s, batch_id, &n, err) ||
        store_batch_image(s, batch_id, &after, err) < 0)
        goto end;
    json_t *j = after ? json_loads(after, 0, NULL) : json_object();
    json_object_set_new(j, "removed", json_integer(n));
    free(after);
    after = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (store_plan_refresh_due(s, NULL, err) ||
        app_audit(s, a, "import.undo", object, before, after, err))
        goto end;
    if (removed)
        *removed = n;
    rc = 0;
end:
    free(before);
    free(after);
    return app_end(s, rc, err);
}
