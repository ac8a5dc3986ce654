/*
 * libFuzzer target for the CSV reader (curl-fuzzer and git oss-fuzz are the models). The first
 * byte picks how many bytes each read hands to the parser (low bits) and, when it is 0xF0 or
 * more, makes the file start with one ASCII line filling the whole detection block, so that the
 * encoding is decided late, on the fuzzed rows (such runs are slower: 1 in 16); the rest is the
 * file. The
 * input is read twice, in one block and in small chunks, and the two must agree row for row,
 * which checks every place where a read can cut a quote, CR LF or field. Every cell must be
 * valid UTF-8 without a NUL inside.
 */
#include "ingest/csv.h"
#include "ingest/encoding.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(c) MSK_ASSERT(c)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t chunk = 1 + data[0] % 16;
    const char *csv = (const char *)data + 1;
    size_t len = size - 1;
    char *copy = NULL;
    if (data[0] >= 0xF0) {
        copy = malloc(CSV_BLOCK + len);
        MSK_ASSERT(copy);
        /* CSV_SNIFF_LINES short lines first, so that delimiter detection stops early */
        memset(copy, 'x', CSV_BLOCK - 1);
        for (size_t i = 1; i < 2 * CSV_SNIFF_LINES; i += 2)
            copy[i] = '\n';
        copy[CSV_BLOCK - 1] = '\n';
        memcpy(copy + CSV_BLOCK, csv, len);
        csv = copy;
        len += CSV_BLOCK;
        chunk = 1000 + 97 * chunk; /* reading 64 KiB a byte at a time would starve the fuzzer */
    }
    tbl_reader *a = NULL, *b = NULL;
    msk_err ea, eb;
    msk_err_clear(&ea);
    msk_err_clear(&eb);
    int ra = csv_open_mem("fuzz.csv", csv, len, &a, &ea);
    int rb = csv_open_mem_chunked("fuzz.csv", csv, len, chunk, &b, &eb);
    FUZZ_CHECK(ra == rb);
    if (ra) {
        FUZZ_CHECK(a == NULL && b == NULL && ea.msg[0] && strcmp(ea.msg, eb.msg) == 0);
        goto out;
    }
    FUZZ_CHECK(csv_delimiter(a) == csv_delimiter(b));
    int64_t last = 0;
    for (;;) {
        ra = tbl_next(a, &ea);
        rb = tbl_next(b, &eb);
        FUZZ_CHECK(ra == rb);
        if (ra <= 0)
            break;
        FUZZ_CHECK(a->row == b->row && a->row > last);
        last = a->row;
        FUZZ_CHECK(a->ncells == b->ncells && a->ncells <= CSV_MAX_FIELDS);
        for (size_t i = 0; i < a->ncells; i++) {
            size_t n = strlen(a->cells[i]);
            FUZZ_CHECK(strcmp(a->cells[i], b->cells[i]) == 0);
            FUZZ_CHECK(enc_utf8_valid(a->cells[i], n, NULL));
        }
    }
    if (ra < 0) {
        FUZZ_CHECK(strcmp(ea.msg, eb.msg) == 0 && ea.row == eb.row && ea.col == eb.col);
        FUZZ_CHECK(ea.msg[0] && ea.row >= 1 && strcmp(ea.file, "fuzz.csv") == 0);
        FUZZ_CHECK(tbl_next(a, &ea) == -1); /* sticky */
    }
    tbl_free(a);
    tbl_free(b);
out:
    free(copy);
    return 0;
}
