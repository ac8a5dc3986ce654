/*
 * Risk zone (seed 002 §3.2 and its table): a school is at risk by any of four factors —
 * material base (a "no" among the equipment elements), staff (36-hour load > 10 %, teachers
 * without a qualification in their subject > 0 %), contingent (registered + ОВЗ + инофоны +
 * absentees > 10 % in sum), results (ВПР "2" ≥ 20 % in at least two of math/Russian grades
 * 4 and 8; failing pupils > 10 %). Context that was not reported is never a factor: it is
 * named in the evidence so the analyst can ask for it.
 */
#include "method/risk.h"
#include "base/mem.h"
#include "method/shnor.h"
#include "base/buf.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { RISK_MAX_ITEMS = 32 };

typedef struct risk_cfg {
    const char *material[RISK_MAX_ITEMS];
    size_t nmaterial;
    const char *contingent[RISK_MAX_ITEMS];
    size_t ncontingent;
    shnor_proc_key results[RISK_MAX_ITEMS];
    size_t nresults;
    double staff_36h, staff_unqualified, contingent_share, results_share, failing_share;
    long results_min_count;
    int results_all; /* results_rule = all: 4.1–4.4 and 4.5 both needed (default any: either) */
    const char *act; /* the act the reasons cite (act = …; the preset's source by default) */
} risk_cfg;

static const char *element_ru(const char *e)
{
    static const char *map[][2] = {{"internet", "устойчивый доступ в интернет"},
                                   {"computers", "компьютерная техника"},
                                   {"lab_phys", "лабораторное оборудование по физике"},
                                   {"lab_chem", "лабораторное оборудование по химии"},
                                   {"lab_bio", "лабораторное оборудование по биологии"},
                                   {"lab_geo", "оборудование по географии"},
                                   {"lab_tech", "оборудование по технологии"},
                                   {"pupils_registered", "на учёте"},
                                   {"pupils_ovz", "с ОВЗ"},
                                   {"pupils_inofon", "инофоны"},
                                   {"pupils_absentee", "систематически пропускающие занятия"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(e, map[i][0]) == 0)
            return map[i][1];
    return e;
}

static const char *fname(const meth_file *f)
{
    return f ? meth_name(f) : "(встроенная методика)";
}

static int read_list(const meth_file *f, const char *key, const char **dflt, size_t ndflt,
                     const char **out, size_t *n, msk_err *err)
{
    if (f && meth_get(f, "risk", key)) {
        *n = meth_list(f, "risk", key, out, RISK_MAX_ITEMS + 1);
        if (*n > RISK_MAX_ITEMS)
            return msk_error_at(err, fname(f), 0, 0, "[risk] %s: больше %d элементов", key,
                                RISK_MAX_ITEMS);
        return 0;
    }
    for (size_t i = 0; i < ndflt; i++)
        out[i] = dflt[i];
    *n = ndflt;
    return 0;
}

/* Defaults = methods/risk.ini (seed 002 §3.2). */
static int read_cfg(const meth_file *f, risk_cfg *c, msk_err *err)
{
    static const char *known[] = {"material",
                                  "contingent",
                                  "results_procedures",
                                  "staff_36h_share",
                                  "staff_unqualified_share",
                                  "contingent_share",
                                  "results_share",
                                  "results_min_count",
                                  "failing_share",
                                  "results_rule",
                                  "act"};
    static const char *dmat[] = {"internet", "computers", "lab_phys", "lab_chem",
                                 "lab_bio",  "lab_geo",   "lab_tech"};
    static const char *dcont[] = {"pupils_registered", "pupils_ovz", "pupils_inofon",
                                  "pupils_absentee"};
    static const char *dres[] = {"VPR:math:4", "VPR:math:8", "VPR:rus:4", "VPR:rus:8"};
    memset(c, 0, sizeof *c);
    if (meth_check_keys(f, "risk", known, sizeof known / sizeof known[0], err))
        return -1;
    const char *res[RISK_MAX_ITEMS + 1];
    if (read_list(f, "material", dmat, 7, c->material, &c->nmaterial, err) ||
        read_list(f, "contingent", dcont, 4, c->contingent, &c->ncontingent, err) ||
        read_list(f, "results_procedures", dres, 4, res, &c->nresults, err))
        return -1;
    for (size_t i = 0; i < c->nresults; i++)
        if (shnor_parse_proc(res[i], &c->results[i]))
            return msk_error_at(err, fname(f), 0, 0,
                                "[risk] results_procedures: «%s» не понято — пишите "
                                "ВИД:предмет:класс, например VPR:math:4",
                                res[i]);
    c->staff_36h = 0.10;
    c->staff_unqualified = 0.0;
    c->contingent_share = 0.10;
    c->results_share = 0.20;
    c->failing_share = 0.10;
    c->results_min_count = 2;
    c->act = meth_act(f, "risk", METH_ACT_SEED002);
    if (!f)
        return 0;
    if (meth_num(f, "risk", "staff_36h_share", 0.10, &c->staff_36h, err) ||
        meth_num(f, "risk", "staff_unqualified_share", 0.0, &c->staff_unqualified, err) ||
        meth_num(f, "risk", "contingent_share", 0.10, &c->contingent_share, err) ||
        meth_num(f, "risk", "results_share", 0.20, &c->results_share, err) ||
        meth_num(f, "risk", "failing_share", 0.10, &c->failing_share, err) ||
        meth_int(f, "risk", "results_min_count", 2, &c->results_min_count, err))
        return -1;
    return risk_results_rule(f, &c->results_all, err);
}

int risk_results_rule(const meth_file *f, int *all, msk_err *err)
{
    const char *v = f ? meth_get(f, "risk", "results_rule") : NULL;
    *all = 0;
    if (!v || strcasecmp(v, "any") == 0)
        return 0;
    if (strcasecmp(v, "all") == 0) {
        *all = 1;
        return 0;
    }
    return msk_error_at(err, fname(f), 0, 0,
                        "[risk] results_rule = «%s»: допустимо any (достаточно одного из условий "
                        "4.1–4.4 и 4.5) или all (нужны оба)",
                        v);
}

/* Context value of one school, NAN when absent; a not-reported element is noted once. */
static double ctx(const model *m, int year, int32_t s, const char *e, json_t *not_reported)
{
    double v = model_context(m, year, s, e);
    if (isnan(v))
        json_array_append_new(not_reported, json_string(e));
    return v;
}

static void sentence(msk_buf *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sentence(msk_buf *t, const char *fmt, ...)
{
    va_list ap;
    if (t->len)
        msk_buf_puts(t, " ");
    va_start(ap, fmt);
    msk_buf_vprintf(t, fmt, ap);
    va_end(ap);
}

/* seed 002 §3.2 p. 1: a "no" (value 0) among the material-base elements. */
static int f_material(const model *m, int year, int32_t s, const risk_cfg *c, json_t *ev,
                      json_t *nr, msk_buf *t)
{
    json_t *missing = json_array();
    msk_buf names;
    msk_buf_init(&names, 0);
    for (size_t i = 0; i < c->nmaterial; i++) {
        double v = ctx(m, year, s, c->material[i], nr);
        if (!isnan(v) && v < 0.5) {
            json_array_append_new(missing, json_string(c->material[i]));
            msk_buf_printf(&names, "%s%s", names.len ? ", " : "", element_ru(c->material[i]));
        }
    }
    int hit = json_array_size(missing) > 0;
    if (hit)
        sentence(t, "Материально-техническая база: нет — %s (%s, п. 3.2, показатель 1).",
                 names.data, c->act);
    json_object_set_new(ev, "missing", missing);
    msk_buf_release(&names);
    return hit;
}

/* A share of the table of seed 002 §3.2 that is a factor when strictly above its limit: kept in
 * the evidence under key, and when it passes, said as «<before>X %<after> — больше Y % (seed
 * 002 п. 3.2, показатель N).». part NAN means not reported: nothing is recorded. Returns 1 when
 * the share passes. total must be > 0. */
static int share_above(json_t *ev, const char *key, double part, double total, double limit,
                       msk_buf *t, const char *before, const char *after, const char *item,
                       const char *act)
{
    char pct[32], thr[32];
    if (isnan(part))
        return 0;
    double sh = part / total;
    json_object_set_new(ev, key, json_real(shnor_round4(sh)));
    if (!(sh > limit))
        return 0;
    shnor_pct(sh, pct, sizeof pct);
    shnor_pct_short(limit, thr, sizeof thr);
    sentence(t, "%s%s %%%s — больше %s %% (%s, п. 3.2, показатель %s).", before, pct, after, thr,
             act, item);
    return 1;
}

/* seed 002 §3.2 p. 2: 36-hour load > 10 %; teachers without a subject qualification > 0 %. */
static int f_staff(const model *m, int year, int32_t s, const risk_cfg *c, json_t *ev, json_t *nr,
                   msk_buf *t)
{
    double total = ctx(m, year, s, "teachers_total", nr);
    double h36 = ctx(m, year, s, "teachers_36h", nr);
    double unq = ctx(m, year, s, "teachers_unqualified", nr);
    if (isnan(total) || total <= 0)
        return 0; /* no denominator: the shares are unknown, not zero */
    int hit = share_above(ev, "teachers_36h_share", h36, total, c->staff_36h, t, "Кадры: у ",
                          " учителей нагрузка 36 часов и более", "2.1", c->act);
    hit |= share_above(
        ev, "teachers_unqualified_share", unq, total, c->staff_unqualified, t,
        "Кадры: ", " учителей не имеют диплома о переподготовке по преподаваемому предмету", "2.2",
        c->act);
    return hit;
}

/* seed 002 §3.2 p. 3: the shares of the contingent table summed, > 10 %. A part not reported
 * leaves the sum a lower bound: it is a factor only when the reported parts already pass. */
static int f_contingent(const model *m, int year, int32_t s, const risk_cfg *c, json_t *ev,
                        json_t *nr, msk_buf *t)
{
    double total = ctx(m, year, s, "pupils_total", nr);
    if (isnan(total) || total <= 0)
        return 0;
    json_t *parts = json_object();
    double sum = 0;
    int have = 0, partial = 0;
    for (size_t i = 0; i < c->ncontingent; i++) {
        double v = ctx(m, year, s, c->contingent[i], nr);
        if (isnan(v)) {
            partial = 1;
            continue;
        }
        have = 1;
        sum += v;
        json_object_set_new(parts, c->contingent[i], json_real(shnor_round4(v / total)));
    }
    json_object_set_new(ev, "contingent_parts", parts);
    if (!have)
        return 0;
    double sh = sum / total;
    json_object_set_new(ev, "contingent_share", json_real(shnor_round4(sh)));
    if (partial)
        json_object_set_new(ev, "contingent_partial", json_true());
    if (!(sh > c->contingent_share))
        return 0;
    char pct[32], thr[32];
    shnor_pct(sh, pct, sizeof pct);
    shnor_pct_short(c->contingent_share, thr, sizeof thr);
    sentence(t,
             "Контингент: %s %% обучающихся в сумме на учёте, с ОВЗ, инофоны или "
             "систематически пропускают занятия — больше %s %% (%s, п. 3.2, показатель 3).",
             pct, thr, c->act);
    return 1;
}

/* seed 002 §3.2 p. 4: «в пунктах 4.1-4.4 фиксируется 20 % и более не менее чем по двум
 * показателям, в пунктах 4.5 более 10 %» — ВПР "2" ≥ 20 % in at least two of 4.1–4.4; failing
 * pupils > 10 % (4.5). The act joins the two by a comma, as it joins 2.1 and 2.2 of p. 2 (read as
 * either): results_rule = any (default) lists a school by either, all only by both. Under all an
 * unreported 4.5 cannot be met, so the factor is not set (missing data is never a factor). */
static int f_results(const model *m, int year, int32_t s, const risk_cfg *c, const int *sel,
                     json_t *ev, json_t *nr, msk_buf *t)
{
    json_t *vpr = json_array();
    int high = 0, hit_vpr = 0, hit_fail = 0;
    char pct[32], thr[32];
    msk_buf list, said;
    msk_buf_init(&list, 0);
    msk_buf_init(&said, 0);
    for (size_t p = 0; p < m->nprocs; p++) {
        if (sel[p] < 0)
            continue;
        const model_cell *cell = model_cell_of(m, (int32_t)p, s);
        if (!cell || cell->participants <= 0)
            continue;
        const model_proc *pr = &m->procs[p];
        double sh = (double)cell->failed / cell->participants;
        int is_high = (double)cell->failed >= c->results_share * cell->participants - 1e-9;
        high += is_high;
        json_array_append_new(
            vpr, json_pack("{s:s, s:s, s:i, s:i, s:i, s:f, s:b}", "kind", pr->kind, "subject",
                           pr->subject, "grade", pr->grade, "participants", cell->participants,
                           "failed", cell->failed, "share", shnor_round4(sh), "high", is_high));
        if (is_high) {
            shnor_pct(sh, pct, sizeof pct);
            msk_buf_printf(&list, "%s%s, %d класс — %s %%", list.len ? "; " : "",
                           shnor_subject_ru(pr->subject), pr->grade, pct);
        }
    }
    json_object_set_new(ev, "vpr_fail", vpr);
    json_object_set_new(ev, "vpr_high_count", json_integer(high));
    json_object_set_new(ev, "results_rule", json_string(c->results_all ? "all" : "any"));
    /* the thresholds applied, so that a document can say them as the methods file set them */
    json_object_set_new(ev, "results_thresholds",
                        json_pack("{s:f, s:I, s:f}", "share", c->results_share, "min_count",
                                  (json_int_t)c->results_min_count, "failing", c->failing_share));
    if (high >= c->results_min_count) {
        hit_vpr = 1;
        shnor_pct_short(c->results_share, thr, sizeof thr);
        sentence(&said,
                 "Результаты: доля «2» на ВПР %s %% и более по %d работам (%s) — нужно не "
                 "менее %ld (%s, п. 3.2, показатели 4.1–4.4).",
                 thr, high, list.data, c->results_min_count, c->act);
    }
    msk_buf_release(&list);
    double total = ctx(m, year, s, "pupils_total", NULL);
    double failing = ctx(m, year, s, "pupils_failing", nr);
    if (!isnan(total) && total > 0)
        hit_fail = share_above(ev, "failing_share", failing, total, c->failing_share, &said,
                               "Результаты: неуспевающих ", "", "4.5", c->act);
    int hit = c->results_all ? hit_vpr && hit_fail : hit_vpr || hit_fail;
    if (hit) {
        sentence(t, "%s", said.data);
        if (c->results_all)
            sentence(t, "Выполнены оба условия показателя 4 (4.1–4.4 и 4.5).");
    }
    msk_buf_release(&said);
    return hit;
}

static int cmp_code(const void *a, const void *b, void *ctxp)
{
    const model *m = ctxp;
    return strcmp(m->schools[*(const int32_t *)a].code, m->schools[*(const int32_t *)b].code);
}

int risk_run(const model *m, int year, const meth_file *f, json_t **out, msk_err *err)
{
    risk_cfg c;
    int rc = -1;
    int *sel = NULL;
    int32_t *order = NULL;
    json_t *arr = NULL;
    msk_buf t;
    msk_buf_init(&t, 0);
    *out = NULL;
    if (read_cfg(f, &c, err))
        goto out;
    sel = msk_malloc((m->nprocs + 1) * sizeof *sel);
    order = msk_malloc((m->nschools + 1) * sizeof *order);
    arr = json_array();
    if (!arr) {
        msk_error(err, "не хватает памяти");
        goto out;
    }
    for (size_t p = 0; p < m->nprocs; p++) {
        sel[p] = -1;
        for (size_t k = 0; k < c.nresults && sel[p] < 0; k++)
            if (m->procs[p].year == year && shnor_proc_matches(&c.results[k], &m->procs[p]))
                sel[p] = (int)k;
    }
    for (size_t s = 0; s < m->nschools; s++)
        order[s] = (int32_t)s;
    qsort_r(order, m->nschools, sizeof *order, cmp_code, (void *)m);
    for (size_t i = 0; i < m->nschools; i++) {
        int32_t s = order[i];
        json_t *ev = json_object(), *nr = json_array(), *fac = json_array();
        msk_buf_reset(&t);
        if (f_material(m, year, s, &c, ev, nr, &t))
            json_array_append_new(fac, json_string("material"));
        if (f_staff(m, year, s, &c, ev, nr, &t))
            json_array_append_new(fac, json_string("staff"));
        if (f_contingent(m, year, s, &c, ev, nr, &t))
            json_array_append_new(fac, json_string("contingent"));
        if (f_results(m, year, s, &c, sel, ev, nr, &t))
            json_array_append_new(fac, json_string("results"));
        if (json_array_size(nr)) {
            size_t n = json_array_size(nr);
            sentence(&t,
                     "Не представлены данные: %zu показател%s — они не учтены как фактор "
                     "риска.",
                     n, n % 10 == 1 && n % 100 != 11 ? "ь" : "ей");
        }
        json_object_set_new(ev, "not_reported", nr);
        if (json_array_size(fac) == 0) {
            json_decref(ev);
            json_decref(fac);
            continue;
        }
        json_t *o = json_pack("{s:s, s:o, s:o, s:s}", "school", m->schools[s].code, "factors", fac,
                              "evidence", ev, "text", t.data);
        if (!o || json_array_append_new(arr, o)) {
            msk_error(err, "не хватает памяти");
            goto out;
        }
    }
    *out = arr;
    arr = NULL;
    rc = 0;
out:
    msk_buf_release(&t);
    json_decref(arr);
    free(sel);
    free(order);
    return rc;
}
