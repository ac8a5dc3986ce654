/*
 * What every page shares: the layout (title, breadcrumbs, year selector, navigation by role,
 * the logout form with its CSRF token), error pages that say what to do, JSON for the API,
 * and the public suppression applied at the last step so that no handler can forget it.
 */
#include "web/internal.h"

#include "web/tmpl.h"

#include "base/mem.h"
#include "base/vocab.h"

#include <microhttpd.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *web_role_name(int role)
{
    return vocab_label(VOCAB_ROLE, role == VIEW_ADMIN     ? "admin"
                                   : role == VIEW_ANALYST ? "analyst"
                                   : role == VIEW_SCHOOL  ? "school"
                                                          : "public");
}

const char *web_arg(web_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->con, MHD_GET_ARGUMENT_KIND, name);
}

const char *web_field_value(web_req *r, const char *name)
{
    const web_field *f = web_form_get(&r->form, name);
    return f ? f->value : NULL;
}

view_ctx web_ctx(const web_req *r)
{
    view_ctx c = {r->user.role, r->user.role == VIEW_SCHOOL ? r->user.school : NULL,
                  r->scope_muni ? &r->scope : NULL};
    return c;
}

void web_crumb(web_req *r, const char *label, const char *href)
{
    if (!r->crumbs)
        r->crumbs = json_array();
    json_t *c = json_pack("{s:s}", "label", label);
    if (href)
        json_object_set_new(c, "href", json_string(href));
    json_array_append_new(r->crumbs, c);
}

int web_redirect(web_req *r, const char *url)
{
    r->status = 303;
    snprintf(r->location, sizeof r->location, "%s", url);
    msk_buf_reset(&r->out);
    msk_buf_printf(&r->out, "<!doctype html><a href=\"%s\">Перейти</a>\n", "");
    return 0;
}

view_year *web_view_year(web_req *r)
{
    if (r->vy)
        return r->vy;
    msk_err err;
    msk_err_clear(&err);
    if (web_cache_get(r->srv, r->db, r->year, r->scope_muni, &r->vy, &err)) {
        r->vy = NULL;
        web_fail(r, 500, "Не удалось загрузить данные за %d год: %s", r->year, err.msg);
        return NULL;
    }
    return r->vy;
}

/* Navigation links the person's role may follow. */
static json_t *nav(web_req *r)
{
    static const struct {
        const char *href, *label;
        int min_role, only;
    } items[] = {
        {"/", "Сводка", VIEW_ANALYST, -1},
        {"/schools", "Школы", VIEW_ANALYST, -1},
        {"/lists/shnor", "ШНОР", VIEW_ANALYST, -1},
        {"/lists/risk", "Зона риска", VIEW_ANALYST, -1},
        {"/lists/objectivity", "Объективность", VIEW_ANALYST, -1},
        {"/lists/rating", "Рейтинг", VIEW_ANALYST, -1},
        {"/imports", "Импорт", VIEW_ANALYST, -1},
        {"/forms", "Формы", VIEW_SCHOOL, -1},
        {"/plan", "Дорожная карта", VIEW_ANALYST, -1},
        {"/decisions", "Решения", VIEW_ANALYST, -1},
        {"/directions", "Направления", VIEW_PUBLIC, -1},
        {"/registries", "Реестры", VIEW_SCHOOL, -1},
        {"/report", "Отчёт", VIEW_ANALYST, -1},
        {"/open", "Открытые данные", VIEW_PUBLIC, -1},
        {"/admin/users", "Пользователи", VIEW_ADMIN, -1},
        {"/admin/forms", "Настройка форм", VIEW_ADMIN, -1},
        {"/admin/audit", "Журнал", VIEW_ADMIN, -1},
    };
    json_t *a = json_array();
    if (r->user.role == VIEW_SCHOOL) {
        char href[128];
        snprintf(href, sizeof href, "/schools/%s", r->user.school);
        json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "href", href, "label", "Моя школа",
                                           "current", strcmp(r->path, href) == 0));
    }
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        if (r->user.role < items[i].min_role)
            continue;
        size_t hl = strlen(items[i].href);
        int cur = !strcmp(r->path, items[i].href) ||
                  (hl > 1 && !strncmp(r->path, items[i].href, hl) && r->path[hl] == '/');
        json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "href", items[i].href, "label",
                                           items[i].label, "current", cur));
    }
    if (r->user.regional) /* the municipalities compared: the region's level only */
        json_array_insert_new(a, 1,
                              json_pack("{s:s,s:s,s:b}", "href", "/municipalities", "label",
                                        "Муниципалитеты", "current",
                                        !strcmp(r->path, "/municipalities")));
    return a;
}

/* Year links for the selector: the current path with ?year=Y. */
static json_t *year_links(web_req *r)
{
    json_t *a = json_array();
    size_t i;
    json_t *y;
    json_array_foreach(r->years ? r->years : NULL, i, y)
    {
        int yr = (int)json_integer_value(y);
        char href[600];
        snprintf(href, sizeof href, "%s?year=%d", r->path, yr);
        json_array_append_new(
            a, json_pack("{s:i,s:s,s:b}", "year", yr, "href", href, "current", yr == r->year));
    }
    return a;
}

static int render_json(web_req *r, json_t *data)
{
    char *s = json_dumps(data, JSON_COMPACT);
    msk_buf_reset(&r->out);
    msk_buf_puts(&r->out, s ? s : "null");
    msk_buf_putc(&r->out, '\n');
    free(s);
    r->ctype = "application/json; charset=utf-8";
    return 0;
}

/* Words for codes, so a badge is never colour alone (UI.md): "badges": ["shnor"] gets a
 * "badge_list": [{"key": "shnor", "label": "ШНОР"}], "method" a "method_name". */
static const char *label_of(const char *key)
{
    return vocab_lower(VOCAB_METHOD, key);
}

static void decorate(json_t *v, int depth)
{
    if (depth > 16)
        return;
    if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) decorate(e, depth + 1);
        return;
    }
    if (!json_is_object(v))
        return;
    const char *k;
    json_t *e;
    /* one pass over the members finds what the hash lookups found (a school page's model has
     * thousands of objects): badges, method, unit and the keys already decorated */
    json_t *badges = NULL;
    const char *method = NULL, *unit = NULL;
    int has_list = 0, has_share = 0, has_name = 0;
    json_object_foreach(v, k, e)
    {
        switch (k[0]) {
        case 'b':
            if (!strcmp(k, "badges"))
                badges = e;
            else if (!strcmp(k, "badge_list"))
                has_list = 1;
            break;
        case 'i':
            has_share |= !strcmp(k, "is_share");
            break;
        case 'm':
            if (!strcmp(k, "method"))
                method = json_string_value(e);
            else if (!strcmp(k, "method_name"))
                has_name = 1;
            break;
        case 'u':
            if (!strcmp(k, "unit"))
                unit = json_string_value(e);
            break;
        default:
            break;
        }
        if (json_is_object(e) || json_is_array(e))
            decorate(e, depth + 1);
    }
    if (json_is_array(badges) && !has_list) {
        json_t *l = json_array();
        size_t i;
        json_array_foreach(badges, i, e)
        {
            const char *b = json_string_value(e);
            if (b)
                json_array_append_new(l, json_pack("{s:s,s:s}", "key", b, "label", label_of(b)));
        }
        json_object_set_new(v, "badge_list", l);
    }
    if (unit && !has_share) /* explicit false: an outer section must not answer */
        json_object_set_new(v, "is_share", json_boolean(!strcmp(unit, "share")));
    if (method && !has_name) {
        json_object_set_new(v, "method_name", json_string(vocab_label(VOCAB_METHOD, method)));
    }
}

/* Staging paths out of a message: "/tmp/msoko-upload-0/<token>/bad.csv:2:8: …" becomes
 * "bad.csv:2:8: …" (the folder and the token of a checked upload are nobody's business). In
 * place; 1 when something was cut. */
static int scrub_staging(char *s)
{
    static const char mark[] = "msoko-upload-";
    int cut = 0;
    char *m;
    while ((m = strstr(s, mark))) {
        char *start = m;
        while (start > s && start[-1] != ' ' && start[-1] != '"' && start[-1] != '\xab' &&
               start[-1] != '(' && start[-1] != '\n')
            start--;
        char *end = m + sizeof mark - 1;
        end += strspn(end, "0123456789");
        if (*end == '/') {
            end++;
            char *tok = end;
            end += strspn(end, "0123456789abcdef");
            if (*end == '/' && end > tok)
                end++;
            else
                end = tok;
        }
        memmove(start, end, strlen(end) + 1);
        cut = 1;
    }
    return cut;
}

static void scrub_json(json_t *v, int depth)
{
    if (depth > 16)
        return;
    if (json_is_string(v)) {
        const char *str = json_string_value(v);
        if (!strstr(str, "msoko-upload-"))
            return;
        char *c = msk_strdup(str);
        scrub_staging(c);
        json_string_set(v, c);
        free(c);
    } else if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) scrub_json(e, depth + 1);
    } else if (json_is_object(v)) {
        const char *k;
        json_t *e;
        json_object_foreach(v, k, e) scrub_json(e, depth + 1);
    }
}

/* Public output: view_suppress, the one rule (src/view). */
void web_public_only(json_t *data)
{
    view_suppress(data);
}

/* The CSRF token inside a page body: a mark replaced per request, so a rendered body can be
 * kept and served to every session (the mark cannot come from data: escaping keeps \x01). */
#define CSRF_MARK "\x01csrf\x01"

static void template_error(web_req *r, const msk_err *err)
{
    r->status = 500;
    msk_buf_reset(&r->out);
    msk_buf_puts(&r->out, "<!doctype html><meta charset=utf-8><title>Ошибка</title>"
                          "<h1>Внутренняя ошибка: шаблон страницы</h1><p>");
    tmpl_escape_html(&r->out, err->msg, strlen(err->msg));
    msk_buf_puts(&r->out, "</p>\n");
}

#define CONTENT_MARK "\x01content\x01"

/* Append s[0..n) with the session's CSRF token in place of each mark. */
static void add_with_csrf(web_req *r, const char *p, size_t n)
{
    const char *end = p + n, *q = p;
    size_t ml = sizeof CSRF_MARK - 1;
    /* memchr for the mark's first byte (vectorised; glibc's memmem was a fifth of a kept
     * page's cost), then compare the rest */
    while ((q = memchr(q, CSRF_MARK[0], (size_t)(end - q)))) {
        if ((size_t)(end - q) >= ml && !memcmp(q, CSRF_MARK, ml)) {
            msk_buf_add(&r->out, p, (size_t)(q - p));
            msk_buf_puts(&r->out, r->user.csrf);
            p = q = q + ml;
        } else {
            q++;
        }
    }
    msk_buf_add(&r->out, p, (size_t)(end - p));
}

/* The layout around a rendered body (spliced in at a mark: the body never goes through jansson,
 * whose UTF-8 check of a 200 KB string cost more than the rest of the request), then the
 * session's CSRF token in place of the marks. */
static void render_layout(web_req *r, const char *title, const char *content, size_t clen)
{
    json_t *m =
        json_pack("{s:s,s:o,s:o,s:i,s:s,s:s}", "title", title, "nav", nav(r), "years",
                  year_links(r), "year", r->year, "csrf", CSRF_MARK, "content_html", CONTENT_MARK);
    json_object_set_new(m, "crumbs", r->crumbs ? json_incref(r->crumbs) : json_array());
    if (r->user.role != VIEW_PUBLIC)
        json_object_set_new(
            m, "user",
            json_pack("{s:s,s:s}", "login", r->user.login, "role", web_role_name(r->user.role)));
    size_t len;
    const char *layout = web_template(NULL, "layout", &len);
    msk_err err;
    msk_err_clear(&err);
    msk_buf out;
    msk_buf_init(&out, r->out.max);
    int rc = layout ? tmpl_render(layout, len, m, NULL, NULL, &out, &err) : -1;
    json_decref(m);
    r->ctype = "text/html; charset=utf-8";
    if (rc) {
        msk_buf_release(&out);
        template_error(r, &err);
        return;
    }
    msk_buf_reset(&r->out);
    const char *at = memmem(out.data, out.len, CONTENT_MARK, sizeof CONTENT_MARK - 1);
    size_t pre = at ? (size_t)(at - out.data) : out.len;
    add_with_csrf(r, out.data, pre);
    if (at) {
        add_with_csrf(r, content, clen);
        size_t post = pre + sizeof CONTENT_MARK - 1;
        add_with_csrf(r, out.data + post, out.len - post);
    }
    msk_buf_release(&out);
}

/* The generation of the view this page was made from, when it may be kept (0: not). */
static uint64_t keepable(web_req *r)
{
    return r->cache_key && r->status == 200 && r->vy ? web_cache_gen(r->srv, r->vy) : 0;
}

int web_page(web_req *r, const char *tmpl, const char *title, json_t *data)
{
    if (r->user.role == VIEW_PUBLIC)
        web_public_only(data); /* UI.md: cells under 5 pupils never reach the public */
    if (r->post) /* the answers to forms carry messages: imports name their staged file */
        scrub_json(data, 0);
    decorate(data, 0);
    uint64_t gen = keepable(r);
    if (r->json) {
        render_json(r, data);
        json_decref(data);
        if (gen)
            web_pcache_put(r->srv, r->cache_key, gen, r->out.data, r->out.len, title, "[]");
        return 0;
    }
    /* the body first, with the CSRF mark; then the layout with this request's parts */
    json_t *m = json_pack("{s:o,s:i,s:s}", "page", data, "year", r->year, "csrf", CSRF_MARK);
    static const char wrap[] = "{{#page}}{{>content}}{{/page}}";
    struct {
        const char *name;
    } ctx = {tmpl};
    msk_err err;
    msk_err_clear(&err);
    msk_buf body;
    msk_buf_init(&body, r->out.max);
    int rc = tmpl_render(wrap, sizeof wrap - 1, m, web_template, &ctx, &body, &err);
    json_decref(m);
    if (rc) {
        msk_buf_release(&body);
        template_error(r, &err);
        return 0;
    }
    render_layout(r, title, body.data, body.len);
    if (gen) { /* the body goes to the kept pages as it is */
        char *crumbs = json_dumps(r->crumbs ? r->crumbs : json_array(), JSON_COMPACT);
        size_t len;
        char *kept = msk_buf_detach(&body, &len);
        web_pcache_keep(r->srv, r->cache_key, gen, kept ? kept : msk_strdup(""), len, title,
                        crumbs ? crumbs : "[]");
        free(crumbs);
    }
    msk_buf_release(&body);
    return 0;
}

int web_page_cached(web_req *r)
{
    view_year *v = web_view_year(r);
    if (!v)
        return 1; /* the error page is made */
    uint64_t gen = web_cache_gen(r->srv, v);
    msk_buf body;
    char *title = NULL, *crumbs = NULL;
    msk_buf_init(&body, r->out.max);
    int hit = gen && web_pcache_get(r->srv, r->cache_key, gen, &body, &title, &crumbs);
    if (hit && r->json) {
        msk_buf_release(&r->out);
        r->out = body;
        r->ctype = "application/json; charset=utf-8";
    } else if (hit) {
        json_decref(r->crumbs);
        r->crumbs = json_loads(crumbs, 0, NULL);
        render_layout(r, title, body.data, body.len);
        msk_buf_release(&body);
    } else {
        msk_buf_release(&body);
    }
    free(title);
    free(crumbs);
    return hit;
}

int web_fail(web_req *r, int status, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    scrub_staging(msg);
    r->status = status;
    r->location[0] = '\0';
    r->disposition[0] = '\0';
    json_decref(r->crumbs);
    r->crumbs = NULL;
    json_t *d = json_pack("{s:s,s:i}", "error", msg, "status", status);
    if (status == 401) {
        char tok[65];
        web_login_token(r, tok);
        json_object_set_new(d, "login_csrf", json_string(tok));
        json_object_set_new(d, "next", json_string(r->path));
    }
    if (status == 404 || status == 403)
        json_object_set_new(
            d, "back",
            json_pack("{s:s,s:s}", "href", r->user.role >= VIEW_ANALYST ? "/" : "/open", "label",
                      r->user.role >= VIEW_ANALYST ? "Сводка муниципалитета" : "Открытые данные"));
    const char *title = status == 401   ? "Нужен вход"
                        : status == 403 ? "Нет доступа"
                        : status == 404 ? "Не найдено"
                        : status == 413 ? "Слишком большой запрос"
                        : status == 422 ? "Ошибка в данных"
                        : status == 429 ? "Слишком много попыток"
                                        : "Ошибка";
    return web_page(r, "error", title, d);
}

int web_view_fail(web_req *r, int rc, const msk_err *err, const char *back, const char *label)
{
    if (rc == VIEW_FORBIDDEN) /* the view's message says who may see it, when it has one */
        return err && err->msg[0] ? web_fail(r, 403, "Нет доступа: %s", err->msg)
                                  : web_fail(r, 403,
                                             "Эта страница доступна только аналитику "
                                             "муниципалитета или оператору этой школы");
    if (rc == VIEW_NOT_FOUND) {
        web_fail(r, 404, "Не найдено: %s", err && err->msg[0] ? err->msg : r->path);
        if (!r->json && back) { /* the 404 offers the list it came from */
            json_t *d = json_pack("{s:s,s:i,s:{s:s,s:s}}", "error", "Такой страницы нет", "status",
                                  404, "back", "href", back, "label", label);
            return web_page(r, "error", "Не найдено", d);
        }
        return 0;
    }
    return web_fail(r, 500, "Ошибка: %s", err ? err->msg : "неизвестная");
}

void web_attachment_name(web_req *r, const char *prefix, int64_t id, const char *name)
{
    msk_buf b;
    msk_buf_init(&b, 0);
    tmpl_escape_url(&b, name, strlen(name));
    const char *dot = strrchr(name, '.');
    char ext[16] = "";
    if (dot && strlen(dot) < sizeof ext &&
        strspn(dot + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") ==
            strlen(dot + 1))
        snprintf(ext, sizeof ext, "%s", dot);
    snprintf(r->disposition, sizeof r->disposition,
             "attachment; filename=\"%s-%lld%s\"; filename*=UTF-8''%s", prefix, (long long)id, ext,
             b.len < 180 ? b.data : "");
    msk_buf_release(&b);
}

int web_param_id(const web_req *r, int64_t *id)
{
    char *end;
    long long v = strtoll(r->param, &end, 10);
    if (end == r->param || *end || v <= 0)
        return 1;
    *id = v;
    return 0;
}

const web_field *web_form_file(const web_req *r, const char *name)
{
    const web_field *file = NULL;
    for (size_t i = 0; i < r->form.n; i++)
        if (!strcmp(r->form.fields[i].name, name) && r->form.fields[i].file_name &&
            r->form.fields[i].file_name[0])
            file = &r->form.fields[i];
    return file;
}
