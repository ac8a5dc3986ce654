/*
 * The SQLite store: opening and validating the file, migrations, transactions, a cache of
 * prepared statements, and the typed writers of store.h. Reference data lives in
 * reference.c; the schema in schema.c.
 */
#include "store/store.h"

#include "base/mem.h"
#include "store/internal.h"
#include "store/schema.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
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
};

/* The multi-row form of ST_RESULT_ADD, built once: bulk loads spend most of their time in
 * per-statement overhead, and 16 rows a statement cut it by a third (bench/import). */
enum { RESULT_COLS = 15 };
static char result_many_sql[2048];

static const char *stmt_sql(enum stmt_id id)
{
    if (id != ST_RESULT_ADD_MANY)
        return STMT_SQL[id];
    if (!result_many_sql[0]) {
        const char *one = strstr(STMT_SQL[ST_RESULT_ADD], "VALUES(");
        size_t n = (size_t)(one - STMT_SQL[ST_RESULT_ADD]) + 6;
        memcpy(result_many_sql, STMT_SQL[ST_RESULT_ADD], n);
        for (int i = 0; i < STORE_RESULT_CHUNK; i++)
            n += (size_t)snprintf(result_many_sql + n, sizeof result_many_sql - n,
                                  "%s(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", i ? "," : "");
    }
    return result_many_sql;
}

const char *store_path(const store *s)
{
    return s->path;
}

static int db_error(store *s, msk_err *err, const char *what)
{
    return msk_error(err, "ошибка базы данных %s (%s): %s", s->path, what, store_errmsg(s, NULL));
}

int store_db_err(store *s, msk_err *err, const char *area, const char *what)
{
    return msk_error(err, "ошибка базы данных %s (%s, %s): %s", s->path, area, what,
                     store_errmsg(s, NULL));
}

int store_prep(store *s, const char *sql, sqlite3_stmt **st, const char *area, msk_err *err)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
        return store_db_err(s, err, area, "подготовка запроса");
    return 0;
}

const char *store_col(sqlite3_stmt *st, int c)
{
    const unsigned char *t = sqlite3_column_text(st, c);
    return t ? (const char *)t : "";
}

void store_col_copy(char *out, size_t outsz, sqlite3_stmt *st, int c)
{
    snprintf(out, outsz, "%s", store_col(st, c));
}

sqlite3_stmt *store_stmt(store *s, enum stmt_id id, msk_err *err)
{
    sqlite3_stmt *st = s->stmts[id];
    if (st) {
        /* every writer binds all of its parameters, and store_step_done resets after each
         * use, so a cached statement is ready as it is (this is the import's hot path) */
        if (sqlite3_stmt_busy(st))
            sqlite3_reset(st);
        return st;
    }
    if (sqlite3_prepare_v3(s->db, stmt_sql(id), -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) !=
        SQLITE_OK) {
        db_error(s, err, "подготовка запроса");
        return NULL;
    }
    s->stmts[id] = st;
    return st;
}

/* Step a write statement to completion; returns 0 or -1 with the message. */
int store_step_done(store *s, sqlite3_stmt *st, msk_err *err, const char *what)
{
    int rc = sqlite3_step(st);
    while (rc == SQLITE_ROW)
        rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) {
        int ext = sqlite3_extended_errcode(s->db);
        if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
            msk_error(err, "%s: такая запись уже есть (%s)", what, sqlite3_errmsg(s->db));
        else if (ext == SQLITE_CONSTRAINT_CHECK)
            msk_error(err, "%s: недопустимое значение (%s)", what, sqlite3_errmsg(s->db));
        else if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
            msk_error(err, "%s: ссылка на несуществующую запись", what);
        else
            db_error(s, err, what);
        sqlite3_reset(st);
        return -1;
    }
    sqlite3_reset(st);
    return 0;
}

void store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

void store_bind_int(sqlite3_stmt *st, int i, int v)
{
    if (v == STORE_NONE)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int(st, i, v);
}

void store_bind_id(sqlite3_stmt *st, int i, int64_t v)
{
    if (v <= 0)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int64(st, i, v);
}

void store_bind_real(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, v);
}

int store_exec(store *s, const char *sql, msk_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        msk_error(err, "ошибка базы данных %s: %s", s->path, store_errmsg(s, msg ? msg : "?"));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int pragma_int(store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

int store_user_version(store *s)
{
    return pragma_int(s, "PRAGMA user_version");
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
        char pragma[64];
        if (store_exec(s, schema_migration(v), err))
            goto fail;
        snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", v);
        if (store_exec(s, pragma, err))
            goto fail;
    }
    if (own && store_commit(s, err))
        return -1;
    return 0;
fail:
    if (own)
        store_rollback(s);
    return -1;
}

/* Process-wide SQLite settings, made once before the first connection: memory statistics
 * take a global mutex on every allocation, which a bulk load pays millions of times. */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;
static void sqlite_configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int store_open(const char *path, int mode, store **out, msk_err *err)
{
    store *s = NULL;
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

    pthread_once(&sqlite_once, sqlite_configure);
    s = msk_calloc(1, sizeof *s);
    snprintf(s->path, sizeof s->path, "%s", path);
    int flags = mode == STORE_READ
                    ? SQLITE_OPEN_READONLY
                    : SQLITE_OPEN_READWRITE | (mode == STORE_CREATE ? SQLITE_OPEN_CREATE : 0);
    flags |= SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        msk_error(err, "не удалось открыть базу данных %s: %s", path,
                  s->db ? sqlite3_errmsg(s->db) : "нет памяти");
        goto fail;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, 5000);

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
        if (store_migrate_to(s, schema_version(), err))
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
        sqlite3_finalize(s->stmts[i]);
    sqlite3_close(s->db);
    free(s);
}

int store_begin_at(store *s, const char *file, int line, msk_err *err)
{
    MSK_ASSERT(!s->tx_file); /* a nested or leaked transaction is a bug: see s->tx_file/line */
    if (store_exec(s, "BEGIN IMMEDIATE", err))
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
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
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

/* ---------------------------------------------------------------------------------------- */

int store_table_counts(store *s, char ***names, int64_t **counts, size_t *n, msk_err *err)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0, k = 0;
    char **nm = NULL;
    int64_t *ct = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT name FROM sqlite_schema WHERE type='table' AND name NOT "
                           "LIKE 'sqlite_%' ORDER BY rowid",
                           -1, &st, NULL) != SQLITE_OK) {
        db_error(s, err, "список таблиц");
        goto out;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (k == cap) {
            cap = cap ? cap * 2 : 32;
            nm = msk_reallocarray(nm, cap, sizeof *nm);
            ct = msk_reallocarray(ct, cap, sizeof *ct);
        }
        nm[k] = msk_strdup((const char *)sqlite3_column_text(st, 0));
        ct[k] = 0;
        k++;
    }
    for (size_t i = 0; i < k; i++) {
        char sql[160];
        sqlite3_stmt *c = NULL;
        snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", nm[i]);
        if (sqlite3_prepare_v2(s->db, sql, -1, &c, NULL) == SQLITE_OK &&
            sqlite3_step(c) == SQLITE_ROW)
            ct[i] = sqlite3_column_int64(c, 0);
        sqlite3_finalize(c);
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    *names = nm;
    *counts = ct;
    *n = k;
    return rc;
}

/* FNV-1a over the text of every column of every row, in primary-key order. Enough to notice
 * any change between two states of a database; not a security hash. */
static void fnv(uint64_t *h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) {
        *h ^= c[i];
        *h *= 1099511628211ULL;
    }
}

int store_checksum(store *s, char out[65], msk_err *err)
{
    char **names = NULL;
    int64_t *counts = NULL;
    size_t n = 0;
    uint64_t h[4] = {1469598103934665603ULL, 7, 11, 13};
    int rc = -1;
    if (store_table_counts(s, &names, &counts, &n, err))
        goto out;
    for (size_t i = 0; i < n; i++) {
        char sql[160];
        sqlite3_stmt *st = NULL;
        fnv(&h[0], names[i], strlen(names[i]));
        fnv(&h[1], &counts[i], sizeof counts[i]);
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY 1,2,3", names[i]);
        if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
            /* tables with fewer than three columns */
            snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY 1", names[i]);
            if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
                db_error(s, err, "контрольная сумма");
                goto out;
            }
        }
        while (sqlite3_step(st) == SQLITE_ROW) {
            int nc = sqlite3_column_count(st);
            for (int c = 0; c < nc; c++) {
                const void *b = sqlite3_column_blob(st, c);
                int len = sqlite3_column_bytes(st, c);
                fnv(&h[2], &c, sizeof c);
                if (b)
                    fnv(&h[2], b, (size_t)len);
                fnv(&h[3], &len, sizeof len);
            }
        }
        sqlite3_finalize(st);
    }
    snprintf(out, 65, "%016llx%016llx%016llx%016llx", (unsigned long long)h[0],
             (unsigned long long)h[1], (unsigned long long)h[2], (unsigned long long)h[3]);
    rc = 0;
out:
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(counts);
    return rc;
}

int store_meta_set(store *s, const char *key, const char *value, msk_err *err)
{
    sqlite3_stmt *st = store_stmt(s, ST_META_SET, err);
    if (!st)
        return -1;
    store_bind_text(st, 1, key);
    store_bind_text(st, 2, value);
    return store_step_done(s, st, err, "настройка");
}

int store_meta_get(store *s, const char *key, char *out, size_t outsz)
{
    sqlite3_stmt *st = store_stmt(s, ST_META_GET, NULL);
    int found = 0;
    if (!st)
        return 0;
    store_bind_text(st, 1, key);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(st, 0));
        found = 1;
    }
    sqlite3_reset(st);
    return found;
}

int store_is_initialised(store *s)
{
    char v[32];
    return store_meta_get(s, "initialised", v, sizeof v);
}

static int exists_by(store *s, enum stmt_id id, const char *code)
{
    sqlite3_stmt *st = store_stmt(s, id, NULL);
    if (!st)
        return 0;
    store_bind_text(st, 1, code);
    int found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return found;
}

int store_kind_exists(store *s, const char *code)
{
    return exists_by(s, ST_KIND_EXISTS, code);
}

int store_subject_exists(store *s, const char *code)
{
    return exists_by(s, ST_SUBJECT_EXISTS, code);
}

int store_element_exists(store *s, const char *code)
{
    return exists_by(s, ST_ELEMENT_EXISTS, code);
}

/* ---- schools ---- */

int store_school_put(store *s, const store_school *sc, int64_t *id, msk_err *err)
{
    sqlite3_stmt *st = store_stmt(s, ST_SCHOOL_PUT, err);
    if (!st)
        return -1;
    store_bind_text(st, 1, sc->code);
    store_bind_text(st, 2, sc->name);
    store_bind_text(st, 3, sc->type);
    store_bind_text(st, 4, sc->locality);
    store_bind_text(st, 5, sc->levels ? sc->levels : "");
    if (sqlite3_step(st) == SQLITE_ROW && id)
        *id = sqlite3_column_int64(st, 0);
    return store_step_done(s, st, err, "школа");
}

int64_t store_school_count(store *s)
{
    sqlite3_stmt *st = store_stmt(s, ST_SCHOOL_COUNT, NULL);
    int64_t n = 0;
    if (st && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    if (st)
        sqlite3_reset(st);
    return n;
}

int store_school_id(store *s, const char *code, int64_t *id)
{
    sqlite3_stmt *st = store_stmt(s, ST_SCHOOL_ID, NULL);
    int rc = 1;
    if (!st)
        return 1;
    store_bind_text(st, 1, code);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        rc = 0;
    }
    sqlite3_reset(st);
    return rc;
}

/* ---- scales and procedures ---- */

int store_scale_put(store *s, const store_scale *sc, int64_t *id, msk_err *err)
{
    sqlite3_stmt *st = store_stmt(s, ST_SCALE_PUT, err);
    if (!st)
        return -1;
    sqlite3_bind_int(st, 1, sc->year);
    store_bind_text(st, 2, sc->kind);
    store_bind_text(st, 3, sc->subject);
    sqlite3_bind_int(st, 4, sc->grade);
    sqlite3_bind_double(st, 5, sc->max_primary);
    store_bind_real(st, 6, sc->mark3);
    store_bind_real(st, 7, sc->mark4);
    store_bind_real(st, 8, sc->mark5);
    store_bind_int(st, 9, sc->min_test);
    store_bind_text(st, 10, sc->source ? sc->source : "");
    if (sqlite3_step(st) == SQLITE_ROW && id)
        *id = sqlite3_column_int64(st, 0);
    return store_step_done(s, st, err, "шкала");
}

static double col_real(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

int store_scale_find(store *s, int year, const char *kind, const char *subject, int grade,
                     store_scale *out, int64_t *id)
{
    sqlite3_stmt *st = store_stmt(s, ST_SCALE_FIND, NULL);
    int rc = 1;
    if (!st)
        return 1;
    store_bind_text(st, 1, kind);
    store_bind_text(st, 2, subject);
    sqlite3_bind_int(st, 3, grade);
    sqlite3_bind_int(st, 4, year);
    if (sqlite3_step(st) == SQLITE_ROW) {
        if (id)
            *id = sqlite3_column_int64(st, 0);
        out->year = sqlite3_column_int(st, 1);
        out->kind = kind;
        out->subject = subject;
        out->grade = grade;
        out->max_primary = sqlite3_column_double(st, 2);
        out->mark3 = col_real(st, 3);
        out->mark4 = col_real(st, 4);
        out->mark5 = col_real(st, 5);
        out->min_test =
            sqlite3_column_type(st, 6) == SQLITE_NULL ? STORE_NONE : sqlite3_column_int(st, 6);
        out->source = "";
        rc = 0;
    }
    sqlite3_reset(st);
    return rc;
}

int store_scale_point_put(store *s, int64_t scale_id, int primary, int test, msk_err *err)
{
    sqlite3_stmt *st = store_stmt(s, ST_SCALE_POINT, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, scale_id);
    sqlite3_bind_int(st, 2, primary);
    sqlite3_bind_int(st, 3, test);
    return store_step_done(s, st, err, "таблица перевода баллов");
}

int store_procedure_id(store *s, int year, const char *kind, const char *subject, int grade,
                       int create, int64_t *id, msk_err *err)
{
    sqlite3_stmt *st = store_stmt(s, ST_PROC_ID, err);
    if (!st)
        return -1;
    sqlite3_bind_int(st, 1, year);
    store_bind_text(st, 2, kind);
    store_bind_text(st, 3, subject);
    sqlite3_bind_int(st, 4, grade);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        return 0;
    }
    sqlite3_reset(st);
    if (!create)
        return 1;
    st = store_stmt(s, ST_PROC_ADD, err);
    if (!st)
        return -1;
    sqlite3_bind_int(st, 1, year);
    store_bind_text(st, 2, kind);
    store_bind_text(st, 3, subject);
    sqlite3_bind_int(st, 4, grade);
    if (store_step_done(s, st, err, "оценочная процедура"))
        return -1;
    *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

int store_procedure_task_put(store *s, int64_t procedure_id, int idx, const char *label,
                             int max_score, msk_err *err)
{
    sqlite3_stmt *st = store_stmt(s, ST_PROC_TASK, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, procedure_id);
    sqlite3_bind_int(st, 2, idx);
    store_bind_text(st, 3, label);
    store_bind_int(st, 4, max_score);
    return store_step_done(s, st, err, "задание процедуры");
}

/* ---- batches ---- */

int store_batch_add(store *s, const store_batch *b, int64_t *id, msk_err *err)
{
    char now[32];
    sqlite3_stmt *st = store_stmt(s, ST_BATCH_ADD, err);
    if (!st)
        return -1;
    store_now(now);
    store_bind_text(st, 1, b->file_name);
    store_bind_text(st, 2, b->sha256 ? b->sha256 : "");
    store_bind_text(st, 3, b->kind);
    store_bind_text(st, 4, b->scope ? b->scope : "");
    store_bind_text(st, 5, b->user ? b->user : "");
    store_bind_text(st, 6, now);
    if (store_step_done(s, st, err, "пакет импорта"))
        return -1;
    *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

int store_batch_finish(store *s, int64_t id, const char *sha256, const char *scope,
                       int64_t rows_read, int64_t rows_loaded, int64_t rows_replaced,
                       int64_t warnings, msk_err *err)
{
    sqlite3_stmt *st = store_stmt(s, ST_BATCH_FINISH, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, rows_read);
    sqlite3_bind_int64(st, 2, rows_loaded);
    sqlite3_bind_int64(st, 3, rows_replaced);
    sqlite3_bind_int64(st, 4, warnings);
    store_bind_text(st, 5, scope ? scope : "");
    store_bind_text(st, 6, sha256 ? sha256 : "");
    sqlite3_bind_int64(st, 7, id);
    return store_step_done(s, st, err, "пакет импорта");
}

/* ---- results ---- */

static void bind_result(sqlite3_stmt *st, int b, const store_result *r)
{
    sqlite3_bind_int64(st, b + 1, r->procedure_id);
    sqlite3_bind_int64(st, b + 2, r->school_id);
    store_bind_text(st, b + 3, r->class_name ? r->class_name : "");
    store_bind_text(st, b + 4, r->pupil_code);
    store_bind_int(st, b + 5, r->variant);
    store_bind_real(st, b + 6, r->primary_score);
    store_bind_int(st, b + 7, r->mark);
    store_bind_int(st, b + 8, r->test_score);
    store_bind_int(st, b + 9, r->journal_mark);
    sqlite3_bind_int(st, b + 10, r->retake);
    sqlite3_bind_int(st, b + 11, r->past_graduate);
    sqlite3_bind_int(st, b + 12, r->ovz);
    sqlite3_bind_int(st, b + 13, r->absent);
    if (r->tasks && r->ntasks)
        sqlite3_bind_blob(st, b + 14, r->tasks, (int)r->ntasks, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, b + 14);
    store_bind_id(st, b + 15, r->batch_id);
}

int store_result_add(store *s, const store_result *r, msk_err *err)
{
    sqlite3_stmt *st = store_stmt(s, ST_RESULT_ADD, err);
    if (!st)
        return -1;
    bind_result(st, 0, r);
    return store_step_done(s, st, err, "результат участника");
}

int store_result_add_many(store *s, const store_result *r, size_t n, unsigned char *failed,
                          msk_err *err)
{
    size_t i = 0;
    msk_err e;
    memset(failed, 0, n);
    while (i < n) {
        if (n - i >= STORE_RESULT_CHUNK) {
            sqlite3_stmt *st = store_stmt(s, ST_RESULT_ADD_MANY, err);
            if (!st)
                return -1;
            for (int k = 0; k < STORE_RESULT_CHUNK; k++)
                bind_result(st, k * RESULT_COLS, &r[i + (size_t)k]);
            int rc = sqlite3_step(st);
            sqlite3_reset(st);
            if (rc == SQLITE_DONE) {
                i += STORE_RESULT_CHUNK;
                continue;
            }
            if ((sqlite3_extended_errcode(s->db) & 0xff) != SQLITE_CONSTRAINT)
                return msk_error(err, "ошибка базы данных %s (результаты): %s", s->path,
                                 sqlite3_errmsg(s->db));
            /* the statement was undone as a whole: redo its rows one by one to find the bad */
            for (int k = 0; k < STORE_RESULT_CHUNK; k++, i++)
                if (store_result_add(s, &r[i], &e)) {
                    if (!strstr(e.msg, "уже есть") && !strstr(e.msg, "недопустимое"))
                        return msk_error(err, "%s", e.msg);
                    failed[i] = 1;
                }
            continue;
        }
        if (store_result_add(s, &r[i], &e)) {
            if (!strstr(e.msg, "уже есть") && !strstr(e.msg, "недопустимое"))
                return msk_error(err, "%s", e.msg);
            failed[i] = 1;
        }
        i++;
    }
    return 0;
}

int store_aggregate_put(store *s, const store_aggregate *a, msk_err *err)
{
    sqlite3_stmt *st = store_stmt(s, ST_AGG_PUT, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, a->procedure_id);
    sqlite3_bind_int64(st, 2, a->school_id);
    sqlite3_bind_int(st, 3, a->participants);
    store_bind_int(st, 4, a->mark2);
    store_bind_int(st, 5, a->mark3);
    store_bind_int(st, 6, a->mark4);
    store_bind_int(st, 7, a->mark5);
    store_bind_int(st, 8, a->below_min);
    store_bind_id(st, 9, a->batch_id);
    return store_step_done(s, st, err, "сводный результат школы");
}

/* ---- context data ---- */

int store_element_put(store *s, const store_element *e, msk_err *err)
{
    sqlite3_stmt *st = store_stmt(s, ST_ELEMENT_PUT, err);
    if (!st)
        return -1;
    store_bind_text(st, 1, e->code);
    store_bind_text(st, 2, e->name);
    store_bind_text(st, 3, e->value_type);
    store_bind_text(st, 4, e->unit ? e->unit : "");
    store_bind_real(st, 5, e->min_value);
    store_bind_real(st, 6, e->max_value);
    return store_step_done(s, st, err, "показатель");
}

int store_value_put(store *s, const char *element, int64_t school_id, const char *period,
                    double value, const char *text_value, int64_t batch_id, msk_err *err)
{
    char now[32];
    sqlite3_stmt *st = store_stmt(s, ST_VALUE_PUT, err);
    if (!st)
        return -1;
    store_now(now);
    store_bind_text(st, 1, element);
    sqlite3_bind_int64(st, 2, school_id);
    store_bind_text(st, 3, period);
    store_bind_real(st, 4, value);
    store_bind_text(st, 5, text_value);
    store_bind_id(st, 6, batch_id);
    store_bind_text(st, 7, now);
    return store_step_done(s, st, err, "значение показателя");
}

/* ---- olympiads, graduates, plan, truth, audit ---- */

int store_olympiad_add(store *s, const store_olympiad *o, msk_err *err)
{
    sqlite3_stmt *st = store_stmt(s, ST_OLY_ADD, err);
    if (!st)
        return -1;
    sqlite3_bind_int(st, 1, o->year);
    store_bind_text(st, 2, o->stage);
    store_bind_text(st, 3, o->subject);
    sqlite3_bind_int(st, 4, o->grade);
    sqlite3_bind_int64(st, 5, o->school_id);
    store_bind_text(st, 6, o->pupil_code);
    store_bind_text(st, 7, o->status);
    store_bind_real(st, 8, o->score);
    store_bind_id(st, 9, o->batch_id);
    return store_step_done(s, st, err, "результат олимпиады");
}

int store_team_put(store *s, int year, const char *stage, int64_t school_id, int place,
                   int64_t batch_id, msk_err *err)
{
    sqlite3_stmt *st = store_stmt(s, ST_TEAM_PUT, err);
    if (!st)
        return -1;
    sqlite3_bind_int(st, 1, year);
    store_bind_text(st, 2, stage);
    sqlite3_bind_int64(st, 3, school_id);
    sqlite3_bind_int(st, 4, place);
    store_bind_id(st, 5, batch_id);
    return store_step_done(s, st, err, "командное место");
}

int store_graduate_add(store *s, const store_graduate *g, msk_err *err)
{
    sqlite3_stmt *st = store_stmt(s, ST_GRAD_ADD, err);
    if (!st)
        return -1;
    sqlite3_bind_int(st, 1, g->year);
    sqlite3_bind_int(st, 2, g->grade);
    sqlite3_bind_int64(st, 3, g->school_id);
    store_bind_text(st, 4, g->pupil_code);
    sqlite3_bind_int(st, 5, g->attestat);
    sqlite3_bind_int(st, 6, g->medal);
    store_bind_text(st, 7, g->destination);
    store_bind_id(st, 8, g->batch_id);
    return store_step_done(s, st, err, "выпускник");
}

int store_plan_add(store *s, const store_plan *p, int64_t *id, msk_err *err)
{
    sqlite3_stmt *st = store_stmt(s, ST_PLAN_ADD, err);
    if (!st)
        return -1;
    store_bind_text(st, 1, p->roadmap ? p->roadmap : "");
    store_bind_int(st, 2, p->year);
    store_bind_text(st, 3, p->section ? p->section : "");
    store_bind_text(st, 4, p->number ? p->number : "");
    store_bind_text(st, 5, p->text);
    store_bind_text(st, 6, p->deadline ? p->deadline : "");
    store_bind_text(st, 7, p->due_on);
    store_bind_text(st, 8, p->responsible ? p->responsible : "");
    store_bind_text(st, 9, p->result ? p->result : "");
    store_bind_text(st, 10, p->status ? p->status : "planned");
    store_bind_id(st, 11, p->school_id);
    store_bind_id(st, 12, p->finding_id);
    store_bind_id(st, 13, p->batch_id);
    if (store_step_done(s, st, err, "пункт плана"))
        return -1;
    if (id)
        *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

int store_demo_truth_put(store *s, int64_t school_id, const char *what, int since_year,
                         const char *detail, msk_err *err)
{
    sqlite3_stmt *st = store_stmt(s, ST_TRUTH_PUT, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, school_id);
    store_bind_text(st, 2, what);
    sqlite3_bind_int(st, 3, since_year);
    store_bind_text(st, 4, detail ? detail : "");
    return store_step_done(s, st, err, "эталон демо-данных");
}

int store_audit(store *s, const char *user, const char *action, const char *object,
                const char *before, const char *after, msk_err *err)
{
    char now[32];
    sqlite3_stmt *st = store_stmt(s, ST_AUDIT, err);
    if (!st)
        return -1;
    store_now(now);
    store_bind_text(st, 1, now);
    store_bind_text(st, 2, user ? user : "");
    store_bind_text(st, 3, action);
    store_bind_text(st, 4, object ? object : "");
    store_bind_text(st, 5, before);
    store_bind_text(st, 6, after);
    return store_step_done(s, st, err, "журнал изменений");
}
