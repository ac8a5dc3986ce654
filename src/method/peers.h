/*
 * Peer groups (issue 16): schools of like context, so a school is compared with schools that
 * work in the same conditions as well as with the municipality. The context: type (gymnasia and
 * lyceums together), urban or rural, size (pupils_total of the risk-context form, else the
 * year's participants) and the social passport of the same form (pupils with ОВЗ, non-native
 * speakers and registered families as a share of pupils_total, seed 002 §3.2 item 3). A group
 * smaller than PEERS_MIN schools is merged upward: the social passport is dropped first, then
 * the size, then the locality. Pure: reads the model only.
 */
#ifndef MSK_PEERS_H
#define MSK_PEERS_H

#include "model/model.h"

#include <stddef.h>
#include <stdint.h>

enum { PEERS_MIN = 3 };

typedef struct peers {
    size_t ngroups;
    int32_t *group;     /* per school: its group, 0..ngroups-1 */
    size_t *size;       /* per group: schools in it */
    char (*label)[192]; /* per group: «СОШ, город, 150–599 обучающихся, …» */
} peers;

/* Group the schools by their context of year. Release with peers_free. */
void peers_build(const model *m, int year, peers *out);
void peers_free(peers *p);

#endif
