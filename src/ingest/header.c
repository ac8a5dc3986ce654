/*
 * Templates and header matching (see header.h): the alias table that maps what people write
 * in a header («Код ОО», «логин школы», `user`) to a canonical column and the task-column
 * patterns («балл за 3», «9.1 (2б)», "a-1-grade"). Aliases are written here as people write
 * them and normalised once (docs/import.md lists them). The text forms they are compared in
 * are header_text.c's; the ФИС ОКО «Ф1» title line, kinds and subjects header_title.c's; cell
 * values header_value.c's.
 */
#include "ingest/header.h"
#include "ingest/header_internal.h"

#include "ingest/template.h"

#include "base/err.h"
#include "base/mem.h"
#include "base/vocab.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- templates and fields ------------------------------------------------------------------ */

static const char *const FIELD_NAMES[] = {
    [F_YEAR] = "year",
    [F_KIND] = "kind",
    [F_SUBJECT] = "subject",
    [F_GRADE] = "grade",
    [F_SCHOOL_CODE] = "school_code",
    [F_CLASS] = "class",
    [F_PUPIL_CODE] = "pupil_code",
    [F_VARIANT] = "variant",
    [F_PRIMARY_SCORE] = "primary_score",
    [F_MARK] = "mark",
    [F_TEST_SCORE] = "test_score",
    [F_JOURNAL_MARK] = "journal_mark",
    [F_RETAKE] = "retake",
    [F_PAST_GRADUATE] = "past_graduate",
    [F_OVZ] = "ovz",
    [F_ABSENT] = "absent",
    [F_NAME] = "name",
    [F_TYPE] = "type",
    [F_LOCALITY] = "locality",
    [F_LEVELS] = "levels",
    [F_MUNICIPALITY] = "municipality",
    [F_PARTICIPANTS] = "participants",
    [F_MARK2] = "mark2",
    [F_MARK3] = "mark3",
    [F_MARK4] = "mark4",
    [F_MARK5] = "mark5",
    [F_BELOW_MIN] = "below_min",
    [F_MEAN_SCORE] = "mean_score",
    [F_ELEMENT] = "element",
    [F_VALUE] = "value",
    [F_STAGE] = "stage",
    [F_STATUS] = "status",
    [F_SCORE] = "score",
    [F_TEAM_PLACE] = "team_place",
    [F_ATTESTAT] = "attestat",
    [F_MEDAL] = "medal",
    [F_DESTINATION] = "destination",
    [F_SECTION] = "section",
    [F_NUMBER] = "number",
    [F_TEXT] = "text",
    [F_DEADLINE] = "deadline",
    [F_RESPONSIBLE] = "responsible",
    [F_RESULT] = "result",
    [F_STATUS_PLAN] = "status",
    [F_MAX_PRIMARY] = "max_primary",
    [F_CUT3] = "mark3_from",
    [F_CUT4] = "mark4_from",
    [F_CUT5] = "mark5_from",
    [F_MIN_TEST] = "min_test",
    [F_SOURCE] = "source",
    [F_LIST] = "list",
    [F_REASON] = "reason",
    [F_LEVEL] = "level",
    [F_CONTEST] = "contest",
    [F_TEACHER_CODE] = "teacher_code",
    [F_PASS] = "pass",
    [F_TASK] = "",
    [F_PERSONAL] = "",
    [F_IGNORED] = "",
};

_Static_assert(sizeof FIELD_NAMES / sizeof FIELD_NAMES[0] == F_COUNT, "a name for every field");

const char *hdr_field_name(hdr_field f)
{
    return f >= 0 && f < F_COUNT ? FIELD_NAMES[f] : "";
}

#define B(f) TPL_BIT(f)
#define TM(k) (1u << (k))
#define ALL_TPL ((1u << TPL_COUNT) - 1u)

/* Only templates with task-score columns (F_TASK in their fields) read a bare number as a
 * task. */
static int tpl_has_tasks(tpl_kind k)
{
    return (TPL[k].fields & B(F_TASK)) != 0;
}

int hdr_field_required(tpl_kind k, hdr_field f)
{
    if ((unsigned)k >= TPL_COUNT || f < 0 || f >= F_TASK)
        return 0;
    return (TPL[k].required & B(f)) != 0;
}

/* ---- aliases --------------------------------------------------------------------------------
 * One row per field and set of templates (tpl 0: every template that has the field). The same
 * words may mean different fields in different templates («Балл» is the test score of a ГИА
 * sheet and an olympiad score; «Класс» is the class of a pupil in results and the grade of an
 * aggregate), never two fields in one template: tests/unit/test_header.c checks each alias. The
 * canonical English name of a field is an alias of it too. */
enum { MAX_ALIASES = 18 };
typedef struct alias_row {
    hdr_field field;
    unsigned tpl;
    const char *alias[MAX_ALIASES];
} alias_row;

#define NO_GRADE_CLASS (TM(TPL_AGGREGATES) | TM(TPL_OLYMPIADS) | TM(TPL_GRADUATES))

static const alias_row ALIASES[] = {
    {F_YEAR, 0, {"Год", "Учебный год", "Год проведения"}},
    {F_KIND, 0, {"Вид процедуры", "Процедура", "Оценочная процедура", "Вид оценочной процедуры"}},
    {F_SUBJECT, 0, {"Предмет", "Учебный предмет"}},
    {F_GRADE, 0, {"Параллель"}},
    {F_GRADE, NO_GRADE_CLASS, {"Класс"}},
    {F_SCHOOL_CODE,
     0,
     {"Код ОО", "Код ОУ", "Логин школы", "Логин ОО", "user", "Код школы", "Школа (код)", "login",
      "Логин", "Код образовательной организации"}},
    /* ФИС ОКО «Статистика по отметкам»: «Группы участников» holds the RF, the region, the
     * municipality and «(sch233070) МБОУ СОШ № 1» rows (ingest/load_bench.c) */
    {F_SCHOOL_CODE, TM(TPL_AGGREGATES), {"Группы участников"}},
    {F_IGNORED, TM(TPL_AGGREGATES), {"Кол-во ОО", "Количество ОО"}},
    {F_CLASS, 0, {"Класс", "klass", "Буква класса", "Литера класса", "Литера"}},
    {F_PUPIL_CODE,
     0,
     {"Код участника", "Код обучающегося", "Код ученика", "code", "Код выпускника"}},
    {F_VARIANT, 0, {"Вариант", "Номер варианта"}},
    {F_PRIMARY_SCORE,
     0,
     {"Первичный балл", "Всего баллов", "sum", "Сумма баллов", "Итоговый первичный балл",
      "Сумма первичных баллов"}},
    {F_MARK,
     0,
     {"Отметка", "Оценка", "Отметка за работу", "Оценка за работу", "Отметка по пятибалльной шкале",
      "Уровень", "Уровень достижений", "Уровень подготовки", "Уровень сформированности"}},
    {F_TEST_SCORE, 0, {"Тестовый балл", "Балл", "Итоговый балл", "Балл по стобалльной шкале"}},
    {F_JOURNAL_MARK,
     0,
     {"Отметка по журналу", "Отметка за предыдущую четверть/триместр",
      "Отметка за предыдущую четверть", "Отметка за предыдущий триместр", "Отметка за четверть",
      "Отметка за триместр", "otc", "Текущая отметка", "Отметка в журнале"}},
    {F_RETAKE, 0, {"Пересдача"}},
    {F_PAST_GRADUATE, 0, {"Выпускник прошлых лет", "ВПЛ"}},
    {F_OVZ, 0, {"ОВЗ", "Участник с ОВЗ", "Обучающийся с ОВЗ"}},
    {F_ABSENT, 0, {"Отсутствовал", "Неявка", "Не явился"}},
    /* итоговое сочинение (изложение), итоговое собеседование: pass/fail (seed 003 п. 2.1) */
    {F_PASS,
     0,
     {"Зачёт/незачёт", "Результат (зачёт/незачёт)", "Зачёт", "Результат", "Итог",
      "Результат сочинения", "Результат собеседования"}},
    {F_NAME,
     0,
     {"Наименование ОО", "Название", "Полное наименование", "Наименование", "Название ОО",
      "Наименование организации", "Краткое наименование"}},
    {F_TYPE, 0, {"Тип ОО", "Вид ОО", "Тип"}},
    {F_LOCALITY, 0, {"Местность", "Городская/сельская", "Тип местности", "Город/село"}},
    {F_LEVELS, 0, {"Уровни образования", "Уровень образования"}},
    {F_MUNICIPALITY,
     TM(TPL_SCHOOLS),
     {"Муниципалитет", "МО", "Муниципальное образование", "Район", "Код муниципалитета",
      "municipality"}},
    {F_PARTICIPANTS,
     0,
     {"Участников", "Кол-во участников", "Число участников", "Количество участников",
      "Всего участников"}},
    {F_MARK2,
     0,
     {"2", "Отметка 2", "Кол-во 2", "Количество 2", "Оценка 2", "Число 2", "Кол-во отметок 2",
      "Количество отметок 2"}},
    {F_MARK3,
     0,
     {"3", "Отметка 3", "Кол-во 3", "Количество 3", "Оценка 3", "Число 3", "Кол-во отметок 3",
      "Количество отметок 3"}},
    {F_MARK4,
     0,
     {"4", "Отметка 4", "Кол-во 4", "Количество 4", "Оценка 4", "Число 4", "Кол-во отметок 4",
      "Количество отметок 4"}},
    {F_MARK5,
     0,
     {"5", "Отметка 5", "Кол-во 5", "Количество 5", "Оценка 5", "Число 5", "Кол-во отметок 5",
      "Количество отметок 5"}},
    {F_BELOW_MIN,
     0,
     {"Ниже минимального", "Не преодолели минимальный порог", "Ниже минимального балла",
      "Не преодолели минимальный балл", "Не набрали минимальный балл"}},
    {F_MEAN_SCORE,
     0,
     {"Средний балл", "Средний тестовый балл", "Средний балл ЕГЭ", "Средний тестовый балл ЕГЭ"}},
    {F_ELEMENT, 0, {"Показатель", "Код показателя"}},
    {F_VALUE, 0, {"Значение", "Значение показателя"}},
    {F_STAGE, 0, {"Этап", "Этап олимпиады"}},
    {F_STATUS, 0, {"Статус", "Результат", "Статус участника", "Тип диплома"}},
    {F_SCORE, 0, {"Балл", "Баллы", "Итоговый балл", "Сумма баллов", "Количество баллов"}},
    {F_TEAM_PLACE, 0, {"Место команды", "Командное место", "Место"}},
    {F_ATTESTAT, 0, {"Аттестат", "Получил аттестат", "Аттестат получен"}},
    /* seed 003 п. 1.8: a 9th grader's «аттестат с отличием» is the grade-9 «medal» */
    {F_MEDAL, 0, {"Медаль", "Аттестат с отличием", "С отличием", "Особые успехи в учении"}},
    {F_DESTINATION,
     0,
     {"Продолжение обучения", "Куда поступил", "Направление", "Дальнейшее обучение"}},
    {F_SECTION, 0, {"Раздел"}},
    {F_NUMBER, 0, {"№", "Номер", "№ п/п", "Номер п/п"}},
    {F_TEXT,
     0,
     {"Мероприятие", "Мероприятия", "Содержание", "Наименование мероприятия",
      "Содержание мероприятия"}},
    {F_DEADLINE,
     0,
     {"Срок", "Сроки", "Срок исполнения", "Сроки исполнения", "Срок выполнения",
      "Сроки проведения"}},
    {F_RESPONSIBLE,
     0,
     {"Ответственный", "Ответственные", "Исполнитель", "Исполнители", "ФИО ответственного"}},
    {F_RESULT, 0, {"Ожидаемый результат", "Результат", "Планируемый результат"}},
    {F_STATUS_PLAN, 0, {"Статус", "Отметка о выполнении", "Отметка об исполнении", "Выполнение"}},
    {F_MAX_PRIMARY,
     0,
     {"Максимальный балл", "Максимальный первичный балл", "Максимум", "Макс. балл"}},
    {F_CUT3, 0, {"Отметка 3 от", "3 от", "Порог 3", "Минимальный балл для отметки 3"}},
    {F_CUT4, 0, {"Отметка 4 от", "4 от", "Порог 4", "Минимальный балл для отметки 4"}},
    {F_CUT5, 0, {"Отметка 5 от", "5 от", "Порог 5", "Минимальный балл для отметки 5"}},
    {F_MIN_TEST,
     0,
     {"Минимальный балл", "Минимальный тестовый балл", "Минимальное количество баллов",
      "Порог ЕГЭ"}},
    {F_SOURCE, 0, {"Источник", "Основание шкалы", "Документ"}},
    {F_LIST, 0, {"Список", "Вид списка", "Перечень"}},
    {F_REASON, 0, {"Основание", "Причина", "Признак", "Признаки"}},
    {F_LEVEL, 0, {"Уровень", "Уровень конкурса", "Уровень мероприятия"}},
    {F_CONTEST,
     0,
     {"Конкурс", "Название конкурса", "Наименование конкурса", "Мероприятие",
      "Название мероприятия"}},
    {F_TEACHER_CODE, 0, {"Код педагога", "Код учителя", "Педагог (код)"}},
    /* Names and documents are dropped on import, in every template (we keep codes only). */
    {F_PERSONAL,
     ALL_TPL,
     {"Фамилия", "Имя", "Отчество", "ФИО", "Ф.И.О. обучающегося", "ФИО обучающегося",
      "ФИО участника", "ФИО ученика", "ФИО выпускника", "Фамилия, имя, отчество", "Дата рождения",
      "Серия документа", "Номер документа", "СНИЛС", "Серия паспорта", "Номер паспорта"}},
    /* A work code identifies one script of one procedure, not a pupil: never a pupil_code. */
    {F_IGNORED,
     ALL_TPL,
     {"Регион", "Код региона", "Пол", "Номер обучающегося", "Код МСУ", "Код ППЭ", "Аудитория",
      "Номер аудитории", "Ответы на задания с кратким ответом",
      "Ответы на задания с развёрнутым ответом", "Задания с кратким ответом",
      "Задания с развёрнутым ответом", "Код работы"}},
    {F_IGNORED, ALL_TPL & ~TM(TPL_PLAN), {"№", "№ п/п"}},
    {F_IGNORED, ALL_TPL & ~TM(TPL_SCHOOLS), {"Наименование ОО", "Название ОО"}},
    {F_IGNORED, ALL_TPL & ~TM(TPL_SCHOOLS), {"Муниципалитет", "Муниципальное образование"}},
    {F_IGNORED, TM(TPL_RECHECK), {"Класс"}},
};

#define NROWS (sizeof ALIASES / sizeof ALIASES[0])

size_t hdr_field_aliases(tpl_kind k, hdr_field f, const char **out, size_t cap)
{
    size_t n = 0;
    if ((unsigned)k >= TPL_COUNT || f < 0 || f >= F_COUNT)
        return 0;
    for (size_t i = 0; i < NROWS; i++) {
        const alias_row *r = &ALIASES[i];
        if (r->field != f || !(r->tpl ? (r->tpl & TM(k)) != 0 : (TPL[k].fields & B(f)) != 0))
            continue;
        for (size_t j = 0; j < MAX_ALIASES && r->alias[j]; j++, n++)
            if (out && n < cap)
                out[n] = r->alias[j];
    }
    return n;
}

/* ---- the normalised tables, built once -------------------------------------------------- */
enum { KEY_MAX = 112, MAX_KEYS = 640 };

#define NUMERO "\xE2\x84\x96" /* № */

typedef struct alias_key {
    char key[KEY_MAX];
    uint32_t hash; /* of key, so that a miss costs one compare */
    hdr_field field;
    unsigned tpl;
} alias_key;

static struct {
    pthread_once_t once;
    size_t nkeys;
    alias_key keys[MAX_KEYS];
} S = {.once = PTHREAD_ONCE_INIT};

/* FNV-1a */
static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void add_key(const char *alias, hdr_field f, unsigned tpl)
{
    int trunc;
    MSK_ASSERT(S.nkeys < MAX_KEYS);
    alias_key *k = &S.keys[S.nkeys++];
    hdr_norm_n(alias, strlen(alias), k->key, sizeof k->key, &trunc);
    MSK_ASSERT(!trunc);
    if (!k->key[0]) { /* only «№» normalises to nothing */
        MSK_ASSERT(strcmp(alias, NUMERO) == 0);
        memcpy(k->key, NUMERO, sizeof NUMERO);
    }
    k->hash = hash_str(k->key);
    k->field = f;
    k->tpl = tpl;
}

static int key_cmp(const void *a, const void *b)
{
    const alias_key *x = a, *y = b;
    return x->hash < y->hash ? -1 : x->hash > y->hash;
}

static void build_tables(void)
{
    for (size_t i = 0; i < NROWS; i++)
        for (size_t j = 0; j < MAX_ALIASES && ALIASES[i].alias[j]; j++)
            add_key(ALIASES[i].alias[j], ALIASES[i].field, ALIASES[i].tpl);
    for (int f = 0; f < F_TASK; f++)
        add_key(FIELD_NAMES[f], (hdr_field)f, 0);
    /* by hash, for lookup's binary search; a key never means two fields in one template
     * (test_header.c checks every alias), so the order among equal keys does not matter */
    qsort(S.keys, S.nkeys, sizeof S.keys[0], key_cmp);
}

static void tables(void)
{
    pthread_once(&S.once, build_tables);
}

/* ---- matching one cell --------------------------------------------------------------------- */

static hdr_field lookup(tpl_kind k, const char *key)
{
    uint32_t h = hash_str(key);
    size_t lo = 0, hi = S.nkeys;
    while (lo < hi) { /* first key with hash >= h */
        size_t mid = lo + (hi - lo) / 2;
        if (S.keys[mid].hash < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < S.nkeys && S.keys[i].hash == h; i++) {
        const alias_key *a = &S.keys[i];
        if (strcmp(a->key, key) != 0)
            continue;
        if (a->tpl ? (a->tpl & TM(k)) != 0 : (TPL[k].fields & B(a->field)) != 0)
            return a->field;
    }
    return F_NONE;
}

/* «№», «№.», « № »: the only header that normalises to nothing and still means something. */
static int is_numero(const char *s, size_t n)
{
    size_t i = 0, seen = 0;
    while (i < n) {
        if (s[i] == ' ' || s[i] == '.' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
            i++;
        } else if (n - i >= 3 && memcmp(s + i, NUMERO, 3) == 0 && !seen) {
            seen = 1;
            i += 3;
        } else {
            return 0;
        }
    }
    return (int)seen;
}

static int starts(const char *p, const char *end, const char *w)
{
    size_t n = strlen(w);
    return (size_t)(end - p) >= n && memcmp(p, w, n) == 0;
}

/* Up to 4 digits at *pp (leading zeros allowed): the value, or -1. */
static int read_num(const char **pp, const char *end)
{
    const char *p = *pp;
    int v = 0, n = 0;
    while (p < end && *p >= '0' && *p <= '9' && n < 5)
        v = v * 10 + (*p++ - '0'), n++;
    if (n == 0 || n > 4 || (p < end && *p >= '0' && *p <= '9') || v > 999)
        return -1;
    *pp = p;
    return v;
}

static const char *skip_sp(const char *p, const char *end)
{
    while (p < end && *p == ' ')
        p++;
    return p;
}

/* The inside of a trailing «(1б)», «(2 балла)», «(max 3)», «(макс. 2)»: the maximum or -1. */
static int parse_max(const char *p, const char *end)
{
    static const char *const PRE[] = {"максимум", "макс", "max"};
    static const char *const SUF[] = {"баллов", "балла", "балл", "б"};
    int pre = 0;
    p = skip_sp(p, end);
    for (size_t i = 0; i < sizeof PRE / sizeof PRE[0]; i++) {
        if (starts(p, end, PRE[i])) {
            p += strlen(PRE[i]);
            pre = 1;
            while (p < end && (*p == '.' || *p == ':' || *p == '=' || *p == ' '))
                p++;
            break;
        }
    }
    int v = read_num(&p, end);
    if (v < 0)
        return -1;
    p = skip_sp(p, end);
    int suf = 0;
    for (size_t i = 0; i < sizeof SUF / sizeof SUF[0]; i++) {
        if (starts(p, end, SUF[i])) {
            p += strlen(SUF[i]);
            suf = 1;
            if (p < end && *p == '.')
                p++;
            break;
        }
    }
    p = skip_sp(p, end);
    return p == end && (pre || suf) ? v : -1;
}

/* Append to a task label; 0 or -1 when it does not fit. */
static int lab_put(char *lab, size_t *l, const char *s, size_t n)
{
    if (*l + n >= 16)
        return -1;
    memcpy(lab + *l, s, n);
    *l += n;
    lab[*l] = '\0';
    return 0;
}

static int lab_num(char *lab, size_t *l, int v)
{
    char d[4];
    size_t n = 0;
    if (v >= 100)
        d[n++] = (char)('0' + v / 100);
    if (v >= 10)
        d[n++] = (char)('0' + v / 10 % 10);
    d[n++] = (char)('0' + v % 10);
    return lab_put(lab, l, d, n);
}

/* «к»/"k" before a criterion number */
static int crit_letter(const char **pp, const char *end)
{
    if (starts(*pp, end, "\xD0\xBA")) { /* к */
        *pp += 2;
        return 1;
    }
    if (starts(*pp, end, "k")) {
        *pp += 1;
        return 1;
    }
    return 0;
}

/* A task-score header: "1", "2.1", "t9.1", «балл за 3», «балл за задание 3», «задание 3»,
 * «№3», «1 (1б)», «9.1 (2б)», "a-1-grade", «3(1)» (part 1 of task 3), «1К2» (criterion 2 of
 * task 1), «К1» / «Критерий 1» (essay criteria, label "K1"). Labels are ASCII. */
static int parse_task(const char *s, size_t n, char label[16], int *max)
{
    static const char *const PREFIX[] = {
        "баллы за задание №",
        "балл за задание №",
        "баллы за задание",
        "балл за задание",
        "баллы за",
        "балл за",
        "задание №",
        "задание",
        "задача №",
        "задача",
        "зад.",
        "зад",
        "критерий",
        "task",
        NUMERO,
        "t",
    };
    char b[128];
    size_t len = hdr_lower_n(s, n, b, sizeof b);
    if (len == (size_t)-1 || len == 0)
        return 0;
    const char *p = b, *end = b + len;
    int mx = -1;
    if (end[-1] == ')') {
        const char *open = end - 1;
        while (open > p && *open != '(')
            open--;
        if (*open == '(' && (mx = parse_max(open + 1, end - 1)) >= 0) {
            end = open;
            while (end > p && end[-1] == ' ')
                end--;
        }
    }
    int grade = 0; /* "a-9-1-grade": '-' separates parts too */
    int crit = 0;
    if (starts(p, end, "a-") && end - p > 8 && memcmp(end - 6, "-grade", 6) == 0) {
        p += 2;
        end -= 6;
        grade = 1;
    } else {
        for (size_t i = 0; i < sizeof PREFIX / sizeof PREFIX[0]; i++) {
            if (starts(p, end, PREFIX[i])) {
                crit = strcmp(PREFIX[i], "критерий") == 0;
                p = skip_sp(p + strlen(PREFIX[i]), end);
                break;
            }
        }
    }
    char lab[16] = "";
    size_t l = 0;
    int v;
    if (crit_letter(&p, end) || crit) { /* «К1», «Критерий 1»: a criterion of the essay */
        p = skip_sp(p, end);
        if ((v = read_num(&p, end)) < 1 || lab_put(lab, &l, "K", 1) || lab_num(lab, &l, v))
            return 0;
    } else {
        if ((v = read_num(&p, end)) < 1 || lab_num(lab, &l, v))
            return 0;
        for (int parts = 0; parts < 2 && p + 1 < end; parts++) {
            if (!(*p == '.' || *p == ',' || (grade && (*p == '-' || *p == '_'))) ||
                !(p[1] >= '0' && p[1] <= '9'))
                break;
            p++;
            if ((v = read_num(&p, end)) < 0 || lab_put(lab, &l, ".", 1) || lab_num(lab, &l, v))
                return 0;
        }
        const char *q = skip_sp(p, end);
        if (q < end && *q == '(') { /* «3(1)»: a part in parentheses */
            q++;
            if ((v = read_num(&q, end)) < 0 || q >= end || *q != ')')
                return 0;
            if (lab_put(lab, &l, "(", 1) || lab_num(lab, &l, v) || lab_put(lab, &l, ")", 1))
                return 0;
            p = q + 1;
        }
        q = skip_sp(p, end);
        if (crit_letter(&q, end)) { /* «1К2» */
            q = skip_sp(q, end);
            if ((v = read_num(&q, end)) < 1 || lab_put(lab, &l, "K", 1) || lab_num(lab, &l, v))
                return 0;
            p = q;
        }
    }
    if (p < end && *p == '.')
        p++;
    if (skip_sp(p, end) != end)
        return 0;
    memcpy(label, lab, sizeof lab);
    *max = mx;
    return 1;
}

/* One attempt on n bytes of s: an alias, then a task pattern. 1 when col was filled. */
static int match_text(tpl_kind k, const char *s, size_t n, hdr_col *col)
{
    char key[KEY_MAX];
    int trunc;
    hdr_norm_n(s, n, key, sizeof key, &trunc);
    if (!trunc && (key[0] || is_numero(s, n))) {
        hdr_field f = lookup(k, key[0] ? key : NUMERO);
        if (f != F_NONE) {
            col->field = f;
            return 1;
        }
    }
    if (tpl_has_tasks(k) && parse_task(s, n, col->task_label, &col->task_max)) {
        col->field = F_TASK;
        return 1;
    }
    return 0;
}

/* Length of s[0..n) without a trailing parenthesised note (and the blanks before it), or n. */
static size_t strip_paren(const char *s, size_t n)
{
    size_t e = n;
    int sep;
    while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\n' || s[e - 1] == '\r' || s[e - 1] == '\t' ||
                     (e >= 2 && hdr_blank_len((const unsigned char *)s + e - 2, &sep) == 2)))
        e -= s[e - 1] == '\xA0' ? 2 : 1;
    if (e == 0 || s[e - 1] != ')')
        return n;
    int depth = 0;
    while (e > 0) {
        char c = s[--e];
        if (c == ')')
            depth++;
        else if (c == '(' && --depth == 0)
            break;
    }
    if (depth != 0 || e == 0)
        return n;
    return e;
}

void hdr_match_cell(tpl_kind k, const char *cell, hdr_col *col)
{
    if (!col)
        return;
    col->field = F_NONE;
    col->task_label[0] = '\0';
    col->task_max = -1;
    if (!cell || (unsigned)k >= TPL_COUNT)
        return;
    tables();
    size_t full = strlen(cell), n = full;
    /* «Первичный балл (max 20)»: retry without trailing notes when the whole does not match */
    for (int tries = 0; tries < 4; tries++) {
        if (match_text(k, cell, n, col))
            break;
        size_t cut = strip_paren(cell, n);
        if (cut == n)
            break;
        n = cut;
    }
    /* «% 2», «% участников» are shares, not the counts the aggregates template holds */
    if (k == TPL_AGGREGATES && memchr(cell, '%', full) &&
        (col->field == F_PARTICIPANTS || (col->field >= F_MARK2 && col->field <= F_MARK5)))
        col->field = F_NONE;
}

static int is_blank_header(const char *cell)
{
    char key[8];
    int trunc;
    if (!cell)
        return 1;
    size_t n = strlen(cell);
    hdr_norm_n(cell, n, key, sizeof key, &trunc);
    return key[0] == '\0' && !is_numero(cell, n);
}

int hdr_match_row(tpl_kind k, char *const *cells, size_t n, hdr_map *out)
{
    int count = 0;
    if (!out)
        return 0;
    memset(out, 0, sizeof *out);
    for (int f = 0; f < F_COUNT; f++)
        out->field_col[f] = -1;
    if (n > INT_MAX) /* column numbers are int; no real sheet comes near */
        n = INT_MAX;
    if (!cells)
        n = 0;
    out->ncols = n;
    out->cols = msk_calloc(n, sizeof *out->cols);
    out->task_cols = msk_calloc(n, sizeof *out->task_cols);
    for (size_t i = 0; i < n; i++) {
        hdr_col *c = &out->cols[i];
        hdr_match_cell(k, cells[i], c);
        if (c->field == F_NONE) {
            if (!is_blank_header(cells[i])) /* empty cells are not element candidates */
                out->nunknown++;
            continue;
        }
        count++;
        if (out->field_col[c->field] < 0)
            out->field_col[c->field] = (int)i;
        if (c->field == F_TASK)
            out->task_cols[out->ntasks++] = (int)i;
        if (c->field != F_PERSONAL && c->field != F_IGNORED)
            out->matched++;
    }
    return count;
}

void hdr_map_release(hdr_map *m)
{
    if (!m)
        return;
    free(m->cols);
    free(m->task_cols);
    memset(m, 0, sizeof *m);
    for (int f = 0; f < F_COUNT; f++)
        m->field_col[f] = -1;
}
