/*
 * msoko migrate: move a municipality's file into another store — the regional PostgreSQL
 * server, or another file (two municipalities merged) — idempotently, and print what moved
 * (app_migrate, docs/migrate.md).
 */
#include "app/app.h"
#include "cli/cli.h"
#include "store/migrate.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int cmd_migrate(int argc, char **argv);

/* label padded to width characters (printf's %-Ns pads by bytes, and the labels are Cyrillic) */
static void print_padded(const char *label, int width)
{
    int chars = 0;
    for (const char *p = label; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    printf("%s%*s", label, chars < width ? width - chars : 0, "");
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cmd_migrate(int argc, char **argv)
{
    cli_opt opts[] = {
        {"from", 1, NULL, 0, NULL, 0}, {"to", 1, NULL, 0, NULL, 0}, {"user", 1, NULL, 0, NULL, 0}};
    const int nopts = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    const cli_command *cmd = cli_find("migrate");
    store_move_report rep = {0};
    store *src = NULL, *dst = NULL;
    app_actor a;
    msk_err err;
    int rc = cli_parse(cmd, argc, argv, opts, nopts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos)
        return cli_usage(cmd, "лишний аргумент «%s»", pos[0]);
    const char *from = cli_get(opts, nopts, "from"), *to = cli_get(opts, nopts, "to");
    if (!from || !*from)
        return cli_usage(cmd, "укажите файл, из которого переносить: --from ФАЙЛ");
    if (!to || !*to)
        return cli_usage(cmd, "укажите базу, в которую переносить: --to ФАЙЛ или --to "
                              "postgresql://…");
    msk_err_clear(&err);
    /* the source first: a broken one is refused before the target is even created */
    if (store_open(from, STORE_READ, &src, &err))
        return cli_fail(&err);
    struct stat st;
    int made = !store_is_server(to) && stat(to, &st) != 0;
    if (store_open(to, STORE_CREATE, &dst, &err)) {
        store_close(src);
        return cli_fail(&err);
    }
    app_actor_cli(dst, cli_get(opts, nopts, "user"), &a);
    double t0 = now_s();
    rc = app_migrate(src, dst, &a, &rep, &err) ? cli_fail(&err) : EXIT_OK;
    double dt = now_s() - t0;
    if (rc == EXIT_OK) {
        printf("Перенос %s → %s (идентификатор источника %s):\n", store_path(src), store_path(dst),
               rep.source_id);
        printf("  ");
        print_padded("таблица", 36);
        printf(" перенесено   уже было\n");
        for (size_t i = 0; i < rep.n; i++) {
            const store_move_table *t = &rep.t[i];
            if (!t->moved && !t->present)
                continue;
            printf("  ");
            print_padded(store_move_label(t->name), 36);
            printf(" %10lld %10lld\n", (long long)t->moved, (long long)t->present);
        }
        printf("Итого: перенесено строк %lld, уже было %lld; %.2f с, %.0f строк/с.\n",
               (long long)rep.moved, (long long)rep.present, dt,
               dt > 0 ? (double)(rep.moved + rep.present) / dt : 0.0);
    }
    store_move_report_release(&rep);
    store_close(dst);
    store_close(src);
    /* a failed move into a file this command made leaves no empty database behind */
    if (rc != EXIT_OK && made) {
        char side[1100];
        unlink(to);
        snprintf(side, sizeof side, "%s-wal", to);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", to);
        unlink(side);
    }
    return rc;
}
