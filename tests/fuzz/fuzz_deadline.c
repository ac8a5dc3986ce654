/*
 * libFuzzer target for the roadmap deadline rules (src/base/deadline.c): the input is a
 * deadline wording, parsed for a plan year taken from its first byte (0 = unknown, else
 * 2000..2254). Besides the sanitizers: a DUE_DATE is a real calendar date near the plan's
 * year, every result has an explanation, and deadline_iso and an event date behave.
 */
#include "base/deadline.h"

#include "base/err.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int year = data[0] ? 2000 + data[0] - 1 : 0;
    char *text = malloc(size);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    msk_deadline d;
    int rc = deadline_parse(text, year, &d);
    MSK_ASSERT(rc == 0 || rc == 1);
    MSK_ASSERT(d.why != NULL);
    MSK_ASSERT(d.kind == DUE_DATE || d.kind == DUE_NONE || d.kind == DUE_EVENT);
    if (rc == 1)
        MSK_ASSERT(d.kind == DUE_NONE);
    char iso[16];
    deadline_iso(&d, iso, sizeof iso);
    if (d.kind == DUE_DATE) {
        MSK_ASSERT(d.month >= 1 && d.month <= 12);
        MSK_ASSERT(d.day >= 1 && d.day <= deadline_month_days(d.year, d.month));
        MSK_ASSERT(d.year >= 1900 && d.year <= 2300);
        MSK_ASSERT(strlen(iso) == 10);
    } else {
        MSK_ASSERT(iso[0] == '\0');
    }
    MSK_ASSERT(deadline_kind_code(d.kind) != NULL);
    if (d.kind == DUE_EVENT) {
        MSK_ASSERT(d.days >= 0);
        msk_deadline e = d;
        if (deadline_after_event(&e, "2024-04-15") == 0) {
            MSK_ASSERT(e.kind == DUE_DATE);
            MSK_ASSERT(e.day >= 1 && e.day <= deadline_month_days(e.year, e.month));
        }
        e = d;
        MSK_ASSERT(deadline_after_event(&e, text) == 0 || e.kind == DUE_EVENT);
    }
    free(text);
    return 0;
}
