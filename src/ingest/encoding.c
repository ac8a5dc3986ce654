/*
 * Encoding detection and CP1251 → UTF-8 conversion: see encoding.h. Detection is a strict UTF-8
 * check first (CP1251 Cyrillic is almost never valid UTF-8 past two letters), then a plausibility
 * test for CP1251 (no undefined byte 0x98, few control bytes, high bytes mostly letters).
 */
#include "ingest/encoding.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

enum { U_OK, U_BAD, U_TRUNC };

/* Scan s for UTF-8 validity. Returns U_OK, U_BAD (invalid sequence starting at *at) or U_TRUNC
 * (a valid but incomplete sequence starting at *at runs into the end). *multi is set when a
 * multi-byte character was seen. */
static int utf8_scan(const unsigned char *s, size_t n, size_t *at, int *multi)
{
    size_t i = 0;
    while (i < n) {
        if (n - i >= 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!(w & UINT64_C(0x8080808080808080))) {
                i += 8;
                continue;
            }
        }
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned lo = 0x80, hi = 0xBF; /* range of the first continuation byte */
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c == 0xE0) {
            need = 2, lo = 0xA0; /* no overlong 3-byte forms */
        } else if (c == 0xED) {
            need = 2, hi = 0x9F; /* no UTF-16 surrogates */
        } else if (c >= 0xE1 && c <= 0xEF) {
            need = 2;
        } else if (c == 0xF0) {
            need = 3, lo = 0x90; /* no overlong 4-byte forms */
        } else if (c == 0xF4) {
            need = 3, hi = 0x8F; /* nothing above U+10FFFF */
        } else if (c >= 0xF1 && c <= 0xF3) {
            need = 3;
        } else {
            *at = i;
            return U_BAD;
        }
        for (size_t k = 1; k <= need; k++) {
            if (i + k >= n) {
                *at = i;
                return U_TRUNC;
            }
            unsigned d = s[i + k];
            if (k == 1 ? (d < lo || d > hi) : (d < 0x80 || d > 0xBF)) {
                *at = i;
                return U_BAD;
            }
        }
        *multi = 1;
        i += need + 1;
    }
    return U_OK;
}

int enc_utf8_valid(const char *s, size_t len, size_t *bad)
{
    size_t at = 0;
    int multi = 0;
    if (utf8_scan((const unsigned char *)s, len, &at, &multi) == U_OK)
        return 1;
    if (bad)
        *bad = at;
    return 0;
}

/* Plausible CP1251 text: control bytes other than tab, line ends, form feed and the DOS
 * end-of-file mark mean binary data; Russian text has most of its high bytes in the letter range
 * А–я (C0–FF) plus Ё/ё (A8/B8). The undefined byte 0x98 only counts as a non-letter here: one
 * stray 0x98 is better reported with its row and column by the conversion than as a file whose
 * encoding is unknown. */
static int cp1251_plausible(const unsigned char *s, size_t n)
{
    size_t high = 0, letters = 0, ctl = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        if (c >= 0x80) {
            high++;
            if (c >= 0xC0 || c == 0xA8 || c == 0xB8)
                letters++;
        } else if ((c >= 0x01 && c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' &&
                    c != 0x1A) ||
                   c == 0x7F) {
            ctl++;
        }
    }
    return ctl * 50 <= n && letters * 2 >= high;
}

/* UTF-8 text with a few stray bytes (one CP1251 word pasted into a UTF-8 file): many valid
 * multi-byte characters, few invalid bytes. Russian CP1251 text almost never forms a valid
 * sequence (a capital letter C0–DF would have to be followed by punctuation 80–BF), so reading
 * it as CP1251 would turn every line into mojibake and hide where the file is broken. */
static int utf8_mostly(const unsigned char *s, size_t n)
{
    size_t good = 0, bad = 0, i = 0;
    while (i < n) {
        size_t at = 0;
        int multi = 0;
        int st = utf8_scan(s + i, n - i, &at, &multi);
        if (st == U_OK)
            at = n - i;
        /* count the multi-byte characters of the valid run s[i, i + at) */
        for (size_t k = i; k < i + at; k++)
            good += s[k] >= 0xC2 && s[k] <= 0xF4;
        if (st == U_OK || st == U_TRUNC)
            break;
        bad++;
        i += at + 1;
    }
    return good >= 4 && good >= 8 * bad;
}

enc_kind enc_guess(const char *s, size_t len, int at_eof)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t at = 0;
    int multi = 0;
    int st = utf8_scan(u, len, &at, &multi);
    /* A sequence cut by the end of a sample proves nothing either way: a lone lead byte there
     * may as well be a CP1251 letter, so without an earlier multi-byte character it is still
     * undecided (ENC_ASCII). */
    if (st == U_OK || (st == U_TRUNC && !at_eof))
        return multi ? ENC_UTF8 : ENC_ASCII;
    if (utf8_mostly(u, len))
        return ENC_UTF8; /* the reader reports the stray bytes with their row and column */
    return cp1251_plausible(u, len) ? ENC_CP1251 : ENC_UNKNOWN;
}

int enc_detect(const char *file, const char *sample, size_t len, int at_eof, enc_kind *kind,
               size_t *bom_len, msk_err *err)
{
    const unsigned char *u = (const unsigned char *)sample;
    int rc = -1;
    *kind = ENC_UNKNOWN;
    *bom_len = 0;
    if (len >= ENC_BOM_LEN && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        /* The BOM declares UTF-8; bytes that break it later are reported with their place by
         * the caller's own validation, which is more useful than refusing the whole file. */
        *bom_len = ENC_BOM_LEN;
        *kind = ENC_UTF8;
        rc = 0;
        goto out;
    }
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        goto out; /* UTF-16 or UTF-32 (LE) byte order mark */
    size_t nul = 0, nul_odd = 0;
    for (const unsigned char *p = u; (p = memchr(p, 0, len - (size_t)(p - u))) != NULL; p++)
        nul++, nul_odd += (size_t)(p - u) % 2;
    if (nul && nul * 4 >= len)
        goto out; /* UTF-16/32 without BOM, or binary */
    /* Russian UTF-16 without a BOM: Cyrillic is 04xx, so only the ASCII characters (digits,
     * delimiters) bring a NUL, always at the same parity */
    if (nul >= 4 && nul * 16 >= len && (nul_odd * 10 >= nul * 9 || nul_odd * 10 <= nul))
        goto out;
    *kind = enc_guess(sample, len, at_eof);
    if (*kind != ENC_UNKNOWN)
        rc = 0;
out:
    if (rc)
        msk_error_at(err, file, 0, 0, "%s", ENC_ERR_UNKNOWN);
    return rc;
}

int enc_conv_init(enc_conv *c, msk_err *err)
{
    c->cd = iconv_open("UTF-8", "CP1251");
    if (c->cd == (iconv_t)-1)
        return msk_error(err, "в системе нет перекодировки из Windows-1251 в UTF-8 (iconv): %s",
                         strerror(errno));
    return 0;
}

void enc_conv_release(enc_conv *c)
{
    if (c->cd != (iconv_t)-1)
        iconv_close(c->cd);
    c->cd = (iconv_t)-1;
}

int enc_cp1251_to_utf8(enc_conv *c, const char *in, size_t len, msk_buf *out, size_t *bad,
                       msk_err *err)
{
    char *ip = (char *)in; /* iconv's prototype is not const-correct; it does not write */
    size_t left = len;
    int rc = -1;
    while (left > 0) {
        char tmp[8192]; /* one CP1251 byte is at most 3 UTF-8 bytes; iconv stops at E2BIG */
        char *op = tmp;
        size_t oleft = sizeof tmp;
        size_t n = iconv(c->cd, &ip, &left, &op, &oleft);
        int e = errno;
        if (msk_buf_add(out, tmp, (size_t)(op - tmp))) {
            msk_error(err, "текст слишком длинный после перекодировки из Windows-1251");
            goto out;
        }
        if (n == (size_t)-1 && e != E2BIG) {
            iconv(c->cd, NULL, NULL, NULL, NULL);
            if (bad)
                *bad = (size_t)(ip - in);
            if (e == EILSEQ || e == EINVAL)
                msk_error(err, "байт 0x%02X не соответствует ни одному символу Windows-1251",
                          (unsigned)(unsigned char)*ip);
            else
                msk_error(err, "ошибка перекодировки из Windows-1251: %s", strerror(e));
            goto out;
        }
    }
    rc = 0;
out:
    return rc;
}
