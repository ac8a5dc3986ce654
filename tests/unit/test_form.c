/*
 * Unit tests of src/form/form.c: the rule language (operators, precedence, missing values skip
 * a rule as in DHIS2, syntax errors), periods (kinds, the previous period, due dates across
 * year ends), typed values (yes/no words, decimal comma, counts, limits with units), form
 * definitions from INI (and every way one can be wrong), and form_check's messages per field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "form/form.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct kv {
    const char *code;
    double v; /* NAN = missing */
} kv;

static const kv VALS[] = {
    {"teachers_total", 10}, {"teachers_36h", 2}, {"a", 3}, {"b", 4}, {"zero", 0}, {"gone", NAN}};

static int get(void *ctx, const char *code, double *value)
{
    (void)ctx;
    for (size_t i = 0; i < sizeof VALS / sizeof VALS[0]; i++)
        if (!strcmp(VALS[i].code, code)) {
            if (isnan(VALS[i].v))
                return 0;
            *value = VALS[i].v;
            return 1;
        }
    return -1;
}

static void test_rules(void **state)
{
    (void)state;
    static const struct {
        const char *expr;
        int want;
    } CASES[] = {
        {"teachers_36h <= teachers_total", 1},
        {"teachers_total <= teachers_36h", 0},
        {"teachers_36h<=teachers_total", 1},
        {"a + b == 7", 1},
        {"a + b = 7", 1},
        {"a + b != 7", 0},
        {"a * b - 2 > 9", 1},   /* 12 - 2 = 10 */
        {"a + b * 2 == 11", 1}, /* precedence */
        {"(a + b) * 2 == 14", 1},
        {"-a + 5 == 2", 1},
        {"teachers_36h / teachers_total <= 0.2", 1},
        {"teachers_36h / teachers_total < 0.2", 0},
        {"a >= 3", 1},
        {"a > 3", 0},
        {"a < 3.5", 1},
        {"gone <= a", 2},    /* missing value: skipped */
        {"a / zero > 1", 2}, /* a share of nothing: skipped */
        {"unknown <= a", -1},
        {"a <=", -1},
        {"a b <= 3", -1},
        {"a <= 3 extra", -1},
        {"a", -1},
        {"(a <= b", -1},
        {"a ! b", -1},
        {"", -1},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        int got = form_rule_eval(CASES[i].expr, get, NULL);
        if (got != CASES[i].want)
            fail_msg("«%s»: got %d, want %d", CASES[i].expr, got, CASES[i].want);
    }
}

static void test_periods(void **state)
{
    (void)state;
    char out[16], due[11];
    assert_true(form_period_ok("year", "2024"));
    assert_false(form_period_ok("year", "2024-09"));
    assert_false(form_period_ok("year", "24"));
    assert_true(form_period_ok("half_year", "2024-H1"));
    assert_true(form_period_ok("half_year", "2024-H2"));
    assert_false(form_period_ok("half_year", "2024-H3"));
    assert_true(form_period_ok("month", "2024-09"));
    assert_true(form_period_ok("month", "2024-12"));
    assert_false(form_period_ok("month", "2024-13"));
    assert_false(form_period_ok("month", "2024-00"));
    assert_false(form_period_ok("month", "2024"));
    assert_false(form_period_ok("week", "2024"));
    assert_false(form_period_ok("year", NULL));
    form_period_prev("year", "2024", out);
    assert_string_equal(out, "2023");
    form_period_prev("half_year", "2024-H2", out);
    assert_string_equal(out, "2024-H1");
    form_period_prev("half_year", "2024-H1", out);
    assert_string_equal(out, "2023-H2");
    form_period_prev("month", "2024-01", out);
    assert_string_equal(out, "2023-12");
    form_period_prev("month", "2024-10", out);
    assert_string_equal(out, "2024-09");
    /* the school year whose analysis assigns a list's form: September opens the next one */
    assert_int_equal(form_period_school_year("year", "2024"), 2024);
    assert_int_equal(form_period_school_year("half_year", "2024-H1"), 2024);
    assert_int_equal(form_period_school_year("half_year", "2024-H2"), 2024);
    assert_int_equal(form_period_school_year("month", "2024-08"), 2024);
    assert_int_equal(form_period_school_year("month", "2024-09"), 2025);
    assert_int_equal(form_period_school_year("month", "2024-12"), 2025);
    /* a school year ends 31 August; 45 days later is 15 October */
    form_period_due("year", "2024", 45, due);
    assert_string_equal(due, "2024-10-15");
    /* the first half of 2024 is September–December 2023: due in January 2024 */
    form_period_due("half_year", "2024-H1", 15, due);
    assert_string_equal(due, "2024-01-15");
    form_period_due("half_year", "2024-H2", 15, due);
    assert_string_equal(due, "2024-06-15");
    form_period_due("month", "2024-02", 5, due);
    assert_string_equal(due, "2024-03-05");
    form_period_due("month", "2023-12", 5, due);
    assert_string_equal(due, "2024-01-05");
    form_period_due("month", "2024-09", 0, due);
    assert_string_equal(due, "2024-09-30");
}

static store_form_elem elem(const char *code, const char *type, double min, double max,
                            const char *unit)
{
    store_form_elem e;
    memset(&e, 0, sizeof e);
    snprintf(e.code, sizeof e.code, "%s", code);
    snprintf(e.name, sizeof e.name, "Показатель %s", code);
    snprintf(e.type, sizeof e.type, "%s", type);
    snprintf(e.unit, sizeof e.unit, "%s", unit);
    e.min = min;
    e.max = max;
    return e;
}

static void test_values(void **state)
{
    (void)state;
    store_form_elem b = elem("internet", "bool", 0, 1, ""), c = elem("n", "count", 0, NAN, "чел."),
                    x = elem("share", "share", 0, 100, "%"), t = elem("note", "text", NAN, NAN, "");
    store_fvalue v;
    char msg[512];
    static const char *const YES[] = {"да", "Да", "1", "yes", " да "};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(form_parse_value(&b, YES[i], &v, msg, sizeof msg), 0);
        assert_true(v.has_value);
        assert_true(v.value == 1);
    }
    assert_int_equal(form_parse_value(&b, "нет", &v, msg, sizeof msg), 0);
    assert_true(v.value == 0);
    assert_int_equal(form_parse_value(&b, "2", &v, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "«да» или «нет»"));
    assert_int_equal(form_parse_value(&b, "", &v, msg, sizeof msg), 0);
    assert_false(v.has_value);
    assert_string_equal(v.element, "internet");
    assert_int_equal(form_parse_value(&c, "12", &v, msg, sizeof msg), 0);
    assert_true(v.value == 12);
    assert_int_equal(form_parse_value(&c, "1,5", &v, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "целое неотрицательное"));
    assert_int_equal(form_parse_value(&c, "-1", &v, msg, sizeof msg), -1);
    assert_int_equal(form_parse_value(&c, "двенадцать", &v, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "ожидается число"));
    assert_int_equal(form_parse_value(&x, "12,5", &v, msg, sizeof msg), 0);
    assert_true(v.value == 12.5);
    assert_int_equal(form_parse_value(&x, "100,5", &v, msg, sizeof msg), -1);
    assert_string_equal(msg, "«100,5»: не больше 100 %");
    assert_int_equal(form_parse_value(&x, "inf", &v, msg, sizeof msg), -1);
    assert_int_equal(form_parse_value(&t, " свободный текст ", &v, msg, sizeof msg), 0);
    assert_string_equal(v.text, "свободный текст");
    assert_true(isnan(v.value));
}

static const char GOOD[] = "; комментарий\n"
                           "[form]\ncode = f1\nname = Форма\nperiod = year\ndue_days = 30\n"
                           "[element teachers_total]\nname = Педагогов\ntype = count\nmin = 0\n"
                           "required = yes\n"
                           "[element teachers_36h]\nname = С нагрузкой\ntype = count\nmin = 0\n"
                           "[element note]\nname = Примечание\ntype = text\n"
                           "[rules]\nrule = teachers_36h <= teachers_total | Больше, чем всего\n"
                           "[indicator share36]\nname = Доля\nnum = teachers_36h\n"
                           "den = teachers_total\n";

static void test_ini(void **state)
{
    (void)state;
    store_form f;
    msk_err e;
    assert_int_equal(form_load_ini_str("g.ini", GOOD, &f, &e), 0);
    assert_string_equal(f.code, "f1");
    assert_string_equal(f.period_type, "year");
    assert_int_equal(f.due_days, 30);
    assert_int_equal(f.nel, 3);
    assert_true(f.el[0].required);
    assert_false(f.el[1].required);
    assert_true(isnan(f.el[0].max));
    assert_int_equal(f.nru, 1);
    assert_string_equal(f.ru[0].expr, "teachers_36h <= teachers_total");
    assert_string_equal(f.ru[0].message, "Больше, чем всего");
    assert_int_equal(f.nind, 1);
    assert_string_equal(f.ind[0].den, "teachers_total");
    assert_int_equal(strlen(f.sha256), 64);
    assert_string_equal(f.schools, ""); /* no key: every school */

    /* schools = shnor: the ШНОР schools only; all: every school (stored as "") */
    store_form g;
    static const char SH[] = "[form]\ncode = g\nname = G\nperiod = year\nschools = shnor\n"
                             "[element a]\nname = A\n";
    assert_int_equal(form_load_ini_str("s.ini", SH, &g, &e), 0);
    assert_string_equal(g.schools, "shnor");
    store_form_release(&g);
    static const char ALL[] = "[form]\ncode = g\nname = G\nperiod = year\nschools = all\n"
                              "[element a]\nname = A\n";
    assert_int_equal(form_load_ini_str("a.ini", ALL, &g, &e), 0);
    assert_string_equal(g.schools, "");
    store_form_release(&g);

    /* form_check: required on submit, limits always, the rule's message next to its fields */
    store_fvalue v[2];
    memset(v, 0, sizeof v);
    snprintf(v[0].element, sizeof v[0].element, "teachers_36h");
    v[0].has_value = 1;
    v[0].value = 3;
    form_msgs m = {0};
    assert_int_equal(form_check(&f, v, 1, 0, &m), 0);
    assert_int_equal(form_check(&f, v, 1, 1, &m), 1); /* required missing; rule skipped */
    assert_string_equal(m.m[0].element, "teachers_total");
    form_msgs_release(&m);
    snprintf(v[1].element, sizeof v[1].element, "teachers_total");
    v[1].has_value = 1;
    v[1].value = 2;
    assert_int_equal(form_check(&f, v, 2, 1, &m), 1);
    assert_int_equal(m.n, 2); /* one rule, shown next to both of its fields */
    assert_string_equal(m.m[0].element, "teachers_total");
    assert_string_equal(m.m[1].element, "teachers_36h");
    assert_non_null(strstr(m.m[0].text, "Больше, чем всего"));
    form_msgs_release(&m);
    v[1].value = -5;
    assert_int_equal(form_check(&f, v, 2, 0, &m), 1); /* below min, even in a draft */
    form_msgs_release(&m);
    store_form_release(&f);

    static const struct {
        const char *text, *want;
    } BAD[] = {
        {"[form]\ncode = f\nname = F\nperiod = week\n", "period = «week»"},
        {"[form]\ncode = Ф\nname = F\nperiod = year\n", "код формы"},
        {"[form]\ncode = f\nperiod = year\n[element a]\nname = A\n", "нужны code, name и period"},
        {"[form]\ncode = f\nname = F\nperiod = year\n", "нет ни одного показателя"},
        {"[form]\ncode = f\nname = F\nperiod = year\n[element a]\ntype = count\n", "нет name"},
        {"[form]\ncode = f\nname = F\nperiod = year\n[element a]\nname = A\ntype = date\n",
         "тип «date»"},
        {"[form]\ncode = f\nname = F\nperiod = year\n[element a]\nname = A\nmin = ноль\n",
         "нужно число"},
        {"[form]\ncode = f\nname = F\nperiod = year\n[element a]\nname = A\ncolor = red\n",
         "неизвестный ключ «color»"},
        {"[form]\ncode = f\nname = F\nperiod = year\n[elements]\nx = 1\n", "неизвестный раздел"},
        {"[form]\ncode = f\nname = F\nperiod = year\n[element a]\nname = A\n[rules]\n"
         "rule = a <= z\n",
         "правило «a <= z»"},
        {"[form]\ncode = f\nname = F\nperiod = year\n[element a]\nname = A\n[indicator s]\n"
         "name = S\nnum = a\nden = z\n",
         "показатель таблицы s"},
        {"[form]\ncode = f\nname = F\nperiod = year\ndue_days = -1\n", "due_days"},
        {"[form]\ncode = f\nname = F\nperiod = year\nschools = rating\n", "schools = «rating»"},
        {"[form\n", "синтаксиса"},
    };
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        msk_err_clear(&e);
        if (form_load_ini_str("b.ini", BAD[i].text, &f, &e) != -1)
            fail_msg("case %zu loaded", i);
        if (!strstr(e.msg, BAD[i].want))
            fail_msg("case %zu: «%s» lacks «%s»", i, e.msg, BAD[i].want);
        assert_null(f.el);
    }
}

/* Debian's inih passes no line numbers: the loader finds the line of the key it was given (a
 * web upload's error says «строка N»). Keys of the same name in earlier sections, comments,
 * blank lines, a BOM and CRLF do not shift it. */
static void test_ini_lines(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int line;
    } CASES[] = {
        {"[form]\ncode = f\nname = F\nperiod = week\n", 4},
        {"\xEF\xBB\xBF; a comment\n\n[form]\r\ncode = f\r\n# another\r\nname = F\r\n"
         "period = year\r\n\r\n[element a]\r\nname = A\r\ntype = count\r\ncolour = red\r\n",
         12},
        {"[form]\ncode = f\nname = F\nperiod = year\n[element a]\nname = A\n[element b]\n"
         "name = B\nmin = ноль\n",
         9},
        {"[form]\ncode = f\nname = F\nperiod = year\n  ; indented comment\n[element a]\n"
         "name = A\ntype   :  date\n",
         8},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        store_form f;
        msk_err e;
        msk_err_clear(&e);
        assert_int_equal(form_load_ini_str("l.ini", CASES[i].text, &f, &e), -1);
        if (e.row != CASES[i].line)
            fail_msg("case %zu: line %lld, want %d (%s)", i, (long long)e.row, CASES[i].line,
                     e.msg);
    }
}

/* issue 20, defect 8: numbers are parsed from the whole text, counts have a bound, nothing is
 * cut to fit a buffer */
static void test_values_hostile(void **state)
{
    (void)state;
    store_form_elem c = elem("n", "count", 0, NAN, ""), x = elem("x", "number", NAN, NAN, ""),
                    t = elem("note", "text", NAN, NAN, "");
    store_fvalue v;
    char msg[512], big[128], text[2048];
    memset(big, '0', sizeof big);
    big[0] = '1';
    big[71] = '\0'; /* "1" and 70 zeros: once stored as 1e62 */
    assert_int_equal(form_parse_value(&x, big, &v, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "слишком большое число"));
    assert_int_equal(form_parse_value(&c, "1e308", &v, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "слишком большое"));
    assert_int_equal(form_parse_value(&c, "10000001", &v, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "не больше 10 000 000"));
    assert_int_equal(form_parse_value(&c, "10000000", &v, msg, sizeof msg), 0);
    assert_int_equal(form_parse_value(&x, "0x10", &v, msg, sizeof msg), -1);
    assert_int_equal(form_parse_value(&x, "nan", &v, msg, sizeof msg), -1);
    assert_int_equal(form_parse_value(&x, "1e", &v, msg, sizeof msg), -1);
    assert_int_equal(form_parse_value(&x, "12 5", &v, msg, sizeof msg), -1);
    assert_int_equal(form_parse_value(&x, " -2,5e1 ", &v, msg, sizeof msg), 0);
    assert_true(v.value == -25);
    assert_int_equal(form_parse_value(&x, "1,5,5", &v, msg, sizeof msg), -1);
    memset(text, 'a', sizeof text);
    text[sizeof text - 1] = '\0';
    assert_int_equal(form_parse_value(&t, text, &v, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "значение длиннее"));
    text[1000] = '\0';
    assert_int_equal(form_parse_value(&t, text, &v, msg, sizeof msg), 0);
    assert_int_equal(strlen(v.text), 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules),  cmocka_unit_test(test_periods),
        cmocka_unit_test(test_values), cmocka_unit_test(test_values_hostile),
        cmocka_unit_test(test_ini),    cmocka_unit_test(test_ini_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
