/*
 * The rows of the other templates: schools, context (one value or one column per element),
 * olympiads, graduates, the roadmap.
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
#include "base/muni.h"
#include "store/municipality.h"
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

static const word SCHOOL_TYPES[] = {{"gymnasium", "gymnasium"},
                                    {"гимназия", "gymnasium"},
                                    {"lyceum", "lyceum"},
                                    {"лицей", "lyceum"},
                                    {"sosh", "sosh"},
                                    {"СОШ", "sosh"},
                                    {"средняя общеобразовательная школа", "sosh"},
                                    {"средняя школа", "sosh"},
                                    {"oosh", "oosh"},
                                    {"ООШ", "oosh"},
                                    {"основная общеобразовательная школа", "oosh"},
                                    {"основная школа", "oosh"},
                                    {"nosh", "nosh"},
                                    {"НОШ", "nosh"},
                                    {"начальная общеобразовательная школа", "nosh"},
                                    {"начальная школа", "nosh"},
                                    {"special", "special"},
                                    {"специальная", "special"},
                                    {"коррекционная", "special"},
                                    {"специальная (коррекционная)", "special"},
                                    {NULL, NULL}};

static const word LOCALITIES[] = {{"urban", "urban"}, {"городская", "urban"},
                                  {"город", "urban"}, {"городская местность", "urban"},
                                  {"rural", "rural"}, {"сельская", "rural"},
                                  {"село", "rural"},  {"сельская местность", "rural"},
                                  {NULL, NULL}};

/* The municipality a school row names (code or name, issue 17 item 2) into *id: one that none
 * has is created with the next free numeric code, and named in the report for the audit. A row
 * that names none goes to the installation's only municipality (the first import of an empty
 * one creates it after methods/municipality.ini's place), else to none: 0 in *id. 0 or -1 with
 * the row's error reported. */
static int row_municipality(imp *m, int64_t *id)
{
    char text[STORE_MUNI_NAME];
    store_municipality mu;
    msk_err e;
    *id = 0;
    imp_trimmed(imp_cell(m, F_MUNICIPALITY), text, sizeof text);
    int rc;
    if (!text[0]) {
        store_municipality *all = NULL;
        size_t n = 0;
        if (store_municipality_list(m->s, &all, &n, &e))
            goto fail;
        if (n == 1)
            *id = all[0].id;
        free(all);
        if (n)
            return 0;
        snprintf(text, sizeof text, "%s", muni_place());
    }
    if ((rc = store_municipality_find(m->s, text, &mu, &e)) < 0)
        goto fail;
    if (rc == 0) {
        *id = mu.id;
        return 0;
    }
    char code[STORE_MUNI_CODE];
    if (store_municipality_free_code(m->s, code, &e) ||
        store_municipality_add(m->s, code, text, id, &e))
        goto fail;
    msk_buf_printf(&m->rep->munis_added, "%s\t%s\n", code, text);
    return 0;
fail:
    imp_row_error(m, m->rd->row, imp_col(m, F_MUNICIPALITY), "%s", e.msg);
    return -1;
}

int import_row_school(imp *m)
{
    char code[64], name[512], levels[64];
    const char *type, *loc;
    int64_t id = 0, existing = 0;
    int ok = 1;
    imp_trimmed(imp_cell(m, F_SCHOOL_CODE), code, sizeof code);
    imp_trimmed(imp_cell(m, F_NAME), name, sizeof name);
    imp_trimmed(imp_cell(m, F_LEVELS), levels, sizeof levels);
    if (!code[0]) {
        imp_row_error(m, m->rd->row, imp_col(m, F_SCHOOL_CODE), "не указан код школы");
        ok = 0;
    }
    if (!name[0]) {
        imp_row_error(m, m->rd->row, imp_col(m, F_NAME), "не указано наименование школы");
        ok = 0;
    }
    type = imp_word_code(SCHOOL_TYPES, imp_cell(m, F_TYPE) ? imp_cell(m, F_TYPE) : "");
    if (!type) {
        imp_row_error(m, m->rd->row, imp_col(m, F_TYPE),
                      "неизвестный тип школы «%s»: допустимы гимназия, лицей, СОШ, ООШ, НОШ, "
                      "специальная (gymnasium, lyceum, sosh, oosh, nosh, special)",
                      imp_cell(m, F_TYPE) ? imp_cell(m, F_TYPE) : "");
        ok = 0;
    }
    loc = imp_word_code(LOCALITIES, imp_cell(m, F_LOCALITY) ? imp_cell(m, F_LOCALITY) : "");
    if (!loc) {
        imp_row_error(m, m->rd->row, imp_col(m, F_LOCALITY),
                      "неизвестная местность «%s»: допустимы городская или сельская (urban, rural)",
                      imp_cell(m, F_LOCALITY) ? imp_cell(m, F_LOCALITY) : "");
        ok = 0;
    }
    if (!ok)
        return 0;
    int is_new = store_school_id(m->s, code, &existing) != 0;
    store_school sc = {code, name, type, loc, levels};
    msk_err e;
    if (store_school_put(m->s, &sc, &id, &e)) {
        imp_row_error(m, m->rd->row, 0, "%s", e.msg);
        return 0;
    }
    if (is_new && store_school_mark_batch(m->s, id, m->rep->batch_id, &e)) {
        imp_row_error(m, m->rd->row, 0, "%s", e.msg);
        return 0;
    }
    /* a re-imported school keeps its municipality unless the file names one */
    int64_t muni = 0;
    const char *named = imp_cell(m, F_MUNICIPALITY);
    if ((is_new || (named && *named)) && row_municipality(m, &muni))
        return 0;
    if (muni && store_school_set_municipality(m->s, id, muni, &e)) {
        imp_row_error(m, m->rd->row, 0, "%s", e.msg);
        return 0;
    }
    if (!is_new)
        m->rep->rows_replaced++;
    m->rep->rows_loaded++;
    return 0;
}

/* ---- context ----------------------------------------------------------------------------- */

static int put_value(imp *m, const char *element, int64_t school, long year, const char *text,
                     int col)
{
    char type[16], period[16];
    double lo, hi, x = NAN;
    const char *tv = NULL;
    if (store_element_info(m->s, element, type, &lo, &hi)) {
        imp_row_error(m, m->rd->row, col,
                      "неизвестный показатель «%s»: список показателей — в "
                      "docs/import.md",
                      element);
        return 0;
    }
    if (imp_blank(text))
        return 0; /* an empty cell of a wide form: nothing reported */
    if (strcmp(type, "bool") == 0) {
        int b;
        if (val_bool(text, &b)) {
            imp_row_error(m, m->rd->row, col,
                          "показатель «%s»: ожидается да/нет (1/0), получено «%s»", element, text);
            return 0;
        }
        x = b;
    } else if (strcmp(type, "text") == 0) {
        tv = text;
    } else {
        int rc = val_number(text, &x);
        int count = strcmp(type, "count") == 0; /* counts without a maximum took 1e308 */
        if (rc || x < lo || x > hi || (count && (x != floor(x) || x > VAL_MAX_COUNT))) {
            imp_row_error(
                m, m->rd->row, col, "показатель «%s»: ожидается %s, получено «%s»", element,
                count ? "целое неотрицательное число (не больше 10 000 000)" : "число", text);
            return 0;
        }
    }
    snprintf(period, sizeof period, "%ld", year);
    msk_err e;
    if (store_value_put(m->s, element, school, period, x, tv, m->rep->batch_id, &e))
        return -1;
    m->rep->rows_loaded++;
    return 0;
}

int imp_file_year(imp *m, long *year)
{
    int rc = imp_int(m, F_YEAR, 2000, 2100, 0, "год", year);
    if (rc < 0)
        return -1;
    long own = *year ? *year : m->title.year;
    if (own && m->o->year && own != m->o->year) {
        if (!m->year_conflict)
            imp_row_error(m, m->rd->row, rc > 0 ? imp_col(m, F_YEAR) : 0,
                          "в файле указан %ld год, а для загрузки выбран %d: оставьте год «из "
                          "файла» или исправьте год в файле",
                          own, m->o->year);
        else
            m->rep->errors++;
        m->year_conflict = 1;
        return -1;
    }
    *year = own ? own : m->o->year;
    return 0;
}

int imp_row_year(imp *m, long *year)
{
    if (imp_file_year(m, year))
        return -1;
    if (!*year) {
        imp_row_error(m, m->rd->row, 0, "не указан год: добавьте столбец «Год» или укажите --year");
        return -1;
    }
    return 0;
}

int import_row_context(imp *m)
{
    long year = 0;
    int64_t school = 0;
    int bad = imp_row_year(m, &year) != 0;
    if (imp_school(m, &school))
        bad = 1;
    if (bad)
        return 0;
    if (m->map.field_col[F_ELEMENT] >= 0) {
        char el[64];
        imp_trimmed(imp_cell(m, F_ELEMENT), el, sizeof el);
        return put_value(m, el, school, year, imp_cell(m, F_VALUE), imp_col(m, F_VALUE));
    }
    for (size_t c = 0; c < m->rd->ncells && c < m->map.ncols; c++) {
        if (m->wide_elem[c] < 0)
            continue;
        if (put_value(m, m->elem_code[m->wide_elem[c]], school, year, m->rd->cells[c], (int)c + 1))
            return -1;
    }
    return 0;
}

/* ---- olympiads, graduates, plan ----------------------------------------------------------- */

static const word STAGES[] = {{"school", "school"},       {"школьный", "school"},
                              {"municipal", "municipal"}, {"муниципальный", "municipal"},
                              {"regional", "regional"},   {"региональный", "regional"},
                              {"final", "final"},         {"заключительный", "final"},
                              {"всероссийский", "final"}, {NULL, NULL}};
static const word STATUSES[] = {{"winner", "winner"},           {"победитель", "winner"},
                                {"prizewinner", "prizewinner"}, {"призёр", "prizewinner"},
                                {"призер", "prizewinner"},      {"participant", "participant"},
                                {"участник", "participant"},    {NULL, NULL}};
static const word DESTINATIONS[] = {{"grade10", "grade10"},
                                    {"10 класс", "grade10"},
                                    {"10-й класс", "grade10"},
                                    {"продолжил обучение в 10 классе", "grade10"},
                                    {"spo", "spo"},
                                    {"СПО", "spo"},
                                    {"колледж", "spo"},
                                    {"техникум", "spo"},
                                    {"vo", "vo"},
                                    {"ВО", "vo"},
                                    {"вуз", "vo"},
                                    {"ВПО", "vo"},
                                    {"work", "work"},
                                    {"работа", "work"},
                                    {"работает", "work"},
                                    {"none", "none"},
                                    {"не учится и не работает", "none"},
                                    {"не определился", "none"},
                                    {"нет", "none"},
                                    {NULL, NULL}};
/* Plan statuses are the vocabulary's codes and names (base/vocab.c); these are other ways
 * people write them. */
static const word PLAN_STATUSES[] = {{"планируется", "planned"},
                                     {"в работе", "in_progress"},
                                     {"исполнено", "done"},
                                     {"не выполнено", "overdue"},
                                     {NULL, NULL}};

/* The code of domain d whose code or name is text (after normalisation), or NULL. */
static const char *vocab_word(vocab_domain d, const char *text)
{
    char n[128], w[128];
    size_t ne;
    const vocab_entry *e = vocab_entries(d, &ne);
    hdr_normalize(text, n, sizeof n);
    for (size_t i = 0; i < ne; i++) {
        hdr_normalize(e[i].code, w, sizeof w);
        if (strcmp(n, w) == 0)
            return e[i].code;
        hdr_normalize(e[i].label, w, sizeof w);
        if (strcmp(n, w) == 0)
            return e[i].code;
    }
    return NULL;
}

static const char *word_field(imp *m, hdr_field f, const word *tab, const char *what,
                              const char *allowed, int required)
{
    const char *c = imp_cell(m, f);
    if (imp_blank(c)) {
        if (required)
            imp_row_error(m, m->rd->row, imp_col(m, f), "не указано: %s", what);
        return NULL;
    }
    const char *code = imp_word_code(tab, c);
    if (!code)
        imp_row_error(m, m->rd->row, imp_col(m, f), "%s: неизвестное значение «%s» (допустимы: %s)",
                      what, c, allowed);
    return code;
}

int import_row_olympiad(imp *m)
{
    long year = 0, grade = 0, place = 0;
    int64_t school = 0;
    int bad = imp_row_year(m, &year) != 0;
    if (imp_school(m, &school))
        bad = 1;
    const char *stage = word_field(m, F_STAGE, STAGES, "этап",
                                   "школьный, муниципальный, региональный, заключительный", 1);
    bad |= stage == NULL;
    msk_err e;
    if (m->map.field_col[F_PUPIL_CODE] < 0) { /* team standings */
        if (imp_int(m, F_TEAM_PLACE, 1, 10000, 0, "командное место", &place) < 0)
            bad = 1;
        else if (!place) {
            imp_row_error(m, m->rd->row, imp_col(m, F_TEAM_PLACE), "не указано командное место");
            bad = 1;
        }
        if (bad)
            return 0;
        if (store_team_put(m->s, (int)year, stage, school, (int)place, m->rep->batch_id, &e))
            return -1;
        m->rep->rows_loaded++;
        return 0;
    }
    char subject[16] = "", pupil[64];
    const char *sc = imp_cell(m, F_SUBJECT);
    if (imp_blank(sc) || hdr_subject_code(sc, subject, sizeof subject)) {
        imp_row_error(m, m->rd->row, imp_col(m, F_SUBJECT), "неизвестный предмет «%s»",
                      sc ? sc : "");
        bad = 1;
    }
    if (imp_int(m, F_GRADE, 1, 11, 0, "класс", &grade) < 0)
        bad = 1;
    else if (!grade) {
        imp_row_error(m, m->rd->row, imp_col(m, F_GRADE), "не указан класс");
        bad = 1;
    }
    imp_trimmed(imp_cell(m, F_PUPIL_CODE), pupil, sizeof pupil);
    if (!pupil[0]) {
        imp_row_error(m, m->rd->row, imp_col(m, F_PUPIL_CODE), "не указан код участника");
        bad = 1;
    }
    const char *status =
        word_field(m, F_STATUS, STATUSES, "статус", "победитель, призёр, участник", 1);
    bad |= status == NULL;
    double score = NAN;
    const char *scc = imp_cell(m, F_SCORE);
    if (!imp_blank(scc) && (val_number(scc, &score) || score < 0)) {
        imp_row_error(m, m->rd->row, imp_col(m, F_SCORE), "балл: ожидается число, получено «%s»",
                      scc);
        bad = 1;
    }
    if (bad)
        return 0;
    uint64_t key =
        ((uint64_t)year << 48) ^
        ((uint64_t)(stage[0] + 31 * subject[0] + 7 * subject[1] + 3 * subject[2]) << 32) ^
        (uint64_t)school;
    if (imp_first(m, key ^ 0x5555))
        if (store_olympiad_clear_scope(m->s, (int)year, stage, subject, school,
                                       &m->rep->rows_replaced, &e))
            return -1;
    store_olympiad o = {(int)year, (int)grade,       stage, subject, pupil, status,
                        school,    m->rep->batch_id, score};
    if (store_olympiad_add(m->s, &o, &e)) {
        imp_row_error(m, m->rd->row, imp_col(m, F_PUPIL_CODE), "%s", e.msg);
        return 0;
    }
    m->rep->rows_loaded++;
    return 0;
}

static const word LEVELS[] = {
    {"federal", "federal"},          {"федеральный", "federal"},   {"всероссийский", "federal"},
    {"regional", "regional"},        {"региональный", "regional"}, {"краевой", "regional"},
    {"республиканский", "regional"}, {"municipal", "municipal"},   {"муниципальный", "municipal"},
    {"городской", "municipal"},      {"районный", "municipal"},    {NULL, NULL}};

/* seed 000 §VII table 1, row 7: a participant of a contest — a pupil or a teacher, by code. The
 * first row of a school and year clears what an earlier file loaded for them. */
int import_row_contest(imp *m)
{
    long year = 0;
    int64_t school = 0;
    int bad = imp_row_year(m, &year) != 0;
    if (imp_school(m, &school))
        bad = 1;
    const char *level = word_field(m, F_LEVEL, LEVELS, "уровень конкурса",
                                   "федеральный, региональный, муниципальный", 1);
    bad |= level == NULL;
    const char *status =
        word_field(m, F_STATUS, STATUSES, "результат", "победитель, призёр, участник", 1);
    bad |= status == NULL;
    char title[256], pupil[64], teacher[64];
    imp_trimmed(imp_cell(m, F_CONTEST), title, sizeof title);
    if (!title[0]) {
        imp_row_error(m, m->rd->row, imp_col(m, F_CONTEST), "не указано название конкурса");
        bad = 1;
    }
    imp_trimmed(imp_cell(m, F_PUPIL_CODE), pupil, sizeof pupil);
    imp_trimmed(imp_cell(m, F_TEACHER_CODE), teacher, sizeof teacher);
    if (!pupil[0] == !teacher[0]) {
        /* both: the teacher's column is the extra one; neither: the pupil's is asked first */
        int col = imp_col(m, pupil[0] || m->map.field_col[F_PUPIL_CODE] < 0 ? F_TEACHER_CODE
                                                                            : F_PUPIL_CODE);
        imp_row_error(m, m->rd->row, col,
                      pupil[0] ? "указаны и код обучающегося, и код педагога: участник один"
                               : "не указан участник: код обучающегося или код педагога");
        bad = 1;
    }
    if (bad)
        return 0;
    msk_err e;
    if (imp_first(m, ((uint64_t)year << 48) ^ (uint64_t)school ^ 0xC0C0C0C0ULL) &&
        store_contest_clear(m->s, (int)year, school, &m->rep->rows_replaced, &e))
        return -1;
    store_contest c = {(int)year, school, m->rep->batch_id,        level,
                       title,     status, pupil[0] ? pupil : NULL, teacher[0] ? teacher : NULL};
    if (store_contest_add(m->s, &c, &e))
        return -1;
    m->rep->rows_loaded++;
    return 0;
}

int import_row_graduate(imp *m)
{
    long year = 0, grade = 0;
    int64_t school = 0;
    int attestat = 0, medal = 0;
    char pupil[64];
    int bad = imp_row_year(m, &year) != 0;
    if (imp_school(m, &school))
        bad = 1;
    if (imp_int(m, F_GRADE, 9, 11, 0, "класс", &grade) < 0)
        bad = 1;
    else if (grade != 9 && grade != 11) {
        imp_row_error(m, m->rd->row, imp_col(m, F_GRADE), "класс выпуска должен быть 9 или 11");
        bad = 1;
    }
    imp_trimmed(imp_cell(m, F_PUPIL_CODE), pupil, sizeof pupil);
    if (!pupil[0]) {
        imp_row_error(m, m->rd->row, imp_col(m, F_PUPIL_CODE), "не указан код выпускника");
        bad = 1;
    }
    if (imp_bool_field(m, F_ATTESTAT, "аттестат", &attestat) < 0)
        bad = 1;
    if (imp_bool_field(m, F_MEDAL, "медаль", &medal) < 0)
        bad = 1;
    const char *dest = NULL;
    if (!imp_blank(imp_cell(m, F_DESTINATION))) {
        dest = word_field(m, F_DESTINATION, DESTINATIONS, "продолжение обучения",
                          "10 класс, СПО, ВО, работа, нет", 0);
        bad |= dest == NULL;
    }
    if (bad)
        return 0;
    msk_err e;
    if (imp_first(m, ((uint64_t)year << 40) ^ ((uint64_t)grade << 34) ^ (uint64_t)school ^ 0xAAAA))
        if (store_graduate_clear_scope(m->s, (int)year, (int)grade, school, &m->rep->rows_replaced,
                                       &e))
            return -1;
    store_graduate g = {(int)year, (int)grade,       attestat, medal,
                        school,    m->rep->batch_id, pupil,    dest};
    if (store_graduate_add(m->s, &g, &e)) {
        imp_row_error(m, m->rd->row, imp_col(m, F_PUPIL_CODE), "%s", e.msg);
        return 0;
    }
    m->rep->rows_loaded++;
    return 0;
}

static void roadmap_name(const char *path, char *out, size_t outsz)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    snprintf(out, outsz, "%s", b);
    char *dot = strrchr(out, '.');
    if (dot && dot != out)
        *dot = '\0';
}

int import_row_plan(imp *m)
{
    char roadmap[256], section[1024], number[32], text[4096], deadline[512], resp[1024],
        result[2048];
    const char *status = "planned";
    msk_err e;
    if (m->o->roadmap)
        snprintf(roadmap, sizeof roadmap, "%s", m->o->roadmap);
    else
        roadmap_name(m->file, roadmap, sizeof roadmap);
    imp_trimmed(imp_cell(m, F_TEXT), text, sizeof text);
    if (!text[0]) {
        imp_row_error(m, m->rd->row, imp_col(m, F_TEXT), "не указано содержание мероприятия");
        return 0;
    }
    imp_trimmed(imp_cell(m, F_SECTION), section, sizeof section);
    imp_trimmed(imp_cell(m, F_NUMBER), number, sizeof number);
    imp_trimmed(imp_cell(m, F_DEADLINE), deadline, sizeof deadline);
    imp_trimmed(imp_cell(m, F_RESPONSIBLE), resp, sizeof resp);
    imp_trimmed(imp_cell(m, F_RESULT), result, sizeof result);
    if (!imp_blank(imp_cell(m, F_STATUS_PLAN))) {
        status = vocab_word(VOCAB_PLAN_STATUS, imp_cell(m, F_STATUS_PLAN));
        if (!status) {
            char allowed[256] = "";
            size_t n, o = 0;
            const vocab_entry *ve = vocab_entries(VOCAB_PLAN_STATUS, &n);
            for (size_t i = 0; i < n && o < sizeof allowed; i++)
                o += (size_t)snprintf(allowed + o, sizeof allowed - o, "%s%s", i ? ", " : "",
                                      ve[i].label);
            status = word_field(m, F_STATUS_PLAN, PLAN_STATUSES, "статус", allowed, 0);
        }
        if (!status)
            return 0;
    }
    /* the due date itself is computed for every new item by store_plan_refresh_due at the end
     * of the file; here only the wording that no rule of base/deadline.h recognises is named */
    msk_deadline due;
    if (deadline_parse(deadline, m->o->year, &due))
        imp_row_warning(m, m->rd->row, imp_col(m, F_DEADLINE),
                        "срок «%s» не распознан: пункт будет без срока", deadline);
    if (!m->plan_cleared) {
        if (store_plan_progress_save(m->s, roadmap, &e) ||
            store_plan_clear_roadmap(m->s, roadmap, &m->rep->rows_replaced, &e))
            return -1;
        m->plan_cleared = 1;
        snprintf(m->rep->scope, sizeof m->rep->scope, "%s", roadmap);
    }
    store_plan p = {roadmap, section, number,          text,   deadline,
                    NULL,    resp,    result,          status, m->o->year ? m->o->year : STORE_NONE,
                    0,       0,       m->rep->batch_id};
    if (store_plan_add(m->s, &p, NULL, &e))
        return -1;
    m->rep->rows_loaded++;
    return 0;
}
