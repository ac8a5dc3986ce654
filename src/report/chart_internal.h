/*
 * The chart description's insides, shared by the files of the chart (chart.c builds it,
 * chart_layout.c lays it out) only; the backends (chart_svg.c, chart_cairo.c) read the layout
 * of chart.h. Nothing outside src/report/chart*.c includes this.
 */
#ifndef MSK_CHART_INTERNAL_H
#define MSK_CHART_INTERNAL_H

#include "base/buf.h"
#include "report/chart.h"

#include <stddef.h>

typedef struct series {
    char *label;
    double *v;
    unsigned char *mark; /* n flags: the point is marked (chart_line_mark) */
    size_t n;
    int reference;
} series;

typedef struct row {
    char *label;
    double v[4];
    double target; /* chart_bar_target: NAN when none */
    int flags;     /* CHART_HIGHLIGHT | CHART_MARKED | CHART_TOTAL */
} row;

typedef struct cut {
    double score;
    char *label;
} cut;

struct chart {
    int kind, unit, decimals, show_title;
    char *title, *desc, *xlab, *ylab;
    row *rows;
    size_t nrows;
    series *ser;
    size_t nser;
    cut *cuts;
    size_t ncuts;
    char **xs;
    size_t nxs;
    double thr;         /* chart_threshold: NAN when none */
    double label_share; /* chart_set_label_share: 0 = the default */
    char *thr_label;
};

/* The buffer's text, the buffer released (msk_buf_detach leaves it initialised). */
char *chart_take(msk_buf *b);

#endif
