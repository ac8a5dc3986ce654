/*
 * msoko recheck: re-check (перепроверка) of a sample of works by independent experts
 * (METHODS.md §2; seeds 003, 004). `sample` draws and stores a round and writes the list of
 * works for the experts, `import` loads their scores (one transaction: any error, nothing is
 * written), `report` compares them with the school's and tells whether each sign is confirmed.
 */
#include "base/sheet.h"
#include "app/app.h"
#include "cli/cli.h"
#include "ingest/header.h"
#include "ingest/recheck.h"
#include "store/recheck.h"
#include "store/store.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_recheck(int argc, char **argv);

/* seeds 003, 004: a school's results are taken as objective when ≥ 90 % of its re-checked
 * works keep their mark; the same share is the municipal target */
#define OBJECTIVE_SHARE 0.9

/* Print s left-aligned in width characters (UTF-8 aware: printf pads bytes, not letters). */
static void put_col(FILE *f, const char *s, int width)
{
    int n = 0;
    for (const char *p = s; *p; p++)
        n += ((unsigned char)*p & 0xC0) != 0x80;
    fputs(s, f);
    for (; n < width; n++)
        fputc(' ', f);
}

/* "VPR:math:5" or «ВПР:математика:5» → codes; 0 or -1. */
static int parse_procedure(const char *text, char kind[16], char subject[16], int *grade)
{
    char copy[128];
    long g;
    snprintf(copy, sizeof copy, "%s", text);
    char *a = copy, *b = strchr(a, ':'), *c = b ? strchr(b + 1, ':') : NULL;
    if (!b || !c)
        return -1;
    *b++ = '\0';
    *c++ = '\0';
    if (hdr_kind_code(a, kind, 16) || hdr_subject_code(b, subject, 16) || cli_int(c, 1, 11, &g))
        return -1;
    *grade = (int)g;
    return 0;
}

/* The experts' list: text fields quoted (RFC 4180) and neutralised against formulas, so a «;»
 * or a «=» in a pupil code cannot shift or run a column (src/base/sheet.h); the variant is a
 * number. */
static void write_csv(FILE *f, const store_recheck_sample *sm)
{
    msk_buf line;
    msk_buf_init(&line, 0);
    /* UTF-8 with BOM and ';': what Excel opens right in a Russian locale */
    fputs("\xEF\xBB\xBFКод ОО;Код участника;Класс;Вариант\r\n", f);
    for (size_t i = 0; i < sm->nworks; i++) {
        const store_recheck_work *w = &sm->works[i];
        msk_buf_reset(&line);
        sheet_csv_text(&line, w->school_code, ';');
        msk_buf_putc(&line, ';');
        sheet_csv_text(&line, w->pupil_code, ';');
        msk_buf_putc(&line, ';');
        sheet_csv_text(&line, w->class_name, ';');
        msk_buf_putc(&line, ';');
        if (w->variant != STORE_NONE)
            msk_buf_printf(&line, "%d", w->variant);
        msk_buf_puts(&line, "\r\n");
        fwrite(line.data, 1, line.len, f);
    }
    msk_buf_release(&line);
}

static int do_sample(const cli_command *cmd, int argc, char **argv)
{
    cli_opt opts[] = {{"db", 1, NULL, 0, NULL, 0},        {"year", 1, NULL, 0, NULL, 0},
                      {"procedure", 1, NULL, 0, NULL, 0}, {"per-school", 1, NULL, 0, NULL, 0},
                      {"control", 1, NULL, 0, NULL, 0},   {"seed", 1, NULL, 0, NULL, 0},
                      {"output", 1, NULL, 0, NULL, 0}};
    const int nopts = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    char kind[16], subject[16];
    long year, per = 10, ctl = 2, seed = 1;
    store_recheck_opts o;
    store_recheck_sample sm = {0};
    store *s = NULL;
    msk_err err;
    /* -o FILE is a short option: cli_parse only knows long ones */
    const char *outpath = NULL;
    char *args[argc > 0 ? argc : 1];
    int nargs = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc && !outpath)
            outpath = argv[++i];
        else
            args[nargs++] = argv[i];
    }
    int rc = cli_parse(cmd, nargs, args, opts, nopts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (!outpath)
        outpath = cli_get(opts, nopts, "output");
    if (npos)
        return cli_usage(cmd, "лишний аргумент «%s»", pos[0]);
    if (cli_int(cli_get(opts, nopts, "year"), 2000, 2100, &year))
        return cli_usage(cmd, "нужен --year ГОД (например, --year 2024)");
    if (!cli_get(opts, nopts, "procedure") ||
        parse_procedure(cli_get(opts, nopts, "procedure"), kind, subject, &o.grade))
        return cli_usage(cmd, "нужна --procedure ВИД:ПРЕДМЕТ:КЛАСС (например, VPR:math:5)");
    if (cli_get(opts, nopts, "per-school") &&
        cli_int(cli_get(opts, nopts, "per-school"), 1, 100000, &per))
        return cli_usage(cmd, "--per-school: целое число от 1");
    if (cli_get(opts, nopts, "control") &&
        cli_int(cli_get(opts, nopts, "control"), 0, 100000, &ctl))
        return cli_usage(cmd, "--control: целое число от 0");
    if (cli_get(opts, nopts, "seed") && cli_int(cli_get(opts, nopts, "seed"), 0, 2147483647, &seed))
        return cli_usage(cmd, "--seed: целое число от 0");
    o.year = (int)year;
    o.kind = kind;
    o.subject = subject;
    o.per_school = (int)per;
    o.control = (int)ctl;
    o.seed = (uint64_t)seed;
    msk_err_clear(&err);
    if (store_open(cli_db_path(opts, nopts), STORE_WRITE, &s, &err))
        return cli_fail(&err);
    app_actor actor;
    app_actor_cli(s, NULL, &actor);
    if (app_recheck_sample(s, &actor, &o, &sm, &err)) {
        store_close(s);
        return cli_fail(&err);
    }
    store_close(s);
    rc = EXIT_OK;
    FILE *csv = stdout, *info = stderr; /* the table must not mix with a CSV on stdout */
    if (outpath && strcmp(outpath, "-") != 0) {
        csv = fopen(outpath, "wb");
        if (!csv) {
            msk_error_at(&err, outpath, 0, 0, "не удалось создать файл: проверьте путь и права");
            store_recheck_sample_release(&sm);
            return cli_fail(&err);
        }
        info = stdout;
    }
    fprintf(info, "Раунд перепроверки %lld: %s %s, %d класс, %d год; по %d работ, seed %ld\n",
            (long long)sm.round_id, kind, subject, o.grade, o.year, o.per_school, seed);
    put_col(info, "школа", 12);
    put_col(info, "группа", 10);
    fprintf(info, "%8s %9s\n", "работ", "отобрано");
    int listed = 0, control = 0;
    for (size_t i = 0; i < sm.nschools; i++) {
        const store_recheck_school *sc = &sm.schools[i];
        put_col(info, sc->code, 12);
        put_col(info, sc->control ? "контроль" : "признаки", 10);
        fprintf(info, "%5d %9d\n", sc->available, sc->drawn);
        listed += !sc->control;
        control += sc->control;
    }
    fprintf(info, "Всего: %zu работ; школ с признаками необъективности %d, контрольных %d\n",
            sm.nworks, listed, control);
    write_csv(csv, &sm);
    if (csv != stdout && fclose(csv) != 0) {
        msk_error_at(&err, outpath, 0, 0, "ошибка записи файла");
        rc = cli_fail(&err);
    }
    store_recheck_sample_release(&sm);
    return rc;
}

static int do_import(const cli_command *cmd, int argc, char **argv)
{
    cli_opt opts[] = {{"db", 1, NULL, 0, NULL, 0}, {"round", 1, NULL, 0, NULL, 0}};
    const int nopts = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    long round;
    store *s = NULL;
    msk_err err;
    size_t loaded, works;
    int rc = cli_parse(cmd, argc, argv, opts, nopts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (cli_int(cli_get(opts, nopts, "round"), 1, 2147483647, &round))
        return cli_usage(cmd, "нужен --round НОМЕР (его печатает msoko recheck sample)");
    if (npos != 1)
        return cli_usage(cmd, "нужен один файл с баллами экспертов (CSV или XLSX)");
    msk_err_clear(&err);
    if (store_open(cli_db_path(opts, nopts), STORE_WRITE, &s, &err))
        return cli_fail(&err);
    rc = EXIT_OK;
    app_actor actor;
    app_actor_cli(s, NULL, &actor);
    if (app_recheck_import(s, &actor, round, pos[0], &loaded, &works, &err))
        rc = cli_fail(&err);
    else {
        printf("Раунд %ld: загружены баллы экспертов за %zu работ из %zu\n", round, loaded, works);
        /* the coefficient of the re-check (method/obj_coef.h) is computed by the analysis */
        printf("Коэффициент объективности школ по перепроверке пересчитает следующий msoko "
               "analyze за год раунда\n");
    }
    store_close(s);
    return rc;
}

/* ---- report ---------------------------------------------------------------------------------- */

static const char *verdict(const store_recheck_row *r)
{
    if (r->rechecked == 0)
        return "нет данных";
    return (double)r->objective / r->rechecked < OBJECTIVE_SHARE ? "признак подтверждён"
                                                                 : "не подтверждён";
}

static json_t *report_json(const store_recheck_round *rd, double tol,
                           const store_recheck_report *rep, int total, int objective)
{
    json_t *root = json_object(), *schools = json_array();
    json_object_set_new(root, "round", json_integer(rd->id));
    json_object_set_new(root, "year", json_integer(rd->year));
    json_object_set_new(
        root, "procedure",
        json_pack("{s:s, s:s, s:i}", "kind", rd->kind, "subject", rd->subject, "grade", rd->grade));
    json_object_set_new(root, "tolerance", json_real(tol));
    for (size_t i = 0; i < rep->nrows; i++) {
        const store_recheck_row *r = &rep->rows[i];
        json_t *o = json_object();
        json_object_set_new(o, "school", json_string(r->code));
        json_object_set_new(o, "group", json_string(r->control ? "control" : "listed"));
        json_object_set_new(o, "drawn", json_integer(r->drawn));
        json_object_set_new(o, "rechecked", json_integer(r->rechecked));
        json_object_set_new(o, "objective", json_integer(r->objective));
        json_object_set_new(o, "share",
                            r->rechecked ? json_real((double)r->objective / r->rechecked)
                                         : json_null());
        json_object_set_new(o, "mean_primary_diff",
                            r->primary_n ? json_real(r->diff_sum / r->primary_n) : json_null());
        json_object_set_new(o, "tasks_compared", json_integer(r->tasks_compared));
        json_object_set_new(o, "tasks_changed", json_integer(r->tasks_changed));
        json_object_set_new(
            o, "confirmed",
            r->rechecked ? json_boolean((double)r->objective / r->rechecked < OBJECTIVE_SHARE)
                         : json_null());
        json_array_append_new(schools, o);
    }
    json_object_set_new(root, "schools", schools);
    json_object_set_new(root, "municipal",
                        json_pack("{s:i, s:i, s:o, s:f, s:o}", "rechecked", total, "objective",
                                  objective, "share",
                                  total ? json_real((double)objective / total) : json_null(),
                                  "target", OBJECTIVE_SHARE, "met",
                                  total ? json_boolean((double)objective / total >= OBJECTIVE_SHARE)
                                        : json_null()));
    return root;
}

static void report_text(const store_recheck_round *rd, double tol, const store_recheck_report *rep,
                        int total, int objective)
{
    printf("Перепроверка, раунд %lld: %s %s, %d класс, %d год; допуск ±%g перв. балла\n",
           (long long)rd->id, rd->kind, rd->subject, rd->grade, rd->year, tol);
    const char *head[] = {"школа", "группа",  "проверено", "объективно",
                          "доля",  "Δ балла", "заданий≠",  "вывод"};
    const int width[] = {12, 10, 11, 11, 7, 9, 10, 0};
    for (int i = 0; i < 8; i++)
        put_col(stdout, head[i], width[i]);
    putchar('\n');
    for (size_t i = 0; i < rep->nrows; i++) {
        const store_recheck_row *r = &rep->rows[i];
        char share[16] = "—", diff[16] = "—", tasks[24] = "—";
        if (r->rechecked)
            snprintf(share, sizeof share, "%.0f %%", 100.0 * r->objective / r->rechecked);
        if (r->primary_n)
            snprintf(diff, sizeof diff, "%+.2f", r->diff_sum / r->primary_n);
        if (r->tasks_compared)
            snprintf(tasks, sizeof tasks, "%d/%d", r->tasks_changed, r->tasks_compared);
        char a[16], b[16];
        snprintf(a, sizeof a, "%d", r->rechecked);
        snprintf(b, sizeof b, "%d", r->objective);
        const char *cell_text[] = {
            r->code, r->control ? "контроль" : "признаки", a, b, share, diff, tasks, verdict(r)};
        for (int c = 0; c < 8; c++)
            put_col(stdout, cell_text[c], width[c]);
        putchar('\n');
    }
    if (total)
        printf("Муниципалитет: объективно оценено %d из %d работ (%.1f %%); цель ≥ %.0f %% %s\n",
               objective, total, 100.0 * objective / total, 100 * OBJECTIVE_SHARE,
               (double)objective / total >= OBJECTIVE_SHARE ? "достигнута" : "не достигнута");
    else
        printf("Муниципалитет: баллы экспертов ещё не загружены (msoko recheck import)\n");
    printf("Δ балла — среднее (балл школы − балл эксперта); работа оценена объективно, если "
           "отметка не изменилась и баллы расходятся не больше допуска\n");
}

static int do_report(const cli_command *cmd, int argc, char **argv)
{
    cli_opt opts[] = {{"db", 1, NULL, 0, NULL, 0},
                      {"round", 1, NULL, 0, NULL, 0},
                      {"tolerance", 1, NULL, 0, NULL, 0},
                      {"json", 0, NULL, 0, NULL, 0}};
    const int nopts = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    long round;
    double tol = 1;
    store *s = NULL;
    msk_err err;
    store_recheck_round rd;
    store_recheck_report rep = {0};
    memset(&rd, 0, sizeof rd);
    int rc = cli_parse(cmd, argc, argv, opts, nopts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos)
        return cli_usage(cmd, "лишний аргумент «%s»", pos[0]);
    if (cli_int(cli_get(opts, nopts, "round"), 1, 2147483647, &round))
        return cli_usage(cmd, "нужен --round НОМЕР (его печатает msoko recheck sample)");
    if (cli_get(opts, nopts, "tolerance")) {
        char *end = NULL;
        tol = strtod(cli_get(opts, nopts, "tolerance"), &end);
        if (!end || *end || end == cli_get(opts, nopts, "tolerance") || !(tol >= 0) || tol > 1000)
            return cli_usage(cmd, "--tolerance: число баллов от 0");
    }
    msk_err_clear(&err);
    if (store_open(cli_db_path(opts, nopts), STORE_READ, &s, &err))
        return cli_fail(&err);
    rc = EXIT_USER;
    int got = store_recheck_round_get(s, round, &rd, &err);
    if (got > 0)
        msk_error(&err, "раунда перепроверки %ld нет в базе", round);
    if (got == 0 && store_recheck_report_get(s, round, tol, &rep, &err) == 0) {
        int total = 0, objective = 0;
        for (size_t i = 0; i < rep.nrows; i++) {
            total += rep.rows[i].rechecked;
            objective += rep.rows[i].objective;
        }
        if (cli_get(opts, nopts, "json")) {
            json_t *j = report_json(&rd, tol, &rep, total, objective);
            char *text =
                json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
            if (text)
                printf("%s\n", text);
            free(text);
            json_decref(j);
        } else {
            report_text(&rd, tol, &rep, total, objective);
        }
        rc = EXIT_OK;
    }
    if (rc != EXIT_OK)
        cli_fail(&err);
    store_recheck_report_release(&rep);
    store_recheck_round_release(&rd);
    store_close(s);
    return rc;
}

int cmd_recheck(int argc, char **argv)
{
    const cli_command *cmd = cli_find("recheck");
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        cli_print_help(cmd);
        return EXIT_OK;
    }
    if (argc < 2)
        return cli_usage(cmd, "нужна подкоманда: sample, import или report");
    if (strcmp(argv[1], "sample") == 0)
        return do_sample(cmd, argc - 1, argv + 1);
    if (strcmp(argv[1], "import") == 0)
        return do_import(cmd, argc - 1, argv + 1);
    if (strcmp(argv[1], "report") == 0)
        return do_report(cmd, argc - 1, argv + 1);
    return cli_usage(cmd, "неизвестная подкоманда «%s»: sample, import или report", argv[1]);
}
