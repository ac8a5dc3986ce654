/*
 * Peer groups (peers.h): a small key per school (type × locality × size band × social band),
 * counted in a table of all keys, and merged upward where a group is too small.
 */
#include "method/peers.h"
#include "base/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NTYPE = 5, NLOC = 3, NSIZE = 4, NSOC = 3 };
#define NKEYS (NTYPE * NLOC * NSIZE * NSOC)

static const char *const TYPE_RU[NTYPE] = {"гимназии и лицеи", "СОШ", "ООШ", "НОШ", "другие школы"};
static const char *const LOC_RU[NLOC] = {"город", "село", ""};
static const char *const SIZE_RU[NSIZE] = {"до 150 обучающихся", "150–599 обучающихся",
                                           "600 и более обучающихся", ""};
static const char *const SOC_RU[NSOC] = {"доля детей с ОВЗ, инофонов и на учёте до 10 %",
                                         "доля детей с ОВЗ, инофонов и на учёте 10 % и более", ""};

static int type_of(const char *t)
{
    if (!strcmp(t, "gymnasium") || !strcmp(t, "lyceum"))
        return 0;
    if (!strcmp(t, "sosh"))
        return 1;
    if (!strcmp(t, "oosh"))
        return 2;
    if (!strcmp(t, "nosh"))
        return 3;
    return 4;
}

static int key_of(int t, int l, int s, int c)
{
    return ((t * NLOC + l) * NSIZE + s) * NSOC + c;
}

void peers_build(const model *m, int year, peers *out)
{
    size_t n = m->nschools;
    int *t = msk_malloc((n ? n : 1) * 4 * sizeof *t); /* type, locality, size, social */
    double *part = msk_calloc(n ? n : 1, sizeof *part);
    for (size_t i = 0; i < m->ncells; i++)
        if (m->procs[m->cells[i].proc].year == year)
            part[m->cells[i].school] += m->cells[i].participants;
    for (size_t s = 0; s < n; s++) {
        const model_school *sc = &m->schools[s];
        int32_t si = (int32_t)s;
        double total = model_context(m, year, si, "pupils_total");
        /* size: pupils_total, else the year's participants (about half the pupils write) */
        double size = !isnan(total) && total > 0 ? total : 2 * part[s];
        double soc = NAN;
        if (!isnan(total) && total > 0) {
            static const char *const PARTS[] = {"pupils_ovz", "pupils_inofon", "pupils_registered"};
            double sum = 0;
            int have = 0;
            for (int k = 0; k < 3; k++) {
                double v = model_context(m, year, si, PARTS[k]);
                if (!isnan(v)) {
                    sum += v;
                    have = 1;
                }
            }
            soc = have ? sum / total : NAN;
        }
        t[4 * s] = type_of(sc->type);
        t[4 * s + 1] = !strcmp(sc->locality, "rural");
        t[4 * s + 2] = size < 150 ? 0 : size < 600 ? 1 : 2;
        t[4 * s + 3] = isnan(soc) ? 2 : soc >= 0.10;
    }
    /* merge upward: drop the social band, then the size, then the locality */
    int *key = msk_malloc((n ? n : 1) * sizeof *key);
    size_t count[NKEYS];
    for (int level = 0; level < 4; level++) {
        memset(count, 0, sizeof count);
        for (size_t s = 0; s < n; s++) {
            int *x = &t[4 * s];
            key[s] = key_of(x[0], x[1], x[2], x[3]);
            count[key[s]]++;
        }
        int changed = 0;
        for (size_t s = 0; s < n; s++) {
            int *x = &t[4 * s];
            if (count[key[s]] >= PEERS_MIN)
                continue;
            if (x[3] != NSOC - 1)
                x[3] = NSOC - 1, changed = 1;
            else if (x[2] != NSIZE - 1)
                x[2] = NSIZE - 1, changed = 1;
            else if (x[1] != NLOC - 1)
                x[1] = NLOC - 1, changed = 1;
        }
        if (!changed)
            break;
    }
    memset(count, 0, sizeof count);
    for (size_t s = 0; s < n; s++) {
        int *x = &t[4 * s];
        key[s] = key_of(x[0], x[1], x[2], x[3]);
        count[key[s]]++;
    }
    int index[NKEYS];
    memset(out, 0, sizeof *out);
    out->group = msk_malloc((n ? n : 1) * sizeof *out->group);
    out->size = msk_calloc(NKEYS, sizeof *out->size);
    out->label = msk_calloc(NKEYS, sizeof *out->label);
    for (int k = 0; k < NKEYS; k++)
        index[k] = -1;
    for (size_t s = 0; s < n; s++) {
        int k = key[s];
        if (index[k] < 0) {
            index[k] = (int)out->ngroups++;
            int *x = &t[4 * s];
            char *lb = out->label[index[k]];
            int len = snprintf(lb, sizeof out->label[0], "%s", TYPE_RU[x[0]]);
            const char *more[3] = {LOC_RU[x[1]], SIZE_RU[x[2]], SOC_RU[x[3]]};
            for (int q = 0; q < 3; q++)
                if (*more[q] && len > 0 && (size_t)len < sizeof out->label[0])
                    len += snprintf(lb + len, sizeof out->label[0] - (size_t)len, ", %s", more[q]);
        }
        out->group[s] = index[k];
        out->size[index[k]]++;
    }
    free(t);
    free(part);
    free(key);
}

void peers_free(peers *p)
{
    free(p->group);
    free(p->size);
    free(p->label);
    memset(p, 0, sizeof *p);
}
