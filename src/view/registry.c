/*
 * Registries for pages and exports: see registry.h.
 */
#include "view/registry.h"

#include <stdio.h>
#include <string.h>

typedef struct list_ctx {
    const rk_kind *k;
    json_t *rows;
} list_ctx;

static void add_row(void *ctx, const store_registry_row *r)
{
    list_ctx *l = ctx;
    json_t *data = json_loads(r->data, 0, NULL);
    json_t *cells = json_array();
    char text[600];
    for (size_t i = 0; i < l->k->ncols; i++) {
        const rk_column *c = &l->k->cols[i];
        json_t *v = NULL;
        if (!strcmp(c->code, "code"))
            snprintf(text, sizeof text, "%s", r->code);
        else if (!strcmp(c->code, "school"))
            snprintf(text, sizeof text, "%s", r->school);
        else if (!strcmp(c->code, "year"))
            snprintf(text, sizeof text, "%d", r->year);
        else {
            v = json_object_get(data, c->code);
            rk_value_text(c, json_string_value(v), json_number_value(v), json_is_number(v), text,
                          sizeof text);
        }
        json_array_append_new(cells, json_string(text));
    }
    json_array_append_new(l->rows,
                          json_pack("{s:I, s:i, s:s, s:s, s:o, s:o}", "id", (json_int_t)r->id,
                                    "year", r->year, "school", r->school, "code", r->code, "cells",
                                    cells, "values", data ? data : json_object()));
}

int view_registry_list(store *s, const view_ctx *c, const rk_kind *k, store_registry_query q,
                       json_t **out, msk_err *err)
{
    list_ctx l = {k, json_array()};
    int64_t total = 0;
    *out = NULL;
    if (c->role == VIEW_PUBLIC) {
        json_decref(l.rows);
        return VIEW_FORBIDDEN;
    }
    if (c->role == VIEW_SCHOOL)
        q.school = c->school ? c->school : "";
    q.municipality = c->scope ? c->scope->muni : 0; /* issue 17 item 2 */
    q.kind = k->code;
    /* a choice's word («высшая», «эксперт ВПР») is stored as its code: search for the code */
    for (size_t i = 0; q.text && *q.text && i < k->ncols; i++) {
        const rk_choice *ch =
            k->cols[i].type == RK_CHOICE ? rk_choice_find(&k->cols[i], q.text) : NULL;
        int free_slot = -1;
        for (int f = STORE_REGISTRY_FILTERS - 1; f >= 0; f--)
            if (!q.col[f] || !*q.col[f])
                free_slot = f;
        if (ch && free_slot >= 0) {
            q.col[free_slot] = k->cols[i].code;
            q.val[free_slot] = ch->code;
            q.text = NULL;
        }
    }
    if (store_registry_list(s, &q, add_row, &l, &total, err)) {
        json_decref(l.rows);
        return -1;
    }
    json_t *cols = json_array();
    for (size_t i = 0; i < k->ncols; i++)
        json_array_append_new(cols,
                              json_pack("{s:s, s:s, s:s}", "code", k->cols[i].code, "header",
                                        k->cols[i].header, "type", rk_type_name(k->cols[i].type)));
    *out = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:o}", "kind", k->code, "name", k->name,
                     "section", k->section, "people", k->people, "total", (json_int_t)total,
                     "shown", (json_int_t)json_array_size(l.rows), "columns", cols, "rows", l.rows);
    return 0;
}

/* The measures of the teachers' table: registry kind, filter, sum column, years back. */
typedef struct measure {
    const char *key, *kind, *col, *val, *sum;
    int back;
} measure;

static const measure MEASURES[] = {
    {"teachers", "teacher", NULL, NULL, NULL, 0},
    {"highest", "teacher", "category", "highest", NULL, 0},
    {"first", "teacher", "category", "first", NULL, 0},
    {"conformity", "teacher", "category", "conformity", NULL, 0},
    {"none", "teacher", "category", "none", NULL, 0},
    {"young", "teacher", "young", "1", NULL, 0},
    {"mentors", "teacher", "mentor", "1", NULL, 0},
    {"has_mentor", "teacher", "has_mentor", "1", NULL, 0},
    {"deficits_diag", "teacher", "deficits_diag", "1", NULL, 0},
    {"burnout_diag", "teacher", "burnout_diag", "1", NULL, 0},
    /* seed 001 п. 9.1: курсы — раз в три года; hours of the last three school years */
    {"course_hours_3y", "teacher_course", NULL, NULL, "hours", 2},
};

typedef struct sum_ctx {
    json_t *by_school;
    const char *key;
    const char *only;
    const view_ctx *vc; /* the scope: schools of another municipality are left out */
} sum_ctx;

static void add_total(void *ctx, const char *school, double v)
{
    sum_ctx *c = ctx;
    if ((c->only && strcmp(c->only, school)) || !view_ctx_knows(c->vc, school))
        return;
    json_t *row = json_object_get(c->by_school, school);
    if (!row) {
        row = json_object();
        json_object_set_new(row, "school", json_string(school));
        for (size_t i = 0; i < sizeof MEASURES / sizeof MEASURES[0]; i++)
            json_object_set_new(row, MEASURES[i].key, json_integer(0));
        json_object_set_new(c->by_school, school, row);
    }
    json_t *old = json_object_get(row, c->key);
    json_object_set_new(row, c->key, json_integer(json_integer_value(old) + (json_int_t)v));
}

int view_registry_teachers(store *s, const view_ctx *c, int year, json_t **out, msk_err *err)
{
    *out = NULL;
    if (c->role == VIEW_PUBLIC)
        return VIEW_FORBIDDEN;
    json_t *by = json_object();
    sum_ctx sc = {by, NULL, c->role == VIEW_SCHOOL ? (c->school ? c->school : "") : NULL, c};
    for (size_t i = 0; i < sizeof MEASURES / sizeof MEASURES[0]; i++) {
        const measure *m = &MEASURES[i];
        sc.key = m->key;
        for (int y = year - m->back; y <= year; y++)
            if (store_registry_school_totals(s, m->kind, y, m->col, m->col ? "=" : NULL, m->val,
                                             m->sum, add_total, &sc, err)) {
                json_decref(by);
                return -1;
            }
    }
    json_t *schools = json_array(), *total = json_object();
    const char *code;
    json_t *row;
    for (size_t i = 0; i < sizeof MEASURES / sizeof MEASURES[0]; i++)
        json_object_set_new(total, MEASURES[i].key, json_integer(0));
    json_object_foreach(by, code, row)
    {
        json_array_append(schools, row);
        for (size_t i = 0; i < sizeof MEASURES / sizeof MEASURES[0]; i++) {
            const char *key = MEASURES[i].key;
            json_object_set_new(total, key,
                                json_integer(json_integer_value(json_object_get(total, key)) +
                                             json_integer_value(json_object_get(row, key))));
        }
    }
    json_decref(by);
    *out = json_pack("{s:i, s:o, s:o}", "year", year, "schools", schools, "total", total);
    return 0;
}
