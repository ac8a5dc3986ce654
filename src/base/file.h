/*
 * Whole small files into memory (methodology and rule files): the readers above base/ parse
 * text, so the pure layers never open a file themselves.
 */
#ifndef MSK_FILE_H
#define MSK_FILE_H

#include "base/err.h"

#include <stddef.h>

/* The bytes of the file at path in *data (NUL-terminated; free with free) and their number in
 * *len. Reads at most max + 1 bytes, so that a caller can tell a file longer than max. Errors
 * name the file; *data is NULL on failure. */
int msk_file_read(const char *path, size_t max, char **data, size_t *len, msk_err *err);

#endif
