/*
 * Sign 1 of non-objective results (METHODS.md §2.1, Rosobrnadzor 2019): a school's mean primary
 * score is significantly above the municipality's. Reference interval x̄_R ± z·s_R/√n over all
 * municipal participants of the procedure, school interval x̄_S ± z·s_S/√m; the sign is raised
 * when the school's lower bound exceeds the reference's upper bound. Settings: [objectivity]
 * procedures, [inflated_mean] min_participants, z, exclude_types (school types not assessed by
 * this sign — Rosobrnadzor treats gymnasia and lyceums separately; default: none). Excluded
 * schools still count in the municipal reference interval.
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

typedef struct acc {
    int64_t n;
    double sum, ss; /* ss: sum of squared deviations, second pass */
} acc;

static json_t *sign_json(const model *m, int32_t p, int32_t s, double ms, double hs, int64_t ns,
                         double mr, double hr, int64_t nr, double z)
{
    const model_proc *pr = &m->procs[p];
    const char *type = m->schools[s].type;
    int elite = strcmp(type, "gymnasium") == 0 || strcmp(type, "lyceum") == 0;
    char a[32], b[32], c[32], d[32], text[900];
    obj_num_ru(ms - hs, 2, a, sizeof a);
    obj_num_ru(ms + hs, 2, b, sizeof b);
    obj_num_ru(mr - hr, 2, c, sizeof c);
    obj_num_ru(mr + hr, 2, d, sizeof d);
    snprintf(text, sizeof text,
             "%s, %s, %d класс, %d: средний первичный балл школы значимо выше муниципального — "
             "доверительный интервал школы [%s; %s] (%lld уч.) целиком выше интервала "
             "муниципалитета [%s; %s] (%lld уч.); нижняя граница %s больше верхней %s "
             "(методика Рособрнадзора 2019). %s",
             shnor_kind_ru(pr->kind), shnor_subject_ru(pr->subject), pr->grade, pr->year, a, b,
             (long long)ns, c, d, (long long)nr, a, d,
             elite ? (strcmp(type, "gymnasium") == 0
                          ? "Школа — гимназия: высокий результат может быть объективным, "
                            "Рособрнадзор такие школы рассматривает отдельно."
                          : "Школа — лицей: высокий результат может быть объективным, "
                            "Рособрнадзор такие школы рассматривает отдельно.")
                   : "Школа не гимназия и не лицей: Рособрнадзор считает такой результат "
                     "признаком необъективности, если его не подтверждают другие процедуры.");
    return json_pack("{s:s, s:s, s:s, s:i, s:f, s:f, s:s, s:{s:f, s:f, s:f, s:I}, "
                     "s:{s:f, s:f, s:f, s:I}, s:f, s:s, s:b}",
                     "sign", "inflated_mean", "kind", pr->kind, "subject", pr->subject, "grade",
                     pr->grade, "value", ms - hs, "threshold", mr + hr, "text", text, "school_ci",
                     "mean", ms, "lo", ms - hs, "hi", ms + hs, "n", (json_int_t)ns, "reference_ci",
                     "mean", mr, "lo", mr - hr, "hi", mr + hr, "n", (json_int_t)nr, "z", z,
                     "school_type", type, "gymnasium_or_lyceum", elite);
}

int obj_inflated_mean(const model *m, int year, const meth_file *f, json_t *signs, msk_err *err)
{
    static const char *known[] = {"min_participants", "z", "exclude_types"};
    const char *excl[OBJ_MAX_PROCS + 1];
    size_t nexcl = 0;
    const char *sec = "inflated_mean";
    int rc = -1;
    char *sel = NULL;
    int32_t *slot = NULL;
    acc *cell = NULL, *ref = NULL;
    long minp = 5;
    double z = 1.96;
    if (meth_check_keys(f, sec, known, 3, err) ||
        (f && (meth_int(f, sec, "min_participants", 5, &minp, err) ||
               meth_num(f, sec, "z", 1.96, &z, err))))
        return -1;
    if (minp < 2 || !(z > 0))
        return msk_error_at(err, obj_fname(f), 0, 0,
                            "[inflated_mean] min_participants не меньше 2 (нужно стандартное "
                            "отклонение), z больше 0");
    if (f && meth_get(f, sec, "exclude_types")) {
        nexcl = meth_list(f, sec, "exclude_types", excl, OBJ_MAX_PROCS + 1);
        if (nexcl > OBJ_MAX_PROCS)
            return msk_error_at(err, obj_fname(f), 0, 0,
                                "[inflated_mean] exclude_types: список длиннее %d", OBJ_MAX_PROCS);
    }
    sel = msk_malloc(m->nprocs + 1);
    slot = msk_malloc((m->nprocs + 1) * sizeof *slot);
    if (obj_select_procs(m, year, f, sel, err))
        goto out;
    size_t nsel = 0;
    for (size_t p = 0; p < m->nprocs; p++)
        slot[p] = sel[p] ? (int32_t)nsel++ : -1;
    size_t ns = m->nschools ? m->nschools : 1;
    if (nsel > SIZE_MAX / sizeof *cell / ns) {
        msk_error(err, "не хватает памяти");
        goto out;
    }
    cell = msk_calloc(nsel * ns + 1, sizeof *cell);
    ref = msk_calloc(nsel + 1, sizeof *ref);
    /* two passes: means, then squared deviations (stable for large scores) */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < m->res.n; i++) {
            int32_t k = slot[m->res.proc[i]];
            double x = m->res.primary[i];
            if (k < 0 || isnan(x) || !obj_counted(m, i))
                continue;
            acc *c = &cell[(size_t)k * ns + (size_t)m->res.school[i]], *r = &ref[k];
            if (pass == 0) {
                c->n++, c->sum += x;
                r->n++, r->sum += x;
            } else {
                double dc = x - c->sum / (double)c->n, dr = x - r->sum / (double)r->n;
                c->ss += dc * dc;
                r->ss += dr * dr;
            }
        }
    for (size_t p = 0; p < m->nprocs; p++) {
        int32_t k = slot[p];
        if (k < 0 || ref[k].n < 2)
            continue;
        double mr = ref[k].sum / (double)ref[k].n;
        double hr = z * sqrt(ref[k].ss / (double)(ref[k].n - 1)) / sqrt((double)ref[k].n);
        for (size_t s = 0; s < m->nschools; s++) {
            const acc *c = &cell[(size_t)k * ns + s];
            if (c->n < minp)
                continue; /* too few participants for an interval */
            size_t e = 0;
            while (e < nexcl && strcmp(m->schools[s].type, excl[e]) != 0)
                e++;
            if (e < nexcl)
                continue; /* a type the sign does not assess (exclude_types) */
            double ms = c->sum / (double)c->n;
            double hs = z * sqrt(c->ss / (double)(c->n - 1)) / sqrt((double)c->n);
            if (!(ms - hs > mr + hr))
                continue;
            if (obj_add_sign(
                    signs, m->schools[s].code,
                    sign_json(m, (int32_t)p, (int32_t)s, ms, hs, c->n, mr, hr, ref[k].n, z))) {
                msk_error(err, "не хватает памяти");
                goto out;
            }
        }
    }
    rc = 0;
out:
    free(sel);
    free(slot);
    free(cell);
    free(ref);
    return rc;
}
