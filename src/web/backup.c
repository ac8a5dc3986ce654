/*
 * GET /admin/backup: the admin downloads a fresh backup of the whole database (the same file
 * `msoko backup` writes: a consistent snapshot, gzip). The copy is made into an unlinked
 * temporary file beside the database and sent from it, so memory stays flat whatever the size;
 * the download is audited after the snapshot, so the copy does not contain its own row.
 */
#include "web/internal.h"

#include "app/app.h"
#include "store/backup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int web_h_backup(web_req *r);

/* An unlinked file beside the database, its descriptor above stdio's (fd 0 means "none" in
 * web_req.send_fd). */
static int temp_file(const char *db)
{
    char path[1100];
    snprintf(path, sizeof path, "%s.download-XXXXXX", db);
    int fd = mkostemp(path, O_CLOEXEC);
    if (fd < 0)
        return -1;
    unlink(path);
    if (fd <= 2) {
        int hi = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        close(fd);
        fd = hi;
    }
    return fd;
}

int web_h_backup(web_req *r)
{
    msk_err err;
    store_backup_info info;
    msk_err_clear(&err);
    int fd = temp_file(store_path(r->db));
    if (fd < 0)
        return web_fail(r, 500,
                        "Не удалось сделать резервную копию: нет места или прав для временного "
                        "файла рядом с базой данных");
    if (store_backup_fd(r->db, fd, &info, &err)) {
        close(fd);
        /* the message names files of the server: not for the page */
        if (strstr(err.msg, "места на диске"))
            return web_fail(r, 507,
                            "Не удалось сделать резервную копию: на диске сервера не хватает "
                            "места");
        return web_fail(r, 500, "Не удалось сделать резервную копию базы данных");
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return web_fail(r, 500, "Не удалось сделать резервную копию базы данных");
    }
    char day[16];
    app_actor a;
    web_actor(r, &a);
    /* an import may hold the write lock for longer than one busy timeout (5 s): the snapshot
     * is already taken, so wait for it up to a minute rather than send an unaudited copy */
    int audited = 0;
    for (int i = 0; i < 12 && !audited; i++) {
        msk_err_clear(&err);
        audited = app_backup_download(r->db, &a, info.schema, (int64_t)st.st_size, &err) == 0;
    }
    if (!audited) {
        close(fd);
        return web_fail(r, 503,
                        "Не удалось записать скачивание копии в журнал: база данных занята "
                        "долгой записью. Повторите позже.");
    }
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(day, sizeof day, "%Y-%m-%d", &tm);
    msk_buf_reset(&r->out);
    r->send_fd = fd;
    r->send_len = (uint64_t)st.st_size;
    r->ctype = "application/gzip";
    snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"msoko-%s.db.gz\"", day);
    return 0;
}
