/*
 * msoko: one program, many commands, one table (git's commands[] in git.c). This file only
 * dispatches; each command lives in its own cmd_*.c.
 */
#include "cli/cli.h"

#include "base/file.h"
#include "base/muni.h"
#include "engine/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "msoko — муниципальная система оценки качества образования\n\n"
               "Использование: msoko КОМАНДА [ПАРАМЕТРЫ]\n\nКоманды:\n");
    for (int i = 0; i < CLI_NCOMMANDS; i++)
        fprintf(f, "  %-10s %s\n", CLI_COMMANDS[i].name, CLI_COMMANDS[i].summary);
    fprintf(f, "\nБаза данных: --db ФАЙЛ (по умолчанию $MSOKO_DB или msoko.db).\n"
               "Справка по команде: msoko КОМАНДА --help\n");
}

/* The department and its acts (methods/municipality.ini, beside the methodology files), once,
 * before a command can start threads; no file: the defaults. 0 ok. */
static int load_municipality(void)
{
    char path[1024];
    char *text = NULL;
    size_t len;
    msk_err err;
    msk_err_clear(&err);
    if (!engine_preset_path("municipality", path, sizeof path))
        return 0;
    int rc = msk_file_read(path, 1 << 20, &text, &len, &err);
    if (!rc && len > (1 << 20))
        rc = msk_error(&err, "%s: файл больше 1 МБ", path);
    if (!rc)
        rc = muni_load_text(path, text, &err);
    free(text);
    if (rc)
        cli_fail(&err);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        if (argc > 2 && cli_find(argv[2])) {
            cli_print_help(cli_find(argv[2]));
            return EXIT_OK;
        }
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("msoko 0.1\n");
        return EXIT_OK;
    }
    const cli_command *cmd = cli_find(argv[1]);
    if (!cmd) {
        fprintf(stderr, "msoko: неизвестная команда «%s»\n\n", argv[1]);
        usage(stderr);
        return EXIT_USAGE;
    }
    if (load_municipality())
        return EXIT_USER;
    return cmd->run(argc - 1, argv + 1);
}
