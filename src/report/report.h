/*
 * The analytical report (аналитическая справка; seed 001 п. 1.17, 1.20, 3.3–3.4, seed 002 §2.3,
 * §3.2, §4.5, seed 003 п. 1.12–1.13) built as a document (doc.h) from the view models
 * (view/view.h) — the same objects the web pages render, so the report and the web never
 * disagree. Municipal: participation and results of every procedure with dynamics over the
 * years loaded, the ШНОР, risk and objectivity lists with evidence, the rating, the monitoring
 * indicators, the roadmap, and conclusions from the data. School: the same for one school
 * against the municipality, with addressed recommendations (recommend.h).
 */
#ifndef MSK_REPORT_H
#define MSK_REPORT_H

#include "base/err.h"
#include "report/doc.h"
#include "report/recommend.h"
#include "store/store.h"
#include "view/view.h"

typedef struct report_opts {
    const char *department; /* title page; NULL = a generic name */
    const char *place; /* title page; NULL = «муниципальное образование» */
    const char *date;  /* дд.мм.гггг; NULL = today (store_plan_today, $MSOKO_NOW) */
    const rec_rules *rules;  /* recommendations (school report); NULL = none */
    double margin;           /* a change of a share beyond this is named in the conclusions */
    int ran_analysis;        /* 1: the engine ran for this report (no stored run): say so */
    const json_t *plan;      /* roadmap rows from report_plan_load, shared by many reports;
                                NULL = read them from the store */
    const json_t *dashboard; /* view_dashboard of the year, shared by many school reports;
                                NULL = build it */
} report_opts;

/* The roadmap items of year (report_opts.plan), read once for many reports. */
int report_plan_load(store *s, int year, json_t **out, msk_err *err);

/* Build the municipal report of v's year (school == NULL) or one school's report. prev (may be
 * NULL) is the year before, for who moved in or out of a list. s gives the roadmap items
 * unless o->plan holds them (then s may be NULL).
 * Returns 0, VIEW_NOT_FOUND for an unknown school, or -1 with err. */
int report_build(const view_year *v, const view_year *prev, store *s, const char *school,
                 const report_opts *o, doc **out, msk_err *err);

/* Build the annual доклад о состоянии системы образования of v's year (seed 001 п. 1.20): the
 * sections of the municipal справка in the доклад's order, with the network, the olympiads, the
 * graduates, the decisions and the tasks for the next year. prev (may be NULL) is the year
 * before (list moves, olympiads against the year before). Returns 0 or -1 with err. */
int report_build_doklad(const view_year *v, const view_year *prev, store *s, const report_opts *o,
                        doc **out, msk_err *err);
/* The section «Направления МСОКО» of any document (the справка, the доклад): the nine
 * directions at a glance, then per direction that the year's analysis computed its goals, a
 * table of indicators against targets with dynamics over three years, the schools outside the
 * target and the recommendations addressed to them (rules may be NULL: none), the decisions
 * answering it (s may be NULL: none) with the direction's indicators before and after. c: whose
 * eyes (VIEW_ANALYST for the справка and the доклад; VIEW_PUBLIC leaves out every school).
 * level: the section's heading level (1 = «N Направления МСОКО»), each direction one below.
 * Tables are numbered and named for XLSX by the doc. 0, or -1 with err. */
int report_directions_section(doc *d, const view_year *v, store *s, const view_ctx *c,
                              const rec_rules *rules, int level, msk_err *err);

/* Does v's year have a stored analysis run? 1 yes, 0 no, -1 error. */
int report_has_analysis(const view_year *v, msk_err *err);

#endif
