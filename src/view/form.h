/*
 * The monitoring forms as every reader shows them: the list of forms with their submission
 * counts, and one form's completeness by school — built once for the web (/forms, /forms/X),
 * `msoko show forms` and `msoko show form X`, with the same keys and wording.
 *
 * A form's head: {"code", "name", "period_type", "period_kind" (Russian), "source", "due",
 * "schools" ("" every school, or the list whose schools fill it: "shnor" …), "schools_label"}.
 * The list: {"forms": [head + {"period", "href", "total", "submitted", "approved", "missing",
 * "status", "status_label", "overdue", "returned", "comment"}], "analyst"}; status, returned
 * and the analyst's comment are the school's own (school role only; a form that does not
 * concern the school is left out); overdue: the due date passed and the school (or, for the
 * analyst, some school) has not handed it in.
 * Completeness: {"form": head, "period", "schools": [{"code", "name", "status",
 * "status_label", "submitted_at", "href", "in", "late", "to_review"}], "missing", "late",
 * "today"}.
 * One school's submission: {"form": head, "school": {"code", "name"}, "period", "prev_period",
 * "status", "status_label", "comment", "imported", "editable", "can_review", "fields": [{"code",
 * "name", "type", "hint", "value", "required", "is_bool", "is_text", "yes", "no", "errors"}],
 * "history": [{"element", "name", "stage", "at", "user", "change"}], "assigned" (the form
 * concerns the school; else nothing is editable), "returned", "overdue", and "submitted_at",
 * "approved_at", "approved_by" once the school has a submission}.
 */
#ifndef MSK_VIEW_FORM_H
#define MSK_VIEW_FORM_H

#include "base/err.h"
#include "form/form.h"
#include "store/form.h"
#include "view/view.h"

#include <jansson.h>

/* Russian for a submission status ("" → «не заполнялась»; "imported" → «загружена файлом»). */
const char *view_form_status_name(const char *status);
/* «учебный год», «полугодие», «месяц». */
const char *view_form_period_kind(const char *period_type);
/* The period a page opens by default: asked when it fits the form; else the year (when not 0),
 * the current half-year, or the month before today's (the one being reported now). */
void view_form_period(const store_form *f, const char *asked, int year, const char *today,
                      char out[16]);
/* The head of a form for period (a new reference). */
json_t *view_form_head(const store_form *f, const char *period);

/* Every form with its counts for its default period (view_form_period with asked, year). */
int view_forms(store *s, const view_ctx *c, const char *asked, int year, const char *today,
               json_t **out, msk_err *err);
/* One form's completeness for period, the schools of vc's scope (NULL: every school; issue 17
 * item 2). */
int view_form_completeness(store *s, const view_ctx *vc, const store_form *f, const char *period,
                           const char *today, json_t **out, msk_err *err);

/* One school's submission of form for period, as c may see it: VIEW_NOT_FOUND when there is no
 * such school, VIEW_FORBIDDEN for another school's operator. */
int view_form_school(store *s, const view_ctx *c, const store_form *f, const char *school,
                     const char *period, const char *today, json_t **out, msk_err *err);
/* The forms of one school as its operator sees them on /forms (view_forms with its role):
 * {"items": [list item], "returned", "overdue", "todo" (counts: returned for correction, past
 * the due date, not handed in)} — the block «Формы мониторинга» of the school's page. */
int view_school_forms(store *s, const char *school, int year, const char *today, json_t **out,
                      msk_err *err);

/* A form's indicator table (form_table_build): {"form": head, "period", "prev_period",
 * "columns": [{"code", "name", "unit", "share"}], "rows": [{"code", "name", "cells": [{"cur",
 * "prev", "share"}]}], "municipal": [cells]}; numbers raw (shares 0..1), null when unknown. */
json_t *view_form_table(const store_form *f, const form_table *t);

#endif
