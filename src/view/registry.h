/*
 * Registries as every reader shows them (issue 15 items 2–3): the pages /registries and
 * /registries/KIND, `msoko registry list|export`.
 *
 * A list: {"kind", "name", "section", "people", "total", "shown", "columns": [{"code",
 * "header"}], "rows": [{"id", "year", "school", "code", "cells": [text per column],
 * "values": {col: raw value}}]}.
 * Scope: the public gets VIEW_FORBIDDEN (registries list people); a school operator only their
 * school's rows (q->school is forced to it); analysts and admins every row.
 */
#ifndef MSK_VIEW_REGISTRY_H
#define MSK_VIEW_REGISTRY_H

#include "base/err.h"
#include "base/regkind.h"
#include "store/registry.h"
#include "store/store.h"
#include "view/view.h"

#include <jansson.h>

int view_registry_list(store *s, const view_ctx *c, const rk_kind *k, store_registry_query q,
                       json_t **out, msk_err *err);
/* Teachers per school of year (seed 001 п. 8.x, 9.x): {"year", "schools": [{"school",
 * "teachers", "highest", "first", "conformity", "none", "young", "mentors", "has_mentor",
 * "course_hours_3y" (hours of courses of years year-2..year), "deficits_diag", "burnout_diag"}],
 * "total": {the same summed}}. Scope as view_registry_list. */
int view_registry_teachers(store *s, const view_ctx *c, int year, json_t **out, msk_err *err);

#endif
