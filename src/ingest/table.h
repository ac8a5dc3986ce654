/*
 * A table reader: the one interface the CSV and XLSX readers share, so templates, header
 * matching and validation (ingest/) never care where rows came from. Rows stream one at a
 * time with bounded memory; cells are UTF-8, NUL-terminated, and valid until the next call.
 */
#ifndef MSK_TABLE_H
#define MSK_TABLE_H

#include "base/err.h"

#include <stddef.h>
#include <stdint.h>

typedef struct tbl_reader tbl_reader;

struct tbl_reader {
    /* Read the next row. Returns 1 with a row in ncells/cells, 0 at the end, -1 on error
     * (err filled with file, row and column and a Russian message). */
    int (*next)(tbl_reader *r, msk_err *err);
    /* Release the reader and everything it owns. */
    void (*free)(tbl_reader *r);
    size_t ncells;  /* cells in the current row (trailing empty cells may be absent) */
    char **cells;   /* ncells UTF-8 strings, NUL-terminated; never NULL for i < ncells */
    int64_t row;    /* 1-based number of the current row: the CSV line where the record
                       starts, or the sheet's row number for XLSX (empty rows count) */
    char file[256]; /* file name for messages */
};

/* Convenience wrappers: tbl_next(r, err), tbl_free(r) (NULL is a no-op). */
static inline int tbl_next(tbl_reader *r, msk_err *err)
{
    return r->next(r, err);
}
static inline void tbl_free(tbl_reader *r)
{
    if (r)
        r->free(r);
}

/* Open path as CSV or XLSX by its first bytes (a zip is XLSX; anything else is read as CSV),
 * whatever its name; an .xls (Excel 97–2003) is refused with what to do. sheet: the XLSX
 * sheet's name, NULL = the first. Returns 0 with *rd, or -1 with err naming the file. */
int tbl_open(const char *path, const char *sheet, tbl_reader **rd, msk_err *err);

#endif
