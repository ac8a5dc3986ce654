/*
 * The store: context data elements and monitoring values (store.h).
 */
#include "store/internal.h"

#include "base/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- context data ---- */

int store_element_put(store *s, const store_element *e, msk_err *err)
{
    db_stmt *st = store_stmt(s, ST_ELEMENT_PUT, err);
    if (!st)
        return -1;
    store_bind_text(st, 1, e->code);
    store_bind_text(st, 2, e->name);
    store_bind_text(st, 3, e->value_type);
    store_bind_text(st, 4, e->unit ? e->unit : "");
    store_bind_real(st, 5, e->min_value);
    store_bind_real(st, 6, e->max_value);
    return store_step_done(s, st, err, "показатель");
}

int store_value_put(store *s, const char *element, int64_t school_id, const char *period,
                    double value, const char *text_value, int64_t batch_id, msk_err *err)
{
    char now[32];
    db_stmt *st = store_stmt(s, ST_VALUE_PUT, err);
    if (!st)
        return -1;
    store_now(now);
    store_bind_text(st, 1, element);
    db_bind_int64(st, 2, school_id);
    store_bind_text(st, 3, period);
    store_bind_real(st, 4, value);
    store_bind_text(st, 5, text_value);
    store_bind_id(st, 6, batch_id);
    store_bind_text(st, 7, now);
    return store_step_done(s, st, err, "значение показателя");
}
