/*
 * The admin's pages (issue 14 п. 10): the first run of an empty database (/setup makes the
 * first admin), the accounts (/admin/users: add, reset a password, role and school, disable,
 * delete) and the monitoring forms (/admin/forms: load a description, who fills it, its
 * deadline). Every change is one use case of src/app/ (the one `msoko user` and `msoko form`
 * call), so the CLI and the web leave equal databases.
 *
 * Passwords the admin gives out are generated here and shown once, never typed by the admin:
 * as Google Workspace and Microsoft 365 do by default, so no admin-invented («School2024!») or
 * reused password gets into the database, and none is in a URL, a log or the audit. The page
 * that shows it is not cached (no-store), and the password is temporary, as those systems make
 * it by default: its owner may open only «Учётная запись» until they set their own (server.c),
 * so the admin never knows the password in use.
 *
 * The first run asks for the key `msoko serve` prints with the address (Jenkins' unlock key):
 * whoever reaches a fresh server's address first cannot claim it without reading its output.
 */
#include "web/internal.h"
#include "web/routes_internal.h"

#include "store/form.h"
#include "store/user.h"
#include "view/admin.h"
#include "web/pass.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int web_h_setup_form(web_req *r);
int web_h_setup(web_req *r);
int web_h_admin_users(web_req *r);
int web_h_admin_user_add(web_req *r);
int web_h_admin_user_password(web_req *r);
int web_h_admin_user_role(web_req *r);
int web_h_admin_user_disable(web_req *r);
int web_h_admin_user_enable(web_req *r);
int web_h_admin_user_delete(web_req *r);
int web_h_admin_forms(web_req *r);
int web_h_admin_form_load(web_req *r);
int web_h_admin_form_assign(web_req *r);

static const char *field(web_req *r, const char *name)
{
    const char *v = web_field_value(r, name);
    return v ? v : "";
}

/* ---- the first run ---------------------------------------------------------------------- */

static int setup_page(web_req *r, const char *key, const char *error, const char *error_field,
                      const char *login)
{
    char tok[65];
    web_login_token(r, tok);
    web_crumb(r, "Первый запуск", NULL);
    json_t *d =
        json_pack("{s:s,s:s,s:s}", "login_csrf", tok, "login", login ? login : "", "key", key);
    if (error) {
        json_object_set_new(d, "error", json_string(error));
        json_object_set_new(d, "error_field", json_string(error_field ? error_field : "login"));
        json_object_set_new(
            d, error_field && !strcmp(error_field, "password") ? "error_password" : "error_login",
            json_true());
    }
    return web_page(r, "setup", "Первый запуск: создайте учётную запись администратора", d);
}

/* The first run needs the key `msoko serve` printed: 403 (the page made) without it. */
static int need_key(web_req *r, const char *key)
{
    if (web_setup_key_ok(r->srv, key))
        return 0;
    web_fail(r, 403,
             "Откройте адрес первого запуска целиком, с ключом: его печатает msoko serve при "
             "запуске («пользователей ещё нет — откройте …/setup?key=…»)");
    return -1;
}

#define SETUP_DONE "Первый запуск уже выполнен: учётные записи есть, войдите под своей"

int web_h_setup_form(web_req *r)
{
    if (!web_no_users(r))
        return web_fail(r, 404, SETUP_DONE);
    const char *key = web_arg(r, "key");
    if (need_key(r, key))
        return 0;
    return setup_page(r, key, NULL, NULL, NULL);
}

int web_h_setup(web_req *r)
{
    if (!web_no_users(r))
        return web_fail(r, 404, SETUP_DONE);
    const char *login = field(r, "login"), *pw = field(r, "password"), *pw2 = field(r, "password2");
    const char *key = field(r, "key");
    if (need_key(r, key))
        return 0;
    msk_err err;
    msk_err_clear(&err);
    r->status = 422;
    if (store_user_check_login(login, &err))
        return setup_page(r, key, err.msg, "login", login);
    if (strcmp(pw, pw2))
        return setup_page(r, key, "Пароль и его повтор не совпадают", "password", login);
    if (store_password_check(login, pw, &err)) {
        char m[400];
        snprintf(m, sizeof m, "Пароль не подходит: %s", err.msg);
        return setup_page(r, key, m, "password", login);
    }
    char hash[256], csrf[72];
    if (web_pass_hash(pw, hash, sizeof hash, &err))
        return web_fail(r, 500, "%s", err.msg);
    int rc = app_user_setup(r->db, login, hash, r->ip, &err);
    if (rc == APP_FORBIDDEN)
        return web_fail(r, 404, "Первый запуск уже выполнен: %s", err.msg);
    if (rc)
        return setup_page(r, key, err.msg, "login", login);
    store_user u;
    if (store_user_get(r->db, login, &u, &err) || web_session_start(r, &u, csrf, &err))
        return web_fail(r, 500, "Администратор создан, но сеанс не начат: войдите (%s)", err.msg);
    web_cache_invalidate(r->srv);
    r->status = 0;
    return web_redirect(r, "/admin/users?first=1");
}

/* ---- users ------------------------------------------------------------------------------ */

typedef struct users_msg {
    const char *error, *error_field; /* error_field: "login", "role", "school", or a login */
    const char *done;
    const char *secret_login, *secret; /* a password shown once */
    const char *login, *role, *school; /* the add form's values, kept after an error */
} users_msg;

/* A copy of the {code, …} items with "selected" on the one whose code is chosen. */
static json_t *options(const json_t *items, const char *chosen)
{
    json_t *out = json_array(), *x;
    size_t i;
    json_array_foreach(items, i, x)
    {
        json_t *o = json_deep_copy(x);
        json_object_set_new(o, "selected", json_boolean(!strcmp(web_jstr(o, "code"), chosen)));
        json_array_append_new(out, o);
    }
    return out;
}

static int users_page(web_req *r, const users_msg *m)
{
    msk_err err;
    msk_err_clear(&err);
    json_t *d = NULL;
    if (view_admin_users(r->db, &d, &err))
        return web_fail(r, 500, "Не удалось прочитать пользователей: %s", err.msg);
    json_object_set_new(d, "me", json_string(r->user.login));
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(d, "users"), i, u)
    {
        const char *login = web_jstr(u, "login");
        json_object_set_new(u, "is_me", json_boolean(!strcmp(login, r->user.login)));
        json_object_set_new(u, "is_school", json_boolean(!strcmp(web_jstr(u, "role"), "school")));
        if (m->error && m->error_field && !strcmp(m->error_field, login))
            json_object_set_new(u, "row_error", json_string(m->error));
        json_object_set_new(u, "role_options",
                            options(json_object_get(d, "roles"), web_jstr(u, "role")));
        json_object_set_new(u, "school_options",
                            options(json_object_get(d, "schools"), web_jstr(u, "school")));
        json_object_set_new(
            u, "municipality_options",
            options(json_object_get(d, "municipalities"), web_jstr(u, "municipality")));
    }
    const char *first = web_arg(r, "first");
    if (first && !m->error && !m->done && !m->secret)
        json_object_set_new(d, "first", json_true());
    if (m->error)
        json_object_set_new(d, "error", json_string(m->error));
    if (m->error && m->error_field)
        json_object_set_new(d,
                            m->error_field[0] && !strcmp(m->error_field, "login") ? "error_login"
                            : !strcmp(m->error_field, "school")                   ? "error_school"
                            : !strcmp(m->error_field, "role")                     ? "error_role"
                                                                                  : "error_row",
                            json_true());
    if (m->done)
        json_object_set_new(d, "done", json_string(m->done));
    if (m->secret) {
        json_object_set_new(
            d, "secret", json_pack("{s:s,s:s}", "login", m->secret_login, "password", m->secret));
        r->cache_control = "no-store";
    }
    json_object_set_new(d, "add",
                        json_pack("{s:s,s:s,s:s}", "login", m->login ? m->login : "", "role",
                                  m->role ? m->role : "analyst", "school",
                                  m->school ? m->school : ""));
    /* the add form's drop-downs say which option is chosen */
    json_array_foreach(json_object_get(d, "roles"), i, u) json_object_set_new(
        u, "selected", json_boolean(!strcmp(web_jstr(u, "code"), m->role ? m->role : "analyst")));
    json_array_foreach(json_object_get(d, "schools"), i, u) json_object_set_new(
        u, "selected", json_boolean(m->school && !strcmp(web_jstr(u, "code"), m->school)));
    web_crumb(r, "Пользователи", NULL);
    char title[96];
    snprintf(title, sizeof title, "Пользователи: %d",
             (int)json_integer_value(json_object_get(d, "count")));
    return web_page(r, "admin_users", title, d);
}

int web_h_admin_users(web_req *r)
{
    users_msg m = {0};
    const char *done = web_arg(r, "done");
    if (done && !strcmp(done, "role"))
        m.done = "Роль изменена; сеансы пользователя завершены.";
    else if (done && !strcmp(done, "disable"))
        m.done = "Пользователь отключён: войти он не сможет, его сеансы завершены.";
    else if (done && !strcmp(done, "enable"))
        m.done = "Пользователь снова может войти.";
    else if (done && !strcmp(done, "delete"))
        m.done = "Пользователь удалён; журнал его действий сохранён.";
    return users_page(r, &m);
}

/* A password for login that passes the policy (a random one fails it only by chance). */
static void new_password(const char *login, char pw[17])
{
    msk_err err;
    for (int i = 0; i < 8; i++) {
        web_pass_generate(pw);
        if (!store_password_check(login, pw, &err))
            return;
    }
}

static int valid_role(const char *r)
{
    return !strcmp(r, "admin") || !strcmp(r, "analyst") || !strcmp(r, "regional") ||
           !strcmp(r, "school");
}

/* The analyst's municipality from the form (issue 17 item 2): only an analyst has one. */
static const char *municipality_of(web_req *r, const char *role)
{
    const char *m = field(r, "municipality");
    return !strcmp(role, "analyst") && m[0] ? m : NULL;
}

/* Role and school from the form: 0, or 422 with the page made. */
static int role_school(web_req *r, users_msg *m, const char *row, const char **role,
                       const char **school)
{
    *role = field(r, "role");
    *school = field(r, "school");
    m->error_field = row ? row : "role";
    if (!valid_role(*role)) {
        m->error = "Выберите роль: аналитик, региональный аналитик, оператор школы или "
                   "администратор";
        return -1;
    }
    if (!strcmp(*role, "school") && !**school) {
        m->error = "Для оператора школы выберите его школу";
        m->error_field = row ? row : "school";
        return -1;
    }
    if (strcmp(*role, "school"))
        *school = NULL; /* only an operator has a school */
    return 0;
}

int web_h_admin_user_add(web_req *r)
{
    users_msg m = {0};
    const char *login = field(r, "login"), *role, *school;
    m.login = login;
    m.role = field(r, "role");
    m.school = field(r, "school");
    msk_err err;
    msk_err_clear(&err);
    if (store_user_check_login(login, &err)) {
        m.error = err.msg;
        m.error_field = "login";
        r->status = 422;
        return users_page(r, &m);
    }
    if (role_school(r, &m, NULL, &role, &school)) {
        r->status = 422;
        return users_page(r, &m);
    }
    char pw[17], hash[256];
    new_password(login, pw);
    if (web_pass_hash(pw, hash, sizeof hash, &err))
        return web_fail(r, 500, "%s", err.msg);
    app_actor a;
    web_actor(r, &a);
    if (app_user_add_in(r->db, &a, login, hash, role, school, municipality_of(r, role), 1, &err)) {
        m.error = err.msg;
        m.error_field = strstr(err.msg, "школ") ? "school" : "login";
        r->status = 422;
        return users_page(r, &m);
    }
    web_cache_invalidate(r->srv);
    char done[200];
    snprintf(done, sizeof done, "Пользователь %s добавлен.", login);
    users_msg ok = {.done = done, .secret_login = login, .secret = pw};
    return users_page(r, &ok);
}

/* The result of an action on r->param: 1 (no such user) → 404, -1 → 422 on the page. */
static int action_failed(web_req *r, int rc, const msk_err *err)
{
    if (rc > 0)
        return web_fail(r, 404, "Нет пользователя «%s»", r->param);
    users_msg m = {.error = err->msg, .error_field = r->param};
    r->status = 422;
    return users_page(r, &m);
}

int web_h_admin_user_password(web_req *r)
{
    char pw[17], hash[256];
    msk_err err;
    msk_err_clear(&err);
    new_password(r->param, pw);
    if (web_pass_hash(pw, hash, sizeof hash, &err))
        return web_fail(r, 500, "%s", err.msg);
    app_actor a;
    web_actor(r, &a);
    int rc = app_user_passwd(r->db, &a, r->param, hash, 1, &err);
    if (rc)
        return action_failed(r, rc, &err);
    char done[200];
    snprintf(done, sizeof done, "Пароль пользователя %s сброшен; его сеансы завершены.", r->param);
    users_msg ok = {.done = done, .secret_login = r->param, .secret = pw};
    return users_page(r, &ok);
}

int web_h_admin_user_role(web_req *r)
{
    users_msg m = {0};
    const char *role, *school;
    if (role_school(r, &m, r->param, &role, &school)) {
        r->status = 422;
        return users_page(r, &m);
    }
    msk_err err;
    msk_err_clear(&err);
    app_actor a;
    web_actor(r, &a);
    int rc = app_user_role_in(r->db, &a, r->param, role, school, municipality_of(r, role), &err);
    if (rc)
        return action_failed(r, rc, &err);
    web_cache_invalidate(r->srv);
    return web_redirect(r, "/admin/users?done=role");
}

static int set_disabled(web_req *r, int disabled)
{
    msk_err err;
    msk_err_clear(&err);
    app_actor a;
    web_actor(r, &a);
    int rc = app_user_disable(r->db, &a, r->param, disabled, &err);
    if (rc)
        return action_failed(r, rc, &err);
    return web_redirect(r, disabled ? "/admin/users?done=disable" : "/admin/users?done=enable");
}

int web_h_admin_user_disable(web_req *r)
{
    return set_disabled(r, 1);
}

int web_h_admin_user_enable(web_req *r)
{
    return set_disabled(r, 0);
}

int web_h_admin_user_delete(web_req *r)
{
    msk_err err;
    msk_err_clear(&err);
    if (strcmp(field(r, "confirm"), "yes")) {
        users_msg m = {.error = "Чтобы удалить пользователя, отметьте «Да, удалить»",
                       .error_field = r->param};
        r->status = 422;
        return users_page(r, &m);
    }
    app_actor a;
    web_actor(r, &a);
    int rc = app_user_delete(r->db, &a, r->param, &err);
    if (rc)
        return action_failed(r, rc, &err);
    return web_redirect(r, "/admin/users?done=delete");
}

/* ---- forms ------------------------------------------------------------------------------ */

static int forms_page(web_req *r, const char *error, const char *error_form, const char *done)
{
    msk_err err;
    msk_err_clear(&err);
    json_t *d = NULL;
    if (view_admin_forms(r->db, &d, &err))
        return web_fail(r, 500, "Не удалось прочитать формы: %s", err.msg);
    size_t i, k;
    json_t *f, *l;
    json_array_foreach(json_object_get(d, "forms"), i, f)
    {
        /* each form's drop-down of who fills it, its value chosen */
        json_t *opts = json_array();
        json_array_foreach(json_object_get(d, "lists"), k, l)
        {
            json_t *o = json_deep_copy(l);
            json_object_set_new(o, "selected",
                                json_boolean(!strcmp(web_jstr(o, "code"), web_jstr(f, "schools"))));
            json_array_append_new(opts, o);
        }
        json_object_set_new(f, "options", opts);
        if (error && error_form && !strcmp(error_form, web_jstr(f, "code")))
            json_object_set_new(f, "row_error", json_string(error));
    }
    if (error) {
        json_object_set_new(d, "error", json_string(error));
        if (!error_form)
            json_object_set_new(d, "error_file", json_true());
    }
    if (done)
        json_object_set_new(d, "done", json_string(done));
    web_crumb(r, "Формы мониторинга", "/forms");
    web_crumb(r, "Загрузка и назначение", NULL);
    return web_page(r, "admin_forms", "Формы мониторинга: загрузка, кто сдаёт и срок", d);
}

int web_h_admin_forms(web_req *r)
{
    const char *done = web_arg(r, "done"), *code = web_arg(r, "form");
    char msg[300];
    if (done && code && !strcmp(done, "load"))
        snprintf(msg, sizeof msg, "Форма %s загружена: школы увидят её на странице «Формы».", code);
    else if (done && code && !strcmp(done, "assign"))
        snprintf(msg, sizeof msg, "Форма %s: кто сдаёт и срок сохранены.", code);
    else
        msg[0] = '\0';
    return forms_page(r, NULL, NULL, msg[0] ? msg : NULL);
}

/* The last part of a browser's file name, without control characters. */
static void base_name(const char *in, char *out, size_t outsz)
{
    const char *b = in ? in : "";
    for (const char *p = b; *p; p++)
        if (*p == '/' || *p == '\\')
            b = p + 1;
    size_t j = 0;
    for (const char *p = b; *p && j + 1 < outsz && j < 100; p++)
        out[j++] = ((unsigned char)*p < 0x20 || *p == '"') ? '_' : *p;
    out[j] = '\0';
    if (!j)
        snprintf(out, outsz, "form.ini");
}

static void on_loaded(void *ctx, const char *path, const store_form *f)
{
    (void)path;
    snprintf(ctx, 64, "%s", f->code);
}

int web_h_admin_form_load(web_req *r)
{
    const web_field *file = web_form_get(&r->form, "file");
    r->status = 422;
    if (!file || !file->file_name || !file->value_len)
        return forms_page(r, "Выберите файл описания формы (.ini)", NULL, NULL);
    char name[128], code[64] = "", msg[MSK_ERR_MSG + 200];
    base_name(file->file_name, name, sizeof name);
    if (memchr(file->value, '\0', file->value_len)) {
        snprintf(msg, sizeof msg, "«%s» — не текстовый файл: нужно описание формы в формате INI",
                 name);
        return forms_page(r, msg, NULL, NULL);
    }
    msk_err err;
    msk_err_clear(&err);
    app_actor a;
    web_actor(r, &a);
    if (app_form_load_text(r->db, &a, name, file->value, on_loaded, code, &err)) {
        if (err.row > 0)
            snprintf(msg, sizeof msg, "Файл «%s», строка %lld: %s", name, (long long)err.row,
                     err.msg);
        else
            snprintf(msg, sizeof msg, "Файл «%s»: %s", name, err.msg);
        return forms_page(r, msg, NULL, NULL);
    }
    web_cache_invalidate(r->srv);
    char href[160];
    snprintf(href, sizeof href, "/admin/forms?done=load&form=%s", code);
    r->status = 0;
    return web_redirect(r, href);
}

int web_h_admin_form_assign(web_req *r)
{
    const char *schools = field(r, "schools"), *due = field(r, "due_days");
    char *end = NULL;
    long d = strtol(due, &end, 10);
    r->status = 422;
    if (!due[0] || *end || d < 0 || d > 366)
        return forms_page(r, "Срок сдачи: целое число дней от 0 до 366 после конца периода",
                          r->param, NULL);
    msk_err err;
    msk_err_clear(&err);
    app_actor a;
    web_actor(r, &a);
    int rc = app_form_assign(r->db, &a, r->param, schools, (int)d, &err);
    if (rc > 0)
        return web_fail(r, 404, "Формы «%s» нет", r->param);
    if (rc)
        return forms_page(r, err.msg, r->param, NULL);
    web_cache_invalidate(r->srv);
    char href[160];
    snprintf(href, sizeof href, "/admin/forms?done=assign&form=%s", r->param);
    r->status = 0;
    return web_redirect(r, href);
}
