/*
 * Indicator tables of a form: approved values per school and for the municipality, with the
 * previous period beside. Municipal figures are sums of the schools' values; an indicator with
 * a denominator is sum(numerator) / sum(denominator) over the schools that reported both —
 * never an average of the schools' shares (a school of 40 pupils must not weigh as one of 900).
 */
#include "base/fmt.h"
#include "base/mem.h"
#include "base/sheet.h"
#include "form/form.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

typedef struct fill_ctx {
    form_table *t;
    const store_form *f;
    double *raw; /* nschools × nel */
    int grow_schools;
    int (*keep)(void *ctx, const char *school); /* NULL: every school */
    void *keep_ctx;
} fill_ctx;

static long school_index(fill_ctx *c, const char *code, const char *name)
{
    form_table *t = c->t;
    for (size_t i = t->nschools; i-- > 0;)
        if (!strcmp(t->school[i], code))
            return (long)i;
    if (!c->grow_schools)
        return -1;
    size_t n = t->nschools + 1;
    t->school = msk_realloc(t->school, n * sizeof *t->school);
    t->school_name = msk_realloc(t->school_name, n * sizeof *t->school_name);
    c->raw = msk_realloc(c->raw, n * 2 * c->f->nel * sizeof *c->raw);
    snprintf(t->school[t->nschools], 64, "%s", code);
    snprintf(t->school_name[t->nschools], 256, "%s", name);
    for (size_t k = 0; k < 2 * c->f->nel; k++)
        c->raw[t->nschools * 2 * c->f->nel + k] = NAN;
    return (long)t->nschools++;
}

typedef struct pass_ctx {
    fill_ctx *c;
    int prev;
} pass_ctx;

static void on_value(void *ctx, const char *code, const char *name, const char *element,
                     double value)
{
    pass_ctx *p = ctx;
    fill_ctx *c = p->c;
    if (c->keep && !c->keep(c->keep_ctx, code))
        return; /* outside the caller's scope: neither a row nor in the sums */
    long i = school_index(c, code, name);
    if (i < 0)
        return;
    for (size_t k = 0; k < c->f->nel; k++)
        if (!strcmp(c->f->el[k].code, element))
            c->raw[(size_t)i * 2 * c->f->nel + (size_t)p->prev * c->f->nel + k] = value;
}

static long elem_index(const store_form *f, const char *code)
{
    for (size_t k = 0; k < f->nel; k++)
        if (!strcmp(f->el[k].code, code))
            return (long)k;
    return -1;
}

void form_table_release(form_table *t)
{
    free(t->school);
    free(t->school_name);
    free(t->col_code);
    free(t->col_name);
    free(t->col_unit);
    free(t->col_share);
    free(t->cur);
    free(t->prev);
    free(t->mun_cur);
    free(t->mun_prev);
    memset(t, 0, sizeof *t);
}

int form_table_build(store *s, const store_form *f, const char *period, form_table *t, msk_err *err)
{
    return form_table_build_in(s, f, period, NULL, NULL, t, err);
}

int form_table_build_in(store *s, const store_form *f, const char *period,
                        int (*keep)(void *ctx, const char *school), void *keep_ctx, form_table *t,
                        msk_err *err)
{
    memset(t, 0, sizeof *t);
    snprintf(t->period, sizeof t->period, "%s", period);
    form_period_prev(f->period_type, period, t->prev_period);
    fill_ctx c = {t, f, NULL, 1, keep, keep_ctx};
    pass_ctx cur = {&c, 0}, prev = {&c, 1};
    if (store_form_approved(s, f, period, on_value, &cur, err) ||
        store_form_approved(s, f, t->prev_period, on_value, &prev, err))
        goto fail;
    /* columns: every element but text, then every indicator */
    size_t nc = 0;
    for (size_t k = 0; k < f->nel; k++)
        nc += strcmp(f->el[k].type, "text") != 0;
    nc += f->nind;
    t->ncols = nc;
    t->col_code = msk_calloc(nc + 1, sizeof *t->col_code);
    t->col_name = msk_calloc(nc + 1, sizeof *t->col_name);
    t->col_unit = msk_calloc(nc + 1, sizeof *t->col_unit);
    t->col_share = msk_calloc(nc + 1, sizeof *t->col_share);
    t->cur = msk_calloc(t->nschools * nc + 1, sizeof *t->cur);
    t->prev = msk_calloc(t->nschools * nc + 1, sizeof *t->prev);
    t->mun_cur = msk_calloc(nc + 1, sizeof *t->mun_cur);
    t->mun_prev = msk_calloc(nc + 1, sizeof *t->mun_prev);
    size_t j = 0;
    for (size_t k = 0; k < f->nel; k++) {
        if (!strcmp(f->el[k].type, "text"))
            continue;
        t->col_code[j] = f->el[k].code;
        t->col_name[j] = f->el[k].name;
        t->col_unit[j] = f->el[k].unit;
        for (int pv = 0; pv < 2; pv++) {
            double sum = 0;
            int any = 0;
            for (size_t i = 0; i < t->nschools; i++) {
                double v = c.raw[i * 2 * f->nel + (size_t)pv * f->nel + k];
                (pv ? t->prev : t->cur)[i * nc + j] = v;
                if (!isnan(v)) {
                    sum += v;
                    any = 1;
                }
            }
            (pv ? t->mun_prev : t->mun_cur)[j] = any ? sum : NAN;
        }
        j++;
    }
    for (size_t d = 0; d < f->nind; d++, j++) {
        const store_form_ind *ind = &f->ind[d];
        long kn = elem_index(f, ind->num), kd = ind->den[0] ? elem_index(f, ind->den) : -1;
        t->col_code[j] = ind->code;
        t->col_name[j] = ind->name;
        t->col_unit[j] = kd >= 0 ? "%" : (kn >= 0 ? f->el[kn].unit : "");
        t->col_share[j] = kd >= 0;
        for (int pv = 0; pv < 2; pv++) {
            double num = 0, den = 0;
            int any = 0;
            for (size_t i = 0; i < t->nschools; i++) {
                const double *r = &c.raw[i * 2 * f->nel + (size_t)pv * f->nel];
                double a = kn >= 0 ? r[kn] : NAN, b = kd >= 0 ? r[kd] : NAN, v = NAN;
                if (kd < 0 && !isnan(a)) {
                    v = a;
                    num += a;
                    any = 1;
                } else if (kd >= 0 && !isnan(a) && !isnan(b)) {
                    if (b > 0)
                        v = a / b;
                    num += a;
                    den += b;
                    any = 1;
                }
                (pv ? t->prev : t->cur)[i * nc + j] = v;
            }
            double m = NAN;
            if (any)
                m = kd < 0 ? num : (den > 0 ? num / den : NAN);
            (pv ? t->mun_prev : t->mun_cur)[j] = m;
        }
    }
    free(c.raw);
    return 0;
fail:
    free(c.raw);
    form_table_release(t);
    return -1;
}

int form_table_xlsx(const store_form *f, const form_table *t, const char *path, msk_err *err)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return msk_error_at(err, path, 0, 0, "не удалось создать файл XLSX");
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Показатели");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_text_wrap(bold);
    lxw_format *pct = workbook_add_format(wb);
    format_set_num_format(pct, "0.0%");
    lxw_format *pct_b = workbook_add_format(wb);
    format_set_num_format(pct_b, "0.0%");
    format_set_bold(pct_b);
    lxw_format *num_b = workbook_add_format(wb);
    format_set_bold(num_b);
    char title[700], per[96], prev[96];
    fmt_period(t->period, per, sizeof per);
    fmt_period(t->prev_period, prev, sizeof prev);
    snprintf(title, sizeof title, "%s — %s (рядом — %s)", f->name, per, prev);
    put_text(ws, 0, 0, title, bold);
    put_text(ws, 2, 0, "Код ОО", bold);
    put_text(ws, 2, 1, "Школа", bold);
    worksheet_set_column(ws, 1, 1, 40, NULL);
    for (size_t j = 0; j < t->ncols; j++) {
        char h[400];
        lxw_col_t c = (lxw_col_t)(2 + 2 * j);
        snprintf(h, sizeof h, "%s%s%s, %s", t->col_name[j], t->col_unit[j][0] ? ", " : "",
                 t->col_unit[j], per);
        put_text(ws, 2, c, h, bold);
        snprintf(h, sizeof h, "%s, %s", t->col_name[j], prev);
        put_text(ws, 2, c + 1, h, bold);
        worksheet_set_column(ws, c, c + 1, 16, NULL);
    }
    lxw_row_t row = 3;
    for (size_t i = 0; i < t->nschools; i++, row++) {
        put_text(ws, row, 0, t->school[i], NULL);
        put_text(ws, row, 1, t->school_name[i], NULL);
        for (size_t j = 0; j < t->ncols; j++)
            for (int pv = 0; pv < 2; pv++) {
                double v = (pv ? t->prev : t->cur)[i * t->ncols + j];
                if (!isnan(v))
                    worksheet_write_number(ws, row, (lxw_col_t)(2 + 2 * j + (size_t)pv), v,
                                           t->col_share[j] ? pct : NULL);
            }
    }
    put_text(ws, row, 1, "Муниципалитет", bold);
    for (size_t j = 0; j < t->ncols; j++)
        for (int pv = 0; pv < 2; pv++) {
            double v = (pv ? t->mun_prev : t->mun_cur)[j];
            if (!isnan(v))
                worksheet_write_number(ws, row, (lxw_col_t)(2 + 2 * j + (size_t)pv), v,
                                       t->col_share[j] ? pct_b : num_b);
        }
    put_text(ws, row + 2, 0,
             "Доли муниципалитета — отношение сумм числителей и знаменателей по "
             "школам, сдавшим оба значения, а не среднее долей школ.",
             NULL);
    if (workbook_close(wb) != LXW_NO_ERROR)
        return msk_error_at(err, path, 0, 0, "ошибка записи файла XLSX");
    return 0;
}
