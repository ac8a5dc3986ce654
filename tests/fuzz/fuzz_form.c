/*
 * libFuzzer target for the web's request parsers (src/web/form.c): the input is parsed as an
 * urlencoded body, as a multipart body (with a fixed boundary and with one taken from the
 * input's first line) and as a Cookie header. Besides the sanitizers: every field parsed
 * points inside the arena and is NUL-terminated at its length.
 */
#include "web/internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const web_form *f)
{
    for (size_t i = 0; i < f->n; i++) {
        MSK_ASSERT(f->fields[i].name && f->fields[i].value);
        MSK_ASSERT(f->fields[i].value[f->fields[i].value_len] == '\0');
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    web_arena a = {0};
    web_form f = {0};
    web_form_urlencoded(&a, s, size, &f);
    check(&f);
    memset(&f, 0, sizeof f);
    web_form_multipart(&a, "multipart/form-data; boundary=B", s, size, &f);
    check(&f);
    const char *nl = memchr(s, '\n', size);
    if (nl && nl - s < 200) {
        char ct[256] = "multipart/form-data; boundary=";
        memcpy(ct + strlen(ct), s, (size_t)(nl - s));
        memset(&f, 0, sizeof f);
        web_form_multipart(&a, ct, nl + 1, size - (size_t)(nl - s) - 1, &f);
        check(&f);
    }
    char *z = malloc(size + 1), v[128];
    memcpy(z, s, size);
    z[size] = '\0';
    web_cookie(z, "msoko_session", v, sizeof v);
    free(z);
    web_arena_release(&a);
    return 0;
}
