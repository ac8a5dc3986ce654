/*
 * The chart of a flag, made from its evidence card (view/card.h): for ШНОР and the risk zone the
 * rule's measure — the share of «2» (ЕГЭ: below the minimum) — over three years for each
 * procedure the flag rests on (at most five, the highest first; the rest are in the card's
 * table), the threshold as a dashed line and the results over it marked; with one procedure the
 * municipality beside it, dashed. Shared by the web (school page, card) and the PDF справка.
 */
#ifndef MSK_FLAG_CHART_H
#define MSK_FLAG_CHART_H

#include "report/chart.h"

#include <jansson.h>
#include <stddef.h>

/* A new chart (free with chart_free), or NULL when the card has nothing of this kind to draw
 * (objectivity and rating cards, no trend). title_out (may be NULL) gets the chart's title, the
 * finding in words, for a document's figure caption. */
chart *flag_chart(const json_t *card, char *title_out, size_t title_n);
/* The dashboard's ("schools_share2" of view_dashboard, staff only): each school's largest share
 * of «2» among the year's procedures, sorted, the ШНОР threshold as a line, the schools of the
 * ШНОР list marked; at most max_rows schools (0: all) plus every listed one. NULL without
 * schools. */
chart *flag_chart_schools(const json_t *dashboard, size_t max_rows, char *title_out,
                          size_t title_n);

#endif
