/*
 * The web application (`msoko serve`): a libmicrohttpd server with a thread pool, serving
 * server-rendered pages and the same view models as JSON (DESIGN.md "Web"). Roles, sessions and
 * CSRF checks live here; the pages' data come from src/view/.
 */
#ifndef MSK_WEB_H
#define MSK_WEB_H

#include "base/err.h"

#include <signal.h>

typedef struct web_opts {
    const char *db;     /* database path */
    const char *listen; /* "127.0.0.1:8080"; port 0 picks a free one */
    int threads;        /* worker threads; 0 = 2 × CPUs, at least 4 */
    /* called once listening, with the URL (http://127.0.0.1:8080); may be NULL */
    void (*on_listen)(const char *url, void *ctx);
    void *ctx;
    /* the address of a reverse proxy whose X-Forwarded-Proto and X-Forwarded-For are
     * believed (TLS ends there: cookies get Secure and the __Host- prefix); NULL: none */
    const char *trusted_proxy;
    /* the key of the first run (/setup?key=…, 32 hex digits) that `msoko serve` prints beside
     * the address while the database has no account: only who reads the server's output can
     * make the first admin, even when the address is reachable by others (Jenkins' unlock
     * key). NULL: a random one nobody is told (no first run through the web). */
    const char *setup_key;
} web_opts;

/* Serve until *stop becomes non-zero (set it from a SIGINT/SIGTERM handler), then finish the
 * requests in flight and return 0. -1 with err filled when the database cannot be opened or the
 * address cannot be bound. */
int web_serve(const web_opts *o, volatile sig_atomic_t *stop, msk_err *err);

#endif
