/*
 * The bulk load of db.h on PostgreSQL: COPY t(cols) FROM STDIN (FORMAT binary), the rows
 * encoded here in the binary tuple format (the manual's «COPY», «Binary Format»: a header
 * "PGCOPY\n\377\r\n\0" + int32 flags + int32 extension length; per tuple an int16 field count
 * and per field an int32 length (-1 for NULL) and the value in the type's send format, network
 * byte order; the trailer an int16 -1) and sent ~256 KB at a time. The binary format needs
 * each column's exact type, so the begin asks the catalogue once.
 */
#include "store/db_pg_copy.h"

#include "base/buf.h"
#include "base/mem.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the type oids of pg_type.dat the encoder knows */
enum {
    OID_BOOL = 16,
    OID_BYTEA = 17,
    OID_INT8 = 20,
    OID_INT2 = 21,
    OID_INT4 = 23,
    OID_TEXT = 25,
    OID_FLOAT4 = 700,
    OID_FLOAT8 = 701,
    OID_BPCHAR = 1042,
    OID_VARCHAR = 1043
};

enum { FLUSH_AT = 256 * 1024 };

struct pg_copy {
    PGconn *conn;
    pg_copy_err *e;
    int ncols;
    unsigned *oid; /* per column */
    char **name;   /* per column, for messages */
    msk_buf out;   /* bytes not yet sent */
    int failed;    /* a row or a send failed: the end cancels */
};

void pg_copy_err_clear(pg_copy_err *e)
{
    free(e->msg);
    e->msg = NULL;
    e->cls = DB_E_NONE;
}

static int fail(pg_copy_err *e, enum db_errclass cls, const char *msg)
{
    free(e->msg);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        n--;
    e->msg = msk_strndup(msg, n);
    e->cls = cls;
    return DB_ERROR;
}

/* the SQLSTATE classes db_pg.c tells apart, the ones a bulk load meets */
static enum db_errclass class_of(const char *state)
{
    if (!state)
        return DB_E_OTHER;
    if (!strncmp(state, "08", 2) || !strncmp(state, "57P0", 4))
        return DB_E_CONNECTION;
    static const struct {
        const char *state;
        enum db_errclass cls;
    } MAP[] = {{"23505", DB_E_UNIQUE},  {"23514", DB_E_CHECK}, {"23503", DB_E_FOREIGN},
               {"23502", DB_E_NOTNULL}, {"53100", DB_E_FULL},  {"25006", DB_E_READONLY},
               {"40001", DB_E_BUSY},    {"55P03", DB_E_BUSY},  {"40P01", DB_E_BUSY}};
    for (size_t i = 0; i < sizeof MAP / sizeof MAP[0]; i++)
        if (!strcmp(state, MAP[i].state))
            return MAP[i].cls;
    return DB_E_OTHER;
}

static int fail_res(pg_copy_err *e, PGconn *conn, const PGresult *res)
{
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    enum db_errclass cls = class_of(res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL);
    if (PQstatus(conn) == CONNECTION_BAD)
        cls = DB_E_CONNECTION;
    if (!primary || !*primary)
        primary = PQerrorMessage(conn);
    if (!*primary)
        primary = "соединение с сервером PostgreSQL потеряно";
    return fail(e, cls, primary);
}

static void put16(msk_buf *b, int v)
{
    unsigned char x[2] = {(unsigned char)((unsigned)v >> 8), (unsigned char)v};
    msk_buf_add(b, x, 2);
}

static void put32(msk_buf *b, uint32_t v)
{
    unsigned char x[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    msk_buf_add(b, x, 4);
}

static void put64(msk_buf *b, uint64_t v)
{
    put32(b, (uint32_t)(v >> 32));
    put32(b, (uint32_t)v);
}

/* the type oid of each column of cols in table, asked of the catalogue (the table as the
 * search path finds it: a TEMP table first) */
static int column_types(pg_copy *p, const char *table, const char *const *cols)
{
    const char *params[1] = {table};
    PGresult *res = PQexecParams(p->conn,
                                 "SELECT attname, atttypid FROM pg_attribute WHERE attrelid ="
                                 " to_regclass($1) AND attnum > 0 AND NOT attisdropped",
                                 1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        fail_res(p->e, p->conn, res);
        PQclear(res);
        return -1;
    }
    int rows = PQntuples(res);
    for (int k = 0; k < p->ncols; k++) {
        int found = 0;
        for (int r = 0; r < rows && !found; r++)
            if (!strcmp(PQgetvalue(res, r, 0), cols[k])) {
                p->oid[k] = (unsigned)strtoul(PQgetvalue(res, r, 1), NULL, 10);
                found = 1;
            }
        if (!found) {
            char msg[256];
            snprintf(msg, sizeof msg, rows ? "нет столбца %s в таблице %s" : "нет таблицы %s%.0s",
                     rows ? cols[k] : table, table);
            PQclear(res);
            return fail(p->e, DB_E_OTHER, msg), -1;
        }
    }
    PQclear(res);
    return 0;
}

static void copy_free(pg_copy *p)
{
    if (!p)
        return;
    for (int k = 0; k < p->ncols; k++)
        free(p->name[k]);
    free(p->name);
    free(p->oid);
    msk_buf_release(&p->out);
    free(p);
}

int pg_copy_begin(pg_conn *c, pg_copy_err *e, const char *table, const char *const *cols, int ncols,
                  pg_copy **out)
{
    *out = NULL;
    pg_copy_err_clear(e);
    PGconn *conn = pg_libpq(c);
    if (!conn)
        return fail(e, DB_E_CONNECTION, "нет соединения с сервером PostgreSQL");
    if (ncols <= 0 || ncols > 1600) /* MaxHeapAttributeNumber */
        return fail(e, DB_E_OTHER, "COPY: неверное число столбцов");
    pg_copy *p = msk_calloc(1, sizeof *p);
    p->conn = conn;
    p->e = e;
    p->ncols = ncols;
    p->oid = msk_calloc((size_t)ncols, sizeof *p->oid);
    p->name = msk_calloc((size_t)ncols, sizeof *p->name);
    msk_buf_init(&p->out, 0);
    msk_buf sql;
    msk_buf_init(&sql, 0);
    int rc = DB_ERROR;
    for (int k = 0; k < ncols; k++)
        p->name[k] = msk_strdup(cols[k]);
    if (column_types(p, table, cols))
        goto out;
    char *q = PQescapeIdentifier(conn, table, strlen(table));
    if (!q) {
        fail_res(e, conn, NULL);
        goto out;
    }
    msk_buf_printf(&sql, "COPY %s(", q);
    PQfreemem(q);
    for (int k = 0; k < ncols; k++) {
        q = PQescapeIdentifier(conn, cols[k], strlen(cols[k]));
        if (!q) {
            fail_res(e, conn, NULL);
            goto out;
        }
        msk_buf_printf(&sql, "%s%s", k ? "," : "", q);
        PQfreemem(q);
    }
    msk_buf_puts(&sql, ") FROM STDIN (FORMAT binary)");
    PGresult *res = PQexec(conn, sql.data);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        fail_res(e, conn, res);
        PQclear(res);
        goto out;
    }
    PQclear(res);
    static const char SIG[11] = "PGCOPY\n\377\r\n"; /* + its terminating zero: 11 bytes */
    msk_buf_add(&p->out, SIG, 11);
    put32(&p->out, 0); /* flags: no OIDs */
    put32(&p->out, 0); /* header extension length */
    *out = p;
    p = NULL;
    rc = DB_OK;
out:
    msk_buf_release(&sql);
    copy_free(p);
    return rc;
}

static int flush(pg_copy *p)
{
    if (p->out.len && PQputCopyData(p->conn, p->out.data, (int)p->out.len) != 1) {
        p->failed = 1;
        return fail_res(p->e, p->conn, NULL);
    }
    msk_buf_reset(&p->out);
    return DB_OK;
}

static int bad_value(pg_copy *p, int k, const char *what)
{
    char msg[256];
    snprintf(msg, sizeof msg, "COPY: столбец %s не принимает %s", p->name[k], what);
    p->failed = 1;
    return fail(p->e, DB_E_OTHER, msg);
}

int pg_copy_row(pg_copy *p, const db_value *vals)
{
    if (p->failed)
        return DB_ERROR;
    size_t start = p->out.len;
    put16(&p->out, p->ncols);
    for (int k = 0; k < p->ncols; k++) {
        const db_value *v = &vals[k];
        unsigned oid = p->oid[k];
        if (v->type == DB_NULL) {
            put32(&p->out, UINT32_MAX); /* -1 */
            continue;
        }
        if (v->type == DB_INTEGER) {
            int64_t x = v->i;
            switch (oid) {
            case OID_INT8:
                put32(&p->out, 8), put64(&p->out, (uint64_t)x);
                continue;
            case OID_INT4:
                if (x < INT32_MIN || x > INT32_MAX)
                    goto range;
                put32(&p->out, 4), put32(&p->out, (uint32_t)(int32_t)x);
                continue;
            case OID_INT2:
                if (x < INT16_MIN || x > INT16_MAX)
                    goto range;
                put32(&p->out, 2), put16(&p->out, (int)x);
                continue;
            case OID_BOOL:
                put32(&p->out, 1), msk_buf_putc(&p->out, x != 0);
                continue;
            case OID_FLOAT8:
            case OID_FLOAT4:
                break; /* as a float, below */
            default:
                p->out.len = start;
                return bad_value(p, k, "целое число");
            }
        } else if (v->type == DB_TEXT || v->type == DB_BLOB) {
            int text = oid == OID_TEXT || oid == OID_VARCHAR || oid == OID_BPCHAR;
            if (!text && oid != OID_BYTEA) {
                p->out.len = start;
                return bad_value(p, k, v->type == DB_TEXT ? "текст" : "двоичные данные");
            }
            if (v->n > 0x3fffffff) { /* a field is under 1 GB */
                p->out.len = start;
                return bad_value(p, k, "значение больше 1 ГБ");
            }
            if (text && memchr(v->p, 0, v->n)) { /* the server refuses a zero byte in text */
                p->out.len = start;
                return bad_value(p, k, "текст с нулевым байтом");
            }
            put32(&p->out, (uint32_t)v->n);
            if (v->n)
                msk_buf_add(&p->out, v->p, v->n);
            continue;
        } else if (v->type != DB_FLOAT) {
            p->out.len = start;
            return bad_value(p, k, "такой тип значения");
        }
        double f = v->type == DB_FLOAT ? v->f : (double)v->i;
        if (oid == OID_FLOAT8) {
            uint64_t u;
            memcpy(&u, &f, 8);
            put32(&p->out, 8), put64(&p->out, u);
        } else if (oid == OID_FLOAT4) {
            float g = (float)f;
            uint32_t u;
            memcpy(&u, &g, 4);
            put32(&p->out, 4), put32(&p->out, u);
        } else {
            p->out.len = start;
            return bad_value(p, k, "дробное число");
        }
        continue;
    range:
        p->out.len = start;
        return bad_value(p, k, "число вне диапазона своего типа");
    }
    if (p->out.failed) {
        p->failed = 1;
        return fail(p->e, DB_E_OTHER, "COPY: нет памяти");
    }
    return p->out.len >= FLUSH_AT ? flush(p) : DB_OK;
}

int pg_copy_end(pg_copy *p)
{
    if (!p)
        return DB_ERROR;
    int rc = DB_OK;
    if (!p->failed) {
        put16(&p->out, -1); /* the trailer */
        rc = flush(p);
    }
    /* a failed row cancels the COPY: the server undoes all of it (and aborts the transaction) */
    int canceled = p->failed;
    if (PQputCopyEnd(p->conn, canceled ? "COPY отменён" : NULL) != 1 && rc == DB_OK)
        rc = fail_res(p->e, p->conn, NULL);
    PGresult *res;
    while ((res = PQgetResult(p->conn))) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == DB_OK && !canceled)
            rc = fail_res(p->e, p->conn, res);
        PQclear(res);
    }
    copy_free(p);
    return canceled ? DB_ERROR : rc;
}
