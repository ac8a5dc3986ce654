/*
 * libFuzzer target for the Cookie header parser (web_cookie, src/web/form.c) as the server
 * uses it: the session cookie under both names (plain and __Host-), the pre-session cookie,
 * into buffers of the sizes the server gives. Besides the sanitizers: a value found fits its
 * buffer, is NUL-terminated, holds no ";" and is a substring of the header right after
 * "name=".
 */
#include "web/internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const char *h, const char *name, size_t outsz)
{
    char out[80];
    memset(out, 'x', sizeof out);
    if (web_cookie(h, name, out, outsz))
        return;
    size_t vl = strlen(out);
    MSK_ASSERT(vl < outsz);
    MSK_ASSERT(!strchr(out, ';'));
    size_t nl = strlen(name);
    int seen = 0;
    for (const char *p = strstr(h, name); p && !seen; p = strstr(p + 1, name))
        seen = p[nl] == '=' && !strncmp(p + nl + 1, out, vl);
    MSK_ASSERT(seen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *h = malloc(size + 1);
    memcpy(h, data, size);
    h[size] = '\0';
    one(h, "msoko_session", 80);
    one(h, "__Host-msoko_session", 80);
    one(h, "msoko_pre", 65);
    one(h, "a", 1);
    free(h);
    return 0;
}
