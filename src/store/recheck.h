/*
 * Re-check rounds (перепроверка): a reproducible sample of works of one procedure drawn from
 * the schools with signs of non-objectivity and from a few control schools, the independent
 * experts' scores for those works, and the comparison of both (METHODS.md §2, seeds 003, 004:
 * a re-checked work is objectively assessed when its mark is unchanged; target ≥ 90 %).
 */
#ifndef MSK_STORE_RECHECK_H
#define MSK_STORE_RECHECK_H

#include "base/err.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/* ---- sample ---- */
typedef struct store_recheck_opts {
    int year;
    const char *kind, *subject; /* codes: "VPR", "math" */
    int grade;
    int per_school; /* works drawn from each school (fewer when the school has fewer) */
    int control;    /* other schools drawn at random as a control group */
    uint64_t seed;  /* the only source of randomness: same data + seed → same sample */
} store_recheck_opts;

typedef struct store_recheck_school {
    char code[64];
    int control;   /* 1: control school, 0: listed with signs of non-objectivity */
    int available; /* present first-attempt works of the procedure */
    int drawn;
} store_recheck_school;

typedef struct store_recheck_work {
    char school_code[64], pupil_code[64], class_name[32];
    int variant; /* STORE_NONE if unknown */
} store_recheck_work;

typedef struct store_recheck_sample {
    int64_t round_id;
    store_recheck_school *schools; /* listed first (by code), then control; owned */
    size_t nschools;
    store_recheck_work *works; /* by school code, class, pupil code; owned */
    size_t nworks;
} store_recheck_sample;

/* Draw and store a round: the schools listed with an 'objectivity' finding in the latest
 * analysis run of the year (max id), plus o->control schools without one. Call inside a
 * transaction (app_recheck_sample). Errors (err filled, nothing written): no such procedure, no
 * analysis run of the year. Release out with store_recheck_sample_release. */
int store_recheck_sample_draw(store *s, const store_recheck_opts *o, store_recheck_sample *out,
                              msk_err *err);
void store_recheck_sample_release(store_recheck_sample *sm);

/* ---- experts' scores ---- */
typedef struct store_recheck_task {
    char label[16];
    int max_score; /* -1 if unknown */
} store_recheck_task;

typedef struct store_recheck_round {
    int64_t id, procedure_id;
    int year, grade, per_school;
    char kind[16], subject[16], created_at[32];
    uint64_t seed;
    store_recheck_task *tasks; /* the procedure's tasks in order; owned */
    size_t ntasks;
} store_recheck_round;

/* The round with its procedure and tasks: 0, 1 when there is no such round, -1 on error.
 * Release with store_recheck_round_release. */
int store_recheck_round_get(store *s, int64_t round_id, store_recheck_round *out, msk_err *err);
void store_recheck_round_release(store_recheck_round *r);

/* Every work of the round (school code, pupil code, class, variant) in the order of
 * store_recheck_sample.works, with its result id in ids[i]; both arrays owned by the caller
 * (free). Returns 0 or -1. */
int store_recheck_works(store *s, int64_t round_id, store_recheck_work **works, int64_t **ids,
                        size_t *n, msk_err *err);

/* The experts' scores of one work. */
typedef struct store_recheck_score {
    int64_t result_id;
    const unsigned char *tasks; /* ntasks bytes as result.tasks; NULL when not given */
    size_t ntasks;
    double primary; /* NAN when not known */
    int mark;       /* STORE_NONE when not known */
} store_recheck_score;

/* Store n experts' scores of the round (call inside a transaction; one statement prepared
 * once). A result id that is not in the round is an error. */
int store_recheck_scores_put(store *s, int64_t round_id, const store_recheck_score *sc, size_t n,
                             msk_err *err);

/* ---- comparison ---- */
typedef struct store_recheck_row {
    char code[64];
    int control;
    int drawn;       /* works of the school in the round */
    int rechecked;   /* of them with the experts' mark */
    int objective;   /* mark unchanged and |school − expert primary| ≤ tolerance */
    int primary_n;   /* works where both primary scores are known */
    double diff_sum; /* Σ (school primary − expert primary) over primary_n works */
    int tasks_compared, tasks_changed; /* task by task, where both have task scores */
} store_recheck_row;

typedef struct store_recheck_report {
    store_recheck_row *rows; /* listed schools first, then control, each by code; owned */
    size_t nrows;
} store_recheck_report;

/* Compare the school's and the experts' scores of every re-checked work of the round. Returns
 * 0, 1 when there is no such round, -1 on error. Release with store_recheck_report_release. */
int store_recheck_report_get(store *s, int64_t round_id, double tolerance,
                             store_recheck_report *out, msk_err *err);
void store_recheck_report_release(store_recheck_report *r);

/* ---- every re-checked work of a year (the objectivity coefficient, method/obj_coef.h) ---- */
typedef struct store_recheck_pair {
    char school[64];
    char kind[16], subject[16];
    int grade;
    double school_primary, expert_primary; /* NAN when not known */
    int school_mark, expert_mark;          /* STORE_NONE when not known */
} store_recheck_pair;

/* The works of every round of year that the experts scored (a mark or a primary score), each
 * work once: a work re-checked in several rounds counts with its latest round. Sorted by school
 * code, then procedure and result. *out owned by the caller (free). Returns 0 or -1. */
int store_recheck_year(store *s, int year, store_recheck_pair **out, size_t *n, msk_err *err);

#endif
