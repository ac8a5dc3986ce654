/*
 * The route table: one row per page with its method, path, handler, the least role that may
 * open it, and its help (STYLE.md "One program, many commands, one table"; the /api page lists
 * it). Handlers build the page's view model with src/view/ and hand it to web_page, which renders
 * it or returns it as JSON. Writes (import, undo, analysis) call their use case (src/app/):
 * one transaction each, with an audit row.
 */
#include "web/internal.h"

#include "base/sheet.h"
#include "app/app.h"
#include "base/vocab.h"
#include "engine/engine.h"
#include "ingest/header.h"
#include "ingest/import.h"
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

/* the monitoring forms and the roadmap: src/web/monitoring.c */
int web_h_forms(web_req *r);
int web_h_form(web_req *r);
int web_h_form_school(web_req *r);
int web_h_reconcile(web_req *r); /* web/reconcile.c */
int web_h_form_save(web_req *r);
int web_h_form_return(web_req *r);
int web_h_form_approve(web_req *r);
int web_h_form_table(web_req *r);
int web_h_plan(web_req *r);
int web_h_plan_status(web_req *r);
void web_plan_summary(web_req *r, json_t *into);
/* the audit log: src/web/audit.c */
int web_h_audit(web_req *r);
/* the backup download: src/web/backup.c */
int web_h_backup(web_req *r);
void web_actor(const web_req *r, app_actor *a);

/* ---- small helpers ---- */

static int year_crumbs(web_req *r)
{
    if (r->user.role >= VIEW_ANALYST)
        web_crumb(r, "Сводка", "/");
    return 0;
}

/* A CSV text field: neutralised against formulas and quoted (src/base/sheet.h, the one rule). */
static void csv_field(msk_buf *b, const char *s)
{
    sheet_csv_text(b, s, ';');
}

/* A CSV number field: a JSON integer written as a number (never neutralised), else empty. */
static void csv_int(msk_buf *b, const json_t *v)
{
    if (json_is_integer(v))
        msk_buf_printf(b, "%lld", (long long)json_integer_value(v));
}

/* One CSV field made of the strings of a JSON array joined by sep. */
static void csv_joined(msk_buf *out, const json_t *arr, const char *sep)
{
    msk_buf b;
    size_t k;
    json_t *x;
    msk_buf_init(&b, 0);
    json_array_foreach(arr, k, x)
    {
        if (k)
            msk_buf_puts(&b, sep);
        msk_buf_puts(&b, json_string_value(x) ? json_string_value(x) : "");
    }
    csv_field(out, b.data);
    msk_buf_release(&b);
}

static const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* Start a CSV download (UTF-8 with BOM and «;» so that Excel opens it as is). */
static void csv_begin(web_req *r, const char *name)
{
    msk_buf_reset(&r->out);
    msk_buf_puts(&r->out, "\xEF\xBB\xBF");
    r->ctype = "text/csv; charset=utf-8";
    snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"%s-%d.csv\"", name,
             r->year);
}

static int wants_csv(web_req *r)
{
    const char *f = web_arg(r, "format");
    return f && !strcmp(f, "csv");
}

/* ---- pages ---- */

static int h_static(web_req *r)
{
    char name[160];
    snprintf(name, sizeof name, "static/%s", r->param);
    const web_asset *a = web_asset_find(name);
    if (!a)
        return web_fail(r, 404, "Нет такого файла");
    const char *etag = web_asset_etag(a);
    snprintf(r->etag, sizeof r->etag, "%s", etag);
    r->cache_control = "public, max-age=3600";
    const char *inm = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "If-None-Match");
    msk_buf_reset(&r->out);
    if (inm && !strcmp(inm, etag)) {
        r->status = 304;
        return 0;
    }
    size_t n = strlen(name);
    r->ctype = n > 4 && !strcmp(name + n - 4, ".css")   ? "text/css; charset=utf-8"
               : n > 3 && !strcmp(name + n - 3, ".js")  ? "text/javascript; charset=utf-8"
               : n > 4 && !strcmp(name + n - 4, ".svg") ? "image/svg+xml"
                                                        : "application/octet-stream";
    msk_buf_add(&r->out, a->data, a->len);
    return 0;
}

static int h_home(web_req *r)
{
    if (r->user.role == VIEW_PUBLIC)
        return web_redirect(r, "/open");
    if (r->user.role == VIEW_SCHOOL) {
        char href[128];
        snprintf(href, sizeof href, "/schools/%s?year=%d", r->user.school, r->year);
        return web_redirect(r, href);
    }
    if (!r->year)
        return web_page(r, "empty", "Данных пока нет", json_pack("{s:b}", "can_import", 1));
    view_year *v = web_view_year(r);
    if (!v)
        return 0;
    view_ctx c = web_ctx(r);
    json_t *d = NULL;
    msk_err err;
    msk_err_clear(&err);
    int rc = view_dashboard(v, &c, &d, &err);
    if (rc)
        return web_view_fail(r, rc, &err, NULL, NULL);
    char title[128];
    snprintf(title, sizeof title, "Сводка муниципалитета за %d год", r->year);
    web_plan_summary(r, d); /* roadmap items due this month and overdue */
    web_crumb(r, "Сводка", NULL);
    return web_page(r, "dashboard", title, d);
}

static int h_open(web_req *r)
{
    web_crumb(r, "Открытые данные", NULL);
    if (!r->year)
        return web_page(r, "empty", "Открытые данные", json_pack("{s:b}", "can_import", 0));
    view_year *v = web_view_year(r);
    if (!v)
        return 0;
    view_ctx c = {VIEW_PUBLIC, NULL}; /* everyone sees here what the public sees */
    json_t *d = NULL;
    msk_err err;
    msk_err_clear(&err);
    int rc = view_dashboard(v, &c, &d, &err);
    if (rc)
        return web_view_fail(r, rc, &err, NULL, NULL);
    web_public_only(d);
    json_t *s = NULL;
    view_filter f = {0};
    if (view_schools(v, &c, &f, &s, &err) == 0) {
        web_public_only(s);
        json_object_set(d, "school_list", json_object_get(s, "schools"));
        json_decref(s);
    }
    char title[128];
    snprintf(title, sizeof title, "Открытые данные за %d год", r->year);
    return web_page(r, "open", title, d);
}

static int h_open_school(web_req *r)
{
    web_crumb(r, "Открытые данные", "/open");
    view_year *v = web_view_year(r);
    if (!v)
        return 0;
    view_ctx c = {VIEW_PUBLIC, NULL};
    json_t *d = NULL;
    msk_err err;
    msk_err_clear(&err);
    int rc = view_school(v, &c, r->param, &d, &err);
    if (rc)
        return web_view_fail(r, rc, &err, "/open", "Открытые данные");
    web_public_only(d);
    json_object_del(d, "findings"); /* findings name pupils' results: not for the public */
    char title[256];
    snprintf(title, sizeof title, "%s: открытые данные",
             jstr(json_object_get(d, "school"), "name"));
    web_crumb(r, jstr(json_object_get(d, "school"), "name"), NULL);
    return web_page(r, "open_school", title, d);
}

/* The filter form's choices with the chosen one marked (a GET form keeps its state in the
 * URL): types and localities as the year's schools have them, and the lists. */
static void add_option(json_t *a, const char *value, const char *label, const char *chosen)
{
    size_t i;
    json_t *o;
    json_array_foreach(a, i, o) if (!strcmp(jstr(o, "value"), value)) return;
    json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", value, "label", label, "selected",
                                       chosen && !strcmp(chosen, value)));
}

static void filter_options(const view_year *v, const view_ctx *c, const view_filter *f, json_t *d)
{
    json_t *types = json_array(), *locs = json_array(), *lists = json_array(), *all = NULL;
    view_filter none = {0};
    msk_err err;
    if (view_schools(v, c, &none, &all, &err) == 0) {
        size_t i;
        json_t *s;
        json_array_foreach(json_object_get(all, "schools"), i, s)
        {
            if (*jstr(s, "type"))
                add_option(types, jstr(s, "type"), jstr(s, "type_name"), f->type);
            if (*jstr(s, "locality"))
                add_option(locs, jstr(s, "locality"), jstr(s, "locality_name"), f->locality);
        }
        json_decref(all);
    }
    static const char *const listed[] = {"shnor", "risk", "objectivity"};
    for (size_t i = 0; i < sizeof listed / sizeof listed[0]; i++)
        add_option(lists, listed[i], vocab_lower(VOCAB_METHOD, listed[i]), f->list);
    json_object_set_new(
        d, "options",
        json_pack("{s:o,s:o,s:o}", "types", types, "localities", locs, "lists", lists));
}

static int h_schools(web_req *r)
{
    year_crumbs(r);
    web_crumb(r, "Школы", NULL);
    if (!r->year)
        return web_page(r, "empty", "Школы", json_pack("{s:b}", "can_import", 1));
    view_year *v = web_view_year(r);
    if (!v)
        return 0;
    view_ctx c = web_ctx(r);
    view_filter f = {web_arg(r, "type"), web_arg(r, "locality"), web_arg(r, "list"),
                     web_arg(r, "q")};
    if (f.type && !*f.type)
        f.type = NULL;
    if (f.locality && !*f.locality)
        f.locality = NULL;
    if (f.list && !*f.list)
        f.list = NULL;
    if (f.q && !*f.q)
        f.q = NULL;
    json_t *d = NULL;
    msk_err err;
    msk_err_clear(&err);
    int rc = view_schools(v, &c, &f, &d, &err);
    if (rc)
        return web_view_fail(r, rc, &err, NULL, NULL);
    json_object_set_new(d, "filter",
                        json_pack("{s:s?,s:s?,s:s?,s:s?}", "type", f.type, "locality", f.locality,
                                  "list", f.list, "q", f.q));
    filter_options(v, &c, &f, d);
    json_t *schools = json_object_get(d, "schools");
    if (wants_csv(r)) { /* exactly the rows shown */
        csv_begin(r, "schools");
        msk_buf_puts(&r->out, "Код;Школа;Тип;Местность;Участников;Место в рейтинге;Списки\r\n");
        size_t i;
        json_t *s;
        json_array_foreach(schools, i, s)
        {
            csv_field(&r->out, jstr(s, "code"));
            msk_buf_putc(&r->out, ';');
            csv_field(&r->out, jstr(s, "name"));
            msk_buf_putc(&r->out, ';');
            csv_field(&r->out, jstr(s, "type_name"));
            msk_buf_putc(&r->out, ';');
            csv_field(&r->out, jstr(s, "locality_name"));
            msk_buf_putc(&r->out, ';');
            csv_int(&r->out, json_object_get(s, "participants"));
            msk_buf_putc(&r->out, ';');
            csv_int(&r->out, json_object_get(s, "rank"));
            msk_buf_putc(&r->out, ';');
            csv_joined(&r->out, json_object_get(s, "badges"), ", ");
            msk_buf_puts(&r->out, "\r\n");
        }
        json_decref(d);
        return 0;
    }
    char title[128];
    size_t n = json_array_size(schools);
    snprintf(title, sizeof title, "Школы за %d год: %zu", r->year, n);
    return web_page(r, "schools", title, d);
}

static int h_school(web_req *r)
{
    year_crumbs(r);
    if (r->user.role >= VIEW_ANALYST)
        web_crumb(r, "Школы", "/schools");
    if (!r->year)
        return web_page(r, "empty", "Данных пока нет", json_pack("{s:b}", "can_import", 0));
    if (r->user.role == VIEW_SCHOOL && strcmp(r->param, r->user.school))
        return web_fail(r, 403,
                        "Страница школы %s доступна аналитику муниципалитета и "
                        "оператору этой школы; вы — оператор школы %s",
                        r->param, r->user.school);
    view_year *v = web_view_year(r);
    if (!v)
        return 0;
    view_ctx c = web_ctx(r);
    json_t *d = NULL;
    msk_err err;
    msk_err_clear(&err);
    int rc = view_school(v, &c, r->param, &d, &err);
    if (rc)
        return web_view_fail(r, rc, &err, "/schools", "Список школ");
    json_object_set_new(d, "school_code", json_string(r->param));
    const char *name = jstr(json_object_get(d, "school"), "name");
    char title[300];
    snprintf(title, sizeof title, "%s: результаты и признаки", name);
    web_crumb(r, name, NULL);
    if (!r->json)
        web_chart_dynamics(d);
    return web_page(r, "school", title, d);
}

static int h_procedure(web_req *r)
{
    year_crumbs(r);
    const char *school = web_arg(r, "school");
    if (school && !*school)
        school = NULL;
    if (r->user.role == VIEW_SCHOOL) {
        if (school && strcmp(school, r->user.school))
            return web_fail(r, 403,
                            "Результаты школы %s доступны аналитику муниципалитета и "
                            "оператору этой школы",
                            school);
        school = r->user.school;
    }
    view_year *v = web_view_year(r);
    if (!v)
        return 0;
    view_ctx c = web_ctx(r);
    json_t *d = NULL;
    msk_err err;
    msk_err_clear(&err);
    int rc = view_procedure(v, &c, r->param, school, &d, &err);
    if (rc)
        return web_view_fail(r, rc, &err, "/", "Сводка муниципалитета");
    if (r->user.role == VIEW_SCHOOL) { /* an operator sees the municipality and itself only */
        json_t *all = json_object_get(d, "schools"), *own = json_array();
        size_t i;
        json_t *s;
        json_array_foreach(all, i, s)
        {
            if (!strcmp(jstr(json_object_get(s, "school"), "code"), r->user.school))
                json_array_append(own, s);
        }
        json_object_set_new(d, "schools", own);
    }
    if (school)
        json_object_set_new(d, "for_school", json_string(school));
    const char *t = jstr(json_object_get(d, "proc"), "title");
    web_crumb(r, t, NULL);
    char title[300];
    snprintf(title, sizeof title, "%s, %d год", t, r->year);
    if (!r->json)
        web_chart_procedure(d);
    return web_page(r, "procedure", title, d);
}

static int h_list(web_req *r)
{
    year_crumbs(r);
    view_year *v = r->year ? web_view_year(r) : NULL;
    if (r->year && !v)
        return 0;
    if (!r->year)
        return web_page(r, "empty", "Списков пока нет", json_pack("{s:b}", "can_import", 1));
    view_ctx c = web_ctx(r);
    json_t *d = NULL;
    msk_err err;
    msk_err_clear(&err);
    int rc = view_list(v, &c, r->param, &d, &err);
    if (rc)
        return web_view_fail(r, rc, &err, "/", "Сводка муниципалитета");
    json_t *items = json_object_get(d, "items");
    if (wants_csv(r)) {
        csv_begin(r, r->param);
        msk_buf_puts(&r->out, "Код;Школа;Решение;Обоснование\r\n");
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it)
        {
            json_t *s = json_object_get(it, "school");
            csv_field(&r->out, jstr(s, "code"));
            msk_buf_putc(&r->out, ';');
            csv_field(&r->out, jstr(s, "name"));
            msk_buf_putc(&r->out, ';');
            csv_field(&r->out, jstr(it, "verdict_label"));
            msk_buf_putc(&r->out, ';');
            csv_joined(&r->out, json_object_get(it, "text"), " ");
            msk_buf_puts(&r->out, "\r\n");
        }
        json_decref(d);
        return 0;
    }
    json_object_set_new(d, "csv_href",
                        json_sprintf("/lists/%s?year=%d&format=csv", r->param, r->year));
    if (!strcmp(r->param, "shnor") || !strcmp(r->param, "objectivity")) /* web/reconcile.c */
        json_object_set_new(d, "reconcile_href", json_sprintf("/lists/reconcile?year=%d", r->year));
    const char *title = jstr(d, "title");
    web_crumb(r, *title ? title : r->param, NULL);
    char t[256];
    snprintf(t, sizeof t, "%s", *title ? title : r->param);
    return web_page(r, "list", t, d);
}

/* ---- analysis ---- */

static int h_analyze(web_req *r)
{
    const char *y = web_field_value(r, "year");
    long year = y ? strtol(y, NULL, 10) : 0;
    if (year < 2000 || year > 2100)
        return web_fail(r, 422, "Укажите год анализа, например 2024");
    app_actor a;
    web_actor(r, &a);
    msk_err err;
    msk_err_clear(&err);
    if (app_analyze(r->db, &a, (int)year, NULL, 0, NULL, NULL, &err))
        return web_fail(r, 422, "Анализ не выполнен: %s", err.msg);
    web_cache_invalidate(r->srv);
    char href[64];
    snprintf(href, sizeof href, "/?year=%ld", year);
    return web_redirect(r, href);
}

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

/* The import options from the form; 0, or -1 with msg (Russian) for the field that is wrong. */
static int import_form(web_req *r, import_opts *io, char *msg, size_t msgsz)
{
    memset(io, 0, sizeof *io);
    io->kind = -1;
    io->user = r->user.login;
    const char *a = web_field_value(r, "kind");
    if (a && *a) {
        tpl_kind k;
        if (tpl_kind_parse(a, &k) || !tpl_importable(k)) {
            snprintf(msg, msgsz, "Неизвестный шаблон «%s»", a);
            return -1;
        }
        io->kind = (int)k;
    }
    if (int_field(r, "year", 2000, 2100, "Год: ожидается число, например 2024", &io->year, msg,
                  msgsz) ||
        int_field(r, "grade", 1, 11, "Класс: ожидается число от 1 до 11", &io->grade, msg, msgsz))
        return -1;
    char code[16];
    if ((a = web_field_value(r, "procedure")) && *a) {
        if (hdr_kind_code(a, code, sizeof code)) {
            snprintf(msg, msgsz, "Неизвестный вид процедуры «%s»", a);
            return -1;
        }
        io->proc_kind = a;
    }
    if ((a = web_field_value(r, "subject")) && *a) {
        if (hdr_subject_code(a, code, sizeof code)) {
            snprintf(msg, msgsz, "Неизвестный предмет «%s»", a);
            return -1;
        }
        io->subject = a;
    }
    if ((a = web_field_value(r, "school")) && *a)
        io->school = a;
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
        json_array_append_new(a, json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:s,s:s,s:b}",
                                           "id", (json_int_t)b->id, "file", b->file_name, "kind",
                                           b->kind, "scope", b->scope, "user", b->user, "rows_read",
                                           (json_int_t)b->rows_read, "rows_loaded",
                                           (json_int_t)b->rows_loaded, "rows_replaced",
                                           (json_int_t)b->rows_replaced, "warnings",
                                           (json_int_t)b->warnings, "created_at", b->created_at,
                                           "undone_at", b->undone_at, "active", !b->undone_at[0]));
    }
    free(rows);
    return a;
}

static json_t *kinds(void)
{
    json_t *a = json_array();
    json_array_append_new(a,
                          json_pack("{s:s,s:s}", "value", "", "label", "Определить по заголовкам"));
    for (int k = 0; k < TPL_COUNT; k++)
        if (tpl_importable((tpl_kind)k))
            json_array_append_new(
                a, json_pack("{s:s,s:s}", "value", TPL[k].name, "label", TPL[k].label));
    return a;
}

static int imports_page(web_req *r, json_t *report, json_t *values, const char *error)
{
    year_crumbs(r);
    web_crumb(r, "Импорт", report ? "/imports" : NULL);
    if (report)
        web_crumb(r, "Проверка файла", NULL);
    json_t *d = json_pack("{s:o,s:o,s:o}", "batches", batches(r), "kinds", kinds(), "values",
                          values ? values : json_object());
    if (report)
        json_object_set_new(d, "report", report);
    if (error)
        json_object_set_new(d, "form_error", json_string(error));
    const char *done = web_arg(r, "done");
    if (done)
        json_object_set_new(d, "done", json_string(done));
    const char *undone = web_arg(r, "undone");
    if (undone)
        json_object_set_new(d, "undone", json_string(undone));
    return web_page(r, "imports", report ? "Проверка файла" : "Импорт данных", d);
}

static int h_imports(web_req *r)
{
    return imports_page(r, NULL, NULL, NULL);
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

static int h_import_check(web_req *r)
{
    const web_field *file = web_form_get(&r->form, "file");
    json_t *values = form_echo(r);
    if (!file || !file->file_name || !file->file_name[0] || !file->value_len) {
        r->status = 422;
        return imports_page(r, NULL, values, "Выберите файл CSV или XLSX для загрузки");
    }
    import_opts io;
    char msg[256];
    if (import_form(r, &io, msg, sizeof msg)) {
        r->status = 422;
        return imports_page(r, NULL, values, msg);
    }
    char root[512], token[33], dir[600], name[128], path[800];
    unsigned char rnd[16];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(token, sizeof token, rnd, sizeof rnd);
    if (upload_root(root, sizeof root)) {
        json_decref(values);
        return web_fail(r, 500, "Папка для загрузок %s чужая или недоступна: проверьте TMPDIR",
                        root);
    }
    snprintf(dir, sizeof dir, "%s/%s", root, token);
    safe_name(file->file_name, name, sizeof name);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = NULL;
    if (mkdir(dir, 0700) || !(f = fopen(path, "wb")) ||
        fwrite(file->value, 1, file->value_len, f) != file->value_len || fclose(f)) {
        json_decref(values);
        return web_fail(r, 500, "Не удалось сохранить загруженный файл: %s", strerror(errno));
    }
    json_t *report = NULL;
    int64_t batch = 0;
    msk_err err;
    msk_err_clear(&err);
    int rc = run_import(r, path, name, &io, 1, &report, &batch, &err);
    if (rc < 0) {
        unlink(path);
        rmdir(dir);
        char m[1200];
        msk_err_format(&err, m, sizeof m);
        r->status = 422;
        report = json_pack("{s:s,s:[s],s:b,s:I}", "file", name, "messages", m, "ok", 0, "errors",
                           (json_int_t)1);
        return imports_page(r, report, values, NULL);
    }
    if (rc > 0) {
        unlink(path);
        rmdir(dir);
        r->status = 422;
    } else {
        json_object_set_new(report, "token", json_string(token));
        json_object_set_new(report, "name", json_string(name));
    }
    return imports_page(r, report, values, NULL);
}

static int h_import_confirm(web_req *r)
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
    if (import_form(r, &io, msg, sizeof msg))
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
            return imports_page(r, report, form_echo(r), NULL);
        }
        return web_fail(r, 422, "Файл не загружен: %s", err.msg);
    }
    json_decref(report);
    web_cache_invalidate(r->srv);
    char href[64];
    snprintf(href, sizeof href, "/imports?done=%" PRId64, batch);
    return web_redirect(r, href);
}

static int h_import_undo(web_req *r)
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

/* ---- the index of routes (the API's own help) ---- */

static const char *role_key(int role)
{
    static const char *const k[] = {"public", "school", "analyst", "admin"};
    return role >= 0 && role <= 3 ? k[role] : "?";
}

static int h_api(web_req *r)
{
    json_t *a = json_array();
    for (size_t i = 0; i < WEB_NROUTES; i++)
        json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s}", "method", WEB_ROUTES[i].method,
                                           "path", WEB_ROUTES[i].pattern, "role",
                                           role_key(WEB_ROUTES[i].min_role), "help",
                                           WEB_ROUTES[i].help));
    web_crumb(r, "API", NULL);
    return web_page(r, "api", "Адреса страниц и API", json_pack("{s:o}", "routes", a));
}

const web_route WEB_ROUTES[] = {
    {"GET", "/", h_home, VIEW_PUBLIC,
     "сводка муниципалитета за год (аналитик); гостю — открытые данные", 1},
    {"GET", "/login", web_handle_login_form, VIEW_PUBLIC, "форма входа", 0},
    {"POST", "/login", web_handle_login, VIEW_PUBLIC, "вход: login, password, csrf", 0},
    {"POST", "/logout", web_handle_logout, VIEW_SCHOOL, "выход", 0},
    {"POST", "/logout/all", web_handle_logout_all, VIEW_SCHOOL, "выйти на всех устройствах", 0},
    {"GET", "/account", web_handle_account, VIEW_SCHOOL,
     "учётная запись: смена пароля, выход на всех устройствах", 0},
    {"POST", "/account/password", web_handle_password, VIEW_SCHOOL,
     "сменить пароль: current, password, password2", 0},
    {"GET", "/schools", h_schools, VIEW_ANALYST,
     "школы года с фильтрами type, locality, list, q; format=csv", 1},
    {"GET", "/schools/:", h_school, VIEW_SCHOOL,
     "школа: результаты, признаки с обоснованием, динамика", 1},
    {"GET", "/procedures/:", h_procedure, VIEW_SCHOOL,
     "процедура (VPR-math-5): отметки по школам, баллы, задания", 1},
    {"GET", "/lists/reconcile", web_h_reconcile, VIEW_ANALYST,
     "сверка списков года с ШНОР ФИОКО, федеральным и региональным списками", 1},
    {"GET", "/lists/:", h_list, VIEW_ANALYST,
     "список года: shnor, risk, objectivity, rating; format=csv", 1},
    {"POST", "/analyze", h_analyze, VIEW_ANALYST, "запустить анализ года: year", 0},
    {"GET", "/imports", h_imports, VIEW_ANALYST, "загрузки: форма и история", 0},
    {"POST", "/imports", h_import_check, VIEW_ANALYST,
     "проверка файла без записи (multipart: file, kind, year …)", 0},
    {"POST", "/imports/confirm", h_import_confirm, VIEW_ANALYST, "загрузить проверенный файл", 0},
    {"POST", "/imports/:/undo", h_import_undo, VIEW_ANALYST, "отменить загрузку", 0},
    {"GET", "/forms", web_h_forms, VIEW_SCHOOL,
     "формы мониторинга: сдача за текущий период (аналитик) или своей школы", 0},
    {"GET", "/forms/:", web_h_form, VIEW_SCHOOL,
     "форма: какие школы не сдали её за period и прошёл ли срок", 0},
    {"GET", "/forms/:/table", web_h_form_table, VIEW_ANALYST,
     "показатели формы за period по школам и муниципалитету (доли — отношение сумм), рядом "
     "предыдущий период; format=xlsx",
     0},
    {"GET", "/forms/:/:", web_h_form_school, VIEW_SCHOOL,
     "форма школы за period: значения, состояние, история", 0},
    {"POST", "/forms/:/:", web_h_form_save, VIEW_SCHOOL,
     "сохранить черновик или сдать: period, action=save|submit, v_КОД", 0},
    {"POST", "/forms/:/:/return", web_h_form_return, VIEW_ANALYST,
     "вернуть сданную форму на доработку: period, comment", 0},
    {"POST", "/forms/:/:/approve", web_h_form_approve, VIEW_ANALYST,
     "утвердить сданную форму: period", 0},
    {"GET", "/plan", web_h_plan, VIEW_ANALYST,
     "дорожная карта года: просроченные пункты и срок в этом месяце", 0},
    {"POST", "/plan/:/status", web_h_plan_status, VIEW_ANALYST, "статус пункта плана: status, note",
     0},
    {"GET", "/open", h_open, VIEW_PUBLIC, "открытые данные: сводные показатели без малых групп", 1},
    {"GET", "/open/schools/:", h_open_school, VIEW_PUBLIC, "открытые данные школы", 1},
    {"GET", "/admin/audit", web_h_audit, VIEW_ADMIN,
     "журнал изменений: user, action, school, from, to (дд.мм.гггг), page; format=csv|xlsx", 0},
    {"GET", "/admin/backup", web_h_backup, VIEW_ADMIN,
     "резервная копия всей базы данных (gzip), свежая на момент запроса", 0},
    {"GET", "/api", h_api, VIEW_PUBLIC, "этот список адресов", 0},
    {"GET", "/static/:", h_static, VIEW_PUBLIC, "стили и скрипты", 0},
};
const size_t WEB_NROUTES = sizeof WEB_ROUTES / sizeof WEB_ROUTES[0];
