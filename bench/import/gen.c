/*
 * Benchmark input: a ФИС ОКО-like results file of N rows (default 1,000,000), UTF-8 with ';',
 * Russian headers, ВПР math 5 with 14 task columns: 25 columns in all. Pupils are spread over
 * 2,000 schools (sch000001…), whose list is written to the schools file given second.
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

int main(int argc, char **argv)
{
    static const int MAX[14] = {1, 1, 1, 1, 1, 1, 1, 2, 1, 2, 1, 2, 2, 3};
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
    for (int t = 1; t <= 14; t++)
        fprintf(f, ";%d", t);
    fprintf(f, ";Первичный балл;Отметка;Отметка по журналу\n");
    for (long r = 0; r < n; r++) {
        int school = (int)(r * 2000 / n) + 1, sum = 0, sc[14];
        for (int t = 0; t < 14; t++) {
            sc[t] = (int)(rnd() % (unsigned)(MAX[t] + 1));
            sum += sc[t];
        }
        int mark = sum >= 15 ? 5 : sum >= 11 ? 4 : sum >= 7 ? 3 : 2;
        fprintf(f, "2024;ВПР;Математика;5;sch%06d;5%s;p%07ld;%d", school, (r & 1) ? "А" : "Б", r,
                1 + (int)(r & 1));
        for (int t = 0; t < 14; t++)
            fprintf(f, ";%d", sc[t]);
        fprintf(f, ";%d;%d;%d\n", sum, mark, mark < 5 ? mark + (int)(rnd() % 2) : 5);
    }
    fclose(f);
    return 0;
}
