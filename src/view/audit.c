/*
 * The audit log as the admin reads it (view.h, view_audit): rows filtered by user, school,
 * action and dates, a page at a time, with each change's before and after pretty-printed when
 * they are JSON; the filters' choices; Russian names of the actions. Only the admin may read
 * it: the log names every user and every change.
 */
#include "base/buf.h"
#include "base/fmt.h"
#include "base/mem.h"
#include "store/audit.h"
#include "view/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const ACTIONS[][2] = {
    {"import", "загрузка файла"},
    {"import.undo", "отмена загрузки"},
    {"analyze", "анализ года"},
    {"user.add", "новый пользователь"},
    {"user.passwd", "смена пароля"},
    {"user.role", "смена роли"},
    {"user.setup", "первый запуск: администратор создан"},
    {"user.disable", "пользователь отключён"},
    {"user.enable", "пользователю снова разрешён вход"},
    {"user.delete", "пользователь удалён"},
    {"form.load", "загрузка форм мониторинга"},
    {"form.assign", "форма: кто сдаёт и срок"},
    {"form.draft", "форма: черновик"},
    {"form.fill", "форма: значения"},
    {"form.submitted", "форма: сдана"},
    {"form.returned", "форма: возвращена на доработку"},
    {"form.approved", "форма: утверждена"},
    {"plan.status", "пункт плана: статус"},
    {"plan.attach", "пункт плана: файл"},
    {"plan.refresh", "дорожная карта: сроки пересчитаны"},
    {"recheck.sample", "перепроверка: выборка работ"},
    {"recheck.import", "перепроверка: баллы экспертов"},
    {"answer.add", "пояснение школы к признаку"},
    {"answer.accept", "пояснение школы принято"},
    {"answer.reject", "пояснение школы отклонено"},
    {"session.end_all", "выход на всех устройствах"},
    {"login.lockout", "вход закрыт после неудачных попыток"},
    {"backup.download", "копия базы скачана"},
    {"decision.add", "управленческое решение"},
    {"decision.attach", "управленческое решение: файл"},
};

const char *view_audit_action_name(const char *action)
{
    for (size_t i = 0; i < sizeof ACTIONS / sizeof ACTIONS[0]; i++)
        if (!strcmp(ACTIONS[i][0], action))
            return ACTIONS[i][1];
    return action;
}

static const char *role_name(int role)
{
    return role == VIEW_ANALYST ? "аналитик" : role == VIEW_SCHOOL ? "оператор школы" : "гость";
}

/* A date of the filter as YYYY-MM-DD: from «2024-03-15» or «15.03.2024»; -1 when neither. */
/* before/after for people: JSON pretty-printed (escaped later by the template), else as is */
static json_t *pretty(const char *s)
{
    if (!s)
        return json_null();
    json_t *j = json_loads(s, JSON_DECODE_ANY, NULL);
    if (j && (json_is_object(j) || json_is_array(j))) {
        char *p = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_decref(j);
        json_t *out = json_string(p ? p : s);
        free(p);
        return out ? out : json_string("");
    }
    json_decref(j);
    json_t *out = json_string(s);
    return out ? out : json_stringn(s, 0); /* not UTF-8: nothing rather than a broken page */
}

static void on_row(void *ctx, const store_audit_row *row)
{
    json_t *rows = ctx;
    char at[32];
    /* «2024-03-15T09:00:00Z» → «15.03.2024 09:00» */
    if (strlen(row->at) >= 16)
        snprintf(at, sizeof at, "%.2s.%.2s.%.4s %.5s", row->at + 8, row->at + 5, row->at,
                 row->at + 11);
    else
        snprintf(at, sizeof at, "%s", row->at);
    json_t *r =
        json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:s, s:s?}", "id", (json_int_t)row->id, "at",
                  row->at, "at_text", at, "user", row->user, "action", row->action, "action_name",
                  view_audit_action_name(row->action), "object", row->object);
    if (!r)
        return;
    json_object_set_new(r, "before", row->before ? json_string(row->before) : json_null());
    json_object_set_new(r, "after", row->after ? json_string(row->after) : json_null());
    json_object_set_new(r, "before_text", pretty(row->before));
    json_object_set_new(r, "after_text", pretty(row->after));
    json_array_append_new(rows, r);
}

typedef struct opt_ctx {
    json_t *a;
    const char *chosen;
    int actions;
} opt_ctx;

static void on_value(void *ctx, const char *value)
{
    opt_ctx *o = ctx;
    const char *label = o->actions ? view_audit_action_name(value) : *value ? value : "(без имени)";
    json_t *x = json_pack("{s:s?, s:s?, s:b}", "value", value, "label", label, "selected",
                          o->chosen && !strcmp(o->chosen, value));
    if (x)
        json_array_append_new(o->a, x);
}

int view_audit(store *s, const view_ctx *c, const view_audit_query *q, json_t **out, msk_err *err)
{
    *out = NULL;
    if (c->role != VIEW_ADMIN) {
        msk_error(err, "Журнал изменений доступен только администратору; ваша роль — «%s»",
                  role_name(c->role));
        return VIEW_FORBIDDEN;
    }
    char from[11] = "", to[11] = "";
    json_t *errors = json_array();
    if (q->from && *q->from && fmt_parse_date(q->from, from))
        json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "from", "message",
                                                "Дата «с»: ожидается дд.мм.гггг, например "
                                                "01.09.2024"));
    if (q->to && *q->to && fmt_parse_date(q->to, to))
        json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "to", "message",
                                                "Дата «по»: ожидается дд.мм.гггг, например "
                                                "31.05.2025"));
    int per = q->per_page > 0 ? q->per_page : 0;
    int page = q->page > 0 ? q->page : 1;
    store_audit_filter f = {q->user, q->action, q->school, from, to, 0, per, NULL};
    int64_t total = 0;
    json_t *rows = json_array();
    if (store_audit_read(s, &f, on_row, rows, &total, err)) {
        json_decref(rows);
        json_decref(errors);
        return -1;
    }
    int64_t pages = per ? (total + per - 1) / per : 1;
    if (pages < 1)
        pages = 1;
    if (page > pages)
        page = (int)pages;
    if (per && page > 1) { /* read the page asked for (the count came with the first one) */
        json_array_clear(rows);
        f.offset = (int64_t)(page - 1) * per;
        if (store_audit_read(s, &f, on_row, rows, NULL, err)) {
            json_decref(rows);
            json_decref(errors);
            return -1;
        }
    }
    json_t *users = json_array(), *actions = json_array();
    opt_ctx ou = {users, q->user, 0}, oa = {actions, q->action, 1};
    if (store_audit_distinct(s, 0, on_value, &ou, err) ||
        store_audit_distinct(s, 1, on_value, &oa, err)) {
        json_decref(rows);
        json_decref(errors);
        json_decref(users);
        json_decref(actions);
        return -1;
    }
    char title[128];
    snprintf(title, sizeof title, "Журнал изменений: %lld %s", (long long)total,
             fmt_plural((long long)total, "запись", "записи", "записей"));
    json_t *d = json_object();
    json_object_set_new(d, "title", json_string(title));
    json_object_set_new(d, "total", json_integer(total));
    json_object_set_new(d, "page", json_integer(page));
    json_object_set_new(d, "pages", json_integer(pages));
    json_object_set_new(d, "per_page", json_integer(per));
    json_object_set_new(d, "filter",
                        json_pack("{s:s, s:s, s:s, s:s, s:s}", "user", q->user ? q->user : "",
                                  "action", q->action ? q->action : "", "school",
                                  q->school ? q->school : "", "from", q->from ? q->from : "", "to",
                                  q->to ? q->to : ""));
    json_object_set_new(d, "options", json_pack("{s:o, s:o}", "users", users, "actions", actions));
    json_t *bad = json_object();
    size_t k;
    json_t *e;
    json_array_foreach(errors, k, e)
        json_object_set_new(bad, json_string_value(json_object_get(e, "field")), json_true());
    json_object_set_new(d, "bad", bad); /* the fields to mark, by name */
    json_object_set_new(d, "errors", errors);
    json_object_set_new(d, "rows", rows);
    *out = d;
    return 0;
}

int view_audit_object(store *s, const char *object, json_t **rows, msk_err *err)
{
    store_audit_filter f = {NULL, NULL, NULL, NULL, NULL, 0, 0, object};
    *rows = json_array();
    if (store_audit_read(s, &f, on_row, *rows, NULL, err)) {
        json_decref(*rows);
        *rows = NULL;
        return -1;
    }
    return 0;
}
