/*
 * Shared by the two files of msoko migrate's store half only: the plan of a move — the
 * source's tables as its catalog describes them (columns, the id, the natural key, the
 * references to remap) — made by migrate_plan.c and followed by migrate.c.
 */
#ifndef MSK_STORE_MIGRATE_PLAN_H
#define MSK_STORE_MIGRATE_PLAN_H

#include "store/migrate.h"

typedef struct mv_table {
    char *name;
    int deny;
    int ncol;
    char **col;
    int *ref;  /* per column: the table whose id it holds (remapped), or -1 */
    int idcol; /* the INTEGER PRIMARY KEY column, or -1 */
    int *key;  /* the natural key's columns: the first UNIQUE key without the id */
    int nkey;
    int *dep; /* tables this one must follow (its foreign keys, remapped or not) */
    int ndep;
    move_map map;
    store_move_table *out;
} mv_table;

typedef struct mv_plan {
    mv_table *t;
    size_t n;
} mv_plan;

/* Read the source's catalog into p (the deny-listed tables are in it, marked): -1 with a
 * Russian message for a reference the move cannot follow. Release with plan_release. */
int plan_load(store *s, mv_plan *p, msk_err *err);
void plan_release(mv_plan *p);

#endif
