/*
 * PDF renderer of the document model: cairo's PDF surface and pango for text (fonts embedded,
 * full Cyrillic). Layout follows ГОСТ Р 7.0.97-2016 as UI.md asks: A4, margins 20 mm left,
 * 10 mm right, 20 mm top and bottom, body 12 pt Liberation Serif, page numbers from the second
 * page centred at the top; tables break between rows with the header repeated, long cells wrap
 * inside their column; paragraphs flow line by line across pages.
 */
#include "report/doc_internal.h"

#include "base/buf.h"
#include "base/mem.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MM (72.0 / 25.4)
static const double PAGE_W = 210 * MM, PAGE_H = 297 * MM;
static const double ML = 20 * MM, MR = 10 * MM, MT = 20 * MM, MB = 20 * MM;
#define CW (PAGE_W - ML - MR)
#define BOTTOM (PAGE_H - MB)
static const double PAD = 2.5; /* cell padding, pt */

typedef struct pdf {
    cairo_surface_t *s;
    cairo_t *cr;
    PangoContext *ctx;
    PangoLayout *pl, *pn; /* pn: page numbers only, so a page break inside flow() leaves pl alone */
    PangoFontDescription *body, *bold, *head, *small, *small_bold, *title, *italic;
    double y;
    int page;
    int *secpage;       /* the first pass: the page of each section block (by block index) */
    const int *tocpage; /* the second pass: those pages, for the contents */
} pdf;

static PangoFontDescription *font(const char *spec)
{
    return pango_font_description_from_string(spec);
}

static void new_page(pdf *p)
{
    if (p->page)
        cairo_show_page(p->cr);
    p->page++;
    p->y = MT;
    if (p->page >= 2) { /* ГОСТ Р 7.0.97-2016 п. 6.5: numbers from the second page, top centre */
        char n[16];
        snprintf(n, sizeof n, "%d", p->page);
        pango_layout_set_font_description(p->pn, p->small);
        pango_layout_set_text(p->pn, n, -1);
        int w, h;
        pango_layout_get_size(p->pn, &w, &h);
        cairo_set_source_rgb(p->cr, 0, 0, 0);
        cairo_move_to(p->cr, (PAGE_W - (double)w / PANGO_SCALE) / 2, MT / 2 - 4);
        pango_cairo_show_layout(p->cr, p->pn);
    }
}

/* Prepare the shared layout for text in a box width wide. */
static void lset(PangoLayout *l, const PangoFontDescription *f, double width, const char *text,
                 PangoAlignment align, int justify, double indent)
{
    pango_layout_set_font_description(l, f);
    pango_layout_set_width(l, width > 0 ? (int)(width * PANGO_SCALE) : -1);
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, align);
    pango_layout_set_justify(l, justify);
    pango_layout_set_indent(l, (int)(indent * PANGO_SCALE));
    pango_layout_set_attributes(l, NULL);
    pango_layout_set_text(l, text, -1);
}

static void set_text(pdf *p, const PangoFontDescription *f, double width, const char *text,
                     PangoAlignment align, int justify, double indent)
{
    lset(p->pl, f, width, text, align, justify, indent);
}

static double layout_height(pdf *p)
{
    int w, h;
    pango_layout_get_size(p->pl, &w, &h);
    return (double)h / PANGO_SCALE;
}

/* Draw the shared layout at x from p->y, line by line, starting new pages as needed. */
static void flow(pdf *p, double x)
{
    PangoLayoutIter *it = pango_layout_get_iter(p->pl);
    double offset = 0; /* layout y that sits at p->y on the current page */
    double start = p->y;
    do {
        PangoRectangle lr;
        pango_layout_iter_get_line_extents(it, NULL, &lr);
        double top = (double)lr.y / PANGO_SCALE, bot = (double)(lr.y + lr.height) / PANGO_SCALE;
        if (start + bot - offset > BOTTOM) {
            new_page(p);
            start = p->y;
            offset = top;
        }
        double base = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        cairo_set_source_rgb(p->cr, 0, 0, 0);
        cairo_move_to(p->cr, x + (double)lr.x / PANGO_SCALE, start + base - offset);
        pango_cairo_show_layout_line(p->cr, line);
        p->y = start + bot - offset;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

/* Text with a bold lead: a pango attribute over the lead's bytes. */
static void set_lead_text(pdf *p, const char *lead, const char *text, double width, double indent)
{
    msk_buf b;
    msk_buf_init(&b, 0);
    size_t nlead = 0;
    if (lead) {
        msk_buf_puts(&b, lead);
        nlead = b.len;
        msk_buf_putc(&b, ' ');
    }
    msk_buf_puts(&b, text);
    char *clean = chart_utf8_clean(b.data);
    msk_buf_release(&b);
    set_text(p, p->body, width, clean, PANGO_ALIGN_LEFT, TRUE, indent);
    if (nlead) {
        PangoAttrList *al = pango_attr_list_new();
        PangoAttribute *a = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
        a->start_index = 0;
        a->end_index = (guint)nlead;
        pango_attr_list_insert(al, a);
        pango_layout_set_attributes(p->pl, al);
        pango_attr_list_unref(al);
    }
    free(clean);
}

static void title_page(pdf *p, const doc *d)
{
    new_page(p);
    char *s = chart_utf8_clean(d->dept ? d->dept : "");
    set_text(p, p->bold, CW, s, PANGO_ALIGN_CENTER, FALSE, 0);
    free(s);
    flow(p, ML);
    p->y = PAGE_H * 0.36;
    s = chart_utf8_clean(d->name ? d->name : "");
    set_text(p, p->title, CW - 40, s, PANGO_ALIGN_CENTER, FALSE, 0);
    free(s);
    flow(p, ML + 20);
    if (d->sub) {
        p->y += 14;
        s = chart_utf8_clean(d->sub);
        set_text(p, p->head, CW - 40, s, PANGO_ALIGN_CENTER, FALSE, 0);
        free(s);
        flow(p, ML + 20);
    }
    msk_buf b;
    msk_buf_init(&b, 0);
    msk_buf_printf(&b, "%s\n%s", d->place ? d->place : "", d->date ? d->date : "");
    s = chart_utf8_clean(b.data);
    msk_buf_release(&b);
    set_text(p, p->body, CW, s, PANGO_ALIGN_CENTER, FALSE, 0);
    free(s);
    p->y = BOTTOM - layout_height(p);
    flow(p, ML);
}

/* ---- tables ------------------------------------------------------------------------------ */

static double text_width(pdf *p, const PangoFontDescription *f, const char *s)
{
    set_text(p, f, -1, s, PANGO_ALIGN_LEFT, FALSE, 0);
    int w, h;
    pango_layout_get_size(p->pl, &w, &h);
    return (double)w / PANGO_SCALE;
}

/* The width of a formatted number in the 10 pt table font, from its characters instead of
 * shaping it: digits are 0.5 em in Liberation Serif; erring wide keeps it on one line. */
static double number_width(const char *s, int bold)
{
    double em = 0;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c >= '0' && *c <= '9')
            em += 0.5;
        else if (*c == ',' || *c == '.' || *c == ' ')
            em += 0.27;
        else if (*c == '%')
            em += 0.84;
        else if (*c == '+')
            em += 0.57;
        else if (*c >= 0xE0) /* three bytes: minus, dashes (up to 1 em), narrow spaces */
            em += 1.0;
        else if (*c >= 0xC0) /* two bytes: the no-break space */
            em += 0.6;
        else if (*c < 0x80)
            em += 0.6;
    }
    return em * 10.0 * (bold ? 1.04 : 1.0);
}

/* The widest word of s (header texts wrap between words, never inside one). */
static double word_width(pdf *p, const PangoFontDescription *f, const char *s)
{
    double best = 0;
    char w[256];
    while (*s) {
        size_t n = strcspn(s, " ");
        if (n && n < sizeof w) {
            memcpy(w, s, n);
            w[n] = '\0';
            best = fmax(best, text_width(p, f, w));
        }
        s += n;
        s += strspn(s, " ");
    }
    return best;
}

/* Column widths summing to CW. A numeric column wants its widest value and, if there is room,
 * its header's longest word; text columns share the rest by their content. When even the
 * values do not fit, everything shrinks and wraps, so nothing passes the margin. */
static void col_widths(pdf *p, const doc_table *t, double *w)
{
    double wsum = 0;
    for (size_t c = 0; c < t->ncols; c++)
        wsum += t->cols[c].weight;
    if (wsum > 0) { /* explicit weights, but a number never wraps: text columns give way */
        double deficit = 0, textw = 0;
        for (size_t c = 0; c < t->ncols; c++) {
            w[c] = CW * t->cols[c].weight / wsum;
            if (t->cols[c].kind == DOC_TEXT) {
                textw += w[c];
                continue;
            }
            double need = 0;
            for (size_t r = 0; r < t->nrows; r++) {
                const char *s = t->cells[r * t->ncols + c].text;
                if (s)
                    need = fmax(need, number_width(s, t->total[r]) + 2 * PAD + 1);
            }
            if (need > w[c]) {
                deficit += need - w[c];
                w[c] = need;
            }
        }
        if (deficit > 0 && textw > deficit * 2)
            for (size_t c = 0; c < t->ncols; c++)
                if (t->cols[c].kind == DOC_TEXT)
                    w[c] -= deficit * w[c] / textw;
        return;
    }
    double *lo = msk_calloc(t->ncols, sizeof *lo), *hi = msk_calloc(t->ncols, sizeof *hi);
    double sum_lo = 0, sum_hi = 0, textnat = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        double word = 0;
        for (size_t r = 0; r < t->nhdr; r++)
            word = fmax(word, word_width(p, p->small_bold, t->hdr[r * t->ncols + c]));
        if (t->cols[c].kind != DOC_TEXT) {
            double val = 0;
            for (size_t r = 0; r < t->nrows; r++) {
                const char *s = t->cells[r * t->ncols + c].text;
                if (s)
                    val = fmax(val, number_width(s, t->total[r]));
            }
            lo[c] = val + 2 * PAD + 1;
            hi[c] = fmax(val, word) + 2 * PAD + 1;
            sum_lo += lo[c];
            sum_hi += hi[c];
        } else {
            double longest = 0;
            /* estimated from lengths rather than measuring every name of a 2,000-row table */
            for (size_t r = 0; r < t->nrows; r++) {
                const char *s = t->cells[r * t->ncols + c].text;
                if (s)
                    longest = fmax(longest, (double)strlen(s) * 2.6);
            }
            lo[c] = hi[c] = -fmax(word + 2 * PAD + 1, fmin(longest, 260));
            textnat += -lo[c];
        }
    }
    const double *use = CW - sum_hi >= textnat * 0.6 ? hi : lo;
    double fixed = use == hi ? sum_hi : sum_lo, left = CW - fixed;
    if (textnat > 0 && left >= textnat * 0.4) {
        for (size_t c = 0; c < t->ncols; c++)
            w[c] = use[c] < 0 ? -use[c] / textnat * left : use[c];
    } else if (textnat == 0 && left >= 0) {
        for (size_t c = 0; c < t->ncols; c++) /* numbers only: spread the slack evenly */
            w[c] = use[c] + left / (double)t->ncols;
    } else {
        double total = fixed + textnat;
        for (size_t c = 0; c < t->ncols; c++)
            w[c] = fabs(use[c]) / total * CW;
    }
    free(lo);
    free(hi);
}

/* Lay a cell's text out in l (text from the model is already valid UTF-8); returns the row
 * height it needs. The same layout is then drawn by paint_cell: each cell is shaped once. */
static double cell_layout(PangoLayout *l, const PangoFontDescription *f, const char *s, double w,
                          PangoAlignment al)
{
    lset(l, f, w - 2 * PAD, s ? s : "", al, FALSE, 0);
    int lw, lh;
    pango_layout_get_size(l, &lw, &lh);
    return (double)lh / PANGO_SCALE + 2 * PAD;
}

static void paint_cell(pdf *p, PangoLayout *l, double x, double y, double w, double h, double fill)
{
    if (fill < 1) {
        cairo_set_source_rgb(p->cr, fill, fill, fill);
        cairo_rectangle(p->cr, x, y, w, h);
        cairo_fill(p->cr);
    }
    cairo_set_source_rgb(p->cr, 0.35, 0.35, 0.35);
    cairo_set_line_width(p->cr, 0.5);
    cairo_rectangle(p->cr, x, y, w, h);
    cairo_stroke(p->cr);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    cairo_move_to(p->cr, x + PAD, y + PAD);
    pango_cairo_show_layout(p->cr, l);
}

static double cell_height(pdf *p, const PangoFontDescription *f, const char *s, double w,
                          PangoAlignment al)
{
    return cell_layout(p->pl, f, s, w, al);
}

static void draw_cell(pdf *p, const PangoFontDescription *f, const char *s, double x, double y,
                      double w, double h, PangoAlignment al, double fill)
{
    cell_layout(p->pl, f, s, w, al);
    paint_cell(p, p->pl, x, y, w, h, fill);
}

static double header_height(pdf *p, const doc_table *t, const double *w, double *rowh)
{
    double total = 0;
    for (size_t r = 0; r < t->nhdr; r++) {
        rowh[r] = 0;
        for (size_t c = 0; c < t->ncols; c++)
            rowh[r] = fmax(rowh[r], cell_height(p, p->small_bold, t->hdr[r * t->ncols + c], w[c],
                                                PANGO_ALIGN_CENTER));
        total += rowh[r];
    }
    return total;
}

static void draw_header(pdf *p, const doc_table *t, const double *w, const double *rowh)
{
    for (size_t r = 0; r < t->nhdr; r++) {
        double x = ML;
        for (size_t c = 0; c < t->ncols; c++) {
            draw_cell(p, p->small_bold, t->hdr[r * t->ncols + c], x, p->y, w[c], rowh[r],
                      PANGO_ALIGN_CENTER, 0.93);
            x += w[c];
        }
        p->y += rowh[r];
    }
}

static void caption(pdf *p, const char *prefix, int number, const char *text, PangoAlignment al)
{
    msk_buf b;
    msk_buf_init(&b, 0);
    msk_buf_printf(&b, "%s %d — %s", prefix, number, text);
    char *clean = chart_utf8_clean(b.data);
    msk_buf_release(&b);
    set_text(p, p->body, CW, clean, al, FALSE, 0);
    free(clean);
}

static void table(pdf *p, const doc_table *t)
{
    double *w = msk_calloc(t->ncols, sizeof *w), *hh = msk_calloc(t->nhdr + 1, sizeof *hh);
    PangoLayout **cl = msk_calloc(t->ncols, sizeof *cl); /* one layout per column, reused by rows */
    for (size_t c = 0; c < t->ncols; c++)
        cl[c] = pango_layout_new(p->ctx);
    col_widths(p, t, w);
    double hdr = header_height(p, t, w, hh);
    /* caption, header and the first row stay together */
    caption(p, "Таблица", t->number, t->caption, PANGO_ALIGN_LEFT);
    double caph = layout_height(p);
    double first = 0;
    for (size_t c = 0; t->nrows && c < t->ncols; c++)
        first = fmax(
            first, cell_height(p, t->total[0] ? p->small_bold : p->small, t->cells[c].text, w[c],
                               t->cols[c].kind == DOC_TEXT ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT));
    p->y += 6;
    if (p->y + caph + hdr + first + 4 > BOTTOM)
        new_page(p);
    caption(p, "Таблица", t->number, t->caption, PANGO_ALIGN_LEFT);
    flow(p, ML);
    p->y += 2;
    draw_header(p, t, w, hh);
    for (size_t r = 0; r < t->nrows; r++) {
        const PangoFontDescription *f = t->total[r] ? p->small_bold : p->small;
        double h = 0;
        for (size_t c = 0; c < t->ncols; c++)
            h = fmax(
                h, cell_layout(cl[c], f, t->cells[r * t->ncols + c].text, w[c],
                               t->cols[c].kind == DOC_TEXT ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT));
        if (p->y + h > BOTTOM) { /* no row is split: the row and the header go on */
            new_page(p);
            char cont[64];
            snprintf(cont, sizeof cont, "Продолжение таблицы %d", t->number);
            set_text(p, p->small, CW, cont, PANGO_ALIGN_RIGHT, FALSE, 0);
            flow(p, ML);
            p->y += 2;
            draw_header(p, t, w, hh);
        }
        double x = ML;
        for (size_t c = 0; c < t->ncols; c++) {
            paint_cell(p, cl[c], x, p->y, w[c], h, 1);
            x += w[c];
        }
        if (t->total[r]) { /* the totals row is set apart by a rule, not by colour */
            cairo_set_source_rgb(p->cr, 0, 0, 0);
            cairo_set_line_width(p->cr, 1.5);
            cairo_move_to(p->cr, ML, p->y);
            cairo_line_to(p->cr, ML + CW, p->y);
            cairo_stroke(p->cr);
        }
        p->y += h;
    }
    if (t->note) {
        char *clean = chart_utf8_clean(t->note);
        set_text(p, p->small, CW, clean, PANGO_ALIGN_LEFT, FALSE, 0);
        free(clean);
        p->y += 2;
        flow(p, ML);
    }
    p->y += 8;
    for (size_t c = 0; c < t->ncols; c++)
        if (cl[c])
            g_object_unref(cl[c]);
    free(cl);
    free(w);
    free(hh);
}

static int figure(pdf *p, const doc_block *b, msk_err *err)
{
    chart_layout l;
    if (chart_layout_make(b->chart, CW, &l, err))
        return -1;
    caption(p, "Рисунок", b->number, b->text, PANGO_ALIGN_CENTER);
    double caph = layout_height(p);
    p->y += 6;
    /* a chart taller than a page with its caption (a direction's many indicators) is drawn
     * smaller, centred, so that nothing runs past the bottom margin (UI.md «Documents») */
    double room = BOTTOM - MT - caph - 16, scale = l.height > room ? room / l.height : 1;
    if (p->y + l.height * scale + caph + 4 > BOTTOM)
        new_page(p);
    int rc = chart_layout_cairo(&l, p->cr, ML + CW * (1 - scale) / 2, p->y, scale,
                                "Liberation Serif", err);
    p->y += l.height * scale + 2;
    chart_layout_release(&l);
    caption(p, "Рисунок", b->number, b->text, PANGO_ALIGN_CENTER);
    flow(p, ML);
    p->y += 10;
    return rc;
}

/* The contents: level-1 and level-2 headings with their pages (from the first pass; the
 * second lays out the same lines, so the pages hold), then a new page. */
static void contents(pdf *p, const doc *d)
{
    set_text(p, p->head, CW, "Содержание", PANGO_ALIGN_LEFT, FALSE, 0);
    flow(p, ML);
    p->y += 8;
    for (size_t i = 0; i < d->n; i++) {
        const doc_block *b = &d->b[i];
        if (b->kind != DB_SECTION || b->level > 2)
            continue;
        msk_buf s;
        msk_buf_init(&s, 0);
        msk_buf_printf(&s, "%s %s", b->num, b->text);
        char *clean = chart_utf8_clean(s.data);
        msk_buf_release(&s);
        double indent = b->level == 2 ? 14 : 0;
        set_text(p, p->body, CW - 36 - indent, clean, PANGO_ALIGN_LEFT, FALSE, 0);
        free(clean);
        if (p->y + layout_height(p) > BOTTOM)
            new_page(p);
        double y0 = p->y;
        flow(p, ML + indent);
        char n[16] = "";
        if (p->tocpage)
            snprintf(n, sizeof n, "%d", p->tocpage[i]);
        pango_layout_set_font_description(p->pn, p->body);
        pango_layout_set_text(p->pn, n, -1);
        int w, h;
        pango_layout_get_size(p->pn, &w, &h);
        cairo_move_to(p->cr, ML + CW - (double)w / PANGO_SCALE, y0);
        pango_cairo_show_layout(p->cr, p->pn);
        p->y += 3;
    }
    new_page(p);
}

static int body(pdf *p, const doc *d, msk_err *err)
{
    new_page(p);
    for (size_t i = 0; i < d->n; i++) {
        const doc_block *b = &d->b[i];
        switch (b->kind) {
        case DB_SECTION: {
            msk_buf s;
            msk_buf_init(&s, 0);
            msk_buf_printf(&s, "%s %s", b->num, b->text);
            char *clean = chart_utf8_clean(s.data);
            msk_buf_release(&s);
            /* a level-1 section starts a page once the page has content */
            set_text(p, b->level == 1 ? p->head : p->bold, CW, clean, PANGO_ALIGN_LEFT, FALSE, 0);
            free(clean);
            double h = layout_height(p);
            p->y += b->level == 1 ? 14 : 8;
            if (p->y + h + 60 > BOTTOM) /* keep a heading with what follows */
                new_page(p);
            flow(p, ML);
            if (p->secpage)
                p->secpage[i] = p->page;
            p->y += 5;
            break;
        }
        case DB_PARA:
            set_lead_text(p, b->lead, b->text, CW, 12.5 * MM /* paragraph indent 1.25 cm */);
            flow(p, ML);
            p->y += 3;
            break;
        case DB_ITEM: {
            set_lead_text(p, b->lead, b->text, CW - 18, 0);
            double h = layout_height(p);
            if (p->y + fmin(h, 30) > BOTTOM)
                new_page(p);
            pango_layout_set_attributes(p->pl, NULL);
            PangoLayout *bullet = pango_layout_new(p->ctx);
            pango_layout_set_font_description(bullet, p->body);
            pango_layout_set_text(bullet, "–", -1);
            cairo_set_source_rgb(p->cr, 0, 0, 0);
            cairo_move_to(p->cr, ML + 6, p->y);
            pango_cairo_show_layout(p->cr, bullet);
            g_object_unref(bullet);
            set_lead_text(p, b->lead, b->text, CW - 18, 0);
            flow(p, ML + 18);
            p->y += 3;
            break;
        }
        case DB_FIGURE:
            if (figure(p, b, err))
                return -1;
            break;
        case DB_CONTENTS:
            contents(p, d);
            break;
        default:
            table(p, b->table);
            break;
        }
    }
    return 0;
}

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int len)
{
    return CAIRO_STATUS_SUCCESS;
}

/* Draw d onto p->s (a PDF surface) and finish it. 0, or -1 with err. */
static int draw(pdf *p, const doc *d, const char *path, msk_err *err)
{
    cairo_pdf_surface_set_metadata(p->s, CAIRO_PDF_METADATA_TITLE, d->name ? d->name : "");
    cairo_pdf_surface_set_metadata(p->s, CAIRO_PDF_METADATA_CREATOR, "msoko");
    p->cr = cairo_create(p->s);
    /* one context at 72 dpi: a point in pango is a point on the page (pango_cairo's default
     * 96 dpi would set "12 pt" text at 16 pt) */
    p->ctx = pango_font_map_create_context(pango_cairo_font_map_get_default());
    pango_cairo_context_set_resolution(p->ctx, 72);
    pango_cairo_update_context(p->cr, p->ctx);
    p->pl = pango_layout_new(p->ctx);
    p->pn = pango_layout_new(p->ctx);
    p->body = font("Liberation Serif 12");
    p->bold = font("Liberation Serif Bold 12");
    p->head = font("Liberation Serif Bold 13");
    p->title = font("Liberation Serif Bold 16");
    p->small = font("Liberation Serif 10");
    p->small_bold = font("Liberation Serif Bold 10");
    p->italic = font("Liberation Serif Italic 10");
    title_page(p, d);
    if (body(p, d, err))
        return -1;
    cairo_show_page(p->cr);
    cairo_surface_finish(p->s);
    if (cairo_surface_status(p->s) != CAIRO_STATUS_SUCCESS)
        return msk_error_at(err, path, 0, 0, "ошибка записи PDF: %s",
                            cairo_status_to_string(cairo_surface_status(p->s)));
    return 0;
}

static void undraw(pdf *p)
{
    if (p->pl)
        g_object_unref(p->pl);
    if (p->pn)
        g_object_unref(p->pn);
    if (p->ctx)
        g_object_unref(p->ctx);
    PangoFontDescription *fds[] = {p->body,  p->bold,       p->head,  p->title,
                                   p->small, p->small_bold, p->italic};
    for (size_t i = 0; i < sizeof fds / sizeof *fds; i++)
        if (fds[i])
            pango_font_description_free(fds[i]);
    if (p->cr)
        cairo_destroy(p->cr);
    if (p->s)
        cairo_surface_destroy(p->s);
    memset(p, 0, sizeof *p);
}

int doc_pdf(const doc *d, const char *path, int *pages, msk_err *err)
{
    int rc = -1;
    pdf p;
    memset(&p, 0, sizeof p);
    msk_buf tmp;
    msk_buf_init(&tmp, 0);
    msk_buf_printf(&tmp, "%s.tmp", path);
    int *secpage = NULL;
    int has_toc = 0;
    for (size_t i = 0; i < d->n; i++)
        has_toc |= d->b[i].kind == DB_CONTENTS;
    if (has_toc) { /* a first pass into nothing finds the page of every heading */
        secpage = msk_calloc(d->n ? d->n : 1, sizeof *secpage);
        p.s = cairo_pdf_surface_create_for_stream(discard, NULL, PAGE_W, PAGE_H);
        p.secpage = secpage;
        int r1 = draw(&p, d, path, err);
        undraw(&p);
        if (r1)
            goto out;
        p.tocpage = secpage;
    }
    p.s = cairo_pdf_surface_create(tmp.data, PAGE_W, PAGE_H);
    if (cairo_surface_status(p.s) != CAIRO_STATUS_SUCCESS) {
        msk_error_at(err, path, 0, 0, "не удалось создать файл PDF: %s",
                     cairo_status_to_string(cairo_surface_status(p.s)));
        goto out;
    }
    if (draw(&p, d, path, err))
        goto out;
    if (rename(tmp.data, path)) {
        msk_error_at(err, path, 0, 0, "не удалось записать файл: %s", strerror(errno));
        goto out;
    }
    if (pages)
        *pages = p.page;
    rc = 0;
out:
    undraw(&p);
    free(secpage);
    if (rc)
        unlink(tmp.data);
    msk_buf_release(&tmp);
    return rc;
}
