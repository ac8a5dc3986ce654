/*
 * The school's answers to its flags (issue 16 item 6, migration 9): a flag is «school × list ×
 * year» — the findings of a rerun replace the old ones, the flag and its answers stay. An
 * answer is submitted, then accepted (the flag stays, marked «пояснение принято») or rejected
 * with the analyst's comment; after a rejection the school answers again (a new row, the old
 * one kept). Files go into the database, at most STORE_ANSWER_FILE_MAX bytes each. The write
 * functions expect an open transaction (src/app/answer.c opens it).
 */
#ifndef MSK_STORE_ANSWER_H
#define MSK_STORE_ANSWER_H

#include "base/err.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

enum {
    STORE_ANSWER_FILE_MAX = 5 * 1024 * 1024, /* one file */
    STORE_ANSWER_FILES = 5,                  /* files of one answer */
    STORE_ANSWER_TEXT_MAX = 8000,            /* bytes of the text, of the analyst's comment */
};

typedef struct store_answer_row {
    int64_t id;
    const char *school, *list; /* school code; "shnor", "risk", "objectivity", "rating" */
    int year;
    const char *text, *status; /* "submitted", "accepted", "rejected" */
    const char *created_at, *created_by;
    const char *reviewed_at, *reviewed_by; /* "" before a decision */
    const char *comment;                   /* the analyst's comment ("" when none) */
} store_answer_row;

typedef struct store_answer_file {
    int64_t id, answer_id;
    const char *name, *sha256;
    int64_t size;
    const unsigned char *data; /* NULL unless asked for */
} store_answer_file;

/* Is list one of the four lists a flag comes from? */
int store_answer_list_ok(const char *list);
/* 1 when the latest analysis of year lists school on list (a finding of that method), 0 when
 * not, -1 on a database error. */
int store_flag_exists(store *s, const char *school, const char *list, int year, msk_err *err);
/* The answers of school (NULL = any) on list (NULL = any) in year (0 = any), oldest first. */
int store_answers(store *s, const char *school, const char *list, int year,
                  void (*fn)(void *ctx, const store_answer_row *r), void *ctx, msk_err *err);
/* One answer; 1 when there is none. */
int store_answer_get(store *s, int64_t id, void (*fn)(void *ctx, const store_answer_row *r),
                     void *ctx, msk_err *err);
/* The files of an answer (with their bytes when with_data). */
int store_answer_files(store *s, int64_t answer_id, int with_data,
                       void (*fn)(void *ctx, const store_answer_file *f), void *ctx, msk_err *err);
/* One file with its bytes; 1 when there is none. */
int store_answer_file_get(store *s, int64_t file_id,
                          void (*fn)(void *ctx, const store_answer_file *f), void *ctx,
                          msk_err *err);
/* The answer as the audit keeps it (JSON text, files without their bytes), malloc'd into
 * *out; 1 when there is none. */
int store_answer_snapshot(store *s, int64_t id, char **out, msk_err *err);
/* A new answer (status submitted). In a transaction. */
int store_answer_add(store *s, const char *school, const char *list, int year, const char *text,
                     const char *user, int64_t *id, msk_err *err);
/* A file of an answer (size ≤ STORE_ANSWER_FILE_MAX, checked). In a transaction. */
int store_answer_attach(store *s, int64_t answer_id, const char *name, const unsigned char *data,
                        size_t size, int64_t *file_id, msk_err *err);
/* The analyst's decision: status "accepted" or "rejected", with comment. In a transaction. */
int store_answer_review(store *s, int64_t id, const char *status, const char *comment,
                        const char *user, msk_err *err);

#endif
