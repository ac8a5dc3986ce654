/*
 * The model's columnar snapshot (docs/performance.md): every column of the model of all stored
 * years, split by year, one BLOB per (year, column) in the database itself (store/snapshot.h).
 * Year 0 holds what the years share: schools, context element codes and the pupil codes.
 * Loading years [a, b] reads their blobs straight into the model's arrays; what is left is
 * adding each year's offsets to its procedure and task indices and numbering the pupils of the
 * range (an array lookup per row: no string is hashed). The model read equals the model
 * model_load_rows builds, field by field (tests/unit/test_snapshot.c): both are in the
 * canonical order of model_canonicalize.
 */
#include "model/internal.h"

#include "base/mem.h"
#include "store/snapshot.h"

#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Bump when the layout of any column or struct below changes: older rows are then stale. */
enum { SNAP_FORMAT = 3 };

/* Every column starts with this header; the payload follows. */
typedef struct snap_hdr {
    uint32_t enc;   /* ENC_RAW: count elements; ENC_RLE32: (int32 value, uint32 run) pairs;
                     * ENC_NIB4: bytes 0…14 and 255 as 4-bit codes (15 = 255), two a byte */
    uint32_t elem;  /* bytes per element once decoded */
    uint64_t count; /* elements once decoded */
    uint64_t bytes; /* payload bytes */
} snap_hdr;

enum { ENC_RAW = 0, ENC_RLE32 = 1, ENC_NIB4 = 2 };
/* What put_col may try besides the raw bytes. */
enum { TRY_RAW = 0, TRY_RLE32 = 1, TRY_NIB4 = 2 };

enum {
    M_FROM,
    M_TO,
    M_NSCHOOLS,
    M_NPUPILS,
    M_NELEMENTS,
    M_SZ_SCHOOL,
    M_SZ_PROC,
    M_SZ_CELL,
    M_SZ_OLYMP,
    M_SZ_TEAM,
    M_SZ_GRAD,
    M_COUNT
};

/* The columns of a year, in the order they are read. */
enum {
    C_PROCS,
    C_PROC,
    C_SCHOOL,
    C_PUPIL,
    C_PRIMARY,
    C_MARK,
    C_JMARK,
    C_TEST,
    C_FLAGS,
    C_NTASK,
    C_TOFF,
    C_TASKS,
    C_CELLS,
    C_OLYMP,
    C_TEAMS,
    C_GRADS,
    C_CONTEXT,
    C_FORMS,
    NCOLS
};

static const struct {
    const char *name;
    size_t elem;
} COLS[NCOLS] = {
    [C_PROCS] = {"procs", sizeof(model_proc)},
    [C_PROC] = {"r.proc", 4},
    [C_SCHOOL] = {"r.school", 4},
    [C_PUPIL] = {"r.pupil", 4},
    [C_PRIMARY] = {"r.primary", 4},
    [C_MARK] = {"r.mark", 1},
    [C_JMARK] = {"r.journal_mark", 1},
    [C_TEST] = {"r.test_score", 2},
    [C_FLAGS] = {"r.flags", 1},
    [C_NTASK] = {"r.ntask", 1},
    [C_TOFF] = {"r.task_off", 4},
    [C_TASKS] = {"r.tasks", 1},
    [C_CELLS] = {"cells", sizeof(model_cell)},
    [C_OLYMP] = {"olympiads", sizeof(model_olympiad)},
    [C_TEAMS] = {"teams", sizeof(model_team)},
    [C_GRADS] = {"graduates", sizeof(model_graduate)},
    [C_CONTEXT] = {"context", sizeof(double)},
    [C_FORMS] = {"form_values", sizeof(double)},
};

static struct {
    int disabled;
    pthread_mutex_t rebuild; /* held while a thread rebuilds the snapshot */
} snap_state = {0, PTHREAD_MUTEX_INITIALIZER};

void model_snapshot_enable(int on)
{
    snap_state.disabled = !on;
}

int model_snapshot_enabled(void)
{
    const char *env = getenv("MSOKO_NO_SNAPSHOT");
    return !snap_state.disabled && !(env && *env && strcmp(env, "0") != 0);
}

/* ---- writing ---- */

/* Tests only: MSOKO_SNAPSHOT_KILL_AFTER=N kills the process with SIGKILL after the N-th column
 * written, inside the rebuild's transaction (tests/cli/snapshot.sh: a crash mid-write must
 * leave the previous data and the previous snapshot, or none). */
static void kill_point(void)
{
    static long left = -2;
    if (left == -2) {
        const char *e = getenv("MSOKO_SNAPSHOT_KILL_AFTER");
        left = e && *e ? strtol(e, NULL, 10) : -1;
    }
    if (left > 0 && --left == 0)
        raise(SIGKILL);
}

/* Put one column: RLE for an int32 column when that is at most half the raw size; 4-bit codes
 * for a byte column (the task bytes: scores of 0 to a few points, 255 for "X") when all fit. */
static int put_col(store *s, int year, const char *name, int64_t stamp, const void *data,
                   size_t count, size_t elem, int try, msk_err *err)
{
    snap_hdr h = {ENC_RAW, (uint32_t)elem, count, count * elem};
    size_t runs = 0;
    const int32_t *v = data;
    const uint8_t *b = data;
    if (try == TRY_RLE32 && elem == 4) {
        for (size_t i = 0; i < count; i++)
            runs += i == 0 || v[i] != v[i - 1];
        if (runs * 8 * 2 <= count * 4) {
            h.enc = ENC_RLE32;
            h.bytes = runs * 8;
        }
    } else if (try == TRY_NIB4 && elem == 1) {
        size_t i = 0;
        while (i < count && (b[i] < 15 || b[i] == 255))
            i++;
        if (i == count) {
            h.enc = ENC_NIB4;
            h.bytes = (count + 1) / 2;
        }
    }
    unsigned char *buf = msk_calloc(1, sizeof h + h.bytes);
    memcpy(buf, &h, sizeof h);
    if (h.enc == ENC_RAW) {
        if (h.bytes)
            memcpy(buf + sizeof h, data, h.bytes);
    } else if (h.enc == ENC_NIB4) {
        for (size_t i = 0; i < count; i++)
            buf[sizeof h + i / 2] |= (uint8_t)((b[i] == 255 ? 15 : b[i]) << (i % 2 * 4));
    } else {
        unsigned char *o = buf + sizeof h;
        for (size_t i = 0; i < count;) {
            uint32_t run = 1;
            while (i + run < count && v[i + run] == v[i] && run < UINT32_MAX)
                run++;
            memcpy(o, &v[i], 4);
            memcpy(o + 4, &run, 4);
            o += 8;
            i += run;
        }
    }
    int rc = store_snapshot_put(s, year, name, stamp, SNAP_FORMAT, buf, sizeof h + h.bytes, err);
    free(buf);
    kill_point();
    return rc;
}

/* Start of each year's items in an array sorted by year: start[y - from] .. start[y - from + 1]. */
typedef struct year_bounds {
    size_t *procs, *rows, *olymp, *teams, *grads, *cells;
} year_bounds;

static size_t *bounds_of(const void *arr, size_t n, size_t sz, size_t year_at, int from, int ny)
{
    size_t *b = msk_calloc((size_t)ny + 1, sizeof *b);
    size_t i = 0;
    for (int y = 0; y < ny; y++) {
        b[y] = i;
        while (i < n) {
            int yr;
            memcpy(&yr, (const unsigned char *)arr + i * sz + year_at, sizeof yr);
            if (yr != from + y)
                break;
            i++;
        }
    }
    b[ny] = i;
    return b;
}

static int write_year(store *s, const model *g, int y, int64_t stamp, const year_bounds *yb,
                      msk_err *err)
{
    int k = y - g->year_from;
    size_t p0 = yb->procs[k], p1 = yb->procs[k + 1];
    size_t r0 = yb->rows[k], r1 = yb->rows[k + 1], nr = r1 - r0;
    size_t c0 = yb->cells[k], c1 = yb->cells[k + 1];
    const model_results *r = &g->res;
    size_t t0 = nr ? r->task_off[r0] : 0;
    size_t t1 = nr ? r->task_off[r1 - 1] + r->ntask[r1 - 1] : 0;
    int32_t *proc = msk_reallocarray(NULL, nr ? nr : 1, sizeof *proc);
    uint32_t *toff = msk_reallocarray(NULL, nr ? nr : 1, sizeof *toff);
    model_cell *cells = msk_reallocarray(NULL, c1 > c0 ? c1 - c0 : 1, sizeof *cells);
    size_t ctx = g->nschools * g->nelements, ns = g->nschools;
    size_t nf = g->nform_elements, ny = (size_t)(g->year_to - g->year_from + 1);
    /* the year's form values: element by element, each a run of the schools */
    double *forms = msk_reallocarray(NULL, nf * ns > 0 ? nf * ns : 1, sizeof *forms);
    for (size_t e = 0; e < nf; e++)
        memcpy(forms + e * ns, g->form_value + (e * ny + (size_t)k) * ns, ns * sizeof *forms);
    int rc;
    for (size_t i = 0; i < nr; i++) {
        proc[i] = r->proc[r0 + i] - (int32_t)p0;
        toff[i] = (uint32_t)(r->task_off[r0 + i] - t0);
    }
    for (size_t i = c0; i < c1; i++) {
        cells[i - c0] = g->cells[i];
        cells[i - c0].proc -= (int32_t)p0;
    }
    rc = put_col(s, y, COLS[C_PROCS].name, stamp, g->procs + p0, p1 - p0, sizeof *g->procs, TRY_RAW,
                 err) ||
                 put_col(s, y, COLS[C_PROC].name, stamp, proc, nr, 4, TRY_RLE32, err) ||
                 put_col(s, y, COLS[C_SCHOOL].name, stamp, r->school + r0, nr, 4, TRY_RLE32, err) ||
                 put_col(s, y, COLS[C_PUPIL].name, stamp, r->pupil + r0, nr, 4, TRY_RLE32, err) ||
                 put_col(s, y, COLS[C_PRIMARY].name, stamp, r->primary + r0, nr, 4, 0, err) ||
                 put_col(s, y, COLS[C_MARK].name, stamp, r->mark + r0, nr, 1, 0, err) ||
                 put_col(s, y, COLS[C_JMARK].name, stamp, r->journal_mark + r0, nr, 1, 0, err) ||
                 put_col(s, y, COLS[C_TEST].name, stamp, r->test_score + r0, nr, 2, 0, err) ||
                 put_col(s, y, COLS[C_FLAGS].name, stamp, r->flags + r0, nr, 1, 0, err) ||
                 put_col(s, y, COLS[C_NTASK].name, stamp, r->ntask + r0, nr, 1, 0, err) ||
                 put_col(s, y, COLS[C_TOFF].name, stamp, toff, nr, 4, 0, err) ||
                 put_col(s, y, COLS[C_TASKS].name, stamp, r->tasks + t0, t1 - t0, 1, TRY_NIB4,
                         err) ||
                 put_col(s, y, COLS[C_CELLS].name, stamp, cells, c1 - c0, sizeof *cells, 0, err) ||
                 put_col(s, y, COLS[C_OLYMP].name, stamp, g->olymp + yb->olymp[k],
                         yb->olymp[k + 1] - yb->olymp[k], sizeof *g->olymp, 0, err) ||
                 put_col(s, y, COLS[C_TEAMS].name, stamp, g->teams + yb->teams[k],
                         yb->teams[k + 1] - yb->teams[k], sizeof *g->teams, 0, err) ||
                 put_col(s, y, COLS[C_GRADS].name, stamp, g->grads + yb->grads[k],
                         yb->grads[k + 1] - yb->grads[k], sizeof *g->grads, 0, err) ||
                 put_col(s, y, COLS[C_CONTEXT].name, stamp,
                         g->context ? g->context + (size_t)k * ctx : NULL, g->context ? ctx : 0,
                         sizeof(double), 0, err) ||
                 put_col(s, y, COLS[C_FORMS].name, stamp, forms, nf * ns, sizeof(double), 0, err)
             ? -1
             : 0;
    free(forms);
    free(proc);
    free(toff);
    free(cells);
    return rc;
}

static int write_shared(store *s, const model *g, int64_t stamp, msk_err *err)
{
    int64_t meta[M_COUNT] = {
        [M_FROM] = g->year_from,
        [M_TO] = g->year_to,
        [M_NSCHOOLS] = (int64_t)g->nschools,
        [M_NPUPILS] = (int64_t)g->npupils,
        [M_NELEMENTS] = (int64_t)g->nelements,
        [M_SZ_SCHOOL] = sizeof(model_school),
        [M_SZ_PROC] = sizeof(model_proc),
        [M_SZ_CELL] = sizeof(model_cell),
        [M_SZ_OLYMP] = sizeof(model_olympiad),
        [M_SZ_TEAM] = sizeof(model_team),
        [M_SZ_GRAD] = sizeof(model_graduate),
    };
    size_t len = 0;
    for (size_t i = 0; i < g->npupils; i++)
        len += strlen(g->pupil_code[i]) + 1;
    if (len > UINT32_MAX)
        return msk_error(err, "снимок модели: коды участников занимают больше 4 ГБ");
    char *codes = msk_malloc(len ? len : 1);
    uint32_t *off = msk_reallocarray(NULL, g->npupils ? g->npupils : 1, sizeof *off);
    size_t at = 0;
    for (size_t i = 0; i < g->npupils; i++) {
        size_t l = strlen(g->pupil_code[i]) + 1;
        memcpy(codes + at, g->pupil_code[i], l);
        off[i] = (uint32_t)at;
        at += l;
    }
    int rc = put_col(s, 0, "meta", stamp, meta, M_COUNT, sizeof meta[0], 0, err) ||
                     put_col(s, 0, "schools", stamp, g->schools, g->nschools, sizeof *g->schools, 0,
                             err) ||
                     put_col(s, 0, "elements", stamp, g->element, g->nelements,
                             sizeof g->element[0], 0, err) ||
                     put_col(s, 0, "pupils", stamp, codes, len, 1, 0, err) ||
                     put_col(s, 0, "pupil_off", stamp, off, g->npupils, 4, 0, err) ||
                     put_col(s, 0, "form_elements", stamp, g->form_element, g->nform_elements,
                             sizeof *g->form_element, 0, err)
                 ? -1
                 : 0;
    free(codes);
    free(off);
    return rc;
}

static size_t *cell_bounds(const model *g, const size_t *procs, int ny)
{
    size_t *b = msk_calloc((size_t)ny + 1, sizeof *b);
    size_t i = 0;
    for (int y = 0; y < ny; y++) {
        b[y] = i;
        while (i < g->ncells && (size_t)g->cells[i].proc < procs[y + 1])
            i++;
    }
    b[ny] = i;
    return b;
}

static size_t *row_bounds(const model *g, int ny)
{
    size_t *b = msk_calloc((size_t)ny + 1, sizeof *b);
    size_t i = 0;
    for (int y = 0; y < ny; y++) {
        b[y] = i;
        while (i < g->res.n && g->procs[g->res.proc[i]].year == g->year_from + y)
            i++;
    }
    b[ny] = i;
    return b;
}

int model_snapshot_write(store *s, msk_err *err)
{
    model g;
    int have = 0, rc = -1, from, to;
    int64_t stamp;
    year_bounds yb = {0};
    if (!store_snapshot_writable(s))
        return 1;
    int cache, begun = store_snapshot_begin(s, &cache, err);
    if (begun < 0)
        return -1;
    if (store_snapshot_stamp(s, &stamp, err) || store_snapshot_data_years(s, &from, &to, err))
        goto out;
    if (from > to)
        from = to = 0; /* no data: the snapshot holds the schools only */
    if (model_load_rows(&g, s, from, to, err))
        goto out;
    have = 1;
    if (g.nelements >= MODEL_MAX_ELEMENTS) { /* elements were dropped: ranges could differ */
        rc = 1;
        goto out;
    }
    int ny = to - from + 1;
    yb.procs = bounds_of(g.procs, g.nprocs, sizeof *g.procs, offsetof(model_proc, year), from, ny);
    yb.rows = row_bounds(&g, ny);
    yb.cells = cell_bounds(&g, yb.procs, ny);
    yb.olymp =
        bounds_of(g.olymp, g.nolymp, sizeof *g.olymp, offsetof(model_olympiad, year), from, ny);
    yb.teams = bounds_of(g.teams, g.nteams, sizeof *g.teams, offsetof(model_team, year), from, ny);
    yb.grads =
        bounds_of(g.grads, g.ngrads, sizeof *g.grads, offsetof(model_graduate, year), from, ny);
    /* canonical order puts every item in its year's run; anything left over is a bug */
    MSK_ASSERT(yb.procs[ny] == g.nprocs && yb.rows[ny] == g.res.n && yb.cells[ny] == g.ncells &&
               yb.olymp[ny] == g.nolymp && yb.teams[ny] == g.nteams && yb.grads[ny] == g.ngrads);
    rc = store_snapshot_clear(s, err);
    if (rc)
        goto out;
    rc = -1;
    if (write_shared(s, &g, stamp, err))
        goto out;
    for (int y = from; y <= to; y++)
        if (write_year(s, &g, y, stamp, &yb, err))
            goto out;
    rc = store_snapshot_commit(s, err);
out:
    store_snapshot_end(s, begun, cache);
    if (have)
        model_release(&g);
    free(yb.procs);
    free(yb.rows);
    free(yb.cells);
    free(yb.olymp);
    free(yb.teams);
    free(yb.grads);
    return rc;
}

/* ---- reading ---- */

typedef struct col_in {
    store_snapshot_blob *b;
    snap_hdr h;
} col_in;

/* Open a column and read its header: 0, 1 (absent/stale/damaged) or -1. */
static int open_col(store *s, int year, const char *name, size_t elem, int64_t stamp, col_in *c,
                    msk_err *err)
{
    size_t len;
    int rc = store_snapshot_open(s, year, name, stamp, SNAP_FORMAT, &c->b, &len, err);
    if (rc)
        return rc;
    if (len < sizeof c->h || store_snapshot_read(c->b, &c->h, sizeof c->h, 0, err))
        return len < sizeof c->h ? 1 : -1;
    if (c->h.elem != elem || c->h.bytes != len - sizeof c->h ||
        (c->h.enc == ENC_RAW && c->h.bytes != c->h.count * elem) ||
        (c->h.enc == ENC_RLE32 && (elem != 4 || c->h.bytes % 8)) ||
        (c->h.enc == ENC_NIB4 && (elem != 1 || c->h.bytes != (c->h.count + 1) / 2)) ||
        c->h.enc > ENC_NIB4)
        return 1;
    return 0;
}

/* Decode a column into dst (room for h.count elements): 0, 1 (damaged) or -1. */
static int read_col(col_in *c, void *dst, msk_err *err)
{
    if (c->h.enc == ENC_RAW)
        return store_snapshot_read(c->b, dst, c->h.bytes, sizeof c->h, err);
    if (c->h.enc == ENC_NIB4) {
        /* packed into the upper half of dst, then spread forward over it: byte i reads the
         * packed byte i / 2 at or after itself, so nothing is overwritten before it is read */
        uint8_t *out = dst;
        size_t n = c->h.count, half = c->h.bytes;
        uint8_t *packed = out + n - half;
        if (store_snapshot_read(c->b, packed, half, sizeof c->h, err))
            return -1;
        for (size_t i = 0; i < n; i++) {
            uint8_t code = (uint8_t)(packed[i / 2] >> (i % 2 * 4)) & 15;
            out[i] = code == 15 ? 255 : code;
        }
        return 0;
    }
    size_t nruns = c->h.bytes / 8, at = 0;
    uint32_t *runs = msk_malloc(c->h.bytes ? c->h.bytes : 1);
    int32_t *out = dst;
    if (store_snapshot_read(c->b, runs, c->h.bytes, sizeof c->h, err)) {
        free(runs);
        return -1;
    }
    for (size_t k = 0; k < nruns; k++) {
        int32_t v = (int32_t)runs[2 * k];
        uint32_t n = runs[2 * k + 1];
        if (n > c->h.count - at) {
            free(runs);
            return 1;
        }
        for (uint32_t j = 0; j < n; j++)
            out[at + j] = v;
        at += n;
    }
    free(runs);
    return at == c->h.count ? 0 : 1;
}

/* The shared columns of year 0 the reader opens (after "meta"). */
enum { NSHARED = 5 };
static const char *const SHARED[NSHARED] = {"schools", "elements", "pupils", "pupil_off",
                                            "form_elements"};
static const size_t SHARED_ELEM[NSHARED] = {sizeof(model_school), 32, 1, 4, MODEL_FORM_CODE};

typedef struct reader {
    store *s;
    model *m;
    int64_t stamp, meta[M_COUNT];
    int from, to;   /* the years of the range the snapshot has */
    unsigned flags; /* MODEL_LOAD_* */
    col_in shared[NSHARED];
    col_in (*col)[NCOLS]; /* per year of [from, to] */
    char *codes;
    uint32_t *code_off;
    double *ctx_tmp;
} reader;

static int read_meta(reader *rd, msk_err *err)
{
    col_in c = {0};
    int rc = open_col(rd->s, 0, "meta", sizeof(int64_t), rd->stamp, &c, err);
    if (rc == 0 && c.h.count != M_COUNT)
        rc = 1;
    if (rc == 0)
        rc = read_col(&c, rd->meta, err);
    store_snapshot_close(c.b);
    if (rc)
        return rc;
    const int64_t *m = rd->meta;
    if (m[M_SZ_SCHOOL] != sizeof(model_school) || m[M_SZ_PROC] != sizeof(model_proc) ||
        m[M_SZ_CELL] != sizeof(model_cell) || m[M_SZ_OLYMP] != sizeof(model_olympiad) ||
        m[M_SZ_TEAM] != sizeof(model_team) || m[M_SZ_GRAD] != sizeof(model_graduate) ||
        m[M_NELEMENTS] < 0 || m[M_NELEMENTS] >= MODEL_MAX_ELEMENTS || m[M_NPUPILS] < 0 ||
        m[M_NPUPILS] >= INT32_MAX || m[M_NSCHOOLS] < 0 || m[M_NSCHOOLS] >= INT32_MAX)
        return 1;
    return 0;
}

/* Are the per-pupil rows of year read (MODEL_LOAD_ROWS_OF_LAST)? */
static int year_rows(const reader *rd, int year)
{
    return !(rd->flags & MODEL_LOAD_ROWS_OF_LAST) || year == rd->m->year_to;
}

/* Are the task bytes of year read (MODEL_LOAD_NO_TASKS, MODEL_LOAD_TASKS_OF_LAST)? */
static int year_tasks(const reader *rd, int year)
{
    if (rd->flags & MODEL_LOAD_NO_TASKS || !year_rows(rd, year))
        return 0;
    return !(rd->flags & MODEL_LOAD_TASKS_OF_LAST) || year == rd->m->year_to;
}

static int is_row_col(int c)
{
    return (c >= C_PROC && c <= C_TASKS) || c == C_OLYMP || c == C_TEAMS || c == C_GRADS;
}

/* Is column c of year read, or left out by the flags? */
static int year_reads(const reader *rd, int year, int c)
{
    if (is_row_col(c) && !year_rows(rd, year))
        return 0;
    return !((c == C_NTASK || c == C_TOFF || c == C_TASKS) && !year_tasks(rd, year));
}

/* The elements column c of year adds to the model: its own, or none when left out, but the
 * ntask and task_off of rows read without their task bytes are there (zero pages). */
static size_t year_count(const reader *rd, int year, int c, size_t nrows)
{
    if (year_reads(rd, year, c))
        return rd->col[year - rd->from][c].h.count;
    return (c == C_NTASK || c == C_TOFF) ? nrows : 0;
}

/* The years' columns are open and their headers read: size the model's arrays. */
static void alloc_model(reader *rd, size_t tot[NCOLS])
{
    model *m = rd->m;
    model_results *r = &m->res;
    model_priv *p = model_priv_of(m);
    size_t n = tot[C_PROC];
#define ALLOC(ptr, cnt) ((ptr) = msk_reallocarray(NULL, (cnt) ? (cnt) : 1, sizeof *(ptr)))
    ALLOC(m->procs, tot[C_PROCS]);
    ALLOC(r->proc, n);
    ALLOC(r->school, n);
    ALLOC(r->pupil, n);
    ALLOC(r->primary, n);
    ALLOC(r->mark, n);
    ALLOC(r->journal_mark, n);
    ALLOC(r->test_score, n);
    ALLOC(r->flags, n);
    if (rd->flags & (MODEL_LOAD_NO_TASKS | MODEL_LOAD_TASKS_OF_LAST | MODEL_LOAD_ROWS_OF_LAST)) {
        /* zero pages: calloc'd memory costs nothing until written, and the rows of a year
         * without its task bytes are never written (ntask 0) */
        r->ntask = msk_calloc(n ? n : 1, sizeof *r->ntask);
        r->task_off = msk_calloc(n ? n : 1, sizeof *r->task_off);
    } else {
        ALLOC(r->ntask, n);
        ALLOC(r->task_off, n);
    }
    ALLOC(r->tasks, tot[C_TASKS]);
    ALLOC(m->cells, tot[C_CELLS]);
    ALLOC(m->olymp, tot[C_OLYMP]);
    ALLOC(m->teams, tot[C_TEAMS]);
    ALLOC(m->grads, tot[C_GRADS]);
#undef ALLOC
    r->cap = n ? n : 1;
    r->tasks_cap = tot[C_TASKS] ? tot[C_TASKS] : 1;
    p->procs_cap = tot[C_PROCS] ? tot[C_PROCS] : 1;
    p->cells_cap = tot[C_CELLS] ? tot[C_CELLS] : 1;
    p->olymp_cap = tot[C_OLYMP] ? tot[C_OLYMP] : 1;
    p->teams_cap = tot[C_TEAMS] ? tot[C_TEAMS] : 1;
    p->grads_cap = tot[C_GRADS] ? tot[C_GRADS] : 1;
}

/* Destination of column c of the year whose items start at at[c]. */
static void *dest(model *m, int c, size_t at)
{
    model_results *r = &m->res;
    switch (c) {
    case C_PROCS:
        return m->procs + at;
    case C_PROC:
        return r->proc + at;
    case C_SCHOOL:
        return r->school + at;
    case C_PUPIL:
        return r->pupil + at;
    case C_PRIMARY:
        return r->primary + at;
    case C_MARK:
        return r->mark + at;
    case C_JMARK:
        return r->journal_mark + at;
    case C_TEST:
        return r->test_score + at;
    case C_FLAGS:
        return r->flags + at;
    case C_NTASK:
        return r->ntask + at;
    case C_TOFF:
        return r->task_off + at;
    case C_TASKS:
        return r->tasks + at;
    case C_CELLS:
        return m->cells + at;
    case C_OLYMP:
        return m->olymp + at;
    case C_TEAMS:
        return m->teams + at;
    default:
        return m->grads + at;
    }
}

/* Add the year's offsets and check every index against the array it points into. */
static int fix_year(model *m, const size_t at[NCOLS], const size_t cnt[NCOLS], size_t npupils_g,
                    int no_tasks)
{
    model_results *r = &m->res;
    int32_t p0 = (int32_t)at[C_PROCS], np = (int32_t)cnt[C_PROCS];
    uint32_t t0 = (uint32_t)at[C_TASKS];
    size_t ntasks = cnt[C_TASKS];
    int bad = 0;
    if (cnt[C_SCHOOL] != cnt[C_PROC] || cnt[C_PUPIL] != cnt[C_PROC] ||
        cnt[C_PRIMARY] != cnt[C_PROC] || cnt[C_MARK] != cnt[C_PROC] ||
        cnt[C_JMARK] != cnt[C_PROC] || cnt[C_TEST] != cnt[C_PROC] || cnt[C_FLAGS] != cnt[C_PROC] ||
        cnt[C_NTASK] != cnt[C_PROC] || cnt[C_TOFF] != cnt[C_PROC])
        return 1;
    for (size_t i = at[C_PROC]; i < at[C_PROC] + cnt[C_PROC]; i++) {
        bad |= r->proc[i] < 0 || r->proc[i] >= np || r->school[i] < 0 ||
               (size_t)r->school[i] >= m->nschools || r->pupil[i] < 0 ||
               (size_t)r->pupil[i] >= npupils_g;
        r->proc[i] += p0;
    }
    /* left alone without tasks: writing the zero pages would make them resident */
    for (size_t i = at[C_PROC]; !no_tasks && i < at[C_PROC] + cnt[C_PROC]; i++) {
        bad |= (size_t)r->task_off[i] + r->ntask[i] > ntasks;
        r->task_off[i] += t0;
    }
    for (size_t i = at[C_CELLS]; i < at[C_CELLS] + cnt[C_CELLS]; i++) {
        bad |= m->cells[i].proc < 0 || m->cells[i].proc >= np || m->cells[i].school < 0 ||
               (size_t)m->cells[i].school >= m->nschools;
        m->cells[i].proc += p0;
    }
    for (size_t i = at[C_OLYMP]; i < at[C_OLYMP] + cnt[C_OLYMP]; i++)
        bad |= m->olymp[i].pupil >= (int64_t)npupils_g || m->olymp[i].school < 0 ||
               (size_t)m->olymp[i].school >= m->nschools;
    for (size_t i = at[C_GRADS]; i < at[C_GRADS] + cnt[C_GRADS]; i++)
        bad |= m->grads[i].pupil >= (int64_t)npupils_g || m->grads[i].school < 0 ||
               (size_t)m->grads[i].school >= m->nschools;
    for (size_t i = at[C_TEAMS]; i < at[C_TEAMS] + cnt[C_TEAMS]; i++)
        bad |= m->teams[i].school < 0 || (size_t)m->teams[i].school >= m->nschools;
    return bad;
}

/* Number the range's pupils by first appearance (as model_canonicalize does) through an array
 * from the snapshot's numbering: the codes are pointers into the one block read. */
static void number_pupils(reader *rd)
{
    model *m = rd->m;
    size_t ng = (size_t)rd->meta[M_NPUPILS];
    int32_t *to = msk_reallocarray(NULL, ng ? ng : 1, sizeof *to);
    int32_t n = 0;
    for (size_t i = 0; i < ng; i++)
        to[i] = -1;
    m->pupil_code = msk_reallocarray(NULL, ng ? ng : 1, sizeof *m->pupil_code);
#define LOCAL(x)                                                                                   \
    do {                                                                                           \
        int32_t g_ = (x);                                                                          \
        if (g_ >= 0) {                                                                             \
            if (to[g_] < 0) {                                                                      \
                m->pupil_code[n] = rd->codes + rd->code_off[g_];                                   \
                to[g_] = n++;                                                                      \
            }                                                                                      \
            (x) = to[g_];                                                                          \
        }                                                                                          \
    } while (0)
    for (size_t i = 0; i < m->res.n; i++)
        LOCAL(m->res.pupil[i]);
    for (size_t i = 0; i < m->nolymp; i++)
        LOCAL(m->olymp[i].pupil);
    for (size_t i = 0; i < m->ngrads; i++)
        LOCAL(m->grads[i].pupil);
#undef LOCAL
    m->npupils = (size_t)n;
    m->pupils_cap = ng ? ng : 1;
    free(to);
}

/* Context of the range: the elements with a value in one of its years, in code order. */
static int read_context(reader *rd, msk_err *err)
{
    model *m = rd->m;
    size_t ne = (size_t)rd->meta[M_NELEMENTS], ns = m->nschools;
    size_t ny = (size_t)(m->year_to - m->year_from + 1), nyr = (size_t)(rd->to - rd->from + 1);
    char(*el)[32] = msk_calloc(ne ? ne : 1, sizeof *el);
    int keep[MODEL_MAX_ELEMENTS] = {0}, rc = 0;
    if (ne == 0 || rd->from > rd->to)
        goto out;
    if (rd->shared[1].h.count != ne) {
        rc = 1;
        goto out;
    }
    if ((rc = read_col(&rd->shared[1], el, err)))
        goto out;
    rd->ctx_tmp = msk_reallocarray(NULL, nyr * ns * ne, sizeof *rd->ctx_tmp);
    for (size_t y = 0; y < nyr; y++) {
        col_in *c = &rd->col[y][C_CONTEXT];
        if (c->h.count != ns * ne) {
            rc = 1;
            goto out;
        }
        if ((rc = read_col(c, rd->ctx_tmp + y * ns * ne, err)))
            goto out;
    }
    for (size_t i = 0; i < nyr * ns; i++)
        for (size_t e = 0; e < ne; e++)
            keep[e] |= !isnan(rd->ctx_tmp[i * ne + e]);
    size_t nl = 0;
    for (size_t e = 0; e < ne; e++)
        if (keep[e]) {
            memcpy(m->element[nl], el[e], sizeof el[0]);
            keep[e] = (int)nl++ + 1;
        }
    m->nelements = nl;
    if (nl == 0)
        goto out;
    m->context = msk_reallocarray(NULL, ny * ns * nl, sizeof *m->context);
    for (size_t i = 0; i < ny * ns * nl; i++)
        m->context[i] = NAN;
    size_t y0 = (size_t)(rd->from - m->year_from);
    for (size_t y = 0; y < nyr; y++)
        for (size_t s = 0; s < ns; s++)
            for (size_t e = 0; e < ne; e++)
                if (keep[e])
                    m->context[((y0 + y) * ns + s) * nl + (size_t)keep[e] - 1] =
                        rd->ctx_tmp[(y * ns + s) * ne + e];
out:
    free(el);
    return rc;
}

/* Form values of the range: the elements with a value in one of its years (in code order, as
 * the loader of the rows adds them), each year's run of schools from its column. */
static int read_forms(reader *rd, msk_err *err)
{
    model *m = rd->m;
    size_t ne = rd->shared[4].h.count, ns = m->nschools;
    size_t ny = (size_t)(m->year_to - m->year_from + 1);
    size_t nyr = rd->from <= rd->to ? (size_t)(rd->to - rd->from + 1) : 0;
    size_t y0 = nyr ? (size_t)(rd->from - m->year_from) : 0;
    char(*el)[MODEL_FORM_CODE] = msk_calloc(ne ? ne : 1, sizeof *el);
    double *tmp = msk_reallocarray(NULL, nyr * ne * ns > 0 ? nyr * ne * ns : 1, sizeof *tmp);
    int rc = 0;
    m->has_form_values = 1;
    if (ne == 0 || nyr == 0)
        goto out;
    if ((rc = read_col(&rd->shared[4], el, err)))
        goto out;
    for (size_t e = 0; e < ne; e++)
        if (memchr(el[e], '\0', sizeof el[e]) == NULL || (e && strcmp(el[e - 1], el[e]) >= 0)) {
            rc = 1; /* codes are strings in order */
            goto out;
        }
    for (size_t y = 0; y < nyr; y++) {
        col_in *c = &rd->col[y][C_FORMS];
        if (c->h.count != ne * ns) {
            rc = 1;
            goto out;
        }
        if ((rc = read_col(c, tmp + y * ne * ns, err)))
            goto out;
    }
    size_t nk = 0;
    for (size_t e = 0; e < ne; e++) {
        int keep = 0;
        for (size_t y = 0; y < nyr && !keep; y++)
            for (size_t i = 0; i < ns && !keep; i++)
                keep = !isnan(tmp[(y * ne + e) * ns + i]);
        if (!keep)
            continue;
        m->form_element = msk_reallocarray(m->form_element, nk + 1, sizeof *m->form_element);
        m->form_value = msk_reallocarray(m->form_value, (nk + 1) * ny * ns, sizeof *m->form_value);
        memcpy(m->form_element[nk], el[e], sizeof el[e]);
        double *v = m->form_value + nk * ny * ns;
        for (size_t i = 0; i < ny * ns; i++)
            v[i] = NAN;
        for (size_t y = 0; y < nyr; y++)
            memcpy(v + (y0 + y) * ns, tmp + (y * ne + e) * ns, ns * sizeof *v);
        nk++;
    }
    m->nform_elements = nk;
out:
    free(el);
    free(tmp);
    return rc;
}

static int read_all(reader *rd, msk_err *err)
{
    model *m = rd->m;
    model_priv *p = model_priv_of(m);
    int rc, nyr = rd->to - rd->from + 1;
    size_t tot[NCOLS] = {0};
    if ((rc = read_meta(rd, err)))
        return rc;
    for (int i = 0; i < NSHARED; i++)
        if ((rc = open_col(rd->s, 0, SHARED[i], SHARED_ELEM[i], rd->stamp, &rd->shared[i], err)))
            return rc;
    if (rd->shared[0].h.count != (uint64_t)rd->meta[M_NSCHOOLS] ||
        rd->shared[3].h.count != (uint64_t)rd->meta[M_NPUPILS])
        return 1;
    /* years of the range outside the stored years have no data: nothing to read for them */
    if (rd->from < rd->meta[M_FROM])
        rd->from = (int)rd->meta[M_FROM];
    if (rd->to > rd->meta[M_TO])
        rd->to = (int)rd->meta[M_TO];
    nyr = rd->to - rd->from + 1;
    if (nyr < 0)
        nyr = 0;
    rd->col = msk_calloc(nyr ? (size_t)nyr : 1, sizeof *rd->col);
    for (int y = 0; y < nyr; y++)
        for (int c = 0; c < NCOLS; c++) {
            if ((rc = open_col(rd->s, rd->from + y, COLS[c].name, COLS[c].elem, rd->stamp,
                               &rd->col[y][c], err)))
                return rc;
            if (c != C_CONTEXT && c != C_FORMS && c != C_NTASK && c != C_TOFF)
                tot[c] += year_count(rd, rd->from + y, c, 0);
        }
    /* schools and pupil codes */
    m->nschools = (size_t)rd->meta[M_NSCHOOLS];
    m->schools = msk_reallocarray(NULL, m->nschools ? m->nschools : 1, sizeof *m->schools);
    p->schools_cap = m->nschools ? m->nschools : 1;
    if ((rc = read_col(&rd->shared[0], m->schools, err)))
        return rc;
    size_t clen = rd->shared[2].h.count;
    rd->codes = msk_malloc(clen ? clen : 1);
    rd->code_off = msk_reallocarray(NULL, rd->shared[3].h.count ? rd->shared[3].h.count : 1,
                                    sizeof *rd->code_off);
    if ((rc = read_col(&rd->shared[2], rd->codes, err)) ||
        (rc = read_col(&rd->shared[3], rd->code_off, err)))
        return rc;
    if (clen && rd->codes[clen - 1] != '\0')
        return 1;
    for (size_t i = 0; i < rd->shared[3].h.count; i++)
        if (rd->code_off[i] >= clen)
            return 1;
    /* the years' columns, each year after the one before */
    alloc_model(rd, tot);
    size_t at[NCOLS] = {0};
    for (int y = 0; y < nyr; y++) {
        size_t cnt[NCOLS];
        for (int c = 0; c < C_CONTEXT; c++) {
            cnt[c] = year_count(rd, rd->from + y, c, cnt[C_PROC]);
            if (!year_reads(rd, rd->from + y, c))
                continue;
            if ((rc = read_col(&rd->col[y][c], dest(m, c, at[c]), err)))
                return rc;
        }
        if (fix_year(m, at, cnt, (size_t)rd->meta[M_NPUPILS], !year_tasks(rd, rd->from + y)))
            return 1;
        for (int c = 0; c < C_CONTEXT; c++)
            at[c] += cnt[c];
    }
    m->nprocs = tot[C_PROCS];
    m->res.n = tot[C_PROC];
    m->res.tasks_len = tot[C_TASKS];
    m->ncells = tot[C_CELLS];
    m->nolymp = tot[C_OLYMP];
    m->nteams = tot[C_TEAMS];
    m->ngrads = tot[C_GRADS];
    number_pupils(rd);
    /* the pupil codes' block is the model's: freed with it like an arena chunk */
    p->chunks = msk_calloc(1, sizeof *p->chunks);
    p->chunks[0] = rd->codes;
    p->nchunks = p->chunks_cap = 1;
    p->chunk_size = p->chunk_used = clen ? clen : 1;
    rd->codes = NULL;
    p->sealed = 1;
    if ((rc = read_context(rd, err)))
        return rc;
    return read_forms(rd, err);
}

int model_snapshot_read(model *m, store *s, int year_from, int year_to, unsigned flags,
                        msk_err *err)
{
    reader rd;
    int rc = -1;
    memset(&rd, 0, sizeof rd);
    rd.s = s;
    rd.m = m;
    rd.from = year_from;
    rd.to = year_to;
    rd.flags = flags;
    int cache, begun = store_snapshot_begin(s, &cache, err);
    if (begun < 0)
        return -1;
    model_init(m, year_from, year_to);
    if (store_snapshot_stamp(s, &rd.stamp, err) == 0)
        rc = read_all(&rd, err);
    for (int i = 0; i < NSHARED; i++)
        store_snapshot_close(rd.shared[i].b);
    for (int y = 0; rd.col && y <= rd.to - rd.from; y++)
        for (int c = 0; c < NCOLS; c++)
            store_snapshot_close(rd.col[y][c].b);
    free(rd.col);
    free(rd.codes);
    free(rd.code_off);
    free(rd.ctx_tmp);
    store_snapshot_end(s, begun, cache);
    if (rc)
        model_release(m);
    return rc;
}

int model_load_opt(model *m, store *s, int year_from, int year_to, unsigned flags, msk_err *err)
{
    if (model_snapshot_enabled()) {
        msk_err e2;
        int rc = model_snapshot_read(m, s, year_from, year_to, flags, &e2);
        if (rc == 0)
            return 0;
        /* stale, absent or unreadable: rebuild it once and read it, else the rows below. One
         * rebuild at a time in the process (the server's threads): whoever waited reads what
         * the one before it wrote instead of building the same model again. */
        pthread_mutex_lock(&snap_state.rebuild);
        rc = model_snapshot_read(m, s, year_from, year_to, flags, &e2);
        if (rc != 0 && model_snapshot_write(s, &e2) == 0)
            rc = model_snapshot_read(m, s, year_from, year_to, flags, &e2);
        pthread_mutex_unlock(&snap_state.rebuild);
        if (rc == 0)
            return 0;
    }
    return model_load_rows(m, s, year_from, year_to, err);
}

int model_load(model *m, store *s, int year_from, int year_to, msk_err *err)
{
    return model_load_opt(m, s, year_from, year_to, 0, err);
}
