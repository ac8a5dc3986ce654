/*
 * Pages of the monitoring forms and the roadmap (docs/forms.md, docs/roadmap.md): a school
 * operator fills its own school's form (drafts, messages next to the field, submit); the analyst
 * sees who has not submitted by the deadline, returns a form with a comment and approves it (its
 * values then reach the methods); the roadmap page and the dashboard show the items due this
 * month and the overdue ones. Permissions are checked twice: here (a school's operator opens only
 * its own school's forms: 403) and in src/form/flow.c, which refuses what the state forbids.
 */
#include "web/internal.h"

#include "base/vocab.h"
#include "form/form.h"
#include "store/form.h"
#include "store/plan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int web_h_forms(web_req *r);
int web_h_form(web_req *r);
int web_h_form_school(web_req *r);
int web_h_form_save(web_req *r);
int web_h_form_return(web_req *r);
int web_h_form_approve(web_req *r);
int web_h_form_table(web_req *r);
int web_h_plan(web_req *r);
int web_h_plan_status(web_req *r);
void web_plan_summary(web_req *r, json_t *into);

static const char *status_label(const char *st)
{
    return vocab_label(VOCAB_FORM_STATUS, st ? st : "");
}

static const char *period_kind(const char *t)
{
    return !strcmp(t, "year") ? "учебный год" : !strcmp(t, "half_year") ? "полугодие" : "месяц";
}

/* The period a page opens by default: ?period= when it fits; else the page's year, the current
 * half-year, or the month before today's (the one being reported now). */
static void pick_period(web_req *r, const store_form *f, char out[16])
{
    const char *p = web_arg(r, "period");
    if (p && form_period_ok(f->period_type, p)) {
        snprintf(out, 16, "%s", p);
        return;
    }
    char today[11];
    store_plan_today(today);
    int y = (int)strtol(today, NULL, 10), m = (int)strtol(today + 5, NULL, 10);
    if (!strcmp(f->period_type, "year"))
        snprintf(out, 16, "%d", r->year ? r->year : (m >= 9 ? y + 1 : y));
    else if (!strcmp(f->period_type, "half_year"))
        snprintf(out, 16, m >= 9 ? "%d-H1" : "%d-H2", m >= 9 ? y + 1 : y);
    else {
        if (--m == 0) {
            m = 12;
            y--;
        }
        snprintf(out, 16, "%04d-%02d", y, m);
    }
}

static int load_form(web_req *r, const char *code, store_form *f)
{
    msk_err err;
    msk_err_clear(&err);
    int rc = store_form_get(r->db, code, f, &err);
    if (rc > 0)
        web_fail(r, 404, "Формы «%s» нет", code);
    else if (rc < 0)
        web_fail(r, 500, "Не удалось прочитать форму: %s", err.msg);
    return rc;
}

static json_t *form_json(const store_form *f, const char *period)
{
    char due[11];
    form_period_due(f->period_type, period, f->due_days, due);
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "code", f->code, "name", f->name, "period_type",
                     f->period_type, "period_kind", period_kind(f->period_type), "source",
                     f->source, "due", due);
}

/* ---- the list of forms ------------------------------------------------------------------ */

typedef struct count_ctx {
    int total, submitted, approved;
    const char *school; /* a school operator: only this school's status */
    char status[16];
} count_ctx;

static void on_count(void *ctx, const store_completeness_row *row)
{
    count_ctx *c = ctx;
    int imported = !row->status[0] && row->approved_values > 0;
    c->total++;
    c->submitted +=
        !strcmp(row->status, "submitted") || !strcmp(row->status, "approved") || imported;
    c->approved += !strcmp(row->status, "approved") || imported;
    if (c->school && !strcmp(row->code, c->school))
        snprintf(c->status, sizeof c->status, "%s", imported ? "approved" : row->status);
}

typedef struct list_ctx {
    web_req *r;
    json_t *arr;
} list_ctx;

static void on_form(void *ctx, const char *code, const char *name, const char *period_type,
                    const char *source)
{
    list_ctx *c = ctx;
    json_array_append_new(c->arr,
                          json_pack("{s:s,s:s,s:s,s:s}", "code", code, "name", name, "period_kind",
                                    period_kind(period_type), "source", source));
}

int web_h_forms(web_req *r)
{
    msk_err err;
    msk_err_clear(&err);
    list_ctx lc = {r, json_array()};
    if (store_form_each(r->db, on_form, &lc, &err)) {
        json_decref(lc.arr);
        return web_fail(r, 500, "Не удалось прочитать формы: %s", err.msg);
    }
    size_t i;
    json_t *it;
    json_array_foreach(lc.arr, i, it)
    {
        store_form f;
        if (store_form_get(r->db, json_string_value(json_object_get(it, "code")), &f, &err))
            continue;
        char period[16], href[256];
        pick_period(r, &f, period);
        count_ctx c = {0, 0, 0, r->user.role == VIEW_SCHOOL ? r->user.school : NULL, ""};
        store_form_completeness(r->db, &f, period, on_count, &c, &err);
        if (r->user.role == VIEW_SCHOOL)
            snprintf(href, sizeof href, "/forms/%s/%s?period=%s", f.code, r->user.school, period);
        else
            snprintf(href, sizeof href, "/forms/%s?period=%s", f.code, period);
        json_object_set_new(it, "period", json_string(period));
        json_object_set_new(it, "href", json_string(href));
        json_t *fj = form_json(&f, period);
        json_object_set(it, "due", json_object_get(fj, "due"));
        json_decref(fj);
        json_object_set_new(it, "total", json_integer(c.total));
        json_object_set_new(it, "submitted", json_integer(c.submitted));
        json_object_set_new(it, "approved", json_integer(c.approved));
        json_object_set_new(it, "missing", json_integer(c.total - c.submitted));
        json_object_set_new(it, "status", json_string(c.status));
        json_object_set_new(it, "status_label", json_string(status_label(c.status)));
        store_form_release(&f);
    }
    web_crumb(r, "Формы мониторинга", NULL);
    return web_page(
        r, "forms", "Формы мониторинга",
        json_pack("{s:o,s:b}", "forms", lc.arr, "analyst", r->user.role >= VIEW_ANALYST));
}

/* ---- one form: completeness (analyst) ------------------------------------------------------ */

typedef struct compl_ctx {
    json_t *rows;
    const char *form, *period, *due, *today;
    int missing;
} compl_ctx;

static void on_compl(void *ctx, const store_completeness_row *row)
{
    compl_ctx *c = ctx;
    int imported = !row->status[0] && row->approved_values > 0;
    int in = !strcmp(row->status, "submitted") || !strcmp(row->status, "approved") || imported;
    char href[256];
    snprintf(href, sizeof href, "/forms/%s/%s?period=%s", c->form, row->code, c->period);
    c->missing += !in;
    json_array_append_new(
        c->rows, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:b}", "code", row->code, "name",
                           row->name, "status", imported ? "imported" : row->status, "status_label",
                           imported ? "загружена файлом" : status_label(row->status),
                           "submitted_at", row->submitted_at, "href", href, "in", in, "late",
                           !in && strcmp(c->today, c->due) > 0, "to_review",
                           !strcmp(row->status, "submitted")));
}

int web_h_form(web_req *r)
{
    store_form f;
    if (load_form(r, r->param, &f))
        return 0;
    char period[16], today[11];
    pick_period(r, &f, period);
    if (r->user.role == VIEW_SCHOOL) {
        char href[256];
        snprintf(href, sizeof href, "/forms/%s/%s?period=%s", f.code, r->user.school, period);
        store_form_release(&f);
        return web_redirect(r, href);
    }
    store_plan_today(today);
    json_t *d = json_pack("{s:o,s:s}", "form", form_json(&f, period), "period", period);
    const char *due = json_string_value(json_object_get(json_object_get(d, "form"), "due"));
    compl_ctx c = {json_array(), f.code, period, due, today, 0};
    msk_err err;
    msk_err_clear(&err);
    if (store_form_completeness(r->db, &f, period, on_compl, &c, &err)) {
        json_decref(c.rows);
        json_decref(d);
        store_form_release(&f);
        return web_fail(r, 500, "Не удалось прочитать сдачу формы: %s", err.msg);
    }
    json_object_set_new(d, "schools", c.rows);
    json_object_set_new(d, "missing", json_integer(c.missing));
    json_object_set_new(d, "late", json_boolean(c.missing && strcmp(today, due) > 0));
    json_object_set_new(d, "today", json_string(today));
    char title[400];
    snprintf(title, sizeof title, "%s — %s", f.name, period);
    web_crumb(r, "Формы мониторинга", "/forms");
    web_crumb(r, f.name, NULL);
    store_form_release(&f);
    return web_page(r, "form_status", title, d);
}

/* ---- one school's submission ---------------------------------------------------------------- */

typedef struct hist_ctx {
    json_t *arr;
    const store_form *f;
} hist_ctx;

static void on_hist(void *ctx, const char *element, const char *stage, const char *at,
                    const char *user, const char *before, const char *after)
{
    hist_ctx *c = ctx;
    const char *name = element;
    int in_form = 0;
    for (size_t i = 0; i < c->f->nel; i++)
        if (!strcmp(c->f->el[i].code, element)) {
            name = c->f->el[i].name;
            in_form = 1;
        }
    if (!in_form)
        return;
    json_array_append_new(c->arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "element", element, "name",
                                            name, "stage", vocab_label(VOCAB_VALUE_STAGE, stage),
                                            "at", at, "user", user, "change", ""));
    json_t *last = json_array_get(c->arr, json_array_size(c->arr) - 1);
    char change[2300];
    snprintf(change, sizeof change, "%s → %s", before ? before : "—", after ? after : "—");
    json_object_set_new(last, "change", json_string(change));
}

static void value_text(const store_fvalue *v, char *out, size_t outsz)
{
    if (!v || !v->has_value)
        out[0] = '\0';
    else if (isnan(v->value))
        snprintf(out, outsz, "%s", v->text);
    else
        snprintf(out, outsz, "%.15g", v->value);
}

/* The page of (form, school, period). typed: the values as the user typed them (after a
 * refused POST), else NULL; msgs: messages to show next to the fields. */
static int school_page(web_req *r, const store_form *f, const char *period, const web_form *typed,
                       const form_msgs *msgs, int status, int draft_saved)
{
    msk_err err;
    msk_err_clear(&err);
    int64_t sid = 0;
    char code[64], name[256];
    if (store_school_id(r->db, r->param2, &sid) || store_school_code(r->db, sid, code, name))
        return web_fail(r, 404, "Школы с кодом «%s» нет", r->param2);
    store_sub sub;
    store_fvalue *vals = NULL;
    size_t nv = 0;
    int have = store_sub_get(r->db, f->code, sid, period, &sub, &err) == 0;
    if (have && store_sub_values(r->db, sub.id, &vals, &nv, &err))
        have = 0;
    /* no submission yet: the fields start from the approved values (e.g. a context file) */
    int imported = 0;
    if (!have && store_form_school_approved(r->db, f, sid, period, &vals, &nv, &err) == 0)
        imported = nv > 0;
    const char *st = have ? sub.status : "";
    int staff = r->user.role >= VIEW_ANALYST;
    int editable = !have || !strcmp(st, "draft") || !strcmp(st, "returned");
    json_t *fields = json_array(), *general = json_array();
    for (size_t i = 0; i < f->nel; i++) {
        const store_form_elem *e = &f->el[i];
        char value[1100] = "", hint[160] = "";
        if (typed) {
            char key[80];
            snprintf(key, sizeof key, "v_%s", e->code);
            const web_field *fld = web_form_get(typed, key);
            snprintf(value, sizeof value, "%s", fld && fld->value ? fld->value : "");
        } else {
            const store_fvalue *v = NULL;
            for (size_t k = 0; k < nv; k++)
                if (!strcmp(vals[k].element, e->code))
                    v = &vals[k];
            value_text(v, value, sizeof value);
        }
        if (!isnan(e->min) && !isnan(e->max))
            snprintf(hint, sizeof hint, "от %g до %g%s%s", e->min, e->max, e->unit[0] ? " " : "",
                     e->unit);
        else if (!isnan(e->min))
            snprintf(hint, sizeof hint, "не меньше %g%s%s", e->min, e->unit[0] ? ", " : "",
                     e->unit);
        else
            snprintf(hint, sizeof hint, "%s", e->unit);
        if (!strcmp(e->type, "bool"))
            hint[0] = '\0';
        json_t *errs = json_array();
        for (size_t k = 0; msgs && k < msgs->n; k++)
            if (!strcmp(msgs->m[k].element, e->code))
                json_array_append_new(errs, json_string(msgs->m[k].text));
        json_array_append_new(
            fields, json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:b,s:b,s:b,s:o}", "code", e->code,
                              "name", e->name, "type", e->type, "hint", hint, "value", value,
                              "required", e->required, "is_bool", !strcmp(e->type, "bool"),
                              "is_text", !strcmp(e->type, "text"), "yes", !strcmp(value, "1"), "no",
                              !strcmp(value, "0"), "errors", errs));
    }
    for (size_t k = 0; msgs && k < msgs->n; k++)
        if (!msgs->m[k].element[0])
            json_array_append_new(general, json_string(msgs->m[k].text));
    hist_ctx hc = {json_array(), f};
    store_value_history(r->db, sid, period, on_hist, &hc, &err);
    char prev[16], action[256];
    form_period_prev(f->period_type, period, prev);
    snprintf(action, sizeof action, "/forms/%s/%s?period=%s", f->code, code, period);
    const char *done = web_arg(r, "done");
    json_t *d = json_pack(
        "{s:o,s:{s:s,s:s},s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:b,s:o,s:o,s:o,s:s,s:s}", "form",
        form_json(f, period), "school", "code", code, "name", name, "period", period, "prev_period",
        prev, "status", st, "status_label",
        imported ? "не заполнялась (в полях — значения, загруженные файлом)" : status_label(st),
        "comment", have ? sub.comment : "", "editable", editable, "can_review",
        staff && have && !strcmp(st, "submitted"), "has_errors", msgs && msgs->n > 0, "fields",
        fields, "messages", general, "history", hc.arr, "action", action, "done", done ? done : "");
    json_object_set_new(d, "draft_saved", json_boolean(draft_saved));
    json_object_set_new(d, "done_label",
                        json_string(!done                    ? ""
                                    : !strcmp(done, "saved") ? "Черновик сохранён."
                                    : !strcmp(done, "submitted") ? "Форма сдана."
                                    : !strcmp(done, "returned") ? "Форма возвращена на доработку."
                                    : !strcmp(done, "approved")
                                        ? "Форма утверждена: значения доступны методикам."
                                        : ""));
    if (have) {
        json_object_set_new(d, "submitted_at", json_string(sub.submitted_at));
        json_object_set_new(d, "approved_at", json_string(sub.approved_at));
        json_object_set_new(d, "approved_by", json_string(sub.approved_by));
    }
    free(vals);
    char title[400];
    snprintf(title, sizeof title, "%s: %s, %s", f->name, name, period);
    if (staff) {
        char href[200];
        snprintf(href, sizeof href, "/forms/%s", f->code);
        web_crumb(r, "Формы мониторинга", "/forms");
        web_crumb(r, f->name, href);
    } else {
        web_crumb(r, "Формы мониторинга", "/forms");
    }
    web_crumb(r, name, NULL);
    if (status)
        r->status = status;
    return web_page(r, "form_fill", title, d);
}

/* A school's operator may open only its own school's forms. */
static int own_school(web_req *r)
{
    if (r->user.role == VIEW_SCHOOL && strcmp(r->param2, r->user.school)) {
        web_fail(r, 403, "Формы школы %s заполняет её оператор или аналитик; ваша школа — %s",
                 r->param2, r->user.school);
        return 0;
    }
    return 1;
}

int web_h_form_school(web_req *r)
{
    if (!own_school(r))
        return 0;
    store_form f;
    if (load_form(r, r->param, &f))
        return 0;
    char period[16];
    pick_period(r, &f, period);
    int rc = school_page(r, &f, period, NULL, NULL, 0, 0);
    store_form_release(&f);
    return rc;
}

static void actor_of(web_req *r, form_actor *a)
{
    a->user = r->user.login;
    a->role = r->user.role >= VIEW_ADMIN     ? "admin"
              : r->user.role >= VIEW_ANALYST ? "analyst"
              : r->user.role == VIEW_SCHOOL  ? "school"
                                             : "";
    a->school_id = 0;
    if (r->user.role == VIEW_SCHOOL)
        store_school_id(r->db, r->user.school, &a->school_id);
}

/* After a step: back to the page, with the step named. */
static int done_redirect(web_req *r, const store_form *f, const char *period, const char *what)
{
    char href[300];
    snprintf(href, sizeof href, "/forms/%s/%s?period=%s&done=%s", f->code, r->param2, period, what);
    return web_redirect(r, href);
}

int web_h_form_save(web_req *r)
{
    if (!own_school(r))
        return 0;
    store_form f;
    if (load_form(r, r->param, &f))
        return 0;
    char period[16];
    const char *p = web_field_value(r, "period");
    if (p && form_period_ok(f.period_type, p))
        snprintf(period, sizeof period, "%s", p);
    else
        pick_period(r, &f, period);
    const char *act = web_field_value(r, "action");
    int submit = act && !strcmp(act, "submit");
    /* every field of the form, "code=value" (empty clears) */
    const char **pairs = web_arena_alloc(&r->arena, (f.nel + 1) * sizeof *pairs);
    size_t n = 0;
    for (size_t i = 0; pairs && i < f.nel; i++) {
        char key[80];
        snprintf(key, sizeof key, "v_%s", f.el[i].code);
        const web_field *fld = web_form_get(&r->form, key);
        if (!fld)
            continue;
        size_t len = strlen(f.el[i].code) + strlen(fld->value) + 2;
        char *kv = web_arena_alloc(&r->arena, len);
        if (!kv)
            break;
        snprintf(kv, len, "%s=%s", f.el[i].code, fld->value);
        pairs[n++] = kv;
    }
    form_actor a;
    actor_of(r, &a);
    form_msgs m = {0};
    msk_err err;
    msk_err_clear(&err);
    int rc = form_fill(r->db, &a, f.code, r->param2, period, pairs, n, &m, &err);
    int saved = rc == 0;
    if (rc == 0 && submit)
        rc = form_submit(r->db, &a, f.code, r->param2, period, &m, &err);
    int out;
    if (rc > 0)
        out = school_page(r, &f, period, &r->form, &m, 422, saved);
    else if (rc < 0)
        out = web_fail(r, 409, "%s", err.msg);
    else
        out = done_redirect(r, &f, period, submit ? "submitted" : "saved");
    form_msgs_release(&m);
    store_form_release(&f);
    return out;
}

static int review(web_req *r, int approve)
{
    store_form f;
    if (load_form(r, r->param, &f))
        return 0;
    char period[16];
    const char *p = web_field_value(r, "period");
    if (p && form_period_ok(f.period_type, p))
        snprintf(period, sizeof period, "%s", p);
    else
        pick_period(r, &f, period);
    form_actor a;
    actor_of(r, &a);
    form_msgs m = {0};
    msk_err err;
    msk_err_clear(&err);
    int rc = approve ? form_approve(r->db, &a, f.code, r->param2, period, &m, &err)
                     : form_return(r->db, &a, f.code, r->param2, period,
                                   web_field_value(r, "comment"), &err);
    int out;
    if (rc > 0)
        out = school_page(r, &f, period, NULL, &m, 422, 0);
    else if (rc < 0)
        out = web_fail(r, approve ? 409 : 422, "%s", err.msg);
    else {
        if (approve)
            web_cache_invalidate(r->srv); /* approved values change what the methods see */
        out = done_redirect(r, &f, period, approve ? "approved" : "returned");
    }
    form_msgs_release(&m);
    store_form_release(&f);
    return out;
}

int web_h_form_return(web_req *r)
{
    return review(r, 0);
}

int web_h_form_approve(web_req *r)
{
    return review(r, 1);
}

/* ---- indicator tables ------------------------------------------------------------------------ */

static json_t *num_or_null(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

static json_t *cells(const form_table *t, const double *cur, const double *prev)
{
    json_t *a = json_array();
    for (size_t j = 0; j < t->ncols; j++)
        json_array_append_new(a, json_pack("{s:o,s:o,s:b}", "cur", num_or_null(cur[j]), "prev",
                                           num_or_null(prev[j]), "share", t->col_share[j]));
    return a;
}

/* The form's table for period: per school and for the municipality (shares of sums), with the
 * previous period beside; ?format=xlsx downloads it. */
int web_h_form_table(web_req *r)
{
    store_form f;
    if (load_form(r, r->param, &f))
        return 0;
    char period[16];
    pick_period(r, &f, period);
    form_table t;
    msk_err err;
    msk_err_clear(&err);
    if (form_table_build(r->db, &f, period, &t, &err)) {
        store_form_release(&f);
        return web_fail(r, 500, "Таблица не построена: %s", err.msg);
    }
    const char *fmt = web_arg(r, "format");
    int rc;
    if (fmt && !strcmp(fmt, "xlsx")) {
        char path[] = "/tmp/msoko-form-XXXXXX";
        int fd = mkstemp(path);
        if (fd < 0) {
            rc = web_fail(r, 500, "Не удалось создать временный файл");
        } else {
            close(fd);
            FILE *fp = NULL;
            if (form_table_xlsx(&f, &t, path, &err) || !(fp = fopen(path, "rb"))) {
                rc = web_fail(r, 500, "Файл XLSX не создан: %s", err.msg);
            } else {
                char buf[65536];
                size_t n;
                msk_buf_reset(&r->out);
                while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
                    msk_buf_add(&r->out, buf, n);
                fclose(fp);
                r->ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                snprintf(r->disposition, sizeof r->disposition,
                         "attachment; filename=\"%s-%s.xlsx\"", f.code, period);
                rc = 0;
            }
            unlink(path);
        }
    } else {
        json_t *cols = json_array(), *rows = json_array();
        for (size_t j = 0; j < t.ncols; j++)
            json_array_append_new(cols, json_pack("{s:s,s:s,s:s,s:b}", "code", t.col_code[j],
                                                  "name", t.col_name[j], "unit", t.col_unit[j],
                                                  "share", t.col_share[j]));
        for (size_t i = 0; i < t.nschools; i++)
            json_array_append_new(
                rows, json_pack("{s:s,s:s,s:o}", "code", t.school[i], "name", t.school_name[i],
                                "cells", cells(&t, t.cur + i * t.ncols, t.prev + i * t.ncols)));
        char xlsx[256], title[400], href[200];
        snprintf(xlsx, sizeof xlsx, "/forms/%s/table?period=%s&format=xlsx", f.code, period);
        snprintf(title, sizeof title, "%s: показатели за %s", f.name, period);
        snprintf(href, sizeof href, "/forms/%s", f.code);
        json_t *d =
            json_pack("{s:o,s:s,s:s,s:o,s:o,s:o,s:s}", "form", form_json(&f, period), "period",
                      period, "prev_period", t.prev_period, "columns", cols, "rows", rows,
                      "municipal", cells(&t, t.mun_cur, t.mun_prev), "xlsx", xlsx);
        web_crumb(r, "Формы мониторинга", "/forms");
        web_crumb(r, f.name, href);
        web_crumb(r, "Показатели", NULL);
        rc = web_page(r, "form_table", title, d);
    }
    form_table_release(&t);
    store_form_release(&f);
    return rc;
}

/* ---- the roadmap -------------------------------------------------------------------------- */

typedef struct plan_ctx {
    json_t *arr;
    int n;
} plan_ctx;

static void on_plan(void *ctx, const store_plan_row *p)
{
    plan_ctx *c = ctx;
    char due[96];
    if (!strcmp(p->due_kind, "date") && strlen(p->due_on) == 10)
        snprintf(due, sizeof due, "%.2s.%.2s.%.4s", p->due_on + 8, p->due_on + 5, p->due_on);
    else if (!strcmp(p->due_kind, "event"))
        snprintf(due, sizeof due, "через %d дн. после процедуры", p->due_days);
    else
        snprintf(due, sizeof due, "без срока (%s)", p->due_why);
    c->n++;
    json_array_append_new(
        c->arr, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:i}", "id",
                          (json_int_t)p->id, "roadmap", p->roadmap, "number", p->number, "text",
                          p->text, "deadline", p->deadline, "due", due, "responsible",
                          p->responsible, "status", p->status, "status_label",
                          vocab_label(VOCAB_PLAN_STATUS, p->overdue ? "overdue" : p->status),
                          "overdue", p->overdue, "school", p->school_code, "files", p->nfiles));
}

/* {due_month: [...], overdue: [...]} of the year's plans into into["plan"]. */
void web_plan_summary(web_req *r, json_t *into)
{
    char today[11];
    msk_err err;
    msk_err_clear(&err);
    store_plan_today(today);
    store_plan_refresh_due(r->db, NULL, &err);
    plan_ctx due = {json_array(), 0}, late = {json_array(), 0};
    int year = r->year ? r->year : STORE_NONE;
    store_plan_each(r->db, year, NULL, PLAN_DUE_MONTH, today, on_plan, &due, &err);
    store_plan_each(r->db, year, NULL, PLAN_OVERDUE, today, on_plan, &late, &err);
    json_t *top = json_array(); /* the dashboard names the first ten */
    for (size_t i = 0; i < json_array_size(late.arr) && i < 10; i++)
        json_array_append(top, json_array_get(late.arr, i));
    json_object_set_new(into, "plan",
                        json_pack("{s:o,s:o,s:o,s:i,s:i,s:s}", "due_month", due.arr,
                                  "overdue_items", late.arr, "overdue_top", top, "due_count", due.n,
                                  "overdue_count", late.n, "today", today));
}

int web_h_plan(web_req *r)
{
    json_t *d = json_object();
    web_plan_summary(r, d);
    const char *done = web_arg(r, "done");
    json_object_set_new(d, "done", json_string(done ? done : ""));
    size_t nst;
    const vocab_entry *st = vocab_entries(VOCAB_PLAN_STATUS, &nst);
    json_t *statuses = json_array();
    for (size_t i = 0; i < nst; i++)
        json_array_append_new(statuses,
                              json_pack("{s:s,s:s}", "value", st[i].code, "label", st[i].label));
    json_object_set_new(d, "statuses", statuses);
    web_crumb(r, "Дорожная карта", NULL);
    char title[96];
    snprintf(title, sizeof title, "Дорожная карта: сроки %d года", r->year);
    return web_page(r, "plan", title, d);
}

int web_h_plan_status(web_req *r)
{
    char *end;
    long id = strtol(r->param, &end, 10);
    if (*end || id <= 0)
        return web_fail(r, 404, "Нет такого пункта плана");
    const char *st = web_field_value(r, "status");
    if (!store_plan_status_ok(st))
        return web_fail(r, 422, "Неизвестный статус «%s»", st ? st : "");
    const char *note = web_field_value(r, "note");
    msk_err err;
    msk_err_clear(&err);
    int rc =
        store_plan_set_status(r->db, id, st, note && note[0] ? note : NULL, r->user.login, &err);
    if (rc > 0)
        return web_fail(r, 404, "Пункта плана %ld нет", id);
    if (rc < 0)
        return web_fail(r, 422, "Статус не изменён: %s", err.msg);
    char href[64];
    snprintf(href, sizeof href, "/plan?year=%d&done=%ld", r->year, id);
    return web_redirect(r, href);
}
