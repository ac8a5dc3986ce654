/*
 * The section «Направления МСОКО» (issue 15 item 5; seed 001 приложение 3 and приложение 4,
 * разделы 2–10; п. 1.17–1.20: the analysis, the addressed recommendations and the management
 * decisions of each direction): the nine at a glance, then per direction its goals, a table of
 * indicators against targets with three years of dynamics, the schools outside the target with
 * the recommendations addressed to them, and the decisions answering it with the direction's
 * indicators before and after. Built from the same view models as /directions
 * (src/view/direction.c), so the report, the page and the доклад never disagree; a function of
 * a doc (report.h) so that any document can hold it.
 */
#include "report/report_internal.h"

#include "view/direction.h"

typedef struct dsec {
    doc *d;
    int year, level; /* level: the heading of the section; each direction one below */
    msk_buf t;
} dsec;

static const char *dx(dsec *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *dx(dsec *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    msk_buf_reset(&b->t);
    msk_buf_vprintf(&b->t, fmt, ap);
    va_end(ap);
    return b->t.data ? b->t.data : "";
}

static int whole(const json_t *o)
{
    return json_is_true(json_object_get(o, "whole"));
}

/* «12,5 %», «4 чел.», «—» */
static void value_text(const json_t *o, const char *key, char *out, size_t outsz)
{
    double v = jnum(o, key);
    const char *unit = js(o, "unit");
    char n[48];
    if (!isfinite(v)) {
        snprintf(out, outsz, "—");
        return;
    }
    fmt_num(v, whole(o) ? 0 : 1, n, sizeof n);
    snprintf(out, outsz, "%s%s%s", n, unit[0] ? " " : "", unit);
}

static void glance_table(dsec *b, const json_t *list)
{
    doc_table *t = doc_table_new(
        b->d, dx(b, "Направления МСОКО: достижение целевых значений, %d год", b->year), 6,
        "Направления");
    doc_table_col(t, 0, DOC_TEXT, 2.6, 0);
    doc_table_col(t, 1, DOC_TEXT, 1.1, 0);
    for (size_t c = 2; c < 6; c++)
        doc_table_col(t, c, DOC_INT, 0.6, 0);
    const char *h[] = {"Направление",          "Состояние",
                       "Показа" SHY "телей",   "Дости" SHY "гнута",
                       "Не дости" SHY "гнута", "Нет данных"};
    doc_table_header(t, h);
    size_t i;
    const json_t *it;
    json_array_foreach(json_object_get(list, "items"), i, it)
    {
        const json_t *k = json_object_get(it, "counts");
        doc_table_row(t, 0);
        doc_cell_text(t, dx(b, "%d. %s", (int)jnum(it, "order"), js(it, "name")));
        doc_cell_text(t, js(it, "status_text"));
        doc_cell_num(t, jnum(k, "total"));
        doc_cell_num(t, jnum(k, "on_target"));
        doc_cell_num(t, jnum(k, "below"));
        doc_cell_num(t, jnum(k, "no_data"));
    }
    doc_table_note(t, "Цель не достигнута — хотя бы один показатель с целевым значением его не "
                      "достиг; нет данных — ни один показатель направления не посчитан.");
}

static double dyn_value(const json_t *ind, int year)
{
    size_t i;
    const json_t *p;
    json_array_foreach(json_object_get(ind, "dynamics"), i,
                       p) if (jnum(p, "year") == year) return jnum(p, "value");
    return NAN;
}

/* The year's value: the indicator's own, the dynamics' last point the same. */
static double year_value(const dsec *b, const json_t *ind)
{
    return isfinite(jnum(ind, "value")) ? jnum(ind, "value") : dyn_value(ind, b->year);
}

static doc_table *indicators_table(dsec *b, const json_t *dir)
{
    doc_table *t = doc_table_new(b->d,
                                 dx(b, "%s: показатели против целевых значений, %d–%d годы",
                                    js(dir, "name"), b->year - 2, b->year),
                                 7, NULL);
    doc_table_col(t, 0, DOC_TEXT, 2.8, 0);
    doc_table_col(t, 1, DOC_TEXT, 0.5, 0);
    for (size_t c = 2; c < 6; c++)
        doc_table_col(t, c, DOC_NUM, 0.6, 1);
    doc_table_col(t, 6, DOC_TEXT, 1.0, 0);
    char y0[8], y1[8], y2[8];
    snprintf(y0, sizeof y0, "%d", b->year - 2);
    snprintf(y1, sizeof y1, "%d", b->year - 1);
    snprintf(y2, sizeof y2, "%d", b->year);
    const char *h[] = {"Показатель", "Ед.", "Цель", y0, y1, y2, "Состояние"};
    doc_table_header(t, h);
    size_t i;
    const json_t *ind;
    json_array_foreach(json_object_get(dir, "indicators"), i, ind)
    {
        doc_table_row(t, 0);
        /* numbered: the direction's chart names the indicators by these numbers */
        doc_cell_text(t, dx(b, "%zu. %s (%s)", i + 1, js(ind, "name"), js(ind, "section")));
        doc_cell_text(t, js(ind, "unit"));
        doc_cell_num(t, jnum(ind, "target"));
        doc_cell_num(t, dyn_value(ind, b->year - 2));
        doc_cell_num(t, dyn_value(ind, b->year - 1));
        doc_cell_num(t, year_value(b, ind));
        doc_cell_text(t, dx(b, "%s; %s", js(ind, "status_text"), js(ind, "trend_text")));
    }
    doc_table_note(t, "Значение муниципалитета — отношение сумм по школам с данными; «—» — "
                      "нет данных или цель не задана.");
    return t;
}

/* The direction's indicators in per cent against their targets (UI.md «Charts»; seed 001
 * п. 1.17: the analysis of the indicators against the targets): a bar for each, numbered as in
 * the table above (whose numbers it draws), its target a line across it, the ones that missed
 * the target ringed. Indicators in other units (people, points) stay in the table. The title
 * states the finding. */
static void indicators_chart(dsec *b, const json_t *dir, const doc_table *t)
{
    const json_t *inds = json_object_get(dir, "indicators"), *ind;
    size_t i, n = 0, on = 0, none = 0, lower = 0;
    json_array_foreach(inds, i, ind)
    {
        if (strcmp(js(ind, "unit"), "%"))
            continue;
        n++;
        on += !strcmp(js(ind, "status"), "on_target");
        none += !strcmp(js(ind, "status"), "no_data");
        lower += !strcmp(js(ind, "good"), "lower");
    }
    if (!n)
        return;
    char title[600];
    snprintf(title, sizeof title, "%s: цель достигнута по %zu из %zu %s в процентах%s, %d год",
             js(dir, "name"), on, n,
             fmt_plural((long long)n, "показателя", "показателей", "показателей"),
             none ? dx(b, " (нет данных — %zu)", none) : "", b->year);
    chart *c = chart_new(CHART_BARS, title);
    chart_set_unit(c, CHART_SHARE, 1);
    chart_set_axes(c, "Значение, %", NULL);
    chart_set_label_share(c, 0.58); /* the names are long, the shares need little room */
    json_array_foreach(inds, i, ind)
    {
        if (strcmp(js(ind, "unit"), "%"))
            continue;
        int below = !strcmp(js(ind, "status"), "below");
        /* «↓»: the target is a ceiling — a bar short of its line is on target */
        chart_bar(c,
                  dx(b, "%zu. %s%s", i + 1, strcmp(js(ind, "good"), "lower") ? "" : "↓ ",
                     js(ind, "name")),
                  year_value(b, ind) / 100, below ? CHART_MARKED : 0);
        chart_bar_target(c, jnum(ind, "target") / 100);
    }
    doc_figure(b->d, c,
               dx(b, "%s (номера показателей — как в таблице %d%s)", title, doc_table_number(t),
                  lower ? "; ↓\xC2\xA0— чем меньше, тем лучше" : ""));
}

static void outside_table(dsec *b, const json_t *dir)
{
    const json_t *so = json_object_get(dir, "schools_outside");
    if (!json_array_size(so))
        return;
    doc_table *t = doc_table_new(
        b->d, dx(b, "%s: школы, не достигшие целевых значений, %d год", js(dir, "name"), b->year),
        4, NULL);
    doc_table_col(t, 0, DOC_TEXT, 1.6, 0);
    doc_table_col(t, 1, DOC_TEXT, 2.2, 0);
    doc_table_col(t, 2, DOC_TEXT, 0.7, 0);
    doc_table_col(t, 3, DOC_TEXT, 0.7, 0);
    const char *h[] = {"Школа", "Показатель", "Значение", "Цель"};
    doc_table_header(t, h);
    size_t i, k;
    const json_t *sc, *ind;
    char v[64], g[64];
    json_array_foreach(so, i, sc) json_array_foreach(json_object_get(sc, "indicators"), k, ind)
    {
        doc_table_row(t, 0);
        doc_cell_text(t, k ? "" : js(json_object_get(sc, "school"), "name"));
        doc_cell_text(t, js(ind, "name"));
        value_text(ind, "value", v, sizeof v);
        value_text(ind, "target", g, sizeof g);
        doc_cell_text(t, v);
        doc_cell_text(t, g);
    }
}

static void decisions_part(dsec *b, const json_t *dir)
{
    const json_t *dec = json_object_get(dir, "decisions");
    const json_t *prev = json_object_get(dec, "previous"), *cur = json_object_get(dec, "current");
    if (!json_array_size(prev) && !json_array_size(cur)) {
        doc_para(b->d, "Управленческие решения.",
                 dx(b, "Решений по направлению по итогам анализа %d и %d годов не записано.",
                    b->year - 1, b->year));
        return;
    }
    size_t i, k;
    const json_t *d, *ind;
    doc_para(b->d, "Управленческие решения.",
             dx(b, "По направлению по итогам анализа %d и %d годов приняты решения:", b->year - 1,
                b->year));
    json_array_foreach(prev, i, d)
    {
        const char *eff = js(d, "effect_text");
        msk_buf s;
        msk_buf_init(&s, 0);
        msk_buf_printf(&s, "%s (по итогам анализа %d года).", js(d, "text"), (int)jnum(d, "year"));
        if (eff[0])
            msk_buf_printf(&s, " Результат: %s.", eff);
        json_array_foreach(json_object_get(d, "indicators"), k, ind)
        {
            char bv[64], av[64];
            value_text(ind, "before", bv, sizeof bv);
            value_text(ind, "after", av, sizeof av);
            msk_buf_printf(&s, " %s: %s → %s%s.", js(ind, "name"), bv, av,
                           json_is_true(json_object_get(ind, "better")) ? " (лучше)" : "");
        }
        doc_item(b->d, js(d, "title"), s.data ? s.data : "");
        msk_buf_release(&s);
    }
    json_array_foreach(cur, i, d)
        doc_item(b->d, js(d, "title"),
                 dx(b, "%s (по итогам анализа %d года; результат покажет анализ %d года).",
                    js(d, "text"), b->year, b->year + 1));
}

static void one_direction(dsec *b, const json_t *dir)
{
    doc_section(b->d, b->level + 1, dx(b, "%s", js(dir, "name")));
    doc_para(b->d, NULL,
             dx(b, "Состояние: %s.%s%s", js(dir, "status_text"),
                js(dir, "sections")[0] ? " Основание: " : "", js(dir, "sections")));
    size_t i;
    const json_t *g;
    json_array_foreach(json_object_get(dir, "goals"), i, g)
        doc_item(b->d, i ? NULL : "Цели.", json_string_value(g) ? json_string_value(g) : "");
    if (!json_array_size(json_object_get(dir, "indicators"))) {
        doc_para(b->d, NULL, dx(b, "Показателей направления за %d год нет.", b->year));
        return;
    }
    indicators_chart(b, dir, indicators_table(b, dir));
    outside_table(b, dir);
    const json_t *recs = json_object_get(dir, "recommendations");
    const json_t *r;
    json_array_foreach(recs, i, r)
    { /* lead and text: two texts at once, so not both through b->t */
        char lead[300];
        snprintf(lead, sizeof lead, "%s.", js(json_object_get(r, "school"), "name"));
        doc_item(b->d, lead,
                 dx(b, "%s Основание: %s. %s.", js(r, "text"), js(r, "finding"), js(r, "act")));
    }
    decisions_part(b, dir);
}

int report_directions_section(doc *d, const view_year *v, store *s, const view_ctx *c,
                              const rec_rules *rules, int level, msk_err *err)
{
    dsec b = {d, view_year_of(v), level < 1 ? 1 : level, {0}};
    json_t *list = NULL;
    int rc = -1;
    msk_buf_init(&b.t, 0);
    if (view_directions(s, v, c, &list, err))
        goto out;
    doc_section(d, b.level, "Направления МСОКО");
    if (!json_is_true(json_object_get(list, "analysis"))) {
        doc_para(d, NULL,
                 dx(&b, "Анализа направлений МСОКО за %d год нет: запустите анализ года.", b.year));
        rc = 0;
        goto out;
    }
    const json_t *k = json_object_get(list, "counts");
    doc_para(d, NULL,
             dx(&b,
                "Муниципальная система оценки качества образования включает девять направлений "
                "(%s). По итогам %d года цель достигнута по %d, не достигнута по %d, нет данных "
                "по %d.",
                muni_cite_str("{mscoko}"), b.year, (int)jnum(k, "on_target"), (int)jnum(k, "below"),
                (int)jnum(k, "no_data")));
    glance_table(&b, list);
    size_t i;
    const json_t *it;
    json_array_foreach(json_object_get(list, "items"), i, it)
    {
        if (!json_is_true(json_object_get(it, "computed")))
            continue;
        json_t *dir = NULL;
        if (view_direction(s, v, c, js(it, "code"), &dir, err))
            goto out;
        if (rules)
            rec_direction_page(rules, dir);
        one_direction(&b, dir);
        json_decref(dir);
    }
    rc = 0;
out:
    json_decref(list);
    msk_buf_release(&b.t);
    return rc;
}
