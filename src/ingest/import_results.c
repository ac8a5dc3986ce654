/*
 * The rows of results and aggregates: the procedure a row belongs to (found or created, with
 * its scale and tasks), the marks from the scale, the per-task scores.
 */
#include "ingest/import.h"
#include "ingest/import_internal.h"

#include "base/deadline.h"
#include "base/mem.h"
#include "base/vocab.h"
#include "ingest/csv.h"
#include "ingest/internal.h"
#include "ingest/validate.h"
#include "ingest/xlsx.h"
#include "store/plan.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- procedures -------------------------------------------------------------------------- */

/* The procedure of the current row, from its columns, then options, then the title line.
 * Returns the cache slot, or NULL after reporting an error. */
static proc_slot *resolve_procedure(imp *m);

/* Files hold one or a few procedures, row after row: when the four procedure cells repeat the
 * previous row's, so does the procedure. Saves resolving «ВПР», «Математика» on every row. */
proc_slot *imp_row_procedure(imp *m)
{
    static const hdr_field F[4] = {F_YEAR, F_KIND, F_SUBJECT, F_GRADE};
    const char *c[4];
    int same = m->last_proc != NULL;
    for (int i = 0; i < 4; i++) {
        c[i] = imp_cell(m, F[i]);
        if (!c[i])
            c[i] = "";
        if (same && (strlen(c[i]) >= sizeof m->last_proc_cells[i] ||
                     strcmp(c[i], m->last_proc_cells[i]) != 0))
            same = 0;
    }
    if (same)
        return m->last_proc;
    /* a school-ordered file changes procedure every few rows (72,000 times in bench/import):
     * cells seen before resolve to the slot they resolved to, without folding «ВПР» and
     * «Математика» through the lists of spellings again (6 % of the reader). The same cells
     * give the same procedure: the options and the title do not change within a file. */
    uint64_t h = 1469598103934665603ULL;
    int fits = 1;
    for (int i = 0; i < 4; i++) {
        for (const char *q = c[i]; *q; q++)
            h = (h ^ (unsigned char)*q) * 1099511628211ULL;
        h = (h ^ 0xff) * 1099511628211ULL;
        fits &= strlen(c[i]) < sizeof m->seen[0].cells[i];
    }
    for (int k = 0; fits && k < m->nseen; k++) {
        proc_seen *e = &m->seen[k];
        if (e->hash == h && !strcmp(e->cells[0], c[0]) && !strcmp(e->cells[1], c[1]) &&
            !strcmp(e->cells[2], c[2]) && !strcmp(e->cells[3], c[3])) {
            m->last_proc = e->p;
            for (int i = 0; i < 4; i++)
                memcpy(m->last_proc_cells[i], e->cells[i], sizeof m->last_proc_cells[i]);
            return m->last_proc;
        }
    }
    /* the connection is taken inside, only for a procedure the cache does not have yet:
     * taking the lock each time made the reader wait for the writer's whole block */
    m->last_proc = resolve_procedure(m);
    for (int i = 0; i < 4; i++)
        snprintf(m->last_proc_cells[i], sizeof m->last_proc_cells[i], "%s", c[i]);
    if (m->last_proc && fits && m->nseen < PROC_SEEN) {
        proc_seen *e = &m->seen[m->nseen++];
        e->hash = h;
        e->p = m->last_proc;
        for (int i = 0; i < 4; i++)
            memcpy(e->cells[i], m->last_proc_cells[i], sizeof e->cells[i]);
    }
    return m->last_proc;
}

/* The grade and subject a kind implies when the file gives none. */
static void kind_defaults(const char *kind, long *grade, char *subject, size_t subjsz)
{
    if (!*grade &&
        (strcmp(kind, "OGE") == 0 || strcmp(kind, "GVE9") == 0 || strcmp(kind, "OGE_T") == 0))
        *grade = 9;
    if (!*grade &&
        (strcmp(kind, "EGE") == 0 || strcmp(kind, "GVE11") == 0 || strcmp(kind, "EGE_T") == 0))
        *grade = 11;
    /* the readiness for school is a first-grade diagnostic (seed 001 п. 2.11) */
    if (!*grade && strcmp(kind, "READY") == 0)
        *grade = 1;
    /* a diagnostic without a subject is its own subject, as the сочинение */
    if (!subject[0] && (strcmp(kind, "META") == 0 || strcmp(kind, "READY") == 0))
        snprintf(subject, subjsz, "%s", kind[0] == 'M' ? "meta" : "ready");
    /* итоговое сочинение (изложение) is written in grade 11, the собеседование in grade 9: both
     * admit to ГИА (seed 003 п. 2.1); their subject is the procedure itself */
    if (strcmp(kind, "ESSAY") == 0 || strcmp(kind, "INTERVIEW") == 0) {
        if (!*grade)
            *grade = kind[0] == 'E' ? 11 : 9;
        if (!subject[0])
            snprintf(subject, subjsz, "%s", kind[0] == 'E' ? "essay" : "interview");
    }
}

static proc_slot *resolve_procedure(imp *m)
{
    long year = 0, grade = 0;
    char kind[16] = "", subject[16] = "";
    const char *c;
    int bad = 0;

    if (imp_file_year(m, &year))
        bad = 1;
    if ((c = imp_cell(m, F_KIND)) && !imp_blank(c)) {
        if (hdr_kind_code(c, kind, sizeof kind)) {
            imp_row_error(m, m->rd->row, imp_col(m, F_KIND),
                          "неизвестный вид процедуры «%s»: допустимы ВПР, ОГЭ, ЕГЭ, ГВЭ-9, ГВЭ-11, "
                          "РКР, МКР, НИКО, DIAG, пробный ОГЭ, пробный ЕГЭ, метапредметная "
                          "диагностика, готовность к школе",
                          c);
            bad = 1;
        }
    } else if (m->o->proc_kind) {
        hdr_kind_code(m->o->proc_kind, kind, sizeof kind);
    } else {
        snprintf(kind, sizeof kind, "%s", m->title.kind);
    }
    if ((c = imp_cell(m, F_SUBJECT)) && !imp_blank(c)) {
        if (hdr_subject_code(c, subject, sizeof subject)) {
            imp_row_error(m, m->rd->row, imp_col(m, F_SUBJECT), "неизвестный предмет «%s»", c);
            bad = 1;
        }
    } else if (m->o->subject) {
        hdr_subject_code(m->o->subject, subject, sizeof subject);
    } else {
        snprintf(subject, sizeof subject, "%s", m->title.subject);
    }
    if (imp_int(m, F_GRADE, 1, 11, 0, "класс (параллель)", &grade) < 0)
        bad = 1;
    if (!grade)
        grade = m->o->grade ? m->o->grade : m->title.grade;
    kind_defaults(kind, &grade, subject, sizeof subject);
    if (bad)
        return NULL;
    if (!year || !kind[0] || !subject[0] || !grade) {
        imp_row_error(m, m->rd->row, 0,
                      "не определена процедура (%s%s%s%s): добавьте столбцы year, kind, subject, "
                      "grade или укажите --year, --procedure, --subject, --grade",
                      year ? "" : "нет года; ", kind[0] ? "" : "нет вида процедуры; ",
                      subject[0] ? "" : "нет предмета; ", grade ? "" : "нет класса");
        return NULL;
    }
    for (int i = 0; i < m->nprocs; i++) {
        proc_slot *p = &m->procs[i];
        if (p->year == year && p->grade == grade && strcmp(p->kind, kind) == 0 &&
            strcmp(p->subject, subject) == 0)
            return p;
    }
    if (m->nprocs == PROC_CACHE) {
        imp_row_error(m, m->rd->row, 0, "в одном файле больше %d процедур: разделите файл",
                      PROC_CACHE);
        return NULL;
    }
    imp_db_lock(m); /* a new procedure: the store is asked, and the writer shares it */
    if (!store_kind_exists(m->s, kind) || !store_subject_exists(m->s, subject)) {
        imp_db_unlock(m);
        imp_row_error(m, m->rd->row, 0, "неизвестный вид процедуры «%s» или предмет «%s»", kind,
                      subject);
        return NULL;
    }
    proc_slot *p = &m->procs[m->nprocs];
    memset(p, 0, sizeof *p);
    p->year = (int)year;
    p->grade = (int)grade;
    snprintf(p->kind, sizeof p->kind, "%s", kind);
    snprintf(p->subject, sizeof p->subject, "%s", subject);
    msk_err e;
    /* created here: no stored row can be of it, so its scopes need no clearing */
    int found = store_procedure_id(m->s, p->year, p->kind, p->subject, p->grade, 0, &p->id, &e);
    p->fresh = found == 1;
    if (found < 0 || (found == 1 && store_procedure_id(m->s, p->year, p->kind, p->subject, p->grade,
                                                       1, &p->id, &e))) {
        imp_db_unlock(m);
        imp_row_error(m, m->rd->row, 0, "%s", e.msg);
        return NULL;
    }
    int64_t scale_id = 0;
    p->has_scale =
        store_scale_find(m->s, p->year, p->kind, p->subject, p->grade, &p->scale, &scale_id) == 0;
    import_scale_test_table(m->s, p->has_scale ? scale_id : 0, p->test_of, MAX_TEST_PRIMARY);
    /* a trial ЕГЭ is scored as the ЕГЭ (its scale is the ЕГЭ's: store_scale_find) */
    p->result_type_mark = (strcmp(kind, "EGE") != 0 && strcmp(kind, "EGE_T") != 0) ||
                          strcmp(subject, "math_base") == 0;
    p->pass_fail = strcmp(kind, "ESSAY") == 0 || strcmp(kind, "INTERVIEW") == 0;
    if (p->pass_fail)
        p->result_type_mark = 0;
    for (size_t t = 0; t < m->map.ntasks && t < MAX_TASKS; t++) {
        const hdr_col *hc = &m->map.cols[m->map.task_cols[t]];
        p->task_max[t] = hc->task_max;
        if (store_procedure_task_put(m->s, p->id, (int)t + 1, hc->task_label,
                                     hc->task_max >= 0 ? hc->task_max : STORE_NONE, &e)) {
            imp_db_unlock(m);
            imp_row_error(m, m->rd->row, 0, "%s", e.msg);
            return NULL;
        }
    }
    imp_db_unlock(m);
    m->nprocs++;
    if (!m->rep->scope[0]) /* in words: the history and the import page show it (issue 14 п. 5) */
        snprintf(m->rep->scope, sizeof m->rep->scope, "%s, %s, %d класс, %d",
                 vocab_label(VOCAB_PROC_KIND, p->kind), vocab_lower(VOCAB_SUBJECT, p->subject),
                 p->grade, p->year);
    else if (!strstr(m->rep->scope, "и др."))
        snprintf(m->rep->scope + strlen(m->rep->scope),
                 sizeof m->rep->scope - strlen(m->rep->scope), " и др.");
    return p;
}

static int mark_from_scale(const store_scale *sc, double primary)
{
    if (isnan(sc->mark3) || isnan(primary))
        return STORE_NONE;
    if (!isnan(sc->mark5) && primary >= sc->mark5)
        return 5;
    if (!isnan(sc->mark4) && primary >= sc->mark4)
        return 4;
    return primary >= sc->mark3 ? 3 : 2;
}

/* ---- results ----------------------------------------------------------------------------- */

/* 1 for «зачёт», 0 for «незачёт», -1 for anything else (ё folds to е, case ignored). */
static int pass_word(const char *c)
{
    static const char *const yes[] = {"зачёт",   "зачет",   "Зачёт", "Зачет", "ЗАЧЁТ", "ЗАЧЕТ",
                                      "зачтено", "Зачтено", "1",     "+",     "да",    "Да"};
    static const char *const no[] = {"незачёт", "незачет", "Незачёт",    "Незачет",
                                     "НЕЗАЧЁТ", "НЕЗАЧЕТ", "не зачтено", "Не зачтено",
                                     "0",       "-",       "нет",        "Нет"};
    char t[64];
    imp_trimmed(c, t, sizeof t);
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (strcmp(t, yes[i]) == 0)
            return 1;
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (strcmp(t, no[i]) == 0)
            return 0;
    return -1;
}

/* A diagnostic's level in the mark column (НИКО, метапредметные, читательская грамотность,
 * готовность к школе report levels, not marks): высокий 5, повышенный 4, базовый 3,
 * пониженный / недостаточный / низкий 2 — the four levels of ФИОКО's reports. 0 for another
 * word. */
static int proc_has_levels(const char *kind)
{
    static const char *const K[] = {"NIKO", "DIAG", "RKR", "MKR", "META", "READY"};
    for (size_t i = 0; i < sizeof K / sizeof K[0]; i++)
        if (strcmp(kind, K[i]) == 0)
            return 1;
    return 0;
}

static int level_word(const char *c)
{
    static const struct {
        const char *w;
        int mark;
    } L[] = {{"высокий", 5},    {"повышенный", 4},    {"базовый", 3}, {"средний", 3},
             {"пониженный", 2}, {"недостаточный", 2}, {"низкий", 2},  {"ниже базового", 2}};
    char t[64];
    imp_trimmed(c, t, sizeof t);
    /* the first letter may be capital: «Высокий» (Cyrillic capitals are 0xD0 0x90..0xAF) */
    if ((unsigned char)t[0] == 0xD0 && (unsigned char)t[1] >= 0x90 && (unsigned char)t[1] <= 0xAF) {
        unsigned c1 = (unsigned char)t[1] + 0x20;
        if (c1 <= 0xBF)
            t[1] = (char)c1;
        else {
            t[0] = (char)0xD1;
            t[1] = (char)(c1 - 0x40);
        }
    }
    for (size_t i = 0; i < sizeof L / sizeof L[0]; i++)
        if (strcmp(t, L[i].w) == 0 || (strncmp(t, L[i].w, strlen(L[i].w)) == 0 &&
                                       strcmp(t + strlen(L[i].w), " уровень") == 0))
            return L[i].mark;
    return 0;
}

/* The «зачёт/незачёт» cell into r->mark (STORE_PASS_MARK / STORE_FAIL_MARK): 0, or -1 after
 * reporting a word that is neither or a procedure that is not pass/fail. */
static int pass_value(imp *m, const proc_slot *p, store_result *r)
{
    const char *c = imp_cell(m, F_PASS);
    if (imp_blank(c))
        return 0;
    int v = pass_word(c);
    if (v < 0) {
        imp_row_error(m, m->rd->row, imp_col(m, F_PASS),
                      "зачёт/незачёт: ожидается «зачёт» или «незачёт», получено «%s»", c);
        return -1;
    }
    if (p && !p->pass_fail) {
        imp_row_error(m, m->rd->row, imp_col(m, F_PASS),
                      "«зачёт/незачёт» бывает только у итогового сочинения (изложения) и "
                      "итогового собеседования, а это %s %s %d класс",
                      p->kind, p->subject, p->grade);
        return -1;
    }
    r->mark = v ? STORE_PASS_MARK : STORE_FAIL_MARK;
    return 0;
}

/* The values of a present participant's row: variant, task scores (their sum is the primary
 * score when the file has none), primary score, mark, test score — each checked against the
 * procedure's tasks and scale. bad: the row had an error already (then the checks that need
 * the whole row are skipped); returns it, or 1 when a value has an error (reported). */
static int result_values(imp *m, const proc_slot *p, int bad, const char *vc, const char *pc,
                         const char *mc, store_result *r, unsigned char *tasks, size_t ntasks,
                         int *any_task)
{
    const int64_t row = m->rd->row;
    long lv;
    double task_sum = 0;
    if (!imp_blank(vc)) {
        if (val_int(vc, 0, 1000000, &lv) == 0)
            r->variant = (int)lv;
        else {
            imp_row_error(m, row, imp_col(m, F_VARIANT), "вариант: ожидается номер, получено «%s»",
                          vc);
            bad = 1;
        }
    }
    for (size_t t = 0; t < ntasks; t++) {
        int c = m->map.task_cols[t];
        const char *tc = (size_t)c < m->rd->ncells ? m->rd->cells[c] : "";
        double x;
        int rc = val_number(tc, &x);
        tasks[t] = STORE_TASK_X;
        if (rc == VAL_X || rc == VAL_EMPTY)
            continue;
        int max = p ? p->task_max[t] : -1;
        if (rc < 0 || x < 0 || x != floor(x) || x > 254) {
            imp_row_error(m, row, c + 1,
                          "балл за задание %s: ожидается целое число от 0%s или X, получено «%s»",
                          m->map.cols[c].task_label, max >= 0 ? " до максимума" : "", tc);
            bad = 1;
            continue;
        }
        if (max >= 0 && x > max) {
            imp_row_error(m, row, c + 1, "балл за задание %s равен %g, а максимум — %d",
                          m->map.cols[c].task_label, x, max);
            bad = 1;
            continue;
        }
        tasks[t] = (unsigned char)x;
        task_sum += x;
        *any_task = 1;
    }
    if (!imp_blank(pc)) {
        double x;
        int rc = val_number(pc, &x);
        if (rc == 0 && x >= 0)
            r->primary_score = x;
        else if (rc != VAL_EMPTY) {
            imp_row_error(m, row, imp_col(m, F_PRIMARY_SCORE),
                          "первичный балл: ожидается неотрицательное число, получено «%s»", pc);
            bad = 1;
        }
    } else if (*any_task) {
        r->primary_score = task_sum;
    }
    if (!imp_blank(mc)) {
        int lvl = 0; /* a level word is looked for only in a cell that is not a mark */
        if (val_int(mc, 2, 5, &lv) == 0)
            r->mark = (int)lv;
        else if ((lvl = level_word(mc)) != 0 && p && proc_has_levels(p->kind))
            r->mark = lvl;
        else {
            imp_row_error(m, row, imp_col(m, F_MARK),
                          lvl ? "уровень «%s» бывает только у диагностических работ (НИКО, "
                                "РКР, МКР, метапредметных, готовности к школе), а здесь нужна "
                                "отметка от 2 до 5"
                              : "отметка должна быть от 2 до 5, получено «%s»",
                          mc);
            bad = 1;
        }
    }
    if (imp_int(m, F_TEST_SCORE, 0, 100, STORE_NONE, "тестовый балл", &lv) < 0)
        bad = 1;
    r->test_score = (int)lv;
    /* no test score in the file: the year's published table, when loaded (load_bench.c) */
    if (p && r->test_score == STORE_NONE && r->primary_score >= 0 &&
        r->primary_score < MAX_TEST_PRIMARY && r->primary_score == floor(r->primary_score) &&
        p->test_of[(int)r->primary_score] >= 0)
        r->test_score = p->test_of[(int)r->primary_score];
    if (p && p->has_scale && p->result_type_mark && !isnan(r->primary_score) &&
        r->primary_score > p->scale.max_primary) {
        imp_row_error(m, row, imp_col(m, F_PRIMARY_SCORE),
                      "первичный балл %g больше максимального %g по шкале %s %s %d класс",
                      r->primary_score, p->scale.max_primary, p->kind, p->subject, p->grade);
        bad = 1;
    }
    if (p && !bad && p->has_scale && p->result_type_mark) {
        int by_scale = mark_from_scale(&p->scale, r->primary_score);
        if (r->mark == STORE_NONE)
            r->mark = by_scale;
        else if (by_scale != STORE_NONE && by_scale != r->mark)
            imp_row_warning(m, row, imp_col(m, F_MARK),
                            "отметка %d не совпадает со шкалой %s года: первичному баллу %g "
                            "соответствует отметка %d",
                            r->mark, p->scale.year ? "этого" : "по умолчанию", r->primary_score,
                            by_scale);
    }
    if (pass_value(m, p, r) < 0)
        bad = 1;
    if (!bad && isnan(r->primary_score) && r->mark == STORE_NONE && r->test_score == STORE_NONE) {
        imp_row_error(m, row, 0,
                      "нет результата: заполните первичный балл, отметку или тестовый "
                      "балл, либо отметьте участника как отсутствовавшего");
        bad = 1;
    }
    return bad;
}

/* One result row, from its cells to the writer: school, pupil, absence and flags here, the
 * values of a present participant in result_values. */
int import_row_result(imp *m)
{
    proc_slot *p = imp_row_procedure(m);
    int64_t school = 0;
    int bad = p == NULL;
    const int64_t row = m->rd->row;
    if (imp_school(m, &school))
        bad = 1;
    char pupil[64], klass[16];
    imp_trimmed(imp_cell(m, F_PUPIL_CODE), pupil, sizeof pupil);
    imp_trimmed(imp_cell(m, F_CLASS), klass, sizeof klass);
    if (!pupil[0]) {
        imp_row_error(m, row, imp_col(m, F_PUPIL_CODE), "не указан код участника");
        bad = 1;
    }
    store_result r = {0};
    r.variant = r.mark = r.test_score = r.journal_mark = STORE_NONE;
    r.primary_score = NAN;
    int absent = 0, v;
    if (imp_bool_field(m, F_ABSENT, "отсутствовал", &absent) < 0)
        bad = 1;
    const char *vc = imp_cell(m, F_VARIANT);
    if (!imp_blank(vc) && val_is_absent(vc))
        absent = 1;
    const char *pc = imp_cell(m, F_PRIMARY_SCORE);
    if (!imp_blank(pc) && val_is_absent(pc))
        absent = 1;
    const char *mc = imp_cell(m, F_MARK);
    if (!imp_blank(mc) && val_is_absent(mc))
        absent = 1;
    const char *fc = imp_cell(m, F_PASS);
    if (!imp_blank(fc) && val_is_absent(fc))
        absent = 1;
    if (imp_bool_field(m, F_RETAKE, "пересдача", &v) < 0)
        bad = 1;
    r.retake = v;
    if (imp_bool_field(m, F_PAST_GRADUATE, "выпускник прошлых лет", &v) < 0)
        bad = 1;
    r.past_graduate = v;
    if (imp_bool_field(m, F_OVZ, "ОВЗ", &v) < 0)
        bad = 1;
    r.ovz = v;
    long lv;
    if (imp_int(m, F_JOURNAL_MARK, 1, 5, STORE_NONE, "отметка по журналу", &lv) < 0)
        bad = 1;
    r.journal_mark = (int)lv;

    unsigned char tasks[MAX_TASKS];
    size_t ntasks = m->map.ntasks < MAX_TASKS ? m->map.ntasks : MAX_TASKS;
    int any_task = 0;
    if (!absent)
        bad = result_values(m, p, bad, vc, pc, mc, &r, tasks, ntasks, &any_task);
    if (bad)
        return 0;
    msk_err e;
    if (m->w && m->cur->n + 2 > WBLOCK_ROWS && imp_writer_push(m))
        return -1;
    /* a scope of a procedure this file created holds no stored rows: nothing to replace (a
     * DELETE per scope was 5 % of the writer's time on a school-ordered file) */
    if (imp_first(m, (uint64_t)p->id << 32 ^ (uint64_t)school) && !p->fresh) {
        if (m->w) {
            wrec *c = &m->cur->rec[m->cur->n++];
            c->clear = 1;
            c->r.procedure_id = p->id;
            c->r.school_id = school;
        } else if (store_result_clear_scope(m->s, p->id, school, &m->rep->rows_replaced, &e)) {
            return -1;
        }
    }
    r.procedure_id = p->id;
    r.school_id = school;
    r.batch_id = m->rep->batch_id;
    r.class_name = klass;
    r.pupil_code = pupil;
    r.absent = absent;
    if (!absent && any_task) {
        r.tasks = tasks;
        r.ntasks = ntasks;
    }
    if (m->w) {
        wrec *c = &m->cur->rec[m->cur->n++];
        c->clear = 0;
        c->row = row;
        c->col = imp_col(m, F_PUPIL_CODE);
        memcpy(c->pupil, pupil, sizeof c->pupil);
        memcpy(c->klass, klass, sizeof c->klass);
        c->r = r;
        c->r.pupil_code = c->pupil;
        c->r.class_name = c->klass;
        if (r.tasks) {
            memcpy(c->tasks, tasks, ntasks);
            c->r.tasks = c->tasks;
        }
        m->rep->rows_loaded++;
        if (absent)
            m->rep->rows_absent++;
        return 0;
    }
    if (store_result_add(m->s, &r, &e)) {
        if (strstr(e.msg, "уже есть"))
            imp_row_error(m, row, imp_col(m, F_PUPIL_CODE),
                          "участник «%s» уже встречался в этой процедуре в файле%s", pupil,
                          r.retake ? " (как пересдача)" : ": повтор строки");
        else
            imp_row_error(m, row, 0, "%s", e.msg);
        return 0;
    }
    m->rep->rows_loaded++;
    if (absent)
        m->rep->rows_absent++;
    return 0;
}

/* ---- aggregates -------------------------------------------------------------------------- */

int import_row_aggregate(imp *m)
{
    const char *level;
    if (m->map.field_col[F_SCHOOL_CODE] >= 0 &&
        import_bench_level(imp_cell(m, F_SCHOOL_CODE), &level))
        return import_row_bench(m, level); /* an RF, region or municipality row (load_bench.c) */
    proc_slot *p = imp_row_procedure(m);
    int64_t school = 0;
    int bad = p == NULL;
    long part, k[4], below;
    if (imp_school(m, &school))
        bad = 1;
    if (imp_int(m, F_PARTICIPANTS, 0, 1000000, -1, "число участников", &part) < 0)
        bad = 1;
    else if (part < 0) {
        imp_row_error(m, m->rd->row, imp_col(m, F_PARTICIPANTS), "не указано число участников");
        bad = 1;
    }
    const hdr_field mf[4] = {F_MARK2, F_MARK3, F_MARK4, F_MARK5};
    long sum = 0;
    for (int i = 0; i < 4; i++) {
        char what[32];
        snprintf(what, sizeof what, "число отметок «%d»", i + 2);
        if (imp_int(m, mf[i], 0, 1000000, STORE_NONE, what, &k[i]) < 0)
            bad = 1;
        else if (k[i] != STORE_NONE)
            sum += k[i];
    }
    if (imp_int(m, F_BELOW_MIN, 0, 1000000, STORE_NONE, "ниже минимального порога", &below) < 0)
        bad = 1;
    if (!bad && sum > part) {
        imp_row_error(m, m->rd->row, imp_col(m, F_PARTICIPANTS),
                      "сумма отметок (%ld) больше числа участников (%ld)", sum, part);
        bad = 1;
    }
    if (!bad && below != STORE_NONE && below > part) {
        imp_row_error(m, m->rd->row, imp_col(m, F_BELOW_MIN),
                      "не преодолевших порог (%ld) больше, чем участников (%ld)", below, part);
        bad = 1;
    }
    if (bad)
        return 0;
    store_aggregate a = {p->id,     school,    m->rep->batch_id, (int)part, (int)k[0],
                         (int)k[1], (int)k[2], (int)k[3],        (int)below};
    msk_err e;
    if (store_aggregate_put(m->s, &a, &e))
        return -1;
    m->rep->rows_loaded++;
    return 0;
}
