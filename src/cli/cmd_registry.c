/*
 * msoko registry: the registries of the acts (issue 15 items 2–3) at the console — load a file
 * of a kind (teachers, their courses, experts, gifted pupils, the management reserve, best
 * practices), list and export them, fill the gifted pupils from olympiad results and confirm
 * them (seed 001 п. 4.8), the teachers per school. The same use cases and views as the web's
 * /registries (src/app/registry.c, src/view/registry.c).
 */
#include "app/app.h"
#include "base/buf.h"
#include "base/mem.h"
#include "base/regkind.h"
#include "cli/cli.h"
#include "report/registry.h"
#include "store/registry.h"
#include "store/store.h"
#include "view/registry.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_registry(int argc, char **argv);

enum {
    O_DB,
    O_KIND,
    O_YEAR,
    O_SCHOOL,
    O_CODE,
    O_Q,
    O_WHERE,
    O_OUT,
    O_FORMAT,
    O_DRY,
    O_UNDO,
    O_JSON,
    O_USER,
    O_N
};

static int parse(const cli_command *cmd, int argc, char **argv, cli_opt *opts, const char **pos,
                 int *npos, const char **where)
{
    cli_opt o[O_N] = {{"db", 1, NULL, 0, NULL, 0},     {"kind", 1, NULL, 0, NULL, 0},
                      {"year", 1, NULL, 0, NULL, 0},   {"school", 1, NULL, 0, NULL, 0},
                      {"code", 1, NULL, 0, NULL, 0},   {"q", 1, NULL, 0, NULL, 0},
                      {"where", 1, NULL, 1, NULL, 0},  {"output", 1, NULL, 0, NULL, 0},
                      {"format", 1, NULL, 0, NULL, 0}, {"dry-run", 0, NULL, 0, NULL, 0},
                      {"undo", 0, NULL, 0, NULL, 0},   {"json", 0, NULL, 0, NULL, 0},
                      {"user", 1, NULL, 0, NULL, 0}};
    memcpy(opts, o, sizeof o);
    opts[O_WHERE].values = where;
    return cli_parse(cmd, argc, argv, opts, O_N, pos, npos);
}

static int year_opt(const cli_command *cmd, const cli_opt *opts, int required, int *year)
{
    long y = 0;
    *year = 0;
    if (!opts[O_YEAR].value)
        return required ? cli_usage(cmd, "--year: учебный год по году окончания, например 2024")
                        : 0;
    if (cli_int(opts[O_YEAR].value, 2000, 2100, &y))
        return cli_usage(cmd, "--year «%s»: ожидается год, например 2024", opts[O_YEAR].value);
    *year = (int)y;
    return 0;
}

static view_ctx ctx_of(const app_actor *a)
{
    view_ctx c = {VIEW_ANALYST, NULL, NULL};
    if (!strcmp(a->role, "admin"))
        c.role = VIEW_ADMIN;
    else if (!strcmp(a->role, "school")) {
        c.role = VIEW_SCHOOL;
        c.school = a->school;
    }
    return c;
}

static int do_import(const cli_command *cmd, int argc, char **argv)
{
    cli_opt opts[O_N];
    const char *pos[argc > 0 ? argc : 1], *where[argc > 0 ? argc : 1];
    int npos, year, bad = 0;
    msk_err err;
    store *s = NULL;
    rk_kind *k = NULL;
    int rc = parse(cmd, argc, argv, opts, pos, &npos, where);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (!npos)
        return cli_usage(cmd, "нужен файл: msoko registry import --kind ВИД ФАЙЛ");
    if (year_opt(cmd, opts, 0, &year))
        return EXIT_USAGE;
    msk_err_clear(&err);
    if (app_registry_kind(opts[O_KIND].value, &k, &err))
        return cli_fail(&err);
    if (store_open(cli_db_path(opts, O_N), STORE_WRITE, &s, &err)) {
        rk_free(k);
        return cli_fail(&err);
    }
    app_actor a;
    app_actor_cli(s, opts[O_USER].value, &a);
    reg_import_report *rep = msk_calloc(1, sizeof *rep);
    for (int i = 0; i < npos && !bad; i++) {
        rc = app_registry_import(s, &a, k, pos[i], pos[i], year, opts[O_DRY].value != NULL, rep,
                                 &err);
        if (rc < 0) {
            bad = cli_fail(&err);
            break;
        }
        for (size_t w = 0; w < rep->nwarnings; w++)
            fprintf(stderr, "msoko: %s: предупреждение: %s\n", pos[i], rep->warnings[w]);
        if (rc > 0) {
            char line[MSK_ERR_MSG + 300];
            for (size_t e = 0; e < rep->nerrors && e < REG_MAX_ERRORS; e++) {
                msk_err_format(&rep->errors[e], line, sizeof line);
                fprintf(stderr, "msoko: %s\n", line);
            }
            if (rep->nerrors > REG_MAX_ERRORS)
                fprintf(stderr, "msoko: … и ещё ошибок: %zu\n", rep->nerrors - REG_MAX_ERRORS);
            fprintf(stderr, "msoko: %s: ошибок: %zu — ничего не записано\n", pos[i], rep->nerrors);
            bad = EXIT_USER;
            break;
        }
        printf("%s: реестр «%s»: строк %lld, записано %lld, заменено %lld%s\n", pos[i], k->name,
               (long long)rep->rows_read, (long long)rep->rows_loaded,
               (long long)rep->rows_replaced, opts[O_DRY].value ? " (проверка, не записано)" : "");
    }
    free(rep);
    store_close(s);
    rk_free(k);
    return bad;
}

/* --where col=value: up to STORE_REGISTRY_FILTERS */
static int query_of(const cli_command *cmd, const cli_opt *opts, const rk_kind *k,
                    store_registry_query *q, char bufs[][200])
{
    memset(q, 0, sizeof *q);
    q->kind = k->code;
    if (year_opt(cmd, opts, 0, &q->year))
        return -1;
    q->school = opts[O_SCHOOL].value;
    q->code = opts[O_CODE].value;
    q->text = opts[O_Q].value;
    if (opts[O_WHERE].nvalues > STORE_REGISTRY_FILTERS)
        return cli_usage(cmd, "--where: не больше %d условий", STORE_REGISTRY_FILTERS);
    for (int i = 0; i < opts[O_WHERE].nvalues; i++) {
        snprintf(bufs[i], 200, "%s", opts[O_WHERE].values[i]);
        char *eq = strchr(bufs[i], '=');
        if (!eq)
            return cli_usage(cmd, "--where «%s»: ожидается столбец=значение", bufs[i]);
        *eq = '\0';
        const rk_column *c = rk_col(k, bufs[i]);
        if (!c)
            return cli_usage(cmd, "--where: в реестре «%s» нет столбца «%s»", k->code, bufs[i]);
        q->col[i] = bufs[i];
        q->val[i] = eq + 1;
        if (c->type == RK_CHOICE && rk_choice_find(c, eq + 1))
            q->val[i] = rk_choice_find(c, eq + 1)->code;
        else if (c->type == RK_YESNO)
            q->val[i] = !strcmp(eq + 1, "да") || !strcmp(eq + 1, "1") ? "1" : "0";
    }
    return 0;
}

static int open_list(const cli_command *cmd, int argc, char **argv, cli_opt *opts, json_t **list,
                     rk_kind **k)
{
    const char *pos[argc > 0 ? argc : 1], *where[argc > 0 ? argc : 1];
    int npos;
    char bufs[STORE_REGISTRY_FILTERS][200];
    store_registry_query q;
    msk_err err;
    store *s = NULL;
    int rc = parse(cmd, argc, argv, opts, pos, &npos, where);
    if (rc)
        return rc > 0 ? 1 : -EXIT_USAGE;
    if (npos)
        return -cli_usage(cmd, "лишний аргумент «%s»", pos[0]);
    msk_err_clear(&err);
    if (app_registry_kind(opts[O_KIND].value, k, &err))
        return -cli_fail(&err);
    if (query_of(cmd, opts, *k, &q, bufs))
        return -EXIT_USAGE;
    if (store_open(cli_db_path(opts, O_N), STORE_READ, &s, &err))
        return -cli_fail(&err);
    app_actor a;
    app_actor_cli(s, opts[O_USER].value, &a);
    view_ctx c = ctx_of(&a);
    rc = view_registry_list(s, &c, *k, q, list, &err);
    store_close(s);
    if (rc < 0)
        return -cli_fail(&err);
    if (rc > 0) {
        msk_error(&err, "реестр недоступен");
        return -cli_fail(&err);
    }
    return 0;
}

static int do_list(const cli_command *cmd, int argc, char **argv)
{
    cli_opt opts[O_N];
    json_t *list = NULL;
    rk_kind *k = NULL;
    int rc = open_list(cmd, argc, argv, opts, &list, &k);
    if (rc)
        return rc > 0 ? EXIT_OK : -rc;
    if (opts[O_JSON].value) {
        char *t = json_dumps(list, JSON_INDENT(2));
        printf("%s\n", t);
        free(t);
    } else {
        size_t i, j;
        json_t *r, *c;
        json_array_foreach(json_object_get(list, "columns"), i, c)
            printf("%s%s", i ? "\t" : "", json_string_value(json_object_get(c, "header")));
        printf("\n");
        json_array_foreach(json_object_get(list, "rows"), i, r)
        {
            json_array_foreach(json_object_get(r, "cells"), j, c)
                printf("%s%s", j ? "\t" : "", json_string_value(c));
            printf("\n");
        }
        printf("Строк: %lld\n", (long long)json_integer_value(json_object_get(list, "total")));
    }
    json_decref(list);
    rk_free(k);
    return EXIT_OK;
}

static int do_export(const cli_command *cmd, int argc, char **argv)
{
    cli_opt opts[O_N];
    json_t *list = NULL;
    rk_kind *k = NULL;
    msk_err err;
    int rc = open_list(cmd, argc, argv, opts, &list, &k);
    if (rc)
        return rc > 0 ? EXIT_OK : -rc;
    const char *out = opts[O_OUT].value, *fmt = opts[O_FORMAT].value;
    size_t n = out ? strlen(out) : 0;
    int xlsx = fmt ? !strcmp(fmt, "xlsx") : n > 5 && !strcmp(out + n - 5, ".xlsx");
    msk_err_clear(&err);
    rc = EXIT_OK;
    if (xlsx && !out)
        rc = cli_usage(cmd, "XLSX пишется в файл: --output ФАЙЛ.xlsx");
    else if (xlsx) {
        if (report_registry_xlsx(list, out, &err))
            rc = cli_fail(&err);
    } else {
        msk_buf b;
        msk_buf_init(&b, 0);
        report_registry_csv(list, &b);
        FILE *f = out ? fopen(out, "wb") : stdout;
        if (!f) {
            msk_error(&err, "%s: не удалось открыть файл для записи", out);
            rc = cli_fail(&err);
        } else {
            fwrite(b.data, 1, b.len, f);
            if (out)
                fclose(f);
        }
        msk_buf_release(&b);
    }
    if (rc == EXIT_OK && out)
        printf("%s: строк %lld\n", out,
               (long long)json_integer_value(json_object_get(list, "shown")));
    json_decref(list);
    rk_free(k);
    return rc;
}

static int do_fill(const cli_command *cmd, int argc, char **argv)
{
    cli_opt opts[O_N];
    const char *pos[argc > 0 ? argc : 1], *where[argc > 0 ? argc : 1];
    int npos, year;
    msk_err err;
    store *s = NULL;
    int rc = parse(cmd, argc, argv, opts, pos, &npos, where);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos)
        return cli_usage(cmd, "лишний аргумент «%s»", pos[0]);
    if (year_opt(cmd, opts, 1, &year))
        return EXIT_USAGE;
    msk_err_clear(&err);
    if (store_open(cli_db_path(opts, O_N), STORE_WRITE, &s, &err))
        return cli_fail(&err);
    app_actor a;
    app_actor_cli(s, opts[O_USER].value, &a);
    int64_t added = 0, seen = 0;
    rc = app_registry_fill_gifted(s, &a, year, &added, &seen, &err);
    store_close(s);
    if (rc)
        return cli_fail(&err);
    printf("Одарённые %d: результатов олимпиад (победители и призёры муниципального и выше "
           "этапов) %lld, добавлено строк %lld (не подтверждены)\n",
           year, (long long)seen, (long long)added);
    return EXIT_OK;
}

static int do_confirm(const cli_command *cmd, int argc, char **argv)
{
    cli_opt opts[O_N];
    const char *pos[argc > 0 ? argc : 1], *where[argc > 0 ? argc : 1];
    int npos, year;
    msk_err err;
    store *s = NULL;
    int rc = parse(cmd, argc, argv, opts, pos, &npos, where);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos)
        return cli_usage(cmd, "лишний аргумент «%s»", pos[0]);
    if (year_opt(cmd, opts, 0, &year))
        return EXIT_USAGE;
    const char *kind = opts[O_KIND].value ? opts[O_KIND].value : "gifted";
    if (!opts[O_CODE].value)
        return cli_usage(cmd, "нужен --code КОД");
    msk_err_clear(&err);
    rk_kind *k = NULL;
    if (app_registry_kind(kind, &k, &err))
        return cli_fail(&err);
    int has = rk_col(k, "confirmed") != NULL;
    rk_free(k);
    if (!has)
        return cli_usage(cmd, "в реестре «%s» нет столбца «Подтверждено аналитиком»", kind);
    if (store_open(cli_db_path(opts, O_N), STORE_WRITE, &s, &err))
        return cli_fail(&err);
    app_actor a;
    app_actor_cli(s, opts[O_USER].value, &a);
    int64_t changed = 0;
    int value = opts[O_UNDO].value ? 0 : 1;
    rc = app_registry_confirm(s, &a, kind, opts[O_CODE].value, year, value, &changed, &err);
    store_close(s);
    if (rc)
        return cli_fail(&err);
    printf("%s %s: %s строк: %lld\n", kind, opts[O_CODE].value,
           value ? "подтверждено" : "снято подтверждение", (long long)changed);
    return EXIT_OK;
}

static int do_teachers(const cli_command *cmd, int argc, char **argv)
{
    cli_opt opts[O_N];
    const char *pos[argc > 0 ? argc : 1], *where[argc > 0 ? argc : 1];
    int npos, year;
    msk_err err;
    store *s = NULL;
    json_t *d = NULL;
    int rc = parse(cmd, argc, argv, opts, pos, &npos, where);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (year_opt(cmd, opts, 1, &year))
        return EXIT_USAGE;
    msk_err_clear(&err);
    if (store_open(cli_db_path(opts, O_N), STORE_READ, &s, &err))
        return cli_fail(&err);
    app_actor a;
    app_actor_cli(s, opts[O_USER].value, &a);
    view_ctx c = ctx_of(&a);
    rc = view_registry_teachers(s, &c, year, &d, &err);
    store_close(s);
    if (rc)
        return cli_fail(&err);
    if (opts[O_JSON].value) {
        char *t = json_dumps(d, JSON_INDENT(2));
        printf("%s\n", t);
        free(t);
    } else {
        static const char *const KEYS[] = {"teachers",     "highest", "first",   "conformity",
                                           "none",         "young",   "mentors", "course_hours_3y",
                                           "deficits_diag"};
        printf("Школа\tПедагогов\tВысшая\tПервая\tСЗД\tБез категории\tМолодых\tНаставников\t"
               "Часов курсов за 3 года\tДиагностика дефицитов\n");
        size_t i;
        json_t *r;
        json_array_foreach(json_object_get(d, "schools"), i, r)
        {
            printf("%s", json_string_value(json_object_get(r, "school")));
            for (size_t k = 0; k < sizeof KEYS / sizeof KEYS[0]; k++)
                printf("\t%lld", (long long)json_integer_value(json_object_get(r, KEYS[k])));
            printf("\n");
        }
        json_t *t = json_object_get(d, "total");
        printf("Всего");
        for (size_t k = 0; k < sizeof KEYS / sizeof KEYS[0]; k++)
            printf("\t%lld", (long long)json_integer_value(json_object_get(t, KEYS[k])));
        printf("\n");
    }
    json_decref(d);
    return EXIT_OK;
}

int cmd_registry(int argc, char **argv)
{
    const cli_command *cmd = cli_find("registry");
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        cli_print_help(cmd);
        return EXIT_OK;
    }
    if (argc < 2)
        return cli_usage(cmd,
                         "нужна подкоманда: import, list, export, fill-gifted, confirm, teachers");
    const char *sub = argv[1];
    if (!strcmp(sub, "import"))
        return do_import(cmd, argc - 1, argv + 1);
    if (!strcmp(sub, "list"))
        return do_list(cmd, argc - 1, argv + 1);
    if (!strcmp(sub, "export"))
        return do_export(cmd, argc - 1, argv + 1);
    if (!strcmp(sub, "fill-gifted"))
        return do_fill(cmd, argc - 1, argv + 1);
    if (!strcmp(sub, "confirm"))
        return do_confirm(cmd, argc - 1, argv + 1);
    if (!strcmp(sub, "teachers"))
        return do_teachers(cmd, argc - 1, argv + 1);
    return cli_usage(cmd, "неизвестная подкоманда «%s»", sub);
}
