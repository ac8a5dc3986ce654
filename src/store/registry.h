/*
 * Registries of the acts (issue 15 items 2–3, migration 16): teachers (seed 001 п. 8.x, 9.x),
 * their courses of ДПО (п. 9.x), the bank of experts (п. 1.13), gifted pupils (п. 4.8), the
 * management reserve (п. 7.4), best practices (п. 4.8, 8.x). One generic table registry_row: a
 * row is (kind, year, school, code, rkey, data) where data is a JSON object keyed by the kind's
 * column codes (methods/registries/KIND.ini): text and choice columns as strings (a choice as its
 * code, e.g. category "highest" | "first" | "conformity" | "none"), int/number columns as
 * numbers, yes/no columns as 1/0, dates as "YYYY-MM-DD". Pupils are codes, never names.
 * The write functions expect an open transaction (src/app/registry.c).
 */
#ifndef MSK_STORE_REGISTRY_H
#define MSK_STORE_REGISTRY_H

#include "base/err.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

enum {
    STORE_REGISTRY_FILTERS = 4, /* column filters of one query */
};

typedef struct store_registry_row {
    int64_t id;
    const char *kind;
    int year;
    const char *school; /* the school's code */
    const char *code;   /* the person's (or practice's) code */
    const char *rkey;   /* the row's key within (kind, year, school) */
    const char *data;   /* JSON object: column code → value */
    int64_t batch_id;   /* 0 when the row was not imported */
    const char *created_at, *created_by;
} store_registry_row;

typedef struct store_registry_query {
    const char *kind;   /* required */
    int year;           /* 0 = every year */
    const char *school; /* a school's code; NULL = every school */
    const char *code;   /* a row's code exactly; NULL = any */
    const char *text;   /* substring of the code or of any value; NULL or "" = any */
    /* column filters: data.col = val (val "1"/"0" for yes/no; numbers compare as numbers) */
    const char *col[STORE_REGISTRY_FILTERS], *val[STORE_REGISTRY_FILTERS];
    int limit, offset;    /* limit 0 = all */
    int64_t municipality; /* the schools of this municipality only; 0 = every school */
} store_registry_query;

/* Is name a column code the store accepts ([a-z0-9_]{1,40})? */
int store_registry_col_ok(const char *name);
/* Rows matching q, by year, school, code, id; *total (may be NULL) = all rows matching q
 * regardless of limit/offset. */
int store_registry_list(store *s, const store_registry_query *q,
                        void (*fn)(void *ctx, const store_registry_row *r), void *ctx,
                        int64_t *total, msk_err *err);
/* One row; 1 when there is none. */
int store_registry_get(store *s, int64_t id, void (*fn)(void *ctx, const store_registry_row *r),
                       void *ctx, msk_err *err);
/* A new row (data: a JSON object). replace = 1: a row with the same (kind, year, school, rkey)
 * is replaced, its id kept; replace = 0: such a row is left as it is (*added = 0). In a
 * transaction. *added (may be NULL) = 1 when a row was written. */
int store_registry_put(store *s, const char *kind, int year, int64_t school_id, const char *code,
                       const char *rkey, const char *data, int64_t batch_id, const char *user,
                       int replace, int *added, int64_t *id, msk_err *err);
/* Update the row id in place (school, year, code, key and data). 1 when there is none. In a
 * transaction. */
int store_registry_update(store *s, int64_t id, int year, int64_t school_id, const char *code,
                          const char *rkey, const char *data, msk_err *err);
/* Delete the row id; 1 when there is none. In a transaction. */
int store_registry_delete(store *s, int64_t id, msk_err *err);
/* Delete every row of kind and year of the school (an import replaces them). In a transaction. */
int store_registry_clear(store *s, const char *kind, int year, int64_t school_id, int64_t *deleted,
                         msk_err *err);
/* Set data.col = value (an integer) on the rows of kind with code (year 0 = every year; school
 * NULL = any). *changed = rows changed. In a transaction. */
int store_registry_set_int(store *s, const char *kind, const char *code, int year,
                           const char *school, const char *col, int value, int64_t *changed,
                           msk_err *err);
/* The rows of kind as the audit keeps them for code (JSON array text), malloc'd into *out. */
int store_registry_snapshot(store *s, const char *kind, const char *code, int year, char **out,
                            msk_err *err);
/* Count of rows of kind (year 0 = every year). */
int64_t store_registry_count(store *s, const char *kind, int year);

/* Per-school aggregate of registry rows of kind for year: count of rows matching the filter
 * (filter_col NULL = all rows), or the sum of sum_col when it is non-NULL. cb is called once per
 * school that has rows. op is one of "=", "!=", ">=", "<=", ">", "<". */
int store_registry_school_totals(store *s, const char *kind, int year, const char *filter_col,
                                 const char *op, const char *filter_val, const char *sum_col,
                                 void (*cb)(void *ctx, const char *school_code, double v),
                                 void *ctx, msk_err *err);
/* The same per school, counting the distinct codes (people, practices) of the matching rows: a
 * gifted pupil of two subjects, a worker in the reserve for two posts is one. */
int store_registry_school_codes(store *s, const char *kind, int year, const char *filter_col,
                                const char *op, const char *filter_val,
                                void (*cb)(void *ctx, const char *school_code, double v), void *ctx,
                                msk_err *err);
/* The distinct codes of a running bank as of year (seed 001 п. 1.13, 8.4: «Постоянно»): rows
 * included in year or before (column year) and not excluded by then (column excluded — the
 * year of exclusion — empty or after year). */
int store_registry_bank_codes(store *s, const char *kind, int year, const char *filter_col,
                              const char *op, const char *filter_val,
                              void (*cb)(void *ctx, const char *school_code, double v), void *ctx,
                              msk_err *err);

/* One olympiad result that makes a pupil gifted (seed 001 п. 4.8): stage municipal or higher,
 * status winner or prizer. */
typedef struct store_gifted_source {
    const char *school, *pupil, *subject, *stage, *status; /* status: winner | prizewinner */
    int year, grade;
    int64_t school_id;
} store_gifted_source;
/* The olympiad results of year at the municipal, regional or final stage with status winner or
 * prizewinner, by school, pupil, subject, the highest stage first. */
int store_registry_gifted_sources(store *s, int year,
                                  void (*fn)(void *ctx, const store_gifted_source *g), void *ctx,
                                  msk_err *err);

#endif
