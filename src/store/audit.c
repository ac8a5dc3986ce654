/*
 * The store: the audit log, one row per change (store.h).
 */
#include "store/internal.h"

#include "base/mem.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_audit(store *s, const char *user, const char *action, const char *object,
                const char *before, const char *after, msk_err *err)
{
    char now[32];
    sqlite3_stmt *st = store_stmt(s, ST_AUDIT, err);
    if (!st)
        return -1;
    store_now(now);
    store_bind_text(st, 1, now);
    store_bind_text(st, 2, user ? user : "");
    store_bind_text(st, 3, action);
    store_bind_text(st, 4, object ? object : "");
    store_bind_text(st, 5, before);
    store_bind_text(st, 6, after);
    return store_step_done(s, st, err, "журнал изменений");
}
