/*
 * Test tool: write an XLSX workbook from a UTF-8, ';'-separated text file, the way ФИС ОКО
 * and РЦОИ files look: numbers as numbers, text as shared strings, optional merged ranges
 * (a title across the top, a group header over task columns). Used to make examples/ and the
 * test corpora; not part of msoko.
 *   csv2xlsx IN OUT [--sheet NAME] [--merge A1:D1]... [--text-only]
 * "~" alone in a cell leaves the cell empty (for gaps inside a row).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

static int is_number(const char *s)
{
    char *end;
    if (!*s || strchr(s, ' '))
        return 0;
    if (s[0] == '0' && s[1] && s[1] != '.')
        return 0; /* codes with leading zeros stay text */
    strtod(s, &end);
    return *end == '\0';
}

int main(int argc, char **argv)
{
    const char *sheet = NULL;
    const char *merges[32];
    int nmerge = 0, text_only = 0, constant = 0;
    if (argc < 3) {
        fprintf(stderr, "usage: csv2xlsx IN OUT [--sheet NAME] [--merge A1:D1]... [--text-only]\n");
        return 2;
    }
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--sheet") == 0 && i + 1 < argc)
            sheet = argv[++i];
        else if (strcmp(argv[i], "--merge") == 0 && i + 1 < argc && nmerge < 32)
            merges[nmerge++] = argv[++i];
        else if (strcmp(argv[i], "--text-only") == 0)
            text_only = 1;
        else if (strcmp(argv[i], "--constant-memory") == 0)
            constant = 1;
        else {
            fprintf(stderr, "csv2xlsx: bad argument %s\n", argv[i]);
            return 2;
        }
    }
    FILE *in = fopen(argv[1], "r");
    if (!in) {
        perror(argv[1]);
        return 1;
    }
    lxw_workbook_options wo = {.constant_memory = constant ? LXW_TRUE : LXW_FALSE};
    lxw_workbook *wb = workbook_new_opt(argv[2], &wo);
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
    char line[65536];
    static char first[8][64][128]; /* texts of the top rows, for merged ranges */
    int row = 0;
    while (fgets(line, sizeof line, in)) {
        line[strcspn(line, "\r\n")] = '\0';
        int col = 0;
        char *p = line;
        for (;;) {
            char *semi = strchr(p, ';');
            if (semi)
                *semi = '\0';
            if (*p && strcmp(p, "~") != 0) {
                if (!text_only && is_number(p))
                    worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, strtod(p, NULL),
                                           NULL);
                else
                    worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, p, NULL);
                if (row < 8 && col < 64)
                    snprintf(first[row][col], sizeof first[row][col], "%.127s", p);
            }
            col++;
            if (!semi)
                break;
            p = semi + 1;
        }
        row++;
    }
    fclose(in);
    for (int i = 0; i < nmerge; i++) {
        lxw_row_t r1, r2;
        lxw_col_t c1, c2;
        r1 = lxw_name_to_row(merges[i]);
        c1 = lxw_name_to_col(merges[i]);
        r2 = lxw_name_to_row_2(merges[i]);
        c2 = lxw_name_to_col_2(merges[i]);
        /* merge_range rewrites the top-left value; keep it by reading it back from our copy */
        worksheet_merge_range(ws, r1, c1, r2, c2, r1 < 8 && c1 < 64 ? first[r1][c1] : "", NULL);
    }
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}
