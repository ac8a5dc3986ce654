/*
 * The import templates: one row per template (ingest/template.c) with everything the program
 * knows about it — its code and Russian label, its canonical columns, which of them are
 * required, what makes a row its header, the loader that writes one data row, and the tables
 * that undo empties. Header matching (header.c), the import (import.c), undo, the web's list
 * of templates and `msoko import --help` all iterate this table; docs/templates.md is the
 * recipe for a new template.
 */
#ifndef MSK_TEMPLATE_H
#define MSK_TEMPLATE_H

#include "base/err.h"
#include "ingest/header.h"

#include <stdint.h>

/* A set of fields: bit f for hdr_field f (F_TASK included: the template has task columns). */
#define TPL_BIT(f) (UINT64_C(1) << (f))

enum { TPL_MAX_UNDO = 3 };

struct imp; /* one import in progress (ingest/import.c) */

typedef struct tpl_def {
    const char *name;  /* stable code: --kind, import_batch.kind, the web form's value */
    const char *label; /* Russian name people choose from: the web form, msoko import --help */
    uint64_t fields;   /* canonical columns (the contract of docs/import.md) */
    uint64_t required; /* a file without one of them is refused (hdr_field_required) */
    uint64_t needed;   /* required too, but not for recognising the header (see template.c) */
    uint64_t anchor;   /* a header row holds at least one of these columns */
    /* The loader: one data row. Returns 0 (row errors go to the report), -1 when the store
     * failed. NULL: `msoko import` refuses the template and says why (elsewhere). */
    int (*row)(struct imp *m);
    const char *elsewhere;
    /* Optional: after the header is checked, before the first row; after the last row. Return
     * 0, or -1 with err filled. */
    int (*start)(struct imp *m, msk_err *err);
    int (*finish)(struct imp *m, msk_err *err);
    /* The tables whose rows carry this template's batch id, emptied by undo in this order
     * (a table others reference last); NULL-terminated. */
    const char *undo[TPL_MAX_UNDO + 1];
} tpl_def;

/* TPL_COUNT rows indexed by tpl_kind (a _Static_assert in template.c); every row is complete
 * (tests/unit/test_import_tpl.c checks). */
extern const tpl_def TPL[];

/* The row of kind k, or NULL when k is out of range. */
const tpl_def *tpl_get(tpl_kind k);
/* Can `msoko import` load template k (it has a loader)? */
int tpl_importable(tpl_kind k);
/* The undo tables of the template named kind (import_batch.kind), or NULL for no template
 * (a store_undo_tables_fn). */
const char *const *tpl_undo_tables(const char *kind);
/* The --kind names of the importable templates, ", "-separated, into out (NUL-terminated;
 * the names that do not fit are left out); returns out. For usage messages. */
const char *tpl_kind_list(char *out, size_t outsz);

#endif
