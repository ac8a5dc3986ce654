/*
 * Management decisions and their effect (decision.h, issue 15 item 4). Seed 001 п. 1.17–1.18 and
 * seed 000 §V end the management cycle with «анализ эффективности принятых мер» in the next
 * cycle: for every school a decision names, the analysis of the next year says whether the
 * school left the list the decision answered, and the measures that put it there before and
 * after — the share of «2» on each procedure that made it ШНОР, the number of risk factors or
 * objectivity signs, the rating place.
 */
#include "view/decision.h"

#include "base/fmt.h"
#include "base/mem.h"
#include "base/vocab.h"
#include "store/decision.h"
#include "view/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *view_decision_kinds(void)
{
    size_t n;
    const vocab_entry *e = vocab_entries(VOCAB_DECISION_KIND, &n);
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s,s:s}", "value", e[i].code, "label", e[i].label));
    return a;
}

json_t *view_decision_lists(void)
{
    size_t n;
    const vocab_entry *e = vocab_entries(VOCAB_METHOD, &n);
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s,s:s}", "value", e[i].code, "label", e[i].label));
    return a;
}

json_t *view_decision_directions(void)
{
    size_t n;
    const vocab_entry *e = vocab_entries(VOCAB_DIRECTION, &n);
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s,s:s,s:b,s:b}", "value", e[i].code, "label",
                                           e[i].label, "is_shnor", !strcmp(e[i].code, "shnor"),
                                           "is_objectivity", !strcmp(e[i].code, "objectivity")));
    return a;
}

/* Has v an analysis of year (a finding of any kind, the municipal indicators at least)? */
static int has_analysis(const view_year *v, int year)
{
    int k = v ? v->year - year : -1;
    return k >= 0 && k < VIEW_DEPTH && v->run_at[k][0];
}

/* The share of «2» (below the minimum) of school i on the procedure kind/subject/grade of year,
 * or NAN when it has no results there. */
static double failed_share(const view_year *v, int32_t i, int year, const char *kind,
                           const char *subject, int grade, int *n)
{
    int32_t p = model_find_proc(&v->m, year, kind, subject, grade);
    const model_cell *c = p >= 0 ? model_cell_of(&v->m, p, i) : NULL;
    *n = c ? c->participants : 0;
    return c && c->participants > 0 ? (double)c->failed / c->participants : NAN;
}

static json_t *num_or_null(double x)
{
    return isnan(x) ? json_null() : json_real(x);
}

/* The measures behind the school's place on list, before (year) and after (year + 1). */
static json_t *measures(const view_year *v, int32_t i, const char *list, int year,
                        const view_finding *before, const view_finding *after)
{
    json_t *a = json_array();
    if (!strcmp(list, "shnor") && before) {
        /* each procedure of the year that put the school on the list, and the same procedure
         * (kind, subject, grade) in the next year's results */
        size_t k;
        json_t *low, *ev = vi_ev(v, before);
        json_array_foreach(json_object_get(ev, "low"), k, low)
        {
            const char *kind = json_string_value(json_object_get(low, "kind"));
            const char *subject = json_string_value(json_object_get(low, "subject"));
            int grade = (int)json_integer_value(json_object_get(low, "grade"));
            int ly = (int)json_integer_value(json_object_get(low, "year"));
            if (!kind || !subject || ly != year)
                continue;
            int nb, na;
            double b = failed_share(v, i, year, kind, subject, grade, &nb);
            double af = failed_share(v, i, year + 1, kind, subject, grade, &na);
            char label[200];
            int32_t p = model_find_proc(&v->m, year, kind, subject, grade);
            int by_min = p >= 0 && v->m.procs[p].min_test >= 0 && isnan(v->m.procs[p].cut3);
            snprintf(label, sizeof label, "%s, %s, %d класс: %s", vi_name(v, "kind", kind),
                     vocab_known(VOCAB_SUBJECT, subject) ? vocab_lower(VOCAB_SUBJECT, subject)
                                                         : vi_name(v, "subject", subject),
                     grade, by_min ? "доля ниже минимального балла" : "доля «2»");
            json_array_append_new(
                a, json_pack("{s:s,s:o,s:o,s:o,s:i,s:i,s:o,s:s}", "label", label, "before",
                             num_or_null(b), "after", num_or_null(af), "diff",
                             num_or_null(isnan(b) || isnan(af) ? NAN : af - b), "n_before", nb,
                             "n_after", na, "better",
                             isnan(b) || isnan(af) ? json_null() : json_boolean(af < b), "unit",
                             "share"));
        }
        json_decref(ev);
        return a;
    }
    const char *key = !strcmp(list, "risk")          ? "factors"
                      : !strcmp(list, "objectivity") ? "signs"
                      : !strcmp(list, "rating")      ? "rank"
                                                     : NULL;
    if (!key)
        return a;
    double b = NAN, af = NAN;
    json_t *eb = before ? vi_ev(v, before) : NULL, *ea = after ? vi_ev(v, after) : NULL;
    if (before)
        b = !strcmp(key, "rank") ? json_number_value(json_object_get(eb, key))
                                 : (double)json_array_size(json_object_get(eb, key));
    if (after)
        af = !strcmp(key, "rank") ? json_number_value(json_object_get(ea, key))
                                  : (double)json_array_size(json_object_get(ea, key));
    else if (has_analysis(v, year + 1) && strcmp(key, "rank"))
        af = 0; /* off the list: no factor, no sign */
    json_decref(eb);
    json_decref(ea);
    const char *label = !strcmp(key, "factors") ? "факторов риска"
                        : !strcmp(key, "signs") ? "признаков необъективности"
                                                : "место в рейтинге";
    json_array_append_new(a, json_pack("{s:s,s:o,s:o,s:o,s:o,s:s}", "label", label, "before",
                                       num_or_null(b), "after", num_or_null(af), "diff",
                                       num_or_null(isnan(b) || isnan(af) ? NAN : af - b), "better",
                                       isnan(b) || isnan(af) ? json_null() : json_boolean(af < b),
                                       "unit", "count"));
    return a;
}

/* One school of a decision: listed before and after, and what moved. */
static json_t *school_effect(const view_year *v, const char *code, const char *list, int year)
{
    int32_t i = v ? vi_find_school(v, code) : -1;
    json_t *o = json_pack("{s:s}", "code", code);
    if (i < 0) {
        json_object_set_new(o, "name", json_string(code));
        json_object_set_new(o, "moved", json_string("unknown"));
        json_object_set_new(o, "moved_text", json_string(v ? "школы нет в данных года" : ""));
        json_object_set_new(o, "measures", json_array());
        return o;
    }
    json_object_set_new(o, "name", json_string(v->m.schools[i].name));
    if (!list[0]) {
        json_object_set_new(o, "moved", json_string("unknown"));
        json_object_set_new(o, "moved_text", json_string("решение не отвечает на список"));
        json_object_set_new(o, "measures", json_array());
        return o;
    }
    const view_finding *fb = vi_finding(v, year, i, list), *fa = vi_finding(v, year + 1, i, list);
    int hb = has_analysis(v, year), ha = has_analysis(v, year + 1);
    const char *lname = vocab_label(VOCAB_METHOD, list);
    char text[240];
    const char *moved;
    if (!ha) {
        moved = "unknown";
        snprintf(text, sizeof text, "результат будет виден после анализа %d года", year + 1);
    } else if (!strcmp(list, "rating")) {
        double b = fb ? json_number_value(vi_rank_of(v, fb)->rank) : NAN;
        double a = fa ? json_number_value(vi_rank_of(v, fa)->rank) : NAN;
        moved = isnan(b) || isnan(a) ? "unknown" : a < b ? "out" : "stayed";
        if (isnan(b) || isnan(a))
            snprintf(text, sizeof text, "места в рейтинге нет в одном из лет");
        else
            snprintf(text, sizeof text, "место в рейтинге: %.0f → %.0f", b, a);
    } else if (fb && !fa) {
        moved = "out";
        snprintf(text, sizeof text, "вышла из списка «%s» в анализе %d года", lname, year + 1);
    } else if (fb && fa) {
        moved = "stayed";
        snprintf(text, sizeof text, "осталась в списке «%s» в анализе %d года", lname, year + 1);
    } else if (!fb && fa) {
        moved = "in";
        snprintf(text, sizeof text, "вошла в список «%s» в анализе %d года", lname, year + 1);
    } else {
        moved = "still_out";
        snprintf(text, sizeof text, "не входит в список «%s» ни в %d, ни в %d году", lname, year,
                 year + 1);
    }
    json_object_set_new(o, "before",
                        json_pack("{s:o}", "listed", hb ? json_boolean(fb != NULL) : json_null()));
    json_object_set_new(o, "after",
                        json_pack("{s:o}", "listed", ha ? json_boolean(fa != NULL) : json_null()));
    json_object_set_new(o, "moved", json_string(moved));
    json_object_set_new(o, "moved_text", json_string(text));
    json_object_set_new(o, "measures", measures(v, i, list, year, fb, fa));
    return o;
}

typedef struct dec_ctx {
    const view_year *v;
    const view_ctx *c;
    json_t *items;
} dec_ctx;

json_t *view_decision_json(const view_year *v, const view_ctx *c, const store_decision *d)
{
    char taken[16], due[16], title[200];
    fmt_date(d->taken_on, taken, sizeof taken);
    fmt_date(d->due_on, due, sizeof due);
    const char *kind = vocab_label(VOCAB_DECISION_KIND, d->kind);
    snprintf(title, sizeof title, "%s от %s%s%s", kind, taken, d->number[0] ? " № " : "",
             d->number);
    json_t *o = json_pack("{s:I,s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:i}", "id",
                          (json_int_t)d->id, "year", d->year, "kind", d->kind, "kind_name", kind,
                          "title", title, "number", d->number, "taken_on", d->taken_on,
                          "taken_on_text", taken, "text", d->text, "list", d->list, "list_name",
                          d->list[0] ? vocab_label(VOCAB_METHOD, d->list) : "", "responsible",
                          d->responsible, "due_on", d->due_on, "due_text", d->due_on[0] ? due : "",
                          "files", d->nfiles, "effect_year", d->year + 1);
    const char *dir = d->direction ? d->direction : "";
    json_object_set_new(o, "direction", json_string(dir));
    json_object_set_new(o, "direction_name",
                        json_string(dir[0] ? vocab_label(VOCAB_DIRECTION, dir) : ""));
    json_t *schools = json_array();
    int n = 0, out = 0, known = 0;
    char code[64];
    for (const char *p = d->schools; *p;) {
        size_t len = strcspn(p, ",");
        snprintf(code, sizeof code, "%.*s", (int)len, p);
        p += len + (p[len] == ',');
        if (c->role == VIEW_SCHOOL && (!c->school || strcmp(c->school, code)))
            continue; /* an operator sees its own school's row only */
        if (!vi_in_scope(v, code))
            continue; /* a school of another municipality (view_year_load_in) */
        json_t *e = school_effect(v, code, d->list, d->year);
        const char *moved = json_string_value(json_object_get(e, "moved"));
        n++;
        out += !strcmp(moved, "out");
        known += strcmp(moved, "unknown") != 0;
        json_array_append_new(schools, e);
    }
    json_object_set_new(o, "schools", schools);
    char effect[200] = "";
    if (n && known && d->list[0] && strcmp(d->list, "rating"))
        snprintf(effect, sizeof effect, "из списка «%s» %s %d %s из %d",
                 vocab_label(VOCAB_METHOD, d->list), fmt_plural(out, "вышла", "вышли", "вышли"),
                 out, fmt_plural(out, "школа", "школы", "школ"), n);
    else if (n && known && !strcmp(d->list, "rating"))
        snprintf(effect, sizeof effect, "в рейтинге %s %d %s из %d",
                 fmt_plural(out, "поднялась", "поднялись", "поднялись"), out,
                 fmt_plural(out, "школа", "школы", "школ"), n);
    else if (n && d->list[0] && !has_analysis(v, d->year + 1))
        snprintf(effect, sizeof effect, "результат будет виден после анализа %d года", d->year + 1);
    json_object_set_new(o, "effect_text", json_string(effect));
    return o;
}

/* A decision addressed to schools none of which is in v's scope is not the viewer's to know
 * (a decision of the whole installation, naming no school, is everyone's). */
static int out_of_scope(const view_year *v, const store_decision *d)
{
    char code[64];
    if (!d->schools[0])
        return 0;
    for (const char *p = d->schools; *p;) {
        size_t len = strcspn(p, ",");
        snprintf(code, sizeof code, "%.*s", (int)len, p);
        p += len + (p[len] == ',');
        if (vi_in_scope(v, code))
            return 0;
    }
    return 1;
}

static void on_decision(void *ctx, const store_decision *d)
{
    dec_ctx *x = ctx;
    if (!out_of_scope(x->v, d))
        json_array_append_new(x->items, view_decision_json(x->v, x->c, d));
}

int view_decisions(store *s, const view_year *v, const view_ctx *c, int year, const char *school,
                   json_t **out, msk_err *err)
{
    dec_ctx x = {v, c, json_array()};
    *out = NULL;
    if (c->role == VIEW_PUBLIC) {
        msk_error(err, "Управленческие решения видят аналитик, руководитель и школа, которой они "
                       "адресованы");
        json_decref(x.items);
        return VIEW_FORBIDDEN;
    }
    if (c->role == VIEW_SCHOOL)
        school = c->school ? c->school : "";
    if (store_decisions(s, year, school, on_decision, &x, err)) {
        json_decref(x.items);
        return -1;
    }
    *out = json_pack("{s:o,s:I}", "items", x.items, "count", (json_int_t)json_array_size(x.items));
    return 0;
}

int view_decisions_page(store *s, const view_year *v, const view_ctx *c, int year, json_t **out,
                        msk_err *err)
{
    json_t *prev = NULL, *cur = NULL;
    *out = NULL;
    int rc = view_decisions(s, v, c, year - 1, NULL, &prev, err);
    if (!rc)
        rc = view_decisions(s, v, c, year, NULL, &cur, err);
    if (rc) {
        json_decref(prev);
        return rc;
    }
    *out = json_pack("{s:o,s:o,s:i,s:i}", "previous", prev, "current", cur, "prev_year", year - 1,
                     "this_year", year);
    return 0;
}

static void on_one(void *ctx, const store_decision *d)
{
    dec_ctx *x = ctx;
    if (!out_of_scope(x->v, d))
        x->items = view_decision_json(x->v, x->c, d);
}

static void on_file(void *ctx, const store_decision_file *f)
{
    char size[48], at[32];
    fmt_size((long long)f->size, size, sizeof size);
    fmt_datetime(f->added_at, at, sizeof at);
    json_array_append_new(ctx, json_pack("{s:I,s:s,s:I,s:s,s:s,s:s}", "id", (json_int_t)f->id,
                                         "name", f->name, "size", (json_int_t)f->size, "size_text",
                                         size, "added_at", at, "added_by", f->added_by));
}

int view_decision(store *s, const view_year *v, const view_ctx *c, int64_t id, json_t **out,
                  msk_err *err)
{
    dec_ctx x = {v, c, NULL};
    *out = NULL;
    if (c->role == VIEW_PUBLIC) {
        msk_error(err, "Управленческие решения видят аналитик, руководитель и школа, которой они "
                       "адресованы");
        return VIEW_FORBIDDEN;
    }
    int rc = store_decision_get(s, id, on_one, &x, err);
    if (rc)
        return rc > 0 ? VIEW_NOT_FOUND : -1;
    if (!x.items) /* outside the scope: the same answer as no such decision */
        return VIEW_NOT_FOUND;
    if (c->role == VIEW_SCHOOL && !json_array_size(json_object_get(x.items, "schools"))) {
        json_decref(x.items);
        msk_error(err, "Решение %lld не адресовано вашей школе", (long long)id);
        return VIEW_FORBIDDEN;
    }
    json_t *files = json_array();
    if (store_decision_files(s, id, on_file, files, err)) {
        json_decref(files);
        json_decref(x.items);
        return -1;
    }
    json_object_set_new(x.items, "file_list", files);
    *out = x.items;
    return 0;
}
