/*
 * A fault-injecting SQLite VFS for the crash and fault tests (tests/cli/crash.sh), loaded with
 * LD_PRELOAD into a test run only: it is never linked into msoko, so nothing in a production
 * binary reads these variables. At load it wraps the default VFS and counts "write events"
 * (xWrite, xSync, xTruncate on any database, WAL or journal file) across the process:
 *   MSOKO_FAULT_COUNT=FILE   write the number of events so far into FILE after each event
 *   MSOKO_FAULT_KILL_AT=N    SIGKILL the process just before event N (kill -9 at a point that
 *                            is the same on every run of the same command: SQLite's own crash
 *                            tests work this way)
 *   MSOKO_FAULT_FAIL_AT=N    from event N on, every write fails with MSOKO_FAULT_CODE:
 *                            "full" (SQLITE_FULL, a full disk) or "rofs" (SQLITE_IOERR_WRITE with
 *                            errno EROFS, the file system gone read-only)
 *   MSOKO_FAULT_IOERR_FLAG=F while file F exists, reads, writes and shared-memory locks fail
 *                            with SQLITE_IOERR (a disk that stops answering under a server)
 * Build: cc -shared -fPIC -o faultvfs.so tests/tools/faultvfs.c -lsqlite3
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct ffile {
    sqlite3_file base;
    sqlite3_file *real; /* follows this struct in the same allocation */
} ffile;

static struct {
    sqlite3_vfs vfs;
    sqlite3_vfs *orig;
    sqlite3_io_methods io;
    long events;
    long kill_at, fail_at;
    int fail_code, failed;
    const char *count_file, *ioerr_flag;
} F;

static int ioerr_now(void)
{
    return F.ioerr_flag && access(F.ioerr_flag, F_OK) == 0;
}

/* One write event: count it, then kill or fail as asked. Returns an SQLite code to return
 * instead of doing the write, or SQLITE_OK to go on. */
static int write_event(void)
{
    long n = __atomic_add_fetch(&F.events, 1, __ATOMIC_SEQ_CST);
    if (F.kill_at > 0 && n >= F.kill_at)
        raise(SIGKILL);
    if (F.count_file) {
        int fd = open(F.count_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            char b[32];
            int len = snprintf(b, sizeof b, "%ld\n", n);
            if (write(fd, b, (size_t)len) < 0) {
                /* the count is best effort */
            }
            close(fd);
        }
    }
    if (F.fail_at > 0 && n >= F.fail_at) {
        F.failed = 1;
        return F.fail_code;
    }
    if (ioerr_now())
        return SQLITE_IOERR_WRITE;
    return SQLITE_OK;
}

#define REAL(f) (((ffile *)(f))->real)

static int f_close(sqlite3_file *f)
{
    int rc = REAL(f)->pMethods ? REAL(f)->pMethods->xClose(REAL(f)) : SQLITE_OK;
    return rc;
}
static int f_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
    if (ioerr_now())
        return SQLITE_IOERR_READ;
    return REAL(f)->pMethods->xRead(REAL(f), p, n, off);
}
static int f_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
    int rc = write_event();
    return rc != SQLITE_OK ? rc : REAL(f)->pMethods->xWrite(REAL(f), p, n, off);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    int rc = write_event();
    return rc != SQLITE_OK ? rc : REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int f_sync(sqlite3_file *f, int flags)
{
    int rc = write_event();
    return rc != SQLITE_OK ? rc : REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int f_lock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xLock(REAL(f), l);
}
static int f_unlock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int f_reserved(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int f_fcntl(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int f_sector(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int f_devchar(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int f_shmmap(sqlite3_file *f, int pg, int sz, int extend, void volatile **pp)
{
    if (ioerr_now())
        return SQLITE_IOERR_SHMMAP;
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, extend, pp);
}
static int f_shmlock(sqlite3_file *f, int off, int n, int flags)
{
    if (ioerr_now() && (flags & SQLITE_SHM_LOCK))
        return SQLITE_IOERR_SHMLOCK;
    return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void f_shmbarrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int f_shmunmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}
static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
    return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}
static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    ffile *ff = (ffile *)f;
    ff->real = (sqlite3_file *)&ff[1];
    memset(ff->real, 0, (size_t)F.orig->szOsFile);
    int rc = F.orig->xOpen(F.orig, name, ff->real, flags, out);
    if (ff->real->pMethods) {
        /* one table for every file: the unix VFS gives all of them the same version */
        F.io.iVersion = ff->real->pMethods->iVersion;
        f->pMethods = &F.io;
    } else {
        f->pMethods = NULL;
    }
    (void)vfs;
    return rc;
}
static int v_delete(sqlite3_vfs *v, const char *name, int sync)
{
    return F.orig->xDelete(F.orig, name, sync);
}
static int v_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
    return F.orig->xAccess(F.orig, name, flags, out);
}
static int v_fullpath(sqlite3_vfs *v, const char *name, int n, char *out)
{
    return F.orig->xFullPathname(F.orig, name, n, out);
}
static void *v_dlopen(sqlite3_vfs *v, const char *p)
{
    return F.orig->xDlOpen(F.orig, p);
}
static void v_dlerror(sqlite3_vfs *v, int n, char *out)
{
    F.orig->xDlError(F.orig, n, out);
}
static void (*v_dlsym(sqlite3_vfs *v, void *h, const char *s))(void)
{
    return F.orig->xDlSym(F.orig, h, s);
}
static void v_dlclose(sqlite3_vfs *v, void *h)
{
    F.orig->xDlClose(F.orig, h);
}
static int v_random(sqlite3_vfs *v, int n, char *out)
{
    return F.orig->xRandomness(F.orig, n, out);
}
static int v_sleep(sqlite3_vfs *v, int us)
{
    return F.orig->xSleep(F.orig, us);
}
static int v_time(sqlite3_vfs *v, double *out)
{
    return F.orig->xCurrentTime(F.orig, out);
}
static int v_lasterr(sqlite3_vfs *v, int n, char *out)
{
    if (F.failed && F.fail_code == SQLITE_IOERR_WRITE)
        return EROFS; /* what the unix VFS reports for a write to a read-only file system */
    return F.orig->xGetLastError ? F.orig->xGetLastError(F.orig, n, out) : 0;
}
static int v_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
    return F.orig->xCurrentTimeInt64(F.orig, out);
}

static long env_long(const char *name)
{
    const char *s = getenv(name);
    return s && *s ? strtol(s, NULL, 10) : 0;
}

__attribute__((constructor)) static void faultvfs_init(void)
{
    sqlite3_initialize();
    F.orig = sqlite3_vfs_find(NULL);
    if (!F.orig)
        return;
    F.kill_at = env_long("MSOKO_FAULT_KILL_AT");
    F.fail_at = env_long("MSOKO_FAULT_FAIL_AT");
    const char *code = getenv("MSOKO_FAULT_CODE");
    F.fail_code = code && !strcmp(code, "rofs") ? SQLITE_IOERR_WRITE : SQLITE_FULL;
    F.count_file = getenv("MSOKO_FAULT_COUNT");
    F.ioerr_flag = getenv("MSOKO_FAULT_IOERR_FLAG");
    F.io = (sqlite3_io_methods){3,         f_close,  f_read,    f_write,      f_truncate, f_sync,
                                f_size,    f_lock,   f_unlock,  f_reserved,   f_fcntl,    f_sector,
                                f_devchar, f_shmmap, f_shmlock, f_shmbarrier, f_shmunmap, f_fetch,
                                f_unfetch};
    F.vfs = *F.orig;
    F.vfs.iVersion = 3;
    F.vfs.zName = "faultvfs";
    F.vfs.szOsFile = (int)sizeof(ffile) + F.orig->szOsFile;
    F.vfs.pNext = NULL;
    F.vfs.pAppData = NULL;
    F.vfs.xOpen = v_open;
    F.vfs.xDelete = v_delete;
    F.vfs.xAccess = v_access;
    F.vfs.xFullPathname = v_fullpath;
    F.vfs.xDlOpen = v_dlopen;
    F.vfs.xDlError = v_dlerror;
    F.vfs.xDlSym = v_dlsym;
    F.vfs.xDlClose = v_dlclose;
    F.vfs.xRandomness = v_random;
    F.vfs.xSleep = v_sleep;
    F.vfs.xCurrentTime = v_time;
    F.vfs.xGetLastError = v_lasterr;
    F.vfs.xCurrentTimeInt64 = v_time64;
    F.vfs.xSetSystemCall = NULL;
    F.vfs.xGetSystemCall = NULL;
    F.vfs.xNextSystemCall = NULL;
    sqlite3_vfs_register(&F.vfs, 1);
}
