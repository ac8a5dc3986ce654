/*
 * Shared by the files of src/app/ only: the transaction-and-audit frame every use case uses.
 */
#ifndef MSK_APP_INTERNAL_H
#define MSK_APP_INTERNAL_H

#include "app/app.h"
#include "store/trail.h"

/* The audit row of a use case inside its transaction (before/after: JSON text or NULL). */
int app_audit(store *s, const app_actor *a, const char *action, const char *object,
              const char *before, const char *after, msk_err *err);
/* Commit when rc == 0, else roll back; returns rc (or -1 when the commit failed). */
int app_end(store *s, int rc, msk_err *err);
/* A JSON string literal of text (quoted and escaped), owned by the caller. */
char *app_json_str(const char *text);
/* The audit row of a file stored for object ({"file", "name", "size", "sha256"} after, nothing
 * before): the roadmap's evidence and a decision's scan. In the caller's transaction. */
int app_audit_file(store *s, const app_actor *a, const char *action, const char *object,
                   int64_t file_id, const char *name, const unsigned char *data, size_t size,
                   msk_err *err);

#endif
