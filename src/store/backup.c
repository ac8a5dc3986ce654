/*
 * Backup (SQLite online backup API into a temporary file, then gzip) and restore (gunzip into a
 * temporary file beside the database, check, fsync, rename), and the two health checks the
 * server and restore need: is the file open elsewhere, has a connection lost its file. All of
 * it is SQLite's: a PostgreSQL server's database is backed up by the server's tools.
 * Layout and reasons: backup.h and docs/backup.md.
 */
#include "store/backup.h"

#include "base/buf.h"
#include "base/mem.h"
#include "store/internal.h"
#include "store/schema.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sqlite3.h> /* the online backup API and the file checks: SQLite only */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

/* the application_id msoko init sets ('MSKO', store.c) */
#define BACKUP_APP_ID 0x4D534B4F
/* SQLite's unix VFS: every connection to a WAL database holds a shared lock on this byte of
 * the -shm file ("dead man switch", UNIX_SHM_DMS in os_unix.c) for as long as it is open */
#define SHM_DMS_BYTE 128

enum { COPY_CHUNK = 256 * 1024 };

/* A temporary file named after base ("<base>XXXXXX"), created 0600. path gets the name. */
static int temp_beside(msk_buf *path, const char *base, msk_err *err)
{
    msk_buf_reset(path);
    msk_buf_printf(path, "%sXXXXXX", base);
    if (path->failed)
        return msk_error(err, "слишком длинное имя файла %s", base);
    int fd = mkostemp(path->data, O_CLOEXEC);
    if (fd < 0)
        return msk_error(err, "не удалось создать временный файл рядом с %s: %s", base,
                         strerror(errno));
    return fd;
}

/* The directory of path (for the temporary copy and for the fsync after rename). */
static void dir_of(const char *path, char *out, size_t outsz)
{
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", path);
    snprintf(out, outsz, "%s", dirname(tmp));
}

static void fsync_dir(const char *path)
{
    char dir[1024];
    dir_of(path, dir, sizeof dir);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

static int io_error(msk_err *err, const char *what, const char *path, int e)
{
    const char *sp = path[0] ? " " : "";
    if (e == ENOSPC || e == EDQUOT)
        return msk_error(err, "не хватает места на диске: %s%s%s; освободите место и повторите",
                         what, sp, path);
    return msk_error(err, "%s%s%s: %s", what, sp, path, strerror(e));
}

/* A server's database is copied by the server's own tools: what backup and restore say. */
static int on_server(msk_err *err)
{
    return msk_error(err, "резервная копия базы на сервере PostgreSQL делается средствами "
                          "сервера (pg_dump, pg_basebackup); команда msoko backup — для файла "
                          "SQLite");
}

/* Copy the live database into the file dst (an SQLite connection of its own) in one step of
 * the backup API: one read transaction, so the copy is one committed state. SQLite only. */
static int copy_db(store *s, const char *dst, msk_err *err)
{
    db *dd = NULL;
    int rc = -1;
    if (db_open_sqlite(dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &dd) != DB_OK) {
        msk_error(err, "не удалось создать копию базы данных %s: %s", dst, db_errmsg(dd));
        goto out;
    }
    sqlite3 *d = db_sqlite(dd);
    sqlite3_backup *b = sqlite3_backup_init(d, "main", db_sqlite(s->db), "main");
    if (!b) {
        msk_error(err, "не удалось начать копирование базы данных %s: %s", s->path, db_errmsg(dd));
        goto out;
    }
    int st;
    for (int tries = 0;; tries++) {
        st = sqlite3_backup_step(b, -1);
        if ((st != SQLITE_BUSY && st != SQLITE_LOCKED) || tries >= 100)
            break;
        sqlite3_sleep(50);
    }
    int fin = sqlite3_backup_finish(b);
    if (st != SQLITE_DONE || fin != SQLITE_OK) {
        int code = st != SQLITE_DONE ? st : fin;
        if ((code & 0xff) == SQLITE_FULL)
            msk_error(err,
                      "не хватает места на диске для копии базы данных рядом с %s; "
                      "освободите место и повторите",
                      s->path);
        else
            msk_error(err, "не удалось скопировать базу данных %s: %s", s->path,
                      sqlite3_errstr(code));
        goto out;
    }
    rc = 0;
out:
    db_close(dd);
    return rc;
}

/* Compress the file at path into fd (gzip, level 6). */
static int gzip_into(const char *path, int fd, int64_t *in_bytes, msk_err *err)
{
    int in = open(path, O_RDONLY | O_CLOEXEC);
    int dupfd = dup(fd);
    gzFile gz = NULL;
    char *buf = NULL;
    int rc = -1;
    *in_bytes = 0;
    if (in < 0 || dupfd < 0) {
        io_error(err, "не удалось прочитать копию базы данных", path, errno);
        goto out;
    }
    gz = gzdopen(dupfd, "wb6");
    if (!gz) {
        msk_error(err, "не удалось начать сжатие копии базы данных");
        goto out;
    }
    dupfd = -1; /* gzclose closes it */
    buf = msk_malloc(COPY_CHUNK);
    for (;;) {
        ssize_t n = read(in, buf, COPY_CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            io_error(err, "не удалось прочитать копию базы данных", path, errno);
            goto out;
        }
        if (n == 0)
            break;
        if (gzwrite(gz, buf, (unsigned)n) != (int)n) {
            int zerr;
            gzerror(gz, &zerr);
            io_error(err, "не удалось записать резервную копию", "", zerr == Z_ERRNO ? errno : EIO);
            goto out;
        }
        *in_bytes += n;
    }
    errno = 0;
    int zc = gzclose_w(gz);
    gz = NULL;
    if (zc != Z_OK) {
        io_error(err, "не удалось записать резервную копию", "", errno ? errno : EIO);
        goto out;
    }
    rc = 0;
out:
    if (gz)
        gzclose_w(gz);
    if (dupfd >= 0)
        close(dupfd);
    if (in >= 0)
        close(in);
    free(buf);
    return rc;
}

static void unlink_db_files(const char *path)
{
    char side[1100];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-journal", path);
    unlink(side);
}

int store_backup_fd(store *s, int fd, store_backup_info *info, msk_err *err)
{
    char base[1100];
    msk_buf tmp;
    int rc = -1;
    store_backup_info local;
    if (!info)
        info = &local;
    memset(info, 0, sizeof *info);
    if (!db_sqlite(s->db))
        return on_server(err);
    msk_buf_init(&tmp, 2048);
    /* beside the database: the same file system holds a second copy there the way WAL and
     * import need room anyway, and /tmp may be a small tmpfs */
    snprintf(base, sizeof base, "%s.backup-", s->path);
    int tfd = temp_beside(&tmp, base, err);
    if (tfd < 0)
        goto out;
    close(tfd);
    if (copy_db(s, tmp.data, err))
        goto out;
    struct stat before;
    off_t start = lseek(fd, 0, SEEK_CUR);
    if (gzip_into(tmp.data, fd, &info->db_bytes, err))
        goto out;
    if (fstat(fd, &before) == 0 && S_ISREG(before.st_mode) && start >= 0)
        info->out_bytes = (int64_t)(lseek(fd, 0, SEEK_CUR) - start);
    info->schema = store_user_version(s);
    rc = 0;
out:
    if (tmp.len)
        unlink_db_files(tmp.data);
    msk_buf_release(&tmp);
    return rc;
}

int store_backup_file(store *s, const char *out_path, store_backup_info *info, msk_err *err)
{
    if (!strcmp(out_path, "-"))
        return store_backup_fd(s, STDOUT_FILENO, info, err);
    if (!db_sqlite(s->db))
        return on_server(err);
    char base[1100];
    msk_buf tmp;
    int rc = -1;
    msk_buf_init(&tmp, 2048);
    snprintf(base, sizeof base, "%s.part-", out_path);
    int fd = temp_beside(&tmp, base, err);
    if (fd < 0)
        goto out;
    if (store_backup_fd(s, fd, info, err))
        goto out;
    if (fsync(fd) != 0) {
        io_error(err, "не удалось записать резервную копию", out_path, errno);
        goto out;
    }
    if (close(fd) != 0) {
        fd = -1;
        io_error(err, "не удалось записать резервную копию", out_path, errno);
        goto out;
    }
    fd = -1;
    if (rename(tmp.data, out_path) != 0) {
        io_error(err, "не удалось записать резервную копию", out_path, errno);
        goto out;
    }
    msk_buf_reset(&tmp);
    fsync_dir(out_path);
    if (info) {
        struct stat stb;
        if (stat(out_path, &stb) == 0)
            info->out_bytes = (int64_t)stb.st_size;
    }
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    if (tmp.len)
        unlink(tmp.data);
    msk_buf_release(&tmp);
    return rc;
}

/* ---- restore ---- */

int store_open_elsewhere(const char *path)
{
    char shm[1100];
    snprintf(shm, sizeof shm, "%s-shm", path);
    int fd = open(shm, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0; /* no shared memory: no WAL connection open */
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = SHM_DMS_BYTE;
    fl.l_len = 1;
    int busy = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    close(fd);
    return busy;
}

/* Gunzip backup (already open as in) into the file out_fd. */
static int gunzip_into(int in, const char *backup, int out_fd, const char *out_path, msk_err *err)
{
    unsigned char magic[2];
    char *buf = NULL;
    gzFile gz = NULL;
    int rc = -1;
    if (pread(in, magic, 2, 0) != 2 || magic[0] != 0x1f || magic[1] != 0x8b) {
        close(in);
        return msk_error(err,
                         "%s не является резервной копией msoko (ожидается файл, созданный "
                         "командой msoko backup); база данных не изменена",
                         backup);
    }
    gz = gzdopen(in, "rb");
    if (!gz) {
        close(in);
        return msk_error(err, "не удалось прочитать %s", backup);
    }
    buf = msk_malloc(COPY_CHUNK);
    for (;;) {
        int n = gzread(gz, buf, COPY_CHUNK);
        int zerr = Z_OK;
        gzerror(gz, &zerr);
        if (n < 0 || (zerr != Z_OK && zerr != Z_STREAM_END)) {
            msk_error(err,
                      "файл резервной копии %s повреждён (%s): восстановить из него нельзя; "
                      "база данных не изменена",
                      backup,
                      zerr == Z_BUF_ERROR ? "файл обрезан" : "не сходится контрольная сумма");
            goto out;
        }
        if (n == 0)
            break;
        for (int off = 0; off < n;) {
            ssize_t w = write(out_fd, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0) {
                io_error(err, "не удалось записать восстановленную базу данных рядом с", out_path,
                         errno);
                goto out;
            }
            off += (int)w;
        }
    }
    rc = 0;
out:
    if (gz && gzclose_r(gz) != Z_OK && rc == 0)
        rc = msk_error(err,
                       "файл резервной копии %s повреждён (файл обрезан): восстановить из него "
                       "нельзя; база данных не изменена",
                       backup);
    free(buf);
    return rc;
}

/* Is the file at path an msoko database this build can open, whole and sound? */
static int check_copy(const char *path, const char *backup, int *schema, msk_err *err)
{
    db *d = NULL;
    db_stmt *st = NULL;
    int rc = -1, app = -1, ver = -1;
    char check[512] = "";
    if (db_open_sqlite(path, SQLITE_OPEN_READWRITE, &d) != DB_OK)
        goto notours;
    if (db_prepare(d, "PRAGMA application_id", &st) == DB_OK && db_step(st) == DB_ROW)
        app = db_column_int(st, 0);
    db_finalize(st);
    st = NULL;
    if (app != BACKUP_APP_ID)
        goto notours;
    if (db_prepare(d, "PRAGMA user_version", &st) == DB_OK && db_step(st) == DB_ROW)
        ver = db_column_int(st, 0);
    db_finalize(st);
    st = NULL;
    if (ver > schema_version()) {
        msk_error(err,
                  "резервная копия %s создана более новой версией msoko (схема %d, эта "
                  "программа знает %d): обновите msoko; база данных не изменена",
                  backup, ver, schema_version());
        goto out;
    }
    if (db_prepare(d, "PRAGMA integrity_check(5)", &st) == DB_OK) {
        int first = 1;
        while (db_step(st) == DB_ROW) {
            size_t n = strlen(check);
            snprintf(check + n, sizeof check - n, "%s%s", first ? "" : "; ", db_column_text(st, 0));
            first = 0;
        }
    }
    db_finalize(st);
    st = NULL;
    if (strcmp(check, "ok") != 0) {
        msk_error(err,
                  "резервная копия %s повреждена (проверка целостности: %s): восстановить из "
                  "неё нельзя; база данных не изменена",
                  backup, check[0] ? check : "не выполнена");
        goto out;
    }
    *schema = ver;
    rc = 0;
    goto out;
notours:
    msk_error(err,
              "%s не является резервной копией msoko (внутри не база данных msoko); база данных "
              "не изменена",
              backup);
out:
    db_finalize(st);
    db_close(d);
    return rc;
}

/* May the existing file db_path be replaced? An msoko database (sound or damaged), an empty file,
 * or a file whose SQLite header is there but unreadable (a damaged msoko file: restoring it is
 * the point) may; another program's database and a file that is no database at all may not —
 * a mistyped path must not lose someone else's file. */
static int target_replaceable(const char *db_path, msk_err *err)
{
    char head[16];
    int fd = open(db_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return msk_error(err, "не удалось прочитать файл %s: %s; база данных не изменена", db_path,
                         strerror(errno));
    ssize_t n = read(fd, head, sizeof head);
    close(fd);
    if (n == 0)
        return 0;
    if (n != (ssize_t)sizeof head || memcmp(head, "SQLite format 3", 16) != 0)
        return msk_error(err,
                         "%s — не файл базы данных msoko: восстановление не заменяет другие "
                         "файлы; укажите файл базы msoko или новый файл",
                         db_path);
    db *d = NULL;
    db_stmt *st = NULL;
    int app = -1;
    if (db_open_sqlite(db_path, SQLITE_OPEN_READONLY, &d) == DB_OK &&
        db_prepare(d, "PRAGMA application_id", &st) == DB_OK && db_step(st) == DB_ROW)
        app = db_column_int(st, 0);
    db_finalize(st);
    db_close(d);
    if (app >= 0 && app != BACKUP_APP_ID)
        return msk_error(err,
                         "%s — база данных другой программы, а не msoko: восстановление не "
                         "заменяет чужие файлы; укажите файл базы msoko или новый файл",
                         db_path);
    return 0;
}

/* Fold the old database's WAL into its file, so that the WAL removed before the rename holds
 * nothing that a crash between the two steps would lose (and no WAL of the old file is ever
 * replayed onto the new one). A broken old file is replaced as it is. */
static void retire_old(const char *db_path)
{
    db *d = NULL;
    if (db_open_sqlite(db_path, SQLITE_OPEN_READWRITE, &d) == DB_OK)
        db_exec(d, "PRAGMA wal_checkpoint(TRUNCATE)");
    db_close(d);
    char side[1100];
    snprintf(side, sizeof side, "%s-wal", db_path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", db_path);
    unlink(side);
}

int store_restore(const char *backup_path, const char *db_path, store_backup_info *info,
                  msk_err *err)
{
    store_backup_info local;
    msk_buf tmp;
    char base[1100];
    struct stat bst, tst;
    int rc = -1, fd = -1;
    if (!info)
        info = &local;
    memset(info, 0, sizeof *info);
    if (db_is_postgres_uri(db_path))
        return on_server(err);
    int in = open(backup_path, O_RDONLY | O_CLOEXEC);
    if (in < 0 || fstat(in, &bst) != 0 || !S_ISREG(bst.st_mode)) {
        int e = errno;
        if (in >= 0)
            close(in);
        return msk_error(err, "не удалось открыть файл резервной копии %s: %s", backup_path,
                         in >= 0 ? "это не файл" : strerror(e));
    }
    info->out_bytes = (int64_t)bst.st_size;
    int exists = stat(db_path, &tst) == 0;
    if (exists && !S_ISREG(tst.st_mode)) {
        close(in);
        return msk_error(err, "%s — это не файл базы данных", db_path);
    }
    if (exists && target_replaceable(db_path, err)) {
        close(in);
        return -1;
    }
    if (exists && store_open_elsewhere(db_path)) {
        close(in);
        return msk_error(err,
                         "база данных %s сейчас открыта другой программой (например, работает "
                         "веб-сервер msoko): остановите её и повторите восстановление; база "
                         "данных не изменена",
                         db_path);
    }
    msk_buf_init(&tmp, 2048);
    snprintf(base, sizeof base, "%s.restore-", db_path);
    fd = temp_beside(&tmp, base, err);
    if (fd < 0) {
        close(in);
        goto out;
    }
    if (gunzip_into(in, backup_path, fd, db_path, err)) /* closes in */
        goto out;
    if (fsync(fd) != 0) {
        io_error(err, "не удалось записать восстановленную базу данных", tmp.data, errno);
        goto out;
    }
    struct stat cst;
    if (fstat(fd, &cst) == 0)
        info->db_bytes = (int64_t)cst.st_size;
    if (exists) { /* the restored file keeps the old one's owner and rights */
        if (fchmod(fd, tst.st_mode & 07777) != 0 && errno != EPERM)
            goto fail_io;
        if (geteuid() == 0 && fchown(fd, tst.st_uid, tst.st_gid) != 0)
            goto fail_io;
    }
    close(fd);
    fd = -1;
    if (check_copy(tmp.data, backup_path, &info->schema, err))
        goto out;
    {
        char side[1100];
        snprintf(side, sizeof side, "%s-wal", tmp.data);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", tmp.data);
        unlink(side);
    }
    if (exists)
        retire_old(db_path);
    if (rename(tmp.data, db_path) != 0) {
        io_error(err, "не удалось заменить файл базы данных", db_path, errno);
        goto out;
    }
    msk_buf_reset(&tmp);
    fsync_dir(db_path);
    rc = 0;
    goto out;
fail_io:
    io_error(err, "не удалось записать восстановленную базу данных", tmp.data, errno);
out:
    if (fd >= 0)
        close(fd);
    if (tmp.len)
        unlink_db_files(tmp.data);
    msk_buf_release(&tmp);
    return rc;
}

/* ---- health of a server's connection ---- */

int store_lost(store *s, msk_err *err)
{
    int moved = 0;
    sqlite3 *lite = db_sqlite(s->db);
    if (!lite) { /* a server has no file to lose: only its connection */
        db_stmt *q = NULL;
        int r = db_prepare(s->db, "SELECT 1", &q) == DB_OK ? db_step(q) : DB_ERROR;
        db_finalize(q);
        if (r != DB_ROW && db_errclass(s->db) == DB_E_CONNECTION) {
            msk_error(err, "база данных %s недоступна: %s", s->path, db_errmsg(s->db));
            return 1;
        }
        return 0;
    }
    if (sqlite3_file_control(lite, "main", SQLITE_FCNTL_HAS_MOVED, &moved) == SQLITE_OK && moved) {
        msk_error(err, "файл базы данных %s удалён или заменён, пока сервер работал", s->path);
        return 1;
    }
    /* the raw call: the switch needs SQLite's own code of the failure */
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(lite, "PRAGMA schema_version", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    sqlite3_finalize(st);
    switch (rc & 0xff) {
    case SQLITE_ROW:
    case SQLITE_DONE:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return 0;
    case SQLITE_IOERR:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
        msk_error(err, "база данных %s недоступна: %s", s->path, sqlite3_errstr(rc));
        return 1;
    default:
        return 0;
    }
}
