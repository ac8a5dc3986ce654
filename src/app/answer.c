/*
 * The school's answer to a flag and the analyst's decision (issue 16 item 6): each step one
 * transaction and one audit row (docs/app.md). The flag is «school × list × year»: the answer
 * outlives a rerun of the analysis, which replaces the findings but not the flag.
 */
#include "app/internal.h"

#include "store/answer.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct latest {
    int64_t id;
    char status[16], school[64], list[16];
    int year;
} latest;

static void on_latest(void *ctx, const store_answer_row *r)
{
    latest *l = ctx;
    l->id = r->id;
    l->year = r->year;
    snprintf(l->status, sizeof l->status, "%s", r->status);
    snprintf(l->school, sizeof l->school, "%s", r->school);
    snprintf(l->list, sizeof l->list, "%s", r->list);
}

/* Text that a person wrote: not empty, not too long, UTF-8 (the audit keeps it as JSON). */
static int text_ok(const char *text, const char *what, int required, msk_err *err)
{
    size_t n = text ? strlen(text) : 0;
    size_t k = text ? strspn(text, " \t\r\n") : 0;
    if (required && k == n)
        return msk_error(err, "%s пуст: напишите, что вы хотите сказать", what);
    if (n > STORE_ANSWER_TEXT_MAX)
        return msk_error(err, "%s длиннее %d байт (%zu): сократите его или приложите файл", what,
                         STORE_ANSWER_TEXT_MAX, n);
    json_t *j = n ? json_string(text) : NULL;
    if (n && !j)
        return msk_error(err, "%s не в кодировке UTF-8", what);
    json_decref(j);
    return 0;
}

static void object_of(char *out, size_t outsz, const char *school, const char *list, int year)
{
    snprintf(out, outsz, "flag:%s:%s:%d", school, list, year);
}

int app_answer_add(store *s, const app_actor *a, const char *school, const char *list, int year,
                   const char *text, const app_answer_file *files, size_t nfiles, int64_t *id,
                   msk_err *err)
{
    char object[128], *before = NULL, *after = NULL;
    if (!store_answer_list_ok(list))
        return msk_error(err, "нет списка «%s»: есть shnor, risk, objectivity, rating",
                         list ? list : "");
    if (!school || !*school)
        return msk_error(err, "не указана школа");
    /* only the school itself answers for it; the admin may, for a school that sent its answer
     * on paper (the CLI's operator of the machine acts as admin) */
    if (strcmp(a->role, "admin") != 0 &&
        (strcmp(a->role, "school") != 0 || strcmp(a->school, school) != 0)) {
        if (!strcmp(a->role, "school"))
            msk_error(err,
                      "пояснение к признаку школы %s пишет её оператор; вы — оператор школы %s",
                      school, a->school);
        else
            msk_error(err, "пояснение к признаку школы %s пишет оператор этой школы", school);
        return APP_FORBIDDEN;
    }
    if (text_ok(text, "Текст пояснения", 1, err))
        return -1;
    if (nfiles > STORE_ANSWER_FILES)
        return msk_error(err, "приложено %zu файлов — не больше %d", nfiles, STORE_ANSWER_FILES);
    for (size_t i = 0; i < nfiles; i++)
        if (files[i].size > STORE_ANSWER_FILE_MAX) {
            char name[128];
            app_file_name(files[i].name, name, sizeof name);
            return msk_error(err,
                             "файл «%s» — %.1f МБ, а можно не больше %d МБ: ничего не сохранено, "
                             "приложите файл меньшего размера",
                             name, (double)files[i].size / (1024.0 * 1024.0),
                             STORE_ANSWER_FILE_MAX / (1024 * 1024));
        }
    object_of(object, sizeof object, school, list, year);
    if (store_begin(s, err))
        return -1;
    int rc = store_flag_exists(s, school, list, year, err);
    if (rc == 0) {
        msk_error(err, "школы %s нет в списке «%s» последнего анализа %d года: отвечать не на что",
                  school, list, year);
        store_rollback(s);
        return APP_NOT_FOUND;
    }
    rc = rc < 0 ? -1 : 0;
    latest l = {0};
    if (rc == 0)
        rc = store_answers(s, school, list, year, on_latest, &l, err);
    if (rc == 0 && l.id && strcmp(l.status, "rejected") != 0) {
        rc = msk_error(err,
                       !strcmp(l.status, "accepted")
                           ? "пояснение школы %s к этому признаку уже принято"
                           : "пояснение школы %s к этому признаку уже отправлено и ждёт решения "
                             "аналитика: новое можно написать, если его отклонят",
                       school);
    }
    if (rc == 0 && l.id)
        rc = store_answer_snapshot(s, l.id, &before, err) ? -1 : 0;
    int64_t aid = 0;
    if (rc == 0)
        rc = store_answer_add(s, school, list, year, text, a->login, &aid, err);
    for (size_t i = 0; rc == 0 && i < nfiles; i++) {
        char name[128];
        app_file_name(files[i].name, name, sizeof name);
        rc = store_answer_attach(s, aid, name, files[i].data, files[i].size, NULL, err);
    }
    if (rc == 0)
        rc = store_answer_snapshot(s, aid, &after, err) ? -1 : 0;
    if (rc == 0)
        rc = app_audit(s, a, "answer.add", object, before, after, err);
    free(before);
    free(after);
    rc = app_end(s, rc, err);
    if (rc == 0 && id)
        *id = aid;
    return rc;
}

static int review(store *s, const app_actor *a, int64_t id, const char *status, const char *comment,
                  msk_err *err)
{
    char object[128], *before = NULL, *after = NULL;
    int reject = !strcmp(status, "rejected");
    if (strcmp(a->role, "analyst") != 0 && strcmp(a->role, "admin") != 0) {
        msk_error(err, "принять или отклонить пояснение может аналитик муниципалитета или "
                       "администратор");
        return APP_FORBIDDEN;
    }
    if (text_ok(comment, "Комментарий", reject, err))
        return -1;
    if (store_begin(s, err))
        return -1;
    latest l = {0};
    int rc = store_answer_get(s, id, on_latest, &l, err);
    if (rc > 0) {
        msk_error(err, "пояснения %lld нет", (long long)id);
        store_rollback(s);
        return APP_NOT_FOUND;
    }
    if (rc == 0 && strcmp(l.status, "submitted") != 0)
        rc = msk_error(err, "пояснение %lld уже %s", (long long)id,
                       !strcmp(l.status, "accepted") ? "принято" : "отклонено");
    if (rc == 0)
        rc = store_answer_snapshot(s, id, &before, err) ? -1 : 0;
    if (rc == 0)
        rc = store_answer_review(s, id, status, comment, a->login, err);
    if (rc == 0)
        rc = store_answer_snapshot(s, id, &after, err) ? -1 : 0;
    object_of(object, sizeof object, l.school, l.list, l.year);
    if (rc == 0)
        rc =
            app_audit(s, a, reject ? "answer.reject" : "answer.accept", object, before, after, err);
    free(before);
    free(after);
    return app_end(s, rc, err);
}

int app_answer_accept(store *s, const app_actor *a, int64_t id, const char *comment, msk_err *err)
{
    return review(s, a, id, "accepted", comment, err);
}

int app_answer_reject(store *s, const app_actor *a, int64_t id, const char *comment, msk_err *err)
{
    return review(s, a, id, "rejected", comment, err);
}
