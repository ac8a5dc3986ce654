/*
 * Moving a municipality's file into another store (issue 17 item 4, docs/migrate.md): every
 * row of every table of the source, in foreign-key order discovered from the source's own
 * catalog, with its ids remapped to the target's. Idempotent: a row already in the target (by
 * its natural key, or by the target's record of rows moved from this source, table moved_row)
 * is counted, not written again.
 */
#ifndef MSK_STORE_MIGRATE_H
#define MSK_STORE_MIGRATE_H

#include "base/err.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

typedef struct store_move_table {
    char name[64];
    int64_t moved, present; /* rows written; rows the target already had */
} store_move_table;

typedef struct store_move_report {
    store_move_table *t; /* one per table moved, in the order moved; owned */
    size_t n;
    int64_t moved, present;
    char source_id[40]; /* the source's identity (meta store_id) */
} store_move_report;

/* Move every row of src (a SQLite msoko file opened STORE_READ, at this program's schema
 * version) into dst, inside dst's open transaction (the caller owns it: the use case
 * app_migrate adds the audit row and commits). Returns 0 with rep filled, or -1 with a Russian
 * message naming the table and the row that failed; the caller then rolls back. */
int store_move(store *src, store *dst, store_move_report *rep, msk_err *err);
void store_move_report_release(store_move_report *rep);
/* The Russian name of a table for people («результаты участников»), else the name itself. */
const char *store_move_label(const char *table);

/* ---- the pure parts, exported for tests/unit/test_migrate.c ---- */

/* old id → new id of one table. Ids are put in ascending order (the source is read by id),
 * so a lookup is a binary search. */
typedef struct move_map {
    int64_t *old_id, *new_id;
    size_t n, cap;
} move_map;
/* Returns 0, or -1 when old is not above the last one put (a bug of the caller). */
int move_map_put(move_map *m, int64_t old, int64_t nw);
/* 1 and *nw set when old is mapped, else 0. */
int move_map_get(const move_map *m, int64_t old, int64_t *nw);
void move_map_release(move_map *m);

/* Order n tables so that every table comes after the tables it references: edges are npairs
 * pairs (from, to) meaning "from references to" (self-references are ignored). Ties keep the
 * tables' own order (the schema's). order gets n indexes. Returns 0, or -1 on a cycle, with
 * *cycle set to a table on it. */
int move_order(size_t n, const int *edges, size_t npairs, int *order, int *cycle);

#endif
