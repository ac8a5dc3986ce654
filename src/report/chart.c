/*
 * Charts (chart.h): the description. Laid out by chart_layout.c into primitives that the two
 * backends draw: chart_svg.c (SVG into an msk_buf) and chart_cairo.c (cairo + pango, for the
 * PDF). Layout measures text with an estimate that does not depend on installed fonts, so the
 * SVG a browser shows and the PDF agree in geometry.
 */
#include "report/chart_internal.h"

#include "base/fmt.h"
#include "base/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* «2» vermillion, «3» yellow, «4» sky blue, «5» blue (Okabe & Ito 2008). */
const uint32_t chart_mark_fill[4] = {0xD55E00, 0xF0E442, 0x56B4E9, 0x0072B2};
/* Contrast on each fill: black 5.4:1, 17:1, 9.2:1; white 5.2:1. */
const uint32_t chart_mark_ink[4] = {0x000000, 0x000000, 0x000000, 0xFFFFFF};

chart *chart_new(enum chart_kind kind, const char *title)
{
    chart *c = msk_calloc(1, sizeof *c);
    c->kind = kind;
    c->unit = CHART_SHARE;
    c->decimals = 1;
    c->show_title = 1;
    c->thr = NAN;
    c->title = msk_strdup(title ? title : "");
    return c;
}

void chart_free(chart *c)
{
    if (!c)
        return;
    free(c->title);
    free(c->desc);
    free(c->xlab);
    free(c->ylab);
    free(c->thr_label);
    for (size_t i = 0; i < c->nrows; i++)
        free(c->rows[i].label);
    free(c->rows);
    for (size_t i = 0; i < c->nser; i++) {
        free(c->ser[i].label);
        free(c->ser[i].v);
        free(c->ser[i].mark);
    }
    free(c->ser);
    for (size_t i = 0; i < c->ncuts; i++)
        free(c->cuts[i].label);
    free(c->cuts);
    for (size_t i = 0; i < c->nxs; i++)
        free(c->xs[i]);
    free(c->xs);
    free(c);
}

static void set_str(char **dst, const char *s)
{
    free(*dst);
    *dst = s ? msk_strdup(s) : NULL;
}

void chart_set_desc(chart *c, const char *desc)
{
    set_str(&c->desc, desc);
}
void chart_set_axes(chart *c, const char *x_label, const char *y_label)
{
    set_str(&c->xlab, x_label);
    set_str(&c->ylab, y_label);
}
void chart_set_unit(chart *c, enum chart_unit unit, int decimals)
{
    c->unit = unit;
    c->decimals = decimals < 0 ? 0 : decimals > 3 ? 3 : decimals;
}
void chart_set_label_share(chart *c, double share)
{
    c->label_share = !(share >= 0.2) ? 0.2 : share > 0.7 ? 0.7 : share;
}
void chart_show_title(chart *c, int show)
{
    c->show_title = show;
}

static row *add_row(chart *c, const char *label)
{
    c->rows = msk_reallocarray(c->rows, c->nrows + 1, sizeof *c->rows);
    row *r = &c->rows[c->nrows++];
    memset(r, 0, sizeof *r);
    r->label = msk_strdup(label ? label : "");
    r->target = NAN;
    return r;
}

void chart_bar(chart *c, const char *label, double value, int flags)
{
    row *r = add_row(c, label);
    r->v[0] = value;
    r->flags = flags;
}

void chart_bar_target(chart *c, double value)
{
    if (c->nrows)
        c->rows[c->nrows - 1].target = value;
}

void chart_row_flags(chart *c, int flags)
{
    if (c->nrows)
        c->rows[c->nrows - 1].flags |= flags;
}

/* a before b: totals last (in their order), then larger values, NAN last, then the order added
 * (rows are few: an insertion sort keeps it stable without an index array) */
static int row_before(const row *a, const row *b)
{
    int ta = (a->flags & CHART_TOTAL) != 0, tb = (b->flags & CHART_TOTAL) != 0;
    if (ta != tb)
        return tb;
    if (ta)
        return 0;
    double x = a->v[0], y = b->v[0];
    if (isnan(x) || isnan(y))
        return !isnan(x) && isnan(y);
    return x > y;
}

void chart_sort_rows(chart *c)
{
    for (size_t i = 1; i < c->nrows; i++) {
        row r = c->rows[i];
        size_t j = i;
        while (j > 0 && row_before(&r, &c->rows[j - 1])) {
            c->rows[j] = c->rows[j - 1];
            j--;
        }
        c->rows[j] = r;
    }
}

void chart_threshold(chart *c, double value, const char *label)
{
    c->thr = value;
    set_str(&c->thr_label, isnan(value) ? NULL : label ? label : "порог");
}

void chart_marks(chart *c, const char *label, const double share[4])
{
    row *r = add_row(c, label);
    memcpy(r->v, share, sizeof r->v);
}

static void add_series(chart *c, const char *label, const double *v, size_t n, int reference)
{
    c->ser = msk_reallocarray(c->ser, c->nser + 1, sizeof *c->ser);
    series *s = &c->ser[c->nser++];
    s->label = msk_strdup(label ? label : "");
    s->v = msk_reallocarray(NULL, n ? n : 1, sizeof *s->v);
    if (n)
        memcpy(s->v, v, n * sizeof *v);
    s->mark = msk_calloc(n ? n : 1, 1);
    s->n = n;
    s->reference = reference;
}

void chart_hist_series(chart *c, const char *label, const double *values, size_t n)
{
    if (c->nser < 2)
        add_series(c, label, values, n, c->nser == 1);
}

void chart_hist_cut(chart *c, double score, const char *label)
{
    c->cuts = msk_reallocarray(c->cuts, c->ncuts + 1, sizeof *c->cuts);
    c->cuts[c->ncuts].score = score;
    c->cuts[c->ncuts].label = msk_strdup(label ? label : "");
    c->ncuts++;
}

void chart_x(chart *c, const char *label)
{
    c->xs = msk_reallocarray(c->xs, c->nxs + 1, sizeof *c->xs);
    c->xs[c->nxs++] = msk_strdup(label ? label : "");
}

void chart_line(chart *c, const char *label, const double *values, size_t n, int reference)
{
    add_series(c, label, values, n, reference);
}

void chart_line_mark(chart *c, size_t point)
{
    if (c->nser && point < c->ser[c->nser - 1].n)
        c->ser[c->nser - 1].mark[point] = 1;
}

/* The buffer's text, the buffer released (msk_buf_detach leaves it initialised). */
char *chart_take(msk_buf *b)
{
    char *s = msk_buf_detach(b, NULL);
    msk_buf_release(b);
    return s;
}
