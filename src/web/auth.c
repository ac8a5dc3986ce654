/*
 * Sessions, passwords and CSRF (DESIGN.md "Web"). A session is a random 32-byte token in an
 * HttpOnly, SameSite=Strict cookie; the database keeps only its SHA-256, so a copy of the file
 * logs nobody in. A login always makes a new token (and ends the session the browser came
 * with), so a token planted before the login is worth nothing after it (ASVS 3.2.1). Over TLS
 * (X-Forwarded-Proto: https from the trusted proxy) the cookie is `__Host-msoko_session` with
 * Secure: it cannot be set by a plain-HTTP page or a sibling domain. Every session has its own
 * CSRF token, put in every form and compared on every POST; the login form, which comes before
 * any session, uses a random pre-session cookie compared with the form's field (double
 * submit). Passwords: argon2id (crypto_pwhash_str); a login that does not exist is checked
 * against a dummy hash, so both answers take the same time. Failed logins go through the
 * limiter (src/web/limit.c); a lockout is an audit row. Logins and logouts are not: the audit
 * records changes, and store_data_stamp counts its rows, so an audited login would make every
 * server reload its cached years.
 */
#include "web/internal.h"

#include "app/app.h"
#include "store/user.h"
#include "web/pass.h"

#include <sodium.h>

#include <microhttpd.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

enum { SESSION_HOURS = 12 };

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

/* A hash of a random password, made once: what a login that does not exist is checked
 * against, so that it costs what a wrong password of a real one costs (no enumeration). */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    char pw[33];
    msk_err err;
    web_hex_random(pw, 16);
    if (web_pass_hash(pw, dummy_hash, sizeof dummy_hash, &err))
        dummy_hash[0] = '\0';
}

static int role_of(const char *name)
{
    if (!strcmp(name, "admin"))
        return VIEW_ADMIN;
    if (!strcmp(name, "analyst") || !strcmp(name, "regional"))
        return VIEW_ANALYST;
    if (!strcmp(name, "school"))
        return VIEW_SCHOOL;
    return VIEW_PUBLIC;
}

/* The session cookie line: token "" clears it. */
static void set_session_cookie(web_req *r, const char *token)
{
    char c[240];
    if (token[0])
        snprintf(c, sizeof c, "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s",
                 r->secure ? COOKIE_SESSION_TLS : COOKIE_SESSION, token, SESSION_HOURS * 3600,
                 r->secure ? "; Secure" : "");
    else
        snprintf(c, sizeof c, "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
                 r->secure ? COOKIE_SESSION_TLS : COOKIE_SESSION, r->secure ? "; Secure" : "");
    web_set_cookie(r, c);
}

void web_auth_session(web_req *r)
{
    memset(&r->user, 0, sizeof r->user);
    r->user.role = VIEW_PUBLIC;
    const char *h = web_cookie_header(r);
    char token[80];
    /* over TLS only the __Host- cookie counts: a plain one may have been set over HTTP */
    if (!h || web_cookie(h, r->secure ? COOKIE_SESSION_TLS : COOKIE_SESSION, token, sizeof token) ||
        strlen(token) != 64)
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
    r->user.must_change = u.must_change;
    r->user.regional = !strcmp(u.role, "regional");
    snprintf(r->user.municipality, sizeof r->user.municipality, "%s", u.municipality);
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
    const char *h = web_cookie_header(r);
    char pre[80];
    return h && !web_cookie(h, r->secure ? COOKIE_PRE_TLS : COOKIE_PRE, pre, sizeof pre) &&
           strlen(pre) == 64 && same(f, pre);
}

int web_handle_login_form(web_req *r)
{
    if (r->user.role != VIEW_PUBLIC)
        return web_redirect(r, "/");
    if (web_no_users(r)) /* nobody could sign in: the first run makes the admin */
        return web_redirect(r, "/setup");
    char tok[65];
    web_login_token(r, tok);
    const char *next = web_safe_next(web_arg(r, "next"));
    web_crumb(r, "Вход", NULL);
    return web_page(r, "login", "Вход", json_pack("{s:s,s:s}", "login_csrf", tok, "next", next));
}

static int hexval(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Is s (decoded once already) safe as a local path, also when a browser decodes it again? */
static int local_path(const char *s)
{
    /* one "/" then a character that cannot start an authority or a scheme: not "//", "/\",
     * "/<tab>/" (browsers drop tabs and newlines from URLs) */
    if (s[0] != '/')
        return 0;
    unsigned char c1 = (unsigned char)s[1];
    if (c1 && !((c1 >= 'a' && c1 <= 'z') || (c1 >= 'A' && c1 <= 'Z') || (c1 >= '0' && c1 <= '9') ||
                c1 == '?' || c1 == '-' || c1 == '_' || c1 == '.' || c1 == '#'))
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7F || *p == '\\')
            return 0;
        if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
            int v = hexval(p[1]) * 16 + hexval(p[2]);
            if (v < 0x20 || v == 0x7F || v == '\\' || v == '/' || v == '%')
                return 0; /* an encoded control, slash, backslash or a second encoding */
        }
    }
    return 1;
}

const char *web_safe_next(const char *next)
{
    if (!next || strlen(next) > 400 || !local_path(next))
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
                    json_pack("{s:s,s:s,s:s,s:s}", "login_csrf", tok, "next", web_safe_next(next),
                              "error", msg, "login", login ? login : ""));
}

/* An audit row for a lockout this failure caused, at most one each 10 s (the audit of a spray
 * stays small; the next row says there were others). login.* rows do not move the data
 * stamp (store_data_stamp), so they make no server reload its years. */
static void audit_lockout(web_req *r, const char *login, int closed)
{
    int skipped = 0;
    int64_t now = (int64_t)time(NULL);
    if (!closed || !web_limit_audit_ok(r->limiter, now, &skipped))
        return;
    char what[300];
    snprintf(what, sizeof what, "%s%s%s",
             (closed & WEB_LIMIT_PAIR) ? "вход с этого адреса закрыт на 15 мин; " : "",
             (closed & WEB_LIMIT_LOGIN) ? "входы под этим именем замедлены; " : "",
             (closed & WEB_LIMIT_IP) ? "адрес закрыт для всех имён на 15 мин; " : "");
    size_t n = strlen(what);
    if (n >= 2 && what[n - 2] == ';')
        what[n - 2] = '\0';
    msk_err err;
    msk_err_clear(&err);
    app_login_lockout(r->db, login, r->ip, what, skipped > 0, &err); /* the sign-in goes on */
}

enum { PASS_OK, PASS_WRONG, PASS_WAIT, PASS_ERROR };

/* Check login and password under the limiter: PASS_OK with *u, PASS_WRONG, PASS_WAIT with msg
 * saying how long, PASS_ERROR (database) with msg. */
static int check_password(web_req *r, const char *login, const char *pass, store_user *u, char *msg,
                          size_t msgsz)
{
    int wait = 0;
    int64_t now = (int64_t)time(NULL);
    if (web_limit_begin(r->limiter, login, r->ip, now, &wait)) {
        if (wait >= 60)
            snprintf(msg, msgsz, "Слишком много неудачных попыток входа. Повторите через %d мин.",
                     (wait + 59) / 60);
        else
            snprintf(msg, msgsz, "Слишком много неудачных попыток входа. Повторите через %d с.",
                     wait);
        return PASS_WAIT;
    }
    pthread_once(&dummy_once, make_dummy);
    msk_err err;
    msk_err_clear(&err);
    int rc = store_user_get(r->db, login, u, &err);
    if (rc < 0) {
        web_limit_done(r->limiter, login, r->ip, now, 1);
        snprintf(msg, msgsz, "Не удалось проверить пароль: %s", err.msg);
        return PASS_ERROR;
    }
    /* the same work whether the login exists or not */
    int good = web_pass_verify(rc == 0 ? u->pass_hash : dummy_hash, pass);
    good = good && rc == 0 && !u->disabled;
    int closed = web_limit_done(r->limiter, login, r->ip, now, good);
    if (good)
        return PASS_OK;
    audit_lockout(r, login, closed);
    return PASS_WRONG;
}

/* A new session for user u: its cookie set, the session the browser came with ended. */
static int new_session(web_req *r, const store_user *u, char csrf[72], msk_err *err)
{
    char token[72], th[72], exp[32], now[32];
    web_hex_random(token, 32);
    web_hex_random(csrf, 32);
    token_hash(token, th);
    time_t t = time(NULL);
    iso_utc(t, now);
    iso_utc(t + SESSION_HOURS * 3600, exp);
    if (store_session_purge(r->db, now, err) ||
        (r->user.token_hash[0] && store_session_delete(r->db, r->user.token_hash, err)) ||
        store_session_add(r->db, th, u->id, csrf, exp, err))
        return -1;
    set_session_cookie(r, token);
    return 0;
}

int web_session_start(web_req *r, const store_user *u, char csrf[72], msk_err *err)
{
    char now[32];
    iso_utc(time(NULL), now);
    if (store_begin(r->db, err) || new_session(r, u, csrf, err) ||
        store_user_touch_login(r->db, u->id, now, err) || store_commit(r->db, err)) {
        store_rollback(r->db);
        return -1;
    }
    return 0;
}

int web_no_users(web_req *r)
{
    int64_t n = 1;
    msk_err err;
    msk_err_clear(&err);
    return store_user_count(r->db, &n, &err) == 0 && n == 0;
}

int web_handle_login(web_req *r)
{
    const char *login = web_field_value(r, "login"), *pass = web_field_value(r, "password");
    if (!login || !*login || !pass || !*pass)
        return login_error(r, 422, login, "Введите имя пользователя и пароль");
    if (strlen(login) > 60 || strlen(pass) > 256)
        return login_error(r, 422, NULL, "Неверное имя пользователя или пароль");
    store_user u;
    char msg[300];
    switch (check_password(r, login, pass, &u, msg, sizeof msg)) {
    case PASS_WAIT:
        return login_error(r, 429, login, msg);
    case PASS_WRONG:
        return login_error(r, 422, login, "Неверное имя пользователя или пароль");
    case PASS_ERROR:
        return web_fail(r, 500, "%s", msg);
    default:
        break;
    }
    char csrf[72];
    msk_err err;
    msk_err_clear(&err);
    if (web_session_start(r, &u, csrf, &err))
        return web_fail(r, 500, "Не удалось начать сеанс: %s", err.msg);
    char c[160];
    snprintf(c, sizeof c, "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
             r->secure ? COOKIE_PRE_TLS : COOKIE_PRE, r->secure ? "; Secure" : "");
    web_set_cookie(r, c);
    const char *next = web_safe_next(web_field_value(r, "next"));
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
    set_session_cookie(r, "");
    return web_redirect(r, "/login");
}

/* ASVS 3.3.4: the person ends every session of theirs (a lost laptop, a shared computer). */
int web_handle_logout_all(web_req *r)
{
    msk_err err;
    msk_err_clear(&err);
    app_actor a;
    web_actor(r, &a);
    if (app_sessions_end_all(r->db, &a, &err))
        return web_fail(r, 500, "Не удалось завершить сеансы: %s", err.msg);
    set_session_cookie(r, "");
    return web_redirect(r, "/login");
}

int web_route_for_temporary(const web_route *rt)
{
    static const char *const ok[] = {"/account", "/account/password", "/logout", "/logout/all",
                                     "/static/:"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (!strcmp(rt->pattern, ok[i]))
            return 1;
    return 0;
}

static int account_page(web_req *r, const char *error, const char *done)
{
    web_crumb(r, "Учётная запись", NULL);
    json_t *d = json_pack("{s:s,s:s}", "login", r->user.login, "role", web_role_name(r->user.role));
    if (error)
        json_object_set_new(d, "error", json_string(error));
    if (done)
        json_object_set_new(d, "done", json_string(done));
    if (r->user.must_change)
        json_object_set_new(d, "must_change", json_true());
    return web_page(r, "account", "Учётная запись", d);
}

int web_handle_account(web_req *r)
{
    const char *done = web_arg(r, "done");
    return account_page(
        r, NULL, done ? "Пароль изменён. Другие сеансы завершены, этот продолжается." : NULL);
}

/* ASVS 2.1: the current password, then the new one under the policy; every other session ends,
 * this one gets a new token. */
int web_handle_password(web_req *r)
{
    const char *cur = web_field_value(r, "current"), *pw = web_field_value(r, "password"),
               *pw2 = web_field_value(r, "password2");
    if (!cur || !*cur || !pw || !pw2) {
        r->status = 422;
        return account_page(r, "Введите текущий пароль и новый пароль дважды", NULL);
    }
    if (strlen(cur) > 256) {
        r->status = 422;
        return account_page(r, "Текущий пароль введён неверно", NULL);
    }
    store_user u;
    char msg[300];
    switch (check_password(r, r->user.login, cur, &u, msg, sizeof msg)) {
    case PASS_WAIT:
        r->status = 429;
        return account_page(r, msg, NULL);
    case PASS_WRONG:
        r->status = 422;
        return account_page(r, "Текущий пароль введён неверно", NULL);
    case PASS_ERROR:
        return web_fail(r, 500, "%s", msg);
    default:
        break;
    }
    msk_err err;
    msk_err_clear(&err);
    if (strcmp(pw, pw2)) {
        r->status = 422;
        return account_page(r, "Новый пароль и его повтор не совпадают", NULL);
    }
    if (store_password_check(u.login, pw, &err)) {
        r->status = 422;
        char m[300];
        snprintf(m, sizeof m, "Новый пароль не подходит: %s", err.msg);
        return account_page(r, m, NULL);
    }
    char hash[256], csrf[72];
    if (web_pass_hash(pw, hash, sizeof hash, &err))
        return web_fail(r, 500, "%s", err.msg);
    /* the password and the end of every session are one use case (the CLI's too); this
     * browser then gets a new session */
    app_actor a;
    web_actor(r, &a);
    if (app_user_passwd(r->db, &a, u.login, hash, 0, &err))
        return web_fail(r, 500, "Пароль не изменён: %s", err.msg);
    if (store_begin(r->db, &err) || new_session(r, &u, csrf, &err) || store_commit(r->db, &err)) {
        store_rollback(r->db);
        return web_fail(r, 500, "Пароль изменён, но сеанс не начат: войдите снова (%s)", err.msg);
    }
    web_cache_invalidate(r->srv);
    return web_redirect(r, "/account?done=1");
}
