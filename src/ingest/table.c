/* tbl_open: the one place a file's format is told from its first bytes (table.h). */
#include "ingest/table.h"

#include "ingest/csv.h"
#include "ingest/xlsx.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int tbl_open(const char *path, const char *sheet, tbl_reader **rd, msk_err *err)
{
    unsigned char magic[4] = {0};
    FILE *f = fopen(path, "rb");
    if (!f)
        return msk_error_at(err, path, 0, 0, "не удалось открыть файл: %s", strerror(errno));
    size_t n = fread(magic, 1, 4, f);
    fclose(f);
    if (n == 4 && memcmp(magic, "PK\x03\x04", 4) == 0)
        return xlsx_open(path, sheet, rd, err);
    if (n == 4 && memcmp(magic, "\xD0\xCF\x11\xE0", 4) == 0)
        return msk_error_at(err, path, 0, 0,
                            "формат .xls (Excel 97–2003) не поддерживается: "
                            "сохраните файл как .xlsx или .csv");
    return csv_open(path, rd, err);
}
