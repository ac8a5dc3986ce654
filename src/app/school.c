/*
 * The school's page as both doors show it (the web's /schools/КОД, `msoko show school`): the
 * view model of the school, and for those who may see the school whole (its operator, the
 * analyst) the monitoring forms it has to hand in, the addressed recommendations its справка
 * has (seed 001 п. 1.17, 3.4) and the management decisions naming it with their effect. Reads only:
 * no transaction, no audit row.
 */
#include "app/internal.h"

#include "report/recommend.h"
#include "view/decision.h"
#include "view/direction.h"
#include "view/form.h"
#include "view/view.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* The rules of methods/recommendations.ini (read once, again when the file changes:
 * rec_load_shared) matched against the page: the same rules and the
 * same matching as the school's справка (src/report/report_school.c). No file: none. */
static int recommendations(const view_year *v, const char *code, const json_t *page, json_t **out,
                           msk_err *err)
{
    char path[4096];
    rec_rules *rules = NULL;
    *out = json_array();
    if (!engine_preset_path("recommendations", path, sizeof path))
        return 0;
    if (rec_load_shared(path, &rules, err)) {
        json_decref(*out);
        *out = NULL;
        return -1;
    }
    rec_match(rules, page, *out);
    /* and one for every indicator of a direction the school misses (issue 15 item 4) */
    json_t *misses = view_direction_misses(v, code);
    rec_directions_school(rules, misses, *out);
    json_decref(misses);
    rec_release(rules);
    return 0;
}

int app_school_page(store *s, const view_year *v, const view_ctx *c, const char *code,
                    const char *today, json_t **out, msk_err *err)
{
    json_t *d = NULL, *forms = NULL, *recs = NULL, *decs = NULL;
    *out = NULL;
    int rc = view_school(v, c, code, &d, err);
    if (rc)
        return rc;
    int whole = c->role >= VIEW_ANALYST ||
                (c->role == VIEW_SCHOOL && c->school && !strcmp(c->school, code));
    /* the management decisions naming the school, of the year before (their effect is this
     * year's analysis) and of this year (issue 15 item 4) */
    if (whole &&
        (view_school_forms(s, code, view_year_of(v), today, &forms, err) ||
         recommendations(v, code, d, &recs, err) || view_decisions(s, v, c, 0, code, &decs, err))) {
        json_decref(forms);
        json_decref(recs);
        json_decref(d);
        return -1;
    }
    if (decs) { /* the decisions of later years than the page's stay off it */
        json_t *keep = json_array();
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(decs, "items"), i, it)
        {
            json_int_t y = json_integer_value(json_object_get(it, "year"));
            if (y == view_year_of(v) - 1 || y == view_year_of(v))
                json_array_append(keep, it);
        }
        json_decref(decs);
        decs = keep;
    }
    json_object_set_new(d, "decisions", decs ? decs : json_array());
    json_object_set_new(d, "forms", forms ? forms : json_null());
    json_object_set_new(d, "recommendations", recs ? recs : json_array());
    *out = d;
    return 0;
}
