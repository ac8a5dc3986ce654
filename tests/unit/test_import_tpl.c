/*
 * Unit tests of the template table (src/ingest/template.c): every row is complete and
 * consistent — a code, a Russian label, fields with header aliases people write, a loader or
 * the reason there is none, undo tables that exist in the schema and carry batch ids — and the
 * lists built from it (--kind names, undo) agree with it. A new template that forgets a part
 * fails here, not in a user's hands.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ingest/import.h"
#include "ingest/template.h"
#include "store/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static char dir[64];

static int setup(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/msoko-tpl-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Russian text for people: Cyrillic letters, blanks and punctuation, no Latin letter. */
static int is_russian(const char *s)
{
    int cyr = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
            return 0;
        if ((p[0] == 0xD0 || p[0] == 0xD1) && p[1] >= 0x80 && p[1] <= 0xBF)
            cyr = 1;
    }
    return cyr;
}

static int is_code(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || *s == '_'))
            return 0;
    return 1;
}

static void every_row_is_complete(void **state)
{
    BEGIN();
    for (int k = 0; k < TPL_COUNT; k++) {
        const tpl_def *t = tpl_get((tpl_kind)k);
        CHECK(t == &TPL[k], "tpl_get(%d)", k);
        CHECK(is_code(t->name), "template %d: code «%s» is not lower-case ASCII", k,
              t->name ? t->name : "(null)");
        if (!t->name)
            continue;
        CHECK(t->label && is_russian(t->label), "%s: label «%s» is not Russian text", t->name,
              t->label ? t->label : "(null)");
        tpl_kind back = TPL_COUNT;
        CHECK(tpl_kind_parse(t->name, &back) == 0 && back == (tpl_kind)k, "%s: parse → %d", t->name,
              (int)back);
        CHECK(!strcmp(tpl_kind_name((tpl_kind)k), t->name), "%s: tpl_kind_name", t->name);
        for (int j = 0; j < k; j++) {
            CHECK(strcmp(TPL[j].name, t->name) != 0, "code «%s» twice", t->name);
            CHECK(strcmp(TPL[j].label, t->label) != 0, "label «%s» twice", t->label);
        }
        CHECK(t->fields != 0, "%s: no fields", t->name);
        CHECK(t->required && (t->required & ~t->fields) == 0,
              "%s: required columns must be some of its fields", t->name);
        CHECK((t->needed & ~t->fields) == 0 && (t->needed & t->required) == 0,
              "%s: needed columns are fields and not required ones", t->name);
        CHECK(t->anchor && (t->anchor & ~t->fields) == 0, "%s: anchor columns must be fields",
              t->name);
        CHECK((t->fields & (TPL_BIT(F_PERSONAL) | TPL_BIT(F_IGNORED))) == 0,
              "%s: personal and ignored columns are never fields", t->name);
        /* a loader, or the message why msoko import refuses the template — never both */
        CHECK(!t->row != !t->elsewhere, "%s: a loader or a reason, exactly one", t->name);
        CHECK(!t->elsewhere ||
                  strstr(t->elsewhere, "\xD0\xB7\xD0\xB0\xD0\xB3\xD1\x80\xD1\x83\xD0\xB6"),
              "%s: the reason says where such files are loaded (загружаются …)", t->name);
        CHECK(t->row || (!t->start && !t->finish && !t->undo[0]),
              "%s: hooks and undo tables without a loader", t->name);
        CHECK(!t->row || t->undo[0], "%s: a loader without undo tables", t->name);
        CHECK(tpl_importable((tpl_kind)k) == (t->row != NULL), "%s: importable", t->name);
    }
    CHECK(tpl_get(TPL_COUNT) == NULL && tpl_get((tpl_kind)-1) == NULL, "out of range");
    END();
}

/* Every column a template requires or recognises its header by can be written by people:
 * the canonical name and at least one Russian alias, each matching that field. */
static void every_required_field_has_an_alias(void **state)
{
    BEGIN();
    for (int k = 0; k < TPL_COUNT; k++) {
        const tpl_def *t = &TPL[k];
        for (int f = 0; f < F_TASK; f++) {
            if (!(t->fields & TPL_BIT(f)))
                continue;
            hdr_col c;
            hdr_match_cell((tpl_kind)k, hdr_field_name((hdr_field)f), &c);
            CHECK(c.field == (hdr_field)f, "%s: the canonical «%s» → %d", t->name,
                  hdr_field_name((hdr_field)f), c.field);
            const char *al[32];
            size_t n = hdr_field_aliases((tpl_kind)k, (hdr_field)f, al, 32);
            if (!((t->required | t->needed | t->anchor) & TPL_BIT(f)))
                continue;
            size_t ru = 0;
            for (size_t i = 0; i < n && i < 32; i++) {
                hdr_match_cell((tpl_kind)k, al[i], &c);
                CHECK(c.field == (hdr_field)f, "%s: alias «%s» of %s → %d", t->name, al[i],
                      hdr_field_name((hdr_field)f), c.field);
                ru += is_russian(al[i]) ? 1u : 0u;
            }
            CHECK(ru > 0, "%s: required column %s has no Russian alias", t->name,
                  hdr_field_name((hdr_field)f));
        }
        CHECK(hdr_field_aliases((tpl_kind)k, F_COUNT, NULL, 0) == 0, "%s: F_COUNT", t->name);
    }
    /* a field outside the template has no alias there */
    CHECK(hdr_field_aliases(TPL_PLAN, F_PUPIL_CODE, NULL, 0) == 0, "plan has no pupil code");
    END();
}

static int has_table(sqlite3 *db, const char *name, int *has_batch)
{
    sqlite3_stmt *st = NULL;
    int found = 0;
    *has_batch = 0;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?", -1,
                       &st, NULL);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        found = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_prepare_v2(db, "SELECT count(*) FROM pragma_table_info(?) WHERE name='batch_id'", -1,
                       &st, NULL);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        *has_batch = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return found;
}

static void undo_tables_exist_in_the_schema(void **state)
{
    char path[128];
    store *s = NULL;
    msk_err err;
    msk_err_clear(&err);
    snprintf(path, sizeof path, "%s/schema.db", dir);
    assert_int_equal(store_open(path, STORE_CREATE, &s, &err), 0);
    store_close(s);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    BEGIN();
    int tables = 0, hb;
    for (int k = 0; k < TPL_COUNT; k++) {
        const tpl_def *t = &TPL[k];
        for (size_t i = 0; i < TPL_MAX_UNDO && t->undo[i]; i++, tables++) {
            CHECK(has_table(db, t->undo[i], &hb), "%s: undo table «%s» is not in the schema",
                  t->name, t->undo[i]);
            CHECK(hb == 1, "%s: «%s» has no batch_id column", t->name, t->undo[i]);
            for (size_t j = 0; j < i; j++)
                CHECK(strcmp(t->undo[j], t->undo[i]) != 0, "%s: «%s» twice", t->name, t->undo[i]);
        }
        CHECK(t->undo[TPL_MAX_UNDO] == NULL, "%s: undo list not terminated", t->name);
        CHECK(tpl_undo_tables(t->name) == (t->row ? t->undo : NULL), "%s: tpl_undo_tables",
              t->name);
    }
    CHECK(tables >= 8, "only %d undo tables", tables);
    CHECK(!has_table(db, "no_such_table", &hb), "the check itself finds a missing table");
    CHECK(tpl_undo_tables("nonsense") == NULL && tpl_undo_tables(NULL) == NULL, "unknown kind");
    END();
    sqlite3_close(db);
}

/* A batch whose kind names no template cannot be undone, and says so. */
static void undo_of_an_unknown_kind_is_refused(void **state)
{
    char path[128];
    store *s = NULL;
    msk_err err;
    int64_t id = 0, removed = -1;
    msk_err_clear(&err);
    snprintf(path, sizeof path, "%s/undo.db", dir);
    assert_int_equal(store_open(path, STORE_CREATE, &s, &err), 0);
    assert_int_equal(store_begin(s, &err), 0);
    store_batch b = {"x.csv", "", "nonsense", "", "test"};
    assert_int_equal(store_batch_add(s, &b, &id, &err), 0);
    assert_int_equal(import_undo(s, id, &removed, &err), -1);
    assert_non_null(strstr(err.msg, "неизвестный шаблон «nonsense»"));
    store_batch p = {"p.csv", "", "plan", "", "test"};
    assert_int_equal(store_batch_add(s, &p, &id, &err), 0);
    assert_int_equal(import_undo(s, id, &removed, &err), 0);
    assert_int_equal(removed, 0);
    assert_int_equal(import_undo(s, id, &removed, &err), -1);
    assert_non_null(strstr(err.msg, "уже отменена"));
    assert_int_equal(import_undo(s, id + 100, &removed, &err), -1);
    assert_non_null(strstr(err.msg, "не найдена"));
    store_rollback(s);
    store_close(s);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* One file through import_file: recognised by its header, loaded by its row's loader,
 * undone from its row's tables. */
static int64_t import_one(store *s, const char *path, int kind, int want_kind, int64_t rows)
{
    import_opts o = {0};
    import_report rep;
    msk_err err;
    msk_err_clear(&err);
    o.kind = kind;
    o.user = "test";
    import_report_init(&rep);
    int rc = import_file(s, path, &o, &rep, &err);
    if (rc)
        print_error("%s: %s%s\n", path, err.msg, rep.messages.data ? rep.messages.data : "");
    assert_int_equal(rc, 0);
    assert_int_equal(rep.kind, want_kind);
    assert_int_equal(rep.rows_loaded, rows);
    int64_t id = rep.batch_id;
    import_report_release(&rep);
    return id;
}

static void files_go_through_the_table(void **state)
{
    char db[128], sch[128], plan[128], nohdr[128];
    store *s = NULL;
    msk_err err;
    int64_t removed = 0;
    msk_err_clear(&err);
    snprintf(db, sizeof db, "%s/files.db", dir);
    snprintf(sch, sizeof sch, "%s/schools.csv", dir);
    snprintf(plan, sizeof plan, "%s/plan.csv", dir);
    snprintf(nohdr, sizeof nohdr, "%s/none.csv", dir);
    write_file(sch, "Код ОО;Наименование ОО;Тип ОО;Местность\n"
                    "sch100001;Школа № 1;СОШ;городская\n"
                    "sch100002;Гимназия № 2;гимназия;сельская\n");
    write_file(plan, "№;Мероприятие;Срок;Статус\n1;Совещание;постоянно;в работе\n"
                     "2;Семинар;ежегодно, сентябрь;Выполнено\n");
    write_file(nohdr, "a;b\n1;2\n");
    assert_int_equal(store_open(db, STORE_CREATE, &s, &err), 0);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_seed_reference(s, &err), 0);
    int64_t b1 = import_one(s, sch, -1, TPL_SCHOOLS, 2);
    int64_t b2 = import_one(s, plan, -1, TPL_PLAN, 2);
    assert_int_equal(import_undo(s, b2, &removed, &err), 0);
    assert_int_equal(removed, 2);
    assert_int_equal(import_undo(s, b1, &removed, &err), 0);
    assert_int_equal(removed, 2);
    /* the message names the template's own anchor columns */
    import_opts o = {0};
    import_report rep;
    o.kind = TPL_PLAN;
    import_report_init(&rep);
    assert_int_equal(import_file(s, nohdr, &o, &rep, &err), -1);
    assert_non_null(strstr(err.msg, "«Мероприятие» (text)"));
    import_report_release(&rep);
    o.kind = TPL_RESULTS;
    import_report_init(&rep);
    assert_int_equal(import_file(s, nohdr, &o, &rep, &err), -1);
    assert_non_null(strstr(err.msg, "«Код ОО» (school_code) или «Код участника» (pupil_code)"));
    import_report_release(&rep);
    o.kind = -1;
    import_report_init(&rep);
    assert_int_equal(import_file(s, nohdr, &o, &rep, &err), -1);
    assert_non_null(strstr(err.msg, "укажите --kind (schools, results,"));
    import_report_release(&rep);
    /* a template without a loader is refused with its reason */
    o.kind = TPL_RECHECK;
    write_file(nohdr, "Код ОО;Код участника;1;2\nsch100001;p1;1;0\n");
    import_report_init(&rep);
    assert_int_equal(import_file(s, nohdr, &o, &rep, &err), -1);
    assert_non_null(strstr(err.msg, TPL[TPL_RECHECK].elsewhere));
    import_report_release(&rep);
    store_rollback(s);
    store_close(s);
}

static void kind_list_names_every_importable_template(void **state)
{
    char list[256], small[12];
    tpl_kind_list(list, sizeof list);
    /* the templates of today, in table order; a new one only adds itself */
    assert_non_null(
        strstr(list, "schools, results, aggregates, context, olympiads, graduates, plan"));
    int importable = 0, commas = 0;
    for (int k = 0; k < TPL_COUNT; k++)
        if (tpl_importable((tpl_kind)k)) {
            assert_non_null(strstr(list, TPL[k].name));
            importable++;
        }
    for (const char *p = list; (p = strstr(p, ", ")) != NULL; p++)
        commas++;
    assert_int_equal(commas, importable - 1);
    assert_null(strstr(list, "recheck"));
    tpl_kind_list(small, sizeof small);
    assert_true(strlen(small) < sizeof small);
    assert_string_equal(small, "schools");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_row_is_complete),
        cmocka_unit_test(every_required_field_has_an_alias),
        cmocka_unit_test(undo_tables_exist_in_the_schema),
        cmocka_unit_test(undo_of_an_unknown_kind_is_refused),
        cmocka_unit_test(files_go_through_the_table),
        cmocka_unit_test(kind_list_names_every_importable_template),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
