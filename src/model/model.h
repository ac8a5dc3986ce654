/*
 * The model: a year range of one municipality held in compact column arrays, so every method
 * is a few linear passes (DESIGN.md: files → ingest → store → model → methods). The loader
 * (model_load, in load.c and snapshot.c) fills it from the store; tests build models by hand with
 * the model_add_* helpers. Methods never touch the store: they read a model and return findings.
 *
 * Indices: schools, procedures and pupils are dense 0-based indices into the arrays below.
 * "None" values: mark/journal_mark 0, test_score -1, primary NAN, context value NAN.
 */
#ifndef MSK_MODEL_H
#define MSK_MODEL_H

#include "base/err.h"

#include <stddef.h>
#include <stdint.h>

typedef struct store store;

enum { MODEL_CODE = 16, MODEL_NAME = 160 };

typedef struct model_school {
    char code[MODEL_CODE]; /* "sch000123" */
    char name[MODEL_NAME];
    char type[12];    /* gymnasium, lyceum, sosh, oosh, nosh, special */
    char locality[8]; /* urban, rural */
} model_school;

typedef struct model_proc {
    int year, grade;
    char kind[12];    /* VPR, OGE, EGE, GVE9, GVE11, RKR, MKR, NIKO, DIAG, ESSAY, INTERVIEW */
    char subject[16]; /* subject code: math, rus, math_base, math_prof … */
    /* scale (from store_scale_find for this year, else the default) */
    double max_primary;      /* NAN if unknown */
    double cut3, cut4, cut5; /* lowest primary score of marks 3, 4, 5; NAN when no marks */
    int min_test;            /* ЕГЭ minimum test score; -1 when none */
    int ntasks;
    int task_max[64]; /* per task, -1 unknown */
} model_proc;

/* One participant's result of one procedure (a row of the result table). */
typedef struct model_results {
    size_t n, cap;
    int32_t *proc, *school, *pupil; /* pupil: index into pupil codes (model_pupil_code) */
    float *primary;                 /* NAN if none */
    int8_t *mark, *journal_mark;    /* 0 if none */
    int16_t *test_score;            /* -1 if none */
    uint8_t *flags; /* MODEL_RETAKE | MODEL_PAST_GRADUATE | MODEL_OVZ | MODEL_ABSENT */
    uint8_t *tasks; /* task bytes of all rows: row i has ntask[i] bytes at
                       tasks + task_off[i] (MODEL_TASK_X = not attempted) */
    uint32_t *task_off;
    uint8_t *ntask;
    size_t tasks_len, tasks_cap;
} model_results;
enum { MODEL_RETAKE = 1, MODEL_PAST_GRADUATE = 2, MODEL_OVZ = 4, MODEL_ABSENT = 8 };
enum { MODEL_TASK_X = 255 };

/* Counts of one procedure at one school: the common input of ШНОР, rating and reports,
 * computed from per-pupil results (absent pupils, retakes and past-year graduates left out:
 * seed 002 §2.1 counts the first, main-period result) or taken from result_aggregate where a
 * school has no per-pupil rows for that procedure. */
typedef struct model_cell {
    int32_t proc, school;
    int participants;
    int marks[6];        /* marks[2..5]: participants with that mark; [0], [1] unused */
    int below_min;       /* ЕГЭ: test score below the minimum; else the count of "2" */
    int failed;          /* the ШНОР notion: mark 2, or ЕГЭ below the minimum */
    double mean_primary; /* NAN when unknown (aggregates) */
    double mean_test;    /* ЕГЭ test score mean, NAN when none */
    int from_aggregate;  /* 1 when taken from result_aggregate */
} model_cell;

typedef struct model_olympiad {
    int year, grade;
    char stage[12], subject[16], status[12]; /* status: winner, prizewinner, participant */
    int32_t school, pupil;
    double score;
} model_olympiad;

typedef struct model_team {
    int year, place;
    char stage[12];
    int32_t school;
} model_team;

typedef struct model_graduate {
    int year, grade, attestat, medal;
    int32_t school, pupil;
    char destination[8]; /* grade10, spo, vo, work, none, "" unknown */
} model_graduate;

/* Data elements (context and form values) the model holds: the directions' forms bring well
 * over a hundred (methods/forms/), and an element past the limit would be dropped silently. */
enum { MODEL_MAX_ELEMENTS = 256, MODEL_FORM_CODE = 32 };
/* Context elements the loader makes from the contest table (not data elements): "contest_" +
 * federal | regional | municipal = pupils who won or took a prize at that level. */
#define MODEL_CONTEST_PREFIX "contest_"

typedef struct model {
    int year_from, year_to; /* inclusive */
    size_t nschools, nprocs;
    model_school *schools;
    model_proc *procs;
    model_results res;
    size_t ncells;
    model_cell *cells; /* sorted by (proc, school); built by model_finish */
    size_t nolymp, nteams, ngrads;
    model_olympiad *olymp;
    model_team *teams;
    model_graduate *grads;
    /* context: value[(year - year_from) * nschools * nelements + school * nelements + e] */
    size_t nelements;
    char element[MODEL_MAX_ELEMENTS][32];
    double *context; /* NAN where missing */
    /* form values as the directions' form(FORM.ELEMENT) terms read them (issue 15): for every
     * element with an approved number in a school year of the range, per school and school
     * year the sum of its periods of that year (fmt_period_school_year), added in the store's
     * (school, period) order; codes of MODEL_FORM_CODE characters or more are left out (the
     * directions read those from the store). Both loaders fill them (has_form_values). */
    int has_form_values;
    size_t nform_elements;
    char (*form_element)[MODEL_FORM_CODE]; /* sorted by code (strcmp) */
    double *form_value; /* [(e * nyears + year - year_from) * nschools + school], NAN: none */
    /* pupil codes, interned (a pupil is a code inside a school, never a name) */
    size_t npupils, pupils_cap;
    char **pupil_code;
    void *pupil_index; /* private hash (code+school → index) */
} model;

/* An empty model for years [year_from, year_to]. Release with model_release. */
void model_init(model *m, int year_from, int year_to);
void model_release(model *m);

/* Load every school and the data of years [year_from, year_to] from the store. It reads the
 * columnar snapshot of the years (model/snapshot.c) when its stamp is current; when it is stale
 * or absent and the store is writable outside a transaction, it rebuilds the snapshot of all
 * years first (its own transaction: a failure there only costs time), else it reads the rows.
 * The result is the same model either way, field by field. Returns 0, or -1 with err. */
int model_load(model *m, store *s, int year_from, int year_to, msk_err *err);

/* model_load for a caller that never reads the task bytes (the methods: MODEL_LOAD_NO_TASKS)
 * or only those of year_to (the views: MODEL_LOAD_TASKS_OF_LAST): with the snapshot, the other
 * rows get ntask 0 and task_off 0, which saves reading and keeping their task bytes (a third of
 * a result row). Read from the rows, the model has every task byte. */
/* MODEL_LOAD_ROWS_OF_LAST (the views, which show the rows of their own year and the cells of
 * the years before): results, olympiads, teams and graduates of year_to only; procedures,
 * cells and context of every year. */
enum { MODEL_LOAD_NO_TASKS = 1, MODEL_LOAD_TASKS_OF_LAST = 2, MODEL_LOAD_ROWS_OF_LAST = 4 };
int model_load_opt(model *m, store *s, int year_from, int year_to, unsigned flags, msk_err *err);

/* The same model read from the rows, never from the snapshot (and never writing it). */
int model_load_rows(model *m, store *s, int year_from, int year_to, msk_err *err);
/* model_load_rows of the schools school_ids[0..n) only (ascending store ids; a municipality's,
 * issue 17 item 2): the rows of every other school are left out as if it did not exist, so the
 * municipal totals are those of these schools. school_ids NULL: every school; not NULL and n 0:
 * none. */
int model_load_rows_in(model *m, store *s, int year_from, int year_to, const int64_t *school_ids,
                       size_t nschool_ids, msk_err *err);

/* Read the snapshot only: 0 and m filled; 1 when it is stale, absent or of another format
 * (m untouched); -1 with err. */
int model_snapshot_read(model *m, store *s, int year_from, int year_to, unsigned flags,
                        msk_err *err);

/* Build the model of every stored year from the rows and write its snapshot, in one
 * transaction that also reads the data (so the stamp written is the data's). Returns 0 when
 * written, 1 when it was not (read-only store, an open transaction, or another connection
 * wrote meanwhile: the next read rebuilds it), -1 with err. */
int model_snapshot_write(store *s, msk_err *err);

/* Whether model_load may use the snapshot in this process: on unless disabled here or by the
 * environment variable MSOKO_NO_SNAPSHOT=1 (for comparisons: analyze --no-snapshot). */
void model_snapshot_enable(int on);
int model_snapshot_enabled(void);

/* ---- building by hand (tests) and by the loader ---- */
int32_t model_add_school(model *m, const char *code, const char *type, const char *locality);
/* Procedure with its scale; cut3/cut4/cut5/max may be NAN, min_test -1. */
int32_t model_add_proc(model *m, int year, const char *kind, const char *subject, int grade,
                       double max_primary, double cut3, double cut4, double cut5, int min_test);
int32_t model_pupil(model *m, int32_t school, const char *code);
/* A result row; tasks may be NULL. flags: MODEL_*. Returns the row index. */
size_t model_add_result(model *m, int32_t proc, int32_t school, int32_t pupil, double primary,
                        int mark, int test_score, int journal_mark, unsigned flags,
                        const uint8_t *tasks, int ntasks);
void model_add_aggregate(model *m, int32_t proc, int32_t school, int participants, int mark2,
                         int mark3, int mark4, int mark5, int below_min);
/* Context value (by element code; elements are added on first use). */
void model_set_context(model *m, int year, int32_t school, const char *element, double value);
double model_context(const model *m, int year, int32_t school, const char *element);
/* The form values of element in school year (per school, nschools of them, NAN where none; see
 * form_value), or NULL when it has no approved value in the range or the year is outside it. */
const double *model_form_values(const model *m, const char *element, int year);
void model_add_olympiad(model *m, const model_olympiad *o);
void model_add_team(model *m, const model_team *t);
void model_add_graduate(model *m, const model_graduate *g);
/* Compute the cells from results and aggregates. Call once after adding everything. */
void model_finish(model *m);

/* ---- lookups ---- */
int32_t model_find_school(const model *m, const char *code); /* -1 if none */
int32_t model_find_proc(const model *m, int year, const char *kind, const char *subject,
                        int grade);                                            /* -1 if none */
const model_cell *model_cell_of(const model *m, int32_t proc, int32_t school); /* NULL if none */
const char *model_pupil_code(const model *m, int32_t pupil);

#endif
