/*
 * The model snapshot's rows (migration 5): one BLOB per (year, column), each stamped with the
 * model data stamp it was made from (model_stamp.n, bumped by triggers on every change of the
 * data the model is made of) and the format of the code that wrote it. The encoding of the
 * columns is src/model/snapshot.c's business; this module only stores, finds and streams them.
 * A snapshot is read inside one read transaction and rewritten whole in one write transaction,
 * so a reader sees either the old rows or the new ones, never a mix; a crash during the write
 * leaves the old rows (rolled back by SQLite).
 */
#ifndef MSK_STORE_SNAPSHOT_H
#define MSK_STORE_SNAPSHOT_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/* The current model data stamp into *stamp. Returns 0, or -1 with err (for example a database
 * from before migration 5 opened read-only). */
int store_snapshot_stamp(store *s, int64_t *stamp, msk_err *err);

/* The years any model data is stored for (procedures, context values of a year, olympiads,
 * teams, graduates): *from > *to when there is none. */
int store_snapshot_data_years(store *s, int *from, int *to, msk_err *err);

/* May a snapshot be written now: the database is writable and no transaction is open? */
int store_snapshot_writable(store *s);

/* Open / close a read transaction around a snapshot read or a rebuild (BEGIN DEFERRED, so the
 * data and the stamp read inside it are one consistent state), with a small page cache inside
 * it (*cache keeps the usual size for end). Returns 1 when it began one, 0 when the store was
 * already inside a transaction (left as it is; end then does nothing), -1 with err. end rolls
 * back whatever store_snapshot_commit did not commit. */
int store_snapshot_begin(store *s, int *cache, msk_err *err);
void store_snapshot_end(store *s, int begun, int cache);

typedef struct store_snapshot_blob store_snapshot_blob;

/* Open column col of year for reading if it exists with this stamp and format: 0 and *b (close
 * with store_snapshot_close) with *len its size; 1 when it is absent or stale; -1 with err. */
int store_snapshot_open(store *s, int year, const char *col, int64_t stamp, int format,
                        store_snapshot_blob **b, size_t *len, msk_err *err);
/* n bytes at offset off of an open column into dst. Returns 0 or -1 with err. */
int store_snapshot_read(store_snapshot_blob *b, void *dst, size_t n, size_t off, msk_err *err);
void store_snapshot_close(store_snapshot_blob *b);

/* Inside the read transaction of store_snapshot_begin: delete every snapshot row (this takes
 * the write lock; 1 when another connection wrote since the transaction began, so the data
 * read is no longer the newest and nothing may be written), then put the columns, then
 * commit with store_snapshot_commit (which ends the transaction). Returns 0, 1 or -1 with err. */
int store_snapshot_clear(store *s, msk_err *err);
int store_snapshot_put(store *s, int year, const char *col, int64_t stamp, int format,
                       const void *data, size_t len, msk_err *err);
int store_snapshot_commit(store *s, msk_err *err);

/* Drop every snapshot row in a transaction of its own (tests; `msoko` never needs it: a stale
 * snapshot is simply not read). */
int store_snapshot_drop(store *s, msk_err *err);

#endif
