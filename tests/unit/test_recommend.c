/*
 * Tests for report/recommend: the shipped rules file loads; every kind of `when` matches a
 * hand-built school view model and names the school and the evidence; thresholds and the
 * minimum of participants hold; errors name the file and section.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "report/recommend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const school_json =
    "{\"school\": {\"code\": \"sch1\", \"name\": \"Школа № 1\"},"
    " \"context\": [{\"code\": \"teachers_unqualified\", \"name\": \"Педагогов, не имеющих диплома "
    "о "
    "переподготовке по преподаваемому предмету\", \"value\": 2, \"unit\": \"чел.\"}],"
    " \"procedures\": ["
    "  {\"proc\": {\"key\": \"VPR-math-5\", \"title\": \"ВПР, математика, 5 класс\"},"
    "   \"school\": {\"participants\": 41, \"share2\": 0.341, \"quality\": 0.2},"
    "   \"diff_quality\": -0.25},"
    "  {\"proc\": {\"key\": \"VPR-rus-5\", \"title\": \"ВПР, русский язык, 5 класс\"},"
    "   \"school\": {\"participants\": 4, \"share2\": 0.5}, \"diff_quality\": 0.0},"
    "  {\"proc\": {\"key\": \"OGE-math-9\", \"title\": \"ОГЭ, математика, 9 класс\"},"
    "   \"school\": {\"participants\": 20, \"share2\": 0.05}, \"diff_quality\": null}],"
    " \"findings\": ["
    "  {\"method\": \"shnor\", \"verdict\": \"AB\", \"evidence\": {},"
    "   \"text\": [\"детали\", \"Низкие результаты по 2 процедурам\"]},"
    "  {\"method\": \"risk\", \"verdict\": \"staff\", \"evidence\": {\"factors\": [\"staff\", "
    "\"material\"]}, \"text\": [\"Кадры: …\"]},"
    "  {\"method\": \"objectivity\", \"verdict\": \"journal_mismatch\", \"evidence\": "
    "{\"signs\": [{\"sign\": \"journal_mismatch\", \"text\": \"Журнал расходится с ВПР\"}]},"
    "   \"text\": [\"Журнал расходится с ВПР\"]}]}";

static json_t *school(void)
{
    json_error_t je;
    json_t *s = json_loads(school_json, 0, &je);
    if (!s)
        fail_msg("bad fixture: %s", je.text);
    return s;
}

static const json_t *find_rule(const json_t *out, const char *rule, size_t nth)
{
    size_t i, seen = 0;
    const json_t *o;
    json_array_foreach(out, i,
                       o) if (!strcmp(json_string_value(json_object_get(o, "rule")), rule) &&
                              seen++ == nth) return o;
    return NULL;
}

/* The shipped methods/recommendations.ini (MSOKO_ROOT, else the current folder). */
static rec_rules *shipped_rules(void)
{
    const char *root = getenv("MSOKO_ROOT");
    char path[1024];
    snprintf(path, sizeof path, "%s/methods/recommendations.ini", root ? root : ".");
    rec_rules *r = NULL;
    msk_err e;
    msk_err_clear(&e);
    if (rec_load(path, &r, &e))
        fail_msg("%s", e.msg);
    return r;
}

static void test_shipped_rules(void **state)
{
    (void)state;
    rec_rules *r = shipped_rules();
    assert_true(rec_count(r) >= 12);
    json_t *s = school(), *out = json_array();
    int n = rec_match(r, s, out);
    assert_int_equal((size_t)n, json_array_size(out));
    const json_t *o = find_rule(out, "shnor", 0);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(json_object_get(o, "school"), "name")),
                        "Школа № 1");
    assert_string_equal(json_string_value(json_object_get(o, "finding")),
                        "Низкие результаты по 2 процедурам");
    assert_non_null(find_rule(out, "low_vpr_math5", 0));
    assert_non_null(find_rule(out, "risk_staff", 0));
    assert_non_null(find_rule(out, "risk_material", 0));
    assert_null(find_rule(out, "risk_contingent", 0));
    assert_non_null(find_rule(out, "teachers_unqualified", 0));
    o = find_rule(out, "journal_mismatch", 0);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "finding")),
                        "Журнал расходится с ВПР");
    assert_non_null(strstr(json_string_value(json_object_get(o, "act")), "г. Кизляра"));
    json_decref(out);
    json_decref(s);
    rec_free(r);
}

static void test_result_rules(void **state)
{
    (void)state;
    rec_rules *r = NULL;
    msk_err e;
    msk_err_clear(&e);
    const char *ini = "[rec.low]\nwhen = result VPR-*-5 share2 >= 0.3\ntext = T\nreason = R\n"
                      "act = seed 002 §2.3\n"
                      "[rec.ctx]\nwhen = context teachers_unqualified > 2\ntext = T\nreason = R\n"
                      "act = A\n"
                      "[rec.diff]\nwhen = result *-*-* diff_quality < -0.2\ntext = T\n"
                      "reason = R\nact = A\n";
    if (rec_load_str("t.ini", ini, &r, &e))
        fail_msg("%s", e.msg);
    json_t *s = school(), *out = json_array();
    assert_int_equal(rec_match(r, s, out), 2);
    const json_t *o = find_rule(out, "low", 0);
    assert_non_null(o);
    /* VPR-rus-5 has 4 participants: below the minimum, no recommendation */
    assert_null(find_rule(out, "low", 1));
    assert_string_equal(json_string_value(json_object_get(o, "finding")),
                        "ВПР, математика, 5 класс: доля «2» 34,1\xC2\xA0% (порог ≥ 30,0\xC2\xA0%)");
    assert_null(find_rule(out, "ctx", 0)); /* 2 is not > 2 */
    o = find_rule(out, "diff", 0);
    assert_non_null(o);
    assert_non_null(strstr(json_string_value(json_object_get(o, "finding")), "−25,0"));
    /* a later, wider rule does not cite VPR-math-5 again */
    json_decref(out);
    out = json_array();
    rec_rules *r2 = NULL;
    const char *ini2 = "[rec.a]\nwhen = result VPR-math-5 share2 >= 0.3\ntext = T\nreason = R\n"
                       "act = A\n[rec.b]\nwhen = result VPR-*-* share2 >= 0.3\ntext = T\n"
                       "reason = R\nact = A\n";
    if (rec_load_str("t2.ini", ini2, &r2, &e))
        fail_msg("%s", e.msg);
    assert_int_equal(rec_match(r2, s, out), 1);
    rec_free(r2);
    json_decref(out);
    json_decref(s);
    rec_free(r);
}

static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *ini, *msg;
    } cases[] = {
        {"[rec.a]\nwhen = finding shnor\ntext = T\nreason = R\nact = A\ncolour = red\n",
         "t.ini: [rec.a] неизвестный ключ «colour»"},
        {"[rec.a]\nwhen = finding nope\ntext = T\nreason = R\nact = A\n",
         "t.ini: [rec.a] when = «finding nope»: после finding ожидается shnor"},
        {"[rec.a]\nwhen = result VPR-math-5 share9 >= 0.3\ntext = T\nreason = R\nact = A\n",
         "неизвестная мера результата"},
        {"[rec.a]\nwhen = result VPR-math-5 share2 => 0.3\ntext = T\nreason = R\nact = A\n",
         "оператор сравнения"},
        {"[rec.a]\nwhen = context x > 0,3\ntext = T\nreason = R\nact = A\n",
         "ожидается число с точкой"},
        {"[rec.a]\nwhen = finding shnor\nreason = R\nact = A\n", "[rec.a] нет ключа «text»"},
        {"[other]\nx = 1\n", "[other] неизвестный раздел"},
        {"[recommendations]\nversion = 1\n", "нет ни одного правила"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        rec_rules *r = NULL;
        msk_err e;
        msk_err_clear(&e);
        assert_int_equal(rec_load_str("t.ini", cases[i].ini, &r, &e), -1);
        assert_null(r);
        char full[2048];
        snprintf(full, sizeof full, "%s: %s", e.file, e.msg);
        if (!strstr(full, cases[i].msg))
            fail_msg("case %zu: «%s» lacks «%s»", i, full, cases[i].msg);
    }
}

/* fuzz_recommend: a text that is not UTF-8 was loaded, then dropped silently by json_pack */
static void test_not_utf8(void **state)
{
    (void)state;
    rec_rules *r = NULL;
    msk_err e;
    msk_err_clear(&e);
    assert_int_equal(rec_load_str("r.ini",
                                  "[rec.x]\nwhen = finding shnor\ntext = \xcf\xee\xec\xee\xf9\xfc\n"
                                  "reason = r\nact = a\n",
                                  &r, &e),
                     -1);
    assert_null(r);
    assert_non_null(strstr(e.msg, "«text»: текст не в кодировке UTF-8"));
}

/* Issue 19: sign 9 (high ВПР not confirmed by ГИА, obj_vpr_gia.c) and 9th graders with honours
 * and a «3» on ОГЭ (seed 003 п. 1.8; the school page's gia.honours, view/gia.c) trigger the
 * shipped rules; a school without them does not get them, nor from another school's row. */
static const char *const with_json =
    "{\"school\": {\"code\": \"sch7\", \"name\": \"Школа № 7\"},"
    " \"findings\": [{\"method\": \"objectivity\", \"verdict\": \"inflated_mean,vpr_unconfirmed\","
    "  \"evidence\": {\"signs\": [{\"sign\": \"inflated_mean\", \"text\": \"Средний выше\"},"
    "   {\"sign\": \"vpr_unconfirmed\", \"text\": \"ВПР, математика, 8 класс, 2023: доля «4» и «5» "
    "— 70,0 % … не подтверждены результатами ГИА\"}]}, \"text\": [\"…\"]}],"
    " \"gia\": {\"honours\": [{\"school\": {\"code\": \"sch7\", \"name\": \"Школа № 7\"},"
    "  \"honours\": 3, \"with_oge\": 3, \"below5\": 2, \"three\": 1, \"signal\": true}]}}";
static const char *const without_json =
    "{\"school\": {\"code\": \"sch8\", \"name\": \"Школа № 8\"},"
    " \"findings\": [{\"method\": \"objectivity\", \"verdict\": \"inflated_mean,boundary_peaks\","
    "  \"evidence\": {\"signs\": [{\"sign\": \"inflated_mean\", \"text\": \"Средний выше\"},"
    "   {\"sign\": \"boundary_peaks\", \"text\": \"Пики\"}]}, \"text\": [\"…\"]}],"
    " \"gia\": {\"honours\": [{\"school\": {\"code\": \"sch8\", \"name\": \"Школа № 8\"},"
    "  \"honours\": 2, \"with_oge\": 2, \"below5\": 1, \"three\": 0, \"signal\": false},"
    "  {\"school\": {\"code\": \"sch7\", \"name\": \"Школа № 7\"}, \"honours\": 3, \"three\": 1},"
    "  {\"school\": null, \"honours\": 5, \"three\": 1}]}}";

static void test_sign9_and_honours(void **state)
{
    (void)state;
    rec_rules *r = shipped_rules();
    msk_err e;
    msk_err_clear(&e);
    json_error_t je;
    json_t *with = json_loads(with_json, 0, &je), *without = json_loads(without_json, 0, &je);
    assert_non_null(with);
    assert_non_null(without);
    json_t *out = json_array();
    rec_match(r, with, out);
    const json_t *o = find_rule(out, "vpr_unconfirmed", 0);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(json_object_get(o, "school"), "code")),
                        "sch7");
    assert_non_null(strstr(json_string_value(json_object_get(o, "finding")),
                           "не подтверждены результатами ГИА"));
    assert_non_null(strstr(json_string_value(json_object_get(o, "act")), "п. 5.2–5.3"));
    o = find_rule(out, "honours_three", 0);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "finding")),
                        "Выпускников 9 класса с аттестатом об основном общем образовании с "
                        "отличием — 3, из них сдавали ОГЭ — 3, получили «3» на ОГЭ — 1");
    assert_non_null(strstr(json_string_value(json_object_get(o, "act")), "п. 1.8"));
    json_decref(out);
    out = json_array();
    rec_match(r, without, out);
    assert_null(find_rule(out, "vpr_unconfirmed", 0));
    assert_null(find_rule(out, "honours_three", 0)); /* sch7's row is not sch8's */
    assert_non_null(find_rule(out, "boundary_peaks", 0));
    json_decref(out);
    /* gia FIELD compares: three >= 1 fires for sch7 only, a section not on the page is refused */
    rec_rules *g = NULL;
    if (rec_load_str("g.ini",
                     "[rec.g]\nwhen = gia honours below5 >= 2\ntext = T\nreason = R\n"
                     "act = A\n",
                     &g, &e))
        fail_msg("%s", e.msg);
    out = json_array();
    assert_int_equal(rec_match(g, with, out), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(out, 0), "finding")),
                        "Выпускников 9 класса с аттестатом об основном общем образовании с "
                        "отличием — 3, из них сдавали ОГЭ — 3, получили «3» на ОГЭ — 1");
    assert_int_equal(rec_match(g, without, out), 0);
    json_decref(out);
    rec_free(g);
    assert_int_equal(rec_load_str("g.ini",
                                  "[rec.g]\nwhen = gia medals three > 0\ntext = T\n"
                                  "reason = R\nact = A\n",
                                  &g, &e),
                     -1);
    assert_non_null(strstr(e.msg, "после gia ожидается раздел honours"));
    json_decref(with);
    json_decref(without);
    rec_free(r);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* rec_load_shared: the rules a server's pages share — read once, again when the file
 * changes (an edit takes effect at the next page), a broken file an error on every call */
static void test_shared(void **state)
{
    (void)state;
    char dir[] = "/tmp/msoko-test-rec-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/recommendations.ini", dir);
    static const char one[] = "[rec.a]\nwhen = finding shnor\ntext = T\nreason = R\nact = A\n";
    static const char two[] = "[rec.a]\nwhen = finding shnor\ntext = T\nreason = R\nact = A\n"
                              "[rec.b]\nwhen = finding risk\ntext = T2\nreason = R2\nact = A2\n";
    msk_err e;
    msk_err_clear(&e);
    rec_rules *r1 = NULL, *r2 = NULL, *r3 = NULL, *bad = NULL;
    write_file(path, one);
    assert_int_equal(rec_load_shared(path, &r1, &e), 0);
    assert_int_equal(rec_count(r1), 1);
    assert_int_equal(rec_load_shared(path, &r2, &e), 0);
    assert_ptr_equal(r1, r2); /* not read again */
    write_file(path, two);
    assert_int_equal(rec_load_shared(path, &r3, &e), 0);
    assert_ptr_not_equal(r3, r1);
    assert_int_equal(rec_count(r3), 2);
    assert_int_equal(rec_count(r1), 1); /* a page holding the old rules goes on with them */
    rec_release(r1);
    rec_release(r2);
    rec_release(r3);
    write_file(path, "[rec.a]\nwhen = finding nope\ntext = T\nreason = R\nact = A\n");
    for (int k = 0; k < 2; k++) { /* not kept: the error again until the file is fixed */
        msk_err_clear(&e);
        assert_int_equal(rec_load_shared(path, &bad, &e), -1);
        assert_null(bad);
        assert_non_null(strstr(e.msg, "после finding ожидается shnor"));
    }
    write_file(path, one);
    assert_int_equal(rec_load_shared(path, &r1, &e), 0);
    assert_int_equal(rec_count(r1), 1);
    rec_release(r1);
    assert_int_equal(unlink(path), 0);
    msk_err_clear(&e);
    assert_int_equal(rec_load_shared(path, &bad, &e), -1); /* gone: rec_load's error */
    assert_null(bad);
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_rules),
        cmocka_unit_test(test_result_rules),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_not_utf8),
        cmocka_unit_test(test_sign9_and_honours),
        cmocka_unit_test(test_shared),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
