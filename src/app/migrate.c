/*
 * msoko migrate as a use case (issue 17 item 4, docs/migrate.md): one transaction in the
 * target — its reference data when it has none yet (as msoko init), every row of the source
 * that it lacks (store/migrate.c), one audit row that says what came from where — committed,
 * or rolled back whole on any error.
 */
#include "app/internal.h"

#include "base/buf.h"
#include "store/migrate.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

/* «перенос базы FILE: школы 30, результаты участников 132490, …; уже были 412 строк» */
static char *summary(const char *from, const store_move_report *rep)
{
    msk_buf b;
    const char *sep = "";
    msk_buf_init(&b, 0);
    msk_buf_printf(&b, "перенос базы %s:", from);
    for (size_t i = 0; i < rep->n; i++)
        if (rep->t[i].moved) {
            msk_buf_printf(&b, "%s %s %lld", sep, store_move_label(rep->t[i].name),
                           (long long)rep->t[i].moved);
            sep = ",";
        }
    msk_buf_printf(&b, "%s уже были %lld строк", *sep ? ";" : " ничего нового;",
                   (long long)rep->present);
    char *out = msk_buf_detach(&b, NULL);
    msk_buf_release(&b);
    return out;
}

int app_migrate(store *src, store *dst, const app_actor *a, store_move_report *rep, msk_err *err)
{
    char *sum = NULL, *after = NULL;
    json_t *j = NULL, *moved = NULL;
    int rc = -1;
    if (store_begin(dst, err))
        return -1;
    /* an empty target gets init's reference data first; the source's then map onto it */
    int seeded = !store_is_initialised(dst);
    if (seeded && store_seed_reference(dst, err))
        goto out;
    if (store_move(src, dst, rep, err))
        goto out;
    /* a run that found everything in place changed nothing: no audit row either, so a second
     * run leaves the target byte for byte as it was */
    if (!rep->moved && !seeded) {
        rc = 0;
        goto out;
    }
    sum = summary(store_path(src), rep);
    moved = json_object();
    for (size_t i = 0; i < rep->n; i++)
        if (rep->t[i].moved)
            json_object_set_new(moved, rep->t[i].name, json_integer(rep->t[i].moved));
    j = json_pack("{s:s, s:s, s:o, s:I, s:I}", "summary", sum, "source_id", rep->source_id, "moved",
                  moved, "rows_moved", (json_int_t)rep->moved, "rows_present",
                  (json_int_t)rep->present);
    after = j ? json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
    if (!after) {
        msk_error(err, "перенос базы: не удалось записать журнал");
        goto out;
    }
    rc = app_audit(dst, a, "migrate", sum, NULL, after, err);
out:
    free(sum);
    free(after);
    json_decref(j);
    if (rc)
        store_move_report_release(rep);
    return app_end(dst, rc, err);
}
