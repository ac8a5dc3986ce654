/*
 * Reconciliation of msoko's lists with the lists others formed (view.h): ФИОКО's ШНОР list
 * against msoko's ШНОР (seed 002 §2.1: «перечень ШНОР, сформированный ФИОКО»), the federal and
 * regional lists of schools with signs of non-objective results against msoko's objectivity
 * list (seed 001: «хотя бы единожды вошедшие в список»). For each school: in both, only ours,
 * or only theirs, with what msoko has on it — our finding's sentences, and the school's results
 * of the year beside the municipality's, so a difference can be looked into.
 */
#include "base/mem.h"
#include "base/vocab.h"
#include "store/benchmark.h"
#include "view/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each external list and the msoko method it is compared with. */
static const struct {
    const char *list, *method;
} PAIRS[] = {
    {"shnor_fioko", "shnor"},
    {"nonobj_federal", "objectivity"},
    {"nonobj_regional", "objectivity"},
};

/* The school's results of the year beside the municipality's: [{"proc", "school", "municipality"}]
 * with the marks objects of every page (raw shares; the template formats them). */
static json_t *results_of(const view_year *v, int32_t i)
{
    const model *m = &v->m;
    json_t *a = json_array();
    for (size_t p = 0; p < m->nprocs; p++) {
        if (m->procs[p].year != v->year)
            continue;
        const model_cell *sc = model_cell_of(m, (int32_t)p, i);
        if (!sc || !sc->participants)
            continue;
        model_cell mc;
        vi_muni_cell(v, (int32_t)p, &mc);
        json_array_append_new(a, json_pack("{s:o, s:o, s:o}", "proc", vi_proc_ref(v, (int32_t)p),
                                           "school", vi_marks(&m->procs[p], sc), "municipality",
                                           vi_marks(&m->procs[p], &mc)));
    }
    return a;
}

static json_t *item(const view_year *v, int32_t i, const char *method, const char *reason)
{
    const view_finding *f = vi_finding(v, v->year, i, method);
    json_t *ev = f ? vi_ev(v, f) : NULL;
    json_t *it =
        json_pack("{s:o, s:s, s:o, s:o, s:o, s:o, s:o}", "school", vi_school_ref(v, i), "reason",
                  reason ? reason : "", "verdict", f ? json_string(f->verdict) : json_null(),
                  "verdict_label", f ? vi_verdict_label(method, f->verdict) : json_null(), "text",
                  f ? vi_texts(ev) : json_array(), "badges", vi_badges(v, v->year, i), "results",
                  results_of(v, i));
    json_decref(ev);
    return it;
}

int view_reconcile(const view_year *v, const view_ctx *c, json_t **out, msk_err *err)
{
    const model *m = &v->m;
    *out = NULL;
    if (c->role < VIEW_ANALYST) {
        msk_error(err, "сверка списков доступна аналитику и администратору");
        return VIEW_FORBIDDEN;
    }
    size_t ne;
    const store_extlist_row *ext = vi_extlists(v, &ne);
    int *theirs = msk_calloc(m->nschools ? m->nschools : 1, sizeof *theirs);
    json_t *lists = json_array();
    for (size_t k = 0; k < sizeof PAIRS / sizeof PAIRS[0]; k++) {
        memset(theirs, 0, (m->nschools ? m->nschools : 1) * sizeof *theirs);
        size_t loaded = 0, unknown = 0;
        for (size_t e = 0; e < ne; e++) {
            if (strcmp(ext[e].list, PAIRS[k].list) != 0)
                continue;
            loaded++;
            int32_t i = vi_find_school(v, ext[e].school);
            if (i >= 0)
                theirs[i] = (int)e + 1;
            else
                unknown++;
        }
        json_t *both = json_array(), *ours = json_array(), *them = json_array();
        for (size_t i = 0; i < m->nschools; i++) {
            int mine = vi_has_finding(v, v->year, (int32_t)i, PAIRS[k].method);
            const char *reason = theirs[i] ? ext[theirs[i] - 1].reason : NULL;
            if (mine && theirs[i])
                json_array_append_new(both, item(v, (int32_t)i, PAIRS[k].method, reason));
            else if (mine && loaded)
                json_array_append_new(ours, item(v, (int32_t)i, PAIRS[k].method, NULL));
            else if (theirs[i])
                json_array_append_new(them, item(v, (int32_t)i, PAIRS[k].method, reason));
        }
        json_array_append_new(
            lists,
            json_pack("{s:s, s:s, s:s, s:s, s:b, s:I, s:I, s:I, s:I, s:o, s:o, s:o}", "list",
                      PAIRS[k].list, "name", vocab_label(VOCAB_EXT_LIST, PAIRS[k].list), "method",
                      PAIRS[k].method, "method_name", vocab_label(VOCAB_METHOD, PAIRS[k].method),
                      "loaded", loaded > 0, "count", (json_int_t)loaded, "n_both",
                      (json_int_t)json_array_size(both), "n_only_ours",
                      (json_int_t)json_array_size(ours), "n_only_theirs",
                      (json_int_t)json_array_size(them), "both", both, "only_ours", ours,
                      "only_theirs", them));
    }
    free(theirs);
    int analysed = 0;
    for (size_t k = 0; k < v->nfindings && !analysed; k++)
        analysed = v->findings[k].year == v->year;
    *out = json_pack("{s:i, s:s, s:b, s:o}", "year", v->year, "title", "Сверка списков", "analysis",
                     analysed, "lists", lists);
    return 0;
}
