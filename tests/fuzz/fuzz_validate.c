/*
 * libFuzzer target for the import's value checks (src/ingest/validate.c): the input's first
 * byte picks a template, the rest is rows of tab-separated cells, the first row the header.
 * Every row goes through validate_row as import.c sends it. Besides the sanitizers: every
 * message is valid UTF-8 (a message quotes cells) of bounded length, and the name rule,
 * the school code rule and val_utf8_cut never fail on any text.
 */
#include "ingest/encoding.h"
#include "ingest/header.h"
#include "ingest/validate.h"

#include "base/err.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void sink_check(void *ctx, int warning, int64_t row, int col, const char *msg)
{
    (void)ctx, (void)warning, (void)row, (void)col;
    size_t n = strlen(msg);
    MSK_ASSERT(n < 1024);
    MSK_ASSERT(enc_utf8_valid(msg, n, NULL));
}

enum { MAX_CELLS = 64 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    tpl_kind k = (tpl_kind)(data[0] % TPL_COUNT);
    char *text = malloc(size);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    /* data cells may hold any bytes: validate_row is the check that refuses bad UTF-8 */
    char *cells[MAX_CELLS];
    hdr_map map;
    int have_map = 0;
    val_sink sink = {sink_check, NULL};
    int64_t row = 0;
    for (char *line = text, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        size_t n = 0;
        for (char *c = line, *t; c && n < MAX_CELLS; c = t) {
            t = strchr(c, '\t');
            if (t)
                *t++ = '\0';
            cells[n++] = c;
        }
        row++;
        if (!have_map) {
            /* header texts come from a reader, which only hands out UTF-8 (they are quoted) */
            for (size_t i = 0; i < n; i++)
                if (!enc_utf8_valid(cells[i], strlen(cells[i]), NULL))
                    goto out;
            hdr_match_row(k, cells, n, &map);
            have_map = 1;
            (void)validate_header(k, &map, cells, n, row, &sink);
            continue;
        }
        (void)validate_row(k, &map, cells, n, row, &sink);
        for (size_t i = 0; i < n; i++) {
            size_t len = strlen(cells[i]);
            (void)val_looks_like_name(cells[i]);
            char msg[256];
            if (val_school_code(cells[i], msg, sizeof msg))
                MSK_ASSERT(msg[0] != '\0');
            size_t cut = val_utf8_cut(cells[i], len / 2);
            MSK_ASSERT(cut <= len / 2);
            if (enc_utf8_valid(cells[i], len, NULL))
                MSK_ASSERT(enc_utf8_valid(cells[i], cut, NULL));
        }
    }
out:
    if (have_map)
        hdr_map_release(&map);
    free(text);
    return 0;
}
