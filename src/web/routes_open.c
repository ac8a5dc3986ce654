/*
 * The open data pages (GET /open, /open/schools/X): what the public may see of the year.
 */
#include "web/internal.h"
#include "web/routes_internal.h"

#include "base/sheet.h"
#include "app/app.h"
#include "base/vocab.h"
#include "engine/engine.h"
#include "ingest/header.h"
#include "ingest/import.h"
#include "store/user.h"

#include <microhttpd.h>
#include <sodium.h>

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int web_h_open(web_req *r)
{
    web_crumb(r, "Открытые данные", NULL);
    if (!r->year)
        return web_page(r, "empty", "Открытые данные", json_pack("{s:b}", "can_import", 0));
    view_year *v = web_view_year(r);
    if (!v)
        return 0;
    view_ctx c = {VIEW_PUBLIC, NULL, NULL}; /* everyone sees here what the public sees */
    json_t *d = NULL;
    msk_err err;
    msk_err_clear(&err);
    int rc = view_dashboard(v, &c, &d, &err);
    if (rc)
        return web_view_fail(r, rc, &err, NULL, NULL);
    web_public_only(d);
    json_t *s = NULL;
    view_filter f = {0};
    if (view_schools(v, &c, &f, &s, &err) == 0) {
        web_public_only(s);
        json_object_set(d, "school_list", json_object_get(s, "schools"));
        json_decref(s);
    }
    char title[128];
    snprintf(title, sizeof title, "Открытые данные за %d год", r->year);
    return web_page(r, "open", title, d);
}

int web_h_open_school(web_req *r)
{
    web_crumb(r, "Открытые данные", "/open");
    view_year *v = web_view_year(r);
    if (!v)
        return 0;
    view_ctx c = {VIEW_PUBLIC, NULL, NULL};
    json_t *d = NULL;
    msk_err err;
    msk_err_clear(&err);
    int rc = view_school(v, &c, r->param, &d, &err);
    if (rc)
        return web_view_fail(r, rc, &err, "/open", "Открытые данные");
    web_public_only(d);
    json_object_del(d, "findings"); /* findings name pupils' results: not for the public */
    char title[256];
    snprintf(title, sizeof title, "%s: открытые данные",
             web_jstr(json_object_get(d, "school"), "name"));
    web_crumb(r, web_jstr(json_object_get(d, "school"), "name"), NULL);
    return web_page(r, "open_school", title, d);
}
