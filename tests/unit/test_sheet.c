/*
 * Unit tests of src/base/sheet.c: the formula rule for spreadsheet text (each dangerous first
 * character), RFC 4180 quoting (a quote, a «;», a newline), and in an XLSX written by the report
 * writer a negative number that stays a number beside the same text, neutralised.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/sheet.h"
#include "ingest/xlsx.h"
#include "report/doc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *csv(msk_buf *b, const char *s)
{
    msk_buf_reset(b);
    sheet_csv_text(b, s, ';');
    return b->data;
}

static void every_dangerous_prefix_is_neutralised(void **state)
{
    (void)state;
    msk_buf b;
    msk_buf_init(&b, 0);
    static const char *const bad[][2] = {
        {"=1+1", "'=1+1"},         {"+7 900 000", "'+7 900 000"},
        {"-5,2", "'-5,2"}, /* as text: a number cell is written as a number, not through here */
        {"@SUM(A1)", "'@SUM(A1)"}, {"\tx", "'\tx"},
        {"\rx", "\"'\rx\""}, /* a CR also needs quotes */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_true(sheet_risky(bad[i][0]));
        assert_string_equal(csv(&b, bad[i][0]), bad[i][1]);
    }
    assert_string_equal(sheet_text("=HYPERLINK(\"http://x\")", &b), "'=HYPERLINK(\"http://x\")");
    assert_string_equal(sheet_text("-1", &b), "'-1");
    /* safe text is untouched, not even copied */
    const char *safe = "МБОУ СОШ № 1";
    assert_ptr_equal(sheet_text(safe, &b), safe);
    assert_false(sheet_risky("5,2"));
    assert_false(sheet_risky("−5,2")); /* U+2212, the minus fmt_num writes: not a formula */
    assert_false(sheet_risky(""));
    assert_false(sheet_risky(NULL));
    assert_string_equal(sheet_text(NULL, &b), "");
    msk_buf_release(&b);
}

static void csv_quotes_per_rfc4180(void **state)
{
    (void)state;
    msk_buf b;
    msk_buf_init(&b, 0);
    assert_string_equal(csv(&b, "plain"), "plain");
    assert_string_equal(csv(&b, "Школа \"Радуга\""), "\"Школа \"\"Радуга\"\"\"");
    assert_string_equal(csv(&b, "a;b"), "\"a;b\"");
    assert_string_equal(csv(&b, "two\nlines"), "\"two\nlines\"");
    assert_string_equal(csv(&b, "=HYPERLINK(\"http://evil\";\"x\")"),
                        "\"'=HYPERLINK(\"\"http://evil\"\";\"\"x\"\")\"");
    assert_string_equal(csv(&b, NULL), "");
    /* another separator: «,» quotes, «;» does not */
    msk_buf_reset(&b);
    sheet_csv_text(&b, "a,b;c", ',');
    assert_string_equal(b.data, "\"a,b;c\"");
    msk_buf_release(&b);
}

static void xlsx_numbers_stay_numbers(void **state)
{
    (void)state;
    doc *d = doc_new();
    doc_table *t = doc_table_new(d, "Проверка", 3, NULL);
    doc_table_col(t, 0, DOC_TEXT, 2, 0);
    doc_table_col(t, 1, DOC_NUM, 1, 1);
    doc_table_col(t, 2, DOC_TEXT, 1, 0);
    const char *hdr[] = {"Школа", "Разность", "Текст"};
    doc_table_header(t, hdr);
    doc_table_row(t, 0);
    doc_cell_text(t, "=HYPERLINK(\"http://evil\";\"x\")");
    doc_cell_num(t, -5.2);
    doc_cell_text(t, "-5,2");
    char path[] = "/tmp/test_sheet_XXXXXX.xlsx";
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    close(fd);
    msk_err e;
    msk_err_clear(&e);
    assert_int_equal(doc_xlsx(d, path, &e), 0);
    tbl_reader *r = NULL;
    assert_int_equal(xlsx_open(path, "Таблица 1", &r, &e), 0);
    assert_int_equal(tbl_next(r, &e), 1); /* caption */
    assert_int_equal(tbl_next(r, &e), 1); /* header */
    assert_string_equal(r->cells[0], "Школа");
    assert_int_equal(tbl_next(r, &e), 1);
    assert_string_equal(r->cells[0], "'=HYPERLINK(\"http://evil\";\"x\")");
    assert_string_equal(r->cells[1], "-5.2"); /* a number cell, as written */
    assert_string_equal(r->cells[2], "'-5,2");
    tbl_free(r);
    unlink(path);
    doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_dangerous_prefix_is_neutralised),
        cmocka_unit_test(csv_quotes_per_rfc4180),
        cmocka_unit_test(xlsx_numbers_stay_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
