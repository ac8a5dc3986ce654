/*
 * Registries in the browser (issue 15 items 2–3, docs/registries.md): /registries lists the
 * kinds and the teachers per school of the year (categories, young specialists, mentors, hours
 * of courses in three years, diagnostics); /registries/KIND is one kind with a search form,
 * the table, CSV and XLSX of exactly the rows found, and a form to load a file;
 * /registries/KIND/ID (or /new) adds or edits one row — the teachers' «form». A school operator
 * sees and loads only their school's rows; the public reaches none of it (the route table asks
 * for a login) — registries list people. Changes go through src/app/registry.c.
 */
#include "web/routes_internal.h"

#include "base/mem.h"
#include "base/regkind.h"
#include "report/registry.h"
#include "store/registry.h"
#include "view/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static rk_kind *kind_or_404(web_req *r)
{
    rk_kind *k = NULL;
    msk_err err;
    msk_err_clear(&err);
    if (app_registry_kind(r->param, &k, &err)) {
        web_fail(r, 404, "Реестра «%s» нет", r->param);
        return NULL;
    }
    return k;
}

int web_h_registries(web_req *r)
{
    view_ctx c = web_ctx(r);
    json_t *kinds = json_array(), *teachers = NULL;
    msk_err err;
    msk_err_clear(&err);
    for (size_t i = 0; app_registry_kind_code(i); i++) {
        rk_kind *k = NULL;
        if (app_registry_kind(app_registry_kind_code(i), &k, &err))
            continue;
        store_registry_query q = {.kind = k->code, .municipality = r->scope_muni};
        if (c.role == VIEW_SCHOOL)
            q.school = c.school;
        int64_t total = 0;
        q.limit = 1;
        store_registry_list(r->db, &q, NULL, NULL, &total, &err);
        json_array_append_new(kinds,
                              json_pack("{s:s, s:s, s:s, s:I}", "code", k->code, "name", k->name,
                                        "section", k->section, "rows", (json_int_t)total));
        rk_free(k);
    }
    if (view_registry_teachers(r->db, &c, r->year, &teachers, &err))
        teachers = json_object();
    web_crumb(r, "Реестры", NULL);
    return web_page(r, "registries", "Реестры: педагоги, эксперты, одарённые, резерв, практики",
                    json_pack("{s:o, s:o, s:i, s:b}", "kinds", kinds, "staff", teachers, "year",
                              r->year, "is_school", c.role == VIEW_SCHOOL));
}

/* The search of the page: q, school, year and one filter per choice or yes/no column
 * (f_COL=value), the same for the table and its CSV/XLSX. */
static void page_query(web_req *r, const rk_kind *k, store_registry_query *q, json_t *filters,
                       msk_buf *qs)
{
    const char *v;
    memset(q, 0, sizeof *q);
    q->kind = k->code;
    if ((v = web_arg(r, "q")) && *v) {
        q->text = v;
        msk_buf_printf(qs, "&q=%s", v);
    }
    if ((v = web_arg(r, "school")) && *v) {
        q->school = v;
        msk_buf_printf(qs, "&school=%s", v);
    }
    if ((v = web_arg(r, "ryear")) && *v) {
        q->year = (int)strtol(v, NULL, 10);
        msk_buf_printf(qs, "&ryear=%d", q->year);
    }
    int nf = 0;
    for (size_t i = 0; i < k->ncols; i++) {
        const rk_column *c = &k->cols[i];
        if (c->type != RK_CHOICE && c->type != RK_YESNO)
            continue;
        char name[64];
        snprintf(name, sizeof name, "f_%s", c->code);
        v = web_arg(r, name);
        json_t *opts = json_array();
        json_array_append_new(
            opts, json_pack("{s:s, s:s, s:b}", "value", "", "label", "все", "selected", !v || !*v));
        if (c->type == RK_YESNO) {
            json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", "1", "label", "да",
                                                  "selected", v && !strcmp(v, "1")));
            json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", "0", "label", "нет",
                                                  "selected", v && !strcmp(v, "0")));
        } else
            for (size_t j = 0; j < c->nchoices; j++)
                json_array_append_new(opts,
                                      json_pack("{s:s, s:s, s:b}", "value", c->choices[j].code,
                                                "label", c->choices[j].words[0], "selected",
                                                v && !strcmp(v, c->choices[j].code)));
        json_array_append_new(filters, json_pack("{s:s, s:s, s:o}", "name", name, "label",
                                                 c->header, "options", opts));
        if (v && *v && nf < STORE_REGISTRY_FILTERS) {
            q->col[nf] = c->code;
            q->val[nf++] = v;
            msk_buf_printf(qs, "&%s=%s", name, v);
        }
    }
    q->limit = 500;
}

static int send_export(web_req *r, const rk_kind *k, json_t *list, int xlsx)
{
    if (!xlsx) {
        msk_buf_reset(&r->out);
        report_registry_csv(list, &r->out);
        r->ctype = "text/csv; charset=utf-8";
        snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"%s.csv\"", k->code);
        return 0;
    }
    char path[] = "/tmp/msoko-registry-XXXXXX";
    int fd = mkstemp(path);
    msk_err err;
    msk_err_clear(&err);
    if (fd < 0)
        return web_fail(r, 500, "Не удалось создать временный файл для XLSX");
    close(fd);
    if (report_registry_xlsx(list, path, &err)) {
        unlink(path);
        return web_fail(r, 500, "%s", err.msg);
    }
    size_t len = 0;
    FILE *f = fopen(path, "rb");
    msk_buf_reset(&r->out);
    if (f) {
        char buf[65536];
        while ((len = fread(buf, 1, sizeof buf, f)) > 0)
            msk_buf_add(&r->out, buf, len);
        fclose(f);
    }
    unlink(path);
    r->ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"%s.xlsx\"", k->code);
    return 0;
}

static int registry_page(web_req *r, rk_kind *k, const reg_import_report *rep, const char *msg)
{
    view_ctx c = web_ctx(r);
    store_registry_query q;
    json_t *filters = json_array(), *list = NULL;
    msk_buf qs;
    msk_err err;
    msk_err_clear(&err);
    msk_buf_init(&qs, 4096);
    page_query(r, k, &q, filters, &qs);
    const char *fmt = web_arg(r, "format");
    if (fmt && (!strcmp(fmt, "csv") || !strcmp(fmt, "xlsx")))
        q.limit = 0;
    int rc = view_registry_list(r->db, &c, k, q, &list, &err);
    if (rc) {
        json_decref(filters);
        msk_buf_release(&qs);
        rk_free(k);
        return web_view_fail(r, rc, &err, "/registries", "Реестры");
    }
    if (fmt && (!strcmp(fmt, "csv") || !strcmp(fmt, "xlsx"))) {
        rc = send_export(r, k, list, !strcmp(fmt, "xlsx"));
        json_decref(list);
        json_decref(filters);
        msk_buf_release(&qs);
        rk_free(k);
        return rc;
    }
    const char *v;
    json_object_set_new(list, "filters", filters);
    json_object_set_new(list, "query", json_string(qs.data));
    json_object_set_new(list, "q", json_string((v = web_arg(r, "q")) ? v : ""));
    json_object_set_new(list, "school", json_string((v = web_arg(r, "school")) ? v : ""));
    json_object_set_new(list, "ryear", json_string((v = web_arg(r, "ryear")) ? v : ""));
    json_object_set_new(list, "is_school", json_boolean(c.role == VIEW_SCHOOL));
    json_object_set_new(list, "can_edit", json_boolean(1));
    json_object_set_new(
        list, "more",
        json_boolean(json_integer_value(json_object_get(list, "total")) > (json_int_t)500));
    if (msg)
        json_object_set_new(list, "notice", json_string(msg));
    if (rep && rep->nerrors) {
        json_t *errs = json_array();
        for (size_t i = 0; i < rep->nerrors && i < REG_MAX_ERRORS; i++) {
            json_array_append_new(errs, json_pack("{s:I, s:i, s:s}", "row",
                                                  (json_int_t)rep->errors[i].row, "col",
                                                  rep->errors[i].col, "msg", rep->errors[i].msg));
        }
        json_object_set_new(list, "errors", errs);
        json_object_set_new(list, "nerrors", json_integer((json_int_t)rep->nerrors));
        r->status = 422;
    }
    msk_buf_release(&qs);
    web_crumb(r, "Реестры", "/registries");
    char title[200];
    snprintf(title, sizeof title, "%s", k->name);
    web_crumb(r, title, NULL);
    rk_free(k);
    return web_page(r, "registry", title, list);
}

int web_h_registry(web_req *r)
{
    rk_kind *k = kind_or_404(r);
    return k ? registry_page(r, k, NULL, NULL) : 0;
}

int web_h_registry_upload(web_req *r)
{
    rk_kind *k = kind_or_404(r);
    if (!k)
        return 0;
    const web_field *file = web_form_file(r, "file");
    if (!file || !file->value_len)
        return registry_page(r, k, NULL, "Выберите файл CSV или XLSX.");
    char path[] = "/tmp/msoko-regup-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        rk_free(k);
        return web_fail(r, 500, "Не удалось сохранить файл");
    }
    ssize_t w = write(fd, file->value, file->value_len);
    close(fd);
    app_actor a;
    web_actor(r, &a);
    msk_err err;
    msk_err_clear(&err);
    reg_import_report *rep = msk_calloc(1, sizeof *rep);
    const char *ys = web_field_value(r, "year");
    int year = ys && *ys ? (int)strtol(ys, NULL, 10) : r->year;
    char name[128];
    app_file_name(file->file_name ? file->file_name : "файл", name, sizeof name);
    int rc = w == (ssize_t)file->value_len
                 ? app_registry_import(r->db, &a, k, path, name, year, 0, rep, &err)
                 : -1;
    unlink(path);
    char msg[700];
    if (rc == 0) {
        web_cache_invalidate(r->srv);
        snprintf(msg, sizeof msg, "%s: записано строк %lld, заменено %lld.", name,
                 (long long)rep->rows_loaded, (long long)rep->rows_replaced);
    } else if (rc > 0)
        snprintf(msg, sizeof msg, "%s: ошибок %zu — ничего не записано.", name, rep->nerrors);
    else
        snprintf(msg, sizeof msg, "Файл не загружен: %s", err.msg);
    rc = registry_page(r, k, rc > 0 ? rep : NULL, msg);
    free(rep);
    return rc;
}

typedef struct row_ctx {
    json_t *row;
} row_ctx;

static void take(void *ctx, const store_registry_row *r)
{
    row_ctx *c = ctx;
    json_t *data = json_loads(r->data, 0, NULL);
    c->row = json_pack("{s:I, s:s, s:s, s:i, s:s, s:o}", "id", (json_int_t)r->id, "kind", r->kind,
                       "school", r->school, "year", r->year, "code", r->code, "data",
                       data ? data : json_object());
}

/* The fields of the row form: one per column, with the current (or typed) value. */
static json_t *row_fields(web_req *r, const rk_kind *k, json_t *row, int posted)
{
    json_t *fields = json_array();
    view_ctx c = web_ctx(r);
    for (size_t i = 0; i < k->ncols; i++) {
        const rk_column *col = &k->cols[i];
        char name[64], text[600] = "";
        snprintf(name, sizeof name, "v_%s", col->code);
        const char *typed = posted ? web_field_value(r, name) : NULL;
        json_t *v = NULL;
        if (typed)
            snprintf(text, sizeof text, "%s", typed);
        else if (row && !strcmp(col->code, "code"))
            snprintf(text, sizeof text, "%s", web_jstr(row, "code"));
        else if (row && !strcmp(col->code, "school"))
            snprintf(text, sizeof text, "%s", web_jstr(row, "school"));
        else if (row && !strcmp(col->code, "year"))
            snprintf(text, sizeof text, "%lld",
                     (long long)json_integer_value(json_object_get(row, "year")));
        else if (row && (v = json_object_get(json_object_get(row, "data"), col->code))) {
            if (col->type == RK_CHOICE)
                snprintf(text, sizeof text, "%s", json_string_value(v) ? json_string_value(v) : "");
            else
                rk_value_text(col, json_string_value(v), json_number_value(v), json_is_number(v),
                              text, sizeof text);
        } else if (!row && !strcmp(col->code, "school") && c.role == VIEW_SCHOOL)
            snprintf(text, sizeof text, "%s", c.school ? c.school : "");
        else if (!row && !strcmp(col->code, "year"))
            snprintf(text, sizeof text, "%d", r->year);
        json_t *opts = json_array();
        if (col->type == RK_CHOICE || col->type == RK_YESNO) {
            json_array_append_new(
                opts, json_pack("{s:s, s:s, s:b}", "value", "", "label", "—", "selected", !*text));
            if (col->type == RK_YESNO) {
                json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", "да", "label",
                                                      "да", "selected", !strcmp(text, "да")));
                json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", "нет", "label",
                                                      "нет", "selected", !strcmp(text, "нет")));
            } else
                for (size_t j = 0; j < col->nchoices; j++)
                    json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value",
                                                          col->choices[j].code, "label",
                                                          col->choices[j].words[0], "selected",
                                                          !strcmp(text, col->choices[j].code)));
        }
        json_array_append_new(fields,
                              json_pack("{s:s, s:s, s:s, s:s, s:b, s:o, s:b}", "name", name,
                                        "label", col->header, "value", text, "type",
                                        rk_type_name(col->type), "required", col->required,
                                        "options", opts, "select", json_array_size(opts) > 0));
    }
    return fields;
}

static int row_page(web_req *r, rk_kind *k, int64_t id, const reg_import_report *rep,
                    const char *error)
{
    row_ctx rc = {NULL};
    msk_err err;
    msk_err_clear(&err);
    view_ctx c = web_ctx(r);
    if (id) {
        if (store_registry_get(r->db, id, take, &rc, &err) || !rc.row ||
            strcmp(web_jstr(rc.row, "kind"), k->code)) {
            rk_free(k);
            json_decref(rc.row);
            return web_fail(r, 404, "Строки реестра № %lld нет", (long long)id);
        }
        if (!view_ctx_knows(&c, web_jstr(rc.row, "school"))) { /* another municipality's */
            rk_free(k);
            json_decref(rc.row);
            return web_fail(r, 404, "Строки реестра № %lld нет", (long long)id);
        }
        if (c.role == VIEW_SCHOOL && strcmp(web_jstr(rc.row, "school"), c.school ? c.school : "")) {
            rk_free(k);
            json_decref(rc.row);
            return web_fail(r, 403, "Строка другой школы: вы видите только строки своей школы");
        }
    }
    json_t *d = json_pack("{s:s, s:s, s:I, s:o}", "kind", k->code, "name", k->name, "id",
                          (json_int_t)id, "fields", row_fields(r, k, rc.row, rep || error));
    json_decref(rc.row);
    if (rep && rep->nerrors) {
        json_t *errs = json_array();
        for (size_t i = 0; i < rep->nerrors && i < REG_MAX_ERRORS; i++)
            json_array_append_new(errs, json_pack("{s:s}", "msg", rep->errors[i].msg));
        json_object_set_new(d, "errors", errs);
        r->status = 422;
    }
    if (error) {
        json_object_set_new(d, "error", json_string(error));
        r->status = 422;
    }
    char back[96], title[200];
    snprintf(back, sizeof back, "/registries/%s", k->code);
    web_crumb(r, "Реестры", "/registries");
    web_crumb(r, k->name, back);
    snprintf(title, sizeof title, "%s: %s", k->name, id ? "изменить строку" : "новая строка");
    web_crumb(r, id ? "Изменить строку" : "Новая строка", NULL);
    rk_free(k);
    return web_page(r, "registry_row", title, d);
}

static int parse_id(const char *p, int64_t *id)
{
    char *end;
    *id = 0;
    if (!strcmp(p, "new"))
        return 0;
    long long v = strtoll(p, &end, 10);
    if (end == p || *end || v <= 0)
        return -1;
    *id = v;
    return 0;
}

int web_h_registry_row(web_req *r)
{
    int64_t id;
    rk_kind *k = kind_or_404(r);
    if (!k)
        return 0;
    if (parse_id(r->param2, &id)) {
        rk_free(k);
        return web_fail(r, 404, "Строки реестра «%s» нет", r->param2);
    }
    return row_page(r, k, id, NULL, NULL);
}

/* Whether row id of kind exists within r's scope (issue 17 item 2). */
static int row_known(web_req *r, const char *kind, int64_t id)
{
    row_ctx rc = {NULL};
    msk_err err;
    msk_err_clear(&err);
    view_ctx c = web_ctx(r);
    int ok = store_registry_get(r->db, id, take, &rc, &err) == 0 && rc.row &&
             !strcmp(web_jstr(rc.row, "kind"), kind) &&
             view_ctx_knows(&c, web_jstr(rc.row, "school"));
    json_decref(rc.row);
    return ok;
}

int web_h_registry_save(web_req *r)
{
    int64_t id, nid = 0;
    rk_kind *k = kind_or_404(r);
    if (!k)
        return 0;
    if (parse_id(r->param2, &id)) {
        rk_free(k);
        return web_fail(r, 404, "Строки реестра «%s» нет", r->param2);
    }
    if (id && !row_known(r, k->code, id)) { /* unknown, or of another municipality */
        rk_free(k);
        return web_fail(r, 404, "Строки реестра № %lld нет", (long long)id);
    }
    app_actor a;
    web_actor(r, &a);
    msk_err err;
    msk_err_clear(&err);
    const char *action = web_field_value(r, "action");
    char href[160];
    if (action && !strcmp(action, "delete") && id) {
        if (app_registry_delete(r->db, &a, k->code, id, &err))
            return row_page(r, k, id, NULL, err.msg);
        snprintf(href, sizeof href, "/registries/%s?deleted=1", k->code);
        rk_free(k);
        return web_redirect(r, href);
    }
    const char **vals = msk_calloc(k->ncols, sizeof *vals);
    for (size_t i = 0; i < k->ncols; i++) {
        char name[64];
        snprintf(name, sizeof name, "v_%s", k->cols[i].code);
        vals[i] = web_field_value(r, name);
    }
    reg_import_report *rep = msk_calloc(1, sizeof *rep);
    int rc = app_registry_save(r->db, &a, k, id, vals, r->year, &nid, rep, &err);
    free(vals);
    if (rc) {
        rc = row_page(r, k, id, rc > 0 ? rep : NULL, rc < 0 ? err.msg : NULL);
        free(rep);
        return rc;
    }
    free(rep);
    web_cache_invalidate(r->srv);
    snprintf(href, sizeof href, "/registries/%s/%lld?saved=1", k->code, (long long)nid);
    rk_free(k);
    return web_redirect(r, href);
}
