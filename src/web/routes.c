/*
 * The route table: one row per page with its method, path, handler, the least role that may
 * open it, and its help (STYLE.md "One program, many commands, one table"; the /api page lists
 * it). Handlers build the page's view model with src/view/ and hand it to web_page, which renders
 * it or returns it as JSON. Writes (import, undo, analysis) call their use case (src/app/):
 * one transaction each, with an audit row.
 */
#include "web/internal.h"
#include "web/routes_internal.h"

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
int web_h_reconcile(web_req *r);   /* web/reconcile.c */
int web_h_report(web_req *r);      /* web/routes_report.c */
int web_h_report_file(web_req *r); /* web/routes_report.c */
/* the first run, users and forms of the admin: web/admin.c */
int web_h_setup_form(web_req *r);
int web_h_setup(web_req *r);
int web_h_admin_users(web_req *r);
int web_h_admin_user_add(web_req *r);
int web_h_admin_user_password(web_req *r);
int web_h_admin_user_role(web_req *r);
int web_h_admin_user_disable(web_req *r);
int web_h_admin_user_enable(web_req *r);
int web_h_admin_user_delete(web_req *r);
int web_h_admin_forms(web_req *r);
int web_h_admin_form_load(web_req *r);
int web_h_admin_form_assign(web_req *r);

/* ---- small helpers ---- */

int web_year_crumbs(web_req *r)
{
    if (r->user.role >= VIEW_ANALYST)
        web_crumb(r, "Сводка", "/");
    return 0;
}

/* A CSV text field: neutralised against formulas and quoted (src/base/sheet.h, the one rule). */
void web_csv_field(msk_buf *b, const char *s)
{
    sheet_csv_text(b, s, ';');
}

/* A CSV number field: a JSON integer written as a number (never neutralised), else empty. */
void web_csv_int(msk_buf *b, const json_t *v)
{
    if (json_is_integer(v))
        msk_buf_printf(b, "%lld", (long long)json_integer_value(v));
}

/* A CSV number field with a decimal comma, never neutralised: decimals < 0 writes the shortest
 * form (%.10g), else an integer as is and a real with that many decimals; not a number: empty. */
void web_csv_num(msk_buf *b, const json_t *v, int decimals)
{
    if (!json_is_number(v))
        return;
    char t[64];
    if (decimals < 0)
        snprintf(t, sizeof t, "%.10g", json_number_value(v));
    else
        snprintf(t, sizeof t, "%.*f", json_is_integer(v) ? 0 : decimals, json_number_value(v));
    char *dot = strchr(t, '.');
    if (dot)
        *dot = ',';
    msk_buf_puts(b, t);
}

/* One CSV field made of the strings of a JSON array joined by sep; an element that is an object
 * gives its "label" (a badge: the word people read, never the list's code). */
void web_csv_joined(msk_buf *out, const json_t *arr, const char *sep)
{
    msk_buf b;
    size_t k;
    json_t *x;
    msk_buf_init(&b, 0);
    json_array_foreach(arr, k, x)
    {
        const char *t = json_string_value(json_is_object(x) ? json_object_get(x, "label") : x);
        if (k)
            msk_buf_puts(&b, sep);
        msk_buf_puts(&b, t ? t : "");
    }
    web_csv_field(out, b.data);
    msk_buf_release(&b);
}

const char *web_jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* Start a CSV download (UTF-8 with BOM and «;» so that Excel opens it as is). */
void web_csv_begin(web_req *r, const char *name)
{
    msk_buf_reset(&r->out);
    msk_buf_puts(&r->out, "\xEF\xBB\xBF");
    r->ctype = "text/csv; charset=utf-8";
    snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"%s-%d.csv\"", name,
             r->year);
}

int web_wants_csv(web_req *r)
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
        return web_redirect(r, web_no_users(r) ? "/setup" : "/open");
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
    json_t *marks = web_flag_marks(r);
    if (!marks) {
        json_decref(d);
        return 0;
    }
    static const char *const lists[] = {"shnor", "risk", "objectivity"};
    size_t k;
    json_t *it;
    for (size_t l = 0; l < 3; l++)
        json_array_foreach(
            json_object_get(json_object_get(json_object_get(d, "lists"), lists[l]), "schools"), k,
            it) web_flag_item(r, it, marks, lists[l]);
    json_array_foreach(json_object_get(json_object_get(d, "rating"), "top"), k, it)
        web_flag_item(r, it, marks, "rating");
    json_array_foreach(json_object_get(json_object_get(d, "rating"), "bottom"), k, it)
        web_flag_item(r, it, marks, "rating");
    json_decref(marks);
    web_crumb(r, "Сводка", NULL);
    if (!r->json)
        web_chart_dashboard(d);
    return web_page(r, "dashboard", title, d);
}

/* ---- the index of routes (the API's own help) ---- */

static const char *role_key(int role)
{
    static const char *const k[] = {"public", "school", "analyst", "admin"};
    /* "analyst" includes the regional analyst; the route decides what the scope may see */
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
    {"GET", "/setup", web_h_setup_form, VIEW_PUBLIC,
     "первый запуск: форма учётной записи администратора (только пока нет ни одного "
     "пользователя, потом 404)",
     0},
    {"POST", "/setup", web_h_setup, VIEW_PUBLIC,
     "первый запуск: создать администратора и войти: login, password, password2, csrf", 0},
    {"GET", "/login", web_handle_login_form, VIEW_PUBLIC, "форма входа", 0},
    {"POST", "/login", web_handle_login, VIEW_PUBLIC, "вход: login, password, csrf", 0},
    {"POST", "/logout", web_handle_logout, VIEW_SCHOOL, "выход", 0},
    {"POST", "/logout/all", web_handle_logout_all, VIEW_SCHOOL, "выйти на всех устройствах", 0},
    {"GET", "/account", web_handle_account, VIEW_SCHOOL,
     "учётная запись: смена пароля, выход на всех устройствах", 0},
    {"POST", "/account/password", web_handle_password, VIEW_SCHOOL,
     "сменить пароль: current, password, password2", 0},
    {"GET", "/municipalities", web_h_municipalities, VIEW_ANALYST,
     "муниципалитеты края рядом (региональный аналитик): школы, ШНОР (число и доля), зона "
     "риска, признаки необъективности, распределения отметок по процедурам",
     0},
    {"GET", "/schools", web_h_schools, VIEW_ANALYST,
     "школы года с фильтрами type, locality, list, q; format=csv", 1},
    {"GET", "/schools/:", web_h_school, VIEW_SCHOOL,
     "школа: результаты, признаки с обоснованием, динамика", 1},
    {"GET", "/schools/:/flags/:", web_h_card, VIEW_SCHOOL,
     "обоснование признака школы (shnor, risk, objectivity, rating): числа, порог, динамика, "
     "график, пояснения школы",
     0},
    {"POST", "/schools/:/flags/:/answer", web_h_answer_add, VIEW_SCHOOL,
     "пояснение школы к признаку (multipart: text, file; оператор этой школы)", 0},
    {"POST", "/answers/:/accept", web_h_answer_accept, VIEW_ANALYST,
     "принять пояснение школы: comment", 0},
    {"POST", "/answers/:/reject", web_h_answer_reject, VIEW_ANALYST,
     "отклонить пояснение школы: comment (обязателен)", 0},
    {"GET", "/answers/files/:", web_h_answer_file, VIEW_SCHOOL, "файл пояснения школы", 0},
    {"GET", "/procedures/:", web_h_procedure, VIEW_SCHOOL,
     "процедура (VPR-math-5): отметки по школам, баллы, задания", 1},
    {"GET", "/lists/reconcile", web_h_reconcile, VIEW_ANALYST,
     "сверка списков года с ШНОР ФИОКО, федеральным и региональным списками", 1},
    {"GET", "/lists/:", web_h_list, VIEW_SCHOOL,
     "список года: shnor, risk, objectivity (аналитик), rating (и оператор школы: без чисел "
     "малых групп других школ); format=csv|xlsx",
     1},
    {"POST", "/analyze", web_h_analyze, VIEW_ANALYST, "запустить анализ года: year", 0},
    {"GET", "/imports", web_h_imports, VIEW_ANALYST, "загрузки: форма и история", 0},
    {"POST", "/imports", web_h_import_check, VIEW_ANALYST,
     "проверка файла без записи (multipart: file, kind, year …)", 0},
    {"POST", "/imports/confirm", web_h_import_confirm, VIEW_ANALYST, "загрузить проверенный файл",
     0},
    {"POST", "/imports/:/undo", web_h_import_undo, VIEW_ANALYST, "отменить загрузку", 0},
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
     "дорожная карта года: все пункты с фильтрами status (overdue, month, planned, in_progress, "
     "done, cancelled), responsible, section, roadmap",
     0},
    {"GET", "/plan/files/:", web_h_plan_file, VIEW_ANALYST, "файл подтверждения пункта плана", 0},
    {"GET", "/plan/:", web_h_plan_item, VIEW_ANALYST,
     "пункт плана: сроки, статус, файлы подтверждения, история изменений", 0},
    {"POST", "/plan/:/files", web_h_plan_attach, VIEW_ANALYST,
     "приложить файл подтверждения к пункту плана (multipart: file)", 0},
    {"POST", "/plan/:/status", web_h_plan_status, VIEW_ANALYST,
     "статус пункта плана: status, note, back=item (вернуться на страницу пункта)", 0},
    {"GET", "/decisions", web_h_decisions, VIEW_ANALYST,
     "управленческие решения по итогам анализа прошлого года и их результат, решения года, "
     "форма записи",
     1},
    {"POST", "/decisions", web_h_decision_add, VIEW_ANALYST,
     "записать решение: year, kind, number, date, text, list, school (несколько), other, "
     "responsible, due",
     0},
    {"GET", "/decisions/files/:", web_h_decision_file, VIEW_SCHOOL,
     "файл решения (аналитик; оператор школы, которой оно адресовано)", 0},
    {"GET", "/decisions/:", web_h_decision, VIEW_SCHOOL,
     "решение: текст, школы, результат по анализу следующего года, файлы", 1},
    {"POST", "/decisions/:/files", web_h_decision_attach, VIEW_ANALYST,
     "приложить файл к решению (multipart: file)", 0},
    {"GET", "/directions", web_h_directions, VIEW_PUBLIC,
     "девять направлений МСОКО за год: достигнута ли цель, показатели, школы вне цели, решения "
     "(гостю — только муниципальные показатели)",
     1},
    {"GET", "/directions/:", web_h_direction, VIEW_PUBLIC,
     "направление МСОКО (shnor, talents …): цели, показатели с целевыми значениями и динамикой за "
     "три года, школы вне цели и рекомендации им, управленческие решения и их результат; "
     "format=csv (показатели), format=csv&table=outside (школы вне цели)",
     1},
    {"GET", "/registries", web_h_registries, VIEW_SCHOOL,
     "реестры (педагоги, курсы ДПО, эксперты, одарённые, резерв, практики) и педагоги по школам "
     "года; оператор школы — только своя школа",
     0},
    {"GET", "/registries/:", web_h_registry, VIEW_SCHOOL,
     "реестр: поиск q, school, ryear, f_СТОЛБЕЦ; format=csv|xlsx — найденные строки", 0},
    {"POST", "/registries/:/upload", web_h_registry_upload, VIEW_SCHOOL,
     "загрузить файл реестра (multipart: file, year): при ошибке ничего не записывается", 0},
    {"GET", "/registries/:/:", web_h_registry_row, VIEW_SCHOOL,
     "строка реестра: форма (ID или new)", 0},
    {"POST", "/registries/:/:", web_h_registry_save, VIEW_SCHOOL,
     "сохранить строку реестра: v_СТОЛБЕЦ; action=delete — удалить", 0},
    {"GET", "/report", web_h_report, VIEW_ANALYST,
     "аналитическая справка года: выбор школы и формата", 0},
    {"GET", "/report/file", web_h_report_file, VIEW_ANALYST,
     "скачать справку: year, school (пусто — муниципальная), format=pdf|xlsx|html", 0},
    {"GET", "/open", web_h_open, VIEW_PUBLIC, "открытые данные: сводные показатели без малых групп",
     1},
    {"GET", "/open/schools/:", web_h_open_school, VIEW_PUBLIC, "открытые данные школы", 1},
    {"GET", "/admin/audit", web_h_audit, VIEW_ADMIN,
     "журнал изменений: user, action, school, from, to (дд.мм.гггг), page; format=csv|xlsx", 0},
    {"GET", "/admin/backup", web_h_backup, VIEW_ADMIN,
     "резервная копия всей базы данных (gzip), свежая на момент запроса", 0},
    {"GET", "/admin/users", web_h_admin_users, VIEW_ADMIN,
     "пользователи: роль, школа, последний вход, отключён ли; формы добавления и изменения", 0},
    {"POST", "/admin/users", web_h_admin_user_add, VIEW_ADMIN,
     "добавить пользователя: login, role (analyst, school, admin), school; пароль создаётся и "
     "показывается один раз",
     0},
    {"POST", "/admin/users/:/password", web_h_admin_user_password, VIEW_ADMIN,
     "сбросить пароль: новый показывается один раз, сеансы пользователя завершаются", 0},
    {"POST", "/admin/users/:/role", web_h_admin_user_role, VIEW_ADMIN,
     "сменить роль и школу: role, school", 0},
    {"POST", "/admin/users/:/disable", web_h_admin_user_disable, VIEW_ADMIN,
     "отключить пользователя (вход закрыт, сеансы завершены)", 0},
    {"POST", "/admin/users/:/enable", web_h_admin_user_enable, VIEW_ADMIN, "снова разрешить вход",
     0},
    {"POST", "/admin/users/:/delete", web_h_admin_user_delete, VIEW_ADMIN,
     "удалить пользователя: confirm=yes (журнал его действий остаётся)", 0},
    {"GET", "/admin/forms", web_h_admin_forms, VIEW_ADMIN,
     "формы мониторинга: загрузка описания, кто сдаёт, срок сдачи", 0},
    {"POST", "/admin/forms", web_h_admin_form_load, VIEW_ADMIN,
     "загрузить описание формы (multipart: file — INI, как для msoko form load)", 0},
    {"POST", "/admin/forms/:/assign", web_h_admin_form_assign, VIEW_ADMIN,
     "кто сдаёт форму и срок: schools ('' все, shnor, risk, objectivity), due_days", 0},
    {"GET", "/api", h_api, VIEW_PUBLIC, "этот список адресов", 0},
    {"GET", "/static/:", h_static, VIEW_PUBLIC, "стили и скрипты", 0},
};
const size_t WEB_NROUTES = sizeof WEB_ROUTES / sizeof WEB_ROUTES[0];
