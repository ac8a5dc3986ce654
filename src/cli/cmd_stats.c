/*
 * msoko stats: row counts per table.
 */
#include "cli/cli.h"
#include "store/store.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

int cmd_stats(int argc, char **argv);

int cmd_stats(int argc, char **argv)
{
    cli_opt opts[] = {{"db", 1, NULL, 0, NULL, 0}, {"checksum", 0, NULL, 0, NULL, 0}};
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    const cli_command *cmd = cli_find("stats");
    msk_err err;
    store *s = NULL;
    char **names = NULL;
    int64_t *counts = NULL;
    size_t n = 0;
    int rc = cli_parse(cmd, argc, argv, opts, 2, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos)
        return cli_usage(cmd, "лишний аргумент «%s»", pos[0]);
    msk_err_clear(&err);
    if (store_open(cli_db_path(opts, 2), STORE_READ, &s, &err))
        return cli_fail(&err);
    if (cli_get(opts, 2, "checksum")) {
        char sum[65];
        rc = store_checksum(s, sum, &err) ? cli_fail(&err) : EXIT_OK;
        if (rc == EXIT_OK)
            printf("%s\n", sum);
        store_close(s);
        return rc;
    }
    rc = store_table_counts(s, &names, &counts, &n, &err) ? cli_fail(&err) : EXIT_OK;
    if (rc == EXIT_OK) {
        printf("таблица                     строк\n");
        for (size_t i = 0; i < n; i++)
            printf("%-20s %12" PRId64 "\n", names[i], counts[i]);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(counts);
    store_close(s);
    return rc;
}
