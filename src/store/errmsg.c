/*
 * SQLite's failures in words a person can act on: a full disk, a file system gone read-only,
 * a failing disk, a damaged file, a database busy with another write — in Russian, with what
 * to do. Anything else keeps SQLite's own message (it names the constraint or the column).
 */
#include "store/internal.h"

#include <errno.h>

const char *store_errmsg(store *s, const char *fallback)
{
    int code = sqlite3_extended_errcode(s->db);
    int sys = sqlite3_system_errno(s->db);
    switch (code & 0xff) {
    case SQLITE_FULL:
        return "на диске не хватает места; запись не выполнена, база данных не изменена — "
               "освободите место и повторите";
    case SQLITE_READONLY:
        return "файл базы данных доступен только для чтения; запись не выполнена, база данных "
               "не изменена — проверьте права доступа к файлу и каталогу";
    case SQLITE_IOERR:
        if (sys == ENOSPC || sys == EDQUOT)
            return "на диске не хватает места; запись не выполнена, база данных не изменена — "
                   "освободите место и повторите";
        if (sys == EROFS)
            return "диск с базой данных стал доступен только для чтения; запись не выполнена, "
                   "база данных не изменена — проверьте диск и повторите";
        if (sys == EACCES || sys == EPERM)
            return "нет прав на запись в файл базы данных или его каталог; запись не "
                   "выполнена, база данных не изменена";
        return "ошибка чтения или записи диска; запись не выполнена, база данных не изменена "
               "— проверьте диск и повторите";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return "файл базы данных повреждён — восстановите его из резервной копии";
    case SQLITE_BUSY:
        return "база данных занята другой записью (идёт загрузка или анализ) — повторите "
               "позже";
    default:
        return fallback ? fallback : sqlite3_errmsg(s->db);
    }
}
