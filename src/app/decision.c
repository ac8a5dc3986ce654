/*
 * Management decisions (issue 15 item 4): the department records the приказ, письмо or протокол
 * it took after the analysis — one transaction and one audit row each (docs/app.md). Seed 001
 * п. 1.17–1.18 and seed 000 §V close the management cycle with «управленческие решения» and
 * «анализ эффективности принятых мер» in the next cycle: the next year's analysis shows what
 * moved for the schools a decision names (src/view/decision.c).
 */
#include "app/internal.h"

#include "base/fmt.h"
#include "base/vocab.h"
#include "store/answer.h"
#include "store/decision.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The kind from its code or its Russian name, capitalised or not («приказ», «Протокол»); NULL
 * when neither. */
static const char *kind_code(const char *k)
{
    const char *code;
    if (!k)
        return NULL;
    if (vocab_known(VOCAB_DECISION_KIND, k))
        return k;
    if (vocab_code(VOCAB_DECISION_KIND, k, &code) == 0)
        return code;
    size_t n;
    const vocab_entry *e = vocab_entries(VOCAB_DECISION_KIND, &n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(k, vocab_lower(VOCAB_DECISION_KIND, e[i].code)) ||
            (e[i].brief && !strcmp(k, "протокол") && !strcmp(e[i].code, "protocol")))
            return e[i].code;
    return NULL;
}

/* The direction from its code or its Russian name (full or brief, any case of the first
 * letter); "" when none is given and the list has no direction of its own; NULL when unknown. */
static const char *direction_code(const char *dir, const char *list)
{
    const char *code;
    if (!dir || !dir[0]) /* migration 19: the ШНОР list is direction shnor, objectivity its own */
        return list && (!strcmp(list, "shnor") || !strcmp(list, "objectivity")) ? list : "";
    if (vocab_known(VOCAB_DIRECTION, dir))
        return dir;
    if (vocab_code(VOCAB_DIRECTION, dir, &code) == 0)
        return code;
    size_t n;
    const vocab_entry *e = vocab_entries(VOCAB_DIRECTION, &n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(dir, vocab_lower(VOCAB_DIRECTION, e[i].code)))
            return e[i].code;
    return NULL;
}

static int check_text(const char *text, const char *what, size_t max, int required, msk_err *err)
{
    size_t n = text ? strlen(text) : 0;
    if (required && strspn(text ? text : "", " \t\r\n") == n)
        return msk_error(err, "%s: не заполнено", what);
    if (n > max)
        return msk_error(err, "%s: длиннее %zu байт (%zu) — сократите или приложите файл", what,
                         max, n);
    json_t *j = n ? json_string(text) : NULL;
    if (n && !j)
        return msk_error(err, "%s: не в кодировке UTF-8", what);
    json_decref(j);
    return 0;
}

int app_decision_add(store *s, const app_actor *a, const app_decision *in, int64_t *id,
                     msk_err *err)
{
    char taken[11], due[11] = "", object[40];
    const char *kind = kind_code(in->kind);
    if (!kind)
        return msk_error(
            err, "вид решения «%s» не знаком: приказ, письмо, протокол совещания или другое",
            in->kind ? in->kind : "");
    if (in->year < 2000 || in->year > 2100)
        return msk_error(err, "учебный год %d: ожидается год окончания, например 2024", in->year);
    if (fmt_parse_date(in->taken_on, taken))
        return msk_error(err, "дата решения «%s»: ожидается дд.мм.гггг, например 12.09.2023",
                         in->taken_on ? in->taken_on : "");
    if (in->due_on && in->due_on[0] && fmt_parse_date(in->due_on, due))
        return msk_error(err, "срок исполнения «%s»: ожидается дд.мм.гггг, например 31.05.2024",
                         in->due_on);
    if (due[0] && strcmp(due, taken) < 0)
        return msk_error(err, "срок исполнения %s раньше даты решения %s", in->due_on,
                         in->taken_on);
    if (in->list && in->list[0] && !store_answer_list_ok(in->list))
        return msk_error(err, "список «%s» не знаком: ШНОР, зона риска, объективность или рейтинг",
                         in->list);
    const char *direction = direction_code(in->direction, in->list);
    if (!direction)
        return msk_error(err,
                         "направление «%s» не знакомо: training, shnor, talents, career, "
                         "objectivity, heads, methodical, dpo, upbringing или его название",
                         in->direction);
    if (check_text(in->text, "Текст решения", STORE_DECISION_TEXT_MAX, 1, err) ||
        check_text(in->number, "Номер", 64, 0, err) ||
        check_text(in->responsible, "Ответственный", 512, 0, err))
        return -1;
    if (in->nschools > STORE_DECISION_SCHOOLS)
        return msk_error(err, "решение называет %zu школ: не больше %d", in->nschools,
                         STORE_DECISION_SCHOOLS);
    store_decision d = {0,
                        in->year,
                        kind,
                        in->number ? in->number : "",
                        taken,
                        in->text,
                        in->list ? in->list : "",
                        in->responsible ? in->responsible : "",
                        due,
                        "",
                        "",
                        "",
                        0,
                        direction};
    int64_t did = 0;
    char *after = NULL;
    if (store_begin(s, err))
        return -1;
    int rc = store_decision_add(s, &d, in->schools, in->nschools, a->login, &did, err);
    if (rc == 0) {
        snprintf(object, sizeof object, "decision:%lld", (long long)did);
        rc = store_decision_snapshot(s, did, &after, err);
        if (rc == 0)
            rc = app_audit(s, a, "decision.add", object, NULL, after, err);
        free(after);
    }
    if (rc > 0) {
        store_rollback(s);
        return -1;
    }
    rc = app_end(s, rc, err);
    if (rc == 0 && id)
        *id = did;
    return rc;
}

int app_decision_attach(store *s, const app_actor *a, int64_t id, const char *name,
                        const unsigned char *data, size_t size, int64_t *file_id, msk_err *err)
{
    char clean[128], object[40];
    int64_t fid = 0;
    app_file_name(name, clean, sizeof clean);
    if (!size)
        return msk_error(err, "%s: файл пуст — приложите скан или текст решения", clean);
    snprintf(object, sizeof object, "decision:%lld", (long long)id);
    if (store_begin(s, err))
        return -1;
    int rc = store_decision_attach(s, id, clean, data, size, a->login, &fid, err);
    if (rc > 0) {
        store_rollback(s);
        return 1;
    }
    if (rc == 0)
        rc = app_audit_file(s, a, "decision.attach", object, fid, clean, data, size, err);
    rc = app_end(s, rc, err);
    if (rc == 0 && file_id)
        *file_id = fid;
    return rc;
}
