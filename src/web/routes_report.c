/*
 * The report page (issue 14 item 10): the analytical справка of a year — municipal or one
 * school's, with addressed recommendations — or the annual доклад (seed 001 п. 1.20), built in
 * the browser as the CLI's `msoko report` builds it (src/report/report.c), and downloaded as
 * PDF, DOCX, XLSX or HTML. The year must have a
 * stored analysis: a GET never writes, so a year without one offers «Запустить анализ» (POST
 * /analyze) instead. The document is written to a private temporary file, read back into the
 * answer and removed.
 */
#include "web/internal.h"

#include "engine/engine.h"
#include "report/report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int web_h_report(web_req *r);
int web_h_report_file(web_req *r);

/* The year's schools as [{code, name}] for the selector. */
static json_t *school_options(web_req *r, view_year *v)
{
    json_t *out = json_array(), *s = NULL;
    view_ctx c = web_ctx(r);
    msk_err err;
    msk_err_clear(&err);
    if (view_schools(v, &c, &(view_filter){0}, &s, &err) == 0) {
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(s, "schools"), i, it)
        {
            json_t *sc = json_object_get(it, "school");
            const char *code = json_string_value(json_object_get(it, "code"));
            const char *name = json_string_value(json_object_get(it, "name"));
            if (!code && sc) {
                code = json_string_value(json_object_get(sc, "code"));
                name = json_string_value(json_object_get(sc, "name"));
            }
            if (code)
                json_array_append_new(
                    out, json_pack("{s:s,s:s}", "code", code, "name", name ? name : code));
        }
    }
    json_decref(s);
    return out;
}

int web_h_report(web_req *r)
{
    web_crumb(r, "Сводка", "/");
    web_crumb(r, "Отчёт", NULL);
    if (!r->year)
        return web_page(r, "empty", "Данных пока нет", json_pack("{s:b}", "can_import", 1));
    view_year *v = web_view_year(r);
    if (!v)
        return 0;
    msk_err err;
    msk_err_clear(&err);
    int has = report_has_analysis(v, &err);
    if (has < 0)
        return web_fail(r, 500, "Не удалось прочитать анализ: %s", err.msg);
    char title[96];
    snprintf(title, sizeof title, "Аналитическая справка за %d год", r->year);
    return web_page(r, "report", title,
                    json_pack("{s:i,s:b,s:o}", "report_year", r->year, "has_analysis", has,
                              "schools", school_options(r, v)));
}

enum { F_PDF, F_XLSX, F_HTML, F_DOCX };

/* Write d in format to a private temporary file and read it back into out. 0 or -1 (err). */
static int render(const doc *d, int format, msk_buf *out, int *pages, msk_err *err)
{
    if (format == F_HTML) {
        doc_html(d, out);
        return 0;
    }
    const char *tmp = getenv("TMPDIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/msoko-report-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return msk_error(err, "не удалось создать временный файл: %s", strerror(errno));
    close(fd);
    int rc = format == F_PDF    ? doc_pdf(d, path, pages, err)
             : format == F_DOCX ? doc_docx(d, path, err)
                                : doc_xlsx(d, path, err);
    if (rc == 0) {
        FILE *f = fopen(path, "rb");
        char chunk[65536];
        size_t n;
        if (!f)
            rc = msk_error(err, "не удалось прочитать отчёт: %s", strerror(errno));
        while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
            msk_buf_add(out, chunk, n);
        if (f)
            fclose(f);
    }
    remove(path);
    return rc;
}

/* Long: parameters, the loaded years, recommendations, the build and the answer in one place. */
int web_h_report_file(web_req *r)
{
    static const char *const ext[] = {"pdf", "xlsx", "html", "docx"};
    static const char *const ctype[] = {
        "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "text/html; charset=utf-8",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"};
    const char *fs = web_arg(r, "format");
    int format = !fs || !strcmp(fs, "pdf") ? F_PDF
                 : !strcmp(fs, "xlsx")     ? F_XLSX
                 : !strcmp(fs, "html")     ? F_HTML
                 : !strcmp(fs, "docx")     ? F_DOCX
                                           : -1;
    if (format < 0)
        return web_fail(r, 422, "Формат отчёта: PDF, DOCX, XLSX или HTML");
    const char *school = web_arg(r, "school");
    if (school && !school[0])
        school = NULL;
    const char *kind = web_arg(r, "kind");
    int doklad = kind && !strcmp(kind, "doklad");
    if (kind && kind[0] && !doklad && strcmp(kind, "spravka"))
        return web_fail(r, 422, "Документ: справка или доклад");
    if (doklad)
        school = NULL; /* the доклад is the municipality's */
    if (!r->year)
        return web_fail(r, 404, "Нет данных ни за один год");
    view_year *v = web_view_year(r);
    if (!v)
        return 0;
    msk_err err;
    msk_err_clear(&err);
    int has = report_has_analysis(v, &err);
    if (has != 1)
        return web_fail(r, 409, "Анализ за %d год не выполнен: запустите его на странице отчёта",
                        r->year);
    rec_rules *rules = NULL;
    char rpath[4096];
    if (engine_preset_path("recommendations", rpath, sizeof rpath) && rec_load(rpath, &rules, &err))
        return web_fail(r, 500, "Не удалось прочитать правила рекомендаций: %s", err.msg);
    /* the year before, for who moved in or out of the lists (only when it was analysed) */
    view_year *prev = NULL;
    msk_err perr;
    if (!school && view_year_load(r->db, r->year - 1, &prev, &perr) == 0 &&
        report_has_analysis(prev, &perr) != 1) {
        view_year_free(prev);
        prev = NULL;
    }
    report_opts o = {.rules = rules, .margin = rec_margin(rules)};
    doc *d = NULL;
    int pages = 0;
    int rc = doklad ? report_build_doklad(v, prev, r->db, &o, &d, &err)
                    : report_build(v, prev, r->db, school, &o, &d, &err);
    msk_buf_reset(&r->out);
    if (rc == VIEW_NOT_FOUND)
        web_fail(r, 404, "Нет школы с кодом «%s» за %d год", school, r->year);
    else if (rc || render(d, format, &r->out, &pages, &err))
        web_fail(r, 500, "Отчёт не построен: %s", err.msg);
    else {
        r->ctype = ctype[format];
        snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"%s-%d%s%s.%s\"",
                 doklad ? "doklad" : "spravka", r->year, school ? "-" : "", school ? school : "",
                 ext[format]);
    }
    doc_free(d);
    view_year_free(prev);
    rec_free(rules);
    return 0;
}
