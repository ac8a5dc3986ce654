/*
 * ШНОР (seed 002 §2.1): low procedures from the model's cells (retakes, past-year graduates and
 * absentees are already left out of the cells), then rules A and B per school. One pass over
 * the cells collects the low procedures; a sort groups them by school.
 */
#include "method/shnor.h"
#include "base/fmt.h"
#include "base/mem.h"
#include "method/shnor_rules.h"

#include "base/vocab.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { SHNOR_MAX_PROCS = 64 };

typedef struct shnor_cfg {
    shnor_proc_key procs[SHNOR_MAX_PROCS];
    size_t nprocs;
    double low_share;      /* seed 002 §2.1: "не менее 30 %" — a share ≥ this is low */
    int rule_a, rule_b;    /* which rules list a school (rule = A | B | AB) */
    int b_same;            /* rule B: the same procedure in both years (else any procedure) */
    long min_participants; /* fewer participants: the low procedure is a small sample */
    long rule_a_min;       /* rule A: at least this many low procedures in year Y */
    const char *act;       /* the act the reasons cite (act = …) */
} shnor_cfg;

typedef struct low_rec {
    int32_t school, proc;
    int key; /* index in cfg.procs: the order of the list */
    int participants, failed;
    int use; /* supports the verdict */
} low_rec;

const char *shnor_kind_ru(const char *kind)
{
    return vocab_label(VOCAB_PROC_KIND, kind);
}

const char *shnor_subject_ru(const char *subject)
{
    return vocab_lower(VOCAB_SUBJECT, subject);
}

static void comma(char *s)
{
    for (; *s; s++)
        if (*s == '.')
            *s = ',';
}

void shnor_pct(double share, char *out, size_t outsz)
{
    snprintf(out, outsz, "%.1f", share * 100.0);
    comma(out);
}

void shnor_pct_short(double share, char *out, size_t outsz)
{
    snprintf(out, outsz, "%.2f", share * 100.0);
    size_t n = strlen(out); /* drop trailing zeros and the point: 30.00 → 30, 12.50 → 12.5 */
    while (n > 0 && out[n - 1] == '0')
        out[--n] = '\0';
    if (n > 0 && out[n - 1] == '.')
        out[--n] = '\0';
    comma(out);
}

double shnor_round4(double share)
{
    return round(share * 10000.0) / 10000.0;
}

int shnor_parse_proc(const char *item, shnor_proc_key *k)
{
    const char *a = strchr(item, ':');
    const char *b = a ? strchr(a + 1, ':') : NULL;
    if (!a || !b || strchr(b + 1, ':'))
        return -1;
    size_t kl = (size_t)(a - item), sl = (size_t)(b - a - 1);
    if (kl == 0 || kl >= sizeof k->kind || sl == 0 || sl >= sizeof k->subject)
        return -1;
    memcpy(k->kind, item, kl);
    k->kind[kl] = '\0';
    memcpy(k->subject, a + 1, sl);
    k->subject[sl] = '\0';
    if (strcmp(b + 1, "*") == 0) {
        k->grade = -1;
        return 0;
    }
    char *e;
    long g = strtol(b + 1, &e, 10);
    if (e == b + 1 || *e || g < 1 || g > 12)
        return -1;
    k->grade = (int)g;
    return 0;
}

int shnor_proc_matches(const shnor_proc_key *k, const model_proc *p)
{
    return strcmp(k->kind, p->kind) == 0 &&
           (strcmp(k->subject, "*") == 0 || strcmp(k->subject, p->subject) == 0) &&
           (k->grade < 0 || k->grade == p->grade);
}

static const char *fname(const meth_file *f)
{
    return f ? meth_name(f) : "(встроенная методика)";
}

static int read_cfg(const meth_file *f, shnor_cfg *c, msk_err *err)
{
    static const char *known[] = {"procedures",       "low_share",  "rule", "rule_b",
                                  "min_participants", "rule_a_min", "act"};
    const char *sec = "shnor";
    memset(c, 0, sizeof *c);
    if (meth_check_keys(f, sec, known, sizeof known / sizeof known[0], err))
        return -1;
    c->act = meth_act(f, sec, METH_ACT_SEED002);
    const char *items[SHNOR_MAX_PROCS + 1];
    size_t n;
    if (f && meth_get(f, sec, "procedures")) {
        n = meth_list(f, sec, "procedures", items, SHNOR_MAX_PROCS + 1);
        if (n > SHNOR_MAX_PROCS)
            return msk_error_at(err, fname(f), 0, 0, "[shnor] procedures: больше %d процедур",
                                SHNOR_MAX_PROCS);
        if (n == 0)
            return msk_error_at(err, fname(f), 0, 0, "[shnor] procedures: список пуст");
        for (size_t i = 0; i < n; i++)
            if (shnor_parse_proc(items[i], &c->procs[i]))
                return msk_error_at(
                    err, fname(f), 0, 0,
                    "[shnor] procedures: «%s» не понято — пишите ВИД:предмет:класс, "
                    "например VPR:math:5",
                    items[i]);
    } else {
        /* the default list = methods/shnor.ini (seed 002 §2.1), parsed the same way */
        static const char *dflt[] = {"VPR:math:5",       "VPR:math:6",       "VPR:rus:5",
                                     "VPR:rus:6",        "OGE:math:9",       "OGE:rus:9",
                                     "EGE:math_base:11", "EGE:math_prof:11", "EGE:rus:11"};
        n = sizeof dflt / sizeof dflt[0];
        for (size_t i = 0; i < n; i++)
            shnor_parse_proc(dflt[i], &c->procs[i]);
    }
    c->nprocs = n;

    c->low_share = 0.30;
    c->min_participants = 20;
    c->rule_a_min = 2;
    c->rule_a = c->rule_b = 1;
    c->b_same = 0;
    if (!f)
        return 0;
    if (meth_num(f, sec, "low_share", 0.30, &c->low_share, err) ||
        meth_int(f, sec, "min_participants", 20, &c->min_participants, err) ||
        meth_int(f, sec, "rule_a_min", 2, &c->rule_a_min, err))
        return -1;
    if (!(c->low_share > 0 && c->low_share <= 1))
        return msk_error_at(err, fname(f), 0, 0,
                            "[shnor] low_share: доля должна быть больше 0 и не больше 1 "
                            "(0.3 или 30 %%)");
    if (c->min_participants < 0 || c->rule_a_min < 1)
        return msk_error_at(err, fname(f), 0, 0,
                            "[shnor] min_participants не может быть меньше 0, rule_a_min — "
                            "меньше 1");
    const char *rule = meth_get(f, sec, "rule");
    if (rule) {
        if (strcasecmp(rule, "A") == 0)
            c->rule_b = 0;
        else if (strcasecmp(rule, "B") == 0)
            c->rule_a = 0;
        else if (strcasecmp(rule, "AB") != 0)
            return msk_error_at(err, fname(f), 0, 0,
                                "[shnor] rule = «%s»: допустимо A (не менее двух процедур за год), "
                                "B (по процедуре в каждом из двух лет), AB (любое из двух), "
                                "below_minimum (ниже минимального значения показателей за "
                                "несколько лет) или region_dynamics (динамика ВПР, ЕГЭ к "
                                "среднему баллу края, списки необъективных результатов)",
                                rule);
    }
    const char *rb = meth_get(f, sec, "rule_b");
    if (rb) {
        if (strcasecmp(rb, "same") == 0)
            c->b_same = 1;
        else if (strcasecmp(rb, "any") != 0)
            return msk_error_at(err, fname(f), 0, 0,
                                "[shnor] rule_b = «%s»: допустимо any (любая процедура в каждом "
                                "году) или same (одна и та же процедура в оба года)",
                                rb);
    }
    return 0;
}

static int cmp_low(const void *a, const void *b, void *ctx)
{
    const model *m = ctx;
    const low_rec *x = a, *y = b;
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

static int same_proc(const model_proc *a, const model_proc *b)
{
    return a->grade == b->grade && strcmp(a->kind, b->kind) == 0 &&
           strcmp(a->subject, b->subject) == 0;
}

static json_t *low_json(const model *m, const low_rec *r, const shnor_cfg *c)
{
    const model_proc *p = &m->procs[r->proc];
    double share = (double)r->failed / r->participants;
    int small = r->participants < c->min_participants;
    char pct[32], thr[32], text[512];
    shnor_pct(share, pct, sizeof pct);
    shnor_pct_short(c->low_share, thr, sizeof thr);
    int ege_min = strcmp(p->kind, "EGE") == 0 && p->min_test >= 0;
    int n = snprintf(text, sizeof text,
                     "%s, %s, %d класс, %d: %d из %d (%s %%) %s — порог %s %% "
                     "(методика ШНОР: %s, п. 2.1)",
                     shnor_kind_ru(p->kind), shnor_subject_ru(p->subject), p->grade, p->year,
                     r->failed, r->participants, pct,
                     ege_min ? "не преодолели минимальный порог" : "получили «2»", thr, c->act);
    if (small && n > 0 && (size_t)n < sizeof text)
        snprintf(text + n, sizeof text - (size_t)n,
                 "; участников меньше %ld — малая выборка, вывод статистически ненадёжен",
                 c->min_participants);
    /* the threshold the rule used, so a card or chart never draws another one (low_share) */
    return json_pack("{s:i, s:s, s:s, s:i, s:i, s:i, s:f, s:f, s:b, s:s}", "year", p->year, "kind",
                     p->kind, "subject", p->subject, "grade", p->grade, "participants",
                     r->participants, "failed", r->failed, "share", shnor_round4(share),
                     "threshold", shnor_round4(c->low_share), "small_sample", small, "text", text);
}

/* The verdict of one school: its low procedures are lo[0..n), sorted by year then list order. */
static int school_json(const model *m, int year, low_rec *lo, size_t n, const shnor_cfg *c,
                       json_t *arr)
{
    size_t ny = 0, np = 0;
    for (size_t i = 0; i < n; i++) {
        int y = m->procs[lo[i].proc].year;
        ny += y == year;
        np += y == year - 1;
    }
    int a = c->rule_a && ny >= (size_t)c->rule_a_min;
    int b = 0;
    if (c->rule_b && ny && np) {
        if (!c->b_same) {
            b = 1;
        } else {
            for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < n; j++)
                    if (m->procs[lo[i].proc].year == year - 1 &&
                        m->procs[lo[j].proc].year == year &&
                        same_proc(&m->procs[lo[i].proc], &m->procs[lo[j].proc]))
                        b = lo[i].use = lo[j].use = 1;
        }
    }
    if (!a && !b)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int y = m->procs[lo[i].proc].year;
        if ((a && y == year) || (b && !c->b_same))
            lo[i].use = 1;
    }
    json_t *low = json_array();
    int all_small = 1;
    size_t nuse = 0;
    for (size_t i = 0; i < n; i++) {
        if (!lo[i].use)
            continue;
        nuse++;
        all_small &= lo[i].participants < c->min_participants;
        if (json_array_append_new(low, low_json(m, &lo[i], c))) {
            json_decref(low);
            return -1;
        }
    }
    char text[600];
    int k = 0;
    text[0] = '\0';
    if (a)
        k = snprintf(text, sizeof text,
                     "Низкие результаты по %zu %s в %d году (критерий 1: не менее %ld %s за "
                     "год)",
                     ny,
                     fmt_plural((long long)ny, "оценочной процедуре", "оценочным процедурам",
                                "оценочным процедурам"),
                     year, c->rule_a_min,
                     fmt_plural(c->rule_a_min, "процедуры", "процедур", "процедур"));
    if (b && k >= 0 && (size_t)k < sizeof text)
        k += snprintf(text + k, sizeof text - (size_t)k,
                      "%sНизкие результаты %s и в %d, и в %d году (критерий 2)", a ? ". " : "",
                      c->b_same ? "по одной и той же процедуре" : "хотя бы по одной процедуре",
                      year - 1, year);
    if (all_small && nuse && k >= 0 && (size_t)k < sizeof text)
        snprintf(text + k, sizeof text - (size_t)k,
                 ". Все процедуры — малые выборки (меньше %ld %s): вывод требует "
                 "осторожности",
                 c->min_participants,
                 fmt_plural(c->min_participants, "участника", "участников", "участников"));
    json_t *o =
        json_pack("{s:s, s:s, s:b, s:o, s:s}", "school", m->schools[lo[0].school].code, "rule",
                  a && b ? "AB"
                  : a    ? "A"
                         : "B",
                  "small_sample", all_small && nuse, "low", low, "text", text);
    if (!o || json_array_append_new(arr, o))
        return -1;
    return 0;
}

int shnor_rule_kind(const meth_file *f)
{
    const char *rule = f ? meth_get(f, "shnor", "rule") : NULL;
    if (!rule || !strcasecmp(rule, "A") || !strcasecmp(rule, "B") || !strcasecmp(rule, "AB"))
        return SHNOR_RULE_002;
    if (!strcasecmp(rule, "below_minimum"))
        return SHNOR_RULE_000;
    if (!strcasecmp(rule, "region_dynamics"))
        return SHNOR_RULE_001;
    return -1;
}

int shnor_run(const model *m, int year, const meth_file *f, json_t **out, msk_err *err)
{
    return shnor_run_in(m, year, f, NULL, out, err);
}

static int run_002(const model *m, int year, const meth_file *f, json_t **out, msk_err *err);

int shnor_run_in(const model *m, int year, const meth_file *f, const shnor_inputs *in, json_t **out,
                 msk_err *err)
{
    switch (shnor_rule_kind(f)) {
    case SHNOR_RULE_000:
        return shnor_below_run(m, year, f, out, err);
    case SHNOR_RULE_001:
        return shnor_region_run(m, year, f, in, out, err);
    default: /* seed 002, or an unknown rule: read_cfg names the allowed ones */
        return run_002(m, year, f, out, err);
    }
}

static int run_002(const model *m, int year, const meth_file *f, json_t **out, msk_err *err)
{
    shnor_cfg c;
    int rc = -1;
    int *sel = NULL;
    low_rec *lo = NULL;
    size_t nlo = 0;
    json_t *arr = NULL;
    *out = NULL;
    if (read_cfg(f, &c, err))
        goto out;
    sel = msk_malloc((m->nprocs + 1) * sizeof *sel);
    lo = msk_malloc((m->ncells + 1) * sizeof *lo);
    arr = json_array();
    if (!arr) {
        msk_error(err, "не хватает памяти");
        goto out;
    }
    for (size_t p = 0; p < m->nprocs; p++) {
        sel[p] = -1;
        int y = m->procs[p].year;
        if (y != year && y != year - 1)
            continue;
        for (size_t k = 0; k < c.nprocs && sel[p] < 0; k++)
            if (shnor_proc_matches(&c.procs[k], &m->procs[p]))
                sel[p] = (int)k;
    }
    for (size_t i = 0; i < m->ncells; i++) {
        const model_cell *cell = &m->cells[i];
        if (sel[cell->proc] < 0 || cell->participants <= 0)
            continue; /* no participants: nothing to judge */
        /* seed 002 §2.1 "не менее 30 %": exactly 30 % is low. Compare counts, not rounded
         * shares: failed ≥ t·participants (with a tolerance for t's binary rounding). */
        if ((double)cell->failed < c.low_share * cell->participants - 1e-9)
            continue;
        lo[nlo++] = (low_rec){cell->school,       cell->proc,   sel[cell->proc],
                              cell->participants, cell->failed, 0};
    }
    qsort_r(lo, nlo, sizeof *lo, cmp_low, (void *)m);
    for (size_t i = 0; i < nlo;) {
        size_t j = i;
        while (j < nlo && lo[j].school == lo[i].school)
            j++;
        if (school_json(m, year, lo + i, j - i, &c, arr)) {
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
    free(lo);
    return rc;
}
