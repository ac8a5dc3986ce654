/*
 * The pure part of routing: is a decoded request path acceptable, and which row of a route
 * table does it match. No server, no connection: fuzzed by tests/fuzz/fuzz_router.c.
 * libmicrohttpd hands the handler the path already percent-decoded once (%2e%2e%2f arrives as
 * "../"); it is checked here once more so that no encoded variant reaches a handler: no control
 * byte, no backslash, no empty, "." or ".." segment, and valid UTF-8 only (no overlong form of
 * "." or "/"). A double-encoded %252e stays the three characters "%2e", which no route decodes.
 */
#include "web/internal.h"

#include <string.h>

/* The length of the valid UTF-8 sequence at s (shortest form only, no surrogates), 0 if none. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t len = c >= 0xC2 && c <= 0xDF   ? 2
                 : c >= 0xE0 && c <= 0xEF ? 3
                 : c >= 0xF0 && c <= 0xF4 ? 4
                                          : 0;
    if (!len || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if (c == 0xE0 && s[1] < 0xA0) /* overlong 3-byte */
        return 0;
    if (c == 0xED && s[1] > 0x9F) /* surrogates */
        return 0;
    if (c == 0xF0 && s[1] < 0x90) /* overlong 4-byte */
        return 0;
    if (c == 0xF4 && s[1] > 0x8F) /* past U+10FFFF */
        return 0;
    return len;
}

int web_path_ok(const char *path, size_t n)
{
    const unsigned char *p = (const unsigned char *)path;
    if (n == 0 || n > WEB_PATH_MAX || p[0] != '/')
        return 0;
    size_t seg = 1; /* start of the current segment */
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        if (c < 0x20 || c == 0x7F || c == '\\')
            return 0;
        if (c == '/' && i > 0) {
            size_t sl = i - seg;
            if (sl == 0 || (sl == 1 && p[seg] == '.') ||
                (sl == 2 && p[seg] == '.' && p[seg + 1] == '.'))
                return 0;
            seg = i + 1;
        }
        size_t l = utf8_len(p + i, n - i);
        if (!l)
            return 0;
        i += l;
    }
    size_t sl = n - seg; /* the last segment: empty is a trailing slash, allowed only for "/" */
    if ((sl == 0 && n > 1) || (sl == 1 && p[seg] == '.') ||
        (sl == 2 && p[seg] == '.' && p[seg + 1] == '.'))
        return 0;
    return 1;
}

/* Does pattern match path? ":" segments (one path segment each, at most two) are captured. */
static int route_match(const char *pattern, const char *path, const char *caps[2], size_t caplen[2])
{
    int nc = 0;
    const char *p = pattern, *q = path;
    caps[0] = caps[1] = NULL;
    caplen[0] = caplen[1] = 0;
    while (*p && *q) {
        if (*p == ':') {
            const char *e = strchr(q, '/');
            size_t n = e ? (size_t)(e - q) : strlen(q);
            if (n == 0 || nc >= 2)
                return 0;
            caps[nc] = q;
            caplen[nc++] = n;
            q += n;
            p++;
        } else if (*p == *q) {
            p++;
            q++;
        } else {
            return 0;
        }
    }
    return !*p && !*q;
}

const web_route *web_route_find(const web_route *routes, size_t n, const char *method,
                                const char *path, web_arena *a, const char **param,
                                const char **param2, int *path_known)
{
    *path_known = 0;
    *param = *param2 = NULL;
    for (size_t i = 0; i < n; i++) {
        const char *caps[2];
        size_t caplen[2];
        if (!route_match(routes[i].pattern, path, caps, caplen))
            continue;
        *path_known = 1;
        if (!strcmp(routes[i].method, method) ||
            (!strcmp(routes[i].method, "GET") && !strcmp(method, "HEAD"))) {
            if (caps[0])
                *param = web_arena_strndup(a, caps[0], caplen[0]);
            if (caps[1])
                *param2 = web_arena_strndup(a, caps[1], caplen[1]);
            return &routes[i];
        }
    }
    return NULL;
}
