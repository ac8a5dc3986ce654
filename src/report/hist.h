/*
 * Primary-score histograms of every school and procedure of a year, computed in one pass for
 * `msoko report --all-schools`. view_procedure (src/view) gives the same histogram for one
 * school, but passes over every row of the procedure (tasks, journal, all schools' marks) on
 * each call — 25 ms a school in a 2,000-school region. This counts the same rows the same way
 * (absent pupils, retakes and past-year graduates left out; scores rounded, capped at the
 * largest of the scale's maximum and the highest score) once for all schools; tests/cli/report.sh
 * checks the two give identical reports.
 */
#ifndef MSK_REPORT_HIST_H
#define MSK_REPORT_HIST_H

#include "base/err.h"
#include "store/store.h"

#include <stddef.h>

typedef struct report_hist report_hist;

int report_hist_load(store *s, int year, report_hist **out, msk_err *err);
void report_hist_free(report_hist *h);
/* Counts per score 0..*n-1 for procedure key ("VPR-math-5") of the year: the municipality's
 * and the school's (NULL when unknown), and the cut-offs of marks 3, 4, 5 (NAN when none).
 * Returns 0, or 1 when the procedure or school is unknown. Pointers live as long as h. */
int report_hist_get(const report_hist *h, const char *key, const char *school, const int **muni,
                    const int **mine, size_t *n, double cuts[3]);

#endif
