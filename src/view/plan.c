/*
 * The roadmap's view model (plan.h): items, lists and the summary, read from the store.
 */
#include "view/plan.h"

#include "base/vocab.h"
#include "store/view.h"

#include <stdio.h>
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
