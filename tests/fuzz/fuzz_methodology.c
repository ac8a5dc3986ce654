/*
 * libFuzzer target for methodology INI files (src/method/methodology.c, inih underneath): the
 * input is a whole file (NUL bytes included), loaded from memory, then every section and key is
 * read back with every typed reader, as the methods do. Besides the sanitizers: a loaded file
 * answers consistently (each listed key is found, bands come out ordered by what the reader
 * promises).
 */
#include "method/methodology.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    meth_file *f = NULL;
    msk_err e;
    msk_err_clear(&e);
    if (meth_load_mem("fuzz.ini", (const char *)data, size, &f, &e) == 0) {
        MSK_ASSERT(f != NULL);
        MSK_ASSERT(meth_hash(f) != NULL && strlen(meth_hash(f)) == 64);
        for (size_t s = 0; s < meth_nsections(f); s++) {
            const char *sec = meth_section(f, s);
            MSK_ASSERT(sec != NULL);
            static const char *const known[] = {"a", "b"};
            (void)meth_check_keys(f, sec, known, 2, &e);
            for (size_t k = 0; k < meth_nkeys(f, sec); k++) {
                const char *key = meth_key(f, sec, k);
                MSK_ASSERT(key != NULL);
                MSK_ASSERT(meth_get(f, sec, key) != NULL);
                double d;
                long l;
                int b;
                (void)meth_num(f, sec, key, 0, &d, &e);
                (void)meth_int(f, sec, key, 0, &l, &e);
                (void)meth_bool(f, sec, key, 0, &b, &e);
                meth_band bands[16];
                size_t nb = 0;
                if (meth_bands(f, sec, key, bands, 16, &nb, &e) == 0) {
                    MSK_ASSERT(nb <= 16);
                    for (size_t i = 0; i < nb; i++)
                        MSK_ASSERT(!(bands[i].lo > bands[i].hi));
                    (void)meth_band_points(bands, nb, 3.5, NAN);
                }
                const char *items[32];
                size_t ni = meth_list(f, sec, key, items, 32);
                MSK_ASSERT(ni <= 32);
                for (size_t i = 0; i < ni; i++)
                    MSK_ASSERT(items[i] != NULL);
            }
        }
        meth_free(f);
    } else {
        MSK_ASSERT(e.msg[0] != '\0');
    }
    return 0;
}
