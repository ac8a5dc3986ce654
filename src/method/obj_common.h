/*
 * Private to the objectivity signs (src/method/obj_*.c, objectivity.c): the helpers every
 * sign shares. Defined in objectivity.c.
 */
#ifndef MSK_OBJ_COMMON_H
#define MSK_OBJ_COMMON_H

#include "method/objectivity.h"

#include <stddef.h>

/* The methodology file's name for messages, or «(встроенная методика)» without one. */
const char *obj_fname(const meth_file *f);
/* Row i is a first main-period result of a present participant (METHODS.md §2: retakes,
 * past-year graduates and absentees are not the school's own assessment of this year). */
int obj_counted(const model *m, size_t i);
/* sel[p] = 1 for the procedures of `year` named in [objectivity] procedures (default: ВПР math
 * and Russian 4 and 5, ОГЭ math and Russian). sel has m->nprocs entries. */
int obj_select_procs(const model *m, int year, const meth_file *f, char *sel, msk_err *err);
/* v with `dec` decimals and a decimal comma (UI.md). */
void obj_num_ru(double v, int dec, char *out, size_t outsz);
/* Append sign o to signs[code], creating the array; steals o (NULL o → -1). */
int obj_add_sign(json_t *signs, const char *code, json_t *o);
/* Spearman's r_s of x, y (n ≥ 2): the Pearson correlation of average ranks (ties share their
 * mean rank). idx, rx, ry are scratch of n entries each. NAN when either side is all tied. */
double obj_spearman(const double *x, const double *y, size_t n, size_t *idx, double *rx,
                    double *ry);
/* sel[p] = 1 for the procedures of `year` named in [sec] procedures (ВИД:предмет:класс, «*» any),
 * or in dflt[0..ndflt) when the key is absent. sel has m->nprocs entries. */
int obj_section_procs(const model *m, int year, const meth_file *f, const char *sec,
                      const char *const *dflt, size_t ndflt, char *sel, msk_err *err);
/* Fill rows (m->res.n entries of room) with the counted rows of selected procedures that carry
 * every task byte, sorted by (procedure, school); returns how many. */
size_t obj_task_rows(const model *m, const char *sel, size_t *rows);
/* qsort_r order of result row indices by (procedure, school, row); ctx is the model. */
int obj_cmp_proc_school(const void *a, const void *b, void *ctx);
/* Sort rows[0..n) into that order: by two stable counting passes (school, then procedure) when
 * the rows are ascending, as the methods collect them, else qsort_r with obj_cmp_proc_school
 * — the same permutation either way (the order is total). */
void obj_sort_proc_school(const model *m, size_t *rows, size_t n);
/* tmax[t] for the tasks of procedure p: the scale's maximum, else the highest score among
 * rows[0..n) (0 when nobody scored: the task is then left out). */
void obj_task_max(const model *m, int32_t p, const size_t *rows, size_t n, int *tmax);
/* Type-7 quantile of sorted x[0..n), n ≥ 1; and a qsort comparator of doubles. */
double obj_quantile(const double *x, size_t n, double q);
int obj_cmp_double(const void *a, const void *b);

#endif
