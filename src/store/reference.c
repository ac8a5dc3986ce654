/*
 * Reference data written by `msoko init`: procedure kinds, subjects with stable codes and
 * Russian names, the default scales of METHODS.md §3 (year 0 = any year without its own
 * table; analysts load each year's table over them), and the context data elements named in
 * the import templates (seed 002 §3.2).
 */
#include "store/internal.h"

#include "base/vocab.h"

#include <math.h>
#include <stdio.h>

/* Names come from the vocabulary (base/vocab.c), the one wording of every page and report. */
static const struct {
    const char *code, *type;
} KINDS[] = {
    {"VPR", "mark"},   {"OGE", "mark"},         {"EGE", "test_score"}, {"GVE9", "mark"},
    {"GVE11", "mark"}, {"RKR", "mark"},         {"MKR", "mark"},       {"NIKO", "mark"},
    {"DIAG", "mark"},  {"ESSAY", "pass"},       {"INTERVIEW", "pass"}, {"VSOSH", "place"},
    {"OGE_T", "mark"}, {"EGE_T", "test_score"}, {"META", "mark"},      {"READY", "mark"},
};

#define NA NAN
#define NO STORE_NONE
/* The documents the default scales come from, as a person names them on the procedure page
 * («шкала по умолчанию (…)»); METHODS.md §3 has the figures. Migration 11 rewrites the older
 * wording of a database made before. */
#define SRC_VPR "описание проверочной работы ВПР 2021 (ФИОКО)"
#define SRC_OGE "рекомендуемая шкала перевода первичных баллов ОГЭ в отметки (ФИПИ)"
#define SRC_EGE "минимальные баллы ЕГЭ, установленные Рособрнадзором"
#define SRC_EGE_BASE "шкала перевода первичных баллов ЕГЭ по базовой математике в отметки (ФИПИ)"
static const struct {
    const char *kind, *subject;
    int grade;
    double max, m3, m4, m5;
    int min_test;
    const char *source;
} SCALES[] = {
    /* METHODS.md §3: ВПР 2021, official «Описание» documents */
    {"VPR", "math", 4, 20, 6, 10, 15, NO, SRC_VPR},
    {"VPR", "rus", 4, 38, 14, 24, 33, NO, SRC_VPR},
    {"VPR", "math", 5, 20, 7, 11, 15, NO, SRC_VPR},
    {"VPR", "rus", 5, 45, 18, 29, 39, NO, SRC_VPR},
    {"VPR", "math", 6, 16, 6, 10, 14, NO, SRC_VPR},
    {"VPR", "rus", 6, 51, 25, 35, 45, NO, SRC_VPR},
    {"VPR", "math", 7, 19, 7, 12, 16, NO, SRC_VPR},
    {"VPR", "rus", 7, 47, 22, 32, 42, NO, SRC_VPR},
    {"VPR", "math", 8, 25, 8, 15, 21, NO, SRC_VPR},
    {"VPR", "rus", 8, 51, 26, 32, 45, NO, SRC_VPR},
    /* other ВПР subjects used by the demo: inference, to be replaced by the year's table */
    {"VPR", "bio", 5, 29, 12, 18, 24, NO, "по умолчанию (уточните по описанию года)"},
    {"VPR", "hist", 5, 15, 4, 8, 12, NO, "по умолчанию (уточните по описанию года)"},
    {"VPR", "okr", 4, 32, 8, 18, 26, NO, "по умолчанию (уточните по описанию года)"},
    /* ВПР 11 (by decision of the school; the demo writes it): inference from the «Описание»
     * documents of 2021–2022, to be replaced by the year's table */
    {"VPR", "hist", 11, 21, 7, 13, 18, NO, "по умолчанию (уточните по описанию года)"},
    {"VPR", "bio", 11, 30, 12, 18, 24, NO, "по умолчанию (уточните по описанию года)"},
    {"VPR", "geo", 11, 21, 8, 14, 19, NO, "по умолчанию (уточните по описанию года)"},
    {"VPR", "phys", 11, 26, 8, 14, 20, NO, "по умолчанию (уточните по описанию года)"},
    {"VPR", "chem", 11, 33, 11, 20, 28, NO, "по умолчанию (уточните по описанию года)"},
    /* METHODS.md §3: ОГЭ */
    {"OGE", "math", 9, 31, 8, 15, 22, NO, SRC_OGE},
    {"OGE", "rus", 9, 33, 15, 23, 29, NO, SRC_OGE},
    {"OGE", "phys", 9, 45, 11, 23, 34, NO, "по умолчанию (уточните по году)"},
    {"OGE", "chem", 9, 40, 10, 21, 31, NO, "по умолчанию (уточните по году)"},
    {"OGE", "bio", 9, 48, 13, 25, 37, NO, "по умолчанию (уточните по году)"},
    {"OGE", "inf", 9, 19, 5, 11, 16, NO, "по умолчанию (уточните по году)"},
    {"OGE", "soc", 9, 37, 14, 24, 31, NO, "по умолчанию (уточните по году)"},
    {"OGE", "geo", 9, 31, 12, 19, 25, NO, "по умолчанию (уточните по году)"},
    {"OGE", "eng", 9, 68, 29, 46, 58, NO, "по умолчанию (уточните по году)"},
    {"OGE", "hist", 9, 37, 11, 21, 30, NO, "по умолчанию (уточните по году)"},
    /* METHODS.md §3: ЕГЭ minimum test scores; the test score is 0..100 */
    {"EGE", "rus", 11, 100, NA, NA, NA, 24, SRC_EGE},
    {"EGE", "math_prof", 11, 100, NA, NA, NA, 27, SRC_EGE},
    {"EGE", "phys", 11, 100, NA, NA, NA, 36, SRC_EGE},
    {"EGE", "chem", 11, 100, NA, NA, NA, 36, SRC_EGE},
    {"EGE", "bio", 11, 100, NA, NA, NA, 36, SRC_EGE},
    {"EGE", "inf", 11, 100, NA, NA, NA, 40, SRC_EGE},
    {"EGE", "hist", 11, 100, NA, NA, NA, 32, SRC_EGE},
    {"EGE", "lit", 11, 100, NA, NA, NA, 32, SRC_EGE},
    {"EGE", "geo", 11, 100, NA, NA, NA, 37, SRC_EGE},
    {"EGE", "soc", 11, 100, NA, NA, NA, 42, SRC_EGE},
    {"EGE", "eng", 11, 100, NA, NA, NA, 22, SRC_EGE},
    /* base mathematics gives a mark: max 21, marks from 7 / 12 / 17 (METHODS.md §3, inference) */
    {"EGE", "math_base", 11, 21, 7, 12, 17, NO, SRC_EGE_BASE},
};

static const struct {
    const char *code, *name, *type, *unit;
    double min, max;
} ELEMENTS[] = {
    /* seed 002 §3.2, table: material base */
    {"internet", "Скоростной интернет", "bool", "", 0, 1},
    {"computers", "Компьютерное оборудование для учебного процесса", "bool", "", 0, 1},
    {"lab_phys", "Лабораторное оборудование по физике", "bool", "", 0, 1},
    {"lab_chem", "Лабораторное оборудование по химии", "bool", "", 0, 1},
    {"lab_bio", "Лабораторное оборудование по биологии", "bool", "", 0, 1},
    {"lab_geo", "Оборудование по географии", "bool", "", 0, 1},
    {"lab_tech", "Оборудование по технологии", "bool", "", 0, 1},
    /* staff */
    {"teachers_total", "Педагогов всего", "count", "чел.", 0, NA},
    {"teachers_36h", "Педагогов с нагрузкой 36 часов и более", "count", "чел.", 0, NA},
    {"teachers_unqualified",
     "Педагогов, не имеющих диплома о переподготовке по преподаваемому предмету", "count", "чел.",
     0, NA},
    /* contingent */
    {"pupils_total", "Обучающихся всего", "count", "чел.", 0, NA},
    {"pupils_registered", "Обучающихся на профилактическом учёте", "count", "чел.", 0, NA},
    {"pupils_ovz", "Обучающихся с ОВЗ", "count", "чел.", 0, NA},
    {"pupils_inofon", "Обучающихся-инофонов", "count", "чел.", 0, NA},
    {"pupils_absentee", "Обучающихся, систематически пропускающих занятия", "count", "чел.", 0, NA},
    {"pupils_failing", "Неуспевающих обучающихся", "count", "чел.", 0, NA},
    /* seed 003 п. 1.1: «с учетом количества обучающихся, оставленных на повторное обучение»;
     * seed 001 п. 2.11: «начавших и завершивших обучение по программам СОО» — 10th graders of
     * one year against 11th graders of the next (view/gia.c) */
    {"pupils_repeaters", "Обучающихся, оставленных на повторное обучение", "count", "чел.", 0, NA},
    {"pupils_grade10", "Обучающихся 10 классов", "count", "чел.", 0, NA},
    {"pupils_grade11", "Обучающихся 11 классов", "count", "чел.", 0, NA},
};

int store_seed_reference(store *s, msk_err *err)
{
    db_stmt *st = NULL;
    int rc = -1;
    if (db_prepare(s->db,
                   "INSERT OR REPLACE INTO proc_kind(code,name,result_type,ord)"
                   " VALUES(?,?,?,?)",
                   &st) != DB_OK)
        goto dberr;
    for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++) {
        db_reset(st);
        store_bind_text(st, 1, KINDS[i].code);
        store_bind_text(st, 2, vocab_label(VOCAB_PROC_KIND, KINDS[i].code));
        store_bind_text(st, 3, KINDS[i].type);
        db_bind_int(st, 4, (int)i);
        if (db_step(st) != DB_DONE)
            goto dberr;
    }
    db_finalize(st);
    if (db_prepare(s->db, "INSERT OR REPLACE INTO subject(code,name,ord) VALUES(?,?,?)", &st) !=
        DB_OK)
        goto dberr;
    size_t nsub;
    const vocab_entry *sub = vocab_entries(VOCAB_SUBJECT, &nsub);
    for (size_t i = 0; i < nsub; i++) {
        db_reset(st);
        store_bind_text(st, 1, sub[i].code);
        store_bind_text(st, 2, sub[i].label);
        db_bind_int(st, 3, (int)i);
        if (db_step(st) != DB_DONE)
            goto dberr;
    }
    db_finalize(st);
    st = NULL;
    for (size_t i = 0; i < sizeof SCALES / sizeof SCALES[0]; i++) {
        store_scale sc = {0,
                          SCALES[i].kind,
                          SCALES[i].subject,
                          SCALES[i].grade,
                          SCALES[i].max,
                          SCALES[i].m3,
                          SCALES[i].m4,
                          SCALES[i].m5,
                          SCALES[i].min_test,
                          SCALES[i].source};
        if (store_scale_put(s, &sc, NULL, err))
            goto out;
    }
    for (size_t i = 0; i < sizeof ELEMENTS / sizeof ELEMENTS[0]; i++) {
        store_element e = {ELEMENTS[i].code, ELEMENTS[i].name, ELEMENTS[i].type,
                           ELEMENTS[i].unit, ELEMENTS[i].min,  ELEMENTS[i].max};
        if (store_element_put(s, &e, err))
            goto out;
    }
    if (store_meta_set(s, "initialised", "1", err))
        goto out;
    rc = 0;
    goto out;
dberr:
    msk_error(err, "ошибка базы данных %s (справочники): %s", s->path, db_errmsg(s->db));
out:
    db_finalize(st);
    return rc;
}
