/*
 * Tests for the DOCX renderer (report/doc_docx.c): any text gives well-formed WordprocessingML —
 * markup characters, control characters, invalid UTF-8, surrogates, U+FFFE, «]]>», a word of
 * 20 000 letters — read back with expat from the zip the renderer wrote; tabs, line breaks and
 * soft hyphens become Word's own elements; the package holds the parts Word needs, one PNG per
 * figure; the same document gives the same bytes; a failed write leaves no file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/mem.h"
#include "report/doc.h"

#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

static const char HOSTILE[] = "A&B <i>x</i> \"q\" 'a' ]]> \x01\x02\x1f\x7f ctl \r\n line2\t"
                              "tab \xff\xfe bad \xed\xa0\x80 surrogate \xef\xbf\xbe nonchar "
                              "\xc3 cut &amp; &#0; end";

/* The text of a part read back from the zip. */
static char *part(const char *path, const char *name, size_t *len)
{
    int ze = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &ze);
    assert_non_null(z);
    zip_stat_t st;
    zip_stat_init(&st);
    assert_int_equal(zip_stat(z, name, 0, &st), 0);
    zip_file_t *f = zip_fopen(z, name, 0);
    assert_non_null(f);
    char *data = msk_malloc((size_t)st.size + 1);
    assert_int_equal(zip_fread(f, data, st.size), (zip_int64_t)st.size);
    data[st.size] = '\0';
    zip_fclose(f);
    zip_close(z);
    if (len)
        *len = (size_t)st.size;
    return data;
}

static void on_text(void *ud, const XML_Char *s, int len)
{
    msk_buf_add(ud, s, (size_t)len);
}

/* Parse xml with expat: well-formed or the test fails; the character data into text. */
static void well_formed(const char *xml, msk_buf *text)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    XML_SetUserData(p, text);
    XML_SetCharacterDataHandler(p, on_text);
    enum XML_Status st = XML_Parse(p, xml, (int)strlen(xml), 1);
    if (st != XML_STATUS_OK)
        fail_msg("not well-formed at line %lu: %s", (unsigned long)XML_GetCurrentLineNumber(p),
                 XML_ErrorString(XML_GetErrorCode(p)));
    XML_ParserFree(p);
}

static doc *hostile_doc(void)
{
    doc *d = doc_new();
    doc_title_page(d, HOSTILE, HOSTILE, HOSTILE, HOSTILE, "01.10.2024");
    doc_contents(d);
    doc_section(d, 1, HOSTILE);
    doc_section(d, 2, "Подраздел");
    doc_para(d, HOSTILE, HOSTILE);
    doc_item(d, HOSTILE, HOSTILE);
    msk_buf longword;
    msk_buf_init(&longword, 0);
    for (int i = 0; i < 20000; i++)
        msk_buf_puts(&longword, i % 2 ? "б" : "а");
    doc_para(d, NULL, longword.data);
    doc_table *t = doc_table_new(d, HOSTILE, 3, HOSTILE);
    doc_table_col(t, 0, DOC_TEXT, 0, 0);
    doc_table_col(t, 1, DOC_SHARE, 0, 1);
    doc_table_col(t, 2, DOC_INT, 0, 0);
    const char *h[] = {HOSTILE,
                       "Доля"
                       "\xC2\xAD"
                       "участия",
                       "N"};
    doc_table_header(t, h);
    doc_table_row(t, 0);
    doc_cell_text(t, HOSTILE);
    doc_cell_num(t, 0.341);
    doc_cell_num(t, 12345);
    doc_table_row(t, 1);
    doc_cell_text(t, longword.data);
    doc_cell_num(t, NAN);
    doc_cell_num(t, 1);
    doc_table_note(t, HOSTILE);
    msk_buf_release(&longword);
    chart *c = chart_new(CHART_BARS, HOSTILE);
    chart_bar(c, HOSTILE, 0.3, 0);
    chart_bar(c, "B", 0.1, 0);
    doc_figure(d, c, HOSTILE);
    return d;
}

static void test_runs(void **state)
{
    (void)state;
    msk_buf b;
    msk_buf_init(&b, 0);
    doc_docx_runs(&b,
                  "a<b>&c\td\ne\xC2\xAD"
                  "f \xC2\xA0g\x01",
                  "<w:b/>");
    assert_string_equal(b.data, "<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">"
                                "a&lt;b&gt;&amp;c</w:t><w:tab/><w:t xml:space=\"preserve\">d"
                                "</w:t><w:br/><w:t xml:space=\"preserve\">e</w:t><w:softHyphen/>"
                                "<w:t xml:space=\"preserve\">f \xC2\xA0g</w:t></w:r>");
    msk_buf_reset(&b);
    doc_docx_runs(&b, "", NULL);
    assert_string_equal(b.data, "<w:r></w:r>");
    msk_buf_reset(&b);
    /* wrapped in a root element, any run text parses */
    msk_buf_puts(&b, "<w:p xmlns:w=\"urn:w\">");
    doc_docx_runs(&b, HOSTILE, NULL);
    msk_buf_puts(&b, "</w:p>");
    msk_buf text;
    msk_buf_init(&text, 0);
    well_formed(b.data, &text);
    assert_non_null(strstr(text.data, "A&B <i>x</i> \"q\" 'a' ]]>"));
    assert_non_null(strstr(text.data, "&amp; &#0; end")); /* entities in the text stay text */
    assert_null(strchr(text.data, '\x01'));
    msk_buf_release(&text);
    msk_buf_release(&b);
}

static void test_hostile_package(void **state)
{
    (void)state;
    doc *d = hostile_doc();
    char path[] = "/tmp/test_docx_XXXXXX.docx";
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    close(fd);
    msk_err e;
    msk_err_clear(&e);
    assert_int_equal(doc_docx(d, path, &e), 0);
    static const char *const parts[] = {"[Content_Types].xml", "_rels/.rels",
                                        "docProps/core.xml",   "docProps/app.xml",
                                        "word/document.xml",   "word/styles.xml",
                                        "word/settings.xml",   "word/numbering.xml",
                                        "word/header1.xml",    "word/_rels/document.xml.rels"};
    msk_buf text;
    msk_buf_init(&text, 0);
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        char *x = part(path, parts[i], NULL);
        msk_buf_reset(&text);
        well_formed(x, &text);
        if (!strcmp(parts[i], "word/document.xml")) {
            assert_non_null(strstr(text.data, "A&B <i>x</i>"));
            assert_non_null(strstr(text.data, "34,1\xC2\xA0%"));
            assert_non_null(strstr(text.data, "Таблица 1 — A&B"));
            assert_non_null(strstr(text.data, "Рисунок 1 — A&B"));
            assert_non_null(strstr(x, "<w:tblHeader/>"));
            assert_non_null(strstr(x, "<w:softHyphen/>"));
            assert_non_null(strstr(x, "<w:pStyle w:val=\"Heading2\"/>"));
            assert_non_null(strstr(x, "r:embed=\"rIdImg1\""));
            assert_null(strstr(x, "rIdImg2"));
        }
        if (!strcmp(parts[i], "docProps/core.xml"))
            assert_non_null(strstr(x, "2024-10-01T00:00:00Z"));
        free(x);
    }
    msk_buf_release(&text);
    size_t n = 0;
    char *png = part(path, "word/media/chart1.png", &n);
    assert_true(n > 8);
    assert_memory_equal(png, "\x89PNG", 4);
    free(png);
    /* the same document, the same bytes */
    char path2[] = "/tmp/test_docx_XXXXXX.docx";
    fd = mkstemps(path2, 5);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(doc_docx(d, path2, &e), 0);
    size_t n1 = 0, n2 = 0;
    char *a = NULL, *b = NULL;
    FILE *f1 = fopen(path, "rb"), *f2 = fopen(path2, "rb");
    assert_non_null(f1);
    assert_non_null(f2);
    msk_buf b1, b2;
    msk_buf_init(&b1, 0);
    msk_buf_init(&b2, 0);
    char chunk[4096];
    while ((n1 = fread(chunk, 1, sizeof chunk, f1)) > 0)
        msk_buf_add(&b1, chunk, n1);
    while ((n2 = fread(chunk, 1, sizeof chunk, f2)) > 0)
        msk_buf_add(&b2, chunk, n2);
    fclose(f1);
    fclose(f2);
    a = b1.data, b = b2.data;
    assert_int_equal(b1.len, b2.len);
    assert_memory_equal(a, b, b1.len);
    msk_buf_release(&b1);
    msk_buf_release(&b2);
    unlink(path);
    unlink(path2);
    /* a folder that does not exist: an error, no file */
    assert_int_equal(doc_docx(d, "/nonexistent-dir/x.docx", &e), -1);
    assert_non_null(strstr(e.msg, "DOCX"));
    struct stat st;
    assert_int_equal(stat("/nonexistent-dir/x.docx.tmp", &st), -1);
    doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runs),
        cmocka_unit_test(test_hostile_package),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
