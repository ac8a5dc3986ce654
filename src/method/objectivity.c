/*
 * Signs of non-objective results (METHODS.md §2): runs the five signs, then makes the list
 * «ОО с признаками необъективности» sorted by school code and the municipal objectivity index
 * = 100 − 100·(schools with a sign)/(schools with results in year Y).
 */
#include "method/objectivity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_code(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int objectivity_run(const model *m, int year, const meth_file *f, json_t **list, double *index,
                    msk_err *err)
{
    int rc = -1;
    json_t *signs = json_object(), *arr = json_array();
    const char **codes = NULL;
    char *has = NULL;
    *list = NULL;
    *index = NAN;
    if (!signs || !arr) {
        msk_error(err, "не хватает памяти");
        goto out;
    }
    if (obj_inflated_mean(m, year, f, signs, err) || obj_journal_mismatch(m, year, f, signs, err) ||
        obj_cohort_jump(m, year, f, signs, err) || obj_boundary_peaks(m, year, f, signs, err) ||
        obj_medals(m, year, f, signs, err))
        goto out;
    size_t n = json_object_size(signs), k = 0;
    codes = malloc((n + 1) * sizeof *codes);
    has = calloc(m->nschools + 1, 1);
    if (!codes || !has) {
        msk_error(err, "не хватает памяти");
        goto out;
    }
    const char *key;
    json_t *v;
    json_object_foreach(signs, key, v) codes[k++] = key;
    qsort(codes, n, sizeof *codes, cmp_code);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_pack("{s:s, s:O}", "school", codes[i], "signs",
                              json_object_get(signs, codes[i]));
        if (!o || json_array_append_new(arr, o)) {
            msk_error(err, "не хватает памяти");
            goto out;
        }
        int32_t s = model_find_school(m, codes[i]);
        if (s >= 0)
            has[s] = 1;
    }
    /* The denominator: schools with any participant in year Y (cells count first main-period,
     * present participants). A signed school counts in it even if its only data is elsewhere
     * (a cohort sign reads Y−1), so the index stays within 0…100. */
    for (size_t i = 0; i < m->ncells; i++)
        if (m->procs[m->cells[i].proc].year == year && m->cells[i].participants > 0 &&
            !has[m->cells[i].school])
            has[m->cells[i].school] = 2;
    size_t with = 0, signed_ = 0;
    for (size_t s = 0; s < m->nschools; s++) {
        with += has[s] != 0;
        signed_ += has[s] == 1;
    }
    if (with > 0)
        *index = 100.0 - 100.0 * (double)signed_ / (double)with;
    *list = arr;
    arr = NULL;
    rc = 0;
out:
    json_decref(signs);
    json_decref(arr);
    free(codes);
    free(has);
    return rc;
}
