/*
 * Management decisions in the browser (issue 15 item 4, docs/decisions.md): /decisions?year=Y
 * shows the decisions taken after the analysis of Y − 1 with their effect in the analysis of Y,
 * the decisions of Y, and a form to record one (приказ, письмо, протокол: number, date, text,
 * the list it answers, the schools it names — those on the year's lists offered as boxes to
 * tick); /decisions/ID is one decision with its files. Every change goes through
 * src/app/decision.c (one transaction, one audit row); the view is src/view/decision.c, the same
 * `msoko decision list` prints.
 */
#include "web/routes_internal.h"

#include "app/app.h"
#include "base/vocab.h"
#include "store/decision.h"
#include "view/decision.h"
#include "view/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void web_decisions_table(json_t *items)
{
    size_t i, k;
    json_t *d, *sc, *m;
    json_array_foreach(items, i, d) json_array_foreach(json_object_get(d, "schools"), k, sc)
    {
        json_t *ms = json_object_get(sc, "measures"), *rest = json_array();
        size_t n = json_array_size(ms), j;
        json_array_foreach(ms, j, m)
        {
            json_object_set_new(m, "is_share", json_boolean(!strcmp(web_jstr(m, "unit"), "share")));
            if (j)
                json_array_append(rest, m);
        }
        json_object_set_new(sc, "rows", json_integer(n ? (json_int_t)n : 1));
        json_object_set(sc, "first", n ? json_array_get(ms, 0) : json_false());
        json_object_set_new(sc, "rest", rest);
    }
}

/* Is code one of the comma-separated codes of list? */
static int in_codes(const char *list, const char *code)
{
    size_t n = strlen(code);
    for (const char *p = list ? list : ""; *p;) {
        size_t len = strcspn(p, ", ");
        if (len == n && !strncmp(p, code, n))
            return 1;
        p += len;
        p += strspn(p, ", ");
    }
    return 0;
}

/* The schools of the year's lists (ШНОР, risk, objectivity) as boxes to tick, each with the
 * lists it is on (their Russian names); checked those in chosen. */
static json_t *listed_schools(web_req *r, view_year *v, const char *chosen)
{
    json_t *out = json_array();
    view_ctx c = web_ctx(r);
    view_filter f = {NULL, NULL, NULL, NULL};
    json_t *d = NULL;
    msk_err err;
    msk_err_clear(&err);
    if (view_schools(v, &c, &f, &d, &err))
        return out;
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(d, "schools"), i, s)
    {
        json_t *badges = json_object_get(s, "badges");
        if (!json_array_size(badges))
            continue;
        msk_buf names;
        msk_buf_init(&names, 0);
        size_t k;
        json_t *b;
        json_array_foreach(badges, k, b)
        {
            const char *code = json_string_value(b);
            msk_buf_printf(&names, "%s%s", k ? ", " : "",
                           vocab_label(VOCAB_METHOD, code ? code : ""));
        }
        const char *code = web_jstr(s, "code");
        json_array_append_new(
            out, json_pack("{s:s,s:s,s:s,s:b}", "code", code, "name", web_jstr(s, "name"), "lists",
                           names.data ? names.data : "", "checked", in_codes(chosen, code)));
        msk_buf_release(&names);
    }
    json_decref(d);
    return out;
}

static json_t *choices(json_t *options, const char *chosen)
{
    size_t i;
    json_t *o;
    json_array_foreach(options, i, o) json_object_set_new(
        o, "selected",
        json_boolean(chosen && !strcmp(chosen, json_string_value(json_object_get(o, "value")))));
    return options;
}

/* The page of year r->year: last year's decisions with their effect, this year's, the form
 * (error: the message of a refused form, its fields kept). */
static int decisions_page(web_req *r, const char *error)
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
    int rc = view_decisions_page(r->db, v, &c, r->year, &d, &err);
    if (rc)
        return web_view_fail(r, rc, &err, "/", "Сводка");
    json_t *prev = json_object_get(d, "previous"), *cur = json_object_get(d, "current");
    web_decisions_table(json_object_get(prev, "items"));
    web_decisions_table(json_object_get(cur, "items"));
    const char *f_year = error ? web_field_value(r, "year") : NULL;
    const char *f_kind = error ? web_field_value(r, "kind") : NULL;
    const char *f_list = error ? web_field_value(r, "list") : NULL;
    /* a direction's page links here with ?direction=CODE: the form answers it */
    const char *f_dir = error ? web_field_value(r, "direction") : web_arg(r, "direction");
    msk_buf chosen;
    msk_buf_init(&chosen, 0);
    for (size_t i = 0; error && i < r->form.n; i++)
        if (!strcmp(r->form.fields[i].name, "school"))
            msk_buf_printf(&chosen, "%s,", r->form.fields[i].value);
    const char *other = error ? web_field_value(r, "other") : NULL;
    json_t *years = json_pack("[{s:i,s:b},{s:i,s:b}]", "value", r->year, "selected",
                              !f_year || strtol(f_year, NULL, 10) == r->year, "value", r->year - 1,
                              "selected", f_year && strtol(f_year, NULL, 10) == r->year - 1);
    json_object_set_new(d, "years", years);
    json_object_set_new(d, "kinds", choices(view_decision_kinds(), f_kind ? f_kind : "order"));
    json_object_set_new(d, "lists", choices(view_decision_lists(), f_list ? f_list : "shnor"));
    json_object_set_new(d, "directions", choices(view_decision_directions(), f_dir ? f_dir : ""));
    json_object_set_new(d, "schools", listed_schools(r, v, chosen.data ? chosen.data : ""));
    json_object_set_new(d, "can_add", json_boolean(r->user.role >= VIEW_ANALYST));
    msk_buf_release(&chosen);
    if (error) {
        r->status = 422;
        json_object_set_new(d, "error", json_string(error));
        const char *keep[] = {"number", "date", "text", "responsible", "due"};
        json_t *form = json_object();
        for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
            const char *val = web_field_value(r, keep[i]);
            json_object_set_new(form, keep[i], json_string(val ? val : ""));
        }
        json_object_set_new(form, "other", json_string(other ? other : ""));
        json_object_set_new(d, "form", form);
    }
    const char *added = web_arg(r, "added");
    json_object_set_new(d, "added", json_string(added ? added : ""));
    web_crumb(r, "Управленческие решения", NULL);
    char title[120];
    snprintf(title, sizeof title, "Управленческие решения: %d/%d учебный год", r->year - 1,
             r->year);
    return web_page(r, "decisions", title, d);
}

int web_h_decisions(web_req *r)
{
    return decisions_page(r, NULL);
}

int web_h_decision_add(web_req *r)
{
    const char *schools[STORE_DECISION_SCHOOLS + 1];
    size_t n = 0;
    char other_buf[4096];
    for (size_t i = 0; i < r->form.n && n <= STORE_DECISION_SCHOOLS; i++)
        if (!strcmp(r->form.fields[i].name, "school") && r->form.fields[i].value[0])
            schools[n++] = r->form.fields[i].value;
    /* other schools typed as codes: «sch000004, sch000012» */
    const char *other = web_field_value(r, "other");
    snprintf(other_buf, sizeof other_buf, "%s", other ? other : "");
    for (char *p = other_buf; *p && n <= STORE_DECISION_SCHOOLS;) {
        p += strspn(p, ", ;\t\r\n");
        if (!*p)
            break;
        char *e = p + strcspn(p, ", ;\t\r\n");
        int last = !*e;
        *e = '\0';
        schools[n++] = p;
        p = last ? e : e + 1;
    }
    const char *ys = web_field_value(r, "year");
    app_decision d = {ys ? (int)strtol(ys, NULL, 10) : 0,
                      web_field_value(r, "kind"),
                      web_field_value(r, "number"),
                      web_field_value(r, "date"),
                      web_field_value(r, "text"),
                      web_field_value(r, "list"),
                      web_field_value(r, "responsible"),
                      web_field_value(r, "due"),
                      schools,
                      n,
                      web_field_value(r, "direction")};
    app_actor a;
    web_actor(r, &a);
    msk_err err;
    msk_err_clear(&err);
    int64_t id = 0;
    if (app_decision_add(r->db, &a, &d, &id, &err)) {
        char msg[600];
        snprintf(msg, sizeof msg, "Решение не записано: %s", err.msg);
        return decisions_page(r, msg);
    }
    web_cache_invalidate(r->srv);
    char href[96];
    snprintf(href, sizeof href, "/decisions/%lld?year=%d&added=1", (long long)id, r->year);
    return web_redirect(r, href);
}

static int decision_page(web_req *r, int64_t id, const char *error)
{
    view_year *v = web_view_year(r);
    if (!v)
        return 0;
    view_ctx c = web_ctx(r);
    json_t *d = NULL;
    msk_err err;
    msk_err_clear(&err);
    int rc = view_decision(r->db, v, &c, id, &d, &err);
    if (rc)
        return web_view_fail(r, rc, &err, "/decisions", "Управленческие решения");
    json_t *one = json_pack("[O]", d);
    web_decisions_table(one);
    json_decref(one);
    json_object_set_new(d, "file_max_mb", json_integer(STORE_DECISION_FILE_MAX / 1048576));
    const char *added = web_arg(r, "added"), *file = web_arg(r, "file");
    json_object_set_new(d, "added", json_boolean(added && added[0]));
    json_object_set_new(d, "file_added", json_boolean(file && file[0]));
    json_object_set_new(d, "can_attach", json_boolean(r->user.role >= VIEW_ANALYST));
    if (error) {
        r->status = 422;
        json_object_set_new(d, "error", json_string(error));
    }
    char back[64];
    snprintf(back, sizeof back, "/decisions?year=%d", r->year);
    if (r->user.role >= VIEW_ANALYST)
        web_crumb(r, "Управленческие решения", back);
    char title[200];
    snprintf(title, sizeof title, "%s", web_jstr(d, "title")); /* web_page releases d */
    web_crumb(r, title, NULL);
    return web_page(r, "decision", title, d);
}

int web_h_decision(web_req *r)
{
    int64_t id;
    if (web_param_id(r, &id))
        return web_fail(r, 404, "Нет такого решения");
    return decision_page(r, id, NULL);
}

int web_h_decision_attach(web_req *r)
{
    int64_t id;
    if (web_param_id(r, &id))
        return web_fail(r, 404, "Нет такого решения");
    const web_field *file = web_form_file(r, "file");
    if (!file)
        return decision_page(r, id, "Выберите файл: скан приказа, протокол, письмо.");
    app_actor a;
    web_actor(r, &a);
    msk_err err;
    msk_err_clear(&err);
    int rc = app_decision_attach(r->db, &a, id, file->file_name, (const unsigned char *)file->value,
                                 file->value_len, NULL, &err);
    if (rc > 0)
        return web_fail(r, 404, "Решения %lld нет", (long long)id);
    if (rc < 0) {
        char msg[600];
        snprintf(msg, sizeof msg, "Файл не приложен: %s", err.msg);
        return decision_page(r, id, msg);
    }
    char href[96];
    snprintf(href, sizeof href, "/decisions/%lld?year=%d&file=1", (long long)id, r->year);
    return web_redirect(r, href);
}

typedef struct file_ctx {
    web_req *r;
    int found;
    int64_t decision;
} file_ctx;

static void on_file_data(void *ctx, const store_decision_file *f)
{
    file_ctx *c = ctx;
    c->found = 1;
    c->decision = f->decision_id;
    msk_buf_reset(&c->r->out);
    msk_buf_add(&c->r->out, f->data, (size_t)f->size);
    web_attachment_name(c->r, "decision-file", f->id, f->name);
}

int web_h_decision_file(web_req *r)
{
    int64_t id;
    if (web_param_id(r, &id))
        return web_fail(r, 404, "Не найдено: файла «%s» нет", r->param);
    msk_err err;
    msk_err_clear(&err);
    file_ctx c = {r, 0, 0};
    int rc = store_decision_file_get(r->db, id, on_file_data, &c, &err);
    if (rc < 0)
        return web_fail(r, 500, "Файл не прочитан: %s", err.msg);
    if (rc > 0 || !c.found)
        return web_fail(r, 404, "Не найдено: файла %lld нет", (long long)id);
    /* the operator of a school the decision names only; an analyst of one municipality, a
     * decision naming its schools (else the same 404 as no file) */
    if (r->user.role == VIEW_SCHOOL || r->scope_muni) {
        view_year *v = web_view_year(r);
        view_ctx vc = web_ctx(r);
        json_t *d = NULL;
        rc = v ? view_decision(r->db, v, &vc, c.decision, &d, &err) : VIEW_FORBIDDEN;
        json_decref(d);
        if (rc) {
            msk_buf_reset(&r->out);
            r->disposition[0] = '\0';
            if (rc == VIEW_NOT_FOUND)
                return web_fail(r, 404, "Не найдено: файла %lld нет", (long long)id);
            return web_fail(r, 403,
                            "Файл решения доступен аналитику и школам, которым оно "
                            "адресовано");
        }
    }
    r->ctype = "application/octet-stream";
    return 0;
}
