/*
 * Unit tests of src/store/backup.c: a backup restores to the same checksum; restore refuses a
 * database another process holds open (seen through the -shm lock, from a forked child), and
 * one whose backup is not ours, leaving it byte for byte; store_lost notices a database file
 * moved away under an open connection and forgets it once the file is back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/backup.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[64];

static int setup(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/msoko-test-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *path(const char *name)
{
    static char p[4][160];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

/* A small msoko database at name with one school; its checksum into sum. */
static void make_db(const char *name, char sum[65])
{
    store *s = NULL;
    msk_err err;
    store_school sc = {"sch000001", "МБОУ СОШ № 1", "lyceum", "urban", "NOO,OOO,SOO"};
    assert_int_equal(store_open(path(name), STORE_CREATE, &s, &err), 0);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_seed_reference(s, &err), 0);
    assert_int_equal(store_school_put(s, &sc, NULL, &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    assert_int_equal(store_checksum(s, sum, &err), 0);
    store_close(s);
}

static void db_sum(const char *name, char sum[65])
{
    store *s = NULL;
    msk_err err;
    assert_int_equal(store_open(path(name), STORE_READ, &s, &err), 0);
    assert_int_equal(store_checksum(s, sum, &err), 0);
    store_close(s);
}

static void round_trip(void **state)
{
    char a[65], b[65];
    store *s = NULL;
    msk_err err;
    store_backup_info info;
    make_db("a.db", a);
    assert_int_equal(store_open(path("a.db"), STORE_READ, &s, &err), 0);
    assert_int_equal(store_backup_file(s, path("a.db.gz"), &info, &err), 0);
    store_close(s);
    assert_true(info.db_bytes > 0);
    assert_true(info.out_bytes > 0 && info.out_bytes < info.db_bytes);
    assert_int_equal(store_restore(path("a.db.gz"), path("b.db"), &info, &err), 0);
    db_sum("b.db", b);
    assert_string_equal(a, b);
}

static void refuses_a_database_held_open(void **state)
{
    char a[65], c[65];
    int ready[2], go[2];
    msk_err err;
    make_db("held.db", a);
    make_db("src.db", c);
    store *s = NULL;
    assert_int_equal(store_open(path("src.db"), STORE_READ, &s, &err), 0);
    assert_int_equal(store_backup_file(s, path("src.gz"), NULL, &err), 0);
    store_close(s);
    assert_int_equal(store_open_elsewhere(path("held.db")), 0);
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(go), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) { /* the "server": holds a read connection until told to go */
        store *h = NULL;
        char x = 1;
        if (store_open(path("held.db"), STORE_READ, &h, &err) != 0 ||
            store_checksum(h, c, &err) != 0)
            _exit(1);
        if (write(ready[1], &x, 1) != 1 || read(go[0], &x, 1) != 1)
            _exit(1);
        store_close(h);
        _exit(0);
    }
    char x;
    assert_int_equal(read(ready[0], &x, 1), 1);
    assert_int_equal(store_open_elsewhere(path("held.db")), 1);
    msk_err_clear(&err);
    assert_int_equal(store_restore(path("src.gz"), path("held.db"), NULL, &err), -1);
    assert_non_null(strstr(err.msg, "открыта другой программой"));
    assert_int_equal(write(go[1], &x, 1), 1);
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    char now[65];
    db_sum("held.db", now);
    assert_string_equal(now, a); /* untouched */
    assert_int_equal(store_open_elsewhere(path("held.db")), 0);
    assert_int_equal(store_restore(path("src.gz"), path("held.db"), NULL, &err), 0);
}

static void refuses_what_is_not_a_backup(void **state)
{
    char a[65], now[65];
    msk_err err;
    make_db("t.db", a);
    FILE *f = fopen(path("x.gz"), "w");
    assert_non_null(f);
    fputs("Код ОО;Наименование\n", f);
    fclose(f);
    msk_err_clear(&err);
    assert_int_equal(store_restore(path("x.gz"), path("t.db"), NULL, &err), -1);
    assert_non_null(strstr(err.msg, "не является резервной копией msoko"));
    assert_int_equal(store_restore(path("none.gz"), path("t.db"), NULL, &err), -1);
    assert_non_null(strstr(err.msg, "не удалось открыть файл резервной копии"));
    db_sum("t.db", now);
    assert_string_equal(now, a);
}

static void lost_file_is_noticed(void **state)
{
    char a[65];
    store *s = NULL;
    msk_err err;
    make_db("l.db", a);
    assert_int_equal(store_open(path("l.db"), STORE_WRITE, &s, &err), 0);
    assert_int_equal(store_lost(s, &err), 0);
    char moved[160];
    snprintf(moved, sizeof moved, "%s", path("moved.db"));
    assert_int_equal(rename(path("l.db"), moved), 0);
    msk_err_clear(&err);
    assert_int_equal(store_lost(s, &err), 1);
    assert_non_null(strstr(err.msg, "удалён или заменён"));
    assert_int_equal(rename(moved, path("l.db")), 0);
    assert_int_equal(store_lost(s, &err), 0);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),
        cmocka_unit_test(refuses_a_database_held_open),
        cmocka_unit_test(refuses_what_is_not_a_backup),
        cmocka_unit_test(lost_file_is_noticed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
