/*
 * Who acts and the frame of every use case: the actor of a command or a request, the one
 * audit row, the end of the transaction. See app.h and docs/app.md.
 */
#include "app/internal.h"

#include "base/mem.h"
#include "store/form.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void app_actor_set(app_actor *a, const char *login, const char *role, const char *school)
{
    MSK_ASSERT(login && login[0]); /* an anonymous change is a bug of the caller */
    snprintf(a->login, sizeof a->login, "%s", login);
    snprintf(a->role, sizeof a->role, "%s", role ? role : "");
    snprintf(a->school, sizeof a->school, "%s", school ? school : "");
}

void app_actor_cli(store *s, const char *user, app_actor *a)
{
    char login[64], role[16] = "admin", school[64] = "";
    const char *env = getenv("USER");
    if (user && *user)
        snprintf(login, sizeof login, "%s", user);
    else if (env && *env)
        snprintf(login, sizeof login, "%s", env);
    else /* issue 20, defect 7: never an empty actor */
        snprintf(login, sizeof login, "cli-%u", (unsigned)getuid());
    int64_t sid = 0;
    if (user && *user && store_user_role(s, user, role, &sid) == 0) {
        char name[256];
        if (sid <= 0 || store_school_code(s, sid, school, name))
            school[0] = '\0';
    } else {
        snprintf(role, sizeof role, "admin"); /* the operator of the machine */
    }
    app_actor_set(a, login, role, school);
}

void app_form_actor(store *s, const app_actor *a, form_actor *out)
{
    out->user = a->login;
    out->role = a->role;
    out->school_id = 0;
    if (!strcmp(a->role, "school") && a->school[0])
        store_school_id(s, a->school, &out->school_id);
}

int app_audit(store *s, const app_actor *a, const char *action, const char *object,
              const char *before, const char *after, msk_err *err)
{
    store_actor sa = {a->login, a->role, a->school};
    return store_audit_put(s, &sa, action, object, before, after, err);
}

int app_end(store *s, int rc, msk_err *err)
{
    if (rc == 0 && store_commit(s, err))
        rc = -1;
    if (rc)
        store_rollback(s);
    return rc;
}

char *app_json_str(const char *text)
{
    json_t *j = json_string(text ? text : "");
    char *out = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
    json_decref(j);
    return out ? out : msk_strdup("\"\"");
}

void app_file_name(const char *in, char *out, size_t outsz)
{
    const char *b = in ? in : "";
    for (const char *p = b; *p; p++)
        if (*p == '/' || *p == '\\')
            b = p + 1;
    size_t j = 0, cap = outsz - 1 < 100 ? outsz - 1 : 100;
    for (const char *p = b; *p && j < cap; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0xC0) { /* a lead byte: copy its whole character or stop */
            size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2, k = 1;
            while (k < len && ((unsigned char)p[k] & 0xC0) == 0x80)
                k++;
            if (k < len || j + len > cap)
                break;
            memcpy(out + j, p, len);
            j += len;
            p += len - 1;
        } else
            out[j++] = (c < 0x20 || c == '"' || c >= 0x80) ? '_' : (char)c;
    }
    out[j] = '\0';
    if (!j || !strcmp(out, ".") || !strcmp(out, ".."))
        snprintf(out, outsz, "файл");
}

int app_audit_file(store *s, const app_actor *a, const char *action, const char *object,
                   int64_t file_id, const char *name, const unsigned char *data, size_t size,
                   msk_err *err)
{
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, size);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    json_t *j = json_pack("{s:I,s:s,s:I,s:s}", "file", (json_int_t)file_id, "name", name, "size",
                          (json_int_t)size, "sha256", hex);
    char *after = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    int rc = app_audit(s, a, action, object, NULL, after, err);
    free(after);
    return rc;
}
