/*
 * Analysis runs and their findings: what `msoko analyze` stores, so that reports and the web
 * show the same verdicts with the same evidence.
 */
#ifndef MSK_STORE_ANALYSIS_H
#define MSK_STORE_ANALYSIS_H

#include "base/err.h"
#include "store/store.h"

#include <stdint.h>

/* Start a run for (year, methods_hash), deleting an earlier run with the same year and hash
 * (and its findings). Call inside a transaction. */
int store_run_begin(store *s, int year, const char *methods_hash, const char *user, int64_t *run_id,
                    msk_err *err);
/* One finding of a run: method ("shnor", "risk", "rating", "objectivity" …), the school's
 * code (NULL for a municipal finding), a short verdict ("A", "AB", "risk", "rank 3") and the
 * evidence as JSON text. */
int store_finding_add(store *s, int64_t run_id, const char *method, const char *school_code,
                      int year, const char *verdict, const char *evidence_json, int64_t *id,
                      msk_err *err);
/* Remove the plan items an analysis generated into roadmap (those linked to a finding), so a
 * rerun replaces them; items loaded from files are kept. */
int store_plan_clear_generated(store *s, const char *roadmap, msk_err *err);

/* The schools of the lists of year's latest run — the findings of shnor, risk and objectivity
 * — without their evidence (the directions' list(…) of the years before): fn(method, school
 * code) per finding with a school; *analysed 0 when the year has no run. */
int store_run_listed(store *s, int year, int *analysed,
                     void (*fn)(void *ctx, const char *method, const char *school_code), void *ctx,
                     msk_err *err);

#endif
