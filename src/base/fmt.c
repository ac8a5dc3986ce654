/* Russian number and date formatting (fmt.h). */
#include "base/fmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static char *dash(char *out, size_t outsz)
{
    snprintf(out, outsz, "—");
    return out;
}

/* Insert thousands separators into the integer part of a plain decimal string (no sign). */
static void group(const char *digits, char *out, size_t outsz)
{
    size_t n = strcspn(digits, ".,"), o = 0;
    for (size_t i = 0; i < n && o + 4 < outsz; i++) {
        if (i && (n - i) % 3 == 0) { /* «1 234», as UI.md writes it */
            memcpy(out + o, FMT_THOUSANDS, 3);
            o += 3;
        }
        out[o++] = digits[i];
    }
    snprintf(out + o, outsz - o, "%s", digits + n);
}

char *fmt_int(long long v, char *out, size_t outsz)
{
    char digits[32], grouped[64];
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    snprintf(digits, sizeof digits, "%llu", u);
    group(digits, grouped, sizeof grouped);
    snprintf(out, outsz, "%s%s", v < 0 ? "−" : "", grouped);
    return out;
}

char *fmt_num(double v, int decimals, char *out, size_t outsz)
{
    char digits[64], grouped[96];
    if (isnan(v) || isinf(v))
        return dash(out, outsz);
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    snprintf(digits, sizeof digits, "%.*f", decimals, fabs(v));
    char *dot = strchr(digits, '.');
    if (dot)
        *dot = ',';
    /* −0,0 is 0,0 */
    int neg = v < 0 && strspn(digits, "0,") != strlen(digits);
    group(digits, grouped, sizeof grouped);
    snprintf(out, outsz, "%s%s", neg ? "−" : "", grouped);
    return out;
}

char *fmt_pct(double share, int decimals, char *out, size_t outsz)
{
    char n[64];
    if (isnan(share) || isinf(share))
        return dash(out, outsz);
    fmt_num(share * 100.0, decimals, n, sizeof n);
    snprintf(out, outsz, "%s\xC2\xA0%%", n);
    return out;
}

char *fmt_pp(double diff, int decimals, char *out, size_t outsz)
{
    char n[64];
    if (isnan(diff) || isinf(diff))
        return dash(out, outsz);
    fmt_num(diff * 100.0, decimals, n, sizeof n);
    int zero = strspn(n, "0,") == strlen(n);
    snprintf(out, outsz, "%s%s\xC2\xA0п.\xC2\xA0п.", diff > 0 && !zero ? "+" : "", n);
    return out;
}

char *fmt_date(const char *iso, char *out, size_t outsz)
{
    int y, m, d;
    char tail;
    if (!iso || !*iso)
        return dash(out, outsz);
    if (strlen(iso) >= 10 && sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) >= 3 &&
        iso[4] == '-' && iso[7] == '-')
        snprintf(out, outsz, "%02d.%02d.%04d", d, m, y);
    else
        snprintf(out, outsz, "%s", iso);
    return out;
}

char *fmt_datetime(const char *iso, char *out, size_t outsz)
{
    struct tm t = {0}, loc;
    char z;
    if (!iso || !*iso)
        return dash(out, outsz);
    if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d%c", &t.tm_year, &t.tm_mon, &t.tm_mday, &t.tm_hour,
               &t.tm_min, &t.tm_sec, &z) != 7 ||
        z != 'Z') {
        snprintf(out, outsz, "%s", iso);
        return out;
    }
    t.tm_year -= 1900;
    t.tm_mon -= 1;
    time_t when = timegm(&t);
    if (when == (time_t)-1 || !localtime_r(&when, &loc) ||
        !strftime(out, outsz, "%d.%m.%Y %H:%M", &loc))
        snprintf(out, outsz, "%s", iso);
    return out;
}

char *fmt_school_year(int year, char *out, size_t outsz)
{
    snprintf(out, outsz, "%d/%d", year - 1, year);
    return out;
}

int fmt_period_school_year(const char *p)
{
    size_t len = strlen(p);
    if ((len != 4 && len != 7) || p[0] < '1' || p[0] > '9')
        return 0;
    for (int i = 1; i < 4; i++)
        if (p[i] < '0' || p[i] > '9')
            return 0;
    int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
    if (len == 4)
        return y;
    if (p[4] != '-')
        return 0;
    const char *mm = p + 5;
    if (!strcmp(mm, "H1") || !strcmp(mm, "H2"))
        return y;
    if (strncmp(mm, "01", 2) >= 0 && strncmp(mm, "08", 2) <= 0)
        return y;
    if (strncmp(mm, "09", 2) >= 0 && strncmp(mm, "12", 2) <= 0)
        return y + 1;
    return 0;
}

char *fmt_period(const char *p, char *out, size_t outsz)
{
    static const char *const MONTHS[] = {"январь",   "февраль", "март",   "апрель",
                                         "май",      "июнь",    "июль",   "август",
                                         "сентябрь", "октябрь", "ноябрь", "декабрь"};
    size_t n = p ? strlen(p) : 0;
    int ok = n >= 4;
    for (size_t i = 0; i < 4 && ok; i++)
        ok = p[i] >= '0' && p[i] <= '9';
    if (!ok) {
        snprintf(out, outsz, "%s", p ? p : "");
        return out;
    }
    int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
    if (n == 4)
        snprintf(out, outsz, "%d/%d учебный год", y - 1, y);
    else if (n == 7 && p[4] == '-' && p[5] == 'H' && (p[6] == '1' || p[6] == '2'))
        snprintf(out, outsz, "%c-е полугодие %d/%d учебного года", p[6], y - 1, y);
    else if (n == 7 && p[4] == '-' && p[5] >= '0' && p[5] <= '1' && p[6] >= '0' && p[6] <= '9' &&
             (p[5] - '0') * 10 + (p[6] - '0') >= 1 && (p[5] - '0') * 10 + (p[6] - '0') <= 12)
        snprintf(out, outsz, "%s %d", MONTHS[(p[5] - '0') * 10 + (p[6] - '0') - 1], y);
    else
        snprintf(out, outsz, "%s", p);
    return out;
}

const char *fmt_plural(long long n, const char *one, const char *few, const char *many)
{
    unsigned long long a = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
    if (a % 10 == 1 && a % 100 != 11)
        return one;
    if (a % 10 >= 2 && a % 10 <= 4 && (a % 100 < 12 || a % 100 > 14))
        return few;
    return many;
}

int fmt_parse_date(const char *in, char out[11])
{
    int d, m, y;
    char tail;
    if (!in || (sscanf(in, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 &&
                sscanf(in, "%2d.%2d.%4d%c", &d, &m, &y, &tail) != 3))
        return -1;
    static const int DAYS[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > DAYS[m - 1] + (m == 2 && leap))
        return -1;
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    return 0;
}

char *fmt_size(long long bytes, char *out, size_t outsz)
{
    char num[32];
    if (bytes < 1024)
        snprintf(out, outsz, "%lld Б", bytes);
    else if (bytes < 1024 * 1024)
        snprintf(out, outsz, "%s КБ", fmt_num((double)bytes / 1024.0, 0, num, sizeof num));
    else
        snprintf(out, outsz, "%s МБ",
                 fmt_num((double)bytes / (1024.0 * 1024.0), 1, num, sizeof num));
    return out;
}
