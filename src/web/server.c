/*
 * The HTTP server: libmicrohttpd with an internal thread pool, a small pool of store handles
 * (one SQLite connection is not shared between threads), the cache of loaded years (shared,
 * read-only, reloaded when the store's stamp changes), and the request lifecycle: route →
 * session → role → body cap decided from the headers alone (401/403/413 before one byte of a
 * body is kept), body collected under the route's cap, CSRF → handler, the whole response
 * built before it is sent, the request's memory freed in the completed callback (STYLE.md
 * "Errors and ownership"). Connections are bounded: per address and in total, and each request
 * has an absolute deadline that trickled bytes do not move (a watchdog in the serving loop).
 */
#include "web/state.h"

#include "base/mem.h"
#include "store/backup.h"

#include <microhttpd.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ms(void)
{
    return web_now_ms();
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

/* ---- the connection watchdog ---- */

static void on_connection(void *cls, struct MHD_Connection *con, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    web_server *srv = cls;
    pthread_mutex_lock(&srv->conn_mu);
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(con, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_context = NULL;
        for (size_t i = 0; ci && i < sizeof srv->conns / sizeof srv->conns[0]; i++)
            if (!srv->conns[i].used) {
                srv->conns[i] = (conn_slot){ci->connect_fd, 1, now_ms() + HEADERS_MS};
                *socket_context = &srv->conns[i];
                break;
            }
    } else if (*socket_context) { /* before libmicrohttpd closes the socket */
        conn_slot *c = *socket_context;
        c->used = 0;
        c->deadline_ms = 0;
        *socket_context = NULL;
    }
    pthread_mutex_unlock(&srv->conn_mu);
}

/* The request on con must be over within ms from now (0: no deadline while a handler runs). */
static void conn_deadline(web_server *srv, struct MHD_Connection *con, int64_t ms)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(con, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    if (!ci || !ci->socket_context)
        return;
    pthread_mutex_lock(&srv->conn_mu);
    conn_slot *c = ci->socket_context;
    if (c->used)
        c->deadline_ms = ms ? now_ms() + ms : 0;
    pthread_mutex_unlock(&srv->conn_mu);
}

/* Shut down the sockets past their deadline: the request line trickled a byte at a time, a
 * body that never ends, an answer nobody reads. */
static void watchdog(web_server *srv)
{
    int64_t t = now_ms();
    pthread_mutex_lock(&srv->conn_mu);
    for (size_t i = 0; i < sizeof srv->conns / sizeof srv->conns[0]; i++) {
        conn_slot *c = &srv->conns[i];
        if (c->used && c->deadline_ms && t > c->deadline_ms) {
            shutdown(c->fd, SHUT_RDWR);
            c->deadline_ms = 0;
        }
    }
    pthread_mutex_unlock(&srv->conn_mu);
}

/* ---- requests ---- */

static void req_free(web_req *r)
{
    if (!r)
        return;
    web_cache_put(r->srv, r->vy);
    view_scope_release(&r->scope);
    web_pool_put(r->srv, r->db);
    json_decref(r->years);
    json_decref(r->crumbs);
    if (r->srv)
        __atomic_sub_fetch(&r->srv->bodies, r->body.len, __ATOMIC_RELAXED);
    msk_buf_release(&r->body);
    msk_buf_release(&r->out);
    if (r->send_fd > 0)
        close(r->send_fd);
    web_arena_release(&r->arena);
    free(r);
}

static void add_security_headers(web_req *r, struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; script-src 'self'; style-src 'self'; "
                            "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                            "form-action 'self'; frame-ancestors 'none'");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
    if (r->secure)
        MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
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
    add_security_headers(r, resp);
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
    if (r->close) /* a body left unread: the connection cannot carry another request */
        MHD_add_response_header(resp, "Connection", "close");
    conn_deadline(r->srv, r->con, SEND_MS);
    enum MHD_Result ret = MHD_queue_response(r->con, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static int wants_json(web_req *r)
{
    const char *f = web_arg(r, "format");
    if (f && !strcmp(f, "json"))
        return 1;
    const char *acc = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "Accept");
    return acc && strstr(acc, "application/json") && !strstr(acc, "text/html");
}

/* The client's address; behind the trusted proxy, the last address of X-Forwarded-For (the
 * one the proxy added) and whether TLS ended there. */
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
    if (!r->srv->trusted_proxy[0] || strcmp(r->ip, r->srv->trusted_proxy))
        return;
    const char *proto = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "X-Forwarded-Proto");
    r->secure = proto && !strcasecmp(proto, "https");
    const char *xff = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "X-Forwarded-For");
    if (xff) {
        const char *last = strrchr(xff, ',');
        last = last ? last + 1 : xff;
        while (*last == ' ')
            last++;
        unsigned char a[16];
        char tmp[64];
        snprintf(tmp, sizeof tmp, "%s", last);
        tmp[strcspn(tmp, " ")] = '\0';
        if (inet_pton(AF_INET, tmp, a) == 1 || inet_pton(AF_INET6, tmp, a) == 1)
            snprintf(r->ip, sizeof r->ip, "%s", tmp);
    }
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
    json_decref(r->years);
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
    msk_buf_printf(&b, "%c%d|%s|%" PRId64 "|%d|%s|%s?", r->json ? 'J' : 'H', r->user.role,
                   r->user.role == VIEW_SCHOOL ? r->user.school : "", r->scope_muni, r->year, today,
                   r->path);
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

/* Header facts the checks below need, gathered in one pass. */
typedef struct hdr_facts {
    int n_length, n_te, bad_length, n_host;
    size_t n_args;
} hdr_facts;

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    hdr_facts *h = cls;
    if (kind == MHD_GET_ARGUMENT_KIND) {
        h->n_args++;
        return MHD_YES;
    }
    if (!strcasecmp(key, "Content-Length")) {
        h->n_length++;
        if (!value || !*value || strspn(value, "0123456789") != strlen(value))
            h->bad_length = 1;
    } else if (!strcasecmp(key, "Transfer-Encoding")) {
        h->n_te++;
    } else if (!strcasecmp(key, "Host")) {
        h->n_host++;
    }
    return MHD_YES;
}

/* RFC 9112 §6.3, §11.2: a message whose length two headers could tell differently is refused
 * (request smuggling through a proxy that reads the other one). */
static int framing_ok(web_req *r)
{
    hdr_facts h = {0};
    MHD_get_connection_values(r->con, MHD_HEADER_KIND, count_header, &h);
    if (h.n_length > 1 || h.bad_length || (h.n_length && h.n_te) || h.n_te > 1 || h.n_host > 1)
        return 0;
    const char *te = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "Transfer-Encoding");
    return !te || !strcasecmp(te, "chunked");
}

static size_t n_args(web_req *r)
{
    hdr_facts h = {0};
    MHD_get_connection_values(r->con, MHD_GET_ARGUMENT_KIND, count_header, &h);
    return h.n_args;
}

/* The person and the years, with a store handle held only for the lookup. 1 when the
 * database is lost (the 503 is made). */
static int who_is_asking(web_req *r)
{
    r->db = web_pool_get(r->srv);
    int lost = db_lost(r);
    if (!lost) {
        web_auth_session(r);
        pick_year(r);
    }
    web_pool_put(r->srv, r->db);
    r->db = NULL;
    return lost;
}

/* The body cap of a route: small for forms (smaller before a login), large only for the
 * file an analyst imports. */
static size_t body_cap(const web_route *rt, int role)
{
    static const struct {
        const char *method, *pattern;
        size_t cap;
    } big[] = {{"POST", "/imports", WEB_UPLOAD_MAX},
               {"POST", "/schools/:/flags/:/answer", WEB_ANSWER_MAX},
               {"POST", "/plan/:/files", WEB_PLAN_FILE_UPLOAD},
               {"POST", "/decisions/:/files", WEB_PLAN_FILE_UPLOAD},
               {"POST", "/registries/:/upload", WEB_PLAN_FILE_UPLOAD}};
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++)
        if (!strcmp(rt->method, big[i].method) && !strcmp(rt->pattern, big[i].pattern))
            return big[i].cap;
    return role == VIEW_PUBLIC ? WEB_BODY_PUBLIC : WEB_BODY_FORM;
}

/* Everything decided from the request line and headers, before one byte of a body is read:
 * framing, route, session, role, the body's cap. 1 with the error made when the request is
 * refused. */
static int check_head(web_req *r)
{
    r->json = wants_json(r);
    if (!framing_ok(r))
        return web_fail(r, 400, "Запрос составлен неверно: его длина задана неоднозначно"), 1;
    if (r->too_many_args || n_args(r) > ARGS_MAX)
        return web_fail(r, 414, "Слишком много параметров в адресе: не больше %d", ARGS_MAX), 1;
    size_t pl = strlen(r->path);
    if (pl > WEB_PATH_MAX)
        return web_fail(r, 414, "Слишком длинный адрес"), 1;
    if (!web_path_ok(r->path, pl))
        return web_fail(r, 400, "Неверный адрес страницы"), 1;
    int known = 0;
    r->route = web_route_find(WEB_ROUTES, WEB_NROUTES, r->method, r->path, &r->arena, &r->param,
                              &r->param2, &known);
    if (who_is_asking(r))
        return 1;
    if (!r->route) {
        if (known)
            return web_fail(r, 405, "Метод %s не поддерживается для этого адреса", r->method), 1;
        return web_fail(r, 404, "Страница не найдена"), 1;
    }
    if (r->user.role < r->route->min_role) {
        if (r->user.role == VIEW_PUBLIC)
            return web_fail(r, 401, "Войдите, чтобы открыть эту страницу"), 1;
        return web_fail(r, 403, "Эта страница доступна роли «%s» и выше; ваша роль — «%s»",
                        web_role_name(r->route->min_role), web_role_name(r->user.role)),
               1;
    }
    r->body_cap = body_cap(r->route, r->user.role);
    if (!r->post)
        r->body_cap = 0; /* GET, HEAD: no body */
    const char *cl = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "Content-Length");
    unsigned long long want = cl ? strtoull(cl, NULL, 10) : 0;
    if (want > r->body_cap)
        return web_fail(r, 413, "Слишком большой запрос: не больше %zu КБ", r->body_cap / 1024), 1;
    return 0;
}

static void dispatch(web_req *r)
{
    const web_route *rt = r->route;
    r->db = web_pool_get(r->srv);
    if (r->post) /* again: an upload may outlive a logout (a GET has no body to wait for) */
        web_auth_session(r);
    if (r->user.role < rt->min_role) {
        web_fail(r, 401, "Сеанс завершён, пока передавался запрос: войдите снова");
        return;
    }
    if (r->post && parse_body(r)) {
        web_fail(r, 400, "Не удалось разобрать данные формы");
        return;
    }
    if (r->post && !web_csrf_ok(r)) {
        web_fail(r, 403,
                 "Форма устарела или отправлена с другого сайта (нет токена CSRF). "
                 "Обновите страницу и отправьте форму ещё раз.");
        return;
    }
    if (r->user.must_change && !web_route_for_temporary(rt)) {
        /* a password an admin was shown: the person sets their own before anything else */
        if (r->post)
            web_fail(r, 403, "Сначала задайте свой пароль на странице «Учётная запись»");
        else
            web_redirect(r, "/account");
        return;
    }
    if (web_scope_resolve(r) || web_scope_guard(r))
        return;
    if (rt->cache && !r->post && r->year && page_key(r) && web_page_cached(r))
        return;
    if (rt->fn(r))
        web_fail(r, 500, "Внутренняя ошибка сервера");
    if (r->status == 500)
        db_lost(r); /* a page that failed because the database went away says so */
}

/* Respond before the body, leaving it unread: the connection closes after when there is one
 * (its bytes would be read as the next request). */
static enum MHD_Result refuse(web_req *r)
{
    r->responded = 1;
    const char *cl = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "Content-Length");
    r->close = (cl && strcmp(cl, "0")) ||
               MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "Transfer-Encoding");
    return send_response(r);
}

/* Called with the raw request line's target before libmicrohttpd splits its arguments: the
 * request starts here. A query of more than ARGS_MAX arguments would run the connection's
 * memory pool dry while they are split (libmicrohttpd 0.9.75 then closes the connection with
 * no answer), so the query is cut off at its "?" — the bytes are libmicrohttpd's read buffer,
 * which it is about to cut itself — and the request is answered 414. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *con)
{
    web_req *r = msk_calloc(1, sizeof *r);
    size_t n = 0;
    const char *q = strchr(uri, '?');
    for (const char *p = q; p && *p; p++)
        n += *p == '&';
    if (q && n >= ARGS_MAX) {
        r->too_many_args = 1;
        ((char *)q)[1] = '\0';
    }
    return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    web_server *srv = cls;
    web_req *r = *con_cls;
    if (!r)
        r = *con_cls = msk_calloc(1, sizeof *r);
    if (!r->srv) { /* the first call: the headers are in, the body is not */
        r->srv = srv;
        r->limiter = srv->limiter;
        r->con = con;
        r->method = method;
        r->path = url;
        r->post = !strcmp(method, "POST");
        r->status = 200;
        msk_buf_init(&r->out, 64u * 1024 * 1024);
        client_ip(r);
        int refused = check_head(r);
        msk_buf_init(&r->body, r->body_cap);
        r->started_ms = now_ms();
        if (refused)
            return refuse(r);
        conn_deadline(srv, con, r->body_cap > WEB_BODY_FORM ? UPLOAD_MS : FORM_MS);
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (r->responded || r->rejected)
            return MHD_YES; /* past an error the rest is read and dropped, under the deadline */
        /* libmicrohttpd 0.9.75 takes no answer while a body arrives: the error is made now,
         * the body dropped, the answer sent when it ends (or the deadline ends it) */
        int64_t limit = r->body_cap > WEB_BODY_FORM ? UPLOAD_MS : FORM_MS;
        if (now_ms() - r->started_ms > limit) {
            web_fail(r, 408, "Запрос передавался слишком долго: отправьте его ещё раз");
            r->rejected = 1;
        } else if (__atomic_add_fetch(&srv->bodies, n, __ATOMIC_RELAXED) > BODIES_MAX) {
            __atomic_sub_fetch(&srv->bodies, n, __ATOMIC_RELAXED);
            web_fail(r, 503, "Сервер принимает другие файлы: повторите через минуту");
            r->rejected = 1;
        } else if (!r->body_cap || msk_buf_add(&r->body, upload_data, n)) { /* 0: no cap */
            __atomic_sub_fetch(&srv->bodies, n, __ATOMIC_RELAXED);
            web_fail(r, 413, "Слишком большой запрос: не больше %zu КБ", r->body_cap / 1024);
            r->rejected = 1;
        }
        if (r->rejected) { /* the body held so far goes at once */
            __atomic_sub_fetch(&srv->bodies, r->body.len, __ATOMIC_RELAXED);
            msk_buf_release(&r->body);
        }
        return MHD_YES;
    }
    if (r->responded)
        return MHD_YES;
    r->responded = 1;
    if (r->rejected) {
        r->close = 1;
        return send_response(r);
    }
    conn_deadline(srv, con, 0); /* the handler may take its time (an import, an analysis) */
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
    web_req *r = *con_cls;
    if (r && r->srv)
        conn_deadline(r->srv, con, HEADERS_MS); /* the next request on a kept-alive connection */
    req_free(r);
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
    pthread_mutex_init(&srv->conn_mu, NULL);
    srv->limiter = web_limiter_new();
    if (o->trusted_proxy)
        snprintf(srv->trusted_proxy, sizeof srv->trusted_proxy, "%s", o->trusted_proxy);
    if (o->setup_key && strlen(o->setup_key) >= 32)
        snprintf(srv->setup_key, sizeof srv->setup_key, "%s", o->setup_key);
    else
        web_hex_random(srv->setup_key, 16);
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
            if (!web_cache_get(srv, s, (int)json_integer_value(json_array_get(years, 0)), 0, &v,
                               &e2))
                web_cache_put(srv, v);
        }
        json_decref(years);
    }
    /* behind the trusted proxy every connection comes from one address: no per-address cap;
     * strict: an HTTP/1.1 request without Host is refused (RFC 9112 §3.2) */
    unsigned per_ip = srv->trusted_proxy[0] ? CONN_TOTAL : CONN_PER_IP;
    d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO, 0, NULL, NULL, on_request, srv,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv, MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_S, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)CONN_TOTAL, MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip,
        MHD_OPTION_STRICT_FOR_CLIENT, (int)1, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(128 * 1024), MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1, MHD_OPTION_END);
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
        watchdog(srv);
    }
    rc = 0;
out:
    if (d)
        MHD_stop_daemon(d); /* waits for the requests in flight */
    web_cache_release_all(srv);
    for (int i = 0; i < srv->npool; i++)
        store_close(srv->pool[i]);
    free(srv->pool);
    pthread_mutex_destroy(&srv->pool_mu);
    pthread_cond_destroy(&srv->pool_cv);
    pthread_mutex_destroy(&srv->cache_mu);
    pthread_mutex_destroy(&srv->load_mu);
    pthread_mutex_destroy(&srv->conn_mu);
    web_limiter_free(srv->limiter);
    pthread_mutex_destroy(&srv->page_mu);
    free(srv);
    return rc;
}
