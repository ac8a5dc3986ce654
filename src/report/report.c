/*
 * The analytical report (report.h): sections built from the view models. Every number comes
 * from a view model object as the web page gets it; this file only chooses, orders, words and
 * charts them. What the view models lack (municipal dynamics per procedure, who moved in or out
 * of a list) is computed here from the models themselves.
 */
#include "report/report_internal.h"

#include "store/plan.h"

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

void rb_conclusions(rb *b, const change *ch, size_t nch, const json_t *concl)
{
    doc_section(b->d, 1 + b->sub, "Выводы");
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

/* ---- the title page ---------------------------------------------------------------------- */

void rb_title(rb *b, const char *subtitle)
{
    char sy[32], date[16], today[11];
    fmt_school_year(b->year, sy, sizeof sy);
    if (!b->o->date) {
        store_plan_today(today);
        fmt_date(today, date, sizeof date);
    }
    doc_title_page(b->d, b->o->department ? b->o->department : muni_department(),
                   tx(b,
                      "Аналитическая справка по результатам оценочных процедур %s учебного "
                      "года",
                      sy),
                   subtitle, b->o->place ? b->o->place : muni_place(),
                   b->o->date ? b->o->date : date);
}

void rb_about_analysis(rb *b, const json_t *dash)
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

/* ---- the entry points -------------------------------------------------------------------- */

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
    int rc = school ? rb_school_report(&b, school, err) : rb_municipal(&b, err);
    msk_buf_release(&b.t);
    if (rc) {
        doc_free(b.d);
        return rc;
    }
    *out = b.d;
    return 0;
}

int report_build_doklad(const view_year *v, const view_year *prev, store *s, const report_opts *o,
                        doc **out, msk_err *err)
{
    rb b = {.v = v, .prev = prev, .s = s, .o = o, .year = view_year_of(v)};
    b.ctx.role = VIEW_ANALYST;
    msk_buf_init(&b.t, 0);
    b.d = doc_new();
    int rc = rb_doklad(&b, err);
    msk_buf_release(&b.t);
    if (rc) {
        doc_free(b.d);
        return rc;
    }
    *out = b.d;
    return 0;
}
