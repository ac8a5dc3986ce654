/*
 * Monitoring forms (DHIS2 data sets): definitions read from the INI files of methods/forms/,
 * periods, values typed by their data element, validation rules such as `teachers_36h <=
 * teachers_total`, the submission workflow draft → submitted → returned → approved with its
 * permissions, and the indicator tables per school and for the municipality. See docs/forms.md.
 */
#ifndef MSK_FORM_H
#define MSK_FORM_H

#include "base/err.h"
#include "store/form.h"

#include <stddef.h>
#include <stdint.h>

/* ---- definitions ---- */

/* Read a form definition from an INI file (format in docs/forms.md). Every rule and indicator
 * may name only the form's elements. out is released by the caller (store_form_release). */
int form_load_ini(const char *path, store_form *out, msk_err *err);
/* The same from text; name is used in messages. */
int form_load_ini_str(const char *name, const char *text, store_form *out, msk_err *err);

/* ---- periods ---- */
/* period_type "year": "2024" (school year 2023/24); "half_year": "2024-H1" (September–December
 * 2023), "2024-H2" (January–May 2024); "month": "2024-09". 1 when period fits the type. */
int form_period_ok(const char *period_type, const char *period);
/* The period before (the previous year, half-year, month) into out (16 bytes). */
void form_period_prev(const char *period_type, const char *period, char out[16]);
/* The school year (by its end, as everywhere in msoko) period lies in: "2024", "2024-H1",
 * "2024-H2", "2024-05" → 2024; "2024-09" → 2025. Whose analysis assigns a list's form. */
int form_period_school_year(const char *period_type, const char *period);
/* The date submissions of period are due: its last day plus due_days, YYYY-MM-DD. */
void form_period_due(const char *period_type, const char *period, int due_days, char out[11]);

/* ---- values and validation ---- */
typedef struct form_msg {
    char element[64]; /* the field the message belongs next to; "" for the whole form */
    char text[512];
} form_msg;

typedef struct form_msgs {
    form_msg *m;
    size_t n;
} form_msgs;
void form_msgs_release(form_msgs *m);

/* Parse text as a value of element e («12», «0,5», «да»/«нет», empty = no value). Returns 0, or
 * -1 with a Russian message in msg (type, limits). */
int form_parse_value(const store_form_elem *e, const char *text, store_fvalue *out, char *msg,
                     size_t msgsz);

/* Check values against the form: limits (always), required elements and rules (when submit).
 * A rule with a missing value is skipped, as DHIS2 does. Messages are appended to out; returns
 * the number of problems. */
int form_check(const store_form *f, const store_fvalue *v, size_t n, int submit, form_msgs *out);

/* Evaluate a rule: 1 holds, 0 violated, 2 skipped (a value is missing), -1 bad syntax.
 * get(code) returns 1 and *value when the element has a value. */
int form_rule_eval(const char *expr, int (*get)(void *ctx, const char *code, double *value),
                   void *ctx);

/* ---- workflow ---- */
/* Who acts: role "admin", "analyst" (whole municipality) or "school" (school_id only). */
typedef struct form_actor {
    const char *user, *role;
    int64_t school_id;
} form_actor;

/* Save a draft of (form, school, period): pairs are "code=value" (value empty = clear). Every
 * value is parsed and checked against its limits first; any problem → nothing is written, the
 * messages say which field and why, returns 1. A school may fill only its own school's form,
 * and nobody a form that is submitted (until returned) or approved: -1 with err. */
int form_fill(store *s, const form_actor *a, const char *form, const char *school_code,
              const char *period, const char *const *pairs, size_t npairs, form_msgs *msgs,
              msk_err *err);
/* Submit: all checks (required, limits, rules); 1 with messages when any fails. */
int form_submit(store *s, const form_actor *a, const char *form, const char *school_code,
                const char *period, form_msgs *msgs, msk_err *err);
/* Return a submitted form to the school with a comment (analyst, admin). */
int form_return(store *s, const form_actor *a, const char *form, const char *school_code,
                const char *period, const char *comment, msk_err *err);
/* Approve a submitted form (analyst, admin): its values become the approved values the
 * methods read (data_value). */
int form_approve(store *s, const form_actor *a, const char *form, const char *school_code,
                 const char *period, form_msgs *msgs, msk_err *err);

/* ---- indicator tables ---- */
typedef struct form_table {
    size_t nschools, ncols;
    char (*school)[64];
    char (*school_name)[256];
    const char **col_code, **col_name, **col_unit; /* point into the form */
    int *col_share;                                /* 1: an indicator num/den */
    double *cur, *prev;                            /* nschools × ncols, NAN = no value */
    double *mun_cur, *mun_prev;                    /* ncols: sums, or sum(num)/sum(den) */
    char period[16], prev_period[16];
} form_table;

int form_table_build(store *s, const store_form *f, const char *period, form_table *t,
                     msk_err *err);
/* form_table_build of the schools keep(keep_ctx, code) accepts (a municipality's: issue 17
 * item 2); the municipal sums are theirs. keep NULL: every school. */
int form_table_build_in(store *s, const store_form *f, const char *period,
                        int (*keep)(void *ctx, const char *school), void *keep_ctx, form_table *t,
                        msk_err *err);
void form_table_release(form_table *t);
/* Write the table to an XLSX file (one sheet, the previous period beside each column). */
int form_table_xlsx(const store_form *f, const form_table *t, const char *path, msk_err *err);

#endif
