/*
 * GET /lists/reconcile?year=: our lists against ФИОКО's ШНОР list and the federal and regional
 * non-objectivity lists (view_reconcile), rendered by web/tmpl/reconcile.html; format=json as
 * every page.
 */
#include "web/internal.h"

#include <stdio.h>

int web_h_reconcile(web_req *r);

int web_h_reconcile(web_req *r)
{
    view_year *v = r->year ? web_view_year(r) : NULL;
    if (r->year && !v)
        return 0;
    if (!r->year)
        return web_page(r, "empty", "Списков пока нет", json_pack("{s:b}", "can_import", 1));
    view_ctx c = web_ctx(r);
    json_t *d = NULL;
    msk_err err;
    msk_err_clear(&err);
    int rc = view_reconcile(v, &c, &d, &err);
    if (rc)
        return web_view_fail(r, rc, &err, "/", "Сводка муниципалитета");
    char title[64];
    snprintf(title, sizeof title, "Сверка списков за %d год", r->year);
    web_crumb(r, title, NULL);
    return web_page(r, "reconcile", title, d);
}
