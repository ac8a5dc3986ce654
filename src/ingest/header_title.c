/*
 * The ФИС ОКО «Ф1» title line and the kinds and subjects people name in it or in a cell
 * (header.h): the other ways people write each code, normalised once into words form.
 */
#include "ingest/header.h"
#include "ingest/header_internal.h"

#include "base/err.h"
#include "base/vocab.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- subjects and procedure kinds ----------------------------------------------------------
 * The codes and their names are the vocabulary's (base/vocab.c); here are the other ways
 * people write them, each row one code. */
typedef struct phrase_row {
    const char *code;
    const char *name[12];
} phrase_row;

static const phrase_row SUBJECTS[] = {
    {"rus", {"Русский", "Рус. яз.", "Рус. язык", "Рус.", "Русскому языку"}},
    {"math", {"Математике", "Мат.", "Матем."}},
    {"math_base",
     {"Математика (базовый уровень)", "Математика базового уровня", "Базовая математика",
      "Математика (база)", "Математика Б"}},
    {"math_prof",
     {"Математика (профильный уровень)", "Математика профильного уровня", "Профильная математика",
      "Математика (профиль)", "Математика П"}},
    {"phys", {"Физике", "Физ."}},
    {"chem", {"Химии", "Хим."}},
    {"bio", {"Биологии", "Биол.", "Био"}},
    {"inf", {"Информатика и ИКТ", "Информатике", "Информ.", "Инф.", "ИКТ"}},
    {"hist", {"Истории", "Ист.", "История России"}},
    {"soc", {"Обществознанию", "Общ.", "Обществ."}},
    {"geo", {"Географии", "Геогр.", "Гео"}},
    {"lit", {"Литературе", "Лит.", "Литер."}},
    {"eng", {"Английский", "Англ. яз.", "Англ.", "Английскому языку"}},
    {"deu", {"Немецкий", "Нем. яз.", "Нем.", "Немецкому языку"}},
    {"fra", {"Французский", "Франц. яз.", "Фр. яз.", "Франц.", "Французскому языку"}},
    {"okr", {"Окружающему миру", "Окр. мир", "Окр."}},
    {"read", {"Чит. грамотность", "Читательской грамотности"}},
    {"essay", {"Итоговое сочинение (изложение)"}},
    {"interview", {NULL}},
    {"meta", {NULL}},
    {"ready", {NULL}},
};

/* A bare «ГВЭ» is GVE9 or GVE11 by the grade; hdr_kind_code refuses it (see docs). */
static const phrase_row KINDS[] = {
    {"VPR", {"Всероссийская проверочная работа", "Всероссийские проверочные работы"}},
    {"OGE", {"Основной государственный экзамен"}},
    {"EGE", {"Единый государственный экзамен"}},
    {"GVE9", {"ГВЭ-9 класс"}},
    {"GVE11", {"ГВЭ-11 класс"}},
    {"RKR",
     {"Региональная контрольная работа", "Региональные контрольные работы",
      "Региональная диагностическая работа"}},
    {"MKR",
     {"Муниципальная контрольная работа", "Муниципальные контрольные работы",
      "Муниципальная диагностическая работа"}},
    {"NIKO",
     {"Национальное исследование качества образования",
      "Национальные исследования качества образования"}},
    {"DIAG", {"Диагностическая"}},
    {"ESSAY", {"Итоговое сочинение (изложение)"}},
    {"INTERVIEW", {NULL}},
    {"VSOSH", {"Всероссийская олимпиада школьников"}},
    /* seed 000 §2.2, seed 003 п. 5.2: «пробных экзаменах … в форме ОГЭ, ЕГЭ»; п. 1.7:
     * «тренировочных мероприятиях» */
    {"OGE_T",
     {"Пробное ОГЭ", "Пробный экзамен в форме ОГЭ", "Пробный экзамен ОГЭ", "Тренировочный ОГЭ",
      "Пробный основной государственный экзамен"}},
    {"EGE_T",
     {"Пробное ЕГЭ", "Пробный экзамен в форме ЕГЭ", "Пробный экзамен ЕГЭ", "Тренировочный ЕГЭ",
      "Тренировочное мероприятие ЕГЭ", "Пробный единый государственный экзамен"}},
    /* seed 003 п. 5.5: «диагностических работ на межпредметной основе» */
    {"META",
     {"Метапредметная работа", "Метапредметная диагностическая работа",
      "Диагностика метапредметных результатов", "Межпредметная диагностическая работа",
      "Метапредметные результаты"}},
    {"READY",
     {"Готовность к обучению в школе", "Готовность первоклассников к обучению в школе",
      "Стартовая диагностика первоклассников", "Стартовая диагностика"}},
};

enum { PHRASE_MAX = 128, MAX_PHRASES = 256 };

typedef struct phrase_key {
    char key[PHRASE_MAX]; /* words form */
    const char *code;
} phrase_key;

static struct {
    pthread_once_t once;
    size_t nsubjects, nkinds;
    phrase_key subjects[MAX_PHRASES], kinds[MAX_PHRASES];
} S = {.once = PTHREAD_ONCE_INIT};

static size_t add_phrases(vocab_domain d, const phrase_row *rows, size_t nrows, phrase_key *out)
{
    size_t n = 0;
    for (size_t i = 0; i < nrows; i++) {
        /* the vocabulary's name: «Математика», «ВПР» */
        const char *label = vocab_label(d, rows[i].code);
        MSK_ASSERT(n + 1 < MAX_PHRASES && strcmp(label, rows[i].code) != 0);
        hdr_words_n(label, strlen(label), out[n].key, PHRASE_MAX);
        out[n++].code = rows[i].code;
        for (size_t j = 0; j < 12 && rows[i].name[j]; j++) {
            MSK_ASSERT(n + 1 < MAX_PHRASES);
            hdr_words_n(rows[i].name[j], strlen(rows[i].name[j]), out[n].key, PHRASE_MAX);
            MSK_ASSERT(strlen(out[n].key) + 1 < PHRASE_MAX);
            out[n++].code = rows[i].code;
        }
        /* the code itself, as words: "math_base" → "math base" */
        hdr_words_n(rows[i].code, strlen(rows[i].code), out[n].key, PHRASE_MAX);
        out[n++].code = rows[i].code;
    }
    return n;
}

static void build_tables(void)
{
    S.nsubjects =
        add_phrases(VOCAB_SUBJECT, SUBJECTS, sizeof SUBJECTS / sizeof SUBJECTS[0], S.subjects);
    S.nkinds = add_phrases(VOCAB_PROC_KIND, KINDS, sizeof KINDS / sizeof KINDS[0], S.kinds);
}

static void tables(void)
{
    pthread_once(&S.once, build_tables);
}

/* ---- titles, kinds and subjects ------------------------------------------------------------ */

/* Whole-word occurrence of phrase w in the words string s. */
static int has_words(const char *s, const char *w)
{
    size_t n = strlen(w);
    if (n == 0)
        return 0;
    for (const char *p = s; (p = strstr(p, w)) != NULL; p++) {
        if ((p == s || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
    }
    return 0;
}

/* The code of the longest phrase found in s (whole words; exact when whole is set), among
 * codes shorter than codemax bytes. */
static const char *find_phrase(const phrase_key *keys, size_t nkeys, const char *s, int whole,
                               size_t codemax)
{
    const char *best = NULL;
    size_t bestlen = 0;
    for (size_t i = 0; i < nkeys; i++) {
        size_t l = strlen(keys[i].key);
        if (l <= bestlen || strlen(keys[i].code) >= codemax)
            continue;
        if (whole ? strcmp(keys[i].key, s) == 0 : has_words(s, keys[i].key)) {
            best = keys[i].code;
            bestlen = l;
        }
    }
    return best;
}

static int put_code(const char *code, char *out, size_t outsz)
{
    size_t n = strlen(code);
    if (!out || n + 1 > outsz)
        return -1;
    memcpy(out, code, n + 1);
    return 0;
}

/* Exact code (ASCII, any case) or exact name in words form. */
static int code_of(const phrase_row *rows, size_t nrows, const phrase_key *keys, size_t nkeys,
                   const char *text, char *out, size_t outsz)
{
    char w[PHRASE_MAX * 2];
    if (!text || !out || outsz == 0)
        return -1;
    tables();
    size_t n = strlen(text), a = 0;
    while (a < n && (text[a] == ' ' || text[a] == '\t'))
        a++;
    while (n > a && (text[n - 1] == ' ' || text[n - 1] == '\t'))
        n--;
    for (size_t i = 0; i < nrows; i++) {
        size_t cl = strlen(rows[i].code), j = 0;
        while (j < cl && a + j < n &&
               ascii_lower((unsigned char)text[a + j]) ==
                   ascii_lower((unsigned char)rows[i].code[j]))
            j++;
        if (j == cl && cl == n - a)
            return put_code(rows[i].code, out, outsz);
    }
    hdr_words_n(text, strlen(text), w, sizeof w);
    if (!w[0] || strlen(w) + 1 >= sizeof w)
        return -1;
    const char *code = find_phrase(keys, nkeys, w, 1, SIZE_MAX);
    return code ? put_code(code, out, outsz) : -1;
}

int hdr_kind_code(const char *text, char *out, size_t outsz)
{
    tables();
    return code_of(KINDS, sizeof KINDS / sizeof KINDS[0], S.kinds, S.nkinds, text, out, outsz);
}

int hdr_subject_code(const char *text, char *out, size_t outsz)
{
    tables();
    return code_of(SUBJECTS, sizeof SUBJECTS / sizeof SUBJECTS[0], S.subjects, S.nsubjects, text,
                   out, outsz);
}

/* The next space-separated token of a words string: start and length, or 0 at the end. */
static size_t next_token(const char **pp, const char **tok)
{
    const char *p = *pp;
    while (*p == ' ')
        p++;
    *tok = p;
    while (*p && *p != ' ')
        p++;
    *pp = p;
    return (size_t)(p - *tok);
}

static int token_num(const char *t, size_t n)
{
    int v = 0;
    if (n == 0 || n > 4)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (t[i] < '0' || t[i] > '9')
            return -1;
        v = v * 10 + (t[i] - '0');
    }
    return v;
}

static int is_klass_word(const char *t, size_t n)
{
    return n >= 4 && memcmp(t, "\xD0\xBA\xD0\xBB", 4) == 0; /* кл… */
}

int hdr_parse_title(const char *cell, hdr_title *t)
{
    char w[512];
    if (!t)
        return 0;
    memset(t, 0, sizeof *t);
    if (!cell)
        return 0;
    tables();
    hdr_words_n(cell, strlen(cell), w, sizeof w);
    /* year: the first 20xx; grade: «5 класс», «5 кл», «5-й класс», «класс 5» */
    const char *p = w, *tok, *prevtok = NULL;
    size_t n, prevn = 0;
    int prevnum = -1, prev2num = -1, afterklass = 0;
    while ((n = next_token(&p, &tok)) > 0) {
        int v = token_num(tok, n);
        if (v >= 2000 && v <= 2099 && n == 4 && !t->year)
            t->year = v;
        if (!t->grade && is_klass_word(tok, n)) {
            if (prevnum >= 1 && prevnum <= 11)
                t->grade = prevnum;
            else if (prevnum < 0 && prev2num >= 1 && prev2num <= 11 && prevtok && prevn <= 4)
                t->grade = prev2num; /* «5-й класс», «5-х классов» */
            else
                afterklass = 1;
        } else if (!t->grade && afterklass && v >= 1 && v <= 11) {
            t->grade = v;
        } else if (v < 0 || v > 11) {
            afterklass = 0;
        }
        prev2num = prevnum;
        prevnum = v;
        prevtok = tok;
        prevn = n;
    }
    /* hdr_title.kind holds 7 bytes: "INTERVIEW" cannot be a title's kind (nor is it in Ф1) */
    const char *kind = find_phrase(S.kinds, S.nkinds, w, 0, sizeof t->kind);
    if (!kind && has_words(w, "\xD0\xB3\xD0\xB2\xD1\x8D")) /* bare «ГВЭ»: by the grade */
        kind = t->grade >= 10 ? "GVE11" : "GVE9";
    const char *subject = find_phrase(S.subjects, S.nsubjects, w, 0, sizeof t->subject);
    if (!kind || (!t->year && !t->grade && !subject)) {
        memset(t, 0, sizeof *t);
        return 0;
    }
    put_code(kind, t->kind, sizeof t->kind);
    if (subject)
        put_code(subject, t->subject, sizeof t->subject);
    return 1;
}
