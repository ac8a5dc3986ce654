/*
 * Shared by the command files of src/cli/: the command table entry and option parsing.
 * Each command parses its options (rejecting unknown ones, as Fossil's verify_all_options),
 * calls the library, and turns an msk_err into one message on stderr with exit status 1.
 * Exit status: 0 success, 1 user error, 2 bad usage (DESIGN.md "Shape").
 */
#ifndef MSK_CLI_H
#define MSK_CLI_H

#include "base/err.h"

#include <stdint.h>

enum { EXIT_OK = 0, EXIT_USER = 1, EXIT_USAGE = 2 };

typedef struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
    const char *summary;               /* one line, Russian */
    const char *help;                  /* full help text, Russian */
} cli_command;

/* Options: a table of known names; values are filled as they are parsed. */
typedef struct cli_opt {
    const char *name;  /* without leading dashes, e.g. "db" */
    int takes_value;   /* 1: --name VALUE or --name=VALUE; 0: a flag */
    const char *value; /* out: the value, or "1" for a flag that was given; NULL if absent */
    int repeat;        /* 1: may repeat; every value is kept in values[] */
    const char **values;
    int nvalues;
} cli_opt;

/* Parse argv[1..] against opts. Positional arguments are collected in pos (caller provides an
 * array of argc entries) and counted in *npos. Returns 0, or prints a usage message naming the
 * command and returns -1 (caller exits 2). --help/-h prints help and returns 1. */
int cli_parse(const cli_command *cmd, int argc, char **argv, cli_opt *opts, int nopts,
              const char **pos, int *npos);
/* The value of option name, or NULL. */
const char *cli_get(const cli_opt *opts, int nopts, const char *name);
/* The database path: --db, else $MSOKO_DB, else msoko.db. */
const char *cli_db_path(const cli_opt *opts, int nopts);
/* Print "msoko: <error with place>" on stderr and return EXIT_USER. */
int cli_fail(const msk_err *err);
/* Print a usage error for cmd and return EXIT_USAGE. */
int cli_usage(const cli_command *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Parse a whole decimal integer in [lo, hi]; returns 0 or -1. */
int cli_int(const char *s, long lo, long hi, long *out);

/* --municipality CODE (a code or a name) as the municipality's id into *id; text NULL: 0 (every
 * school). 0, or -1 with err naming the unknown municipality. */
struct store;
int cli_municipality(struct store *s, const char *text, int64_t *id, msk_err *err);

/* Print the whole help of cmd on stdout. */
void cli_print_help(const cli_command *cmd);

extern const cli_command CLI_COMMANDS[];
extern const int CLI_NCOMMANDS;
const cli_command *cli_find(const char *name);

#endif
