/*
 * Demo roster: the pupils of one school, grade by grade, and how they move on. Each grade is a
 * cohort with its own effect that it keeps as it moves up a grade each year (so the grade-4 →
 * grade-5 cohort comparison of METHODS.md §2.3 is meaningful); pupils keep their code while
 * they stay, a few leave and a few arrive every year, grade 10 is formed from the school's own
 * grade-9 leavers who chose to continue plus newcomers.
 */
#include "demo/internal.h"

#include "base/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PUPIL_SD 0.75    /* spread of individual ability inside a cohort, logits */
#define COHORT_SD 0.12   /* spread of cohort effects inside a school */
#define LEAVE_RATE 0.03  /* pupils who move away each year */
#define ARRIVE_RATE 0.03 /* pupils who join a cohort each year */

void pupil_code(uint32_t code, char out[8])
{
    out[0] = 'p';
    for (int i = 5; i >= 1; i--) {
        out[i] = (char)('0' + code % 10);
        code /= 10;
    }
    out[6] = '\0';
}

static void cohort_push(cohort *co, const pupil *p)
{
    if (co->n == co->cap) {
        co->cap = co->cap ? co->cap * 2 : 64;
        co->p = msk_reallocarray(co->p, (size_t)co->cap, sizeof *co->p);
    }
    co->p[co->n++] = *p;
}

/* senior: a pupil of grade 10–11 who came from elsewhere (or was there before the first year)
 * is drawn from those who chose to continue after grade 9, a stronger group (see dest9 in
 * gen_year.c: the same selection, so every year's grade 11 looks alike). */
static void new_pupil(roster *ro, const school *sc, rng *r, int nclasses, int senior, pupil *p)
{
    double z = rng_normal(r);
    for (int k = 0; senior && k < 30; k++) {
        double th = sc->effect + PUPIL_SD * z;
        if (rng_unif(r) < 1 / (1 + exp(-1.4 * th)))
            break;
        z = rng_normal(r);
    }
    /* truncated at ±2.3 sd: nobody is hopeless by construction (METHODS.md §1 is then decided by
     * the school, not by one outlier in a class of five) */
    z = z < -2.3 ? -2.3 : z > 2.3 ? 2.3 : z;
    memset(p, 0, sizeof *p);
    p->code = ro->next_code++;
    p->ability = (float)(PUPIL_SD * z);
    p->math_bias = (float)(0.3 * rng_normal(r));
    p->cls = (uint8_t)rng_int(r, 0, nclasses - 1);
    p->favoured = (uint8_t)rng_chance(r, sc->favoured_share);
    /* ОВЗ: the contingent of an ordinary school stays under the 10 % risk line of
     * seed 002 §3.2 (section 3), so a school's own share is capped */
    int cap = sc->plant == PL_RISK && sc->risk_kind == RISK_CONTINGENT ? 1 << 30 : ro->ovz_cap;
    if (rng_chance(r, sc->p_ovz) && ro->ovz_now < cap) {
        p->ovz = 1;
        p->ability -= 0.4f;
        ro->ovz_now++;
    }
}

/* Pupils of a new grade (urban: parallel classes of size_lo..size_hi; rural: one class). */
static int grade_size(const school *sc, int g, rng *r, int *ncls)
{
    int k = 1, n = 0;
    if (!sc->rural) {
        k = sc->classes;
        if (g >= 10)
            k = sc->type == SCH_SOSH ? (k + 1) / 2 : k - 1;
        else if (rng_chance(r, 0.15))
            k += rng_chance(r, 0.5) ? 1 : -1;
        k = k < 1 ? 1 : k > 6 ? 6 : k;
        for (int i = 0; i < k; i++)
            n += rng_int(r, sc->size_lo, sc->size_hi);
    } else if (g >= 10) {
        n = rng_int(r, sc->size_lo / 2 > 2 ? sc->size_lo / 2 : 2, sc->size_hi * 2 / 3);
    } else {
        n = rng_int(r, sc->size_lo, sc->size_hi);
    }
    *ncls = k;
    return n;
}

static void fill_cohort(roster *ro, const school *sc, rng *r, cohort *co, int g)
{
    int k, n = grade_size(sc, g, r, &k);
    pupil p;
    co->n = 0;
    co->nclasses = k;
    co->effect = (float)(COHORT_SD * rng_normal(r));
    for (int i = 0; i < n; i++) {
        new_pupil(ro, sc, r, k, g >= 10, &p);
        p.cls = (uint8_t)(i * k / n); /* classes of about equal size */
        cohort_push(co, &p);
    }
}

int roster_total(const roster *ro)
{
    int n = 0;
    for (int g = 1; g <= 11; g++)
        n += ro->g[g].n;
    return n;
}

static int estimate_total(const school *sc)
{
    int per =
        sc->rural ? (sc->size_lo + sc->size_hi) / 2 : sc->classes * (sc->size_lo + sc->size_hi) / 2;
    return per * sc->top_grade;
}

void roster_start(demo_ctx *c, const school *sc, rng *r)
{
    roster *ro = &c->ros;
    ro->next_code = 1;
    ro->ovz_now = 0;
    ro->ovz_cap = (int)(0.045 * estimate_total(sc));
    ro->nprev = 0;
    for (int g = 1; g <= 11; g++) {
        ro->g[g].n = 0;
        if (g <= sc->top_grade)
            fill_cohort(ro, sc, r, &ro->g[g], g);
    }
    /* last year's graduates, for the past-year ЕГЭ takers of the first year */
    if (sc->top_grade == 11) {
        int k, n = grade_size(sc, 11, r, &k);
        if (n > ro->capprev) {
            ro->capprev = n;
            ro->prev = msk_reallocarray(ro->prev, (size_t)n, sizeof *ro->prev);
        }
        int ovz = ro->ovz_now; /* they are not on the roster */
        for (int i = 0; i < n; i++)
            new_pupil(ro, sc, r, k, 1, &ro->prev[i]);
        ro->ovz_now = ovz;
        ro->nprev = n;
    }
}

/* Pupils leave and arrive; abilities drift a little (pupils change over a year). */
static void churn(roster *ro, const school *sc, rng *r, cohort *co, int senior, int keep_size)
{
    int w = 0, left = 0;
    for (int i = 0; i < co->n; i++) {
        if (rng_chance(r, LEAVE_RATE)) {
            left++;
            if (co->p[i].ovz)
                ro->ovz_now--;
            continue;
        }
        co->p[w++] = co->p[i];
    }
    co->n = w;
    int arrive = 0;
    for (int i = 0; i < w; i++)
        arrive += rng_chance(r, ARRIVE_RATE);
    if (keep_size && arrive < left)
        arrive = left;
    for (int i = 0; i < arrive; i++) {
        pupil p;
        new_pupil(ro, sc, r, co->nclasses, senior, &p);
        cohort_push(co, &p);
    }
    for (int i = 0; i < co->n; i++) {
        pupil *p = &co->p[i];
        p->ability = (float)(p->ability * 0.985 + 0.12 * rng_normal(r));
        if (sc->weak_teaching) /* no random draw: the other schools' streams stay the same */
            p->ability -= (float)WEAK_TEACHING_DROP;
    }
    co->effect = (float)(co->effect + 0.03 * rng_normal(r));
}

void roster_advance(demo_ctx *c, const school *sc, rng *r, const unsigned char *to_grade10, int n9)
{
    roster *ro = &c->ros;
    int top = sc->top_grade;
    int keep = sc->plant == PL_LOW; /* planted low schools keep ≥ 20 participants */
    cohort free_co = ro->g[top];
    for (int i = 0; i < free_co.n; i++)
        if (free_co.p[i].ovz)
            ro->ovz_now--;
    if (top == 11) {
        /* grade 11 leaves: keep it as last year's graduates */
        if (free_co.n > ro->capprev) {
            ro->capprev = free_co.n;
            ro->prev = msk_reallocarray(ro->prev, (size_t)free_co.n, sizeof *ro->prev);
        }
        if (free_co.n)
            memcpy(ro->prev, free_co.p, sizeof *ro->prev * (size_t)free_co.n);
        ro->nprev = free_co.n;
        /* grade 10 → 11 */
        ro->g[11] = ro->g[10];
        churn(ro, sc, r, &ro->g[11], 1, 0);
        /* grade 9 → 10: the pupils who chose to continue here, then newcomers */
        cohort *g9 = &ro->g[9], *g10 = &free_co;
        int k, target = grade_size(sc, 10, r, &k), stay = 0;
        g10->n = 0;
        g10->nclasses = k;
        g10->effect = g9->effect;
        for (int i = 0; i < g9->n && i < n9 && stay < target; i++) {
            if (!to_grade10[i])
                continue;
            pupil p = g9->p[i];
            p.cls = (uint8_t)(stay % k);
            cohort_push(g10, &p);
            stay++;
        }
        for (int i = 0; i < g9->n; i++) /* the others leave the school */
            if (g9->p[i].ovz)
                ro->ovz_now--;
        for (int i = 0; i < g10->n; i++)
            if (g10->p[i].ovz)
                ro->ovz_now++;
        int add = stay < target ? (target - stay + 1) / 2 : 0;
        for (int i = 0; i < add; i++) {
            pupil p;
            new_pupil(ro, sc, r, k, 1, &p);
            p.cls = (uint8_t)((stay + i) % k);
            cohort_push(g10, &p);
        }
        ro->g[10] = *g10;
        free_co = ro->g[9];
        top = 9;
    }
    /* grades 1..top-1 move up; the storage of the leavers becomes the new grade 1 */
    for (int g = top; g >= 2; g--) {
        ro->g[g] = ro->g[g - 1];
        churn(ro, sc, r, &ro->g[g], 0, keep);
    }
    ro->g[1] = free_co;
    fill_cohort(ro, sc, r, &ro->g[1], 1);
    ro->ovz_cap = (int)(0.045 * roster_total(ro));
}

void roster_release(roster *ro)
{
    for (int g = 1; g <= 11; g++)
        free(ro->g[g].p);
    free(ro->prev);
    memset(ro, 0, sizeof *ro);
}
