/*
 * Shared by the files of the header matching only (src/ingest/header*.c): the text forms
 * headers and names are compared in (header_text.c).
 */
#ifndef MSK_INGEST_HEADER_INTERNAL_H
#define MSK_INGEST_HEADER_INTERNAL_H

#include <stddef.h>

static inline int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Normalise n bytes of s (see hdr_normalize). Sets *trunc when out was too small. */
size_t hdr_norm_n(const char *s, size_t n, char *out, size_t outsz, int *trunc);
/* Words: folded letters and digits, every other run (and every letter/digit boundary) one
 * space, trimmed; so «ВПР. Русский язык. 4 кл.» → "впр русский язык 4 кл". Truncated at
 * a character boundary when out is too small. */
size_t hdr_words_n(const char *s, size_t n, char *out, size_t outsz);
/* Lower-case copy for task patterns: folded letters, blanks collapsed to one space and
 * trimmed, other characters kept. Returns (size_t)-1 when it does not fit in out. */
size_t hdr_lower_n(const char *s, size_t n, char *out, size_t outsz);
/* Blanks around values and in headers: ASCII white space, NBSP, figure, thin and narrow NBSP.
 * Returns the length of the blank at p or 0; *sep is set when it may separate thousands. */
size_t hdr_blank_len(const unsigned char *p, int *sep);

#endif
