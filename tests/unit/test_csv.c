/*
 * Tests for ingest/csv and ingest/encoding: the RFC 4180 cases, row numbering, line ends,
 * delimiter and encoding detection, every error message with its place, the limits, and the
 * inputs the fuzzer found. Most cases go through dump(), which renders all rows of an input as
 * text and checks that reading it 1, 2, 3, 7 or 64 Ki bytes at a time gives the same result.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/mem.h"
#include "ingest/csv.h"
#include "ingest/encoding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Render every row as "ROW:[cell][cell]\n"; an open error as "open: MSG", a read error as
 * "error ROW:COL: MSG". Caller frees. */
static char *dump_chunked(const char *data, size_t len, size_t chunk)
{
    msk_buf b;
    msk_buf_init(&b, 0);
    tbl_reader *r = NULL;
    msk_err e;
    msk_err_clear(&e);
    if (csv_open_mem_chunked("t.csv", data, len, chunk, &r, &e)) {
        assert_null(r);
        assert_string_equal(e.file, "t.csv");
        msk_buf_printf(&b, "open: %s", e.msg);
        goto out;
    }
    int rc;
    while ((rc = tbl_next(r, &e)) > 0) {
        msk_buf_printf(&b, "%lld:", (long long)r->row);
        for (size_t i = 0; i < r->ncells; i++)
            msk_buf_printf(&b, "[%s]", r->cells[i]);
        msk_buf_putc(&b, '\n');
    }
    if (rc < 0) {
        assert_string_equal(e.file, "t.csv");
        msk_buf_printf(&b, "error %lld:%d: %s", (long long)e.row, e.col, e.msg);
        /* errors are sticky */
        msk_err again;
        msk_err_clear(&again);
        assert_int_equal(tbl_next(r, &again), -1);
        assert_string_equal(again.msg, e.msg);
    } else {
        assert_int_equal(tbl_next(r, &e), 0); /* the end stays the end */
    }
    tbl_free(r);
out:;
    char *s = msk_buf_detach(&b, NULL);
    msk_buf_release(&b); /* detach leaves a fresh empty buffer behind */
    return s;
}

static char *dump(const char *data, size_t len)
{
    char *whole = dump_chunked(data, len, 0);
    static const size_t chunks[] = {1, 2, 3, 7};
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        char *d = dump_chunked(data, len, chunks[i]);
        assert_string_equal(d, whole);
        free(d);
    }
    return whole;
}

#define CHECK(input, expected)                                                                     \
    do {                                                                                           \
        char *got_ = dump(input, sizeof(input) - 1);                                               \
        assert_string_equal(got_, expected);                                                       \
        free(got_);                                                                                \
    } while (0)

static char csv_delim_of(const char *data)
{
    tbl_reader *r = NULL;
    msk_err e;
    assert_int_equal(csv_open_mem("t.csv", data, strlen(data), &r, &e), 0);
    char d = csv_delimiter(r);
    tbl_free(r);
    return d;
}

/* ---- RFC 4180 ------------------------------------------------------------------------------ */

static void test_plain_rows(void **state)
{
    CHECK("a;b;c\n1;2;3\n", "1:[a][b][c]\n2:[1][2][3]\n");
    CHECK(" a ; b \n", "1:[ a ][ b ]\n"); /* nothing trimmed */
    CHECK("a;;\n;\n", "1:[a][][]\n2:[][]\n");
}

static void test_quoted_fields(void **state)
{
    CHECK("\"a;b\";\"x\"\"y\";\"\"\n", "1:[a;b][x\"y][]\n");
    CHECK("\"\"\"\";\"\"\"\"\"\"\n", "1:[\"][\"\"]\n");
    CHECK("\"quoted at end\"", "1:[quoted at end]\n");
    CHECK("1;\"\"", "1:[1][]\n");
}

static void test_embedded_newline_row_numbers(void **state)
{
    CHECK("a;\"x\ny\nz\"\nb;c\n", "1:[a][x\ny\nz]\n4:[b][c]\n");
    /* CR LF inside quotes is kept and counts as one line */
    CHECK("a;\"x\r\ny\"\r\nb\r\n", "1:[a][x\r\ny]\n3:[b]\n");
    /* a lone CR inside quotes is a line too; CR, "", LF is two */
    CHECK("\"x\ry\"\nb\n", "1:[x\ry]\n3:[b]\n");
    CHECK("\"x\r\"\"\ny\"\nb\n", "1:[x\r\"\ny]\n4:[b]\n");
}

static void test_line_ends(void **state)
{
    CHECK("a;b\r\nc;d\r\n", "1:[a][b]\n2:[c][d]\n");
    CHECK("a;b\rc;d\r", "1:[a][b]\n2:[c][d]\n");
    CHECK("a\nb\r\nc\rd", "1:[a]\n2:[b]\n3:[c]\n4:[d]\n");
    CHECK("\"a\"\r\n\"b\"\r\"c\"\n", "1:[a]\n2:[b]\n3:[c]\n");
}

static void test_no_trailing_newline(void **state)
{
    CHECK("a;b\nc;d", "1:[a][b]\n2:[c][d]\n");
    CHECK("a;", "1:[a][]\n");
    CHECK("x", "1:[x]\n");
}

static void test_empty_lines_keep_numbering(void **state)
{
    CHECK("a\n\nb\n", "1:[a]\n2:\n3:[b]\n");
    CHECK("\r\n\r\na\r\n", "1:\n2:\n3:[a]\n");
    CHECK("\n", "1:\n");
    CHECK("a\n\r\r\nb", "1:[a]\n2:\n3:\n4:[b]\n");
}

static void test_empty_file(void **state)
{
    CHECK("", "");
    CHECK("\xEF\xBB\xBF", "");
}

static void test_stray_quotes(void **state)
{
    /* a quote inside an unquoted field is literal, as in Excel */
    CHECK("ООО \"Ромашка\";5\n", "1:[ООО \"Ромашка\"][5]\n");
    CHECK("5\";x\"\n", "1:[5\"][x\"]\n");
    /* text after a closing quote is kept, up to the delimiter; later quotes are literal */
    CHECK("\"ab\"c;d\n", "1:[abc][d]\n");
    CHECK("\"ab\" \"c\";d\n", "1:[ab \"c\"][d]\n");
}

/* ---- encodings ----------------------------------------------------------------------------- */

static void test_bom_stripped(void **state)
{
    CHECK("\xEF\xBB\xBF"
          "Код ОО;Класс\n1;5\n",
          "1:[Код ОО][Класс]\n2:[1][5]\n");
}

static void test_cp1251_header(void **state)
{
    /* «Код ОО;Класс» as Russian Excel saves it */
    CHECK("\xCA\xEE\xE4 \xCE\xCE;\xCA\xEB\xE0\xF1\xF1\r\n"
          "1;\xB9 \xA8\xB8\r\n",
          "1:[Код ОО][Класс]\n2:[1][№ Ёё]\n");
}

static void test_cp1251_decided_late(void **state)
{
    /* 70 000 ASCII bytes, then a CP1251 row: the first block cannot decide */
    size_t n = 7000 * 10;
    char *d = msk_malloc(n + 32);
    for (size_t i = 0; i < n; i += 10)
        memcpy(d + i, "123;45;67\n", 10);
    memcpy(d + n, "\xCA\xEB\xE0\xF1\xF1;\xEE\xEA\n", 9);
    tbl_reader *r = NULL;
    msk_err e;
    assert_int_equal(csv_open_mem("t.csv", d, n + 9, &r, &e), 0);
    int rc;
    while ((rc = tbl_next(r, &e)) > 0 && r->row < 7001)
        ;
    assert_int_equal(rc, 1);
    assert_int_equal(r->row, 7001);
    assert_int_equal(r->ncells, 2);
    assert_string_equal(r->cells[0], "Класс");
    assert_string_equal(r->cells[1], "ок");
    assert_int_equal(tbl_next(r, &e), 0);
    tbl_free(r);
    free(d);
}

static void test_cp1251_undefined_byte(void **state)
{
    CHECK("\xCA\xEE\xE4;\xEA\n\xEA;\xEA\x98\n",
          "1:[Код][к]\n"
          "error 2:2: байт 0x98 не соответствует ни одному символу Windows-1251");
}

static void test_utf8_invalid_later(void **state)
{
    /* UTF-8 in the first block; a CP1251 byte after it is an error with its line and field */
    msk_buf b;
    msk_buf_init(&b, 0);
    msk_buf_puts(&b, "Код;Класс\n");
    int64_t rows = 1;
    while (b.len <= CSV_BLOCK)
        msk_buf_puts(&b, "1;Ёж\n"), rows++;
    msk_buf_puts(&b, "3;\"a\nб\xE0\"\n");
    char *got = dump(b.data, b.len);
    char want[256];
    snprintf(want, sizeof want,
             "%lld:[1][Ёж]\nerror %lld:2: недопустимая последовательность байтов UTF-8: файл "
             "сохранён в смешанной кодировке?",
             (long long)rows, (long long)rows + 2);
    assert_non_null(strstr(got, want));
    assert_true(strlen(strstr(got, want)) == strlen(want)); /* and nothing after it */
    free(got);
    msk_buf_release(&b);
}

static void test_encoding_rejected(void **state)
{
    /* UTF-16 with and without BOM, binary */
    CHECK("\xFF\xFE\x1A\x04;\x00", "open: " ENC_ERR_UNKNOWN);
    CHECK("a\0;\0b\0\n\0", "open: " ENC_ERR_UNKNOWN);
    CHECK("\x01\x02\x03\x04\x05\xC0\x80\x81", "open: " ENC_ERR_UNKNOWN);
    /* late decision on an ASCII start: binary garbage in a later row */
    char *d = msk_malloc(CSV_BLOCK + 16);
    memset(d, 'a', CSV_BLOCK);
    d[CSV_BLOCK - 1] = '\n';
    memcpy(d + CSV_BLOCK, "\x01\x02\x03\x04\x98\x99\n", 7);
    char *got = dump(d, CSV_BLOCK + 7);
    assert_non_null(strstr(got, "error 2:1: " ENC_ERR_UNKNOWN));
    free(got);
    free(d);
}

static void test_enc_utf8_valid(void **state)
{
    size_t bad = 99;
    assert_true(enc_utf8_valid("", 0, NULL));
    assert_true(enc_utf8_valid("Ёж \xF0\x9F\x98\x80 \xEF\xBF\xBF", 13, NULL));
    assert_true(enc_utf8_valid("a\0b", 3, NULL));
    assert_false(enc_utf8_valid("ab\xC0\x80", 4, &bad)); /* overlong NUL */
    assert_int_equal(bad, 2);
    assert_false(enc_utf8_valid("\xE0\x80\x80", 3, &bad));     /* overlong 3-byte */
    assert_false(enc_utf8_valid("\xED\xA0\x80", 3, &bad));     /* surrogate */
    assert_false(enc_utf8_valid("\xF4\x90\x80\x80", 4, &bad)); /* above U+10FFFF */
    assert_false(enc_utf8_valid("abcdefghij\xD0", 11, &bad));  /* truncated */
    assert_int_equal(bad, 10);
    assert_false(enc_utf8_valid("\x80", 1, &bad));
    assert_int_equal(bad, 0);
}

static void test_enc_detect(void **state)
{
    enc_kind k;
    size_t bom;
    msk_err e;
    msk_err_clear(&e);
    assert_int_equal(enc_detect("f", "abc", 3, 1, &k, &bom, &e), 0);
    assert_int_equal(k, ENC_ASCII);
    assert_int_equal(enc_detect("f", "Код", 6, 1, &k, &bom, &e), 0);
    assert_int_equal(k, ENC_UTF8);
    assert_int_equal(bom, 0);
    assert_int_equal(enc_detect("f", "\xEF\xBB\xBF\x61", 4, 1, &k, &bom, &e), 0);
    assert_int_equal(k, ENC_UTF8);
    assert_int_equal(bom, 3);
    assert_int_equal(enc_detect("f", "\xCA\xEE\xE4", 3, 1, &k, &bom, &e), 0);
    assert_int_equal(k, ENC_CP1251);
    /* a UTF-8 letter cut by the end of a sample is not an error unless the sample is all */
    assert_int_equal(enc_detect("f", "Код\xD0", 7, 0, &k, &bom, &e), 0);
    assert_int_equal(k, ENC_UTF8);
    assert_int_equal(enc_detect("f", "abc\xD0", 4, 0, &k, &bom, &e), 0);
    assert_int_equal(k, ENC_ASCII);
    assert_int_equal(enc_detect("f", "Код\xD0", 7, 1, &k, &bom, &e), 0);
    assert_int_equal(k, ENC_CP1251); /* "РљРѕРґ" plus "Р": odd, but valid CP1251 */
    assert_int_equal(enc_detect("f", "\xFE\xFF\x00\x61", 4, 1, &k, &bom, &e), -1);
    assert_string_equal(e.msg, ENC_ERR_UNKNOWN);
    assert_string_equal(e.file, "f");
    assert_int_equal(enc_detect("f", "\x98\x99\xC0", 3, 1, &k, &bom, &e), -1);
    /* high bytes that are mostly not letters: not Russian CP1251 */
    assert_int_equal(enc_detect("f", "\x80\x81\x82\xC0", 4, 1, &k, &bom, &e), -1);
}

static void test_enc_convert(void **state)
{
    enc_conv c;
    msk_err e;
    msk_buf b;
    size_t bad = 0;
    msk_buf_init(&b, 0);
    assert_int_equal(enc_conv_init(&c, &e), 0);
    /* chunks may be cut anywhere */
    const char *in = "\xCA\xEE\xE4 \xCE\xCE;\xCA\xEB\xE0\xF1\xF1";
    for (size_t i = 0; in[i]; i++)
        assert_int_equal(enc_cp1251_to_utf8(&c, in + i, 1, &b, &bad, &e), 0);
    assert_string_equal(b.data, "Код ОО;Класс");
    /* more output than the internal 8 KiB step */
    msk_buf_reset(&b);
    char big[5000];
    memset(big, '\xFF', sizeof big);
    assert_int_equal(enc_cp1251_to_utf8(&c, big, sizeof big, &b, &bad, &e), 0);
    assert_int_equal(b.len, 2 * sizeof big);
    assert_memory_equal(b.data + b.len - 2, "я", 2);
    msk_buf_reset(&b);
    assert_int_equal(enc_cp1251_to_utf8(&c, "ab\x98\x63", 4, &b, &bad, &e), -1);
    assert_int_equal(bad, 2);
    assert_string_equal(b.data, "ab");
    assert_string_equal(e.msg, "байт 0x98 не соответствует ни одному символу Windows-1251");
    /* the converter still works after an error */
    msk_buf_reset(&b);
    assert_int_equal(enc_cp1251_to_utf8(&c, "\xE0", 1, &b, &bad, &e), 0);
    assert_string_equal(b.data, "а");
    /* a capped buffer refuses */
    msk_buf_release(&b);
    msk_buf_init(&b, 3);
    assert_int_equal(enc_cp1251_to_utf8(&c, "\xE0\xE0", 2, &b, &bad, &e), -1);
    assert_string_equal(e.msg, "текст слишком длинный после перекодировки из Windows-1251");
    msk_buf_release(&b);
    enc_conv_release(&c);
    enc_conv_release(&c); /* twice is fine */
}

/* ---- delimiter detection ------------------------------------------------------------------- */

static void test_delimiter_each(void **state)
{
    assert_int_equal(csv_delim_of("a;b;c\n1;2;3\n"), ';');
    assert_int_equal(csv_delim_of("a,b,c\n1,2,3\n"), ',');
    assert_int_equal(csv_delim_of("a\tb\tc\n1\t2\t3\n"), '\t');
    CHECK("a\tb;c\n1\t2;3\n", "1:[a\tb][c]\n2:[1\t2][3]\n");
    CHECK("a,b\n\"x;y\",z\n", "1:[a][b]\n2:[x;y][z]\n");
}

static void test_delimiter_consistency(void **state)
{
    /* decimal commas vary, semicolons are the same on every row */
    assert_int_equal(csv_delim_of("Код ОО;Балл;Доля\n1;5,5;0,25\n2;6;1\n3;7,5;0\n"), ';');
    /* semicolons inside quoted fields do not count (else they would tie and win) */
    assert_int_equal(csv_delim_of("a,b\n\"x;y;z\",1\n\"p;q\",2\n"), ',');
    assert_int_equal(csv_delim_of("\"a;b;c\",x\n\"d;e;f\",y\n"), ',');
    /* the last line counts even without a line end */
    assert_int_equal(csv_delim_of("a,b,c"), ',');
    assert_int_equal(csv_delim_of("a\tb"), '\t');
    /* commas in one text column, tabs between columns */
    assert_int_equal(csv_delim_of("Фамилия, Имя\tКласс\nИванов, Иван\t5\nПетров\t6\n"), '\t');
    /* a title line without delimiters and empty lines do not disturb */
    assert_int_equal(csv_delim_of("ВПР 2023\n\n\na,b,c\n1,2,3\n4,5,6\n"), ',');
}

static void test_delimiter_ties(void **state)
{
    /* same consistency: ';' first, then tab, then ',' */
    assert_int_equal(csv_delim_of("a;b,c\n1;2,3\n"), ';');
    assert_int_equal(csv_delim_of("a,b;c,d\n"), ';');
    assert_int_equal(csv_delim_of("a\tb,c\n1\t2,3\n"), '\t');
    assert_int_equal(csv_delim_of("a;b\tc,d\n"), ';');
    /* no delimiter at all: one column, ';' */
    assert_int_equal(csv_delim_of("один столбец\n2\n"), ';');
    assert_int_equal(csv_delim_of(""), ';');
}

/* ---- errors and limits --------------------------------------------------------------------- */

static void test_unterminated_quote(void **state)
{
    CHECK("a;b\n1;\"open\n2;3\n4;5\n", "1:[a][b]\n"
                                       "error 2:2: незакрытая кавычка в поле, начатом в строке 2");
    CHECK("\"", "error 1:1: незакрытая кавычка в поле, начатом в строке 1");
    CHECK("x\n\n\"a\"\"", "1:[x]\n2:\nerror 3:1: незакрытая кавычка в поле, начатом в строке 3");
}

static void test_nul_byte(void **state)
{
    CHECK("a;b\nc;d\0e\n",
          "1:[a][b]\n"
          "error 2:2: в данных нулевой байт (0x00): файл повреждён или не является текстовым CSV");
    CHECK("a;\"x\ny\0\"\n",
          "error 2:2: в данных нулевой байт (0x00): файл повреждён или не является текстовым CSV");
}

/* A row "x;<n bytes of c>[;y]\n", quoted if asked. */
static char *long_row(size_t n, int quoted, int tail, size_t *len)
{
    char *d = msk_malloc(n + 16);
    size_t k = 0;
    d[k++] = 'x', d[k++] = ';';
    if (quoted)
        d[k++] = '"';
    memset(d + k, 'c', n);
    k += n;
    if (quoted)
        d[k++] = '"';
    if (tail)
        d[k++] = ';', d[k++] = 'y';
    d[k++] = '\n';
    *len = k;
    return d;
}

static void test_field_limit(void **state)
{
    for (int quoted = 0; quoted < 2; quoted++) {
        size_t len;
        char *d = long_row(CSV_MAX_FIELD, quoted, 1, &len);
        tbl_reader *r = NULL;
        msk_err e;
        assert_int_equal(csv_open_mem("t.csv", d, len, &r, &e), 0);
        assert_int_equal(tbl_next(r, &e), 1);
        assert_int_equal(r->ncells, 3);
        assert_int_equal(strlen(r->cells[1]), CSV_MAX_FIELD);
        assert_string_equal(r->cells[2], "y");
        tbl_free(r);
        free(d);

        d = long_row(CSV_MAX_FIELD + 1, quoted, 1, &len);
        assert_int_equal(csv_open_mem("t.csv", d, len, &r, &e), 0);
        assert_int_equal(tbl_next(r, &e), -1);
        assert_int_equal(e.row, 1);
        assert_int_equal(e.col, 2);
        assert_string_equal(e.msg, "поле длиннее 1048576 байт (1 МиБ): вероятно, не закрыта "
                                   "кавычка или файл не является таблицей");
        tbl_free(r);
        free(d);
    }
}

static void test_row_limit(void **state)
{
    /* 17 fields of 1 MiB: each is allowed, the row is not */
    size_t n = 17, len = n * (CSV_MAX_FIELD + 1);
    char *d = msk_malloc(len);
    memset(d, 'z', len);
    for (size_t i = 1; i <= n; i++)
        d[i * (CSV_MAX_FIELD + 1) - 1] = i == n ? '\n' : ';';
    tbl_reader *r = NULL;
    msk_err e;
    assert_int_equal(csv_open_mem("t.csv", d, len, &r, &e), 0);
    assert_int_equal(tbl_next(r, &e), -1);
    assert_int_equal(e.row, 1);
    assert_int_equal(e.col, 16); /* the NUL ending each cell counts: 16 MiB + 15 is too long */
    assert_string_equal(e.msg, "строка длиннее 16777216 байт (16 МиБ)");
    tbl_free(r);
    free(d);
}

static void test_field_count_limit(void **state)
{
    for (size_t n = CSV_MAX_FIELDS; n <= CSV_MAX_FIELDS + 1; n++) {
        char *d = msk_malloc(2 * n + 8);
        memcpy(d, "h\n", 2);
        for (size_t i = 0; i < n; i++)
            d[2 + 2 * i] = '1', d[3 + 2 * i] = i + 1 == n ? '\n' : ',';
        tbl_reader *r = NULL;
        msk_err e;
        assert_int_equal(csv_open_mem("t.csv", d, 2 + 2 * n, &r, &e), 0);
        assert_int_equal(csv_delimiter(r), ',');
        assert_int_equal(tbl_next(r, &e), 1);
        if (n == CSV_MAX_FIELDS) {
            assert_int_equal(tbl_next(r, &e), 1);
            assert_int_equal(r->ncells, CSV_MAX_FIELDS);
            assert_int_equal(r->row, 2);
        } else {
            assert_int_equal(tbl_next(r, &e), -1);
            assert_int_equal(e.row, 2);
            assert_int_equal(e.col, CSV_MAX_FIELDS + 1);
            assert_string_equal(e.msg, "в строке больше 10000 полей");
        }
        tbl_free(r);
        free(d);
    }
}

/* ---- files ----------------------------------------------------------------------------------- */

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void test_file_reader(void **state)
{
    char dir[] = "/tmp/msoko_test_csv_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128], missing[128];
    snprintf(path, sizeof path, "%s/results.csv", dir);
    snprintf(missing, sizeof missing, "%s/нет.csv", dir);

    /* 30 000 CP1251 rows with quoted line breaks: crosses many 64 KiB blocks */
    msk_buf b;
    msk_buf_init(&b, 0);
    msk_buf_puts(&b, "\xCA\xEE\xE4 \xCE\xCE;\xCA\xEB\xE0\xF1\xF1;\xCF\xF0\xE8\xEC\r\n");
    for (int i = 0; i < 30000; i++)
        msk_buf_printf(&b, "%d;%d\xC0;\"a\r\nb\"\r\n", i, i % 11);
    write_file(path, b.data, b.len);

    tbl_reader *r = NULL;
    msk_err e;
    msk_err_clear(&e);
    assert_int_equal(csv_open(path, &r, &e), 0);
    assert_string_equal(r->file, path);
    assert_int_equal(tbl_next(r, &e), 1);
    assert_string_equal(r->cells[0], "Код ОО");
    assert_string_equal(r->cells[2], "Прим");
    int64_t n = 0;
    int rc;
    char want[32];
    while ((rc = tbl_next(r, &e)) > 0) {
        assert_int_equal(r->row, 2 + 2 * n);
        assert_int_equal(r->ncells, 3);
        snprintf(want, sizeof want, "%d", (int)n);
        assert_string_equal(r->cells[0], want);
        snprintf(want, sizeof want, "%dА", (int)(n % 11));
        assert_string_equal(r->cells[1], want);
        assert_string_equal(r->cells[2], "a\r\nb");
        n++;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(n, 30000);
    tbl_free(r);

    /* an error from a file names the file */
    write_file(path, "a;b\n\"x\n", 7);
    assert_int_equal(csv_open(path, &r, &e), 0);
    assert_int_equal(tbl_next(r, &e), 1);
    assert_int_equal(tbl_next(r, &e), -1);
    char line[2048];
    msk_err_format(&e, line, sizeof line);
    char expect[2048];
    snprintf(expect, sizeof expect, "%s:2:1: незакрытая кавычка в поле, начатом в строке 2", path);
    assert_string_equal(line, expect);
    tbl_free(r);

    tbl_reader dummy;
    r = &dummy; /* must be reset to NULL on failure */
    assert_int_equal(csv_open(missing, &r, &e), -1);
    assert_null(r);
    assert_string_equal(e.file, missing);
    assert_string_equal(e.msg, "не удалось открыть файл: No such file or directory");
    assert_int_equal(csv_open(dir, &r, &e), -1); /* a directory cannot be read */
    assert_string_equal(e.msg, "ошибка чтения файла: Is a directory");

    msk_buf_release(&b);
    /* a UTF-8 file with a BOM */
    write_file(path, "\xEF\xBB\xBFКод;Класс\n", strlen("\xEF\xBB\xBFКод;Класс\n"));
    assert_int_equal(csv_open(path, &r, &e), 0);
    assert_int_equal(tbl_next(r, &e), 1);
    assert_int_equal(r->ncells, 2);
    assert_string_equal(r->cells[0], "Код");
    assert_int_equal(tbl_next(r, &e), 0);
    tbl_free(r);

    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);
}

static void test_long_name_cut(void **state)
{
    char name[600];
    memset(name, 0, sizeof name);
    memcpy(name, "ab", 2);
    for (size_t i = 2; i + 2 < sizeof name; i += 2)
        memcpy(name + i, "ж", 2); /* byte 255 is the second half of a letter */
    tbl_reader *r = NULL;
    msk_err e;
    assert_int_equal(csv_open_mem(name, "a", 1, &r, &e), 0);
    size_t n = strlen(r->file);
    assert_true(n < sizeof r->file);
    assert_true(enc_utf8_valid(r->file, n, NULL));
    assert_int_equal(n, 254);
    tbl_free(r);
}

/* ---- issue 20: mixed delimiters, stray bytes, UTF-16 without BOM ---------------------------- */

static void open_fails_at(const char *data, int64_t row, const char *want)
{
    tbl_reader *r = NULL;
    msk_err e;
    msk_err_clear(&e);
    assert_int_equal(csv_open_mem("t.csv", data, strlen(data), &r, &e), -1);
    assert_null(r);
    assert_int_equal(e.row, row);
    if (!strstr(e.msg, want))
        fail_msg("«%s» not in «%s»", want, e.msg);
}

static void test_mixed_delimiters(void **state)
{
    (void)state;
    open_fails_at("a;b;c;d\n1,2,3,4\n5,6,7,8\n", 1,
                  "в файле смешаны разделители: в этой строке столбцы разделяет «;», а в строке "
                  "2 — «,»");
    open_fails_at("a,b,c,d\n1,2,3,4\n5;6;7;8\n9;1;2;3\n4;5;6;7\n", 1, "смешаны разделители");
    open_fails_at("a;b;c\n\n1;2;3\n4\t5\t6\n7;8;9\n", 4, "разделяет табуляция, а в строке 1 — «;»");
    /* a title with a few commas above a ';' table, a comma inside a field, two columns: fine */
    CHECK("ВПР, математика, 5 класс\na;b;c;d;e\n1;2;3;4;5\n",
          "1:[ВПР, математика, 5 класс]\n2:[a][b][c][d][e]\n3:[1][2][3][4][5]\n");
    CHECK("a;b;c\n\"x,y,z\";2;3\n", "1:[a][b][c]\n2:[x,y,z][2][3]\n");
    CHECK("a;b\n1,2\n", "1:[a][b]\n2:[1,2]\n");
}

static void test_stray_byte_in_utf8(void **state)
{
    (void)state;
    /* one CP1251 «Ж» in a UTF-8 file: read as UTF-8, the error names its row and field */
    CHECK("Код;Класс;Предмет\n1;5А;Математика\n2;5\xC6;Математика\n",
          "1:[Код][Класс][Предмет]\n2:[1][5А][Математика]\nerror 3:2: недопустимая "
          "последовательность байтов UTF-8: файл сохранён в смешанной кодировке?");
    /* a CP1251 file stays CP1251 */
    CHECK("\xCA\xEE\xE4;\xCA\xEB\xE0\xF1\xF1\n1;5\xC0\n", "1:[Код][Класс]\n2:[1][5А]\n");
    enc_kind k;
    size_t bom;
    msk_err e;
    assert_int_equal(enc_detect("f", "Математика\xC6", 21, 1, &k, &bom, &e), 0);
    assert_int_equal(k, ENC_UTF8);
}

static void test_utf16_without_bom(void **state)
{
    (void)state;
    /* «Код;Класс\n1;5А\n» in UTF-16LE: NULs only after the ASCII characters */
    static const char le[] = "\x1a\x04\x3e\x04\x34\x04;\x00\x1a\x04\x3b\x04\x30\x04\x41\x04\x41"
                             "\x04\n\x00"
                             "1\x00;\x00"
                             "5\x00\x10\x04\n\x00";
    char *got = dump(le, sizeof le - 1);
    assert_string_equal(got, "open: " ENC_ERR_UNKNOWN);
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_rows),
        cmocka_unit_test(test_quoted_fields),
        cmocka_unit_test(test_embedded_newline_row_numbers),
        cmocka_unit_test(test_line_ends),
        cmocka_unit_test(test_no_trailing_newline),
        cmocka_unit_test(test_empty_lines_keep_numbering),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_stray_quotes),
        cmocka_unit_test(test_bom_stripped),
        cmocka_unit_test(test_cp1251_header),
        cmocka_unit_test(test_cp1251_decided_late),
        cmocka_unit_test(test_cp1251_undefined_byte),
        cmocka_unit_test(test_utf8_invalid_later),
        cmocka_unit_test(test_encoding_rejected),
        cmocka_unit_test(test_enc_utf8_valid),
        cmocka_unit_test(test_enc_detect),
        cmocka_unit_test(test_enc_convert),
        cmocka_unit_test(test_delimiter_each),
        cmocka_unit_test(test_delimiter_consistency),
        cmocka_unit_test(test_delimiter_ties),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_field_limit),
        cmocka_unit_test(test_row_limit),
        cmocka_unit_test(test_field_count_limit),
        cmocka_unit_test(test_file_reader),
        cmocka_unit_test(test_long_name_cut),
        cmocka_unit_test(test_mixed_delimiters),
        cmocka_unit_test(test_stray_byte_in_utf8),
        cmocka_unit_test(test_utf16_without_bom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
