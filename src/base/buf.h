/*
 * The one growable byte buffer (curl dynbuf, SQLite sqlite3_str, git strbuf).
 * Rules: data is always NUL-terminated (data[len] == '\0'); a buffer may have a size cap
 * (max, 0 = none) past which it refuses to grow; errors are sticky, so a long build is
 * checked once at the end with buf.failed.
 */
#ifndef MSK_BUF_H
#define MSK_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct msk_buf {
    char *data; /* owned; never NULL after msk_buf_init */
    size_t len; /* bytes used, not counting the terminating NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* cap on len, 0 = unlimited */
    int failed; /* set when an append was refused for the cap; sticky until reset */
} msk_buf;

/* Initialise an empty buffer with a size cap (0 = none). Release with msk_buf_release. */
void msk_buf_init(msk_buf *b, size_t max);
void msk_buf_release(msk_buf *b);
/* Empty the buffer and clear the failed flag, keeping its memory. */
void msk_buf_reset(msk_buf *b);
/* Append n bytes. Returns 0, or -1 (and sets failed) when the cap would be passed. */
int msk_buf_add(msk_buf *b, const void *p, size_t n);
int msk_buf_puts(msk_buf *b, const char *s);
int msk_buf_putc(msk_buf *b, char c);
int msk_buf_printf(msk_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int msk_buf_vprintf(msk_buf *b, const char *fmt, va_list ap);
/* v as snprintf(out, outsz, "%.*f", decimals, v) writes it in the C locale, byte for byte
 * (same return value: the length it wanted), but without printf for the common case — a page
 * formats thousands of numbers. |v| · 10^decimals below 1e9 with decimals 0..6 is formatted
 * here; a value within 1e-6 of a rounding tie, or anything else, goes to snprintf, which
 * rounds the exact binary value. */
int msk_fixed(char *out, size_t outsz, double v, int decimals);
/* fmt_num and fmt_pct (base/fmt.h), the same text byte for byte, made with msk_fixed for the
 * usual values (0 ≤ v < 1000, no thousands to group; others go to fmt_*): charts and pages
 * print thousands. out must hold at least 64 bytes, else fmt_* is used. Returns out. */
char *msk_num_fast(double v, int decimals, char *out, size_t outsz);
char *msk_pct_fast(double share, int decimals, char *out, size_t outsz);
/* Shorten to len bytes (len <= b->len). */
void msk_buf_truncate(msk_buf *b, size_t len);
/* Take the data out; the buffer is left empty and initialised. Caller frees the result. */
char *msk_buf_detach(msk_buf *b, size_t *len);

#endif
