/*
 * Account changes as use cases: the first admin of an empty database, add, password, role,
 * disable/enable, delete — each one transaction with its audit row (images without the password
 * hash); a new password, role or a disabled account ends the user's sessions. The last admin who
 * can sign in is never disabled, deleted or demoted, and nobody disables or deletes themselves:
 * either would lock the department out of its own administration.
 */
#include "app/internal.h"

#include "store/user.h"

#include <jansson.h>

#include <stdio.h>
#include "store/municipality.h"

#include <stdlib.h>
#include <string.h>

/* The analyst's municipality by code into *id (0 when none is named): only an analyst has one
 * (issue 17 item 2: a regional analyst and an admin see every municipality, an operator that of
 * the school). 0, or -1 with the message. */
static int scope_of(store *s, const char *role, const char *municipality, int64_t *id, msk_err *err)
{
    store_municipality m;
    *id = 0;
    if (!municipality || !*municipality)
        return 0;
    if (strcmp(role, "analyst"))
        return msk_error(err,
                         "муниципалитет указывается только для роли analyst (аналитик "
                         "одного муниципалитета), а не для «%s»",
                         role);
    int rc = store_municipality_find(s, municipality, &m, err);
    if (rc > 0)
        return msk_error(err, "нет муниципалитета «%s»", municipality);
    *id = m.id;
    return rc;
}

int app_user_add(store *s, const app_actor *a, const char *login, const char *pass_hash,
                 const char *role, const char *school, int temporary, msk_err *err)
{
    return app_user_add_in(s, a, login, pass_hash, role, school, NULL, temporary, err);
}

int app_user_add_in(store *s, const app_actor *a, const char *login, const char *pass_hash,
                    const char *role, const char *school, const char *municipality, int temporary,
                    msk_err *err)
{
    char *after = NULL;
    int64_t muni = 0;
    if (!login || !login[0]) /* issue 20, defect 9 */
        return msk_error(err, "имя пользователя не может быть пустым: укажите логин");
    if (store_begin(s, err))
        return -1;
    int rc = scope_of(s, role, municipality, &muni, err) ||
                     store_user_add(s, login, pass_hash, role, school, NULL, err) ||
                     (muni && store_user_set_municipality(s, login, muni, err) < 0) ||
                     (temporary && store_user_set_pass(s, login, pass_hash, 1, err)) ||
                     store_user_image(s, login, &after, err) ||
                     app_audit(s, a, "user.add", login, NULL, after, err)
                 ? -1
                 : 0;
    free(after);
    return app_end(s, rc, err);
}

/* The user's image before; 1 (with the message) when there is no such user. */
static int existing(store *s, const char *login, store_user *u, char **before, msk_err *err)
{
    int rc = store_user_get(s, login, u, err);
    if (rc > 0)
        msk_error(err, "нет пользователя «%s»", login);
    if (rc == 0 && store_user_image(s, login, before, err))
        rc = -1;
    return rc;
}

/* Would taking u away from the admins (disable, delete, another role) leave no admin who can
 * sign in? -1 with the message when it would. */
static int keeps_an_admin(store *s, const store_user *u, msk_err *err)
{
    int64_t n = 0;
    if (strcmp(u->role, "admin") || u->disabled)
        return 0;
    if (store_user_active_admins(s, &n, err))
        return -1;
    if (n <= 1)
        return msk_error(err,
                         "«%s» — последний действующий администратор: сначала назначьте "
                         "администратором другого пользователя",
                         u->login);
    return 0;
}

int app_user_setup(store *s, const char *login, const char *pass_hash, const char *addr,
                   msk_err *err)
{
    app_actor a;
    int64_t n = 0;
    char *img = NULL, *after = NULL;
    if (store_user_check_login(login, err))
        return -1;
    if (store_begin(s, err))
        return -1;
    /* counted inside BEGIN IMMEDIATE: two browsers racing on an empty database make one admin */
    int rc = store_user_count(s, &n, err) ? -1 : 0;
    if (rc == 0 && n > 0) {
        msk_error(err, "учётные записи уже есть: войдите под своей");
        rc = APP_FORBIDDEN;
    }
    app_actor_set(&a, login, "admin", "");
    if (rc == 0 && (store_user_add(s, login, pass_hash, "admin", NULL, NULL, err) ||
                    store_user_image(s, login, &img, err)))
        rc = -1;
    if (rc == 0) {
        json_t *j = json_loads(img, 0, NULL);
        if (j)
            json_object_set_new(j, "address", json_string(addr && addr[0] ? addr : "?"));
        after = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(j);
        if (!after)
            rc = msk_error(err, "не хватает памяти для записи журнала");
        else if (app_audit(s, &a, "user.setup", login, NULL, after, err))
            rc = -1;
    }
    free(img);
    free(after);
    return app_end(s, rc, err);
}

int app_user_passwd(store *s, const app_actor *a, const char *login, const char *pass_hash,
                    int temporary, msk_err *err)
{
    store_user u;
    char *before = NULL;
    if (store_begin(s, err))
        return -1;
    int rc = existing(s, login, &u, &before, err);
    if (rc == 0 && (store_user_set_pass(s, login, pass_hash, temporary, err) < 0 ||
                    store_session_delete_user(s, u.id, err) ||
                    /* the hash is never in the audit: only that it changed */
                    app_audit(s, a, "user.passwd", login, before,
                              "{\"password\":\"changed\",\"sessions\":\"ended\"}", err)))
        rc = -1;
    free(before);
    return app_end(s, rc, err);
}

int app_user_role(store *s, const app_actor *a, const char *login, const char *role,
                  const char *school, msk_err *err)
{
    return app_user_role_in(s, a, login, role, school, NULL, err);
}

int app_user_role_in(store *s, const app_actor *a, const char *login, const char *role,
                     const char *school, const char *municipality, msk_err *err)
{
    store_user u;
    char *before = NULL, *after = NULL;
    int64_t muni = 0;
    if (store_begin(s, err))
        return -1;
    int rc = existing(s, login, &u, &before, err);
    if (rc == 0 && scope_of(s, role, municipality, &muni, err))
        rc = -1;
    if (rc == 0 && strcmp(role, "admin") && keeps_an_admin(s, &u, err))
        rc = -1;
    if (rc == 0 &&
        (store_user_set_role(s, login, role, school, err) < 0 ||
         store_user_set_municipality(s, login, muni, err) < 0 ||
         store_session_delete_user(s, u.id, err) || store_user_image(s, login, &after, err) ||
         app_audit(s, a, "user.role", login, before, after, err)))
        rc = -1;
    free(before);
    free(after);
    return app_end(s, rc, err);
}

int app_user_disable(store *s, const app_actor *a, const char *login, int disabled, msk_err *err)
{
    store_user u;
    char *before = NULL, *after = NULL;
    if (disabled && !strcmp(login, a->login))
        return msk_error(err, "нельзя отключить собственную учётную запись");
    if (store_begin(s, err))
        return -1;
    int rc = existing(s, login, &u, &before, err);
    if (rc == 0 && disabled && keeps_an_admin(s, &u, err))
        rc = -1;
    if (rc == 0 &&
        (store_user_set_disabled(s, login, disabled, err) < 0 ||
         (disabled && store_session_delete_user(s, u.id, err)) ||
         store_user_image(s, login, &after, err) ||
         app_audit(s, a, disabled ? "user.disable" : "user.enable", login, before, after, err)))
        rc = -1;
    free(before);
    free(after);
    return app_end(s, rc, err);
}

int app_user_delete(store *s, const app_actor *a, const char *login, msk_err *err)
{
    store_user u;
    char *before = NULL;
    if (!strcmp(login, a->login))
        return msk_error(err, "нельзя удалить собственную учётную запись");
    if (store_begin(s, err))
        return -1;
    int rc = existing(s, login, &u, &before, err);
    if (rc == 0 && keeps_an_admin(s, &u, err))
        rc = -1;
    if (rc == 0 && (store_user_delete(s, login, err) < 0 ||
                    app_audit(s, a, "user.delete", login, before, NULL, err)))
        rc = -1;
    free(before);
    return app_end(s, rc, err);
}

int app_sessions_end_all(store *s, const app_actor *a, msk_err *err)
{
    store_user u;
    char *before = NULL;
    if (store_begin(s, err))
        return -1;
    int rc = existing(s, a->login, &u, &before, err);
    if (rc == 0 &&
        (store_session_delete_user(s, u.id, err) ||
         app_audit(s, a, "session.end_all", a->login, before, "{\"sessions\":\"ended\"}", err)))
        rc = -1;
    free(before);
    return app_end(s, rc, err);
}

int app_login_lockout(store *s, const char *login, const char *addr, const char *what, int others,
                      msk_err *err)
{
    char who[80];
    app_actor a;
    snprintf(who, sizeof who, "адрес %s", addr && addr[0] ? addr : "?");
    app_actor_set(&a, who, "", "");
    json_t *j = json_pack("{s:s,s:s,s:b}", "address", addr ? addr : "", "closed", what ? what : "",
                          "others", others);
    char *after = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (!after)
        return msk_error(err, "не хватает памяти для записи журнала");
    int rc = store_begin(s, err) ? -1 : 0;
    if (rc == 0)
        rc = app_end(s, app_audit(s, &a, "login.lockout", login, NULL, after, err) ? -1 : 0, err);
    free(after);
    return rc;
}
