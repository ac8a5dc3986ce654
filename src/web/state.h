/*
 * The state a running server shares between its files (src/web/server.c runs it and the
 * connections, src/web/cache.c keeps the loaded years and the rendered pages): one struct,
 * included by both, so that neither calls the other for it. Private to src/web/.
 */
#ifndef MSK_WEB_STATE_H
#define MSK_WEB_STATE_H

#include "web/internal.h"

#include <pthread.h>
#include <stdint.h>

enum {
    CACHE_YEARS = 8,
    STAMP_EVERY_MS = 1000, /* how often the store's stamp is re-read */
    PAGE_SLOTS = 256,      /* rendered pages kept (direct-mapped by key hash) */
    CONN_TOTAL = 512,      /* open connections in all */
    CONN_PER_IP = 32,      /* … from one address (a browser opens 6) */
    IDLE_S = 30,        /* libmicrohttpd's inactivity timeout (the deadlines below are shorter) */
    HEADERS_MS = 10000, /* the request line and headers arrive within this … */
    FORM_MS = 30000,    /* … a form body within this after them … */
    UPLOAD_MS = 300000, /* … an imported file within this (32 MB at 110 KB/s) … */
    SEND_MS = 120000,   /* … and the answer is taken within this */
    ARGS_MAX = 200,     /* query arguments (414 past them) */
    BODIES_MAX = 128 * 1024 * 1024, /* request bodies held at once, all requests together */
};

/* A connection under the watchdog: past its deadline its socket is shut down (libmicrohttpd
 * then closes it as if the client had gone), whatever trickles in. */
typedef struct conn_slot {
    int fd;
    int used;
    int64_t deadline_ms; /* 0: none (a handler is running) */
} conn_slot;

typedef struct cache_entry {
    int year;
    view_year *v;
    int64_t stamp;
    int refs;
    int stale; /* replaced: freed when the last reference goes */
    int64_t checked_ms;
    uint64_t gen; /* which load this is: rendered pages made from it carry it */
    int64_t muni; /* the scope it was loaded for (view_year_load_in), 0: every school */
} cache_entry;

/* A rendered page body (the content inside the layout, or the JSON) for one role and URL, made
 * from the view of load `gen`; valid while that view is the current one. */
typedef struct page_entry {
    uint64_t hash, gen;
    char *key, *body, *title, *crumbs;
    size_t len;
} page_entry;

struct web_server {
    char db[1024];
    pthread_mutex_t pool_mu;
    pthread_cond_t pool_cv;
    store **pool;
    int npool, nfree;

    pthread_mutex_t cache_mu, load_mu;
    cache_entry cache[CACHE_YEARS * 2]; /* live entries and stale ones still referenced */

    web_limiter *limiter;
    char trusted_proxy[64];
    char setup_key[72]; /* web_opts.setup_key (web/admin.c) */

    pthread_mutex_t conn_mu;
    conn_slot conns[CONN_TOTAL + 8];
    size_t bodies; /* bytes of request bodies held (atomic) */

    uint64_t gen;
    pthread_mutex_t page_mu;
    page_entry pages[PAGE_SLOTS];
};

/* Milliseconds of the monotonic clock. */
int64_t web_now_ms(void);
/* Free every cached year and rendered page (the server is stopping). */
void web_cache_release_all(web_server *srv);

#endif
