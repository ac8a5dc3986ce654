/*
 * Loading registries: see registry.h.
 */
#include "ingest/registry.h"

#include "base/buf.h"
#include "base/fmt.h"
#include "base/mem.h"
#include "ingest/header.h"
#include "ingest/table.h"
#include "store/registry.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { HEADER_ROWS = 30, TEXT_MAX = 2000 };

void reg_row_clear(reg_row *r)
{
    free(r->code);
    free(r->rkey);
    free(r->data);
    memset(r, 0, sizeof *r);
}

static void add_error(reg_import_report *rep, const char *file, int64_t row, int col,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void add_error(reg_import_report *rep, const char *file, int64_t row, int col,
                      const char *fmt, ...)
{
    char msg[MSK_ERR_MSG];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (rep->nerrors < REG_MAX_ERRORS)
        msk_error_at(&rep->errors[rep->nerrors], file, row, col, "%s", msg);
    rep->nerrors++;
}

static int blank(const char *v)
{
    return !v || strspn(v, " \t\r\n") == strlen(v);
}

/* A pupil's code that reads like a name («Иванов Иван», «Петрова А. С.»): two or more words. */
static int code_like_name(const char *v)
{
    int words = 0, in = 0, letters = 0;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if (*p == ' ') {
            in = 0;
            continue;
        }
        if (*p >= 0xC0 || (*p >= 'A' && *p <= 'z'))
            letters++;
        if (!in)
            words++;
        in = 1;
    }
    return words >= 2 && letters >= 4;
}

/* One typed value into data (key col->code); 1 with an error in rep. */
static int put_value(const rk_column *c, const char *v, json_t *data, const char *file, int64_t row,
                     int col, reg_import_report *rep)
{
    double d;
    long l;
    int b;
    char iso[11];
    switch (c->type) {
    case RK_INT:
        if (val_int(v, c->has_min ? (long)c->min : -1000000000L,
                    c->has_max ? (long)c->max : 1000000000L, &l) != 0) {
            add_error(rep, file, row, col, "«%s»: «%s» — ожидается целое число%s", c->header, v,
                      c->has_min || c->has_max ? " в допустимых пределах" : "");
            return 1;
        }
        json_object_set_new(data, c->code, json_integer(l));
        return 0;
    case RK_NUMBER:
        if (val_number(v, &d) != 0 || (c->has_min && d < c->min) || (c->has_max && d > c->max)) {
            add_error(rep, file, row, col, "«%s»: «%s» — ожидается число%s", c->header, v,
                      c->has_max ? " в допустимых пределах" : "");
            return 1;
        }
        json_object_set_new(data, c->code, json_real(d));
        return 0;
    case RK_YESNO:
        if (val_bool(v, &b) != 0) {
            add_error(rep, file, row, col, "«%s»: «%s» — ожидается «да» или «нет»", c->header, v);
            return 1;
        }
        json_object_set_new(data, c->code, json_integer(b));
        return 0;
    case RK_DATE:
        if (fmt_parse_date(v, iso)) {
            add_error(rep, file, row, col, "«%s»: «%s» — ожидается дата дд.мм.гггг", c->header, v);
            return 1;
        }
        json_object_set_new(data, c->code, json_string(iso));
        return 0;
    case RK_CHOICE: {
        const rk_choice *ch = rk_choice_find(c, v);
        if (!ch) {
            char list[600] = "";
            size_t o = 0;
            for (size_t i = 0; i < c->nchoices && o < sizeof list - 1; i++)
                o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "",
                                      c->choices[i].words[0]);
            add_error(rep, file, row, col, "«%s»: «%s» — ожидается одно из: %s", c->header, v,
                      list);
            return 1;
        }
        json_object_set_new(data, c->code, json_string(ch->code));
        return 0;
    }
    default: {
        json_t *j = strlen(v) <= TEXT_MAX ? json_string(v) : NULL;
        if (!j) {
            add_error(rep, file, row, col, "«%s»: текст длиннее %d байт или не в UTF-8", c->header,
                      TEXT_MAX);
            return 1;
        }
        json_object_set_new(data, c->code, j);
        return 0;
    }
    }
}

static char *trimmed(const char *v)
{
    while (*v == ' ' || *v == '\t')
        v++;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' || v[n - 1] == '\n'))
        n--;
    return msk_strndup(v, n);
}

/* The key of a row: its values of the kind's key columns joined by '|'. */
static char *row_key(const rk_kind *k, const char *code, json_t *data)
{
    msk_buf b;
    char num[32];
    msk_buf_init(&b, 0);
    for (size_t i = 0; i < k->nkey; i++) {
        const char *part = "";
        if (!strcmp(k->key[i], "code"))
            part = code;
        else {
            json_t *v = json_object_get(data, k->key[i]);
            if (json_is_string(v))
                part = json_string_value(v);
            else if (json_is_number(v)) {
                snprintf(num, sizeof num, "%g", json_number_value(v));
                part = num;
            }
        }
        if (i)
            msk_buf_putc(&b, '|');
        msk_buf_puts(&b, part);
    }
    char *out = msk_strdup(b.data);
    msk_buf_release(&b);
    return out;
}

static int row_school_year(store *s, const rk_kind *k, const char *const *vals, const int *cols,
                           int64_t row, const reg_import_opts *o, reg_row *out,
                           reg_import_report *rep, const char *file)
{
    int bad = 0, ys = rk_col_index(k, "year"), sc = rk_col_index(k, "school");
    long year = o->year;
    const char *yv = ys >= 0 ? vals[ys] : NULL;
    if (!blank(yv)) {
        if (val_int(yv, 2000, 2100, &year) != 0) {
            add_error(rep, file, row, cols ? cols[ys] : 0,
                      "«%s»: «%s» — ожидается год окончания учебного года, например 2024",
                      k->cols[ys].header, yv);
            bad = 1;
        }
    } else if (!year) {
        add_error(rep, file, row, ys >= 0 && cols ? cols[ys] : 0,
                  "не указан год: заполните столбец «Год» или укажите --year");
        bad = 1;
    }
    out->year = (int)year;
    char *school = trimmed(vals[sc] ? vals[sc] : "");
    snprintf(out->school, sizeof out->school, "%s", school);
    if (!*school) {
        add_error(rep, file, row, cols ? cols[sc] : 0, "«%s»: не заполнено", k->cols[sc].header);
        bad = 1;
    } else if (store_school_id(s, school, &out->school_id)) {
        add_error(rep, file, row, cols ? cols[sc] : 0,
                  "«%s»: школы с кодом «%s» нет в базе (загрузите справочник школ)",
                  k->cols[sc].header, school);
        bad = 1;
    } else if (o->only_school && *o->only_school && strcmp(school, o->only_school)) {
        add_error(rep, file, row, cols ? cols[sc] : 0,
                  "«%s»: строка школы «%s» — вы загружаете данные только своей школы «%s»",
                  k->cols[sc].header, school, o->only_school);
        bad = 1;
    }
    free(school);
    return bad;
}

int reg_row_parse(store *s, const rk_kind *k, const char *const *vals, const int *cols, int64_t row,
                  const reg_import_opts *o, reg_row *out, reg_import_report *rep, msk_err *err)
{
    const char *file = o->name ? o->name : "";
    size_t before = rep->nerrors;
    json_t *data = json_object();
    memset(out, 0, sizeof *out);
    int bad = row_school_year(s, k, vals, cols, row, o, out, rep, file);
    for (size_t i = 0; i < k->ncols; i++) {
        const rk_column *c = &k->cols[i];
        int col = cols ? cols[i] : 0;
        if (!strcmp(c->code, "school") || !strcmp(c->code, "year"))
            continue;
        if (blank(vals[i])) {
            if (c->required) {
                add_error(rep, file, row, col, "«%s»: не заполнено (обязательный столбец)",
                          c->header);
                bad = 1;
            }
            continue;
        }
        char *v = trimmed(vals[i]);
        if (!strcmp(c->code, "code")) {
            if (!strcmp(k->people, "pupils") && code_like_name(v)) {
                add_error(rep, file, row, col,
                          "«%s»: «%s» похоже на фамилию и имя — в реестре обучающиеся только "
                          "коды, без ФИО",
                          c->header, v);
                bad = 1;
            } else if (strlen(v) > 200) {
                add_error(rep, file, row, col, "«%s»: код длиннее 200 байт", c->header);
                bad = 1;
            } else
                out->code = msk_strdup(v);
        } else if (put_value(c, v, data, file, row, col, rep))
            bad = 1;
        else if (!strcmp(c->code, "confirmed") && o->only_school && *o->only_school &&
                 json_integer_value(json_object_get(data, "confirmed")) == 1) {
            /* seed 001 п. 4.8: the database is confirmed by the analyst, not by the school */
            add_error(rep, file, row, col,
                      "«%s»: подтверждает аналитик, не школа — оставьте пустым", c->header);
            bad = 1;
        }
        free(v);
    }
    if (bad || rep->nerrors > before) {
        json_decref(data);
        reg_row_clear(out);
        return 1;
    }
    out->rkey = row_key(k, out->code, data);
    out->data = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(data);
    return 0;
}

/* The header row: the first of the first rows where at least two cells name columns of k and
 * one of them is the code. map[i] = the file's 0-based column of k->cols[i], -1 absent. */
static int find_header(tbl_reader *rd, const rk_kind *k, int *map, const char *file,
                       reg_import_report *rep, msk_err *err)
{
    for (int n = 0; n < HEADER_ROWS; n++) {
        int rc = tbl_next(rd, err);
        if (rc <= 0)
            break;
        int matched = 0, code = rk_col_index(k, "code");
        for (size_t i = 0; i < k->ncols; i++)
            map[i] = -1;
        for (size_t c = 0; c < rd->ncells; c++) {
            int i = rk_match_header(k, rd->cells[c]);
            if (i >= 0 && map[i] < 0) {
                map[i] = (int)c;
                matched++;
            }
        }
        if (matched < 2 || map[code] < 0)
            continue;
        int bad = 0;
        for (size_t c = 0; c < rd->ncells; c++) {
            if (blank(rd->cells[c]) || rk_match_header(k, rd->cells[c]) >= 0)
                continue;
            if (strcmp(k->people, "none") && rk_looks_like_name(rd->cells[c])) {
                add_error(rep, file, rd->row, (int)c + 1,
                          "столбец «%s» — имена людей: в реестре «%s» люди записываются только "
                          "кодами (ФИО обучающихся не загружаются), удалите столбец",
                          rd->cells[c], k->name);
                bad = 1;
            } else if (rep->nwarnings < 8)
                snprintf(rep->warnings[rep->nwarnings++], sizeof rep->warnings[0],
                         "столбец %zu «%s» не распознан и пропущен", c + 1, rd->cells[c]);
        }
        for (size_t i = 0; i < k->ncols; i++)
            if (map[i] < 0 && k->cols[i].required) {
                add_error(rep, file, rd->row, 0, "нет обязательного столбца «%s»",
                          k->cols[i].header);
                bad = 1;
            }
        return bad ? 1 : 0;
    }
    if (err->msg[0])
        return -1;
    add_error(rep, file, 1, 0,
              "не найдена строка заголовков реестра «%s»: нужен столбец «%s» и ещё хотя бы один "
              "столбец шаблона",
              k->name, rk_col(k, "code")->header);
    return 1;
}

typedef struct rowbuf {
    reg_row *rows;
    size_t n, cap;
} rowbuf;

static int write_rows(store *s, const rk_kind *k, rowbuf *b, const reg_import_opts *o,
                      reg_import_report *rep, msk_err *err)
{
    /* every (year, school) of the file is replaced: its old rows deleted once */
    for (size_t i = 0; i < b->n; i++) {
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen =
                b->rows[j].year == b->rows[i].year && b->rows[j].school_id == b->rows[i].school_id;
        if (seen)
            continue;
        int64_t del = 0;
        if (store_registry_clear(s, k->code, b->rows[i].year, b->rows[i].school_id, &del, err))
            return -1;
        rep->rows_replaced += del;
    }
    for (size_t i = 0; i < b->n; i++) {
        reg_row *r = &b->rows[i];
        if (store_registry_put(s, k->code, r->year, r->school_id, r->code, r->rkey, r->data, 0,
                               o->user, 1, NULL, NULL, err))
            return -1;
        rep->rows_loaded++;
    }
    return 0;
}

/* Duplicate keys within the file: the second is an error naming the first. */
static void check_duplicates(rowbuf *b, const int64_t *rows, const char *file,
                             reg_import_report *rep)
{
    for (size_t i = 1; i < b->n; i++)
        for (size_t j = 0; j < i; j++)
            if (b->rows[i].year == b->rows[j].year &&
                b->rows[i].school_id == b->rows[j].school_id &&
                !strcmp(b->rows[i].rkey, b->rows[j].rkey)) {
                add_error(rep, file, rows[i], 0, "строка повторяет строку %lld (тот же код «%s»)",
                          (long long)rows[j], b->rows[i].code);
                break;
            }
}

int reg_import_file(store *s, const rk_kind *k, const char *path, const reg_import_opts *o,
                    reg_import_report *rep, msk_err *err)
{
    tbl_reader *rd = NULL;
    reg_import_opts opts = *o;
    rowbuf b = {0};
    int64_t *rownums = NULL;
    int rc;
    memset(rep, 0, sizeof *rep);
    if (!opts.name)
        opts.name = path;
    if (tbl_open(path, NULL, &rd, err))
        return -1;
    snprintf(rd->file, sizeof rd->file, "%s", opts.name);
    int *map = msk_calloc(k->ncols, sizeof *map);
    const char **vals = msk_calloc(k->ncols, sizeof *vals);
    int *cols = msk_calloc(k->ncols, sizeof *cols);
    rc = find_header(rd, k, map, opts.name, rep, err);
    while (rc == 0 && (rc = tbl_next(rd, err)) == 1) {
        int any = 0;
        for (size_t i = 0; i < k->ncols; i++) {
            vals[i] = map[i] >= 0 && (size_t)map[i] < rd->ncells ? rd->cells[map[i]] : NULL;
            cols[i] = map[i] + 1;
            any |= !blank(vals[i]);
        }
        if (!any)
            continue;
        rep->rows_read++;
        if (b.n == b.cap) {
            b.cap = b.cap ? 2 * b.cap : 64;
            b.rows = msk_reallocarray(b.rows, b.cap, sizeof *b.rows);
            rownums = msk_reallocarray(rownums, b.cap, sizeof *rownums);
        }
        int r = reg_row_parse(s, k, vals, cols, rd->row, &opts, &b.rows[b.n], rep, err);
        if (r < 0) {
            rc = -1;
            break;
        }
        if (r == 0)
            rownums[b.n++] = rd->row;
        rc = 0;
    }
    if (rc == 0 && !rep->nerrors)
        check_duplicates(&b, rownums, opts.name, rep);
    if (rc >= 0 && rep->nerrors)
        rc = 1;
    else if (rc == 0 && !rep->rows_read) {
        add_error(rep, opts.name, rd->row, 0, "в файле нет строк данных");
        rc = 1;
    } else if (rc == 0)
        rc = write_rows(s, k, &b, &opts, rep, err);
    for (size_t i = 0; i < b.n; i++)
        reg_row_clear(&b.rows[i]);
    free(b.rows);
    free(rownums);
    free(map);
    free(vals);
    free(cols);
    tbl_free(rd);
    return rc;
}
