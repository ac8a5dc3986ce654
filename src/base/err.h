/*
 * Errors for people: a Russian message plus the place (file, row, column) it refers to.
 * Library code fills an msk_err and returns -1; only cli/ and web/ decide how to show it
 * (STYLE.md "Errors and ownership"). An msk_err is plain data: no allocation, no release.
 */
#ifndef MSK_ERR_H
#define MSK_ERR_H

#include <stddef.h>
#include <stdint.h>

enum { MSK_ERR_MSG = 1024, MSK_ERR_FILE = 256 };

typedef struct msk_err {
    char msg[MSK_ERR_MSG];   /* Russian, UTF-8, no trailing newline; "" when no error */
    char file[MSK_ERR_FILE]; /* file the error refers to, "" if none */
    int64_t row;             /* 1-based row in that file, 0 if none */
    int col;                 /* 1-based column, 0 if none */
} msk_err;

/* Forget any earlier error. */
void msk_err_clear(msk_err *e);

/* Set the message (printf-style, truncated to fit) and keep the place. Returns -1 so that
 * `return msk_error(err, ...)` reads as one line. e may be NULL. */
int msk_error(msk_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Set the message and the place at once. file may be NULL. Returns -1. */
int msk_error_at(msk_err *e, const char *file, int64_t row, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Write "file:row:column: message" (parts that are unset are left out) into out. */
void msk_err_format(const msk_err *e, char *out, size_t outsz);

/* A bug, not bad input: print file and line and abort (SQLite ALWAYS/NEVER, Redis serverAssert). */
#define MSK_ASSERT(cond) ((cond) ? (void)0 : msk_assert_fail(#cond, __FILE__, __LINE__))
_Noreturn void msk_assert_fail(const char *what, const char *file, int line);

#endif
