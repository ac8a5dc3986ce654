/*
 * ШНОР as the other acts define it (method/shnor.h, docs/methods.md «ШНОР по другим актам»):
 * seed 000 §6.5 — results under the minimum of the section VII indicators in most of the last
 * years (rule = below_minimum); seed 001 — ВПР 5–6 dynamics, ЕГЭ against the region's mean and
 * ever being on a list of non-objective results (rule = region_dynamics). Pure: the model and
 * the inputs the engine gathered.
 */
#include "method/shnor_rules.h"
#include "base/mem.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { RULE_MAX_PROCS = 64, RULE_MAX_MINS = 16 };

/* The act the reasons cite by default, and its point: the preset's source. */
#define ACT_000 "Концепция МСОКО г. Владикавказа"
#define POINT_000 "п. 6.5, раздел VII"
#define ACT_001 "Положение о МСОКО г. Горячий Ключ"
#define POINT_001 "раздел «Объекты МСОКО. Механизмы и процедуры оценивания»"

static const char *fname(const meth_file *f)
{
    return f ? meth_name(f) : "(встроенная методика)";
}

/* "0.5", "0,5", "50 %", "50%" → 0.5 (a share in (0, 1]). */
static int parse_share(const char *s, double *out)
{
    char buf[32], *e;
    size_t n = strlen(s);
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n + 1);
    for (char *p = buf; *p; p++)
        if (*p == ',')
            *p = '.';
    double v = strtod(buf, &e);
    if (e == buf)
        return -1;
    while (*e == ' ')
        e++;
    if (*e == '%') {
        v /= 100.0;
        e++;
    }
    while (*e == ' ')
        e++;
    if (*e || !(v > 0 && v <= 1))
        return -1;
    *out = v;
    return 0;
}

/* A list of procedures (key of [shnor]) or the defaults. */
static int read_procs(const meth_file *f, const char *key, const char *const *dflt, size_t ndflt,
                      shnor_proc_key *k, size_t *n, msk_err *err)
{
    const char *items[RULE_MAX_PROCS + 1];
    size_t c = ndflt;
    if (f && meth_get(f, "shnor", key)) {
        c = meth_list(f, "shnor", key, items, RULE_MAX_PROCS + 1);
        if (c > RULE_MAX_PROCS || c == 0)
            return msk_error_at(err, fname(f), 0, 0, "[shnor] %s: %s", key,
                                c ? "больше 64 процедур" : "список пуст");
    } else {
        for (size_t i = 0; i < ndflt; i++)
            items[i] = dflt[i];
    }
    for (size_t i = 0; i < c; i++)
        if (shnor_parse_proc(items[i], &k[i]))
            return msk_error_at(err, fname(f), 0, 0,
                                "[shnor] %s: «%s» не понято — пишите ВИД:предмет:класс, "
                                "например VPR:math:5",
                                key, items[i]);
    *n = c;
    return 0;
}

static int proc_index(const shnor_proc_key *k, size_t n, const model_proc *p)
{
    for (size_t i = 0; i < n; i++)
        if (shnor_proc_matches(&k[i], p))
            return (int)i;
    return -1;
}

static const char *act_of(const meth_file *f, const char *dflt_act)
{
    return meth_act(f, "shnor", dflt_act);
}

static const char *point_of(const meth_file *f, const char *dflt_point)
{
    const char *p = f ? meth_get(f, "shnor", "act_point") : NULL;
    return p && *p ? p : dflt_point;
}

/* The act and its point go into every sentence: keep them to a size the sentences hold. */
static int check_act(const meth_file *f, const char *act, const char *point, msk_err *err)
{
    if (strlen(act) > 300 || strlen(point) > 300)
        return msk_error_at(err, fname(f), 0, 0,
                            "[shnor] act и act_point: не длиннее 300 байт (около 150 букв) каждый");
    return 0;
}

/* Who did not fail, in the words of the procedure: «3» and above, or over the ЕГЭ minimum. */
static const char *passed_words(const model_proc *p)
{
    return strcmp(p->kind, "EGE") == 0 && p->min_test >= 0 ? "преодолели минимальный порог"
                                                           : "«3» и выше";
}

/* ==== seed 000 §6.5: below the minimum of the section VII indicators ==================== */

typedef struct bm_min {
    char kind[8];
    int grade; /* -1: any */
    double share;
} bm_min;

typedef struct bm_cfg {
    shnor_proc_key procs[RULE_MAX_PROCS];
    size_t nprocs, nmins;
    bm_min mins[RULE_MAX_MINS];
    long years, of_years, min_participants;
    const char *act, *point;
} bm_cfg;

/* "VPR:50 %" or "MKR:10:90 %" (or one share for every procedure). */
static int parse_min(const char *item, bm_min *b)
{
    const char *a = strchr(item, ':');
    if (!a)
        return -1;
    size_t kl = (size_t)(a - item);
    if (kl == 0 || kl >= sizeof b->kind)
        return -1;
    memcpy(b->kind, item, kl);
    b->kind[kl] = '\0';
    b->grade = -1;
    const char *rest = a + 1, *c = strchr(rest, ':');
    if (c) {
        char *e;
        long g = strtol(rest, &e, 10);
        if (e != c || g < 1 || g > 12)
            return -1;
        b->grade = (int)g;
        rest = c + 1;
    }
    return parse_share(rest, &b->share);
}

static int bm_read_mins(const meth_file *f, bm_cfg *c, msk_err *err)
{
    /* seed 000 Table 1: the lowest band that earns a point — ВПР «50-79% - 1 балл», РКР
     * «70-84% - 1 балл», МКР «85-90 % - 1 балл» (ООО) and «90-94% - 1 балла» (СОО); first
     * match wins */
    static const char *dflt[] = {"MKR:10:90 %", "MKR:11:90 %", "VPR:50 %", "RKR:70 %", "MKR:85 %"};
    const char *items[RULE_MAX_MINS + 1];
    const char *v = f ? meth_get(f, "shnor", "min_share") : NULL;
    size_t n = sizeof dflt / sizeof dflt[0];
    if (v && !strchr(v, ':')) { /* one share for every procedure */
        c->nmins = 1;
        snprintf(c->mins[0].kind, sizeof c->mins[0].kind, "*");
        c->mins[0].grade = -1;
        if (parse_share(v, &c->mins[0].share))
            return msk_error_at(err, fname(f), 0, 0,
                                "[shnor] min_share = «%s»: нужна доля больше 0 и не больше 1 "
                                "(0.5 или 50 %%) или список ВИД:доля (VPR:50 %%, RKR:70 %%)",
                                v);
        return 0;
    }
    if (v) {
        n = meth_list(f, "shnor", "min_share", items, RULE_MAX_MINS + 1);
        if (n == 0 || n > RULE_MAX_MINS)
            return msk_error_at(err, fname(f), 0, 0, "[shnor] min_share: от 1 до %d значений",
                                RULE_MAX_MINS);
    } else {
        for (size_t i = 0; i < n; i++)
            items[i] = dflt[i];
    }
    for (size_t i = 0; i < n; i++)
        if (parse_min(items[i], &c->mins[i]))
            return msk_error_at(err, fname(f), 0, 0,
                                "[shnor] min_share: «%s» не понято — пишите ВИД:доля или "
                                "ВИД:класс:доля, например VPR:50 %% или MKR:11:90 %% (в "
                                "списке дробь — с точкой)",
                                items[i]);
    c->nmins = n;
    return 0;
}

static int bm_read(const meth_file *f, bm_cfg *c, msk_err *err)
{
    static const char *known[] = {"rule",     "procedures", "min_share", "years",
                                  "of_years", "act",        "act_point", "min_participants"};
    static const char *dflt[] = {"VPR:*:*", "RKR:*:*", "MKR:*:*"};
    memset(c, 0, sizeof *c);
    if (meth_check_keys(f, "shnor", known, sizeof known / sizeof known[0], err) ||
        read_procs(f, "procedures", dflt, 3, c->procs, &c->nprocs, err) ||
        bm_read_mins(f, c, err) || meth_int(f, "shnor", "years", 2, &c->years, err) ||
        meth_int(f, "shnor", "of_years", 3, &c->of_years, err) ||
        meth_int(f, "shnor", "min_participants", 20, &c->min_participants, err))
        return -1;
    /* the engine's model holds the year and the two before it (seed 001: depth ≥ 3 years) */
    if (c->of_years < 1 || c->of_years > 3 || c->years < 1 || c->years > c->of_years)
        return msk_error_at(err, fname(f), 0, 0,
                            "[shnor] years = %ld, of_years = %ld: нужно 1 ≤ years ≤ of_years ≤ 3 "
                            "(анализ читает год и два предыдущих)",
                            c->years, c->of_years);
    if (c->min_participants < 0)
        return msk_error_at(err, fname(f), 0, 0, "[shnor] min_participants не может быть меньше 0");
    c->act = act_of(f, ACT_000);
    c->point = point_of(f, POINT_000);
    return check_act(f, c->act, c->point, err);
}

static double bm_min_of(const bm_cfg *c, const model_proc *p)
{
    for (size_t i = 0; i < c->nmins; i++)
        if ((!strcmp(c->mins[i].kind, "*") || !strcmp(c->mins[i].kind, p->kind)) &&
            (c->mins[i].grade < 0 || c->mins[i].grade == p->grade))
            return c->mins[i].share;
    return NAN; /* no minimum named for the procedure: not judged */
}

typedef struct bm_rec {
    int32_t school, proc;
    int key, participants, failed;
    double min;
} bm_rec;

static int bm_cmp(const void *a, const void *b, void *ctx)
{
    const model *m = ctx;
    const bm_rec *x = a, *y = b;
    int c = strcmp(m->schools[x->school].code, m->schools[y->school].code);
    if (c)
        return c;
    int yx = m->procs[x->proc].year, yy = m->procs[y->proc].year;
    if (yx != yy)
        return yx < yy ? -1 : 1;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->proc > y->proc) - (x->proc < y->proc);
}

static json_t *bm_item(const model *m, const bm_rec *r, const bm_cfg *c)
{
    const model_proc *p = &m->procs[r->proc];
    int passed = r->participants - r->failed;
    double ps = (double)passed / r->participants;
    int small = r->participants < c->min_participants;
    char pct[32], thr[32], text[1536];
    shnor_pct(ps, pct, sizeof pct);
    shnor_pct_short(r->min, thr, sizeof thr);
    int n = snprintf(text, sizeof text,
                     "%s, %s, %d класс, %d: %s — %d из %d (%s %%), ниже минимального значения "
                     "показателя %s %% (методика ШНОР: %s, %s)",
                     shnor_kind_ru(p->kind), shnor_subject_ru(p->subject), p->grade, p->year,
                     passed_words(p), passed, r->participants, pct, thr, c->act, c->point);
    if (small && n > 0 && (size_t)n < sizeof text)
        snprintf(text + n, sizeof text - (size_t)n,
                 "; участников меньше %ld — малая выборка, вывод статистически ненадёжен",
                 c->min_participants);
    /* "share"/"threshold" are of the failed, as in every ШНОР item (the card compares them):
     * under the minimum of passed ⇔ failed over 1 − minimum */
    return json_pack("{s:i, s:s, s:s, s:i, s:i, s:i, s:f, s:f, s:f, s:f, s:b, s:s}", "year",
                     p->year, "kind", p->kind, "subject", p->subject, "grade", p->grade,
                     "participants", r->participants, "failed", r->failed, "share",
                     shnor_round4(1.0 - ps), "threshold", shnor_round4(1.0 - r->min),
                     "passed_share", shnor_round4(ps), "min_share", shnor_round4(r->min),
                     "small_sample", small, "text", text);
}

/* The verdict of one school from its low records r[0..n) (sorted by year); has[k] says whether
 * year Y−k had a judged procedure at the school. */
static int bm_school(const model *m, int year, const bm_rec *r, size_t n, const char *has,
                     const bm_cfg *c, json_t *arr)
{
    int low[3] = {0, 0, 0}, nlow = 0;
    for (size_t i = 0; i < n; i++)
        low[year - m->procs[r[i].proc].year] = 1;
    for (int k = 0; k < c->of_years; k++)
        nlow += low[k];
    if (nlow < c->years)
        return 0;
    json_t *items = json_array();
    int all_small = 1;
    for (size_t i = 0; i < n; i++) {
        all_small &= r[i].participants < c->min_participants;
        json_array_append_new(items, bm_item(m, &r[i], c));
    }
    char yl[64] = "", miss[64] = "", text[600];
    for (int k = (int)c->of_years - 1; k >= 0; k--) {
        char *d = low[k] ? yl : !has[k] ? miss : NULL;
        if (d)
            snprintf(d + strlen(d), 64 - strlen(d), "%s%d", *d ? ", " : "", year - k);
    }
    int t = snprintf(text, sizeof text,
                     "Результаты ниже минимального значения показателей МСОКО в %d из %ld "
                     "последних лет (%s; условие — не меньше %ld)",
                     nlow, c->of_years, yl, c->years);
    if (miss[0] && t > 0 && (size_t)t < sizeof text)
        t += snprintf(text + t, sizeof text - (size_t)t, ". Нет данных по процедурам за %s", miss);
    if (all_small && t > 0 && (size_t)t < sizeof text)
        snprintf(text + t, sizeof text - (size_t)t,
                 ". Все процедуры — малые выборки (меньше %ld участников): вывод требует "
                 "осторожности",
                 c->min_participants);
    char rule[1024];
    snprintf(rule, sizeof rule,
             "Школа входит в список школ с низкими образовательными результатами, если не меньше "
             "чем в %ld из %ld последних лет доля участников с отметкой «3» и выше хотя бы по "
             "одной процедуре ниже минимального значения показателя МСОКО для этой процедуры.",
             c->years, c->of_years);
    json_t *o = json_pack("{s:s, s:s, s:b, s:o, s:s, s:s}", "school", m->schools[r[0].school].code,
                          "rule", "below_min", "small_sample", all_small, "low", items, "text",
                          text, "rule_text", rule);
    return !o || json_array_append_new(arr, o) ? -1 : 0;
}

int shnor_below_run(const model *m, int year, const meth_file *f, json_t **out, msk_err *err)
{
    bm_cfg c;
    int rc = -1;
    int *sel = NULL;
    double *min = NULL;
    char *has = NULL;
    bm_rec *r = NULL;
    size_t nr = 0;
    json_t *arr = NULL;
    *out = NULL;
    if (bm_read(f, &c, err))
        goto out;
    sel = msk_malloc((m->nprocs + 1) * sizeof *sel);
    min = msk_malloc((m->nprocs + 1) * sizeof *min);
    has = msk_calloc(m->nschools * 3 + 1, 1);
    r = msk_malloc((m->ncells + 1) * sizeof *r);
    arr = json_array();
    for (size_t p = 0; p < m->nprocs; p++) {
        int age = year - m->procs[p].year;
        sel[p] = age >= 0 && age < c.of_years ? proc_index(c.procs, c.nprocs, &m->procs[p]) : -1;
        min[p] = sel[p] >= 0 ? bm_min_of(&c, &m->procs[p]) : NAN;
        if (isnan(min[p]))
            sel[p] = -1;
    }
    for (size_t i = 0; i < m->ncells; i++) {
        const model_cell *cl = &m->cells[i];
        if (sel[cl->proc] < 0 || cl->participants <= 0)
            continue;
        has[(size_t)cl->school * 3 + (size_t)(year - m->procs[cl->proc].year)] = 1;
        /* seed 000 Table 1: «50-79% - 1 балл» — 50 % itself is in the band, under it is not;
         * compare counts: passed < minimum · participants */
        double passed = cl->participants - cl->failed;
        if (passed < min[cl->proc] * cl->participants - 1e-9)
            r[nr++] = (bm_rec){cl->school,       cl->proc,   sel[cl->proc],
                               cl->participants, cl->failed, min[cl->proc]};
    }
    qsort_r(r, nr, sizeof *r, bm_cmp, (void *)m);
    for (size_t i = 0; i < nr;) {
        size_t j = i;
        while (j < nr && r[j].school == r[i].school)
            j++;
        if (bm_school(m, year, r + i, j - i, has + (size_t)r[i].school * 3, &c, arr)) {
            msk_error(err, "не хватает памяти");
            goto out;
        }
        i = j;
    }
    *out = arr;
    arr = NULL;
    rc = 0;
out:
    json_decref(arr);
    free(sel);
    free(min);
    free(has);
    free(r);
    return rc;
}

/* ==== seed 001: ВПР dynamics, ЕГЭ against the region, lists of non-objective results ===== */

typedef struct rd_cfg {
    shnor_proc_key vpr[RULE_MAX_PROCS], ege[RULE_MAX_PROCS];
    size_t nvpr, nege;
    double vpr_rise, ege_ratio;
    long vpr_min, min_reasons, min_participants;
    int nonobj;
    const char *act, *point;
} rd_cfg;

static int rd_read(const meth_file *f, rd_cfg *c, msk_err *err)
{
    static const char *known[] = {
        "rule",   "vpr_procedures", "vpr_rise", "vpr_min",   "ege_procedures",  "ege_ratio",
        "nonobj", "min_reasons",    "act",      "act_point", "min_participants"};
    /* seed 001: «динамика результатов ВПР по русскому языку и математике в 5 и 6 классах …,
     * динамика результатов ЕГЭ, отнесенных к среднекраевому баллу по русскому языку и
     * математике» (базовая математика — отметка, не балл: её среднего балла края нет) */
    static const char *dv[] = {"VPR:math:5", "VPR:math:6", "VPR:rus:5", "VPR:rus:6"};
    static const char *de[] = {"EGE:rus:11", "EGE:math_prof:11"};
    memset(c, 0, sizeof *c);
    if (meth_check_keys(f, "shnor", known, sizeof known / sizeof known[0], err) ||
        read_procs(f, "vpr_procedures", dv, 4, c->vpr, &c->nvpr, err) ||
        read_procs(f, "ege_procedures", de, 2, c->ege, &c->nege, err) ||
        meth_num(f, "shnor", "vpr_rise", 0.10, &c->vpr_rise, err) ||
        meth_num(f, "shnor", "ege_ratio", 0.90, &c->ege_ratio, err) ||
        meth_int(f, "shnor", "vpr_min", 2, &c->vpr_min, err) ||
        meth_int(f, "shnor", "min_reasons", 1, &c->min_reasons, err) ||
        meth_int(f, "shnor", "min_participants", 20, &c->min_participants, err) ||
        meth_bool(f, "shnor", "nonobj", 1, &c->nonobj, err))
        return -1;
    if (!(c->vpr_rise >= 0 && c->vpr_rise < 1) || !(c->ege_ratio > 0 && c->ege_ratio <= 2))
        return msk_error_at(err, fname(f), 0, 0,
                            "[shnor] vpr_rise — доля от 0 до 1 (0.1 или 10 %%), ege_ratio — "
                            "больше 0 и не больше 2 (0.9: 90 %% среднего балла края)");
    if (c->vpr_min < 1 || c->min_reasons < 1 || c->min_reasons > 3 || c->min_participants < 0)
        return msk_error_at(err, fname(f), 0, 0,
                            "[shnor] vpr_min не меньше 1, min_reasons от 1 до 3, "
                            "min_participants не меньше 0");
    c->act = act_of(f, ACT_001);
    c->point = point_of(f, POINT_001);
    return check_act(f, c->act, c->point, err);
}

/* Per school: the items and the notes of each reason. */
typedef struct rd_school {
    json_t *vpr, *ege, *nonobj;
    int nvpr_worse, nege_low, all_small, nitems;
    char notes[1024];
} rd_school;

static void note(rd_school *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(rd_school *s, const char *fmt, ...)
{
    size_t n = strlen(s->notes);
    if (n + 3 >= sizeof s->notes)
        return;
    if (n)
        n += (size_t)snprintf(s->notes + n, sizeof s->notes - n, ". ");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->notes + n, sizeof s->notes - n, fmt, ap);
    va_end(ap);
}

static const shnor_region_mean *region_of(const shnor_inputs *in, const model_proc *p, int year)
{
    for (size_t i = 0; in && i < in->nregion; i++) {
        const shnor_region_mean *r = &in->region[i];
        if (r->year == year && r->grade == p->grade && !strcmp(r->kind, p->kind) &&
            !strcmp(r->subject, p->subject) && r->mean > 0)
            return r;
    }
    return NULL;
}

static void rd_vpr(const model *m, int year, int32_t s, int32_t p, const rd_cfg *c, rd_school *o)
{
    const model_proc *pr = &m->procs[p];
    const model_cell *now = model_cell_of(m, p, s);
    if (!now || now->participants <= 0)
        return;
    int32_t q = model_find_proc(m, year - 1, pr->kind, pr->subject, pr->grade);
    const model_cell *was = q >= 0 ? model_cell_of(m, q, s) : NULL;
    if (!was || was->participants <= 0)
        return; /* no dynamics without the year before */
    double s1 = (double)now->failed / now->participants;
    double s0 = (double)was->failed / was->participants;
    /* a rise, and at least vpr_rise of it (in percentage points) */
    if (!(s1 > s0 + 1e-12 && s1 >= s0 + c->vpr_rise - 1e-9))
        return;
    o->nvpr_worse++;
    int small = now->participants < c->min_participants || was->participants < c->min_participants;
    o->all_small &= small;
    char a[32], b[32], d[32], t[32], text[1536];
    shnor_pct(s0, a, sizeof a);
    shnor_pct(s1, b, sizeof b);
    shnor_pct(s1 - s0, d, sizeof d);
    shnor_pct_short(c->vpr_rise, t, sizeof t);
    snprintf(text, sizeof text,
             "%s, %s, %d класс: доля «2» выросла с %s %% в %d (%d из %d) до %s %% в %d (%d из %d), "
             "на %s п. п.; порог роста %s п. п. (методика ШНОР: %s, %s)%s",
             shnor_kind_ru(pr->kind), shnor_subject_ru(pr->subject), pr->grade, a, year - 1,
             was->failed, was->participants, b, year, now->failed, now->participants, d, t, c->act,
             c->point, small ? "; малая выборка, вывод статистически ненадёжен" : "");
    json_array_append_new(
        o->vpr, json_pack("{s:s, s:i, s:s, s:s, s:i, s:i, s:i, s:f, s:f, s:i, s:i, s:i, s:f, "
                          "s:b, s:s}",
                          "reason", "vpr_rise", "year", year, "kind", pr->kind, "subject",
                          pr->subject, "grade", pr->grade, "participants", now->participants,
                          "failed", now->failed, "share", shnor_round4(s1), "threshold",
                          shnor_round4(s0 + c->vpr_rise), "prev_year", year - 1,
                          "prev_participants", was->participants, "prev_failed", was->failed,
                          "prev_share", shnor_round4(s0), "small_sample", small, "text", text));
}

/* A score with one decimal and a decimal comma: 58.25 → "58,3". */
static void fmt1(double v, char *out, size_t outsz)
{
    snprintf(out, outsz, "%.1f", v);
    for (char *x = out; *x; x++)
        if (*x == '.')
            *x = ',';
}

/* The school's mean over the region's of p (NAN when either is unknown). */
static double ratio_of(const model *m, const shnor_inputs *in, int32_t p, int32_t s, double *mean,
                       double *region)
{
    const model_cell *cl = p >= 0 ? model_cell_of(m, p, s) : NULL;
    const shnor_region_mean *r = p >= 0 ? region_of(in, &m->procs[p], m->procs[p].year) : NULL;
    *mean = cl && cl->participants > 0 ? cl->mean_test : NAN;
    *region = r ? r->mean : NAN;
    return isnan(*mean) || isnan(*region) ? NAN : *mean / *region;
}

static void rd_ege(const model *m, const shnor_inputs *in, int year, int32_t s, int32_t p,
                   const rd_cfg *c, rd_school *o)
{
    const model_proc *pr = &m->procs[p];
    const model_cell *now = model_cell_of(m, p, s);
    if (!now || now->participants <= 0)
        return;
    char what[160];
    snprintf(what, sizeof what, "%s, %s, %d класс, %d", shnor_kind_ru(pr->kind),
             shnor_subject_ru(pr->subject), pr->grade, year);
    double mean, region, mp, rp;
    double r = ratio_of(m, in, p, s, &mean, &region);
    if (isnan(region)) {
        note(o, "%s: средний балл края не загружен — сравнение с ним не проведено", what);
        return;
    }
    if (isnan(mean)) {
        note(o,
             "%s: средний балл школы неизвестен (только сводные результаты) — сравнение со "
             "средним баллом края не проведено",
             what);
        return;
    }
    if (!(r < c->ege_ratio - 1e-12))
        return;
    o->nege_low++;
    int small = now->participants < c->min_participants;
    o->all_small &= small;
    double rprev = ratio_of(m, in, model_find_proc(m, year - 1, pr->kind, pr->subject, pr->grade),
                            s, &mp, &rp);
    char a[32], t[32], prev[96] = "", text[1536], ms[32], rs[32];
    fmt1(mean, ms, sizeof ms);
    fmt1(region, rs, sizeof rs);
    shnor_pct(r, a, sizeof a);
    shnor_pct_short(c->ege_ratio, t, sizeof t);
    if (!isnan(rprev)) {
        char b[32];
        shnor_pct(rprev, b, sizeof b);
        snprintf(prev, sizeof prev, "; в %d — %s %%", year - 1, b);
    }
    snprintf(text, sizeof text,
             "%s: средний балл школы %s — %s %% среднего балла края (%s), "
             "ниже порога %s %%%s (методика ШНОР: %s, %s)%s",
             what, ms, a, rs, t, prev, c->act, c->point,
             small ? "; малая выборка, вывод статистически ненадёжен" : "");
    /* "share" is the ratio and "threshold" ege_ratio: the card shows them as percents */
    json_t *it = json_pack("{s:s, s:i, s:s, s:s, s:i, s:i, s:i, s:f, s:f, s:f, s:f, s:b, s:s}",
                           "reason", "ege_region", "year", year, "kind", pr->kind, "subject",
                           pr->subject, "grade", pr->grade, "participants", now->participants,
                           "failed", now->failed, "share", shnor_round4(r), "threshold",
                           shnor_round4(c->ege_ratio), "mean", round(mean * 10) / 10, "region_mean",
                           round(region * 10) / 10, "small_sample", small, "text", text);
    json_object_set_new(it, "prev_ratio",
                        isnan(rprev) ? json_null() : json_real(shnor_round4(rprev)));
    json_array_append_new(o->ege, it);
}

static const char *list_words(const char *source)
{
    if (!strcmp(source, "nonobj_federal"))
        return "федеральный список";
    if (!strcmp(source, "nonobj_regional"))
        return "региональный список";
    return "список школ с признаками необъективности по анализу года";
}

static void rd_nonobj(const model *m, const shnor_inputs *in, int32_t s, const rd_cfg *c,
                      rd_school *o)
{
    if (!in || in->nlists == 0) {
        note(o, "Списки школ с необъективными результатами (прошлых лет, федеральный, "
                "региональный) не загружены и не составлялись — этот показатель не проверен");
        return;
    }
    for (size_t i = 0; i < in->nnonobj; i++) {
        const shnor_nonobj *x = &in->nonobj[i];
        if (strcmp(x->school, m->schools[s].code) != 0)
            continue;
        char text[1024];
        snprintf(text, sizeof text,
                 "%d: школа вошла в список школ, показавших необъективные результаты (%s) "
                 "(методика ШНОР: %s, %s)",
                 x->year, list_words(x->source), c->act, c->point);
        json_array_append_new(o->nonobj, json_pack("{s:i, s:s, s:s}", "year", x->year, "source",
                                                   x->source, "text", text));
    }
}

static void rd_reasons(const rd_school *o, const rd_cfg *c, char *codes, size_t ncodes, int *n)
{
    int vpr = o->nvpr_worse >= c->vpr_min, ege = o->nege_low > 0,
        no = c->nonobj && json_array_size(o->nonobj) > 0;
    *n = vpr + ege + no;
    snprintf(codes, ncodes, "%s%s%s%s%s", vpr ? "vpr_rise" : "", vpr && (ege || no) ? "," : "",
             ege ? "ege_region" : "", ege && no ? "," : "", no ? "nonobj" : "");
}

static int rd_school_json(const model *m, int32_t s, rd_school *o, const rd_cfg *c, json_t *arr)
{
    char codes[64], text[2048];
    int n;
    rd_reasons(o, c, codes, sizeof codes, &n);
    if (n < c->min_reasons)
        return 0;
    json_t *low = json_array();
    if (o->nvpr_worse >= c->vpr_min)
        json_array_extend(low, o->vpr);
    json_array_extend(low, o->ege);
    int t =
        snprintf(text, sizeof text, "Выполнено показателей ШНОР: %d из %d (нужно не меньше %ld)", n,
                 c->nonobj ? 3 : 2, c->min_reasons);
    if (o->nvpr_worse && t > 0 && (size_t)t < sizeof text)
        t += snprintf(text + t, sizeof text - (size_t)t,
                      ". ВПР: процедур, где доля «2» выросла, — %d (нужно не меньше %ld)",
                      o->nvpr_worse, c->vpr_min);
    if (o->nege_low && t > 0 && (size_t)t < sizeof text)
        t += snprintf(text + t, sizeof text - (size_t)t,
                      ". ЕГЭ: предметов со средним баллом ниже порога от среднего балла края — %d",
                      o->nege_low);
    if (o->notes[0] && t > 0 && (size_t)t < sizeof text)
        snprintf(text + t, sizeof text - (size_t)t, ". %s", o->notes);
    int small = o->all_small && json_array_size(low) > 0 && !json_array_size(o->nonobj);
    char rule[1024], rise[32], ratio[32];
    shnor_pct_short(c->vpr_rise, rise, sizeof rise);
    shnor_pct_short(c->ege_ratio, ratio, sizeof ratio);
    snprintf(rule, sizeof rule,
             "Школа входит в список школ с низкими образовательными результатами, если выполнено "
             "не меньше %ld из показателей: доля «2» на ВПР выросла за год не меньше чем на %s "
             "п. п. не меньше чем по %ld процедурам; средний балл ЕГЭ ниже %s %% среднего балла "
             "края%s.",
             c->min_reasons, rise, c->vpr_min, ratio,
             c->nonobj ? "; школа хотя бы раз входила в список школ с необъективными результатами"
                       : "");
    json_t *x = json_pack("{s:s, s:s, s:b, s:o, s:O, s:s, s:s}", "school", m->schools[s].code,
                          "rule", codes, "small_sample", small, "low", low, "nonobj", o->nonobj,
                          "text", text, "rule_text", rule);
    return !x || json_array_append_new(arr, x) ? -1 : 0;
}

static int cmp_code(const void *a, const void *b, void *ctx)
{
    const model *m = ctx;
    return strcmp(m->schools[*(const int32_t *)a].code, m->schools[*(const int32_t *)b].code);
}

int shnor_region_run(const model *m, int year, const meth_file *f, const shnor_inputs *in,
                     json_t **out, msk_err *err)
{
    rd_cfg c;
    *out = NULL;
    if (rd_read(f, &c, err))
        return -1;
    json_t *arr = json_array();
    int rc = 0;
    int32_t *order = msk_malloc((m->nschools + 1) * sizeof *order);
    for (size_t s = 0; s < m->nschools; s++)
        order[s] = (int32_t)s;
    qsort_r(order, m->nschools, sizeof *order, cmp_code, (void *)m); /* by code, as every list */
    for (size_t k = 0; k < m->nschools && !rc; k++) {
        int32_t s = order[k];
        rd_school o;
        memset(&o, 0, sizeof o);
        o.vpr = json_array();
        o.ege = json_array();
        o.nonobj = json_array();
        o.all_small = 1;
        for (size_t p = 0; p < m->nprocs; p++) {
            if (m->procs[p].year != year)
                continue;
            if (proc_index(c.vpr, c.nvpr, &m->procs[p]) >= 0)
                rd_vpr(m, year, s, (int32_t)p, &c, &o);
            if (proc_index(c.ege, c.nege, &m->procs[p]) >= 0)
                rd_ege(m, in, year, s, (int32_t)p, &c, &o);
        }
        if (c.nonobj)
            rd_nonobj(m, in, s, &c, &o);
        rc = rd_school_json(m, s, &o, &c, arr);
        json_decref(o.vpr);
        json_decref(o.ege);
        json_decref(o.nonobj);
    }
    free(order);
    if (rc) {
        json_decref(arr);
        return msk_error(err, "не хватает памяти");
    }
    *out = arr;
    return 0;
}
