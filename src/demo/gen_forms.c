/*
 * Demo monitoring forms: plausible values for every element of every loaded form, for every
 * school the form concerns and every period of the years asked (docs/directions.md «Демо»).
 * Values are scaled to the school: pupils and teachers from its context, graduates and their
 * destinations from the graduates template; values already approved (the context the demo
 * generated) are kept as they are, so the planted risk cases stay. A few schools are weak on
 * purpose (below the directions' targets), and every value moves a little over the years.
 * Every rule of the form holds: the generator checks each with form_rule_eval, the same
 * evaluator the submission uses, and scales the left side down until it does.
 *
 * The values go through the caller's submit (the CLI passes fill → submit → approve of
 * src/app/, the use cases the web's form page calls), so this file writes nothing itself.
 */
#include "demo/internal.h"

#include "base/mem.h"
#include "form/form.h"
#include "store/form.h"
#include "store/read.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- what an element counts ---- */

enum base {
    B_PUPILS,   /* a share of the school's pupils */
    B_TEACHERS, /* a share of its teachers */
    B_G9,       /* of its 9th-grade graduates */
    B_G11,      /* of its 11th-grade graduates */
    B_G9G11,    /* of both */
    B_SPO9,     /* of the 9th-graders who went to a ПОО */
    B_ENROLLED, /* of the graduates who went to a ПОО or a вуз */
    B_MEDAL,    /* of the medalists */
    B_PARENT,   /* a share of the element its rule bounds it by («a <= b») */
    B_ABS,      /* a number between lo and hi */
    B_BOOL,     /* yes with probability lo */
};

typedef struct spec {
    const char *code;
    enum base base;
    double lo, hi;
    int good; /* +1 more is better, -1 less is better, 0 neutral: weak schools and the trend */
} spec;

/* The elements of the shipped forms (the INI files of methods/forms/). An element not listed here
 * gets its rule's parent (B_PARENT 0.3–0.9), or a share of pupils or teachers by its code. */
static const spec SPECS[] = {
    /* sizes, when the school has no context: its pupils and teachers */
    {"pupils_total", B_PUPILS, 1.0, 1.0, 0},
    {"teachers_total", B_TEACHERS, 1.0, 1.0, 0},
    /* seed001_monitoring */
    {"teacher_vacancies", B_TEACHERS, 0.0, 0.04, -1},
    {"young_teachers", B_TEACHERS, 0.07, 0.14, +1},
    {"grads9_total", B_G9, 1.0, 1.0, 0},
    {"grads9_not_continuing", B_G9, 0.0, 0.03, -1},
    {"vsosh_school_participants", B_PUPILS, 0.35, 0.6, +1},
    {"vsosh_municipal_participants", B_PARENT, 0.1, 0.25, +1},
    {"pupils_extra_education", B_PUPILS, 0.78, 0.95, +1},
    {"pupils_profile", B_PUPILS, 0.1, 0.22, +1},
    {"pupils_8_11", B_PUPILS, 0.3, 0.36, 0},
    {"pupils_career_diag", B_PARENT, 0.85, 1.0, +1},
    {"teachers_pd_courses", B_TEACHERS, 0.3, 0.45, +1},
    {"teachers_deficit_diag", B_TEACHERS, 0.45, 0.65, +1},
    {"teachers_burnout_diag", B_TEACHERS, 0.25, 0.45, +1},
    {"teachers_courses_after_diag", B_PARENT, 0.6, 0.9, +1},
    {"teachers_category_high", B_TEACHERS, 0.3, 0.4, +1},
    {"teachers_category_first", B_TEACHERS, 0.22, 0.3, +1},
    {"teachers_contests", B_TEACHERS, 0.04, 0.09, +1},
    {"mentor_pairs", B_PARENT, 0.85, 1.0, +1},
    {"pupils_volunteers", B_PUPILS, 0.15, 0.3, +1},
    {"pupils_nonnative", B_PUPILS, 0.01, 0.06, 0},
    /* shnor_support, failure_prevention, attendance */
    {"shnor_teachers_total", B_TEACHERS, 1.0, 1.0, 0},
    {"pupils_weak", B_PUPILS, 0.08, 0.15, -1},
    {"pupils_failing_now", B_PARENT, 0.1, 0.3, -1},
    {"att_pupils", B_PUPILS, 1.0, 1.0, 0},
    {"att_absent_all_month", B_PUPILS, 0.0, 0.01, -1},
    {"att_absent_unexcused", B_PUPILS, 0.005, 0.03, -1},
    {"att_lessons_total", B_PUPILS, 2.0, 6.0, -1},
    {"att_lessons_unexcused", B_PARENT, 0.1, 0.3, -1},
    /* dir_training */
    {"assess_specialists", B_TEACHERS, 0.08, 0.2, +1},
    {"ooo_started", B_G9, 1.0, 1.06, 0},
    {"ooo_completed", B_PARENT, 0.93, 1.0, +1},
    {"soo_started", B_G11, 1.0, 1.06, 0},
    {"soo_completed", B_PARENT, 0.93, 1.0, +1},
    {"meta_participants", B_PUPILS, 0.15, 0.2, 0},
    {"meta_basic", B_PARENT, 0.78, 0.92, +1},
    {"diag_difficulties", B_PUPILS, 0.08, 0.15, 0},
    {"diag_difficulties_iom", B_PARENT, 0.65, 0.9, +1},
    {"first_graders", B_PUPILS, 0.09, 0.11, 0},
    {"first_graders_readiness", B_PARENT, 0.92, 1.0, +1},
    {"read_participants", B_PUPILS, 0.1, 0.15, 0},
    {"read_basic", B_PARENT, 0.7, 0.88, +1},
    {"ovz_grads", B_PARENT, 0.1, 0.2, 0},
    {"ovz_grads_continued", B_PARENT, 0.75, 0.95, +1},
    {"medalists_70", B_MEDAL, 0.75, 1.0, +1},
    {"ege_all_70", B_G11, 0.08, 0.16, +1},
    {"repeaters9", B_G9, 0.0, 0.015, -1},
    {"gia_not_admitted", B_G9G11, 0.0, 0.012, -1},
    {"pupils_textbooks", B_PUPILS, 0.97, 1.0, +1},
    /* dir_shnor */
    {"low_pupils", B_PUPILS, 0.1, 0.2, 0},
    {"low_pupils_absentee", B_PARENT, 0.02, 0.08, -1},
    {"low_pupils_extra", B_PARENT, 0.5, 0.9, +1},
    {"risk_group_pupils", B_PUPILS, 0.03, 0.08, 0},
    {"risk_group_plan", B_PARENT, 0.85, 1.0, +1},
    {"partner_school", B_BOOL, 0.7, 0, +1},
    /* dir_talents */
    {"contest_participants", B_PUPILS, 0.3, 0.5, +1},
    {"contest_win_municipal", B_PUPILS, 0.02, 0.05, +1},
    {"contest_win_regional", B_PUPILS, 0.005, 0.015, +1},
    {"contest_win_federal", B_PUPILS, 0.0, 0.004, +1},
    {"gifted_identified", B_PUPILS, 0.04, 0.1, 0},
    {"gifted_psych_support", B_PARENT, 0.8, 1.0, +1},
    /* dir_career */
    {"partner_agreements", B_ABS, 1, 5, +1},
    {"pupils_profile_clubs", B_PUPILS, 0.18, 0.32, +1},
    {"profile_grads11", B_G11, 0.5, 0.9, 0},
    {"profile_grads11_matching", B_PARENT, 0.8, 0.97, +1},
    {"grads9_spo_chosen", B_SPO9, 1.0, 1.0, 0},
    {"grads9_spo_matching", B_PARENT, 0.6, 0.9, +1},
    {"enrolled_by_profile", B_ENROLLED, 0.5, 0.8, +1},
    {"pupils_prof_contests", B_PUPILS, 0.02, 0.05, +1},
    /* dir_objectivity */
    {"proc_held", B_ABS, 12, 30, 0},
    {"proc_controlled", B_PARENT, 0.25, 0.5, +1},
    {"proc_observed", B_PARENT, 0.75, 0.98, +1},
    {"proc_violations", B_ABS, 0, 0.6, -1},
    {"oly_subjects_held", B_ABS, 8, 20, 0},
    {"oly_subjects_observed", B_PARENT, 0.4, 0.8, +1},
    {"teachers_trained_results", B_TEACHERS, 0.25, 0.45, +1},
    {"results_used", B_BOOL, 0.92, 0, +1},
    /* dir_heads */
    {"admins_total", B_TEACHERS, 0.08, 0.12, 0},
    {"admins_trained_quality", B_PARENT, 0.7, 1.0, +1},
    {"admins_deficit_diag", B_PARENT, 0.4, 0.75, +1},
    {"admins_teaching_hours", B_PARENT, 4.0, 9.0, -1},
    {"method_support_plan", B_BOOL, 0.9, 0, +1},
    {"external_audit", B_BOOL, 0.4, 0, +1},
    {"ovz_special_conditions", B_PARENT, 0.9, 1.0, +1},
    /* dir_methodical */
    {"teachers_supported", B_TEACHERS, 0.35, 0.55, +1},
    {"teachers_network", B_TEACHERS, 0.5, 0.75, +1},
    {"mentors_total", B_TEACHERS, 0.06, 0.12, +1},
    /* dir_upbringing */
    {"teachers_upbringing_trained", B_TEACHERS, 0.25, 0.4, +1},
    {"upbringing_program", B_BOOL, 0.95, 0, +1},
    {"registered_holiday_busy", B_PARENT, 0.85, 1.0, +1},
    {"offences", B_PUPILS, 0.0005, 0.003, -1},
    {"nonnative_support", B_PARENT, 0.8, 1.0, +1},
};

static const spec *spec_of(const char *code)
{
    for (size_t i = 0; i < sizeof SPECS / sizeof SPECS[0]; i++)
        if (!strcmp(SPECS[i].code, code))
            return &SPECS[i];
    return NULL;
}

/* ---- rules: «A <= B», «A + B <= C», «A < B», «A > 0» ---- */

/* The element codes of one side of a rule that is a plain sum of codes (out: up to max
 * indices into f->el); -1 when the side is anything else. */
static int side_codes(const store_form *f, const char *s, size_t len, size_t *out, int max)
{
    int n = 0;
    size_t i = 0;
    while (i < len) {
        while (i < len && (s[i] == ' ' || s[i] == '+'))
            i++;
        size_t b = i;
        while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '_'))
            i++;
        if (i == b)
            return i < len ? -1 : n;
        size_t k = 0;
        while (k < f->nel &&
               (strlen(f->el[k].code) != i - b || strncmp(f->el[k].code, s + b, i - b)))
            k++;
        if (k == f->nel || n == max)
            return -1;
        out[n++] = k;
        while (i < len && s[i] == ' ')
            i++;
        if (i < len && s[i] != '+')
            return -1;
    }
    return n;
}

/* Split expr at its comparison: *op the operator, lhs [0, l), rhs [r, end). 0 or -1. */
static int split_rule(const char *expr, char op[3], size_t *l, size_t *r)
{
    const char *p = strpbrk(expr, "<>=!");
    if (!p)
        return -1;
    size_t w = (p[1] == '=') ? 2 : 1;
    memcpy(op, p, w);
    op[w] = '\0';
    *l = (size_t)(p - expr);
    *r = *l + w;
    return 0;
}

typedef struct vals {
    const store_form *f;
    double *v; /* f->nel, NAN = no value */
} vals;

static int get_val(void *ctx, const char *code, double *out)
{
    const vals *x = ctx;
    for (size_t i = 0; i < x->f->nel; i++)
        if (!strcmp(x->f->el[i].code, code)) {
            if (isnan(x->v[i]))
                return 0;
            *out = x->v[i];
            return 1;
        }
    return 0;
}

/* The value of a plain side (a number or a sum of codes), NAN when it is neither. */
static double side_value(const store_form *f, const double *v, const char *s, size_t len)
{
    char num[32];
    char *end;
    if (len < sizeof num) {
        memcpy(num, s, len);
        num[len] = '\0';
        double d = strtod(num, &end);
        while (*end == ' ')
            end++;
        if (end != num && *end == '\0')
            return d;
    }
    size_t idx[8];
    int n = side_codes(f, s, len, idx, 8);
    if (n <= 0)
        return NAN;
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += v[idx[i]];
    return sum;
}

/* Make a violated rule hold: «L <= R» / «L < R» scale the codes of L down, «L >= R» / «L > R»
 * with a number R raise them. 0 when it now holds (or was left as it is), -1 when the rule's
 * shape is not one the generator knows. */
static int repair(const store_form *f, double *v, const char *expr)
{
    char op[3];
    size_t l, r, idx[8];
    if (split_rule(expr, op, &l, &r))
        return -1;
    int n = side_codes(f, expr, l, idx, 8);
    if (n <= 0)
        return -1;
    double lhs = 0, rhs = side_value(f, v, expr + r, strlen(expr + r));
    for (int i = 0; i < n; i++)
        lhs += v[idx[i]];
    if (isnan(rhs)) { /* «a <= b * 36»: halve the left side, the caller checks again */
        if (op[0] != '<')
            return -1;
        for (int i = 0; i < n; i++)
            v[idx[i]] = floor(v[idx[i]] / 2);
        return 0;
    }
    if (op[0] == '<') {
        double cap = op[1] ? rhs : rhs - 1;
        cap = cap < 0 ? 0 : cap;
        double k = lhs > 0 ? cap / lhs : 0;
        for (int i = 0; i < n; i++)
            v[idx[i]] = floor(v[idx[i]] * k);
    } else if (op[0] == '>') {
        double need = op[1] ? rhs : rhs + 1;
        v[idx[0]] += ceil(need - lhs);
    } else
        return -1;
    return 0;
}

/* The first element code in s: 0 and *out its index, or -1 when s names none. */
static int first_code(const store_form *f, const char *s, size_t *out)
{
    for (const char *p = s; *p; p++) {
        if (!isalpha((unsigned char)*p) ||
            (p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '_')))
            continue;
        size_t n = 0;
        while (isalnum((unsigned char)p[n]) || p[n] == '_')
            n++;
        for (size_t k = 0; k < f->nel; k++)
            if (strlen(f->el[k].code) == n && !strncmp(f->el[k].code, p, n)) {
                *out = k;
                return 0;
            }
    }
    return -1;
}

/* The element a rule «A <= B» (or «A + C <= B», «A < B») bounds element i by: its index, or
 * -1 when no rule of that shape names it on the left. */
static long parent_of(const store_form *f, size_t i)
{
    for (size_t k = 0; k < f->nru; k++) {
        char op[3];
        size_t l, r, left[8], right[2];
        const char *e = f->ru[k].expr;
        if (split_rule(e, op, &l, &r) || op[0] != '<')
            continue;
        int nl = side_codes(f, e, l, left, 8);
        int nr = side_codes(f, e + r, strlen(e + r), right, 2);
        if (nr != 1 && first_code(f, e + r, &right[0]))
            continue; /* «a <= b * 36»: b still bounds a */
        for (int j = 0; j < nl; j++)
            if (left[j] == i)
                return (long)right[0];
    }
    return -1;
}

/* ---- one school's facts ---- */

static double base_of(const demo_form_school *sc, enum base b)
{
    switch (b) {
    case B_PUPILS:
        return sc->pupils;
    case B_TEACHERS:
        return sc->teachers;
    case B_G9:
        return sc->grads9;
    case B_G11:
        return sc->grads11;
    case B_G9G11:
        return sc->grads9 + sc->grads11;
    case B_SPO9:
        return sc->spo9;
    case B_ENROLLED:
        return sc->spo9 + sc->spo11 + sc->vo11;
    case B_MEDAL:
        return sc->medalists;
    default:
        return 0;
    }
}

/* A share for one element, moved by the year (k = 0, 1, … from the first year) and by the
 * school's weakness, in the direction of good. */
static double share_of(const spec *sp, const demo_form_school *sc, int k, rng *r)
{
    double x = sp->lo + (sp->hi - sp->lo) * rng_unif(r);
    if (sp->good > 0)
        x *= sc->weak ? 0.55 : 1.0 + 0.03 * k;
    else if (sp->good < 0)
        x = sc->weak ? x * 2.5 + (sp->base == B_ABS ? 1 : 0) : x * (1.0 - 0.12 * k);
    return x;
}

static double known_of(const demo_form_school *sc, const char *code)
{
    for (size_t i = 0; i < sc->nknown; i++)
        if (!strcmp(sc->known[i].element, code))
            return sc->known[i].value;
    return NAN;
}

/* The value of element i, its parent (if any) already valued. */
static double value_of(const store_form *f, const double *v, size_t i, const demo_form_school *sc,
                       int k, rng *r)
{
    const store_form_elem *e = &f->el[i];
    const spec *sp = spec_of(e->code);
    long p = parent_of(f, i);
    spec dflt = {e->code, B_PARENT, 0.3, 0.9, 0};
    if (!sp) {
        if (p < 0)
            dflt.base = strstr(e->code, "teacher") ? B_TEACHERS : B_PUPILS, dflt.lo = 0.05,
            dflt.hi = 0.2;
        sp = &dflt;
    }
    if (!strcmp(e->type, "bool") || sp->base == B_BOOL) {
        double yes = sp->base == B_BOOL ? sp->lo : 0.85;
        if (sc->weak && sp->good > 0)
            yes *= 0.3;
        return rng_unif(r) < yes + 0.02 * k;
    }
    double x = share_of(sp, sc, k, r);
    if (sp->base == B_ABS)
        return floor(x + 0.5);
    double of = sp->base == B_PARENT ? (p >= 0 && !isnan(v[p]) ? v[p] : 0) : base_of(sc, sp->base);
    double y = of * x;
    if (!strcmp(e->type, "count"))
        y = floor(y + (sp->good < 0 ? 0.2 : 0.5));
    else
        y = round(y * 10) / 10;
    if (!isnan(e->min) && y < e->min)
        y = e->min;
    if (!isnan(e->max) && y > e->max)
        y = e->max;
    return y;
}

int demo_form_values(const store_form *f, const demo_form_school *sc, int k, uint64_t seed,
                     double *v)
{
    rng r;
    uint64_t h = seed * 0x9E3779B97F4A7C15ULL + (uint64_t)k * 7919u + (uint64_t)sc->index * 104729u;
    for (const char *p = f->code; *p; p++)
        h = h * 131 + (unsigned char)*p;
    rng_seed(&r, h);
    size_t done = 0;
    for (size_t i = 0; i < f->nel; i++) {
        v[i] = known_of(sc, f->el[i].code);
        done += !isnan(v[i]) || !strcmp(f->el[i].type, "text");
    }
    /* parents first: an element waits until the element its rule bounds it by has a value */
    for (int pass = 0; pass < 8 && done < f->nel; pass++)
        for (size_t i = 0; i < f->nel; i++) {
            if (!isnan(v[i]) || !strcmp(f->el[i].type, "text"))
                continue;
            long p = parent_of(f, i);
            if (p >= 0 && isnan(v[p]) && pass < 7)
                continue;
            v[i] = value_of(f, v, i, sc, k, &r);
            done++;
        }
    vals x = {f, v};
    for (int pass = 0; pass < 40; pass++) {
        int bad = 0;
        for (size_t j = 0; j < f->nru; j++)
            if (form_rule_eval(f->ru[j].expr, get_val, &x) == 0) {
                bad++;
                if (repair(f, v, f->ru[j].expr))
                    return -1;
            }
        if (!bad)
            return 0;
    }
    return -1;
}

/* ---- the municipality: schools, their facts per year ---- */

typedef struct muni {
    size_t n;
    int64_t *id;
    char (*code)[64];
    demo_form_school *sc; /* of the year being filled */
} muni;

static void on_school(void *ctx, const store_read_school *r)
{
    muni *m = ctx;
    m->id = msk_reallocarray(m->id, m->n + 1, sizeof *m->id);
    m->code = msk_reallocarray(m->code, m->n + 1, sizeof *m->code);
    m->id[m->n] = r->id;
    snprintf(m->code[m->n], sizeof m->code[0], "%s", r->code);
    m->n++;
}

static long school_at(const muni *m, int64_t id)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->id[i] == id)
            return (long)i;
    return -1;
}

static void remember(demo_form_school *sc, const char *element, double value)
{
    for (size_t i = 0; i < sc->nknown; i++)
        if (!strcmp(sc->known[i].element, element)) {
            sc->known[i].value = value;
            return;
        }
    sc->known = msk_reallocarray(sc->known, sc->nknown + 1, sizeof *sc->known);
    snprintf(sc->known[sc->nknown].element, sizeof sc->known[0].element, "%s", element);
    sc->known[sc->nknown++].value = value;
}

static void on_value(void *ctx, const store_read_value *r)
{
    muni *m = ctx;
    long i = school_at(m, r->school_id);
    if (i >= 0)
        remember(&m->sc[i], r->element, r->value);
}

static void on_graduate(void *ctx, const store_graduate *g)
{
    muni *m = ctx;
    long i = school_at(m, g->school_id);
    if (i < 0)
        return;
    demo_form_school *sc = &m->sc[i];
    const char *d = g->destination ? g->destination : "";
    if (g->grade == 9) {
        sc->grads9++;
        sc->spo9 += !strcmp(d, "spo");
    } else if (g->grade == 11) {
        sc->grads11++;
        sc->spo11 += !strcmp(d, "spo");
        sc->vo11 += !strcmp(d, "vo");
        sc->medalists += g->medal;
    }
}

static void release_year(muni *m)
{
    for (size_t i = 0; m->sc && i < m->n; i++)
        free(m->sc[i].known);
    free(m->sc);
    m->sc = NULL;
}

/* Every school's facts for year: approved values, graduates, size (a school without context
 * gets a middling one), weakness. */
static int load_year(store *s, muni *m, int year, msk_err *err)
{
    release_year(m);
    m->sc = msk_calloc(m->n ? m->n : 1, sizeof *m->sc);
    if (store_read_values(s, year, year, on_value, m, err) ||
        store_read_graduates(s, year, year, on_graduate, m, err))
        return -1;
    for (size_t i = 0; i < m->n; i++) {
        demo_form_school *sc = &m->sc[i];
        sc->index = (int)i;
        sc->weak = i % 7 == 3; /* about one school in seven: 3, 10, 17, 24 … */
        sc->pupils = known_of(sc, "pupils_total");
        sc->teachers = known_of(sc, "teachers_total");
        if (isnan(sc->pupils))
            sc->pupils = 400;
        if (isnan(sc->teachers))
            sc->teachers = floor(sc->pupils / 12) + 1;
    }
    return 0;
}

/* ---- one submission ---- */

typedef struct sink {
    demo_form_submit_fn submit;
    void *ctx;
    uint64_t seed;
    demo_forms_summary *sum;
} sink;

static int fill_one(store *s, const store_form *f, const muni *m, size_t i, const char *period,
                    int k, const sink *out, msk_err *err)
{
    store_sub sub;
    int st = store_sub_get(s, f->code, m->id[i], period, &sub, err);
    if (st < 0)
        return -1;
    if (st == 0) {
        out->sum->skipped++;
        return 0;
    }
    demo_form_school *sc = &m->sc[i];
    double *v = msk_calloc(f->nel ? f->nel : 1, sizeof *v);
    char(*buf)[96] = msk_calloc(f->nel ? f->nel : 1, sizeof *buf);
    const char **pairs = msk_calloc(f->nel ? f->nel : 1, sizeof *pairs);
    int rc = -1;
    if (demo_form_values(f, sc, k, out->seed, v)) {
        msk_error(err, "демо: правила формы «%s» не удалось выполнить для школы %s за %s", f->code,
                  m->code[i], period);
        goto end;
    }
    size_t n = 0;
    for (size_t j = 0; j < f->nel; j++) {
        const store_form_elem *e = &f->el[j];
        if (!strcmp(e->type, "text"))
            snprintf(buf[n], sizeof buf[n], "%s=Демо: заполнено школой", e->code);
        else if (isnan(v[j]))
            continue;
        else if (!strcmp(e->type, "bool"))
            snprintf(buf[n], sizeof buf[n], "%s=%s", e->code, v[j] > 0 ? "да" : "нет");
        else
            snprintf(buf[n], sizeof buf[n], "%s=%.15g", e->code, v[j]);
        pairs[n] = buf[n];
        n++;
    }
    if (out->submit(out->ctx, f->code, m->code[i], period, pairs, n, err))
        goto end;
    out->sum->submissions++;
    out->sum->values += (int64_t)n;
    if (!strcmp(f->period_type, "year"))
        for (size_t j = 0; j < f->nel; j++)
            if (!isnan(v[j]))
                remember(sc, f->el[j].code, v[j]);
    rc = 0;
end:
    free(v);
    free(buf);
    free(pairs);
    return rc;
}

/* The periods of school year `year` for a period type: "2024"; "2024-H1", "2024-H2"; the
 * months September (of year - 1) to May. Returns their number (out: up to 9). */
static int periods_of(const char *type, int year, char out[9][16])
{
    if (!strcmp(type, "half_year")) {
        snprintf(out[0], 16, "%d-H1", year);
        snprintf(out[1], 16, "%d-H2", year);
        return 2;
    }
    if (!strcmp(type, "month")) {
        for (int i = 0; i < 9; i++)
            snprintf(out[i], 16, "%d-%02d", i < 4 ? year - 1 : year, i < 4 ? 9 + i : i - 3);
        return 9;
    }
    snprintf(out[0], 16, "%d", year);
    return 1;
}

typedef struct codes {
    char (*c)[64];
    size_t n;
} codes;

static void on_form(void *ctx, const char *code, const char *name, const char *period_type,
                    const char *source)
{
    (void)name, (void)period_type, (void)source;
    codes *c = ctx;
    c->c = msk_reallocarray(c->c, c->n + 1, sizeof *c->c);
    snprintf(c->c[c->n++], sizeof c->c[0], "%s", code);
}

/* One form for every school and period of one year. */
static int fill_form_year(store *s, const char *code, muni *m, int year, int k, const sink *out,
                          msk_err *err)
{
    store_form f;
    char per[9][16];
    int st = store_form_get(s, code, &f, err);
    if (st)
        return st < 0 ? -1 : 0;
    int np = periods_of(f.period_type, year, per), rc = 0;
    for (size_t i = 0; rc == 0 && i < m->n; i++)
        for (int p = 0; rc == 0 && p < np; p++) {
            int as = store_form_assigned(s, &f, m->id[i], per[p], year, err);
            if (as < 0)
                rc = -1;
            else if (as == 1)
                rc = fill_one(s, &f, m, i, per[p], k, out, err);
        }
    store_form_release(&f);
    return rc;
}

int demo_forms(store *s, const demo_forms_opts *o, demo_form_submit_fn submit, void *ctx,
               demo_forms_summary *sum, msk_err *err)
{
    muni m = {0};
    codes c = {0};
    sink out = {submit, ctx, o->seed, sum};
    int rc =
        store_read_schools(s, on_school, &m, err) || store_form_each(s, on_form, &c, err) ? -1 : 0;
    /* the year forms first, in code order: a later form reuses what an earlier one gave */
    for (int y = o->year_from; rc == 0 && y <= o->year_to; y++) {
        rc = load_year(s, &m, y, err);
        for (size_t j = 0; rc == 0 && j < c.n; j++)
            rc = fill_form_year(s, c.c[j], &m, y, y - o->year_from, &out, err);
    }
    release_year(&m);
    free(m.id);
    free(m.code);
    free(c.c);
    return rc;
}
