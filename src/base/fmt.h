/*
 * Numbers and dates the Russian way, for the edge (templates, PDF, XLSX text): decimal comma,
 * a thin no-break space between thousands («1 234»), percent with a space («34,1 %»), dates
 * дд.мм.гггг, school years «2023/2024» (UI.md "Numbers and tables"). Shares are stored as
 * fractions and formatted only here. Each function writes a NUL-terminated string into out
 * (truncated to outsz) and returns out; NAN gives «—».
 */
#ifndef MSK_FMT_H
#define MSK_FMT_H

#include <stddef.h>

/* The thin no-break space (U+202F) used between thousands. */
#define FMT_THOUSANDS "\xE2\x80\xAF"

/* An integer with thousands separated: 1234567 → «1 234 567». */
char *fmt_int(long long v, char *out, size_t outsz);
/* A number with a fixed count of decimals and a decimal comma: 3.14159, 1 → «3,1». */
char *fmt_num(double v, int decimals, char *out, size_t outsz);
/* A share (fraction) as percent: 0.3412, 1 → «34,1 %». */
char *fmt_pct(double share, int decimals, char *out, size_t outsz);
/* A signed difference in percentage points: 0.052 → «+5,2 п. п.», -0.01 → «−1,0 п. п.». */
char *fmt_pp(double diff, int decimals, char *out, size_t outsz);
/* A file's size as people read it: «14 Б», «293 КБ», «1,2 МБ». */
char *fmt_size(long long bytes, char *out, size_t outsz);
/* ISO date "2024-09-30" (or a longer ISO timestamp) → «30.09.2024»; other text is copied. */
char *fmt_date(const char *iso, char *out, size_t outsz);
/* A date people type, «30.09.2024» or "2024-09-30", into ISO out ("2024-09-30"): 0, or -1
 * when it is neither form or no such day (31.02, 29.02 of a common year, years outside
 * 1900–2200). */
int fmt_parse_date(const char *in, char out[11]);
/* "2024-05-14T09:30:00Z" (UTC) -> "14.05.2024 12:30" in the server's local time zone (TZ);
 * a text that is not such a time is copied as it is, an empty one gives "—". */
char *fmt_datetime(const char *iso, char *out, size_t outsz);
/* School year of year Y: «2023/2024». */
char *fmt_school_year(int year, char *out, size_t outsz);
/* A form's period as people say it: "2024" → «2023/2024 учебный год», "2024-H1" → «1-е полугодие
 * 2023/2024 учебного года» (September–December 2023), "2024-09" → «сентябрь 2024»; any other
 * text is copied. */
char *fmt_period(const char *period, char *out, size_t outsz);
/* The school year a form's period counts in, as the directions' form(FORM.ELEMENT) terms sum
 * it: "Y", "Y-H1", "Y-H2", the months "Y-01".."Y-08" and "(Y-1)-09".."(Y-1)-12" are school year
 * Y; 0 for any other period. */
int fmt_period_school_year(const char *period);
/* Russian plural: fmt_plural(n, "школа", "школы", "школ"). */
const char *fmt_plural(long long n, const char *one, const char *few, const char *many);

#endif
