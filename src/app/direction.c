/*
 * A direction's page as the web and `msoko show directions КОД` show it (app.h): the view model
 * of the direction (src/view/direction.c) with the addressed recommendations for the schools
 * outside its targets (seed 001 приложение 4 п. 3.4: «направление адресных рекомендаций для
 * школ, педагогов по результатам анализа»), matched by src/report/recommend.c — the same rules
 * the report's section «Направления МСОКО» uses. Reads only: no transaction, no audit row.
 */
#include "app/internal.h"

#include "report/recommend.h"
#include "view/direction.h"

#include <jansson.h>

int app_direction_page(store *s, const view_year *v, const view_ctx *c, const char *code,
                       json_t **out, msk_err *err)
{
    char path[4096];
    rec_rules *rules = NULL;
    int rc = view_direction(s, v, c, code, out, err);
    if (rc)
        return rc;
    if (c->role >= VIEW_SCHOOL && engine_preset_path("recommendations", path, sizeof path)) {
        if (rec_load_shared(path, &rules, err)) {
            json_decref(*out);
            *out = NULL;
            return -1;
        }
    }
    rec_direction_page(rules, *out); /* no rules: every school gets [] */
    rec_release(rules);
    return 0;
}
