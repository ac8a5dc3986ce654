/*
 * msoko decision: management decisions (issue 15 item 4) at the console — record one (приказ,
 * письмо, протокол совещания: its number, date, text, the list it answers and the schools it
 * names), list them with their effect in the next year's analysis, attach a file. The same use
 * cases and view as the web's /decisions (src/app/decision.c, src/view/decision.c).
 */
#include "app/app.h"
#include "base/file.h"
#include "base/fmt.h"
#include "cli/cli.h"
#include "store/decision.h"
#include "store/store.h"
#include "view/decision.h"
#include "view/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_decision(int argc, char **argv);

enum {
    O_DB,
    O_YEAR,
    O_KIND,
    O_NUMBER,
    O_DATE,
    O_TEXT,
    O_LIST,
    O_SCHOOL,
    O_RESP,
    O_DUE,
    O_USER,
    O_JSON,
    O_DIRECTION,
    O_N
};

/* vals: argc entries for the values of --school, which may repeat */
static int parse(const cli_command *cmd, int argc, char **argv, cli_opt *opts, const char **pos,
                 int *npos, const char **vals)
{
    cli_opt o[O_N] = {{"db", 1, NULL, 0, NULL, 0},          {"year", 1, NULL, 0, NULL, 0},
                      {"kind", 1, NULL, 0, NULL, 0},        {"number", 1, NULL, 0, NULL, 0},
                      {"date", 1, NULL, 0, NULL, 0},        {"text", 1, NULL, 0, NULL, 0},
                      {"list", 1, NULL, 0, NULL, 0},        {"school", 1, NULL, 1, NULL, 0},
                      {"responsible", 1, NULL, 0, NULL, 0}, {"due", 1, NULL, 0, NULL, 0},
                      {"user", 1, NULL, 0, NULL, 0},        {"json", 0, NULL, 0, NULL, 0},
                      {"direction", 1, NULL, 0, NULL, 0}};
    memcpy(opts, o, sizeof o);
    opts[O_SCHOOL].values = vals;
    return cli_parse(cmd, argc, argv, opts, O_N, pos, npos);
}

static int do_add(const cli_command *cmd, int argc, char **argv)
{
    cli_opt opts[O_N];
    const char *pos[argc > 0 ? argc : 1], *vals[argc > 0 ? argc : 1];
    int npos;
    long year;
    msk_err err;
    store *s = NULL;
    int rc = parse(cmd, argc, argv, opts, pos, &npos, vals);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos)
        return cli_usage(cmd, "лишний аргумент «%s»", pos[0]);
    if (!opts[O_YEAR].value || cli_int(opts[O_YEAR].value, 2000, 2100, &year))
        return cli_usage(cmd, "--year: учебный год анализа, на который отвечает решение, "
                              "например 2023");
    if (!opts[O_KIND].value || !opts[O_DATE].value || !opts[O_TEXT].value)
        return cli_usage(cmd, "нужны --kind (приказ, письмо, протокол), --date и --text");
    app_decision d = {(int)year,
                      opts[O_KIND].value,
                      opts[O_NUMBER].value,
                      opts[O_DATE].value,
                      opts[O_TEXT].value,
                      opts[O_LIST].value,
                      opts[O_RESP].value,
                      opts[O_DUE].value,
                      opts[O_SCHOOL].values,
                      (size_t)opts[O_SCHOOL].nvalues,
                      opts[O_DIRECTION].value};
    msk_err_clear(&err);
    if (store_open(cli_db_path(opts, O_N), STORE_WRITE, &s, &err))
        return cli_fail(&err);
    app_actor a;
    app_actor_cli(s, opts[O_USER].value, &a);
    int64_t id = 0;
    rc = app_decision_add(s, &a, &d, &id, &err);
    store_close(s);
    if (rc)
        return cli_fail(&err);
    printf("Решение %lld записано (школ: %d)\n", (long long)id, opts[O_SCHOOL].nvalues);
    return EXIT_OK;
}

static void print_decision(const json_t *d)
{
    printf("%lld\t%s\t%s\n", (long long)json_integer_value(json_object_get(d, "id")),
           json_string_value(json_object_get(d, "title")),
           json_string_value(json_object_get(d, "text")));
    const char *list = json_string_value(json_object_get(d, "list_name"));
    const char *effect = json_string_value(json_object_get(d, "effect_text"));
    if (list && list[0])
        printf("\tсписок: %s (анализ %lld года)%s%s\n", list,
               (long long)json_integer_value(json_object_get(d, "year")),
               effect && effect[0] ? "; итог: " : "", effect ? effect : "");
    size_t i;
    json_t *sc;
    json_array_foreach(json_object_get(d, "schools"), i, sc)
    {
        printf("\t%s %s: %s\n", json_string_value(json_object_get(sc, "code")),
               json_string_value(json_object_get(sc, "name")),
               json_string_value(json_object_get(sc, "moved_text")));
        size_t k;
        json_t *m;
        json_array_foreach(json_object_get(sc, "measures"), k, m)
        {
            json_t *b = json_object_get(m, "before"), *a = json_object_get(m, "after");
            int share = !strcmp(json_string_value(json_object_get(m, "unit")), "share");
            char bs[32] = "—", as[32] = "—";
            if (json_is_number(b))
                share ? fmt_pct(json_number_value(b), 1, bs, sizeof bs)
                      : fmt_num(json_number_value(b), 0, bs, sizeof bs);
            if (json_is_number(a))
                share ? fmt_pct(json_number_value(a), 1, as, sizeof as)
                      : fmt_num(json_number_value(a), 0, as, sizeof as);
            printf("\t\t%s: %s → %s\n", json_string_value(json_object_get(m, "label")), bs, as);
        }
    }
}

static int do_list(const cli_command *cmd, int argc, char **argv)
{
    cli_opt opts[O_N];
    const char *pos[argc > 0 ? argc : 1], *vals[argc > 0 ? argc : 1];
    int npos;
    long year = 0;
    msk_err err;
    store *s = NULL;
    view_year *v = NULL;
    int rc = parse(cmd, argc, argv, opts, pos, &npos, vals);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos)
        return cli_usage(cmd, "лишний аргумент «%s»", pos[0]);
    if (!opts[O_YEAR].value || cli_int(opts[O_YEAR].value, 2000, 2100, &year))
        return cli_usage(cmd, "--year: учебный год решений, например 2023");
    msk_err_clear(&err);
    if (store_open(cli_db_path(opts, O_N), STORE_READ, &s, &err))
        return cli_fail(&err);
    /* the effect is read from the next year's analysis */
    if (view_year_load(s, (int)year + 1, &v, &err)) {
        store_close(s);
        return cli_fail(&err);
    }
    view_ctx c = {VIEW_ANALYST, NULL, NULL};
    json_t *d = NULL;
    rc = view_decisions(s, v, &c, (int)year, opts[O_SCHOOL].value, &d, &err);
    view_year_free(v);
    store_close(s);
    if (rc)
        return cli_fail(&err);
    if (opts[O_JSON].value) {
        char *txt = json_dumps(d, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        puts(txt);
        free(txt);
    } else if (!json_array_size(json_object_get(d, "items")))
        printf("Решений %ld года нет.\n", year);
    else {
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(d, "items"), i, it) print_decision(it);
    }
    json_decref(d);
    return EXIT_OK;
}

static int do_attach(const cli_command *cmd, int argc, char **argv)
{
    cli_opt opts[O_N];
    const char *pos[argc > 0 ? argc : 1], *vals[argc > 0 ? argc : 1];
    int npos;
    long id;
    msk_err err;
    store *s = NULL;
    int rc = parse(cmd, argc, argv, opts, pos, &npos, vals);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos != 2 || cli_int(pos[0], 1, 2000000000L, &id))
        return cli_usage(cmd, "нужны номер решения и файл: msoko decision attach 3 приказ.pdf");
    msk_err_clear(&err);
    char *data = NULL;
    size_t n = 0;
    if (msk_file_read(pos[1], STORE_DECISION_FILE_MAX + 1, &data, &n, &err))
        return cli_fail(&err);
    if (store_open(cli_db_path(opts, O_N), STORE_WRITE, &s, &err)) {
        free(data);
        return cli_fail(&err);
    }
    app_actor a;
    app_actor_cli(s, opts[O_USER].value, &a);
    int64_t fid = 0;
    rc = app_decision_attach(s, &a, id, pos[1], (const unsigned char *)data, n, &fid, &err);
    store_close(s);
    free(data);
    if (rc > 0)
        msk_error(&err, "решения %ld нет (msoko decision list --year ГОД)", id);
    if (rc)
        return cli_fail(&err);
    printf("Решение %ld: приложен файл %lld (%zu байт)\n", id, (long long)fid, n);
    return EXIT_OK;
}

int cmd_decision(int argc, char **argv)
{
    const cli_command *cmd = cli_find("decision");
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        cli_print_help(cmd);
        return EXIT_OK;
    }
    if (argc < 2)
        return cli_usage(cmd, "нужна подкоманда: add, list или attach");
    const char *sub = argv[1];
    if (!strcmp(sub, "add"))
        return do_add(cmd, argc - 1, argv + 1);
    if (!strcmp(sub, "list"))
        return do_list(cmd, argc - 1, argv + 1);
    if (!strcmp(sub, "attach"))
        return do_attach(cmd, argc - 1, argv + 1);
    return cli_usage(cmd, "неизвестная подкоманда «%s»", sub);
}
