/*
 * Shared by the files of src/web/ only: the request, the route table, the store pool
 * (server.c), the caches (cache.c), the login limiter (limit.c) and the helpers every page
 * handler uses. A handler
 * follows one skeleton (STYLE.md, Fossil src/stat.c): session → permission → CSRF check before
 * any change → view model → render; the server does the first three from the route's row.
 */
#ifndef MSK_WEB_INTERNAL_H
#define MSK_WEB_INTERNAL_H

#include "app/app.h"
#include "base/buf.h"
#include "base/err.h"
#include "store/store.h"
#include "store/view.h"
#include "view/view.h"
#include "web/web.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct MHD_Connection;

/* ---- per-request arena (h2o h2o_mem_pool): freed at once when the request completes ---- */
typedef struct web_arena_block web_arena_block;
typedef struct web_arena {
    web_arena_block *head;
} web_arena;
void *web_arena_alloc(web_arena *a, size_t n);
char *web_arena_strndup(web_arena *a, const char *s, size_t n);
void web_arena_release(web_arena *a);

/* ---- forms (src/web/form.c): pure parsers, fuzzed ---- */
typedef struct web_field {
    const char *name, *value; /* NUL-terminated, in the arena */
    size_t value_len;
    const char *file_name; /* multipart: the part's filename, NULL for a plain field */
} web_field;
typedef struct web_form {
    web_field *fields;
    size_t n, cap;
} web_form;
/* application/x-www-form-urlencoded (also query strings). Returns 0, -1 on malformed input. */
int web_form_urlencoded(web_arena *a, const char *s, size_t n, web_form *f);
/* multipart/form-data with the boundary from content_type. Values point into the arena
 * (copies), so body may be released after. Returns 0, -1 on malformed input. */
int web_form_multipart(web_arena *a, const char *content_type, const char *body, size_t n,
                       web_form *f);
/* The first field called name, or NULL. */
const web_field *web_form_get(const web_form *f, const char *name);
/* The value of cookie name in a Cookie header into out; 0 found, 1 not. */
int web_cookie(const char *header, const char *name, char *out, size_t outsz);

/* ---- the logged-in person ---- */
typedef struct web_user {
    int64_t id;
    char login[64];
    int role;        /* enum view_role; VIEW_PUBLIC when nobody is logged in */
    char school[64]; /* VIEW_SCHOOL: the operator's school code */
    char csrf[72];   /* the session's CSRF token (hex) */
    char token_hash[72];
    int must_change;       /* a temporary password: only the account page until it is changed */
    int regional;          /* role "regional": an analyst of every municipality who compares them */
    char municipality[32]; /* an analyst's municipality code, "" for every one */
} web_user;

typedef struct web_server web_server;
typedef struct web_route web_route;

/* ---- the login limiter (src/web/limit.c): per login+address, per login, per address ---- */
typedef struct web_limiter web_limiter;
web_limiter *web_limiter_new(void);
void web_limiter_free(web_limiter *l);
/* Before a password is checked: 0 and the attempt counted (as a failure until
 * web_limit_done forgives it), or 1 with *wait the seconds to wait. now in seconds. */
int web_limit_begin(web_limiter *l, const char *login, const char *ip, int64_t now, int *wait);
enum { WEB_LIMIT_PAIR = 1, WEB_LIMIT_LOGIN = 2, WEB_LIMIT_IP = 4 };
/* After the check: ok forgives the attempt; a failure returns the WEB_LIMIT_* that it just
 * closed (this failure was the one reaching the limit), else 0. */
int web_limit_done(web_limiter *l, const char *login, const char *ip, int64_t now, int ok);
/* May a lockout audit row be written now (one per 10 s)? *skipped: rows left out before. */
int web_limit_audit_ok(web_limiter *l, int64_t now, int *skipped);

typedef struct web_req {
    web_server *srv;
    web_limiter *limiter;
    struct MHD_Connection *con;
    const char *method, *path;
    char ip[64];
    int post;
    int secure;             /* over TLS (X-Forwarded-Proto: https from the trusted proxy) */
    const web_route *route; /* found before the body is read */
    size_t body_cap;        /* this route's body limit */
    msk_buf body;           /* the request body, capped (413 past the cap) */
    int responded;          /* a response was queued early (401, 403, 413 …) */
    int close;              /* the body was left unread: close the connection after the answer */
    int too_many_args;
    int rejected; /* the body broke a limit: the error is made, the rest of the body dropped */
    int64_t started_ms;
    web_arena arena;
    web_form form; /* POST fields (urlencoded or multipart) */
    store *db;     /* from the pool for the time of the handler */
    web_user user;
    int json;                   /* the client asked for application/json */
    int year;                   /* ?year=, else the newest year with data (0 = none) */
    json_t *years;              /* [2024, 2023, …] */
    const char *param, *param2; /* the route's ":" segments */
    view_year *vy;              /* held reference to the cached year, released at the end */
    /* the request's scope (web/scope.c, issue 17 item 2): municipality scope_muni (0: every
     * school of the installation), its code and name ("" for every one) */
    int64_t scope_muni;
    char scope_code[32], scope_name[256];
    view_scope scope; /* its schools' codes when scope_muni (view_ctx.scope), released at the end */
    const char *cache_key; /* route with cache: the rendered page's key (arena) */
    json_t *crumbs;        /* [{label, href}] */
    /* response */
    int status;
    msk_buf out;
    const char *ctype;
    const char *cache_control;
    char location[512];
    char cookies[2][320];
    int ncookies;
    char disposition[256];
    char etag[40];
    int send_fd;       /* > 0: the body is this file's first send_len bytes, not out (the */
    uint64_t send_len; /* backup download, src/web/backup.c); the response closes it */
} web_req;

typedef int (*web_handler)(web_req *r);
struct web_route {
    const char *method; /* "GET" or "POST" */
    const char
        *pattern; /* "/schools/:": a ":" segment matches one path segment (r->param, r->param2) */
    web_handler fn;
    int min_role;     /* enum view_role */
    const char *help; /* Russian, one line (the /api index) */
    int cache;        /* GET page made only from the year's view: its rendering is kept */
};
extern const web_route WEB_ROUTES[];
extern const size_t WEB_NROUTES;

/* ---- routing without a server (src/web/router.c), fuzzed by tests/fuzz/fuzz_router.c ---- */
enum {
    WEB_PATH_MAX = 1024,                    /* a longer path is refused (414) */
    WEB_BODY_PUBLIC = 8 * 1024,             /* a form anyone may post: the login */
    WEB_BODY_FORM = 256 * 1024,             /* forms of a logged-in person */
    WEB_UPLOAD_MAX = 32 * 1024 * 1024,      /* an imported file (analysts) */
    WEB_ANSWER_MAX = 12 * 1024 * 1024,      /* a school's answer: files of 5 MB (store/answer.h) */
    WEB_PLAN_FILE_UPLOAD = 6 * 1024 * 1024, /* a roadmap item's or a decision's file: 5 MB */
};
/* 1 when the decoded path n bytes long may be routed: it starts with "/", has no control byte,
 * backslash, empty, "." or ".." segment, and is valid shortest-form UTF-8. */
int web_path_ok(const char *path, size_t n);
/* The row of routes[0..n) for method and path (HEAD goes to GET), its ":" segments copied into
 * the arena as *param, *param2; NULL when none, *path_known telling 405 from 404. */
const web_route *web_route_find(const web_route *routes, size_t n, const char *method,
                                const char *path, web_arena *a, const char **param,
                                const char **param2, int *path_known);

/* ---- helpers for handlers (src/web/page.c) ---- */
/* Render data (ownership taken) with template tmpl inside the layout, or as JSON when asked;
 * public pages are suppressed here (view_suppress), whatever the handler did. Returns 0. */
int web_page(web_req *r, const char *tmpl, const char *title, json_t *data);
/* The person behind the request as a use case's actor (login, role, school): src/web/monitoring.c.
 */
void web_actor(const web_req *r, app_actor *a);
/* Public output: view_suppress, and a suppressed cell's size hidden as well. */
void web_public_only(json_t *data);
/* An error page (or {"error", "status"} JSON) with a Russian message; returns 0. */
int web_fail(web_req *r, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The error page for a view_* return code (VIEW_NOT_FOUND → 404 offering back, back_label). */
int web_view_fail(web_req *r, int rc, const msk_err *err, const char *back, const char *back_label);
/* 303 See Other to url. */
int web_redirect(web_req *r, const char *url);
/* Append a breadcrumb (href NULL for the current page). */
void web_crumb(web_req *r, const char *label, const char *href);
/* The query-string value of name, or NULL. */
const char *web_arg(web_req *r, const char *name);
/* The POST field value, or NULL. */
const char *web_field_value(web_req *r, const char *name);
/* The year's view (cached, shared); NULL with an error page already made. */
view_year *web_view_year(web_req *r);
/* The view context of the logged-in person. */
view_ctx web_ctx(const web_req *r);

/* ---- scope (src/web/scope.c): the one decision of which schools a request may know ---- */
/* Fix r's scope once per request, after the session: a school operator's is the municipality of
 * the school, an analyst's of one municipality that one (whatever ?mo= says); the regional
 * analyst, the admin, an analyst of every municipality and the guest see every school or, with
 * ?mo=CODE, that municipality's. 0, or 1 with the error page made (an unknown ?mo=: 404). */
int web_scope_resolve(web_req *r);
/* 1 when the school with this code is within r's scope (a page built from the store rather than
 * from the year's view: forms, registries, decisions, answers), 0 when it is not or unknown. */
int web_scope_school(web_req *r, const char *code);
/* Before the handler, when the scope is one municipality: a school the request names — in the
 * path (/schools/CODE…, /open/schools/CODE, /forms/FORM/CODE…), in ?school= or in a posted
 * «school» field — that is outside the scope, or unknown, gets the same 404. 0, or 1 with the
 * page made. */
int web_scope_guard(web_req *r);
const char *web_role_name(int role);

/* ---- charts (src/web/charts.c, drawn by src/report/chart.c): SVG into the model ---- */
/* School page: "dyn_table", the dynamics of every procedure in one table. */
void web_dynamics_table(json_t *school_page);
/* School page: finding["chart_svg"], the flag's chart made from its card (view_card). */
void web_chart_flag(json_t *finding, const json_t *card);
/* Evidence card: "chart_svg" (the measure per result, sorted, threshold, marked), "trend_svg"
 * (ШНОР, risk: three years), histograms[]["chart_svg"] (objectivity). */
void web_chart_card(json_t *card);
void web_chart_procedure(json_t *procedure_page);
/* Dashboard: "schools_svg", the schools against the ШНОР threshold (view "schools_share2"). */
void web_chart_dashboard(json_t *dashboard);
/* A direction's page (view/direction.h): each indicator with dynamics gets "chart_svg", its
 * values over the years as a line with the target dashed across. */
void web_chart_direction(json_t *direction_page);

/* ---- cookies (src/web/cookie.c): below both the pages and auth ---- */
#define COOKIE_SESSION "msoko_session"
#define COOKIE_SESSION_TLS "__Host-msoko_session" /* over TLS: Secure, no Domain, Path=/ */
#define COOKIE_PRE "msoko_pre"
#define COOKIE_PRE_TLS "__Host-msoko_pre"
/* Add a Set-Cookie line to the answer (two at most). */
void web_set_cookie(web_req *r, const char *value);
/* The request's Cookie header, or NULL. */
const char *web_cookie_header(web_req *r);
/* A CSRF token for the login form (sets the pre-session cookie); out 65 bytes. */
void web_login_token(web_req *r, char out[65]);
/* nbytes (≤ 64) random bytes as hex into out (2 × nbytes + 1). */
void web_hex_random(char *out, size_t nbytes);

/* ---- auth (src/web/auth.c) ---- */
/* Fill r->user from the session cookie (role VIEW_PUBLIC when none). */
void web_auth_session(web_req *r);
/* Is the POST's csrf field the session's (or, before login, the pre-session cookie's)? */
int web_csrf_ok(web_req *r);
int web_handle_login_form(web_req *r);
int web_handle_login(web_req *r);
int web_handle_logout(web_req *r);
/* "выйти на всех устройствах": every session of the person ends (audited). */
int web_handle_logout_all(web_req *r);
/* The account page (password change form, logout everywhere) and the password change. */
int web_handle_account(web_req *r);
int web_handle_password(web_req *r);
/* A new session for u (a sign-in): its cookie set, the browser's old session ended, the
 * user's last sign-in recorded, in one transaction. 0, or -1 with err. */
struct store_user;
int web_session_start(web_req *r, const struct store_user *u, char csrf[72], msk_err *err);
/* 1 when the database has no account at all (the first run), else 0 (also on an error). */
int web_no_users(web_req *r);
/* A person with a temporary password may open only the account page (to set their own), sign
 * out and fetch the stylesheets: 1 when r's route is one of those. */
int web_route_for_temporary(const web_route *rt);
/* next when it is a local path that stays one when a browser reads it, else "/". */
const char *web_safe_next(const char *next);

/* ---- the store pool (src/web/server.c) ---- */
store *web_pool_get(web_server *srv);
void web_pool_put(web_server *srv, store *s);

/* ---- the caches (src/web/cache.c, state in src/web/state.h) ---- */
/* Cached view of a year; holds a reference (release with web_cache_put). */
int web_cache_get(web_server *srv, store *s, int year, int64_t muni, view_year **out, msk_err *err);
void web_cache_put(web_server *srv, view_year *v);
/* The load generation of a cached view (0 if it is not cached). */
uint64_t web_cache_gen(web_server *srv, const view_year *v);
/* Rendered pages: 1 and body/title/crumbs (caller frees the strings) on a hit. */
int web_pcache_get(web_server *srv, const char *key, uint64_t gen, msk_buf *body, char **title,
                   char **crumbs);
void web_pcache_put(web_server *srv, const char *key, uint64_t gen, const char *body, size_t len,
                    const char *title, const char *crumbs);
/* The same, taking body (len bytes, from msk_buf_detach or malloc) over instead of copying it:
 * a page of a region's 2,000 schools is megabytes, and its copy was a fifth of building it. */
void web_pcache_keep(web_server *srv, const char *key, uint64_t gen, char *body, size_t len,
                     const char *title, const char *crumbs);
/* Serve r from the rendered-page cache: 1 when it did (the response is ready). */
int web_page_cached(web_req *r);
/* Is key the first run's key (web_opts.setup_key)? 1 yes, 0 no. */
int web_setup_key_ok(web_server *srv, const char *key);
/* Forget every cached year (after a change made through the web). */
void web_cache_invalidate(web_server *srv);
/* The decisions' effect tables laid out for the template (web/tmpl/decision_item.html): each
 * school's "rows" (its measures, at least 1), "first" measure and the "rest"; measures get
 * "is_share". src/web/decision.c. */
void web_decisions_table(json_t *items);
/* Content-Disposition of a stored file (RFC 6266): an ASCII fallback «PREFIX-ID.ext» and the
 * stored name (already cleaned: app_file_name) in filename* as UTF-8. */
void web_attachment_name(web_req *r, const char *prefix, int64_t id, const char *name);
/* The route's first parameter as a positive id: 0 and *id, 1 when it is not one. */
int web_param_id(const web_req *r, int64_t *id);
/* The multipart field name that carries a chosen file (a file input left empty sends a part
 * without a file name: not that), the last such; NULL when none. */
const web_field *web_form_file(const web_req *r, const char *name);

/* ---- embedded assets (build/gen/web_assets.c, made by web/embed.c) ---- */
typedef struct web_asset {
    const char *name; /* path under web/: "tmpl/layout.html", "static/style.css" */
    const unsigned char *data;
    size_t len;
} web_asset;
extern const web_asset WEB_ASSETS[];
extern const size_t WEB_NASSETS;
const web_asset *web_asset_find(const char *name);
/* Strong ETag of an asset ("\"hex\""), computed once. */
const char *web_asset_etag(const web_asset *a);
/* Template text by name ("layout" → tmpl/layout.html). */
const char *web_template(void *ctx, const char *name, size_t *len);

#endif
