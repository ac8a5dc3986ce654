/*
 * msoko demo: generate a demo municipality into an initialised, empty database;
 * msoko demo forms: fill every loaded monitoring form for every school (docs/directions.md).
 */
#include "app/app.h"
#include "cli/cli.h"
#include "demo/demo.h"
#include "store/store.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int cmd_demo(int argc, char **argv);

static int parse_years(const char *s, int *from, int *to)
{
    long a, b;
    char first[16];
    const char *dash = strchr(s, '-');
    if (!dash)
        return cli_int(s, 2000, 2100, &a) ? -1 : (*from = *to = (int)a, 0);
    if ((size_t)(dash - s) >= sizeof first)
        return -1;
    memcpy(first, s, (size_t)(dash - s));
    first[dash - s] = '\0';
    if (cli_int(first, 2000, 2100, &a) || cli_int(dash + 1, 2000, 2100, &b) || b < a || b - a > 20)
        return -1;
    *from = (int)a;
    *to = (int)b;
    return 0;
}

/* A school's operator fills and submits the form, the analyst approves it: the same use
 * cases (one transaction and one audit row each) as the form page of the web. */
static int submit_form(void *ctx, const char *form, const char *school, const char *period,
                       const char *const *pairs, size_t npairs, msk_err *err)
{
    store *s = ctx;
    app_actor op, an;
    form_msgs m = {0};
    char login[96];
    snprintf(login, sizeof login, "demo-%s", school);
    app_actor_set(&op, login, "school", school);
    app_actor_set(&an, "demo-analyst", "analyst", NULL);
    int rc = app_form_fill(s, &op, form, school, period, pairs, npairs, &m, err);
    if (rc == 0)
        rc = app_form_submit(s, &op, form, school, period, &m, err);
    if (rc == 0)
        rc = app_form_approve(s, &an, form, school, period, &m, err);
    if (rc > 0)
        msk_error(err, "демо: форма «%s» школы %s за %s не принята: %s%s%s", form, school, period,
                  m.n ? m.m[0].element : "", m.n ? ": " : "", m.n ? m.m[0].text : "");
    form_msgs_release(&m);
    return rc ? -1 : 0;
}

static int cmd_demo_forms(int argc, char **argv)
{
    cli_opt opts[] = {
        {"db", 1, NULL, 0, NULL, 0}, {"years", 1, NULL, 0, NULL, 0}, {"seed", 1, NULL, 0, NULL, 0}};
    const int nopts = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    const cli_command *cmd = cli_find("demo");
    demo_forms_opts o = {2022, 2024, 1};
    demo_forms_summary sum = {0};
    msk_err err;
    store *s = NULL;
    long v;
    int rc = cli_parse(cmd, argc, argv, opts, nopts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos)
        return cli_usage(cmd, "лишний аргумент «%s»", pos[0]);
    const char *a = cli_get(opts, nopts, "years");
    if (a && parse_years(a, &o.year_from, &o.year_to))
        return cli_usage(cmd, "--years: ожидается год или диапазон вида 2022-2024, получено «%s»",
                         a);
    a = cli_get(opts, nopts, "seed");
    if (a) {
        if (cli_int(a, 0, 2147483647L, &v))
            return cli_usage(cmd, "--seed: ожидается неотрицательное целое число, получено «%s»",
                             a);
        o.seed = (uint64_t)v;
    }
    msk_err_clear(&err);
    if (store_open(cli_db_path(opts, nopts), STORE_WRITE, &s, &err))
        return cli_fail(&err);
    rc = demo_forms(s, &o, submit_form, s, &sum, &err);
    store_close(s);
    if (rc)
        return cli_fail(&err);
    printf("Формы мониторинга заполнены (%d–%d): сдано и утверждено %" PRId64 ", значений %" PRId64
           ", уже сданных пропущено %" PRId64 ".\n",
           o.year_from, o.year_to, sum.submissions, sum.values, sum.skipped);
    return EXIT_OK;
}

int cmd_demo(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "forms"))
        return cmd_demo_forms(argc - 1, argv + 1);
    cli_opt opts[] = {{"db", 1, NULL, 0, NULL, 0},
                      {"schools", 1, NULL, 0, NULL, 0},
                      {"municipalities", 1, NULL, 0, NULL, 0},
                      {"years", 1, NULL, 0, NULL, 0},
                      {"seed", 1, NULL, 0, NULL, 0},
                      {"first-school", 1, NULL, 0, NULL, 0}};
    const int nopts = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    const cli_command *cmd = cli_find("demo");
    demo_opts o = {30, 2021, 2024, 1, 1, 0};
    demo_summary sum = {0};
    msk_err err;
    store *s = NULL;
    long v;
    int rc = cli_parse(cmd, argc, argv, opts, nopts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos)
        return cli_usage(cmd, "лишний аргумент «%s»", pos[0]);
    const char *a = cli_get(opts, nopts, "schools");
    if (a) {
        if (cli_int(a, 1, 10000, &v))
            return cli_usage(cmd, "--schools: ожидается целое число от 1 до 10000, получено «%s»",
                             a);
        o.schools = (int)v;
    }
    a = cli_get(opts, nopts, "municipalities");
    if (a) {
        if (cli_int(a, 1, 100, &v))
            return cli_usage(
                cmd, "--municipalities: ожидается целое число от 1 до 100, получено «%s»", a);
        o.municipalities = (int)v;
    }
    if (o.municipalities > o.schools)
        return cli_usage(cmd, "--municipalities %d: больше, чем школ (%d)", o.municipalities,
                         o.schools);
    a = cli_get(opts, nopts, "years");
    if (a && parse_years(a, &o.year_from, &o.year_to))
        return cli_usage(cmd, "--years: ожидается год или диапазон вида 2021-2024, получено «%s»",
                         a);
    a = cli_get(opts, nopts, "seed");
    if (a) {
        if (cli_int(a, 0, 2147483647L, &v))
            return cli_usage(cmd, "--seed: ожидается неотрицательное целое число, получено «%s»",
                             a);
        o.seed = (uint64_t)v;
    }
    a = cli_get(opts, nopts, "first-school");
    if (a) {
        if (cli_int(a, 1, 999999 - o.schools + 1, &v))
            return cli_usage(cmd, "--first-school: ожидается номер от 1 до %d, получено «%s»",
                             999999 - o.schools + 1, a);
        o.first_code = (int)v;
    }
    msk_err_clear(&err);
    const char *db = cli_db_path(opts, nopts);
    if (store_open(db, STORE_WRITE, &s, &err))
        return cli_fail(&err);
    if (!store_is_initialised(s)) {
        msk_error(&err, "база данных %s не подготовлена: сначала выполните «msoko init --db %s»",
                  db, db);
        store_close(s);
        return cli_fail(&err);
    }
    if (demo_generate(s, &o, &sum, &err)) {
        store_close(s);
        return cli_fail(&err);
    }
    store_close(s);
    printf("Демо-муниципалитет создан в %s: школ %" PRId64 ", процедур %" PRId64
           ", результатов участников %" PRId64 ", значений показателей %" PRId64
           ", результатов олимпиад %" PRId64 ", выпускников %" PRId64
           ", участников конкурсов %" PRId64 ", заложенных случаев %" PRId64
           " (%d–%d, seed %llu).\n",
           db, sum.schools, sum.procedures, sum.results, sum.values, sum.olympiad, sum.graduates,
           sum.contests, sum.truth, o.year_from, o.year_to, (unsigned long long)o.seed);
    if (sum.weak_teaching[0])
        printf("Сильный набор и слабое преподавание (для проверки прироста): %s.\n",
               sum.weak_teaching);
    return EXIT_OK;
}
