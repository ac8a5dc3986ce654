/*
 * bench/view: how long the view models take on a loaded year — the per-request cost of the
 * web pages once the year is in memory — against the load itself, in the same process.
 * Usage: bench-view DB YEAR [REPEAT]
 */
#include "store/store.h"
#include "view/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    store *s = NULL;
    view_year *v = NULL;
    msk_err err;
    view_ctx an = {VIEW_ANALYST, NULL}, pub = {VIEW_PUBLIC, NULL};
    if (argc < 3) {
        fprintf(stderr, "usage: bench-view DB YEAR [REPEAT]\n");
        return 2;
    }
    int year = (int)strtol(argv[2], NULL, 10), rep = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 50;
    double t0 = now();
    if (store_open(argv[1], STORE_READ, &s, &err) || view_year_load(s, year, &v, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    double load = now() - t0;
    printf("load of %d (4 years): %.2f s\n", year, load);
    json_t *d = NULL;
    view_dashboard(v, &an, &d, &err);
    const char *school = json_string_value(json_object_get(
        json_object_get(
            json_array_get(
                json_object_get(json_object_get(json_object_get(d, "lists"), "shnor"), "schools"),
                0),
            "school"),
        "code"));
    char code[32];
    snprintf(code, sizeof code, "%s", school ? school : "sch000001");
    json_decref(d);
    struct {
        const char *name;
        int kind;
    } pages[] = {{"dashboard", 0}, {"schools", 1},    {"school", 2},
                 {"procedure", 3}, {"list shnor", 4}, {"public school", 5}};
    for (int dump = 0; dump < 2; dump++)
        for (size_t k = 0; k < sizeof pages / sizeof pages[0]; k++) {
            double t = now();
            for (int i = 0; i < rep; i++) {
                json_t *o = NULL;
                switch (pages[k].kind) {
                case 0:
                    view_dashboard(v, &an, &o, &err);
                    break;
                case 1:
                    view_schools(v, &an, NULL, &o, &err);
                    break;
                case 2:
                    view_school(v, &an, code, &o, &err);
                    break;
                case 3:
                    view_procedure(v, &an, "VPR-math-5", code, &o, &err);
                    break;
                case 4:
                    view_list(v, &an, "shnor", &o, &err);
                    break;
                default:
                    view_school(v, &pub, code, &o, &err);
                    break;
                }
                if (dump) {
                    char *txt = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(6));
                    free(txt);
                }
                json_decref(o);
            }
            double per = (now() - t) / rep;
            printf("%-14s %8.2f ms per page%s, %.5f of the load\n", pages[k].name, per * 1e3,
                   dump ? " with its JSON text" : " (model only)", per / load);
        }
    view_year_free(v);
    store_close(s);
    return 0;
}
