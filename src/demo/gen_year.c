/*
 * Demo school-year: everything one school produces in one school year — context data, ВПР,
 * РКР/МКР aggregates, ОГЭ and ЕГЭ with retakes and past-year graduates, graduates' outcomes
 * with attestats and medals, and the olympiad entries. The planted cases (demo.c) act here:
 * low results through the school effect, inflation through journal marks, generous checking
 * and grade-4 results, risk through the context data, weak medalists through the medal rule.
 */
#include "demo/internal.h"

#include "base/mem.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define DAY_SD 0.30      /* a pupil's form on the day of one procedure */
#define RETAKE_GAIN 0.45 /* preparation between the main period and the retake */
#define MEDAL_J 0.9      /* journal level of a medal candidate (≈ top 15 % of grade 11) */
#define MAX_ATTEMPTS 400

/* ---- pupils' ability for a subject ---- */

static int bias_sign(int pi)
{
    const char *s = DEMO_PROCS[pi].subject;
    if (!strcmp(s, "math") || !strcmp(s, "math_base") || !strcmp(s, "math_prof") ||
        !strcmp(s, "phys") || !strcmp(s, "inf") || !strcmp(s, "chem"))
        return 1;
    if (!strcmp(s, "rus") || !strcmp(s, "hist") || !strcmp(s, "soc") || !strcmp(s, "lit") ||
        !strcmp(s, "eng"))
        return -1;
    return 0;
}

static double base_theta(const school *sc, const cohort *co, const pupil *p)
{
    return sc->effect + (co ? co->effect : 0) + p->ability;
}

/* The school's own mark: mostly 3–4, some 5, few 2. Teachers mark partly against their own
 * class, so the school part weighs less than in an external test; favoured pupils of a planted
 * inflated school get about one mark more than their work shows (METHODS.md §2, sign 2). */
static int journal_mark(const school *sc, const cohort *co, const pupil *p, double bias, rng *r)
{
    double t = 0.55 * (sc->effect + co->effect) + p->ability + bias + 0.5 * rng_normal(r) +
               (p->favoured ? 1.1 : 0.0);
    return t < -1.85 ? 2 : t < -0.1 ? 3 : t < 1.0 ? 4 : 5;
}

/* ---- one procedure at one school ---- */

typedef struct run {
    int pi, grade;      /* grade names the classes; 0 = no class (past-year graduates) */
    int n;              /* participants, in c->sc */
    int below, atleast; /* the share of "2" (or below minimum) must stay under / reach, % */
    double shift;       /* added to every ability: grade-4 inflation */
    int journal;        /* c->sc.journal holds journal marks */
    int retake_failed;  /* a retake row for every pupil who failed the main period */
    int past;           /* past-year graduates */
    double generous;    /* probability of raising a work just below a cut-off */
    int fails, present; /* out: main period */
} run;

static int satisfied(const run *rn, int fails, int present)
{
    if (!present)
        return 1;
    if (rn->below && fails * 100 >= rn->below * present)
        return 0;
    if (rn->atleast && fails * 100 < rn->atleast * present)
        return 0;
    return 1;
}

/* Generous checking (seed 000 §V): a work one or two points short of mark 3 or 4 gets the
 * missing points on tasks the pupil attempted — the spike at the lowest score of a mark that
 * the bunching estimator of METHODS.md §2.4 looks for. */
static int nudge(const proc_rt *p, int primary, unsigned char *t, double prob, rng *r)
{
    int cut = primary < p->cut3 ? p->cut3 : primary < p->cut4 ? p->cut4 : 0;
    if (!cut || cut - primary > 2 || !rng_chance(r, prob))
        return primary;
    int need = cut - primary, start = rng_int(r, 0, p->ntasks - 1);
    for (int k = 0; k < p->ntasks && need > 0; k++) {
        int i = (start + k) % p->ntasks;
        if (t[i] == STORE_TASK_X || t[i] >= p->tmax[i])
            continue;
        int add = p->tmax[i] - t[i] < need ? p->tmax[i] - t[i] : need;
        t[i] = (unsigned char)(t[i] + add);
        need -= add;
        primary += add;
    }
    return primary;
}

/* One result row: pupil i of the scratch with the given outcome (a retake passes its own). */
typedef struct outcome {
    int primary, mark, test;
    const unsigned char *tasks;
} outcome;

static int put_row(demo_ctx *c, const school *sc, const run *rn, const proc_rt *p, int i,
                   int retake, const outcome *out)
{
    const scratch *s = &c->sc;
    const pupil *who = s->who[i];
    const proc_spec *ps = &DEMO_PROCS[rn->pi];
    char code[8];
    int present = s->present[i];
    pupil_code(who->code, code);
    store_result res = {0};
    res.procedure_id = p->id;
    res.school_id = sc->id;
    res.class_name = rn->grade ? c->class_names[rn->grade][who->cls] : "";
    res.pupil_code = code;
    res.variant = present && ps->kind[0] != 'E' ? (i % 2) + 1 : STORE_NONE;
    int scored = ps->form == PF_TASKS || ps->form == PF_MARK;
    res.primary_score = present && scored ? (double)out->primary : NAN;
    res.mark = present && ps->form != PF_TEST ? out->mark : STORE_NONE;
    res.test_score = present && ps->form == PF_TEST ? out->test : STORE_NONE;
    res.journal_mark = rn->journal ? s->journal[i] : STORE_NONE;
    res.retake = retake;
    res.past_graduate = rn->past;
    res.ovz = who->ovz;
    res.absent = !present;
    if (present && ps->form == PF_TASKS) {
        res.tasks = out->tasks;
        res.ntasks = (size_t)p->ntasks;
    }
    if (store_result_add(c->s, &res, c->err))
        return -1;
    c->sum->results++;
    return 0;
}

/* Score everyone once; redraw the day (never the pupils) until the constraint holds. The
 * constraints keep the ground truth exact: an ordinary school never reaches the ШНОР line of
 * seed 002 §2.1, a planted one always does. After 25 draws the day drifts a little towards the
 * constraint, so the loop always ends. */
static void draw(demo_ctx *c, const proc_rt *p, run *rn, rng *r)
{
    scratch *s = &c->sc;
    const proc_spec *ps = &DEMO_PROCS[rn->pi];
    for (int att = 0;; att++) {
        double push = att > 25 ? (att - 25) * 0.05 : 0;
        int fails = 0, present = 0;
        if (rn->atleast)
            push = -push;
        for (int i = 0; i < rn->n; i++) {
            if (!s->present[i])
                continue;
            present++;
            double th = s->theta[i] + rn->shift + push;
            if (ps->form == PF_TEST) {
                s->test[i] = ege_test_score(ps, th, r);
                fails += s->test[i] < p->min_test;
                continue;
            }
            unsigned char *t = s->tasks + (size_t)i * MAX_TASKS;
            int pr = score_pupil(c, p, th + DAY_SD * rng_normal(r), r, t);
            if (rn->generous > 0)
                pr = nudge(p, pr, t, rn->generous, r);
            s->primary[i] = pr;
            s->mark[i] = mark_of(p, pr);
            fails += s->mark[i] == 2;
        }
        rn->fails = fails;
        rn->present = present;
        if (satisfied(rn, fails, present) || att >= MAX_ATTEMPTS)
            return;
    }
}

/* Copied works (issue 16 item 4, objectivity sign 7): in a planted inflated school two of
 * every three pupils whose work totals the same as an earlier pupil's hand in that pupil's work
 * task for task — answers passed round, or works filled in by whoever checks them. Totals and
 * marks stay as drawn and no random number is drawn, so the rest of the demo is unchanged. */
static void copy_works(demo_ctx *c, const proc_rt *p, const run *rn)
{
    scratch *s = &c->sc;
    for (int i = 1; i < rn->n; i++) {
        if (!s->present[i] || i % 3 == 0)
            continue;
        for (int j = 0; j < i; j++)
            if (s->present[j] && s->primary[j] == s->primary[i]) {
                memcpy(s->tasks + (size_t)i * MAX_TASKS, s->tasks + (size_t)j * MAX_TASKS,
                       (size_t)p->ntasks);
                break;
            }
    }
}

static int run_proc(demo_ctx *c, const school *sc, int year, run *rn, rng *r)
{
    proc_rt *p;
    scratch *s = &c->sc;
    const proc_spec *ps = &DEMO_PROCS[rn->pi];
    if (!rn->n)
        return 0;
    if (proc_get(c, year, rn->pi, &p))
        return -1;
    draw(c, p, rn, r);
    if (rn->generous > 0 && ps->form == PF_TASKS)
        copy_works(c, p, rn);
    for (int i = 0; i < rn->n; i++) {
        outcome o = {s->primary[i], s->mark[i], s->test[i], s->tasks + (size_t)i * MAX_TASKS};
        if (put_row(c, sc, rn, p, i, 0, &o))
            return -1;
        int failed = ps->form == PF_TEST ? s->test[i] < p->min_test : s->mark[i] == 2;
        s->pass[i] = s->present[i] && !failed;
    }
    if (!rn->retake_failed)
        return 0;
    /* The reserve day: one more try for those who failed (excluded from ШНОР, seed 002 §2.1).
     * The scratch keeps the main-period outcome, which is what medals and ШНОР look at. */
    for (int i = 0; i < rn->n; i++) {
        if (!s->present[i] || s->pass[i])
            continue;
        unsigned char t[MAX_TASKS];
        double th = s->theta[i] + rn->shift + RETAKE_GAIN;
        outcome o = {0, 0, 0, t};
        if (ps->form == PF_TEST) {
            o.test = ege_test_score(ps, th, r);
            s->pass[i] = o.test >= p->min_test;
        } else {
            o.primary = score_pupil(c, p, th + DAY_SD * rng_normal(r), r, t);
            o.mark = mark_of(p, o.primary);
            s->pass[i] = o.mark >= 3;
        }
        if (put_row(c, sc, rn, p, i, 1, &o))
            return -1;
    }
    return 0;
}

/* Fill the scratch with a cohort, or the pupils of it whose choice has bit `bit` (want = 1) or
 * has not (want = 0). */
static int take_sel(demo_ctx *c, const school *sc, const cohort *co, int pi, const uint32_t *choice,
                    int bit, int want, double absent_p, rng *r)
{
    scratch *s = &c->sc;
    int sign = bias_sign(pi), n = 0;
    scratch_reserve(s, co->n);
    for (int i = 0; i < co->n; i++) {
        const pupil *p = &co->p[i];
        if (choice && (int)(choice[i] >> bit & 1) != want)
            continue;
        s->who[n] = p;
        s->idx[n] = i;
        s->theta[n] = base_theta(sc, co, p) + (double)sign * p->math_bias;
        s->present[n] = !(absent_p > 0 && rng_chance(r, absent_p));
        n++;
    }
    return n;
}

static int take(demo_ctx *c, const school *sc, const cohort *co, int pi, const uint32_t *choice,
                int bit, double absent_p, rng *r)
{
    return take_sel(c, sc, co, pi, choice, bit, 1, absent_p, r);
}

/* ---- context data (seed 002 §3.2) ---- */

static int put_value(demo_ctx *c, const school *sc, const char *el, const char *period, double v)
{
    if (store_value_put(c->s, el, sc->id, period, v, NULL, 0, c->err))
        return -1;
    c->sum->values++;
    return 0;
}

static int context(demo_ctx *c, const school *sc, int year, rng *r)
{
    static const char *const MATERIAL[] = {"internet", "computers", "lab_phys", "lab_chem",
                                           "lab_bio",  "lab_geo",   "lab_tech"};
    const roster *ro = &c->ros;
    char period[8];
    int total = 0, ovz = 0, failing = 0;
    snprintf(period, sizeof period, "%d", year);
    for (int g = 1; g <= 11; g++) {
        const cohort *co = &ro->g[g];
        for (int i = 0; i < co->n; i++) {
            total++;
            ovz += co->p[i].ovz;
            failing += base_theta(sc, co, &co->p[i]) < -2.0;
        }
    }
    int risk = sc->plant == PL_RISK ? sc->risk_kind : -1;
    for (int k = 0; k < 7; k++) {
        int ok = 1;
        if (risk == RISK_MATERIAL && sc->material_gap == 1 && k == 0)
            ok = 0; /* no stable internet */
        if (risk == RISK_MATERIAL && sc->material_gap == 2 && (k == 2 || k == 3))
            ok = 0; /* no laboratory equipment in physics and chemistry */
        if (put_value(c, sc, MATERIAL[k], period, ok))
            return -1;
    }
    /* staff: about one teacher per 12 pupils, a minimum for the levels taught */
    int tmin = sc->top_grade == 11 ? 10 : sc->top_grade == 9 ? 8 : 3;
    int teachers = (int)lround(total / 12.0 * (0.9 + 0.2 * rng_unif(r)));
    teachers = teachers < tmin ? tmin : teachers;
    int t36 = (int)(teachers * 0.095 * rng_unif(r)); /* under the 10 % line */
    int unq = 0;
    if (risk == RISK_STAFF) {
        t36 = (int)lround(teachers * (0.15 + 0.1 * rng_unif(r)));
        if (t36 * 10 <= teachers)
            t36 = teachers / 10 + 1;
        unq = rng_int(r, 1, 2);
    }
    /* contingent: registered, ОВЗ, инофоны, absentees; ordinary schools stay under 10 % */
    int reg = (int)(total * sc->r_reg), ino = (int)(total * sc->r_ino),
        abs_ = (int)(total * sc->r_abs);
    if (risk == RISK_CONTINGENT) {
        int target = (int)ceil(total * (0.12 + 0.05 * rng_unif(r)));
        int other = target - ovz > 0 ? target - ovz : 0;
        double w = sc->r_reg + sc->r_ino + sc->r_abs;
        reg = (int)lround(other * sc->r_reg / w);
        ino = (int)lround(other * sc->r_ino / w);
        abs_ = other - reg - ino > 0 ? other - reg - ino : 0;
        while (reg + ino + abs_ + ovz <= total / 10) /* strictly above 10 % */
            reg++;
    } else {
        int budget = (int)(total * 0.095) - ovz;
        while (reg + ino + abs_ > (budget > 0 ? budget : 0)) {
            if (reg >= ino && reg >= abs_)
                reg--;
            else if (ino >= abs_)
                ino--;
            else
                abs_--;
        }
    }
    /* failing pupils: seed 002 §3.2 item 4.5 (over 10 %) is left to the planted low schools */
    int fcap = (int)(total * 0.09);
    if (!demo_low_in(sc, year) && failing > fcap)
        failing = fcap;
    if (put_value(c, sc, "teachers_total", period, teachers) ||
        put_value(c, sc, "teachers_36h", period, t36) ||
        put_value(c, sc, "teachers_unqualified", period, unq) ||
        put_value(c, sc, "pupils_total", period, total) ||
        put_value(c, sc, "pupils_registered", period, reg) ||
        put_value(c, sc, "pupils_ovz", period, ovz) ||
        put_value(c, sc, "pupils_inofon", period, ino) ||
        put_value(c, sc, "pupils_absentee", period, abs_) ||
        put_value(c, sc, "pupils_failing", period, failing))
        return -1;
    return 0;
}

/* ---- ВПР, РКР, МКР ---- */

static int vpr(demo_ctx *c, const school *sc, int year, rng *r)
{
    static const int BY_GRADE[9][4] = {
        [4] = {P_VPR_MATH4, P_VPR_RUS4, P_VPR_OKR4, -1},
        [5] = {P_VPR_MATH5, P_VPR_RUS5, P_VPR_BIO5, P_VPR_HIST5},
        [6] = {P_VPR_MATH6, P_VPR_RUS6, -1, -1},
        [7] = {P_VPR_MATH7, P_VPR_RUS7, -1, -1},
        [8] = {P_VPR_MATH8, P_VPR_RUS8, -1, -1},
    };
    double absent_p = 0.03 + 0.03 * rng_unif(r);
    int low = demo_low_in(sc, year), high20 = 0;
    for (int g = 4; g <= 8 && g <= sc->top_grade; g++) {
        const cohort *co = &c->ros.g[g];
        for (int k = 0; k < 4 && BY_GRADE[g][k] >= 0; k++) {
            int pi = BY_GRADE[g][k];
            run rn = {.pi = pi, .grade = g, .journal = 1};
            int sign = bias_sign(pi);
            rn.n = take(c, sc, co, pi, NULL, 0, absent_p, r);
            for (int i = 0; i < rn.n; i++)
                c->sc.journal[i] =
                    journal_mark(sc, co, c->sc.who[i], (double)sign * c->sc.who[i]->math_bias, r);
            int shnor =
                pi == P_VPR_MATH5 || pi == P_VPR_MATH6 || pi == P_VPR_RUS5 || pi == P_VPR_RUS6;
            int item4 =
                pi == P_VPR_MATH4 || pi == P_VPR_MATH8 || pi == P_VPR_RUS4 || pi == P_VPR_RUS8;
            if (low) {
                /* seed 002 §2.1 rule A every year: two low procedures */
                if (pi == P_VPR_MATH5 || pi == P_VPR_RUS5)
                    rn.atleast = 30;
            } else if (shnor) {
                rn.below = 30;
            } else if (item4 && high20) {
                /* seed 002 §3.2 item 4: ≥ 20 % of "2" in two of 4.1–4.4 makes a risk school */
                rn.below = 20;
            }
            if (sc->plant == PL_INFLATED) {
                rn.generous = sc->generous;
                if (g == 4)
                    rn.shift = sc->inflate4;
            }
            if (run_proc(c, sc, year, &rn, r))
                return -1;
            if (item4 && rn.present && rn.fails * 100 >= 20 * rn.present)
                high20++;
        }
    }
    return 0;
}

/* inverse of the normal distribution function, by bisection (two calls a school-year) */
static double normal_quantile(double q)
{
    double lo = -8, hi = 8;
    for (int i = 0; i < 60; i++) {
        double mid = (lo + hi) / 2;
        if (0.5 * erfc(-mid / sqrt(2.0)) < q)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

/* РКР and МКР arrive as counts per school («Статистика по отметкам»): participants, 2..5. */
static int aggregate(demo_ctx *c, const school *sc, int year, int pi, rng *r)
{
    const proc_spec *ps = &DEMO_PROCS[pi];
    if (ps->grade > sc->top_grade)
        return 0;
    const cohort *co = &c->ros.g[ps->grade];
    int n = take(c, sc, co, pi, NULL, 0, 0.04, r), cnt[6] = {0}, present = 0;
    /* cut points on the ability scale: "2" for the calibrated share, then about 40 % "3",
     * 35 % "4" and 13 % "5" over the municipality */
    double z2 = 0.95 * normal_quantile(ps->target2), z4 = 0.95 * 0.05, z5 = 0.95 * 1.13;
    for (int i = 0; i < n; i++) {
        if (!c->sc.present[i])
            continue;
        double th = c->sc.theta[i] + DAY_SD * rng_normal(r);
        cnt[th < z2 ? 2 : th < z4 ? 3 : th < z5 ? 4 : 5]++;
        present++;
    }
    if (!present)
        return 0;
    proc_rt *p;
    if (proc_get(c, year, pi, &p))
        return -1;
    store_aggregate a = {p->id, sc->id, 0, present, cnt[2], cnt[3], cnt[4], cnt[5], STORE_NONE};
    if (store_aggregate_put(c->s, &a, c->err))
        return -1;
    c->sum->aggregates++;
    return 0;
}

/* ---- ГИА-9 ---- */

static void reserve_ctx(demo_ctx *c, int n)
{
    if (n <= c->choice_cap)
        return;
    c->choice_cap = n * 2;
    c->choice = msk_reallocarray(c->choice, (size_t)c->choice_cap, sizeof *c->choice);
    c->o9 = msk_reallocarray(c->o9, (size_t)c->choice_cap, 1);
    c->ege = msk_reallocarray(c->ege, (size_t)c->choice_cap, sizeof *c->ege);
}

/* Pick k distinct subjects (bits) by weight; stronger pupils lean to the sciences. */
static uint32_t choose(const double *w0, const double *lean, int nsub, int k, double th, rng *r)
{
    double w[16], total = 0;
    uint32_t bits = 0;
    for (int s = 0; s < nsub; s++) {
        w[s] = w0[s] * exp(lean[s] * th);
        total += w[s];
    }
    for (int j = 0; j < k && total > 0; j++) {
        double u = rng_unif(r) * total;
        int s = 0;
        while (s < nsub - 1 && (u >= w[s] || w[s] == 0)) {
            u -= w[s];
            s++;
        }
        bits |= 1u << s;
        total -= w[s];
        w[s] = 0;
    }
    return bits;
}

static const char *dest9(double th, int attestat, rng *r)
{
    if (!attestat)
        return rng_chance(r, 0.8) ? "none" : "work";
    double u = rng_unif(r);
    if (u < 1 / (1 + exp(-1.4 * th)) * 0.98)
        return "grade10";
    return rng_chance(r, 0.95) ? "spo" : rng_chance(r, 0.5) ? "work" : "none";
}

static int put_graduate(demo_ctx *c, const school *sc, int year, int grade, const pupil *p,
                        int attestat, int medal, const char *dest)
{
    char code[8];
    pupil_code(p->code, code);
    store_graduate g = {year, grade, attestat, medal, sc->id, 0, code, dest};
    if (store_graduate_add(c->s, &g, c->err))
        return -1;
    c->sum->graduates++;
    return 0;
}

static int gia9(demo_ctx *c, const school *sc, int year, rng *r)
{
    /* phys chem bio inf soc geo eng hist: popularity and lean to stronger pupils */
    enum { NE = P_OGE_LAST_ELECTIVE - P_OGE_FIRST_ELECTIVE + 1 };
    static const double W[NE] = {0.10, 0.12, 0.25, 0.35, 0.60, 0.30, 0.15, 0.05};
    static const double LEAN[NE] = {0.6, 0.6, 0.1, 0.5, -0.2, -0.2, 0.5, 0.1};
    const cohort *co = &c->ros.g[9];
    int n = co->n, normal = !demo_low_in(sc, year);
    c->n9 = 0;
    if (sc->top_grade < 9 || !n)
        return 0;
    reserve_ctx(c, n);
    for (int i = 0; i < n; i++) {
        c->choice[i] = choose(W, LEAN, NE, 2, base_theta(sc, co, &co->p[i]), r);
        c->o9[i] = 0;
    }
    static const int MAIN[2] = {P_OGE_RUS, P_OGE_MATH};
    for (int k = 0; k < 2; k++) {
        run rn = {.pi = MAIN[k], .grade = 9, .retake_failed = 1, .below = normal ? 30 : 0};
        rn.n = take(c, sc, co, rn.pi, NULL, 0, 0, r);
        if (run_proc(c, sc, year, &rn, r))
            return -1;
        for (int i = 0; i < rn.n; i++)
            if (c->sc.pass[i])
                c->o9[c->sc.idx[i]] |= (unsigned char)(1u << k);
    }
    for (int e = 0; e < NE; e++) {
        run rn = {.pi = P_OGE_FIRST_ELECTIVE + e, .grade = 9};
        rn.n = take(c, sc, co, rn.pi, c->choice, e, 0, r);
        if (run_proc(c, sc, year, &rn, r))
            return -1;
    }
    for (int i = 0; i < n; i++) {
        int attestat = (c->o9[i] & 3) == 3;
        const char *d = dest9(base_theta(sc, co, &co->p[i]), attestat, r);
        /* most who continue stay in their own school when it has grades 10–11 */
        if (!strcmp(d, "grade10") && sc->top_grade == 11 && rng_chance(r, 0.9))
            c->o9[i] |= 4;
        /* seed 003 п. 1.8: the attestat with honours (the «Медаль» column of grade 9) — the
         * strongest pupils, about 5 %; no draw, so the rest of the year stays as it was */
        int honours = attestat && base_theta(sc, co, &co->p[i]) > 1.6;
        if (put_graduate(c, sc, year, 9, &co->p[i], attestat, honours, d))
            return -1;
    }
    for (int i = 0; i < n; i++)
        c->o9[i] = (unsigned char)(c->o9[i] >> 2 & 1); /* to grade 10 of this school */
    c->n9 = n;
    return 0;
}

/* ---- ГИА-11 ---- */

static void note_tests(demo_ctx *c, int n)
{
    for (int i = 0; i < n; i++) {
        ege_rec *e = &c->ege[c->sc.idx[i]];
        if (c->sc.test[i] < e->min_test)
            e->min_test = c->sc.test[i];
    }
}

static int past_graduates(demo_ctx *c, const school *sc, int year, rng *r)
{
    /* a few of last year's leavers sit ЕГЭ again to enter a university (excluded from ШНОР) */
    static const int PI[4] = {P_EGE_PROF, P_EGE_RUS, P_EGE_SOC, P_EGE_CHEM};
    static const double P[4] = {0.025, 0.01, 0.012, 0.006};
    const roster *ro = &c->ros;
    scratch *s = &c->sc;
    scratch_reserve(s, ro->nprev);
    for (int k = 0; k < 4; k++) {
        run rn = {.pi = PI[k], .grade = 0, .past = 1};
        int sign = bias_sign(PI[k]);
        for (int i = 0; i < ro->nprev; i++) {
            if (!rng_chance(r, P[k]))
                continue;
            s->who[rn.n] = &ro->prev[i];
            s->idx[rn.n] = i;
            s->theta[rn.n] =
                sc->effect + ro->prev[i].ability + 0.2 + (double)sign * ro->prev[i].math_bias;
            s->present[rn.n] = 1;
            rn.n++;
        }
        if (run_proc(c, sc, year, &rn, r))
            return -1;
    }
    return 0;
}

static const char *dest11(double th, int attestat, rng *r)
{
    if (!attestat)
        return rng_chance(r, 0.7) ? "none" : "work";
    if (rng_unif(r) < 1 / (1 + exp(-1.3 * th - 0.9)))
        return "vo";
    double u = rng_unif(r);
    return u < 0.75 ? "spo" : u < 0.93 ? "work" : "none";
}

static int gia11(demo_ctx *c, const school *sc, int year, rng *r)
{
    /* phys chem bio inf hist soc geo lit eng */
    enum { NE = P_EGE_LAST_ELECTIVE - P_EGE_FIRST_ELECTIVE + 1 };
    static const double W[NE] = {0.17, 0.12, 0.18, 0.18, 0.14, 0.45, 0.03, 0.06, 0.10};
    static const double LEAN[NE] = {0.6, 0.5, 0.1, 0.6, 0.0, -0.3, -0.2, 0.2, 0.5};
    const cohort *co = &c->ros.g[11];
    int n = co->n, normal = !demo_low_in(sc, year);
    if (sc->top_grade < 11)
        return 0;
    if (past_graduates(c, sc, year, r))
        return -1;
    if (!n)
        return 0;
    reserve_ctx(c, n);
    for (int i = 0; i < n; i++) {
        const pupil *p = &co->p[i];
        double th = base_theta(sc, co, p);
        double u = rng_unif(r);
        int k = u < 0.2 ? 3 : u < 0.6 ? 2 : 1;
        c->choice[i] = choose(W, LEAN, NE, k, th, r);
        /* profile mathematics for the stronger half, base for the rest */
        if (th + p->math_bias + 0.6 * rng_normal(r) > 0.25)
            c->choice[i] |= 1u << (NE + 1);
        else
            c->choice[i] |= 1u << NE;
        c->ege[i] = (ege_rec){101, 0, 0, 0};
    }
    run rn = {.pi = P_EGE_RUS, .grade = 11, .retake_failed = 1, .below = normal ? 30 : 0};
    rn.n = take(c, sc, co, rn.pi, NULL, 0, 0, r);
    if (run_proc(c, sc, year, &rn, r))
        return -1;
    for (int i = 0; i < rn.n; i++)
        c->ege[c->sc.idx[i]].pass_rus = c->sc.pass[i];
    note_tests(c, rn.n);
    static const int MATH[2] = {P_EGE_BASE, P_EGE_PROF};
    for (int k = 0; k < 2; k++) {
        run rm = {.pi = MATH[k], .grade = 11, .retake_failed = 1, .below = normal ? 30 : 0};
        rm.n = take(c, sc, co, rm.pi, c->choice, NE + k, 0, r);
        if (run_proc(c, sc, year, &rm, r))
            return -1;
        for (int i = 0; i < rm.n; i++) {
            ege_rec *e = &c->ege[c->sc.idx[i]];
            e->pass_math = c->sc.pass[i];
            if (k == 0)
                e->base_mark = c->sc.mark[i];
        }
        if (k == 1)
            note_tests(c, rm.n);
    }
    for (int e = 0; e < NE; e++) {
        run re = {.pi = P_EGE_FIRST_ELECTIVE + e, .grade = 11};
        re.n = take(c, sc, co, re.pi, c->choice, e, 0, r);
        if (run_proc(c, sc, year, &re, r))
            return -1;
        note_tests(c, re.n);
    }
    /* Medals «За особые успехи в учении» go by the school's marks. An ordinary school's
     * medalists also score ≥ 70 in every ЕГЭ they sit (seed 000 table 1, METHODS.md §2.5); a
     * planted weak-medalist school lets about half of its candidates short of 70 keep the
     * medal, and at least one of its medalists each year scores below 70 somewhere. */
    int weak = sc->plant == PL_WEAK_MEDAL, nweak = 0, best = -1, near = 0;
    double best_j = -1e9;
    for (int i = 0; i < n; i++) {
        const pupil *p = &co->p[i];
        const ege_rec *e = &c->ege[i];
        int attestat = e->pass_rus && e->pass_math;
        double j = 0.55 * (sc->effect + co->effect) + p->ability + 0.3 * rng_normal(r) +
                   (p->favoured ? 0.8 : 0.0);
        int below70 = e->min_test < 70;
        int strong = !below70 && (e->base_mark == 0 || e->base_mark == 5);
        int medal = attestat && j > MEDAL_J && (strong || (weak && rng_chance(r, 0.5)));
        c->sc.mark[i] = medal; /* reuse the scratch: medal flags */
        nweak += medal && below70;
        /* the fallback weak medalist: the best pupil short of 70, preferably not far short */
        int is_near = e->min_test >= 50;
        if (weak && attestat && below70 && !medal &&
            (is_near > near || (is_near == near && j > best_j))) {
            best_j = j;
            best = i;
            near = is_near;
        }
    }
    if (weak && !nweak && best >= 0)
        c->sc.mark[best] = 1;
    for (int i = 0; i < n; i++) {
        const ege_rec *e = &c->ege[i];
        int attestat = e->pass_rus && e->pass_math;
        const char *d = dest11(base_theta(sc, co, &co->p[i]), attestat, r);
        if (put_graduate(c, sc, year, 11, &co->p[i], attestat, c->sc.mark[i], d))
            return -1;
    }
    return 0;
}

/* ---- grades 10–11, сочинение, собеседование (issue 15) ---- */

/* Итоговое сочинение (изложение) of the 11th grade and итоговое собеседование of the 9th, as the
 * «Результаты» template stores them: one row a pupil, «зачёт» as mark 5 and «незачёт» as 2
 * (store.h STORE_PASS_MARK). «Незачёт» goes to the weakest on the day: about 2 % of the
 * сочинения and 1.5 % of the собеседования, more in a weak school. Both admit to ГИА (seed 003
 * п. 2.1, 1.5, 1.6) and every demo pupil sits ГИА, so each «незачёт» is followed by a reserve-day
 * row with «зачёт» (retake: the indicators read the main period). */
static int pass_fail(demo_ctx *c, const school *sc, int year, int pi, rng *r)
{
    const proc_spec *ps = &DEMO_PROCS[pi];
    if (ps->grade > sc->top_grade)
        return 0;
    scratch *s = &c->sc;
    run rn = {.pi = pi, .grade = ps->grade};
    rn.n = take(c, sc, &c->ros.g[ps->grade], pi, NULL, 0, 0, r);
    if (!rn.n)
        return 0;
    proc_rt *p;
    if (proc_get(c, year, pi, &p))
        return -1;
    double z = ps->mean + 0.95 * normal_quantile(ps->target2);
    for (int i = 0; i < rn.n; i++) {
        s->mark[i] = s->theta[i] + DAY_SD * rng_normal(r) < z ? STORE_FAIL_MARK : STORE_PASS_MARK;
        outcome o = {0, s->mark[i], 0, NULL};
        if (put_row(c, sc, &rn, p, i, 0, &o))
            return -1;
    }
    for (int i = 0; i < rn.n; i++) {
        outcome o = {0, STORE_PASS_MARK, 0, NULL};
        if (s->mark[i] == STORE_FAIL_MARK && put_row(c, sc, &rn, p, i, 1, &o))
            return -1;
    }
    return 0;
}

/* ВПР 11 (seed 000 таблица 1 п. 1, the level of среднее общее): written by decision of the
 * school, most schools with an 11th grade take part, in two subjects of history, biology,
 * geography, physics and chemistry a year; a pupil writes the subject only when they do not sit
 * it at ЕГЭ, as the ВПР schedule has it. No journal marks and no planted inflation: the planted
 * cases stay in grades 4–9 as demo.c describes them. */
static int vpr11(demo_ctx *c, const school *sc, int year, rng *r)
{
    /* the ЕГЭ elective bit of each subject (gia11: phys chem bio inf hist soc geo lit eng) */
    static const int EGE_BIT[P_VPR11_LAST - P_VPR11_FIRST + 1] = {4, 2, 6, 0, 1};
    enum { NS = P_VPR11_LAST - P_VPR11_FIRST + 1 };
    const cohort *co = &c->ros.g[11];
    if (sc->top_grade < 11 || !co->n || !rng_chance(r, 0.85))
        return 0;
    int first = rng_int(r, 0, NS - 1), second = (first + rng_int(r, 1, NS - 1)) % NS;
    double absent_p = 0.03 + 0.03 * rng_unif(r);
    for (int k = 0; k < NS; k++) {
        if (k != first && k != second)
            continue;
        run rn = {.pi = P_VPR11_FIRST + k, .grade = 11};
        rn.n = take_sel(c, sc, co, rn.pi, c->choice, EGE_BIT[k], 0, absent_p, r);
        if (run_proc(c, sc, year, &rn, r))
            return -1;
    }
    return 0;
}

/* Drawn from a stream of their own (the school's seed and the year), so the rest of the demo —
 * results, olympiads, the planted cases — is exactly what it was before these procedures. */
static int senior_year(demo_ctx *c, const school *sc, int year)
{
    rng r;
    rng_seed(&r, sc->seed ^ 0x5E1104AEULL ^ ((uint64_t)year << 40));
    if (pass_fail(c, sc, year, P_INTERVIEW, &r) || pass_fail(c, sc, year, P_ESSAY, &r) ||
        vpr11(c, sc, year, &r) || aggregate(c, sc, year, P_RKR_MATH10, &r) ||
        aggregate(c, sc, year, P_MKR_RUS11, &r))
        return -1;
    return 0;
}

int school_year(demo_ctx *c, int si, int year, rng *r)
{
    const school *sc = &c->schools[si];
    if (context(c, sc, year, r) || vpr(c, sc, year, r) || aggregate(c, sc, year, P_RKR_MATH7, r) ||
        aggregate(c, sc, year, P_MKR_RUS6, r) || gia9(c, sc, year, r) || gia11(c, sc, year, r) ||
        senior_year(c, sc, year) || contest_year(c, sc, year))
        return -1;
    oly_collect(c, si, year, sc, r);
    return 0;
}
