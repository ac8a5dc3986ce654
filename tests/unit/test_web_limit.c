/*
 * Unit tests of src/web/limit.c, the login limiter, with the clock passed in: a pair closes
 * after 5 failures and opens after 15 minutes; other addresses are not locked out by it; junk
 * from thousands of other addresses never pushes a lock out; an attempt is counted before its
 * password is checked (parallel guesses cannot pass together); the per-login backoff grows to
 * a minute and a success forgives; the per-address cap; the audit's rate.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "web/internal.h"

#include <pthread.h>
#include <stdio.h>

static int fail_once(web_limiter *l, const char *login, const char *ip, int64_t now)
{
    int wait = 0;
    if (web_limit_begin(l, login, ip, now, &wait))
        return -wait;
    return web_limit_done(l, login, ip, now, 0);
}

static void pair_closes_and_opens(void **state)
{
    web_limiter *l = web_limiter_new();
    int64_t t = 1000000;
    for (int i = 0; i < 4; i++)
        assert_int_equal(fail_once(l, "boss", "10.0.0.1", t + i * 100), 0);
    /* the fifth failure closes the pair and says so (for the audit), once */
    assert_int_equal(fail_once(l, "boss", "10.0.0.1", t + 400) & WEB_LIMIT_PAIR, WEB_LIMIT_PAIR);
    int wait = 0;
    assert_int_equal(web_limit_begin(l, "boss", "10.0.0.1", t + 500, &wait), 1);
    assert_true(wait > 0 && wait <= 15 * 60);
    /* another address is not locked out (after the per-login backoff of 2 s) */
    assert_int_equal(web_limit_begin(l, "boss", "10.0.0.2", t + 400 + 3, &wait), 0);
    web_limit_done(l, "boss", "10.0.0.2", t + 403, 1);
    /* the pair opens when its 15 minutes are over */
    assert_int_equal(web_limit_begin(l, "boss", "10.0.0.1", t + 15 * 60 + 1, &wait), 0);
    web_limiter_free(l);
}

static void junk_does_not_unlock(void **state)
{
    web_limiter *l = web_limiter_new();
    int64_t t = 2000000;
    for (int i = 0; i < 5; i++)
        fail_once(l, "admin", "127.0.0.1", t);
    char ip[32], login[32];
    for (int i = 0; i < 5000; i++) { /* more than a table holds (4096) */
        snprintf(ip, sizeof ip, "127.%d.%d.%d", (i >> 16) & 255, (i >> 8) & 255, i & 255);
        snprintf(login, sizeof login, "junk%d", i);
        fail_once(l, login, ip, t + 1);
    }
    int wait = 0;
    assert_int_equal(web_limit_begin(l, "admin", "127.0.0.1", t + 2, &wait), 1);
    web_limiter_free(l);
}

static void parallel_attempts_are_counted_first(void **state)
{
    web_limiter *l = web_limiter_new();
    int64_t t = 3000000;
    int wait = 0, admitted = 0;
    /* seven requests begin before any of them is checked: five may go on */
    for (int i = 0; i < 7; i++)
        admitted += !web_limit_begin(l, "ann", "10.0.0.9", t, &wait);
    assert_int_equal(admitted, 5);
    web_limiter_free(l);
}

typedef struct race {
    web_limiter *l;
    int admitted; /* atomic */
} race;

static void *guess(void *arg)
{
    race *r = arg;
    int wait = 0;
    for (int i = 0; i < 4; i++)
        if (!web_limit_begin(r->l, "ann", "10.0.0.8", 6000000, &wait)) {
            __atomic_add_fetch(&r->admitted, 1, __ATOMIC_RELAXED);
            web_limit_done(r->l, "ann", "10.0.0.8", 6000000, 0);
        }
    return NULL;
}

static void threads_guessing_together(void **state)
{
    race r = {web_limiter_new(), 0};
    pthread_t t[16];
    for (int i = 0; i < 16; i++)
        pthread_create(&t[i], NULL, guess, &r);
    for (int i = 0; i < 16; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(r.admitted, 5); /* 64 guesses from 16 threads: 5 checked */
    web_limiter_free(r.l);
}

static void login_backoff_and_success(void **state)
{
    web_limiter *l = web_limiter_new();
    int64_t t = 4000000;
    char ip[32];
    /* a spray from many addresses: past 5 failures the login waits 2, 4, … 60 s */
    for (int i = 0; i < 5; i++) {
        snprintf(ip, sizeof ip, "10.1.0.%d", i);
        assert_int_equal(fail_once(l, "op1", ip, t), i == 4 ? WEB_LIMIT_LOGIN : 0);
    }
    int wait = 0;
    assert_int_equal(web_limit_begin(l, "op1", "10.1.1.1", t + 1, &wait), 1);
    assert_int_equal(wait, 1);
    int64_t now = t + 2;
    for (int i = 0; i < 8; i++) { /* each failure doubles the wait, up to a minute */
        snprintf(ip, sizeof ip, "10.1.1.%d", i);
        assert_int_equal(web_limit_begin(l, "op1", ip, now, &wait), 0);
        web_limit_done(l, "op1", ip, now, 0);
        assert_int_equal(web_limit_begin(l, "op1", "10.1.2.1", now, &wait), 1);
        assert_int_equal(wait, i >= 4 ? 60 : 4 << i);
        now += wait;
    }
    /* the owner from their own address, after the wait: in, and the slate is clean */
    assert_int_equal(web_limit_begin(l, "op1", "10.2.2.2", now, &wait), 0);
    web_limit_done(l, "op1", "10.2.2.2", now, 1);
    assert_int_equal(web_limit_begin(l, "op1", "10.3.3.3", now, &wait), 0);
    web_limiter_free(l);
}

static void address_cap(void **state)
{
    web_limiter *l = web_limiter_new();
    int64_t t = 5000000;
    char login[32];
    int closed = 0;
    for (int i = 0; i < 30; i++) {
        snprintf(login, sizeof login, "u%d", i);
        closed |= fail_once(l, login, "10.9.9.9", t);
    }
    assert_int_equal(closed & WEB_LIMIT_IP, WEB_LIMIT_IP);
    int wait = 0;
    assert_int_equal(web_limit_begin(l, "someone", "10.9.9.9", t + 1, &wait), 1);
    web_limiter_free(l);
}

static void audit_rate(void **state)
{
    web_limiter *l = web_limiter_new();
    int skipped = -1;
    assert_int_equal(web_limit_audit_ok(l, 100, &skipped), 1);
    assert_int_equal(skipped, 0);
    assert_int_equal(web_limit_audit_ok(l, 105, &skipped), 0);
    assert_int_equal(web_limit_audit_ok(l, 106, &skipped), 0);
    assert_int_equal(web_limit_audit_ok(l, 110, &skipped), 1);
    assert_int_equal(skipped, 2);
    web_limiter_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pair_closes_and_opens),
        cmocka_unit_test(junk_does_not_unlock),
        cmocka_unit_test(parallel_attempts_are_counted_first),
        cmocka_unit_test(threads_guessing_together),
        cmocka_unit_test(login_backoff_and_success),
        cmocka_unit_test(address_cap),
        cmocka_unit_test(audit_rate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
