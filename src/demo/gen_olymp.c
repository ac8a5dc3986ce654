/*
 * Demo olympiads (ВсОШ): the municipal stage for grades 7–11 and the regional stage for
 * grades 9–11. Entries are collected school by school and given their statuses once every
 * school is done, by the municipal ranking in each subject and grade (a winner scores more
 * than half the maximum; winners and prize-winners are at most 30 % of the participants), so
 * stronger schools win more without being told to. Team places rank all schools by points.
 */
#include "demo/internal.h"

#include "base/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const SUBJECT[] = {"math", "rus", "phys", "chem", "bio", "inf",
                                      "hist", "soc", "geo",  "eng",  "lit"};
static const int SIGN[] = {1, -1, 1, 1, 0, 1, -1, -1, 0, -1, -1};
enum { NSUBJ = sizeof SUBJECT / sizeof SUBJECT[0] };
static const char *const STATUS[] = {"participant", "prizewinner", "winner"};

#define ENTRY_LEVEL 2.1 /* a pupil's subject ability above this passes the school stage */

static void push(demo_ctx *c, const oly_entry *e)
{
    if (c->noly == c->capoly) {
        c->capoly = c->capoly ? c->capoly * 2 : 4096;
        c->oly = msk_reallocarray(c->oly, c->capoly, sizeof *c->oly);
    }
    c->oly[c->noly++] = *e;
}

void oly_collect(demo_ctx *c, int si, int year, const school *sc, rng *r)
{
    for (int g = 7; g <= 11 && g <= sc->top_grade; g++) {
        const cohort *co = &c->ros.g[g];
        for (int i = 0; i < co->n; i++) {
            const pupil *p = &co->p[i];
            double th = sc->effect + co->effect + p->ability;
            if (th < 0.9) /* far from the school stage's pass mark in every subject */
                continue;
            for (int s = 0; s < NSUBJ; s++) {
                double ts = th + (double)SIGN[s] * p->math_bias + 0.55 * rng_normal(r);
                if (ts <= ENTRY_LEVEL)
                    continue;
                double v = 100.0 / (1 + exp(-1.3 * (ts - 2.6))) + 6 * rng_normal(r);
                oly_entry e = {0};
                e.school = si;
                e.year = (int16_t)year;
                e.subject = (uint8_t)s;
                e.grade = (uint8_t)g;
                e.code = p->code;
                e.score = (float)(v < 0 ? 0 : v > 100 ? 100 : floor(v + 0.5));
                push(c, &e);
            }
        }
    }
}

static int by_group_score(const void *a, const void *b)
{
    const oly_entry *x = a, *y = b;
    if (x->year != y->year)
        return x->year - y->year;
    if (x->subject != y->subject)
        return x->subject - y->subject;
    if (x->grade != y->grade)
        return x->grade - y->grade;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->school != y->school)
        return x->school - y->school;
    return x->code < y->code ? -1 : x->code > y->code;
}

typedef struct team {
    int points, entries, school;
} team;

static int by_points(const void *a, const void *b)
{
    const team *x = a, *y = b;
    if (x->points != y->points)
        return y->points - x->points;
    if (x->entries != y->entries)
        return y->entries - x->entries;
    return x->school - y->school;
}

static int put(demo_ctx *c, const oly_entry *e, const char *stage, int status, double score)
{
    char code[8];
    pupil_code(e->code, code);
    store_olympiad o = {e->year,
                        e->grade,
                        stage,
                        SUBJECT[e->subject],
                        code,
                        STATUS[status],
                        c->schools[e->school].id,
                        0,
                        score};
    if (store_olympiad_add(c->s, &o, c->err))
        return -1;
    c->sum->olympiad++;
    return 0;
}

int oly_write(demo_ctx *c)
{
    rng r;
    rng_seed(&r, c->o->seed ^ 0x6f6c796d70696164ULL);
    if (c->noly)
        qsort(c->oly, c->noly, sizeof *c->oly, by_group_score);
    size_t a = 0;
    while (a < c->noly) {
        size_t b = a;
        while (b < c->noly && c->oly[b].year == c->oly[a].year &&
               c->oly[b].subject == c->oly[a].subject && c->oly[b].grade == c->oly[a].grade)
            b++;
        size_t quota = (b - a) * 30 / 100, awarded = 0;
        quota = quota < 1 ? 1 : quota;
        for (size_t i = a; i < b; i++) {
            oly_entry *e = &c->oly[i];
            e->status = 0;
            if (e->score > 50 && e->score == c->oly[a].score) {
                e->status = 2;
                awarded++;
            } else if (e->score > 50 && awarded < quota) {
                e->status = 1;
                awarded++;
            }
            /* the regional stage: grades 9–11, municipal winners and prize-winners above the
             * regional pass mark; the region is stronger, so few win there */
            if (e->grade >= 9 && e->status && e->score >= 55) {
                double v = e->score - 12 + 10 * rng_normal(&r);
                e->regional = 1;
                e->rscore = (float)(v < 0 ? 0 : v > 100 ? 100 : floor(v + 0.5));
                e->rstatus = e->rscore >= 85 ? 2 : e->rscore >= 65 ? 1 : 0;
            }
        }
        a = b;
    }
    team *t = msk_calloc((size_t)c->nschools, sizeof *t);
    int rc = -1;
    for (size_t i = 0; i < c->noly; i++) {
        const oly_entry *e = &c->oly[i];
        if (put(c, e, "municipal", e->status, e->score))
            goto out;
        int k = (e->year - c->o->year_from) * c->nschools + e->school;
        c->team_points[k] += e->status == 2 ? 3 : e->status;
        c->team_entries[k]++;
    }
    for (size_t i = 0; i < c->noly; i++) {
        const oly_entry *e = &c->oly[i];
        if (e->regional && put(c, e, "regional", e->rstatus, e->rscore))
            goto out;
    }
    for (int y = 0; y < c->nyears; y++) {
        for (int s = 0; s < c->nschools; s++)
            t[s] = (team){c->team_points[y * c->nschools + s], c->team_entries[y * c->nschools + s],
                          s};
        qsort(t, (size_t)c->nschools, sizeof *t, by_points);
        for (int k = 0; k < c->nschools; k++)
            if (store_team_put(c->s, c->o->year_from + y, "municipal", c->schools[t[k].school].id,
                               k + 1, 0, c->err))
                goto out;
    }
    rc = 0;
out:
    free(t);
    return rc;
}
