/*
 * Value added (value_added.h). Linear in the result rows: the rows are grouped by procedure
 * once (a counting sort); each pair of procedures touches its two groups; the earlier z of a
 * pupil sits in one array indexed by pupil and is cleared after its pair.
 */
#include "method/value_added.h"
#include "method/stat.h"
#include "base/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pstat {
    double mean, sd; /* of the pupils' scores (primary, or the ЕГЭ test score) */
    long n;
    double mmean, msd; /* of the marks, pooled over the cells (aggregates too) */
    long mn;
} pstat;

typedef struct acc {
    double sum, sumsq; /* linked residuals */
    long n;
    double csum, cw, cvar; /* cohort differences: weighted sum, weights, variance sum */
} acc;

static int counted(const model *m, size_t r)
{
    return !(m->res.flags[r] & (MODEL_RETAKE | MODEL_PAST_GRADUATE | MODEL_ABSENT));
}

static double score_of(const model *m, size_t r)
{
    const model_proc *p = &m->procs[m->res.proc[r]];
    if (strcmp(p->kind, "EGE") == 0 && m->res.test_score[r] >= 0)
        return m->res.test_score[r];
    return isnan(m->res.primary[r]) ? NAN : (double)m->res.primary[r];
}

static void subject_root(const char *s, char *out, size_t outsz)
{
    size_t n = strcspn(s, "_");
    if (n >= outsz)
        n = outsz - 1;
    memcpy(out, s, n);
    out[n] = '\0';
}

static int scored_kind(const char *kind)
{
    return !strcmp(kind, "VPR") || !strcmp(kind, "OGE") || !strcmp(kind, "EGE") ||
           !strcmp(kind, "RKR") || !strcmp(kind, "MKR") || !strcmp(kind, "NIKO");
}

/* The earlier procedure of q: same subject (math_base/math_prof count as math), year Y−d and
 * grade − d for d = 1, else 2 (ОГЭ 9 → ЕГЭ 11); one with scores or marks. -1 when none. */
static int32_t prior_of(const model *m, const pstat *st, int32_t q)
{
    const model_proc *pq = &m->procs[q];
    char rq[16], rp[16];
    subject_root(pq->subject, rq, sizeof rq);
    for (int d = 1; d <= 2; d++)
        for (size_t p = 0; p < m->nprocs; p++) {
            const model_proc *pp = &m->procs[p];
            if (pp->year != pq->year - d || pp->grade != pq->grade - d || !scored_kind(pp->kind))
                continue;
            subject_root(pp->subject, rp, sizeof rp);
            if (strcmp(rp, rq) == 0 && (st[p].n >= 2 || st[p].mn >= 2))
                return (int32_t)p;
        }
    return -1;
}

/* Per procedure: the scores' mean and spread over counted rows, the marks' over the cells. */
static void proc_stats(const model *m, pstat *st)
{
    double *s = msk_calloc(m->nprocs ? m->nprocs : 1, sizeof *s);
    double *s2 = msk_calloc(m->nprocs ? m->nprocs : 1, sizeof *s2);
    for (size_t r = 0; r < m->res.n; r++) {
        double x = counted(m, r) ? score_of(m, r) : NAN;
        if (isnan(x))
            continue;
        int32_t p = m->res.proc[r];
        s[p] += x;
        s2[p] += x * x;
        st[p].n++;
    }
    for (size_t p = 0; p < m->nprocs; p++) {
        st[p].mean = st[p].n ? s[p] / (double)st[p].n : NAN;
        double v = st[p].n > 1
                       ? (s2[p] - (double)st[p].n * st[p].mean * st[p].mean) / (double)(st[p].n - 1)
                       : NAN;
        st[p].sd = v > 0 ? sqrt(v) : NAN;
        s[p] = s2[p] = 0;
    }
    for (size_t i = 0; i < m->ncells; i++) {
        const model_cell *c = &m->cells[i];
        for (int k = 2; k <= 5; k++) {
            s[c->proc] += (double)k * c->marks[k];
            s2[c->proc] += (double)k * k * c->marks[k];
            st[c->proc].mn += c->marks[k];
        }
    }
    for (size_t p = 0; p < m->nprocs; p++) {
        long n = st[p].mn;
        st[p].mmean = n ? s[p] / (double)n : NAN;
        double v = n > 1 ? (s2[p] - (double)n * st[p].mmean * st[p].mmean) / (double)(n - 1) : NAN;
        st[p].msd = v > 0 ? sqrt(v) : NAN;
    }
    free(s);
    free(s2);
}

/* A cell's standardised mean: by the scores when the cell has them, else by the marks. */
static double cell_z(const model *m, const pstat *st, const model_cell *c)
{
    const model_proc *p = &m->procs[c->proc];
    const pstat *s = &st[c->proc];
    double x = strcmp(p->kind, "EGE") == 0 && !isnan(c->mean_test) ? c->mean_test : c->mean_primary;
    if (!isnan(x) && !isnan(s->sd))
        return (x - s->mean) / s->sd;
    long n = c->marks[2] + c->marks[3] + c->marks[4] + c->marks[5];
    if (!n || isnan(s->msd))
        return NAN;
    double mm =
        (2.0 * c->marks[2] + 3.0 * c->marks[3] + 4.0 * c->marks[4] + 5.0 * c->marks[5]) / (double)n;
    return (mm - s->mmean) / s->msd;
}

typedef struct link {
    int32_t school;
    double x, y;
} link;

/* One pair p → q: pupils linked by code (the model's pupil index is code + school, so a pupil
 * who changed school does not link); the regression, the residuals per school; and the cohort
 * difference of every school with both cells. Returns the number of linked pupils. */
static long do_pair(const model *m, const pstat *st, int32_t p, int32_t q, const size_t *rows,
                    const size_t *start, float *zp, link *lk, acc *a, double *slope, double *icpt)
{
    for (size_t k = start[p]; k < start[p + 1]; k++) {
        size_t r = rows[k];
        double x = counted(m, r) ? score_of(m, r) : NAN;
        if (!isnan(x) && !isnan(st[p].sd) && m->res.pupil[r] >= 0)
            zp[m->res.pupil[r]] = (float)((x - st[p].mean) / st[p].sd);
    }
    long n = 0;
    double sx = 0, sy = 0;
    for (size_t k = start[q]; k < start[q + 1]; k++) {
        size_t r = rows[k];
        int32_t pu = m->res.pupil[r];
        double y = counted(m, r) ? score_of(m, r) : NAN;
        if (pu < 0 || isnan(y) || isnan(st[q].sd) || isnan(zp[pu]))
            continue;
        lk[n] = (link){m->res.school[r], zp[pu], (y - st[q].mean) / st[q].sd};
        sx += lk[n].x;
        sy += lk[n].y;
        n++;
    }
    for (size_t k = start[p]; k < start[p + 1]; k++)
        if (m->res.pupil[rows[k]] >= 0)
            zp[m->res.pupil[rows[k]]] = NAN;
    *slope = *icpt = NAN;
    if (n >= VA_MIN_LINKED) {
        double mx = sx / (double)n, my = sy / (double)n, cxy = 0, cxx = 0;
        for (long i = 0; i < n; i++) {
            cxy += (lk[i].x - mx) * (lk[i].y - my);
            cxx += (lk[i].x - mx) * (lk[i].x - mx);
        }
        double b = cxx > 0 ? cxy / cxx : 0;
        *slope = b;
        *icpt = my - b * mx;
        for (long i = 0; i < n; i++) {
            double res = lk[i].y - *icpt - b * lk[i].x;
            acc *s = &a[lk[i].school];
            s->sum += res;
            s->sumsq += res * res;
            s->n++;
        }
    }
    /* cohorts: the same school's cells of both procedures */
    for (size_t s = 0; s < m->nschools; s++) {
        const model_cell *cp = model_cell_of(m, p, (int32_t)s);
        const model_cell *cq = model_cell_of(m, q, (int32_t)s);
        if (!cp || !cq || cp->participants <= 0 || cq->participants <= 0)
            continue;
        double zq = cell_z(m, st, cq), zpv = cell_z(m, st, cp);
        if (isnan(zq) || isnan(zpv))
            continue;
        double w = cq->participants;
        a[s].csum += w * (zq - zpv);
        a[s].cw += w;
        a[s].cvar += w * w * (1.0 / cq->participants + 1.0 / cp->participants);
    }
    return n;
}

static void proc_label(const model_proc *p, char *out, size_t outsz)
{
    snprintf(out, outsz, "%s:%s:%d:%d", p->kind, p->subject, p->grade, p->year);
}

/* «+0,12» / «−0,24»: a decimal comma and the minus sign U+2212, not a hyphen (UI.md). */
static void fmt_signed(double x, char *out, size_t outsz)
{
    char t[32];
    snprintf(t, sizeof t, "%.2f", fabs(x));
    for (char *c = t; *c; c++)
        if (*c == '.')
            *c = ',';
    int zero = !strcmp(t, "0,00");
    snprintf(out, outsz, "%s%s", zero ? "" : x < 0 ? "\u2212" : "+", t);
}

typedef struct va_school {
    int32_t school;
    int linked; /* 1 by codes, 0 by cohorts */
    long n;
    double value, lo, hi, v, shrunk, factor;
    int rank, best, worst;
} va_school;

static int by_shrunk(const void *pa, const void *pb, void *ctx)
{
    const va_school *a = pa, *b = pb;
    const model *m = ctx;
    if (a->shrunk != b->shrunk)
        return a->shrunk > b->shrunk ? -1 : 1;
    return strcmp(m->schools[a->school].code, m->schools[b->school].code);
}

static json_t *school_json(const model *m, const va_school *s, size_t of)
{
    char v[32], lo[32], hi[32], sh[32], text[512];
    fmt_signed(s->value, v, sizeof v);
    fmt_signed(s->lo, lo, sizeof lo);
    fmt_signed(s->hi, hi, sizeof hi);
    fmt_signed(s->shrunk, sh, sizeof sh);
    snprintf(text, sizeof text,
             "Прирост %s: %s стандартного отклонения (95 %% интервал от %s до %s; %ld %s), с "
             "поправкой на надёжность %s; место %d из %zu (места %d–%d)",
             s->linked ? "по кодам обучающихся" : "по когортам", v, lo, hi, s->n,
             s->linked ? "обучающихся" : "участников", sh, s->rank, of, s->best, s->worst);
    (void)m;
    return json_pack("{s:s, s:s, s:I, s:f, s:[f, f], s:f, s:f, s:i, s:[i, i], s:I, s:s}", "method",
                     s->linked ? "linked" : "cohort", "method_name",
                     s->linked ? "по кодам обучающихся" : "по когортам", "n", (json_int_t)s->n,
                     "value", round(s->value * 1e4) / 1e4, "ci", round(s->lo * 1e4) / 1e4,
                     round(s->hi * 1e4) / 1e4, "shrunk", round(s->shrunk * 1e4) / 1e4, "factor",
                     round(s->factor * 1e4) / 1e4, "rank", s->rank, "rank_range", s->best, s->worst,
                     "of", (json_int_t)of, "text", text);
}

/* The schools' values from the accumulators: linked where ≥ 5 pupils linked, else cohorts;
 * shrinkage and ranks. Returns how many schools have a value. */
static size_t finish(const model *m, const acc *a, va_school *out)
{
    size_t n = 0;
    double within = 0;
    long dfw = 0;
    for (size_t s = 0; s < m->nschools; s++)
        if (a[s].n >= 2) {
            double mean = a[s].sum / (double)a[s].n;
            within += a[s].sumsq - (double)a[s].n * mean * mean;
            dfw += a[s].n - 1;
        }
    double sigma2 = dfw > 0 ? within / (double)dfw : 1;
    for (size_t s = 0; s < m->nschools; s++) {
        va_school *o = &out[n];
        memset(o, 0, sizeof *o);
        o->school = (int32_t)s;
        if (a[s].n >= 5) {
            o->linked = 1;
            o->n = a[s].n;
            o->value = a[s].sum / (double)a[s].n;
            double var = (a[s].sumsq - (double)a[s].n * o->value * o->value) / (double)(a[s].n - 1);
            stat_t_interval(o->value, var > 0 ? sqrt(var) : 0, (int)a[s].n, &o->lo, &o->hi);
            o->v = sigma2 / (double)a[s].n;
        } else if (a[s].cw > 0) {
            o->n = (long)a[s].cw;
            o->value = a[s].csum / a[s].cw;
            double se = sqrt(a[s].cvar) / a[s].cw;
            o->lo = o->value - 1.959964 * se;
            o->hi = o->value + 1.959964 * se;
            o->v = se * se;
        } else {
            continue;
        }
        n++;
    }
    double *y = msk_malloc((n ? n : 1) * sizeof *y), *v = msk_malloc((n ? n : 1) * sizeof *v);
    for (size_t i = 0; i < n; i++) {
        y[i] = out[i].value;
        v[i] = out[i].v;
    }
    double grand;
    double tau2 = stat_tau2(y, v, n, &grand);
    for (size_t i = 0; i < n; i++) {
        /* B = τ²/(τ² + σ²/n): v already is σ²/n (or the cohort's squared standard error) */
        out[i].factor = tau2 + out[i].v > 0 ? tau2 / (tau2 + out[i].v) : 0;
        out[i].shrunk = grand + out[i].factor * (out[i].value - grand);
    }
    qsort_r(out, n, sizeof *out, by_shrunk, (void *)m);
    double *lo = msk_malloc((n ? n : 1) * sizeof *lo), *hi = msk_malloc((n ? n : 1) * sizeof *hi);
    int *best = msk_malloc((n ? n : 1) * sizeof *best),
        *worst = msk_malloc((n ? n : 1) * sizeof *worst);
    for (size_t i = 0; i < n; i++) {
        out[i].rank = i > 0 && out[i].shrunk == out[i - 1].shrunk ? out[i - 1].rank : (int)i + 1;
        lo[i] = out[i].lo;
        hi[i] = out[i].hi;
    }
    stat_rank_bounds(lo, hi, n, best, worst);
    for (size_t i = 0; i < n; i++) {
        out[i].best = best[i] < out[i].rank ? best[i] : out[i].rank;
        out[i].worst = worst[i] > out[i].rank ? worst[i] : out[i].rank;
    }
    free(y);
    free(v);
    free(lo);
    free(hi);
    free(best);
    free(worst);
    return n;
}

int value_added_run(const model *m, int year, json_t **out, msk_err *err)
{
    (void)err;
    pstat *st = msk_calloc(m->nprocs ? m->nprocs : 1, sizeof *st);
    size_t *start = msk_calloc(m->nprocs + 2, sizeof *start);
    size_t *rows = msk_malloc((m->res.n ? m->res.n : 1) * sizeof *rows);
    float *zp = msk_malloc((m->npupils ? m->npupils : 1) * sizeof *zp);
    acc *a = msk_calloc(m->nschools ? m->nschools : 1, sizeof *a);
    link *lk = NULL;
    size_t maxq = 0;
    proc_stats(m, st);
    /* rows grouped by procedure: start[p]..start[p+1] */
    for (size_t r = 0; r < m->res.n; r++)
        start[m->res.proc[r] + 1]++;
    for (size_t p = 0; p < m->nprocs; p++) {
        size_t c = start[p + 1];
        maxq = c > maxq ? c : maxq;
        start[p + 1] = start[p] + c;
    }
    size_t *fill = msk_malloc((m->nprocs + 1) * sizeof *fill);
    memcpy(fill, start, (m->nprocs + 1) * sizeof *fill);
    for (size_t r = 0; r < m->res.n; r++)
        rows[fill[m->res.proc[r]]++] = r;
    free(fill);
    for (size_t i = 0; i < m->npupils; i++)
        zp[i] = NAN;
    lk = msk_malloc((maxq ? maxq : 1) * sizeof *lk);
    json_t *pairs = json_array();
    for (size_t q = 0; q < m->nprocs; q++) {
        const model_proc *pq = &m->procs[q];
        if (pq->year != year || !scored_kind(pq->kind) || (st[q].n < 2 && st[q].mn < 2))
            continue;
        int32_t p = prior_of(m, st, (int32_t)q);
        if (p < 0)
            continue;
        double b, c;
        long n = do_pair(m, st, p, (int32_t)q, rows, start, zp, lk, a, &b, &c);
        char from[64], to[64];
        proc_label(&m->procs[p], from, sizeof from);
        proc_label(pq, to, sizeof to);
        json_array_append_new(
            pairs,
            json_pack("{s:s, s:s, s:I, s:o, s:o}", "from", from, "to", to, "linked", (json_int_t)n,
                      "slope", isnan(b) ? json_null() : json_real(round(b * 1e4) / 1e4),
                      "intercept", isnan(c) ? json_null() : json_real(round(c * 1e4) / 1e4)));
    }
    va_school *vs = msk_malloc((m->nschools ? m->nschools : 1) * sizeof *vs);
    size_t n = finish(m, a, vs);
    json_t *schools = json_object();
    for (size_t i = 0; i < n; i++)
        json_object_set_new(schools, m->schools[vs[i].school].code, school_json(m, &vs[i], n));
    *out = json_pack("{s:i, s:o, s:o}", "year", year, "pairs", pairs, "schools", schools);
    free(vs);
    free(lk);
    free(st);
    free(start);
    free(rows);
    free(zp);
    free(a);
    return 0;
}
