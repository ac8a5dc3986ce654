/*
 * The backup download as a use case: the snapshot is taken first (store/backup.c), then this
 * one row says who took it and how big it was.
 */
#include "app/internal.h"

#include <stdio.h>

int app_backup_download(store *s, const app_actor *a, int schema, int64_t bytes, msk_err *err)
{
    char after[96];
    snprintf(after, sizeof after, "{\"schema\":%d,\"bytes\":%lld}", schema, (long long)bytes);
    if (store_begin(s, err))
        return -1;
    return app_end(s, app_audit(s, a, "backup.download", "database", NULL, after, err) ? -1 : 0,
                   err);
}
