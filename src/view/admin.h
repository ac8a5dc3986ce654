/*
 * The admin's pages (issue 14 п. 10): the accounts with their roles and schools, and the
 * monitoring forms with who fills them and their deadline. View models only; the changes are
 * use cases in src/app/user.c and src/app/form.c.
 */
#ifndef MSK_VIEW_ADMIN_H
#define MSK_VIEW_ADMIN_H

#include "base/err.h"
#include "store/store.h"

#include <jansson.h>

/* {"users": [{"login", "role", "role_label", "school", "school_name", "created_at",
 * "last_login" (ISO or null), "last_login_label", "disabled", "must_change" (a temporary password
 * not yet replaced)}] by login, "schools": [{"code",
 * "name"}] by code (the operator's school is chosen from these), "roles": [{"code", "label"}],
 * "count", "admins" (admins who can sign in)}. 0, or -1 with err. */
int view_admin_users(store *s, json_t **out, msk_err *err);

/* {"forms": [{"code", "name", "period_kind", "source", "schools", "schools_label",
 * "due_days"}] by code, "lists": [{"code", "label"}] (who may fill a form: "" all schools, then
 * the lists)}. 0, or -1 with err. */
int view_admin_forms(store *s, json_t **out, msk_err *err);

#endif
