/*
 * Unit tests of the web's pure checks: the path check and the route lookup (src/web/router.c),
 * the local-path rule for the address after login (web_safe_next, src/web/auth.c), and the
 * login and password rules (src/store/user.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/user.h"
#include "store/view.h"
#include "web/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int ok(const char *p)
{
    return web_path_ok(p, strlen(p));
}

static void paths(void **state)
{
    assert_true(ok("/"));
    assert_true(ok("/schools/sch000001"));
    assert_true(ok("/forms/risk_context/sch000001/approve"));
    assert_true(ok("/schools/школа-1")); /* UTF-8 is fine */
    assert_true(ok("/static/%2e%2e"));   /* a double-encoded dot stays three characters */
    assert_true(ok("/a.b/..c/c.."));
    assert_false(ok(""));
    assert_false(ok("schools"));
    assert_false(ok("/static/../etc/passwd"));
    assert_false(ok("/static/.."));
    assert_false(ok("/./static"));
    assert_false(ok("/static/."));
    assert_false(ok("/static//style.css"));
    assert_false(ok("/schools/"));
    assert_false(ok("/a\\b"));
    assert_false(ok("/a\tb"));
    assert_false(ok("/a\x7f"));
    assert_false(ok("/\xc0\xae\xc0\xae/x")); /* overlong "." */
    assert_false(ok("/\xe0\x80\xae"));       /* overlong 3-byte "." */
    assert_false(ok("/\xed\xa0\x80"));       /* a surrogate */
    assert_false(ok("/\xff"));
    assert_false(ok("/\xd1"));             /* cut in the middle */
    assert_false(web_path_ok("/a\0b", 4)); /* a NUL inside */
    char longp[WEB_PATH_MAX + 2];
    memset(longp, 'a', sizeof longp);
    longp[0] = '/';
    longp[sizeof longp - 1] = '\0';
    assert_false(ok(longp));
}

static int h(web_req *r)
{
    (void)r;
    return 0;
}

static const web_route ROUTES[] = {
    {"GET", "/", h, 0, "", 0},
    {"GET", "/schools/:", h, 0, "", 0},
    {"GET", "/forms/:/table", h, 0, "", 0},
    {"GET", "/forms/:/:", h, 0, "", 0},
    {"POST", "/forms/:/:", h, 0, "", 0},
};

static void routes(void **state)
{
    web_arena a = {0};
    const char *p1, *p2;
    int known;
    size_t n = sizeof ROUTES / sizeof ROUTES[0];
    assert_ptr_equal(web_route_find(ROUTES, n, "GET", "/", &a, &p1, &p2, &known), &ROUTES[0]);
    assert_ptr_equal(web_route_find(ROUTES, n, "HEAD", "/schools/s1", &a, &p1, &p2, &known),
                     &ROUTES[1]);
    assert_string_equal(p1, "s1");
    assert_null(p2);
    assert_ptr_equal(web_route_find(ROUTES, n, "GET", "/forms/f/table", &a, &p1, &p2, &known),
                     &ROUTES[2]);
    assert_ptr_equal(web_route_find(ROUTES, n, "POST", "/forms/f/s2", &a, &p1, &p2, &known),
                     &ROUTES[4]);
    assert_string_equal(p1, "f");
    assert_string_equal(p2, "s2");
    assert_null(web_route_find(ROUTES, n, "DELETE", "/forms/f/s2", &a, &p1, &p2, &known));
    assert_int_equal(known, 1); /* 405, not 404 */
    assert_null(web_route_find(ROUTES, n, "GET", "/schools/a/b", &a, &p1, &p2, &known));
    assert_int_equal(known, 0);
    web_arena_release(&a);
}

static void next_after_login(void **state)
{
    assert_string_equal(web_safe_next("/schools?year=2024"), "/schools?year=2024");
    assert_string_equal(web_safe_next("/"), "/");
    assert_string_equal(web_safe_next(NULL), "/");
    assert_string_equal(web_safe_next("/\t/evil.example/"), "/"); /* browsers drop the tab */
    assert_string_equal(web_safe_next("//evil.example"), "/");
    assert_string_equal(web_safe_next("/\\evil.example"), "/");
    assert_string_equal(web_safe_next("https://evil.example"), "/");
    assert_string_equal(web_safe_next("/%09/evil.example"), "/"); /* decoded once more */
    assert_string_equal(web_safe_next("/%2F/evil.example"), "/");
    assert_string_equal(web_safe_next("/%5Cevil.example"), "/");
    assert_string_equal(web_safe_next("/%252F%252Fevil"), "/");
    assert_string_equal(web_safe_next("/schools\r\nSet-Cookie: x"), "/");
    assert_string_equal(web_safe_next("/ /evil"), "/");
}

static void logins_and_passwords(void **state)
{
    msk_err err;
    assert_int_equal(store_user_check_login("", &err), -1);
    assert_non_null(strstr(err.msg, "пустым"));
    assert_int_equal(store_user_check_login("a b", &err), -1);
    assert_int_equal(store_user_check_login("a/b", &err), -1);
    assert_int_equal(store_user_check_login("ivanova.n", &err), 0);
    assert_int_equal(store_password_check("ann", "ann-pass-12", &err), 0);
    assert_int_equal(store_password_check("ann", "123456789", &err), -1);
    assert_non_null(strstr(err.msg, "10 символов"));
    assert_int_equal(store_password_check("ann", "короткий", &err), -1); /* 8 letters, 16 bytes */
    assert_int_equal(store_password_check("ann", "длинныйпароль", &err), 0);
    assert_int_equal(store_password_check("ivanova2024", "IVANOVA2024", &err), -1);
    assert_int_equal(store_password_check("ivanova2024", "ivanova2024!", &err), -1);
    assert_int_equal(store_password_check("x", "Qwertyuiop", &err), -1);
    assert_non_null(strstr(err.msg, "частых"));
}

/* A lockout's audit row does not move the data stamp (no year reload for every server); a
 * change's row does. */
static void lockouts_do_not_move_the_stamp(void **state)
{
    char dir[] = "/tmp/msoko-test-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/s.db", dir);
    store *s = NULL;
    msk_err err;
    msk_err_clear(&err);
    assert_int_equal(store_open(path, STORE_CREATE, &s, &err), 0);
    int64_t before = store_data_stamp(s);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_audit(s, "адрес 10.0.0.1", "login.lockout", "boss", NULL, "x", &err), 0);
    assert_int_equal(store_audit(s, "ann", "session.end_all", "ann", NULL, "x", &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    assert_true(store_data_stamp(s) == before);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_audit(s, "ann", "user.passwd", "ann", NULL, NULL, &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    assert_true(store_data_stamp(s) != before);
    store_close(s);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(paths),
        cmocka_unit_test(routes),
        cmocka_unit_test(next_after_login),
        cmocka_unit_test(logins_and_passwords),
        cmocka_unit_test(lockouts_do_not_move_the_stamp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
