/*
 * Backup and restore of the whole database (docs/backup.md). A backup is the database file as
 * SQLite's online backup API copies it (one consistent snapshot, taken while the server serves
 * and an import writes: WAL readers see the last commit, never half of one), compressed with
 * gzip: `gunzip` gives a plain SQLite file. What makes it an msoko backup is the file itself:
 * its application_id ('MSKO') and its schema version (user_version), checked on restore
 * together with PRAGMA integrity_check.
 */
#ifndef MSK_STORE_BACKUP_H
#define MSK_STORE_BACKUP_H

#include "base/err.h"
#include "store/store.h"

#include <stdint.h>

typedef struct store_backup_info {
    int schema;        /* user_version of the copy */
    int64_t db_bytes;  /* size of the database copy before compression */
    int64_t out_bytes; /* size of the compressed backup */
} store_backup_info;

/* Write a compressed backup of s's database to fd (from its current offset; fd stays open and
 * owned by the caller). The uncompressed copy is made in a temporary file beside the database
 * and removed. Returns 0, or -1 with a Russian message (disk full, no rights …). */
int store_backup_fd(store *s, int fd, store_backup_info *info, msk_err *err);

/* Write a backup of s to out_path atomically: a temporary file beside it, fsync, rename; "-"
 * writes to stdout. Nothing is left behind on failure. info may be NULL. */
int store_backup_file(store *s, const char *out_path, store_backup_info *info, msk_err *err);

/* Replace the database db_path with the backup in backup_path. Refuses (-1, database
 * untouched) a file that is not an msoko backup, a corrupt one (gzip CRC or
 * integrity_check), one of a newer schema than this build knows, and a database that another
 * process (msoko serve) has open. The copy is written beside db_path, checked, fsynced and
 * renamed over it, so a crash leaves either the old database or the new one. An older schema
 * is upgraded on the next open. info may be NULL. */
int store_restore(const char *backup_path, const char *db_path, store_backup_info *info,
                  msk_err *err);

/* Is another connection (any process) holding the WAL database path open? 1 yes, 0 no. Reads
 * the lock of SQLite's shared-memory file; opens no SQLite connection. */
int store_open_elsewhere(const char *path);

/* Has s lost its database: the file removed or replaced under it, or reads failing (I/O error,
 * corruption)? 1 lost (message in err), 0 fine. Cheap enough for every web request (a stat
 * and a read of the schema cookie). */
int store_lost(store *s, msk_err *err);

#endif
