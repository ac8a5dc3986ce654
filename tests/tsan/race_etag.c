/*
 * Eight threads read every asset's ETag at once, as the web server's threads do; built with
 * -fsanitize=thread by tests/cli/races.sh, which fails on a data race (the ETags were once
 * filled lazily by whichever thread came first).
 */
#include "web/internal.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static void *run(void *arg)
{
    size_t sum = 0;
    for (size_t i = 0; i < WEB_NASSETS; i++)
        sum += strlen(web_asset_etag(&WEB_ASSETS[i]));
    *(size_t *)arg = sum;
    return NULL;
}

int main(void)
{
    pthread_t th[8];
    size_t got[8];
    for (int i = 0; i < 8; i++)
        pthread_create(&th[i], NULL, run, &got[i]);
    for (int i = 0; i < 8; i++)
        pthread_join(th[i], NULL);
    for (int i = 1; i < 8; i++)
        if (got[i] != got[0])
            return 1;
    printf("%zu\n", got[0]);
    return 0;
}
