/*
 * The server's caches (DESIGN.md "Web"): loaded years (shared, read-only, reloaded when the
 * store's stamp changes; the stamp is re-read at most once a second, and while one request
 * reloads a year the others get the one they had) and rendered pages (direct-mapped by the
 * key's hash, valid while the view they were made from is current). State in src/web/state.h.
 */
#include "web/state.h"

#include "base/mem.h"

#include <sodium.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t web_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the cache of loaded years ---- */

static void release_unlocked(web_server *srv, cache_entry *e)
{
    if (--e->refs == 0 && e->stale) {
        view_year_free(e->v);
        memset(e, 0, sizeof *e);
    }
    (void)srv;
}

int web_cache_get(web_server *srv, store *s, int year, int64_t muni, view_year **out, msk_err *err)
{
    int64_t t = web_now_ms();
    pthread_mutex_lock(&srv->cache_mu);
    for (int i = 0; i < CACHE_YEARS * 2; i++) {
        cache_entry *e = &srv->cache[i];
        if (!e->v || e->stale || e->year != year || e->muni != muni)
            continue;
        if (t - e->checked_ms < STAMP_EVERY_MS) {
            e->refs++;
            *out = e->v;
            pthread_mutex_unlock(&srv->cache_mu);
            return 0;
        }
        break;
    }
    pthread_mutex_unlock(&srv->cache_mu);

    int64_t stamp = store_data_stamp(s);
    /* One load at a time. While another request loads (seconds for a big region), the others
     * keep being served from the year they had, if there is one, instead of queueing. */
    if (pthread_mutex_trylock(&srv->load_mu) != 0) {
        pthread_mutex_lock(&srv->cache_mu);
        for (int i = 0; i < CACHE_YEARS * 2; i++) {
            cache_entry *e = &srv->cache[i];
            if (e->v && !e->stale && e->year == year && e->muni == muni) {
                e->refs++;
                *out = e->v;
                pthread_mutex_unlock(&srv->cache_mu);
                return 0;
            }
        }
        pthread_mutex_unlock(&srv->cache_mu);
        pthread_mutex_lock(&srv->load_mu);
    }
    pthread_mutex_lock(&srv->cache_mu);
    cache_entry *hit = NULL;
    for (int i = 0; i < CACHE_YEARS * 2; i++) {
        cache_entry *e = &srv->cache[i];
        if (e->v && !e->stale && e->year == year && e->muni == muni) {
            if (e->stamp == stamp) {
                e->checked_ms = web_now_ms();
                hit = e;
            } else {
                /* the cache drops its own reference: freed now if nobody holds it, else
                 * by the last web_cache_put (bench/soak: a reference kept here leaked every
                 * replaced year, and after 16 imports no slot was left) */
                e->stale = 1;
                release_unlocked(srv, e);
            }
        }
    }
    if (hit) {
        hit->refs++;
        *out = hit->v;
        pthread_mutex_unlock(&srv->cache_mu);
        pthread_mutex_unlock(&srv->load_mu);
        return 0;
    }
    pthread_mutex_unlock(&srv->cache_mu);

    view_year *v = NULL;
    int rc = view_year_load_in(s, year, muni, &v, err);
    if (rc) {
        pthread_mutex_unlock(&srv->load_mu);
        return -1;
    }
    pthread_mutex_lock(&srv->cache_mu);
    cache_entry *slot = NULL, *oldest = NULL;
    int live = 0;
    for (int i = 0; i < CACHE_YEARS * 2; i++) {
        cache_entry *e = &srv->cache[i];
        if (!e->v && !slot)
            slot = e;
        if (e->v && !e->stale) {
            live++;
            if (!oldest || e->checked_ms < oldest->checked_ms)
                oldest = e;
        }
    }
    if (live >= CACHE_YEARS && oldest) { /* keep a few years; the least recent goes */
        oldest->stale = 1;
        release_unlocked(srv, oldest);
        if (!oldest->v && !slot)
            slot = oldest;
    }
    if (!slot) { /* every slot held by stale views still in use: serve this one uncached */
        pthread_mutex_unlock(&srv->cache_mu);
        pthread_mutex_unlock(&srv->load_mu);
        view_year_free(v);
        return msk_error(err, "сервер перегружен: повторите запрос");
    }
    *slot = (cache_entry){year, v, stamp, 2, 0, web_now_ms(), ++srv->gen, muni};
    /* two references: the cache's and the caller's */
    *out = v;
    pthread_mutex_unlock(&srv->cache_mu);
    pthread_mutex_unlock(&srv->load_mu);
    return 0;
}

void web_cache_put(web_server *srv, view_year *v)
{
    if (!v)
        return;
    pthread_mutex_lock(&srv->cache_mu);
    for (int i = 0; i < CACHE_YEARS * 2; i++)
        if (srv->cache[i].v == v) {
            release_unlocked(srv, &srv->cache[i]);
            break;
        }
    pthread_mutex_unlock(&srv->cache_mu);
}

uint64_t web_cache_gen(web_server *srv, const view_year *v)
{
    uint64_t g = 0;
    pthread_mutex_lock(&srv->cache_mu);
    for (int i = 0; i < CACHE_YEARS * 2; i++)
        if (srv->cache[i].v == v) {
            g = srv->cache[i].gen;
            break;
        }
    pthread_mutex_unlock(&srv->cache_mu);
    return g;
}

/* ---- rendered pages ---- */

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void page_entry_clear(page_entry *e)
{
    free(e->key);
    free(e->body);
    free(e->title);
    free(e->crumbs);
    memset(e, 0, sizeof *e);
}

int web_pcache_get(web_server *srv, const char *key, uint64_t gen, msk_buf *body, char **title,
                   char **crumbs)
{
    uint64_t h = fnv(key);
    int hit = 0;
    pthread_mutex_lock(&srv->page_mu);
    page_entry *e = &srv->pages[h % PAGE_SLOTS];
    if (e->key && e->hash == h && e->gen == gen && !strcmp(e->key, key)) {
        msk_buf_reset(body);
        msk_buf_add(body, e->body, e->len);
        *title = msk_strdup(e->title);
        *crumbs = msk_strdup(e->crumbs);
        hit = 1;
    }
    pthread_mutex_unlock(&srv->page_mu);
    return hit;
}

void web_pcache_put(web_server *srv, const char *key, uint64_t gen, const char *body, size_t len,
                    const char *title, const char *crumbs)
{
    web_pcache_keep(srv, key, gen, msk_strndup(body, len), len, title, crumbs);
}

void web_pcache_keep(web_server *srv, const char *key, uint64_t gen, char *body, size_t len,
                     const char *title, const char *crumbs)
{
    uint64_t h = fnv(key);
    page_entry n = {h, gen, msk_strdup(key), body, msk_strdup(title), msk_strdup(crumbs), len};
    pthread_mutex_lock(&srv->page_mu);
    page_entry *e = &srv->pages[h % PAGE_SLOTS];
    page_entry old = *e;
    *e = n;
    pthread_mutex_unlock(&srv->page_mu);
    page_entry_clear(&old);
}

void web_cache_invalidate(web_server *srv)
{
    pthread_mutex_lock(&srv->cache_mu);
    for (int i = 0; i < CACHE_YEARS * 2; i++)
        srv->cache[i].checked_ms = -STAMP_EVERY_MS; /* re-read the stamp on the next request */
    pthread_mutex_unlock(&srv->cache_mu);
}

void web_cache_release_all(web_server *srv)
{
    for (int i = 0; i < CACHE_YEARS * 2; i++)
        if (srv->cache[i].v)
            view_year_free(srv->cache[i].v);
    memset(srv->cache, 0, sizeof srv->cache);
    for (int i = 0; i < PAGE_SLOTS; i++)
        page_entry_clear(&srv->pages[i]);
}

/* The first run's key lives with the server's other shared state (state.h); compared in
 * constant time. */
int web_setup_key_ok(web_server *srv, const char *key)
{
    size_t n = strlen(srv->setup_key);
    return key && n >= 32 && strlen(key) == n && sodium_memcmp(key, srv->setup_key, n) == 0;
}
