/*
 * Analysis as a use case: the engine computes outside the transaction (it only reads), then
 * the run, its findings and the generated plan items are stored with one audit row whose
 * before/after are the year's latest run. "Analyse if the report needs it" lives here too, so
 * the CLI's report and any other caller run the same analysis the same way.
 */
#include "app/internal.h"

#include <stdio.h>
#include <stdlib.h>

int app_analyze(store *s, const app_actor *a, int year, const char *const *methods, size_t nmethods,
                json_t **doc, engine_timing *timing, msk_err *err)
{
    /* no document wanted (the web, the report): no indented directions text either */
    engine_opts o = {methods, nmethods, doc == NULL};
    engine_result *r = NULL;
    char *before = NULL, *after = NULL, object[16];
    int rc = -1;
    if (doc)
        *doc = NULL;
    if (engine_run(s, year, &o, &r, timing, err))
        return -1;
    snprintf(object, sizeof object, "%d", year);
    if (store_begin(s, err))
        goto out;
    if (store_run_image(s, year, &before, err) < 0 || engine_save(s, r, a->login, err) ||
        store_run_image(s, year, &after, err) < 0 ||
        app_audit(s, a, "analyze", object, before, after, err))
        rc = -1;
    else
        rc = 0;
    rc = app_end(s, rc, err);
    if (rc == 0 && doc)
        *doc = engine_doc(r);
out:
    free(before);
    free(after);
    engine_result_free(r);
    return rc;
}

int app_analyze_if_needed(store *s, const app_actor *a, int year, int *ran, msk_err *err)
{
    char *img = NULL;
    *ran = 0;
    int has = store_run_image(s, year, &img, err);
    free(img);
    if (has < 0)
        return -1;
    if (has == 0)
        return 0;
    if (app_analyze(s, a, year, NULL, 0, NULL, NULL, err))
        return -1;
    *ran = 1;
    return 0;
}
