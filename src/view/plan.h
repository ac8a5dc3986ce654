/*
 * The roadmap as every reader shows it: one JSON shape per item, built here once for the web
 * (the dashboard and /plan), `msoko show plan`, `msoko plan list --json` and the report, so
 * keys and wording never differ. Reading only: due dates are refreshed by the write paths
 * (src/app/), never by a view.
 *
 * An item: {"id", "roadmap", "year" (null), "section", "number", "text", "deadline", "due_on"
 * (YYYY-MM-DD or null), "due_kind" ("date", "event", "none"), "due_why", "due_dates" (every
 * date the wording names, YYYY-MM-DD, ascending; due_on is the last), "due" (Russian:
 * «30.09.2023», «через 10 дн. после оценочной процедуры», «без срока (постоянно)»),
 * "responsible", "result", "status", "status_label" (Russian; «просрочено» when overdue),
 * "status_name" (the stored status in Russian, overdue or not), "overdue", "done", "note", "school"
 * (code or null), "finding_id" (or null), "files"}.
 */
#ifndef MSK_VIEW_PLAN_H
#define MSK_VIEW_PLAN_H

#include "base/err.h"
#include "store/plan.h"
#include "view/view.h"

#include <jansson.h>

/* The Russian name of a plan status code (planned → «запланировано»); the code itself when
 * unknown. */
const char *view_plan_status_name(const char *code);
/* A status code from its code or its Russian name; NULL when neither. */
const char *view_plan_status_code(const char *text);
/* [{"value", "label"}] of the five statuses, for a form's choices. */
json_t *view_plan_statuses(void);
/* The five statuses for one item's form, current selected ({"value", "label", "selected"}). */
json_t *view_plan_status_choices(const char *current);
/* The Russian due text of an item into out. */
void view_plan_due_text(const store_plan_row *r, char *out, size_t outsz);

/* One item (a new reference). */
json_t *view_plan_item(const store_plan_row *r);
/* Items of year (STORE_NONE = all) and roadmap (NULL = all) by filter, as of today:
 * {"today", "items": [...], "count", "overdue"}. */
int view_plan_list(store *s, int year, const char *roadmap, enum store_plan_filter filter,
                   const char *today, json_t **out, msk_err *err);
/* What the dashboard and /plan show: {"due_month": [...], "overdue_items": [...],
 * "overdue_top": [first ten], "due_count", "overdue_count", "today"}. */
int view_plan_summary(store *s, int year, const char *today, json_t **out, msk_err *err);
/* The years the roadmap page offers, newest first: those with plan items (an analysis plans
 * for the next year, which has no results yet) and those with results. */
int view_plan_years(store *s, json_t **out, msk_err *err);
/* Every item of year with "month": true for those due this month (the report's table). */
int view_plan_year(store *s, int year, const char *today, json_t **out, msk_err *err);

/* What /plan shows (issue 14 п. 10): every item of year that passes the filter, with the
 * counts and the choices of each filter drawn from the year's items. A field that is NULL or
 * "" matches anything; status is "overdue" (due date passed, not done or cancelled), "month"
 * (a date this month) or a stored status code. */
typedef struct view_plan_query {
    const char *status, *responsible, *section, *roadmap;
    const view_ctx *scope; /* items naming a school outside its scope are left out; NULL: none */
} view_plan_query;
/* {"items": [item + "month", "status_choices": [{value, label, selected}]], "shown", "total",
 * "overdue_count", "month_count", "filtered", "options": {"statuses", "responsibles",
 * "sections", "roadmaps": [{value, label, count, selected}]}, "filter": {…as given}}. */
int view_plan_page(store *s, int year, const char *today, const view_plan_query *q, json_t **out,
                   msk_err *err);

#endif
