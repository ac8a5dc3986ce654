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
/* A new random password of 16 letters and digits without look-alikes (no l, o, 0, 1, I, O):
 * what `msoko user` prints and what the admin's «сбросить пароль» shows once. ~92 bits. */
void web_pass_generate(char out[17]);
/* 1 when password matches hash, else 0. */
int web_pass_verify(const char *hash, const char *password);

#endif
