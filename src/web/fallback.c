/*
 * Stand-ins for the view layer (src/view/, the lead's) and store_data_stamp until they land on
 * main: weak definitions, so the real ones replace them at link time without any change here.
 * The pages that need them answer 503 «раздел ещё не готов» meanwhile. Remove this file once
 * src/view/ implements view.h completely.
 */
#include "web/internal.h"

#define WEAK __attribute__((weak))

static int not_ready(msk_err *err)
{
    return msk_error(err, "раздел ещё не готов: модуль представлений (src/view) не собран");
}

WEAK int64_t store_data_stamp(store *s)
{
    (void)s;
    return 0;
}

WEAK int view_year_load(store *s, int year, view_year **out, msk_err *err)
{
    *out = NULL;
    return not_ready(err);
}
WEAK void view_year_free(view_year *v) { (void)v; }
WEAK int view_year_of(const view_year *v) { return 0; }
WEAK int64_t view_year_stamp(const view_year *v) { return 0; }
WEAK int view_years(store *s, json_t **out, msk_err *err)
{
    *out = json_array();
    return 0;
}
WEAK int view_dashboard(const view_year *v, const view_ctx *c, json_t **out, msk_err *err)
{
    return not_ready(err);
}
WEAK int view_schools(const view_year *v, const view_ctx *c, const view_filter *f, json_t **out,
                      msk_err *err)
{
    return not_ready(err);
}
WEAK int view_school(const view_year *v, const view_ctx *c, const char *code, json_t **out,
                     msk_err *err)
{
    return not_ready(err);
}
WEAK int view_procedure(const view_year *v, const view_ctx *c, const char *key,
                        const char *school, json_t **out, msk_err *err)
{
    return not_ready(err);
}
WEAK int view_list(const view_year *v, const view_ctx *c, const char *list, json_t **out,
                   msk_err *err)
{
    return not_ready(err);
}
WEAK void view_suppress(json_t *doc) { (void)doc; }
