/*
 * libFuzzer target for ingest/xlsx: open the input as a workbook and read every row of its
 * first sheet. Byte mutations of a zip mostly die on its CRC, so a custom mutator unzips the
 * input, mutates one part and zips it again (stored); plain byte mutations still get one turn
 * in four, for the zip layer and the file-type checks.
 * Differential: the sheet is read by the scanner, by expat and by the scanner fed a few bytes at
 * a time; all must give the same rows and cells, and fail on the same inputs.
 */
#include "base/buf.h"
#include "ingest/xlsx.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

enum { MAX_PARTS = 32, MAX_PART = 1 << 20 };

typedef struct zpart {
    char *name;
    uint8_t *data;
    size_t len;
} zpart;

/* Every row read into out ("row:" then each cell with its length). Returns 0, or -1 when the
 * book did not open or a row failed. */
static int read_all(const uint8_t *data, size_t size, int use_expat, size_t chunk, msk_buf *out)
{
    tbl_reader *r = NULL;
    msk_err err;
    int rc;
    msk_buf_reset(out);
    if (xlsx_open_mem_opts("fuzz.xlsx", data, size, NULL, use_expat, chunk, &r, &err))
        return -1;
    while ((rc = tbl_next(r, &err)) == 1) {
        msk_buf_printf(out, "%lld:", (long long)r->row);
        for (size_t i = 0; i < r->ncells; i++) {
            size_t n = strlen(r->cells[i]); /* every cell must be a readable string */
            msk_buf_printf(out, "%zu=", n);
            msk_buf_add(out, r->cells[i], n);
        }
        msk_buf_putc(out, '\n');
    }
    if (rc < 0 && !err.msg[0])
        abort(); /* an error must say what it is */
    tbl_free(r);
    return rc;
}

static void differ(const char *what, int rc1, const msk_buf *a, int rc2, const msk_buf *b)
{
    fprintf(stderr, "scanner (%d):\n%.2000s\n%s (%d):\n%.2000s\n", rc1, a->data, what, rc2,
            b->data);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    msk_buf a, b;
    msk_buf_init(&a, 0);
    msk_buf_init(&b, 0);
    int rc = read_all(data, size, 0, 0, &a);
    int rx = read_all(data, size, 1, 0, &b);
    if (rc != rx || a.len != b.len || memcmp(a.data, b.data, a.len))
        differ("expat", rc, &a, rx, &b);
    if (size < 16384) {
        rx = read_all(data, size, 0, 1 + size % 7, &b);
        if (rc != rx || a.len != b.len || memcmp(a.data, b.data, a.len))
            differ("small chunks", rc, &a, rx, &b);
    }
    msk_buf_release(&a);
    msk_buf_release(&b);
    return 0;
}

static void parts_free(zpart *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(p[i].name);
        free(p[i].data);
    }
}

/* The entries of the zip in data, or 0 when it is not one we can take apart. */
static size_t unzip_parts(const uint8_t *data, size_t size, zpart *p)
{
    zip_error_t ze;
    size_t n = 0;
    int ok = 1;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, size, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (!z) {
        if (src)
            zip_source_free(src);
        zip_error_fini(&ze);
        return 0;
    }
    zip_int64_t count = zip_get_num_entries(z, 0);
    for (zip_int64_t i = 0; ok && i < count && n < MAX_PARTS; i++) {
        zip_stat_t st;
        const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
        if (!name || zip_stat_index(z, (zip_uint64_t)i, 0, &st) || st.size > MAX_PART) {
            ok = 0;
            break;
        }
        zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)i, 0);
        uint8_t *buf = malloc(st.size ? st.size : 1);
        if (!f || !buf || zip_fread(f, buf, st.size) != (zip_int64_t)st.size) {
            ok = 0;
        } else {
            p[n].name = strdup(name);
            p[n].data = buf;
            p[n].len = st.size;
            buf = NULL;
            n++;
        }
        free(buf);
        if (f)
            zip_fclose(f);
    }
    zip_discard(z);
    zip_error_fini(&ze);
    if (!ok) {
        parts_free(p, n);
        return 0;
    }
    return n;
}

/* Zip the parts (stored) into out. Returns the size, or 0 if it does not fit in max. */
static size_t rezip(const zpart *p, size_t n, uint8_t *out, size_t max)
{
    zip_error_t ze;
    zip_stat_t st;
    size_t len = 0;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!src)
        goto out;
    zip_source_keep(src);
    zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (!z)
        goto out;
    for (size_t i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(z, p[i].data, p[i].len, 0);
        zip_int64_t idx = s ? zip_file_add(z, p[i].name, s, ZIP_FL_ENC_GUESS) : -1;
        if (idx < 0) {
            if (s)
                zip_source_free(s);
            continue;
        }
        zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
    }
    if (zip_close(z)) {
        zip_discard(z);
        goto out;
    }
    if (zip_source_open(src) == 0) {
        if (zip_source_stat(src, &st) == 0 && st.size <= max &&
            zip_source_read(src, out, st.size) == (zip_int64_t)st.size)
            len = st.size;
        zip_source_close(src);
    }
out:
    if (src)
        zip_source_free(src);
    zip_error_fini(&ze);
    return len;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    zpart p[MAX_PARTS];
    size_t n, out = 0;
    if (seed % 4 == 0 || !(n = unzip_parts(data, size, p)))
        return LLVMFuzzerMutate(data, size, max_size);
    zpart *k = &p[(seed / 4) % n];
    size_t cap = k->len * 2 + 64;
    uint8_t *grown = realloc(k->data, cap);
    if (grown) {
        k->data = grown;
        k->len = LLVMFuzzerMutate(k->data, k->len, cap);
        out = rezip(p, n, data, max_size);
    }
    parts_free(p, n);
    return out ? out : LLVMFuzzerMutate(data, size, max_size);
}
