/*
 * Embedded assets (templates, CSS, JS from web/, compiled in by web/embed.c): lookup by name and
 * strong ETags (FNV-1a of the content), computed once at start.
 */
#include "web/internal.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static char etags[64][24];

const web_asset *web_asset_find(const char *name)
{
    for (size_t i = 0; i < WEB_NASSETS; i++)
        if (!strcmp(WEB_ASSETS[i].name, name))
            return &WEB_ASSETS[i];
    return NULL;
}

const char *web_asset_etag(const web_asset *a)
{
    size_t i = (size_t)(a - WEB_ASSETS);
    if (i >= sizeof etags / sizeof etags[0])
        return "";
    if (!etags[i][0]) {
        uint64_t h = 1469598103934665603ULL;
        for (size_t k = 0; k < a->len; k++)
            h = (h ^ a->data[k]) * 1099511628211ULL;
        snprintf(etags[i], sizeof etags[i], "\"%016llx\"", (unsigned long long)h);
    }
    return etags[i];
}

const char *web_template(void *ctx, const char *name, size_t *len)
{
    if (ctx && !strcmp(name, "content"))
        name = *(const char *const *)ctx;
    char path[160];
    snprintf(path, sizeof path, "tmpl/%s.html", name);
    const web_asset *a = web_asset_find(path);
    if (!a)
        return NULL;
    *len = a->len;
    return (const char *)a->data;
}
