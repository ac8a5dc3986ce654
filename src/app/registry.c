/*
 * Registries (issue 15 items 2–3): loading a kind's file, the gifted pupils filled from
 * olympiad results (seed 001 п. 4.8) and confirmed by an analyst, one row saved or deleted from
 * the page. One transaction and one audit row each (docs/app.md); a school operator acts on
 * their own school's rows only.
 */
#include "app/internal.h"

#include "base/file.h"
#include "base/mem.h"
#include "base/vocab.h"
#include "engine/engine.h"
#include "store/registry.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const KINDS[] = {"teacher", "teacher_course", "expert",
                                    "gifted",  "reserve",        "practice"};

const char *app_registry_kind_code(size_t i)
{
    return i < sizeof KINDS / sizeof KINDS[0] ? KINDS[i] : NULL;
}

int app_registry_kind(const char *code, rk_kind **out, msk_err *err)
{
    char name[80], path[1100];
    char *text = NULL;
    size_t len = 0;
    int known = 0;
    *out = NULL;
    for (size_t i = 0; app_registry_kind_code(i); i++)
        known |= code && !strcmp(code, KINDS[i]);
    if (!known)
        return msk_error(err,
                         "реестра «%s» нет: teacher, teacher_course, expert, gifted, reserve, "
                         "practice",
                         code ? code : "");
    snprintf(name, sizeof name, "registries/%s", code);
    if (!engine_preset_path(name, path, sizeof path))
        return msk_error(err, "нет файла methods/registries/%s.ini (MSOKO_METHODS)", code);
    if (msk_file_read(path, 1 << 20, &text, &len, err))
        return -1;
    int rc = rk_parse(text, path, out, err);
    free(text);
    return rc;
}

/* A school operator may only act on their school; the public never reaches here. */
static int scope_ok(const app_actor *a, const char *school, msk_err *err)
{
    if (strcmp(a->role, "school"))
        return 0;
    if (!school || strcmp(school, a->school))
        return msk_error(err, "школа «%s»: вы работаете только со строками своей школы «%s»",
                         school ? school : "", a->school);
    return 0;
}

static int analyst(const app_actor *a, const char *what, msk_err *err)
{
    if (!strcmp(a->role, "analyst") || !strcmp(a->role, "admin"))
        return 0;
    return msk_error(err, "%s: доступно аналитику или администратору", what);
}

int app_registry_import(store *s, const app_actor *a, const rk_kind *k, const char *path,
                        const char *name, int year, int dry, reg_import_report *rep, msk_err *err)
{
    reg_import_opts o = {year, !strcmp(a->role, "school") ? a->school : NULL, a->login, name};
    char object[64], *after;
    if (store_begin(s, err))
        return -1;
    int rc = reg_import_file(s, k, path, &o, rep, err);
    if (rc == 0 && !dry) {
        snprintf(object, sizeof object, "registry:%s", k->code);
        json_t *j = json_pack("{s:s, s:s, s:I, s:I, s:I}", "kind", k->code, "file",
                              name ? name : path, "rows_read", (json_int_t)rep->rows_read,
                              "rows_loaded", (json_int_t)rep->rows_loaded, "rows_replaced",
                              (json_int_t)rep->rows_replaced);
        after = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        rc = app_audit(s, a, "registry.import", object, NULL, after, err);
        free(after);
    }
    if (rc != 0 || dry) {
        store_rollback(s);
        return rc;
    }
    return app_end(s, 0, err);
}

typedef struct fill_ctx {
    store *s;
    const char *user;
    int64_t added, seen;
    int failed;
    msk_err *err;
} fill_ctx;

static void fill_one(void *ctx, const store_gifted_source *g)
{
    fill_ctx *f = ctx;
    char basis[200], key[300];
    const char *subject = vocab_label(VOCAB_SUBJECT, g->subject);
    int added = 0;
    if (f->failed)
        return;
    f->seen++;
    /* seed 001 п. 4.8: основание — этап и статус ВсОШ */
    snprintf(basis, sizeof basis, "ВсОШ, %s этап, %s",
             !strcmp(g->stage, "final")      ? "заключительный"
             : !strcmp(g->stage, "regional") ? "региональный"
                                             : "муниципальный",
             !strcmp(g->status, "winner") ? "победитель" : "призёр");
    snprintf(key, sizeof key, "%s|%s", g->pupil, subject);
    json_t *d = json_pack("{s:i, s:s, s:s, s:i, s:s, s:s}", "grade", g->grade, "subject", subject,
                          "basis", basis, "confirmed", 0, "stage", g->stage, "status", g->status);
    char *data = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(d);
    if (store_registry_put(f->s, "gifted", g->year, g->school_id, g->pupil, key, data, 0, f->user,
                           0, &added, NULL, f->err))
        f->failed = 1;
    f->added += added;
    free(data);
}

int app_registry_fill_gifted(store *s, const app_actor *a, int year, int64_t *added, int64_t *seen,
                             msk_err *err)
{
    fill_ctx f = {s, a->login, 0, 0, 0, err};
    char object[64], *after;
    if (analyst(a, "заполнение реестра одарённых", err))
        return -1;
    if (store_begin(s, err))
        return -1;
    int rc = store_registry_gifted_sources(s, year, fill_one, &f, err);
    if (rc == 0 && f.failed)
        rc = -1;
    if (rc == 0) {
        snprintf(object, sizeof object, "registry:gifted:%d", year);
        json_t *j = json_pack("{s:i, s:I, s:I}", "year", year, "olympiad_results",
                              (json_int_t)f.seen, "added", (json_int_t)f.added);
        after = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        rc = app_audit(s, a, "registry.fill_gifted", object, NULL, after, err);
        free(after);
    }
    rc = app_end(s, rc, err);
    if (added)
        *added = f.added;
    if (seen)
        *seen = f.seen;
    return rc;
}

int app_registry_confirm(store *s, const app_actor *a, const char *kind, const char *code, int year,
                         int value, int64_t *changed, msk_err *err)
{
    char object[300], *before = NULL, *after = NULL;
    if (analyst(a, "подтверждение строки реестра", err))
        return -1;
    if (!code || !*code)
        return msk_error(err, "не указан код (--code)");
    if (store_begin(s, err))
        return -1;
    int rc = store_registry_snapshot(s, kind, code, year, &before, err);
    if (rc == 0 && before && !strcmp(before, "[]")) {
        store_rollback(s);
        free(before);
        return msk_error(err, "в реестре «%s» нет строк с кодом «%s»", kind, code);
    }
    if (rc == 0)
        rc = store_registry_set_int(s, kind, code, year, NULL, "confirmed", value, changed, err);
    if (rc == 0)
        rc = store_registry_snapshot(s, kind, code, year, &after, err);
    if (rc == 0) {
        snprintf(object, sizeof object, "registry:%s:%s", kind, code);
        rc = app_audit(s, a, value ? "registry.confirm" : "registry.unconfirm", object, before,
                       after, err);
    }
    free(before);
    free(after);
    return app_end(s, rc, err);
}

typedef struct one_row {
    char school[64], code[256], kind[32];
    int year, found;
    char *data;
} one_row;

static void take_row(void *ctx, const store_registry_row *r)
{
    one_row *o = ctx;
    snprintf(o->school, sizeof o->school, "%s", r->school);
    snprintf(o->code, sizeof o->code, "%s", r->code);
    snprintf(o->kind, sizeof o->kind, "%s", r->kind);
    o->year = r->year;
    o->data = msk_strdup(r->data);
    o->found = 1;
}

static char *row_image(const one_row *o)
{
    json_t *j = json_pack("{s:s, s:i, s:s, s:o}", "school", o->school, "year", o->year, "code",
                          o->code, "data", json_loads(o->data ? o->data : "{}", 0, NULL));
    char *t = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    return t;
}

int app_registry_save(store *s, const app_actor *a, const rk_kind *k, int64_t id,
                      const char *const *vals, int year, int64_t *out_id, reg_import_report *rep,
                      msk_err *err)
{
    reg_import_opts o = {year, !strcmp(a->role, "school") ? a->school : NULL, a->login, "форма"};
    one_row old = {0};
    reg_row r;
    char object[64], *before = NULL, *after = NULL;
    int64_t nid = id;
    memset(rep, 0, sizeof *rep);
    if (store_begin(s, err))
        return -1;
    int rc = 0;
    if (id) {
        rc = store_registry_get(s, id, take_row, &old, err);
        if (rc == 1 || (rc == 0 && strcmp(old.kind, k->code)))
            rc = msk_error(err, "строки реестра «%s» № %lld нет", k->name, (long long)id);
        else if (rc == 0)
            rc = scope_ok(a, old.school, err);
    }
    if (rc == 0)
        rc = reg_row_parse(s, k, vals, NULL, 1, &o, &r, rep, err);
    if (rc == 0) {
        if (id)
            rc = store_registry_update(s, id, r.year, r.school_id, r.code, r.rkey, r.data, err);
        else {
            int added = 0;
            rc = store_registry_put(s, k->code, r.year, r.school_id, r.code, r.rkey, r.data, 0,
                                    a->login, 0, &added, &nid, err);
            if (rc == 0 && !added)
                rc = msk_error(err, "строка с кодом «%s» за %d год в школе «%s» уже есть", r.code,
                               r.year, r.school);
        }
        one_row now = {0};
        snprintf(now.school, sizeof now.school, "%s", r.school);
        snprintf(now.code, sizeof now.code, "%s", r.code);
        now.year = r.year;
        now.data = r.data;
        after = row_image(&now);
        reg_row_clear(&r);
    }
    if (rc == 0) {
        before = id ? row_image(&old) : NULL;
        snprintf(object, sizeof object, "registry:%s:%lld", k->code, (long long)nid);
        rc = app_audit(s, a, id ? "registry.edit" : "registry.add", object, before, after, err);
    }
    free(old.data);
    free(before);
    free(after);
    if (rc > 0) {
        store_rollback(s);
        return 1;
    }
    rc = app_end(s, rc, err);
    if (rc == 0 && out_id)
        *out_id = nid;
    return rc;
}

int app_registry_delete(store *s, const app_actor *a, const char *kind, int64_t id, msk_err *err)
{
    one_row old = {0};
    char object[64], *before = NULL;
    if (store_begin(s, err))
        return -1;
    int rc = store_registry_get(s, id, take_row, &old, err);
    if (rc == 1 || (rc == 0 && strcmp(old.kind, kind)))
        rc = msk_error(err, "строки реестра «%s» № %lld нет", kind, (long long)id);
    if (rc == 0)
        rc = scope_ok(a, old.school, err);
    if (rc == 0 && store_registry_delete(s, id, err))
        rc = -1;
    if (rc == 0) {
        before = row_image(&old);
        snprintf(object, sizeof object, "registry:%s:%lld", kind, (long long)id);
        rc = app_audit(s, a, "registry.delete", object, before, NULL, err);
    }
    free(old.data);
    free(before);
    return app_end(s, rc, err);
}
