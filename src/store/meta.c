/*
 * The store: row counts and checksum of the database, key/value metadata, reference lookups
 * (store.h).
 */
#include "store/internal.h"

#include "base/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

int store_table_counts(store *s, char ***names, int64_t **counts, size_t *n, msk_err *err)
{
    db_stmt *st = NULL;
    size_t cap = 0, k = 0;
    char **nm = NULL;
    int64_t *ct = NULL;
    int rc = -1;
    if (db_prepare(s->db,
                   "SELECT name FROM sqlite_schema WHERE type='table' AND name NOT "
                   "LIKE 'sqlite_%' ORDER BY rowid",
                   &st) != DB_OK) {
        store_db_error(s, err, "список таблиц");
        goto out;
    }
    while (db_step(st) == DB_ROW) {
        if (k == cap) {
            cap = cap ? cap * 2 : 32;
            nm = msk_reallocarray(nm, cap, sizeof *nm);
            ct = msk_reallocarray(ct, cap, sizeof *ct);
        }
        nm[k] = msk_strdup(db_column_text(st, 0));
        ct[k] = 0;
        k++;
    }
    for (size_t i = 0; i < k; i++) {
        char sql[160];
        db_stmt *c = NULL;
        snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", nm[i]);
        if (db_prepare(s->db, sql, &c) == DB_OK && db_step(c) == DB_ROW)
            ct[i] = db_column_int64(c, 0);
        db_finalize(c);
    }
    rc = 0;
out:
    db_finalize(st);
    *names = nm;
    *counts = ct;
    *n = k;
    return rc;
}

/* FNV-1a over the text of every column of every row, in primary-key order. Enough to notice
 * any change between two states of a database; not a security hash. */
static void fnv(uint64_t *h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) {
        *h ^= c[i];
        *h *= 1099511628211ULL;
    }
}

int store_checksum(store *s, char out[65], msk_err *err)
{
    char **names = NULL;
    int64_t *counts = NULL;
    size_t n = 0;
    uint64_t h[4] = {1469598103934665603ULL, 7, 11, 13};
    int rc = -1;
    if (store_table_counts(s, &names, &counts, &n, err))
        goto out;
    for (size_t i = 0; i < n; i++) {
        char sql[160];
        db_stmt *st = NULL;
        /* the model snapshot and its change counter are a cache of the data, not data: the
         * first read after a change (a page view too) writes the snapshot, and the counter
         * depends on how a change was written (src/store/snapshot.h) */
        if (strcmp(names[i], "model_snapshot") == 0 || strcmp(names[i], "model_stamp") == 0)
            continue;
        /* the file's identity (store_id) is not its content: two files with the same data
         * have the same checksum, whichever random id each was given */
        int meta = strcmp(names[i], "meta") == 0;
        if (meta && store_meta_get(s, "store_id", sql, sizeof sql))
            counts[i]--;
        fnv(&h[0], names[i], strlen(names[i]));
        fnv(&h[1], &counts[i], sizeof counts[i]);
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"%s ORDER BY 1,2,3", names[i],
                 meta ? " WHERE key <> 'store_id'" : "");
        if (db_prepare(s->db, sql, &st) != DB_OK) {
            /* tables with fewer than three columns */
            snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"%s ORDER BY 1", names[i],
                     meta ? " WHERE key <> 'store_id'" : "");
            if (db_prepare(s->db, sql, &st) != DB_OK) {
                store_db_error(s, err, "контрольная сумма");
                goto out;
            }
        }
        while (db_step(st) == DB_ROW) {
            int nc = db_column_count(st);
            for (int c = 0; c < nc; c++) {
                const void *b = db_column_blob(st, c);
                int len = db_column_bytes(st, c);
                fnv(&h[2], &c, sizeof c);
                if (b)
                    fnv(&h[2], b, (size_t)len);
                fnv(&h[3], &len, sizeof len);
            }
        }
        db_finalize(st);
    }
    snprintf(out, 65, "%016llx%016llx%016llx%016llx", (unsigned long long)h[0],
             (unsigned long long)h[1], (unsigned long long)h[2], (unsigned long long)h[3]);
    rc = 0;
out:
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(counts);
    return rc;
}

int store_meta_set(store *s, const char *key, const char *value, msk_err *err)
{
    db_stmt *st = store_stmt(s, ST_META_SET, err);
    if (!st)
        return -1;
    store_bind_text(st, 1, key);
    store_bind_text(st, 2, value);
    return store_step_done(s, st, err, "настройка");
}

int store_meta_get(store *s, const char *key, char *out, size_t outsz)
{
    db_stmt *st = store_stmt(s, ST_META_GET, NULL);
    int found = 0;
    if (!st)
        return 0;
    store_bind_text(st, 1, key);
    if (db_step(st) == DB_ROW) {
        snprintf(out, outsz, "%s", db_column_text(st, 0));
        found = 1;
    }
    db_reset(st);
    return found;
}

int store_ensure_id(store *s, msk_err *err)
{
    char id[40];
    unsigned char r[16];
    db_stmt *st = NULL;
    if (store_meta_get(s, "store_id", id, sizeof id))
        return 0;
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
        return msk_error(err, "не удалось получить случайное число для идентификатора базы %s",
                         s->path);
    for (size_t i = 0; i < sizeof r; i++)
        snprintf(id + 2 * i, 3, "%02x", r[i]);
    if (store_prep(s,
                   "INSERT INTO meta(key, value) VALUES('store_id', ?)"
                   " ON CONFLICT(key) DO NOTHING",
                   &st, "идентификатор базы", err))
        return -1;
    db_bind_text(st, 1, id);
    int rc = store_step_done(s, st, err, "идентификатор базы");
    db_finalize(st);
    return rc;
}

int store_is_initialised(store *s)
{
    char v[32];
    return store_meta_get(s, "initialised", v, sizeof v);
}

static int exists_by(store *s, enum stmt_id id, const char *code)
{
    db_stmt *st = store_stmt(s, id, NULL);
    if (!st)
        return 0;
    store_bind_text(st, 1, code);
    int found = db_step(st) == DB_ROW;
    db_reset(st);
    return found;
}

int store_kind_exists(store *s, const char *code)
{
    return exists_by(s, ST_KIND_EXISTS, code);
}

int store_subject_exists(store *s, const char *code)
{
    return exists_by(s, ST_SUBJECT_EXISTS, code);
}

int store_element_exists(store *s, const char *code)
{
    return exists_by(s, ST_ELEMENT_EXISTS, code);
}
