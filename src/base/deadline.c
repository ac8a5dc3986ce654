/*
 * Deadline wording → due date (see deadline.h and docs/roadmap.md). The text is lower-cased
 * (Cyrillic included), dashes unified, and cut into words, numbers and dashes; the rules below
 * are tried in this order, the first that applies wins:
 *   1. «в течение N дней после …» / «через N дней после …»      → N days after the event
 *   2. «постоянно», «регулярно», «по мере необходимости», «с 2020 г.» → без срока
 *   3. months (with an optional day before and year after), quarters, half-years, calendar
 *      years → the end of the latest period named; in a range «август – сентябрь» only the
 *      end counts; «до 1 октября», «с 1 по 10 июня» → that day
 *   4. «ежегодно», «ежемесячно», «в течение (учебного) года», «1 раз в год/полугодие»,
 *      «по итогам учебного года» → the end of the school year, 31 August Y
 *   5. «по графику …», «по плану …», «согласно графику» → без срока (dates in another schedule)
 *   6. empty → без срока («срок не указан»); anything else → not recognised.
 */
#include "base/deadline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TOK_WORD, TOK_NUM, TOK_DASH, TOK_OTHER };
enum { MAX_TOK = 128, WORD_MAX = 48 };

typedef struct tok {
    int type;
    char s[WORD_MAX]; /* lower-case word, or digits */
    long n;           /* TOK_NUM value */
} tok;

/* Lower-case a UTF-8 string (ASCII and Cyrillic; ё → е), dashes → '-', no-break space → ' '. */
static void normalise(const char *in, char *out, size_t outsz)
{
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)in;
    while (*p && o + 3 < outsz) {
        if (p[0] < 0x80) {
            char c = (char)p[0];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            out[o++] = c;
            p++;
        } else if (p[0] == 0xD0 && p[1] >= 0x90 && p[1] <= 0x9F) { /* А–П → а–п */
            out[o++] = (char)0xD0;
            out[o++] = (char)(p[1] + 0x20);
            p += 2;
        } else if (p[0] == 0xD0 && p[1] >= 0xA0 && p[1] <= 0xAF) { /* Р–Я → р–я */
            out[o++] = (char)0xD1;
            out[o++] = (char)(p[1] - 0x20);
            p += 2;
        } else if ((p[0] == 0xD0 && p[1] == 0x81) || (p[0] == 0xD1 && p[1] == 0x91)) { /* Ё ё */
            out[o++] = (char)0xD0;
            out[o++] = (char)0xB5;
            p += 2;
        } else if (p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x90 && p[2] <= 0x95) { /* dashes */
            out[o++] = '-';
            p += 3;
        } else if (p[0] == 0xE2 && p[1] == 0x88 && p[2] == 0x92) { /* minus sign */
            out[o++] = '-';
            p += 3;
        } else if (p[0] == 0xC2 && p[1] == 0xA0) {
            out[o++] = ' ';
            p += 2;
        } else {
            out[o++] = (char)*p++;
        }
    }
    out[o] = '\0';
}

static int is_letter(const unsigned char *p)
{
    return (p[0] >= 'a' && p[0] <= 'z') || p[0] == 0xD0 || p[0] == 0xD1;
}

static int tokenise(const char *s, tok *t, int max)
{
    int n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && n < max) {
        if (is_letter(p)) {
            size_t k = 0;
            while (*p && is_letter(p)) {
                size_t w = (p[0] < 0x80) ? 1 : 2;
                if (w == 2 && !p[1])
                    break;
                if (k + w < WORD_MAX) {
                    memcpy(t[n].s + k, p, w);
                    k += w;
                }
                p += w;
            }
            t[n].s[k] = '\0';
            t[n].type = TOK_WORD;
            t[n].n = 0;
            n++;
        } else if (*p >= '0' && *p <= '9') {
            size_t k = 0;
            long v = 0;
            while (*p >= '0' && *p <= '9') {
                if (k + 1 < WORD_MAX)
                    t[n].s[k++] = (char)*p;
                if (v < 100000)
                    v = v * 10 + (*p - '0');
                p++;
            }
            t[n].s[k] = '\0';
            t[n].type = TOK_NUM;
            t[n].n = v;
            n++;
        } else if (*p == '-') {
            t[n].type = TOK_DASH;
            t[n].s[0] = '\0';
            n++;
            p++;
        } else if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '.') {
            p++; /* «2021г.», «Февраль 2021 г.»: dots and spaces separate nothing that matters */
        } else {
            t[n].type = TOK_OTHER;
            t[n].s[0] = (char)*p;
            t[n].s[1] = '\0';
            n++;
            p++;
        }
    }
    return n;
}

static int starts(const char *w, const char *prefix)
{
    return strncmp(w, prefix, strlen(prefix)) == 0;
}

static int word_is(const tok *t, int n, int i, const char *prefix)
{
    return i >= 0 && i < n && t[i].type == TOK_WORD && starts(t[i].s, prefix);
}

static int word_eq(const tok *t, int n, int i, const char *w)
{
    return i >= 0 && i < n && t[i].type == TOK_WORD && !strcmp(t[i].s, w);
}

static int has_word_eq(const tok *t, int n, const char *w)
{
    for (int i = 0; i < n; i++)
        if (word_eq(t, n, i, w))
            return 1;
    return 0;
}

static int has_word(const tok *t, int n, const char *prefix)
{
    for (int i = 0; i < n; i++)
        if (word_is(t, n, i, prefix))
            return 1;
    return 0;
}

/* «в течение года», «в течение учебного года» (also when the act broke the line in between) */
static int has_during_year(const tok *t, int n)
{
    for (int i = 0; i < n; i++)
        if (word_is(t, n, i, "течени")) {
            if (i + 1 >= n)
                return 1; /* «В течение» with the rest lost in the table's layout */
            if (word_is(t, n, i + 1, "год") || word_is(t, n, i + 1, "учебн"))
                return 1;
        }
    return 0;
}

/* The month a word names (1..12), or 0. «ма» alone would match «март»: май/мая/мае only. */
static int month_of(const char *w)
{
    static const char *const STEMS[] = {"январ", "феврал", "март",    "апрел",  "ма",    "июн",
                                        "июл",   "август", "сентябр", "октябр", "ноябр", "декабр"};
    for (int m = 0; m < 12; m++) {
        if (m == 4) {
            if (!strcmp(w, "май") || !strcmp(w, "мая") || !strcmp(w, "мае"))
                return 5;
            continue;
        }
        if (starts(w, STEMS[m]))
            return m + 1;
    }
    return 0;
}

static int is_year(const tok *t)
{
    return t->type == TOK_NUM && t->n >= 2000 && t->n <= 2099 && strlen(t->s) == 4;
}

static int roman(const char *w)
{
    if (!strcmp(w, "i"))
        return 1;
    if (!strcmp(w, "ii"))
        return 2;
    if (!strcmp(w, "iii"))
        return 3;
    if (!strcmp(w, "iv"))
        return 4;
    return 0;
}

int deadline_month_days(int y, int m)
{
    static const int D[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return D[m - 1];
}

static long ymd_key(int y, int m, int d)
{
    return (long)y * 10000 + m * 100 + d;
}

static void set_date(msk_deadline *out, int y, int m, int d, const char *why)
{
    out->kind = DUE_DATE;
    out->year = y;
    out->month = m;
    out->day = d;
    out->why = why;
    out->ndates = 1;
    out->dates[0] = ymd_key(y, m, d);
}

/* Keep key in the ascending set dates[0..*n) of at most DEADLINE_MAX_DATES (the earliest drops
 * out when it is full: the latest date is the item's due date and must stay). */
static void add_date(long *dates, int *n, long key)
{
    int i = 0;
    while (i < *n && dates[i] < key)
        i++;
    if (i < *n && dates[i] == key)
        return;
    if (*n == DEADLINE_MAX_DATES) {
        if (i == 0)
            return;
        memmove(dates, dates + 1, (size_t)(i - 1) * sizeof *dates);
        dates[i - 1] = key;
        return;
    }
    memmove(dates + i + 1, dates + i, (size_t)(*n - i) * sizeof *dates);
    dates[i] = key;
    (*n)++;
}

static void set_none(msk_deadline *out, const char *why)
{
    memset(out, 0, sizeof *out);
    out->kind = DUE_NONE;
    out->why = why;
}

/* The first calendar year written after token i, or 0. */
static int year_after(const tok *t, int n, int i)
{
    for (int k = i + 1; k < n; k++)
        if (is_year(&t[k]))
            return (int)t[k].n;
    return 0;
}

/* Rule 3: months, quarters, half-years and years. Returns 1 when a date was found, -1 when
 * periods were named but the plan's year is unknown, 0 when nothing was named. */
static int periods(const tok *t, int n, int sy, msk_deadline *out)
{
    long best = 0, dates[DEADLINE_MAX_DATES];
    int by = 0, bm = 0, bd = 0, unplaced = 0, nd = 0;
    for (int i = 0; i < n; i++) {
        int m = 0, day = 0, q = 0;
        if (t[i].type != TOK_WORD)
            continue;
        if ((m = month_of(t[i].s)) != 0) {
            /* the start of a range «август – сентябрь 2023»: only the end counts */
            int k = i + 1;
            if (k < n && is_year(&t[k]))
                k++;
            if (k + 1 < n && t[k].type == TOK_DASH && t[k + 1].type == TOK_WORD &&
                month_of(t[k + 1].s))
                continue;
            if (i > 0 && t[i - 1].type == TOK_NUM && t[i - 1].n >= 1 && t[i - 1].n <= 31)
                day = (int)t[i - 1].n;
        } else if (starts(t[i].s, "квартал") && i > 0) {
            q = t[i - 1].type == TOK_NUM ? (int)t[i - 1].n : roman(t[i - 1].s);
            if (q < 1 || q > 4)
                continue;
            m = 3 * q;
        } else if (starts(t[i].s, "полугоди") && i > 0 && !word_eq(t, n, i - 1, "в")) {
            int h = t[i - 1].type == TOK_NUM ? (int)t[i - 1].n : roman(t[i - 1].s);
            if (word_is(t, n, i - 1, "перв"))
                h = 1;
            if (word_is(t, n, i - 1, "втор"))
                h = 2;
            if (h == 1)
                m = 12; /* the first half of the school year ends in December */
            else if (h == 2)
                m = 8;
            else
                continue;
        } else {
            continue;
        }
        int y = year_after(t, n, i);
        if (!y) {
            if (!sy) {
                unplaced = 1;
                continue;
            }
            y = m >= 9 ? sy - 1 : sy;
        }
        if (!day || day > deadline_month_days(y, m))
            day = deadline_month_days(y, m);
        long key = ymd_key(y, m, day);
        add_date(dates, &nd, key);
        if (key > best) {
            best = key;
            by = y;
            bm = m;
            bd = day;
        }
    }
    if (best) {
        set_date(out, by, bm, bd, "месяц");
        memcpy(out->dates, dates, (size_t)nd * sizeof *dates);
        out->ndates = nd;
        return 1;
    }
    if (unplaced)
        return -1;
    /* calendar years alone: «2021 г.», «2021-2023г.», «В течение 2022 года» → 31 December */
    for (int i = 0; i < n; i++)
        if (is_year(&t[i]) && ymd_key((int)t[i].n, 12, 31) > best) {
            best = ymd_key((int)t[i].n, 12, 31);
            by = (int)t[i].n;
        }
    if (best) {
        set_date(out, by, 12, 31, "год");
        return 1;
    }
    return 0;
}

int deadline_parse(const char *text, int sy, msk_deadline *out)
{
    char norm[1024];
    tok t[MAX_TOK];
    /* every field defined for every kind: a date's `days` was left as the caller's stack held
     * it, and plan_item.due_days got garbage (two analyses of one state differed) */
    memset(out, 0, sizeof *out);
    normalise(text ? text : "", norm, sizeof norm);
    int n = tokenise(norm, t, MAX_TOK);
    if (n == 0) {
        set_none(out, "срок не указан");
        return 0;
    }
    /* 1. N days after the event */
    for (int i = 0; i + 2 < n; i++)
        if (t[i].type == TOK_NUM && word_is(t, n, i + 1, "дн") && word_is(t, n, i + 2, "после")) {
            memset(out, 0, sizeof *out);
            out->kind = DUE_EVENT;
            out->days = (int)t[i].n;
            out->why = "после оценочной процедуры";
            return 0;
        }
    /* 2. continuous */
    if (has_word(t, n, "постоянн") || has_word(t, n, "регулярн") ||
        (has_word(t, n, "мере") && has_word(t, n, "необходим"))) {
        set_none(out, "постоянно");
        return 0;
    }
    for (int i = 0; i + 1 < n; i++)
        if (word_eq(t, n, i, "с") && is_year(&t[i + 1]) && !has_word_eq(t, n, "по")) {
            set_none(out, "постоянно");
            return 0;
        }
    /* 3. named periods */
    int r = periods(t, n, sy, out);
    if (r > 0)
        return 0;
    if (r < 0) {
        set_none(out, "год плана не указан");
        return 0;
    }
    /* 4. within the school year */
    if (has_word(t, n, "ежегодн") || has_word(t, n, "ежемесячн") || has_word(t, n, "ежекварт") ||
        has_during_year(t, n) ||
        (has_word_eq(t, n, "раз") && (has_word(t, n, "год") || has_word(t, n, "полугоди"))) ||
        (has_word(t, n, "итог") && has_word(t, n, "учебн"))) {
        if (!sy) {
            set_none(out, "год плана не указан");
            return 0;
        }
        set_date(out, sy, 8, 31, "конец учебного года");
        return 0;
    }
    /* 5. someone else's schedule */
    if (has_word(t, n, "график") || has_word(t, n, "план")) {
        set_none(out, "по графику");
        return 0;
    }
    set_none(out, "срок не распознан");
    return 1;
}

static int parse_iso(const char *s, int *y, int *m, int *d)
{
    if (!s || strlen(s) < 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    *d = (s[8] - '0') * 10 + (s[9] - '0');
    if (*m < 1 || *m > 12 || *d < 1 || *d > deadline_month_days(*y, *m))
        return -1;
    return 0;
}

int deadline_after_event(msk_deadline *d, const char *event_date)
{
    int y, m, day;
    if (d->kind != DUE_EVENT || parse_iso(event_date, &y, &m, &day))
        return -1;
    for (int k = 0; k < d->days; k++) {
        if (++day > deadline_month_days(y, m)) {
            day = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    set_date(d, y, m, day, "после оценочной процедуры");
    return 0;
}

void deadline_iso(const msk_deadline *d, char *out, size_t outsz)
{
    if (d->kind == DUE_DATE)
        snprintf(out, outsz, "%04d-%02d-%02d", d->year, d->month, d->day);
    else if (outsz)
        out[0] = '\0';
}

void deadline_dates_iso(const msk_deadline *d, char *out, size_t outsz)
{
    size_t o = 0;
    if (outsz)
        out[0] = '\0';
    if (d->kind != DUE_DATE)
        return;
    for (int i = 0; i < d->ndates; i++) {
        long k = d->dates[i];
        int w = snprintf(out + o, outsz - o, "%s%04ld-%02ld-%02ld", i ? "," : "", k / 10000,
                         k / 100 % 100, k % 100);
        if (w < 0 || (size_t)w >= outsz - o) {
            out[o] = '\0';
            return;
        }
        o += (size_t)w;
    }
}

const char *deadline_kind_code(due_kind k)
{
    return k == DUE_DATE ? "date" : k == DUE_EVENT ? "event" : "none";
}
