/*
 * The store: a year's scales from a file, benchmarks and external lists (store/benchmark.h).
 * These are few rows a year, so statements are prepared per call (store_prep), not cached.
 */
#include "store/benchmark.h"

#include "base/mem.h"
#include "store/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Run a prepared write and finalize it; -1 (err filled) on failure. */
static int run(store *s, db_stmt *st, const char *what, msk_err *err)
{
    int rc = store_step_done(s, st, err, what);
    db_finalize(st);
    return rc;
}

/* ---- a year's scales ---- */

int store_scale_import(store *s, const store_scale *sc, int64_t batch_id, int64_t *id,
                       int64_t *replaced, msk_err *err)
{
    db_stmt *st;
    if (store_scale_put(s, sc, id, err))
        return -1;
    if (store_prep(s, "UPDATE scale SET batch_id=? WHERE id=?", &st, "шкала", err))
        return -1;
    store_bind_id(st, 1, batch_id);
    db_bind_int64(st, 2, *id);
    if (run(s, st, "шкала", err))
        return -1;
    return store_scale_points_clear(s, *id, replaced, err);
}

int store_scale_points_clear(store *s, int64_t scale_id, int64_t *replaced, msk_err *err)
{
    db_stmt *st;
    if (store_prep(s, "DELETE FROM scale_point WHERE scale_id=?", &st, "шкала", err))
        return -1;
    db_bind_int64(st, 1, scale_id);
    if (run(s, st, "таблица перевода баллов", err))
        return -1;
    if (replaced)
        *replaced += db_changes(s->db);
    return 0;
}

int store_scale_own(store *s, int year, const char *kind, const char *subject, int grade,
                    int64_t *id)
{
    db_stmt *st;
    int rc = 1;
    if (store_prep(s, "SELECT id FROM scale WHERE year=? AND kind=? AND subject=? AND grade=?", &st,
                   "шкала", NULL))
        return 1;
    db_bind_int(st, 1, year);
    store_bind_text(st, 2, kind);
    store_bind_text(st, 3, subject);
    db_bind_int(st, 4, grade);
    if (db_step(st) == DB_ROW) {
        *id = db_column_int64(st, 0);
        rc = 0;
    }
    db_finalize(st);
    return rc;
}

int store_scale_point_import(store *s, int64_t scale_id, int primary, int test, int64_t batch_id,
                             msk_err *err)
{
    db_stmt *st;
    if (store_prep(s,
                   "INSERT OR REPLACE INTO scale_point(scale_id,primary_score,test_score,batch_id)"
                   " VALUES(?,?,?,?)",
                   &st, "таблица перевода баллов", err))
        return -1;
    db_bind_int64(st, 1, scale_id);
    db_bind_int(st, 2, primary);
    db_bind_int(st, 3, test);
    store_bind_id(st, 4, batch_id);
    return run(s, st, "таблица перевода баллов", err);
}

int64_t store_scale_results(store *s, int year, const char *kind, const char *subject, int grade)
{
    db_stmt *st;
    int64_t n = 0;
    if (store_prep(s,
                   "SELECT count(*) FROM result r JOIN procedure p ON p.id=r.procedure_id"
                   " WHERE p.year=? AND p.kind=? AND p.subject=? AND p.grade=?"
                   " AND r.primary_score IS NOT NULL",
                   &st, "результаты", NULL))
        return 0;
    db_bind_int(st, 1, year);
    store_bind_text(st, 2, kind);
    store_bind_text(st, 3, subject);
    db_bind_int(st, 4, grade);
    if (db_step(st) == DB_ROW)
        n = db_column_int64(st, 0);
    db_finalize(st);
    return n;
}

size_t store_scale_points(store *s, int64_t scale_id, int *primary, int *test, size_t cap)
{
    db_stmt *st;
    size_t n = 0;
    if (store_prep(s,
                   "SELECT primary_score, test_score FROM scale_point WHERE scale_id=?"
                   " ORDER BY primary_score",
                   &st, "таблица перевода баллов", NULL))
        return 0;
    db_bind_int64(st, 1, scale_id);
    while (db_step(st) == DB_ROW) {
        if (n < cap) {
            primary[n] = db_column_int(st, 0);
            test[n] = db_column_int(st, 1);
        }
        n++;
    }
    db_finalize(st);
    return n;
}

int store_scale_source(store *s, int year, const char *kind, const char *subject, int grade,
                       int *scale_year, char *src, size_t srcsz)
{
    db_stmt *st;
    int rc = 1;
    if (store_prep(s,
                   "SELECT year, source FROM scale WHERE kind=? AND subject=? AND grade=?"
                   " AND year IN (?,0) ORDER BY year DESC LIMIT 1",
                   &st, "шкала", NULL))
        return 1;
    store_bind_text(st, 1, kind);
    store_bind_text(st, 2, subject);
    db_bind_int(st, 3, grade);
    db_bind_int(st, 4, year);
    if (db_step(st) == DB_ROW) {
        *scale_year = db_column_int(st, 0);
        store_col_copy(src, srcsz, st, 1);
        rc = 0;
    }
    db_finalize(st);
    return rc;
}

/* ---- benchmarks ---- */

int store_bench_put(store *s, const store_bench *b, int64_t *replaced, msk_err *err)
{
    db_stmt *st;
    if (store_prep(s, "SELECT 1 FROM benchmark WHERE procedure_id=? AND level=?", &st,
                   "показатели для сравнения", err))
        return -1;
    db_bind_int64(st, 1, b->procedure_id);
    store_bind_text(st, 2, b->level);
    int existed = db_step(st) == DB_ROW;
    db_finalize(st);
    if (store_prep(s,
                   "INSERT OR REPLACE INTO benchmark(procedure_id,level,name,participants,mark2,"
                   "mark3,mark4,mark5,below_min,batch_id,mean_score) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                   &st, "показатели для сравнения", err))
        return -1;
    db_bind_int64(st, 1, b->procedure_id);
    store_bind_text(st, 2, b->level);
    store_bind_text(st, 3, b->name ? b->name : "");
    db_bind_int(st, 4, b->participants);
    store_bind_int(st, 5, b->mark2);
    store_bind_int(st, 6, b->mark3);
    store_bind_int(st, 7, b->mark4);
    store_bind_int(st, 8, b->mark5);
    store_bind_int(st, 9, b->below_min);
    store_bind_id(st, 10, b->batch_id);
    if (isnan(b->mean_score))
        db_bind_null(st, 11);
    else
        db_bind_double(st, 11, b->mean_score);
    if (run(s, st, "показатели для сравнения", err))
        return -1;
    if (replaced && existed)
        (*replaced)++;
    return 0;
}

static int col_int(db_stmt *st, int c)
{
    return db_column_type(st, c) == DB_NULL ? STORE_NONE : db_column_int(st, c);
}

int store_bench_year(store *s, int year, store_bench_row **rows, size_t *n, msk_err *err)
{
    db_stmt *st;
    size_t k = 0, cap = 0;
    store_bench_row *r = NULL;
    *rows = NULL;
    *n = 0;
    if (store_prep(s,
                   "SELECT p.kind,p.subject,p.grade,b.level,b.name,b.participants,b.mark2,"
                   "b.mark3,b.mark4,b.mark5,b.below_min,b.mean_score FROM benchmark b"
                   " JOIN procedure p ON p.id=b.procedure_id WHERE p.year=?"
                   " ORDER BY p.kind,p.subject,p.grade,b.level",
                   &st, "показатели для сравнения", err))
        return -1;
    db_bind_int(st, 1, year);
    while (db_step(st) == DB_ROW) {
        if (k == cap) {
            cap = cap ? cap * 2 : 16;
            r = msk_reallocarray(r, cap, sizeof *r);
        }
        store_bench_row *b = &r[k++];
        store_col_copy(b->kind, sizeof b->kind, st, 0);
        store_col_copy(b->subject, sizeof b->subject, st, 1);
        b->grade = db_column_int(st, 2);
        store_col_copy(b->level, sizeof b->level, st, 3);
        store_col_copy(b->name, sizeof b->name, st, 4);
        b->participants = db_column_int(st, 5);
        b->mark2 = col_int(st, 6);
        b->mark3 = col_int(st, 7);
        b->mark4 = col_int(st, 8);
        b->mark5 = col_int(st, 9);
        b->below_min = col_int(st, 10);
        b->mean_score = db_column_type(st, 11) == DB_NULL ? NAN : db_column_double(st, 11);
    }
    db_finalize(st);
    *rows = r;
    *n = k;
    return 0;
}

/* ---- external lists ---- */

int store_extlist_clear(store *s, int year, const char *list, int64_t *deleted, msk_err *err)
{
    db_stmt *st;
    if (store_prep(s, "DELETE FROM external_list WHERE year=? AND list=?", &st, "внешний список",
                   err))
        return -1;
    db_bind_int(st, 1, year);
    store_bind_text(st, 2, list);
    if (run(s, st, "внешний список", err))
        return -1;
    if (deleted)
        *deleted += db_changes(s->db);
    return 0;
}

int store_extlist_put(store *s, int year, int64_t school_id, const char *list, const char *reason,
                      int64_t batch_id, msk_err *err)
{
    db_stmt *st;
    if (store_prep(s,
                   "INSERT INTO external_list(year,school_id,list,reason,batch_id)"
                   " VALUES(?,?,?,?,?)",
                   &st, "внешний список", err))
        return -1;
    db_bind_int(st, 1, year);
    db_bind_int64(st, 2, school_id);
    store_bind_text(st, 3, list);
    store_bind_text(st, 4, reason ? reason : "");
    store_bind_id(st, 5, batch_id);
    return run(s, st, "школа в списке", err);
}

int store_extlist_year(store *s, int year, store_extlist_row **rows, size_t *n, msk_err *err)
{
    db_stmt *st;
    size_t k = 0, cap = 0;
    store_extlist_row *r = NULL;
    *rows = NULL;
    *n = 0;
    if (store_prep(s,
                   "SELECT sc.code,e.list,e.reason FROM external_list e"
                   " JOIN school sc ON sc.id=e.school_id WHERE e.year=? ORDER BY e.list,sc.code",
                   &st, "внешний список", err))
        return -1;
    db_bind_int(st, 1, year);
    while (db_step(st) == DB_ROW) {
        if (k == cap) {
            cap = cap ? cap * 2 : 16;
            r = msk_reallocarray(r, cap, sizeof *r);
        }
        store_extlist_row *e = &r[k++];
        store_col_copy(e->school, sizeof e->school, st, 0);
        store_col_copy(e->list, sizeof e->list, st, 1);
        store_col_copy(e->reason, sizeof e->reason, st, 2);
    }
    db_finalize(st);
    *rows = r;
    *n = k;
    return 0;
}
