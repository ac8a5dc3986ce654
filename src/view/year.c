/*
 * Loading a year for the views (view_year_load) and the helpers the page builders share.
 */
#include "base/buf.h"
#include "base/mem.h"
#include "base/vocab.h"
#include "method/peers.h"
#include "store/municipality.h"
#include "store/view.h"
#include "view/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct load_ctx {
    view_year *v;
    msk_buf text; /* the evidence texts (v->ev_text) */
    size_t names_cap, findings_cap;
    int year;
    int failed;
} load_ctx;

static void on_name(void *ctx, const store_read_name *r)
{
    load_ctx *c = ctx;
    view_year *v = c->v;
    if (v->nnames == c->names_cap) {
        c->names_cap = c->names_cap ? 2 * c->names_cap : 64;
        v->names = msk_reallocarray(v->names, c->names_cap, sizeof *v->names);
    }
    view_name *n = &v->names[v->nnames++];
    snprintf(n->table, sizeof n->table, "%s", r->table);
    snprintf(n->code, sizeof n->code, "%s", r->code ? r->code : "");
    snprintf(n->name, sizeof n->name, "%s", r->name ? r->name : "");
    snprintf(n->unit, sizeof n->unit, "%s", r->unit ? r->unit : "");
    snprintf(n->type, sizeof n->type, "%s", r->type ? r->type : "");
}

static void on_label(void *ctx, const store_read_task_label *r)
{
    load_ctx *c = ctx;
    view_year *v = c->v;
    int32_t p = model_find_proc(&v->m, r->year, r->kind, r->subject, r->grade);
    if (p < 0 || r->idx < 1 || r->idx > 64 || !r->label)
        return;
    snprintf(v->labels[p][r->idx - 1], sizeof v->labels[p][0], "%s", r->label);
}

static void on_finding(void *ctx, const store_read_finding *r)
{
    load_ctx *c = ctx;
    view_year *v = c->v;
    int k = v->year - c->year;
    if (k >= 0 && k < VIEW_DEPTH) {
        snprintf(v->run_at[k], sizeof v->run_at[k], "%s", r->run_at ? r->run_at : "");
        snprintf(v->methods[k], sizeof v->methods[k], "%s", r->methods ? r->methods : "");
    }
    int32_t school = r->school_code ? vi_find_school(v, r->school_code) : -1;
    if (r->school_code && school < 0)
        return; /* a school outside the view's municipality (view_year_load_in) */
    if (!r->school_code && v->partial)
        return; /* analyze counted the installation's municipal findings over every school */
    const char *ev = r->evidence ? r->evidence : "{}";
    size_t len = strlen(ev);
    /* evidence is written by analyze as a JSON object (or array); a row that is not one is
     * left out. Kept as text: parsed when a page asks (vi_ev). */
    size_t a = strspn(ev, " \t\r\n"), b = len;
    while (b > a && strchr(" \t\r\n", ev[b - 1]))
        b--;
    if (b - a < 2 || !((ev[a] == '{' && ev[b - 1] == '}') || (ev[a] == '[' && ev[b - 1] == ']')))
        return;
    if (v->nfindings == c->findings_cap) {
        c->findings_cap = c->findings_cap ? 2 * c->findings_cap : 64;
        v->findings = msk_reallocarray(v->findings, c->findings_cap, sizeof *v->findings);
    }
    view_finding *f = &v->findings[v->nfindings++];
    memset(f, 0, sizeof *f);
    f->off = c->text.len;
    f->len = len;
    msk_buf_add(&c->text, ev, len + 1); /* with its NUL */
    snprintf(f->method, sizeof f->method, "%s", r->method);
    snprintf(f->verdict, sizeof f->verdict, "%s", r->verdict ? r->verdict : "");
    f->school = school;
    f->year = c->year;
}

static void muni_cell(const view_year *v, int32_t p, model_cell *out);
static void index_codes(view_year *v);

/* The rows a histogram counts: the first, main-period result of a present pupil (as the
 * cells do: absent pupils, retakes and past-year graduates left out). */
int vi_counted(const model *m, size_t r)
{
    return !(m->res.flags[r] & (MODEL_ABSENT | MODEL_RETAKE | MODEL_PAST_GRADUATE));
}

/* Every school's score histogram of every procedure of the year, in one pass: primary scores
 * rounded, 0 up to the larger of the scale's maximum and the highest score; for ЕГЭ with test
 * scores (and any procedure with test scores only) the test scores 0..100, as ФИС ОКО shows. */
static void count_histograms(view_year *v)
{
    const model *m = &v->m;
    size_t np = m->nprocs ? m->nprocs : 1, ns = m->nschools ? m->nschools : 1;
    v->hist_n = msk_calloc(np, sizeof *v->hist_n);
    v->hist_muni = msk_calloc(np, sizeof *v->hist_muni);
    v->hist_school = msk_calloc(np, sizeof *v->hist_school);
    v->hist_test = msk_calloc(np, 1);
    for (size_t p = 0; p < m->nprocs; p++) {
        const model_proc *pr = &m->procs[p];
        if (pr->year != v->year || v->proc_start[p + 1] == v->proc_start[p])
            continue;
        int maxs = isnan(pr->max_primary) ? 0 : (int)pr->max_primary;
        size_t with_primary = 0, with_test = 0;
        for (size_t k = v->proc_start[p]; k < v->proc_start[p + 1]; k++) {
            float x = m->res.primary[v->proc_rows[k]];
            with_primary += !isnan(x) ? 1u : 0u;
            with_test += m->res.test_score[v->proc_rows[k]] >= 0;
            if (!isnan(x) && x > maxs && x < 1000)
                maxs = (int)ceilf(x);
        }
        int test = with_test > 0 && (with_primary == 0 || strcmp(pr->kind, "EGE") == 0 ||
                                     strcmp(pr->kind, "EGE_T") == 0);
        if (test)
            maxs = 100;
        v->hist_test[p] = (unsigned char)test;
        size_t n = (size_t)maxs + 1;
        v->hist_n[p] = n;
        v->hist_muni[p] = msk_calloc(n, sizeof **v->hist_muni);
        v->hist_school[p] = msk_calloc(ns * n, sizeof **v->hist_school);
        for (size_t k = v->proc_start[p]; k < v->proc_start[p + 1]; k++) {
            size_t r = v->proc_rows[k];
            float x = test ? (float)m->res.test_score[r] : m->res.primary[r];
            if (!vi_counted(m, r) || isnan(x) || x < 0)
                continue;
            long sc = lroundf(x) > maxs ? maxs : lroundf(x);
            v->hist_muni[p][sc]++;
            v->hist_school[p][(size_t)m->res.school[r] * n + (size_t)sc]++;
        }
    }
}

int vi_by_test(const view_year *v, int32_t p)
{
    return p >= 0 && (size_t)p < v->m.nprocs && v->hist_test && v->hist_test[p];
}

void vi_add_test(const view_year *v, const view_ctx *c, int32_t p, int32_t school, json_t *marks)
{
    if (!vi_by_test(v, p) || !json_is_object(marks))
        return;
    size_t n = v->hist_n[p];
    const int *h = school >= 0 ? v->hist_school[p] + (size_t)school * n : v->hist_muni[p];
    int total = 0, n81 = 0;
    for (size_t s = 0; s < n; s++) {
        total += h[s];
        n81 += s >= 81 ? h[s] : 0;
    }
    int n100 = n > 100 ? h[100] : 0;
    json_t *below = json_object_get(marks, "below_min");
    json_object_set_new(marks, "by_test", json_true());
    json_object_set_new(marks, "share_below_min",
                        json_is_integer(below) && total
                            ? json_real((double)json_integer_value(below) / total)
                            : json_null());
    /* whoever may not see the school (the public: the municipality too) sees no group of 1–4
     * pupils, not even as a count */
    int pub = school >= 0 ? !vi_may_see(c, v, school) : c->role == VIEW_PUBLIC;
    int hide81 = pub && n81 > 0 && n81 < VIEW_MIN_CELL,
        hide100 = pub && n100 > 0 && n100 < VIEW_MIN_CELL;
    json_object_set_new(marks, "n81", hide81 ? json_null() : json_integer(n81));
    json_object_set_new(marks, "share81",
                        hide81 || !total ? json_null() : json_real((double)n81 / total));
    json_object_set_new(marks, "n100", hide100 ? json_null() : json_integer(n100));
}

int view_histogram(const view_year *v, const char *key, const char *school, const int **muni,
                   const int **mine, size_t *n, double cuts[3])
{
    int32_t p = vi_find_proc_key(v, v->year, key);
    int32_t sc = school ? vi_find_school(v, school) : -1;
    if (p < 0 || !v->hist_n[p] || vi_by_test(v, p) || (school && sc < 0))
        return VIEW_NOT_FOUND; /* a test-scored ЕГЭ has no primary-score histogram */
    const model_proc *pr = &v->m.procs[p];
    *n = v->hist_n[p];
    *muni = v->hist_muni[p];
    *mine = sc >= 0 ? v->hist_school[p] + (size_t)sc * v->hist_n[p] : NULL;
    cuts[0] = pr->cut3, cuts[1] = pr->cut4, cuts[2] = pr->cut5;
    return 0;
}

int view_year_load(store *s, int year, view_year **out, msk_err *err)
{
    return view_year_load_in(s, year, 0, out, err);
}

/* The schools of municipality muni when they are not every school of the installation: 1 and
 * *ids (owned, never NULL), 0 when the municipality holds them all (the whole model, its
 * snapshot and its municipal findings serve), -1 with err. */
static int scope_ids(store *s, int64_t muni, int64_t **ids, size_t *n, msk_err *err)
{
    *ids = NULL;
    *n = 0;
    if (muni <= 0)
        return 0;
    if (store_municipality_school_ids(s, muni, ids, n, err))
        return -1;
    if ((int64_t)*n == store_school_count(s)) {
        free(*ids);
        *ids = NULL;
        return 0;
    }
    if (!*ids)
        *ids = msk_calloc(1, sizeof **ids); /* an empty municipality: no school at all */
    return 1;
}

int view_year_load_in(store *s, int year, int64_t muni, view_year **out, msk_err *err)
{
    view_year *v = msk_calloc(1, sizeof *v);
    load_ctx c = {v, {0}, 0, 0, year, 0};
    int64_t *ids = NULL;
    size_t nids = 0;
    *out = NULL;
    v->year = year;
    v->scope_muni = muni > 0 ? muni : 0;
    if ((v->partial = scope_ids(s, v->scope_muni, &ids, &nids, err)) < 0) {
        free(v);
        return -1;
    }
    pthread_mutex_init(&v->rank_mu, NULL);
    pthread_mutex_init(&v->miss_mu, NULL);
    v->stamp = store_data_stamp(s);
    if ((v->has_run = store_analysis_freshness(s, year, &v->fresh, err)) < 0) {
        free(ids);
        free(v);
        return -1;
    }
    /* model_load initialises the model itself and releases it on failure */
    /* pages read the rows of the year's own procedures only (histograms, view_procedure) and
     * the cells of the years before (dynamics); a municipality of several reads its schools'
     * rows (the snapshot holds every school) */
    if (v->partial ? model_load_rows_in(&v->m, s, year - VIEW_DEPTH + 1, year, ids, nids, err)
                   : model_load_opt(&v->m, s, year - VIEW_DEPTH + 1, year,
                                    MODEL_LOAD_ROWS_OF_LAST | MODEL_LOAD_TASKS_OF_LAST, err)) {
        free(ids);
        free(v);
        return -1;
    }
    free(ids);
    model *m = &v->m;
    index_codes(v);
    /* rows of each procedure, by a counting sort */
    v->proc_start = msk_calloc(m->nprocs + 1, sizeof *v->proc_start);
    v->proc_rows = msk_reallocarray(NULL, m->res.n ? m->res.n : 1, sizeof *v->proc_rows);
    for (size_t i = 0; i < m->res.n; i++)
        v->proc_start[m->res.proc[i] + 1]++;
    for (size_t p = 0; p < m->nprocs; p++)
        v->proc_start[p + 1] += v->proc_start[p];
    {
        size_t *fill = msk_reallocarray(NULL, m->nprocs + 1, sizeof *fill);
        memcpy(fill, v->proc_start, (m->nprocs + 1) * sizeof *fill);
        for (size_t i = 0; i < m->res.n; i++)
            v->proc_rows[fill[m->res.proc[i]]++] = i;
        free(fill);
    }
    v->labels = msk_calloc(m->nprocs ? m->nprocs : 1, sizeof *v->labels);
    if (store_read_names(s, on_name, &c, err) ||
        store_read_task_labels(s, year - VIEW_DEPTH + 1, year, on_label, &c, err))
        goto fail;
    msk_buf_init(&c.text, 0);
    for (int y = year - VIEW_DEPTH + 1; y <= year; y++) {
        c.year = y;
        if (store_read_findings(s, y, on_finding, &c, err)) {
            msk_buf_release(&c.text);
            goto fail;
        }
    }
    v->ev_text = msk_buf_detach(&c.text, NULL);
    msk_buf_release(&c.text); /* detach leaves an empty buffer behind */
    /* index the findings by school (a counting sort keeps each school's in stored order) */
    v->school_start = msk_calloc(m->nschools + 2, sizeof *v->school_start);
    v->by_school = msk_reallocarray(NULL, v->nfindings ? v->nfindings : 1, sizeof *v->by_school);
    for (size_t k = 0; k < v->nfindings; k++)
        v->school_start[v->findings[k].school + 2]++;
    for (size_t i = 0; i <= m->nschools; i++)
        v->school_start[i + 1] += v->school_start[i];
    {
        size_t *fill = msk_reallocarray(NULL, m->nschools + 2, sizeof *fill);
        memcpy(fill, v->school_start, (m->nschools + 2) * sizeof *fill);
        for (size_t k = 0; k < v->nfindings; k++)
            v->by_school[fill[v->findings[k].school + 1]++] = k;
        free(fill);
    }
    if (vi_bench_load(s, v, err))
        goto fail;
    count_histograms(v);
    v->family = msk_reallocarray(NULL, (m->nprocs ? m->nprocs : 1) * VIEW_DEPTH, sizeof *v->family);
    for (size_t p = 0; p < m->nprocs; p++)
        for (int k = 0; k < VIEW_DEPTH; k++)
            v->family[p * VIEW_DEPTH + (size_t)k] =
                model_find_proc(m, year - VIEW_DEPTH + 1 + k, m->procs[p].kind, m->procs[p].subject,
                                m->procs[p].grade);
    v->muni = msk_calloc(m->nprocs ? m->nprocs : 1, sizeof *v->muni);
    for (size_t p = 0; p < m->nprocs; p++)
        muni_cell(v, (int32_t)p, &v->muni[p]);
    vi_protect_year(v);
    vi_procs_prepare(v);
    vi_gia_prepare(v);
    v->groups = msk_calloc(1, sizeof *v->groups);
    peers_build(m, year, v->groups);
    v->refs = msk_calloc(m->nschools ? m->nschools : 1, sizeof *v->refs);
    for (size_t i = 0; i < m->nschools; i++)
        v->refs[i] = vi_school_ref(v, (int32_t)i);
    *out = v;
    return 0;
fail:
    view_year_free(v);
    return -1;
}

void view_year_free(view_year *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->nfindings; i++) {
        json_decref(v->findings[i].kept);
        if (v->ranks) {
            json_decref(v->ranks[i].rank);
            json_decref(v->ranks[i].points);
        }
    }
    free(v->ranks);
    free(v->ev_text);
    pthread_mutex_destroy(&v->rank_mu);
    pthread_mutex_destroy(&v->miss_mu);
    free(v->miss_start);
    free(v->miss);
    free(v->findings);
    free(v->by_school);
    free(v->school_start);
    free(v->muni);
    free(v->pub_hidden);
    for (size_t p = 0; v->hist_n && p < v->m.nprocs; p++) {
        free(v->hist_muni[p]);
        free(v->hist_school[p]);
    }
    free(v->family);
    free(v->by_code);
    for (size_t i = 0; v->refs && i < v->m.nschools; i++)
        json_decref(v->refs[i]);
    free(v->refs);
    free(v->hist_n);
    free(v->hist_muni);
    free(v->hist_school);
    free(v->hist_test);
    free(v->names);
    free(v->labels);
    free(v->proc_start);
    free(v->proc_rows);
    vi_bench_free(v);
    if (v->part)
        vi_procs_free(v);
    if (v->admit)
        vi_gia_free(v);
    if (v->groups)
        peers_free(v->groups);
    free(v->groups);
    model_release(&v->m);
    free(v);
}

int64_t view_year_muni(const view_year *v)
{
    return v->scope_muni;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int view_scope_load(store *s, int64_t muni, view_scope *out, msk_err *err)
{
    memset(out, 0, sizeof *out);
    out->muni = muni;
    if (store_municipality_school_codes(s, muni, &out->codes, &out->n, err))
        return -1;
    if (out->n)
        qsort(out->codes, out->n, sizeof *out->codes, cmp_str);
    return 0;
}

void view_scope_release(view_scope *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; i < sc->n; i++)
        free(sc->codes[i]);
    free(sc->codes);
    memset(sc, 0, sizeof *sc);
}

int view_ctx_knows(const view_ctx *c, const char *school)
{
    if (!c->scope)
        return 1;
    return school &&
           bsearch(&school, c->scope->codes, c->scope->n, sizeof *c->scope->codes, cmp_str) != NULL;
}

int vi_in_scope(const view_year *v, const char *code)
{
    return !v || !v->scope_muni || vi_find_school(v, code) >= 0;
}

int view_year_has_school(const view_year *v, const char *code)
{
    return code && vi_find_school(v, code) >= 0;
}

int view_year_of(const view_year *v)
{
    return v->year;
}

int64_t view_year_stamp(const view_year *v)
{
    return v->stamp;
}

int view_years(store *s, json_t **out, msk_err *err)
{
    int years[64], n;
    *out = NULL;
    if (store_read_years(s, years, 64, &n, err))
        return -1;
    *out = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(*out, json_integer(years[i]));
    return 0;
}

/* ---- helpers ---------------------------------------------------------------------------- */

const char *vi_name(const view_year *v, const char *table, const char *code)
{
    for (size_t i = 0; i < v->nnames; i++)
        if (strcmp(v->names[i].table, table) == 0 && strcmp(v->names[i].code, code) == 0)
            return v->names[i].name;
    return code;
}

const char *vi_unit(const view_year *v, const char *code)
{
    for (size_t i = 0; i < v->nnames; i++)
        if (strcmp(v->names[i].table, "element") == 0 && strcmp(v->names[i].code, code) == 0)
            return v->names[i].unit;
    return "";
}

const char *vi_type(const view_year *v, const char *code)
{
    for (size_t i = 0; i < v->nnames; i++)
        if (strcmp(v->names[i].table, "element") == 0 && strcmp(v->names[i].code, code) == 0)
            return v->names[i].type;
    return "";
}

static const struct {
    const char *code, *name;
} TYPE_NAME[] = {
    {"gymnasium", "гимназия"}, {"lyceum", "лицей"},   {"sosh", "СОШ"},
    {"oosh", "ООШ"},           {"nosh", "НОШ"},       {"special", "специальная (коррекционная)"},
    {"urban", "городская"},    {"rural", "сельская"},
};

static const char *type_name(const char *code)
{
    for (size_t i = 0; i < sizeof TYPE_NAME / sizeof TYPE_NAME[0]; i++)
        if (strcmp(TYPE_NAME[i].code, code) == 0)
            return TYPE_NAME[i].name;
    return code;
}

static int by_code_cmp(const void *a, const void *b)
{
    const vi_code *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

static void index_codes(view_year *v)
{
    size_t n = v->m.nschools;
    v->by_code = msk_reallocarray(NULL, n ? n : 1, sizeof *v->by_code);
    for (size_t i = 0; i < n; i++)
        v->by_code[i] = (vi_code){v->m.schools[i].code, (int32_t)i};
    qsort(v->by_code, n, sizeof *v->by_code, by_code_cmp);
}

int32_t vi_find_school(const view_year *v, const char *code)
{
    size_t lo = 0, hi = v->m.nschools; /* the first entry with a code not below code */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(v->by_code[mid].code, code) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < v->m.nschools && !strcmp(v->by_code[lo].code, code) ? v->by_code[lo].i : -1;
}

json_t *vi_school_ref(const view_year *v, int32_t i)
{
    const model_school *sc = &v->m.schools[i];
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "code", sc->code, "name", sc->name, "type",
                     sc->type, "type_name", type_name(sc->type), "locality", sc->locality,
                     "locality_name", type_name(sc->locality));
}

json_t *vi_school_ref_kept(const view_year *v, int32_t i)
{
    return json_incref(v->refs[i]);
}

void vi_proc_key(const model_proc *pr, char *out, size_t outsz)
{
    snprintf(out, outsz, "%s-%s-%d", pr->kind, pr->subject, pr->grade);
}

int32_t vi_find_proc_key(const view_year *v, int year, const char *key)
{
    char k[64];
    for (size_t p = 0; p < v->m.nprocs; p++) {
        if (v->m.procs[p].year != year)
            continue;
        vi_proc_key(&v->m.procs[p], k, sizeof k);
        if (strcmp(k, key) == 0)
            return (int32_t)p;
    }
    return -1;
}

json_t *vi_proc_ref(const view_year *v, int32_t p)
{
    const model_proc *pr = &v->m.procs[p];
    char title[256], key[64], subj[128];
    const char *sn = vi_name(v, "subject", pr->subject);
    /* «ВПР, математика, 5 класс»: the subject in lower case after the kind */
    snprintf(subj, sizeof subj, "%s", sn);
    if ((unsigned char)subj[0] == 0xD0 && (unsigned char)subj[1] >= 0x90 &&
        (unsigned char)subj[1] <= 0xAF) {
        unsigned c = (unsigned char)subj[1] + 0x20; /* А..П → а..п, Р..Я → р..я */
        if (c <= 0xBF)
            subj[1] = (char)c;
        else {
            subj[0] = (char)0xD1;
            subj[1] = (char)(c - 0x40);
        }
    }
    if (strcmp(vi_name(v, "kind", pr->kind), sn) == 0) /* «Итоговое сочинение, 11 класс» */
        snprintf(title, sizeof title, "%s, %d класс", sn, pr->grade);
    else
        snprintf(title, sizeof title, "%s, %s, %d класс", vi_name(v, "kind", pr->kind), subj,
                 pr->grade);
    vi_proc_key(pr, key, sizeof key);
    return json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:s}", "kind", pr->kind, "kind_name",
                     vi_name(v, "kind", pr->kind), "subject", pr->subject, "subject_name", sn,
                     "grade", pr->grade, "year", pr->year, "title", title, "key", key);
}

static json_t *num_or_null(double x)
{
    return isnan(x) || isinf(x) ? json_null() : json_real(x);
}

json_t *vi_marks(const model_proc *pr, const model_cell *c)
{
    json_t *o = json_object();
    int n = c ? c->participants : 0;
    int marks = !isnan(pr->cut3) || (c && (c->marks[2] + c->marks[3] + c->marks[4] + c->marks[5]));
    json_object_set_new(o, "participants", json_integer(n));
    for (int k = 2; k <= 5; k++) {
        char key[8];
        snprintf(key, sizeof key, "m%d", k);
        json_object_set_new(o, key, marks && c ? json_integer(c->marks[k]) : json_null());
        snprintf(key, sizeof key, "share%d", k);
        json_object_set_new(o, key, marks && n ? json_real((double)c->marks[k] / n) : json_null());
    }
    json_object_set_new(o, "quality",
                        marks && n ? json_real((double)(c->marks[4] + c->marks[5]) / n)
                                   : json_null());
    json_object_set_new(o, "success", n ? json_real(1.0 - (double)c->failed / n) : json_null());
    json_object_set_new(o, "failed", c ? json_integer(c->failed) : json_null());
    json_object_set_new(o, "mean_primary", num_or_null(c ? c->mean_primary : NAN));
    json_object_set_new(o, "mean_test", num_or_null(c ? c->mean_test : NAN));
    json_object_set_new(o, "below_min",
                        c && pr->min_test >= 0 ? json_integer(c->below_min) : json_null());
    return o;
}

void vi_cells_of(const view_year *v, int32_t p, size_t *from, size_t *to)
{
    /* cells are sorted by (proc, school): binary search for the first cell of p */
    size_t lo = 0, hi = v->m.ncells;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v->m.cells[mid].proc < p)
            lo = mid + 1;
        else
            hi = mid;
    }
    *from = lo;
    while (lo < v->m.ncells && v->m.cells[lo].proc == p)
        lo++;
    *to = lo;
}

static void muni_cell(const view_year *v, int32_t p, model_cell *out)
{
    size_t from, to;
    double wp = 0, sp = 0, wt = 0, st = 0;
    memset(out, 0, sizeof *out);
    out->proc = p;
    out->school = -1;
    vi_cells_of(v, p, &from, &to);
    for (size_t i = from; i < to; i++) {
        const model_cell *c = &v->m.cells[i];
        out->participants += c->participants;
        for (int k = 2; k <= 5; k++)
            out->marks[k] += c->marks[k];
        out->below_min += c->below_min;
        out->failed += c->failed;
        if (!isnan(c->mean_primary)) {
            wp += c->participants;
            sp += c->mean_primary * c->participants;
        }
        if (!isnan(c->mean_test)) {
            wt += c->participants;
            st += c->mean_test * c->participants;
        }
    }
    out->mean_primary = wp > 0 ? sp / wp : NAN;
    out->mean_test = wt > 0 ? st / wt : NAN;
}

void vi_muni_cell(const view_year *v, int32_t p, model_cell *out)
{
    *out = v->muni[p];
}

const view_finding *vi_finding(const view_year *v, int year, int32_t i, const char *method)
{
    if (i < -1 || i >= (int32_t)v->m.nschools)
        return NULL;
    for (size_t k = v->school_start[i + 1]; k < v->school_start[i + 2]; k++) {
        const view_finding *f = &v->findings[v->by_school[k]];
        if (f->year == year && f->school == i && (!method || strcmp(f->method, method) == 0))
            return f;
    }
    return NULL;
}

json_t *vi_ev(const view_year *v, const view_finding *f)
{
    /* the rating's 2,000 findings are two thirds of the text and are read in bulk only through
     * their digest (vi_rank_of): parsed per page, never kept; the lists' findings (hundreds)
     * are kept once parsed */
    if (f->school < 0 || strcmp(f->method, "rating") != 0)
        return json_incref((json_t *)vi_ev_kept(v, f));
    json_error_t je;
    json_t *ev = v->ev_text ? json_loadb(v->ev_text + f->off, f->len, 0, &je) : NULL;
    return ev ? ev : json_object();
}

const json_t *vi_ev_kept(const view_year *v, const view_finding *f)
{
    view_finding *mf = (view_finding *)f; /* kept: the one member set after the load */
    json_t *kept = __atomic_load_n(&mf->kept, __ATOMIC_ACQUIRE);
    if (kept)
        return kept;
    json_error_t je;
    json_t *ev = v->ev_text ? json_loadb(v->ev_text + f->off, f->len, 0, &je) : NULL;
    json_t *none = NULL;
    if (!ev)
        ev = json_object();
    /* two pages may parse it at once: the first one's stays, the other's goes */
    if (!__atomic_compare_exchange_n(&mf->kept, &none, ev, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        json_decref(ev);
        return none;
    }
    return ev;
}

const vi_rank *vi_rank_of(const view_year *v, const view_finding *f)
{
    view_year *mv = (view_year *)v; /* the digest: filled once, then read only */
    if (!__atomic_load_n(&mv->ranks_ready, __ATOMIC_ACQUIRE)) {
        pthread_mutex_lock(&mv->rank_mu);
        if (!mv->ranks_ready) {
            vi_rank *r = msk_calloc(v->nfindings ? v->nfindings : 1, sizeof *r);
            for (size_t k = 0; k < v->nfindings; k++) {
                if (strcmp(v->findings[k].method, "rating") != 0)
                    continue;
                json_t *ev = vi_ev(v, &v->findings[k]);
                json_t *rank = json_object_get(ev, "rank"), *points = json_object_get(ev, "points");
                r[k].rank = rank ? json_incref(rank) : NULL;
                r[k].points = points ? json_incref(points) : NULL;
                json_decref(vi_rating_criteria(ev, &r[k].small));
                json_decref(ev);
            }
            mv->ranks = r;
            __atomic_store_n(&mv->ranks_ready, 1, __ATOMIC_RELEASE);
        }
        pthread_mutex_unlock(&mv->rank_mu);
    }
    return &v->ranks[f - v->findings];
}

int vi_has_finding(const view_year *v, int year, int32_t i, const char *method)
{
    return vi_finding(v, year, i, method) != NULL;
}

static void collect_texts(const json_t *j, json_t *out, int depth)
{
    if (depth > 6)
        return;
    if (json_is_object(j)) {
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)j, k, x)
        {
            /* the reliability of a finding is a verdict on it («надёжный»), not a reason:
             * pages show it on its own (view_school, the list's "reliability"); so is the
             * objectivity coefficient of the re-check (view_school, the list's "coefficient") */
            if (strcmp(k, "text") == 0 && json_is_string(x))
                json_array_append(out, x);
            else if (strcmp(k, "details") != 0 && strcmp(k, "reliability") != 0 &&
                     strcmp(k, "coefficient") != 0)
                collect_texts(x, out, depth + 1);
        }
    } else if (json_is_array(j)) {
        size_t i;
        json_t *x;
        json_array_foreach((json_t *)j, i, x) collect_texts(x, out, depth + 1);
    }
}

json_t *vi_verdict_label(const char *method, const char *verdict)
{
    vocab_domain d = !strcmp(method, "risk")          ? VOCAB_RISK_FACTOR
                     : !strcmp(method, "objectivity") ? VOCAB_OBJ_SIGN
                     : !strcmp(method, "shnor")       ? VOCAB_SHNOR_RULE
                                                      : VOCAB_COUNT;
    if (d == VOCAB_COUNT || !verdict)
        return json_string(verdict ? verdict : "");
    msk_buf out;
    msk_buf_init(&out, 0);
    for (const char *p = verdict; *p;) {
        size_t n = strcspn(p, ",");
        char code[64];
        snprintf(code, sizeof code, "%.*s", (int)n, p);
        if (code[0])
            msk_buf_printf(&out, "%s%s", out.len ? ", " : "",
                           out.len ? vocab_lower(d, code) : vocab_label(d, code));
        p += n + (p[n] == ',');
    }
    json_t *j = json_string(out.data ? out.data : "");
    msk_buf_release(&out);
    return j;
}

json_t *vi_texts(const json_t *ev)
{
    json_t *out = json_array();
    collect_texts(ev, out, 0);
    return out;
}

json_t *vi_badges(const view_year *v, int year, int32_t i)
{
    static const char *const LISTS[] = {"shnor", "risk", "objectivity"};
    json_t *b = json_array();
    for (size_t k = 0; k < 3; k++)
        if (vi_has_finding(v, year, i, LISTS[k]))
            json_array_append_new(b, json_string(LISTS[k]));
    return b;
}

int vi_may_see(const view_ctx *c, const view_year *v, int32_t i)
{
    if (c->role >= VIEW_ANALYST)
        return 1;
    if (c->role == VIEW_SCHOOL && c->school && i >= 0)
        return strcmp(v->m.schools[i].code, c->school) == 0;
    return 0;
}

/* ---- suppression: the one place the small-cell rule lives (UI.md) ----
 *
 * Primary: a group of fewer than VIEW_MIN_CELL pupils shows no number (view_suppress).
 * Complementary: a published total minus the published parts gives back what is hidden, so
 * in every group whose total the viewer sees (a procedure's schools against the municipality,
 * a school's journal and task counts against the municipal ones, the histogram bars of one mark
 * against the count of that mark) the hidden parts are either none or at least two holding at
 * least VIEW_MIN_CELL pupils together: the smallest shown parts are hidden too until that holds
 * (vi_protect). Hidden parts are not told apart (both are "suppressed"), so the residual of
 * two cannot be split. What is known to the viewer anyway (an operator's own school) is left
 * out of the group. */

void vi_protect(const int *size, unsigned char *hide, size_t n)
{
    int count = 0, small = 0;
    long sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (size[i] < 0) { /* known to the viewer: never hidden, not part of the residual */
            hide[i] = 0;
            continue;
        }
        if (size[i] > 0 && size[i] < VIEW_MIN_CELL)
            hide[i] = 1;
        if (hide[i]) {
            count++, sum += size[i];
            small |= size[i] > 0;
        }
    }
    while (small && (count < 2 || sum < VIEW_MIN_CELL)) {
        size_t best = n, zero = n;
        for (size_t i = 0; i < n; i++) {
            if (hide[i] || size[i] < 0)
                continue;
            if (size[i] > 0 && (best == n || size[i] < size[best]))
                best = i;
            if (size[i] == 0 && zero == n)
                zero = i;
        }
        /* a shown zero pins the hidden one down: hide one as the last resort */
        if (best == n && count < 2)
            best = zero;
        if (best == n)
            break; /* every part hidden: the residual is the published total itself */
        hide[best] = 1;
        count++, sum += size[best];
    }
}

/* The cells of procedure p hidden from a viewer who knows the cell of school `own` (-1: none). */
static void hidden_of(const view_year *v, int32_t p, int32_t own, unsigned char *out)
{
    size_t from, to;
    vi_cells_of(v, p, &from, &to);
    if (to == from)
        return;
    int *size = msk_reallocarray(NULL, to - from, sizeof *size);
    for (size_t k = from; k < to; k++) {
        const model_cell *c = &v->m.cells[k];
        size[k - from] = c->school == own ? -1 : c->participants;
        out[k - from] = 0;
    }
    vi_protect(size, out, to - from);
    free(size);
}

void vi_protect_year(view_year *v)
{
    const model *m = &v->m;
    v->pub_hidden = msk_calloc(m->ncells ? m->ncells : 1, sizeof *v->pub_hidden);
    for (size_t p = 0; p < m->nprocs; p++) {
        size_t from, to;
        vi_cells_of(v, (int32_t)p, &from, &to);
        hidden_of(v, (int32_t)p, -1, v->pub_hidden + from);
    }
}

void vi_hidden_cells(const view_year *v, const view_ctx *c, int32_t p, unsigned char *out)
{
    size_t from, to;
    vi_cells_of(v, p, &from, &to);
    if (c->role >= VIEW_ANALYST)
        memset(out, 0, to - from);
    else if (c->role == VIEW_PUBLIC)
        memcpy(out, v->pub_hidden + from, to - from);
    else
        hidden_of(v, p, c->school ? vi_find_school(v, c->school) : -1, out);
}

int vi_cell_hidden(const view_year *v, const view_ctx *c, size_t k)
{
    const model_cell *cell = &v->m.cells[k];
    if (vi_may_see(c, v, cell->school))
        return 0;
    if (c->role == VIEW_PUBLIC)
        return v->pub_hidden[k];
    size_t from, to;
    vi_cells_of(v, cell->proc, &from, &to);
    unsigned char *h = msk_calloc(to - from, 1);
    vi_hidden_cells(v, c, cell->proc, h);
    int hidden = h[k - from];
    free(h);
    return hidden;
}

void vi_hide(json_t *obj)
{
    if (json_is_object(obj))
        json_object_set_new(obj, "suppressed", json_true());
}

/* A rating criterion counts a group (num of den pupils); one from fewer than VIEW_MIN_CELL
 * pupils is hidden, and with it the school's total, which minus the other criteria gives it
 * back. The rank stays: it is what the act publishes, and an order bounds, it does not give. */
json_t *vi_rating_criteria(const json_t *ev, int *small)
{
    json_t *crit = json_deep_copy(json_object_get(ev, "criteria"));
    const char *k;
    json_t *e;
    *small = 0;
    if (!json_is_object(crit))
        crit = json_object();
    json_object_foreach((json_t *)json_object_get(ev, "evidence"), k, e)
    {
        json_t *den = json_object_get(e, "den");
        const char *cr = json_string_value(json_object_get(e, "criterion"));
        if (cr && json_is_integer(den) && json_integer_value(den) > 0 &&
            json_integer_value(den) < VIEW_MIN_CELL) {
            json_object_set_new(crit, cr, json_null());
            *small = 1;
        }
    }
    return crit;
}

void view_suppress(json_t *doc)
{
    if (json_is_object(doc)) {
        json_t *n = json_object_get(doc, "participants");
        if (!n)
            n = json_object_get(doc, "n");
        if ((json_is_integer(n) && json_integer_value(n) > 0 &&
             json_integer_value(n) < VIEW_MIN_CELL) ||
            json_is_true(json_object_get(doc, "suppressed"))) {
            /* every number of the cell goes, its size included: «менее 5 участников» says
             * all the public needs, so not even the count of a group of 3 leaves msoko */
            const char *k;
            json_t *x;
            json_object_foreach(doc, k, x) if (json_is_number(x))
                json_object_set_new_nocheck(doc, k, json_null());
            json_object_set_new(doc, "suppressed", json_true());
        }
        const char *k;
        json_t *x;
        json_object_foreach(doc, k, x) view_suppress(x);
    } else if (json_is_array(doc)) {
        size_t i;
        json_t *x;
        json_array_foreach(doc, i, x) view_suppress(x);
    }
}
