/*
 * Unit tests of src/base/muni.c: the department's acts cited from municipality.ini, the
 * defaults without it, and the errors of a bad file (issue 14 «The municipality's own acts»).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/muni.h"

#include <string.h>

static const char *cite(msk_buf *b, const char *text)
{
    msk_buf_reset(b);
    muni_cite(b, text);
    return b->data;
}

static void defaults_are_the_titles(void **state)
{
    (void)state;
    msk_buf b;
    msk_buf_init(&b, 0);
    muni_reset();
    assert_string_equal(cite(&b, "{program}, п. 2.1"),
                        "Программа повышения качества образования в школах г. Норильска, п. 2.1");
    assert_string_equal(
        cite(&b, "{mscoko}; {roadmap}, п. 1.12"),
        "Положение о МСОКО г. Горячий Ключ; Дорожная карта МСОКО г. Кизляра, п. 1.12");
    assert_string_equal(cite(&b, "без ссылок {нет} и {"), "без ссылок {нет} и {");
    assert_string_equal(muni_department(), "Муниципальный орган управления образованием");
    assert_string_equal(muni_place(), "Муниципальное образование");
    const char *plain = "Программа г. Энска";
    assert_ptr_equal(muni_cite_str(plain), plain);
    assert_null(muni_cite_str(NULL));
    msk_buf_release(&b);
}

static void the_file_names_order_date_and_number(void **state)
{
    (void)state;
    msk_buf b;
    msk_err err;
    msk_buf_init(&b, 0);
    assert_int_equal(muni_load_text("m.ini",
                                    "[department]\nname = Управление образования\nplace = г. Энск\n"
                                    "[act mscoko]\ntitle = Положение о МСОКО\n"
                                    "order = приказ управления образования\nnumber = 123\n"
                                    "date = 2023-09-01\n[act own]\ntitle = Своё\nnumber = 7\n",
                                    &err),
                     0);
    assert_string_equal(
        cite(&b, "{mscoko}, п. 2.1"),
        "Положение о МСОКО (приказ управления образования от 01.09.2023 № 123), п. 2.1");
    assert_string_equal(cite(&b, "{own}"), "Своё (приказ № 7)");
    /* an act the file does not name keeps its default */
    assert_string_equal(cite(&b, "{program}"),
                        "Программа повышения качества образования в школах г. Норильска");
    assert_string_equal(muni_department(), "Управление образования");
    assert_string_equal(muni_place(), "г. Энск");
    const char *s = muni_cite_str("({mscoko}, п. 1.17)");
    assert_string_equal(s, "(Положение о МСОКО (приказ управления образования от 01.09.2023 № "
                           "123), п. 1.17)");
    assert_ptr_equal(muni_cite_str("({mscoko}, п. 1.17)"), s); /* cached */
    muni_reset();
    msk_buf_release(&b);
}

static void bad_files_are_refused_and_change_nothing(void **state)
{
    (void)state;
    static const struct {
        const char *text, *msg;
    } cases[] = {
        {"[act program]\ndate = 31/12/2023\n",
         "m.ini: [act program]: дата «31/12/2023» — нужно дд.мм.гггг"},
        {"[act program]\ndate = 32.01.2023\n", "дата «32.01.2023»"},
        {"[act program]\ntitel = X\n", "неизвестный ключ «titel»; допустимы title, order"},
        {"[department]\ncity = X\n", "[department]: неизвестный ключ «city»"},
        {"[departement]\nname = X\n", "неизвестный раздел [departement]"},
        {"[act]\ntitle = X\n", "нужно имя акта"},
        {"[act при каз]\ntitle = X\n", "имя акта — латинские буквы"},
        {"[act new]\nnumber = 1\n", "[act new]: нужен ключ title"},
        {"[department]\nname =\n", "name и place не могут быть пустыми"},
        {"[department]\nэто не ключ\n", "строка 2: ожидается «ключ = значение»"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        msk_err err;
        msk_err_clear(&err);
        assert_int_equal(muni_load_text("m.ini", cases[i].text, &err), -1);
        char msg[512];
        msk_err_format(&err, msg, sizeof msg);
        if (!strstr(msg, cases[i].msg))
            fail_msg("case %zu: «%s» has no «%s»", i, msg, cases[i].msg);
        assert_string_equal(muni_place(), "Муниципальное образование");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_are_the_titles),
        cmocka_unit_test(the_file_names_order_date_and_number),
        cmocka_unit_test(bad_files_are_refused_and_change_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
