/*
 * The imports pages: upload and check a file (POST /imports), confirm or undo an import; the
 * staged uploads under the database's folder and their sweep.
 */
#include "web/internal.h"
#include "web/routes_internal.h"

#include "base/sheet.h"
#include "app/app.h"
#include "base/vocab.h"
#include "engine/engine.h"
#include "ingest/header.h"
#include "ingest/import.h"
#include "ingest/template.h"
#include "store/user.h"

#include <microhttpd.h>
#include <sodium.h>

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- imports ---- */

static int valid_token(const char *t);

enum { UPLOAD_KEEP_SECONDS = 24 * 3600 }; /* a checked file waits a day for its confirmation */

/* Remove the checked uploads nobody confirmed within UPLOAD_KEEP_SECONDS: each is a folder
 * named by its token holding one file. Anything else in the folder is left as it is. */
static void sweep_uploads(const char *root)
{
    DIR *d = opendir(root);
    struct dirent *e;
    time_t now = time(NULL);
    if (!d)
        return;
    while ((e = readdir(d))) {
        char dir[600], path[900];
        struct stat st;
        if (!valid_token(e->d_name))
            continue;
        snprintf(dir, sizeof dir, "%s/%s", root, e->d_name);
        if (lstat(dir, &st) || !S_ISDIR(st.st_mode) || now - st.st_mtime < UPLOAD_KEEP_SECONDS)
            continue;
        DIR *sub = opendir(dir);
        struct dirent *f;
        while (sub && (f = readdir(sub)))
            if (strcmp(f->d_name, ".") && strcmp(f->d_name, "..")) {
                snprintf(path, sizeof path, "%s/%s", dir, f->d_name);
                unlink(path);
            }
        if (sub)
            closedir(sub);
        rmdir(dir);
    }
    closedir(d);
}

/* The staging folder of checked uploads: ours alone (a folder of that name made by someone
 * else in a shared /tmp, or a symlink, is refused), swept of stale uploads. Returns 0 or -1. */
static int upload_root(char *out, size_t outsz)
{
    const char *t = getenv("TMPDIR");
    snprintf(out, outsz, "%s/msoko-upload-%u", t && *t ? t : "/tmp", (unsigned)getuid());
    mkdir(out, 0700);
    struct stat st;
    if (lstat(out, &st) || !S_ISDIR(st.st_mode) || st.st_uid != getuid() || (st.st_mode & 077))
        return -1;
    sweep_uploads(out);
    return 0;
}

/* A file name safe to keep: its last path part, no control characters, at most 100 bytes. */
static void safe_name(const char *in, char *out, size_t outsz)
{
    const char *b = in;
    for (const char *p = in; *p; p++)
        if (*p == '/' || *p == '\\')
            b = p + 1;
    size_t j = 0;
    for (const char *p = b; *p && j + 1 < outsz && j < 100; p++)
        out[j++] = ((unsigned char)*p < 0x20 || *p == '"') ? '_' : *p;
    out[j] = '\0';
    if (!j || !strcmp(out, ".") || !strcmp(out, ".."))
        snprintf(out, outsz, "upload.csv");
}

static int valid_token(const char *t)
{
    if (!t || strlen(t) != 32)
        return 0;
    for (const char *p = t; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    return 1;
}

/* A whole number field of a form in [lo, hi]; empty leaves *out as it is. Returns 0, or -1
 * with msg «what, получено «…»». */
static int int_field(web_req *r, const char *name, long lo, long hi, const char *what, int *out,
                     char *msg, size_t msgsz)
{
    const char *a = web_field_value(r, name);
    char *end;
    if (!a || !*a)
        return 0;
    long v = strtol(a, &end, 10);
    if (*end || v < lo || v > hi) {
        snprintf(msg, msgsz, "%s, получено «%s»", what, a);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* Does template k ask for a year? Its rows carry one (a column, the title line or the form),
 * or, for a plan, its deadlines are read in one; the list of schools has none. */
static int kind_asks_year(int k)
{
    const tpl_def *t = k >= 0 ? tpl_get((tpl_kind)k) : NULL;
    return !t || (t->fields & TPL_BIT(F_YEAR)) || !strcmp(t->name, "plan");
}

/* The import options from the form; 0, or -1 with msg (Russian) and *field (the id of the
 * form field that is wrong). An empty year means «из файла» (the file's own year). */
static int import_form(web_req *r, import_opts *io, char *msg, size_t msgsz, const char **field)
{
    memset(io, 0, sizeof *io);
    io->kind = -1;
    io->user = r->user.login;
    const char *a = web_field_value(r, "kind");
    *field = "kind";
    if (a && *a) {
        tpl_kind k;
        if (tpl_kind_parse(a, &k) || !tpl_importable(k)) {
            snprintf(msg, msgsz, "Неизвестный шаблон «%s»", a);
            return -1;
        }
        io->kind = (int)k;
    }
    *field = "year";
    if (kind_asks_year(io->kind) &&
        int_field(r, "year", 2000, 2100,
                  "Год: ожидается число от 2000 до 2100 или пусто (год из файла)", &io->year, msg,
                  msgsz))
        return -1;
    *field = "grade";
    if (int_field(r, "grade", 1, 11, "Класс: ожидается число от 1 до 11", &io->grade, msg, msgsz))
        return -1;
    char code[16];
    *field = "procedure";
    if ((a = web_field_value(r, "procedure")) && *a) {
        if (hdr_kind_code(a, code, sizeof code)) {
            snprintf(msg, msgsz, "Неизвестный вид процедуры «%s»", a);
            return -1;
        }
        io->proc_kind = a;
    }
    *field = "subject";
    if ((a = web_field_value(r, "subject")) && *a) {
        if (hdr_subject_code(a, code, sizeof code)) {
            snprintf(msg, msgsz, "Неизвестный предмет «%s»", a);
            return -1;
        }
        io->subject = a;
    }
    if ((a = web_field_value(r, "school")) && *a)
        io->school = a;
    *field = NULL;
    return 0;
}

static json_t *form_echo(web_req *r)
{
    static const char *const keys[] = {"kind", "year", "grade", "procedure", "subject", "school"};
    json_t *o = json_object();
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *v = web_field_value(r, keys[i]);
        json_object_set_new(o, keys[i], json_string(v ? v : ""));
    }
    return o;
}

static json_t *batches(web_req *r)
{
    store_batch_row *rows = NULL;
    size_t n = 0;
    msk_err err;
    json_t *a = json_array();
    if (store_batch_list(r->db, &rows, &n, &err))
        return a;
    for (size_t i = n; i-- > 0;) { /* newest first */
        const store_batch_row *b = &rows[i];
        tpl_kind k;
        const tpl_def *t = tpl_kind_parse(b->kind, &k) == 0 ? tpl_get(k) : NULL;
        json_array_append_new(a, json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:s,s:s,s:b}",
                                           "id", (json_int_t)b->id, "file", b->file_name, "kind",
                                           b->kind, "scope", b->scope, "user", b->user, "rows_read",
                                           (json_int_t)b->rows_read, "rows_loaded",
                                           (json_int_t)b->rows_loaded, "rows_replaced",
                                           (json_int_t)b->rows_replaced, "warnings",
                                           (json_int_t)b->warnings, "created_at", b->created_at,
                                           "undone_at", b->undone_at, "active", !b->undone_at[0]));
        /* the template as people know it, not its code («results») */
        json_object_set_new(json_array_get(a, json_array_size(a) - 1), "kind_name",
                            json_string(t && t->label ? t->label : b->kind));
    }
    free(rows);
    return a;
}

/* The templates to choose from; chosen: the form's value (NULL or "" = recognise, the first). */
static json_t *kinds(const char *chosen)
{
    json_t *a = json_array();
    json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", "", "label",
                                       "Определить по заголовкам", "selected", 0));
    for (int k = 0; k < TPL_COUNT; k++)
        if (tpl_importable((tpl_kind)k))
            json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", TPL[k].name, "label",
                                               TPL[k].label, "selected",
                                               chosen && !strcmp(chosen, TPL[k].name)));
    return a;
}

/* The templates that ask no year, space-separated (the form hides its year field for them). */
static json_t *kinds_without_year(void)
{
    char out[256];
    size_t o = 0;
    out[0] = '\0';
    for (int k = 0; k < TPL_COUNT; k++)
        if (tpl_importable((tpl_kind)k) && !kind_asks_year(k) && o < sizeof out) {
            int n = snprintf(out + o, sizeof out - o, "%s%s", o ? " " : "", TPL[k].name);
            o += n > 0 ? (size_t)n : 0;
        }
    return json_string(out);
}

/* The import page: the form (values: its fields as sent; error on the field of that id), the
 * report of a check, the history. kept: a file already uploaded (token, name) that the form
 * resends, so an error in a field does not drop it. */
static int imports_page(web_req *r, json_t *report, json_t *values, const char *error,
                        const char *field, const char *kept_token, const char *kept_name)
{
    web_year_crumbs(r);
    web_crumb(r, "Импорт", report ? "/imports" : NULL);
    if (report)
        web_crumb(r, "Проверка файла", NULL);
    if (!values)
        values = form_echo(r);
    const char *kind = json_string_value(json_object_get(values, "kind"));
    json_object_set_new(values, "kinds", kinds(kind));
    json_object_set_new(values, "noyear", kinds_without_year());
    tpl_kind k;
    json_object_set_new(
        values, "asks_year",
        json_boolean(!kind || !*kind || tpl_kind_parse(kind, &k) || kind_asks_year((int)k)));
    json_t *d = json_pack("{s:o,s:o}", "batches", batches(r), "values", values);
    if (report)
        json_object_set_new(d, "report", report);
    if (error) {
        char key[32];
        json_object_set_new(d, "form_error", json_string(error));
        json_object_set_new(d, "error_field", json_string(field ? field : "file"));
        snprintf(key, sizeof key, "err_%s", field ? field : "file");
        json_object_set_new(d, key, json_true());
    }
    if (kept_token && kept_name)
        json_object_set_new(d, "kept",
                            json_pack("{s:s,s:s}", "token", kept_token, "name", kept_name));
    const char *done = web_arg(r, "done");
    if (done)
        json_object_set_new(d, "done", json_string(done));
    const char *undone = web_arg(r, "undone");
    if (undone)
        json_object_set_new(d, "undone", json_string(undone));
    return web_page(r, "imports", report ? "Проверка файла" : "Импорт данных", d);
}

int web_h_imports(web_req *r)
{
    return imports_page(r, NULL, NULL, NULL, NULL, NULL, NULL);
}

static json_t *report_json(const import_report *rep, int rc, const char *file)
{
    json_t *msgs = json_array();
    const char *p = rep->messages.data;
    while (p && *p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n)
            json_array_append_new(msgs, json_stringn(p, n));
        p = e ? e + 1 : p + n;
    }
    const char *kn = rep->kind >= 0 ? tpl_kind_name((tpl_kind)rep->kind) : NULL;
    return json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:s,s:o,s:b,s:b}", "file", file, "kind",
                     kn ? kn : "", "rows_read", (json_int_t)rep->rows_read, "rows_loaded",
                     (json_int_t)rep->rows_loaded, "rows_replaced", (json_int_t)rep->rows_replaced,
                     "errors", (json_int_t)rep->errors, "warnings", (json_int_t)rep->warnings,
                     "scope", rep->scope, "messages", msgs, "ok", rc == 0, "personal_dropped",
                     rep->personal_dropped != 0);
}

typedef struct import_ctx {
    json_t *report;
} import_ctx;

static void on_file(void *ctx, const char *name, int rc, const import_report *rep)
{
    import_ctx *c = ctx;
    json_decref(c->report);
    c->report = report_json(rep, rc, name);
}

/* The import use case for one uploaded file (path) known as name; dry: check only. */
static int run_import(web_req *r, const char *path, const char *name, const import_opts *io,
                      int dry, json_t **report, int64_t *batch, msk_err *err)
{
    app_actor a;
    web_actor(r, &a);
    import_ctx c = {NULL};
    const char *paths[] = {path}, *names[] = {name};
    app_import_req req = {paths, names, 1, io, dry, on_file, &c};
    int rc = app_import(r->db, &a, &req, batch, err);
    if (rc >= 0 && c.report) {
        *report = c.report;
        return rc;
    }
    json_decref(c.report); /* the file was read but the import failed after it */
    if (rc >= 0)
        rc = msk_error(err, "файл %s не прочитан", name);
    return rc;
}

/* Save the uploaded file under a new token (token, name filled). Returns 0, or -1 after the
 * 500 page was sent. */
static int save_upload(web_req *r, const web_field *file, char *token, char *name, size_t namesz,
                       char *path, size_t pathsz)
{
    char root[512], dir[600];
    unsigned char rnd[16];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(token, 33, rnd, sizeof rnd);
    if (upload_root(root, sizeof root)) {
        web_fail(r, 500, "Папка для загрузок %s чужая или недоступна: проверьте TMPDIR", root);
        return -1;
    }
    snprintf(dir, sizeof dir, "%s/%s", root, token);
    safe_name(file->file_name, name, namesz);
    snprintf(path, pathsz, "%s/%s", dir, name);
    FILE *f = NULL;
    if (mkdir(dir, 0700) || !(f = fopen(path, "wb")) ||
        fwrite(file->value, 1, file->value_len, f) != file->value_len || fclose(f)) {
        web_fail(r, 500, "Не удалось сохранить загруженный файл: %s", strerror(errno));
        return -1;
    }
    return 0;
}

/* The file uploaded earlier and resent by the form (fields token, name): 0 with path filled
 * when it is still there, else -1. */
static int kept_upload(web_req *r, char *token, char *name, size_t namesz, char *path,
                       size_t pathsz)
{
    const char *t = web_field_value(r, "token"), *n = web_field_value(r, "name");
    char root[512];
    if (!valid_token(t) || !n || !*n || upload_root(root, sizeof root))
        return -1;
    snprintf(token, 33, "%s", t);
    safe_name(n, name, namesz);
    snprintf(path, pathsz, "%s/%s/%s", root, token, name);
    return access(path, R_OK) ? -1 : 0;
}

int web_h_import_check(web_req *r)
{
    const web_field *file = web_form_get(&r->form, "file");
    json_t *values = form_echo(r);
    char token[33], name[128], path[800];
    if (file && file->file_name && file->file_name[0] && file->value_len) {
        if (save_upload(r, file, token, name, sizeof name, path, sizeof path)) {
            json_decref(values);
            return 0;
        }
    } else if (kept_upload(r, token, name, sizeof name, path, sizeof path)) {
        r->status = 422;
        return imports_page(r, NULL, values, "Выберите файл CSV или XLSX для загрузки", "file",
                            NULL, NULL);
    }
    /* From here on the file is kept (swept after a day): a wrong field or a file with errors
     * is corrected and checked again without choosing the file anew. */
    import_opts io;
    char msg[256];
    const char *field = NULL;
    if (import_form(r, &io, msg, sizeof msg, &field)) {
        r->status = 422;
        return imports_page(r, NULL, values, msg, field, token, name);
    }
    json_t *report = NULL;
    int64_t batch = 0;
    msk_err err;
    msk_err_clear(&err);
    int rc = run_import(r, path, name, &io, 1, &report, &batch, &err);
    if (rc < 0) {
        char m[1200];
        msk_err_format(&err, m, sizeof m);
        r->status = 422;
        report = json_pack("{s:s,s:[s],s:b,s:I}", "file", name, "messages", m, "ok", 0, "errors",
                           (json_int_t)1);
        return imports_page(r, report, values, NULL, NULL, token, name);
    }
    if (rc > 0) {
        r->status = 422;
        return imports_page(r, report, values, NULL, NULL, token, name);
    }
    json_object_set_new(report, "token", json_string(token));
    json_object_set_new(report, "name", json_string(name));
    return imports_page(r, report, values, NULL, NULL, NULL, NULL);
}

int web_h_import_confirm(web_req *r)
{
    const char *token = web_field_value(r, "token"), *n = web_field_value(r, "name");
    char name[128], root[512], path[800], dir[600];
    if (!valid_token(token) || !n)
        return web_fail(r, 422, "Нет проверенного файла: загрузите его ещё раз");
    safe_name(n, name, sizeof name);
    if (upload_root(root, sizeof root))
        return web_fail(r, 500, "Папка для загрузок %s чужая или недоступна: проверьте TMPDIR",
                        root);
    snprintf(dir, sizeof dir, "%s/%s", root, token);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (access(path, R_OK))
        return web_fail(r, 422, "Проверенный файл уже загружен или устарел: загрузите его ещё раз");
    import_opts io;
    char msg[256];
    const char *field = NULL;
    if (import_form(r, &io, msg, sizeof msg, &field))
        return web_fail(r, 422, "%s", msg);
    json_t *report = NULL;
    int64_t batch = 0;
    msk_err err;
    msk_err_clear(&err);
    int rc = run_import(r, path, name, &io, 0, &report, &batch, &err);
    unlink(path);
    rmdir(dir);
    if (rc) {
        if (rc > 0) {
            r->status = 422;
            return imports_page(r, report, NULL, NULL, NULL, NULL, NULL);
        }
        return web_fail(r, 422, "Файл не загружен: %s", err.msg);
    }
    json_decref(report);
    web_cache_invalidate(r->srv);
    char href[64];
    snprintf(href, sizeof href, "/imports?done=%" PRId64, batch);
    return web_redirect(r, href);
}

int web_h_import_undo(web_req *r)
{
    char *end;
    long id = strtol(r->param, &end, 10);
    if (*end || id <= 0)
        return web_fail(r, 404, "Нет такой загрузки");
    int64_t removed = 0;
    msk_err err;
    msk_err_clear(&err);
    app_actor a;
    web_actor(r, &a);
    if (app_undo(r->db, &a, id, &removed, &err))
        return web_fail(r, 422, "Загрузка не отменена: %s", err.msg);
    web_cache_invalidate(r->srv);
    char href[64];
    snprintf(href, sizeof href, "/imports?undone=%ld", id);
    return web_redirect(r, href);
}
