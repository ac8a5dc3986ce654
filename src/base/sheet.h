/*
 * Cells of the spreadsheets msoko writes (CSV downloads, XLSX reports and tables): the one
 * rule that keeps a text cell from running as a formula when Excel or LibreOffice opens the
 * file (OWASP "CSV Injection": a text starting with =, +, -, @, a tab or a carriage return gets
 * a leading apostrophe), and RFC 4180 quoting for CSV. The rule is decided by the cell's type,
 * never by its text: numbers are written as numbers by the caller («-5,2» as a number stays a
 * number), text goes through here.
 */
#ifndef MSK_SHEET_H
#define MSK_SHEET_H

#include "base/buf.h"

/* 1 when text s would be read as a formula (first byte =, +, -, @, TAB or CR), else 0. */
int sheet_risky(const char *s);

/* The text of a string cell: s itself when safe, else "'" + s in *scratch (reset first).
 * The result lives until scratch changes; NULL s gives "". */
const char *sheet_text(const char *s, msk_buf *scratch);

/* Append one CSV text field to b: neutralised as sheet_text, then quoted (RFC 4180: inside
 * double quotes, a quote doubled) when it holds sep, a quote, CR or LF. NULL s is empty. */
void sheet_csv_text(msk_buf *b, const char *s, char sep);

#endif
