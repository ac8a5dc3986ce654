/*
 * msoko analyze: parse options, run the analysis of a year (app_analyze: the engine, the stored
 * run and its audit row) and print a Russian summary or, with --json, the engine's contract.
 */
#include "app/app.h"
#include "base/fmt.h"
#include "cli/cli.h"
#include "store/decision.h"
#include "view/decision.h"
#include "base/vocab.h"
#include "engine/engine.h"
#include "method/directions.h"
#include "model/model.h"
#include "view/view.h"
#include "store/store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void count_one(void *ctx, const store_decision *d)
{
    (void)d;
    (*(int *)ctx)++;
}

/* The decisions of year - 1 with their effect in the analysis just stored (src/view/decision.c),
 * or *out NULL when there are none (no second load of the year then). */
static int decisions_effect(store *s, int year, json_t **out, msk_err *err)
{
    int n = 0;
    *out = NULL;
    if (store_decisions(s, year - 1, NULL, count_one, &n, err))
        return -1;
    if (!n)
        return 0;
    view_year *v = NULL;
    if (view_year_load(s, year, &v, err))
        return -1;
    view_ctx c = {VIEW_ANALYST, NULL, NULL};
    json_t *d = NULL;
    int rc = view_decisions(s, v, &c, year - 1, NULL, &d, err);
    view_year_free(v);
    if (rc)
        return -1;
    *out = json_incref(json_object_get(d, "items"));
    json_decref(d);
    return 0;
}

static void print_decisions(const json_t *items, int year)
{
    if (!json_array_size(items))
        return;
    printf("\nУправленческие решения по итогам анализа %d года и их результат:\n", year - 1);
    size_t i;
    const json_t *d;
    json_array_foreach(items, i, d)
    {
        const char *eff = json_string_value(json_object_get(d, "effect_text"));
        printf("  %s: %s%s%s\n", json_string_value(json_object_get(d, "title")),
               json_string_value(json_object_get(d, "text")), eff && eff[0] ? " — " : "",
               eff ? eff : "");
    }
}

int cmd_analyze(int argc, char **argv);

/* "балл", "балла", "баллов" by the Russian plural rule. */
static const char *points_word(double v)
{
    return fmt_plural((long long)v, "балл", "балла", "баллов");
}

static void print_summary(const json_t *doc, int year)
{
    json_t *files = json_object_get(doc, "methods");
    json_t *shnor = json_object_get(doc, "shnor"), *risk = json_object_get(doc, "risk"),
           *rating = json_object_get(doc, "rating");
    size_t i;
    json_t *it;
    printf("Анализ за %d/%d учебный год. Методики: %s, %s, %s, %s.\n\n", year - 1, year,
           json_string_value(json_array_get(files, 0)), json_string_value(json_array_get(files, 1)),
           json_string_value(json_array_get(files, 2)),
           json_string_value(json_array_get(files, 3)));
    printf("Школы с низкими образовательными результатами (ШНОР): %zu\n", json_array_size(shnor));
    json_array_foreach(shnor, i, it)
    {
        printf("  %s — %s%s\n", json_string_value(json_object_get(it, "school")),
               vocab_lower(VOCAB_SHNOR_RULE, json_string_value(json_object_get(it, "rule"))),
               json_is_true(json_object_get(it, "small_sample")) ? " (малая выборка)" : "");
        size_t k;
        json_t *low;
        json_array_foreach(json_object_get(it, "low"), k, low)
        {
            const char *text = json_string_value(json_object_get(low, "text"));
            if (text)
                printf("      %s\n", text);
        }
    }
    printf("\nШколы в зоне риска: %zu\n", json_array_size(risk));
    json_array_foreach(risk, i, it)
    {
        printf("  %s —", json_string_value(json_object_get(it, "school")));
        size_t k;
        json_t *f;
        json_array_foreach(json_object_get(it, "factors"), k, f)
            printf("%s %s", k ? "," : "", vocab_lower(VOCAB_RISK_FACTOR, json_string_value(f)));
        printf("\n");
    }
    json_t *obj = json_object_get(doc, "objectivity");
    printf("\nШколы с признаками необъективности результатов: %zu\n", json_array_size(obj));
    json_array_foreach(obj, i, it)
    {
        printf("  %s\n", json_string_value(json_object_get(it, "school")));
        size_t k;
        json_t *sg;
        json_array_foreach(json_object_get(it, "signs"), k, sg)
        {
            const char *text = json_string_value(json_object_get(sg, "text"));
            if (text)
                printf("      %s: %s\n",
                       vocab_label(VOCAB_OBJ_SIGN, json_string_value(json_object_get(sg, "sign"))),
                       text);
        }
    }
    printf("\nРейтинг ОО: %zu %s\n", json_array_size(rating),
           fmt_plural((long long)json_array_size(rating), "школа", "школы", "школ"));
    json_array_foreach(rating, i, it)
    {
        if (i >= 5 && i + 3 < json_array_size(rating)) {
            if (i == 5)
                printf("  …\n");
            continue;
        }
        double pts = json_number_value(json_object_get(it, "points"));
        printf("  %3lld. %s — %g %s\n", (long long)json_integer_value(json_object_get(it, "rank")),
               json_string_value(json_object_get(it, "school")), pts, points_word(pts));
    }
    printf("\nПоказатели мониторинга:\n");
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(doc, "indicators"), key, v)
    {
        const char *unit = "share";
        const char *label = view_indicator_name(key, &unit);
        if (!label || (!json_is_null(v) && !json_is_number(v)))
            continue; /* details and keys without a label stay in --json */
        if (json_is_null(v)) {
            printf("  %s: нет данных\n", label);
        } else {
            char pct[32]; /* Russian convention: decimal comma, space before % (UI.md) */
            double x = json_number_value(v);
            snprintf(pct, sizeof pct, "%.1f", strcmp(unit, "index") ? 100.0 * x : x);
            char *dot = strchr(pct, '.');
            if (dot)
                *dot = ',';
            printf("  %s: %s %%\n", label, pct);
        }
    }
    /* issue 15: the directions of seed 001 at a glance (contract §4) */
    int ndirs = 0, on = 0, below = 0, none = 0;
    engine_doc_directions(doc, &ndirs, &on, &below, &none);
    printf("\nНаправления МСОКО: %d, в целевых значениях %d, ниже цели %d, нет данных %d\n", ndirs,
           on, below, none);
}

int cmd_analyze(int argc, char **argv)
{
    const char *mvals[argc > 0 ? argc : 1];
    cli_opt opts[] = {{"db", 1, NULL, 0, NULL, 0},         {"year", 1, NULL, 0, NULL, 0},
                      {"methods", 1, NULL, 1, mvals, 0},   {"json", 0, NULL, 0, NULL, 0},
                      {"user", 1, NULL, 0, NULL, 0},       {"timing", 0, NULL, 0, NULL, 0},
                      {"no-snapshot", 0, NULL, 0, NULL, 0}};
    const int nopts = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    const cli_command *cmd = cli_find("analyze");
    store *s = NULL;
    json_t *doc = NULL;
    msk_err err;
    long year;
    engine_timing tm;
    int rc = cli_parse(cmd, argc, argv, opts, nopts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos)
        return cli_usage(cmd, "лишний аргумент «%s»", pos[0]);
    const char *y = cli_get(opts, nopts, "year");
    if (!y || cli_int(y, 2000, 2100, &year))
        return cli_usage(cmd, "укажите год: --year 2024 (учебный год 2023/2024)");
    for (int i = 0; i < opts[2].nvalues; i++)
        if (engine_method_of(mvals[i]) < 0)
            return cli_usage(cmd,
                             "--methods: по имени файла «%s» не понять методику: имя должно "
                             "начинаться с shnor, risk, rating или objectivity",
                             mvals[i]);
    msk_err_clear(&err);
    if (cli_get(opts, nopts, "no-snapshot")) /* read the rows: a check of the snapshot */
        model_snapshot_enable(0);
    app_actor actor;
    if (store_open(cli_db_path(opts, nopts), STORE_WRITE, &s, &err)) {
        rc = cli_fail(&err);
        goto out;
    }
    app_actor_cli(s, cli_get(opts, nopts, "user"), &actor);
    if (app_analyze(s, &actor, (int)year, mvals, (size_t)opts[2].nvalues, &doc, &tm, &err)) {
        rc = cli_fail(&err);
        goto out;
    }
    /* the management cycle: last year's decisions and what this analysis says of them */
    json_t *decs = NULL;
    if (decisions_effect(s, (int)year, &decs, &err)) {
        rc = cli_fail(&err);
        goto out;
    }
    if (decs)
        json_object_set_new(doc, "decisions", decs);
    if (cli_get(opts, nopts, "timing"))
        fprintf(stderr,
                "загрузка модели: %.2f с (%zu результатов участников, %zu школ); "
                "методики: %.3f с (ШНОР %.3f, риск %.3f, рейтинг %.3f, показатели и объективность "
                "%.3f); направления: %.3f с\n",
                tm.load, tm.results, tm.schools, tm.shnor + tm.risk + tm.rating + tm.rest, tm.shnor,
                tm.risk, tm.rating, tm.rest, tm.directions);
    if (cli_get(opts, nopts, "json")) {
        json_object_del(doc, "methods");
        engine_doc_print(doc, stdout);
    } else {
        print_summary(doc, (int)year);
        print_decisions(json_object_get(doc, "decisions"), (int)year);
    }
    rc = EXIT_OK;
out:
    json_decref(doc);
    store_close(s);
    return rc;
}
