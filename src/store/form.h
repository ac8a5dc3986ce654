/*
 * Monitoring forms in the store (DHIS2 data sets): a form's definition (data elements with
 * types, units, limits; validation rules; indicators; period type), schools' submissions per
 * (form, school, period) with their working values, the history of every value, and the
 * approved values in data_value that the methods read. The workflow and permissions live in
 * src/form/; these are the typed queries under it. See docs/forms.md.
 */
#ifndef MSK_STORE_FORM_H
#define MSK_STORE_FORM_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

typedef struct store_form_elem {
    char code[64], name[256], type[16], unit[32];
    double min, max; /* NAN = no limit */
    int required;
} store_form_elem;

typedef struct store_form_rule {
    char expr[256], message[512];
} store_form_rule;

/* sum(num) over schools, or sum(num) / sum(den) when den is not empty: a share computed from
 * numerators and denominators, never an average of schools' shares */
typedef struct store_form_ind {
    char code[64], name[256], num[64], den[64];
} store_form_ind;

typedef struct store_form {
    char code[64], name[256], period_type[16], source[512], sha256[65];
    int due_days; /* a period's submissions are due this many days after the period ends */
    /* who fills it: "" every school; "shnor", "risk", "objectivity" the schools of that list
     * in the latest analysis of the period's school year (store_form_assigned) */
    char schools[16];
    store_form_elem *el;
    size_t nel;
    store_form_rule *ru;
    size_t nru;
    store_form_ind *ind;
    size_t nind;
} store_form;

void store_form_release(store_form *f);

/* Create or replace a form's definition (its data elements are created or updated in
 * data_element). Call inside a transaction. */
int store_form_put(store *s, const store_form *f, msk_err *err);
/* Who fills the form (schools: "" all, "shnor", "risk", "objectivity") and its deadline (days
 * after the period ends, 0–366). Call inside a transaction; 1 when there is no such form. A
 * later load of the form's file sets both again from the file. */
int store_form_set_assign(store *s, const char *code, const char *schools, int due_days,
                          msk_err *err);
/* A form by code: 0 (out filled, release it), 1 when there is none, -1 on error. */
int store_form_get(store *s, const char *code, store_form *out, msk_err *err);
/* Every form's code and name, in code order; fn per form. */
int store_form_each(store *s,
                    void (*fn)(void *ctx, const char *code, const char *name,
                               const char *period_type, const char *source),
                    void *ctx, msk_err *err);

/* ---- submissions ---- */
typedef struct store_sub {
    int64_t id, school_id;
    char form[64], period[16], status[16], comment[1024], created_at[32], updated_at[32],
        updated_by[64], submitted_at[32], approved_at[32], approved_by[64];
} store_sub;

/* The submission of (form, school, period): 0 (out filled), 1 when there is none. */
int store_sub_get(store *s, const char *form, int64_t school_id, const char *period, store_sub *out,
                  msk_err *err);
/* Create a draft submission; *id gets its id. Call inside a transaction. */
int store_sub_create(store *s, const char *form, int64_t school_id, const char *period,
                     const char *user, int64_t *id, msk_err *err);

typedef struct store_fvalue {
    char element[64];
    int has_value;   /* 0 = no value (NULL) */
    double value;    /* number, count, share, bool (0/1) */
    char text[1024]; /* text elements */
    int from_file;   /* store_form_school_approved: the value was loaded by an import (batch) */
} store_fvalue;

/* The working values of a submission; *out owned by the caller (free). */
int store_sub_values(store *s, int64_t sub_id, store_fvalue **out, size_t *n, msk_err *err);
/* Set one working value (has_value 0 deletes it); a change is written to value_history
 * (stage 'draft') with before/after. *changed (may be NULL) is set to 1 when it changed.
 * Call inside a transaction. */
int store_sub_value_put(store *s, const store_sub *sub, const store_fvalue *v, const char *user,
                        int *changed, msk_err *err);
/* Set status (and comment, when not NULL), the time of the step and who made it. Call inside
 * a transaction; the use case (app_form_*) writes the audit row. */
int store_sub_set_status(store *s, const store_sub *sub, const char *status, const char *comment,
                         const char *user, msk_err *err);
/* Copy a submission's working values into data_value as approved values (each change to
 * value_history, stage 'approved'); an element the submission left empty keeps the value
 * data_value had (imported, or approved in another form). Call inside a transaction. */
int store_sub_publish(store *s, const store_sub *sub, const store_form *f, const char *user,
                      msk_err *err);

/* The approved values (data_value) of the form's elements for one school and period: where a
 * new draft starts from. *out owned by the caller (free). */
/* (from_file marks the values an import loaded: data_value.batch_id set.) */
int store_form_school_approved(store *s, const store_form *f, int64_t school_id, const char *period,
                               store_fvalue **out, size_t *n, msk_err *err);

/* ---- completeness and tables ---- */
typedef struct store_completeness_row {
    int64_t school_id;
    const char *code, *name, *status; /* status "" when the school has no submission */
    const char *submitted_at, *updated_at;
    const char *comment;   /* the analyst's comment of a returned submission, else "" */
    int approved_values;   /* approved values of the form's elements (imported ones included) */
    int approved_required; /* …of its required elements */
} store_completeness_row;
/* Every school the form is assigned to for period (year: the period's school year, see
 * store_form_assigned) with its submission of (form, period), in school code order. */
int store_form_completeness(store *s, const store_form *f, const char *period, int year,
                            void (*fn)(void *ctx, const store_completeness_row *r), void *ctx,
                            msk_err *err);
/* Whether the form concerns the school for period: every school when f->schools is empty;
 * else a school of that list in the latest analysis run of year (the period's school year,
 * form_period_school_year), or one that already has a submission of (form, period), so that
 * a rerun of the analysis does not hide a form the school has started. 1 yes, 0 no, -1 on
 * error. */
int store_form_assigned(store *s, const store_form *f, int64_t school_id, const char *period,
                        int year, msk_err *err);

/* Approved values (data_value) of the form's elements for period: fn(school code, name,
 * element, value) in school code order. */
int store_form_approved(store *s, const store_form *f, const char *period,
                        void (*fn)(void *ctx, const char *code, const char *name,
                                   const char *element, double value),
                        void *ctx, msk_err *err);

/* The value of element for each school in school year year (directions' form(FORM.ELEMENT)):
 * the year's period, or the sum over its half-years or months (September–August), from the
 * approved values (imported or approved forms) and, where a period has none, the school's
 * submitted values of form. fn once per school that has a value, in school code order. */
int store_value_year_totals(store *s, const char *form, const char *element, int year,
                            void (*fn)(void *ctx, const char *school_code, double v), void *ctx,
                            msk_err *err);

/* The rows store_value_year_totals sums, of every period at once (the directions read the
 * three years of an element in one pass): approved values of element, then the submitted
 * values of form of the periods that have no approved value. fn once per row, the approved
 * ones in (school id, period) order; with_submitted = 0: the approved ones only. Returns 0,
 * or -1 with err. */
int store_value_rows(store *s, const char *form, const char *element, int with_submitted,
                     void (*fn)(void *ctx, int64_t school_id, const char *period, double v),
                     void *ctx, msk_err *err);
/* The submitted (not yet approved) values of element for the year period year, of any form: fn
 * once per school that has one (the latest submitted), in school code order. The directions'
 * pupils() reads them where the context has no approved value, as form() does. */
int store_submitted_year_values(store *s, const char *element, int year,
                                void (*fn)(void *ctx, const char *school_code, double v), void *ctx,
                                msk_err *err);
/* The forms that have a submission in status submitted (sent, not yet approved): fn once each.
 * store_value_rows of the others may skip the submitted values (with_submitted = 0). */
int store_forms_submitted(store *s, void (*fn)(void *ctx, const char *form), void *ctx,
                          msk_err *err);

/* Value history of (school, period), newest first. */
int store_value_history(store *s, int64_t school_id, const char *period,
                        void (*fn)(void *ctx, const char *element, const char *stage,
                                   const char *at, const char *user, const char *before,
                                   const char *after),
                        void *ctx, msk_err *err);

/* A user's role and school (0 = none) by login: 0, or 1 when there is no such user. */
int store_user_role(store *s, const char *login, char role[16], int64_t *school_id);
/* School code and name of an id: 0, or 1 when there is none. */
int store_school_code(store *s, int64_t id, char code[64], char name[256]);

#endif
