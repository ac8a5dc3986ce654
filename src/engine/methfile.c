/*
 * Methodology files from disk (methfile.h).
 */
#include "engine/methfile.h"

#include "base/file.h"

#include <stdlib.h>

int engine_meth_load(const char *path, meth_file **out, msk_err *err)
{
    char *text;
    size_t len;
    *out = NULL;
    if (msk_file_read(path, METH_MAX_BYTES, &text, &len, err))
        return -1;
    int rc = meth_load_mem(path, text, len, out, err);
    free(text);
    return rc;
}
