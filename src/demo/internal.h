/*
 * Shared by the files of src/demo/ only: the random generator, the pupil and school model,
 * the procedure table and the generation context. The model itself is explained at the top of
 * demo.c; each gen_*.c file owns one part of it (roster, scoring, one school-year, olympiads).
 */
#ifndef MSK_DEMO_INTERNAL_H
#define MSK_DEMO_INTERNAL_H

#include "demo/demo.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/* ---- random numbers: xoshiro256** seeded by splitmix64 (never rand(), never the clock) ---- */
typedef struct rng {
    uint64_t s[4];
    double spare; /* second normal deviate of Box-Muller */
    int has_spare;
} rng;

void rng_seed(rng *r, uint64_t seed);
double rng_normal(rng *r);

static inline uint64_t rng_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rng_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rng_rotl(s[3], 45);
    return out;
}

/* uniform in [0, 1) */
static inline double rng_unif(rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* uniform integer in [lo, hi] */
static inline int rng_int(rng *r, int lo, int hi)
{
    return lo + (int)(rng_unif(r) * (double)(hi - lo + 1));
}

static inline int rng_chance(rng *r, double p)
{
    return rng_unif(r) < p;
}

/* ---- schools and pupils ---- */
enum school_type { SCH_GYM, SCH_LYC, SCH_SOSH, SCH_OOSH, SCH_NOSH, SCH_TYPES };
enum plant { PL_NONE, PL_LOW, PL_INFLATED, PL_RISK, PL_WEAK_MEDAL };
enum risk_kind { RISK_MATERIAL, RISK_STAFF, RISK_CONTINGENT };

typedef struct pupil {
    uint32_t code;    /* school-local number: pupil code "p" + 5 digits */
    float ability;    /* individual deviation from the school and cohort, logits */
    float math_bias;  /* + in mathematics, - in Russian and history */
    uint8_t cls;      /* class index within the grade: 0 = «А» */
    uint8_t ovz;      /* special educational needs */
    uint8_t favoured; /* gets journal marks above ability (planted inflated schools) */
    uint8_t spare;
} pupil;

typedef struct cohort {
    pupil *p;
    int n, cap;
    float effect; /* the cohort's own effect, kept as it moves up a grade each year */
    int nclasses;
} cohort;

typedef struct school {
    int64_t id;
    char code[16];
    char name[160];
    int type, rural, top_grade; /* top_grade: 4 (НОШ), 9 (ООШ) or 11 */
    int classes;                /* parallel classes per grade in grades 1–9 */
    int size_lo, size_hi;       /* pupils per class (urban) or per grade (rural) */
    double effect;              /* school effect of the current year, logits */
    double effect_lo, effect_hi;
    int plant, risk_kind;
    /* planted inflation (seed 000 §V, METHODS.md §2) */
    double inflate4, generous, favoured_share;
    /* contingent rates (seed 002 §3.2, section 3) */
    double p_ovz, r_reg, r_ino, r_abs;
    int material_gap; /* risk: 1 = no internet, 2 = no lab equipment */
    /* issue 16: strong intake, weak teaching — pupils lose WEAK_TEACHING_DROP logits a year
     * here; the raw rating keeps it high, value added ranks it below (not in demo_truth) */
    int weak_teaching;
#define WEAK_TEACHING_DROP 0.30
    /* issue 15: a planted low school that leaves the ШНОР list in this year (0 = never): the
     * order of the year before helped — its effect rises by RECOVER_GAIN and it is generated
     * as an ordinary school from then on (demo_truth 'shnor_recovered') */
    int recover_year;
#define RECOVER_GAIN 0.50
    uint64_t seed;
} school;

/* The school is held on the ШНОР line of seed 002 §2.1 in this year (planted, not yet recovered).
 */
static inline int demo_low_in(const school *sc, int year)
{
    return sc->plant == PL_LOW && !(sc->recover_year && year >= sc->recover_year);
}

/* The roster of the school being generated: reused from school to school. */
typedef struct roster {
    cohort g[12]; /* g[1..11] */
    pupil *prev;  /* last year's grade-11 leavers (past-year graduates of ЕГЭ) */
    int nprev, capprev;
    uint32_t next_code;
    int ovz_now, ovz_cap; /* pupils with ОВЗ on the roster, and the school's cap */
} roster;

/* ---- procedures ---- */
enum proc_form {
    PF_TASKS, /* per-pupil, per-task scores stored (ВПР, ОГЭ) */
    PF_MARK,  /* per-pupil primary score and mark, no tasks (ЕГЭ base mathematics) */
    PF_TEST,  /* per-pupil test score 0..100 (ЕГЭ) */
    PF_AGG,   /* per-school aggregate counts (РКР, МКР) */
    PF_PASS, /* per-pupil «зачёт»/«незачёт» (сочинение, собеседование): mark 5 or 2, no scale */
};
enum layout_style { LY_MATH, LY_RUS, LY_MIXED, LY_ONES, LY_NONE };
enum { MAX_TASKS = 64 };

typedef struct proc_spec {
    const char *kind, *subject;
    int grade, form, style;
    double target2; /* municipal share of "2" the difficulty is calibrated to */
    double mean, sd; /* ЕГЭ test score: municipal mean and spread; PF_PASS: mean = ability shift */
} proc_spec;

/* clang-format off */
enum {
    /* ВПР */
    P_VPR_MATH4, P_VPR_MATH5, P_VPR_MATH6, P_VPR_MATH7, P_VPR_MATH8,
    P_VPR_RUS4, P_VPR_RUS5, P_VPR_RUS6, P_VPR_RUS7, P_VPR_RUS8,
    P_VPR_OKR4, P_VPR_BIO5, P_VPR_HIST5,
    /* ОГЭ */
    P_OGE_RUS, P_OGE_MATH, P_OGE_PHYS, P_OGE_CHEM, P_OGE_BIO, P_OGE_INF, P_OGE_SOC,
    P_OGE_GEO, P_OGE_ENG, P_OGE_HIST,
    /* ЕГЭ */
    P_EGE_RUS, P_EGE_BASE, P_EGE_PROF, P_EGE_PHYS, P_EGE_CHEM, P_EGE_BIO, P_EGE_INF,
    P_EGE_HIST, P_EGE_SOC, P_EGE_GEO, P_EGE_LIT, P_EGE_ENG,
    /* regional and municipal control works */
    P_RKR_MATH7, P_MKR_RUS6,
    /* grades 10–11 (issue 15): ВПР 11 by the school's choice of subjects, РКР 10, МКР 11 */
    P_VPR_HIST11, P_VPR_BIO11, P_VPR_GEO11, P_VPR_PHYS11, P_VPR_CHEM11,
    P_RKR_MATH10, P_MKR_RUS11,
    /* итоговое сочинение (изложение), 11th grade, and итоговое собеседование, 9th grade */
    P_ESSAY, P_INTERVIEW,
    P_COUNT
};
/* clang-format on */
#define P_OGE_FIRST_ELECTIVE P_OGE_PHYS
#define P_OGE_LAST_ELECTIVE P_OGE_HIST
#define P_EGE_FIRST_ELECTIVE P_EGE_PHYS
#define P_EGE_LAST_ELECTIVE P_EGE_ENG
#define P_VPR11_FIRST P_VPR_HIST11
#define P_VPR11_LAST P_VPR_CHEM11

extern const proc_spec DEMO_PROCS[P_COUNT];

/* A procedure of one year, made on first use: its row, tasks and calibrated difficulty. */
typedef struct proc_rt {
    int64_t id; /* 0 until created */
    int max, cut3, cut4, cut5, min_test;
    int ntasks;
    unsigned char tmax[MAX_TASKS];
    float tdiff[MAX_TASKS];
    double b; /* overall difficulty, logits */
} proc_rt;

/* One municipal-stage olympiad entry, kept until every school is done so that statuses can be
 * given by the municipal ranking. */
typedef struct oly_entry {
    int32_t school; /* index into ctx->schools */
    int16_t year;
    uint8_t subject, grade;
    uint32_t code;
    float score;
    uint8_t status; /* 0 participant, 1 prize-winner, 2 winner */
    uint8_t regional;
    float rscore;
    uint8_t rstatus;
} oly_entry;

/* Scratch arrays for one procedure at one school, reused (no malloc per row). */
typedef struct scratch {
    int cap;
    const pupil **who;
    int *idx;               /* index of the pupil in its cohort */
    double *theta;          /* ability for this procedure, before the day's noise */
    unsigned char *present; /* 0 = absent (ВПР) */
    unsigned char *pass;    /* passed, counting a retake */
    unsigned char *tasks;   /* cap * MAX_TASKS */
    int *primary, *mark, *journal, *test;
} scratch;

/* Per-grade-11 pupil outcomes of one year, for attestats and medals. */
typedef struct ege_rec {
    int min_test;  /* lowest ЕГЭ test score over test-score subjects, 101 if none */
    int base_mark; /* base mathematics mark, 0 if not taken */
    int pass_rus, pass_math;
} ege_rec;

typedef struct demo_ctx {
    store *s;
    msk_err *err;
    const demo_opts *o;
    demo_summary *sum;
    int nyears;
    school *schools;
    int nschools;
    proc_rt *procs; /* [nyears][P_COUNT] */
    double logistic[8193];
    roster ros;
    scratch sc;
    /* per-pupil arrays of the grade being examined, choice_cap entries each */
    uint32_t *choice;  /* bit per elective subject; ЕГЭ: then base, profile mathematics */
    unsigned char *o9; /* grade 9: 1 = goes on to grade 10 of this school */
    ege_rec *ege;
    int choice_cap, n9;
    oly_entry *oly;
    size_t noly, capoly;
    int *team_points; /* [nschools][nyears] */
    int *team_entries;
    char class_names[12][8][16];
} demo_ctx;

/* Logistic function from a table (speed: millions of task scores). */
static inline double demo_logistic(const demo_ctx *c, double x)
{
    if (x <= -16.0)
        return c->logistic[0];
    if (x >= 16.0)
        return c->logistic[8192];
    return c->logistic[(int)((x + 16.0) * 256.0 + 0.5)];
}

/* gen_roster.c */
void roster_release(roster *ro);
void roster_start(demo_ctx *c, const school *sc, rng *r);
void roster_advance(demo_ctx *c, const school *sc, rng *r, const unsigned char *to_grade10, int n9);
int roster_total(const roster *ro);
void pupil_code(uint32_t code, char out[8]);

/* gen_score.c */
int proc_get(demo_ctx *c, int year, int pi, proc_rt **out);
int score_pupil(const demo_ctx *c, const proc_rt *p, double theta, rng *r, unsigned char *tasks);
int mark_of(const proc_rt *p, int primary);
int ege_test_score(const proc_spec *ps, double theta, rng *r);
void scratch_reserve(scratch *sc, int n);
void scratch_release(scratch *sc);

/* gen_year.c */
int school_year(demo_ctx *c, int si, int year, rng *r);

/* gen_contest.c: the contests of one school-year (a random stream of their own) */
int contest_year(demo_ctx *c, const school *sc, int year);

/* gen_olymp.c */
void oly_collect(demo_ctx *c, int si, int year, const school *sc, rng *r);
int oly_write(demo_ctx *c);

/* The registries of every school and year (gen_registry.c). */
int demo_registries(demo_ctx *c);

#endif
