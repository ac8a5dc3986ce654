/*
 * msoko init: create a database (schema, reference data, default scales).
 */
#include "cli/cli.h"
#include "store/store.h"

#include <stdio.h>

int cmd_init(int argc, char **argv);

int cmd_init(int argc, char **argv)
{
    cli_opt opts[] = {{"db", 1, NULL, 0, NULL, 0}};
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    const cli_command *cmd = cli_find("init");
    msk_err err;
    store *s = NULL;
    int rc = cli_parse(cmd, argc, argv, opts, 1, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos)
        return cli_usage(cmd, "лишний аргумент «%s»", pos[0]);
    msk_err_clear(&err);
    const char *db = cli_db_path(opts, 1);
    if (store_open(db, STORE_CREATE, &s, &err))
        return cli_fail(&err);
    int was = store_is_initialised(s);
    if (store_begin(s, &err) || store_seed_reference(s, &err) || store_commit(s, &err)) {
        store_close(s);
        return cli_fail(&err);
    }
    store_close(s);
    printf(was ? "База данных %s уже создана: справочники обновлены.\n"
               : "Создана база данных %s (схема, справочники, шкалы по умолчанию).\n",
           db);
    return EXIT_OK;
}
