/*
 * Templates and header matching: which canonical column (a stable English name, a contract
 * with other tools) each column of a user's file holds, whatever Russian or legacy header it
 * carries (issue "Import", docs/import.md). Matching ignores case, spaces, punctuation and
 * ё/е. Also: task-score columns ("1", "2.1", «балл за 3», «1 (1б)», "a-1-grade", "t9.1"),
 * finding the header row below title rows, the ФИС ОКО «Ф1» title line, and cell values
 * ("X", «отсутствовал», decimal commas, да/нет).
 */
#ifndef MSK_HEADER_H
#define MSK_HEADER_H

#include <stddef.h>
#include <stdint.h>

typedef enum tpl_kind {
    TPL_SCHOOLS,
    TPL_RESULTS,
    TPL_AGGREGATES,
    TPL_CONTEXT,   /* long (year, school_code, element, value) or wide (one column per element) */
    TPL_OLYMPIADS, /* per pupil, or team standings (year, stage, school_code, team_place) */
    TPL_GRADUATES,
    TPL_PLAN,
    TPL_RECHECK,  /* experts' re-check scores: pupil_code, school_code, task columns */
    TPL_SCALES,   /* a procedure's scale of a year: boundaries, minimum, primary → test pairs */
    TPL_LISTS,    /* external lists: ФИОКО ШНОР, federal/regional non-objectivity lists */
    TPL_CONTESTS, /* contests: level, title, result, a pupil or a teacher by code */
    TPL_COUNT
} tpl_kind;

/* "schools", "results", … (the --kind names); NULL for an invalid kind. */
const char *tpl_kind_name(tpl_kind k);
/* Parse a --kind name; returns 0 or -1. */
int tpl_kind_parse(const char *name, tpl_kind *out);

typedef enum hdr_field {
    F_NONE = -1,
    F_YEAR,
    F_KIND,
    F_SUBJECT,
    F_GRADE,
    F_SCHOOL_CODE,
    F_CLASS,
    F_PUPIL_CODE,
    F_VARIANT,
    F_PRIMARY_SCORE,
    F_MARK,
    F_TEST_SCORE,
    F_JOURNAL_MARK,
    F_RETAKE,
    F_PAST_GRADUATE,
    F_OVZ,
    F_ABSENT,
    F_NAME,
    F_TYPE,
    F_LOCALITY,
    F_LEVELS,       /* schools */
    F_MUNICIPALITY, /* schools: the municipality's code or name (issue 17 item 2) */
    F_PARTICIPANTS,
    F_MARK2,
    F_MARK3,
    F_MARK4,
    F_MARK5,
    F_BELOW_MIN,  /* aggregates */
    F_MEAN_SCORE, /* aggregates: the mean test score (a benchmark row's, seed 001) */
    F_ELEMENT,
    F_VALUE, /* context, long */
    F_STAGE,
    F_STATUS,
    F_SCORE,
    F_TEAM_PLACE, /* olympiads */
    F_ATTESTAT,
    F_MEDAL,
    F_DESTINATION, /* graduates */
    F_SECTION,
    F_NUMBER,
    F_TEXT,
    F_DEADLINE,
    F_RESPONSIBLE,
    F_RESULT,
    F_STATUS_PLAN, /* plan */
    F_MAX_PRIMARY,
    F_CUT3,
    F_CUT4,
    F_CUT5,
    F_MIN_TEST,
    F_SOURCE, /* scales */
    F_LIST,
    F_REASON, /* external lists */
    F_LEVEL,
    F_CONTEST,
    F_TEACHER_CODE, /* contests */
    F_PASS, /* results: «зачёт»/«незачёт» of итоговое сочинение, собеседование */
    F_TASK, /* a task-score column; the task label is in hdr_col.task_label */
    F_PERSONAL, /* Фамилия, Имя, Отчество, ФИО, дата рождения: dropped on import, never stored */
    F_IGNORED, /* known columns we do not keep: регион, пол, номер обучающегося, Код МСУ, Код
                  ППЭ, аудитория, № п/п … */
    F_COUNT
} hdr_field;

/* The canonical English name of a field ("school_code"), "" for F_TASK/F_PERSONAL/F_IGNORED. */
const char *hdr_field_name(hdr_field f);
/* Is the field required for this template (tpl_def.required of ingest/template.c: the file is
 * refused without it)? Fields that the caller may supply from options (year, kind, subject,
 * grade for results) are not required here; import.c checks them after options and the title
 * line are applied, and tpl_def.needed ones (results' pupil code) after the header is found. */
int hdr_field_required(tpl_kind k, hdr_field f);

/* The header words people write for field f in template k, as the alias table holds them
 * (docs/import.md lists them), not counting the canonical name: up to cap of them into out;
 * returns how many there are. 0 for a field the template does not have. */
size_t hdr_field_aliases(tpl_kind k, hdr_field f, const char **out, size_t cap);

typedef struct hdr_col {
    hdr_field field;
    char task_label[16]; /* F_TASK: "1", "2.1", "9.1" */
    int task_max;        /* F_TASK: maximum from «1 (1б)» → 1, else -1 */
} hdr_col;

typedef struct hdr_map {
    size_t ncols;
    hdr_col *cols;          /* ncols entries, owned; release with hdr_map_release */
    int field_col[F_COUNT]; /* 0-based column of each field, -1 when absent (first wins) */
    size_t ntasks;          /* task columns in file order */
    int *task_cols;         /* owned */
    size_t nunknown;        /* columns that matched nothing (for context: element candidates) */
    int matched;            /* number of columns that matched a canonical field of the kind */
} hdr_map;

/* Normalise a header or value for matching: UTF-8 lower case (Latin and Cyrillic), ё → е,
 * every character that is not a letter or digit removed. Writes at most outsz-1 bytes and a
 * NUL; returns the length written. */
size_t hdr_normalize(const char *in, char *out, size_t outsz);

/* Match one header cell for a template: fills col (field F_NONE when nothing matches). */
void hdr_match_cell(tpl_kind k, const char *cell, hdr_col *col);

/* Match a whole row as the header of template k. Returns the number of cells that matched a
 * field of k (F_TASK counts; F_PERSONAL/F_IGNORED count too, as they prove this is a header).
 * out is filled (and owned by the caller) whatever the count; release it with
 * hdr_map_release before reusing it. The caller picks the header row as the first of the
 * first 30 rows where the count is >= 2 and the row holds the school_code column (or, for
 * TPL_PLAN, the text column). */
int hdr_match_row(tpl_kind k, char *const *cells, size_t n, hdr_map *out);
void hdr_map_release(hdr_map *m);

/* The ФИС ОКО «Ф1» title line, e.g. «ВПР 2023 Математика 5 класс», «ВПР. Русский язык.
 * 4 класс. 2022 г.», «ОГЭ 2024 математика». Returns 1 and fills the fields it found
 * (the others stay 0 / ""), or 0 when the cell is not a title. kind is a stable code ("VPR",
 * "OGE", "EGE", "GVE9", "GVE11", "RKR", "MKR", "NIKO", "DIAG"), subject a subject code
 * ("math", "rus", "bio", …). */
typedef struct hdr_title {
    int year, grade;
    char kind[8], subject[16];
} hdr_title;
int hdr_parse_title(const char *cell, hdr_title *t);

/* Procedure kind and subject words as users write them: «ВПР», «впр», "VPR" → "VPR";
 * «Математика», «математика (профильный уровень)», "math" → "math" / "math_prof".
 * Return 0 and write the code (NUL-terminated, outsz >= 16), or -1 when unknown. */
int hdr_kind_code(const char *text, char *out, size_t outsz);
int hdr_subject_code(const char *text, char *out, size_t outsz);

/* ---- cell values ---- */
enum { VAL_EMPTY = 1, VAL_X = 2 }; /* positive statuses below */
/* Parse a number with a decimal point or comma, optional spaces (incl. NBSP, thin space) as
 * thousands separators, surrounding blanks. Returns 0 with *out, VAL_EMPTY for an empty or
 * blank cell, VAL_X for "X"/"Х"/"x"/"-" (task not attempted), -1 for text. */
int val_number(const char *cell, double *out);
/* A whole number in [lo, hi]: 0, VAL_EMPTY, or -1 (text, fraction or out of range). */
int val_int(const char *cell, long lo, long hi, long *out);
/* 1/0, да/нет, есть/нет, +/-, true/false, yes/no, имеется/отсутствует: 0 with *out, VAL_EMPTY,
 * or -1. */
int val_bool(const char *cell, int *out);
/* «отсутствовал», «не явился», «неявка», "absent", "н/я" in a variant/score cell: 1 or 0. */
int val_is_absent(const char *cell);

#endif
