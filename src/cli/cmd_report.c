/*
 * msoko report: write the analytical report of a year (municipal, or one school's with
 * addressed recommendations) as PDF, XLSX or HTML; --all-schools writes every school's report
 * into a folder, loading the year once. Runs the analysis first when the year has none stored.
 */
#include "cli/cli.h"
#include "store/municipality.h"
#include "app/app.h"
#include "engine/engine.h"
#include "report/report.h"
#include "store/store.h"
#include "view/view.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int cmd_report(int argc, char **argv);

enum { F_PDF, F_XLSX, F_HTML, F_DOCX };

static int write_doc(const doc *d, int format, const char *path, int *pages, msk_err *err)
{
    if (format == F_PDF)
        return doc_pdf(d, path, pages, err);
    if (format == F_XLSX)
        return doc_xlsx(d, path, err);
    if (format == F_DOCX)
        return doc_docx(d, path, err);
    msk_buf b;
    msk_buf_init(&b, 0);
    doc_html(d, &b);
    int rc = 0;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f || fwrite(b.data, 1, b.len, f) != b.len || fclose(f) != 0 || rename(tmp, path)) {
        rc = msk_error_at(err, path, 0, 0, "не удалось записать файл: %s", strerror(errno));
        remove(tmp);
    }
    msk_buf_release(&b);
    return rc;
}

/* --all-schools: every school's report into the folder out, the year loaded once. 0, or -1
 * with err (a worker's own errors are printed as they happen). */
static int all_schools(const view_year *v, const view_year *prev, store *s, report_opts *o,
                       int format, const char *out, msk_err *err)
{
    static const char *const ext[] = {"pdf", "xlsx", "html", "docx"};
    json_t *schools = NULL, *plan = NULL, *dash = NULL;
    doc *d = NULL;
    int rc = -1;
    if (mkdir(out, 0777) && errno != EEXIST) {
        msk_error_at(err, out, 0, 0, "не удалось создать папку: %s", strerror(errno));
        goto end;
    }
    view_ctx ctx = {.role = VIEW_ANALYST};
    if (view_schools(v, &ctx, &(view_filter){0}, &schools, err) ||
        report_plan_load(s, view_year_of(v), &plan, err))
        goto end;
    o->plan = plan;
    if (view_dashboard(v, &ctx, &dash, err))
        goto end;
    o->dashboard = dash;
    /* The year is loaded once; workers forked after the load share it copy-on-write and each
     * writes every k-th school. They touch no SQLite handle (the roadmap is in o.plan) and
     * start pango afresh, so nothing is shared across the fork that must not be. */
    const json_t *list = json_object_get(schools, "schools");
    size_t n = json_array_size(list);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int workers = ncpu < 1 ? 1 : ncpu > 8 ? 8 : (int)ncpu;
    if ((size_t)workers > n)
        workers = n ? (int)n : 1;
    const char *env = getenv("MSOKO_REPORT_WORKERS");
    long wl;
    if (env && !cli_int(env, 1, 64, &wl))
        workers = (int)wl;
    fflush(NULL);
    pid_t pids[64];
    int started = 0, failed = 0;
    for (int w = 0; w < workers; w++) {
        pid_t pid = workers == 1 ? 0 : fork();
        if (pid < 0) {
            failed++;
            break;
        }
        if (pid > 0) {
            pids[started++] = pid;
            continue;
        }
        int bad = 0;
        for (size_t i = (size_t)w; i < n && !bad; i += (size_t)workers) {
            const json_t *it = json_array_get(list, i);
            const char *code = json_string_value(json_object_get(it, "code"));
            if (!code)
                code = json_string_value(json_object_get(json_object_get(it, "school"), "code"));
            if (!code)
                continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s.%s", out, code, ext[format]);
            doc_free(d);
            d = NULL;
            if (report_build(v, prev, NULL, code, o, &d, err) ||
                write_doc(d, format, path, NULL, err)) {
                cli_fail(err);
                bad = 1;
            }
        }
        if (workers > 1)
            _exit(bad ? EXIT_USER : EXIT_OK);
        failed += bad;
    }
    for (int w = 0; w < started; w++) {
        int st = 0;
        if (waitpid(pids[w], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
            failed++;
    }
    if (failed) {
        msk_error(err, "не все отчёты школ записаны (ошибки выше)");
        goto end;
    }
    fprintf(stderr, "msoko: %zu отчётов школ в %s\n", n, out);
    rc = 0;
end:
    json_decref(schools);
    json_decref(plan);
    json_decref(dash);
    doc_free(d);
    return rc;
}

/* --municipality: its id into *muni (0 without it) and its row for the title page. 0 or -1. */
static int report_scope(store *s, const char *text, int64_t *muni, store_municipality *row,
                        msk_err *err)
{
    if (cli_municipality(s, text, muni, err))
        return -1;
    return *muni && store_municipality_get(s, *muni, row, err) < 0 ? -1 : 0;
}

/* --format's value (NULL: pdf) as F_*, or -1. */
static int parse_format(const char *fs)
{
    static const char *const names[] = {"pdf", "xlsx", "html", "docx"};
    if (!fs)
        return F_PDF;
    for (int i = 0; i < 4; i++)
        if (!strcmp(fs, names[i]))
            return i;
    return -1;
}

/* Long: the options of three kinds of document (справка, доклад, every school's), the scope, the
 * analysis run when missing and the one cleanup they share. */
int cmd_report(int argc, char **argv)
{
    cli_opt opts[] = {{"db", 1, NULL, 0, NULL, 0},
                      {"year", 1, NULL, 0, NULL, 0},
                      {"format", 1, NULL, 0, NULL, 0},
                      {"school", 1, NULL, 0, NULL, 0},
                      {"municipality", 1, NULL, 0, NULL, 0},
                      {"output", 1, NULL, 0, NULL, 0},
                      {"all-schools", 0, NULL, 0, NULL, 0},
                      {"department", 1, NULL, 0, NULL, 0},
                      {"place", 1, NULL, 0, NULL, 0},
                      {"date", 1, NULL, 0, NULL, 0},
                      {"recommendations", 1, NULL, 0, NULL, 0},
                      {"kind", 1, NULL, 0, NULL, 0}};
    const int nopts = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    const cli_command *cmd = cli_find("report");
    store *s = NULL;
    view_year *v = NULL, *prev = NULL;
    rec_rules *rules = NULL;
    doc *d = NULL;
    msk_err err;
    long year = 0;
    /* the parser knows long options only; -o is the usual short form of --output */
    char *args[argc > 0 ? argc : 1];
    for (int i = 0; i < argc; i++)
        args[i] = strcmp(argv[i], "-o") == 0 ? (char *)"--output" : argv[i];
    int rc = cli_parse(cmd, argc, args, opts, nopts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos)
        return cli_usage(cmd, "лишний аргумент «%s»", pos[0]);
    const char *y = cli_get(opts, nopts, "year");
    if (!y || cli_int(y, 2000, 2100, &year))
        return cli_usage(cmd, "укажите год: --year 2024");
    const char *fs = cli_get(opts, nopts, "format");
    int format = parse_format(fs);
    if (format < 0)
        return cli_usage(cmd, "--format: pdf, docx, xlsx или html, а не «%s»", fs);
    const char *out = cli_get(opts, nopts, "output");
    if (!out)
        return cli_usage(cmd, "укажите файл: -o ОТЧЁТ.pdf (или папку для --all-schools)");
    int all = cli_get(opts, nopts, "all-schools") != NULL;
    const char *school = cli_get(opts, nopts, "school");
    if (all && school)
        return cli_usage(cmd, "--school и --all-schools вместе не используются");
    const char *kind = cli_get(opts, nopts, "kind");
    int doklad = kind && !strcmp(kind, "doklad");
    if (kind && !doklad && strcmp(kind, "spravka"))
        return cli_usage(cmd,
                         "--kind: spravka (аналитическая справка) или doklad (доклад о "
                         "состоянии системы образования), а не «%s»",
                         kind);
    if (doklad && (all || school))
        return cli_usage(cmd, "доклад — муниципальный: --kind doklad без --school и --all-schools");

    msk_err_clear(&err);
    char rpath[4096];
    const char *rfile = cli_get(opts, nopts, "recommendations");
    if (!rfile && engine_preset_path("recommendations", rpath, sizeof rpath))
        rfile = rpath;
    if (rfile && rec_load(rfile, &rules, &err))
        goto fail;

    int64_t muni = 0;
    store_municipality mrow = {0};
    if (store_open(cli_db_path(opts, nopts), STORE_WRITE, &s, &err) ||
        report_scope(s, cli_get(opts, nopts, "municipality"), &muni, &mrow, &err) ||
        view_year_load_in(s, (int)year, muni, &v, &err))
        goto fail;
    int has = report_has_analysis(v, &err);
    if (has < 0)
        goto fail;
    report_opts o = {.department = cli_get(opts, nopts, "department"),
                     .place = cli_get(opts, nopts, "place"),
                     .date = cli_get(opts, nopts, "date"),
                     .rules = rules,
                     .margin = rec_margin(rules),
                     .ran_analysis = !has};
    if (muni && !o.place) /* a municipality's report is titled after it */
        o.place = mrow.name;
    if (!has) { /* the report needs the year's findings: run the analysis, as analyze would */
        app_actor actor;
        int ran = 0;
        app_actor_cli(s, NULL, &actor);
        if (app_analyze_if_needed(s, &actor, (int)year, &ran, &err))
            goto fail;
        view_year_free(v);
        v = NULL;
        if (view_year_load_in(s, (int)year, muni, &v, &err))
            goto fail;
        fprintf(stderr, "msoko: анализа за %ld год не было — выполнен и сохранён\n", year);
    }
    /* the year before, for who moved in or out of the lists (only when it was analysed) */
    msk_err perr;
    if (!school && !all && view_year_load_in(s, (int)year - 1, muni, &prev, &perr) == 0 &&
        report_has_analysis(prev, &perr) != 1) {
        view_year_free(prev);
        prev = NULL;
    }
    if (!all) {
        rc = doklad ? report_build_doklad(v, prev, s, &o, &d, &err)
                    : report_build(v, prev, s, school, &o, &d, &err);
        if (rc == VIEW_NOT_FOUND) {
            msk_error(&err, "нет школы с кодом «%s» (список: msoko show --year %ld schools)",
                      school, year);
            goto fail;
        }
        int pages = 0;
        if (rc || write_doc(d, format, out, &pages, &err))
            goto fail;
        if (format == F_PDF)
            fprintf(stderr, "msoko: %s — %d стр.\n", out, pages);
        else
            fprintf(stderr, "msoko: %s\n", out);
        rc = EXIT_OK;
        goto done;
    }
    if (all_schools(v, prev, s, &o, format, out, &err))
        goto fail;
    rc = EXIT_OK;
    goto done;
fail:
    rc = cli_fail(&err);
done:
    doc_free(d);
    rec_free(rules);
    view_year_free(prev);
    view_year_free(v);
    store_close(s);
    return rc;
}
