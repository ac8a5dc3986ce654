/*
 * Checks of imported values that no template-specific code should have to remember: every
 * cell is valid UTF-8, no stored text is longer than where it is kept (nothing is ever cut
 * silently), a pupil code is a code and not a person's name (152-ФЗ), a school code has only
 * the characters a page address can carry, a header names each column once, and an absent
 * pupil's scores are not dropped without a word. import.c calls validate_header once and
 * validate_row on every data row; both report through a val_sink, with row and column.
 */
#ifndef MSK_VALIDATE_H
#define MSK_VALIDATE_H

#include "ingest/header.h"

#include <stddef.h>
#include <stdint.h>

/* Longest stored texts, in bytes of UTF-8 (the buffers of import.c and store/ hold one more). */
enum {
    VAL_MAX_PUPIL_CODE = 63,
    VAL_MAX_CLASS = 15,
    VAL_MAX_SCHOOL_CODE = 31, /* characters (each at most 2 bytes: 62 < the 64 of a code buffer) */
    VAL_MAX_SCHOOL_NAME = 511,
    VAL_MAX_LEVELS = 63,
    VAL_MAX_ELEMENT = 63,
    VAL_MAX_PLAN_SECTION = 1023,
    VAL_MAX_PLAN_NUMBER = 31,
    VAL_MAX_PLAN_TEXT = 4095,
    VAL_MAX_PLAN_DEADLINE = 511,
    VAL_MAX_PLAN_RESPONSIBLE = 1023,
    VAL_MAX_PLAN_RESULT = 2047
};

/* The largest count a file may give (pupils, teachers of a school or a municipality): more is
 * a typing error, not a value. */
#define VAL_MAX_COUNT 1e7

/* Where problems go: error (warning = 0) or warning, at a 1-based row and column (0 = the
 * whole row). msg is a Russian sentence without the place; the sink adds it. */
typedef struct val_sink {
    void (*report)(void *ctx, int warning, int64_t row, int col, const char *msg);
    void *ctx;
} val_sink;

/*
 * The header row: two columns that mean the same field (or the same task) are refused, the
 * message naming both. head holds the nhead header texts (for the message). Returns the
 * number of errors reported.
 */
int validate_header(tpl_kind k, const hdr_map *map, char *const *head, size_t nhead, int64_t row,
                    const val_sink *sink);

/*
 * One data row of template k: invalid UTF-8 in any cell, over-long stored values, a name in a
 * pupil code column, a bad school code are errors; scores beside an absence mark a warning.
 * Returns the number of errors (the caller skips the row when > 0).
 */
int validate_row(tpl_kind k, const hdr_map *map, char *const *cells, size_t ncells, int64_t row,
                 const val_sink *sink);

/* Non-zero when s (trimmed) reads as a person's name rather than a code: «Иванов Иван
 * Иванович», «Сидоров П.А.», «П. А. Сидоров», «Иванов», "Ivan Petrov", «Иванов Иван 2012»
 * (two capitalised Russian words, or one with initials, beside anything). Codes with a digit,
 * one lower-case or upper-case Cyrillic word, one Latin word, "sch123456-12" never are. */
int val_looks_like_name(const char *s);

/* 0 when s is a valid school code (1..VAL_MAX_SCHOOL_CODE letters, digits, '-', '_', '.',
 * starting with a letter or digit), else -1 and a Russian reason in msg. */
int val_school_code(const char *s, char *msg, size_t msgsz);

/* The longest message text about one cell, in bytes: a message quoting a 1 MiB cell is cut
 * here (fifty of them made a 50 MB error list). */
enum { VAL_MAX_MESSAGE = 500 };

/* The largest m <= n such that s[0..m) ends on a character boundary of the UTF-8 text s (a
 * cut there never splits a character). */
size_t val_utf8_cut(const char *s, size_t n);

#endif
