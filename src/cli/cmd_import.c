/*
 * msoko import: load CSV/XLSX files; --list the batches; --undo one.
 * All files of one command are one transaction: any error in any file leaves the database
 * exactly as it was.
 */
#include "app/app.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "base/vocab.h"
#include "ingest/import.h"
#include "store/store.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_import(int argc, char **argv);
void cmd_import_help(void);

/* The templates of --kind, after the help text (cli_print_help). */
void cmd_import_help(void)
{
    printf("\nШаблоны (--kind):\n");
    for (int k = 0; k < TPL_COUNT; k++)
        if (tpl_importable((tpl_kind)k))
            printf("  %-17s %s\n", TPL[k].name, TPL[k].label);
}

static int list_batches(store *s)
{
    store_batch_row *rows = NULL;
    size_t n = 0;
    msk_err err;
    if (store_batch_list(s, &rows, &n, &err))
        return cli_fail(&err);
    if (!n)
        printf("Загрузок пока не было.\n");
    else
        printf("№\tкогда\tшаблон\tфайл\tохват\tпрочитано\tзагружено\tзаменено\tпредупр.\tстатус\n");
    for (size_t i = 0; i < n; i++) {
        const store_batch_row *b = &rows[i];
        printf("%" PRId64 "\t%s\t%s\t%s\t%s\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%" PRId64
               "\t%s\n",
               b->id, b->created_at, b->kind, b->file_name, b->scope, b->rows_read, b->rows_loaded,
               b->rows_replaced, b->warnings, b->undone_at[0] ? "отменена" : "действует");
    }
    free(rows);
    return EXIT_OK;
}

static int undo_batch(store *s, const app_actor *a, const char *arg, const cli_command *cmd)
{
    long id;
    int64_t removed = 0;
    msk_err err;
    msk_err_clear(&err);
    if (cli_int(arg, 1, 2147483647L, &id))
        return cli_usage(cmd, "--undo: ожидается номер загрузки, получено «%s»", arg);
    if (app_undo(s, a, id, &removed, &err))
        return cli_fail(&err);
    printf("Загрузка № %ld отменена: удалено строк %" PRId64 ".\n", id, removed);
    return EXIT_OK;
}

typedef struct file_ctx {
    int dry;
    int64_t errors;
    msk_buf done; /* warnings and summaries of the files read, printed once the import commits */
} file_ctx;

/* Each file's messages and summary, as the import reads it. Errors go out at once; what says
 * a file was loaded waits for the commit, so a commit that fails (a full disk) never leaves
 * «загружено» on the screen above «ничего не загружено». */
static void on_file(void *ctx, const char *path, int r, const import_report *rep)
{
    file_ctx *c = ctx;
    if (rep->messages.len) {
        if (r)
            fputs(rep->messages.data, stderr);
        else
            msk_buf_puts(&c->done, rep->messages.data);
    }
    c->errors += rep->errors;
    if (r)
        return;
    char absent[64] = "";
    if (rep->kind == TPL_RESULTS)
        snprintf(absent, sizeof absent, " (из них отсутствовали %" PRId64 ")", rep->rows_absent);
    msk_buf_printf(&c->done,
                   "%s: шаблон %s, строк %" PRId64 ", загружено %" PRId64
                   "%s, заменено прежних %" PRId64 ", предупреждений %" PRId64 "%s%s\n",
                   path, tpl_kind_name((tpl_kind)rep->kind), rep->rows_read, rep->rows_loaded,
                   absent, rep->rows_replaced, rep->warnings,
                   rep->personal_dropped ? "; столбцы с персональными данными пропущены" : "",
                   c->dry ? " — проверка без записи" : "");
}

int cmd_import(int argc, char **argv)
{
    cli_opt opts[] = {
        {"db", 1, NULL, 0, NULL, 0},        {"kind", 1, NULL, 0, NULL, 0},
        {"sheet", 1, NULL, 0, NULL, 0},     {"year", 1, NULL, 0, NULL, 0},
        {"procedure", 1, NULL, 0, NULL, 0}, {"subject", 1, NULL, 0, NULL, 0},
        {"grade", 1, NULL, 0, NULL, 0},     {"school", 1, NULL, 0, NULL, 0},
        {"roadmap", 1, NULL, 0, NULL, 0},   {"user", 1, NULL, 0, NULL, 0},
        {"dry-run", 0, NULL, 0, NULL, 0},   {"list", 0, NULL, 0, NULL, 0},
        {"undo", 1, NULL, 0, NULL, 0},
    };
    const int nopts = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    const cli_command *cmd = cli_find("import");
    import_opts io = {0};
    msk_err err;
    store *s = NULL;
    long v;
    int rc = cli_parse(cmd, argc, argv, opts, nopts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    msk_err_clear(&err);
    io.kind = -1;
    const char *a = cli_get(opts, nopts, "kind");
    if (a) {
        tpl_kind k;
        char kinds[256];
        if (tpl_kind_parse(a, &k) || !tpl_importable(k))
            return cli_usage(cmd, "--kind: неизвестный шаблон «%s» (%s)", a,
                             tpl_kind_list(kinds, sizeof kinds));
        io.kind = (int)k;
    }
    if ((a = cli_get(opts, nopts, "year"))) {
        if (cli_int(a, 2000, 2100, &v))
            return cli_usage(cmd, "--year: ожидается год, например 2024, получено «%s»", a);
        io.year = (int)v;
    }
    if ((a = cli_get(opts, nopts, "grade"))) {
        if (cli_int(a, 1, 11, &v))
            return cli_usage(cmd, "--grade: ожидается класс от 1 до 11, получено «%s»", a);
        io.grade = (int)v;
    }
    io.proc_kind = cli_get(opts, nopts, "procedure");
    io.subject = cli_get(opts, nopts, "subject");
    char code[16];
    if (io.proc_kind && hdr_kind_code(io.proc_kind, code, sizeof code)) {
        char kinds[512] = "";
        size_t n, o = 0;
        const vocab_entry *e = vocab_entries(VOCAB_PROC_KIND, &n);
        for (size_t i = 0; i < n && o < sizeof kinds; i++)
            o += (size_t)snprintf(kinds + o, sizeof kinds - o, "%s%s", i ? ", " : "", e[i].label);
        return cli_usage(cmd, "--procedure: неизвестный вид процедуры «%s» (%s)", io.proc_kind,
                         kinds);
    }
    if (io.subject && hdr_subject_code(io.subject, code, sizeof code))
        return cli_usage(cmd, "--subject: неизвестный предмет «%s»", io.subject);
    io.sheet = cli_get(opts, nopts, "sheet");
    io.school = cli_get(opts, nopts, "school");
    io.roadmap = cli_get(opts, nopts, "roadmap");
    int dry = cli_get(opts, nopts, "dry-run") != NULL;
    const char *undo = cli_get(opts, nopts, "undo");
    int list = cli_get(opts, nopts, "list") != NULL;
    if ((list || undo) && npos)
        return cli_usage(cmd, "--list и --undo не сочетаются с файлами");
    if (!list && !undo && !npos)
        return cli_usage(cmd, "укажите файлы для загрузки");

    const char *db = cli_db_path(opts, nopts);
    if (store_open(db, list ? STORE_READ : STORE_WRITE, &s, &err))
        return cli_fail(&err);
    if (!store_is_initialised(s)) {
        msk_error(&err, "база данных %s не подготовлена: сначала выполните «msoko init --db %s»",
                  db, db);
        store_close(s);
        return cli_fail(&err);
    }
    if (list) {
        rc = list_batches(s);
        store_close(s);
        return rc;
    }
    app_actor actor;
    app_actor_cli(s, cli_get(opts, nopts, "user"), &actor);
    if (undo) {
        rc = undo_batch(s, &actor, undo, cmd);
        store_close(s);
        return rc;
    }
    file_ctx fc = {dry, 0, {0}};
    msk_buf_init(&fc.done, 0);
    app_import_req req = {pos, NULL, (size_t)npos, &io, dry, on_file, &fc};
    int r = app_import(s, &actor, &req, NULL, &err);
    store_close(s);
    if (r == 0 && fc.done.len)
        fputs(fc.done.data, stdout);
    msk_buf_release(&fc.done);
    if (r < 0) {
        cli_fail(&err);
        fprintf(stderr, "msoko: ничего не загружено, база данных не изменена.\n");
        return EXIT_USER;
    }
    if (r > 0) {
        fprintf(stderr,
                "msoko: ошибок: %" PRId64 ". Ничего не загружено, база данных не "
                "изменена. Исправьте файл и повторите.\n",
                fc.errors);
        return EXIT_USER;
    }
    if (dry)
        printf("Проверка завершена: ошибок нет. Для загрузки повторите без --dry-run.\n");
    return EXIT_OK;
}
