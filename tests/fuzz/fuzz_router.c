/*
 * libFuzzer target for routing without a server (src/web/router.c): the input's first line is
 * a method, the rest a decoded request path. Besides the sanitizers: a path web_path_ok
 * accepts has no "." or ".." segment, no empty segment, no control byte or backslash; a route
 * found matches the method; its ":" captures are non-empty and hold no "/"; a path it refuses
 * is never routed by the server (checked there first).
 */
#include "web/internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int h(web_req *r)
{
    (void)r;
    return 0;
}

/* the shapes of WEB_ROUTES (src/web/routes.c) */
static const web_route ROUTES[] = {
    {"GET", "/", h, 0, "", 1},
    {"POST", "/login", h, 0, "", 0},
    {"GET", "/schools/:", h, 0, "", 1},
    {"GET", "/forms/:", h, 0, "", 0},
    {"GET", "/forms/:/table", h, 0, "", 0},
    {"GET", "/forms/:/:", h, 0, "", 0},
    {"POST", "/forms/:/:/approve", h, 0, "", 0},
    {"POST", "/imports/:/undo", h, 0, "", 0},
    {"GET", "/open/schools/:", h, 0, "", 1},
    {"GET", "/static/:", h, 0, "", 0},
};

static void check_path(const char *p, size_t n)
{
    MSK_ASSERT(n > 0 && p[0] == '/');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        MSK_ASSERT(c >= 0x20 && c != 0x7F && c != '\\');
        if (c == '/') {
            const char *s = p + i + 1;
            size_t rest = n - i - 1;
            MSK_ASSERT(!(rest >= 1 && s[0] == '/'));
            MSK_ASSERT(!(rest == 1 && s[0] == '.') && !(rest >= 2 && s[0] == '.' && s[1] == '/'));
            MSK_ASSERT(!(rest == 2 && s[0] == '.' && s[1] == '.') &&
                       !(rest >= 3 && s[0] == '.' && s[1] == '.' && s[2] == '/'));
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    const char *nl = memchr(s, '\n', size);
    if (!nl || nl - s > 16)
        return 0;
    char method[17];
    memcpy(method, s, (size_t)(nl - s));
    method[nl - s] = '\0';
    size_t n = size - (size_t)(nl - s) - 1;
    char *path = malloc(n + 1);
    memcpy(path, nl + 1, n);
    path[n] = '\0';
    if (strlen(path) == n && web_path_ok(path, n)) {
        check_path(path, n);
        web_arena a = {0};
        const char *p1, *p2;
        int known = 0;
        const web_route *rt = web_route_find(ROUTES, sizeof ROUTES / sizeof ROUTES[0], method, path,
                                             &a, &p1, &p2, &known);
        if (rt) {
            MSK_ASSERT(known);
            MSK_ASSERT(!strcmp(rt->method, method) ||
                       (!strcmp(method, "HEAD") && !strcmp(rt->method, "GET")));
            MSK_ASSERT(!p1 || (*p1 && !strchr(p1, '/')));
            MSK_ASSERT(!p2 || (*p2 && !strchr(p2, '/')));
        }
        web_arena_release(&a);
    }
    free(path);
    return 0;
}
