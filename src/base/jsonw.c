/*
 * The JSON text writer (jsonw.h): jansson's dump (dump.c of jansson 2.14) written forward into
 * one buffer, without its loop check (a hashtable entry per container) and its callbacks.
 */
#include "base/jsonw.h"

#include "base/err.h"
#include "base/mem.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum { NUM_SLOTS = 1 << 16 };

typedef struct num_slot {
    uint64_t bits;
    uint8_t used, have[2], len[2];
    char text[2][28];
} num_slot;

struct jw_nums {
    num_slot slot[NUM_SLOTS];
};

void jw_init(jw *w, msk_buf *b, int indent, int depth, int prec, jw_nums *nums, int which)
{
    memset(w, 0, sizeof *w);
    w->b = b;
    w->indent = indent;
    w->depth = depth;
    w->prec = prec;
    w->nums = nums;
    w->which = which ? 1 : 0;
}

jw_nums *jw_nums_new(void)
{
    return msk_calloc(1, sizeof(jw_nums));
}

void jw_nums_free(jw_nums *n)
{
    free(n);
}

enum { JW_CHUNK = 1 << 20 };

void jw_stream(jw *w, FILE *out)
{
    w->out = out;
}

int jw_flush(jw *w)
{
    if (w->out && w->b->len) {
        if (fwrite(w->b->data, 1, w->b->len, w->out) != w->b->len)
            w->out_failed = 1;
        msk_buf_reset(w->b);
    }
    return w->out_failed || w->b->failed ? -1 : 0;
}

void jw_add_slow(jw *w, const char *p, size_t n)
{
    if (w->out && w->b->len >= JW_CHUNK)
        jw_flush(w);
    msk_buf_add(w->b, p, n);
}

static void jw_nl(jw *w, int depth)
{
    static const char NL[] = "\n                                ";
    if (w->indent <= 0)
        return;
    size_t n = (size_t)(depth * w->indent) + 1;
    if (n < sizeof NL)
        jw_add(w, NL, n);
    else {
        jw_putc(w, '\n');
        for (size_t i = 1; i < n; i++)
            jw_putc(w, ' ');
    }
}

void jw_item(jw *w)
{
    if (w->items[w->depth]++)
        jw_putc(w, ',');
    jw_nl(w, w->depth);
}

void jw_open(jw *w, char c)
{
    jw_putc(w, c);
    MSK_ASSERT(w->depth + 1 < JW_DEPTH);
    w->items[++w->depth] = 0;
}

void jw_close(jw *w, char c)
{
    if (w->items[w->depth])
        jw_nl(w, w->depth - 1);
    w->depth--;
    jw_putc(w, c);
}

/* As jansson's dump_string without JSON_ENSURE_ASCII or JSON_ESCAPE_SLASH. */
void jw_strn(jw *w, const char *v, size_t n)
{
    jw_putc(w, '"');
    const char *run = v;
    const unsigned char *p = (const unsigned char *)v, *end = p + n;
    for (; p < end; p++) {
        if (*p != '"' && *p != '\\' && *p >= 0x20)
            continue;
        jw_add(w, run, (size_t)((const char *)p - run));
        switch (*p) {
        case '"':
            jw_add(w, "\\\"", 2);
            break;
        case '\\':
            jw_add(w, "\\\\", 2);
            break;
        case '\b':
            jw_add(w, "\\b", 2);
            break;
        case '\f':
            jw_add(w, "\\f", 2);
            break;
        case '\n':
            jw_add(w, "\\n", 2);
            break;
        case '\r':
            jw_add(w, "\\r", 2);
            break;
        case '\t':
            jw_add(w, "\\t", 2);
            break;
        default:
            msk_buf_printf(w->b, "\\u%04X", *p);
        }
        run = (const char *)p + 1;
    }
    jw_add(w, run, (size_t)((const char *)end - run));
    jw_putc(w, '"');
}

void jw_str(jw *w, const char *v)
{
    jw_strn(w, v, strlen(v));
}

void jw_key(jw *w, const char *key)
{
    jw_item(w);
    jw_str(w, key);
    if (w->indent < 0)
        jw_putc(w, ':');
    else
        jw_add(w, ": ", 2);
}

/* As jansson's jsonp_dtostr: "%.*g", ".0" when it reads as an integer, the exponent without
 * '+' and leading zeros. */
static void real_format(const jw *w, double v, char *buf, size_t *lenp)
{
    int n = snprintf(buf, 64, "%.*g", w->prec ? w->prec : 17, v);
    size_t len = n > 0 ? (size_t)n : 0;
    if (!strchr(buf, '.') && !strchr(buf, 'e') && len + 3 < 64) {
        memcpy(buf + len, ".0", 3);
        len += 2;
    }
    char *start = strchr(buf, 'e');
    if (start) {
        start++;
        char *end = start + 1;
        if (*start == '-')
            start++;
        while (*end == '0')
            end++;
        if (end != start) {
            memmove(start, end, len - (size_t)(end - buf) + 1);
            len -= (size_t)(end - start);
        }
    }
    *lenp = len;
}

void jw_real(jw *w, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    num_slot *sl = NULL;
    if (w->nums) {
        num_slot *s = w->nums->slot;
        size_t h = (size_t)((bits * UINT64_C(0x9E3779B97F4A7C15)) >> 48) & (NUM_SLOTS - 1);
        for (size_t probe = 0; probe < 8; probe++, h = (h + 1) & (NUM_SLOTS - 1))
            if (!s[h].used || s[h].bits == bits) {
                sl = &s[h];
                break;
            }
    }
    if (sl && sl->used && sl->have[w->which]) {
        jw_add(w, sl->text[w->which], sl->len[w->which]);
        return;
    }
    char buf[64];
    size_t len;
    real_format(w, v, buf, &len);
    if (sl && len < sizeof sl->text[0]) {
        sl->used = 1;
        sl->bits = bits;
        memcpy(sl->text[w->which], buf, len);
        sl->len[w->which] = (uint8_t)len;
        sl->have[w->which] = 1;
    }
    jw_add(w, buf, len);
}

void jw_num(jw *w, const char *key, double v)
{
    if (!isnan(v) && !isfinite(v))
        return;
    jw_key(w, key);
    if (isnan(v))
        jw_add(w, "null", 4);
    else
        jw_real(w, v);
}

/* A non-negative integer without printf (most integers of a finding: ranks, counts, years). */
static void jw_int(jw *w, json_int_t v)
{
    char buf[32];
    if (v < 0 || v > INT64_C(999999999999999999)) {
        int n = snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, v);
        jw_add(w, buf, n > 0 ? (size_t)n : 0);
        return;
    }
    char *p = buf + sizeof buf;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    jw_add(w, p, (size_t)(buf + sizeof buf - p));
}

void jw_json(jw *w, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        jw_open(w, '{');
        for (void *it = json_object_iter((json_t *)v); it;
             it = json_object_iter_next((json_t *)v, it)) {
            jw_item(w);
            jw_strn(w, json_object_iter_key(it), json_object_iter_key_len(it));
            if (w->indent < 0)
                jw_putc(w, ':');
            else
                jw_add(w, ": ", 2);
            jw_json(w, json_object_iter_value(it));
        }
        jw_close(w, '}');
        break;
    }
    case JSON_ARRAY: {
        jw_open(w, '[');
        size_t n = json_array_size(v);
        for (size_t i = 0; i < n; i++) {
            jw_item(w);
            jw_json(w, json_array_get(v, i));
        }
        jw_close(w, ']');
        break;
    }
    case JSON_STRING:
        jw_strn(w, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        jw_int(w, json_integer_value(v));
        break;
    case JSON_REAL:
        jw_real(w, json_real_value(v));
        break;
    case JSON_TRUE:
        jw_add(w, "true", 4);
        break;
    case JSON_FALSE:
        jw_add(w, "false", 5);
        break;
    case JSON_NULL:
        jw_add(w, "null", 4);
        break;
    }
}
