/*
 * The model's building blocks: growing the column arrays, interning pupil codes in an
 * open-addressing hash, context values by element, and model_finish, which turns per-pupil
 * rows and aggregates into the sorted (procedure, school) cells every method starts from.
 * Loading from the store is in model/load.c; the arrays are described in model.h.
 */
#include "model/model.h"

#include "base/mem.h"
#include "model/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

model_priv *model_priv_of(model *m)
{
    if (!m->pupil_index)
        m->pupil_index = msk_calloc(1, sizeof(model_priv));
    return m->pupil_index;
}

/* Grow *p (count elements of size bytes, capacity *cap) to hold at least need elements. */
static void grow(void **p, size_t *cap, size_t need, size_t size)
{
    size_t c = *cap ? *cap : 16;
    if (need <= *cap)
        return;
    while (c < need)
        c *= 2;
    *p = msk_reallocarray(*p, c, size);
    *cap = c;
}

void model_init(model *m, int year_from, int year_to)
{
    memset(m, 0, sizeof *m);
    m->year_from = year_from;
    m->year_to = year_to;
}

void model_release(model *m)
{
    model_priv *p = m->pupil_index;
    model_results *r = &m->res;
    if (p) {
        for (size_t i = 0; i < p->nchunks; i++)
            free(p->chunks[i]);
        free(p->chunks);
        for (size_t i = 0; i < p->ntables; i++)
            free(p->tables[i].slot);
        free(p->tables);
        free(p->aggs);
        free(p);
    }
    free(m->schools);
    free(m->procs);
    free(r->proc);
    free(r->school);
    free(r->pupil);
    free(r->primary);
    free(r->mark);
    free(r->journal_mark);
    free(r->test_score);
    free(r->flags);
    free(r->tasks);
    free(r->task_off);
    free(r->ntask);
    free(m->cells);
    free(m->olymp);
    free(m->teams);
    free(m->grads);
    free(m->context);
    free(m->form_element);
    free(m->form_value);
    free(m->pupil_code);
    model_init(m, m->year_from, m->year_to);
}

/* ---- context ---- */

static size_t model_nyears(const model *m)
{
    return m->year_to >= m->year_from ? (size_t)(m->year_to - m->year_from + 1) : 0;
}

/* Re-lay the context array for nschools × nelements (both only grow), keeping the values. */
static void context_relayout(model *m, size_t nschools, size_t nelements)
{
    size_t ny = model_nyears(m);
    size_t total = ny * nschools * nelements;
    double *c;
    if (total == 0) {
        free(m->context);
        m->context = NULL;
        return;
    }
    c = msk_reallocarray(NULL, total, sizeof *c);
    for (size_t i = 0; i < total; i++)
        c[i] = NAN;
    if (m->context)
        for (size_t y = 0; y < ny; y++)
            for (size_t s = 0; s < m->nschools; s++)
                for (size_t e = 0; e < m->nelements; e++)
                    c[(y * nschools + s) * nelements + e] =
                        m->context[(y * m->nschools + s) * m->nelements + e];
    free(m->context);
    m->context = c;
}

static int element_index(const model *m, const char *element)
{
    for (size_t e = 0; e < m->nelements; e++)
        if (strcmp(m->element[e], element) == 0)
            return (int)e;
    return -1;
}

void model_set_context(model *m, int year, int32_t school, const char *element, double value)
{
    int e;
    MSK_ASSERT(school >= 0 && (size_t)school < m->nschools);
    if (year < m->year_from || year > m->year_to)
        return;
    e = element_index(m, element);
    if (e < 0) {
        if (m->nelements >= MODEL_MAX_ELEMENTS)
            return; /* more elements than the model holds: the rest are not analysed */
        context_relayout(m, m->nschools, m->nelements + 1);
        snprintf(m->element[m->nelements], sizeof m->element[0], "%s", element);
        e = (int)m->nelements++;
    } else if (!m->context) {
        context_relayout(m, m->nschools, m->nelements);
    }
    m->context[((size_t)(year - m->year_from) * m->nschools + (size_t)school) * m->nelements +
               (size_t)e] = value;
}

static int form_code_cmp(const void *key, const void *el)
{
    return strcmp(key, el);
}

const double *model_form_values(const model *m, const char *element, int year)
{
    if (!m->nform_elements || year < m->year_from || year > m->year_to)
        return NULL;
    const char(*e)[MODEL_FORM_CODE] = bsearch(element, m->form_element, m->nform_elements,
                                              sizeof *m->form_element, form_code_cmp);
    if (!e)
        return NULL;
    size_t k = (size_t)(e - m->form_element), ny = (size_t)(m->year_to - m->year_from + 1);
    return m->form_value + (k * ny + (size_t)(year - m->year_from)) * m->nschools;
}

double model_context(const model *m, int year, int32_t school, const char *element)
{
    int e = element_index(m, element);
    if (e < 0 || !m->context || year < m->year_from || year > m->year_to || school < 0 ||
        (size_t)school >= m->nschools)
        return NAN;
    return m
        ->context[((size_t)(year - m->year_from) * m->nschools + (size_t)school) * m->nelements +
                  (size_t)e];
}

/* ---- schools, procedures ---- */

int32_t model_add_school(model *m, const char *code, const char *type, const char *locality)
{
    model_priv *p = model_priv_of(m);
    model_school *sc;
    if (m->context)
        context_relayout(m, m->nschools + 1, m->nelements);
    grow((void **)&m->schools, &p->schools_cap, m->nschools + 1, sizeof *m->schools);
    sc = &m->schools[m->nschools];
    memset(sc, 0, sizeof *sc);
    snprintf(sc->code, sizeof sc->code, "%s", code ? code : "");
    snprintf(sc->type, sizeof sc->type, "%s", type ? type : "");
    snprintf(sc->locality, sizeof sc->locality, "%s", locality ? locality : "");
    return (int32_t)m->nschools++;
}

int32_t model_add_proc(model *m, int year, const char *kind, const char *subject, int grade,
                       double max_primary, double cut3, double cut4, double cut5, int min_test)
{
    model_priv *p = model_priv_of(m);
    model_proc *pr;
    grow((void **)&m->procs, &p->procs_cap, m->nprocs + 1, sizeof *m->procs);
    pr = &m->procs[m->nprocs];
    memset(pr, 0, sizeof *pr);
    pr->year = year;
    pr->grade = grade;
    snprintf(pr->kind, sizeof pr->kind, "%s", kind ? kind : "");
    snprintf(pr->subject, sizeof pr->subject, "%s", subject ? subject : "");
    pr->max_primary = max_primary;
    pr->cut3 = cut3;
    pr->cut4 = cut4;
    pr->cut5 = cut5;
    pr->min_test = min_test < 0 ? -1 : min_test;
    for (int i = 0; i < 64; i++)
        pr->task_max[i] = -1;
    return (int32_t)m->nprocs++;
}

/* ---- pupils ---- */

static uint32_t pupil_hash(const char *code, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)code[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 29;
    return (uint32_t)h ^ (uint32_t)(h >> 32);
}

/* Double a school's table, moving every slot by its stored hash. */
static void pupil_rehash(school_pupils *t)
{
    size_t n = t->nslots ? (size_t)t->nslots * 2 : 64;
    pupil_slot *slot = msk_calloc(n, sizeof *slot);
    for (size_t k = 0; k < t->nslots; k++) {
        size_t j;
        if (!t->slot[k].index1)
            continue;
        for (j = t->slot[k].hash & (n - 1); slot[j].index1; j = (j + 1) & (n - 1))
            ;
        slot[j] = t->slot[k];
    }
    free(t->slot);
    t->slot = slot;
    t->nslots = (uint32_t)n;
}

/* A copy of code (len bytes) in the arena. */
static char *arena_copy(model_priv *p, const char *code, size_t len)
{
    char *out;
    if (!p->nchunks || p->chunk_used + len + 1 > p->chunk_size) {
        size_t sz = len + 1 > ARENA_CHUNK ? len + 1 : ARENA_CHUNK;
        grow((void **)&p->chunks, &p->chunks_cap, p->nchunks + 1, sizeof *p->chunks);
        p->chunks[p->nchunks++] = msk_malloc(sz);
        p->chunk_size = sz;
        p->chunk_used = 0;
    }
    out = p->chunks[p->nchunks - 1] + p->chunk_used;
    memcpy(out, code, len);
    out[len] = '\0';
    p->chunk_used += len + 1;
    return out;
}

int32_t model_pupil(model *m, int32_t school, const char *code)
{
    model_priv *p = model_priv_of(m);
    size_t len = strlen(code);
    uint32_t h = pupil_hash(code, len);
    school_pupils *t;
    size_t j;
    MSK_ASSERT(school >= 0 && (size_t)school < m->nschools);
    MSK_ASSERT(m->npupils < INT32_MAX);
    MSK_ASSERT(!p->sealed); /* a model read from a snapshot has no pupil hash */
    if ((size_t)school >= p->ntables) {
        size_t old = p->ntables;
        grow((void **)&p->tables, &p->ntables, (size_t)school + 1, sizeof *p->tables);
        memset(p->tables + old, 0, (p->ntables - old) * sizeof *p->tables);
    }
    t = &p->tables[school];
    if ((t->n + 1) * 2 > t->nslots)
        pupil_rehash(t);
    for (j = h & (t->nslots - 1); t->slot[j].index1; j = (j + 1) & (t->nslots - 1)) {
        if (t->slot[j].hash == h) {
            uint32_t i = t->slot[j].index1 - 1;
            if (memcmp(m->pupil_code[i], code, len + 1) == 0)
                return (int32_t)i;
        }
    }
    grow((void **)&m->pupil_code, &m->pupils_cap, m->npupils + 1, sizeof *m->pupil_code);
    m->pupil_code[m->npupils] = arena_copy(p, code, len);
    t->slot[j].index1 = (uint32_t)m->npupils + 1;
    t->slot[j].hash = h;
    t->n++;
    return (int32_t)m->npupils++;
}

const char *model_pupil_code(const model *m, int32_t pupil)
{
    if (pupil < 0 || (size_t)pupil >= m->npupils)
        return NULL;
    return m->pupil_code[pupil];
}

/* ---- results ---- */

static void results_grow(model_results *r, size_t need)
{
    size_t c = r->cap ? r->cap : 1024;
    if (need <= r->cap)
        return;
    while (c < need)
        c *= 2;
    r->proc = msk_reallocarray(r->proc, c, sizeof *r->proc);
    r->school = msk_reallocarray(r->school, c, sizeof *r->school);
    r->pupil = msk_reallocarray(r->pupil, c, sizeof *r->pupil);
    r->primary = msk_reallocarray(r->primary, c, sizeof *r->primary);
    r->mark = msk_reallocarray(r->mark, c, sizeof *r->mark);
    r->journal_mark = msk_reallocarray(r->journal_mark, c, sizeof *r->journal_mark);
    r->test_score = msk_reallocarray(r->test_score, c, sizeof *r->test_score);
    r->flags = msk_reallocarray(r->flags, c, sizeof *r->flags);
    r->task_off = msk_reallocarray(r->task_off, c, sizeof *r->task_off);
    r->ntask = msk_reallocarray(r->ntask, c, sizeof *r->ntask);
    r->cap = c;
}

size_t model_add_result(model *m, int32_t proc, int32_t school, int32_t pupil, double primary,
                        int mark, int test_score, int journal_mark, unsigned flags,
                        const uint8_t *tasks, int ntasks)
{
    model_results *r = &m->res;
    size_t i = r->n;
    size_t nt = tasks && ntasks > 0 ? (size_t)(ntasks > 255 ? 255 : ntasks) : 0;
    MSK_ASSERT(proc >= 0 && (size_t)proc < m->nprocs);
    MSK_ASSERT(school >= 0 && (size_t)school < m->nschools);
    results_grow(r, i + 1);
    if (nt) {
        MSK_ASSERT(r->tasks_len + nt <= UINT32_MAX);
        grow((void **)&r->tasks, &r->tasks_cap, r->tasks_len + nt, 1);
        memcpy(r->tasks + r->tasks_len, tasks, nt);
    }
    r->proc[i] = proc;
    r->school[i] = school;
    r->pupil[i] = pupil;
    r->primary[i] = (float)primary;
    r->mark[i] = (int8_t)(mark >= 0 && mark <= 5 ? mark : 0);
    r->journal_mark[i] = (int8_t)(journal_mark >= 0 && journal_mark <= 5 ? journal_mark : 0);
    r->test_score[i] = (int16_t)(test_score >= 0 && test_score <= 32767 ? test_score : -1);
    r->flags[i] = (uint8_t)flags;
    r->task_off[i] = (uint32_t)r->tasks_len;
    r->ntask[i] = (uint8_t)nt;
    r->tasks_len += nt;
    r->n++;
    return i;
}

void model_add_aggregate(model *m, int32_t proc, int32_t school, int participants, int mark2,
                         int mark3, int mark4, int mark5, int below_min)
{
    model_priv *p = model_priv_of(m);
    agg_row *a;
    MSK_ASSERT(proc >= 0 && (size_t)proc < m->nprocs);
    MSK_ASSERT(school >= 0 && (size_t)school < m->nschools);
    grow((void **)&p->aggs, &p->aggs_cap, p->naggs + 1, sizeof *p->aggs);
    a = &p->aggs[p->naggs];
    a->proc = proc;
    a->school = school;
    a->participants = participants < 0 ? 0 : participants;
    a->mark2 = mark2 < 0 ? 0 : mark2;
    a->mark3 = mark3 < 0 ? 0 : mark3;
    a->mark4 = mark4 < 0 ? 0 : mark4;
    a->mark5 = mark5 < 0 ? 0 : mark5;
    a->below_min = below_min < 0 ? -1 : below_min;
    a->order = p->naggs++;
}

/* ---- olympiads, teams, graduates ---- */

void model_add_olympiad(model *m, const model_olympiad *o)
{
    model_priv *p = model_priv_of(m);
    grow((void **)&m->olymp, &p->olymp_cap, m->nolymp + 1, sizeof *m->olymp);
    m->olymp[m->nolymp++] = *o;
}

void model_add_team(model *m, const model_team *t)
{
    model_priv *p = model_priv_of(m);
    grow((void **)&m->teams, &p->teams_cap, m->nteams + 1, sizeof *m->teams);
    m->teams[m->nteams++] = *t;
}

void model_add_graduate(model *m, const model_graduate *g)
{
    model_priv *p = model_priv_of(m);
    grow((void **)&m->grads, &p->grads_cap, m->ngrads + 1, sizeof *m->grads);
    m->grads[m->ngrads++] = *g;
}

/* ---- canonical order (model_load and the snapshot agree on it) ---- */

/* A stable order of n items by an int key: perm[k] is the item at position k. */
static size_t *stable_by_key(const int *key, size_t n)
{
    size_t *perm = msk_reallocarray(NULL, n ? n : 1, sizeof *perm);
    int lo = 0, hi = -1;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || key[i] < lo)
            lo = key[i];
        if (i == 0 || key[i] > hi)
            hi = key[i];
    }
    size_t nb = n ? (size_t)((int64_t)hi - lo + 2) : 1;
    size_t *start = msk_calloc(nb, sizeof *start);
    for (size_t i = 0; i < n; i++)
        start[key[i] - lo + 1]++;
    for (size_t b = 1; b < nb; b++)
        start[b] += start[b - 1];
    for (size_t i = 0; i < n; i++)
        perm[start[key[i] - lo]++] = i;
    free(start);
    return perm;
}

static int is_identity(const size_t *perm, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (perm[i] != i)
            return 0;
    return 1;
}

/* Reorder n elements of size sz at *p by perm (new[k] = old[perm[k]]). */
static void permute(void *p, size_t n, size_t sz, const size_t *perm)
{
    unsigned char *old = p, *out = msk_reallocarray(NULL, n ? n : 1, sz);
    for (size_t k = 0; k < n; k++)
        memcpy(out + k * sz, old + perm[k] * sz, sz);
    memcpy(p, out, n * sz);
    free(out);
}

static void canon_procs(model *m)
{
    model_priv *p = model_priv_of(m);
    int *year = msk_reallocarray(NULL, m->nprocs ? m->nprocs : 1, sizeof *year);
    for (size_t i = 0; i < m->nprocs; i++)
        year[i] = m->procs[i].year;
    size_t *perm = stable_by_key(year, m->nprocs);
    free(year);
    if (!is_identity(perm, m->nprocs)) {
        int32_t *to = msk_reallocarray(NULL, m->nprocs, sizeof *to);
        for (size_t k = 0; k < m->nprocs; k++)
            to[perm[k]] = (int32_t)k;
        permute(m->procs, m->nprocs, sizeof *m->procs, perm);
        for (size_t i = 0; i < m->res.n; i++)
            m->res.proc[i] = to[m->res.proc[i]];
        for (size_t i = 0; i < p->naggs; i++)
            p->aggs[i].proc = to[p->aggs[i].proc];
        free(to);
    }
    free(perm);
}

static void canon_rows(model *m)
{
    model_results *r = &m->res;
    int *year = msk_reallocarray(NULL, r->n ? r->n : 1, sizeof *year);
    for (size_t i = 0; i < r->n; i++)
        year[i] = m->procs[r->proc[i]].year;
    size_t *perm = stable_by_key(year, r->n);
    free(year);
    if (!is_identity(perm, r->n)) {
        uint8_t *tasks = msk_malloc(r->tasks_len ? r->tasks_len : 1);
        uint32_t *off = msk_reallocarray(NULL, r->n, sizeof *off);
        size_t len = 0;
        for (size_t k = 0; k < r->n; k++) {
            size_t i = perm[k];
            memcpy(tasks + len, r->tasks + r->task_off[i], r->ntask[i]);
            off[k] = (uint32_t)len;
            len += r->ntask[i];
        }
        free(r->tasks);
        r->tasks = tasks;
        r->tasks_cap = r->tasks_len ? r->tasks_len : 1;
        free(r->task_off);
        r->task_off = off;
        permute(r->proc, r->n, sizeof *r->proc, perm);
        permute(r->school, r->n, sizeof *r->school, perm);
        permute(r->pupil, r->n, sizeof *r->pupil, perm);
        permute(r->primary, r->n, sizeof *r->primary, perm);
        permute(r->mark, r->n, sizeof *r->mark, perm);
        permute(r->journal_mark, r->n, sizeof *r->journal_mark, perm);
        permute(r->test_score, r->n, sizeof *r->test_score, perm);
        permute(r->flags, r->n, sizeof *r->flags, perm);
        permute(r->ntask, r->n, sizeof *r->ntask, perm);
        /* task_off was rebuilt above; the arrays keep their capacity r->cap */
        if (r->cap > r->n)
            r->task_off = msk_reallocarray(r->task_off, r->cap, sizeof *r->task_off);
    }
    free(perm);
}

#define CANON_BY_YEAR(arr, n)                                                                      \
    do {                                                                                           \
        int *yk = msk_reallocarray(NULL, (n) ? (n) : 1, sizeof *yk);                               \
        for (size_t i_ = 0; i_ < (n); i_++)                                                        \
            yk[i_] = (arr)[i_].year;                                                               \
        size_t *pm = stable_by_key(yk, (n));                                                       \
        if (!is_identity(pm, (n)))                                                                 \
            permute((arr), (n), sizeof *(arr), pm);                                                \
        free(pm);                                                                                  \
        free(yk);                                                                                  \
    } while (0)

/* Number the pupils by first appearance: results, olympiads, graduates. */
static void canon_pupils(model *m)
{
    model_priv *p = model_priv_of(m);
    int32_t *to = msk_reallocarray(NULL, m->npupils ? m->npupils : 1, sizeof *to);
    int32_t n = 0;
    int same = 1;
    for (size_t i = 0; i < m->npupils; i++)
        to[i] = -1;
#define VISIT(x)                                                                                   \
    do {                                                                                           \
        int32_t g_ = (x);                                                                          \
        if (g_ >= 0 && to[g_] < 0) {                                                               \
            same &= g_ == n;                                                                       \
            to[g_] = n++;                                                                          \
        }                                                                                          \
    } while (0)
    for (size_t i = 0; i < m->res.n; i++)
        VISIT(m->res.pupil[i]);
    for (size_t i = 0; i < m->nolymp; i++)
        VISIT(m->olymp[i].pupil);
    for (size_t i = 0; i < m->ngrads; i++)
        VISIT(m->grads[i].pupil);
#undef VISIT
    for (size_t i = 0; i < m->npupils; i++) /* interned by hand but used by no row */
        if (to[i] < 0) {
            same &= (int32_t)i == n;
            to[i] = n++;
        }
    if (!same) {
        char **code = msk_reallocarray(NULL, m->pupils_cap ? m->pupils_cap : 1, sizeof *code);
        for (size_t i = 0; i < m->npupils; i++)
            code[to[i]] = m->pupil_code[i];
        free(m->pupil_code);
        m->pupil_code = code;
        for (size_t i = 0; i < m->res.n; i++)
            m->res.pupil[i] = to[m->res.pupil[i]];
        for (size_t i = 0; i < m->nolymp; i++)
            if (m->olymp[i].pupil >= 0)
                m->olymp[i].pupil = to[m->olymp[i].pupil];
        for (size_t i = 0; i < m->ngrads; i++)
            if (m->grads[i].pupil >= 0)
                m->grads[i].pupil = to[m->grads[i].pupil];
        for (size_t t = 0; t < p->ntables; t++)
            for (uint32_t k = 0; k < p->tables[t].nslots; k++)
                if (p->tables[t].slot[k].index1)
                    p->tables[t].slot[k].index1 = (uint32_t)to[p->tables[t].slot[k].index1 - 1] + 1;
    }
    free(to);
}

static int element_cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

static void canon_elements(model *m)
{
    char sorted[MODEL_MAX_ELEMENTS][32];
    int from[MODEL_MAX_ELEMENTS];
    size_t ne = m->nelements, ny = model_nyears(m), ns = m->nschools;
    memcpy(sorted, m->element, ne * sizeof sorted[0]);
    qsort(sorted, ne, sizeof sorted[0], element_cmp);
    int same = 1;
    for (size_t e = 0; e < ne; e++) {
        from[e] = element_index(m, sorted[e]);
        same &= from[e] == (int)e;
    }
    if (same || !m->context)
        return;
    double *c = msk_reallocarray(NULL, ny * ns * ne, sizeof *c);
    for (size_t i = 0; i < ny * ns; i++)
        for (size_t e = 0; e < ne; e++)
            c[i * ne + e] = m->context[i * ne + (size_t)from[e]];
    free(m->context);
    m->context = c;
    memcpy(m->element, sorted, ne * sizeof sorted[0]);
}

void model_canonicalize(model *m)
{
    canon_procs(m);
    canon_rows(m);
    CANON_BY_YEAR(m->olymp, m->nolymp);
    CANON_BY_YEAR(m->teams, m->nteams);
    CANON_BY_YEAR(m->grads, m->ngrads);
    canon_pupils(m);
    canon_elements(m);
}

/* ---- cells ---- */

/* Per-school running counts of one procedure while model_finish walks its rows. */
typedef struct cell_acc {
    int participants, marks[6], failed, nprimary, ntest;
    double sum_primary, sum_test;
    int touched; /* has per-pupil rows */
    int64_t agg; /* index into aggs + 1, 0 = none */
} cell_acc;

static int agg_cmp(const void *a, const void *b)
{
    const agg_row *x = a, *y = b;
    if (x->proc != y->proc)
        return x->proc < y->proc ? -1 : 1;
    if (x->school != y->school)
        return x->school < y->school ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* ЕГЭ other than base mathematics is judged by the test score (METHODS.md §1). */
static int judged_by_test(const model_proc *pr)
{
    return (strcmp(pr->kind, "EGE") == 0 || strcmp(pr->kind, "EGE_T") == 0) &&
           strcmp(pr->subject, "math_base") != 0;
}

/* The mark of a row: as given, else derived from the primary score and the cut-offs. */
static int row_mark(const model_proc *pr, int mark, float primary)
{
    if (mark >= 2 && mark <= 5)
        return mark;
    if (isnan(primary) || isnan(pr->cut3))
        return 0;
    if (!isnan(pr->cut5) && primary >= pr->cut5)
        return 5;
    if (!isnan(pr->cut4) && primary >= pr->cut4)
        return 4;
    return primary >= pr->cut3 ? 3 : 2;
}

static void acc_row(const model *m, const model_proc *pr, size_t i, cell_acc *a)
{
    const model_results *r = &m->res;
    int mark = row_mark(pr, r->mark[i], r->primary[i]);
    int ts = r->test_score[i];
    a->touched = 1;
    /* seed 002 §2.1: only the first, main-period result counts; absent pupils did not sit */
    if (r->flags[i] & (MODEL_ABSENT | MODEL_RETAKE | MODEL_PAST_GRADUATE))
        return;
    a->participants++;
    if (mark >= 2)
        a->marks[mark]++;
    if (judged_by_test(pr)) {
        if (ts >= 0 && pr->min_test >= 0 && ts < pr->min_test)
            a->failed++;
    } else if (mark == 2) {
        a->failed++;
    }
    if (!isnan(r->primary[i])) {
        a->nprimary++;
        a->sum_primary += r->primary[i];
    }
    if (ts >= 0) {
        a->ntest++;
        a->sum_test += ts;
    }
}

static void emit_cell(model *m, int32_t proc, int32_t school, const cell_acc *a, const agg_row *g)
{
    model_priv *p = model_priv_of(m);
    model_cell *c;
    grow((void **)&m->cells, &p->cells_cap, m->ncells + 1, sizeof *m->cells);
    c = &m->cells[m->ncells++];
    memset(c, 0, sizeof *c);
    c->proc = proc;
    c->school = school;
    if (!g) {
        c->participants = a->participants;
        memcpy(c->marks, a->marks, sizeof c->marks);
        c->failed = a->failed;
        c->below_min = a->failed;
        c->mean_primary = a->nprimary ? a->sum_primary / a->nprimary : NAN;
        c->mean_test = a->ntest ? a->sum_test / a->ntest : NAN;
        return;
    }
    c->participants = g->participants;
    c->marks[2] = g->mark2;
    c->marks[3] = g->mark3;
    c->marks[4] = g->mark4;
    c->marks[5] = g->mark5;
    c->failed = g->below_min >= 0 ? g->below_min : g->mark2;
    c->below_min = c->failed;
    c->mean_primary = NAN;
    c->mean_test = NAN;
    c->from_aggregate = 1;
}

void model_finish(model *m)
{
    model_priv *p = model_priv_of(m);
    const model_results *r = &m->res;
    size_t *start = msk_calloc(m->nprocs + 1, sizeof *start);
    uint32_t *order = msk_reallocarray(NULL, r->n ? r->n : 1, sizeof *order);
    cell_acc *acc = msk_calloc(m->nschools ? m->nschools : 1, sizeof *acc);
    size_t ai = 0;

    m->ncells = 0;
    /* counting sort of the rows by procedure, so hand-built models in any order work */
    for (size_t i = 0; i < r->n; i++)
        start[r->proc[i] + 1]++;
    for (size_t k = 0; k < m->nprocs; k++)
        start[k + 1] += start[k];
    for (size_t i = 0; i < r->n; i++)
        order[start[r->proc[i]]++] = (uint32_t)i;
    for (size_t k = m->nprocs; k > 0; k--)
        start[k] = start[k - 1];
    start[0] = 0;
    if (p->naggs)
        qsort(p->aggs, p->naggs, sizeof *p->aggs, agg_cmp);

    for (size_t k = 0; k < m->nprocs; k++) {
        const model_proc *pr = &m->procs[k];
        for (size_t j = start[k]; j < start[k + 1]; j++)
            acc_row(m, pr, order[j], &acc[r->school[order[j]]]);
        for (; ai < p->naggs && (size_t)p->aggs[ai].proc == k; ai++)
            acc[p->aggs[ai].school].agg = (int64_t)ai + 1; /* sorted: the latest wins */
        for (size_t s = 0; s < m->nschools; s++) {
            cell_acc *a = &acc[s];
            if (a->touched)
                emit_cell(m, (int32_t)k, (int32_t)s, a, NULL);
            else if (a->agg)
                emit_cell(m, (int32_t)k, (int32_t)s, a, &p->aggs[a->agg - 1]);
            memset(a, 0, sizeof *a);
        }
    }
    free(start);
    free(order);
    free(acc);
}

/* ---- lookups ---- */

int32_t model_find_school(const model *m, const char *code)
{
    for (size_t i = 0; i < m->nschools; i++)
        if (strcmp(m->schools[i].code, code) == 0)
            return (int32_t)i;
    return -1;
}

int32_t model_find_proc(const model *m, int year, const char *kind, const char *subject, int grade)
{
    for (size_t i = 0; i < m->nprocs; i++) {
        const model_proc *p = &m->procs[i];
        if (p->year == year && p->grade == grade && strcmp(p->kind, kind) == 0 &&
            strcmp(p->subject, subject) == 0)
            return (int32_t)i;
    }
    return -1;
}

const model_cell *model_cell_of(const model *m, int32_t proc, int32_t school)
{
    size_t lo = 0, hi = m->ncells;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const model_cell *c = &m->cells[mid];
        if (c->proc < proc || (c->proc == proc && c->school < school))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < m->ncells && m->cells[lo].proc == proc && m->cells[lo].school == school)
        return &m->cells[lo];
    return NULL;
}
