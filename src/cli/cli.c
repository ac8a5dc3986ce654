/*
 * Option parsing and error printing shared by every command: see cli.h.
 */
#include "cli/cli.h"

#include "base/mem.h"
#include "store/municipality.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cmd_import_help(void);
void cmd_plan_help(void);

/* The parts of a command's help drawn from a table, so the help cannot drift from it: the
 * import templates (ingest/template.c), the plan statuses (base/vocab.c). */
static const struct {
    const char *name;
    void (*print)(void);
} HELP_MORE[] = {{"import", cmd_import_help}, {"plan", cmd_plan_help}};

void cli_print_help(const cli_command *cmd)
{
    printf("%s\n", cmd->help);
    for (size_t i = 0; i < sizeof HELP_MORE / sizeof HELP_MORE[0]; i++)
        if (strcmp(cmd->name, HELP_MORE[i].name) == 0)
            HELP_MORE[i].print();
}

const cli_command *cli_find(const char *name)
{
    for (int i = 0; i < CLI_NCOMMANDS; i++)
        if (strcmp(CLI_COMMANDS[i].name, name) == 0)
            return &CLI_COMMANDS[i];
    return NULL;
}

int cli_usage(const cli_command *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "msoko %s: ", cmd->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nСправка: msoko %s --help\n", cmd->name);
    return EXIT_USAGE;
}

static cli_opt *find_opt(cli_opt *opts, int nopts, const char *name, size_t len)
{
    for (int i = 0; i < nopts; i++)
        if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0)
            return &opts[i];
    return NULL;
}

int cli_parse(const cli_command *cmd, int argc, char **argv, cli_opt *opts, int nopts,
              const char **pos, int *npos)
{
    *npos = 0;
    int only_pos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_pos || a[0] != '-' || a[1] == '\0') {
            pos[(*npos)++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            cli_print_help(cmd);
            return 1;
        }
        if (a[1] != '-') {
            cli_usage(cmd, "неизвестный параметр «%s»", a);
            return -1;
        }
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        cli_opt *o = find_opt(opts, nopts, name, len);
        if (!o) {
            cli_usage(cmd, "неизвестный параметр «%.*s»", (int)len + 2, a);
            return -1;
        }
        const char *val = "1";
        if (o->takes_value) {
            if (eq)
                val = eq + 1;
            else if (i + 1 < argc)
                val = argv[++i];
            else {
                cli_usage(cmd, "параметру --%s нужно значение", o->name);
                return -1;
            }
        } else if (eq) {
            cli_usage(cmd, "параметр --%s не принимает значения", o->name);
            return -1;
        }
        if (o->value && !o->repeat) {
            cli_usage(cmd, "параметр --%s указан дважды", o->name);
            return -1;
        }
        o->value = val;
        if (o->repeat && o->values) {
            o->values[o->nvalues++] = val;
        }
    }
    return 0;
}

const char *cli_get(const cli_opt *opts, int nopts, const char *name)
{
    for (int i = 0; i < nopts; i++)
        if (strcmp(opts[i].name, name) == 0)
            return opts[i].value;
    return NULL;
}

const char *cli_db_path(const cli_opt *opts, int nopts)
{
    const char *db = cli_get(opts, nopts, "db");
    if (db && *db)
        return db;
    db = getenv("MSOKO_DB");
    return db && *db ? db : "msoko.db";
}

int cli_fail(const msk_err *err)
{
    char line[MSK_ERR_MSG + MSK_ERR_FILE + 64];
    msk_err_format(err, line, sizeof line);
    fprintf(stderr, "msoko: %s\n", line);
    return EXIT_USER;
}

int cli_int(const char *s, long lo, long hi, long *out)
{
    char *end = NULL;
    if (!s || !*s)
        return -1;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int cli_municipality(store *s, const char *text, int64_t *id, msk_err *err)
{
    store_municipality m;
    *id = 0;
    if (!text)
        return 0;
    int rc = store_municipality_find(s, text, &m, err);
    if (rc > 0)
        return msk_error(err, "нет муниципалитета «%s» (msoko show municipalities — список)", text);
    if (rc == 0)
        *id = m.id;
    return rc;
}
