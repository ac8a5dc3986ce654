/*
 * Import of one file: open (CSV or XLSX by content), find the header row below any title
 * rows, map columns to a template, then validate and write row by row inside the caller's
 * transaction. Valid rows are written even after an error so that every problem of the file
 * is found in one run (duplicates included); the caller rolls the transaction back when
 * errors > 0. Re-importing a scope replaces its earlier rows (see store/batch.c).
 */
#include "ingest/import.h"
#include "ingest/import_internal.h"

#include "base/deadline.h"
#include "base/mem.h"
#include "base/vocab.h"
#include "ingest/csv.h"
#include "ingest/internal.h"
#include "ingest/validate.h"
#include "ingest/xlsx.h"
#include "store/plan.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- messages ---------------------------------------------------------------------------- */

static void vmsg(imp *m, int warning, int64_t row, int col, const char *fmt, va_list ap)
{
    if (warning) {
        m->rep->warnings++;
        if (m->warnings_listed >= 10)
            return;
        m->warnings_listed++;
    } else {
        m->rep->errors++;
        if (m->rep->errors > m->max_messages)
            return;
    }
    msk_buf *b = &m->rep->messages;
    msk_buf_printf(b, "%s:%lld:", m->file, (long long)row);
    if (col > 0)
        msk_buf_printf(b, "%d:", col);
    msk_buf_puts(b, warning ? " предупреждение: " : " ");
    size_t start = b->len;
    msk_buf_vprintf(b, fmt, ap);
    if (b->len - start > VAL_MAX_MESSAGE) { /* a message quoting a huge cell */
        msk_buf_truncate(b, start + val_utf8_cut(b->data + start, VAL_MAX_MESSAGE));
        msk_buf_puts(b, "… (сообщение сокращено)");
    }
    if (col > 0 && (size_t)col <= m->nhead && m->head[col - 1][0])
        msk_buf_printf(b, " (столбец «%s»)", m->head[col - 1]);
    msk_buf_putc(b, '\n');
}

__attribute__((format(printf, 4, 5))) void imp_row_error(imp *m, int64_t row, int col,
                                                         const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(m, 0, row, col, fmt, ap);
    va_end(ap);
}

__attribute__((format(printf, 4, 5))) void imp_row_warning(imp *m, int64_t row, int col,
                                                           const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(m, 1, row, col, fmt, ap);
    va_end(ap);
}

/* ingest/validate.c reports through this */
static void val_report(void *ctx, int warning, int64_t row, int col, const char *msg)
{
    if (warning)
        imp_row_warning(ctx, row, col, "%s", msg);
    else
        imp_row_error(ctx, row, col, "%s", msg);
}

/* ---- small helpers ----------------------------------------------------------------------- */

static const char *cell(imp *m, hdr_field f)
{
    int c = m->map.field_col[f];
    if (c < 0 || (size_t)c >= m->rd->ncells)
        return NULL;
    return m->rd->cells[c];
}

static int col_of(imp *m, hdr_field f)
{
    return m->map.field_col[f] + 1;
}

int imp_blank(const char *s)
{
    if (!s)
        return 1;
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return 0;
    return 1;
}

/* Copy a cell trimmed of surrounding blanks. */
void imp_trimmed(const char *in, char *out, size_t outsz)
{
    size_t n;
    if (!in)
        in = "";
    while (*in && isspace((unsigned char)*in))
        in++;
    n = strlen(in);
    while (n && isspace((unsigned char)in[n - 1]))
        n--;
    if (n >= outsz)
        n = outsz - 1;
    memcpy(out, in, n);
    out[n] = '\0';
}

/* An integer field: returns 1 and *out when present and valid, 0 when empty (out = dflt),
 * -1 after reporting an error. */
static int int_field(imp *m, hdr_field f, long lo, long hi, long dflt, const char *what, long *out)
{
    const char *c = cell(m, f);
    *out = dflt;
    if (imp_blank(c))
        return 0;
    long v;
    int rc = val_int(c, lo, hi, &v);
    if (rc == 0) {
        *out = v;
        return 1;
    }
    if (rc == VAL_EMPTY)
        return 0;
    imp_row_error(m, m->rd->row, col_of(m, f),
                  "%s: ожидается целое число от %ld до %ld, получено «%s»", what, lo, hi, c);
    return -1;
}

int imp_bool_field(imp *m, hdr_field f, const char *what, int *out)
{
    const char *c = cell(m, f);
    *out = 0;
    if (imp_blank(c))
        return 0;
    int rc = val_bool(c, out);
    if (rc == 0)
        return 1;
    if (rc == VAL_EMPTY)
        return 0;
    imp_row_error(m, m->rd->row, col_of(m, f), "%s: ожидается 1/0 или да/нет, получено «%s»", what,
                  c);
    return -1;
}

const char *imp_word_code(const word *tab, const char *text)
{
    char n[128], w[128];
    hdr_normalize(text, n, sizeof n);
    for (; tab->spelling; tab++) {
        hdr_normalize(tab->spelling, w, sizeof w);
        if (strcmp(n, w) == 0)
            return tab->code;
    }
    return NULL;
}

/* ---- schools ----------------------------------------------------------------------------- */

static int school_id(imp *m, const char *code_in, int col, int64_t *id)
{
    char code[64];
    imp_trimmed(code_in, code, sizeof code);
    /* ФИС ОКО statistics name a school «(sch233070) МБОУ СОШ № 1»: the login in brackets */
    const char *close = code[0] == '(' ? strchr(code, ')') : NULL;
    if (close && close - code > 1) {
        memmove(code, code + 1, (size_t)(close - code - 1));
        code[close - code - 1] = '\0';
    }
    if (!code[0]) {
        imp_row_error(m, m->rd->row, col, "не указан код школы");
        return -1;
    }
    if (strcmp(code, m->last_school) == 0 && m->last_school_id > 0) {
        *id = m->last_school_id;
        return 0;
    }
    if (m->schools.cap ? imp_map_get(&m->schools, code, id) != 0
                       : store_school_id(m->s, code, id) != 0) {
        imp_row_error(m, m->rd->row, col,
                      "школа «%s» не найдена в справочнике: загрузите её файлом со списком школ "
                      "(--kind schools) или исправьте код",
                      code);
        return -1;
    }
    snprintf(m->last_school, sizeof m->last_school, "%s", code);
    m->last_school_id = *id;
    return 0;
}

/* The school of the current row: its column, else --school, else a login above the header. */
static int row_school(imp *m, int64_t *id)
{
    const char *c = cell(m, F_SCHOOL_CODE);
    if (m->map.field_col[F_SCHOOL_CODE] >= 0)
        return school_id(m, c, col_of(m, F_SCHOOL_CODE), id);
    return school_id(m, m->o->school ? m->o->school : m->school_hint, 0, id);
}

/* Scope set: returns 1 when key is new (and adds it), 0 when already seen. */
static int scope_first(imp *m, uint64_t key)
{
    key = key * 0x9E3779B97F4A7C15ULL | 1; /* never 0: 0 marks an empty slot */
    if (m->nscopes * 2 >= m->scope_cap) {
        size_t ncap = m->scope_cap ? m->scope_cap * 2 : 1024;
        uint64_t *n = msk_calloc(ncap, sizeof *n);
        for (size_t i = 0; i < m->scope_cap; i++)
            if (m->scopes[i]) {
                size_t j = (size_t)(m->scopes[i] >> 7) & (ncap - 1);
                while (n[j])
                    j = (j + 1) & (ncap - 1);
                n[j] = m->scopes[i];
            }
        free(m->scopes);
        m->scopes = n;
        m->scope_cap = ncap;
    }
    size_t j = (size_t)(key >> 7) & (m->scope_cap - 1);
    while (m->scopes[j]) {
        if (m->scopes[j] == key)
            return 0;
        j = (j + 1) & (m->scope_cap - 1);
    }
    m->scopes[j] = key;
    m->nscopes++;
    return 1;
}

/* ---- header ------------------------------------------------------------------------------ */

static int header_ok(tpl_kind k, const hdr_map *map)
{
    if (map->matched < 2)
        return 0;
    for (int f = 0; f < F_TASK; f++)
        if ((TPL[k].anchor & TPL_BIT(f)) && map->field_col[f] >= 0)
            return 1;
    return 0;
}

/* Required columns a header lacks for template k (the needed ones too: a per-pupil file
 * without pupil codes is some other template). */
static int missing_required(tpl_kind k, const hdr_map *map)
{
    int n = 0;
    for (int f = 0; f < F_TASK; f++)
        if (map->field_col[f] < 0 && ((TPL[k].required | TPL[k].needed) & TPL_BIT(f)))
            n++;
    return n;
}

/* Remember a school login (sch + 6 digits) or a title line seen above the header. */
static void scan_pre_header(imp *m)
{
    for (size_t c = 0; c < m->rd->ncells; c++) {
        const char *v = m->rd->cells[c];
        hdr_title t;
        if (!m->has_title && hdr_parse_title(v, &t)) {
            m->title = t;
            m->has_title = 1;
        }
        const char *p = strstr(v, "sch");
        if (p && !m->school_hint[0] && strspn(p + 3, "0123456789") == 6)
            snprintf(m->school_hint, sizeof m->school_hint, "%.9s", p);
    }
}

static void keep_header_text(imp *m)
{
    m->nhead = m->rd->ncells;
    m->head = msk_calloc(m->nhead ? m->nhead : 1, sizeof *m->head);
    for (size_t i = 0; i < m->nhead; i++) {
        /* wide context matches these against element names: room for the longest (element 2.2
         * of seed 002 §3.2, 74 letters — 96 bytes cut it and the column was "unknown") */
        char t[256];
        imp_trimmed(m->rd->cells[i], t, sizeof t);
        t[val_utf8_cut(t, strlen(t))] = '\0'; /* never half a letter in a message */
        for (char *q = t; *q; q++)
            if (*q == '\n' || *q == '\r')
                *q = ' ';
        m->head[i] = msk_strdup(t);
    }
}

/* «Код ОО» (school_code) или «Код участника» (pupil_code): the columns that make a row the
 * header of template k, as people and programs write them. */
static void anchor_names(tpl_kind k, char *out, size_t outsz)
{
    size_t o = 0;
    out[0] = '\0';
    for (int f = 0; f < F_TASK && o < outsz; f++) {
        if (!(TPL[k].anchor & TPL_BIT(f)))
            continue;
        const char *alias = NULL;
        hdr_field_aliases(k, (hdr_field)f, &alias, 1);
        o += (size_t)snprintf(out + o, outsz - o, "%s«%s» (%s)", o ? " или " : "",
                              alias ? alias : hdr_field_name((hdr_field)f),
                              hdr_field_name((hdr_field)f));
    }
}

static int find_header(imp *m, msk_err *err)
{
    int64_t seen = 0;
    for (;;) {
        int rc = tbl_next(m->rd, err);
        if (rc < 0)
            return -1;
        if (rc == 0)
            break;
        if (++seen > HEADER_SCAN_ROWS)
            break;
        int empty = 1;
        for (size_t c = 0; c < m->rd->ncells && empty; c++)
            empty = imp_blank(m->rd->cells[c]);
        if (empty)
            continue;
        if (m->o->kind >= 0) {
            hdr_map_release(&m->map);
            hdr_match_row((tpl_kind)m->o->kind, m->rd->cells, m->rd->ncells, &m->map);
            if (header_ok((tpl_kind)m->o->kind, &m->map)) {
                m->kind = m->o->kind;
                return 0;
            }
        } else {
            int best = -1, best_n = 0;
            for (int k = 0; k < TPL_COUNT; k++) {
                if (!tpl_importable((tpl_kind)k))
                    continue;
                hdr_map_release(&m->map);
                hdr_match_row((tpl_kind)k, m->rd->cells, m->rd->ncells, &m->map);
                /* a school column is common to most templates: prefer the richest match of a
                 * template whose required columns are all there */
                int n = m->map.matched - (int)m->map.ntasks / 2 -
                        10 * missing_required((tpl_kind)k, &m->map);
                if (header_ok((tpl_kind)k, &m->map) && (best < 0 || n > best_n)) {
                    best = k;
                    best_n = n;
                }
            }
            if (best >= 0) {
                hdr_map_release(&m->map);
                hdr_match_row((tpl_kind)best, m->rd->cells, m->rd->ncells, &m->map);
                m->kind = best;
                return 0;
            }
        }
        scan_pre_header(m);
    }
    if (seen == 0)
        return msk_error_at(err, m->file, 0, 0, "файл пуст: в нём нет ни одной строки");
    if (m->o->kind >= 0) {
        char need[256];
        anchor_names((tpl_kind)m->o->kind, need, sizeof need);
        return msk_error_at(err, m->file, 0, 0,
                            "не найдена строка заголовков шаблона «%s» в первых %d строках: "
                            "нужен хотя бы столбец %s и ещё один столбец шаблона — см. "
                            "docs/import.md",
                            tpl_kind_name((tpl_kind)m->o->kind), HEADER_SCAN_ROWS, need);
    }
    char kinds[256];
    return msk_error_at(err, m->file, 0, 0,
                        "не удалось определить вид файла по заголовкам: укажите --kind (%s) — см. "
                        "docs/import.md",
                        tpl_kind_list(kinds, sizeof kinds));
}

/* Required columns present? Reports each missing one at the header row. */
static int check_columns(imp *m)
{
    int bad = 0;
    tpl_kind k = (tpl_kind)m->kind;
    for (int f = 0; f < F_TASK; f++) {
        if (!((TPL[k].required | TPL[k].needed) & TPL_BIT(f)) || m->map.field_col[f] >= 0)
            continue;
        if (f == F_SCHOOL_CODE && (m->o->school || m->school_hint[0]) &&
            (k == TPL_RESULTS || k == TPL_RECHECK))
            continue;
        /* olympiad team standings have no pupil columns */
        if (k == TPL_OLYMPIADS && m->map.field_col[F_TEAM_PLACE] >= 0 &&
            (f == F_PUPIL_CODE || f == F_SUBJECT || f == F_GRADE || f == F_STATUS))
            continue;
        imp_row_error(m, m->rd->row, 0, "нет обязательного столбца «%s» — см. docs/import.md",
                      hdr_field_name((hdr_field)f));
        bad = 1;
    }
    if (k == TPL_RESULTS && m->map.field_col[F_PRIMARY_SCORE] < 0 && m->map.field_col[F_MARK] < 0 &&
        m->map.field_col[F_TEST_SCORE] < 0 && m->map.field_col[F_PASS] < 0 && m->map.ntasks == 0) {
        imp_row_error(m, m->rd->row, 0,
                      "нет столбцов с результатом: нужен первичный балл, отметка, "
                      "тестовый балл, баллы за задания или «зачёт/незачёт»");
        bad = 1;
    }
    if (k == TPL_RESULTS && m->map.ntasks > MAX_TASKS) {
        imp_row_error(m, m->rd->row, 0, "слишком много столбцов заданий (%zu, допустимо %d)",
                      m->map.ntasks, MAX_TASKS);
        bad = 1;
    }
    for (size_t c = 0; c < m->map.ncols; c++)
        if (m->map.cols[c].field == F_PERSONAL)
            m->rep->personal_dropped++;
    return bad ? -1 : 0;
}

/* Former names of elements still accepted as a column title, so that files made from an older
 * form keep loading: element 2.2 of seed 002 §3.2 was «без профильного образования» before it
 * took the act's wording («не имеющих диплома о переподготовке по преподаваемому предмету»). */
static const char *const FORMER_NAMES[][2] = {
    {"teachers_unqualified", "Педагогов без профильного образования по преподаваемому предмету"},
};

/* Index of the element that a former name (normalised n) stands for, or -1. */
static int former_name(const imp *m, const char *n)
{
    for (size_t i = 0; i < sizeof FORMER_NAMES / sizeof FORMER_NAMES[0]; i++) {
        char f[256];
        hdr_normalize(FORMER_NAMES[i][1], f, sizeof f);
        if (strcmp(n, f) != 0)
            continue;
        for (size_t e = 0; e < m->nelems; e++)
            if (strcmp(m->elem_code[e], FORMER_NAMES[i][0]) == 0)
                return (int)e;
    }
    return -1;
}

int import_start_context(imp *m, msk_err *err)
{
    /* context without element/value columns: every unmatched column names an element */
    if (m->map.field_col[F_ELEMENT] >= 0)
        return 0;
    char **names = NULL;
    if (store_element_list(m->s, &m->elem_code, &names, &m->nelems, err))
        return -1;
    m->elem_norm = msk_calloc(2 * m->nelems + 1, sizeof *m->elem_norm);
    for (size_t e = 0; e < m->nelems; e++) {
        char n[256];
        hdr_normalize(m->elem_code[e], n, sizeof n);
        m->elem_norm[2 * e] = msk_strdup(n);
        hdr_normalize(names[e], n, sizeof n);
        m->elem_norm[2 * e + 1] = msk_strdup(n);
        free(names[e]);
    }
    free(names);
    m->wide_elem = msk_calloc(m->map.ncols ? m->map.ncols : 1, sizeof *m->wide_elem);
    int any = 0;
    for (size_t c = 0; c < m->map.ncols; c++) {
        m->wide_elem[c] = -1;
        if (m->map.cols[c].field != F_NONE || c >= m->nhead || !m->head[c][0])
            continue;
        char n[256];
        hdr_normalize(m->head[c], n, sizeof n);
        for (size_t e = 0; e < m->nelems; e++)
            if (strcmp(n, m->elem_norm[2 * e]) == 0 || strcmp(n, m->elem_norm[2 * e + 1]) == 0) {
                m->wide_elem[c] = (int)e;
                any = 1;
            }
        if (m->wide_elem[c] < 0 && (m->wide_elem[c] = former_name(m, n)) >= 0)
            any = 1;
        if (m->wide_elem[c] < 0)
            imp_row_error(
                m, m->rd->row, (int)c + 1,
                "неизвестный показатель в заголовке: укажите код (например, teachers_36h) "
                "или название показателя — список в docs/import.md");
    }
    if (!any && !m->rep->errors)
        imp_row_error(m, m->rd->row, 0,
                      "нет столбцов с показателями: нужны столбцы element и value "
                      "или по столбцу на показатель");
    return 0;
}

int import_start_results(imp *m, msk_err *err)
{
    return imp_map_load(m, err) || imp_writer_start(m) ? -1 : 0;
}

int import_finish_plan(imp *m, msk_err *err)
{
    if (!m->rep->rows_loaded)
        return 0;
    return store_plan_progress_restore(m->s, NULL, err) || store_plan_refresh_due(m->s, NULL, err)
               ? -1
               : 0;
}

/* ---- the file ---------------------------------------------------------------------------- */

/* The file's SHA-256 is computed on the second core while the first parses and writes. */
typedef struct hash_job {
    const char *path;
    char hex[65];
    msk_err err;
    int rc;
} hash_job;

static int sha256_file(const char *path, char out[65], msk_err *err);

static void *hash_thread(void *arg)
{
    hash_job *j = arg;
    j->rc = sha256_file(j->path, j->hex, &j->err);
    return NULL;
}

static int sha256_file(const char *path, char out[65], msk_err *err)
{
    unsigned char buf[65536], h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state st;
    FILE *f = fopen(path, "rb");
    size_t n;
    if (!f)
        return msk_error_at(err, path, 0, 0, "не удалось открыть файл: %s", strerror(errno));
    crypto_hash_sha256_init(&st);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        crypto_hash_sha256_update(&st, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return msk_error_at(err, path, 0, 0, "ошибка чтения файла");
    crypto_hash_sha256_final(&st, h);
    for (size_t i = 0; i < sizeof h; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
    return 0;
}

int import_undo(store *s, int64_t batch_id, int64_t *removed, msk_err *err)
{
    return store_batch_undo(s, batch_id, tpl_undo_tables, removed, err);
}

void import_report_init(import_report *r)
{
    memset(r, 0, sizeof *r);
    r->kind = -1;
    msk_buf_init(&r->messages, 0);
    msk_buf_init(&r->munis_added, 0);
}

void import_report_release(import_report *r)
{
    msk_buf_release(&r->messages);
    msk_buf_release(&r->munis_added);
}

int import_file(store *s, const char *path, const import_opts *o, import_report *rep, msk_err *err)
{
    imp m;
    char sha[65];
    int rc = -1;
    memset(&m, 0, sizeof m);
    m.s = s;
    m.o = o;
    m.rep = rep;
    m.file = path;
    m.kind = -1;
    m.max_messages = o->max_messages > 0 ? o->max_messages : 50;

    hash_job hj;
    memset(&hj, 0, sizeof hj);
    hj.path = path;
    hj.rc = -1;
    pthread_t hth;
    int hashing = 0;
    if (sodium_init() < 0)
        return msk_error(err, "не удалось инициализировать libsodium");
    if (tbl_open(path, o->sheet, &m.rd, err))
        return -1;
    if (pthread_create(&hth, NULL, hash_thread, &hj) == 0)
        hashing = 1;
    else
        hash_thread(&hj);
    if (find_header(&m, err))
        goto out;
    rep->kind = m.kind;
    const tpl_def *t = &TPL[m.kind];
    if (!t->row) {
        msk_error_at(err, path, m.rd->row, 0, "%s", t->elsewhere);
        goto out;
    }
    keep_header_text(&m);
    int64_t header_row = m.rd->row;
    val_sink sink = {val_report, &m};
    int dup = validate_header((tpl_kind)m.kind, &m.map, m.head, m.nhead, header_row, &sink);
    if (check_columns(&m) || dup) {
        rc = 1;
        goto out;
    }
    store_batch b = {path, "", t->name, "", o->user};
    if (store_batch_add(s, &b, &rep->batch_id, err))
        goto out;
    if (t->start && t->start(&m, err))
        goto out;
    for (;;) {
        int r = tbl_next(m.rd, err);
        if (r < 0)
            goto out;
        if (r == 0)
            break;
        int empty = 1;
        for (size_t c = 0; c < m.rd->ncells && empty; c++)
            empty = imp_blank(m.rd->cells[c]);
        if (empty)
            continue;
        rep->rows_read++;
        if (validate_row((tpl_kind)m.kind, &m.map, m.rd->cells, m.rd->ncells, m.rd->row, &sink))
            continue;
        r = t->row(&m);
        if (r < 0) {
            if (!m.w || imp_writer_finish(&m, err) == 0)
                msk_error_at(err, path, m.rd->row, 0, "не удалось записать строку в базу данных");
            goto out;
        }
    }
    if (imp_writer_finish(&m, err))
        goto out;
    if (t->finish && t->finish(&m, err))
        goto out;
    if (rep->rows_read == 0)
        imp_row_error(&m, header_row, 0, "после строки заголовков нет ни одной строки с данными");
    if (rep->errors > m.max_messages)
        msk_buf_printf(&rep->messages, "%s: … и ещё %lld ошибок\n", path,
                       (long long)(rep->errors - m.max_messages));
    if (rep->warnings > m.warnings_listed)
        msk_buf_printf(&rep->messages, "%s: … и ещё %lld предупреждений\n", path,
                       (long long)(rep->warnings - m.warnings_listed));
    if (hashing) {
        pthread_join(hth, NULL);
        hashing = 0;
    }
    if (hj.rc) {
        *err = hj.err;
        goto out;
    }
    snprintf(sha, sizeof sha, "%s", hj.hex);
    if (store_batch_finish(s, rep->batch_id, sha, rep->scope, rep->rows_read, rep->rows_loaded,
                           rep->rows_replaced, rep->warnings, err))
        goto out;
    rc = rep->errors ? 1 : 0;
out:
    if (m.w) {
        msk_err ignored;
        imp_writer_finish(&m, &ignored);
    }
    if (m.schools.cap)
        imp_map_release(&m.schools);
    if (hashing)
        pthread_join(hth, NULL);
    tbl_free(m.rd);
    hdr_map_release(&m.map);
    for (size_t i = 0; i < m.nhead; i++)
        free(m.head[i]);
    free(m.head);
    free(m.scopes);
    for (size_t i = 0; i < m.nelems; i++) {
        free(m.elem_code[i]);
        free(m.elem_norm[2 * i]);
        free(m.elem_norm[2 * i + 1]);
    }
    free(m.elem_code);
    free(m.elem_norm);
    free(m.wide_elem);
    return rc;
}

/* ---- for the loaders of other files (internal.h) ------------------------------------------ */

store *imp_store(imp *m)
{
    return m->s;
}

int64_t imp_batch(imp *m)
{
    return m->rep->batch_id;
}

const char *imp_cell(imp *m, hdr_field f)
{
    return cell(m, f);
}

int imp_col(imp *m, hdr_field f)
{
    return col_of(m, f);
}

void imp_error(imp *m, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(m, 0, m->rd->row, col, fmt, ap);
    va_end(ap);
}

void imp_warning(imp *m, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(m, 1, m->rd->row, col, fmt, ap);
    va_end(ap);
}

int imp_int(imp *m, hdr_field f, long lo, long hi, long dflt, const char *what, long *out)
{
    return int_field(m, f, lo, hi, dflt, what, out);
}

int imp_year(imp *m, long *year)
{
    return imp_row_year(m, year);
}

int imp_school(imp *m, int64_t *id)
{
    return row_school(m, id);
}

int imp_procedure(imp *m, imp_proc *out)
{
    proc_slot *p = imp_row_procedure(m);
    if (!p)
        return -1;
    *out = (imp_proc){p->id, p->year, p->grade, p->kind, p->subject};
    return 0;
}

int imp_first(imp *m, uint64_t key)
{
    return scope_first(m, key);
}

void imp_loaded(imp *m, int64_t replaced)
{
    m->rep->rows_loaded++;
    m->rep->rows_replaced += replaced;
}
