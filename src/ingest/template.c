/*
 * The template table (see template.h): one row per import template. A new template is one
 * row here, its value in enum tpl_kind and its loader in import.c (docs/templates.md).
 */
#include "ingest/template.h"

#include "ingest/internal.h"

#include <stdio.h>
#include <string.h>

#define B(f) TPL_BIT(f)

_Static_assert(F_COUNT <= 64, "a template's fields are bits of a uint64_t");

const tpl_def TPL[] =
    {
        [TPL_SCHOOLS] =
            {
                .name = "schools",
                .label = "Школы",
                .fields = B(F_SCHOOL_CODE) | B(F_NAME) | B(F_TYPE) | B(F_LOCALITY) | B(F_LEVELS) |
                          B(F_MUNICIPALITY),
                .required = B(F_SCHOOL_CODE) | B(F_NAME),
                .anchor = B(F_SCHOOL_CODE),
                .row = import_row_school,
                .undo = {"school"},
            },
        /* ГИА sheets from РЦОИ carry no pupil code and a «Ф1» form no year, so only the school is
         * required to recognise the header (--school may stand for it); the pupil code is needed
         * all the same, and import.c demands a score (primary, mark, test or tasks). */
        [TPL_RESULTS] =
            {
                .name = "results",
                .label = "Результаты",
                .fields = B(F_YEAR) | B(F_KIND) | B(F_SUBJECT) | B(F_GRADE) | B(F_SCHOOL_CODE) |
                          B(F_CLASS) | B(F_PUPIL_CODE) | B(F_VARIANT) | B(F_PRIMARY_SCORE) |
                          B(F_MARK) | B(F_TEST_SCORE) | B(F_JOURNAL_MARK) | B(F_RETAKE) |
                          B(F_PAST_GRADUATE) | B(F_OVZ) | B(F_ABSENT) | B(F_PASS) | B(F_TASK),
                .required = B(F_SCHOOL_CODE),
                .needed = B(F_PUPIL_CODE),
                .anchor = B(F_SCHOOL_CODE) | B(F_PUPIL_CODE),
                .row = import_row_result,
                .start = import_start_results,
                .undo = {"result"},
            },
        [TPL_AGGREGATES] =
            {
                .name = "aggregates",
                .label = "Сводные результаты",
                .fields = B(F_YEAR) | B(F_KIND) | B(F_SUBJECT) | B(F_GRADE) | B(F_SCHOOL_CODE) |
                          B(F_PARTICIPANTS) | B(F_MARK2) | B(F_MARK3) | B(F_MARK4) | B(F_MARK5) |
                          B(F_BELOW_MIN) | B(F_MEAN_SCORE),
                .required = B(F_SCHOOL_CODE) | B(F_PARTICIPANTS),
                .anchor = B(F_SCHOOL_CODE),
                .row = import_row_aggregate, /* RF, region, municipality rows: benchmarks */
                .undo = {"result_aggregate", "benchmark"},
            },
        /* long (year, school_code, element, value) or wide (one column per element) */
        [TPL_CONTEXT] =
            {
                .name = "context",
                .label = "Контекстные данные",
                .fields = B(F_YEAR) | B(F_SCHOOL_CODE) | B(F_ELEMENT) | B(F_VALUE),
                .required = B(F_SCHOOL_CODE),
                .anchor = B(F_SCHOOL_CODE),
                .row = import_row_context,
                .start = import_start_context,
                .undo = {"data_value"},
            },
        /* per pupil, or team standings (year, stage, school_code, team_place) */
        [TPL_OLYMPIADS] =
            {
                .name = "olympiads",
                .label = "Олимпиады",
                .fields = B(F_YEAR) | B(F_STAGE) | B(F_SUBJECT) | B(F_GRADE) | B(F_SCHOOL_CODE) |
                          B(F_PUPIL_CODE) | B(F_STATUS) | B(F_SCORE) | B(F_TEAM_PLACE),
                .required = B(F_SCHOOL_CODE),
                .anchor = B(F_SCHOOL_CODE),
                .row = import_row_olympiad,
                .undo = {"olympiad_result", "olympiad_team"},
            },
        [TPL_GRADUATES] =
            {
                .name = "graduates",
                .label = "Выпускники",
                .fields = B(F_YEAR) | B(F_GRADE) | B(F_SCHOOL_CODE) | B(F_PUPIL_CODE) |
                          B(F_ATTESTAT) | B(F_MEDAL) | B(F_DESTINATION),
                .required = B(F_SCHOOL_CODE) | B(F_PUPIL_CODE),
                .anchor = B(F_SCHOOL_CODE),
                .row = import_row_graduate,
                .undo = {"graduate_outcome"},
            },
        [TPL_PLAN] =
            {
                .name = "plan",
                .label = "План мероприятий",
                .fields = B(F_SECTION) | B(F_NUMBER) | B(F_TEXT) | B(F_DEADLINE) |
                          B(F_RESPONSIBLE) | B(F_RESULT) | B(F_STATUS_PLAN),
                .required = B(F_TEXT),
                .anchor = B(F_TEXT),
                .row = import_row_plan,
                .finish = import_finish_plan,
                .undo = {"plan_item"},
            },
        /* experts' re-check scores, loaded into a re-check round by ingest/recheck.c */
        [TPL_RECHECK] =
            {
                .name = "recheck",
                .label = "Перепроверка работ",
                .fields = B(F_SCHOOL_CODE) | B(F_PUPIL_CODE) | B(F_VARIANT) | B(F_PRIMARY_SCORE) |
                          B(F_MARK) | B(F_TASK),
                .required = B(F_SCHOOL_CODE) | B(F_PUPIL_CODE),
                .anchor = B(F_SCHOOL_CODE) | B(F_PUPIL_CODE),
                .elsewhere = "файлы перепроверки загружаются командой «msoko recheck»",
            },
        /* a year's scale: a row with the maximum and boundaries, rows of primary → test pairs
         * (the same columns, or blank ones); overrides the defaults of msoko init (year 0) */
        [TPL_SCALES] =
            {
                .name = "scales",
                .label = "Шкалы перевода баллов",
                .fields = B(F_YEAR) | B(F_KIND) | B(F_SUBJECT) | B(F_GRADE) | B(F_MAX_PRIMARY) |
                          B(F_CUT3) | B(F_CUT4) | B(F_CUT5) | B(F_MIN_TEST) | B(F_PRIMARY_SCORE) |
                          B(F_TEST_SCORE) | B(F_SOURCE),
                .required = B(F_KIND) | B(F_SUBJECT) | B(F_MAX_PRIMARY),
                .anchor = B(F_MAX_PRIMARY),
                .row = import_row_scale,
                .undo = {"scale_point", "scale"},
            },
        /* lists of schools formed by others: ФИОКО's ШНОР, federal and regional lists of
         * schools with signs of non-objective results (seed 002 §2.1; seed 001) */
        [TPL_LISTS] =
            {
                .name = "lists",
                .label = "Внешние списки школ",
                .fields = B(F_YEAR) | B(F_SCHOOL_CODE) | B(F_LIST) | B(F_REASON),
                .required = B(F_SCHOOL_CODE) | B(F_LIST),
                .anchor = B(F_LIST),
                .row = import_row_list,
                .undo = {"external_list"},
            },
        /* seed 000 §VII table 1, row 7: contests of the federal, regional and municipal level;
         * a row is a pupil or a teacher (by code) with the result; a file replaces the year's
         * contests of each school it names */
        [TPL_CONTESTS] =
            {
                .name = "contests",
                .label = "Конкурсы",
                .fields = B(F_YEAR) | B(F_SCHOOL_CODE) | B(F_LEVEL) | B(F_CONTEST) | B(F_STATUS) |
                          B(F_PUPIL_CODE) | B(F_TEACHER_CODE),
                .required = B(F_SCHOOL_CODE) | B(F_LEVEL) | B(F_CONTEST) | B(F_STATUS),
                .anchor = B(F_CONTEST),
                .row = import_row_contest,
                .undo = {"contest"},
            },
};

_Static_assert(sizeof TPL / sizeof TPL[0] == TPL_COUNT, "one row per tpl_kind");

const tpl_def *tpl_get(tpl_kind k)
{
    return (unsigned)k < TPL_COUNT ? &TPL[k] : NULL;
}

int tpl_importable(tpl_kind k)
{
    const tpl_def *t = tpl_get(k);
    return t && t->row != NULL;
}

const char *tpl_kind_name(tpl_kind k)
{
    const tpl_def *t = tpl_get(k);
    return t ? t->name : NULL;
}

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* ASCII case-insensitive equality (--kind names are ASCII). */
static int ascii_ieq(const char *a, const char *b)
{
    while (*a && *b && ascii_lower((unsigned char)*a) == ascii_lower((unsigned char)*b))
        a++, b++;
    return *a == '\0' && *b == '\0';
}

int tpl_kind_parse(const char *name, tpl_kind *out)
{
    if (!name)
        return -1;
    for (int k = 0; k < TPL_COUNT; k++) {
        if (ascii_ieq(name, TPL[k].name)) {
            if (out)
                *out = (tpl_kind)k;
            return 0;
        }
    }
    return -1;
}

const char *const *tpl_undo_tables(const char *kind)
{
    tpl_kind k;
    return tpl_kind_parse(kind, &k) == 0 && TPL[k].row ? TPL[k].undo : NULL;
}

const char *tpl_kind_list(char *out, size_t outsz)
{
    size_t o = 0;
    if (!out || outsz == 0)
        return out;
    out[0] = '\0';
    for (int k = 0; k < TPL_COUNT; k++) {
        if (!tpl_importable((tpl_kind)k))
            continue;
        int n = snprintf(out + o, outsz - o, "%s%s", o ? ", " : "", TPL[k].name);
        if (n < 0 || (size_t)n >= outsz - o) { /* whole names only */
            out[o] = '\0';
            break;
        }
        o += (size_t)n;
    }
    return out;
}
