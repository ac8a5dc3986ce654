/*
 * Unit tests of src/store/registry.c: the per-school aggregate the directions' registry() and
 * registry_sum() terms read (DIRECTIONS.md §3), on a hand-counted case; replace/keep on put;
 * search; confirm (set_int); the gifted sources from olympiad results (seed 001 п. 4.8); the
 * filter columns beside the JSON (migration 23) follow every writer and are filled for the rows
 * stored before them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/regkind.h"
#include "store/registry.h"
#include "store/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];
static char dbpath[160];

static int setup(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/msoko-test-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(dbpath, sizeof dbpath, "%s/r.db", dir);
    return 0;
}

static int teardown(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static store *fresh(void)
{
    store *s = NULL;
    msk_err err;
    msk_err_clear(&err);
    unlink(dbpath);
    assert_int_equal(store_open(dbpath, STORE_CREATE, &s, &err), 0);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_seed_reference(s, &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    return s;
}

static int64_t school(store *s, const char *code)
{
    store_school sc = {code, code, "sosh", "urban", "1-11"};
    int64_t id = 0;
    msk_err err;
    assert_int_equal(store_school_put(s, &sc, &id, &err), 0);
    return id;
}

static void put(store *s, int64_t sid, int year, const char *code, const char *data)
{
    msk_err err;
    int added = 0;
    assert_int_equal(store_registry_put(s, "teacher", year, sid, code, code, data, 0, "t", 1,
                                        &added, NULL, &err),
                     0);
    assert_int_equal(added, 1);
}

typedef struct totals {
    char school[4][16];
    double v[4];
    int n;
} totals;

static void collect(void *ctx, const char *code, double v)
{
    totals *t = ctx;
    if (t->n < 4) {
        snprintf(t->school[t->n], sizeof t->school[0], "%s", code);
        t->v[t->n++] = v;
    }
}

/* school A: 3 teachers in 2024 (highest, first, none; young: 1 of them; loads 18, 20, 27),
 * school B: 2 teachers (highest, highest; not young; loads 36, 9), one teacher of B in 2023. */
static void seed(store *s)
{
    msk_err err;
    int64_t a, b;
    assert_int_equal(store_begin(s, &err), 0);
    a = school(s, "schA");
    b = school(s, "schB");
    put(s, a, 2024, "t1", "{\"category\":\"highest\",\"young\":0,\"load_hours\":18}");
    put(s, a, 2024, "t2", "{\"category\":\"first\",\"young\":1,\"load_hours\":20}");
    put(s, a, 2024, "t3", "{\"category\":\"none\",\"young\":0,\"load_hours\":27.5}");
    put(s, b, 2024, "t4", "{\"category\":\"highest\",\"young\":0,\"load_hours\":36}");
    put(s, b, 2024, "t5", "{\"category\":\"highest\",\"young\":0,\"load_hours\":9}");
    put(s, b, 2023, "t4", "{\"category\":\"first\",\"young\":1,\"load_hours\":30}");
    assert_int_equal(store_commit(s, &err), 0);
}

static void totals_hand_counted(void **state)
{
    store *s = fresh();
    msk_err err;
    totals t;
    seed(s);
    memset(&t, 0, sizeof t); /* all rows */
    assert_int_equal(
        store_registry_school_totals(s, "teacher", 2024, NULL, NULL, NULL, NULL, collect, &t, &err),
        0);
    assert_int_equal(t.n, 2);
    assert_string_equal(t.school[0], "schA");
    assert_true(t.v[0] == 3 && t.v[1] == 2);
    memset(&t, 0, sizeof t); /* category = highest: A 1, B 2 */
    assert_int_equal(store_registry_school_totals(s, "teacher", 2024, "category", "=", "highest",
                                                  NULL, collect, &t, &err),
                     0);
    assert_true(t.n == 2 && t.v[0] == 1 && t.v[1] == 2);
    memset(&t, 0, sizeof t); /* young = 1: A 1, B 0 (B still reported: it has rows) */
    assert_int_equal(store_registry_school_totals(s, "teacher", 2024, "young", "=", "1", NULL,
                                                  collect, &t, &err),
                     0);
    assert_true(t.n == 2 && t.v[0] == 1 && t.v[1] == 0);
    memset(&t, 0, sizeof t); /* category != highest: A 2, B 0 */
    assert_int_equal(store_registry_school_totals(s, "teacher", 2024, "category", "!=", "highest",
                                                  NULL, collect, &t, &err),
                     0);
    assert_true(t.v[0] == 2 && t.v[1] == 0);
    memset(&t, 0, sizeof t); /* sum of load: A 18+20+27.5 = 65.5, B 45 */
    assert_int_equal(store_registry_school_totals(s, "teacher", 2024, NULL, NULL, NULL,
                                                  "load_hours", collect, &t, &err),
                     0);
    assert_true(t.v[0] == 65.5 && t.v[1] == 45);
    memset(&t, 0, sizeof t); /* load >= 20: A 2 (20, 27.5), B 1 (36); sum of them: 47.5, 36 */
    assert_int_equal(store_registry_school_totals(s, "teacher", 2024, "load_hours", ">=", "20",
                                                  NULL, collect, &t, &err),
                     0);
    assert_true(t.v[0] == 2 && t.v[1] == 1);
    memset(&t, 0, sizeof t);
    assert_int_equal(store_registry_school_totals(s, "teacher", 2024, "load_hours", ">=", "20",
                                                  "load_hours", collect, &t, &err),
                     0);
    assert_true(t.v[0] == 47.5 && t.v[1] == 36);
    memset(&t, 0, sizeof t); /* 2023: B only */
    assert_int_equal(store_registry_school_totals(s, "teacher", 2023, "young", "=", "1", NULL,
                                                  collect, &t, &err),
                     0);
    assert_true(t.n == 1 && !strcmp(t.school[0], "schB") && t.v[0] == 1);
    memset(&t, 0, sizeof t); /* a year without rows: no school */
    assert_int_equal(
        store_registry_school_totals(s, "teacher", 2022, NULL, NULL, NULL, NULL, collect, &t, &err),
        0);
    assert_int_equal(t.n, 0);
    /* distinct codes: pupil g1 of A is gifted in two subjects (two rows, one pupil), g2 in one;
     * confirmed = 1: g1's maths row only → A 1 pupil */
    assert_int_equal(store_begin(s, &err), 0);
    int added = 0;
    int64_t ida = 0;
    assert_int_equal(store_registry_put(s, "gifted", 2024, 1, "g1", "g1|math",
                                        "{\"subject\":\"math\",\"confirmed\":1}", 0, "t", 1, &added,
                                        &ida, &err),
                     0);
    assert_int_equal(store_registry_put(s, "gifted", 2024, 1, "g1", "g1|phys",
                                        "{\"subject\":\"phys\",\"confirmed\":0}", 0, "t", 1, &added,
                                        NULL, &err),
                     0);
    assert_int_equal(store_registry_put(s, "gifted", 2024, 1, "g2", "g2|math",
                                        "{\"subject\":\"math\",\"confirmed\":0}", 0, "t", 1, &added,
                                        NULL, &err),
                     0);
    assert_int_equal(store_commit(s, &err), 0);
    memset(&t, 0, sizeof t);
    assert_int_equal(
        store_registry_school_totals(s, "gifted", 2024, NULL, NULL, NULL, NULL, collect, &t, &err),
        0);
    assert_true(t.n == 1 && t.v[0] == 3); /* rows */
    memset(&t, 0, sizeof t);
    assert_int_equal(
        store_registry_school_codes(s, "gifted", 2024, NULL, NULL, NULL, collect, &t, &err), 0);
    assert_true(t.n == 1 && t.v[0] == 2); /* pupils g1, g2 */
    memset(&t, 0, sizeof t);
    assert_int_equal(
        store_registry_school_codes(s, "gifted", 2024, "confirmed", "=", "1", collect, &t, &err),
        0);
    assert_true(t.n == 1 && t.v[0] == 1);
    /* a column that is not a code, an unknown operator: refused, no SQL built from them */
    assert_int_equal(store_registry_school_totals(s, "teacher", 2024, "x') OR 1=1 --", "=", "1",
                                                  NULL, collect, &t, &err),
                     -1);
    assert_int_equal(store_registry_school_totals(s, "teacher", 2024, "young", "LIKE", "1", NULL,
                                                  collect, &t, &err),
                     -1);
    store_close(s);
}

/* A running bank (seed 001 п. 1.13, 8.4 «Постоянно») as of a year: the codes included in that
 * year or before and not excluded by then. School A: e1 (2022, excluded 2024), e2 (2023), e3
 * (2024, role observer), e4 (2025), e2 again in 2024 (one person); school B: e5 (2024, excluded
 * 2025). As of 2024: A e2, e3 → 2 (the rows of 2024 alone: e2, e3 → 2 too, but as of 2023: A e1,
 * e2 → 2 where the rows of 2023 give 1), B e5 → 1; observers of A → 1. */
static void bank_as_of_year(void **state)
{
    (void)state;
    store *s = fresh();
    msk_err err;
    totals t;
    int added = 0;
    assert_int_equal(store_begin(s, &err), 0);
    int64_t a = school(s, "schA"), b = school(s, "schB");
    struct {
        int64_t sid;
        int year;
        const char *code, *key, *data;
    } rows[] = {
        {a, 2022, "e1", "e1|gia", "{\"role\":\"gia_expert\",\"excluded\":2024}"},
        {a, 2023, "e2", "e2|gia", "{\"role\":\"gia_expert\"}"},
        {a, 2024, "e3", "e3|obs", "{\"role\":\"observer\"}"},
        {a, 2025, "e4", "e4|obs", "{\"role\":\"observer\"}"},
        {a, 2024, "e2", "e2|vpr", "{\"role\":\"vpr_expert\"}"},
        {b, 2024, "e5", "e5|obs", "{\"role\":\"observer\",\"excluded\":2025}"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        assert_int_equal(store_registry_put(s, "expert", rows[i].year, rows[i].sid, rows[i].code,
                                            rows[i].key, rows[i].data, 0, "t", 1, &added, NULL,
                                            &err),
                         0);
    assert_int_equal(store_commit(s, &err), 0);
    memset(&t, 0, sizeof t);
    assert_int_equal(
        store_registry_bank_codes(s, "expert", 2024, NULL, NULL, NULL, collect, &t, &err), 0);
    assert_int_equal(t.n, 2);
    assert_string_equal(t.school[0], "schA");
    assert_true(t.v[0] == 2); /* e2, e3: not e1 (excluded 2024), not e4 (2025) */
    assert_string_equal(t.school[1], "schB");
    assert_true(t.v[1] == 1);
    memset(&t, 0, sizeof t);
    assert_int_equal(
        store_registry_bank_codes(s, "expert", 2023, NULL, NULL, NULL, collect, &t, &err), 0);
    assert_true(t.n == 1 && t.v[0] == 2); /* e1, e2 */
    memset(&t, 0, sizeof t);
    assert_int_equal(
        store_registry_school_codes(s, "expert", 2023, NULL, NULL, NULL, collect, &t, &err), 0);
    assert_true(t.n == 1 && t.v[0] == 1); /* the rows of 2023 alone: e2 */
    memset(&t, 0, sizeof t);
    assert_int_equal(
        store_registry_bank_codes(s, "expert", 2024, "role", "=", "observer", collect, &t, &err),
        0);
    assert_true(t.n == 2 && t.v[0] == 1 && t.v[1] == 1); /* A e3, B e5 */
    memset(&t, 0, sizeof t);
    assert_int_equal(
        store_registry_bank_codes(s, "expert", 2025, NULL, NULL, NULL, collect, &t, &err), 0);
    /* A e2, e3, e4; B's e5 was excluded in 2025: nobody of B (the directions give it 0) */
    assert_true(t.n == 1 && t.v[0] == 3);
    store_close(s);
}

static int64_t listed;
static void count_row(void *ctx, const store_registry_row *r)
{
    listed++;
}

static void list_search_and_confirm(void **state)
{
    store *s = fresh();
    msk_err err;
    int64_t total = 0, changed = 0;
    store_registry_query q = {.kind = "teacher", .year = 2024};
    int added = 1;
    seed(s);
    listed = 0;
    assert_int_equal(store_registry_list(s, &q, count_row, NULL, &total, &err), 0);
    assert_true(listed == 5 && total == 5);
    q.school = "schB";
    listed = 0;
    assert_int_equal(store_registry_list(s, &q, count_row, NULL, &total, &err), 0);
    assert_true(listed == 2 && total == 2);
    q.school = NULL;
    q.text = "first";
    listed = 0;
    assert_int_equal(store_registry_list(s, &q, count_row, NULL, &total, &err), 0);
    assert_int_equal(listed, 1);
    q.text = NULL;
    q.col[0] = "category";
    q.val[0] = "highest";
    q.limit = 2;
    q.offset = 1;
    listed = 0;
    assert_int_equal(store_registry_list(s, &q, count_row, NULL, &total, &err), 0);
    assert_true(listed == 2 && total == 3);
    /* keep mode leaves an existing row */
    assert_int_equal(store_begin(s, &err), 0);
    int64_t a = 0;
    assert_int_equal(store_school_id(s, "schA", &a), 0);
    assert_int_equal(store_registry_put(s, "teacher", 2024, a, "t1", "t1", "{\"young\":1}", 0, "t",
                                        0, &added, NULL, &err),
                     0);
    assert_int_equal(added, 0);
    assert_int_equal(
        store_registry_set_int(s, "teacher", "t1", 2024, NULL, "young", 1, &changed, &err), 0);
    assert_int_equal(changed, 1);
    assert_int_equal(
        store_registry_set_int(s, "teacher", "t1", 2024, NULL, "young", 1, &changed, &err), 0);
    assert_int_equal(changed, 0); /* already set: nothing changes */
    assert_int_equal(store_commit(s, &err), 0);
    assert_int_equal(store_registry_count(s, "teacher", 0), 6);
    store_close(s);
}

/* Rows whose filter columns differ from their JSON's keys (migration 23), and the rows with
 * any of them set, read straight from the file. */
static void columns_vs_json(int *differ, int *set)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(
                         db,
                         "SELECT count(CASE WHEN confirmed IS NOT json_extract(data, '$.confirmed')"
                         " OR role IS NOT json_extract(data, '$.role') OR excluded IS NOT"
                         " json_extract(data, '$.excluded') THEN 1 END), count(CASE WHEN"
                         " coalesce(confirmed, role, excluded) IS NOT NULL THEN 1 END)"
                         " FROM registry_row",
                         -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    *differ = sqlite3_column_int(st, 0);
    *set = sqlite3_column_int(st, 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* The filter columns confirmed, role, excluded take the JSON's values on every write: put (new
 * row, replaced row), update, set_int; the terms read them. Then a file of migration 22 with the
 * same rows (the columns and their index dropped, as a database made before them) gets them on
 * its next open, and the terms give the same counts. */
static void filter_columns_follow_json(void **state)
{
    (void)state;
    store *s = fresh();
    msk_err err;
    totals t;
    int added = 0, differ = -1, set = -1;
    int64_t id = 0, changed = 0;
    assert_int_equal(store_begin(s, &err), 0);
    int64_t a = school(s, "schA"), b = school(s, "schB");
    assert_int_equal(store_registry_put(s, "gifted", 2024, a, "g1", "g1|math",
                                        "{\"subject\":\"math\",\"confirmed\":0}", 0, "t", 1, &added,
                                        NULL, &err),
                     0);
    assert_int_equal(store_registry_put(s, "gifted", 2024, b, "g2", "g2|math",
                                        "{\"subject\":\"math\",\"confirmed\":0}", 0, "t", 1, &added,
                                        NULL, &err),
                     0);
    assert_int_equal(store_registry_put(s, "expert", 2023, a, "e1", "e1", "{\"role\":\"observer\"}",
                                        0, "t", 1, &added, &id, &err),
                     0);
    assert_int_equal(store_registry_put(s, "expert", 2024, b, "e2", "e2", "{\"role\":\"observer\"}",
                                        0, "t", 1, &added, NULL, &err),
                     0);
    put(s, a, 2024, "t1", "{\"young\":1}");
    assert_int_equal(store_commit(s, &err), 0);
    columns_vs_json(&differ, &set);
    assert_true(differ == 0 && set == 4); /* the teacher has none of the keys */
    memset(&t, 0, sizeof t);              /* nobody confirmed yet: both schools 0 */
    assert_int_equal(
        store_registry_school_codes(s, "gifted", 2024, "confirmed", "=", "1", collect, &t, &err),
        0);
    assert_true(t.n == 2 && t.v[0] == 0 && t.v[1] == 0);
    /* the analyst confirms g2 (set_int); e1 becomes a ГИА expert (update); e2 is excluded from
     * 2024 by a replaced row (put with replace) */
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(
        store_registry_set_int(s, "gifted", "g2", 2024, NULL, "confirmed", 1, &changed, &err), 0);
    assert_int_equal(changed, 1);
    assert_int_equal(
        store_registry_update(s, id, 2023, a, "e1", "e1", "{\"role\":\"gia_expert\"}", &err), 0);
    assert_int_equal(store_registry_put(s, "expert", 2024, b, "e2", "e2",
                                        "{\"role\":\"observer\",\"excluded\":2024}", 0, "t", 1,
                                        &added, NULL, &err),
                     0);
    assert_int_equal(added, 1); /* replaced */
    assert_int_equal(store_commit(s, &err), 0);
    columns_vs_json(&differ, &set);
    assert_true(differ == 0 && set == 4);
    memset(&t, 0, sizeof t); /* confirmed: A 0, B 1 */
    assert_int_equal(
        store_registry_school_codes(s, "gifted", 2024, "confirmed", "=", "1", collect, &t, &err),
        0);
    assert_true(t.n == 2 && t.v[0] == 0 && t.v[1] == 1);
    memset(&t, 0, sizeof t); /* observers as of 2024: A none (e1 is a ГИА expert now), B none
                              * (e2 excluded in 2024); A still has a bank row → A 0 */
    assert_int_equal(
        store_registry_bank_codes(s, "expert", 2024, "role", "=", "observer", collect, &t, &err),
        0);
    assert_true(t.n == 1 && !strcmp(t.school[0], "schA") && t.v[0] == 0);
    memset(&t, 0, sizeof t); /* as of 2023: A's e1, a ГИА expert */
    assert_int_equal(
        store_registry_bank_codes(s, "expert", 2023, "role", "!=", "observer", collect, &t, &err),
        0);
    assert_true(t.n == 1 && t.v[0] == 1);
    store_close(s);

    /* a database made before migration 23: its columns and index dropped, version 22 */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "DROP INDEX registry_row_filter;"
                                  " ALTER TABLE registry_row DROP COLUMN confirmed;"
                                  " ALTER TABLE registry_row DROP COLUMN role;"
                                  " ALTER TABLE registry_row DROP COLUMN excluded;"
                                  " DROP TABLE moved_row;" /* migration 24 */
                                  " PRAGMA user_version = 22",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    s = NULL;
    assert_int_equal(store_open(dbpath, STORE_WRITE, &s, &err), 0);
    assert_int_equal(store_user_version(s), 24);
    columns_vs_json(&differ, &set);
    assert_true(differ == 0 && set == 4);
    memset(&t, 0, sizeof t);
    assert_int_equal(
        store_registry_school_codes(s, "gifted", 2024, "confirmed", "=", "1", collect, &t, &err),
        0);
    assert_true(t.n == 2 && t.v[0] == 0 && t.v[1] == 1);
    memset(&t, 0, sizeof t);
    assert_int_equal(
        store_registry_bank_codes(s, "expert", 2023, "role", "!=", "observer", collect, &t, &err),
        0);
    assert_true(t.n == 1 && t.v[0] == 1);
    store_close(s);
}

static const char KIND_INI[] =
    "[registry]\ncode = teacher\nname = Педагоги\nkey = code, program\n"
    "people = pupils\n"
    "[column code]\nheader = Код педагога\nalias = педагог (код) | табельный номер\n"
    "type = text\nrequired = yes\n"
    "[column school]\nheader = Код ОО\ntype = text\n"
    "[column program]\nheader = Программа\ntype = text\n"
    "[column category]\nheader = Квалификационная категория\ntype = choice\n"
    "choice = highest | высшая | высшая категория\n"
    "choice = none | без категории | нет\n";

static void kind_parse_and_match(void **state)
{
    rk_kind *k = NULL;
    msk_err err;
    msk_err_clear(&err);
    assert_int_equal(rk_parse(KIND_INI, "t.ini", &k, &err), 0);
    assert_string_equal(k->code, "teacher");
    assert_int_equal(k->ncols, 4);
    assert_int_equal(k->nkey, 2);
    /* header, code and synonyms, whatever the case, ё and punctuation */
    assert_int_equal(rk_match_header(k, "КОД ПЕДАГОГА"), 0);
    assert_int_equal(rk_match_header(k, "Педагог (код)"), 0);
    assert_int_equal(rk_match_header(k, "табельный  номер."), 0);
    assert_int_equal(rk_match_header(k, "category"), 3);
    assert_int_equal(rk_match_header(k, "Стаж"), -1);
    const rk_column *c = rk_col(k, "category");
    assert_string_equal(rk_choice_find(c, "Высшая Категория")->code, "highest");
    assert_string_equal(rk_choice_find(c, "highest")->code, "highest");
    assert_string_equal(rk_choice_find(c, "Без категории")->code, "none");
    assert_null(rk_choice_find(c, "вторая"));
    assert_string_equal(rk_choice_label(c, "none"), "без категории");
    assert_true(rk_looks_like_name("ФИО"));
    assert_true(rk_looks_like_name("Фамилия, имя"));
    assert_true(rk_looks_like_name("ФИО обучающегося"));
    assert_false(rk_looks_like_name("Код обучающегося"));
    char out[32];
    rk_value_text(rk_col(k, "category"), "highest", 0, 0, out, sizeof out);
    assert_string_equal(out, "высшая");
    rk_free(k);
    /* a kind without a school column, an unknown type, a choice without words: refused */
    assert_int_equal(
        rk_parse("[registry]\ncode = x\nname = X\n[column code]\nheader = К\n", "x.ini", &k, &err),
        -1);
    assert_non_null(strstr(err.msg, "[column school]"));
    assert_int_equal(
        rk_parse("[registry]\ncode = x\nname = X\n[column code]\nheader = К\ntype = money\n",
                 "x.ini", &k, &err),
        -1);
    assert_non_null(strstr(err.msg, "тип «money» не знаком"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(totals_hand_counted),     cmocka_unit_test(bank_as_of_year),
        cmocka_unit_test(list_search_and_confirm), cmocka_unit_test(filter_columns_follow_json),
        cmocka_unit_test(kind_parse_and_match),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
