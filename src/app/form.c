/*
 * Monitoring forms as use cases: every step of the workflow (fill, submit, return, approve)
 * and loading definitions is one transaction with one audit row; the before/after images
 * are the submission (status, comment, working values). src/form/flow.c keeps the rules.
 */
#include "app/internal.h"

#include "base/buf.h"
#include "store/form.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum step { FILL, SUBMIT, RETURN, APPROVE };

/* The submission of (form, school, period): its id (0 when there is none yet). */
static int64_t sub_id(store *s, const char *form, const char *school, const char *period)
{
    int64_t sid = 0;
    store_sub sub;
    msk_err ignored;
    if (store_school_id(s, school, &sid) || store_sub_get(s, form, sid, period, &sub, &ignored))
        return 0;
    return sub.id;
}

static int form_step(store *s, const app_actor *a, enum step step, const char *form,
                     const char *school, const char *period, const char *const *pairs,
                     size_t npairs, const char *comment, form_msgs *msgs, msk_err *err)
{
    static const char *const ACTION[] = {"form.draft", "form.submitted", "form.returned",
                                         "form.approved"};
    char *before = NULL, *after = NULL, object[200];
    form_actor fa;
    form_msgs none = {0};
    if (!msgs)
        msgs = &none;
    if (store_begin(s, err))
        return -1;
    app_form_actor(s, a, &fa);
    int64_t id0 = sub_id(s, form, school, period);
    int rc = id0 && store_sub_image(s, id0, &before, err) < 0 ? -1 : 0;
    if (rc == 0) {
        switch (step) {
        case FILL:
            rc = form_fill(s, &fa, form, school, period, pairs, npairs, msgs, err);
            break;
        case SUBMIT:
            rc = form_submit(s, &fa, form, school, period, msgs, err);
            break;
        case RETURN:
            rc = form_return(s, &fa, form, school, period, comment, err);
            break;
        case APPROVE:
            rc = form_approve(s, &fa, form, school, period, msgs, err);
            break;
        }
    }
    if (rc == 0) {
        int64_t id = sub_id(s, form, school, period);
        const char *action = ACTION[step];
        /* the first fill creates the submission (form.draft); a later fill changes only its
         * values, so it is audited on the submission's values */
        snprintf(object, sizeof object, "submission:%lld:%s:%s%s", (long long)id, form, period,
                 step == FILL && id0 ? ":values" : "");
        if (step == FILL && id0)
            action = "form.fill";
        if (store_sub_image(s, id, &after, err) < 0 ||
            app_audit(s, a, action, object, before, after, err))
            rc = -1;
    }
    free(before);
    free(after);
    form_msgs_release(&none);
    return app_end(s, rc, err);
}

int app_form_fill(store *s, const app_actor *a, const char *form, const char *school,
                  const char *period, const char *const *pairs, size_t npairs, form_msgs *msgs,
                  msk_err *err)
{
    return form_step(s, a, FILL, form, school, period, pairs, npairs, NULL, msgs, err);
}

int app_form_submit(store *s, const app_actor *a, const char *form, const char *school,
                    const char *period, form_msgs *msgs, msk_err *err)
{
    return form_step(s, a, SUBMIT, form, school, period, NULL, 0, NULL, msgs, err);
}

int app_form_return(store *s, const app_actor *a, const char *form, const char *school,
                    const char *period, const char *comment, msk_err *err)
{
    return form_step(s, a, RETURN, form, school, period, NULL, 0, comment, NULL, err);
}

int app_form_approve(store *s, const app_actor *a, const char *form, const char *school,
                     const char *period, form_msgs *msgs, msk_err *err)
{
    return form_step(s, a, APPROVE, form, school, period, NULL, 0, NULL, msgs, err);
}

/* The forms of names[i] (texts[i] their text, or NULL: read the file names[i]) in one
 * transaction with one audit row. */
static int load_forms(store *s, const app_actor *a, const char *const *names,
                      const char *const *texts, size_t n,
                      void (*on_form)(void *ctx, const char *path, const store_form *f), void *ctx,
                      msk_err *err)
{
    json_t *forms = json_array();
    msk_buf object;
    int rc = -1;
    msk_buf_init(&object, 0);
    if (store_begin(s, err)) {
        json_decref(forms);
        msk_buf_release(&object);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        store_form f;
        if ((texts ? form_load_ini_str(names[i], texts[i], &f, err)
                   : form_load_ini(names[i], &f, err)) ||
            store_form_put(s, &f, err)) {
            store_form_release(&f);
            goto end;
        }
        if (on_form)
            on_form(ctx, names[i], &f);
        msk_buf_printf(&object, "%s%s", i ? "," : "", f.code);
        /* the file's name, not its path: the journal is read on the web, and a path of the
         * server's disk belongs in no answer (issue 14 п. 5) */
        const char *slash = strrchr(names[i], '/');
        json_array_append_new(forms,
                              json_pack("{s:s,s:s,s:s,s:I,s:I}", "code", f.code, "name", f.name,
                                        "file", slash ? slash + 1 : names[i], "elements",
                                        (json_int_t)f.nel, "rules", (json_int_t)f.nru));
        store_form_release(&f);
    }
    json_t *doc = json_pack("{s:O}", "forms", forms);
    char *after = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(doc);
    rc = app_audit(s, a, "form.load", object.data, NULL, after, err);
    free(after);
end:
    json_decref(forms);
    msk_buf_release(&object);
    return app_end(s, rc, err);
}

int app_form_load(store *s, const app_actor *a, const char *const *paths, size_t n,
                  void (*on_form)(void *ctx, const char *path, const store_form *f), void *ctx,
                  msk_err *err)
{
    return load_forms(s, a, paths, NULL, n, on_form, ctx, err);
}

int app_form_load_text(store *s, const app_actor *a, const char *name, const char *text,
                       void (*on_form)(void *ctx, const char *path, const store_form *f), void *ctx,
                       msk_err *err)
{
    const char *names[] = {name}, *texts[] = {text};
    return load_forms(s, a, names, texts, 1, on_form, ctx, err);
}

static int valid_schools(const char *v)
{
    return !v[0] || !strcmp(v, "shnor") || !strcmp(v, "risk") || !strcmp(v, "objectivity");
}

int app_form_assign(store *s, const app_actor *a, const char *code, const char *schools,
                    int due_days, msk_err *err)
{
    store_form f;
    if (!schools || !valid_schools(schools))
        return msk_error(err, "кто сдаёт форму: все школы или школы списка ШНОР, зоны риска, "
                              "признаков необъективности");
    if (due_days < 0 || due_days > 366)
        return msk_error(err, "срок сдачи: целое число дней от 0 до 366 после конца периода");
    if (store_begin(s, err))
        return -1;
    int rc = store_form_get(s, code, &f, err);
    if (rc > 0)
        msk_error(err, "нет формы «%s»", code);
    if (rc == 0) {
        json_t *b = json_pack("{s:s,s:i}", "schools", f.schools, "due_days", f.due_days);
        json_t *af = json_pack("{s:s,s:i}", "schools", schools, "due_days", due_days);
        char *before = json_dumps(b, JSON_COMPACT | JSON_PRESERVE_ORDER);
        char *after = json_dumps(af, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (store_form_set_assign(s, code, schools, due_days, err) ||
            app_audit(s, a, "form.assign", code, before, after, err))
            rc = -1;
        json_decref(b);
        json_decref(af);
        free(before);
        free(after);
        store_form_release(&f);
    }
    return app_end(s, rc, err);
}
