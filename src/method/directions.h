/*
 * The nine directions of the municipal system (seed 001 приложение 4 and its roadmap, разделы
 * 2–10; seed 000 §VI) as data: one INI file per direction (methods/directions/NN-code.ini,
 * docs/directions-format.md) with its goals and indicators, each a formula num / den × factor
 * over terms (`results(kind=oge, mark=2)`, `list(shnor)`, `form(F.E)`, `registry(teacher,
 * category=высшая)` …), a level, the direction of good and targets per year.
 *
 * Pure: the file's text comes from the engine, and the value of every term per school and year
 * from a resolver callback the engine supplies (engine/directions_in.c), so this layer never
 * sees the store. Values follow DHIS2's indicator: value = factor × num / den per school, and
 * the municipal value is the ratio of the sums over the schools that have data (never a mean of
 * the schools' ratios).
 */
#ifndef MSK_METHOD_DIRECTIONS_H
#define MSK_METHOD_DIRECTIONS_H

#include "base/buf.h"
#include "base/err.h"

#include <jansson.h>
#include <stddef.h>

/* The longest direction file read. */
enum { DIR_MAX_BYTES = 1 << 20 };
enum { DIR_MAX_FILTERS = 8 };

/* A filter of a term: key op value, op one of "=", "!=", ">=", "<=", ">", "<". */
typedef struct dir_filter {
    char key[32], op[3], value[96];
    /* parsed once: the op as DIR_OP_*, the value as a number (is_num 0 when it is none) */
    int opc, is_num;
    double x;
} dir_filter;
enum { DIR_OP_EQ, DIR_OP_NE, DIR_OP_GE, DIR_OP_LE, DIR_OP_GT, DIR_OP_LT };

/* One term of a formula, parsed once: fn is the term's name (schools, pupils, results,
 * participants, score_sum, olympiad, graduates, ege3, list, list_left, improved, form,
 * registry, registry_sum);
 * arg the positional argument (list name, FORM.ELEMENT, registry kind), arg2 the column of
 * registry_sum; key its canonical text (for caches and messages). */
typedef struct dir_term {
    char fn[16], arg[96], arg2[64];
    size_t nf;
    dir_filter f[DIR_MAX_FILTERS];
    char key[512];
} dir_term;

/* Whether a number passes a filter (its value read as a number; a value that is no number
 * passes nothing), and a text (only "=" and "!=", case-insensitive for ASCII). */
int dir_filter_num(const dir_filter *f, double v);
int dir_filter_str(const dir_filter *f, const char *s);
/* The order of olympiad stages (school 0, municipal 1, regional 2, final 3; -1 unknown):
 * olympiad(stage>=municipal) compares ranks. */
int dir_stage_rank(const char *stage);
/* The filter of t with key, or NULL. */
const dir_filter *dir_term_filter(const dir_term *t, const char *key);

/* The engine's side: nschools schools (school(ctx, i) their codes), and term(ctx, t, year,
 * out) filling out[nschools] with the term's value of each school for year — NAN where the
 * school has no data for it (form not submitted, no results of the procedure, the year not
 * analysed). Returns 0, or -1 with err (the evaluator adds the file and line). */
typedef struct dir_resolver {
    void *ctx;
    size_t nschools;
    const char *(*school)(void *ctx, size_t i);
    int (*term)(void *ctx, const dir_term *t, int year, double *out, msk_err *err);
} dir_resolver;

typedef struct dir_file dir_file;

/* Parse a direction file's len bytes; name (its path) is used in messages, which name it and
 * the line («methods/directions/02-shnor.ini:14: …»). Unknown sections, keys, terms and
 * filters are errors, so a typo never silently computes something else. */
int dir_parse(const char *name, const char *text, size_t len, dir_file **out, msk_err *err);
void dir_free(dir_file *f);
/* The file name as given, and the SHA-256 (hex) of its bytes, for the analysis run record. */
const char *dir_name(const dir_file *f);
const char *dir_hash(const dir_file *f);
const char *dir_code(const dir_file *f);
int dir_n(const dir_file *f);
size_t dir_nindicators(const dir_file *f);
/* The distinct terms of the file's formulas, for a resolver that wants to check them first. */
size_t dir_nterms(const dir_file *f);
const dir_term *dir_term_at(const dir_file *f, size_t i);

/* Term values already computed, shared by every file of one analysis: a term that several
 * indicators use is resolved once per year. */
typedef struct dir_cache dir_cache;
dir_cache *dir_cache_new(void);
void dir_cache_free(dir_cache *c);

/* Evaluate the directions for year (dynamics: year-2 … year) into *out, the array of
 * docs/directions-format.md (contract §4), ordered by n. cache may be NULL. Returns 0 or -1
 * with err. */
int dir_eval(const dir_file *const *files, size_t nfiles, int year, const dir_resolver *r,
             dir_cache *cache, json_t **out, msk_err *err);

/* dir_eval written as JSON text without building the tree: into compact what json_dumps gives
 * for it with JSON_COMPACT, into pretty what it gives with JSON_INDENT(1) and
 * JSON_REAL_PRECISION(pretty_prec) for the array as a member at depth pretty_depth of a
 * document (pretty NULL: only the compact text); counts[0..2] = directions on target, below,
 * without data. */
int dir_eval_text(const dir_file *const *files, size_t nfiles, int year, const dir_resolver *r,
                  dir_cache *cache, msk_buf *compact, msk_buf *pretty, int pretty_depth,
                  int pretty_prec, int counts[3], msk_err *err);

/* Counts of the directions of an evaluated array by status. */
void dir_status_counts(const json_t *dirs, int *on_target, int *below, int *no_data);

#endif
