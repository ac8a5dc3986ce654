/*
 * The database's failures in words a person can act on: a full disk, a file system gone
 * read-only, a failing disk, a damaged file, a database busy with another write, a lost
 * server — in Russian, with what to do. Anything else keeps the engine's own message (it names
 * the constraint or the column). The classes come from the engine seam (db_errclass, db.h).
 */
#include "store/internal.h"

const char *store_errmsg(store *s, const char *fallback)
{
    switch (db_errclass(s->db)) {
    case DB_E_FULL:
        return "на диске не хватает места; запись не выполнена, база данных не изменена — "
               "освободите место и повторите";
    case DB_E_READONLY:
        return "файл базы данных доступен только для чтения; запись не выполнена, база данных "
               "не изменена — проверьте права доступа к файлу и каталогу";
    case DB_E_ROFS:
        return "диск с базой данных стал доступен только для чтения; запись не выполнена, "
               "база данных не изменена — проверьте диск и повторите";
    case DB_E_PERM:
        return "нет прав на запись в файл базы данных или его каталог; запись не "
               "выполнена, база данных не изменена";
    case DB_E_IO:
        return "ошибка чтения или записи диска; запись не выполнена, база данных не изменена "
               "— проверьте диск и повторите";
    case DB_E_CORRUPT:
        return "файл базы данных повреждён — восстановите его из резервной копии";
    case DB_E_BUSY:
    case DB_E_SNAPSHOT:
        return "база данных занята другой записью (идёт загрузка или анализ) — повторите "
               "позже";
    case DB_E_CONNECTION:
        return "соединение с сервером базы данных потеряно; запись не выполнена, база данных "
               "не изменена — проверьте сервер и повторите";
    default:
        return fallback ? fallback : db_errmsg(s->db);
    }
}
