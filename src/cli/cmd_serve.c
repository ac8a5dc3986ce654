/*
 * msoko serve: the web application (src/web/) until SIGINT or SIGTERM, which finish the requests
 * in flight and exit 0.
 */
#include "cli/cli.h"
#include "store/store.h"
#include "store/user.h"
#include "web/web.h"

#include <sodium.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>

int cmd_serve(int argc, char **argv);

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

typedef struct serve_ctx {
    const char *db;
    char key[33]; /* the first run's key (web_opts.setup_key) */
} serve_ctx;

static void on_listen(const char *url, void *ctx)
{
    const serve_ctx *c = ctx;
    const char *db = c->db;
    printf("msoko: сервер работает: %s (остановить — Ctrl+C)\n", url);
    fflush(stdout); /* said when it is so: stdout to a file or a pipe is buffered */
    /* the first run (issue 14 п. 10): with no account nobody can sign in, so say where to go */
    store *s = NULL;
    msk_err err;
    int64_t n = 1;
    msk_err_clear(&err);
    if (!store_open(db, STORE_READ, &s, &err) && !store_user_count(s, &n, &err) && n == 0)
        printf("msoko: пользователей ещё нет — откройте %s/setup?key=%s и создайте учётную "
               "запись администратора\n",
               url, c->key);
    store_close(s);
    fflush(stdout);
}

int cmd_serve(int argc, char **argv)
{
    cli_opt opts[] = {
        {"db", 1, NULL, 0, NULL, 0},
        {"listen", 1, NULL, 0, NULL, 0},
        {"threads", 1, NULL, 0, NULL, 0},
        {"trusted-proxy", 1, NULL, 0, NULL, 0},
    };
    const int nopts = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    const cli_command *cmd = cli_find("serve");
    int rc = cli_parse(cmd, argc, argv, opts, nopts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos)
        return cli_usage(cmd, "лишний аргумент «%s»", pos[0]);
    long threads = 0;
    const char *t = cli_get(opts, nopts, "threads");
    if (t && cli_int(t, 1, 256, &threads))
        return cli_usage(cmd, "--threads: ожидается число от 1 до 256, получено «%s»", t);
    serve_ctx sc = {cli_db_path(opts, nopts), ""};
    unsigned char raw[16];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(sc.key, sizeof sc.key, raw, sizeof raw);
    web_opts o = {cli_db_path(opts, nopts),
                  cli_get(opts, nopts, "listen"),
                  (int)threads,
                  on_listen,
                  &sc,
                  NULL,
                  sc.key};
    if (!o.listen)
        o.listen = "127.0.0.1:8080";
    o.trusted_proxy = cli_get(opts, nopts, "trusted-proxy");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    msk_err err;
    msk_err_clear(&err);
    if (web_serve(&o, &stop_flag, &err))
        return cli_fail(&err);
    printf("msoko: сервер остановлен.\n");
    return EXIT_OK;
}
