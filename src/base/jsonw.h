/*
 * A streaming JSON text writer that writes what jansson's json_dumps writes, byte for byte,
 * without building or walking a tree twice (docs/performance.md): compact (JSON_COMPACT,
 * indent -1) or indented (JSON_INDENT(indent)), reals with prec significant digits (0: 17,
 * jansson's default), strings escaped as jansson escapes them without JSON_ENSURE_ASCII or
 * JSON_ESCAPE_SLASH. Object members are written in the order given (jansson keeps insertion
 * order). The text goes to an msk_buf (its sticky failed flag reports a refused append).
 * Used for the directions' text (method/directions.c) and for the findings and the printed
 * document of an analysis (engine/engine.c, jw_json over a tree).
 */
#ifndef MSK_JSONW_H
#define MSK_JSONW_H

#include "base/buf.h"

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

enum { JW_DEPTH = 64 };

/* The text of reals already written, by their bits, for up to two writers (half 0 and 1):
 * the same values recur, and snprintf of "%.17g" is most of the cost of the text. */
typedef struct jw_nums jw_nums;

typedef struct jw {
    msk_buf *b;
    int indent, depth, prec;
    jw_nums *nums;       /* shared by the writers; NULL: none */
    int which;           /* the writer's half of the cache */
    int items[JW_DEPTH]; /* items written in each open container */
    FILE *out;           /* jw_stream: the text goes on to out a megabyte at a time */
    int out_failed;      /* a write to out failed */
} jw;

/* A writer into b: indent < 0 compact, else spaces per level; depth the level the first value
 * sits at (a member of a document: 1); prec significant digits of reals (0: 17); nums a cache
 * (jw_nums_new, may be NULL) of which half (0 or 1) this writer uses. */
void jw_init(jw *w, msk_buf *b, int indent, int depth, int prec, jw_nums *nums, int which);
jw_nums *jw_nums_new(void);
void jw_nums_free(jw_nums *n);

/* Let the text go on to out whenever the buffer holds a megabyte (the buffer then stays
 * small: a printed document need not be held whole); jw_flush writes the rest. */
void jw_stream(jw *w, FILE *out);
/* Write what the buffer holds to out (jw_stream): 0, or -1 when a write to out failed. */
int jw_flush(jw *w);
void jw_add_slow(jw *w, const char *p, size_t n);

/* Append n bytes: in place while the buffer has room (the writer's hot path), else msk_buf
 * (after passing the buffer on to out, when streaming). */
static inline void jw_add(jw *w, const char *p, size_t n)
{
    msk_buf *b = w->b;
    if (b->len + n < b->cap && !b->failed) {
        memcpy(b->data + b->len, p, n);
        b->len += n;
        b->data[b->len] = '\0';
    } else
        jw_add_slow(w, p, n);
}

static inline void jw_putc(jw *w, char c)
{
    jw_add(w, &c, 1);
}

/* Before an item (array element or object key) of the open container. */
void jw_item(jw *w);
/* Open ('[' or '{') and close (']' or '}') a container. */
void jw_open(jw *w, char c);
void jw_close(jw *w, char c);
/* A string value: NUL-terminated, or of n bytes (may hold NUL, written as \u0000). */
void jw_str(jw *w, const char *v);
void jw_strn(jw *w, const char *v, size_t n);
/* An object's key (after jw_item) and its separator. */
void jw_key(jw *w, const char *key);
/* A real value as jansson's jsonp_dtostr writes it ("%.*g", ".0" when it reads as an integer,
 * the exponent without '+' and leading zeros). */
void jw_real(jw *w, double v);
/* A member that is a real, null (NAN) or left out (not finite, as json_object_set_new leaves
 * out the NULL json_real gives). */
void jw_num(jw *w, const char *key, double v);
/* A value as json_dumps writes it with the writer's flags (and the tree's order). */
void jw_json(jw *w, const json_t *v);

#endif
