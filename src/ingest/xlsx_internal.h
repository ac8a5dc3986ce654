/*
 * Shared by the files of the XLSX reader only (xlsx.c, xlsx_zip.c, xlsx_styles.c,
 * xlsx_sheet.c, xlsx_scan.c): the package, the reader's state and the functions one part of the
 * reader calls in another. Nothing outside these files includes this; the API is xlsx.h.
 */
#ifndef MSK_XLSX_INTERNAL_H
#define MSK_XLSX_INTERNAL_H

#include "base/buf.h"
#include "base/err.h"
#include "ingest/xlsx.h"

#include <expat.h>
#include <locale.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <zip.h>
#include <zlib.h>

enum {
    CHUNK = 64 * 1024,       /* bytes inflated per zip_fread */
    FEED_CHUNK = 256 * 1024, /* the same for the sheet's read-ahead thread */
    MAX_SHEETS = 4096,       /* sheets listed from workbook.xml */
    MAX_RELS = 8192,         /* relationships read from one .rels part */
    MAX_NAME = 1024,         /* longest sheet name, id or target kept: these are all short */
    MAX_NUMFMTS = 4096,      /* custom number formats remembered */
    MAX_XFS = 65536,         /* cell formats remembered (Excel allows 64000) */
    SCAN_TAIL = 128,         /* bytes kept between chunks by the merge scan: "</prefix:mergeCel" */
    SCAN_CARRY = 4096,       /* longest <mergeCell ...> tag the scan carries across chunks */
};

/* One part of the zip being inflated (xlsx_part_open). A deflated part is read raw and inflated
 * here, so that the compressed bytes consumed so far are known and a bomb is refused by its
 * ratio in its first megabytes; other methods go through libzip. */
typedef struct xpart {
    zip_file_t *zf;
    int raw;   /* 1: zf yields the deflate stream */
    int end;   /* raw: zlib has seen the end of the stream */
    int ineof; /* raw: all the compressed bytes have been read */
    z_stream zs;
    unsigned char *in;
    uint64_t cin;   /* raw: compressed bytes handed to zlib so far */
    uint64_t usize; /* raw: the size the directory gives, checked at the end */
    uint64_t out;   /* raw: bytes inflated */
    uLong crc, want;
} xpart;

typedef struct book_sheet {
    char *name;
    char *rid;
    char *path;    /* part name, NULL when the relationship is missing */
    int worksheet; /* 0 for chart sheets and dialog sheets */
} book_sheet;

typedef struct rel {
    char *id, *type, *target;
} rel;

typedef struct book {
    zip_t *zip;
    const char *file; /* for messages; not owned */
    char *wb;         /* workbook part name */
    book_sheet *sheets;
    size_t nsheets;
    char *sst_part;    /* NULL if the workbook has none */
    char *styles_part; /* NULL if the workbook has none */
    int date1904;
} book;

/* Bytes expat has allocated for one parser (see xml_malloc). */
typedef struct xml_budget {
    size_t used;
} xml_budget;

/* What every expat callback's user data starts with. */
typedef struct xml_ctx {
    XML_Parser p;
    const char *file;
    const char *part;
    msk_err *err;
    int failed;
    xml_budget mem;
} xml_ctx;

/* One part being inflated into an expat parser. */
typedef struct xstream {
    xpart *zf;
    uint64_t nread;
    uint64_t csize; /* compressed size, for xlsx_part_read's ratio check */
    int eof;        /* the final buffer has been handed to expat */
    int suspended;  /* expat was suspended by a handler and must be resumed */
    size_t chunk;   /* bytes inflated per read */
} xstream;

typedef struct sst_ud {
    xml_ctx c;
    msk_buf blob;  /* all strings, each NUL-terminated */
    msk_buf cur;   /* the string being read */
    uint32_t *off; /* off[i] = start of string i in blob; off[n] = blob.len at the end */
    size_t n, cap;
    uint32_t *nul; /* ascending numbers of the strings that held an escaped U+0000 */
    size_t nnul, nulcap;
    int in_si, rph;
} sst_ud;

typedef struct numfmt {
    unsigned long id;
    int date;
} numfmt;

typedef struct sty_ud {
    xml_ctx c;
    numfmt *fmts;
    size_t nf, fcap;
    unsigned char *xf; /* xf[i]: cell format i shows a date */
    size_t nxf, xcap;
    int in_fmts, in_xfs;
} sty_ud;

enum cell_type { CT_NUM, CT_SST, CT_INLINE, CT_STR, CT_BOOL, CT_ERR, CT_DATE };

typedef struct merge {
    int64_t r1, r2;
    size_t c1, c2;
    char *value; /* the top-left cell's text once its row has been read; owned */
} merge;

/* An attribute of the tag being scanned, in the scanner's buffer. */
typedef struct sx_attr {
    char *name;
    size_t nlen;
    char *val; /* raw until sx_value decodes it */
    size_t vlen;
    int plain; /* no reference or white space to normalise: only a NUL to add */
} sx_attr;

enum { SX_SLOTS = 4 };

/* Inflating the sheet costs a fifth of reading it, so a thread inflates the next chunks while
 * the scanner parses: a ring of SX_SLOTS chunks, filled by feed_main and taken by sx_fill. */
typedef struct sx_feed {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *slot[SX_SLOTS];
    zip_int64_t got[SX_SLOTS]; /* bytes in a filled slot, 0 at the end, -1 on error */
    int full[SX_SLOTS];
    size_t head, tail; /* the next slot to take, to fill */
    int stop;
    xpart *zf;
    uint64_t nread, csize;
    size_t chunk;
    const char *file, *part;
    msk_err err; /* what xlsx_part_read reported */
} sx_feed;

/* The sheet scanner's state (see xlsx_sx_step). */
typedef struct sx {
    sx_feed *feed; /* NULL: sx_fill inflates itself */
    xpart *zf;
    char *buf;
    size_t cap, len, pos;   /* buf[pos..len) is not parsed yet */
    uint64_t base;          /* offset in the part of buf[0] */
    uint64_t nread;         /* bytes inflated, against XLSX_MAX_PART_BYTES */
    uint64_t csize;         /* the part's compressed size, for the ratio check */
    uint64_t line, line_at; /* for messages: the line of buf[0] and the offset where it began */
    int eof, decided, root_done;
    char *stk; /* the names of the open elements, one after another */
    size_t stklen, stkcap;
    size_t *soff; /* soff[i]: where open element i's name starts in stk */
    size_t depth, scap;
    sx_attr *att;
    size_t acap;
} sx;

typedef struct xlsx_reader {
    tbl_reader base; /* first: handed out as a tbl_reader */
    book bk;
    xml_ctx c; /* the sheet's parser; c.err points to saved */
    xstream s;
    const char *part; /* the sheet part name, owned by bk */
    locale_t cloc;    /* "C" numerics for strtod/snprintf whatever the process locale */
    char *sst;
    uint32_t *sst_off;
    size_t sst_n;
    uint32_t *sst_nul; /* strings that held _x0000_ (sst_ud.nul) */
    size_t sst_nnul;
    unsigned char *xf_date;
    size_t nxf;
    merge *merges;
    size_t nmerges, mcap;
    size_t merge_bytes; /* kept in merge values, up to XLSX_MAX_MERGE_BYTES */

    /* expat state */
    int in_sd, in_row, in_c, in_is, rph;
    int64_t xrow;    /* number of the row element being read */
    int64_t lastrow; /* number of the last row element read (0 before the first) */
    size_t col, next_col;
    enum cell_type ctype;
    size_t cstyle;
    msk_buf val;     /* text of the current <v> or inline string */
    msk_buf rowdata; /* the row's cells, NUL-terminated one after another; [0] is "" */
    size_t *off;     /* off[i]: cell i in rowdata (0 = empty) */
    size_t noff, offcap;
    int ready;     /* a row has been read and not yet returned */
    int collect;   /* text goes into val: inside <v>, or <t> of an inline string */
    int use_expat; /* 1: the sheet is parsed by expat (testing hook); 2: the scanner handed it
                      to expat (sx_to_expat); 0: the scanner reads it */
    size_t chunk;  /* bytes inflated per read */
    sx scan;

    char **cells;
    size_t cellscap;
    int failed;
    msk_err saved;
    char empty[1];
} xlsx_reader;

/* xlsx_zip.c: expat's memory budget, the package's parts, relationships and workbook */
extern const XML_Memory_Handling_Suite xlsx_xml_mem; /* charges the thread's xml_budget */
xml_budget *xlsx_xml_enter(xml_ctx *c);
void xlsx_xml_leave(xml_budget *prev);
int xlsx_xml_memory_error(const xml_ctx *c);
const char *xlsx_local_name(const char *name);
const char *xlsx_attr(const XML_Char **atts, const char *want);
void xlsx_ctx_fail(xml_ctx *c, int64_t row, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void XMLCALL xlsx_on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                             const XML_Char *pubid, int has_internal);
zip_int64_t xlsx_part_index(zip_t *z, const char *part);
int xlsx_part_open(zip_t *z, const char *part, xpart **zf, uint64_t *csize, const char *file,
                   msk_err *err);
void xlsx_part_close(xpart *p);
zip_int64_t xlsx_part_read(xpart *zf, void *buf, size_t n, uint64_t *total, uint64_t csize,
                           const char *file, const char *part, msk_err *err);
int xlsx_xs_open(xstream *s, xml_ctx *c, zip_t *z, const char *part, XML_StartElementHandler start,
                 XML_EndElementHandler end);
void xlsx_xs_close(xstream *s, xml_ctx *c);
int xlsx_xs_status(xstream *s, xml_ctx *c, enum XML_Status st);
int xlsx_xs_step(xstream *s, xml_ctx *c);
int xlsx_parse_part(zip_t *z, const char *part, xml_ctx *c, XML_StartElementHandler start,
                    XML_EndElementHandler end, XML_CharacterDataHandler text);
void xlsx_book_release(book *bk);
int xlsx_book_open_path(book *bk, const char *path, msk_err *err);
int xlsx_book_open_mem(book *bk, const void *data, size_t len, msk_err *err);

/* xlsx_styles.c: shared strings, number formats and cell styles */
int xlsx_hexval(int c);
size_t xlsx_put_decoded(msk_buf *b, const char *s, size_t n);
void XMLCALL xlsx_sst_start(void *ud, const XML_Char *name, const XML_Char **atts);
void XMLCALL xlsx_sst_end(void *ud, const XML_Char *name);
unsigned long xlsx_parse_ulong(const char *s);
void XMLCALL xlsx_sty_start(void *ud, const XML_Char *name, const XML_Char **atts);
void XMLCALL xlsx_sty_end(void *ud, const XML_Char *name);

/* xlsx_sheet.c: the sheet's rows and cells (expat callbacks, also driven by the scanner) */
void xlsx_sheet_fail(xlsx_reader *xr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int xlsx_parse_ref(const char *s, size_t n, size_t *col, int64_t *row);
void xlsx_sheet_open(xlsx_reader *xr, const char *ln, const char *ra, const char *r, const char *t,
                     const char *s);
void xlsx_sheet_close(xlsx_reader *xr, const char *ln);
void XMLCALL xlsx_sheet_start(void *ud, const XML_Char *name, const XML_Char **atts);
void XMLCALL xlsx_sheet_end(void *ud, const XML_Char *name);

/* xlsx_scan.c: the sheet's pull scanner and its read-ahead thread */
void xlsx_feed_start(sx *s, size_t chunk, const char *file, const char *part);
int xlsx_sx_expat_step(xlsx_reader *xr);
int xlsx_sx_step(xlsx_reader *xr);
void xlsx_sx_release(sx *s);

#endif
