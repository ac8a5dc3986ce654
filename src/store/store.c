/*
 * The store: opening and validating the SQLite file or connecting to a PostgreSQL server (both
 * behind the engine seam of db.h), migrations, transactions, a cache of
 * prepared statements. The typed writers of store.h live one file per entity (school.c,
 * scale.c, batch.c, result.c, element.c, olympiad.c, plan.c, audit.c, meta.c); reference data
 * in reference.c; the schema in schema.c.
 */
#include "store/store.h"

#include "base/mem.h"
#include "store/internal.h"
#include "store/schema.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sqlite3.h> /* the busy timeout, an SQLite-only switch (store_open) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* 'MSKO': set by init, checked on open so that another SQLite file is never touched. */
#define MSOKO_APP_ID 0x4D534B4F

static const char *const STMT_SQL[STMT_COUNT] = {
    [ST_SCHOOL_PUT] = "INSERT INTO school(code,name,type,locality,levels) VALUES(?,?,?,?,?)"
                      " ON CONFLICT(code) DO UPDATE SET name=excluded.name, type=excluded.type,"
                      " locality=excluded.locality, levels=excluded.levels RETURNING id",
    [ST_SCHOOL_ID] = "SELECT id FROM school WHERE code=?",
    [ST_SCALE_PUT] = "INSERT INTO scale(year,kind,subject,grade,max_primary,mark3,mark4,mark5,"
                     "min_test,source) VALUES(?,?,?,?,?,?,?,?,?,?) ON CONFLICT(year,kind,subject,"
                     "grade) DO UPDATE SET max_primary=excluded.max_primary, mark3=excluded.mark3,"
                     " mark4=excluded.mark4, mark5=excluded.mark5, min_test=excluded.min_test,"
                     " source=excluded.source RETURNING id",
    [ST_SCALE_FIND] = "SELECT id,year,max_primary,mark3,mark4,mark5,min_test FROM scale"
                      " WHERE kind=? AND subject=? AND grade=? AND year IN (?,0)"
                      " ORDER BY year DESC LIMIT 1",
    [ST_SCALE_POINT] = "INSERT OR REPLACE INTO scale_point(scale_id,primary_score,test_score)"
                       " VALUES(?,?,?)",
    [ST_PROC_ID] = "SELECT id FROM procedure WHERE year=? AND kind=? AND subject=? AND grade=?",
    [ST_PROC_ADD] = "INSERT INTO procedure(year,kind,subject,grade) VALUES(?,?,?,?)",
    [ST_PROC_TASK] = "INSERT OR REPLACE INTO procedure_task(procedure_id,idx,label,max_score)"
                     " VALUES(?,?,?,?)",
    [ST_BATCH_ADD] = "INSERT INTO import_batch(file_name,sha256,kind,scope,user,created_at)"
                     " VALUES(?,?,?,?,?,?)",
    [ST_BATCH_FINISH] = "UPDATE import_batch SET rows_read=?, rows_loaded=?, rows_replaced=?,"
                        " warnings=?, scope=?, sha256=? WHERE id=?",
    [ST_RESULT_ADD] = "INSERT INTO result(procedure_id,school_id,class,pupil_code,variant,"
                      "primary_score,mark,test_score,journal_mark,retake,past_graduate,ovz,absent,"
                      "tasks,batch_id) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [ST_AGG_PUT] = "INSERT OR REPLACE INTO result_aggregate(procedure_id,school_id,participants,"
                   "mark2,mark3,mark4,mark5,below_min,batch_id) VALUES(?,?,?,?,?,?,?,?,?)",
    [ST_ELEMENT_PUT] = "INSERT INTO data_element(code,name,value_type,unit,min_value,max_value,ord)"
                       " VALUES(?,?,?,?,?,?,(SELECT count(*) FROM data_element))"
                       " ON CONFLICT(code) DO UPDATE SET name=excluded.name,"
                       " value_type=excluded.value_type, unit=excluded.unit,"
                       " min_value=excluded.min_value, max_value=excluded.max_value",
    [ST_ELEMENT_EXISTS] = "SELECT 1 FROM data_element WHERE code=?",
    [ST_VALUE_PUT] = "INSERT OR REPLACE INTO data_value(element,school_id,period,value,text_value,"
                     "status,batch_id,updated_at,updated_by) VALUES(?,?,?,?,?,'approved',?,?,'')",
    [ST_OLY_ADD] = "INSERT INTO olympiad_result(year,stage,subject,grade,school_id,pupil_code,"
                   "status,score,batch_id) VALUES(?,?,?,?,?,?,?,?,?)",
    [ST_TEAM_PUT] = "INSERT OR REPLACE INTO olympiad_team(year,stage,school_id,team_place,batch_id)"
                    " VALUES(?,?,?,?,?)",
    [ST_GRAD_ADD] = "INSERT INTO graduate_outcome(year,grade,school_id,pupil_code,attestat,medal,"
                    "destination,batch_id) VALUES(?,?,?,?,?,?,?,?)",
    [ST_PLAN_ADD] = "INSERT INTO plan_item(roadmap,year,section,number,text,deadline,due_on,"
                    "responsible,result,status,school_id,finding_id,batch_id)"
                    " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [ST_TRUTH_PUT] = "INSERT OR REPLACE INTO demo_truth(school_id,what,since_year,detail)"
                     " VALUES(?,?,?,?)",
    [ST_AUDIT] = "INSERT INTO audit(at,user,action,object,before,after) VALUES(?,?,?,?,?,?)",
    [ST_META_SET] = "INSERT OR REPLACE INTO meta(key,value) VALUES(?,?)",
    [ST_META_GET] = "SELECT value FROM meta WHERE key=?",
    [ST_KIND_EXISTS] = "SELECT 1 FROM proc_kind WHERE code=?",
    [ST_SUBJECT_EXISTS] = "SELECT 1 FROM subject WHERE code=?",
    [ST_RESULT_DEL_SCOPE] = "DELETE FROM result WHERE procedure_id=? AND school_id=?",
    [ST_OLY_DEL_SCOPE] = "DELETE FROM olympiad_result WHERE year=? AND stage=? AND subject=?"
                         " AND school_id=?",
    [ST_GRAD_DEL_SCOPE] = "DELETE FROM graduate_outcome WHERE year=? AND grade=? AND school_id=?",
    [ST_PLAN_DEL_ROADMAP] = "DELETE FROM plan_item WHERE roadmap=? AND finding_id IS NULL",
    [ST_SCHOOL_BATCH] = "UPDATE school SET batch_id=? WHERE id=? AND batch_id IS NULL",
    [ST_SCHOOL_ALL] = "SELECT code, id FROM school",
    [ST_SCHOOL_COUNT] = "SELECT count(*) FROM school",
    [ST_ELEMENT_TYPE] = "SELECT value_type, min_value, max_value FROM data_element WHERE code=?",
    /* the filter columns (migration 23) hold the JSON's values of the same keys */
    [ST_REGISTRY_REPLACE] =
        "INSERT INTO registry_row(kind, year, school_id, code, rkey, data, batch_id, created_at,"
        " created_by, confirmed, role, excluded) VALUES(?1, ?2, ?3, ?4, ?5, json(?6), ?7, ?8, ?9,"
        " CAST(json_extract(?6, '$.confirmed') AS INTEGER), json_extract(?6, '$.role'),"
        " CAST(json_extract(?6, '$.excluded') AS INTEGER))"
        " ON CONFLICT(kind, year, school_id, rkey) DO UPDATE SET code = excluded.code,"
        " data = excluded.data, batch_id = excluded.batch_id, created_at = excluded.created_at,"
        " created_by = excluded.created_by, confirmed = excluded.confirmed,"
        " role = excluded.role, excluded = excluded.excluded",
    [ST_REGISTRY_KEEP] =
        "INSERT INTO registry_row(kind, year, school_id, code, rkey, data, batch_id, created_at,"
        " created_by, confirmed, role, excluded) VALUES(?1, ?2, ?3, ?4, ?5, json(?6), ?7, ?8, ?9,"
        " CAST(json_extract(?6, '$.confirmed') AS INTEGER), json_extract(?6, '$.role'),"
        " CAST(json_extract(?6, '$.excluded') AS INTEGER))"
        " ON CONFLICT(kind, year, school_id, rkey) DO NOTHING",
};

/* The multi-row form of ST_RESULT_ADD, built once: bulk loads spend most of their time in
 * per-statement overhead, and 16 rows a statement cut it by a third (bench/import); 64 rows
 * (960 parameters, under the 999 of old SQLite builds) another 6 % of the writer. */
static char result_many_sql[4096];
static pthread_once_t result_many_once = PTHREAD_ONCE_INIT;

/* Run once whatever the thread: the web server's threads open stores of their own. */
static void result_many_build(void)
{
    /* "INSERT OR FAIL INTO result(…) VALUES(…),(…)…": see store_result_add_many */
    const char *one = strstr(STMT_SQL[ST_RESULT_ADD], "VALUES(");
    const char *into = STMT_SQL[ST_RESULT_ADD] + strlen("INSERT");
    size_t n = (size_t)snprintf(result_many_sql, sizeof result_many_sql, "INSERT OR FAIL");
    memcpy(result_many_sql + n, into, (size_t)(one - into) + 6);
    n += (size_t)(one - into) + 6;
    for (int i = 0; i < STORE_RESULT_CHUNK; i++)
        n += (size_t)snprintf(result_many_sql + n, sizeof result_many_sql - n,
                              "%s(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", i ? "," : "");
}

static const char *stmt_sql(enum stmt_id id)
{
    if (id != ST_RESULT_ADD_MANY)
        return STMT_SQL[id];
    pthread_once(&result_many_once, result_many_build);
    return result_many_sql;
}

const char *store_path(const store *s)
{
    return s->path;
}

int store_db_error(store *s, msk_err *err, const char *what)
{
    return msk_error(err, "ошибка базы данных %s (%s): %s", s->path, what, store_errmsg(s, NULL));
}

int store_db_err(store *s, msk_err *err, const char *area, const char *what)
{
    return msk_error(err, "ошибка базы данных %s (%s, %s): %s", s->path, area, what,
                     store_errmsg(s, NULL));
}

int store_prep(store *s, const char *sql, db_stmt **st, const char *area, msk_err *err)
{
    if (db_prepare(s->db, sql, st) != DB_OK)
        return store_db_err(s, err, area, "подготовка запроса");
    return 0;
}

const char *store_col(db_stmt *st, int c)
{
    const char *t = db_column_text(st, c);
    return t ? t : "";
}

void store_col_copy(char *out, size_t outsz, db_stmt *st, int c)
{
    snprintf(out, outsz, "%s", store_col(st, c));
}

db_stmt *store_stmt(store *s, enum stmt_id id, msk_err *err)
{
    db_stmt *st = s->stmts[id];
    if (st) {
        /* every writer binds all of its parameters, and store_step_done resets after each
         * use, so a cached statement is ready as it is (this is the import's hot path) */
        if (db_stmt_busy(st))
            db_reset(st);
        return st;
    }
    if (db_prepare_keep(s->db, stmt_sql(id), &st) != DB_OK) {
        store_db_error(s, err, "подготовка запроса");
        return NULL;
    }
    s->stmts[id] = st;
    return st;
}

/* Step a write statement to completion; returns 0 or -1 with the message. */
static int step_done(store *s, db_stmt *st, msk_err *err, const char *what, int guarded)
{
    int rc = guarded ? db_step_guarded(st) : db_step(st);
    while (rc == DB_ROW)
        rc = db_step(st);
    if (rc != DB_DONE) {
        enum db_errclass ec = db_errclass(s->db);
        if (ec == DB_E_UNIQUE)
            msk_error(err, "%s: такая запись уже есть (%s)", what, db_errmsg(s->db));
        else if (ec == DB_E_CHECK)
            msk_error(err, "%s: недопустимое значение (%s)", what, db_errmsg(s->db));
        else if (ec == DB_E_FOREIGN)
            msk_error(err, "%s: ссылка на несуществующую запись", what);
        else
            store_db_error(s, err, what);
        db_reset(st);
        return -1;
    }
    db_reset(st);
    return 0;
}

int store_step_done(store *s, db_stmt *st, msk_err *err, const char *what)
{
    return step_done(s, st, err, what, 0);
}

int store_step_done_guarded(store *s, db_stmt *st, msk_err *err, const char *what)
{
    return step_done(s, st, err, what, 1);
}

void store_bind_text(db_stmt *st, int i, const char *v)
{
    if (v)
        db_bind_text_ref(st, i, v, -1);
    else
        db_bind_null(st, i);
}

void store_bind_int(db_stmt *st, int i, int v)
{
    if (v == STORE_NONE)
        db_bind_null(st, i);
    else
        db_bind_int(st, i, v);
}

void store_bind_id(db_stmt *st, int i, int64_t v)
{
    if (v <= 0)
        db_bind_null(st, i);
    else
        db_bind_int64(st, i, v);
}

void store_bind_real(db_stmt *st, int i, double v)
{
    if (isnan(v))
        db_bind_null(st, i);
    else
        db_bind_double(st, i, v);
}

int store_exec(store *s, const char *sql, msk_err *err)
{
    if (db_exec(s->db, sql) != DB_OK)
        return msk_error(err, "ошибка базы данных %s: %s", s->path, store_errmsg(s, NULL));
    return 0;
}

static int pragma_int(store *s, const char *sql)
{
    db_stmt *st = NULL;
    int v = -1;
    if (db_prepare(s->db, sql, &st) == DB_OK && db_step(st) == DB_ROW)
        v = db_column_int(st, 0);
    db_finalize(st);
    return v;
}

int store_user_version(store *s)
{
    return db_user_version(s->db);
}

int store_migrate_to(store *s, int version, msk_err *err)
{
    int have = store_user_version(s);
    if (version > schema_version())
        version = schema_version();
    if (have >= version)
        return 0;
    int own = !s->tx_file;
    if (own && store_begin(s, err))
        return -1;
    for (int v = have + 1; v <= version; v++) {
        if (store_exec(s, schema_migration(v), err))
            goto fail;
        if (db_set_user_version(s->db, v) != DB_OK) {
            msk_error(err, "ошибка базы данных %s: %s", s->path, store_errmsg(s, NULL));
            goto fail;
        }
    }
    if (own && store_commit(s, err))
        return -1;
    return 0;
fail:
    if (own)
        store_rollback(s);
    return -1;
}

/* Append n bytes of p to out (outsz bytes, *len used), cutting at the end. */
static void put(char *out, size_t outsz, size_t *len, const char *p, size_t n)
{
    if (*len + 1 >= outsz)
        return;
    if (n > outsz - 1 - *len)
        n = outsz - 1 - *len;
    memcpy(out + *len, p, n);
    *len += n;
    out[*len] = 0;
}

void store_mask_uri(const char *uri, char *out, size_t outsz)
{
    size_t len = 0;
    if (!outsz)
        return;
    out[0] = 0;
    if (!strncmp(uri, "postgresql://", 13) || !strncmp(uri, "postgres://", 11)) {
        /* scheme://[user[:password]@]host[:port][/db][?key=value&…] */
        const char *auth = strstr(uri, "://") + 3;
        const char *end = auth + strcspn(auth, "/?");
        const char *at = NULL;
        for (const char *p = auth; p < end; p++)
            if (*p == '@')
                at = p;
        const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
        put(out, outsz, &len, uri, (size_t)((colon ? colon : end) - uri));
        if (colon)
            put(out, outsz, &len, at, (size_t)(end - at));
        const char *q = strchr(end, '?');
        put(out, outsz, &len, end, q ? (size_t)(q - end) : strlen(end));
        /* the query's password=… parameter goes too */
        for (int first = 1; q;) {
            const char *par = q + 1, *next = strchr(par, '&');
            size_t n = next ? (size_t)(next - par) : strlen(par);
            if (n && strncmp(par, "password=", 9) != 0) {
                put(out, outsz, &len, first ? "?" : "&", 1);
                put(out, outsz, &len, par, n);
                first = 0;
            }
            q = next;
        }
        return;
    }
    /* libpq's "key=value key = 'quoted value'" form: every pair but password's */
    const char *p = uri;
    while (*p) {
        const char *key = p + strspn(p, " \t");
        if (!*key)
            break;
        const char *keyend = key + strcspn(key, " \t=");
        const char *e = keyend + strspn(keyend, " \t");
        if (*e == '=') {
            e++;
            e += strspn(e, " \t");
            if (*e == '\'') {
                for (e++; *e && *e != '\''; e++)
                    if (*e == '\\' && e[1])
                        e++;
                if (*e)
                    e++;
            } else {
                e += strcspn(e, " \t");
            }
        }
        if (!((size_t)(keyend - key) == 8 && !strncmp(key, "password", 8))) {
            if (len)
                put(out, outsz, &len, " ", 1);
            put(out, outsz, &len, key, (size_t)(e - key));
        }
        p = e;
    }
}

/* A PostgreSQL server (issue 17): no file to check and no PRAGMAs; the schema's version lives
 * in its table msoko_schema (db_user_version). s->path keeps the URI without its password, for
 * the messages that name the database. */
static int open_postgres(const char *uri, int mode, store **out, msk_err *err)
{
    store *s = msk_calloc(1, sizeof *s);
    store_mask_uri(uri, s->path, sizeof s->path);
    if (db_open_postgres(uri, &s->db) != DB_OK) {
        msk_error(err, "не удалось подключиться к серверу PostgreSQL (%s): %s", s->path,
                  db_errmsg(s->db));
        goto fail;
    }
    int ver = store_user_version(s);
    if (ver < 0) {
        store_db_error(s, err, "версия схемы");
        goto fail;
    }
    if (ver > schema_version()) {
        msk_error(err,
                  "база данных %s создана более новой версией msoko (схема %d, эта программа "
                  "знает %d): обновите msoko",
                  s->path, ver, schema_version());
        goto fail;
    }
    if (mode != STORE_READ &&
        (store_migrate_to(s, schema_version(), err) || store_ensure_id(s, err)))
        goto fail;
    *out = s;
    return 0;
fail:
    store_close(s);
    return -1;
}

int store_is_server(const char *path)
{
    return db_is_postgres_uri(path);
}

int store_open(const char *path, int mode, store **out, msk_err *err)
{
    store *s = NULL;
    if (db_is_postgres_uri(path)) {
        *out = NULL;
        return open_postgres(path, mode, out, err);
    }
    struct stat stb;
    int exists = stat(path, &stb) == 0;
    int empty = exists && stb.st_size == 0;
    *out = NULL;

    if (exists && S_ISDIR(stb.st_mode))
        return msk_error(err, "%s — это каталог, а не файл базы данных msoko", path);
    if (!exists && mode != STORE_CREATE)
        return msk_error(err,
                         "файл базы данных %s не найден: создайте его командой "
                         "«msoko init --db %s»",
                         path, path);
    /* No peeking at the header with fopen/fclose here: closing any descriptor of the file drops
     * every POSIX lock this process holds on it, including the SHARED lock that the process's
     * other WAL connections keep (msoko serve has a pool), and another process closing last
     * would then checkpoint and delete the WAL under them. SQLite itself reports a file that
     * is not a database (SQLITE_NOTADB, the application_id check below). */
    /* root passes access(W_OK) on any file, so a file with no write bit counts as read-only */
    if (exists && mode != STORE_READ && (access(path, W_OK) != 0 || !(stb.st_mode & 0222)))
        return msk_error(err,
                         "нет прав на запись в файл базы данных %s: проверьте права "
                         "доступа или укажите другой файл",
                         path);

    s = msk_calloc(1, sizeof *s);
    snprintf(s->path, sizeof s->path, "%s", path);
    int flags = mode == STORE_READ
                    ? SQLITE_OPEN_READONLY
                    : SQLITE_OPEN_READWRITE | (mode == STORE_CREATE ? SQLITE_OPEN_CREATE : 0);
    flags |= SQLITE_OPEN_NOMUTEX;
    if (db_open_sqlite(path, flags, &s->db) != DB_OK) {
        msk_error(err, "не удалось открыть базу данных %s: %s", path, db_errmsg(s->db));
        goto fail;
    }
    sqlite3_busy_timeout(db_sqlite(s->db), 5000); /* a server waits for its locks itself */

    int app = pragma_int(s, "PRAGMA application_id");
    int ver = store_user_version(s);
    if (app < 0) {
        msk_error(err, "%s не является базой данных msoko (файл повреждён или это не SQLite)",
                  path);
        goto fail;
    }
    int fresh =
        (!exists || empty ||
         (app == 0 && ver == 0 && pragma_int(s, "SELECT count(*) FROM sqlite_schema") == 0));
    if (!fresh && app != MSOKO_APP_ID) {
        msk_error(err,
                  "%s не является базой данных msoko (другая база SQLite): укажите другой "
                  "файл в --db",
                  path);
        goto fail;
    }
    if (ver > schema_version()) {
        msk_error(err,
                  "база данных %s создана более новой версией msoko (схема %d, эта программа "
                  "знает %d): обновите msoko",
                  path, ver, schema_version());
        goto fail;
    }
    if (fresh && mode == STORE_READ) {
        msk_error(err,
                  "%s — пустой файл, а не база данных msoko: создайте её командой "
                  "«msoko init --db %s»",
                  path, path);
        goto fail;
    }
    if (mode != STORE_READ) {
        if (store_exec(s, "PRAGMA journal_mode=WAL", err))
            goto fail;
        if (fresh) {
            char pragma[64];
            snprintf(pragma, sizeof pragma, "PRAGMA application_id=%d", MSOKO_APP_ID);
            if (store_exec(s, pragma, err))
                goto fail;
        }
        if (store_migrate_to(s, schema_version(), err) || store_ensure_id(s, err))
            goto fail;
    }
    if (store_exec(s,
                   "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"
                   " PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536",
                   err))
        goto fail;
    *out = s;
    return 0;
fail:
    store_close(s);
    return -1;
}

void store_close(store *s)
{
    if (!s)
        return;
    if (s->tx_file)
        store_rollback(s);
    for (int i = 0; i < STMT_COUNT; i++)
        db_finalize(s->stmts[i]);
    db_close(s->db);
    free(s);
}

int store_begin_at(store *s, const char *file, int line, msk_err *err)
{
    MSK_ASSERT(!s->tx_file); /* a nested or leaked transaction is a bug: see s->tx_file/line */
    /* IMMEDIATE: SQLite takes the write lock now, not at the first write (PostgreSQL locks
     * rows as it writes them) */
    if (store_exec(s, db_engine_of(s->db) == DB_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN", err))
        return -1;
    s->tx_file = file;
    s->tx_line = line;
    return 0;
}

int store_commit(store *s, msk_err *err)
{
    MSK_ASSERT(s->tx_file);
    if (store_exec(s, "COMMIT", err)) {
        store_rollback(s);
        return -1;
    }
    s->tx_file = NULL;
    return 0;
}

void store_rollback(store *s)
{
    if (!s->tx_file)
        return;
    db_exec(s->db, "ROLLBACK");
    s->tx_file = NULL;
}

int store_in_transaction(const store *s)
{
    return s->tx_file != NULL;
}

void store_now(char out[32])
{
    const char *fixed = getenv("MSOKO_NOW"); /* tests pin the clock */
    if (fixed && *fixed) {
        snprintf(out, 32, "%s", fixed);
        return;
    }
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
