/*
 * View models: what a page shows and what the report writes, as jansson objects built from the
 * model and the stored analysis (DESIGN.md "Web": each page handler builds a view model; the
 * same object is rendered by a template or returned as JSON, so the UI, the API and the report
 * never disagree). Numbers are raw (shares as fractions 0..1, means as doubles); formatting
 * («34,1 %», decimal comma) happens only at the edge: templates, PDF, XLSX.
 *
 * Suppression (UI.md "Numbers and tables"): for the public role every count or share computed
 * from fewer than VIEW_MIN_CELL pupils, and the size of that group, is replaced by JSON null
 * and the object gets "suppressed": true; so is everything derived from such a cell
 * (differences, dynamics points, task shares, journal comparison, rating criteria), and so are
 * the smallest shown cells of a group whose total is published when the total minus the shown
 * cells would give a hidden one back (complementary suppression). Per-pupil data never reaches
 * the public. The rule lives in one place: view_suppress and its helpers in year.c.
 *
 * Roles: a school operator sees only its own school's results, findings and plan items; asking
 * for another school's page gives VIEW_FORBIDDEN. The analyst and admin see everything of the
 * year's scope (view_year_load_in): one municipality's schools, or every school.
 */
#ifndef MSK_VIEW_H
#define MSK_VIEW_H

#include "base/err.h"
#include "store/store.h"

#include <jansson.h>

enum { VIEW_MIN_CELL = 5 };
/* The dashboard names at most this many schools of each list (the count is always whole). */
enum { VIEW_DASHBOARD_LIST = 10 };

/* Return codes besides 0 (ok) and -1 (internal error, err filled). */
enum { VIEW_NOT_FOUND = 1, VIEW_FORBIDDEN = 2 };

enum view_role { VIEW_PUBLIC = 0, VIEW_SCHOOL = 1, VIEW_ANALYST = 2, VIEW_ADMIN = 3 };

/* The schools of a municipality (issue 17 item 2), for the pages read from the store rather
 * than from the year's view (forms, registries): codes sorted by strcmp. */
typedef struct view_scope {
    int64_t muni;
    char **codes;
    size_t n;
} view_scope;
/* The scope of municipality muni into *out (release with view_scope_release). 0 or -1. */
int view_scope_load(store *s, int64_t muni, view_scope *out, msk_err *err);
void view_scope_release(view_scope *sc);

typedef struct view_ctx {
    int role;                /* enum view_role */
    const char *school;      /* VIEW_SCHOOL: the operator's own school code */
    const view_scope *scope; /* the municipality's schools; NULL: every school */
} view_ctx;
/* Whether c may know the school with this code: always without a scope, else when the scope
 * holds it. The check of every row of a store-backed page (forms, registries). */
int view_ctx_knows(const view_ctx *c, const char *school);

/* A year's data: the model of years year-3..year (dynamics over 3+ years, seed 001) and the
 * findings of the latest stored analysis run of each of those years. Immutable once loaded:
 * share one across threads. Loading the 2,000-school region takes seconds; load once and keep
 * it until the database changes (view_year_stamp). */
typedef struct view_year view_year;
int view_year_load(store *s, int year, view_year **out, msk_err *err);
void view_year_free(view_year *v);
/* Scope (issue 17 item 2, the one place it is applied): the year of municipality muni's schools
 * only (0: every school, as view_year_load). Every page, list, JSON answer, report and export
 * built on it knows no other school: its code is unknown (VIEW_NOT_FOUND, a 404 the same as a
 * code that never existed), its rows are out of the municipal totals, and the installation's
 * municipal findings (counted over every school) are left out when the municipality is not the
 * whole installation. */
int view_year_load_in(store *s, int year, int64_t muni, view_year **out, msk_err *err);
/* The municipality v was loaded for (0: every school). */
int64_t view_year_muni(const view_year *v);
/* 1 when the school with this code is within v's scope: the check for pages built from the store
 * rather than from v (forms, registries, decisions, answers). */
int view_year_has_school(const view_year *v, const char *code);
int view_year_of(const view_year *v);
/* A stamp of the store's content (batches, runs, plan items); a view_year whose stamp differs
 * from store_data_stamp() is stale. */
int64_t view_year_stamp(const view_year *v);

/* Years that have any results, newest first: [2024, 2023, …]. */
int view_years(store *s, json_t **out, msk_err *err);

/*
 * Shapes (keys always present; null where unknown or suppressed):
 *
 * mark distribution ("marks"): {"participants": n, "m2": n, "m3": n, "m4": n, "m5": n,
 *   "share2": f, "share3": f, "share4": f, "share5": f, "quality": f (share of 4 and 5),
 *   "success": f (share of 3+), "mean_primary": f, "mean_test": f, "below_min": n}
 * procedure reference ("proc"): {"kind": "VPR", "kind_name": "ВПР", "subject": "math",
 *   "subject_name": "Математика", "grade": 5, "year": 2024, "title": "ВПР, математика, 5 класс",
 *   "key": "VPR-math-5" (URL part)}
 * school reference: {"code", "name", "type", "type_name", "locality", "locality_name"}
 * badges: ["shnor", "risk", "objectivity"] — the lists of the year the school is on
 * finding: {"method", "verdict", "evidence": the object analyze stored, "text": [sentences]}
 */

/* Dashboard of the year: {"year", "school_year": "2023/2024", "analysis": {"run_at",
 * "methods"} or null, "counts": {"schools", "participants", "procedures"}, "lists": {"shnor":
 * {"count", "schools": [school ref + "why"], at most VIEW_DASHBOARD_LIST}, "risk": …,
 * "objectivity": …}, "rating": {"top":
 * [...], "bottom": [...], "count"}, "indicators": [{"key", "name", "value", "unit"}],
 * "procedures": [{"proc", "marks"} municipal totals], analysts and admins also "schools_share2":
 * {"threshold", "schools": [{"school", "share" (the largest share of «2» — ЕГЭ: below the
 * minimum — among the year's procedures with ≥ VIEW_MIN_CELL participants), "proc" (its title),
 * "shnor" (on the ШНОР list)}]}}. */
int view_dashboard(const view_year *v, const view_ctx *c, json_t **out, msk_err *err);

/* Schools of the year: {"year", "schools": [school ref + "badges", "rank", "participants"]},
 * filtered by type, locality and list (NULL = any). */
typedef struct view_filter {
    const char *type, *locality, *list, *q; /* q: substring of code or name */
} view_filter;
int view_schools(const view_year *v, const view_ctx *c, const view_filter *f, json_t **out,
                 msk_err *err);
/* The reference {"code", "name", "type", "type_name", "locality", "locality_name"} of the
 * year's school i in view_schools' order (every school without a filter), borrowed and read
 * only; NULL past the last. */
const json_t *view_school_at(const view_year *v, size_t i);

/* A school: {"year", "school": ref, "badges", "context": [{"code", "name", "value", "unit"}],
 * "procedures": [{"proc", "school": marks, "municipality": marks, "diff_quality",
 * "diff_success"}], "findings": [finding + "card_href": its evidence card], "dynamics":
 * [{"key": "VPR-math-5", "title", "points": [{"year", "school": brief, "municipality":
 * brief}], "measure": "success"}] where
 * brief = {"participants", "success", "quality", "share2", "mean_primary", "mean_test"},
 * "rating": {"rank", "of", "points"} or null}. Public: no findings of pupils, cells < 5
 * suppressed. VIEW_NOT_FOUND for an unknown code, VIEW_FORBIDDEN for another school. */
int view_school(const view_year *v, const view_ctx *c, const char *code, json_t **out,
                msk_err *err);

/* A procedure of the year (key "VPR-math-5"): {"year", "proc", "scale": {"max", "cut3",
 * "cut4", "cut5", "min_test"}, "municipality": marks, "schools": [{"school": ref, "marks"}],
 * "histogram": {"scores": [0..max], "municipality": [counts], "school": [counts] or null}
 * (ЕГЭ with test scores: "by_test"/"test_only" true, the histogram counts test scores 0..100
 * and the marks carry "share_below_min", "n81", "share81", "n100" — vi_add_test),
 * "tasks": [{"label", "max", "municipality": f (mean share of max), "school": f or null}],
 * "journal": {"lowered", "confirmed", "raised", "n", "discrepant2"} (ФИС ОКО table) per
 * school and municipal}. school (may be NULL) narrows the histogram, tasks and journal to one
 * school. Public: histogram bars under 5 pupils and those that bars of the same mark would give
 * back are null, and no school's histogram is given ("school": null); a school's tasks and
 * journal follow its cell and their own groups (view_suppress, vi_protect). VIEW_NOT_FOUND
 * for an unknown key. */
/* Participation of the year (issue 19 п. 4): {"year", "threshold", "procedures": [{"proc",
 * "municipality": participation, "participation": {"municipality", "schools": [{"school",
 * "participation", "pass"}], "low_schools"}, "ovz", "pass_fail", "pass"}], "low": [{"proc",
 * "school", "participation"}] (school × procedure below the threshold)}; participation:
 * {"participants", "absent", "enrolled", "share", "low"}. */
int view_participation(const view_year *v, const view_ctx *c, json_t **out, msk_err *err);

/* The ГИА and the other procedures of issue 19 п. 5, year v: {"year", "ege_gve": [{"school"
 * (null: municipality), "grade", "subject", "subject_name", "exam_kind", "exam", "gve"}],
 * "trial": [{"school", "grade", "subject", "exam_kind", "trial", "real", "diff_mean",
 * "diff_share2"}], "admission": [{"school", "proc", "grade", "pupils", "admitted", "share"}],
 * "honours": [{"school", "honours", "with_oge", "below5", "three", "signal"}], "contingent":
 * [{"school", "repeaters", "pupils_total", "repeaters_share", "grade10_prev", "grade11",
 * "retention"}], "diagnostics": [{"proc", "participation", "levels"}]}; exam, gve, trial, real:
 * {"participants", "mean", "mean_of" ("test" or "mark"), "share2", "quality"}. */
/* school: one school's rows only (NULL: every school and the municipality). */
int view_gia(const view_year *v, const view_ctx *c, const char *school, json_t **out, msk_err *err);

int view_procedure(const view_year *v, const view_ctx *c, const char *key, const char *school,
                   json_t **out, msk_err *err);

/* The primary-score histogram of procedure key of the year, counted once when the year was
 * loaded (the same counts view_procedure shows): *n scores 0..n-1, the municipality's counts
 * and, when school is not NULL, that school's; cuts get the lowest scores of marks 3, 4, 5
 * (NAN when none). No suppression: for analysts' documents. Pointers live as long as v.
 * Returns 0 or VIEW_NOT_FOUND (unknown procedure or school, no scores, or a procedure shown by
 * test score: its histogram counts test scores, see view_procedure). */
int view_histogram(const view_year *v, const char *key, const char *school, const int **muni,
                   const int **mine, size_t *n, double cuts[3]);

/* One list of the year: list is "shnor", "risk", "objectivity" or "rating":
 * {"year", "list", "title": «ШНОР за 2024 год: 7 школ», "count", "items": [{"school": ref,
 * "verdict", "evidence", "text": [sentences]}], "index": objectivity index (objectivity only)}.
 * The public and a school operator get the rating only (view_list_allowed; VIEW_FORBIDDEN
 * otherwise), each item of a school the viewer may not see {"school", "verdict", "criteria":
 * {criterion: points}, "rank", "points"}: no counts behind the points, a criterion counted
 * over fewer than 5 pupils null and then the total too; the operator's own row is whole.
 * VIEW_NOT_FOUND for an unknown list name. */
int view_list(const view_year *v, const view_ctx *c, const char *list, json_t **out, msk_err *err);
/* Whether c may open list: the analyst and admin every list; the public and a school operator
 * the rating only (every school's row but the operator's own in the public form, see
 * view_list). The one decision behind view_list's VIEW_FORBIDDEN, the web's /lists/… and
 * `msoko show list`. */
int view_list_allowed(const view_ctx *c, const char *list);

/* The network, the olympiads and the graduates of the year (view/outcomes.c; the доклад, seed
 * 001 п. 1.20): {"year", "network": {"schools", "by_type": [{"code", "name", "schools"}],
 * "by_locality": [...]}, "olympiads": {"stages": [{"stage", "stage_name", "participants",
 * "winners", "prizewinners"}], "schools": [{"school", "winners", "prizewinners"}] (analysts
 * only)}, "graduates": [{"grade": 9|11, "total", "attestat", "medal", "destinations": [{"code",
 * "name", "n", "share"}]}]}. */
int view_outcomes(const view_year *v, const view_ctx *c, json_t **out, msk_err *err);
/* The municipality beside the region and the RF (view/bench.c): {"year", "procedures":
 * [{"proc", "levels": [{"level": "municipality" | "region" | "rf", "level_name", "name",
 * "marks", "source": "results" (msoko's own total) | "file"}]}]} — the procedures of the year
 * with a region or RF row from a ФИС ОКО statistics file. */
int view_benchmarks(const view_year *v, const view_ctx *c, json_t **out, msk_err *err);

/* Our lists against the lists others formed (view/reconcile.c): {"year", "title", "analysis":
 * bool, "lists": [{"list": "shnor_fioko" | "nonobj_federal" | "nonobj_regional", "name",
 * "method": our list compared ("shnor", "objectivity"), "method_name", "loaded", "count",
 * "n_both", "n_only_ours", "n_only_theirs", "both", "only_ours", "only_theirs": [{"school":
 * ref, "reason": theirs, "verdict": ours or null, "text": our sentences, "badges", "results":
 * [{"proc", "school": marks, "municipality": marks}]}]}]}. "only_ours" stays empty while their
 * list of the year is not loaded. Analyst and admin only (VIEW_FORBIDDEN). */
int view_reconcile(const view_year *v, const view_ctx *c, json_t **out, msk_err *err);

/* The municipalities compared (view/municipalities.c, issue 17 item 2), v the view of every
 * school: {"year", "count", "municipalities": [{"code", "name", "schools", "shnor",
 * "shnor_share" (null without schools), "risk", "objectivity" (schools on each list of the
 * year), "href"}], "procedures": [{"proc", "region": marks, "municipalities": [{"code", "name",
 * "marks"}]}]} (the year's procedures with participants, municipalities by code).
 * VIEW_FORBIDDEN for the public, a school operator, or a view of one municipality. */
int view_municipalities(store *s, const view_year *v, const view_ctx *c, json_t **out,
                        msk_err *err);

/* Russian name of a stored municipal indicator ("objectivity_index" …) and its unit ("share":
 * a fraction, "index": 0..100); NULL for an unknown key. */
const char *view_indicator_name(const char *key, const char **unit);

/* Public suppression, in place: every object with a "participants" (or "n") member below
 * VIEW_MIN_CELL gets every number in it (counts, shares, means and its size) set to null and
 * "suppressed": true. */
void view_suppress(json_t *doc);

/* The audit log for the admin (src/view/audit.c): {"title", "total", "page", "pages",
 * "per_page", "filter": {user, action, school, from, to}, "options": {"users": [{value, label,
 * selected}], "actions": [...]}, "errors": [{field, message}] (a date that is neither
 * дд.мм.гггг nor гггг-мм-дд is left out of the filter and named here; "bad": {field: true}
 * the same), "rows": [{"id", "at",
 * "at_text" (дд.мм.гггг чч:мм), "user", "action", "action_name", "object", "before", "after",
 * "before_text", "after_text" (JSON pretty-printed, else as stored; null when none)}]}, newest
 * first. per_page <= 0 gives every matching row (exports). VIEW_FORBIDDEN, with a message
 * naming the role, for anyone but the admin. */
typedef struct view_audit_query {
    const char *user, *action, *school, *from, *to; /* NULL or "" = any */
    int page;                                       /* from 1 */
    int per_page;
} view_audit_query;
int view_audit(store *s, const view_ctx *c, const view_audit_query *q, json_t **out, msk_err *err);
/* The Russian name of an audit action ("import.undo" → «отмена загрузки»); the code itself when
 * unknown. */
const char *view_audit_action_name(const char *action);
/* The audit rows of one object ("plan_item:12"), newest first, in view_audit's row shape: the
 * history shown beside the object (the roadmap item's page). Not limited to the admin: the
 * caller decides who sees the object. */
int view_audit_object(store *s, const char *object, json_t **rows, msk_err *err);

#endif
