/*
 * Reading a year range back out of the store for the model (model_load): every reader runs
 * one prepared query and calls fn once per row, so millions of results stream through without
 * being held twice. Rows point into SQLite's buffers: the strings and blobs of a row are valid
 * only during that call (copy what you keep). Readers only read: no transaction is needed.
 */
#ifndef MSK_STORE_READ_H
#define MSK_STORE_READ_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

typedef struct store_read_school {
    int64_t id;
    const char *code, *name, *type, *locality;
} store_read_school;
/* Every school, by id. Returns 0, or -1 with err. */
int store_read_schools(store *s, void (*fn)(void *ctx, const store_read_school *r), void *ctx,
                       msk_err *err);

typedef struct store_read_proc {
    int64_t id;
    int year, grade;
    const char *kind, *subject;
} store_read_proc;
/* Procedures of years [year_from, year_to], by id. */
int store_read_procedures(store *s, int year_from, int year_to,
                          void (*fn)(void *ctx, const store_read_proc *r), void *ctx, msk_err *err);

typedef struct store_read_task {
    int64_t procedure_id;
    int idx;       /* 1-based, as stored by store_procedure_task_put */
    int max_score; /* STORE_NONE if unknown */
} store_read_task;
/* Tasks of the procedures of years [year_from, year_to], by procedure and idx. */
int store_read_tasks(store *s, int year_from, int year_to,
                     void (*fn)(void *ctx, const store_read_task *r), void *ctx, msk_err *err);

typedef struct store_read_result {
    int64_t procedure_id, school_id;
    const char *pupil_code;
    double primary_score;               /* NAN if none */
    int mark, test_score, journal_mark; /* STORE_NONE if none */
    int retake, past_graduate, ovz, absent;
    const unsigned char *tasks; /* ntasks bytes, STORE_TASK_X = not attempted */
    size_t ntasks;
} store_read_result;
/* Every result row of the procedures of years [year_from, year_to], ordered by procedure. */
int store_read_results(store *s, int year_from, int year_to,
                       void (*fn)(void *ctx, const store_read_result *r), void *ctx, msk_err *err);

/* Aggregates of the procedures of years [year_from, year_to] (fields as in store_aggregate,
 * STORE_NONE where not given; batch_id 0). */
int store_read_aggregates(store *s, int year_from, int year_to,
                          void (*fn)(void *ctx, const store_aggregate *r), void *ctx, msk_err *err);

typedef struct store_read_value {
    const char *element;
    int64_t school_id;
    int year;
    double value;
} store_read_value;
/* Approved numeric values whose period is a year ("2024") in [year_from, year_to]; month
 * periods ("2024-09") and values without a number are left out. */
int store_read_values(store *s, int year_from, int year_to,
                      void (*fn)(void *ctx, const store_read_value *r), void *ctx, msk_err *err);

typedef struct store_read_form_value {
    const char *element, *period;
    int64_t school_id;
    double value;
} store_read_form_value;
/* Approved numeric values of every period from September of year_from - 1 up to the end of
 * school year year_to (a superset: the caller picks the periods of its school years), ordered
 * by element, school and period — the order store_value_rows gives one element's rows in. */
int store_read_form_values(store *s, int year_from, int year_to,
                           void (*fn)(void *ctx, const store_read_form_value *r), void *ctx,
                           msk_err *err);

/* Olympiad results of years [year_from, year_to] (batch_id 0, score NAN if none). */
int store_read_olympiads(store *s, int year_from, int year_to,
                         void (*fn)(void *ctx, const store_olympiad *r), void *ctx, msk_err *err);

typedef struct store_read_team {
    int year, place;
    const char *stage;
    int64_t school_id;
} store_read_team;
int store_read_teams(store *s, int year_from, int year_to,
                     void (*fn)(void *ctx, const store_read_team *r), void *ctx, msk_err *err);

/* Contests of years [year_from, year_to] per school, year and level: the pupils who won or took
 * a prize (teachers' contests are not the pupils' results of seed 000 table 1, row 7), and
 * every participant row. */
typedef struct store_read_contest {
    int year;
    int64_t school_id;
    const char *level;
    int pupil_awards, rows;
} store_read_contest;
int store_read_contests(store *s, int year_from, int year_to,
                        void (*fn)(void *ctx, const store_read_contest *r), void *ctx,
                        msk_err *err);

/* Graduate outcomes of years [year_from, year_to] (destination NULL if unknown, batch_id 0). */
int store_read_graduates(store *s, int year_from, int year_to,
                         void (*fn)(void *ctx, const store_graduate *r), void *ctx, msk_err *err);

#endif
