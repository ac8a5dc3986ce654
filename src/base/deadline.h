/*
 * Deadline rules of roadmaps («дорожная карта», «план мероприятий»): the acts' wording of a
 * deadline («ежегодно, сентябрь», «постоянно», «в течение 10 дней после проведения оценочных
 * процедур», «Февраль – май 2023», «до 01 июля» …) turned into a concrete due date for the
 * plan's year, or an explicit «без срока». Pure: no database, no clock. See docs/roadmap.md.
 *
 * The school-year convention (as everywhere in msoko): year Y is the school year (Y-1)/Y,
 * 1 September Y-1 to 31 August Y. A month named without a calendar year falls inside that
 * school year: September–December in Y-1, January–August in Y. So for the plan of 2024
 * «ежегодно, сентябрь» is due 2023-09-30 and «март» 2024-03-31. A month with its own year
 * («Февраль 2021 г.») keeps it whatever the plan's year.
 */
#ifndef MSK_DEADLINE_H
#define MSK_DEADLINE_H

#include <stddef.h>

typedef enum {
    DUE_DATE = 0, /* due on year-month-day */
    DUE_NONE = 1, /* «без срока»: why says which wording («постоянно», «по графику» …) */
    DUE_EVENT = 2, /* days after an event (an assessment procedure) whose date is not in the
                      wording: deadline_after_event turns it into a date once it is known */
} due_kind;

enum { DEADLINE_MAX_DATES = 12 };

typedef struct msk_deadline {
    due_kind kind;
    int year, month, day; /* DUE_DATE: the latest date named (the item is overdue after it) */
    /* DUE_DATE: every date the wording names, ascending, as yyyymmdd — «ежегодно: октябрь,
     * апрель» (seed 000 roadmap 1.5) has two checkpoints, «январь, июнь» (seed 002 4.4) too;
     * dates[ndates-1] is year-month-day. At most DEADLINE_MAX_DATES are kept (the latest win). */
    int ndates;
    long dates[DEADLINE_MAX_DATES];
    int days;        /* DUE_EVENT: days after the event */
    const char *why; /* static Russian explanation of the rule applied (never NULL) */
} msk_deadline;

/* Parse text for the school year school_year (0 = unknown: a month without its own year then
 * gives «без срока», why «год плана не указан»). Returns 0 when the wording was recognised, 1
 * when it was not (out is then DUE_NONE with why «срок не распознан»). */
int deadline_parse(const char *text, int school_year, msk_deadline *out);

/* Turn a DUE_EVENT into a DUE_DATE: the event's date (YYYY-MM-DD) plus d->days. Returns 0, or
 * -1 when event_date is not a date. */
int deadline_after_event(msk_deadline *d, const char *event_date);

/* "YYYY-MM-DD" of a DUE_DATE into out (at least 11 bytes); "" for the other kinds. */
void deadline_iso(const msk_deadline *d, char *out, size_t outsz);

/* Every date of a DUE_DATE as "YYYY-MM-DD,YYYY-MM-DD,…" (ascending) into out; "" for the other
 * kinds. outsz of 11 * DEADLINE_MAX_DATES holds them all. */
void deadline_dates_iso(const msk_deadline *d, char *out, size_t outsz);

/* The due kind as stored in plan_item.due_kind: "date", "none", "event". */
const char *deadline_kind_code(due_kind k);

/* Days in month m (1..12) of year y. */
int deadline_month_days(int y, int m);

#endif
