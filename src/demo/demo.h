/*
 * The demo municipality: a generated, deterministic, realistic set of schools with every kind
 * of data msoko analyses, and known planted cases recorded in demo_truth so that tests and
 * benchmarks can score the methods against ground truth.
 */
#ifndef MSK_DEMO_H
#define MSK_DEMO_H

#include "base/err.h"
#include "store/store.h"

#include <stdint.h>

typedef struct demo_opts {
    int schools;            /* number of schools, >= 1 */
    int year_from, year_to; /* school years by their ending year: 2024 = 2023/2024 */
    uint64_t seed;          /* same seed and options → byte-identical database content */
    int municipalities;     /* the schools spread over this many (0 or 1: one municipality) */
    int first_code;         /* the first school's number in its code sch000001 (0 = 1): two
                               municipalities with apart numbers share no school (msoko migrate) */
} demo_opts;

typedef struct demo_summary {
    int64_t schools, procedures, results, aggregates, values, olympiad, graduates, truth;
    int64_t contests; /* contest participants (pupils and teachers) */
    /* the planted strong-intake, weak-teaching school (issue 16, value added); "" when none */
    char weak_teaching[16];
} demo_summary;

/* Fill an initialised, empty store with a generated municipality. Runs in one transaction
 * (the caller must not have one open). Returns 0, or -1 with err filled and the store
 * unchanged. */
int demo_generate(store *s, const demo_opts *o, demo_summary *sum, msk_err *err);

/* ---- monitoring forms (gen_forms.c, docs/directions.md «Демо») ---- */

/* One school as the form generator sees it: its size, its graduates, the values it already
 * has for the year (approved: the context; kept as they are), and whether it is one of the
 * schools that are weak on purpose (below the directions' targets). */
typedef struct demo_known {
    char element[64];
    double value;
} demo_known;

typedef struct demo_form_school {
    int index; /* position among the schools: the random stream and weakness depend on it */
    int weak;
    double pupils, teachers, grads9, grads11, spo9, spo11, vo11, medalists;
    demo_known *known;
    size_t nknown;
} demo_form_school;

struct store_form;
/* Values of every element of form f for school sc in the k-th year (0 = the first) into
 * v[f->nel] (NAN for a text element: the caller writes its text): known values as they are,
 * the rest scaled to the school, every rule of the form satisfied. Same arguments → same
 * values. Returns 0, or -1 when a rule has a shape the generator cannot satisfy. */
int demo_form_values(const struct store_form *f, const demo_form_school *sc, int k, uint64_t seed,
                     double *v);

typedef struct demo_forms_opts {
    int year_from, year_to; /* school years by their ending year */
    uint64_t seed;
} demo_forms_opts;

typedef struct demo_forms_summary {
    int64_t submissions, values, skipped; /* skipped: already submitted, left as they are */
} demo_forms_summary;

/* Submit one filled form of school for period: pairs are «code=value» as the form page
 * posts them. The CLI passes fill → submit → approve of src/app/ (one transaction and one
 * audit row each). Returns 0, or -1 with err. */
typedef int (*demo_form_submit_fn)(void *ctx, const char *form, const char *school,
                                   const char *period, const char *const *pairs, size_t npairs,
                                   msk_err *err);

/* Fill every loaded form for every school it concerns (store_form_assigned) and every period
 * of years [year_from, year_to]: a year form once, a half-year form twice, a monthly form for
 * September–May. A (form, school, period) already submitted is skipped, so a second run adds
 * nothing. Call outside a transaction. Returns 0, or -1 with err (what was submitted stays). */
int demo_forms(store *s, const demo_forms_opts *o, demo_form_submit_fn submit, void *ctx,
               demo_forms_summary *sum, msk_err *err);

#endif
