/*
 * msoko analyze: run the methodologies for a year over the model of that year and the two
 * before it (analysis depth ≥ 3 years, seed 001), store one analysis run with its findings
 * (replacing an earlier run of the same year and methodology) and print a Russian summary or,
 * with --json, the contract of the engine issue.
 */
#include "cli/cli.h"
#include "method/indicators.h"
#include "method/methodology.h"
#include "method/objectivity.h"
#include "method/rating.h"
#include "method/risk.h"
#include "method/shnor.h"
#include "model/model.h"
#include "store/analysis.h"
#include "store/store.h"

#include <jansson.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int cmd_analyze(int argc, char **argv);

enum { M_SHNOR, M_RISK, M_RATING, M_OBJ, M_COUNT };
static const char *const METHOD_FILE[M_COUNT] = {"shnor", "risk", "rating-vladikavkaz",
                                                 "objectivity"};
static const char *const METHOD_PREFIX[M_COUNT] = {"shnor", "risk", "rating", "objectivity"};

/* Where the preset methodology files live: $MSOKO_METHODS, ./methods, or methods/ beside the
 * build directory of the running binary. */
static int preset_path(const char *name, char *out, size_t outsz)
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

static int method_of(const char *path)
{
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", path);
    const char *b = basename(copy);
    for (int i = 0; i < M_COUNT; i++)
        if (strncmp(b, METHOD_PREFIX[i], strlen(METHOD_PREFIX[i])) == 0)
            return i;
    return -1;
}

/* Seed 004 п. 2.1, 3.7, 4.2: a school listed with signs of non-objectivity gets, for the next
 * year, an inspection, specialists and public observers at ВПР, and the re-check of its works
 * by independent experts. The items are linked to the finding that caused them. */
static int plan_for_objectivity(store *s, int year, const char *school, int64_t finding,
                                msk_err *err)
{
    static const struct { const char *number, *text, *deadline, *responsible, *result; } ITEMS[] = {
        {"2.1", "Включить %s в план проверок отдела образования на %d год: признаки "
                "необъективности результатов оценочных процедур %d года",
         "ежегодно", "Отдел образования", "Проверка проведена, результаты рассмотрены"},
        {"3.7", "Обеспечить присутствие специалистов отдела образования и методического кабинета "
                "и общественное наблюдение при проведении ВПР %d года в %s",
         "по отдельному графику", "Отдел образования", "Наблюдатели во всех аудиториях"},
        {"4.2", "Обеспечить перепроверку работ обучающихся %s независимыми экспертами "
                "(муниципальные предметные комиссии)",
         "постоянно при проведении оценочных процедур", "Методический кабинет; руководитель ОО",
         "Доля объективно оценённых работ не менее 90 %"},
    };
    char roadmap[96], text[512];
    int64_t school_id = 0;
    if (store_school_id(s, school, &school_id))
        return 0;
    snprintf(roadmap, sizeof roadmap, "Анализ %d: объективность", year);
    for (size_t i = 0; i < sizeof ITEMS / sizeof ITEMS[0]; i++) {
        if (i == 0)
            snprintf(text, sizeof text, ITEMS[i].text, school, year + 1, year);
        else if (i == 1)
            snprintf(text, sizeof text, ITEMS[i].text, year + 1, school);
        else
            snprintf(text, sizeof text, ITEMS[i].text, school);
        store_plan p = {roadmap, "Обеспечение объективности (seed 004)", ITEMS[i].number, text,
                        ITEMS[i].deadline, NULL, ITEMS[i].responsible, ITEMS[i].result,
                        "planned", year + 1, school_id, finding, 0};
        if (store_plan_add(s, &p, NULL, err))
            return -1;
    }
    return 0;
}

static int store_list(store *s, int64_t run, const char *method, int year, json_t *list,
                      msk_err *err)
{
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it) {
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
            json_array_foreach(json_object_get(it, "signs"), k, sg) {
                size_t len = strlen(verdict);
                const char *name = json_string_value(json_object_get(sg, "sign"));
                if (!strstr(verdict, name ? name : "?"))
                    snprintf(verdict + len, sizeof verdict - len, "%s%s", len ? "," : "",
                             name ? name : "?");
            }
        }
        else {
            size_t k;
            json_t *f;
            json_array_foreach(json_object_get(it, "factors"), k, f) {
                size_t len = strlen(verdict);
                snprintf(verdict + len, sizeof verdict - len, "%s%s", k ? "," : "",
                         json_string_value(f));
            }
        }
        char *ev = json_dumps(it, JSON_COMPACT);
        int64_t fid = 0;
        int rc = store_finding_add(s, run, method, school, year, verdict, ev, &fid, err);
        free(ev);
        if (rc)
            return -1;
        if (strcmp(method, "objectivity") == 0 && school &&
            plan_for_objectivity(s, year, school, fid, err))
            return -1;
    }
    return 0;
}

/* "балл", "балла", "баллов" by the Russian plural rule. */
static const char *points_word(double v)
{
    long n = labs((long)v);
    if (n % 10 == 1 && n % 100 != 11)
        return "балл";
    if (n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14))
        return "балла";
    return "баллов";
}

static const struct { const char *key, *ru; } INDICATOR_RU[] = {
    {"shnor_positive_dynamics_math",
     "доля ШНОР с положительной динамикой результатов ГИА по математике"},
    {"shnor_positive_dynamics_rus",
     "доля ШНОР с положительной динамикой результатов ГИА по русскому языку"},
    {"vpr_fail_share_fell_4_to_5_math",
     "доля школ, где доля «2» по ВПР снизилась от 4 к 5 классу (математика)"},
    {"vpr_fail_share_fell_4_to_5_rus",
     "доля школ, где доля «2» по ВПР снизилась от 4 к 5 классу (русский язык)"},
    {"schools_without_fail_oge_rus",
     "доля школ без неудовлетворительных результатов ОГЭ по русскому языку"},
    {"schools_without_fail_oge_math",
     "доля школ без неудовлетворительных результатов ОГЭ по математике"},
    {"objectivity_index", "индекс объективности муниципалитета (100 − доля школ с признаками)"},
};

static void print_summary(const json_t *doc, int year, const char *const *files)
{
    json_t *shnor = json_object_get(doc, "shnor"), *risk = json_object_get(doc, "risk"),
           *rating = json_object_get(doc, "rating");
    size_t i;
    json_t *it;
    printf("Анализ за %d/%d учебный год. Методики: %s, %s, %s, %s.\n\n", year - 1, year,
           files[0], files[1], files[2], files[3]);
    printf("ШНОР (seed 002 п. 2.1): %zu\n", json_array_size(shnor));
    json_array_foreach(shnor, i, it) {
        printf("  %s — правило %s%s\n", json_string_value(json_object_get(it, "school")),
               json_string_value(json_object_get(it, "rule")),
               json_is_true(json_object_get(it, "small_sample")) ? " (малая выборка)" : "");
        size_t k;
        json_t *low;
        json_array_foreach(json_object_get(it, "low"), k, low) {
            const char *text = json_string_value(json_object_get(low, "text"));
            if (text)
                printf("      %s\n", text);
        }
    }
    printf("\nЗона риска (seed 002 п. 3.2): %zu\n", json_array_size(risk));
    json_array_foreach(risk, i, it) {
        printf("  %s —", json_string_value(json_object_get(it, "school")));
        size_t k;
        json_t *f;
        json_array_foreach(json_object_get(it, "factors"), k, f)
            printf("%s %s", k ? "," : "", json_string_value(f));
        printf("\n");
    }
    json_t *obj = json_object_get(doc, "objectivity");
    printf("\nОО с признаками необъективности (seed 000 разд. V, seed 003, seed 004): %zu\n",
           json_array_size(obj));
    json_array_foreach(obj, i, it) {
        printf("  %s\n", json_string_value(json_object_get(it, "school")));
        size_t k;
        json_t *sg;
        json_array_foreach(json_object_get(it, "signs"), k, sg) {
            const char *text = json_string_value(json_object_get(sg, "text"));
            if (text)
                printf("      %s\n", text);
        }
    }
    printf("\nРейтинг ОО (seed 000, таблица 1): %zu школ\n", json_array_size(rating));
    json_array_foreach(rating, i, it) {
        if (i >= 5 && i + 3 < json_array_size(rating)) {
            if (i == 5)
                printf("  …\n");
            continue;
        }
        double pts = json_number_value(json_object_get(it, "points"));
        printf("  %3lld. %s — %g %s\n", (long long)json_integer_value(json_object_get(it, "rank")),
               json_string_value(json_object_get(it, "school")), pts, points_word(pts));
    }
    printf("\nПоказатели мониторинга (seed 002 пп. 2.3.1, 3.3.3):\n");
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(doc, "indicators"), key, v) {
        const char *label = NULL;
        for (size_t k = 0; k < sizeof INDICATOR_RU / sizeof INDICATOR_RU[0]; k++)
            if (strcmp(INDICATOR_RU[k].key, key) == 0)
                label = INDICATOR_RU[k].ru;
        if (!label || (!json_is_null(v) && !json_is_number(v)))
            continue; /* details and keys without a label stay in --json */
        if (json_is_null(v)) {
            printf("  %s: нет данных\n", label);
        } else {
            char pct[32]; /* Russian convention: decimal comma, space before % (UI.md) */
            double x = json_number_value(v);
            snprintf(pct, sizeof pct, "%.1f", strcmp(key, "objectivity_index") ? 100.0 * x : x);
            char *dot = strchr(pct, '.');
            if (dot)
                *dot = ',';
            printf("  %s: %s %%\n", label, pct);
        }
    }
}

int cmd_analyze(int argc, char **argv)
{
    const char *mvals[argc > 0 ? argc : 1];
    cli_opt opts[] = {{"db", 1, NULL, 0, NULL, 0},
                      {"year", 1, NULL, 0, NULL, 0},
                      {"methods", 1, NULL, 1, mvals, 0},
                      {"json", 0, NULL, 0, NULL, 0},
                      {"user", 1, NULL, 0, NULL, 0},
                      {"timing", 0, NULL, 0, NULL, 0}};
    const int nopts = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    const cli_command *cmd = cli_find("analyze");
    meth_file *mf[M_COUNT] = {NULL};
    char paths[M_COUNT][1024];
    const char *shown[M_COUNT];
    model m;
    int have_model = 0;
    store *s = NULL;
    json_t *doc = NULL, *lists[M_COUNT] = {NULL}, *ind = NULL;
    msk_err err;
    long year;
    int rc = cli_parse(cmd, argc, argv, opts, nopts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos)
        return cli_usage(cmd, "лишний аргумент «%s»", pos[0]);
    const char *y = cli_get(opts, nopts, "year");
    if (!y || cli_int(y, 2000, 2100, &year))
        return cli_usage(cmd, "укажите год: --year 2024 (учебный год 2023/2024)");
    msk_err_clear(&err);
    rc = EXIT_USER;

    /* methodology files: the presets, replaced by any --methods FILE of the same method */
    for (int i = 0; i < M_COUNT; i++)
        paths[i][0] = '\0';
    for (int i = 0; i < opts[2].nvalues; i++) {
        int k = method_of(mvals[i]);
        if (k < 0) {
            rc = cli_usage(cmd, "--methods: по имени файла «%s» не понять методику: имя должно "
                                "начинаться с shnor, risk или rating", mvals[i]);
            goto out;
        }
        snprintf(paths[k], sizeof paths[k], "%s", mvals[i]);
    }
    for (int i = 0; i < M_COUNT; i++) {
        if (!paths[i][0] && !preset_path(METHOD_FILE[i], paths[i], sizeof paths[i])) {
            /* no file: the defaults built into the code, which equal the presets */
            if (meth_load_str(METHOD_FILE[i], "", &mf[i], &err))
                goto fail;
            shown[i] = "по умолчанию";
            continue;
        }
        if (meth_load(paths[i], &mf[i], &err))
            goto fail;
        shown[i] = paths[i];
    }

    const char *db = cli_db_path(opts, nopts);
    if (store_open(db, STORE_WRITE, &s, &err))
        goto fail;
    struct timespec t0, t1, t2, ts[5];
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* model_load initialises m itself and releases it on failure */
    if (model_load(&m, s, (int)year - 2, (int)year, &err))
        goto fail;
    have_model = 1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ts[0] = t1;
    if (shnor_run(&m, (int)year, mf[M_SHNOR], &lists[M_SHNOR], &err))
        goto fail;
    clock_gettime(CLOCK_MONOTONIC, &ts[1]);
    if (risk_run(&m, (int)year, mf[M_RISK], &lists[M_RISK], &err))
        goto fail;
    clock_gettime(CLOCK_MONOTONIC, &ts[2]);
    if (rating_run(&m, (int)year, mf[M_RATING], &lists[M_RATING], &err))
        goto fail;
    clock_gettime(CLOCK_MONOTONIC, &ts[3]);
    if (indicators_run(&m, (int)year, lists[M_SHNOR], mf[M_SHNOR], &ind, &err))
        goto fail;
    double obj_index = 0;
    if (objectivity_run(&m, (int)year, mf[M_OBJ], &lists[M_OBJ], &obj_index, &err))
        goto fail;
    /* an index over no schools is not 100: it is unknown */
    json_object_set_new(ind, "objectivity_index",
                        isnan(obj_index) ? json_null() : json_real(obj_index));
    clock_gettime(CLOCK_MONOTONIC, &t2);
    ts[4] = t2;
#define SECS(a, b) ((double)((b).tv_sec - (a).tv_sec) + (double)((b).tv_nsec - (a).tv_nsec) / 1e9)
    if (cli_get(opts, nopts, "timing"))
        fprintf(stderr, "загрузка модели: %.2f с (%zu результатов участников, %zu школ); "
                        "методики: %.3f с (ШНОР %.3f, риск %.3f, рейтинг %.3f, показатели и объективность %.3f)\n",
                SECS(t0, t1), m.res.n, m.nschools, SECS(t1, t2), SECS(ts[0], ts[1]),
                SECS(ts[1], ts[2]), SECS(ts[2], ts[3]), SECS(ts[3], ts[4]));
#undef SECS
    doc = json_object();
    json_object_set_new(doc, "year", json_integer(year));
    json_object_set(doc, "shnor", lists[M_SHNOR]);
    json_object_set(doc, "risk", lists[M_RISK]);
    json_object_set(doc, "rating", lists[M_RATING]);
    json_object_set(doc, "objectivity", lists[M_OBJ]);
    json_object_set(doc, "indicators", ind);

    /* one run per (year, methodology): the run records each file with its SHA-256 */
    {
        char ids[M_COUNT * 200] = "";
        int64_t run;
        for (int i = 0; i < M_COUNT; i++) {
            size_t len = strlen(ids);
            const char *name = strrchr(meth_name(mf[i]), '/');
            name = name ? name + 1 : meth_name(mf[i]);
            snprintf(ids + len, sizeof ids - len, "%s%s=%s", i ? ";" : "", name,
                     meth_hash(mf[i]));
        }
        const char *user = cli_get(opts, nopts, "user");
        if (!user)
            user = getenv("USER") ? getenv("USER") : "";
        char generated[96];
        snprintf(generated, sizeof generated, "Анализ %ld: объективность", year);
        if (store_begin(s, &err) || store_run_begin(s, (int)year, ids, user, &run, &err) ||
            store_plan_clear_generated(s, generated, &err) ||
            store_list(s, run, "shnor", (int)year, lists[M_SHNOR], &err) ||
            store_list(s, run, "risk", (int)year, lists[M_RISK], &err) ||
            store_list(s, run, "rating", (int)year, lists[M_RATING], &err) ||
            store_list(s, run, "objectivity", (int)year, lists[M_OBJ], &err)) {
            store_rollback(s);
            goto fail;
        }
        char *iv = json_dumps(ind, JSON_COMPACT);
        int frc = store_finding_add(s, run, "indicators", NULL, (int)year, "", iv, NULL, &err);
        free(iv);
        if (frc || store_commit(s, &err)) {
            store_rollback(s);
            goto fail;
        }
    }
    if (cli_get(opts, nopts, "json")) {
        char *out = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
        printf("%s\n", out);
        free(out);
    } else {
        print_summary(doc, (int)year, shown);
    }
    rc = EXIT_OK;
    goto out;
fail:
    rc = cli_fail(&err);
out:
    json_decref(doc);
    for (int i = 0; i < M_COUNT; i++) {
        json_decref(lists[i]);
        meth_free(mf[i]);
    }
    json_decref(ind);
    if (have_model)
        model_release(&m);
    store_close(s);
    return rc;
}
