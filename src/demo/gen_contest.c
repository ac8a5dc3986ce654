/*
 * Demo contests (seed 000 §VII table 1, row 7; the contests template): each school-year a few
 * pupils of grades 5–11 take part in municipal, regional and now and then federal contests,
 * the stronger ones more often and with better results, and a teacher or two enter the
 * professional ones. Drawn from a stream of their own (the school's seed and the year), so the
 * rest of the demo — results, olympiads, the planted cases — is exactly what it was.
 */
#include "demo/internal.h"

#include <math.h>
#include <stdio.h>

static const char *const TITLE[3][4] = {
    {"Всероссийский конкурс исследовательских работ «Юный исследователь»",
     "Всероссийский конкурс сочинений", "Всероссийский конкурс «Большая перемена»",
     "Всероссийский конкурс юных чтецов «Живая классика»"},
    {"Региональный конкурс проектов «Шаг в будущее»", "Региональный конкурс «Юные техники»",
     "Региональный экологический конкурс «Зелёная планета»",
     "Региональная научно-практическая конференция школьников"},
    {"Муниципальный конкурс чтецов", "Муниципальная научно-практическая конференция",
     "Муниципальный конкурс «Безопасное колесо»", "Муниципальный конкурс проектов"},
};
static const char *const LEVEL[3] = {"federal", "regional", "municipal"};
static const char *const TEACHER_TITLE[2] = {"Муниципальный конкурс «Учитель года»",
                                             "Региональный конкурс «Педагогический дебют»"};

static int put(demo_ctx *c, const school *sc, int year, int lv, const char *title,
               const char *status, const char *pcode, const char *teacher)
{
    store_contest row = {year, sc->id, 0, LEVEL[lv], title, status, pcode, teacher};
    if (store_contest_add(c->s, &row, c->err))
        return -1;
    c->sum->contests++;
    return 0;
}

int contest_year(demo_ctx *c, const school *sc, int year)
{
    rng r;
    rng_seed(&r, sc->seed ^ 0xC0478E57ULL ^ ((uint64_t)year << 40));
    int lo = 5, hi = sc->top_grade, pupils = 0;
    for (int g = lo; g <= hi; g++)
        pupils += c->ros.g[g].n;
    if (hi < lo || !pupils)
        return 0;
    /* about one entry per 40 pupils, more where the school is strong */
    int n = (int)floor(pupils / 40.0 * exp(0.8 * sc->effect) + rng_unif(&r));
    for (int k = 0; k < n; k++) {
        int g = rng_int(&r, lo, hi);
        const cohort *co = &c->ros.g[g];
        if (!co->n)
            continue;
        const pupil *p = &co->p[rng_int(&r, 0, co->n - 1)];
        double th = sc->effect + co->effect + p->ability + 0.5 * rng_normal(&r);
        /* the level: mostly municipal; a strong pupil goes further */
        int lv = th > 1.6 && rng_chance(&r, 0.35) ? 0 : th > 0.6 && rng_chance(&r, 0.45) ? 1 : 2;
        double q = th - (lv == 0 ? 1.8 : lv == 1 ? 1.0 : 0.3);
        const char *status = q > 0.9 ? "winner" : q > 0.2 ? "prizewinner" : "participant";
        char code[8];
        pupil_code(p->code, code);
        if (put(c, sc, year, lv, TITLE[lv][rng_int(&r, 0, 3)], status, code, NULL))
            return -1;
    }
    /* the professional contests: a teacher now and then (teachers as codes, never names) */
    if (rng_chance(&r, 0.3)) {
        char code[8];
        snprintf(code, sizeof code, "t%04d", rng_int(&r, 1, 60));
        int regional = rng_chance(&r, 0.3);
        if (put(c, sc, year, regional ? 1 : 2, TEACHER_TITLE[regional],
                rng_chance(&r, 0.3) ? "prizewinner" : "participant", NULL, code))
            return -1;
    }
    return 0;
}
