/*
 * The справка's sections of issue 19 п. 5, from view_gia (view/gia.c), as the pages: ЕГЭ and
 * ГВЭ side by side ({roadmap}, п. 1.10), trial exams against the real one (seed 000 §2.2; seed
 * 003 п. 1.7, 5.2), the admission to ГИА ({roadmap}, п. 2.1), 9th graders with honours and their
 * ОГЭ (seed 003 п. 1.8), repeaters and retention (seed 003 п. 1.1; seed 001 п. 2.11), and the
 * levels of the diagnostics (seed 003 п. 5.5; seed 001 п. 2.7, 2.11; seed 000 §1.3).
 */
#include "report/report_internal.h"

static const char *school_name(const json_t *row)
{
    const json_t *s = json_object_get(row, "school");
    return json_is_object(s) ? js(s, "name") : "Муниципалитет";
}

static int is_muni(const json_t *row)
{
    return !json_is_object(json_object_get(row, "school"));
}

/* The columns of a table: text first, then numbers of the given kinds. */
static doc_table *table(rb *b, const char *caption, const char *sheet, size_t n,
                        const enum doc_col *kinds, const char *const *head)
{
    doc_table *t = doc_table_new(b->d, caption, n, sheet);
    for (size_t i = 0; i < n; i++)
        doc_table_col(t, i, kinds[i], 0, kinds[i] == DOC_NUM || kinds[i] == DOC_SHARE ? 1 : 0);
    doc_table_header(t, head);
    return t;
}

static void ege_gve(rb *b, const json_t *rows)
{
    if (!json_array_size(rows))
        return;
    doc_section(b->d, 2, "Результаты ЕГЭ и ГВЭ");
    static const enum doc_col k[8] = {DOC_TEXT,  DOC_TEXT, DOC_INT, DOC_NUM,
                                      DOC_SHARE, DOC_INT,  DOC_NUM, DOC_SHARE};
    const char *h[8] = {"Школа",    "Предмет, класс", "ЕГЭ (ОГЭ): уч.",  "Средний",
                        "Доля «2»", "ГВЭ: уч.",       "Средняя отметка", "Доля «2»"};
    doc_table *t = table(b, tx(b, "Результаты ЕГЭ (ОГЭ) и ГВЭ по предметам, %d год", b->year),
                         "ЕГЭ и ГВЭ", 8, k, h);
    size_t i;
    const json_t *r;
    json_array_foreach(rows, i, r)
    {
        const json_t *e = json_object_get(r, "exam"), *g = json_object_get(r, "gve");
        doc_table_row(t, is_muni(r));
        doc_cell_text(t, school_name(r));
        doc_cell_text(t, tx(b, "%s, %d", js(r, "subject_name"), (int)jnum(r, "grade")));
        doc_cell_num(t, jnum(e, "participants"));
        doc_cell_num(t, jnum(e, "mean"));
        doc_cell_num(t, jnum(e, "share2"));
        doc_cell_num(t, jnum(g, "participants"));
        doc_cell_num(t, jnum(g, "mean"));
        doc_cell_num(t, jnum(g, "share2"));
    }
    doc_table_note(
        t, muni_cite_str("Средний — тестовый балл ЕГЭ (для ОГЭ и базовой математики — средняя "
                         "отметка); доля «2» для ЕГЭ — доля не преодолевших минимальный балл. "
                         "Школы — те, чьи выпускники сдавали ГВЭ ({roadmap}, п. 1.10)."));
}

static void trial(rb *b, const json_t *rows)
{
    if (!json_array_size(rows))
        return;
    doc_section(b->d, 2, "Пробные экзамены и ГИА");
    static const enum doc_col k[8] = {DOC_TEXT, DOC_TEXT,  DOC_NUM, DOC_SHARE,
                                      DOC_NUM,  DOC_SHARE, DOC_NUM, DOC_SHARE};
    const char *h[8] = {"Школа",
                        "Экзамен, предмет",
                        "Пробный: средний",
                        "Пробный: доля «2»",
                        "Экзамен: средний",
                        "Экзамен: доля «2»",
                        "Разница среднего",
                        "Разница доли «2»"};
    doc_table *t = table(b, tx(b, "Пробные экзамены и экзамены того же года, %d год", b->year),
                         "Пробные экзамены", 8, k, h);
    size_t i;
    const json_t *r;
    json_array_foreach(rows, i, r)
    {
        const json_t *a = json_object_get(r, "trial"), *e = json_object_get(r, "real");
        doc_table_row(t, is_muni(r));
        doc_cell_text(t, school_name(r));
        doc_cell_text(t, tx(b, "%s, %s", js(r, "exam_name"), js(r, "subject_name")));
        doc_cell_num(t, jnum(a, "mean"));
        doc_cell_num(t, jnum(a, "share2"));
        doc_cell_num(t, jnum(e, "mean"));
        doc_cell_num(t, jnum(e, "share2"));
        doc_cell_num(t, jnum(r, "diff_mean"));
        doc_cell_num(t, jnum(r, "diff_share2"));
    }
    doc_table_note(
        t,
        muni_cite_str("Разница — экзамен минус пробный экзамен: средний балл (ЕГЭ — тестовый, "
                      "ОГЭ — средняя отметка) и доля «2» (ЕГЭ — ниже минимального балла). "
                      "Пробные экзамены — {concept} (дорожная карта), п. 2.2; {roadmap}, п. 5.2."));
}

static void admission(rb *b, const json_t *rows)
{
    if (!json_array_size(rows))
        return;
    doc_section(b->d, 2, "Допуск к государственной итоговой аттестации");
    static const enum doc_col k[5] = {DOC_TEXT, DOC_TEXT, DOC_INT, DOC_INT, DOC_SHARE};
    const char *h[5] = {"Школа", "Основание", "Обучающихся", "Допущены", "Доля допущенных"};
    doc_table *t = table(b, tx(b, "Допуск обучающихся 9 и 11 классов к ГИА, %d год", b->year),
                         "Допуск к ГИА", 5, k, h);
    size_t i;
    const json_t *r;
    json_array_foreach(rows, i, r)
    {
        doc_table_row(t, is_muni(r));
        doc_cell_text(t, school_name(r));
        doc_cell_text(t, js(json_object_get(r, "proc"), "title"));
        doc_cell_num(t, jnum(r, "pupils"));
        doc_cell_num(t, jnum(r, "admitted"));
        doc_cell_num(t, jnum(r, "share"));
    }
    doc_table_note(
        t, muni_cite_str(
               "Допущены — получившие «зачёт» за итоговое собеседование (9 класс) или "
               "итоговое сочинение (изложение) (11 класс) в любой срок, в том числе при "
               "повторной сдаче, среди всех обучающихся в файле результатов (отсутствовавшие "
               "— не допущены); выпускники прошлых лет не считаются ({roadmap}, п. 2.1)."));
}

static void honours(rb *b, const json_t *rows)
{
    if (!json_array_size(rows))
        return;
    doc_section(b->d, 2, "Выпускники 9 классов, получившие аттестат с отличием");
    static const enum doc_col k[5] = {DOC_TEXT, DOC_INT, DOC_INT, DOC_INT, DOC_INT};
    const char *h[5] = {"Школа", "С отличием", "Сдавали ОГЭ", "Есть отметка ниже «5»",
                        "Есть «3» или ниже"};
    doc_table *t = table(b, tx(b, "Аттестат с отличием и отметки ОГЭ, 9 класс, %d год", b->year),
                         "С отличием", 5, k, h);
    size_t i, sig = 0;
    const json_t *r;
    json_array_foreach(rows, i, r)
    {
        doc_table_row(t, is_muni(r));
        doc_cell_text(t, school_name(r));
        doc_cell_num(t, jnum(r, "honours"));
        doc_cell_num(t, jnum(r, "with_oge"));
        doc_cell_num(t, jnum(r, "below5"));
        doc_cell_num(t, jnum(r, "three"));
        sig += !is_muni(r) && json_is_true(json_object_get(r, "signal"));
    }
    doc_table_note(
        t, muni_cite_str("Аттестат с отличием — столбец «Медаль» («Аттестат с отличием») шаблона "
                         "выпускников 9 класса; отметки — ОГЭ того же года, основной срок "
                         "({roadmap}, п. 1.8). Отличник с «3» на ОГЭ — признак возможной "
                         "необъективности текущих отметок; в список школ с признаками "
                         "необъективности он не входит и показан здесь."));
    doc_para(
        b->d, NULL,
        sig ? tx(b, "Школ, где у выпускника с аттестатом с отличием есть «3» на ОГЭ: %zu.", sig)
            : "Выпускников с аттестатом с отличием и «3» на ОГЭ нет.");
}

static void contingent(rb *b, const json_t *rows)
{
    if (!json_array_size(rows))
        return;
    doc_section(b->d, 2, "Оставленные на повторное обучение и сохранность контингента");
    static const enum doc_col k[6] = {DOC_TEXT, DOC_INT, DOC_SHARE, DOC_INT, DOC_INT, DOC_SHARE};
    const char *h[6] = {"Школа",
                        "Оставлены на повторное обучение",
                        "Доля от обучающихся",
                        tx(b, "10 класс, %d", b->year - 1),
                        "",
                        "Завершают СОО"};
    char h3[32], h4[32];
    snprintf(h3, sizeof h3, "%s", h[3]);
    snprintf(h4, sizeof h4, "11 класс, %d", b->year);
    h[3] = h3;
    h[4] = h4;
    doc_table *t = table(b, tx(b, "Повторное обучение и переход из 10 в 11 класс, %d год", b->year),
                         "Контингент", 6, k, h);
    size_t i;
    const json_t *r;
    json_array_foreach(rows, i, r)
    {
        doc_table_row(t, is_muni(r));
        doc_cell_text(t, school_name(r));
        doc_cell_num(t, jnum(r, "repeaters"));
        doc_cell_num(t, jnum(r, "repeaters_share"));
        doc_cell_num(t, jnum(r, "grade10_prev"));
        doc_cell_num(t, jnum(r, "grade11"));
        doc_cell_num(t, jnum(r, "retention"));
    }
    doc_table_note(
        t,
        muni_cite_str(
            "По контекстным данным школ (показатели «Обучающихся, оставленных на "
            "повторное обучение», «Обучающихся 10 классов», «Обучающихся 11 классов»). "
            "Завершают СОО — обучающиеся 11 классов этого года к обучающимся 10 классов "
            "прошлого ({mscoko_roadmap}, п. 2.11: «начавших и завершивших обучение по программам "
            "СОО»); повторное обучение — {roadmap}, п. 1.1."));
}

static void diagnostics(rb *b, const json_t *rows)
{
    if (!json_array_size(rows))
        return;
    doc_section(b->d, 2, "Диагностические работы и исследования");
    static const enum doc_col k[7] = {DOC_TEXT,  DOC_INT,   DOC_SHARE, DOC_SHARE,
                                      DOC_SHARE, DOC_SHARE, DOC_SHARE};
    const char *h[7] = {"Процедура",     "Писали",           "Доля участия", "Недостаточный («2»)",
                        "Базовый («3»)", "Повышенный («4»)", "Высокий («5»)"};
    doc_table *t =
        table(b, tx(b, "НИКО, метапредметные и другие диагностические работы, %d год", b->year),
              "Диагностики", 7, k, h);
    size_t i;
    const json_t *r;
    json_array_foreach(rows, i, r)
    {
        const json_t *l = json_object_get(r, "levels"), *p = json_object_get(r, "participation");
        doc_table_row(t, 0);
        doc_cell_text(t, js(json_object_get(r, "proc"), "title"));
        doc_cell_num(t, jnum(l, "participants"));
        doc_cell_num(t, jnum(p, "share"));
        doc_cell_num(t, jnum(l, "share2"));
        doc_cell_num(t, jnum(l, "share3"));
        doc_cell_num(t, jnum(l, "share4"));
        doc_cell_num(t, jnum(l, "share5"));
    }
    doc_table_note(
        t,
        muni_cite_str("Уровни из файла (недостаточный, базовый, повышенный, высокий) хранятся как "
                      "отметки «2»–«5»; у работ с отметками столбцы — доли отметок. НИКО, "
                      "метапредметные работы, готовность к обучению в школе, читательская "
                      "грамотность — {concept} (дорожная карта), п. 1.3, 2.2; {mscoko_roadmap}, п. "
                      "2.7, 2.11; "
                      "{roadmap}, п. 5.5."));
}

void rb_gia(rb *b, const json_t *gia)
{
    static const char *const keys[] = {"ege_gve", "trial",      "admission",
                                       "honours", "contingent", "diagnostics"};
    size_t n = 0;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        n += json_array_size(json_object_get(gia, keys[i]));
    if (!n)
        return;
    doc_section(b->d, 1, "ГИА, пробные экзамены, диагностики и контингент");
    ege_gve(b, json_object_get(gia, "ege_gve"));
    trial(b, json_object_get(gia, "trial"));
    admission(b, json_object_get(gia, "admission"));
    honours(b, json_object_get(gia, "honours"));
    contingent(b, json_object_get(gia, "contingent"));
    diagnostics(b, json_object_get(gia, "diagnostics"));
}

int rb_gia_municipal(rb *b, msk_err *err)
{
    json_t *gia = NULL;
    if (view_gia(b->v, &b->ctx, NULL, &gia, err))
        return -1;
    rb_gia(b, gia);
    json_decref(gia);
    return 0;
}
