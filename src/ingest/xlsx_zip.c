/*
 * XLSX reader, the package (see xlsx_internal.h): expat's memory budget, the parts of the zip
 * inflated into expat, the relationships and the workbook's list of sheets.
 */
#include "ingest/xlsx_internal.h"

#include "base/buf.h"
#include "base/mem.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char NOT_XLSX[] = "файл не является книгой Excel (.xlsx)";

/* ---- the package: zip, workbook, relationships ----------------------------------------- */

/*
 * Expat allocates through these, so one parser cannot take more than XLSX_MAX_XML_MEMORY
 * however the document is built: expat keeps a whole tag in memory until its '>' and a record
 * per open element, so a 1 GB attribute or a million nested elements, tiny once zipped, would
 * otherwise cost gigabytes. Expat hands these functions no context, so the budget to charge is
 * set for the thread around every call into expat (xlsx_xml_enter), and each block remembers the
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
    xml_block *blk = msk_malloc(sizeof *blk + n);
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
    xml_block *grown = msk_realloc(blk, sizeof *grown + n);
    b->used = b->used - grown->h.size + n;
    grown->h.size = n;
    return grown + 1;
}

const XML_Memory_Handling_Suite xlsx_xml_mem = {xml_malloc, xml_realloc, xml_free};

/* Charge expat's allocations to c until xlsx_xml_leave. Returns the budget to restore. */
xml_budget *xlsx_xml_enter(xml_ctx *c)
{
    xml_budget *prev = tls.cur;
    tls.cur = &c->mem;
    return prev;
}

void xlsx_xml_leave(xml_budget *prev)
{
    tls.cur = prev;
}

int xlsx_xml_memory_error(const xml_ctx *c)
{
    return msk_error_at(c->err, c->file, 0, 0,
                        "разбор части %s книги требует больше 8 МиБ памяти: файл повреждён "
                        "или построен как XML-бомба",
                        c->part);
}

const char *xlsx_local_name(const char *name)
{
    if (!name[0] || !name[1]) /* "c", "v", "t": the names met millions of times */
        return name;
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

/* The value of attribute want (compared without its prefix), or NULL. */
const char *xlsx_attr(const XML_Char **atts, const char *want)
{
    for (size_t i = 0; atts[i]; i += 2) {
        if (!strncmp(atts[i], "xmlns", 5))
            continue;
        if (!strcmp(xlsx_local_name(atts[i]), want))
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
 * XML_STATUS_ERROR and xlsx_xs_step reports c->err. */
void xlsx_ctx_fail(xml_ctx *c, int64_t row, int col, const char *fmt, ...)
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
void XMLCALL xlsx_on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                             const XML_Char *pubid, int has_internal)
{
    xml_ctx *c = ud;
    xlsx_ctx_fail(c, 0, 0, "часть %s книги содержит объявление DOCTYPE: такие файлы не читаются",
                  c->part);
}

zip_int64_t xlsx_part_index(zip_t *z, const char *part)
{
    zip_int64_t i = zip_name_locate(z, part, 0);
    if (i < 0)
        i = zip_name_locate(z, part, ZIP_FL_NOCASE);
    return i;
}

enum { RAW_IN = 64 * 1024 }; /* compressed bytes read at a time from a raw part */

/* Open a part of the zip for reading into *zf, its compressed size into *csize (for the ratio
 * check of xlsx_part_read). A deflated part that is not encrypted is read raw and inflated by
 * xlsx_part_read, which then knows how much of the compressed data each byte out cost. Returns
 * 0, 1 when the part is not in the zip, -1 when it cannot be opened (an encrypted entry, an
 * unknown compression method). */
int xlsx_part_open(zip_t *z, const char *part, xpart **zf, uint64_t *csize, const char *file,
                   msk_err *err)
{
    zip_int64_t i = xlsx_part_index(z, part);
    zip_stat_t st;
    *zf = NULL;
    *csize = 0;
    if (i < 0)
        return 1;
    zip_stat_init(&st);
    int known = !zip_stat_index(z, (zip_uint64_t)i, 0, &st);
    if (known && (st.valid & ZIP_STAT_COMP_SIZE))
        *csize = st.comp_size; /* unknown: 0, so only the floor of the ratio check applies */
    int raw = known && (st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method == ZIP_CM_DEFLATE &&
              (st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method == ZIP_EM_NONE &&
              (st.valid & ZIP_STAT_SIZE) && (st.valid & ZIP_STAT_CRC);
    xpart *p = msk_calloc(1, sizeof *p);
    p->zf = zip_fopen_index(z, (zip_uint64_t)i, raw ? ZIP_FL_COMPRESSED : 0);
    if (!p->zf) {
        free(p);
        return msk_error_at(err, file, 0, 0,
                            "не удалось открыть часть %s книги: %s (файл повреждён или "
                            "защищён паролем)",
                            part, zip_strerror(z));
    }
    if (raw) {
        if (inflateInit2(&p->zs, -MAX_WBITS) != Z_OK) {
            xlsx_part_close(p);
            return msk_error_at(err, file, 0, 0, "не хватает памяти, чтобы распаковать книгу");
        }
        p->raw = 1;
        p->in = msk_malloc(RAW_IN);
        p->usize = st.size;
        p->want = st.crc;
        p->crc = crc32(0, Z_NULL, 0);
    }
    *zf = p;
    return 0;
}

void xlsx_part_close(xpart *p)
{
    if (!p)
        return;
    if (p->raw)
        inflateEnd(&p->zs);
    zip_fclose(p->zf);
    free(p->in);
    free(p);
}

static zip_int64_t damaged(const char *file, const char *part, const char *why, msk_err *err)
{
    return msk_error_at(err, file, 0, 0,
                        "файл повреждён: не удалось распаковать часть %s книги (%s)", part, why);
}

/* Inflate a raw deflated part: up to n bytes into buf. Returns the count (0 at the end), -1. */
static zip_int64_t raw_read(xpart *p, void *buf, size_t n, const char *file, const char *part,
                            msk_err *err)
{
    if (n > UINT_MAX)
        n = UINT_MAX;
    p->zs.next_out = buf;
    p->zs.avail_out = (uInt)n;
    while (p->zs.avail_out && !p->end) {
        if (!p->zs.avail_in && !p->ineof) {
            zip_int64_t got = zip_fread(p->zf, p->in, RAW_IN);
            if (got < 0)
                return damaged(file, part, zip_file_strerror(p->zf), err);
            p->ineof = got == 0;
            p->zs.next_in = p->in;
            p->zs.avail_in = (uInt)got;
            p->cin += (uint64_t)got;
        }
        /* with no input left zlib may still hold output; no progress then is a cut stream */
        int rc = inflate(&p->zs, Z_NO_FLUSH);
        if (rc == Z_STREAM_END)
            p->end = 1;
        else if (rc == Z_BUF_ERROR && p->ineof)
            return damaged(file, part, "данные обрываются", err);
        else if (rc != Z_OK && rc != Z_BUF_ERROR)
            return damaged(file, part, "Zlib error", err);
    }
    size_t got = n - p->zs.avail_out;
    p->crc = crc32(p->crc, buf, (uInt)got);
    p->out += got;
    if (p->out > p->usize)
        return damaged(file, part, "данных больше, чем записано в оглавлении архива", err);
    if (!got && p->end && (p->out != p->usize || p->crc != p->want))
        return damaged(file, part, "CRC error", err);
    return (zip_int64_t)got;
}

/* Inflate up to n more bytes of a part into buf, counting them into *total against the zip
 * bomb caps: the absolute one, and the ratio to the compressed bytes consumed (the part's
 * whole compressed size csize when libzip inflates). Returns the count (0 at the end) or -1. */
zip_int64_t xlsx_part_read(xpart *zf, void *buf, size_t n, uint64_t *total, uint64_t csize,
                           const char *file, const char *part, msk_err *err)
{
    zip_int64_t got;
    if (zf->raw) {
        got = raw_read(zf, buf, n, file, part, err);
        if (got < 0)
            return -1;
        csize = zf->cin;
    } else {
        got = zip_fread(zf->zf, buf, n);
        if (got < 0)
            return damaged(file, part, zip_file_strerror(zf->zf), err);
    }
    *total += (uint64_t)got;
    if (*total > XLSX_MAX_PART_BYTES)
        return msk_error_at(err, file, 0, 0,
                            "файл повреждён или слишком велик после распаковки: часть %s книги "
                            "распаковывается больше чем в %llu МиБ (zip-бомба?); разбейте "
                            "данные на несколько файлов",
                            part, (unsigned long long)(XLSX_MAX_PART_BYTES >> 20));
    if (*total > XLSX_RATIO_FLOOR && *total / XLSX_MAX_RATIO > csize)
        return msk_error_at(err, file, 0, 0,
                            "файл повреждён или слишком велик после распаковки: часть %s книги "
                            "сжата больше чем в %d раз (%llu КиБ сжатых данных дали уже %llu "
                            "МиБ) — так бывает у zip-бомб; сохраните книгу в Excel заново",
                            part, XLSX_MAX_RATIO, (unsigned long long)(csize >> 10),
                            (unsigned long long)(*total >> 20));
    return got;
}

/* Open part for parsing with c as the handlers' user data. Returns 0, 1 when the part is not
 * in the zip (nothing opened), -1 on error (c->err filled). */
int xlsx_xs_open(xstream *s, xml_ctx *c, zip_t *z, const char *part, XML_StartElementHandler start,
                 XML_EndElementHandler end)
{
    memset(s, 0, sizeof *s);
    s->chunk = CHUNK;
    c->part = part;
    c->failed = 0;
    c->p = NULL;
    int rc = xlsx_part_open(z, part, &s->zf, &s->csize, c->file, c->err);
    if (rc)
        return rc;
    xml_budget *prev = xlsx_xml_enter(c);
    c->p = XML_ParserCreate_MM(NULL, &xlsx_xml_mem, NULL);
    xlsx_xml_leave(prev);
    if (!c->p) {
        xlsx_part_close(s->zf);
        s->zf = NULL;
        return xlsx_xml_memory_error(c);
    }
    XML_SetUserData(c->p, c);
    XML_SetElementHandler(c->p, start, end);
    XML_SetStartDoctypeDeclHandler(c->p, xlsx_on_doctype);
    return 0;
}

void xlsx_xs_close(xstream *s, xml_ctx *c)
{
    if (s->zf)
        xlsx_part_close(s->zf);
    s->zf = NULL;
    if (c->p) {
        xml_budget *prev = xlsx_xml_enter(c);
        XML_ParserFree(c->p);
        xlsx_xml_leave(prev);
    }
    c->p = NULL;
}

/* What a call into expat returned: 1 to go on, -1 on error (c->err filled). */
int xlsx_xs_status(xstream *s, xml_ctx *c, enum XML_Status st)
{
    if (st == XML_STATUS_ERROR) {
        if (c->failed)
            return -1;
        if (XML_GetErrorCode(c->p) == XML_ERROR_NO_MEMORY) {
            xlsx_xml_memory_error(c);
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
int xlsx_xs_step(xstream *s, xml_ctx *c)
{
    enum XML_Status st;
    int rc = -1;
    xml_budget *prev = xlsx_xml_enter(c);
    if (s->suspended) {
        s->suspended = 0;
        st = XML_ResumeParser(c->p);
    } else if (s->eof) {
        rc = 0;
        goto out;
    } else {
        void *b = XML_GetBuffer(c->p, (int)s->chunk);
        if (!b) {
            xlsx_xml_memory_error(c);
            goto out;
        }
        zip_int64_t n =
            xlsx_part_read(s->zf, b, s->chunk, &s->nread, s->csize, c->file, c->part, c->err);
        if (n < 0)
            goto out;
        s->eof = n == 0;
        st = XML_ParseBuffer(c->p, (int)n, s->eof);
    }
    rc = xlsx_xs_status(s, c, st);
out:
    xlsx_xml_leave(prev);
    return rc;
}

/* Parse a whole (small) part. Returns 0, 1 when the part is missing, -1 on error. */
int xlsx_parse_part(zip_t *z, const char *part, xml_ctx *c, XML_StartElementHandler start,
                    XML_EndElementHandler end, XML_CharacterDataHandler text)
{
    xstream s;
    int rc = xlsx_xs_open(&s, c, z, part, start, end);
    if (rc)
        return rc;
    XML_SetCharacterDataHandler(c->p, text);
    while ((rc = xlsx_xs_step(&s, c)) == 1)
        ;
    xlsx_xs_close(&s, c);
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
    if (u->c.failed || strcmp(xlsx_local_name(name), "Relationship"))
        return;
    const char *id = xlsx_attr(atts, "Id"), *type = xlsx_attr(atts, "Type");
    const char *target = xlsx_attr(atts, "Target"), *mode = xlsx_attr(atts, "TargetMode");
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
    const char *ln = xlsx_local_name(name);
    if (u->c.failed)
        return;
    if (!strcmp(ln, "sheets")) {
        u->in_sheets = 1;
    } else if (!strcmp(ln, "workbookPr")) {
        const char *d = xlsx_attr(atts, "date1904");
        bk->date1904 = d && (!strcmp(d, "1") || !strcmp(d, "true"));
    } else if (u->in_sheets && !strcmp(ln, "sheet") && bk->nsheets < MAX_SHEETS) {
        const char *sname = xlsx_attr(atts, "name"), *rid = xlsx_attr(atts, "id");
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
    if (!strcmp(xlsx_local_name(name), "sheets"))
        u->in_sheets = 0;
}

void xlsx_book_release(book *bk)
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

    int r = xlsx_parse_part(bk->zip, "_rels/.rels", &root.c, rels_start, NULL, NULL);
    if (r < 0)
        goto out;
    const rel *doc = rels_by_type(&root, "/officeDocument");
    bk->wb = doc ? resolve("", doc->target) : msk_strdup("xl/workbook.xml");
    if (xlsx_part_index(bk->zip, bk->wb) < 0) {
        msk_error_at(err, bk->file, 0, 0, "%s: в архиве нет части %s", NOT_XLSX, bk->wb);
        goto out;
    }
    wbrels = rels_of(bk->wb);
    r = xlsx_parse_part(bk->zip, wbrels, &wbr.c, rels_start, NULL, NULL);
    if (r < 0)
        goto out;
    if (r > 0) {
        msk_error_at(err, bk->file, 0, 0, "%s: в архиве нет части %s", NOT_XLSX, wbrels);
        goto out;
    }
    if (xlsx_parse_part(bk->zip, bk->wb, &wb.c, wb_start, wb_end, NULL) < 0)
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

int xlsx_book_open_path(book *bk, const char *path, msk_err *err)
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

int xlsx_book_open_mem(book *bk, const void *data, size_t len, msk_err *err)
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
