/*
 * The municipal report: procedures (marks, dynamics), the lists of the year, the rating, the
 * indicators, then the roadmap and the conclusions (report.c, report_plan.c).
 */
#include "report/report_internal.h"
#include "report/flag_chart.h"

#include "report/levels.h"

/* the figure of the schools against the ШНОР threshold fits an A4 page with this many bars */
enum { MUNICIPAL_SCHOOLS_ROWS = 20 };

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

static const char *const marks_hdr[] = {
    "Участ" SHY "ников", "«2»", "«3»", "«4»", "«5»", "Успева" SHY "емость", "Качест" SHY "во"};

/* The marks of a procedure entry: municipal ("marks") or the school's ("school"). */
static const json_t *proc_marks(const json_t *p)
{
    const json_t *m = json_object_get(p, "marks");
    return m ? m : json_object_get(p, "school");
}

/* One stacked-marks chart per kind (ВПР, ОГЭ …), procedures as rows. */
void rb_marks_figures(rb *b, const json_t *procs, const char *what)
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
const char *rb_list_name(const char *list)
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

/* The first string found at evidence path a/b/c (c NULL: a/b) among the items of a list, or
 * NULL: the methods write their reading of the act into every item's evidence. */
static const char *reading(const json_t *l, const char *a, const char *bk, const char *c)
{
    size_t i;
    const json_t *it;
    json_array_foreach(json_object_get(l, "items"), i, it)
    {
        const json_t *x = json_object_get(json_object_get(it, "evidence"), a);
        x = json_object_get(x, bk);
        if (c)
            x = json_object_get(x, c);
        if (json_is_string(x))
            return json_string_value(x);
        if (json_is_boolean(x))
            return json_is_true(x) ? "true" : "false";
    }
    return NULL;
}

/* The procedures of risk condition 4 as the first item's evidence lists them: «математика и
 * русский язык, 4 и 8 классы» for the act's four works. */
static void risk_procedures(const json_t *l, msk_buf *out)
{
    const json_t *vpr = NULL;
    size_t i, k;
    const json_t *it, *p;
    json_array_foreach(json_object_get(l, "items"), i, it)
    {
        vpr = json_object_get(json_object_get(json_object_get(it, "evidence"), "evidence"),
                              "vpr_fail");
        if (json_array_size(vpr))
            break;
    }
    json_t *subj = json_array(), *grades = json_array();
    json_array_foreach(vpr, k, p)
    {
        const char *sub = vocab_lower(VOCAB_SUBJECT, js(p, "subject"));
        json_t *g = json_object_get(p, "grade");
        int seen = 0;
        for (size_t j = 0; j < json_array_size(subj); j++)
            seen |= !strcmp(json_string_value(json_array_get(subj, j)), sub);
        if (!seen)
            json_array_append_new(subj, json_string(sub));
        seen = 0;
        for (size_t j = 0; j < json_array_size(grades); j++)
            seen |= json_integer_value(json_array_get(grades, j)) == json_integer_value(g);
        if (!seen)
            json_array_append(grades, g);
    }
    for (size_t j = 0; j < json_array_size(subj); j++) {
        const char *w = json_string_value(json_array_get(subj, j));
        msk_buf_printf(out, "%s%s", !j ? "" : j + 1 == json_array_size(subj) ? " и " : ", ", w);
    }
    for (size_t j = 0; j < json_array_size(grades); j++)
        msk_buf_printf(out, "%s%lld",
                       !j                                 ? ", "
                       : j + 1 == json_array_size(grades) ? " и "
                                                          : ", ",
                       (long long)json_integer_value(json_array_get(grades, j)));
    if (json_array_size(grades))
        msk_buf_printf(out, " %s", json_array_size(grades) > 1 ? "классы" : "класс");
    json_decref(subj);
    json_decref(grades);
}

/* seed 002 §3.2 condition 4: which reading of «4.1–4.4 …, в пунктах 4.5 …» made the list, with
 * the thresholds the methods file set (the act's 20 %, two works, 10 % by default). */
static void risk_reading(rb *b, const json_t *l)
{
    const char *r = reading(l, "evidence", "results_rule", NULL);
    if (!r)
        return;
    const json_t *th = NULL;
    size_t i;
    const json_t *it;
    json_array_foreach(json_object_get(l, "items"), i, it)
    {
        th = json_object_get(json_object_get(json_object_get(it, "evidence"), "evidence"),
                             "results_thresholds");
        if (th)
            break;
    }
    char share[32], failing[32];
    fmt_pct(th ? json_number_value(json_object_get(th, "share")) : 0.20, 0, share, sizeof share);
    fmt_pct(th ? json_number_value(json_object_get(th, "failing")) : 0.10, 0, failing,
            sizeof failing);
    long long n = th ? json_integer_value(json_object_get(th, "min_count")) : 2;
    msk_buf procs;
    msk_buf_init(&procs, 0);
    risk_procedures(l, &procs);
    const char *works = n == 1 ? "одной работе" : "двум работам";
    char nw[32];
    if (n > 2)
        snprintf(nw, sizeof nw, "%lld работам", n);
    doc_para(b->d, "Как применено условие «образовательные результаты».",
             tx(b,
                strcmp(r, "all") == 0
                    ? "Школа отнесена к зоне риска по результатам, только если выполнены обе "
                      "части условия: доля «2» на ВПР %s и более не менее чем по %s%s%s%s и доля "
                      "неуспевающих более %s."
                    : "Для отнесения к зоне риска по результатам достаточно одной из частей "
                      "условия: доли «2» на ВПР %s и более не менее чем по %s%s%s%s или доли "
                      "неуспевающих более %s.",
                share, n > 2 ? nw : works, procs.len ? " (" : "", procs.len ? procs.data : "",
                procs.len ? ")" : "", failing));
    msk_buf_release(&procs);
}

/* Issue 16 item 4: the objectivity coefficients of the re-checked schools (view_list's
 * "coefficients") in a sentence and a table. */
static void coefficient_reading(rb *b, const json_t *l)
{
    const json_t *cs = json_object_get(l, "coefficients");
    size_t n = json_array_size(cs), nl = 0, no = 0, i;
    double sl = 0, so = 0, low = INFINITY;
    const json_t *c, *lowest = NULL;
    json_array_foreach(cs, i, c)
    {
        double k = jnum(c, "coefficient");
        if (!isfinite(k))
            continue;
        if (json_is_true(json_object_get(c, "listed")))
            sl += k, nl++;
        else
            so += k, no++;
        if (k < low)
            low = k, lowest = c;
    }
    if (!nl && !no) {
        doc_para(b->d, "Коэффициент объективности по перепроверке работ:",
                 "перепроверенных работ за год нет — коэффициент не вычислен ни для одной школы.");
        return;
    }
    char ml[32] = "—", mo[32] = "—", lw[32];
    if (nl)
        fmt_num(sl / (double)nl, 2, ml, sizeof ml);
    if (no)
        fmt_num(so / (double)no, 2, mo, sizeof mo);
    fmt_num(low, 2, lw, sizeof lw);
    const json_t *ls = json_object_get(lowest, "school");
    doc_para(b->d, "Коэффициент объективности по перепроверке работ:",
             tx(b,
                "вычислен для %zu школ, чьи работы перепроверили независимые эксперты "
                "(доля баллов школы, которую подтвердили эксперты; при немногих работах — "
                "ближе к 1): в среднем %s у школ перечня и %s у остальных перепроверенных; "
                "наименьший — %s у «%s» (%s). Школы без перепроверенных работ коэффициента не "
                "получают; результаты с поправкой приведены в таблице и в разделах школ.",
                n, ml, mo, lw, js(ls, "name"), js(ls, "code")));
    doc_table *t = doc_table_new(
        b->d, tx(b, "Коэффициент объективности и результаты с поправкой, %d год", b->year), 7,
        "Коэффициент объективности");
    doc_table_col(t, 0, DOC_TEXT, 1.2, 0);
    doc_table_col(t, 1, DOC_TEXT, 2.6, 0);
    doc_table_col(t, 2, DOC_NUM, 1.0, 2);
    doc_table_col(t, 3, DOC_TEXT, 1.4, 0);
    doc_table_col(t, 4, DOC_TEXT, 2.6, 0);
    doc_table_col(t, 5, DOC_NUM, 1.2, 1);
    doc_table_col(t, 6, DOC_NUM, 1.2, 1);
    const char *h[] = {"Код",       "Школа",        "Коэффициент", "95 % интервал",
                       "Процедура", "Средний балл", "С поправкой"};
    doc_table_header(t, h);
    json_array_foreach(cs, i, c)
    {
        size_t k;
        const json_t *p;
        json_array_foreach(json_object_get(c, "procedures"), k, p)
        {
            doc_table_row(t, 0);
            doc_cell_text(t, js(json_object_get(c, "school"), "code"));
            doc_cell_text(t, js(json_object_get(c, "school"), "name"));
            doc_cell_num(t, jnum(c, "coefficient"));
            doc_cell_text(t, js(c, "ci_text"));
            doc_cell_text(t, js(p, "title"));
            doc_cell_num(t, jnum(json_object_get(p, "raw"), "mean_primary"));
            doc_cell_num(t, jnum(json_object_get(p, "corrected"), "mean_primary"));
        }
    }
}

/* ШНОР made by another act's rule (method/shnor_rules.c): the справка says which, in the
 * rule's own sentence, so the list is read against the definition that made it. */
static void shnor_reading(rb *b, const json_t *l)
{
    const json_t *it = json_array_get(json_object_get(l, "items"), 0);
    const char *r = js(json_object_get(it, "evidence"), "rule_text");
    if (r && *r)
        doc_para(b->d, "Как определён перечень.", r);
}

void rb_list_section(rb *b, const char *list, const char *heading, int level, json_t *concl)
{
    json_t *l = NULL;
    msk_err e;
    doc_section(b->d, level, heading);
    if (view_list(b->v, &b->ctx, list, &l, &e)) {
        doc_para(b->d, NULL, e.msg);
        return;
    }
    int n = (int)jnum(l, "count");
    doc_para(b->d, NULL, js(l, "title"));
    if (!strcmp(list, "risk"))
        risk_reading(b, l);
    if (!strcmp(list, "shnor"))
        shnor_reading(b, l);
    if (!strcmp(list, "objectivity") && isfinite(jnum(l, "index"))) {
        char v[32], v1[32];
        fmt_num(jnum(l, "index"), 1, v, sizeof v);
        doc_para(b->d, NULL,
                 tx(b,
                    "Индекс объективности муниципалитета (100 − доля школ с "
                    "признаками необъективности): %s.",
                    v));
        /* issue 19: the list's rule may ask for more than one sign, Rosobrnadzor's index
         * counts any school with one; say both so the number is compared like with like */
        if (isfinite(jnum(l, "index_one_sign"))) {
            fmt_num(jnum(l, "index_one_sign"), 1, v1, sizeof v1);
            doc_para(b->d, NULL,
                     tx(b,
                        "По правилу Рособрнадзора (школа учитывается при хотя бы одном "
                        "признаке) индекс равен %s — именно его сравнивают с региональным "
                        "и федеральным индексами. %s",
                        v1,
                        strcmp(v, v1) ? "Индекс выше рассчитан по правилу перечня этой справки "
                                        "(для включения может требоваться больше одного "
                                        "признака) и с ними напрямую не сравним."
                                      : "Индекс по правилу перечня с ним совпадает."));
        }
    }
    if (!strcmp(list, "objectivity") && json_is_array(json_object_get(l, "coefficients")))
        coefficient_reading(b, l);
    if (n > 0) {
        doc_table *t = doc_table_new(
            b->d, tx(b, "Перечень «%s», %d год: школы и основания", rb_list_name(list), b->year), 4,
            rb_list_name(list));
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
        msk_buf_printf(&s, "Список «%s» в сравнении с %d годом: ", rb_list_name(list), b->year - 1);
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

void rb_rating_section(rb *b, int level)
{
    json_t *l = NULL;
    msk_err e;
    doc_section(b->d, level, "Рейтинг общеобразовательных организаций");
    if (view_list(b->v, &b->ctx, "rating", &l, &e)) {
        doc_para(b->d, NULL, e.msg);
        return;
    }
    doc_para(b->d, NULL, js(l, "title"));
    /* seed 000 table 1: the readings of «доля выполнения» and of 5.1–5.2 the rating used */
    const char *compl = reading(l, "evidence", "vpr_ooo", "completion");
    const char *unk = reading(l, "evidence", "cont_grade9", "unknown_in_den");
    if (compl || unk)
        doc_para(b->d, "Как прочитаны показатели таблицы.",
                 tx(b, "%s%s%s",
                    !compl ? ""
                    : strcmp(compl, "participated") == 0
                        ? "«Доля выполнения» ВПР, РКР и МКР — доля писавших работу среди всех, "
                          "кто должен был её писать."
                        : "«Доля выполнения» ВПР, РКР и МКР — доля участников, получивших "
                          "отметку «3» и выше.",
                    compl &&unk ? " " : "",
                    !unk ? ""
                    : strcmp(unk, "true") == 0
                        ? "Доли продолживших обучение — от всех выпускников: выпускник без "
                          "указанного направления считается не продолжившим обучение."
                        : "Доли продолживших обучение — от выпускников с известным направлением "
                          "(выпускники без указанного направления не учтены)."));
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

void rb_indicators_section(rb *b, const json_t *dash, int level)
{
    doc_section(b->d, level, "Показатели мониторинга");
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

/* ---- the municipal report ---------------------------------------------------------------- */

/* The dashboard's procedures with marks: pass/fail ones (итоговое сочинение, собеседование)
 * have «зачёт» instead, in their own section (report_procs.c). Owned by dash. */
static json_t *marks_procs(json_t *dash)
{
    json_t *procs = json_array();
    size_t k;
    const json_t *x;
    json_array_foreach(json_object_get(dash, "procedures"), k, x)
    {
        const char *kd = js(json_object_get(x, "proc"), "kind");
        if (strcmp(kd, "ESSAY") != 0 && strcmp(kd, "INTERVIEW") != 0)
            json_array_append(procs, (json_t *)x);
    }
    json_object_set_new(dash, "marks_procedures", procs);
    return procs;
}

/* The table of the year's procedures with marks (municipal), a stacked-marks figure per kind
 * and the region and RF beside; returns the procedures with marks (owned by dash). */
json_t *rb_results(rb *b, json_t *dash)
{
    json_t *procs = marks_procs(dash);
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
    rb_marks_figures(b, procs, "муниципалитет");
    report_levels_muni(b->d, b->v, &b->ctx); /* region and RF beside (report/levels.c) */
    return procs;
}

/* The largest change of the year drawn as a line over the years. */
static void largest_change_figure(rb *b, const json_t *fam, const change *ch, size_t nch)
{
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
}

/* Success over the years (table), the changes beyond the margin into ch, and the largest
 * drawn as a line. Returns the municipal dynamics per procedure family (the caller frees). */
json_t *rb_dynamics(rb *b, const json_t *schools, const json_t *procs, change *ch, size_t *nch,
                    size_t maxch)
{
    json_t *fam = municipal_dynamics(b, schools);
    dynamics_section(b, fam, procs, ch, nch, maxch);
    largest_change_figure(b, fam, ch, *nch);
    return fam;
}

/* The schools against the ШНОР threshold, as on the dashboard (issue 14 item 9). */
void rb_schools_figure(rb *b, const json_t *dash)
{
    char title[500];
    chart *c = flag_chart_schools(dash, MUNICIPAL_SCHOOLS_ROWS, title, sizeof title);
    if (c)
        doc_figure(b->d, c, title);
}

/* Long: the municipal report's sections in their order, one call (or one small table) each. */
int rb_municipal(rb *b, msk_err *err)
{
    json_t *dash = NULL, *schools = NULL, *fam = NULL, *part = NULL, *concl = json_array();
    int rc = -1;
    if (view_dashboard(b->v, &b->ctx, &dash, err) ||
        view_participation(b->v, &b->ctx, &part, err) ||
        view_schools(b->v, &b->ctx, &(view_filter){0}, &schools, err))
        goto out;
    rb_title(b, NULL);
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
           "года (%s, п. 1.17, 1.20). В процедурах %s %s %s, "
           "%s %s; %s %d %s.",
           sy, muni_cite_str("{mscoko}"),
           fmt_plural(ns, "участвовала", "участвовали", "участвовали"), n1,
           fmt_plural(ns, "школа", "школы", "школ"), n2,
           fmt_plural(np, "участник", "участника", "участников"),
           fmt_plural((long long)jnum(cnt, "procedures"), "проведена", "проведены", "проведено"),
           (int)jnum(cnt, "procedures"),
           fmt_plural((long long)jnum(cnt, "procedures"), "процедура", "процедуры", "процедур")));
    rb_about_analysis(b, dash);
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
    rb_participation(b, part); /* the first table (report_procs.c) */
    json_t *procs = rb_results(b, dash);
    rb_pass_fail(b, part);
    rb_ovz(b, part);
    if (rb_gia_municipal(b, err)) /* ГВЭ, trial exams, admission, honours (report_gia.c) */
        goto out;

    doc_section(b->d, 1, "Динамика результатов");
    change ch[64];
    size_t nch = 0;
    fam = rb_dynamics(b, json_object_get(schools, "schools"), procs, ch, &nch, 64);

    rb_list_section(b, "shnor", "Школы с низкими образовательными результатами (ШНОР)", 1, concl);
    rb_schools_figure(b, dash);
    rb_list_section(b, "risk", "Школы в зоне риска", 1, concl);
    rb_list_section(b, "objectivity", "Школы с признаками необъективности результатов", 1, concl);
    rb_rating_section(b, 1);
    rb_indicators_section(b, dash, 1);
    /* the nine directions, each through its cycle (issue 15 item 5, report_directions.c) */
    if (report_directions_section(b->d, b->v, b->s, &b->ctx, b->o->rules, 1, err))
        goto out;
    rb_decisions_section(b, NULL);
    rb_plan_section(b, NULL);
    rb_conclusions(b, ch, nch, concl);
    rc = 0;
out:
    json_decref(dash);
    json_decref(schools);
    json_decref(fam);
    json_decref(part);
    json_decref(concl);
    return rc;
}
