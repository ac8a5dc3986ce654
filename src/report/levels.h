/*
 * The school's results beside the municipality, the region and the RF in the school's report
 * (issue 19; seed 001: «отклонение … от средних значений по Российской Федерации и по
 * Краснодарскому краю»), from the "levels" of view_school's procedures (view/bench.c).
 */
#ifndef MSK_REPORT_LEVELS_H
#define MSK_REPORT_LEVELS_H

#include "report/doc.h"
#include "view/view.h"

#include <jansson.h>

/* A table of every procedure of procs that has a region or RF row: the school and each level's
 * participants, success and quality. Nothing when no procedure has one. */
void report_levels_table(doc *d, const json_t *procs, int year);

/* The municipality beside the region and the RF (view_benchmarks), for the municipal report;
 * nothing when no procedure of the year has a region or RF row. */
void report_levels_muni(doc *d, const view_year *v, const view_ctx *c);

#endif
