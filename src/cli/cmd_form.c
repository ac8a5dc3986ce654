/*
 * msoko form: monitoring forms (DHIS2 data sets) — load definitions from methods/forms/, fill,
 * submit, return, approve, completeness by deadline, indicator tables (text or XLSX), value
 * history. --user LOGIN acts as that user of the database (a school operator is held to its own
 * school); without a known user the command runs with the rights of the server's operator
 * (admin). See docs/forms.md.
 */
#include "app/app.h"
#include "cli/cli.h"
#include "base/vocab.h"
#include "form/form.h"
#include "store/form.h"
#include "store/plan.h"
#include "store/store.h"
#include "view/form.h"
#include "view/view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_form(int argc, char **argv);

enum { O_DB, O_SCHOOL, O_PERIOD, O_USER, O_COMMENT, O_XLSX, O_SCHOOLS, O_DUE, O_N };

static int parse(const cli_command *cmd, int argc, char **argv, cli_opt *opts, const char **pos,
                 int *npos)
{
    cli_opt o[O_N] = {{"db", 1, NULL, 0, NULL, 0},      {"school", 1, NULL, 0, NULL, 0},
                      {"period", 1, NULL, 0, NULL, 0},  {"user", 1, NULL, 0, NULL, 0},
                      {"comment", 1, NULL, 0, NULL, 0}, {"xlsx", 1, NULL, 0, NULL, 0},
                      {"schools", 1, NULL, 0, NULL, 0}, {"due-days", 1, NULL, 0, NULL, 0}};
    memcpy(opts, o, sizeof o);
    return cli_parse(cmd, argc, argv, opts, O_N, pos, npos);
}

static void print_msgs(const form_msgs *m)
{
    for (size_t i = 0; i < m->n; i++)
        fprintf(stderr, "  %s%s%s\n", m->m[i].element, m->m[i].element[0] ? ": " : "",
                m->m[i].text);
}

static int need(const cli_command *cmd, const cli_opt *opts, int npos, int want_pos,
                int want_school)
{
    if (npos != want_pos)
        return cli_usage(cmd, "нужен код формы (msoko form list)");
    if (want_school && !cli_get(opts, O_N, "school"))
        return cli_usage(cmd, "нужна --school КОД");
    if (!cli_get(opts, O_N, "period"))
        return cli_usage(cmd, "нужен --period: 2024, 2024-H1 или 2024-09 — по виду формы");
    return 0;
}

static void on_loaded(void *ctx, const char *path, const store_form *f)
{
    (void)ctx;
    printf("%s: форма %s «%s», показателей %zu, правил %zu\n", path, f->code, f->name, f->nel,
           f->nru);
}

static int do_load(const cli_command *cmd, int argc, char **argv)
{
    cli_opt opts[O_N];
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    msk_err err;
    store *s = NULL;
    int rc = parse(cmd, argc, argv, opts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (!npos)
        return cli_usage(cmd, "нужны файлы форм: msoko form load methods/forms/*.ini");
    msk_err_clear(&err);
    if (store_open(cli_db_path(opts, O_N), STORE_WRITE, &s, &err))
        return cli_fail(&err);
    app_actor actor;
    app_actor_cli(s, cli_get(opts, O_N, "user"), &actor);
    rc = app_form_load(s, &actor, pos, (size_t)npos, on_loaded, NULL, &err);
    store_close(s);
    return rc ? cli_fail(&err) : EXIT_OK;
}

/* msoko form assign ФОРМА [--schools all|shnor|risk|objectivity] [--due-days N]: who fills the
 * form and its deadline, as the admin's /admin/forms sets them (app_form_assign). An option
 * left out keeps the form's value. */
static int do_assign(const cli_command *cmd, int argc, char **argv)
{
    cli_opt opts[O_N];
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    msk_err err;
    store *s = NULL;
    store_form f;
    int rc = parse(cmd, argc, argv, opts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos != 1)
        return cli_usage(cmd, "нужен один код формы (msoko form list)");
    const char *sch = cli_get(opts, O_N, "schools"), *due = cli_get(opts, O_N, "due-days");
    if (!sch && !due)
        return cli_usage(cmd, "укажите --schools all|shnor|risk|objectivity и/или --due-days N");
    long days = 0;
    if (due && cli_int(due, 0, 366, &days))
        return cli_usage(cmd, "--due-days: целое число дней от 0 до 366, получено «%s»", due);
    if (sch && strcmp(sch, "all") && strcmp(sch, "shnor") && strcmp(sch, "risk") &&
        strcmp(sch, "objectivity"))
        return cli_usage(cmd, "--schools: all, shnor, risk или objectivity, получено «%s»", sch);
    msk_err_clear(&err);
    if (store_open(cli_db_path(opts, O_N), STORE_WRITE, &s, &err))
        return cli_fail(&err);
    rc = store_form_get(s, pos[0], &f, &err);
    if (rc) {
        store_close(s);
        if (rc > 0)
            msk_error(&err, "нет формы «%s» (msoko form list)", pos[0]);
        return cli_fail(&err);
    }
    app_actor actor;
    app_actor_cli(s, cli_get(opts, O_N, "user"), &actor);
    const char *schools = sch ? (strcmp(sch, "all") ? sch : "") : f.schools;
    int d = due ? (int)days : f.due_days;
    rc = app_form_assign(s, &actor, pos[0], schools, d, &err);
    store_form_release(&f);
    store_close(s);
    if (rc)
        return cli_fail(&err);
    if (schools[0])
        printf("Форма %s: сдают школы списка «%s», срок — %d дн. после конца периода.\n", pos[0],
               vocab_label(VOCAB_METHOD, schools), d);
    else
        printf("Форма %s: сдают все школы, срок — %d дн. после конца периода.\n", pos[0], d);
    return EXIT_OK;
}

static void on_form(void *ctx, const char *code, const char *name, const char *period_type,
                    const char *source)
{
    (void)ctx;
    printf("%-20s %-10s %s (%s)\n", code, period_type, name, source);
}

static int do_list(const cli_command *cmd, int argc, char **argv)
{
    cli_opt opts[O_N];
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    msk_err err;
    store *s = NULL;
    int rc = parse(cmd, argc, argv, opts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    msk_err_clear(&err);
    if (store_open(cli_db_path(opts, O_N), STORE_READ, &s, &err))
        return cli_fail(&err);
    rc = store_form_each(s, on_form, NULL, &err) ? cli_fail(&err) : EXIT_OK;
    store_close(s);
    return rc;
}

static void on_history(void *ctx, const char *element, const char *stage, const char *at,
                       const char *user, const char *before, const char *after)
{
    (void)ctx;
    printf("  %s %s %-22s %s: %s → %s\n", at, user, element, vocab_label(VOCAB_VALUE_STAGE, stage),
           before ? before : "—", after ? after : "—");
}

static int do_show(const cli_command *cmd, int argc, char **argv)
{
    cli_opt opts[O_N];
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    msk_err err;
    store *s = NULL;
    store_form f;
    int rc = parse(cmd, argc, argv, opts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos != 1)
        return cli_usage(cmd, "нужен код формы (msoko form list)");
    msk_err_clear(&err);
    if (store_open(cli_db_path(opts, O_N), STORE_READ, &s, &err))
        return cli_fail(&err);
    int r = store_form_get(s, pos[0], &f, &err);
    if (r) {
        if (r > 0)
            msk_error(&err, "формы «%s» нет", pos[0]);
        store_close(s);
        return cli_fail(&err);
    }
    printf("Форма %s «%s»; период: %s; источник: %s; срок сдачи — %d дн. после конца периода\n",
           f.code, f.name, f.period_type, f.source, f.due_days);
    const char *school = cli_get(opts, O_N, "school"), *period = cli_get(opts, O_N, "period");
    store_sub sub;
    store_fvalue *vals = NULL;
    size_t nv = 0;
    int64_t sid = 0;
    int have = 0;
    json_t *view = NULL;
    rc = EXIT_OK;
    if (school && period) {
        if (store_school_id(s, school, &sid)) {
            msk_error(&err, "школы с кодом «%s» нет", school);
            rc = cli_fail(&err);
            goto out;
        }
        r = store_sub_get(s, f.code, sid, period, &sub, &err);
        if (r < 0 || (r == 0 && store_sub_values(s, sub.id, &vals, &nv, &err))) {
            rc = cli_fail(&err);
            goto out;
        }
        have = r == 0;
        /* the status and the values as the web's form shows them (src/view/form.c): a school
         * without a submission starts from the values loaded for it by file */
        char today[11];
        store_plan_today(today);
        view_ctx vc = {VIEW_ANALYST, NULL, NULL};
        if (view_form_school(s, &vc, &f, school, period, today, &view, &err)) {
            rc = cli_fail(&err);
            goto out;
        }
        const char *comment = json_string_value(json_object_get(view, "comment"));
        printf("Школа %s, период %s: %s%s%s\n", school, period,
               json_string_value(json_object_get(view, "status_label")),
               comment && comment[0] ? "; комментарий: " : "", comment ? comment : "");
    }
    json_t *fields = json_object_get(view, "fields");
    for (size_t i = 0; i < f.nel; i++) {
        const store_form_elem *e = &f.el[i];
        const char *v = json_string_value(json_object_get(json_array_get(fields, i), "value"));
        char val[1100] = "";
        if (view)
            snprintf(val, sizeof val, "%s",
                     !v || !v[0]               ? "—"
                     : strcmp(e->type, "bool") ? v
                     : !strcmp(v, "1")         ? "да"
                                               : "нет");
        printf("  %-24s %-6s %-8s %s%s%s%s\n", e->code, e->type, e->unit, e->name,
               e->required ? " *" : "", view ? " = " : "", val);
    }
    for (size_t i = 0; i < f.nru; i++)
        printf("  правило: %s — %s\n", f.ru[i].expr, f.ru[i].message);
    for (size_t i = 0; i < f.nind; i++)
        printf("  показатель таблицы %s: %s = %s%s%s\n", f.ind[i].code, f.ind[i].name, f.ind[i].num,
               f.ind[i].den[0] ? " / " : "", f.ind[i].den);
    if (have) {
        form_msgs m = {0};
        if (form_check(&f, vals, nv, 1, &m)) {
            printf("Проверка перед сдачей:\n");
            for (size_t i = 0; i < m.n; i++)
                printf("  %s%s%s\n", m.m[i].element, m.m[i].element[0] ? ": " : "", m.m[i].text);
        }
        form_msgs_release(&m);
        printf("История значений:\n");
        if (store_value_history(s, sid, period, on_history, NULL, &err))
            rc = cli_fail(&err);
    }
out:
    json_decref(view);
    free(vals);
    store_form_release(&f);
    store_close(s);
    return rc;
}

static int do_step(const cli_command *cmd, int argc, char **argv, const char *what)
{
    cli_opt opts[O_N];
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    msk_err err;
    store *s = NULL;
    app_actor a;
    form_msgs m = {0};
    int rc = parse(cmd, argc, argv, opts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    int fill = !strcmp(what, "fill");
    if (npos < 1 || (!fill && npos != 1))
        return cli_usage(cmd, fill ? "нужны код формы и значения КОД=ЗНАЧЕНИЕ"
                                   : "нужен код формы (msoko form list)");
    if (need(cmd, opts, 1, 1, 1))
        return EXIT_USAGE;
    if (!strcmp(what, "return") && !cli_get(opts, O_N, "comment"))
        return cli_usage(cmd, "вернуть форму можно только с --comment: что исправить");
    msk_err_clear(&err);
    if (store_open(cli_db_path(opts, O_N), STORE_WRITE, &s, &err))
        return cli_fail(&err);
    app_actor_cli(s, cli_get(opts, O_N, "user"), &a);
    const char *form = pos[0], *school = cli_get(opts, O_N, "school"),
               *period = cli_get(opts, O_N, "period");
    if (fill)
        rc = app_form_fill(s, &a, form, school, period, pos + 1, (size_t)(npos - 1), &m, &err);
    else if (!strcmp(what, "submit"))
        rc = app_form_submit(s, &a, form, school, period, &m, &err);
    else if (!strcmp(what, "return"))
        rc = app_form_return(s, &a, form, school, period, cli_get(opts, O_N, "comment"), &err);
    else
        rc = app_form_approve(s, &a, form, school, period, &m, &err);
    store_close(s);
    if (rc) {
        cli_fail(&err);
        print_msgs(&m);
        form_msgs_release(&m);
        return EXIT_USER;
    }
    form_msgs_release(&m);
    printf("Форма %s, школа %s, период %s: %s\n", form, school, period,
           fill                      ? "черновик сохранён"
           : !strcmp(what, "submit") ? "сдана"
           : !strcmp(what, "return") ? "возвращена на доработку"
                                     : "утверждена: значения доступны методикам");
    return EXIT_OK;
}

/* Open the database read-only and the form pos[0] with a --period that suits it. Returns
 * EXIT_OK with *s and *f to release, or the exit status after saying what is wrong. */
static int form_for_period(const cli_command *cmd, cli_opt *opts, const char **pos, store **s,
                           store_form *f, const char **period)
{
    msk_err err;
    msk_err_clear(&err);
    if (store_open(cli_db_path(opts, O_N), STORE_READ, s, &err))
        return cli_fail(&err);
    int r = store_form_get(*s, pos[0], f, &err);
    if (r) {
        if (r > 0)
            msk_error(&err, "формы «%s» нет", pos[0]);
        store_close(*s);
        return cli_fail(&err);
    }
    *period = cli_get(opts, O_N, "period");
    if (!form_period_ok(f->period_type, *period)) {
        store_form_release(f);
        store_close(*s);
        return cli_usage(cmd, "период «%s» не подходит форме (%s)", *period, f->period_type);
    }
    return EXIT_OK;
}

static int do_completeness(const cli_command *cmd, int argc, char **argv)
{
    cli_opt opts[O_N];
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    msk_err err;
    store *s = NULL;
    store_form f;
    int rc = parse(cmd, argc, argv, opts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (need(cmd, opts, npos, 1, 0))
        return EXIT_USAGE;
    const char *period;
    if ((rc = form_for_period(cmd, opts, pos, &s, &f, &period)) != EXIT_OK)
        return rc;
    msk_err_clear(&err);
    char due[11], today[11];
    form_period_due(f.period_type, period, f.due_days, due);
    store_plan_today(today);
    printf("Форма %s, период %s: срок сдачи %s (сегодня %s). Не сдали:\n", f.code, period, due,
           today);
    /* the web's view model (src/view/form.c): the same rule of who has handed it in */
    json_t *d = NULL;
    int total = 0, in = 0, approved = 0, missing = 0;
    rc = view_form_completeness(s, NULL, &f, period, today, &d, &err) ? cli_fail(&err) : EXIT_OK;
    size_t i;
    json_t *row;
    json_array_foreach(d ? json_object_get(d, "schools") : NULL, i, row)
    {
        const char *st = json_string_value(json_object_get(row, "status"));
        total++;
        approved += !strcmp(st, "approved") || !strcmp(st, "imported");
        if (json_is_true(json_object_get(row, "in"))) {
            in++;
            continue;
        }
        missing++;
        printf("%-12s %-40s %-16s%s\n", json_string_value(json_object_get(row, "code")),
               json_string_value(json_object_get(row, "name")),
               json_string_value(json_object_get(row, "status_label")),
               json_is_true(json_object_get(row, "late")) ? " срок прошёл" : "");
    }
    json_decref(d);
    if (rc == EXIT_OK)
        printf("Школ %d: сдали %d (утверждено %d), не сдали %d%s\n", total, in, approved, missing,
               missing && strcmp(today, due) > 0 ? " — срок сдачи прошёл" : "");
    store_form_release(&f);
    store_close(s);
    return rc;
}

static void cell(double v, int share, char *out, size_t outsz)
{
    if (isnan(v))
        snprintf(out, outsz, "—");
    else if (share)
        snprintf(out, outsz, "%.1f %%", 100 * v);
    else
        snprintf(out, outsz, "%g", v);
    for (char *p = out; *p; p++)
        if (*p == '.')
            *p = ',';
}

static int do_table(const cli_command *cmd, int argc, char **argv)
{
    cli_opt opts[O_N];
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    msk_err err;
    store *s = NULL;
    store_form f;
    form_table t;
    int rc = parse(cmd, argc, argv, opts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (need(cmd, opts, npos, 1, 0))
        return EXIT_USAGE;
    const char *period;
    if ((rc = form_for_period(cmd, opts, pos, &s, &f, &period)) != EXIT_OK)
        return rc;
    msk_err_clear(&err);
    if (form_table_build(s, &f, period, &t, &err)) {
        store_form_release(&f);
        store_close(s);
        return cli_fail(&err);
    }
    rc = EXIT_OK;
    const char *xlsx = cli_get(opts, O_N, "xlsx");
    if (xlsx) {
        if (form_table_xlsx(&f, &t, xlsx, &err))
            rc = cli_fail(&err);
        else
            printf("%s: таблица формы %s за %s (и %s), школ %zu\n", xlsx, f.code, t.period,
                   t.prev_period, t.nschools);
    } else {
        printf("Форма %s «%s», период %s (в скобках — %s); утверждённые значения\n", f.code, f.name,
               t.period, t.prev_period);
        for (size_t j = 0; j < t.ncols; j++) {
            char a[32], b[32];
            cell(t.mun_cur[j], t.col_share[j], a, sizeof a);
            cell(t.mun_prev[j], t.col_share[j], b, sizeof b);
            printf("  %-24s %s: муниципалитет %s (%s)\n", t.col_code[j], t.col_name[j], a, b);
        }
        for (size_t i = 0; i < t.nschools; i++) {
            printf("%s", t.school[i]);
            for (size_t j = 0; j < t.ncols; j++) {
                char a[32], b[32];
                cell(t.cur[i * t.ncols + j], t.col_share[j], a, sizeof a);
                cell(t.prev[i * t.ncols + j], t.col_share[j], b, sizeof b);
                printf(" | %s=%s (%s)", t.col_code[j], a, b);
            }
            printf("\n");
        }
    }
    form_table_release(&t);
    store_form_release(&f);
    store_close(s);
    return rc;
}

int cmd_form(int argc, char **argv)
{
    const cli_command *cmd = cli_find("form");
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        cli_print_help(cmd);
        return EXIT_OK;
    }
    if (argc < 2)
        return cli_usage(cmd, "нужна подкоманда: load, list, assign, show, fill, submit, return, "
                              "approve, completeness или table");
    const char *sub = argv[1];
    if (!strcmp(sub, "load"))
        return do_load(cmd, argc - 1, argv + 1);
    if (!strcmp(sub, "list"))
        return do_list(cmd, argc - 1, argv + 1);
    if (!strcmp(sub, "assign"))
        return do_assign(cmd, argc - 1, argv + 1);
    if (!strcmp(sub, "show"))
        return do_show(cmd, argc - 1, argv + 1);
    if (!strcmp(sub, "fill") || !strcmp(sub, "submit") || !strcmp(sub, "return") ||
        !strcmp(sub, "approve"))
        return do_step(cmd, argc - 1, argv + 1, sub);
    if (!strcmp(sub, "completeness"))
        return do_completeness(cmd, argc - 1, argv + 1);
    if (!strcmp(sub, "table"))
        return do_table(cmd, argc - 1, argv + 1);
    return cli_usage(cmd, "неизвестная подкоманда «%s»", sub);
}
