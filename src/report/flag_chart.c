/*
 * The chart of a flag (flag_chart.h): one description for the web page, the evidence card and the
 * school's PDF справка, so the three show the same picture (issue 14 item 9).
 */
#include "report/flag_chart.h"

#include "base/fmt.h"
#include "base/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FLAG_MAX_SERIES = 5 };

static double num(const json_t *v)
{
    return json_is_number(v) ? json_number_value(v) : NAN;
}

chart *flag_chart(const json_t *card, char *title_out, size_t title_n)
{
    const char *list = json_string_value(json_object_get(card, "list"));
    if (!list || (strcmp(list, "shnor") && strcmp(list, "risk")))
        return NULL;
    json_t *trend = json_object_get(card, "trend"), *rows = json_object_get(card, "rows");
    int years[8], ny = 0;
    size_t i, k;
    json_t *t, *p, *row;
    json_array_foreach(trend, i, t)
    {
        json_array_foreach(json_object_get(t, "points"), k, p)
        {
            int y = (int)json_integer_value(json_object_get(p, "year")), seen = 0;
            for (int j = 0; j < ny; j++)
                seen |= years[j] == y;
            if (!seen && ny < 8)
                years[ny++] = y;
        }
    }
    if (!ny)
        return NULL;
    for (int a = 1; a < ny; a++)
        for (int b = a; b > 0 && years[b] < years[b - 1]; b--) {
            int x = years[b];
            years[b] = years[b - 1];
            years[b - 1] = x;
        }
    double thr = NAN;
    size_t nover = 0;
    json_array_foreach(rows, i, row)
    {
        if (isnan(thr))
            thr = num(json_object_get(row, "threshold"));
        nover += json_is_true(json_object_get(row, "over"));
    }
    /* the procedures with the highest marked share first; the rest stay in the card's table */
    size_t nt = json_array_size(trend), order[64], n = 0;
    double top[64];
    for (i = 0; i < nt && n < 64; i++) {
        const char *key = json_string_value(json_object_get(json_array_get(trend, i), "key"));
        double best = -1;
        json_array_foreach(rows, k, row)
        {
            const char *rk = json_string_value(json_object_get(row, "proc_key"));
            if (key && rk && !strcmp(key, rk))
                best = fmax(best, num(json_object_get(row, "share")));
        }
        size_t j = n++;
        for (; j > 0 && top[j - 1] < best; j--) {
            top[j] = top[j - 1];
            order[j] = order[j - 1];
        }
        top[j] = best;
        order[j] = i;
    }
    char title[400], a[32];
    fmt_pct(thr, 0, a, sizeof a);
    const char *lname = json_string_value(json_object_get(card, "list_name"));
    snprintf(title, sizeof title, "%s: доля «2» не ниже порога %s — %zu %s (отмечены)",
             lname ? lname : "", a, nover,
             fmt_plural((long long)nover, "результат", "результата", "результатов"));
    if (title_out && title_n)
        snprintf(title_out, title_n, "%s", title);
    chart *c = chart_new(CHART_LINES, title);
    chart_set_axes(c, "Учебный год", "Доля «2», %");
    char lab[32];
    snprintf(lab, sizeof lab, "порог");
    chart_threshold(c, thr, lab);
    for (int j = 0; j < ny; j++) {
        char y[32];
        chart_x(c, fmt_school_year(years[j], y, sizeof y));
    }
    size_t shown = n < FLAG_MAX_SERIES ? n : FLAG_MAX_SERIES;
    for (size_t s = 0; s < shown; s++) {
        json_t *tr = json_array_get(trend, order[s]);
        const char *key = json_string_value(json_object_get(tr, "key"));
        double sv[8], mv[8];
        for (int j = 0; j < ny; j++)
            sv[j] = mv[j] = NAN;
        json_array_foreach(json_object_get(tr, "points"), k, p)
        {
            int y = (int)json_integer_value(json_object_get(p, "year"));
            for (int j = 0; j < ny; j++)
                if (years[j] == y) {
                    sv[j] = num(json_object_get(p, "school"));
                    mv[j] = num(json_object_get(p, "municipality"));
                }
        }
        const char *ttl = json_string_value(json_object_get(tr, "title"));
        chart_line(c, ttl ? ttl : "", sv, (size_t)ny, 0);
        json_array_foreach(rows, k, row)
        {
            const char *rk = json_string_value(json_object_get(row, "proc_key"));
            int ry = (int)json_integer_value(json_object_get(row, "proc_year"));
            if (!rk || !key || strcmp(rk, key) || !json_is_true(json_object_get(row, "over")))
                continue;
            for (int j = 0; j < ny; j++)
                if (years[j] == ry)
                    chart_line_mark(c, (size_t)j);
        }
        if (shown == 1) /* one procedure: the municipality beside it, dashed */
            chart_line(c, "Муниципалитет", mv, (size_t)ny, 1);
    }
    return c;
}

/* the share of item k of schools_share2, NAN when absent */
static double item_share(const json_t *items, size_t k)
{
    return num(json_object_get(json_array_get(items, k), "share"));
}

typedef struct share_at {
    double share;
    size_t i;
} share_at;

static int by_share_desc(const void *a, const void *b)
{
    const share_at *x = a, *y = b;
    if (x->share != y->share)
        return x->share < y->share ? 1 : -1;
    return x->i < y->i ? -1 : x->i > y->i;
}

chart *flag_chart_schools(const json_t *dashboard, size_t max_rows, char *title_out, size_t title_n)
{
    const json_t *sc = json_object_get(dashboard, "schools_share2");
    const json_t *items = json_object_get(sc, "schools");
    size_t n = json_array_size(items);
    if (n == 0)
        return NULL;
    double thr = num(json_object_get(sc, "threshold"));
    size_t over = 0, listed = 0, *order = msk_calloc(n, sizeof *order);
    share_at *sh = msk_calloc(n, sizeof *sh);
    for (size_t i = 0; i < n; i++) {
        sh[i] = (share_at){item_share(items, i), i};
        over += sh[i].share >= thr - 1e-9;
        listed += json_is_true(json_object_get(json_array_get(items, i), "shnor"));
    }
    /* largest share first, ties in the view's (code) order; a sort, not an insertion of each
     * of a region's 2,000 schools (that was half of the dashboard) */
    qsort(sh, n, sizeof *sh, by_share_desc);
    for (size_t k = 0; k < n; k++)
        order[k] = sh[k].i;
    free(sh);
    /* capped: the largest shares, and every school of the ШНОР list wherever it stands */
    size_t shown = 0;
    for (size_t k = 0; k < n; k++)
        shown += !max_rows || k < max_rows ||
                 json_is_true(json_object_get(json_array_get(items, order[k]), "shnor"));
    char title[500], a[32], more[96] = "";
    if (shown < n)
        snprintf(more, sizeof more, "; показаны %zu из %zu школ", shown, n);
    snprintf(title, sizeof title,
             "Наибольшая доля «2» по процедурам %lld года: у %zu %s не ниже порога ШНОР %s, в "
             "списке ШНОР — %zu (отмечены)%s",
             (long long)json_integer_value(json_object_get(dashboard, "year")), over,
             fmt_plural((long long)over, "школы", "школ", "школ"), fmt_pct(thr, 0, a, sizeof a),
             listed, more);
    if (title_out && title_n)
        snprintf(title_out, title_n, "%s", title);
    chart *c = chart_new(CHART_BARS, title);
    chart_set_axes(c, "Наибольшая доля «2», %", NULL);
    for (size_t k = 0; k < n; k++) {
        const json_t *it = json_array_get(items, order[k]);
        int marked = json_is_true(json_object_get(it, "shnor"));
        if (max_rows && k >= max_rows && !marked)
            continue;
        const char *name =
            json_string_value(json_object_get(json_object_get(it, "school"), "name"));
        chart_bar(c, name ? name : "", item_share(items, order[k]), marked ? CHART_MARKED : 0);
    }
    free(order);
    chart_sort_rows(c);
    chart_threshold(c, thr, "порог");
    return c;
}
