/*
 * The monitoring forms' view model (form.h): the list of forms and one form's completeness.
 */
#include "view/form.h"

#include "base/muni.h"
#include "base/vocab.h"
#include "form/form.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *view_form_status_name(const char *st)
{
    /* a school with values loaded by file and no submission (form/completeness) */
    if (st && !strcmp(st, "imported"))
        return "загружена файлом";
    if (st && !strcmp(st, "imported_part"))
        return "загружена файлом не полностью";
    return vocab_label(VOCAB_FORM_STATUS, st ? st : "");
}

const char *view_form_period_kind(const char *t)
{
    return !strcmp(t, "year") ? "учебный год" : !strcmp(t, "half_year") ? "полугодие" : "месяц";
}

void view_form_period(const store_form *f, const char *asked, int year, const char *today,
                      char out[16])
{
    if (asked && form_period_ok(f->period_type, asked)) {
        snprintf(out, 16, "%s", asked);
        return;
    }
    int y = (int)strtol(today, NULL, 10), m = (int)strtol(today + 5, NULL, 10);
    if (!strcmp(f->period_type, "year"))
        snprintf(out, 16, "%d", year ? year : (m >= 9 ? y + 1 : y));
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

json_t *view_form_head(const store_form *f, const char *period)
{
    char due[11], who[200];
    form_period_due(f->period_type, period, f->due_days, due);
    if (f->schools[0])
        snprintf(who, sizeof who, "школы списка «%s» по анализу %d года",
                 vocab_label(VOCAB_METHOD, f->schools),
                 form_period_school_year(f->period_type, period));
    else
        snprintf(who, sizeof who, "все школы");
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "code", f->code, "name", f->name,
                     "period_type", f->period_type, "period_kind",
                     view_form_period_kind(f->period_type), "source", muni_cite_str(f->source),
                     "due", due, "schools", f->schools, "schools_label", who);
}

/* How a school without a submission stands by the values loaded for it by file: 2 — they cover
 * the form (every required element; every element when none is required): done, as if
 * approved; 1 — some, not all: not done (issue 19 item 7: one imported column used to count as
 * the whole form); 0 — none. */
static int imported_state(const store_form *f, const store_completeness_row *row)
{
    if (row->status[0] || row->approved_values <= 0)
        return 0;
    int nreq = 0;
    for (size_t i = 0; i < f->nel; i++)
        nreq += f->el[i].required != 0;
    return (nreq ? row->approved_required >= nreq : (size_t)row->approved_values >= f->nel) ? 2 : 1;
}

/* Submitted (or approved, or values loaded by file): the school has done its part. */
static int handed_in(const char *status, int imported)
{
    return !strcmp(status, "submitted") || !strcmp(status, "approved") || imported;
}

/* ---- the list ------------------------------------------------------------------------------ */

typedef struct count_ctx {
    const store_form *f;
    const view_ctx *vc; /* its scope: the schools counted */
    int total, submitted, approved;
    const char *school; /* a school operator: only this school's status */
    int found, in;      /* the school is among the form's schools; it has handed it in */
    char status[16], comment[1024];
} count_ctx;

static void on_count(void *ctx, const store_completeness_row *row)
{
    count_ctx *c = ctx;
    if (!view_ctx_knows(c->vc, row->code))
        return; /* a school of another municipality */
    int imported = imported_state(c->f, row) == 2;
    c->total++;
    c->submitted += handed_in(row->status, imported);
    c->approved += !strcmp(row->status, "approved") || imported;
    if (c->school && !strcmp(row->code, c->school)) {
        c->found = 1;
        c->in = handed_in(row->status, imported);
        snprintf(c->status, sizeof c->status, "%s", imported ? "approved" : row->status);
        snprintf(c->comment, sizeof c->comment, "%s", row->comment ? row->comment : "");
    }
}

static void on_code(void *ctx, const char *code, const char *name, const char *period_type,
                    const char *source)
{
    (void)name, (void)period_type, (void)source;
    json_array_append_new(ctx, json_string(code));
}

int view_forms(store *s, const view_ctx *c, const char *asked, int year, const char *today,
               json_t **out, msk_err *err)
{
    json_t *codes = json_array(), *forms = json_array();
    *out = NULL;
    if (store_form_each(s, on_code, codes, err)) {
        json_decref(codes);
        json_decref(forms);
        return -1;
    }
    size_t i;
    json_t *code;
    json_array_foreach(codes, i, code)
    {
        store_form f;
        if (store_form_get(s, json_string_value(code), &f, err))
            continue;
        char period[16], href[256];
        int school = c->role == VIEW_SCHOOL && c->school;
        view_form_period(&f, asked, year, today, period);
        count_ctx cc = {&f, c, 0, 0, 0, school ? c->school : NULL, 0, 0, "", ""};
        store_form_completeness(s, &f, period, form_period_school_year(f.period_type, period),
                                on_count, &cc, err);
        if (school && !cc.found) { /* a form of other schools (issue 14 п. 7: ШНОР only) */
            store_form_release(&f);
            continue;
        }
        if (school)
            snprintf(href, sizeof href, "/forms/%s/%s?period=%s", f.code, c->school, period);
        else
            snprintf(href, sizeof href, "/forms/%s?period=%s", f.code, period);
        json_t *it = view_form_head(&f, period);
        json_object_set_new(it, "period", json_string(period));
        json_object_set_new(it, "href", json_string(href));
        json_object_set_new(it, "total", json_integer(cc.total));
        json_object_set_new(it, "submitted", json_integer(cc.submitted));
        json_object_set_new(it, "approved", json_integer(cc.approved));
        json_object_set_new(it, "missing", json_integer(cc.total - cc.submitted));
        json_object_set_new(it, "status", json_string(cc.status));
        json_object_set_new(it, "status_label", json_string(view_form_status_name(cc.status)));
        /* «просрочено»: the due date passed and the school (an operator's list) or some
         * school (the analyst's) has not handed it in */
        const char *due = json_string_value(json_object_get(it, "due"));
        int late = strcmp(today, due) > 0 && (school ? !cc.in : cc.total > cc.submitted);
        json_object_set_new(it, "overdue", json_boolean(late));
        json_object_set_new(it, "returned", json_boolean(!strcmp(cc.status, "returned")));
        json_object_set_new(it, "comment", json_string(cc.comment));
        json_array_append_new(forms, it);
        store_form_release(&f);
    }
    json_decref(codes);
    *out = json_pack("{s:o,s:b}", "forms", forms, "analyst", c->role >= VIEW_ANALYST);
    return 0;
}

int view_school_forms(store *s, const char *school, int year, const char *today, json_t **out,
                      msk_err *err)
{
    view_ctx sc = {VIEW_SCHOOL, school, NULL}; /* what the school's operator sees on /forms */
    json_t *d = NULL;
    *out = NULL;
    if (view_forms(s, &sc, NULL, year, today, &d, err))
        return -1;
    json_t *forms = json_incref(json_object_get(d, "forms"));
    json_decref(d);
    int returned = 0, overdue = 0, todo = 0;
    size_t i;
    json_t *it;
    json_array_foreach(forms, i, it)
    {
        const char *st = json_string_value(json_object_get(it, "status"));
        returned += json_is_true(json_object_get(it, "returned"));
        overdue += json_is_true(json_object_get(it, "overdue"));
        todo += strcmp(st, "submitted") && strcmp(st, "approved");
    }
    *out = json_pack("{s:o,s:i,s:i,s:i}", "items", forms, "returned", returned, "overdue", overdue,
                     "todo", todo);
    return 0;
}

/* ---- one form's completeness ----------------------------------------------------------------- */

typedef struct compl_ctx {
    const store_form *f;
    const view_ctx *vc; /* its scope: the schools listed (NULL: every school) */
    json_t *rows;
    const char *form, *period, *due, *today;
    int missing;
} compl_ctx;

static void on_compl(void *ctx, const store_completeness_row *row)
{
    compl_ctx *c = ctx;
    if (c->vc && !view_ctx_knows(c->vc, row->code))
        return; /* a school of another municipality */
    int part = imported_state(c->f, row), imported = part == 2;
    int in = handed_in(row->status, imported);
    char href[256];
    snprintf(href, sizeof href, "/forms/%s/%s?period=%s", c->form, row->code, c->period);
    c->missing += !in;
    const char *st = imported ? "imported" : part ? "imported_part" : row->status;
    json_array_append_new(c->rows, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:b}", "code",
                                             row->code, "name", row->name, "status", st,
                                             "status_label", view_form_status_name(st),
                                             "submitted_at", row->submitted_at, "href", href, "in",
                                             in, "late", !in && strcmp(c->today, c->due) > 0,
                                             "to_review", !strcmp(row->status, "submitted")));
}

int view_form_completeness(store *s, const view_ctx *vc, const store_form *f, const char *period,
                           const char *today, json_t **out, msk_err *err)
{
    json_t *d = json_pack("{s:o,s:s}", "form", view_form_head(f, period), "period", period);
    const char *due = json_string_value(json_object_get(json_object_get(d, "form"), "due"));
    compl_ctx c = {f, vc, json_array(), f->code, period, due, today, 0};
    *out = NULL;
    if (store_form_completeness(s, f, period, form_period_school_year(f->period_type, period),
                                on_compl, &c, err)) {
        json_decref(c.rows);
        json_decref(d);
        return -1;
    }
    json_object_set_new(d, "schools", c.rows);
    json_object_set_new(d, "missing", json_integer(c.missing));
    json_object_set_new(d, "late", json_boolean(c.missing && strcmp(today, due) > 0));
    json_object_set_new(d, "today", json_string(today));
    *out = d;
    return 0;
}

/* ---- one school's submission ------------------------------------------------------------------
 */

typedef struct hist_ctx {
    json_t *arr;
    const store_form *f;
} hist_ctx;

static void on_hist(void *ctx, const char *element, const char *stage, const char *at,
                    const char *user, const char *before, const char *after)
{
    hist_ctx *c = ctx;
    const char *name = NULL;
    int yesno = 0;
    for (size_t i = 0; i < c->f->nel; i++)
        if (!strcmp(c->f->el[i].code, element)) {
            name = c->f->el[i].name;
            yesno = !strcmp(c->f->el[i].type, "bool");
        }
    if (!name) /* an element of another form */
        return;
    if (yesno) { /* «да → нет», not «1 → 0» (issue 14, «Smaller») */
        before = !before                ? NULL
                 : !strcmp(before, "1") ? "да"
                 : !strcmp(before, "0") ? "нет"
                                        : before;
        after = !after ? NULL : !strcmp(after, "1") ? "да" : !strcmp(after, "0") ? "нет" : after;
    }
    char change[2300];
    snprintf(change, sizeof change, "%s → %s", before ? before : "—", after ? after : "—");
    json_array_append_new(c->arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "element", element, "name",
                                            name, "stage", vocab_label(VOCAB_VALUE_STAGE, stage),
                                            "at", at, "user", user, "change", change));
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

/* «от 0 до 1 чел.», «не меньше 0, чел.», the unit, or nothing for a yes/no field. */
static void hint_text(const store_form_elem *e, char *out, size_t outsz)
{
    if (!strcmp(e->type, "bool"))
        out[0] = '\0';
    else if (!isnan(e->min) && !isnan(e->max))
        snprintf(out, outsz, "от %g до %g%s%s", e->min, e->max, e->unit[0] ? " " : "", e->unit);
    else if (!isnan(e->min))
        snprintf(out, outsz, "не меньше %g%s%s", e->min, e->unit[0] ? ", " : "", e->unit);
    else
        snprintf(out, outsz, "%s", e->unit);
}

/* The fields of a school's form: vals are the submission's (or, with all_prefilled, the approved
 * values standing for it), appr the approved values that fill what vals leave empty. */
static json_t *form_fields(const store_form *f, const store_fvalue *vals, size_t nv,
                           const store_fvalue *appr, size_t na, int all_prefilled)
{
    json_t *fields = json_array();
    for (size_t i = 0; i < f->nel; i++) {
        const store_form_elem *e = &f->el[i];
        const store_fvalue *v = NULL;
        char value[1100], hint[160];
        int prefilled = all_prefilled;
        for (size_t k = 0; k < nv; k++)
            if (!strcmp(vals[k].element, e->code))
                v = &vals[k];
        if (!v) /* not in the draft: the approved value, if any */
            for (size_t k = 0; k < na; k++)
                if (!strcmp(appr[k].element, e->code) && appr[k].has_value) {
                    v = &appr[k];
                    prefilled = 1;
                }
        prefilled = prefilled && v && v->has_value;
        value_text(v, value, sizeof value);
        hint_text(e, hint, sizeof hint);
        json_t *fld = json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:b,s:b,s:b,s:[]}", "code", e->code,
                                "name", e->name, "type", e->type, "hint", hint, "value", value,
                                "required", e->required, "is_bool", !strcmp(e->type, "bool"),
                                "is_text", !strcmp(e->type, "text"), "yes", !strcmp(value, "1"),
                                "no", !strcmp(value, "0"), "errors");
        /* where a pre-filled value comes from: «загружено файлом» (an import) or an approved
         * value (an earlier form, the demo's data) */
        json_object_set_new(fld, "prefilled", json_boolean(prefilled));
        json_object_set_new(fld, "imported", json_boolean(prefilled && v->from_file));
        json_object_set_new(fld, "source_label",
                            json_string(!prefilled     ? ""
                                        : v->from_file ? "загружено файлом"
                                                       : "утверждённое значение"));
        json_array_append_new(fields, fld);
    }
    return fields;
}

int view_form_school(store *s, const view_ctx *c, const store_form *f, const char *school,
                     const char *period, const char *today, json_t **out, msk_err *err)
{
    int64_t sid = 0;
    char code[64], name[256];
    *out = NULL;
    if (store_school_id(s, school, &sid) || store_school_code(s, sid, code, name))
        return VIEW_NOT_FOUND;
    if (c->role == VIEW_SCHOOL && (!c->school || strcmp(c->school, code)))
        return VIEW_FORBIDDEN;
    store_sub sub;
    store_fvalue *vals = NULL, *appr = NULL;
    size_t nv = 0, na = 0;
    int have = store_sub_get(s, f->code, sid, period, &sub, err) == 0;
    if (have && store_sub_values(s, sub.id, &vals, &nv, err))
        have = 0;
    /* issue 19 item 7: a field the school has not filled starts from the approved value of the
     * same element and period (a context file, or an earlier form the analyst approved) while
     * the form can still be changed — no submission, a draft or a returned form; a handed-in
     * form shows what was handed in */
    const char *st0 = have ? sub.status : "";
    int open = !have || !strcmp(st0, "draft") || !strcmp(st0, "returned");
    if (open && store_form_school_approved(s, f, sid, period, &appr, &na, err))
        na = 0;
    int imported = !have && na > 0;
    if (!have) { /* the form-level state reads the approved values as the submission */
        vals = appr;
        nv = na;
        appr = NULL;
        na = 0;
    }
    /* the loaded values count as handed in only when they cover the form (imported_state) */
    int whole = 0;
    if (imported) {
        store_completeness_row row = {sid, code, name, "", "", "", "", (int)nv, 0};
        for (size_t i = 0; i < f->nel; i++)
            for (size_t k = 0; k < nv && f->el[i].required; k++)
                row.approved_required += !strcmp(vals[k].element, f->el[i].code);
        whole = imported_state(f, &row) == 2;
    }
    const char *st = have ? sub.status : "";
    /* a form of one list's schools: the others see why they have nothing to fill */
    int assigned = store_form_assigned(s, f, sid, period,
                                       form_period_school_year(f->period_type, period), err);
    if (assigned < 0) {
        free(vals);
        return -1;
    }
    json_t *fields = form_fields(f, vals, nv, appr, na, !have && imported);
    free(vals);
    free(appr);
    hist_ctx hc = {json_array(), f};
    store_value_history(s, sid, period, on_hist, &hc, err);
    char prev[16];
    form_period_prev(f->period_type, period, prev);
    json_t *d = json_pack("{s:o,s:{s:s,s:s},s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:b,s:o,s:o}", "form",
                          view_form_head(f, period), "school", "code", code, "name", name, "period",
                          period, "prev_period", prev, "status", st, "status_label",
                          imported ? (whole ? "не заполнялась (в полях — значения, загруженные "
                                              "файлом)"
                                            : "не заполнялась (файлом загружена часть значений: "
                                              "заполните остальные и сдайте)")
                                   : view_form_status_name(st),
                          "comment", have ? sub.comment : "", "imported", imported, "editable",
                          assigned && (!have || !strcmp(st, "draft") || !strcmp(st, "returned")),
                          "can_review", c->role >= VIEW_ANALYST && have && !strcmp(st, "submitted"),
                          "fields", fields, "history", hc.arr);
    const char *due = json_string_value(json_object_get(json_object_get(d, "form"), "due"));
    json_object_set_new(d, "assigned", json_boolean(assigned));
    json_object_set_new(d, "returned", json_boolean(!strcmp(st, "returned")));
    json_object_set_new(d, "overdue",
                        json_boolean(assigned && strcmp(today, due) > 0 && !handed_in(st, whole)));
    if (have) {
        json_object_set_new(d, "submitted_at", json_string(sub.submitted_at));
        json_object_set_new(d, "approved_at", json_string(sub.approved_at));
        json_object_set_new(d, "approved_by", json_string(sub.approved_by));
    }
    *out = d;
    return 0;
}

/* ---- indicator tables ------------------------------------------------------------------------ */

static json_t *num_or_null(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

static json_t *yes_no(double v)
{
    return isnan(v) ? json_null() : json_string(v != 0 ? "да" : "нет");
}

/* The element type of column j ("count", "bool", "number"), "" for an indicator. */
static const char *col_type(const store_form *f, const form_table *t, size_t j)
{
    if (t->col_share[j])
        return "";
    for (size_t k = 0; k < f->nel; k++)
        if (!strcmp(f->el[k].code, t->col_code[j]))
            return f->el[k].type;
    return "";
}

/* A row's cells with how each is shown: a share in percent, a head count whole («20 чел.»,
 * not «20,0»), a yes/no element in words (the municipal row counts the schools with «да»),
 * other numbers with one decimal. */
static json_t *cells(const store_form *f, const form_table *t, const double *cur,
                     const double *prev, int municipal)
{
    json_t *a = json_array();
    for (size_t j = 0; j < t->ncols; j++) {
        const char *type = col_type(f, t, j);
        int yesno = !municipal && !strcmp(type, "bool");
        int whole = !yesno && (!strcmp(type, "count") || !strcmp(type, "bool"));
        json_t *c = json_pack("{s:o,s:o,s:b,s:b,s:b,s:b}", "cur", num_or_null(cur[j]), "prev",
                              num_or_null(prev[j]), "share", t->col_share[j], "whole", whole,
                              "yesno", yesno, "plain", !t->col_share[j] && !whole && !yesno);
        if (yesno) {
            json_object_set_new(c, "cur_text", yes_no(cur[j]));
            json_object_set_new(c, "prev_text", yes_no(prev[j]));
        }
        json_array_append_new(a, c);
    }
    return a;
}

json_t *view_form_table(const store_form *f, const form_table *t)
{
    json_t *cols = json_array(), *rows = json_array();
    for (size_t j = 0; j < t->ncols; j++)
        json_array_append_new(cols, json_pack("{s:s,s:s,s:s,s:b}", "code", t->col_code[j], "name",
                                              t->col_name[j], "unit", t->col_unit[j], "share",
                                              t->col_share[j]));
    for (size_t i = 0; i < t->nschools; i++)
        json_array_append_new(
            rows,
            json_pack("{s:s,s:s,s:o}", "code", t->school[i], "name", t->school_name[i], "cells",
                      cells(f, t, t->cur + i * t->ncols, t->prev + i * t->ncols, 0)));
    return json_pack("{s:o,s:s,s:s,s:o,s:o,s:o}", "form", view_form_head(f, t->period), "period",
                     t->period, "prev_period", t->prev_period, "columns", cols, "rows", rows,
                     "municipal", cells(f, t, t->mun_cur, t->mun_prev, 1));
}
