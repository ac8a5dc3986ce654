/*
 * Sign 5 of non-objective results (METHODS.md §2.5; seeds 000 table 1, 003 §1.9, 004 §1.3): a
 * medalist «За особые успехи в учении» of year Y scored below min_score on an ЕГЭ subject of the
 * chosen list. One sign per school: the number of such medalists. Pupils are codes; they are
 * counted, never named. Settings: [medal] subjects ("*" or a list; default every subject but
 * math_base, where there is no 100-point score), min_score.
 */
#include "base/mem.h"
#include "method/obj_common.h"
#include "method/objectivity.h"
#include "method/shnor.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MEDAL_MAX_SUBJECTS = 32 };

int obj_medals(const model *m, int year, const meth_file *f, json_t *signs, msk_err *err)
{
    static const char *known[] = {"subjects", "min_score"};
    const char *sec = "medal";
    const char *subj[MEDAL_MAX_SUBJECTS + 1];
    size_t nsubj = 0;
    double min_score = 70;
    int rc = -1;
    char *below = NULL, *use = NULL;
    int *total = NULL, *bad = NULL;
    if (meth_check_keys(f, sec, known, sizeof known / sizeof known[0], err))
        return -1;
    if (f && meth_num(f, sec, "min_score", 70, &min_score, err))
        return -1;
    if (!(min_score > 0 && min_score <= 100))
        return msk_error_at(err, obj_fname(f), 0, 0,
                            "[medal] min_score: тестовый балл от 1 до 100");
    if (f && meth_get(f, sec, "subjects")) {
        nsubj = meth_list(f, sec, "subjects", subj, MEDAL_MAX_SUBJECTS + 1);
        if (nsubj == 0 || nsubj > MEDAL_MAX_SUBJECTS)
            return msk_error_at(err, obj_fname(f), 0, 0,
                                "[medal] subjects: список пуст или длиннее %d (все предметы: *)",
                                MEDAL_MAX_SUBJECTS);
        if (nsubj == 1 && strcmp(subj[0], "*") == 0)
            nsubj = 0; /* every subject, math_base included */
        else
            for (size_t k = 0; k < nsubj; k++)
                if (strcmp(subj[k], "*") == 0)
                    return msk_error_at(err, obj_fname(f), 0, 0,
                                        "[medal] subjects: «*» пишется одно, без других предметов");
    }
    int dflt = !(f && meth_get(f, sec, "subjects"));
    use = msk_calloc(m->nprocs + 1, 1);
    below = msk_calloc(m->npupils + 1, 1);
    total = msk_calloc(m->nschools + 1, sizeof *total);
    bad = msk_calloc(m->nschools + 1, sizeof *bad);
    for (size_t p = 0; p < m->nprocs; p++) {
        const model_proc *pr = &m->procs[p];
        if (pr->year != year || strcmp(pr->kind, "EGE") != 0)
            continue;
        if (dflt)
            use[p] = strcmp(pr->subject, "math_base") != 0;
        else if (nsubj == 0)
            use[p] = 1;
        for (size_t k = 0; k < nsubj && !use[p]; k++)
            use[p] = strcmp(subj[k], pr->subject) == 0;
    }
    /* pupils are interned per school, so a pupil index names one pupil of one school */
    for (size_t i = 0; i < m->res.n; i++)
        if (use[m->res.proc[i]] && m->res.test_score[i] >= 0 &&
            !(m->res.flags[i] & (MODEL_ABSENT | MODEL_RETAKE | MODEL_PAST_GRADUATE)) &&
            m->res.test_score[i] < min_score && m->res.pupil[i] >= 0)
            below[m->res.pupil[i]] = 1;
    for (size_t g = 0; g < m->ngrads; g++) {
        const model_graduate *gr = &m->grads[g];
        if (gr->year != year || gr->grade != 11 || gr->medal != 1 || gr->school < 0)
            continue;
        total[gr->school]++;
        bad[gr->school] += gr->pupil >= 0 && (size_t)gr->pupil < m->npupils && below[gr->pupil];
    }
    /* which ЕГЭ counted: said in brackets, so the sentence itself reads «хотя бы один экзамен
     * ниже 70» — «ниже 70 по любому предмету» reads as "in every subject" */
    char list[400] = "", sc[32];
    if (dflt)
        snprintf(list, sizeof list, "все предметы, кроме базовой математики");
    else if (nsubj == 0)
        snprintf(list, sizeof list, "все предметы");
    else
        for (size_t k = 0, n = 0; k < nsubj && n < sizeof list; k++)
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%s",
                                  k ? ", " : "предметы: ", shnor_subject_ru(subj[k]));
    snprintf(sc, sizeof sc, "%g", min_score);
    for (size_t s = 0; s < m->nschools; s++) {
        if (!bad[s])
            continue;
        char text[900];
        /* «из 1 медалиста», «из 21 медалиста», «из 3 медалистов», «из 11 медалистов» */
        int one = total[s] % 10 == 1 && total[s] % 100 != 11;
        snprintf(text, sizeof text,
                 "ЕГЭ, %d: у %d из %d %s «За особые успехи в учении» хотя бы один экзамен сдан "
                 "ниже чем на %s тестовых баллов (учитывались %s) — медаль не подтверждена "
                 "результатами ЕГЭ",
                 year, bad[s], total[s], one ? "медалиста" : "медалистов", sc, list);
        json_t *subjects = json_array();
        for (size_t k = 0; subjects && k < nsubj; k++)
            json_array_append_new(subjects, json_string(subj[k]));
        json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:i, s:f, s:s, s:i, s:i, s:o}", "sign", "medal",
                              "kind", "EGE", "subject", "*", "grade", 11, "value", bad[s],
                              "threshold", min_score, "text", text, "medalists_below", bad[s],
                              "medalists", total[s], "subjects", subjects ? subjects : json_null());
        json_t *a = json_object_get(signs, m->schools[s].code);
        if (o && !a) {
            a = json_array();
            if (a && json_object_set_new(signs, m->schools[s].code, a))
                a = NULL;
        }
        if (!a)
            json_decref(o);
        if (!o || !a || json_array_append_new(a, o)) {
            msk_error(err, "не хватает памяти");
            goto out;
        }
    }
    rc = 0;
out:
    free(use);
    free(below);
    free(total);
    free(bad);
    return rc;
}
