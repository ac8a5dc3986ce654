/*
 * The ШНОР definitions of the other acts (method/shnor.h, «the other acts' definitions»):
 * internal to method/shnor*.c; shnor_run_in chooses one by [shnor] rule.
 */
#ifndef MSK_SHNOR_RULES_H
#define MSK_SHNOR_RULES_H

#include "method/shnor.h"

/* seed 000 §6.5, rule = below_minimum. */
int shnor_below_run(const model *m, int year, const meth_file *f, json_t **out, msk_err *err);
/* seed 001, rule = region_dynamics; in may be NULL. */
int shnor_region_run(const model *m, int year, const meth_file *f, const shnor_inputs *in,
                     json_t **out, msk_err *err);

#endif
