/*
 * The evidence card of a flag (GET /schools/КОД/flags/СПИСОК?year=) with the school's answers,
 * the answer (POST …/answer: text and files, the school's operator), the analyst's decision
 * (POST /answers/N/accept, /answers/N/reject) and an answer's file (GET /answers/files/N).
 * The card's model is src/view/card.c — the same object the JSON API returns and `msoko show
 * card` prints; the writes are src/app/answer.c use cases (one transaction, one audit row).
 */
#include "web/internal.h"
#include "web/routes_internal.h"

#include "base/fmt.h"
#include "base/mem.h"
#include "store/answer.h"
#include "view/card.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The card of r->param (school) × r->param2 (list) × r->year, with its answers; error is the
 * message of a refused answer (the text typed kept in draft). */
static int card_page(web_req *r, const char *error, const char *draft)
{
    web_year_crumbs(r);
    if (!r->year)
        return web_page(r, "empty", "Данных пока нет", json_pack("{s:b}", "can_import", 0));
    if (r->user.role == VIEW_SCHOOL && strcmp(r->param, r->user.school))
        return web_fail(r, 403,
                        "Обоснование признака школы %s доступно аналитику муниципалитета и "
                        "оператору этой школы; вы — оператор школы %s",
                        r->param, r->user.school);
    view_year *v = web_view_year(r);
    if (!v)
        return 0;
    view_ctx c = web_ctx(r);
    json_t *d = NULL;
    msk_err err;
    msk_err_clear(&err);
    int rc = view_card(v, &c, r->param, r->param2, &d, &err);
    if (rc)
        return web_view_fail(r, rc, &err, "/", "Сводка муниципалитета");
    if (view_card_answers(r->db, &c, d, &err)) {
        json_decref(d);
        return web_fail(r, 500, "Пояснения школы не прочитаны: %s", err.msg);
    }
    const char *name = json_string_value(json_object_get(json_object_get(d, "school"), "name"));
    const char *lname = json_string_value(json_object_get(d, "list_name"));
    char href[200], title[400];
    snprintf(href, sizeof href, "/schools/%s?year=%d", r->param, r->year);
    if (r->user.role >= VIEW_ANALYST) {
        snprintf(title, sizeof title, "/lists/%s?year=%d", r->param2, r->year);
        web_crumb(r, lname, title);
    }
    web_crumb(r, name, href);
    web_crumb(r, "Обоснование", NULL);
    json_object_set_new(
        d, "answer_href",
        json_sprintf("/schools/%s/flags/%s/answer?year=%d", r->param, r->param2, r->year));
    json_object_set_new(d, "file_max_mb", json_integer(STORE_ANSWER_FILE_MAX / (1024 * 1024)));
    if (error) {
        r->status = 422;
        json_object_set_new(d, "error", json_string(error));
        json_object_set_new(d, "draft", json_string(draft ? draft : ""));
    }
    if (!r->json)
        web_chart_card(d);
    snprintf(title, sizeof title, "%s: %s за %d год — обоснование", name, lname, r->year);
    return web_page(r, "card", title, d);
}

int web_h_card(web_req *r)
{
    return card_page(r, NULL, NULL);
}

int web_h_answer_add(web_req *r)
{
    app_answer_file files[STORE_ANSWER_FILES + 1];
    size_t nf = 0;
    for (size_t i = 0; i < r->form.n; i++) {
        const web_field *f = &r->form.fields[i];
        if (strcmp(f->name, "file") != 0 || !f->file_name || !f->file_name[0] || !f->value_len)
            continue; /* an empty file input sends a part with no name */
        if (nf > STORE_ANSWER_FILES)
            break;
        files[nf++] =
            (app_answer_file){f->file_name, (const unsigned char *)f->value, f->value_len};
    }
    const char *text = web_field_value(r, "text");
    app_actor a;
    web_actor(r, &a);
    msk_err err;
    msk_err_clear(&err);
    int rc = app_answer_add(r->db, &a, r->param, r->param2, r->year, text, files, nf, NULL, &err);
    if (rc == APP_FORBIDDEN)
        return web_fail(r, 403, "Нет доступа: %s", err.msg);
    if (rc == APP_NOT_FOUND)
        return web_fail(r, 404, "Не найдено: %s", err.msg);
    if (rc) {
        char msg[600];
        snprintf(msg, sizeof msg, "Пояснение не сохранено: %s", err.msg);
        return card_page(r, msg, text);
    }
    web_cache_invalidate(r->srv);
    char href[200];
    snprintf(href, sizeof href, "/schools/%s/flags/%s?year=%d#answers", r->param, r->param2,
             r->year);
    return web_redirect(r, href);
}

typedef struct ans_key {
    char school[64], list[16];
    int year;
} ans_key;

static void on_key(void *ctx, const store_answer_row *row)
{
    ans_key *k = ctx;
    snprintf(k->school, sizeof k->school, "%s", row->school);
    snprintf(k->list, sizeof k->list, "%s", row->list);
    k->year = row->year;
}

static int review(web_req *r, int accept)
{
    int64_t id;
    if (web_param_id(r, &id))
        return web_fail(r, 404, "Не найдено: пояснения «%s» нет", r->param);
    const char *comment = web_field_value(r, "comment");
    app_actor a;
    web_actor(r, &a);
    msk_err err;
    msk_err_clear(&err);
    ans_key k0 = {"", "", 0};
    /* an answer of a school outside the scope is as unknown as no answer (issue 17 item 2) */
    if (store_answer_get(r->db, id, on_key, &k0, &err) != 0 || !web_scope_school(r, k0.school))
        return web_fail(r, 404, "Не найдено: пояснения %lld нет", (long long)id);
    int rc = accept ? app_answer_accept(r->db, &a, id, comment, &err)
                    : app_answer_reject(r->db, &a, id, comment, &err);
    if (rc == APP_FORBIDDEN)
        return web_fail(r, 403, "Нет доступа: %s", err.msg);
    if (rc == APP_NOT_FOUND)
        return web_fail(r, 404, "Не найдено: %s", err.msg);
    if (rc)
        return web_fail(r, 422, "Решение не сохранено: %s", err.msg);
    web_cache_invalidate(r->srv);
    ans_key k = {"", "", 0};
    if (store_answer_get(r->db, id, on_key, &k, &err) != 0)
        return web_redirect(r, "/");
    char href[200];
    snprintf(href, sizeof href, "/schools/%s/flags/%s?year=%d#answers", k.school, k.list, k.year);
    return web_redirect(r, href);
}

int web_h_answer_accept(web_req *r)
{
    return review(r, 1);
}

int web_h_answer_reject(web_req *r)
{
    return review(r, 0);
}

typedef struct file_ctx {
    web_req *r;
    int64_t answer;
    int found;
} file_ctx;

static void on_file(void *ctx, const store_answer_file *f)
{
    file_ctx *c = ctx;
    c->found = 1;
    c->answer = f->answer_id;
    msk_buf_reset(&c->r->out);
    msk_buf_add(&c->r->out, f->data, (size_t)f->size);
    /* the name as stored: no quote, folder or control character (src/app/answer.c) */
    snprintf(c->r->disposition, sizeof c->r->disposition, "attachment; filename=\"%s\"", f->name);
}

int web_h_answer_file(web_req *r)
{
    int64_t id;
    if (web_param_id(r, &id))
        return web_fail(r, 404, "Не найдено: файла «%s» нет", r->param);
    msk_err err;
    msk_err_clear(&err);
    file_ctx c = {r, 0, 0};
    ans_key k = {"", "", 0};
    if (store_answer_file_get(r->db, id, on_file, &c, &err) < 0)
        return web_fail(r, 500, "Файл не прочитан: %s", err.msg);
    if (!c.found || store_answer_get(r->db, c.answer, on_key, &k, &err) != 0 ||
        !web_scope_school(r, k.school)) { /* outside the scope: the same as no file */
        msk_buf_reset(&r->out);
        return web_fail(r, 404, "Не найдено: файла %lld нет", (long long)id);
    }
    if (r->user.role == VIEW_SCHOOL && strcmp(k.school, r->user.school)) {
        msk_buf_reset(&r->out);
        return web_fail(r, 403,
                        "Файл пояснения школы %s доступен аналитику муниципалитета и "
                        "оператору этой школы",
                        k.school);
    }
    r->ctype = "application/octet-stream";
    return 0;
}
