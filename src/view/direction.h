/*
 * The nine directions of the МСОКО, each through its management cycle (issue 15 items 4–5;
 * seed 001 приложение 3 and the roadmap of приложение 4, разделы 2–10; seed 000 §V): goals →
 * indicators against targets with three years of dynamics → the schools outside the target →
 * addressed recommendations → management decisions → their effect in the next analysis. The
 * pages /directions and /directions/CODE, `msoko show directions [CODE]`, the dashboard's row of
 * nine and the report's section «Направления МСОКО» all read these models. They read only the
 * stored finding «directions» of the year's analysis (DIRECTIONS.md §4) and the decisions.
 *
 * The list: {"year", "school_year", "analysis" (the year's analysis has directions), "title",
 * "counts": counts of the directions, "items": [item]} where item = {"code", "n", "name",
 * "brief", "status", "status_text", "href", "goals", "counts": counts of its indicators,
 * "n_outside" (schools outside the target of any indicator; analysts and the school's
 * operator), "decisions" (decisions of the year and the year before; analysts)} and counts =
 * {"on_target", "below", "no_data", "total"}. Always the nine in their order (a direction the
 * analysis did not compute: "no_data").
 *
 * One direction: item's keys and "sections", "indicators": [the stored indicator (§4) +
 * "status_text", "good_text", "whole" (a count: no decimals), "trend" ("better", "worse",
 * "same", "unknown"), "trend_text", "has_target", "schools_outside": [{"school": ref, "value"}],
 * "n_outside"], "schools_outside": [{"school": ref, "indicators": [{"code", "name", "unit",
 * "whole", "value", "target", "section"}]}] (a school once, the most indicators missed first),
 * "decisions": {"previous": [decision], "current": [decision]} (view/decision.h's shape; the
 * previous year's with "indicators": [{"code", "name", "unit", "whole", "before", "after",
 * "better"}] and each named school's "direction_measures": the same for school-level ones),
 * "prev"/"next" ({"code", "name"} or null).
 *
 * Roles (UI.md, 152-ФЗ): the public sees the municipal values only — no school, no decision;
 * a value resting on fewer than VIEW_MIN_CELL (num or den) is null with "suppressed". A school
 * operator sees its own school only. Analysts and admins see everything.
 */
#ifndef MSK_VIEW_DIRECTION_H
#define MSK_VIEW_DIRECTION_H

#include "base/err.h"
#include "store/store.h"
#include "view/view.h"

#include <jansson.h>

typedef struct view_dir_counts {
    int on_target, below, no_data, total;
} view_dir_counts;

/* Count statuses ("on_target", "below", anything else = "no_data") of an array of objects with
 * "status" (indicators or directions) into *out. */
void view_dir_count(const json_t *items, view_dir_counts *out);
/* A direction's status from its indicators (DIRECTIONS.md §1): "no_data" when none has a
 * value; "below" when any with a target is "below"; else "on_target". */
const char *view_dir_status(const json_t *indicators);
/* The last year of dynamics ([{"year", "value"}], oldest first) against the year before, in
 * the direction of good ("higher" or "lower"): "better", "worse", "same" (|Δ| ≤ 1e-9) or
 * "unknown" (fewer than two consecutive values). */
const char *view_dir_trend(const json_t *dynamics, const char *good);
/* «цель достигнута», «цель не достигнута», «нет данных». */
const char *view_dir_status_text(const char *status);

/* The nine at a glance for the dashboard and /directions (the list's shape above). s may be
 * NULL (no decision counts). */
int view_directions(store *s, const view_year *v, const view_ctx *c, json_t **out, msk_err *err);
/* The list's "items" only, for the dashboard (no store: no decision counts). */
json_t *view_directions_glance(const view_year *v, const view_ctx *c);
/* One direction (code of VOCAB_DIRECTION); VIEW_NOT_FOUND for an unknown code. s may be NULL
 * (no decisions). */
int view_direction(store *s, const view_year *v, const view_ctx *c, const char *code, json_t **out,
                   msk_err *err);

/* The directions of the year in which school code misses a target, in the shape
 * rec_direction_page reads: [{"code", "name", "schools_outside": [{"school": ref, "indicators":
 * [...]}]}] (only that school). The school's page and справка add their recommendations. */
json_t *view_direction_misses(const view_year *v, const char *school);

#endif
