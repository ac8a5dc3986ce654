/*
 * What msoko compares a school with and what others list (issue 19, migration 5): a year's
 * own scales loaded from a file (the defaults of msoko init are year 0), the benchmark rows of
 * a ФИС ОКО statistics file (municipality, region, RF per procedure), and the external lists
 * of schools (ФИОКО's ШНОР list, the federal and regional non-objectivity lists). Writers run
 * inside the caller's import transaction; each row carries its import batch (undo).
 */
#ifndef MSK_STORE_BENCHMARK_H
#define MSK_STORE_BENCHMARK_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/* ---- a year's scales ---- */
/* Insert or replace the scale (sc->year > 0) from import batch batch_id and empty its primary →
 * test table (the file brings the whole table); *id gets its id, *replaced (may be NULL) is
 * increased by the points removed. */
int store_scale_import(store *s, const store_scale *sc, int64_t batch_id, int64_t *id,
                       int64_t *replaced, msk_err *err);
/* Empty a scale's primary → test table; *replaced (may be NULL) grows by the points removed. */
int store_scale_points_clear(store *s, int64_t scale_id, int64_t *replaced, msk_err *err);
/* Id of the year's own scale (not the default): 0, or 1 when there is none. */
int store_scale_own(store *s, int year, const char *kind, const char *subject, int grade,
                    int64_t *id);
int store_scale_point_import(store *s, int64_t scale_id, int primary, int test, int64_t batch_id,
                             msk_err *err);
/* Results of (year, kind, subject, grade) already stored with a primary score (their marks
 * were computed, or checked, against the scale in force then). */
int64_t store_scale_results(store *s, int year, const char *kind, const char *subject, int grade);
/* The primary → test table of a scale, ascending: up to cap pairs into primary/test; returns
 * how many there are. */
size_t store_scale_points(store *s, int64_t scale_id, int *primary, int *test, size_t cap);

/* The scale in force for (year, kind, subject, grade): 0 with *scale_year (0 = the default)
 * and its source into src, or 1 when there is none. */
int store_scale_source(store *s, int year, const char *kind, const char *subject, int grade,
                       int *scale_year, char *src, size_t srcsz);

/* ---- benchmarks ---- */
typedef struct store_bench {
    int64_t procedure_id, batch_id;
    const char *level; /* "municipality", "region", "rf" */
    const char *name;  /* as the file names it: «Краснодарский край», «РФ» */
    int participants, mark2, mark3, mark4, mark5, below_min; /* STORE_NONE if not given */
    double mean_score; /* the mean test score (seed 001: «среднекраевой балл»); NAN if none */
} store_bench;
/* Insert or replace the row of (procedure, level); *replaced (may be NULL) +1 when it existed. */
int store_bench_put(store *s, const store_bench *b, int64_t *replaced, msk_err *err);

typedef struct store_bench_row {
    char kind[16], subject[24], level[16], name[128];
    int grade, participants, mark2, mark3, mark4, mark5, below_min;
    double mean_score; /* NAN when the file gave none */
} store_bench_row;
/* Benchmarks of the procedures of year, in procedure then level order (owned: free()). */
int store_bench_year(store *s, int year, store_bench_row **rows, size_t *n, msk_err *err);

/* ---- external lists ---- */
/* List codes: "shnor_fioko", "nonobj_federal", "nonobj_regional". */
/* Remove the list of year (before the file's rows replace it); *deleted (may be NULL) grows. */
int store_extlist_clear(store *s, int year, const char *list, int64_t *deleted, msk_err *err);
int store_extlist_put(store *s, int year, int64_t school_id, const char *list, const char *reason,
                      int64_t batch_id, msk_err *err);
typedef struct store_extlist_row {
    char school[64], list[24], reason[256];
} store_extlist_row;
/* The external lists of year by list and school code (owned: free()). */
int store_extlist_year(store *s, int year, store_extlist_row **rows, size_t *n, msk_err *err);

#endif
