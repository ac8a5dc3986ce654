/*
 * Unit tests of the store's PostgreSQL address (issue 17): the password never reaches the
 * messages that name the database (store_mask_uri), and a server that cannot be reached is
 * reported as such, with the masked address.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/db.h"
#include "store/internal.h"

#include <string.h>

static void expect_mask(const char *uri, const char *want)
{
    char out[256];
    store_mask_uri(uri, out, sizeof out);
    assert_string_equal(out, want);
}

static void uri_password_is_removed(void **state)
{
    expect_mask("postgresql://user:secret@host/db", "postgresql://user@host/db");
    expect_mask("postgres://msoko:p%40ss@db.example:5433/region?sslmode=require",
                "postgres://msoko@db.example:5433/region?sslmode=require");
    /* an '@' inside the password: the last '@' of the authority ends the user part */
    expect_mask("postgresql://u:a@b@host/db", "postgresql://u@host/db");
    /* the password given as a query parameter */
    expect_mask("postgresql://u@host/db?password=secret&sslmode=disable",
                "postgresql://u@host/db?sslmode=disable");
    expect_mask("postgresql://u@host/db?sslmode=disable&password=secret",
                "postgresql://u@host/db?sslmode=disable");
    expect_mask("postgresql://host/db?password=secret", "postgresql://host/db");
}

static void uri_without_password_is_kept(void **state)
{
    expect_mask("postgresql://user@host/db", "postgresql://user@host/db");
    expect_mask("postgresql://host", "postgresql://host");
    expect_mask("postgresql:///msoko?host=/tmp", "postgresql:///msoko?host=/tmp");
    /* a ':' in the host part is the port, not a password */
    expect_mask("postgresql://host:5432/db", "postgresql://host:5432/db");
}

static void keyword_password_is_removed(void **state)
{
    expect_mask("host=/tmp dbname=msoko password=secret port=5433",
                "host=/tmp dbname=msoko port=5433");
    expect_mask("host=db password = 'a b\\' c' dbname=x", "host=db dbname=x");
    expect_mask("dbname=x", "dbname=x");
}

static void mask_cuts_to_the_buffer(void **state)
{
    char out[12];
    store_mask_uri("postgresql://user:secret@host/db", out, sizeof out);
    assert_string_equal(out, "postgresql:");
}

static void unreachable_server_is_named_without_password(void **state)
{
    store *s = NULL;
    msk_err err = {0};
    /* port 1 on the loopback: nothing listens there */
    assert_true(db_is_postgres_uri("postgresql://u:secret@127.0.0.1:1/x"));
    assert_int_equal(store_open("postgresql://u:secret@127.0.0.1:1/x", STORE_WRITE, &s, &err), -1);
    assert_null(s);
    assert_non_null(strstr(err.msg, "не удалось подключиться к серверу PostgreSQL "
                                    "(postgresql://u@127.0.0.1:1/x): "));
    assert_null(strstr(err.msg, "secret"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(uri_password_is_removed),
        cmocka_unit_test(uri_without_password_is_kept),
        cmocka_unit_test(keyword_password_is_removed),
        cmocka_unit_test(mask_cuts_to_the_buffer),
        cmocka_unit_test(unreachable_server_is_named_without_password),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
