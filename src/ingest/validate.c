/*
 * Value checks shared by every import template (see validate.h). The name rule is the
 * delicate one: it must catch what offices actually paste into a code column (a full name,
 * a surname with initials, a bare surname) and never refuse a real code, which always has a
 * digit, or is one word in capitals or lower case (ФИС ОКО, РЦОИ and school codes).
 */
#include "ingest/validate.h"

#include "ingest/encoding.h"
#include "ingest/internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- characters ------------------------------------------------------------------------- */

enum { CH_OTHER, CH_UPPER, CH_LOWER, CH_DIGIT };

/* Decode one UTF-8 character at s (valid UTF-8 assumed); returns its length, *cp the code. */
static size_t utf8_next(const unsigned char *s, unsigned *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0 && s[1]) {
        *cp = (unsigned)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
        return 2;
    }
    if ((s[0] & 0xF0) == 0xE0 && s[1] && s[2]) {
        *cp = (unsigned)(s[0] & 0x0F) << 12 | (unsigned)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
        return 3;
    }
    if (s[1] && s[2] && s[3]) {
        *cp = (unsigned)(s[0] & 0x07) << 18 | (unsigned)(s[1] & 0x3F) << 12 |
              (unsigned)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
        return 4;
    }
    *cp = 0xFFFD;
    return 1;
}

static int is_cyrillic(unsigned cp)
{
    return cp >= 0x400 && cp <= 0x4FF;
}

/* Letter case of Latin, Latin-1 and Cyrillic letters; everything else is CH_OTHER. */
static int ch_class(unsigned cp)
{
    if (cp >= '0' && cp <= '9')
        return CH_DIGIT;
    if (cp >= 'A' && cp <= 'Z')
        return CH_UPPER;
    if (cp >= 'a' && cp <= 'z')
        return CH_LOWER;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
        return CH_UPPER;
    if (cp >= 0xDF && cp <= 0xFF && cp != 0xF7)
        return CH_LOWER;
    if (cp >= 0x400 && cp <= 0x42F) /* Ѐ–Џ, А–Я */
        return CH_UPPER;
    if (cp >= 0x430 && cp <= 0x45F) /* а–я, ѐ–џ */
        return CH_LOWER;
    if (cp >= 0x460 && cp <= 0x4FF && cp != 0x482 && !(cp >= 0x483 && cp <= 0x489))
        return cp % 2 ? CH_LOWER : CH_UPPER; /* Ѣ ѣ, Ә ә, Ө ө …: upper/lower in pairs */
    return CH_OTHER;
}

/* ---- the name rule ---------------------------------------------------------------------- */

enum { TOK_BAD, TOK_WORD, TOK_INITIALS };

typedef struct tok_info {
    int kind;
    int capitalised; /* TOK_WORD: upper then lower letters (each hyphen part) */
    int cyrillic;    /* TOK_WORD: Cyrillic letters only */
} tok_info;

/* Classify s[0..n): a word of letters (inner '-' or apostrophe allowed, ≥ 2 letters), or
 * initials: one to three capital letters each followed by '.', the last dot optional («П.А.»,
 * «П.», «П.А», «П»). Anything with a digit or other character is TOK_BAD. */
static tok_info classify(const unsigned char *s, size_t n)
{
    tok_info t = {TOK_BAD, 0, 0};
    size_t i = 0, letters = 0, caps = 0, dots = 0;
    int latin = 0, cyr = 0, cap_ok = 1, part_start = 1, prev_letter = 0;
    int init_ok = 1;
    while (i < n) {
        unsigned cp;
        i += utf8_next(s + i, &cp);
        int c = ch_class(cp);
        if (c == CH_UPPER || c == CH_LOWER) {
            letters++;
            if (is_cyrillic(cp))
                cyr = 1;
            else if (cp > 0x7F || !strchr("aceopxyABCEHKMOPTX", (int)cp))
                latin = 1; /* a Latin letter that looks Cyrillic («Ивaнов») does not count */
            if (part_start ? c != CH_UPPER : c != CH_LOWER)
                cap_ok = 0;
            if (c == CH_UPPER)
                caps++;
            else
                init_ok = 0;
            if (prev_letter)
                init_ok = 0; /* "ПА." is not initials */
            part_start = 0, prev_letter = 1;
        } else if (cp == '.') {
            if (!prev_letter)
                return t;
            dots++, prev_letter = 0;
        } else if ((cp == '-' || cp == '\'' || cp == 0x2019) && prev_letter && i < n) {
            init_ok = 0, part_start = 1, prev_letter = 0;
        } else {
            return t;
        }
    }
    if (!letters || (latin && cyr))
        return t;
    if (dots && !(init_ok && caps <= 3 && (dots == caps || dots + 1 == caps)))
        return t; /* a dot only in initials: "a.b" (a code) is not a name */
    if (init_ok && caps <= 3 && (dots || caps == 1)) {
        t.kind = TOK_INITIALS;
        return t;
    }
    if (letters < 2)
        return t;
    t.kind = TOK_WORD;
    t.capitalised = cap_ok;
    t.cyrillic = cyr;
    return t;
}

static int is_sep(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '_' || c == ',' || c == ';';
}

int val_looks_like_name(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    tok_info tok[5];
    size_t ntok = 0;
    while (*s) {
        while (*s && is_sep(*s))
            s++;
        if (s[0] == 0xC2 && s[1] == 0xA0) { /* no-break space */
            s += 2;
            continue;
        }
        if (!*s)
            break;
        const unsigned char *b = s;
        while (*s && !is_sep(*s) && !(s[0] == 0xC2 && s[1] == 0xA0))
            s++;
        if (ntok == 5)
            return 0; /* five words and more: a sentence, not a name */
        tok[ntok++] = classify(b, (size_t)(s - b));
        /* «Сидоров.П.А.» / «СидоровП.А.»: a surname glued to initials */
        if (ntok == 1 && tok[0].kind == TOK_BAD && memchr(b, '.', (size_t)(s - b))) {
            size_t len = (size_t)(s - b);
            for (size_t cut = 1; cut + 1 < len; cut++) {
                if ((b[cut] & 0xC0) == 0x80)
                    continue;
                size_t wlen = b[cut - 1] == '.' ? cut - 1 : cut;
                tok_info w = classify(b, wlen), ini = classify(b + cut, len - cut);
                if (w.kind == TOK_WORD && w.capitalised && w.cyrillic && ini.kind == TOK_INITIALS &&
                    memchr(b + cut, '.', len - cut))
                    return 1;
            }
        }
    }
    if (ntok == 0)
        return 0;
    int words = 0, initials = 0, caps = 0, cyr_words = 0, cap_cyr = 0, bad = 0;
    for (size_t i = 0; i < ntok; i++) {
        if (tok[i].kind == TOK_BAD)
            bad++;
        else if (tok[i].kind == TOK_INITIALS)
            initials++;
        else {
            words++;
            caps += tok[i].capitalised;
            cyr_words += tok[i].cyrillic;
            cap_cyr += tok[i].capitalised && tok[i].cyrillic;
        }
    }
    /* «Иванов Иван 2012», «Иванов И.И. (5А)»: a name with something beside it is still a
     * name — no code has two capitalised Russian words, or one with initials */
    if (bad)
        return ntok > 1 && (cap_cyr >= 2 || (cap_cyr >= 1 && initials >= 1));
    if (ntok == 1) /* one word: a capitalised Cyrillic word (a surname or a first name) */
        return words == 1 && caps == 1 && cyr_words == 1;
    if (!words)
        return 0; /* "А Б" */
    /* two to four words: every word Cyrillic, or capitalised, or with initials */
    return initials > 0 || caps == words || cyr_words == words;
}

/* ---- school codes ----------------------------------------------------------------------- */

int val_school_code(const char *str, char *msg, size_t msgsz)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t nchars = 0;
    while (*s) {
        unsigned cp;
        size_t l = utf8_next(s, &cp);
        int c = ch_class(cp);
        int ok = c == CH_DIGIT || c == CH_UPPER || c == CH_LOWER ||
                 (nchars > 0 && (cp == '-' || cp == '_' || cp == '.'));
        if (!ok) {
            if (nchars == 0 && (cp == '-' || cp == '_' || cp == '.'))
                snprintf(msg, msgsz,
                         "код школы начинается с «%c»: код должен начинаться с буквы или цифры",
                         (char)cp);
            else if (cp < 0x20 || cp == 0x7F)
                snprintf(msg, msgsz,
                         "в коде школы управляющий символ (0x%02X): допустимы буквы, цифры, "
                         "«-», «_» и «.»",
                         cp);
            else
                snprintf(msg, msgsz,
                         "в коде школы недопустимый символ «%.*s»: допустимы буквы, цифры, "
                         "«-», «_» и «.» (код становится частью адреса страницы школы)",
                         (int)l, (const char *)s);
            return -1;
        }
        nchars++;
        s += l;
    }
    if (nchars > VAL_MAX_SCHOOL_CODE) {
        snprintf(msg, msgsz, "код школы длиннее %d символа (%zu)", VAL_MAX_SCHOOL_CODE, nchars);
        return -1;
    }
    return 0;
}

size_t val_utf8_cut(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t m = n;
    while (m > 0 && (u[m - 1] & 0xC0) == 0x80 && n - m < 3)
        m--; /* back over continuation bytes to the lead byte */
    if (m > 0 && u[m - 1] >= 0xC0) {
        size_t len = u[m - 1] >= 0xF0 ? 4 : u[m - 1] >= 0xE0 ? 3 : 2;
        return m - 1 + len <= n ? m - 1 + len : m - 1; /* complete, or cut before it */
    }
    return n; /* ASCII, or continuation bytes without a lead: nothing to mend */
}

/* ---- the header ------------------------------------------------------------------------- */

static void report(const val_sink *sink, int warning, int64_t row, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void report(const val_sink *sink, int warning, int64_t row, int col, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sink->report(sink->ctx, warning, row, col, msg);
}

static const char *head_text(char *const *head, size_t nhead, size_t c)
{
    return c < nhead && head[c] ? head[c] : "";
}

int validate_header(tpl_kind k, const hdr_map *map, char *const *head, size_t nhead, int64_t row,
                    const val_sink *sink)
{
    int n = 0;
    (void)k;
    for (size_t c = 0; c < map->ncols; c++) {
        hdr_field f = map->cols[c].field;
        size_t first = c;
        if (f >= 0 && f < F_TASK) {
            int fc = map->field_col[f];
            if (fc < 0 || (size_t)fc == c)
                continue;
            first = (size_t)fc;
        } else if (f == F_TASK) {
            for (size_t d = 0; d < c && first == c; d++)
                if (map->cols[d].field == F_TASK &&
                    strcmp(map->cols[d].task_label, map->cols[c].task_label) == 0)
                    first = d;
            if (first == c)
                continue;
        } else {
            continue; /* unknown, personal and ignored columns may repeat */
        }
        char what[64];
        if (f == F_TASK)
            snprintf(what, sizeof what, "балл за задание %s", map->cols[c].task_label);
        else
            snprintf(what, sizeof what, "%s", hdr_field_name(f));
        report(sink, 0, row, (int)c + 1,
               "столбец повторяет столбец %zu («%s»): оба означают «%s» — оставьте в файле один "
               "из них%s",
               first + 1, head_text(head, nhead, first), what,
               f == F_CLASS ? " (номер и букву класса — в одном столбце: «5А»; номер без буквы — "
                              "в столбце «Параллель»)"
                            : "");
        n++;
    }
    return n;
}

/* A formula as a spreadsheet would run it (OWASP CSV injection): "=…", "@…", and "+…" or
 * "-…" unless what follows is only digits or only dashes («-» as «no class» for a past
 * graduate, "-5"). */
static int looks_like_formula(const char *v)
{
    if (*v == '=' || *v == '@')
        return 1;
    if (*v != '+' && *v != '-')
        return 0;
    const char *r = v + 1;
    size_t len = strlen(r);
    while (len && isspace((unsigned char)r[len - 1]))
        len--;
    return strspn(r, "0123456789") != len && strspn(r, "-") != len;
}

/* A code or class that Excel rewrote when a CSV was opened and saved again: a long number in
 * exponent form ("1,23457E+14": digits are lost, two pupils become one) or a date made of a
 * class like «5-1» («05.янв», "5-Jan"). Returns what to say, or NULL. */
static const char *excel_mangled(const char *v)
{
    /* both forms below need one of these: the exponent's «.» or «,», the date's «.-/ » (most
     * codes and classes have none, and this runs on two cells of every row) */
    if (!strpbrk(v, ".,-/ "))
        return NULL;
    const char *p = v;
    size_t d1 = strspn(p, "0123456789");
    if (d1 >= 1 && d1 <= 2 && (p[d1] == '.' || p[d1] == ',')) {
        const char *q = p + d1 + 1;
        size_t d2 = strspn(q, "0123456789");
        if (d2 && (q[d2] == 'E' || q[d2] == 'e') && (q[d2 + 1] == '+' || q[d2 + 1] == '-') &&
            strspn(q + d2 + 2, "0123456789") > 0)
            return "длинное число, записанное Excel в экспоненциальной форме (цифры кода "
                   "потеряны): откройте исходный файл, задайте столбцу текстовый формат и "
                   "сохраните снова";
    }
    static const char *const MONTHS[] = {"янв", "фев", "мар", "апр", "май", "июн", "июл", "авг",
                                         "сен", "окт", "ноя", "дек", "jan", "feb", "mar", "apr",
                                         "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    char low[32];
    size_t n = strlen(v);
    while (n && isspace((unsigned char)v[n - 1]))
        n--;
    if (n < 5 || n >= sizeof low)
        return NULL;
    hdr_normalize(v, low, sizeof low); /* lower case, «.» and «-» removed */
    size_t dg = strspn(low, "0123456789");
    for (size_t i = 0; i < sizeof MONTHS / sizeof *MONTHS; i++) {
        size_t ml = strlen(MONTHS[i]);
        /* «05.янв» / "5-Jan": digits then the month; «янв.05» / "Jan-05": the month then digits */
        int day_first =
            dg >= 1 && dg <= 2 && strncmp(low + dg, MONTHS[i], ml) == 0 && low[dg + ml] == '\0';
        int month_first = strncmp(low, MONTHS[i], ml) == 0 &&
                          strspn(low + ml, "0123456789") == strlen(low + ml) && low[ml] &&
                          strlen(low + ml) <= 4;
        if ((day_first || month_first) && strpbrk(v, ".-/ "))
            return "похоже на дату, в которую Excel превратил значение вроде «5-1»: откройте "
                   "исходный файл, задайте столбцу текстовый формат и сохраните снова";
    }
    return NULL;
}

/* ---- rows ------------------------------------------------------------------------------- */

/* Length of s without the blanks around it, as import.c trims. */
static size_t trimmed_len(const char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return n;
}

/* The stored-length limit of field f in template k, 0 = not stored as text here. */
static size_t max_len(tpl_kind k, hdr_field f)
{
    switch (f) {
    case F_PUPIL_CODE:
        return VAL_MAX_PUPIL_CODE;
    case F_CLASS:
        return k == TPL_RESULTS ? VAL_MAX_CLASS : 0;
    case F_NAME:
        return VAL_MAX_SCHOOL_NAME;
    case F_LEVELS:
        return VAL_MAX_LEVELS;
    case F_ELEMENT:
        return VAL_MAX_ELEMENT;
    case F_SECTION:
        return VAL_MAX_PLAN_SECTION;
    case F_NUMBER:
        return VAL_MAX_PLAN_NUMBER;
    case F_TEXT:
        return VAL_MAX_PLAN_TEXT;
    case F_DEADLINE:
        return VAL_MAX_PLAN_DEADLINE;
    case F_RESPONSIBLE:
        return VAL_MAX_PLAN_RESPONSIBLE;
    case F_RESULT:
        return VAL_MAX_PLAN_RESULT;
    default:
        return 0;
    }
}

static const char *field_what(hdr_field f)
{
    switch (f) {
    case F_PUPIL_CODE:
        return "код участника";
    case F_CLASS:
        return "класс";
    case F_NAME:
        return "наименование школы";
    case F_LEVELS:
        return "уровни образования";
    case F_ELEMENT:
        return "код показателя";
    case F_SECTION:
        return "раздел плана";
    case F_NUMBER:
        return "номер пункта";
    case F_TEXT:
        return "содержание мероприятия";
    case F_DEADLINE:
        return "срок";
    case F_RESPONSIBLE:
        return "ответственные";
    case F_RESULT:
        return "ожидаемый результат";
    default:
        return "значение";
    }
}

static const char *cell_of(const hdr_map *map, char *const *cells, size_t ncells, hdr_field f)
{
    int c = map->field_col[f];
    return c >= 0 && (size_t)c < ncells ? cells[c] : NULL;
}

static int filled(const char *s)
{
    return s && trimmed_len(s) > 0;
}

/* An absence mark with scores beside it: the scores are not loaded, so say so (a warning). */
static void check_absent(const hdr_map *map, char *const *cells, size_t ncells, int64_t row,
                         const val_sink *sink)
{
    const char *a = cell_of(map, cells, ncells, F_ABSENT);
    int absent = 0, b = 0;
    if (filled(a) && val_bool(a, &b) == 0 && b == 1)
        absent = 1;
    static const hdr_field marks[] = {F_VARIANT, F_PRIMARY_SCORE, F_MARK};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0] && !absent; i++) {
        const char *c = cell_of(map, cells, ncells, marks[i]);
        absent = filled(c) && val_is_absent(c);
    }
    if (!absent)
        return;
    static const hdr_field scores[] = {F_PRIMARY_SCORE, F_MARK, F_TEST_SCORE};
    int col = 0;
    for (size_t i = 0; i < sizeof scores / sizeof scores[0] && !col; i++) {
        const char *c = cell_of(map, cells, ncells, scores[i]);
        double x;
        if (filled(c) && !val_is_absent(c) && val_number(c, &x) == 0)
            col = map->field_col[scores[i]] + 1;
    }
    for (size_t t = 0; t < map->ntasks && !col; t++) {
        int c = map->task_cols[t];
        double x;
        if ((size_t)c < ncells && val_number(cells[c], &x) == 0)
            col = c + 1;
    }
    if (col)
        report(sink, 1, row, col,
               "участник отмечен как отсутствовавший, но в строке есть баллы: они не загружены "
               "— если участник писал работу, снимите отметку об отсутствии");
}

int validate_row(tpl_kind k, const hdr_map *map, char *const *cells, size_t ncells, int64_t row,
                 const val_sink *sink)
{
    int n = 0;
    for (size_t c = 0; c < ncells; c++) {
        size_t bad = 0, len = 0;
        int high = 0;
        for (const unsigned char *p = (const unsigned char *)cells[c]; p[len]; len++)
            high |= p[len] & 0x80;
        if (high && !enc_utf8_valid(cells[c], len, &bad)) {
            report(sink, 0, row, (int)c + 1,
                   "недопустимая последовательность байтов UTF-8 (байт 0x%02X на позиции %zu): "
                   "сохраните файл заново в одной кодировке",
                   (unsigned)(unsigned char)cells[c][bad], bad + 1);
            n++;
            continue;
        }
        hdr_field f = c < map->ncols ? map->cols[c].field : F_NONE;
        if (f < 0 || f >= F_TASK || map->field_col[f] != (int)c)
            continue;
        size_t lim = max_len(k, f), tl = trimmed_len(cells[c]);
        if (lim && tl > lim) {
            report(sink, 0, row, (int)c + 1,
                   "%s длиннее допустимого: %zu байт, можно не больше %zu (русская буква — два "
                   "байта): сократите значение",
                   field_what(f), tl, lim);
            n++;
            continue;
        }
        const char *v = cells[c];
        while (isspace((unsigned char)*v))
            v++;
        /* control characters (an XLSX «_x001F_», a pasted form feed) in stored text: never in a
         * code or a class; in longer texts only tab and line ends */
        if (lim) {
            int code = f == F_PUPIL_CODE || f == F_CLASS;
            const unsigned char *q = (const unsigned char *)v;
            size_t at = 0;
            for (; at < tl; at++)
                if ((q[at] < 0x20 || q[at] == 0x7F) &&
                    (code || (q[at] != '\t' && q[at] != '\n' && q[at] != '\r')))
                    break;
            if (at < tl) {
                report(sink, 0, row, (int)c + 1,
                       "%s содержит управляющий символ (0x%02X) на позиции %zu: удалите его",
                       field_what(f), (unsigned)q[at], at + 1);
                n++;
                continue;
            }
        }
        /* OWASP CSV injection: a code that starts like a formula is a formula, not a code, and
         * would run when the list is exported and opened in a spreadsheet */
        if ((f == F_PUPIL_CODE || f == F_CLASS) && looks_like_formula(v)) {
            report(sink, 0, row, (int)c + 1,
                   "%s начинается с «%c»: похоже на формулу Excel — загружаются только значения; "
                   "сохраните в ячейке сам код",
                   field_what(f), *v);
            n++;
            continue;
        }
        const char *mangled = (f == F_PUPIL_CODE || f == F_CLASS) ? excel_mangled(v) : NULL;
        if (mangled) {
            report(sink, 0, row, (int)c + 1, "%s: %s", field_what(f), mangled);
            n++;
            continue;
        }
        if (f == F_PUPIL_CODE && val_looks_like_name(cells[c])) {
            report(sink, 0, row, (int)c + 1,
                   "в столбце кода участника — фамилия, имя или инициалы: загружаются только "
                   "коды участников, имена не хранятся (152-ФЗ) — замените ФИО кодом");
            n++;
            continue;
        }
        const char *level;
        if (f == F_SCHOOL_CODE && tl && k == TPL_AGGREGATES && import_bench_level(cells[c], &level))
            continue; /* an RF, region or municipality row: a benchmark (load_bench.c) */
        if (f == F_SCHOOL_CODE && tl) {
            char code[4 * VAL_MAX_SCHOOL_CODE + 8], msg[256];
            const char *p = cells[c];
            while (isspace((unsigned char)*p))
                p++;
            /* ФИС ОКО statistics name a school «(sch233070) МБОУ СОШ № 1»: check the login */
            const char *close = *p == '(' ? strchr(p, ')') : NULL;
            if (close && close - p > 1) {
                p++;
                tl = (size_t)(close - p);
            }
            if (tl >= sizeof code) {
                report(sink, 0, row, (int)c + 1, "код школы длиннее %d символа",
                       VAL_MAX_SCHOOL_CODE);
                n++;
                continue;
            }
            memcpy(code, p, tl);
            code[tl] = '\0';
            if (val_school_code(code, msg, sizeof msg)) {
                report(sink, 0, row, (int)c + 1, "%s", msg);
                n++;
            }
        }
    }
    if (k == TPL_RESULTS)
        check_absent(map, cells, ncells, row, sink);
    return n;
}
