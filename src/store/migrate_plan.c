/*
 * msoko migrate's plan (store/migrate.h, docs/migrate.md): what the source's catalog says —
 * tables (sqlite_schema), columns and the id (pragma_table_info), references (declared with
 * pragma_foreign_key_list, and the few older ones declared without), the natural key
 * (pragma_index_list/index_info) — and the pure parts: the id map and the tables' order.
 * Only SQLite's catalog is read: the source is always a file.
 */
#include "store/migrate_plan.h"

#include "base/mem.h"
#include "store/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Tables that do not move, and why. Everything else in the source's catalog does, so a table
 * a later migration adds is moved without a change here. */
static const struct {
    const char *table, *why;
} DENY[] = {
    {"meta", "the file's own settings: its identity (store_id) and init's flag"},
    {"session", "sign-ins to the source's web server: tokens are not to be copied around"},
    {"model_snapshot", "a cache of the data, rebuilt by the target on first read"},
    {"model_stamp", "the snapshot's change counter: the target's triggers keep their own"},
    {"msoko_schema", "the schema version (PostgreSQL): each store has its own"},
    {"moved_row", "the target's record of what it received; not data of the source"},
};

/* Integer columns that hold another table's id but were declared without REFERENCES (older
 * migrations; SQLite cannot add a foreign key to an existing table). They are remapped like
 * the declared ones. Any other INTEGER column named *_id without a foreign key stops the move
 * (move_plan), so a new one cannot be copied with the source's ids by mistake. */
static const struct {
    const char *table, *column, *ref;
} IMPLICIT[] = {
    {"school", "batch_id", "import_batch"},
    {"plan_item", "finding_id", "finding"},
    {"value_history", "school_id", "school"},
    {"value_history", "submission_id", "submission"},
};

static const struct {
    const char *table, *label;
} LABELS[] = {
    {"proc_kind", "виды процедур"},
    {"subject", "предметы"},
    {"school", "школы"},
    {"scale", "шкалы перевода баллов"},
    {"scale_point", "строки шкал ЕГЭ"},
    {"procedure", "оценочные процедуры"},
    {"procedure_task", "задания процедур"},
    {"import_batch", "загрузки файлов"},
    {"result", "результаты участников"},
    {"result_aggregate", "сводные результаты школ"},
    {"data_element", "контекстные показатели"},
    {"data_value", "значения показателей"},
    {"olympiad_result", "результаты олимпиад"},
    {"olympiad_team", "командные места олимпиад"},
    {"graduate_outcome", "выпускники"},
    {"plan_item", "мероприятия планов"},
    {"analysis_run", "запуски анализа"},
    {"finding", "выводы анализа"},
    {"user", "пользователи"},
    {"audit", "журнал действий"},
    {"demo_truth", "заложенные случаи демо"},
    {"recheck_round", "раунды перепроверки"},
    {"recheck_work", "работы перепроверки"},
    {"plan_file", "файлы мероприятий"},
    {"form", "формы мониторинга"},
    {"form_element", "показатели форм"},
    {"form_rule", "правила форм"},
    {"form_indicator", "индикаторы форм"},
    {"submission", "сдачи форм"},
    {"submission_value", "значения форм"},
    {"value_history", "история значений форм"},
    {"benchmark", "значения РФ, края, муниципалитета"},
    {"external_list", "внешние списки школ"},
    {"flag_answer", "ответы школ на флаги"},
    {"flag_answer_file", "файлы ответов школ"},
    {"decision", "управленческие решения"},
    {"decision_school", "школы решений"},
    {"decision_file", "файлы решений"},
    {"registry_row", "строки реестров"},
    {"contest", "участники конкурсов"},
};

const char *store_move_label(const char *table)
{
    for (size_t i = 0; i < sizeof LABELS / sizeof LABELS[0]; i++)
        if (!strcmp(LABELS[i].table, table))
            return LABELS[i].label;
    return table;
}

/* ---- the pure parts ---- */

int move_map_put(move_map *m, int64_t old, int64_t nw)
{
    if (m->n && old <= m->old_id[m->n - 1])
        return -1;
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 256;
        m->old_id = msk_reallocarray(m->old_id, m->cap, sizeof *m->old_id);
        m->new_id = msk_reallocarray(m->new_id, m->cap, sizeof *m->new_id);
    }
    m->old_id[m->n] = old;
    m->new_id[m->n] = nw;
    m->n++;
    return 0;
}

int move_map_get(const move_map *m, int64_t old, int64_t *nw)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->old_id[mid] < old)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < m->n && m->old_id[lo] == old) {
        *nw = m->new_id[lo];
        return 1;
    }
    return 0;
}

void move_map_release(move_map *m)
{
    free(m->old_id);
    free(m->new_id);
    memset(m, 0, sizeof *m);
}

int move_order(size_t n, const int *edges, size_t npairs, int *order, int *cycle)
{
    /* Kahn's algorithm, taking the first ready table in the schema's order each time: n is a
     * few dozen tables, so the quadratic scan is nothing */
    unsigned char *done = msk_calloc(n ? n : 1, 1);
    int rc = 0;
    for (size_t k = 0; k < n; k++) {
        size_t pick = n;
        for (size_t t = 0; t < n && pick == n; t++) {
            if (done[t])
                continue;
            int ready = 1;
            for (size_t e = 0; e < npairs && ready; e++)
                if (edges[2 * e] == (int)t && edges[2 * e + 1] != (int)t && !done[edges[2 * e + 1]])
                    ready = 0;
            if (ready)
                pick = t;
        }
        if (pick == n) {
            for (size_t t = 0; t < n; t++)
                if (!done[t]) {
                    *cycle = (int)t;
                    break;
                }
            rc = -1;
            break;
        }
        done[pick] = 1;
        order[k] = (int)pick;
    }
    free(done);
    return rc;
}

/* ---- the plan: the source's catalog ---- */

void plan_release(mv_plan *p)
{
    for (size_t i = 0; i < p->n; i++) {
        mv_table *t = &p->t[i];
        for (int c = 0; c < t->ncol; c++)
            free(t->col[c]);
        free(t->name);
        free(t->col);
        free(t->ref);
        free(t->key);
        free(t->dep);
        move_map_release(&t->map);
    }
    free(p->t);
    memset(p, 0, sizeof *p);
}

static int plan_find(const mv_plan *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->t[i].name, name))
            return (int)i;
    return -1;
}

static int col_find(const mv_table *t, const char *name)
{
    for (int c = 0; c < t->ncol; c++)
        if (!strcmp(t->col[c], name))
            return c;
    return -1;
}

static void add_dep(mv_table *t, int d)
{
    for (int i = 0; i < t->ndep; i++)
        if (t->dep[i] == d)
            return;
    t->dep = msk_reallocarray(t->dep, (size_t)t->ndep + 1, sizeof *t->dep);
    t->dep[t->ndep++] = d;
}

static int plan_columns(store *s, mv_table *t, msk_err *err)
{
    db_stmt *st = NULL;
    int npk = 0, pkcol = -1, pkint = 0, rc = -1;
    if (store_prep(s, "SELECT name, type, pk FROM pragma_table_info(?)", &st, "перенос базы", err))
        return -1;
    db_bind_text(st, 1, t->name);
    while (db_step(st) == DB_ROW) {
        t->col = msk_reallocarray(t->col, (size_t)t->ncol + 1, sizeof *t->col);
        t->col[t->ncol] = msk_strdup(store_col(st, 0));
        if (db_column_int(st, 2) > 0) {
            npk++;
            pkcol = t->ncol;
            pkint = !strcasecmp(store_col(st, 1), "INTEGER");
        }
        t->ncol++;
    }
    /* an INTEGER PRIMARY KEY alone is the row's id, which the target assigns anew */
    t->idcol = npk == 1 && pkint ? pkcol : -1;
    t->ref = msk_reallocarray(NULL, (size_t)(t->ncol ? t->ncol : 1), sizeof *t->ref);
    for (int c = 0; c < t->ncol; c++)
        t->ref[c] = -1;
    rc = t->ncol ? 0 : msk_error(err, "перенос базы: у таблицы «%s» нет столбцов", t->name);
    db_finalize(st);
    return rc;
}

/* A reference from column c of t to table r: remapped when it holds r's id. */
static void plan_ref(mv_plan *p, mv_table *t, int c, int r, const char *to)
{
    mv_table *rt = &p->t[r];
    if (r != t - p->t)
        add_dep(t, r);
    if (rt->idcol >= 0 && (!to || !*to || !strcmp(to, rt->col[rt->idcol])))
        t->ref[c] = r;
}

static int plan_fks(store *s, mv_plan *p, mv_table *t, msk_err *err)
{
    db_stmt *st = NULL;
    int rc = -1;
    if (store_prep(s, "SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list(?)", &st,
                   "перенос базы", err))
        return -1;
    db_bind_text(st, 1, t->name);
    while (db_step(st) == DB_ROW) {
        int c = col_find(t, store_col(st, 0));
        int r = plan_find(p, store_col(st, 1));
        if (c < 0 || r < 0) {
            msk_error(err, "перенос базы: внешний ключ %s.%s ссылается на неизвестную таблицу «%s»",
                      t->name, store_col(st, 0), store_col(st, 1));
            goto out;
        }
        plan_ref(p, t, c, r, db_column_text(st, 2));
    }
    for (size_t i = 0; i < sizeof IMPLICIT / sizeof IMPLICIT[0]; i++) {
        if (strcmp(IMPLICIT[i].table, t->name))
            continue;
        int c = col_find(t, IMPLICIT[i].column), r = plan_find(p, IMPLICIT[i].ref);
        if (c >= 0 && r >= 0)
            plan_ref(p, t, c, r, NULL);
    }
    /* an undeclared reference would be copied with the source's ids: refuse it instead */
    for (int c = 0; c < t->ncol; c++) {
        size_t len = strlen(t->col[c]);
        if (t->deny || t->ref[c] >= 0 || c == t->idcol || len <= 3 ||
            strcmp(t->col[c] + len - 3, "_id"))
            continue;
        db_stmt *fk = NULL;
        if (store_prep(s, "SELECT 1 FROM pragma_foreign_key_list(?) WHERE \"from\" = ?", &fk,
                       "перенос базы", err))
            goto out;
        db_bind_text(fk, 1, t->name);
        db_bind_text(fk, 2, t->col[c]);
        int has = db_step(fk) == DB_ROW; /* a reference to a coded table, not to an id */
        db_finalize(fk);
        if (!has) {
            msk_error(err,
                      "перенос базы: столбец %s.%s похож на ссылку на другую таблицу, но не "
                      "описан как внешний ключ: перенос не знает, как менять его значения "
                      "(src/store/migrate_plan.c, IMPLICIT)",
                      t->name, t->col[c]);
            goto out;
        }
    }
    rc = 0;
out:
    db_finalize(st);
    return rc;
}

/* The first unique key without the id: the primary key of a table without an id, then the
 * UNIQUE constraints, then unique indexes, each in the catalog's order. A partial index is
 * not a key of every row. */
static int plan_key(store *s, mv_table *t, msk_err *err)
{
    db_stmt *il = NULL, *ii = NULL;
    int best_rank = 4, rc = -1;
    int *cols = msk_reallocarray(NULL, (size_t)t->ncol, sizeof *cols);
    if (store_prep(s,
                   "SELECT name, origin FROM pragma_index_list(?) WHERE \"unique\" = 1 AND"
                   " partial = 0 ORDER BY seq DESC",
                   &il, "перенос базы", err) ||
        store_prep(s, "SELECT name FROM pragma_index_info(?) ORDER BY seqno", &ii, "перенос базы",
                   err))
        goto out;
    db_bind_text(il, 1, t->name);
    while (db_step(il) == DB_ROW) {
        const char *origin = store_col(il, 1);
        int rank = !strcmp(origin, "pk") ? 1 : !strcmp(origin, "u") ? 2 : 3;
        int n = 0, ok = 1;
        if (rank >= best_rank)
            continue;
        db_reset(ii);
        db_bind_text(ii, 1, store_col(il, 0));
        while (db_step(ii) == DB_ROW) {
            int c = db_column_type(ii, 0) == DB_NULL ? -1 : col_find(t, store_col(ii, 0));
            if (c < 0 || c == t->idcol)
                ok = 0; /* an expression, or the id itself */
            else
                cols[n++] = c;
        }
        if (ok && n) {
            free(t->key);
            t->key = msk_reallocarray(NULL, (size_t)n, sizeof *t->key);
            memcpy(t->key, cols, (size_t)n * sizeof *cols);
            t->nkey = n;
            best_rank = rank;
        }
    }
    /* neither an id nor a key (no such table yet): the whole row is its own key */
    if (!t->nkey && t->idcol < 0) {
        t->key = msk_reallocarray(NULL, (size_t)t->ncol, sizeof *t->key);
        for (int c = 0; c < t->ncol; c++)
            t->key[c] = c;
        t->nkey = t->ncol;
    }
    rc = 0;
out:
    free(cols);
    db_finalize(il);
    db_finalize(ii);
    return rc;
}

int plan_load(store *s, mv_plan *p, msk_err *err)
{
    db_stmt *st = NULL;
    if (store_prep(s,
                   "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE"
                   " 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
                   &st, "перенос базы", err))
        return -1;
    while (db_step(st) == DB_ROW) {
        p->t = msk_reallocarray(p->t, p->n + 1, sizeof *p->t);
        memset(&p->t[p->n], 0, sizeof p->t[p->n]);
        p->t[p->n].name = msk_strdup(store_col(st, 0));
        for (size_t d = 0; d < sizeof DENY / sizeof DENY[0]; d++)
            if (!strcmp(DENY[d].table, p->t[p->n].name))
                p->t[p->n].deny = 1;
        p->n++;
    }
    db_finalize(st);
    for (size_t i = 0; i < p->n; i++)
        if (plan_columns(s, &p->t[i], err))
            return -1;
    for (size_t i = 0; i < p->n; i++)
        if (plan_fks(s, p, &p->t[i], err) || plan_key(s, &p->t[i], err))
            return -1;
    for (size_t i = 0; i < p->n; i++)
        for (int c = 0; c < p->t[i].ncol; c++) {
            /* a row's id is known only when its block is flushed: a reference to a row of the
             * same table would find no id (msoko has no such column; a new one is refused) */
            if (!p->t[i].deny && p->t[i].ref[c] == (int)i)
                return msk_error(
                    err,
                    "перенос базы: столбец %s.%s ссылается на строку той же "
                    "таблицы: такой перенос не поддерживается (src/store/migrate_plan.c)",
                    p->t[i].name, p->t[i].col[c]);
            if (!p->t[i].deny && p->t[i].ref[c] >= 0 && p->t[p->t[i].ref[c]].deny)
                return msk_error(err,
                                 "перенос базы: таблица «%s» ссылается на «%s», которая не "
                                 "переносится (src/store/migrate_plan.c, DENY)",
                                 p->t[i].name, p->t[p->t[i].ref[c]].name);
        }
    return 0;
}
