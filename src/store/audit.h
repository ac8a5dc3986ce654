/*
 * The audit log, read side (the write side is store_audit in store/store.h): rows filtered by
 * user, action, school and a date range, newest first, a page at a time, for the admin's page
 * and its CSV/XLSX export (src/view/audit.c).
 */
#ifndef MSK_STORE_AUDIT_H
#define MSK_STORE_AUDIT_H

#include "store/store.h"

#include <stdint.h>

typedef struct store_audit_filter {
    const char *user;      /* exact login; NULL or "" = anyone */
    const char *action;    /* "form" matches form.* too; NULL or "" = any */
    const char *school;    /* a school code: rows whose object or before/after name it, and the
                              rows of that school's form submissions and plan items */
    const char *from, *to; /* dates YYYY-MM-DD, inclusive; NULL or "" = open */
    int64_t offset;        /* rows to skip */
    int64_t limit;         /* rows to give, at most; <= 0 = all */
    const char *object;    /* exact object ("plan_item:12"); NULL or "" = any */
} store_audit_filter;

typedef struct store_audit_row {
    int64_t id;
    const char *at, *user, *action, *object; /* never NULL */
    const char *before, *after;              /* NULL when the row has none */
} store_audit_row;

/* Call on_row for each row matching f, newest first; the row's strings live only during the
 * call. *total (may be NULL) gets the count of all matching rows, the page aside. Returns 0,
 * or -1 with err. */
int store_audit_read(store *s, const store_audit_filter *f,
                     void (*on_row)(void *ctx, const store_audit_row *row), void *ctx,
                     int64_t *total, msk_err *err);

/* The distinct users (what = 0) or actions (what = 1) the log holds, sorted, for the filters. */
int store_audit_distinct(store *s, int what, void (*on_value)(void *ctx, const char *value),
                         void *ctx, msk_err *err);

#endif
