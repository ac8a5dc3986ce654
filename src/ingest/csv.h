/*
 * CSV reader: a streaming RFC 4180 tbl_reader for the files schools save from Excel (model:
 * SQLite ext/misc/csv.c, csv_read_one_field). It reads 64 KiB blocks, so memory is bounded by
 * the longest row, not by the file; detects the delimiter (';', ',' or tab) and the encoding
 * (UTF-8 with or without BOM, or CP1251, converted to UTF-8) from the first block; and reports
 * bad input with file, row and column in Russian.
 *
 * What a row is:
 *   - fields are separated by the detected delimiter; a field that starts with '"' is quoted and
 *     may hold delimiters, line ends (kept verbatim, CR LF stays CR LF) and "" for one quote;
 *     text after a closing quote up to the delimiter is appended as is (`"ab"c` → `abc`);
 *   - a '"' inside an unquoted field is an ordinary character (`ООО "Ромашка"`), as in Excel;
 *   - records end at LF, CR LF or a lone CR; the last one may lack a line end;
 *   - nothing is trimmed: spaces and empty trailing fields stay (`a;` is two cells);
 *   - an empty physical line is a row with ncells == 0, so that tbl_reader.row is always the
 *     1-based physical line where the record starts (a quoted field with line breaks makes a
 *     record span several lines; the next record's row counts them all);
 *   - an empty file (or one holding only a BOM) has no rows.
 * Errors (tbl_next returns -1; err has the file, a row and the column = 1-based field number):
 * an unterminated quote at end of file (row: the line where the quoted field opened), a NUL
 * byte (its line), a field longer than CSV_MAX_FIELD bytes (the line where it starts), a row
 * with more than CSV_MAX_FIELDS fields or longer than CSV_MAX_ROW, bytes invalid in
 * the detected encoding (their line), a read error. After an error every later tbl_next
 * returns -1 with the same error.
 *
 * Encoding: decided from the first CSV_BLOCK bytes (enc_detect). If they are all ASCII, the
 * decision waits for the first row with a byte >= 0x80, so a CP1251 file whose first 64 KiB are
 * digits is still read right.
 */
#ifndef MSK_CSV_H
#define MSK_CSV_H

#include "base/err.h"
#include "ingest/table.h"

#include <stddef.h>

enum {
    CSV_BLOCK = 64 * 1024,          /* bytes read at a time; the detection sample */
    CSV_MAX_FIELD = 1024 * 1024,    /* longest field: bytes of its text before conversion */
    CSV_MAX_FIELDS = 10000,         /* most fields in one row */
    CSV_MAX_ROW = 16 * 1024 * 1024, /* longest row: its fields' bytes plus one per field */
    CSV_SNIFF_LINES = 20            /* records looked at to choose the delimiter */
};

/*
 * Open the CSV file at path for reading. On success returns 0 and sets *out to a reader that
 * the caller releases with tbl_free; the file stays open until then. reader->file holds path
 * (cut at a character boundary if longer than fits), for messages. On failure returns -1, *out =
 * NULL and err says why (cannot open or read the file, encoding neither UTF-8 nor CP1251).
 */
int csv_open(const char *path, tbl_reader **out, msk_err *err);

/*
 * The same over len bytes of memory (tests, fuzzing, uploads already in memory). The data is
 * copied, so the caller may free it at once; name is used in messages (NULL = "").
 */
int csv_open_mem(const char *name, const char *data, size_t len, tbl_reader **out, msk_err *err);

/*
 * csv_open_mem that hands the data to the parser at most chunk bytes at a time (0 = CSV_BLOCK;
 * detection still looks at the first CSV_BLOCK bytes), so that tests and the fuzzer reach every
 * place where a quote or a CR LF is cut between two reads. Results never depend on chunk.
 */
int csv_open_mem_chunked(const char *name, const char *data, size_t len, size_t chunk,
                         tbl_reader **out, msk_err *err);

/* The delimiter the reader chose (';', ',' or '\t'); r must come from a csv_open* call. */
char csv_delimiter(const tbl_reader *r);

#endif
