/*
 * Unit tests of src/base/vocab.c: every code of every domain goes code → label → code, no
 * code or wording twice in a domain, labels are Russian, the lower-case form keeps
 * abbreviations; and the places that used to keep their own wording now agree with it (the
 * header's kind and subject names, the reference data the store seeds, the method texts).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/vocab.h"
#include "ingest/header.h"
#include "method/shnor.h"
#include "store/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Cyrillic letters, digits, blanks and punctuation; no Latin letter. */
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

static int is_ascii_code(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return 0;
    return 1;
}

static void round_trip_and_no_duplicates(void **state)
{
    BEGIN();
    size_t total = 0;
    for (int d = 0; d < VOCAB_COUNT; d++) {
        size_t n;
        const vocab_entry *e = vocab_entries((vocab_domain)d, &n);
        CHECK(e && n > 0, "domain %d is empty", d);
        total += n;
        for (size_t i = 0; i < n; i++) {
            const char *code = NULL;
            CHECK(is_ascii_code(e[i].code), "domain %d: code «%s» is not ASCII", d, e[i].code);
            CHECK(is_russian(e[i].label), "domain %d: «%s» → «%s» is not Russian", d, e[i].code,
                  e[i].label);
            CHECK(!e[i].brief || is_russian(e[i].brief), "domain %d: brief of «%s»", d, e[i].code);
            CHECK(!e[i].brief || strlen(e[i].brief) < strlen(e[i].label),
                  "domain %d: the brief wording of «%s» is not shorter", d, e[i].code);
            CHECK(!strcmp(vocab_label((vocab_domain)d, e[i].code), e[i].label), "label «%s»",
                  e[i].code);
            CHECK(vocab_code((vocab_domain)d, vocab_label((vocab_domain)d, e[i].code), &code) ==
                          0 &&
                      !strcmp(code, e[i].code),
                  "domain %d: «%s» → «%s» → «%s»", d, e[i].code, e[i].label, code ? code : "");
            code = NULL;
            CHECK(vocab_code((vocab_domain)d, vocab_brief((vocab_domain)d, e[i].code), &code) ==
                          0 &&
                      !strcmp(code, e[i].code),
                  "domain %d: brief of «%s» does not come back", d, e[i].code);
            for (size_t j = 0; j < i; j++) {
                CHECK(strcmp(e[i].code, e[j].code) != 0, "domain %d: code «%s» twice", d,
                      e[i].code);
                CHECK(strcmp(e[i].label, e[j].label) != 0, "domain %d: «%s» twice", d, e[i].label);
                CHECK(!e[j].brief || strcmp(e[i].label, e[j].brief) != 0,
                      "domain %d: «%s» is another code's brief wording", d, e[i].label);
            }
        }
    }
    CHECK(total >= 50, "only %zu entries", total);
    END();
}

static void unknown_codes_and_domains(void **state)
{
    const char *code = "untouched";
    size_t n = 7;
    assert_string_equal(vocab_label(VOCAB_SUBJECT, "xyz"), "xyz");
    assert_false(vocab_known(VOCAB_SUBJECT, "xyz"));
    assert_false(vocab_known(VOCAB_SUBJECT, NULL));
    assert_true(vocab_known(VOCAB_OBJ_SIGN, "boundary_peaks"));
    assert_false(vocab_known(VOCAB_RISK_FACTOR, "boundary_peaks"));
    assert_string_equal(vocab_brief(VOCAB_METHOD, "xyz"), "xyz");
    assert_string_equal(vocab_lower(VOCAB_SUBJECT, "xyz"), "xyz");
    assert_string_equal(vocab_label(VOCAB_SUBJECT, NULL), "");
    assert_string_equal(vocab_lower(VOCAB_SUBJECT, NULL), "");
    assert_int_equal(vocab_code(VOCAB_SUBJECT, "Алгебра", &code), -1);
    assert_int_equal(vocab_code(VOCAB_SUBJECT, NULL, &code), -1);
    assert_string_equal(code, "untouched");
    assert_null(vocab_entries(VOCAB_COUNT, &n));
    assert_int_equal(n, 0);
    assert_string_equal(vocab_label(VOCAB_COUNT, "math"), "math");
}

/* The wordings the pages, the CLI and the reports show (tests elsewhere assert them too). */
static void the_chosen_wordings(void **state)
{
    assert_string_equal(vocab_label(VOCAB_PROC_KIND, "VPR"), "ВПР");
    assert_string_equal(vocab_label(VOCAB_SUBJECT, "math_base"), "Математика (базовая)");
    assert_string_equal(vocab_label(VOCAB_FORM_STATUS, ""), "не заполнялась");
    assert_string_equal(vocab_label(VOCAB_FORM_STATUS, "returned"), "возвращена на доработку");
    assert_string_equal(vocab_brief(VOCAB_FORM_STATUS, "returned"), "возвращена");
    assert_string_equal(vocab_brief(VOCAB_FORM_STATUS, "submitted"), "сдана");
    assert_string_equal(vocab_label(VOCAB_VALUE_STAGE, "approved"), "утверждено");
    assert_string_equal(vocab_label(VOCAB_PLAN_STATUS, "in_progress"), "выполняется");
    assert_string_equal(vocab_label(VOCAB_ROLE, "school"), "оператор школы");
    assert_string_equal(vocab_brief(VOCAB_METHOD, "objectivity"), "Необъективность");
    assert_string_equal(vocab_label(VOCAB_RISK_FACTOR, "material"), "Материально-техническая база");
    /* seed 002 §2.1: the ШНОР criteria by their numbers in the act */
    assert_string_equal(vocab_brief(VOCAB_SHNOR_RULE, "A"), "Критерий 1");
    assert_string_equal(vocab_label(VOCAB_SHNOR_RULE, "AB"), "Критерии 1 и 2");
    assert_string_equal(vocab_lower(VOCAB_SHNOR_RULE, "B"), "критерий 2: в каждом из двух лет");
    const char *code;
    assert_int_equal(vocab_code(VOCAB_PLAN_STATUS, "отменено", &code), 0);
    assert_string_equal(code, "cancelled");
    assert_int_equal(vocab_code(VOCAB_FORM_STATUS, "возвращена", &code), 0);
    assert_string_equal(code, "returned");
}

static void lower_case_keeps_abbreviations(void **state)
{
    assert_string_equal(vocab_lower(VOCAB_SUBJECT, "math"), "математика");
    assert_string_equal(vocab_lower(VOCAB_SUBJECT, "rus"), "русский язык");
    assert_string_equal(vocab_lower(VOCAB_SUBJECT, "okr"), "окружающий мир");
    assert_string_equal(vocab_lower(VOCAB_SUBJECT, "math_prof"), "математика (профильная)");
    assert_string_equal(vocab_lower(VOCAB_METHOD, "risk"), "зона риска");
    assert_string_equal(vocab_lower(VOCAB_METHOD, "rating"), "рейтинг ОО");
    assert_string_equal(vocab_lower(VOCAB_METHOD, "shnor"), "ШНОР");
    assert_string_equal(vocab_lower(VOCAB_PROC_KIND, "VPR"), "ВПР");
    assert_string_equal(vocab_lower(VOCAB_PROC_KIND, "VSOSH"), "ВсОШ");
    assert_string_equal(vocab_lower(VOCAB_PROC_KIND, "GVE9"), "ГВЭ-9");
    assert_string_equal(vocab_lower(VOCAB_PROC_KIND, "DIAG"), "диагностическая работа");
    assert_string_equal(vocab_lower(VOCAB_FORM_STATUS, "draft"), "черновик");
    /* every lower form differs from its label in the first letter at most */
    for (int d = 0; d < VOCAB_COUNT; d++) {
        size_t n;
        const vocab_entry *e = vocab_entries((vocab_domain)d, &n);
        for (size_t i = 0; i < n; i++) {
            const char *l = vocab_lower((vocab_domain)d, e[i].code);
            assert_int_equal(strlen(l), strlen(e[i].label));
            assert_string_equal(l + 2, e[i].label + 2);
        }
    }
}

/* Header matching reads every kind and subject by its vocabulary name and code. */
static void the_header_reads_every_name(void **state)
{
    BEGIN();
    static const struct {
        vocab_domain d;
        int (*fn)(const char *, char *, size_t);
    } pairs[] = {{VOCAB_PROC_KIND, hdr_kind_code}, {VOCAB_SUBJECT, hdr_subject_code}};
    for (size_t p = 0; p < 2; p++) {
        size_t n;
        const vocab_entry *e = vocab_entries(pairs[p].d, &n);
        for (size_t i = 0; i < n; i++) {
            char out[16] = "";
            CHECK(pairs[p].fn(e[i].label, out, sizeof out) == 0 && !strcmp(out, e[i].code),
                  "«%s» → «%s», want «%s»", e[i].label, out, e[i].code);
            CHECK(pairs[p].fn(e[i].code, out, sizeof out) == 0 && !strcmp(out, e[i].code),
                  "code «%s» → «%s»", e[i].code, out);
            CHECK(pairs[p].fn(vocab_lower(pairs[p].d, e[i].code), out, sizeof out) == 0 &&
                      !strcmp(out, e[i].code),
                  "«%s» → «%s»", vocab_lower(pairs[p].d, e[i].code), out);
        }
    }
    END();
}

/* The reference data `msoko init` writes and the method texts use the same words. */
static void the_store_and_methods_use_it(void **state)
{
    char dir[64], path[128], cmd[160];
    snprintf(dir, sizeof dir, "/tmp/msoko-vocab-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/ref.db", dir);
    store *s = NULL;
    msk_err err;
    msk_err_clear(&err);
    assert_int_equal(store_open(path, STORE_CREATE, &s, &err), 0);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_seed_reference(s, &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    store_close(s);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    BEGIN();
    static const struct {
        vocab_domain d;
        const char *sql;
    } tabs[] = {{VOCAB_PROC_KIND, "SELECT code, name FROM proc_kind ORDER BY ord"},
                {VOCAB_SUBJECT, "SELECT code, name FROM subject ORDER BY ord"}};
    for (size_t t = 0; t < 2; t++) {
        sqlite3_stmt *st = NULL;
        size_t rows = 0, n;
        vocab_entries(tabs[t].d, &n);
        assert_int_equal(sqlite3_prepare_v2(db, tabs[t].sql, -1, &st, NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *code = (const char *)sqlite3_column_text(st, 0);
            const char *name = (const char *)sqlite3_column_text(st, 1);
            CHECK(!strcmp(vocab_label(tabs[t].d, code), name), "stored «%s» = «%s», vocab «%s»",
                  code, name, vocab_label(tabs[t].d, code));
            rows++;
        }
        sqlite3_finalize(st);
        CHECK(rows == n, "%zu rows stored, %zu in the vocabulary", rows, n);
    }
    END();
    sqlite3_close(db);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    assert_string_equal(shnor_kind_ru("DIAG"), vocab_label(VOCAB_PROC_KIND, "DIAG"));
    assert_string_equal(shnor_subject_ru("okr"), "окружающий мир");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip_and_no_duplicates),
        cmocka_unit_test(unknown_codes_and_domains),
        cmocka_unit_test(the_chosen_wordings),
        cmocka_unit_test(lower_case_keeps_abbreviations),
        cmocka_unit_test(the_header_reads_every_name),
        cmocka_unit_test(the_store_and_methods_use_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
