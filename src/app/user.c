/*
 * Account changes as use cases: add, password, role — each one transaction with its audit
 * row (images without the password hash); a new password or role ends the user's sessions.
 */
#include "app/internal.h"

#include "store/user.h"

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>

int app_user_add(store *s, const app_actor *a, const char *login, const char *pass_hash,
                 const char *role, const char *school, msk_err *err)
{
    char *after = NULL;
    if (!login || !login[0]) /* issue 20, defect 9 */
        return msk_error(err, "имя пользователя не может быть пустым: укажите логин");
    if (store_begin(s, err))
        return -1;
    int rc = store_user_add(s, login, pass_hash, role, school, NULL, err) ||
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
        msk_error(err, "нет пользователя «%s»: msoko user list покажет всех", login);
    if (rc == 0 && store_user_image(s, login, before, err))
        rc = -1;
    return rc;
}

int app_user_passwd(store *s, const app_actor *a, const char *login, const char *pass_hash,
                    msk_err *err)
{
    store_user u;
    char *before = NULL;
    if (store_begin(s, err))
        return -1;
    int rc = existing(s, login, &u, &before, err);
    if (rc == 0 && (store_user_set_pass(s, login, pass_hash, err) < 0 ||
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
    store_user u;
    char *before = NULL, *after = NULL;
    if (store_begin(s, err))
        return -1;
    int rc = existing(s, login, &u, &before, err);
    if (rc == 0 &&
        (store_user_set_role(s, login, role, school, err) < 0 ||
         store_session_delete_user(s, u.id, err) || store_user_image(s, login, &after, err) ||
         app_audit(s, a, "user.role", login, before, after, err)))
        rc = -1;
    free(before);
    free(after);
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
