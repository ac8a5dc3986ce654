/* Histograms of all schools of a year in one pass (hist.h). */
#include "report/hist.h"

#include "base/mem.h"
#include "model/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct proc_hist {
    char key[64];
    int maxs;
    double cuts[3];
    int *muni;    /* maxs + 1 */
    int *schools; /* nschools × (maxs + 1) */
} proc_hist;

struct report_hist {
    model m;
    size_t n;
    proc_hist *p;
};

void report_hist_free(report_hist *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++) {
        free(h->p[i].muni);
        free(h->p[i].schools);
    }
    free(h->p);
    model_release(&h->m);
    free(h);
}

static int counted(const model *m, size_t r)
{
    /* the rows view_procedure counts (src/view/proc.c) */
    return !(m->res.flags[r] & (MODEL_ABSENT | MODEL_RETAKE | MODEL_PAST_GRADUATE));
}

int report_hist_load(store *s, int year, report_hist **out, msk_err *err)
{
    report_hist *h = msk_calloc(1, sizeof *h);
    if (model_load(&h->m, s, year, year, err)) {
        report_hist_free(h);
        return -1;
    }
    const model *m = &h->m;
    h->n = m->nprocs;
    h->p = msk_calloc(h->n ? h->n : 1, sizeof *h->p);
    size_t ns = m->nschools ? m->nschools : 1;
    for (size_t i = 0; i < h->n; i++) {
        const model_proc *pr = &m->procs[i];
        proc_hist *ph = &h->p[i];
        snprintf(ph->key, sizeof ph->key, "%s-%s-%d", pr->kind, pr->subject, pr->grade);
        ph->maxs = isnan(pr->max_primary) ? 0 : (int)pr->max_primary;
        ph->cuts[0] = pr->cut3, ph->cuts[1] = pr->cut4, ph->cuts[2] = pr->cut5;
    }
    for (size_t r = 0; r < m->res.n; r++) { /* the highest score widens the scale */
        float x = m->res.primary[r];
        proc_hist *ph = &h->p[m->res.proc[r]];
        if (!isnan(x) && x > ph->maxs && x < 1000)
            ph->maxs = (int)ceilf(x);
    }
    for (size_t i = 0; i < h->n; i++) {
        proc_hist *ph = &h->p[i];
        ph->muni = msk_calloc((size_t)ph->maxs + 1, sizeof *ph->muni);
        ph->schools = msk_calloc(ns * ((size_t)ph->maxs + 1), sizeof *ph->schools);
    }
    for (size_t r = 0; r < m->res.n; r++) {
        float x = m->res.primary[r];
        if (!counted(m, r) || isnan(x) || x < 0)
            continue;
        proc_hist *ph = &h->p[m->res.proc[r]];
        int sc = (int)lroundf(x) > ph->maxs ? ph->maxs : (int)lroundf(x);
        ph->muni[sc]++;
        ph->schools[(size_t)m->res.school[r] * ((size_t)ph->maxs + 1) + (size_t)sc]++;
    }
    *out = h;
    return 0;
}

int report_hist_get(const report_hist *h, const char *key, const char *school, const int **muni,
                    const int **mine, size_t *n, double cuts[3])
{
    for (size_t i = 0; i < h->n; i++) {
        const proc_hist *ph = &h->p[i];
        if (strcmp(ph->key, key))
            continue;
        int32_t sc = model_find_school(&h->m, school);
        if (sc < 0)
            return 1;
        *muni = ph->muni;
        *mine = ph->schools + (size_t)sc * ((size_t)ph->maxs + 1);
        *n = (size_t)ph->maxs + 1;
        memcpy(cuts, ph->cuts, sizeof ph->cuts);
        return 0;
    }
    return 1;
}
