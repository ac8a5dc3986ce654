/*
 * Kinds of registries as data (issue 15 items 2–3): methods/registries/KIND.ini names a kind
 * (code, Russian name, the acts' section, which columns make a row's key, who is listed) and its
 * columns (code, Russian header and synonyms, type text/int/number/date/yesno/choice with the
 * choices' codes and words, required, min/max). The import (src/ingest/registry.c), the pages
 * and the export read the same parsed kind. Pure: parses text it is given.
 */
#ifndef MSK_BASE_REGKIND_H
#define MSK_BASE_REGKIND_H

#include "base/err.h"

#include <stddef.h>

typedef enum { RK_TEXT, RK_INT, RK_NUMBER, RK_DATE, RK_YESNO, RK_CHOICE } rk_type;

typedef struct rk_choice {
    char *code;
    char **words; /* words[0]: the label people see; the rest: synonyms */
    size_t nwords;
} rk_choice;

typedef struct rk_column {
    char *code, *header;
    char **aliases;
    size_t naliases;
    rk_type type;
    int required;
    int has_min, has_max;
    double min, max;
    rk_choice *choices;
    size_t nchoices;
} rk_column;

typedef struct rk_kind {
    char *code, *name, *section;
    char *people; /* "pupils" (names refused), "teachers", "none" */
    char **key;   /* column codes making a row's key (code first) */
    size_t nkey;
    rk_column *cols;
    size_t ncols;
} rk_kind;

/* Parse an INI text (file: its name for messages). 0 with *out, or -1 with err naming the file
 * and the line or section. */
int rk_parse(const char *text, const char *file, rk_kind **out, msk_err *err);
void rk_free(rk_kind *k);
/* The column with code, or NULL; its index or -1. */
const rk_column *rk_col(const rk_kind *k, const char *code);
int rk_col_index(const rk_kind *k, const char *code);
/* The column a header cell names (its header, its code or a synonym; case, ё and punctuation
 * ignored), or -1. */
int rk_match_header(const rk_kind *k, const char *cell);
/* Does a header name a person's name (ФИО, фамилия, имя, отчество)? */
int rk_looks_like_name(const char *cell);
/* The choice a cell names (code or any of its words, compared as headers are), or NULL. */
const rk_choice *rk_choice_find(const rk_column *c, const char *cell);
/* The label of a choice code (words[0]), or code itself when unknown. */
const char *rk_choice_label(const rk_column *c, const char *code);
/* Comparison form: lower case (Latin and Cyrillic), ё → е, only letters and digits kept. */
void rk_norm(const char *in, char *out, size_t outsz);
/* A stored value for people and for the export: a choice's label, «да»/«нет» for 1/0, a date
 * as дд.мм.гггг, a number without trailing zeros, text as it is. s: the value when it is a
 * string (NULL otherwise), num: when it is a number (is_num). */
void rk_value_text(const rk_column *c, const char *s, double num, int is_num, char *out,
                   size_t outsz);
/* The words of a type for messages («целое число», «да/нет», …). */
const char *rk_type_name(rk_type t);

#endif
