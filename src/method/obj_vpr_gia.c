/*
 * Sign 9 of non-objective results: high ВПР results the same cohort's ГИА does not confirm.
 * Seed 000 п. 5.2–5.3 sets ГИА and ВПР side by side: «Мониторинг результативности обучения на
 * основе вышеперечисленных оценочных процедур и соотнесения полученных результатов … позволяет
 * определить уровень достоверности оценки образовательных результатов»; the Rosobrnadzor method
 * (2019, METHODS.md §2.1) calls a high ВПР result a sign when «его не подтверждают другие
 * процедуры» (ЕГЭ, ОГЭ). The cohort: ВПР grade 8 of Y−1 → ОГЭ of Y; ВПР grade 10 of Y−1 and
 * grade 11 of Y → ЕГЭ of Y, by subject (ВПР mathematics against profile ЕГЭ mathematics when
 * the ЕГЭ has no plain mathematics). The measure is the share of high results: «4» and «5» on
 * ВПР and ОГЭ, a test score of at least ege_score on ЕГЭ. A sign when the school's ВПР share is
 * at least high_margin above the municipal one while its ГИА share is not more than low_margin
 * above the municipal one (both cells with at least min_participants).
 * Settings: [vpr_unconfirmed] subjects, high_margin, low_margin, ege_score, min_participants.
 */
#include "base/mem.h"
#include "method/obj_common.h"
#include "method/objectivity.h"
#include "method/shnor.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { VG_MAX_SUBJECTS = 32 };

typedef struct vg_cfg {
    const char *subj[VG_MAX_SUBJECTS + 1];
    size_t nsubj; /* 0: every subject */
    double high, low, ege_score;
    long min_n;
} vg_cfg;

/* The cohort pairs: ВПР grade, its year relative to Y, the exam and its grade. */
static const struct {
    int vpr_grade, dy;
    const char *exam;
    int exam_grade;
} PAIRS[] = {{8, -1, "OGE", 9}, {10, -1, "EGE", 11}, {11, 0, "EGE", 11}};

static int vg_read(const meth_file *f, vg_cfg *c, msk_err *err)
{
    static const char *known[] = {"subjects", "high_margin", "low_margin", "ege_score",
                                  "min_participants"};
    const char *sec = "vpr_unconfirmed";
    memset(c, 0, sizeof *c);
    c->high = 0.15;
    c->ege_score = 70;
    c->min_n = 10;
    if (!f)
        return 0;
    if (meth_check_keys(f, sec, known, sizeof known / sizeof known[0], err) ||
        meth_num(f, sec, "high_margin", 0.15, &c->high, err) ||
        meth_num(f, sec, "low_margin", 0, &c->low, err) ||
        meth_num(f, sec, "ege_score", 70, &c->ege_score, err) ||
        meth_int(f, sec, "min_participants", 10, &c->min_n, err))
        return -1;
    if (meth_get(f, sec, "subjects")) {
        c->nsubj = meth_list(f, sec, "subjects", c->subj, VG_MAX_SUBJECTS + 1);
        if (c->nsubj == 0 || c->nsubj > VG_MAX_SUBJECTS)
            return msk_error_at(err, obj_fname(f), 0, 0,
                                "[vpr_unconfirmed] subjects: список пуст или длиннее %d (все "
                                "предметы: *)",
                                VG_MAX_SUBJECTS);
        if (c->nsubj == 1 && strcmp(c->subj[0], "*") == 0)
            c->nsubj = 0;
    }
    if (!(c->high > 0 && c->high < 1) || !(c->low > -1 && c->low < 1))
        return msk_error_at(err, obj_fname(f), 0, 0,
                            "[vpr_unconfirmed] high_margin — доля от 0 до 1 (0.15 — 15 п. п.), "
                            "low_margin — от −1 до 1");
    if (!(c->ege_score > 0 && c->ege_score <= 100) || c->min_n < 1)
        return msk_error_at(err, obj_fname(f), 0, 0,
                            "[vpr_unconfirmed] ege_score — тестовый балл от 1 до 100, "
                            "min_participants — не меньше 1");
    return 0;
}

static int vg_subject_ok(const vg_cfg *c, const char *s)
{
    if (!c->nsubj)
        return 1;
    for (size_t k = 0; k < c->nsubj; k++)
        if (strcmp(c->subj[k], s) == 0)
            return 1;
    return 0;
}

/* Counts of the used procedures: n and high results per (slot, school), slot -1 unused. */
typedef struct vg_counts {
    int32_t *slot;
    int *n, *good;
    size_t ns;
} vg_counts;

static int row_good(const model *m, size_t r, double ege_score)
{
    const model_proc *pr = &m->procs[m->res.proc[r]];
    if (strcmp(pr->kind, "EGE") == 0 && strcmp(pr->subject, "math_base") != 0)
        return m->res.test_score[r] >= 0 && m->res.test_score[r] >= ege_score;
    return m->res.mark[r] >= 4;
}

static void vg_count(const model *m, vg_counts *k, double ege_score)
{
    for (size_t r = 0; r < m->res.n; r++) {
        int32_t s = k->slot[m->res.proc[r]];
        if (s < 0 || !obj_counted(m, r) || m->res.school[r] < 0)
            continue;
        const model_proc *pr = &m->procs[m->res.proc[r]];
        int ege = strcmp(pr->kind, "EGE") == 0 && strcmp(pr->subject, "math_base") != 0;
        if (ege ? m->res.test_score[r] < 0 : (m->res.mark[r] < 2 || m->res.mark[r] > 5))
            continue; /* no result to judge */
        size_t i = (size_t)s * (k->ns + 1) + (size_t)m->res.school[r];
        size_t t = (size_t)s * (k->ns + 1) + k->ns; /* the municipality */
        k->n[i]++, k->n[t]++;
        if (row_good(m, r, ege_score))
            k->good[i]++, k->good[t]++;
    }
}

static json_t *vg_sign(const model *m, const model_proc *pv, const model_proc *pg, const vg_cfg *c,
                       double vs, double vm, int vn, double gs, double gm, int gn)
{
    char a[16], b[16], d[16], e[16], df[16], hm[16], text[1200], what[64];
    shnor_pct(vs, a, sizeof a);
    shnor_pct(vm, b, sizeof b);
    shnor_pct(gs, d, sizeof d);
    shnor_pct(gm, e, sizeof e);
    shnor_pct(vs - vm, df, sizeof df);
    shnor_pct(c->high, hm, sizeof hm);
    int ege = strcmp(pg->kind, "EGE") == 0 && strcmp(pg->subject, "math_base") != 0;
    if (ege)
        snprintf(what, sizeof what, "доля набравших %g баллов и больше", c->ege_score);
    else
        snprintf(what, sizeof what, "доля отметок «4» и «5»");
    snprintf(text, sizeof text,
             "ВПР, %s, %d класс, %d: доля отметок «4» и «5» — %s %% (%d уч.) при %s %% по "
             "муниципалитету, на %s п. п. выше (порог — %s п. п.); тот же поток на %s, %s, %d: "
             "%s — %s %% (%d уч.) при %s %% по муниципалитету — высокие результаты ВПР не "
             "подтверждены результатами ГИА (соотнесение результатов оценочных процедур; "
             "методика Рособрнадзора 2019: высокий результат — признак, если его не "
             "подтверждают другие процедуры)",
             shnor_subject_ru(pv->subject), pv->grade, pv->year, a, vn, b, df, hm,
             shnor_kind_ru(pg->kind), shnor_subject_ru(pg->subject), pg->year, what, d, gn, e);
    (void)m;
    return json_pack("{s:s, s:s, s:s, s:i, s:f, s:f, s:s, s:{s:s, s:i, s:i, s:f, s:f, s:i}, "
                     "s:{s:s, s:s, s:i, s:i, s:f, s:f, s:i}}",
                     "sign", "vpr_unconfirmed", "kind", "VPR", "subject", pv->subject, "grade",
                     pv->grade, "value", shnor_round4(vs - vm), "threshold", c->high, "text", text,
                     "vpr", "subject", pv->subject, "grade", pv->grade, "year", pv->year, "share",
                     shnor_round4(vs), "municipality", shnor_round4(vm), "participants", vn, "gia",
                     "kind", pg->kind, "subject", pg->subject, "grade", pg->grade, "year", pg->year,
                     "share", shnor_round4(gs), "municipality", shnor_round4(gm), "participants",
                     gn);
}

int obj_vpr_unconfirmed(const model *m, int year, const meth_file *f, json_t *signs, msk_err *err)
{
    vg_cfg c;
    if (vg_read(f, &c, err))
        return -1;
    int rc = -1;
    vg_counts k = {0};
    k.ns = m->nschools;
    k.slot = msk_malloc((m->nprocs + 1) * sizeof *k.slot);
    int32_t *gia_of = msk_malloc((m->nprocs + 1) * sizeof *gia_of);
    int32_t nslot = 0;
    for (size_t p = 0; p < m->nprocs; p++)
        k.slot[p] = gia_of[p] = -1;
    for (size_t p = 0; p < m->nprocs; p++) {
        const model_proc *pr = &m->procs[p];
        if (strcmp(pr->kind, "VPR") != 0 || !vg_subject_ok(&c, pr->subject))
            continue;
        for (size_t q = 0; q < sizeof PAIRS / sizeof PAIRS[0]; q++) {
            if (pr->grade != PAIRS[q].vpr_grade || pr->year != year + PAIRS[q].dy)
                continue;
            int32_t g = model_find_proc(m, year, PAIRS[q].exam, pr->subject, PAIRS[q].exam_grade);
            if (g < 0 && strcmp(pr->subject, "math") == 0 && PAIRS[q].exam[0] == 'E')
                g = model_find_proc(m, year, "EGE", "math_prof", 11);
            if (g < 0)
                continue;
            gia_of[p] = g;
            if (k.slot[p] < 0)
                k.slot[p] = nslot++;
            if (k.slot[g] < 0)
                k.slot[g] = nslot++;
        }
    }
    size_t cells = (size_t)nslot * (k.ns + 1) + 1;
    k.n = msk_calloc(cells, sizeof *k.n);
    k.good = msk_calloc(cells, sizeof *k.good);
    vg_count(m, &k, c.ege_score);
    for (size_t p = 0; p < m->nprocs; p++) {
        if (gia_of[p] < 0)
            continue;
        int32_t g = gia_of[p];
        size_t bv = (size_t)k.slot[p] * (k.ns + 1), bg = (size_t)k.slot[g] * (k.ns + 1);
        if (!k.n[bv + k.ns] || !k.n[bg + k.ns])
            continue;
        double vm = (double)k.good[bv + k.ns] / k.n[bv + k.ns];
        double gm = (double)k.good[bg + k.ns] / k.n[bg + k.ns];
        for (size_t s = 0; s < k.ns; s++) {
            int vn = k.n[bv + s], gn = k.n[bg + s];
            if (vn < c.min_n || gn < c.min_n)
                continue;
            double vs = (double)k.good[bv + s] / vn, gs = (double)k.good[bg + s] / gn;
            /* 1e-9: a share exactly at the margin counts («на 15 п. п. и больше») */
            if (vs - vm < c.high - 1e-9 || gs - gm > c.low + 1e-9)
                continue;
            if (obj_add_sign(signs, m->schools[s].code,
                             vg_sign(m, &m->procs[p], &m->procs[g], &c, vs, vm, vn, gs, gm, gn))) {
                msk_error(err, "не хватает памяти");
                goto out;
            }
        }
    }
    rc = 0;
out:
    free(k.slot);
    free(k.n);
    free(k.good);
    free(gia_of);
    return rc;
}
