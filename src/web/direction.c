/*
 * The directions of the МСОКО in the browser (issue 15 item 5, docs/directions-pages.md):
 * /directions — the nine at a glance (status with a word, counts of indicators, schools outside
 * the target, decisions); /directions/КОД — one direction's management cycle: goals, indicators
 * against targets with three years of dynamics (a chart each), the schools outside the target
 * with their addressed recommendations, the decisions answering the direction and their effect.
 * The view models are src/view/direction.c (and src/app/direction.c for the recommendations);
 * the same objects go out as JSON (?format=json or Accept: application/json).
 */
#include "web/routes_internal.h"

#include "app/app.h"
#include "view/direction.h"
#include "view/view.h"

#include <stdio.h>
#include <string.h>

static void role_flags(web_req *r, json_t *d)
{
    json_object_set_new(d, "sees_schools", json_boolean(r->user.role >= VIEW_SCHOOL));
    json_object_set_new(d, "staff", json_boolean(r->user.role >= VIEW_ANALYST));
}

int web_h_directions(web_req *r)
{
    web_year_crumbs(r);
    if (!r->year)
        return web_page(r, "empty", "Данных пока нет", json_pack("{s:b}", "can_import", 1));
    view_year *v = web_view_year(r);
    if (!v)
        return 0;
    view_ctx c = web_ctx(r);
    json_t *d = NULL;
    msk_err err;
    msk_err_clear(&err);
    int rc = view_directions(r->db, v, &c, &d, &err);
    if (rc)
        return web_view_fail(r, rc, &err, "/", "Сводка");
    if (!r->json)
        role_flags(r, d);
    char title[240];
    snprintf(title, sizeof title, "%s", web_jstr(d, "title"));
    web_crumb(r, "Направления МСОКО", NULL);
    return web_page(r, "directions", title, d);
}

int web_h_direction(web_req *r)
{
    web_year_crumbs(r);
    if (!r->year)
        return web_page(r, "empty", "Данных пока нет", json_pack("{s:b}", "can_import", 1));
    view_year *v = web_view_year(r);
    if (!v)
        return 0;
    view_ctx c = web_ctx(r);
    json_t *d = NULL;
    msk_err err;
    msk_err_clear(&err);
    int rc = app_direction_page(r->db, v, &c, r->param, &d, &err);
    char back[64];
    snprintf(back, sizeof back, "/directions?year=%d", r->year);
    if (rc)
        return web_view_fail(r, rc, &err, back, "Направления МСОКО");
    if (!r->json) {
        role_flags(r, d);
        web_decisions_table(json_object_get(json_object_get(d, "decisions"), "previous"));
        web_decisions_table(json_object_get(json_object_get(d, "decisions"), "current"));
        web_chart_direction(d);
    }
    char title[480];
    snprintf(title, sizeof title, "%s", web_jstr(d, "title"));
    web_crumb(r, "Направления МСОКО", back);
    web_crumb(r, web_jstr(d, "name"), NULL);
    return web_page(r, "direction", title, d);
}
