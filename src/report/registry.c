/*
 * Registry exports: see registry.h.
 */
#include "report/registry.h"

#include "base/sheet.h"

#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

void report_registry_csv(const json_t *list, msk_buf *out)
{
    size_t i, k;
    json_t *c, *row;
    msk_buf_puts(out, "\xEF\xBB\xBF");
    json_array_foreach(json_object_get(list, "columns"), i, c)
    {
        if (i)
            msk_buf_putc(out, ';');
        sheet_csv_text(out, json_string_value(json_object_get(c, "header")), ';');
    }
    msk_buf_puts(out, "\r\n");
    json_array_foreach(json_object_get(list, "rows"), i, row)
    {
        json_array_foreach(json_object_get(row, "cells"), k, c)
        {
            if (k)
                msk_buf_putc(out, ';');
            sheet_csv_text(out, json_string_value(c), ';');
        }
        msk_buf_puts(out, "\r\n");
    }
}

int report_registry_xlsx(const json_t *list, const char *path, msk_err *err)
{
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "Реестр") : NULL;
    if (!ws) {
        if (wb)
            workbook_close(wb);
        return msk_error(err, "%s: не удалось создать файл XLSX", path);
    }
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_text_wrap(bold);
    msk_buf scratch;
    msk_buf_init(&scratch, 0);
    lxw_error e = LXW_NO_ERROR;
    size_t i, k, ncols = json_array_size(json_object_get(list, "columns"));
    json_t *c, *row;
    json_array_foreach(json_object_get(list, "columns"), i, c) if (!e) e = worksheet_write_string(
        ws, 0, (lxw_col_t)i, sheet_text(json_string_value(json_object_get(c, "header")), &scratch),
        bold);
    worksheet_set_column(ws, 0, (lxw_col_t)(ncols ? ncols - 1 : 0), 18, NULL);
    json_array_foreach(json_object_get(list, "rows"), i, row)
    {
        json_array_foreach(json_object_get(row, "cells"), k, c) if (!e) e = worksheet_write_string(
            ws, (lxw_row_t)(i + 1), (lxw_col_t)k, sheet_text(json_string_value(c), &scratch), NULL);
    }
    msk_buf_release(&scratch);
    worksheet_freeze_panes(ws, 1, 1);
    if (ncols)
        worksheet_autofilter(ws, 0, 0, (lxw_row_t)json_array_size(json_object_get(list, "rows")),
                             (lxw_col_t)(ncols - 1));
    if (workbook_close(wb) != LXW_NO_ERROR || e != LXW_NO_ERROR)
        return msk_error(err, "%s: ошибка записи файла XLSX", path);
    return 0;
}
