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

/* ---- the flag's chart (issue 14 item 9): threshold line, marked results, sorted bars ---- */

enum { FLAGGED_RGB = 0xA4001D };

/* Equal with any no-break space (U+00A0, U+202F: numbers' «30 %») taken for a space. */
static int same_text(const char *a, const char *b)
{
    for (;;) {
        int sa = !strncmp(a, "\xC2\xA0", 2) ? 2 : !strncmp(a, "\xE2\x80\xAF", 3) ? 3 : 0;
        int sb = !strncmp(b, "\xC2\xA0", 2) ? 2 : !strncmp(b, "\xE2\x80\xAF", 3) ? 3 : 0;
        if ((sa || *a == ' ') && (sb || *b == ' ')) {
            a += sa ? sa : 1;
            b += sb ? sb : 1;
            continue;
        }
        if (*a != *b)
            return 0;
        if (!*a)
            return 1;
        a++, b++;
    }
}

/* s with every no-break space as a space, in out (for strstr on a <desc>). */
static const char *plain_spaces(const char *s, char *out, size_t outsz)
{
    size_t n = 0;
    while (*s && n + 1 < outsz) {
        int sp = !strncmp(s, "\xC2\xA0", 2) ? 2 : !strncmp(s, "\xE2\x80\xAF", 3) ? 3 : 0;
        out[n++] = sp ? ' ' : *s;
        s += sp ? sp : 1;
    }
    out[n] = 0;
    return out;
}

static const chart_prim *find_text(const chart_layout *l, const char *t)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->p[i].kind == PRIM_TEXT && same_text(l->p[i].text, t))
            return &l->p[i];
    return NULL;
}

/* The bar of a row: the rect whose vertical middle is nearest to its label's line below the
 * label (stacked) or level with it (wide). */
static const chart_prim *bar_after(const chart_layout *l, const chart_prim *label)
{
    const chart_prim *best = NULL;
    for (size_t i = 0; i < l->n; i++) {
        const chart_prim *p = &l->p[i];
        if (p->kind != PRIM_RECT || p->h > 20 || p->y + p->h < label->y - label->size)
            continue;
        if (!best || p->y < best->y)
            best = p;
    }
    return best;
}

static void no_small_text(const chart_layout *l)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->p[i].kind == PRIM_TEXT && l->p[i].size < 12)
            fail_msg("text «%s» is %g units: under 12 px as displayed", l->p[i].text, l->p[i].size);
}

static chart *flag_bars(void)
{
    chart *c = chart_new(CHART_BARS, "Доля «2»: три результата не ниже порога 30 %");
    chart_set_axes(c, "Доля «2», %", NULL);
    chart_bar(c, "ВПР, математика, 5 класс", 0.10, 0);
    chart_bar(c, "ВПР, русский язык, 5 класс", 0.45, CHART_MARKED);
    chart_bar(c, "Муниципалитет", 0.05, CHART_TOTAL);
    chart_bar(c, "ОГЭ, математика, 9 класс", NAN, 0);
    chart_bar(c, "ВПР, математика, 6 класс", 0.30, 0); /* exactly at the threshold */
    chart_bar(c, "ВПР, русский язык, 6 класс", 0.3333, CHART_MARKED);
    chart_sort_rows(c);
    chart_threshold(c, 0.30, "порог");
    return c;
}

static void test_bars_threshold_marked_sorted(void **state)
{
    (void)state;
    static const char *const order[] = {"ВПР, русский язык, 5 класс", "ВПР, русский язык, 6 класс",
                                        "ВПР, математика, 6 класс",   "ВПР, математика, 5 класс",
                                        "ОГЭ, математика, 9 класс",   "Муниципалитет"};
    static const double widths[] = {720, 330}; /* desktop and phone (labels above bars) */
    for (int w = 0; w < 2; w++) {
        chart *c = flag_bars();
        chart_layout l;
        msk_err e;
        msk_err_clear(&e);
        assert_int_equal(chart_layout_make(c, widths[w], &l, &e), 0);
        check_inside(&l);
        no_small_text(&l);
        /* sorted by value, largest first, NAN after, the totals row last */
        double prev_y = -1;
        for (size_t k = 0; k < 6; k++) {
            const chart_prim *t = find_text(&l, order[k]);
            assert_non_null(t);
            if (!(t->y > prev_y))
                fail_msg("row «%s» at y %g is not below the previous (%g)", order[k], t->y, prev_y);
            prev_y = t->y;
        }
        /* the threshold: a dashed line where the 30 % bar ends, its label above the plot */
        const chart_prim *at = bar_after(&l, find_text(&l, "ВПР, математика, 6 класс"));
        assert_non_null(at);
        double x30 = at->x + at->w;
        int dashed = 0;
        for (size_t i = 0; i < l.n; i++)
            if (l.p[i].kind == PRIM_LINE && l.p[i].dash) {
                assert_true(fabs(l.p[i].x - x30) < 0.01 && fabs(l.p[i].w - x30) < 0.01);
                dashed++;
            }
        assert_true(dashed >= 1);
        const chart_prim *tl = find_text(&l, "порог 30 %");
        assert_non_null(tl);
        assert_true(tl->y < find_text(&l, order[0])->y);
        /* the marked results: dark red bars with a ring at their end and a bold value */
        int rings = 0;
        for (size_t k = 0; k < 2; k++) {
            const chart_prim *b = bar_after(&l, find_text(&l, order[k]));
            assert_int_equal(b->fill, FLAGGED_RGB);
            for (size_t i = 0; i < l.n; i++)
                if (l.p[i].kind == PRIM_CIRCLE && l.p[i].stroke == FLAGGED_RGB &&
                    fabs(l.p[i].x - (b->x + b->w)) < 0.01 &&
                    fabs(l.p[i].y - (b->y + b->h / 2)) < 0.01)
                    rings++;
        }
        assert_int_equal(rings, 2);
        const chart_prim *v45 = find_text(&l, "45,0 %");
        assert_non_null(v45);
        assert_true(v45->bold);
        /* an unmarked bar is not dark red and has no ring */
        assert_int_not_equal(bar_after(&l, find_text(&l, order[3]))->fill, FLAGGED_RGB);
        assert_non_null(strstr(l.desc, "порог 30"));
        assert_non_null(strstr(l.desc, "отмечено результатов, на которых держится вывод: 2"));
        chart_layout_release(&l);
        chart_free(c);
    }
}

/* Indicators against their own targets (chart_bar_target, the report's direction charts): the
 * target is a solid line across its row's bar at the target's x (0..1 of the value axis, read
 * from the axis: a 50 % bar ends where the 50 % target line is), the value text right of the
 * line when the target is further, the key above the plot, the <desc> names each target, and
 * the value axis reaches a target beyond every bar. */
static void test_bars_targets(void **state)
{
    (void)state;
    static const double widths[] = {510, 330};
    for (int w = 0; w < 2; w++) {
        chart *c = chart_new(CHART_BARS, "Цель достигнута по 1 из 3 показателей");
        chart_bar(c, "1. Доля «зачёт»", 0.50, 0);
        chart_bar_target(c, 0.50);
        chart_bar(c, "2. Доля «2»", 0.08, CHART_MARKED);
        chart_bar_target(c, 0.05);
        chart_bar(c, "3. Охват диагностикой", 0.20, CHART_MARKED);
        chart_bar_target(c, 0.90); /* beyond every bar: the axis reaches it */
        chart_bar(c, "4. Без цели", 0.30, 0);
        chart_layout l;
        msk_err e;
        msk_err_clear(&e);
        assert_int_equal(chart_layout_make(c, widths[w], &l, &e), 0);
        check_inside(&l);
        no_small_text(&l);
        /* solid target lines, one a row with a target, crossing that row's bar */
        const chart_prim *b1 = bar_after(&l, find_text(&l, "1. Доля «зачёт»"));
        const chart_prim *b3 = bar_after(&l, find_text(&l, "3. Охват диагностикой"));
        assert_non_null(b1);
        assert_non_null(b3);
        double x50 = b1->x + b1->w, unit = b1->w / 0.50; /* axis units per 100 % */
        int ticks = 0, at50 = 0, at90 = 0;
        for (size_t i = 0; i < l.n; i++) {
            const chart_prim *p = &l.p[i];
            if (p->kind != PRIM_LINE || p->dash || fabs(p->stroke_w - 2.5) > 0.01)
                continue;
            ticks++;
            assert_true(fabs(p->x - p->w) < 0.01); /* vertical */
            at50 += fabs(p->x - x50) < 0.01 && p->y < b1->y && p->h > b1->y + b1->h;
            at90 +=
                fabs(p->x - (b1->x + 0.90 * unit)) < 0.01 && p->y < b3->y && p->h > b3->y + b3->h;
        }
        assert_int_equal(ticks, 4); /* three rows and the key */
        assert_int_equal(at50, 1);
        assert_int_equal(at90, 1);
        /* the 20 % value prints right of its 90 % target line */
        const chart_prim *v20 = find_text(&l, "20,0 %");
        assert_non_null(v20);
        assert_true(v20->x > b1->x + 0.90 * unit);
        /* the key: above the first row, with the ring's meaning (rows are marked) */
        const chart_prim *k1 = find_text(&l, "целевое значение"), *k2 = find_text(&l, "цель не "
                                                                                      "достигнута");
        assert_non_null(k1);
        assert_non_null(k2);
        assert_true(k1->y < find_text(&l, "1. Доля «зачёт»")->y);
        char desc[1024];
        plain_spaces(l.desc, desc, sizeof desc);
        assert_non_null(strstr(desc, "2. Доля «2»: 8,0 % (цель 5,0 %)"));
        assert_non_null(strstr(desc, "4. Без цели: 30,0 %"));
        assert_null(strstr(desc, "30,0 % (цель"));
        chart_layout_release(&l);
        chart_free(c);
    }
    /* without marked rows the key has no ring */
    chart *c = chart_new(CHART_BARS, "все в цели");
    chart_bar(c, "1. Доля", 0.9, 0);
    chart_bar_target(c, 0.8);
    chart_layout l;
    msk_err e;
    msk_err_clear(&e);
    assert_int_equal(chart_layout_make(c, 510, &l, &e), 0);
    assert_non_null(find_text(&l, "целевое значение"));
    assert_null(find_text(&l, "цель не достигнута"));
    chart_layout_release(&l);
    chart_free(c);
}

static void test_sort_rows_order(void **state)
{
    (void)state;
    chart *c = chart_new(CHART_BARS, "порядок");
    chart_bar(c, "a", 0.2, 0);
    chart_bar(c, "b", NAN, 0);
    chart_bar(c, "c", 0.5, 0);
    chart_bar(c, "итог", 0.9, CHART_TOTAL);
    chart_bar(c, "d", 0.2, 0);
    chart_bar(c, "e", 0.7, CHART_HIGHLIGHT);
    chart_bar(c, "итог 2", 0.1, 0);
    chart_row_flags(c, CHART_TOTAL);
    chart_sort_rows(c);
    chart_layout l;
    msk_err e;
    msk_err_clear(&e);
    assert_int_equal(chart_layout_make(c, 600, &l, &e), 0);
    /* the default <desc> lists the rows in drawing order: ties keep the order added */
    const char *want[] = {"e: ", "; c: ", "; a: ", "; d: ", "; b: ", "; итог: ", "; итог 2: "};
    const char *at = l.desc;
    for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
        const char *f = strstr(at, want[k]);
        if (!f)
            fail_msg("«%s» not after position %td in «%s»", want[k], at - l.desc, l.desc);
        at = f + 1;
    }
    chart_layout_release(&l);
    /* marks sort by the share of «2» */
    chart *m = chart_new(CHART_MARKS, "отметки");
    double s1[4] = {0.1, 0.3, 0.3, 0.3}, s2[4] = {0.4, 0.3, 0.2, 0.1},
           s3[4] = {0.05, 0.3, 0.3, 0.35};
    chart_marks(m, "x", s1);
    chart_marks(m, "Муниципалитет", s3);
    chart_row_flags(m, CHART_TOTAL);
    chart_marks(m, "y", s2);
    chart_sort_rows(m);
    assert_int_equal(chart_layout_make(m, 600, &l, &e), 0);
    assert_true(strstr(l.desc, "y: ") < strstr(l.desc, "x: "));
    assert_true(strstr(l.desc, "x: ") < strstr(l.desc, "Муниципалитет: "));
    chart_layout_release(&l);
    chart_free(m);
    chart_free(c);
}

static void test_lines_threshold_marked(void **state)
{
    (void)state;
    static const double widths[] = {720, 330};
    for (int w = 0; w < 2; w++) {
        chart *c = chart_new(CHART_LINES, "ШНОР: доля «2» не ниже порога 30 % — 2 результата");
        chart_set_axes(c, "Учебный год", "Доля «2», %");
        chart_x(c, "2021/2022");
        chart_x(c, "2022/2023");
        chart_x(c, "2023/2024");
        double a[3] = {0.2, 0.35, 0.31}, b[3] = {0.1, 0.15, 0.12};
        chart_line(c, "ВПР, математика, 5 класс", a, 3, 0);
        chart_line_mark(c, 1);
        chart_line_mark(c, 2);
        chart_line_mark(c, 7); /* out of range: ignored */
        chart_line(c, "ВПР, русский язык, 5 класс", b, 3, 0);
        chart_threshold(c, 0.30, "порог");
        chart_layout l;
        msk_err e;
        msk_err_clear(&e);
        assert_int_equal(chart_layout_make(c, widths[w], &l, &e), 0);
        check_inside(&l);
        no_small_text(&l);
        /* y of a value from two plain points of the second series (values 0.1 and 0.15) */
        double y10 = NAN, y15 = NAN, xs[3] = {NAN, NAN, NAN};
        size_t np = 0;
        for (size_t i = 0; i < l.n; i++)
            if (l.p[i].kind == PRIM_CIRCLE && l.p[i].w == 3 && l.p[i].stroke != FLAGGED_RGB) {
                np++;
                if (isnan(y10) && np == 2) /* a[0], then b[0], b[1], b[2] */
                    y10 = l.p[i].y, xs[0] = l.p[i].x;
                else if (np == 3)
                    y15 = l.p[i].y, xs[1] = l.p[i].x;
                else if (np == 4)
                    xs[2] = l.p[i].x;
            }
        assert_int_equal(np, 4); /* 6 points, 2 of them marked */
#define YOF(v) (y10 + (y15 - y10) * ((v)-0.1) / 0.05)
        int dashed = 0;
        for (size_t i = 0; i < l.n; i++)
            if (l.p[i].kind == PRIM_LINE && l.p[i].dash && fabs(l.p[i].w - l.p[i].x) > 40) {
                assert_true(fabs(l.p[i].y - l.p[i].h) < 0.01); /* horizontal, across the plot */
                assert_true(fabs(l.p[i].y - YOF(0.30)) < 0.05);
                dashed++;
            }
        assert_int_equal(dashed, 1); /* (the phone's key draws a short dash again) */
        if (w) {
            const chart_prim *k = find_text(&l, "порог 30 %");
            assert_non_null(k);
            assert_true(k->y > YOF(0)); /* in the key under the plot */
        } else {
            assert_non_null(find_text(&l, "порог 30 %")); /* at the line's right end */
        }
        /* the marked points: rings at (x of 2022/2023, y of 35 %) and (2023/2024, 31 %) */
        int rings = 0;
        for (size_t i = 0; i < l.n; i++)
            if (l.p[i].kind == PRIM_CIRCLE && l.p[i].stroke == FLAGGED_RGB && l.p[i].w > 5) {
                int one = fabs(l.p[i].x - xs[1]) < 0.01 && fabs(l.p[i].y - YOF(0.35)) < 0.05;
                int two = fabs(l.p[i].x - xs[2]) < 0.01 && fabs(l.p[i].y - YOF(0.31)) < 0.05;
                assert_true(one || two);
                rings++;
            }
        assert_int_equal(rings, 2);
#undef YOF
        assert_non_null(strstr(l.desc, "отмечено результатов, на которых держится вывод: 2"));
        chart_layout_release(&l);
        chart_free(c);
    }
}

static void test_svg_pair(void **state)
{
    (void)state;
    chart *c = flag_bars();
    msk_buf b;
    msk_buf_init(&b, 0);
    msk_err e;
    msk_err_clear(&e);
    assert_int_equal(chart_svg_pair(c, 720, 330, &b, &e), 0);
    const char *wide = strstr(b.data, "class=\"chart chart-wide\"");
    const char *narrow = strstr(b.data, "class=\"chart chart-narrow\"");
    assert_non_null(wide);
    assert_non_null(narrow);
    assert_true(wide < narrow);
    assert_non_null(strstr(wide, "width=\"720\""));
    assert_non_null(strstr(narrow, "width=\"330\""));
    assert_non_null(strstr(b.data, "stroke-dasharray"));
    msk_buf_release(&b);
    chart_free(c);
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
        cmocka_unit_test(test_bars_threshold_marked_sorted),
        cmocka_unit_test(test_sort_rows_order),
        cmocka_unit_test(test_bars_targets),
        cmocka_unit_test(test_lines_threshold_marked),
        cmocka_unit_test(test_svg_pair),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
