/*
 * The admin's view models (view/admin.h): accounts and forms as the admin sets them up.
 */
#include "view/admin.h"

#include "base/fmt.h"
#include "base/mem.h"
#include "base/muni.h"
#include "base/vocab.h"
#include "store/form.h"
#include "store/municipality.h"
#include "store/read.h"
#include "store/user.h"
#include "view/form.h"

#include <stdlib.h>
#include <string.h>

static void on_school(void *ctx, const store_read_school *r)
{
    json_array_append_new(ctx, json_pack("{s:s,s:s}", "code", r->code, "name", r->name));
}

static int by_code(const void *a, const void *b)
{
    return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "code")),
                  json_string_value(json_object_get(*(json_t *const *)b, "code")));
}

/* The schools by code (the reader gives them by id). */
static json_t *schools_sorted(store *s, msk_err *err)
{
    json_t *raw = json_array();
    if (store_read_schools(s, on_school, raw, err)) {
        json_decref(raw);
        return NULL;
    }
    size_t n = json_array_size(raw);
    json_t **v = n ? msk_reallocarray(NULL, n, sizeof *v) : NULL;
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++)
        v[i] = json_array_get(raw, i);
    if (n)
        qsort(v, n, sizeof *v, by_code);
    for (size_t i = 0; i < n; i++)
        json_array_append(out, v[i]);
    free(v);
    json_decref(raw);
    return out;
}

static const char *school_name(json_t *schools, const char *code)
{
    size_t i;
    json_t *x;
    json_array_foreach(schools, i, x)
    {
        if (!strcmp(json_string_value(json_object_get(x, "code")), code))
            return json_string_value(json_object_get(x, "name"));
    }
    return "";
}

int view_admin_users(store *s, json_t **out, msk_err *err)
{
    store_user *rows = NULL;
    size_t n = 0;
    *out = NULL;
    json_t *schools = schools_sorted(s, err);
    if (!schools)
        return -1;
    if (store_user_list(s, &rows, &n, err)) {
        json_decref(schools);
        return -1;
    }
    json_t *users = json_array();
    int admins = 0;
    for (size_t i = 0; i < n; i++) {
        const store_user *u = &rows[i];
        char when[64];
        fmt_datetime(u->last_login, when, sizeof when);
        admins += !strcmp(u->role, "admin") && !u->disabled;
        json_array_append_new(
            users,
            json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:b,s:b}", "login", u->login, "role",
                      u->role, "role_label", vocab_label(VOCAB_ROLE, u->role), "school", u->school,
                      "school_name", school_name(schools, u->school), "created_at", u->created_at,
                      "last_login", u->last_login[0] ? json_string(u->last_login) : json_null(),
                      "last_login_label", u->last_login[0] ? when : "не входил", "disabled",
                      u->disabled, "must_change", u->must_change));
        json_object_set_new(json_array_get(users, json_array_size(users) - 1), "municipality",
                            json_string(u->municipality));
    }
    free(rows);
    json_t *roles = json_array();
    static const char *const R[] = {"analyst", "regional", "school", "admin"};
    for (size_t i = 0; i < 4; i++)
        json_array_append_new(
            roles, json_pack("{s:s,s:s}", "code", R[i], "label", vocab_label(VOCAB_ROLE, R[i])));
    /* an analyst's municipality (issue 17 item 2): offered once there are two or more */
    store_municipality *mu = NULL;
    size_t nmu = 0;
    json_t *munis = json_array();
    if (store_municipality_list(s, &mu, &nmu, err)) {
        json_decref(munis);
        json_decref(users);
        json_decref(schools);
        json_decref(roles);
        return -1;
    }
    for (size_t i = 0; nmu > 1 && i < nmu; i++)
        json_array_append_new(munis,
                              json_pack("{s:s,s:s}", "code", mu[i].code, "name", mu[i].name));
    free(mu);
    *out = json_pack("{s:o,s:o,s:o,s:o,s:i,s:i}", "users", users, "schools", schools, "roles",
                     roles, "municipalities", munis, "count", (int)n, "admins", admins);
    return 0;
}

static void on_code(void *ctx, const char *code, const char *name, const char *period_type,
                    const char *source)
{
    (void)name, (void)period_type, (void)source;
    json_array_append_new(ctx, json_string(code));
}

int view_admin_forms(store *s, json_t **out, msk_err *err)
{
    json_t *codes = json_array(), *forms = json_array();
    *out = NULL;
    if (store_form_each(s, on_code, codes, err)) {
        json_decref(codes);
        json_decref(forms);
        return -1;
    }
    size_t i;
    json_t *code;
    json_array_foreach(codes, i, code)
    {
        store_form f;
        int rc = store_form_get(s, json_string_value(code), &f, err);
        if (rc < 0) {
            json_decref(codes);
            json_decref(forms);
            return -1;
        }
        if (rc)
            continue;
        json_array_append_new(
            forms, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:i}", "code", f.code, "name", f.name,
                             "period_kind", view_form_period_kind(f.period_type), "source",
                             muni_cite_str(f.source), "schools", f.schools, "schools_label",
                             f.schools[0] ? vocab_label(VOCAB_METHOD, f.schools) : "все школы",
                             "due_days", f.due_days, "elements", (int)f.nel));
        store_form_release(&f);
    }
    json_decref(codes);
    json_t *lists = json_array();
    json_array_append_new(lists, json_pack("{s:s,s:s}", "code", "", "label", "все школы"));
    static const char *const L[] = {"shnor", "risk", "objectivity"};
    for (size_t k = 0; k < 3; k++)
        json_array_append_new(
            lists, json_pack("{s:s,s:s}", "code", L[k], "label", vocab_label(VOCAB_METHOD, L[k])));
    *out = json_pack("{s:o,s:o}", "forms", forms, "lists", lists);
    return 0;
}
