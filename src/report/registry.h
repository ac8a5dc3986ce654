/*
 * A registry's list (view/registry.h) as a file people open: CSV (UTF-8 with BOM, `;`, the
 * kind's Russian headers — the same file loads back with `msoko registry import`) and XLSX.
 * Text cells never run as formulas (base/sheet.h).
 */
#ifndef MSK_REPORT_REGISTRY_H
#define MSK_REPORT_REGISTRY_H

#include "base/buf.h"
#include "base/err.h"

#include <jansson.h>

void report_registry_csv(const json_t *list, msk_buf *out);
int report_registry_xlsx(const json_t *list, const char *path, msk_err *err);

#endif
