/*
 * msoko demo: generate a demo municipality into an initialised, empty database.
 */
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

int cmd_demo(int argc, char **argv)
{
    cli_opt opts[] = {{"db", 1, NULL, 0, NULL, 0},
                      {"schools", 1, NULL, 0, NULL, 0},
                      {"years", 1, NULL, 0, NULL, 0},
                      {"seed", 1, NULL, 0, NULL, 0}};
    const int nopts = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    const cli_command *cmd = cli_find("demo");
    demo_opts o = {30, 2021, 2024, 1};
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
