/*
 * The cookies of a request and its answer: the Set-Cookie lines an answer carries, and the
 * pre-session cookie of the login form (double-submit CSRF before any session). Used by the
 * pages (src/web/page.c: a 401 page carries the login form) and by src/web/auth.c, so neither
 * calls the other for it. Over TLS the names get the __Host- prefix and Secure.
 */
#include "web/internal.h"

#include <sodium.h>

#include <microhttpd.h>

#include <stdio.h>
#include <string.h>

void web_hex_random(char *out, size_t nbytes)
{
    unsigned char b[64];
    if (nbytes > sizeof b)
        nbytes = sizeof b;
    randombytes_buf(b, nbytes);
    sodium_bin2hex(out, nbytes * 2 + 1, b, nbytes);
}

const char *web_cookie_header(web_req *r)
{
    return MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "Cookie");
}

void web_set_cookie(web_req *r, const char *value)
{
    if (r->ncookies < 2)
        snprintf(r->cookies[r->ncookies++], sizeof r->cookies[0], "%s", value);
}

void web_login_token(web_req *r, char out[65])
{
    const char *h = web_cookie_header(r);
    const char *name = r->secure ? COOKIE_PRE_TLS : COOKIE_PRE;
    if (h && !web_cookie(h, name, out, 65) && strlen(out) == 64)
        return;
    web_hex_random(out, 32);
    char c[200];
    snprintf(c, sizeof c, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s", name, out,
             r->secure ? "; Secure" : "");
    web_set_cookie(r, c);
}
