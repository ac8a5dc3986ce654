/*
 * The writer of a results import: every school's code → id loaded once, and the thread that
 * writes blocks of rows while the reader parses the next (src/ingest/import.c drives it).
 */
#include "ingest/import.h"
#include "ingest/import_internal.h"

#include "base/deadline.h"
#include "base/mem.h"
#include "base/vocab.h"
#include "ingest/csv.h"
#include "ingest/internal.h"
#include "ingest/validate.h"
#include "ingest/xlsx.h"
#include "store/plan.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- school map: every school's code → id, loaded once for a results file ------------------ */

static uint64_t str_hash(const char *k)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *k; k++)
        h = (h ^ (unsigned char)*k) * 1099511628211ULL;
    return h;
}

static void map_put(void *ctx, const char *code, int64_t id)
{
    school_map *sm = ctx;
    size_t j = (size_t)str_hash(code) & (sm->cap - 1);
    while (sm->code[j])
        j = (j + 1) & (sm->cap - 1);
    sm->code[j] = msk_strdup(code);
    sm->id[j] = id;
}

int imp_map_load(imp *m, msk_err *err)
{
    size_t total = (size_t)store_school_count(m->s);
    m->schools.cap = 64;
    while (m->schools.cap < total * 2 + 2)
        m->schools.cap *= 2;
    m->schools.code = msk_calloc(m->schools.cap, sizeof *m->schools.code);
    m->schools.id = msk_calloc(m->schools.cap, sizeof *m->schools.id);
    return store_school_each(m->s, map_put, &m->schools, err);
}

int imp_map_get(const school_map *sm, const char *code, int64_t *id)
{
    size_t j = (size_t)str_hash(code) & (sm->cap - 1);
    for (; sm->code[j]; j = (j + 1) & (sm->cap - 1))
        if (strcmp(sm->code[j], code) == 0) {
            *id = sm->id[j];
            return 0;
        }
    return 1;
}

void imp_map_release(school_map *sm)
{
    for (size_t i = 0; i < sm->cap; i++)
        free(sm->code[i]);
    free(sm->code);
    free(sm->id);
}

/* ---- the writer thread -------------------------------------------------------------------- */

static void writer_note(writer *w, const wrec *rec, const char *file)
{
    w->duplicates++;
    if (w->listed >= 50)
        return;
    w->listed++;
    msk_buf_printf(&w->messages,
                   "%s:%lld:%d: участник «%s» уже встречался в этой процедуре в файле%s\n", file,
                   (long long)rec->row, rec->col, rec->pupil,
                   rec->r.retake ? " (как пересдача)" : ": повтор строки");
}

/* Write one block: its scope clears first, then all its rows in one run of multi-row inserts.
 * A scope is cleared just before its first row (scope_first), so no row of the block belongs
 * to a scope cleared later in it; writing the clears in their place instead cut a school-
 * ordered file's blocks into runs of a few rows, most of them single-row inserts. */
static int writer_block(imp *m, writer *w, wblock *b)
{
    size_t n = 0, at[WBLOCK_ROWS];
    for (size_t i = 0; i < b->n; i++) {
        if (!b->rec[i].clear) {
            b->batch[n] = b->rec[i].r;
            at[n++] = i;
        } else if (store_result_clear_scope(m->s, b->rec[i].r.procedure_id, b->rec[i].r.school_id,
                                            &w->replaced, &w->err)) {
            return -1;
        }
    }
    if (n && store_result_add_many(m->s, b->batch, n, b->failed, &w->err))
        return -1;
    for (size_t k = 0; k < n; k++)
        if (b->failed[k])
            writer_note(w, &b->rec[at[k]], m->file);
    return 0;
}

static void *writer_main(void *arg)
{
    imp *m = arg;
    writer *w = m->w;
    for (;;) {
        pthread_mutex_lock(&w->mu);
        while (!w->qlen && !w->done)
            pthread_cond_wait(&w->cv, &w->mu);
        if (!w->qlen) {
            pthread_mutex_unlock(&w->mu);
            return NULL;
        }
        wblock *b = w->queue[w->qhead];
        w->qhead = (w->qhead + 1) % WBLOCKS;
        w->qlen--;
        pthread_mutex_unlock(&w->mu);

        int rc = 0;
        if (!w->failed) {
            pthread_mutex_lock(&w->db);
            rc = writer_block(m, w, b);
            pthread_mutex_unlock(&w->db);
        }
        pthread_mutex_lock(&w->mu);
        if (rc)
            w->failed = 1;
        b->n = 0;
        w->free_list[w->nfree++] = b;
        pthread_cond_broadcast(&w->cv);
        pthread_mutex_unlock(&w->mu);
    }
}

int imp_writer_start(imp *m)
{
    writer *w = msk_calloc(1, sizeof *w);
    pthread_mutex_init(&w->mu, NULL);
    pthread_mutex_init(&w->db, NULL);
    pthread_cond_init(&w->cv, NULL);
    msk_buf_init(&w->messages, 0);
    for (int i = 0; i < WBLOCKS; i++) {
        w->blocks[i] = msk_calloc(1, sizeof *w->blocks[i]);
        w->free_list[w->nfree++] = w->blocks[i];
    }
    m->w = w;
    if (pthread_create(&w->th, NULL, writer_main, m) != 0) {
        m->w = NULL; /* write inline instead */
        msk_buf_release(&w->messages);
        for (int i = 0; i < WBLOCKS; i++)
            free(w->blocks[i]);
        free(w);
        return 0;
    }
    pthread_mutex_lock(&w->mu);
    m->cur = w->free_list[--w->nfree];
    pthread_mutex_unlock(&w->mu);
    return 0;
}

/* Hand the current block to the writer and take an empty one. Returns -1 when the writer
 * has failed (its error is reported at the end). */
int imp_writer_push(imp *m)
{
    writer *w = m->w;
    pthread_mutex_lock(&w->mu);
    w->queue[(w->qhead + w->qlen) % WBLOCKS] = m->cur;
    w->qlen++;
    pthread_cond_broadcast(&w->cv);
    while (!w->nfree)
        pthread_cond_wait(&w->cv, &w->mu);
    m->cur = w->free_list[--w->nfree];
    int failed = w->failed;
    pthread_mutex_unlock(&w->mu);
    return failed ? -1 : 0;
}

/* Flush, stop and join the writer; merge its counts and messages. Returns -1 (err filled)
 * when it hit a database error. */
int imp_writer_finish(imp *m, msk_err *err)
{
    writer *w = m->w;
    int rc = 0;
    if (!w)
        return 0;
    if (m->cur && m->cur->n)
        imp_writer_push(m);
    pthread_mutex_lock(&w->mu);
    w->done = 1;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
    if (w->failed) {
        *err = w->err;
        rc = -1;
    }
    m->rep->rows_replaced += w->replaced;
    m->rep->rows_loaded -= w->duplicates;
    m->rep->errors += w->duplicates;
    msk_buf_add(&m->rep->messages, w->messages.data, w->messages.len);
    msk_buf_release(&w->messages);
    for (int i = 0; i < WBLOCKS; i++)
        free(w->blocks[i]);
    pthread_mutex_destroy(&w->mu);
    pthread_mutex_destroy(&w->db);
    pthread_cond_destroy(&w->cv);
    free(w);
    m->w = NULL;
    m->cur = NULL;
    return rc;
}

/* The store connection is shared with the writer: take it for the rare direct uses. */
void imp_db_lock(imp *m)
{
    if (m->w)
        pthread_mutex_lock(&m->w->db);
}

void imp_db_unlock(imp *m)
{
    if (m->w)
        pthread_mutex_unlock(&m->w->db);
}
