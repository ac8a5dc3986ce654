/*
 * The evidence card of a flag and the school's answers beside it (src/view/card.c).
 */
#ifndef MSK_VIEW_CARD_H
#define MSK_VIEW_CARD_H

#include "base/err.h"
#include "store/store.h"
#include "view/view.h"

#include <jansson.h>

/* The card of the flag «school code × list × the view's year»: {"year", "list", "list_name",
 * "school": ref, "href", "verdict", "verdict_label", "rule" (the list's rule in words),
 * "measure", "text": [sentences of the finding], "rows": [{"label", "kind": "share" | "sign" |
 * "criterion", "proc": ref or null, "proc_key", "count", "of", "share", "threshold", "over",
 * "municipality", "peers" (schools of the same type), "peers_participants", "interval":
 * {"low", "high"} or null, "shrunk", "reliability", "text"; signs: "value", "p_value",
 * "observed", "expected", "quality"; criteria: "band", "points", "note"}], "trend": [{"key",
 * "title", "measure": "share2" | "quality", "points": [{"year", "participants", "school",
 * "municipality"}]}] (three years), "histograms": [{"key", "title", "municipality": [counts],
 * "school": [counts], "cuts": [3, 4, 5]}] (objectivity), "coefficient" (objectivity: the
 * re-check's coefficient, vi_coefficient; else null), "history": [{"year", "school_year",
 * "listed", "verdict_label", "rank"}] (three years), rating: "rank", "points", "of"; "answers":
 * [], "answer": null until view_card_answers}. VIEW_FORBIDDEN for the public and another
 * school's operator, VIEW_NOT_FOUND for an unknown list or school or a school not on the list. */
int view_card(const view_year *v, const view_ctx *c, const char *code, const char *list,
              json_t **out, msk_err *err);
/* The school's answers to the card's flag from the store: "answers": [{"id", "text", "status",
 * "status_label", "created_at_text", "created_by", "reviewed_at_text", "reviewed_by",
 * "comment", "files": [{"id", "name", "size", "href"}]}] oldest first, "answer" (the latest or
 * null), "answer_status" ("" when none), "answer_status_label", "can_answer", "can_review". */
int view_card_answers(store *s, const view_ctx *c, json_t *card, msk_err *err);
/* The address of a flag's card (new JSON string) and a list's Russian name (NULL: unknown). */
json_t *view_card_href(const char *school, const char *list, int year);
const char *view_card_list_name(const char *list);
/* The share a list's cards compare with when a finding carries none (ШНОР 30 %, risk 20 %);
 * NAN for the lists without one share. */
double view_card_threshold(const char *list);
/* The latest answer of every flag of year: {"SCHOOL:LIST": {"status", "comment", "id"}}. */
int view_answer_marks(store *s, int year, json_t **map, msk_err *err);
/* The words beside a flag in the lists, the school page and the справка (NUL-terminated into
 * out, cut at n): «ответ не дан» (status NULL or ""), «на рассмотрении», «пояснение принято»,
 * «отклонено: COMMENT». */
void view_answer_text(const char *status, const char *comment, char *out, size_t n);
/* Sets on item "card" (the flag's card address), "answer_status" ("" when none) and
 * "answer_status_label" (view_answer_text) from a view_answer_marks map. */
void view_answer_mark(json_t *item, const json_t *map, const char *school, const char *list,
                      int year);

#endif
