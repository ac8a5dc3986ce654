/*
 * Unit tests of what msoko compares with (issue 19): a year's scales loaded from a file
 * override the defaults and give the marks computed at import; RF / region / municipality rows
 * of an aggregates file are benchmarks, not schools; external lists load and replace.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ingest/import.h"
#include "ingest/internal.h"
#include "store/benchmark.h"
#include "store/store.h"
#include "view/view.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/msoko-bench-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[128];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *file_of(const char *name, const char *text)
{
    static char path[8][128];
    static int k;
    char *p = path[k++ % 8];
    snprintf(p, 128, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return p;
}

/* Import path; returns import_file's code, the report's counts in *loaded / *warnings and its
 * messages in msg (may be NULL). */
static int import_msg(store *s, const char *path, int kind, int64_t *loaded, int64_t *batch,
                      char *msg, size_t msgsz)
{
    import_opts o = {0};
    import_report rep;
    msk_err err;
    msk_err_clear(&err);
    o.kind = kind;
    o.user = "test";
    import_report_init(&rep);
    int rc = import_file(s, path, &o, &rep, &err);
    if (loaded)
        *loaded = rep.rows_loaded;
    if (batch)
        *batch = rep.batch_id;
    if (msg)
        snprintf(msg, msgsz, "%s%s", err.msg, rep.messages.data ? rep.messages.data : "");
    import_report_release(&rep);
    return rc;
}

static store *open_db(const char *name)
{
    char db[128];
    store *s = NULL;
    msk_err err;
    msk_err_clear(&err);
    snprintf(db, sizeof db, "%s/%s", dir, name);
    unlink(db);
    assert_int_equal(store_open(db, STORE_CREATE, &s, &err), 0);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_seed_reference(s, &err), 0);
    const char *sch = file_of("schools.csv", "Код ОО;Наименование ОО;Тип ОО;Местность\n"
                                             "sch100001;Школа № 1;СОШ;городская\n"
                                             "sch100002;Гимназия № 2;гимназия;сельская\n");
    assert_int_equal(import_msg(s, sch, -1, NULL, NULL, NULL, 0), 0);
    return s;
}

/* The mark of pupil p1 of ВПР math 5 of year, read by a second connection after a commit. */
static int mark_of(store *s, const char *dbname, int year)
{
    char db[128], sql[256];
    msk_err err;
    sqlite3 *h;
    sqlite3_stmt *st;
    int mark = -1;
    assert_int_equal(store_commit(s, &err), 0);
    snprintf(db, sizeof db, "%s/%s", dir, dbname);
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    snprintf(sql, sizeof sql,
             "SELECT r.mark FROM result r JOIN procedure p ON p.id=r.procedure_id WHERE p.year=%d"
             " AND p.kind='VPR' AND p.subject='math' AND p.grade=5 AND r.pupil_code='p1'",
             year);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        mark = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    assert_int_equal(store_begin(s, &err), 0);
    return mark;
}

/* seed METHODS.md §3: «Scales change from year to year … store them per (year, kind, subject,
 * grade), ship these as defaults and let analysts load each year's table». */
static void a_year_scale_gives_the_marks_of_its_year(void **state)
{
    (void)state;
    store *s = open_db("scale.db");
    char msg[2048];
    int64_t loaded = 0, batch = 0;
    const char *res = file_of("r.csv", "Год;Вид процедуры;Предмет;Параллель;Код ОО;Код участника;"
                                       "Первичный балл\n"
                                       "2024;ВПР;Математика;5;sch100001;p1;12\n"
                                       "2025;ВПР;Математика;5;sch100001;p1;12\n");
    const char *sc = file_of("s.csv", "Год;Вид процедуры;Предмет;Параллель;Максимальный балл;"
                                      "Отметка 3 от;Отметка 4 от;Отметка 5 от\n"
                                      "2025;ВПР;Математика;5;22;8;13;18\n");
    assert_int_equal(import_msg(s, sc, -1, &loaded, &batch, msg, sizeof msg), 0);
    assert_int_equal(loaded, 1);
    assert_int_equal(import_msg(s, res, -1, &loaded, NULL, msg, sizeof msg), 0);
    /* default (2021 description): «4» from 11; the 2025 scale: «3» from 8, «4» from 13 */
    assert_int_equal(mark_of(s, "scale.db", 2024), 4);
    assert_int_equal(mark_of(s, "scale.db", 2025), 3);
    store_scale x;
    assert_int_equal(store_scale_find(s, 2025, "VPR", "math", 5, &x, NULL), 0);
    assert_int_equal(x.year, 2025);
    assert_true(x.max_primary == 22);
    /* a scale loaded after results warns that their marks follow it only after re-import */
    assert_int_equal(import_msg(s, sc, -1, &loaded, NULL, msg, sizeof msg), 0);
    assert_non_null(strstr(msg, "загрузите файлы результатов заново"));
    /* undo of the scale: the default is in force again */
    int64_t removed = 0;
    msk_err err;
    int64_t last = 0;
    assert_int_equal(import_msg(s, sc, -1, &loaded, &last, msg, sizeof msg), 0);
    assert_int_equal(import_undo(s, last, &removed, &err), 0);
    assert_int_equal(removed, 1);
    assert_int_equal(store_scale_find(s, 2025, "VPR", "math", 5, &x, NULL), 0);
    assert_int_equal(x.year, 0);
    store_rollback(s);
    store_close(s);
}

static void test_score_pairs_load_and_replace(void **state)
{
    (void)state;
    store *s = open_db("pairs.db");
    char msg[2048];
    int64_t loaded = 0, id = 0;
    const char *sc = file_of("ege.csv", "Год;Вид процедуры;Предмет;Максимальный балл;"
                                        "Минимальный балл;Первичный балл;Тестовый балл\n"
                                        "2025;ЕГЭ;Русский язык;50;24;;\n"
                                        "2025;ЕГЭ;Русский язык;;;1;3\n"
                                        "2025;ЕГЭ;Русский язык;;;2;5\n"
                                        "2025;ЕГЭ;Русский язык;50;24;10;24\n");
    assert_int_equal(import_msg(s, sc, TPL_SCALES, &loaded, NULL, msg, sizeof msg), 0);
    assert_int_equal(loaded, 4);
    assert_int_equal(store_scale_own(s, 2025, "EGE", "rus", 11, &id), 0);
    int p[8], t[8];
    assert_int_equal(store_scale_points(s, id, p, t, 8), 3);
    assert_int_equal(p[2], 10);
    assert_int_equal(t[2], 24);
    /* re-import: the table is replaced, not doubled */
    assert_int_equal(import_msg(s, sc, TPL_SCALES, &loaded, NULL, msg, sizeof msg), 0);
    assert_int_equal(store_scale_points(s, id, p, t, 8), 3);
    /* a pair without its scale, a pair above the maximum, boundaries out of order */
    const char *bad = file_of("bad.csv", "Год;Вид процедуры;Предмет;Параллель;Максимальный балл;"
                                         "Отметка 3 от;Отметка 4 от;Первичный балл;Тестовый балл\n"
                                         "2025;ОГЭ;Математика;9;;;;3;10\n"
                                         "2025;ЕГЭ;Русский язык;11;50;;;51;100\n"
                                         "2025;ВПР;Математика;6;16;10;6;;\n");
    assert_int_equal(import_msg(s, bad, TPL_SCALES, &loaded, NULL, msg, sizeof msg), 1);
    assert_non_null(strstr(msg, "сначала строка с максимальным баллом"));
    assert_non_null(strstr(msg, "первичный балл: ожидается целое число от 0 до 50"));
    assert_non_null(strstr(msg, "отметка «4» должна начинаться с большего балла"));
    const char *bad2 = file_of("bad2.csv", "Год;Вид процедуры;Предмет;Параллель;Максимальный балл;"
                                           "Первичный балл;Тестовый балл\n"
                                           "2025;ЕГЭ;Химия;11;56;;\n"
                                           "2025;ЕГЭ;Химия;11;57;;\n"
                                           "2025;ЕГЭ;Химия;11;;4;\n"
                                           "2025;ЕГЭ;Химия;11;;;\n"
                                           "2025;ВПР;Химия;;20;;\n"
                                           "2025;Экзамен;Химия;8;20;;\n"
                                           "2025;ВПР;Алхимия;8;20;;\n");
    assert_int_equal(import_msg(s, bad2, TPL_SCALES, &loaded, NULL, msg, sizeof msg), 1);
    assert_non_null(strstr(msg, "уже задана выше в файле с другими значениями"));
    assert_non_null(strstr(msg, "пара баллов неполная"));
    assert_non_null(strstr(msg, "в строке нет ни шкалы"));
    assert_non_null(strstr(msg, "не указан класс (параллель) шкалы"));
    assert_non_null(strstr(msg, "неизвестный вид процедуры «Экзамен»"));
    assert_non_null(strstr(msg, "неизвестный предмет «Алхимия»"));
    store_rollback(s);
    store_close(s);
}

static void level_words_are_not_schools(void **state)
{
    (void)state;
    const char *l = NULL;
    assert_int_equal(import_bench_level("РФ", &l), 1);
    assert_string_equal(l, "rf");
    assert_int_equal(import_bench_level(" Российская Федерация ", &l), 1);
    assert_string_equal(l, "rf");
    assert_int_equal(import_bench_level("Краснодарский край", &l), 1);
    assert_string_equal(l, "region");
    assert_int_equal(import_bench_level("субъект", &l), 1);
    assert_string_equal(l, "region");
    assert_int_equal(import_bench_level("Республика Адыгея", &l), 1);
    assert_string_equal(l, "region");
    assert_int_equal(import_bench_level("Муниципалитет", &l), 1);
    assert_string_equal(l, "municipality");
    assert_int_equal(import_bench_level("Северский район", &l), 1);
    assert_string_equal(l, "municipality");
    assert_int_equal(import_bench_level("Муниципальное образование город Краснодар", &l), 1);
    assert_string_equal(l, "municipality");
    assert_int_equal(import_bench_level("город Краснодар", &l), 1);
    assert_string_equal(l, "municipality");
    assert_int_equal(import_bench_level("г. Москва", &l), 1);
    assert_string_equal(l, "region");
    assert_int_equal(import_bench_level("sch100001", &l), 0);
    assert_int_equal(import_bench_level("", &l), 0);
    assert_int_equal(import_bench_level("край", &l), 0); /* a bare word is no region's name */
}

/* seed 001: «отклонение … от средних значений по Российской Федерации и по Краснодарскому
 * краю» — the school page carries the four levels. */
static void benchmarks_sit_beside_the_school(void **state)
{
    (void)state;
    store *s = open_db("bench.db");
    char msg[2048];
    int64_t loaded = 0;
    msk_err err;
    const char *st = file_of("st.csv", "ВПР 2024. Математика. 5 класс. Статистика по отметкам\n"
                                       "Код ОО;Кол-во участников;2;3;4;5\n"
                                       "Российская Федерация;1000;100;400;300;200\n"
                                       "Краснодарский край;100;5;45;30;20\n"
                                       "Муниципалитет;40;2;18;12;8\n"
                                       "sch100001;20;2;8;6;4\n");
    assert_int_equal(import_msg(s, st, -1, &loaded, NULL, msg, sizeof msg), 0);
    assert_int_equal(loaded, 4);
    store_bench_row *rows;
    size_t n;
    assert_int_equal(store_bench_year(s, 2024, &rows, &n, &err), 0);
    assert_int_equal(n, 3);
    assert_string_equal(rows[1].level, "region");
    assert_string_equal(rows[1].name, "Краснодарский край");
    assert_int_equal(rows[1].mark5, 20);
    free(rows);
    view_year *v;
    json_t *d;
    view_ctx c = {VIEW_ANALYST, NULL, NULL};
    assert_int_equal(view_year_load(s, 2024, &v, &err), 0);
    assert_int_equal(view_school(v, &c, "sch100001", &d, &err), 0);
    json_t *p = json_array_get(json_object_get(d, "procedures"), 0);
    assert_non_null(p);
    assert_int_equal(json_integer_value(json_object_get(p, "nlevels")), 4);
    json_t *lv = json_object_get(p, "levels");
    assert_int_equal(json_array_size(lv), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(lv, 0), "level")),
                        "municipality");
    /* region quality: (30 + 20) / 100; RF: (300 + 200) / 1000 */
    assert_true(fabs(json_real_value(json_object_get(json_object_get(p, "region"), "quality")) -
                     0.5) < 1e-9);
    assert_true(fabs(json_real_value(json_object_get(json_object_get(p, "rf"), "quality")) - 0.5) <
                1e-9);
    assert_true(fabs(json_real_value(json_object_get(json_object_get(p, "rf"), "success")) - 0.9) <
                1e-9);
    json_decref(d);
    view_year_free(v);
    store_rollback(s);
    store_close(s);
}

/* seed 002 §2.1: «перечень ШНОР, сформированный ФИОКО» against ours. */
static void external_lists_reconcile(void **state)
{
    (void)state;
    store *s = open_db("lists.db");
    char msg[2048];
    int64_t loaded = 0;
    msk_err err;
    const char *res = file_of("r5.csv", "Год;Вид процедуры;Предмет;Параллель;Код ОО;Код участника;"
                                        "Первичный балл\n"
                                        "2024;ВПР;Математика;5;sch100001;p1;12\n");
    assert_int_equal(import_msg(s, res, -1, &loaded, NULL, msg, sizeof msg), 0);
    const char *l = file_of("l.csv", "Год;Код ОО;Список;Основание\n"
                                     "2024;sch100001;ШНОР ФИОКО;два года\n"
                                     "2024;sch100002;Список ШНОР ФИОКО;\n"
                                     "2024;sch100002;Федеральный список;\n");
    assert_int_equal(import_msg(s, l, -1, &loaded, NULL, msg, sizeof msg), 0);
    assert_int_equal(loaded, 3);
    /* a second file of the same list replaces it */
    const char *l2 = file_of("l2.csv", "Год;Код ОО;Список\n2024;sch100001;shnor_fioko\n");
    assert_int_equal(import_msg(s, l2, -1, &loaded, NULL, msg, sizeof msg), 0);
    store_extlist_row *rows;
    size_t n;
    assert_int_equal(store_extlist_year(s, 2024, &rows, &n, &err), 0);
    assert_int_equal(n, 2); /* the ШНОР list has one school now; the federal list stays */
    free(rows);
    view_year *v;
    json_t *d;
    view_ctx c = {VIEW_ANALYST, NULL, NULL};
    assert_int_equal(view_year_load(s, 2024, &v, &err), 0);
    assert_int_equal(view_reconcile(v, &c, &d, &err), 0);
    json_t *ls = json_object_get(d, "lists");
    assert_int_equal(json_array_size(ls), 3);
    json_t *sh = json_array_get(ls, 0);
    assert_string_equal(json_string_value(json_object_get(sh, "list")), "shnor_fioko");
    assert_true(json_is_true(json_object_get(sh, "loaded")));
    json_t *them = json_object_get(sh, "only_theirs");
    assert_int_equal(json_array_size(them), 1);
    json_t *it = json_array_get(them, 0);
    assert_string_equal(json_string_value(json_object_get(json_object_get(it, "school"), "code")),
                        "sch100001");
    assert_true(json_is_null(json_object_get(it, "verdict")));
    assert_int_equal(json_array_size(json_object_get(it, "results")), 1);
    assert_true(json_is_false(json_object_get(json_array_get(ls, 2), "loaded")));
    json_decref(d);
    view_ctx op = {VIEW_SCHOOL, "sch100001", NULL};
    assert_int_equal(view_reconcile(v, &op, &d, &err), VIEW_FORBIDDEN);
    view_year_free(v);
    const char *dup = file_of("ld.csv", "Год;Код ОО;Список\n2024;sch100001;ШНОР\n"
                                        "2024;sch100001;ШНОР ФИОКО\n");
    assert_int_equal(import_msg(s, dup, -1, &loaded, NULL, msg, sizeof msg), 1);
    assert_non_null(strstr(msg, "школа уже есть в этом списке выше в файле"));
    /* an unknown list word is refused with its name */
    const char *bad = file_of("lb.csv", "Год;Код ОО;Список\n2024;sch100001;чёрный список\n");
    assert_int_equal(import_msg(s, bad, -1, &loaded, NULL, msg, sizeof msg), 1);
    assert_non_null(strstr(msg, "неизвестный список «чёрный список»"));
    store_rollback(s);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_year_scale_gives_the_marks_of_its_year),
        cmocka_unit_test(test_score_pairs_load_and_replace),
        cmocka_unit_test(level_words_are_not_schools),
        cmocka_unit_test(benchmarks_sit_beside_the_school),
        cmocka_unit_test(external_lists_reconcile),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
