/*
 * The demo municipality: a generated, deterministic set of schools with every kind of data
 * msoko analyses, and planted cases recorded in demo_truth so that the methods can be scored.
 *
 * The generative model (all randomness from xoshiro256** streams seeded from opts->seed: one
 * for the municipality, one per school, so the same options always give the same database):
 *  - Schools follow a typical town-and-district mix (per 30: 2 gymnasia, 2 lyceums, 14 urban
 *    СОШ, 8 small rural СОШ, 3 ООШ, 1 НОШ). Urban grades have 1–4 parallel classes of 20–30,
 *    rural grades 3–15 pupils, so small-sample procedures exist.
 *  - Ability lives on a logit scale: school effect (gymnasia and lyceums higher, rural lower,
 *    drifting slowly from year to year) + cohort effect (kept as the cohort moves up a grade)
 *    + the pupil's own ability (drifting a little each year) + a subject profile + the day.
 *  - ВПР and ОГЭ works are scored task by task by a logistic item response model whose
 *    difficulty is calibrated per procedure to a realistic municipal share of "2"; marks come
 *    from the scale in the store. ЕГЭ test scores are linear in ability (Russian ≈ 68 ± 14).
 *  - Pupils keep their code ("p" + 5 digits, unique in the school) while they stay; a few
 *    leave and arrive each year; grade 10 is made of the school's own grade-9 leavers who chose
 *    to continue, plus newcomers. Retakes, past-year graduates, absences, ОВЗ are all present.
 *
 * The planted cases, each about 10 % of the schools, disjoint:
 *  - low_results (seed 002 §2.1): ordinary СОШ with ≥ 22 pupils a grade and a school effect
 *    about one logit below the mean; ВПР mathematics 5 and Russian 5 are held at ≥ 30 % of "2"
 *    every year, so rule A (two low procedures in a year) holds each year, and usually more
 *    procedures are low by themselves.
 *  - inflated (seed 000 §V, METHODS.md §2): part of every class gets journal marks a mark
 *    above its work; ВПР works one or two points below the cut-off of "3" or "4" are raised to
 *    it with some probability (generous checking: the spike at a mark's lowest score); grade-4
 *    ВПР results are lifted, so the cohort falls from grade 4 to 5. Strengths vary by school
 *    and no sign is pushed to the extreme: a detector has to find them as in real data.
 *  - risk (seed 002 §3.2): one of three profiles — a gap in the material base (no stable
 *    internet, or no laboratory equipment), staff (over 10 % of teachers with ≥ 36 h, teachers
 *    without subject qualification), or contingent (registered + ОВЗ + инофоны + absentees over
 *    10 % of pupils).
 *  - weak_medalists (seed 000 table 1, METHODS.md §2.5): medals by journal marks, where about
 *    half of the candidates short of 70 in some ЕГЭ keep the medal — at least one a year.
 *  - shnor_recovered (issue 15, seed 001 п. 1.17–1.18): when there are two or more low schools
 *    and two or more years, the first of them is a low school every year but the last, when
 *    (after the department's order, scripts/demo.sh) its effect rises by RECOVER_GAIN and it
 *    is held off the ШНОР line like an ordinary school: the decision's before/after shows it
 *    leaving the list while the other low schools stay. It is recorded as shnor_recovered, not
 *    as low_results, since the last year's list no longer holds it.
 * Every other school is kept off these lines by construction: no procedure of seed 002 §2.1
 * reaches 30 % of "2" (the day's noise is redrawn when it would), at most one of ВПР
 * mathematics/Russian 4 and 8 reaches 20 % (§3.2 item 4), failing pupils stay under 10 %,
 * the material base is complete, staff and contingent shares stay under 10 %, and medals need
 * ЕГЭ ≥ 70 in every subject. Planted low-result schools do meet §3.2 item 4 as a consequence
 * of their results — a real ШНОР does too.
 */
#include "demo/demo.h"

#include "base/mem.h"
#include "demo/internal.h"
#include "store/municipality.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void shuffle(int *a, int n, rng *r)
{
    for (int i = n - 1; i > 0; i--) {
        int j = rng_int(r, 0, i), t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

/* ---- schools ---- */

static const char *const VILLAGES[] = {
    "Ивановка",     "Петровское",     "Михайловка",  "Александровка", "Николаевка",
    "Андреевка",    "Покровское",     "Троицкое",    "Вознесенка",    "Знаменка",
    "Богородское",  "Никольское",     "Успенка",     "Каменка",       "Берёзовка",
    "Сосновка",     "Ольховка",       "Дубровка",    "Красное",       "Октябрьское",
    "Первомайское", "Заречное",       "Луговое",     "Раздолье",      "Приволье",
    "Славянка",     "Васильевка",     "Григорьевка", "Дмитриевка",    "Екатериновка",
    "Фёдоровка",    "Константиновка", "Павловка",    "Сергеевка",     "Ильинка",
    "Мирное",       "Садовое",        "Весёлое",     "Степное",       "Лесное",
    "Озёрное",      "Речное",         "Подгорное",   "Горное",        "Новосёловка",
    "Гавриловка",   "Кузьминка",      "Спасское",    "Воскресенское", "Рождественка",
};
enum { NVILLAGES = sizeof VILLAGES / sizeof VILLAGES[0] };

typedef struct type_params {
    double effect, sd, lo, hi;
    int classes_lo, classes_hi, size_lo, size_hi, top;
} type_params;

static const type_params URBAN[SCH_TYPES] = {
    [SCH_GYM] = {0.50, 0.15, 0.15, 1.00, 3, 4, 25, 30, 11},
    [SCH_LYC] = {0.45, 0.15, 0.10, 0.95, 2, 4, 24, 30, 11},
    [SCH_SOSH] = {0.00, 0.18, -0.40, 0.50, 1, 4, 20, 30, 11},
};
static const type_params RURAL[SCH_TYPES] = {
    [SCH_SOSH] = {-0.20, 0.18, -0.45, 0.30, 1, 1, 3, 15, 11},
    [SCH_OOSH] = {-0.25, 0.15, -0.45, 0.20, 1, 1, 3, 12, 9},
    [SCH_NOSH] = {-0.10, 0.15, -0.40, 0.30, 1, 1, 4, 12, 4},
};

static double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* The mix of METHODS.md-style municipalities, per 30 schools: 2 gymnasia, 2 lyceums, 14 urban
 * СОШ, 8 rural СОШ, 3 ООШ, 1 НОШ; scaled to n and shuffled so codes do not follow the type. */
static void plan_mix(int n, school *s, rng *r)
{
    int cnt[6];
    static const double SHARE[6] = {2, 2, 0, 8, 3, 1}; /* gym lyc usosh rsosh oosh nosh */
    int rest = n;
    for (int k = 0; k < 6; k++) {
        cnt[k] = k == 2 ? 0 : (int)floor(n * SHARE[k] / 30.0 + 0.5);
        rest -= cnt[k];
    }
    for (int k = 5; rest < 0 && k >= 0; k--) /* cannot happen for n ≥ 1; kept for safety */
        while (rest < 0 && cnt[k] > 0) {
            cnt[k]--;
            rest++;
        }
    cnt[2] = rest;
    static const int TYPE[6] = {SCH_GYM, SCH_LYC, SCH_SOSH, SCH_SOSH, SCH_OOSH, SCH_NOSH};
    int *order = msk_malloc(sizeof(int) * (size_t)n), m = 0;
    for (int k = 0; k < 6; k++)
        for (int i = 0; i < cnt[k]; i++, m++) {
            s[m].type = TYPE[k];
            s[m].rural = k >= 3;
        }
    /* shuffle by permuting an index */
    for (int i = 0; i < n; i++)
        order[i] = i;
    shuffle(order, n, r);
    school *tmp = msk_malloc(sizeof(school) * (size_t)n);
    for (int i = 0; i < n; i++)
        tmp[i] = s[order[i]];
    memcpy(s, tmp, sizeof(school) * (size_t)n);
    free(tmp);
    free(order);
}

static void base_params(school *sc, rng *r)
{
    const type_params *t = sc->rural ? &RURAL[sc->type] : &URBAN[sc->type];
    sc->top_grade = t->top;
    sc->classes = rng_int(r, t->classes_lo, t->classes_hi);
    if (!sc->rural && sc->type == SCH_SOSH) {
        double u = rng_unif(r); /* 1: 15 %, 2: 40 %, 3: 30 %, 4: 15 % */
        sc->classes = u < 0.15 ? 1 : u < 0.55 ? 2 : u < 0.85 ? 3 : 4;
    }
    sc->size_lo = t->size_lo;
    sc->size_hi = t->size_hi;
    sc->effect_lo = t->lo;
    sc->effect_hi = t->hi;
    sc->effect = clampd(t->effect + t->sd * rng_normal(r), t->lo, t->hi);
    sc->p_ovz = 0.015 + 0.02 * rng_unif(r);
    sc->r_reg = 0.004 + 0.008 * rng_unif(r);
    sc->r_ino = (sc->rural ? 0.01 : 0.02) * rng_unif(r);
    sc->r_abs = 0.008 * rng_unif(r);
    sc->seed = rng_next(r);
}

static void name_schools(demo_ctx *c, rng *r)
{
    int n = c->nschools, nurban = 0, nrural = 0, u = 0, v = 0;
    int *num = msk_malloc(sizeof(int) * (size_t)n), *vil = msk_malloc(sizeof(int) * (size_t)n);
    for (int i = 0; i < n; i++)
        nurban += !c->schools[i].rural;
    nrural = n - nurban;
    for (int i = 0; i < nurban; i++)
        num[i] = i + 1;
    for (int i = 0; i < nrural; i++)
        vil[i] = i;
    shuffle(num, nurban, r);
    shuffle(vil, nrural, r);
    int first = c->o->first_code > 0 ? c->o->first_code : 1;
    for (int i = 0; i < n; i++) {
        school *sc = &c->schools[i];
        snprintf(sc->code, sizeof sc->code, "sch%06d", first + i);
        if (!sc->rural) {
            /* town schools share one numbering: «МБОУ СОШ № 5», «МБОУ Гимназия № 2» */
            const char *kind = sc->type == SCH_GYM   ? "Гимназия"
                               : sc->type == SCH_LYC ? "Лицей"
                                                     : "СОШ";
            snprintf(sc->name, sizeof sc->name, "МБОУ %s № %d", kind, num[u++]);
        } else {
            /* village schools by place; a name used again gets a number */
            int k = vil[v++], copy = k / NVILLAGES + 1;
            const char *kind = sc->type == SCH_SOSH ? "СОШ" : sc->type == SCH_OOSH ? "ООШ" : "НОШ";
            const char *place = sc->type == SCH_NOSH ? "д." : "с.";
            if (copy == 1)
                snprintf(sc->name, sizeof sc->name, "МКОУ %s %s %s", kind, place,
                         VILLAGES[k % NVILLAGES]);
            else
                snprintf(sc->name, sizeof sc->name, "МКОУ %s № %d %s %s", kind, copy, place,
                         VILLAGES[k % NVILLAGES]);
        }
    }
    free(num);
    free(vil);
}

/* ---- planted cases ---- */

static int is_urban_sosh(const school *s)
{
    return s->type == SCH_SOSH && !s->rural;
}
static int is_rural_sosh(const school *s)
{
    return s->type == SCH_SOSH && s->rural;
}
static int is_senior(const school *s)
{
    return s->top_grade == 11;
}
static int is_town_senior(const school *s)
{
    return s->top_grade == 11 && !s->rural;
}
static int is_rural(const school *s)
{
    return s->rural;
}
static int is_any(const school *s)
{
    (void)s;
    return 1;
}

/* Mark up to want unplanted schools that pass ok, in a shuffled order; returns how many. */
static int pick(demo_ctx *c, rng *r, int want, int plant, int (*ok)(const school *))
{
    int n = c->nschools, got = 0;
    int *order = msk_malloc(sizeof(int) * (size_t)n);
    for (int i = 0; i < n; i++)
        order[i] = i;
    shuffle(order, n, r);
    for (int i = 0; i < n && got < want; i++) {
        school *sc = &c->schools[order[i]];
        if (sc->plant == PL_NONE && ok(sc)) {
            sc->plant = plant;
            got++;
        }
    }
    free(order);
    return got;
}

static void plant_cases(demo_ctx *c, rng *r)
{
    int n = c->nschools, k = (n + 5) / 10, kw = (n + 10) / 20;
    /* low results: ordinary СОШ, a third of them rural (a large village school) */
    int got = pick(c, r, k - k / 3, PL_LOW, is_urban_sosh);
    got += pick(c, r, k - got, PL_LOW, is_rural_sosh);
    pick(c, r, k - got, PL_LOW, is_urban_sosh);
    got = pick(c, r, k, PL_INFLATED, is_urban_sosh);
    pick(c, r, k - got, PL_INFLATED, is_senior);
    /* weak medalists: a town school, where a grade 11 exists every year */
    got = pick(c, r, kw, PL_WEAK_MEDAL, is_town_senior);
    pick(c, r, kw - got, PL_WEAK_MEDAL, is_senior);
    got = pick(c, r, k, PL_RISK, is_rural);
    pick(c, r, k - got, PL_RISK, is_any);
    int nrisk = 0;
    for (int i = 0; i < n; i++) {
        school *sc = &c->schools[i];
        switch (sc->plant) {
        case PL_LOW:
            sc->effect = -1.0 + 0.07 * rng_normal(r);
            sc->effect_lo = -1.2;
            sc->effect_hi = -0.85;
            if (sc->rural) {
                sc->size_lo = 22;
                sc->size_hi = 28;
            } else {
                sc->classes = sc->classes > 2 ? 2 : sc->classes;
                sc->size_lo = 24;
            }
            break;
        case PL_INFLATED:
            sc->inflate4 = 0.45 + 0.35 * rng_unif(r);
            sc->generous = 0.25 + 0.3 * rng_unif(r);
            sc->favoured_share = 0.25 + 0.2 * rng_unif(r);
            break;
        case PL_RISK:
            sc->risk_kind = nrisk++ % 3;
            sc->effect = clampd(sc->effect - 0.1, sc->effect_lo, sc->effect_hi);
            sc->material_gap = sc->rural ? 1 : 2;
            if (sc->risk_kind == RISK_CONTINGENT) {
                sc->p_ovz = 0.06;
                sc->r_reg = 0.03;
                sc->r_ino = 0.035;
                sc->r_abs = 0.015;
            }
            break;
        default:
            break;
        }
    }
    /* issue 15: the first low school (by index, no random draw, so every other school stays as
     * it was) recovers in the last year, when another low school stays on the list */
    int nlow = 0, first = -1;
    for (int i = 0; i < n; i++)
        if (c->schools[i].plant == PL_LOW && nlow++ == 0)
            first = i;
    if (nlow >= 2 && c->o->year_to > c->o->year_from)
        c->schools[first].recover_year = c->o->year_to;
}

static int put_truth(demo_ctx *c)
{
    for (int i = 0; i < c->nschools; i++) {
        const school *sc = &c->schools[i];
        char d[400];
        const char *what = NULL;
        switch (sc->plant) {
        case PL_LOW:
            what = sc->recover_year ? "shnor_recovered" : "low_results";
            if (sc->recover_year) {
                snprintf(d, sizeof d,
                         "school effect %.2f logits in %d (municipal mean 0), VPR math 5 and "
                         "Russian 5 held at >= 30%% mark 2 in %d-%d (seed 002 2.1, rule A); in %d "
                         "the effect rises by %.2f and no procedure of seed 002 2.1 reaches 30%%: "
                         "the school leaves the list",
                         sc->effect, c->o->year_to, c->o->year_from, sc->recover_year - 1,
                         sc->recover_year, RECOVER_GAIN);
                break;
            }
            snprintf(d, sizeof d,
                     "school effect %.2f logits (municipal mean 0); VPR math 5 and Russian 5 held "
                     "at >= 30%% mark 2 every year with >= 20 participants (seed 002 2.1, rule A)",
                     sc->effect);
            break;
        case PL_INFLATED:
            what = "inflated";
            snprintf(d, sizeof d,
                     "journal marks about one mark above the work for %.0f%% of pupils; generous "
                     "checking raises %.0f%% of VPR works 1-2 points below the mark 3/4 cut-offs "
                     "to the cut-off; grade-4 VPR ability +%.2f logits, so cohorts fall from "
                     "grade 4 to 5 (seed 000 V, METHODS.md 2)",
                     100 * sc->favoured_share, 100 * sc->generous, sc->inflate4);
            break;
        case PL_RISK:
            what = "risk";
            if (sc->risk_kind == RISK_MATERIAL)
                snprintf(d, sizeof d, "material base: %s (seed 002 3.2 item 1)",
                         sc->material_gap == 1
                             ? "no stable internet"
                             : "no laboratory equipment in physics and chemistry");
            else if (sc->risk_kind == RISK_STAFF)
                snprintf(d, sizeof d,
                         "staff: over 10%% of teachers with >= 36 h and teachers "
                         "without subject qualification (seed 002 3.2 items 2.1, 2.2)");
            else
                snprintf(d, sizeof d,
                         "contingent: registered + OVZ + inofon + absentee pupils "
                         "over 10%% of all pupils (seed 002 3.2 item 3)");
            break;
        case PL_WEAK_MEDAL:
            what = "weak_medalists";
            snprintf(d, sizeof d,
                     "medals by journal marks: about half of the candidates short "
                     "of 70 in some EGE keep the medal, at least one such medalist "
                     "a year (seed 000 table 1, METHODS.md 2.5)");
            break;
        default:
            continue;
        }
        if (store_demo_truth_put(c->s, sc->id, what, c->o->year_from, d, c->err))
            return -1;
        c->sum->truth++;
    }
    return 0;
}

/* ---- the run ---- */

static int db_has_schools(store *s, msk_err *err, int *yes)
{
    (void)err;
    *yes = store_school_count(s) > 0;
    return 0;
}

static void ctx_release(demo_ctx *c)
{
    roster_release(&c->ros);
    scratch_release(&c->sc);
    free(c->schools);
    free(c->procs);
    free(c->choice);
    free(c->o9);
    free(c->ege);
    free(c->oly);
    free(c->team_points);
    free(c->team_entries);
}

/* Municipalities of Краснодарский край (seed 001 names the краевой level the municipality
 * reports to): the demo spreads its schools over the first N (issue 17 item 2), school i to
 * municipality i mod N, with no random draw, so the schools and their results stay those of the
 * one-municipality demo byte for byte. */
static const char *const MUNI_NAMES[] = {"Горячий Ключ",
                                         "Абинский район",
                                         "Апшеронский район",
                                         "Белоглинский район",
                                         "Белореченский район",
                                         "Брюховецкий район",
                                         "Выселковский район",
                                         "Гулькевичский район",
                                         "Динской район",
                                         "Ейский район",
                                         "Кавказский район",
                                         "Калининский район",
                                         "Каневской район",
                                         "Кореновский район",
                                         "Красноармейский район",
                                         "Крыловский район",
                                         "Крымский район",
                                         "Курганинский район",
                                         "Кущёвский район",
                                         "Лабинский район",
                                         "Ленинградский район",
                                         "Мостовский район",
                                         "Новокубанский район",
                                         "Новопокровский район",
                                         "Отрадненский район",
                                         "Павловский район",
                                         "Приморско-Ахтарский район",
                                         "Северский район",
                                         "Славянский район",
                                         "Староминский район",
                                         "Тбилисский район",
                                         "Темрюкский район",
                                         "Тимашёвский район",
                                         "Тихорецкий район",
                                         "Туапсинский район",
                                         "Успенский район",
                                         "Усть-Лабинский район",
                                         "Щербиновский район",
                                         "Анапа",
                                         "Армавир",
                                         "Геленджик",
                                         "Новороссийск",
                                         "Сочи",
                                         "Краснодар"};

static int spread_municipalities(demo_ctx *c)
{
    int n = c->o->municipalities > 0 ? c->o->municipalities : 1;
    int64_t *ids = msk_reallocarray(NULL, (size_t)n, sizeof *ids);
    int rc = -1;
    for (int k = 0; k < n; k++) {
        char code[16], name[64];
        snprintf(code, sizeof code, "%d", k + 1);
        if ((size_t)k < sizeof MUNI_NAMES / sizeof MUNI_NAMES[0])
            snprintf(name, sizeof name, "%s", MUNI_NAMES[k]);
        else
            snprintf(name, sizeof name, "Муниципалитет %d", k + 1);
        if (store_municipality_add(c->s, code, name, &ids[k], c->err))
            goto out;
    }
    for (int i = 0; i < c->nschools; i++)
        if (store_school_set_municipality(c->s, c->schools[i].id, ids[i % n], c->err))
            goto out;
    rc = 0;
out:
    free(ids);
    return rc;
}

static int generate(demo_ctx *c)
{
    const demo_opts *o = c->o;
    rng r;
    rng_seed(&r, o->seed);
    for (int i = 0; i <= 8192; i++)
        c->logistic[i] = 1.0 / (1.0 + exp(-(i / 256.0 - 16.0)));
    static const char *const LETTER[8] = {"А", "Б", "В", "Г", "Д", "Е", "Ж", "З"};
    for (int g = 1; g <= 11; g++)
        for (int k = 0; k < 8; k++)
            snprintf(c->class_names[g][k], sizeof c->class_names[g][k], "%d%s", g, LETTER[k]);

    plan_mix(c->nschools, c->schools, &r);
    for (int i = 0; i < c->nschools; i++)
        base_params(&c->schools[i], &r);
    plant_cases(c, &r);
    /* issue 16: the first unplanted gymnasium (else lyceum) teaches weakly: chosen without a
     * random draw, so every other school and plant stays as it was */
    for (int t = SCH_GYM; t <= SCH_LYC && !c->sum->weak_teaching[0]; t++)
        for (int i = 0; i < c->nschools; i++)
            if (c->schools[i].plant == PL_NONE && c->schools[i].type == t) {
                school *w = &c->schools[i];
                /* strong intake: the school effect is raised by what the pupils will lose by
                 * the last year, so the last year's raw results stay those of a gymnasium */
                double up = WEAK_TEACHING_DROP * (c->o->year_to - c->o->year_from);
                w->weak_teaching = 1;
                w->effect += up;
                w->effect_lo += up;
                w->effect_hi += up;
                c->sum->weak_teaching[0] = '?';
                break;
            }
    name_schools(c, &r);
    static const char *const TYPE[SCH_TYPES] = {"gymnasium", "lyceum", "sosh", "oosh", "nosh"};
    static const char *const LEVELS[12] = {[4] = "NOO", [9] = "NOO,OOO", [11] = "NOO,OOO,SOO"};
    for (int i = 0; i < c->nschools; i++) {
        school *sc = &c->schools[i];
        store_school row = {sc->code, sc->name, TYPE[sc->type], sc->rural ? "rural" : "urban",
                            LEVELS[sc->top_grade]};
        if (store_school_put(c->s, &row, &sc->id, c->err))
            return -1;
        if (sc->weak_teaching)
            snprintf(c->sum->weak_teaching, sizeof c->sum->weak_teaching, "%s", sc->code);
        c->sum->schools++;
    }
    if (spread_municipalities(c))
        return -1;

    for (int si = 0; si < c->nschools; si++) {
        school *sc = &c->schools[si];
        rng sr;
        rng_seed(&sr, sc->seed);
        roster_start(c, sc, &sr);
        for (int y = o->year_from; y <= o->year_to; y++) {
            if (y > o->year_from) /* the school effect drifts slowly */
                sc->effect =
                    clampd(sc->effect + 0.04 * rng_normal(&sr), sc->effect_lo, sc->effect_hi);
            if (y == sc->recover_year) { /* the year after the order: a real improvement */
                sc->effect += RECOVER_GAIN;
                sc->effect_lo += RECOVER_GAIN;
                sc->effect_hi += RECOVER_GAIN;
            }
            if (school_year(c, si, y, &sr))
                return -1;
            if (y < o->year_to)
                roster_advance(c, sc, &sr, c->o9, c->n9);
        }
    }
    if (oly_write(c) || put_truth(c) || demo_registries(c))
        return -1;
    return 0;
}

int demo_generate(store *s, const demo_opts *o, demo_summary *sum, msk_err *err)
{
    demo_ctx *c = NULL;
    demo_summary local;
    int has = 0, rc = -1;
    if (!sum)
        sum = &local;
    memset(sum, 0, sizeof *sum);
    if (o->schools < 1 || o->schools > 100000)
        return msk_error(err, "число школ должно быть от 1 до 100000, получено %d", o->schools);
    if (o->year_from > o->year_to || o->year_to - o->year_from > 20 || o->year_from < 2000)
        return msk_error(err,
                         "неверный диапазон лет %d–%d: ожидается, например, 2021-2024 "
                         "(не более 21 года)",
                         o->year_from, o->year_to);
    if (!store_is_initialised(s))
        return msk_error(err, "база данных %s не подготовлена: сначала выполните «msoko init»",
                         store_path(s));
    if (store_begin(s, err))
        return -1;
    if (db_has_schools(s, err, &has))
        goto out;
    if (has) {
        msk_error(err, "база уже содержит школы: демо-данные создаются в новой базе "
                       "(msoko init --db НОВЫЙ_ФАЙЛ)");
        goto out;
    }
    c = msk_calloc(1, sizeof *c);
    c->s = s;
    c->err = err;
    c->o = o;
    c->sum = sum;
    c->nyears = o->year_to - o->year_from + 1;
    c->nschools = o->schools;
    c->schools = msk_calloc((size_t)c->nschools, sizeof *c->schools);
    c->procs = msk_calloc((size_t)c->nyears * P_COUNT, sizeof *c->procs);
    c->team_points = msk_calloc((size_t)c->nyears * (size_t)c->nschools, sizeof(int));
    c->team_entries = msk_calloc((size_t)c->nyears * (size_t)c->nschools, sizeof(int));
    if (generate(c))
        goto out;
    if (store_commit(s, err))
        goto out;
    rc = 0;
out:
    if (rc) {
        store_rollback(s);
        memset(sum, 0, sizeof *sum);
    }
    if (c)
        ctx_release(c);
    free(c);
    return rc;
}
