/*
 * Charts: the SVG backend (chart.h), and the text cleaning every renderer relies on.
 */
#include "report/chart_internal.h"

#include "base/fmt.h"
#include "base/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- SVG --------------------------------------------------------------------------------- */

/* Append s with invalid UTF-8 replaced by U+FFFD and control characters dropped; escape = 1
 * also writes the XML entities. */
static void clean_append(msk_buf *out, const char *s, int escape)
{
    const unsigned char *p = (const unsigned char *)s, *run = p; /* [run, p) kept as is */
#define FLUSH() (msk_buf_add(out, run, (size_t)(p - run)))
    while (*p) {
        unsigned char ch = *p;
        const char *rep = NULL;
        switch (escape ? ch : 0) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            break;
        }
        if (rep) {
            FLUSH();
            msk_buf_puts(out, rep);
            run = ++p;
            continue;
        }
        if (ch < 0x80) {
            if (ch >= 0x20 || ch == '\n' || ch == '\t') {
                p++;
                continue;
            }
            FLUSH();
            if (ch == '\r')
                msk_buf_putc(out, ' ');
            run = ++p;
            continue;
        }
        /* validate one UTF-8 sequence (no overlongs, no surrogates, ≤ U+10FFFF) */
        size_t len = ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : ch >= 0xC2 ? 2 : 0;
        int ok = len > 0 && ch <= 0xF4;
        for (size_t i = 1; ok && i < len; i++)
            ok = (p[i] & 0xC0) == 0x80;
        if (ok && len == 3) {
            ok = !(ch == 0xE0 && p[1] < 0xA0) && !(ch == 0xED && p[1] >= 0xA0);
            /* U+FFFE/U+FFFF are not XML characters */
            if (ok && ch == 0xEF && p[1] == 0xBF && p[2] >= 0xBE)
                ok = 0;
        }
        if (ok && len == 4)
            ok = !(ch == 0xF0 && p[1] < 0x90) && !(ch == 0xF4 && p[1] >= 0x90);
        if (ok) {
            p += len;
        } else {
            FLUSH();
            msk_buf_puts(out, "\xEF\xBF\xBD");
            p++;
            while ((*p & 0xC0) == 0x80)
                p++;
            run = p;
        }
    }
    FLUSH();
#undef FLUSH
}

void chart_xml_escape(msk_buf *out, const char *s)
{
    clean_append(out, s, 1);
}

char *chart_utf8_clean(const char *s)
{
    msk_buf b;
    msk_buf_init(&b, 0);
    clean_append(&b, s ? s : "", 0);
    return chart_take(&b);
}

/* fontconfig keeps its configuration and caches for the life of the process and frees them
 * only in FcFini, which asserts when cairo or pango still hold a pattern; so the leak checker
 * of the sanitizer builds is told to ignore what fontconfig keeps (a hook LeakSanitizer calls
 * if it is linked; unused otherwise). */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

/* The SVG writer formats its numbers itself: a page carries thousands of coordinates, and
 * printf was a quarter of a school page's cost. Output is byte-for-byte what "%ld.%ld" and
 * "#%06X" wrote. */
static void svg_num(msk_buf *b, double v)
{
    /* locale-independent, one decimal, no "-0" */
    long t = lround(v * 10);
    char d[32], *e = d + sizeof d, *q = e;
    unsigned long u = t < 0 ? 0UL - (unsigned long)t : (unsigned long)t;
    if (u % 10) {
        *--q = (char)('0' + u % 10);
        *--q = '.';
    }
    u /= 10;
    do {
        *--q = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (t < 0)
        *--q = '-';
    msk_buf_add(b, q, (size_t)(e - q));
}

/* name is a literal: ` name="v"` */
#define svg_attr(b, name, v) svg_attr_n(b, " " name "=\"", sizeof(name) + 2, v)
static void svg_attr_n(msk_buf *b, const char *pre, size_t n, double v)
{
    msk_buf_add(b, pre, n);
    svg_num(b, v);
    msk_buf_putc(b, '"');
}

/* ` name="#RRGGBB"` and what follows (a literal) */
#define svg_colour(b, name, c) svg_colour_n(b, " " name "=\"#", sizeof(name) + 3, c)
static void svg_colour_n(msk_buf *b, const char *pre, size_t n, uint32_t c)
{
    static const char hex[] = "0123456789ABCDEF";
    char d[8];
    for (int i = 0; i < 6; i++)
        d[i] = hex[(c >> (20 - 4 * i)) & 15];
    d[6] = '"';
    msk_buf_add(b, pre, n);
    msk_buf_add(b, d, 7);
}

void chart_layout_svg(const chart_layout *l, msk_buf *out)
{
    chart_layout_svg_class(l, NULL, out);
}

void chart_layout_svg_class(const chart_layout *l, const char *cls, msk_buf *out)
{
    msk_buf_puts(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart");
    if (cls) {
        msk_buf_putc(out, ' ');
        chart_xml_escape(out, cls);
    }
    msk_buf_puts(out, "\" role=\"img\"");
    msk_buf_puts(out, " viewBox=\"0 0 ");
    svg_num(out, l->width);
    msk_buf_putc(out, ' ');
    svg_num(out, l->height);
    msk_buf_putc(out, '"');
    svg_attr(out, "width", l->width);
    svg_attr(out, "height", l->height);
    msk_buf_puts(out, " font-family=\"'DejaVu Sans','Liberation Sans',Arial,sans-serif\">\n");
    msk_buf_puts(out, "<title>");
    chart_xml_escape(out, l->title);
    msk_buf_puts(out, "</title>\n<desc>");
    chart_xml_escape(out, l->desc);
    msk_buf_puts(out, "</desc>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    for (size_t i = 0; i < l->n; i++) {
        const chart_prim *p = &l->p[i];
        switch (p->kind) {
        case PRIM_RECT:
            msk_buf_puts(out, "<rect");
            svg_attr(out, "x", p->x);
            svg_attr(out, "y", p->y);
            svg_attr(out, "width", p->w);
            svg_attr(out, "height", p->h);
            svg_colour(out, "fill", p->fill);
            msk_buf_puts(out, "/>\n");
            break;
        case PRIM_LINE:
            msk_buf_puts(out, "<line");
            svg_attr(out, "x1", p->x);
            svg_attr(out, "y1", p->y);
            svg_attr(out, "x2", p->w);
            svg_attr(out, "y2", p->h);
            svg_colour(out, "stroke", p->stroke);
            svg_attr(out, "stroke-width", p->stroke_w);
            if (p->dash)
                msk_buf_puts(out, " stroke-dasharray=\"5 3\"");
            msk_buf_puts(out, "/>\n");
            break;
        case PRIM_CIRCLE:
            msk_buf_puts(out, "<circle");
            svg_attr(out, "cx", p->x);
            svg_attr(out, "cy", p->y);
            svg_attr(out, "r", p->w);
            svg_colour(out, "fill", p->fill);
            svg_colour(out, "stroke", p->stroke);
            svg_attr(out, "stroke-width", p->stroke_w);
            msk_buf_puts(out, "/>\n");
            break;
        default:
            msk_buf_puts(out, "<text");
            svg_attr(out, "x", p->x);
            svg_attr(out, "y", p->y);
            svg_attr(out, "font-size", p->size);
            if (p->anchor != ANCHOR_START)
                msk_buf_puts(out, p->anchor == ANCHOR_MIDDLE ? " text-anchor=\"middle\""
                                                             : " text-anchor=\"end\"");
            if (p->bold)
                msk_buf_puts(out, " font-weight=\"bold\"");
            if (p->vertical) {
                msk_buf_puts(out, " transform=\"rotate(-90 ");
                svg_num(out, p->x);
                msk_buf_putc(out, ' ');
                svg_num(out, p->y);
                msk_buf_puts(out, ")\"");
            }
            svg_colour(out, "fill", p->fill);
            msk_buf_putc(out, '>');
            chart_xml_escape(out, p->text);
            msk_buf_puts(out, "</text>\n");
            break;
        }
    }
    msk_buf_puts(out, "</svg>\n");
}

int chart_svg(const chart *c, double width, msk_buf *out, msk_err *err)
{
    chart_layout l;
    if (chart_layout_make(c, width, &l, err))
        return -1;
    chart_layout_svg(&l, out);
    chart_layout_release(&l);
    return 0;
}

int chart_svg_pair(const chart *c, double wide, double narrow, msk_buf *out, msk_err *err)
{
    chart_layout l;
    if (chart_layout_make(c, wide, &l, err))
        return -1;
    chart_layout_svg_class(&l, "chart-wide", out);
    chart_layout_release(&l);
    if (chart_layout_make(c, narrow, &l, err))
        return -1;
    chart_layout_svg_class(&l, "chart-narrow", out);
    chart_layout_release(&l);
    return 0;
}
