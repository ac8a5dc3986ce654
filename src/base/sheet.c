/*
 * Spreadsheet cells that cannot hurt (sheet.h): formula neutralising and CSV quoting.
 */
#include "base/sheet.h"

#include <string.h>

int sheet_risky(const char *s)
{
    /* OWASP: cells beginning with these are formulas (or become ones after a tab or CR) */
    return s && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
                 s[0] == '\r');
}

const char *sheet_text(const char *s, msk_buf *scratch)
{
    if (!s)
        return "";
    if (!sheet_risky(s))
        return s;
    msk_buf_reset(scratch);
    msk_buf_putc(scratch, '\'');
    msk_buf_puts(scratch, s);
    return scratch->data ? scratch->data : "";
}

void sheet_csv_text(msk_buf *b, const char *s, char sep)
{
    if (!s)
        s = "";
    int quote = strchr(s, '"') || strchr(s, '\r') || strchr(s, '\n') || (sep && strchr(s, sep));
    if (quote)
        msk_buf_putc(b, '"');
    if (sheet_risky(s))
        msk_buf_putc(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            msk_buf_putc(b, '"');
        msk_buf_putc(b, *p);
    }
    if (quote)
        msk_buf_putc(b, '"');
}
