/*
 * Test tool: print one sheet of an .xlsx as tab-separated lines, read with msoko's own XLSX
 * reader (src/ingest/xlsx.h), so tests can compare what a report wrote with analyze --json.
 * Usage: xlsx2tsv FILE.xlsx [SHEET]
 */
#include "ingest/xlsx.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: xlsx2tsv FILE.xlsx [SHEET]\n");
        return 2;
    }
    tbl_reader *r = NULL;
    msk_err e;
    msk_err_clear(&e);
    if (xlsx_open(argv[1], argc > 2 ? argv[2] : NULL, &r, &e)) {
        fprintf(stderr, "xlsx2tsv: %s\n", e.msg);
        return 1;
    }
    int rc;
    while ((rc = tbl_next(r, &e)) > 0) {
        for (size_t i = 0; i < r->ncells;
             i++) { /* a line per row: breaks inside cells become spaces */
            if (i)
                putchar('\t');
            for (const char *c = r->cells[i]; *c; c++)
                putchar(*c == '\n' || *c == '\t' ? ' ' : *c);
        }
        putchar('\n');
    }
    tbl_free(r);
    if (rc < 0) {
        fprintf(stderr, "xlsx2tsv: %s\n", e.msg);
        return 1;
    }
    return 0;
}
