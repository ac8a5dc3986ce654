/*
 * The HTTP server: libmicrohttpd with an internal thread pool, a small pool of store handles
 * (one SQLite connection is not shared between threads), the cache of loaded years (shared,
 * read-only, reloaded when the store's stamp changes), the login limiter, and the request
 * lifecycle: body collected under a cap (413 past it), route → session → role → CSRF →
 * handler, the whole response built before it is sent, the request's memory freed in the
 * completed callback (STYLE.md "Errors and ownership").
 */
#include "web/internal.h"

#include "base/mem.h"
#include "store/backup.h"

#include <microhttpd.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum {
    BODY_MAX = 256 * 1024,         /* forms */
    UPLOAD_MAX = 32 * 1024 * 1024, /* an imported file */
    CACHE_YEARS = 8,
    LIMIT_SLOTS = 512,
    LIMIT_FAILS = 5,        /* failed logins per key … */
    LIMIT_WINDOW = 15 * 60, /* … in this many seconds */
    STAMP_EVERY_MS = 1000,  /* how often the store's stamp is re-read */
    PAGE_SLOTS = 256,       /* rendered pages kept (direct-mapped by key hash) */
};

typedef struct cache_entry {
    int year;
    view_year *v;
    int64_t stamp;
    int refs;
    int stale; /* replaced: freed when the last reference goes */
    int64_t checked_ms;
    uint64_t gen; /* which load this is: rendered pages made from it carry it */
} cache_entry;

/* A rendered page body (the content inside the layout, or the JSON) for one role and URL, made
 * from the view of load `gen`; valid while that view is the current one. */
typedef struct page_entry {
    uint64_t hash, gen;
    char *key, *body, *title, *crumbs;
    size_t len;
} page_entry;

typedef struct limit_slot {
    char key[96];
    int fails;
    time_t first;
} limit_slot;

struct web_server {
    char db[1024];
    pthread_mutex_t pool_mu;
    pthread_cond_t pool_cv;
    store **pool;
    int npool, nfree;

    pthread_mutex_t cache_mu, load_mu;
    cache_entry cache[CACHE_YEARS * 2]; /* live entries and stale ones still referenced */

    pthread_mutex_t limit_mu;
    limit_slot limits[LIMIT_SLOTS];

    uint64_t gen;
    pthread_mutex_t page_mu;
    page_entry pages[PAGE_SLOTS];
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- store pool ---- */

store *web_pool_get(web_server *srv)
{
    pthread_mutex_lock(&srv->pool_mu);
    while (srv->nfree == 0)
        pthread_cond_wait(&srv->pool_cv, &srv->pool_mu);
    store *s = srv->pool[--srv->nfree];
    pthread_mutex_unlock(&srv->pool_mu);
    return s;
}

void web_pool_put(web_server *srv, store *s)
{
    if (!s)
        return;
    store_rollback(s); /* a handler that failed mid-transaction leaves nothing behind */
    pthread_mutex_lock(&srv->pool_mu);
    srv->pool[srv->nfree++] = s;
    pthread_cond_signal(&srv->pool_cv);
    pthread_mutex_unlock(&srv->pool_mu);
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

int web_cache_get(web_server *srv, store *s, int year, view_year **out, msk_err *err)
{
    int64_t t = now_ms();
    pthread_mutex_lock(&srv->cache_mu);
    for (int i = 0; i < CACHE_YEARS * 2; i++) {
        cache_entry *e = &srv->cache[i];
        if (!e->v || e->stale || e->year != year)
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
            if (e->v && !e->stale && e->year == year) {
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
        if (e->v && !e->stale && e->year == year) {
            if (e->stamp == stamp) {
                e->checked_ms = now_ms();
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
    int rc = view_year_load(s, year, &v, err);
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
    *slot = (cache_entry){year, v,        stamp,     2,
                          0,    now_ms(), ++srv->gen}; /* the cache's and the caller's */
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
    uint64_t h = fnv(key);
    page_entry n = {
        h,  gen, msk_strdup(key), msk_strndup(body, len), msk_strdup(title), msk_strdup(crumbs),
        len};
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

static void cache_release_all(web_server *srv)
{
    for (int i = 0; i < CACHE_YEARS * 2; i++)
        if (srv->cache[i].v)
            view_year_free(srv->cache[i].v);
    memset(srv->cache, 0, sizeof srv->cache);
}

/* ---- login limiter (in memory: no schema change; a restart forgets) ---- */

static limit_slot *limit_find(web_server *srv, const char *key, int create)
{
    time_t now = time(NULL);
    limit_slot *free_slot = NULL, *oldest = NULL;
    for (int i = 0; i < LIMIT_SLOTS; i++) {
        limit_slot *l = &srv->limits[i];
        if (l->key[0] && now - l->first > LIMIT_WINDOW)
            l->key[0] = '\0';
        if (l->key[0] && !strcmp(l->key, key))
            return l;
        if (!l->key[0] && !free_slot)
            free_slot = l;
        if (l->key[0] && (!oldest || l->first < oldest->first))
            oldest = l;
    }
    if (!create)
        return NULL;
    limit_slot *l = free_slot ? free_slot : oldest;
    snprintf(l->key, sizeof l->key, "%s", key);
    l->fails = 0;
    l->first = now;
    return l;
}

int web_limit_ok(web_server *srv, const char *key, int *retry_minutes)
{
    pthread_mutex_lock(&srv->limit_mu);
    limit_slot *l = limit_find(srv, key, 0);
    int ok = !l || l->fails < LIMIT_FAILS;
    if (!ok && retry_minutes)
        *retry_minutes = (int)((LIMIT_WINDOW - (time(NULL) - l->first)) / 60) + 1;
    pthread_mutex_unlock(&srv->limit_mu);
    return ok;
}

void web_limit_fail(web_server *srv, const char *key)
{
    pthread_mutex_lock(&srv->limit_mu);
    limit_find(srv, key, 1)->fails++;
    pthread_mutex_unlock(&srv->limit_mu);
}

void web_limit_clear(web_server *srv, const char *key)
{
    pthread_mutex_lock(&srv->limit_mu);
    limit_slot *l = limit_find(srv, key, 0);
    if (l)
        l->key[0] = '\0';
    pthread_mutex_unlock(&srv->limit_mu);
}

/* ---- requests ---- */

static void req_free(web_req *r)
{
    if (!r)
        return;
    web_cache_put(r->srv, r->vy);
    web_pool_put(r->srv, r->db);
    json_decref(r->years);
    json_decref(r->crumbs);
    msk_buf_release(&r->body);
    msk_buf_release(&r->out);
    if (r->send_fd > 0)
        close(r->send_fd);
    web_arena_release(&r->arena);
    free(r);
}

static void add_security_headers(struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; script-src 'self'; style-src 'self'; "
                            "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                            "form-action 'self'; frame-ancestors 'none'");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
}

static enum MHD_Result send_response(web_req *r)
{
    size_t len = 0;
    struct MHD_Response *resp;
    if (r->send_fd > 0) { /* a file body: the backup download */
        resp = MHD_create_response_from_fd64(r->send_len, r->send_fd);
        if (!resp)
            return MHD_NO; /* req_free closes the file */
        r->send_fd = 0;
    } else {
        char *body = msk_buf_detach(&r->out, &len);
        resp = MHD_create_response_from_buffer_with_free_callback(len, body, free);
        if (!resp) {
            free(body);
            return MHD_NO;
        }
    }
    add_security_headers(resp);
    MHD_add_response_header(resp, "Content-Type", r->ctype ? r->ctype : "text/html; charset=utf-8");
    MHD_add_response_header(resp, "Cache-Control",
                            r->cache_control ? r->cache_control : "no-store");
    if (r->location[0])
        MHD_add_response_header(resp, "Location", r->location);
    if (r->etag[0])
        MHD_add_response_header(resp, "ETag", r->etag);
    if (r->disposition[0])
        MHD_add_response_header(resp, "Content-Disposition", r->disposition);
    for (int i = 0; i < r->ncookies; i++)
        MHD_add_response_header(resp, "Set-Cookie", r->cookies[i]);
    if (r->status == 401)
        MHD_add_response_header(resp, "WWW-Authenticate", "Cookie realm=\"msoko\"");
    enum MHD_Result ret = MHD_queue_response(r->con, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* Does pattern match path? ":" segments are captured into r->param / r->param2. */
static int route_match(web_req *r, const char *pattern, const char *path)
{
    const char *caps[2] = {NULL, NULL};
    size_t caplen[2] = {0, 0};
    int nc = 0;
    const char *p = pattern, *q = path;
    while (*p && *q) {
        if (*p == ':') {
            const char *e = strchr(q, '/');
            size_t n = e ? (size_t)(e - q) : strlen(q);
            if (n == 0 || nc >= 2)
                return 0;
            caps[nc] = q;
            caplen[nc++] = n;
            q += n;
            p++;
        } else if (*p == *q) {
            p++;
            q++;
        } else {
            return 0;
        }
    }
    if (*p || *q)
        return 0;
    if (nc > 0)
        r->param = web_arena_strndup(&r->arena, caps[0], caplen[0]);
    if (nc > 1)
        r->param2 = web_arena_strndup(&r->arena, caps[1], caplen[1]);
    return 1;
}

static int wants_json(web_req *r)
{
    const char *f = web_arg(r, "format");
    if (f && !strcmp(f, "json"))
        return 1;
    const char *acc = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "Accept");
    return acc && strstr(acc, "application/json") && !strstr(acc, "text/html");
}

static void client_ip(web_req *r)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(r->ip, sizeof r->ip, "?");
    if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, r->ip,
                  sizeof r->ip);
    else if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, r->ip,
                  sizeof r->ip);
}

static int parse_body(web_req *r)
{
    const char *ct = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "Content-Type");
    if (!r->body.len)
        return 0;
    if (ct && !strncasecmp(ct, "multipart/form-data", 19))
        return web_form_multipart(&r->arena, ct, r->body.data, r->body.len, &r->form);
    if (!ct || !strncasecmp(ct, "application/x-www-form-urlencoded", 33))
        return web_form_urlencoded(&r->arena, r->body.data, r->body.len, &r->form);
    return -1;
}

/* The newest year with data, and ?year= when it is one of them. */
static void pick_year(web_req *r)
{
    msk_err err;
    if (view_years(r->db, &r->years, &err) || !json_is_array(r->years)) {
        json_decref(r->years);
        r->years = json_array();
    }
    const char *y = web_arg(r, "year");
    long want = 0;
    if (y) {
        char *end;
        want = strtol(y, &end, 10);
        if (*end || end == y)
            want = 0;
    }
    r->year = json_array_size(r->years) ? (int)json_integer_value(json_array_get(r->years, 0)) : 0;
    if (want >= 2000 && want <= 2100)
        r->year = (int)want;
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    msk_buf *b = cls;
    msk_buf_printf(b, "&%s=%s", key, value ? value : "");
    return MHD_YES;
}

/* The key of the rendered page: what the page depends on besides the data — the form (HTML or
 * JSON), the role (and the operator's school), the path and the query. 0 when too long. */
static int page_key(web_req *r)
{
    msk_buf b;
    msk_buf_init(&b, 1024);
    /* today's date too: a page may say what is due this month (the dashboard's roadmap) */
    char today[16];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    msk_buf_printf(&b, "%c%d|%s|%d|%s|%s?", r->json ? 'J' : 'H', r->user.role,
                   r->user.role == VIEW_SCHOOL ? r->user.school : "", r->year, today, r->path);
    MHD_get_connection_values(r->con, MHD_GET_ARGUMENT_KIND, add_arg, &b);
    if (!b.failed)
        r->cache_key = web_arena_strndup(&r->arena, b.data, b.len);
    msk_buf_release(&b);
    return r->cache_key != NULL;
}

/* A database removed, replaced or failing under the server is a 503 for every request (the
 * store keeps no half change: each write is one transaction), never a crash. 1 when lost. */
static int db_lost(web_req *r)
{
    msk_err err;
    msk_err_clear(&err);
    if (!store_lost(r->db, &err))
        return 0;
    r->cache_control = NULL;
    r->location[0] = '\0';
    r->ncookies = 0;
    r->disposition[0] = '\0';
    web_fail(r, 503,
             "База данных временно недоступна: файл базы данных на сервере удалён, заменён или "
             "не читается. Изменения не потеряны — сообщите администратору, ему нужно "
             "проверить файл и перезапустить сервер.");
    return 1;
}

static void dispatch(web_req *r)
{
    const web_route *rt = NULL;
    int path_known = 0;
    for (size_t i = 0; i < WEB_NROUTES; i++) {
        if (!route_match(r, WEB_ROUTES[i].pattern, r->path))
            continue;
        path_known = 1;
        if (!strcmp(WEB_ROUTES[i].method, r->method) ||
            (!strcmp(WEB_ROUTES[i].method, "GET") && !strcmp(r->method, "HEAD"))) {
            rt = &WEB_ROUTES[i];
            break;
        }
    }
    r->json = wants_json(r);
    r->db = web_pool_get(r->srv);
    if (db_lost(r))
        return;
    web_auth_session(r);
    pick_year(r);
    if (!rt) {
        if (path_known)
            web_fail(r, 405, "Метод %s не поддерживается для этого адреса", r->method);
        else
            web_fail(r, 404, "Страница не найдена");
        return;
    }
    if (r->post && parse_body(r)) {
        web_fail(r, 400, "Не удалось разобрать данные формы");
        return;
    }
    if (r->user.role < rt->min_role) {
        if (r->user.role == VIEW_PUBLIC)
            web_fail(r, 401, "Войдите, чтобы открыть эту страницу");
        else
            web_fail(r, 403, "Эта страница доступна роли «%s» и выше; ваша роль — «%s»",
                     web_role_name(rt->min_role), web_role_name(r->user.role));
        return;
    }
    if (r->post && !web_csrf_ok(r)) {
        web_fail(r, 403,
                 "Форма устарела или отправлена с другого сайта (нет токена CSRF). "
                 "Обновите страницу и отправьте форму ещё раз.");
        return;
    }
    if (rt->cache && !r->post && r->year && page_key(r) && web_page_cached(r))
        return;
    if (rt->fn(r))
        web_fail(r, 500, "Внутренняя ошибка сервера");
    if (r->status == 500)
        db_lost(r); /* a page that failed because the database went away says so */
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    web_server *srv = cls;
    web_req *r = *con_cls;
    if (!r) {
        r = msk_calloc(1, sizeof *r);
        r->srv = srv;
        r->con = con;
        r->method = method;
        r->path = url;
        r->post = !strcmp(method, "POST");
        r->status = 200;
        size_t cap = !strcmp(url, "/imports") ? UPLOAD_MAX : BODY_MAX;
        msk_buf_init(&r->body, cap);
        msk_buf_init(&r->out, 64u * 1024 * 1024);
        client_ip(r);
        *con_cls = r;
        const char *cl = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > cap) {
            r->responded = 1;
            r->json = wants_json(r);
            web_fail(r, 413, "Слишком большой запрос: не больше %zu МБ", cap / (1024 * 1024) + 0);
            return send_response(r);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!r->responded && msk_buf_add(&r->body, upload_data, *upload_data_size)) {
            r->responded = 1;
            r->json = wants_json(r);
            web_fail(r, 413, "Слишком большой запрос");
            *upload_data_size = 0;
            return send_response(r);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->responded)
        return MHD_YES;
    r->responded = 1;
    dispatch(r);
    web_pool_put(r->srv, r->db); /* the connection goes back before the bytes go out */
    r->db = NULL;
    if (!strcmp(method, "HEAD"))
        msk_buf_reset(&r->out);
    return send_response(r);
}

static void on_completed(void *cls, struct MHD_Connection *con, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    req_free(*con_cls);
    *con_cls = NULL;
}

/* ---- lifecycle ---- */

static int parse_listen(const char *s, struct sockaddr_in *sa, msk_err *err)
{
    char host[64];
    const char *colon = strrchr(s, ':');
    if (!colon || (size_t)(colon - s) >= sizeof host)
        return msk_error(err, "--listen: ожидается АДРЕС:ПОРТ, например 127.0.0.1:8080");
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    if (*end || end == colon + 1 || port < 0 || port > 65535 ||
        inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &sa->sin_addr) != 1)
        return msk_error(err,
                         "--listen: ожидается АДРЕС:ПОРТ, например 127.0.0.1:8080, "
                         "получено «%s»",
                         s);
    sa->sin_port = htons((uint16_t)port);
    return 0;
}

int web_serve(const web_opts *o, volatile sig_atomic_t *stop, msk_err *err)
{
    struct sockaddr_in sa;
    if (parse_listen(o->listen ? o->listen : "127.0.0.1:8080", &sa, err))
        return -1;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int threads = o->threads > 0 ? o->threads : (int)(ncpu > 2 ? ncpu * 2 : 4);
    web_server *srv = msk_calloc(1, sizeof *srv);
    int rc = -1;
    struct MHD_Daemon *d = NULL;
    snprintf(srv->db, sizeof srv->db, "%s", o->db);
    pthread_mutex_init(&srv->pool_mu, NULL);
    pthread_cond_init(&srv->pool_cv, NULL);
    pthread_mutex_init(&srv->cache_mu, NULL);
    pthread_mutex_init(&srv->load_mu, NULL);
    pthread_mutex_init(&srv->limit_mu, NULL);
    pthread_mutex_init(&srv->page_mu, NULL);
    srv->pool = msk_calloc((size_t)threads + 1, sizeof *srv->pool);
    for (int i = 0; i < threads + 1; i++) {
        if (store_open(o->db, STORE_WRITE, &srv->pool[i], err))
            goto out;
        srv->npool++;
        if (i == 0 && !store_is_initialised(srv->pool[0])) {
            msk_error(err, "база данных %s не подготовлена: сначала выполните «msoko init --db %s»",
                      o->db, o->db);
            goto out;
        }
    }
    srv->nfree = srv->npool;
    for (size_t i = 0; i < WEB_NASSETS; i++) /* ETags once, before any thread asks */
        web_asset_etag(&WEB_ASSETS[i]);
    { /* warm the cache with the newest year: the first visitor should not wait for it */
        store *s = srv->pool[0];
        json_t *years = NULL;
        msk_err e2;
        if (!view_years(s, &years, &e2) && json_array_size(years)) {
            view_year *v = NULL;
            if (!web_cache_get(srv, s, (int)json_integer_value(json_array_get(years, 0)), &v, &e2))
                web_cache_put(srv, v);
        }
        json_decref(years);
    }
    d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO, 0, NULL, NULL, on_request, srv,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(64 * 1024), MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1, MHD_OPTION_END);
    if (!d) {
        msk_error(err, "не удалось занять адрес %s: %s (порт занят или нет прав)",
                  o->listen ? o->listen : "127.0.0.1:8080", strerror(errno));
        goto out;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char host[64], url[128];
    inet_ntop(AF_INET, &sa.sin_addr, host, sizeof host);
    snprintf(url, sizeof url, "http://%s:%u", host, di ? (unsigned)di->port : 0u);
    if (o->on_listen)
        o->on_listen(url, o->ctx);
    while (!*stop) {
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    rc = 0;
out:
    if (d)
        MHD_stop_daemon(d); /* waits for the requests in flight */
    cache_release_all(srv);
    for (int i = 0; i < srv->npool; i++)
        store_close(srv->pool[i]);
    free(srv->pool);
    pthread_mutex_destroy(&srv->pool_mu);
    pthread_cond_destroy(&srv->pool_cv);
    pthread_mutex_destroy(&srv->cache_mu);
    pthread_mutex_destroy(&srv->load_mu);
    pthread_mutex_destroy(&srv->limit_mu);
    for (int i = 0; i < PAGE_SLOTS; i++)
        page_entry_clear(&srv->pages[i]);
    pthread_mutex_destroy(&srv->page_mu);
    free(srv);
    return rc;
}
