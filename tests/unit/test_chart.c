/*
 * Tests for report/chart: every kind lays out inside its box, the SVG is well-formed XML (parsed
 * with expat) with <title> and <desc>, cut-off and direct labels are present, hostile text is
 * escaped, and the cairo backend draws the same layout into an image surface without errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/buf.h"
#include "report/chart.h"

#include <cairo.h>
#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parsed {
    int elements, titles, descs, texts;
    int in_text, in_title;
    msk_buf alltext; /* every <text> content, "|"-separated */
    msk_buf title;
} parsed;

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    parsed *p = ud;
    (void)attrs;
    p->elements++;
    if (!strcmp(name, "title")) {
        p->titles++;
        p->in_title = 1;
    }
    if (!strcmp(name, "desc"))
        p->descs++;
    if (!strcmp(name, "text")) {
        p->texts++;
        p->in_text = 1;
    }
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    parsed *p = ud;
    if (!strcmp(name, "text")) {
        p->in_text = 0;
        msk_buf_putc(&p->alltext, '|');
    }
    if (!strcmp(name, "title"))
        p->in_title = 0;
}

static void XMLCALL on_chars(void *ud, const XML_Char *s, int len)
{
    parsed *p = ud;
    if (p->in_text)
        msk_buf_add(&p->alltext, s, (size_t)len);
    if (p->in_title)
        msk_buf_add(&p->title, s, (size_t)len);
}

/* Parse svg with expat; fails the test when it is not well-formed. */
static void parse_svg(const char *svg, parsed *p)
{
    memset(p, 0, sizeof *p);
    msk_buf_init(&p->alltext, 0);
    msk_buf_init(&p->title, 0);
    XML_Parser x = XML_ParserCreate("UTF-8");
    XML_SetUserData(x, p);
    XML_SetElementHandler(x, on_start, on_end);
    XML_SetCharacterDataHandler(x, on_chars);
    enum XML_Status st = XML_Parse(x, svg, (int)strlen(svg), 1);
    if (st != XML_STATUS_OK)
        fail_msg("SVG not well-formed: %s at line %lu\n%s", XML_ErrorString(XML_GetErrorCode(x)),
                 (unsigned long)XML_GetCurrentLineNumber(x), svg);
    XML_ParserFree(x);
}

static void parsed_release(parsed *p)
{
    msk_buf_release(&p->alltext);
    msk_buf_release(&p->title);
}

/* Every primitive inside the box; start/end-anchored text by its estimated width. */
static void check_inside(const chart_layout *l)
{
    assert_true(l->height > 50);
    for (size_t i = 0; i < l->n; i++) {
        const chart_prim *p = &l->p[i];
        double x0 = p->x, x1 = p->x, y0 = p->y, y1 = p->y;
        if (p->kind == PRIM_RECT) {
            x1 = p->x + p->w;
            y1 = p->y + p->h;
        } else if (p->kind == PRIM_LINE) {
            x1 = p->w;
            y1 = p->h;
        } else if (p->kind == PRIM_TEXT && !p->vertical) {
            double w = chart_text_width(p->text, p->size);
            x0 = p->anchor == ANCHOR_START ? p->x
                 : p->anchor == ANCHOR_END ? p->x - w
                                           : p->x - w / 2;
            x1 = x0 + w;
            y0 = p->y - p->size;
        }
        if (fmin(x0, x1) < -0.01 || fmax(x0, x1) > l->width + 0.01 || fmin(y0, y1) < -0.01 ||
            fmax(y0, y1) > l->height + 0.01)
            fail_msg("primitive %zu (kind %d, \"%s\") outside %gx%g: x %g..%g y %g..%g", i, p->kind,
                     p->text ? p->text : "", l->width, l->height, x0, x1, y0, y1);
    }
}

static void draw_cairo(const chart_layout *l)
{
    cairo_surface_t *s =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)l->width, (int)l->height);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    msk_err e;
    msk_err_clear(&e);
    assert_int_equal(chart_layout_cairo(l, cr, 0, 0, 1, NULL, &e), 0);
    cairo_surface_flush(s);
    /* something non-white was drawn */
    const unsigned char *d = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s), dark = 0;
    for (int y = 0; y < (int)l->height && !dark; y++)
        for (int x = 0; x < (int)l->width; x++)
            if (d[y * stride + 4 * x] < 100) {
                dark = 1;
                break;
            }
    assert_true(dark);
    assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
    /* CHART_PNG_DIR=dir keeps each picture for a look by eye */
    const char *dir = getenv("CHART_PNG_DIR");
    if (dir) {
        static int seq;
        char path[512];
        snprintf(path, sizeof path, "%s/chart-%d.png", dir, ++seq);
        cairo_surface_write_to_png(s, path);
    }
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

/* Lay out, check the box, write SVG, parse it, draw with cairo. Returns the SVG. */
static char *render(const chart *c, double width, parsed *p)
{
    chart_layout l;
    msk_err e;
    msk_err_clear(&e);
    assert_int_equal(chart_layout_make(c, width, &l, &e), 0);
    check_inside(&l);
    draw_cairo(&l);
    msk_buf b;
    msk_buf_init(&b, 0);
    chart_layout_svg(&l, &b);
    chart_layout_release(&l);
    parse_svg(b.data, p);
    assert_int_equal(p->titles, 1);
    assert_int_equal(p->descs, 1);
    char *svg = msk_buf_detach(&b, NULL);
    msk_buf_release(&b);
    return svg;
}

static void test_hist_cutoffs(void **state)
{
    (void)state;
    chart *c = chart_new(CHART_HIST, "ВПР, математика, 5 класс: 34\xC2\xA0% получили «2»");
    chart_set_axes(c, "Первичный балл", "Доля участников, %");
    double school[21], muni[21];
    for (int i = 0; i <= 20; i++) {
        school[i] = exp(-(i - 8) * (i - 8) / 18.0) / 7;
        muni[i] = exp(-(i - 11) * (i - 11) / 20.0) / 8;
    }
    chart_hist_series(c, "Школа № 12", school, 21);
    chart_hist_series(c, "Муниципалитет", muni, 21);
    chart_hist_series(c, "third is ignored", muni, 21);
    chart_hist_cut(c, 7, "«3»");
    chart_hist_cut(c, 12, "«4»");
    chart_hist_cut(c, 16, "«5»");
    parsed p;
    char *svg = render(c, 640, &p);
    assert_non_null(strstr(p.alltext.data, "|«3»|"));
    assert_non_null(strstr(p.alltext.data, "|«4»|"));
    assert_non_null(strstr(p.alltext.data, "|«5»|"));
    assert_non_null(strstr(p.alltext.data, "Школа № 12"));
    assert_non_null(strstr(p.alltext.data, "Муниципалитет"));
    assert_null(strstr(p.alltext.data, "third"));
    assert_non_null(strstr(p.alltext.data, "Первичный балл"));
    assert_non_null(strstr(svg, "stroke-dasharray")); /* cut-off lines are dashed */
    assert_string_equal(p.title.data, "ВПР, математика, 5 класс: 34\xC2\xA0% получили «2»");
    free(svg);
    parsed_release(&p);
    chart_free(c);
}

static void test_marks_and_hostile_text(void **state)
{
    (void)state;
    chart *c = chart_new(CHART_MARKS, "Школа <script>alert(1)</script> & \"Ко'\x01");
    const double a[4] = {0.341, 0.4, 0.2, 0.059};
    const double unknown[4] = {NAN, NAN, NAN, NAN};
    chart_marks(c, "МБОУ «СОШ № 1» <b>", a);
    chart_marks(c, "Очень длинное название школы, которое не помещается в колонку подписей никак",
                a);
    chart_marks(c, "bad \xC3\x28 utf8 \xED\xA0\x80 surrogate", unknown);
    parsed p;
    char *svg = render(c, 500, &p);
    assert_null(strstr(svg, "<script>"));
    assert_null(strstr(svg, "<b>"));
    assert_non_null(strstr(svg, "&lt;script&gt;"));
    assert_non_null(strstr(svg, "&amp;"));
    assert_non_null(strstr(svg, "&quot;"));
    assert_non_null(strstr(svg, "&#39;"));
    assert_null(strchr(svg, '\x01'));
    assert_non_null(strstr(p.alltext.data, "|34\xC2\xA0%|")); /* the «2» share inside its segment */
    assert_non_null(strstr(p.alltext.data, "«5»"));
    assert_non_null(strstr(p.alltext.data, "…")); /* the long label was cut, not overflowing */
    assert_non_null(strstr(p.alltext.data, "менее 5 участников"));
    assert_non_null(strstr(svg, "#D55E00"));
    free(svg);
    parsed_release(&p);
    chart_free(c);
}

static void test_lines_dashed_reference(void **state)
{
    (void)state;
    chart *c = chart_new(CHART_LINES, "Успеваемость по математике выросла за три года");
    chart_set_axes(c, "Учебный год", "Успеваемость, %");
    chart_x(c, "2022");
    chart_x(c, "2023");
    chart_x(c, "2024");
    const double s[3] = {0.71, NAN, 0.825}, m[3] = {0.8, 0.81, 0.79};
    chart_line(c, "Школа № 3", s, 3, 0);
    chart_line(c, "Муниципалитет", m, 3, 1);
    parsed p;
    char *svg = render(c, 560, &p);
    assert_non_null(strstr(p.alltext.data, "|71,0\xC2\xA0%|"));
    assert_non_null(strstr(p.alltext.data, "|82,5\xC2\xA0%|"));
    assert_non_null(strstr(p.alltext.data, "|79,0\xC2\xA0%|"));
    assert_non_null(strstr(p.alltext.data, "|Школа № 3|"));
    assert_non_null(strstr(p.alltext.data, "|2023|"));
    assert_non_null(strstr(svg, "stroke-dasharray"));
    assert_non_null(strstr(svg, "rotate(-90"));
    free(svg);
    parsed_release(&p);
    chart_free(c);
}

static void test_bars_and_numbers(void **state)
{
    (void)state;
    chart *c = chart_new(CHART_BARS, "Рейтинг: баллы школ");
    chart_set_unit(c, CHART_NUMBER, 1);
    chart_set_axes(c, "Баллы рейтинга", NULL);
    chart_set_desc(c, "Своё описание");
    for (int i = 0; i < 12; i++) {
        char lab[32];
        snprintf(lab, sizeof lab, "Школа %d", i + 1);
        chart_bar(c, lab, 10.0 + i * 3.25, i == 4);
    }
    chart_bar(c, "без данных", NAN, 0);
    chart_bar(c, "минус", -62, 0);
    parsed p;
    char *svg = render(c, 400, &p);
    assert_non_null(strstr(p.alltext.data, "|45,8|"));
    assert_non_null(strstr(p.alltext.data, "|−62,0|"));
    assert_non_null(strstr(p.alltext.data, "|−100|")); /* a symmetric axis around zero */
    assert_non_null(strstr(p.alltext.data, "|—|"));
    assert_non_null(strstr(svg, "<desc>Своё описание</desc>"));
    assert_non_null(strstr(svg, "font-weight=\"bold\"")); /* the highlighted row */
    free(svg);
    parsed_release(&p);
    chart_free(c);
}

static void test_errors_and_default_desc(void **state)
{
    (void)state;
    msk_err e;
    msk_err_clear(&e);
    msk_buf b;
    msk_buf_init(&b, 0);
    chart *c = chart_new(CHART_BARS, "Пусто");
    assert_int_equal(chart_svg(c, 400, &b, &e), -1);
    assert_string_equal(e.msg, "диаграмма «Пусто» без данных");
    chart_bar(c, "A", 0.25, 0);
    assert_int_equal(chart_svg(c, 10, &b, &e), -1);
    assert_non_null(strstr(e.msg, "ширина диаграммы 10"));
    assert_int_equal(chart_svg(c, 300, &b, &e), 0);
    assert_non_null(strstr(b.data, "<desc>A: 25,0\xC2\xA0%</desc>"));
    chart_free(c);
    chart_free(NULL);
    msk_buf_release(&b);
}

static void test_escape(void **state)
{
    (void)state;
    msk_buf b;
    msk_buf_init(&b, 0);
    chart_xml_escape(&b, "a<b>&\"'\x7f\x1f\xF0\x9F\x98\x80\xEF\xBF\xBF\xC0\xAF");
    assert_string_equal(b.data, "a&lt;b&gt;&amp;&quot;&#39;\x7f\xF0\x9F\x98\x80\xEF\xBF\xBD"
                                "\xEF\xBF\xBD");
    msk_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hist_cutoffs),
        cmocka_unit_test(test_marks_and_hostile_text),
        cmocka_unit_test(test_lines_dashed_reference),
        cmocka_unit_test(test_bars_and_numbers),
        cmocka_unit_test(test_errors_and_default_desc),
        cmocka_unit_test(test_escape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
