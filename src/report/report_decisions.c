/*
 * The management decisions section of the reports (issue 15 item 4): the decisions taken after
 * last year's analysis with their effect in this year's (seed 001 п. 1.17–1.18: «анализ
 * эффективности принятых мер»), and this year's decisions — as the web's /decisions and
 * `msoko decision list` have them (src/view/decision.c).
 */
#include "report/report_internal.h"

#include "view/decision.h"

static void effect_table(rb *b, const json_t *items, int year, const char *school)
{
    doc_table *t = doc_table_new(b->d,
                                 tx(b,
                                    "Управленческие решения по итогам анализа %d года и их "
                                    "результат в %d году",
                                    year, year + 1),
                                 6, "Решения");
    doc_table_col(t, 0, DOC_TEXT, 1.4, 0);
    doc_table_col(t, 1, DOC_TEXT, 1.2, 0);
    doc_table_col(t, 2, DOC_TEXT, 1.4, 0);
    doc_table_col(t, 3, DOC_TEXT, 1.6, 0);
    doc_table_col(t, 4, DOC_TEXT, 0.6, 0);
    doc_table_col(t, 5, DOC_TEXT, 0.6, 0);
    char y0[8], y1[8];
    snprintf(y0, sizeof y0, "%d", year);
    snprintf(y1, sizeof y1, "%d", year + 1);
    const char *h[] = {"Решение", "Школа", "Итог", "Показатель", y0, y1};
    doc_table_header(t, h);
    size_t i, k, j;
    const json_t *d, *sc, *m;
    json_array_foreach(items, i, d) json_array_foreach(json_object_get(d, "schools"), k, sc)
    {
        if (school && strcmp(js(sc, "code"), school))
            continue;
        const json_t *ms = json_object_get(sc, "measures");
        size_t n = json_array_size(ms) ? json_array_size(ms) : 1;
        for (j = 0; j < n; j++) {
            m = json_array_get(ms, j);
            doc_table_row(t, 0);
            doc_cell_text(t, j ? "" : tx(b, "%s: %s", js(d, "title"), js(d, "text")));
            doc_cell_text(t, j ? "" : js(sc, "name"));
            doc_cell_text(t, j ? "" : js(sc, "moved_text"));
            doc_cell_text(t, m ? js(m, "label") : "—");
            int share = m && !strcmp(js(m, "unit"), "share");
            const char *keys[] = {"before", "after"};
            for (int q = 0; q < 2; q++) {
                const json_t *x = m ? json_object_get(m, keys[q]) : NULL;
                char v[32] = "—";
                if (json_is_number(x)) {
                    if (share)
                        fmt_pct(json_number_value(x), 1, v, sizeof v);
                    else
                        fmt_num(json_number_value(x), 0, v, sizeof v);
                }
                doc_cell_text(t, v);
            }
        }
    }
    doc_table_note(t, "Для решений по списку ШНОР — доля «2» (для ЕГЭ — ниже минимального балла) "
                      "по каждой процедуре, из-за которой школа вошла в список; для зоны риска и "
                      "объективности — число факторов и признаков; для рейтинга — место.");
}

int rb_decisions_section(rb *b, const char *school)
{
    if (!b->s)
        return 0;
    json_t *prev = NULL, *cur = NULL;
    msk_err e;
    msk_err_clear(&e);
    if (view_decisions(b->s, b->v, &b->ctx, b->year - 1, school, &prev, &e) ||
        view_decisions(b->s, b->v, &b->ctx, b->year, school, &cur, &e)) {
        json_decref(prev);
        return 0;
    }
    const json_t *pi = json_object_get(prev, "items"), *ci = json_object_get(cur, "items");
    if (!json_array_size(pi) && !json_array_size(ci)) {
        json_decref(prev);
        json_decref(cur);
        return 0;
    }
    doc_section(b->d, 1, "Управленческие решения и их результат");
    if (json_array_size(pi)) {
        size_t i;
        const json_t *d;
        json_array_foreach(pi, i, d)
        {
            const char *eff = js(d, "effect_text");
            doc_item(
                b->d, js(d, "title"),
                tx(b, "%s%s%s%s%s", js(d, "text"),
                   eff[0] && !strchr(".!?", js(d, "text")[strlen(js(d, "text")) - 1]) ? "." : "",
                   eff[0] ? " Результат: " : "", eff, eff[0] ? "." : ""));
        }
        effect_table(b, pi, b->year - 1, school);
    } else
        doc_para(b->d, NULL, tx(b, "Решений по итогам анализа %d года не записано.", b->year - 1));
    if (json_array_size(ci)) {
        doc_para(b->d, NULL,
                 tx(b,
                    "По итогам анализа %d года приняты решения (их результат покажет анализ "
                    "%d года):",
                    b->year, b->year + 1));
        size_t i;
        const json_t *d;
        json_array_foreach(ci, i, d) doc_item(b->d, js(d, "title"), js(d, "text"));
    }
    json_decref(prev);
    json_decref(cur);
    return 1;
}
