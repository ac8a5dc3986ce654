/*
 * The regional analyst's page (issue 17 item 2): the municipalities compared, the same lists
 * and indicators one level up (view/municipalities.c). Only at the level of the region: an
 * analyst of one municipality, and any view narrowed by ?mo=, get a 403 that names no other
 * municipality.
 */
#include "web/internal.h"
#include "web/routes_internal.h"

#include <stdio.h>

int web_h_municipalities(web_req *r)
{
    if (r->scope_muni ||
        (r->user.role == VIEW_ANALYST && !r->user.regional && r->user.municipality[0]))
        return web_fail(r, 403,
                        "Сравнение муниципалитетов доступно на уровне края: "
                        "региональному аналитику и администратору");
    web_crumb(r, "Муниципалитеты", NULL);
    if (!r->year)
        return web_page(r, "empty", "Данных пока нет", json_pack("{s:b}", "can_import", 1));
    view_year *v = web_view_year(r);
    if (!v)
        return 0;
    view_ctx c = web_ctx(r);
    json_t *d = NULL;
    msk_err err;
    msk_err_clear(&err);
    int rc = view_municipalities(r->db, v, &c, &d, &err);
    if (rc)
        return web_view_fail(r, rc, &err, NULL, NULL);
    char title[128];
    snprintf(title, sizeof title, "Муниципалитеты за %d год", r->year);
    return web_page(r, "municipalities", title, d);
}
