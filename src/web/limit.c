/*
 * The login limiter (in memory: a restart forgets). Three tables, each a fixed array scanned
 * under one mutex (a login costs 100 ms of argon2id; a scan of a few thousand slots is
 * microseconds):
 *  - a login from one address: 5 failures in 15 minutes close that pair for the rest of the
 *    15 minutes — so one address cannot lock the account for everybody else;
 *  - a login from anywhere: past 5 failures each further try waits 2, 4, … up to 60 s after the
 *    previous one (a backoff, not a lock: the owner still gets in, a spray from many
 *    addresses gets at most one guess a minute);
 *  - an address over every login: 30 failures in 15 minutes close it.
 * An attempt is counted before its password is checked (web_limit_begin) and forgiven after
 * a success, so parallel wrong passwords cannot pass the check together. A table never drops
 * a slot that is closing something: when it is full of those, new keys wait (fail closed),
 * and junk logins from other addresses cannot push a lock out.
 */
#include "web/internal.h"

#include "base/mem.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    SLOTS = 4096,
    WINDOW = 15 * 60,
    PAIR_FAILS = 5,
    LOGIN_FAILS = 5,
    LOGIN_BACKOFF_MAX = 60,
    IP_FAILS = 30,
    AUDIT_EVERY = 10, /* at most one lockout row per this many seconds (rows move the stamp) */
};

typedef struct slot {
    char key[140];
    int fails;
    int64_t first, last;
} slot;

typedef struct table {
    slot s[SLOTS];
    int max; /* failures that make a slot "closing" */
} table;

struct web_limiter {
    pthread_mutex_t mu;
    table pair, login, ip;
    int64_t audit_last;
    int audit_skipped;
};

web_limiter *web_limiter_new(void)
{
    web_limiter *l = msk_calloc(1, sizeof *l);
    pthread_mutex_init(&l->mu, NULL);
    l->pair.max = PAIR_FAILS;
    l->login.max = LOGIN_FAILS;
    l->ip.max = IP_FAILS;
    return l;
}

void web_limiter_free(web_limiter *l)
{
    if (!l)
        return;
    pthread_mutex_destroy(&l->mu);
    free(l);
}

static int expired(const slot *e, int64_t now)
{
    return e->key[0] && now - e->last > WINDOW && now - e->first > WINDOW;
}

/* The slot of key; with create, a free, expired or harmless one is taken. NULL: full. */
static slot *find(table *t, const char *key, int64_t now, int create)
{
    slot *free_slot = NULL, *weak = NULL;
    for (int i = 0; i < SLOTS; i++) {
        slot *e = &t->s[i];
        if (expired(e, now))
            e->key[0] = '\0';
        if (e->key[0] && !strcmp(e->key, key))
            return e;
        if (!e->key[0]) {
            if (!free_slot)
                free_slot = e;
        } else if (e->fails < t->max && (!weak || e->last < weak->last)) {
            weak = e;
        }
    }
    if (!create)
        return NULL;
    slot *e = free_slot ? free_slot : weak;
    if (!e)
        return NULL;
    snprintf(e->key, sizeof e->key, "%s", key);
    e->fails = 0;
    e->first = e->last = now;
    return e;
}

static int64_t backoff(int fails)
{
    int over = fails - LOGIN_FAILS;
    if (over < 0)
        return 0;
    return over >= 5 ? LOGIN_BACKOFF_MAX : (int64_t)2 << over;
}

int web_limit_begin(web_limiter *l, const char *login, const char *ip, int64_t now, int *wait)
{
    char kp[140];
    snprintf(kp, sizeof kp, "%s\n%s", login, ip);
    pthread_mutex_lock(&l->mu);
    slot *p = find(&l->pair, kp, now, 1), *g = find(&l->login, login, now, 1),
         *a = find(&l->ip, ip, now, 1);
    int64_t w = 0;
    if (!p || !g || !a) {
        w = LOGIN_BACKOFF_MAX; /* every slot closes something: new keys wait */
    } else {
        if (p->fails >= PAIR_FAILS)
            w = p->first + WINDOW - now;
        if (a->fails >= IP_FAILS && a->first + WINDOW - now > w)
            w = a->first + WINDOW - now;
        int64_t b = backoff(g->fails);
        if (b && g->last + b - now > w)
            w = g->last + b - now;
    }
    if (w <= 0) { /* counted now, forgiven by web_limit_done on success */
        p->fails++;
        g->fails++;
        a->fails++;
        p->last = g->last = a->last = now;
        w = 0;
    }
    pthread_mutex_unlock(&l->mu);
    *wait = (int)w;
    return w > 0;
}

int web_limit_done(web_limiter *l, const char *login, const char *ip, int64_t now, int ok)
{
    char kp[140];
    snprintf(kp, sizeof kp, "%s\n%s", login, ip);
    int closed = 0;
    pthread_mutex_lock(&l->mu);
    slot *p = find(&l->pair, kp, now, 0), *g = find(&l->login, login, now, 0),
         *a = find(&l->ip, ip, now, 0);
    if (ok) {
        if (p)
            p->key[0] = '\0';
        if (g)
            g->key[0] = '\0';
        if (a && a->fails > 0)
            a->fails--;
    } else {
        if (p && p->fails == PAIR_FAILS)
            closed |= WEB_LIMIT_PAIR;
        if (g && g->fails == LOGIN_FAILS)
            closed |= WEB_LIMIT_LOGIN;
        if (a && a->fails == IP_FAILS)
            closed |= WEB_LIMIT_IP;
    }
    pthread_mutex_unlock(&l->mu);
    return closed;
}

int web_limit_audit_ok(web_limiter *l, int64_t now, int *skipped)
{
    pthread_mutex_lock(&l->mu);
    int ok = now - l->audit_last >= AUDIT_EVERY;
    if (ok) {
        *skipped = l->audit_skipped;
        l->audit_skipped = 0;
        l->audit_last = now;
    } else {
        l->audit_skipped++;
    }
    pthread_mutex_unlock(&l->mu);
    return ok;
}
