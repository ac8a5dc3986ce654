/*
 * The document model's insides, shared by its renderers (doc.c, doc_pdf.c, doc_xlsx.c) only.
 */
#ifndef MSK_DOC_INTERNAL_H
#define MSK_DOC_INTERNAL_H

#include "report/doc.h"

enum { DB_SECTION, DB_PARA, DB_ITEM, DB_FIGURE, DB_TABLE, DB_CONTENTS };

typedef struct doc_cell {
    char *text; /* as shown: «34,1 %», «—», a name */
    double v;   /* the number (NAN for text cells) */
    int num;    /* 1: v is a number to write as one in XLSX */
} doc_cell;

typedef struct doc_colspec {
    int kind;
    double weight;
    int decimals;
} doc_colspec;

struct doc_table {
    int number;
    char *caption, *sheet, *note;
    size_t ncols;
    doc_colspec *cols;
    char **hdr; /* nhdr × ncols */
    size_t nhdr;
    doc_cell *cells; /* nrows × ncols */
    int *total;
    size_t nrows, cap, cur;
};

typedef struct doc_block {
    int kind, level, number;
    char *num, *lead, *text;
    chart *chart;
    doc_table *table;
} doc_block;

struct doc {
    char *dept, *name, *sub, *place, *date;
    doc_block *b;
    size_t n;
    int sec[3];
    int ntables, nfigs;
};

#endif
