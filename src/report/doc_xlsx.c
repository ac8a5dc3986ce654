/*
 * XLSX renderer of the document model (libxlsxwriter): a first sheet «Справка» naming the
 * document and listing its tables, then one sheet per table with its caption, frozen header
 * rows, an autofilter, numbers stored as numbers and shares as fractions with the format
 * «0,0 %» (analysts live in Excel: they must be able to sort and sum what they get).
 */
#include "base/sheet.h"
#include "report/doc_internal.h"

#include "base/buf.h"
#include "base/mem.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* Every string cell goes through the one formula rule (base/sheet.h); numbers are written as
 * numbers and never touched. */
static lxw_error put_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
                          lxw_format *f)
{
    msk_buf b;
    msk_buf_init(&b, 0);
    lxw_error e = worksheet_write_string(ws, row, col, sheet_text(s, &b), f);
    msk_buf_release(&b);
    return e;
}

/* Excel sheet names: ≤ 31 characters, none of []:*?/\, unique. */
static void sheet_name(const doc_table *t, char **used, size_t nused, char *out, size_t outsz)
{
    char base[160];
    if (t->sheet)
        snprintf(base, sizeof base, "%s", t->sheet);
    else
        snprintf(base, sizeof base, "Таблица %d", t->number);
    char *clean = chart_utf8_clean(base);
    size_t o = 0, chars = 0;
    for (const char *s = clean; *s && chars < 28 && o + 5 < outsz; s++) {
        if (strchr("[]:*?/\\'", *s))
            continue;
        if (((unsigned char)*s & 0xC0) != 0x80)
            chars++;
        out[o++] = *s;
    }
    /* do not end inside a multi-byte character */
    while (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0xC0)
        o--;
    out[o] = '\0';
    free(clean);
    for (size_t i = 0; i < nused; i++)
        if (!strcmp(used[i], out)) {
            char num[16];
            snprintf(num, sizeof num, " %d", t->number);
            if (o + strlen(num) < outsz)
                memcpy(out + o, num, strlen(num) + 1);
            break;
        }
}

static int failed(lxw_error e, const char *path, msk_err *err)
{
    if (e == LXW_NO_ERROR)
        return 0;
    return msk_error_at(err, path, 0, 0, "ошибка записи XLSX: %s", lxw_strerror(e));
}

/* The cell formats of a workbook: titles, headers, text, totals, numbers by kind. */
typedef struct xfmt {
    lxw_format *bold, *hdr, *text, *text_total;
    lxw_format *nf[4][4][2]; /* [kind][decimals 0..3][total] */
} xfmt;

static void add_formats(lxw_workbook *wb, xfmt *fm)
{
    fm->bold = workbook_add_format(wb);
    format_set_bold(fm->bold);
    fm->hdr = workbook_add_format(wb);
    format_set_bold(fm->hdr);
    format_set_text_wrap(fm->hdr);
    format_set_align(fm->hdr, LXW_ALIGN_CENTER);
    format_set_align(fm->hdr, LXW_ALIGN_VERTICAL_CENTER);
    format_set_border(fm->hdr, LXW_BORDER_THIN);
    format_set_bg_color(fm->hdr, 0xEEEEEE);
    fm->text = workbook_add_format(wb);
    format_set_text_wrap(fm->text);
    format_set_align(fm->text, LXW_ALIGN_VERTICAL_TOP);
    fm->text_total = workbook_add_format(wb);
    format_set_text_wrap(fm->text_total);
    format_set_bold(fm->text_total);
    format_set_top(fm->text_total, LXW_BORDER_MEDIUM);
    /* number formats by kind and decimals: [kind][decimals 0..3][total] */
    for (int k = 0; k < 4; k++)
        for (int dec = 0; dec < 4; dec++)
            for (int tot = 0; tot < 2; tot++) {
                lxw_format *f = workbook_add_format(wb);
                char code[32];
                const char *zeros = dec == 0 ? "" : dec == 1 ? ".0" : dec == 2 ? ".00" : ".000";
                if (k == DOC_SHARE)
                    snprintf(code, sizeof code, "0%s\" \"%%", zeros);
                else if (k == DOC_INT)
                    snprintf(code, sizeof code, "#,##0");
                else
                    snprintf(code, sizeof code, "#,##0%s", zeros);
                format_set_num_format(f, code);
                format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
                if (tot) {
                    format_set_bold(f);
                    format_set_top(f, LXW_BORDER_MEDIUM);
                }
                fm->nf[k][dec][tot] = f;
            }
}

/* The sheet of table t (named name), and its row on the cover sheet at *row. */
static int table_sheet(lxw_worksheet *ws, lxw_worksheet *cover, lxw_row_t *rowp, const doc_table *t,
                       const char *name, const xfmt *f, const char *path, msk_err *err)
{
    lxw_row_t row = *rowp;
    msk_buf cap;
    msk_buf_init(&cap, 0);
    msk_buf_printf(&cap, "Таблица %d — %s", t->number, t->caption);
    char *clean = chart_utf8_clean(cap.data);
    msk_buf_release(&cap);
    put_text(ws, 0, 0, clean, f->bold);
    put_text(cover, row, 0, name, NULL);
    put_text(cover, row++, 1, clean, f->text);
    free(clean);
    for (size_t c = 0; c < t->ncols; c++) {
        double longest = 6;
        for (size_t r = 0; r < t->nhdr; r++)
            longest = fmax(longest, fmin((double)strlen(t->hdr[r * t->ncols + c]) / 2.0, 24));
        for (size_t r = 0; r < t->nrows && r < 200; r++) {
            const char *s = t->cells[r * t->ncols + c].text;
            if (s)
                longest = fmax(longest, fmin((double)strlen(s) / 1.7, 60));
        }
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, longest + 2, NULL);
    }
    for (size_t r = 0; r < t->nhdr; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            char *h = chart_utf8_clean(t->hdr[r * t->ncols + c]);
            put_text(ws, (lxw_row_t)(1 + r), (lxw_col_t)c, h, f->hdr);
            free(h);
        }
    lxw_row_t first = (lxw_row_t)(1 + t->nhdr);
    for (size_t r = 0; r < t->nrows; r++) {
        int tot = t->total[r] != 0;
        for (size_t c = 0; c < t->ncols; c++) {
            const doc_cell *cell = &t->cells[r * t->ncols + c];
            const doc_colspec *cs = &t->cols[c];
            lxw_row_t rr = first + (lxw_row_t)r;
            lxw_error e;
            if (cell->num) {
                int dec = cs->decimals < 0 ? 0 : cs->decimals > 3 ? 3 : cs->decimals;
                e = worksheet_write_number(ws, rr, (lxw_col_t)c, cell->v,
                                           f->nf[cs->kind][dec][tot]);
            } else {
                char *s = chart_utf8_clean(cell->text ? cell->text : "");
                e = put_text(ws, rr, (lxw_col_t)c, s, tot ? f->text_total : f->text);
                free(s);
            }
            if (failed(e, path, err))
                return -1;
        }
    }
    if (t->note)
        put_text(ws, first + (lxw_row_t)t->nrows + 1, 0, t->note, NULL);
    worksheet_freeze_panes(ws, first, 0);
    if (t->nrows)
        worksheet_autofilter(ws, first - 1, 0, first - 1 + (lxw_row_t)t->nrows,
                             (lxw_col_t)(t->ncols - 1));
    *rowp = row;
    return 0;
}

int doc_xlsx(const doc *d, const char *path, msk_err *err)
{
    int rc = -1;
    msk_buf tmp;
    msk_buf_init(&tmp, 0);
    msk_buf_printf(&tmp, "%s.tmp", path);
    char **used = NULL;
    size_t nused = 0;
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
    /* libxlsxwriter writes only at close and prints its own error then: find out first */
    FILE *probe = fopen(tmp.data, "wb");
    if (!probe) {
        msk_error_at(err, path, 0, 0, "не удалось создать файл XLSX: %s", strerror(errno));
        msk_buf_release(&tmp);
        return -1;
    }
    fclose(probe);
    lxw_workbook *wb = workbook_new_opt(tmp.data, &opt);
    if (!wb) {
        msk_error_at(err, path, 0, 0, "не удалось создать файл XLSX");
        goto out;
    }
    xfmt fm;
    add_formats(wb, &fm);
    /* the cover sheet */
    lxw_worksheet *cover = workbook_add_worksheet(wb, "Справка");
    worksheet_set_column(cover, 0, 0, 14, NULL);
    worksheet_set_column(cover, 1, 1, 90, NULL);
    put_text(cover, 0, 0, d->dept ? d->dept : "", fm.bold);
    put_text(cover, 1, 0, d->name ? d->name : "", fm.bold);
    lxw_row_t row = 2;
    if (d->sub)
        put_text(cover, row++, 0, d->sub, NULL);
    msk_buf line;
    msk_buf_init(&line, 0);
    msk_buf_printf(&line, "%s, %s", d->place ? d->place : "", d->date ? d->date : "");
    put_text(cover, row++, 0, line.data, NULL);
    msk_buf_release(&line);
    row++;
    put_text(cover, row, 0, "Лист", fm.hdr);
    put_text(cover, row++, 1, "Таблица", fm.hdr);

    for (size_t i = 0; i < d->n; i++) {
        if (d->b[i].kind != DB_TABLE)
            continue;
        const doc_table *t = d->b[i].table;
        char name[128];
        sheet_name(t, used, nused, name, sizeof name);
        used = msk_realloc(used, (nused + 1) * sizeof *used);
        used[nused++] = msk_strdup(name);
        lxw_worksheet *ws = workbook_add_worksheet(wb, name);
        if (!ws) {
            msk_error_at(err, path, 0, 0, "ошибка записи XLSX: лист «%s»", name);
            goto out;
        }
        if (table_sheet(ws, cover, &row, t, name, &fm, path, err))
            goto out;
    }
    lxw_error e = workbook_close(wb);
    wb = NULL;
    if (failed(e, path, err))
        goto out;
    if (rename(tmp.data, path)) {
        msk_error_at(err, path, 0, 0, "не удалось записать файл: %s", strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (wb)
        workbook_close(wb);
    for (size_t i = 0; i < nused; i++)
        free(used[i]);
    free(used);
    if (rc)
        unlink(tmp.data);
    msk_buf_release(&tmp);
    return rc;
}
