/*
 * The text forms of header matching (header_internal.h): UTF-8 decoding, case folding and the
 * key, words and lower-case forms headers, names and cells are compared in.
 */
#include "ingest/header.h"
#include "ingest/header_internal.h"

#include <stdint.h>
#include <string.h>

/* ---- UTF-8 --------------------------------------------------------------------------------- */

/* Decode one character at s (NUL-terminated or with n bytes). Returns its length, or 0 for an
 * invalid sequence (bad continuation, overlong, surrogate, > U+10FFFF, cut by n). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, v = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, v = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, v = c & 0x07, min = 0x10000;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

static size_t utf8_encode(uint32_t c, char *o)
{
    if (c < 0x80) {
        o[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (char)(0xC0 | (c >> 6));
        o[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (char)(0xE0 | (c >> 12));
        o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (c >> 18));
    o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    o[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* Lower case for Latin, Latin-1 and Cyrillic (incl. the pairs of U+0460–U+04FF); ё → е. */
static uint32_t fold(uint32_t c)
{
    if (c < 0x80)
        return (uint32_t)ascii_lower((int)c);
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        c += 0x20;
    else if (c >= 0x400 && c <= 0x40F)
        c += 0x50;
    else if (c >= 0x410 && c <= 0x42F)
        c += 0x20;
    else if ((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) || (c >= 0x4D0 && c <= 0x4FF))
        c |= 1u;
    else if (c == 0x4C0)
        c = 0x4CF;
    else if (c >= 0x4C1 && c <= 0x4CE && (c & 1u))
        c++;
    return c == 0x451 ? 0x435 : c;
}

/* Letters and digits: ASCII, Latin-1 letters, Cyrillic letters (after fold). */
static int is_alnum_cp(uint32_t c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
    if (c >= 0xDF && c <= 0xFF)
        return c != 0xF7;
    return (c >= 0x400 && c <= 0x481) || (c >= 0x48A && c <= 0x4FF);
}

static int is_digit_cp(uint32_t c)
{
    return c >= '0' && c <= '9';
}

/* Normalise n bytes of s (see hdr_normalize). Sets *trunc when out was too small. */
size_t hdr_norm_n(const char *s, size_t n, char *out, size_t outsz, int *trunc)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    size_t o = 0;
    *trunc = 0;
    if (outsz == 0)
        return 0;
    while (p < end && *p) {
        uint32_t c;
        size_t l = utf8_decode(p, (size_t)(end - p), &c);
        if (l == 0) { /* invalid byte: dropped */
            p++;
            continue;
        }
        p += l;
        /* и + combining breve (decomposed й, as macOS writes it) */
        if (c == 0x306 && o >= 2 && out[o - 2] == '\xD0' && out[o - 1] == '\xB8') {
            out[o - 1] = '\xB9';
            continue;
        }
        c = fold(c);
        if (!is_alnum_cp(c))
            continue;
        char enc[4];
        size_t el = utf8_encode(c, enc);
        if (el > outsz - 1 - o) {
            *trunc = 1;
            break;
        }
        memcpy(out + o, enc, el);
        o += el;
    }
    out[o] = '\0';
    return o;
}

size_t hdr_normalize(const char *in, char *out, size_t outsz)
{
    int trunc;
    if (!out || outsz == 0)
        return 0;
    if (!in) {
        out[0] = '\0';
        return 0;
    }
    return hdr_norm_n(in, strlen(in), out, outsz, &trunc);
}

/* Blanks around values and in headers: ASCII white space, NBSP, figure, thin and narrow NBSP.
 * Returns the length of the blank at p or 0; *sep is set when it may separate thousands. */
size_t hdr_blank_len(const unsigned char *p, int *sep)
{
    *sep = 1;
    if (p[0] == ' ')
        return 1;
    if (p[0] == 0xC2 && p[1] == 0xA0)
        return 2;
    if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x87 || p[2] == 0x89 || p[2] == 0xAF))
        return 3;
    *sep = 0;
    if (p[0] == '\t' || p[0] == '\r' || p[0] == '\n' || p[0] == '\v' || p[0] == '\f')
        return 1;
    return 0;
}

/* Words: folded letters and digits, every other run (and every letter/digit boundary) one
 * space, trimmed; so «ВПР. Русский язык. 4 кл.» → "впр русский язык 4 кл". Truncated at
 * a character boundary when out is too small. */
size_t hdr_words_n(const char *s, size_t n, char *out, size_t outsz)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    size_t o = 0;
    int prev = 0; /* 0 start or space, 1 letter, 2 digit */
    if (outsz == 0)
        return 0;
    while (p < end && *p) {
        uint32_t c;
        size_t l = utf8_decode(p, (size_t)(end - p), &c);
        if (l == 0) {
            p++;
            continue;
        }
        p += l;
        c = fold(c);
        int cls = is_digit_cp(c) ? 2 : is_alnum_cp(c) ? 1 : 0;
        if (cls == 0) {
            if (o > 0 && out[o - 1] != ' ')
                prev = 0;
            continue;
        }
        char enc[5];
        size_t el = 0;
        if (o > 0 && prev != cls)
            enc[el++] = ' ';
        el += utf8_encode(c, enc + el);
        if (el > outsz - 1 - o)
            break;
        memcpy(out + o, enc, el);
        o += el;
        prev = cls;
    }
    out[o] = '\0';
    return o;
}

/* Lower-case copy for task patterns: folded letters, blanks collapsed to one space and
 * trimmed, other characters kept. Returns (size_t)-1 when it does not fit in out. */
size_t hdr_lower_n(const char *s, size_t n, char *out, size_t outsz)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    size_t o = 0;
    int space = 0;
    while (p < end && *p) {
        int sep;
        size_t bl = hdr_blank_len(p, &sep);
        if (bl) {
            p += bl;
            space = o > 0;
            continue;
        }
        uint32_t c;
        size_t l = utf8_decode(p, (size_t)(end - p), &c);
        if (l == 0) {
            p++;
            continue;
        }
        p += l;
        char enc[5];
        size_t el = 0;
        if (space)
            enc[el++] = ' ';
        space = 0;
        el += utf8_encode(fold(c), enc + el);
        if (o + el + 1 > outsz)
            return (size_t)-1;
        memcpy(out + o, enc, el);
        o += el;
    }
    out[o] = '\0';
    return o;
}
