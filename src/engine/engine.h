/*
 * The engine: one analysis of a year, the way `msoko analyze`, the web and the report run it.
 * It loads the methodology files (presets in methods/, or files the caller names), the model of
 * the year and the two before it (analysis depth ≥ 3 years, seed 001), runs ШНОР, risk, rating,
 * monitoring indicators and objectivity (engine_run), and stores one analysis run with its
 * findings and the plan items the acts require (seed 004 п. 2.1, 3.7, 4.2) inside the
 * transaction of the use case (engine_save, called by app_analyze).
 */
#ifndef MSK_ENGINE_H
#define MSK_ENGINE_H

#include "base/err.h"
#include "store/store.h"

#include <jansson.h>
#include <stdio.h>
#include <stddef.h>

enum { ENGINE_SHNOR, ENGINE_RISK, ENGINE_RATING, ENGINE_OBJ, ENGINE_NMETHODS };

typedef struct engine_opts {
    /* Methodology files given by the user (NULL-terminated list may be empty); each replaces the
     * preset of the method its file name starts with (shnor, risk, rating, objectivity). */
    const char *const *methods;
    size_t nmethods;
    /* 1: the caller builds no document (engine_doc), so the indented text of the directions
     * for `analyze --json` is not written */
    int no_doc;
} engine_opts;

typedef struct engine_timing {
    double load, shnor, risk, rating, rest; /* seconds */
    double directions;                      /* the directions of methods/directions/ */
    size_t results, schools;
} engine_timing;

/* Path of the preset methodology file name ("shnor", "risk", "rating-vladikavkaz",
 * "objectivity", "recommendations" …): $MSOKO_METHODS/<name>.ini, ./methods/<name>.ini, or
 * methods/ beside the running binary. Returns 1 and fills out when found, else 0. */
int engine_preset_path(const char *name, char *out, size_t outsz);

/* Which method a methodology file is for, by its file name's start: ENGINE_SHNOR … or -1. */
int engine_method_of(const char *path);

/* The computed analysis of a year, not yet stored. */
typedef struct engine_result engine_result;

/* Compute the analysis of year (reads the store, writes nothing; no transaction needed).
 * *out is released with engine_result_free. timing may be NULL. -1 with err on failure. */
int engine_run(store *s, int year, const engine_opts *o, engine_result **out, engine_timing *timing,
               msk_err *err);
/* Store a computed analysis: the run, its findings, the plan items the acts require and the
 * due dates of generated items. Call inside a transaction (app_analyze writes the audit row).
 * user is recorded in the run. */
int engine_save(store *s, const engine_result *r, const char *user, msk_err *err);
/* {"year", "shnor", "risk", "rating", "objectivity", "indicators", "directions" (issue 15,
 * docs/directions-format.md), "methods": [names]} — the
 * contract of `analyze --json` (without "methods", which the CLI drops); a new reference. */
json_t *engine_doc(const engine_result *r);
/* The directions' array is built as text, not as a tree (docs/performance.md): in engine_doc
 * their place holds a mark and the text rides in a member beside it. engine_doc_print writes
 * to out the document as json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER |
 * JSON_REAL_PRECISION(6)) would with the array in its place, and a newline (the
 * `analyze --json` output; the members that carry the text are taken out of doc): 0, or -1
 * when writing failed. engine_doc_directions gives the number of directions and how many are
 * on target, below it, without data. */
int engine_doc_print(json_t *doc, FILE *out);
void engine_doc_directions(const json_t *doc, int *n, int *on_target, int *below, int *no_data);
int engine_year(const engine_result *r);
void engine_result_free(engine_result *r);

#endif
