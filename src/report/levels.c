/*
 * The school / municipality / region / RF table of the school's report (report/levels.h).
 */
#include "report/levels.h"

#include <math.h>
#include <stdio.h>

static double num(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *str(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static void row(doc_table *t, const char *proc, const char *level, const json_t *marks)
{
    doc_table_row(t, 0);
    doc_cell_text(t, proc);
    doc_cell_text(t, level);
    doc_cell_num(t, num(marks, "participants"));
    doc_cell_num(t, num(marks, "success"));
    doc_cell_num(t, num(marks, "quality"));
}

void report_levels_table(doc *d, const json_t *procs, int year)
{
    size_t i, any = 0;
    const json_t *x;
    json_array_foreach(procs, i, x) any +=
        !json_is_null(json_object_get(x, "region")) || !json_is_null(json_object_get(x, "rf"));
    if (!any)
        return;
    char caption[128];
    snprintf(caption, sizeof caption, "Школа, муниципалитет, регион и Российская Федерация, %d год",
             year);
    doc_table *t = doc_table_new(d, caption, 5, "Уровни");
    doc_table_col(t, 0, DOC_TEXT, 3.4, 0);
    doc_table_col(t, 1, DOC_TEXT, 2.2, 0);
    doc_table_col(t, 2, DOC_INT, 1.3, 0);
    doc_table_col(t, 3, DOC_SHARE, 1.3, 1);
    doc_table_col(t, 4, DOC_SHARE, 1.3, 1);
    const char *head[] = {"Процедура", "Уровень", "Участников", "Успеваемость", "Качество"};
    doc_table_header(t, head);
    doc_table_note(t, "Регион и Российская Федерация — из статистики ФИС ОКО по отметкам; "
                      "муниципалитет — все школы муниципалитета.");
    json_array_foreach(procs, i, x)
    {
        if (json_is_null(json_object_get(x, "region")) && json_is_null(json_object_get(x, "rf")))
            continue;
        const char *title = str(json_object_get(x, "proc"), "title");
        row(t, title, "Школа", json_object_get(x, "school"));
        size_t k;
        const json_t *l;
        json_array_foreach(json_object_get(x, "levels"), k, l)
        {
            char name[192];
            const char *n = str(l, "name");
            snprintf(name, sizeof name, "%s%s%s%s", str(l, "level_name"), *n ? " (" : "", n,
                     *n ? ")" : "");
            row(t, "", name, json_object_get(l, "marks"));
        }
    }
}

void report_levels_muni(doc *d, const view_year *v, const view_ctx *c)
{
    json_t *b = NULL;
    msk_err err;
    if (view_benchmarks(v, c, &b, &err))
        return;
    const json_t *procs = json_object_get(b, "procedures");
    if (json_array_size(procs)) {
        char caption[128];
        snprintf(caption, sizeof caption, "Муниципалитет, регион и Российская Федерация, %d год",
                 (int)json_integer_value(json_object_get(b, "year")));
        doc_table *t = doc_table_new(d, caption, 5, "Регион и РФ");
        doc_table_col(t, 0, DOC_TEXT, 3.4, 0);
        doc_table_col(t, 1, DOC_TEXT, 2.2, 0);
        doc_table_col(t, 2, DOC_INT, 1.3, 0);
        doc_table_col(t, 3, DOC_SHARE, 1.3, 1);
        doc_table_col(t, 4, DOC_SHARE, 1.3, 1);
        const char *head[] = {"Процедура", "Уровень", "Участников", "Успеваемость", "Качество"};
        doc_table_header(t, head);
        doc_table_note(t, "Регион и Российская Федерация — из статистики ФИС ОКО по отметкам.");
        size_t i, k;
        const json_t *x, *l;
        json_array_foreach(procs, i, x)
        {
            const char *title = str(json_object_get(x, "proc"), "title");
            json_array_foreach(json_object_get(x, "levels"), k, l)
            {
                char name[192];
                const char *n = str(l, "name");
                snprintf(name, sizeof name, "%s%s%s%s", str(l, "level_name"), *n ? " (" : "", n,
                         *n ? ")" : "");
                row(t, k ? "" : title, name, json_object_get(l, "marks"));
            }
        }
    }
    json_decref(b);
}
