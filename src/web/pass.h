/*
 * Password hashes: argon2id (libsodium crypto_pwhash_str, interactive limits). Used by the
 * login (web/auth.c) and by `msoko user` (cli/cmd_user.c).
 */
#ifndef MSK_WEB_PASS_H
#define MSK_WEB_PASS_H

#include "base/err.h"

#include <stddef.h>

/* The hash of password into out (at least crypto_pwhash_STRBYTES = 128 bytes). */
int web_pass_hash(const char *password, char *out, size_t outsz, msk_err *err);
/* 1 when password matches hash, else 0. */
int web_pass_verify(const char *hash, const char *password);

#endif
