/*
 * Addressed recommendations (адресные рекомендации; seed 001 п. 1.17, 3.4; seed 002 §2.3, §3.2,
 * §4.5; seed 003 п. 1.12–1.13) as data: methods/recommendations.ini holds rules, each mapping a
 * finding or a factor to a Russian recommendation with its reason and the act it rests on. The
 * rules are matched against a school's view model (view_school), so every recommendation names
 * the school and the finding that caused it.
 *
 * A rule is a section [rec.NAME] with keys:
 *   when   = what triggers it, one of
 *            finding METHOD             — the school is on a list: shnor, risk, objectivity
 *            factor FACTOR              — a risk-zone factor: material, staff, contingent, results
 *            sign SIGN                  — a sign of non-objective results of a listed
 *                                         school: inflated_mean, journal_mismatch, medal,
 *                                         cohort_jump, boundary_peaks, vpr_unconfirmed …
 *            result KEY MEASURE OP VALUE — a result of the year: KEY a procedure key with * as a
 *                                         wildcard part (VPR-math-5, VPR-*-*), MEASURE one of
 *                                         share2 share5 quality success mean_primary
 *                                         diff_quality diff_success, OP one of < <= > >=
 *            context CODE OP VALUE      — a context indicator (teachers_unqualified > 0)
 *            gia SECTION FIELD OP VALUE — a number of the school's own row of the page's
 *                                         "gia" (view/gia.c): SECTION honours, admission or
 *                                         contingent (gia honours three > 0: 9th graders with
 *                                         honours and a «3» on ОГЭ, seed 003 п. 1.8)
 *            indicator CODE             — a school outside the target of a direction's
 *                                         indicator CODE (a file of methods/directions)
 *            direction CODE             — the same for any indicator of direction CODE (* = of
 *                                         any direction) that has no `indicator` rule
 *   text   = the recommendation (required)
 *   reason = why, before the evidence (required)
 *   act    = the act and section it rests on (required)
 *   min_participants = results from fewer pupils do not trigger (default 5)
 * and an optional section [conclusions] with margin = 0.05.
 */
#ifndef MSK_RECOMMEND_H
#define MSK_RECOMMEND_H

#include "base/err.h"

#include <jansson.h>

typedef struct rec_rules rec_rules;

/* Load and check the rules; unknown keys, a bad `when` or a missing text are errors naming the
 * file and section. */
int rec_load(const char *path, rec_rules **out, msk_err *err);
int rec_load_str(const char *name, const char *text, rec_rules **out, msk_err *err);
void rec_free(rec_rules *r);
/* The rules of path shared between pages (a server's school and direction pages): read and
 * checked at the first call, then again only when the file changed — its inode, size or times
 * differ — so an edited file takes effect at the next page, as when every page read it, and a
 * broken one fails every page until it is fixed. The rules are read only; give them back
 * with rec_release (never rec_free). Thread-safe. */
int rec_load_shared(const char *path, rec_rules **out, msk_err *err);
/* A rule set of rec_load_shared or rec_load (then the same as rec_free); NULL is nothing. */
void rec_release(rec_rules *r);
size_t rec_count(const rec_rules *r);
/* [conclusions] margin: a change of a share between two years beyond it is named in the
 * report's conclusions (default 0.05 = 5 п. п.). */
double rec_margin(const rec_rules *r);

/* Match every rule against one school's view model and append one object per match to the
 * array out: {"rule", "school": {"code", "name"}, "finding": the evidence that triggered it,
 * "text", "reason", "act"}. A result rule gathers all the procedures it catches into one
 * recommendation; a procedure an earlier rule on the same measure cited is not cited again.
 * Returns the number appended. */
int rec_match(const rec_rules *r, const json_t *school_view, json_t *out);

/* A direction's page (view/direction.h): every school of its "schools_outside" gets
 * "recommendations" for the indicators it misses — the `indicator` rule of each, else the
 * direction's, else `direction *`; one per rule, naming every indicator it answers — as {"rule",
 * "school": {"code", "name"}, "finding" («Доля …: 40,0 % при цели 10,0 % (seed 001 …)», joined
 * with «; »), "text", "reason", "act", "direction", "indicator" (the first), "indicators"}; the
 * page gets all of them as "recommendations". Returns their number. */
int rec_direction_page(const rec_rules *r, json_t *page);
/* The same for one school: misses is view_direction_misses (modified: each entry gets its
 * recommendations); each recommendation is appended to out (a school page's or справка's list).
 * Returns their number. */
int rec_directions_school(const rec_rules *r, json_t *misses, json_t *out);

#endif
