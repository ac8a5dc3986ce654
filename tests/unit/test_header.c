/*
 * Unit tests of src/ingest/header.c: every alias family in every template, task-column
 * patterns, whole header rows as real files carry them (ФИС ОКО export, the older export, «Ф1»,
 * РЦОИ ГИА sheets), the title line, kind and subject names, cell values, invalid UTF-8 and
 * very long cells. Cases are tables; a failing case prints itself and the test fails at the end,
 * so one run shows every broken case.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ingest/header.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Count a failed case and say which one; the test fails once at its end. */
static int bad;
#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            print_error("%s:%d: ", __FILE__, __LINE__);                                            \
            print_error(__VA_ARGS__);                                                              \
            print_error("\n");                                                                     \
            bad++;                                                                                 \
        }                                                                                          \
    } while (0)
#define BEGIN() (bad = 0)
#define END() assert_int_equal(bad, 0)

enum {
    SCH = TPL_SCHOOLS,
    RES = TPL_RESULTS,
    AGG = TPL_AGGREGATES,
    CTX = TPL_CONTEXT,
    OLY = TPL_OLYMPIADS,
    GRA = TPL_GRADUATES,
    PLA = TPL_PLAN,
    REC = TPL_RECHECK,
    SCA = TPL_SCALES,
    LIS = TPL_LISTS,
    CON = TPL_CONTESTS,
};
#define T(k) (1u << (k))
#define ALL ((1u << TPL_COUNT) - 1u)

static const char *fname(hdr_field f)
{
    static const char *const extra[] = {"F_TASK", "F_PERSONAL", "F_IGNORED"};
    if (f == F_NONE)
        return "F_NONE";
    if (f >= F_TASK && f < F_COUNT)
        return extra[f - F_TASK];
    return hdr_field_name(f);
}

/* ---- alias families ------------------------------------------------------------------------ */

/* Each alias of a family must match its field in every template of the mask, and the same
 * cell must match other or no field elsewhere (never this one where the field is absent). */
typedef struct family {
    hdr_field field;
    unsigned tpl;
    const char *alias[20];
} family;

#define RESULTS_LIKE (T(RES) | T(AGG))
static const family FAMILIES[] = {
    {F_SCHOOL_CODE,
     ALL & ~T(PLA) & ~T(SCA),
     {"Код ОО", "код оо", "КОД_ОО", "Код ОУ", "логин школы", "Логин ОО", "user", "Код школы",
      "Школа (код)", "login", "school_code", "Код\nОО", "  Код  ОО  "}},
    {F_PUPIL_CODE,
     T(RES) | T(OLY) | T(GRA) | T(REC) | T(CON),
     {"Код участника", "код обучающегося", "Код ученика", "code", "pupil_code",
      "Код обучающегося (участника)"}},
    {F_JOURNAL_MARK,
     T(RES),
     {"Отметка по журналу", "отметка за предыдущую четверть/триместр", "отметка за четверть", "otc",
      "Текущая отметка", "journal_mark", "Отметка за предыдущую четверть", "Отметка\nпо журналу"}},
    {F_CLASS, T(RES), {"Класс", "класс", "klass", "Буква класса", "class", "Литера"}},
    {F_PRIMARY_SCORE,
     T(RES) | T(REC) | T(SCA),
     {"Первичный балл", "всего баллов", "Всего баллов", "sum", "Сумма баллов",
      "Итоговый первичный балл", "primary_score", "Первичный балл (max 20)", "Первичный\nбалл",
      "Первичный балл (из 31 возможного)"}},
    {F_TEST_SCORE,
     T(RES) | T(SCA),
     {"Тестовый балл", "Балл", "Итоговый балл", "test_score", "Балл (100)"}},
    {F_MARK, T(RES) | T(REC), {"Отметка", "Оценка", "Отметка за работу", "mark", "ОТМЕТКА"}},
    {F_VARIANT, T(RES) | T(REC), {"Вариант", "вариант", "Номер варианта", "variant"}},
    {F_YEAR,
     T(RES) | T(AGG) | T(CTX) | T(OLY) | T(GRA) | T(SCA) | T(LIS) | T(CON),
     {"Год", "Учебный год", "year"}},
    {F_KIND, RESULTS_LIKE | T(SCA), {"Вид процедуры", "Процедура", "kind"}},
    {F_SUBJECT, T(RES) | T(AGG) | T(OLY) | T(SCA), {"Предмет", "Учебный предмет", "subject"}},
    {F_GRADE, T(RES) | T(AGG) | T(OLY) | T(GRA) | T(SCA), {"Параллель", "grade"}},
    {F_GRADE, T(AGG) | T(OLY) | T(GRA), {"Класс", "КЛАСС"}},
    {F_RETAKE, T(RES), {"Пересдача", "retake"}},
    {F_PAST_GRADUATE, T(RES), {"Выпускник прошлых лет", "ВПЛ", "past_graduate"}},
    {F_OVZ, T(RES), {"ОВЗ", "ovz", "Участник с ОВЗ"}},
    {F_ABSENT, T(RES), {"Отсутствовал", "Неявка", "absent"}},
    {F_NAME,
     T(SCH),
     {"Наименование ОО", "Название", "Полное наименование", "name", "Наименование ОО (полное)"}},
    {F_TYPE, T(SCH), {"Тип ОО", "Вид ОО", "type"}},
    {F_LOCALITY, T(SCH), {"Местность", "Городская/сельская", "Городская / сельская", "locality"}},
    {F_LEVELS, T(SCH), {"Уровни образования", "levels"}},
    {F_MUNICIPALITY,
     T(SCH),
     {"Муниципалитет", "МО", "Муниципальное образование", "Район", "municipality"}},
    {F_PARTICIPANTS,
     T(AGG),
     {"Участников", "Кол-во участников", "Число участников", "Количество участников",
      "participants"}},
    {F_MARK2,
     T(AGG),
     {"2", "«2»", "\"2\"", "Отметка 2", "Отметка \"2\"", "Кол-во 2", "Кол-во «2»", "mark2"}},
    {F_MARK3, T(AGG), {"3", "«3»", "Отметка 3", "Кол-во 3", "Оценка 3", "mark3"}},
    {F_MARK4, T(AGG), {"4", "\"4\"", "Отметка «4»", "Кол-во 4", "Количество 4", "mark4"}},
    {F_MARK5, T(AGG), {"5", "Отметка 5", "Кол-во \"5\"", "Число 5", "mark5"}},
    {F_BELOW_MIN, T(AGG), {"Ниже минимального", "Не преодолели минимальный порог", "below_min"}},
    {F_ELEMENT, T(CTX), {"Показатель", "Код показателя", "element"}},
    {F_VALUE, T(CTX), {"Значение", "value"}},
    {F_STAGE, T(OLY), {"Этап", "stage"}},
    {F_STATUS, T(OLY) | T(CON), {"Статус", "Результат", "status"}},
    {F_LEVEL, T(CON), {"Уровень", "Уровень конкурса", "level"}},
    {F_CONTEST, T(CON), {"Конкурс", "Название конкурса", "Мероприятие", "contest"}},
    {F_TEACHER_CODE, T(CON), {"Код педагога", "Код учителя", "teacher_code"}},
    {F_SCORE, T(OLY), {"Балл", "Баллы", "Итоговый балл", "score"}},
    {F_TEAM_PLACE, T(OLY), {"Место команды", "Командное место", "Место", "team_place"}},
    {F_ATTESTAT, T(GRA), {"Аттестат", "Получил аттестат", "attestat"}},
    {F_MEDAL, T(GRA), {"Медаль", "medal"}},
    {F_DESTINATION,
     T(GRA),
     {"Продолжение обучения", "Куда поступил", "Направление", "destination"}},
    {F_SECTION, T(PLA), {"Раздел", "section"}},
    {F_NUMBER, T(PLA), {"№", "Номер", "№ п/п", "№п/п", " № ", "number"}},
    {F_TEXT, T(PLA), {"Мероприятие", "Содержание", "Наименование мероприятия", "text"}},
    {F_DEADLINE, T(PLA), {"Срок", "Сроки", "Срок исполнения", "deadline"}},
    {F_RESPONSIBLE, T(PLA), {"Ответственный", "Ответственные", "Исполнитель", "responsible"}},
    {F_RESULT, T(PLA), {"Ожидаемый результат", "Результат", "result"}},
    {F_STATUS_PLAN, T(PLA), {"Статус", "Отметка о выполнении", "status"}},
    {F_PERSONAL,
     ALL,
     {"Фамилия", "Имя", "Отчество", "ФИО", "Ф.И.О.", "Ф.И.О. обучающегося", "Дата рождения",
      "Серия документа", "Номер документа", "СНИЛС", "Отчество (при наличии)", "ФАМИЛИЯ"}},
    {F_IGNORED,
     ALL,
     {"Регион", "регион", "Пол", "Номер обучающегося", "Код МСУ", "Код ППЭ", "Аудитория",
      "Ответы на задания с кратким ответом", "Ответы на задания с развёрнутым ответом",
      "Ответы на задания с развернутым ответом", "Код работы"}},
    {F_IGNORED, ALL & ~T(PLA), {"№", "№ п/п"}},
    {F_IGNORED, ALL & ~T(SCH), {"Наименование ОО"}},
    /* issue 17 item 2: the schools' template keeps the municipality, the others ignore it */
    {F_IGNORED, ALL & ~T(SCH), {"Муниципалитет", "Муниципальное образование"}},
    {F_IGNORED, T(REC), {"Класс"}},
};

static void aliases_match_their_field_in_each_template(void **state)
{
    BEGIN();
    size_t n = 0;
    for (size_t i = 0; i < N(FAMILIES); i++) {
        const family *fa = &FAMILIES[i];
        for (size_t j = 0; j < N(fa->alias) && fa->alias[j]; j++) {
            for (int k = 0; k < TPL_COUNT; k++) {
                hdr_col c;
                hdr_match_cell((tpl_kind)k, fa->alias[j], &c);
                if (fa->tpl & T(k)) {
                    CHECK(c.field == fa->field, "%s: «%s» → %s, want %s", tpl_kind_name(k),
                          fa->alias[j], fname(c.field), fname(fa->field));
                    n++;
                } else if (fa->field < F_TASK) {
                    CHECK(c.field != fa->field, "%s: «%s» → %s, a field it does not have",
                          tpl_kind_name(k), fa->alias[j], fname(c.field));
                }
            }
        }
    }
    CHECK(n > 300, "only %zu alias cases ran", n);
    END();
}

/* Words that must not match by substring or by accident. */
typedef struct cell_case {
    int k;
    const char *cell;
    hdr_field want;
} cell_case;

static const cell_case OTHER_CELLS[] = {
    {RES, "Код ОО и логин", F_NONE},
    {RES, "Код", F_NONE},
    {RES, "Школа", F_NONE},
    {RES, "Первичный", F_NONE},
    {RES, "Отметка по", F_NONE},
    {RES, "Участников", F_NONE},
    {RES, "Медаль", F_NONE},
    {RES, "2023", F_NONE},
    {RES, "", F_NONE},
    {RES, "   ", F_NONE},
    {RES, "—", F_NONE},
    {RES, "%", F_NONE},
    {RES, "№ №", F_NONE},
    {RES, "Код участника олимпиады", F_NONE},
    {RES, "Код ОО (", F_SCHOOL_CODE},
    {RES, "(Код ОО)", F_SCHOOL_CODE},
    {RES, "Буква", F_NONE},
    {AGG, "% 2", F_NONE},
    {AGG, "%2", F_NONE},
    {AGG, "Доля 2", F_NONE},
    {AGG, "% участников", F_NONE},
    {AGG, "1", F_NONE},
    {AGG, "6", F_NONE},
    {AGG, "Отметка", F_NONE},
    {AGG, "Балл", F_NONE},
    {SCH, "Класс", F_NONE},
    {SCH, "1", F_NONE},
    {SCH, "Год", F_NONE},
    {CTX, "Скоростной интернет", F_NONE},
    {CTX, "Педагогов всего", F_NONE},
    {CTX, "internet", F_NONE},
    {CTX, "1", F_NONE},
    {PLA, "Код ОО", F_NONE},
    {PLA, "1", F_NONE},
    {PLA, "ФИО ответственного", F_RESPONSIBLE},
    {OLY, "Сумма баллов", F_SCORE},
    {REC, "Сумма баллов", F_PRIMARY_SCORE},
    {OLY, "Отметка", F_NONE},
    {GRA, "Балл", F_NONE},
    {RES, "Отметка (5-балльная)", F_MARK}, /* trailing note removed */
    {RES, "Первичный балл (max 20) (всего)", F_PRIMARY_SCORE},
    {RES, "Первичный балл\u00a0(max 20)\u00a0", F_PRIMARY_SCORE},
    {RES, "Первичный балл (max (20))", F_PRIMARY_SCORE},
    {RES, "Первичный балл (max 20", F_NONE}, /* unbalanced: not a note */
    {RES, "Первичный балл max 20)", F_NONE},
    {RES, "Класс (буква)", F_CLASS},
    {RES, "Номер", F_NONE},
    {PLA, "Номер документа", F_PERSONAL},
    {(int)TPL_COUNT, "Код ОО", F_NONE},
    {-1, "Код ОО", F_NONE},
};

static void other_cells(void **state)
{
    BEGIN();
    for (size_t i = 0; i < N(OTHER_CELLS); i++) {
        const cell_case *cc = &OTHER_CELLS[i];
        hdr_col c;
        hdr_match_cell((tpl_kind)cc->k, cc->cell, &c);
        CHECK(c.field == cc->want, "%d «%s» → %s, want %s", cc->k, cc->cell, fname(c.field),
              fname(cc->want));
    }
    hdr_col c = {F_TASK, "x", 7};
    hdr_match_cell(TPL_RESULTS, NULL, &c);
    CHECK(c.field == F_NONE && c.task_label[0] == '\0' && c.task_max == -1, "NULL cell");
    hdr_match_cell(TPL_RESULTS, "Код ОО", NULL); /* no crash */
    END();
}

/* ---- task columns -------------------------------------------------------------------------- */

typedef struct task_case {
    int k;
    const char *cell;
    const char *label; /* NULL: not a task */
    int max;
} task_case;

static const task_case TASKS[] = {
    {RES, "1", "1", -1},
    {RES, "2.1", "2.1", -1},
    {RES, "2,1", "2.1", -1},
    {RES, "t1", "1", -1},
    {RES, "t9.1", "9.1", -1},
    {RES, "T12", "12", -1},
    {RES, "балл за 3", "3", -1},
    {RES, "Балл за 14", "14", -1},
    {RES, "балл за задание 3", "3", -1},
    {RES, "Баллы за задание №3", "3", -1},
    {RES, "задание 3", "3", -1},
    {RES, "Задание №3", "3", -1},
    {RES, "№3", "3", -1},
    {RES, "задача 3", "3", -1},
    {RES, "Зад. 3", "3", -1},
    {RES, "К 1", "K1", -1},
    {RES, "№ 3", "3", -1},
    {RES, "1 (1б)", "1", 1},
    {RES, "1 (1 б)", "1", 1},
    {RES, "9.1 (1б)", "9.1", 1},
    {RES, "9.1 (2б)", "9.1", 2},
    {RES, "9.1\n(2б)", "9.1", 2},
    {RES, "12 (2 балла)", "12", 2},
    {RES, "5 (3 балла.)", "5", 3},
    {RES, "5 (max 3)", "5", 3},
    {RES, "5 (макс. 3)", "5", 3},
    {RES, "балл за 3 (max 2)", "3", 2},
    {RES, "a-1-grade", "1", -1},
    {RES, "a-12-grade", "12", -1},
    {RES, "a-9-1-grade", "9.1", -1},
    {RES, "a-9.1-grade", "9.1", -1},
    {RES, "К1", "K1", -1},
    {RES, "к2", "K2", -1},
    {RES, "K3", "K3", -1},
    {RES, "Критерий 1", "K1", -1},
    {RES, "К1 (2б)", "K1", 2},
    {RES, "1К1", "1K1", -1},
    {RES, "1К2 (2б)", "1K2", 2},
    {RES, "3(1)", "3(1)", -1},
    {RES, "3 (1)", "3(1)", -1},
    {RES, "3(1) (2б)", "3(1)", 2},
    {RES, "01", "1", -1},
    {RES, "1.", "1", -1},
    {RES, "999", "999", -1},
    {RES, "1.2.3", "1.2.3", -1},
    {RES, "балл за 3 (примечание)", "3", -1}, /* note removed, then a task */
    {RES, "9.1 (2б) (доп.)", "9.1", 2},
    {REC, "4", "4", -1},
    {REC, "балл за 4", "4", -1},
    {RES, "0", NULL, 0},
    {RES, "1000", NULL, 0},
    {RES, "2023", NULL, 0},
    {RES, "1.2.3.4", NULL, 0},
    {RES, "3a", NULL, 0},
    {RES, "t", NULL, 0},
    {RES, "задание", NULL, 0},
    {RES, "балл за", NULL, 0},
    {RES, "1 (1x)", "1", -1}, /* a note, not a maximum: removed */
    {RES, "1 ()", "1", -1},
    {RES, "К0", NULL, 0},
    {RES, "1.2.3.4.5.6.7.8.9", NULL, 0},
    {RES, "1-grade", NULL, 0},
    {RES, "a--grade", NULL, 0},
    {RES, "1 2", NULL, 0},
    {AGG, "1", NULL, 0},
    {SCH, "t1", NULL, 0},
    {OLY, "балл за 3", NULL, 0},
    {GRA, "1 (1б)", NULL, 0},
    {CTX, "7", NULL, 0},
    {PLA, "3", NULL, 0},
};

static void task_columns(void **state)
{
    BEGIN();
    for (size_t i = 0; i < N(TASKS); i++) {
        const task_case *tc = &TASKS[i];
        hdr_col c;
        hdr_match_cell((tpl_kind)tc->k, tc->cell, &c);
        if (tc->label) {
            CHECK(c.field == F_TASK && strcmp(c.task_label, tc->label) == 0 &&
                      c.task_max == tc->max,
                  "%s «%s» → %s «%s» max %d, want task «%s» max %d", tpl_kind_name(tc->k), tc->cell,
                  fname(c.field), c.task_label, c.task_max, tc->label, tc->max);
        } else {
            CHECK(c.field != F_TASK && c.task_label[0] == '\0' && c.task_max == -1,
                  "%s «%s» → task «%s», want none", tpl_kind_name(tc->k), tc->cell, c.task_label);
        }
    }
    END();
}

/* ---- whole rows ---------------------------------------------------------------------------- */

typedef struct want_col {
    hdr_field f;
    int col;
    int on; /* 1 for a case, 0 past the last */
} want_col;

typedef struct row_case {
    const char *what;
    int k;
    const char *cells[24];
    int count;   /* hdr_match_row's return */
    int matched; /* canonical fields + tasks */
    int nunknown;
    const char *tasks; /* task labels in order, joined with ' ' */
    want_col cols[12];
} row_case;

static const row_case ROWS[] = {
    {"ФИС ОКО raw export",
     RES,
     {"логин школы", "регион", "номер обучающегося", "код обучающегося",
      "отметка за предыдущую четверть/триместр", "пол", "класс", "вариант", "всего баллов",
      "балл за 1", "балл за 2", "балл за 3"},
     12,
     9,
     0,
     "1 2 3",
     {{F_SCHOOL_CODE, 0, 1},
      {F_PUPIL_CODE, 3, 1},
      {F_JOURNAL_MARK, 4, 1},
      {F_CLASS, 6, 1},
      {F_VARIANT, 7, 1},
      {F_PRIMARY_SCORE, 8, 1},
      {F_IGNORED, 1, 1},
      {F_TASK, 9, 1},
      {F_MARK, -1, 1}}},
    {"older export",
     RES,
     {"user", "code", "otc", "klass", "sum", "a-1-grade", "a-2-grade", "a-9-1-grade"},
     8,
     8,
     0,
     "1 2 9.1",
     {{F_SCHOOL_CODE, 0, 1},
      {F_PUPIL_CODE, 1, 1},
      {F_JOURNAL_MARK, 2, 1},
      {F_CLASS, 3, 1},
      {F_PRIMARY_SCORE, 4, 1},
      {F_TASK, 5, 1}}},
    {"Ф1 form",
     RES,
     {"Код участника", "Класс", "Вариант", "1 (1б)", "2 (1б)", "9.1 (1б)", "9.2 (2б)",
      "Первичный балл", "Отметка", "Отметка по журналу"},
     10,
     10,
     0,
     "1 2 9.1 9.2",
     {{F_PUPIL_CODE, 0, 1},
      {F_CLASS, 1, 1},
      {F_VARIANT, 2, 1},
      {F_PRIMARY_SCORE, 7, 1},
      {F_MARK, 8, 1},
      {F_JOURNAL_MARK, 9, 1},
      {F_SCHOOL_CODE, -1, 1}}},
    {"РЦОИ ГИА sheet",
     RES,
     {"Код МСУ", "Код ОО", "Класс", "Код ППЭ", "Аудитория", "Фамилия", "Имя", "Отчество",
      "Серия документа", "Номер документа", "Ответы на задания с кратким ответом",
      "Ответы на задания с развёрнутым ответом", "Первичный балл", "Балл"},
     14,
     4,
     0,
     "",
     {{F_SCHOOL_CODE, 1, 1},
      {F_CLASS, 2, 1},
      {F_PRIMARY_SCORE, 12, 1},
      {F_TEST_SCORE, 13, 1},
      {F_PERSONAL, 5, 1},
      {F_IGNORED, 0, 1},
      {F_PUPIL_CODE, -1, 1}}},
    {"ОГЭ sheet with a mark",
     RES,
     {"Код ОО", "Класс", "Фамилия", "Имя", "Отчество (при наличии)", "1", "2", "К1", "К2",
      "Первичный балл", "Оценка"},
     11,
     8,
     0,
     "1 2 K1 K2",
     {{F_SCHOOL_CODE, 0, 1}, {F_MARK, 10, 1}, {F_PERSONAL, 2, 1}, {F_TASK, 5, 1}}},
    {"aggregates",
     AGG,
     {"Год", "Код ОО", "Параллель", "Предмет", "Кол-во участников", "2", "3", "4", "5", "% 2",
      "Наименование ОО"},
     10,
     9,
     1,
     "",
     {{F_YEAR, 0, 1},
      {F_SCHOOL_CODE, 1, 1},
      {F_GRADE, 2, 1},
      {F_SUBJECT, 3, 1},
      {F_PARTICIPANTS, 4, 1},
      {F_MARK2, 5, 1},
      {F_MARK3, 6, 1},
      {F_MARK4, 7, 1},
      {F_MARK5, 8, 1},
      {F_IGNORED, 10, 1}}},
    {"aggregates, ЕГЭ",
     AGG,
     {"Код ОО", "Класс", "Участников", "Не преодолели минимальный порог"},
     4,
     4,
     0,
     "",
     {{F_SCHOOL_CODE, 0, 1}, {F_GRADE, 1, 1}, {F_PARTICIPANTS, 2, 1}, {F_BELOW_MIN, 3, 1}}},
    {"context, wide",
     CTX,
     {"Год", "Код ОО", "Наименование ОО", "Скоростной интернет", "Педагогов всего", "", "  "},
     3,
     2,
     2,
     "",
     {{F_YEAR, 0, 1}, {F_SCHOOL_CODE, 1, 1}, {F_IGNORED, 2, 1}, {F_ELEMENT, -1, 1}}},
    {"context, long",
     CTX,
     {"Год", "Код ОО", "Код показателя", "Значение"},
     4,
     4,
     0,
     "",
     {{F_YEAR, 0, 1}, {F_SCHOOL_CODE, 1, 1}, {F_ELEMENT, 2, 1}, {F_VALUE, 3, 1}}},
    {"olympiads, per pupil",
     OLY,
     {"Год", "Этап", "Предмет", "Класс", "Код ОО", "Код участника", "ФИО", "Статус", "Баллы"},
     9,
     8,
     0,
     "",
     {{F_YEAR, 0, 1},
      {F_STAGE, 1, 1},
      {F_SUBJECT, 2, 1},
      {F_GRADE, 3, 1},
      {F_SCHOOL_CODE, 4, 1},
      {F_PUPIL_CODE, 5, 1},
      {F_STATUS, 7, 1},
      {F_SCORE, 8, 1}}},
    {"olympiads, team standings",
     OLY,
     {"Год", "Этап", "Код ОО", "Место"},
     4,
     4,
     0,
     "",
     {{F_STAGE, 1, 1}, {F_SCHOOL_CODE, 2, 1}, {F_TEAM_PLACE, 3, 1}, {F_PUPIL_CODE, -1, 1}}},
    {"graduates",
     GRA,
     {"Год", "Класс", "Код ОО", "Код обучающегося", "Получил аттестат", "Медаль", "Куда поступил",
      "Дата рождения"},
     8,
     7,
     0,
     "",
     {{F_YEAR, 0, 1},
      {F_GRADE, 1, 1},
      {F_SCHOOL_CODE, 2, 1},
      {F_PUPIL_CODE, 3, 1},
      {F_ATTESTAT, 4, 1},
      {F_MEDAL, 5, 1},
      {F_DESTINATION, 6, 1}}},
    {"plan",
     PLA,
     {"Раздел", "№ п/п", "Мероприятие", "Срок", "Ответственный", "Ожидаемый результат",
      "Отметка о выполнении", "Примечание"},
     7,
     7,
     1,
     "",
     {{F_SECTION, 0, 1},
      {F_NUMBER, 1, 1},
      {F_TEXT, 2, 1},
      {F_DEADLINE, 3, 1},
      {F_RESPONSIBLE, 4, 1},
      {F_RESULT, 5, 1},
      {F_STATUS_PLAN, 6, 1},
      {F_STATUS, -1, 1}}},
    {"schools",
     SCH,
     {"Код ОО", "Наименование ОО", "Тип ОО", "Местность", "Уровни образования", "Муниципалитет"},
     6,
     6,
     0,
     "",
     {{F_SCHOOL_CODE, 0, 1},
      {F_NAME, 1, 1},
      {F_TYPE, 2, 1},
      {F_LOCALITY, 3, 1},
      {F_LEVELS, 4, 1},
      {F_MUNICIPALITY, 5, 1}}},
    {"recheck",
     REC,
     {"Код ОО", "Код участника", "Класс", "Вариант", "1", "2", "3", "Первичный балл", "Отметка"},
     9,
     8,
     0,
     "1 2 3",
     {{F_SCHOOL_CODE, 0, 1},
      {F_PUPIL_CODE, 1, 1},
      {F_IGNORED, 2, 1},
      {F_VARIANT, 3, 1},
      {F_PRIMARY_SCORE, 7, 1},
      {F_MARK, 8, 1}}},
    {"first of two aliases wins",
     RES,
     {"Код ОО", "логин школы", "Балл", "Тестовый балл"},
     4,
     4,
     0,
     "",
     {{F_SCHOOL_CODE, 0, 1}, {F_TEST_SCORE, 2, 1}}},
    {"a data row",
     RES,
     {"sch123456", "12345", "5", "А", "X", "17"},
     2,
     2,
     4,
     "5 17",
     {{F_SCHOOL_CODE, -1, 1}, {F_TASK, 2, 1}}},
    {"a title row", RES, {"ВПР 2023 Математика 5 класс"}, 0, 0, 1, "", {{F_SCHOOL_CODE, -1, 1}}},
};

static void header_rows(void **state)
{
    BEGIN();
    for (size_t i = 0; i < N(ROWS); i++) {
        const row_case *rc = &ROWS[i];
        size_t n = 0;
        while (n < N(rc->cells) && rc->cells[n])
            n++;
        hdr_map m;
        int got = hdr_match_row((tpl_kind)rc->k, (char *const *)rc->cells, n, &m);
        CHECK(got == rc->count, "%s: count %d, want %d", rc->what, got, rc->count);
        CHECK(m.ncols == n, "%s: ncols %zu", rc->what, m.ncols);
        CHECK(m.matched == rc->matched, "%s: matched %d, want %d", rc->what, m.matched,
              rc->matched);
        CHECK(m.nunknown == (size_t)rc->nunknown, "%s: nunknown %zu, want %d", rc->what, m.nunknown,
              rc->nunknown);
        char tasks[128] = "";
        size_t tl = 0;
        for (size_t t = 0; t < m.ntasks; t++) {
            const hdr_col *c = &m.cols[m.task_cols[t]];
            CHECK(c->field == F_TASK, "%s: task_cols[%zu] is %s", rc->what, t, fname(c->field));
            tl += (size_t)snprintf(tasks + tl, sizeof tasks - tl, "%s%s", t ? " " : "",
                                   c->task_label);
        }
        CHECK(strcmp(tasks, rc->tasks) == 0, "%s: tasks «%s», want «%s»", rc->what, tasks,
              rc->tasks);
        for (size_t w = 0; w < N(rc->cols) && rc->cols[w].on; w++) {
            const want_col *wc = &rc->cols[w];
            CHECK(m.field_col[wc->f] == wc->col, "%s: %s at %d, want %d", rc->what, fname(wc->f),
                  m.field_col[wc->f], wc->col);
        }
        for (int f = 0; f < F_COUNT; f++) {
            int c = m.field_col[f];
            CHECK(c == -1 || (c >= 0 && (size_t)c < n && m.cols[c].field == (hdr_field)f),
                  "%s: field_col[%s] = %d inconsistent", rc->what, fname((hdr_field)f), c);
        }
        hdr_map_release(&m);
        CHECK(m.cols == NULL && m.task_cols == NULL && m.ncols == 0 &&
                  m.field_col[F_SCHOOL_CODE] == -1,
              "%s: release leaves an empty map", rc->what);
        hdr_map_release(&m); /* twice is harmless */
    }
    END();
}

static void header_row_edges(void **state)
{
    hdr_map m;
    assert_int_equal(hdr_match_row(TPL_RESULTS, NULL, 5, &m), 0);
    assert_int_equal(m.ncols, 0);
    assert_int_equal(m.field_col[F_SCHOOL_CODE], -1);
    hdr_map_release(&m);

    assert_int_equal(hdr_match_row(TPL_RESULTS, NULL, 0, &m), 0);
    hdr_map_release(&m);

    char *cells[] = {"Код ОО", NULL, "1"};
    assert_int_equal(hdr_match_row(TPL_RESULTS, cells, 3, &m), 2);
    assert_int_equal(m.cols[1].field, F_NONE);
    assert_int_equal(m.nunknown, 0);
    assert_int_equal(m.ntasks, 1);
    assert_int_equal(m.task_cols[0], 2);
    hdr_map_release(&m);

    assert_int_equal(hdr_match_row(TPL_COUNT, cells, 3, &m), 0);
    assert_int_equal(m.ncols, 3);
    assert_int_equal(m.nunknown, 2);
    hdr_map_release(&m);
    assert_int_equal(hdr_match_row(TPL_RESULTS, cells, 3, NULL), 0);
    hdr_map_release(NULL);

    /* 300 task columns, as a long ЕГЭ sheet might carry with criteria */
    enum { NC = 300 };
    char *many[NC];
    char bufs[NC][32];
    for (int i = 0; i < NC; i++) {
        snprintf(bufs[i], sizeof bufs[i], "балл за %d", i + 1);
        many[i] = bufs[i];
    }
    assert_int_equal(hdr_match_row(TPL_RESULTS, many, NC, &m), NC);
    assert_int_equal(m.ntasks, NC);
    assert_string_equal(m.cols[m.task_cols[NC - 1]].task_label, "300");
    hdr_map_release(&m);
}

/* ---- normalisation ------------------------------------------------------------------------- */

typedef struct norm_case {
    const char *in, *out;
} norm_case;

static const norm_case NORMS[] = {
    {"Код ОО", "кодоо"},
    {"КОД_ОО", "кодоо"},
    {"  код   оо ", "кодоо"},
    {"Ёлка ЁЖ ёж", "елкаежеж"},
    {"Первичный\nбалл", "первичныйбалл"},
    {"Первичный\r\nбалл", "первичныйбалл"},
    {"Отметка «2»", "отметка2"},
    {"ABC xyz 123", "abcxyz123"},
    {"1.5", "15"},
    {"ÀÉÎ ß", "àéîß"},
    {"Ѐ Ђ Ѣ Ӏ Ӂ Ә", "ѐђѣӏӂә"},
    {"№ п/п", "пп"},
    {"a\xff\xfe"
     "b",
     "ab"},       /* invalid bytes */
    {"\xd0", ""}, /* cut sequence */
    {"\xd0"
     "Б",
     "б"},                      /* lead byte, then a character */
    {"\xc0\x80x", "x"},         /* overlong NUL */
    {"\xe0\x80\xafy", "y"},     /* overlong '/' */
    {"\xed\xa0\x80z", "z"},     /* surrogate */
    {"\xf4\x90\x80\x80q", "q"}, /* above U+10FFFF */
    {"\xf0\x9f\x98\x80w", "w"}, /* emoji: not a letter */
    {"\x80\x80\x80", ""},       /* continuation bytes alone */
    {"и\xcc\x86", "й"},         /* decomposed й */
    {"И\xcc\x86", "й"},
    {"\xcc\x86", ""},
    {"е\xcc\x88", "е"}, /* decomposed ё */
    {"中文", ""},
    {"\xc2\xa0\xe2\x80\xaf", ""},
    {"", ""},
};

static void normalize_table(void **state)
{
    BEGIN();
    char out[64];
    for (size_t i = 0; i < N(NORMS); i++) {
        size_t n = hdr_normalize(NORMS[i].in, out, sizeof out);
        CHECK(strcmp(out, NORMS[i].out) == 0 && n == strlen(out), "«%s» → «%s», want «%s»",
              NORMS[i].in, out, NORMS[i].out);
    }
    END();
}

static void normalize_truncates_whole_characters(void **state)
{
    char out[8];
    memset(out, '#', sizeof out);
    assert_int_equal(hdr_normalize("абв", out, 4), 2); /* "а" + room for one byte only */
    assert_string_equal(out, "а");
    assert_int_equal(out[3], '#');
    assert_int_equal(hdr_normalize("абв", out, 5), 4);
    assert_string_equal(out, "аб");
    assert_int_equal(hdr_normalize("abc", out, 1), 0);
    assert_string_equal(out, "");
    out[0] = 'z';
    assert_int_equal(hdr_normalize("abc", out, 0), 0);
    assert_int_equal(out[0], 'z');
    assert_int_equal(hdr_normalize("abc", NULL, 8), 0);
    assert_int_equal(hdr_normalize(NULL, out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(hdr_normalize("a\xf0\x9f", out, sizeof out), 1); /* cut at the end */
    assert_string_equal(out, "a");
}

/* ---- very long and hostile cells ------------------------------------------------------------ */

static char *repeat(const char *head, const char *unit, size_t times, const char *tail)
{
    size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
    char *s = malloc(hl + ul * times + tl + 1);
    assert_non_null(s);
    memcpy(s, head, hl);
    for (size_t i = 0; i < times; i++)
        memcpy(s + hl + i * ul, unit, ul);
    memcpy(s + hl + ul * times, tail, tl + 1);
    return s;
}

static void long_cells(void **state)
{
    hdr_col c;
    char out[32];
    hdr_title t;
    double d;
    int b;

    char *s = repeat("", "а", 100000, "");
    hdr_match_cell(TPL_RESULTS, s, &c);
    assert_int_equal(c.field, F_NONE);
    assert_int_equal(hdr_normalize(s, out, sizeof out), 30);
    assert_int_equal(hdr_parse_title(s, &t), 0);
    assert_int_equal(val_number(s, &d), -1);
    assert_int_equal(val_bool(s, &b), -1);
    assert_int_equal(val_is_absent(s), 0);
    assert_int_equal(hdr_subject_code(s, out, sizeof out), -1);
    free(s);

    s = repeat("Код ОО", " ", 100000, ""); /* blanks do not count */
    hdr_match_cell(TPL_RESULTS, s, &c);
    assert_int_equal(c.field, F_SCHOOL_CODE);
    free(s);

    s = repeat("1", " ", 100000, "");
    hdr_match_cell(TPL_RESULTS, s, &c);
    assert_int_equal(c.field, F_TASK);
    assert_string_equal(c.task_label, "1");
    free(s);

    s = repeat("Первичный балл (", "x", 100000, ")");
    hdr_match_cell(TPL_RESULTS, s, &c);
    assert_int_equal(c.field, F_PRIMARY_SCORE);
    free(s);

    s = repeat("", "(", 50000, "");
    hdr_match_cell(TPL_RESULTS, s, &c);
    assert_int_equal(c.field, F_NONE);
    free(s);
    s = repeat("Балл", ")", 50000, ""); /* punctuation does not count */
    hdr_match_cell(TPL_RESULTS, s, &c);
    assert_int_equal(c.field, F_TEST_SCORE);
    free(s);
    s = repeat("Балл x", ")", 50000, ""); /* unbalanced: no note to remove */
    hdr_match_cell(TPL_RESULTS, s, &c);
    assert_int_equal(c.field, F_NONE);
    free(s);
    s = repeat("Балл ", "(x)", 20000, "");
    hdr_match_cell(TPL_RESULTS, s, &c);
    assert_int_equal(c.field, F_NONE); /* four notes at most are removed */
    free(s);

    s = repeat("", "\xff\xd0", 50000, "Код ОО");
    hdr_match_cell(TPL_RESULTS, s, &c);
    assert_int_equal(c.field, F_SCHOOL_CODE);
    free(s);

    s = repeat("ВПР 2023 Математика 5 класс ", "и ", 50000, "");
    assert_int_equal(hdr_parse_title(s, &t), 1);
    assert_string_equal(t.kind, "VPR");
    assert_int_equal(t.year, 2023);
    free(s);

    s = repeat("", "9", 400, "");
    assert_int_equal(val_number(s, &d), -1); /* 1e400 is not finite */
    free(s);
    s = repeat("", "1", 300, "");
    assert_int_equal(val_number(s, &d), 0);
    assert_true(d > 1.1e299 && d < 1.2e299);
    free(s);
    s = repeat("0,", "0", 400, "1");
    assert_int_equal(val_number(s, &d), 0);
    assert_true(d >= 0 && d < 1e-300);
    free(s);
    s = repeat("1", " 000", 30000, "");
    assert_int_equal(val_number(s, &d), -1);
    free(s);
}

/* ---- title lines --------------------------------------------------------------------------- */

typedef struct title_case {
    const char *cell;
    int rc, year, grade;
    const char *kind, *subject;
} title_case;

static const title_case TITLES[] = {
    {"ВПР 2023 Математика 5 класс", 1, 2023, 5, "VPR", "math"},
    {"ВПР. Русский язык. 4 класс. 2022 г.", 1, 2022, 4, "VPR", "rus"},
    {"ОГЭ 2024 математика", 1, 2024, 0, "OGE", "math"},
    {"ЕГЭ-2024. Математика (профильный уровень)", 1, 2024, 0, "EGE", "math_prof"},
    {"ЕГЭ 2023 Математика (базовая) 11 кл.", 1, 2023, 11, "EGE", "math_base"},
    {"ЕГЭ 2023 математика базовый уровень", 1, 2023, 0, "EGE", "math_base"},
    {"ГВЭ-9 2024 Русский язык", 1, 2024, 0, "GVE9", "rus"},
    {"ГВЭ-11 Математика", 1, 0, 0, "GVE11", "math"},
    {"ГВЭ 2024 Математика 11 класс", 1, 2024, 11, "GVE11", "math"},
    {"ГВЭ 2024 Математика 9 класс", 1, 2024, 9, "GVE9", "math"},
    {"РКР 2023 Физика 8-й класс", 1, 2023, 8, "RKR", "phys"},
    {"МКР Химия 9 кл", 1, 0, 9, "MKR", "chem"},
    {"НИКО 2022 Окружающий мир 4 класс", 1, 2022, 4, "NIKO", "okr"},
    {"ВПР 2021 Информатика и ИКТ 7 класс", 1, 2021, 7, "VPR", "inf"},
    {"ВПР 5кл. 2023 История", 1, 2023, 5, "VPR", "hist"},
    {"ВПР 2023, класс 6, биология", 1, 2023, 6, "VPR", "bio"},
    {"ВПР 2023 Обществознание 8 класс", 1, 2023, 8, "VPR", "soc"},
    {"ВПР 2023 География 7 класс", 1, 2023, 7, "VPR", "geo"},
    {"ЕГЭ 2023 Литература", 1, 2023, 0, "EGE", "lit"},
    {"ОГЭ 2024 английский язык", 1, 2024, 0, "OGE", "eng"},
    {"ВПР Немецкий язык 7 класс", 1, 0, 7, "VPR", "deu"},
    {"ВПР 2020 Французский язык 11 класс", 1, 2020, 11, "VPR", "fra"},
    {"РКР 2023 Читательская грамотность 6 класс", 1, 2023, 6, "RKR", "read"},
    {"ВПР 2023 Математика 5-х классов", 1, 2023, 5, "VPR", "math"},
    {"впр 2023 МАТЕМАТИКА 10 КЛАСС", 1, 2023, 10, "VPR", "math"},
    {"Диагностическая работа 2023 математика 9 класс", 1, 2023, 9, "DIAG", "math"},
    {"Итоговое сочинение 2023", 1, 2023, 0, "ESSAY", "essay"},
    {"ВПР 1999 Математика", 1, 0, 0, "VPR", "math"},
    {"ВПР 2023 12 класс", 1, 2023, 0, "VPR", ""},
    {"ВПР 2023/2024", 1, 2023, 0, "VPR", ""},
    {"ВПР", 0, 0, 0, "", ""},
    {"ВПР (Ф1)", 0, 0, 0, "", ""},
    {"Математика 5 класс 2023", 0, 0, 0, "", ""},
    {"Статистика по отметкам", 0, 0, 0, "", ""},
    {"Код ОО", 0, 0, 0, "", ""},
    {"ВПРЫ 2023 Математика", 0, 0, 0, "", ""}, /* a kind is a whole word */
    {"", 0, 0, 0, "", ""},
    {"\xff\xfe", 0, 0, 0, "", ""},
};

static void title_lines(void **state)
{
    BEGIN();
    for (size_t i = 0; i < N(TITLES); i++) {
        const title_case *tc = &TITLES[i];
        hdr_title t;
        memset(&t, 0x5a, sizeof t);
        int rc = hdr_parse_title(tc->cell, &t);
        CHECK(rc == tc->rc && t.year == tc->year && t.grade == tc->grade &&
                  strcmp(t.kind, tc->kind) == 0 && strcmp(t.subject, tc->subject) == 0,
              "«%s» → %d %d %d «%s» «%s», want %d %d %d «%s» «%s»", tc->cell, rc, t.year, t.grade,
              t.kind, t.subject, tc->rc, tc->year, tc->grade, tc->kind, tc->subject);
    }
    hdr_title t;
    CHECK(hdr_parse_title(NULL, &t) == 0 && t.kind[0] == '\0', "NULL title");
    CHECK(hdr_parse_title("ВПР 2023", NULL) == 0, "NULL out");
    END();
}

/* ---- kind and subject names ---------------------------------------------------------------- */

typedef struct code_case {
    const char *text, *code; /* code NULL: -1 */
} code_case;

static const code_case KIND_CODES[] = {
    {"ВПР", "VPR"},
    {"впр", "VPR"},
    {" ВПР ", "VPR"},
    {"VPR", "VPR"},
    {"vpr", "VPR"},
    {"Всероссийская проверочная работа", "VPR"},
    {"ОГЭ", "OGE"},
    {"oge", "OGE"},
    {"ЕГЭ", "EGE"},
    {"Единый государственный экзамен", "EGE"},
    {"ГВЭ-9", "GVE9"},
    {"ГВЭ 9", "GVE9"},
    {"ГВЭ9", "GVE9"},
    {"gve9", "GVE9"},
    {"ГВЭ-11", "GVE11"},
    {"GVE11", "GVE11"},
    {"РКР", "RKR"},
    {"МКР", "MKR"},
    {"НИКО", "NIKO"},
    {"niko", "NIKO"},
    {"Диагностическая работа", "DIAG"},
    {"DIAG", "DIAG"},
    {"Итоговое сочинение", "ESSAY"},
    {"Итоговое собеседование", "INTERVIEW"},
    {"ВсОШ", "VSOSH"},
    {"Всероссийская олимпиада школьников", "VSOSH"},
    {"ГВЭ", NULL},
    {"впр 2023", NULL},
    {"ВПР Математика", NULL},
    {"", NULL},
    {"XYZ", NULL},
    {"VPRX", NULL},
};

static const code_case SUBJECT_CODES[] = {
    {"Русский язык", "rus"},
    {"русский язык", "rus"},
    {"Рус. яз.", "rus"},
    {"rus", "rus"},
    {"Математика", "math"},
    {"МАТЕМАТИКА", "math"},
    {"math", "math"},
    {"Математика (базовая)", "math_base"},
    {"Математика (базовый уровень)", "math_base"},
    {"математика базовый уровень", "math_base"},
    {"math_base", "math_base"},
    {"Математика (профильная)", "math_prof"},
    {"математика (профильный уровень)", "math_prof"},
    {"Математика профильный уровень", "math_prof"},
    {"MATH_PROF", "math_prof"},
    {"Физика", "phys"},
    {"phys", "phys"},
    {"Химия", "chem"},
    {"Биология", "bio"},
    {"Информатика", "inf"},
    {"Информатика и ИКТ", "inf"},
    {"История", "hist"},
    {"Обществознание", "soc"},
    {"География", "geo"},
    {"Литература", "lit"},
    {"Английский язык", "eng"},
    {"Немецкий язык", "deu"},
    {"Французский язык", "fra"},
    {"Окружающий мир", "okr"},
    {"Читательская грамотность", "read"},
    {"read", "read"},
    {"Итоговое сочинение", "essay"},
    {"Алгебра", NULL},
    {"Математика 5 класс", NULL},
    {"", NULL},
    {"mat", NULL},
};

static void codes(const code_case *cases, size_t n, int (*fn)(const char *, char *, size_t),
                  const char *what)
{
    for (size_t i = 0; i < n; i++) {
        char out[16] = "";
        int rc = fn(cases[i].text, out, sizeof out);
        if (cases[i].code)
            CHECK(rc == 0 && strcmp(out, cases[i].code) == 0, "%s «%s» → %d «%s», want «%s»", what,
                  cases[i].text, rc, out, cases[i].code);
        else
            CHECK(rc == -1, "%s «%s» → %d «%s», want -1", what, cases[i].text, rc, out);
    }
}

static void kind_and_subject_codes(void **state)
{
    BEGIN();
    codes(KIND_CODES, N(KIND_CODES), hdr_kind_code, "kind");
    codes(SUBJECT_CODES, N(SUBJECT_CODES), hdr_subject_code, "subject");
    char small[4];
    CHECK(hdr_kind_code("ВПР", small, sizeof small) == 0, "VPR fits in 4");
    CHECK(hdr_kind_code("ГВЭ-11", small, sizeof small) == -1, "GVE11 does not fit in 4");
    CHECK(hdr_subject_code("Математика", small, sizeof small) == -1, "math_? does not fit");
    CHECK(hdr_kind_code(NULL, small, sizeof small) == -1, "NULL text");
    CHECK(hdr_subject_code("math", NULL, 16) == -1, "NULL out");
    END();
}

/* ---- templates and fields ------------------------------------------------------------------ */

static void templates_and_field_names(void **state)
{
    static const char *const names[] = {"schools",   "results",   "aggregates", "context",
                                        "olympiads", "graduates", "plan",       "recheck",
                                        "scales",    "lists",     "contests"};
    for (int k = 0; k < TPL_COUNT; k++) {
        tpl_kind got = TPL_COUNT;
        assert_string_equal(tpl_kind_name((tpl_kind)k), names[k]);
        assert_int_equal(tpl_kind_parse(names[k], &got), 0);
        assert_int_equal(got, k);
    }
    tpl_kind got;
    assert_int_equal(tpl_kind_parse("RESULTS", &got), 0);
    assert_int_equal(got, TPL_RESULTS);
    assert_int_equal(tpl_kind_parse("result", &got), -1);
    assert_int_equal(tpl_kind_parse("", &got), -1);
    assert_int_equal(tpl_kind_parse(NULL, &got), -1);
    assert_null(tpl_kind_name(TPL_COUNT));
    assert_null(tpl_kind_name((tpl_kind)-1));

    assert_string_equal(hdr_field_name(F_SCHOOL_CODE), "school_code");
    assert_string_equal(hdr_field_name(F_STATUS_PLAN), "status");
    assert_string_equal(hdr_field_name(F_BELOW_MIN), "below_min");
    assert_string_equal(hdr_field_name(F_TASK), "");
    assert_string_equal(hdr_field_name(F_PERSONAL), "");
    assert_string_equal(hdr_field_name(F_NONE), "");
    assert_string_equal(hdr_field_name(F_COUNT), "");
    for (int a = 0; a < F_TASK; a++) {
        assert_true(hdr_field_name((hdr_field)a)[0] != '\0');
        for (int b = a + 1; b < F_TASK; b++)
            if (strcmp(hdr_field_name((hdr_field)a), hdr_field_name((hdr_field)b)) == 0)
                assert_true(a == F_STATUS && b == F_STATUS_PLAN);
    }
}

typedef struct req_case {
    int k;
    hdr_field f;
    int want;
} req_case;

static const req_case REQUIRED[] = {
    {SCH, F_SCHOOL_CODE, 1},
    {SCH, F_NAME, 1},
    {SCH, F_TYPE, 0},
    {RES, F_SCHOOL_CODE, 1},
    {RES, F_PUPIL_CODE, 0},
    {RES, F_YEAR, 0},
    {RES, F_KIND, 0},
    {RES, F_SUBJECT, 0},
    {RES, F_GRADE, 0},
    {RES, F_PRIMARY_SCORE, 0},
    {AGG, F_SCHOOL_CODE, 1},
    {AGG, F_PARTICIPANTS, 1},
    {AGG, F_MARK2, 0},
    {CTX, F_SCHOOL_CODE, 1},
    {CTX, F_ELEMENT, 0},
    {OLY, F_SCHOOL_CODE, 1},
    {OLY, F_PUPIL_CODE, 0},
    {OLY, F_TEAM_PLACE, 0},
    {GRA, F_SCHOOL_CODE, 1},
    {GRA, F_PUPIL_CODE, 1},
    {GRA, F_MEDAL, 0},
    {PLA, F_TEXT, 1},
    {PLA, F_SCHOOL_CODE, 0},
    {PLA, F_NUMBER, 0},
    {REC, F_SCHOOL_CODE, 1},
    {REC, F_PUPIL_CODE, 1},
    {REC, F_VARIANT, 0},
    {RES, F_TASK, 0},
    {RES, F_NONE, 0},
    {RES, F_COUNT, 0},
    {(int)TPL_COUNT, F_SCHOOL_CODE, 0},
};

static void required_fields(void **state)
{
    BEGIN();
    for (size_t i = 0; i < N(REQUIRED); i++)
        CHECK(hdr_field_required((tpl_kind)REQUIRED[i].k, REQUIRED[i].f) == REQUIRED[i].want,
              "%d %s required != %d", REQUIRED[i].k, fname(REQUIRED[i].f), REQUIRED[i].want);
    /* a required field is always a column of its template */
    for (int k = 0; k < TPL_COUNT; k++) {
        for (int f = 0; f < F_TASK; f++) {
            if (!hdr_field_required((tpl_kind)k, (hdr_field)f))
                continue;
            hdr_col c;
            hdr_match_cell((tpl_kind)k, hdr_field_name((hdr_field)f), &c);
            CHECK(c.field == (hdr_field)f, "%s requires %s, which it cannot match",
                  tpl_kind_name(k), hdr_field_name((hdr_field)f));
        }
    }
    END();
}

/* ---- values -------------------------------------------------------------------------------- */

typedef struct num_case {
    const char *cell;
    int rc;
    double v;
} num_case;

static const num_case NUMBERS[] = {
    {"12", 0, 12},
    {"12,5", 0, 12.5},
    {"12.5", 0, 12.5},
    {" 1 234 ", 0, 1234},
    {"1\u00a0234", 0, 1234},
    {"1\u202f234", 0, 1234},
    {"1\u2009234", 0, 1234},
    {"1 234 567,25", 0, 1234567.25},
    {"\t7\r\n", 0, 7},
    {"-3", 0, -3},
    {"+4", 0, 4},
    {"\u22122,5", 0, -2.5},
    {"0", 0, 0},
    {"-0", 0, 0},
    {"007", 0, 7},
    {",5", 0, 0.5},
    {"0.1", 0, 0.1},
    {"0.30000000000000004", 0, 0.30000000000000004},
    {"1E-05", 0, 1e-5},
    {"1e3", 0, 1000},
    {"2.5e+2", 0, 250},
    {"18446744073709551616", 0, 18446744073709551616.0},
    {"", VAL_EMPTY, 0},
    {"   ", VAL_EMPTY, 0},
    {"\u00a0\u2009", VAL_EMPTY, 0},
    {"X", VAL_X, 0},
    {"x", VAL_X, 0},
    {"Х", VAL_X, 0},
    {"х", VAL_X, 0},
    {"-", VAL_X, 0},
    {"—", VAL_X, 0},
    {"–", VAL_X, 0},
    {" X ", VAL_X, 0},
    {"12a", -1, 0},
    {"1,2,3", -1, 0},
    {"1.2.3", -1, 0},
    {"1,234.5", -1, 0},
    {"12 5", -1, 0},
    {"1 2345", -1, 0},
    {"1234 567", -1, 0},
    {"1 23", -1, 0},
    {"1  234", -1, 0},
    {"1\t234", -1, 0},
    {"12,", -1, 0},
    {".", -1, 0},
    {"+", -1, 0},
    {"--3", -1, 0},
    {"- 3", -1, 0},
    {"XX", -1, 0},
    {"X1", -1, 0},
    {"12%", -1, 0},
    {"1e", -1, 0},
    {"1e400", -1, 0},
    {"1 000e3", -1, 0},
    {"1e123456", -1, 0},
    {"inf", -1, 0},
    {"nan", -1, 0},
    {"0x10", -1, 0},
    {"١٢", -1, 0},
    {"12\xff", -1, 0},
    {"отсутствовал", -1, 0},
    /* the short path of one or two plain digits, and what it must leave to the general one */
    {"7", 0, 7},
    {"07", 0, 7},
    {"42", 0, 42},
    {"100", 0, 100},
    {"4 ", 0, 4},
    {" 4", 0, 4},
    {"9a", -1, 0},
    {"5\xff", -1, 0},
    {"12.", -1, 0},
};

static void numbers(void **state)
{
    BEGIN();
    for (size_t i = 0; i < N(NUMBERS); i++) {
        double v = -99;
        int rc = val_number(NUMBERS[i].cell, &v);
        CHECK(rc == NUMBERS[i].rc, "«%s» → %d, want %d", NUMBERS[i].cell, rc, NUMBERS[i].rc);
        if (NUMBERS[i].rc == 0)
            CHECK(v == NUMBERS[i].v && !signbit(v) == !signbit(NUMBERS[i].v),
                  "«%s» → %.17g, want %.17g", NUMBERS[i].cell, v, NUMBERS[i].v);
        else
            CHECK(v == -99, "«%s» wrote %g on failure", NUMBERS[i].cell, v);
    }
    CHECK(val_number(NULL, NULL) == VAL_EMPTY, "NULL cell");
    CHECK(val_number("5", NULL) == 0, "NULL out");
    END();
}

typedef struct int_case {
    const char *cell;
    long lo, hi;
    int rc;
    long v;
} int_case;

static const int_case INTS[] = {
    {"5", 1, 5, 0, 5},
    {"5,0", 1, 5, 0, 5},
    {"5.00", 1, 5, 0, 5},
    {" 2 ", 2, 5, 0, 2},
    {"-3", -5, 5, 0, -3},
    {"1 234", 0, 10000, 0, 1234},
    {"12345678901", 0, LONG_MAX, 0, 12345678901L},
    {"5,5", 1, 5, -1, 0},
    {"6", 1, 5, -1, 0},
    {"0", 1, 5, -1, 0},
    {"4.9999", 1, 5, -1, 0},
    {"", 1, 5, VAL_EMPTY, 0},
    {" ", 1, 5, VAL_EMPTY, 0},
    {"X", 1, 5, -1, 0},
    {"пять", 1, 5, -1, 0},
    {"1e30", LONG_MIN, LONG_MAX, -1, 0},
    {"-1e30", LONG_MIN, LONG_MAX, -1, 0},
    {"9223372036854775807", LONG_MIN, LONG_MAX, -1, 0},
};

static void integers(void **state)
{
    BEGIN();
    for (size_t i = 0; i < N(INTS); i++) {
        long v = -99;
        int rc = val_int(INTS[i].cell, INTS[i].lo, INTS[i].hi, &v);
        CHECK(rc == INTS[i].rc && (rc != 0 || v == INTS[i].v) && (rc == 0 || v == -99),
              "«%s» [%ld, %ld] → %d %ld, want %d %ld", INTS[i].cell, INTS[i].lo, INTS[i].hi, rc, v,
              INTS[i].rc, INTS[i].v);
    }
    END();
}

typedef struct bool_case {
    const char *cell;
    int rc, v;
} bool_case;

static const bool_case BOOLS[] = {
    {"1", 0, 1},           {"0", 0, 0},
    {"да", 0, 1},          {"Да", 0, 1},
    {"ДА", 0, 1},          {"нет", 0, 0},
    {"Нет", 0, 0},         {"есть", 0, 1},
    {"Есть", 0, 1},        {"+", 0, 1},
    {"-", 0, 0},           {"true", 0, 1},
    {"TRUE", 0, 1},        {"false", 0, 0},
    {"yes", 0, 1},         {"Yes", 0, 1},
    {"no", 0, 0},          {"NO", 0, 0},
    {"имеется", 0, 1},     {"Имеется", 0, 1},
    {"отсутствует", 0, 0}, {"Отсутствует", 0, 0},
    {"ИСТИНА", 0, 1},      {"ЛОЖЬ", 0, 0},
    {" да ", 0, 1},        {"\u00a0нет\u00a0", 0, 0},
    {"", VAL_EMPTY, 0},    {"  ", VAL_EMPTY, 0},
    {"может быть", -1, 0}, {"2", -1, 0},
    {"да нет", -1, 0},     {"д", -1, 0},
    {"1.0", -1, 0},        {"\xff", -1, 0},
};

static void booleans(void **state)
{
    BEGIN();
    for (size_t i = 0; i < N(BOOLS); i++) {
        int v = -99;
        int rc = val_bool(BOOLS[i].cell, &v);
        CHECK(rc == BOOLS[i].rc && (rc != 0 || v == BOOLS[i].v) && (rc == 0 || v == -99),
              "«%s» → %d %d, want %d %d", BOOLS[i].cell, rc, v, BOOLS[i].rc, BOOLS[i].v);
    }
    CHECK(val_bool(NULL, NULL) == VAL_EMPTY, "NULL");
    END();
}

static void absent_words(void **state)
{
    static const char *const yes[] = {
        "отсутствовал",    "Отсутствовала", "ОТСУТСТВОВАЛ", "не явился", "Не явилась",
        "неявка",          "Неявка",        "absent",       "н/я",       "Н/Я",
        " отсутствовал. ", "отсутствует",   "не участвовал"};
    static const char *const no[] = {
        "5", "", "присутствовал", "X", "нет", "отсутствует 2", "2 н/я", "1неявка"};
    BEGIN();
    for (size_t i = 0; i < N(yes); i++)
        CHECK(val_is_absent(yes[i]) == 1, "«%s» is absent", yes[i]);
    for (size_t i = 0; i < N(no); i++)
        CHECK(val_is_absent(no[i]) == 0, "«%s» is not absent", no[i]);
    CHECK(val_is_absent(NULL) == 0, "NULL");
    END();
}

/* ---- regressions found by tests/fuzz/fuzz_header.c ------------------------------------------ */

/* tests/fuzz/corpus/header/regress-title-interview: "INTERVIEW" (9 bytes) was written into
 * hdr_title.kind[8], which put_code refused, and the title came back as 1 with an empty kind.
 * A title's kind is now only a code that fits. */
static void fuzz_regression_title_kind_fits(void **state)
{
    hdr_title t;
    assert_int_equal(hdr_parse_title("1 234interview—", &t), 0);
    assert_string_equal(t.kind, "");
    assert_int_equal(hdr_parse_title("Итоговое собеседование 2024 9 класс", &t), 0);
    assert_int_equal(hdr_parse_title("Итоговое сочинение 2024", &t), 1);
    assert_string_equal(t.kind, "ESSAY");
    char out[16];
    assert_int_equal(hdr_kind_code("Итоговое собеседование", out, sizeof out), 0);
    assert_string_equal(out, "INTERVIEW"); /* a kind column has room for it */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(aliases_match_their_field_in_each_template),
        cmocka_unit_test(other_cells),
        cmocka_unit_test(task_columns),
        cmocka_unit_test(header_rows),
        cmocka_unit_test(header_row_edges),
        cmocka_unit_test(normalize_table),
        cmocka_unit_test(normalize_truncates_whole_characters),
        cmocka_unit_test(long_cells),
        cmocka_unit_test(title_lines),
        cmocka_unit_test(kind_and_subject_codes),
        cmocka_unit_test(templates_and_field_names),
        cmocka_unit_test(required_fields),
        cmocka_unit_test(numbers),
        cmocka_unit_test(integers),
        cmocka_unit_test(booleans),
        cmocka_unit_test(absent_words),
        cmocka_unit_test(fuzz_regression_title_kind_fits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
