/*
 * Municipalities as a level (issue 17 item 2; migration 22): a school belongs to one (school.
 * municipality_id), an analyst may be limited to one (user.municipality_id). One installation
 * is a municipality (one row, every school in it) or a region of several. Codes are short
 * texts («1», «abinsk»), names Russian («Абинский район»).
 */
#ifndef MSK_STORE_MUNICIPALITY_H
#define MSK_STORE_MUNICIPALITY_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

enum { STORE_MUNI_CODE = 32, STORE_MUNI_NAME = 256 };

typedef struct store_municipality {
    int64_t id;
    char code[STORE_MUNI_CODE];
    char name[STORE_MUNI_NAME];
    int64_t schools; /* schools in it */
} store_municipality;

/* The name «Муниципалитет» migration 22 gives the one municipality of an existing database. */
#define STORE_MUNI_DEFAULT_NAME "Муниципалитет"

/* The municipality whose code or name (exact, after trimming by the caller) is text: 0 and *out,
 * 1 when none, -1 with err. */
int store_municipality_find(store *s, const char *text, store_municipality *out, msk_err *err);
/* The municipality by id: 0, 1 when none, -1. */
int store_municipality_get(store *s, int64_t id, store_municipality *out, msk_err *err);
/* Add a municipality (code unique): 0 and *id, or -1 with a Russian message (the code taken, an
 * empty code or name, a code longer than STORE_MUNI_CODE - 1 bytes). Inside the caller's
 * transaction. */
int store_municipality_add(store *s, const char *code, const char *name, int64_t *id, msk_err *err);
/* A code for a new municipality that no other has: «1», «2», … (the smallest free
 * number), into out. 0 or -1. */
int store_municipality_free_code(store *s, char out[STORE_MUNI_CODE], msk_err *err);
/* Every municipality by code (shorter first: «2» before «10») with its number of schools; *rows
 * owned by the caller (free). */
int store_municipality_list(store *s, store_municipality **rows, size_t *n, msk_err *err);

/* Put the school into municipality muni (0: none). 0 or -1. */
int store_school_set_municipality(store *s, int64_t school_id, int64_t muni, msk_err *err);
/* The municipality of the school with this code into *muni (0 when it has none): 0, 1 when there
 * is no such school, -1. */
int store_school_municipality(store *s, const char *code, int64_t *muni, msk_err *err);
/* The ids of the schools of municipality muni, ascending; *ids owned by the caller (free, may be
 * NULL when *n is 0). 0 or -1. */
int store_municipality_school_ids(store *s, int64_t muni, int64_t **ids, size_t *n, msk_err *err);
/* The codes of the schools of municipality muni; *codes (each and the array) owned by the
 * caller (free), in no particular order. 0 or -1. */
int store_municipality_school_codes(store *s, int64_t muni, char ***codes, size_t *n, msk_err *err);
/* The school codes of every school with the code of its municipality ("" when none), by code:
 * fn(ctx, school_code, municipality_code) for each. 0 or -1. */
int store_municipality_schools(store *s,
                               void (*fn)(void *ctx, const char *school, const char *muni),
                               void *ctx, msk_err *err);

/* Limit the analyst login to municipality muni (0: every municipality). 0, 1 when there is no
 * such user, -1. */
int store_user_set_municipality(store *s, const char *login, int64_t muni, msk_err *err);

#endif
