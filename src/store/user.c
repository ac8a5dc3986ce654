/*
 * Accounts and sessions: the SQL behind src/store/user.h. Statements are prepared per call: a
 * session lookup is one small query per request, far below the page's own cost.
 */
#include "store/user.h"

#include "base/mem.h"
#include "store/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AREA "пользователи" /* in database error messages */

int store_user_check_login(const char *login, msk_err *err)
{
    if (!login || !*login)
        return msk_error(err, "имя пользователя не может быть пустым");
    if (strlen(login) > 60)
        return msk_error(err, "имя пользователя «%.60s…» длиннее 60 символов", login);
    for (const unsigned char *p = (const unsigned char *)login; *p; p++)
        if (*p <= ' ' || *p == 0x7F || strchr("<>\"'&/\\", *p))
            return msk_error(err,
                             "имя пользователя «%s»: без пробелов, управляющих символов "
                             "и <>\"'&/\\",
                             login);
    return 0;
}

/* ASCII lower case of s into out (other bytes as they are). */
static void lower(const char *s, char *out, size_t outsz)
{
    size_t i = 0;
    for (; s[i] && i + 1 < outsz; i++)
        out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
    out[i] = '\0';
}

/* Passwords people pick first (the heads of public breach lists, and their Russian keyboard
 * twins), each at least 10 characters: shorter ones fail the length rule anyway. */
static const char *const COMMON[] = {
    "1234567890",  "12345678910",  "123456789a",  "0987654321",    "1111111111",   "0000000000",
    "1q2w3e4r5t",  "1qaz2wsx3edc", "qwertyuiop",  "qwerty1234",    "qwerty123456", "password12",
    "password123", "password1234", "passw0rd123", "administrator", "admin12345",   "admin123456",
    "iloveyou123", "asdfghjkl1",   "zxcvbnm123",  "q1w2e3r4t5",    "abcdef1234",   "abc1234567",
    "йцукенгшщз",  "пароль1234",   "пароль12345", "qwertyuiop[]",  "1234qwerasdf", "msoko12345",
    "школа12345",  "parol12345",   "welcome123",  "letmein123",    "changeme123",  "monkey12345",
};

int store_password_check(const char *login, const char *password, msk_err *err)
{
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)password; *p; p++)
        chars += (*p & 0xC0) != 0x80; /* code points, not bytes: «пароль» is 6 */
    if (chars < 10)
        return msk_error(err, "пароль слишком короткий: нужно не меньше 10 символов");
    if (strlen(password) > 256)
        return msk_error(err, "пароль длиннее 256 байт");
    char lp[260], ll[260];
    lower(password, lp, sizeof lp);
    lower(login ? login : "", ll, sizeof ll);
    if (ll[0] && strstr(lp, ll) && strlen(ll) * 2 >= strlen(lp))
        return msk_error(err, "пароль не должен повторять имя пользователя");
    for (size_t i = 0; i < sizeof COMMON / sizeof COMMON[0]; i++)
        if (!strcmp(lp, COMMON[i]))
            return msk_error(err, "этот пароль из числа самых частых: выберите другой");
    return 0;
}

/* Run a statement that returns no rows; finalizes it. */
static int run_done(store *s, db_stmt *st, msk_err *err, const char *what)
{
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE)
        return store_db_err(s, err, AREA, what);
    return 0;
}

static int school_id_of(store *s, const char *school, int64_t *id, msk_err *err)
{
    *id = 0;
    if (!school || !*school)
        return 0;
    if (store_school_id(s, school, id))
        return msk_error(err, "нет школы с кодом «%s»", school);
    return 0;
}

#define USER_COLS                                                                                  \
    "u.id, u.login, CASE WHEN u.regional = 1 THEN 'regional' ELSE u.role END, "                    \
    "coalesce(sc.code, ''), u.pass_hash, u.created_at, u.disabled, coalesce(u.last_login_at, "     \
    "''), "                                                                                        \
    "u.must_change, coalesce(mu.code, '') FROM user u LEFT JOIN school sc ON sc.id = u.school_id " \
    "LEFT JOIN municipality mu ON mu.id = u.municipality_id"

static void read_user(db_stmt *st, int c, store_user *u)
{
    u->id = db_column_int64(st, c);
    store_col_copy(u->login, sizeof u->login, st, c + 1);
    store_col_copy(u->role, sizeof u->role, st, c + 2);
    store_col_copy(u->school, sizeof u->school, st, c + 3);
    store_col_copy(u->pass_hash, sizeof u->pass_hash, st, c + 4);
    store_col_copy(u->created_at, sizeof u->created_at, st, c + 5);
    u->disabled = db_column_int(st, c + 6);
    store_col_copy(u->last_login, sizeof u->last_login, st, c + 7);
    u->must_change = db_column_int(st, c + 8);
    store_col_copy(u->municipality, sizeof u->municipality, st, c + 9);
}

int store_user_add(store *s, const char *login, const char *pass_hash, const char *role,
                   const char *school, int64_t *id, msk_err *err)
{
    int64_t sid;
    store_user old;
    if (store_user_check_login(login, err))
        return -1;
    int rc = store_user_get(s, login, &old, err);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return msk_error(err, "пользователь «%s» уже есть", login);
    if (school_id_of(s, school, &sid, err))
        return -1;
    char now[32];
    store_now(now);
    db_stmt *st;
    if (store_prep(s,
                   "INSERT INTO user(login, pass_hash, role, school_id, created_at, regional) "
                   "VALUES(?,?,?,?,?,?)",
                   &st, AREA, err))
        return -1;
    store_bind_text(st, 1, login);
    store_bind_text(st, 2, pass_hash);
    store_bind_text(st, 3, STORE_ROLE_COLUMN(role)); /* "regional": see store_user */
    store_bind_id(st, 4, sid);
    store_bind_text(st, 5, now);
    db_bind_int(st, 6, !strcmp(role, "regional"));
    if (run_done(s, st, err, "новый пользователь"))
        return -1;
    if (id)
        *id = db_last_id(s->db);
    return 0;
}

int store_user_get(store *s, const char *login, store_user *out, msk_err *err)
{
    db_stmt *st;
    if (store_prep(s, "SELECT " USER_COLS " WHERE u.login = ?", &st, AREA, err))
        return -1;
    store_bind_text(st, 1, login);
    int rc = db_step(st);
    if (rc == DB_ROW)
        read_user(st, 0, out);
    db_finalize(st);
    if (rc == DB_ROW)
        return 0;
    if (rc == DB_DONE)
        return 1;
    return store_db_err(s, err, AREA, "поиск пользователя");
}

int store_user_set_pass(store *s, const char *login, const char *pass_hash, int temporary,
                        msk_err *err)
{
    db_stmt *st;
    if (store_prep(s, "UPDATE user SET pass_hash = ?, must_change = ? WHERE login = ?", &st, AREA,
                   err))
        return -1;
    store_bind_text(st, 1, pass_hash);
    db_bind_int(st, 2, temporary ? 1 : 0);
    store_bind_text(st, 3, login);
    if (run_done(s, st, err, "смена пароля"))
        return -1;
    return db_changes(s->db) ? 0 : 1;
}

int store_user_set_role(store *s, const char *login, const char *role, const char *school,
                        msk_err *err)
{
    int64_t sid;
    if (school_id_of(s, school, &sid, err))
        return -1;
    db_stmt *st;
    if (store_prep(s, "UPDATE user SET role = ?, school_id = ?, regional = ? WHERE login = ?", &st,
                   AREA, err))
        return -1;
    store_bind_text(st, 1, STORE_ROLE_COLUMN(role));
    store_bind_id(st, 2, sid);
    db_bind_int(st, 3, !strcmp(role, "regional"));
    store_bind_text(st, 4, login);
    if (run_done(s, st, err, "смена роли"))
        return -1;
    return db_changes(s->db) ? 0 : 1;
}

int store_user_list(store *s, store_user **rows, size_t *n, msk_err *err)
{
    *rows = NULL;
    *n = 0;
    size_t cap = 0;
    db_stmt *st;
    if (store_prep(s, "SELECT " USER_COLS " ORDER BY u.login", &st, AREA, err))
        return -1;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *rows = msk_realloc(*rows, cap * sizeof **rows);
        }
        read_user(st, 0, &(*rows)[*n]);
        (*rows)[*n].pass_hash[0] = '\0';
        (*n)++;
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        free(*rows);
        *rows = NULL;
        *n = 0;
        return store_db_err(s, err, AREA, "список пользователей");
    }
    return 0;
}

/* A count of one query with an optional text parameter. */
static int count_of(store *s, const char *sql, const char *p, int64_t *n, msk_err *err)
{
    db_stmt *st;
    *n = 0;
    if (store_prep(s, sql, &st, AREA, err))
        return -1;
    if (p)
        store_bind_text(st, 1, p);
    int rc = db_step(st);
    if (rc == DB_ROW)
        *n = db_column_int64(st, 0);
    db_finalize(st);
    return rc == DB_ROW ? 0 : store_db_err(s, err, AREA, "число пользователей");
}

int store_user_count(store *s, int64_t *n, msk_err *err)
{
    return count_of(s, "SELECT count(*) FROM user", NULL, n, err);
}

int store_user_active_admins(store *s, int64_t *n, msk_err *err)
{
    return count_of(s, "SELECT count(*) FROM user WHERE role = 'admin' AND disabled = 0", NULL, n,
                    err);
}

int store_user_set_disabled(store *s, const char *login, int disabled, msk_err *err)
{
    db_stmt *st;
    if (store_prep(s, "UPDATE user SET disabled = ? WHERE login = ?", &st, AREA, err))
        return -1;
    db_bind_int(st, 1, disabled ? 1 : 0);
    store_bind_text(st, 2, login);
    if (run_done(s, st, err, disabled ? "отключение пользователя" : "включение пользователя"))
        return -1;
    return db_changes(s->db) ? 0 : 1;
}

int store_user_delete(store *s, const char *login, msk_err *err)
{
    db_stmt *st;
    if (store_prep(s, "DELETE FROM user WHERE login = ?", &st, AREA, err))
        return -1;
    store_bind_text(st, 1, login);
    if (run_done(s, st, err, "удаление пользователя"))
        return -1;
    return db_changes(s->db) ? 0 : 1;
}

int store_user_touch_login(store *s, int64_t user_id, const char *now, msk_err *err)
{
    db_stmt *st;
    if (store_prep(s, "UPDATE user SET last_login_at = ? WHERE id = ?", &st, AREA, err))
        return -1;
    store_bind_text(st, 1, now);
    db_bind_int64(st, 2, user_id);
    return run_done(s, st, err, "время входа");
}

int store_session_add(store *s, const char *token_hash, int64_t user_id, const char *csrf,
                      const char *expires_at, msk_err *err)
{
    char now[32];
    store_now(now);
    db_stmt *st;
    if (store_prep(s,
                   "INSERT INTO session(token_hash, user_id, csrf, created_at, expires_at) "
                   "VALUES(?,?,?,?,?)",
                   &st, AREA, err))
        return -1;
    store_bind_text(st, 1, token_hash);
    db_bind_int64(st, 2, user_id);
    store_bind_text(st, 3, csrf);
    store_bind_text(st, 4, now);
    store_bind_text(st, 5, expires_at);
    return run_done(s, st, err, "новый сеанс");
}

int store_session_get(store *s, const char *token_hash, const char *now, store_user *user,
                      char csrf[72], msk_err *err)
{
    db_stmt *st;
    if (store_prep(s,
                   "SELECT ss.csrf, " USER_COLS " JOIN session ss ON ss.user_id = u.id "
                   "WHERE ss.token_hash = ? AND ss.expires_at > ? AND u.disabled = 0",
                   &st, AREA, err))
        return -1;
    store_bind_text(st, 1, token_hash);
    store_bind_text(st, 2, now);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        store_col_copy(csrf, 72, st, 0);
        read_user(st, 1, user);
    }
    db_finalize(st);
    if (rc == DB_ROW)
        return 0;
    if (rc == DB_DONE)
        return 1;
    return store_db_err(s, err, AREA, "поиск сеанса");
}

int store_session_delete(store *s, const char *token_hash, msk_err *err)
{
    db_stmt *st;
    if (store_prep(s, "DELETE FROM session WHERE token_hash = ?", &st, AREA, err))
        return -1;
    store_bind_text(st, 1, token_hash);
    return run_done(s, st, err, "конец сеанса");
}

int store_session_delete_user(store *s, int64_t user_id, msk_err *err)
{
    db_stmt *st;
    if (store_prep(s, "DELETE FROM session WHERE user_id = ?", &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, user_id);
    return run_done(s, st, err, "конец сеансов пользователя");
}

int store_session_purge(store *s, const char *now, msk_err *err)
{
    db_stmt *st;
    if (store_prep(s, "DELETE FROM session WHERE expires_at <= ?", &st, AREA, err))
        return -1;
    store_bind_text(st, 1, now);
    return run_done(s, st, err, "удаление старых сеансов");
}
