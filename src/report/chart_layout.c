/*
 * Charts: the one layout of a chart description into primitives (chart.h), shared by both
 * backends.
 */
#include "report/chart_internal.h"

#include "base/fmt.h"
#include "base/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { INK = 0x1A1A1A, GRID = 0xD9D9D9, AXIS = 0x595959, MUTED = 0x595959 };
enum { MAIN = 0x0072B2, ACCENT = 0xD55E00, REFERENCE = 0x6E6E6E };
/* a flagged result (CHART_MARKED, chart_line_mark): the ШНОР badge's dark red, 7.9:1 on white */
enum { FLAGGED = 0xA4001D };
/* Line series colours beyond the reference: Okabe–Ito, darker ones first for contrast. */
static const uint32_t line_colours[] = {0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7, 0x8C6D00};

/* At 1 unit = 1 px (chart_svg_pair) no text is under 12 px (issue 14 item 9). */
enum { FS_TITLE = 15, FS_LABEL = 13, FS_SMALL = 12 };
static const double M = 8; /* outer margin */
/* Narrower than this, a chart is laid out for a phone: bar labels above the bars, the line
 * labels in a key under the plot. */
static const double NARROW = 480;

/* ---- text -------------------------------------------------------------------------------- */

static size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

double chart_text_width(const char *s, double size)
{
    /* DejaVu Sans averages ~0.6 em for Cyrillic and digits; erring wide keeps text inside. */
    return (double)utf8_len(s) * size * 0.6;
}

/* The prefix of s that fits in width, with «…» when cut. Caller frees. */
static char *fit_text(const char *s, double size, double width)
{
    if (chart_text_width(s, size) <= width)
        return msk_strdup(s);
    size_t keep = width > size * 0.6 ? (size_t)(width / (size * 0.6)) - 1 : 0;
    size_t i = 0, cps = 0;
    while (s[i] && cps < keep) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        cps++;
    }
    msk_buf b;
    msk_buf_init(&b, 0);
    msk_buf_add(&b, s, i);
    msk_buf_puts(&b, "…");
    return chart_take(&b);
}

static void fmt_value(const chart *c, double v, char *out, size_t outsz)
{
    if (c->unit == CHART_SHARE)
        msk_pct_fast(v, c->decimals, out, outsz);
    else
        msk_num_fast(v, c->decimals, out, outsz);
}

/* ---- primitives -------------------------------------------------------------------------- */

static chart_prim *prim(chart_layout *l, int kind)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->p = msk_reallocarray(l->p, l->cap, sizeof *l->p);
    }
    chart_prim *p = &l->p[l->n++];
    memset(p, 0, sizeof *p);
    p->kind = kind;
    return p;
}

static void rect(chart_layout *l, double x, double y, double w, double h, uint32_t fill)
{
    chart_prim *p = prim(l, PRIM_RECT);
    p->x = x, p->y = y, p->w = w, p->h = h, p->fill = fill;
}

static void line(chart_layout *l, double x1, double y1, double x2, double y2, uint32_t stroke,
                 double width, int dash)
{
    chart_prim *p = prim(l, PRIM_LINE);
    p->x = x1, p->y = y1, p->w = x2, p->h = y2;
    p->stroke = stroke, p->stroke_w = width, p->dash = dash;
}

static void circle(chart_layout *l, double x, double y, double r, uint32_t fill, uint32_t stroke)
{
    chart_prim *p = prim(l, PRIM_CIRCLE);
    p->x = x, p->y = y, p->w = r, p->fill = fill, p->stroke = stroke, p->stroke_w = 1.5;
}

static chart_prim *text(chart_layout *l, double x, double y, const char *s, double size, int anchor,
                        uint32_t colour)
{
    chart_prim *p = prim(l, PRIM_TEXT);
    p->x = x, p->y = y, p->text = chart_utf8_clean(s), p->size = size, p->anchor = anchor;
    p->fill = colour;
    return p;
}

/* Word-wrap s into lines of at most width; returns the y below the last line. */
static double wrap_text(chart_layout *l, double x, double y, double width, const char *s,
                        double size, int bold)
{
    const double lh = size * 1.3;
    msk_buf cur;
    msk_buf_init(&cur, 0);
    const char *p = s;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t wl = strcspn(p, " ");
        size_t keep = cur.len;
        if (cur.len)
            msk_buf_putc(&cur, ' ');
        msk_buf_add(&cur, p, wl);
        if (keep && chart_text_width(cur.data, size) > width) {
            msk_buf_truncate(&cur, keep);
            y += lh;
            char *t = fit_text(cur.data, size, width);
            text(l, x, y, t, size, ANCHOR_START, INK)->bold = bold;
            free(t);
            msk_buf_reset(&cur);
            msk_buf_add(&cur, p, wl);
        }
        p += wl;
    }
    if (cur.len) {
        y += lh;
        char *t = fit_text(cur.data, size, width);
        text(l, x, y, t, size, ANCHOR_START, INK)->bold = bold;
        free(t);
    }
    msk_buf_release(&cur);
    return y + size * 0.5;
}

/* A "nice" upper bound ≥ v for an axis: 1, 2, 2.5, 5 × 10^k. */
static double nice_max(double v)
{
    if (!(v > 0))
        return 1;
    double e = pow(10, floor(log10(v)));
    static const double steps[] = {1, 2, 2.5, 5, 10};
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
        if (steps[i] * e >= v * (1 - 1e-9))
            return steps[i] * e;
    return 10 * e;
}

static double share_axis_max(const chart *c, double vmax)
{
    if (c->unit != CHART_SHARE)
        return nice_max(vmax);
    if (vmax > 0.5) /* quarters of 60 % and 80 % are whole percents too */
        return vmax > 0.8 ? 1.0 : vmax > 0.6 ? 0.8 : 0.6;
    double m = nice_max(vmax);
    return m > 1 ? 1 : m;
}

static void tick_label(const chart *c, double v, char *out, size_t outsz)
{
    if (c->unit == CHART_SHARE)
        msk_pct_fast(v, fabs(v * 100 - round(v * 100)) < 1e-6 ? 0 : 1, out, outsz);
    else
        msk_num_fast(v, fabs(v - round(v)) < 1e-6 ? 0 : 1, out, outsz);
}

static double y_tick_width(const chart *c, double vmax)
{
    char b[64];
    tick_label(c, vmax, b, sizeof b);
    return chart_text_width(b, FS_SMALL) + 6;
}

static double draw_title(const chart *c, chart_layout *l)
{
    double y = M;
    if (c->show_title && c->title[0]) /* bold runs ~10 % wider than the estimate */
        y = wrap_text(l, M, y - FS_TITLE * 0.3, (l->width - 2 * M) / 1.12, c->title, FS_TITLE, 1);
    return y + 4;
}

/* ---- kinds ------------------------------------------------------------------------------- */

/* A horizontal value axis under rows: grid lines (drawn before the bars, so bars cover them). */
static void value_grid(chart_layout *l, double x0, double x1, double top, double bottom, int nticks)
{
    for (int i = 0; i <= nticks; i++) {
        double x = x0 + (x1 - x0) * i / nticks;
        line(l, x, top, x, bottom, i ? GRID : AXIS, 1, 0);
    }
}

/* Its tick labels and the x label. Returns the new y. */
static double value_ticks(const chart *c, chart_layout *l, double x0, double x1, double bottom,
                          double vmin, double vmax, int nticks)
{
    char b[64];
    for (int i = 0; i <= nticks; i++) {
        tick_label(c, vmin + (vmax - vmin) * i / nticks, b, sizeof b);
        text(l, x0 + (x1 - x0) * i / nticks, bottom + FS_SMALL + 3, b, FS_SMALL, ANCHOR_MIDDLE,
             MUTED);
    }
    double y = bottom + FS_SMALL + 6;
    if (c->xlab) {
        char *t = fit_text(c->xlab, FS_LABEL, x1 - x0);
        text(l, (x0 + x1) / 2, y + FS_LABEL + 2, t, FS_LABEL, ANCHOR_MIDDLE, INK);
        free(t);
        y += FS_LABEL + 6;
    }
    return y;
}

static double label_column(const chart *c, double width)
{
    double w = 0;
    for (size_t i = 0; i < c->nrows; i++) {
        double t = chart_text_width(c->rows[i].label, FS_LABEL);
        if (t > w)
            w = t;
    }
    return fmin(w, width * (c->label_share > 0 ? c->label_share : 0.38)) + 6;
}

/* The threshold's text: «порог 30 %» (the label, then the value). */
static void threshold_text(const chart *c, char *out, size_t outsz)
{
    char v[64];
    tick_label(c, c->thr, v, sizeof v); /* «30 %», «27,5 %» */
    snprintf(out, outsz, "%s %s", c->thr_label ? c->thr_label : "порог", v);
}

/* A marked result: a ring at (x, y). */
static void mark_ring(chart_layout *l, double x, double y, double r)
{
    chart_prim *p = prim(l, PRIM_CIRCLE);
    p->x = x, p->y = y, p->w = r, p->fill = 0xFFFFFF, p->stroke = FLAGGED, p->stroke_w = 2.5;
}

/* Row geometry of the bars: wide charts put the label left of its bar, narrow ones above it. */
typedef struct bar_geom {
    int stacked;
    double lw, x0, x1, rh, bh, lh; /* lh: the label line above a stacked bar */
} bar_geom;

static bar_geom bars_geom(const chart *c, const chart_layout *l, double vmax)
{
    bar_geom g;
    char b[64];
    fmt_value(c, vmax, b, sizeof b);
    double vw = chart_text_width(b, FS_SMALL) + 14; /* the value and a ring right of a bar */
    g.stacked = l->width < NARROW;
    g.bh = 14;
    g.lw = g.stacked ? 0 : label_column(c, l->width);
    g.lh = g.stacked ? FS_LABEL + 4 : 0;
    g.rh = g.stacked ? g.lh + g.bh + 8 : 24;
    g.x0 = M + (g.stacked ? 12 : g.lw); /* stacked: room for the «0 %» tick's half */
    g.x1 = l->width - M - vw;
    return g;
}

/* The target of a row (chart_bar_target): a solid line across the bar's slot. */
static void target_tick(chart_layout *l, double x, double by, double bh)
{
    line(l, x, by - 4, x, by + bh + 4, INK, 2.5, 0);
}

/* The key of the targets above the plot: the tick and, when some row is marked, the ring.
 * Returns the y below it. */
static double targets_key(const chart *c, chart_layout *l, double y)
{
    int marked = 0;
    for (size_t i = 0; i < c->nrows; i++)
        marked |= (c->rows[i].flags & CHART_MARKED) != 0;
    double x = M + 4, base = y + FS_LABEL;
    target_tick(l, x, y + 4, FS_LABEL - 6);
    text(l, x + 8, base, "целевое значение", FS_LABEL, ANCHOR_START, INK);
    if (marked) {
        x += 8 + chart_text_width("целевое значение", FS_LABEL) + 18;
        mark_ring(l, x, base - FS_LABEL * 0.35, 5);
        text(l, x + 10, base, "цель не достигнута", FS_LABEL, ANCHOR_START, INK);
    }
    return y + FS_LABEL + 10;
}

static void layout_bars(const chart *c, chart_layout *l, double y)
{
    double vmax = 0, vmin = 0;
    char b[64];
    int thr = !isnan(c->thr), targets = 0;
    for (size_t i = 0; i < c->nrows; i++) {
        if (isfinite(c->rows[i].v[0])) {
            vmax = fmax(vmax, c->rows[i].v[0]);
            vmin = fmin(vmin, c->rows[i].v[0]);
        }
        if (isfinite(c->rows[i].target)) {
            targets = 1;
            vmax = fmax(vmax, c->rows[i].target);
            vmin = fmin(vmin, c->rows[i].target);
        }
    }
    if (thr) /* the axis always reaches the threshold, with room for its label */
        vmax = fmax(vmax, c->thr * 1.1);
    if (vmin < 0) { /* negative values (rating points can be): a symmetric axis around zero */
        vmax = share_axis_max(c, fmax(vmax, -vmin));
        vmin = -vmax;
    } else {
        vmax = share_axis_max(c, vmax);
    }
    bar_geom g = bars_geom(c, l, vmax);
    double x0 = g.x0, x1 = g.x1;
#define BX(v) (x0 + (x1 - x0) * ((v)-vmin) / (vmax - vmin))
    double xz = BX(0); /* where zero is */
    if (targets)
        y = targets_key(c, l, y);
    if (thr)
        y += FS_SMALL + 6; /* the threshold's label above the plot */
    double top = y, bottom = y + g.rh * (double)c->nrows;
    value_grid(l, x0, x1, top, bottom, 4);
    if (vmin < 0)
        line(l, xz, top, xz, bottom, AXIS, 1, 0);
    for (size_t i = 0; i < c->nrows; i++) {
        const row *r = &c->rows[i];
        double cy = y + g.rh * (double)i, v = r->v[0];
        int hl = r->flags & CHART_HIGHLIGHT, mk = r->flags & CHART_MARKED;
        int bold = hl || mk || (r->flags & CHART_TOTAL);
        if ((r->flags & CHART_TOTAL) && (i == 0 || !(c->rows[i - 1].flags & CHART_TOTAL)))
            line(l, M, cy, l->width - M, cy, INK, 1.5, 0); /* totals set apart by a rule */
        double by = cy + g.lh + (g.rh - g.lh - g.bh) / 2;  /* the bar's top */
        char *t = fit_text(r->label, FS_LABEL, g.stacked ? l->width - 2 * M : g.lw - 6);
        chart_prim *tp = g.stacked ? text(l, M, cy + FS_LABEL + 2, t, FS_LABEL, ANCHOR_START, INK)
                                   : text(l, x0 - 6, by + g.bh / 2 + FS_LABEL * 0.35, t, FS_LABEL,
                                          ANCHOR_END, INK);
        tp->bold = bold;
        free(t);
        fmt_value(c, v, b, sizeof b);
        double xv = isfinite(v) ? BX(fmax(fmin(v, vmax), vmin)) : xz;
        if (fabs(xv - xz) > 0)
            rect(l, fmin(xz, xv), by, fabs(xv - xz), g.bh, mk ? FLAGGED : hl ? ACCENT : MAIN);
        double tx = fmax(xv, xz) + 4;
        if (mk) { /* not colour alone: a ring at the bar's end */
            mark_ring(l, fmax(xv, xz), by + g.bh / 2, 5);
            tx += 6;
        }
        if (isfinite(r->target)) { /* the value right of the target's line when it is further */
            double xt = BX(fmax(fmin(r->target, vmax), vmin));
            target_tick(l, xt, by, g.bh);
            tx = fmax(tx, xt + 5);
        }
        /* the value right of the bar's end, or right of zero for a negative bar */
        text(l, tx, by + g.bh / 2 + FS_SMALL * 0.35, b, FS_SMALL, ANCHOR_START, INK)->bold = bold;
    }
    if (thr && c->thr >= vmin && c->thr <= vmax) {
        char tt[128];
        threshold_text(c, tt, sizeof tt);
        double xt = BX(c->thr), tw = chart_text_width(tt, FS_SMALL);
        if (!g.stacked)
            line(l, xt, top - 4, xt, bottom, INK, 2, 1);
        else /* across the bars only, not through the labels above them */
            for (size_t i = 0; i < c->nrows; i++) {
                double by = top + g.rh * (double)i + g.lh + (g.rh - g.lh - g.bh) / 2;
                line(l, xt, by - 3, xt, by + g.bh + 3, INK, 2, 1);
            }
        int anchor = xt + tw / 2 > l->width - M ? ANCHOR_END
                     : xt - tw / 2 < M          ? ANCHOR_START
                                                : ANCHOR_MIDDLE;
        text(l, xt, top - 7, tt, FS_SMALL, anchor, INK)->bold = 1;
    }
#undef BX
    y = value_ticks(c, l, x0, x1, bottom, vmin, vmax, 4);
    l->height = y + M;
}

static void layout_marks(const chart *c, chart_layout *l, double y)
{
    const double bh = 16;
    static const char *const names[4] = {"«2»", "«3»", "«4»", "«5»"};
    char b[64];
    /* the key: a swatch and the mark, once, above the rows */
    double kx = M;
    text(l, kx, y + FS_LABEL, "Отметка:", FS_LABEL, ANCHOR_START, INK);
    kx += chart_text_width("Отметка:", FS_LABEL) + 8;
    for (int m = 0; m < 4; m++) {
        rect(l, kx, y + 2, 12, 12, chart_mark_fill[m]);
        text(l, kx + 16, y + FS_LABEL, names[m], FS_LABEL, ANCHOR_START, INK);
        kx += 16 + chart_text_width(names[m], FS_LABEL) + 12;
    }
    y += 22;
    /* a phone: the label above its bar, the bar the whole width */
    int stacked = l->width < NARROW;
    double lh = stacked ? FS_LABEL + 4 : 0, rh = stacked ? lh + bh + 8 : 24;
    double lw = stacked ? 0 : label_column(c, l->width);
    double x0 = M + lw, x1 = l->width - M - 12;
    double top = y;
    value_grid(l, x0, x1, top, top + rh * (double)c->nrows, 4);
    for (size_t i = 0; i < c->nrows; i++) {
        const row *r = &c->rows[i];
        double cy = y + rh * (double)i, by = cy + lh + (rh - lh - bh) / 2;
        if ((r->flags & CHART_TOTAL) && (i == 0 || !(c->rows[i - 1].flags & CHART_TOTAL)))
            line(l, M, cy, l->width - M, cy, INK, 1.5, 0);
        char *t = fit_text(r->label, FS_LABEL, stacked ? l->width - 2 * M : lw - 6);
        chart_prim *tp =
            stacked ? text(l, M, cy + FS_LABEL + 2, t, FS_LABEL, ANCHOR_START, INK)
                    : text(l, x0 - 6, by + bh / 2 + FS_LABEL * 0.35, t, FS_LABEL, ANCHOR_END, INK);
        tp->bold = (r->flags & (CHART_TOTAL | CHART_HIGHLIGHT)) != 0;
        free(t);
        double sum = 0;
        int known = 1;
        for (int m = 0; m < 4; m++) {
            if (!isfinite(r->v[m]) || r->v[m] < 0)
                known = 0;
            else
                sum += r->v[m];
        }
        if (!known || !(sum > 0)) {
            t = fit_text("— (нет данных или менее 5 участников)", FS_SMALL, x1 - x0 - 4);
            text(l, x0 + 4, by + bh / 2 + FS_SMALL * 0.35, t, FS_SMALL, ANCHOR_START, MUTED);
            free(t);
            continue;
        }
        double x = x0;
        for (int m = 0; m < 4; m++) {
            double w = (x1 - x0) * r->v[m] / sum;
            if (w <= 0)
                continue;
            rect(l, x, by, w, bh, chart_mark_fill[m]);
            msk_pct_fast(r->v[m] / sum, 0, b, sizeof b);
            if (chart_text_width(b, FS_SMALL) + 4 <= w)
                text(l, x + w / 2, by + bh / 2 + FS_SMALL * 0.35, b, FS_SMALL, ANCHOR_MIDDLE,
                     chart_mark_ink[m]);
            x += w;
        }
    }
    double bottom = top + rh * (double)c->nrows;
    for (int i = 0; i <= 4; i++) {
        msk_pct_fast(i / 4.0, 0, b, sizeof b);
        text(l, x0 + (x1 - x0) * i / 4, bottom + FS_SMALL + 3, b, FS_SMALL, ANCHOR_MIDDLE, MUTED);
    }
    y = bottom + FS_SMALL + 6;
    const char *xl = c->xlab ? c->xlab : "Доля участников, %";
    char *t = fit_text(xl, FS_LABEL, x1 - x0);
    text(l, (x0 + x1) / 2, y + FS_LABEL + 2, t, FS_LABEL, ANCHOR_MIDDLE, INK);
    free(t);
    l->height = y + FS_LABEL + 6 + M;
}

/* A vertical value axis (y grid, ticks and the rotated label) for a plot box. */
static void y_axis(const chart *c, chart_layout *l, double x0, double x1, double top, double bottom,
                   double vmax)
{
    char b[64];
    for (int i = 0; i <= 4; i++) {
        double v = vmax * i / 4, yy = bottom - (bottom - top) * i / 4;
        line(l, x0, yy, x1, yy, i ? GRID : AXIS, 1, 0);
        tick_label(c, v, b, sizeof b);
        text(l, x0 - 4, yy + FS_SMALL * 0.35, b, FS_SMALL, ANCHOR_END, MUTED);
    }
    if (c->ylab) {
        char *t = fit_text(c->ylab, FS_LABEL, bottom - top);
        text(l, M + FS_LABEL, (top + bottom) / 2, t, FS_LABEL, ANCHOR_MIDDLE, INK)->vertical = 1;
        free(t);
    }
}

static void layout_hist(const chart *c, chart_layout *l, double y)
{
    size_t n = 0;
    double vmax = 0;
    for (size_t s = 0; s < c->nser; s++) {
        if (c->ser[s].n > n)
            n = c->ser[s].n;
        for (size_t i = 0; i < c->ser[s].n; i++)
            if (isfinite(c->ser[s].v[i]) && c->ser[s].v[i] > vmax)
                vmax = c->ser[s].v[i];
    }
    vmax = share_axis_max(c, vmax * 1.05);
    /* direct labels of the series, one line above the plot */
    double kx = M;
    for (size_t s = 0; s < c->nser; s++) {
        uint32_t col = s ? REFERENCE : MAIN;
        rect(l, kx, y + 2, 12, 12, col);
        text(l, kx + 16, y + FS_LABEL, c->ser[s].label, FS_LABEL, ANCHOR_START, INK);
        kx += 16 + chart_text_width(c->ser[s].label, FS_LABEL) + 14;
    }
    if (c->nser)
        y += 20;
    double x0 = M + (c->ylab ? FS_LABEL + 6 : 0) + y_tick_width(c, vmax) + 4;
    double x1 = l->width - M;
    double top = y + FS_LABEL + 6; /* room for the cut-off labels */
    double bottom = top + 170;
    y_axis(c, l, x0, x1, top, bottom, vmax);
    double band = (x1 - x0) / (double)(n ? n : 1);
    double bw = c->nser > 1 ? band * 0.42 : band * 0.8;
    for (size_t s = 0; s < c->nser; s++) {
        uint32_t col = s ? REFERENCE : MAIN;
        for (size_t i = 0; i < c->ser[s].n; i++) {
            double v = c->ser[s].v[i];
            if (!isfinite(v) || v <= 0)
                continue;
            double h = (bottom - top) * fmin(v / vmax, 1);
            double x =
                x0 + band * (double)i + (c->nser > 1 ? band * 0.08 + bw * (double)s : band * 0.1);
            rect(l, x, bottom - h, bw, h, col);
        }
    }
    /* cut-offs: a dashed line where the mark begins, the mark above it */
    for (size_t k = 0; k < c->ncuts; k++) {
        double x = x0 + band * c->cuts[k].score;
        if (x < x0 || x > x1)
            continue;
        line(l, x, top - 2, x, bottom, INK, 1.5, 1);
        text(l, x, top - 4, c->cuts[k].label, FS_LABEL, ANCHOR_MIDDLE, INK)->bold = 1;
    }
    /* x ticks: every score when they fit, else every k-th */
    size_t step = 1;
    while (step < n && band * (double)step < chart_text_width("00", FS_SMALL) + 6)
        step = step < 2 ? 2 : step < 5 ? 5 : step * 2;
    char b[32];
    for (size_t i = 0; i < n; i += step) {
        snprintf(b, sizeof b, "%zu", i);
        text(l, x0 + band * ((double)i + 0.5), bottom + FS_SMALL + 3, b, FS_SMALL, ANCHOR_MIDDLE,
             MUTED);
    }
    y = bottom + FS_SMALL + 6;
    const char *xl = c->xlab ? c->xlab : "Первичный балл";
    text(l, (x0 + x1) / 2, y + FS_LABEL + 2, xl, FS_LABEL, ANCHOR_MIDDLE, INK);
    l->height = y + FS_LABEL + 6 + M;
}

/* The plot box of a lines chart and its scales. */
typedef struct line_geom {
    double x0, x1, top, bottom, vmax, pad, step;
    size_t n;
} line_geom;

static double lg_x(const line_geom *g, size_t i)
{
    return g->n > 1 ? g->x0 + g->pad + g->step * (double)i : (g->x0 + g->x1) / 2;
}
static double lg_y(const line_geom *g, double v)
{
    return g->bottom - (g->bottom - g->top) * fmin(v / g->vmax, 1);
}

static uint32_t series_colour(const chart *c, size_t s)
{
    size_t k = 0;
    for (size_t o = 0; o < s; o++)
        k += !c->ser[o].reference;
    return c->ser[s].reference ? REFERENCE
                               : line_colours[k % (sizeof line_colours / sizeof *line_colours)];
}

/* One series: its segments, points (marked ones as rings) and the value at each point. */
static void line_series(const chart *c, chart_layout *l, const line_geom *g, size_t s)
{
    const series *se = &c->ser[s];
    uint32_t col = series_colour(c, s);
    size_t last = SIZE_MAX;
    for (size_t i = 0; i < se->n && i < g->n; i++) {
        if (!isfinite(se->v[i]))
            continue;
        if (last != SIZE_MAX && last == i - 1)
            line(l, lg_x(g, last), lg_y(g, se->v[last]), lg_x(g, i), lg_y(g, se->v[i]), col, 2,
                 se->reference);
        last = i;
    }
    for (size_t i = 0; i < se->n && i < g->n; i++) {
        if (!isfinite(se->v[i]))
            continue;
        double px = lg_x(g, i), py = lg_y(g, se->v[i]);
        if (se->mark[i]) { /* the flagged result: a ring around a filled point */
            mark_ring(l, px, py, 7);
            circle(l, px, py, 3.5, FLAGGED, FLAGGED);
        } else {
            circle(l, px, py, 3, se->reference ? 0xFFFFFF : col, col);
        }
    }
}

/* The values at the points, per x: marked results first, then from the highest; each goes
 * above its point or, when that would overprint a label already there, below it, else it is
 * left out (the numbers are in the table beside the chart and in its <desc>). */
static void line_values(const chart *c, chart_layout *l, const line_geom *g)
{
    char b[64];
    for (size_t i = 0; i < g->n; i++) {
        double placed[32];
        size_t np = 0, done[32], nd = 0;
        while (nd < c->nser && nd < 32) {
            size_t best = SIZE_MAX;
            for (size_t s = 0; s < c->nser; s++) {
                const series *se = &c->ser[s];
                int used = 0;
                for (size_t k = 0; k < nd; k++)
                    used |= done[k] == s;
                if (used || i >= se->n || !isfinite(se->v[i]))
                    continue;
                if (best == SIZE_MAX || se->mark[i] > c->ser[best].mark[i] ||
                    (se->mark[i] == c->ser[best].mark[i] && se->v[i] > c->ser[best].v[i]))
                    best = s;
            }
            if (best == SIZE_MAX)
                break;
            done[nd++] = best;
            const series *se = &c->ser[best];
            double py = lg_y(g, se->v[i]), cand[2] = {py - 9, py + FS_SMALL + 8};
            for (int k = 0; k < 2; k++) {
                int clash = cand[k] - FS_SMALL < g->top - FS_SMALL - 6;
                for (size_t q = 0; q < np && !clash; q++)
                    clash = fabs(placed[q] - cand[k]) < FS_SMALL + 3;
                if (clash)
                    continue;
                placed[np++] = cand[k];
                fmt_value(c, se->v[i], b, sizeof b);
                text(l, lg_x(g, i), cand[k], b, FS_SMALL, ANCHOR_MIDDLE,
                     se->reference ? MUTED : INK)
                    ->bold = se->mark[i];
                break;
            }
        }
    }
}

/* Labels at the right end of each line (wide charts), nudged apart. */
typedef struct end_label {
    double y;
    long s; /* series, -1 = the threshold */
} end_label;

static void line_end_labels(const chart *c, chart_layout *l, const line_geom *g, double lab)
{
    /* the labels (the threshold's is one of them) at their line's last value, then spread
     * top-down so that none overprints another */
    end_label e[17];
    size_t n = 0;
    if (!isnan(c->thr) && c->thr <= g->vmax)
        e[n++] = (end_label){lg_y(g, c->thr) + FS_LABEL * 0.35, -1};
    for (size_t s = 0; s < c->nser && n < 17; s++) {
        const series *se = &c->ser[s];
        size_t last = SIZE_MAX;
        for (size_t i = 0; i < se->n && i < g->n; i++)
            if (isfinite(se->v[i]))
                last = i;
        if (last != SIZE_MAX)
            e[n++] = (end_label){lg_y(g, se->v[last]) + FS_LABEL * 0.35, (long)s};
    }
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && e[j].y < e[j - 1].y; j--) {
            end_label t = e[j];
            e[j] = e[j - 1];
            e[j - 1] = t;
        }
    for (size_t i = 1; i < n; i++)
        if (e[i].y < e[i - 1].y + FS_LABEL + 2)
            e[i].y = e[i - 1].y + FS_LABEL + 2;
    for (size_t i = 0; i < n; i++) {
        char tt[128];
        const char *label = tt;
        uint32_t col = INK;
        int bold = 1;
        if (e[i].s < 0) {
            threshold_text(c, tt, sizeof tt);
        } else {
            const series *se = &c->ser[e[i].s];
            label = se->label;
            col = series_colour(c, (size_t)e[i].s);
            col = col == REFERENCE ? MUTED : col;
            bold = !se->reference;
        }
        char *t = fit_text(label, FS_LABEL, lab - 10);
        text(l, g->x1 + 8, e[i].y, t, FS_LABEL, ANCHOR_START, col)->bold = bold;
        free(t);
    }
}

/* The key under a narrow chart: a stroke in the series' colour and its label, a line each. */
static double line_key(const chart *c, chart_layout *l, double y)
{
    if (!isnan(c->thr)) {
        char tt[128];
        threshold_text(c, tt, sizeof tt);
        y += FS_LABEL + 6;
        line(l, M, y - FS_LABEL * 0.35, M + 20, y - FS_LABEL * 0.35, INK, 2, 1);
        text(l, M + 26, y, tt, FS_LABEL, ANCHOR_START, INK)->bold = 1;
    }
    for (size_t s = 0; s < c->nser; s++) {
        uint32_t col = series_colour(c, s);
        y += FS_LABEL + 6;
        line(l, M, y - FS_LABEL * 0.35, M + 20, y - FS_LABEL * 0.35, col, 3, c->ser[s].reference);
        char *t = fit_text(c->ser[s].label, FS_LABEL, l->width - 2 * M - 26);
        text(l, M + 26, y, t, FS_LABEL, ANCHOR_START, col == REFERENCE ? MUTED : INK)->bold =
            !c->ser[s].reference;
        free(t);
    }
    return y + 4;
}

static void layout_lines(const chart *c, chart_layout *l, double y)
{
    line_geom g;
    double vmax = 0;
    int thr = !isnan(c->thr);
    for (size_t s = 0; s < c->nser; s++)
        for (size_t i = 0; i < c->ser[s].n; i++)
            if (isfinite(c->ser[s].v[i]) && c->ser[s].v[i] > vmax)
                vmax = c->ser[s].v[i];
    if (thr)
        vmax = fmax(vmax, c->thr);
    g.vmax = share_axis_max(c, vmax * 1.15);
    /* direct labels at the right end of each line; a phone gets a key under the plot */
    double lab = 0;
    for (size_t s = 0; s < c->nser; s++)
        lab = fmax(lab, chart_text_width(c->ser[s].label, FS_LABEL) * 1.1); /* bold */
    /* a phone, or names too long for the right end: the key under the plot names the lines */
    int narrow = l->width < NARROW || lab > l->width * 0.3;
    lab = narrow ? 0 : lab + 10;
    g.x0 = M + (c->ylab ? FS_LABEL + 6 : 0) + y_tick_width(c, g.vmax) + 4;
    g.x1 = l->width - M - lab;
    g.top = y + FS_SMALL + 8;
    g.bottom = g.top + (narrow ? 180 : 200);
    y_axis(c, l, g.x0, g.x1, g.top, g.bottom, g.vmax);
    g.n = c->nxs;
    g.pad = narrow ? 30 : 36;
    g.step = g.n > 1 ? (g.x1 - g.x0 - 2 * g.pad) / (double)(g.n - 1) : 0;
    for (size_t i = 0; i < g.n; i++)
        text(l, lg_x(&g, i), g.bottom + FS_SMALL + 3, c->xs[i], FS_SMALL, ANCHOR_MIDDLE, MUTED);
    if (thr && c->thr <= g.vmax) { /* under the lines */
        double yt = lg_y(&g, c->thr);
        line(l, g.x0, yt, g.x1, yt, INK, 2, 1); /* its label: at the right end, or in the key */
    }
    for (size_t s = 0; s < c->nser; s++)
        line_series(c, l, &g, s);
    line_values(c, l, &g);
    if (!narrow)
        line_end_labels(c, l, &g, lab);
    y = g.bottom + FS_SMALL + 6;
    if (c->xlab) {
        text(l, (g.x0 + g.x1) / 2, y + FS_LABEL + 2, c->xlab, FS_LABEL, ANCHOR_MIDDLE, INK);
        y += FS_LABEL + 6;
    }
    if (narrow)
        y = line_key(c, l, y);
    l->height = y + M;
}

/* The default <desc>: the numbers the chart draws, for screen readers. */
static char *default_desc(const chart *c)
{
    msk_buf b;
    msk_buf_init(&b, 1 << 16);
    char v[64];
    if (c->kind == CHART_BARS || c->kind == CHART_MARKS) {
        for (size_t i = 0; i < c->nrows; i++) {
            msk_buf_printf(&b, "%s%s: ", i ? "; " : "", c->rows[i].label);
            if (c->kind == CHART_BARS) {
                fmt_value(c, c->rows[i].v[0], v, sizeof v);
                msk_buf_puts(&b, v);
                if (isfinite(c->rows[i].target)) {
                    fmt_value(c, c->rows[i].target, v, sizeof v);
                    msk_buf_printf(&b, " (цель %s)", v);
                }
            } else {
                for (int m = 0; m < 4; m++) {
                    msk_pct_fast(c->rows[i].v[m], 1, v, sizeof v);
                    msk_buf_printf(&b, "%s«%d» %s", m ? ", " : "", m + 2, v);
                }
            }
        }
    } else {
        for (size_t s = 0; s < c->nser; s++) {
            msk_buf_printf(&b, "%s%s: ", s ? "; " : "", c->ser[s].label);
            for (size_t i = 0; i < c->ser[s].n; i++) {
                fmt_value(c, c->ser[s].v[i], v, sizeof v);
                if (c->kind == CHART_LINES && i < c->nxs)
                    msk_buf_printf(&b, "%s%s — %s", i ? ", " : "", c->xs[i], v);
                else
                    msk_buf_printf(&b, "%s%zu — %s", i ? ", " : "", i, v);
            }
        }
        for (size_t k = 0; k < c->ncuts; k++) {
            msk_num_fast(c->cuts[k].score, 0, v, sizeof v);
            msk_buf_printf(&b, "%sотметка %s с %s баллов", k ? ", " : "; ", c->cuts[k].label, v);
        }
    }
    if (!isnan(c->thr)) {
        char tt[128];
        threshold_text(c, tt, sizeof tt);
        msk_buf_printf(&b, "; %s", tt);
    }
    size_t nm = 0;
    for (size_t i = 0; i < c->nrows; i++)
        nm += (c->rows[i].flags & CHART_MARKED) != 0;
    for (size_t s = 0; s < c->nser; s++)
        for (size_t i = 0; i < c->ser[s].n; i++)
            nm += c->ser[s].mark[i];
    if (nm)
        msk_buf_printf(&b, "; отмечено результатов, на которых держится вывод: %zu", nm);
    if (b.failed) {
        msk_buf_truncate(&b, (1 << 16) - 8);
        b.failed = 0;
        msk_buf_puts(&b, "…");
    }
    return chart_take(&b);
}

int chart_layout_make(const chart *c, double width, chart_layout *out, msk_err *err)
{
    memset(out, 0, sizeof *out);
    if (!(width >= 200 && width <= 10000))
        return msk_error(err, "ширина диаграммы %g вне допустимых пределов (200–10000)", width);
    int empty = c->kind == CHART_BARS || c->kind == CHART_MARKS ? c->nrows == 0
                : c->kind == CHART_LINES                        ? c->nser == 0 || c->nxs == 0
                                                                : c->nser == 0;
    if (empty)
        return msk_error(err, "диаграмма «%s» без данных", c->title);
    out->width = width;
    out->title = msk_strdup(c->title);
    out->desc = c->desc ? msk_strdup(c->desc) : default_desc(c);
    double y = draw_title(c, out);
    switch (c->kind) {
    case CHART_BARS:
        layout_bars(c, out, y);
        break;
    case CHART_MARKS:
        layout_marks(c, out, y);
        break;
    case CHART_HIST:
        layout_hist(c, out, y);
        break;
    default:
        layout_lines(c, out, y);
        break;
    }
    out->height = ceil(out->height);
    return 0;
}

void chart_layout_release(chart_layout *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->p[i].text);
    free(l->p);
    free(l->title);
    free(l->desc);
    memset(l, 0, sizeof *l);
}
