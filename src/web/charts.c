/*
 * Charts of the pages, drawn by the one chart module (src/report/chart.h) that also draws the
 * PDF report: the flag's chart (the rule's measure, its threshold, the flagged results marked)
 * on the school page and the evidence card, the primary-score histogram with its mark
 * cut-offs, marks and means per school sorted by value, the dashboard's schools against the
 * ШНОР threshold. The SVG goes into the page's model under "*_svg" keys for HTML only (the JSON
 * API carries the numbers, not pictures); each chart's numbers are in a table beside it or on
 * the card one click away. Each picture is drawn wide and narrow (chart_svg_pair).
 */
#include "web/internal.h"

#include "base/fmt.h"
#include "base/mem.h"
#include "report/chart.h"
#include "report/flag_chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* wide: 1 unit = 1 px in the 760 px chart box of a desktop; narrow: fits the 358 px of a
 * 390 px phone less the page's and a finding's padding, also at 1 unit = 1 px */
enum { CHART_WIDTH = 720, CHART_NARROW = 330, MARKS_MAX_ROWS = 40 };
/* a region of 2 000 schools: the 40 with the largest share and the ШНОР ones, not 2 000 bars */
enum { DASHBOARD_MAX_ROWS = 40 };

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
    if (chart_svg_pair(c, CHART_WIDTH, CHART_NARROW, b, &err) == 0 && !b->failed)
        json_object_set_new(obj, key, json_stringn_nocheck(b->data, b->len));
    chart_free(c);
}

/* School page: one compact table of the dynamics instead of a chart per procedure (issue 14
 * item 9): a row per procedure, the share of «2» and the quality of each year side by side.
 * "dyn_table": {"years": [{"year"}], "rows": [{"title", "key", "share2": [{"v"}], "quality":
 * [{"v"}]}]} with the cells aligned to "years" (null where the year has no result). */
void web_dynamics_table(json_t *page)
{
    int years[8], ny = 0;
    size_t i, k;
    json_t *d, *p;
    json_array_foreach(json_object_get(page, "dynamics"), i, d)
    {
        json_array_foreach(json_object_get(d, "points"), k, p)
        {
            int y = (int)json_integer_value(json_object_get(p, "year")), seen = 0;
            for (int j = 0; j < ny; j++)
                seen |= years[j] == y;
            if (!seen && ny < 8)
                years[ny++] = y;
        }
    }
    if (!ny)
        return;
    for (int a = 1; a < ny; a++) /* oldest first */
        for (int b = a; b > 0 && years[b] < years[b - 1]; b--) {
            int t = years[b];
            years[b] = years[b - 1];
            years[b - 1] = t;
        }
    json_t *ys = json_array(), *rows = json_array();
    for (int j = 0; j < ny; j++)
        json_array_append_new(ys, json_pack("{s:i}", "year", years[j]));
    json_array_foreach(json_object_get(page, "dynamics"), i, d)
    {
        json_t *s2 = json_array(), *q = json_array();
        for (int j = 0; j < ny; j++) {
            json_t *school = NULL;
            json_array_foreach(json_object_get(d, "points"), k, p)
            {
                if (json_integer_value(json_object_get(p, "year")) == years[j])
                    school = json_object_get(p, "school");
            }
            /* O?: a key a hidden cell lacks is null, like the hidden value itself */
            json_array_append_new(s2, json_pack("{s:O?}", "v", json_object_get(school, "share2")));
            json_array_append_new(q, json_pack("{s:O?}", "v", json_object_get(school, "quality")));
        }
        json_array_append_new(
            rows, json_pack("{s:O, s:O, s:o, s:o}", "title", json_object_get(d, "title"), "key",
                            json_object_get(d, "key"), "share2", s2, "quality", q));
    }
    json_object_set_new(page, "dyn_table",
                        json_pack("{s:o, s:i, s:o}", "years", ys, "nyears", ny, "rows", rows));
}

/* An objectivity card's histogram: the school's and the municipality's primary scores with
 * the mark cut-offs (the signs read the marks' boundaries). */
static chart *card_hist(const json_t *h)
{
    json_t *ms = json_object_get(h, "municipality"), *ss = json_object_get(h, "school");
    size_t n = json_array_size(ms);
    if (n < 2)
        return NULL;
    double *mv = msk_calloc(n, sizeof *mv), *sv = msk_calloc(n, sizeof *sv), mt = 0, st = 0;
    for (size_t k = 0; k < n; k++) {
        mt += mv[k] = (double)json_integer_value(json_array_get(ms, k));
        st += sv[k] = (double)json_integer_value(json_array_get(ss, k));
    }
    for (size_t k = 0; k < n; k++) {
        mv[k] = mt > 0 ? mv[k] / mt : NAN;
        sv[k] = st > 0 ? sv[k] / st : NAN;
    }
    char title[400];
    snprintf(title, sizeof title, "%s: первичные баллы школы и муниципалитета, границы отметок",
             json_string_value(json_object_get(h, "title")));
    chart *c = chart_new(CHART_HIST, title);
    chart_set_axes(c, "Первичный балл", "Доля участников, %");
    if (st > 0)
        chart_hist_series(c, "Школа", sv, n);
    chart_hist_series(c, "Муниципалитет", mv, n);
    static const char *const marks[] = {"3", "4", "5"};
    json_t *cuts = json_object_get(h, "cuts");
    for (size_t k = 0; k < 3; k++)
        if (json_is_number(json_array_get(cuts, k)))
            chart_hist_cut(c, json_number_value(json_array_get(cuts, k)), marks[k]);
    free(mv);
    free(sv);
    return c;
}

void web_chart_flag(json_t *finding, const json_t *card)
{
    msk_buf svg;
    msk_buf_init(&svg, 1024 * 1024);
    chart *c = flag_chart(card, NULL, 0);
    if (!c)
        c = card_hist(json_array_get(json_object_get(card, "histograms"), 0));
    if (c)
        put_svg(finding, "chart_svg", c, &svg);
    msk_buf_release(&svg);
}

/* The card of a flag: the flag's measure per result, sorted, with the threshold line and the
 * results over it marked (ШНОР, risk: the share of «2»; rating: points per criterion), its
 * dynamics (flag_chart), and for objectivity the score histograms with the mark cut-offs. */
void web_chart_card(json_t *d)
{
    const char *list = json_string_value(json_object_get(d, "list"));
    json_t *rows = json_object_get(d, "rows");
    msk_buf svg;
    msk_buf_init(&svg, 1024 * 1024);
    size_t i;
    json_t *row;
    char title[400], a[32], b[32];
    if (list && (!strcmp(list, "shnor") || !strcmp(list, "risk"))) {
        double thr = NAN, top = NAN;
        size_t n = 0;
        json_array_foreach(rows, i, row) if (json_is_string(json_object_get(row, "proc_key")))
        {
            double s = num(json_object_get(row, "share"));
            if (isnan(top) || s > top)
                top = s;
            if (isnan(thr))
                thr = num(json_object_get(row, "threshold"));
            n++;
        }
        if (n) {
            snprintf(title, sizeof title, "Доля «2»: до %s у школы при пороге %s",
                     fmt_pct(top, 1, a, sizeof a), fmt_pct(thr, 0, b, sizeof b));
            chart *c = chart_new(CHART_BARS, title);
            chart_set_axes(c, "Доля участников, получивших «2», %", NULL);
            json_array_foreach(rows, i, row) if (json_is_string(json_object_get(row, "proc_key")))
            {
                char label[300], y[16];
                snprintf(label, sizeof label, "%s, %s",
                         json_string_value(json_object_get(row, "label")),
                         fmt_school_year((int)json_integer_value(json_object_get(row, "proc_year")),
                                         y, sizeof y));
                chart_bar(c, label, num(json_object_get(row, "share")),
                          json_is_true(json_object_get(row, "over")) ? CHART_MARKED : 0);
            }
            chart_sort_rows(c);
            chart_threshold(c, thr, "порог");
            put_svg(d, "chart_svg", c, &svg);
        }
        chart *t = flag_chart(d, NULL, 0);
        if (t)
            put_svg(d, "trend_svg", t, &svg);
    } else if (list && !strcmp(list, "rating")) {
        snprintf(title, sizeof title, "Баллы по критериям рейтинга: всего %s",
                 fmt_num(num(json_object_get(d, "points")), 0, a, sizeof a));
        chart *c = chart_new(CHART_BARS, title);
        chart_set_axes(c, "Баллы", NULL);
        chart_set_unit(c, CHART_NUMBER, 0);
        json_array_foreach(rows, i, row)
            chart_bar(c, json_string_value(json_object_get(row, "label")),
                      num(json_object_get(row, "points")), 0);
        chart_sort_rows(c);
        put_svg(d, "chart_svg", c, &svg);
    }
    json_t *h;
    json_array_foreach(json_object_get(d, "histograms"), i, h)
    {
        chart *c = card_hist(h);
        if (c)
            put_svg(h, "chart_svg", c, &svg);
    }
    msk_buf_release(&svg);
}

/* The school the procedure page is opened for (?school=). */
static int own_school(const json_t *page, const json_t *row)
{
    const char *me = json_string_value(json_object_get(page, "for_school"));
    const char *code = json_string_value(json_object_get(json_object_get(row, "school"), "code"));
    return me && code && !strcmp(me, code);
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
        int test = json_is_true(json_object_get(page, "test_only"));
        if (test) /* ЕГЭ as ФИС ОКО shows it: test scores and the minimum */
            snprintf(title, sizeof title, "%s: распределение тестовых баллов и минимальный балл",
                     ptitle);
        else
            snprintf(title, sizeof title, "%s: распределение первичных баллов и границы отметок",
                     ptitle);
        chart *c = chart_new(CHART_HIST, title);
        chart_set_axes(c, test ? "Тестовый балл" : "Первичный балл", "Доля участников, %");
        if (json_is_array(sch) && st > 0)
            chart_hist_series(c, "Школа", sv, n);
        chart_hist_series(c, "Муниципалитет", mv, n);
        static const char *const cuts[] = {"cut3", "cut4", "cut5"}, *const marks[] = {"3", "4",
                                                                                      "5"};
        for (int k = 0; k < 3 && !test; k++) {
            double v = num(json_object_get(scale, cuts[k]));
            if (!isnan(v))
                chart_hist_cut(c, v, marks[k]);
        }
        double minimum = num(json_object_get(scale, "min_test"));
        if (test && !isnan(minimum))
            chart_hist_cut(c, minimum, "минимум");
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
    if (json_is_true(json_object_get(page, "test_only"))) {
        /* per school: the mean test score, the municipality highlighted */
        snprintf(title, sizeof title, "%s: средний тестовый балл по школам", ptitle);
        chart *b = chart_new(CHART_BARS, title);
        chart_set_axes(b, "Средний тестовый балл", NULL);
        chart_set_unit(b, CHART_NUMBER, 1);
        size_t i;
        json_t *s;
        json_array_foreach(schools, i, s)
        {
            const char *name =
                json_string_value(json_object_get(json_object_get(s, "school"), "name"));
            chart_bar(b, name ? name : "",
                      num(json_object_get(json_object_get(s, "marks"), "mean_test")),
                      own_school(page, s) ? CHART_HIGHLIGHT : 0);
        }
        chart_bar(b, "Муниципалитет",
                  num(json_object_get(json_object_get(page, "municipality"), "mean_test")),
                  CHART_TOTAL);
        chart_sort_rows(b); /* by value, not in code order (issue 14 item 9) */
        put_svg(page, "marks_svg", b, &svg);
        msk_buf_release(&svg);
        return;
    }
    snprintf(title, sizeof title, "%s: доли отметок по школам, больше всего «2» — сверху", ptitle);
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
        if (own_school(page, s))
            chart_row_flags(c, CHART_HIGHLIGHT);
    }
    json_t *m = json_object_get(page, "municipality");
    double sh[4] = {num(json_object_get(m, "share2")), num(json_object_get(m, "share3")),
                    num(json_object_get(m, "share4")), num(json_object_get(m, "share5"))};
    chart_marks(c, "Муниципалитет", sh);
    chart_row_flags(c, CHART_TOTAL);
    chart_sort_rows(c); /* the largest share of «2» first: the schools the lists are about */
    put_svg(page, "marks_svg", c, &svg);
    msk_buf_release(&svg);
}

/* Dashboard: every school's largest share of «2» among the year's procedures (ЕГЭ: below the
 * minimum), sorted, against the ШНОР threshold, the schools of the ШНОР list marked. */
void web_chart_dashboard(json_t *d)
{
    chart *c = flag_chart_schools(d, DASHBOARD_MAX_ROWS, NULL, 0);
    if (!c)
        return;
    msk_buf svg;
    msk_buf_init(&svg, 1024 * 1024);
    put_svg(d, "schools_svg", c, &svg);
    msk_buf_release(&svg);
}

static const char *jstr_or(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* A direction's page: the municipal value of each indicator over the years of its dynamics,
 * the target as the dashed threshold («цель 10 %»); the numbers are in the indicator's row of
 * the table beside it. */
void web_chart_direction(json_t *d)
{
    msk_buf svg;
    msk_buf_init(&svg, 1024 * 1024);
    size_t i, k;
    json_t *ind, *p;
    json_array_foreach(json_object_get(d, "indicators"), i, ind)
    {
        json_t *dyn = json_object_get(ind, "dynamics");
        double vals[8];
        size_t n = 0, have = 0;
        const char *unit = jstr_or(ind, "unit");
        int whole = json_is_true(json_object_get(ind, "whole"));
        char title[400], yl[64];
        snprintf(title, sizeof title, "%s: динамика", jstr_or(ind, "name"));
        chart *c = chart_new(CHART_LINES, title);
        json_array_foreach(dyn, k, p)
        {
            if (n == 8)
                break;
            char x[8];
            snprintf(x, sizeof x, "%d", (int)json_integer_value(json_object_get(p, "year")));
            chart_x(c, x);
            vals[n] = num(json_object_get(p, "value"));
            have += isnan(vals[n]) ? 0u : 1u;
            n++;
        }
        if (!have) {
            chart_free(c);
            continue;
        }
        snprintf(yl, sizeof yl, "Значение%s%s", unit[0] ? ", " : "", unit);
        chart_set_axes(c, "Год", yl);
        chart_set_unit(c, CHART_NUMBER, whole ? 0 : 1);
        chart_line(c, "Муниципалитет", vals, n, 0);
        double target = num(json_object_get(ind, "target"));
        if (!isnan(target)) /* the layout writes the value after the label: «цель 10» */
            chart_threshold(c, target, "цель");
        put_svg(ind, "chart_svg", c, &svg);
    }
    msk_buf_release(&svg);
}
