/*
 * Loaders of the things a municipality compares itself with (issue 19): a year's scale of a
 * procedure (TPL_SCALES), the RF / region / municipality rows of a ФИС ОКО statistics file
 * loaded as aggregates (benchmarks), and the lists of schools formed by others (TPL_LISTS).
 * They run inside import.c's transaction through the accessors of internal.h.
 */
#include "base/vocab.h"
#include "ingest/internal.h"
#include "store/benchmark.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static int blank(const char *s)
{
    if (!s)
        return 1;
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return 0;
    return 1;
}

static void trimmed(const char *in, char *out, size_t outsz)
{
    size_t n;
    if (!in)
        in = "";
    while (*in && isspace((unsigned char)*in))
        in++;
    n = strlen(in);
    while (n && isspace((unsigned char)in[n - 1]))
        n--;
    if (n >= outsz)
        n = outsz - 1;
    memcpy(out, in, n);
    out[n] = '\0';
}

static uint64_t key_hash(const char *k)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *k; k++)
        h = (h ^ (unsigned char)*k) * 1099511628211ULL;
    return h;
}

/* A number cell: 1 with *out, 0 when blank, -1 after reporting an error. */
static int num_cell(struct imp *m, hdr_field f, double lo, double hi, const char *what, double *out)
{
    const char *c = imp_cell(m, f);
    *out = NAN;
    if (blank(c))
        return 0;
    double x;
    if (val_number(c, &x) != 0 || x < lo || x > hi) {
        imp_error(m, imp_col(m, f), "%s: ожидается число от %g до %g, получено «%s»", what, lo, hi,
                  c);
        return -1;
    }
    *out = x;
    return 1;
}

/* ---- a year's scale ------------------------------------------------------------------------ */

/* The procedure of a scale row from its own columns (a scale creates no procedure). */
static int scale_proc(struct imp *m, long *year, char kind[16], char subject[16], long *grade)
{
    int bad = imp_year(m, year) != 0;
    const char *c = imp_cell(m, F_KIND);
    if (blank(c) || hdr_kind_code(c, kind, 16)) {
        imp_error(m, imp_col(m, F_KIND),
                  "неизвестный вид процедуры «%s»: допустимы ВПР, ОГЭ, ЕГЭ, "
                  "ГВЭ-9, ГВЭ-11, РКР, МКР, НИКО",
                  c ? c : "");
        bad = 1;
    }
    c = imp_cell(m, F_SUBJECT);
    if (blank(c) || hdr_subject_code(c, subject, 16)) {
        imp_error(m, imp_col(m, F_SUBJECT), "неизвестный предмет «%s»", c ? c : "");
        bad = 1;
    }
    if (imp_int(m, F_GRADE, 1, 11, 0, "класс (параллель)", grade) < 0)
        bad = 1;
    if (!bad && !*grade && (strcmp(kind, "OGE") == 0 || strcmp(kind, "GVE9") == 0))
        *grade = 9;
    if (!bad && !*grade && (strcmp(kind, "EGE") == 0 || strcmp(kind, "GVE11") == 0))
        *grade = 11;
    if (!bad && !*grade) {
        imp_error(m, imp_col(m, F_GRADE), "не указан класс (параллель) шкалы");
        bad = 1;
    }
    return bad ? -1 : 0;
}

/* The boundaries of the row: 0 and *sc, or -1 after reporting errors. */
static int scale_values(struct imp *m, store_scale *sc)
{
    double mx, c[3];
    long min_test;
    int bad = num_cell(m, F_MAX_PRIMARY, 1, 1000, "максимальный первичный балл", &mx) < 0;
    static const hdr_field F[3] = {F_CUT3, F_CUT4, F_CUT5};
    for (int i = 0; i < 3; i++) {
        char what[64];
        snprintf(what, sizeof what, "наименьший первичный балл отметки «%d»", i + 3);
        if (num_cell(m, F[i], 0, isnan(mx) ? 1000 : mx, what, &c[i]) < 0)
            bad = 1;
    }
    if (imp_int(m, F_MIN_TEST, 0, 100, STORE_NONE, "минимальный балл", &min_test) < 0)
        bad = 1;
    for (int i = 1; i < 3 && !bad; i++)
        if (!isnan(c[i]) && (isnan(c[i - 1]) || c[i] <= c[i - 1])) {
            imp_error(m, imp_col(m, F[i]),
                      "отметка «%d» должна начинаться с большего балла, чем отметка «%d», и "
                      "отметка «%d» должна быть указана",
                      i + 3, i + 2, i + 2);
            bad = 1;
        }
    if (bad)
        return -1;
    sc->max_primary = mx;
    sc->mark3 = c[0];
    sc->mark4 = c[1];
    sc->mark5 = c[2];
    sc->min_test = (int)min_test;
    return 0;
}

static int same(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

int import_row_scale(struct imp *m)
{
    long year = 0, grade = 0;
    char kind[16], subject[16], source[256], key[96];
    if (scale_proc(m, &year, kind, subject, &grade))
        return 0;
    store *s = imp_store(m);
    int has_scale = !blank(imp_cell(m, F_MAX_PRIMARY));
    int has_pair = !blank(imp_cell(m, F_PRIMARY_SCORE)) || !blank(imp_cell(m, F_TEST_SCORE));
    if (!has_scale && !has_pair) {
        imp_error(m, 0,
                  "в строке нет ни шкалы (максимальный балл, границы отметок), ни пары «первичный "
                  "балл — тестовый балл»");
        return 0;
    }
    snprintf(key, sizeof key, "scale %ld %s %s %ld", year, kind, subject, grade);
    int first = imp_first(m, key_hash(key));
    int64_t id = 0, replaced = 0;
    msk_err e;
    if (has_scale) {
        store_scale sc = {(int)year, kind, subject, (int)grade, NAN, NAN, NAN, NAN, STORE_NONE, ""};
        if (scale_values(m, &sc))
            return 0;
        trimmed(imp_cell(m, F_SOURCE), source, sizeof source);
        sc.source = source[0] ? source : "файл шкал";
        if (first) {
            int existed = store_scale_own(s, (int)year, kind, subject, (int)grade, &id) == 0;
            if (store_scale_import(s, &sc, imp_batch(m), &id, &replaced, &e))
                return -1;
            replaced += existed;
            int64_t n = store_scale_results(s, (int)year, kind, subject, (int)grade);
            /* marks are computed at import: results loaded earlier keep the marks of the scale
             * in force then, until their files are loaded again (docs/import.md) */
            if (n > 0)
                imp_warning(m, 0,
                            "результаты %s, %s, %ld класс, %ld года уже загружены (%lld): их "
                            "отметки вычислены по прежней шкале — загрузите файлы результатов "
                            "заново, чтобы отметки пересчитались по этой шкале",
                            vocab_label(VOCAB_PROC_KIND, kind), vocab_lower(VOCAB_SUBJECT, subject),
                            grade, year, (long long)n);
        } else {
            store_scale old;
            if (store_scale_find(s, (int)year, kind, subject, (int)grade, &old, &id) ||
                old.year != year || !same(old.max_primary, sc.max_primary) ||
                !same(old.mark3, sc.mark3) || !same(old.mark4, sc.mark4) ||
                !same(old.mark5, sc.mark5) || old.min_test != sc.min_test) {
                imp_error(m, imp_col(m, F_MAX_PRIMARY),
                          "шкала %s, %s, %ld класс, %ld года уже задана выше в файле с другими "
                          "значениями",
                          vocab_label(VOCAB_PROC_KIND, kind), vocab_lower(VOCAB_SUBJECT, subject),
                          grade, year);
                return 0;
            }
        }
        if (!has_pair) {
            imp_loaded(m, replaced);
            return 0;
        }
    } else if (store_scale_own(s, (int)year, kind, subject, (int)grade, &id)) {
        imp_error(m, 0,
                  "для пары баллов нет шкалы %s, %s, %ld класс, %ld года: сначала строка с "
                  "максимальным баллом и границами отметок",
                  vocab_label(VOCAB_PROC_KIND, kind), vocab_lower(VOCAB_SUBJECT, subject), grade,
                  year);
        return 0;
    } else if (first && store_scale_points_clear(s, id, &replaced, &e)) {
        return -1;
    }
    store_scale cur;
    if (store_scale_find(s, (int)year, kind, subject, (int)grade, &cur, NULL))
        return -1;
    long primary, test;
    int rp = imp_int(m, F_PRIMARY_SCORE, 0, (long)cur.max_primary, -1, "первичный балл", &primary);
    int rt = imp_int(m, F_TEST_SCORE, 0, 100, -1, "тестовый балл", &test);
    if (rp < 0 || rt < 0)
        return 0;
    if (rp == 0 || rt == 0) {
        imp_error(m, imp_col(m, rp == 0 ? F_PRIMARY_SCORE : F_TEST_SCORE),
                  "пара баллов неполная: нужны и первичный, и тестовый балл");
        return 0;
    }
    if (store_scale_point_import(s, id, (int)primary, (int)test, imp_batch(m), &e))
        return -1;
    imp_loaded(m, replaced);
    return 0;
}

void import_scale_test_table(store *s, int64_t scale_id, int16_t *test_of, size_t n)
{
    int primary[256], test[256];
    for (size_t i = 0; i < n; i++)
        test_of[i] = -1;
    if (scale_id <= 0)
        return;
    size_t k = store_scale_points(s, scale_id, primary, test, 256);
    for (size_t i = 0; i < k && i < 256; i++)
        if (primary[i] >= 0 && (size_t)primary[i] < n)
            test_of[primary[i]] = (int16_t)test[i];
}

/* ---- benchmarks ---------------------------------------------------------------------------- */

/* Does the normalised text n end with the normalised word w? */
static int ends_with(const char *n, const char *w)
{
    size_t a = strlen(n), b = strlen(w);
    return a >= b && strcmp(n + a - b, w) == 0;
}

static int starts_with(const char *n, const char *w)
{
    return strncmp(n, w, strlen(w)) == 0;
}

/* The words of a ФИС ОКО «Статистика по отметкам» row that is not a school. */
static const struct {
    const char *word, *level;
    int whole; /* 1: the whole cell; 0: its start or end (a region or municipality name) */
} LEVEL_WORDS[] = {
    {"РФ", "rf", 1},
    {"Российская Федерация", "rf", 1},
    {"Россия", "rf", 1},
    {"Вся выборка", "rf", 1},
    {"Итого по РФ", "rf", 1},
    {"Регион", "region", 1},
    {"Субъект", "region", 1},
    {"Субъект РФ", "region", 1},
    {"Итого по региону", "region", 1},
    {"край", "region", 0},
    {"область", "region", 0},
    {"Республика", "region", 0},
    {"автономный округ", "region", 0},
    {"автономная область", "region", 0},
    {"Москва", "region", 1},
    {"г. Москва", "region", 1},
    {"город Москва", "region", 1},
    {"г. Санкт-Петербург", "region", 1},
    {"город Санкт-Петербург", "region", 1},
    {"г. Севастополь", "region", 1},
    {"город Севастополь", "region", 1},
    {"Санкт-Петербург", "region", 1},
    {"Севастополь", "region", 1},
    {"Муниципалитет", "municipality", 1},
    {"Муниципальное образование", "municipality", 1},
    {"МСУ", "municipality", 1},
    {"Итого по муниципалитету", "municipality", 1},
    {"район", "municipality", 0},
    {"городской округ", "municipality", 0},
    {"муниципальный округ", "municipality", 0},
    {"муниципальный район", "municipality", 0}, /* «муниципальный район Северский» */
    {"Муниципальное образование", "municipality", 0}, /* «… город Краснодар» */
    {"город", "municipality", 0}, /* «город Краснодар», «городской округ …» */
};

int import_bench_level(const char *cell, const char **level)
{
    char n[256], w[96];
    if (blank(cell))
        return 0;
    hdr_normalize(cell, n, sizeof n);
    for (size_t i = 0; i < sizeof LEVEL_WORDS / sizeof LEVEL_WORDS[0]; i++) {
        hdr_normalize(LEVEL_WORDS[i].word, w, sizeof w);
        int hit = LEVEL_WORDS[i].whole
                      ? strcmp(n, w) == 0
                      : strlen(n) > strlen(w) && (starts_with(n, w) || ends_with(n, w));
        if (hit) {
            *level = LEVEL_WORDS[i].level;
            return 1;
        }
    }
    return 0;
}

/* seed 001: «отклонение … от средних значений по Российской Федерации и по Краснодарскому
 * краю» — the row is kept as the procedure's benchmark of its level. */
int import_row_bench(struct imp *m, const char *level)
{
    imp_proc p;
    int bad = imp_procedure(m, &p) != 0;
    long part, k[4], below;
    if (imp_int(m, F_PARTICIPANTS, 0, 100000000, -1, "число участников", &part) < 0)
        bad = 1;
    else if (part < 0) {
        imp_error(m, imp_col(m, F_PARTICIPANTS), "не указано число участников");
        bad = 1;
    }
    static const hdr_field MF[4] = {F_MARK2, F_MARK3, F_MARK4, F_MARK5};
    long sum = 0;
    for (int i = 0; i < 4; i++) {
        char what[32];
        snprintf(what, sizeof what, "число отметок «%d»", i + 2);
        if (imp_int(m, MF[i], 0, 100000000, STORE_NONE, what, &k[i]) < 0)
            bad = 1;
        else if (k[i] != STORE_NONE)
            sum += k[i];
    }
    if (imp_int(m, F_BELOW_MIN, 0, 100000000, STORE_NONE, "ниже минимального порога", &below) < 0)
        bad = 1;
    if (!bad && sum > part) {
        imp_error(m, imp_col(m, F_PARTICIPANTS),
                  "сумма отметок (%ld) больше числа участников (%ld)", sum, part);
        bad = 1;
    }
    double mean = NAN;
    const char *mc = imp_cell(m, F_MEAN_SCORE);
    if (mc && !blank(mc) && (val_number(mc, &mean) || !(mean >= 0 && mean <= 100))) {
        imp_error(m, imp_col(m, F_MEAN_SCORE),
                  "средний балл: ожидается число от 0 до 100, получено «%s»", mc);
        bad = 1;
    }
    if (bad)
        return 0;
    char name[128];
    trimmed(imp_cell(m, F_SCHOOL_CODE), name, sizeof name);
    char key[64];
    snprintf(key, sizeof key, "bench %lld %s", (long long)p.id, level);
    if (!imp_first(m, key_hash(key))) {
        imp_error(m, imp_col(m, F_SCHOOL_CODE),
                  "строка «%s» (%s) этой процедуры уже была выше в файле", name,
                  vocab_lower(VOCAB_LEVEL, level));
        return 0;
    }
    store_bench b = {p.id,      imp_batch(m), level,     name,       (int)part, (int)k[0],
                     (int)k[1], (int)k[2],    (int)k[3], (int)below, mean};
    int64_t replaced = 0;
    msk_err e;
    if (store_bench_put(imp_store(m), &b, &replaced, &e))
        return -1;
    imp_loaded(m, replaced);
    return 0;
}

/* ---- external lists ------------------------------------------------------------------------ */

static const struct {
    const char *word, *list;
} LIST_WORDS[] = {
    {"ШНОР", "shnor_fioko"},
    {"ШНОР ФИОКО", "shnor_fioko"},
    {"Список ФИОКО", "shnor_fioko"},
    {"Школы с низкими результатами обучения", "shnor_fioko"},
    {"Школы с низкими образовательными результатами", "shnor_fioko"},
    {"Федеральный", "nonobj_federal"},
    {"Федеральный список", "nonobj_federal"},
    {"Рособрнадзор", "nonobj_federal"},
    {"Необъективность федеральный", "nonobj_federal"},
    {"Региональный", "nonobj_regional"},
    {"Региональный список", "nonobj_regional"},
    {"Необъективность региональный", "nonobj_regional"},
};

static const char *list_code(const char *text)
{
    char n[256], w[256];
    size_t ne;
    const vocab_entry *v = vocab_entries(VOCAB_EXT_LIST, &ne);
    hdr_normalize(text, n, sizeof n);
    for (size_t i = 0; i < ne; i++) {
        const char *forms[3] = {v[i].code, v[i].label, v[i].brief};
        for (int j = 0; j < 3; j++) {
            if (!forms[j])
                continue;
            hdr_normalize(forms[j], w, sizeof w);
            if (strcmp(n, w) == 0)
                return v[i].code;
        }
    }
    for (size_t i = 0; i < sizeof LIST_WORDS / sizeof LIST_WORDS[0]; i++) {
        hdr_normalize(LIST_WORDS[i].word, w, sizeof w);
        if (strcmp(n, w) == 0)
            return LIST_WORDS[i].list;
    }
    return NULL;
}

/* seed 002 §2.1 (ФИОКО's ШНОР list); seed 001 («хотя бы единожды вошедшие в список» of schools
 * with signs of non-objectivity). A file replaces the year's list of each kind it names. */
int import_row_list(struct imp *m)
{
    long year = 0;
    int64_t school = 0;
    int bad = imp_year(m, &year) != 0;
    if (imp_school(m, &school))
        bad = 1;
    char text[128], reason[256];
    trimmed(imp_cell(m, F_LIST), text, sizeof text);
    const char *list = text[0] ? list_code(text) : NULL;
    if (!list) {
        imp_error(m, imp_col(m, F_LIST),
                  "неизвестный список «%s»: допустимы ШНОР ФИОКО, федеральный или региональный "
                  "список ОО с признаками необъективности",
                  text);
        bad = 1;
    }
    if (bad)
        return 0;
    trimmed(imp_cell(m, F_REASON), reason, sizeof reason);
    char key[64];
    int64_t replaced = 0;
    msk_err e;
    snprintf(key, sizeof key, "list %ld %s", year, list);
    if (imp_first(m, key_hash(key)) &&
        store_extlist_clear(imp_store(m), (int)year, list, &replaced, &e))
        return -1;
    if (store_extlist_put(imp_store(m), (int)year, school, list, reason, imp_batch(m), &e)) {
        if (!strstr(e.msg, "уже есть"))
            return -1;
        imp_error(m, imp_col(m, F_SCHOOL_CODE), "школа уже есть в этом списке выше в файле");
        return 0;
    }
    imp_loaded(m, replaced);
    return 0;
}
