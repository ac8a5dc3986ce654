/*
 * Unit tests of src/demo/gen_forms.c: for every shipped form (methods/forms/), schools of
 * every shape — large and tiny, with and without graduates, weak on purpose — get a value for
 * every non-text element, every rule holds and the submission's own check passes; known
 * values (the context) are kept; weak schools come out below ordinary ones; the same
 * arguments give the same values; a rule the generator cannot satisfy is an error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "demo/demo.h"
#include "form/form.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const FORMS[] = {"attendance-monthly", "dir-career",      "dir-heads",
                                    "dir-methodical",     "dir-objectivity", "dir-shnor",
                                    "dir-talents",        "dir-training",    "dir-upbringing",
                                    "failure-prevention", "risk-context",    "seed001-monitoring",
                                    "shnor-support"};

static void load(const char *name, store_form *f)
{
    const char *root = getenv("MSOKO_ROOT");
    char path[1024];
    msk_err err;
    snprintf(path, sizeof path, "%s/methods/forms/%s.ini", root ? root : ".", name);
    if (form_load_ini(path, f, &err))
        fail_msg("%s: %s", path, err.msg);
}

static demo_form_school school(int index, int weak, double pupils, double teachers, double g9,
                               double g11, demo_known *known, size_t nknown)
{
    demo_form_school sc = {index,    weak,      pupils,    teachers,  g9,    g11,
                           g9 * 0.4, g11 * 0.2, g11 * 0.6, g11 * 0.1, known, nknown};
    return sc;
}

static int check(const store_form *f, const double *v)
{
    store_fvalue *fv = calloc(f->nel, sizeof *fv);
    form_msgs m = {0};
    for (size_t i = 0; i < f->nel; i++) {
        snprintf(fv[i].element, sizeof fv[i].element, "%s", f->el[i].code);
        if (!strcmp(f->el[i].type, "text")) {
            fv[i].has_value = 1;
            snprintf(fv[i].text, sizeof fv[i].text, "демо");
        } else {
            assert_true(!isnan(v[i]) ? 1 : 0);
            fv[i].has_value = 1;
            fv[i].value = v[i];
        }
    }
    int n = form_check(f, fv, f->nel, 1, &m);
    for (size_t i = 0; i < m.n; i++)
        print_message("%s: %s: %s\n", f->code, m.m[i].element, m.m[i].text);
    form_msgs_release(&m);
    free(fv);
    return n;
}

/* Every form, every kind of school, three years: all rules hold. */
static void test_rules_hold(void **state)
{
    (void)state;
    demo_known ctx[] = {{"pupils_total", 812}, {"teachers_total", 61},   {"teachers_36h", 5},
                        {"pupils_ovz", 20},    {"pupils_registered", 7}, {"internet", 1}};
    demo_form_school shapes[] = {
        school(0, 0, 812, 61, 70, 40, ctx, sizeof ctx / sizeof ctx[0]),
        school(3, 1, 812, 61, 70, 40, ctx, sizeof ctx / sizeof ctx[0]),
        school(5, 0, 35, 6, 0, 0, NULL, 0), /* a small primary school */
        school(10, 1, 3, 1, 1, 0, NULL, 0), /* tiny: every share rounds to 0 or 1 */
        school(11, 0, 2400, 150, 260, 190, NULL, 0)};
    for (size_t i = 0; i < sizeof FORMS / sizeof FORMS[0]; i++) {
        store_form f;
        load(FORMS[i], &f);
        double *v = calloc(f.nel, sizeof *v);
        for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
            for (int k = 0; k < 3; k++) {
                assert_int_equal(demo_form_values(&f, &shapes[s], k, 1, v), 0);
                assert_int_equal(check(&f, v), 0);
                for (size_t j = 0; j < f.nel; j++)
                    for (size_t c = 0; c < shapes[s].nknown; c++)
                        if (!strcmp(f.el[j].code, shapes[s].known[c].element))
                            assert_true(v[j] == shapes[s].known[c].value);
            }
        free(v);
        store_form_release(&f);
    }
}

static double value_of(const store_form *f, const double *v, const char *code)
{
    for (size_t j = 0; j < f->nel; j++)
        if (!strcmp(f->el[j].code, code))
            return v[j];
    fail_msg("no element %s", code);
    return NAN;
}

/* Weak schools are below ordinary ones in the direction of good; values are repeatable and
 * scale with the school. */
static void test_weak_and_scale(void **state)
{
    (void)state;
    store_form f;
    load("seed001-monitoring", &f);
    double *a = calloc(f.nel, sizeof *a), *b = calloc(f.nel, sizeof *b);
    double ext_ok = 0, ext_weak = 0;
    for (int i = 0; i < 20; i++) {
        demo_form_school ok = school(i, 0, 1000, 80, 90, 50, NULL, 0);
        demo_form_school weak = school(i, 1, 1000, 80, 90, 50, NULL, 0);
        assert_int_equal(demo_form_values(&f, &ok, 2, 7, a), 0);
        assert_int_equal(demo_form_values(&f, &weak, 2, 7, b), 0);
        ext_ok += value_of(&f, a, "pupils_extra_education");
        ext_weak += value_of(&f, b, "pupils_extra_education");
        double e = value_of(&f, a, "pupils_extra_education");
        assert_true(e >= 700 && e <= 1000); /* 78–95 % of 1000, a little more by year 3 */
    }
    assert_true(ext_weak < ext_ok * 0.7);
    demo_form_school one = school(4, 0, 500, 40, 45, 20, NULL, 0);
    assert_int_equal(demo_form_values(&f, &one, 1, 9, a), 0);
    assert_int_equal(demo_form_values(&f, &one, 1, 9, b), 0);
    assert_memory_equal(a, b, f.nel * sizeof *a);
    free(a);
    free(b);
    store_form_release(&f);
}

/* A rule the generator cannot make hold («a = b * b») is an error, not a wrong value. */
static void test_unsatisfiable(void **state)
{
    (void)state;
    store_form f;
    msk_err err;
    const char *ini = "[form]\ncode = t\nname = T\nperiod = year\n"
                      "[element a]\nname = A\ntype = count\n"
                      "[element b]\nname = B\ntype = count\n"
                      "[rules]\nrule = a * a = b + 1 | never\n";
    assert_int_equal(form_load_ini_str("t.ini", ini, &f, &err), 0);
    double v[2];
    demo_form_school sc = school(0, 0, 100, 10, 0, 0, NULL, 0);
    assert_int_equal(demo_form_values(&f, &sc, 0, 1, v), -1);
    store_form_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_hold),
        cmocka_unit_test(test_weak_and_scale),
        cmocka_unit_test(test_unsatisfiable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
