/*
 * Embedded assets (templates, CSS, JS from web/, compiled in by web/embed.c): lookup by name and
 * strong ETags (FNV-1a of the content), computed once at start.
 */
#include "web/internal.h"

#include "base/mem.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Filled once, before the first answer reads one: the server's threads share them. */
static char (*etags)[24];
static pthread_once_t etags_once = PTHREAD_ONCE_INIT;

static void etags_fill(void)
{
    etags = msk_calloc(WEB_NASSETS ? WEB_NASSETS : 1, sizeof *etags);
    for (size_t i = 0; i < WEB_NASSETS; i++) {
        const web_asset *a = &WEB_ASSETS[i];
        uint64_t h = 1469598103934665603ULL;
        for (size_t k = 0; k < a->len; k++)
            h = (h ^ a->data[k]) * 1099511628211ULL;
        snprintf(etags[i], sizeof etags[i], "\"%016llx\"", (unsigned long long)h);
    }
}

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
    pthread_once(&etags_once, etags_fill);
    if (i >= WEB_NASSETS)
        return "";
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
