/*
 * Shared by the route files of the web only (src/web/routes*.c): the CSV and crumb helpers
 * of the pages and the handlers the route table (routes.c) names.
 */
#ifndef MSK_WEB_ROUTES_INTERNAL_H
#define MSK_WEB_ROUTES_INTERNAL_H

#include "web/internal.h"

#include "app/app.h"

/* the monitoring forms and the roadmap: src/web/monitoring.c */
int web_h_forms(web_req *r);
int web_h_form(web_req *r);
int web_h_form_school(web_req *r);
int web_h_form_save(web_req *r);
int web_h_form_return(web_req *r);
int web_h_form_approve(web_req *r);
int web_h_form_table(web_req *r);
int web_h_plan(web_req *r);
int web_h_plan_status(web_req *r);
int web_h_plan_item(web_req *r);
int web_h_directions(web_req *r); /* web/direction.c */
int web_h_direction(web_req *r);
int web_h_decisions(web_req *r);
int web_h_decision_add(web_req *r);
int web_h_decision(web_req *r);
int web_h_decision_attach(web_req *r);
int web_h_decision_file(web_req *r);
/* the registries: src/web/registry.c */
int web_h_registries(web_req *r);
int web_h_registry(web_req *r);
int web_h_registry_upload(web_req *r);
int web_h_registry_row(web_req *r);
int web_h_registry_save(web_req *r);
int web_h_plan_attach(web_req *r);
int web_h_plan_file(web_req *r);
void web_plan_summary(web_req *r, json_t *into);
/* the audit log: src/web/audit.c */
int web_h_audit(web_req *r);
/* the backup download: src/web/backup.c */
int web_h_backup(web_req *r);

/* cards and answers beside flags: src/web/flags.c. web_flag_marks: the answers of r->year's
 * flags (view_answer_marks; an empty object for the public), NULL when the store failed and
 * the error page is written. web_may_card: may r's user open the cards of school code?
 * web_flag_item: "card", "answer_status", "answer_status_label" on a list item (by its
 * "school"."code") when the user may open its card. web_flag_badges: obj's "badges" as a
 * "badge_list" of {"key", "label", "card", "answer_status_label"} for school code. */
json_t *web_flag_marks(web_req *r);
int web_may_card(const web_req *r, const char *code);
void web_flag_item(web_req *r, json_t *item, const json_t *marks, const char *list);
void web_flag_badges(web_req *r, json_t *obj, const json_t *marks, const char *code);

int web_year_crumbs(web_req *r);
/* A CSV text field: neutralised against formulas and quoted (src/base/sheet.h, the one rule). */
void web_csv_field(msk_buf *b, const char *s);
/* A CSV number field: a JSON integer written as a number (never neutralised), else empty. */
void web_csv_int(msk_buf *b, const json_t *v);
/* A CSV number field, decimal comma: decimals < 0 the shortest form, else that many for a real. */
void web_csv_num(msk_buf *b, const json_t *v, int decimals);
/* One CSV field made of the strings of a JSON array joined by sep. */
void web_csv_joined(msk_buf *out, const json_t *arr, const char *sep);
const char *web_jstr(json_t *o, const char *key);
/* Start a CSV download (UTF-8 with BOM and «;» so that Excel opens it as is). */
void web_csv_begin(web_req *r, const char *name);
int web_wants_csv(web_req *r);
int web_h_open(web_req *r);
int web_h_open_school(web_req *r);
int web_h_schools(web_req *r);
int web_h_municipalities(web_req *r); /* web/municipalities.c */
int web_h_school(web_req *r);
int web_h_procedure(web_req *r);
int web_h_list(web_req *r);
int web_h_analyze(web_req *r);
int web_h_imports(web_req *r);
int web_h_import_check(web_req *r);
int web_h_import_confirm(web_req *r);
int web_h_import_undo(web_req *r);
/* the evidence card and the school's answer: src/web/routes_card.c */
int web_h_card(web_req *r);
int web_h_answer_add(web_req *r);
int web_h_answer_accept(web_req *r);
int web_h_answer_reject(web_req *r);
int web_h_answer_file(web_req *r);

#endif
