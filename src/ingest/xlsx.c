/*
 * XLSX reader (see xlsx.h). Opening follows the package's relationships: _rels/.rels names the
 * workbook, its rels name the sheets, shared strings and styles. Reading a sheet is two passes
 * over its part: a byte scan for <mergeCell> (they follow sheetData, too late for a streaming
 * reader to apply to the header), then a hand-written pull scanner (expat is kept for the small
 * parts, and for the sheet as a testing hook), stopped at every </row> so that one row at a
 * time is in memory.
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

/* ---- merged cells --------------------------------------------------------------------------- */

static void merge_add(xlsx_reader *xr, const char *ref, size_t n)
{
    const char *colon = memchr(ref, ':', n);
    size_t c1, c2;
    int64_t r1, r2;
    if (!colon || xr->nmerges >= XLSX_MAX_MERGES ||
        xlsx_parse_ref(ref, (size_t)(colon - ref), &c1, &r1) ||
        xlsx_parse_ref(colon + 1, n - (size_t)(colon - ref) - 1, &c2, &r2) || !r1 || !r2)
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
 * inflates the whole part once more (a streaming reader cannot fill header rows it has already
 * handed out), but looks at it only with memmem: no XML parse. It runs first and under the same
 * caps as the main pass (xlsx_part_read), so a bomb is refused here, within its first 8 MiB. The
 * tag is recognised as '<' [prefix ':'] "mergeCell" followed by a space, '/' or '>'; a mergeCell
 * inside a comment or CDATA would be taken too, which no spreadsheet writer produces. The scan
 * stops at </mergeCells>.
 */
static int merges_scan(xlsx_reader *xr, msk_err *err)
{
    static const char needle[] = "mergeCell";
    const size_t nl = sizeof needle - 1;
    xpart *zf = NULL;
    char *buf = NULL;
    uint64_t total = 0, csize = 0;
    size_t carry = 0;
    int rc = -1, done = 0;

    if (xlsx_part_open(xr->bk.zip, xr->part, &zf, &csize, xr->base.file,
                       err)) /* present: checked */
        goto out;
    buf = msk_malloc(CHUNK + SCAN_CARRY);
    while (!done) {
        zip_int64_t got =
            xlsx_part_read(zf, buf + carry, CHUNK, &total, csize, xr->base.file, xr->part, err);
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
        xlsx_part_close(zf);
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
    while (!xr->ready && (rc = xr->use_expat == 1   ? xlsx_xs_step(&xr->s, &xr->c)
                               : xr->use_expat == 2 ? xlsx_sx_expat_step(xr)
                                                    : xlsx_sx_step(xr)) == 1)
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
    xlsx_xs_close(&xr->s, &xr->c);
    xlsx_sx_release(&xr->scan);
    xlsx_book_release(&xr->bk);
    if (xr->cloc)
        freelocale(xr->cloc);
    free(xr->sst);
    free(xr->sst_off);
    free(xr->sst_nul);
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
    if (xlsx_part_index(xr->bk.zip, xr->part) < 0) {
        msk_error_at(err, xr->base.file, 0, 0, "в книге нет части %s (лист «%s»)", xr->part,
                     bs->name);
        goto out;
    }
    xr->cloc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (!xr->cloc) {
        msk_error_at(err, xr->base.file, 0, 0, "не удалось создать локаль C");
        goto out;
    }
    if (xr->bk.sst_part && xlsx_parse_part(xr->bk.zip, xr->bk.sst_part, &sst.c, xlsx_sst_start,
                                           xlsx_sst_end, NULL) < 0)
        goto out;
    if (xr->bk.styles_part && xlsx_parse_part(xr->bk.zip, xr->bk.styles_part, &sty.c,
                                              xlsx_sty_start, xlsx_sty_end, NULL) < 0)
        goto out;
    if (merges_scan(xr, err))
        goto out;
    if (xr->use_expat) {
        if (xlsx_xs_open(&xr->s, &xr->c, xr->bk.zip, xr->part, xlsx_sheet_start, xlsx_sheet_end)) {
            if (err)
                *err = xr->saved;
            goto out;
        }
        xr->s.chunk = xr->chunk;
    } else {
        xr->c.part = xr->part;
        xr->scan.line = 1;
        if (xlsx_part_open(xr->bk.zip, xr->part, &xr->scan.zf, &xr->scan.csize, xr->base.file, err))
            goto out;
        if (xr->chunk == CHUNK) /* other sizes are for tests of chunk boundaries */
            xr->chunk = FEED_CHUNK;
        if (xr->chunk >= 4096)
            xlsx_feed_start(&xr->scan, xr->chunk, xr->base.file, xr->part);
    }
    /* hand over the tables */
    if (sst.n) {
        sst.off[sst.n] = (uint32_t)sst.blob.len;
        xr->sst = msk_buf_detach(&sst.blob, NULL);
        xr->sst_off = sst.off;
        sst.off = NULL;
        xr->sst_n = sst.n;
        xr->sst_nul = sst.nul;
        xr->sst_nnul = sst.nnul;
        sst.nul = NULL;
    }
    xr->xf_date = sty.xf;
    xr->nxf = sty.nxf;
    sty.xf = NULL;
    rc = 0;
out:
    msk_buf_release(&sst.blob);
    msk_buf_release(&sst.cur);
    free(sst.off);
    free(sst.nul);
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
    if (xlsx_book_open_path(&xr->bk, path, err) || reader_start(xr, sheet, err)) {
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
    if (xlsx_book_open_mem(&xr->bk, data, len, err) || reader_start(xr, sheet, err)) {
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
    if (xlsx_book_open_path(&bk, path, err))
        goto out;
    *names = msk_calloc(bk.nsheets ? bk.nsheets : 1, sizeof **names);
    for (size_t i = 0; i < bk.nsheets; i++)
        (*names)[i] = msk_strdup(bk.sheets[i].name);
    *count = bk.nsheets;
    rc = 0;
out:
    xlsx_book_release(&bk);
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
