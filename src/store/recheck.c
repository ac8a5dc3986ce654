/*
 * Re-check rounds (перепроверка): drawing the sample, storing the experts' scores and
 * comparing them with the school's. See recheck.h. The sample depends only on the data and the
 * seed (our own PRNG, no clock), so a round can be drawn again and checked by anyone.
 */
#include "store/recheck.h"

#include "base/mem.h"
#include "store/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AREA "перепроверка" /* in database error messages */

/* splitmix64 (Steele, Lea, Flood 2014): small, fast and the same on every platform. */
static uint64_t rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0, without modulo bias. */
static size_t rng_below(uint64_t *state, size_t n)
{
    uint64_t lim = UINT64_MAX - UINT64_MAX % (uint64_t)n, x;
    do
        x = rng_next(state);
    while (x >= lim);
    return (size_t)(x % (uint64_t)n);
}

/* Partial Fisher–Yates: the first k of idx[0..n) become a uniform random k-subset. */
static void rng_pick(uint64_t *state, size_t *idx, size_t n, size_t k)
{
    for (size_t i = 0; i < k && i < n; i++) {
        size_t j = i + rng_below(state, n - i);
        size_t t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
    }
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* ---- sample ---------------------------------------------------------------------------------- */

typedef struct cand_work {
    int64_t result_id, school_id;
    store_recheck_work w;
} cand_work;

typedef struct cand_school {
    int64_t id;
    char code[64];
    size_t first, n; /* range of its works in the works array (sorted by school code) */
    int listed;
} cand_school;

typedef struct sampler {
    cand_work *works;
    size_t nworks;
    cand_school *schools;
    size_t nschools;
} sampler;

static void sampler_release(sampler *sp)
{
    free(sp->works);
    free(sp->schools);
    memset(sp, 0, sizeof *sp);
}

/* Present, first-attempt works of the procedure, by school code and result id, and the schools
 * they belong to (in the same order). */
static int load_works(store *s, int64_t proc, sampler *sp, msk_err *err)
{
    db_stmt *st = NULL;
    size_t cap = 0;
    int rc;
    if (store_prep(s,
                   "SELECT r.id, r.school_id, s.code, r.pupil_code, r.class, r.variant"
                   " FROM result r JOIN school s ON s.id = r.school_id"
                   " WHERE r.procedure_id = ? AND r.absent = 0 AND r.retake = 0"
                   " ORDER BY s.code, r.id",
                   &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, proc);
    while ((rc = db_step(st)) == DB_ROW) {
        if (sp->nworks == cap) {
            size_t ncap = cap ? cap * 2 : 256;
            sp->works = msk_realloc(sp->works, ncap * sizeof *sp->works);
            cap = ncap;
        }
        cand_work *cw = &sp->works[sp->nworks++];
        memset(cw, 0, sizeof *cw);
        cw->result_id = db_column_int64(st, 0);
        cw->school_id = db_column_int64(st, 1);
        store_col_copy(cw->w.school_code, sizeof cw->w.school_code, st, 2);
        store_col_copy(cw->w.pupil_code, sizeof cw->w.pupil_code, st, 3);
        store_col_copy(cw->w.class_name, sizeof cw->w.class_name, st, 4);
        cw->w.variant = db_column_type(st, 5) == DB_NULL ? STORE_NONE : db_column_int(st, 5);
    }
    db_finalize(st);
    if (rc != DB_DONE)
        return store_db_err(s, err, AREA, "работы процедуры");
    sp->schools = msk_calloc(sp->nworks ? sp->nworks : 1, sizeof *sp->schools);
    for (size_t i = 0; i < sp->nworks; i++) {
        if (sp->nschools == 0 || sp->schools[sp->nschools - 1].id != sp->works[i].school_id) {
            cand_school *cs = &sp->schools[sp->nschools++];
            cs->id = sp->works[i].school_id;
            snprintf(cs->code, sizeof cs->code, "%s", sp->works[i].w.school_code);
            cs->first = i;
        }
        sp->schools[sp->nschools - 1].n++;
    }
    return 0;
}

/* Schools with an 'objectivity' finding in the latest run of the year, by code. A listed
 * school without works of the procedure is added with none. *nlisted counts them. */
static int load_listed(store *s, int year, sampler *sp, int64_t *run, size_t *nlisted,
                       cand_school **listed, msk_err *err)
{
    db_stmt *st = NULL;
    int rc;
    *nlisted = 0;
    *listed = NULL;
    if (store_prep(s, "SELECT max(id) FROM analysis_run WHERE year = ?", &st, AREA, err))
        return -1;
    db_bind_int(st, 1, year);
    *run = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
    db_finalize(st);
    if (*run <= 0)
        return msk_error(err, "за %d год нет анализа: сначала выполните «msoko analyze --year %d»",
                         year, year);
    if (store_prep(s,
                   "SELECT DISTINCT s.id, s.code FROM finding f JOIN school s ON s.id = f.school_id"
                   " WHERE f.run_id = ? AND f.method = 'objectivity' ORDER BY s.code",
                   &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, *run);
    size_t cap = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*nlisted == cap) {
            size_t ncap = cap ? cap * 2 : 32;
            *listed = msk_realloc(*listed, ncap * sizeof **listed);
            cap = ncap;
        }
        cand_school *cs = &(*listed)[(*nlisted)++];
        memset(cs, 0, sizeof *cs);
        cs->id = db_column_int64(st, 0);
        store_col_copy(cs->code, sizeof cs->code, st, 1);
        cs->listed = 1;
        for (size_t i = 0; i < sp->nschools; i++)
            if (sp->schools[i].id == cs->id) {
                sp->schools[i].listed = 1;
                cs->first = sp->schools[i].first;
                cs->n = sp->schools[i].n;
            }
    }
    db_finalize(st);
    if (rc != DB_DONE)
        return store_db_err(s, err, AREA, "признаки необъективности");
    return 0;
}

static int save_round(store *s, const store_recheck_opts *o, int64_t proc, const sampler *sp,
                      const size_t *drawn, const int *control, size_t ndrawn, int64_t *round_id,
                      msk_err *err)
{
    db_stmt *st = NULL;
    char now[32];
    if (store_prep(s,
                   "INSERT INTO recheck_round(year, procedure_id, created_at, seed, per_school)"
                   " VALUES(?,?,?,?,?)",
                   &st, AREA, err))
        return -1;
    store_now(now);
    db_bind_int(st, 1, o->year);
    db_bind_int64(st, 2, proc);
    store_bind_text(st, 3, now);
    db_bind_int64(st, 4, (int64_t)o->seed);
    db_bind_int(st, 5, o->per_school);
    int rc = store_step_done(s, st, err, "раунд перепроверки");
    db_finalize(st);
    if (rc)
        return -1;
    *round_id = db_last_id(s->db);
    if (store_prep(
            s, "INSERT INTO recheck_work(round_id, result_id, school_id, control) VALUES(?,?,?,?)",
            &st, AREA, err))
        return -1;
    for (size_t i = 0; i < ndrawn && rc == 0; i++) {
        const cand_work *cw = &sp->works[drawn[i]];
        db_bind_int64(st, 1, *round_id);
        db_bind_int64(st, 2, cw->result_id);
        db_bind_int64(st, 3, cw->school_id);
        db_bind_int(st, 4, control[i]);
        rc = store_step_done(s, st, err, "работа перепроверки");
    }
    db_finalize(st);
    return rc;
}

int store_recheck_sample_draw(store *s, const store_recheck_opts *o, store_recheck_sample *out,
                              msk_err *err)
{
    sampler sp = {0};
    cand_school *listed = NULL, **chosen = NULL;
    size_t nlisted = 0, nchosen = 0, *idx = NULL, *drawn = NULL, ndrawn = 0;
    int *control = NULL;
    int64_t proc = 0, run = 0;
    uint64_t rng = o->seed;
    int rc = -1;
    memset(out, 0, sizeof *out);
    MSK_ASSERT(store_in_transaction(s)); /* app_recheck_sample's, with its audit row */
    int pr = store_procedure_id(s, o->year, o->kind, o->subject, o->grade, 0, &proc, err);
    if (pr < 0)
        return -1;
    if (pr > 0)
        return msk_error(err, "в базе нет процедуры %s %s %d класс за %d год", o->kind, o->subject,
                         o->grade, o->year);
    if (load_works(s, proc, &sp, err) || load_listed(s, o->year, &sp, &run, &nlisted, &listed, err))
        goto out;
    chosen = msk_calloc(nlisted + sp.nschools + 1, sizeof *chosen);
    idx = msk_calloc(sp.nschools + sp.nworks + 1, sizeof *idx);
    drawn = msk_calloc(sp.nworks + 1, sizeof *drawn);
    control = msk_calloc(sp.nworks + 1, sizeof *control);
    for (size_t i = 0; i < nlisted; i++)
        chosen[nchosen++] = &listed[i];
    /* control group: schools without a sign, drawn first so that the control draw does not
     * depend on how many works the listed schools have */
    size_t ncand = 0;
    for (size_t i = 0; i < sp.nschools; i++)
        if (!sp.schools[i].listed)
            idx[ncand++] = i;
    size_t nctl = (size_t)o->control < ncand ? (size_t)o->control : ncand;
    rng_pick(&rng, idx, ncand, nctl);
    qsort(idx, nctl, sizeof *idx, cmp_size); /* schools are in code order */
    for (size_t i = 0; i < nctl; i++)
        chosen[nchosen++] = &sp.schools[idx[i]];
    /* works: per_school of each chosen school, in school order */
    for (size_t c = 0; c < nchosen; c++) {
        const cand_school *cs = chosen[c];
        size_t k = (size_t)o->per_school < cs->n ? (size_t)o->per_school : cs->n;
        for (size_t i = 0; i < cs->n; i++)
            idx[i] = cs->first + i;
        rng_pick(&rng, idx, cs->n, k);
        qsort(idx, k, sizeof *idx, cmp_size);
        for (size_t i = 0; i < k; i++) {
            drawn[ndrawn] = idx[i];
            control[ndrawn++] = !cs->listed;
        }
    }
    if (save_round(s, o, proc, &sp, drawn, control, ndrawn, &out->round_id, err))
        goto out;
    out->schools = msk_calloc(nchosen + 1, sizeof *out->schools);
    out->works = msk_calloc(ndrawn + 1, sizeof *out->works);
    for (size_t c = 0; c < nchosen; c++) {
        store_recheck_school *rs = &out->schools[out->nschools++];
        snprintf(rs->code, sizeof rs->code, "%s", chosen[c]->code);
        rs->control = !chosen[c]->listed;
        rs->available = (int)chosen[c]->n;
        rs->drawn = (size_t)o->per_school < chosen[c]->n ? o->per_school : (int)chosen[c]->n;
    }
    for (size_t i = 0; i < ndrawn; i++)
        out->works[out->nworks++] = sp.works[drawn[i]].w;
    rc = 0;
out:
    if (rc)
        store_recheck_sample_release(out);
    sampler_release(&sp);
    free(listed);
    free(chosen);
    free(idx);
    free(drawn);
    free(control);
    return rc;
}

void store_recheck_sample_release(store_recheck_sample *sm)
{
    free(sm->schools);
    free(sm->works);
    memset(sm, 0, sizeof *sm);
}

/* ---- experts' scores ------------------------------------------------------------------------- */

int store_recheck_round_get(store *s, int64_t round_id, store_recheck_round *out, msk_err *err)
{
    db_stmt *st = NULL;
    int rc;
    memset(out, 0, sizeof *out);
    if (store_prep(
            s,
            "SELECT r.id, r.procedure_id, r.year, p.grade, r.per_school, p.kind, p.subject,"
            " r.created_at, r.seed FROM recheck_round r JOIN procedure p ON p.id = r.procedure_id"
            " WHERE r.id = ?",
            &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, round_id);
    rc = db_step(st);
    if (rc == DB_ROW) {
        out->id = db_column_int64(st, 0);
        out->procedure_id = db_column_int64(st, 1);
        out->year = db_column_int(st, 2);
        out->grade = db_column_int(st, 3);
        out->per_school = db_column_int(st, 4);
        store_col_copy(out->kind, sizeof out->kind, st, 5);
        store_col_copy(out->subject, sizeof out->subject, st, 6);
        store_col_copy(out->created_at, sizeof out->created_at, st, 7);
        out->seed = (uint64_t)db_column_int64(st, 8);
    }
    db_finalize(st);
    if (rc == DB_DONE)
        return 1;
    if (rc != DB_ROW)
        return store_db_err(s, err, AREA, "раунд");
    if (store_prep(
            s, "SELECT label, max_score FROM procedure_task WHERE procedure_id = ? ORDER BY idx",
            &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, out->procedure_id);
    size_t cap = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (out->ntasks == cap) {
            size_t ncap = cap ? cap * 2 : 32;
            out->tasks = msk_realloc(out->tasks, ncap * sizeof *out->tasks);
            cap = ncap;
        }
        store_recheck_task *t = &out->tasks[out->ntasks++];
        store_col_copy(t->label, sizeof t->label, st, 0);
        t->max_score = db_column_type(st, 1) == DB_NULL ? -1 : db_column_int(st, 1);
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        store_recheck_round_release(out);
        return store_db_err(s, err, AREA, "задания процедуры");
    }
    return 0;
}

void store_recheck_round_release(store_recheck_round *r)
{
    free(r->tasks);
    memset(r, 0, sizeof *r);
}

int store_recheck_works(store *s, int64_t round_id, store_recheck_work **works, int64_t **ids,
                        size_t *n, msk_err *err)
{
    db_stmt *st = NULL;
    size_t cap = 0;
    int rc;
    *works = NULL;
    *ids = NULL;
    *n = 0;
    if (store_prep(
            s,
            "SELECT w.result_id, s.code, r.pupil_code, r.class, r.variant FROM recheck_work w"
            " JOIN result r ON r.id = w.result_id JOIN school s ON s.id = w.school_id"
            " WHERE w.round_id = ? ORDER BY w.control, s.code, r.id",
            &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, round_id);
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 128;
            *works = msk_realloc(*works, ncap * sizeof **works);
            *ids = msk_realloc(*ids, ncap * sizeof **ids);
            cap = ncap;
        }
        store_recheck_work *w = &(*works)[*n];
        (*ids)[*n] = db_column_int64(st, 0);
        store_col_copy(w->school_code, sizeof w->school_code, st, 1);
        store_col_copy(w->pupil_code, sizeof w->pupil_code, st, 2);
        store_col_copy(w->class_name, sizeof w->class_name, st, 3);
        w->variant = db_column_type(st, 4) == DB_NULL ? STORE_NONE : db_column_int(st, 4);
        (*n)++;
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        free(*works);
        free(*ids);
        *works = NULL;
        *ids = NULL;
        *n = 0;
        return store_db_err(s, err, AREA, "работы раунда");
    }
    return 0;
}

int store_recheck_scores_put(store *s, int64_t round_id, const store_recheck_score *sc, size_t n,
                             msk_err *err)
{
    db_stmt *st = NULL;
    int rc = 0;
    MSK_ASSERT(store_in_transaction(s));
    if (store_prep(s,
                   "UPDATE recheck_work SET expert_tasks = ?, expert_primary = ?, expert_mark = ?"
                   " WHERE round_id = ? AND result_id = ?",
                   &st, AREA, err))
        return -1;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (sc[i].tasks && sc[i].ntasks)
            db_bind_blob(st, 1, sc[i].tasks, sc[i].ntasks);
        else
            db_bind_null(st, 1);
        store_bind_real(st, 2, sc[i].primary);
        store_bind_int(st, 3, sc[i].mark);
        db_bind_int64(st, 4, round_id);
        db_bind_int64(st, 5, sc[i].result_id);
        rc = store_step_done(s, st, err, "баллы экспертов");
        if (rc == 0 && db_changes(s->db) != 1)
            rc = msk_error(err, "работы %lld нет в раунде %lld", (long long)sc[i].result_id,
                           (long long)round_id);
    }
    db_finalize(st);
    return rc;
}

/* ---- comparison ------------------------------------------------------------------------------ */

int store_recheck_report_get(store *s, int64_t round_id, double tolerance,
                             store_recheck_report *out, msk_err *err)
{
    db_stmt *st = NULL;
    size_t cap = 0;
    int rc;
    memset(out, 0, sizeof *out);
    if (store_prep(s, "SELECT count(*) FROM recheck_round WHERE id = ?", &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, round_id);
    rc = db_step(st) == DB_ROW ? db_column_int(st, 0) : -1;
    db_finalize(st);
    if (rc < 0)
        return store_db_err(s, err, AREA, "раунд");
    if (rc == 0)
        return 1;
    if (store_prep(s,
                   "SELECT s.code, w.control, r.mark, r.primary_score, r.tasks, w.expert_mark,"
                   " w.expert_primary, w.expert_tasks FROM recheck_work w"
                   " JOIN result r ON r.id = w.result_id JOIN school s ON s.id = w.school_id"
                   " WHERE w.round_id = ? ORDER BY w.control, s.code, r.id",
                   &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, round_id);
    while ((rc = db_step(st)) == DB_ROW) {
        const char *code = db_column_text(st, 0);
        int ctl = db_column_int(st, 1);
        store_recheck_row *row = out->nrows ? &out->rows[out->nrows - 1] : NULL;
        if (!row || row->control != ctl || strcmp(row->code, code ? code : "") != 0) {
            if (out->nrows == cap) {
                size_t ncap = cap ? cap * 2 : 32;
                out->rows = msk_realloc(out->rows, ncap * sizeof *out->rows);
                cap = ncap;
            }
            row = &out->rows[out->nrows++];
            memset(row, 0, sizeof *row);
            snprintf(row->code, sizeof row->code, "%s", code ? code : "");
            row->control = ctl;
        }
        row->drawn++;
        if (db_column_type(st, 5) == DB_NULL)
            continue; /* not re-checked (yet) */
        row->rechecked++;
        int same_mark =
            db_column_type(st, 2) != DB_NULL && db_column_int(st, 2) == db_column_int(st, 5);
        int close = 1;
        if (db_column_type(st, 3) != DB_NULL && db_column_type(st, 6) != DB_NULL) {
            double d = db_column_double(st, 3) - db_column_double(st, 6);
            row->primary_n++;
            row->diff_sum += d;
            close = fabs(d) <= tolerance + 1e-9;
        }
        /* METHODS.md §2: the mark unchanged (inference: plus a point tolerance) */
        if (same_mark && close)
            row->objective++;
        const unsigned char *a = db_column_blob(st, 4);
        int na = db_column_bytes(st, 4);
        const unsigned char *b = db_column_blob(st, 7);
        int nb = db_column_bytes(st, 7);
        if (a && b)
            for (int i = 0; i < na && i < nb; i++) {
                row->tasks_compared++;
                row->tasks_changed += a[i] != b[i];
            }
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        store_recheck_report_release(out);
        return store_db_err(s, err, AREA, "сравнение");
    }
    return 0;
}

void store_recheck_report_release(store_recheck_report *r)
{
    free(r->rows);
    memset(r, 0, sizeof *r);
}

/* ---- every re-checked work of a year ----------------------------------------------------- */

int store_recheck_year(store *s, int year, store_recheck_pair **out, size_t *n, msk_err *err)
{
    db_stmt *st = NULL;
    size_t cap = 0;
    int64_t last = -1;
    int rc;
    *out = NULL;
    *n = 0;
    /* newest round first within a result: the first row of each result is the one kept */
    if (store_prep(
            s,
            "SELECT w.result_id, sc.code, p.kind, p.subject, p.grade, r.primary_score,"
            " r.mark, w.expert_primary, w.expert_mark FROM recheck_work w"
            " JOIN recheck_round rr ON rr.id = w.round_id"
            " JOIN result r ON r.id = w.result_id"
            " JOIN procedure p ON p.id = r.procedure_id"
            " JOIN school sc ON sc.id = w.school_id"
            " WHERE rr.year = ? AND (w.expert_mark IS NOT NULL OR w.expert_primary IS NOT NULL)"
            " ORDER BY sc.code, p.kind, p.subject, p.grade, w.result_id, w.round_id DESC",
            &st, AREA, err))
        return -1;
    db_bind_int(st, 1, year);
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t rid = db_column_int64(st, 0);
        if (rid == last)
            continue;
        last = rid;
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            *out = msk_realloc(*out, cap * sizeof **out);
        }
        store_recheck_pair *w = &(*out)[(*n)++];
        memset(w, 0, sizeof *w);
        const char *t = db_column_text(st, 1);
        snprintf(w->school, sizeof w->school, "%s", t ? t : "");
        t = db_column_text(st, 2);
        snprintf(w->kind, sizeof w->kind, "%s", t ? t : "");
        t = db_column_text(st, 3);
        snprintf(w->subject, sizeof w->subject, "%s", t ? t : "");
        w->grade = db_column_int(st, 4);
        w->school_primary = db_column_type(st, 5) == DB_NULL ? NAN : db_column_double(st, 5);
        w->school_mark = db_column_type(st, 6) == DB_NULL ? STORE_NONE : db_column_int(st, 6);
        w->expert_primary = db_column_type(st, 7) == DB_NULL ? NAN : db_column_double(st, 7);
        w->expert_mark = db_column_type(st, 8) == DB_NULL ? STORE_NONE : db_column_int(st, 8);
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        free(*out);
        *out = NULL;
        *n = 0;
        return store_db_err(s, err, AREA, "перепроверенные работы года");
    }
    return 0;
}
