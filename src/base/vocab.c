/*
 * The vocabulary table (see vocab.h): one row per code, one table per domain, and the table
 * of domains indexed by vocab_domain. Wordings were chosen among those the program used in
 * different places: the one the acts and the existing tests use, the fuller one on pages.
 */
#include "base/vocab.h"

#include "base/err.h"

#include <pthread.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* store/reference.c seeds procedure_kind from these (with each kind's result type) */
static const vocab_entry PROC_KINDS[] = {
    {"VPR", "ВПР", NULL},
    {"OGE", "ОГЭ", NULL},
    {"EGE", "ЕГЭ", NULL},
    {"GVE9", "ГВЭ-9", NULL},
    {"GVE11", "ГВЭ-11", NULL},
    {"RKR", "РКР", NULL},
    {"MKR", "МКР", NULL},
    {"NIKO", "НИКО", NULL},
    {"DIAG", "Диагностическая работа", NULL},
    {"ESSAY", "Итоговое сочинение", NULL},
    {"INTERVIEW", "Итоговое собеседование", NULL},
    {"VSOSH", "ВсОШ", NULL},
    /* issue 19 п. 5: trial exams (seed 000 §2.2; seed 003 п. 1.7, 5.2), the diagnostics of
     * seed 003 п. 5.5 and seed 001 п. 2.7, 2.11 (НИКО and reading literacy are NIKO, DIAG) */
    {"OGE_T", "Пробный ОГЭ", NULL},
    {"EGE_T", "Пробный ЕГЭ", NULL},
    {"META", "Метапредметная диагностика", NULL},
    {"READY", "Диагностика готовности к обучению в школе", "Готовность к школе"},
};

static const vocab_entry SUBJECTS[] = {
    {"rus", "Русский язык", NULL},
    {"math", "Математика", NULL},
    {"math_base", "Математика (базовая)", NULL},
    {"math_prof", "Математика (профильная)", NULL},
    {"phys", "Физика", NULL},
    {"chem", "Химия", NULL},
    {"bio", "Биология", NULL},
    {"inf", "Информатика", NULL},
    {"hist", "История", NULL},
    {"soc", "Обществознание", NULL},
    {"geo", "География", NULL},
    {"lit", "Литература", NULL},
    {"eng", "Английский язык", NULL},
    {"deu", "Немецкий язык", NULL},
    {"fra", "Французский язык", NULL},
    {"okr", "Окружающий мир", NULL},
    {"read", "Читательская грамотность", NULL},
    {"essay", "Итоговое сочинение", NULL},
    {"interview", "Итоговое собеседование", NULL},
    /* the subject of a diagnostic without one is the diagnostic itself (as the сочинение) */
    {"meta", "Метапредметная диагностика", NULL},
    {"ready", "Диагностика готовности к обучению в школе", "Готовность к школе"},
};

/* "": no submission yet. The CLI's one-line status keeps the brief «возвращена». */
static const vocab_entry FORM_STATUSES[] = {
    {"", "не заполнялась", NULL},     {"draft", "черновик", NULL},
    {"submitted", "сдана", NULL},     {"returned", "возвращена на доработку", "возвращена"},
    {"approved", "утверждена", NULL},
};

static const vocab_entry VALUE_STAGES[] = {
    {"draft", "черновик", NULL},
    {"approved", "утверждено", NULL},
};

static const vocab_entry PLAN_STATUSES[] = {
    {"planned", "запланировано", NULL}, {"in_progress", "выполняется", NULL},
    {"done", "выполнено", NULL},        {"overdue", "просрочено", NULL},
    {"cancelled", "отменено", NULL},
};

static const vocab_entry ROLES[] = {
    {"public", "гость", NULL},        {"school", "оператор школы", NULL},
    {"analyst", "аналитик", NULL},    {"regional", "региональный аналитик", NULL},
    {"admin", "администратор", NULL},
};

/* The brief wordings are the report's sheet names (XLSX allows 31 characters). */
static const vocab_entry METHODS[] = {
    {"shnor", "ШНОР", NULL},
    {"risk", "Зона риска", NULL},
    {"objectivity", "Признаки необъективности", "Необъективность"},
    {"rating", "Рейтинг ОО", "Рейтинг"},
};

/* methods/objectivity.ini: признаки 1–8 */
static const vocab_entry OBJ_SIGNS[] = {
    {"inflated_mean", "Завышенный средний балл", NULL},
    {"journal_mismatch", "Расхождение с отметками в журнале", NULL},
    {"cohort_jump", "Резкое изменение результатов потока", NULL},
    {"boundary_peaks", "Пики на границах отметок", NULL},
    {"medal", "Медалист с баллом ЕГЭ ниже порога", NULL},
    {"profile_inversion", "Трудность заданий не как в муниципалитете", NULL},
    {"identical_tasks", "Совпадающие работы участников", NULL},
    {"rise_fall", "Подъём и спад результатов потока", NULL},
    {"vpr_unconfirmed", "Высокие результаты ВПР не подтверждены ГИА", NULL},
};

/* seed 002 §3.2: the groups of the risk table */
static const vocab_entry RISK_FACTORS[] = {
    {"material", "Материально-техническая база", NULL},
    {"staff", "Кадры", NULL},
    {"contingent", "Контингент", NULL},
    {"results", "Результаты", NULL},
};

/* seed 002 §2.1: the two criteria of the ШНОР list (method/shnor.c writes which held) */
static const vocab_entry SHNOR_RULES[] = {
    {"A", "Критерий 1: не менее двух процедур за год", "Критерий 1"},
    {"B", "Критерий 2: в каждом из двух лет", "Критерий 2"},
    {"AB", "Критерии 1 и 2", NULL},
    /* the other acts' definitions (method/shnor_rules.c): seed 000 §6.5 and seed 001 */
    {"below_min", "Ниже минимального значения показателей МСОКО", "Ниже минимума"},
    {"vpr_rise", "Рост доли «2» на ВПР", NULL},
    {"ege_region", "ЕГЭ ниже среднего балла края", NULL},
    {"nonobj", "В списке школ с необъективными результатами", NULL},
};

/* seed 002 §2.1: «перечень ШНОР, сформированный ФИОКО»; seed 001: federal and regional lists
 * of schools with signs of non-objective results */
static const vocab_entry EXT_LISTS[] = {
    {"shnor_fioko", "Список ШНОР ФИОКО", "ШНОР ФИОКО"},
    {"nonobj_federal", "Федеральный список (необъективные результаты)", "Федеральный список"},
    {"nonobj_regional", "Региональный список (необъективные результаты)", "Региональный список"},
};

/* seed 001: «отклонение … от средних значений по Российской Федерации и по Краснодарскому краю» */
static const vocab_entry LEVELS[] = {
    {"school", "Школа", NULL},
    {"municipality", "Муниципалитет", NULL},
    {"region", "Регион", NULL},
    {"rf", "Российская Федерация", "РФ"},
};

static const vocab_entry DECISION_KINDS[] = {
    {"order", "Приказ", NULL},
    {"letter", "Письмо", NULL},
    {"protocol", "Протокол совещания", "Протокол"},
    {"other", "Другое", NULL},
};

/* seed 001 приложение 3 (the list of the МСОКО's systems) and приложение 4, разделы 2–10 of the
 * roadmap: the nine directions in their order (DIRECTIONS.md §1: methods/directions/NN-code.ini) */
static const vocab_entry DIRECTIONS[] = {
    {"training", "Оценка качества подготовки обучающихся", "Подготовка обучающихся"},
    {"shnor", "Работа со школами с низкими образовательными результатами",
     "Школы с низкими результатами"},
    {"talents", "Выявление, поддержка и развитие способностей и талантов", "Способности и таланты"},
    {"career", "Самоопределение и профессиональная ориентация обучающихся", "Профориентация"},
    {"objectivity", "Объективность процедур оценки качества и олимпиад", "Объективность"},
    {"heads", "Мониторинг эффективности руководителей ОО", "Руководители ОО"},
    {"methodical", "Методическая работа", NULL},
    {"dpo", "Качество ДПО педагогических работников", "ДПО педагогов"},
    {"upbringing", "Воспитание и социализация обучающихся", "Воспитание"},
};

static const struct {
    const vocab_entry *e;
    size_t n;
} DOMAINS[] = {
    [VOCAB_PROC_KIND] = {PROC_KINDS, N(PROC_KINDS)},
    [VOCAB_SUBJECT] = {SUBJECTS, N(SUBJECTS)},
    [VOCAB_FORM_STATUS] = {FORM_STATUSES, N(FORM_STATUSES)},
    [VOCAB_VALUE_STAGE] = {VALUE_STAGES, N(VALUE_STAGES)},
    [VOCAB_PLAN_STATUS] = {PLAN_STATUSES, N(PLAN_STATUSES)},
    [VOCAB_ROLE] = {ROLES, N(ROLES)},
    [VOCAB_METHOD] = {METHODS, N(METHODS)},
    [VOCAB_OBJ_SIGN] = {OBJ_SIGNS, N(OBJ_SIGNS)},
    [VOCAB_RISK_FACTOR] = {RISK_FACTORS, N(RISK_FACTORS)},
    [VOCAB_SHNOR_RULE] = {SHNOR_RULES, N(SHNOR_RULES)},
    [VOCAB_EXT_LIST] = {EXT_LISTS, N(EXT_LISTS)},
    [VOCAB_LEVEL] = {LEVELS, N(LEVELS)},
    [VOCAB_DECISION_KIND] = {DECISION_KINDS, N(DECISION_KINDS)},
    [VOCAB_DIRECTION] = {DIRECTIONS, N(DIRECTIONS)},
};

_Static_assert(N(DOMAINS) == VOCAB_COUNT, "one table per vocab_domain");

enum { MAX_ENTRIES = 32, LOWER_MAX = 160 }; /* a direction's name is 110 bytes */

const vocab_entry *vocab_entries(vocab_domain d, size_t *n)
{
    if ((unsigned)d >= VOCAB_COUNT) {
        if (n)
            *n = 0;
        return NULL;
    }
    if (n)
        *n = DOMAINS[d].n;
    return DOMAINS[d].e;
}

static const vocab_entry *find(vocab_domain d, const char *code)
{
    size_t n;
    const vocab_entry *e = vocab_entries(d, &n);
    if (!code)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(e[i].code, code) == 0)
            return &e[i];
    return NULL;
}

int vocab_known(vocab_domain d, const char *code)
{
    return find(d, code) != NULL;
}

const char *vocab_label(vocab_domain d, const char *code)
{
    const vocab_entry *e = find(d, code);
    return e ? e->label : code ? code : "";
}

const char *vocab_brief(vocab_domain d, const char *code)
{
    const vocab_entry *e = find(d, code);
    return e ? (e->brief ? e->brief : e->label) : code ? code : "";
}

int vocab_code(vocab_domain d, const char *text, const char **code)
{
    size_t n;
    const vocab_entry *e = vocab_entries(d, &n);
    if (!text)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(e[i].label, text) == 0 || (e[i].brief && strcmp(e[i].brief, text) == 0)) {
            if (code)
                *code = e[i].code;
            return 0;
        }
    }
    return -1;
}

/* ---- labels in lower case, built once ---------------------------------------------------- */

static struct {
    pthread_once_t once;
    char lower[VOCAB_COUNT][MAX_ENTRIES][LOWER_MAX];
} L = {.once = PTHREAD_ONCE_INIT};

/* Is the 2-byte UTF-8 character at p a capital Cyrillic letter (А–Я, Ё)? */
static int cyr_upper(const unsigned char *p)
{
    return (p[0] == 0xD0 && p[1] >= 0x90 && p[1] <= 0xAF) || (p[0] == 0xD0 && p[1] == 0x81);
}

static void lower_first(const char *in, char *out, size_t outsz)
{
    size_t n = strlen(in);
    MSK_ASSERT(n < outsz);
    memcpy(out, in, n + 1);
    unsigned char *p = (unsigned char *)out;
    if (n < 2 || !cyr_upper(p))
        return;
    /* «ВПР», «ВсОШ», «ШНОР»: a first word with another capital is an abbreviation */
    for (size_t i = 2; i + 1 < n && p[i] != ' ' && p[i] != '-' && p[i] != '('; i++)
        if (cyr_upper(p + i))
            return;
    if (p[1] == 0x81) { /* Ё → ё */
        p[0] = 0xD1, p[1] = 0x91;
    } else if (p[1] < 0xA0) { /* А..П → а..п */
        p[1] = (unsigned char)(p[1] + 0x20);
    } else { /* Р..Я → р..я */
        p[0] = 0xD1, p[1] = (unsigned char)(p[1] - 0x20);
    }
}

static void build_lower(void)
{
    for (int d = 0; d < VOCAB_COUNT; d++) {
        MSK_ASSERT(DOMAINS[d].n <= MAX_ENTRIES);
        for (size_t i = 0; i < DOMAINS[d].n; i++)
            lower_first(DOMAINS[d].e[i].label, L.lower[d][i], LOWER_MAX);
    }
}

const char *vocab_lower(vocab_domain d, const char *code)
{
    const vocab_entry *e = find(d, code);
    if (!e)
        return code ? code : "";
    pthread_once(&L.once, build_lower);
    return L.lower[d][e - DOMAINS[d].e];
}
