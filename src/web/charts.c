/*
 * Charts of the pages, drawn by the one chart module (src/report/chart.h) that also draws the
 * PDF report: lines for dynamics, the primary-score histogram with its mark cut-offs, stacked
 * marks per school. The SVG goes into the page's model under "*_svg" keys for HTML only (the
 * JSON API carries the numbers, not pictures); each chart's numbers are in a table beside it.
 */
#include "web/internal.h"

#include "base/fmt.h"
#include "base/mem.h"
#include "report/chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CHART_WIDTH = 720, MARKS_MAX_ROWS = 40 };

static double num(json_t *v)
{
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* b: a scratch buffer, reused by the charts of one page (a school has ~40) */
static void put_svg(json_t *obj, const char *key, chart *c, msk_buf *b)
{
    msk_err err;
    msk_buf_reset(b);
    /* the SVG backend writes valid UTF-8 only (chart_xml_escape), so jansson need not check */
    if (chart_svg(c, CHART_WIDTH, b, &err) == 0 && !b->failed)
        json_object_set_new(obj, key, json_stringn_nocheck(b->data, b->len));
    chart_free(c);
}

/* School page: one line chart per procedure family, the school's measure against the
 * municipality's (dashed). */
void web_chart_dynamics(json_t *page)
{
    size_t i;
    json_t *d;
    msk_buf svg;
    msk_buf_init(&svg, 4u * 1024 * 1024);
    json_array_foreach(json_object_get(page, "dynamics"), i, d)
    {
        const char *measure = json_string_value(json_object_get(d, "measure"));
        if (!measure)
            measure = "success";
        json_t *pts = json_object_get(d, "points");
        size_t n = json_array_size(pts);
        if (n < 2)
            continue;
        double *sv = msk_calloc(n, sizeof *sv), *mv = msk_calloc(n, sizeof *mv);
        for (size_t k = 0; k < n; k++) {
            json_t *p = json_array_get(pts, k);
            sv[k] = num(json_object_get(json_object_get(p, "school"), measure));
            mv[k] = num(json_object_get(json_object_get(p, "municipality"), measure));
        }
        char title[300], a[32], b[32];
        const char *what = !strcmp(measure, "quality") ? "качество" : "успеваемость";
        snprintf(
            title, sizeof title, "%s: %s школы %s против %s по муниципалитету в %lld году",
            json_string_value(json_object_get(d, "title"))
                ? json_string_value(json_object_get(d, "title"))
                : "",
            what, fmt_pct(sv[n - 1], 0, a, sizeof a), fmt_pct(mv[n - 1], 0, b, sizeof b),
            (long long)json_integer_value(json_object_get(json_array_get(pts, n - 1), "year")));
        chart *c = chart_new(CHART_LINES, title);
        chart_set_axes(c, "Учебный год", "Доля участников, %");
        for (size_t k = 0; k < n; k++) {
            char y[32];
            fmt_school_year(
                (int)json_integer_value(json_object_get(json_array_get(pts, k), "year")), y,
                sizeof y);
            chart_x(c, y);
        }
        chart_line(c, "Школа", sv, n, 0);
        chart_line(c, "Муниципалитет", mv, n, 1);
        put_svg(d, "chart_svg", c, &svg);
        free(sv);
        free(mv);
    }
    msk_buf_release(&svg);
}

/* Procedure page: the histogram of primary scores with the cut-offs, and stacked marks per
 * school (when there are few enough schools to read them). */
void web_chart_procedure(json_t *page)
{
    json_t *h = json_object_get(page, "histogram"), *scale = json_object_get(page, "scale");
    json_t *muni = json_object_get(h, "municipality"), *sch = json_object_get(h, "school");
    const char *ptitle = json_string_value(json_object_get(json_object_get(page, "proc"), "title"));
    if (!ptitle)
        ptitle = "";
    size_t n = json_array_size(muni);
    msk_buf svg;
    msk_buf_init(&svg, 4u * 1024 * 1024);
    if (n > 1) {
        double *mv = msk_calloc(n, sizeof *mv), *sv = msk_calloc(n, sizeof *sv);
        double mt = 0, st = 0;
        for (size_t k = 0; k < n; k++) {
            mv[k] = num(json_array_get(muni, k));
            sv[k] = json_is_array(sch) ? num(json_array_get(sch, k)) : NAN;
            mt += isnan(mv[k]) ? 0 : mv[k];
            st += isnan(sv[k]) ? 0 : sv[k];
        }
        for (size_t k = 0; k < n; k++) { /* shares, so that a school compares with the whole */
            mv[k] = mt > 0 ? mv[k] / mt : NAN;
            sv[k] = st > 0 ? sv[k] / st : NAN;
        }
        char title[300];
        snprintf(title, sizeof title, "%s: распределение первичных баллов и границы отметок",
                 ptitle);
        chart *c = chart_new(CHART_HIST, title);
        chart_set_axes(c, "Первичный балл", "Доля участников, %");
        if (json_is_array(sch) && st > 0)
            chart_hist_series(c, "Школа", sv, n);
        chart_hist_series(c, "Муниципалитет", mv, n);
        static const char *const cuts[] = {"cut3", "cut4", "cut5"}, *const marks[] = {"3", "4",
                                                                                      "5"};
        for (int k = 0; k < 3; k++) {
            double v = num(json_object_get(scale, cuts[k]));
            if (!isnan(v))
                chart_hist_cut(c, v, marks[k]);
        }
        put_svg(page, "histogram_svg", c, &svg);
        free(mv);
        free(sv);
    }
    json_t *schools = json_object_get(page, "schools");
    size_t ns = json_array_size(schools);
    if (ns == 0 || ns > MARKS_MAX_ROWS) {
        msk_buf_release(&svg);
        return;
    }
    char title[300];
    snprintf(title, sizeof title, "%s: доли отметок по школам", ptitle);
    chart *c = chart_new(CHART_MARKS, title);
    chart_set_axes(c, "Доля участников, %", NULL);
    size_t i;
    json_t *s;
    json_array_foreach(schools, i, s)
    {
        json_t *m = json_object_get(s, "marks");
        double sh[4] = {num(json_object_get(m, "share2")), num(json_object_get(m, "share3")),
                        num(json_object_get(m, "share4")), num(json_object_get(m, "share5"))};
        const char *name = json_string_value(json_object_get(json_object_get(s, "school"), "name"));
        chart_marks(c, name ? name : "", sh);
    }
    json_t *m = json_object_get(page, "municipality");
    double sh[4] = {num(json_object_get(m, "share2")), num(json_object_get(m, "share3")),
                    num(json_object_get(m, "share4")), num(json_object_get(m, "share5"))};
    chart_marks(c, "Муниципалитет", sh);
    put_svg(page, "marks_svg", c, &svg);
    msk_buf_release(&svg);
}
