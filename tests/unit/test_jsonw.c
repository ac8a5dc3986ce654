/*
 * Unit tests of the JSON text writer (src/base/jsonw.c): jw_json writes, byte for byte, what
 * json_dumps writes for the same tree — compact (a finding's evidence), indented with 6 digits
 * (analyze --json), and indented as a member at depth 1 — for every type, empty and nested
 * containers, strings that need escapes (quotes, backslash, controls, an embedded NUL, UTF-8
 * left as it is, '/' not escaped), keys that need escapes, negative and large integers, and
 * reals on every path of the number format (".0", exponents without '+' and leading zeros,
 * the cache of reals' texts hit by repeated values and shared by two writers of different
 * precision), and streamed on to a file a megabyte at a time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/jsonw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *sample(void)
{
    json_t *t = json_pack(
        "{s:i, s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:f, s:b, s:b, s:n, s:[], s:{}}", "year", 2024,
        "neg", (json_int_t)-42, "big", (json_int_t)INT64_C(9223372036854775807), "one", 1.0,
        "third", 1.0 / 3.0, "huge", 1.5e20, "tiny", 2e-9, "small", 1e-300, "negzero", -0.0, "t", 1,
        "f", 0, "none", "empty_a", "empty_o");
    json_object_set_new(t, "esc \"k\"\t", json_string("a\"b\\c/d\n\r\b\f\x01 «ШНОР» é"));
    json_object_set_new(t, "nul", json_stringn("x\0y", 3));
    json_t *list = json_array();
    for (int i = 0; i < 5; i++) {
        json_t *o = json_pack("{s:s, s:f, s:[f, i, {s:f}]}", "school", "s1", "share", 0.1 * (i % 2),
                              "nested", 123456789.123, i, "v", 100.0 / 7.0);
        json_array_append_new(list, o);
    }
    json_object_set_new(t, "list", list);
    json_object_set_new(t, "deep", json_pack("[[[[{}]]], [[]]]"));
    return t;
}

static char *jw_text(const json_t *v, int indent, int depth, int prec, jw_nums *nums, int which)
{
    msk_buf b;
    msk_buf_init(&b, 0);
    jw w;
    jw_init(&w, &b, indent, depth, prec, nums, which);
    jw_json(&w, v);
    assert_false(b.failed);
    char *t = msk_buf_detach(&b, NULL);
    msk_buf_release(&b); /* detached: left empty, still allocated */
    return t;
}

static void same_bytes_as_json_dumps(void **state)
{
    (void)state;
    json_t *t = sample();
    jw_nums *nums = jw_nums_new();
    for (int cached = 0; cached < 2; cached++) {
        jw_nums *n = cached ? nums : NULL;
        char *want = json_dumps(t, JSON_COMPACT);
        char *got = jw_text(t, -1, 0, 0, n, 0);
        assert_string_equal(got, want);
        free(got), free(want);
        want = json_dumps(t, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
        got = jw_text(t, 1, 0, 6, n, 1);
        assert_string_equal(got, want);
        free(got), free(want);
        want = json_dumps(t, JSON_INDENT(3));
        got = jw_text(t, 3, 0, 0, NULL, 0);
        assert_string_equal(got, want);
        free(got), free(want);
    }
    /* hand-checked texts of the number paths and escapes */
    char *c = jw_text(t, -1, 0, 0, nums, 0);
    assert_non_null(strstr(c, "\"one\":1.0,"));
    assert_non_null(strstr(c, "\"huge\":1.5e20,"));
    assert_non_null(strstr(c, "\"tiny\":2.0000000000000001e-9,"));
    assert_non_null(strstr(c, "\"small\":1e-300,"));
    assert_non_null(strstr(c, "\"negzero\":-0.0,"));
    assert_non_null(strstr(c, "\"neg\":-42,"));
    assert_non_null(strstr(c, "\"big\":9223372036854775807,"));
    assert_non_null(
        strstr(c, "\"esc \\\"k\\\"\\t\":\"a\\\"b\\\\c/d\\n\\r\\b\\f\\u0001 «ШНОР» é\""));
    assert_non_null(strstr(c, "\"nul\":\"x\\u0000y\""));
    assert_non_null(strstr(c, "\"empty_a\":[],\"empty_o\":{}"));
    free(c);
    c = jw_text(t, 1, 0, 6, nums, 1);
    assert_non_null(strstr(c, "\n \"third\": 0.333333,\n"));
    assert_non_null(strstr(c, "\n \"huge\": 1.5e20,\n"));
    free(c);
    jw_nums_free(nums);
    json_decref(t);
}

/* As a member of a document: the text json_dumps writes after "key": at depth 1. */
static void as_a_member(void **state)
{
    (void)state;
    json_t *t = sample();
    json_t *doc = json_pack("{s:i, s:O, s:i}", "year", 2024, "v", t, "z", 1);
    char *full = json_dumps(doc, JSON_INDENT(1) | JSON_REAL_PRECISION(6));
    const char *a = strstr(full, "\"v\": ") + strlen("\"v\": ");
    const char *b = strstr(full, ",\n \"z\"");
    assert_true(a && b && b > a);
    char *got = jw_text(t, 1, 1, 6, NULL, 0);
    assert_int_equal(strlen(got), (size_t)(b - a));
    assert_memory_equal(got, a, strlen(got));
    free(got);
    free(full);
    json_decref(doc);
    json_decref(t);
}

/* Streaming on to a file a megabyte at a time: the file holds the same text as json_dumps. */
static void streamed_to_a_file(void **state)
{
    (void)state;
    json_t *a = json_array();
    for (int i = 0; i < 60000; i++)
        json_array_append_new(a, json_pack("{s:i, s:f, s:s}", "i", i, "v", i / 7.0, "s", "ШНОР"));
    char *want = json_dumps(a, JSON_INDENT(1) | JSON_REAL_PRECISION(6));
    assert_true(strlen(want) > 3 * (1 << 20));
    FILE *f = tmpfile();
    assert_non_null(f);
    msk_buf b;
    msk_buf_init(&b, 0);
    jw_nums *nums = jw_nums_new();
    jw w;
    jw_init(&w, &b, 1, 0, 6, nums, 0);
    jw_stream(&w, f);
    jw_json(&w, a);
    assert_int_equal(jw_flush(&w), 0);
    assert_true(b.cap < 4 * (1 << 20)); /* the buffer stayed small */
    long len = ftell(f);
    assert_int_equal((size_t)len, strlen(want));
    char *got = malloc((size_t)len + 1);
    rewind(f);
    assert_int_equal(fread(got, 1, (size_t)len, f), (size_t)len);
    assert_memory_equal(got, want, (size_t)len);
    free(got);
    fclose(f);
    free(want);
    jw_nums_free(nums);
    msk_buf_release(&b);
    json_decref(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_bytes_as_json_dumps),
        cmocka_unit_test(as_a_member),
        cmocka_unit_test(streamed_to_a_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
