/*
 * libFuzzer target for the SQL rewriter of the PostgreSQL driver (pg_rewrite,
 * src/store/db_pg_sql.c), both as db_exec uses it (a script) and as db_prepare does (one
 * statement), with a key lookup that knows one table. Besides the sanitizers: the answer is
 * either text (NUL-terminated, its length as the buffer says, the parameter count within
 * PostgreSQL's limit) or a message, never both empty-handed.
 */
#include "store/db_pg.h"

#include "base/err.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int keys(void *ctx, const char *table, msk_buf *out)
{
    (void)ctx;
    if (!strcmp(table, "t"))
        return msk_buf_puts(out, "a\nb,c\n");
    return -1;
}

static void one(const char *sql, int script)
{
    msk_buf out, err;
    int n = -1;
    msk_buf_init(&out, 0);
    msk_buf_init(&err, 0);
    if (pg_rewrite(sql, script, keys, NULL, &out, &n, &err) == 0) {
        MSK_ASSERT(strlen(out.data) == out.len);
        MSK_ASSERT(n >= 0 && n <= 32766);
    } else {
        MSK_ASSERT(err.len > 0);
    }
    (void)pg_controls_transaction(sql);
    msk_buf_release(&out);
    msk_buf_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *sql = malloc(size + 1);
    memcpy(sql, data, size);
    sql[size] = '\0';
    one(sql, 1);
    one(sql, 0);
    free(sql);
    return 0;
}
