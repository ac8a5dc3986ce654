/*
 * Unit tests of the directions' computations (src/view/direction.c, src/report/recommend.c):
 * statuses counted (DIRECTIONS.md §1), a direction's status from its indicators, the trend of
 * the last year in the direction of good, and which recommendation rule answers an indicator
 * outside its target (indicator rule, then the direction's, then `direction *`) — each on a
 * case small enough to check by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/vocab.h"
#include "report/recommend.h"
#include "view/direction.h"

#include <jansson.h>
#include <string.h>

static json_t *parse(const char *s)
{
    json_error_t e;
    json_t *j = json_loads(s, 0, &e);
    assert_non_null(j);
    return j;
}

static void counts_by_status(void **state)
{
    (void)state;
    json_t *a = parse("[{\"status\":\"on_target\"},{\"status\":\"below\"},{\"status\":\"below\"},"
                      "{\"status\":\"no_data\"},{\"status\":\"bogus\"},{}]");
    view_dir_counts k;
    view_dir_count(a, &k);
    assert_int_equal(k.on_target, 1);
    assert_int_equal(k.below, 2);
    assert_int_equal(k.no_data, 3); /* an unknown or missing status is no data */
    assert_int_equal(k.total, 6);
    view_dir_count(NULL, &k);
    assert_int_equal(k.total, 0);
    json_decref(a);
}

static void status_of_a_direction(void **state)
{
    (void)state;
    json_t *none = parse("[{\"value\":null,\"target\":10,\"status\":\"no_data\"}]");
    json_t *below = parse("[{\"value\":5,\"target\":10,\"status\":\"on_target\"},"
                          "{\"value\":12,\"target\":10,\"status\":\"below\"}]");
    json_t *ok = parse("[{\"value\":5,\"target\":10,\"status\":\"on_target\"},"
                       "{\"value\":7,\"target\":null,\"status\":\"no_data\"}]");
    /* «below» without a target does not count: the status needs a target to miss */
    json_t *untargeted = parse("[{\"value\":5,\"target\":null,\"status\":\"below\"}]");
    assert_string_equal(view_dir_status(none), "no_data");
    assert_string_equal(view_dir_status(below), "below");
    assert_string_equal(view_dir_status(ok), "on_target");
    assert_string_equal(view_dir_status(untargeted), "on_target");
    assert_string_equal(view_dir_status(NULL), "no_data");
    json_decref(none);
    json_decref(below);
    json_decref(ok);
    json_decref(untargeted);
}

static void trend_in_the_direction_of_good(void **state)
{
    (void)state;
    json_t *down = parse("[{\"year\":2022,\"value\":23.3},{\"year\":2023,\"value\":20},"
                         "{\"year\":2024,\"value\":16.7}]");
    json_t *flat = parse("[{\"year\":2023,\"value\":4},{\"year\":2024,\"value\":4}]");
    json_t *gap = parse("[{\"year\":2022,\"value\":4},{\"year\":2024,\"value\":5}]");
    json_t *hole = parse("[{\"year\":2023,\"value\":null},{\"year\":2024,\"value\":5}]");
    json_t *one = parse("[{\"year\":2024,\"value\":5}]");
    assert_string_equal(view_dir_trend(down, "lower"), "better");
    assert_string_equal(view_dir_trend(down, "higher"), "worse");
    assert_string_equal(view_dir_trend(flat, "higher"), "same");
    assert_string_equal(view_dir_trend(gap, "higher"), "unknown"); /* not the year before */
    assert_string_equal(view_dir_trend(hole, "higher"), "unknown");
    assert_string_equal(view_dir_trend(one, "higher"), "unknown");
    json_decref(down);
    json_decref(flat);
    json_decref(gap);
    json_decref(hole);
    json_decref(one);
}

static void status_words(void **state)
{
    (void)state;
    assert_string_equal(view_dir_status_text("on_target"), "цель достигнута");
    assert_string_equal(view_dir_status_text("below"), "цель не достигнута");
    assert_string_equal(view_dir_status_text(NULL), "нет данных");
    size_t n;
    vocab_entries(VOCAB_DIRECTION, &n);
    assert_int_equal(n, 9); /* seed 001 приложение 3: nine directions */
}

static const char RULES[] = "[rec.one]\nwhen = indicator vpr_fail\ntext = A\nreason = r\nact = x\n"
                            "[rec.dir]\nwhen = direction shnor\ntext = B\nreason = r\nact = x\n"
                            "[rec.any]\nwhen = direction *\ntext = C\nreason = r\nact = x\n";

static void which_rule_answers(void **state)
{
    (void)state;
    rec_rules *r = NULL;
    msk_err err;
    msk_err_clear(&err);
    assert_int_equal(rec_load_str("t.ini", RULES, &r, &err), 0);
    json_t *page = parse(
        "{\"code\":\"shnor\",\"schools_outside\":[{\"school\":{\"code\":\"s1\",\"name\":\"Школа "
        "1\"},"
        "\"indicators\":[{\"code\":\"vpr_fail\",\"name\":\"Доля «2»\",\"unit\":\"%\",\"value\":40,"
        "\"target\":15,\"section\":\"п. 3.8\"},{\"code\":\"other\",\"name\":\"Другой\",\"unit\":"
        "\"чел.\",\"value\":2,\"target\":3}]}]}");
    assert_int_equal(rec_direction_page(r, page), 2);
    json_t *recs = json_object_get(page, "recommendations");
    assert_string_equal(json_string_value(json_object_get(json_array_get(recs, 0), "text")), "A");
    assert_string_equal(json_string_value(json_object_get(json_array_get(recs, 1), "text")), "B");
    assert_string_equal(json_string_value(json_object_get(json_array_get(recs, 0), "finding")),
                        "Доля «2»: 40,0 % при цели 15,0 % (п. 3.8)");
    assert_string_equal(json_string_value(json_object_get(json_array_get(recs, 1), "finding")),
                        "Другой: 2 чел. при цели 3 чел.");
    /* the school's own list has the same two */
    assert_int_equal(
        json_array_size(json_object_get(json_array_get(json_object_get(page, "schools_outside"), 0),
                                        "recommendations")),
        2);
    /* another direction falls to `direction *` for both: one recommendation naming both */
    json_object_set_new(page, "code", json_string("talents"));
    json_object_del(json_array_get(json_object_get(page, "schools_outside"), 0), "recommendations");
    json_t *ind0 = json_array_get(
        json_object_get(json_array_get(json_object_get(page, "schools_outside"), 0), "indicators"),
        0);
    json_object_set_new(ind0, "code", json_string("x"));
    assert_int_equal(rec_direction_page(r, page), 1);
    recs = json_object_get(page, "recommendations");
    assert_string_equal(json_string_value(json_object_get(json_array_get(recs, 0), "text")), "C");
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(recs, 0), "finding")),
        "Доля «2»: 40,0 % при цели 15,0 % (п. 3.8); Другой: 2 чел. при цели 3 чел.");
    assert_int_equal(json_array_size(json_object_get(json_array_get(recs, 0), "indicators")), 2);
    /* no rules: no recommendation, the keys are still there */
    assert_int_equal(rec_direction_page(NULL, page), 0);
    assert_int_equal(json_array_size(json_object_get(page, "recommendations")), 0);
    json_decref(page);
    rec_free(r);
}

static void an_unknown_direction_is_refused(void **state)
{
    (void)state;
    rec_rules *r = NULL;
    msk_err err;
    msk_err_clear(&err);
    assert_int_equal(
        rec_load_str("t.ini", "[rec.x]\nwhen = direction sport\ntext = A\nreason = r\nact = x\n",
                     &r, &err),
        -1);
    assert_non_null(strstr(err.msg, "после direction ожидается код направления"));
    assert_null(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_by_status),
        cmocka_unit_test(status_of_a_direction),
        cmocka_unit_test(trend_in_the_direction_of_good),
        cmocka_unit_test(status_words),
        cmocka_unit_test(which_rule_answers),
        cmocka_unit_test(an_unknown_direction_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
