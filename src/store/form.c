/*
 * Monitoring forms: definitions, submissions, value history, approved values. See form.h.
 */
#include "store/form.h"

#include "base/mem.h"
#include "store/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AREA "формы" /* in database error messages */

static void bind_text(db_stmt *st, int i, const char *v)
{
    if (v)
        db_bind_text(st, i, v);
    else
        db_bind_null(st, i);
}

static void bind_real(db_stmt *st, int i, double v)
{
    if (isnan(v))
        db_bind_null(st, i);
    else
        db_bind_double(st, i, v);
}

/* Run a one-shot statement with text parameters (NULL binds NULL). */
static int exec_text(store *s, const char *sql, int n, const char *const *p, msk_err *err,
                     const char *what)
{
    db_stmt *st = NULL;
    if (store_prep(s, sql, &st, AREA, err))
        return -1;
    for (int i = 0; i < n; i++)
        bind_text(st, i + 1, p[i]);
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE && rc != DB_ROW)
        return store_db_err(s, err, AREA, what);
    return 0;
}

void store_form_release(store_form *f)
{
    free(f->el);
    free(f->ru);
    free(f->ind);
    f->el = NULL;
    f->ru = NULL;
    f->ind = NULL;
    f->nel = f->nru = f->nind = 0;
}

/* ---- definitions --------------------------------------------------------------------------- */

int store_form_set_assign(store *s, const char *code, const char *schools, int due_days,
                          msk_err *err)
{
    MSK_ASSERT(store_in_transaction(s)); /* a use case's (src/app/form.c) */
    char due[16];
    snprintf(due, sizeof due, "%d", due_days);
    const char *p[] = {code, schools, due};
    if (exec_text(s, "UPDATE form SET schools = ?2, due_days = CAST(?3 AS INTEGER) WHERE code = ?1",
                  3, p, err, "форма"))
        return -1;
    return db_changes(s->db) ? 0 : 1;
}

int store_form_put(store *s, const store_form *f, msk_err *err)
{
    MSK_ASSERT(store_in_transaction(s)); /* a use case's (src/app/form.c) */
    char now[32], due[16];
    db_stmt *st = NULL;
    store_now(now);
    snprintf(due, sizeof due, "%d", f->due_days);
    const char *p[] = {f->code,   f->name, f->period_type, f->source, due,
                       f->sha256, now,     f->schools};
    if (exec_text(s,
                  "INSERT INTO form(code, name, period_type, source, due_days, sha256, loaded_at,"
                  " schools) VALUES(?1, ?2, ?3, ?4, CAST(?5 AS INTEGER), ?6, ?7, ?8)"
                  " ON CONFLICT(code) DO"
                  " UPDATE SET name = excluded.name, period_type = excluded.period_type,"
                  " source = excluded.source, due_days = excluded.due_days,"
                  " sha256 = excluded.sha256, loaded_at = excluded.loaded_at,"
                  " schools = excluded.schools",
                  8, p, err, "форма"))
        return -1;
    const char *c[] = {f->code};
    if (exec_text(s, "DELETE FROM form_element WHERE form = ?1", 1, c, err, "форма") ||
        exec_text(s, "DELETE FROM form_rule WHERE form = ?1", 1, c, err, "форма") ||
        exec_text(s, "DELETE FROM form_indicator WHERE form = ?1", 1, c, err, "форма"))
        return -1;
    for (size_t i = 0; i < f->nel; i++) {
        const store_form_elem *e = &f->el[i];
        store_element el = {e->code, e->name, e->type, e->unit, e->min, e->max};
        if (store_element_put(s, &el, err))
            return -1;
        if (store_prep(s,
                       "INSERT INTO form_element(form, element, ord, required) VALUES(?1,?2,?3,?4)",
                       &st, AREA, err))
            return -1;
        bind_text(st, 1, f->code);
        bind_text(st, 2, e->code);
        db_bind_int(st, 3, (int)i);
        db_bind_int(st, 4, e->required);
        int rc = db_step(st);
        db_finalize(st);
        if (rc != DB_DONE)
            return store_db_err(s, err, AREA, "показатель формы");
    }
    for (size_t i = 0; i < f->nru; i++) {
        if (store_prep(s, "INSERT INTO form_rule(form, ord, expr, message) VALUES(?1,?2,?3,?4)",
                       &st, AREA, err))
            return -1;
        bind_text(st, 1, f->code);
        db_bind_int(st, 2, (int)i);
        bind_text(st, 3, f->ru[i].expr);
        bind_text(st, 4, f->ru[i].message);
        int rc = db_step(st);
        db_finalize(st);
        if (rc != DB_DONE)
            return store_db_err(s, err, AREA, "правило формы");
    }
    for (size_t i = 0; i < f->nind; i++) {
        if (store_prep(s,
                       "INSERT INTO form_indicator(form, ord, code, name, num, den)"
                       " VALUES(?1,?2,?3,?4,?5,?6)",
                       &st, AREA, err))
            return -1;
        bind_text(st, 1, f->code);
        db_bind_int(st, 2, (int)i);
        bind_text(st, 3, f->ind[i].code);
        bind_text(st, 4, f->ind[i].name);
        bind_text(st, 5, f->ind[i].num);
        bind_text(st, 6, f->ind[i].den);
        int rc = db_step(st);
        db_finalize(st);
        if (rc != DB_DONE)
            return store_db_err(s, err, AREA, "показатель таблицы формы");
    }
    return 0;
}

static void *grow(void *p, size_t n, size_t size)
{
    return msk_realloc(p, (n + 1) * size);
}

int store_form_get(store *s, const char *code, store_form *out, msk_err *err)
{
    db_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    if (store_prep(s,
                   "SELECT code, name, period_type, source, due_days, sha256, schools FROM form"
                   " WHERE code = ?1",
                   &st, AREA, err))
        return -1;
    bind_text(st, 1, code);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        store_col_copy(out->code, sizeof out->code, st, 0);
        store_col_copy(out->name, sizeof out->name, st, 1);
        store_col_copy(out->period_type, sizeof out->period_type, st, 2);
        store_col_copy(out->source, sizeof out->source, st, 3);
        out->due_days = db_column_int(st, 4);
        store_col_copy(out->sha256, sizeof out->sha256, st, 5);
        store_col_copy(out->schools, sizeof out->schools, st, 6);
    }
    db_finalize(st);
    if (rc == DB_DONE)
        return 1;
    if (rc != DB_ROW)
        return store_db_err(s, err, AREA, "форма");
    if (store_prep(s,
                   "SELECT e.code, e.name, e.value_type, e.unit, e.min_value, e.max_value,"
                   " fe.required FROM form_element fe JOIN data_element e ON e.code = fe.element"
                   " WHERE fe.form = ?1 ORDER BY fe.ord",
                   &st, AREA, err))
        goto fail;
    bind_text(st, 1, code);
    while ((rc = db_step(st)) == DB_ROW) {
        store_form_elem *n = grow(out->el, out->nel, sizeof *n);
        out->el = n;
        store_form_elem *e = &out->el[out->nel++];
        memset(e, 0, sizeof *e);
        store_col_copy(e->code, sizeof e->code, st, 0);
        store_col_copy(e->name, sizeof e->name, st, 1);
        store_col_copy(e->type, sizeof e->type, st, 2);
        store_col_copy(e->unit, sizeof e->unit, st, 3);
        e->min = db_column_type(st, 4) == DB_NULL ? NAN : db_column_double(st, 4);
        e->max = db_column_type(st, 5) == DB_NULL ? NAN : db_column_double(st, 5);
        e->required = db_column_int(st, 6);
    }
    db_finalize(st);
    st = NULL;
    if (rc != DB_DONE)
        goto dberr;
    if (store_prep(s, "SELECT expr, message FROM form_rule WHERE form = ?1 ORDER BY ord", &st, AREA,
                   err))
        goto fail;
    bind_text(st, 1, code);
    while ((rc = db_step(st)) == DB_ROW) {
        store_form_rule *n = grow(out->ru, out->nru, sizeof *n);
        out->ru = n;
        store_form_rule *r = &out->ru[out->nru++];
        store_col_copy(r->expr, sizeof r->expr, st, 0);
        store_col_copy(r->message, sizeof r->message, st, 1);
    }
    db_finalize(st);
    st = NULL;
    if (rc != DB_DONE)
        goto dberr;
    if (store_prep(s,
                   "SELECT code, name, num, den FROM form_indicator WHERE form = ?1 ORDER BY ord",
                   &st, AREA, err))
        goto fail;
    bind_text(st, 1, code);
    while ((rc = db_step(st)) == DB_ROW) {
        store_form_ind *n = grow(out->ind, out->nind, sizeof *n);
        out->ind = n;
        store_form_ind *r = &out->ind[out->nind++];
        store_col_copy(r->code, sizeof r->code, st, 0);
        store_col_copy(r->name, sizeof r->name, st, 1);
        store_col_copy(r->num, sizeof r->num, st, 2);
        store_col_copy(r->den, sizeof r->den, st, 3);
    }
    db_finalize(st);
    st = NULL;
    if (rc != DB_DONE)
        goto dberr;
    return 0;
dberr:
    store_db_err(s, err, AREA, "описание формы");
fail:
    db_finalize(st);
    store_form_release(out);
    return -1;
}

int store_form_each(store *s,
                    void (*fn)(void *ctx, const char *code, const char *name,
                               const char *period_type, const char *source),
                    void *ctx, msk_err *err)
{
    db_stmt *st = NULL;
    if (store_prep(s, "SELECT code, name, period_type, source FROM form ORDER BY code", &st, AREA,
                   err))
        return -1;
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        fn(ctx, store_col(st, 0), store_col(st, 1), store_col(st, 2), store_col(st, 3));
    db_finalize(st);
    return rc == DB_DONE ? 0 : store_db_err(s, err, AREA, "список форм");
}

/* ---- submissions --------------------------------------------------------------------------- */

int store_sub_get(store *s, const char *form, int64_t school_id, const char *period, store_sub *out,
                  msk_err *err)
{
    db_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    if (store_prep(s,
                   "SELECT id, school_id, form, period, status, comment, created_at, updated_at,"
                   " updated_by, submitted_at, approved_at, approved_by FROM submission"
                   " WHERE form = ?1 AND school_id = ?2 AND period = ?3",
                   &st, AREA, err))
        return -1;
    bind_text(st, 1, form);
    db_bind_int64(st, 2, school_id);
    bind_text(st, 3, period);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->id = db_column_int64(st, 0);
        out->school_id = db_column_int64(st, 1);
        store_col_copy(out->form, sizeof out->form, st, 2);
        store_col_copy(out->period, sizeof out->period, st, 3);
        store_col_copy(out->status, sizeof out->status, st, 4);
        store_col_copy(out->comment, sizeof out->comment, st, 5);
        store_col_copy(out->created_at, sizeof out->created_at, st, 6);
        store_col_copy(out->updated_at, sizeof out->updated_at, st, 7);
        store_col_copy(out->updated_by, sizeof out->updated_by, st, 8);
        store_col_copy(out->submitted_at, sizeof out->submitted_at, st, 9);
        store_col_copy(out->approved_at, sizeof out->approved_at, st, 10);
        store_col_copy(out->approved_by, sizeof out->approved_by, st, 11);
    }
    db_finalize(st);
    if (rc == DB_DONE)
        return 1;
    return rc == DB_ROW ? 0 : store_db_err(s, err, AREA, "заполнение формы");
}

int store_sub_create(store *s, const char *form, int64_t school_id, const char *period,
                     const char *user, int64_t *id, msk_err *err)
{
    MSK_ASSERT(store_in_transaction(s)); /* a use case's (src/app/form.c) */
    char now[32];
    db_stmt *st = NULL;
    store_now(now);
    if (store_prep(s,
                   "INSERT INTO submission(form, school_id, period, status, created_at, updated_at,"
                   " updated_by) VALUES(?1, ?2, ?3, 'draft', ?4, ?4, ?5)",
                   &st, AREA, err))
        return -1;
    bind_text(st, 1, form);
    db_bind_int64(st, 2, school_id);
    bind_text(st, 3, period);
    bind_text(st, 4, now);
    bind_text(st, 5, user ? user : "");
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE)
        return store_db_err(s, err, AREA, "новое заполнение формы");
    *id = db_last_id(s->db);
    return 0;
}

static void value_of(db_stmt *st, int c_value, int c_text, store_fvalue *v)
{
    if (db_column_type(st, c_value) != DB_NULL) {
        v->has_value = 1;
        v->value = db_column_double(st, c_value);
    } else if (db_column_type(st, c_text) != DB_NULL) {
        v->has_value = 1;
        v->value = NAN;
        store_col_copy(v->text, sizeof v->text, st, c_text);
    } else {
        v->has_value = 0;
        v->value = NAN;
    }
}

/* Step st (columns element, value, text_value) into the growing array *out of *n values;
 * finalizes st. what names the values in a database error. */
static int collect_values(store *s, db_stmt *st, store_fvalue **out, size_t *n, const char *what,
                          msk_err *err)
{
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        store_fvalue *g = grow(*out, *n, sizeof *g);
        *out = g;
        store_fvalue *v = &g[(*n)++];
        memset(v, 0, sizeof *v);
        store_col_copy(v->element, sizeof v->element, st, 0);
        value_of(st, 1, 2, v);
        if (db_column_count(st) > 3)
            v->from_file = db_column_type(st, 3) != DB_NULL;
    }
    db_finalize(st);
    return rc == DB_DONE ? 0 : store_db_err(s, err, AREA, what);
}

int store_sub_values(store *s, int64_t sub_id, store_fvalue **out, size_t *n, msk_err *err)
{
    db_stmt *st = NULL;
    *out = NULL;
    *n = 0;
    if (store_prep(
            s,
            "SELECT element, value, text_value FROM submission_value WHERE submission_id = ?1"
            " ORDER BY element",
            &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, sub_id);
    return collect_values(s, st, out, n, "значения формы", err);
}

/* "12", "0,25", "текст" or NULL for no value */
static void value_text(const store_fvalue *v, char *out, size_t outsz, int *null)
{
    *null = !v->has_value;
    if (!v->has_value)
        out[0] = '\0';
    else if (isnan(v->value))
        snprintf(out, outsz, "%s", v->text);
    else
        snprintf(out, outsz, "%.15g", v->value);
}

static int history(store *s, const char *element, int64_t school_id, const char *period,
                   int64_t sub_id, const char *stage, const char *user, const char *before,
                   const char *after, msk_err *err)
{
    char now[32];
    db_stmt *st = NULL;
    store_now(now);
    if (store_prep(s,
                   "INSERT INTO value_history(element, school_id, period, submission_id, stage, at,"
                   " user, before, after) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)",
                   &st, AREA, err))
        return -1;
    bind_text(st, 1, element);
    db_bind_int64(st, 2, school_id);
    bind_text(st, 3, period);
    if (sub_id)
        db_bind_int64(st, 4, sub_id);
    bind_text(st, 5, stage);
    bind_text(st, 6, now);
    bind_text(st, 7, user ? user : "");
    bind_text(st, 8, before);
    bind_text(st, 9, after);
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? 0 : store_db_err(s, err, AREA, "история значений");
}

int store_sub_value_put(store *s, const store_sub *sub, const store_fvalue *v, const char *user,
                        int *changed, msk_err *err)
{
    MSK_ASSERT(store_in_transaction(s)); /* a use case's (src/app/form.c) */
    db_stmt *st = NULL;
    store_fvalue old;
    char before[1100], after[1100], now[32];
    int bnull, anull;
    memset(&old, 0, sizeof old);
    if (changed)
        *changed = 0;
    if (store_prep(s,
                   "SELECT value, text_value FROM submission_value WHERE submission_id = ?1"
                   " AND element = ?2",
                   &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, sub->id);
    bind_text(st, 2, v->element);
    int rc = db_step(st);
    if (rc == DB_ROW)
        value_of(st, 0, 1, &old);
    db_finalize(st);
    if (rc != DB_ROW && rc != DB_DONE)
        return store_db_err(s, err, AREA, "значение формы");
    value_text(&old, before, sizeof before, &bnull);
    value_text(v, after, sizeof after, &anull);
    if (bnull == anull && strcmp(before, after) == 0)
        return 0;
    if (!v->has_value) {
        if (store_prep(s, "DELETE FROM submission_value WHERE submission_id = ?1 AND element = ?2",
                       &st, AREA, err))
            return -1;
        db_bind_int64(st, 1, sub->id);
        bind_text(st, 2, v->element);
    } else {
        if (store_prep(s,
                       "INSERT OR REPLACE INTO submission_value(submission_id, element, value,"
                       " text_value) VALUES(?1, ?2, ?3, ?4)",
                       &st, AREA, err))
            return -1;
        db_bind_int64(st, 1, sub->id);
        bind_text(st, 2, v->element);
        bind_real(st, 3, v->value);
        bind_text(st, 4, isnan(v->value) ? v->text : NULL);
    }
    rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE)
        return store_db_err(s, err, AREA, "значение формы");
    store_now(now);
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)sub->id);
    const char *q[] = {now, user ? user : "", id};
    if (exec_text(s, "UPDATE submission SET updated_at = ?1, updated_by = ?2 WHERE id = ?3", 3, q,
                  err, "заполнение формы"))
        return -1;
    if (changed)
        *changed = 1;
    return history(s, v->element, sub->school_id, sub->period, sub->id, "draft", user,
                   bnull ? NULL : before, anull ? NULL : after, err);
}

int store_sub_set_status(store *s, const store_sub *sub, const char *status, const char *comment,
                         const char *user, msk_err *err)
{
    MSK_ASSERT(store_in_transaction(s)); /* a use case's (src/app/form.c) */
    char now[32];
    db_stmt *st = NULL;
    store_now(now);
    if (store_prep(s,
                   "UPDATE submission SET status = ?2, comment = coalesce(?3, comment),"
                   " updated_at = ?4, updated_by = ?5,"
                   " submitted_at = CASE WHEN ?2 = 'submitted' THEN ?4 ELSE submitted_at END,"
                   " approved_at = CASE WHEN ?2 = 'approved' THEN ?4 ELSE approved_at END,"
                   " approved_by = CASE WHEN ?2 = 'approved' THEN ?5 ELSE approved_by END"
                   " WHERE id = ?1",
                   &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, sub->id);
    bind_text(st, 2, status);
    bind_text(st, 3, comment);
    bind_text(st, 4, now);
    bind_text(st, 5, user ? user : "");
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE)
        return store_db_err(s, err, AREA, "состояние формы");
    return 0; /* the use case writes the audit row (app_form_*) */
}

int store_sub_publish(store *s, const store_sub *sub, const store_form *f, const char *user,
                      msk_err *err)
{
    MSK_ASSERT(store_in_transaction(s)); /* a use case's (src/app/form.c) */
    store_fvalue *vals = NULL;
    size_t n = 0;
    char now[32];
    if (store_sub_values(s, sub->id, &vals, &n, err))
        return -1;
    store_now(now);
    int rc = -1;
    for (size_t i = 0; i < f->nel; i++) {
        const store_fvalue *v = NULL;
        store_fvalue old;
        db_stmt *st = NULL;
        char before[1100], after[1100];
        int bnull, anull;
        for (size_t k = 0; k < n; k++)
            if (!strcmp(vals[k].element, f->el[i].code))
                v = &vals[k];
        memset(&old, 0, sizeof old);
        if (store_prep(s,
                       "SELECT value, text_value FROM data_value WHERE element = ?1 AND"
                       " school_id = ?2 AND period = ?3",
                       &st, AREA, err))
            goto out;
        bind_text(st, 1, f->el[i].code);
        db_bind_int64(st, 2, sub->school_id);
        bind_text(st, 3, sub->period);
        int r = db_step(st);
        if (r == DB_ROW)
            value_of(st, 0, 1, &old);
        db_finalize(st);
        if (r != DB_ROW && r != DB_DONE) {
            store_db_err(s, err, AREA, "утверждённое значение");
            goto out;
        }
        value_text(&old, before, sizeof before, &bnull);
        value_text(v ? v : &old, after, sizeof after, &anull);
        if (!v || !v->has_value)
            continue; /* not in the form: an imported value (or another form's) stays */
        if (store_prep(s,
                       "INSERT OR REPLACE INTO data_value(element, school_id, period, value,"
                       " text_value, status, batch_id, updated_at, updated_by, submission_id)"
                       " VALUES(?1, ?2, ?3, ?4, ?5, 'approved', NULL, ?6, ?7, ?8)",
                       &st, AREA, err))
            goto out;
        bind_text(st, 1, f->el[i].code);
        db_bind_int64(st, 2, sub->school_id);
        bind_text(st, 3, sub->period);
        bind_real(st, 4, v->value);
        bind_text(st, 5, isnan(v->value) ? v->text : NULL);
        bind_text(st, 6, now);
        bind_text(st, 7, user ? user : "");
        db_bind_int64(st, 8, sub->id);
        r = db_step(st);
        db_finalize(st);
        if (r != DB_DONE) {
            store_db_err(s, err, AREA, "утверждённое значение");
            goto out;
        }
        if ((bnull != anull || strcmp(before, after) != 0) &&
            history(s, f->el[i].code, sub->school_id, sub->period, sub->id, "approved", user,
                    bnull ? NULL : before, anull ? NULL : after, err))
            goto out;
    }
    rc = 0;
out:
    free(vals);
    return rc;
}

int store_form_school_approved(store *s, const store_form *f, int64_t school_id, const char *period,
                               store_fvalue **out, size_t *n, msk_err *err)
{
    db_stmt *st = NULL;
    *out = NULL;
    *n = 0;
    if (store_prep(s,
                   "SELECT dv.element, dv.value, dv.text_value, dv.batch_id FROM data_value dv"
                   " JOIN form_element fe ON fe.element = dv.element AND fe.form = ?1"
                   " WHERE dv.school_id = ?2 AND dv.period = ?3 AND dv.status = 'approved'"
                   " ORDER BY fe.ord",
                   &st, AREA, err))
        return -1;
    bind_text(st, 1, f->code);
    db_bind_int64(st, 2, school_id);
    bind_text(st, 3, period);
    return collect_values(s, st, out, n, "утверждённые значения школы", err);
}

/* ---- completeness and tables --------------------------------------------------------------- */

/* The form's elements are matched through form_element, which holds exactly them. */
/* The schools a form concerns (store_form_assigned): ?1 form, ?2 period, ?3 year, ?4 the list
 * ('' = every school); sc is the school, sb its submission of (form, period). */
#define ASSIGNED                                                                                   \
    "(?4 = '' OR sb.id IS NOT NULL OR EXISTS(SELECT 1 FROM finding fd WHERE fd.school_id = sc.id"  \
    " AND fd.method = ?4 AND fd.year = ?3 AND fd.run_id ="                                         \
    " (SELECT max(id) FROM analysis_run WHERE year = ?3)))"

int store_form_completeness(store *s, const store_form *f, const char *period, int year,
                            void (*fn)(void *ctx, const store_completeness_row *r), void *ctx,
                            msk_err *err)
{
    db_stmt *st = NULL;
    if (store_prep(s,
                   "SELECT sc.id, sc.code, sc.name, coalesce(sb.status, ''),"
                   " coalesce(sb.submitted_at, ''), coalesce(sb.updated_at, ''),"
                   " CASE WHEN sb.status = 'returned' THEN sb.comment ELSE '' END,"
                   " (SELECT count(*) FROM data_value dv JOIN form_element fe ON fe.element ="
                   "  dv.element AND fe.form = ?1 WHERE dv.school_id = sc.id AND dv.period = ?2"
                   "  AND dv.status = 'approved'),"
                   " (SELECT count(*) FROM data_value dv JOIN form_element fe ON fe.element ="
                   "  dv.element AND fe.form = ?1 AND fe.required = 1 WHERE dv.school_id = sc.id"
                   "  AND dv.period = ?2 AND dv.status = 'approved')"
                   " FROM school sc LEFT JOIN submission sb ON sb.school_id = sc.id AND"
                   " sb.form = ?1 AND sb.period = ?2 WHERE " ASSIGNED " ORDER BY sc.code",
                   &st, AREA, err))
        return -1;
    bind_text(st, 1, f->code);
    bind_text(st, 2, period);
    db_bind_int(st, 3, year);
    bind_text(st, 4, f->schools);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        store_completeness_row r = {
            db_column_int64(st, 0), store_col(st, 1),     store_col(st, 2),
            store_col(st, 3),       store_col(st, 4),     store_col(st, 5),
            store_col(st, 6),       db_column_int(st, 7), db_column_int(st, 8)};
        fn(ctx, &r);
    }
    db_finalize(st);
    return rc == DB_DONE ? 0 : store_db_err(s, err, AREA, "полнота сдачи формы");
}

int store_form_assigned(store *s, const store_form *f, int64_t school_id, const char *period,
                        int year, msk_err *err)
{
    db_stmt *st = NULL;
    if (!f->schools[0])
        return 1;
    if (store_prep(s,
                   "SELECT count(*) FROM school sc LEFT JOIN submission sb ON sb.school_id ="
                   " sc.id AND sb.form = ?1 AND sb.period = ?2 WHERE sc.id = ?5 AND " ASSIGNED,
                   &st, AREA, err))
        return -1;
    bind_text(st, 1, f->code);
    bind_text(st, 2, period);
    db_bind_int(st, 3, year);
    bind_text(st, 4, f->schools);
    db_bind_int64(st, 5, school_id);
    int rc = db_step(st);
    int yes = rc == DB_ROW && db_column_int(st, 0) > 0;
    db_finalize(st);
    return rc == DB_ROW ? yes : store_db_err(s, err, AREA, "школы формы");
}

int store_form_approved(store *s, const store_form *f, const char *period,
                        void (*fn)(void *ctx, const char *code, const char *name,
                                   const char *element, double value),
                        void *ctx, msk_err *err)
{
    db_stmt *st = NULL;
    if (store_prep(s,
                   "SELECT sc.code, sc.name, dv.element, dv.value FROM data_value dv"
                   " JOIN form_element fe ON fe.element = dv.element AND fe.form = ?1"
                   " JOIN school sc ON sc.id = dv.school_id"
                   " WHERE dv.period = ?2 AND dv.status = 'approved' AND dv.value IS NOT NULL"
                   " ORDER BY sc.code, fe.ord",
                   &st, AREA, err))
        return -1;
    bind_text(st, 1, f->code);
    bind_text(st, 2, period);
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        fn(ctx, store_col(st, 0), store_col(st, 1), store_col(st, 2), db_column_double(st, 3));
    db_finalize(st);
    return rc == DB_DONE ? 0 : store_db_err(s, err, AREA, "утверждённые значения");
}

int store_value_history(store *s, int64_t school_id, const char *period,
                        void (*fn)(void *ctx, const char *element, const char *stage,
                                   const char *at, const char *user, const char *before,
                                   const char *after),
                        void *ctx, msk_err *err)
{
    db_stmt *st = NULL;
    if (store_prep(s,
                   "SELECT element, stage, at, user, before, after FROM value_history"
                   " WHERE school_id = ?1 AND period = ?2 ORDER BY id DESC",
                   &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, school_id);
    bind_text(st, 2, period);
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        fn(ctx, store_col(st, 0), store_col(st, 1), store_col(st, 2), store_col(st, 3),
           db_column_type(st, 4) == DB_NULL ? NULL : store_col(st, 4),
           db_column_type(st, 5) == DB_NULL ? NULL : store_col(st, 5));
    db_finalize(st);
    return rc == DB_DONE ? 0 : store_db_err(s, err, AREA, "история значений");
}

int store_user_role(store *s, const char *login, char role[16], int64_t *school_id)
{
    db_stmt *st = NULL;
    msk_err e;
    if (store_prep(
            s, "SELECT role, coalesce(school_id, 0) FROM user WHERE login = ?1 AND disabled = 0",
            &st, AREA, &e))
        return 1;
    bind_text(st, 1, login);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        snprintf(role, 16, "%s", store_col(st, 0));
        *school_id = db_column_int64(st, 1);
    }
    db_finalize(st);
    return rc == DB_ROW ? 0 : 1;
}

int store_school_code(store *s, int64_t id, char code[64], char name[256])
{
    db_stmt *st = NULL;
    msk_err e;
    if (store_prep(s, "SELECT code, name FROM school WHERE id = ?1", &st, AREA, &e))
        return 1;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        snprintf(code, 64, "%s", store_col(st, 0));
        snprintf(name, 256, "%s", store_col(st, 1));
    }
    db_finalize(st);
    return rc == DB_ROW ? 0 : 1;
}

int store_value_year_totals(store *s, const char *form, const char *element, int year,
                            void (*fn)(void *ctx, const char *school_code, double v), void *ctx,
                            msk_err *err)
{
    /* the periods of school year Y: "Y", "Y-H1", "Y-H2", the months "Y-01".."Y-08" and
     * "(Y-1)-09".."(Y-1)-12" (form_period_school_year); an approved value wins over the
     * submitted one of the same period */
    db_stmt *st = NULL;
    if (store_prep(s,
                   "WITH v(sid, period, value) AS ("
                   " SELECT school_id, period, value FROM data_value"
                   "  WHERE element = ?1 AND status = 'approved' AND value IS NOT NULL"
                   " UNION ALL SELECT su.school_id, su.period, sv.value FROM submission su"
                   "  JOIN submission_value sv ON sv.submission_id = su.id"
                   "  WHERE su.form = ?2 AND sv.element = ?1 AND su.status = 'submitted'"
                   "   AND sv.value IS NOT NULL AND NOT EXISTS (SELECT 1 FROM data_value d"
                   "   WHERE d.element = ?1 AND d.school_id = su.school_id"
                   "    AND d.period = su.period AND d.status = 'approved'"
                   "    AND d.value IS NOT NULL))"
                   " SELECT sc.code, sum(v.value) FROM v JOIN school sc ON sc.id = v.sid"
                   " WHERE v.period IN (?3, ?3 || '-H1', ?3 || '-H2')"
                   "  OR (length(v.period) = 7 AND ((substr(v.period, 1, 5) = ?3 || '-'"
                   "   AND substr(v.period, 6, 2) BETWEEN '01' AND '08')"
                   "   OR (substr(v.period, 1, 5) = ?4 || '-'"
                   "   AND substr(v.period, 6, 2) BETWEEN '09' AND '12')))"
                   " GROUP BY sc.code ORDER BY sc.code",
                   &st, AREA, err))
        return -1;
    char y[16], y1[16];
    snprintf(y, sizeof y, "%d", year);
    snprintf(y1, sizeof y1, "%d", year - 1);
    bind_text(st, 1, element);
    bind_text(st, 2, form);
    bind_text(st, 3, y);
    bind_text(st, 4, y1);
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        fn(ctx, store_col(st, 0), db_column_double(st, 1));
    db_finalize(st);
    return rc == DB_DONE ? 0 : store_db_err(s, err, AREA, "значения показателя формы");
}

int store_submitted_year_values(store *s, const char *element, int year,
                                void (*fn)(void *ctx, const char *school_code, double v), void *ctx,
                                msk_err *err)
{
    /* the submissions still waiting for the analyst (status submitted) of the year period; of
     * two forms of one school carrying the element the later submitted wins (SQLite takes the
     * bare column from the max() row) */
    db_stmt *st = NULL;
    if (store_prep(s,
                   "SELECT sc.code, sv.value, max(coalesce(su.submitted_at, '')) FROM submission su"
                   " JOIN submission_value sv ON sv.submission_id = su.id"
                   " JOIN school sc ON sc.id = su.school_id"
                   " WHERE sv.element = ?1 AND su.status = 'submitted' AND su.period = ?2"
                   "  AND sv.value IS NOT NULL"
                   " GROUP BY sc.code ORDER BY sc.code",
                   &st, AREA, err))
        return -1;
    char y[16];
    snprintf(y, sizeof y, "%d", year);
    bind_text(st, 1, element);
    bind_text(st, 2, y);
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        fn(ctx, store_col(st, 0), db_column_double(st, 1));
    db_finalize(st);
    return rc == DB_DONE ? 0 : store_db_err(s, err, AREA, "сданные значения показателя");
}

int store_forms_submitted(store *s, void (*fn)(void *ctx, const char *form), void *ctx,
                          msk_err *err)
{
    db_stmt *st = NULL;
    if (store_prep(s, "SELECT DISTINCT form FROM submission WHERE status = 'submitted'", &st, AREA,
                   err))
        return -1;
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        fn(ctx, store_col(st, 0));
    db_finalize(st);
    return rc == DB_DONE ? 0 : store_db_err(s, err, AREA, "сданные формы");
}

int store_value_rows(store *s, const char *form, const char *element, int with_submitted,
                     void (*fn)(void *ctx, int64_t school_id, const char *period, double v),
                     void *ctx, msk_err *err)
{
    db_stmt *st = NULL;
    if (!with_submitted) {
        if (store_prep(s,
                       "SELECT school_id, period, value FROM data_value"
                       "  WHERE element = ?1 AND status = 'approved' AND value IS NOT NULL",
                       &st, AREA, err))
            return -1;
    } else if (store_prep(s,
                          "SELECT school_id, period, value FROM data_value"
                          "  WHERE element = ?1 AND status = 'approved' AND value IS NOT NULL"
                          " UNION ALL SELECT su.school_id, su.period, sv.value FROM submission su"
                          "  JOIN submission_value sv ON sv.submission_id = su.id"
                          "  WHERE su.form = ?2 AND sv.element = ?1 AND su.status = 'submitted'"
                          "   AND sv.value IS NOT NULL AND NOT EXISTS (SELECT 1 FROM data_value d"
                          "   WHERE d.element = ?1 AND d.school_id = su.school_id"
                          "    AND d.period = su.period AND d.status = 'approved'"
                          "    AND d.value IS NOT NULL)",
                          &st, AREA, err))
        return -1;
    bind_text(st, 1, element);
    if (with_submitted)
        bind_text(st, 2, form);
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        fn(ctx, db_column_int64(st, 0), store_col(st, 1), db_column_double(st, 2));
    db_finalize(st);
    return rc == DB_DONE ? 0 : store_db_err(s, err, AREA, "значения показателя формы");
}
