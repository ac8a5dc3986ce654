/*
 * Methodology files: INI (read with inih) naming thresholds, filters, bands and points, so a
 * municipality changes a rule by editing a file, never the code (DESIGN.md "Methodologies
 * are data"). This module only parses and answers typed questions; each method (shnor.c,
 * risk.c, rating.c …) reads its own keys, with defaults from the act it implements.
 */
#ifndef MSK_METHODOLOGY_H
#define MSK_METHODOLOGY_H

#include "base/err.h"

#include <stddef.h>

typedef struct meth_file meth_file;

/* The longest methodology file read. */
enum { METH_MAX_BYTES = 1 << 20 };

/* Parse the len bytes of an INI text; name (the file's path) is used in messages: errors name
 * it and the line («methods/shnor.ini:12: …»). A NUL among the bytes, or more than
 * METH_MAX_BYTES of them, is an error. Files are read by engine_meth_load (engine/methfile.h):
 * this layer opens nothing. */
int meth_load_mem(const char *name, const char *text, size_t len, meth_file **out, msk_err *err);
/* The same for a NUL-terminated text (tests, built-in defaults). */
int meth_load_str(const char *name, const char *text, meth_file **out, msk_err *err);
void meth_free(meth_file *f);
/* The file name as loaded, and the SHA-256 (hex) of its bytes, for the analysis run record. */
const char *meth_name(const meth_file *f);
const char *meth_hash(const meth_file *f);

/* Sections in file order; keys of a section in file order. */
size_t meth_nsections(const meth_file *f);
const char *meth_section(const meth_file *f, size_t i);
size_t meth_nkeys(const meth_file *f, const char *section);
const char *meth_key(const meth_file *f, const char *section, size_t i);

/* The value of section.key (trimmed), or NULL when absent. */
const char *meth_get(const meth_file *f, const char *section, const char *key);
/* The act a method's reasons cite («(Программа …, п. 3.2, показатель 1)»), from key `act` of
 * section: «{program}» there is the act as the department names it in municipality.ini
 * (base/muni.h), any other text is quoted as it is (issue 14 п. 5: no internal code in front
 * of people). f NULL or the key absent or empty: dflt, the preset's source. The text lives as
 * long as the process. */
const char *meth_act(const meth_file *f, const char *section, const char *dflt);
/* The source of the ШНОР, risk and indicator presets (seed 002, the [act program] of
 * municipality.ini). */
#define METH_ACT_SEED002 "{program}"

/* An unknown key in section (a typo) is an error rather than a silent fall back to a default:
 * returns -1 with the file and the keys the section allows. f may be NULL (no file). */
int meth_check_keys(const meth_file *f, const char *section, const char *const *known,
                    size_t nknown, msk_err *err);

/* Typed reads with a default for an absent key. A present but malformed value is an error:
 * they return -1 and fill err with file, line and what was expected. */
int meth_num(const meth_file *f, const char *section, const char *key, double dflt, double *out,
             msk_err *err);
int meth_int(const meth_file *f, const char *section, const char *key, long dflt, long *out,
             msk_err *err);
int meth_bool(const meth_file *f, const char *section, const char *key, int dflt, int *out,
              msk_err *err);

/* Bands: "<=5:3, 6-10:2, 11..20:1, >=80:2, >30:0, 0:1" → ranges with points. A value takes the
 * points of the first band that contains it. Ranges are inclusive; "a-b" and "a..b" are the
 * same; decimals with a point or a comma ("0,5-1:2" is ambiguous: write "0.5..1:2"). */
typedef struct meth_band {
    double lo, hi;        /* inclusive bounds; -INFINITY / INFINITY for open ends */
    int lo_open, hi_open; /* 1 for strict "<" / ">" */
    double points;
} meth_band;
int meth_bands(const meth_file *f, const char *section, const char *key, meth_band *out, size_t max,
               size_t *n, msk_err *err);
/* Points for value (dflt when no band contains it). */
double meth_band_points(const meth_band *b, size_t n, double value, double dflt);

/* A list value "VPR:math:5, VPR:rus:5, OGE:*:9" split on commas into trimmed items;
 * returns the number of items written (at most max); each item is a pointer into a buffer
 * owned by f (valid until meth_free). */
size_t meth_list(const meth_file *f, const char *section, const char *key, const char **items,
                 size_t max);

#endif
