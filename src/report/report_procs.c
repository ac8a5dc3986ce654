/*
 * Sections of the municipal справка about participation (its first table: seed 000 roadmap
 * п. 1.1–1.5; seed 004 п. 5.1; seed 003 п. 1.5–1.6), the pass/fail procedures — итоговое
 * сочинение (изложение) and собеседование, the admission to ГИА (seed 003 п. 2.1) — and the
 * results of pupils with ОВЗ (seed 003 п. 1.3; seed 000 п. 1.11–1.12; seed 001 п. 2.11).
 * The numbers come from view_participation (view/procs.c), as on the pages.
 */
#include "report/report_internal.h"

/* Table: every procedure of the year, municipal participation and the schools under the
 * threshold; then the list of those school × procedure pairs. */
void rb_participation(rb *b, const json_t *part)
{
    const json_t *procs = json_object_get(part, "procedures");
    if (!json_array_size(procs))
        return;
    char thr[32];
    fmt_pct(jnum(part, "threshold"), 0, thr, sizeof thr);
    doc_table *t =
        doc_table_new(b->d, tx(b, "Участие в оценочных процедурах, муниципалитет, %d год", b->year),
                      5, "Участие");
    doc_table_col(t, 0, DOC_TEXT, 0, 0);
    doc_table_col(t, 1, DOC_INT, 0, 0);
    doc_table_col(t, 2, DOC_INT, 0, 0);
    doc_table_col(t, 3, DOC_SHARE, 0, 1);
    doc_table_col(t, 4, DOC_INT, 0, 0);
    const char *h[5] = {"Процедура", "Писали работу", "Отсутст" SHY "вовали", "Доля участия",
                        tx(b, "Школ с участием ниже %s", thr)};
    char hb[64];
    snprintf(hb, sizeof hb, "%s", h[4]);
    h[4] = hb;
    doc_table_header(t, h);
    size_t i;
    const json_t *p;
    json_array_foreach(procs, i, p)
    {
        const json_t *mu = json_object_get(p, "municipality");
        doc_table_row(t, 0);
        doc_cell_text(t, js(json_object_get(p, "proc"), "title"));
        doc_cell_num(t, jnum(mu, "participants"));
        doc_cell_num(t, jnum(mu, "absent"));
        doc_cell_num(t, jnum(mu, "share"));
        doc_cell_num(t, jnum(json_object_get(p, "participation"), "low_schools"));
    }
    doc_table_note(t, tx(b,
                         "Доля участия — писавшие работу среди писавших и отсутствовавших (по "
                         "файлам результатов; пересдачи и выпускники прошлых лет не считаются). "
                         "Порог %s актами не установлен (%s, п. 5.1, требует обязательного "
                         "участия): его выбрала программа. Низкое участие — признак возможной "
                         "необъективности; в список школ с признаками необъективности оно не "
                         "входит и показано отдельно.",
                         thr, muni_cite_str("{objectivity}")));
    const json_t *low = json_object_get(part, "low");
    if (!json_array_size(low)) {
        doc_para(b->d, NULL, tx(b, "Школ с участием ниже %s нет.", thr));
        return;
    }
    doc_table *l =
        doc_table_new(b->d, tx(b, "Школы с участием в процедуре ниже %s, %d год", thr, b->year), 4,
                      "Низкое участие");
    doc_table_col(l, 0, DOC_TEXT, 0, 0);
    doc_table_col(l, 1, DOC_TEXT, 0, 0);
    doc_table_col(l, 2, DOC_INT, 0, 0);
    doc_table_col(l, 3, DOC_SHARE, 0, 1);
    const char *lh[4] = {"Школа", "Процедура", "Отсутст" SHY "вовали", "Доля участия"};
    doc_table_header(l, lh);
    json_array_foreach(low, i, p)
    {
        const json_t *pp = json_object_get(p, "participation");
        doc_table_row(l, 0);
        doc_cell_text(l, js(json_object_get(p, "school"), "name"));
        doc_cell_text(l, js(json_object_get(p, "proc"), "title"));
        doc_cell_num(l, jnum(pp, "absent"));
        doc_cell_num(l, jnum(pp, "share"));
    }
}

/* One table per pass/fail procedure: per school participation and «зачёт». */
static void pass_table(rb *b, const json_t *p)
{
    const json_t *part = json_object_get(p, "participation");
    const json_t *ps = json_object_get(p, "pass");
    doc_table *t =
        doc_table_new(b->d, tx(b, "%s, %d год", js(json_object_get(p, "proc"), "title"), b->year),
                      6, js(json_object_get(p, "proc"), "kind_name"));
    doc_table_col(t, 0, DOC_TEXT, 0, 0);
    doc_table_col(t, 1, DOC_INT, 0, 0);
    doc_table_col(t, 2, DOC_SHARE, 0, 1);
    doc_table_col(t, 3, DOC_INT, 0, 0);
    doc_table_col(t, 4, DOC_INT, 0, 0);
    doc_table_col(t, 5, DOC_SHARE, 0, 1);
    const char *h[6] = {"Школа", "Писали", "Доля участия", "Зачёт", "Незачёт", "Доля зачёта"};
    doc_table_header(t, h);
    size_t i;
    const json_t *row;
    json_array_foreach(json_object_get(part, "schools"), i, row)
    {
        const json_t *pa = json_object_get(row, "participation"),
                     *pr = json_object_get(row, "pass");
        doc_table_row(t, 0);
        doc_cell_text(t, js(json_object_get(row, "school"), "name"));
        doc_cell_num(t, jnum(pa, "participants"));
        doc_cell_num(t, jnum(pa, "share"));
        doc_cell_num(t, jnum(pr, "pass"));
        doc_cell_num(t, jnum(pr, "fail"));
        doc_cell_num(t, jnum(pr, "share_pass"));
    }
    const json_t *mu = json_object_get(part, "municipality");
    doc_table_row(t, 1);
    doc_cell_text(t, "Муниципалитет");
    doc_cell_num(t, jnum(mu, "participants"));
    doc_cell_num(t, jnum(mu, "share"));
    doc_cell_num(t, jnum(ps, "pass"));
    doc_cell_num(t, jnum(ps, "fail"));
    doc_cell_num(t, jnum(ps, "share_pass"));
    doc_table_note(t, "«Зачёт» допускает к государственной итоговой аттестации; «—» — группа "
                      "менее 5 участников.");
}

void rb_pass_fail(rb *b, const json_t *part)
{
    size_t i, n = 0;
    const json_t *p;
    json_array_foreach(json_object_get(part, "procedures"), i, p) n +=
        json_is_true(json_object_get(p, "pass_fail"));
    if (!n)
        return;
    doc_section(b->d, 1 + b->sub,
                "Итоговое сочинение (изложение), итоговое собеседование, допуск к ГИА");
    json_array_foreach(json_object_get(part, "procedures"), i, p)
    {
        if (!json_is_true(json_object_get(p, "pass_fail")))
            continue;
        const json_t *ps = json_object_get(p, "pass");
        const json_t *mu = json_object_get(json_object_get(p, "participation"), "municipality");
        char a[32], c[32];
        fmt_pct(jnum(ps, "share_pass"), 1, a, sizeof a);
        fmt_pct(jnum(mu, "share"), 1, c, sizeof c);
        doc_para(b->d, NULL,
                 tx(b, "%s: участвовали %s обучающихся, «зачёт» получили %s (%d из %d).",
                    js(json_object_get(p, "proc"), "title"), c, a, (int)jnum(ps, "pass"),
                    (int)jnum(ps, "participants")));
        pass_table(b, p);
    }
}

/* Procedures with pupils with ОВЗ: their success and quality beside the others'. */
void rb_ovz(rb *b, const json_t *part)
{
    size_t i, n = 0;
    const json_t *p;
    json_array_foreach(json_object_get(part, "procedures"), i, p) n +=
        json_is_object(json_object_get(json_object_get(p, "ovz"), "municipality"));
    if (!n)
        return;
    doc_section(b->d, 1 + b->sub, "Результаты обучающихся с ОВЗ");
    doc_table *t = doc_table_new(
        b->d, tx(b, "Результаты обучающихся с ОВЗ и без ОВЗ, муниципалитет, %d год", b->year), 7,
        "ОВЗ");
    doc_table_col(t, 0, DOC_TEXT, 0, 0);
    for (size_t c = 1; c < 7; c++)
        doc_table_col(t, c, c == 1 || c == 4 ? DOC_INT : DOC_SHARE, 0, 1);
    const char *h[7] = {"Процедура", "С ОВЗ",        "Успеваемость", "Качество",
                        "Без ОВЗ",   "Успеваемость", "Качество"};
    doc_table_header(t, h);
    json_array_foreach(json_object_get(part, "procedures"), i, p)
    {
        const json_t *o = json_object_get(json_object_get(p, "ovz"), "municipality");
        if (!json_is_object(o))
            continue;
        const json_t *w = json_object_get(o, "ovz"), *wo = json_object_get(o, "others");
        doc_table_row(t, 0);
        doc_cell_text(t, js(json_object_get(p, "proc"), "title"));
        doc_cell_num(t, jnum(w, "participants"));
        doc_cell_num(t, jnum(w, "success"));
        doc_cell_num(t, jnum(w, "quality"));
        doc_cell_num(t, jnum(wo, "participants"));
        doc_cell_num(t, jnum(wo, "success"));
        doc_cell_num(t, jnum(wo, "quality"));
    }
    doc_table_note(t, "Успеваемость — доля отметок «3»–«5» (для зачётных процедур — доля "
                      "«зачёта»), качество — доля «4» и «5»; «—» — группа с ОВЗ или без ОВЗ "
                      "менее 5 участников (скрыты обе, иначе одну даст разность с итогом).");
}
