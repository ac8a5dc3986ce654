/*
 * The audit trail of the use cases (src/app/): one audit row per use case, naming the whole
 * actor (login, role, school) and what the object was before and after, as JSON text
 * (store_audit, the row with a login only, stays in store/audit.c). Rows a re-import replaces
 * are kept as the before image of that import (issue 20, defect 7): while a watch is on,
 * triggers copy every row an import deletes or overwrites into a temporary table, and
 * store_replaced_take hands them over as one JSON object.
 */
#ifndef MSK_STORE_TRAIL_H
#define MSK_STORE_TRAIL_H

#include "store/store.h"

#include <stdint.h>

/* Who acts. login is never empty; role "admin", "analyst" or "school"; school is the code of
 * the operator's school ("" for other roles). */
typedef struct store_actor {
    const char *login, *role, *school;
} store_actor;

/* Append one audit row (call inside the use case's transaction). before/after are JSON text
 * or NULL. -1 with err on a database error. */
int store_audit_put(store *s, const store_actor *a, const char *action, const char *object,
                    const char *before, const char *after, msk_err *err);

/* The rows of one import kept in full: a re-import of a whole municipality replaces hundreds
 * of thousands, and a before image of that size costs more than the import (measured: 300,000
 * rows → 78 MB of JSON, 2.5× the time); the audit row then says how many were replaced. */
enum { STORE_REPLACED_KEEP = 10000 };

/* Start keeping the rows an import replaces (inside its transaction; the watch ends with
 * store_replaced_take, or with the rollback). */
int store_replaced_watch(store *s, msk_err *err);
/* End the watch: *json (owned by the caller, free) gets {"table": [row, …], …} of the rows
 * deleted or overwritten since store_replaced_watch (the first STORE_REPLACED_KEEP), or NULL
 * when none was; *n the number kept. */
int store_replaced_take(store *s, char **json, int64_t *n, msk_err *err);

/* Images (JSON text, owned by the caller, free) of what use cases change. Each returns 0, or
 * 1 when there is no such object (*json NULL), or -1 with err. */
int store_batch_image(store *s, int64_t batch_id, char **json, msk_err *err);
/* The latest analysis run of year with its finding counts per method. */
int store_run_image(store *s, int year, char **json, msk_err *err);
/* A user without the password hash: login, role, school, disabled. */
int store_user_image(store *s, const char *login, char **json, msk_err *err);
/* A submission: id, form, school, period, status, comment and its working values. */
int store_sub_image(store *s, int64_t sub_id, char **json, msk_err *err);

/* Rename a batch's file as people know it (the web keeps uploads under a random folder; the
 * batch records the file's own name). */
int store_batch_rename(store *s, int64_t batch_id, const char *file_name, msk_err *err);

#endif
