/*
 * Unit tests of the complementary suppression of src/view/year.c (vi_protect): in a group whose
 * total is published, the hidden parts are none, or at least two holding at least 5 pupils,
 * or all of them; a part the viewer knows is never hidden; an empty part is hidden only as the
 * last resort.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "view/internal.h"

#include <string.h>

/* The hidden parts of sizes[0..n) as a string of 0/1, e.g. "1100". */
static const char *hidden(const int *size, size_t n, const char *pre)
{
    static char out[32];
    unsigned char h[16] = {0};
    for (size_t i = 0; i < n; i++)
        h[i] = pre && pre[i] == '1';
    vi_protect(size, h, n);
    for (size_t i = 0; i < n; i++)
        out[i] = h[i] ? '1' : '0';
    out[n] = '\0';
    return out;
}

static void protect_cases(void **state)
{
    (void)state;
    static const struct {
        int size[6];
        size_t n;
        const char *pre, *want;
    } cases[] = {
        {{10, 20, 30}, 3, NULL, "000"},          /* nothing small: nothing hidden */
        {{3, 20, 10}, 3, NULL, "101"},           /* one small: the smallest other goes with it */
        {{2, 3, 50}, 3, NULL, "110"},            /* two small of 5 together: enough */
        {{1, 2, 50, 60}, 4, NULL, "1110"},       /* two small of 3: one more */
        {{3, -1, 10, 40}, 4, NULL, "1010"},      /* the viewer's own part is never hidden */
        {{1, 0, 0}, 3, NULL, "110"},             /* a shown zero would pin the 1 down */
        {{4}, 1, NULL, "1"},                     /* the group itself is small: all hidden */
        {{20, 30, 0}, 3, "100", "110"},          /* hidden by another rule: protected as well */
        {{20, 0, 30}, 3, "010", "010"},          /* only an empty part hidden: nothing to protect */
        {{4, 4, 5, 6, 7, 8}, 6, NULL, "110000"}, /* 4 + 4 = 8 pupils in two parts */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_string_equal(hidden(cases[i].size, cases[i].n, cases[i].pre), cases[i].want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(protect_cases)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
