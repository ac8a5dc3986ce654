/*
 * The roadmap's view model (plan.h): items, lists and the summary, read from the store.
 */
#include "view/plan.h"

#include "base/mem.h"
#include "base/vocab.h"
#include "store/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *view_plan_status_name(const char *code)
{
    return vocab_label(VOCAB_PLAN_STATUS, code);
}

const char *view_plan_status_code(const char *text)
{
    const char *code;
    if (vocab_known(VOCAB_PLAN_STATUS, text))
        return text;
    return text && vocab_code(VOCAB_PLAN_STATUS, text, &code) == 0 ? code : NULL;
}

json_t *view_plan_statuses(void)
{
    size_t n;
    const vocab_entry *e = vocab_entries(VOCAB_PLAN_STATUS, &n);
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s,s:s}", "value", e[i].code, "label", e[i].label));
    return a;
}

void view_plan_due_text(const store_plan_row *r, char *out, size_t outsz)
{
    if (!strcmp(r->due_kind, "date") && strlen(r->due_on) == 10) {
        /* every checkpoint the wording names: «31.10.2023, 30.04.2024» (issue 19 item 7) */
        const char *d = r->due_dates && strlen(r->due_dates) > 10 ? r->due_dates : r->due_on;
        size_t len = 0;
        out[0] = '\0';
        for (; strlen(d) >= 10; d += d[10] == ',' ? 11 : 10) {
            int w = snprintf(out + len, outsz - len, "%s%.2s.%.2s.%.4s", len ? ", " : "", d + 8,
                             d + 5, d);
            if (w < 0 || (size_t)w >= outsz - len) {
                out[len] = '\0'; /* whole dates only */
                break;
            }
            len += (size_t)w;
            if (d[10] != ',')
                break;
        }
    } else if (!strcmp(r->due_kind, "event"))
        snprintf(out, outsz, "через %d дн. после оценочной процедуры", r->due_days);
    else
        snprintf(out, outsz, "без срока (%s)", r->due_why[0] ? r->due_why : "срок не указан");
}

json_t *view_plan_item(const store_plan_row *r)
{
    char due[200];
    view_plan_due_text(r, due, sizeof due);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(r->id));
    json_object_set_new(o, "roadmap", json_string(r->roadmap));
    json_object_set_new(o, "year", r->year == STORE_NONE ? json_null() : json_integer(r->year));
    json_object_set_new(o, "section", json_string(r->section));
    json_object_set_new(o, "number", json_string(r->number));
    json_object_set_new(o, "text", json_string(r->text));
    json_object_set_new(o, "deadline", json_string(r->deadline));
    json_object_set_new(o, "due_on", r->due_on[0] ? json_string(r->due_on) : json_null());
    json_object_set_new(o, "due_kind", json_string(r->due_kind));
    json_object_set_new(o, "due_why", json_string(r->due_why));
    json_object_set_new(o, "due", json_string(due));
    json_t *dates = json_array();
    for (const char *d = r->due_dates ? r->due_dates : ""; strlen(d) >= 10;
         d += d[10] == ',' ? 11 : 10) {
        json_array_append_new(dates, json_stringn(d, 10));
        if (d[10] != ',')
            break;
    }
    if (!json_array_size(dates) && r->due_on[0])
        json_array_append_new(dates, json_string(r->due_on));
    json_object_set_new(o, "due_dates", dates);
    json_object_set_new(o, "responsible", json_string(r->responsible));
    json_object_set_new(o, "result", json_string(r->result));
    json_object_set_new(o, "status", json_string(r->status));
    json_object_set_new(o, "status_label",
                        json_string(view_plan_status_name(r->overdue ? "overdue" : r->status)));
    json_object_set_new(o, "status_name", json_string(view_plan_status_name(r->status)));
    json_object_set_new(o, "overdue", json_boolean(r->overdue));
    json_object_set_new(o, "done", json_boolean(!strcmp(r->status, "done")));
    json_object_set_new(o, "note", json_string(r->note));
    json_object_set_new(o, "school", r->school_code[0] ? json_string(r->school_code) : json_null());
    json_object_set_new(o, "finding_id", r->finding_id ? json_integer(r->finding_id) : json_null());
    json_object_set_new(o, "files", json_integer(r->nfiles));
    return o;
}

typedef struct acc {
    json_t *items;
    int n, overdue;
} acc;

static void on_row(void *ctx, const store_plan_row *r)
{
    acc *a = ctx;
    a->n++;
    a->overdue += r->overdue;
    json_array_append_new(a->items, view_plan_item(r));
}

static int items(store *s, int year, const char *roadmap, enum store_plan_filter f,
                 const char *today, acc *a, msk_err *err)
{
    a->items = json_array();
    a->n = a->overdue = 0;
    if (store_plan_each(s, year, roadmap, f, today, on_row, a, err)) {
        json_decref(a->items);
        a->items = NULL;
        return -1;
    }
    return 0;
}

int view_plan_list(store *s, int year, const char *roadmap, enum store_plan_filter filter,
                   const char *today, json_t **out, msk_err *err)
{
    acc a;
    *out = NULL;
    if (items(s, year, roadmap, filter, today, &a, err))
        return -1;
    *out = json_pack("{s:s, s:o, s:i, s:i}", "today", today, "items", a.items, "count", a.n,
                     "overdue", a.overdue);
    return 0;
}

int view_plan_summary(store *s, int year, const char *today, json_t **out, msk_err *err)
{
    acc due, late;
    *out = NULL;
    if (items(s, year, NULL, PLAN_DUE_MONTH, today, &due, err))
        return -1;
    if (items(s, year, NULL, PLAN_OVERDUE, today, &late, err)) {
        json_decref(due.items);
        return -1;
    }
    json_t *top = json_array(); /* the dashboard names the first ten */
    for (size_t i = 0; i < json_array_size(late.items) && i < 10; i++)
        json_array_append(top, json_array_get(late.items, i));
    *out =
        json_pack("{s:o,s:o,s:o,s:i,s:i,s:s}", "due_month", due.items, "overdue_items", late.items,
                  "overdue_top", top, "due_count", due.n, "overdue_count", late.n, "today", today);
    return 0;
}

int view_plan_year(store *s, int year, const char *today, json_t **out, msk_err *err)
{
    acc all, month;
    *out = NULL;
    if (items(s, year, NULL, PLAN_ALL, today, &all, err))
        return -1;
    if (items(s, year, NULL, PLAN_DUE_MONTH, today, &month, err)) {
        json_decref(all.items);
        return -1;
    }
    size_t i, k;
    json_t *it, *m;
    json_array_foreach(all.items, i, it)
    {
        int in = 0;
        json_int_t id = json_integer_value(json_object_get(it, "id"));
        json_array_foreach(month.items, k, m) in |=
            json_integer_value(json_object_get(m, "id")) == id;
        json_object_set_new(it, "month", json_boolean(in));
    }
    json_decref(month.items);
    *out = all.items;
    return 0;
}

int view_plan_years(store *s, json_t **out, msk_err *err)
{
    int py[64], ry[64], np = 0, nr = 0, i = 0, k = 0;
    *out = NULL;
    if (store_plan_years(s, py, 64, &np, err) || store_read_years(s, ry, 64, &nr, err))
        return -1;
    json_t *a = json_array();
    while (i < np || k < nr) { /* both newest first: merge, each year once */
        int y = k >= nr || (i < np && py[i] > ry[k]) ? py[i] : ry[k];
        json_array_append_new(a, json_integer(y));
        while (i < np && py[i] == y)
            i++;
        while (k < nr && ry[k] == y)
            k++;
    }
    *out = a;
    return 0;
}

/* ---- the roadmap page: every item of the year, filtered (issue 14 п. 10) ------------------ */

/* Does item it pass the filter? An empty field of q matches anything. */
static int plan_match(const json_t *it, const view_plan_query *q)
{
    const char *st = q->status && q->status[0] ? q->status : NULL;
    if (st) {
        int overdue = json_is_true(json_object_get(it, "overdue"));
        if (!strcmp(st, "overdue")) {
            if (!overdue)
                return 0;
        } else if (!strcmp(st, "month")) {
            if (!json_is_true(json_object_get(it, "month")))
                return 0;
        } else if (strcmp(st, json_string_value(json_object_get(it, "status"))))
            return 0;
    }
    const struct {
        const char *want, *key;
    } eq[] = {{q->responsible, "responsible"}, {q->section, "section"}, {q->roadmap, "roadmap"}};
    for (size_t k = 0; k < sizeof eq / sizeof eq[0]; k++)
        if (eq[k].want && eq[k].want[0] &&
            strcmp(eq[k].want, json_string_value(json_object_get(it, eq[k].key))))
            return 0;
    return 1;
}

/* Add value to options ([{value, label, count, selected}]) once, counting it. */
static void plan_option(json_t *options, const char *value, const char *chosen)
{
    size_t i;
    json_t *o;
    if (!value || !value[0])
        return;
    json_array_foreach(options, i, o)
    {
        if (!strcmp(json_string_value(json_object_get(o, "value")), value)) {
            json_object_set_new(o, "count",
                                json_integer(json_integer_value(json_object_get(o, "count")) + 1));
            return;
        }
    }
    json_array_append_new(options,
                          json_pack("{s:s,s:s,s:i,s:b}", "value", value, "label", value, "count", 1,
                                    "selected", chosen && !strcmp(chosen, value)));
}

/* The status choices of one item's form, its own status selected: a change of the note alone
 * never resets the status (issue 14 п. 10: the drop-down used to start at «запланировано»). */
json_t *view_plan_status_choices(const char *current)
{
    json_t *a = view_plan_statuses();
    size_t i;
    json_t *o;
    json_array_foreach(a, i, o) json_object_set_new(
        o, "selected",
        json_boolean(!strcmp(json_string_value(json_object_get(o, "value")), current)));
    return a;
}

static int by_label(const void *a, const void *b)
{
    return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "label")),
                  json_string_value(json_object_get(*(json_t *const *)b, "label")));
}

/* The choices of a filter in the order of their labels (a new array; options is released). */
static json_t *sorted(json_t *options)
{
    size_t n = json_array_size(options);
    json_t **v = msk_calloc(n ? n : 1, sizeof *v), *out = json_array();
    for (size_t i = 0; i < n; i++)
        v[i] = json_array_get(options, i);
    qsort(v, n, sizeof *v, by_label);
    for (size_t i = 0; i < n; i++)
        json_array_append(out, v[i]);
    free(v);
    json_decref(options);
    return out;
}

int view_plan_page(store *s, int year, const char *today, const view_plan_query *q, json_t **out,
                   msk_err *err)
{
    json_t *all = NULL;
    *out = NULL;
    if (view_plan_year(s, year, today, &all, err))
        return -1;
    json_t *shown = json_array(), *resp = json_array(), *sect = json_array(), *maps = json_array();
    int n_overdue = 0, n_month = 0, n_by[8] = {0};
    size_t nst;
    const vocab_entry *st = vocab_entries(VOCAB_PLAN_STATUS, &nst);
    size_t i;
    json_t *it;
    for (i = json_array_size(all); q->scope && i-- > 0;) { /* issue 17 item 2 */
        const char *sc = json_string_value(json_object_get(json_array_get(all, i), "school"));
        if (sc && !view_ctx_knows(q->scope, sc))
            json_array_remove(all, i);
    }
    json_array_foreach(all, i, it)
    {
        const char *status = json_string_value(json_object_get(it, "status"));
        n_overdue += json_is_true(json_object_get(it, "overdue"));
        n_month += json_is_true(json_object_get(it, "month"));
        for (size_t k = 0; k < nst && k < 8; k++)
            n_by[k] += !strcmp(st[k].code, status);
        plan_option(resp, json_string_value(json_object_get(it, "responsible")), q->responsible);
        plan_option(sect, json_string_value(json_object_get(it, "section")), q->section);
        plan_option(maps, json_string_value(json_object_get(it, "roadmap")), q->roadmap);
        if (!plan_match(it, q))
            continue;
        json_object_set_new(it, "status_choices", view_plan_status_choices(status));
        json_array_append(shown, it);
    }
    /* the status filter: the two the dashboard counts, then every stored status */
    json_t *sf = json_array();
    const char *want = q->status ? q->status : "";
    json_array_append_new(sf,
                          json_pack("{s:s,s:s,s:i,s:b}", "value", "overdue", "label", "просрочено",
                                    "count", n_overdue, "selected", !strcmp(want, "overdue")));
    json_array_append_new(sf, json_pack("{s:s,s:s,s:i,s:b}", "value", "month", "label",
                                        "срок в этом месяце", "count", n_month, "selected",
                                        !strcmp(want, "month")));
    for (size_t k = 0; k < nst && k < 8; k++)
        if (strcmp(st[k].code, "overdue")) /* «просрочено» is the computed one above */
            json_array_append_new(sf, json_pack("{s:s,s:s,s:i,s:b}", "value", st[k].code, "label",
                                                st[k].label, "count", n_by[k], "selected",
                                                !strcmp(want, st[k].code)));
    int filtered = (q->status && q->status[0]) || (q->responsible && q->responsible[0]) ||
                   (q->section && q->section[0]) || (q->roadmap && q->roadmap[0]);
    *out = json_pack("{s:o,s:I,s:I,s:i,s:i,s:b,s:{s:o,s:o,s:o,s:o},s:{s:s,s:s,s:s,s:s}}", "items",
                     shown, "shown", (json_int_t)json_array_size(shown), "total",
                     (json_int_t)json_array_size(all), "overdue_count", n_overdue, "month_count",
                     n_month, "filtered", filtered, "options", "statuses", sf, "responsibles",
                     sorted(resp), "sections", sect, "roadmaps", sorted(maps), "filter", "status",
                     want, "responsible", q->responsible ? q->responsible : "", "section",
                     q->section ? q->section : "", "roadmap", q->roadmap ? q->roadmap : "");
    json_decref(all);
    return 0;
}
