/*
 * What the ШНОР rule of seed 001 reads besides the model (method/shnor.h, shnor_inputs): the
 * region's mean ЕГЭ scores of the year and the year before (benchmarks), and the schools ever
 * on a list of non-objective results — msoko's own objectivity lists of the years before the
 * one analysed and the federal and regional lists loaded for any year up to it.
 */
#ifndef MSK_ENGINE_SHNOR_IN_H
#define MSK_ENGINE_SHNOR_IN_H

#include "method/shnor.h"
#include "store/store.h"

typedef struct engine_shnor_in {
    shnor_inputs in; /* points into the arrays below */
    shnor_region_mean *region;
    shnor_nonobj *nonobj;
} engine_shnor_in;

/* Gather the inputs of year's analysis from s (read only). Returns 0, or -1 with err; release
 * with engine_shnor_in_release (also after a failure). */
int engine_shnor_in_load(store *s, int year, engine_shnor_in *o, msk_err *err);
void engine_shnor_in_release(engine_shnor_in *o);

#endif
