/*
 * The roadmap section of the reports: its rows as the web and `msoko plan list --json` have
 * them (src/view/plan.c).
 */
#include "report/report_internal.h"

#include "store/plan.h"
#include "view/plan.h"

/* ---- roadmap ----------------------------------------------------------------------------- */

/* The roadmap's rows as the web and `msoko plan list --json` have them (src/view/plan.c). */
int report_plan_load(store *s, int year, json_t **out, msk_err *err)
{
    char today[11];
    store_plan_today(today);
    return view_plan_year(s, year, today, out, err);
}

void rb_plan_section(rb *b, const char *school)
{
    doc_section(b->d, 1, "Дорожная карта: сроки и исполнение");
    json_t *own = NULL;
    const json_t *rows = b->o->plan;
    msk_err e;
    if (!rows) {
        if (!b->s || report_plan_load(b->s, b->year, &own, &e)) {
            doc_para(b->d, NULL, b->s ? e.msg : "Дорожная карта не загружена.");
            return;
        }
        rows = own;
    }
    char iso[11], today[16];
    store_plan_today(iso);
    fmt_date(iso, today, sizeof today);
    int n = 0, done = 0, overdue = 0;
    size_t i;
    const json_t *r;
    json_array_foreach(rows, i, r)
    {
        if (school && strcmp(js(r, "school"), school))
            continue;
        n++;
        done += json_is_true(json_object_get(r, "done"));
        overdue += json_is_true(json_object_get(r, "overdue"));
    }
    doc_para(b->d, NULL,
             tx(b,
                "Мероприятий дорожной карты на %d год%s: %d, выполнено %d, "
                "просрочено на %s: %d.",
                b->year, school ? " по школе" : "", n, done, today, overdue));
    static const char *const h[] = {"№", "Мероприятие", "Срок", "Ответственный", "Школа"};
    static const struct {
        const char *flag, *caption, *sheet;
    } parts[] = {{"overdue", "Просроченные мероприятия дорожной карты", "Просрочено"},
                 {"month", "Мероприятия со сроком в текущем месяце", "Срок в этом месяце"}};
    for (size_t k = 0; k < 2; k++) {
        doc_table *t = NULL;
        json_array_foreach(rows, i, r)
        {
            if ((school && strcmp(js(r, "school"), school)) ||
                !json_is_true(json_object_get(r, parts[k].flag)))
                continue;
            if (!t) {
                t = doc_table_new(b->d, tx(b, "%s на %s", parts[k].caption, today), 5,
                                  parts[k].sheet);
                for (size_t col = 0; col < 5; col++)
                    doc_table_col(t, col, DOC_TEXT, col == 1 ? 5 : col == 3 ? 2 : 1.1, 0);
                doc_table_header(t, h);
            }
            /* the dates as the page shows them: every checkpoint of «октябрь, апрель» */
            const char *due = !strcmp(js(r, "due_kind"), "date") ? js(r, "due") : "";
            doc_table_row(t, 0);
            doc_cell_text(t, js(r, "number"));
            doc_cell_text(t, js(r, "text"));
            doc_cell_text(t, *due ? due : js(r, "deadline"));
            doc_cell_text(t, js(r, "responsible"));
            doc_cell_text(t, js(r, "school"));
        }
    }
    json_decref(own);
}
