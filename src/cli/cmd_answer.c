/*
 * msoko answer: the schools' answers to their flags (issue 16 item 6) for the analyst at the
 * console — list them, accept one, reject one with a comment. The decisions are the same use
 * cases the web calls (src/app/answer.c: one transaction and one audit row each); --user LOGIN
 * acts as that user of the database (a school operator may not decide), without it the
 * operator of the machine acts as admin.
 */
#include "app/app.h"
#include "base/fmt.h"
#include "base/vocab.h"
#include "cli/cli.h"
#include "store/answer.h"
#include "store/store.h"
#include "view/card.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_answer(int argc, char **argv);

enum { O_DB, O_YEAR, O_SCHOOL, O_STATUS, O_LIST, O_USER, O_COMMENT, O_N };

static int parse(const cli_command *cmd, int argc, char **argv, cli_opt *opts, const char **pos,
                 int *npos)
{
    cli_opt o[O_N] = {{"db", 1, NULL, 0, NULL, 0},     {"year", 1, NULL, 0, NULL, 0},
                      {"school", 1, NULL, 0, NULL, 0}, {"status", 1, NULL, 0, NULL, 0},
                      {"list", 1, NULL, 0, NULL, 0},   {"user", 1, NULL, 0, NULL, 0},
                      {"comment", 1, NULL, 0, NULL, 0}};
    memcpy(opts, o, sizeof o);
    return cli_parse(cmd, argc, argv, opts, O_N, pos, npos);
}

/* --status in the words of the listing or as stored; NULL when unknown. */
static const char *status_code(const char *s)
{
    static const char *const map[][2] = {
        {"submitted", "submitted"}, {"на рассмотрении", "submitted"}, {"рассмотрение", "submitted"},
        {"accepted", "accepted"},   {"принято", "accepted"},          {"принят", "accepted"},
        {"rejected", "rejected"},   {"отклонено", "rejected"},        {"отклонён", "rejected"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(s, map[i][0]))
            return map[i][1];
    return NULL;
}

typedef struct list_ctx {
    const char *status;
    int n;
} list_ctx;

/* The first line of a text, at most about 60 letters (UTF-8 kept whole), tabs as spaces (the
 * listing is tab-separated). */
static void brief(const char *text, char *out, size_t n)
{
    size_t j = 0, letters = 0;
    for (const char *p = text; *p && *p != '\n' && *p != '\r' && j + 8 < n; p++) {
        if (((unsigned char)*p & 0xC0) != 0x80 && ++letters > 60) {
            memcpy(out + j, "…", strlen("…"));
            j += strlen("…");
            break;
        }
        out[j++] = *p == '\t' ? ' ' : *p;
    }
    out[j] = '\0';
}

static void on_row(void *ctx, const store_answer_row *r)
{
    list_ctx *c = ctx;
    if (c->status && strcmp(c->status, r->status) != 0)
        return;
    char st[STORE_ANSWER_TEXT_MAX + 32], at[40], text[256];
    view_answer_text(r->status, r->comment, st, sizeof st);
    brief(r->text, text, sizeof text);
    if (!c->n++)
        printf("№\tшкола\tсписок\tгод\tответ\tотправлено\tкем\tтекст\n");
    printf("%lld\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", (long long)r->id, r->school,
           vocab_label(VOCAB_METHOD, r->list), r->year, st,
           fmt_datetime(r->created_at, at, sizeof at), r->created_by, text);
}

static int do_list(const cli_command *cmd, int argc, char **argv)
{
    cli_opt opts[O_N];
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    msk_err err;
    store *s = NULL;
    long year = 0;
    int rc = parse(cmd, argc, argv, opts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos)
        return cli_usage(cmd, "лишний аргумент «%s»", pos[0]);
    if (opts[O_YEAR].value && cli_int(opts[O_YEAR].value, 2000, 2100, &year))
        return cli_usage(cmd, "--year: учебный год по году окончания, например 2024");
    list_ctx c = {NULL, 0};
    if (opts[O_STATUS].value && !(c.status = status_code(opts[O_STATUS].value)))
        return cli_usage(cmd,
                         "--status «%s»: есть «на рассмотрении» (submitted), «принято» "
                         "(accepted) и «отклонено» (rejected)",
                         opts[O_STATUS].value);
    const char *list = opts[O_LIST].value;
    if (list && !store_answer_list_ok(list))
        return cli_usage(cmd, "--list «%s»: есть shnor, risk, objectivity, rating", list);
    msk_err_clear(&err);
    if (store_open(cli_db_path(opts, O_N), STORE_READ, &s, &err))
        return cli_fail(&err);
    rc = store_answers(s, opts[O_SCHOOL].value, list, (int)year, on_row, &c, &err);
    store_close(s);
    if (rc)
        return cli_fail(&err);
    if (!c.n)
        printf("Пояснений школ нет.\n");
    return EXIT_OK;
}

static int do_review(const cli_command *cmd, int argc, char **argv, int accept)
{
    cli_opt opts[O_N];
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    msk_err err;
    store *s = NULL;
    app_actor a;
    long id;
    int rc = parse(cmd, argc, argv, opts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos != 1 || cli_int(pos[0], 1, 2000000000L, &id))
        return cli_usage(cmd, "нужен номер пояснения (msoko answer list)");
    const char *comment = opts[O_COMMENT].value;
    if (!accept && !comment)
        return cli_usage(cmd, "отклонить пояснение можно только с --comment: что не так");
    msk_err_clear(&err);
    if (store_open(cli_db_path(opts, O_N), STORE_WRITE, &s, &err))
        return cli_fail(&err);
    app_actor_cli(s, opts[O_USER].value, &a);
    rc = accept ? app_answer_accept(s, &a, id, comment, &err)
                : app_answer_reject(s, &a, id, comment, &err);
    store_close(s);
    if (rc == APP_FORBIDDEN) {
        char why[sizeof err.msg];
        snprintf(why, sizeof why, "%s", err.msg);
        msk_error(&err, "нет доступа: %s", why);
    }
    if (rc)
        return cli_fail(&err);
    printf("Пояснение %ld %s\n", id, accept ? "принято" : "отклонено");
    return EXIT_OK;
}

int cmd_answer(int argc, char **argv)
{
    const cli_command *cmd = cli_find("answer");
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        cli_print_help(cmd);
        return EXIT_OK;
    }
    if (argc < 2)
        return cli_usage(cmd, "нужна подкоманда: list, accept или reject");
    const char *sub = argv[1];
    if (!strcmp(sub, "list"))
        return do_list(cmd, argc - 1, argv + 1);
    if (!strcmp(sub, "accept") || !strcmp(sub, "reject"))
        return do_review(cmd, argc - 1, argv + 1, !strcmp(sub, "accept"));
    return cli_usage(cmd, "неизвестная подкоманда «%s»", sub);
}
