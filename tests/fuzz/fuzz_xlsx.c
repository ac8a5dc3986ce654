/*
 * libFuzzer target for ingest/xlsx: open the input as a workbook and read every row of its
 * first sheet. Byte mutations of a zip mostly die on its CRC, so a custom mutator unzips the
 * input, mutates one part and zips it again (stored); plain byte mutations still get one turn
 * in four, for the zip layer and the file-type checks.
 */
#include "ingest/xlsx.h"

#include <stdint.h>
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tbl_reader *r = NULL;
    msk_err err;
    size_t total = 0;
    if (xlsx_open_mem("fuzz.xlsx", data, size, NULL, &r, &err))
        return 0;
    while (tbl_next(r, &err) == 1)
        for (size_t i = 0; i < r->ncells; i++)
            total += strlen(r->cells[i]); /* every cell must be a readable string */
    tbl_free(r);
    return total == (size_t)-1;
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
