/*
 * The network, the olympiads and the graduates of a year (view_outcomes): what the annual
 * доклад о состоянии системы образования (seed 001 п. 1.20) reports beside the procedures —
 * the schools by type and locality, the ВсОШ stages (seed 001 п. 4.1–4.9; seed 000 разд. VII
 * табл. 1 п. 6), and where the 9th and 11th graders went (seed 001 п. 5.1–5.5; seed 000 табл. 1
 * п. 4–5). Counted from the model of the year, as the rating counts them.
 */
#include "view/internal.h"

#include "base/mem.h"

#include <stdlib.h>

#include <string.h>

static const char *stage_name(const char *s)
{
    static const char *const names[][2] = {{"school", "школьный"},
                                           {"municipal", "муниципальный"},
                                           {"regional", "региональный"},
                                           {"final", "заключительный"}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(s, names[i][0]))
            return names[i][1];
    return s;
}

/* Destinations of graduates in their order on the page. */
static const char *const DEST[][2] = {{"grade10", "10 класс"},
                                      {"spo", "СПО"},
                                      {"vo", "вуз"},
                                      {"work", "работают"},
                                      {"none", "не учатся и не работают"},
                                      {"", "не указано"}};
enum { NDEST = sizeof DEST / sizeof *DEST };

/* Schools by a field (type or locality) with their Russian names, in first-seen order. */
static json_t *network_by(const view_year *v, int locality)
{
    json_t *out = json_array();
    for (size_t i = 0; i < v->m.nschools; i++) {
        json_t *ref = vi_school_ref(v, (int32_t)i);
        const char *code = json_string_value(json_object_get(ref, locality ? "locality" : "type"));
        size_t k;
        json_t *it, *found = NULL;
        json_array_foreach(out, k, it) if (!strcmp(json_string_value(json_object_get(it, "code")),
                                                   code)) found = it;
        if (found)
            json_object_set_new(
                found, "schools",
                json_integer(json_integer_value(json_object_get(found, "schools")) + 1));
        else
            json_array_append_new(
                out, json_pack("{s:s, s:O, s:i}", "code", code, "name",
                               json_object_get(ref, locality ? "locality_name" : "type_name"),
                               "schools", 1));
        json_decref(ref);
    }
    return out;
}

static json_t *olympiads(const view_year *v, const view_ctx *c)
{
    const model *m = &v->m;
    json_t *stages = json_array();
    int *win = msk_calloc(m->nschools + 1, sizeof *win),
        *prize = msk_calloc(m->nschools + 1, sizeof *prize);
    for (size_t i = 0; i < m->nolymp; i++) {
        const model_olympiad *o = &m->olymp[i];
        if (o->year != v->year)
            continue;
        json_t *st = NULL, *it;
        size_t k;
        json_array_foreach(
            stages, k, it) if (!strcmp(json_string_value(json_object_get(it, "stage")), o->stage))
            st = it;
        if (!st) {
            st =
                json_pack("{s:s, s:s, s:i, s:i, s:i}", "stage", o->stage, "stage_name",
                          stage_name(o->stage), "participants", 0, "winners", 0, "prizewinners", 0);
            json_array_append_new(stages, st);
        }
        const char *key = !strcmp(o->status, "winner")        ? "winners"
                          : !strcmp(o->status, "prizewinner") ? "prizewinners"
                                                              : NULL;
        json_object_set_new(
            st, "participants",
            json_integer(json_integer_value(json_object_get(st, "participants")) + 1));
        if (key)
            json_object_set_new(st, key,
                                json_integer(json_integer_value(json_object_get(st, key)) + 1));
        if (key && o->school >= 0 && (size_t)o->school < m->nschools)
            (key[0] == 'w' ? win : prize)[o->school]++;
    }
    json_t *schools = json_array();
    if (c->role >= VIEW_ANALYST) /* counts of a few pupils per school: not for the public */
        for (size_t i = 0; i < m->nschools; i++)
            if (win[i] || prize[i])
                json_array_append_new(schools, json_pack("{s:o, s:i, s:i}", "school",
                                                         vi_school_ref(v, (int32_t)i), "winners",
                                                         win[i], "prizewinners", prize[i]));
    free(win);
    free(prize);
    return json_pack("{s:o, s:o}", "stages", stages, "schools", schools);
}

static json_t *graduates(const view_year *v)
{
    const model *m = &v->m;
    json_t *out = json_array();
    static const int grades[] = {9, 11};
    for (size_t g = 0; g < 2; g++) {
        long n = 0, attestat = 0, medal = 0, dest[NDEST] = {0};
        for (size_t i = 0; i < m->ngrads; i++) {
            const model_graduate *r = &m->grads[i];
            if (r->year != v->year || r->grade != grades[g])
                continue;
            n++;
            attestat += r->attestat != 0;
            medal += r->medal != 0;
            size_t d = 0;
            while (d + 1 < NDEST && strcmp(DEST[d][0], r->destination))
                d++;
            dest[d]++;
        }
        json_t *ds = json_array();
        for (size_t d = 0; d < NDEST; d++)
            json_array_append_new(ds, json_pack("{s:s, s:s, s:I, s:f}", "code", DEST[d][0], "name",
                                                DEST[d][1], "n", (json_int_t)dest[d], "share",
                                                n ? (double)dest[d] / (double)n : 0.0));
        json_array_append_new(out,
                              json_pack("{s:i, s:I, s:I, s:I, s:o}", "grade", grades[g], "total",
                                        (json_int_t)n, "attestat", (json_int_t)attestat, "medal",
                                        (json_int_t)medal, "destinations", ds));
    }
    return out;
}

int view_outcomes(const view_year *v, const view_ctx *c, json_t **out, msk_err *err)
{
    (void)err;
    *out = json_pack("{s:i, s:{s:I, s:o, s:o}, s:o, s:o}", "year", v->year, "network", "schools",
                     (json_int_t)v->m.nschools, "by_type", network_by(v, 0), "by_locality",
                     network_by(v, 1), "olympiads", olympiads(v, c), "graduates", graduates(v));
    return 0;
}
