/*
 * Addressed recommendations (recommend.h): rules parsed from a methodology file and matched
 * against a school's view model. Matching reads only the view model, so a recommendation can
 * never cite evidence the school's page does not show.
 */
#include "report/recommend.h"

#include "base/buf.h"
#include "base/muni.h"
#include "base/file.h"
#include "base/fmt.h"
#include "base/mem.h"
#include "base/vocab.h"
#include "method/methodology.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum rec_kind { R_FINDING, R_FACTOR, R_SIGN, R_RESULT, R_CONTEXT, R_GIA, R_DIRECTION, R_INDICATOR };
enum rec_op { OP_LT, OP_LE, OP_GT, OP_GE };

typedef struct rule {
    char *name, *text, *reason, *act;
    int kind, op;
    char *what;    /* method, factor, sign, context code, or procedure key pattern */
    char *measure; /* R_RESULT: the measure; R_GIA: the row's field */
    double value;
    long min_n;
    /* name, text, reason and act as JSON strings, made once: every recommendation shares them
     * (a direction's page has thousands; NULL when one is not UTF-8 — json_pack then fails,
     * as it did with the text) */
    json_t *jname, *jtext, *jreason, *jact;
} rule;

struct rec_rules {
    rule *r;
    size_t n;
    double margin;
    long refs; /* rec_load_shared: the cache's and each holder's (under kept_mu) */
};

static const char *const measures[] = {"share2",       "share5",       "quality",     "success",
                                       "mean_primary", "diff_quality", "diff_success"};
static const char *const methods_known[] = {"shnor", "risk", "objectivity"};
/* the sections of the school page's "gia" (view/gia.c) with one row per school */
static const char *const gia_known[] = {"honours", "admission", "contingent"};

static int parse_op(const char *s, int *op)
{
    static const char *const ops[] = {"<", "<=", ">", ">="};
    for (int i = 0; i < 4; i++)
        if (!strcmp(s, ops[i])) {
            *op = i;
            return 0;
        }
    return -1;
}

static int in(const char *s, const char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s, set[i]))
            return 1;
    return 0;
}

/* Parse `when` into r; words separated by spaces. */
static int parse_when(const meth_file *f, const char *sec, const char *when, rule *r, msk_err *err)
{
    char w[5][96];
    int n = 0;
    const char *p = when;
    while (*p && n < 5) {
        p += strspn(p, " \t");
        size_t len = strcspn(p, " \t");
        if (!len)
            break;
        if (len >= sizeof w[0])
            len = sizeof w[0] - 1;
        memcpy(w[n], p, len);
        w[n][len] = '\0';
        n++;
        p += len;
    }
    p += strspn(p, " \t");
    const char *why = NULL;
    if (*p)
        why = "лишние слова в конце";
    else if (n == 2 && !strcmp(w[0], "finding")) {
        r->kind = R_FINDING;
        if (!in(w[1], methods_known, 3))
            why = "после finding ожидается shnor, risk или objectivity";
    } else if (n == 2 && !strcmp(w[0], "factor"))
        r->kind = R_FACTOR;
    else if (n == 2 && !strcmp(w[0], "sign"))
        r->kind = R_SIGN;
    else if (n == 5 && !strcmp(w[0], "result")) {
        r->kind = R_RESULT;
        if (!in(w[2], measures, sizeof measures / sizeof *measures))
            why = "неизвестная мера результата (share2, share5, quality, success, mean_primary, "
                  "diff_quality, diff_success)";
        r->measure = msk_strdup(w[2]);
    } else if (n == 4 && !strcmp(w[0], "context"))
        r->kind = R_CONTEXT;
    else if (n == 5 && !strcmp(w[0], "gia")) {
        r->kind = R_GIA;
        if (!in(w[1], gia_known, sizeof gia_known / sizeof *gia_known))
            why = "после gia ожидается раздел honours, admission или contingent";
        r->measure = msk_strdup(w[2]);
    } else if (n == 2 && !strcmp(w[0], "direction")) {
        r->kind = R_DIRECTION;
        if (strcmp(w[1], "*") && !vocab_known(VOCAB_DIRECTION, w[1]))
            why = "после direction ожидается код направления (training, shnor, talents, career, "
                  "objectivity, heads, methodical, dpo, upbringing) или *";
    } else if (n == 2 && !strcmp(w[0], "indicator"))
        r->kind = R_INDICATOR;
    else
        why = "ожидается finding МЕТОД, factor ФАКТОР, sign ПРИЗНАК, result КЛЮЧ МЕРА ОП ЧИСЛО, "
              "context КОД ОП ЧИСЛО, gia РАЗДЕЛ ПОЛЕ ОП ЧИСЛО, direction НАПРАВЛЕНИЕ или "
              "indicator ПОКАЗАТЕЛЬ";
    if (!why && (r->kind == R_RESULT || r->kind == R_CONTEXT || r->kind == R_GIA)) {
        const char *op = w[n - 2], *num = w[n - 1];
        char *end;
        if (parse_op(op, &r->op))
            why = "оператор сравнения должен быть <, <=, > или >=";
        r->value = strtod(num, &end);
        if (!why && (end == num || *end || !isfinite(r->value)))
            why = "после оператора ожидается число с точкой (0.3)";
    }
    if (!why)
        r->what = msk_strdup(w[1]);
    if (why)
        return msk_error_at(err, meth_name(f), 0, 0, "[%s] when = «%s»: %s", sec, when, why);
    return 0;
}

static void rule_release(rule *r)
{
    free(r->name);
    free(r->text);
    free(r->reason);
    free(r->act);
    free(r->what);
    free(r->measure);
    json_decref(r->jname);
    json_decref(r->jtext);
    json_decref(r->jreason);
    json_decref(r->jact);
}

void rec_free(rec_rules *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        rule_release(&r->r[i]);
    free(r->r);
    free(r);
}

size_t rec_count(const rec_rules *r)
{
    return r ? r->n : 0;
}
double rec_margin(const rec_rules *r)
{
    return r ? r->margin : 0.05;
}

/* A value continued over several lines, as one line of text. */
static char *one_line(const char *s)
{
    char *o = msk_strdup(s);
    for (char *p = o; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    return o;
}

static int build(meth_file *f, rec_rules **out, msk_err *err)
{
    static const char *const keys[] = {"when", "text", "reason", "act", "min_participants"};
    static const char *const top[] = {"version"};
    rec_rules *rr = msk_calloc(1, sizeof *rr);
    rr->margin = 0.05;
    for (size_t i = 0; i < meth_nsections(f); i++) {
        const char *sec = meth_section(f, i);
        if (!strcmp(sec, "recommendations")) {
            if (meth_check_keys(f, sec, top, 1, err))
                goto fail;
            continue;
        }
        if (!strcmp(sec, "conclusions")) {
            static const char *const ck[] = {"margin"};
            if (meth_check_keys(f, sec, ck, 1, err) ||
                meth_num(f, sec, "margin", 0.05, &rr->margin, err))
                goto fail;
            continue;
        }
        if (strncmp(sec, "rec.", 4) != 0 || !sec[4]) {
            msk_error_at(err, meth_name(f), 0, 0,
                         "[%s] неизвестный раздел: правила называются [rec.ИМЯ]", sec);
            goto fail;
        }
        if (meth_check_keys(f, sec, keys, sizeof keys / sizeof *keys, err))
            goto fail;
        rr->r = msk_reallocarray(rr->r, rr->n + 1, sizeof *rr->r);
        rule *r = &rr->r[rr->n++];
        memset(r, 0, sizeof *r);
        r->name = msk_strdup(sec + 4);
        const char *need[] = {"when", "text", "reason", "act"};
        for (size_t k = 0; k < 4; k++) {
            const char *v = meth_get(f, sec, need[k]);
            if (!v || !*v) {
                msk_error_at(err, meth_name(f), 0, 0, "[%s] нет ключа «%s»", sec, need[k]);
                goto fail;
            }
            /* a recommendation is JSON text: json_pack would drop it silently (fuzz_recommend) */
            json_t *js = json_string(v), *jn = json_string(sec);
            int bad = !js || !jn;
            json_decref(js);
            json_decref(jn);
            if (bad) {
                msk_error_at(err, meth_name(f), 0, 0,
                             "[правило %s] «%s»: текст не в кодировке UTF-8 — сохраните файл "
                             "в UTF-8",
                             r->name, need[k]);
                goto fail;
            }
        }
        r->text = one_line(meth_get(f, sec, "text"));
        r->reason = one_line(meth_get(f, sec, "reason"));
        r->act = msk_strdup(muni_cite_str(meth_get(f, sec, "act")));
        r->jname = json_string(r->name);
        r->jtext = json_string(r->text);
        r->jreason = json_string(r->reason);
        r->jact = json_string(r->act);
        if (meth_int(f, sec, "min_participants", 5, &r->min_n, err))
            goto fail;
        if (parse_when(f, sec, meth_get(f, sec, "when"), r, err))
            goto fail;
    }
    if (!rr->n) {
        msk_error_at(err, meth_name(f), 0, 0, "в файле нет ни одного правила [rec.ИМЯ]");
        goto fail;
    }
    meth_free(f);
    *out = rr;
    return 0;
fail:
    meth_free(f);
    rec_free(rr);
    return -1;
}

int rec_load(const char *path, rec_rules **out, msk_err *err)
{
    meth_file *f = NULL;
    char *text;
    size_t len;
    if (msk_file_read(path, METH_MAX_BYTES, &text, &len, err))
        return -1;
    int rc = meth_load_mem(path, text, len, &f, err);
    free(text);
    return rc ? -1 : build(f, out, err);
}

/* The rules rec_load_shared read last, with what identified the file then. */
static pthread_mutex_t kept_mu = PTHREAD_MUTEX_INITIALIZER;
static rec_rules *kept;
static char *kept_path;
static struct stat kept_st;

static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
           a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

int rec_load_shared(const char *path, rec_rules **out, msk_err *err)
{
    struct stat st;
    *out = NULL;
    if (stat(path, &st)) /* gone: rec_load names the error as before */
        return rec_load(path, out, err);
    pthread_mutex_lock(&kept_mu);
    if (kept && !strcmp(kept_path, path) && same_file(&kept_st, &st)) {
        kept->refs++;
        *out = kept;
        pthread_mutex_unlock(&kept_mu);
        return 0;
    }
    pthread_mutex_unlock(&kept_mu);
    /* read outside the lock: pages of other threads go on with the rules they hold */
    rec_rules *r = NULL;
    if (rec_load(path, &r, err))
        return -1; /* a broken file is not kept: every page reports it until it is fixed */
    r->refs = 2;   /* the cache's and the caller's */
    pthread_mutex_lock(&kept_mu);
    rec_rules *old = kept;
    kept = r;
    free(kept_path);
    kept_path = msk_strdup(path);
    kept_st = st;
    int drop = old && --old->refs == 0;
    pthread_mutex_unlock(&kept_mu);
    if (drop)
        rec_free(old);
    *out = r;
    return 0;
}

void rec_release(rec_rules *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&kept_mu);
    int drop = --r->refs <= 0;
    pthread_mutex_unlock(&kept_mu);
    if (drop)
        rec_free(r);
}

int rec_load_str(const char *name, const char *text, rec_rules **out, msk_err *err)
{
    meth_file *f = NULL;
    if (meth_load_str(name, text, &f, err))
        return -1;
    return build(f, out, err);
}

/* ---- matching ---------------------------------------------------------------------------- */

static int compare(int op, double a, double b)
{
    switch (op) {
    case OP_LT:
        return a < b - 1e-12;
    case OP_LE:
        return a <= b + 1e-12;
    case OP_GT:
        return a > b + 1e-12;
    default:
        return a >= b - 1e-12;
    }
}

/* "VPR-*-5" against "VPR-math-5": parts split on '-', '*' matches any part. */
static int key_match(const char *pat, const char *key)
{
    while (*pat && *key) {
        size_t pl = strcspn(pat, "-"), kl = strcspn(key, "-");
        if (!(pl == 1 && *pat == '*') && (pl != kl || strncmp(pat, key, pl)))
            return 0;
        pat += pl;
        key += kl;
        if (*pat != *key)
            return 0;
        if (*pat) {
            pat++;
            key++;
        }
    }
    return !*pat && !*key;
}

static void emit(json_t *out, const rule *r, const json_t *school, const char *finding)
{
    json_t *o =
        json_pack("{s:O, s:{s:s?, s:s?}, s:s, s:O, s:O, s:O}", "rule", r->jname, "school", "code",
                  json_string_value(json_object_get(school, "code")), "name",
                  json_string_value(json_object_get(school, "name")), "finding",
                  finding ? finding : "", "text", r->jtext, "reason", r->jreason, "act", r->jact);
    if (o)
        json_array_append_new(out, o);
}

static const char *first_text(const json_t *finding)
{
    const json_t *t = json_object_get(finding, "text");
    if (json_is_array(t) && json_array_size(t))
        return json_string_value(json_array_get(t, json_array_size(t) - 1));
    return json_string_value(t);
}

static const char *measure_name(const char *m)
{
    if (!strcmp(m, "share2"))
        return "доля «2»";
    if (!strcmp(m, "share5"))
        return "доля «5»";
    if (!strcmp(m, "quality"))
        return "качество (доля «4» и «5»)";
    if (!strcmp(m, "success"))
        return "успеваемость (доля «3»–«5»)";
    if (!strcmp(m, "mean_primary"))
        return "средний первичный балл";
    if (!strcmp(m, "diff_quality"))
        return "отклонение качества от муниципального";
    return "отклонение успеваемости от муниципальной";
}

static void fmt_measure(const char *m, double v, char *out, size_t outsz)
{
    if (!strcmp(m, "mean_primary"))
        fmt_num(v, 1, out, outsz);
    else if (!strncmp(m, "diff_", 5))
        fmt_pp(v, 1, out, outsz);
    else
        fmt_pct(v, 1, out, outsz);
}

static double row_num(const json_t *row, const char *key)
{
    const json_t *v = json_object_get(row, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* `gia SECTION FIELD OP VALUE`: the school's own row of the page's gia.SECTION (view/gia.c).
 * The honours row («three»: 9th graders with the certificate with honours and a «3» on an ОГЭ
 * of the year, seed 003 п. 1.8) is told in words; other rows name the field. */
static int match_gia(const rule *r, const json_t *sv, const json_t *school, json_t *out)
{
    const char *code = json_string_value(json_object_get(school, "code"));
    size_t i;
    const json_t *row;
    json_array_foreach(json_object_get(json_object_get(sv, "gia"), r->what), i, row)
    {
        const json_t *rs = json_object_get(row, "school");
        if (!json_is_object(rs) || !code ||
            strcmp(json_string_value(json_object_get(rs, "code")) ?: "", code))
            continue; /* the municipal total, another school */
        double v = row_num(row, r->measure);
        if (isnan(v) || !compare(r->op, v, r->value))
            return 0;
        char a[48], b[48], c[48];
        msk_buf t;
        msk_buf_init(&t, 0);
        if (!strcmp(r->what, "honours")) {
            fmt_num(row_num(row, "honours"), 0, a, sizeof a);
            fmt_num(row_num(row, "with_oge"), 0, b, sizeof b);
            fmt_num(row_num(row, "three"), 0, c, sizeof c);
            msk_buf_printf(&t,
                           "Выпускников 9 класса с аттестатом об основном общем образовании с "
                           "отличием — %s, из них сдавали ОГЭ — %s, получили «3» на ОГЭ — %s",
                           a, b, c);
        } else {
            fmt_num(v, fmod(v, 1) ? 2 : 0, a, sizeof a);
            msk_buf_printf(&t, "%s, %s: %s", r->what, r->measure, a);
        }
        emit(out, r, school, t.data);
        msk_buf_release(&t);
        return 1;
    }
    return 0;
}

/* `context CODE OP VALUE`: the school's context indicator CODE. */
static int match_context(const rule *r, const json_t *sv, const json_t *school, json_t *out)
{
    int n = 0;
    size_t i;
    const json_t *f;
    char a[64];
    json_array_foreach(json_object_get(sv, "context"), i, f)
    {
        if (strcmp(json_string_value(json_object_get(f, "code")) ?: "", r->what))
            continue;
        const json_t *v = json_object_get(f, "value");
        if (!json_is_number(v) || !compare(r->op, json_number_value(v), r->value))
            continue;
        fmt_num(json_number_value(v), fmod(json_number_value(v), 1) ? 1 : 0, a, sizeof a);
        msk_buf t;
        msk_buf_init(&t, 0);
        msk_buf_printf(&t, "%s: %s%s%s", json_string_value(json_object_get(f, "name")) ?: r->what,
                       a, json_string_length(json_object_get(f, "unit")) ? " " : "",
                       json_string_value(json_object_get(f, "unit")) ?: "");
        emit(out, r, school, t.data);
        msk_buf_release(&t);
        n++;
    }
    return n;
}

static int match_rule(const rule *r, const json_t *sv, const json_t *school, json_t *cited,
                      json_t *out)
{
    int n = 0;
    const json_t *findings = json_object_get(sv, "findings");
    size_t i;
    const json_t *f;
    char a[64], b[64];
    switch (r->kind) {
    case R_FINDING:
        json_array_foreach(findings, i, f)
        {
            if (!strcmp(json_string_value(json_object_get(f, "method")) ?: "", r->what)) {
                emit(out, r, school, first_text(f));
                n++;
                break; /* one recommendation per list, however many findings */
            }
        }
        break;
    case R_FACTOR:
    case R_SIGN: {
        const char *method = r->kind == R_FACTOR ? "risk" : "objectivity";
        json_array_foreach(findings, i, f)
        {
            if (strcmp(json_string_value(json_object_get(f, "method")) ?: "", method))
                continue;
            const json_t *ev = json_object_get(f, "evidence");
            if (r->kind == R_FACTOR) {
                const json_t *fac = json_object_get(ev, "factors");
                size_t k;
                const json_t *x;
                int hit = !strcmp(json_string_value(json_object_get(f, "verdict")) ?: "", r->what);
                json_array_foreach(fac, k, x) hit |= !strcmp(json_string_value(x) ?: "", r->what);
                if (hit) {
                    /* the sentence about this factor, if the finding has one per factor */
                    emit(out, r, school, first_text(f));
                    n++;
                }
            } else {
                const json_t *signs = json_object_get(ev, "signs");
                size_t k;
                const json_t *x;
                json_array_foreach(signs, k, x)
                {
                    if (!strcmp(json_string_value(json_object_get(x, "sign")) ?: "", r->what)) {
                        emit(out, r, school, json_string_value(json_object_get(x, "text")));
                        n++;
                        break;
                    }
                }
            }
        }
        break;
    }
    case R_RESULT: {
        /* every procedure the rule catches in one recommendation; a procedure an earlier, more
         * specific rule on the same measure already cited is left to that rule */
        const json_t *procs = json_object_get(sv, "procedures");
        msk_buf t;
        msk_buf_init(&t, 0);
        json_array_foreach(procs, i, f)
        {
            const json_t *proc = json_object_get(f, "proc");
            const char *key = json_string_value(json_object_get(proc, "key"));
            if (!key || !key_match(r->what, key))
                continue;
            char used[160];
            snprintf(used, sizeof used, "%s %s", r->measure, key);
            if (json_object_get(cited, used))
                continue;
            const json_t *marks = json_object_get(f, "school");
            const json_t *np = json_object_get(marks, "participants");
            if (!json_is_number(np) || json_number_value(np) < (double)r->min_n)
                continue;
            const json_t *v = !strncmp(r->measure, "diff_", 5) ? json_object_get(f, r->measure)
                                                               : json_object_get(marks, r->measure);
            if (!json_is_number(v) || !compare(r->op, json_number_value(v), r->value))
                continue;
            json_object_set_new(cited, used, json_true());
            fmt_measure(r->measure, json_number_value(v), a, sizeof a);
            msk_buf_printf(&t, "%s%s: %s %s", t.len ? "; " : "",
                           json_string_value(json_object_get(proc, "title")) ?: key,
                           measure_name(r->measure), a);
        }
        if (t.len) {
            fmt_measure(r->measure, r->value, b, sizeof b);
            msk_buf_printf(&t, " (порог %s %s)",
                           r->op == OP_LT   ? "<"
                           : r->op == OP_LE ? "≤"
                           : r->op == OP_GT ? ">"
                                            : "≥",
                           b);
            emit(out, r, school, t.data);
            n++;
        }
        msk_buf_release(&t);
        break;
    }
    case R_GIA:
        n += match_gia(r, sv, school, out);
        break;
    default:
        n += match_context(r, sv, school, out);
        break;
    }
    return n;
}

int rec_match(const rec_rules *r, const json_t *school_view, json_t *out)
{
    const json_t *school = json_object_get(school_view, "school");
    json_t *cited = json_object(); /* "measure key" pairs already cited */
    int n = 0;
    for (size_t i = 0; r && i < r->n; i++) /* a direction's rules: rec_direction_page */
        n += r->r[i].kind < R_DIRECTION ? match_rule(&r->r[i], school_view, school, cited, out) : 0;
    json_decref(cited);
    return n;
}

/* ---- the directions' indicators (issue 15 item 4) ----------------------------------------- */

/* The rule for indicator ind of direction dir: an `indicator CODE` rule first, then `direction
 * CODE`, then `direction *`; NULL when the file has none. */
static const rule *direction_rule(const rec_rules *r, const char *dir, const char *ind)
{
    const rule *by_dir = NULL, *any = NULL;
    for (size_t i = 0; r && i < r->n; i++) {
        const rule *x = &r->r[i];
        if (x->kind == R_INDICATOR && !strcmp(x->what, ind))
            return x;
        if (x->kind == R_DIRECTION && !strcmp(x->what, dir) && !by_dir)
            by_dir = x;
        if (x->kind == R_DIRECTION && !strcmp(x->what, "*") && !any)
            any = x;
    }
    return by_dir ? by_dir : any;
}

static const char *js_str(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* «12,5 %», «3 чел.» */
static void value_text(const json_t *v, const json_t *ind, char *out, size_t outsz)
{
    const char *unit = js_str(ind, "unit");
    int whole = !strcmp(unit, "чел.") || !strcmp(unit, "ед.");
    char num[48] = "—";
    if (json_is_number(v))
        fmt_num(json_number_value(v), whole ? 0 : 1, num, sizeof num);
    snprintf(out, outsz, "%s%s%s", num, unit[0] && json_is_number(v) ? " " : "", unit);
}

int rec_direction_page(const rec_rules *r, json_t *page)
{
    const char *dir = js_str(page, "code");
    json_t *all = json_array();
    size_t i, k;
    json_t *sc, *ind;
    json_array_foreach(json_object_get(page, "schools_outside"), i, sc)
    {
        const json_t *school = json_object_get(sc, "school");
        json_t *recs = json_array(), *by_rule = json_object();
        json_array_foreach(json_object_get(sc, "indicators"), k, ind)
        {
            const rule *x = direction_rule(r, dir, js_str(ind, "code"));
            if (!x)
                continue;
            char val[64], tgt[64];
            value_text(json_object_get(ind, "value"), ind, val, sizeof val);
            value_text(json_object_get(ind, "target"), ind, tgt, sizeof tgt);
            msk_buf t;
            msk_buf_init(&t, 0);
            json_t *o = json_object_get(by_rule, x->name);
            if (o) /* the same rule for another indicator: one recommendation, both findings */
                msk_buf_printf(&t, "%s; ", js_str(o, "finding"));
            msk_buf_printf(&t, "%s: %s при цели %s", js_str(ind, "name"), val, tgt);
            if (js_str(ind, "section")[0])
                msk_buf_printf(&t, " (%s)", js_str(ind, "section"));
            if (o) {
                json_t *f = json_string(t.data ? t.data : "");
                if (f)
                    json_object_set_new(o, "finding", f);
                json_array_append_new(json_object_get(o, "indicators"),
                                      json_string(js_str(ind, "code")));
                msk_buf_release(&t);
                continue;
            }
            o = json_pack("{s:O,s:{s:s,s:s},s:s,s:O,s:O,s:O,s:s,s:s,s:[s]}", "rule", x->jname,
                          "school", "code", js_str(school, "code"), "name", js_str(school, "name"),
                          "finding", t.data ? t.data : "", "text", x->jtext, "reason", x->jreason,
                          "act", x->jact, "direction", dir, "indicator", js_str(ind, "code"),
                          "indicators", js_str(ind, "code"));
            msk_buf_release(&t);
            if (!o)
                continue;
            json_object_set(by_rule, x->name, o);
            json_array_append(all, o);
            json_array_append_new(recs, o);
        }
        json_decref(by_rule);
        json_object_set_new(sc, "recommendations", recs);
    }
    int n = (int)json_array_size(all);
    json_object_set_new(page, "recommendations", all);
    return n;
}

int rec_directions_school(const rec_rules *r, json_t *misses, json_t *out)
{
    int n = 0;
    size_t i, k;
    json_t *m, *x;
    json_array_foreach(misses, i, m)
    {
        n += rec_direction_page(r, m);
        json_array_foreach(json_object_get(m, "recommendations"), k, x) json_array_append(out, x);
    }
    return n;
}
