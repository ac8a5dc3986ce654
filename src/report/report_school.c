/*
 * The school report: the school among the municipality — results, dynamics, findings and the
 * recommendations addressed to it.
 */
#include "report/report_internal.h"

#include "view/direction.h"

#include "report/flag_chart.h"
#include "report/levels.h"
#include "view/card.h"
#include "view/view.h"

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

/* "Общие сведения": the school, its rating and lists, the analysis, its context. */
static void school_about(rb *b, const json_t *sv, const json_t *dash)
{
    const json_t *sc = json_object_get(sv, "school");
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
    rb_about_analysis(b, dash);
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
            if (json_is_string(json_object_get(x, "yes_no")))
                doc_cell_text(t, js(x, "yes_no")); /* «да»/«нет», not «1» */
            else
                doc_cell_text(t, tx(b, "%s%s%s", v, *js(x, "unit") ? " " : "", js(x, "unit")));
        }
    }
}

/* The school's results beside the municipality's, its marks and a histogram. */
static void school_results(rb *b, const char *code, const json_t *sv)
{
    size_t i;
    const json_t *x;
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
    rb_marks_figures(b, procs, "школа");
    school_histogram(b, code, procs);
}

/* The school's success over four years; the changes beyond the margin go to ch (64 at most)
 * for the conclusions, the largest one gets a chart. A year the school wrote with fewer than
 * VIEW_MIN_CELL participants shows «—» and draws no conclusion: «успеваемость выросла с 0 до
 * 100 %» from one or two pupils says nothing about the school (issue 14, «Smaller»). */
static void school_dynamics(rb *b, const json_t *sv, change ch[64], size_t *nchp)
{
    size_t i, nch = 0;
    const json_t *x;
    doc_section(b->d, 1, "Динамика результатов школы");
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
    doc_table_note(dt, tx(b,
                          "МО — муниципальное образование (все школы). «—» у школы — нет "
                          "результатов или участников меньше %d: по ним выводы не делаются.",
                          VIEW_MIN_CELL));
    json_array_foreach(dyn, i, x)
    {
        double sv_[4] = {NAN, NAN, NAN, NAN}, mv[4] = {NAN, NAN, NAN, NAN};
        size_t k;
        const json_t *pt;
        json_array_foreach(json_object_get(x, "points"), k, pt)
        {
            int y = (int)jnum(pt, "year") - (b->year - 3);
            if (y >= 0 && y < 4) {
                const json_t *sp = json_object_get(pt, "school");
                double n = jnum(sp, "participants");
                sv_[y] = isfinite(n) && n >= VIEW_MIN_CELL ? jnum(sp, "success") : NAN;
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
                const json_t *sp = json_object_get(pt, "school");
                double n = jnum(sp, "participants");
                sv_[y] = isfinite(n) && n >= VIEW_MIN_CELL ? jnum(sp, "success") : NAN;
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
    *nchp = nch;
}

/* Issue 16 item 4: the objectivity coefficient of the re-check and the results corrected by
 * it, raw → corrected (nothing when the analysis computed none). */
static void school_coefficient(rb *b, const json_t *sv)
{
    const json_t *c = json_object_get(sv, "coefficient");
    if (!json_is_object(c))
        return;
    if (json_is_true(json_object_get(c, "none"))) {
        doc_para(b->d, "Коэффициент объективности:",
                 "нет перепроверенных работ — коэффициент не вычисляется.");
        return;
    }
    msk_buf w;
    msk_buf_init(&w, 0);
    msk_buf_printf(&w, "%s.", js(c, "text"));
    size_t i;
    const json_t *p;
    json_array_foreach(json_object_get(c, "procedures"), i, p)
    {
        const json_t *raw = json_object_get(p, "raw"), *cor = json_object_get(p, "corrected");
        char a[32], z[32], q1[32], q2[32], f1[32], f2[32];
        fmt_num(jnum(raw, "mean_primary"), 1, a, sizeof a);
        fmt_num(jnum(cor, "mean_primary"), 1, z, sizeof z);
        fmt_pct(jnum(raw, "share45"), 1, q1, sizeof q1);
        fmt_pct(jnum(cor, "share45"), 1, q2, sizeof q2);
        fmt_pct(jnum(raw, "share2"), 1, f1, sizeof f1);
        fmt_pct(jnum(cor, "share2"), 1, f2, sizeof f2);
        msk_buf_printf(&w,
                       " С поправкой на коэффициент (%s): средний первичный балл %s → %s, доля "
                       "«4»–«5» %s → %s, доля «2» %s → %s.",
                       js(p, "title"), a, z, q1, q2, f1, f2);
    }
    doc_para(b->d, "Перепроверка работ:", w.data);
    msk_buf_release(&w);
}

/* Findings and their grounds, the school's roadmap, the recommendations addressed to it. */
static void school_findings(rb *b, const char *code, const json_t *sv, json_t *recs)
{
    size_t i;
    const json_t *x;
    const json_t *sc = json_object_get(sv, "school");
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
        doc_item(b->d, tx(b, "%s.", shnor_like(m) ? rb_list_name(m) : m), w.data);
        msk_buf_release(&w);
        /* the flag's picture, the same as on the school's page: the rule's measure, the
         * threshold and the results over it marked (issue 14 item 9) */
        json_t *card = NULL;
        msk_err e;
        msk_err_clear(&e);
        char title[400];
        chart *c = view_card(b->v, &b->ctx, js(sc, "code"), m, &card, &e) == 0
                       ? flag_chart(card, title, sizeof title)
                       : NULL;
        if (c)
            doc_figure(b->d, c, title);
        json_decref(card);
    }
    school_coefficient(b, sv);
    rb_decisions_section(b, code);
    rb_plan_section(b, code);

    doc_section(b->d, 1, "Адресные рекомендации");
    rec_match(b->o->rules, sv, recs);
    json_t *misses = view_direction_misses(b->v, code); /* the directions' indicators it misses */
    rec_directions_school(b->o->rules, misses, recs);
    json_decref(misses);
    if (!json_array_size(recs))
        doc_para(b->d, NULL, "Выявленных оснований для адресных рекомендаций нет.");
    else
        doc_para(b->d, NULL,
                 tx(b,
                    "Рекомендации адресованы школе «%s» (%s) по результатам "
                    "анализа %d года (%s, п. 1.17; %s, п. 3.4); каждая называет основание и "
                    "документ.",
                    js(sc, "name"), js(sc, "code"), b->year, muni_cite_str("{mscoko}"),
                    muni_cite_str("{mscoko_roadmap}")));
    json_array_foreach(recs, i, x)
    {
        doc_item(b->d, tx(b, "%zu.", i + 1), js(x, "text"));
        doc_para(b->d, "Основание:",
                 tx(b, "%s %s (%s).", js(x, "reason"), js(x, "finding"), js(x, "act")));
    }
}

int rb_school_report(rb *b, const char *code, msk_err *err)
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
    rb_title(b, sub);
    school_about(b, sv, dash);
    school_results(b, code, sv);
    rb_gia(b, json_object_get(sv, "gia")); /* the school's ГИА side (report_gia.c) */
    change ch[64];
    size_t nch = 0;
    school_dynamics(b, sv, ch, &nch);
    school_findings(b, code, sv, recs);
    rb_conclusions(b, ch, nch, concl);
    rc = 0;
out:
    json_decref(sv);
    json_decref(dash);
    json_decref(concl);
    json_decref(recs);
    return rc;
}
