/*
 * Unit tests of src/base/deadline.c: every deadline phrase that appears in the roadmaps of
 * the five seeds (the CSV files of methods/roadmaps/, with the year each file is imported for),
 * checked one by one against the due date read off the act by hand; then the wordings the seeds do
 * not use but other acts do (quarters, «до 1 октября», half-years), the school-year convention, an
 * unknown plan year, unrecognised text and the "days after the procedure" rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/deadline.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *text;
    int year;
    const char *want;
} row;

/* want: "YYYY-MM-DD", "event" (N days after a procedure), or "none:<why>" («без срока») */
static const row SEED_PHRASES[] = {
    {"по графику Рособрнадзора", 2024, "none:по графику"},
    {"по графику Министерства образования РСО-Алания", 2024, "none:по графику"},
    {"начальное общее образование: -ежегодно: октябрь, апрель основное общее образование: "
     "-ежегодно: ноябрь, февраль среднее общее образование -ежегодно: январь",
     2024, "2024-04-30"},
    {"ежегодно, сентябрь", 2024, "2023-09-30"},
    {"По графику СОРИПКРО", 2024, "none:по графику"},
    {"по графику", 2024, "none:по графику"},
    {"1 раз в год по плану Управления образования", 2024, "2024-08-31"},
    {"В течение 10 дней после проведения оценочных процедур", 2024, "event"},
    {"В течение года", 2024, "2024-08-31"},
    {"март", 2024, "2024-03-31"},
    {"по плану Управления образования", 2024, "none:по графику"},
    {"по плану РЦОКО", 2024, "none:по графику"},
    {"По плану ВМКУ «ОМЦ»", 2024, "none:по графику"},
    {"ежегодно, декабрь", 2024, "2023-12-31"},
    {"ежегодно, январь", 2024, "2024-01-31"},
    {"постоянно", 2024, "none:постоянно"},
    {"ежегодно: октябрь, март", 2024, "2024-03-31"},
    {"по графику ВсОШ", 2024, "none:по графику"},
    {"ежегодно, май-июнь", 2024, "2024-06-30"},
    {"Февраль 2021 г.", 2021, "2021-02-28"},
    {"Февраль 2021г.", 2021, "2021-02-28"},
    {"Март-июнь 2021г.", 2021, "2021-06-30"},
    {"Февраль – июнь 2021г.", 2021, "2021-06-30"},
    {"2021 г.", 2021, "2021-12-31"},
    {"2021 год", 2021, "2021-12-31"},
    {"Июнь 2021г.", 2021, "2021-06-30"},
    {"Постоянно", 2021, "none:постоянно"},
    {"2021-2023г.", 2021, "2023-12-31"},
    {"Ежегодно", 2021, "2021-08-31"},
    {"По графику подготовки к ОГЭ и ЕГЭ", 2021, "none:по графику"},
    {"с 2020г.", 2021, "none:постоянно"},
    {"Постоянно в течение учебного года", 2021, "none:постоянно"},
    {"По мере необходимости", 2021, "none:постоянно"},
    {"постоянно", 2021, "none:постоянно"},
    {"2021г", 2021, "2021-12-31"},
    {"2023г.", 2021, "2023-12-31"},
    {"Октябрь", 2024, "2023-10-31"},
    {"октябрь", 2024, "2023-10-31"},
    {"сентябрь", 2024, "2023-09-30"},
    {"1 раз в полугодие: январь, июнь", 2024, "2024-06-30"},
    {"в период с 1 по 10 июня", 2024, "2024-06-10"},
    {"Январь 2023", 2023, "2023-01-31"},
    {"Февраль 2023", 2023, "2023-02-28"},
    {"Март 2023", 2023, "2023-03-31"},
    {"Апрель 2023", 2023, "2023-04-30"},
    {"Июнь – август 2023", 2023, "2023-08-31"},
    {"Август – сентябрь 2023", 2023, "2023-09-30"},
    {"В течение учебного года", 2023, "2023-08-31"},
    {"Февраль – май 2023", 2023, "2023-05-31"},
    {"Март – апрель 2023", 2023, "2023-04-30"},
    {"Март – май 2023", 2023, "2023-05-31"},
    {"Апрель – май 2023", 2023, "2023-05-31"},
    {"Май 2023", 2023, "2023-05-31"},
    {"Сентябрь 2023", 2023, "2023-09-30"},
    {"По итогам учебного года", 2022, "2022-08-31"},
    {"июль 2022", 2022, "2022-07-31"},
    {"август 2022", 2022, "2022-08-31"},
    {"В течение года по графику", 2022, "2022-08-31"},
    {"Декабрь 2022", 2022, "2022-12-31"},
    {"Февраль", 2022, "2022-02-28"},
    {"Май 2022", 2022, "2022-05-31"},
    {"По итогам ОГЭ, май-июнь 2022", 2022, "2022-06-30"},
    {"По итогам ЕГЭ, май-июнь 2022", 2022, "2022-06-30"},
    {"По итогам ГИА, июнь-июль 2022", 2022, "2022-07-31"},
    {"По итогам ЕГЭ, июнь 2022", 2022, "2022-06-30"},
    {"август-сентябрь 2022", 2022, "2022-09-30"},
    {"Ежемесячно Сентябрь - октябрь 2022", 2022, "2022-10-31"},
    {"Ежемесячно Май 2022", 2022, "2022-05-31"},
    {"Июнь-июль 2022", 2022, "2022-07-31"},
    {"", 2022, "none:срок не указан"},
    {"В течение 2022 года, по графику проведения ВПР", 2022, "2022-12-31"},
    {"Апрель 2022", 2022, "2022-04-30"},
    {"Октябрь 2022 Ноябрь 2022 Декабрь 2022", 2022, "2022-12-31"},
    {"Сентябрь", 2022, "2021-09-30"},
    {"Март - июнь 2022", 2022, "2022-06-30"},
    {"В течение года", 2022, "2022-08-31"},
    {"Ежегодно", 2022, "2022-08-31"},
    {"Сентябрь, апрель", 2022, "2022-04-30"},
    {"Постоянно", 2022, "none:постоянно"},
    {"Февраль 2022", 2022, "2022-02-28"},
    {"Март, октябрь 2022", 2022, "2022-10-31"},
    {"Февраль - июнь 2022", 2022, "2022-06-30"},
    {"июль-август", 2024, "2024-08-31"},
    {"август", 2024, "2024-08-31"},
    {"Август, ноябрь", 2024, "2024-08-31"},
    {"По отдельному графику", 2024, "none:по графику"},
    {"до 01 июля", 2024, "2024-07-01"},
    {"ежегодно", 2024, "2024-08-31"},
    {"В течение учебного года", 2024, "2024-08-31"},
    {"Ежегодно", 2024, "2024-08-31"},
    {"Ежегодно октябрь", 2024, "2023-10-31"},
    {"Согласно графику", 2024, "none:по графику"},
    {"Регулярно, при подготовке к проведению оценочной процедуры", 2024, "none:постоянно"},
    {"август 2021", 2024, "2021-08-31"},
    {"по отдельному графику", 2024, "none:по графику"},
    {"в течение года", 2024, "2024-08-31"},
    {"Сентябрь", 2024, "2023-09-30"},
    {"2022-2024 год", 2024, "2024-12-31"},
    {"Ежегодно Сентябрь", 2024, "2023-09-30"},
    {"апрель", 2024, "2024-04-30"},
    {"По плану РМО", 2024, "none:по графику"},
    {"постоянно при проведении оценочных процедур", 2024, "none:постоянно"},
    {"Ежегодно август- сентябрь", 2024, "2023-09-30"},
    {"Постоянно", 2024, "none:постоянно"},
    {"Ежегодно Ноябрь", 2024, "2023-11-30"},
};

static const row OTHER_PHRASES[] = {
    {"до 1 октября", 2024, "2023-10-01"},
    {"до 1 октября 2024 г.", 2024, "2024-10-01"},
    {"декабрь 2024", 2024, "2024-12-31"},
    {"декабрь 2024", 2025, "2024-12-31"},
    {"I квартал", 2024, "2024-03-31"},
    {"IV квартал", 2024, "2023-12-31"},
    {"4 квартал 2024 года", 2024, "2024-12-31"},
    {"II полугодие", 2024, "2024-08-31"},
    {"первое полугодие", 2024, "2023-12-31"},
    {"1 раз в полугодие", 2024, "2024-08-31"},
    {"ежеквартально", 2024, "2024-08-31"},
    {"август–сентябрь", 2024, "2023-09-30"},
    {"август—сентябрь", 2024, "2023-09-30"},
    {"ФЕВРАЛЬ", 2024, "2024-02-29"},
    {"февраль", 2023, "2023-02-28"},
    {"ЁЖИК", 2024, "none:срок не распознан"},
    {"через 5 дней после проведения ВПР", 2024, "event"},
    {"ежегодно, сентябрь", 0, "none:год плана не указан"},
    {"в течение года", 0, "none:год плана не указан"},
    {"Февраль 2021 г.", 0, "2021-02-28"},
    {"постоянно", 0, "none:постоянно"},
    {"   ", 2024, "none:срок не указан"},
    {NULL, 2024, "none:срок не указан"},
};

static void check(const row *r)
{
    msk_deadline d;
    char got[64];
    int rc = deadline_parse(r->text, r->year, &d);
    assert_non_null(d.why);
    if (d.kind == DUE_DATE)
        deadline_iso(&d, got, sizeof got);
    else if (d.kind == DUE_EVENT)
        snprintf(got, sizeof got, "event");
    else
        snprintf(got, sizeof got, "none:%s", d.why);
    if (strcmp(got, r->want))
        fail_msg("«%s» (%d): got %s, want %s", r->text ? r->text : "(null)", r->year, got, r->want);
    /* only the unrecognised wording returns 1 */
    assert_int_equal(rc, strcmp(r->want, "none:срок не распознан") == 0);
}

static void test_seed_phrases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof SEED_PHRASES / sizeof SEED_PHRASES[0]; i++)
        check(&SEED_PHRASES[i]);
}

static void test_other_phrases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof OTHER_PHRASES / sizeof OTHER_PHRASES[0]; i++)
        check(&OTHER_PHRASES[i]);
}

static void test_after_event(void **state)
{
    (void)state;
    msk_deadline d;
    char iso[16];
    assert_int_equal(
        deadline_parse("В течение 10 дней после проведения оценочных процедур", 2024, &d), 0);
    assert_int_equal(d.kind, DUE_EVENT);
    assert_int_equal(d.days, 10);
    assert_string_equal(deadline_kind_code(d.kind), "event");
    msk_deadline e = d;
    assert_int_equal(deadline_after_event(&e, "2024-04-25"), 0);
    deadline_iso(&e, iso, sizeof iso);
    assert_string_equal(iso, "2024-05-05");
    e = d;
    assert_int_equal(deadline_after_event(&e, "2023-12-28"), 0); /* across the year */
    deadline_iso(&e, iso, sizeof iso);
    assert_string_equal(iso, "2024-01-07");
    e = d;
    assert_int_equal(deadline_after_event(&e, "2024-02-25"), 0); /* leap February */
    deadline_iso(&e, iso, sizeof iso);
    assert_string_equal(iso, "2024-03-06");
    e = d;
    assert_int_equal(deadline_after_event(&e, "2024-02-30"), -1);
    assert_int_equal(deadline_after_event(&e, "вчера"), -1);
    assert_int_equal(e.kind, DUE_EVENT);
    deadline_iso(&e, iso, sizeof iso);
    assert_string_equal(iso, "");
}

static void test_month_days(void **state)
{
    (void)state;
    assert_int_equal(deadline_month_days(2024, 2), 29);
    assert_int_equal(deadline_month_days(2100, 2), 28);
    assert_int_equal(deadline_month_days(2000, 2), 29);
    assert_int_equal(deadline_month_days(2024, 4), 30);
    assert_int_equal(deadline_month_days(2024, 13), 0);
}

/* A wording far longer than any buffer is cut, never overrun. */
static void test_long_text(void **state)
{
    (void)state;
    char big[5000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    memcpy(big, "март ", strlen("март "));
    msk_deadline d;
    deadline_parse(big, 2024, &d);
    assert_int_equal(d.kind, DUE_DATE);
    assert_int_equal(d.month, 3);
}

/* Several dates in one wording are kept, not collapsed to the last (issue 19 item 7): seed 000's
 * roadmap 1.5 names five months, seed 002's 4.4 «1 раз в полугодие: январь, июнь». For the plan
 * of 2024 (school year 2023/24) October and November are 2023, the rest 2024; a range keeps
 * only its end; the item is due (overdue after) the latest date. */
static void test_several_dates(void **state)
{
    (void)state;
    msk_deadline d;
    char all[11 * DEADLINE_MAX_DATES];
    deadline_parse("начальное общее образование: -ежегодно: октябрь, апрель основное общее "
                   "образование: -ежегодно: ноябрь, февраль среднее общее образование "
                   "-ежегодно: январь",
                   2024, &d);
    assert_int_equal(d.kind, DUE_DATE);
    assert_int_equal(d.ndates, 5);
    deadline_dates_iso(&d, all, sizeof all);
    assert_string_equal(all, "2023-10-31,2023-11-30,2024-01-31,2024-02-29,2024-04-30");
    assert_int_equal(d.year * 10000 + d.month * 100 + d.day, 20240430);
    deadline_parse("1 раз в полугодие: январь, июнь", 2023, &d);
    deadline_dates_iso(&d, all, sizeof all);
    assert_string_equal(all, "2023-01-31,2023-06-30");
    deadline_parse("ежегодно, май-июнь", 2024, &d); /* a range: its end only */
    assert_int_equal(d.ndates, 1);
    deadline_parse("март, март", 2024, &d); /* the same date twice is one */
    assert_int_equal(d.ndates, 1);
    deadline_parse("в течение 5 дней после процедуры", 2024, &d);
    deadline_dates_iso(&d, all, sizeof all);
    assert_string_equal(all, "");
    assert_int_equal(deadline_after_event(&d, "2024-04-25"), 0);
    deadline_dates_iso(&d, all, sizeof all);
    assert_string_equal(all, "2024-04-30");
    /* more months than kept: the latest stay, the due date is still the last */
    deadline_parse("1 сентября, сентябрь, октябрь, ноябрь, декабрь, январь, февраль, март, "
                   "апрель, май, июнь, июль, август",
                   2024, &d);
    assert_int_equal(d.ndates, DEADLINE_MAX_DATES);
    assert_int_equal(d.dates[DEADLINE_MAX_DATES - 1], 20240831);
    assert_int_equal(d.dates[0], 20230930);
    char small[15]; /* cut at a whole date, never mid-way */
    deadline_dates_iso(&d, small, sizeof small);
    assert_string_equal(small, "2023-09-30");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_phrases), cmocka_unit_test(test_other_phrases),
        cmocka_unit_test(test_after_event),  cmocka_unit_test(test_month_days),
        cmocka_unit_test(test_long_text),    cmocka_unit_test(test_several_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
