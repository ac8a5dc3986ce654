/*
 * Password hashes and generated passwords (pass.h).
 */
#include "web/pass.h"

#include <sodium.h>
#include <string.h>

int web_pass_hash(const char *password, char *out, size_t outsz, msk_err *err)
{
    if (outsz < crypto_pwhash_STRBYTES)
        return msk_error(err, "мало места для хэша пароля");
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE))
        return msk_error(err, "не хватило памяти для хэширования пароля");
    return 0;
}

void web_pass_generate(char out[17])
{
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < 16; i++)
        out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    out[16] = '\0';
}

int web_pass_verify(const char *hash, const char *password)
{
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}
