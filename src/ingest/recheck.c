/*
 * The experts' file of a re-check round into the store (see ingest/recheck.h). Moved here from
 * the CLI so that the command only parses options; the table comes from the shared CSV/XLSX
 * readers (ingest/table.h) and the header row is matched by the TPL_RECHECK template.
 */
#include "ingest/recheck.h"

#include "base/mem.h"
#include "base/sheet.h"
#include "ingest/csv.h"
#include "ingest/header.h"
#include "ingest/xlsx.h"
#include "store/recheck.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int blank(const char *c)
{
    for (; *c; c++)
        if (*c != ' ' && *c != '\t')
            return 0;
    return 1;
}

static const char *cell(const tbl_reader *r, int col)
{
    return col >= 0 && (size_t)col < r->ncells ? r->cells[col] : "";
}

/* Trimmed copy of a code cell. */
static void code_of(const char *c, char *out, size_t outsz)
{
    while (*c == ' ' || *c == '\t')
        c++;
    if (c[0] == '\'' && sheet_risky(c + 1)) /* the sample list neutralised it (base/sheet.h) */
        c++;
    snprintf(out, outsz, "%s", c);
    size_t n = strlen(out);
    while (n && (out[n - 1] == ' ' || out[n - 1] == '\t' || out[n - 1] == '\r'))
        out[--n] = '\0';
}

typedef struct imp {
    const char *path; /* the reader's file name, for messages */
    store_recheck_round round;
    store_scale scale;
    int have_scale;
    store_recheck_work *works;
    int64_t *ids;
    size_t nworks;
    tbl_reader *rd;
    hdr_map map;
    int *task_idx; /* per task column of the file: index in round.tasks */
    store_recheck_score *scores;
    unsigned char *blobs; /* nworks × round.ntasks */
    unsigned char *seen;  /* per work: row already read */
    size_t nscores;
} imp;

static int find_header(imp *m, msk_err *err)
{
    for (int seen = 0; seen < 30;) {
        int rc = tbl_next(m->rd, err);
        if (rc < 0)
            return -1;
        if (rc == 0)
            break;
        int empty = 1;
        for (size_t c = 0; c < m->rd->ncells && empty; c++)
            empty = blank(m->rd->cells[c]);
        if (empty)
            continue;
        seen++;
        hdr_map_release(&m->map);
        int n = hdr_match_row(TPL_RECHECK, m->rd->cells, m->rd->ncells, &m->map);
        if (n >= 2 && m->map.field_col[F_SCHOOL_CODE] >= 0 && m->map.field_col[F_PUPIL_CODE] >= 0)
            return 0;
    }
    return msk_error_at(err, m->path, 0, 0,
                        "не найдена строка заголовков: нужны столбцы «Код ОО» и «Код участника» "
                        "и баллы (задания, «Первичный балл» или «Отметка»)");
}

static int map_tasks(imp *m, msk_err *err)
{
    if (m->map.ntasks == 0 && m->map.field_col[F_PRIMARY_SCORE] < 0 && m->map.field_col[F_MARK] < 0)
        return msk_error_at(err, m->path, m->rd->row, 0,
                            "нет баллов экспертов: нужны столбцы заданий («1», «2» …), "
                            "«Первичный балл» или «Отметка»");
    m->task_idx = msk_calloc(m->map.ntasks + 1, sizeof *m->task_idx);
    for (size_t t = 0; t < m->map.ntasks; t++) {
        int col = m->map.task_cols[t];
        const char *label = m->map.cols[col].task_label;
        m->task_idx[t] = -1;
        for (size_t k = 0; k < m->round.ntasks; k++)
            if (strcmp(m->round.tasks[k].label, label) == 0)
                m->task_idx[t] = (int)k;
        if (m->task_idx[t] < 0)
            return msk_error_at(err, m->path, m->rd->row, col + 1,
                                "задания «%s» нет в процедуре %s %s %d класс", label, m->round.kind,
                                m->round.subject, m->round.grade);
    }
    return 0;
}

static int mark_of(const store_scale *sc, double primary)
{
    return primary >= sc->mark5 ? 5 : primary >= sc->mark4 ? 4 : primary >= sc->mark3 ? 3 : 2;
}

/* One row of the experts' file into m->scores. */
static int read_row(imp *m, msk_err *err)
{
    const tbl_reader *r = m->rd;
    int csch = m->map.field_col[F_SCHOOL_CODE], cpup = m->map.field_col[F_PUPIL_CODE];
    int cprim = m->map.field_col[F_PRIMARY_SCORE], cmark = m->map.field_col[F_MARK];
    char school[64], pupil[64];
    size_t w;
    code_of(cell(r, csch), school, sizeof school);
    code_of(cell(r, cpup), pupil, sizeof pupil);
    for (w = 0; w < m->nworks; w++)
        if (strcmp(m->works[w].school_code, school) == 0 &&
            strcmp(m->works[w].pupil_code, pupil) == 0)
            break;
    if (w == m->nworks)
        return msk_error_at(err, m->path, r->row, cpup + 1,
                            "работы «%s» школы «%s» нет в раунде %lld: проверьте коды по списку "
                            "работ (msoko recheck sample)",
                            pupil, school, (long long)m->round.id);
    if (m->seen[w])
        return msk_error_at(err, m->path, r->row, cpup + 1, "работа «%s» школы «%s» указана дважды",
                            pupil, school);
    m->seen[w] = 1;
    store_recheck_score *sc = &m->scores[m->nscores++];
    sc->result_id = m->ids[w];
    sc->primary = NAN;
    sc->mark = STORE_NONE;
    double sum = 0;
    int any_task = 0;
    if (m->map.ntasks && m->round.ntasks) {
        unsigned char *b = m->blobs + w * m->round.ntasks;
        memset(b, STORE_TASK_X, m->round.ntasks);
        for (size_t t = 0; t < m->map.ntasks; t++) {
            int col = m->map.task_cols[t];
            const store_recheck_task *task = &m->round.tasks[m->task_idx[t]];
            double v;
            int st = val_number(cell(r, col), &v);
            if (st == VAL_EMPTY || st == VAL_X)
                continue;
            if (st < 0 || v < 0 || v != floor(v) || v > 254 ||
                (task->max_score >= 0 && v > task->max_score))
                return msk_error_at(err, m->path, r->row, col + 1,
                                    "балл за задание %s «%s»: нужно целое число от 0 до %d",
                                    task->label, cell(r, col),
                                    task->max_score >= 0 ? task->max_score : 254);
            b[m->task_idx[t]] = (unsigned char)v;
            sum += v;
            any_task = 1;
        }
        sc->tasks = b;
        sc->ntasks = m->round.ntasks;
    }
    if (cprim >= 0) {
        double v;
        int st = val_number(cell(r, cprim), &v);
        double max = m->have_scale ? m->scale.max_primary : 1e9;
        if (st == 0 && v >= 0 && v <= max)
            sc->primary = v;
        else if (st != VAL_EMPTY)
            return msk_error_at(err, m->path, r->row, cprim + 1,
                                "первичный балл «%s»: нужно число от 0 до %g", cell(r, cprim), max);
    }
    if (isnan(sc->primary) && any_task)
        sc->primary = sum; /* not given: the sum of the task scores */
    if (cmark >= 0) {
        long v;
        int st = val_int(cell(r, cmark), 2, 5, &v);
        if (st == 0)
            sc->mark = (int)v;
        else if (st != VAL_EMPTY)
            return msk_error_at(err, m->path, r->row, cmark + 1,
                                "отметка «%s»: нужно 2, 3, 4 или 5", cell(r, cmark));
    }
    if (sc->mark == STORE_NONE) {
        if (isnan(sc->primary) || !m->have_scale || isnan(m->scale.mark3))
            return msk_error_at(err, m->path, r->row, cmark >= 0 ? cmark + 1 : 0,
                                "нет отметки эксперта и её не из чего вычислить: укажите "
                                "«Отметка» или баллы по шкале процедуры");
        sc->mark = mark_of(&m->scale, sc->primary);
    }
    return 0;
}

static int import_rows(store *s, imp *m, msk_err *err)
{
    int rc;
    if (find_header(m, err) || map_tasks(m, err))
        return -1;
    m->scores = msk_calloc(m->nworks + 1, sizeof *m->scores);
    m->seen = msk_calloc(m->nworks + 1, 1);
    m->blobs = msk_calloc(m->nworks * (m->round.ntasks ? m->round.ntasks : 1) + 1, 1);
    while ((rc = tbl_next(m->rd, err)) > 0) {
        int empty = 1;
        for (size_t c = 0; c < m->rd->ncells && empty; c++)
            empty = blank(m->rd->cells[c]);
        if (!empty && read_row(m, err))
            return -1;
    }
    if (rc < 0)
        return -1;
    if (m->nscores == 0)
        return msk_error_at(err, m->path, 0, 0, "в файле нет ни одной работы");
    /* inside the caller's transaction (app_recheck_import, with its audit row) */
    return store_recheck_scores_put(s, m->round.id, m->scores, m->nscores, err);
}

int ingest_recheck_read(store *s, int64_t round_id, tbl_reader *rd, size_t *loaded, size_t *works,
                        msk_err *err)
{
    imp m;
    memset(&m, 0, sizeof m);
    m.rd = rd;
    m.path = rd->file;
    *loaded = *works = 0;
    int rc = -1;
    int got = store_recheck_round_get(s, round_id, &m.round, err);
    if (got > 0)
        msk_error(err, "раунда перепроверки %lld нет в базе", (long long)round_id);
    if (got)
        goto out;
    m.have_scale = store_scale_find(s, m.round.year, m.round.kind, m.round.subject, m.round.grade,
                                    &m.scale, NULL) == 0;
    if (store_recheck_works(s, m.round.id, &m.works, &m.ids, &m.nworks, err) ||
        import_rows(s, &m, err))
        goto out;
    *loaded = m.nscores;
    *works = m.nworks;
    rc = 0;
out:
    hdr_map_release(&m.map);
    free(m.task_idx);
    free(m.scores);
    free(m.blobs);
    free(m.seen);
    free(m.works);
    free(m.ids);
    store_recheck_round_release(&m.round);
    return rc;
}

int ingest_recheck_file(store *s, int64_t round_id, const char *path, size_t *loaded, size_t *works,
                        msk_err *err)
{
    tbl_reader *rd = NULL;
    *loaded = *works = 0;
    if (tbl_open(path, NULL, &rd, err))
        return -1;
    int rc = ingest_recheck_read(s, round_id, rd, loaded, works, err);
    tbl_free(rd);
    return rc;
}
