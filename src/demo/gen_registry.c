/*
 * The demo's registries (issue 15 items 2–3): for every school and year, teachers (about one per
 * twelve pupils; categories about 40 % высшая, 35 % первая, 15 % соответствие, 10 % без
 * категории; 8–12 % young specialists, most with a mentor; loads, diagnostics of deficits and
 * burnout), their courses of ДПО (seed 001 п. 9.1), experts (п. 1.13), the management reserve
 * (п. 7.4) and best practices (п. 4.8, 8.4). Staff persist from year to year (a few leave and
 * young ones come; a category is sometimes raised), so the directions' dynamics move slowly.
 * Drawn from a generator of its own seed: every other part of the demo stays as it was.
 * Gifted pupils come from the olympiads: scripts/demo.sh runs `msoko registry fill-gifted`.
 */
#include "demo/internal.h"

#include "base/mem.h"
#include "store/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct teacher {
    int num, since; /* code number; the year hired */
    int cat;        /* 0 highest, 1 first, 2 conformity, 3 none */
    int admin, mentor;
    double load;
    int active;
} teacher;

static const char *const CATS[] = {"highest", "first", "conformity", "none"};

static int draw_cat(rng *r)
{
    double u = rng_unif(r);
    return u < 0.44 ? 0 : u < 0.82 ? 1 : u < 0.96 ? 2 : 3; /* with the young: ~40/35/15/10 */
}

static int school_pupils(const school *sc)
{
    int per_grade = (sc->size_lo + sc->size_hi) / 2;
    if (!sc->rural)
        per_grade *= sc->classes > 0 ? sc->classes : 1;
    return per_grade * (sc->top_grade > 0 ? sc->top_grade : 9);
}

static int put(demo_ctx *c, const char *kind, int y, const school *sc, const char *code,
               const char *key, const char *data)
{
    return store_registry_put(c->s, kind, y, sc->id, code, key, data, 0, "demo", 1, NULL, NULL,
                              c->err);
}

static void hire(teacher *t, int num, int year, rng *r, int young)
{
    memset(t, 0, sizeof *t);
    t->num = num;
    t->since = young ? year : year - rng_int(r, 4, 30);
    t->cat = young ? (rng_chance(r, 0.6) ? 3 : 2) : draw_cat(r);
    t->admin = !young && rng_chance(r, 0.08);
    t->mentor = !young && t->cat <= 1 && rng_chance(r, 0.22);
    t->load = t->admin ? rng_int(r, 4, 12) : rng_int(r, 16, 32);
    t->active = 1;
}

static int teacher_year(demo_ctx *c, const school *sc, teacher *t, int y, rng *r)
{
    char code[48], data[400];
    int young = y - t->since < 3;
    snprintf(code, sizeof code, "t%s-%03d", sc->code + 3, t->num);
    snprintf(data, sizeof data,
             "{\"burnout_diag\":%d,\"category\":\"%s\",\"contest\":%d,\"deficits_diag\":%d,"
             "\"has_mentor\":%d,\"load_hours\":%.0f,\"mentor\":%d,\"position\":\"%s\","
             "\"young\":%d}",
             rng_chance(r, 0.4), CATS[t->cat], rng_chance(r, 0.1), rng_chance(r, 0.6),
             young && rng_chance(r, 0.85), t->load, t->mentor, t->admin ? "admin" : "teacher",
             young);
    if (put(c, "teacher", y, sc, code, code, data))
        return -1;
    if (!rng_chance(r, young ? 0.6 : 0.35))
        return 0;
    /* seed 001 п. 9.1: повышение квалификации — курсы в учебном году (сентябрь y-1 … май y) */
    static const char *const PROGRAMS[][2] = {
        {"Оценка образовательных результатов по ФГОС", "assessment"},
        {"Методика подготовки к ГИА по предмету", "subject"},
        {"Работа с обучающимися с ОВЗ", "methods"},
        {"Воспитательная работа классного руководителя", "upbringing"},
        {"Наставничество в образовательной организации", "methods"},
        {"Управление качеством образования в школе", "management"},
        {"Содержание и методика преподавания предмета", "subject"},
    };
    static const int HOURS[] = {16, 24, 36, 36, 72, 108};
    int p = rng_int(r, 0, (int)(sizeof PROGRAMS / sizeof PROGRAMS[0]) - 1);
    int month = rng_int(r, 1, 9), day = rng_int(r, 1, 20);
    int cal_month = month <= 4 ? month + 8 : month - 4, cal_year = month <= 4 ? y - 1 : y;
    char key[300];
    snprintf(data, sizeof data,
             "{\"end\":\"%04d-%02d-%02d\",\"hours\":%d,\"program\":\"%s\","
             "\"start\":\"%04d-%02d-%02d\",\"topic\":\"%s\"}",
             cal_year, cal_month, day + 7, HOURS[rng_int(r, 0, 5)], PROGRAMS[p][0], cal_year,
             cal_month, day, PROGRAMS[p][1]);
    snprintf(key, sizeof key, "%s|%s|%04d-%02d-%02d", code, PROGRAMS[p][0], cal_year, cal_month,
             day);
    return put(c, "teacher_course", y, sc, code, key, data);
}

static int others_year(demo_ctx *c, const school *sc, const teacher *t, int n, int y, rng *r)
{
    static const char *const ROLES[] = {"gia_expert", "vpr_expert", "observer", "olympiad_jury"};
    static const char *const SUBJ[] = {"математика", "русский язык",   "физика", "биология",
                                       "история",    "обществознание", "химия",  "английский язык"};
    static const char *const DIRS[] = {"training",   "shnor",       "talents",
                                       "career",     "objectivity", "heads",
                                       "methodical", "dpo",         "upbringing"};
    static const char *const PRACT[] = {
        "Школьная лаборатория олимпиадной подготовки", "Наставничество «педагог — педагог»",
        "Индивидуальные образовательные маршруты",     "Профильные пробы для 9 классов",
        "Внутришкольная система оценки качества",      "Клуб молодого учителя"};
    char code[48], key[120], data[600];
    for (int i = 0; i < n; i++) {
        if (!t[i].active || t[i].cat > 1 || !rng_chance(r, 0.12))
            continue;
        const char *role = ROLES[rng_int(r, 0, 3)];
        snprintf(code, sizeof code, "t%s-%03d", sc->code + 3, t[i].num);
        snprintf(key, sizeof key, "%s|%s", code, role);
        snprintf(data, sizeof data, "{\"role\":\"%s\",\"subjects\":\"%s\"}", role,
                 SUBJ[rng_int(r, 0, 7)]);
        if (put(c, "expert", y, sc, code, key, data))
            return -1;
    }
    for (int i = 0, k = 0; i < n && k < 2; i++) /* п. 7.4: резерв из опытных педагогов */
        if (t[i].active && t[i].cat == 0 && y - t[i].since > 8 && rng_chance(r, 0.08)) {
            snprintf(code, sizeof code, "t%s-%03d", sc->code + 3, t[i].num);
            const char *pos = rng_chance(r, 0.3) ? "director" : "deputy";
            snprintf(key, sizeof key, "%s|%s", code, pos);
            snprintf(data, sizeof data,
                     "{\"included\":\"%04d-%02d-01\",\"position\":\"%s\",\"trained\":%d}", y - 1,
                     rng_int(r, 9, 12), pos, rng_chance(r, 0.5));
            if (put(c, "reserve", y, sc, code, key, data))
                return -1;
            k++;
        }
    int np = rng_chance(r, 0.35) + rng_chance(r, 0.1);
    for (int i = 0; i < np; i++) {
        const char *name = PRACT[rng_int(r, 0, 5)];
        snprintf(data, sizeof data,
                 "{\"description\":\"Практика школы %s, %d/%d учебный год\","
                 "\"direction\":\"%s\"}",
                 sc->code, y - 1, y, DIRS[rng_int(r, 0, 8)]);
        if (put(c, "practice", y, sc, name, name, data))
            return -1;
    }
    return 0;
}

int demo_registries(demo_ctx *c)
{
    for (int si = 0; si < c->nschools; si++) {
        const school *sc = &c->schools[si];
        rng r;
        rng_seed(&r, sc->seed ^ UINT64_C(0x9e3779b97f4a7c15));
        int n0 = school_pupils(sc) / 12;
        if (n0 < 4)
            n0 = 4;
        int cap = n0 * 2 + 8, n = 0;
        teacher *t = msk_calloc((size_t)cap, sizeof *t);
        for (; n < n0; n++)
            hire(&t[n], n + 1, c->o->year_from - rng_int(&r, 0, 2), &r, rng_chance(&r, 0.10));
        int rc = 0;
        for (int y = c->o->year_from; y <= c->o->year_to && !rc; y++) {
            if (y > c->o->year_from)
                for (int i = 0; i < n; i++) {
                    if (!t[i].active)
                        continue;
                    if (rng_chance(&r, 0.035)) { /* leaves; a young specialist comes */
                        t[i].active = 0;
                        if (n < cap) {
                            hire(&t[n], n + 1, y, &r, 1);
                            n++;
                        }
                    } else if (t[i].cat > 0 && rng_chance(&r, 0.08))
                        t[i].cat = t[i].cat == 3 ? 2 : t[i].cat - 1; /* аттестация */
                }
            for (int i = 0; i < n && !rc; i++)
                if (t[i].active)
                    rc = teacher_year(c, sc, &t[i], y, &r);
            if (!rc)
                rc = others_year(c, sc, t, n, y, &r);
        }
        free(t);
        if (rc)
            return -1;
    }
    return 0;
}
