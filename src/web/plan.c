/*
 * The roadmap in the browser (docs/roadmap.md, issue 14 п. 10): every item of the year with
 * filters by status, responsible, section and plan; an item's page with its evidence files
 * (upload, download) and its history from the audit log; a status form that opens at the
 * item's own status, so changing the note alone never resets it. The dashboard's summary of
 * items due this month and overdue is built here too. Every change goes through src/app/plan.c
 * (one transaction, one audit row).
 */
#include "web/internal.h"

#include "web/tmpl.h"

#include "app/app.h"
#include "base/fmt.h"
#include "store/plan.h"
#include "view/plan.h"
#include "view/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int web_h_plan(web_req *r);
int web_h_plan_status(web_req *r);
int web_h_plan_item(web_req *r);
int web_h_plan_attach(web_req *r);
int web_h_plan_file(web_req *r);
void web_plan_summary(web_req *r, json_t *into);

/* {due_month: [...], overdue: [...]} of the year's plans into into["plan"] (src/view/plan.c). */
void web_plan_summary(web_req *r, json_t *into)
{
    char today[11];
    msk_err err;
    msk_err_clear(&err);
    store_plan_today(today);
    /* a page view writes nothing: due dates are refreshed by the write paths (src/app/) */
    json_t *plan = NULL;
    if (view_plan_summary(r->db, r->year ? r->year : STORE_NONE, today, &plan, &err) == 0)
        json_object_set_new(into, "plan", plan);
}

static const char *arg(web_req *r, const char *name)
{
    const char *v = web_arg(r, name);
    return v && v[0] ? v : NULL;
}

/* "/plan?year=Y&…" with the filters of q, for the summary's links and the reset. */
static json_t *plan_href(int year, const char *status, const view_plan_query *q)
{
    msk_buf b;
    msk_buf_init(&b, 0);
    msk_buf_printf(&b, "/plan?year=%d", year);
    const char *keys[] = {"status", "responsible", "section", "roadmap"};
    const char *vals[] = {status, q ? q->responsible : NULL, q ? q->section : NULL,
                          q ? q->roadmap : NULL};
    for (size_t k = 0; k < 4; k++)
        if (vals[k] && vals[k][0]) {
            msk_buf_printf(&b, "&%s=", keys[k]);
            tmpl_escape_url(&b, vals[k], strlen(vals[k]));
        }
    json_t *s = json_string(b.data);
    msk_buf_release(&b);
    return s;
}

int web_h_plan(web_req *r)
{
    json_t *d = json_object(), *years = NULL, *page = NULL;
    char today[11];
    msk_err err;
    msk_err_clear(&err);
    store_plan_today(today);
    /* the selector offers every year with items: an analysis plans for the next year, which
     * has no results yet (issue 14 п. 7) */
    if (view_plan_years(r->db, &years, &err) == 0) {
        json_object_set(d, "plan_years", years);
        json_decref(r->years);
        r->years = years;
    }
    web_plan_summary(r, d); /* the JSON's "plan", as msoko show plan gives it */
    json_object_set_new(d, "statuses", view_plan_statuses());
    view_ctx vc = web_ctx(r);
    view_plan_query q = {arg(r, "status"), arg(r, "responsible"), arg(r, "section"),
                         arg(r, "roadmap"), &vc};
    if (r->year && view_plan_page(r->db, r->year, today, &q, &page, &err) == 0) {
        json_object_set_new(page, "overdue_href", plan_href(r->year, "overdue", NULL));
        json_object_set_new(page, "month_href", plan_href(r->year, "month", NULL));
        json_object_set_new(page, "reset_href", plan_href(r->year, NULL, NULL));
        json_object_set_new(d, "roadmap", page);
    } else if (r->year) {
        json_decref(d);
        return web_fail(r, 500, "Дорожная карта не прочитана: %s", err.msg);
    }
    json_object_set_new(d, "today", json_string(today));
    const char *done = web_arg(r, "done");
    json_object_set_new(d, "done", json_string(done ? done : ""));
    const char *same = web_arg(r, "same");
    json_object_set_new(d, "same", json_string(same ? same : ""));
    web_crumb(r, "Дорожная карта", NULL);
    char title[96];
    snprintf(title, sizeof title, "Дорожная карта %d года", r->year);
    return web_page(r, "plan", title, d);
}

typedef struct item_ctx {
    json_t *item;
    char status[16], note[2048];
} item_ctx;

static void on_item(void *ctx, const store_plan_row *row)
{
    item_ctx *c = ctx;
    c->item = view_plan_item(row);
    snprintf(c->status, sizeof c->status, "%s", row->status);
    snprintf(c->note, sizeof c->note, "%s", row->note ? row->note : "");
}

int web_h_plan_status(web_req *r)
{
    int64_t id;
    if (web_param_id(r, &id))
        return web_fail(r, 404, "Нет такого пункта плана");
    const char *st = web_field_value(r, "status");
    if (!store_plan_status_ok(st))
        return web_fail(r, 422, "Неизвестный статус «%s»", st ? st : "");
    const char *note = web_field_value(r, "note");
    const char *back = web_field_value(r, "back");
    char today[11];
    store_plan_today(today);
    msk_err err;
    msk_err_clear(&err);
    item_ctx cur = {NULL, "", ""};
    int rc = store_plan_get(r->db, id, today, on_item, &cur, &err);
    json_decref(cur.item);
    if (rc > 0)
        return web_fail(r, 404, "Пункта плана %lld нет", (long long)id);
    if (rc < 0)
        return web_fail(r, 500, "Пункт плана не прочитан: %s", err.msg);
    char href[96];
    int item_page = back && !strcmp(back, "item");
    /* the same status and no new note: nothing to write, nothing to audit */
    if (!strcmp(cur.status, st) && (!note || !note[0] || !strcmp(note, cur.note))) {
        if (item_page)
            snprintf(href, sizeof href, "/plan/%lld?year=%d&same=1", (long long)id, r->year);
        else
            snprintf(href, sizeof href, "/plan?year=%d&same=%lld", r->year, (long long)id);
        return web_redirect(r, href);
    }
    app_actor a;
    web_actor(r, &a);
    rc = app_plan_status(r->db, &a, id, st, note && note[0] ? note : NULL, &err);
    if (rc > 0)
        return web_fail(r, 404, "Пункта плана %lld нет", (long long)id);
    if (rc < 0)
        return web_fail(r, 422, "Статус не изменён: %s", err.msg);
    web_cache_invalidate(r->srv);
    if (item_page)
        snprintf(href, sizeof href, "/plan/%lld?year=%d&done=1", (long long)id, r->year);
    else
        snprintf(href, sizeof href, "/plan?year=%d&done=%lld", r->year, (long long)id);
    return web_redirect(r, href);
}

static void on_file_row(void *ctx, const store_plan_file *f)
{
    json_t *files = ctx;
    char size[48], at[32];
    fmt_size((long long)f->size, size, sizeof size);
    fmt_datetime(f->added_at, at, sizeof at);
    json_array_append_new(files,
                          json_pack("{s:I,s:s,s:I,s:s,s:s,s:s}", "id", (json_int_t)f->id, "name",
                                    f->name, "size", (json_int_t)f->size, "size_text", size,
                                    "added_at", at, "added_by", f->added_by));
}

/* Each history row's change in words («Статус: выполнено; отметка: Приказ № 5», «Файл
 * «приказ.pdf», 14 Б») instead of the audit's stored form (codes, JSON with a hash). */
static void plan_history_text(json_t *history)
{
    size_t i;
    json_t *h;
    json_array_foreach(history, i, h)
    {
        const char *action = json_string_value(json_object_get(h, "action"));
        const char *after = json_string_value(json_object_get(h, "after"));
        char text[2300] = "";
        if (action && after && !strcmp(action, "plan.status")) {
            /* "status=done; note=…" (app_plan_status keeps the first release's wording) */
            const char *st = strstr(after, "status="), *note = strstr(after, "; note=");
            char code[16] = "";
            if (st)
                sscanf(st + 7, "%15[a-z_]", code);
            snprintf(text, sizeof text, "Статус: %s%s%s",
                     code[0] ? view_plan_status_name(code) : "—",
                     note && note[7] ? "; отметка: " : "", note && note[7] ? note + 7 : "");
        } else if (action && after && !strcmp(action, "plan.attach")) {
            json_t *j = json_loads(after, 0, NULL);
            const char *name = json_string_value(json_object_get(j, "name"));
            json_int_t size = json_integer_value(json_object_get(j, "size"));
            snprintf(text, sizeof text, "Файл «%s», %lld Б", name ? name : "", (long long)size);
            json_decref(j);
        }
        if (text[0])
            json_object_set_new(h, "change_text", json_string(text));
    }
}

/* The item's page: what it asks, its due dates, its status form, its files and its history. */
static int item_page(web_req *r, int64_t id, const char *error)
{
    char today[11], object[40];
    store_plan_today(today);
    msk_err err;
    msk_err_clear(&err);
    item_ctx c = {NULL, "", ""};
    int rc = store_plan_get(r->db, id, today, on_item, &c, &err);
    view_ctx vc = web_ctx(r);
    const char *sc = json_string_value(json_object_get(c.item, "school"));
    if (rc == 0 && sc && !view_ctx_knows(&vc, sc)) { /* an item of another municipality's school */
        json_decref(c.item);
        rc = 1;
    }
    if (rc > 0)
        return web_fail(r, 404, "Пункта плана %lld нет", (long long)id);
    if (rc < 0)
        return web_fail(r, 500, "Пункт плана не прочитан: %s", err.msg);
    json_t *files = json_array(), *history = NULL;
    snprintf(object, sizeof object, "plan_item:%lld", (long long)id);
    if (store_plan_files(r->db, id, on_file_row, files, &err) ||
        view_audit_object(r->db, object, &history, &err)) {
        json_decref(c.item);
        json_decref(files);
        return web_fail(r, 500, "Файлы и история пункта не прочитаны: %s", err.msg);
    }
    plan_history_text(history);
    json_object_set_new(c.item, "status_choices", view_plan_status_choices(c.status));
    json_t *d =
        json_pack("{s:o,s:o,s:o,s:I,s:s}", "item", c.item, "files", files, "history", history,
                  "file_max_mb", (json_int_t)(STORE_PLAN_FILE_MAX / 1048576), "today", today);
    const char *done = web_arg(r, "done"), *same = web_arg(r, "same"), *added = web_arg(r, "added");
    json_object_set_new(d, "done", json_boolean(done && done[0]));
    json_object_set_new(d, "same", json_boolean(same && same[0]));
    json_object_set_new(d, "added", json_boolean(added && added[0]));
    if (error) {
        r->status = 422;
        json_object_set_new(d, "error", json_string(error));
    }
    const char *number = json_string_value(json_object_get(c.item, "number"));
    char back[48], title[160];
    snprintf(back, sizeof back, "/plan?year=%d", r->year);
    web_crumb(r, "Дорожная карта", back);
    snprintf(title, sizeof title, "Пункт %s", number && number[0] ? number : "плана");
    web_crumb(r, title, NULL);
    snprintf(title, sizeof title, "Пункт плана %s: %s", number && number[0] ? number : "",
             json_string_value(json_object_get(c.item, "roadmap")));
    return web_page(r, "plan_item", title, d);
}

int web_h_plan_item(web_req *r)
{
    int64_t id;
    if (web_param_id(r, &id))
        return web_fail(r, 404, "Нет такого пункта плана");
    return item_page(r, id, NULL);
}

int web_h_plan_attach(web_req *r)
{
    int64_t id;
    if (web_param_id(r, &id))
        return web_fail(r, 404, "Нет такого пункта плана");
    const web_field *file = web_form_file(r, "file");
    if (!file)
        return item_page(r, id, "Выберите файл подтверждения (приказ, протокол, справку).");
    app_actor a;
    web_actor(r, &a);
    msk_err err;
    msk_err_clear(&err);
    int rc = app_plan_attach(r->db, &a, id, file->file_name, (const unsigned char *)file->value,
                             file->value_len, NULL, &err);
    if (rc > 0)
        return web_fail(r, 404, "Пункта плана %lld нет", (long long)id);
    if (rc < 0) {
        char msg[600];
        snprintf(msg, sizeof msg, "Файл не приложен: %s", err.msg);
        return item_page(r, id, msg);
    }
    char href[96];
    snprintf(href, sizeof href, "/plan/%lld?year=%d&added=1", (long long)id, r->year);
    return web_redirect(r, href);
}

typedef struct file_ctx {
    web_req *r;
    int found;
} file_ctx;

static void on_file_data(void *ctx, const store_plan_file *f)
{
    file_ctx *c = ctx;
    c->found = 1;
    msk_buf_reset(&c->r->out);
    msk_buf_add(&c->r->out, f->data, (size_t)f->size);
    /* the name as stored: no quote, folder or control character (app_file_name) */
    web_attachment_name(c->r, "plan-file", f->id, f->name);
}

int web_h_plan_file(web_req *r)
{
    int64_t id;
    if (web_param_id(r, &id))
        return web_fail(r, 404, "Не найдено: файла «%s» нет", r->param);
    msk_err err;
    msk_err_clear(&err);
    file_ctx c = {r, 0};
    int rc = store_plan_file_get(r->db, id, on_file_data, &c, &err);
    if (rc < 0)
        return web_fail(r, 500, "Файл не прочитан: %s", err.msg);
    if (rc > 0 || !c.found)
        return web_fail(r, 404, "Не найдено: файла %lld нет", (long long)id);
    r->ctype = "application/octet-stream";
    return 0;
}
