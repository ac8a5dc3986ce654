/*
 * Benchmarks and the scale in force on the school and procedure pages (view.h): the school,
 * the municipality, the region and the RF side by side (seed 001: «отклонение … от средних
 * значений по Российской Федерации и по Краснодарскому краю»). The region and RF rows come
 * from a ФИС ОКО statistics file (store/benchmark.h); the municipality is msoko's own total
 * of the schools' results, or the file's row when msoko has no results of the procedure.
 */
#include "base/mem.h"
#include "base/vocab.h"
#include "store/benchmark.h"
#include "view/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vi_bench {
    store_bench_row *rows; /* the year's benchmarks */
    size_t nrows;
    store_extlist_row *lists; /* the year's external lists */
    size_t nlists;
    int *scale_year; /* per model procedure: the year of the scale in force (0 = default) */
    char (*source)[160];
};

int vi_bench_load(store *s, view_year *v, msk_err *err)
{
    vi_bench *b = msk_calloc(1, sizeof *b);
    size_t np = v->m.nprocs ? v->m.nprocs : 1;
    v->bench = b;
    b->scale_year = msk_calloc(np, sizeof *b->scale_year);
    b->source = msk_calloc(np, sizeof *b->source);
    for (size_t p = 0; p < v->m.nprocs; p++) {
        const model_proc *pr = &v->m.procs[p];
        b->scale_year[p] = -1;
        store_scale_source(s, pr->year, pr->kind, pr->subject, pr->grade, &b->scale_year[p],
                           b->source[p], sizeof b->source[p]);
    }
    if (store_bench_year(s, v->year, &b->rows, &b->nrows, err) ||
        store_extlist_year(s, v->year, &b->lists, &b->nlists, err))
        return -1;
    return 0;
}

void vi_bench_free(view_year *v)
{
    vi_bench *b = v->bench;
    if (!b)
        return;
    free(b->rows);
    free(b->lists);
    free(b->scale_year);
    free(b->source);
    free(b);
    v->bench = NULL;
}

const store_extlist_row *vi_extlists(const view_year *v, size_t *n)
{
    *n = v->bench ? v->bench->nlists : 0;
    return v->bench ? v->bench->lists : NULL;
}

/* The stored benchmark of procedure p at level, or NULL. */
static const store_bench_row *bench_of(const view_year *v, int32_t p, const char *level)
{
    const model_proc *pr = &v->m.procs[p];
    const vi_bench *b = v->bench;
    if (!b || pr->year != v->year)
        return NULL;
    for (size_t i = 0; i < b->nrows; i++) {
        const store_bench_row *r = &b->rows[i];
        if (r->grade == pr->grade && strcmp(r->kind, pr->kind) == 0 &&
            strcmp(r->subject, pr->subject) == 0 && strcmp(r->level, level) == 0)
            return r;
    }
    return NULL;
}

/* A benchmark row as a model cell, so its marks object is the one every page shows. */
static void bench_cell(const store_bench_row *r, model_cell *c)
{
    memset(c, 0, sizeof *c);
    c->participants = r->participants;
    int k[4] = {r->mark2, r->mark3, r->mark4, r->mark5};
    for (int i = 0; i < 4; i++)
        c->marks[i + 2] = k[i] == STORE_NONE ? 0 : k[i];
    c->below_min = r->below_min != STORE_NONE ? r->below_min : c->marks[2];
    c->failed = r->below_min != STORE_NONE && r->mark2 == STORE_NONE ? r->below_min : c->marks[2];
    c->mean_primary = NAN;
    c->mean_test = NAN;
}

static json_t *level_json(const model_proc *pr, const char *level, const char *name,
                          const model_cell *c, const char *source)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:s}", "level", level, "level_name",
                     vocab_label(VOCAB_LEVEL, level), "level_lower",
                     /* a proper name keeps its capital */
                     strcmp(level, "rf") == 0 ? vocab_label(VOCAB_LEVEL, level)
                                              : vocab_lower(VOCAB_LEVEL, level),
                     "name", name, "marks", vi_marks(pr, c), "source", source);
}

/* The levels above the school: municipality (ours, else the file's), region, RF. */
static json_t *levels_above(const view_year *v, int32_t p)
{
    const model_proc *pr = &v->m.procs[p];
    json_t *a = json_array();
    model_cell mc;
    vi_muni_cell(v, p, &mc);
    const store_bench_row *r = bench_of(v, p, "municipality");
    if (mc.participants)
        json_array_append_new(a, level_json(pr, "municipality", "", &mc, "results"));
    else if (r) {
        bench_cell(r, &mc);
        json_array_append_new(a, level_json(pr, "municipality", r->name, &mc, "file"));
    }
    static const char *const UP[2] = {"region", "rf"};
    for (int k = 0; k < 2; k++) {
        if (!(r = bench_of(v, p, UP[k])))
            continue;
        bench_cell(r, &mc);
        json_array_append_new(a, level_json(pr, UP[k], r->name, &mc, "file"));
    }
    return a;
}

void vi_bench_school(const view_year *v, int32_t p, json_t *entry)
{
    json_t *above = levels_above(v, p);
    static const char *const KEYS[2] = {"region", "rf"};
    for (int k = 0; k < 2; k++) {
        json_t *marks = NULL;
        for (size_t i = 0; i < json_array_size(above); i++) {
            json_t *l = json_array_get(above, i);
            if (strcmp(json_string_value(json_object_get(l, "level")), KEYS[k]) == 0)
                marks = json_object_get(l, "marks");
        }
        json_object_set(entry, KEYS[k], marks ? marks : json_null());
    }
    json_object_set_new(entry, "nlevels", json_integer((json_int_t)json_array_size(above) + 1));
    json_object_set_new(entry, "levels", above);
}

void vi_bench_proc(const view_year *v, int32_t p, json_t *page)
{
    json_t *scale = json_object_get(page, "scale");
    const vi_bench *b = v->bench;
    if (scale && b) {
        json_object_set_new(scale, "year",
                            b->scale_year[p] >= 0 ? json_integer(b->scale_year[p]) : json_null());
        json_object_set_new(scale, "source",
                            json_string(b->scale_year[p] >= 0 ? b->source[p] : ""));
        /* a scale loaded from an example file says so to people (docs/import.md) */
        json_object_set_new(scale, "example",
                            json_boolean(b->scale_year[p] > 0 && strstr(b->source[p], "Пример")));
    }
    json_object_set_new(page, "levels", levels_above(v, p));
}

int view_benchmarks(const view_year *v, const view_ctx *c, json_t **out, msk_err *err)
{
    (void)c;
    (void)err;
    json_t *procs = json_array();
    for (size_t p = 0; p < v->m.nprocs; p++) {
        if (v->m.procs[p].year != v->year ||
            (!bench_of(v, (int32_t)p, "region") && !bench_of(v, (int32_t)p, "rf")))
            continue;
        json_array_append_new(procs, json_pack("{s:o, s:o}", "proc", vi_proc_ref(v, (int32_t)p),
                                               "levels", levels_above(v, (int32_t)p)));
    }
    *out = json_pack("{s:i, s:o}", "year", v->year, "procedures", procs);
    return 0;
}
