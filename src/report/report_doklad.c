/*
 * The annual доклад «О состоянии системы образования» (seed 001, дорожная карта п. 1.20: «Анализ
 * эффективности МСОКО в ежегодном докладе о состоянии системы образования в муниципалитете»).
 * Built from the same sections as the municipal справка (report_municipal.c, report_procs.c,
 * report_plan.c, report_decisions.c), in the доклад's order: the network and the contingent,
 * the procedures with their dynamics, ШНОР and the risk zone, objectivity, the rating, the
 * olympiads, the graduates, the monitoring indicators, the management decisions and their
 * effect, conclusions and the tasks for the next year (seed 000 разд. VII–VIII; seed 001 п.
 * 1.17–1.18: analysis → addressed recommendations → decisions → their effect).
 */
#include "report/report_internal.h"

#include "store/plan.h"

/* The acts of methods/municipality.ini the доклад rests on (base/muni.h), as cited. */
static const char *const ACTS[] = {"{mscoko}",  "{mscoko_roadmap}", "{program}",
                                   "{roadmap}", "{objectivity}",    "{concept}"};

static void title(rb *b)
{
    char sy[32], date[16], today[11];
    fmt_school_year(b->year, sy, sizeof sy);
    if (!b->o->date) {
        store_plan_today(today);
        fmt_date(today, date, sizeof date);
    }
    doc_title_page(b->d, b->o->department ? b->o->department : muni_department(),
                   "Доклад о состоянии системы образования",
                   tx(b, "по итогам %s учебного года", sy),
                   b->o->place ? b->o->place : muni_place(), b->o->date ? b->o->date : date);
}

static void network_table(rb *b, const json_t *items, const char *what, const char *col,
                          const char *sheet)
{
    doc_table *t = doc_table_new(
        b->d, tx(b, "Общеобразовательные организации %s, %d год", what, b->year), 2, sheet);
    doc_table_col(t, 0, DOC_TEXT, 3, 0);
    doc_table_col(t, 1, DOC_INT, 1, 0);
    const char *h[] = {col, "Школ"};
    doc_table_header(t, h);
    size_t i;
    const json_t *it;
    double sum = 0;
    json_array_foreach(items, i, it)
    {
        doc_table_row(t, 0);
        doc_cell_text(t, js(it, "name"));
        doc_cell_num(t, jnum(it, "schools"));
        sum += jnum(it, "schools");
    }
    doc_table_row(t, 1);
    doc_cell_text(t, "Муниципалитет");
    doc_cell_num(t, sum);
}

static const json_t *grads_of(const json_t *out, int grade)
{
    size_t i;
    const json_t *g;
    json_array_foreach(json_object_get(out, "graduates"), i,
                       g) if (jnum(g, "grade") == grade) return g;
    return NULL;
}

static void general(rb *b, const json_t *dash, const json_t *out)
{
    char sy[32], n1[32], n2[32];
    fmt_school_year(b->year, sy, sizeof sy);
    doc_section(b->d, 1, "Общие сведения о сети и контингенте");
    doc_para(b->d, NULL,
             tx(b,
                "Доклад подготовлен по итогам %s учебного года в соответствии с документом "
                "«%s» (п. 1.20: анализ эффективности МСОКО в ежегодном докладе о состоянии "
                "системы образования). Все числа доклада взяты из базы МСОКО — из тех же "
                "данных, по которым построены страницы системы и аналитические справки.",
                sy, muni_cite_str("{mscoko_roadmap}")));
    doc_section(b->d, 2, "Нормативная основа");
    for (size_t i = 0; i < sizeof ACTS / sizeof *ACTS; i++)
        doc_item(b->d, NULL, muni_cite_str(ACTS[i]));
    doc_section(b->d, 2, "Сеть общеобразовательных организаций");
    const json_t *net = json_object_get(out, "network");
    long long ns = (long long)jnum(net, "schools");
    fmt_int(ns, n1, sizeof n1);
    const json_t *cnt = json_object_get(dash, "counts");
    long long np = (long long)jnum(cnt, "participants");
    fmt_int(np, n2, sizeof n2);
    const json_t *g9 = grads_of(out, 9), *g11 = grads_of(out, 11);
    char n9[32], n11[32];
    fmt_int((long long)jnum(g9, "total"), n9, sizeof n9);
    fmt_int((long long)jnum(g11, "total"), n11, sizeof n11);
    doc_para(b->d, NULL,
             tx(b,
                "В муниципальной системе образования %s %s %s. В оценочных процедурах года "
                "%s %s %s; выпускников 9 классов — %s, 11 классов — %s.",
                fmt_plural(ns, "работает", "работают", "работают"), n1,
                fmt_plural(ns, "общеобразовательная организация", "общеобразовательные организации",
                           "общеобразовательных организаций"),
                fmt_plural(np, "участвовал", "участвовали", "участвовали"), n2,
                fmt_plural(np, "обучающийся", "обучающихся", "обучающихся"), n9, n11));
    network_table(b, json_object_get(net, "by_type"), "по типам", "Тип", "Сеть по типам");
    network_table(b, json_object_get(net, "by_locality"), "по местности", "Местность",
                  "Сеть по местности");
    rb_about_analysis(b, dash);
}

static int stage_count(const json_t *out, const char *stage, const char *key)
{
    size_t i;
    const json_t *s;
    json_array_foreach(json_object_get(json_object_get(out, "olympiads"), "stages"), i,
                       s) if (!strcmp(js(s, "stage"), stage)) return (int)jnum(s, key);
    return -1;
}

/* seed 001 п. 4.1–4.9, seed 000 табл. 1 п. 6: the ВсОШ stages against the year before, and the
 * schools with winners and prize-winners. */
static void olympiads(rb *b, const json_t *out, const json_t *pout)
{
    doc_section(b->d, 1, "Олимпиады школьников");
    const json_t *st = json_object_get(json_object_get(out, "olympiads"), "stages");
    if (!json_array_size(st)) {
        doc_para(b->d, NULL,
                 tx(b,
                    "Результатов всероссийской олимпиады школьников за %d год нет — загрузите "
                    "их на странице «Импорт» (шаблон «Олимпиады»).",
                    b->year));
        return;
    }
    char y0[8], y1[8];
    snprintf(y0, sizeof y0, "%d", b->year - 1);
    snprintf(y1, sizeof y1, "%d", b->year);
    doc_table *t = doc_table_new(
        b->d, tx(b, "Всероссийская олимпиада школьников по этапам, %d–%d", b->year - 1, b->year), 7,
        "Олимпиады");
    doc_table_col(t, 0, DOC_TEXT, 2, 0);
    for (size_t c = 1; c < 7; c++)
        doc_table_col(t, c, DOC_INT, 1, 0);
    const char *h1[] = {"Этап", "Участий", "", "Победителей", "", "Призёров", ""};
    const char *h2[] = {"", y0, y1, y0, y1, y0, y1};
    doc_table_header(t, h1);
    doc_table_header(t, h2);
    size_t i;
    const json_t *s;
    int wins = 0, prizes = 0;
    json_array_foreach(st, i, s)
    {
        doc_table_row(t, 0);
        doc_cell_text(t, js(s, "stage_name"));
        static const char *const keys[] = {"participants", "winners", "prizewinners"};
        for (size_t k = 0; k < 3; k++) {
            int before = pout ? stage_count(pout, js(s, "stage"), keys[k]) : -1;
            doc_cell_num(t, before < 0 ? (double)NAN : (double)before);
            doc_cell_num(t, jnum(s, keys[k]));
        }
        wins += (int)jnum(s, "winners");
        prizes += (int)jnum(s, "prizewinners");
    }
    doc_table_note(t, "Участие — число участий (обучающийся, участвовавший по двум предметам, "
                      "учтён дважды); «—» — данных за год нет.");
    doc_para(b->d, NULL,
             tx(b, "Всего за %d год победителей — %d, призёров — %d.", b->year, wins, prizes));
    const json_t *sc = json_object_get(json_object_get(out, "olympiads"), "schools");
    if (!json_array_size(sc))
        return;
    doc_table *u =
        doc_table_new(b->d, tx(b, "Школы с победителями и призёрами олимпиады, %d год", b->year), 4,
                      "Олимп. школы");
    doc_table_col(u, 0, DOC_TEXT, 1.2, 0);
    doc_table_col(u, 1, DOC_TEXT, 4, 0);
    doc_table_col(u, 2, DOC_INT, 1, 0);
    doc_table_col(u, 3, DOC_INT, 1, 0);
    const char *hu[] = {"Код", "Школа", "Победителей", "Призёров"};
    doc_table_header(u, hu);
    /* most winners and prize-winners first (a stable insertion sort of a copy) */
    json_t *sorted = json_array();
    json_array_foreach(sc, i, s)
    {
        double k = jnum(s, "winners") * 1000 + jnum(s, "prizewinners");
        size_t at = json_array_size(sorted);
        while (at > 0 && jnum(json_array_get(sorted, at - 1), "winners") * 1000 +
                                 jnum(json_array_get(sorted, at - 1), "prizewinners") <
                             k)
            at--;
        json_array_insert(sorted, at, (json_t *)s);
    }
    json_array_foreach(sorted, i, s)
    {
        doc_table_row(u, 0);
        doc_cell_text(u, js(json_object_get(s, "school"), "code"));
        doc_cell_text(u, js(json_object_get(s, "school"), "name"));
        doc_cell_num(u, jnum(s, "winners"));
        doc_cell_num(u, jnum(s, "prizewinners"));
    }
    json_decref(sorted);
}

/* seed 001 п. 5.1–5.5, seed 000 табл. 1 п. 4–5: where the 9th and 11th graders went. */
static void graduates(rb *b, const json_t *out, json_t *tasks)
{
    doc_section(b->d, 1, "Выпускники");
    const json_t *g9 = grads_of(out, 9), *g11 = grads_of(out, 11);
    if (jnum(g9, "total") + jnum(g11, "total") <= 0) {
        doc_para(b->d, NULL,
                 tx(b,
                    "Сведений о выпускниках %d года нет — загрузите их на странице «Импорт» "
                    "(шаблон «Выпускники»).",
                    b->year));
        return;
    }
    doc_table *t = doc_table_new(
        b->d,
        tx(b, "Выпускники 9 и 11 классов: аттестаты и продолжение образования, %d год", b->year), 5,
        "Выпускники");
    doc_table_col(t, 0, DOC_TEXT, 3, 0);
    doc_table_col(t, 1, DOC_INT, 1, 0);
    doc_table_col(t, 2, DOC_SHARE, 1, 1);
    doc_table_col(t, 3, DOC_INT, 1, 0);
    doc_table_col(t, 4, DOC_SHARE, 1, 1);
    const char *h1[] = {"", "9 класс", "", "11 класс", ""};
    const char *h2[] = {"Показатель", "Чел.", "Доля", "Чел.", "Доля"};
    doc_table_header(t, h1);
    doc_table_header(t, h2);
    const json_t *g[2] = {g9, g11};
    doc_table_row(t, 1);
    doc_cell_text(t, "Выпускников");
    for (int k = 0; k < 2; k++) {
        doc_cell_num(t, jnum(g[k], "total"));
        doc_cell_num(t, jnum(g[k], "total") > 0 ? 1.0 : NAN);
    }
    static const char *const rows[][2] = {{"attestat", "Получили аттестат"},
                                          {"medal", "Медалисты (9 класс — аттестат с отличием)"}};
    for (size_t r = 0; r < 2; r++) {
        doc_table_row(t, 0);
        doc_cell_text(t, rows[r][1]);
        for (int k = 0; k < 2; k++) {
            double n = jnum(g[k], rows[r][0]), tot = jnum(g[k], "total");
            doc_cell_num(t, n);
            doc_cell_num(t, tot > 0 ? n / tot : NAN);
        }
    }
    size_t nd = json_array_size(json_object_get(g9, "destinations"));
    for (size_t d = 0; d < nd; d++) {
        const json_t *d9 = json_array_get(json_object_get(g9, "destinations"), d);
        const json_t *d11 = json_array_get(json_object_get(g11, "destinations"), d);
        doc_table_row(t, 0);
        doc_cell_text(t, tx(b, "Продолжение: %s", js(d9, "name")));
        doc_cell_num(t, jnum(d9, "n"));
        doc_cell_num(t, jnum(g9, "total") > 0 ? jnum(d9, "share") : NAN);
        doc_cell_num(t, jnum(d11, "n"));
        doc_cell_num(t, jnum(g11, "total") > 0 ? jnum(d11, "share") : NAN);
        if (!strcmp(js(d9, "code"), "none") && jnum(d9, "n") + jnum(d11, "n") > 0)
            json_array_append_new(
                tasks,
                json_string(tx(b,
                               "Выпускники, которые не учатся и не работают (9 класс — "
                               "%d, 11 класс — %d): выяснить причины с каждой школой и "
                               "сопроводить их самоопределение ({mscoko_roadmap}, п. 5.1–5.5).",
                               (int)jnum(d9, "n"), (int)jnum(d11, "n"))));
    }
    doc_table_note(t, "Доли — от всех выпускников класса; «не указано» — направление в файле "
                      "выпускников не заполнено.");
}

/* The lists' schools by name («Школа № 3, Школа № 7»), or NULL when the list is empty. */
static char *list_names(rb *b, const char *list, int *n)
{
    json_t *l = NULL;
    msk_err e;
    *n = 0;
    if (view_list(b->v, &b->ctx, list, &l, &e))
        return NULL;
    msk_buf s;
    msk_buf_init(&s, 0);
    size_t i;
    const json_t *it;
    json_array_foreach(json_object_get(l, "items"), i, it)
    {
        msk_buf_printf(&s, "%s%s", i ? ", " : "", js(json_object_get(it, "school"), "name"));
        (*n)++;
    }
    json_decref(l);
    char *names = *n ? msk_buf_detach(&s, NULL) : NULL;
    msk_buf_release(&s);
    return names;
}

/* An item whose {act}s are cited as municipality.ini names them (base/muni.h). */
static void cited_item(rb *b, const char *text)
{
    msk_buf s;
    msk_buf_init(&s, 0);
    muni_cite(&s, text);
    doc_item(b->d, NULL, s.data);
    msk_buf_release(&s);
}

/* Tasks for the next year, each naming the finding and the schools it addresses. */
static void tasks_section(rb *b, const change *ch, size_t nch, json_t *tasks)
{
    doc_section(b->d, 2, tx(b, "Задачи на %d год", b->year + 1));
    static const struct {
        const char *list, *fmt;
    } lt[] = {{"shnor", "Продолжить адресную работу со школами с низкими образовательными "
                        "результатами (%d: %s): программы перехода в эффективный режим работы, "
                        "методическое сопровождение, контроль исполнения дорожных карт "
                        "({program}, п. 2.3; {mscoko_roadmap}, п. 3.1–3.8)."},
              {"risk", "Школам в зоне риска (%d: %s) — меры по факторам риска, названным в "
                       "разделе о зоне риска, и их мониторинг ({program}, п. 3.2)."},
              {"objectivity", "Обеспечить объективность процедур в школах с признаками "
                              "необъективности (%d: %s): независимые наблюдатели, перепроверка "
                              "работ, анализ признаков ({objectivity}, п. 2.1, 3.7, 4.2)."}};
    int any = 0;
    for (size_t k = 0; k < sizeof lt / sizeof *lt; k++) {
        int n = 0;
        char *names = list_names(b, lt[k].list, &n);
        if (names) {
            msk_buf s;
            msk_buf_init(&s, 0);
            msk_buf_printf(&s, lt[k].fmt, n, names);
            cited_item(b, s.data);
            msk_buf_release(&s);
            any = 1;
        }
        free(names);
    }
    for (size_t i = 0; i < nch; i++) {
        if (ch[i].d >= 0)
            continue;
        char a[32], z[32];
        fmt_pct(ch[i].from, 1, a, sizeof a);
        fmt_pct(ch[i].to, 1, z, sizeof z);
        cited_item(b,
                   tx(b,
                      "%s: успеваемость снизилась с %s до %s — провести поэлементный анализ "
                      "результатов и скорректировать планы методической работы ({mscoko_roadmap}, "
                      "п. 2.6, 2.10).",
                      ch[i].title, a, z));
        any = 1;
    }
    size_t i;
    const json_t *t;
    json_array_foreach(tasks, i, t)
    {
        cited_item(b, json_string_value(t));
        any = 1;
    }
    if (!any)
        doc_item(b->d, NULL,
                 "Данные года не выявили проблем, требующих новых управленческих решений: "
                 "сохранить действующий порядок мониторинга.");
}

/* Long: the доклад's sections in the order of seed 001 п. 1.20, each a call. */
int rb_doklad(rb *b, msk_err *err)
{
    json_t *dash = NULL, *schools = NULL, *fam = NULL, *part = NULL, *out = NULL, *pout = NULL;
    json_t *concl = json_array(), *tasks = json_array();
    int rc = -1;
    if (view_dashboard(b->v, &b->ctx, &dash, err) ||
        view_participation(b->v, &b->ctx, &part, err) ||
        view_schools(b->v, &b->ctx, &(view_filter){0}, &schools, err) ||
        view_outcomes(b->v, &b->ctx, &out, err) ||
        (b->prev && view_outcomes(b->prev, &b->ctx, &pout, err)))
        goto out;
    title(b);
    doc_contents(b->d);
    general(b, dash, out);

    doc_section(b->d, 1, "Результаты оценочных процедур");
    b->sub = 1;
    rb_participation(b, part);
    json_t *procs = rb_results(b, dash);
    rb_pass_fail(b, part);
    rb_ovz(b, part);
    doc_section(b->d, 2, "Динамика результатов");
    change ch[64];
    size_t nch = 0;
    fam = rb_dynamics(b, json_object_get(schools, "schools"), procs, ch, &nch, 64);
    b->sub = 0;

    doc_section(b->d, 1, "Школы с низкими образовательными результатами и зона риска");
    rb_list_section(b, "shnor", "Школы с низкими образовательными результатами (ШНОР)", 2, concl);
    rb_schools_figure(b, dash);
    rb_list_section(b, "risk", "Школы в зоне риска", 2, concl);
    rb_list_section(b, "objectivity", "Объективность оценочных процедур", 1, concl);
    rb_rating_section(b, 1);
    olympiads(b, out, pout);
    graduates(b, out, tasks);
    rb_indicators_section(b, dash, 1);
    /* the nine directions of МСОКО, each through its cycle (issue 15 item 5) */
    if (report_directions_section(b->d, b->v, b->s, &b->ctx, b->o->rules, 1, err))
        goto out;
    if (!rb_decisions_section(b, NULL)) {
        doc_section(b->d, 1, "Управленческие решения и их результат");
        doc_para(b->d, NULL,
                 tx(b,
                    "Управленческих решений по итогам анализа %d и %d годов не записано "
                    "(страница «Решения»).",
                    b->year - 1, b->year));
    }
    rb_plan_section(b, NULL);

    doc_section(b->d, 1, "Выводы и задачи на следующий год");
    b->sub = 1;
    rb_conclusions(b, ch, nch, concl);
    b->sub = 0;
    tasks_section(b, ch, nch, tasks);
    rc = 0;
out:
    json_decref(dash);
    json_decref(schools);
    json_decref(fam);
    json_decref(part);
    json_decref(out);
    json_decref(pout);
    json_decref(concl);
    json_decref(tasks);
    return rc;
}
