/*
 * Tests for ingest/validate: the name rule against the names offices paste into a code column
 * and against real codes (ФИС ОКО, РЦОИ, school-made); school code characters; duplicate
 * header columns; over-long values, invalid UTF-8 and absence with scores in a row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/buf.h"
#include "ingest/header.h"
#include "ingest/validate.h"

#include <stdio.h>
#include <string.h>

static void names_refused(void **state)
{
    static const char *const names[] = {
        "Иванов Иван Иванович",
        "Сидоров П.А.",
        "Сидоров П. А.",
        "П.А. Сидоров",
        "Сидоров П А",
        "Иванов",
        "Мария",
        "Петрова-Водкина Анна",
        "Петрова-Водкина",
        "иванов иван",
        "ИВАНОВ ИВАН ИВАНОВИЧ",
        "Иванов Иван Иванович ",
        "  Иванов\tИван",
        "Иванов\xc2\xa0Иван",
        "Иванов_Иван",
        "Ivan Petrov",
        "Petrov I.",
        "Ёлкина Алёна",
        "Сидоров.П.А.",
        "СидоровП.А.",
        "Оглы Мамед Али",
        "Д'Артаньян Шарль",
        "Иванов Иван 2012",
        "Иванов И.И. (5А)",
        "Иванов, Иван",
        "5А Петрова Анна",
        "Ив\x61нов",    /* a Latin «a» inside */
        "Cидоров П.А.", /* a Latin «C» first */
    };
    (void)state;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!val_looks_like_name(names[i]))
            fail_msg("not taken for a name: «%s»", names[i]);
    }
}

static void codes_pass(void **state)
{
    static const char *const codes[] = {
        "12345",
        "p001",
        "sch123456-12",
        "sch100001",
        "0001234567",
        "AB12-3",
        "5А-01",
        "ФИС-000123",
        "ВПР",
        "АБВГД",
        "абв",
        "abc",
        "Alpha",
        "X",
        "Х",
        "a.b",
        "A.B.C.D",
        "1 234",
        "код 17",
        "Иванов1",
        "12 А",
        "w2",
        "",
        "   ",
        "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        "П.",
        "А Б",
        "one two three four five six",
        "Школа 12",
        "Ivan 12",
        "ВПР 2024 МАТ",
        "a,b",
        "12,5",
        "Ab\xd0\x96", /* Latin and Cyrillic letters that do not look alike */
    };
    (void)state;
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        if (val_looks_like_name(codes[i]))
            fail_msg("a code taken for a name: «%s»", codes[i]);
    }
}

static void school_codes(void **state)
{
    char msg[256];
    (void)state;
    assert_int_equal(val_school_code("sch100001", msg, sizeof msg), 0);
    assert_int_equal(val_school_code("MO-12_a.3", msg, sizeof msg), 0);
    assert_int_equal(val_school_code("школа-5", msg, sizeof msg), 0);
    assert_int_equal(val_school_code("sch1/2", msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "недопустимый символ «/»"));
    assert_int_equal(val_school_code("..", msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "начинается с «.»"));
    assert_int_equal(val_school_code("a b", msg, sizeof msg), -1);
    assert_int_equal(val_school_code("a?b", msg, sizeof msg), -1);
    assert_int_equal(val_school_code("a%2F", msg, sizeof msg), -1);
    assert_int_equal(val_school_code("a\tb", msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "управляющий"));
    assert_int_equal(val_school_code("a123456789012345678901234567890123", msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "длиннее 31"));
}

/* A sink that renders "E row:col msg" / "W row:col msg" lines. */
static void sink_put(void *ctx, int warning, int64_t row, int col, const char *msg)
{
    msk_buf_printf(ctx, "%c %lld:%d %s\n", warning ? 'W' : 'E', (long long)row, col, msg);
}

static int run_row(tpl_kind k, char **head, size_t n, char **row, msk_buf *out)
{
    hdr_map map;
    val_sink sink = {sink_put, out};
    hdr_match_row(k, head, n, &map);
    int e = validate_header(k, &map, head, n, 1, &sink);
    if (row)
        e += validate_row(k, &map, row, n, 2, &sink);
    hdr_map_release(&map);
    return e;
}

static void header_duplicates(void **state)
{
    (void)state;
    msk_buf b;
    msk_buf_init(&b, 0);
    char *h1[] = {"Код ОО", "Код участника", "Первичный балл", "Логин школы"};
    assert_int_equal(run_row(TPL_RESULTS, h1, 4, NULL, &b), 1);
    assert_non_null(strstr(b.data, "E 1:4 столбец повторяет столбец 1 («Код ОО»)"));
    assert_non_null(strstr(b.data, "school_code"));
    msk_buf_reset(&b);
    char *h2[] = {"Код ОО", "Код участника", "1", "2", "1"};
    assert_int_equal(run_row(TPL_RESULTS, h2, 5, NULL, &b), 1);
    assert_non_null(strstr(b.data, "E 1:5 столбец повторяет столбец 3 («1»)"));
    msk_buf_reset(&b);
    char *h4[] = {"Код ОО", "Код участника", "Первичный балл", "Класс", "Литера"};
    assert_int_equal(run_row(TPL_RESULTS, h4, 5, NULL, &b), 1);
    assert_non_null(strstr(b.data, "E 1:5 столбец повторяет столбец 4 («Класс»)"));
    assert_non_null(strstr(b.data, "в одном столбце: «5А»"));
    msk_buf_reset(&b);
    char *h3[] = {"Код ОО", "Код участника", "Фамилия", "Имя", "Первичный балл", "Фамилия"};
    assert_int_equal(run_row(TPL_RESULTS, h3, 6, NULL, &b), 0); /* dropped columns may repeat */
    msk_buf_release(&b);
}

static void rows(void **state)
{
    (void)state;
    msk_buf b;
    msk_buf_init(&b, 0);
    char *h[] = {"Код ОО", "Класс", "Код участника", "Первичный балл", "Отсутствовал", "1"};
    char long_code[81];
    memset(long_code, 'a', 64);
    long_code[64] = '\0';
    char *r1[] = {"sch1", "5А", long_code, "3", "", ""};
    assert_int_equal(run_row(TPL_RESULTS, h, 6, r1, &b), 1);
    assert_non_null(strstr(b.data, "E 2:3 код участника длиннее допустимого: 64 байт"));
    long_code[63] = '\0';
    msk_buf_reset(&b);
    assert_int_equal(run_row(TPL_RESULTS, h, 6, r1, &b), 0); /* 63 bytes fit */
    msk_buf_reset(&b);
    char *r2[] = {"sch1", "5А профильный", "p1", "3", "", ""};
    assert_int_equal(run_row(TPL_RESULTS, h, 6, r2, &b), 1);
    assert_non_null(strstr(b.data, "E 2:2 класс длиннее допустимого"));
    msk_buf_reset(&b);
    char *r3[] = {"sch1", "5А", "Сидоров П.А.", "3", "", ""};
    assert_int_equal(run_row(TPL_RESULTS, h, 6, r3, &b), 1);
    assert_non_null(strstr(b.data, "E 2:3 в столбце кода участника — фамилия"));
    assert_non_null(strstr(b.data, "152-ФЗ"));
    assert_null(strstr(b.data, "Сидоров")); /* the name is not echoed */
    msk_buf_reset(&b);
    char *r4[] = {"sch/1", "5А", "p1", "3", "", "\xff"};
    assert_int_equal(run_row(TPL_RESULTS, h, 6, r4, &b), 2);
    assert_non_null(strstr(b.data, "E 2:1 в коде школы недопустимый символ «/»"));
    assert_non_null(
        strstr(b.data, "E 2:6 недопустимая последовательность байтов UTF-8 (байт 0xFF"));
    msk_buf_reset(&b);
    char *r5[] = {"sch1", "5А", "p1", "", "1", "2"};
    assert_int_equal(run_row(TPL_RESULTS, h, 6, r5, &b), 0);
    assert_non_null(strstr(b.data, "W 2:6 участник отмечен как отсутствовавший"));
    msk_buf_reset(&b);
    char *r7[] = {"sch1", "=1+1", " =HYPERLINK(\"http://e.example\")", "3", "", ""};
    assert_int_equal(run_row(TPL_RESULTS, h, 6, r7, &b), 2);
    assert_non_null(strstr(b.data, "E 2:2 класс начинается с «=»"));
    assert_non_null(strstr(b.data, "E 2:3 код участника начинается с «=»: похоже на формулу"));
    msk_buf_reset(&b);
    char *r9[] = {"sch1", "-", "-2+3+cmd|' /C calc'!A0", "3", "", ""};
    assert_int_equal(run_row(TPL_RESULTS, h, 6, r9, &b), 1); /* «-» alone is no formula */
    assert_non_null(strstr(b.data, "E 2:3 код участника начинается с «-»"));
    msk_buf_reset(&b);
    char *r10[] = {"sch1", "--", "+7", "3", "", ""};
    assert_int_equal(run_row(TPL_RESULTS, h, 6, r10, &b), 0);
    msk_buf_reset(&b);
    char *r8[] = {"sch1", "5\tА", "p2\x1f", "3", "", ""};
    assert_int_equal(run_row(TPL_RESULTS, h, 6, r8, &b), 2);
    assert_non_null(strstr(b.data, "E 2:2 класс содержит управляющий символ (0x09) на позиции 2"));
    assert_non_null(strstr(b.data, "E 2:3 код участника содержит управляющий символ (0x1F)"));
    msk_buf_reset(&b);
    char *r11[] = {"sch1", "05.янв", "1,23457E+14", "3", "", ""};
    assert_int_equal(run_row(TPL_RESULTS, h, 6, r11, &b), 2);
    assert_non_null(strstr(b.data, "E 2:2 класс: похоже на дату, в которую Excel превратил"));
    assert_non_null(strstr(b.data, "E 2:3 код участника: длинное число, записанное Excel в "
                                   "экспоненциальной форме"));
    msk_buf_reset(&b);
    static const char *const dates[] = {"5-Jan", "Jan-05", "янв.05", "05.янв", "12.дек", "1/May"};
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++) {
        char *rd[] = {"sch1", (char *)dates[i], "p1", "3", "", ""};
        if (run_row(TPL_RESULTS, h, 6, rd, &b) != 1)
            fail_msg("not taken for a date: «%s»", dates[i]);
    }
    msk_buf_reset(&b);
    static const char *const fine[] = {"5А",     "11 Б",  "5-1",       "10.2",
                                       "1.5e3x", "jan12", "Мартынов1", "1234567890123456"};
    for (size_t i = 0; i < sizeof fine / sizeof *fine; i++) {
        char *rf[] = {"sch1", "5А", (char *)fine[i], "3", "", ""};
        if (run_row(TPL_RESULTS, h, 6, rf, &b) != 0)
            fail_msg("a code refused: «%s»: %s", fine[i], b.data);
    }
    msk_buf_reset(&b);
    char *r6[] = {"sch1", "5А", "p1", "отсутствовал", "", "X"};
    assert_int_equal(run_row(TPL_RESULTS, h, 6, r6, &b), 0);
    assert_int_equal(b.len, 0); /* absent, no scores: nothing to say */
    msk_buf_release(&b);
}

static void utf8_cut(void **state)
{
    (void)state;
    assert_int_equal(val_utf8_cut("abc", 2), 2);
    assert_int_equal(val_utf8_cut("Жж", 4), 4); /* two whole letters */
    assert_int_equal(val_utf8_cut("Жж", 3), 2); /* half of «ж»: cut before it */
    assert_int_equal(val_utf8_cut("Жж", 1), 0);
    assert_int_equal(val_utf8_cut("a\xe2\x80\x94", 3), 1); /* two bytes of «—» */
    assert_int_equal(val_utf8_cut("a\xe2\x80\x94", 4), 4);
    assert_int_equal(val_utf8_cut("\xf0\x9f\x98\x80", 3), 0);
    assert_int_equal(val_utf8_cut("", 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_refused), cmocka_unit_test(codes_pass),
        cmocka_unit_test(school_codes),  cmocka_unit_test(header_duplicates),
        cmocka_unit_test(rows),          cmocka_unit_test(utf8_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
