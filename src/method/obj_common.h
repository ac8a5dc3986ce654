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

#endif
