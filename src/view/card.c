/*
 * The evidence card of a flag (issue 16 item 5, issue 14 item 7): everything behind «школа X в
 * списке Y за год Z» on one page — the rule in words, the numbers of each measure (counts,
 * share, threshold, the interval and shrunken estimate when the finding carries them), the
 * municipality and the schools of the same type beside, three years of the same measure,
 * whether the school was on the list in those years, and the histograms the objectivity signs
 * read. The school's answers to the flag come from the store (view_card_answers): the year's
 * view is shared and immutable, the answers change between its loads. A flag is «school ×
 * list × year» (store/answer.h): its address is /schools/КОД/flags/СПИСОК?year=ГОД.
 */
#include "base/fmt.h"
#include "base/mem.h"
#include "base/vocab.h"
#include "store/answer.h"
#include "view/card.h"
#include "view/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rule of each list in words (the act's rule; the numbers are in the rows). The shares'
 * defaults are the acts' (Положение о ШНОР п. 2.1: «не менее 30 %»; the risk table п. 3.2:
 * 20 %), used only when the finding does not carry its own threshold. */
static const struct {
    const char *list, *name, *rule, *measure;
    double threshold;
} LISTS[] = {
    {"shnor", "ШНОР",
     "Школа входит в список школ с низкими результатами обучения, если по оценочным "
     "процедурам двух последних лет доля участников, получивших «2» (по ЕГЭ — не "
     "преодолевших минимальный порог), не меньше порога.",
     "доля «2»", 0.30},
    {"risk", "Зона риска",
     "Школа в зоне риска снижения образовательных результатов, если выполнен хотя бы один "
     "фактор риска: материально-техническая база, кадры, контингент или результаты (доля «2» "
     "по ВПР не меньше порога).",
     "доля «2»", 0.20},
    {"objectivity", "ОО с признаками необъективности",
     "Школа попадает в список, если её результаты показывают признак необъективности: "
     "значение признака выше порога, посчитанного по муниципалитету, и случайностью это "
     "объяснить нельзя.",
     "значение признака", NAN},
    {"rating", "Рейтинг ОО",
     "Место школы — по сумме баллов по критериям рейтинга; баллы критерия даёт полоса, в "
     "которую попадает его значение.",
     "баллы", NAN},
};

static int list_of(const char *list)
{
    for (size_t i = 0; list && i < sizeof LISTS / sizeof LISTS[0]; i++)
        if (!strcmp(LISTS[i].list, list))
            return (int)i;
    return -1;
}

const char *view_card_list_name(const char *list)
{
    int k = list_of(list);
    return k < 0 ? NULL : LISTS[k].name;
}

json_t *view_card_href(const char *school, const char *list, int year)
{
    return json_sprintf("/schools/%s/flags/%s?year=%d", school, list, year);
}

double view_card_threshold(const char *list)
{
    int li = list_of(list);
    return li < 0 ? NAN : LISTS[li].threshold;
}

static double num(const json_t *o, const char *k)
{
    const json_t *x = json_object_get(o, k);
    return json_is_number(x) ? json_number_value(x) : NAN;
}

static json_t *real_or_null(double x)
{
    return isnan(x) ? json_null() : json_real(x);
}

/* An interval the finding carries (the «stats» work adds them; the objectivity signs have
 * school_ci): {"low", "high"} or NULL. Accepted shapes: {"lo"|"low", "hi"|"high"}, [lo, hi],
 * ci_low/ci_high beside the value. */
static json_t *interval_of(const json_t *o)
{
    static const char *const KEYS[] = {"interval", "ci", "wilson", "school_ci"};
    for (size_t i = 0; i < sizeof KEYS / sizeof KEYS[0]; i++) {
        const json_t *x = json_object_get(o, KEYS[i]);
        double lo = NAN, hi = NAN;
        if (json_is_object(x)) {
            lo = !isnan(num(x, "low")) ? num(x, "low") : num(x, "lo");
            hi = !isnan(num(x, "high")) ? num(x, "high") : num(x, "hi");
        } else if (json_is_array(x) && json_array_size(x) == 2) {
            lo = json_number_value(json_array_get(x, 0));
            hi = json_number_value(json_array_get(x, 1));
        }
        if (!isnan(lo) && !isnan(hi))
            return json_pack("{s:f, s:f}", "low", lo, "high", hi);
    }
    if (!isnan(num(o, "ci_low")) && !isnan(num(o, "ci_high")))
        return json_pack("{s:f, s:f}", "low", num(o, "ci_low"), "high", num(o, "ci_high"));
    return NULL;
}

static double shrunk_of(const json_t *o)
{
    static const char *const KEYS[] = {"shrunk", "shrunken", "eb", "shrunk_share"};
    for (size_t i = 0; i < sizeof KEYS / sizeof KEYS[0]; i++) {
        const json_t *x = json_object_get(o, KEYS[i]);
        if (json_is_number(x))
            return json_number_value(x);
        if (json_is_object(x) && !isnan(num(x, "value")))
            return num(x, "value");
    }
    return NAN;
}

/* «надёжность вывода» (issue 16 item 2) as the finding says it, else from a small sample. */
static json_t *reliability_of(const json_t *o)
{
    const json_t *r = json_object_get(o, "reliability");
    if (json_is_string(r))
        return json_incref((json_t *)r);
    if (json_is_object(r) && json_is_string(json_object_get(r, "text")))
        return json_incref(json_object_get(r, "text"));
    if (json_is_boolean(json_object_get(o, "reliable")))
        return json_string(json_is_true(json_object_get(o, "reliable")) ? "вывод надёжен"
                                                                        : "вывод ненадёжен");
    if (json_is_true(json_object_get(o, "small_sample")))
        return json_string("малая выборка: вывод ненадёжен");
    return NULL;
}

/* The share of «2» (or below the minimum) of a group of cells of procedure p: the whole
 * municipality (type NULL) or the schools of one type but school i. */
static double share_failed(const view_year *v, int32_t p, const char *type, int32_t i, int *n)
{
    size_t from, to;
    long long failed = 0, all = 0;
    vi_cells_of(v, p, &from, &to);
    for (size_t k = from; k < to; k++) {
        const model_cell *c = &v->m.cells[k];
        if (type && (c->school == i || strcmp(v->m.schools[c->school].type, type) != 0))
            continue;
        failed += c->failed;
        all += c->participants;
    }
    if (n)
        *n = (int)all;
    return all ? (double)failed / (double)all : NAN;
}

static double share_quality(const model_cell *c)
{
    return c && c->participants ? (double)(c->marks[4] + c->marks[5]) / (double)c->participants
                                : NAN;
}

/* A row of the card for procedure p (may be -1): the common part. */
static json_t *proc_row(const view_year *v, int32_t i, int32_t p, const char *label)
{
    json_t *row = json_object();
    if (p >= 0) {
        json_t *ref = vi_proc_ref(v, p);
        json_object_set(row, "label", json_object_get(ref, "title"));
        json_object_set(row, "proc_key", json_object_get(ref, "key"));
        json_object_set_new(row, "proc_year", json_integer(v->m.procs[p].year));
        json_object_set_new(row, "proc", ref);
    } else {
        json_object_set_new(row, "label", json_string(label ? label : ""));
        json_object_set_new(row, "proc_key", json_null());
        json_object_set_new(row, "proc", json_null());
    }
    (void)i;
    return row;
}

/* The numbers every share row has: count of participants, of them, share, threshold, the
 * municipality, the schools of the same type, interval, shrunken estimate, reliability. */
static void share_numbers(const view_year *v, int32_t i, int32_t p, const json_t *src, json_t *row,
                          double threshold)
{
    double share = num(src, "share");
    json_object_set_new(row, "count", json_integer((json_int_t)num(src, "failed")));
    json_object_set_new(row, "of", json_integer((json_int_t)num(src, "participants")));
    json_object_set_new(row, "share", real_or_null(share));
    double thr = !isnan(num(src, "threshold")) ? num(src, "threshold") : threshold;
    json_object_set_new(row, "threshold", real_or_null(thr));
    json_object_set_new(row, "over", json_boolean(!isnan(thr) && share >= thr - 1e-9));
    int peers = 0;
    json_object_set_new(row, "municipality",
                        real_or_null(p >= 0 ? share_failed(v, p, NULL, -1, NULL) : NAN));
    double ps = p >= 0 ? share_failed(v, p, v->m.schools[i].type, i, &peers) : NAN;
    json_object_set_new(row, "peers", real_or_null(ps));
    json_object_set_new(row, "peers_participants", json_integer(peers));
    json_t *ci = interval_of(src);
    json_object_set_new(row, "interval", ci ? ci : json_null());
    json_object_set_new(row, "shrunk", real_or_null(shrunk_of(src)));
    json_t *rel = reliability_of(src);
    json_object_set_new(row, "reliability", rel ? rel : json_null());
    const json_t *t = json_object_get(src, "text");
    json_object_set_new(row, "text", json_is_string(t) ? json_incref((json_t *)t) : json_null());
}

static int32_t proc_of(const view_year *v, const json_t *o, int year)
{
    const char *kind = json_string_value(json_object_get(o, "kind"));
    const char *subject = json_string_value(json_object_get(o, "subject"));
    int grade = (int)json_integer_value(json_object_get(o, "grade"));
    int y = json_is_integer(json_object_get(o, "year"))
                ? (int)json_integer_value(json_object_get(o, "year"))
                : year;
    if (!kind || !subject)
        return -1;
    return model_find_proc(&v->m, y, kind, subject, grade);
}

static void rows_shnor(const view_year *v, int32_t i, const json_t *ev, json_t *rows, double thr)
{
    size_t k;
    json_t *lo;
    json_array_foreach(json_object_get(ev, "low"), k, lo)
    {
        int32_t p = proc_of(v, lo, v->year);
        json_t *row = proc_row(v, i, p, json_string_value(json_object_get(lo, "subject")));
        share_numbers(v, i, p, lo, row, thr);
        if (json_is_number(json_object_get(lo, "region_mean"))) {
            /* seed 001's ЕГЭ row (method/shnor_rules.c): the value is the school's mean over
             * the region's, not a share of «2» — the municipality's share is another measure */
            json_object_set_new(row, "municipality", json_null());
            json_object_set_new(row, "peers", json_null());
            json_object_set_new(row, "note",
                                json_string("средний балл школы к среднему баллу края"));
        }
        json_object_set_new(row, "kind", json_string("share"));
        json_array_append_new(rows, row);
    }
}

static void rows_risk(const view_year *v, int32_t i, const json_t *ev, json_t *rows, double thr)
{
    const json_t *e = json_object_get(ev, "evidence");
    size_t k;
    json_t *x;
    json_array_foreach(json_object_get(e, "vpr_fail"), k, x)
    {
        int32_t p = proc_of(v, x, v->year);
        json_t *row = proc_row(v, i, p, NULL);
        share_numbers(v, i, p, x, row, thr);
        json_object_set_new(row, "kind", json_string("share"));
        json_array_append_new(rows, row);
    }
    /* the other factors' measures: shares without a per-row threshold in the finding */
    static const struct {
        const char *key, *label;
    } OTHER[] = {
        {"teachers_36h_share", "Доля учителей с нагрузкой 36 часов и более"},
        {"teachers_unqualified_share",
         "Доля учителей, не имеющих диплома о переподготовке по преподаваемому предмету"},
        {"contingent_share", "Доля обучающихся особых групп контингента"},
        {"failing_share", "Доля неуспевающих по итогам года"},
    };
    for (size_t j = 0; j < sizeof OTHER / sizeof OTHER[0]; j++) {
        double x2 = num(e, OTHER[j].key);
        if (isnan(x2))
            continue;
        json_t *row = proc_row(v, i, -1, OTHER[j].label);
        json_object_set_new(row, "kind", json_string("share"));
        json_object_set_new(row, "share", json_real(x2));
        json_object_set_new(row, "count", json_null());
        json_object_set_new(row, "of", json_null());
        json_object_set_new(row, "threshold", json_null());
        json_object_set_new(row, "municipality", json_null());
        json_object_set_new(row, "peers", json_null());
        json_object_set_new(row, "interval", json_null());
        json_object_set_new(row, "shrunk", json_null());
        json_object_set_new(row, "reliability", json_null());
        json_object_set_new(row, "text", json_null());
        json_array_append_new(rows, row);
    }
}

static void rows_objectivity(const view_year *v, int32_t i, const json_t *ev, json_t *rows)
{
    size_t k;
    json_t *sg;
    json_array_foreach(json_object_get(ev, "signs"), k, sg)
    {
        int32_t p = proc_of(v, sg, v->year);
        const char *sign = json_string_value(json_object_get(sg, "sign"));
        json_t *row = proc_row(v, i, p, NULL);
        char label[400];
        snprintf(label, sizeof label, "%s%s%s", vocab_label(VOCAB_OBJ_SIGN, sign ? sign : ""),
                 p >= 0 ? ": " : "",
                 p >= 0 ? json_string_value(json_object_get(row, "label")) : "");
        json_object_set_new(row, "label", json_string(label));
        json_object_set_new(row, "kind", json_string("sign"));
        json_object_set_new(row, "sign", json_string(sign ? sign : ""));
        json_object_set_new(row, "value", real_or_null(num(sg, "value")));
        json_object_set_new(row, "threshold", real_or_null(num(sg, "threshold")));
        json_object_set_new(row, "p_value", real_or_null(num(sg, "p_value")));
        json_object_set_new(row, "of",
                            json_is_number(json_object_get(sg, "participants"))
                                ? json_integer((json_int_t)num(sg, "participants"))
                                : json_null());
        json_object_set_new(row, "observed", real_or_null(num(sg, "observed")));
        json_object_set_new(row, "expected", real_or_null(num(sg, "expected")));
        const model_cell *sc = p >= 0 ? model_cell_of(&v->m, p, i) : NULL;
        model_cell mc;
        if (p >= 0)
            vi_muni_cell(v, p, &mc);
        json_object_set_new(row, "quality", real_or_null(share_quality(sc)));
        json_object_set_new(row, "municipality", real_or_null(p >= 0 ? share_quality(&mc) : NAN));
        json_t *ci = interval_of(sg);
        json_object_set_new(row, "interval", ci ? ci : json_null());
        json_object_set_new(row, "shrunk", real_or_null(shrunk_of(sg)));
        json_t *rel = reliability_of(sg);
        json_object_set_new(row, "reliability", rel ? rel : json_null());
        json_object_set(row, "text", json_object_get(sg, "text"));
        json_array_append_new(rows, row);
    }
}

static void rows_rating(const view_year *v, int32_t i, const json_t *ev, json_t *rows)
{
    const char *key;
    json_t *cr;
    json_object_foreach((json_t *)json_object_get(ev, "evidence"), key, cr)
    {
        json_t *row = proc_row(v, i, -1, json_string_value(json_object_get(cr, "title")));
        json_object_set_new(row, "kind", json_string("criterion"));
        json_object_set(row, "criterion", json_object_get(cr, "criterion"));
        json_object_set_new(row, "share", real_or_null(num(cr, "value")));
        json_object_set_new(row, "is_share",
                            json_boolean(json_is_number(json_object_get(cr, "percent"))));
        json_object_set_new(row, "count",
                            json_is_number(json_object_get(cr, "num"))
                                ? json_integer((json_int_t)num(cr, "num"))
                                : json_null());
        json_object_set_new(row, "of",
                            json_is_number(json_object_get(cr, "den"))
                                ? json_integer((json_int_t)num(cr, "den"))
                                : json_null());
        json_object_set(row, "band", json_object_get(cr, "band"));
        json_object_set(row, "note", json_object_get(cr, "note"));
        json_object_set_new(row, "points", real_or_null(num(cr, "points")));
        json_t *ci = interval_of(cr);
        json_object_set_new(row, "interval", ci ? ci : json_null());
        json_object_set_new(row, "shrunk", real_or_null(shrunk_of(cr)));
        json_t *rel = reliability_of(cr);
        json_object_set_new(row, "reliability", rel ? rel : json_null());
        json_array_append_new(rows, row);
    }
    (void)v;
}

/* Three years of the measure of each procedure the rows name (the same kind, subject and
 * grade): the school's and the municipality's share of «2» (objectivity: share of «4» and
 * «5», which inflated marks raise). */
static json_t *trend_of(const view_year *v, int32_t i, const json_t *rows, int quality)
{
    json_t *out = json_array();
    size_t k;
    json_t *row;
    json_array_foreach((json_t *)rows, k, row)
    {
        const char *key = json_string_value(json_object_get(row, "proc_key"));
        if (!key)
            continue;
        int dup = 0;
        size_t j;
        json_t *t;
        json_array_foreach(out, j, t) dup |=
            !strcmp(json_string_value(json_object_get(t, "key")), key);
        if (dup)
            continue;
        json_t *points = json_array();
        for (int y = v->year - 2; y <= v->year; y++) {
            int32_t q = vi_find_proc_key(v, y, key);
            const model_cell *sc = q >= 0 ? model_cell_of(&v->m, q, i) : NULL;
            if (!sc || !sc->participants)
                continue;
            model_cell mc;
            vi_muni_cell(v, q, &mc);
            double sv = quality ? share_quality(sc) : (double)sc->failed / sc->participants;
            double mv = quality ? share_quality(&mc)
                                : (mc.participants ? (double)mc.failed / mc.participants : NAN);
            json_array_append_new(points,
                                  json_pack("{s:i, s:i, s:o, s:o}", "year", y, "participants",
                                            sc->participants, "school", real_or_null(sv),
                                            "municipality", real_or_null(mv)));
        }
        const json_t *proc = json_object_get(row, "proc");
        json_array_append_new(out, json_pack("{s:s, s:O, s:s, s:o}", "key", key, "title",
                                             json_object_get(proc, "title"), "measure",
                                             quality ? "quality" : "share2", "points", points));
    }
    return out;
}

/* The histograms of primary scores of the procedures the objectivity signs read, the
 * school's and the municipality's, with the mark cut-offs (analysts' and the school's own:
 * no suppression needed, the card is not public). */
static json_t *histograms_of(const view_year *v, int32_t i, const json_t *rows)
{
    json_t *out = json_array();
    size_t k;
    json_t *row;
    json_array_foreach((json_t *)rows, k, row)
    {
        const char *key = json_string_value(json_object_get(row, "proc_key"));
        if (!key)
            continue;
        int dup = 0;
        size_t j;
        json_t *h;
        json_array_foreach(out, j, h) dup |=
            !strcmp(json_string_value(json_object_get(h, "key")), key);
        if (dup)
            continue;
        const int *muni = NULL, *mine = NULL;
        size_t n = 0;
        double cuts[3];
        if (view_histogram(v, key, v->m.schools[i].code, &muni, &mine, &n, cuts) || n < 2)
            continue;
        json_t *ms = json_array(), *ss = json_array();
        for (size_t s = 0; s < n; s++) {
            json_array_append_new(ms, json_integer(muni[s]));
            json_array_append_new(ss, json_integer(mine ? mine[s] : 0));
        }
        json_array_append_new(out, json_pack("{s:s, s:O, s:o, s:o, s:[o,o,o]}", "key", key, "title",
                                             json_object_get(row, "label"), "municipality", ms,
                                             "school", ss, "cuts", real_or_null(cuts[0]),
                                             real_or_null(cuts[1]), real_or_null(cuts[2])));
    }
    return out;
}

int view_card(const view_year *v, const view_ctx *c, const char *code, const char *list,
              json_t **out, msk_err *err)
{
    *out = NULL;
    int li = list_of(list);
    if (li < 0) {
        msk_error(err, "нет списка «%s»: есть shnor, risk, objectivity, rating", list);
        return VIEW_NOT_FOUND;
    }
    int32_t i = vi_find_school(v, code);
    if (i < 0) {
        msk_error(err, "школа с кодом «%s» не найдена", code);
        return VIEW_NOT_FOUND;
    }
    /* a card names a school with its numbers: its operator, analysts, the admin; the public
     * sees the lists' counts and the rating's points on /open, never a card (docs/web.md) */
    if (!vi_may_see(c, v, i)) {
        msk_error(err,
                  "обоснование признака школы %s доступно её оператору, аналитику и "
                  "администратору",
                  code);
        return VIEW_FORBIDDEN;
    }
    const view_finding *f = vi_finding(v, v->year, i, list);
    if (!f) {
        msk_error(err, "школы %s нет в списке «%s» за %d год", code, LISTS[li].name, v->year);
        return VIEW_NOT_FOUND;
    }
    json_t *rows = json_array(), *ev = vi_ev(v, f);
    if (li == 0)
        rows_shnor(v, i, ev, rows, LISTS[li].threshold);
    else if (li == 1)
        rows_risk(v, i, ev, rows, LISTS[li].threshold);
    else if (li == 2)
        rows_objectivity(v, i, ev, rows);
    else
        rows_rating(v, i, ev, rows);
    json_t *d = json_object();
    json_object_set_new(d, "year", json_integer(v->year));
    json_object_set_new(d, "list", json_string(list));
    json_object_set_new(d, "list_name", json_string(LISTS[li].name));
    json_object_set_new(d, "school", vi_school_ref(v, i));
    json_object_set_new(d, "href", view_card_href(code, list, v->year));
    json_object_set_new(d, "verdict", json_string(f->verdict));
    json_object_set_new(d, "verdict_label", vi_verdict_label(list, f->verdict));
    /* a list made by another act's rule says its own (method/shnor_rules.c "rule_text") */
    const char *rule_text = json_string_value(json_object_get(ev, "rule_text"));
    json_object_set_new(d, "rule", json_string(rule_text ? rule_text : LISTS[li].rule));
    json_object_set_new(d, "measure", json_string(LISTS[li].measure));
    json_object_set_new(d, "text", vi_texts(ev));
    json_object_set_new(d, "trend", trend_of(v, i, rows, li == 2));
    json_object_set_new(d, "histograms", li == 2 ? histograms_of(v, i, rows) : json_array());
    /* issue 16 item 4: the re-check's coefficient, raw and corrected results beside the signs */
    json_object_set_new(d, "coefficient", li == 2 ? vi_coefficient(v, v->year, i) : json_null());
    json_object_set_new(d, "rows", rows);
    if (li == 3) {
        json_object_set(d, "rank", json_object_get(ev, "rank"));
        json_object_set(d, "points", json_object_get(ev, "points"));
        size_t of = 0;
        for (size_t k = 0; k < v->nfindings; k++)
            of += v->findings[k].year == v->year && !strcmp(v->findings[k].method, "rating") &&
                  v->findings[k].school >= 0;
        json_object_set_new(d, "of", json_integer((json_int_t)of));
    }
    /* the same list in the three years: was the school on it, and with what */
    json_t *hist = json_array();
    for (int y = v->year - 2; y <= v->year; y++) {
        const view_finding *g = vi_finding(v, y, i, list);
        char sy[16];
        json_t *h = json_pack("{s:i, s:s, s:b}", "year", y, "school_year",
                              fmt_school_year(y, sy, sizeof sy), "listed", g != NULL);
        json_object_set_new(h, "verdict_label",
                            g ? vi_verdict_label(list, g->verdict) : json_null());
        if (li == 3 && g)
            json_object_set(h, "rank", vi_rank_of(v, g)->rank);
        json_array_append_new(hist, h);
    }
    json_object_set_new(d, "history", hist);
    json_decref(ev);
    json_object_set_new(d, "answers", json_array());
    json_object_set_new(d, "answer", json_null());
    *out = d;
    return 0;
}

/* ---- answers ---- */

static const char *status_label(const char *status)
{
    return !strcmp(status, "accepted")    ? "пояснение принято"
           : !strcmp(status, "rejected")  ? "пояснение отклонено"
           : !strcmp(status, "submitted") ? "пояснение на рассмотрении"
                                          : "пояснения нет";
}

typedef struct ans_ctx {
    json_t *arr;
} ans_ctx;

static void on_file(void *ctx, const store_answer_file *f)
{
    json_array_append_new(ctx, json_pack("{s:I, s:s, s:I, s:o}", "id", (json_int_t)f->id, "name",
                                         f->name, "size", (json_int_t)f->size, "href",
                                         json_sprintf("/answers/files/%lld", (long long)f->id)));
}

static void on_answer(void *ctx, const store_answer_row *r)
{
    ans_ctx *a = ctx;
    char at[40], rat[40];
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                          (json_int_t)r->id, "text", r->text, "status", r->status, "status_label",
                          status_label(r->status), "created_at", r->created_at, "created_at_text",
                          fmt_datetime(r->created_at, at, sizeof at), "created_by", r->created_by,
                          "reviewed_at_text",
                          r->reviewed_at[0] ? fmt_datetime(r->reviewed_at, rat, sizeof rat) : "",
                          "reviewed_by", r->reviewed_by, "comment", r->comment);
    json_object_set_new(o, "files", json_array());
    json_array_append_new(a->arr, o);
}

int view_card_answers(store *s, const view_ctx *c, json_t *card, msk_err *err)
{
    const char *school =
        json_string_value(json_object_get(json_object_get(card, "school"), "code"));
    const char *list = json_string_value(json_object_get(card, "list"));
    int year = (int)json_integer_value(json_object_get(card, "year"));
    ans_ctx a = {json_array()};
    if (store_answers(s, school, list, year, on_answer, &a, err)) {
        json_decref(a.arr);
        return -1;
    }
    size_t k;
    json_t *o;
    json_array_foreach(a.arr, k, o)
    {
        if (store_answer_files(s, (int64_t)json_integer_value(json_object_get(o, "id")), 0, on_file,
                               json_object_get(o, "files"), err)) {
            json_decref(a.arr);
            return -1;
        }
    }
    json_t *last =
        json_array_size(a.arr) ? json_array_get(a.arr, json_array_size(a.arr) - 1) : NULL;
    const char *st = last ? json_string_value(json_object_get(last, "status")) : "";
    json_object_set_new(card, "answers", a.arr);
    json_object_set(card, "answer", last ? last : json_null());
    json_object_set_new(card, "answer_status", json_string(st));
    json_object_set_new(card, "answer_status_label", json_string(status_label(st)));
    int own = c->role == VIEW_SCHOOL && c->school && school && !strcmp(c->school, school);
    json_object_set_new(card, "can_answer",
                        json_boolean(own && (!last || !strcmp(st, "rejected"))));
    json_object_set_new(card, "can_review",
                        json_boolean(c->role >= VIEW_ANALYST && last && !strcmp(st, "submitted")));
    return 0;
}

typedef struct mark_ctx {
    json_t *map;
} mark_ctx;

static void on_mark(void *ctx, const store_answer_row *r)
{
    mark_ctx *m = ctx;
    char key[96];
    snprintf(key, sizeof key, "%s:%s", r->school, r->list);
    json_object_set_new(m->map, key, /* oldest first: the newest wins */
                        json_pack("{s:s, s:s, s:I}", "status", r->status, "comment", r->comment,
                                  "id", (json_int_t)r->id));
}

int view_answer_marks(store *s, int year, json_t **map, msk_err *err)
{
    mark_ctx m = {json_object()};
    *map = NULL;
    if (store_answers(s, NULL, NULL, year, on_mark, &m, err)) {
        json_decref(m.map);
        return -1;
    }
    *map = m.map;
    return 0;
}

void view_answer_text(const char *status, const char *comment, char *out, size_t n)
{
    const char *st = status ? status : "";
    if (!strcmp(st, "rejected") && comment && *comment)
        snprintf(out, n, "отклонено: %s", comment);
    else
        snprintf(out, n, "%s",
                 !strcmp(st, "accepted")    ? "пояснение принято"
                 : !strcmp(st, "rejected")  ? "отклонено"
                 : !strcmp(st, "submitted") ? "на рассмотрении"
                                            : "ответ не дан");
}

void view_answer_mark(json_t *item, const json_t *map, const char *school, const char *list,
                      int year)
{
    char key[96], text[STORE_ANSWER_TEXT_MAX + 32];
    snprintf(key, sizeof key, "%s:%s", school ? school : "", list ? list : "");
    const json_t *m = json_object_get(map, key);
    const char *st = json_string_value(json_object_get(m, "status"));
    view_answer_text(st, json_string_value(json_object_get(m, "comment")), text, sizeof text);
    json_object_set_new(item, "card", view_card_href(school ? school : "", list, year));
    json_object_set_new(item, "answer_status", json_string(st ? st : ""));
    json_object_set_new(item, "answer_status_label", json_string(text));
}
