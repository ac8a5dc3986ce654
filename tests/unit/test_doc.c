/*
 * Tests for report/doc: numbering of sections, tables and figures; the HTML renderer (escaped,
 * captions, repeated-header markup); the XLSX renderer read back with our own reader (numbers
 * stay numbers, shares fractions, captions and headers in place); the PDF renderer (a long table
 * breaks over pages, a failed write leaves no file).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/buf.h"
#include "ingest/xlsx.h"
#include "report/doc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static doc *sample(int rows)
{
    doc *d = doc_new();
    doc_title_page(d, "Управление образования <г. Энск>",
                   "Аналитическая справка по результатам "
                   "оценочных процедур 2023/2024 учебного года",
                   NULL, "г. Энск", "01.10.2024");
    doc_section(d, 1, "Общие сведения");
    doc_para(d, NULL, "В оценочных процедурах участвовали 30 школ & «гимназии».");
    doc_section(d, 2, "Участники");
    doc_table *t = doc_table_new(d, "Результаты ВПР по школам, 2024 год", 4, NULL);
    doc_table_col(t, 0, DOC_TEXT, 0, 0);
    doc_table_col(t, 1, DOC_INT, 0, 0);
    doc_table_col(t, 2, DOC_SHARE, 0, 1);
    doc_table_col(t, 3, DOC_NUM, 0, 2);
    const char *h[] = {"Школа", "Участников", "Доля «2»", "Средний балл"};
    doc_table_header(t, h);
    for (int i = 0; i < rows; i++) {
        char name[400];
        snprintf(name, sizeof name,
                 "МБОУ «Средняя общеобразовательная школа № %d с углублённым изучением "
                 "отдельных предметов имени героя»",
                 i + 1);
        doc_table_row(t, 0);
        doc_cell_text(t, name);
        doc_cell_num(t, 1000 + i);
        doc_cell_num(t, i == 3 ? NAN : 0.341 + i / 1000.0);
        doc_cell_num(t, 3.14159);
    }
    doc_table_row(t, 1);
    doc_cell_text(t, "Муниципалитет");
    doc_cell_num(t, 12345);
    doc_cell_num(t, 0.25);
    doc_cell_num(t, 3.5);
    doc_table_note(t, "— менее 5 участников");
    chart *c = chart_new(CHART_BARS, "Доля «2»");
    chart_bar(c, "A", 0.3, 0);
    chart_bar(c, "B", 0.1, 1);
    doc_figure(d, c, "Доля «2» по школам");
    doc_section(d, 1, "Рекомендации");
    doc_item(d, "Школа № 1.", "Провести анализ результатов.");
    doc_table *t2 = doc_table_new(d, "Вторая", 2, "Рейтинг: [топ]");
    const char *h2[] = {"A", "B"};
    doc_table_header(t2, h2);
    doc_table_row(t2, 0);
    doc_cell_text(t2, "x");
    doc_cell_text(t2, "y");
    return d;
}

static void test_numbering_and_html(void **state)
{
    (void)state;
    doc *d = sample(5);
    assert_int_equal(doc_figure_count(d), 1);
    msk_buf b;
    msk_buf_init(&b, 0);
    doc_html(d, &b);
    assert_non_null(strstr(b.data, "<h2 id=\"s1\">1 Общие сведения</h2>"));
    assert_non_null(strstr(b.data, "<h3 id=\"s1.1\">1.1 Участники</h3>"));
    assert_non_null(strstr(b.data, "<h2 id=\"s2\">2 Рекомендации</h2>"));
    assert_non_null(strstr(b.data, "<caption>Таблица 1 — Результаты ВПР"));
    assert_non_null(strstr(b.data, "<caption>Таблица 2 — Вторая"));
    assert_non_null(strstr(b.data, "<figcaption>Рисунок 1 — Доля «2» по школам"));
    assert_non_null(strstr(b.data, "<svg"));
    assert_non_null(strstr(b.data, "<thead>"));
    assert_non_null(strstr(b.data, "&lt;г. Энск&gt;"));
    assert_non_null(strstr(b.data, "30 школ &amp; «гимназии»"));
    assert_non_null(strstr(b.data, "<td class=\"n\">34,1\xC2\xA0%</td>"));
    assert_non_null(strstr(b.data, "<td class=\"n\">—</td>"));
    assert_non_null(strstr(b.data, "<tr class=\"total\">"));
    assert_non_null(strstr(b.data, "<li><strong>Школа № 1.</strong> Провести"));
    assert_non_null(strstr(b.data, "@page{size:A4;margin:20mm 10mm 20mm 20mm}"));
    msk_buf_release(&b);
    doc_free(d);
}

static void test_xlsx_read_back(void **state)
{
    (void)state;
    doc *d = sample(5);
    char path[] = "/tmp/test_doc_XXXXXX.xlsx";
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    close(fd);
    msk_err e;
    msk_err_clear(&e);
    assert_int_equal(doc_xlsx(d, path, &e), 0);
    tbl_reader *r = NULL;
    assert_int_equal(xlsx_open(path, "Таблица 1", &r, &e), 0);
    assert_int_equal(tbl_next(r, &e), 1);
    assert_string_equal(r->cells[0], "Таблица 1 — Результаты ВПР по школам, 2024 год");
    assert_int_equal(tbl_next(r, &e), 1);
    assert_string_equal(r->cells[2], "Доля «2»");
    assert_int_equal(tbl_next(r, &e), 1);
    assert_string_equal(r->cells[1], "1000");
    assert_string_equal(r->cells[2], "0.341");
    assert_string_equal(r->cells[3], "3.14159");
    for (int i = 0; i < 3; i++)
        assert_int_equal(tbl_next(r, &e), 1);
    assert_string_equal(r->cells[2], "—"); /* NAN: the «—» text, not a number */
    tbl_free(r);
    /* the sheet name given, cleaned of characters Excel refuses */
    assert_int_equal(xlsx_open(path, "Рейтинг топ", &r, &e), 0);
    tbl_free(r);
    assert_int_equal(xlsx_open(path, "Справка", &r, &e), 0);
    tbl_free(r);
    unlink(path);
    doc_free(d);
}

static void test_pdf_pages_and_errors(void **state)
{
    (void)state;
    doc *d = sample(120);
    char path[] = "/tmp/test_doc_XXXXXX.pdf";
    int fd = mkstemps(path, 4);
    assert_true(fd >= 0);
    close(fd);
    msk_err e;
    msk_err_clear(&e);
    int pages = 0;
    assert_int_equal(doc_pdf(d, path, &pages, &e), 0);
    assert_true(pages >= 5); /* title + a 120-row table of two-line names */
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char head[5] = {0};
    assert_int_equal(fread(head, 1, 4, f), 4);
    fclose(f);
    assert_string_equal(head, "%PDF");
    unlink(path);
    const char *keep = getenv("DOC_PDF_OUT"); /* a copy to look at */
    if (keep)
        assert_int_equal(doc_pdf(d, keep, NULL, &e), 0);
    assert_int_equal(doc_pdf(d, "/nonexistent-dir/x.pdf", &pages, &e), -1);
    assert_non_null(strstr(e.msg, "не удалось создать файл PDF"));
    assert_string_equal(e.file, "/nonexistent-dir/x.pdf");
    struct stat st;
    assert_int_equal(stat("/nonexistent-dir/x.pdf.tmp", &st), -1);
    msk_err_clear(&e);
    assert_int_equal(doc_xlsx(d, "/nonexistent-dir/x.xlsx", &e), -1);
    assert_non_null(strstr(e.msg, "не удалось создать файл XLSX"));
    doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbering_and_html),
        cmocka_unit_test(test_xlsx_read_back),
        cmocka_unit_test(test_pdf_pages_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
