/*
 * Private to src/view/: the loaded year (view_year) and helpers shared by the page builders.
 */
#ifndef MSK_VIEW_INTERNAL_H
#define MSK_VIEW_INTERNAL_H

#include "model/model.h"
#include "store/view.h"
#include "view/view.h"

#include <pthread.h>
#include <stdint.h>

enum { VIEW_DEPTH = 4 }; /* the year and the three before it */

/* A stored finding. Its evidence is kept as the JSON text analyze wrote (a region's findings
 * are 19 MB of text and were 86 MB as jansson trees, a quarter of the server, and their
 * parsing a third of its start) and parsed when a page asks for it: vi_ev. */
typedef struct view_finding {
    char method[16];
    int32_t school; /* model school index, -1 for a municipal finding */
    int year;
    size_t off, len; /* the evidence text: v->ev_text + off, len bytes */
    json_t *kept;    /* the evidence once parsed (vi_ev_kept; atomic), NULL before */
    char verdict[128];
} view_finding;

/* What the lists and the dashboard read of every rating finding, gathered once (vi_rank_of):
 * the stored "rank" and "points" as analyze wrote them (NULL when absent) and whether a
 * criterion rests on fewer than VIEW_MIN_CELL pupils (vi_rating_criteria). */
typedef struct vi_rank {
    json_t *rank, *points;
    int small;
} vi_rank;

typedef struct vi_bench vi_bench; /* view/bench.c */

typedef struct view_name {
    char table[8], code[32], name[256], unit[32], type[8];
} view_name;

typedef struct vi_code {
    const char *code; /* the model's m.schools[i].code */
    int32_t i;
} vi_code;

struct view_year {
    int year;
    int64_t stamp;
    /* the scope (view_year_load_in): municipality scope_muni (0: every school); partial 1 when the
     * model holds its schools only, not every school of the installation */
    int64_t scope_muni;
    int partial;
    model m;
    /* rows of each procedure: row index list, proc_rows[proc_start[p] .. proc_start[p+1]) */
    size_t *proc_start, *proc_rows;
    /* task labels: labels[proc][task] (NULL arrays when unknown) */
    char (*labels)[64][12];
    view_name *names;
    size_t nnames;
    view_finding *findings;
    size_t nfindings;
    char *ev_text; /* the findings' evidence texts, one after another */
    /* ranks[k]: rating finding k's digest, filled for every rating finding at the first
     * vi_rank_of under rank_mu (ranks_ready then 1, atomic) */
    vi_rank *ranks;
    int ranks_ready;
    pthread_mutex_t rank_mu;
    /* findings by school: findings[by_school[school_start[i + 1] .. school_start[i + 2])] are
     * those of school i; slot 0 holds the municipal ones (school -1) */
    size_t *by_school, *school_start;
    model_cell *muni; /* the municipal total of each procedure */
    /* pub_hidden[k]: cell k (of m.cells) is hidden from the public, its own size under
     * VIEW_MIN_CELL or hidden so that the municipal total cannot give a small one back */
    unsigned char *pub_hidden;
    /* primary-score histograms of the year's procedures, counted once at load: hist_n[p]
     * scores (0 = none), hist_muni[p][score], hist_school[p][school * hist_n[p] + score] */
    /* family[p * VIEW_DEPTH + k]: the procedure of the same kind, subject and grade in year
     * year - VIEW_DEPTH + 1 + k, or -1 (dynamics without a search per point) */
    int32_t *family;
    size_t *hist_n;
    int **hist_muni, **hist_school;
    unsigned char *hist_test; /* hist_test[p]: the histogram counts ЕГЭ test scores 0..100 */
    char run_at[VIEW_DEPTH][32], methods[VIEW_DEPTH][512];
    /* the latest analysis of year: has_run 0 when there is none; fresh: when, on which data,
     * changes since (store_analysis_freshness) */
    int has_run;
    store_freshness fresh;
    vi_bench *bench; /* benchmarks, external lists, scales in force (view/bench.c) */
    /* counted once at load, the same for every viewer (a page used to count them over the
     * year's rows on every request): participation of each procedure per school
     * (view/procs.c), the admission to ГИА and the medalists against ОГЭ (view/gia.c), the
     * schools' peer groups of the year (method/peers.h) */
    int **part, **admit, *honours;
    struct peers *groups;
    /* the schools by code (code, then index): vi_find_school searches it (model_find_school
     * compares every school's code, and a direction or procedure page looks up thousands) */
    vi_code *by_code;
    /* refs[i]: vi_school_ref(v, i), made once at load for vi_school_ref_kept */
    json_t **refs;
    /* the indicators of the year's directions each school misses (view/direction.c), made
     * at the first school page under miss_mu (miss_ready then 1, atomic): school i's are
     * miss[miss_start[i] .. miss_start[i + 1]), each direction << 16 | indicator, in order */
    size_t *miss_start;
    uint32_t *miss;
    int miss_ready;
    pthread_mutex_t miss_mu;
};

/* Whether the school with this code is within v's scope: always for a view of every school,
 * else when v knows it (view_year_load_in). */
int vi_in_scope(const view_year *v, const char *code);

/* Name of a kind, subject or element by code (the code itself when unknown). */
const char *vi_name(const view_year *v, const char *table, const char *code);
const char *vi_unit(const view_year *v, const char *code);
/* A data element's value type ("bool", "count", "number", "share"), "" when unknown. */
const char *vi_type(const view_year *v, const char *code);
/* The index of the school with code (the first, as model_find_school), or -1. */
int32_t vi_find_school(const view_year *v, const char *code);
/* {"code","name","type","type_name","locality","locality_name"} of school index i. */
json_t *vi_school_ref(const view_year *v, int32_t i);
/* The same object made once with the year and shared (a new reference to it): for a page
 * that only reads it — nothing may be set in it. A procedure page names 2,000 schools, and
 * making and freeing their objects on each request was a tenth of it. */
json_t *vi_school_ref_kept(const view_year *v, int32_t i);
/* {"kind","kind_name","subject","subject_name","grade","year","title","key"} of proc p. */
json_t *vi_proc_ref(const view_year *v, int32_t p);
/* The mark-distribution object of a cell (NULL = none: all counts null). */
/* Procedure p shown by test score (ЕГЭ as ФИС ОКО shows it), its histogram of test scores. */
int vi_by_test(const view_year *v, int32_t p);
/* Add to marks (vi_marks of procedure p at school, -1 = the municipality) what ФИС ОКО shows
 * of a test-scored procedure: "by_test", "share_below_min", "n81" and "share81" (81–100
 * points), "n100"; for the public, a count of 1–4 pupils and its share are null. Nothing for a
 * procedure not shown by test score. */
void vi_add_test(const view_year *v, const view_ctx *c, int32_t p, int32_t school, json_t *marks);
json_t *vi_marks(const model_proc *pr, const model_cell *c);
/* The municipal total of procedure p into *out (participants summed, means weighted). */
void vi_muni_cell(const view_year *v, int32_t p, model_cell *out);
/* Range of cells of procedure p: [*from, *to). */
void vi_cells_of(const view_year *v, int32_t p, size_t *from, size_t *to);
/* Findings of the year for school i (or all when i < 0) with method (NULL = any). */
int vi_has_finding(const view_year *v, int year, int32_t i, const char *method);
/* The evidence of finding f: a new reference (json_decref it), parsed from the stored text —
 * a rating finding's on every call, any other's once, then kept with the year (vi_ev_kept).
 * An empty object when the text does not parse. */
json_t *vi_ev(const view_year *v, const view_finding *f);
/* The evidence of a finding that is not a school's rating, parsed at the first call and kept
 * as long as v: borrowed. The municipal findings (indicators, directions) are read by many
 * pages; the lists' findings are a few hundred. */
const json_t *vi_ev_kept(const view_year *v, const view_finding *f);
/* The digest of rating finding f (f->method "rating"). */
const vi_rank *vi_rank_of(const view_year *v, const view_finding *f);
/* The sentences of a finding's evidence ("text" members, nested lists included). */
json_t *vi_texts(const json_t *ev);
/* A finding's verdict as people read it (base/vocab.c): the risk factors or signs of
 * non-objective results by their names, joined with ", "; which ШНОР criterion held; other
 * methods' verdicts (a rank) as they are. */
json_t *vi_verdict_label(const char *method, const char *verdict);
/* ["shnor", "risk", "objectivity"] of school i in year. */
json_t *vi_badges(const view_year *v, int year, int32_t i);
/* Can the context c see per-school findings of school i? */
int vi_may_see(const view_ctx *c, const view_year *v, int32_t i);
/* A finding of school i of method in year, or NULL. */
const view_finding *vi_finding(const view_year *v, int year, int32_t i, const char *method);
/* Does row r count (present, first, main-period result)? */
int vi_counted(const model *m, size_t r);
/* The key "VPR-math-5" of a procedure and its parsing. */
void vi_proc_key(const model_proc *pr, char *out, size_t outsz);
int32_t vi_find_proc_key(const view_year *v, int year, const char *key);

/* view/pages.c: the objectivity coefficient of school i from the re-check (issue 16 item 4,
 * method/obj_coef.h) as analyze stored it, each procedure with its title ("title"); {"none":
 * true, "text": «нет перепроверенных работ»} for a school without re-checked works; null when
 * the year has no analysis that computed coefficients. */
json_t *vi_coefficient(const view_year *v, int year, int32_t i);

/* view/procs.c: participation, ОВЗ, pass/fail procedures (issue 19 п. 4). */
void vi_procs_prepare(view_year *v);
void vi_procs_free(view_year *v);
int vi_pass_fail(const model_proc *pr);
/* {"participants", "absent", "enrolled", "share", "low"} of p at school (-1: municipality). */
json_t *vi_participation(const view_year *v, const view_ctx *c, int32_t p, int32_t school);
/* {"ovz": marks, "others": marks} of p at school (-1: all), null when no pupil with ОВЗ. */
json_t *vi_ovz(const view_year *v, int32_t p, int32_t school);
/* The procedure page gets "participation", "ovz", "pass_fail" and "pass". */
void vi_proc_extra(const view_year *v, const view_ctx *c, int32_t p, int32_t only, json_t *page);
/* A school page's procedure entry gets "participation", "pass_fail" and "pass". */
void vi_school_extra(const view_year *v, const view_ctx *c, int32_t p, int32_t school,
                     json_t *entry);
/* view/gia.c (issue 19 п. 5): ЕГЭ/ГВЭ, trial vs real, admission to ГИА, honours vs ОГЭ,
 * repeaters and retention, the diagnostics' levels — of school only, or all (-1) with the
 * municipal rows ("school": null). The object of view_gia. */
json_t *vi_gia(const view_year *v, const view_ctx *c, int32_t only);
void vi_gia_prepare(view_year *v);
void vi_gia_free(view_year *v);
/* A trial exam's procedure page gets "trial": its rows against the real exam. */
void vi_gia_proc(const view_year *v, const view_ctx *c, int32_t p, int32_t only, json_t *page);
/* НИКО, DIAG, META, READY, RKR, MKR: results that a file may give as levels. */
int vi_diagnostic(const model_proc *pr);
/* view/bench.c: load and release v->bench (view_year_load, view_year_free). */
int vi_bench_load(store *s, view_year *v, msk_err *err);
void vi_bench_free(view_year *v);
/* A school page's procedure entry gets "region", "rf" (marks or null), "levels" (municipality,
 * region, RF where known: {"level", "level_name", "name", "marks", "source"}) and "nlevels". */
void vi_bench_school(const view_year *v, int32_t p, json_t *entry);
/* A procedure page gets "levels" and its "scale" the "year" (0: default), "source", "example". */
void vi_bench_proc(const view_year *v, int32_t p, json_t *page);
/* The year's external lists (store/benchmark.h rows). */
struct store_extlist_row;
const struct store_extlist_row *vi_extlists(const view_year *v, size_t *n);
/* ---- suppression (year.c, beside view_suppress: the one place of the rule) ---- */
/* Complementary suppression of one group whose total is published: size[i] pupils behind part
 * i (-1: a part the viewer knows anyway, never hidden), hide[i] set for parts already hidden.
 * Hides parts under VIEW_MIN_CELL, then the smallest shown ones (an empty one as the last
 * resort) until the hidden parts are none, or at least two holding at least VIEW_MIN_CELL
 * pupils together, or all of them (the residual is then the published total itself). */
void vi_protect(const int *size, unsigned char *hide, size_t n);
/* Fill v->pub_hidden (at load). */
void vi_protect_year(view_year *v);
/* Cells of procedure p (vi_cells_of order) hidden from c: out[k - from] = 1. */
void vi_hidden_cells(const view_year *v, const view_ctx *c, int32_t p, unsigned char *out);
/* Is cell k (an index into m.cells) hidden from c? */
int vi_cell_hidden(const view_year *v, const view_ctx *c, size_t k);
/* Mark a JSON object hidden: view_suppress nulls every number in it. */
void vi_hide(json_t *obj);
/* The rating criteria of evidence ev (new object) with those counted over fewer than
 * VIEW_MIN_CELL pupils set to null; *small = 1 when there was one. */
json_t *vi_rating_criteria(const json_t *ev, int *small);

#endif
