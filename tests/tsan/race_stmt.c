/*
 * Eight threads ask for the multi-row result statement's text at once, as the web server's
 * threads do on their own stores; built with -fsanitize=thread by tests/cli/races.sh, which
 * fails on a data race (the text was once built lazily by whichever thread came first).
 * Includes store.c to reach its static stmt_sql.
 */
#include "../../src/store/store.c"

static void *run(void *arg)
{
    *(size_t *)arg = strlen(stmt_sql(ST_RESULT_ADD_MANY));
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
