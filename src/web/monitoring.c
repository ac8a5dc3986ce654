/*
 * Pages of the monitoring forms and the roadmap (docs/forms.md, docs/roadmap.md): a school
 * operator fills its own school's form (drafts, messages next to the field, submit); the analyst
 * sees who has not submitted by the deadline, returns a form with a comment and approves it (its
 * values then reach the methods); the roadmap page and the dashboard show the items due this
 * month and the overdue ones. Permissions are checked twice: here (a school's operator opens only
 * its own school's forms: 403) and in src/form/flow.c, which refuses what the state forbids.
 */
#include "web/internal.h"

#include "app/app.h"
#include "base/fmt.h"
#include "form/form.h"
#include "store/form.h"
#include "store/plan.h"
#include "view/form.h"
#include "view/plan.h"

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

/* The period a page opens by default (src/view/form.c): ?period= when it fits; else the
 * page's year, the current half-year, or the month before today's. */
static void pick_period(web_req *r, const store_form *f, char out[16])
{
    char today[11];
    store_plan_today(today);
    view_form_period(f, web_arg(r, "period"), r->year, today, out);
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

/* ---- the list of forms ------------------------------------------------------------------ */

int web_h_forms(web_req *r)
{
    msk_err err;
    msk_err_clear(&err);
    char today[11];
    store_plan_today(today);
    view_ctx c = web_ctx(r);
    json_t *d = NULL;
    if (view_forms(r->db, &c, web_arg(r, "period"), r->year, today, &d, &err))
        return web_fail(r, 500, "Не удалось прочитать формы: %s", err.msg);
    json_object_set_new(d, "admin", json_boolean(r->user.role >= VIEW_ADMIN));
    web_crumb(r, "Формы мониторинга", NULL);
    return web_page(r, "forms", "Формы мониторинга", d);
}

/* ---- one form: completeness (analyst) ------------------------------------------------------ */

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
    json_t *d = NULL;
    msk_err err;
    msk_err_clear(&err);
    view_ctx vc = web_ctx(r);
    if (view_form_completeness(r->db, &vc, &f, period, today, &d, &err)) {
        store_form_release(&f);
        return web_fail(r, 500, "Не удалось прочитать сдачу формы: %s", err.msg);
    }
    char title[400], per[96];
    snprintf(title, sizeof title, "%s — %s", f.name, fmt_period(period, per, sizeof per));
    web_crumb(r, "Формы мониторинга", "/forms");
    web_crumb(r, f.name, NULL);
    store_form_release(&f);
    return web_page(r, "form_status", title, d);
}

/* ---- one school's submission ---------------------------------------------------------------- */

/* The page of (form, school, period): the view model of src/view/form.c, with what only the
 * page has. typed: the values as the user typed them (after a refused POST), else NULL; msgs:
 * messages to show next to the fields. */
static int school_page(web_req *r, const store_form *f, const char *period, const web_form *typed,
                       const form_msgs *msgs, int status, int draft_saved)
{
    msk_err err;
    msk_err_clear(&err);
    view_ctx c = web_ctx(r);
    json_t *d = NULL;
    char today[11];
    store_plan_today(today);
    int rc = view_form_school(r->db, &c, f, r->param2, period, today, &d, &err);
    if (rc == VIEW_NOT_FOUND)
        return web_fail(r, 404, "Школы с кодом «%s» нет", r->param2);
    if (rc)
        return web_view_fail(r, rc, &err, "/forms", "Формы мониторинга");
    const char *code = json_string_value(json_object_get(json_object_get(d, "school"), "code"));
    const char *name = json_string_value(json_object_get(json_object_get(d, "school"), "name"));
    size_t i;
    json_t *fld;
    json_array_foreach(json_object_get(d, "fields"), i, fld)
    {
        const char *ec = json_string_value(json_object_get(fld, "code"));
        if (typed) { /* what was typed stays in the field */
            char key[80];
            snprintf(key, sizeof key, "v_%s", ec);
            const web_field *t = web_form_get(typed, key);
            const char *v = t && t->value ? t->value : "";
            json_object_set_new(fld, "value", json_string(v));
            json_object_set_new(fld, "yes", json_boolean(!strcmp(v, "1")));
            json_object_set_new(fld, "no", json_boolean(!strcmp(v, "0")));
            json_object_set_new(fld, "prefilled", json_false()); /* it holds what was typed */
            json_object_set_new(fld, "imported", json_false());
        }
        json_t *errs = json_object_get(fld, "errors");
        for (size_t k = 0; msgs && k < msgs->n; k++)
            if (!strcmp(msgs->m[k].element, ec))
                json_array_append_new(errs, json_string(msgs->m[k].text));
    }
    json_t *general = json_array();
    for (size_t k = 0; msgs && k < msgs->n; k++)
        if (!msgs->m[k].element[0])
            json_array_append_new(general, json_string(msgs->m[k].text));
    char action[256];
    snprintf(action, sizeof action, "/forms/%s/%s?period=%s", f->code, code, period);
    const char *done = web_arg(r, "done");
    json_object_set_new(d, "has_errors", json_boolean(msgs && msgs->n > 0));
    json_object_set_new(d, "messages", general);
    json_object_set_new(d, "action", json_string(action));
    json_object_set_new(d, "done", json_string(done ? done : ""));
    json_object_set_new(d, "draft_saved", json_boolean(draft_saved));
    json_object_set_new(d, "done_label",
                        json_string(!done                    ? ""
                                    : !strcmp(done, "saved") ? "Черновик сохранён."
                                    : !strcmp(done, "submitted") ? "Форма сдана."
                                    : !strcmp(done, "returned") ? "Форма возвращена на доработку."
                                    : !strcmp(done, "approved")
                                        ? "Форма утверждена: значения доступны методикам."
                                        : ""));
    char title[400], per[96];
    snprintf(title, sizeof title, "%s: %s, %s", f->name, name, fmt_period(period, per, sizeof per));
    if (r->user.role >= VIEW_ANALYST) {
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

/* Who acts in a use case: the signed-in user (routes only let signed-in users write). */
void web_actor(const web_req *r, app_actor *a)
{
    const char *role = r->user.role >= VIEW_ADMIN     ? "admin"
                       : r->user.role >= VIEW_ANALYST ? "analyst"
                       : r->user.role == VIEW_SCHOOL  ? "school"
                                                      : "";
    app_actor_set(a, r->user.login[0] ? r->user.login : "anonymous", role,
                  r->user.role == VIEW_SCHOOL ? r->user.school : "");
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
    app_actor a;
    web_actor(r, &a);
    form_msgs m = {0};
    msk_err err;
    msk_err_clear(&err);
    int rc = app_form_fill(r->db, &a, f.code, r->param2, period, pairs, n, &m, &err);
    int saved = rc == 0;
    if (rc == 0 && submit)
        rc = app_form_submit(r->db, &a, f.code, r->param2, period, &m, &err);
    int out;
    if (rc > 0)
        out = school_page(r, &f, period, &r->form, &m, 422, saved);
    else if (rc < 0)
        out = web_fail(r, 409, "%s", err.msg);
    else {
        web_cache_invalidate(r->srv); /* the school's page shows its forms' state */
        out = done_redirect(r, &f, period, submit ? "submitted" : "saved");
    }
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
    app_actor a;
    web_actor(r, &a);
    form_msgs m = {0};
    msk_err err;
    msk_err_clear(&err);
    int rc = approve ? app_form_approve(r->db, &a, f.code, r->param2, period, &m, &err)
                     : app_form_return(r->db, &a, f.code, r->param2, period,
                                       web_field_value(r, "comment"), &err);
    int out;
    if (rc > 0)
        out = school_page(r, &f, period, NULL, &m, 422, 0);
    else if (rc < 0)
        out = web_fail(r, approve ? 409 : 422, "%s", err.msg);
    else {
        /* approved values change what the methods see; a return, the school's page */
        web_cache_invalidate(r->srv);
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

static int knows(void *ctx, const char *school)
{
    return view_ctx_knows(ctx, school);
}

/* The form's table for period: per school and for the municipality (shares of sums), with the
 * previous period beside; ?format=xlsx downloads it. The schools of the request's scope. */
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
    view_ctx vc = web_ctx(r);
    if (form_table_build_in(r->db, &f, period, knows, &vc, &t, &err)) {
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
        char xlsx[256], title[400], href[200], per[96];
        snprintf(xlsx, sizeof xlsx, "/forms/%s/table?period=%s&format=xlsx", f.code, period);
        snprintf(title, sizeof title, "%s: показатели за %s", f.name,
                 fmt_period(period, per, sizeof per));
        snprintf(href, sizeof href, "/forms/%s", f.code);
        json_t *d = view_form_table(&f, &t); /* src/view/form.c, as msoko show has it */
        json_object_set_new(d, "xlsx", json_string(xlsx));
        web_crumb(r, "Формы мониторинга", "/forms");
        web_crumb(r, f.name, href);
        web_crumb(r, "Показатели", NULL);
        rc = web_page(r, "form_table", title, d);
    }
    form_table_release(&t);
    store_form_release(&f);
    return rc;
}
