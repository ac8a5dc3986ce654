/*
 * Benchmark input: a ФИС ОКО-like results file of N rows (default 1,000,000), UTF-8 with ';',
 * Russian headers, 14 task columns: 25 columns in all. Ordered as a region's export is: school
 * by school (2,000 schools, sch000001…, whose list is written to the schools file given
 * second), and inside a school procedure by procedure — ВПР of 2022–2024 in the 12 subjects and
 * grades that have a default scale, 36 procedures — so the procedure changes about 72,000 times
 * in a million rows. Scores, marks and journal marks agree with the default scales, as a clean
 * file does: the import's checks run on every row without stopping it.
 *   gen RESULTS.csv SCHOOLS.csv [N]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t st = 0x9E3779B97F4A7C15ULL;
static uint32_t rnd(void)
{
    st ^= st << 13;
    st ^= st >> 7;
    st ^= st << 17;
    return (uint32_t)(st >> 11);
}

/* the default ВПР scales of src/store/reference.c: maximum and the lowest score of 3, 4, 5 */
static const struct {
    const char *subject;
    int grade, max, cut3, cut4, cut5;
} PROC[] = {
    {"Математика", 4, 20, 6, 10, 15},    {"Математика", 5, 20, 7, 11, 15},
    {"Математика", 6, 16, 6, 10, 14},    {"Математика", 7, 19, 7, 12, 16},
    {"Математика", 8, 25, 8, 15, 21},    {"Русский язык", 4, 38, 14, 24, 33},
    {"Русский язык", 5, 45, 18, 29, 39}, {"Русский язык", 6, 51, 25, 35, 45},
    {"Русский язык", 7, 47, 22, 32, 42}, {"Русский язык", 8, 51, 26, 32, 45},
    {"Биология", 5, 29, 12, 18, 24},     {"История", 5, 15, 4, 8, 12},
};
enum { NSUBJ = sizeof PROC / sizeof PROC[0], NYEARS = 3, NPROC = NSUBJ * NYEARS, NTASK = 14 };

int main(int argc, char **argv)
{
    long n = argc > 3 ? strtol(argv[3], NULL, 10) : 1000000;
    if (argc < 3)
        return 2;
    FILE *s = fopen(argv[2], "w");
    FILE *f = fopen(argv[1], "w");
    if (!s || !f)
        return 1;
    fprintf(s, "Код ОО;Наименование ОО;Тип ОО;Местность\n");
    for (int i = 1; i <= 2000; i++)
        fprintf(s, "sch%06d;МБОУ «СОШ № %d»;СОШ;%s\n", i, i, i % 3 ? "городская" : "сельская");
    fclose(s);
    fprintf(f, "Год;Вид процедуры;Предмет;Параллель;Код ОО;Класс;Код участника;Вариант");
    for (int t = 1; t <= NTASK; t++)
        fprintf(f, ";%d", t);
    fprintf(f, ";Первичный балл;Отметка;Отметка по журналу\n");
    for (long r = 0; r < n; r++) {
        int school = (int)(r * 2000 / n) + 1, sum = 0;
        long first = ((long)school - 1) * n / 2000, count = (long)school * n / 2000 - first;
        int k = (int)((r - first) * NPROC / (count ? count : 1));
        int year = 2022 + k / NSUBJ, p = k % NSUBJ;
        fprintf(f, "%d;ВПР;%s;%d;sch%06d;%d%s;p%07ld;%d", year, PROC[p].subject, PROC[p].grade,
                school, PROC[p].grade, (r & 1) ? "А" : "Б", r, 1 + (int)(r & 1));
        /* the maximum spread over the tasks: the first max % 14 tasks get one point more */
        for (int t = 0; t < NTASK; t++) {
            int tmax = PROC[p].max / NTASK + (t < PROC[p].max % NTASK);
            int v = (int)(rnd() % (unsigned)(tmax + 1));
            sum += v;
            fprintf(f, ";%d", v);
        }
        int mark = sum >= PROC[p].cut5 ? 5 : sum >= PROC[p].cut4 ? 4 : sum >= PROC[p].cut3 ? 3 : 2;
        fprintf(f, ";%d;%d;%d\n", sum, mark, mark < 5 ? mark + (int)(rnd() % 2) : 5);
    }
    fclose(f);
    return 0;
}
