/*
 * libFuzzer target for header matching and cell values (curl-fuzzer, git oss-fuzz-date are the
 * models). The input is split on '\n' and ';' into cells; the cells are matched as a header row
 * of every template, and each cell goes through hdr_normalize, hdr_parse_title, the kind and
 * subject names and the value parsers. Besides the sanitizers, the invariants of header.h are
 * checked: a normalised string is valid UTF-8 of letters and digits, is a prefix of itself when
 * the buffer is small, and normalises to itself; a map is consistent with its columns; values
 * stay in range.
 */
#include "base/err.h"
#include "ingest/header.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(c) MSK_ASSERT(c)

enum { MAX_CELLS = 2048 }; /* a real header has a few hundred at most */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Valid UTF-8 and, when alnum is set, no ASCII character other than a-z and 0-9. */
static int valid_norm(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x80) {
            if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
                return 0;
            p++;
            continue;
        }
        size_t n = *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC2 ? 2 : 0;
        if (n == 0)
            return 0;
        for (size_t i = 1; i < n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return 0;
        p += n;
    }
    return 1;
}

static void check_normalize(const char *cell, size_t len)
{
    char *big = malloc(len + 1), *again = malloc(len + 1);
    char small[8];
    FUZZ_CHECK(big && again);
    /* folding never makes a character longer, so len + 1 bytes always suffice */
    size_t n = hdr_normalize(cell, big, len + 1);
    FUZZ_CHECK(n == strlen(big) && n <= len);
    FUZZ_CHECK(valid_norm(big));
    FUZZ_CHECK(hdr_normalize(big, again, len + 1) == n && memcmp(big, again, n + 1) == 0);
    for (size_t sz = 1; sz <= sizeof small; sz++) {
        size_t m = hdr_normalize(cell, small, sz);
        FUZZ_CHECK(m < sz && m == strlen(small) && m <= n && memcmp(small, big, m) == 0);
    }
    free(big);
    free(again);
}

static void check_codes(const char *cell)
{
    char out[16], back[16];
    if (hdr_kind_code(cell, out, sizeof out) == 0) {
        FUZZ_CHECK(out[0] && strlen(out) < sizeof out);
        FUZZ_CHECK(hdr_kind_code(out, back, sizeof back) == 0 && strcmp(out, back) == 0);
    }
    if (hdr_subject_code(cell, out, sizeof out) == 0) {
        FUZZ_CHECK(out[0] && strlen(out) < sizeof out);
        FUZZ_CHECK(hdr_subject_code(out, back, sizeof back) == 0 && strcmp(out, back) == 0);
    }
}

static void check_values(const char *cell)
{
    double d = 0;
    int rc = val_number(cell, &d);
    FUZZ_CHECK(rc == 0 || rc == VAL_EMPTY || rc == VAL_X || rc == -1);
    if (rc == 0)
        FUZZ_CHECK(isfinite(d));
    long l = 0;
    int ri = val_int(cell, -100, 100, &l);
    FUZZ_CHECK(ri == 0 || ri == VAL_EMPTY || ri == -1);
    if (ri == 0)
        FUZZ_CHECK(rc == 0 && l >= -100 && l <= 100 && (double)l == d);
    if (rc == VAL_EMPTY)
        FUZZ_CHECK(ri == VAL_EMPTY);
    ri = val_int(cell, LONG_MIN, LONG_MAX, &l);
    FUZZ_CHECK(ri == 0 || ri == VAL_EMPTY || ri == -1);
    int b = -1;
    int rb = val_bool(cell, &b);
    FUZZ_CHECK(rb == 0 || rb == VAL_EMPTY || rb == -1);
    if (rb == 0)
        FUZZ_CHECK(b == 0 || b == 1);
    int ab = val_is_absent(cell);
    FUZZ_CHECK(ab == 0 || ab == 1);
}

static void check_title(const char *cell)
{
    hdr_title t;
    int rc = hdr_parse_title(cell, &t);
    FUZZ_CHECK(memchr(t.kind, 0, sizeof t.kind) && memchr(t.subject, 0, sizeof t.subject));
    if (rc == 0) {
        FUZZ_CHECK(t.year == 0 && t.grade == 0 && !t.kind[0] && !t.subject[0]);
        return;
    }
    FUZZ_CHECK(rc == 1 && t.kind[0]);
    FUZZ_CHECK(t.year == 0 || (t.year >= 2000 && t.year <= 2099));
    FUZZ_CHECK(t.grade >= 0 && t.grade <= 11);
    FUZZ_CHECK(t.year || t.grade || t.subject[0]);
}

static void check_map(tpl_kind k, char *const *cells, size_t n)
{
    hdr_map m;
    int count = hdr_match_row(k, cells, n, &m);
    FUZZ_CHECK(m.ncols == n && count >= 0 && (size_t)count <= n);
    FUZZ_CHECK(m.matched >= 0 && m.matched <= count && m.ntasks <= (size_t)m.matched);
    FUZZ_CHECK(m.nunknown + (size_t)count <= n);
    int seen = 0;
    for (size_t i = 0; i < n; i++) {
        const hdr_col *c = &m.cols[i];
        FUZZ_CHECK(c->field >= F_NONE && c->field < F_COUNT);
        FUZZ_CHECK(memchr(c->task_label, 0, sizeof c->task_label));
        if (c->field == F_TASK) {
            FUZZ_CHECK(c->task_label[0] && c->task_max >= -1 && c->task_max <= 999);
            FUZZ_CHECK(tpl_kind_name(k) && (k == TPL_RESULTS || k == TPL_RECHECK));
            for (const char *p = c->task_label; *p; p++)
                FUZZ_CHECK((unsigned char)*p < 0x80);
            FUZZ_CHECK(m.task_cols[seen++] == (int)i);
        } else {
            FUZZ_CHECK(!c->task_label[0] && c->task_max == -1);
        }
        if (c->field != F_NONE)
            FUZZ_CHECK(m.field_col[c->field] >= 0 && m.field_col[c->field] <= (int)i);
        hdr_col one;
        hdr_match_cell(k, cells[i], &one);
        FUZZ_CHECK(one.field == c->field && strcmp(one.task_label, c->task_label) == 0 &&
                   one.task_max == c->task_max);
    }
    FUZZ_CHECK((size_t)seen == m.ntasks);
    for (int f = 0; f < F_COUNT; f++) {
        int c = m.field_col[f];
        FUZZ_CHECK(c == -1 || (c >= 0 && (size_t)c < n && m.cols[c].field == (hdr_field)f));
    }
    hdr_map_release(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    char **cells = malloc(MAX_CELLS * sizeof *cells);
    FUZZ_CHECK(buf && cells);
    memcpy(buf, data, size);
    buf[size] = '\0';
    size_t n = 0;
    char *start = buf;
    for (size_t i = 0; i <= size && n < MAX_CELLS; i++) {
        if (i == size || buf[i] == '\n' || buf[i] == ';') {
            buf[i] = '\0';
            cells[n++] = start;
            start = buf + i + 1;
        }
    }
    for (int k = 0; k < TPL_COUNT; k++)
        check_map((tpl_kind)k, cells, n);
    for (size_t i = 0; i < n; i++) {
        check_normalize(cells[i], strlen(cells[i]));
        check_title(cells[i]);
        check_codes(cells[i]);
        check_values(cells[i]);
    }
    free(cells);
    free(buf);
    return 0;
}
