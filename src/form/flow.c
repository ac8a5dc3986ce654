/*
 * The submission workflow: draft → submitted → returned (with a comment) → submitted →
 * approved, and who may do what. A school operator fills and submits only its own school's
 * forms; the analyst (or admin) may fill any school's form (a paper form typed in), returns and
 * approves; nobody changes a submitted form until it is returned, nor an approved one. Each
 * step runs inside the transaction of its use case (src/app/form.c), which writes the audit
 * row; values keep their history here.
 */
#include "base/mem.h"
#include "form/form.h"

#include "base/vocab.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *status_ru(const char *st)
{
    return vocab_label(VOCAB_FORM_STATUS, st);
}

static int is_staff(const form_actor *a)
{
    return a->role && (!strcmp(a->role, "analyst") || !strcmp(a->role, "admin"));
}

/* The form, the school and the period, with the actor's right to touch that school. */
typedef struct target {
    store_form f;
    int64_t school_id;
    char school[64];
} target;

static int open_target(store *s, const form_actor *a, const char *form, const char *school_code,
                       const char *period, target *t, msk_err *err)
{
    memset(t, 0, sizeof *t);
    int r = store_form_get(s, form, &t->f, err);
    if (r > 0)
        return msk_error(err, "формы «%s» нет: загрузите её (msoko form load methods/forms/…)",
                         form);
    if (r < 0)
        return -1;
    if (!form_period_ok(t->f.period_type, period)) {
        store_form_release(&t->f);
        return msk_error(err, "период «%s» не подходит форме %s (%s): %s", period, form,
                         t->f.period_type,
                         !strcmp(t->f.period_type, "year") ? "год, например 2024"
                         : !strcmp(t->f.period_type, "half_year") ? "полугодие, например 2024-H1"
                                                                  : "месяц, например 2024-09");
    }
    if (store_school_id(s, school_code, &t->school_id)) {
        store_form_release(&t->f);
        return msk_error(err, "школы с кодом «%s» нет", school_code);
    }
    snprintf(t->school, sizeof t->school, "%s", school_code);
    if (!is_staff(a) && !(a->role && !strcmp(a->role, "school") && a->school_id == t->school_id)) {
        store_form_release(&t->f);
        if (a->role && !strcmp(a->role, "school"))
            return msk_error(err, "школа может заполнять только формы своей школы, а не %s",
                             school_code);
        return msk_error(err, "нет прав на формы школ (роль «%s»)", a->role ? a->role : "");
    }
    /* a form of one list's schools (the ШНОР support, seed 002 п. 2.3.2–2.3.3) is filled by
     * those schools only, whoever types it in; checked after the right to the school, so
     * that another school's operator learns nothing of its lists */
    int year = form_period_school_year(t->f.period_type, period);
    int as = store_form_assigned(s, &t->f, t->school_id, period, year, err);
    if (as == 1)
        return 0;
    if (as == 0)
        msk_error(err,
                  "форма «%s» за %s заполняется только школами списка «%s» по анализу %d года; "
                  "школы %s в нём нет",
                  t->f.name, period, vocab_label(VOCAB_METHOD, t->f.schools), year, school_code);
    store_form_release(&t->f);
    return -1;
}

/* Issue 19: the form page pre-fills a field the school has not filled with the approved value
 * of the same element and period (a context file, an earlier approved form; view/form.c
 * form_fields), and saving the page stores every field it shows. A fill that names only some
 * fields (`msoko form fill`) stores the same: each element neither given (given[0..ngiven))
 * nor in the draft gets its approved value, so the CLI and the page leave the same values. */
static int prefill(store *s, const target *t, const store_sub *sub, const store_fvalue *given,
                   size_t ngiven, const char *user, msk_err *err)
{
    store_fvalue *draft = NULL, *appr = NULL;
    size_t nd = 0, na = 0;
    int rc = -1;
    if (store_sub_values(s, sub->id, &draft, &nd, err) ||
        store_form_school_approved(s, &t->f, t->school_id, sub->period, &appr, &na, err))
        goto out;
    for (size_t k = 0; k < na; k++) {
        int have = !appr[k].has_value;
        for (size_t i = 0; i < ngiven && !have; i++)
            have = !strcmp(given[i].element, appr[k].element);
        for (size_t i = 0; i < nd && !have; i++)
            have = !strcmp(draft[i].element, appr[k].element) && draft[i].has_value;
        if (!have && store_sub_value_put(s, sub, &appr[k], user, NULL, err))
            goto out;
    }
    rc = 0;
out:
    free(draft);
    free(appr);
    return rc;
}

int form_fill(store *s, const form_actor *a, const char *form, const char *school_code,
              const char *period, const char *const *pairs, size_t npairs, form_msgs *msgs,
              msk_err *err)
{
    target t;
    store_fvalue *vals = NULL;
    int rc = -1;
    MSK_ASSERT(store_in_transaction(s));
    if (open_target(s, a, form, school_code, period, &t, err))
        return -1;
    vals = msk_calloc(npairs + 1, sizeof *vals);
    int bad = 0;
    for (size_t i = 0; i < npairs; i++) {
        const char *eq = strchr(pairs[i], '=');
        char code[64], msg[512];
        if (!eq || eq == pairs[i] || (size_t)(eq - pairs[i]) >= sizeof code) {
            msk_error(err, "«%s»: ожидается КОД=ЗНАЧЕНИЕ", pairs[i]);
            goto out;
        }
        snprintf(code, sizeof code, "%.*s", (int)(eq - pairs[i]), pairs[i]);
        const store_form_elem *e = NULL;
        for (size_t k = 0; k < t.f.nel; k++)
            if (!strcmp(t.f.el[k].code, code))
                e = &t.f.el[k];
        if (!e) {
            msk_error(err, "показателя «%s» нет в форме %s", code, form);
            goto out;
        }
        if (form_parse_value(e, eq + 1, &vals[i], msg, sizeof msg)) {
            form_msg *g = msk_realloc(msgs->m, (msgs->n + 1) * sizeof *g);
            msgs->m = g;
            snprintf(g[msgs->n].element, sizeof g[msgs->n].element, "%s", code);
            snprintf(g[msgs->n].text, sizeof g[msgs->n].text, "%s: %s", e->name, msg);
            msgs->n++;
            bad = 1;
        }
    }
    if (bad) {
        msk_error(err, "форма %s, школа %s, период %s: значения с ошибками не сохранены", form,
                  school_code, period);
        rc = 1;
        goto out;
    }
    store_sub sub;
    int r = store_sub_get(s, form, t.school_id, period, &sub, err);
    if (r < 0)
        goto out;
    if (r > 0) {
        int64_t id;
        if (store_sub_create(s, form, t.school_id, period, a->user, &id, err) ||
            store_sub_get(s, form, t.school_id, period, &sub, err))
            goto out;
    } else if (!strcmp(sub.status, "submitted") || !strcmp(sub.status, "approved")) {
        msk_error(err, "форма %s школы %s за %s %s: изменять её нельзя%s", form, school_code,
                  period, status_ru(sub.status),
                  !strcmp(sub.status, "submitted") ? " (аналитик может вернуть её на доработку)"
                                                   : "");
        goto out;
    }
    if (prefill(s, &t, &sub, vals, npairs, a->user, err))
        goto out;
    for (size_t i = 0; i < npairs; i++)
        if (store_sub_value_put(s, &sub, &vals[i], a->user, NULL, err))
            goto out;
    rc = 0;
out:
    free(vals);
    store_form_release(&t.f);
    return rc;
}

/* Move (form, school, period) from one of the states in from[] to to. */
static int step(store *s, const form_actor *a, const char *form, const char *school_code,
                const char *period, const char *const *from, const char *to, const char *comment,
                int staff_only, form_msgs *msgs, msk_err *err)
{
    target t;
    store_sub sub;
    store_fvalue *vals = NULL;
    size_t n = 0;
    int rc = -1;
    MSK_ASSERT(store_in_transaction(s));
    if (staff_only && !is_staff(a))
        return msk_error(err, "%s может только аналитик управления образования",
                         !strcmp(to, "approved") ? "утверждать формы" : "возвращать формы");
    if (open_target(s, a, form, school_code, period, &t, err))
        return -1;
    int r = store_sub_get(s, form, t.school_id, period, &sub, err);
    if (r < 0)
        goto out;
    if (r > 0) {
        msk_error(err, "форма %s школы %s за %s ещё не заполнялась", form, school_code, period);
        goto out;
    }
    int ok = 0;
    for (size_t i = 0; from[i]; i++)
        ok |= !strcmp(sub.status, from[i]);
    if (!ok) {
        msk_error(err, "форма %s школы %s за %s %s: %s нельзя", form, school_code, period,
                  status_ru(sub.status),
                  !strcmp(to, "submitted")  ? "сдать её"
                  : !strcmp(to, "returned") ? "вернуть её"
                                            : "утвердить её");
        goto out;
    }
    if (!strcmp(to, "submitted") || !strcmp(to, "approved")) {
        if (store_sub_values(s, sub.id, &vals, &n, err))
            goto out;
        if (form_check(&t.f, vals, n, 1, msgs)) {
            msk_error(err, "форма %s школы %s за %s не прошла проверку", form, school_code, period);
            rc = 1;
            goto out;
        }
    }
    if (store_sub_set_status(s, &sub, to, comment, a->user, err))
        goto out;
    if (!strcmp(to, "approved") && store_sub_publish(s, &sub, &t.f, a->user, err))
        goto out;
    rc = 0;
out:
    free(vals);
    store_form_release(&t.f);
    return rc;
}

int form_submit(store *s, const form_actor *a, const char *form, const char *school_code,
                const char *period, form_msgs *msgs, msk_err *err)
{
    static const char *const FROM[] = {"draft", "returned", NULL};
    return step(s, a, form, school_code, period, FROM, "submitted", NULL, 0, msgs, err);
}

int form_return(store *s, const form_actor *a, const char *form, const char *school_code,
                const char *period, const char *comment, msk_err *err)
{
    static const char *const FROM[] = {"submitted", NULL};
    form_msgs none = {0};
    if (!comment || !comment[0])
        return msk_error(err, "вернуть форму можно только с комментарием: что исправить");
    int rc = step(s, a, form, school_code, period, FROM, "returned", comment, 1, &none, err);
    form_msgs_release(&none);
    return rc;
}

int form_approve(store *s, const form_actor *a, const char *form, const char *school_code,
                 const char *period, form_msgs *msgs, msk_err *err)
{
    static const char *const FROM[] = {"submitted", NULL};
    return step(s, a, form, school_code, period, FROM, "approved", NULL, 1, msgs, err);
}
