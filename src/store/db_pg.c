/*
 * The PostgreSQL driver of the store's engine seam (db_pg.h), on libpq (issue 17 item 1;
 * docs/postgresql.md). The SQL is rewritten from SQLite's spellings first (db_pg_sql.c). A
 * statement kept for the connection's life is prepared on the server under a name; any other
 * goes with its parameters in one PQexecParams per execution. Parameters travel as text, blobs
 * as binary bytea; results come back as text, whole (the store nests statements inside a
 * SELECT's loop, and libpq runs one command at a time), and are walked row by row.
 *
 * Inside a transaction a failed statement aborts the whole transaction, as PostgreSQL does:
 * every later statement fails and the use case rolls back, so nothing half-done is kept. A
 * statement the store means to survive the failure of (the result import, which redoes a
 * failed chunk row by row and skips the bad rows: result.c) is stepped with
 * db_step_guarded: it goes between SAVEPOINT and RELEASE in one pipeline (one round trip), and
 * a failure rolls back to the savepoint (psqlODBC's and pgJDBC's statement-level rollback).
 * Not every statement: a savepoint per statement made a 10-school demo 4.8 times slower
 * (13.98 s against 2.92 s, the subtransactions of one long transaction).
 */
#include "store/db_pg.h"

#include "base/mem.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* type OIDs of pg_type.h (server headers are not installed by libpq-dev) */
enum {
    OID_BOOL = 16,
    OID_BYTEA = 17,
    OID_INT8 = 20,
    OID_INT2 = 21,
    OID_INT4 = 23,
    OID_OID = 26,
    OID_FLOAT4 = 700,
    OID_FLOAT8 = 701,
    OID_NUMERIC = 1700
};

typedef struct {
    char *table, *keys;
} key_entry;

struct pg_conn {
    PGconn *c;
    char *msg; /* the last failure's message, owned; NULL = none */
    enum db_errclass cls;
    int64_t changes;
    int inserted; /* an INSERT succeeded since last_id was last asked */
    int64_t last_id;
    unsigned names;  /* prepared statements named so far */
    key_entry *keys; /* table → its keys (pg_rewrite's question), asked once */
    size_t nkeys;
};

typedef struct {
    int null, fmt;
    unsigned oid;
    const char *val;
    int len;
    char *own; /* a copy of the value, when asked to copy */
    size_t owncap;
    char num[32];
} param;

typedef struct {
    char *data; /* a bytea column of the current row, decoded */
    size_t len, cap;
    int row; /* the row it was decoded from; -1 none */
} decoded;

struct pg_stmt {
    pg_conn *c;
    char *sql;
    char name[24]; /* "" = PQexecParams at each step */
    int nparam, ncols;
    param *p;
    const char **vals;
    int *lens, *fmts;
    unsigned *oids;
    PGresult *res;
    int row, nrows;
    int state; /* 0 not run, 1 walking rows, 2 done */
    int txctl; /* BEGIN, COMMIT, …: never inside the driver's savepoint */
    int guard; /* this step goes under a savepoint (pg_step_guarded) */
    decoded *dec;
    int ndec;
};

static void ignore_notice(void *arg, const char *message)
{
    (void)arg, (void)message; /* library code never prints: NOTICEs are not failures */
}

static void set_msg(pg_conn *c, enum db_errclass cls, const char *msg)
{
    free(c->msg);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        n--;
    c->msg = msk_strndup(msg, n);
    c->cls = cls;
}

static void clear_error(pg_conn *c)
{
    free(c->msg);
    c->msg = NULL;
    c->cls = DB_E_NONE;
}

static enum db_errclass class_of(const char *state)
{
    static const struct {
        const char *state;
        enum db_errclass cls;
    } MAP[] = {{"23505", DB_E_UNIQUE},     {"23514", DB_E_CHECK},      {"23503", DB_E_FOREIGN},
               {"23502", DB_E_NOTNULL},    {"40001", DB_E_BUSY},       {"55P03", DB_E_BUSY},
               {"40P01", DB_E_BUSY},       {"53100", DB_E_FULL},       {"25006", DB_E_READONLY},
               {"57P01", DB_E_CONNECTION}, {"57P02", DB_E_CONNECTION}, {"57P03", DB_E_CONNECTION}};
    if (!state)
        return DB_E_OTHER;
    if (!strncmp(state, "08", 2))
        return DB_E_CONNECTION;
    for (size_t i = 0; i < sizeof MAP / sizeof MAP[0]; i++)
        if (!strcmp(state, MAP[i].state))
            return MAP[i].cls;
    return DB_E_OTHER;
}

/* Record why res (may be NULL) failed: the server's primary message and its SQLSTATE. */
static void set_error(pg_conn *c, const PGresult *res)
{
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    enum db_errclass cls = class_of(state);
    if (PQstatus(c->c) == CONNECTION_BAD)
        cls = DB_E_CONNECTION;
    if (!primary || !*primary)
        primary =
            res && *PQresultErrorMessage(res) ? PQresultErrorMessage(res) : PQerrorMessage(c->c);
    if (!*primary)
        primary = "соединение с сервером PostgreSQL потеряно";
    set_msg(c, cls, primary);
}

/* A command run for the driver itself: 0 when it succeeded (its result in *out if asked). */
static int run(pg_conn *c, const char *sql, PGresult **out)
{
    PGresult *res = PQexec(c->c, sql);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        set_error(c, res);
        PQclear(res);
        return -1;
    }
    if (out)
        *out = res;
    else
        PQclear(res);
    return 0;
}

/* SQLite's functions in msoko_compat, made when the database has none or an older set. */
static int install_compat(pg_conn *c)
{
    static const char CHECK[] =
        "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = "
        "'msoko_compat'";
    PGresult *res;
    if (run(c, CHECK, &res))
        return -1;
    int current = PQntuples(res) == 1 && !strcmp(PQgetvalue(res, 0, 0), PG_COMPAT_VERSION);
    PQclear(res);
    if (current)
        return 0;
    /* two first connections at once must not both create the functions */
    if (run(c, "BEGIN; SELECT pg_advisory_xact_lock(727100017)", NULL))
        return -1;
    char comment[128];
    snprintf(comment, sizeof comment, "COMMENT ON SCHEMA msoko_compat IS '%s'", PG_COMPAT_VERSION);
    if (run(c, CHECK, &res))
        goto fail;
    current = PQntuples(res) == 1 && !strcmp(PQgetvalue(res, 0, 0), PG_COMPAT_VERSION);
    PQclear(res);
    if (!current && (run(c, PG_COMPAT_SQL, NULL) || run(c, comment, NULL)))
        goto fail;
    return run(c, "COMMIT", NULL);
fail:
    PQclear(PQexec(c->c, "ROLLBACK"));
    return -1;
}

int pg_open(const char *conninfo, pg_conn **out)
{
    pg_conn *c = msk_calloc(1, sizeof *c);
    *out = c;
    c->c = PQconnectdb(conninfo ? conninfo : "");
    if (!c->c) {
        set_msg(c, DB_E_CONNECTION, "нет памяти для соединения с PostgreSQL");
        return DB_ERROR;
    }
    if (PQstatus(c->c) != CONNECTION_OK) {
        set_msg(c, DB_E_CONNECTION, PQerrorMessage(c->c));
        return DB_ERROR;
    }
    PQsetNoticeProcessor(c->c, ignore_notice, NULL);
    if (PQsetClientEncoding(c->c, "UTF8")) {
        set_msg(c, DB_E_OTHER, PQerrorMessage(c->c));
        return DB_ERROR;
    }
    /* msoko_compat last: tables are created where they always were (the first schema), the
     * names PostgreSQL lacks are found there */
    if (run(c,
            "SET standard_conforming_strings = on; SET bytea_output = hex;"
            " SELECT set_config('search_path', current_setting('search_path') || ', msoko_compat',"
            " false)",
            NULL) ||
        install_compat(c))
        return DB_ERROR;
    clear_error(c);
    return DB_OK;
}

void pg_close(pg_conn *c)
{
    if (!c)
        return;
    if (c->c)
        PQfinish(c->c);
    for (size_t i = 0; i < c->nkeys; i++) {
        free(c->keys[i].table);
        free(c->keys[i].keys);
    }
    free(c->keys);
    free(c->msg);
    free(c);
}

static void forget_keys(pg_conn *c)
{
    for (size_t i = 0; i < c->nkeys; i++) {
        free(c->keys[i].table);
        free(c->keys[i].keys);
    }
    c->nkeys = 0;
}

/* pg_rewrite's question for INSERT OR REPLACE: the table's primary key first, then its unique
 * keys in the order they were made; asked of the catalog once per table. */
static int table_keys(void *ctx, const char *table, msk_buf *out)
{
    static const char SQL[] =
        "SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM pg_index i"
        " CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)"
        " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
        " WHERE i.indrelid = to_regclass(quote_ident($1)) AND i.indisunique"
        " AND i.indpred IS NULL AND i.indexprs IS NULL"
        " GROUP BY i.indexrelid, i.indisprimary ORDER BY i.indisprimary DESC, i.indexrelid";
    pg_conn *c = ctx;
    for (size_t i = 0; i < c->nkeys; i++)
        if (!strcmp(c->keys[i].table, table))
            return msk_buf_puts(out, c->keys[i].keys);
    const char *vals[1] = {table};
    PGresult *res = PQexecParams(c->c, SQL, 1, NULL, vals, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        set_error(c, res);
        PQclear(res);
        return -1;
    }
    msk_buf keys;
    msk_buf_init(&keys, 0);
    for (int r = 0; r < PQntuples(res); r++)
        msk_buf_printf(&keys, "%s\n", PQgetvalue(res, r, 0));
    PQclear(res);
    c->keys = msk_reallocarray(c->keys, c->nkeys + 1, sizeof *c->keys);
    c->keys[c->nkeys].table = msk_strdup(table);
    c->keys[c->nkeys].keys = msk_buf_detach(&keys, NULL);
    msk_buf_release(&keys);
    return msk_buf_puts(out, c->keys[c->nkeys++].keys);
}

/* sql in PostgreSQL's spelling into out, or -1 with the reason recorded on c. */
static int rewrite(pg_conn *c, const char *sql, int script, msk_buf *out, int *nparams)
{
    msk_buf err;
    msk_buf_init(&err, 0);
    clear_error(c);
    int rc = pg_rewrite(sql, script, table_keys, c, out, nparams, &err);
    if (rc && !c->msg)
        set_msg(c, DB_E_OTHER, err.len ? err.data : "не удалось переписать SQL для PostgreSQL");
    msk_buf_release(&err);
    return rc;
}

/* Around a command of the driver's own that the server may refuse (a PREPARE): inside a
 * transaction a savepoint, so a refusal does not abort the caller's transaction. */
static int guard_begin(pg_conn *c)
{
    if (PQtransactionStatus(c->c) != PQTRANS_INTRANS)
        return 0;
    PQclear(PQexec(c->c, "SAVEPOINT msk_stmt"));
    return 1;
}

static void guard_end(pg_conn *c, int guarded, int ok)
{
    if (guarded)
        PQclear(PQexec(c->c, ok ? "RELEASE SAVEPOINT msk_stmt"
                                : "ROLLBACK TO SAVEPOINT msk_stmt; RELEASE SAVEPOINT msk_stmt"));
}

int pg_prepare(pg_conn *c, const char *sql, int keep, pg_stmt **out)
{
    msk_buf text;
    int nparam = 0;
    *out = NULL;
    msk_buf_init(&text, 0);
    if (rewrite(c, sql, 0, &text, &nparam)) {
        msk_buf_release(&text);
        return DB_ERROR;
    }
    pg_stmt *st = msk_calloc(1, sizeof *st);
    st->c = c;
    st->sql = msk_buf_detach(&text, NULL);
    msk_buf_release(&text);
    st->nparam = nparam;
    st->ncols = -1;
    st->txctl = pg_controls_transaction(st->sql);
    st->p = msk_calloc((size_t)nparam + 1, sizeof *st->p);
    st->vals = msk_calloc((size_t)nparam + 1, sizeof *st->vals);
    st->lens = msk_calloc((size_t)nparam + 1, sizeof *st->lens);
    st->fmts = msk_calloc((size_t)nparam + 1, sizeof *st->fmts);
    st->oids = msk_calloc((size_t)nparam + 1, sizeof *st->oids);
    for (int i = 0; i < nparam; i++)
        st->p[i].null = 1;
    if (keep && *st->sql) {
        snprintf(st->name, sizeof st->name, "msk_%u", ++c->names);
        int guarded = guard_begin(c);
        PGresult *res = PQprepare(c->c, st->name, st->sql, 0, NULL);
        int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
        if (!ok)
            set_error(c, res);
        PQclear(res);
        if (ok) {
            res = PQdescribePrepared(c->c, st->name);
            if (PQresultStatus(res) == PGRES_COMMAND_OK)
                st->ncols = PQnfields(res);
            PQclear(res);
        }
        guard_end(c, guarded, ok);
        if (!ok) {
            st->name[0] = '\0';
            pg_finalize(st);
            return DB_ERROR;
        }
    }
    *out = st;
    return DB_OK;
}

static void drop_result(pg_stmt *st)
{
    PQclear(st->res);
    st->res = NULL;
    st->row = st->nrows = 0;
    for (int i = 0; i < st->ndec; i++)
        st->dec[i].row = -1;
}

/* The counters a finished command leaves: db_changes, and whether db_last_id must ask. */
static void count_changes(pg_conn *c, const PGresult *res)
{
    const char *cmd = PQcmdStatus((PGresult *)res);
    if (!strncmp(cmd, "INSERT", 6) || !strncmp(cmd, "UPDATE", 6) || !strncmp(cmd, "DELETE", 6) ||
        !strncmp(cmd, "MERGE", 5)) {
        c->changes = strtoll(PQcmdTuples((PGresult *)res), NULL, 10);
        if (!strncmp(cmd, "INSERT", 6) && c->changes > 0)
            c->inserted = 1;
    }
}

static int in_transaction(pg_conn *c)
{
    return PQtransactionStatus(c->c) == PQTRANS_INTRANS;
}

/* Back to the savepoint after a failure; the failure's message stays the one recorded. */
static void undo_statement(pg_conn *c)
{
    PQclear(PQexec(c->c, "ROLLBACK TO SAVEPOINT msk_stmt; RELEASE SAVEPOINT msk_stmt"));
}

/* The statement between SAVEPOINT and RELEASE, in one pipeline; its own result (or the
 * savepoint's failure) is returned. */
static PGresult *exec_guarded(pg_stmt *st)
{
    PGconn *pc = st->c->c;
    if (!PQenterPipelineMode(pc))
        return NULL;
    int sent = PQsendQueryParams(pc, "SAVEPOINT msk_stmt", 0, NULL, NULL, NULL, NULL, 0);
    if (sent && st->name[0])
        sent = PQsendQueryPrepared(pc, st->name, st->nparam, st->vals, st->lens, st->fmts, 0);
    else if (sent)
        sent =
            PQsendQueryParams(pc, st->sql, st->nparam, st->oids, st->vals, st->lens, st->fmts, 0);
    sent =
        sent && PQsendQueryParams(pc, "RELEASE SAVEPOINT msk_stmt", 0, NULL, NULL, NULL, NULL, 0);
    sent = sent && PQpipelineSync(pc);
    PGresult *main = NULL, *r;
    /* three commands, each ends with a NULL; then the sync */
    for (int cmd = 0; sent && cmd < 3 && PQstatus(pc) == CONNECTION_OK; cmd++)
        while ((r = PQgetResult(pc))) {
            ExecStatusType t = PQresultStatus(r);
            /* the statement's result; or the first failure, should the savepoint fail */
            if (!main && (cmd == 1 || (t != PGRES_COMMAND_OK && t != PGRES_PIPELINE_ABORTED)))
                main = r;
            else
                PQclear(r);
            if (t == PGRES_PIPELINE_SYNC)
                break;
        }
    while (sent && PQstatus(pc) == CONNECTION_OK && (r = PQgetResult(pc))) {
        int sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
        PQclear(r);
        if (sync)
            break;
    }
    PQexitPipelineMode(pc);
    return main;
}

int pg_step_guarded(pg_stmt *st)
{
    st->guard = 1;
    int rc = pg_step(st);
    st->guard = 0;
    return rc;
}

int pg_step(pg_stmt *st)
{
    pg_conn *c = st->c;
    if (st->state == 1) {
        if (++st->row < st->nrows)
            return DB_ROW;
        st->state = 2;
        return DB_DONE;
    }
    drop_result(st); /* a step after the end runs the statement again, as SQLite's does */
    clear_error(c);
    if (!*st->sql) { /* a dropped PRAGMA */
        st->state = 2;
        return DB_DONE;
    }
    for (int i = 0; i < st->nparam; i++) {
        const param *p = &st->p[i];
        st->vals[i] = p->null ? NULL : p->val;
        st->lens[i] = p->len;
        st->fmts[i] = p->fmt;
        st->oids[i] = p->oid;
    }
    PGresult *res;
    int guarded = st->guard && !st->txctl && in_transaction(c);
    if (guarded)
        res = exec_guarded(st);
    else if (st->name[0])
        res = PQexecPrepared(c->c, st->name, st->nparam, st->vals, st->lens, st->fmts, 0);
    else
        res = PQexecParams(c->c, st->sql, st->nparam, st->oids, st->vals, st->lens, st->fmts, 0);
    ExecStatusType status = PQresultStatus(res);
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK || status == PGRES_EMPTY_QUERY) {
        count_changes(c, res);
        st->res = res;
        st->ncols = PQnfields(res);
        st->nrows = status == PGRES_TUPLES_OK ? PQntuples(res) : 0;
        st->row = 0;
        st->state = st->nrows ? 1 : 2;
        return st->nrows ? DB_ROW : DB_DONE;
    }
    set_error(c, res);
    PQclear(res);
    c->changes = 0; /* a failed statement changed nothing: it is undone whole */
    if (guarded && PQstatus(c->c) == CONNECTION_OK)
        undo_statement(c);
    st->state = 2;
    return DB_ERROR;
}

int pg_reset(pg_stmt *st)
{
    drop_result(st);
    st->state = 0;
    return DB_OK;
}

void pg_clear_bindings(pg_stmt *st)
{
    for (int i = 0; i < st->nparam; i++)
        pg_bind_null(st, i + 1);
}

void pg_finalize(pg_stmt *st)
{
    if (!st)
        return;
    drop_result(st);
    /* a named statement lives on the server until deallocated; not in an aborted transaction
     * (the server refuses every command there: it goes with the connection) */
    if (st->name[0] && PQstatus(st->c->c) == CONNECTION_OK &&
        PQtransactionStatus(st->c->c) != PQTRANS_INERROR) {
        char sql[48];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", st->name);
        PQclear(PQexec(st->c->c, sql));
    }
    for (int i = 0; i < st->nparam; i++)
        free(st->p[i].own);
    for (int i = 0; i < st->ndec; i++)
        free(st->dec[i].data);
    free(st->dec);
    free(st->p);
    free(st->vals);
    free(st->lens);
    free(st->fmts);
    free(st->oids);
    free(st->sql);
    free(st);
}

int pg_stmt_busy(pg_stmt *st)
{
    return st->state == 1;
}

int pg_param_count(pg_stmt *st)
{
    return st->nparam;
}

int pg_column_count(pg_stmt *st)
{
    if (st->ncols >= 0)
        return st->ncols;
    /* not run yet: ask the server what the statement returns (the unnamed statement, which
     * the next PQexecParams replaces anyway; described before any simple query, which would
     * drop it) */
    if (!*st->sql)
        return 0;
    int guarded = guard_begin(st->c);
    PGresult *res = PQprepare(st->c->c, "", st->sql, 0, NULL);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    if (ok) {
        res = PQdescribePrepared(st->c->c, "");
        if (PQresultStatus(res) == PGRES_COMMAND_OK)
            st->ncols = PQnfields(res);
        PQclear(res);
    }
    guard_end(st->c, guarded, st->ncols >= 0);
    return st->ncols < 0 ? 0 : st->ncols;
}

static param *slot(pg_stmt *st, int i)
{
    if (i < 1 || i > st->nparam) {
        set_msg(st->c, DB_E_OTHER, "номер параметра вне диапазона");
        return NULL;
    }
    param *p = &st->p[i - 1];
    p->null = 0;
    p->fmt = 0;
    p->oid = 0;
    p->len = 0;
    return p;
}

int pg_bind_null(pg_stmt *st, int i)
{
    param *p = slot(st, i);
    if (!p)
        return DB_ERROR;
    p->null = 1;
    p->val = NULL;
    return DB_OK;
}

int pg_bind_int64(pg_stmt *st, int i, int64_t v)
{
    param *p = slot(st, i);
    if (!p)
        return DB_ERROR;
    snprintf(p->num, sizeof p->num, "%lld", (long long)v);
    p->val = p->num;
    return DB_OK;
}

int pg_bind_double(pg_stmt *st, int i, double v)
{
    param *p = slot(st, i);
    if (!p)
        return DB_ERROR;
    if (v != v)
        snprintf(p->num, sizeof p->num, "NaN");
    else if (v > 1.7976931348623157e308 || v < -1.7976931348623157e308)
        snprintf(p->num, sizeof p->num, "%sInfinity", v < 0 ? "-" : "");
    else
        snprintf(p->num, sizeof p->num, "%.17g", v);
    p->val = p->num;
    return DB_OK;
}

static const char *keep_copy(param *p, const void *v, size_t n)
{
    if (n + 1 > p->owncap) {
        p->owncap = n + 1;
        p->own = msk_realloc(p->own, p->owncap);
    }
    if (n)
        memcpy(p->own, v, n);
    p->own[n] = '\0';
    return p->own;
}

int pg_bind_text(pg_stmt *st, int i, const char *v, int len, int copy)
{
    param *p = slot(st, i);
    if (!p)
        return DB_ERROR;
    /* libpq reads a text parameter up to its zero: one with a length is copied */
    if (len < 0 && !copy)
        p->val = v;
    else
        p->val = keep_copy(p, v, len < 0 ? strlen(v) : (size_t)len);
    return DB_OK;
}

int pg_bind_blob(pg_stmt *st, int i, const void *v, size_t n, int copy)
{
    param *p = slot(st, i);
    if (!p)
        return DB_ERROR;
    if (n > 0x7fffffff) {
        set_msg(st->c, DB_E_OTHER, "значение больше 2 ГБ");
        return DB_ERROR;
    }
    p->fmt = 1;
    p->oid = OID_BYTEA;
    p->len = (int)n;
    p->val = copy || !v ? keep_copy(p, v ? v : "", n) : v;
    return DB_OK;
}

static int have(pg_stmt *st, int c)
{
    return st->res && st->state == 1 && c >= 0 && c < st->ncols;
}

/* numeric: an integer when it has no fraction (sum() of integers is numeric in PostgreSQL) */
static int numeric_is_int(const char *v)
{
    return !strpbrk(v, ".eEN");
}

int pg_column_type(pg_stmt *st, int c)
{
    if (!have(st, c) || PQgetisnull(st->res, st->row, c))
        return DB_NULL;
    switch (PQftype(st->res, c)) {
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
    case OID_BOOL:
    case OID_OID:
        return DB_INTEGER;
    case OID_FLOAT4:
    case OID_FLOAT8:
        return DB_FLOAT;
    case OID_NUMERIC:
        return numeric_is_int(PQgetvalue(st->res, st->row, c)) ? DB_INTEGER : DB_FLOAT;
    case OID_BYTEA:
        return DB_BLOB;
    default:
        return DB_TEXT;
    }
}

static int hexval(char h)
{
    return h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h - 'A' + 10;
}

/* A bytea column of the current row as bytes (the server's hex form "\x…" decoded). */
static const decoded *bytes_of(pg_stmt *st, int c)
{
    if (st->ndec < st->ncols) {
        st->dec = msk_reallocarray(st->dec, (size_t)st->ncols, sizeof *st->dec);
        for (int i = st->ndec; i < st->ncols; i++)
            st->dec[i] = (decoded){NULL, 0, 0, -1};
        st->ndec = st->ncols;
    }
    decoded *d = &st->dec[c];
    if (d->row == st->row)
        return d;
    const char *v = PQgetvalue(st->res, st->row, c);
    size_t n = (size_t)PQgetlength(st->res, st->row, c);
    if (n >= 2 && v[0] == '\\' && v[1] == 'x') {
        size_t len = (n - 2) / 2;
        if (len + 1 > d->cap)
            d->data = msk_realloc(d->data, d->cap = len + 1);
        for (size_t i = 0; i < len; i++)
            d->data[i] = (char)(hexval(v[2 + 2 * i]) << 4 | hexval(v[3 + 2 * i]));
        d->len = len;
    } else { /* the old escape form, should a server be set to it */
        size_t len;
        unsigned char *u = PQunescapeBytea((const unsigned char *)v, &len);
        if (len + 1 > d->cap)
            d->data = msk_realloc(d->data, d->cap = len + 1);
        if (u && len)
            memcpy(d->data, u, len);
        PQfreemem(u);
        d->len = u ? len : 0;
    }
    d->data[d->len] = '\0';
    d->row = st->row;
    return d;
}

int64_t pg_column_int64(pg_stmt *st, int c)
{
    if (!have(st, c) || PQgetisnull(st->res, st->row, c))
        return 0;
    const char *v = PQgetvalue(st->res, st->row, c);
    switch (PQftype(st->res, c)) {
    case OID_BOOL:
        return v[0] == 't';
    case OID_BYTEA:
        return 0;
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_NUMERIC:
        if (!numeric_is_int(v))
            return (int64_t)strtod(v, NULL);
        break;
    default:
        break;
    }
    return strtoll(v, NULL, 10);
}

double pg_column_double(pg_stmt *st, int c)
{
    if (!have(st, c) || PQgetisnull(st->res, st->row, c))
        return 0;
    const char *v = PQgetvalue(st->res, st->row, c);
    if (PQftype(st->res, c) == OID_BOOL)
        return v[0] == 't';
    if (PQftype(st->res, c) == OID_BYTEA)
        return 0;
    return strtod(v, NULL);
}

const char *pg_column_text(pg_stmt *st, int c)
{
    if (!have(st, c) || PQgetisnull(st->res, st->row, c))
        return NULL;
    switch (PQftype(st->res, c)) {
    case OID_BOOL:
        return PQgetvalue(st->res, st->row, c)[0] == 't' ? "1" : "0";
    case OID_BYTEA:
        return bytes_of(st, c)->data;
    default:
        return PQgetvalue(st->res, st->row, c);
    }
}

const void *pg_column_blob(pg_stmt *st, int c)
{
    if (!have(st, c) || PQgetisnull(st->res, st->row, c))
        return NULL;
    if (PQftype(st->res, c) == OID_BYTEA)
        return bytes_of(st, c)->data;
    return pg_column_text(st, c);
}

int pg_column_bytes(pg_stmt *st, int c)
{
    if (!have(st, c) || PQgetisnull(st->res, st->row, c))
        return 0;
    if (PQftype(st->res, c) == OID_BYTEA)
        return (int)bytes_of(st, c)->len;
    if (PQftype(st->res, c) == OID_BOOL)
        return 1;
    return PQgetlength(st->res, st->row, c);
}

int pg_exec(pg_conn *c, const char *sql)
{
    msk_buf text;
    msk_buf_init(&text, 0);
    forget_keys(c); /* a script may change tables: their keys are asked again */
    if (rewrite(c, sql, 1, &text, NULL)) {
        msk_buf_release(&text);
        return DB_ERROR;
    }
    /* inside a transaction a failed script undoes itself, not the transaction (as pg_step) */
    int guarded = in_transaction(c) && !pg_controls_transaction(text.data);
    if (guarded) {
        msk_buf wrapped;
        msk_buf_init(&wrapped, 0);
        msk_buf_printf(&wrapped, "SAVEPOINT msk_stmt;\n%s;\nRELEASE SAVEPOINT msk_stmt", text.data);
        msk_buf_release(&text);
        text = wrapped;
    }
    /* every statement's result: db_changes counts the last INSERT, UPDATE or DELETE of them */
    int ok = PQsendQuery(c->c, text.data);
    msk_buf_release(&text);
    if (!ok)
        set_error(c, NULL);
    PGresult *res;
    while ((res = PQgetResult(c->c))) {
        ExecStatusType status = PQresultStatus(res);
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
            count_changes(c, res);
        else if (status != PGRES_EMPTY_QUERY && ok) {
            set_error(c, res);
            ok = 0;
        }
        PQclear(res);
    }
    if (!ok && guarded && PQstatus(c->c) == CONNECTION_OK)
        undo_statement(c);
    return ok ? DB_OK : DB_ERROR;
}

const char *pg_errmsg(pg_conn *c)
{
    if (!c)
        return "нет соединения с сервером PostgreSQL";
    return c->msg ? c->msg : "нет ошибки";
}

enum db_errclass pg_errclass(pg_conn *c)
{
    if (!c || !c->c || PQstatus(c->c) == CONNECTION_BAD)
        return DB_E_CONNECTION;
    return c->cls;
}

int64_t pg_changes(pg_conn *c)
{
    return c ? c->changes : 0;
}

int64_t pg_last_id(pg_conn *c)
{
    if (!c || !c->c)
        return 0;
    if (c->inserted) {
        /* asked of the server only when wanted: most inserts never ask */
        PGresult *res = PQexec(c->c, "SELECT msoko_compat.last_id()");
        c->last_id = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1
                         ? strtoll(PQgetvalue(res, 0, 0), NULL, 10)
                         : 0;
        PQclear(res);
        c->inserted = 0;
    }
    return c->last_id;
}

int pg_in_transaction(pg_conn *c)
{
    if (!c || !c->c)
        return 0;
    PGTransactionStatusType t = PQtransactionStatus(c->c);
    return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

void *pg_libpq(pg_conn *c)
{
    return c ? c->c : NULL;
}
