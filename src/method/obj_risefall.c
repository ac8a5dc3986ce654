/*
 * Sign 8 of non-objective results: a cohort that rises one year and falls back the next (Jacob
 * & Levitt 2003, "Rotten Apples": a classroom whose gain is unusually large one year and whose
 * pupils' gain is unusually small the year after had its middle-year scores inflated). One
 * cohort of a school: ВПР of grade g in Y − 2, g + 1 in Y − 1, g + 2 in Y. Each result is the
 * school's mean share of the maximum primary score minus the municipal one (which removes the
 * difference in difficulty between the forms); the gains are d1 = S(Y−1) − S(Y−2) and
 * d2 = S(Y) − S(Y−1), the bump B = S(Y−1) − (S(Y−2) + S(Y))/2 = (d1 − d2)/2. The sign: B above
 * Q3 + k·IQR of the B of all schools (type-7 quartiles, at least 4 schools), a rise (d1 > 0)
 * and a fall that takes back at least back_share of it (d2 ≤ −back_share·d1). Jacob & Levitt
 * rank the gains; a fence keeps the sign off a municipality with no outlier (ranks always flag
 * the top few). Not two fences, one on d1 and one on d2 at k = 1.5: d1 and d2 share S(Y−1)
 * with opposite signs, so one noisy middle year crosses both — on the six demo municipalities,
 * with nothing of the kind planted, that marked 12 schools of 295.
 */
#include "base/mem.h"
#include "method/obj_common.h"
#include "method/objectivity.h"
#include "method/shnor.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { RF_MAX_SUBJECTS = 16, RF_MAX_GRADES = 8 };

typedef struct rf_cfg {
    char subjects[RF_MAX_SUBJECTS][16];
    size_t nsubjects;
    long grades[RF_MAX_GRADES];
    size_t ngrades;
    long min_participants;
    double iqr_factor, back_share;
} rf_cfg;

static void rf_defaults(rf_cfg *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->subjects[0], sizeof c->subjects[0], "math");
    snprintf(c->subjects[1], sizeof c->subjects[1], "rus");
    c->nsubjects = 2;
    c->grades[0] = 4;
    c->grades[1] = 5;
    c->grades[2] = 6;
    c->ngrades = 3;
    c->min_participants = 5;
    c->iqr_factor = 3;
    c->back_share = 0.5;
}

static int rf_read_lists(const meth_file *f, rf_cfg *c, msk_err *err)
{
    const char *sec = "rise_fall";
    const char *items[RF_MAX_SUBJECTS + 1];
    if (meth_get(f, sec, "subjects")) {
        size_t n = meth_list(f, sec, "subjects", items, RF_MAX_SUBJECTS + 1);
        if (n == 0 || n > RF_MAX_SUBJECTS)
            return msk_error_at(err, obj_fname(f), 0, 0,
                                "[rise_fall] subjects: нужен список от 1 до %d предметов, "
                                "например math, rus",
                                RF_MAX_SUBJECTS);
        for (size_t i = 0; i < n; i++) {
            if (!items[i][0] || strlen(items[i]) >= sizeof c->subjects[i])
                return msk_error_at(err, obj_fname(f), 0, 0,
                                    "[rise_fall] subjects: «%s» — не код предмета", items[i]);
            snprintf(c->subjects[i], sizeof c->subjects[i], "%s", items[i]);
        }
        c->nsubjects = n;
    }
    if (meth_get(f, sec, "grades")) {
        size_t n = meth_list(f, sec, "grades", items, RF_MAX_GRADES + 1);
        if (n == 0 || n > RF_MAX_GRADES)
            return msk_error_at(err, obj_fname(f), 0, 0,
                                "[rise_fall] grades: нужен список от 1 до %d классов",
                                RF_MAX_GRADES);
        for (size_t i = 0; i < n; i++) {
            char *end;
            long g = strtol(items[i], &end, 10);
            if (end == items[i] || *end || g < 1 || g > 9)
                return msk_error_at(err, obj_fname(f), 0, 0,
                                    "[rise_fall] grades: «%s» — нужен класс от 1 до 9 (поток "
                                    "прослеживается ещё два года)",
                                    items[i]);
            c->grades[i] = g;
        }
        c->ngrades = n;
    }
    return 0;
}

static int rf_read_cfg(const meth_file *f, rf_cfg *c, msk_err *err)
{
    static const char *known[] = {"subjects", "grades", "min_participants", "iqr_factor",
                                  "back_share"};
    const char *sec = "rise_fall";
    rf_defaults(c);
    if (!f)
        return 0;
    if (meth_check_keys(f, sec, known, sizeof known / sizeof known[0], err) ||
        rf_read_lists(f, c, err) ||
        meth_int(f, sec, "min_participants", 5, &c->min_participants, err) ||
        meth_num(f, sec, "iqr_factor", 3, &c->iqr_factor, err) ||
        meth_num(f, sec, "back_share", 0.5, &c->back_share, err))
        return -1;
    if (c->min_participants < 1 || !(c->iqr_factor > 0) ||
        !(c->back_share >= 0 && c->back_share <= 2))
        return msk_error_at(err, obj_fname(f), 0, 0,
                            "[rise_fall] min_participants не меньше 1, iqr_factor больше 0, "
                            "back_share от 0 до 2");
    return 0;
}

/* The municipal mean share of the maximum of procedure p over its per-pupil cells. */
static double rf_municipal(const model *m, int32_t p)
{
    double sum = 0, n = 0, max = m->procs[p].max_primary;
    for (size_t i = 0; i < m->ncells; i++) {
        const model_cell *c = &m->cells[i];
        if (c->proc != p || isnan(c->mean_primary) || c->participants <= 0)
            continue;
        sum += c->mean_primary * c->participants;
        n += c->participants;
    }
    return n > 0 && max > 0 ? sum / n / max : NAN;
}

/* S of one cell minus the municipal share, or NAN when the cell is not usable. */
static double rf_s(const model *m, int32_t p, int32_t s, double muni, long min_participants)
{
    const model_cell *c = model_cell_of(m, p, s);
    double max = m->procs[p].max_primary;
    if (!c || c->participants < min_participants || isnan(c->mean_primary) || !(max > 0) ||
        isnan(muni))
        return NAN;
    return c->mean_primary / max - muni;
}

typedef struct rf_rec {
    int32_t school;
    double s[3], d1, d2, bump; /* s: share of max minus the municipal one, Y−2, Y−1, Y */
    double raw[3];             /* the school's own share of max */
} rf_rec;

/* "grade" is the cohort's grade in year Y (its procedure of the analysed year, as sign 3 does);
 * year_suspect names the middle year. */
static json_t *rf_sign(int year, long g, const char *subject, const rf_rec *r, double hi)
{
    char p0[32], p1[32], p2[32], a[32], b[32], h[32], l[32], text[1400];
    shnor_pct(r->raw[0], p0, sizeof p0);
    shnor_pct(r->raw[1], p1, sizeof p1);
    shnor_pct(r->raw[2], p2, sizeof p2);
    obj_num_ru(100 * r->d1, 1, a, sizeof a);
    obj_num_ru(100 * r->d2, 1, b, sizeof b);
    obj_num_ru(100 * r->bump, 1, h, sizeof h);
    obj_num_ru(100 * hi, 1, l, sizeof l);
    snprintf(text, sizeof text,
             "ВПР, %s: поток школы выполнил работу в %ld классе (%d) в среднем на %s %% от "
             "максимального балла, в %ld классе (%d) — на %s %%, в %ld классе (%d) — на %s %%. "
             "Относительно муниципалитета поток поднялся на %s п. п., а через год изменился на "
             "%s п. п.: результат %d года выше среднего из соседних лет на %s п. п. при границе "
             "%s п. п. по школам муниципалитета (Q3 + k·IQR). Подъём, который на следующий год "
             "не удержался, — признак возможного завышения результата %d года (Джейкоб и "
             "Левитт, 2003)",
             shnor_subject_ru(subject), g, year - 2, p0, g + 1, year - 1, p1, g + 2, year, p2, a, b,
             year - 1, h, l, year - 1);
    return json_pack("{s:s, s:s, s:s, s:i, s:f, s:f, s:s, s:f, s:f, s:f, s:f, s:f, s:f, s:i}",
                     "sign", "rise_fall", "kind", "VPR", "subject", subject, "grade", (int)g + 2,
                     "value", shnor_round4(r->bump), "threshold", shnor_round4(hi), "text", text,
                     "rise", shnor_round4(r->d1), "fall", shnor_round4(r->d2), "back_share",
                     shnor_round4(-r->d2 / r->d1), "s_first", shnor_round4(r->raw[0]), "s_middle",
                     shnor_round4(r->raw[1]), "s_last", shnor_round4(r->raw[2]), "year_suspect",
                     year - 1);
}

/* Q3 + k·IQR of x[0..n), n ≥ 4; sorts x. */
static double rf_fence(double *x, size_t n, double k)
{
    qsort(x, n, sizeof *x, obj_cmp_double);
    double q1 = obj_quantile(x, n, 0.25), q3 = obj_quantile(x, n, 0.75);
    return q3 + k * (q3 - q1);
}

/* One cohort (subject, first grade g): fills rec, returns how many schools have all three. */
static size_t rf_collect(const model *m, int year, const rf_cfg *c, const char *subj, long g,
                         rf_rec *rec)
{
    int32_t p[3];
    double muni[3];
    for (int k = 0; k < 3; k++) {
        p[k] = model_find_proc(m, year - 2 + k, "VPR", subj, (int)g + k);
        if (p[k] < 0)
            return 0;
        muni[k] = rf_municipal(m, p[k]);
    }
    size_t n = 0;
    for (size_t s = 0; s < m->nschools; s++) {
        rf_rec r = {.school = (int32_t)s};
        int ok = 1;
        for (int k = 0; k < 3 && ok; k++) {
            r.s[k] = rf_s(m, p[k], (int32_t)s, muni[k], c->min_participants);
            r.raw[k] = r.s[k] + muni[k];
            ok = !isnan(r.s[k]);
        }
        if (!ok)
            continue;
        r.d1 = r.s[1] - r.s[0];
        r.d2 = r.s[2] - r.s[1];
        r.bump = r.s[1] - (r.s[0] + r.s[2]) / 2;
        rec[n++] = r;
    }
    return n;
}

int obj_rise_fall(const model *m, int year, const meth_file *f, json_t *signs, msk_err *err)
{
    rf_cfg c;
    int rc = -1;
    rf_rec *rec = msk_malloc((m->nschools + 1) * sizeof *rec);
    double *x = msk_malloc((m->nschools + 1) * sizeof *x);
    if (rf_read_cfg(f, &c, err))
        goto out;
    for (size_t si = 0; si < c.nsubjects; si++) {
        for (size_t gi = 0; gi < c.ngrades; gi++) {
            size_t n = rf_collect(m, year, &c, c.subjects[si], c.grades[gi], rec);
            if (n < 4)
                continue; /* quartiles of fewer than 4 schools say nothing about the spread */
            for (size_t i = 0; i < n; i++)
                x[i] = rec[i].bump;
            double hi = rf_fence(x, n, c.iqr_factor);
            for (size_t i = 0; i < n; i++) {
                const rf_rec *r = &rec[i];
                if (!(r->bump > hi && r->d1 > 0 && r->d2 <= -c.back_share * r->d1))
                    continue;
                json_t *o = rf_sign(year, c.grades[gi], c.subjects[si], r, hi);
                if (obj_add_sign(signs, m->schools[r->school].code, o)) {
                    msk_error(err, "не хватает памяти");
                    goto out;
                }
            }
        }
    }
    rc = 0;
out:
    free(rec);
    free(x);
    return rc;
}
