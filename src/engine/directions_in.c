/*
 * The resolver of the directions' terms (engine/directions_in.h). Model terms are answered from
 * the cells of the procedures that match (results with a mark or below_min filter), or from the
 * result rows grouped once by procedure (distinct pupils, scores, ОВЗ); both keep only the
 * first, main-period result as the cells do (seed 002 §2.1). A school has no data for a
 * results term when it has no result of a matching procedure; for olympiads, graduates and
 * registries when the municipality has none of that year at all (then a school without rows
 * has 0). Lists: the analysed year's from this run, the years before from their latest stored
 * analysis (a year never analysed has no data).
 */
#include "engine/directions_in.h"

#include "base/file.h"
#include "base/fmt.h"
#include "base/mem.h"
#include "store/analysis.h"
#include "store/form.h"
#include "store/read.h"
#include "store/registry.h"

#include <dirent.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

enum { NLISTS = 3, NPAST = 4, FORM_YEARS = 3 };
static const char *const LIST_NAME[NLISTS] = {"shnor", "risk", "objectivity"};

typedef struct past_lists {
    int year, loaded, analysed;
    uint8_t *in[NLISTS]; /* per school: in that list of the year's latest analysis */
} past_lists;

typedef struct code_ix {
    const char *code;
    size_t i;
} code_ix;

/* The values of one form(FORM.ELEMENT) for the school years year - 2 … year, read in one pass. */
typedef struct form_vals {
    char form[64], element[64];
    double *v[FORM_YEARS]; /* per school, NAN = sent nothing */
} form_vals;

/* The rows of one year (olympiads or graduates) by class: the rows that agree on every field a
 * term can filter on (an olympiad's stage, subject, grade and status; a graduate's grade,
 * attestat, medal and destination) are one class, counted per school. Built in one pass over
 * the rows once per year for every term of that year: a term tests its filters once per class
 * (on the class's first row), not once per row, and adds the matching classes' counts. */
typedef struct year_classes {
    int year, loaded;
    size_t nrows; /* rows of the year, with a school or not */
    size_t ncls, cap;
    size_t *first;       /* per class: its first row (the filters read its fields) */
    int32_t *cnt;        /* ncls × nschools: the rows of class k of school s at k * nschools + s */
    size_t *slot, nslot; /* hash of the classes: index + 1, 0 empty */
} year_classes;

/* A run of consecutive model rows of one procedure, rows from … to - 1 (a model has fewer than
 * 2^32 rows). The rows of a procedure come in runs: an import of a procedure's file is one run,
 * the demo's rows (by school, then procedure) a run per school. */
typedef struct row_run {
    uint32_t from, to;
} row_run;

/* A pupil of an ege3() walk and the school of their first row. */
typedef struct seen_pupil {
    int32_t pupil, school;
} seen_pupil;

typedef struct rctx {
    store *s;
    const model *m;
    int year;
    json_t *const *lists;
    past_lists past[NPAST];
    code_ix *by_code;      /* schools sorted by code */
    size_t *run_start;     /* result rows grouped by procedure, as runs: the runs of */
    row_run *runs;         /* procedure p are run_start[p] … run_start[p + 1] - 1 */
    size_t *cell_start;    /* cells are sorted by (proc, school) */
    uint32_t *stamp, pass; /* per pupil: last pass that counted it */
    int *cnt;              /* per pupil: subjects at the threshold (ege3) */
    seen_pupil *seen;      /* the pupils of an ege3() walk, in the order first seen */
    size_t seen_cap;
    uint8_t *proc_on, *has; /* per procedure / per school scratch */
    double *out;            /* the term being filled (callbacks) */
    int any;                /* a callback row was seen */
    past_lists *loading;    /* the year store_read_findings is filling */
    long *by_id;            /* school id → index (-1: not in the model) */
    size_t nid;
    int ids_read, sent_read;
    form_vals *fv; /* the form elements read so far */
    size_t nfv;
    form_vals *filling;
    year_classes oly[NPAST], grad[NPAST];
    char (*sent)[64]; /* the forms with submitted (not yet approved) values */
    size_t nsent;
} rctx;

static const char *school_code(void *ctx, size_t i)
{
    const rctx *c = ctx;
    return c->m->schools[i].code;
}

static int cmp_code(const void *a, const void *b)
{
    return strcmp(((const code_ix *)a)->code, ((const code_ix *)b)->code);
}

static long find_school(const rctx *c, const char *code)
{
    size_t lo = 0, hi = c->m->nschools;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int d = strcmp(c->by_code[mid].code, code);
        if (!d)
            return (long)c->by_code[mid].i;
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* ---- results, participants, score_sum ---- */

static int proc_matches(const model_proc *p, const dir_term *t, int year)
{
    if (p->year != year)
        return 0;
    for (size_t i = 0; i < t->nf; i++) {
        const dir_filter *f = &t->f[i];
        if (!strcmp(f->key, "kind") && !dir_filter_str(f, p->kind))
            return 0;
        if (!strcmp(f->key, "subject") && !dir_filter_str(f, p->subject))
            return 0;
        if (!strcmp(f->key, "grade") && !dir_filter_num(f, p->grade))
            return 0;
    }
    return 1;
}

/* Whether every filter beyond the procedure's is one the cells can answer (mark or below_min,
 * not both). */
static int cell_answers(const dir_term *t)
{
    int n = 0;
    for (size_t i = 0; i < t->nf; i++) {
        const char *k = t->f[i].key;
        if (!strcmp(k, "mark") || !strcmp(k, "below_min"))
            n++;
        else if (strcmp(k, "kind") && strcmp(k, "subject") && strcmp(k, "grade"))
            return 0;
    }
    return n <= 1;
}

/* What a term counts in a cell, sorted out once before the cells: the marks that pass a mark
 * filter, or whether below_min=1 and below_min=0 pass. */
typedef struct cell_filter {
    int mark, below; /* a mark filter, a below_min filter */
    int mark_on[6];  /* mark_on[2..5] */
    int below1, below0;
} cell_filter;

static void cell_filter_of(const dir_term *t, cell_filter *cf)
{
    const dir_filter *mk = dir_term_filter(t, "mark"), *bm = dir_term_filter(t, "below_min");
    memset(cf, 0, sizeof *cf);
    cf->mark = mk != NULL;
    cf->below = bm != NULL;
    for (int k = 2; mk && k <= 5; k++)
        cf->mark_on[k] = dir_filter_num(mk, k);
    if (bm)
        cf->below1 = dir_filter_num(bm, 1), cf->below0 = dir_filter_num(bm, 0);
}

static double cell_count(const model_cell *cl, const cell_filter *cf)
{
    if (cf->mark) {
        int n = 0;
        for (int k = 2; k <= 5; k++)
            n += cf->mark_on[k] ? cl->marks[k] : 0;
        return n;
    }
    if (cf->below)
        return (cf->below1 ? cl->below_min : 0) +
               (cf->below0 ? cl->participants - cl->below_min : 0);
    return cl->participants;
}

static int row_mark(const model_proc *p, int mark, double primary)
{
    if (mark || isnan(primary) || isnan(p->cut3))
        return mark;
    if (!isnan(p->cut5) && primary >= p->cut5)
        return 5;
    if (!isnan(p->cut4) && primary >= p->cut4)
        return 4;
    return primary >= p->cut3 ? 3 : 2;
}

static double row_score(const model_results *r, size_t i)
{
    return r->test_score[i] >= 0 ? (double)r->test_score[i] : (double)r->primary[i];
}

/* The row filters of a term (mark, score, below_min, ovz), sorted out once before the rows. */
enum { RF_MARK, RF_SCORE, RF_BELOW, RF_OVZ };
typedef struct row_filters {
    size_t n;
    int what[DIR_MAX_FILTERS];
    const dir_filter *f[DIR_MAX_FILTERS];
} row_filters;

static void row_filters_of(const dir_term *t, row_filters *rf)
{
    rf->n = 0;
    for (size_t k = 0; k < t->nf; k++) {
        const char *key = t->f[k].key;
        int w = !strcmp(key, "mark")        ? RF_MARK
                : !strcmp(key, "score")     ? RF_SCORE
                : !strcmp(key, "below_min") ? RF_BELOW
                : !strcmp(key, "ovz")       ? RF_OVZ
                                            : -1;
        if (w >= 0) {
            rf->what[rf->n] = w;
            rf->f[rf->n++] = &t->f[k];
        }
    }
}

static int row_passes(const model_proc *p, int by_test, const model_results *r, size_t i,
                      const row_filters *rf)
{
    for (size_t k = 0; k < rf->n; k++) {
        const dir_filter *f = rf->f[k];
        double v;
        switch (rf->what[k]) {
        case RF_MARK:
            v = row_mark(p, r->mark[i], r->primary[i]);
            break;
        case RF_SCORE:
            v = row_score(r, i);
            break;
        case RF_OVZ:
            v = (r->flags[i] & MODEL_OVZ) ? 1 : 0;
            break;
        default: {
            int ts = r->test_score[i];
            v = by_test ? ts >= 0 && p->min_test >= 0 && ts < p->min_test
                        : row_mark(p, r->mark[i], r->primary[i]) == 2;
        }
        }
        if (!dir_filter_num(f, v))
            return 0;
    }
    return 1;
}

static void res_term(rctx *c, const dir_term *t, int year, double *out)
{
    const model *m = c->m;
    const model_results *r = &m->res;
    int answers = cell_answers(t), cells = !strcmp(t->fn, "results") && answers;
    int distinct = !strcmp(t->fn, "participants"), sum = !strcmp(t->fn, "score_sum");
    row_filters rf;
    row_filters_of(t, &rf);
    cell_filter cf;
    cell_filter_of(t, &cf);
    for (size_t s = 0; s < m->nschools; s++)
        out[s] = NAN;
    c->pass++;
    for (size_t p = 0; p < m->nprocs; p++) {
        const model_proc *pr = &m->procs[p];
        if (!proc_matches(pr, t, year))
            continue;
        /* ЕГЭ but basic maths is judged by the test score's minimum (as the cells) */
        int by_test = !strcmp(pr->kind, "EGE") && strcmp(pr->subject, "math_base");
        for (size_t k = c->cell_start[p]; k < c->cell_start[p + 1]; k++) {
            const model_cell *cl = &m->cells[k];
            size_t s = (size_t)cl->school;
            /* aggregate-only cells answer the terms the cells can answer */
            if (!cells && !(cl->from_aggregate && (distinct && answers)))
                continue;
            if (isnan(out[s]))
                out[s] = 0;
            out[s] += cell_count(cl, &cf);
        }
        if (cells)
            continue;
        for (size_t k = c->run_start[p]; k < c->run_start[p + 1]; k++)
            for (size_t i = c->runs[k].from; i < c->runs[k].to; i++) {
                size_t s = (size_t)r->school[i];
                if (r->flags[i] & (MODEL_ABSENT | MODEL_RETAKE | MODEL_PAST_GRADUATE))
                    continue;
                if (isnan(out[s]))
                    out[s] = 0;
                if (!row_passes(pr, by_test, r, i, &rf))
                    continue;
                if (sum) {
                    double v = row_score(r, i);
                    out[s] += isnan(v) ? 0 : v;
                } else if (distinct) {
                    size_t pu = (size_t)r->pupil[i];
                    if (c->stamp[pu] != c->pass) {
                        c->stamp[pu] = c->pass;
                        out[s] += 1;
                    }
                } else
                    out[s] += 1;
            }
    }
}

/* Seed 001 п. 5.5: the minimum scores of admission to a university (order of the Ministry of
 * science, 2024 admission campaign) — a guide; threshold=N or threshold=min (the ЕГЭ minimum of
 * the year's scale) instead. */
static double university_min(const char *subject)
{
    static const struct {
        const char *s;
        double v;
    } T[] = {{"rus", 40}, {"math_prof", 39}, {"phys", 39}, {"chem", 39}, {"inf", 44},
             {"bio", 39}, {"hist", 35},      {"soc", 45},  {"geo", 40},  {"lit", 40},
             {"eng", 30}, {"ger", 30},       {"fra", 30},  {"spa", 30},  {"chi", 30}};
    for (size_t i = 0; i < sizeof T / sizeof *T; i++)
        if (!strcmp(T[i].s, subject))
            return T[i].v;
    return NAN;
}

static int ege3_term(rctx *c, const dir_term *t, int year, double *out, msk_err *err)
{
    const model *m = c->m;
    const model_results *r = &m->res;
    const dir_filter *th = dir_term_filter(t, "threshold"), *ns = dir_term_filter(t, "subjects");
    const char *how = th ? th->value : "university";
    double fixed = NAN;
    if (strcmp(how, "university") && strcmp(how, "min")) {
        char *end;
        fixed = strtod(how, &end);
        if (*end || fixed < 0)
            return msk_error(err, "threshold — university, min или число баллов, а не «%s»", how);
    }
    for (size_t s = 0; s < m->nschools; s++)
        out[s] = NAN;
    c->pass++;
    /* one walk counts each pupil's subjects at the threshold; the pupil counts at the school
     * of their first row (of the walk's order), noted when they are first seen */
    size_t nseen = 0;
    for (size_t p = 0; p < m->nprocs; p++) {
        const model_proc *pr = &m->procs[p];
        if (pr->year != year || strcmp(pr->kind, "EGE") || !strcmp(pr->subject, "math_base"))
            continue;
        double thr = !isnan(fixed)         ? fixed
                     : !strcmp(how, "min") ? (pr->min_test >= 0 ? (double)pr->min_test : NAN)
                                           : university_min(pr->subject);
        for (size_t k = c->run_start[p]; k < c->run_start[p + 1]; k++)
            for (size_t i = c->runs[k].from; i < c->runs[k].to; i++) {
                size_t s = (size_t)r->school[i], pu = (size_t)r->pupil[i];
                if (r->flags[i] & (MODEL_ABSENT | MODEL_RETAKE | MODEL_PAST_GRADUATE))
                    continue;
                if (isnan(out[s]))
                    out[s] = 0;
                if (c->stamp[pu] != c->pass) {
                    c->stamp[pu] = c->pass, c->cnt[pu] = 0;
                    if (nseen == c->seen_cap) {
                        c->seen_cap = c->seen_cap ? 2 * c->seen_cap : 4096;
                        c->seen = msk_reallocarray(c->seen, c->seen_cap, sizeof *c->seen);
                    }
                    c->seen[nseen++] = (seen_pupil){(int32_t)pu, (int32_t)s};
                }
                c->cnt[pu] += !isnan(thr) && r->test_score[i] >= thr;
            }
    }
    for (size_t k = 0; k < nseen; k++) {
        int n = c->cnt[c->seen[k].pupil];
        if (ns ? dir_filter_num(ns, n) : n >= 3)
            out[c->seen[k].school] += 1;
    }
    c->pass++;
    return 0;
}

/* ---- olympiads, graduates, context ---- */

/* The olympiad filters of a term, sorted out once before the rows (the contract's «prizer» is
 * the store's «prizewinner»: the status filter compares «prizer»). */
enum { OF_STAGE, OF_SUBJECT, OF_GRADE, OF_STATUS };
typedef struct olymp_filters {
    size_t n;
    int what[DIR_MAX_FILTERS];
    dir_filter f[DIR_MAX_FILTERS];
} olymp_filters;

static void olymp_filters_of(const dir_term *t, olymp_filters *of)
{
    of->n = 0;
    for (size_t k = 0; k < t->nf; k++) {
        const char *key = t->f[k].key;
        int w = !strcmp(key, "stage")     ? OF_STAGE
                : !strcmp(key, "subject") ? OF_SUBJECT
                : !strcmp(key, "grade")   ? OF_GRADE
                : !strcmp(key, "status")  ? OF_STATUS
                                          : -1;
        if (w < 0)
            continue;
        of->what[of->n] = w;
        of->f[of->n] = t->f[k];
        if (w == OF_STATUS && !strcasecmp(of->f[of->n].value, "prizewinner"))
            snprintf(of->f[of->n].value, sizeof of->f[of->n].value, "prizer");
        of->n++;
    }
}

static int olymp_passes(const model_olympiad *o, const olymp_filters *of)
{
    for (size_t k = 0; k < of->n; k++) {
        const dir_filter *f = &of->f[k];
        switch (of->what[k]) {
        case OF_STAGE:
            if (!dir_filter_num(f, dir_stage_rank(o->stage)))
                return 0;
            break;
        case OF_SUBJECT:
            if (!dir_filter_str(f, o->subject))
                return 0;
            break;
        case OF_GRADE:
            if (!dir_filter_num(f, o->grade))
                return 0;
            break;
        default:
            if (!dir_filter_str(f, !strcmp(o->status, "prizewinner") ? "prizer" : o->status))
                return 0;
        }
    }
    return 1;
}

/* How the rows of a kind fall into classes: its year, school, a hash of the class fields and
 * whether two rows are of one class. */
typedef struct class_kind {
    size_t (*nrows)(const model *m);
    int (*year)(const model *m, size_t i);
    int32_t (*school)(const model *m, size_t i);
    uint64_t (*hash)(const model *m, size_t i);
    int (*same)(const model *m, size_t i, size_t j);
} class_kind;

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t k = 0; k < n; k++)
        h = (h ^ b[k]) * 1099511628211u;
    return h;
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
    return fnv(h, s, strlen(s) + 1);
}

static uint64_t fnv_int(uint64_t h, int v)
{
    return fnv(h, &v, sizeof v);
}

static size_t olymp_n(const model *m)
{
    return m->nolymp;
}
static int olymp_year(const model *m, size_t i)
{
    return m->olymp[i].year;
}
static int32_t olymp_school(const model *m, size_t i)
{
    return m->olymp[i].school;
}
static uint64_t olymp_hash(const model *m, size_t i)
{
    const model_olympiad *o = &m->olymp[i];
    return fnv_int(
        fnv_str(fnv_str(fnv_str(14695981039346656037u, o->stage), o->subject), o->status),
        o->grade);
}
static int olymp_same(const model *m, size_t i, size_t j)
{
    const model_olympiad *a = &m->olymp[i], *b = &m->olymp[j];
    return a->grade == b->grade && !strcmp(a->stage, b->stage) && !strcmp(a->subject, b->subject) &&
           !strcmp(a->status, b->status);
}
static const class_kind OLYMP_CLASSES = {olymp_n, olymp_year, olymp_school, olymp_hash, olymp_same};

static size_t grad_n(const model *m)
{
    return m->ngrads;
}
static int grad_year(const model *m, size_t i)
{
    return m->grads[i].year;
}
static int32_t grad_school(const model *m, size_t i)
{
    return m->grads[i].school;
}
static uint64_t grad_hash(const model *m, size_t i)
{
    const model_graduate *g = &m->grads[i];
    return fnv_str(
        fnv_int(fnv_int(fnv_int(14695981039346656037u, g->grade), g->attestat), g->medal),
        g->destination);
}
static int grad_same(const model *m, size_t i, size_t j)
{
    const model_graduate *a = &m->grads[i], *b = &m->grads[j];
    return a->grade == b->grade && a->attestat == b->attestat && a->medal == b->medal &&
           !strcmp(a->destination, b->destination);
}
static const class_kind GRAD_CLASSES = {grad_n, grad_year, grad_school, grad_hash, grad_same};

static void classes_free(year_classes *y)
{
    free(y->first), free(y->cnt), free(y->slot);
    memset(y, 0, sizeof *y);
}

/* The class of row i (a new one when no row before was of it). */
static size_t class_of(year_classes *y, const class_kind *k, const model *m, size_t i)
{
    if (2 * (y->ncls + 1) > y->nslot) { /* rehash at half full */
        size_t n = y->nslot ? 2 * y->nslot : 64;
        free(y->slot);
        y->slot = msk_calloc(n, sizeof *y->slot);
        y->nslot = n;
        for (size_t c = 0; c < y->ncls; c++) {
            size_t h = (size_t)k->hash(m, y->first[c]) & (n - 1);
            while (y->slot[h])
                h = (h + 1) & (n - 1);
            y->slot[h] = c + 1;
        }
    }
    size_t h = (size_t)k->hash(m, i) & (y->nslot - 1);
    for (; y->slot[h]; h = (h + 1) & (y->nslot - 1))
        if (k->same(m, y->first[y->slot[h] - 1], i))
            return y->slot[h] - 1;
    size_t ns = m->nschools;
    if (y->ncls == y->cap) {
        y->cap = y->cap ? 2 * y->cap : 16;
        y->first = msk_reallocarray(y->first, y->cap, sizeof *y->first);
        y->cnt = msk_reallocarray(y->cnt, y->cap * (ns ? ns : 1), sizeof *y->cnt);
    }
    memset(&y->cnt[y->ncls * ns], 0, ns * sizeof *y->cnt);
    y->first[y->ncls] = i;
    y->slot[h] = y->ncls + 1;
    return y->ncls++;
}

/* The classes of the rows of year, cached in yr[NPAST]: one pass over the rows per year. */
static const year_classes *classes_of_year(year_classes *yr, int year, const class_kind *k,
                                           const model *m)
{
    year_classes *y = &yr[0];
    for (int j = 0; j < NPAST; j++) {
        if (yr[j].loaded && yr[j].year == year)
            return &yr[j];
        if (!yr[j].loaded)
            y = &yr[j];
    }
    classes_free(y);
    size_t n = k->nrows(m), ns = m->nschools;
    size_t last = SIZE_MAX; /* the class of the row before: rows of one class often follow */
    for (size_t i = 0; i < n; i++) {
        if (k->year(m, i) != year)
            continue;
        y->nrows++;
        int32_t s = k->school(m, i);
        if (s < 0)
            continue;
        size_t c = last != SIZE_MAX && k->same(m, y->first[last], i) ? last : class_of(y, k, m, i);
        y->cnt[c * ns + (size_t)s]++;
        last = c;
    }
    y->year = year;
    y->loaded = 1;
    return y;
}

/* out[s] = the rows of the classes that pass (pass(ctx, first row of the class)); 0 for every
 * school when the year has rows, else no data. */
static void classes_count(const year_classes *y, size_t ns, int (*pass)(const void *f, size_t i),
                          const void *f, double *out)
{
    for (size_t s = 0; s < ns; s++)
        out[s] = y->nrows ? 0 : NAN;
    for (size_t c = 0; c < y->ncls; c++) {
        if (!pass(f, y->first[c]))
            continue;
        const int32_t *n = &y->cnt[c * ns];
        for (size_t s = 0; s < ns; s++)
            out[s] += n[s];
    }
}

typedef struct olymp_test {
    const model *m;
    olymp_filters of;
} olymp_test;

static int olymp_class_passes(const void *f, size_t i)
{
    const olymp_test *t = f;
    return olymp_passes(&t->m->olymp[i], &t->of);
}

static void olymp_term(rctx *c, const dir_term *t, int year, double *out)
{
    const model *m = c->m;
    const year_classes *y = classes_of_year(c->oly, year, &OLYMP_CLASSES, m);
    olymp_test ot = {m, {0}};
    olymp_filters_of(t, &ot.of);
    classes_count(y, m->nschools, olymp_class_passes, &ot, out);
}

/* A graduates term's filters, their fields sorted out once before the classes (an unknown key
 * passes). */
typedef struct grad_test {
    const model *m;
    const dir_term *t;
    int what[DIR_MAX_FILTERS];
} grad_test;

static int grad_class_passes(const void *f, size_t i)
{
    const grad_test *gt = f;
    const model_graduate *g = &gt->m->grads[i];
    int ok = 1;
    for (size_t k = 0; ok && k < gt->t->nf && k < DIR_MAX_FILTERS; k++) {
        const dir_filter *fl = &gt->t->f[k];
        ok = gt->what[k] == 0   ? dir_filter_num(fl, g->grade)
             : gt->what[k] == 1 ? dir_filter_num(fl, g->attestat)
             : gt->what[k] == 2 ? dir_filter_num(fl, g->medal)
             : gt->what[k] == 3 ? dir_filter_str(fl, g->destination)
                                : 1;
    }
    return ok;
}

static void grad_term(rctx *c, const dir_term *t, int year, double *out)
{
    const model *m = c->m;
    const year_classes *y = classes_of_year(c->grad, year, &GRAD_CLASSES, m);
    grad_test gt = {m, t, {0}};
    for (size_t k = 0; k < t->nf && k < DIR_MAX_FILTERS; k++) {
        const char *key = t->f[k].key;
        gt.what[k] = !strcmp(key, "grade")         ? 0
                     : !strcmp(key, "attestat")    ? 1
                     : !strcmp(key, "medal")       ? 2
                     : !strcmp(key, "destination") ? 3
                                                   : -1;
    }
    classes_count(y, m->nschools, grad_class_passes, &gt, out);
}

/* ---- lists ---- */

static void on_past(void *ctx, const char *method, const char *school_code)
{
    rctx *c = ctx;
    past_lists *p = c->loading;
    for (int k = 0; k < NLISTS; k++)
        if (!strcmp(method, LIST_NAME[k])) {
            long s = find_school(c, school_code);
            if (s >= 0)
                p->in[k][s] = 1;
        }
}

static past_lists *past_of(rctx *c, int year, msk_err *err)
{
    past_lists *p = &c->past[0];
    for (int i = 0; i < NPAST; i++) {
        if (c->past[i].loaded && c->past[i].year == year)
            return &c->past[i];
        if (!c->past[i].loaded)
            p = &c->past[i];
    }
    for (int k = 0; k < NLISTS; k++)
        free(p->in[k]);
    memset(p, 0, sizeof *p);
    for (int k = 0; k < NLISTS; k++)
        p->in[k] = msk_calloc(c->m->nschools ? c->m->nschools : 1, 1);
    p->year = year;
    c->loading = p;
    if (store_run_listed(c->s, year, &p->analysed, on_past, c, err))
        return NULL;
    p->loaded = 1;
    return p;
}

static int list_term(rctx *c, const dir_term *t, int year, double *out, msk_err *err)
{
    int k = 0;
    while (k < NLISTS && strcmp(LIST_NAME[k], t->arg))
        k++;
    if (k == NLISTS)
        return msk_error(err, "списка %s нет", t->arg);
    const model *m = c->m;
    if (year == c->year) {
        for (size_t s = 0; s < m->nschools; s++)
            out[s] = 0;
        size_t i;
        json_t *it;
        json_array_foreach(c->lists[k], i, it)
        {
            const char *code = json_string_value(json_object_get(it, "school"));
            long s = code ? find_school(c, code) : -1;
            if (s >= 0)
                out[s] = 1;
        }
        return 0;
    }
    if (!c->s) { /* no store (tests): the years before have no analysis */
        for (size_t s = 0; s < m->nschools; s++)
            out[s] = NAN;
        return 0;
    }
    past_lists *p = past_of(c, year, err);
    if (!p)
        return -1;
    for (size_t s = 0; s < m->nschools; s++)
        out[s] = p->analysed ? p->in[k][s] : NAN;
    return 0;
}

/* seed 002 §3.3.1 п. 3 «Доля ОУ города, в которых устранены риски снижения образовательных
 * результатов», read from the lists: 1 when the school is on the list of Y−1 and not on the
 * list of Y, else 0; no data when either year has no analysis. */
static int list_left_term(rctx *c, const dir_term *t, int year, double *out, msk_err *err)
{
    size_t ns = c->m->nschools;
    double *prev = msk_calloc(ns ? ns : 1, sizeof *prev);
    int rc = list_term(c, t, year - 1, prev, err) || list_term(c, t, year, out, err) ? -1 : 0;
    for (size_t s = 0; !rc && s < ns; s++)
        out[s] = isnan(prev[s]) || isnan(out[s]) ? NAN : (prev[s] > 0 && out[s] == 0);
    free(prev);
    return rc;
}

/* Unsatisfactory results and participants of each school over the procedures of year that
 * match t's kind, subject and grade — the cells: first, main-period results; «2», or ЕГЭ below
 * the minimum (the ШНОР notion, seed 002 §2.1). */
static void failed_of(rctx *c, const dir_term *t, int year, double *failed, double *part)
{
    const model *m = c->m;
    for (size_t p = 0; p < m->nprocs; p++) {
        if (!proc_matches(&m->procs[p], t, year))
            continue;
        for (size_t k = c->cell_start[p]; k < c->cell_start[p + 1]; k++) {
            const model_cell *cl = &m->cells[k];
            failed[cl->school] += cl->failed;
            part[cl->school] += cl->participants;
        }
    }
}

/* seed 002 §2.3.1 п. 3 «Доля школ от общего числа школ ШНОР в муниципалитете, достигших
 * положительной динамики по результатам краевых диагностических работ в 4-х, 6-х, 7-х, 8-х
 * классах»: 1 when the school's share of unsatisfactory results over the matching procedures
 * fell strictly from Y−1 to Y (as п. 1–2 in method/indicators.c: 0 % and 0 % is no dynamics),
 * 0 when it did not; no data without participants in either year. list=NAME: a school not on
 * the list of Y has 0 (no data when Y was not analysed). */
static int improved_term(rctx *c, const dir_term *t, int year, double *out, msk_err *err)
{
    size_t ns = c->m->nschools;
    double *buf = msk_calloc(5 * (ns ? ns : 1), sizeof *buf);
    double *f0 = buf, *p0 = buf + ns, *f1 = buf + 2 * ns, *p1 = buf + 3 * ns, *in = buf + 4 * ns;
    const dir_filter *lf = dir_term_filter(t, "list");
    int rc = 0;
    if (lf) {
        dir_term lt;
        memset(&lt, 0, sizeof lt);
        snprintf(lt.fn, sizeof lt.fn, "list");
        snprintf(lt.arg, sizeof lt.arg, "%s", lf->value);
        rc = list_term(c, &lt, year, in, err);
    }
    failed_of(c, t, year - 1, f0, p0);
    failed_of(c, t, year, f1, p1);
    for (size_t s = 0; !rc && s < ns; s++) {
        if (lf && isnan(in[s]))
            out[s] = NAN;
        else if (lf && !dir_filter_str(lf, in[s] > 0 ? lf->value : ""))
            out[s] = 0;
        else if (p0[s] <= 0 || p1[s] <= 0)
            out[s] = NAN;
        else /* f1/p1 < f0/p0 without rounding */
            out[s] = f1[s] * p0[s] < f0[s] * p1[s] ? 1 : 0;
    }
    free(buf);
    return rc;
}

/* ---- store: forms and registries ---- */

static void on_total(void *ctx, const char *code, double v)
{
    rctx *c = ctx;
    long s = find_school(c, code);
    c->any = 1;
    if (s >= 0)
        c->out[s] = isnan(c->out[s]) ? v : c->out[s] + v;
}

static void on_school_id(void *ctx, const store_read_school *r)
{
    rctx *c = ctx;
    long s = find_school(c, r->code);
    if (s < 0 || r->id < 0)
        return;
    if ((size_t)r->id >= c->nid) {
        size_t n = (size_t)r->id * 2 + 16;
        c->by_id = msk_reallocarray(c->by_id, n, sizeof *c->by_id);
        for (size_t i = c->nid; i < n; i++)
            c->by_id[i] = -1;
        c->nid = n;
    }
    c->by_id[r->id] = s;
}

static void on_value_row(void *ctx, int64_t school_id, const char *period, double v)
{
    rctx *c = ctx;
    int k = fmt_period_school_year(period) - (c->year - (FORM_YEARS - 1));
    if (k < 0 || k >= FORM_YEARS || school_id < 0 || (size_t)school_id >= c->nid)
        return;
    long s = c->by_id[school_id];
    if (s < 0)
        return;
    double *o = &c->filling->v[k][s];
    *o = isnan(*o) ? v : *o + v;
}

static void on_sent(void *ctx, const char *form)
{
    rctx *c = ctx;
    c->sent = msk_reallocarray(c->sent, c->nsent + 1, sizeof *c->sent);
    snprintf(c->sent[c->nsent++], sizeof *c->sent, "%s", form);
}

/* Has form values submitted and not yet approved (the approved ones are in the model)? */
static int form_waits(rctx *c, const char *form, int *waits, msk_err *err)
{
    if (!c->sent_read) {
        if (store_forms_submitted(c->s, on_sent, c, err))
            return -1;
        c->sent_read = 1;
    }
    *waits = 0;
    for (size_t i = 0; i < c->nsent; i++)
        *waits |= !strcmp(c->sent[i], form) || strlen(c->sent[i]) >= sizeof *c->sent - 1;
    return 0;
}

/* The three school years of form.element, read once (one query instead of one per year). */
static const form_vals *form_vals_of(rctx *c, const char *form, const char *element,
                                     int with_submitted, msk_err *err)
{
    for (size_t i = 0; i < c->nfv; i++)
        if (!strcmp(c->fv[i].form, form) && !strcmp(c->fv[i].element, element))
            return &c->fv[i];
    if (!c->ids_read) {
        if (store_read_schools(c->s, on_school_id, c, err))
            return NULL;
        c->ids_read = 1;
    }
    c->fv = msk_reallocarray(c->fv, c->nfv + 1, sizeof *c->fv);
    form_vals *f = &c->fv[c->nfv++];
    memset(f, 0, sizeof *f);
    snprintf(f->form, sizeof f->form, "%s", form);
    snprintf(f->element, sizeof f->element, "%s", element);
    for (int k = 0; k < FORM_YEARS; k++) {
        f->v[k] = msk_calloc(c->m->nschools ? c->m->nschools : 1, sizeof *f->v[k]);
        for (size_t s = 0; s < c->m->nschools; s++)
            f->v[k][s] = NAN;
    }
    c->filling = f;
    if (store_value_rows(c->s, form, element, with_submitted, on_value_row, c, err))
        return NULL;
    return f;
}

static int form_term(rctx *c, const dir_term *t, int year, double *out, msk_err *err)
{
    char form[96];
    snprintf(form, sizeof form, "%s", t->arg);
    char *dot = strchr(form, '.');
    if (!dot)
        return msk_error(err, "ожидается ФОРМА.ПОКАЗАТЕЛЬ");
    *dot = '\0';
    for (size_t s = 0; s < c->m->nschools; s++)
        out[s] = NAN; /* a school that sent nothing has no data */
    c->out = out;
    if (!c->s)
        return 0;
    int k = year - (c->year - (FORM_YEARS - 1));
    if (k < 0 || k >= FORM_YEARS || strlen(form) >= sizeof c->fv->form ||
        strlen(dot + 1) >= sizeof c->fv->element)
        return store_value_year_totals(c->s, form, dot + 1, year, on_total, c, err);
    int waits = 0;
    if (form_waits(c, form, &waits, err))
        return -1;
    /* the approved values, summed per school year as below, are the model's (read from its
     * snapshot); the store is read only when some of the form's values wait for approval */
    if (c->m->has_form_values && !waits && strlen(dot + 1) < MODEL_FORM_CODE) {
        const double *v = model_form_values(c->m, dot + 1, year);
        if (v)
            memcpy(out, v, c->m->nschools * sizeof *out);
        return 0;
    }
    const form_vals *f = form_vals_of(c, form, dot + 1, waits, err);
    if (!f)
        return -1;
    memcpy(out, f->v[k], c->m->nschools * sizeof *out);
    return 0;
}

static int registry_term(rctx *c, const dir_term *t, int year, double *out, msk_err *err)
{
    for (size_t s = 0; s < c->m->nschools; s++)
        out[s] = NAN;
    if (!c->s)
        return 0;
    const dir_filter *f = t->nf ? &t->f[0] : NULL;
    /* yes/no columns are stored as 1/0 (contract §3): «young=да» means young=1 */
    const char *val = f ? f->value : NULL;
    if (val && (!strcmp(val, "да") || !strcasecmp(val, "yes")))
        val = "1";
    else if (val && (!strcmp(val, "нет") || !strcasecmp(val, "no")))
        val = "0";
    const char *sum_col = !strcmp(t->fn, "registry_sum") ? t->arg2 : NULL;
    c->out = out;
    c->any = 0;
    /* registry() counts people (or practices), not rows: the gifted key is pupil × subject, the
     * reserve's worker × post (docs/directions-format.md); registry_bank() the people of a
     * running bank as of year Y (included in Y or before, not excluded) */
    const char *fc = f ? f->key : NULL, *op = f ? f->op : NULL;
    int rc = sum_col ? store_registry_school_totals(c->s, t->arg, year, fc, op, val, sum_col,
                                                    on_total, c, err)
             : !strcmp(t->fn, "registry_bank")
                 ? store_registry_bank_codes(c->s, t->arg, year, fc, op, val, on_total, c, err)
                 : store_registry_school_codes(c->s, t->arg, year, fc, op, val, on_total, c, err);
    if (rc)
        return -1;
    /* the registry has rows of the year (of the bank: up to the year): a school without rows
     * has none (0) */
    for (size_t s = 0; c->any && s < c->m->nschools; s++)
        if (isnan(out[s]))
            out[s] = 0;
    return 0;
}

/* pupils(): the approved context (template «Контекстные данные» or an approved form), and where
 * a school has none, the value of a form it submitted and the analyst has not approved yet —
 * the rule of form() (docs/directions-format.md: «утверждённые … а где их нет — сданные») */
static void on_pupils(void *ctx, const char *code, double v)
{
    rctx *c = ctx;
    long s = find_school(c, code);
    if (s >= 0 && isnan(c->out[s]))
        c->out[s] = v;
}

static int pupils_term(rctx *c, int year, double *out, msk_err *err)
{
    const model *m = c->m;
    int missing = 0;
    for (size_t s = 0; s < m->nschools; s++) {
        out[s] = year >= m->year_from && year <= m->year_to
                     ? model_context(m, year, (int32_t)s, "pupils_total")
                     : NAN;
        missing |= isnan(out[s]);
    }
    if (!missing || !c->s)
        return 0;
    c->out = out;
    return store_submitted_year_values(c->s, "pupils_total", year, on_pupils, c, err);
}

static int resolve(void *ctx, const dir_term *t, int year, double *out, msk_err *err)
{
    rctx *c = ctx;
    const model *m = c->m;
    if (!strcmp(t->fn, "schools")) {
        for (size_t s = 0; s < m->nschools; s++)
            out[s] = 1;
    } else if (!strcmp(t->fn, "pupils"))
        return pupils_term(c, year, out, err);
    else if (!strcmp(t->fn, "results") || !strcmp(t->fn, "participants") ||
             !strcmp(t->fn, "score_sum"))
        res_term(c, t, year, out);
    else if (!strcmp(t->fn, "ege3"))
        return ege3_term(c, t, year, out, err);
    else if (!strcmp(t->fn, "olympiad"))
        olymp_term(c, t, year, out);
    else if (!strcmp(t->fn, "graduates"))
        grad_term(c, t, year, out);
    else if (!strcmp(t->fn, "list"))
        return list_term(c, t, year, out, err);
    else if (!strcmp(t->fn, "list_left"))
        return list_left_term(c, t, year, out, err);
    else if (!strcmp(t->fn, "improved"))
        return improved_term(c, t, year, out, err);
    else if (!strcmp(t->fn, "form"))
        return form_term(c, t, year, out, err);
    else if (!strcmp(t->fn, "registry") || !strcmp(t->fn, "registry_sum") ||
             !strcmp(t->fn, "registry_bank"))
        return registry_term(c, t, year, out, err);
    else
        return msk_error(err, "член %s не поддерживается", t->fn);
    return 0;
}

static void ctx_init(rctx *c, store *s, const model *m, int year, json_t *const lists[3])
{
    memset(c, 0, sizeof *c);
    c->s = s, c->m = m, c->year = year, c->lists = lists;
    size_t ns = m->nschools ? m->nschools : 1;
    c->by_code = msk_calloc(ns, sizeof *c->by_code);
    for (size_t i = 0; i < m->nschools; i++)
        c->by_code[i] = (code_ix){m->schools[i].code, i};
    qsort(c->by_code, m->nschools, sizeof *c->by_code, cmp_code);
    /* rows (as runs) and cells by procedure: counting sort, once; a procedure's runs in the
     * order of its rows, so a term reads its rows in model order */
    c->run_start = msk_calloc(m->nprocs + 2, sizeof *c->run_start);
    c->cell_start = msk_calloc(m->nprocs + 2, sizeof *c->cell_start);
    MSK_ASSERT(m->res.n < UINT32_MAX);
    const int32_t *proc = m->res.proc;
    size_t nruns = 0;
    for (size_t i = 0; i < m->res.n; i++)
        if (!i || proc[i] != proc[i - 1]) {
            c->run_start[(size_t)proc[i] + 1]++;
            nruns++;
        }
    for (size_t p = 0; p < m->nprocs; p++)
        c->run_start[p + 1] += c->run_start[p];
    c->runs = msk_reallocarray(NULL, nruns ? nruns : 1, sizeof *c->runs);
    size_t *fill = msk_calloc(m->nprocs + 1, sizeof *fill);
    for (size_t i = 0, j; i < m->res.n; i = j) {
        for (j = i + 1; j < m->res.n && proc[j] == proc[i]; j++)
            ;
        size_t p = (size_t)proc[i];
        c->runs[c->run_start[p] + fill[p]++] = (row_run){(uint32_t)i, (uint32_t)j};
    }
    free(fill);
    for (size_t k = 0; k < m->ncells; k++)
        c->cell_start[(size_t)m->cells[k].proc + 1]++;
    for (size_t p = 0; p < m->nprocs; p++)
        c->cell_start[p + 1] += c->cell_start[p];
    c->stamp = msk_calloc(m->npupils ? m->npupils : 1, sizeof *c->stamp);
    c->cnt = msk_calloc(m->npupils ? m->npupils : 1, sizeof *c->cnt);
}

static void ctx_release(rctx *c)
{
    free(c->by_code), free(c->run_start), free(c->runs), free(c->cell_start);
    free(c->stamp), free(c->cnt), free(c->seen);
    for (int i = 0; i < NPAST; i++)
        for (int k = 0; k < NLISTS; k++)
            free(c->past[i].in[k]);
    for (size_t i = 0; i < c->nfv; i++)
        for (int k = 0; k < FORM_YEARS; k++)
            free(c->fv[i].v[k]);
    free(c->fv), free(c->by_id), free(c->sent);
    for (int i = 0; i < NPAST; i++)
        classes_free(&c->oly[i]), classes_free(&c->grad[i]);
}

int engine_directions_run(store *s, const model *m, int year, json_t *const lists[3],
                          dir_file *const *files, size_t n, json_t **out, msk_err *err)
{
    if (!n) { /* no direction files: nothing to index */
        *out = json_array();
        return 0;
    }
    rctx c;
    ctx_init(&c, s, m, year, lists);
    dir_resolver r = {&c, m->nschools, school_code, resolve};
    int rc = dir_eval((const dir_file *const *)files, n, year, &r, NULL, out, err);
    ctx_release(&c);
    return rc;
}

int engine_directions_text(store *s, const model *m, int year, json_t *const lists[3],
                           dir_file *const *files, size_t n, msk_buf *compact, msk_buf *pretty,
                           int pretty_depth, int pretty_prec, int counts[3], msk_err *err)
{
    if (!n) { /* no direction files: nothing to index */
        counts[0] = counts[1] = counts[2] = 0;
        msk_buf_puts(compact, "[]");
        if (pretty)
            msk_buf_puts(pretty, "[]");
        return 0;
    }
    rctx c;
    ctx_init(&c, s, m, year, lists);
    dir_resolver r = {&c, m->nschools, school_code, resolve};
    int rc = dir_eval_text((const dir_file *const *)files, n, year, &r, NULL, compact, pretty,
                           pretty_depth, pretty_prec, counts, err);
    ctx_release(&c);
    return rc;
}

/* ---- the files ---- */

static int directions_dir(char *out, size_t outsz)
{
    const char *env = getenv("MSOKO_METHODS");
    char exe[1024];
    if (env && *env) {
        snprintf(out, outsz, "%s/directions", env);
        return access(out, R_OK) == 0;
    }
    snprintf(out, outsz, "methods/directions");
    if (access(out, R_OK) == 0)
        return 1;
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        char *dir = dirname(exe);
        for (int up = 0; up < 3; up++) {
            snprintf(out, outsz, "%s/methods/directions", dir);
            if (access(out, R_OK) == 0)
                return 1;
            dir = dirname(dir);
        }
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void engine_directions_free(dir_file **files, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dir_free(files[i]);
    free(files);
}

int engine_directions_load(dir_file ***files, size_t *n, json_t *names, msk_err *err)
{
    char dir[1024];
    *files = NULL;
    *n = 0;
    if (!directions_dir(dir, sizeof dir))
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    char **paths = NULL;
    size_t np = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".ini") || e->d_name[0] == '.')
            continue;
        paths = msk_reallocarray(paths, np + 1, sizeof *paths);
        size_t sz = strlen(dir) + len + 2;
        paths[np] = msk_malloc(sz);
        snprintf(paths[np++], sz, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    qsort(paths, np, sizeof *paths, cmp_str);
    int rc = 0;
    dir_file **fs = msk_calloc(np ? np : 1, sizeof *fs);
    size_t nf = 0;
    for (size_t i = 0; i < np && !rc; i++) {
        char *text = NULL;
        size_t len = 0;
        if (msk_file_read(paths[i], DIR_MAX_BYTES, &text, &len, err) ||
            dir_parse(paths[i], text, len, &fs[nf], err))
            rc = -1;
        else {
            for (size_t k = 0; k < nf && !rc; k++)
                if (!strcmp(dir_code(fs[k]), dir_code(fs[nf])))
                    rc = msk_error_at(err, paths[i], 0, 0, "направление %s уже описано в файле %s",
                                      dir_code(fs[nf]), dir_name(fs[k]));
            nf++;
            if (!rc && names)
                json_array_append_new(names, json_string(paths[i]));
        }
        free(text);
    }
    for (size_t i = 0; i < np; i++)
        free(paths[i]);
    free(paths);
    if (rc) {
        engine_directions_free(fs, nf);
        return -1;
    }
    *files = fs;
    *n = nf;
    return 0;
}
