/*
 * Tests for ingest/xlsx: workbooks written with libxlsxwriter (what Excel-like writers
 * produce) and zips put together part by part with libzip for what xlsxwriter never writes:
 * inline strings, rows without r, prefixed namespaces, broken XML, broken archives, limits.
 * Each row is dumped as "row:cell|cell" so a case compares one string.
 */
#include "base/buf.h"
#include "base/err.h"
#include "base/mem.h"
#include "ingest/xlsx.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <xlsxwriter.h>
#include <zip.h>
#include <zlib.h>

static char tmpdir[64];

static const char *tmp_path(const char *name)
{
    static char p[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", tmpdir, name);
    return p[k];
}

static int setup(void **state)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/msoko-xlsx-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- building zips ---------------------------------------------------------------------- */

typedef struct part {
    const char *name;
    const char *data;
    size_t len; /* 0: strlen(data) */
    int store;  /* 1: no compression, so the bytes can be found and damaged in the archive */
} part;

/* A zip of the parts, in memory. Caller frees. */
static unsigned char *zip_build(const part *parts, size_t n, size_t *len)
{
    zip_error_t ze;
    zip_stat_t st;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    assert_non_null(src);
    zip_source_keep(src);
    zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    assert_non_null(z);
    for (size_t i = 0; i < n; i++) {
        size_t l = parts[i].len ? parts[i].len : strlen(parts[i].data);
        zip_source_t *s = zip_source_buffer(z, parts[i].data, l, 0);
        zip_int64_t idx = zip_file_add(z, parts[i].name, s, ZIP_FL_ENC_UTF_8);
        assert_true(idx >= 0);
        if (parts[i].store)
            zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
    }
    assert_int_equal(zip_close(z), 0);
    assert_int_equal(zip_source_open(src), 0);
    assert_int_equal(zip_source_stat(src, &st), 0);
    unsigned char *out = msk_malloc(st.size ? st.size : 1);
    assert_int_equal(zip_source_read(src, out, st.size), (zip_int64_t)st.size);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
    *len = st.size;
    return out;
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

#define NS                                                                                         \
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "                         \
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define XMLDECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define SHEET(rows) XMLDECL "<worksheet " NS "><sheetData>" rows "</sheetData></worksheet>"
#define SHEET_OPEN_ROW XMLDECL "<worksheet " NS "><sheetData><row r=\"1\">"
#define SST(items) XMLDECL "<sst " NS ">" items "</sst>"
#define REL(id, type, target)                                                                      \
    "<Relationship Id=\"" id "\" Type=\"http://schemas.openxmlformats.org/officeDocument/"         \
    "2006/relationships/" type "\" Target=\"" target "\"/>"
#define RELS(items)                                                                                \
    XMLDECL "<Relationships "                                                                      \
            "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" items        \
            "</Relationships>"

static const char CONTENT_TYPES[] =
    XMLDECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";
static const char ROOT_RELS[] = RELS(REL("rId1", "officeDocument", "xl/workbook.xml"));
static const char WB_RELS[] = RELS(REL("rId1", "worksheet", "worksheets/sheet1.xml") REL(
    "rId2", "sharedStrings", "sharedStrings.xml") REL("rId3", "styles", "/xl/styles.xml"));
#define WORKBOOK(pr, sheets) XMLDECL "<workbook " NS ">" pr "<sheets>" sheets "</sheets></workbook>"
static const char WB_ONE[] = WORKBOOK("", "<sheet name=\"Лист1\" sheetId=\"1\" r:id=\"rId1\"/>");
static const char WB_1904[] =
    WORKBOOK("<workbookPr date1904=\"1\"/>", "<sheet name=\"Лист1\" sheetId=\"1\" r:id=\"rId1\"/>");

/* The usual parts of a one-sheet book; NULL leaves a part out. Returns the count. */
static size_t book_parts(part *p, const char *wb, const char *sheet, const char *sst,
                         const char *styles)
{
    size_t n = 0;
    p[n++] = (part){"[Content_Types].xml", CONTENT_TYPES, 0, 0};
    p[n++] = (part){"_rels/.rels", ROOT_RELS, 0, 0};
    p[n++] = (part){"xl/workbook.xml", wb ? wb : WB_ONE, 0, 0};
    p[n++] = (part){"xl/_rels/workbook.xml.rels", WB_RELS, 0, 0};
    if (sheet)
        p[n++] = (part){"xl/worksheets/sheet1.xml", sheet, 0, 0};
    if (sst)
        p[n++] = (part){"xl/sharedStrings.xml", sst, 0, 0};
    if (styles)
        p[n++] = (part){"xl/styles.xml", styles, 0, 0};
    return n;
}

/* ---- reading -------------------------------------------------------------------------- */

static char *take(msk_buf *b)
{
    char *s = msk_buf_detach(b, NULL);
    msk_buf_release(b);
    return s;
}

/* Every row of r as "row:cell|cell\n"; an error ends the text as "!file:row:col: message". */
static char *dump(tbl_reader *r)
{
    msk_buf b;
    msk_err e;
    int rc;
    msk_buf_init(&b, 0);
    msk_err_clear(&e);
    while ((rc = tbl_next(r, &e)) == 1) {
        msk_buf_printf(&b, "%lld:", (long long)r->row);
        for (size_t i = 0; i < r->ncells; i++) {
            assert_non_null(r->cells[i]);
            msk_buf_printf(&b, "%s%s", i ? "|" : "", r->cells[i]);
        }
        msk_buf_putc(&b, '\n');
    }
    if (rc < 0) {
        char m[1400];
        msk_err_format(&e, m, sizeof m);
        msk_buf_printf(&b, "!%s", m);
        /* errors are sticky */
        msk_err_clear(&e);
        assert_int_equal(tbl_next(r, &e), -1);
        assert_true(e.msg[0] != '\0');
    } else {
        assert_int_equal(tbl_next(r, &e), 0);
    }
    return take(&b);
}

/* Open data as "t.xlsx" with the sheet parser chosen and dump it, or "!message" when it does
 * not open. */
static char *run_opts(const void *data, size_t len, const char *sheet, int use_expat, size_t chunk)
{
    tbl_reader *r = NULL;
    msk_err e;
    msk_err_clear(&e);
    if (xlsx_open_mem_opts("t.xlsx", data, len, sheet, use_expat, chunk, &r, &e)) {
        char m[1400];
        msk_buf b;
        assert_null(r);
        msk_err_format(&e, m, sizeof m);
        msk_buf_init(&b, 0);
        msk_buf_printf(&b, "!%s", m);
        return take(&b);
    }
    assert_string_equal(r->file, "t.xlsx");
    char *s = dump(r);
    tbl_free(r);
    return s;
}

/* Bytes the entries of a zip inflate to (0 when it is not one). */
static uint64_t unzipped(const void *data, size_t len)
{
    zip_error_t ze;
    uint64_t total = 0;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (!z && src)
        zip_source_free(src);
    for (zip_int64_t i = 0; z && i < zip_get_num_entries(z, 0); i++) {
        zip_stat_t st;
        if (!zip_stat_index(z, (zip_uint64_t)i, 0, &st))
            total += st.size;
    }
    if (z)
        zip_discard(z);
    zip_error_fini(&ze);
    return total;
}

/* Where the error of a dump starts (its length when there is none). */
static size_t error_at(const char *s)
{
    if (s[0] == '!')
        return 0;
    const char *e = strstr(s, "\n!");
    return e ? (size_t)(e - s) + 1 : strlen(s);
}

/* The scanner and expat must read the same rows and fail on the same files; their messages may
 * differ. */
static void expect_same(const char *scan, const char *expat)
{
    size_t a = error_at(scan), b = error_at(expat);
    if (a != b || memcmp(scan, expat, a) || !scan[a] != !expat[b])
        fail_msg("the scanner read\n%s\nexpat read\n%s", scan, expat);
}

/* Open data as "t.xlsx" and dump it, or "!message" when it does not open. Every book is read by
 * the scanner and by expat, and a small one by the scanner fed a byte (and five) at a time. */
static char *run_mem(const void *data, size_t len, const char *sheet)
{
    char *s = run_opts(data, len, sheet, 0, 0);
    char *x = run_opts(data, len, sheet, 1, 0);
    expect_same(s, x);
    free(x);
    if (unzipped(data, len) <= 64 * 1024) {
        for (size_t chunk = 1; chunk <= 5; chunk += 4) {
            x = run_opts(data, len, sheet, 0, chunk);
            assert_string_equal(x, s);
            free(x);
        }
    }
    return s;
}

static char *run_parts(const part *p, size_t n, const char *sheet)
{
    size_t len;
    unsigned char *z = zip_build(p, n, &len);
    char *s = run_mem(z, len, sheet);
    free(z);
    return s;
}

/* A one-sheet book from its sheet, shared strings and styles (NULL = absent). */
static char *run_book(const char *sheet, const char *sst, const char *styles)
{
    part p[8];
    return run_parts(p, book_parts(p, NULL, sheet, sst, styles), NULL);
}

#define EXPECT(got_expr, want)                                                                     \
    do {                                                                                           \
        char *got_ = (got_expr);                                                                   \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

/* ---- a workbook written by libxlsxwriter --------------------------------------------------- */

static void write_fixture(const char *path)
{
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Результаты");
    lxw_worksheet *ws2 = workbook_add_worksheet(wb, "Лист2");
    lxw_format *merged = workbook_add_format(wb);
    lxw_format *date = workbook_add_format(wb);
    lxw_format *builtin14 = workbook_add_format(wb);
    lxw_format *longdate = workbook_add_format(wb);
    lxw_format *red = workbook_add_format(wb);
    lxw_format *pct = workbook_add_format(wb);
    format_set_bold(merged);
    format_set_num_format(date, "dd.mm.yyyy");
    format_set_num_format_index(builtin14, 14);
    format_set_num_format(longdate, "[$-419]d mmmm yyyy");
    format_set_num_format(red, "[Red]0.00");
    format_set_num_format(pct, "0.00%");
    lxw_datetime day = {2023, 4, 18, 0, 0, 0};

    /* a title row and a two-row merged header, as ФИС ОКО forms have */
    worksheet_merge_range(ws, 0, 0, 0, 5, "ВПР 2023 Математика 5 класс", merged);
    worksheet_merge_range(ws, 1, 0, 2, 0, "Код участника", merged);
    worksheet_merge_range(ws, 1, 1, 1, 3, "Баллы за задания", merged);
    worksheet_merge_range(ws, 1, 4, 2, 4, "Отметка", merged);
    worksheet_merge_range(ws, 1, 5, 2, 5, "Дата", merged);
    worksheet_write_string(ws, 2, 1, "1 (1б)", NULL);
    worksheet_write_string(ws, 2, 2, "2 (2б)", NULL);
    worksheet_write_string(ws, 2, 3, "3 (1б)", NULL);
    /* data; "X" = task not attempted */
    worksheet_write_string(ws, 3, 0, "12345", NULL);
    worksheet_write_number(ws, 3, 1, 1, NULL);
    worksheet_write_string(ws, 3, 2, "X", NULL);
    worksheet_write_number(ws, 3, 3, 0, NULL);
    worksheet_write_number(ws, 3, 4, 5, NULL);
    worksheet_write_datetime(ws, 3, 5, &day, date);
    worksheet_write_string(ws, 4, 0, "12346", NULL); /* B5 left empty */
    worksheet_write_number(ws, 4, 2, 2, NULL);
    worksheet_write_number(ws, 4, 3, 1, NULL);
    worksheet_write_number(ws, 4, 4, 12.5, NULL);
    /* row 6 is never written */
    worksheet_write_boolean(ws, 6, 0, 1, NULL);
    worksheet_write_boolean(ws, 6, 1, 0, NULL);
    worksheet_write_formula_str(ws, 6, 2, "=\"а\"&\"б\"", NULL, "аб");
    worksheet_write_number(ws, 6, 3, -0.1, NULL);
    worksheet_write_number(ws, 6, 4, 1234567890123.0, NULL);
    worksheet_write_number(ws, 6, 5, 1.0 / 3.0, NULL);
    worksheet_write_number(ws, 7, 0, 45034, builtin14);
    worksheet_write_number(ws, 7, 1, 45034.5, longdate);
    worksheet_write_number(ws, 7, 2, 7, red);
    worksheet_write_number(ws, 7, 3, 0.125, pct);
    worksheet_write_string(ws, 7, 4, "Ёлка «ёж» — 5", NULL);

    worksheet_write_string(ws2, 0, 0, "второй", NULL);
    worksheet_write_number(ws2, 0, 1, 42, NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

static const char FIXTURE_DUMP[] =
    "1:ВПР 2023 Математика 5 класс|ВПР 2023 Математика 5 класс|ВПР 2023 Математика 5 класс|"
    "ВПР 2023 Математика 5 класс|ВПР 2023 Математика 5 класс|ВПР 2023 Математика 5 класс\n"
    "2:Код участника|Баллы за задания|Баллы за задания|Баллы за задания|Отметка|Дата\n"
    "3:Код участника|1 (1б)|2 (2б)|3 (1б)|Отметка|Дата\n"
    "4:12345|1|X|0|5|2023-04-18\n"
    "5:12346||2|1|12.5\n"
    "6:\n"
    "7:1|0|аб|-0.1|1234567890123|0.3333333333333333\n"
    "8:2023-04-18|2023-04-18|7|0.125|Ёлка «ёж» — 5\n";

static void test_xlsxwriter_book(void **state)
{
    const char *path = tmp_path("fixture.xlsx");
    tbl_reader *r = NULL;
    msk_err e;
    write_fixture(path);

    assert_int_equal(xlsx_open(path, NULL, &r, &e), 0);
    assert_string_equal(r->file, path);
    EXPECT(dump(r), FIXTURE_DUMP);
    tbl_free(r);

    assert_int_equal(xlsx_open(path, "Результаты", &r, &e), 0);
    EXPECT(dump(r), FIXTURE_DUMP);
    tbl_free(r);

    assert_int_equal(xlsx_open(path, "Лист2", &r, &e), 0);
    EXPECT(dump(r), "1:второй|42\n");
    tbl_free(r);

    /* the same bytes from memory */
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *data = msk_malloc(1 << 20);
    size_t len = fread(data, 1, 1 << 20, f);
    fclose(f);
    EXPECT(run_mem(data, len, "Лист2"), "1:второй|42\n");
    EXPECT(run_mem(data, len, NULL), FIXTURE_DUMP);
    EXPECT(run_mem(data, len, "Лист3"),
           "!t.xlsx: лист «Лист3» не найден; в книге есть листы: «Результаты», «Лист2»");
    free(data);

    char **names = NULL;
    size_t n = 0;
    assert_int_equal(xlsx_sheet_names(path, &names, &n, &e), 0);
    assert_int_equal(n, 2);
    assert_string_equal(names[0], "Результаты");
    assert_string_equal(names[1], "Лист2");
    xlsx_sheet_names_free(names, n);
    xlsx_sheet_names_free(NULL, 0);
    tbl_free(NULL);
}

/* Cells stay valid until the next call, and a reader can be dropped half-way. */
static void test_partial_read(void **state)
{
    const char *path = tmp_path("partial.xlsx");
    tbl_reader *r = NULL;
    msk_err e;
    write_fixture(path);
    assert_int_equal(xlsx_open(path, NULL, &r, &e), 0);
    assert_int_equal(tbl_next(r, &e), 1);
    assert_int_equal(r->row, 1);
    assert_int_equal(r->ncells, 6);
    assert_int_equal(tbl_next(r, &e), 1);
    assert_int_equal(r->row, 2);
    assert_string_equal(r->cells[1], "Баллы за задания");
    tbl_free(r);
}

/* ---- cell types and positions ------------------------------------------------------------- */

static void test_inline_and_typed_cells(void **state)
{
    EXPECT(run_book(SHEET("<row r=\"1\">"
                          "<c r=\"A1\" t=\"inlineStr\"><is><t>Код</t></is></c>"
                          "<c r=\"C1\" t=\"inlineStr\"><is><r><t>бал</t></r><r><rPr><b/></rPr>"
                          "<t xml:space=\"preserve\">лы </t></r>"
                          "<rPh sb=\"0\" eb=\"1\"><t>ふりがな</t></rPh></is></c>"
                          "<c r=\"D1\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c>"
                          "<c r=\"E1\" t=\"b\"><v>1</v></c>"
                          "<c r=\"F1\" t=\"str\"><f>A1</f><v>Код</v></c>"
                          "<c r=\"G1\" t=\"d\"><v>2023-04-18T00:00:00</v></c>"
                          "<c r=\"H1\" t=\"inlineStr\"><is><t>a_x000D_b_x005F_x0041_ "
                          "_x0041__xD83D__xDE00_</t></is></c>"
                          "<c r=\"I1\" t=\"inlineStr\"><is><t>&lt;&amp;&gt;&#1046;</t></is></c>"
                          "<c r=\"J1\" t=\"b\"><v>0</v></c>"
                          "<c r=\"K1\" s=\"0\"/>"
                          "</row>"),
                    NULL, NULL),
           "1:Код||баллы |#DIV/0!|1|Код|2023-04-18|a\rb_x0041_ A😀|<&>Ж|0\n");
}

static void test_shared_strings(void **state)
{
    EXPECT(run_book(SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\">"
                          "<v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\">"
                          "<v>3</v></c><c r=\"E1\" t=\"s\"><v>0</v></c></row>"),
                    SST("<si><t>Класс</t></si>"
                        "<si><r><t>Пер</t></r><r><rPr><i/></rPr><t>вичный</t></r>"
                        "<rPh sb=\"0\" eb=\"1\"><t>x</t></rPh><r><t> балл</t></r></si>"
                        "<si/><si><t>tab_x0009_</t></si>"),
                    NULL),
           "1:Класс|Первичный балл||tab\t|Класс\n");
}

/* _x0000_ cannot be kept in a C string; dropping it would join what it separates. */
static void test_escaped_nul(void **state)
{
    EXPECT(run_book(SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Код</t></is></c></row>"
                          "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>p1</t></is></c>"
                          "<c r=\"C2\" t=\"inlineStr\"><is><t>p1_x0000_Иванов</t></is></c></row>"),
                    NULL, NULL),
           "1:Код\n!t.xlsx:2:3: ячейка содержит управляющий символ (0x00, в файле «_x0000_»): "
           "удалите его из ячейки");
    EXPECT(run_book(SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
                          "<row r=\"2\"><c r=\"B2\" t=\"s\"><v>2</v></c>"
                          "<c r=\"D2\" t=\"s\"><v>1</v></c></row>"),
                    SST("<si><t>Код</t></si><si><t>p1_x0000_Иванов</t></si><si><t>x</t></si>"),
                    NULL),
           "1:Код\n!t.xlsx:2:4: ячейка содержит управляющий символ (0x00, в файле «_x0000_»): "
           "удалите его из ячейки");
    /* a formula's cached text too */
    EXPECT(run_book(SHEET("<row r=\"1\"><c r=\"B1\" t=\"str\"><f>A1</f><v>_x0000_</v></c></row>"),
                    NULL, NULL),
           "!t.xlsx:1:2: ячейка содержит управляющий символ (0x00, в файле «_x0000_»): "
           "удалите его из ячейки");
}

static void test_rows_without_r(void **state)
{
    EXPECT(run_book(SHEET("<row><c><v>1</v></c><c><v>2</v></c></row>"
                          "<row/>"
                          "<row><c r=\"C3\"><v>3</v></c><c><v>4</v></c></row>"
                          "<row r=\"6\"><c r=\"B6\"><v>6</v></c></row>"
                          "<row><c><v>7</v></c></row>"),
                    NULL, NULL),
           "1:1|2\n2:\n3:||3|4\n4:\n5:\n6:|6\n7:7\n");
    /* rows before the first one present are returned too */
    EXPECT(run_book(SHEET("<row r=\"3\"><c r=\"A3\"><v>1</v></c></row>"), NULL, NULL),
           "1:\n2:\n3:1\n");
    /* no rows at all */
    EXPECT(run_book(SHEET(""), NULL, NULL), "");
    EXPECT(run_book(XMLDECL "<worksheet " NS "><sheetData/></worksheet>", NULL, NULL), "");
}

static void test_numbers(void **state)
{
    EXPECT(run_book(SHEET("<row r=\"1\">"
                          "<c><v>12.50</v></c><c><v>007</v></c><c><v>-0</v></c>"
                          "<c><v>1E-3</v></c><c><v>0.30000000000000004</v></c><c><v>1e20</v></c>"
                          "<c><v>5.000000</v></c><c><v>-12.5</v></c>"
                          "<c><v>123456789012345678</v></c><c><v>abc</v></c><c><v>0.1</v></c>"
                          "<c><v>1.5E+2</v></c><c t=\"n\"><v>0.000</v></c>"
                          "<c><v>9007199254740993</v></c><c><v>.5</v></c><c><v>1e-7</v></c>"
                          "<c><v>100000000000000000000000</v></c><c><v>3.14159265358979</v></c>"
                          "<c><v>2.718281828459045</v></c><c><v>nan</v></c><c><v>1e999</v></c>"
                          "</row>"),
                    NULL, NULL),
           "1:12.5|7|0|0.001|0.30000000000000004|1e+20|5|-12.5|1.2345678901234568e+17|abc|"
           "0.1|150|0|9007199254740992|0.5|1e-07|1e+23|3.14159265358979|2.718281828459045|"
           "nan|1e999\n");
}

static const char STYLES[] =
    XMLDECL "<styleSheet " NS ">"
            "<numFmts count=\"5\"><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/>"
            "<numFmt numFmtId=\"165\" formatCode=\"[Red]0.00\"/>"
            "<numFmt numFmtId=\"166\" formatCode=\"General\"/>"
            "<numFmt numFmtId=\"167\" formatCode=\"0.0&quot; дней&quot;\"/>"
            "<numFmt numFmtId=\"168\" formatCode=\"\\d0\"/></numFmts>"
            "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
            "<cellXfs count=\"8\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/>"
            "<xf numFmtId=\"164\"/><xf numFmtId=\"165\"/><xf numFmtId=\"22\"/>"
            "<xf numFmtId=\"166\"/><xf numFmtId=\"167\"/><xf numFmtId=\"168\"/></cellXfs>"
            "</styleSheet>";

static void test_dates(void **state)
{
    /* 1900 system, with Excel's 29 February 1900 */
    EXPECT(
        run_book(SHEET("<row r=\"1\">"
                       "<c s=\"1\"><v>1</v></c><c s=\"1\"><v>59</v></c><c s=\"1\"><v>60</v></c>"
                       "<c s=\"1\"><v>61</v></c><c s=\"2\"><v>45034.75</v></c>"
                       "<c s=\"4\"><v>45034.5</v></c><c s=\"1\"><v>2958465</v></c></row>"
                       "<row r=\"2\">"
                       "<c s=\"1\"><v>0</v></c><c s=\"1\"><v>-5</v></c><c s=\"1\"><v>x</v></c>"
                       "<c s=\"3\"><v>7</v></c><c s=\"99\"><v>5</v></c><c s=\"5\"><v>45034</v></c>"
                       "<c s=\"6\"><v>2.5</v></c><c s=\"7\"><v>3</v></c>"
                       "<c s=\"1\"><v>2958466</v></c><c s=\"0\"><v>45034</v></c>"
                       "<c s=\"1\" t=\"s\"><v>0</v></c></row>"),
                 SST("<si><t>12.03.2023</t></si>"), STYLES),
        "1:1900-01-01|1900-02-28|1900-02-29|1900-03-01|2023-04-18|2023-04-18|9999-12-31\n"
        "2:0|-5|x|7|5|45034|2.5|3|2958466|45034|12.03.2023\n");

    /* 1904 system */
    part p[8];
    size_t n = book_parts(p, WB_1904,
                          SHEET("<row r=\"1\"><c s=\"1\"><v>0</v></c><c s=\"1\"><v>1</v></c>"
                                "<c s=\"1\"><v>43572</v></c></row>"),
                          NULL, STYLES);
    EXPECT(run_parts(p, n, NULL), "1:1904-01-01|1904-01-02|2023-04-18\n");
}

/* Files written by the .NET Open XML SDK use a prefix for the main namespace. */
static void test_prefixed_namespace(void **state)
{
#define XNS "xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
    EXPECT(run_book(XMLDECL "<x:worksheet " XNS "><x:sheetData>"
                            "<x:row r=\"1\"><x:c r=\"A1\" t=\"s\"><x:v>0</x:v></x:c>"
                            "<x:c r=\"B1\" t=\"inlineStr\"><x:is><x:t>Б</x:t></x:is></x:c></x:row>"
                            "<x:row r=\"2\"><x:c r=\"A2\"><x:v>2</x:v></x:c></x:row>"
                            "</x:sheetData><x:mergeCells count=\"1\">"
                            "<x:mergeCell ref=\"B1:C2\"/></x:mergeCells></x:worksheet>",
                    XMLDECL "<x:sst " XNS "><x:si><x:t>А</x:t></x:si></x:sst>", NULL),
           "1:А|Б|Б\n2:2|Б|Б\n");
#undef XNS
}

/* ---- merged cells ------------------------------------------------------------------------- */

static void test_merges(void **state)
{
    /* vertical merge into a row the file leaves out; a range reaching below row 50 is left
     * alone; a range in row 50 is filled; reversed corners; single cells */
    EXPECT(run_book(XMLDECL "<worksheet " NS "><sheetData>"
                            "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Шапка</t></is></c>"
                            "<c r=\"D1\"><v>4</v></c></row>"
                            "<row r=\"3\"><c r=\"B3\"><v>1</v></c></row>"
                            "<row r=\"49\"><c r=\"A49\"><v>49</v></c></row>"
                            "<row r=\"50\"><c r=\"A50\"><v>50</v></c></row>"
                            "<row r=\"51\"/>"
                            "</sheetData><mergeCells count=\"5\">"
                            "<mergeCell ref=\"A1:A3\"/><mergeCell ref=\"A49:A51\"/>"
                            "<mergeCell ref=\"B50:A50\"/><mergeCell ref=\"D1\"/>"
                            "<mergeCell ref=\"E2:F2\"/><mergeCell ref=\"bad\"/>"
                            "</mergeCells></worksheet>",
                    NULL, NULL),
           "1:Шапка|||4\n2:Шапка\n3:Шапка|1\n"
           "4:\n5:\n6:\n7:\n8:\n9:\n10:\n11:\n12:\n13:\n14:\n15:\n16:\n17:\n18:\n19:\n20:\n"
           "21:\n22:\n23:\n24:\n25:\n26:\n27:\n28:\n29:\n30:\n31:\n32:\n33:\n34:\n35:\n36:\n"
           "37:\n38:\n39:\n40:\n41:\n42:\n43:\n44:\n45:\n46:\n47:\n48:\n"
           "49:49\n50:50|50\n51:\n");
}

/* The merge scan reads the part in 64 KiB chunks: a tag cut at any byte must still be found,
 * with or without a namespace prefix. */
static void test_merge_across_chunks(void **state)
{
    static const char head[] = XMLDECL
        "<worksheet " NS " xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>H</t></is></c></row>"
        "<row r=\"2\"><c r=\"A2\"><v>1</v></c></row></sheetData>";
    static const char *const tails[] = {
        "<mergeCells count=\"1\"><mergeCell ref=\"A1:C2\"/></mergeCells></worksheet>",
        "<x:mergeCells count=\"1\"><x:mergeCell\nref='A1:C2' /></x:mergeCells></worksheet>",
    };
    size_t hl = strlen(head);
    char *xml = msk_malloc(70000);
    for (size_t t = 0; t < 2; t++) {
        size_t tl = strlen(tails[t]);
        for (size_t at = 65536 - 60; at <= 65536 + 2; at++) {
            memcpy(xml, head, hl);
            memset(xml + hl, '\n', at - hl);
            memcpy(xml + at, tails[t], tl + 1);
            part p[8];
            EXPECT(run_parts(p, book_parts(p, NULL, xml, NULL, NULL), NULL), "1:H|H|H\n2:1|H|H\n");
        }
    }
    free(xml);
}

/* ---- errors when opening ------------------------------------------------------------------ */

static void expect_open_error(const char *path, const char *sheet, const char *want)
{
    tbl_reader *r = NULL;
    msk_err e;
    msk_err_clear(&e);
    assert_int_equal(xlsx_open(path, sheet, &r, &e), -1);
    assert_null(r);
    assert_string_equal(e.msg, want);
    assert_string_equal(e.file, path);
    assert_int_equal(e.row, 0);
}

/* The same for a message whose end holds sizes that depend on zlib's output. */
static void expect_open_error_prefix(const char *path, const char *want)
{
    tbl_reader *r = NULL;
    msk_err e;
    msk_err_clear(&e);
    assert_int_equal(xlsx_open(path, NULL, &r, &e), -1);
    assert_null(r);
    if (strncmp(e.msg, want, strlen(want)))
        fail_msg("got «%s», want it to start with «%s»", e.msg, want);
    assert_string_equal(e.file, path);
}

static const char NOT_XLSX[] = "файл не является книгой Excel (.xlsx)";

static void test_not_a_workbook(void **state)
{
    static const unsigned char ole[16] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    static const char csv[] = "Код;Класс\n1;5а\n";
    static const char broken[] = "PK\003\004 this is not really a zip archive at all";
    const char *p;

    expect_open_error(tmp_path("missing.xlsx"), NULL, "файл не найден");
    expect_open_error(tmpdir, NULL, "не удалось прочитать файл");
    write_file(p = tmp_path("empty.xlsx"), "", 0);
    expect_open_error(p, NULL, "файл пуст");
    write_file(p = tmp_path("csv.xlsx"), csv, sizeof csv - 1);
    expect_open_error(p, NULL, NOT_XLSX);
    write_file(p = tmp_path("old.xls"), ole, sizeof ole);
    expect_open_error(p, NULL,
                      "формат .xls не поддерживается: сохраните файл как .xlsx (если файл уже "
                      ".xlsx, он защищён паролем: снимите пароль)");
    write_file(p = tmp_path("broken.xlsx"), broken, sizeof broken - 1);
    expect_open_error(p, NULL, "файл не является книгой Excel (.xlsx): архив повреждён");
    if (geteuid() != 0) { /* root reads anything */
        write_file(p = tmp_path("locked.xlsx"), csv, sizeof csv - 1);
        chmod(p, 0);
        expect_open_error(p, NULL, "нет прав на чтение файла");
    }

    /* the same from memory */
    EXPECT(run_mem(NULL, 0, NULL), "!t.xlsx: файл пуст");
    EXPECT(run_mem(ole, sizeof ole, NULL),
           "!t.xlsx: формат .xls не поддерживается: сохраните файл как .xlsx (если файл уже "
           ".xlsx, он защищён паролем: снимите пароль)");
    EXPECT(run_mem(csv, 3, NULL), "!t.xlsx: файл не является книгой Excel (.xlsx)");
    EXPECT(run_mem(broken, sizeof broken - 1, NULL),
           "!t.xlsx: файл не является книгой Excel (.xlsx): архив повреждён");

    /* a zip, but not a workbook (an .ods, a zipped folder) */
    part odf[] = {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet", 0, 0},
                  {"content.xml", "<office:document-content/>", 0, 0}};
    EXPECT(run_parts(odf, 2, NULL),
           "!t.xlsx: файл не является книгой Excel (.xlsx): в архиве нет части xl/workbook.xml");
    part pp[8];
    size_t n = book_parts(pp, NULL, SHEET(""), NULL, NULL);
    pp[3] = pp[--n]; /* drop the workbook's rels */
    EXPECT(run_parts(pp, n, NULL), "!t.xlsx: файл не является книгой Excel (.xlsx): в архиве "
                                   "нет части xl/_rels/workbook.xml.rels");

    /* xlsx_sheet_names reports the same and leaves nothing to free */
    char **names = (char **)1;
    size_t count = 7;
    msk_err e;
    assert_int_equal(xlsx_sheet_names(tmp_path("csv.xlsx"), &names, &count, &e), -1);
    assert_null(names);
    assert_int_equal(count, 0);
    assert_string_equal(e.msg, NOT_XLSX);
}

/* Without _rels/.rels the workbook is looked for where Excel puts it. */
static void test_no_root_rels(void **state)
{
    part p[8];
    size_t n = book_parts(p, NULL, SHEET("<row><c><v>1</v></c></row>"), NULL, NULL);
    p[1] = p[--n];
    EXPECT(run_parts(p, n, NULL), "1:1\n");
}

static void test_sheets(void **state)
{
    static const char wb_chart[] =
        WORKBOOK("", "<sheet name=\"Диаграмма\" sheetId=\"2\" r:id=\"rId4\"/>"
                     "<sheet name=\"Лист1\" sheetId=\"1\" r:id=\"rId1\"/>"
                     "<sheet name=\"Потерян\" sheetId=\"3\" r:id=\"rId9\"/>");
    static const char wb_chart_only[] =
        WORKBOOK("", "<sheet name=\"Диаграмма\" sheetId=\"2\" r:id=\"rId4\"/>");
    static const char rels_chart[] = RELS(REL("rId1", "worksheet", "worksheets/sheet1.xml")
                                              REL("rId4", "chartsheet", "chartsheets/sheet1.xml"));
    static const char sheet[] = SHEET("<row><c><v>1</v></c></row>");
    part p[8];
    size_t n = book_parts(p, wb_chart, sheet, NULL, NULL);
    p[3].data = rels_chart;
    EXPECT(run_parts(p, n, NULL), "1:1\n");
    EXPECT(run_parts(p, n, "Лист1"), "1:1\n");
    EXPECT(run_parts(p, n, "Диаграмма"), "!t.xlsx: лист «Диаграмма» — диаграмма, а не таблица");
    EXPECT(run_parts(p, n, "Потерян"), "!t.xlsx: лист «Потерян» не найден в архиве книги");
    EXPECT(run_parts(p, n, "лист1"), "!t.xlsx: лист «лист1» не найден; в книге есть листы: "
                                     "«Диаграмма», «Лист1», «Потерян»");
    p[2].data = wb_chart_only;
    EXPECT(run_parts(p, n, NULL), "!t.xlsx: в книге нет листов с таблицами");
    p[2].data = WORKBOOK("", "");
    EXPECT(run_parts(p, n, "Лист1"), "!t.xlsx: лист «Лист1» не найден: в книге нет листов");

    /* the rels point at a part that is not there */
    n = book_parts(p, NULL, NULL, NULL, NULL);
    EXPECT(run_parts(p, n, NULL),
           "!t.xlsx: в книге нет части xl/worksheets/sheet1.xml (лист «Лист1»)");
}

static void test_broken_parts(void **state)
{
    part p[8];
    size_t n = book_parts(p, XMLDECL "<workbook><sheets>\n  </workbook>", SHEET(""), NULL, NULL);
    EXPECT(run_parts(p, n, NULL), "!t.xlsx: повреждённый XML в части xl/workbook.xml книги "
                                  "(строка 3, позиция 5): mismatched tag");
    n = book_parts(p, NULL, SHEET(""), SST("<si><t>a</si>"), NULL);
    EXPECT(run_parts(p, n, NULL), "!t.xlsx: повреждённый XML в части xl/sharedStrings.xml "
                                  "книги (строка 2, позиция 160): mismatched tag");
    n = book_parts(p, NULL, SHEET(""), NULL, XMLDECL "<styleSheet>");
    EXPECT(run_parts(p, n, NULL), "!t.xlsx: повреждённый XML в части xl/styles.xml книги "
                                  "(строка 2, позиция 13): no element found");
    n = book_parts(p, XMLDECL "<!DOCTYPE workbook [<!ENTITY a \"aaaa\">]><workbook/>", SHEET(""),
                   NULL, NULL);
    EXPECT(run_parts(p, n, NULL), "!t.xlsx: часть xl/workbook.xml книги содержит объявление "
                                  "DOCTYPE: такие файлы не читаются");
    /* a stored (uncompressed) sheet damaged inside the archive: the CRC no longer matches */
    size_t len;
    n = book_parts(p, NULL, SHEET("<row><c><v>12345</v></c></row>"), NULL, NULL);
    p[4].store = 1;
    unsigned char *z = zip_build(p, n, &len);
    unsigned char *hit = memmem(z, len, "12345", 5);
    assert_non_null(hit);
    hit[0] = '9';
    EXPECT(run_mem(z, len, NULL), "!t.xlsx: файл повреждён: не удалось распаковать часть "
                                  "xl/worksheets/sheet1.xml книги (CRC error)");
    free(z);
}

/* ---- errors while reading rows ------------------------------------------------------------ */

static void test_read_errors(void **state)
{
    EXPECT(run_book(SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"), NULL, NULL),
           "!t.xlsx:1:1: ячейка ссылается на общую строку №0, а в книге их 0");
    EXPECT(run_book(SHEET("<row r=\"1\"><c t=\"s\"><v>0</v></c></row>"
                          "<row r=\"3\"><c r=\"B3\" t=\"s\"><v>5</v></c></row>"),
                    SST("<si><t>а</t></si>"), NULL),
           "1:а\n!t.xlsx:3:2: ячейка ссылается на общую строку №5, а в книге их 1");
    EXPECT(run_book(SHEET("<row r=\"1\"><c r=\"C1\" t=\"s\"><v>x1</v></c></row>"),
                    SST("<si><t>а</t></si>"), NULL),
           "!t.xlsx:1:3: неверный номер общей строки «x1»");
    EXPECT(run_book(SHEET("<row r=\"1\"><c r=\"C1\" t=\"s\"><v>99999999999999999999999</v></c>"
                          "</row>"),
                    SST("<si><t>а</t></si>"), NULL),
           "!t.xlsx:1:3: ячейка ссылается на общую строку №99999999999999999999999, а в книге "
           "их 1");
    EXPECT(run_book(SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\n"
                          "<row r=\"2\"><c r=\"A2\"><v>2</c></row>"),
                    NULL, NULL),
           "1:1\n!t.xlsx: повреждённый XML в части xl/worksheets/sheet1.xml книги (строка 3, "
           "позиция 28): mismatched tag");
    EXPECT(run_book(XMLDECL "<worksheet><sheetData><row r=\"1\"><c><v>1</v></c></row>", NULL, NULL),
           "1:1\n!t.xlsx: повреждённый XML в части xl/worksheets/sheet1.xml книги (строка 2, "
           "позиция 55): no element found");
    EXPECT(run_book(SHEET("<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>"), NULL, NULL),
           "!t.xlsx:1: неверная ссылка на ячейку «XFE1»");
    EXPECT(run_book(SHEET("<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>"), NULL, NULL),
           "!t.xlsx:1: неверная ссылка на ячейку «1A»");
    EXPECT(run_book(SHEET("<row r=\"1\"><c r=\"ABCD1\"><v>1</v></c></row>"), NULL, NULL),
           "!t.xlsx:1: неверная ссылка на ячейку «ABCD1»");
    EXPECT(
        run_book(SHEET("<row r=\"1\"><c r=\"XFD1\"><v>1</v></c><c><v>2</v></c></row>"), NULL, NULL),
        "!t.xlsx:1: в строке больше 16384 столбцов");
    EXPECT(run_book(SHEET("<row r=\"3\"/><row r=\"2\"/>"), NULL, NULL),
           "1:\n2:\n3:\n!t.xlsx:2: строка 2 записана после строки 3: строки листа не по порядку");
    EXPECT(run_book(SHEET("<row r=\"1\"/><row r=\"abc\"/>"), NULL, NULL),
           "1:\n!t.xlsx: неверный номер строки «abc»");
    EXPECT(run_book(SHEET("<row r=\"0\"/>"), NULL, NULL), "!t.xlsx: неверный номер строки «0»");
    EXPECT(run_book(SHEET("<row r=\"1048577\"/>"), NULL, NULL),
           "!t.xlsx: неверный номер строки «1048577»");
    EXPECT(run_book(XMLDECL "<!DOCTYPE lol [<!ENTITY lol \"lol\"><!ENTITY lol2 "
                            "\"&lol;&lol;&lol;&lol;\">]><worksheet><sheetData><row><c "
                            "t=\"inlineStr\"><is><t>&lol2;</t></is></c></row></sheetData>"
                            "</worksheet>",
                    NULL, NULL),
           "!t.xlsx: часть xl/worksheets/sheet1.xml книги содержит объявление DOCTYPE: такие "
           "файлы не читаются");
}

/* The last column and the last row Excel has. */
static void test_sheet_edges(void **state)
{
    tbl_reader *r = NULL;
    msk_err e;
    part p[8];
    size_t len;
    size_t n = book_parts(p, NULL,
                          SHEET("<row r=\"1\"><c r=\"XFD1\" t=\"inlineStr\"><is><t>край</t>"
                                "</is></c></row><row r=\"1048576\"><c r=\"A1048576\"><v>1</v>"
                                "</c></row><row/>"),
                          NULL, NULL);
    unsigned char *z = zip_build(p, n, &len);
    assert_int_equal(xlsx_open_mem("t.xlsx", z, len, NULL, &r, &e), 0);
    assert_int_equal(tbl_next(r, &e), 1);
    assert_int_equal(r->ncells, XLSX_MAX_COLS);
    assert_string_equal(r->cells[0], "");
    assert_string_equal(r->cells[XLSX_MAX_COLS - 1], "край");
    int64_t rows = 1;
    int rc;
    while ((rc = tbl_next(r, &e)) == 1) {
        rows++;
        assert_int_equal(r->row, rows);
        assert_int_equal(r->ncells, rows == XLSX_MAX_ROWS ? 1 : 0);
    }
    assert_int_equal(rc, -1);
    assert_int_equal(rows, XLSX_MAX_ROWS);
    assert_string_equal(e.msg, "в листе больше 1048576 строк");
    assert_int_equal(e.row, 1048577);
    tbl_free(r);
    free(z);
}

/* ---- size limits ---------------------------------------------------------------------------- */

static char *repeat(char c, size_t n)
{
    char *s = msk_malloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static void test_cell_limits(void **state)
{
    msk_buf xml, want;
    char *big = repeat('a', XLSX_MAX_CELL);
    msk_buf_init(&xml, 0);
    msk_buf_init(&want, 0);

    /* exactly 1 MiB reads; one byte more does not */
    msk_buf_printf(&xml, SHEET("<row r=\"1\"><c t=\"inlineStr\"><is><t>%s</t></is></c></row>"),
                   big);
    msk_buf_printf(&want, "1:%s\n", big);
    EXPECT(run_book(xml.data, NULL, NULL), want.data);
    msk_buf_reset(&xml);
    msk_buf_printf(&xml, SHEET("<row r=\"1\"><c/><c t=\"inlineStr\"><is><t>%sb</t></is></c></row>"),
                   big);
    EXPECT(run_book(xml.data, NULL, NULL), "!t.xlsx:1:2: значение ячейки длиннее 1 МиБ");

    /* a shared string over 1 MiB is refused when the table is loaded */
    msk_buf_reset(&xml);
    msk_buf_printf(&xml, SST("<si><t>%sb</t></si>"), big);
    EXPECT(run_book(SHEET(""), xml.data, NULL), "!t.xlsx: общая строка №1 длиннее 1 МиБ");

    /* one 1 MiB shared string used 65 times makes a 65 MiB row */
    msk_buf_reset(&xml);
    msk_buf_printf(&xml, SST("<si><t>%s</t></si>"), big);
    msk_buf_reset(&want);
    msk_buf_puts(&want, SHEET_OPEN_ROW);
    for (int i = 0; i < 65; i++)
        msk_buf_puts(&want, "<c t=\"s\"><v>0</v></c>");
    msk_buf_puts(&want, "</row></sheetData></worksheet>");
    EXPECT(run_book(want.data, xml.data, NULL), "!t.xlsx:1:65: строка листа длиннее 64 МиБ");

    msk_buf_release(&xml);
    msk_buf_release(&want);
    free(big);
}

/* A part made on the fly by libzip: head, then unit repeated, then tail. */
typedef struct gen {
    const char *head, *unit, *tail;
    uint64_t units, pos;
    zip_error_t ze;
} gen;

static zip_int64_t gen_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
    gen *g = ud;
    uint64_t hl = strlen(g->head), ul = strlen(g->unit), tl = strlen(g->tail);
    uint64_t total = hl + g->units * ul + tl;
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        g->pos = 0;
        return 0;
    case ZIP_SOURCE_READ: {
        char *out = data;
        uint64_t n = 0;
        while (n < len && g->pos < total) {
            uint64_t at = g->pos;
            if (at < hl) {
                out[n++] = g->head[at];
                g->pos++;
            } else if (at < hl + g->units * ul) {
                uint64_t k = (at - hl) % ul;
                uint64_t m = ul - k;
                if (m > len - n)
                    m = len - n;
                if (m > hl + g->units * ul - at)
                    m = hl + g->units * ul - at;
                memcpy(out + n, g->unit + k, m);
                n += m;
                g->pos += m;
            } else {
                out[n++] = g->tail[at - hl - g->units * ul];
                g->pos++;
            }
        }
        return (zip_int64_t)n;
    }
    case ZIP_SOURCE_CLOSE:
    case ZIP_SOURCE_FREE:
        return 0;
    case ZIP_SOURCE_STAT: {
        zip_stat_t *st = data;
        zip_stat_init(st);
        st->size = total;
        st->valid |= ZIP_STAT_SIZE;
        return sizeof *st;
    }
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&g->ze, data, len);
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                              ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
                                              -1);
    default:
        zip_error_set(&g->ze, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}

/* A workbook whose part `name` is generated by g, written to path. */
static void write_generated(const char *path, const char *name, gen *g, const char *sheet)
{
    part p[8];
    size_t n = book_parts(p, NULL, sheet, NULL, NULL);
    int err = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(z);
    for (size_t i = 0; i < n; i++)
        assert_true(zip_file_add(z, p[i].name,
                                 zip_source_buffer(z, p[i].data, strlen(p[i].data), 0), 0) >= 0);
    zip_error_init(&g->ze);
    zip_int64_t idx = zip_file_add(z, name, zip_source_function(z, gen_cb, g), 0);
    assert_true(idx >= 0);
    zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 1);
    assert_int_equal(zip_close(z), 0);
    zip_error_fini(&g->ze);
}

/* Zip bombs: a small file that inflates past the caps is refused, not read into memory. */
static void test_sst_bomb(void **state)
{
    /* 70000 shared strings of 4000 bytes: 280 MB of XML, a few hundred KB zipped */
    static char unit[4100];
    char *a = repeat('a', 4000);
    snprintf(unit, sizeof unit, "<si><t>%s</t></si>", a);
    free(a);
    gen g = {.head = XMLDECL "<sst " NS ">", .unit = unit, .tail = "</sst>", .units = 70000};
    const char *p = tmp_path("sst-bomb.xlsx");
    write_generated(p, "xl/sharedStrings.xml", &g, SHEET(""));
    /* refused by the ratio in its first megabytes, long before the table's cap */
    expect_open_error_prefix(p, "файл повреждён или слишком велик после распаковки: часть "
                                "xl/sharedStrings.xml книги сжата больше чем в 100 раз");
    remove(p);
}

/* A table over 32 MiB that is not a bomb (stored, ratio 1) is refused by the table's cap. */
static void test_sst_cap(void **state)
{
    enum { STRINGS = 40, LEN = 900000 };
    msk_buf b;
    part p[8];
    msk_buf_init(&b, 0);
    msk_buf_puts(&b, XMLDECL "<sst " NS ">");
    for (int i = 0; i < STRINGS; i++) {
        msk_buf_puts(&b, "<si><t>");
        for (int k = 0; k < LEN; k++)
            msk_buf_putc(&b, (char)('a' + (k * 7 + i) % 26));
        msk_buf_puts(&b, "</t></si>");
    }
    msk_buf_puts(&b, "</sst>");
    size_t n = book_parts(p, NULL, SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"),
                          b.data, NULL);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(p[i].name, "xl/sharedStrings.xml"))
            p[i].store = 1;
    size_t len;
    unsigned char *z = zip_build(p, n, &len);
    const char *path = tmp_path("sst-cap.xlsx");
    write_file(path, z, len);
    expect_open_error(path, NULL,
                      "таблица общих строк больше 32 МиБ: файл повреждён или слишком велик после "
                      "распаковки; разбейте данные на несколько файлов");
    /* under the cap it reads */
    msk_buf_truncate(&b, strlen(XMLDECL "<sst " NS ">") + 10 * (LEN + 16));
    msk_buf_puts(&b, "</sst>");
    for (size_t i = 0; i < n; i++)
        if (!strcmp(p[i].name, "xl/sharedStrings.xml"))
            p[i].data = b.data;
    free(z);
    z = zip_build(p, n, &len);
    write_file(path, z, len);
    tbl_reader *r = NULL;
    msk_err e;
    assert_int_equal(xlsx_open(path, NULL, &r, &e), 0);
    assert_int_equal(tbl_next(r, &e), 1);
    assert_int_equal(strlen(r->cells[0]), LEN);
    tbl_free(r);
    free(z);
    msk_buf_release(&b);
    remove(path);
}

/* A hand-made zip for the 2 GiB bomb: letting zlib compress 2 GiB would take seconds, but a
 * run of one byte is simply "literal, then copy 258 bytes from distance 1" again and again,
 * which a fixed-Huffman deflate block says in 13 bits. */
typedef struct bits {
    msk_buf out;
    uint32_t acc;
    int nacc;
} bits;

static void put_bits(bits *b, uint32_t v, int n) /* deflate packs bits LSB first */
{
    b->acc |= v << b->nacc;
    b->nacc += n;
    while (b->nacc >= 8) {
        msk_buf_putc(&b->out, (char)(b->acc & 0xFF));
        b->acc >>= 8;
        b->nacc -= 8;
    }
}

static void put_code(bits *b, uint32_t code, int len) /* Huffman codes go MSB first */
{
    uint32_t r = 0;
    for (int i = 0; i < len; i++)
        r |= ((code >> i) & 1u) << (len - 1 - i);
    put_bits(b, r, len);
}

static void put_literal(bits *b, unsigned v) /* the fixed code of RFC 1951 §3.2.6 */
{
    if (v < 144)
        put_code(b, 0x30 + v, 8);
    else if (v < 256)
        put_code(b, 0x190 + v - 144, 9);
    else if (v < 280)
        put_code(b, v - 256, 7);
    else
        put_code(b, 0xC0 + v - 280, 8);
}

/* Distance d (1..32768) in the fixed code: 5-bit code, then extra bits. */
static void put_distance(bits *b, uint32_t d)
{
    static const uint32_t base[30] = {
        1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,   65,    97,    129,
        193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    uint32_t code = 29;
    while (base[code] > d)
        code--;
    put_code(b, code, 5);
    int extra = code < 4 ? 0 : (int)(code / 2 - 1);
    if (extra)
        put_bits(b, d - base[code], extra);
}

/* Raw deflate of head, then `units` copies of unit (at most 32768 bytes), then tail: the first
 * copy as literals, the rest as copies of 258 bytes from one unit back. */
static void deflate_run(msk_buf *out, const char *head, const char *unit, uint64_t units,
                        const char *tail)
{
    bits b = {.acc = 0, .nacc = 0};
    uint64_t ul = strlen(unit), left = units * ul - ul, i = 0;
    msk_buf_init(&b.out, 0);
    put_bits(&b, 1, 1); /* final block */
    put_bits(&b, 1, 2); /* fixed Huffman codes */
    for (const char *p = head; *p; p++)
        put_literal(&b, (unsigned char)*p);
    for (const char *p = unit; *p; p++)
        put_literal(&b, (unsigned char)*p);
    for (; left >= 258; left -= 258, i += 258) {
        put_literal(&b, 285); /* length 258 */
        put_distance(&b, (uint32_t)ul);
    }
    for (; left; left--, i++)
        put_literal(&b, (unsigned char)unit[i % ul]);
    for (const char *p = tail; *p; p++)
        put_literal(&b, (unsigned char)*p);
    put_literal(&b, 256); /* end of block */
    put_bits(&b, 0, 7);   /* flush */
    *out = b.out;
}

static uLong crc_run(const char *unit, uint64_t n) /* CRC-32 of n copies of unit, by doubling */
{
    uint64_t ul = strlen(unit);
    uLong piece = crc32(0, (const Bytef *)unit, (uInt)ul), res = crc32(0, Z_NULL, 0);
    for (uint64_t len = ul; n; n >>= 1, len <<= 1) {
        if (n & 1)
            res = crc32_combine(res, piece, (z_off_t)len);
        piece = crc32_combine(piece, piece, (z_off_t)len);
    }
    return res;
}

typedef struct zentry {
    const char *name;
    const void *data; /* stored bytes, or raw deflate when deflated */
    uint32_t csize, usize, crc;
    int method; /* 0 stored, 8 deflated, anything else to test refusal */
} zentry;

static void le(msk_buf *b, uint32_t v, int n)
{
    for (int i = 0; i < n; i++)
        msk_buf_putc(b, (char)((v >> (8 * i)) & 0xFF));
}

static void zip_by_hand(const char *path, zentry *e, size_t n)
{
    msk_buf z, cd;
    uint32_t *at = msk_calloc(n, sizeof *at);
    msk_buf_init(&z, 0);
    msk_buf_init(&cd, 0);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            msk_buf *b = pass ? &cd : &z;
            uint32_t nl = (uint32_t)strlen(e[i].name);
            if (!pass)
                at[i] = (uint32_t)z.len;
            le(b, pass ? 0x02014b50 : 0x04034b50, 4);
            if (pass)
                le(b, 20, 2); /* made by */
            le(b, 20, 2);     /* needed */
            le(b, 0x0800, 2); /* UTF-8 names */
            le(b, (uint32_t)e[i].method, 2);
            le(b, 0, 2);    /* time */
            le(b, 0x21, 2); /* 1980-01-01 */
            le(b, e[i].crc, 4);
            le(b, e[i].csize, 4);
            le(b, e[i].usize, 4);
            le(b, nl, 2);
            le(b, 0, 2); /* extra */
            if (pass) {
                le(b, 0, 2); /* comment */
                le(b, 0, 2); /* disk */
                le(b, 0, 2); /* internal attributes */
                le(b, 0, 4); /* external attributes */
                le(b, at[i], 4);
            }
            msk_buf_add(b, e[i].name, nl);
            if (!pass)
                msk_buf_add(b, e[i].data, e[i].csize);
        }
    }
    uint32_t cdat = (uint32_t)z.len;
    msk_buf_add(&z, cd.data, cd.len);
    le(&z, 0x06054b50, 4);
    le(&z, 0, 4);
    le(&z, (uint32_t)n, 2);
    le(&z, (uint32_t)n, 2);
    le(&z, (uint32_t)cd.len, 4);
    le(&z, cdat, 4);
    le(&z, 0, 2);
    write_file(path, z.data, z.len);
    msk_buf_release(&z);
    msk_buf_release(&cd);
    free(at);
}

/* A one-sheet workbook whose sheet is head, `units` copies of unit and tail, zipped by hand. */
static void write_run_book(const char *path, const char *head, const char *unit, uint64_t units,
                           const char *tail)
{
    part p[8];
    zentry e[8];
    size_t n = book_parts(p, NULL, NULL, NULL, NULL);
    for (size_t i = 0; i < n; i++) {
        uint32_t len = (uint32_t)strlen(p[i].data);
        e[i] = (zentry){
            p[i].name, p[i].data, len, len, (uint32_t)crc32(0, (const Bytef *)p[i].data, len), 0};
    }
    msk_buf d;
    uint64_t hl = strlen(head), rl = units * strlen(unit), tl = strlen(tail);
    deflate_run(&d, head, unit, units, tail);
    uLong crc = crc32(0, (const Bytef *)head, (uInt)hl);
    crc = crc32_combine(crc, crc_run(unit, units), (z_off_t)rl);
    crc = crc32_combine(crc, crc32(0, (const Bytef *)tail, (uInt)tl), (z_off_t)tl);
    e[n++] = (zentry){"xl/worksheets/sheet1.xml", d.data,        (uint32_t)d.len,
                      (uint32_t)(hl + rl + tl),   (uint32_t)crc, 8};
    zip_by_hand(path, e, n);
    msk_buf_release(&d);
}

static void test_part_bomb(void **state)
{
    static const char head[] = XMLDECL "<worksheet " NS "><sheetData><row><c><v>1</v></c></row>";
    static const char tail[] = "</sheetData></worksheet>";
    const char *path = tmp_path("sheet-bomb.xlsx");
    tbl_reader *r = NULL;
    msk_err e;

    /* the hand-made zip is a sound one: small runs read to the end, CRC checked */
    write_run_book(path, head, "\n", 1000000, tail);
    assert_int_equal(xlsx_open(path, NULL, &r, &e), 0);
    EXPECT(dump(r), "1:1\n");
    tbl_free(r);
    write_run_book(path, head, "<row/>", 100000, tail);
    assert_int_equal(xlsx_open(path, NULL, &r, &e), 0);
    char *got = dump(r);
    size_t want = strlen("1:1\n");
    for (int row = 2; row <= 100001; row++)
        want += (size_t)snprintf(NULL, 0, "%d:\n", row);
    assert_int_equal(strlen(got), want);
    assert_non_null(strstr(got, "\n100001:\n"));
    free(got);
    tbl_free(r);

    /* a sheet of 2 GiB of line breaks, 13 MB zipped (160:1): refused by the ratio once 8 MiB
     * are out; so is 20 MiB, under every absolute cap */
    static const char ratio[] = "файл повреждён или слишком велик после распаковки: часть "
                                "xl/worksheets/sheet1.xml книги сжата больше чем в 100 раз";
    write_run_book(path, head, "\n", ((uint64_t)2 << 30) + 1, tail);
    expect_open_error_prefix(path, ratio);
    write_run_book(path, head, "\n", (uint64_t)20 << 20, tail);
    expect_open_error_prefix(path, ratio);
    /* 7 MB of literals first keep the ratio under 100: the absolute cap refuses it */
    char *pad = repeat('b', 7000000);
    msk_buf h;
    msk_buf_init(&h, 0);
    msk_buf_printf(&h, "%s<!--%s-->", head, pad);
    write_run_book(path, h.data, "\n", (uint64_t)600 << 20, tail);
    expect_open_error(path, NULL,
                      "файл повреждён или слишком велик после распаковки: часть "
                      "xl/worksheets/sheet1.xml книги распаковывается больше чем в 512 МиБ "
                      "(zip-бомба?); разбейте данные на несколько файлов");
    msk_buf_release(&h);
    free(pad);
    remove(path);
}

static char *run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    msk_buf b;
    char chunk[65536];
    size_t n;
    msk_buf_init(&b, 0);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        msk_buf_add(&b, chunk, n);
    fclose(f);
    char *s = run_mem(b.data, b.len, NULL);
    msk_buf_release(&b);
    return s;
}

/* Parts libzip cannot open: an unknown compression method (6 is PKWARE's "implode"). */
static void test_unreadable_parts(void **state)
{
    part p[8];
    zentry e[8];
    size_t n = book_parts(p, NULL, SHEET("<row><c><v>1</v></c></row>"), NULL, NULL);
    for (size_t i = 0; i < n; i++) {
        uint32_t len = (uint32_t)strlen(p[i].data);
        e[i] = (zentry){
            p[i].name, p[i].data, len, len, (uint32_t)crc32(0, (const Bytef *)p[i].data, len), 0};
    }
    const char *path = tmp_path("implode.xlsx");
    e[4].method = 6;
    zip_by_hand(path, e, n);
    EXPECT(run_file(path), "!t.xlsx: не удалось открыть часть xl/worksheets/sheet1.xml книги: "
                           "Compression method not supported (файл повреждён или защищён "
                           "паролем)");
    e[4].method = 0;
    e[2].method = 6;
    zip_by_hand(path, e, n);
    EXPECT(run_file(path), "!t.xlsx: не удалось открыть часть xl/workbook.xml книги: "
                           "Compression method not supported (файл повреждён или защищён "
                           "паролем)");
    e[2].method = 0;
    zip_by_hand(path, e, n);
    EXPECT(run_file(path), "1:1\n");

    /* a path through a regular file */
    char through[300];
    snprintf(through, sizeof through, "%s/sheet.xlsx", path);
    expect_open_error(through, NULL, "не удалось открыть файл: Not a directory");
    remove(path);
}

/* Expat keeps a tag or a comment whole until its end, and a record per open element: each of
 * these would take gigabytes once unzipped if its memory were not capped. */
static void test_xml_bombs(void **state)
{
    static const char want[] = "!t.xlsx: разбор части xl/worksheets/sheet1.xml книги требует "
                               "больше 8 МиБ памяти: файл повреждён или построен как XML-бомба";
    const char *path = tmp_path("xml-bomb.xlsx");
    /* 400 KB written as literals before each bomb keep its ratio under 100 over the first
     * 8 MiB, so that the memory cap, not the ratio cap, is what refuses it */
    char *pad = repeat('b', 400000);
    msk_buf h;
    msk_buf_init(&h, 0);
    msk_buf_printf(&h, XMLDECL "<worksheet><!--%s--><sheetData><row r=\"1\" x=\"", pad);
    write_run_book(path, h.data, "a", 100u << 20, "\"/></sheetData></worksheet>");
    EXPECT(run_file(path), want);
    msk_buf_reset(&h);
    msk_buf_printf(&h, XMLDECL "<worksheet><!--%s--><sheetData><!--", pad);
    write_run_book(path, h.data, "<row>", 20u << 20, "--></sheetData></worksheet>");
    EXPECT(run_file(path), want);
    msk_buf_reset(&h);
    msk_buf_printf(&h, XMLDECL "<worksheet><!--%s--><sheetData><row><c><v>1</v></c></row>", pad);
    write_run_book(path, h.data, "<a>", 3000000, "");
    msk_buf_release(&h);
    free(pad);
    char rows_then_error[512];
    snprintf(rows_then_error, sizeof rows_then_error, "1:1\n%s", want);
    EXPECT(run_file(path), rows_then_error);
    remove(path);
}

/* Merged header cells share their text; what is kept for them is capped. */
static void test_merge_budget(void **state)
{
    msk_buf sheet, sst;
    char *big = repeat('m', XLSX_MAX_CELL);
    part p[8];
    size_t len;
    tbl_reader *r = NULL;
    msk_err e;
    msk_buf_init(&sheet, 0);
    msk_buf_init(&sst, 0);
    msk_buf_printf(&sst, SST("<si><t>%s</t></si>"), big);
    msk_buf_puts(&sheet, SHEET_OPEN_ROW);
    for (int i = 0; i < 20; i++)
        msk_buf_puts(&sheet, "<c t=\"s\"><v>0</v></c>");
    msk_buf_puts(&sheet, "</row><row r=\"2\"/></sheetData><mergeCells>");
    for (int i = 0; i < 20; i++)
        msk_buf_printf(&sheet, "<mergeCell ref=\"%c1:%c2\"/>", 'A' + i, 'A' + i);
    msk_buf_puts(&sheet, "</mergeCells></worksheet>");
    unsigned char *z = zip_build(p, book_parts(p, NULL, sheet.data, sst.data, NULL), &len);
    assert_int_equal(xlsx_open_mem("t.xlsx", z, len, NULL, &r, &e), 0);
    assert_int_equal(tbl_next(r, &e), 1);
    assert_int_equal(r->ncells, 20);
    assert_int_equal(tbl_next(r, &e), 1);
    assert_int_equal(r->row, 2);
    /* 16 MiB hold 15 texts of 1 MiB and their NULs */
    assert_int_equal(r->ncells, 15);
    assert_string_equal(r->cells[14], big);
    assert_int_equal(tbl_next(r, &e), 0);
    tbl_free(r);
    free(z);
    free(big);
    msk_buf_release(&sheet);
    msk_buf_release(&sst);
}

/* ---- the sheet scanner -------------------------------------------------------------------- */

/* XML that spreadsheet writers rarely produce but is well-formed: run_mem reads each with the
 * scanner, with expat and with chunk boundaries at every byte. */
static void test_scanner_syntax(void **state)
{
    /* CDATA as text, comments and PIs inside sheetData and cells */
    EXPECT(run_book(SHEET("<!-- before --><?pi x?><row r=\"1\"><!--c--><c r=\"A1\" "
                          "t=\"inlineStr\"><is><t>a<![CDATA[<b>&amp;]]>c</t></is></c>"
                          "<c r=\"B1\"><v><![CDATA[12.50]]></v></c><?x?></row><!---->"),
                    NULL, NULL),
           "1:a<b>&amp;c|12.5\n");
    /* references in text and in attribute values */
    EXPECT(run_book(SHEET("<row r=\"&#49;\"><c r=\"&#x41;1\" t=\"inline&#83;tr\"><is><t>&lt;&gt;"
                          "&amp;&quot;&apos;&#1025;&#x1F600;&#x9;</t></is></c>"
                          "<c r=\"B1\" t=\"&#x73;\"><v>&#48;</v></c></row>"),
                    SST("<si><t>с</t></si>"), NULL),
           "1:<>&\"'Ё\xF0\x9F\x98\x80\t|с\n");
    /* prefixes, single quotes, spaces around '=', attributes in any order, self-closing */
    EXPECT(run_book(XMLDECL "<x:worksheet xmlns:x='u'><x:sheetData><x:row r = '1' spans='1:2'>"
                            "<x:c s='0' t = 'inlineStr'\n r='B1'><x:is><x:t>б</x:t></x:is></x:c>"
                            "<x:c r='C1' s='1'/><x:c r=\"D1\"><x:v>4</x:v></x:c></x:row>"
                            "<x:row r='3'/><x:row/></x:sheetData></x:worksheet>",
                    NULL, NULL),
           "1:|б||4\n2:\n3:\n4:\n");
    /* line ends: CR LF and CR read as LF in text, as spaces in attributes */
    EXPECT(run_book(SHEET("<row>\r\n<c t=\"inlineStr\"><is><t>a\r\nb\rc</t></is></c>"
                          "<c t=\"str\"><v>x&#13;y</v></c></row>"),
                    NULL, NULL),
           "1:a\nb\nc|x\ry\n");
    /* a byte order mark, no declaration, white space after the root */
    EXPECT(run_book("\xEF\xBB\xBF<worksheet><sheetData><row><c><v>1</v></c></row></sheetData>"
                    "</worksheet>\n\n<!-- end -->\n",
                    NULL, NULL),
           "1:1\n");
    /* a sheet in another encoding goes to expat */
    EXPECT(run_book("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><worksheet><sheetData><row>"
                    "<c t=\"inlineStr\"><is><t>caf\xE9</t></is></c></row></sheetData></worksheet>",
                    NULL, NULL),
           "1:caf\xC3\xA9\n");
    /* elements the reader does not know are looked through; text outside <v> and <t> is
     * ignored */
    EXPECT(run_book(SHEET("<row r=\"2\" x:y=\"1\"><ext><c><v>9</v></c></ext>text<c><f>A1+1</f>"
                          "<v>2</v><extLst><v>7</v></extLst></c></row>"),
                    NULL, NULL),
           "1:\n2:9|27\n");
    /* names beyond ASCII */
    EXPECT(run_book(SHEET("<row ёж:r=\"2\"><ёлка/><c><v>1</v></c></row>"), NULL, NULL),
           "1:\n2:1\n");
}

/* Malformed sheets: both parsers refuse them; the scanner's messages name the line. */
static void test_scanner_errors(void **state)
{
#define BROKEN(xml, msg)                                                                           \
    EXPECT(run_book(XMLDECL xml, NULL, NULL),                                                      \
           "!t.xlsx: повреждённый XML в части xl/worksheets/sheet1.xml книги " msg)
    BROKEN("<worksheet><sheetData><row r=\"1<\"/></sheetData></worksheet>",
           "(строка 2, позиция 32): not well-formed (invalid token)");
    BROKEN("<worksheet><sheetData><row><c><v>&bad;</v></c></row></sheetData></worksheet>",
           "(строка 2, позиция 34): undefined entity");
    BROKEN("<worksheet><sheetData><row><c><v>&#0;</v></c></row></sheetData></worksheet>",
           "(строка 2, позиция 34): reference to invalid character number");
    BROKEN("<worksheet><sheetData><row><c><v>a & b</v></c></row></sheetData></worksheet>",
           "(строка 2, позиция 36): not well-formed (invalid token)");
    BROKEN("<worksheet><sheetData>\n<row><c><v>1</c></row></sheetData></worksheet>",
           "(строка 3, позиция 15): mismatched tag");
    BROKEN("<worksheet><sheetData><row r=\"1\" r=\"2\"/></sheetData></worksheet>",
           "(строка 2, позиция 24): duplicate attribute");
    BROKEN("<worksheet><sheetData><row a=\"1\"b=\"2\"/></sheetData></worksheet>",
           "(строка 2, позиция 33): not well-formed (invalid token)");
    EXPECT(run_book(XMLDECL "<worksheet><sheetData><row><c><v>1</v></c></row></sheetData>"
                            "</worksheet><x/>",
                    NULL, NULL),
           "1:1\n!t.xlsx: повреждённый XML в части xl/worksheets/sheet1.xml книги (строка 2, "
           "позиция 73): junk after document element");
    BROKEN("<worksheet><sheetData><row><c><v>1]]>2</v></c></row></sheetData></worksheet>",
           "(строка 2, позиция 35): not well-formed (invalid token)");
    BROKEN("<worksheet><sheetData><row><c><v>\x01</v></c></row></sheetData></worksheet>",
           "(строка 2, позиция 34): not well-formed (invalid token)");
    BROKEN("<worksheet><sheetData><row><c><v>\xC3(</v></c></row></sheetData></worksheet>",
           "(строка 2, позиция 34): not well-formed (invalid token)");
    BROKEN("<worksheet><sheetData><!-- a -- b --></sheetData></worksheet>",
           "(строка 2, позиция 30): not well-formed (invalid token)");
    BROKEN("<worksheet><sheetData><row><c", "(строка 2, позиция 28): unclosed token");
    BROKEN("<worksheet><sheetData><?xml version=\"1.0\"?></sheetData></worksheet>",
           "(строка 2, позиция 23): XML or text declaration not at start of entity");
    BROKEN("", "(строка 2, позиция 1): no element found");
    /* names beyond ASCII follow expat's tables: U+0400 and U+0132 are not name characters */
    BROKEN("<worksheet><sheetData><row><a\xD0\x80/></row></sheetData></worksheet>",
           "(строка 2, позиция 29): not well-formed (invalid token)");
    BROKEN("<worksheet><sheetData><row x\xC4\xB2=\"1\"/></sheetData></worksheet>",
           "(строка 2, позиция 28): not well-formed (invalid token)");
#undef BROKEN
    /* the first row is read before the error in the second */
    EXPECT(run_book(SHEET("<row><c><v>1</v></c></row><row><c a='<'/></row>"), NULL, NULL),
           "1:1\n!t.xlsx: повреждённый XML в части xl/worksheets/sheet1.xml книги (строка 2, "
           "позиция 204): not well-formed (invalid token)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xlsxwriter_book),
        cmocka_unit_test(test_partial_read),
        cmocka_unit_test(test_inline_and_typed_cells),
        cmocka_unit_test(test_shared_strings),
        cmocka_unit_test(test_rows_without_r),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_prefixed_namespace),
        cmocka_unit_test(test_merges),
        cmocka_unit_test(test_merge_across_chunks),
        cmocka_unit_test(test_not_a_workbook),
        cmocka_unit_test(test_no_root_rels),
        cmocka_unit_test(test_sheets),
        cmocka_unit_test(test_broken_parts),
        cmocka_unit_test(test_read_errors),
        cmocka_unit_test(test_sheet_edges),
        cmocka_unit_test(test_cell_limits),
        cmocka_unit_test(test_sst_bomb),
        cmocka_unit_test(test_sst_cap),
        cmocka_unit_test(test_escaped_nul),
        cmocka_unit_test(test_part_bomb),
        cmocka_unit_test(test_unreadable_parts),
        cmocka_unit_test(test_xml_bombs),
        cmocka_unit_test(test_merge_budget),
        cmocka_unit_test(test_scanner_syntax),
        cmocka_unit_test(test_scanner_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
