/*
 * /admin/audit: the audit log for the admin (the view: src/view/audit.c), a page of 50 rows with
 * the filters in the URL (a GET form), and the whole filtered log as CSV or XLSX, every text
 * cell through the one formula rule (src/base/sheet.h).
 */
#include "web/internal.h"

#include "base/sheet.h"
#include "web/tmpl.h"

#include <xlsxwriter.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { AUDIT_PAGE = 50, AUDIT_EXPORT_MAX = 50000 };

int web_h_audit(web_req *r);

static const char *const COLS[] = {"Номер",        "Время (UTC)", "Пользователь", "Действие",
                                   "Код действия", "Объект",      "До",           "После"};
static const char *const KEYS[] = {NULL,     "at",     "user",   "action_name",
                                   "action", "object", "before", "after"};
enum { NCOLS = sizeof COLS / sizeof COLS[0] };

static const char *str(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static void audit_csv(web_req *r, json_t *rows)
{
    msk_buf_reset(&r->out);
    msk_buf_puts(&r->out, "\xEF\xBB\xBF"); /* UTF-8 with BOM and «;»: Excel opens it as is */
    for (size_t c = 0; c < NCOLS; c++) {
        if (c)
            msk_buf_putc(&r->out, ';');
        sheet_csv_text(&r->out, COLS[c], ';');
    }
    msk_buf_puts(&r->out, "\r\n");
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        msk_buf_printf(&r->out, "%lld", (long long)json_integer_value(json_object_get(row, "id")));
        for (size_t c = 1; c < NCOLS; c++) {
            msk_buf_putc(&r->out, ';');
            sheet_csv_text(&r->out, str(row, KEYS[c]), ';');
        }
        msk_buf_puts(&r->out, "\r\n");
    }
    r->ctype = "text/csv; charset=utf-8";
    snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"audit.csv\"");
}

static lxw_error put_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
                          lxw_format *f, msk_buf *scratch)
{
    return worksheet_write_string(ws, row, col, sheet_text(s, scratch), f);
}

static int audit_xlsx(web_req *r, json_t *rows)
{
    char path[] = "/tmp/msoko-audit-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return web_fail(r, 500, "Не удалось создать временный файл для XLSX");
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "Журнал изменений") : NULL;
    if (!ws) {
        if (wb)
            workbook_close(wb);
        unlink(path);
        return web_fail(r, 500, "Не удалось создать файл XLSX");
    }
    lxw_format *bold = workbook_add_format(wb), *wrap = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_text_wrap(wrap);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
    msk_buf scratch;
    msk_buf_init(&scratch, 0);
    for (lxw_col_t c = 0; c < NCOLS; c++)
        put_text(ws, 0, c, COLS[c], bold, &scratch);
    worksheet_set_column(ws, 1, 1, 20, NULL);
    worksheet_set_column(ws, 3, 5, 24, NULL);
    worksheet_set_column(ws, 6, 7, 48, wrap);
    size_t i;
    json_t *row;
    lxw_error e = LXW_NO_ERROR;
    json_array_foreach(rows, i, row)
    {
        lxw_row_t rr = (lxw_row_t)(i + 1);
        e = worksheet_write_number(ws, rr, 0,
                                   (double)json_integer_value(json_object_get(row, "id")), NULL);
        for (lxw_col_t c = 1; c < NCOLS && e == LXW_NO_ERROR; c++)
            e = put_text(ws, rr, c, str(row, KEYS[c]), c >= 6 ? wrap : NULL, &scratch);
        if (e != LXW_NO_ERROR)
            break;
    }
    msk_buf_release(&scratch);
    worksheet_freeze_panes(ws, 1, 0);
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
    snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"audit.xlsx\"");
    return 0;
}

/* "/admin/audit?user=…&action=…" with the filters, page and format given (0 / NULL: none) */
static json_t *href(const view_audit_query *q, int page, const char *format)
{
    msk_buf b;
    msk_buf_init(&b, 0);
    msk_buf_puts(&b, "/admin/audit?");
    const char *names[] = {"user", "action", "school", "from", "to"};
    const char *vals[] = {q->user, q->action, q->school, q->from, q->to};
    int first = 1;
    for (size_t i = 0; i < 5; i++) {
        if (!vals[i] || !*vals[i])
            continue;
        msk_buf_printf(&b, "%s%s=", first ? "" : "&", names[i]);
        tmpl_escape_url(&b, vals[i], strlen(vals[i]));
        first = 0;
    }
    if (page > 1)
        msk_buf_printf(&b, "%spage=%d", first ? "" : "&", page), first = 0;
    if (format)
        msk_buf_printf(&b, "%sformat=%s", first ? "" : "&", format);
    if (b.len && b.data[b.len - 1] == '?')
        msk_buf_truncate(&b, b.len - 1);
    json_t *s = json_string(b.data);
    msk_buf_release(&b);
    return s;
}

static const char *arg_or_null(web_req *r, const char *name)
{
    const char *a = web_arg(r, name);
    return a && *a ? a : NULL;
}

int web_h_audit(web_req *r)
{
    const char *fmt = web_arg(r, "format");
    int csv = fmt && !strcmp(fmt, "csv"), xlsx = fmt && !strcmp(fmt, "xlsx");
    const char *p = web_arg(r, "page");
    long page = p ? strtol(p, NULL, 10) : 1;
    view_audit_query q = {arg_or_null(r, "user"),
                          arg_or_null(r, "action"),
                          arg_or_null(r, "school"),
                          arg_or_null(r, "from"),
                          arg_or_null(r, "to"),
                          csv || xlsx ? 1 : (page > 0 && page < 1000000 ? (int)page : 1),
                          csv || xlsx ? AUDIT_EXPORT_MAX : AUDIT_PAGE};
    view_ctx c = web_ctx(r);
    json_t *d = NULL;
    msk_err err;
    msk_err_clear(&err);
    int rc = view_audit(r->db, &c, &q, &d, &err);
    if (rc == VIEW_FORBIDDEN)
        return web_fail(r, 403, "%s", err.msg);
    if (rc)
        return web_view_fail(r, rc, &err, NULL, NULL);
    if (csv || xlsx) {
        rc = csv ? (audit_csv(r, json_object_get(d, "rows")), 0)
                 : audit_xlsx(r, json_object_get(d, "rows"));
        json_decref(d);
        return rc;
    }
    int pg = (int)json_integer_value(json_object_get(d, "page"));
    int pages = (int)json_integer_value(json_object_get(d, "pages"));
    json_object_set_new(d, "prev_href", pg > 1 ? href(&q, pg - 1, NULL) : json_null());
    json_object_set_new(d, "next_href", pg < pages ? href(&q, pg + 1, NULL) : json_null());
    json_object_set_new(d, "csv_href", href(&q, 0, "csv"));
    json_object_set_new(d, "xlsx_href", href(&q, 0, "xlsx"));
    json_object_set_new(d, "export_max", json_integer(AUDIT_EXPORT_MAX));
    web_crumb(r, "Сводка", "/");
    web_crumb(r, "Журнал изменений", NULL);
    char title[160];
    snprintf(title, sizeof title, "%s", json_string_value(json_object_get(d, "title")));
    return web_page(r, "audit", title, d);
}
