/*
 * Accounts and sessions of the web application (DESIGN.md "Web"): the user, session and audit
 * tables of schema v1. Passwords arrive here already hashed (argon2id, libsodium, in
 * src/web/auth.c); session tokens arrive hashed too, so a copy of the database gives nobody a
 * way in. Roles: "admin", "analyst", "regional" (an analyst of every municipality who compares
 * them), "school" (an operator of one school, user.school_id). An analyst's scope is one
 * municipality (user.municipality_id, store/municipality.h) or, when none, every one.
 */
#ifndef MSK_STORE_USER_H
#define MSK_STORE_USER_H

#include "store/store.h"

#include <stdint.h>
#include <string.h>

typedef struct store_user {
    int64_t id;
    char login[64];
    char role[16];       /* admin, analyst, regional, school */
    char school[64];     /* code of the operator's school, "" for other roles */
    char pass_hash[256]; /* crypto_pwhash_str output */
    char created_at[32];
    char last_login[32]; /* ISO 8601 UTC of the last sign-in, "" when never */
    int disabled;
    int must_change;       /* the password is temporary: an admin issued it (web/admin.c) */
    char municipality[32]; /* code of the analyst's municipality, "" for every one */
} store_user;

/* The stored role column of a role: "regional" is kept as role 'analyst' with user.regional 1
 * (migration 22: the role's CHECK cannot be altered in place on either engine). */
#define STORE_ROLE_COLUMN(role) (strcmp((role), "regional") ? (role) : "analyst")

/* Is login acceptable: 1–60 bytes, no space, control byte or <>"'&/\ ? 0, or -1 with a
 * Russian message. store_user_add checks it too. */
int store_user_check_login(const char *login, msk_err *err);
/* The password policy: at least 10 characters, not the login (nor mostly it), not one of the
 * commonest passwords. 0, or -1 with a Russian message saying which rule. */
int store_password_check(const char *login, const char *password, msk_err *err);

/* Add a user. school is a school code for role "school" (must exist), else NULL. Returns 0,
 * or -1 with a Russian message: the login is taken, the school is unknown. */
int store_user_add(store *s, const char *login, const char *pass_hash, const char *role,
                   const char *school, int64_t *id, msk_err *err);
/* The user with this login: 0 and *out filled, 1 when there is none, -1 on a database error. */
int store_user_get(store *s, const char *login, store_user *out, msk_err *err);
/* The password hash; temporary 1 marks it as one an admin issued (the user must change it at
 * the next sign-in), 0 as the user's own. 1 when there is no such user. */
int store_user_set_pass(store *s, const char *login, const char *pass_hash, int temporary,
                        msk_err *err);
/* Change the role (and school for "school"); 1 when there is no such user. */
int store_user_set_role(store *s, const char *login, const char *role, const char *school,
                        msk_err *err);
/* Every user, by login; *rows owned by the caller (free). pass_hash is left empty. */
int store_user_list(store *s, store_user **rows, size_t *n, msk_err *err);
/* How many accounts there are (disabled ones too) into *n: the first run is the state of 0. */
int store_user_count(store *s, int64_t *n, msk_err *err);
/* How many admins can still sign in (not disabled) into *n. */
int store_user_active_admins(store *s, int64_t *n, msk_err *err);
/* Disable (1) or enable (0) an account; 1 when there is no such user. */
int store_user_set_disabled(store *s, const char *login, int disabled, msk_err *err);
/* Remove an account (its sessions go with it); 1 when there is no such user. The audit keeps
 * its login as text, so the history of what it did stays. */
int store_user_delete(store *s, const char *login, msk_err *err);
/* Record a sign-in of user_id at now (ISO 8601 UTC). Call inside the session's transaction. */
int store_user_touch_login(store *s, int64_t user_id, const char *now, msk_err *err);

/* Sessions: token_hash (hex of SHA-256 of the cookie's token), csrf (hex), expiry as ISO. */
int store_session_add(store *s, const char *token_hash, int64_t user_id, const char *csrf,
                      const char *expires_at, msk_err *err);
/* The live session's user and CSRF token: 0, or 1 when the session is unknown, expired or its
 * user disabled; -1 on a database error. now is ISO 8601 UTC. */
int store_session_get(store *s, const char *token_hash, const char *now, store_user *user,
                      char csrf[72], msk_err *err);
int store_session_delete(store *s, const char *token_hash, msk_err *err);
/* Remove every session of a user (after a password or role change). */
int store_session_delete_user(store *s, int64_t user_id, msk_err *err);
/* Remove expired sessions. */
int store_session_purge(store *s, const char *now, msk_err *err);

#endif
