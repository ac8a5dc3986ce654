/*
 * Helpers shared by the objectivity signs (obj_*.c) and the list that runs them
 * (objectivity.c): both call down into this file, so the signs never call back into the list.
 */
#include "method/obj_common.h"
#include "method/shnor.h"

#include <stdio.h>
#include <string.h>

enum { OBJ_MAX_PROCS = 64 };

const char *obj_fname(const meth_file *f)
{
    return f ? meth_name(f) : "(встроенная методика)";
}

/* The first main-period result of a present participant (METHODS.md §2: retakes, past-year
 * graduates and absentees are not the school's own assessment of this year). */
int obj_counted(const model *m, size_t i)
{
    return !(m->res.flags[i] & (MODEL_ABSENT | MODEL_RETAKE | MODEL_PAST_GRADUATE));
}

/* sel[p] = 1 for the procedures of `year` named in [objectivity] procedures. */
int obj_select_procs(const model *m, int year, const meth_file *f, char *sel, msk_err *err)
{
    static const char *dflt[] = {"VPR:math:4", "VPR:math:5", "VPR:rus:4",
                                 "VPR:rus:5",  "OGE:math:9", "OGE:rus:9"};
    const char *items[OBJ_MAX_PROCS + 1];
    shnor_proc_key keys[OBJ_MAX_PROCS];
    size_t n;
    if (f && meth_get(f, "objectivity", "procedures")) {
        n = meth_list(f, "objectivity", "procedures", items, OBJ_MAX_PROCS + 1);
        if (n == 0 || n > OBJ_MAX_PROCS)
            return msk_error_at(err, obj_fname(f), 0, 0,
                                "[objectivity] procedures: список пуст или длиннее %d",
                                OBJ_MAX_PROCS);
    } else {
        n = sizeof dflt / sizeof dflt[0];
        memcpy(items, dflt, sizeof dflt);
    }
    for (size_t k = 0; k < n; k++)
        if (shnor_parse_proc(items[k], &keys[k]))
            return msk_error_at(err, obj_fname(f), 0, 0,
                                "[objectivity] procedures: «%s» не понято — пишите "
                                "ВИД:предмет:класс, например VPR:math:5",
                                items[k]);
    for (size_t p = 0; p < m->nprocs; p++) {
        sel[p] = 0;
        for (size_t k = 0; k < n && m->procs[p].year == year && !sel[p]; k++)
            sel[p] = (char)shnor_proc_matches(&keys[k], &m->procs[p]);
    }
    return 0;
}

void obj_num_ru(double v, int dec, char *out, size_t outsz)
{
    snprintf(out, outsz, "%.*f", dec, v);
    for (char *s = out; *s; s++)
        if (*s == '.')
            *s = ',';
}

/* Append sign o to signs[code], creating the array; steals o. */
int obj_add_sign(json_t *signs, const char *code, json_t *o)
{
    json_t *a = json_object_get(signs, code);
    if (!o)
        return -1;
    if (!a) {
        a = json_array();
        if (!a || json_object_set_new(signs, code, a)) {
            json_decref(o);
            return -1;
        }
    }
    return json_array_append_new(a, o);
}
