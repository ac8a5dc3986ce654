/*
 * Private to src/model/: the part of a model the public struct does not show (behind
 * m->pupil_index), shared by the builder (model.c), the loader (load.c) and the snapshot
 * (snapshot.c).
 */
#ifndef MSK_MODEL_INTERNAL_H
#define MSK_MODEL_INTERNAL_H

#include "model/model.h"

/* An aggregate as given, kept until model_finish decides whether per-pupil rows override it. */
typedef struct agg_row {
    int32_t proc, school;
    int participants, mark2, mark3, mark4, mark5, below_min; /* below_min < 0: not given */
    size_t order;                                            /* later rows win */
} agg_row;

enum { ARENA_CHUNK = 1 << 16 };

/* Open addressing: a slot holds the pupil index + 1 (0 = empty) and the full hash of the
 * code, so a string is compared only when the hashes agree. */
typedef struct pupil_slot {
    uint32_t index1, hash;
} pupil_slot;

typedef struct school_pupils {
    pupil_slot *slot;
    uint32_t nslots, n; /* nslots a power of two, at most half full */
} school_pupils;

/* Everything the public struct does not show, behind m->pupil_index. */
typedef struct model_priv {
    /* one pupil hash per school: results arrive grouped by school, so the table in use stays
     * in cache while millions of rows are interned */
    school_pupils *tables;
    size_t ntables;
    /* pupil codes live in chunks that never move */
    char **chunks;
    size_t nchunks, chunks_cap, chunk_used, chunk_size;
    size_t schools_cap, procs_cap, olymp_cap, teams_cap, grads_cap, cells_cap;
    agg_row *aggs;
    size_t naggs, aggs_cap;
    /* read from a snapshot: pupil codes are known but not hashed, so no pupil may be added */
    int sealed;
} model_priv;

/* The private part of m, made on first use. */
model_priv *model_priv_of(model *m);

/* Put a model filled by the loader into the canonical order both the loader and the snapshot
 * produce, before model_finish: procedures by year (store order inside a year), results,
 * olympiads, teams and graduates by year (read order inside a year), pupils numbered by first
 * appearance in that order (results, olympiads, graduates), context elements by code. */
void model_canonicalize(model *m);

#endif
