/*
 * The inputs of the seed 001 ШНОР rule from the store (engine/shnor_in.h): seed 001 «динамика
 * результатов ЕГЭ, отнесенных к среднекраевому баллу» — the region rows of the benchmarks;
 * «школы, хотя бы единожды вошедшие в список школ, показавших необъективные результаты ВПР» —
 * our objectivity findings of earlier years and the external lists.
 */
#include "engine/shnor_in.h"
#include "base/mem.h"
#include "store/benchmark.h"
#include "store/view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_YEARS = 64 };

typedef struct grow {
    engine_shnor_in *o;
    size_t cap;
    int year, analysed;
} grow;

static void add_nonobj(grow *g, const char *school, int year, const char *source)
{
    shnor_inputs *in = &g->o->in;
    for (size_t i = 0; i < in->nnonobj; i++) /* once per school, year and list */
        if (g->o->nonobj[i].year == year && !strcmp(g->o->nonobj[i].school, school) &&
            !strcmp(g->o->nonobj[i].source, source))
            return;
    if (in->nnonobj == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 16;
        g->o->nonobj = msk_reallocarray(g->o->nonobj, g->cap, sizeof *g->o->nonobj);
    }
    shnor_nonobj *x = &g->o->nonobj[in->nnonobj++];
    memset(x, 0, sizeof *x);
    snprintf(x->school, sizeof x->school, "%s", school);
    snprintf(x->source, sizeof x->source, "%s", source);
    x->year = year;
    in->nonobj = g->o->nonobj;
}

static void on_finding(void *ctx, const store_read_finding *r)
{
    grow *g = ctx;
    g->analysed = 1; /* every run has its municipal indicators: the year's list exists */
    if (r->school_code && !strcmp(r->method, "objectivity"))
        add_nonobj(g, r->school_code, g->year, "objectivity");
}

static int load_region(store *s, int year, engine_shnor_in *o, msk_err *err)
{
    size_t cap = 0;
    for (int y = year - 1; y <= year; y++) {
        store_bench_row *rows;
        size_t n;
        if (store_bench_year(s, y, &rows, &n, err))
            return -1;
        for (size_t i = 0; i < n; i++) {
            if (strcmp(rows[i].level, "region") != 0 || isnan(rows[i].mean_score))
                continue;
            if (o->in.nregion == cap) {
                cap = cap ? cap * 2 : 16;
                o->region = msk_reallocarray(o->region, cap, sizeof *o->region);
            }
            shnor_region_mean *r = &o->region[o->in.nregion++];
            memset(r, 0, sizeof *r);
            r->year = y;
            r->grade = rows[i].grade;
            snprintf(r->kind, sizeof r->kind, "%s", rows[i].kind);
            snprintf(r->subject, sizeof r->subject, "%s", rows[i].subject);
            r->mean = rows[i].mean_score;
        }
        free(rows);
    }
    o->in.region = o->region;
    return 0;
}

int engine_shnor_in_load(store *s, int year, engine_shnor_in *o, msk_err *err)
{
    memset(o, 0, sizeof *o);
    if (load_region(s, year, o, err))
        return -1;
    int years[MAX_YEARS], ny = 0;
    if (store_read_years(s, years, MAX_YEARS, &ny, err))
        return -1;
    grow g = {o, 0, 0, 0};
    for (int k = 0; k < ny; k++) {
        if (years[k] > year)
            continue;
        /* our own lists: the years before (the year's own list is computed after ШНОР, and a
         * rerun must not depend on the run before it) */
        if (years[k] < year) {
            g.year = years[k];
            g.analysed = 0;
            if (store_read_findings(s, years[k], on_finding, &g, err))
                return -1;
            o->in.nlists += g.analysed;
        }
        store_extlist_row *rows;
        size_t n;
        if (store_extlist_year(s, years[k], &rows, &n, err))
            return -1;
        int fed = 0, reg = 0;
        for (size_t i = 0; i < n; i++) {
            int f = !strcmp(rows[i].list, "nonobj_federal"),
                r = !strcmp(rows[i].list, "nonobj_regional");
            if (f || r)
                add_nonobj(&g, rows[i].school, years[k], rows[i].list);
            fed |= f;
            reg |= r;
        }
        o->in.nlists += fed + reg;
        free(rows);
    }
    return 0;
}

void engine_shnor_in_release(engine_shnor_in *o)
{
    free(o->region);
    free(o->nonobj);
    memset(o, 0, sizeof *o);
}
