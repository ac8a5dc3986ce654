/*
 * Monitoring indicators of seed 002 §2.3.1 and §3.3.3, computed from the model's cells. Each
 * indicator is a share of *comparable* schools (those with participants in the procedures it
 * compares); the act's literal denominator (all ШНОР schools, all schools) is reported beside it
 * in "details" so the report can show either (docs/methods.md, "Indicators").
 */
#include "method/indicators.h"
#include "base/mem.h"
#include "method/shnor.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { IND_MAX = 16 };

typedef struct keys {
    shnor_proc_key k[IND_MAX];
    size_t n;
} keys;

typedef struct ind_cfg {
    keys dyn_math, dyn_rus, from_math, to_math, from_rus, to_rus, oge_math, oge_rus;
} ind_cfg;

static const char *fname(const meth_file *f)
{
    return f ? meth_name(f) : "(встроенная методика)";
}

/* dflt: the built-in procedures, NULL-terminated (at most IND_MAX). */
static int read_keys(const meth_file *f, const char *key, const char *const *dflt, keys *out,
                     msk_err *err)
{
    const char *items[IND_MAX + 1];
    size_t n;
    if (f && meth_get(f, "indicators", key)) {
        n = meth_list(f, "indicators", key, items, IND_MAX + 1);
        if (n == 0 || n > IND_MAX)
            return msk_error_at(err, fname(f), 0, 0, "[indicators] %s: нужно от 1 до %d процедур",
                                key, IND_MAX);
    } else {
        for (n = 0; dflt[n] && n < IND_MAX; n++)
            items[n] = dflt[n];
    }
    for (size_t i = 0; i < n; i++)
        if (shnor_parse_proc(items[i], &out->k[i]))
            return msk_error_at(err, fname(f), 0, 0,
                                "[indicators] %s: «%s» не понято — пишите ВИД:предмет:класс, "
                                "например OGE:math:9",
                                key, items[i]);
    out->n = n;
    return 0;
}

/* Defaults = the [indicators] section of methods/shnor.ini (seed 002 §2.3.1, §3.3.3). */
static int read_cfg(const meth_file *f, ind_cfg *c, msk_err *err)
{
    static const char *known[] = {"dynamics_math",  "dynamics_rus",    "cohort_from_math",
                                  "cohort_to_math", "cohort_from_rus", "cohort_to_rus",
                                  "no_fail_math",   "no_fail_rus"};
    if (meth_check_keys(f, "indicators", known, sizeof known / sizeof known[0], err))
        return -1;
    /* §2.3.1 p. 1–2 name «ГИА (ОГЭ, ЕГЭ)»: both pooled by default (issue 19 item 6) */
    static const char *const dyn_math[] = {"OGE:math:9", "EGE:math_base:11", "EGE:math_prof:11",
                                           NULL};
    static const char *const dyn_rus[] = {"OGE:rus:9", "EGE:rus:11", NULL};
    static const char *const vpr_m4[] = {"VPR:math:4", NULL};
    static const char *const vpr_m5[] = {"VPR:math:5", NULL};
    static const char *const vpr_r4[] = {"VPR:rus:4", NULL};
    static const char *const vpr_r5[] = {"VPR:rus:5", NULL};
    static const char *const oge_m[] = {"OGE:math:9", NULL};
    static const char *const oge_r[] = {"OGE:rus:9", NULL};
    return read_keys(f, "dynamics_math", dyn_math, &c->dyn_math, err) ||
                   read_keys(f, "dynamics_rus", dyn_rus, &c->dyn_rus, err) ||
                   read_keys(f, "cohort_from_math", vpr_m4, &c->from_math, err) ||
                   read_keys(f, "cohort_to_math", vpr_m5, &c->to_math, err) ||
                   read_keys(f, "cohort_from_rus", vpr_r4, &c->from_rus, err) ||
                   read_keys(f, "cohort_to_rus", vpr_r5, &c->to_rus, err) ||
                   read_keys(f, "no_fail_math", oge_m, &c->oge_math, err) ||
                   read_keys(f, "no_fail_rus", oge_r, &c->oge_rus, err)
               ? -1
               : 0;
}

/* Failed and participants of school s summed over the procedures of year that match k.
 * Returns 1 when there were participants. */
static int pooled(const model *m, int year, int32_t s, const keys *k, int *failed, int *part)
{
    *failed = *part = 0;
    for (size_t p = 0; p < m->nprocs; p++) {
        if (m->procs[p].year != year)
            continue;
        size_t i = 0;
        while (i < k->n && !shnor_proc_matches(&k->k[i], &m->procs[p]))
            i++;
        if (i == k->n)
            continue;
        const model_cell *c = model_cell_of(m, (int32_t)p, s);
        if (c && c->participants > 0) {
            *failed += c->failed;
            *part += c->participants;
        }
    }
    return *part > 0;
}

typedef struct tally {
    int num, den, total;
    json_t *schools;
} tally;

static void put(json_t *out, json_t *details, const char *name, tally *t, const char *what,
                const char *of)
{
    char text[600], pct[32];
    if (t->den > 0) {
        double v = (double)t->num / t->den;
        json_object_set_new(out, name, json_real(shnor_round4(v)));
        shnor_pct(v, pct, sizeof pct);
        snprintf(text, sizeof text, "%s: %d из %d %s (%s %%); всего %s — %d", what, t->num, t->den,
                 of, pct, of, t->total);
    } else {
        json_object_set_new(out, name, json_null());
        snprintf(text, sizeof text,
                 "%s: не вычисляется — нет школ с сопоставимыми данными "
                 "(всего %s — %d)",
                 what, of, t->total);
    }
    json_object_set_new(details, name,
                        json_pack("{s:i, s:i, s:i, s:o, s:s}", "numerator", t->num, "denominator",
                                  t->den, "schools_total", t->total, "schools", t->schools, "text",
                                  text));
    t->schools = NULL;
}

/* seed 002 §2.3.1 p. 1–2: the share failed (pooled over the listed ГИА procedures) fell
 * strictly from Y−1 to Y, among ШНОР schools with participants in both years. */
static void dynamics(const model *m, int year, const int32_t *shnor, size_t ns, const keys *k,
                     tally *t)
{
    t->total = (int)ns;
    for (size_t i = 0; i < ns; i++) {
        int f0, p0, f1, p1;
        if (!pooled(m, year - 1, shnor[i], k, &f0, &p0) || !pooled(m, year, shnor[i], k, &f1, &p1))
            continue;
        t->den++;
        /* f1/p1 < f0/p0 without rounding */
        if ((long long)f1 * p0 < (long long)f0 * p1) {
            t->num++;
            json_array_append_new(t->schools, json_string(m->schools[shnor[i]].code));
        }
    }
}

/* seed 002 §3.3.3 p. 1–2: share of "2" in grade 4 (Y−1) vs grade 5 (Y) of the same school. */
static void cohort(const model *m, int year, const keys *from, const keys *to, tally *t)
{
    t->total = (int)m->nschools;
    for (size_t s = 0; s < m->nschools; s++) {
        int f0, p0, f1, p1;
        if (!pooled(m, year - 1, (int32_t)s, from, &f0, &p0) ||
            !pooled(m, year, (int32_t)s, to, &f1, &p1))
            continue;
        t->den++;
        if ((long long)f1 * p0 < (long long)f0 * p1) {
            t->num++;
            json_array_append_new(t->schools, json_string(m->schools[s].code));
        }
    }
}

/* seed 002 §3.3.3 p. 3–4: no failed participant in the ОГЭ of year Y. */
static void no_fail(const model *m, int year, const keys *k, tally *t)
{
    t->total = (int)m->nschools;
    for (size_t s = 0; s < m->nschools; s++) {
        int f, p;
        if (!pooled(m, year, (int32_t)s, k, &f, &p))
            continue;
        t->den++;
        if (f == 0) {
            t->num++;
            json_array_append_new(t->schools, json_string(m->schools[s].code));
        }
    }
}

static int cmp_code(const void *a, const void *b, void *ctxp)
{
    const model *m = ctxp;
    return strcmp(m->schools[*(const int32_t *)a].code, m->schools[*(const int32_t *)b].code);
}

int indicators_run(const model *m, int year, const json_t *shnor_list, const meth_file *f,
                   json_t **out, msk_err *err)
{
    ind_cfg c;
    int rc = -1;
    int32_t *shnor = NULL;
    size_t ns = 0;
    json_t *o = NULL, *details = NULL;
    tally t[6];
    memset(t, 0, sizeof t);
    *out = NULL;
    if (read_cfg(f, &c, err))
        goto out;
    if (shnor_list && !json_is_array(shnor_list)) {
        msk_error(err, "список ШНОР должен быть массивом (результат shnor_run)");
        goto out;
    }
    size_t nl = shnor_list ? json_array_size(shnor_list) : 0;
    shnor = msk_malloc((nl + 1) * sizeof *shnor);
    o = json_object();
    details = json_object();
    if (!o || !details) {
        msk_error(err, "не хватает памяти");
        goto out;
    }
    for (size_t i = 0; i < nl; i++) {
        const char *code =
            json_string_value(json_object_get(json_array_get(shnor_list, i), "school"));
        int32_t s = code ? model_find_school(m, code) : -1;
        if (s < 0) {
            msk_error(err, "школа «%s» из списка ШНОР не найдена в данных",
                      code ? code : "(без кода)");
            goto out;
        }
        size_t j = 0;
        while (j < ns && shnor[j] != s)
            j++;
        if (j == ns)
            shnor[ns++] = s;
    }
    qsort_r(shnor, ns, sizeof *shnor, cmp_code, (void *)m);
    for (int i = 0; i < 6; i++)
        if (!(t[i].schools = json_array())) {
            msk_error(err, "не хватает памяти");
            goto out;
        }
    dynamics(m, year, shnor, ns, &c.dyn_math, &t[0]);
    dynamics(m, year, shnor, ns, &c.dyn_rus, &t[1]);
    cohort(m, year, &c.from_math, &c.to_math, &t[2]);
    cohort(m, year, &c.from_rus, &c.to_rus, &t[3]);
    no_fail(m, year, &c.oge_rus, &t[4]);
    no_fail(m, year, &c.oge_math, &t[5]);
    char w[6][400];
    const char *act = meth_act(f, "shnor", METH_ACT_SEED002);
    snprintf(w[0], sizeof w[0],
             "Школы ШНОР с положительной динамикой ГИА по математике "
             "(доля неудовлетворительных результатов снизилась с %d к %d году; %s, п. 2.3.1)",
             year - 1, year, act);
    snprintf(w[1], sizeof w[1],
             "Школы ШНОР с положительной динамикой ГИА по русскому языку "
             "(доля неудовлетворительных результатов снизилась с %d к %d году; %s, п. 2.3.1)",
             year - 1, year, act);
    snprintf(w[2], sizeof w[2],
             "Школы, где доля «2» на ВПР по математике снизилась от 4 класса "
             "(%d) к 5 классу (%d) (%s, п. 3.3.3)",
             year - 1, year, act);
    snprintf(w[3], sizeof w[3],
             "Школы, где доля «2» на ВПР по русскому языку снизилась от 4 "
             "класса (%d) к 5 классу (%d) (%s, п. 3.3.3)",
             year - 1, year, act);
    snprintf(w[4], sizeof w[4],
             "Школы без неудовлетворительных результатов ОГЭ по русскому "
             "языку в %d году (%s, п. 3.3.3)",
             year, act);
    snprintf(w[5], sizeof w[5],
             "Школы без неудовлетворительных результатов ОГЭ по математике "
             "в %d году (%s, п. 3.3.3)",
             year, act);
    static const char *names[6] = {
        "shnor_positive_dynamics_math",    "shnor_positive_dynamics_rus",
        "vpr_fail_share_fell_4_to_5_math", "vpr_fail_share_fell_4_to_5_rus",
        "schools_without_fail_oge_rus",    "schools_without_fail_oge_math"};
    for (int i = 0; i < 6; i++)
        put(o, details, names[i], &t[i], w[i], i < 2 ? "школ ШНОР" : "школ");
    json_object_set_new(o, "details", details);
    details = NULL;
    *out = o;
    o = NULL;
    rc = 0;
out:
    for (int i = 0; i < 6; i++)
        json_decref(t[i].schools);
    json_decref(o);
    json_decref(details);
    free(shnor);
    return rc;
}
