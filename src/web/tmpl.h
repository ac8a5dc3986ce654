/*
 * Templates: a small mustache-like renderer over a jansson view model, so that a page cannot
 * forget to escape (STYLE.md "Output that cannot forget to escape"). The same view model is
 * returned as JSON by the API, so the UI and the API never disagree (DESIGN.md "Web").
 *
 *   {{name}}            value, HTML-escaped; dotted paths (a.b.c); "." is the current value
 *   {{name|filter}}     value through a filter, then escaped: int, num, num2, pct, pct0, pp,
 *                       date, schoolyear, url (percent-encode a URL part), json, lower,
 *                       period (a form's period in words: «1-е полугодие 2023/2024 учебного года»)
 *   {{{name}}}          raw (only for markup the server itself made: SVG charts)
 *   {{#name}}…{{/name}} section: once per array element, once for an object or a true value
 *   {{^name}}…{{/name}} inverted section: when missing, null, false, 0, "" or []
 *   {{>partial}}        another template, by name, in the current context
 *   {{!comment}}
 * Names are looked up from the innermost context outwards. JSON null renders as «—».
 */
#ifndef MSK_TMPL_H
#define MSK_TMPL_H

#include "base/buf.h"
#include "base/err.h"

#include <jansson.h>
#include <stddef.h>

/* Finds a partial's text by name; returns NULL when there is none. */
typedef const char *(*tmpl_lookup_fn)(void *ctx, const char *name, size_t *len);

enum { TMPL_MAX_DEPTH = 32 };

/* Render src (len bytes) with model into out (appended). lookup may be NULL (no partials).
 * Returns 0, or -1 with err filled on a malformed template (unclosed tag or section, unknown
 * filter, missing partial, too deep) or when out's size cap is reached. */
int tmpl_render(const char *src, size_t len, json_t *model, tmpl_lookup_fn lookup, void *ctx,
                msk_buf *out, msk_err *err);

/* Append s (n bytes) HTML-escaped: & < > " ' become entities; a NUL byte becomes U+FFFD. */
int tmpl_escape_html(msk_buf *out, const char *s, size_t n);
/* Append s percent-encoded as a URL query or path part (unreserved characters kept). */
int tmpl_escape_url(msk_buf *out, const char *s, size_t n);

#endif
