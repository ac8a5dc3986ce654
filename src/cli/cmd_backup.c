/*
 * msoko backup and msoko restore: a compressed, consistent copy of the database and its way
 * back (src/store/backup.c, docs/backup.md).
 */
#include "cli/cli.h"
#include "store/backup.h"
#include "store/store.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);

static double mb(int64_t n)
{
    return (double)n / (1024.0 * 1024.0);
}

int cmd_backup(int argc, char **argv)
{
    cli_opt opts[] = {{"db", 1, NULL, 0, NULL, 0}, {"output", 1, NULL, 0, NULL, 0}};
    const int nopts = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    const cli_command *cmd = cli_find("backup");
    msk_err err;
    store *s = NULL;
    /* the parser knows long options only; -o is the usual short form of --output */
    char *args[argc > 0 ? argc : 1];
    for (int i = 0; i < argc; i++)
        args[i] = strcmp(argv[i], "-o") == 0 ? (char *)"--output" : argv[i];
    int rc = cli_parse(cmd, argc, args, opts, nopts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos)
        return cli_usage(cmd, "лишний аргумент «%s»", pos[0]);
    const char *out = cli_get(opts, nopts, "output");
    if (!out || !*out)
        return cli_usage(cmd, "укажите файл резервной копии: -o ФАЙЛ");
    msk_err_clear(&err);
    const char *db = cli_db_path(opts, nopts);
    if (store_open(db, STORE_READ, &s, &err))
        return cli_fail(&err);
    store_backup_info info;
    rc = store_backup_file(s, out, &info, &err) ? cli_fail(&err) : EXIT_OK;
    store_close(s);
    if (rc == EXIT_OK && strcmp(out, "-") != 0)
        printf("Резервная копия %s записана в %s: схема %d, база %.1f МБ, сжатая копия %.1f МБ.\n",
               db, out, info.schema, mb(info.db_bytes), mb(info.out_bytes));
    return rc;
}

int cmd_restore(int argc, char **argv)
{
    cli_opt opts[] = {{"db", 1, NULL, 0, NULL, 0}};
    const int nopts = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    const cli_command *cmd = cli_find("restore");
    msk_err err;
    int rc = cli_parse(cmd, argc, argv, opts, nopts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos != 1)
        return npos ? cli_usage(cmd, "лишний аргумент «%s»", pos[1])
                    : cli_usage(cmd, "укажите файл резервной копии");
    msk_err_clear(&err);
    const char *db = cli_db_path(opts, nopts);
    store_backup_info info;
    if (store_restore(pos[0], db, &info, &err))
        return cli_fail(&err);
    /* an older schema is brought up to date now, not at the first request of the server */
    store *s = NULL;
    if (store_open(db, STORE_WRITE, &s, &err))
        return cli_fail(&err);
    int now = store_user_version(s);
    store_close(s);
    printf("База данных %s восстановлена из %s (схема %d%s, %.1f МБ).\n", db, pos[0], info.schema,
           info.schema != now ? ", обновлена" : "", mb(info.db_bytes));
    return EXIT_OK;
}
