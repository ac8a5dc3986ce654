/*
 * msoko plan: the roadmap («дорожная карта», «план мероприятий») — items with their due dates,
 * what is due this month, what is overdue, status changes and evidence files. Items come from
 * `msoko import --kind plan` (methods/roadmaps/ ship the seeds' roadmaps) and from analyses.
 * "Today" is the date of $MSOKO_NOW when set, so tests pin it. See docs/roadmap.md.
 */
#include "app/app.h"
#include "base/mem.h"
#include "cli/cli.h"
#include "base/vocab.h"
#include "store/plan.h"
#include "store/store.h"
#include "view/plan.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_plan(int argc, char **argv);

void cmd_plan_help(void);

/* The statuses of set-status, after the help text (cli_print_help). */
void cmd_plan_help(void)
{
    size_t n;
    const vocab_entry *e = vocab_entries(VOCAB_PLAN_STATUS, &n);
    printf("\nСтатусы (СТАТУС):\n");
    for (size_t i = 0; i < n; i++)
        printf("  %-15s %s\n", e[i].code, e[i].label);
}

/* «30.09.2023», «без срока (постоянно)», «10 дн. после оценочной процедуры» */
static void due_text(const store_plan_row *r, char *out, size_t outsz)
{
    view_plan_due_text(r, out, outsz);
}

typedef struct list_ctx {
    int n, overdue;
    char roadmap[256];
} list_ctx;

static void on_row(void *ctx, const store_plan_row *r)
{
    list_ctx *c = ctx;
    c->n++;
    c->overdue += r->overdue;
    if (strcmp(c->roadmap, r->roadmap) != 0) {
        snprintf(c->roadmap, sizeof c->roadmap, "%s", r->roadmap);
        printf("== %s\n", r->roadmap);
    }
    char due[200];
    due_text(r, due, sizeof due);
    printf("%5lld  %-6s %s | срок: %s | %s%s%s\n", (long long)r->id, r->number, r->text, due,
           r->overdue ? "ПРОСРОЧЕНО" : view_plan_status_name(r->status),
           r->school_code[0] ? " | школа " : "", r->school_code);
}

static int do_list(const cli_command *cmd, int argc, char **argv)
{
    cli_opt opts[] = {{"db", 1, NULL, 0, NULL, 0},      {"year", 1, NULL, 0, NULL, 0},
                      {"roadmap", 1, NULL, 0, NULL, 0}, {"due-month", 0, NULL, 0, NULL, 0},
                      {"overdue", 0, NULL, 0, NULL, 0}, {"json", 0, NULL, 0, NULL, 0}};
    const int nopts = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    long year = STORE_NONE;
    msk_err err;
    store *s = NULL;
    int rc = cli_parse(cmd, argc, argv, opts, nopts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos)
        return cli_usage(cmd, "лишний аргумент «%s»", pos[0]);
    if (cli_get(opts, nopts, "year") && cli_int(cli_get(opts, nopts, "year"), 2000, 2100, &year))
        return cli_usage(cmd, "--year: учебный год по году окончания, например 2024");
    enum store_plan_filter f = PLAN_ALL;
    if (cli_get(opts, nopts, "due-month") && cli_get(opts, nopts, "overdue"))
        return cli_usage(cmd, "--due-month и --overdue вместе не указываются");
    if (cli_get(opts, nopts, "due-month"))
        f = PLAN_DUE_MONTH;
    if (cli_get(opts, nopts, "overdue"))
        f = PLAN_OVERDUE;
    msk_err_clear(&err);
    if (store_open(cli_db_path(opts, nopts), STORE_WRITE, &s, &err))
        return cli_fail(&err);
    /* items waiting for a procedure's date (or imported by an older build) get their due dates
     * now: a write of its own, with its audit row when anything changed */
    app_actor actor;
    app_actor_cli(s, NULL, &actor);
    if (app_plan_refresh(s, &actor, NULL, &err)) {
        store_close(s);
        return cli_fail(&err);
    }
    char today[11];
    store_plan_today(today);
    if (cli_get(opts, nopts, "json")) { /* the roadmap's view model, as the web has it */
        json_t *root = NULL;
        rc = view_plan_list(s, (int)year, cli_get(opts, nopts, "roadmap"), f, today, &root, &err)
                 ? cli_fail(&err)
                 : EXIT_OK;
        char *text = root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
        if (text)
            printf("%s\n", text);
        free(text);
        json_decref(root);
        store_close(s);
        return rc;
    }
    list_ctx c = {0};
    rc = store_plan_each(s, (int)year, cli_get(opts, nopts, "roadmap"), f, today, on_row, &c, &err)
             ? cli_fail(&err)
             : EXIT_OK;
    if (rc == EXIT_OK)
        printf("Пунктов: %d, из них просрочено: %d (на %s)\n", c.n, c.overdue, today);
    store_close(s);
    return rc;
}

static void on_show(void *ctx, const store_plan_row *r)
{
    (void)ctx;
    char due[200];
    due_text(r, due, sizeof due);
    printf("Пункт %lld: %s, %s %s\n%s\n", (long long)r->id, r->roadmap, r->section, r->number,
           r->text);
    printf("Срок: %s — %s\n", r->deadline[0] ? r->deadline : "не указан", due);
    printf("Ответственный: %s\nОжидаемый результат: %s\n", r->responsible, r->result);
    printf("Статус: %s%s\n", view_plan_status_name(r->status), r->overdue ? " (просрочено)" : "");
    if (r->note[0])
        printf("Отметка: %s\n", r->note);
    if (r->school_code[0])
        printf("Школа: %s\n", r->school_code);
    if (r->finding_id)
        printf("Основание: результат анализа %lld\n", (long long)r->finding_id);
}

static void on_file(void *ctx, const store_plan_file *f)
{
    (void)ctx;
    printf("Файл %lld: %s, %lld байт, sha256 %s, %s %s\n", (long long)f->id, f->name,
           (long long)f->size, f->sha256, f->added_at, f->added_by);
}

static int item_id(const cli_command *cmd, const char *text, long *id)
{
    if (!text || cli_int(text, 1, 2147483647, id))
        return cli_usage(cmd, "нужен номер пункта плана (его печатает msoko plan list)");
    return 0;
}

static int do_show(const cli_command *cmd, int argc, char **argv)
{
    cli_opt opts[] = {{"db", 1, NULL, 0, NULL, 0}};
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    long id;
    msk_err err;
    store *s = NULL;
    int rc = cli_parse(cmd, argc, argv, opts, 1, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos != 1 || item_id(cmd, pos[0], &id))
        return npos != 1 ? cli_usage(cmd, "нужен один номер пункта") : EXIT_USAGE;
    msk_err_clear(&err);
    if (store_open(cli_db_path(opts, 1), STORE_WRITE, &s, &err))
        return cli_fail(&err);
    char today[11];
    store_plan_today(today);
    app_actor actor;
    app_actor_cli(s, NULL, &actor);
    rc = app_plan_refresh(s, &actor, NULL, &err);
    if (rc == 0)
        rc = store_plan_get(s, id, today, on_show, NULL, &err);
    if (rc > 0)
        msk_error(&err, "пункта плана %ld нет", id);
    if (rc == 0)
        rc = store_plan_files(s, id, on_file, NULL, &err);
    store_close(s);
    return rc ? cli_fail(&err) : EXIT_OK;
}

static int do_set_status(const cli_command *cmd, int argc, char **argv)
{
    cli_opt opts[] = {
        {"db", 1, NULL, 0, NULL, 0}, {"note", 1, NULL, 0, NULL, 0}, {"user", 1, NULL, 0, NULL, 0}};
    const int nopts = 3;
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    long id;
    msk_err err;
    store *s = NULL;
    int rc = cli_parse(cmd, argc, argv, opts, nopts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos != 2)
        return cli_usage(cmd, "нужны номер пункта и статус: msoko plan set-status 12 done");
    if (item_id(cmd, pos[0], &id))
        return EXIT_USAGE;
    const char *st = view_plan_status_code(pos[1]);
    if (!st) {
        char list[256] = "";
        size_t n, o = 0;
        const vocab_entry *e = vocab_entries(VOCAB_PLAN_STATUS, &n);
        for (size_t i = 0; i < n && o < sizeof list; i++)
            o += (size_t)snprintf(list + o, sizeof list - o, "%s%s (%s)", i ? ", " : "", e[i].code,
                                  e[i].label);
        return cli_usage(cmd, "неизвестный статус «%s»: %s", pos[1], list);
    }
    msk_err_clear(&err);
    if (store_open(cli_db_path(opts, nopts), STORE_WRITE, &s, &err))
        return cli_fail(&err);
    app_actor actor;
    app_actor_cli(s, cli_get(opts, nopts, "user"), &actor);
    rc = app_plan_status(s, &actor, id, st, cli_get(opts, nopts, "note"), &err);
    store_close(s);
    if (rc)
        return cli_fail(&err);
    printf("Пункт %ld: %s\n", id, view_plan_status_name(st));
    return EXIT_OK;
}

static int do_attach(const cli_command *cmd, int argc, char **argv)
{
    cli_opt opts[] = {{"db", 1, NULL, 0, NULL, 0}, {"user", 1, NULL, 0, NULL, 0}};
    const int nopts = 2;
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    long id;
    msk_err err;
    store *s = NULL;
    int rc = cli_parse(cmd, argc, argv, opts, nopts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos != 2)
        return cli_usage(cmd, "нужны номер пункта и файл: msoko plan attach 12 справка.pdf");
    if (item_id(cmd, pos[0], &id))
        return EXIT_USAGE;
    msk_err_clear(&err);
    FILE *f = fopen(pos[1], "rb");
    if (!f) {
        msk_error_at(&err, pos[1], 0, 0, "не удалось открыть файл: проверьте путь и права");
        return cli_fail(&err);
    }
    unsigned char *data = msk_malloc(STORE_PLAN_FILE_MAX + 1);
    size_t n = fread(data, 1, STORE_PLAN_FILE_MAX + 1, f);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(data);
        msk_error_at(&err, pos[1], 0, 0, "ошибка чтения файла");
        return cli_fail(&err);
    }
    const char *base = strrchr(pos[1], '/');
    base = base ? base + 1 : pos[1];
    int64_t fid = 0;
    if (store_open(cli_db_path(opts, nopts), STORE_WRITE, &s, &err)) {
        free(data);
        return cli_fail(&err);
    }
    app_actor actor;
    app_actor_cli(s, cli_get(opts, nopts, "user"), &actor);
    rc = app_plan_attach(s, &actor, id, base, data, n, &fid, &err);
    store_close(s);
    free(data);
    if (rc)
        return cli_fail(&err);
    printf("Пункт %ld: приложен файл %lld (%s, %zu байт)\n", id, (long long)fid, base, n);
    return EXIT_OK;
}

typedef struct out_ctx {
    FILE *f;
    int bad;
} out_ctx;

static void on_file_data(void *ctx, const store_plan_file *f)
{
    out_ctx *c = ctx;
    if (fwrite(f->data, 1, (size_t)f->size, c->f) != (size_t)f->size)
        c->bad = 1;
}

static int do_file(const cli_command *cmd, int argc, char **argv)
{
    cli_opt opts[] = {{"db", 1, NULL, 0, NULL, 0}, {"output", 1, NULL, 0, NULL, 0}};
    const int nopts = 2;
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    long id;
    msk_err err;
    store *s = NULL;
    int rc = cli_parse(cmd, argc, argv, opts, nopts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos != 1 || cli_int(pos[0], 1, 2147483647, &id) || !cli_get(opts, nopts, "output"))
        return cli_usage(cmd,
                         "нужны номер файла и --output ФАЙЛ: msoko plan file 3 --output a.pdf");
    msk_err_clear(&err);
    if (store_open(cli_db_path(opts, nopts), STORE_READ, &s, &err))
        return cli_fail(&err);
    const char *path = cli_get(opts, nopts, "output");
    out_ctx c = {fopen(path, "wb"), 0};
    if (!c.f) {
        store_close(s);
        msk_error_at(&err, path, 0, 0, "не удалось создать файл: проверьте путь и права");
        return cli_fail(&err);
    }
    rc = store_plan_file_get(s, id, on_file_data, &c, &err);
    if (rc > 0)
        msk_error(&err, "файла %ld нет", id);
    if (fclose(c.f) != 0 || c.bad) {
        msk_error_at(&err, path, 0, 0, "ошибка записи файла");
        rc = -1;
    }
    store_close(s);
    return rc ? cli_fail(&err) : EXIT_OK;
}

int cmd_plan(int argc, char **argv)
{
    const cli_command *cmd = cli_find("plan");
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        cli_print_help(cmd);
        return EXIT_OK;
    }
    if (argc < 2)
        return cli_usage(cmd, "нужна подкоманда: list, show, set-status, attach или file");
    if (strcmp(argv[1], "list") == 0)
        return do_list(cmd, argc - 1, argv + 1);
    if (strcmp(argv[1], "show") == 0)
        return do_show(cmd, argc - 1, argv + 1);
    if (strcmp(argv[1], "set-status") == 0)
        return do_set_status(cmd, argc - 1, argv + 1);
    if (strcmp(argv[1], "attach") == 0)
        return do_attach(cmd, argc - 1, argv + 1);
    if (strcmp(argv[1], "file") == 0)
        return do_file(cmd, argc - 1, argv + 1);
    return cli_usage(cmd, "неизвестная подкоманда «%s»: list, show, set-status, attach или file",
                     argv[1]);
}
