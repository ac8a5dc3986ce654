/*
 * The engine: one analysis of a year, the way `msoko analyze`, the web and the report run it.
 * It loads the methodology files (presets in methods/, or files the caller names), the model of
 * the year and the two before it (analysis depth ≥ 3 years, seed 001), runs ШНОР, risk, rating,
 * monitoring indicators and objectivity, and stores one analysis run with its findings and the
 * plan items the acts require (seed 004 п. 2.1, 3.7, 4.2) in one transaction.
 */
#ifndef MSK_ENGINE_H
#define MSK_ENGINE_H

#include "base/err.h"
#include "store/store.h"

#include <jansson.h>
#include <stddef.h>

enum { ENGINE_SHNOR, ENGINE_RISK, ENGINE_RATING, ENGINE_OBJ, ENGINE_NMETHODS };

typedef struct engine_opts {
    /* Methodology files given by the user (NULL-terminated list may be empty); each replaces the
     * preset of the method its file name starts with (shnor, risk, rating, objectivity). */
    const char *const *methods;
    size_t nmethods;
    const char *user; /* recorded in the run; NULL = "" */
} engine_opts;

typedef struct engine_timing {
    double load, shnor, risk, rating, rest; /* seconds */
    size_t results, schools;
} engine_timing;

/* Path of the preset methodology file name ("shnor", "risk", "rating-vladikavkaz",
 * "objectivity", "recommendations" …): $MSOKO_METHODS/<name>.ini, ./methods/<name>.ini, or
 * methods/ beside the running binary. Returns 1 and fills out when found, else 0. */
int engine_preset_path(const char *name, char *out, size_t outsz);

/* Which method a methodology file is for, by its file name's start: ENGINE_SHNOR … or -1. */
int engine_method_of(const char *path);

/* Run and store the analysis of year. *doc (owned by the caller, may be NULL if not wanted) gets
 * {"year", "shnor", "risk", "rating", "objectivity", "indicators", "methods": [names]} — the
 * contract of `analyze --json` (without "methods", which the CLI drops). timing may be NULL.
 * On error returns -1 with err filled and the database unchanged. */
int engine_analyze(store *s, int year, const engine_opts *o, json_t **doc, engine_timing *timing,
                   msk_err *err);

#endif
