/*
 * msoko migrate's store half (store/migrate.h, docs/migrate.md): follow the plan of the
 * source's catalog (migrate_plan.c) table by table in foreign-key order, copying the rows
 * through prepared statements — new rows of keyed tables in blocks — and rewriting every id
 * through the map of the table it references. Everything written to the target is SQL both
 * engines accept.
 */
#include "store/migrate_plan.h"

#include "base/buf.h"
#include "base/mem.h"
#include "store/internal.h"
#include "store/schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the move ---- */

/* A growing SQL text; the table and column names come from the source's catalog and are
 * quoted as identifiers (a name with a double quote is refused: msoko makes none). */
typedef struct sqlbuf {
    char *p;
    size_t n, cap;
} sqlbuf;

static void sb_add(sqlbuf *b, const char *s)
{
    size_t k = strlen(s);
    if (b->n + k + 1 > b->cap) {
        b->cap = (b->n + k + 1) * 2;
        b->p = msk_realloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, k + 1);
    b->n += k;
}

static void sb_ident(sqlbuf *b, const char *name)
{
    sb_add(b, "\"");
    sb_add(b, name);
    sb_add(b, "\"");
}

typedef struct mv_stmts {
    db_stmt *read, *find, *ins;
} mv_stmts;

static void stmts_release(mv_stmts *m)
{
    db_finalize(m->read);
    db_finalize(m->find);
    db_finalize(m->ins);
    memset(m, 0, sizeof *m);
}

static int prep_table(store *src, store *dst, const mv_table *t, mv_stmts *m, msk_err *err)
{
    sqlbuf b = {0};
    int rc = -1, first = 1;
    for (int c = 0; c < t->ncol; c++)
        if (strchr(t->col[c], '"'))
            return msk_error(err, "перенос базы: недопустимое имя столбца %s.%s", t->name,
                             t->col[c]);
    sb_add(&b, "SELECT ");
    for (int c = 0; c < t->ncol; c++) {
        if (c)
            sb_add(&b, ", ");
        sb_ident(&b, t->col[c]);
    }
    sb_add(&b, " FROM ");
    sb_ident(&b, t->name);
    if (t->idcol >= 0) {
        sb_add(&b, " ORDER BY ");
        sb_ident(&b, t->col[t->idcol]);
    }
    if (store_prep(src, b.p, &m->read, t->name, err))
        goto out;

    if (t->nkey) {
        b.n = 0;
        sb_add(&b, "SELECT ");
        if (t->idcol >= 0)
            sb_ident(&b, t->col[t->idcol]);
        else
            sb_add(&b, "1");
        sb_add(&b, " FROM ");
        sb_ident(&b, t->name);
        for (int k = 0; k < t->nkey; k++) {
            sb_add(&b, k ? " AND " : " WHERE ");
            sb_ident(&b, t->col[t->key[k]]);
            sb_add(&b, " = ?");
        }
        sb_add(&b, " LIMIT 1");
        if (store_prep(dst, b.p, &m->find, t->name, err))
            goto out;
    }

    b.n = 0;
    sb_add(&b, "INSERT INTO ");
    sb_ident(&b, t->name);
    sb_add(&b, "(");
    for (int c = 0; c < t->ncol; c++) {
        if (c == t->idcol)
            continue;
        if (!first)
            sb_add(&b, ", ");
        sb_ident(&b, t->col[c]);
        first = 0;
    }
    sb_add(&b, ") VALUES(");
    for (int c = 0, k = 0; c < t->ncol; c++) {
        if (c == t->idcol)
            continue;
        sb_add(&b, k++ ? ", ?" : "?");
    }
    /* a row inserted alone (one without a natural key) gets its new id from db_last_id:
     * RETURNING costs SQLite a temporary table per statement, a quarter of a row's time */
    sb_add(&b, ")");
    if (store_prep(dst, b.p, &m->ins, t->name, err))
        goto out;
    rc = 0;
out:
    free(b.p);
    return rc;
}

/* One value of the current source row, remapped when it is an id of another table. */
typedef struct mv_val {
    int type;
    int64_t i;
    double d;
    const void *p;
    int len;
} mv_val;

static void bind_val(db_stmt *st, int i, const mv_val *v)
{
    switch (v->type) {
    case DB_INTEGER:
        db_bind_int64(st, i, v->i);
        break;
    case DB_FLOAT:
        db_bind_double(st, i, v->d);
        break;
    case DB_TEXT:
        db_bind_text_ref(st, i, v->p, v->len);
        break;
    case DB_BLOB:
        db_bind_blob_ref(st, i, v->p, (size_t)v->len);
        break;
    default:
        db_bind_null(st, i);
    }
}

/* «таблица «T», строка id=N» (or the row's position when the table has no id), for messages */
static void row_name(const mv_table *t, const mv_val *v, int64_t pos, char *out, size_t outsz)
{
    if (t->idcol >= 0)
        snprintf(out, outsz, "таблица «%s», строка id=%lld", t->name, (long long)v[t->idcol].i);
    else
        snprintf(out, outsz, "таблица «%s», строка %lld", t->name, (long long)pos);
}

static int dst_fail(store *dst, msk_err *err, const char *where)
{
    enum db_errclass ec = db_errclass(dst->db);
    const char *why = ec == DB_E_UNIQUE ? "такая запись уже есть, но с другим ключом"
                      : ec == DB_E_CHECK ? "недопустимое значение"
                      : ec == DB_E_FOREIGN ? "ссылка на несуществующую запись"
                      : ec == DB_E_NOTNULL ? "пустое значение обязательного столбца"
                                           : NULL;
    return msk_error(err, "перенос базы в %s: %s: %s (%s)", dst->path, where,
                     why ? why : store_errmsg(dst, NULL), db_errmsg(dst->db));
}

/* One table's move: the statements, the current row, where it is. */
typedef struct mv_ctx {
    store *src, *dst;
    mv_plan *p;
    mv_table *t;
    mv_stmts m;
    mv_val *v;
    const char *source_id;
    db_stmt *seen, *mark; /* moved_row: look up, record */
    int64_t pos;          /* the row's position in the source, from 1 */
    int empty;            /* the target had no rows of the table when its move began */
    char where[160];
    /* The block: new rows of a keyed table inserted BLOCK_PARAMS parameters a statement (one
     * round trip to a server instead of one per row). Their texts and blobs are copied into
     * arena (the source's row is gone by the flush); their new ids come back through RETURNING
     * with the natural key, matched to the rows by key, not by order (a server does not promise
     * the order). */
    int bmax, bn;
    mv_val *bv;    /* bmax rows × ncol values; a text's or blob's offset into arena in .i */
    int64_t *bpos; /* each block row's position in the source, for messages */
    int64_t *bnew; /* its new id, 0 until the flush */
    msk_buf arena;
    db_stmt *bins; /* the INSERT of a full block */
    /* the map's entries since the last flush, in the source's order (the map takes ids in
     * ascending order): a found row's id, or the block row whose id the flush learns */
    int64_t *pold, *pnew;
    int *pslot; /* block row, or -1 when pnew is known */
    int pn;
} mv_ctx;

/* Parameters a block statement binds at most: under the 999 of old SQLite builds, as the
 * import's (store.c); PostgreSQL takes 65,535. */
enum { BLOCK_PARAMS = 960, BLOCK_ROWS = 64 };

/* A table the target has no rows of yet can only get this source's rows, whose natural keys
 * are unique already: no lookups (most of a first move's rows). */
static int target_empty(store *dst, const mv_table *t, int *empty, msk_err *err)
{
    db_stmt *any = NULL;
    sqlbuf b = {0};
    sb_add(&b, "SELECT 1 FROM ");
    sb_ident(&b, t->name);
    sb_add(&b, " LIMIT 1");
    int r = store_prep(dst, b.p, &any, t->name, err) ? DB_ERROR : db_step(any);
    db_finalize(any);
    free(b.p);
    if (r != DB_ROW && r != DB_DONE)
        return r == DB_ERROR ? -1 : store_db_err(dst, err, "перенос базы", t->name);
    *empty = r == DB_DONE;
    return 0;
}

/* The current source row into c->v, every reference rewritten through its table's map. */
static int read_row(mv_ctx *c, msk_err *err)
{
    const mv_table *t = c->t;
    for (int k = 0; k < t->ncol; k++) {
        mv_val *x = &c->v[k];
        x->type = db_column_type(c->m.read, k);
        if (x->type == DB_INTEGER) {
            x->i = db_column_int64(c->m.read, k);
        } else if (x->type == DB_FLOAT) {
            x->d = db_column_double(c->m.read, k);
        } else if (x->type == DB_TEXT) {
            x->p = db_column_text(c->m.read, k);
            x->len = db_column_bytes(c->m.read, k);
        } else if (x->type == DB_BLOB) {
            x->p = db_column_blob(c->m.read, k);
            x->len = db_column_bytes(c->m.read, k);
            if (!x->p)
                x->p = ""; /* an empty blob stays an empty blob, not NULL */
        }
    }
    for (int k = 0; k < t->ncol; k++) {
        mv_val *x = &c->v[k];
        if (t->ref[k] < 0 || x->type == DB_NULL)
            continue;
        const mv_table *r = &c->p->t[t->ref[k]];
        if (x->type == DB_INTEGER && move_map_get(&r->map, x->i, &x->i))
            continue;
        row_name(t, c->v, c->pos, c->where, sizeof c->where);
        if (x->type == DB_INTEGER)
            return msk_error(err,
                             "перенос базы: %s: столбец %s ссылается на строку id=%lld таблицы "
                             "«%s», которой нет в %s",
                             c->where, t->col[k], (long long)x->i, r->name, c->src->path);
        return msk_error(err, "перенос базы: %s: в столбце %s не номер строки таблицы «%s»",
                         c->where, t->col[k], r->name);
    }
    return 0;
}

/* Is the row in the target already — by its natural key (keyed), else by moved_row? *found and
 * *nw (its id there) set. */
static int find_row(mv_ctx *c, int keyed, int *found, int64_t *nw, msk_err *err)
{
    const mv_table *t = c->t;
    db_stmt *st = keyed ? c->m.find : c->seen;
    *found = 0;
    if (keyed && c->empty)
        return 0;
    if (!keyed && t->idcol < 0)
        return 0; /* neither a key nor an id: nothing to know it by */
    if (keyed) {
        for (int k = 0; k < t->nkey; k++)
            bind_val(st, k + 1, &c->v[t->key[k]]);
    } else {
        db_bind_text(st, 1, c->source_id);
        db_bind_text(st, 2, t->name);
        db_bind_int64(st, 3, c->v[t->idcol].i);
    }
    int r = db_step(st);
    if (r == DB_ROW) {
        *found = 1;
        *nw = t->idcol >= 0 ? db_column_int64(st, 0) : 0;
    }
    db_reset(st);
    if (r != DB_ROW && r != DB_DONE) {
        row_name(t, c->v, c->pos, c->where, sizeof c->where);
        return dst_fail(c->dst, err, c->where);
    }
    return 0;
}

/* Insert the row without its id; *nw gets the target's. A row without a natural key is
 * recorded in moved_row, so the next run finds it. */
static int insert_row(mv_ctx *c, int keyed, int64_t *nw, msk_err *err)
{
    const mv_table *t = c->t;
    for (int k = 0, i = 1; k < t->ncol; k++)
        if (k != t->idcol)
            bind_val(c->m.ins, i++, &c->v[k]);
    int r = db_step(c->m.ins);
    if (t->idcol >= 0 && r == DB_DONE)
        *nw = db_last_id(c->dst->db);
    if (r != DB_DONE) {
        row_name(t, c->v, c->pos, c->where, sizeof c->where);
        dst_fail(c->dst, err, c->where);
        db_reset(c->m.ins);
        return -1;
    }
    db_reset(c->m.ins);
    if (keyed || t->idcol < 0)
        return 0;
    db_bind_text(c->mark, 1, c->source_id);
    db_bind_text(c->mark, 2, t->name);
    db_bind_int64(c->mark, 3, c->v[t->idcol].i);
    db_bind_int64(c->mark, 4, *nw);
    return store_step_done(c->dst, c->mark, err, "перенос базы (moved_row)");
}

/* INSERT INTO t(columns but the id) VALUES(…) × rows [RETURNING id, key…] */
static int prep_block(store *dst, const mv_table *t, int rows, db_stmt **st, msk_err *err)
{
    sqlbuf b = {0};
    int first = 1;
    sb_add(&b, "INSERT INTO ");
    sb_ident(&b, t->name);
    sb_add(&b, "(");
    for (int c = 0; c < t->ncol; c++)
        if (c != t->idcol) {
            sb_add(&b, first ? "" : ", ");
            sb_ident(&b, t->col[c]);
            first = 0;
        }
    sb_add(&b, ") VALUES");
    for (int r = 0; r < rows; r++) {
        sb_add(&b, r ? ", (" : "(");
        for (int c = 0, k = 0; c < t->ncol; c++)
            if (c != t->idcol)
                sb_add(&b, k++ ? ", ?" : "?");
        sb_add(&b, ")");
    }
    if (t->idcol >= 0) {
        sb_add(&b, " RETURNING ");
        sb_ident(&b, t->col[t->idcol]);
        for (int k = 0; k < t->nkey; k++) {
            sb_add(&b, ", ");
            sb_ident(&b, t->col[t->key[k]]);
        }
    }
    int rc = store_prep(dst, b.p, st, t->name, err);
    free(b.p);
    return rc;
}

/* Block row r's value of column c, its pointer into the arena resolved. */
static mv_val block_val(const mv_ctx *c, int r, int col)
{
    mv_val v = c->bv[(size_t)r * (size_t)c->t->ncol + (size_t)col];
    if (v.type == DB_TEXT || v.type == DB_BLOB)
        v.p = c->arena.data + v.i;
    return v;
}

/* Does column k of the RETURNING row equal block row r's key value? */
static int key_equal(const mv_ctx *c, db_stmt *st, int k, int r)
{
    mv_val v = block_val(c, r, c->t->key[k]);
    int type = db_column_type(st, k + 1);
    if (type == DB_INTEGER && v.type == DB_INTEGER)
        return db_column_int64(st, k + 1) == v.i;
    if (type == DB_FLOAT && v.type == DB_FLOAT)
        return db_column_double(st, k + 1) == v.d;
    if ((type == DB_TEXT || type == DB_BLOB) && type == v.type)
        return db_column_bytes(st, k + 1) == v.len &&
               !memcmp(type == DB_TEXT ? (const void *)db_column_text(st, k + 1)
                                       : db_column_blob(st, k + 1),
                       v.p, (size_t)v.len);
    return 0;
}

/* The block's new ids from the RETURNING rows, each matched to its row by the key. */
static int block_ids(mv_ctx *c, db_stmt *st, int *r_out)
{
    int r;
    while ((r = db_step(st)) == DB_ROW) {
        int hit = -1;
        for (int b = 0; b < c->bn && hit < 0; b++) {
            if (c->bnew[b])
                continue;
            int eq = 1;
            for (int k = 0; k < c->t->nkey && eq; k++)
                eq = key_equal(c, st, k, b);
            if (eq)
                hit = b;
        }
        if (hit < 0) {
            *r_out = DB_ROW;
            return -1;
        }
        c->bnew[hit] = db_column_int64(st, 0);
    }
    *r_out = r;
    return r == DB_DONE ? 0 : -1;
}

/* A block failed: SQLite undid the statement, so its rows can be tried one by one for the one
 * to name (a server aborts the whole transaction instead). 1 when it was found (err filled). */
static int block_culprit(mv_ctx *c, msk_err *err)
{
    const mv_table *t = c->t;
    mv_val *row = msk_calloc((size_t)t->ncol, sizeof *row);
    int found = 0;
    for (int b = 0; b < c->bn && !found; b++) {
        for (int k = 0; k < t->ncol; k++)
            row[k] = block_val(c, b, k);
        for (int k = 0, i = 1; k < t->ncol; k++)
            if (k != t->idcol)
                bind_val(c->m.ins, i++, &row[k]);
        int r = db_step(c->m.ins);
        if (r != DB_DONE) {
            row_name(t, row, c->bpos[b], c->where, sizeof c->where);
            dst_fail(c->dst, err, c->where);
            found = 1;
        }
        db_reset(c->m.ins);
    }
    free(row);
    return found;
}

/* Insert the block and put the pending ids into the map, in the source's order. */
static int flush_block(mv_ctx *c, msk_err *err)
{
    const mv_table *t = c->t;
    db_stmt *st = NULL;
    int rc = -1, r = DB_DONE;
    if (c->bn) {
        if (c->bn == c->bmax && !c->bins && prep_block(c->dst, t, c->bn, &c->bins, err))
            return -1;
        if (c->bn == c->bmax)
            st = c->bins;
        else if (prep_block(c->dst, t, c->bn, &st, err))
            return -1;
        for (int b = 0, i = 1; b < c->bn; b++)
            for (int k = 0; k < t->ncol; k++)
                if (k != t->idcol) {
                    mv_val v = block_val(c, b, k);
                    bind_val(st, i++, &v);
                }
        if (t->idcol >= 0) {
            if (block_ids(c, st, &r)) {
                if (r == DB_ROW)
                    msk_error(err, "перенос базы: таблица «%s»: новая строка не найдена по ключу",
                              t->name);
                goto fail;
            }
        } else {
            while ((r = db_step(st)) == DB_ROW)
                ;
            if (r != DB_DONE)
                goto fail;
        }
    }
    for (int e = 0; e < c->pn; e++) {
        int64_t nw = c->pslot[e] >= 0 ? c->bnew[c->pslot[e]] : c->pnew[e];
        if (move_map_put(&c->t->map, c->pold[e], nw)) {
            msk_error(err, "перенос базы: таблица «%s», строка id=%lld: повторный id", t->name,
                      (long long)c->pold[e]);
            goto out;
        }
    }
    rc = 0;
    goto out;
fail:
    if (r != DB_ROW && db_engine_of(c->dst->db) == DB_SQLITE && block_culprit(c, err))
        goto out;
    if (r != DB_ROW) {
        /* a block names no row: the first and last of it */
        mv_val a = block_val(c, 0, t->idcol >= 0 ? t->idcol : 0);
        mv_val z = block_val(c, c->bn - 1, t->idcol >= 0 ? t->idcol : 0);
        if (t->idcol >= 0)
            snprintf(c->where, sizeof c->where, "таблица «%s», одна из строк id=%lld…%lld", t->name,
                     (long long)a.i, (long long)z.i);
        else
            snprintf(c->where, sizeof c->where, "таблица «%s», одна из строк %lld…%lld", t->name,
                     (long long)c->bpos[0], (long long)c->bpos[c->bn - 1]);
        dst_fail(c->dst, err, c->where);
    }
out:
    if (st && st != c->bins)
        db_finalize(st);
    else if (st)
        db_reset(st);
    c->bn = 0;
    c->pn = 0;
    msk_buf_reset(&c->arena);
    return rc;
}

static void pending_add(mv_ctx *c, int64_t old, int64_t nw, int slot)
{
    if (c->t->idcol < 0)
        return;
    c->pold[c->pn] = old;
    c->pnew[c->pn] = nw;
    c->pslot[c->pn] = slot;
    c->pn++;
}

/* Copy the current row into the block; flush it when full. */
static int block_add(mv_ctx *c, msk_err *err)
{
    const mv_table *t = c->t;
    mv_val *dst = &c->bv[(size_t)c->bn * (size_t)t->ncol];
    for (int k = 0; k < t->ncol; k++) {
        dst[k] = c->v[k];
        if (dst[k].type == DB_TEXT || dst[k].type == DB_BLOB) {
            dst[k].i = (int64_t)c->arena.len;
            dst[k].p = NULL;
            msk_buf_add(&c->arena, c->v[k].p, (size_t)c->v[k].len);
        }
    }
    c->bpos[c->bn] = c->pos;
    c->bnew[c->bn] = 0;
    pending_add(c, t->idcol >= 0 ? c->v[t->idcol].i : 0, 0, c->bn);
    c->bn++;
    return c->bn == c->bmax || c->pn == BLOCK_PARAMS ? flush_block(c, err) : 0;
}

static void block_init(mv_ctx *c)
{
    int per = c->t->ncol - (c->t->idcol >= 0);
    c->bmax = BLOCK_PARAMS / (per > 0 ? per : 1);
    if (c->bmax > BLOCK_ROWS)
        c->bmax = BLOCK_ROWS;
    if (c->bmax < 1)
        c->bmax = 1;
    c->bv = msk_calloc((size_t)c->bmax * (size_t)c->t->ncol, sizeof *c->bv);
    c->bpos = msk_calloc((size_t)c->bmax, sizeof *c->bpos);
    c->bnew = msk_calloc((size_t)c->bmax, sizeof *c->bnew);
    c->pold = msk_calloc(BLOCK_PARAMS, sizeof *c->pold);
    c->pnew = msk_calloc(BLOCK_PARAMS, sizeof *c->pnew);
    c->pslot = msk_calloc(BLOCK_PARAMS, sizeof *c->pslot);
    msk_buf_init(&c->arena, 0);
}

static void block_release(mv_ctx *c)
{
    db_finalize(c->bins);
    free(c->bv);
    free(c->bpos);
    free(c->bnew);
    free(c->pold);
    free(c->pnew);
    free(c->pslot);
    msk_buf_release(&c->arena);
}

static int move_table(store *src, store *dst, mv_plan *p, mv_table *t, const char *source_id,
                      db_stmt *seen, db_stmt *mark, msk_err *err)
{
    mv_ctx c = {
        .src = src, .dst = dst, .p = p, .t = t, .source_id = source_id, .seen = seen, .mark = mark};
    int rc = -1, step;
    c.v = msk_calloc((size_t)t->ncol, sizeof *c.v);
    block_init(&c);
    if (prep_table(src, dst, t, &c.m, err) || (t->nkey && target_empty(dst, t, &c.empty, err)))
        goto out;
    while ((step = db_step(c.m.read)) == DB_ROW) {
        int keyed = t->nkey > 0, found = 0;
        int64_t nw = 0;
        c.pos++;
        if (read_row(&c, err))
            goto out;
        for (int k = 0; k < t->nkey; k++)
            if (c.v[t->key[k]].type == DB_NULL)
                keyed = 0; /* NULLs are never equal in a UNIQUE key: no natural key here */
        if (find_row(&c, keyed, &found, &nw, err))
            goto out;
        int64_t old = t->idcol >= 0 ? c.v[t->idcol].i : 0;
        if (found) {
            t->out->present++;
            pending_add(&c, old, nw, -1);
        } else if (keyed) {
            /* the block: the row is copied, its id comes with the flush */
            t->out->moved++;
            if (block_add(&c, err))
                goto out;
            continue;
        } else {
            if (insert_row(&c, keyed, &nw, err))
                goto out;
            t->out->moved++;
            pending_add(&c, old, nw, -1);
        }
        if (c.pn == BLOCK_PARAMS && flush_block(&c, err))
            goto out;
    }
    if (step != DB_DONE) {
        store_db_err(src, err, "перенос базы", t->name);
        goto out;
    }
    if (flush_block(&c, err))
        goto out;
    rc = 0;
out:
    stmts_release(&c.m);
    block_release(&c);
    free(c.v);
    return rc;
}

int store_move(store *src, store *dst, store_move_report *rep, msk_err *err)
{
    mv_plan p = {0};
    db_stmt *seen = NULL, *mark = NULL;
    int *order = NULL, *edges = NULL, rc = -1, reading = 0;
    size_t nedges = 0;
    memset(rep, 0, sizeof *rep);
    if (db_engine_of(src->db) != DB_SQLITE)
        return msk_error(err,
                         "перенос базы: источник %s должен быть файлом msoko (SQLite), а не "
                         "сервером",
                         src->path);
    int ver = store_user_version(src);
    if (ver != schema_version())
        return msk_error(err,
                         "перенос базы: схема файла %s — версии %d, а эта программа знает %d: %s",
                         src->path, ver, schema_version(),
                         ver < schema_version()
                             ? "откройте его один раз этой версией msoko (например, «msoko init "
                               "--db ФАЙЛ»), он обновится, затем повторите перенос"
                             : "перенос делает msoko той же или более новой версии");
    if (!store_meta_get(src, "store_id", rep->source_id, sizeof rep->source_id) ||
        !rep->source_id[0])
        return msk_error(err,
                         "перенос базы: у файла %s нет идентификатора (meta store_id): откройте "
                         "его один раз этой версией msoko («msoko init --db ФАЙЛ»)",
                         src->path);
    char dst_id[40] = "";
    if (store_meta_get(dst, "store_id", dst_id, sizeof dst_id) && !strcmp(dst_id, rep->source_id))
        return msk_error(err, "перенос базы: %s и %s — одна и та же база (или копия одной базы)",
                         src->path, dst->path);
    /* one read transaction: every table is read from the same state of the source */
    if (db_exec(src->db, "BEGIN") != DB_OK) {
        store_db_err(src, err, "перенос базы", "чтение");
        goto out;
    }
    reading = 1;
    if (plan_load(src, &p, err))
        goto out;
    for (size_t i = 0; i < p.n; i++)
        for (int d = 0; d < p.t[i].ndep; d++) {
            edges = msk_reallocarray(edges, 2 * (nedges + 1), sizeof *edges);
            edges[2 * nedges] = (int)i;
            edges[2 * nedges + 1] = p.t[i].dep[d];
            nedges++;
        }
    order = msk_reallocarray(NULL, p.n ? p.n : 1, sizeof *order);
    int cycle = 0;
    if (move_order(p.n, edges, nedges, order, &cycle)) {
        msk_error(err, "перенос базы: внешние ключи таблицы «%s» образуют цикл", p.t[cycle].name);
        goto out;
    }
    if (store_prep(dst, "SELECT new_id FROM moved_row WHERE source = ? AND tbl = ? AND old_id = ?",
                   &seen, "перенос базы", err) ||
        store_prep(dst, "INSERT INTO moved_row(source, tbl, old_id, new_id) VALUES(?, ?, ?, ?)",
                   &mark, "перенос базы", err))
        goto out;
    rep->t = msk_calloc(p.n ? p.n : 1, sizeof *rep->t);
    for (size_t k = 0; k < p.n; k++) {
        mv_table *t = &p.t[order[k]];
        if (t->deny)
            continue;
        t->out = &rep->t[rep->n++];
        snprintf(t->out->name, sizeof t->out->name, "%s", t->name);
        if (move_table(src, dst, &p, t, rep->source_id, seen, mark, err))
            goto out;
        rep->moved += t->out->moved;
        rep->present += t->out->present;
    }
    rc = 0;
out:
    if (reading)
        db_exec(src->db, "COMMIT");
    db_finalize(seen);
    db_finalize(mark);
    free(order);
    free(edges);
    plan_release(&p);
    if (rc)
        store_move_report_release(rep);
    return rc;
}

void store_move_report_release(store_move_report *rep)
{
    free(rep->t);
    rep->t = NULL;
    rep->n = 0;
}
