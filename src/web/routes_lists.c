/*
 * The analyst's pages of a year: schools (with their filters), a school, a procedure, a list
 * of the year (and its CSV), and POST /analyze.
 */
#include "web/internal.h"
#include "web/routes_internal.h"
#include "web/tmpl.h"

#include "base/mem.h"
#include "base/sheet.h"
#include "app/app.h"
#include "base/vocab.h"
#include "engine/engine.h"
#include "ingest/header.h"
#include "ingest/import.h"
#include "store/plan.h"
#include "store/user.h"
#include "view/card.h"

#include <microhttpd.h>
#include <xlsxwriter.h>
#include <sodium.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The filter form's choices with the chosen one marked (a GET form keeps its state in the
 * URL): types and localities as the year's schools have them, and the lists. */
static void add_option(json_t *a, const char *value, const char *label, const char *chosen)
{
    size_t i;
    json_t *o;
    json_array_foreach(a, i, o) if (!strcmp(web_jstr(o, "value"), value)) return;
    json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", value, "label", label, "selected",
                                       chosen && !strcmp(chosen, value)));
}

static void filter_options(const view_year *v, const view_filter *f, json_t *d)
{
    json_t *types = json_array(), *locs = json_array(), *lists = json_array();
    /* every school's type and locality, as the unfiltered list names them (building that
     * list again for them was a third of the page) */
    json_t *s; /* read only (web_jstr takes no const) */
    for (size_t i = 0; (s = (json_t *)view_school_at(v, i)); i++) {
        if (*web_jstr(s, "type"))
            add_option(types, web_jstr(s, "type"), web_jstr(s, "type_name"), f->type);
        if (*web_jstr(s, "locality"))
            add_option(locs, web_jstr(s, "locality"), web_jstr(s, "locality_name"), f->locality);
    }
    static const char *const listed[] = {"shnor", "risk", "objectivity"};
    for (size_t i = 0; i < sizeof listed / sizeof listed[0]; i++)
        add_option(lists, listed[i], vocab_lower(VOCAB_METHOD, listed[i]), f->list);
    json_object_set_new(
        d, "options",
        json_pack("{s:o,s:o,s:o}", "types", types, "localities", locs, "lists", lists));
}

int web_h_schools(web_req *r)
{
    web_year_crumbs(r);
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
    /* an unset filter is an empty text: a null would print «—» into the search box and into
     * the CSV link, and «—» matches no school */
    json_object_set_new(d, "filter",
                        json_pack("{s:s,s:s,s:s,s:s}", "type", f.type ? f.type : "", "locality",
                                  f.locality ? f.locality : "", "list", f.list ? f.list : "", "q",
                                  f.q ? f.q : ""));
    filter_options(v, &f, d);
    json_t *schools = json_object_get(d, "schools"), *marks = web_flag_marks(r);
    if (!marks) {
        json_decref(d);
        return 0;
    }
    size_t k;
    json_t *sch;
    json_array_foreach(schools, k, sch) web_flag_badges(r, sch, marks, web_jstr(sch, "code"));
    json_decref(marks);
    if (web_wants_csv(r)) { /* exactly the rows shown */
        web_csv_begin(r, "schools");
        msk_buf_puts(&r->out, "Код;Школа;Тип;Местность;Участников;Место в рейтинге;Списки\r\n");
        size_t i;
        json_t *s;
        json_array_foreach(schools, i, s)
        {
            web_csv_field(&r->out, web_jstr(s, "code"));
            msk_buf_putc(&r->out, ';');
            web_csv_field(&r->out, web_jstr(s, "name"));
            msk_buf_putc(&r->out, ';');
            web_csv_field(&r->out, web_jstr(s, "type_name"));
            msk_buf_putc(&r->out, ';');
            web_csv_field(&r->out, web_jstr(s, "locality_name"));
            msk_buf_putc(&r->out, ';');
            web_csv_int(&r->out, json_object_get(s, "participants"));
            msk_buf_putc(&r->out, ';');
            web_csv_int(&r->out, json_object_get(s, "rank"));
            msk_buf_putc(&r->out, ';');
            web_csv_joined(&r->out, json_object_get(s, "badge_list"), ", ");
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

int web_h_school(web_req *r)
{
    web_year_crumbs(r);
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
    char today[11];
    store_plan_today(today);
    int rc = app_school_page(r->db, v, &c, r->param, today, &d, &err); /* as msoko show has it */
    if (rc)
        return web_view_fail(r, rc, &err, "/schools", "Список школ");
    json_object_set_new(d, "school_code", json_string(r->param));
    web_decisions_table(json_object_get(d, "decisions"));
    json_t *marks = web_flag_marks(r);
    if (!marks) {
        json_decref(d);
        return 0;
    }
    web_flag_badges(r, d, marks, r->param);
    size_t k;
    json_t *f;
    json_array_foreach(json_object_get(d, "findings"), k,
                       f) if (view_card_list_name(web_jstr(f, "method")))
        view_answer_mark(f, marks, r->param, web_jstr(f, "method"), r->year);
    if (json_is_object(json_object_get(d, "rating")) && web_may_card(r, r->param))
        view_answer_mark(json_object_get(d, "rating"), marks, r->param, "rating", r->year);
    json_decref(marks);
    const char *name = web_jstr(json_object_get(d, "school"), "name");
    char title[300];
    snprintf(title, sizeof title, "%s: результаты и признаки", name);
    web_crumb(r, name, NULL);
    if (!r->json) {
        web_dynamics_table(d);
        /* a chart per flag, made from its card: the rule's measure, threshold and marks */
        json_array_foreach(json_object_get(d, "findings"), k, f)
        {
            json_t *card = NULL;
            msk_err_clear(&err);
            if (view_card(v, &c, r->param, web_jstr(f, "method"), &card, &err) == 0)
                web_chart_flag(f, card);
            json_decref(card);
        }
    }
    return web_page(r, "school", title, d);
}

int web_h_procedure(web_req *r)
{
    web_year_crumbs(r);
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
            if (!strcmp(web_jstr(json_object_get(s, "school"), "code"), r->user.school))
                json_array_append(own, s);
        }
        json_object_set_new(d, "schools", own);
    }
    if (school)
        json_object_set_new(d, "for_school", json_string(school));
    const char *t = web_jstr(json_object_get(d, "proc"), "title");
    web_crumb(r, t, NULL);
    char title[300];
    snprintf(title, sizeof title, "%s, %d год", t, r->year);
    if (!r->json)
        web_chart_procedure(d);
    return web_page(r, "procedure", title, d);
}

/* ---- the rating as a table (seed 000, табл. 1: a row per school, a column per criterion) ----
 * The table is made from a column list: a column is one line here. Each row of the view's
 * items is flattened into an object keyed by the column keys; filters (type, locality) and the
 * sort (?sort=KEY&dir=asc|desc, server-side so it works without JS) pick the rows, and the page,
 * the JSON, the CSV and the XLSX all take these same rows. */
typedef struct {
    const char *key, *label;
    int numeric;
} tcol;

static const tcol RATING_COLS[] = {
    {"rank", "Место", 1},
    {"code", "Код", 0},
    {"name", "Школа", 0},
    {"type_name", "Тип", 0},
    {"locality_name", "Местность", 0},
    {"vpr_noo", "1.1 ВПР, НОО", 1},
    {"vpr_ooo", "1.2 ВПР, ООО", 1},
    {"vpr_soo", "1.3 ВПР, СОО", 1},
    {"rkr", "2 РКР", 1},
    {"mkr", "3 МКР", 1},
    {"gia", "4 ГИА", 1},
    {"continuation", "5 Продолжение обучения", 1},
    {"olympiad", "6 Олимпиады", 1},
    {"contests", "7 Конкурсы", 1},
    {"points", "Сумма баллов", 1},
    {"rank_range_text", "Диапазон мест", 0},
    {"prev_rank", "Место в прошлом году", 1},
    {"prev_points", "Сумма в прошлом году", 1},
};
enum { NRATING_COLS = sizeof RATING_COLS / sizeof RATING_COLS[0] };

static json_t *rating_row(json_t *it)
{
    json_t *s = json_object_get(it, "school"), *cr = json_object_get(it, "criteria");
    json_t *row = json_object();
    for (size_t k = 0; k < NRATING_COLS; k++) {
        const char *key = RATING_COLS[k].key;
        json_t *x = json_object_get(it, key);
        if (!x)
            x = json_object_get(s, key);
        if (!x)
            x = json_object_get(cr, key);
        json_object_set_new(row, key, x ? json_incref(x) : json_null());
    }
    json_object_set(row, "type", json_object_get(s, "type"));
    json_object_set(row, "locality", json_object_get(s, "locality"));
    static const char *const flag[] = {"card", "answer_status", "answer_status_label"};
    for (size_t k = 0; k < 3; k++) /* src/web/flags.c, when the user may open the card */
        if (json_object_get(it, flag[k]))
            json_object_set(row, flag[k], json_object_get(it, flag[k]));
    return row;
}

/* Rows by the sort column; an empty cell last either way, ties by rank (the act's order). */
static int cmp_rows(json_t *a, json_t *b, const tcol *sort_col, int sort_desc)
{
    json_t *x = json_object_get(a, sort_col->key), *y = json_object_get(b, sort_col->key);
    int nx = json_is_null(x) || !x, ny = json_is_null(y) || !y, r = 0;
    if (nx || ny)
        r = nx - ny;
    else {
        if (sort_col->numeric) {
            double dx = json_number_value(x), dy = json_number_value(y);
            r = (dx > dy) - (dx < dy);
        } else
            r = strcmp(json_string_value(x) ? json_string_value(x) : "",
                       json_string_value(y) ? json_string_value(y) : "");
        if (sort_desc)
            r = -r;
    }
    if (r == 0) {
        double rx = json_number_value(json_object_get(a, "rank")),
               ry = json_number_value(json_object_get(b, "rank"));
        r = (rx > ry) - (rx < ry);
    }
    return r;
}

/* A number cell as the page shows it: «—» when empty, a true minus sign when negative. */
static void cell_text(const json_t *x, char *out, size_t n)
{
    if (json_is_string(x)) {
        snprintf(out, n, "%s", json_string_value(x));
        return;
    }
    if (!json_is_number(x)) {
        snprintf(out, n, "—");
        return;
    }
    double d = json_number_value(x);
    char num[48];
    if (d == (double)(long long)d)
        snprintf(num, sizeof num, "%lld", (long long)(d < 0 ? -d : d));
    else {
        snprintf(num, sizeof num, "%.1f", d < 0 ? -d : d);
        char *dot = strchr(num, '.');
        if (dot)
            *dot = ',';
    }
    snprintf(out, n, "%s%s", d < 0 ? "−" : "", num);
}

static void rating_csv(web_req *r, json_t *rows)
{
    web_csv_begin(r, "rating");
    for (size_t k = 0; k < NRATING_COLS; k++) {
        if (k)
            msk_buf_putc(&r->out, ';');
        web_csv_field(&r->out, RATING_COLS[k].label);
    }
    msk_buf_puts(&r->out, "\r\n");
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        for (size_t k = 0; k < NRATING_COLS; k++) {
            json_t *x = json_object_get(row, RATING_COLS[k].key);
            if (k)
                msk_buf_putc(&r->out, ';');
            if (json_is_number(x)) /* a number stays a number: never neutralised */
                web_csv_num(&r->out, x, -1);
            else if (json_is_string(x))
                web_csv_field(&r->out, json_string_value(x));
        }
        msk_buf_puts(&r->out, "\r\n");
    }
}

/* Close the book written to path and send it as the response (filename for the download). */
static int xlsx_send(web_req *r, lxw_workbook *wb, const char *path, lxw_error e,
                     const char *filename)
{
    if (workbook_close(wb) != LXW_NO_ERROR || e != LXW_NO_ERROR) {
        unlink(path);
        return web_fail(r, 500, "Ошибка записи файла XLSX");
    }
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        unlink(path);
        return web_fail(r, 500, "Файл XLSX не прочитан");
    }
    char buf[65536];
    size_t n;
    msk_buf_reset(&r->out);
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        msk_buf_add(&r->out, buf, n);
    fclose(fp);
    unlink(path);
    r->ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"%s\"", filename);
    return 0;
}

/* rows (objects keyed by cols[].key) as one sheet named sheet, sent as file name; the first
 * freeze columns stay in view. */
static int table_xlsx(web_req *r, const tcol *cols, size_t ncols, json_t *rows, const char *sheet,
                      const char *name, lxw_col_t freeze)
{
    char path[] = "/tmp/msoko-list-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return web_fail(r, 500, "Не удалось создать временный файл для XLSX");
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, sheet) : NULL;
    if (!ws) {
        if (wb)
            workbook_close(wb);
        unlink(path);
        return web_fail(r, 500, "Не удалось создать файл XLSX");
    }
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_text_wrap(bold);
    msk_buf scratch;
    msk_buf_init(&scratch, 0);
    lxw_error e = LXW_NO_ERROR;
    for (lxw_col_t k = 0; k < ncols && !e; k++)
        e = worksheet_write_string(ws, 0, k, sheet_text(cols[k].label, &scratch), bold);
    worksheet_set_column(ws, freeze - 1, freeze - 1, 36, NULL);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        for (lxw_col_t k = 0; k < ncols && !e; k++) {
            json_t *x = json_object_get(row, cols[k].key);
            lxw_row_t rr = (lxw_row_t)(i + 1);
            if (json_is_number(x))
                e = worksheet_write_number(ws, rr, k, json_number_value(x), NULL);
            else if (json_is_string(x))
                e = worksheet_write_string(ws, rr, k, sheet_text(json_string_value(x), &scratch),
                                           NULL);
        }
    }
    msk_buf_release(&scratch);
    worksheet_freeze_panes(ws, 1, freeze);
    worksheet_autofilter(ws, 0, 0, (lxw_row_t)json_array_size(rows), (lxw_col_t)(ncols - 1));
    return xlsx_send(r, wb, path, e, name);
}

/* The objectivity coefficient (issue 16 item 4) as table rows: one per school and re-checked
 * procedure, raw and corrected side by side; cells are JSON values (numbers stay numbers). */
static const char *const COEF_COLS[] = {"Код",
                                        "Школа",
                                        "В списке",
                                        "Коэффициент объективности",
                                        "Нижняя граница",
                                        "Верхняя граница",
                                        "Процедура",
                                        "Перепроверено работ",
                                        "Участников",
                                        "Средний первичный балл",
                                        "Средний балл с поправкой",
                                        "Доля «4»–«5»",
                                        "Доля «4»–«5» с поправкой",
                                        "Доля «2»",
                                        "Доля «2» с поправкой"};
enum { NCOEF_COLS = sizeof COEF_COLS / sizeof COEF_COLS[0] };

static json_t *coef_rows(const json_t *coefs)
{
    json_t *rows = json_array();
    size_t i, k;
    json_t *c, *p;
    json_array_foreach(coefs, i, c)
    {
        json_t *sc = json_object_get(c, "school"), *ci = json_object_get(c, "ci");
        json_array_foreach(json_object_get(c, "procedures"), k, p)
        {
            json_t *raw = json_object_get(p, "raw"), *cor = json_object_get(p, "corrected");
            json_array_append_new(
                rows, json_pack("[O?, O?, s, O?, O?, O?, O?, O?, O?, O?, O?, O?, O?, O?, O?]",
                                json_object_get(sc, "code"), json_object_get(sc, "name"),
                                json_is_true(json_object_get(c, "listed")) ? "да" : "нет",
                                json_object_get(c, "coefficient"), json_array_get(ci, 0),
                                json_array_get(ci, 1), json_object_get(p, "title"),
                                json_object_get(p, "works"), json_object_get(p, "participants"),
                                json_object_get(raw, "mean_primary"),
                                json_object_get(cor, "mean_primary"),
                                json_object_get(raw, "share45"), json_object_get(cor, "share45"),
                                json_object_get(raw, "share2"), json_object_get(cor, "share2")));
        }
    }
    return rows;
}

static lxw_error xlsx_rows(lxw_worksheet *ws, const char *const *head, size_t ncols,
                           const json_t *rows, lxw_format *bold, msk_buf *scratch)
{
    lxw_error e = LXW_NO_ERROR;
    for (lxw_col_t k = 0; k < ncols && !e; k++)
        e = worksheet_write_string(ws, 0, k, sheet_text(head[k], scratch), bold);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) for (lxw_col_t k = 0; k < ncols && !e; k++)
    {
        json_t *x = json_array_get(row, k);
        lxw_row_t rr = (lxw_row_t)(i + 1);
        if (json_is_number(x))
            e = worksheet_write_number(ws, rr, k, json_number_value(x), NULL);
        else if (json_is_string(x))
            e = worksheet_write_string(ws, rr, k, sheet_text(json_string_value(x), scratch), NULL);
    }
    worksheet_freeze_panes(ws, 1, 2);
    if (!e)
        worksheet_autofilter(ws, 0, 0, (lxw_row_t)json_array_size(rows), (lxw_col_t)(ncols - 1));
    return e;
}

/* The objectivity list as a book: the list (as its CSV) and the coefficients of the re-check. */
static const char *const OBJ_COLS[] = {"Код",          "Школа",       "Решение",
                                       "Обоснование",  "Ответ школы", "Коэффициент объективности",
                                       "95 % интервал"};
enum { NOBJ_COLS = sizeof OBJ_COLS / sizeof OBJ_COLS[0] };

static json_t *obj_rows(const json_t *items)
{
    json_t *rows = json_array();
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        json_t *s = json_object_get(it, "school"), *c = json_object_get(it, "coefficient");
        msk_buf why;
        msk_buf_init(&why, 0);
        size_t k;
        json_t *t;
        json_array_foreach(json_object_get(it, "text"), k, t)
            msk_buf_printf(&why, "%s%s", k ? " " : "", json_string_value(t));
        json_t *coef = json_object_get(c, "coefficient");
        json_array_append_new(
            rows, json_pack("[O?, O?, O?, s, O?, o, O?]", json_object_get(s, "code"),
                            json_object_get(s, "name"), json_object_get(it, "verdict_label"),
                            why.data, json_object_get(it, "answer_status_label"),
                            json_is_number(coef) ? json_incref(coef)
                            : json_is_object(c) ? json_string("нет перепроверенных работ")
                                                : json_null(),
                            json_object_get(c, "ci_text")));
        msk_buf_release(&why);
    }
    return rows;
}

static int obj_xlsx(web_req *r, json_t *d)
{
    char path[] = "/tmp/msoko-objectivity-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return web_fail(r, 500, "Не удалось создать временный файл для XLSX");
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "Признаки необъективности") : NULL;
    lxw_worksheet *wc = wb ? workbook_add_worksheet(wb, "Коэффициент объективности") : NULL;
    if (!ws || !wc) {
        if (wb)
            workbook_close(wb);
        unlink(path);
        return web_fail(r, 500, "Не удалось создать файл XLSX");
    }
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_text_wrap(bold);
    msk_buf scratch;
    msk_buf_init(&scratch, 0);
    json_t *lr = obj_rows(json_object_get(d, "items"));
    json_t *cr = coef_rows(json_object_get(d, "coefficients"));
    lxw_error e = xlsx_rows(ws, OBJ_COLS, NOBJ_COLS, lr, bold, &scratch);
    if (!e)
        e = xlsx_rows(wc, COEF_COLS, NCOEF_COLS, cr, bold, &scratch);
    json_decref(lr);
    json_decref(cr);
    msk_buf_release(&scratch);
    return xlsx_send(r, wb, path, e, "objectivity.xlsx");
}

static void list_csv(web_req *r, json_t *d)
{
    int obj = !strcmp(r->param, "objectivity");
    web_csv_begin(r, r->param);
    msk_buf_puts(&r->out, "Код;Школа;Решение;Обоснование;Ответ школы");
    msk_buf_puts(&r->out, obj ? ";Коэффициент объективности;95 % интервал\r\n" : "\r\n");
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(d, "items"), i, it)
    {
        json_t *s = json_object_get(it, "school");
        web_csv_field(&r->out, web_jstr(s, "code"));
        msk_buf_putc(&r->out, ';');
        web_csv_field(&r->out, web_jstr(s, "name"));
        msk_buf_putc(&r->out, ';');
        web_csv_field(&r->out, web_jstr(it, "verdict_label"));
        msk_buf_putc(&r->out, ';');
        web_csv_joined(&r->out, json_object_get(it, "text"), " ");
        msk_buf_putc(&r->out, ';');
        web_csv_field(&r->out, web_jstr(it, "answer_status_label"));
        if (obj) {
            json_t *c = json_object_get(it, "coefficient");
            msk_buf_putc(&r->out, ';');
            if (json_is_number(json_object_get(c, "coefficient")))
                web_csv_num(&r->out, json_object_get(c, "coefficient"), -1);
            else if (json_is_object(c))
                web_csv_field(&r->out, "нет перепроверенных работ");
            msk_buf_putc(&r->out, ';');
            web_csv_field(&r->out, web_jstr(c, "ci_text"));
        }
        msk_buf_puts(&r->out, "\r\n");
    }
}

/* The columns of a list's CSV and XLSX (the rating has its own, RATING_COLS). */
static const tcol LIST_COLS[] = {
    {"code", "Код", 0},         {"name", "Школа", 0},         {"verdict", "Решение", 0},
    {"text", "Обоснование", 0}, {"answer", "Ответ школы", 0},
};

/* A list (shnor, risk, objectivity) as XLSX: the rows of its CSV (issue 14 п. 6). */
static int list_xlsx(web_req *r, json_t *items)
{
    json_t *rows = json_array(), *it;
    size_t i;
    json_array_foreach(items, i, it)
    {
        json_t *s = json_object_get(it, "school"), *t = json_object_get(it, "text"), *x;
        msk_buf b;
        size_t k;
        msk_buf_init(&b, 0);
        json_array_foreach(t, k, x)
        {
            if (k)
                msk_buf_putc(&b, ' ');
            msk_buf_puts(&b, json_string_value(x) ? json_string_value(x) : "");
        }
        json_array_append_new(
            rows, json_pack("{s:s,s:s,s:s,s:s,s:s}", "code", web_jstr(s, "code"), "name",
                            web_jstr(s, "name"), "verdict", web_jstr(it, "verdict_label"), "text",
                            b.data ? b.data : "", "answer", web_jstr(it, "answer_status_label")));
        msk_buf_release(&b);
    }
    char name[64];
    snprintf(name, sizeof name, "%s-%d.xlsx", r->param, r->year);
    int rc = table_xlsx(r, LIST_COLS, sizeof LIST_COLS / sizeof LIST_COLS[0], rows,
                        !strcmp(r->param, "shnor")  ? "ШНОР"
                        : !strcmp(r->param, "risk") ? "Зона риска"
                                                    : "Необъективность",
                        name, 2);
    json_decref(rows);
    return rc;
}

/* ---- the filters of the ШНОР, risk and objectivity lists (issue 14: «filters (procedure,
 * subject, grade, type, locality)»): by the school (type, locality) and by the procedures its
 * evidence names (every object of the evidence with kind, subject and grade: ШНОР's low
 * procedures, the risk's ВПР results, the objectivity signs) ---- */

typedef struct list_filter {
    const char *type, *locality, *kind, *subject;
    long grade; /* 0: any */
} list_filter;

/* Does the evidence name a procedure that passes f (f's procedure fields empty: yes)? Adds every
 * procedure it names to the choices (kinds, subjects, grades: JSON objects used as sets). */
static int names_proc(const json_t *ev, const list_filter *f, json_t *kinds, json_t *subjects,
                      json_t *grades)
{
    int hit = 0;
    if (json_is_array(ev)) {
        size_t i;
        json_t *x;
        json_array_foreach(ev, i, x) hit |= names_proc(x, f, kinds, subjects, grades);
        return hit;
    }
    if (!json_is_object(ev))
        return 0;
    const char *kind = json_string_value(json_object_get(ev, "kind"));
    const char *subject = json_string_value(json_object_get(ev, "subject"));
    json_t *g = json_object_get(ev, "grade");
    if (kind && subject && json_is_integer(g)) {
        char gs[8];
        snprintf(gs, sizeof gs, "%lld", (long long)json_integer_value(g));
        json_object_set_new(kinds, kind, json_true());
        json_object_set_new(subjects, subject, json_true());
        json_object_set_new(grades, gs, json_true());
        hit |= (!f->kind || !strcmp(f->kind, kind)) &&
               (!f->subject || !strcmp(f->subject, subject)) &&
               (!f->grade || f->grade == json_integer_value(g));
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)ev, key, v) if (json_is_object(v) || json_is_array(v)) hit |=
        names_proc(v, f, kinds, subjects, grades);
    return hit;
}

/* [{value, label, selected}] of a set's keys; labels from the vocabulary (d < 0: the key). */
static json_t *choice_list(json_t *set, int d, const char *chosen, int numeric)
{
    json_t *a = json_array();
    const char *key;
    json_t *v;
    json_object_foreach(set, key, v)
    {
        char label[96];
        if (d >= 0)
            snprintf(label, sizeof label, "%s", vocab_label((vocab_domain)d, key));
        else
            snprintf(label, sizeof label, "%s%s", key, numeric ? " класс" : "");
        json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", key, "label", label,
                                           "selected", chosen && !strcmp(chosen, key)));
    }
    return a;
}

static const char *nonempty(web_req *r, const char *name)
{
    const char *v = web_arg(r, name);
    return v && v[0] ? v : NULL;
}

/* Keep in d["items"] the rows that pass the request's filters; the choices and the filter as
 * given into d["filters"]. Every output of the page (HTML, CSV, XLSX, JSON) shows those rows. */
static void list_filter_items(web_req *r, json_t *d)
{
    list_filter f = {nonempty(r, "type"), nonempty(r, "locality"), nonempty(r, "kind"),
                     nonempty(r, "subject"), 0};
    const char *gs = nonempty(r, "grade");
    if (gs)
        f.grade = strtol(gs, NULL, 10);
    json_t *items = json_object_get(d, "items"), *keep = json_array();
    json_t *types = json_object(), *locs = json_object(), *kinds = json_object(),
           *subjects = json_object(), *grades = json_object();
    json_t *tnames = json_object(), *lnames = json_object();
    size_t i;
    json_t *it;
    list_filter none = {NULL, NULL, NULL, NULL, 0};
    json_array_foreach(items, i, it)
    {
        json_t *sc = json_object_get(it, "school");
        const char *t = web_jstr(sc, "type"), *l = web_jstr(sc, "locality");
        json_object_set_new(types, t, json_true());
        json_object_set_new(tnames, t, json_string(web_jstr(sc, "type_name")));
        json_object_set_new(locs, l, json_true());
        json_object_set_new(lnames, l, json_string(web_jstr(sc, "locality_name")));
        int procs =
            names_proc(json_object_get(it, "evidence"), f.kind || f.subject || f.grade ? &f : &none,
                       kinds, subjects, grades);
        if ((f.type && strcmp(f.type, t)) || (f.locality && strcmp(f.locality, l)) ||
            ((f.kind || f.subject || f.grade) && !procs))
            continue;
        json_array_append(keep, it);
    }
    json_t *tl = json_array(), *ll = json_array();
    const char *key;
    json_t *v;
    json_object_foreach(types, key, v) json_array_append_new(
        tl, json_pack("{s:s,s:s,s:b}", "value", key, "label", web_jstr(tnames, key), "selected",
                      f.type && !strcmp(f.type, key)));
    json_object_foreach(locs, key, v) json_array_append_new(
        ll, json_pack("{s:s,s:s,s:b}", "value", key, "label", web_jstr(lnames, key), "selected",
                      f.locality && !strcmp(f.locality, key)));
    int filtered = f.type || f.locality || f.kind || f.subject || f.grade;
    json_object_set_new(d, "filters",
                        json_pack("{s:o,s:o,s:o,s:o,s:o,s:b,s:I,s:I}", "types", tl, "localities",
                                  ll, "kinds", choice_list(kinds, VOCAB_PROC_KIND, f.kind, 0),
                                  "subjects", choice_list(subjects, VOCAB_SUBJECT, f.subject, 0),
                                  "grades", choice_list(grades, -1, gs, 1), "on", filtered, "shown",
                                  (json_int_t)json_array_size(keep), "total",
                                  (json_int_t)json_array_size(items)));
    json_object_set_new(d, "items", keep);
    json_decref(types), json_decref(locs), json_decref(kinds), json_decref(subjects);
    json_decref(grades), json_decref(tnames), json_decref(lnames);
}

/* The query of the filters as given, "&type=…&kind=…", for the CSV and XLSX links. */
static void filter_query(web_req *r, msk_buf *b)
{
    const char *names[] = {"type", "locality", "kind", "subject", "grade"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        const char *v = nonempty(r, names[k]);
        if (!v)
            continue;
        msk_buf_printf(b, "&%s=", names[k]);
        tmpl_escape_url(b, v, strlen(v));
    }
}

/* "/lists/rating?year=…&type=…&locality=…&sort=…&dir=…[&format=…]" */
static json_t *rating_href(web_req *r, const char *type, const char *loc, const char *sort,
                           const char *dir, const char *format)
{
    msk_buf b;
    msk_buf_init(&b, 0);
    msk_buf_printf(&b, "/lists/rating?year=%d", r->year);
    const char *k[] = {"type", "locality", "sort", "dir", "format"};
    const char *val[] = {type, loc, sort, dir, format};
    for (size_t i = 0; i < 5; i++)
        if (val[i] && *val[i]) {
            msk_buf_printf(&b, "&%s=", k[i]);
            for (const unsigned char *p = (const unsigned char *)val[i]; *p; p++)
                if (isalnum(*p) || strchr("-_.", *p))
                    msk_buf_putc(&b, (char)*p);
                else
                    msk_buf_printf(&b, "%%%02X", *p);
        }
    json_t *s = json_string(b.data ? b.data : "");
    msk_buf_release(&b);
    return s;
}

/* Long: the filters, the sort, the rows and the four outputs of the one table. */
static int rating_table(web_req *r, json_t *d)
{
    const char *type = web_arg(r, "type"), *loc = web_arg(r, "locality");
    const char *sort = web_arg(r, "sort"), *dir = web_arg(r, "dir");
    const char *fmt = web_arg(r, "format");
    const tcol *sort_col = &RATING_COLS[0];
    for (size_t k = 0; sort && k < NRATING_COLS; k++)
        if (!strcmp(sort, RATING_COLS[k].key))
            sort_col = &RATING_COLS[k];
    int sort_desc = dir && !strcmp(dir, "desc");
    json_t *rows = json_array(), *types = json_array(), *locs = json_array();
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(d, "items"), i, it)
    {
        json_t *row = rating_row(it), *s = json_object_get(it, "school");
        if (*web_jstr(s, "type"))
            add_option(types, web_jstr(s, "type"), web_jstr(s, "type_name"), type);
        if (*web_jstr(s, "locality"))
            add_option(locs, web_jstr(s, "locality"), web_jstr(s, "locality_name"), loc);
        if ((type && *type && strcmp(type, web_jstr(row, "type"))) ||
            (loc && *loc && strcmp(loc, web_jstr(row, "locality")))) {
            json_decref(row);
            continue;
        }
        json_array_append_new(rows, row);
    }
    size_t n = json_array_size(rows);
    json_t **v = n ? msk_malloc(n * sizeof *v) : NULL;
    for (i = 0; i < n; i++) { /* insertion sort: stable, a few hundred rows, no global state */
        json_t *x = json_incref(json_array_get(rows, i));
        size_t j = i;
        for (; j > 0 && cmp_rows(v[j - 1], x, sort_col, sort_desc) > 0; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
    json_array_clear(rows);
    for (i = 0; i < n; i++)
        json_array_append_new(rows, v[i]);
    free(v);
    if (fmt && !strcmp(fmt, "csv")) {
        rating_csv(r, rows);
        json_decref(rows), json_decref(types), json_decref(locs), json_decref(d);
        return 0;
    }
    if (fmt && !strcmp(fmt, "xlsx")) {
        int rc = table_xlsx(r, RATING_COLS, NRATING_COLS, rows, "Рейтинг ОО", "rating.xlsx", 3);
        json_decref(rows), json_decref(types), json_decref(locs), json_decref(d);
        return rc;
    }
    json_t *cols = json_array(), *body = json_array();
    for (size_t k = 0; k < NRATING_COLS; k++) {
        int on = sort_col == &RATING_COLS[k];
        const char *next = on && !sort_desc ? "desc" : "asc";
        json_array_append_new(
            cols, json_pack("{s:s, s:s, s:b, s:o, s:s?}", "key", RATING_COLS[k].key, "label",
                            RATING_COLS[k].label, "numeric", RATING_COLS[k].numeric, "sort_href",
                            rating_href(r, type, loc, RATING_COLS[k].key, next, NULL), "sorted",
                            on ? (sort_desc ? "descending" : "ascending") : NULL));
    }
    json_array_foreach(rows, i, it)
    {
        json_t *cells = json_array();
        for (size_t k = 0; k < NRATING_COLS; k++) {
            char t[128];
            cell_text(json_object_get(it, RATING_COLS[k].key), t, sizeof t);
            /* the sum of points is the flag's label: it opens the card (an empty "card" on
             * the other cells stops the template's lookup at the cell) */
            int pts = !strcmp(RATING_COLS[k].key, "points");
            const char *card = pts ? web_jstr(it, "card") : "";
            json_array_append_new(
                cells, json_pack("{s:s, s:s, s:b, s:b, s:s, s:s}", "key", RATING_COLS[k].key,
                                 "text", t, "numeric", RATING_COLS[k].numeric, "link",
                                 !strcmp(RATING_COLS[k].key, "name"), "card", card, "answer",
                                 pts && *web_jstr(it, "answer_status")
                                     ? web_jstr(it, "answer_status_label")
                                     : ""));
        }
        /* a school's page for those who may open it; the others get its open data page */
        const char *code = web_jstr(it, "code");
        int own = r->user.role >= VIEW_ANALYST ||
                  (r->user.role == VIEW_SCHOOL && !strcmp(code, r->user.school));
        json_array_append_new(
            body, json_pack("{s:o, s:s, s:b}", "cells", cells, "code", code, "open", !own));
    }
    json_object_set_new(
        d, "table",
        json_pack("{s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:{s:s, s:s, s:s, s:s}, s:{s:o, s:o}}",
                  "columns", cols, "rows", body, "data", rows, "shown", (json_int_t)n, "csv_href",
                  rating_href(r, type, loc, sort, dir, "csv"), "xlsx_href",
                  rating_href(r, type, loc, sort, dir, "xlsx"), "reset_href",
                  rating_href(r, NULL, NULL, NULL, NULL, NULL), "filter", "type", type ? type : "",
                  "locality", loc ? loc : "", "sort", sort_col->key, "dir",
                  sort_desc ? "desc" : "asc", "options", "types", types, "localities", locs));
    web_crumb(r, "Рейтинг ОО", NULL);
    char title[256]; /* d goes with the page: the title is copied */
    snprintf(title, sizeof title, "%s", web_jstr(d, "title"));
    return web_page(r, "rating", title, d);
}

int web_h_list(web_req *r)
{
    web_year_crumbs(r);
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
    json_t *marks = web_flag_marks(r);
    if (!marks) {
        json_decref(d);
        return 0;
    }
    json_t *items = json_object_get(d, "items");
    size_t k;
    json_t *item;
    json_array_foreach(items, k, item) web_flag_item(r, item, marks, r->param);
    json_decref(marks);
    if (!strcmp(r->param, "rating"))
        return rating_table(r, d);
    list_filter_items(r, d); /* every output below shows the rows that pass */
    items = json_object_get(d, "items");
    const char *fmt = web_arg(r, "format");
    if (fmt && !strcmp(fmt, "xlsx")) { /* objectivity: the list and the coefficients' sheet */
        rc = !strcmp(r->param, "objectivity") ? obj_xlsx(r, d) : list_xlsx(r, items);
        json_decref(d);
        return rc;
    }
    if (web_wants_csv(r)) {
        list_csv(r, d);
        json_decref(d);
        return 0;
    }
    msk_buf q;
    msk_buf_init(&q, 0);
    filter_query(r, &q);
    const char *qs = q.data ? q.data : "";
    json_object_set_new(d, "csv_href",
                        json_sprintf("/lists/%s?year=%d%s&format=csv", r->param, r->year, qs));
    json_object_set_new(d, "xlsx_href",
                        json_sprintf("/lists/%s?year=%d%s&format=xlsx", r->param, r->year, qs));
    json_object_set_new(d, "reset_href", json_sprintf("/lists/%s?year=%d", r->param, r->year));
    msk_buf_release(&q);
    if (!strcmp(r->param, "shnor") || !strcmp(r->param, "objectivity")) /* web/reconcile.c */
        json_object_set_new(d, "reconcile_href", json_sprintf("/lists/reconcile?year=%d", r->year));
    const char *title = web_jstr(d, "title");
    web_crumb(r, *title ? title : r->param, NULL);
    char t[256];
    snprintf(t, sizeof t, "%s", *title ? title : r->param);
    return web_page(r, "list", t, d);
}

/* ---- analysis ---- */

int web_h_analyze(web_req *r)
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
