/*
 * Signs of non-objective results (METHODS.md §2): runs the eight signs, then makes the list
 * «ОО с признаками необъективности» sorted by school code and the municipal objectivity index
 * = 100 − 100·(listed schools)/(schools with results in year Y).
 * Settings in [objectivity]: min_signs — how many different signs (sign codes, not findings)
 * list a school (default 1: any sign); alone_signs — sign codes that list a school by
 * themselves whatever min_signs is (default: none), each when found in at least
 * [SIGN] alone_procedures procedures (default 1; identical_tasks allows the key). A school below
 * min_signs is neither in the list nor counted by the index; the one-sign index (Rosobrnadzor's
 * rule, comparable with the regional and federal indices) counts every school with any sign.
 */
#include "base/mem.h"
#include "base/vocab.h"
#include "method/obj_common.h"
#include "method/objectivity.h"
#include "method/shnor.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OBJ_MAX_ALONE = 16 };
enum { HAS_LISTED = 1, HAS_RESULTS = 2, HAS_SIGN = 4 }; /* bits of a school in the index */

/* Whether a school's signs (array of sign objects) reach min_signs different sign codes or
 * contain one of the alone codes in at least alone_min[k] findings (one a procedure). */
static int listed(json_t *arr, long min_signs, const char *const *alone, const long *alone_min,
                  size_t nalone)
{
    const char *seen[OBJ_MAX_ALONE + 8];
    size_t nseen = 0;
    size_t i;
    json_t *o;
    long hits[OBJ_MAX_ALONE] = {0};
    json_array_foreach(arr, i, o)
    {
        const char *code = json_string_value(json_object_get(o, "sign"));
        if (!code)
            continue;
        for (size_t k = 0; k < nalone; k++)
            if (strcmp(code, alone[k]) == 0 && ++hits[k] >= alone_min[k])
                return 1;
        size_t j = 0;
        while (j < nseen && strcmp(seen[j], code) != 0)
            j++;
        if (j == nseen && nseen < sizeof seen / sizeof seen[0])
            seen[nseen++] = code;
    }
    return (long)nseen >= min_signs;
}

static int cmp_code(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int objectivity_run(const model *m, int year, const meth_file *f, json_t **list, double *index,
                    double *index_one_sign, msk_err *err)
{
    int rc = -1;
    json_t *signs = json_object(), *arr = json_array();
    const char **codes = NULL;
    char *has = NULL;
    long min_signs = 1;
    const char *alone[OBJ_MAX_ALONE + 1];
    long alone_min[OBJ_MAX_ALONE];
    size_t nalone = 0;
    *list = NULL;
    *index = NAN;
    if (index_one_sign)
        *index_one_sign = NAN;
    if (!signs || !arr) {
        msk_error(err, "не хватает памяти");
        goto out;
    }
    if (f && meth_int(f, "objectivity", "min_signs", 1, &min_signs, err))
        goto out;
    size_t nsigns = 0;
    vocab_entries(VOCAB_OBJ_SIGN, &nsigns);
    if (min_signs < 1 || min_signs > (long)nsigns) {
        msk_error_at(err, meth_name(f), 0, 0,
                     "[objectivity] min_signs: от 1 до %zu (столько признаков)", nsigns);
        goto out;
    }
    if (f && meth_get(f, "objectivity", "alone_signs")) {
        nalone = meth_list(f, "objectivity", "alone_signs", alone, OBJ_MAX_ALONE + 1);
        if (nalone > OBJ_MAX_ALONE) {
            msk_error_at(err, meth_name(f), 0, 0, "[objectivity] alone_signs: список длиннее %d",
                         OBJ_MAX_ALONE);
            goto out;
        }
        for (size_t k = 0; k < nalone; k++) {
            /* the signs are the vocabulary's (base/vocab.c) */
            if (!vocab_known(VOCAB_OBJ_SIGN, alone[k])) {
                msk_error_at(
                    err, meth_name(f), 0, 0,
                    "[objectivity] alone_signs: «%s» — не признак (inflated_mean, "
                    "journal_mismatch, cohort_jump, boundary_peaks, medal, profile_inversion, "
                    "identical_tasks, rise_fall, vpr_unconfirmed)",
                    alone[k]);
                goto out;
            }
            /* [SIGN] alone_procedures: in how many procedures the sign must be found to list a
             * school by itself (the sign's own section checks that it allows the key) */
            if (meth_int(f, alone[k], "alone_procedures", 1, &alone_min[k], err))
                goto out;
            if (alone_min[k] < 1) {
                msk_error_at(err, meth_name(f), 0, 0, "[%s] alone_procedures: не меньше 1",
                             alone[k]);
                goto out;
            }
        }
    }
    if (obj_inflated_mean(m, year, f, signs, err) || obj_journal_mismatch(m, year, f, signs, err) ||
        obj_cohort_jump(m, year, f, signs, err) || obj_boundary_peaks(m, year, f, signs, err) ||
        obj_medals(m, year, f, signs, err) || obj_profile_inversion(m, year, f, signs, err) ||
        obj_identical_tasks(m, year, f, signs, err) || obj_rise_fall(m, year, f, signs, err) ||
        obj_vpr_unconfirmed(m, year, f, signs, err))
        goto out;
    size_t n = json_object_size(signs), k = 0;
    codes = msk_malloc((n + 1) * sizeof *codes);
    has = msk_calloc(m->nschools + 1, 1);
    const char *key;
    json_t *v;
    json_object_foreach(signs, key, v) codes[k++] = key;
    qsort(codes, n, sizeof *codes, cmp_code);
    for (size_t i = 0; i < n; i++) {
        int32_t si = model_find_school(m, codes[i]);
        if (si >= 0 && json_array_size(json_object_get(signs, codes[i])) > 0)
            has[si] |= HAS_SIGN; /* at least one sign: counted by the one-sign index */
        if (!listed(json_object_get(signs, codes[i]), min_signs, alone, alone_min, nalone))
            continue; /* below min_signs: not listed, not counted by the index */
        json_t *o =
            json_pack("{s:s, s:O}", "school", codes[i], "signs", json_object_get(signs, codes[i]));
        if (!o || json_array_append_new(arr, o)) {
            msk_error(err, "не хватает памяти");
            goto out;
        }
        if (si >= 0)
            has[si] |= HAS_LISTED;
    }
    /* The denominator: schools with any participant in year Y (cells count first main-period,
     * present participants). A signed school counts in it even if its only data is elsewhere
     * (a cohort sign reads Y−1), so the index stays within 0…100. */
    for (size_t i = 0; i < m->ncells; i++)
        if (m->procs[m->cells[i].proc].year == year && m->cells[i].participants > 0)
            has[m->cells[i].school] |= HAS_RESULTS;
    size_t with = 0, signed_ = 0, with1 = 0, one = 0;
    for (size_t s = 0; s < m->nschools; s++) {
        with += (has[s] & (HAS_LISTED | HAS_RESULTS)) != 0;
        signed_ += (has[s] & HAS_LISTED) != 0;
        with1 += (has[s] & (HAS_SIGN | HAS_RESULTS)) != 0;
        one += (has[s] & HAS_SIGN) != 0;
    }
    if (with > 0)
        *index = 100.0 - 100.0 * (double)signed_ / (double)with;
    /* Rosobrnadzor's federal and regional indices count a school with any one sign: this one is
     * comparable with them whatever min_signs and alone_signs list (issue 19). */
    if (with1 > 0 && index_one_sign)
        *index_one_sign = 100.0 - 100.0 * (double)one / (double)with1;
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
