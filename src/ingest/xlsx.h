/*
 * XLSX reader: one worksheet of an Office Open XML workbook as a tbl_reader (table.h).
 * The sheet XML is streamed out of libzip one row per tbl_next, so memory stays
 * bounded however long the sheet is; shared strings and the styles that mark dates are loaded
 * first. Cells come out as a person reads them: numbers in their shortest form ("5", "12.5"),
 * dates as YYYY-MM-DD, booleans as "1"/"0", errors as their text ("#DIV/0!").
 */
#ifndef MSK_XLSX_H
#define MSK_XLSX_H

#include "base/err.h"
#include "ingest/table.h"

#include <stddef.h>
#include <stdint.h>

/* Limits. Excel's own sheet is 16384 columns × 1048576 rows. The byte caps guard against zip
 * bombs and hostile files: they bound what a reader inflates and keeps, not what Excel allows. */
enum {
    XLSX_MAX_COLS = 16384,   /* column XFD */
    XLSX_MAX_ROWS = 1048576, /* row numbers above this are an error */
    XLSX_MERGE_ROWS = 50,    /* merged ranges inside rows 1..50 (the header area) are filled */
    XLSX_MAX_MERGES = 4096,  /* merged ranges kept from that area; later ones are ignored */
};
#define XLSX_MAX_CELL ((size_t)1 << 20)           /* one cell's text: 1 MiB */
#define XLSX_MAX_ROW_BYTES ((size_t)64 << 20)     /* all cells of one row: 64 MiB */
#define XLSX_MAX_SST_BYTES ((size_t)32 << 20)     /* the shared-string table in memory */
#define XLSX_MAX_PART_BYTES ((uint64_t)512 << 20) /* bytes inflated from one part of the zip */
/* A part inflating to more than XLSX_MAX_RATIO times its compressed size is refused as soon as
 * XLSX_RATIO_FLOOR bytes of it are out (checked while streaming: inflated so far against the
 * whole compressed size, so a bomb is stopped at XLSX_MAX_RATIO × its size on disk). Real
 * sheets compress 5 to 30 times. */
#define XLSX_MAX_RATIO 100
#define XLSX_RATIO_FLOOR ((uint64_t)8 << 20)
#define XLSX_MAX_MERGE_BYTES ((size_t)16 << 20) /* texts kept to fill merged header cells */
/* Expat's memory for one part, and the sheet scanner's for an unfinished token and the names of
 * the open elements: a giant tag or deep nesting is refused, not buffered. Both rescan an
 * unfinished tag on every chunk, so this bounds their CPU time as well. */
#define XLSX_MAX_XML_MEMORY ((size_t)8 << 20)

/*
 * Open the worksheet named sheet (exact name; NULL = the first worksheet in workbook order) of
 * the .xlsx file at path and return a reader in *out; release it with tbl_free.
 *
 * Rows: tbl_reader.row is the sheet's row number. Every row from 1 to the last row present in
 * the sheet is returned, so rows missing from the file (never filled in) come back empty
 * (ncells == 0) with their number. Within a row, cells sit at their column (r="C7" is
 * cells[2]); missing cells are "" and trailing empty cells are absent.
 * Cell text: shared and inline strings (rich-text runs joined, phonetic runs dropped,
 * _xHHHH_ escapes decoded); numbers in the shortest text that reads back to the same double
 * ("5", "12.5", "0.1"); numbers formatted as dates (built-in formats 14-22 and 45-47, custom
 * formats with d, m or y) as YYYY-MM-DD in the 1900 system (with Excel's 29.02.1900) or the
 * 1904 system when the workbook says so; booleans "1"/"0"; errors as their text.
 * Merged ranges lying within rows 1..XLSX_MERGE_ROWS: every cell of the range reads as the
 * top-left cell, so a two-row merged header reads naturally. Ranges lower down are left as
 * Excel stores them (value in the top-left cell only).
 *
 * Errors (-1, *out untouched, err filled with a Russian message and the file name): file
 * missing or unreadable, not a zip («файл не является книгой Excel (.xlsx)»), an old .xls or a
 * password-protected workbook (OLE signature), a missing part, sheet not found (the message
 * lists the sheets there are), malformed XML in the workbook, rels, styles or shared strings
 * (with the XML line), a DOCTYPE anywhere (never in a real workbook; refusing it shuts out
 * entity expansion), limits above passed. Errors inside the sheet are reported by tbl_next
 * with the row and column where known; after an error tbl_next keeps returning -1.
 */
int xlsx_open(const char *path, const char *sheet, tbl_reader **out, msk_err *err);

/*
 * As xlsx_open, reading the workbook from memory: data[0..len) is not copied and must stay
 * valid until the reader is freed. name is used in messages (and tbl_reader.file).
 */
int xlsx_open_mem(const char *name, const void *data, size_t len, const char *sheet,
                  tbl_reader **out, msk_err *err);

/*
 * Testing hook: xlsx_open_mem with the sheet read by expat (use_expat) instead of the scanner
 * that reads it otherwise, inflating chunk bytes at a time (0: the usual 64 KiB). Both must read
 * every file the same way; the tests and the fuzzer compare them.
 */
int xlsx_open_mem_opts(const char *name, const void *data, size_t len, const char *sheet,
                       int use_expat, size_t chunk, tbl_reader **out, msk_err *err);

/*
 * The names of all sheets of the workbook at path, in workbook order (chart sheets included).
 * On success *names is an allocated array of *count allocated strings, to be released with
 * xlsx_sheet_names_free. Errors as xlsx_open; on error *names is NULL and *count 0.
 */
int xlsx_sheet_names(const char *path, char ***names, size_t *count, msk_err *err);

/* Free what xlsx_sheet_names returned. names may be NULL. */
void xlsx_sheet_names_free(char **names, size_t count);

#endif
