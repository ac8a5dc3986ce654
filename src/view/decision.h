/*
 * Management decisions as every reader shows them (issue 15 item 4): the decisions page, the
 * school page, `msoko decision list`, analyze's summary and the справка share this shape.
 *
 * A decision: {"id", "year", "kind", "kind_name", "title" («Приказ от 12.09.2023 № 45-о»),
 * "number", "taken_on", "taken_on_text", "text", "list", "list_name", "responsible", "due_on",
 * "due_text", "files", "direction", "direction_name" ("" when it answers none), "schools":
 * [school], "effect_year" (the analysis its effect is read from: year + 1), "effect_text"}. A
 * school of it: {"code", "name", "before": {"listed", "text"}, "after": {"listed" (true, false or
 * null before that analysis), "text"}, "moved" ("out", "stayed", "in", "still_out", "unknown"),
 * "moved_text", "measures": [{"label", "before", "after", "diff", "better"}]}: for a ШНОР decision,
 * the share of «2» (below the minimum) on each procedure that put the school on the list, in the
 * year it did and in the next year's results; for risk, the number of risk factors; for
 * objectivity, of signs; for the rating, the place.
 */
#ifndef MSK_VIEW_DECISION_H
#define MSK_VIEW_DECISION_H

#include "base/err.h"
#include "store/decision.h"
#include "store/store.h"
#include "view/view.h"

#include <jansson.h>

/* Decisions of year (0 = every year) naming school (NULL = any), each with its effect as v
 * (the loaded view year, usually year + 1; NULL = no effect) shows it. A school operator
 * (c->role VIEW_SCHOOL) gets only the decisions naming its school, and of those only its own
 * school's row. {"items": [...], "count"}. */
int view_decisions(store *s, const view_year *v, const view_ctx *c, int year, const char *school,
                   json_t **out, msk_err *err);
/* The decisions page of year (web /decisions?year=…, `msoko show decisions`): {"previous":
 * view_decisions of year − 1 with their effect in year, "current": those of year, "prev_year",
 * "this_year"}. Errors as view_decisions. */
int view_decisions_page(store *s, const view_year *v, const view_ctx *c, int year, json_t **out,
                        msk_err *err);
/* One decision by id with its files ([{id, name, size_text, added_at, added_by}]) and effect;
 * VIEW_NOT_FOUND when there is none, VIEW_FORBIDDEN for an operator of a school it does not
 * name. */
int view_decision(store *s, const view_year *v, const view_ctx *c, int64_t id, json_t **out,
                  msk_err *err);
/* [{value, label}] of the kinds and of the lists, for a form's choices. */
json_t *view_decision_kinds(void);
json_t *view_decision_lists(void);
/* [{value, label, is_shnor, is_objectivity}] of the nine directions (VOCAB_DIRECTION). */
json_t *view_decision_directions(void);
/* One decision as the readers above show it (the shape in the head of this file), its effect
 * as v shows it; the directions' pages use it for the decisions answering a direction. */
json_t *view_decision_json(const view_year *v, const view_ctx *c, const store_decision *d);

#endif
