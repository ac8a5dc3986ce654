/*
 * Management decisions (issue 15 item 4, migration 12): the приказ, письмо or протокол совещания
 * a department takes after the analysis of a year — kind, number, date, text, the list it answers
 * (ШНОР, risk, objectivity, rating or none), the schools it names, the responsible person, a due
 * date and files (the order's scan). The next year's analysis shows each decision's effect
 * (src/view/decision.c). The write functions expect an open transaction (src/app/decision.c).
 */
#ifndef MSK_STORE_DECISION_H
#define MSK_STORE_DECISION_H

#include "base/err.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

enum {
    STORE_DECISION_FILE_MAX = 5 * 1024 * 1024, /* one file */
    STORE_DECISION_TEXT_MAX = 8000,            /* bytes of the text */
    STORE_DECISION_SCHOOLS = 200,              /* schools one decision names */
};

typedef struct store_decision {
    int64_t id;
    int year;                         /* the school year of the analysis it answers */
    const char *kind;                 /* "order", "letter", "protocol", "other" */
    const char *number, *taken_on;    /* taken_on: YYYY-MM-DD */
    const char *text, *list;          /* list: "", "shnor", "risk", "objectivity", "rating" */
    const char *responsible, *due_on; /* due_on: YYYY-MM-DD or "" */
    const char *created_at, *created_by;
    const char *schools; /* the codes it names, "sch1,sch2" in code order ("" = none) */
    int nfiles;
    const char *direction; /* the direction it answers (VOCAB_DIRECTION code), "" = none
                              (migration 19) */
} store_decision;

typedef struct store_decision_file {
    int64_t id, decision_id, size;
    const char *name, *sha256, *added_at, *added_by;
    const unsigned char *data; /* NULL unless asked for */
} store_decision_file;

/* Is kind one of the four kinds? */
int store_decision_kind_ok(const char *kind);
/* Decisions of year (0 = every year) naming school (NULL = any), by date then id. */
int store_decisions(store *s, int year, const char *school,
                    void (*fn)(void *ctx, const store_decision *d), void *ctx, msk_err *err);
/* Decisions answering direction (a VOCAB_DIRECTION code) of the years from..to, by year, date,
 * id. */
int store_decisions_direction(store *s, const char *direction, int from, int to,
                              void (*fn)(void *ctx, const store_decision *d), void *ctx,
                              msk_err *err);
/* One decision; 1 when there is none. */
int store_decision_get(store *s, int64_t id, void (*fn)(void *ctx, const store_decision *d),
                       void *ctx, msk_err *err);
/* A new decision naming schools (codes; each must exist: 1 with err naming the first that does
 * not). In a transaction. */
int store_decision_add(store *s, const store_decision *d, const char *const *schools,
                       size_t nschools, const char *user, int64_t *id, msk_err *err);
/* A file of a decision (size ≤ STORE_DECISION_FILE_MAX, checked). In a transaction. 1 when
 * there is no such decision. */
int store_decision_attach(store *s, int64_t id, const char *name, const unsigned char *data,
                          size_t size, const char *user, int64_t *file_id, msk_err *err);
/* The files of a decision (without their bytes), oldest first. */
int store_decision_files(store *s, int64_t id, void (*fn)(void *ctx, const store_decision_file *f),
                         void *ctx, msk_err *err);
/* One file with its bytes; 1 when there is none. */
int store_decision_file_get(store *s, int64_t file_id,
                            void (*fn)(void *ctx, const store_decision_file *f), void *ctx,
                            msk_err *err);
/* The decision as the audit keeps it (JSON text, files without their bytes), malloc'd into
 * *out; 1 when there is none. */
int store_decision_snapshot(store *s, int64_t id, char **out, msk_err *err);
/* Is school listed by method in the latest analysis run of year? 1 yes, 0 no, 2 when year has
 * no analysis, -1 on error. */
int store_listed(store *s, const char *school, const char *method, int year, msk_err *err);

#endif
