/*
 * Sessions, passwords and CSRF (DESIGN.md "Web"). A session is a random 32-byte token in an
 * HttpOnly, SameSite=Strict cookie; the database keeps only its SHA-256, so a copy of the file
 * logs nobody in. Every session has its own CSRF token, put in every form and compared on every
 * POST; the login form, which comes before any session, uses a random pre-session cookie
 * compared with the form's field (double submit). Passwords: argon2id (crypto_pwhash_str).
 * Failed logins are limited per login and per address, in memory. Logins and logouts are not
 * audit rows: the audit records changes of data, and store_data_stamp counts it, so an audited
 * login would make every server reload its cached years (seconds for a big region).
 */
#include "web/internal.h"

#include "store/user.h"
#include "web/pass.h"

#include <sodium.h>

#include <microhttpd.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

enum { SESSION_HOURS = 12 };

#define COOKIE_SESSION "msoko_session"
#define COOKIE_PRE "msoko_pre"

static void hex_random(char *out, size_t nbytes)
{
    unsigned char b[64];
    randombytes_buf(b, nbytes);
    sodium_bin2hex(out, nbytes * 2 + 1, b, nbytes);
}

static void token_hash(const char *token, char out[72])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, 65, h, sizeof h);
}

static void iso_utc(time_t t, char out[32])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int role_of(const char *name)
{
    if (!strcmp(name, "admin"))
        return VIEW_ADMIN;
    if (!strcmp(name, "analyst"))
        return VIEW_ANALYST;
    if (!strcmp(name, "school"))
        return VIEW_SCHOOL;
    return VIEW_PUBLIC;
}

void web_auth_session(web_req *r)
{
    memset(&r->user, 0, sizeof r->user);
    r->user.role = VIEW_PUBLIC;
    const char *h = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "Cookie");
    char token[80];
    if (!h || web_cookie(h, COOKIE_SESSION, token, sizeof token) || strlen(token) != 64)
        return;
    char th[72], now[32], csrf[72];
    token_hash(token, th);
    iso_utc(time(NULL), now);
    store_user u;
    msk_err err;
    if (store_session_get(r->db, th, now, &u, csrf, &err))
        return;
    r->user.id = u.id;
    snprintf(r->user.login, sizeof r->user.login, "%s", u.login);
    snprintf(r->user.school, sizeof r->user.school, "%s", u.school);
    snprintf(r->user.csrf, sizeof r->user.csrf, "%s", csrf);
    snprintf(r->user.token_hash, sizeof r->user.token_hash, "%s", th);
    r->user.role = role_of(u.role);
    if (r->user.role == VIEW_SCHOOL && !u.school[0])
        r->user.role = VIEW_PUBLIC; /* an operator without a school sees what the public sees */
}

static int same(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n && n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}

int web_csrf_ok(web_req *r)
{
    const char *f = web_field_value(r, "csrf");
    if (!f)
        return 0;
    if (r->user.role != VIEW_PUBLIC)
        return same(f, r->user.csrf);
    const char *h = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "Cookie");
    char pre[80];
    return h && !web_cookie(h, COOKIE_PRE, pre, sizeof pre) && strlen(pre) == 64 && same(f, pre);
}

void web_login_token(web_req *r, char out[65])
{
    const char *h = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "Cookie");
    if (h && !web_cookie(h, COOKIE_PRE, out, 65) && strlen(out) == 64)
        return;
    hex_random(out, 32);
    char c[160];
    snprintf(c, sizeof c, COOKIE_PRE "=%s; Path=/; HttpOnly; SameSite=Strict", out);
    web_set_cookie(r, c);
}

int web_handle_login_form(web_req *r)
{
    if (r->user.role != VIEW_PUBLIC)
        return web_redirect(r, "/");
    char tok[65];
    web_login_token(r, tok);
    const char *next = web_arg(r, "next");
    web_crumb(r, "Вход", NULL);
    return web_page(r, "login", "Вход",
                    json_pack("{s:s,s:s}", "login_csrf", tok, "next", next ? next : "/"));
}

/* Only local paths: no open redirect to another site. */
static const char *safe_next(const char *next)
{
    if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strchr(next, '\r') ||
        strchr(next, '\n'))
        return "/";
    return next;
}

static int login_error(web_req *r, int status, const char *login, const char *msg)
{
    char tok[65];
    web_login_token(r, tok);
    r->status = status;
    const char *next = web_field_value(r, "next");
    web_crumb(r, "Вход", NULL);
    return web_page(r, "login", "Вход",
                    json_pack("{s:s,s:s,s:s,s:s}", "login_csrf", tok, "next", safe_next(next),
                              "error", msg, "login", login ? login : ""));
}

int web_handle_login(web_req *r)
{
    const char *login = web_field_value(r, "login"), *pass = web_field_value(r, "password");
    if (!login || !*login || !pass || !*pass)
        return login_error(r, 422, login, "Введите имя пользователя и пароль");
    char kl[96], ki[96];
    snprintf(kl, sizeof kl, "u:%s", login);
    snprintf(ki, sizeof ki, "ip:%s", r->ip);
    int wait = 0;
    if (!web_limit_ok(r->srv, kl, &wait) || !web_limit_ok(r->srv, ki, &wait)) {
        char msg[200];
        snprintf(msg, sizeof msg, "Слишком много неудачных попыток входа. Повторите через %d мин.",
                 wait);
        return login_error(r, 429, login, msg);
    }
    store_user u;
    msk_err err;
    msk_err_clear(&err);
    int rc = store_user_get(r->db, login, &u, &err);
    if (rc < 0)
        return -1;
    if (rc > 0 || u.disabled || !web_pass_verify(u.pass_hash, pass)) {
        web_limit_fail(r->srv, kl);
        web_limit_fail(r->srv, ki);
        return login_error(r, 422, login, "Неверное имя пользователя или пароль");
    }
    web_limit_clear(r->srv, kl);
    char token[72], th[72], csrf[72], exp[32], now[32];
    hex_random(token, 32);
    hex_random(csrf, 32);
    token_hash(token, th);
    time_t t = time(NULL);
    iso_utc(t, now);
    iso_utc(t + SESSION_HOURS * 3600, exp);
    if (store_begin(r->db, &err) || store_session_purge(r->db, now, &err) ||
        store_session_add(r->db, th, u.id, csrf, exp, &err) || store_commit(r->db, &err)) {
        store_rollback(r->db);
        return web_fail(r, 500, "Не удалось начать сеанс: %s", err.msg);
    }
    char c[200];
    snprintf(c, sizeof c, COOKIE_SESSION "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d",
             token, SESSION_HOURS * 3600);
    web_set_cookie(r, c);
    web_set_cookie(r, COOKIE_PRE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    const char *next = safe_next(web_field_value(r, "next"));
    if (r->json) {
        r->status = 200;
        return web_page(r, "message", "Вход выполнен",
                        json_pack("{s:s,s:s,s:s}", "login", u.login, "role", u.role, "csrf", csrf));
    }
    if (!strcmp(next, "/") && role_of(u.role) == VIEW_SCHOOL && u.school[0]) {
        char href[128];
        snprintf(href, sizeof href, "/schools/%s", u.school);
        return web_redirect(r, href);
    }
    return web_redirect(r, next);
}

int web_handle_logout(web_req *r)
{
    msk_err err;
    if (r->user.token_hash[0]) {
        if (store_begin(r->db, &err) || store_session_delete(r->db, r->user.token_hash, &err) ||
            store_commit(r->db, &err)) {
            store_rollback(r->db);
            return web_fail(r, 500, "Не удалось завершить сеанс: %s", err.msg);
        }
    }
    web_set_cookie(r, COOKIE_SESSION "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    return web_redirect(r, "/login");
}
