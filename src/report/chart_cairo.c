/*
 * Charts: the cairo + pango backend, for the PDF (chart.h).
 */
#include "report/chart.h"

#include "base/mem.h"

#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- cairo ------------------------------------------------------------------------------- */

static void set_rgb(cairo_t *cr, uint32_t c)
{
    cairo_set_source_rgb(cr, ((c >> 16) & 0xFF) / 255.0, ((c >> 8) & 0xFF) / 255.0,
                         (c & 0xFF) / 255.0);
}

int chart_layout_cairo(const chart_layout *l, cairo_t *cr, double x, double y, double scale,
                       const char *font_family, msk_err *err)
{
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_scale(cr, scale, scale);
    PangoLayout *pl = pango_cairo_create_layout(cr);
    PangoFontDescription *fd =
        pango_font_description_from_string(font_family ? font_family : "DejaVu Sans");
    for (size_t i = 0; i < l->n; i++) {
        const chart_prim *p = &l->p[i];
        switch (p->kind) {
        case PRIM_RECT:
            set_rgb(cr, p->fill);
            cairo_rectangle(cr, p->x, p->y, p->w, p->h);
            cairo_fill(cr);
            break;
        case PRIM_LINE: {
            static const double dashes[] = {5, 3};
            set_rgb(cr, p->stroke);
            cairo_set_line_width(cr, p->stroke_w);
            cairo_set_dash(cr, dashes, p->dash ? 2 : 0, 0);
            cairo_move_to(cr, p->x, p->y);
            cairo_line_to(cr, p->w, p->h);
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
            break;
        }
        case PRIM_CIRCLE:
            cairo_new_path(cr);
            cairo_arc(cr, p->x, p->y, p->w, 0, 2 * M_PI);
            set_rgb(cr, p->fill);
            cairo_fill_preserve(cr);
            set_rgb(cr, p->stroke);
            cairo_set_line_width(cr, p->stroke_w);
            cairo_stroke(cr);
            break;
        default: {
            pango_font_description_set_absolute_size(fd, p->size * PANGO_SCALE);
            pango_font_description_set_weight(fd,
                                              p->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
            pango_layout_set_font_description(pl, fd);
            pango_layout_set_text(pl, p->text, -1);
            PangoRectangle logical;
            pango_layout_get_extents(pl, NULL, &logical);
            double w = (double)logical.width / PANGO_SCALE;
            double base = (double)pango_layout_get_baseline(pl) / PANGO_SCALE;
            double dx = p->anchor == ANCHOR_MIDDLE ? -w / 2 : p->anchor == ANCHOR_END ? -w : 0;
            cairo_save(cr);
            cairo_translate(cr, p->x, p->y);
            if (p->vertical)
                cairo_rotate(cr, -M_PI / 2);
            cairo_move_to(cr, dx, -base);
            set_rgb(cr, p->fill);
            pango_cairo_update_layout(cr, pl);
            pango_cairo_show_layout(cr, pl);
            cairo_restore(cr);
            break;
        }
        }
    }
    pango_font_description_free(fd);
    g_object_unref(pl);
    cairo_restore(cr);
    cairo_status_t st = cairo_status(cr);
    if (st != CAIRO_STATUS_SUCCESS)
        return msk_error(err, "ошибка cairo при рисовании диаграммы: %s",
                         cairo_status_to_string(st));
    return 0;
}
