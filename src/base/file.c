/*
 * Whole small files into memory (file.h).
 */
#include "base/file.h"

#include "base/mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int msk_file_read(const char *path, size_t max, char **data, size_t *len, msk_err *err)
{
    *data = NULL;
    *len = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return msk_error_at(err, path, 0, 0, "не удалось открыть файл: %s", strerror(errno));
    char *buf = msk_malloc(max + 2);
    size_t n = fread(buf, 1, max + 1, fp);
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        free(buf);
        return msk_error_at(err, path, 0, 0, "ошибка чтения файла");
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}
