/*
 * XLSX reader (see xlsx.h). Opening follows the package's relationships: _rels/.rels names the
 * workbook, its rels name the sheets, shared strings and styles. Reading a sheet is two passes
 * over its part: a byte scan for <mergeCell> (they follow sheetData, too late for a streaming
 * reader to apply to the header), then a hand-written pull scanner (expat is kept for the small
 * parts, and for the sheet as a testing hook), stopped at every </row> so that one row at a
 * time is in memory.
 */
#include "ingest/xlsx.h"

#include "base/buf.h"
#include "base/mem.h"

#include <errno.h>
#include <expat.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

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

static const char NOT_XLSX[] = "файл не является книгой Excel (.xlsx)";

/* ---- the package: zip, workbook, relationships ----------------------------------------- */

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
    zip_file_t *zf;
    uint64_t nread;
    int eof;       /* the final buffer has been handed to expat */
    int suspended; /* expat was suspended by a handler and must be resumed */
    size_t chunk;  /* bytes inflated per read */
} xstream;

/*
 * Expat allocates through these, so one parser cannot take more than XLSX_MAX_XML_MEMORY
 * however the document is built: expat keeps a whole tag in memory until its '>' and a record
 * per open element, so a 1 GB attribute or a million nested elements, tiny once zipped, would
 * otherwise cost gigabytes. Expat hands these functions no context, so the budget to charge is
 * set for the thread around every call into expat (xml_enter), and each block remembers the
 * budget it was charged to, so that it can be freed from anywhere.
 */
static _Thread_local struct {
    xml_budget *cur;
} tls;

typedef union xml_block {
    struct {
        xml_budget *budget;
        size_t size;
    } h;
    max_align_t align;
} xml_block;

static void *xml_malloc(size_t n)
{
    xml_budget *b = tls.cur;
    if (!b || n > XLSX_MAX_XML_MEMORY - b->used)
        return NULL;
    xml_block *blk = malloc(sizeof *blk + n);
    if (!blk)
        return NULL;
    blk->h.budget = b;
    blk->h.size = n;
    b->used += n;
    return blk + 1;
}

static void xml_free(void *p)
{
    if (!p)
        return;
    xml_block *blk = (xml_block *)p - 1;
    blk->h.budget->used -= blk->h.size;
    free(blk);
}

static void *xml_realloc(void *p, size_t n)
{
    if (!p)
        return xml_malloc(n);
    xml_block *blk = (xml_block *)p - 1;
    xml_budget *b = blk->h.budget;
    if (n > blk->h.size && n - blk->h.size > XLSX_MAX_XML_MEMORY - b->used)
        return NULL;
    xml_block *grown = realloc(blk, sizeof *grown + n);
    if (!grown)
        return NULL;
    b->used = b->used - grown->h.size + n;
    grown->h.size = n;
    return grown + 1;
}

static const XML_Memory_Handling_Suite xml_mem = {xml_malloc, xml_realloc, xml_free};

/* Charge expat's allocations to c until xml_leave. Returns the budget to restore. */
static xml_budget *xml_enter(xml_ctx *c)
{
    xml_budget *prev = tls.cur;
    tls.cur = &c->mem;
    return prev;
}

static void xml_leave(xml_budget *prev)
{
    tls.cur = prev;
}

static int xml_memory_error(const xml_ctx *c)
{
    return msk_error_at(c->err, c->file, 0, 0,
                        "разбор части %s книги требует больше 8 МиБ памяти: файл повреждён "
                        "или построен как XML-бомба",
                        c->part);
}

static const char *local_name(const char *name)
{
    if (!name[0] || !name[1]) /* "c", "v", "t": the names met millions of times */
        return name;
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

/* The value of attribute want (compared without its prefix), or NULL. */
static const char *attr(const XML_Char **atts, const char *want)
{
    for (size_t i = 0; atts[i]; i += 2) {
        if (!strncmp(atts[i], "xmlns", 5))
            continue;
        if (!strcmp(local_name(atts[i]), want))
            return atts[i + 1];
    }
    return NULL;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

/* Record an error met inside a callback and abort the parse: XML_Parse* then returns
 * XML_STATUS_ERROR and xs_step reports c->err. */
static void ctx_fail(xml_ctx *c, int64_t row, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void ctx_fail(xml_ctx *c, int64_t row, int col, const char *fmt, ...)
{
    char msg[MSK_ERR_MSG];
    va_list ap;
    if (c->failed)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    msk_error_at(c->err, c->file, row, col, "%s", msg);
    c->failed = 1;
    if (c->p)
        XML_StopParser(c->p, XML_FALSE);
}

/* An xlsx never has a DTD; refusing one shuts out entity expansion attacks altogether. */
static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal)
{
    xml_ctx *c = ud;
    ctx_fail(c, 0, 0, "часть %s книги содержит объявление DOCTYPE: такие файлы не читаются",
             c->part);
}

static zip_int64_t part_index(zip_t *z, const char *part)
{
    zip_int64_t i = zip_name_locate(z, part, 0);
    if (i < 0)
        i = zip_name_locate(z, part, ZIP_FL_NOCASE);
    return i;
}

/* Open a part of the zip for reading into *zf. Returns 0, 1 when the part is not in the zip,
 * -1 when it cannot be opened (an encrypted entry, an unknown compression method). */
static int part_open(zip_t *z, const char *part, zip_file_t **zf, const char *file, msk_err *err)
{
    zip_int64_t i = part_index(z, part);
    *zf = NULL;
    if (i < 0)
        return 1;
    *zf = zip_fopen_index(z, (zip_uint64_t)i, 0);
    if (!*zf)
        return msk_error_at(err, file, 0, 0,
                            "не удалось открыть часть %s книги: %s (файл повреждён или "
                            "защищён паролем)",
                            part, zip_strerror(z));
    return 0;
}

/* Inflate up to n more bytes of a part into buf, counting them into *total against the zip
 * bomb cap. Returns the count (0 at the end) or -1. */
static zip_int64_t part_read(zip_file_t *zf, void *buf, size_t n, uint64_t *total, const char *file,
                             const char *part, msk_err *err)
{
    zip_int64_t got = zip_fread(zf, buf, n);
    if (got < 0)
        return msk_error_at(err, file, 0, 0,
                            "файл повреждён: не удалось распаковать часть %s книги (%s)", part,
                            zip_file_strerror(zf));
    *total += (uint64_t)got;
    if (*total > XLSX_MAX_PART_BYTES)
        return msk_error_at(err, file, 0, 0,
                            "часть %s книги распаковывается больше чем в 2 ГиБ: файл повреждён "
                            "или это zip-бомба",
                            part);
    return got;
}

/* Open part for parsing with c as the handlers' user data. Returns 0, 1 when the part is not
 * in the zip (nothing opened), -1 on error (c->err filled). */
static int xs_open(xstream *s, xml_ctx *c, zip_t *z, const char *part,
                   XML_StartElementHandler start, XML_EndElementHandler end)
{
    memset(s, 0, sizeof *s);
    s->chunk = CHUNK;
    c->part = part;
    c->failed = 0;
    c->p = NULL;
    int rc = part_open(z, part, &s->zf, c->file, c->err);
    if (rc)
        return rc;
    xml_budget *prev = xml_enter(c);
    c->p = XML_ParserCreate_MM(NULL, &xml_mem, NULL);
    xml_leave(prev);
    if (!c->p) {
        zip_fclose(s->zf);
        s->zf = NULL;
        return xml_memory_error(c);
    }
    XML_SetUserData(c->p, c);
    XML_SetElementHandler(c->p, start, end);
    XML_SetStartDoctypeDeclHandler(c->p, on_doctype);
    return 0;
}

static void xs_close(xstream *s, xml_ctx *c)
{
    if (s->zf)
        zip_fclose(s->zf);
    s->zf = NULL;
    if (c->p) {
        xml_budget *prev = xml_enter(c);
        XML_ParserFree(c->p);
        xml_leave(prev);
    }
    c->p = NULL;
}

/* What a call into expat returned: 1 to go on, -1 on error (c->err filled). */
static int xs_status(xstream *s, xml_ctx *c, enum XML_Status st)
{
    if (st == XML_STATUS_ERROR) {
        if (c->failed)
            return -1;
        if (XML_GetErrorCode(c->p) == XML_ERROR_NO_MEMORY) {
            xml_memory_error(c);
            return -1;
        }
        msk_error_at(c->err, c->file, 0, 0,
                     "повреждённый XML в части %s книги (строка %lu, позиция %lu): %s", c->part,
                     (unsigned long)XML_GetCurrentLineNumber(c->p),
                     (unsigned long)XML_GetCurrentColumnNumber(c->p) + 1,
                     XML_ErrorString(XML_GetErrorCode(c->p)));
        return -1;
    }
    if (st == XML_STATUS_SUSPENDED)
        s->suspended = 1;
    return 1;
}

/* Feed expat one more chunk, or resume it. Returns 1 while there is more, 0 at the end of the
 * part, -1 on error (c->err filled). */
static int xs_step(xstream *s, xml_ctx *c)
{
    enum XML_Status st;
    int rc = -1;
    xml_budget *prev = xml_enter(c);
    if (s->suspended) {
        s->suspended = 0;
        st = XML_ResumeParser(c->p);
    } else if (s->eof) {
        rc = 0;
        goto out;
    } else {
        void *b = XML_GetBuffer(c->p, (int)s->chunk);
        if (!b) {
            xml_memory_error(c);
            goto out;
        }
        zip_int64_t n = part_read(s->zf, b, s->chunk, &s->nread, c->file, c->part, c->err);
        if (n < 0)
            goto out;
        s->eof = n == 0;
        st = XML_ParseBuffer(c->p, (int)n, s->eof);
    }
    rc = xs_status(s, c, st);
out:
    xml_leave(prev);
    return rc;
}

/* Parse a whole (small) part. Returns 0, 1 when the part is missing, -1 on error. */
static int parse_part(zip_t *z, const char *part, xml_ctx *c, XML_StartElementHandler start,
                      XML_EndElementHandler end, XML_CharacterDataHandler text)
{
    xstream s;
    int rc = xs_open(&s, c, z, part, start, end);
    if (rc)
        return rc;
    XML_SetCharacterDataHandler(c->p, text);
    while ((rc = xs_step(&s, c)) == 1)
        ;
    xs_close(&s, c);
    return rc;
}

/* A part name from a relationship target: relative to the folder of the part whose rels hold
 * it, or absolute with a leading '/'. "." and ".." are resolved. Caller frees. */
static char *resolve(const char *from, const char *target)
{
    msk_buf j, out;
    msk_buf_init(&j, 0);
    msk_buf_init(&out, 0);
    if (target[0] != '/') {
        const char *slash = strrchr(from, '/');
        if (slash)
            msk_buf_add(&j, from, (size_t)(slash - from) + 1);
    }
    msk_buf_puts(&j, target);
    for (char *p = j.data; *p; p++)
        if (*p == '\\')
            *p = '/';
    const char *p = j.data;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            char *last = strrchr(out.data, '/');
            msk_buf_truncate(&out, last ? (size_t)(last - out.data) : 0);
        } else if (n && !(n == 1 && p[0] == '.')) {
            if (out.len)
                msk_buf_putc(&out, '/');
            msk_buf_add(&out, p, n);
        }
        p += n;
        if (*p == '/')
            p++;
    }
    msk_buf_release(&j);
    char *res = msk_buf_detach(&out, NULL);
    msk_buf_release(&out);
    return res;
}

/* "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels". Caller frees. */
static char *rels_of(const char *part)
{
    msk_buf b;
    const char *slash = strrchr(part, '/');
    size_t dir = slash ? (size_t)(slash - part) + 1 : 0;
    msk_buf_init(&b, 0);
    msk_buf_add(&b, part, dir);
    msk_buf_puts(&b, "_rels/");
    msk_buf_puts(&b, part + dir);
    msk_buf_puts(&b, ".rels");
    char *res = msk_buf_detach(&b, NULL);
    msk_buf_release(&b);
    return res;
}

typedef struct rels_ud {
    xml_ctx c;
    rel *v;
    size_t n, cap;
} rels_ud;

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    rels_ud *u = ud;
    if (u->c.failed || strcmp(local_name(name), "Relationship"))
        return;
    const char *id = attr(atts, "Id"), *type = attr(atts, "Type");
    const char *target = attr(atts, "Target"), *mode = attr(atts, "TargetMode");
    if (!id || !type || !target || (mode && !strcmp(mode, "External")) || u->n >= MAX_RELS ||
        strnlen(id, MAX_NAME) == MAX_NAME || strnlen(type, MAX_NAME) == MAX_NAME ||
        strnlen(target, MAX_NAME) == MAX_NAME)
        return;
    if (u->n == u->cap) {
        u->cap = u->cap ? u->cap * 2 : 16;
        u->v = msk_reallocarray(u->v, u->cap, sizeof *u->v);
    }
    u->v[u->n].id = msk_strdup(id);
    u->v[u->n].type = msk_strdup(type);
    u->v[u->n].target = msk_strdup(target);
    u->n++;
}

static void rels_release(rels_ud *u)
{
    for (size_t i = 0; i < u->n; i++) {
        free(u->v[i].id);
        free(u->v[i].type);
        free(u->v[i].target);
    }
    free(u->v);
    u->v = NULL;
    u->n = u->cap = 0;
}

static const rel *rels_by_type(const rels_ud *u, const char *suffix)
{
    for (size_t i = 0; i < u->n; i++)
        if (ends_with(u->v[i].type, suffix))
            return &u->v[i];
    return NULL;
}

typedef struct wb_ud {
    xml_ctx c;
    book *bk;
    size_t cap;
    int in_sheets;
} wb_ud;

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    wb_ud *u = ud;
    book *bk = u->bk;
    const char *ln = local_name(name);
    if (u->c.failed)
        return;
    if (!strcmp(ln, "sheets")) {
        u->in_sheets = 1;
    } else if (!strcmp(ln, "workbookPr")) {
        const char *d = attr(atts, "date1904");
        bk->date1904 = d && (!strcmp(d, "1") || !strcmp(d, "true"));
    } else if (u->in_sheets && !strcmp(ln, "sheet") && bk->nsheets < MAX_SHEETS) {
        const char *sname = attr(atts, "name"), *rid = attr(atts, "id");
        if (!sname || !rid || strnlen(sname, MAX_NAME) == MAX_NAME ||
            strnlen(rid, MAX_NAME) == MAX_NAME)
            return;
        if (bk->nsheets == u->cap) {
            u->cap = u->cap ? u->cap * 2 : 8;
            bk->sheets = msk_reallocarray(bk->sheets, u->cap, sizeof *bk->sheets);
        }
        book_sheet *s = &bk->sheets[bk->nsheets++];
        s->name = msk_strdup(sname);
        s->rid = msk_strdup(rid);
        s->path = NULL;
        s->worksheet = 0;
    }
}

static void XMLCALL wb_end(void *ud, const XML_Char *name)
{
    wb_ud *u = ud;
    if (!strcmp(local_name(name), "sheets"))
        u->in_sheets = 0;
}

static void book_release(book *bk)
{
    if (bk->zip)
        zip_discard(bk->zip);
    for (size_t i = 0; i < bk->nsheets; i++) {
        free(bk->sheets[i].name);
        free(bk->sheets[i].rid);
        free(bk->sheets[i].path);
    }
    free(bk->sheets);
    free(bk->wb);
    free(bk->sst_part);
    free(bk->styles_part);
    memset(bk, 0, sizeof *bk);
}

/* Check the first bytes of a file before libzip sees it, for messages that say what to do. */
static int check_signature(const unsigned char *sig, size_t n, const char *file, msk_err *err)
{
    static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (n == 0)
        return msk_error_at(err, file, 0, 0, "файл пуст");
    if (n >= 4 && !memcmp(sig, ole, 4))
        return msk_error_at(err, file, 0, 0,
                            "формат .xls не поддерживается: сохраните файл как .xlsx (если "
                            "файл уже .xlsx, он защищён паролем: снимите пароль)");
    if (n < 4 || sig[0] != 'P' || sig[1] != 'K')
        return msk_error_at(err, file, 0, 0, "%s", NOT_XLSX);
    return 0;
}

static int zip_open_error(int code, const char *file, msk_err *err)
{
    if (code == ZIP_ER_MEMORY)
        return msk_error_at(err, file, 0, 0, "не хватает памяти, чтобы открыть книгу");
    if (code == ZIP_ER_READ || code == ZIP_ER_OPEN || code == ZIP_ER_SEEK)
        return msk_error_at(err, file, 0, 0, "не удалось прочитать файл");
    return msk_error_at(err, file, 0, 0, "%s: архив повреждён", NOT_XLSX);
}

/* Read the package structure of an opened zip: workbook, sheets and the parts they need. */
static int book_load(book *bk, msk_err *err)
{
    int rc = -1;
    rels_ud root = {.c = {.file = bk->file, .err = err}};
    rels_ud wbr = {.c = {.file = bk->file, .err = err}};
    wb_ud wb = {.c = {.file = bk->file, .err = err}, .bk = bk};
    char *wbrels = NULL;

    int r = parse_part(bk->zip, "_rels/.rels", &root.c, rels_start, NULL, NULL);
    if (r < 0)
        goto out;
    const rel *doc = rels_by_type(&root, "/officeDocument");
    bk->wb = doc ? resolve("", doc->target) : msk_strdup("xl/workbook.xml");
    if (part_index(bk->zip, bk->wb) < 0) {
        msk_error_at(err, bk->file, 0, 0, "%s: в архиве нет части %s", NOT_XLSX, bk->wb);
        goto out;
    }
    wbrels = rels_of(bk->wb);
    r = parse_part(bk->zip, wbrels, &wbr.c, rels_start, NULL, NULL);
    if (r < 0)
        goto out;
    if (r > 0) {
        msk_error_at(err, bk->file, 0, 0, "%s: в архиве нет части %s", NOT_XLSX, wbrels);
        goto out;
    }
    if (parse_part(bk->zip, bk->wb, &wb.c, wb_start, wb_end, NULL) < 0)
        goto out;
    for (size_t i = 0; i < bk->nsheets; i++) {
        book_sheet *s = &bk->sheets[i];
        for (size_t k = 0; k < wbr.n; k++) {
            if (strcmp(wbr.v[k].id, s->rid))
                continue;
            s->path = resolve(bk->wb, wbr.v[k].target);
            s->worksheet = ends_with(wbr.v[k].type, "/worksheet");
            break;
        }
    }
    const rel *x = rels_by_type(&wbr, "/sharedStrings");
    bk->sst_part = x ? resolve(bk->wb, x->target) : NULL;
    x = rels_by_type(&wbr, "/styles");
    bk->styles_part = x ? resolve(bk->wb, x->target) : NULL;
    rc = 0;
out:
    rels_release(&root);
    rels_release(&wbr);
    free(wbrels);
    return rc;
}

static int book_open_path(book *bk, const char *path, msk_err *err)
{
    unsigned char sig[8];
    int code = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT)
            return msk_error_at(err, path, 0, 0, "файл не найден");
        if (errno == EACCES)
            return msk_error_at(err, path, 0, 0, "нет прав на чтение файла");
        return msk_error_at(err, path, 0, 0, "не удалось открыть файл: %s", strerror(errno));
    }
    size_t n = fread(sig, 1, sizeof sig, f);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return msk_error_at(err, path, 0, 0, "не удалось прочитать файл");
    if (check_signature(sig, n, path, err))
        return -1;
    bk->zip = zip_open(path, ZIP_RDONLY, &code);
    if (!bk->zip)
        return zip_open_error(code, path, err);
    return book_load(bk, err);
}

static int book_open_mem(book *bk, const void *data, size_t len, msk_err *err)
{
    zip_error_t ze;
    if (check_signature(data, len, bk->file, err))
        return -1;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    if (src) {
        bk->zip = zip_open_from_source(src, ZIP_RDONLY, &ze);
        if (!bk->zip)
            zip_source_free(src);
    }
    int code = zip_error_code_zip(&ze);
    zip_error_fini(&ze);
    if (!bk->zip)
        return zip_open_error(code, bk->file, err);
    return book_load(bk, err);
}

/* ---- shared strings and styles ------------------------------------------------------------ */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* The code unit of an _xHHHH_ escape at s (n bytes available), or -1. */
static long xescape(const char *s, size_t n)
{
    long v = 0;
    if (n < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_')
        return -1;
    for (int i = 2; i < 6; i++) {
        int h = hexval((unsigned char)s[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

static void put_utf8(msk_buf *b, unsigned long cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    msk_buf_add(b, u, n);
}

/* Append s[0..n) with OOXML's _xHHHH_ escapes decoded (Excel writes "_x000D_" for a carriage
 * return and "_x005F_" for an underscore that would otherwise start one). U+0000 is dropped:
 * cells are C strings. */
static void put_decoded(msk_buf *b, const char *s, size_t n)
{
    const char *p = s, *end = s + n, *q;
    while ((q = memchr(p, '_', (size_t)(end - p)))) {
        long cp = xescape(q, (size_t)(end - q));
        if (cp < 0) {
            msk_buf_add(b, p, (size_t)(q - p) + 1);
            p = q + 1;
            continue;
        }
        msk_buf_add(b, p, (size_t)(q - p));
        q += 7;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            long lo = xescape(q, (size_t)(end - q));
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                q += 7;
            } else {
                cp = 0xFFFD;
            }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            cp = 0xFFFD;
        }
        if (cp)
            put_utf8(b, (unsigned long)cp);
        p = q;
    }
    msk_buf_add(b, p, (size_t)(end - p));
}

typedef struct sst_ud {
    xml_ctx c;
    msk_buf blob;  /* all strings, each NUL-terminated */
    msk_buf cur;   /* the string being read */
    uint32_t *off; /* off[i] = start of string i in blob; off[n] = blob.len at the end */
    size_t n, cap;
    int in_si, rph;
} sst_ud;

static void XMLCALL sst_text(void *ud, const XML_Char *s, int len)
{
    sst_ud *u = ud;
    if (!u->c.failed && msk_buf_add(&u->cur, s, (size_t)len))
        ctx_fail(&u->c, 0, 0, "общая строка №%zu длиннее 1 МиБ", u->n + 1);
}

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    sst_ud *u = ud;
    const char *ln = local_name(name);
    if (u->c.failed)
        return;
    if (!strcmp(ln, "si")) {
        u->in_si = 1;
        u->rph = 0;
        msk_buf_reset(&u->cur);
    } else if (u->in_si && !strcmp(ln, "rPh")) {
        u->rph++; /* phonetic guide (furigana): not part of the text */
    } else if (u->in_si && !u->rph && !strcmp(ln, "t")) {
        XML_SetCharacterDataHandler(u->c.p, sst_text);
    }
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
    sst_ud *u = ud;
    const char *ln = local_name(name);
    if (u->c.failed)
        return;
    if (!strcmp(ln, "t")) {
        XML_SetCharacterDataHandler(u->c.p, NULL);
    } else if (!strcmp(ln, "rPh")) {
        if (u->rph)
            u->rph--;
    } else if (u->in_si && !strcmp(ln, "si")) {
        u->in_si = 0;
        /* The offsets count against the same budget as the text: a file of empty <si/> must
         * not cost more memory than its strings could. */
        if (u->n + 2 > XLSX_MAX_SST_BYTES / sizeof *u->off ||
            u->blob.len + u->cur.len + 1 + (u->n + 2) * sizeof *u->off > XLSX_MAX_SST_BYTES) {
            ctx_fail(&u->c, 0, 0,
                     "таблица общих строк больше 256 МиБ: файл повреждён или слишком велик");
            return;
        }
        if (u->n + 1 >= u->cap) {
            u->cap = u->cap ? u->cap * 2 : 256;
            u->off = msk_reallocarray(u->off, u->cap, sizeof *u->off);
        }
        u->off[u->n++] = (uint32_t)u->blob.len;
        put_decoded(&u->blob, u->cur.data, u->cur.len);
        msk_buf_add(&u->blob, "", 1);
    }
}

/* Does a custom number format show a date? Yes when it has d, m or y outside quoted text,
 * escapes and [brackets] ("[Red]" has a d, "[$-419]" a locale). */
static int format_is_date(const char *code)
{
    if (!strcasecmp(code, "General"))
        return 0;
    for (const char *p = code; *p; p++) {
        switch (*p) {
        case '"':
            while (p[1] && p[1] != '"')
                p++;
            if (p[1])
                p++;
            break;
        case '\\':
        case '_':
        case '*':
            if (p[1])
                p++;
            break;
        case '[':
            while (p[1] && p[1] != ']')
                p++;
            if (p[1])
                p++;
            break;
        case 'd':
        case 'D':
        case 'm':
        case 'M':
        case 'y':
        case 'Y':
            return 1;
        default:
            break;
        }
    }
    return 0;
}

static int builtin_is_date(unsigned long id)
{
    return (id >= 14 && id <= 22) || (id >= 45 && id <= 47);
}

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

static unsigned long parse_ulong(const char *s)
{
    unsigned long v = 0;
    if (!s)
        return 0;
    for (; *s >= '0' && *s <= '9'; s++)
        v = v < 100000000UL ? v * 10 + (unsigned long)(*s - '0') : v;
    return v;
}

static void XMLCALL sty_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    sty_ud *u = ud;
    const char *ln = local_name(name);
    if (u->c.failed)
        return;
    if (!strcmp(ln, "numFmts")) {
        u->in_fmts = 1;
    } else if (!strcmp(ln, "cellXfs")) {
        u->in_xfs = 1;
    } else if (u->in_fmts && !strcmp(ln, "numFmt") && u->nf < MAX_NUMFMTS) {
        const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
        if (!id || !code)
            return;
        if (u->nf == u->fcap) {
            u->fcap = u->fcap ? u->fcap * 2 : 16;
            u->fmts = msk_reallocarray(u->fmts, u->fcap, sizeof *u->fmts);
        }
        u->fmts[u->nf].id = parse_ulong(id);
        u->fmts[u->nf].date = format_is_date(code);
        u->nf++;
    } else if (u->in_xfs && !strcmp(ln, "xf") && u->nxf < MAX_XFS) {
        unsigned long id = parse_ulong(attr(atts, "numFmtId"));
        int date = builtin_is_date(id);
        for (size_t i = u->nf; i-- > 0;) { /* the last definition of an id counts */
            if (u->fmts[i].id == id) {
                date = u->fmts[i].date;
                break;
            }
        }
        if (u->nxf == u->xcap) {
            u->xcap = u->xcap ? u->xcap * 2 : 64;
            u->xf = msk_reallocarray(u->xf, u->xcap, 1);
        }
        u->xf[u->nxf++] = (unsigned char)date;
    }
}

static void XMLCALL sty_end(void *ud, const XML_Char *name)
{
    sty_ud *u = ud;
    const char *ln = local_name(name);
    if (!strcmp(ln, "numFmts"))
        u->in_fmts = 0;
    else if (!strcmp(ln, "cellXfs"))
        u->in_xfs = 0;
}

/* ---- the sheet reader --------------------------------------------------------------------- */

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
    zip_file_t *zf;
    uint64_t nread;
    size_t chunk;
    const char *file, *part;
    msk_err err; /* what part_read reported */
} sx_feed;

/* The sheet scanner's state (see sx_step). */
typedef struct sx {
    sx_feed *feed; /* NULL: sx_fill inflates itself */
    zip_file_t *zf;
    char *buf;
    size_t cap, len, pos;   /* buf[pos..len) is not parsed yet */
    uint64_t base;          /* offset in the part of buf[0] */
    uint64_t nread;         /* bytes inflated, against XLSX_MAX_PART_BYTES */
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

/* The sheet's handlers get &xr->c as user data (every handler's user data starts with an
 * xml_ctx); the reader itself starts with its tbl_reader. */
static xlsx_reader *reader_of(void *ud)
{
    return (xlsx_reader *)((char *)ud - offsetof(xlsx_reader, c));
}

static void sheet_fail(xlsx_reader *xr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sheet_fail(xlsx_reader *xr, const char *fmt, ...)
{
    char msg[MSK_ERR_MSG];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ctx_fail(&xr->c, xr->xrow, xr->in_c ? (int)xr->col + 1 : 0, "%s", msg);
}

/* "C7", "$C$7", "AB" -> column 2 (0-based) and row 7 (0 when absent). Returns 0, or -1 for a
 * reference that is not one or lies beyond XFD / row 1048576. */
static int parse_ref(const char *s, size_t n, size_t *col, int64_t *row)
{
    size_t i = 0, c = 0, letters = 0;
    int64_t r = 0;
    if (i < n && s[i] == '$')
        i++;
    for (; i < n && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z')); i++) {
        if (++letters > 3)
            return -1;
        c = c * 26 + (size_t)((s[i] | 0x20) - 'a' + 1);
    }
    if (!letters || c > XLSX_MAX_COLS)
        return -1;
    if (i < n && s[i] == '$')
        i++;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
        r = r * 10 + (s[i] - '0');
        if (r > XLSX_MAX_ROWS)
            return -1;
    }
    if (i != n)
        return -1;
    *col = c - 1;
    *row = r;
    return 0;
}

static void XMLCALL sheet_text(void *ud, const XML_Char *s, int len)
{
    xlsx_reader *xr = reader_of(ud);
    if (!xr->c.failed && msk_buf_add(&xr->val, s, (size_t)len))
        sheet_fail(xr, "значение ячейки длиннее 1 МиБ");
}

/* r: the row's r attribute (the first whose local name is r), or NULL. */
static void row_start(xlsx_reader *xr, const char *r)
{
    int64_t v = xr->lastrow + 1;
    if (r) {
        size_t i = 0;
        v = 0;
        for (; r[i] >= '0' && r[i] <= '9' && v <= XLSX_MAX_ROWS; i++)
            v = v * 10 + (r[i] - '0');
        if (r[i] || v < 1 || v > XLSX_MAX_ROWS) {
            xr->xrow = 0;
            sheet_fail(xr, "неверный номер строки «%.40s»", r);
            return;
        }
        if (v <= xr->lastrow) {
            xr->xrow = v;
            sheet_fail(xr, "строка %lld записана после строки %lld: строки листа не по порядку",
                       (long long)v, (long long)xr->lastrow);
            return;
        }
    }
    xr->xrow = v;
    if (v > XLSX_MAX_ROWS) {
        sheet_fail(xr, "в листе больше %d строк", XLSX_MAX_ROWS);
        return;
    }
    xr->in_row = 1;
    xr->next_col = 0;
    xr->noff = 0;
    msk_buf_reset(&xr->rowdata);
    msk_buf_add(&xr->rowdata, "", 1);
}

/* r, t, s: the cell's attributes of exactly those names, or NULL. */
static void cell_start(xlsx_reader *xr, const char *r, const char *t, const char *s)
{
    xr->in_is = 0;
    xr->rph = 0;
    xr->col = xr->next_col;
    if (r) {
        int64_t row;
        if (parse_ref(r, strnlen(r, 16), &xr->col, &row)) {
            sheet_fail(xr, "неверная ссылка на ячейку «%.40s»", r);
            return;
        }
    }
    if (xr->col >= XLSX_MAX_COLS) {
        sheet_fail(xr, "в строке больше %d столбцов", XLSX_MAX_COLS);
        return;
    }
    xr->in_c = 1; /* from here on, messages name the column */
    xr->next_col = xr->col + 1;
    xr->ctype = CT_NUM;
    if (t) {
        if (!strcmp(t, "s"))
            xr->ctype = CT_SST;
        else if (!strcmp(t, "inlineStr"))
            xr->ctype = CT_INLINE;
        else if (!strcmp(t, "b"))
            xr->ctype = CT_BOOL;
        else if (!strcmp(t, "e"))
            xr->ctype = CT_ERR;
        else if (!strcmp(t, "d"))
            xr->ctype = CT_DATE;
        else if (strcmp(t, "n"))
            xr->ctype = CT_STR;
    }
    xr->cstyle = s ? (size_t)parse_ulong(s) : 0;
    msk_buf_reset(&xr->val);
}

/* s[0..n) as a double, the text being NUL-terminated at n. Returns 0, or -1 if not a finite
 * number. */
static int parse_double(const xlsx_reader *xr, const char *s, size_t n, double *out)
{
    char *end;
    if (!n)
        return -1;
    double v = strtod_l(s, &end, xr->cloc);
    if (end == s)
        return -1;
    while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
        end++;
    if (end != s + n || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static void put_double(const xlsx_reader *xr, msk_buf *b, double v)
{
    char tmp[48];
    if (v == 0) {
        msk_buf_putc(b, '0');
        return;
    }
    if (v == trunc(v) && fabs(v) < 9007199254740992.0) { /* 2^53: every integer is exact */
        snprintf(tmp, sizeof tmp, "%.0f", v);
    } else {
        locale_t old = uselocale(xr->cloc);
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(tmp, sizeof tmp, "%.*g", prec, v);
            if (strtod_l(tmp, NULL, xr->cloc) == v)
                break;
        }
        uselocale(old);
    }
    msk_buf_puts(b, tmp);
}

/* The shortest text of a plain decimal s[0..n) ("12.50" -> "12.5", "007" -> "7", "-0" -> "0")
 * into out[0..56), NUL-terminated. Returns its length, or 0 when s is not a plain decimal of at
 * most 15 significant digits: such a decimal is already the shortest round-trip text once its
 * leading and trailing zeros go (15 digits survive a round trip through a double, so no
 * shorter decimal names the same double). This runs for most cells of most sheets. */
static size_t num_fast(const char *s, size_t n, char *out)
{
    size_t i = 0, ib, ie, fb, fe, z, k = 0;
    int neg = 0;
    if (n >= 48)
        return 0;
    if (i < n && s[i] == '-') {
        neg = 1;
        i++;
    }
    for (ib = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
        ;
    ie = fb = fe = i;
    if (i < n && s[i] == '.') {
        for (fb = ++i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
            ;
        fe = i;
    }
    if (ie == ib || i != n)
        return 0;
    while (ib < ie && s[ib] == '0')
        ib++;
    while (fe > fb && s[fe - 1] == '0')
        fe--;
    for (z = fb; ib == ie && z < fe && s[z] == '0'; z++)
        ;
    if ((ie - ib) + (fe - z) > 15)
        return 0;
    if (neg && (ie > ib || fe > fb))
        out[k++] = '-';
    if (ie == ib)
        out[k++] = '0';
    memcpy(out + k, s + ib, ie - ib);
    k += ie - ib;
    if (fe > fb) {
        out[k++] = '.';
        memcpy(out + k, s + fb, fe - fb);
        k += fe - fb;
    }
    out[k] = '\0';
    return k;
}

/* Append the shortest text that reads back as the same double as s[0..n) (NUL-terminated at
 * n). Returns 0, or -1 when s is not a number (nothing appended). */
static int put_number(const xlsx_reader *xr, msk_buf *b, const char *s, size_t n)
{
    char tmp[56];
    double v;
    size_t k = num_fast(s, n, tmp);
    if (k) {
        msk_buf_add(b, tmp, k);
        return 0;
    }
    if (parse_double(xr, s, n, &v))
        return -1;
    put_double(xr, b, v);
    return 0;
}

/* Excel serial day v as YYYY-MM-DD. The 1900 system counts 1900-01-01 as 1 and keeps Lotus's
 * 29 February 1900 as 60; the 1904 system counts 1904-01-01 as 0. Returns -1 (nothing
 * appended) outside 1900..9999: such a cell is not a date whatever its format says. */
static int put_date(msk_buf *b, double v, int d1904)
{
    char tmp[64];
    if (!(v >= (d1904 ? 0 : 1) && v < 2958466.0))
        return -1;
    long days = (long)floor(v);
    if (!d1904 && days == 60) {
        msk_buf_puts(b, "1900-02-29");
        return 0;
    }
    if (!d1904 && days < 60)
        days++;
    /* days since 1970-01-01, then Howard Hinnant's civil_from_days */
    long z = days + (d1904 ? -24107 : -25569) + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    long y = yoe + era * 400 + (m <= 2);
    snprintf(tmp, sizeof tmp, "%04ld-%02ld-%02ld", y, m, d);
    msk_buf_puts(b, tmp);
    return 0;
}

static void place(xlsx_reader *xr, size_t col, size_t at)
{
    if (col >= xr->offcap) {
        size_t cap = xr->offcap ? xr->offcap : 32;
        while (cap <= col)
            cap *= 2;
        xr->off = msk_reallocarray(xr->off, cap, sizeof *xr->off);
        xr->offcap = cap;
    }
    for (; xr->noff <= col; xr->noff++)
        xr->off[xr->noff] = 0;
    xr->off[col] = at;
}

static void cell_end(xlsx_reader *xr)
{
    msk_buf *b = &xr->rowdata;
    const char *v = xr->val.data;
    size_t n = xr->val.len, at = b->len;
    double d;
    char num[56];
    size_t nl;
    switch (xr->ctype) {
    case CT_SST: {
        size_t i = 0, k = 0;
        if (!n)
            return;
        for (; k < n && v[k] >= '0' && v[k] <= '9'; k++)
            i = i <= xr->sst_n ? i * 10 + (size_t)(v[k] - '0') : i;
        if (k != n) {
            sheet_fail(xr, "неверный номер общей строки «%.40s»", v);
            return;
        }
        if (i >= xr->sst_n) {
            sheet_fail(xr, "ячейка ссылается на общую строку №%.40s, а в книге их %zu", v,
                       xr->sst_n);
            return;
        }
        msk_buf_add(b, xr->sst + xr->sst_off[i], xr->sst_off[i + 1] - xr->sst_off[i] - 1);
        break;
    }
    case CT_INLINE:
    case CT_STR:
        put_decoded(b, v, n);
        break;
    case CT_BOOL:
        if (n == 1 && (v[0] == '0' || v[0] == '1'))
            msk_buf_putc(b, v[0]);
        else if (!strcmp(v, "true") || !strcmp(v, "false"))
            msk_buf_putc(b, v[0] == 't' ? '1' : '0');
        else
            msk_buf_add(b, v, n);
        break;
    case CT_DATE: /* ISO 8601 text (strict OOXML): keep the date part */
        msk_buf_add(b, v, n >= 10 && v[4] == '-' && v[7] == '-' ? 10 : n);
        break;
    case CT_ERR:
        msk_buf_add(b, v, n);
        break;
    case CT_NUM:
        if (xr->cstyle < xr->nxf && xr->xf_date[xr->cstyle]) {
            if (!parse_double(xr, v, n, &d) && !put_date(b, d, xr->bk.date1904))
                break;
        } else if ((nl = num_fast(v, n, num))) { /* the common cell: number, NUL: one append */
            msk_buf_add(b, num, nl + 1);
            if (b->failed)
                break;
            place(xr, xr->col, at);
            return;
        }
        if (put_number(xr, b, v, n))
            msk_buf_add(b, v, n);
        break;
    }
    if (b->failed) {
        sheet_fail(xr, "строка листа длиннее 64 МиБ");
        return;
    }
    if (b->len == at)
        return;
    if (b->len - at > XLSX_MAX_CELL) {
        sheet_fail(xr, "значение ячейки длиннее 1 МиБ");
        return;
    }
    msk_buf_add(b, "", 1);
    place(xr, xr->col, at);
}

/* Text inside <v>, or inside <t> of an inline string, makes the cell's value. */
static void set_collect(xlsx_reader *xr, int on)
{
    xr->collect = on;
    if (xr->c.p)
        XML_SetCharacterDataHandler(xr->c.p, on ? sheet_text : NULL);
}

/* The sheet's logic, shared by both parsers: an element ln (local name) opens. ra is the first
 * attribute whose local name is r (for <row>), r, t, s the attributes of exactly those names
 * (for <c>). */
static void sheet_open(xlsx_reader *xr, const char *ln, const char *ra, const char *r,
                       const char *t, const char *s)
{
    if (xr->c.failed)
        return;
    if (xr->in_c) {
        if (ln[0] == 'v' && !ln[1])
            set_collect(xr, 1);
        else if (!strcmp(ln, "is"))
            xr->in_is = 1;
        else if (xr->in_is && !strcmp(ln, "rPh"))
            xr->rph++;
        else if (xr->in_is && !xr->rph && !strcmp(ln, "t"))
            set_collect(xr, 1);
    } else if (xr->in_row) {
        if (ln[0] == 'c' && !ln[1])
            cell_start(xr, r, t, s);
    } else if (xr->in_sd) {
        if (!strcmp(ln, "row"))
            row_start(xr, ra);
    } else if (!strcmp(ln, "sheetData")) {
        xr->in_sd = 1;
    }
}

/* An element ln closes. Sets xr->ready at </row>: the parser must then stop. */
static void sheet_close(xlsx_reader *xr, const char *ln)
{
    if (xr->c.failed)
        return;
    if (xr->in_c) {
        if (ln[0] == 'c' && !ln[1]) {
            set_collect(xr, 0);
            cell_end(xr);
            xr->in_c = 0;
        } else if ((ln[0] == 'v' || ln[0] == 't') && !ln[1]) {
            set_collect(xr, 0);
        } else if (!strcmp(ln, "rPh")) {
            if (xr->rph)
                xr->rph--;
        } else if (!strcmp(ln, "is")) {
            xr->in_is = 0;
        }
    } else if (xr->in_row) {
        if (!strcmp(ln, "row")) {
            xr->in_row = 0;
            xr->lastrow = xr->xrow;
            xr->ready = 1;
        }
    } else if (xr->in_sd && !strcmp(ln, "sheetData")) {
        xr->in_sd = 0;
    }
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xlsx_reader *xr = reader_of(ud);
    const char *r = NULL, *t = NULL, *s = NULL;
    for (size_t i = 0; atts[i]; i += 2) {
        const char *a = atts[i];
        if (a[0] && !a[1]) {
            if (a[0] == 'r')
                r = atts[i + 1];
            else if (a[0] == 't')
                t = atts[i + 1];
            else if (a[0] == 's')
                s = atts[i + 1];
        }
    }
    sheet_open(xr, local_name(name), attr(atts, "r"), r, t, s);
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
    xlsx_reader *xr = reader_of(ud);
    sheet_close(xr, local_name(name));
    if (xr->ready && !xr->c.failed)
        XML_StopParser(xr->c.p, XML_TRUE); /* hand the row out; resumed by the next call */
}

/* ---- the sheet scanner ------------------------------------------------------------------------
 *
 * Expat spends most of a big import on generality a sheet never needs, so the sheet part is read
 * by this pull scanner instead: memchr to the next '<', a tag parsed in place in the inflated
 * chunk, the same sheet_open / sheet_close / cell logic as the expat callbacks. It checks what
 * expat checks (names, quoting, entities, characters, UTF-8, nesting, one root) so that a file
 * reads the same either way; an unfinished token is carried into the next chunk, up to
 * XLSX_MAX_XML_MEMORY. A part in another encoding than UTF-8, or whose XML declaration is not
 * the plain one, is handed to expat.
 */

enum { TX = 1, AV = 2, NS0 = 4, NC = 8 };

/* TX: stops a run of text; AV: stops a run of attribute value; NS0: starts a name; NC: in a
 * name (ASCII only: bytes from 0x80 on are checked as UTF-8). */
static const unsigned char cls[256] = {
    [0 ... 8] = TX | AV,
    ['\t'] = AV,
    ['\n'] = AV,
    [11 ... 31] = TX | AV,
    ['&'] = TX | AV,
    ['<'] = TX | AV,
    [']'] = TX,
    ['"'] = AV,
    ['\''] = AV,
    ['A' ... 'Z'] = NS0 | NC,
    ['a' ... 'z'] = NS0 | NC,
    ['_'] = NS0 | NC,
    [':'] = NS0 | NC,
    ['0' ... '9'] = NC,
    ['.'] = NC,
    ['-'] = NC,
    [128 ... 255] = TX | AV,
};

static int sx_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Decode the UTF-8 character at p (p < e) into *cp. Returns its length, 0 when it is not a
 * character XML allows, -1 when it is cut by e. */
static int utf8_char(const char *p, const char *e, unsigned long *cp)
{
    const unsigned char *u = (const unsigned char *)p;
    unsigned c = u[0];
    int n;
    unsigned long v, min;
    if (c < 0xC2)
        return 0;
    if (c < 0xE0)
        n = 2, v = c & 0x1F, min = 0x80;
    else if (c < 0xF0)
        n = 3, v = c & 0x0F, min = 0x800;
    else if (c < 0xF5)
        n = 4, v = c & 0x07, min = 0x10000;
    else
        return 0;
    for (int i = 1; i < n; i++) {
        if (p + i >= e)
            return -1;
        if ((u[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (u[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) || v == 0xFFFE || v == 0xFFFF)
        return 0;
    *cp = v;
    return n;
}

/* Is nm[0..n), which has characters beyond ASCII, a name for expat? Its tables of name
 * characters (XML 1.0, 4th edition) are its own, so it is asked: such names are never in a
 * real sheet, and a hostile one is bounded by XLSX_MAX_XML_MEMORY like any tag. */
static int expat_name(const char *nm, size_t n)
{
    char *doc = msk_malloc(n + 3);
    doc[0] = '<';
    memcpy(doc + 1, nm, n);
    memcpy(doc + 1 + n, "/>", 2);
    XML_Parser p = XML_ParserCreate(NULL);
    int ok = p && n + 3 <= INT_MAX && XML_Parse(p, doc, (int)(n + 3), 1) == XML_STATUS_OK;
    if (p)
        XML_ParserFree(p);
    free(doc);
    return ok;
}

/* Results of the token parsers below. */
enum { SX_BAD = -1, SX_MORE = 0, SX_OK = 1 };

/* A name at *pp: advance past it. SX_MORE when e cuts it. */
static int sx_name_slow(char **pp, char *e)
{
    char *q = *pp;
    int wide = 0;
    for (;;) {
        if (q >= e)
            return SX_MORE;
        unsigned char c = (unsigned char)*q;
        if (c < 0x80) {
            if (!(cls[c] & (q == *pp ? NS0 : NC)))
                break;
            q++;
            continue;
        }
        unsigned long cp;
        int n = utf8_char(q, e, &cp);
        if (n < 0)
            return SX_MORE;
        if (!n)
            break;
        wide = 1; /* checked below, once the name is whole */
        q += n;
    }
    if (q == *pp || (wide && !expat_name(*pp, (size_t)(q - *pp))))
        return SX_BAD;
    *pp = q;
    return SX_OK;
}

static inline int sx_name(char **pp, char *e)
{
    char *q = *pp;
    if (q < e && (cls[(unsigned char)*q] & NS0)) {
        for (q++; q < e && (cls[(unsigned char)*q] & NC); q++)
            ;
        if (q < e && (unsigned char)*q < 0x80) {
            *pp = q;
            return SX_OK;
        }
    }
    return sx_name_slow(pp, e);
}

static size_t utf8_put(char *o, unsigned long cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The reference at p ('&'): its UTF-8 into out (*n bytes) and *end after its ';'. SX_BAD with
 * *why set for a malformed or unknown one. */
static int sx_entity(char *p, char *e, char *out, size_t *n, char **end, const char **why)
{
    char *q = p + 1;
    unsigned long v = 0;
    *why = "not well-formed (invalid token)";
    if (q >= e)
        return SX_MORE;
    if (*q == '#') {
        int hex = 0, digits = 0;
        if (++q >= e)
            return SX_MORE;
        if (*q == 'x') {
            hex = 1;
            q++;
        }
        for (;; q++, digits++) {
            if (q >= e)
                return SX_MORE;
            int d = hex ? hexval((unsigned char)*q) : (*q >= '0' && *q <= '9' ? *q - '0' : -1);
            if (d < 0)
                break;
            v = v > 0x10FFFF ? v : v * (hex ? 16 : 10) + (unsigned long)d;
        }
        if (*q != ';' || !digits)
            return SX_BAD;
        if (!(v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) ||
              (v >= 0xE000 && v <= 0xFFFD) || (v >= 0x10000 && v <= 0x10FFFF))) {
            *why = "reference to invalid character number";
            return SX_BAD;
        }
        *n = utf8_put(out, v);
        *end = q + 1;
        return SX_OK;
    }
    char *nm = q;
    int rc = sx_name(&q, e);
    if (rc != SX_OK)
        return rc;
    if (q >= e)
        return SX_MORE;
    if (*q != ';')
        return SX_BAD;
    size_t len = (size_t)(q - nm);
    static const struct {
        char name[5];
        char c;
    } ents[] = {{"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}};
    for (size_t i = 0; i < sizeof ents / sizeof *ents; i++) {
        if (strlen(ents[i].name) == len && !memcmp(nm, ents[i].name, len)) {
            out[0] = ents[i].c;
            *n = 1;
            *end = q + 1;
            return SX_OK;
        }
    }
    *why = "undefined entity";
    return SX_BAD;
}

/* Report malformed XML at `at` (inside the buffer) the way expat's errors are reported. */
static int sx_bad(xlsx_reader *xr, const char *at, const char *why)
{
    sx *s = &xr->scan;
    uint64_t line = s->line, line_at = s->line_at;
    for (const char *q = s->buf; q && q < at && (q = memchr(q, '\n', (size_t)(at - q))); q++) {
        line++;
        line_at = s->base + (uint64_t)(q - s->buf) + 1;
    }
    if (!xr->c.failed)
        msk_error_at(xr->c.err, xr->c.file, 0, 0,
                     "повреждённый XML в части %s книги (строка %llu, позиция %llu): %s",
                     xr->c.part, (unsigned long long)line,
                     (unsigned long long)(s->base + (uint64_t)(at - s->buf) - line_at + 1), why);
    xr->c.failed = 1;
    return SX_BAD;
}

static int sx_nomem(xlsx_reader *xr)
{
    if (!xr->c.failed)
        xml_memory_error(&xr->c);
    xr->c.failed = 1;
    return SX_BAD;
}

/* Add s[0..n) to the cell's value with line ends made "\n", as XML reads them. */
static int sx_collect(xlsx_reader *xr, const char *p, size_t n)
{
    if (xr->c.failed)
        return SX_BAD;
    if (msk_buf_add(&xr->val, p, n)) {
        sheet_fail(xr, "значение ячейки длиннее 1 МиБ");
        return SX_BAD;
    }
    return SX_OK;
}

static int sx_collect_norm(xlsx_reader *xr, const char *p, const char *e)
{
    const char *cr;
    while ((cr = memchr(p, '\r', (size_t)(e - p)))) {
        if (sx_collect(xr, p, (size_t)(cr - p)) != SX_OK || sx_collect(xr, "\n", 1) != SX_OK)
            return SX_BAD;
        p = cr + 1 < e && cr[1] == '\n' ? cr + 2 : cr + 1;
    }
    return sx_collect(xr, p, (size_t)(e - p));
}

/* The first character XML does not allow in p..e, or NULL. */
static const char *sx_badchar(const char *p, const char *e)
{
    unsigned long cp;
    while (p < e) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c < 0x80) {
            p++;
        } else if (c < 0x20) {
            if (c != '\t' && c != '\n' && c != '\r')
                return p;
            p++;
        } else {
            int n = utf8_char(p, e, &cp);
            if (n <= 0)
                return p;
            p += n;
        }
    }
    return NULL;
}

/* Does p..e start with lit? SX_MORE when e cuts it while it still could. */
static int sx_prefix(const char *p, const char *e, const char *lit)
{
    for (; *lit; p++, lit++) {
        if (p >= e)
            return SX_MORE;
        if (*p != *lit)
            return SX_BAD;
    }
    return SX_OK;
}

/* Text inside the root from *pp up to the next '<'. SX_OK at '<' or at e with all consumed;
 * SX_MORE before a reference, character or "]]>" that e cuts. */
static int sx_text(xlsx_reader *xr, char **pp, char *e)
{
    int eof = xr->scan.eof;
    char *p = *pp, *run = p;
    int rc = SX_OK;
    for (;;) {
        while (p < e && !(cls[(unsigned char)*p] & TX))
            p++;
        if (p >= e || *p == '<')
            break;
        unsigned char c = (unsigned char)*p;
        if (c >= 0x80) {
            unsigned long cp;
            int n = utf8_char(p, e, &cp);
            if (n < 0 && !eof) {
                rc = SX_MORE;
                break;
            }
            if (n <= 0)
                return sx_bad(xr, p, "not well-formed (invalid token)");
            p += n;
            continue;
        }
        if (c == ']') {
            if (p + 2 >= e) {
                if (!eof && (p + 1 >= e || p[1] == ']')) {
                    rc = SX_MORE;
                    break;
                }
            } else if (p[1] == ']' && p[2] == '>') {
                return sx_bad(xr, p, "not well-formed (invalid token)");
            }
            p++;
            continue;
        }
        if (c != '&' && c != '\r')
            return sx_bad(xr, p, "not well-formed (invalid token)");
        if (c == '\r' && p + 1 >= e && !eof) {
            rc = SX_MORE;
            break;
        }
        char tmp[4], *next = p + 1;
        size_t n = 1;
        tmp[0] = '\n';
        if (c == '\r') {
            if (next < e && *next == '\n')
                next++;
        } else {
            const char *why;
            int r = sx_entity(p, e, tmp, &n, &next, &why);
            if (r == SX_MORE && !eof) {
                rc = SX_MORE;
                break;
            }
            if (r != SX_OK)
                return sx_bad(xr, p, why);
        }
        if (xr->collect &&
            (sx_collect(xr, run, (size_t)(p - run)) != SX_OK || sx_collect(xr, tmp, n) != SX_OK))
            return SX_BAD;
        p = run = next;
    }
    if (xr->collect && p > run && sx_collect(xr, run, (size_t)(p - run)) != SX_OK)
        return SX_BAD;
    *pp = p;
    return rc;
}

/* Decode the attribute value a in place, NUL-terminated: references resolved, white space
 * made spaces as XML normalises it. */
static char *sx_value(sx_attr *a)
{
    if (a->plain) {
        a->val[a->vlen] = '\0';
        return a->val;
    }
    char *q = a->val, *end = a->val + a->vlen, *o = a->val;
    while (q < end) {
        char c = *q;
        if (c == '&') {
            char tmp[4], *next;
            size_t n = 0;
            const char *why;
            if (sx_entity(q, end, tmp, &n, &next, &why) != SX_OK) /* checked by the scan */
                break;
            memcpy(o, tmp, n);
            o += n;
            q = next;
        } else if (c == '\r') {
            *o++ = ' ';
            q += q + 1 < end && q[1] == '\n' ? 2 : 1;
        } else {
            *o++ = c == '\t' || c == '\n' ? ' ' : c;
            q++;
        }
    }
    *o = '\0';
    return a->val;
}

static int attr_cmp(const void *x, const void *y)
{
    const sx_attr *a = x, *b = y;
    size_t n = a->nlen < b->nlen ? a->nlen : b->nlen;
    int d = memcmp(a->name, b->name, n);
    return d ? d : (a->nlen > b->nlen) - (a->nlen < b->nlen);
}

/* Is an attribute named twice? Sorting a copy keeps a tag of a million attributes linear-ish. */
static int sx_duplicate(sx *s, size_t na)
{
    if (na <= 32) {
        for (size_t i = 1; i < na; i++)
            for (size_t j = 0; j < i; j++)
                if (s->att[i].nlen == s->att[j].nlen && s->att[i].name[0] == s->att[j].name[0] &&
                    !memcmp(s->att[i].name, s->att[j].name, s->att[i].nlen))
                    return 1;
        return 0;
    }
    sx_attr *c = msk_reallocarray(NULL, na, sizeof *c);
    memcpy(c, s->att, na * sizeof *c);
    qsort(c, na, sizeof *c, attr_cmp);
    int dup = 0;
    for (size_t i = 1; i < na && !dup; i++)
        dup = !attr_cmp(&c[i - 1], &c[i]);
    free(c);
    return dup;
}

/* A start tag at p. */
static int sx_start_tag(xlsx_reader *xr, char *p, char *e, char **next)
{
    sx *s = &xr->scan;
    char *nm = p + 1, *q = nm;
    int self = 0, rc = sx_name(&q, e);
    size_t na = 0;
    if (rc == SX_BAD)
        return sx_bad(xr, nm, "not well-formed (invalid token)");
    if (rc == SX_MORE)
        return SX_MORE;
    size_t nlen = (size_t)(q - nm);
    for (;;) {
        char *w = q;
        while (q < e && sx_space(*q))
            q++;
        if (q >= e)
            return SX_MORE;
        if (*q == '>') {
            q++;
            break;
        }
        if (*q == '/') {
            if (q + 1 >= e)
                return SX_MORE;
            if (q[1] != '>')
                return sx_bad(xr, q + 1, "not well-formed (invalid token)");
            q += 2;
            self = 1;
            break;
        }
        if (q == w)
            return sx_bad(xr, q, "not well-formed (invalid token)");
        char *an = q;
        rc = sx_name(&q, e);
        if (rc != SX_OK)
            return rc == SX_MORE ? SX_MORE : sx_bad(xr, q, "not well-formed (invalid token)");
        size_t anl = (size_t)(q - an);
        while (q < e && sx_space(*q))
            q++;
        if (q >= e)
            return SX_MORE;
        if (*q != '=')
            return sx_bad(xr, q, "not well-formed (invalid token)");
        for (q++; q < e && sx_space(*q); q++)
            ;
        if (q >= e)
            return SX_MORE;
        if (*q != '"' && *q != '\'')
            return sx_bad(xr, q, "not well-formed (invalid token)");
        char quote = *q++, *v = q;
        int plain = 1;
        for (;;) {
            while (q < e && !(cls[(unsigned char)*q] & AV))
                q++;
            if (q >= e)
                return SX_MORE;
            unsigned char c = (unsigned char)*q;
            if (c == (unsigned char)quote)
                break;
            if (c == '"' || c == '\'') {
                q++;
            } else if (c == '\t' || c == '\n' || c == '\r') {
                plain = 0;
                q++;
            } else if (c >= 0x80) {
                unsigned long cp;
                int n = utf8_char(q, e, &cp);
                if (n < 0)
                    return SX_MORE;
                if (!n)
                    return sx_bad(xr, q, "not well-formed (invalid token)");
                q += n;
            } else if (c == '&') {
                char tmp[4], *nx;
                size_t n;
                const char *why;
                int r = sx_entity(q, e, tmp, &n, &nx, &why);
                if (r == SX_MORE)
                    return SX_MORE;
                if (r == SX_BAD)
                    return sx_bad(xr, q, why);
                plain = 0;
                q = nx;
            } else {
                return sx_bad(xr, q, "not well-formed (invalid token)"); /* '<' or a control */
            }
        }
        if (na == s->acap) {
            s->acap = s->acap ? s->acap * 2 : 16;
            s->att = msk_reallocarray(s->att, s->acap, sizeof *s->att);
        }
        s->att[na++] = (sx_attr){an, anl, v, (size_t)(q - v), plain};
        q++;
    }
    if (na > 1 && sx_duplicate(s, na))
        return sx_bad(xr, nm, "duplicate attribute");
    if (!s->depth && s->root_done)
        return sx_bad(xr, p, "junk after document element");
    if (!self) {
        size_t need = s->stklen + nlen;
        if (need > XLSX_MAX_XML_MEMORY - (s->depth + 1) * sizeof *s->soff)
            return sx_nomem(xr);
        if (need > s->stkcap) {
            s->stkcap = need * 2;
            s->stk = msk_realloc(s->stk, s->stkcap);
        }
        if (s->depth == s->scap) {
            s->scap = s->scap ? s->scap * 2 : 64;
            s->soff = msk_reallocarray(s->soff, s->scap, sizeof *s->soff);
        }
        s->soff[s->depth++] = s->stklen;
        for (size_t i = 0; i < nlen; i++)
            s->stk[s->stklen + i] = nm[i];
        s->stklen += nlen;
    }
    /* everything is parsed: the tag's bytes can now be cut into C strings */
    const char *ra = NULL, *r = NULL, *t = NULL, *sv = NULL;
    for (size_t i = 0; i < na; i++) {
        sx_attr *a = &s->att[i];
        const char *an = a->name;
        size_t l = a->nlen;
        if (l == 1) {
            if (an[0] == 'r')
                r = sx_value(a);
            else if (an[0] == 't')
                t = sx_value(a);
            else if (an[0] == 's')
                sv = sx_value(a);
        }
        /* the first attribute whose local name is r, xmlns ones aside, as attr() finds it */
        if (!ra && an[l - 1] == 'r' && (l == 1 || an[l - 2] == ':') &&
            !(l >= 5 && !memcmp(an, "xmlns", 5)))
            ra = l == 1 ? r : sx_value(a);
    }
    const char *colon = nlen > 1 ? memrchr(nm, ':', nlen) : NULL;
    nm[nlen] = '\0';
    const char *ln = colon ? colon + 1 : nm;
    sheet_open(xr, ln, ra, r, t, sv);
    if (self) {
        sheet_close(xr, ln);
        if (!s->depth)
            s->root_done = 1;
    }
    *next = q;
    return SX_OK;
}

static int sx_end_tag(xlsx_reader *xr, char *p, char *e, char **next)
{
    sx *s = &xr->scan;
    char *nm = p + 2, *q = nm;
    int rc = sx_name(&q, e);
    if (rc != SX_OK)
        return rc == SX_MORE ? SX_MORE : sx_bad(xr, nm, "not well-formed (invalid token)");
    size_t nlen = (size_t)(q - nm);
    while (q < e && sx_space(*q))
        q++;
    if (q >= e)
        return SX_MORE;
    if (*q != '>')
        return sx_bad(xr, q, "not well-formed (invalid token)");
    if (!s->depth)
        return sx_bad(xr, p, "not well-formed (invalid token)");
    size_t top = s->soff[s->depth - 1];
    if (s->stklen - top != nlen)
        return sx_bad(xr, nm, "mismatched tag");
    for (size_t i = 0; i < nlen; i++) /* names are short: no call to memcmp */
        if (s->stk[top + i] != nm[i])
            return sx_bad(xr, nm, "mismatched tag");
    s->stklen = top;
    s->depth--;
    const char *colon = nlen > 1 ? memrchr(nm, ':', nlen) : NULL;
    nm[nlen] = '\0';
    sheet_close(xr, colon ? colon + 1 : nm);
    if (!s->depth)
        s->root_done = 1;
    *next = q + 1;
    return SX_OK;
}

/* <!-- comment -->, <![CDATA[ text ]]>, <!DOCTYPE (refused). */
static int sx_bang(xlsx_reader *xr, char *p, char *e, char **next)
{
    sx *s = &xr->scan;
    int rc = sx_prefix(p, e, "<!--");
    if (rc == SX_OK) {
        char *d = memmem(p + 4, (size_t)(e - p - 4), "--", 2);
        if (!d || d + 2 >= e)
            return SX_MORE;
        if (d[2] != '>')
            return sx_bad(xr, d, "not well-formed (invalid token)");
        const char *bad = sx_badchar(p + 4, d);
        if (bad)
            return sx_bad(xr, bad, "not well-formed (invalid token)");
        *next = d + 3;
        return SX_OK;
    }
    if (rc == SX_MORE)
        return SX_MORE;
    rc = sx_prefix(p, e, "<![CDATA[");
    if (rc == SX_OK) {
        if (!s->depth)
            return sx_bad(xr, p, "not well-formed (invalid token)");
        char *d = memmem(p + 9, (size_t)(e - p - 9), "]]>", 3);
        if (!d)
            return SX_MORE;
        const char *bad = sx_badchar(p + 9, d);
        if (bad)
            return sx_bad(xr, bad, "not well-formed (invalid token)");
        if (xr->collect && sx_collect_norm(xr, p + 9, d) != SX_OK)
            return SX_BAD;
        *next = d + 3;
        return SX_OK;
    }
    if (rc == SX_MORE)
        return SX_MORE;
    rc = sx_prefix(p, e, "<!DOCTYPE");
    if (rc == SX_MORE)
        return SX_MORE;
    if (rc == SX_OK && !s->depth && !s->root_done) {
        ctx_fail(&xr->c, 0, 0,
                 "часть %s книги содержит объявление DOCTYPE: такие файлы не читаются", xr->c.part);
        return SX_BAD;
    }
    return sx_bad(xr, p, "not well-formed (invalid token)");
}

/* A processing instruction: skipped. The XML declaration was taken by sx_decide. */
static int sx_pi(xlsx_reader *xr, char *p, char *e, char **next)
{
    char *nm = p + 2, *q = nm;
    int rc = sx_name(&q, e);
    if (rc != SX_OK)
        return rc == SX_MORE ? SX_MORE : sx_bad(xr, nm, "not well-formed (invalid token)");
    if (q - nm == 3 && !strncasecmp(nm, "xml", 3))
        return sx_bad(xr, p, "XML or text declaration not at start of entity");
    if (q >= e)
        return SX_MORE;
    if (*q == '?') {
        if (q + 1 >= e)
            return SX_MORE;
        if (q[1] != '>')
            return sx_bad(xr, q, "not well-formed (invalid token)");
        *next = q + 2;
        return SX_OK;
    }
    if (!sx_space(*q))
        return sx_bad(xr, q, "not well-formed (invalid token)");
    char *d = memmem(q, (size_t)(e - q), "?>", 2);
    if (!d)
        return SX_MORE;
    const char *bad = sx_badchar(q, d);
    if (bad)
        return sx_bad(xr, bad, "not well-formed (invalid token)");
    *next = d + 2;
    return SX_OK;
}

/* Parse buf[pos..len): 1 when a row is ready, 0 when the data runs out, -1 on error. */
static int sx_parse(xlsx_reader *xr)
{
    sx *s = &xr->scan;
    char *p = s->buf + s->pos, *e = s->buf + s->len;
    int rc = 0;
    while (p < e) {
        int r;
        char *next = NULL;
        if (*p != '<') {
            if (s->depth) {
                r = sx_text(xr, &p, e);
                if (r == SX_BAD)
                    return -1;
                if (r == SX_MORE)
                    break;
                continue;
            }
            while (p < e && sx_space(*p))
                p++;
            if (p < e && *p != '<')
                return sx_bad(xr, p, s->root_done ? "junk after document element" : "syntax error");
            continue;
        }
        if (p + 1 >= e)
            r = SX_MORE;
        else if (p[1] == '/')
            r = sx_end_tag(xr, p, e, &next);
        else if (p[1] == '!')
            r = sx_bang(xr, p, e, &next);
        else if (p[1] == '?')
            r = sx_pi(xr, p, e, &next);
        else
            r = sx_start_tag(xr, p, e, &next);
        if (r == SX_BAD || xr->c.failed)
            return -1;
        if (r == SX_MORE)
            break;
        p = next;
        if (xr->ready) {
            rc = 1;
            break;
        }
    }
    s->pos = (size_t)(p - s->buf);
    return rc;
}

static void *feed_main(void *arg)
{
    sx_feed *f = arg;
    for (;;) {
        pthread_mutex_lock(&f->mu);
        while (!f->stop && f->full[f->tail])
            pthread_cond_wait(&f->cv, &f->mu);
        int stop = f->stop;
        size_t k = f->tail;
        pthread_mutex_unlock(&f->mu);
        if (stop)
            break;
        zip_int64_t got =
            part_read(f->zf, f->slot[k], f->chunk, &f->nread, f->file, f->part, &f->err);
        pthread_mutex_lock(&f->mu);
        f->got[k] = got;
        f->full[k] = 1;
        f->tail = (k + 1) % SX_SLOTS;
        pthread_cond_broadcast(&f->cv);
        pthread_mutex_unlock(&f->mu);
        if (got <= 0)
            break;
    }
    return NULL;
}

/* Start inflating s->zf on a thread. Without one, sx_fill reads the part itself. */
static void feed_start(sx *s, size_t chunk, const char *file, const char *part)
{
    sx_feed *f = msk_calloc(1, sizeof *f);
    f->zf = s->zf;
    f->chunk = chunk;
    f->file = file;
    f->part = part;
    for (int i = 0; i < SX_SLOTS; i++)
        f->slot[i] = msk_malloc(chunk);
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->cv, NULL);
    if (pthread_create(&f->th, NULL, feed_main, f)) {
        pthread_mutex_destroy(&f->mu);
        pthread_cond_destroy(&f->cv);
        for (int i = 0; i < SX_SLOTS; i++)
            free(f->slot[i]);
        free(f);
        return;
    }
    s->feed = f;
}

static void feed_stop(sx *s)
{
    sx_feed *f = s->feed;
    if (!f)
        return;
    pthread_mutex_lock(&f->mu);
    f->stop = 1;
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
    pthread_join(f->th, NULL);
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->cv);
    for (int i = 0; i < SX_SLOTS; i++)
        free(f->slot[i]);
    free(f);
    s->feed = NULL;
}

/* The next chunk from the thread, copied to dst. Returns its length, 0 at the end, -1. */
static zip_int64_t feed_take(sx_feed *f, char *dst, msk_err *err)
{
    pthread_mutex_lock(&f->mu);
    while (!f->full[f->head])
        pthread_cond_wait(&f->cv, &f->mu);
    size_t k = f->head;
    zip_int64_t got = f->got[k];
    pthread_mutex_unlock(&f->mu);
    if (got < 0) {
        if (err)
            *err = f->err;
        return -1; /* the thread has ended; the slot stays full so that this repeats */
    }
    if (got == 0)
        return 0;
    memcpy(dst, f->slot[k], (size_t)got);
    pthread_mutex_lock(&f->mu);
    f->full[k] = 0;
    f->head = (k + 1) % SX_SLOTS;
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
    return got;
}

/* Keep buf[pos..len), counting the lines of what goes, and inflate one more chunk after it. */
static int sx_fill(xlsx_reader *xr)
{
    sx *s = &xr->scan;
    if (s->buf) {
        const char *q = s->buf, *end = s->buf + s->pos;
        for (; q < end && (q = memchr(q, '\n', (size_t)(end - q))); q++) {
            s->line++;
            s->line_at = s->base + (uint64_t)(q - s->buf) + 1;
        }
    }
    if (s->pos) {
        memmove(s->buf, s->buf + s->pos, s->len - s->pos);
        s->base += s->pos;
        s->len -= s->pos;
        s->pos = 0;
    }
    if (s->len > XLSX_MAX_XML_MEMORY)
        return sx_nomem(xr);
    if (s->cap < s->len + xr->chunk + 1) {
        s->cap = s->len + xr->chunk + 1 > 2 * s->cap ? s->len + xr->chunk + 1 : 2 * s->cap;
        s->buf = msk_realloc(s->buf, s->cap);
    }
    zip_int64_t got = s->feed ? feed_take(s->feed, s->buf + s->len, xr->c.err)
                              : part_read(s->zf, s->buf + s->len, xr->chunk, &s->nread, xr->c.file,
                                          xr->c.part, xr->c.err);
    if (got < 0) {
        xr->c.failed = 1;
        return -1;
    }
    s->len += (size_t)got;
    s->eof = got == 0;
    return 0;
}

/* The XML declaration at p..e (e is at its "?>"): is it the plain one the scanner reads, UTF-8
 * with version 1.0? Anything else goes to expat, which knows other encodings and has the
 * messages for a broken declaration. */
static int sx_plain_decl(const char *p, const char *e)
{
    static const char *const names[] = {"version", "encoding", "standalone"};
    const char *q = p + 5;
    size_t k = 0;
    for (;;) {
        const char *w = q;
        while (q < e && sx_space(*q))
            q++;
        if (q == e)
            return k > 0;
        if (q == w)
            return 0;
        size_t i = k, n;
        for (; i < 3; i++) {
            n = strlen(names[i]);
            if ((size_t)(e - q) > n && !memcmp(q, names[i], n))
                break;
        }
        if (i == 3 || (k == 0 && i != 0))
            return 0;
        k = i + 1;
        for (q += n; q < e && sx_space(*q); q++)
            ;
        if (q >= e || *q != '=')
            return 0;
        for (q++; q < e && sx_space(*q); q++)
            ;
        if (q >= e || (*q != '"' && *q != '\''))
            return 0;
        const char *v = ++q, *vq = memchr(v, q[-1], (size_t)(e - v));
        if (!vq)
            return 0;
        size_t vl = (size_t)(vq - v);
        if (i == 0 && !(vl == 3 && !memcmp(v, "1.0", 3)))
            return 0;
        if (i == 1 && !(vl == 5 && !strncasecmp(v, "UTF-8", 5)))
            return 0;
        if (i == 2 && !(vl == 3 && !memcmp(v, "yes", 3)) && !(vl == 2 && !memcmp(v, "no", 2)))
            return 0;
        q = vq + 1;
    }
}

/* Look at the start of the part. Returns 1 when the scanner reads it, 2 when expat must, 0 to
 * see more of it first. */
static int sx_decide(sx *s)
{
    const unsigned char *u = (const unsigned char *)s->buf;
    size_t n = s->len, at = 0;
    if (n < 8 && !s->eof)
        return 0;
    if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
        at = 3;
    else if (n >= 1 && (u[0] == 0xFE || u[0] == 0xFF || u[0] == 0 || (n >= 2 && u[1] == 0)))
        return 2;
    const char *p = s->buf + at, *e = s->buf + n;
    if (sx_prefix(p, e, "<?xml") != SX_OK || (p + 5 < e && (cls[u[at + 5]] & NC))) {
        s->pos = at; /* no declaration ("<?xml-stylesheet" is a plain PI) */
        return 1;
    }
    const char *d = memmem(p, (size_t)(e - p), "?>", 2);
    if (!d)
        return s->eof || n > XLSX_MAX_XML_MEMORY ? 2 : 0;
    if (!sx_plain_decl(p, d))
        return 2;
    s->pos = (size_t)(d + 2 - s->buf);
    return 1;
}

/* Hand the part to expat: it gets what the scanner has inflated, then sx_expat_step feeds it
 * the rest from the same source. */
static int sx_to_expat(xlsx_reader *xr)
{
    sx *s = &xr->scan;
    xml_ctx *c = &xr->c;
    xml_budget *prev = xml_enter(c);
    c->p = XML_ParserCreate_MM(NULL, &xml_mem, NULL);
    xml_leave(prev);
    if (!c->p)
        return sx_nomem(xr);
    XML_SetUserData(c->p, c);
    XML_SetElementHandler(c->p, sheet_start, sheet_end);
    XML_SetStartDoctypeDeclHandler(c->p, on_doctype);
    memset(&xr->s, 0, sizeof xr->s);
    xr->use_expat = 2;
    prev = xml_enter(c);
    enum XML_Status st = XML_Parse(c->p, s->buf, (int)s->len, s->eof);
    int rc = xs_status(&xr->s, c, st);
    xml_leave(prev);
    s->pos = s->len;
    return rc;
}

/* As xs_step, for a part the scanner handed to expat. */
static int sx_expat_step(xlsx_reader *xr)
{
    sx *s = &xr->scan;
    xml_ctx *c = &xr->c;
    enum XML_Status st;
    if (xr->s.suspended) {
        xr->s.suspended = 0;
        xml_budget *prev = xml_enter(c);
        st = XML_ResumeParser(c->p);
        int rc = xs_status(&xr->s, c, st);
        xml_leave(prev);
        return rc;
    }
    if (s->eof)
        return 0;
    s->pos = s->len; /* expat has it all */
    if (sx_fill(xr))
        return -1;
    xml_budget *prev = xml_enter(c);
    st = XML_Parse(c->p, s->buf, (int)s->len, s->eof);
    int rc = xs_status(&xr->s, c, st);
    xml_leave(prev);
    s->pos = s->len;
    return rc;
}

/* One step of the scanner, as xs_step: 1 while there is more (a row may be ready), 0 at the end
 * of the part, -1 on error (xr->c.err filled). */
static int sx_step(xlsx_reader *xr)
{
    sx *s = &xr->scan;
    for (;;) {
        if (s->decided) {
            int rc = sx_parse(xr);
            if (rc)
                return rc;
            if (s->eof) {
                if (s->pos < s->len)
                    return sx_bad(xr, s->buf + s->pos, "unclosed token");
                if (!s->root_done)
                    return sx_bad(xr, s->buf + s->len, "no element found");
                return 0;
            }
        } else {
            int d = sx_decide(s);
            if (d == 2)
                return sx_to_expat(xr);
            if (d == 1) {
                s->decided = 1;
                continue;
            }
        }
        if (sx_fill(xr))
            return -1;
    }
}

static void sx_release(sx *s)
{
    feed_stop(s);
    if (s->zf)
        zip_fclose(s->zf);
    free(s->buf);
    free(s->stk);
    free(s->soff);
    free(s->att);
    memset(s, 0, sizeof *s);
}

/* ---- merged cells --------------------------------------------------------------------------- */

static void merge_add(xlsx_reader *xr, const char *ref, size_t n)
{
    const char *colon = memchr(ref, ':', n);
    size_t c1, c2;
    int64_t r1, r2;
    if (!colon || xr->nmerges >= XLSX_MAX_MERGES ||
        parse_ref(ref, (size_t)(colon - ref), &c1, &r1) ||
        parse_ref(colon + 1, n - (size_t)(colon - ref) - 1, &c2, &r2) || !r1 || !r2)
        return;
    if (r1 > r2) {
        int64_t t = r1;
        r1 = r2;
        r2 = t;
    }
    if (c1 > c2) {
        size_t t = c1;
        c1 = c2;
        c2 = t;
    }
    if (r2 > XLSX_MERGE_ROWS || (r1 == r2 && c1 == c2))
        return;
    if (xr->nmerges == xr->mcap) {
        xr->mcap = xr->mcap ? xr->mcap * 2 : 8;
        xr->merges = msk_reallocarray(xr->merges, xr->mcap, sizeof *xr->merges);
    }
    xr->merges[xr->nmerges++] = (merge){.r1 = r1, .r2 = r2, .c1 = c1, .c2 = c2};
}

static int xml_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The ref="..." attribute in the attribute text a[0..n) of a <mergeCell> tag. */
static void merge_tag(xlsx_reader *xr, const char *a, size_t n)
{
    for (size_t i = 0; i + 4 < n; i++) {
        if (memcmp(a + i, "ref", 3) || (i && !xml_space(a[i - 1])))
            continue;
        size_t k = i + 3;
        while (k < n && xml_space(a[k]))
            k++;
        if (k >= n || a[k] != '=')
            continue;
        for (k++; k < n && xml_space(a[k]); k++)
            ;
        if (k >= n || (a[k] != '"' && a[k] != '\''))
            continue;
        const char *q = memchr(a + k + 1, a[k], n - k - 1);
        if (q)
            merge_add(xr, a + k + 1, (size_t)(q - (a + k + 1)));
        return;
    }
}

static int name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
}

/*
 * Collect the merged ranges of the header area. <mergeCells> follows <sheetData>, so this
 * inflates the whole part once more, but looks at it only with memmem: no XML parse. The tag
 * is recognised as '<' [prefix ':'] "mergeCell" followed by a space, '/' or '>'; a mergeCell
 * inside a comment or CDATA would be taken too, which no spreadsheet writer produces. The scan
 * stops at </mergeCells>.
 */
static int merges_scan(xlsx_reader *xr, msk_err *err)
{
    static const char needle[] = "mergeCell";
    const size_t nl = sizeof needle - 1;
    zip_file_t *zf = NULL;
    char *buf = NULL;
    uint64_t total = 0;
    size_t carry = 0;
    int rc = -1, done = 0;

    if (part_open(xr->bk.zip, xr->part, &zf, xr->base.file, err)) /* present: checked */
        goto out;
    buf = msk_malloc(CHUNK + SCAN_CARRY);
    while (!done) {
        zip_int64_t got = part_read(zf, buf + carry, CHUNK, &total, xr->base.file, xr->part, err);
        if (got < 0)
            goto out;
        int eof = got == 0;
        size_t len = carry + (size_t)got, pos = 0;
        size_t keep = len; /* bytes from keep on are carried into the next chunk */
        while (pos < len) {
            char *hit = memmem(buf + pos, len - pos, needle, nl);
            if (!hit) {
                keep = len - pos > SCAN_TAIL ? len - SCAN_TAIL : pos;
                break;
            }
            size_t h = (size_t)(hit - buf), s = h, a = h + nl;
            if (s > pos && buf[s - 1] == ':') {
                size_t q = s - 1;
                while (q > pos && name_char(buf[q - 1]) && s - q < 64)
                    q--;
                s = q;
            }
            int open = s > pos && buf[s - 1] == '<';
            int close = s > pos + 1 && buf[s - 1] == '/' && buf[s - 2] == '<';
            if (!open && !close) {
                pos = h + 1;
                continue;
            }
            size_t lt = open ? s - 1 : s - 2;
            if (a >= len) { /* the byte after the name is in the next chunk */
                keep = eof ? len : lt;
                break;
            }
            if (buf[a] == 's') { /* <mergeCells>, or </mergeCells>: nothing after matters */
                done = close;
                pos = a;
                if (done)
                    break;
                continue;
            }
            if (close || !(xml_space(buf[a]) || buf[a] == '/' || buf[a] == '>')) {
                pos = a;
                continue;
            }
            char *gt = memchr(buf + a, '>', len - a);
            if (!gt) {
                keep = eof || len - lt > SCAN_CARRY ? len : lt;
                break;
            }
            merge_tag(xr, buf + a, (size_t)(gt - (buf + a)));
            pos = (size_t)(gt - buf) + 1;
        }
        if (eof)
            break;
        carry = len - keep;
        memmove(buf, buf + keep, carry);
    }
    rc = 0;
out:
    if (zf)
        zip_fclose(zf);
    free(buf);
    return rc;
}

/* Build base.cells for sheet row `row` from the n cells read (0 for a row missing from the
 * file), filling the merged header ranges that cover it. */
static void emit(xlsx_reader *xr, int64_t row, size_t n)
{
    size_t want = n;
    int merged = 0;
    for (size_t i = 0; row <= XLSX_MERGE_ROWS && i < xr->nmerges; i++) {
        const merge *m = &xr->merges[i];
        if (m->r1 <= row && row <= m->r2) {
            merged = 1;
            if (m->c2 + 1 > want)
                want = m->c2 + 1;
        }
    }
    if (want > xr->cellscap || !xr->cells) {
        size_t cap = xr->cellscap ? xr->cellscap : 32;
        while (cap < want)
            cap *= 2;
        xr->cells = msk_reallocarray(xr->cells, cap, sizeof *xr->cells);
        xr->cellscap = cap;
    }
    for (size_t i = 0; i < n; i++)
        xr->cells[i] = xr->rowdata.data + xr->off[i];
    for (size_t i = n; i < want; i++)
        xr->cells[i] = xr->empty;
    for (size_t i = 0; merged && i < xr->nmerges; i++) {
        merge *m = &xr->merges[i];
        if (row < m->r1 || row > m->r2)
            continue;
        if (row == m->r1 && !m->value && xr->cells[m->c1][0]) {
            size_t len = strlen(xr->cells[m->c1]) + 1;
            if (len <= XLSX_MAX_MERGE_BYTES - xr->merge_bytes) { /* else left as stored */
                m->value = msk_strdup(xr->cells[m->c1]);
                xr->merge_bytes += len;
            }
        }
        if (!m->value)
            continue;
        for (size_t c = m->c1; c <= m->c2; c++)
            if (!xr->cells[c][0])
                xr->cells[c] = m->value;
    }
    while (want > n && !xr->cells[want - 1][0])
        want--;
    xr->base.row = row;
    xr->base.ncells = want;
    xr->base.cells = xr->cells;
}

static int xr_next(tbl_reader *r, msk_err *err)
{
    xlsx_reader *xr = (xlsx_reader *)r;
    int rc = 1;
    if (xr->failed)
        goto fail;
    while (!xr->ready && (rc = xr->use_expat == 1   ? xs_step(&xr->s, &xr->c)
                               : xr->use_expat == 2 ? sx_expat_step(xr)
                                                    : sx_step(xr)) == 1)
        ;
    if (rc < 0) {
        xr->failed = 1;
        goto fail;
    }
    if (!xr->ready)
        return 0;
    if (xr->lastrow > xr->base.row + 1) { /* a row the file leaves out */
        emit(xr, xr->base.row + 1, 0);
        return 1;
    }
    emit(xr, xr->lastrow, xr->noff);
    xr->ready = 0;
    return 1;
fail:
    if (err)
        *err = xr->saved;
    return -1;
}

static void xr_free(tbl_reader *r)
{
    xlsx_reader *xr = (xlsx_reader *)r;
    xs_close(&xr->s, &xr->c);
    sx_release(&xr->scan);
    book_release(&xr->bk);
    if (xr->cloc)
        freelocale(xr->cloc);
    free(xr->sst);
    free(xr->sst_off);
    free(xr->xf_date);
    for (size_t i = 0; i < xr->nmerges; i++)
        free(xr->merges[i].value);
    free(xr->merges);
    msk_buf_release(&xr->val);
    msk_buf_release(&xr->rowdata);
    free(xr->off);
    free(xr->cells);
    free(xr);
}

/* How many bytes of s (at most max) to print without cutting a UTF-8 sequence. */
static int utf8_clip(const char *s, size_t max)
{
    size_t n = strnlen(s, max + 1);
    if (n > max) {
        n = max;
        while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    return (int)n;
}

static const book_sheet *pick_sheet(const book *bk, const char *sheet, msk_err *err)
{
    if (!sheet) {
        for (size_t i = 0; i < bk->nsheets; i++)
            if (bk->sheets[i].worksheet)
                return &bk->sheets[i];
        msk_error_at(err, bk->file, 0, 0, "в книге нет листов с таблицами");
        return NULL;
    }
    for (size_t i = 0; i < bk->nsheets; i++) {
        if (strcmp(bk->sheets[i].name, sheet))
            continue;
        if (!bk->sheets[i].path)
            msk_error_at(err, bk->file, 0, 0, "лист «%s» не найден в архиве книги", sheet);
        else if (!bk->sheets[i].worksheet)
            msk_error_at(err, bk->file, 0, 0, "лист «%s» — диаграмма, а не таблица", sheet);
        else
            return &bk->sheets[i];
        return NULL;
    }
    msk_buf b;
    size_t i = 0;
    msk_buf_init(&b, 0);
    for (; i < bk->nsheets && b.len < 600; i++) {
        const char *nm = bk->sheets[i].name;
        msk_buf_printf(&b, "%s«%.*s»", i ? ", " : "", utf8_clip(nm, 100), nm);
    }
    if (i < bk->nsheets)
        msk_buf_puts(&b, ", …");
    if (bk->nsheets)
        msk_error_at(err, bk->file, 0, 0, "лист «%.*s» не найден; в книге есть листы: %s",
                     utf8_clip(sheet, 200), sheet, b.data);
    else
        msk_error_at(err, bk->file, 0, 0, "лист «%.*s» не найден: в книге нет листов",
                     utf8_clip(sheet, 200), sheet);
    msk_buf_release(&b);
    return NULL;
}

/* Everything after the zip is open: pick the sheet, load strings and styles, find merges, and
 * start the sheet's parser. */
static int reader_start(xlsx_reader *xr, const char *sheet, msk_err *err)
{
    int rc = -1;
    sst_ud sst = {.c = {.file = xr->base.file, .err = err}};
    sty_ud sty = {.c = {.file = xr->base.file, .err = err}};
    msk_buf_init(&sst.blob, 0);
    msk_buf_init(&sst.cur, XLSX_MAX_CELL);

    const book_sheet *bs = pick_sheet(&xr->bk, sheet, err);
    if (!bs)
        goto out;
    xr->part = bs->path;
    if (part_index(xr->bk.zip, xr->part) < 0) {
        msk_error_at(err, xr->base.file, 0, 0, "в книге нет части %s (лист «%s»)", xr->part,
                     bs->name);
        goto out;
    }
    xr->cloc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (!xr->cloc) {
        msk_error_at(err, xr->base.file, 0, 0, "не удалось создать локаль C");
        goto out;
    }
    if (xr->bk.sst_part &&
        parse_part(xr->bk.zip, xr->bk.sst_part, &sst.c, sst_start, sst_end, NULL) < 0)
        goto out;
    if (xr->bk.styles_part &&
        parse_part(xr->bk.zip, xr->bk.styles_part, &sty.c, sty_start, sty_end, NULL) < 0)
        goto out;
    if (merges_scan(xr, err))
        goto out;
    if (xr->use_expat) {
        if (xs_open(&xr->s, &xr->c, xr->bk.zip, xr->part, sheet_start, sheet_end)) {
            if (err)
                *err = xr->saved;
            goto out;
        }
        xr->s.chunk = xr->chunk;
    } else {
        xr->c.part = xr->part;
        xr->scan.line = 1;
        if (part_open(xr->bk.zip, xr->part, &xr->scan.zf, xr->base.file, err))
            goto out;
        if (xr->chunk == CHUNK) /* other sizes are for tests of chunk boundaries */
            xr->chunk = FEED_CHUNK;
        if (xr->chunk >= 4096)
            feed_start(&xr->scan, xr->chunk, xr->base.file, xr->part);
    }
    /* hand over the tables */
    if (sst.n) {
        sst.off[sst.n] = (uint32_t)sst.blob.len;
        xr->sst = msk_buf_detach(&sst.blob, NULL);
        xr->sst_off = sst.off;
        sst.off = NULL;
        xr->sst_n = sst.n;
    }
    xr->xf_date = sty.xf;
    xr->nxf = sty.nxf;
    sty.xf = NULL;
    rc = 0;
out:
    msk_buf_release(&sst.blob);
    msk_buf_release(&sst.cur);
    free(sst.off);
    free(sty.fmts);
    free(sty.xf);
    return rc;
}

static xlsx_reader *reader_new(const char *name)
{
    xlsx_reader *xr = msk_calloc(1, sizeof *xr);
    xr->base.next = xr_next;
    xr->base.free = xr_free;
    snprintf(xr->base.file, sizeof xr->base.file, "%s", name ? name : "");
    xr->bk.file = xr->base.file;
    xr->c.file = xr->base.file;
    xr->c.err = &xr->saved;
    xr->chunk = CHUNK;
    msk_buf_init(&xr->val, XLSX_MAX_CELL);
    msk_buf_init(&xr->rowdata, XLSX_MAX_ROW_BYTES + XLSX_MAX_COLS);
    return xr;
}

int xlsx_open(const char *path, const char *sheet, tbl_reader **out, msk_err *err)
{
    xlsx_reader *xr = reader_new(path);
    if (book_open_path(&xr->bk, path, err) || reader_start(xr, sheet, err)) {
        xr_free(&xr->base);
        return -1;
    }
    *out = &xr->base;
    return 0;
}

int xlsx_open_mem(const char *name, const void *data, size_t len, const char *sheet,
                  tbl_reader **out, msk_err *err)
{
    return xlsx_open_mem_opts(name, data, len, sheet, 0, 0, out, err);
}

int xlsx_open_mem_opts(const char *name, const void *data, size_t len, const char *sheet,
                       int use_expat, size_t chunk, tbl_reader **out, msk_err *err)
{
    xlsx_reader *xr = reader_new(name);
    xr->use_expat = use_expat;
    if (chunk)
        xr->chunk = chunk < (size_t)INT_MAX / 2 ? chunk : CHUNK;
    if (book_open_mem(&xr->bk, data, len, err) || reader_start(xr, sheet, err)) {
        xr_free(&xr->base);
        return -1;
    }
    *out = &xr->base;
    return 0;
}

int xlsx_sheet_names(const char *path, char ***names, size_t *count, msk_err *err)
{
    book bk = {.file = path};
    int rc = -1;
    *names = NULL;
    *count = 0;
    if (book_open_path(&bk, path, err))
        goto out;
    *names = msk_calloc(bk.nsheets ? bk.nsheets : 1, sizeof **names);
    for (size_t i = 0; i < bk.nsheets; i++)
        (*names)[i] = msk_strdup(bk.sheets[i].name);
    *count = bk.nsheets;
    rc = 0;
out:
    book_release(&bk);
    return rc;
}

void xlsx_sheet_names_free(char **names, size_t count)
{
    if (!names)
        return;
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
}
