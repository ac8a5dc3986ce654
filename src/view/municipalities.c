/*
 * The municipalities compared (issue 17 item 2: the regional analyst sees the same lists and
 * indicators one level up): per municipality its schools, the ШНОР list's count and share, the
 * zone of risk, the schools with signs of non-objective results, and the municipal
 * distribution of marks of each procedure of the year side by side. Built from the view of
 * every school (the region), grouping its schools by the municipality the store names.
 */
#include "base/mem.h"
#include "store/municipality.h"
#include "view/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct muni_map {
    const view_year *v;
    int32_t *of;                  /* of[school index]: municipality index, -1 none */
    const store_municipality *mu; /* by code */
    size_t nmu;
} muni_map;

static void on_school(void *ctx, const char *school, const char *muni)
{
    muni_map *m = ctx;
    int32_t i = vi_find_school(m->v, school);
    if (i < 0 || !*muni)
        return;
    for (size_t k = 0; k < m->nmu; k++)
        if (!strcmp(m->mu[k].code, muni)) {
            m->of[i] = (int32_t)k;
            return;
        }
}

/* The marks of procedure p summed over the schools of municipality k (muni_cell's sums). */
static json_t *muni_marks(const view_year *v, const muni_map *mm, int32_t p, size_t k)
{
    model_cell out;
    size_t from, to;
    double wp = 0, sp = 0, wt = 0, st = 0;
    memset(&out, 0, sizeof out);
    out.proc = p;
    out.school = -1;
    vi_cells_of(v, p, &from, &to);
    for (size_t i = from; i < to; i++) {
        const model_cell *c = &v->m.cells[i];
        if (mm->of[c->school] != (int32_t)k)
            continue;
        out.participants += c->participants;
        for (int j = 2; j <= 5; j++)
            out.marks[j] += c->marks[j];
        out.below_min += c->below_min;
        out.failed += c->failed;
        if (!isnan(c->mean_primary))
            wp += c->participants, sp += c->mean_primary * c->participants;
        if (!isnan(c->mean_test))
            wt += c->participants, st += c->mean_test * c->participants;
    }
    out.mean_primary = wp > 0 ? sp / wp : NAN;
    out.mean_test = wt > 0 ? st / wt : NAN;
    return vi_marks(&v->m.procs[p], &out);
}

int view_municipalities(store *s, const view_year *v, const view_ctx *c, json_t **out, msk_err *err)
{
    store_municipality *mu = NULL;
    size_t nmu = 0;
    *out = NULL;
    if (c->role < VIEW_ANALYST)
        return msk_error(err, "сравнение муниципалитетов доступно аналитикам"), VIEW_FORBIDDEN;
    if (v->scope_muni)
        return msk_error(err, "сравнение муниципалитетов — на уровне региона"), VIEW_FORBIDDEN;
    if (store_municipality_list(s, &mu, &nmu, err))
        return -1;
    muni_map mm = {v, msk_reallocarray(NULL, v->m.nschools ? v->m.nschools : 1, sizeof(int32_t)),
                   mu, nmu};
    for (size_t i = 0; i < v->m.nschools; i++)
        mm.of[i] = -1;
    if (store_municipality_schools(s, on_school, &mm, err)) {
        free(mm.of);
        free(mu);
        return -1;
    }
    static const char *const LISTS[] = {"shnor", "risk", "objectivity"};
    json_t *rows = json_array();
    for (size_t k = 0; k < nmu; k++) {
        int schools = 0, n[3] = {0, 0, 0};
        for (size_t i = 0; i < v->m.nschools; i++) {
            if (mm.of[i] != (int32_t)k)
                continue;
            schools++;
            for (size_t l = 0; l < 3; l++)
                n[l] += vi_has_finding(v, v->year, (int32_t)i, LISTS[l]) ? 1 : 0;
        }
        json_t *row = json_pack("{s:s,s:s,s:i,s:i,s:o,s:i,s:i}", "code", mu[k].code, "name",
                                mu[k].name, "schools", schools, "shnor", n[0], "shnor_share",
                                schools ? json_real((double)n[0] / schools) : json_null(), "risk",
                                n[1], "objectivity", n[2]);
        json_object_set_new(row, "href", json_sprintf("/?mo=%s", mu[k].code));
        json_array_append_new(rows, row);
    }
    json_t *procs = json_array();
    for (size_t p = 0; p < v->m.nprocs; p++) {
        if (v->m.procs[p].year != v->year || !v->muni[p].participants)
            continue;
        json_t *by = json_array();
        for (size_t k = 0; k < nmu; k++)
            json_array_append_new(by,
                                  json_pack("{s:s,s:s,s:o}", "code", mu[k].code, "name", mu[k].name,
                                            "marks", muni_marks(v, &mm, (int32_t)p, k)));
        json_array_append_new(procs, json_pack("{s:o,s:o,s:o}", "proc", vi_proc_ref(v, (int32_t)p),
                                               "region", vi_marks(&v->m.procs[p], &v->muni[p]),
                                               "municipalities", by));
    }
    *out = json_pack("{s:i,s:i,s:o,s:o}", "year", v->year, "count", (int)nmu, "municipalities",
                     rows, "procedures", procs);
    free(mm.of);
    free(mu);
    return 0;
}
