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
    assert_int_equal(import_bench_level("sch100001", &l), 0);
    assert_int_equal(import_bench_level("", &l), 0);
    assert_int_equal(import_bench_level("край", &l), 0); /* a bare word is no region's name */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_year_scale_gives_the_marks_of_its_year),
        cmocka_unit_test(test_score_pairs_load_and_replace),
        cmocka_unit_test(level_words_are_not_schools),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
