/*
 * Every place a flag appears links its evidence card and says what the school answered
 * (issue 16 item 5): the lists, the rating, the schools list, a school's page and the
 * dashboard. The year's view is shared and immutable; the answers change between its loads, so
 * they are read per request (view_answer_marks) and put on the page's own copy of the model —
 * the JSON of a page carries the same "card" and "answer_status_label".
 */
#include "web/internal.h"
#include "web/routes_internal.h"

#include "base/vocab.h"
#include "view/card.h"

#include <string.h>

json_t *web_flag_marks(web_req *r)
{
    json_t *m = NULL;
    msk_err err;
    msk_err_clear(&err);
    if (r->user.role < VIEW_SCHOOL)
        return json_object(); /* the public sees no flag of a school */
    if (view_answer_marks(r->db, r->year, &m, &err)) {
        web_fail(r, 500, "Пояснения школ не прочитаны: %s", err.msg);
        return NULL;
    }
    return m;
}

int web_may_card(const web_req *r, const char *code)
{
    if (r->user.role >= VIEW_ANALYST)
        return 1;
    return r->user.role == VIEW_SCHOOL && code && !strcmp(code, r->user.school);
}

void web_flag_item(web_req *r, json_t *item, const json_t *marks, const char *list)
{
    const char *code = web_jstr(json_object_get(item, "school"), "code");
    if (web_may_card(r, code))
        view_answer_mark(item, marks, code, list, r->year);
}

void web_flag_badges(web_req *r, json_t *obj, const json_t *marks, const char *code)
{
    json_t *badges = json_object_get(obj, "badges");
    if (!json_is_array(badges))
        return;
    json_t *l = json_array();
    size_t i;
    json_t *b;
    json_array_foreach(badges, i, b)
    {
        const char *key = json_string_value(b);
        if (!key)
            continue;
        json_t *o = json_pack("{s:s, s:s}", "key", key, "label", vocab_lower(VOCAB_METHOD, key));
        if (web_may_card(r, code))
            view_answer_mark(o, marks, code, key, r->year);
        else
            json_object_set_new(o, "card", json_string("")); /* not the row's: no link */
        json_array_append_new(l, o);
    }
    json_object_set_new(obj, "badge_list", l); /* page.c's decorate leaves it as it is */
}
