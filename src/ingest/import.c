/*
 * Import of one file: open (CSV or XLSX by content), find the header row below any title
 * rows, map columns to a template, then validate and write row by row inside the caller's
 * transaction. Valid rows are written even after an error so that every problem of the file
 * is found in one run (duplicates included); the caller rolls the transaction back when
 * errors > 0. Re-importing a scope replaces its earlier rows (see store/batch.c).
 */
#include "ingest/import.h"

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

enum { HEADER_SCAN_ROWS = 30, MAX_TASKS = 64, PROC_CACHE = 64, MAX_TEST_PRIMARY = 128 };

typedef struct proc_slot {
    int year, grade;
    char kind[8], subject[16];
    int64_t id;
    int has_scale, result_type_mark;
    store_scale scale;
    int task_max[MAX_TASKS];           /* -1 unknown */
    int16_t test_of[MAX_TEST_PRIMARY]; /* the year's primary → test table, -1 unknown */
} proc_slot;

/* Results are written by a second thread (the writer) while this one reads and validates:
 * SQLite inserts and parsing each take about half of a bulk load, and the machine has two
 * cores. Rows travel in blocks that carry their own copies of the strings. */
enum { WBLOCK_ROWS = 1024, WBLOCKS = 3 };
typedef struct wrec {
    store_result r;
    int64_t row;
    int col;   /* column of the pupil code, for a duplicate's message */
    int clear; /* 1: not a row but "replace the scope (procedure, school)" */
    char pupil[64], klass[16];
    unsigned char tasks[MAX_TASKS];
} wrec;
typedef struct wblock {
    size_t n;
    wrec rec[WBLOCK_ROWS];
    store_result batch[WBLOCK_ROWS];
    unsigned char failed[WBLOCK_ROWS];
} wblock;
typedef struct writer {
    pthread_t th;
    pthread_mutex_t mu; /* guards the queue fields below */
    pthread_cond_t cv;
    pthread_mutex_t db; /* held by whoever uses the store connection */
    wblock *blocks[WBLOCKS];
    wblock *queue[WBLOCKS]; /* full blocks waiting for the writer, in order */
    size_t qhead, qlen;
    wblock *free_list[WBLOCKS];
    size_t nfree;
    int done, failed; /* reader finished; writer hit a database error */
    msk_err err;
    int64_t replaced, duplicates;
    msk_buf messages; /* the writer's own row errors (duplicates) */
    int64_t listed;
} writer;

typedef struct school_map {
    char **code;
    int64_t *id;
    size_t cap;
} school_map;

/* Everything one import needs, in one place (STYLE.md: state private to a file). */
typedef struct imp {
    store *s;
    const import_opts *o;
    import_report *rep;
    tbl_reader *rd;
    const char *file; /* for messages: the path as given */
    hdr_map map;
    char **head; /* header cell texts, for messages */
    size_t nhead;
    hdr_title title; /* from a title line above the header, if any */
    int has_title;
    char school_hint[32]; /* a school login seen above the header */
    int kind;
    int max_messages;
    int64_t warnings_listed;
    /* caches */
    proc_slot procs[PROC_CACHE];
    int nprocs;
    proc_slot *last_proc; /* the previous row's procedure, valid while its cells repeat */
    char last_proc_cells[4][64];
    char last_school[64];
    int64_t last_school_id;
    uint64_t *scopes; /* open-addressing set of (procedure or year/grade) × school keys */
    size_t scope_cap, nscopes;
    int plan_cleared;
    char **elem_norm; /* context wide: normalised element codes and names */
    char **elem_code;
    size_t nelems;
    int *wide_elem; /* per column: index into elem_code, or -1 */
    writer *w;      /* results only: the writer thread, NULL when writing inline */
    wblock *cur;    /* the block being filled */
    school_map schools;
} imp;

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

__attribute__((format(printf, 4, 5))) static void row_error(imp *m, int64_t row, int col,
                                                            const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(m, 0, row, col, fmt, ap);
    va_end(ap);
}

__attribute__((format(printf, 4, 5))) static void row_warning(imp *m, int64_t row, int col,
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
        row_warning(ctx, row, col, "%s", msg);
    else
        row_error(ctx, row, col, "%s", msg);
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

static int blank(const char *s)
{
    if (!s)
        return 1;
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return 0;
    return 1;
}

/* Copy a cell trimmed of surrounding blanks. */
static void trimmed(const char *in, char *out, size_t outsz)
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
    if (blank(c))
        return 0;
    long v;
    int rc = val_int(c, lo, hi, &v);
    if (rc == 0) {
        *out = v;
        return 1;
    }
    if (rc == VAL_EMPTY)
        return 0;
    row_error(m, m->rd->row, col_of(m, f), "%s: ожидается целое число от %ld до %ld, получено «%s»",
              what, lo, hi, c);
    return -1;
}

static int bool_field(imp *m, hdr_field f, const char *what, int *out)
{
    const char *c = cell(m, f);
    *out = 0;
    if (blank(c))
        return 0;
    int rc = val_bool(c, out);
    if (rc == 0)
        return 1;
    if (rc == VAL_EMPTY)
        return 0;
    row_error(m, m->rd->row, col_of(m, f), "%s: ожидается 1/0 или да/нет, получено «%s»", what, c);
    return -1;
}

/* A word field mapped through a table of (spelling → code) after normalisation. */
typedef struct word {
    const char *spelling, *code;
} word;

static const char *word_code(const word *tab, const char *text)
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

/* ---- school map: every school's code → id, loaded once for a results file ------------------ */

static uint64_t str_hash(const char *k)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *k; k++)
        h = (h ^ (unsigned char)*k) * 1099511628211ULL;
    return h;
}

static void map_put(void *ctx, const char *code, int64_t id)
{
    school_map *sm = ctx;
    size_t j = (size_t)str_hash(code) & (sm->cap - 1);
    while (sm->code[j])
        j = (j + 1) & (sm->cap - 1);
    sm->code[j] = msk_strdup(code);
    sm->id[j] = id;
}

static int map_load(imp *m, msk_err *err)
{
    size_t total = (size_t)store_school_count(m->s);
    m->schools.cap = 64;
    while (m->schools.cap < total * 2 + 2)
        m->schools.cap *= 2;
    m->schools.code = msk_calloc(m->schools.cap, sizeof *m->schools.code);
    m->schools.id = msk_calloc(m->schools.cap, sizeof *m->schools.id);
    return store_school_each(m->s, map_put, &m->schools, err);
}

static int map_get(const school_map *sm, const char *code, int64_t *id)
{
    size_t j = (size_t)str_hash(code) & (sm->cap - 1);
    for (; sm->code[j]; j = (j + 1) & (sm->cap - 1))
        if (strcmp(sm->code[j], code) == 0) {
            *id = sm->id[j];
            return 0;
        }
    return 1;
}

static void map_release(school_map *sm)
{
    for (size_t i = 0; i < sm->cap; i++)
        free(sm->code[i]);
    free(sm->code);
    free(sm->id);
}

/* ---- the writer thread -------------------------------------------------------------------- */

static void writer_note(writer *w, const wrec *rec, const char *file)
{
    w->duplicates++;
    if (w->listed >= 50)
        return;
    w->listed++;
    msk_buf_printf(&w->messages,
                   "%s:%lld:%d: участник «%s» уже встречался в этой процедуре в файле%s\n", file,
                   (long long)rec->row, rec->col, rec->pupil,
                   rec->r.retake ? " (как пересдача)" : ": повтор строки");
}

/* Write one block: its scope clears first, then all its rows in one run of multi-row inserts.
 * A scope is cleared just before its first row (scope_first), so no row of the block belongs
 * to a scope cleared later in it; writing the clears in their place instead cut a school-
 * ordered file's blocks into runs of a few rows, most of them single-row inserts. */
static int writer_block(imp *m, writer *w, wblock *b)
{
    size_t n = 0, at[WBLOCK_ROWS];
    for (size_t i = 0; i < b->n; i++) {
        if (!b->rec[i].clear) {
            b->batch[n] = b->rec[i].r;
            at[n++] = i;
        } else if (store_result_clear_scope(m->s, b->rec[i].r.procedure_id, b->rec[i].r.school_id,
                                            &w->replaced, &w->err)) {
            return -1;
        }
    }
    if (n && store_result_add_many(m->s, b->batch, n, b->failed, &w->err))
        return -1;
    for (size_t k = 0; k < n; k++)
        if (b->failed[k])
            writer_note(w, &b->rec[at[k]], m->file);
    return 0;
}

static void *writer_main(void *arg)
{
    imp *m = arg;
    writer *w = m->w;
    for (;;) {
        pthread_mutex_lock(&w->mu);
        while (!w->qlen && !w->done)
            pthread_cond_wait(&w->cv, &w->mu);
        if (!w->qlen) {
            pthread_mutex_unlock(&w->mu);
            return NULL;
        }
        wblock *b = w->queue[w->qhead];
        w->qhead = (w->qhead + 1) % WBLOCKS;
        w->qlen--;
        pthread_mutex_unlock(&w->mu);

        int rc = 0;
        if (!w->failed) {
            pthread_mutex_lock(&w->db);
            rc = writer_block(m, w, b);
            pthread_mutex_unlock(&w->db);
        }
        pthread_mutex_lock(&w->mu);
        if (rc)
            w->failed = 1;
        b->n = 0;
        w->free_list[w->nfree++] = b;
        pthread_cond_broadcast(&w->cv);
        pthread_mutex_unlock(&w->mu);
    }
}

static int writer_start(imp *m)
{
    writer *w = msk_calloc(1, sizeof *w);
    pthread_mutex_init(&w->mu, NULL);
    pthread_mutex_init(&w->db, NULL);
    pthread_cond_init(&w->cv, NULL);
    msk_buf_init(&w->messages, 0);
    for (int i = 0; i < WBLOCKS; i++) {
        w->blocks[i] = msk_calloc(1, sizeof *w->blocks[i]);
        w->free_list[w->nfree++] = w->blocks[i];
    }
    m->w = w;
    if (pthread_create(&w->th, NULL, writer_main, m) != 0) {
        m->w = NULL; /* write inline instead */
        msk_buf_release(&w->messages);
        for (int i = 0; i < WBLOCKS; i++)
            free(w->blocks[i]);
        free(w);
        return 0;
    }
    pthread_mutex_lock(&w->mu);
    m->cur = w->free_list[--w->nfree];
    pthread_mutex_unlock(&w->mu);
    return 0;
}

/* Hand the current block to the writer and take an empty one. Returns -1 when the writer
 * has failed (its error is reported at the end). */
static int writer_push(imp *m)
{
    writer *w = m->w;
    pthread_mutex_lock(&w->mu);
    w->queue[(w->qhead + w->qlen) % WBLOCKS] = m->cur;
    w->qlen++;
    pthread_cond_broadcast(&w->cv);
    while (!w->nfree)
        pthread_cond_wait(&w->cv, &w->mu);
    m->cur = w->free_list[--w->nfree];
    int failed = w->failed;
    pthread_mutex_unlock(&w->mu);
    return failed ? -1 : 0;
}

/* Flush, stop and join the writer; merge its counts and messages. Returns -1 (err filled)
 * when it hit a database error. */
static int writer_finish(imp *m, msk_err *err)
{
    writer *w = m->w;
    int rc = 0;
    if (!w)
        return 0;
    if (m->cur && m->cur->n)
        writer_push(m);
    pthread_mutex_lock(&w->mu);
    w->done = 1;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
    if (w->failed) {
        *err = w->err;
        rc = -1;
    }
    m->rep->rows_replaced += w->replaced;
    m->rep->rows_loaded -= w->duplicates;
    m->rep->errors += w->duplicates;
    msk_buf_add(&m->rep->messages, w->messages.data, w->messages.len);
    msk_buf_release(&w->messages);
    for (int i = 0; i < WBLOCKS; i++)
        free(w->blocks[i]);
    pthread_mutex_destroy(&w->mu);
    pthread_mutex_destroy(&w->db);
    pthread_cond_destroy(&w->cv);
    free(w);
    m->w = NULL;
    m->cur = NULL;
    return rc;
}

/* The store connection is shared with the writer: take it for the rare direct uses. */
static void db_lock(imp *m)
{
    if (m->w)
        pthread_mutex_lock(&m->w->db);
}

static void db_unlock(imp *m)
{
    if (m->w)
        pthread_mutex_unlock(&m->w->db);
}

/* ---- schools ----------------------------------------------------------------------------- */

static int school_id(imp *m, const char *code_in, int col, int64_t *id)
{
    char code[64];
    trimmed(code_in, code, sizeof code);
    /* ФИС ОКО statistics name a school «(sch233070) МБОУ СОШ № 1»: the login in brackets */
    const char *close = code[0] == '(' ? strchr(code, ')') : NULL;
    if (close && close - code > 1) {
        memmove(code, code + 1, (size_t)(close - code - 1));
        code[close - code - 1] = '\0';
    }
    if (!code[0]) {
        row_error(m, m->rd->row, col, "не указан код школы");
        return -1;
    }
    if (strcmp(code, m->last_school) == 0 && m->last_school_id > 0) {
        *id = m->last_school_id;
        return 0;
    }
    if (m->schools.cap ? map_get(&m->schools, code, id) != 0
                       : store_school_id(m->s, code, id) != 0) {
        row_error(m, m->rd->row, col,
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

static const word SCHOOL_TYPES[] = {{"gymnasium", "gymnasium"},
                                    {"гимназия", "gymnasium"},
                                    {"lyceum", "lyceum"},
                                    {"лицей", "lyceum"},
                                    {"sosh", "sosh"},
                                    {"СОШ", "sosh"},
                                    {"средняя общеобразовательная школа", "sosh"},
                                    {"средняя школа", "sosh"},
                                    {"oosh", "oosh"},
                                    {"ООШ", "oosh"},
                                    {"основная общеобразовательная школа", "oosh"},
                                    {"основная школа", "oosh"},
                                    {"nosh", "nosh"},
                                    {"НОШ", "nosh"},
                                    {"начальная общеобразовательная школа", "nosh"},
                                    {"начальная школа", "nosh"},
                                    {"special", "special"},
                                    {"специальная", "special"},
                                    {"коррекционная", "special"},
                                    {"специальная (коррекционная)", "special"},
                                    {NULL, NULL}};

static const word LOCALITIES[] = {{"urban", "urban"}, {"городская", "urban"},
                                  {"город", "urban"}, {"городская местность", "urban"},
                                  {"rural", "rural"}, {"сельская", "rural"},
                                  {"село", "rural"},  {"сельская местность", "rural"},
                                  {NULL, NULL}};

int import_row_school(imp *m)
{
    char code[64], name[512], levels[64];
    const char *type, *loc;
    int64_t id = 0, existing = 0;
    int ok = 1;
    trimmed(cell(m, F_SCHOOL_CODE), code, sizeof code);
    trimmed(cell(m, F_NAME), name, sizeof name);
    trimmed(cell(m, F_LEVELS), levels, sizeof levels);
    if (!code[0]) {
        row_error(m, m->rd->row, col_of(m, F_SCHOOL_CODE), "не указан код школы");
        ok = 0;
    }
    if (!name[0]) {
        row_error(m, m->rd->row, col_of(m, F_NAME), "не указано наименование школы");
        ok = 0;
    }
    type = word_code(SCHOOL_TYPES, cell(m, F_TYPE) ? cell(m, F_TYPE) : "");
    if (!type) {
        row_error(m, m->rd->row, col_of(m, F_TYPE),
                  "неизвестный тип школы «%s»: допустимы гимназия, лицей, СОШ, ООШ, НОШ, "
                  "специальная (gymnasium, lyceum, sosh, oosh, nosh, special)",
                  cell(m, F_TYPE) ? cell(m, F_TYPE) : "");
        ok = 0;
    }
    loc = word_code(LOCALITIES, cell(m, F_LOCALITY) ? cell(m, F_LOCALITY) : "");
    if (!loc) {
        row_error(m, m->rd->row, col_of(m, F_LOCALITY),
                  "неизвестная местность «%s»: допустимы городская или сельская (urban, rural)",
                  cell(m, F_LOCALITY) ? cell(m, F_LOCALITY) : "");
        ok = 0;
    }
    if (!ok)
        return 0;
    int is_new = store_school_id(m->s, code, &existing) != 0;
    store_school sc = {code, name, type, loc, levels};
    msk_err e;
    if (store_school_put(m->s, &sc, &id, &e)) {
        row_error(m, m->rd->row, 0, "%s", e.msg);
        return 0;
    }
    if (is_new && store_school_mark_batch(m->s, id, m->rep->batch_id, &e)) {
        row_error(m, m->rd->row, 0, "%s", e.msg);
        return 0;
    }
    if (!is_new)
        m->rep->rows_replaced++;
    m->rep->rows_loaded++;
    return 0;
}

/* ---- procedures -------------------------------------------------------------------------- */

/* The procedure of the current row, from its columns, then options, then the title line.
 * Returns the cache slot, or NULL after reporting an error. */
static proc_slot *resolve_procedure(imp *m);

/* Files hold one or a few procedures, row after row: when the four procedure cells repeat the
 * previous row's, so does the procedure. Saves resolving «ВПР», «Математика» on every row. */
static proc_slot *row_procedure(imp *m)
{
    static const hdr_field F[4] = {F_YEAR, F_KIND, F_SUBJECT, F_GRADE};
    const char *c[4];
    int same = m->last_proc != NULL;
    for (int i = 0; i < 4; i++) {
        c[i] = cell(m, F[i]);
        if (!c[i])
            c[i] = "";
        if (same && (strlen(c[i]) >= sizeof m->last_proc_cells[i] ||
                     strcmp(c[i], m->last_proc_cells[i]) != 0))
            same = 0;
    }
    if (same)
        return m->last_proc;
    /* the connection is taken inside, only for a procedure the cache does not have yet: a
     * school-ordered file changes procedure every few rows, and taking the lock each time made
     * the reader wait for the writer's whole block */
    m->last_proc = resolve_procedure(m);
    for (int i = 0; i < 4; i++)
        snprintf(m->last_proc_cells[i], sizeof m->last_proc_cells[i], "%s", c[i]);
    return m->last_proc;
}

static proc_slot *resolve_procedure(imp *m)
{
    long year = 0, grade = 0;
    char kind[16] = "", subject[16] = "";
    const char *c;
    int bad = 0;

    if (int_field(m, F_YEAR, 2000, 2100, 0, "год", &year) < 0)
        bad = 1;
    if (!year)
        year = m->o->year ? m->o->year : m->title.year;
    if ((c = cell(m, F_KIND)) && !blank(c)) {
        if (hdr_kind_code(c, kind, sizeof kind)) {
            row_error(m, m->rd->row, col_of(m, F_KIND),
                      "неизвестный вид процедуры «%s»: допустимы ВПР, ОГЭ, ЕГЭ, ГВЭ-9, ГВЭ-11, "
                      "РКР, МКР, НИКО, DIAG",
                      c);
            bad = 1;
        }
    } else if (m->o->proc_kind) {
        hdr_kind_code(m->o->proc_kind, kind, sizeof kind);
    } else {
        snprintf(kind, sizeof kind, "%s", m->title.kind);
    }
    if ((c = cell(m, F_SUBJECT)) && !blank(c)) {
        if (hdr_subject_code(c, subject, sizeof subject)) {
            row_error(m, m->rd->row, col_of(m, F_SUBJECT), "неизвестный предмет «%s»", c);
            bad = 1;
        }
    } else if (m->o->subject) {
        hdr_subject_code(m->o->subject, subject, sizeof subject);
    } else {
        snprintf(subject, sizeof subject, "%s", m->title.subject);
    }
    if (int_field(m, F_GRADE, 1, 11, 0, "класс (параллель)", &grade) < 0)
        bad = 1;
    if (!grade)
        grade = m->o->grade ? m->o->grade : m->title.grade;
    if (!grade && (strcmp(kind, "OGE") == 0 || strcmp(kind, "GVE9") == 0))
        grade = 9;
    if (!grade && (strcmp(kind, "EGE") == 0 || strcmp(kind, "GVE11") == 0))
        grade = 11;
    if (bad)
        return NULL;
    if (!year || !kind[0] || !subject[0] || !grade) {
        row_error(m, m->rd->row, 0,
                  "не определена процедура (%s%s%s%s): добавьте столбцы year, kind, subject, "
                  "grade или укажите --year, --procedure, --subject, --grade",
                  year ? "" : "нет года; ", kind[0] ? "" : "нет вида процедуры; ",
                  subject[0] ? "" : "нет предмета; ", grade ? "" : "нет класса");
        return NULL;
    }
    for (int i = 0; i < m->nprocs; i++) {
        proc_slot *p = &m->procs[i];
        if (p->year == year && p->grade == grade && strcmp(p->kind, kind) == 0 &&
            strcmp(p->subject, subject) == 0)
            return p;
    }
    if (m->nprocs == PROC_CACHE) {
        row_error(m, m->rd->row, 0, "в одном файле больше %d процедур: разделите файл", PROC_CACHE);
        return NULL;
    }
    db_lock(m); /* a new procedure: the store is asked, and the writer shares it */
    if (!store_kind_exists(m->s, kind) || !store_subject_exists(m->s, subject)) {
        db_unlock(m);
        row_error(m, m->rd->row, 0, "неизвестный вид процедуры «%s» или предмет «%s»", kind,
                  subject);
        return NULL;
    }
    proc_slot *p = &m->procs[m->nprocs];
    memset(p, 0, sizeof *p);
    p->year = (int)year;
    p->grade = (int)grade;
    snprintf(p->kind, sizeof p->kind, "%s", kind);
    snprintf(p->subject, sizeof p->subject, "%s", subject);
    msk_err e;
    if (store_procedure_id(m->s, p->year, p->kind, p->subject, p->grade, 1, &p->id, &e)) {
        db_unlock(m);
        row_error(m, m->rd->row, 0, "%s", e.msg);
        return NULL;
    }
    int64_t scale_id = 0;
    p->has_scale =
        store_scale_find(m->s, p->year, p->kind, p->subject, p->grade, &p->scale, &scale_id) == 0;
    import_scale_test_table(m->s, p->has_scale ? scale_id : 0, p->test_of, MAX_TEST_PRIMARY);
    p->result_type_mark = strcmp(kind, "EGE") != 0 || strcmp(subject, "math_base") == 0;
    for (size_t t = 0; t < m->map.ntasks && t < MAX_TASKS; t++) {
        const hdr_col *hc = &m->map.cols[m->map.task_cols[t]];
        p->task_max[t] = hc->task_max;
        if (store_procedure_task_put(m->s, p->id, (int)t + 1, hc->task_label,
                                     hc->task_max >= 0 ? hc->task_max : STORE_NONE, &e)) {
            db_unlock(m);
            row_error(m, m->rd->row, 0, "%s", e.msg);
            return NULL;
        }
    }
    db_unlock(m);
    m->nprocs++;
    if (!m->rep->scope[0])
        snprintf(m->rep->scope, sizeof m->rep->scope, "%s %s %d %d", p->kind, p->subject, p->grade,
                 p->year);
    else if (!strstr(m->rep->scope, "и др."))
        snprintf(m->rep->scope + strlen(m->rep->scope),
                 sizeof m->rep->scope - strlen(m->rep->scope), " и др.");
    return p;
}

static int mark_from_scale(const store_scale *sc, double primary)
{
    if (isnan(sc->mark3) || isnan(primary))
        return STORE_NONE;
    if (!isnan(sc->mark5) && primary >= sc->mark5)
        return 5;
    if (!isnan(sc->mark4) && primary >= sc->mark4)
        return 4;
    return primary >= sc->mark3 ? 3 : 2;
}

/* ---- results ----------------------------------------------------------------------------- */

/* One result row, from its cells to the writer. Long: the checks of a row run in the order
 * the file's columns tell a person about them (school, pupil, absence, flags, marks, scores,
 * tasks), each needing the ones before; split into steps they would pass a dozen locals. */
int import_row_result(imp *m)
{
    proc_slot *p = row_procedure(m);
    int64_t school = 0;
    int bad = p == NULL;
    const int64_t row = m->rd->row;
    if (row_school(m, &school))
        bad = 1;
    char pupil[64], klass[16];
    trimmed(cell(m, F_PUPIL_CODE), pupil, sizeof pupil);
    trimmed(cell(m, F_CLASS), klass, sizeof klass);
    if (!pupil[0]) {
        row_error(m, row, col_of(m, F_PUPIL_CODE), "не указан код участника");
        bad = 1;
    }
    store_result r = {0};
    r.variant = r.mark = r.test_score = r.journal_mark = STORE_NONE;
    r.primary_score = NAN;
    int absent = 0, v;
    if (bool_field(m, F_ABSENT, "отсутствовал", &absent) < 0)
        bad = 1;
    const char *vc = cell(m, F_VARIANT);
    if (!blank(vc) && val_is_absent(vc))
        absent = 1;
    const char *pc = cell(m, F_PRIMARY_SCORE);
    if (!blank(pc) && val_is_absent(pc))
        absent = 1;
    const char *mc = cell(m, F_MARK);
    if (!blank(mc) && val_is_absent(mc))
        absent = 1;
    if (bool_field(m, F_RETAKE, "пересдача", &v) < 0)
        bad = 1;
    r.retake = v;
    if (bool_field(m, F_PAST_GRADUATE, "выпускник прошлых лет", &v) < 0)
        bad = 1;
    r.past_graduate = v;
    if (bool_field(m, F_OVZ, "ОВЗ", &v) < 0)
        bad = 1;
    r.ovz = v;
    long lv;
    if (int_field(m, F_JOURNAL_MARK, 1, 5, STORE_NONE, "отметка по журналу", &lv) < 0)
        bad = 1;
    r.journal_mark = (int)lv;

    unsigned char tasks[MAX_TASKS];
    size_t ntasks = m->map.ntasks < MAX_TASKS ? m->map.ntasks : MAX_TASKS;
    double task_sum = 0;
    int any_task = 0;
    if (!absent) {
        if (!blank(vc)) {
            if (val_int(vc, 0, 1000000, &lv) == 0)
                r.variant = (int)lv;
            else {
                row_error(m, row, col_of(m, F_VARIANT), "вариант: ожидается номер, получено «%s»",
                          vc);
                bad = 1;
            }
        }
        for (size_t t = 0; t < ntasks; t++) {
            int c = m->map.task_cols[t];
            const char *tc = (size_t)c < m->rd->ncells ? m->rd->cells[c] : "";
            double x;
            int rc = val_number(tc, &x);
            tasks[t] = STORE_TASK_X;
            if (rc == VAL_X || rc == VAL_EMPTY)
                continue;
            int max = p ? p->task_max[t] : -1;
            if (rc < 0 || x < 0 || x != floor(x) || x > 254) {
                row_error(m, row, c + 1,
                          "балл за задание %s: ожидается целое число от 0%s или X, получено «%s»",
                          m->map.cols[c].task_label, max >= 0 ? " до максимума" : "", tc);
                bad = 1;
                continue;
            }
            if (max >= 0 && x > max) {
                row_error(m, row, c + 1, "балл за задание %s равен %g, а максимум — %d",
                          m->map.cols[c].task_label, x, max);
                bad = 1;
                continue;
            }
            tasks[t] = (unsigned char)x;
            task_sum += x;
            any_task = 1;
        }
        if (!blank(pc)) {
            double x;
            int rc = val_number(pc, &x);
            if (rc == 0 && x >= 0)
                r.primary_score = x;
            else if (rc != VAL_EMPTY) {
                row_error(m, row, col_of(m, F_PRIMARY_SCORE),
                          "первичный балл: ожидается неотрицательное число, получено «%s»", pc);
                bad = 1;
            }
        } else if (any_task) {
            r.primary_score = task_sum;
        }
        if (!blank(mc)) {
            if (val_int(mc, 2, 5, &lv) == 0)
                r.mark = (int)lv;
            else {
                row_error(m, row, col_of(m, F_MARK), "отметка должна быть от 2 до 5, получено «%s»",
                          mc);
                bad = 1;
            }
        }
        if (int_field(m, F_TEST_SCORE, 0, 100, STORE_NONE, "тестовый балл", &lv) < 0)
            bad = 1;
        r.test_score = (int)lv;
        /* no test score in the file: the year's published table, when loaded (load_bench.c) */
        if (p && r.test_score == STORE_NONE && r.primary_score >= 0 &&
            r.primary_score < MAX_TEST_PRIMARY && r.primary_score == floor(r.primary_score) &&
            p->test_of[(int)r.primary_score] >= 0)
            r.test_score = p->test_of[(int)r.primary_score];
        if (p && p->has_scale && p->result_type_mark && !isnan(r.primary_score) &&
            r.primary_score > p->scale.max_primary) {
            row_error(m, row, col_of(m, F_PRIMARY_SCORE),
                      "первичный балл %g больше максимального %g по шкале %s %s %d класс",
                      r.primary_score, p->scale.max_primary, p->kind, p->subject, p->grade);
            bad = 1;
        }
        if (p && !bad && p->has_scale && p->result_type_mark) {
            int by_scale = mark_from_scale(&p->scale, r.primary_score);
            if (r.mark == STORE_NONE)
                r.mark = by_scale;
            else if (by_scale != STORE_NONE && by_scale != r.mark)
                row_warning(m, row, col_of(m, F_MARK),
                            "отметка %d не совпадает со шкалой %s года: первичному баллу %g "
                            "соответствует отметка %d",
                            r.mark, p->scale.year ? "этого" : "по умолчанию", r.primary_score,
                            by_scale);
        }
        if (!bad && isnan(r.primary_score) && r.mark == STORE_NONE && r.test_score == STORE_NONE) {
            row_error(m, row, 0,
                      "нет результата: заполните первичный балл, отметку или тестовый "
                      "балл, либо отметьте участника как отсутствовавшего");
            bad = 1;
        }
    }
    if (bad)
        return 0;
    msk_err e;
    if (m->w && m->cur->n + 2 > WBLOCK_ROWS && writer_push(m))
        return -1;
    if (scope_first(m, (uint64_t)p->id << 32 ^ (uint64_t)school)) {
        if (m->w) {
            wrec *c = &m->cur->rec[m->cur->n++];
            c->clear = 1;
            c->r.procedure_id = p->id;
            c->r.school_id = school;
        } else if (store_result_clear_scope(m->s, p->id, school, &m->rep->rows_replaced, &e)) {
            return -1;
        }
    }
    r.procedure_id = p->id;
    r.school_id = school;
    r.batch_id = m->rep->batch_id;
    r.class_name = klass;
    r.pupil_code = pupil;
    r.absent = absent;
    if (!absent && any_task) {
        r.tasks = tasks;
        r.ntasks = ntasks;
    }
    if (m->w) {
        wrec *c = &m->cur->rec[m->cur->n++];
        c->clear = 0;
        c->row = row;
        c->col = col_of(m, F_PUPIL_CODE);
        memcpy(c->pupil, pupil, sizeof c->pupil);
        memcpy(c->klass, klass, sizeof c->klass);
        c->r = r;
        c->r.pupil_code = c->pupil;
        c->r.class_name = c->klass;
        if (r.tasks) {
            memcpy(c->tasks, tasks, ntasks);
            c->r.tasks = c->tasks;
        }
        m->rep->rows_loaded++;
        if (absent)
            m->rep->rows_absent++;
        return 0;
    }
    if (store_result_add(m->s, &r, &e)) {
        if (strstr(e.msg, "уже есть"))
            row_error(m, row, col_of(m, F_PUPIL_CODE),
                      "участник «%s» уже встречался в этой процедуре в файле%s", pupil,
                      r.retake ? " (как пересдача)" : ": повтор строки");
        else
            row_error(m, row, 0, "%s", e.msg);
        return 0;
    }
    m->rep->rows_loaded++;
    if (absent)
        m->rep->rows_absent++;
    return 0;
}

/* ---- aggregates -------------------------------------------------------------------------- */

int import_row_aggregate(imp *m)
{
    const char *level;
    if (m->map.field_col[F_SCHOOL_CODE] >= 0 && import_bench_level(cell(m, F_SCHOOL_CODE), &level))
        return import_row_bench(m, level); /* an RF, region or municipality row (load_bench.c) */
    proc_slot *p = row_procedure(m);
    int64_t school = 0;
    int bad = p == NULL;
    long part, k[4], below;
    if (row_school(m, &school))
        bad = 1;
    if (int_field(m, F_PARTICIPANTS, 0, 1000000, -1, "число участников", &part) < 0)
        bad = 1;
    else if (part < 0) {
        row_error(m, m->rd->row, col_of(m, F_PARTICIPANTS), "не указано число участников");
        bad = 1;
    }
    const hdr_field mf[4] = {F_MARK2, F_MARK3, F_MARK4, F_MARK5};
    long sum = 0;
    for (int i = 0; i < 4; i++) {
        char what[32];
        snprintf(what, sizeof what, "число отметок «%d»", i + 2);
        if (int_field(m, mf[i], 0, 1000000, STORE_NONE, what, &k[i]) < 0)
            bad = 1;
        else if (k[i] != STORE_NONE)
            sum += k[i];
    }
    if (int_field(m, F_BELOW_MIN, 0, 1000000, STORE_NONE, "ниже минимального порога", &below) < 0)
        bad = 1;
    if (!bad && sum > part) {
        row_error(m, m->rd->row, col_of(m, F_PARTICIPANTS),
                  "сумма отметок (%ld) больше числа участников (%ld)", sum, part);
        bad = 1;
    }
    if (!bad && below != STORE_NONE && below > part) {
        row_error(m, m->rd->row, col_of(m, F_BELOW_MIN),
                  "не преодолевших порог (%ld) больше, чем участников (%ld)", below, part);
        bad = 1;
    }
    if (bad)
        return 0;
    store_aggregate a = {p->id,     school,    m->rep->batch_id, (int)part, (int)k[0],
                         (int)k[1], (int)k[2], (int)k[3],        (int)below};
    msk_err e;
    if (store_aggregate_put(m->s, &a, &e))
        return -1;
    m->rep->rows_loaded++;
    return 0;
}

/* ---- context ----------------------------------------------------------------------------- */

static int put_value(imp *m, const char *element, int64_t school, long year, const char *text,
                     int col)
{
    char type[16], period[16];
    double lo, hi, x = NAN;
    const char *tv = NULL;
    if (store_element_info(m->s, element, type, &lo, &hi)) {
        row_error(m, m->rd->row, col,
                  "неизвестный показатель «%s»: список показателей — в "
                  "docs/import.md",
                  element);
        return 0;
    }
    if (blank(text))
        return 0; /* an empty cell of a wide form: nothing reported */
    if (strcmp(type, "bool") == 0) {
        int b;
        if (val_bool(text, &b)) {
            row_error(m, m->rd->row, col, "показатель «%s»: ожидается да/нет (1/0), получено «%s»",
                      element, text);
            return 0;
        }
        x = b;
    } else if (strcmp(type, "text") == 0) {
        tv = text;
    } else {
        int rc = val_number(text, &x);
        int count = strcmp(type, "count") == 0; /* counts without a maximum took 1e308 */
        if (rc || x < lo || x > hi || (count && (x != floor(x) || x > VAL_MAX_COUNT))) {
            row_error(m, m->rd->row, col, "показатель «%s»: ожидается %s, получено «%s»", element,
                      count ? "целое неотрицательное число (не больше 10 000 000)" : "число", text);
            return 0;
        }
    }
    snprintf(period, sizeof period, "%ld", year);
    msk_err e;
    if (store_value_put(m->s, element, school, period, x, tv, m->rep->batch_id, &e))
        return -1;
    m->rep->rows_loaded++;
    return 0;
}

static int row_year(imp *m, long *year)
{
    if (int_field(m, F_YEAR, 2000, 2100, 0, "год", year) < 0)
        return -1;
    if (!*year)
        *year = m->o->year ? m->o->year : m->title.year;
    if (!*year) {
        row_error(m, m->rd->row, 0, "не указан год: добавьте столбец «Год» или укажите --year");
        return -1;
    }
    return 0;
}

int import_row_context(imp *m)
{
    long year = 0;
    int64_t school = 0;
    int bad = row_year(m, &year) != 0;
    if (row_school(m, &school))
        bad = 1;
    if (bad)
        return 0;
    if (m->map.field_col[F_ELEMENT] >= 0) {
        char el[64];
        trimmed(cell(m, F_ELEMENT), el, sizeof el);
        return put_value(m, el, school, year, cell(m, F_VALUE), col_of(m, F_VALUE));
    }
    for (size_t c = 0; c < m->rd->ncells && c < m->map.ncols; c++) {
        if (m->wide_elem[c] < 0)
            continue;
        if (put_value(m, m->elem_code[m->wide_elem[c]], school, year, m->rd->cells[c], (int)c + 1))
            return -1;
    }
    return 0;
}

/* ---- olympiads, graduates, plan ----------------------------------------------------------- */

static const word STAGES[] = {{"school", "school"},       {"школьный", "school"},
                              {"municipal", "municipal"}, {"муниципальный", "municipal"},
                              {"regional", "regional"},   {"региональный", "regional"},
                              {"final", "final"},         {"заключительный", "final"},
                              {"всероссийский", "final"}, {NULL, NULL}};
static const word STATUSES[] = {{"winner", "winner"},           {"победитель", "winner"},
                                {"prizewinner", "prizewinner"}, {"призёр", "prizewinner"},
                                {"призер", "prizewinner"},      {"participant", "participant"},
                                {"участник", "participant"},    {NULL, NULL}};
static const word DESTINATIONS[] = {{"grade10", "grade10"},
                                    {"10 класс", "grade10"},
                                    {"10-й класс", "grade10"},
                                    {"продолжил обучение в 10 классе", "grade10"},
                                    {"spo", "spo"},
                                    {"СПО", "spo"},
                                    {"колледж", "spo"},
                                    {"техникум", "spo"},
                                    {"vo", "vo"},
                                    {"ВО", "vo"},
                                    {"вуз", "vo"},
                                    {"ВПО", "vo"},
                                    {"work", "work"},
                                    {"работа", "work"},
                                    {"работает", "work"},
                                    {"none", "none"},
                                    {"не учится и не работает", "none"},
                                    {"не определился", "none"},
                                    {"нет", "none"},
                                    {NULL, NULL}};
/* Plan statuses are the vocabulary's codes and names (base/vocab.c); these are other ways
 * people write them. */
static const word PLAN_STATUSES[] = {{"планируется", "planned"},
                                     {"в работе", "in_progress"},
                                     {"исполнено", "done"},
                                     {"не выполнено", "overdue"},
                                     {NULL, NULL}};

/* The code of domain d whose code or name is text (after normalisation), or NULL. */
static const char *vocab_word(vocab_domain d, const char *text)
{
    char n[128], w[128];
    size_t ne;
    const vocab_entry *e = vocab_entries(d, &ne);
    hdr_normalize(text, n, sizeof n);
    for (size_t i = 0; i < ne; i++) {
        hdr_normalize(e[i].code, w, sizeof w);
        if (strcmp(n, w) == 0)
            return e[i].code;
        hdr_normalize(e[i].label, w, sizeof w);
        if (strcmp(n, w) == 0)
            return e[i].code;
    }
    return NULL;
}

static const char *word_field(imp *m, hdr_field f, const word *tab, const char *what,
                              const char *allowed, int required)
{
    const char *c = cell(m, f);
    if (blank(c)) {
        if (required)
            row_error(m, m->rd->row, col_of(m, f), "не указано: %s", what);
        return NULL;
    }
    const char *code = word_code(tab, c);
    if (!code)
        row_error(m, m->rd->row, col_of(m, f), "%s: неизвестное значение «%s» (допустимы: %s)",
                  what, c, allowed);
    return code;
}

int import_row_olympiad(imp *m)
{
    long year = 0, grade = 0, place = 0;
    int64_t school = 0;
    int bad = row_year(m, &year) != 0;
    if (row_school(m, &school))
        bad = 1;
    const char *stage = word_field(m, F_STAGE, STAGES, "этап",
                                   "школьный, муниципальный, региональный, заключительный", 1);
    bad |= stage == NULL;
    msk_err e;
    if (m->map.field_col[F_PUPIL_CODE] < 0) { /* team standings */
        if (int_field(m, F_TEAM_PLACE, 1, 10000, 0, "командное место", &place) < 0)
            bad = 1;
        else if (!place) {
            row_error(m, m->rd->row, col_of(m, F_TEAM_PLACE), "не указано командное место");
            bad = 1;
        }
        if (bad)
            return 0;
        if (store_team_put(m->s, (int)year, stage, school, (int)place, m->rep->batch_id, &e))
            return -1;
        m->rep->rows_loaded++;
        return 0;
    }
    char subject[16] = "", pupil[64];
    const char *sc = cell(m, F_SUBJECT);
    if (blank(sc) || hdr_subject_code(sc, subject, sizeof subject)) {
        row_error(m, m->rd->row, col_of(m, F_SUBJECT), "неизвестный предмет «%s»", sc ? sc : "");
        bad = 1;
    }
    if (int_field(m, F_GRADE, 1, 11, 0, "класс", &grade) < 0)
        bad = 1;
    else if (!grade) {
        row_error(m, m->rd->row, col_of(m, F_GRADE), "не указан класс");
        bad = 1;
    }
    trimmed(cell(m, F_PUPIL_CODE), pupil, sizeof pupil);
    if (!pupil[0]) {
        row_error(m, m->rd->row, col_of(m, F_PUPIL_CODE), "не указан код участника");
        bad = 1;
    }
    const char *status =
        word_field(m, F_STATUS, STATUSES, "статус", "победитель, призёр, участник", 1);
    bad |= status == NULL;
    double score = NAN;
    const char *scc = cell(m, F_SCORE);
    if (!blank(scc) && (val_number(scc, &score) || score < 0)) {
        row_error(m, m->rd->row, col_of(m, F_SCORE), "балл: ожидается число, получено «%s»", scc);
        bad = 1;
    }
    if (bad)
        return 0;
    uint64_t key =
        ((uint64_t)year << 48) ^
        ((uint64_t)(stage[0] + 31 * subject[0] + 7 * subject[1] + 3 * subject[2]) << 32) ^
        (uint64_t)school;
    if (scope_first(m, key ^ 0x5555))
        if (store_olympiad_clear_scope(m->s, (int)year, stage, subject, school,
                                       &m->rep->rows_replaced, &e))
            return -1;
    store_olympiad o = {(int)year, (int)grade,       stage, subject, pupil, status,
                        school,    m->rep->batch_id, score};
    if (store_olympiad_add(m->s, &o, &e)) {
        row_error(m, m->rd->row, col_of(m, F_PUPIL_CODE), "%s", e.msg);
        return 0;
    }
    m->rep->rows_loaded++;
    return 0;
}

int import_row_graduate(imp *m)
{
    long year = 0, grade = 0;
    int64_t school = 0;
    int attestat = 0, medal = 0;
    char pupil[64];
    int bad = row_year(m, &year) != 0;
    if (row_school(m, &school))
        bad = 1;
    if (int_field(m, F_GRADE, 9, 11, 0, "класс", &grade) < 0)
        bad = 1;
    else if (grade != 9 && grade != 11) {
        row_error(m, m->rd->row, col_of(m, F_GRADE), "класс выпуска должен быть 9 или 11");
        bad = 1;
    }
    trimmed(cell(m, F_PUPIL_CODE), pupil, sizeof pupil);
    if (!pupil[0]) {
        row_error(m, m->rd->row, col_of(m, F_PUPIL_CODE), "не указан код выпускника");
        bad = 1;
    }
    if (bool_field(m, F_ATTESTAT, "аттестат", &attestat) < 0)
        bad = 1;
    if (bool_field(m, F_MEDAL, "медаль", &medal) < 0)
        bad = 1;
    const char *dest = NULL;
    if (!blank(cell(m, F_DESTINATION))) {
        dest = word_field(m, F_DESTINATION, DESTINATIONS, "продолжение обучения",
                          "10 класс, СПО, ВО, работа, нет", 0);
        bad |= dest == NULL;
    }
    if (bad)
        return 0;
    msk_err e;
    if (scope_first(m,
                    ((uint64_t)year << 40) ^ ((uint64_t)grade << 34) ^ (uint64_t)school ^ 0xAAAA))
        if (store_graduate_clear_scope(m->s, (int)year, (int)grade, school, &m->rep->rows_replaced,
                                       &e))
            return -1;
    store_graduate g = {(int)year, (int)grade,       attestat, medal,
                        school,    m->rep->batch_id, pupil,    dest};
    if (store_graduate_add(m->s, &g, &e)) {
        row_error(m, m->rd->row, col_of(m, F_PUPIL_CODE), "%s", e.msg);
        return 0;
    }
    m->rep->rows_loaded++;
    return 0;
}

static void roadmap_name(const char *path, char *out, size_t outsz)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    snprintf(out, outsz, "%s", b);
    char *dot = strrchr(out, '.');
    if (dot && dot != out)
        *dot = '\0';
}

int import_row_plan(imp *m)
{
    char roadmap[256], section[1024], number[32], text[4096], deadline[512], resp[1024],
        result[2048];
    const char *status = "planned";
    msk_err e;
    if (m->o->roadmap)
        snprintf(roadmap, sizeof roadmap, "%s", m->o->roadmap);
    else
        roadmap_name(m->file, roadmap, sizeof roadmap);
    trimmed(cell(m, F_TEXT), text, sizeof text);
    if (!text[0]) {
        row_error(m, m->rd->row, col_of(m, F_TEXT), "не указано содержание мероприятия");
        return 0;
    }
    trimmed(cell(m, F_SECTION), section, sizeof section);
    trimmed(cell(m, F_NUMBER), number, sizeof number);
    trimmed(cell(m, F_DEADLINE), deadline, sizeof deadline);
    trimmed(cell(m, F_RESPONSIBLE), resp, sizeof resp);
    trimmed(cell(m, F_RESULT), result, sizeof result);
    if (!blank(cell(m, F_STATUS_PLAN))) {
        status = vocab_word(VOCAB_PLAN_STATUS, cell(m, F_STATUS_PLAN));
        if (!status) {
            char allowed[256] = "";
            size_t n, o = 0;
            const vocab_entry *ve = vocab_entries(VOCAB_PLAN_STATUS, &n);
            for (size_t i = 0; i < n && o < sizeof allowed; i++)
                o += (size_t)snprintf(allowed + o, sizeof allowed - o, "%s%s", i ? ", " : "",
                                      ve[i].label);
            status = word_field(m, F_STATUS_PLAN, PLAN_STATUSES, "статус", allowed, 0);
        }
        if (!status)
            return 0;
    }
    /* the due date itself is computed for every new item by store_plan_refresh_due at the end
     * of the file; here only the wording that no rule of base/deadline.h recognises is named */
    msk_deadline due;
    if (deadline_parse(deadline, m->o->year, &due))
        row_warning(m, m->rd->row, col_of(m, F_DEADLINE),
                    "срок «%s» не распознан: пункт будет без срока", deadline);
    if (!m->plan_cleared) {
        if (store_plan_progress_save(m->s, roadmap, &e) ||
            store_plan_clear_roadmap(m->s, roadmap, &m->rep->rows_replaced, &e))
            return -1;
        m->plan_cleared = 1;
        snprintf(m->rep->scope, sizeof m->rep->scope, "%s", roadmap);
    }
    store_plan p = {roadmap, section, number,          text,   deadline,
                    NULL,    resp,    result,          status, m->o->year ? m->o->year : STORE_NONE,
                    0,       0,       m->rep->batch_id};
    if (store_plan_add(m->s, &p, NULL, &e))
        return -1;
    m->rep->rows_loaded++;
    return 0;
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
        char t[96];
        trimmed(m->rd->cells[i], t, sizeof t);
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
            empty = blank(m->rd->cells[c]);
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
        row_error(m, m->rd->row, 0, "нет обязательного столбца «%s» — см. docs/import.md",
                  hdr_field_name((hdr_field)f));
        bad = 1;
    }
    if (k == TPL_RESULTS && m->map.field_col[F_PRIMARY_SCORE] < 0 && m->map.field_col[F_MARK] < 0 &&
        m->map.field_col[F_TEST_SCORE] < 0 && m->map.ntasks == 0) {
        row_error(m, m->rd->row, 0,
                  "нет столбцов с результатом: нужен первичный балл, отметка, "
                  "тестовый балл или баллы за задания");
        bad = 1;
    }
    if (k == TPL_RESULTS && m->map.ntasks > MAX_TASKS) {
        row_error(m, m->rd->row, 0, "слишком много столбцов заданий (%zu, допустимо %d)",
                  m->map.ntasks, MAX_TASKS);
        bad = 1;
    }
    for (size_t c = 0; c < m->map.ncols; c++)
        if (m->map.cols[c].field == F_PERSONAL)
            m->rep->personal_dropped++;
    return bad ? -1 : 0;
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
        if (m->wide_elem[c] < 0)
            row_error(m, m->rd->row, (int)c + 1,
                      "неизвестный показатель в заголовке: укажите код (например, teachers_36h) "
                      "или название показателя — список в docs/import.md");
    }
    if (!any && !m->rep->errors)
        row_error(m, m->rd->row, 0,
                  "нет столбцов с показателями: нужны столбцы element и value "
                  "или по столбцу на показатель");
    return 0;
}

int import_start_results(imp *m, msk_err *err)
{
    return map_load(m, err) || writer_start(m) ? -1 : 0;
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
}

void import_report_release(import_report *r)
{
    msk_buf_release(&r->messages);
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
            empty = blank(m.rd->cells[c]);
        if (empty)
            continue;
        rep->rows_read++;
        if (validate_row((tpl_kind)m.kind, &m.map, m.rd->cells, m.rd->ncells, m.rd->row, &sink))
            continue;
        r = t->row(&m);
        if (r < 0) {
            if (!m.w || writer_finish(&m, err) == 0)
                msk_error_at(err, path, m.rd->row, 0, "не удалось записать строку в базу данных");
            goto out;
        }
    }
    if (writer_finish(&m, err))
        goto out;
    if (t->finish && t->finish(&m, err))
        goto out;
    if (rep->rows_read == 0)
        row_error(&m, header_row, 0, "после строки заголовков нет ни одной строки с данными");
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
        writer_finish(&m, &ignored);
    }
    if (m.schools.cap)
        map_release(&m.schools);
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
    return row_year(m, year);
}

int imp_school(imp *m, int64_t *id)
{
    return row_school(m, id);
}

int imp_procedure(imp *m, imp_proc *out)
{
    proc_slot *p = row_procedure(m);
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
