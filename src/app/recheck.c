/*
 * Re-check rounds as use cases: drawing the sample and loading the experts' scores, each one
 * transaction with its audit row.
 */
#include "app/internal.h"

#include "ingest/recheck.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int app_recheck_sample(store *s, const app_actor *a, const store_recheck_opts *o,
                       store_recheck_sample *out, msk_err *err)
{
    char object[32];
    if (store_begin(s, err))
        return -1;
    int rc = store_recheck_sample_draw(s, o, out, err);
    if (rc == 0) {
        snprintf(object, sizeof object, "recheck_round:%lld", (long long)out->round_id);
        json_t *j = json_pack("{s:I,s:i,s:s,s:s,s:i,s:i,s:i,s:I,s:I,s:I}", "round",
                              (json_int_t)out->round_id, "year", o->year, "kind", o->kind,
                              "subject", o->subject, "grade", o->grade, "per_school", o->per_school,
                              "control", o->control, "seed", (json_int_t)o->seed, "schools",
                              (json_int_t)out->nschools, "works", (json_int_t)out->nworks);
        char *after = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(j);
        rc = app_audit(s, a, "recheck.sample", object, NULL, after, err);
        free(after);
        if (rc)
            store_recheck_sample_release(out);
    }
    return app_end(s, rc, err);
}

int app_recheck_import(store *s, const app_actor *a, int64_t round_id, const char *path,
                       size_t *loaded, size_t *works, msk_err *err)
{
    char object[32];
    snprintf(object, sizeof object, "recheck_round:%lld", (long long)round_id);
    if (store_begin(s, err))
        return -1;
    int rc = ingest_recheck_file(s, round_id, path, loaded, works, err);
    if (rc == 0) {
        const char *base = strrchr(path, '/');
        json_t *j = json_pack("{s:s,s:I,s:I}", "file", base ? base + 1 : path, "loaded",
                              (json_int_t)*loaded, "works", (json_int_t)*works);
        char *after = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(j);
        rc = app_audit(s, a, "recheck.import", object, NULL, after, err);
        free(after);
    }
    return app_end(s, rc, err);
}
