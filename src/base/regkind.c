/*
 * Kinds of registries as data: see regkind.h.
 */
#include "base/regkind.h"

#include "base/fmt.h"
#include "base/mem.h"
#include "base/muni.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parse_ctx {
    rk_kind *k;
    const char *file;
    msk_err *err;
    int failed;
} parse_ctx;

static char *trim_dup(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return msk_strndup(s, n);
}

/* Split "a | b | c" (or sep ',') into a NULL-less array of trimmed non-empty words. */
static char **split(const char *v, char sep, size_t *n)
{
    char **out = NULL;
    *n = 0;
    while (v && *v) {
        const char *e = strchr(v, sep);
        size_t len = e ? (size_t)(e - v) : strlen(v);
        char *w = trim_dup(v, len);
        if (*w) {
            out = msk_reallocarray(out, *n + 1, sizeof *out);
            out[(*n)++] = w;
        } else
            free(w);
        v = e ? e + 1 : NULL;
    }
    return out;
}

static void free_words(char **w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(w[i]);
    free(w);
}

static int fail(parse_ctx *c, const char *line, const char *fmt, const char *a, const char *b)
{
    char msg[600];
    snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
    msk_error(c->err, "%s: [%s]: %s", c->file, line, msg);
    c->failed = 1;
    return 0;
}

static int col_ok(const char *s)
{
    if (!*s || strlen(s) > 40)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

static int parse_type(const char *v, rk_type *t)
{
    static const char *const NAMES[] = {"text", "int", "number", "date", "yesno", "choice"};
    for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++)
        if (!strcmp(v, NAMES[i])) {
            *t = (rk_type)i;
            return 0;
        }
    return -1;
}

static int yes(const char *v)
{
    return !strcmp(v, "yes") || !strcmp(v, "да") || !strcmp(v, "1") || !strcmp(v, "true");
}

static int on_registry(parse_ctx *c, const char *key, const char *value, const char *line)
{
    rk_kind *k = c->k;
    char **dst = NULL;
    if (!strcmp(key, "code"))
        dst = &k->code;
    else if (!strcmp(key, "name"))
        dst = &k->name;
    else if (!strcmp(key, "section"))
        dst = &k->section;
    else if (!strcmp(key, "people"))
        dst = &k->people;
    else if (!strcmp(key, "key")) {
        free_words(k->key, k->nkey);
        k->key = split(value, ',', &k->nkey);
        return 1;
    } else
        return fail(c, line, "неизвестный ключ «%s»%s", key, "");
    free(*dst);
    *dst = msk_strdup(value);
    return 1;
}

static int on_column(parse_ctx *c, rk_column *col, const char *key, const char *value,
                     const char *line)
{
    if (!strcmp(key, "header")) {
        free(col->header);
        col->header = msk_strdup(value);
    } else if (!strcmp(key, "alias")) {
        size_t n = 0;
        char **w = split(value, '|', &n);
        col->aliases = msk_reallocarray(col->aliases, col->naliases + n, sizeof *col->aliases);
        memcpy(col->aliases + col->naliases, w, n * sizeof *w);
        col->naliases += n;
        free(w);
    } else if (!strcmp(key, "type")) {
        if (parse_type(value, &col->type))
            return fail(c, line, "тип «%s» не знаком: text, int, number, date, yesno, choice%s",
                        value, "");
    } else if (!strcmp(key, "required"))
        col->required = yes(value);
    else if (!strcmp(key, "min") || !strcmp(key, "max")) {
        char *end;
        double d = strtod(value, &end);
        if (end == value || *end)
            return fail(c, line, "%s = «%s»: ожидается число", key, value);
        if (key[1] == 'i')
            col->min = d, col->has_min = 1;
        else
            col->max = d, col->has_max = 1;
    } else if (!strcmp(key, "choice")) {
        size_t n = 0;
        char **w = split(value, '|', &n);
        if (n < 2 || !col_ok(w[0])) {
            free_words(w, n);
            return fail(c, line, "choice = «%s»: ожидается «код | название | синоним …»%s", value,
                        "");
        }
        col->choices = msk_reallocarray(col->choices, col->nchoices + 1, sizeof *col->choices);
        rk_choice *ch = &col->choices[col->nchoices++];
        ch->code = w[0];
        ch->nwords = n - 1;
        ch->words = msk_reallocarray(NULL, n - 1, sizeof *ch->words);
        memcpy(ch->words, w + 1, (n - 1) * sizeof *w);
        free(w);
    } else
        return fail(c, line, "неизвестный ключ «%s»%s", key, "");
    return 1;
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
    parse_ctx *c = user;
    const char *line = section;
    if (c->failed)
        return 0;
    if (!strcmp(section, "registry"))
        return on_registry(c, key, value, line);
    if (!strncmp(section, "column ", 7)) {
        const char *code = section + 7;
        if (!col_ok(code))
            return fail(c, line, "[column %s]: код столбца — латиница, цифры и «_»%s", code, "");
        rk_kind *k = c->k;
        if (!k->ncols || strcmp(k->cols[k->ncols - 1].code, code)) {
            if (rk_col(k, code))
                return fail(c, line, "[column %s] повторяется%s", code, "");
            k->cols = msk_reallocarray(k->cols, k->ncols + 1, sizeof *k->cols);
            memset(&k->cols[k->ncols], 0, sizeof k->cols[0]);
            k->cols[k->ncols++].code = msk_strdup(code);
        }
        return on_column(c, &k->cols[k->ncols - 1], key, value, line);
    }
    return fail(c, line, "неизвестный раздел [%s]; допустимы [registry] и [column КОД]%s", section,
                "");
}

static int check(parse_ctx *c)
{
    rk_kind *k = c->k;
    if (!k->code || !col_ok(k->code) || !k->name)
        return msk_error(c->err, "%s: [registry]: нужны code (латиница) и name", c->file);
    if (!rk_col(k, "code") || !rk_col(k, "school"))
        return msk_error(c->err, "%s: нужны столбцы [column code] и [column school]", c->file);
    if (!k->people)
        k->people = msk_strdup("none");
    if (!k->section)
        k->section = msk_strdup("");
    /* «{mscoko_roadmap}, п. 4.8» → the act as methods/municipality.ini names it */
    char *cited = msk_strdup(muni_cite_str(k->section));
    free(k->section);
    k->section = cited;
    if (!k->nkey) {
        k->key = msk_reallocarray(NULL, 1, sizeof *k->key);
        k->key[0] = msk_strdup("code");
        k->nkey = 1;
    }
    for (size_t i = 0; i < k->nkey; i++)
        if (!rk_col(k, k->key[i]))
            return msk_error(c->err, "%s: key: столбца «%s» нет", c->file, k->key[i]);
    for (size_t i = 0; i < k->ncols; i++) {
        rk_column *col = &k->cols[i];
        if (!col->header)
            return msk_error(c->err, "%s: [column %s]: нужен header", c->file, col->code);
        if (col->type == RK_CHOICE && !col->nchoices)
            return msk_error(c->err, "%s: [column %s]: у выбора нет ни одного choice", c->file,
                             col->code);
    }
    return 0;
}

int rk_parse(const char *text, const char *file, rk_kind **out, msk_err *err)
{
    parse_ctx c = {msk_calloc(1, sizeof(rk_kind)), file ? file : "registry.ini", err, 0};
    int r = ini_parse_string(text ? text : "", handler, &c);
    *out = NULL;
    if (!c.failed && r > 0) {
        msk_error(err, "%s, строка %d: ожидается «ключ = значение» или [раздел]", c.file, r);
        c.failed = 1;
    }
    if (c.failed || check(&c)) {
        rk_free(c.k);
        return -1;
    }
    *out = c.k;
    return 0;
}

void rk_free(rk_kind *k)
{
    if (!k)
        return;
    for (size_t i = 0; i < k->ncols; i++) {
        rk_column *c = &k->cols[i];
        free(c->code);
        free(c->header);
        free_words(c->aliases, c->naliases);
        for (size_t j = 0; j < c->nchoices; j++) {
            free(c->choices[j].code);
            free_words(c->choices[j].words, c->choices[j].nwords);
        }
        free(c->choices);
    }
    free(k->cols);
    free_words(k->key, k->nkey);
    free(k->code);
    free(k->name);
    free(k->section);
    free(k->people);
    free(k);
}

int rk_col_index(const rk_kind *k, const char *code)
{
    for (size_t i = 0; k && code && i < k->ncols; i++)
        if (!strcmp(k->cols[i].code, code))
            return (int)i;
    return -1;
}

const rk_column *rk_col(const rk_kind *k, const char *code)
{
    int i = rk_col_index(k, code);
    return i < 0 ? NULL : &k->cols[i];
}

/* One UTF-8 character of s folded: ASCII and Cyrillic lower case, ё → е; letters and digits
 * only (others give 0 bytes). Returns bytes consumed; writes up to 2 bytes to o, *on their
 * count. */
static size_t fold(const unsigned char *s, unsigned char *o, size_t *on)
{
    *on = 0;
    if (s[0] < 0x80) {
        unsigned char ch = s[0];
        if (ch >= 'A' && ch <= 'Z')
            ch = (unsigned char)(ch + 32);
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
            o[(*on)++] = ch;
        return 1;
    }
    if ((s[0] == 0xD0 || s[0] == 0xD1) && s[1]) {
        unsigned cp = ((unsigned)(s[0] & 0x1F) << 6) | (unsigned)(s[1] & 0x3F);
        if (cp >= 0x410 && cp <= 0x42F)
            cp += 0x20; /* А–Я → а–я */
        if (cp == 0x401 || cp == 0x451)
            cp = 0x435; /* Ё, ё → е */
        if (cp >= 0x430 && cp <= 0x44F) {
            o[0] = (unsigned char)(0xC0 | (cp >> 6));
            o[1] = (unsigned char)(0x80 | (cp & 0x3F));
            *on = 2;
        }
        return 2;
    }
    size_t n = 1;
    while (s[n] && (s[n] & 0xC0) == 0x80)
        n++;
    return n;
}

void rk_norm(const char *in, char *out, size_t outsz)
{
    const unsigned char *s = (const unsigned char *)(in ? in : "");
    size_t o = 0;
    if (!outsz)
        return;
    while (*s) {
        unsigned char b[2];
        size_t bn;
        s += fold(s, b, &bn);
        if (o + bn >= outsz)
            break;
        memcpy(out + o, b, bn);
        o += bn;
    }
    out[o] = '\0';
}

static int norm_eq(const char *a_norm, const char *b)
{
    char nb[256];
    rk_norm(b, nb, sizeof nb);
    return *a_norm && !strcmp(a_norm, nb);
}

int rk_match_header(const rk_kind *k, const char *cell)
{
    char n[256];
    rk_norm(cell, n, sizeof n);
    if (!*n)
        return -1;
    for (size_t i = 0; i < k->ncols; i++) {
        const rk_column *c = &k->cols[i];
        if (norm_eq(n, c->header) || norm_eq(n, c->code))
            return (int)i;
        for (size_t j = 0; j < c->naliases; j++)
            if (norm_eq(n, c->aliases[j]))
                return (int)i;
    }
    return -1;
}

int rk_looks_like_name(const char *cell)
{
    static const char *const NAMES[] = {"фио",
                                        "фамилия",
                                        "имя",
                                        "отчество",
                                        "фамилияимя",
                                        "фамилияимяотчество",
                                        "фиообучающегося",
                                        "фиоученика",
                                        "фиоучастника",
                                        "name",
                                        "fullname",
                                        "surname"};
    char n[256];
    rk_norm(cell, n, sizeof n);
    for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++)
        if (!strcmp(n, NAMES[i]))
            return 1;
    return !strncmp(n, "фио", strlen("фио")) || !strncmp(n, "фамилия", strlen("фамилия"));
}

const rk_choice *rk_choice_find(const rk_column *c, const char *cell)
{
    char n[256];
    rk_norm(cell, n, sizeof n);
    if (!*n)
        return NULL;
    for (size_t i = 0; i < c->nchoices; i++) {
        const rk_choice *ch = &c->choices[i];
        if (!strcmp(cell, ch->code) || norm_eq(n, ch->code))
            return ch;
        for (size_t j = 0; j < ch->nwords; j++)
            if (norm_eq(n, ch->words[j]))
                return ch;
    }
    return NULL;
}

const char *rk_choice_label(const rk_column *c, const char *code)
{
    for (size_t i = 0; c && code && i < c->nchoices; i++)
        if (!strcmp(c->choices[i].code, code))
            return c->choices[i].words[0];
    return code ? code : "";
}

const char *rk_type_name(rk_type t)
{
    switch (t) {
    case RK_INT:
        return "целое число";
    case RK_NUMBER:
        return "число";
    case RK_DATE:
        return "дата дд.мм.гггг";
    case RK_YESNO:
        return "да/нет";
    case RK_CHOICE:
        return "значение из списка";
    default:
        return "текст";
    }
}

void rk_value_text(const rk_column *c, const char *s, double num, int is_num, char *out,
                   size_t outsz)
{
    if (!outsz)
        return;
    out[0] = '\0';
    if (is_num) {
        if (c && c->type == RK_YESNO)
            snprintf(out, outsz, "%s", num != 0 ? "да" : "нет");
        else if (num == (double)(long long)num)
            snprintf(out, outsz, "%lld", (long long)num);
        else
            snprintf(out, outsz, "%g", num);
        return;
    }
    if (!s)
        return;
    if (c && c->type == RK_CHOICE)
        snprintf(out, outsz, "%s", rk_choice_label(c, s));
    else if (c && c->type == RK_DATE && strlen(s) == 10)
        fmt_date(s, out, outsz);
    else
        snprintf(out, outsz, "%s", s);
}
