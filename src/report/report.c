/*
 * The analytical report (report.h): sections built from the view models. Every number comes
 * from a view model object as the web page gets it; this file only chooses, orders, words and
 * charts them. What the view models lack (municipal dynamics per procedure, who moved in or out
 * of a list) is computed here from the models themselves.
 */
#include "report/report.h"

#include "base/buf.h"
#include "base/fmt.h"
#include "base/mem.h"
#include "base/vocab.h"
#include "report/levels.h"
#include "store/plan.h"
#include "view/plan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rb {
    const view_year *v, *prev;
    store *s;
    const report_opts *o;
    view_ctx ctx;
    doc *d;
    int year;
    msk_buf t; /* scratch text */
} rb;

/* ---- JSON helpers ------------------------------------------------------------------------ */

static const char *js(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static double jnum(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *tx(rb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *tx(rb *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    msk_buf_reset(&b->t);
    msk_buf_vprintf(&b->t, fmt, ap);
    va_end(ap);
    return b->t.data;
}

/* The sentences of a finding's "text" (array or string) joined with spaces. */
static void join_text(const json_t *t, msk_buf *out)
{
    if (json_is_string(t)) {
        msk_buf_puts(out, json_string_value(t));
        return;
    }
    size_t i;
    const json_t *x;
    json_array_foreach(t, i, x)
    { /* one sentence a line */
        if (i)
            msk_buf_putc(out, '\n');
        msk_buf_puts(out, json_string_value(x) ? json_string_value(x) : "");
    }
}

static int shnor_like(const char *list)
{
    return !strcmp(list, "shnor") || !strcmp(list, "risk") || !strcmp(list, "objectivity");
}

/* ---- sections: procedures ---------------------------------------------------------------- */

static void marks_row(doc_table *t, const json_t *m)
{
    doc_cell_num(t, jnum(m, "participants"));
    doc_cell_num(t, jnum(m, "share2"));
    doc_cell_num(t, jnum(m, "share3"));
    doc_cell_num(t, jnum(m, "share4"));
    doc_cell_num(t, jnum(m, "share5"));
    doc_cell_num(t, jnum(m, "success"));
    doc_cell_num(t, jnum(m, "quality"));
}

static void marks_cols(doc_table *t, size_t first)
{
    doc_table_col(t, first, DOC_INT, 0, 0);
    for (size_t c = first + 1; c < first + 7; c++)
        doc_table_col(t, c, DOC_SHARE, 0, 1);
}

/* Soft hyphens (U+00AD) let narrow numeric columns break long header words where Russian
 * hyphenation would. */
#define SHY "\xC2\xAD"
static const char *const marks_hdr[] = {
    "Участ" SHY "ников", "«2»", "«3»", "«4»", "«5»", "Успева" SHY "емость", "Качест" SHY "во"};

/* The marks of a procedure entry: municipal ("marks") or the school's ("school"). */
static const json_t *proc_marks(const json_t *p)
{
    const json_t *m = json_object_get(p, "marks");
    return m ? m : json_object_get(p, "school");
}

/* One stacked-marks chart per kind (ВПР, ОГЭ …), procedures as rows. */
static void marks_figures(rb *b, const json_t *procs, const char *what)
{
    const char *kinds[16];
    size_t nk = 0, i;
    const json_t *p;
    json_array_foreach(procs, i, p)
    {
        const char *k = js(json_object_get(p, "proc"), "kind_name");
        size_t j = 0;
        while (j < nk && strcmp(kinds[j], k))
            j++;
        if (j == nk && nk < 16)
            kinds[nk++] = k;
    }
    for (size_t k = 0; k < nk; k++) {
        size_t rows = 0;
        json_array_foreach(procs, i, p) rows +=
            !strcmp(js(json_object_get(p, "proc"), "kind_name"), kinds[k]) &&
            isfinite(jnum(proc_marks(p), "share2"));
        if (rows < 2)
            continue;
        chart *c = chart_new(CHART_MARKS, tx(b, "%s: распределение отметок, %s", kinds[k], what));
        json_array_foreach(procs, i, p)
        {
            const json_t *pr = json_object_get(p, "proc");
            const json_t *m = proc_marks(p);
            if (strcmp(js(pr, "kind_name"), kinds[k]) || !isfinite(jnum(m, "share2")))
                continue;
            double sh[4] = {jnum(m, "share2"), jnum(m, "share3"), jnum(m, "share4"),
                            jnum(m, "share5")};
            /* the label without the kind: «математика, 5 класс» */
            const char *title = js(pr, "title");
            const char *comma = strstr(title, ", ");
            chart_marks(c, comma ? comma + 2 : title, sh);
        }
        doc_figure(b->d, c, tx(b, "%s: доли отметок «2»–«5», %s, %d год", kinds[k], what, b->year));
    }
}

/* Municipal points per procedure family over the years loaded: taken from the schools'
 * dynamics (each carries the municipal value beside the school's). */
static json_t *municipal_dynamics(rb *b, const json_t *schools)
{
    json_t *fam = json_object(); /* key → {"title", "points": {year: marks}} */
    size_t i;
    const json_t *sc;
    json_array_foreach(schools, i, sc)
    {
        json_t *sv = NULL;
        msk_err e;
        const char *code = js(sc, "code");
        if (!*code)
            code = js(json_object_get(sc, "school"), "code");
        if (view_school(b->v, &b->ctx, code, &sv, &e))
            continue;
        size_t j;
        const json_t *dy;
        json_array_foreach(json_object_get(sv, "dynamics"), j, dy)
        {
            const char *key = js(dy, "key");
            json_t *f = json_object_get(fam, key);
            if (!f) {
                f = json_pack("{s:s, s:o}", "title", js(dy, "title"), "points", json_object());
                json_object_set_new(fam, key, f);
            }
            size_t k;
            const json_t *pt;
            json_array_foreach(json_object_get(dy, "points"), k, pt)
            {
                char y[16];
                snprintf(y, sizeof y, "%d", (int)jnum(pt, "year"));
                json_t *pts = json_object_get(f, "points");
                if (!json_object_get(pts, y) && json_is_object(json_object_get(pt, "municipality")))
                    json_object_set(pts, y, json_object_get(pt, "municipality"));
            }
        }
        json_decref(sv);
    }
    return fam;
}

typedef struct change {
    char key[64], title[160];
    double from, to, d;
    int y0, y1;
} change;

/* Year columns of the dynamics table: the years loaded, oldest first. */
static void dynamics_section(rb *b, const json_t *fam, const json_t *procs, change *ch, size_t *nch,
                             size_t maxch)
{
    int years[8], ny = 0;
    for (int y = b->year - 3; y <= b->year; y++)
        years[ny++] = y;
    doc_table *t = doc_table_new(b->d,
                                 tx(b,
                                    "Успеваемость (доля отметок «3»–«5») по годам, "
                                    "муниципалитет, %d–%d",
                                    years[0], b->year),
                                 (size_t)ny + 2, "Динамика");
    doc_table_col(t, 0, DOC_TEXT, 0, 0);
    const char *hdr[10] = {"Процедура"};
    char ybuf[8][8];
    for (int k = 0; k < ny; k++) {
        snprintf(ybuf[k], sizeof ybuf[k], "%d", years[k]);
        hdr[k + 1] = ybuf[k];
        doc_table_col(t, (size_t)k + 1, DOC_SHARE, 0, 1);
    }
    hdr[ny + 1] = "Изменение за год";
    doc_table_col(t, (size_t)ny + 1, DOC_NUM, 0, 1);
    doc_table_header(t, hdr);
    *nch = 0;
    /* in the order of the year's procedures (as the first table), then any older ones */
    json_t *order = json_array();
    size_t pi;
    const json_t *pp;
    json_array_foreach(procs, pi, pp)
    {
        const char *k = js(json_object_get(pp, "proc"), "key");
        if (json_object_get(fam, k))
            json_array_append_new(order, json_string(k));
    }
    const char *fk;
    json_t *fv;
    json_object_foreach((json_t *)fam, fk, fv)
    {
        int seen = 0;
        json_array_foreach(order, pi, pp) seen |= !strcmp(json_string_value(pp), fk);
        if (!seen)
            json_array_append_new(order, json_string(fk));
    }
    json_array_foreach(order, pi, pp)
    {
        const char *key = json_string_value(pp);
        json_t *f = json_object_get(fam, key);
        json_t *pts = json_object_get(f, "points");
        doc_table_row(t, 0);
        doc_cell_text(t, js(f, "title"));
        double last = NAN, before = NAN;
        for (int k = 0; k < ny; k++) {
            char y[16];
            snprintf(y, sizeof y, "%d", years[k]);
            double v = jnum(json_object_get(pts, y), "success");
            doc_cell_num(t, v);
            if (years[k] == b->year)
                last = v;
            if (years[k] == b->year - 1)
                before = v;
        }
        double d = last - before;
        doc_cell_num(t, isfinite(d) ? d * 100 : NAN);
        if (isfinite(d) && fabs(d) > b->o->margin && *nch < maxch) {
            change *c = &ch[(*nch)++];
            snprintf(c->key, sizeof c->key, "%s", key);
            snprintf(c->title, sizeof c->title, "%s", js(f, "title"));
            c->from = before, c->to = last, c->d = d, c->y0 = b->year - 1, c->y1 = b->year;
        }
    }
    json_decref(order);
    doc_table_note(t, "Изменение за год — в процентных пунктах (п. п.).");
}

/* ---- lists ------------------------------------------------------------------------------- */

/* A sheet name of the workbook (31 characters at most): the brief wording. */
static const char *list_name(const char *list)
{
    return vocab_brief(VOCAB_METHOD, list);
}

/* Codes of the schools on a list of a view year (NULL when v is NULL). */
static json_t *list_codes(const view_year *v, const view_ctx *c, const char *list)
{
    if (!v)
        return NULL;
    json_t *l = NULL;
    msk_err e;
    if (view_list(v, c, list, &l, &e))
        return NULL;
    json_t *codes = json_object();
    size_t i;
    const json_t *it;
    json_array_foreach(json_object_get(l, "items"), i, it)
    {
        const json_t *sc = json_object_get(it, "school");
        json_object_set_new(codes, js(sc, "code"), json_string(js(sc, "name")));
    }
    json_decref(l);
    return codes;
}

static void list_section(rb *b, const char *list, const char *heading, json_t *concl)
{
    json_t *l = NULL;
    msk_err e;
    doc_section(b->d, 1, heading);
    if (view_list(b->v, &b->ctx, list, &l, &e)) {
        doc_para(b->d, NULL, e.msg);
        return;
    }
    int n = (int)jnum(l, "count");
    doc_para(b->d, NULL, js(l, "title"));
    if (!strcmp(list, "objectivity") && isfinite(jnum(l, "index"))) {
        char v[32];
        fmt_num(jnum(l, "index"), 1, v, sizeof v);
        doc_para(b->d, NULL,
                 tx(b,
                    "Индекс объективности муниципалитета (100 − доля школ с "
                    "признаками необъективности): %s.",
                    v));
    }
    if (n > 0) {
        doc_table *t = doc_table_new(
            b->d, tx(b, "Перечень «%s», %d год: школы и основания", list_name(list), b->year), 4,
            list_name(list));
        doc_table_col(t, 0, DOC_INT, 0.5, 0);
        doc_table_col(t, 1, DOC_TEXT, 1.3, 0);
        doc_table_col(t, 2, DOC_TEXT, 1.8, 0);
        doc_table_col(t, 3, DOC_TEXT, 7.5, 0);
        const char *h[] = {"№", "Код", "Школа", "Основание"};
        doc_table_header(t, h);
        size_t i;
        const json_t *it;
        msk_buf why;
        msk_buf_init(&why, 0);
        json_array_foreach(json_object_get(l, "items"), i, it)
        {
            const json_t *sc = json_object_get(it, "school");
            doc_table_row(t, 0);
            doc_cell_num(t, (double)(i + 1));
            doc_cell_text(t, js(sc, "code"));
            doc_cell_text(t, js(sc, "name"));
            msk_buf_reset(&why);
            join_text(json_object_get(it, "text"), &why);
            doc_cell_text(t, why.data);
        }
        msk_buf_release(&why);
    }
    /* who moved in or out against the year before */
    json_t *now = list_codes(b->v, &b->ctx, list), *before = list_codes(b->prev, &b->ctx, list);
    if (now && before) {
        msk_buf in, out;
        msk_buf_init(&in, 0);
        msk_buf_init(&out, 0);
        const char *code;
        json_t *name;
        int nin = 0, nout = 0;
        json_object_foreach(now, code, name) if (!json_object_get(before, code))
            msk_buf_printf(&in, "%s%s", nin++ ? ", " : "", json_string_value(name));
        json_object_foreach(before, code, name) if (!json_object_get(now, code))
            msk_buf_printf(&out, "%s%s", nout++ ? ", " : "", json_string_value(name));
        msk_buf s;
        msk_buf_init(&s, 0);
        msk_buf_printf(&s, "Список «%s» в сравнении с %d годом: ", list_name(list), b->year - 1);
        if (!nin && !nout)
            msk_buf_puts(&s, "состав не изменился.");
        if (nin)
            msk_buf_printf(&s, "вошли %d (%s)%s", nin, in.data, nout ? "; " : ".");
        if (nout)
            msk_buf_printf(&s, "вышли %d (%s).", nout, out.data);
        doc_para(b->d, NULL, s.data);
        json_array_append_new(concl, json_string(s.data));
        msk_buf_release(&s);
        msk_buf_release(&in);
        msk_buf_release(&out);
    } else if (now) {
        doc_para(b->d, NULL,
                 tx(b,
                    "Сравнение с %d годом невозможно: за него нет сохранённого "
                    "анализа (выполните msoko analyze --year %d).",
                    b->year - 1, b->year - 1));
    }
    json_decref(now);
    json_decref(before);
    json_decref(l);
}

static void rating_section(rb *b)
{
    json_t *l = NULL;
    msk_err e;
    doc_section(b->d, 1, "Рейтинг общеобразовательных организаций");
    if (view_list(b->v, &b->ctx, "rating", &l, &e)) {
        doc_para(b->d, NULL, e.msg);
        return;
    }
    doc_para(b->d, NULL, js(l, "title"));
    doc_table *t = doc_table_new(
        b->d, tx(b, "Рейтинг общеобразовательных организаций, %d год", b->year), 4, "Рейтинг");
    doc_table_col(t, 0, DOC_INT, 0.9, 0);
    doc_table_col(t, 1, DOC_TEXT, 1.4, 0);
    doc_table_col(t, 2, DOC_TEXT, 5, 0);
    doc_table_col(t, 3, DOC_NUM, 1, 0);
    const char *h[] = {"Место", "Код", "Школа", "Баллы"};
    doc_table_header(t, h);
    size_t i, n = json_array_size(json_object_get(l, "items"));
    const json_t *it;
    chart *c = chart_new(CHART_BARS, "");
    chart_set_unit(c, CHART_NUMBER, 0);
    chart_set_axes(c, "Баллы рейтинга", NULL);
    json_array_foreach(json_object_get(l, "items"), i, it)
    {
        const json_t *ev = json_object_get(it, "evidence");
        doc_table_row(t, 0);
        doc_cell_num(t, jnum(ev, "rank"));
        doc_cell_text(t, js(json_object_get(it, "school"), "code"));
        doc_cell_text(t, js(json_object_get(it, "school"), "name"));
        doc_cell_num(t, jnum(ev, "points"));
        if (i < 10 || i + 10 >= n) /* the top and the bottom ten */
            chart_bar(c, js(json_object_get(it, "school"), "name"), jnum(ev, "points"),
                      i + 10 >= n);
    }
    if (n >= 2)
        doc_figure(b->d, c,
                   n > 20 ? "Баллы рейтинга: десять первых и десять последних школ"
                          : "Баллы рейтинга школ");
    else
        chart_free(c);
    json_decref(l);
}

static void indicators_section(rb *b, const json_t *dash)
{
    doc_section(b->d, 1, "Показатели мониторинга");
    const json_t *ind = json_object_get(dash, "indicators");
    if (!json_array_size(ind)) {
        doc_para(b->d, NULL, "Показатели мониторинга за год не рассчитаны.");
        return;
    }
    doc_table *t = doc_table_new(b->d, tx(b, "Показатели мониторинга МСОКО, %d год", b->year), 2,
                                 "Показатели");
    doc_table_col(t, 0, DOC_TEXT, 0, 0);
    doc_table_col(t, 1, DOC_TEXT, 0, 0);
    const char *h[] = {"Показатель", "Значение"};
    doc_table_header(t, h);
    size_t i;
    const json_t *it;
    json_array_foreach(ind, i, it)
    {
        char v[64];
        double x = jnum(it, "value");
        if (!strcmp(js(it, "unit"), "share"))
            fmt_pct(x, 1, v, sizeof v);
        else
            fmt_num(x, fabs(x - round(x)) < 1e-9 ? 0 : 1, v, sizeof v);
        doc_table_row(t, 0);
        doc_cell_text(t, js(it, "name"));
        doc_cell_text(t, v);
    }
    json_array_foreach(ind, i, it) if (*js(it, "text")) doc_item(b->d, NULL, js(it, "text"));
}

/* ---- roadmap ----------------------------------------------------------------------------- */

/* The roadmap's rows as the web and `msoko plan list --json` have them (src/view/plan.c). */
int report_plan_load(store *s, int year, json_t **out, msk_err *err)
{
    char today[11];
    store_plan_today(today);
    return view_plan_year(s, year, today, out, err);
}

static void plan_section(rb *b, const char *school)
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
            char due[32];
            fmt_date(js(r, "due_on"), due, sizeof due);
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

/* ---- conclusions ------------------------------------------------------------------------- */

static void change_sentence(msk_buf *s, const change *c)
{
    char a[32], z[32], d[48];
    fmt_pct(c->from, 1, a, sizeof a);
    fmt_pct(c->to, 1, z, sizeof z);
    fmt_pp(c->d, 1, d, sizeof d);
    msk_buf_printf(s, "%s: успеваемость %s с %s в %d году до %s в %d году (%s).", c->title,
                   c->d < 0 ? "снизилась" : "выросла", a, c->y0, z, c->y1, d);
}

static void conclusions(rb *b, const change *ch, size_t nch, const json_t *concl)
{
    doc_section(b->d, 1, "Выводы");
    char m[48];
    fmt_pp(b->o->margin, 1, m, sizeof m);
    if (!nch)
        doc_item(b->d, NULL,
                 tx(b,
                    "Ни по одной процедуре успеваемость не изменилась за год "
                    "больше чем на %s.",
                    m + (m[0] == '+')));
    msk_buf s;
    msk_buf_init(&s, 0);
    for (size_t i = 0; i < nch; i++) {
        msk_buf_reset(&s);
        change_sentence(&s, &ch[i]);
        doc_item(b->d, ch[i].d < 0 ? "Снижение." : "Рост.", s.data);
    }
    msk_buf_release(&s);
    size_t i;
    const json_t *x;
    json_array_foreach(concl, i, x) doc_item(b->d, NULL, json_string_value(x));
}

/* ---- the municipal report ---------------------------------------------------------------- */

static void title(rb *b, const char *subtitle)
{
    char sy[32], date[16], today[11];
    fmt_school_year(b->year, sy, sizeof sy);
    if (!b->o->date) {
        store_plan_today(today);
        fmt_date(today, date, sizeof date);
    }
    doc_title_page(
        b->d, b->o->department ? b->o->department : "Муниципальный орган управления образованием",
        tx(b,
           "Аналитическая справка по результатам оценочных процедур %s учебного "
           "года",
           sy),
        subtitle, b->o->place ? b->o->place : "Муниципальное образование",
        b->o->date ? b->o->date : date);
}

static void about_analysis(rb *b, const json_t *dash)
{
    const json_t *an = json_object_get(dash, "analysis");
    char d[32];
    if (json_is_object(an)) {
        fmt_date(js(an, "run_at"), d, sizeof d);
        doc_para(b->d, NULL,
                 tx(b,
                    "Выводы о школах получены анализом от %s по методикам, "
                    "записанным в базе вместе с их контрольными суммами.",
                    d));
    }
    if (b->o->ran_analysis)
        doc_para(b->d, "Примечание.",
                 tx(b,
                    "Сохранённого анализа за %d год не было: анализ "
                    "выполнен при подготовке этой справки и сохранён.",
                    b->year));
}

static int municipal(rb *b, msk_err *err)
{
    json_t *dash = NULL, *schools = NULL, *fam = NULL, *concl = json_array();
    int rc = -1;
    if (view_dashboard(b->v, &b->ctx, &dash, err) ||
        view_schools(b->v, &b->ctx, &(view_filter){0}, &schools, err))
        goto out;
    title(b, NULL);
    const json_t *cnt = json_object_get(dash, "counts");
    char sy[32], n1[32], n2[32];
    fmt_school_year(b->year, sy, sizeof sy);
    doc_section(b->d, 1, "Общие сведения");
    long long ns = (long long)jnum(cnt, "schools"), np = (long long)jnum(cnt, "participants");
    fmt_int(ns, n1, sizeof n1);
    fmt_int(np, n2, sizeof n2);
    doc_para(
        b->d, NULL,
        tx(b,
           "Справка подготовлена по итогам оценочных процедур %s учебного "
           "года (seed 001 п. 1.17, 1.20). В процедурах участвовали %s %s, "
           "%s %s; проведено %d %s.",
           sy, n1, fmt_plural(ns, "школа", "школы", "школ"), n2,
           fmt_plural(np, "участник", "участника", "участников"), (int)jnum(cnt, "procedures"),
           fmt_plural((long long)jnum(cnt, "procedures"), "процедура", "процедуры", "процедур")));
    about_analysis(b, dash);
    const json_t *lists = json_object_get(dash, "lists");
    doc_para(b->d, NULL,
             tx(b,
                "По итогам анализа: школ с низкими образовательными результатами "
                "(ШНОР) — %d, школ в зоне риска — %d, школ с признаками "
                "необъективности результатов — %d.",
                (int)jnum(json_object_get(lists, "shnor"), "count"),
                (int)jnum(json_object_get(lists, "risk"), "count"),
                (int)jnum(json_object_get(lists, "objectivity"), "count")));

    doc_section(b->d, 1, "Участие и результаты оценочных процедур");
    const json_t *procs = json_object_get(dash, "procedures");
    doc_table *t = doc_table_new(b->d,
                                 tx(b,
                                    "Участие и результаты оценочных процедур, "
                                    "муниципалитет, %d год",
                                    b->year),
                                 9, "Процедуры");
    doc_table_col(t, 0, DOC_TEXT, 0, 0);
    marks_cols(t, 1);
    doc_table_col(t, 8, DOC_NUM, 0, 1);
    const char *h[9] = {"Процедура"};
    memcpy(h + 1, marks_hdr, sizeof marks_hdr);
    h[8] = "Средний балл";
    doc_table_header(t, h);
    size_t i;
    const json_t *p;
    json_array_foreach(procs, i, p)
    {
        doc_table_row(t, 0);
        const json_t *m = json_object_get(p, "marks");
        doc_cell_text(t, js(json_object_get(p, "proc"), "title"));
        marks_row(t, m);
        /* ЕГЭ has test scores, not marks: its mean test score; others the primary score */
        doc_cell_num(t, isfinite(jnum(m, "mean_test")) ? jnum(m, "mean_test")
                                                       : jnum(m, "mean_primary"));
    }
    doc_table_note(t, "Успеваемость — доля отметок «3»–«5», качество — доля «4» и «5»; "
                      "средний балл — тестовый для ЕГЭ, первичный для остальных процедур.");
    marks_figures(b, procs, "муниципалитет");
    report_levels_muni(b->d, b->v, &b->ctx); /* region and RF beside (report/levels.c) */

    doc_section(b->d, 1, "Динамика результатов");
    fam = municipal_dynamics(b, json_object_get(schools, "schools"));
    change ch[64];
    size_t nch = 0;
    dynamics_section(b, fam, procs, ch, &nch, 64);
    /* the largest change drawn as a line over the years */
    size_t best = SIZE_MAX;
    for (size_t k = 0; k < nch; k++)
        if (best == SIZE_MAX || fabs(ch[k].d) > fabs(ch[best].d))
            best = k;
    if (best != SIZE_MAX) {
        const json_t *f = json_object_get(fam, ch[best].key);
        char a[32], z[32];
        fmt_pct(ch[best].from, 1, a, sizeof a);
        fmt_pct(ch[best].to, 1, z, sizeof z);
        chart *c = chart_new(CHART_LINES, "");
        chart_set_axes(c, "Год", "Успеваемость, %");
        double vals[4];
        for (int k = 0; k < 4; k++) {
            char y[16];
            snprintf(y, sizeof y, "%d", b->year - 3 + k);
            chart_x(c, y);
            vals[k] = jnum(json_object_get(json_object_get(f, "points"), y), "success");
        }
        chart_line(c, "Муниципалитет", vals, 4, 0);
        doc_figure(b->d, c,
                   tx(b, "%s: успеваемость %s с %s до %s", ch[best].title,
                      ch[best].d < 0 ? "снизилась" : "выросла", a, z));
    }

    list_section(b, "shnor", "Школы с низкими образовательными результатами (ШНОР)", concl);
    list_section(b, "risk", "Школы в зоне риска", concl);
    list_section(b, "objectivity", "Школы с признаками необъективности результатов", concl);
    rating_section(b);
    indicators_section(b, dash);
    plan_section(b, NULL);
    conclusions(b, ch, nch, concl);
    rc = 0;
out:
    json_decref(dash);
    json_decref(schools);
    json_decref(fam);
    json_decref(concl);
    return rc;
}

/* ---- the school report ------------------------------------------------------------------- */

static void school_histogram(rb *b, const char *code, const json_t *procs)
{
    /* the first ВПР by mathematics, else the first procedure with a scale */
    const json_t *pick = NULL;
    size_t i;
    const json_t *p;
    json_array_foreach(procs, i, p)
    {
        const json_t *pr = json_object_get(p, "proc");
        if (!strcmp(js(pr, "kind"), "VPR") && !strcmp(js(pr, "subject"), "math")) {
            pick = pr;
            break;
        }
    }
    if (!pick && json_array_size(procs))
        pick = json_object_get(json_array_get(procs, 0), "proc");
    if (!pick)
        return;
    const char *key = js(pick, "key");
    const int *hm = NULL, *hs = NULL;
    size_t n = 0;
    double cuts[3] = {NAN, NAN, NAN};
    /* counted once when the year was loaded (view_histogram), for one school or all 2,000 */
    if (view_histogram(b->v, key, code, &hm, &hs, &n, cuts) || !hs)
        return;
    double *s = msk_calloc(n ? n : 1, sizeof *s), *m = msk_calloc(n ? n : 1, sizeof *m), ts = 0,
           tm = 0;
    for (size_t k = 0; hm && hs && k < n; k++) {
        s[k] = hs[k];
        m[k] = hm[k];
        ts += s[k];
        tm += m[k];
    }
    if (n >= 2 && s && m && ts > 0 && tm > 0) {
        for (size_t k = 0; k < n; k++)
            s[k] /= ts, m[k] /= tm;
        chart *c = chart_new(CHART_HIST, "");
        chart_set_axes(c, "Первичный балл", "Доля участников, %");
        chart_hist_series(c, "Школа", s, n);
        chart_hist_series(c, "Муниципалитет", m, n);
        static const char *const labels[] = {"«3»", "«4»", "«5»"};
        for (int k = 0; k < 3; k++)
            if (isfinite(cuts[k]))
                chart_hist_cut(c, cuts[k], labels[k]);
        doc_figure(b->d, c,
                   tx(b,
                      "%s: распределение первичных баллов, школа и муниципалитет, "
                      "%d год",
                      js(pick, "title"), b->year));
    }
    free(s);
    free(m);
}

static int school_report(rb *b, const char *code, msk_err *err)
{
    json_t *sv = NULL, *dash = NULL, *concl = json_array(), *recs = json_array();
    int rc = view_school(b->v, &b->ctx, code, &sv, err);
    if (rc)
        goto out;
    rc = -1;
    if (b->o->dashboard)
        dash = json_incref((json_t *)b->o->dashboard);
    else if (view_dashboard(b->v, &b->ctx, &dash, err))
        goto out;
    const json_t *sc = json_object_get(sv, "school");
    char sub[512];
    snprintf(sub, sizeof sub, "%s (%s)", js(sc, "name"), js(sc, "code"));
    title(b, sub);
    doc_section(b->d, 1, "Общие сведения о школе");
    msk_buf s;
    msk_buf_init(&s, 0);
    msk_buf_printf(&s, "%s — %s, %s.", js(sc, "name"), js(sc, "type_name"),
                   js(sc, "locality_name"));
    const json_t *rt = json_object_get(sv, "rating");
    if (json_is_object(rt)) {
        char pts[32];
        fmt_num(jnum(rt, "points"), fmod(jnum(rt, "points"), 1) ? 1 : 0, pts, sizeof pts);
        msk_buf_printf(&s, " Место в рейтинге: %d из %d (%s %s).", (int)jnum(rt, "rank"),
                       (int)jnum(rt, "of"), pts,
                       fmt_plural((long long)jnum(rt, "points"), "балл", "балла", "баллов"));
    }
    size_t i;
    const json_t *x;
    static const char *const badge_names[][2] = {
        {"shnor", "в перечне ШНОР"},
        {"risk", "в зоне риска"},
        {"objectivity", "с признаками необъективности результатов"}};
    int nb = 0;
    json_array_foreach(json_object_get(sv, "badges"), i, x)
    {
        for (size_t k = 0; k < 3; k++)
            if (!strcmp(json_string_value(x) ?: "", badge_names[k][0]))
                msk_buf_printf(&s, "%s%s", nb++ ? ", " : " Школа ", badge_names[k][1]);
    }
    msk_buf_puts(&s, nb ? "." : " Школа не входит ни в один из списков года.");
    doc_para(b->d, NULL, s.data);
    msk_buf_release(&s);
    about_analysis(b, dash);
    const json_t *ctxs = json_object_get(sv, "context");
    if (json_array_size(ctxs)) {
        doc_table *t = doc_table_new(b->d, tx(b, "Контекстные показатели школы, %d год", b->year),
                                     2, "Контекст");
        doc_table_col(t, 0, DOC_TEXT, 0, 0);
        doc_table_col(t, 1, DOC_TEXT, 0, 0);
        const char *h[] = {"Показатель", "Значение"};
        doc_table_header(t, h);
        json_array_foreach(ctxs, i, x)
        {
            char v[48];
            double val = jnum(x, "value");
            fmt_num(val, fabs(val - round(val)) < 1e-9 ? 0 : 1, v, sizeof v);
            doc_table_row(t, 0);
            doc_cell_text(t, js(x, "name"));
            doc_cell_text(t, tx(b, "%s%s%s", v, *js(x, "unit") ? " " : "", js(x, "unit")));
        }
    }

    doc_section(b->d, 1, "Результаты оценочных процедур в сравнении с муниципалитетом");
    const json_t *procs = json_object_get(sv, "procedures");
    doc_table *t = doc_table_new(b->d, tx(b, "Результаты школы и муниципалитета, %d год", b->year),
                                 8, "Результаты");
    doc_table_col(t, 0, DOC_TEXT, 3.4, 0);
    doc_table_col(t, 1, DOC_INT, 1.1, 0);
    for (size_t c = 2; c < 6; c++)
        doc_table_col(t, c, DOC_SHARE, 1.25, 1);
    doc_table_col(t, 6, DOC_NUM, 1.2, 1);
    doc_table_col(t, 7, DOC_NUM, 1.2, 1);
    const char *h1[] = {"Процедура",
                        "Участ" SHY "ников",
                        "Успева" SHY "емость, школа",
                        "Успева" SHY "емость, МО",
                        "Качество, школа",
                        "Качество, МО",
                        "Разница успева" SHY "емости",
                        "Разница качества"};
    doc_table_header(t, h1);
    doc_table_note(t, "МО — муниципальное образование (все школы); разница — в процентных "
                      "пунктах (п. п.), школа минус МО.");
    json_array_foreach(procs, i, x)
    {
        const json_t *ms = json_object_get(x, "school"), *mm = json_object_get(x, "municipality");
        doc_table_row(t, 0);
        doc_cell_text(t, js(json_object_get(x, "proc"), "title"));
        doc_cell_num(t, jnum(ms, "participants"));
        doc_cell_num(t, jnum(ms, "success"));
        doc_cell_num(t, jnum(mm, "success"));
        doc_cell_num(t, jnum(ms, "quality"));
        doc_cell_num(t, jnum(mm, "quality"));
        doc_cell_num(t, jnum(x, "diff_success") * 100);
        doc_cell_num(t, jnum(x, "diff_quality") * 100);
    }
    report_levels_table(b->d, procs, b->year); /* region and RF beside (report/levels.c) */
    marks_figures(b, procs, "школа");
    school_histogram(b, code, procs);

    doc_section(b->d, 1, "Динамика результатов школы");
    change ch[64];
    size_t nch = 0;
    const json_t *dyn = json_object_get(sv, "dynamics");
    doc_table *dt = doc_table_new(b->d,
                                  tx(b,
                                     "Успеваемость школы и муниципалитета по годам, "
                                     "%d–%d",
                                     b->year - 3, b->year),
                                  9, "Динамика");
    doc_table_col(dt, 0, DOC_TEXT, 3.2, 0);
    for (size_t c = 1; c < 9; c++)
        doc_table_col(dt, c, DOC_SHARE, 1, 1);
    char yh[4][16];
    const char *h2[9] = {"Процедура"};
    const char *h3[9] = {""};
    for (int k = 0; k < 4; k++) {
        snprintf(yh[k], sizeof yh[k], "%d", b->year - 3 + k);
        h2[1 + 2 * k] = yh[k];
        h2[2 + 2 * k] = yh[k];
        h3[1 + 2 * k] = "школа";
        h3[2 + 2 * k] = "МО";
    }
    doc_table_header(dt, h2);
    doc_table_header(dt, h3);
    doc_table_note(dt, "МО — муниципальное образование (все школы).");
    json_array_foreach(dyn, i, x)
    {
        double sv_[4] = {NAN, NAN, NAN, NAN}, mv[4] = {NAN, NAN, NAN, NAN};
        size_t k;
        const json_t *pt;
        json_array_foreach(json_object_get(x, "points"), k, pt)
        {
            int y = (int)jnum(pt, "year") - (b->year - 3);
            if (y >= 0 && y < 4) {
                sv_[y] = jnum(json_object_get(pt, "school"), "success");
                mv[y] = jnum(json_object_get(pt, "municipality"), "success");
            }
        }
        doc_table_row(dt, 0);
        doc_cell_text(dt, js(x, "title"));
        for (int y = 0; y < 4; y++) {
            doc_cell_num(dt, sv_[y]);
            doc_cell_num(dt, mv[y]);
        }
        double d = sv_[3] - sv_[2];
        if (isfinite(d) && fabs(d) > b->o->margin && nch < 64) {
            change *c = &ch[nch++];
            snprintf(c->key, sizeof c->key, "%s", js(x, "key"));
            snprintf(c->title, sizeof c->title, "%s", js(x, "title"));
            c->from = sv_[2], c->to = sv_[3], c->d = d, c->y0 = b->year - 1, c->y1 = b->year;
        }
    }
    size_t best = SIZE_MAX;
    for (size_t k = 0; k < nch; k++)
        if (best == SIZE_MAX || fabs(ch[k].d) > fabs(ch[best].d))
            best = k;
    json_array_foreach(dyn, i, x)
    {
        if (best == SIZE_MAX || strcmp(js(x, "key"), ch[best].key))
            continue;
        chart *c = chart_new(CHART_LINES, "");
        chart_set_axes(c, "Год", "Успеваемость, %");
        double sv_[4] = {NAN, NAN, NAN, NAN}, mv[4] = {NAN, NAN, NAN, NAN};
        size_t k;
        const json_t *pt;
        json_array_foreach(json_object_get(x, "points"), k, pt)
        {
            int y = (int)jnum(pt, "year") - (b->year - 3);
            if (y >= 0 && y < 4) {
                sv_[y] = jnum(json_object_get(pt, "school"), "success");
                mv[y] = jnum(json_object_get(pt, "municipality"), "success");
            }
        }
        for (int y = 0; y < 4; y++)
            chart_x(c, yh[y]);
        chart_line(c, "Школа", sv_, 4, 0);
        chart_line(c, "Муниципалитет", mv, 4, 1);
        char a[32], z[32];
        fmt_pct(ch[best].from, 1, a, sizeof a);
        fmt_pct(ch[best].to, 1, z, sizeof z);
        doc_figure(b->d, c,
                   tx(b, "%s: успеваемость школы %s с %s до %s", ch[best].title,
                      ch[best].d < 0 ? "снизилась" : "выросла", a, z));
        break;
    }

    doc_section(b->d, 1, "Выявленные признаки и основания");
    const json_t *fs = json_object_get(sv, "findings");
    if (!json_array_size(fs))
        doc_para(b->d, NULL,
                 "Школа не входит в перечни ШНОР, зоны риска и школ с признаками "
                 "необъективности результатов.");
    json_array_foreach(fs, i, x)
    {
        const char *m = js(x, "method");
        msk_buf w;
        msk_buf_init(&w, 0);
        join_text(json_object_get(x, "text"), &w);
        doc_item(b->d, tx(b, "%s.", shnor_like(m) ? list_name(m) : m), w.data);
        msk_buf_release(&w);
    }
    plan_section(b, code);

    doc_section(b->d, 1, "Адресные рекомендации");
    rec_match(b->o->rules, sv, recs);
    if (!json_array_size(recs))
        doc_para(b->d, NULL, "Выявленных оснований для адресных рекомендаций нет.");
    else
        doc_para(b->d, NULL,
                 tx(b,
                    "Рекомендации адресованы школе «%s» (%s) по результатам "
                    "анализа %d года (seed 001 п. 1.17, 3.4); каждая называет "
                    "основание и документ.",
                    js(sc, "name"), js(sc, "code"), b->year));
    json_array_foreach(recs, i, x)
    {
        doc_item(b->d, tx(b, "%zu.", i + 1), js(x, "text"));
        doc_para(b->d, "Основание:",
                 tx(b, "%s %s (%s).", js(x, "reason"), js(x, "finding"), js(x, "act")));
    }
    conclusions(b, ch, nch, concl);
    rc = 0;
out:
    json_decref(sv);
    json_decref(dash);
    json_decref(concl);
    json_decref(recs);
    return rc;
}

int report_has_analysis(const view_year *v, msk_err *err)
{
    view_ctx c = {.role = VIEW_ANALYST};
    json_t *dash = NULL;
    if (view_dashboard(v, &c, &dash, err))
        return -1;
    int has = json_is_object(json_object_get(dash, "analysis"));
    json_decref(dash);
    return has;
}

int report_build(const view_year *v, const view_year *prev, store *s, const char *school,
                 const report_opts *o, doc **out, msk_err *err)
{
    rb b = {.v = v, .prev = prev, .s = s, .o = o, .year = view_year_of(v)};
    b.ctx.role = VIEW_ANALYST;
    msk_buf_init(&b.t, 0);
    b.d = doc_new();
    int rc = school ? school_report(&b, school, err) : municipal(&b, err);
    msk_buf_release(&b.t);
    if (rc) {
        doc_free(b.d);
        return rc;
    }
    *out = b.d;
    return 0;
}
