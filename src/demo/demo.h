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

#endif
