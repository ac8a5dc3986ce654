/*
 * Charts, described once and drawn twice (UI.md "Charts"): the web page gets SVG, the PDF report
 * gets the same picture through cairo. A chart is data (kind, title, axes, series); chart_layout
 * turns it into primitives (rectangles, lines, circles, text) in a coordinate space `width` units
 * wide; the SVG and cairo backends only draw primitives, so the two can never disagree.
 *
 * Kinds: horizontal bars (one value per row), stacked marks «2»–«5» (shares per row, in the one
 * colour-blind-safe palette used everywhere), a primary-score histogram (one or two series —
 * a school and the municipality — with the mark cut-offs as labelled vertical lines), and lines
 * over years (values at the points, the municipal line dashed). Titles state the finding, axes
 * carry units, few series are labelled directly instead of with a legend.
 * A chart that shows a flag (issue 14 item 9) draws the rule's threshold as a dashed line with
 * its value, marks the results that crossed it (a ring and bold value, not colour alone) and
 * sorts its bars by value; text is never smaller than 12 units, and the web draws each chart
 * twice (wide for desktops, narrow for phones, chart_svg_pair) so that 1 unit is 1 px on both.
 */
#ifndef MSK_CHART_H
#define MSK_CHART_H

#include "base/buf.h"
#include "base/err.h"

#include <stddef.h>
#include <stdint.h>

typedef struct _cairo cairo_t;

enum chart_kind { CHART_BARS, CHART_MARKS, CHART_HIST, CHART_LINES };
/* How values print and how the value axis is scaled: shares are fractions 0..1 shown as
 * «34,1 %»; numbers print with the chart's decimals. */
enum chart_unit { CHART_SHARE, CHART_NUMBER };

/* The mark palette, «2» to «5» (Okabe–Ito colours, distinguishable with every common form of
 * colour blindness), and the text colour with ≥ 4.5:1 contrast on each. 0xRRGGBB. */
extern const uint32_t chart_mark_fill[4];
extern const uint32_t chart_mark_ink[4];

typedef struct chart chart;

/* A new chart of kind with a title (the finding, «Доля «2» по математике выросла до 34 %»).
 * Strings are copied. Free with chart_free (NULL is a no-op). */
chart *chart_new(enum chart_kind kind, const char *title);
void chart_free(chart *c);
/* A longer text for screen readers (SVG <desc>); default: the numbers the chart draws. */
void chart_set_desc(chart *c, const char *desc);
/* Axis labels with units («Первичный балл», «Доля участников, %»); either may be NULL. */
void chart_set_axes(chart *c, const char *x_label, const char *y_label);
/* Unit of values (default CHART_SHARE, 1 decimal). */
void chart_set_unit(chart *c, enum chart_unit unit, int decimals);
/* CHART_BARS and CHART_MARKS laid out wide: the largest share of the width the row labels take
 * (default 0.38), for long labels over a plot that needs little room (shares 0–100 %). Clamped
 * to 0.2–0.7. */
void chart_set_label_share(chart *c, double share);
/* Draw the title inside the picture (default 1). A document that captions its figures
 * («Рисунок 2 — …») turns it off; the SVG <title> stays. */
void chart_show_title(chart *c, int show);

/* Row flags. HIGHLIGHT: the accent colour (the school among others); MARKED: the result the
 * flag rests on (over the threshold): dark red, a ring at the bar's end, bold value; TOTAL: a
 * totals row («Муниципалитет») set apart by a rule and kept last by chart_sort_rows. */
enum { CHART_HIGHLIGHT = 1, CHART_MARKED = 2, CHART_TOTAL = 4 };

/* CHART_BARS: one row with CHART_* flags (1 = CHART_HIGHLIGHT, as before).
 * NAN values draw no bar and print «—». */
void chart_bar(chart *c, const char *label, double value, int flags);
/* OR flags into the last row added (chart_bar or chart_marks); no-op without rows. */
void chart_row_flags(chart *c, int flags);
/* Sort the rows by their first value (bars: the value; marks: the share of «2»), largest
 * first, NAN last, ties in the order added; CHART_TOTAL rows stay at the end in their order. */
void chart_sort_rows(chart *c);
/* CHART_BARS and CHART_LINES: the rule's threshold, drawn as a dashed line across the plot at
 * value with label («порог 30 %») beside it; the value axis always reaches it. NAN removes it. */
void chart_threshold(chart *c, double value, const char *label);
/* CHART_BARS: the target of the last row added (an indicator against its own target value):
 * a short solid line across that row's bar at value, explained once in a key above the plot
 * («целевое значение»; with CHART_MARKED rows also «цель не достигнута» by the ring); the value
 * axis reaches it and the <desc> names it. NAN: none. No-op without rows. */
void chart_bar_target(chart *c, double value);
/* CHART_MARKS: one row of shares of «2», «3», «4», «5» (fractions; NAN = unknown, e.g.
 * suppressed; the row then prints «—»). */
void chart_marks(chart *c, const char *label, const double share[4]);
/* CHART_HIST: a series of values per primary score 0..n-1. The first series is the main one
 * (the school or the municipality); a second is drawn beside it for comparison. At most 2. */
void chart_hist_series(chart *c, const char *label, const double *values, size_t n);
/* CHART_HIST: a cut-off: the mark `label` («3») starts at primary score `score`. */
void chart_hist_cut(chart *c, double score, const char *label);
/* CHART_LINES: the x categories («2022», «2023», «2024»), then series of values (one per
 * category, NAN for a gap). reference = 1 draws the series dashed (the municipal line). */
void chart_x(chart *c, const char *label);
void chart_line(chart *c, const char *label, const double *values, size_t n, int reference);
/* CHART_LINES: mark point `point` of the last series (the flagged result): a larger ring in
 * dark red and a bold value. Out of range or no series: no-op. */
void chart_line_mark(chart *c, size_t point);

/* Primitives. Coordinates in chart units, y down; colours 0xRRGGBB. */
enum chart_prim_kind { PRIM_RECT, PRIM_LINE, PRIM_CIRCLE, PRIM_TEXT };
enum chart_anchor { ANCHOR_START, ANCHOR_MIDDLE, ANCHOR_END };
typedef struct chart_prim {
    int kind;
    double x, y, w, h; /* rect: corner and size; line: (x, y) → (w, h) as x2, y2; circle: centre,
                          radius in w; text: the baseline point */
    uint32_t fill;     /* rect, circle, text colour */
    uint32_t stroke;   /* line and circle outline */
    double stroke_w;   /* 0 = no outline */
    int dash;          /* line drawn dashed */
    char *text;        /* owned */
    double size;       /* font size */
    int anchor, bold, vertical; /* vertical: rotated −90° about (x, y) (a y-axis label) */
} chart_prim;

typedef struct chart_layout {
    double width, height;
    chart_prim *p;
    size_t n, cap;
    char *title, *desc; /* owned: for SVG <title>/<desc> */
} chart_layout;

/* Lay c out `width` units wide (the height follows from the content). Release with
 * chart_layout_release. Returns -1 with err for an empty chart or a bad width. */
int chart_layout_make(const chart *c, double width, chart_layout *out, msk_err *err);
void chart_layout_release(chart_layout *l);

/* SVG backend: append an <svg> element (with <title> and <desc>, every text escaped) to out. */
void chart_layout_svg(const chart_layout *l, msk_buf *out);
/* The same with extra classes on the <svg> element (NULL: none). */
void chart_layout_svg_class(const chart_layout *l, const char *cls, msk_buf *out);
/* Lay out and write SVG in one step. */
int chart_svg(const chart *c, double width, msk_buf *out, msk_err *err);
/* The web page's picture: the chart laid out `wide` units wide (class "chart-wide") and again
 * `narrow` units wide (class "chart-narrow"); the stylesheet shows one by the screen's width, so
 * the text keeps its size as displayed on a desktop and on a phone. */
int chart_svg_pair(const chart *c, double wide, double narrow, msk_buf *out, msk_err *err);
/* Cairo backend: draw at (x, y) in cr's user space, every chart unit scaled by scale; text with
 * pango in font_family ("DejaVu Sans" when NULL). Returns -1 with err when cairo reports an
 * error. */
int chart_layout_cairo(const chart_layout *l, cairo_t *cr, double x, double y, double scale,
                       const char *font_family, msk_err *err);

/* XML/HTML text escaping shared by the SVG and HTML writers: & < > " ' become entities,
 * control characters are dropped and invalid UTF-8 becomes U+FFFD, so the output is always
 * well-formed. */
void chart_xml_escape(msk_buf *out, const char *s);
/* A copy of s with invalid UTF-8 replaced by U+FFFD and control characters dropped (pango and
 * XML both want valid text). Caller frees. */
char *chart_utf8_clean(const char *s);
/* Width of s in units of font size `size`, estimated the same way for every backend
 * (layout must not depend on the font the viewer has). */
double chart_text_width(const char *s, double size);

#endif
