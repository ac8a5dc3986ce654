/*
 * The analyst's pages of a year: schools (with their filters), a school, a procedure, a list
 * of the year (and its CSV), and POST /analyze.
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

/* The filter form's choices with the chosen one marked (a GET form keeps its state in the
 * URL): types and localities as the year's schools have them, and the lists. */
static void add_option(json_t *a, const char *value, const char *label, const char *chosen)
{
    size_t i;
    json_t *o;
    json_array_foreach(a, i, o) if (!strcmp(web_jstr(o, "value"), value)) return;
    json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", value, "label", label, "selected",
                                       chosen && !strcmp(chosen, value)));
}

static void filter_options(const view_year *v, const view_ctx *c, const view_filter *f, json_t *d)
{
    json_t *types = json_array(), *locs = json_array(), *lists = json_array(), *all = NULL;
    view_filter none = {0};
    msk_err err;
    if (view_schools(v, c, &none, &all, &err) == 0) {
        size_t i;
        json_t *s;
        json_array_foreach(json_object_get(all, "schools"), i, s)
        {
            if (*web_jstr(s, "type"))
                add_option(types, web_jstr(s, "type"), web_jstr(s, "type_name"), f->type);
            if (*web_jstr(s, "locality"))
                add_option(locs, web_jstr(s, "locality"), web_jstr(s, "locality_name"),
                           f->locality);
        }
        json_decref(all);
    }
    static const char *const listed[] = {"shnor", "risk", "objectivity"};
    for (size_t i = 0; i < sizeof listed / sizeof listed[0]; i++)
        add_option(lists, listed[i], vocab_lower(VOCAB_METHOD, listed[i]), f->list);
    json_object_set_new(
        d, "options",
        json_pack("{s:o,s:o,s:o}", "types", types, "localities", locs, "lists", lists));
}

int web_h_schools(web_req *r)
{
    web_year_crumbs(r);
    web_crumb(r, "Школы", NULL);
    if (!r->year)
        return web_page(r, "empty", "Школы", json_pack("{s:b}", "can_import", 1));
    view_year *v = web_view_year(r);
    if (!v)
        return 0;
    view_ctx c = web_ctx(r);
    view_filter f = {web_arg(r, "type"), web_arg(r, "locality"), web_arg(r, "list"),
                     web_arg(r, "q")};
    if (f.type && !*f.type)
        f.type = NULL;
    if (f.locality && !*f.locality)
        f.locality = NULL;
    if (f.list && !*f.list)
        f.list = NULL;
    if (f.q && !*f.q)
        f.q = NULL;
    json_t *d = NULL;
    msk_err err;
    msk_err_clear(&err);
    int rc = view_schools(v, &c, &f, &d, &err);
    if (rc)
        return web_view_fail(r, rc, &err, NULL, NULL);
    /* an unset filter is an empty text: a null would print «—» into the search box and into
     * the CSV link, and «—» matches no school */
    json_object_set_new(d, "filter",
                        json_pack("{s:s,s:s,s:s,s:s}", "type", f.type ? f.type : "", "locality",
                                  f.locality ? f.locality : "", "list", f.list ? f.list : "", "q",
                                  f.q ? f.q : ""));
    filter_options(v, &c, &f, d);
    json_t *schools = json_object_get(d, "schools");
    if (web_wants_csv(r)) { /* exactly the rows shown */
        web_csv_begin(r, "schools");
        msk_buf_puts(&r->out, "Код;Школа;Тип;Местность;Участников;Место в рейтинге;Списки\r\n");
        size_t i;
        json_t *s;
        json_array_foreach(schools, i, s)
        {
            web_csv_field(&r->out, web_jstr(s, "code"));
            msk_buf_putc(&r->out, ';');
            web_csv_field(&r->out, web_jstr(s, "name"));
            msk_buf_putc(&r->out, ';');
            web_csv_field(&r->out, web_jstr(s, "type_name"));
            msk_buf_putc(&r->out, ';');
            web_csv_field(&r->out, web_jstr(s, "locality_name"));
            msk_buf_putc(&r->out, ';');
            web_csv_int(&r->out, json_object_get(s, "participants"));
            msk_buf_putc(&r->out, ';');
            web_csv_int(&r->out, json_object_get(s, "rank"));
            msk_buf_putc(&r->out, ';');
            web_csv_joined(&r->out, json_object_get(s, "badges"), ", ");
            msk_buf_puts(&r->out, "\r\n");
        }
        json_decref(d);
        return 0;
    }
    char title[128];
    size_t n = json_array_size(schools);
    snprintf(title, sizeof title, "Школы за %d год: %zu", r->year, n);
    return web_page(r, "schools", title, d);
}

int web_h_school(web_req *r)
{
    web_year_crumbs(r);
    if (r->user.role >= VIEW_ANALYST)
        web_crumb(r, "Школы", "/schools");
    if (!r->year)
        return web_page(r, "empty", "Данных пока нет", json_pack("{s:b}", "can_import", 0));
    if (r->user.role == VIEW_SCHOOL && strcmp(r->param, r->user.school))
        return web_fail(r, 403,
                        "Страница школы %s доступна аналитику муниципалитета и "
                        "оператору этой школы; вы — оператор школы %s",
                        r->param, r->user.school);
    view_year *v = web_view_year(r);
    if (!v)
        return 0;
    view_ctx c = web_ctx(r);
    json_t *d = NULL;
    msk_err err;
    msk_err_clear(&err);
    int rc = view_school(v, &c, r->param, &d, &err);
    if (rc)
        return web_view_fail(r, rc, &err, "/schools", "Список школ");
    json_object_set_new(d, "school_code", json_string(r->param));
    const char *name = web_jstr(json_object_get(d, "school"), "name");
    char title[300];
    snprintf(title, sizeof title, "%s: результаты и признаки", name);
    web_crumb(r, name, NULL);
    if (!r->json)
        web_chart_dynamics(d);
    return web_page(r, "school", title, d);
}

int web_h_procedure(web_req *r)
{
    web_year_crumbs(r);
    const char *school = web_arg(r, "school");
    if (school && !*school)
        school = NULL;
    if (r->user.role == VIEW_SCHOOL) {
        if (school && strcmp(school, r->user.school))
            return web_fail(r, 403,
                            "Результаты школы %s доступны аналитику муниципалитета и "
                            "оператору этой школы",
                            school);
        school = r->user.school;
    }
    view_year *v = web_view_year(r);
    if (!v)
        return 0;
    view_ctx c = web_ctx(r);
    json_t *d = NULL;
    msk_err err;
    msk_err_clear(&err);
    int rc = view_procedure(v, &c, r->param, school, &d, &err);
    if (rc)
        return web_view_fail(r, rc, &err, "/", "Сводка муниципалитета");
    if (r->user.role == VIEW_SCHOOL) { /* an operator sees the municipality and itself only */
        json_t *all = json_object_get(d, "schools"), *own = json_array();
        size_t i;
        json_t *s;
        json_array_foreach(all, i, s)
        {
            if (!strcmp(web_jstr(json_object_get(s, "school"), "code"), r->user.school))
                json_array_append(own, s);
        }
        json_object_set_new(d, "schools", own);
    }
    if (school)
        json_object_set_new(d, "for_school", json_string(school));
    const char *t = web_jstr(json_object_get(d, "proc"), "title");
    web_crumb(r, t, NULL);
    char title[300];
    snprintf(title, sizeof title, "%s, %d год", t, r->year);
    if (!r->json)
        web_chart_procedure(d);
    return web_page(r, "procedure", title, d);
}

int web_h_list(web_req *r)
{
    web_year_crumbs(r);
    view_year *v = r->year ? web_view_year(r) : NULL;
    if (r->year && !v)
        return 0;
    if (!r->year)
        return web_page(r, "empty", "Списков пока нет", json_pack("{s:b}", "can_import", 1));
    view_ctx c = web_ctx(r);
    json_t *d = NULL;
    msk_err err;
    msk_err_clear(&err);
    int rc = view_list(v, &c, r->param, &d, &err);
    if (rc)
        return web_view_fail(r, rc, &err, "/", "Сводка муниципалитета");
    json_t *items = json_object_get(d, "items");
    if (web_wants_csv(r)) {
        web_csv_begin(r, r->param);
        msk_buf_puts(&r->out, "Код;Школа;Решение;Обоснование\r\n");
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it)
        {
            json_t *s = json_object_get(it, "school");
            web_csv_field(&r->out, web_jstr(s, "code"));
            msk_buf_putc(&r->out, ';');
            web_csv_field(&r->out, web_jstr(s, "name"));
            msk_buf_putc(&r->out, ';');
            web_csv_field(&r->out, web_jstr(it, "verdict_label"));
            msk_buf_putc(&r->out, ';');
            web_csv_joined(&r->out, json_object_get(it, "text"), " ");
            msk_buf_puts(&r->out, "\r\n");
        }
        json_decref(d);
        return 0;
    }
    json_object_set_new(d, "csv_href",
                        json_sprintf("/lists/%s?year=%d&format=csv", r->param, r->year));
    if (!strcmp(r->param, "shnor") || !strcmp(r->param, "objectivity")) /* web/reconcile.c */
        json_object_set_new(d, "reconcile_href", json_sprintf("/lists/reconcile?year=%d", r->year));
    const char *title = web_jstr(d, "title");
    web_crumb(r, *title ? title : r->param, NULL);
    char t[256];
    snprintf(t, sizeof t, "%s", *title ? title : r->param);
    return web_page(r, "list", t, d);
}

/* ---- analysis ---- */

int web_h_analyze(web_req *r)
{
    const char *y = web_field_value(r, "year");
    long year = y ? strtol(y, NULL, 10) : 0;
    if (year < 2000 || year > 2100)
        return web_fail(r, 422, "Укажите год анализа, например 2024");
    app_actor a;
    web_actor(r, &a);
    msk_err err;
    msk_err_clear(&err);
    if (app_analyze(r->db, &a, (int)year, NULL, 0, NULL, NULL, &err))
        return web_fail(r, 422, "Анализ не выполнен: %s", err.msg);
    web_cache_invalidate(r->srv);
    char href[64];
    snprintf(href, sizeof href, "/?year=%ld", year);
    return web_redirect(r, href);
}
