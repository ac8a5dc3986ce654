/*
 * libFuzzer target for the template renderer (src/web/tmpl.c). The input is split at the first
 * NUL byte: the part before it is the template, the part after it a JSON model (an empty or
 * invalid model renders against {"a": [{"b": "<x>"}], "n": null}). Besides the sanitizers:
 * the output of a successful render never holds a raw '<' that came from the model, i.e.
 * rendering with escaping on a model of only "<" strings adds no '<' beyond the template's.
 */
#include "base/err.h"
#include "web/tmpl.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *part(void *ctx, const char *name, size_t *len)
{
    (void)ctx;
    static const char p[] = "{{#a}}<{{b}}>{{>p}}{{/a}}";
    if (strcmp(name, "p"))
        return NULL;
    *len = sizeof p - 1;
    return p;
}

static size_t count_lt(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += s[i] == '<';
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *t = (const char *)data;
    const char *nul = memchr(data, 0, size);
    size_t tlen = nul ? (size_t)(nul - t) : size;
    json_t *m = NULL;
    if (nul)
        m = json_loadb(nul + 1, size - tlen - 1, JSON_DECODE_ANY, NULL);
    if (!m)
        m = json_pack("{s:[{s:s}],s:n}", "a", "b", "<x>", "n");
    msk_buf out;
    msk_err err;
    msk_buf_init(&out, 1 << 20);
    tmpl_render(t, tlen, m, part, NULL, &out, &err);
    msk_buf_release(&out);
    json_decref(m);

    /* escaping holds: a model of "<" strings adds no '<' to a template without raw tags or
     * partials (the partial above brings its own '<'); a sigil may follow spaces ("{{ &a}}"),
     * so any '&' or '>' in the template skips the check */
    if (!memmem(t, tlen, "{{{", 3) && !memchr(t, '&', tlen) && !memchr(t, '>', tlen)) {
        json_t *lt = json_pack("{s:s,s:[s,s],s:{s:s}}", "a", "<", "b", "<", "<", "c", "d", "<");
        msk_buf_init(&out, 1 << 20);
        if (tmpl_render(t, tlen, lt, NULL, NULL, &out, &err) == 0)
            MSK_ASSERT(count_lt(out.data, out.len) <= count_lt(t, tlen));
        msk_buf_release(&out);
        json_decref(lt);
    }
    return 0;
}
