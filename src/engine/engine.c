/*
 * The engine (engine.h): methodology files, model, methods (engine_run), and the stored run
 * with findings and generated plan items (engine_save) — one place for src/app/.
 */
#include "engine/engine.h"
#include "engine/directions_in.h"
#include "engine/methfile.h"
#include "engine/shnor_in.h"
#include "method/indicators.h"
#include "method/methodology.h"
#include "method/obj_coef.h"
#include "method/objectivity.h"
#include "method/rating.h"
#include "method/reliability.h"
#include "method/risk.h"
#include "method/shnor.h"
#include "method/value_added.h"
#include "model/model.h"
#include "store/analysis.h"
#include "store/plan.h"
#include "store/recheck.h"
#include "base/buf.h"
#include "base/jsonw.h"
#include "base/mem.h"

#include <libgen.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The directions' place in engine_doc, and the members that carry their text and counts. */
#define DIRECTIONS_MARK "\001directions"
#define DIRECTIONS_TEXT "directions_text"
#define DIRECTIONS_STATUS "directions_status"
/* analyze --json: the document as it is printed (the directions' text is written for it) */
#define ENGINE_DOC_FLAGS (JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6))

static const char *const METHOD_FILE[ENGINE_NMETHODS] = {"shnor", "risk", "rating-vladikavkaz",
                                                         "objectivity"};
static const char *const METHOD_PREFIX[ENGINE_NMETHODS] = {"shnor", "risk", "rating",
                                                           "objectivity"};

/* Where the preset methodology files live: $MSOKO_METHODS, ./methods, or methods/ beside the
 * build directory of the running binary. */
int engine_preset_path(const char *name, char *out, size_t outsz)
{
    const char *env = getenv("MSOKO_METHODS");
    char exe[1024];
    ssize_t n;
    if (env && *env) {
        snprintf(out, outsz, "%s/%s.ini", env, name);
        return access(out, R_OK) == 0;
    }
    snprintf(out, outsz, "methods/%s.ini", name);
    if (access(out, R_OK) == 0)
        return 1;
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *dir = dirname(exe); /* …/build or …/build/asan */
        for (int up = 0; up < 3; up++) {
            snprintf(out, outsz, "%s/methods/%s.ini", dir, name);
            if (access(out, R_OK) == 0)
                return 1;
            dir = dirname(dir);
        }
    }
    return 0;
}

int engine_method_of(const char *path)
{
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", path);
    const char *b = basename(copy);
    for (int i = 0; i < ENGINE_NMETHODS; i++)
        if (strncmp(b, METHOD_PREFIX[i], strlen(METHOD_PREFIX[i])) == 0)
            return i;
    return -1;
}

/* The management decision a finding calls for, as a plan item of the next year linked to the
 * finding (issue 19 item 6: «ШНОР and risk findings create no plan items with owner and date»).
 * "%S" in a text is the school's code, "%Y" the plan year, "%A" the analysed year. */
typedef struct plan_tmpl {
    const char *number, *text, *deadline, *responsible, *result;
} plan_tmpl;

/* Seed 004 п. 2.1, 3.7, 4.2: a school listed with signs of non-objectivity gets, for the next
 * year, an inspection, specialists and public observers at ВПР, and the re-check of its works
 * by independent experts. */
static const plan_tmpl PLAN_OBJECTIVITY[] = {
    {"2.1",
     "Включить %S в план проверок отдела образования на %Y год: признаки необъективности "
     "результатов оценочных процедур %A года",
     "ежегодно", "Отдел образования", "Проверка проведена, результаты рассмотрены"},
    {"3.7",
     "Обеспечить присутствие специалистов отдела образования и методического кабинета и "
     "общественное наблюдение при проведении ВПР %Y года в %S",
     "по отдельному графику", "Отдел образования", "Наблюдатели во всех аудиториях"},
    {"4.2",
     "Обеспечить перепроверку работ обучающихся %S независимыми экспертами (муниципальные "
     "предметные комиссии)",
     "постоянно при проведении оценочных процедур", "Методический кабинет; руководитель ОО",
     "Доля объективно оценённых работ не менее 90 %"},
};

/* A school of the ШНОР list: its own roadmap with expert support (seed 000 roadmap 3.2, 3.4),
 * addressed recommendations (seed 001 roadmap 3.4) and courses for its teachers and managers
 * (seed 001 roadmap 3.6). */
static const plan_tmpl PLAN_SHNOR[] = {
    {"3.4",
     "Согласовать «дорожную карту» повышения качества образования %S на %Y год и обеспечить "
     "экспертно-консультационное сопровождение её выполнения: низкие результаты %A года",
     "октябрь", "Управление образования; методический кабинет; руководитель ОО",
     "Дорожная карта ОО утверждена, куратор назначен"},
    {"3.4", "Направить %S адресные рекомендации по результатам анализа оценочных процедур %A года",
     "ноябрь", "Методический кабинет", "Методические рекомендации направлены школе"},
    {"3.6",
     "Включить педагогов и управленческую команду %S в программы повышения квалификации по "
     "выявленным дефицитам",
     "в течение года", "Методический кабинет; руководитель ОО",
     "Свидетельства о повышении квалификации"},
};

/* A school of the risk list: an anti-risk programme on the factors found (seed 002 §3.2 and
 * roadmap 4.5 п. 2) and its social passport updated (seed 001 roadmap 3.5). */
static const plan_tmpl PLAN_RISK[] = {
    {"4.5",
     "Разработать и утвердить программу антирисковых мер %S по факторам риска, выявленным по "
     "данным %A года",
     "декабрь", "Руководитель ОО; методический кабинет", "Программа антирисковых мер утверждена"},
    {"3.5",
     "Обновить социальный паспорт %S (школа в зоне риска снижения образовательных результатов)",
     "октябрь", "Руководитель ОО", "Социальный паспорт"},
};

static void plan_text(const char *tmpl, const char *school, int year, char *out, size_t outsz)
{
    size_t n = 0;
    for (const char *p = tmpl; *p && n + 1 < outsz; p++) {
        if (p[0] == '%' && (p[1] == 'S' || p[1] == 'Y' || p[1] == 'A')) {
            int w = p[1] == 'S'   ? snprintf(out + n, outsz - n, "%s", school)
                    : p[1] == 'Y' ? snprintf(out + n, outsz - n, "%d", year + 1)
                                  : snprintf(out + n, outsz - n, "%d", year);
            n += w > 0 ? (size_t)w : 0;
            if (n >= outsz)
                n = outsz - 1;
            p++;
        } else
            out[n++] = *p;
    }
    out[n] = '\0';
}

/* The generated roadmap of a method's findings of year into out ("" when it makes none). */
static void plan_roadmap(const char *method, int year, char *out, size_t outsz)
{
    const char *what = !strcmp(method, "objectivity") ? "объективность"
                       : !strcmp(method, "shnor")     ? "ШНОР"
                       : !strcmp(method, "risk")      ? "зона риска"
                                                      : NULL;
    if (what)
        snprintf(out, outsz, "Анализ %d: %s", year, what);
    else
        out[0] = '\0';
}

static int plan_for(store *s, const char *method, int year, const char *school, int64_t finding,
                    msk_err *err)
{
    const plan_tmpl *items = NULL;
    size_t n = 0;
    const char *section = NULL;
    if (!strcmp(method, "objectivity")) {
        items = PLAN_OBJECTIVITY, n = sizeof PLAN_OBJECTIVITY / sizeof *PLAN_OBJECTIVITY;
        section = "Обеспечение объективности результатов";
    } else if (!strcmp(method, "shnor")) {
        items = PLAN_SHNOR, n = sizeof PLAN_SHNOR / sizeof *PLAN_SHNOR;
        section = "Работа со школами с низкими результатами обучения";
    } else if (!strcmp(method, "risk")) {
        items = PLAN_RISK, n = sizeof PLAN_RISK / sizeof *PLAN_RISK;
        section = "Профилактика рисков снижения образовательных результатов";
    }
    char roadmap[96], text[512];
    int64_t school_id = 0;
    if (!items || !school || store_school_id(s, school, &school_id))
        return 0;
    plan_roadmap(method, year, roadmap, sizeof roadmap);
    for (size_t i = 0; i < n; i++) {
        plan_text(items[i].text, school, year, text, sizeof text);
        store_plan p = {roadmap,
                        section,
                        items[i].number,
                        text,
                        items[i].deadline,
                        NULL,
                        items[i].responsible,
                        items[i].result,
                        "planned",
                        year + 1,
                        school_id,
                        finding,
                        0};
        if (store_plan_add(s, &p, NULL, err))
            return -1;
    }
    return 0;
}

/* The text of a finding's evidence: what json_dumps(v, JSON_COMPACT) gives (base/jsonw.h),
 * into tb (emptied first), with the reals' texts cached in nums. */
static const char *compact_text(const json_t *v, msk_buf *tb, jw_nums *nums)
{
    jw w;
    msk_buf_reset(tb);
    jw_init(&w, tb, -1, 0, 0, nums, 0);
    jw_json(&w, v);
    return tb->data;
}

static int store_list(store *s, int64_t run, const char *method, int year, json_t *list,
                      msk_buf *tb, jw_nums *nums, msk_err *err)
{
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it)
    {
        const char *school = json_string_value(json_object_get(it, "school"));
        char verdict[128] = "";
        if (strcmp(method, "shnor") == 0)
            snprintf(verdict, sizeof verdict, "%s", json_string_value(json_object_get(it, "rule")));
        else if (strcmp(method, "rating") == 0)
            snprintf(verdict, sizeof verdict, "%lld",
                     (long long)json_integer_value(json_object_get(it, "rank")));
        else if (strcmp(method, "objectivity") == 0) {
            size_t k;
            json_t *sg;
            json_array_foreach(json_object_get(it, "signs"), k, sg)
            {
                size_t len = strlen(verdict);
                const char *name = json_string_value(json_object_get(sg, "sign"));
                if (!strstr(verdict, name ? name : "?"))
                    snprintf(verdict + len, sizeof verdict - len, "%s%s", len ? "," : "",
                             name ? name : "?");
            }
        } else {
            size_t k;
            json_t *f;
            json_array_foreach(json_object_get(it, "factors"), k, f)
            {
                size_t len = strlen(verdict);
                snprintf(verdict + len, sizeof verdict - len, "%s%s", k ? "," : "",
                         json_string_value(f));
            }
        }
        int64_t fid = 0;
        if (store_finding_add(s, run, method, school, year, verdict, compact_text(it, tb, nums),
                              &fid, err))
            return -1;
        if (plan_for(s, method, year, school, fid, err))
            return -1;
    }
    return 0;
}

static double secs(struct timespec a, struct timespec b)
{
    return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

/* Load the methodology files: the presets, replaced by any user file of the same method. */
static int load_methods(const engine_opts *o, meth_file **mf, json_t *names, msk_err *err)
{
    char paths[ENGINE_NMETHODS][1024];
    for (int i = 0; i < ENGINE_NMETHODS; i++)
        paths[i][0] = '\0';
    for (size_t i = 0; o && i < o->nmethods; i++) {
        int k = engine_method_of(o->methods[i]);
        if (k < 0)
            return msk_error(err,
                             "по имени файла методики «%s» не понять методику: имя должно "
                             "начинаться с shnor, risk, rating или objectivity",
                             o->methods[i]);
        snprintf(paths[k], sizeof paths[k], "%s", o->methods[i]);
    }
    for (int i = 0; i < ENGINE_NMETHODS; i++) {
        if (!paths[i][0] && !engine_preset_path(METHOD_FILE[i], paths[i], sizeof paths[i])) {
            /* no file: the defaults built into the code, which equal the presets */
            if (meth_load_str(METHOD_FILE[i], "", &mf[i], err))
                return -1;
            json_array_append_new(names, json_string("по умолчанию"));
            continue;
        }
        if (engine_meth_load(paths[i], &mf[i], err))
            return -1;
        json_array_append_new(names, json_string(paths[i]));
    }
    return 0;
}

struct engine_result {
    int year;
    meth_file *mf[ENGINE_NMETHODS];
    json_t *lists[ENGINE_NMETHODS], *ind, *names;
    dir_file **dirs; /* the files of methods/directions (issue 15) */
    size_t ndirs;
    /* their analysis as JSON text, never as a tree (docs/performance.md): compact for the
     * finding, indented for the printed document (engine_doc_dumps); counts by status */
    char *dir_compact, *dir_pretty;
    int dir_counts[3];
};

void engine_result_free(engine_result *r)
{
    if (!r)
        return;
    for (int i = 0; i < ENGINE_NMETHODS; i++) {
        json_decref(r->lists[i]);
        meth_free(r->mf[i]);
    }
    json_decref(r->ind);
    json_decref(r->names);
    free(r->dir_compact);
    free(r->dir_pretty);
    engine_directions_free(r->dirs, r->ndirs);
    free(r);
}

int engine_year(const engine_result *r)
{
    return r->year;
}

int engine_save(store *s, const engine_result *r, const char *user, msk_err *err)
{
    int64_t run;
    MSK_ASSERT(store_in_transaction(s));
    /* the files the run used and their hashes: the methods, then the directions */
    msk_buf idb;
    msk_buf_init(&idb, 0);
    for (int i = 0; i < ENGINE_NMETHODS; i++) {
        const char *name = strrchr(meth_name(r->mf[i]), '/');
        name = name ? name + 1 : meth_name(r->mf[i]);
        msk_buf_printf(&idb, "%s%s=%s", i ? ";" : "", name, meth_hash(r->mf[i]));
    }
    for (size_t i = 0; i < r->ndirs; i++) {
        const char *name = strrchr(dir_name(r->dirs[i]), '/');
        name = name ? name + 1 : dir_name(r->dirs[i]);
        msk_buf_printf(&idb, ";directions/%s=%s", name, dir_hash(r->dirs[i]));
    }
    const char *ids = idb.data;
    char gen_obj[96], gen_shnor[96], gen_risk[96];
    plan_roadmap("objectivity", r->year, gen_obj, sizeof gen_obj);
    plan_roadmap("shnor", r->year, gen_shnor, sizeof gen_shnor);
    plan_roadmap("risk", r->year, gen_risk, sizeof gen_risk);
    int brc = store_run_begin(s, r->year, ids, user ? user : "", &run, err);
    msk_buf_release(&idb);
    /* the evidence as text without jansson's dump (docs/performance.md), one buffer for all */
    msk_buf tb;
    msk_buf_init(&tb, 0);
    jw_nums *nums = jw_nums_new();
    int frc = brc || store_plan_clear_generated(s, gen_obj, err) ||
              store_plan_clear_generated(s, gen_shnor, err) ||
              store_plan_clear_generated(s, gen_risk, err) ||
              store_list(s, run, "shnor", r->year, r->lists[ENGINE_SHNOR], &tb, nums, err) ||
              store_list(s, run, "risk", r->year, r->lists[ENGINE_RISK], &tb, nums, err) ||
              store_list(s, run, "rating", r->year, r->lists[ENGINE_RATING], &tb, nums, err) ||
              store_list(s, run, "objectivity", r->year, r->lists[ENGINE_OBJ], &tb, nums, err) ||
              store_finding_add(s, run, "indicators", NULL, r->year, "",
                                compact_text(r->ind, &tb, nums), NULL, err);
    msk_buf_release(&tb);
    jw_nums_free(nums);
    /* issue 15 contract §4: the directions' analysis, one municipal finding of the run */
    if (!frc && r->dir_compact)
        frc = store_finding_add(s, run, "directions", NULL, r->year, "", r->dir_compact, NULL, err);
    /* the generated items get their due dates from their wording now, as imported ones do */
    if (frc || store_plan_refresh_due(s, NULL, err))
        return -1;
    return 0;
}

/* The rating runs on the second core while the other methods run on the first: methods only
 * read the model and their own methodology file (docs/performance.md). */
typedef struct rating_job {
    const model *m;
    int year, rc;
    const meth_file *mf;
    json_t *out;
    double secs;
    msk_err err;
} rating_job;

static void *rating_thread(void *arg)
{
    rating_job *j = arg;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    /* the rank ranges (issue 16, reliability.h) run here too: beside objectivity */
    j->rc = rating_run(j->m, j->year, j->mf, &j->out, &j->err) ||
            reliability_rating(j->m, j->year, j->mf, j->out, &j->err);
    clock_gettime(CLOCK_MONOTONIC, &b);
    j->secs = secs(a, b);
    return NULL;
}

/* Issue 16: each listed share gets its interval and shrunken value, the rating its rank
 * ranges (in rating_thread), and each rated school its value added («прирост», beside the act's
 * points: it never changes them); the pairs of procedures behind the value added go with the
 * indicators. */
static int add_reliability(const model *m, int year, meth_file **mf, json_t **lists, json_t *ind,
                           msk_err *err)
{
    json_t *va = NULL;
    reliability_shnor(m, year, mf[ENGINE_SHNOR], lists[ENGINE_SHNOR]);
    reliability_risk(m, year, mf[ENGINE_RISK], lists[ENGINE_RISK]);
    (void)mf;
    if (value_added_run(m, year, &va, err))
        return -1;
    json_t *schools = json_object_get(va, "schools");
    size_t i;
    json_t *it;
    json_array_foreach(lists[ENGINE_RATING], i, it)
    {
        json_t *v = json_object_get(schools, json_string_value(json_object_get(it, "school")));
        json_object_set(it, "value_added", v ? v : json_null());
    }
    json_object_set(ind, "value_added_pairs", json_object_get(va, "pairs"));
    json_decref(va);
    return 0;
}

/* Issue 16 item 4: the objectivity coefficient of every school whose works were re-checked
 * (INVALSI's method, method/obj_coef.h), with the indicators; each listed school's beside its
 * signs. The re-checked works are read here: the method stays pure. */
static int add_coefficient(store *s, const model *m, int year, const meth_file *f, json_t *list,
                           json_t *ind, msk_err *err)
{
    store_recheck_pair *p = NULL;
    size_t n = 0;
    if (store_recheck_year(s, year, &p, &n, err))
        return -1;
    obj_coef_work *w = msk_calloc(n ? n : 1, sizeof *w);
    for (size_t i = 0; i < n; i++) {
        snprintf(w[i].school, sizeof w[i].school, "%s", p[i].school);
        snprintf(w[i].kind, sizeof w[i].kind, "%s", p[i].kind);
        snprintf(w[i].subject, sizeof w[i].subject, "%s", p[i].subject);
        w[i].grade = p[i].grade;
        w[i].school_primary = p[i].school_primary;
        w[i].expert_primary = p[i].expert_primary;
        w[i].school_mark = p[i].school_mark == STORE_NONE ? 0 : p[i].school_mark;
        w[i].expert_mark = p[i].expert_mark == STORE_NONE ? 0 : p[i].expert_mark;
    }
    free(p);
    json_t *c = NULL;
    int rc = obj_coef_run(m, year, f, w, n, &c, err);
    free(w);
    if (rc)
        return -1;
    json_t *schools = json_object_get(c, "schools");
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it)
    {
        json_t *v = json_object_get(schools, json_string_value(json_object_get(it, "school")));
        json_object_set(it, "coefficient", v ? v : json_null());
    }
    json_object_set_new(ind, "objectivity_coefficient", c);
    return 0;
}

json_t *engine_doc(const engine_result *r)
{
    json_t *d = json_object();
    json_object_set_new(d, "year", json_integer(r->year));
    json_object_set(d, "shnor", r->lists[ENGINE_SHNOR]);
    json_object_set(d, "risk", r->lists[ENGINE_RISK]);
    json_object_set(d, "rating", r->lists[ENGINE_RATING]);
    json_object_set(d, "objectivity", r->lists[ENGINE_OBJ]);
    json_object_set(d, "indicators", r->ind);
    /* the directions' text rides beside its place (engine_doc_dumps puts it there) */
    json_object_set_new(d, "directions", json_string(DIRECTIONS_MARK));
    json_object_set(d, "methods", r->names);
    /* the text is ours (its strings came through jansson's checks when the files were read) */
    json_object_set_new(d, DIRECTIONS_TEXT,
                        r->dir_pretty ? json_stringn_nocheck(r->dir_pretty, strlen(r->dir_pretty))
                                      : json_string("[]"));
    json_object_set_new(d, DIRECTIONS_STATUS,
                        json_pack("[i, i, i, i]", (int)r->ndirs, r->dir_counts[0], r->dir_counts[1],
                                  r->dir_counts[2]));
    return d;
}

void engine_doc_directions(const json_t *doc, int *n, int *on_target, int *below, int *no_data)
{
    const json_t *c = json_object_get(doc, DIRECTIONS_STATUS);
    *n = (int)json_integer_value(json_array_get(c, 0));
    *on_target = (int)json_integer_value(json_array_get(c, 1));
    *below = (int)json_integer_value(json_array_get(c, 2));
    *no_data = (int)json_integer_value(json_array_get(c, 3));
}

int engine_doc_print(json_t *doc, FILE *out)
{
    json_t *text = json_incref(json_object_get(doc, DIRECTIONS_TEXT));
    json_object_del(doc, DIRECTIONS_TEXT);
    json_object_del(doc, DIRECTIONS_STATUS);
    /* as json_dumps(doc, ENGINE_DOC_FLAGS) with the directions' text in the place of their mark,
     * written without jansson's dump (base/jsonw.h) straight on to out */
    msk_buf db;
    msk_buf_init(&db, 0);
    jw_nums *nums = jw_nums_new();
    jw w;
    jw_init(&w, &db, 1, 0, 6, nums, 0);
    jw_stream(&w, out);
    jw_open(&w, '{');
    for (void *it = json_object_iter(doc); it; it = json_object_iter_next(doc, it)) {
        const char *key = json_object_iter_key(it);
        jw_key(&w, key);
        if (text && !strcmp(key, "directions"))
            /* "directions" is a member of the document (depth 1): the text was written there */
            jw_add(&w, json_string_value(text), json_string_length(text));
        else
            jw_json(&w, json_object_iter_value(it));
    }
    jw_close(&w, '}');
    jw_putc(&w, '\n');
    int rc = jw_flush(&w);
    jw_nums_free(nums);
    msk_buf_release(&db);
    json_decref(text);
    return rc;
}

int engine_run(store *s, int year, const engine_opts *o, engine_result **out, engine_timing *timing,
               msk_err *err)
{
    engine_result *r = msk_calloc(1, sizeof *r);
    model m;
    int have_model = 0, rc = -1;
    struct timespec t[7];
    *out = NULL;
    r->year = year;
    r->names = json_array();
    meth_file **mf = r->mf;
    json_t **lists = r->lists;
    if (load_methods(o, mf, r->names, err) ||
        engine_directions_load(&r->dirs, &r->ndirs, r->names, err))
        goto out;
    clock_gettime(CLOCK_MONOTONIC, &t[0]);
    /* model_load initialises m itself and releases it on failure */
    /* only the task signs of objectivity read task bytes, and only those of the year analysed:
     * the snapshot leaves out the others */
    if (model_load_opt(&m, s, year - 2, year, MODEL_LOAD_TASKS_OF_LAST, err))
        goto out;
    have_model = 1;
    clock_gettime(CLOCK_MONOTONIC, &t[1]);
    rating_job rj;
    memset(&rj, 0, sizeof rj);
    rj.m = &m;
    rj.year = year;
    rj.rc = -1;
    rj.mf = mf[ENGINE_RATING];
    pthread_t th;
    int threaded = pthread_create(&th, NULL, rating_thread, &rj) == 0;
    if (!threaded)
        rating_thread(&rj);
    double obj_index = 0, obj_index1 = 0;
    /* seed 001's ШНОР rule also reads the region's means and earlier lists (engine/shnor_in.c) */
    engine_shnor_in sin;
    int mrc = shnor_rule_kind(mf[ENGINE_SHNOR]) == SHNOR_RULE_001
                  ? engine_shnor_in_load(s, year, &sin, err)
                  : (memset(&sin, 0, sizeof sin), 0);
    mrc = mrc || shnor_run_in(&m, year, mf[ENGINE_SHNOR], &sin.in, &lists[ENGINE_SHNOR], err);
    engine_shnor_in_release(&sin);
    clock_gettime(CLOCK_MONOTONIC, &t[2]);
    mrc = mrc || risk_run(&m, year, mf[ENGINE_RISK], &lists[ENGINE_RISK], err);
    clock_gettime(CLOCK_MONOTONIC, &t[3]);
    mrc =
        mrc || indicators_run(&m, year, lists[ENGINE_SHNOR], mf[ENGINE_SHNOR], &r->ind, err) ||
        objectivity_run(&m, year, mf[ENGINE_OBJ], &lists[ENGINE_OBJ], &obj_index, &obj_index1, err);
    if (threaded)
        pthread_join(th, NULL);
    lists[ENGINE_RATING] = rj.out;
    t[4] = t[3];
    if (!mrc && rj.rc)
        *err = rj.err;
    if (mrc || rj.rc)
        goto out;
    /* issue 16: intervals, shrinkage, rank ranges and value added beside the act's lists */
    if (add_reliability(&m, year, mf, lists, r->ind, err) ||
        add_coefficient(s, &m, year, mf[ENGINE_OBJ], lists[ENGINE_OBJ], r->ind, err))
        goto out;
    /* an index over no schools is not 100: it is unknown */
    json_object_set_new(r->ind, "objectivity_index",
                        isnan(obj_index) ? json_null() : json_real(obj_index));
    json_object_set_new(r->ind, "objectivity_index_one_sign",
                        isnan(obj_index1) ? json_null() : json_real(obj_index1));
    clock_gettime(CLOCK_MONOTONIC, &t[5]);
    /* issue 15: the nine directions, after the year's lists they read */
    json_t *const dlists[3] = {lists[ENGINE_SHNOR], lists[ENGINE_RISK], lists[ENGINE_OBJ]};
    msk_buf dc, dp;
    msk_buf_init(&dc, 0);
    msk_buf_init(&dp, 0);
    int want_doc = !(o && o->no_doc);
    int drc = engine_directions_text(s, &m, year, dlists, r->dirs, r->ndirs, &dc,
                                     want_doc ? &dp : NULL, 1, 6, r->dir_counts, err);
    r->dir_compact = msk_buf_detach(&dc, NULL);
    r->dir_pretty = want_doc ? msk_buf_detach(&dp, NULL) : NULL;
    msk_buf_release(&dc); /* detached: left empty, still allocated */
    msk_buf_release(&dp);
    if (drc)
        goto out;
    clock_gettime(CLOCK_MONOTONIC, &t[6]);
    if (timing) {
        timing->load = secs(t[0], t[1]);
        timing->shnor = secs(t[1], t[2]);
        timing->risk = secs(t[2], t[3]);
        timing->rating = rj.secs; /* on the second core, beside risk and the rest */
        timing->rest = secs(t[4], t[5]);
        timing->directions = secs(t[5], t[6]);
        timing->results = m.res.n;
        timing->schools = m.nschools;
    }
    *out = r;
    r = NULL;
    rc = 0;
out:
    engine_result_free(r);
    if (have_model)
        model_release(&m);
    return rc;
}
