/*
 * The store: olympiad participants, team places and graduates (store.h).
 */
#include "store/internal.h"

#include "base/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- olympiads, teams, graduates ---- */

int store_olympiad_add(store *s, const store_olympiad *o, msk_err *err)
{
    db_stmt *st = store_stmt(s, ST_OLY_ADD, err);
    if (!st)
        return -1;
    db_bind_int(st, 1, o->year);
    store_bind_text(st, 2, o->stage);
    store_bind_text(st, 3, o->subject);
    db_bind_int(st, 4, o->grade);
    db_bind_int64(st, 5, o->school_id);
    store_bind_text(st, 6, o->pupil_code);
    store_bind_text(st, 7, o->status);
    store_bind_real(st, 8, o->score);
    store_bind_id(st, 9, o->batch_id);
    return store_step_done(s, st, err, "результат олимпиады");
}

int store_team_put(store *s, int year, const char *stage, int64_t school_id, int place,
                   int64_t batch_id, msk_err *err)
{
    db_stmt *st = store_stmt(s, ST_TEAM_PUT, err);
    if (!st)
        return -1;
    db_bind_int(st, 1, year);
    store_bind_text(st, 2, stage);
    db_bind_int64(st, 3, school_id);
    db_bind_int(st, 4, place);
    store_bind_id(st, 5, batch_id);
    return store_step_done(s, st, err, "командное место");
}

/* Contests are few rows a year: prepared per call (store_prep), not cached. */
int store_contest_add(store *s, const store_contest *c, msk_err *err)
{
    db_stmt *st;
    if (store_prep(s,
                   "INSERT INTO contest(year,school_id,level,title,status,pupil_code,"
                   "teacher_code,batch_id) VALUES(?,?,?,?,?,?,?,?)",
                   &st, "конкурсы", err))
        return -1;
    db_bind_int(st, 1, c->year);
    db_bind_int64(st, 2, c->school_id);
    store_bind_text(st, 3, c->level);
    store_bind_text(st, 4, c->title);
    store_bind_text(st, 5, c->status);
    store_bind_text(st, 6, c->pupil_code);
    store_bind_text(st, 7, c->teacher_code);
    store_bind_id(st, 8, c->batch_id);
    int rc = store_step_done(s, st, err, "участник конкурса");
    db_finalize(st);
    return rc;
}

int store_contest_clear(store *s, int year, int64_t school_id, int64_t *deleted, msk_err *err)
{
    db_stmt *st;
    if (store_prep(s, "DELETE FROM contest WHERE year=? AND school_id=?", &st, "конкурсы", err))
        return -1;
    db_bind_int(st, 1, year);
    db_bind_int64(st, 2, school_id);
    int rc = store_step_done(s, st, err, "конкурсы школы");
    db_finalize(st);
    if (!rc && deleted)
        *deleted += db_changes(s->db);
    return rc;
}

int store_graduate_add(store *s, const store_graduate *g, msk_err *err)
{
    db_stmt *st = store_stmt(s, ST_GRAD_ADD, err);
    if (!st)
        return -1;
    db_bind_int(st, 1, g->year);
    db_bind_int(st, 2, g->grade);
    db_bind_int64(st, 3, g->school_id);
    store_bind_text(st, 4, g->pupil_code);
    db_bind_int(st, 5, g->attestat);
    db_bind_int(st, 6, g->medal);
    store_bind_text(st, 7, g->destination);
    store_bind_id(st, 8, g->batch_id);
    return store_step_done(s, st, err, "выпускник");
}
