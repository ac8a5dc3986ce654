/*
 * Sign 2 of non-objective results (METHODS.md §2.2): a school's ВПР/ОГЭ results disagree with
 * its own journal marks. Spearman's r_s between journal mark and primary score inside the school
 * (one procedure); a sign when r_s < threshold with at least min_pairs pairs. With the evidence
 * goes the ФИС ОКО table: ВПР mark lower / equal / higher than the journal mark, and ≥ 2 apart.
 * Settings: [objectivity] procedures, [journal_mismatch] threshold, min_pairs.
 */
#include "base/mem.h"
#include "method/obj_common.h"
#include "method/objectivity.h"
#include "method/shnor.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OBJ_MAX_PROCS = 64 };

typedef struct pair {
    double x, y;  /* journal mark, primary score (NAN when the row has no score) */
    int mark, jm; /* ВПР mark, journal mark (0 when none) */
} pair;

typedef struct fis {
    int lower, equal, higher, apart2, n; /* ФИС ОКО: ВПР mark vs journal mark */
} fis;

static fis fis_table(const pair *p, size_t n)
{
    fis t = {0};
    for (size_t i = 0; i < n; i++) {
        if (!p[i].mark || !p[i].jm)
            continue;
        t.n++;
        t.lower += p[i].mark < p[i].jm;
        t.equal += p[i].mark == p[i].jm;
        t.higher += p[i].mark > p[i].jm;
        t.apart2 += abs(p[i].mark - p[i].jm) >= 2;
    }
    return t;
}

static json_t *sign_json(const model *m, int32_t pr, int32_t s, double rs, size_t npairs,
                         const fis *t, double thr)
{
    const model_proc *p = &m->procs[pr];
    char r[32], th[32], lo[16] = "—", eq[16] = "—", hi[16] = "—", text[1000];
    obj_num_ru(rs, 2, r, sizeof r);
    snprintf(th, sizeof th, "%g", thr);
    for (char *c = th; *c; c++)
        *c = *c == '.' ? ',' : *c;
    if (t->n) {
        shnor_pct((double)t->lower / t->n, lo, sizeof lo);
        shnor_pct((double)t->equal / t->n, eq, sizeof eq);
        shnor_pct((double)t->higher / t->n, hi, sizeof hi);
    }
    snprintf(text, sizeof text,
             "%s, %s, %d класс, %d: отметки в журнале школы не согласуются с результатами "
             "работы — ранговая корреляция Спирмена r_s = %s по %zu ученикам ниже порога %s "
             "(критерий Рособрнадзора: согласованность отметок). Сравнение с журналом (ФИС ОКО, %d "
             "уч.): понизили %s %%, "
             "подтвердили %s %%, повысили %s %%; расходятся на 2 отметки и больше — %d уч.",
             shnor_kind_ru(p->kind), shnor_subject_ru(p->subject), p->grade, p->year, r, npairs, th,
             t->n, lo, eq, hi, t->apart2);
    json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:f, s:f, s:s, s:I, s:{s:i, s:i, s:i, s:i, s:i}}",
                          "sign", "journal_mismatch", "kind", p->kind, "subject", p->subject,
                          "grade", p->grade, "value", rs, "threshold", thr, "text", text, "pairs",
                          (json_int_t)npairs, "fis_oko", "compared", t->n, "lower", t->lower,
                          "equal", t->equal, "higher", t->higher, "apart_2_or_more", t->apart2);
    json_t *f = o ? json_object_get(o, "fis_oko") : NULL;
    if (f) { /* shares: null when no pupil has both marks */
        json_object_set_new(f, "lower_share",
                            t->n ? json_real(shnor_round4((double)t->lower / t->n)) : json_null());
        json_object_set_new(f, "equal_share",
                            t->n ? json_real(shnor_round4((double)t->equal / t->n)) : json_null());
        json_object_set_new(f, "higher_share",
                            t->n ? json_real(shnor_round4((double)t->higher / t->n)) : json_null());
    }
    return o;
}

int obj_journal_mismatch(const model *m, int year, const meth_file *f, json_t *signs, msk_err *err)
{
    static const char *known[] = {"threshold", "min_pairs"};
    const char *sec = "journal_mismatch";
    int rc = -1;
    char *sel = NULL;
    size_t *rows = NULL, *idx = NULL, nrows = 0;
    pair *pp = NULL;
    double *x = NULL, *y = NULL, *rx = NULL, *ry = NULL;
    double thr = 0;
    long minpairs = 10;
    if (meth_check_keys(f, sec, known, 2, err) ||
        (f && (meth_num(f, sec, "threshold", 0, &thr, err) ||
               meth_int(f, sec, "min_pairs", 10, &minpairs, err))))
        return -1;
    if (minpairs < 3 || !(thr >= -1 && thr <= 1))
        return msk_error_at(err, obj_fname(f), 0, 0,
                            "[journal_mismatch] min_pairs не меньше 3, threshold от −1 до 1");
    size_t cap = m->res.n + 1;
    sel = msk_malloc(m->nprocs + 1);
    rows = msk_malloc(cap * sizeof *rows);
    idx = msk_malloc(cap * sizeof *idx);
    pp = msk_malloc(cap * sizeof *pp);
    x = msk_malloc(cap * sizeof *x);
    y = msk_malloc(cap * sizeof *y);
    rx = msk_malloc(cap * sizeof *rx);
    ry = msk_malloc(cap * sizeof *ry);
    if (obj_select_procs(m, year, f, sel, err))
        goto out;
    for (size_t i = 0; i < m->res.n; i++)
        if (sel[m->res.proc[i]] && obj_counted(m, i) && m->res.journal_mark[i] > 0)
            rows[nrows++] = i;
    obj_sort_proc_school(m, rows, nrows);
    for (size_t i = 0; i < nrows;) {
        size_t j = i, n = 0, np = 0;
        int32_t p = m->res.proc[rows[i]], s = m->res.school[rows[i]];
        while (j < nrows && m->res.proc[rows[j]] == p && m->res.school[rows[j]] == s) {
            size_t r = rows[j++];
            pp[n++] = (pair){m->res.journal_mark[r], m->res.primary[r], m->res.mark[r],
                             m->res.journal_mark[r]};
            if (!isnan(m->res.primary[r])) {
                x[np] = m->res.journal_mark[r];
                y[np++] = m->res.primary[r];
            }
        }
        i = j;
        if (np < (size_t)minpairs)
            continue; /* too few pairs for a correlation */
        double rs = obj_spearman(x, y, np, idx, rx, ry);
        if (isnan(rs) || !(rs < thr))
            continue; /* all marks or all scores equal: r_s undefined, no sign */
        fis t = fis_table(pp, n);
        if (obj_add_sign(signs, m->schools[s].code, sign_json(m, p, s, rs, np, &t, thr))) {
            msk_error(err, "не хватает памяти");
            goto out;
        }
    }
    rc = 0;
out:
    free(sel);
    free(rows);
    free(idx);
    free(pp);
    free(x);
    free(y);
    free(rx);
    free(ry);
    return rc;
}
