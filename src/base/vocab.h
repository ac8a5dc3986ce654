/*
 * The vocabulary: every stable code the program stores or exchanges (procedure kinds,
 * subjects, form and plan statuses, roles, methods, objectivity signs, risk factors) and the
 * one Russian wording people see for it. Every place that shows such a code in Russian asks
 * here, so a page, the CLI, a report and a message cannot drift apart (issue 13).
 */
#ifndef MSK_VOCAB_H
#define MSK_VOCAB_H

#include <stddef.h>

typedef enum vocab_domain {
    VOCAB_PROC_KIND,   /* procedure kinds: VPR → ВПР (store/reference.c seeds them) */
    VOCAB_SUBJECT,     /* subjects: math → Математика */
    VOCAB_FORM_STATUS, /* a school's submission of a form: "" (none yet), draft, … approved */
    VOCAB_VALUE_STAGE, /* a value of a form: draft → черновик, approved → утверждено */
    VOCAB_PLAN_STATUS,   /* an item of a plan: planned → запланировано, … */
    VOCAB_ROLE,          /* public, school, analyst, admin */
    VOCAB_METHOD,        /* shnor, risk, objectivity, rating */
    VOCAB_OBJ_SIGN,      /* signs of non-objective results: inflated_mean, … medal */
    VOCAB_RISK_FACTOR,   /* risk-zone factors: material, staff, contingent, results */
    VOCAB_SHNOR_RULE,    /* which criterion put a school on the ШНОР list: A, B, AB (both) */
    VOCAB_EXT_LIST,      /* lists formed by others: shnor_fioko, nonobj_federal, nonobj_regional */
    VOCAB_LEVEL,         /* comparison levels: school, municipality, region, rf */
    VOCAB_DECISION_KIND, /* a management decision: order → Приказ, letter, protocol, other */
    VOCAB_DIRECTION, /* the nine directions of seed 001 (приложение 3): training … upbringing */
    VOCAB_COUNT
} vocab_domain;

typedef struct vocab_entry {
    const char *code;  /* stable, ASCII: stored, in JSON, in methodology files */
    const char *label; /* the Russian wording, capitalised as at the start of a line */
    const char *brief; /* a shorter wording for narrow places (a table column, a sheet
                        * name ≤ 31 characters); NULL: the label */
} vocab_entry;

/* The entries of domain d, in their order; *n gets their number (0 for a bad domain). */
const vocab_entry *vocab_entries(vocab_domain d, size_t *n);
/* Is code one of domain d's codes? */
int vocab_known(vocab_domain d, const char *code);
/* The label of code in domain d; the code itself when unknown, "" for NULL. */
const char *vocab_label(vocab_domain d, const char *code);
/* The brief wording of code (the label when it has none); the code itself when unknown. */
const char *vocab_brief(vocab_domain d, const char *code);
/* The label as inside a sentence: first letter in lower case unless the word is an
 * abbreviation («Математика» → «математика», «Зона риска» → «зона риска», «ВПР» stays);
 * the code itself when unknown. Static storage, safe from any thread. */
const char *vocab_lower(vocab_domain d, const char *code);
/* The code whose label or brief wording is exactly text: 0 and *code, or -1. */
int vocab_code(vocab_domain d, const char *text, const char **code);

#endif
