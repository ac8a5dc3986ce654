/*
 * Shared by the files of the analytical report only (src/report/report*.c): the builder's
 * state, the JSON helpers and the sections one report borrows from the other. report.c has
 * the entry points, the title page and the conclusions; report_municipal.c the municipal
 * report and its sections; report_school.c the school report; report_plan.c the roadmap.
 */
#ifndef MSK_REPORT_INTERNAL_H
#define MSK_REPORT_INTERNAL_H

#include "report/report.h"

#include "base/buf.h"
#include "base/fmt.h"
#include "base/mem.h"
#include "base/muni.h"
#include "base/vocab.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Soft hyphens (U+00AD) let narrow numeric columns break long header words where Russian
 * hyphenation would. */
#define SHY "\xC2\xAD"

typedef struct rb {
    const view_year *v, *prev;
    store *s;
    const report_opts *o;
    view_ctx ctx;
    doc *d;
    int year;
    int sub;   /* 1: the shared sections that head themselves are subsections (the доклад) */
    msk_buf t; /* scratch text */
} rb;

typedef struct change {
    char key[64], title[160];
    double from, to, d;
    int y0, y1;
} change;

/* ---- JSON helpers ------------------------------------------------------------------------ */

static inline const char *js(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static inline double jnum(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static inline const char *tx(rb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline const char *tx(rb *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    msk_buf_reset(&b->t);
    msk_buf_vprintf(&b->t, fmt, ap);
    va_end(ap);
    return b->t.data;
}

/* The sentences of a finding's "text" (array or string) joined with spaces. */
static inline void join_text(const json_t *t, msk_buf *out)
{
    if (json_is_string(t)) {
        msk_buf_puts(out, json_string_value(t));
        return;
    }
    size_t i;
    const json_t *x;
    json_array_foreach(t, i, x)
    { /* one sentence a line */
        if (i)
            msk_buf_putc(out, '\n');
        msk_buf_puts(out, json_string_value(x) ? json_string_value(x) : "");
    }
}

static inline int shnor_like(const char *list)
{
    return !strcmp(list, "shnor") || !strcmp(list, "risk") || !strcmp(list, "objectivity");
}

/* ---- sections shared by the two reports ---- */
/* The title page of the report (subtitle: the school, or NULL). */
void rb_title(rb *b, const char *subtitle);
/* Which analysis the findings come from, and whether this report ran it. */
void rb_about_analysis(rb *b, const json_t *dash);
/* The "Выводы" section: the year's changes beyond the margin, then concl's sentences. */
void rb_conclusions(rb *b, const change *ch, size_t nch, const json_t *concl);
/* Figures of the marks of procs; what names the whole ("муниципалитет", "школа"). */
void rb_marks_figures(rb *b, const json_t *procs, const char *what);
/* A sheet name of the workbook (31 characters at most): the brief wording. */
const char *rb_list_name(const char *list);
/* The roadmap section (of one school when school is not NULL). */
void rb_plan_section(rb *b, const char *school);
/* Decisions after last year's analysis with their effect, and this year's (NULL: all schools;
 * a code: that school's rows). Nothing when there are none (returns 0; 1 when written).
 * report_decisions.c. */
int rb_decisions_section(rb *b, const char *school);
int rb_municipal(rb *b, msk_err *err);
/* report_doklad.c: the annual доклад о состоянии системы образования (seed 001 п. 1.20). */
int rb_doklad(rb *b, msk_err *err);

/* report_municipal.c: the sections of the municipal справка the доклад shares. */
/* The year's procedures with marks: table, figures, region and RF beside; returns them
 * (owned by dash). */
json_t *rb_results(rb *b, json_t *dash);
/* Success over the years; changes beyond the margin into ch; returns the municipal dynamics
 * per procedure (the caller frees). */
json_t *rb_dynamics(rb *b, const json_t *schools, const json_t *procs, change *ch, size_t *nch,
                    size_t maxch);
/* A list of the year ("shnor", "risk", "objectivity") under heading at level; who moved in or
 * out against the year before goes into concl too. */
void rb_list_section(rb *b, const char *list, const char *heading, int level, json_t *concl);
void rb_schools_figure(rb *b, const json_t *dash);
void rb_rating_section(rb *b, int level);
void rb_indicators_section(rb *b, const json_t *dash, int level);
int rb_school_report(rb *b, const char *code, msk_err *err);

/* report_procs.c: participation (the справка's first table), итоговое сочинение and
 * собеседование, pupils with ОВЗ; part is view_participation's object. */
void rb_participation(rb *b, const json_t *part);
void rb_pass_fail(rb *b, const json_t *part);
void rb_ovz(rb *b, const json_t *part);
/* report_gia.c: ЕГЭ/ГВЭ, trial exams, admission to ГИА, honours vs ОГЭ, repeaters and
 * retention, diagnostics (issue 19 п. 5); gia is view_gia's object. */
void rb_gia(rb *b, const json_t *gia);
/* rb_gia of the whole municipality (view_gia); -1 with err. */
int rb_gia_municipal(rb *b, msk_err *err);

#endif
