/*
 * msoko show: print a view model (src/view/) as JSON — the data of a web page or a report
 * section, for scripts and tests, with the role's suppression applied.
 */
#include "cli/cli.h"
#include "app/app.h"
#include "store/store.h"
#include "store/plan.h"
#include "view/decision.h"
#include "view/form.h"
#include "view/plan.h"
#include "view/direction.h"
#include "view/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_show(int argc, char **argv);

/* The pages read from the store rather than the year's model: the roadmap and the forms
 * (src/view/plan.c, src/view/form.c). 1 when page is none of them, 0 with *doc, or -1. */
static int store_page(store *s, const view_ctx *ctx, const char *page, const char *arg,
                      const cli_opt *opts, int nopts, int year, json_t **doc, msk_err *err)
{
    char today[11], period[16];
    const char *school = cli_get(opts, nopts, "school");
    int form = !strcmp(page, "form"), table = !strcmp(page, "form-table");
    if (strcmp(page, "plan") && strcmp(page, "forms") && !form && !table)
        return 1;
    store_plan_today(today);
    /* as the web: the roadmap, a form's completeness and its table are the analyst's pages; a
     * school's own form and the list of forms are its operator's too */
    int staff = !strcmp(page, "plan") || table || (form && !school);
    if (ctx->role < (staff ? VIEW_ANALYST : VIEW_SCHOOL))
        return msk_error(err, "страница «%s» доступна %s", page,
                         staff ? "аналитику" : "оператору школы и аналитику");
    if (!strcmp(page, "plan")) {
        if (view_plan_summary(s, year, today, doc, err))
            return -1;
        json_object_set_new(*doc, "statuses", view_plan_statuses());
        json_t *years = NULL; /* what the web's year selector offers on /plan */
        if (view_plan_years(s, &years, err))
            return -1;
        json_object_set_new(*doc, "plan_years", years);
        return 0;
    }
    if (!strcmp(page, "forms"))
        return view_forms(s, ctx, NULL, year, today, doc, err) ? -1 : 0;
    store_form f;
    int r = store_form_get(s, arg, &f, err);
    if (r > 0)
        msk_error(err, "формы «%s» нет (msoko form list)", arg);
    if (r)
        return -1;
    view_form_period(&f, cli_get(opts, nopts, "period"), year, today, period);
    if (table) {
        form_table t;
        r = form_table_build(s, &f, period, &t, err);
        if (r == 0) {
            *doc = view_form_table(&f, &t);
            form_table_release(&t);
        }
    } else if (school) {
        r = view_form_school(s, ctx, &f, school, period, today, doc, err);
        if (r == VIEW_NOT_FOUND)
            msk_error(err, "школы с кодом «%s» нет", school);
        else if (r == VIEW_FORBIDDEN)
            msk_error(err, "форма школы %s видна её оператору и аналитику", school);
    } else {
        r = view_form_completeness(s, NULL, &f, period, today, doc, err);
    }
    store_form_release(&f);
    return r ? -1 : 0;
}

int cmd_show(int argc, char **argv)
{
    cli_opt opts[] = {{"db", 1, NULL, 0, NULL, 0},     {"year", 1, NULL, 0, NULL, 0},
                      {"role", 1, NULL, 0, NULL, 0},   {"school", 1, NULL, 0, NULL, 0},
                      {"period", 1, NULL, 0, NULL, 0}, {"municipality", 1, NULL, 0, NULL, 0}};
    const int nopts = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    const cli_command *cmd = cli_find("show");
    int64_t muni = 0;
    store *s = NULL;
    view_year *v = NULL;
    json_t *doc = NULL;
    msk_err err;
    long year = 0;
    view_ctx ctx = {VIEW_ANALYST, NULL, NULL};
    int rc = cli_parse(cmd, argc, argv, opts, nopts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos < 1)
        return cli_usage(cmd,
                         "укажите страницу: dashboard, schools, school, procedure, list, plan, "
                         "forms, form, reconcile, benchmarks, gia, decisions, directions");
    const char *page = pos[0], *arg = npos > 1 ? pos[1] : NULL;
    int need_arg = strcmp(page, "school") == 0 || strcmp(page, "procedure") == 0 ||
                   strcmp(page, "list") == 0 || strcmp(page, "form") == 0 ||
                   strcmp(page, "form-table") == 0;
    if (need_arg && !arg)
        return cli_usage(cmd, "для «%s» укажите код, ключ или имя списка", page);
    int may_arg = need_arg || strcmp(page, "directions") == 0; /* directions [КОД] */
    if (npos > (may_arg ? 2 : 1))
        return cli_usage(cmd, "лишний аргумент «%s»", pos[may_arg ? 2 : 1]);
    const char *role = cli_get(opts, nopts, "role");
    if (role) {
        if (strcmp(role, "public") == 0)
            ctx.role = VIEW_PUBLIC;
        else if (strncmp(role, "school:", 7) == 0 && role[7])
            ctx.role = VIEW_SCHOOL, ctx.school = role + 7;
        else if (strcmp(role, "analyst") == 0 || strcmp(role, "admin") == 0)
            ctx.role = strcmp(role, "admin") == 0 ? VIEW_ADMIN : VIEW_ANALYST;
        else
            return cli_usage(cmd, "--role: public, analyst, admin или school:КОД, а не «%s»", role);
    }
    msk_err_clear(&err);
    if (store_open(cli_db_path(opts, nopts), STORE_READ, &s, &err))
        goto fail;
    if (strcmp(page, "years") == 0) {
        if (view_years(s, &doc, &err))
            goto fail;
        goto print;
    }
    const char *y = cli_get(opts, nopts, "year");
    if (!y || cli_int(y, 2000, 2100, &year)) {
        store_close(s);
        return cli_usage(cmd, "укажите год: --year 2024");
    }
    /* the roadmap and the forms read the store, not the year's model */
    rc = store_page(s, &ctx, page, arg, opts, nopts, (int)year, &doc, &err);
    if (rc < 0)
        goto fail;
    if (rc == 0)
        goto print;
    if (cli_municipality(s, cli_get(opts, nopts, "municipality"), &muni, &err) ||
        view_year_load_in(s, (int)year, muni, &v, &err))
        goto fail;
    if (strcmp(page, "dashboard") == 0)
        rc = view_dashboard(v, &ctx, &doc, &err);
    else if (strcmp(page, "schools") == 0)
        rc = view_schools(v, &ctx, NULL, &doc, &err);
    else if (strcmp(page, "school") == 0) { /* the web's school page (src/app/school.c) */
        char today[11];
        store_plan_today(today);
        rc = app_school_page(s, v, &ctx, arg, today, &doc, &err);
    } else if (strcmp(page, "procedure") == 0)
        rc = view_procedure(v, &ctx, arg, cli_get(opts, nopts, "school"), &doc, &err);
    else if (strcmp(page, "list") == 0)
        rc = view_list(v, &ctx, arg, &doc, &err);
    else if (strcmp(page, "reconcile") == 0)
        rc = view_reconcile(v, &ctx, &doc, &err);
    else if (strcmp(page, "directions") == 0) /* the web's /directions[/КОД] */
        rc = arg ? app_direction_page(s, v, &ctx, arg, &doc, &err)
                 : view_directions(s, v, &ctx, &doc, &err);
    else if (strcmp(page, "benchmarks") == 0)
        rc = view_benchmarks(v, &ctx, &doc, &err);
    else if (strcmp(page, "gia") == 0) /* ГВЭ, trial exams, admission, honours (view/gia.c) */
        rc = view_gia(v, &ctx, cli_get(opts, nopts, "school"), &doc, &err);
    else if (strcmp(page, "decisions") == 0) /* the web's /decisions (src/web/decision.c) */
        rc = view_decisions_page(s, v, &ctx, (int)year, &doc, &err);
    else if (strcmp(page, "municipalities") == 0) /* the web's /municipalities */
        rc = view_municipalities(s, v, &ctx, &doc, &err);
    else {
        view_year_free(v);
        store_close(s);
        return cli_usage(cmd, "нет страницы «%s»", page);
    }
    if (rc)
        goto fail;
print:;
    char *out = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    printf("%s\n", out);
    free(out);
    rc = EXIT_OK;
    goto out;
fail:
    rc = cli_fail(&err);
out:
    json_decref(doc);
    view_year_free(v);
    store_close(s);
    return rc;
}
