/*
 * Unit tests of src/web/tmpl.c: escaping (quotes, <, &, a NUL byte), sections, inverted
 * sections, partials, filters through src/base/fmt.h, and errors for malformed templates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/fmt.h"
#include "web/tmpl.h"

#include <stdlib.h>
#include <string.h>

static const char *parts(void *ctx, const char *name, size_t *len)
{
    (void)ctx;
    const char *s = !strcmp(name, "row")    ? "<li>{{name}}</li>"
                    : !strcmp(name, "self") ? "{{>self}}"
                                            : NULL;
    if (s)
        *len = strlen(s);
    return s;
}

/* Render t with the model given as JSON text; returns the output (static) or "ERR: msg". */
static const char *run(const char *t, const char *model)
{
    static char res[4096];
    json_error_t je;
    json_t *m = json_loads(model, JSON_DECODE_ANY, &je);
    assert_non_null(m);
    msk_buf b;
    msk_err err;
    msk_err_clear(&err);
    msk_buf_init(&b, 0);
    if (tmpl_render(t, strlen(t), m, parts, NULL, &b, &err))
        snprintf(res, sizeof res, "ERR: %s", err.msg);
    else
        snprintf(res, sizeof res, "%s", b.data);
    msk_buf_release(&b);
    json_decref(m);
    return res;
}

static void escapes_by_default(void **state)
{
    assert_string_equal(run("<p>{{x}}</p>", "{\"x\": \"<a href='y'>&\\\"</a>\"}"),
                        "<p>&lt;a href=&#39;y&#39;&gt;&amp;&quot;&lt;/a&gt;</p>");
    assert_string_equal(run("{{{x}}}|{{& x}}", "{\"x\": \"<b>\"}"), "<b>|<b>");
    msk_buf b;
    msk_buf_init(&b, 0);
    assert_int_equal(tmpl_escape_html(&b, "a\0b", 3), 0);
    assert_string_equal(b.data, "a\xEF\xBF\xBD"
                                "b");
    msk_buf_reset(&b);
    tmpl_escape_url(&b, "sch 1/а&b", strlen("sch 1/а&b"));
    assert_string_equal(b.data, "sch%201%2F%D0%B0%26b");
    msk_buf_release(&b);
}

static void values_and_paths(void **state)
{
    assert_string_equal(run("{{a.b.c}} {{n}} {{t}} {{z}} [{{missing}}]",
                            "{\"a\": {\"b\": {\"c\": 7}}, \"n\": null, \"t\": true, \"z\": 2024}"),
                        "7 — да 2024 []");
    assert_string_equal(run("{{xs.1}}", "{\"xs\": [\"a\", \"b\"]}"), "b");
    assert_string_equal(run("{{#xs}}{{.}},{{/xs}}", "{\"xs\": [1, 2, 3]}"), "1,2,3,");
}

static void sections(void **state)
{
    const char *m = "{\"year\": 2024, \"items\": [{\"name\": \"А\"}, {\"name\": \"Б<\"}],"
                    " \"none\": [], \"obj\": {\"k\": \"v\"}, \"f\": false, \"zero\": 0}";
    assert_string_equal(run("{{#items}}{{name}}/{{year}};{{/items}}", m), "А/2024;Б&lt;/2024;");
    assert_string_equal(run("{{^none}}пусто{{/none}}{{#none}}x{{/none}}", m), "пусто");
    assert_string_equal(run("{{#obj}}{{k}}{{/obj}}{{#f}}no{{/f}}{{^zero}}z{{/zero}}", m), "vz");
    assert_string_equal(run("{{#items}}{{#items}}.{{/items}}{{/items}}", m), "....");
    assert_string_equal(run("<ul>{{#items}}{{>row}}{{/items}}</ul>{{! note }}", m),
                        "<ul><li>А</li><li>Б&lt;</li></ul>");
}

static void filters(void **state)
{
    char pp[64];
    const char *m = "{\"s\": 0.3412, \"n\": 1234567, \"d\": \"2024-09-30\", \"y\": 2024,"
                    " \"x\": 3.14159, \"p\": -0.01, \"u\": \"a b\", \"nul\": null}";
    assert_string_equal(run("{{s|pct}}", m), "34,1\xC2\xA0%");
    assert_string_equal(run("{{n|int}}", m), "1\xE2\x80\xAF"
                                             "234\xE2\x80\xAF"
                                             "567");
    assert_string_equal(run("{{d|date}} {{y|schoolyear}} {{x|num}} {{x|num2}}", m),
                        "30.09.2024 2023/2024 3,1 3,14");
    assert_string_equal(run("{{p|pp}}", m), fmt_pp(-0.01, 1, pp, sizeof pp));
    assert_string_equal(run("{{u|url}} {{nul|pct}}", m), "a%20b —");
    assert_string_equal(run("{{u|json}}", m), "&quot;a b&quot;");
    /* a negative number has the minus sign U+2212, never a hyphen, whatever the filter */
    assert_string_equal(
        run("{{a}} {{b|num}} {{c|int}} {{b|num0}}", "{\"a\": -16, \"b\": -0.24, \"c\": -1234}"),
        "\u221216 \u22120,2 \u22121\u202F234 0"); /* −0 is 0 */
    assert_string_equal(run("{{p|period}} | {{q|period}} | {{r|period}}",
                            "{\"p\": \"2027-H1\", \"q\": \"2024-09\", \"r\": \"2024\"}"),
                        "1-е полугодие 2026/2027 учебного года | сентябрь 2024 | 2023/2024 "
                        "учебный год");
}

static void malformed_templates_are_errors(void **state)
{
    assert_string_equal(run("{{#a}}x", "{}"), "ERR: шаблон: секция «a» не закрыта");
    assert_string_equal(run("{{#a}}x{{/b}}", "{}"), "ERR: шаблон: «{{/b}}» закрывает секцию «a»");
    assert_string_equal(run("{{/a}}", "{}"), "ERR: шаблон: лишний «{{/a}}»");
    assert_string_equal(run("{{a", "{}"), "ERR: шаблон: незакрытый тег «{{»");
    assert_string_equal(run("{{a|bogus}}", "{\"a\": 1}"),
                        "ERR: шаблон: неизвестный фильтр «bogus»");
    assert_string_equal(run("{{>nope}}", "{}"), "ERR: шаблон: нет части «nope»");
    assert_string_equal(run("{{>self}}", "{}"), "ERR: шаблон: слишком глубокая вложенность");
    assert_string_equal(run("{{}}", "{}"), "ERR: шаблон: пустой тег");
}

static void output_cap_is_an_error(void **state)
{
    json_t *m = json_pack("{s:s}", "x", "0123456789");
    msk_buf b;
    msk_err err;
    msk_buf_init(&b, 16);
    const char *t = "{{x}}{{x}}{{x}}";
    assert_int_equal(tmpl_render(t, strlen(t), m, NULL, NULL, &b, &err), -1);
    assert_string_equal(err.msg, "шаблон: страница слишком велика");
    msk_buf_release(&b);
    json_decref(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escapes_by_default),
        cmocka_unit_test(values_and_paths),
        cmocka_unit_test(sections),
        cmocka_unit_test(filters),
        cmocka_unit_test(malformed_templates_are_errors),
        cmocka_unit_test(output_cap_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
