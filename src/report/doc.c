/*
 * The document model (doc.h): blocks in order, numbered as they are added, plus the HTML
 * renderer. The PDF renderer is in doc_pdf.c, the XLSX one in doc_xlsx.c; all three read the
 * same blocks, so the formats cannot drift apart.
 */
#include "report/doc_internal.h"

#include "base/fmt.h"
#include "base/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
    return s ? msk_strdup(s) : NULL;
}

doc *doc_new(void)
{
    return msk_calloc(1, sizeof(doc));
}

static void table_free(doc_table *t)
{
    if (!t)
        return;
    free(t->caption);
    free(t->sheet);
    free(t->note);
    for (size_t i = 0; i < t->nhdr * t->ncols; i++)
        free(t->hdr[i]);
    free(t->hdr);
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i].text);
    free(t->cells);
    free(t->total);
    free(t->cols);
    free(t);
}

void doc_free(doc *d)
{
    if (!d)
        return;
    free(d->dept);
    free(d->name);
    free(d->sub);
    free(d->place);
    free(d->date);
    for (size_t i = 0; i < d->n; i++) {
        doc_block *b = &d->b[i];
        free(b->num);
        free(b->lead);
        free(b->text);
        chart_free(b->chart);
        table_free(b->table);
    }
    free(d->b);
    free(d);
}

void doc_title_page(doc *d, const char *department, const char *name, const char *subtitle,
                    const char *place, const char *date)
{
    free(d->dept);
    free(d->name);
    free(d->sub);
    free(d->place);
    free(d->date);
    d->dept = dup_or_null(department);
    d->name = dup_or_null(name);
    d->sub = dup_or_null(subtitle);
    d->place = dup_or_null(place);
    d->date = dup_or_null(date);
}

static doc_block *add(doc *d, int kind)
{
    d->b = msk_reallocarray(d->b, d->n + 1, sizeof *d->b);
    doc_block *b = &d->b[d->n++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    return b;
}

void doc_section(doc *d, int level, const char *heading)
{
    if (level < 1)
        level = 1;
    if (level > 3)
        level = 3;
    d->sec[level - 1]++;
    for (int i = level; i < 3; i++)
        d->sec[i] = 0;
    doc_block *b = add(d, DB_SECTION);
    b->level = level;
    char num[32];
    if (level == 1)
        snprintf(num, sizeof num, "%d", d->sec[0]);
    else if (level == 2)
        snprintf(num, sizeof num, "%d.%d", d->sec[0], d->sec[1]);
    else
        snprintf(num, sizeof num, "%d.%d.%d", d->sec[0], d->sec[1], d->sec[2]);
    b->num = msk_strdup(num);
    b->text = msk_strdup(heading ? heading : "");
}

void doc_para(doc *d, const char *lead, const char *text)
{
    doc_block *b = add(d, DB_PARA);
    b->lead = dup_or_null(lead);
    b->text = msk_strdup(text ? text : "");
}

void doc_item(doc *d, const char *lead, const char *text)
{
    doc_block *b = add(d, DB_ITEM);
    b->lead = dup_or_null(lead);
    b->text = msk_strdup(text ? text : "");
}

void doc_contents(doc *d)
{
    add(d, DB_CONTENTS);
}

void doc_figure(doc *d, chart *c, const char *caption)
{
    doc_block *b = add(d, DB_FIGURE);
    b->chart = c;
    chart_show_title(c, 0);
    b->number = ++d->nfigs;
    b->text = msk_strdup(caption ? caption : "");
}

int doc_figure_count(const doc *d)
{
    return d->nfigs;
}

doc_table *doc_table_new(doc *d, const char *caption, size_t ncols, const char *sheet)
{
    MSK_ASSERT(ncols > 0 && ncols < 256);
    doc_block *b = add(d, DB_TABLE);
    doc_table *t = msk_calloc(1, sizeof *t);
    t->number = ++d->ntables;
    t->caption = msk_strdup(caption ? caption : "");
    t->sheet = dup_or_null(sheet);
    t->ncols = ncols;
    t->cols = msk_calloc(ncols, sizeof *t->cols);
    for (size_t i = 0; i < ncols; i++)
        t->cols[i].decimals = 1;
    b->table = t;
    return t;
}

void doc_table_col(doc_table *t, size_t col, enum doc_col kind, double weight, int decimals)
{
    MSK_ASSERT(col < t->ncols);
    t->cols[col].kind = kind;
    t->cols[col].weight = weight;
    t->cols[col].decimals = decimals;
}

void doc_table_header(doc_table *t, const char *const *cells)
{
    t->hdr = msk_reallocarray(t->hdr, (t->nhdr + 1) * t->ncols, sizeof *t->hdr);
    for (size_t i = 0; i < t->ncols; i++)
        t->hdr[t->nhdr * t->ncols + i] = chart_utf8_clean(cells[i] ? cells[i] : "");
    t->nhdr++;
}

void doc_table_row(doc_table *t, int total)
{
    MSK_ASSERT(t->nrows == 0 || t->cur == t->ncols);
    if (t->nrows == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->cells = msk_reallocarray(t->cells, t->cap * t->ncols, sizeof *t->cells);
        t->total = msk_reallocarray(t->total, t->cap, sizeof *t->total);
    }
    memset(&t->cells[t->nrows * t->ncols], 0, t->ncols * sizeof *t->cells);
    t->total[t->nrows] = total;
    t->nrows++;
    t->cur = 0;
}

void doc_cell_text(doc_table *t, const char *text)
{
    MSK_ASSERT(t->nrows > 0 && t->cur < t->ncols);
    doc_cell *c = &t->cells[(t->nrows - 1) * t->ncols + t->cur++];
    c->text = chart_utf8_clean(text ? text : ""); /* renderers may trust cell text */
    c->v = NAN;
}

void doc_cell_num(doc_table *t, double v)
{
    MSK_ASSERT(t->nrows > 0 && t->cur < t->ncols);
    const doc_colspec *cs = &t->cols[t->cur];
    doc_cell *c = &t->cells[(t->nrows - 1) * t->ncols + t->cur++];
    char b[64];
    if (cs->kind == DOC_SHARE)
        fmt_pct(v, cs->decimals, b, sizeof b);
    else if (cs->kind == DOC_INT)
        isfinite(v) ? fmt_int((long long)llround(v), b, sizeof b) : fmt_num(v, 0, b, sizeof b);
    else
        fmt_num(v, cs->decimals, b, sizeof b);
    c->text = msk_strdup(b);
    c->v = v;
    c->num = isfinite(v);
}

void doc_table_note(doc_table *t, const char *note)
{
    free(t->note);
    t->note = dup_or_null(note);
}

size_t doc_table_rows(const doc_table *t)
{
    return t->nrows;
}
int doc_table_number(const doc_table *t)
{
    return t->number;
}

/* ---- HTML -------------------------------------------------------------------------------- */

static void esc(msk_buf *o, const char *s)
{
    chart_xml_escape(o, s ? s : "");
}

static const char *const css =
    "body{font-family:'Liberation Serif','DejaVu Serif',serif;font-size:13pt;line-height:1.35;"
    "max-width:50rem;margin:1rem auto;padding:0 1rem;color:#1a1a1a}"
    "header.title{text-align:center;margin:2rem 0 3rem;page-break-after:always}"
    "header.title .dept{font-weight:bold}header.title h1{font-size:1.5rem;margin:4rem 0 1rem}"
    "header.title .place{margin-top:5rem}"
    "h2{font-size:1.2rem;margin-top:2rem}h3{font-size:1.05rem}"
    "p{text-indent:1.25cm;text-align:justify;margin:.4rem 0}"
    "ul{margin:.4rem 0}li{margin:.25rem 0}nav ul{list-style:none;padding:0}nav li.l2{"
    "margin-left:1.5rem}nav{page-break-after:always}"
    ".tbl{overflow-x:auto}"
    "table{border-collapse:collapse;font-size:10.5pt;margin:.3rem 0 1rem;width:100%}"
    "caption{text-align:left;font-weight:normal;padding:.3rem 0;caption-side:top}"
    "th,td{border:1px solid #808080;padding:.15rem .35rem;vertical-align:top}"
    "td{white-space:pre-line}li{white-space:pre-line}"
    "th{background:#eeeeee;font-weight:bold;text-align:center}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    "tr.total td{border-top:2px solid #1a1a1a;font-weight:bold}"
    ".note{font-size:10pt;color:#404040;margin-top:-.6rem}"
    "figure{margin:1rem 0;text-align:center}figure svg{max-width:100%;height:auto}"
    "figcaption{margin-top:.3rem}"
    "@page{size:A4;margin:20mm 10mm 20mm 20mm}"
    "@media print{body{max-width:none;margin:0;padding:0;font-size:12pt}"
    "thead{display:table-header-group}tr,figure{page-break-inside:avoid}"
    "h2,h3{page-break-after:avoid}.tbl{overflow:visible}"
    /* a chart taller than a page (a direction's many indicators) prints smaller, as in PDF */
    "figure svg{max-height:240mm;width:auto}}";

static void html_table(const doc_table *t, msk_buf *o)
{
    msk_buf_printf(o, "<div class=\"tbl\"><table id=\"t%d\">\n<caption>Таблица %d — ", t->number,
                   t->number);
    esc(o, t->caption);
    msk_buf_puts(o, "</caption>\n<thead>\n");
    for (size_t r = 0; r < t->nhdr; r++) {
        msk_buf_puts(o, "<tr>");
        for (size_t c = 0; c < t->ncols; c++) {
            msk_buf_puts(o, "<th scope=\"col\">");
            esc(o, t->hdr[r * t->ncols + c]);
            msk_buf_puts(o, "</th>");
        }
        msk_buf_puts(o, "</tr>\n");
    }
    msk_buf_puts(o, "</thead>\n<tbody>\n");
    for (size_t r = 0; r < t->nrows; r++) {
        msk_buf_puts(o, t->total[r] ? "<tr class=\"total\">" : "<tr>");
        for (size_t c = 0; c < t->ncols; c++) {
            const doc_cell *cell = &t->cells[r * t->ncols + c];
            msk_buf_puts(o, t->cols[c].kind == DOC_TEXT ? "<td>" : "<td class=\"n\">");
            esc(o, cell->text ? cell->text : "");
            msk_buf_puts(o, "</td>");
        }
        msk_buf_puts(o, "</tr>\n");
    }
    msk_buf_puts(o, "</tbody>\n</table></div>\n");
    if (t->note) {
        msk_buf_puts(o, "<p class=\"note\">");
        esc(o, t->note);
        msk_buf_puts(o, "</p>\n");
    }
}

static void html_contents(const doc *d, msk_buf *o)
{
    msk_buf_puts(o, "<nav aria-labelledby=\"toc\"><h2 id=\"toc\">Содержание</h2>\n<ul>\n");
    for (size_t i = 0; i < d->n; i++) {
        const doc_block *b = &d->b[i];
        if (b->kind != DB_SECTION || b->level > 2)
            continue;
        msk_buf_printf(o, "<li%s><a href=\"#s%s\">%s ", b->level == 2 ? " class=\"l2\"" : "",
                       b->num, b->num);
        esc(o, b->text);
        msk_buf_puts(o, "</a></li>\n");
    }
    msk_buf_puts(o, "</ul></nav>\n");
}

void doc_html(const doc *d, msk_buf *o)
{
    msk_buf_puts(o, "<!DOCTYPE html>\n<html lang=\"ru\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<title>");
    esc(o, d->name);
    if (d->sub) {
        msk_buf_puts(o, " — ");
        esc(o, d->sub);
    }
    msk_buf_printf(o, "</title>\n<style>%s</style>\n</head>\n<body>\n", css);
    msk_buf_puts(o, "<header class=\"title\">\n<div class=\"dept\">");
    esc(o, d->dept);
    msk_buf_puts(o, "</div>\n<h1>");
    esc(o, d->name);
    msk_buf_puts(o, "</h1>\n");
    if (d->sub) {
        msk_buf_puts(o, "<div class=\"sub\">");
        esc(o, d->sub);
        msk_buf_puts(o, "</div>\n");
    }
    msk_buf_puts(o, "<div class=\"place\">");
    esc(o, d->place);
    msk_buf_puts(o, "<br>");
    esc(o, d->date);
    msk_buf_puts(o, "</div>\n</header>\n<main>\n");
    int in_list = 0;
    for (size_t i = 0; i < d->n; i++) {
        const doc_block *b = &d->b[i];
        if (in_list && b->kind != DB_ITEM) {
            msk_buf_puts(o, "</ul>\n");
            in_list = 0;
        }
        switch (b->kind) {
        case DB_SECTION:
            msk_buf_printf(o, "<h%d id=\"s%s\">%s ", b->level + 1, b->num, b->num);
            esc(o, b->text);
            msk_buf_printf(o, "</h%d>\n", b->level + 1);
            break;
        case DB_PARA:
        case DB_ITEM:
            if (b->kind == DB_ITEM && !in_list) {
                msk_buf_puts(o, "<ul>\n");
                in_list = 1;
            }
            msk_buf_puts(o, b->kind == DB_ITEM ? "<li>" : "<p>");
            if (b->lead) {
                msk_buf_puts(o, "<strong>");
                esc(o, b->lead);
                msk_buf_puts(o, "</strong> ");
            }
            esc(o, b->text);
            msk_buf_puts(o, b->kind == DB_ITEM ? "</li>\n" : "</p>\n");
            break;
        case DB_FIGURE: {
            msk_buf_printf(o, "<figure id=\"f%d\">\n", b->number);
            msk_err e;
            if (chart_svg(b->chart, 640, o, &e)) {
                msk_buf_puts(o, "<p>");
                esc(o, e.msg);
                msk_buf_puts(o, "</p>");
            }
            msk_buf_printf(o, "<figcaption>Рисунок %d — ", b->number);
            esc(o, b->text);
            msk_buf_puts(o, "</figcaption>\n</figure>\n");
            break;
        }
        case DB_CONTENTS:
            html_contents(d, o);
            break;
        default:
            html_table(b->table, o);
            break;
        }
    }
    if (in_list)
        msk_buf_puts(o, "</ul>\n");
    msk_buf_puts(o, "</main>\n</body>\n</html>\n");
}
