/*
 * Methodology files from disk: the engine reads the bytes (method/ is pure and opens nothing)
 * and hands them to meth_load_mem.
 */
#ifndef MSK_ENGINE_METHFILE_H
#define MSK_ENGINE_METHFILE_H

#include "base/err.h"
#include "method/methodology.h"

/* Parse the INI file at path. Errors name the file and line («methods/shnor.ini:12: …»). */
int engine_meth_load(const char *path, meth_file **out, msk_err *err);

#endif
