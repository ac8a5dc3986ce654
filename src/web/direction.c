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

/* A number for Excel's Russian locale: a decimal comma, no grouping; empty when unknown. */
static const json_t *dyn_at(const json_t *ind, json_int_t year)
{
    size_t i;
    const json_t *p;
    json_array_foreach(json_object_get(ind, "dynamics"), i,
                       p) if (json_integer_value(json_object_get(p, "year")) ==
                              year) return json_object_get(p, "value");
    return NULL;
}

/* The page's tables as CSV, exactly the rows shown (UI.md): the indicators (table absent) or
 * the schools outside the target (table=outside). */
static int direction_csv(web_req *r, json_t *d)
{
    const char *table = web_arg(r, "table");
    int outside = table && !strcmp(table, "outside");
    web_csv_begin(r, outside ? "direction-outside" : "direction");
    size_t i, k;
    json_t *x, *ind;
    if (outside) {
        msk_buf_puts(&r->out, "Код;Школа;Показатель;Ед.;Значение;Цель\r\n");
        json_array_foreach(json_object_get(d, "schools_outside"), i, x)
            json_array_foreach(json_object_get(x, "indicators"), k, ind)
        {
            json_t *sc = json_object_get(x, "school");
            web_csv_field(&r->out, web_jstr(sc, "code"));
            msk_buf_putc(&r->out, ';');
            web_csv_field(&r->out, web_jstr(sc, "name"));
            msk_buf_putc(&r->out, ';');
            web_csv_field(&r->out, web_jstr(ind, "name"));
            msk_buf_putc(&r->out, ';');
            web_csv_field(&r->out, web_jstr(ind, "unit"));
            msk_buf_putc(&r->out, ';');
            web_csv_num(&r->out, json_object_get(ind, "value"), 2);
            msk_buf_putc(&r->out, ';');
            web_csv_num(&r->out, json_object_get(ind, "target"), 2);
            msk_buf_puts(&r->out, "\r\n");
        }
        json_decref(d);
        return 0;
    }
    json_int_t y = json_integer_value(json_object_get(d, "year"));
    msk_buf_printf(&r->out, "Показатель;Ед.;Цель;%lld;%lld;%lld;Состояние;Динамика\r\n",
                   (long long)y - 2, (long long)y - 1, (long long)y);
    json_array_foreach(json_object_get(d, "indicators"), i, ind)
    {
        web_csv_field(&r->out, web_jstr(ind, "name"));
        msk_buf_putc(&r->out, ';');
        web_csv_field(&r->out, web_jstr(ind, "unit"));
        msk_buf_putc(&r->out, ';');
        web_csv_num(&r->out, json_object_get(ind, "target"), 2);
        for (json_int_t q = y - 2; q <= y; q++) {
            msk_buf_putc(&r->out, ';');
            web_csv_num(&r->out, q == y ? json_object_get(ind, "value") : dyn_at(ind, q), 2);
        }
        msk_buf_putc(&r->out, ';');
        web_csv_field(&r->out, web_jstr(ind, "status_text"));
        msk_buf_putc(&r->out, ';');
        web_csv_field(&r->out, web_jstr(ind, "trend_text"));
        msk_buf_puts(&r->out, "\r\n");
    }
    json_decref(d);
    return 0;
}

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
    if (web_wants_csv(r)) {
        if (r->user.role == VIEW_PUBLIC) /* the guest's values pass the page's suppression */
            web_public_only(d);
        return direction_csv(r, d);
    }
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
