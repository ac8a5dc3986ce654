/*
 * The school rating (seed 000 §VII, table 1). Each section of the methodology file other than
 * [rating] is one row of table 1 (an "indicator"): a measure of the model (a share, a count, a
 * place), bands or points per unit, and the criterion its points add to. Measuring is a few
 * linear passes over cells, results, graduates, olympiads and teams; the file supplies every
 * number, so a municipality changes a band without rebuilding the program.
 */
#include "method/rating.h"

#include "base/buf.h"
#include "base/mem.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { RT_MAX_IND = 64, RT_MAX_CRIT = 16, RT_MAX_LIST = 32, RT_MAX_BANDS = 16 };

enum rt_measure {
    RT_NONE,
    RT_SHARE_PASSED,
    RT_NO_ATTESTAT,
    RT_GIA_FAILED,
    RT_MEDAL,
    RT_ALL_EXAMS,
    RT_EGE_TOP,
    RT_DEST_SHARE,
    RT_DEST_COUNT,
    RT_TEAM,
    RT_OLYMP,
    RT_CONTEST,
};

/* How an indicator turns its measure into points. */
enum rt_scoring { SC_NONE, SC_SHARE, SC_PER_UNIT, SC_PLACE, SC_STATUS, SC_LEVEL };

static const struct {
    const char *name;
    enum rt_measure m;
    enum rt_scoring sc;
} MEASURES[] = {
    {"none", RT_NONE, SC_NONE},
    {"share_passed", RT_SHARE_PASSED, SC_SHARE},
    {"no_attestat", RT_NO_ATTESTAT, SC_PER_UNIT},
    {"gia_failed", RT_GIA_FAILED, SC_PER_UNIT},
    {"medal_threshold", RT_MEDAL, SC_SHARE},
    {"all_exams_threshold", RT_ALL_EXAMS, SC_SHARE},
    {"ege_top", RT_EGE_TOP, SC_PER_UNIT},
    {"destination_share", RT_DEST_SHARE, SC_SHARE},
    {"destination_count", RT_DEST_COUNT, SC_PER_UNIT},
    {"team_place", RT_TEAM, SC_PLACE},
    {"olympiad_status", RT_OLYMP, SC_STATUS},
    {"contest_level", RT_CONTEST, SC_LEVEL},
};

/* One indicator (a row of table 1) as read from its INI section. */
typedef struct rt_ind {
    const char *id, *criterion, *title, *measure_name, *stage;
    enum rt_measure measure;
    enum rt_scoring scoring;
    size_t crit; /* index into the criteria list */
    const char *kinds[RT_MAX_LIST], *subjects[RT_MAX_LIST], *skip[RT_MAX_LIST], *dest[RT_MAX_LIST];
    size_t nkinds, nsubjects, nskip, ndest;
    long grades[RT_MAX_LIST];
    size_t ngrades;
    long grade_min, grade_max, pass_mark;
    double threshold, per_unit, winner_points, prize_points;
    double level_points[3];        /* contest_level: federal, regional, municipal */
    int level_sum;                 /* contest_level: combine = sum (else best) */
    double min_points, max_points; /* caps; -INFINITY / INFINITY when none */
    meth_band bands[RT_MAX_BANDS];
    size_t nbands;
    int participated; /* share_passed: [rating] completion = participated */
    int unknown_skip; /* destination_share: [rating] unknown_destination = skip */
    /* while measure runs: proc_selected and level_selected of each procedure of the model for
     * the year measured (procs: the model's array), so a row costs no string comparisons */
    const model_proc *procs;
    const unsigned char *psel, *lsel;
} rt_ind;

/* The measure of one indicator at one school. For shares num/den; for counts num; for team
 * places num = place (0 none); for olympiads num = winners, den = prize-winners. other: medalists
 * without ЕГЭ scores (left out of the share); graduates with no destination (destination_share).
 * For contests lv[] = pupils who won or took a prize at the federal, regional, municipal level. */
typedef struct rt_val {
    int has;
    long num, den, other;
    long percent; /* shares: the percent the bands saw */
    long lv[3];
    int band; /* index of the band matched, -1 none */
    double points;
} rt_val;

typedef struct rt_rules {
    const char *crit[RT_MAX_CRIT];
    size_t ncrit;
    int floor_percent;
    int participated; /* completion = participated: «доля выполнения» as participation */
    int unknown_skip; /* unknown_destination = skip: a blank destination is left out */
    rt_ind ind[RT_MAX_IND];
    size_t nind;
} rt_rules;

/* ---- reading the methodology --------------------------------------------------------------- */

static int list_has(const char *const *items, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(items[i], "*") == 0 || strcmp(items[i], s) == 0)
            return 1;
    return 0;
}

static const char *need(const meth_file *f, const char *sec, const char *key, msk_err *err)
{
    const char *v = meth_get(f, sec, key);
    if (!v || !*v)
        msk_error(err, "%s: в секции [%s] нет ключа %s", meth_name(f), sec, key);
    return v && *v ? v : NULL;
}

static int need_list(const meth_file *f, const char *sec, const char *key, const char **items,
                     size_t *n, msk_err *err)
{
    if (!need(f, sec, key, err))
        return -1;
    *n = meth_list(f, sec, key, items, RT_MAX_LIST);
    if (*n == 0)
        return msk_error(err, "%s: [%s] %s: пустой список", meth_name(f), sec, key);
    return 0;
}

static int need_num(const meth_file *f, const char *sec, const char *key, double *out, msk_err *err)
{
    if (!need(f, sec, key, err))
        return -1;
    return meth_num(f, sec, key, 0, out, err);
}

static int need_int(const meth_file *f, const char *sec, const char *key, long *out, msk_err *err)
{
    if (!need(f, sec, key, err))
        return -1;
    return meth_int(f, sec, key, 0, out, err);
}

static int read_grades(const meth_file *f, const char *sec, rt_ind *d, msk_err *err)
{
    const char *items[RT_MAX_LIST];
    size_t n;
    if (need_list(f, sec, "grades", items, &n, err))
        return -1;
    for (size_t i = 0; i < n; i++) {
        char *end;
        long g = strtol(items[i], &end, 10);
        if (end == items[i] || *end || g < 1 || g > 12)
            return msk_error(err, "%s: [%s] grades: «%s» не номер класса", meth_name(f), sec,
                             items[i]);
        d->grades[d->ngrades++] = g;
    }
    return 0;
}

/* The keys each measure needs; everything numeric comes from the file. */
static int read_measure_keys(const meth_file *f, const char *sec, rt_ind *d, msk_err *err)
{
    switch (d->measure) {
    case RT_NONE:
        return 0;
    case RT_SHARE_PASSED:
        if (need_list(f, sec, "kinds", d->kinds, &d->nkinds, err) ||
            need_list(f, sec, "subjects", d->subjects, &d->nsubjects, err) ||
            need_int(f, sec, "grade_min", &d->grade_min, err) ||
            need_int(f, sec, "grade_max", &d->grade_max, err) ||
            need_int(f, sec, "pass_mark", &d->pass_mark, err))
            return -1;
        if (d->pass_mark < 2 || d->pass_mark > 5)
            return msk_error(err, "%s: [%s] pass_mark: отметка от 2 до 5", meth_name(f), sec);
        return 0;
    case RT_NO_ATTESTAT:
        return need_int(f, sec, "grade", &d->grade_min, err);
    case RT_GIA_FAILED:
        return need_list(f, sec, "kinds", d->kinds, &d->nkinds, err);
    case RT_MEDAL:
    case RT_ALL_EXAMS:
        d->nskip = meth_list(f, sec, "skip_subjects", d->skip, RT_MAX_LIST);
        return need_list(f, sec, "kinds", d->kinds, &d->nkinds, err) ||
                       need_int(f, sec, "grade", &d->grade_min, err) ||
                       need_num(f, sec, "threshold", &d->threshold, err)
                   ? -1
                   : 0;
    case RT_EGE_TOP:
        return need_list(f, sec, "kinds", d->kinds, &d->nkinds, err) ||
                       need_num(f, sec, "threshold", &d->threshold, err)
                   ? -1
                   : 0;
    case RT_DEST_SHARE:
        return need_int(f, sec, "grade", &d->grade_min, err) ||
                       need_list(f, sec, "destinations", d->dest, &d->ndest, err)
                   ? -1
                   : 0;
    case RT_DEST_COUNT:
        return read_grades(f, sec, d, err) ||
                       need_list(f, sec, "destinations", d->dest, &d->ndest, err)
                   ? -1
                   : 0;
    case RT_TEAM:
    case RT_OLYMP:
        d->stage = need(f, sec, "stage", err);
        if (!d->stage)
            return -1;
        if (d->measure == RT_OLYMP)
            return need_num(f, sec, "winner_points", &d->winner_points, err) ||
                           need_num(f, sec, "prizewinner_points", &d->prize_points, err)
                       ? -1
                       : 0;
        return 0;
    case RT_CONTEST: {
        /* seed 000 table 1, row 7: «федеральный; региональный; муниципальный … При наличии
         * победителей и призеров: до 5, до 4» — points per level (the act names two numbers for
         * three levels, so the municipal one is the file's), the best level (combine = best) or
         * the sum over levels (combine = sum) */
        const char *combine = meth_get(f, sec, "combine");
        if (combine && strcmp(combine, "sum") == 0)
            d->level_sum = 1;
        else if (combine && *combine && strcmp(combine, "best") != 0)
            return msk_error(err, "%s: [%s] combine: ожидается best или sum", meth_name(f), sec);
        return need_num(f, sec, "federal_points", &d->level_points[0], err) ||
                       need_num(f, sec, "regional_points", &d->level_points[1], err) ||
                       need_num(f, sec, "municipal_points", &d->level_points[2], err)
                   ? -1
                   : 0;
    }
    }
    return 0;
}

static int read_indicator(const meth_file *f, const char *sec, rt_rules *r, msk_err *err)
{
    if (r->nind == RT_MAX_IND)
        return msk_error(err, "%s: больше %d показателей", meth_name(f), RT_MAX_IND);
    rt_ind *d = &r->ind[r->nind];
    memset(d, 0, sizeof *d);
    d->id = sec;
    if (!(d->criterion = need(f, sec, "criterion", err)) ||
        !(d->measure_name = need(f, sec, "measure", err)))
        return -1;
    d->title = meth_get(f, sec, "title");
    if (!d->title || !*d->title)
        d->title = sec;
    size_t k = 0;
    while (k < sizeof MEASURES / sizeof MEASURES[0] && strcmp(MEASURES[k].name, d->measure_name))
        k++;
    if (k == sizeof MEASURES / sizeof MEASURES[0])
        return msk_error(err, "%s: [%s] measure: неизвестная мера «%s»", meth_name(f), sec,
                         d->measure_name);
    d->measure = MEASURES[k].m;
    d->scoring = MEASURES[k].sc;
    d->crit = r->ncrit;
    for (size_t c = 0; c < r->ncrit; c++)
        if (strcmp(r->crit[c], d->criterion) == 0)
            d->crit = c;
    if (d->crit == r->ncrit)
        return msk_error(err, "%s: [%s] criterion: «%s» нет в [rating] criteria", meth_name(f), sec,
                         d->criterion);
    d->participated = r->participated;
    d->unknown_skip = r->unknown_skip;
    if (read_measure_keys(f, sec, d, err))
        return -1;
    if (d->scoring == SC_SHARE || d->scoring == SC_PLACE) {
        if (!need(f, sec, "bands", err) ||
            meth_bands(f, sec, "bands", d->bands, RT_MAX_BANDS, &d->nbands, err))
            return -1;
    } else if (d->scoring == SC_PER_UNIT) {
        if (need_num(f, sec, "per_unit", &d->per_unit, err))
            return -1;
    }
    if (meth_num(f, sec, "min_points", -INFINITY, &d->min_points, err) ||
        meth_num(f, sec, "max_points", INFINITY, &d->max_points, err))
        return -1;
    r->nind++;
    return 0;
}

static int read_rules(const meth_file *f, rt_rules *r, msk_err *err)
{
    memset(r, 0, sizeof *r);
    if (!need(f, "rating", "criteria", err))
        return -1;
    r->ncrit = meth_list(f, "rating", "criteria", r->crit, RT_MAX_CRIT);
    const char *rounding = meth_get(f, "rating", "percent_rounding");
    if (!rounding || strcmp(rounding, "floor") == 0)
        r->floor_percent = 1;
    else if (strcmp(rounding, "none") != 0)
        return msk_error(err, "%s: [rating] percent_rounding: ожидается floor или none",
                         meth_name(f));
    /* seed 000 table 1, rows 1.1–3.2 «Доля выполнения ВПР/РКР/МКР»: the act does not say of
     * what — passed (marks ≥ pass_mark among those with a mark, the default) or participated
     * (present among the pupils listed for the work). */
    const char *completion = meth_get(f, "rating", "completion");
    if (completion && strcmp(completion, "participated") == 0)
        r->participated = 1;
    else if (completion && strcmp(completion, "passed") != 0)
        return msk_error(err, "%s: [rating] completion: ожидается passed или participated",
                         meth_name(f));
    /* seed 000 table 1, rows 5.1–5.2 «Доля выпускников …, продолживших обучение»: of all the
     * graduates (count, the default: a blank destination is not a continuation) or of those
     * with a known destination (skip). */
    const char *unknown = meth_get(f, "rating", "unknown_destination");
    if (unknown && strcmp(unknown, "skip") == 0)
        r->unknown_skip = 1;
    else if (unknown && strcmp(unknown, "count") != 0)
        return msk_error(err, "%s: [rating] unknown_destination: ожидается count или skip",
                         meth_name(f));
    for (size_t i = 0; i < meth_nsections(f); i++) {
        const char *sec = meth_section(f, i);
        if (strcmp(sec, "rating") != 0 && read_indicator(f, sec, r, err))
            return -1;
    }
    return 0;
}

/* ---- measuring the model ------------------------------------------------------------------- */

enum { RT_SKIP_ROW = MODEL_RETAKE | MODEL_PAST_GRADUATE | MODEL_ABSENT };

static int proc_selected_of(const rt_ind *d, const model_proc *p, int year)
{
    return p->year == year && list_has(d->kinds, d->nkinds, p->kind) &&
           !(d->nskip && list_has(d->skip, d->nskip, p->subject));
}

static int proc_selected(const rt_ind *d, const model_proc *p, int year)
{
    return d->psel ? d->psel[p - d->procs] : proc_selected_of(d, p, year);
}

static int school_ok(const model *m, int32_t s)
{
    return s >= 0 && (size_t)s < m->nschools;
}

static int level_selected_of(const rt_ind *d, const model_proc *p, int year)
{
    return proc_selected_of(d, p, year) && list_has(d->subjects, d->nsubjects, p->subject) &&
           p->grade >= d->grade_min && p->grade <= d->grade_max;
}

static int level_selected(const rt_ind *d, const model_proc *p, int year)
{
    return d->lsel ? d->lsel[p - d->procs] : level_selected_of(d, p, year);
}

/* completion = participated: pupils present of the pupils listed for the works (absent rows
 * counted; retakes and past-year graduates are not the school's pupils of the year). Only
 * per-pupil results know who was absent: a school known by aggregates alone has no data. */
static void measure_participated(const model *m, int year, const rt_ind *d, rt_val *v)
{
    const model_results *r = &m->res;
    for (size_t i = 0; i < r->n; i++) {
        int32_t s = r->school[i];
        if (!school_ok(m, s) || (r->flags[i] & (MODEL_RETAKE | MODEL_PAST_GRADUATE)) ||
            !level_selected(d, &m->procs[r->proc[i]], year))
            continue;
        v[s].den++;
        v[s].num += !(r->flags[i] & MODEL_ABSENT);
    }
    for (size_t s = 0; s < m->nschools; s++)
        v[s].has = v[s].den > 0;
}

static void measure_share_passed(const model *m, int year, const rt_ind *d, rt_val *v)
{
    if (d->participated) {
        measure_participated(m, year, d, v);
        return;
    }
    for (size_t i = 0; i < m->ncells; i++) {
        const model_cell *c = &m->cells[i];
        const model_proc *p = &m->procs[c->proc];
        if (!school_ok(m, c->school) || !level_selected(d, p, year))
            continue;
        rt_val *x = &v[c->school];
        for (int mark = 2; mark <= 5; mark++) {
            x->den += c->marks[mark];
            if (mark >= d->pass_mark)
                x->num += c->marks[mark];
        }
    }
    for (size_t s = 0; s < m->nschools; s++)
        v[s].has = v[s].den > 0;
}

static int row_failed(const model_proc *p, int mark, int test_score)
{
    if (mark == 2)
        return 1;
    return test_score >= 0 && p->min_test >= 0 && test_score < p->min_test;
}

/* Failed graduates are pupils, not exams: a pupil who failed two exams counts once. Schools
 * known only by aggregates add their failed counts as they are (they cannot be told apart). */
static int measure_gia_failed(const model *m, int year, const rt_ind *d, rt_val *v)
{
    unsigned char *seen = msk_calloc(m->npupils ? m->npupils : 1, 1);
    const model_results *r = &m->res;
    for (size_t i = 0; i < r->n; i++) {
        const model_proc *p = &m->procs[r->proc[i]];
        int32_t s = r->school[i];
        if (!school_ok(m, s) || (r->flags[i] & RT_SKIP_ROW) || !proc_selected(d, p, year))
            continue;
        v[s].has = 1;
        if (!row_failed(p, r->mark[i], r->test_score[i]))
            continue;
        int32_t pu = r->pupil[i];
        if (pu >= 0 && (size_t)pu < m->npupils) {
            if (seen[pu])
                continue;
            seen[pu] = 1;
        }
        v[s].num++;
    }
    free(seen);
    for (size_t i = 0; i < m->ncells; i++) {
        const model_cell *c = &m->cells[i];
        if (c->from_aggregate && school_ok(m, c->school) &&
            proc_selected(d, &m->procs[c->proc], year)) {
            v[c->school].has = 1;
            v[c->school].num += c->failed;
        }
    }
    return 0;
}

static void measure_ege_top(const model *m, int year, const rt_ind *d, rt_val *v)
{
    const model_results *r = &m->res;
    for (size_t i = 0; i < r->n; i++) {
        int32_t s = r->school[i];
        if (!school_ok(m, s) || (r->flags[i] & RT_SKIP_ROW) || r->test_score[i] < 0 ||
            !proc_selected(d, &m->procs[r->proc[i]], year))
            continue;
        v[s].has = 1;
        if (r->test_score[i] >= d->threshold)
            v[s].num++;
    }
}

/* Lowest qualifying ЕГЭ test score of each pupil (INT16_MAX when none). */
static int16_t *lowest_scores(const model *m, int year, const rt_ind *d)
{
    size_t n = m->npupils ? m->npupils : 1;
    int16_t *low = msk_malloc(n * sizeof *low);
    for (size_t i = 0; i < n; i++)
        low[i] = INT16_MAX;
    const model_results *r = &m->res;
    for (size_t i = 0; i < r->n; i++) {
        int32_t pu = r->pupil[i];
        if (pu < 0 || (size_t)pu >= m->npupils || (r->flags[i] & RT_SKIP_ROW) ||
            r->test_score[i] < 0 || !proc_selected(d, &m->procs[r->proc[i]], year))
            continue;
        if (r->test_score[i] < low[pu])
            low[pu] = r->test_score[i];
    }
    return low;
}

/* Medalists: the share of medalists with ЕГЭ scores whose every score is at least threshold
 * (medalists without any score are left out and counted in other). All exams: the share of
 * all graduates of the grade whose every score is at least threshold (no score: not counted). */
static int measure_threshold(const model *m, int year, const rt_ind *d, rt_val *v)
{
    int16_t *low = lowest_scores(m, year, d);
    if (!low)
        return -1;
    for (size_t i = 0; i < m->ngrads; i++) {
        const model_graduate *g = &m->grads[i];
        if (g->year != year || g->grade != d->grade_min || !school_ok(m, g->school))
            continue;
        if (d->measure == RT_MEDAL && !g->medal)
            continue;
        rt_val *x = &v[g->school];
        int scored = g->pupil >= 0 && (size_t)g->pupil < m->npupils && low[g->pupil] != INT16_MAX;
        int high = scored && low[g->pupil] >= d->threshold;
        if (d->measure == RT_MEDAL && !scored) {
            x->other++;
            continue;
        }
        x->den++;
        x->num += high;
    }
    free(low);
    for (size_t s = 0; s < m->nschools; s++)
        v[s].has = v[s].den > 0;
    return 0;
}

static int grade_listed(const rt_ind *d, int grade)
{
    for (size_t i = 0; i < d->ngrades; i++)
        if (d->grades[i] == grade)
            return 1;
    return 0;
}

static void measure_graduates(const model *m, int year, const rt_ind *d, rt_val *v)
{
    for (size_t i = 0; i < m->ngrads; i++) {
        const model_graduate *g = &m->grads[i];
        if (g->year != year || !school_ok(m, g->school))
            continue;
        rt_val *x = &v[g->school];
        switch (d->measure) {
        case RT_NO_ATTESTAT:
            if (g->grade == d->grade_min) {
                x->has = 1;
                x->num += !g->attestat;
            }
            break;
        case RT_DEST_SHARE:
            if (g->grade != d->grade_min)
                break;
            if (!g->destination[0]) { /* unknown: a graduate who did not continue, or skipped */
                x->other++;
                x->den += !d->unknown_skip;
                break;
            }
            x->den++;
            x->num += list_has(d->dest, d->ndest, g->destination);
            break;
        case RT_DEST_COUNT:
            if (grade_listed(d, g->grade)) {
                x->has = 1;
                x->num += g->destination[0] && list_has(d->dest, d->ndest, g->destination);
            }
            break;
        default:
            break;
        }
    }
    if (d->measure == RT_DEST_SHARE)
        for (size_t s = 0; s < m->nschools; s++)
            v[s].has = v[s].den > 0;
}

/* Team places and olympiad statuses: when the municipality has any record of the stage and
 * year, a school without one has data (no place, no winners); when it has none, nobody has. */
static void measure_olympiad(const model *m, int year, const rt_ind *d, rt_val *v)
{
    int any = 0;
    if (d->measure == RT_TEAM) {
        for (size_t i = 0; i < m->nteams; i++) {
            const model_team *t = &m->teams[i];
            if (t->year != year || strcmp(t->stage, d->stage) || !school_ok(m, t->school))
                continue;
            any = 1;
            long *place = &v[t->school].num; /* the best place if a school has several */
            if (t->place > 0 && (*place == 0 || t->place < *place))
                *place = t->place;
        }
    } else {
        for (size_t i = 0; i < m->nolymp; i++) {
            const model_olympiad *o = &m->olymp[i];
            if (o->year != year || strcmp(o->stage, d->stage) || !school_ok(m, o->school))
                continue;
            any = 1;
            if (strcmp(o->status, "winner") == 0)
                v[o->school].num++;
            else if (strcmp(o->status, "prizewinner") == 0)
                v[o->school].den++;
        }
    }
    for (size_t s = 0; s < m->nschools; s++)
        v[s].has = any;
}

/* Contests: the loader's context elements (model.h MODEL_CONTEST_PREFIX); a school has data when
 * the year has any contest row (the loader then gives every school a value). */
static void measure_contests(const model *m, int year, rt_val *v)
{
    static const char *const EL[3] = {MODEL_CONTEST_PREFIX "federal",
                                      MODEL_CONTEST_PREFIX "regional",
                                      MODEL_CONTEST_PREFIX "municipal"};
    for (size_t s = 0; s < m->nschools; s++)
        for (int k = 0; k < 3; k++) {
            double x = model_context(m, year, (int32_t)s, EL[k]);
            if (isnan(x))
                continue;
            v[s].has = 1;
            v[s].lv[k] = (long)x;
        }
}

static int measure_of(const model *m, int year, const rt_ind *d, rt_val *v)
{
    switch (d->measure) {
    case RT_NONE:
        return 0;
    case RT_SHARE_PASSED:
        measure_share_passed(m, year, d, v);
        return 0;
    case RT_GIA_FAILED:
        return measure_gia_failed(m, year, d, v);
    case RT_EGE_TOP:
        measure_ege_top(m, year, d, v);
        return 0;
    case RT_MEDAL:
    case RT_ALL_EXAMS:
        return measure_threshold(m, year, d, v);
    case RT_NO_ATTESTAT:
    case RT_DEST_SHARE:
    case RT_DEST_COUNT:
        measure_graduates(m, year, d, v);
        return 0;
    case RT_TEAM:
    case RT_OLYMP:
        measure_olympiad(m, year, d, v);
        return 0;
    case RT_CONTEST:
        measure_contests(m, year, v);
        return 0;
    }
    return 0;
}

/* measure_of with the procedures selected once for the indicator and year (the same answers
 * as proc_selected_of and level_selected_of give row by row). */
static int measure(const model *m, int year, const rt_ind *d, rt_val *v)
{
    rt_ind dd = *d;
    size_t np = m->nprocs;
    unsigned char *sel = msk_malloc(2 * np + 1);
    for (size_t p = 0; p < np; p++) {
        sel[p] = (unsigned char)proc_selected_of(d, &m->procs[p], year);
        sel[np + p] = (unsigned char)level_selected_of(d, &m->procs[p], year);
    }
    dd.procs = m->procs;
    dd.psel = sel;
    dd.lsel = sel + np;
    int rc = measure_of(m, year, &dd, v);
    free(sel);
    return rc;
}

/* ---- points -------------------------------------------------------------------------------- */

static int band_index(const meth_band *b, size_t n, double x)
{
    for (size_t i = 0; i < n; i++) {
        int above = b[i].lo_open ? x > b[i].lo : x >= b[i].lo;
        int below = b[i].hi_open ? x < b[i].hi : x <= b[i].hi;
        if (above && below)
            return (int)i;
    }
    return -1;
}

static void score(const rt_rules *r, const rt_ind *d, rt_val *x)
{
    x->band = -1;
    x->points = 0;
    if (!x->has)
        return;
    switch (d->scoring) {
    case SC_NONE:
        break;
    case SC_SHARE: {
        /* seed 000 table 1 gives whole percents (80–99 %, 100 %): the share is taken in whole
         * percent rounded down, so 99.6 % is 99 % and only everyone is 100 %. */
        double pct = r->floor_percent ? (double)((100 * (int64_t)x->num) / x->den)
                                      : 100.0 * (double)x->num / (double)x->den;
        x->percent = (long)pct;
        x->band = band_index(d->bands, d->nbands, pct);
        x->points = meth_band_points(d->bands, d->nbands, pct, 0);
        break;
    }
    case SC_PER_UNIT:
        x->points = (double)x->num * d->per_unit;
        break;
    case SC_PLACE:
        x->band = x->num > 0 ? band_index(d->bands, d->nbands, (double)x->num) : -1;
        x->points = x->num > 0 ? meth_band_points(d->bands, d->nbands, (double)x->num, 0) : 0;
        break;
    case SC_STATUS:
        x->points = (double)x->num * d->winner_points + (double)x->den * d->prize_points;
        break;
    case SC_LEVEL:
        for (int k = 0; k < 3; k++) {
            double p = x->lv[k] > 0 ? d->level_points[k] : 0;
            if (d->level_sum)
                x->points += p;
            else if (p > x->points)
                x->points = p;
        }
        break;
    }
    if (x->points < d->min_points)
        x->points = d->min_points;
    if (x->points > d->max_points)
        x->points = d->max_points;
}

/* ---- output -------------------------------------------------------------------------------- */

static json_t *json_points(double p)
{
    if (p == floor(p) && fabs(p) < 1e15)
        return json_integer((json_int_t)p);
    return json_real(p);
}

/* Points and thresholds in a reason people read: the minus sign U+2212 (not a hyphen) and a
 * decimal comma. */
static void fmt_num(msk_buf *b, double x)
{
    if (x < 0) {
        msk_buf_puts(b, "\u2212");
        x = -x;
    }
    if (x == floor(x) && x < 1e15) {
        msk_buf_printf(b, "%lld", (long long)x);
        return;
    }
    char t[64];
    snprintf(t, sizeof t, "%g", x);
    for (char *c = t; *c; c++)
        if (*c == '.')
            *c = ',';
    msk_buf_puts(b, t);
}

static void band_label(msk_buf *b, const meth_band *band, const char *unit)
{
    if (isinf(band->lo) && isinf(band->hi)) {
        msk_buf_puts(b, "любое");
    } else if (isinf(band->lo)) {
        msk_buf_puts(b, band->hi_open ? "<" : "<=");
        fmt_num(b, band->hi);
    } else if (isinf(band->hi)) {
        msk_buf_puts(b, band->lo_open ? ">" : ">=");
        fmt_num(b, band->lo);
    } else if (band->lo == band->hi) {
        fmt_num(b, band->lo);
    } else {
        fmt_num(b, band->lo);
        msk_buf_puts(b, "\u2013");
        fmt_num(b, band->hi);
    }
    msk_buf_puts(b, unit);
}

/* Russian plural of «балл» for a whole number. */
static const char *ball_word(double p)
{
    if (p != floor(p))
        return "балла";
    long long n = llabs((long long)p);
    if (n % 10 == 1 && n % 100 != 11)
        return "балл";
    if (n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14))
        return "балла";
    return "баллов";
}

/* The measure in words, for the text and the band of per-unit rows. */
static void describe(msk_buf *b, const rt_ind *d, const rt_val *x)
{
    if (!x->has) {
        msk_buf_puts(b, "нет данных");
        return;
    }
    switch (d->scoring) {
    case SC_SHARE:
        msk_buf_printf(b, "%ld %% (%ld из %ld)", x->percent, x->num, x->den);
        break;
    case SC_PER_UNIT:
        msk_buf_printf(b, "%ld", x->num);
        break;
    case SC_PLACE:
        if (x->num > 0)
            msk_buf_printf(b, "%ld место", x->num);
        else
            msk_buf_puts(b, "без места");
        break;
    case SC_STATUS:
        msk_buf_printf(b, "победителей %ld, призёров %ld", x->num, x->den);
        break;
    case SC_LEVEL:
        msk_buf_printf(b,
                       "победителей и призёров: федеральный уровень %ld, региональный %ld, "
                       "муниципальный %ld",
                       x->lv[0], x->lv[1], x->lv[2]);
        break;
    case SC_NONE:
        break;
    }
}

static json_t *evidence_of(const rt_ind *d, const rt_val *x)
{
    json_t *e = json_object();
    msk_buf b;
    msk_buf_init(&b, 4096);
    if (!e)
        goto out;
    json_object_set_new(e, "criterion", json_string(d->criterion));
    json_object_set_new(e, "title", json_string(d->title));
    json_object_set_new(e, "measure", json_string(d->measure_name));
    if (!x->has) {
        json_object_set_new(e, "value", json_null());
        json_object_set_new(e, "band", json_null());
        json_object_set_new(e, "note", json_string("нет данных"));
    } else if (d->scoring == SC_SHARE) {
        json_object_set_new(e, "value", json_real((double)x->num / (double)x->den));
        json_object_set_new(e, "percent", json_integer(x->percent));
        json_object_set_new(e, "num", json_integer(x->num));
        json_object_set_new(e, "den", json_integer(x->den));
        if (d->measure == RT_MEDAL)
            json_object_set_new(e, "without_scores", json_integer(x->other));
        if (d->measure == RT_SHARE_PASSED) /* which reading of «доля выполнения» */
            json_object_set_new(e, "completion",
                                json_string(d->participated ? "participated" : "passed"));
        if (d->measure == RT_DEST_SHARE) {
            json_object_set_new(e, "unknown_destination", json_integer(x->other));
            json_object_set_new(e, "unknown_in_den", json_boolean(!d->unknown_skip));
        }
        if (x->band >= 0)
            band_label(&b, &d->bands[x->band], " %");
        else
            msk_buf_puts(&b, "вне полос");
        json_object_set_new(e, "band", json_string(b.data));
    } else if (d->scoring == SC_PER_UNIT) {
        json_object_set_new(e, "value", json_integer(x->num));
        msk_buf_puts(&b, "по ");
        fmt_num(&b, d->per_unit);
        msk_buf_puts(&b, " за каждого");
        json_object_set_new(e, "band", json_string(b.data));
    } else if (d->scoring == SC_PLACE) {
        json_object_set_new(e, "value", x->num > 0 ? json_integer(x->num) : json_null());
        if (x->band >= 0)
            band_label(&b, &d->bands[x->band], " место");
        else
            msk_buf_puts(&b, "без места");
        json_object_set_new(e, "band", json_string(b.data));
    } else if (d->scoring == SC_STATUS) {
        json_object_set_new(e, "value", json_integer(x->num + x->den));
        json_object_set_new(e, "winners", json_integer(x->num));
        json_object_set_new(e, "prizewinners", json_integer(x->den));
        msk_buf_puts(&b, "победитель ");
        fmt_num(&b, d->winner_points);
        msk_buf_puts(&b, ", призёр ");
        fmt_num(&b, d->prize_points);
        json_object_set_new(e, "band", json_string(b.data));
    } else if (d->scoring == SC_LEVEL) {
        json_object_set_new(e, "value", json_integer(x->lv[0] + x->lv[1] + x->lv[2]));
        json_object_set_new(e, "federal", json_integer(x->lv[0]));
        json_object_set_new(e, "regional", json_integer(x->lv[1]));
        json_object_set_new(e, "municipal", json_integer(x->lv[2]));
        json_object_set_new(e, "combine", json_string(d->level_sum ? "sum" : "best"));
        msk_buf_puts(&b, "федеральный ");
        fmt_num(&b, d->level_points[0]);
        msk_buf_puts(&b, ", региональный ");
        fmt_num(&b, d->level_points[1]);
        msk_buf_puts(&b, ", муниципальный ");
        fmt_num(&b, d->level_points[2]);
        json_object_set_new(e, "band", json_string(b.data));
    }
    json_object_set_new(e, "points", json_points(x->points));
    if (b.failed) {
        json_decref(e);
        e = NULL;
    }
out:
    msk_buf_release(&b);
    return e;
}

typedef struct rt_school {
    size_t school;
    const char *code;
    double points;
    long rank;
} rt_school;

static int by_points(const void *pa, const void *pb)
{
    const rt_school *a = pa, *b = pb;
    if (a->points != b->points)
        return a->points > b->points ? -1 : 1;
    return strcmp(a->code, b->code);
}

/* One school's object; keys in the contract's order. NULL when out of memory. */
static json_t *school_json(const model *m, const rt_rules *r, const rt_school *rs,
                           const rt_val *vals)
{
    size_t s = rs->school;
    json_t *o = json_object(), *crit = json_object(), *ev = json_object();
    msk_buf t;
    msk_buf_init(&t, 1 << 16);
    if (!o || !crit || !ev) {
        json_decref(crit);
        json_decref(ev);
        goto fail;
    }
    /* o owns crit and ev from here (set_new steals them even when it fails) */
    int bad = json_object_set_new(o, "school", json_string(m->schools[s].code));
    bad |= json_object_set_new(o, "points", json_points(rs->points));
    bad |= json_object_set_new(o, "rank", json_integer(rs->rank));
    bad |= json_object_set_new(o, "criteria", crit);
    bad |= json_object_set_new(o, "evidence", ev);
    if (bad)
        goto fail;
    double sum[RT_MAX_CRIT] = {0};
    for (size_t i = 0; i < r->nind; i++)
        sum[r->ind[i].crit] += vals[i * m->nschools + s].points;
    for (size_t c = 0; c < r->ncrit; c++)
        if (json_object_set_new(crit, r->crit[c], json_points(sum[c])))
            goto fail;
    msk_buf_printf(&t, "%s: ", m->schools[s].code);
    fmt_num(&t, rs->points);
    msk_buf_printf(&t, " %s, место %ld.", ball_word(rs->points), rs->rank);
    for (size_t i = 0; i < r->nind; i++) {
        const rt_ind *d = &r->ind[i];
        const rt_val *x = &vals[i * m->nschools + s];
        json_t *e = evidence_of(d, x);
        if (!e || json_object_set_new(ev, d->id, e))
            goto fail;
        msk_buf_printf(&t, " %s: ", d->title);
        describe(&t, d, x);
        if (x->has) {
            msk_buf_puts(&t, " → ");
            fmt_num(&t, x->points);
        }
        msk_buf_putc(&t, ';');
    }
    if (t.len && t.data[t.len - 1] == ';')
        t.data[t.len - 1] = '.';
    if (t.failed || json_object_set_new(o, "text", json_string(t.data)))
        goto fail;
    msk_buf_release(&t);
    return o;
fail:
    msk_buf_release(&t);
    json_decref(o);
    return NULL;
}

int rating_run(const model *m, int year, const meth_file *f, json_t **out, msk_err *err)
{
    int rc = -1;
    rt_rules *r = NULL;
    rt_val *vals = NULL;
    rt_school *order = NULL;
    json_t *arr = NULL;
    *out = NULL;
    if (year < m->year_from || year > m->year_to) {
        msk_error(err, "рейтинг: год %d вне лет модели %d–%d", year, m->year_from, m->year_to);
        goto out;
    }
    r = msk_malloc(sizeof *r);
    if (read_rules(f, r, err))
        goto out;
    size_t ns = m->nschools;
    if (ns > SIZE_MAX / sizeof *vals / RT_MAX_IND) {
        msk_error(err, "рейтинг: слишком много школ");
        goto out;
    }
    vals = r->nind && ns ? msk_calloc(r->nind * ns, sizeof *vals) : NULL;
    order = ns ? msk_calloc(ns, sizeof *order) : NULL;
    for (size_t i = 0; i < r->nind; i++) {
        rt_val *v = &vals[i * ns];
        if (measure(m, year, &r->ind[i], v)) {
            msk_error(err, "рейтинг: нет памяти");
            goto out;
        }
        for (size_t s = 0; s < ns; s++) {
            score(r, &r->ind[i], &v[s]);
            order[s].points += v[s].points;
        }
    }
    for (size_t s = 0; s < ns; s++) {
        order[s].school = s;
        order[s].code = m->schools[s].code;
    }
    if (ns)
        qsort(order, ns, sizeof *order, by_points);
    for (size_t s = 0; s < ns; s++) /* standard competition ranking: 1, 1, 3 */
        order[s].rank =
            s > 0 && order[s].points == order[s - 1].points ? order[s - 1].rank : (long)s + 1;
    arr = json_array();
    if (!arr)
        goto oom;
    for (size_t s = 0; s < ns; s++) {
        json_t *o = school_json(m, r, &order[s], vals);
        if (!o || json_array_append_new(arr, o))
            goto oom;
    }
    *out = arr;
    arr = NULL;
    rc = 0;
    goto out;
oom:
    msk_error(err, "рейтинг: нет памяти");
out:
    json_decref(arr);
    free(order);
    free(vals);
    free(r);
    return rc;
}
