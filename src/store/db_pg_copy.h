/*
 * PostgreSQL's bulk load behind db.h's db_copy_* (db_pg_copy.c): COPY … FROM STDIN in the
 * binary format, on the libpq connection of a pg_conn. Called only by db.c. A failure's message
 * and class go to the pg_copy_err the caller keeps (db.c's, which db_errmsg reads): the
 * driver's own error state (db_pg.c) is not touched.
 */
#ifndef MSK_STORE_DB_PG_COPY_H
#define MSK_STORE_DB_PG_COPY_H

#include "store/db.h"
#include "store/db_pg.h"

typedef struct pg_copy pg_copy;
typedef struct {
    char *msg; /* owned; NULL = no failure */
    enum db_errclass cls;
} pg_copy_err;

void pg_copy_err_clear(pg_copy_err *e);
/* *out NULL on DB_ERROR; e must outlive the copy */
int pg_copy_begin(pg_conn *c, pg_copy_err *e, const char *table, const char *const *cols, int ncols,
                  pg_copy **out);
int pg_copy_row(pg_copy *p, const db_value *vals);
int pg_copy_end(pg_copy *p); /* frees p */

#endif
