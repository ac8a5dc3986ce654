/*
 * A small document model for the analytical report (UI.md "Documents", ГОСТ Р 7.0.97-2016):
 * a title page, numbered sections, paragraphs, bulleted items, numbered tables with header rows
 * («Таблица 3 — …») and numbered figures (charts). Built once, written by three renderers:
 * PDF (cairo + pango, A4 with the ГОСТ margins, page numbers from the second page), XLSX (one
 * sheet per table) and HTML (self-contained, printable, charts as inline SVG).
 *
 * Cells keep both the value (for XLSX numbers) and its Russian text (for PDF and HTML); shares
 * are fractions formatted only here («34,1 %»).
 */
#ifndef MSK_DOC_H
#define MSK_DOC_H

#include "base/buf.h"
#include "base/err.h"
#include "report/chart.h"

#include <stddef.h>

typedef struct doc doc;
typedef struct doc_table doc_table;

/* Column kinds: text (left-aligned), integer, share (fraction shown as «34,1 %»), number with
 * the column's decimals. Numbers are right-aligned. */
enum doc_col { DOC_TEXT, DOC_INT, DOC_SHARE, DOC_NUM };

doc *doc_new(void);
void doc_free(doc *d);

/* The title page: department (top), the document's name (middle), subtitle (e.g. the school,
 * may be NULL), place and date (bottom). Strings are copied. */
void doc_title_page(doc *d, const char *department, const char *name, const char *subtitle,
                    const char *place, const char *date);
/* A section heading, numbered automatically: level 1 «2 Результаты», level 2 «2.1 …». */
void doc_section(doc *d, int level, const char *heading);
/* A paragraph; lead (may be NULL) is set in bold before the text. */
void doc_para(doc *d, const char *lead, const char *text);
/* A bulleted item (a recommendation, a conclusion). */
void doc_item(doc *d, const char *lead, const char *text);
/* The contents: the level-1 and level-2 headings of the whole document, placed here (the
 * доклад has it after the title page). DOCX: Word's TOC field (page numbers when Word updates
 * it); PDF: the headings with their page numbers; HTML: links to the headings. */
void doc_contents(doc *d);
/* A numbered figure; takes ownership of c. The caption follows «Рисунок N — ». */
void doc_figure(doc *d, chart *c, const char *caption);

/* A numbered table of ncols columns; the caption follows «Таблица N — ». The table belongs to
 * the document. sheet (may be NULL) names its XLSX sheet; default «Таблица N». */
doc_table *doc_table_new(doc *d, const char *caption, size_t ncols, const char *sheet);
/* Column kind, relative width (0 = from the content) and decimals for DOC_SHARE/DOC_NUM. */
void doc_table_col(doc_table *t, size_t col, enum doc_col kind, double weight, int decimals);
/* A header row of ncols texts (call again for a second header row). */
void doc_table_header(doc_table *t, const char *const *cells);
/* Start a data row; total = 1 sets it apart by a rule («Муниципалитет»). Then one cell per
 * column, in order: doc_cell_text for any column, doc_cell_num for numeric ones (NAN = «—»). */
void doc_table_row(doc_table *t, int total);
void doc_cell_text(doc_table *t, const char *text);
void doc_cell_num(doc_table *t, double v);
/* A note under the table («— менее 5 участников»). */
void doc_table_note(doc_table *t, const char *note);
size_t doc_table_rows(const doc_table *t);
/* The number of the table («Таблица N») and of the last figure, for references in text. */
int doc_table_number(const doc_table *t);
int doc_figure_count(const doc *d);

/* Renderers. Each returns 0 or -1 with err (a file that cannot be written, cairo or
 * libxlsxwriter errors); a failed write leaves no partial file at path. */
/* pages (may be NULL) gets the PDF's page count. */
int doc_pdf(const doc *d, const char *path, int *pages, msk_err *err);
int doc_xlsx(const doc *d, const char *path, msk_err *err);
/* DOCX (doc_docx.c): Word styles, real tables, charts as PNG pictures; the same bytes for the
 * same document (the zip's times and the properties' date are the document's date). */
int doc_docx(const doc *d, const char *path, msk_err *err);
/* The WordprocessingML runs of any text (escaped, control characters dropped, invalid UTF-8
 * repaired, tabs, line breaks and soft hyphens as Word's own elements); rpr (may be NULL) is
 * the runs' properties. Exposed for the tests. */
void doc_docx_runs(msk_buf *out, const char *text, const char *rpr);
void doc_html(const doc *d, msk_buf *out);

#endif
