/*
 * The request's scope (issue 17 item 2): which municipality's schools a person may know. It is
 * decided here once per request and applied in one place, the year's view (view_year_load_in):
 * every page, list, JSON answer, report and export is built from the view of the scope, so a
 * school outside it is unknown there — a 404 the same as a code that never existed, never a
 * 403 that would tell it exists. Pages built from the store instead of the view (forms,
 * registries, decisions, answers) ask web_scope_school.
 */
#include "web/internal.h"

#include "store/municipality.h"

#include <stdio.h>
#include <string.h>

static int set_muni(web_req *r, const store_municipality *m)
{
    msk_err err;
    msk_err_clear(&err);
    if (view_scope_load(r->db, m->id, &r->scope, &err))
        return web_fail(r, 500, "%s", err.msg), 1;
    r->scope_muni = m->id;
    snprintf(r->scope_code, sizeof r->scope_code, "%s", m->code);
    snprintf(r->scope_name, sizeof r->scope_name, "%s", m->name);
    return 0;
}

int web_scope_resolve(web_req *r)
{
    store_municipality m;
    msk_err err;
    msk_err_clear(&err);
    r->scope_muni = 0;
    r->scope_code[0] = r->scope_name[0] = '\0';
    int rc;
    if (r->user.role == VIEW_SCHOOL) {
        int64_t id = 0;
        if ((rc = store_school_municipality(r->db, r->user.school, &id, &err)) < 0)
            return web_fail(r, 500, "%s", err.msg), 1;
        /* an operator's school outside every municipality: the view of every school, in which
         * the operator's rules (view_ctx.school) still show only that school */
        if (rc == 0 && id && store_municipality_get(r->db, id, &m, &err) == 0)
            return set_muni(r, &m);
        return 0;
    }
    if (r->user.role == VIEW_ANALYST && !r->user.regional && r->user.municipality[0]) {
        /* fail closed: an analyst whose municipality is gone sees nothing, not everything */
        if (store_municipality_find(r->db, r->user.municipality, &m, &err) != 0)
            return web_fail(r, 403, "Муниципалитет «%s» учётной записи не найден",
                            r->user.municipality),
                   1;
        return set_muni(r, &m);
    }
    const char *mo = web_arg(r, "mo");
    if (!mo || !*mo)
        return 0;
    if ((rc = store_municipality_find(r->db, mo, &m, &err)) < 0)
        return web_fail(r, 500, "%s", err.msg), 1;
    if (rc)
        return web_fail(r, 404, "Нет муниципалитета «%s»", mo), 1;
    return set_muni(r, &m);
}

int web_scope_school(web_req *r, const char *code)
{
    int64_t id = 0;
    msk_err err;
    if (!code || store_school_municipality(r->db, code, &id, &err) != 0)
        return 0; /* unknown: the same answer as outside the scope */
    return r->scope_muni == 0 || id == r->scope_muni;
}

/* The school a route names in its path: /schools/CODE…, /open/schools/CODE, /forms/FORM/CODE…
 * (NULL when none). Derived from the pattern, so a new route under these prefixes is guarded
 * without a word here. */
static const char *path_school(const web_req *r)
{
    const char *p = r->route ? r->route->pattern : "";
    if (!strncmp(p, "/schools/:", 10) || !strncmp(p, "/open/schools/:", 15))
        return r->param;
    if (!strncmp(p, "/forms/:/:", 10))
        return r->param2;
    return NULL;
}

static int refuse(web_req *r, const char *code)
{
    /* the same answer for a school outside the scope as for a code no school has; for an
     * operator the answer its rules give to every school but its own — 403, one of its own
     * municipality too — so that neither tells which codes exist (tests/cli/websec.sh) */
    if (r->user.role == VIEW_SCHOOL)
        web_fail(r, 403,
                 "Эта страница доступна только аналитику муниципалитета или оператору "
                 "этой школы");
    else
        web_fail(r, 404, "Нет школы с кодом «%s»", code);
    return 1;
}

int web_scope_guard(web_req *r)
{
    /* every school is in a scope of the whole installation: an unknown code is then the
     * handler's to answer (its own 404, or a 422 naming the form's field) */
    if (!r->scope_muni)
        return 0;
    const char *code = path_school(r);
    if (code && !web_scope_school(r, code))
        return refuse(r, code);
    const char *q = web_arg(r, "school");
    if (q && *q && !web_scope_school(r, q))
        return refuse(r, q);
    for (size_t i = 0; r->post && i < r->form.n; i++) {
        const web_field *f = &r->form.fields[i];
        if ((!strcmp(f->name, "school") || !strcmp(f->name, "v_school")) && f->value[0] &&
            !web_scope_school(r, f->value))
            return refuse(r, f->value);
    }
    return 0;
}
